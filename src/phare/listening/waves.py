"""Waves: who is invited (audience, sample), launching, reminders due, response rates.

A wave's audience is a rule on the directory (business units with their sub-units, sites, job
families, optionally a random or stratified sample of N, reproducible with its seed); launching
turns it into one invitation per person, after contact pressure (:mod:`.pressure`) refused those
who opted out or were asked too often. The emails themselves go out in a background job
(:mod:`.jobs`, :mod:`.mailing`).
"""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from collections.abc import Iterable, Mapping
from typing import Any

from django.db import transaction
from django.db.models import Count, Max, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from phare.directory.models import BusinessUnit, JobFamily, Person, Site
from phare.directory.queries import unit_and_descendants
from phare.jobs.models import Job
from phare.jobs.services import job_start
from phare.listening import pressure, services
from phare.listening.models import Invitation, OptOut, Survey, Wave
from phare.listening.services import ListeningError

#: How a sample may be stratified, and the person's field holding the stratum's code.
STRATA = {"business_unit": "business_unit__code", "site": "site__code",
          "job_family": "job_family__code"}
#: Segments of the response rate: name → (invitation field, directory model).
SEGMENTS = {"business_unit": ("unit_code", BusinessUnit), "site": ("site_code", Site),
            "job_family": ("job_family_code", JobFamily)}
AUDIENCE_LISTS = {"units": BusinessUnit, "sites": Site, "job_families": JobFamily}
AUDIENCE_KEYS = (*AUDIENCE_LISTS, "sample", "stratify_by", "seed")
#: Nobody is reminded twice within this time, nor the day they were invited.
REMINDER_GAP = dt.timedelta(days=1)
MAX_REMINDERS = 10

SEND_INVITATIONS = "listening.send_invitations"
SEND_REMINDERS = "listening.send_reminders"


class WaveConflict(ListeningError):
    """The wave is not in a state that allows this (already launched, closed…)."""


# --- audience -----------------------------------------------------------------------------------

def _unknown_message(key: str, codes: list[str]) -> str:
    listed = ", ".join(codes)
    if key == "units":
        return _("These business units do not exist: %s.") % listed
    if key == "sites":
        return _("These sites do not exist: %s.") % listed
    return _("These job families do not exist: %s.") % listed


def clean_audience(audience: Mapping[str, Any] | None) -> dict[str, Any]:
    """The audience checked and in its stored shape; :class:`ListeningError` names the field."""
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
        known = set(model.objects.filter(code__in=codes).values_list("code", flat=True))
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


def audience_people(audience: Mapping[str, Any]) -> QuerySet[Person]:
    """Active people with an email matching every list that names something (one of its codes;
    a business unit includes its sub-units)."""
    people = Person.objects.filter(active=True).exclude(email="")
    units = audience.get("units") or []
    if units:
        ids = set().union(*(unit_and_descendants(code) for code in units))
        people = people.filter(business_unit_id__in=sorted(ids))
    if audience.get("sites"):
        people = people.filter(site__code__in=audience["sites"])
    if audience.get("job_families"):
        people = people.filter(job_family__code__in=audience["job_families"])
    return people


def allocate(sizes: Mapping[str, int], n: int) -> dict[str, int]:
    """Proportional allocation of ``n`` among strata of ``sizes`` by largest remainder; every
    stratum gets at least one when ``n`` allows it, and never more than its size."""
    keys = sorted(sizes)
    total = sum(sizes.values())
    if n >= total:
        return {key: sizes[key] for key in keys}
    order = {key: index for index, key in enumerate(keys)}
    quota = {key: n * sizes[key] / total for key in keys}
    minimum = 1 if n >= sum(1 for key in keys if sizes[key]) else 0
    share = {key: min(sizes[key], max(int(quota[key]), minimum if sizes[key] else 0))
             for key in keys}
    while sum(share.values()) > n:  # the minimums overshot: take from the most over-served
        key = max((k for k in keys if share[k] > minimum),
                  key=lambda k: (share[k] - quota[k], -order[k]))
        share[key] -= 1
    while sum(share.values()) < n:  # largest remainders first; ties to the first code
        key = max((k for k in keys if share[k] < sizes[k]),
                  key=lambda k: (quota[k] - share[k], -order[k]))
        share[key] += 1
    return share


def _rows(people: QuerySet[Person], stratify_by: str | None) -> list[tuple[int, str]]:
    if stratify_by:
        return [(pk, code or "") for pk, code in
                people.order_by("pk").values_list("pk", STRATA[stratify_by])]
    return [(pk, "") for pk in people.order_by("pk").values_list("pk", flat=True)]


