"""The demo's surveys answered in waves: the barometer, the remote-work pulse, the VPN survey.

Each wave invites a sample of the directory (segment codes copied on the invitation), and those
drawn answer — at their business unit's rate, on the day of the invitation or after a reminder.
The barometer's responses are anonymous: no respondent, no invitation, no time, and written in
a shuffled order so that nothing ties them to their invitations. Rows are written as the
tickets' are (:mod:`.rows`): a 200,000-person organisation has 400,000 barometer invitations.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable, Sequence
from random import Random
from typing import Any
from zoneinfo import ZoneInfo

from phare.catalog.models import Service
from phare.listening import demo_data as D
from phare.listening import services
from phare.listening.demo.people import (
    BATCH_SIZE,
    Contacts,
    Respondent,
    at,
    backdate,
    band,
    clamp,
    comment,
)
from phare.listening.demo.rows import (
    INVITATION_FIELDS,
    RESPONSE_FIELDS,
    Table,
    Values,
    last_id,
    reset_sequences,
    utc,
)
from phare.listening.models import Invitation, Response, Survey, SurveyVersion, Wave, new_token

ATTRIBUTE_CODES = [attribute.code for attribute in D.ATTRIBUTES]
INVITATION = Response.Channel.INVITATION.value


# --- Waves: invitations and responses ----------------------------------------------------------


def answer_day(rng: Random, length: int, reminders: Sequence[int]) -> int:
    """The day (after the invitation) someone answers: at once, or after a reminder."""
    draw = rng.random()
    if draw < 0.55 or not reminders:
        day = int(rng.expovariate(0.7))
    elif draw < 0.82 or len(reminders) == 1:
        day = reminders[0] + int(rng.expovariate(1.0))
    elif draw < 0.96:
        day = reminders[1] + int(rng.expovariate(1.0))
    else:
        day = rng.randrange(length + 1)
    return min(day, length)


def collect(rng: Random, *, survey: Survey, wave: Wave, invited: Sequence[Respondent],
            rate: Callable[[Respondent], float],
            answers: Callable[[Respondent], dict[str, Any]], contacts: Contacts,
            tz: ZoneInfo) -> None:
    """Invite ``invited`` to ``wave``; those drawn (``rate``) answer ``answers(person)``."""
    values = Values()
    when = values.when
    anonymous = survey.is_anonymous
    length = (wave.closes_on - wave.opens_on).days
    reminders = [day for day in wave.reminder_days if day < length]
    invitations, responses = Table(Invitation, INVITATION_FIELDS), Table(Response,
                                                                         RESPONSE_FIELDS)
    invitation_id = last_id(Invitation)
    for person in invited:
        invitation_id += 1
        sent_at = at(wave.opens_on, tz, 9 * 60 + rng.uniform(0, 90))
        contacts.add(person.pk, sent_at)
        segment = person.segment
        reminded, responded_on = reminders, None
        if rng.random() < rate(person):
            day = answer_day(rng, length, reminders)
            submitted_at = at(wave.opens_on + dt.timedelta(days=day), tz,
                              rng.uniform(8 * 60, 19 * 60))
            responded_on = submitted_at.date()
            reminded = [r for r in reminders if r < day]
            # Anonymous: no person, no invitation, only the day — as response_submit keeps it.
            responses.rows.append((
                values.uuid(uuid.uuid4()), survey.pk, wave.version_id, wave.pk, INVITATION,
                None, None if anonymous else person.pk, None if anonymous else invitation_id,
                person.language, segment["unit_code"], segment["site_code"],
                segment["job_family_code"], values.day(responded_on),
                None if anonymous else when(utc(submitted_at)), "",
                values.json(answers(person))))
        sent = when(utc(sent_at))
        invitations.rows.append((
            invitation_id, survey.pk, wave.version_id, wave.pk, person.pk, person.email,
            person.language, new_token(), segment["unit_code"], segment["site_code"],
            segment["job_family_code"], sent, sent, len(reminded),
            when(utc(sent_at + dt.timedelta(days=reminded[-1]))) if reminded else None,
            values.day(responded_on), values.json({})))
    invitations.write()
    if anonymous:
        rng.shuffle(responses.rows)  # no insertion order to match against the invitations'
    responses.write()
    reset_sequences(Invitation)


def new_wave(survey: Survey, number: int, spec: D.Wave, status: str, tz: ZoneInfo, *,
             sample: int | None, stratify_by: str | None, reminder_days: list[int]) -> Wave:
    wave = Wave.objects.create(
        survey=survey, version=survey.current_version(), number=number, name_fr=spec.name,
        name_en=spec.name_en,
        status=status, opens_on=spec.opens_on, closes_on=spec.closes_on,
        audience={"units": [], "sites": [], "job_families": [], "sample": sample,
                  "stratify_by": stratify_by},
        reminder_days=reminder_days)
    Wave.objects.filter(pk=wave.pk).update(
        created_at=at(spec.opens_on - dt.timedelta(days=21), tz, 10 * 60))
    return wave


def stratified(rng: Random, people: Sequence[Respondent], share: float) -> list[Respondent]:
    """``share`` of the people of each business unit (at least one per unit)."""
    by_unit: dict[str, list[Respondent]] = {}
    for person in people:
        if not person.opted_out:
            by_unit.setdefault(person.segment["unit_code"], []).append(person)
    chosen = []
    for unit in sorted(by_unit):
        members = by_unit[unit]
        chosen += rng.sample(members, max(1, round(len(members) * share)))
    return chosen


# --- The barometer -----------------------------------------------------------------------------


def barometer(rng: Random, people: list[Respondent], contacts: Contacts, author: Any,
              tz: ZoneInfo) -> tuple[Survey, list[Wave]]:
    survey = barometer_survey(author)
    waves = []
    for number, spec in enumerate(D.WAVES, start=1):
        if number == D.WORK_MODE_FROM_WAVE:
            # Asked from 2026 on: the earlier waves keep version 1, the later ones get 2.
            services.question_add(
                survey, code="work_mode", type="single", section=1, options=D.WORK_MODES,
                text_fr="Comment travaillez-vous le plus souvent ?",
                text_en="How do you work most of the time?")
            SurveyVersion.objects.filter(survey=survey, number=2).update(
                created_at=at(spec.opens_on - dt.timedelta(days=30), tz, 10 * 60))
        invited = stratified(rng, people, D.WAVE_SAMPLE_SHARE)
        wave = new_wave(survey, number, spec, Wave.Status.CLOSED, tz, sample=len(invited),
                        stratify_by="business_unit", reminder_days=D.REMINDER_DAYS)
        with_mode = number >= D.WORK_MODE_FROM_WAVE

        # Defaults bind this wave's values (a lambda with defaults has no type mypy infers).
        def rate(p: Respondent, s: D.Wave = spec) -> float:
            return p.profile.rate * s.rate

        def answers(p: Respondent, s: D.Wave = spec, m: bool = with_mode) -> dict[str, Any]:
            return barometer_answers(rng, p, s, m)

        collect(rng, survey=survey, wave=wave, invited=invited, rate=rate, answers=answers,
                contacts=contacts, tz=tz)
        waves.append(wave)
    waves.append(new_wave(survey, len(D.WAVES) + 1, D.PLANNED_WAVE, Wave.Status.PLANNED, tz,
                          sample=None, stratify_by=None, reminder_days=D.REMINDER_DAYS))
    backdate(survey, at(D.WAVES[0].opens_on - dt.timedelta(days=45), tz, 10 * 60))
    return survey, waves


def barometer_survey(author: Any) -> Survey:
    survey = services.survey_create(
        slug=D.BAROMETER_SLUG, kind=Survey.Kind.BAROMETER, title_fr=D.BAROMETER_TITLE[0],
        title_en=D.BAROMETER_TITLE[1], intro_fr=D.BAROMETER_INTRO[0],
        intro_en=D.BAROMETER_INTRO[1], thanks_fr=D.BAROMETER_THANKS[0],
        thanks_en=D.BAROMETER_THANKS[1], anonymity=Survey.Anonymity.ANONYMOUS,
        created_by=author)
    survey.current_version().sections.update(title_fr="Votre avis général",
                                             title_en="Your overall opinion")
    add = services.question_add
    add(survey, code="nps", type="nps", required=True,
        text_fr="Recommanderiez-vous les services de la DSI à un collègue ?",
        text_en="Would you recommend IT's services to a colleague?",
        label_min_fr="Pas du tout probable", label_min_en="Not at all likely",
        label_max_fr="Très probable", label_max_en="Extremely likely")
    add(survey, code="why_low", type="text",
        text_fr="Que devrions-nous améliorer en priorité ?",
        text_en="What should we improve first?",
        condition={"question": "nps", "op": "between", "min": 0, "max": 6})
    add(survey, code="csat", type="csat", required=True,
        text_fr="Globalement, êtes-vous satisfait de l'informatique au quotidien ?",
        text_en="Overall, how satisfied are you with IT day to day?")
    services.section_add(survey, title_fr="Ce qui compte pour vous",
                         title_en="What matters to you")
    add(survey, code="grid", type="grid", required=True,
        options=[{"code": a.code, "label_fr": a.label_fr, "label_en": a.label_en}
                 for a in D.ATTRIBUTES],
        text_fr="Pour chaque point : quelle importance a-t-il pour vous, et en êtes-vous "
                "satisfait ?",
        text_en="For each item: how important is it to you, and how satisfied are you?",
        label_min_fr="Faible", label_min_en="Low", label_max_fr="Forte", label_max_en="High")
    add(survey, code="comment", type="text", text_fr="Un commentaire, une suggestion ?",
        text_en="Any comment or suggestion?")
    services.survey_set_status(survey, Survey.Status.OPEN)
    return survey


def barometer_answers(rng: Random, person: Respondent, wave: D.Wave,
                      with_work_mode: bool) -> dict[str, Any]:
    """Satisfaction with each attribute from the person's mood, unit, way of working and the
    wave's trends; the NPS and CSAT from those satisfactions (:data:`DRIVER_WEIGHTS`)."""
    profile = person.profile
    mode_shifts = D.WORK_MODE_SHIFTS.get(person.work_mode, {})
    grid, ratings = {}, {}
    latent = D.NPS_BASE + 0.5 * person.mood + rng.gauss(0, D.NPS_NOISE)
    for attribute in D.ATTRIBUTES:
        code = attribute.code
        level = (attribute.satisfaction + wave.trends.get(code, 0.0) + profile.mood
                 + profile.shifts.get(code, 0.0) + mode_shifts.get(code, 0.0)
                 + 0.8 * person.mood + rng.gauss(0, D.RATING_NOISE))
        ratings[code] = clamp(level, 1, 5)
        grid[code] = {"importance": clamp(attribute.importance + rng.gauss(0, 0.7), 1, 5),
                      "satisfaction": ratings[code]}
        latent += D.DRIVER_WEIGHTS[code] * (ratings[code] - attribute.satisfaction)
    nps = clamp(latent, 0, 10)
    answers: dict[str, Any] = {
        "nps": nps, "csat": clamp(3.3 + 0.5 * (latent - D.NPS_BASE) + rng.gauss(0, 0.45), 1, 5),
        "grid": grid}
    if with_work_mode:
        answers["work_mode"] = person.work_mode
    mood = band(nps)
    if rng.random() >= D.BAROMETER_TEXT_SHARE[mood]:
        return answers
    themes = barometer_themes(rng, person, ratings, mood)
    if mood == "low" and rng.random() < D.DETRACTOR_WHY_SHARE:
        # Detractors are asked what to improve first: most answer there, tersely.
        answers["why_low"] = comment(rng, person.language, mood, themes[:1], framed=False)
        if rng.random() < 0.25:
            answers["comment"] = comment(rng, person.language, mood, themes[1:] or themes)
    else:
        answers["comment"] = comment(rng, person.language, mood, themes)
    return answers


