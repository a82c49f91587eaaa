"""The design of a study: defaults, the rules of check_design, the services' refusals (named
fields), freezing once answered, the questionnaire generated through listening."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from phare.listening.models import Survey
from phare.positioning import design
from phare.positioning.models import Alternative, Study
from phare.positioning.services import studies
from tests.positioning.factories import answer, closed_wave, make_study

pytestmark = pytest.mark.django_db


def fields_of(exc: pytest.ExceptionInfo[ValidationError]) -> dict[str, list[str]]:
    return exc.value.message_dict


def test_it_creates_a_study_with_the_default_alternatives_and_attributes(personas):
    study = make_study(personas["marketing"], slug="dsi-2026")
    assert [(a.code, a.kind) for a in study.alternatives.all()] == [
        ("dsi", "internal"), ("outsourcer", "outsourcer"), ("saas", "saas"),
        ("personal", "consumer"), ("power_user", "power_user")]
    assert list(study.alternatives.values_list("label_en", flat=True))[0] == "The IT department"
    assert list(study.attributes.values_list("code", flat=True)) == [
        "speed", "cost", "security", "ease", "support", "fit", "innovation", "reliability"]
    assert study.attributes.get(code="ease").label_fr == "Facilité d'utilisation"
    assert study.status == Study.Status.DESIGN and study.created_by == personas["marketing"]
    assert design.check_design(study) == []


def test_it_refuses_a_taken_or_reserved_identifier_and_a_bad_scale():
    make_study(slug="taken")
    with pytest.raises(ValidationError) as exc:
        make_study(slug="taken")
    assert list(fields_of(exc)) == ["slug"]
    with pytest.raises(ValidationError) as exc:
        make_study(slug="new")
    assert list(fields_of(exc)) == ["slug"]
    with translation.override("en"), pytest.raises(ValidationError) as exc:
        make_study(scale_min=1, scale_max=12)
    assert fields_of(exc) == {"scale_max": ["A rating scale has 2 to 11 points (this one has "
                                            "12)."]}


def test_check_design_lists_each_rule():
    study = make_study(title_en="")
    with translation.override("en"):
        studies.alternative_delete(study=study, code="personal")
        studies.alternative_delete(study=study, code="power_user")
        studies.alternative_delete(study=study, code="saas")
        for code in ("cost", "security", "ease", "support", "fit", "innovation"):
            studies.attribute_delete(study=study, code=code)
        studies.attribute_save(study=study, code="price", label_fr="Prix")
        problems = design.check_design(study)
    assert [(p.field, p.level) for p in problems] == [
        ("alternatives", "error"), ("title_en", "warning"), ("attributes.price", "warning")]
    assert problems[0].message == "A study compares 3 to 8 alternatives (this one has 2)."


def test_check_design_wants_one_internal_alternative_first():
    study = make_study()
    Alternative.objects.filter(study=study, code="dsi").update(position=9)
    with translation.override("en"):
        messages = [p.message for p in design.check_design(study)]
    assert messages == ["The IT department must come first among the alternatives."]
    Alternative.objects.filter(study=study, code="saas").update(kind="internal")
    with translation.override("en"):
        messages = [p.message for p in design.check_design(study)]
    assert messages == ["A study compares exactly one internal alternative (the IT department) "
                        "with the others; this one has 2."]


def test_services_refuse_what_breaks_the_design():
    study = make_study()
    with translation.override("en"):
        with pytest.raises(ValidationError) as exc:
            studies.alternative_delete(study=study, code="dsi")
        assert "cannot be removed" in fields_of(exc)["alternatives"][0]
        with pytest.raises(ValidationError) as exc:
            studies.alternative_move(study=study, code="outsourcer", direction="up")
        assert fields_of(exc) == {"alternatives": ["The IT department stays first."]}
        with pytest.raises(ValidationError) as exc:
            studies.alternative_save(study=study, code="other_dsi", label_fr="Autre DSI",
                                     kind="internal")
        assert list(fields_of(exc)) == ["kind"]
        with pytest.raises(ValidationError) as exc:
            studies.profile_questions_set(study=study, codes=["profile_shoe_size"])
        assert fields_of(exc) == {"profile_questions": ["Unknown profile questions: "
                                                        "profile_shoe_size."]}
        with pytest.raises(ValidationError) as exc:
            studies.population_set(study=study, population={"units": ["NOPE"]})
        assert fields_of(exc) == {"population.units": ["These business units do not exist: "
                                                       "NOPE."]}


def test_moves_reorder_rows():
    study = make_study()
    studies.attribute_move(study=study, code="cost", direction="up")
    studies.alternative_move(study=study, code="personal", direction="down")
    assert list(study.attributes.values_list("code", flat=True))[:2] == ["cost", "speed"]
    assert list(study.alternatives.values_list("code", flat=True)) == [
        "dsi", "outsourcer", "saas", "power_user", "personal"]


def test_suggested_tools_forget_the_dropped_ones():
    study = make_study()
    studies.tool_suggest_save(study=study, names=["Trello", " Dropbox ", "trello", ""])
    studies.tool_suggest_save(study=study, names=["Dropbox", "Miro"])
    assert sorted(study.tools.values_list("name", "suggested")) == [
        ("Dropbox", True), ("Miro", True), ("Trello", False)]


def test_it_generates_the_questionnaire_through_listening(personas):
    study = make_study(personas["marketing"])
    studies.profile_questions_set(study=study, codes=["profile_role", "profile_tenure"])
    survey = studies.questionnaire_generate(study=study, user=personas["marketing"])
    assert survey.kind == Survey.Kind.STUDY and survey.anonymity == Survey.Anonymity.ANONYMOUS
    assert survey.title_fr == study.title_fr
    questions = list(survey.current_version().questions.order_by("section__position",
                                                                 "position"))
    assert [q.code for q in questions] == [
        "ratings", "importance", "used", "used_why", "tools", "preference", "comment",
        "profile_tenure", "profile_role"]
    ratings = questions[0]
    assert ratings.type == "matrix" and (ratings.scale_min, ratings.scale_max) == (1, 5)
    assert [c["code"] for c in ratings.columns] == ["dsi", "outsourcer", "saas", "personal",
                                                    "power_user"]
    assert questions[4].type == "text"  # no suggested tool: named in free text
    # Regenerated before any answer: the same survey, written again with the new design.
    studies.attribute_save(study=study, code="green", label_fr="Sobriété", label_en="Green IT")
    studies.tool_suggest_save(study=study, names=["Trello"])
    again = studies.questionnaire_generate(study=study, user=personas["marketing"])
    assert again.pk == survey.pk
    version = again.current_version()
    assert [o["code"] for o in version.questions.get(code="ratings").options][-1] == "green"
    tools = version.questions.get(code="tools")
    assert tools.type == "multiple" and tools.allow_other
    assert version.sections.count() == 3


def test_answers_freeze_the_design():
    study = make_study()
    studies.questionnaire_generate(study=study, user=None)
    study.refresh_from_db()
    answer(study, {"preference": "saas"}, wave=closed_wave(study))
    with translation.override("en"):
        for call in (lambda: studies.attribute_save(study=study, code="x", label_fr="X"),
                     lambda: studies.alternative_delete(study=study, code="saas"),
                     lambda: studies.study_update(study=study, scale_max=7),
                     lambda: studies.questionnaire_generate(study=study, user=None)):
            with pytest.raises(ValidationError) as exc:
                call()
            assert "already has answers" in " ".join(exc.value.messages)
    # The title is not part of the comparison.
    assert studies.study_update(study=study, title_en="New title").title_en == "New title"


def test_generation_is_refused_with_the_first_design_error():
    study = make_study()
    for code in ("personal", "power_user", "saas"):
        studies.alternative_delete(study=study, code=code)
    with translation.override("en"), pytest.raises(ValidationError) as exc:
        studies.questionnaire_generate(study=study, user=None)
    assert fields_of(exc) == {"alternatives": ["A study compares 3 to 8 alternatives (this "
                                               "one has 2)."]}
    assert study.survey is None


def test_fieldwork_plans_a_wave_for_the_population(org):
    study = make_study()
    studies.population_set(study=study, population={"units": ["VEN"], "sample": 10,
                                                    "stratify_by": "site"})
    with pytest.raises(ValidationError) as exc:
        studies.fieldwork_start(study=study, user=None, name="V1",
                                opens_on=dt.date(2026, 1, 5), closes_on=dt.date(2026, 1, 30))
    assert list(fields_of(exc)) == ["survey"]
    studies.questionnaire_generate(study=study, user=None)
    wave = studies.fieldwork_start(study=study, user=None, name="V1",
                                   opens_on=dt.date(2026, 1, 5), closes_on=dt.date(2026, 1, 30),
                                   reminder_days=[7])
    assert wave.audience["units"] == ["VEN"] and wave.audience["sample"] == 10
    assert wave.reminder_days == [7]
    study.refresh_from_db()
    assert study.status == Study.Status.FIELDWORK
    with pytest.raises(ValidationError) as exc:
        studies.fieldwork_start(study=study, user=None, name="V2",
                                opens_on=dt.date(2026, 2, 5), closes_on=dt.date(2026, 1, 30))
    assert list(fields_of(exc)) == ["closes_on"]
    assert studies.study_close(study=study, user=None).status == Study.Status.CLOSED
