"""Reading a study's answers: released waves only, fixed respondent order (never answering
order), the tables of the contract, tools split from the "other" text, profile columns."""

from __future__ import annotations

import pandas as pd
import pytest

from phare.directory.models import BusinessUnit
from phare.positioning.answers import split_tools, study_data, top_units
from phare.positioning.services import studies
from tests.positioning.factories import (
    answer,
    closed_wave,
    make_answered_study,
    make_study,
    open_wave,
)

pytestmark = pytest.mark.django_db


def generated(**extra):
    study = make_study(**extra)
    studies.tool_suggest_save(study=study, names=["Trello", "Dropbox"])
    study = studies.profile_questions_set(study=study, codes=["profile_role"])
    studies.questionnaire_generate(study=study, user=None)
    study.refresh_from_db()
    return study


def test_only_released_answers_are_read(org):
    study = generated()
    done, running = closed_wave(study), open_wave(study)
    answer(study, {"preference": "saas"}, wave=done, segment=("DSI", "PAR", "IT"))
    answer(study, {"preference": "dsi"}, wave=running)
    data = study_data(study)
    assert data.n == 1 and data.preference.tolist() == ["saas"]
    assert data.people.loc[0, ["unit", "site", "job_family", "top_unit"]].tolist() == [
        "DSI", "PAR", "IT", "DG"]  # DSI is under DG, a top-level unit


def test_the_tables_hold_the_answers(org):
    study = generated()
    trello = study.tools.get(name="Trello")
    wave = closed_wave(study)
    answer(study, {
        "ratings": {"dsi": {"speed": 2, "security": 5}, "saas": {"speed": 5}},
        "importance": {"importance": {"speed": 5, "cost": 3}},
        "used": ["saas", "personal"], "used_why": "Plus rapide",
        "tools": [f"t{trello.pk}", "other"], "tools.other": "Notion; ChatGPT\nMiro, ",
        "preference": "saas", "comment": "  Être consulté  ", "profile_role": "manager"},
        wave=wave, segment=("VEN", "LYS", "COM"))
    data = study_data(study)
    assert data.internal == "dsi" and data.alternatives[0] == "dsi" and data.k == 5
    assert data.scale == (1, 5)
    assert sorted(data.ratings.itertuples(index=False, name=None)) == [
        (0, "dsi", "security", 5.0), (0, "dsi", "speed", 2.0), (0, "saas", "speed", 5.0)]
    assert str(data.ratings.dtypes["rating"]) == "float64"
    assert data.importance.loc[0, "speed"] == 5.0 and pd.isna(data.importance.loc[0, "ease"])
    assert data.used.loc[0].to_dict() == {"outsourcer": False, "saas": True, "personal": True,
                                          "power_user": False}
    assert data.tools.loc[0] == ["Trello", "Notion", "ChatGPT", "Miro"]
    assert data.used_why.loc[0] == "Plus rapide" and data.comment.loc[0] == "Être consulté"
    assert data.people.loc[0].to_dict() == {"unit": "VEN", "site": "LYS", "job_family": "COM",
                                            "top_unit": "VEN", "profile_role": "manager"}
    assert data.alternative_labels["saas"] and data.attribute_labels["speed"]


def test_respondents_are_numbered_in_a_fixed_order_that_is_not_the_answering_order(org):
    study = generated()
    wave = closed_wave(study)
    for value in range(1, 6):
        for _twice in range(4):
            answer(study, {"ratings": {"dsi": {"speed": value}}}, wave=wave)
    first = study_data(study).ratings.sort_values("respondent")["rating"].tolist()
    again = study_data(study).ratings.sort_values("respondent")["rating"].tolist()
    assert first == again and len(first) == 20
    assert first != sorted(first)  # not the answering order (1,1,1,1,2,…)


def test_an_answered_study_from_the_factory_follows_its_pattern(org):
    study = make_answered_study(120, seed=3)
    data = study_data(study)
    assert data.n == 120
    means = data.ratings.groupby(["alternative", "attribute"])["rating"].mean()
    assert means["dsi", "security"] > means["saas", "security"]
    assert means["saas", "speed"] > means["dsi", "speed"]
    assert set(data.people["unit"]) == {"DG", "DSI", "VEN"}
    assert set(data.people.columns) >= {"profile_tenure", "profile_remote", "profile_digital",
                                        "profile_role"}
    assert data.tools.map(len).sum() > 0


def test_helpers():
    assert split_tools("Notion, chatGPT;\n  Google   Drive ") == ["Notion", "chatGPT",
                                                                   "Google Drive"]


def test_top_units_are_just_under_a_single_root(org):
    assert top_units() == {"DG": "DG", "DSI": "DG", "VEN": "VEN"}  # two roots: each is one
    group = BusinessUnit.objects.create(code="GRP", name="Groupe")
    BusinessUnit.objects.filter(code__in=["DG", "VEN"]).update(parent=group)
    assert top_units() == {"GRP": "GRP", "DG": "DG", "DSI": "DG", "VEN": "VEN"}