def barometer_themes(rng: Random, person: Respondent, ratings: dict[str, int],
                     mood: str) -> list[str]:
    """What someone writes about: the low-rated attributes that weigh most on the NPS when
    unhappy (so slow resolution dominates), the best-rated ones when happy, both in between."""
    def pick(low: bool) -> str | None:
        candidates = [code for code in ATTRIBUTE_CODES
                      if (ratings[code] <= 3 if low else ratings[code] >= 4)]
        if not candidates:
            return None
        weights = [D.DRIVER_WEIGHTS[c] * ((5 - ratings[c]) if low else (ratings[c] - 2)) + 0.05
                   for c in candidates]
        code = rng.choices(candidates, weights=weights)[0]
        if code == "outils" and low:  # remote workers complain about the VPN
            return "vpn" if person.work_mode != "site" else "old_laptop"
        negative, positive = D.ATTRIBUTE_THEMES[code]
        return rng.choice(negative if low else positive)

    wanted = {"low": [True, True], "mid": [False, True], "high": [False, False]}[mood]
    if rng.random() < 0.5:
        wanted = wanted[:1]
    themes: list[str] = []
    for low in wanted:
        theme = pick(low)
        if theme and theme not in themes:
            themes.append(theme)
    return themes or (["ok_but"] if mood != "high" else ["friendly_tech"])


