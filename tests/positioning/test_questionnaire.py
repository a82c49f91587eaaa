"""The questionnaire built from a design: fixed codes, bilingual texts naming the domain,
the matrix of ratings, tools as choices with "other", profile questions."""

from __future__ import annotations

import pytest

from phare.catalog.models import OfferFamily
from phare.positioning import questionnaire
from phare.positioning.services import studies
from tests.positioning.factories import make_study

pytestmark = pytest.mark.django_db


def by_code(study):
    return {q["code"]: q for q in questionnaire.build(study)}


def test_it_builds_every_part_in_both_languages():
    study = make_study(scale_min=0, scale_max=6)
    study = studies.profile_questions_set(study=study,
                                          codes=list(questionnaire.PROFILE_QUESTIONS))
    tools = studies.tool_suggest_save(study=study, names=["Trello", "Dropbox"])
    questions = by_code(study)
    assert list(questions) == [*questionnaire.CODES, "profile_tenure", "profile_remote",
                               "profile_digital", "profile_role"]
    ratings = questions["ratings"]
    assert ratings["type"] == "matrix" and (ratings["scale_min"], ratings["scale_max"]) == (0, 6)
    assert ratings["columns"][0] == {"code": "dsi", "label_fr": "Le service informatique (DSI)",
                                     "label_en": "The IT department"}
    assert [row["code"] for row in ratings["options"]][:3] == ["speed", "cost", "security"]
    assert ratings["text_en"] == ("For IT in general, how would you rate each of these on the "
                                  "following? Leave a cell empty if you do not know it.")
    assert questions["importance"]["columns"] == [
        {"code": "importance", "label_fr": questions["importance"]["columns"][0]["label_fr"],
         "label_en": "Importance"}]
    used = questions["used"]
    assert [o["code"] for o in used["options"]] == ["outsourcer", "saas", "personal",
                                                    "power_user", "none"]
    assert used["options"][-1]["label_en"] == "None of these"
    assert used["text_en"] == "Which of these have you used in the last 6 months for IT in general?"
    assert questions["used_why"]["condition"] == {"question": "used", "op": "answered"}
    assert questions["tools"]["type"] == "multiple" and questions["tools"]["allow_other"]
    # In alphabetical order (Dropbox, Trello), labelled by name.
    assert [(o["code"], o["label_en"]) for o in questions["tools"]["options"]] == [
        (f"t{tools[1].pk}", "Dropbox"), (f"t{tools[0].pk}", "Trello")]
    assert questions["tools"]["text_en"] == ("Which tools not provided by the IT department do "
                                             "you use for your work?")
    assert [o["code"] for o in questions["preference"]["options"]] == [
        "dsi", "outsourcer", "saas", "personal", "power_user"]
    assert questions["comment"]["text_en"] == ("What would make the IT department your first "
                                               "choice?")
    assert [o["code"] for o in questions["profile_role"]["options"]] == ["manager", "staff"]
    assert all(q["text_fr"] and q["text_en"] for q in questions.values())
    assert [q["section"] for q in questions.values()] == [1, 1, 2, 2, 2, 2, 2, 3, 3, 3, 3]


def test_the_domain_is_the_family_when_there_is_one():
    family = OfferFamily.objects.create(code="remote", name_fr="Travailler à distance",
                                        name_en="Remote work")
    study = make_study(family=family)
    questions = by_code(study)
    assert questions["preference"]["text_en"] == "For Remote work, which would you turn to first?"
    assert "Travailler à distance" in questions["preference"]["text_fr"]