def sample_people(people: QuerySet[Person], n: int | None, *, stratify_by: str | None = None,
                  seed: int = 0, exclude: Iterable[int] = ()) -> list[int]:
    """Ids of a simple random sample of ``n`` people (all of them when ``n`` is None), or of a
    proportional stratified sample; the same seed and people give the same sample."""
    excluded = set(exclude)
    rows = [row for row in _rows(people, stratify_by) if row[0] not in excluded]
    rng = random.Random(seed)
    if n is None or n >= len(rows):
        return [pk for pk, _code in rows]
    if not stratify_by:
        return sorted(rng.sample([pk for pk, _code in rows], n))
    strata: dict[str, list[int]] = defaultdict(list)
    for pk, code in rows:
        strata[code].append(pk)
    shares = allocate({code: len(ids) for code, ids in strata.items()}, n)
    chosen: list[int] = []
    for code in sorted(strata):
        chosen.extend(rng.sample(strata[code], shares[code]))
    return sorted(chosen)


def _names(model: Any) -> dict[str, str]:
    return dict(model.objects.values_list("code", "name"))


def audience_preview(audience: Mapping[str, Any]) -> dict[str, Any]:
    """How many people the audience reaches, the sample size, and each stratum's share."""
    people = audience_people(audience)
    population = people.count()
    sample = audience.get("sample")
    size = population if sample is None else min(sample, population)
    strata = []
    stratify_by = audience.get("stratify_by")
    if stratify_by:
        field = STRATA[stratify_by]
        sizes = {row[field] or "": row["n"] for row in
                 people.values(field).annotate(n=Count("pk")).order_by(field)}
        shares = allocate(sizes, size)
        names = _names(SEGMENTS[stratify_by][1])
        strata = [{"code": code, "name": names.get(code, _("Not specified")),
                   "population": sizes[code], "sample": shares[code]} for code in sorted(sizes)]
    return {"population": population, "sample_size": size, "strata": strata}


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
                audience: Mapping[str, Any] | None = None,
                reminder_days: Iterable[int] = ()) -> Wave:
    """A planned wave with the next number, collecting with the survey's current version."""
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
    if closes_on < opens_on:
        raise ListeningError(_("A wave closes on or after the day it opens."), field="closes_on")
    days = _clean_reminder_days(reminder_days)
    cleaned = clean_audience(audience)
    number = (survey.waves.aggregate(last=Max("number"))["last"] or 0) + 1
    return Wave.objects.create(survey=survey, version=survey.current_version(), number=number,
                               name=name, opens_on=opens_on, closes_on=closes_on,
                               audience=cleaned, reminder_days=days)


def _invitation_rows(person_ids: list[int]) -> Iterable[dict[str, Any]]:
    for start in range(0, len(person_ids), 2000):
        yield from Person.objects.filter(pk__in=person_ids[start:start + 2000]).values(
            "pk", "email", "language", "business_unit__code", "site__code", "job_family__code")


def _job_title(wave: Wave, what: str) -> str:
    return f"{what}: {wave.survey.title} — {wave.name}"


@transaction.atomic
def wave_launch(wave: Wave, *, user: Any = None, now: dt.datetime | None = None) -> dict[str, Any]:
    """Invite the wave's audience (one invitation each, in one transaction) and start sending.

    Those refused by contact pressure are left out before sampling, so a sample of N reaches N
    people when the audience allows it. A draft survey is opened (it must have questions).
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
        services.survey_set_status(survey, Survey.Status.OPEN)  # refuses a survey without questions
    elif not survey.current_version().questions.exists():
        raise ListeningError(_("A survey without questions cannot be opened."), field="status")
    audience = wave.audience or {}
    people = audience_people(audience)
    population = list(people.values_list("pk", flat=True))
    if not population:
        raise ListeningError(_("Nobody in the directory matches this audience."),
                             field="audience")
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
            "opted_out": reasons.count(pressure.OPTED_OUT),
            "contact_cap": reasons.count(pressure.CONTACT_CAP), "job": str(job.pk)}


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
    """Remind now every non-respondent of an open wave (counted as one of their reminders)."""
    wave = Wave.objects.select_related("survey").get(pk=wave.pk)
    if wave.status != Wave.Status.OPEN:
        raise WaveConflict(_("Only an open wave sends reminders."), field="status")
    if wave.survey.status != Survey.Status.OPEN:
        raise WaveConflict(_("This survey is closed."), field="status")
    return job_start(kind=SEND_REMINDERS, title=_job_title(wave, _("Reminders")), user=user,
                     params={"wave_id": wave.pk})


def sending_job(wave: Wave, kind: str = SEND_INVITATIONS) -> Job | None:
    """The latest job sending this wave's invitations (or reminders)."""
    return Job.objects.filter(kind=kind, params__wave_id=wave.pk).order_by("-created_at").first()


# --- reminders ----------------------------------------------------------------------------------

def _reminder_candidates(now: dt.datetime) -> QuerySet[Invitation]:
    """Invitations sent, not answered, whose person has not opted out nor was just contacted."""
    return (Invitation.objects.filter(sent_at__isnull=False, responded_on__isnull=True,
                                      sent_at__lte=now - REMINDER_GAP)
            .filter(Q(last_reminded_at__isnull=True) | Q(last_reminded_at__lte=now - REMINDER_GAP))
            .exclude(person_id__in=OptOut.objects.values("person_id")))


