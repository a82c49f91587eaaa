"""Listening test data: a barometer with every question type and full answers to it, a crowd
of people and a planned wave, an export survey filled with answers."""

from __future__ import annotations

import datetime as dt
import re

from django.test import Client
from django.utils import timezone

from phare.directory.models import Person
from phare.listening import services
from phare.listening.models import Invitation, Survey, Wave

GRID_ATTRIBUTES = [
    {"code": "reactivite", "label_fr": "Réactivité", "label_en": "Responsiveness"},
    {"code": "competence", "label_fr": "Compétence", "label_en": "Expertise"},
    {"code": "communication", "label_fr": "Communication", "label_en": "Communication"},
]


TODAY = dt.date.today()
SEGMENT = ("DSI", "PAR", "IT")
NPS_VALUES = [9, 3, 10, 7, 0, 8, 6, 9, 10, 5]


def make_barometer(slug: str = "barometre", *, anonymity: str = Survey.Anonymity.ANONYMOUS,
                   created_by=None, **fields) -> Survey:
    """A barometer with one question of each type and a display condition.

    Section 1: ``nps`` (required), ``why_low`` (text, shown for 0–6), ``csat``, ``ces``,
    ``scale`` (1–10 with labels); section 2: ``grid`` (importance × satisfaction, required),
    ``tools`` (multiple with other), ``site_pref`` (single), ``comment`` (text).
    """
    survey = services.survey_create(slug=slug, kind=Survey.Kind.BAROMETER,
                                    title_fr="Baromètre de satisfaction IT",
                                    title_en="IT satisfaction barometer",
                                    anonymity=anonymity, created_by=created_by, **fields)
    add = services.question_add
    add(survey, code="nps", type="nps", required=True,
        text_fr="Recommanderiez-vous la DSI à un collègue ?",
        text_en="Would you recommend IT to a colleague?")
    add(survey, code="why_low", type="text", text_fr="Qu'est-ce qui n'a pas été ?",
        text_en="What went wrong?", condition={"question": "nps", "op": "between",
                                               "min": 0, "max": 6})
    add(survey, code="csat", type="csat", text_fr="Êtes-vous satisfait ?",
        text_en="Are you satisfied?")
    add(survey, code="ces", type="ces", text_fr="C'était facile.", text_en="It was easy.")
    add(survey, code="scale", type="scale", scale_min=1, scale_max=10,
        label_min_fr="Pas du tout", label_min_en="Not at all",
        label_max_fr="Tout à fait", label_max_en="Completely",
        text_fr="Note globale", text_en="Overall rating")
    services.section_add(survey, title_fr="Qualité de service", title_en="Service quality")
    add(survey, code="grid", type="grid", required=True, options=GRID_ATTRIBUTES,
        text_fr="Importance et satisfaction", text_en="Importance and satisfaction")
    add(survey, code="tools", type="multiple", allow_other=True,
        options=[{"code": "teams", "label_fr": "Teams", "label_en": "Teams"},
                 {"code": "vpn", "label_fr": "VPN", "label_en": "VPN"},
                 {"code": "mail", "label_fr": "Messagerie", "label_en": "Email"}],
        text_fr="Outils utilisés", text_en="Tools used")
    add(survey, code="site_pref", type="single",
        options=[{"code": "office", "label_fr": "Au bureau", "label_en": "At the office"},
                 {"code": "home", "label_fr": "À domicile", "label_en": "At home"}],
        text_fr="Où travaillez-vous le plus ?", text_en="Where do you work most?")
    add(survey, code="comment", type="text", text_fr="Un commentaire ?",
        text_en="Any comment?")
    return survey


def full_answers(nps: int = 9) -> dict:
    answers = {
        "nps": nps, "csat": 4, "ces": 6, "scale": 8,
        "grid": {code: {"importance": 5, "satisfaction": 3}
                 for code in ("reactivite", "competence", "communication")},
        "tools": ["vpn", "other"], "tools.other": "Jira",
        "site_pref": "home", "comment": "Très bien dans l'ensemble",
    }
    if nps <= 6:
        answers["why_low"] = "Trop lent"
    return answers