# --- The pulse and the service survey ----------------------------------------------------------


def pulse(rng: Random, people: list[Respondent], contacts: Contacts, author: Any,
          tz: ZoneInfo) -> tuple[Survey, list[Wave]]:
    survey = services.survey_create(
        slug=D.PULSE_SLUG, kind=Survey.Kind.PULSE, title_fr=D.PULSE_TITLE[0],
        title_en=D.PULSE_TITLE[1], anonymity=Survey.Anonymity.ANONYMOUS, created_by=author)
    add = services.question_add
    add(survey, code="csat", type="csat", required=True,
        text_fr="Êtes-vous satisfait de vos outils pour travailler à distance ?",
        text_en="Are you satisfied with your tools for working remotely?")
    add(survey, code="ces", type="ces", text_fr="Travailler à distance est facile.",
        text_en="Working remotely is easy.")
    add(survey, code="days", type="single", options=D.PULSE_DAYS,
        text_fr="Combien de jours par semaine travaillez-vous à distance ?",
        text_en="How many days a week do you work remotely?")
    add(survey, code="pains", type="multiple", options=D.PULSE_PAINS,
        text_fr="Qu'est-ce qui vous gêne le plus ?", text_en="What bothers you most?")
    add(survey, code="comment", type="text", text_fr="Un commentaire ?", text_en="Any comment?")
    services.survey_set_status(survey, Survey.Status.OPEN)
    # The people it concerns: those who work away from the office at least sometimes.
    remote = [p for p in people if p.work_mode != "site" and not p.opted_out]
    invited = rng.sample(remote, min(len(remote), D.PULSE_INVITED))
    wave = new_wave(survey, 1, D.PULSE_WAVE, Wave.Status.CLOSED, tz, sample=len(invited),
                    stratify_by=None, reminder_days=[5])
    collect(rng, survey=survey, wave=wave, invited=invited,
            rate=lambda p: p.profile.rate * 1.2, answers=lambda p: pulse_answers(rng, p),
            contacts=contacts, tz=tz)
    services.survey_set_status(survey, Survey.Status.CLOSED)
    backdate(survey, at(D.PULSE_WAVE.opens_on - dt.timedelta(days=20), tz, 10 * 60))
    return survey, [wave]


