"""Writes of waves and invitations: planning a wave (its audience checked), launching it (one
invitation per person, after contact pressure), sending and reminding (as background jobs),
closing the waves past their day, and a person's opt-out.

A wave's audience is a rule on the directory (business units with their sub-units, sites, job
families, optionally a random or stratified sample of N, reproducible with its seed); who it
reaches is read by :mod:`phare.listening.queries`. The emails themselves go out in a background
job (:mod:`phare.listening.jobs`, :mod:`phare.listening.mailing`).
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterable, Mapping
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from phare.contact.services import lock_people
from phare.directory.models import BusinessUnit, JobFamily, Person, Site
from phare.jobs.models import Job
from phare.jobs.services import job_start
from phare.listening import pressure
from phare.listening.errors import ListeningError, WaveConflict
from phare.listening.models import Invitation, OptOut, Survey, Wave
from phare.listening.queries import STRATA, audience_people, sample_people
from phare.listening.services.surveys import survey_set_status

AUDIENCE_LISTS = {"units": BusinessUnit, "sites": Site, "job_families": JobFamily}
AUDIENCE_KEYS = (*AUDIENCE_LISTS, "sample", "stratify_by", "seed")
MAX_REMINDERS = 10

#: Why people of a wave's audience were left out at its launch: contact pressure's reasons
#: (each with its label: ``phare.contact.policy.reason_label``).
LEFT_OUT = pressure.REASONS

#: The kinds of the jobs that send a wave's emails (:mod:`phare.listening.jobs`).
SEND_INVITATIONS = "listening.send_invitations"
SEND_REMINDERS = "listening.send_reminders"


# --- audience -----------------------------------------------------------------------------------

def _unknown_message(key: str, codes: list[str]) -> str:
    listed = ", ".join(codes)
    if key == "units":
        return _("These business units do not exist: %s.") % listed
    if key == "sites":
        return _("These sites do not exist: %s.") % listed
    return _("These job families do not exist: %s.") % listed


def clean_audience(audience: Mapping[str, Any] | None) -> dict[str, Any]:
    """The audience checked and in its stored shape; :class:`ListeningError` names the field.

    The planning form's preview checks with it too, so that it refuses what planning would.
    """
    audience = dict(audience or {})
    unknown = sorted(set(audience) - set(AUDIENCE_KEYS))
    if unknown:
        raise ListeningError(_("Unknown audience settings: %s.") % ", ".join(unknown),
                             field="audience")
    cleaned: dict[str, Any] = {}
    for key, model in AUDIENCE_LISTS.items():
        codes = audience.get(key) or []
        if isinstance(codes, str) or not all(isinstance(code, str) for code in codes):
            raise ListeningError(_("Expected a list of codes."), field=f"audience.{key}")
        codes = sorted({code.strip() for code in codes if code.strip()})
        known = set(model._default_manager.filter(code__in=codes).values_list("code", flat=True))
        missing = [code for code in codes if code not in known]
        if missing:
            raise ListeningError(_unknown_message(key, missing), field=f"audience.{key}")
        cleaned[key] = codes
    sample = audience.get("sample")
    if sample is not None and (isinstance(sample, bool) or not isinstance(sample, int)
                               or sample < 1):
        raise ListeningError(_("A sample size is a whole number of at least 1."),
                             field="audience.sample")
    cleaned["sample"] = sample
    stratify_by = audience.get("stratify_by") or None
    if stratify_by is not None and stratify_by not in STRATA:
        raise ListeningError(_("A sample is stratified by business unit, site or job family."),
                             field="audience.stratify_by")
    if stratify_by is not None and sample is None:
        raise ListeningError(_("Stratifying needs a sample size."), field="audience.stratify_by")
    cleaned["stratify_by"] = stratify_by
    seed = audience.get("seed")
    if seed is None:
        # Drawn once and kept: the same wave always selects the same people.
        seed = random.SystemRandom().randrange(1, 2**31)
    if isinstance(seed, bool) or not isinstance(seed, int):
        raise ListeningError(_("The seed is a whole number."), field="audience.seed")
    cleaned["seed"] = seed
    return cleaned


# --- waves --------------------------------------------------------------------------------------

def _clean_reminder_days(days: Iterable[Any]) -> list[int]:
    days = list(days or [])
    if any(isinstance(d, bool) or not isinstance(d, int) or d < 1 for d in days):
        raise ListeningError(_("Reminder days are whole numbers of days of at least 1."),
                             field="reminder_days")
    if days != sorted(set(days)):
        raise ListeningError(_("Reminder days go in increasing order, each once."),
                             field="reminder_days")
    if len(days) > MAX_REMINDERS:
        raise ListeningError(_("At most %d reminders.") % MAX_REMINDERS, field="reminder_days")
    return days


@transaction.atomic
def wave_create(survey: Survey, *, name: str, opens_on: dt.date, closes_on: dt.date,
                name_en: str = "", audience: Mapping[str, Any] | None = None,
                reminder_days: Iterable[int] = ()) -> Wave:
    """A planned wave with the next number, collecting with the survey's current version;
    ``name`` is its French name, ``name_en`` its English one (empty: French for everyone)."""
    survey = Survey.objects.select_for_update().get(pk=survey.pk)
    if survey.kind == Survey.Kind.TRANSACTIONAL:
        raise ListeningError(_("Ticket feedback is sent for each closed ticket, not in waves."),
                             field="survey")
    if survey.status == Survey.Status.CLOSED:
        raise WaveConflict(_("This survey is closed."), field="survey")
    name = (name or "").strip()
    if not name:
        raise ListeningError(_("A wave needs a name."), field="name")
    if len(name) > 120:
        raise ListeningError(_("At most 120 characters."), field="name")
    name_en = (name_en or "").strip()
    if len(name_en) > 120:
        raise ListeningError(_("At most 120 characters."), field="name_en")
    if closes_on < opens_on:
        raise ListeningError(_("A wave closes on or after the day it opens."), field="closes_on")
    days = _clean_reminder_days(reminder_days)
    cleaned = clean_audience(audience)
    number = (survey.waves.aggregate(last=Max("number"))["last"] or 0) + 1
    return Wave.objects.create(survey=survey, version=survey.current_version(), number=number,
                               name_fr=name, name_en=name_en, opens_on=opens_on,
                               closes_on=closes_on, audience=cleaned, reminder_days=days)


def _invitation_rows(person_ids: list[int]) -> Iterable[Mapping[str, Any]]:
    for start in range(0, len(person_ids), 2000):
        yield from Person.objects.filter(pk__in=person_ids[start:start + 2000]).values(
            "pk", "email", "language", "business_unit__code", "site__code", "job_family__code")


def _job_title(wave: Wave, what: str) -> str:
    return f"{what}: {wave.survey.title} — {wave.name}"


@transaction.atomic
def wave_launch(wave: Wave, *, user: Any = None, now: dt.datetime | None = None) -> dict[str, Any]:
    """Invite the wave's audience (one invitation each, in one transaction) and start sending.

    Those refused by contact pressure are left out before sampling, so a sample of N reaches N
    people when the audience allows it; the answer counts them by reason (:data:`LEFT_OUT`).
    A draft survey is opened (it must have questions).
    """
    now = now or timezone.now()
    given, wave = wave, Wave.objects.select_for_update().select_related("survey").get(pk=wave.pk)
    survey = wave.survey
    if wave.status != Wave.Status.PLANNED:
        raise WaveConflict(_("This wave was already launched."), field="status")
    if survey.status == Survey.Status.CLOSED:
        raise WaveConflict(_("This survey is closed: open it again to launch a wave."),
                           field="status")
    if timezone.localdate(now) > wave.closes_on:
        raise WaveConflict(_("This wave's closing day has passed."), field="closes_on")
    if survey.status == Survey.Status.DRAFT:
        survey_set_status(survey, Survey.Status.OPEN)  # refuses a survey without questions
    elif not survey.current_version().questions.exists():
        raise ListeningError(_("A survey without questions cannot be opened."), field="status")
    audience = wave.audience or {}
    people = audience_people(audience)
    population = list(people.values_list("pk", flat=True))
    if not population:
        raise ListeningError(_("Nobody in the directory matches this audience."),
                             field="audience")
    # The people's rows locked (in id order, as every sender does) before their budget is
    # counted: a campaign's claim for the same people waits for this launch, or this launch
    # for it, and the second counts what the first recorded.
    lock_people(person_ids=population)
    refused = pressure.refusals(population, now=now)
    chosen = sample_people(people, audience.get("sample"), stratify_by=audience.get("stratify_by"),
                           seed=audience.get("seed") or 0, exclude=refused)
    version = survey.current_version()
    invitations = [
        Invitation(survey=survey, version=version, wave=wave, person_id=row["pk"],
                   email=row["email"], language=row["language"] or "fr",
                   unit_code=row["business_unit__code"] or "", site_code=row["site__code"] or "",
                   job_family_code=row["job_family__code"] or "")
        for row in _invitation_rows(chosen)]
    Invitation.objects.bulk_create(invitations, batch_size=1000)
    wave.status, wave.version = Wave.Status.OPEN, version
    wave.save(update_fields=["status", "version"])
    given.status, given.version = wave.status, version
    reasons = list(refused.values())
    job = job_start(kind=SEND_INVITATIONS, title=_job_title(wave, _("Invitations")), user=user,
                    params={"wave_id": wave.pk})
    return {"population": len(population), "invited": len(invitations),
            **{reason: reasons.count(reason) for reason in LEFT_OUT}, "job": str(job.pk)}


def wave_send(wave: Wave, *, user: Any = None) -> Job:
    """Send the invitations not sent yet (after a mail server failure, for instance)."""
    wave = Wave.objects.select_related("survey").get(pk=wave.pk)
    if wave.status != Wave.Status.OPEN:
        raise WaveConflict(_("Only an open wave sends invitations."), field="status")
    if wave.survey.status != Survey.Status.OPEN:
        raise WaveConflict(_("This survey is closed."), field="status")
    if not wave.invitations.filter(sent_at__isnull=True).exists():
        raise WaveConflict(_("Every invitation of this wave was sent."), field="status")
    return job_start(kind=SEND_INVITATIONS, title=_job_title(wave, _("Invitations")), user=user,
                     params={"wave_id": wave.pk})


def wave_remind(wave: Wave, *, user: Any = None) -> Job:
    """Remind now every non-respondent of an open wave (counted as one of their reminders).

    Each reminder asks the one contact-pressure budget
    (:func:`phare.listening.mailing.send_reminders`): those it refuses now are held, counted in
    the job's result (``held`` by reason, labelled by :func:`phare.listening.pressure.left_out`),
    and reminded at a later tick when a reminder of the wave is due for them."""
    wave = Wave.objects.select_related("survey").get(pk=wave.pk)
    if wave.status != Wave.Status.OPEN:
        raise WaveConflict(_("Only an open wave sends reminders."), field="status")
    if wave.survey.status != Survey.Status.OPEN:
        raise WaveConflict(_("This survey is closed."), field="status")
    return job_start(kind=SEND_REMINDERS, title=_job_title(wave, _("Reminders")), user=user,
                     params={"wave_id": wave.pk})


def close_past_waves(now: dt.datetime | None = None) -> int:
    """Close the open waves whose closing day has passed; how many were closed."""
    today = timezone.localdate(now or timezone.now())
    return Wave.objects.filter(status=Wave.Status.OPEN, closes_on__lt=today).update(
        status=Wave.Status.CLOSED)


# --- opt-outs -----------------------------------------------------------------------------------

def opt_out_record(*, person_id: int) -> OptOut:
    """Record that the person wants no more survey invitations (idempotent); contact pressure
    (:mod:`phare.listening.pressure`) then refuses every invitation to them."""
    return OptOut.objects.get_or_create(person_id=person_id)[0]


def opt_out_withdraw(*, person_id: int) -> None:
    """The person takes their opt-out back (nothing when they had none): invitations may reach
    them again."""
    OptOut.objects.filter(person_id=person_id).delete()
