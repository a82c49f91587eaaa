"""Positioning test data: a study with the default design, and a study answered by a crowd
with a realistic pattern (the IT department wins on security, loses on speed and ease of use
to SaaS bought by the business), through the same services as the pages."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from django.utils import timezone

from phare.directory.models import BusinessUnit
from phare.listening import services as listening
from phare.listening.imports import import_survey
from phare.listening.models import Response, Survey, Wave
from phare.positioning.models import Study
from phare.positioning.questionnaire import PROFILE_QUESTIONS
from phare.positioning.services import studies
from tests.directory.factories import make_org

TODAY = dt.date.today()
QUALTRICS = Path(__file__).resolve().parents[2].parent / "shared/reference/qualtrics"
LIMESURVEY = QUALTRICS.parent / "limesurvey"
#: The Qualtrics test survey's Likert matrix (choices 1–4) mapped as three alternatives'
#: ratings (:func:`import_sp_survey`).
SP_RATINGS = {
    "dsi": {"speed": "q5_statement1", "cost": "q5_statement2", "security": "q5_statement3"},
    "saas": {"speed": "q5_statement2", "cost": "q5_statement3", "security": "q5_statement1"},
    "outsourcer": {"speed": "q5_statement3", "cost": "q5_other", "security": "q5_statement2"},
}
_numbers = itertools.count(1)

#: Mean rating of each alternative on each attribute (1–5) in the default pattern.
PATTERN: dict[str, dict[str, float]] = {
    "dsi": {"speed": 2.4, "cost": 3.4, "security": 4.5, "ease": 2.6, "support": 3.6,
            "fit": 3.0, "innovation": 2.6, "reliability": 4.0},
    "outsourcer": {"speed": 3.0, "cost": 2.5, "security": 3.6, "ease": 3.0, "support": 3.1,
                   "fit": 2.7, "innovation": 3.2, "reliability": 3.4},
    "saas": {"speed": 4.3, "cost": 2.9, "security": 2.7, "ease": 4.4, "support": 2.6,
             "fit": 3.8, "innovation": 4.2, "reliability": 3.5},
    "personal": {"speed": 4.0, "cost": 4.1, "security": 1.8, "ease": 4.1, "support": 1.9,
                 "fit": 3.1, "innovation": 3.6, "reliability": 2.7},
    "power_user": {"speed": 3.8, "cost": 3.6, "security": 2.5, "ease": 3.6, "support": 4.1,
                   "fit": 4.3, "innovation": 3.0, "reliability": 3.0},
}
#: Mean stated importance of each attribute (1–5).
IMPORTANCE = {"speed": 4.2, "cost": 3.0, "security": 4.0, "ease": 4.1, "support": 3.6,
              "fit": 4.3, "innovation": 2.8, "reliability": 4.5}
#: Tools suggested in the questionnaire, and those people type under "other".
SUGGESTED_TOOLS = ("Trello", "WhatsApp", "Dropbox")
OTHER_TOOLS = ("Notion", "ChatGPT", "notion ", "Google Drive", "Canva")
COMMENTS = ("Plus de réactivité sur les demandes", "Des outils plus simples à utiliser",
            "Être consulté avant les projets", "Un vrai support de proximité", "")


def make_study(user: Any = None, **extra: Any) -> Study:
    """A study in design with the default alternatives (IT department first, then outsourcer,
    SaaS, personal tools, local power user) and the eight default attributes."""
    number = next(_numbers)
    fields: dict[str, Any] = {"slug": f"etude-{number}",
                              "title_fr": f"Étude de positionnement {number}",
                              "title_en": f"Positioning study {number}"}
    fields.update(extra)
    return studies.study_create(user=user, **fields)


def _org() -> dict[str, Any]:
    """The small organisation of ``tests/directory/factories.py`` (made unless present)."""
    if not BusinessUnit.objects.filter(code="DG").exists():
        make_org()
    units = {u.code: u for u in BusinessUnit.objects.filter(code__in=("DG", "DSI", "VEN"))}
    return {"units": ["DG", "DSI", "VEN", "VEN"], "sites": ["PAR", "LYS"],
            "job_families": ["IT", "COM", "COM"], "objects": units}


def _answers(rng: np.random.Generator, pattern: Mapping[str, Mapping[str, float]],
             alternatives: Sequence[str], attributes: Sequence[str], scale: tuple[int, int],
             tool_options: Sequence[str], profile: Sequence[str]) -> dict[str, Any]:
    low, high = scale
    stretch = (high - low) / 4

    def point(mean: float) -> int:
        value = low + (mean - 1) * stretch + rng.normal(0, 0.8 * stretch)
        return int(np.clip(round(value), low, high))

    mood = rng.normal(0, 0.4)  # some people rate everything higher
    ratings: dict[str, dict[str, int]] = {}
    for alternative in alternatives:
        row = {}
        for attribute in attributes:
            if alternative != alternatives[0] and rng.random() < 0.1:
                continue  # "I don't know it"
            row[attribute] = point(pattern.get(alternative, {}).get(attribute, 3.0) + mood)
        if row:
            ratings[alternative] = row
    importance = {a: point(IMPORTANCE.get(a, 3.5)) for a in attributes}
    utility = {alt: sum(importance[a] * row.get(a, low) for a in attributes)
               + rng.normal(0, 6 * stretch) for alt, row in ratings.items()}
    answers: dict[str, Any] = {"ratings": ratings, "importance": {"importance": importance},
                               "preference": max(utility, key=lambda alt: utility[alt])}
    used = [alt for alt in alternatives[1:]
            if alt in ratings and rng.random() < 0.15 * sum(ratings[alt].values())
            / max(len(ratings[alt]), 1) - 0.1]
    answers["used"] = used or ["none"]
    if used and rng.random() < 0.6:
        answers["used_why"] = "Plus rapide que de passer par la DSI"
    tools = [code for code in tool_options if rng.random() < 0.3]
    if rng.random() < 0.35:
        tools.append("other")
        answers["tools.other"] = ", ".join(
            rng.choice(OTHER_TOOLS, size=int(rng.integers(1, 3)), replace=False).tolist())
    if tools:
        answers["tools"] = tools
    comment = COMMENTS[int(rng.integers(0, len(COMMENTS)))]
    if comment:
        answers["comment"] = comment
    for code in profile:
        options = [option for option, _label in PROFILE_QUESTIONS[code]["options"]]
        answers[code] = options[int(rng.integers(0, len(options)))]
    return answers


def answer(study: Study, answers: Mapping[str, Any], *, wave: Wave | None = None,
           segment: tuple[str, str, str] = ("DSI", "PAR", "IT"), day: dt.date | None = None
           ) -> Response:
    """One response to the study's survey, as a respondent's submission records it."""
    assert study.survey is not None
    day = day or TODAY - dt.timedelta(days=20)
    return listening.response_submit(
        survey=study.survey, answers=answers, channel="invitation", wave=wave,
        segment=dict(zip(("unit_code", "site_code", "job_family_code"), segment, strict=True)),
        submitted_at=timezone.make_aware(dt.datetime.combine(day, dt.time(10, 0))))


def closed_wave(study: Study, name: str = "Vague 1") -> Wave:
    """A wave of the study's survey whose closing day is past (its answers are released)."""
    assert study.survey is not None
    return listening.wave_create(study.survey, name=name, opens_on=TODAY - dt.timedelta(days=40),
                                 closes_on=TODAY - dt.timedelta(days=10))