def due_reminders(now: dt.datetime | None = None) -> QuerySet[Invitation]:
    """Invitations of open waves due a reminder now: the k-th reminder is due
    ``reminder_days[k]`` days after the invitation was sent; respondents get none."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    due = Q()
    for wave_id, days in Wave.objects.filter(status=Wave.Status.OPEN, closes_on__gte=today,
                                             survey__status=Survey.Status.OPEN) \
            .exclude(reminder_days=[]).values_list("pk", "reminder_days"):
        for index, day in enumerate(days or []):
            due |= Q(wave_id=wave_id, reminders_sent=index,
                     sent_at__lte=now - dt.timedelta(days=day))
    if not due:
        return Invitation.objects.none()
    return _reminder_candidates(now).filter(due)


def reminders_now(wave: Wave, now: dt.datetime | None = None) -> QuerySet[Invitation]:
    """The non-respondents of an open wave a reminder may go to now (the "remind now" button)."""
    now = now or timezone.now()
    if not Wave.objects.filter(pk=wave.pk, status=Wave.Status.OPEN,
                               closes_on__gte=timezone.localdate(now),
                               survey__status=Survey.Status.OPEN).exists():
        return Invitation.objects.none()
    return _reminder_candidates(now).filter(wave=wave)


def close_past_waves(now: dt.datetime | None = None) -> int:
    """Close the open waves whose closing day has passed; how many were closed."""
    today = timezone.localdate(now or timezone.now())
    return Wave.objects.filter(status=Wave.Status.OPEN, closes_on__lt=today).update(
        status=Wave.Status.CLOSED)


# --- response rates -----------------------------------------------------------------------------

COUNTS = {
    "invited": Count("pk"),
    "sent": Count("pk", filter=Q(sent_at__isnull=False)),
    "responded": Count("pk", filter=Q(responded_on__isnull=False)),
}


def _figures(invited: int, sent: int, responded: int, min_size: int) -> dict[str, Any]:
    """A group's figures; its answers count is hidden when the group is too small."""
    if invited < min_size:
        return {"invited": invited, "sent": sent, "responded": None, "rate": None,
                "suppressed": True}
    return {"invited": invited, "sent": sent, "responded": responded,
            "rate": round(responded / sent, 4) if sent else None, "suppressed": False}


def _segment_rows(rows: list[dict[str, Any]], names: Mapping[str, str],
                  min_size: int) -> dict[str, Any]:
    """Groups big enough are listed; the others are merged into one "other" group. When that
    group would still be too small, the smallest listed groups join it, so that no small group
    can be found by subtracting the listed ones from the total."""
    shown = sorted((r for r in rows if r["invited"] >= min_size),
                   key=lambda r: (r["invited"], r["code"]))
    merged = [r for r in rows if r["invited"] < min_size]
    while merged and shown and sum(r["invited"] for r in merged) < min_size:
        merged.append(shown.pop(0))
    groups = [{"code": r["code"], "name": names.get(r["code"]) or _("Not specified"),
               **_figures(r["invited"], r["sent"], r["responded"], min_size)}
              for r in sorted(shown, key=lambda r: r["code"])]
    other = None
    if merged:
        other = {"groups": len(merged), **_figures(*(sum(r[k] for r in merged) for k in COUNTS),
                                                   min_size)}
    return {"groups": groups, "other": other}


def response_rates(wave: Wave) -> dict[str, Any]:
    """Invited, sent, answered and the response rate (answered ÷ sent), overall and per
    business unit, site and job family; groups smaller than the survey's minimum are merged."""
    min_size = wave.survey.min_group_size
    invitations = Invitation.objects.filter(wave=wave)
    overall = invitations.aggregate(**COUNTS)
    segments = {}
    for segment, (field, model) in SEGMENTS.items():
        rows = [{"code": row[field], **{k: row[k] for k in COUNTS}}
                for row in invitations.values(field).annotate(**COUNTS).order_by(field)]
        segments[segment] = _segment_rows(rows, _names(model), min_size)
    return {"overall": _figures(overall["invited"], overall["sent"], overall["responded"],
                                min_size),
            "segments": segments, "min_group_size": min_size}


def survey_wave_rates(survey: Survey) -> dict[int, dict[str, Any]]:
    """Each wave's overall figures (by wave id), in one query."""
    rows = (Invitation.objects.filter(wave__survey=survey).values("wave_id")
            .annotate(**COUNTS).order_by("wave_id"))
    empty = _figures(0, 0, 0, survey.min_group_size)
    rates = {row["wave_id"]: _figures(row["invited"], row["sent"], row["responded"],
                                      survey.min_group_size) for row in rows}
    return defaultdict(lambda: empty, rates)