def make_crowd(org, n: int = 40, prefix: str = "C") -> list[Person]:
    """``n`` people: a quarter in DG, a quarter in its sub-unit DSI, half in VEN; Paris and
    Lyon alternately; one in five in sales jobs; one in three speaking English."""
    units = [org["dg"], org["dsi"], org["sales"], org["sales"]]
    people = [Person(employee_id=f"{prefix}{i:03d}", first_name=f"Prénom{i}", last_name=f"Nom{i}",
                     email=f"{prefix.lower()}{i}@example.com", business_unit=units[i % 4],
                     site=org["paris"] if i % 2 == 0 else org["lyon"],
                     job_family=org["sell"] if i % 5 == 0 else org["it"],
                     language="en" if i % 3 == 0 else "fr")
              for i in range(n)]
    return Person.objects.bulk_create(people)


def plan(survey: Survey, **audience) -> Wave:
    return services.wave_create(survey, name="Printemps", opens_on=TODAY,
                             closes_on=TODAY + dt.timedelta(days=30), audience=audience,
                             reminder_days=[7, 14])


def make_export_survey(slug: str = "barometre", *,
                       anonymity: str = Survey.Anonymity.CONFIDENTIAL, **fields) -> Survey:
    """``make_barometer``'s barometer, plus a conditional numeric question and “other” on
    ``site_pref``."""
    survey = make_barometer(slug, anonymity=anonymity, **fields)
    services.question_add(survey, code="followup", type="csat", section=1,
                          text_fr="Et le suivi ?", text_en="And the follow-up?",
                          condition={"question": "nps", "op": "between", "min": 0, "max": 6})
    services.question_update(survey, "site_pref", allow_other=True)
    return survey


def answers_for(index: int, nps: int) -> dict:
    answers = full_answers(nps)
    if nps <= 6 and index != 4:
        answers["followup"] = 2  # index 4 (nps 0) sees the question and leaves it
    if index == 2:
        del answers["tools"], answers["tools.other"]
    if index == 3:
        answers["site_pref"], answers["site_pref.other"] = "other", "Coworking"
    if index == 5:
        answers["comment"] = "=1+1"
    return answers


def submit(survey: Survey, answers: dict, *, segment=SEGMENT, day: int = 3, **extra):
    return services.response_submit(
        survey=survey, answers=answers, channel=extra.pop("channel", "open_link"),
        segment=dict(zip(("unit_code", "site_code", "job_family_code"), segment, strict=True)),
        submitted_at=timezone.make_aware(dt.datetime(2025, 3, day, 14, 37)), **extra)


def fill(survey: Survey, count: int = 10, *, segments=None, **extra) -> list:
    segments = segments or [SEGMENT] * count
    return [submit(survey, answers_for(i, NPS_VALUES[i % 10]), segment=segments[i],
                   day=3 + i % 3, **extra) for i in range(count)]


# --- a positioning study's questionnaire (rating matrices) -------------------------------------

ALTERNATIVES = [
    {"code": "dsi", "label_fr": "La DSI", "label_en": "The IT department"},
    {"code": "saas", "label_fr": "Un outil en ligne", "label_en": "An online tool"},
    {"code": "diy", "label_fr": "Se débrouiller", "label_en": "Do it yourself"},
]
ATTRIBUTES = [
    {"code": "speed", "label_fr": "Rapidité", "label_en": "Speed"},
    {"code": "cost", "label_fr": "Coût", "label_en": "Cost"},
    {"code": "trust", "label_fr": "Confiance", "label_en": "Trust"},
]


def make_study(slug: str = "etude", **fields) -> Survey:
    """A study survey: ``ratings`` (required matrix, alternatives × attributes, 1–5 with end
    labels), ``why`` (text shown when ``ratings`` is answered) and ``importance`` (optional
    one-column matrix, default scale)."""
    survey = services.survey_create(slug=slug, kind=Survey.Kind.STUDY,
                                    title_fr="Étude de positionnement",
                                    title_en="Positioning study", **fields)
    services.question_add(
        survey, code="ratings", type="matrix", required=True, options=ATTRIBUTES,
        columns=ALTERNATIVES, scale_min=1, scale_max=5, label_min_fr="Très mal",
        label_min_en="Very poor", label_max_fr="Très bien", label_max_en="Very good",
        text_fr="Comment jugez-vous chacun ?", text_en="How do you rate each?")
    services.question_add(survey, code="why", type="text", text_fr="Pourquoi ?",
                          text_en="Why?", condition={"question": "ratings", "op": "answered"})
    services.question_add(
        survey, code="importance", type="matrix", options=ATTRIBUTES,
        columns=[{"code": "importance", "label_fr": "Importance", "label_en": "Importance"}],
        text_fr="Qu'est-ce qui compte ?", text_en="What matters?")
    return survey


