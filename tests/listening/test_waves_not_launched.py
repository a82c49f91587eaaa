"""A wave not launched yet says so, instead of hiding its answers as if its group were small."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.listening.factories import make_barometer, make_crowd, plan


@pytest.fixture
def survey(personas, org):
    make_crowd(org, n=20)
    return make_barometer(created_by=personas["marketing"])


def test_a_planned_wave_is_not_launched_yet(login, survey, english):
    plan(survey)

    page = login("marketing").get(reverse("listening:waves", args=[survey.slug]))

    text = page.content.decode()
    assert "not launched yet" in text
    assert "hidden: group too small" not in text


def test_a_wave_status_agrees_with_wave_in_french():
    from django.utils import translation

    from phare.listening.models import Wave

    with translation.override("fr"):
        assert str(Wave.Status.PLANNED.label) == "Planifiée"
        assert str(Wave.Status.CLOSED.label) == "Fermée"
