"""An imported survey mapped onto a study: the real Qualtrics test survey (its Likert matrix
statements as ratings), exact errors for unknown codes and wrong types, the suggestion."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from phare.positioning.answers import study_data
from phare.positioning.mapping import MappingError, check_mapping, suggest_mapping
from phare.positioning.models import Study
from phare.positioning.services import studies
from tests.positioning.factories import (
    SP_RATINGS,
    import_limesurvey_archive,
    import_sp_survey,
    make_study,
)

pytestmark = pytest.mark.django_db

@pytest.fixture
def imported() -> Study:
    study = make_study()
    survey = import_sp_survey()
    return studies.import_attach(study=study, survey=survey)


def refused(study, mapping) -> str:
    with translation.override("en"), pytest.raises(MappingError) as exc:
        check_mapping(study, mapping)
    return str(exc.value)


def test_it_maps_the_likert_statements_as_ratings_and_reads_them(imported):
    mapping = {"ratings": SP_RATINGS, "preference": {"question": "q3",
                                                  "options": {"1": "dsi", "2": "saas"}},
               "used": {"question": "q19", "options": {"1": "saas", "3": "outsourcer"}},
               "tools": "q4", "comment": "q8", "used_why": "q7",
               "profile": {"tenure": "q1"}}
    study = studies.mapping_set(study=imported, mapping=mapping)
    assert (study.scale_min, study.scale_max) == (1, 4)  # the statements' choices
    data = study_data(study)
    assert data.n == 3 and data.scale == (1, 4)
    assert set(data.ratings["alternative"]) == {"dsi", "saas", "outsourcer"}
    # Whatever the order of respondents, the values are the answers given (1, 2, 3 by row).
    respondent = data.ratings.groupby("respondent")
    rated = {tuple(sorted(group[group.alternative == "dsi"]
                          .set_index("attribute")["rating"].items()))
             for _r, group in respondent}
    assert (("cost", 2.0), ("security", 3.0), ("speed", 1.0)) in rated
    assert data.comment.str.contains("multiple\nlines").any()
    assert list(data.people.columns) == ["unit", "site", "job_family", "top_unit", "tenure"]
    assert set(data.preference.dropna()) <= {"dsi", "saas"}
    assert data.used.columns.tolist() == ["outsourcer", "saas", "personal", "power_user"]
    assert not data.used["personal"].any()


def test_the_errors_name_the_path_exactly(imported):
    assert refused(imported, {"ratings": {**SP_RATINGS, "cloud": {"speed": "q5_statement1"}}}) \
        == "ratings.cloud: The study has no alternative “cloud”."
    assert refused(imported, {"ratings": {**SP_RATINGS, "dsi": {"price": "q5_statement1"}}}) \
        == "ratings.dsi.price: The study has no attribute “price”."
    assert refused(imported, {"ratings": {**SP_RATINGS, "dsi": {"speed": "q99"}}}) \
        == "ratings.dsi.speed: The survey has no question “q99”."
    assert refused(imported, {"ratings": {**SP_RATINGS, "dsi": {"speed": "q7"}}}) \
        == "ratings.dsi.speed: “q7” is a text question, not a rating scale."
    assert refused(imported, {"ratings": {**SP_RATINGS, "saas": {"speed": "q15"}}}) == (
        "ratings.saas.speed: “q15” is rated 0–10, while ratings.dsi.speed is rated 1–4: every "
        "rating must be on the same scale.")
    assert refused(imported, {"ratings": {"dsi": SP_RATINGS["dsi"], "saas": SP_RATINGS["saas"]}}) \
        == ("ratings: Map at least 3 alternatives on at least 3 attributes (here 2 "
            "alternatives, 3 attributes).")
    assert refused(imported, {"ratings": SP_RATINGS, "preference": {"question": "q4"}}) \
        == "preference.question: “q4” is a multiple question, not a single choice."
    assert refused(imported, {"ratings": SP_RATINGS, "preference": {
        "question": "q3", "options": {"9": "dsi"}}}) \
        == "preference.options.9: “q3” has no option “9”."
    assert refused(imported, {"ratings": SP_RATINGS, "used": {
        "question": "q19", "options": {"1": "dsi"}}}) \
        == "used.options.1: The study has no alternative “dsi” here."
    assert refused(imported, {"ratings": SP_RATINGS, "comment": "q1"}) \
        == "comment: “q1” is a single question, not a free text."
    assert refused(imported, {"ratings": SP_RATINGS, "weather": "q1"}) \
        == "weather: Unknown part of the mapping."


def test_mapping_set_names_the_field_and_needs_an_imported_survey(imported):
    with translation.override("en"), pytest.raises(ValidationError) as exc:
        studies.mapping_set(study=imported, mapping={"ratings": {"x": {}}})
    assert exc.value.message_dict == {"mapping": [
        "ratings.x: The study has no alternative “x”."]}
    with pytest.raises(ValidationError) as exc:
        studies.mapping_set(study=make_study(), mapping={"ratings": SP_RATINGS})
    assert list(exc.value.message_dict) == ["mapping"]


def test_a_survey_already_used_by_another_study_is_refused(imported):
    with pytest.raises(ValidationError) as exc:
        studies.import_attach(study=make_study(), survey=imported.survey)
    assert list(exc.value.message_dict) == ["survey"]


def test_suggestion_matches_labels_in_question_texts(imported):
    survey = imported.survey
    version = survey.current_version()
    for code, text in (("q5_statement1", "Le service informatique (DSI) — Rapidité"),
                       ("q5_statement2", "SaaS bought by the business: cost"),
                       ("q26", "Block 1 question")):
        question = version.questions.get(code=code)
        question.text_fr = question.text_en = text
        question.save()
    suggestion = suggest_mapping(imported, survey)
    assert suggestion["ratings"] == {"dsi": {"speed": "q5_statement1"},
                                     "saas": {"cost": "q5_statement2"}}


def test_a_limesurvey_array_maps_as_ratings_and_a_list_as_preference():
    study = studies.import_attach(study=make_study(), survey=import_limesurvey_archive())
    array = ["g01q03_sq001", "g01q03_sq002", "g01q03_sq003"]
    ratings = {alternative: dict(zip(("speed", "cost", "security"),
                                     array[shift:] + array[:shift], strict=True))
               for shift, alternative in enumerate(("dsi", "saas", "outsourcer"))}
    # A 5-point question among the 10-point ratings: refused, naming where.
    with translation.override("en"), pytest.raises(ValidationError) as mixed:
        studies.mapping_set(study=study, mapping={"ratings": {
            **ratings, "dsi": {**ratings["dsi"], "speed": "g01q04"}}})
    assert mixed.value.messages == [
        "ratings.dsi.cost: “g01q03_sq002” is rated 1–10, while ratings.dsi.speed is rated 1–5: "
        "every rating must be on the same scale."]
    study = studies.mapping_set(study=study, mapping={
        "ratings": ratings, "comment": "g01q01",
        "preference": {"question": "g01q06",
                       "options": {"ao01": "dsi", "ao02": "saas", "ao03": "outsourcer"}}})
    # The archive's responses carry no date: dated the day of the import, they are released
    # once that month is over (never while it runs).
    assert study_data(study).n == 0
    data = study_data(study, today=timezone.localdate() + dt.timedelta(days=32))
    assert (study.scale_min, study.scale_max) == data.scale == (1, 10)
    assert data.n == 6
    # The archive's first response: 10 and 5 on the array's first two statements, "ao03".
    dsi = data.ratings[data.ratings.alternative == "dsi"].pivot(
        index="respondent", columns="attribute", values="rating")
    assert ((dsi["speed"] == 10) & (dsi["cost"] == 5)).any()
    saas = data.ratings[data.ratings.alternative == "saas"].pivot(
        index="respondent", columns="attribute", values="rating")
    assert ((saas["speed"] == 5) & (saas["security"] == 10)).any()
    assert "outsourcer" in set(data.preference.dropna())