def study_answers(i: int = 0) -> dict:
    """Ratings with an empty cell ("don't know" diy on trust) and a column left out when
    ``i`` is odd."""
    ratings = {"dsi": {"speed": 1 + i % 5, "cost": 3, "trust": 5},
               "saas": {"speed": 4, "cost": 2, "trust": 1}, "diy": {"speed": 2, "cost": 5}}
    if i % 2:
        del ratings["saas"]
    return {"ratings": ratings, "why": f"Parce que {i}",
            "importance": {"importance": {"speed": 5, "cost": 4, "trust": 3}}}


# --- answering pages (/s/): an open barometer, invitations, and pages posted as a browser does


def open_barometer(slug: str = "barometre", **fields) -> Survey:
    fields.setdefault("thanks_fr", "Merci pour vos réponses !")
    fields.setdefault("thanks_en", "Thank you for your answers!")
    fields.setdefault("intro_fr", "Dix minutes pour nous aider à progresser.")
    survey = make_barometer(slug, **fields)
    return services.survey_set_status(survey, Survey.Status.OPEN)


def invite(survey: Survey, person, *, language: str = "fr", wave: Wave | None = None):
    return Invitation.objects.create(survey=survey, version=survey.current_version(),
                                     person=person, email=person.email, language=language,
                                     wave=wave, **services.segment_of(person))


def url(invitation: Invitation, suffix: str = "") -> str:
    return f"/s/{invitation.token}/{suffix}"


def shown(response) -> list[str]:
    """The questions a page shows (the markers a browser would send back)."""
    return re.findall(r'name="_shown" value="([^"]+)"', response.content.decode())


def section_of(response) -> str:
    return re.search(r'name="section" value="(\d+)"', response.content.decode()).group(1)


def page_one(nps: int = 9, **extra) -> dict:
    data = {"nps": str(nps), "csat": "4", "ces": "6", "scale": "8"}
    data.update(extra)
    return data


def send(client: Client, path: str, data: dict, *, action: str = "next", page=None, **headers):
    """Post a page as a browser would: its section, its shown questions, its hidden fields."""
    page = page if page is not None else client.get(path)
    form = {"section": section_of(page), "action": action, "_shown": shown(page), **data}
    found = re.search(r'name="submission_id" value="([^"]+)"', page.content.decode())
    if found:
        form["submission_id"] = found.group(1)
    return client.post(path, form, **headers)


# --- the question types surveys from other tools use (numbers, dates, ranks, arrays…) ----------

ROWS = [
    {"code": "laptop", "label_fr": "Ordinateur", "label_en": "Laptop"},
    {"code": "phone", "label_fr": "Téléphone", "label_en": "Phone"},
    {"code": "screen", "label_fr": "Écran", "label_en": "Screen"},
]
YEARS = [
    {"code": "y1", "label_fr": "Cette année", "label_en": "This year"},
    {"code": "y2", "label_fr": "L’an prochain", "label_en": "Next year"},
]
DUAL_SCALES = [
    {"code": "imp", "label_fr": "Importance", "label_en": "Importance", "choices": [
        {"code": "low", "label_fr": "Faible", "label_en": "Low"},
        {"code": "high", "label_fr": "Forte", "label_en": "High"}]},
    {"code": "sat", "label_fr": "Satisfaction", "label_en": "Satisfaction", "choices": [
        {"code": "bad", "label_fr": "Mauvaise", "label_en": "Poor"},
        {"code": "ok", "label_fr": "Correcte", "label_en": "Fair"},
        {"code": "good", "label_fr": "Bonne", "label_en": "Good"}]},
]
#: One question of each answerable kind: code → (type, definition).
KIND_QUESTIONS = {
    "hours": ("numeric", {"settings": {"min": 0, "max": 80, "decimals": 1},
                          "text_fr": "Heures par semaine sur écran ?",
                          "text_en": "Hours a week on screen?"}),
    "devices": ("multinum", {"options": ROWS, "settings": {"min": 0, "max": 10},
                             "text_fr": "Combien d’appareils ?", "text_en": "How many devices?"}),
    "budget": ("constsum", {"options": ROWS, "settings": {"total": 100},
                            "text_fr": "Répartissez 100 points", "text_en": "Share 100 points"}),
    "mood": ("slider", {"settings": {"min": 0, "max": 10, "step": 0.5},
                        "text_fr": "Votre humeur ?", "text_en": "Your mood?"}),
    "since": ("date", {"settings": {"min": "2020-01-01", "max": "2030-12-31"},
                       "text_fr": "Depuis quand ?", "text_en": "Since when?"}),
    "meeting": ("date", {"settings": {"time": True}, "text_fr": "Prochain rendez-vous ?",
                         "text_en": "Next meeting?"}),
    "priorities": ("ranking", {"options": ROWS, "settings": {"top": 2},
                               "text_fr": "Classez vos priorités",
                               "text_en": "Rank your priorities"}),
    "spend": ("numarray", {"options": ROWS, "columns": YEARS, "settings": {"decimals": 2},
                           "text_fr": "Dépenses (k€)", "text_en": "Spending (k€)"}),
    "brands": ("textarray", {"options": ROWS, "columns": YEARS,
                             "text_fr": "Quelle marque ?", "text_en": "Which brand?"}),
    "dual": ("dualscale", {"options": ROWS, "settings": {"scales": DUAL_SCALES},
                           "text_fr": "Importance et satisfaction",
                           "text_en": "Importance and satisfaction"}),
}


