"""What the verbatim explorer says of each comment (its score band, its language) and the
survey it opens on."""

from __future__ import annotations

import datetime as dt

from phare.insights import verbatims as V
from phare.listening import services
from phare.listening.models import Response, Survey
from tests.insights.factories import add_wave
from tests.listening.factories import full_answers, make_barometer

FRENCH = ["Le VPN coupe sans arrêt", "Mot de passe réinitialisé en deux minutes",
          "Technicien très sympathique"]
ENGLISH = ["The VPN keeps dropping", "Password reset in two minutes",
           "Very friendly technician"]


def fill(survey, count=36):
    wave = add_wave(survey, 1, dt.date(2026, 3, 2))
    for i in range(count):
        language = "fr" if i % 2 else "en"
        texts = FRENCH if language == "fr" else ENGLISH
        response = services.response_submit(
            survey=survey, wave=wave, channel="invitation", language=language,
            answers={**full_answers([3, 8, 10][i % 3]), "comment": texts[i % 3]},
            segment={"unit_code": "VEN", "site_code": "LYS", "job_family_code": "COM"})
        Response.objects.filter(pk=response.pk).update(submitted_on=dt.date(2026, 3, 4))


def test_each_comment_shows_its_score_band_and_language(personas):
    survey = make_barometer()
    fill(survey)

    result = V.explore(survey, V.VerbatimFilters())

    assert result.shown and result.rows
    for row in result.rows:
        expected = "low" if row["score"] <= 6 else "mid" if row["score"] <= 8 else "high"
        assert row["band"] == expected
        if row["text"] in FRENCH + ENGLISH:  # not the "why low" answers of full_answers
            assert row["language"] == ("fr" if row["text"] in FRENCH else "en")
    assert {row["band"] for row in result.rows} == {"low", "mid", "high"}
    assert V.band_of(None) == "" and V.band_of(float("nan")) == ""


def test_the_page_names_the_band_and_the_language(login, personas, english):
    survey = make_barometer()
    fill(survey)

    page = login("marketing").get("/insights/verbatims/", {"survey": survey.slug}).content.decode()

    assert '<span class="badge band-low">Detractor</span>' in page
    assert '<span class="badge band-high">Promoter</span>' in page
    assert "in English" in page and "in French" in page


def test_the_explorer_opens_on_the_barometer(login, personas):
    barometer = make_barometer()
    fill(barometer, 12)
    pulse = make_barometer("pouls")
    fill(pulse, 12)
    Survey.objects.filter(pk=pulse.pk).update(kind=Survey.Kind.PULSE)  # the newer survey

    offered = V.surveys_with_comments(Survey.objects.all())

    assert [s.slug for s in offered] == ["barometre", "pouls"]
    page = login("marketing").get("/insights/verbatims/").content.decode()
    assert '<option value="barometre" selected>' in page