def pains(rng: Random, person: Respondent, chances: dict[str, float]) -> list[str]:
    factor = 1.6 if person.work_mode == "remote" else 1.0
    return [code for code in chances if rng.random() < chances[code] * factor]


def pulse_answers(rng: Random, person: Respondent) -> dict[str, Any]:
    chosen = pains(rng, person, {"vpn": 0.35, "visio": 0.15, "home_wifi": 0.2, "screen": 0.15,
                                 "files": 0.1})
    level = 3.7 + person.mood + person.profile.mood - 0.45 * len(chosen) + rng.gauss(0, 0.6)
    csat = clamp(level, 1, 5)
    answers: dict[str, Any] = {
        "csat": csat, "ces": clamp(level + 1.6 + rng.gauss(0, 0.8), 1, 7),
        "days": "three_more" if person.work_mode == "remote" else rng.choice(
            ["one_two", "one_two", "none"])}
    if chosen:
        answers["pains"] = chosen
    if rng.random() < 0.3:
        mood = "low" if csat <= 2 else "mid" if csat == 3 else "high"
        themes = {"low": ["vpn" if "vpn" in chosen or not chosen else "no_training"],
                  "mid": ["ok_but"], "high": ["new_laptop" if csat == 5 else "reachable"]}
        answers["comment"] = comment(rng, person.language, mood, themes[mood])
    return answers


