"""Which answers are released: a month of continuous collection is released when it is over;
an export of rows also leaves out a month over with fewer answers than the survey's minimum
group (the pages show it as too few answers and count it in no total), so that the export's
rows are the answers the figures count."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from phare.listening.exports.table import build_table
from phare.listening.models import Response
from phare.listening.queries import released
from tests.listening.factories import answers_for, fill, make_export_survey, submit

AFTER = dt.date(2025, 6, 10)


def _in_april(survey, count: int) -> None:
    for i in range(count):
        response = submit(survey, answers_for(i, 9), day=3)
        Response.objects.filter(pk=response.pk).update(  # the factory answers in March
            submitted_on=dt.date(2025, 4, 7 + i),
            submitted_at=timezone.make_aware(dt.datetime(2025, 4, 7 + i, 10)))


def test_a_month_with_fewer_answers_than_the_minimum_is_left_out_of_exports(db):
    survey = make_export_survey("released-small", min_group_size=5)
    fill(survey, 10)  # March: 10 answers
    _in_april(survey, 4)  # April: 4 answers, under the minimum of 5
    chosen = released(Response.objects.filter(survey=survey), today=AFTER,
                      without_small_months=True)
    assert sorted({r.submitted_on.month for r in chosen}) == [3] and chosen.count() == 10
    # The subset asked for does not change which months are small: the whole survey decides.
    april = Response.objects.filter(survey=survey, submitted_on__month=4)
    assert released(april, today=AFTER, without_small_months=True).count() == 0
    # The pages' figures get April, to show it as too few answers (never in a total).
    assert released(Response.objects.filter(survey=survey), today=AFTER).count() == 14


def test_a_month_that_reaches_the_minimum_is_released(db):
    survey = make_export_survey("released-enough", min_group_size=5)
    fill(survey, 10)
    _in_april(survey, 5)
    assert released(Response.objects.filter(survey=survey), today=AFTER,
                    without_small_months=True).count() == 15
    # The current month is never released, whatever its size.
    assert released(Response.objects.filter(survey=survey), today=dt.date(2025, 4, 20),
                    without_small_months=True).count() == 10


def test_the_export_leaves_out_the_small_month_as_the_figures_do(db, monkeypatch):
    survey = make_export_survey("released-export", min_group_size=5)
    fill(survey, 10)
    _in_april(survey, 4)
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: AFTER)
    assert len(build_table(survey, language="fr").rows) == 10


def test_imported_answers_are_released_together_whatever_their_month(db):
    survey = make_export_survey("released-import", min_group_size=5)
    for i in range(10):  # an import: ten answers over ten months, one a month
        response = submit(survey, answers_for(i, 9), channel="import")
        Response.objects.filter(pk=response.pk).update(submitted_on=dt.date(2024, 1 + i, 5))
    assert released(Response.objects.filter(survey=survey), today=AFTER,
                    without_small_months=True).count() == 10