def open_wave(study: Study, name: str = "Vague en cours") -> Wave:
    """A wave still collecting (its answers are not released)."""
    assert study.survey is not None
    return listening.wave_create(study.survey, name=name, opens_on=TODAY - dt.timedelta(days=3),
                                 closes_on=TODAY + dt.timedelta(days=20))


def make_answered_study(n: int = 120, *, seed: int = 0,
                        pattern: Mapping[str, Mapping[str, float]] | None = None,
                        user: Any = None, profile: Sequence[str] | None = None,
                        **extra: Any) -> Study:
    """A study with its generated questionnaire (suggested tools, the profile questions), one
    closed wave and ``n`` anonymous responses drawn from ``pattern`` (default :data:`PATTERN`:
    mean ratings by alternative and attribute on a 1–5 scale), spread over the small
    organisation's units (DG, DSI, VEN), sites and job families."""
    org = _org()
    study = make_study(user, **extra)
    studies.tool_suggest_save(study=study, names=SUGGESTED_TOOLS)
    studies.profile_questions_set(study=study, codes=list(
        PROFILE_QUESTIONS if profile is None else profile))
    studies.questionnaire_generate(study=study, user=user)
    study.refresh_from_db()
    wave = closed_wave(study)
    rng = np.random.default_rng(seed)
    alternatives = list(study.alternatives.values_list("code", flat=True))
    attributes = list(study.attributes.values_list("code", flat=True))
    tool_options = [f"t{pk}" for pk in study.tools.filter(suggested=True)
                    .values_list("pk", flat=True)]
    chosen = pattern or PATTERN
    for i in range(n):
        segment = (org["units"][i % 4], org["sites"][i % 2], org["job_families"][i % 3])
        answers = _answers(rng, chosen, alternatives, attributes,
                           (study.scale_min, study.scale_max), tool_options,
                           study.profile_questions)
        answer(study, answers, wave=wave, segment=segment,
               day=TODAY - dt.timedelta(days=20 + i % 5))
    return study


def import_sp_survey() -> Survey:
    """The real Qualtrics test survey (``../shared/reference/qualtrics``) and its 3 responses,
    imported through listening's importer; its Likert matrix statements are single choices
    numbered 1–4."""
    files = []
    for name in ("sp_test_survey.qsf", "sp_test_responses.xml"):
        path = QUALTRICS / name
        if not path.is_file():
            pytest.skip(f"reference file absent: {path} (CI always has ../shared/reference)")
        files.append((name, path.read_bytes()))
    return import_survey(files).survey


def import_limesurvey_archive() -> Survey:
    """The real LimeSurvey archive 969249 (``../shared/reference/limesurvey``): a 10-point
    array of three statements (``g01q03_sq001``…), a 5-point choice, a list (``g01q06``), free
    texts; 6 responses."""
    path = LIMESURVEY / "survey_archive_969249.lsa"
    if not path.is_file():
        pytest.skip(f"reference file absent: {path} (CI always has ../shared/reference)")
    return import_survey([(path.name, path.read_bytes())]).survey
