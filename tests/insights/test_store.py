from __future__ import annotations

import datetime as dt

import pytest

from phare.insights import store
from phare.listening import services
from phare.listening.models import Response
from tests.insights.factories import answer


def test_it_writes_one_partition_per_wave_and_answers_sql(two_waves):
    survey, _first, _second = two_waves
    assert store.refresh(survey) == {"rebuilt": 2, "removed": 0}
    frame = store.query([survey], """
        SELECT wave, count(*) AS n,
               100 * avg(CASE WHEN score >= 9 THEN 1 WHEN score <= 6 THEN -1 ELSE 0 END) AS nps
        FROM responses GROUP BY wave ORDER BY wave""")
    assert frame["n"].tolist() == [12, 10]
    # Wave 1: 6 promoters, 3 passives, 3 detractors of 12 → 25; wave 2: 6 / 2 / 2 of 10 → 40.
    assert frame["nps"].round(6).tolist() == [25.0, 40.0]
    names = sorted(p.name for p in store.survey_dir(survey.pk).glob("*.parquet"))
    assert "scores-w1.parquet" in names and "texts-w2.parquet" in names


def test_grids_choices_and_texts_are_flattened(two_waves):
    survey, *_ = two_waves
    grid = store.query([survey], """
        SELECT item, dimension, avg(value) AS mean, count(*) AS n FROM scores
        WHERE question = 'grid' GROUP BY ALL ORDER BY item, dimension""")
    assert len(grid) == 6 and set(grid["n"]) == {22}
    assert grid.set_index(["item", "dimension"]).loc[("competence", "importance"), "mean"] == 5
    tools = store.query([survey], "SELECT option, count(*) AS n FROM choices "
                                  "WHERE question = 'tools' GROUP BY ALL ORDER BY option")
    assert dict(zip(tools["option"], tools["n"], strict=True)) == {"other": 22, "vpn": 22}
    texts = store.query([survey], "SELECT question, text, score FROM texts "
                                  "WHERE question IN ('why_low', 'tools.other') ORDER BY ALL")
    assert set(texts["question"]) == {"why_low", "tools.other"}
    assert set(texts.loc[texts["question"] == "why_low", "score"]) == {2.0, 3.0}


def test_only_changed_partitions_are_rebuilt(two_waves):
    survey, first, second = two_waves
    store.refresh(survey)
    assert store.refresh(survey) == {"rebuilt": 0, "removed": 0}
    answer(survey, second, nps=0, day=dt.date(2025, 7, 10))
    assert store.refresh(survey) == {"rebuilt": 1, "removed": 0}
    # An amended answer (ticket follow-ups raise the revision) is seen too.
    response = Response.objects.filter(wave=first).first()
    Response.objects.filter(pk=response.pk).update(revision=1)
    assert store.refresh(survey) == {"rebuilt": 1, "removed": 0}
    Response.objects.filter(wave=first).delete()
    assert store.refresh(survey) == {"rebuilt": 0, "removed": 1}
    assert store.query([survey], "SELECT count(*) AS n FROM responses")["n"][0] == 11


def test_a_recent_check_is_trusted_for_max_age_seconds(two_waves):
    survey, _first, second = two_waves
    store.refresh(survey)
    answer(survey, second, nps=0)
    assert store.refresh(survey, max_age=60) == {"rebuilt": 0, "removed": 0}
    assert store.refresh(survey) == {"rebuilt": 1, "removed": 0}


def test_an_empty_survey_queries_as_empty_tables(personas):
    from tests.listening.factories import make_barometer

    survey = make_barometer("vide")
    for table in store.TABLES:
        assert store.query([survey], f"SELECT count(*) AS n FROM {table}")["n"][0] == 0


def test_months_partition_surveys_without_waves(personas):
    from tests.listening.factories import full_answers, make_barometer

    survey = make_barometer("pulse")
    for day in (dt.date(2026, 1, 5), dt.date(2026, 1, 20), dt.date(2026, 2, 2)):
        response = services.response_submit(survey=survey, answers=full_answers(8),
                                            channel="open_link")
        Response.objects.filter(pk=response.pk).update(submitted_on=day)
    store.refresh(survey)
    months = store.query([survey], "SELECT month, count(*) AS n FROM responses "
                                   "GROUP BY month ORDER BY month")
    assert months["n"].tolist() == [2, 1]
    names = sorted(p.name for p in store.survey_dir(survey.pk).glob("responses-*.parquet"))
    assert names == ["responses-m2026-01.parquet", "responses-m2026-02.parquet"]


@pytest.mark.parametrize("table", store.TABLES)
def test_every_table_has_a_schema_matching_facts(table):
    from phare.insights import facts

    columns = {"responses": facts.RESPONSE_COLUMNS, "scores": facts.SCORE_COLUMNS,
               "choices": facts.CHOICE_COLUMNS, "texts": facts.TEXT_COLUMNS,
               "tickets": facts.TICKET_COLUMNS}[table]
    assert list(store.SCHEMAS[table]) == columns