def service_survey(rng: Random, people: list[Respondent], contacts: Contacts, author: Any,
                   tz: ZoneInfo, service: Service) -> tuple[Survey, list[Wave]]:
    """A confidential survey of one catalogue service: a campaign, then its shared link."""
    survey = services.survey_create(
        slug=D.SERVICE_SLUG, kind=Survey.Kind.SERVICE, title_fr=D.SERVICE_TITLE[0],
        title_en=D.SERVICE_TITLE[1], anonymity=Survey.Anonymity.CONFIDENTIAL, service=service,
        open_link=True, created_by=author)
    add = services.question_add
    add(survey, code="csat", type="csat", required=True,
        text_fr="Êtes-vous satisfait de l'accès à distance (VPN) ?",
        text_en="Are you satisfied with remote access (VPN)?")
    add(survey, code="ces", type="ces", text_fr="Se connecter à distance est facile.",
        text_en="Connecting remotely is easy.")
    add(survey, code="issues", type="multiple", options=D.SERVICE_ISSUES,
        text_fr="Quels problèmes avez-vous rencontrés ce mois-ci ?",
        text_en="Which problems did you have this month?")
    add(survey, code="comment", type="text", text_fr="Que faudrait-il améliorer ?",
        text_en="What should be improved?")
    services.survey_set_status(survey, Survey.Status.OPEN)
    remote = [p for p in people if p.work_mode != "site" and not p.opted_out]
    invited = rng.sample(remote, min(len(remote), D.SERVICE_INVITED))
    wave = new_wave(survey, 1, D.SERVICE_WAVE, Wave.Status.CLOSED, tz, sample=len(invited),
                    stratify_by=None, reminder_days=[7])
    collect(rng, survey=survey, wave=wave, invited=invited,
            rate=lambda p: p.profile.rate, answers=lambda p: service_answers(rng, p),
            contacts=contacts, tz=tz)
    # Then the link on the intranet: answers from people it does not know, with the client's
    # idempotency key as the answering page sends it.
    version = survey.current_version()
    stranger = Respondent(pk=0, language="fr", email="", segment={}, profile=D.DEFAULT_PROFILE,
                          requests=1.0, mood=0.0, work_mode="hybrid")
    published = at(D.SERVICE_WAVE.closes_on, tz, 0)
    responses = []
    for _ in range(D.SERVICE_OPEN_LINK_RESPONSES):
        stranger.language = "en" if rng.random() < 0.15 else "fr"
        stranger.mood = rng.gauss(0, D.MOOD_SPREAD)
        when = published + dt.timedelta(minutes=rng.uniform(60, 28 * 24 * 60))
        responses.append(Response(
            survey=survey, version=version, channel=Response.Channel.OPEN_LINK,
            submission_id=uuid.UUID(int=rng.getrandbits(128), version=4),
            language=stranger.language, submitted_on=when.date(), submitted_at=when,
            answers=service_answers(rng, stranger)))
    Response.objects.bulk_create(responses, batch_size=BATCH_SIZE)
    backdate(survey, at(D.SERVICE_WAVE.opens_on - dt.timedelta(days=20), tz, 10 * 60))
    return survey, [wave]


def service_answers(rng: Random, person: Respondent) -> dict[str, Any]:
    issues = pains(rng, person, {"drops": 0.4, "slow": 0.3, "mfa": 0.2, "connect": 0.15})
    level = (3.9 + person.mood + 0.5 * person.profile.mood - 0.6 * len(issues)
             + rng.gauss(0, 0.55))
    csat = clamp(level, 1, 5)
    answers: dict[str, Any] = {"csat": csat, "ces": clamp(level + 1.5 + rng.gauss(0, 0.8), 1, 7),
                               "issues": issues or ["none"]}
    if rng.random() < 0.35:
        mood = "low" if csat <= 2 else "mid" if csat == 3 else "high"
        themes = {"low": ["vpn", "mfa"] if "mfa" in issues else ["vpn"], "mid": ["ok_but"],
                  "high": ["fast" if rng.random() < 0.5 else "secure"]}
        answers["comment"] = comment(rng, person.language, mood, themes[mood], "vpn")
    return answers