def make_kinds_survey(slug: str = "types", *, required: bool = False, **fields) -> Survey:
    """A pulse with one question of each kind of ``question_kinds`` (all on one page), and
    ``why`` shown when ``hours`` is between 40 and 80."""
    fields.setdefault("anonymity", Survey.Anonymity.CONFIDENTIAL)
    survey = services.survey_create(slug=slug, kind=Survey.Kind.PULSE, title_fr="Équipement",
                                    title_en="Equipment", **fields)
    for code, (kind, definition) in KIND_QUESTIONS.items():
        services.question_add(survey, code=code, type=kind, required=required, **definition)
    services.question_add(survey, code="why", type="text", text_fr="Pourquoi autant ?",
                          text_en="Why so many?",
                          condition={"question": "hours", "op": "between", "min": 40,
                                     "max": 80})
    return survey


def kinds_answers(i: int = 0) -> dict:
    """Complete, valid answers to :func:`make_kinds_survey` (``i`` varies them)."""
    return {
        "hours": 30 + i * 2.5, "devices": {"laptop": 1, "phone": i % 3, "screen": 2},
        "budget": {"laptop": 50 + i, "phone": 30 - i, "screen": 20}, "mood": 7.5,
        "since": f"2024-0{1 + i % 9}-15", "meeting": "2026-12-08T09:30",
        "priorities": ["phone", "laptop"] if i % 2 else ["laptop", "screen"],
        "spend": {"laptop": {"y1": 1.25, "y2": 2}, "phone": {"y1": 0.5}},
        "brands": {"laptop": {"y1": "Dell", "y2": "Lenovo"}},
        "dual": {row["code"]: {"imp": "high", "sat": "ok"} for row in ROWS},
    }


def german_survey(languages: list[str] | None = None, **fields) -> Survey:
    """An open survey written in German and French, its German texts in translations; the
    question "why" has no German text (it falls back, marked)."""
    survey = services.survey_create(
        slug="bibliothek", kind=Survey.Kind.PULSE, title_fr="La bibliothèque",
        intro_fr="Bienvenue !", thanks_fr="Merci.", languages=languages or ["de", "fr"],
        translations={"de": {"title": "Die Bibliothek", "intro": "Willkommen!",
                             "thanks": "Danke schön."}}, **fields)
    services.question_add(
        survey, code="often", type="single", text_fr="Venez-vous souvent ?", required=True,
        options=[{"code": "w", "label_fr": "Chaque semaine", "label_en": "Every week"},
                 {"code": "m", "label_fr": "Chaque mois", "label_en": "Every month"}],
        translations={"de": {"text": "Wie oft kommen Sie?",
                             "options": {"w": "Jede Woche", "m": "Jeden Monat"}}})
    services.question_add(survey, code="why", type="text", text_fr="Pourquoi ?")
    services.survey_update(survey, open_link=True)
    return services.survey_set_status(survey, Survey.Status.OPEN)
