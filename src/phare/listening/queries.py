"""Reads of the listening pages, API and services: survey lists with their counts, the builder's
sections and catalogue attributes, versions with their questions and responses, a version as
respondents see it; waves' audiences, samples, reminders due and response rates; opt-outs.

Nothing here writes: the writes are in :mod:`phare.listening.services`, which reads through
these functions too (the questions a change is checked against, the people a wave invites).
"""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeAlias, TypedDict, cast

from django.db.models import (
    Count,
    F,
    IntegerField,
    Max,
    Model,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce, TruncMonth
from django.utils import timezone
from django.utils.translation import gettext as _

from phare.analysis import disclosure
from phare.catalog.access import PORTAL_LIFECYCLES
from phare.catalog.models import Service
from phare.directory.models import BusinessUnit, JobFamily, Person, Site
from phare.directory.queries import unit_and_descendants
from phare.jobs.models import Job
from phare.lib import i18n
from phare.lib.i18n import in_language, marked, shown
from phare.listening import builder
from phare.listening import languages as langs
from phare.listening import questions as qtypes
from phare.listening.errors import ListeningError
from phare.listening.models import (
    Invitation,
    OptOut,
    Question,
    Response,
    Section,
    Survey,
    SurveyVersion,
    Wave,
)

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations


class SurveyCounts(TypedDict):
    """What :func:`survey_list` adds to each survey."""

    responses_count: int
    versions_count: int
    waves_count: int
    version_number: int | None


class VersionCounts(TypedDict):
    """What :func:`versions` adds to each version."""

    responses_count: int


class WaveRates(TypedDict):
    """What :func:`survey_waves` adds to each wave: its overall figures."""

    rates: dict[str, Any]


# Only named in annotations (django-stubs-ext is a type checker's package, not Phare's).
CountedSurvey: TypeAlias = "WithAnnotations[Survey, SurveyCounts]"
CountedVersion: TypeAlias = "WithAnnotations[SurveyVersion, VersionCounts]"
RatedWave: TypeAlias = "WithAnnotations[Wave, WaveRates]"


def released(responses: QuerySet[Response], *, today: dt.date | None = None,
             without_small_months: bool = False) -> QuerySet[Response]:
    """The responses whose answers may be released (in figures, dashboards, exports): those of
    a closed wave (or one past its closing day), and of surveys collected continuously (no
    wave: ticket feedback, open links), those of months that are over — so that no two reads
    differ by one person's answer (:func:`phare.analysis.disclosure.release_before`).

    ``without_small_months`` leaves out, too, the answers collected live (not imported) of a
    month over that gathered fewer than the survey's ``min_group_size``: the pages show such
    a month as "too few answers" and count it in no total, and an export of rows, which has no
    such cell, leaves its rows out — so that the export's rows are the answers the figures
    count. Imported answers arrive, and are released, all at once."""
    today = today or timezone.localdate()
    continuous = Q(wave__isnull=True,
                   submitted_on__lt=disclosure.release_before(today))
    chosen = responses.filter(Q(wave__status=Wave.Status.CLOSED)
                              | Q(wave__closes_on__lt=today) | continuous)
    if not without_small_months:
        return chosen
    for survey_id, month in _small_months(responses, continuous):
        following = (month + dt.timedelta(days=32)).replace(day=1)
        chosen = chosen.exclude(Q(survey_id=survey_id, wave__isnull=True,
                                  submitted_on__gte=month, submitted_on__lt=following)
                                & ~Q(channel=Response.Channel.IMPORT))
    return chosen


def _small_months(responses: QuerySet[Response], continuous: Q) -> list[tuple[int, dt.date]]:
    """(survey, first day) of each month over whose answers collected live (not imported),
    in the whole survey, are fewer than its ``min_group_size``."""
    surveys = responses.order_by().values("survey_id").distinct()
    months = (Response.objects.filter(continuous, survey_id__in=surveys)
              .exclude(channel=Response.Channel.IMPORT).order_by()
              .annotate(month=TruncMonth("submitted_on"))
              .values("survey_id", "month", "survey__min_group_size")
              .annotate(n=Count("pk")).filter(n__lt=F("survey__min_group_size")))
    return [(row["survey_id"], _first_day(row["month"])) for row in months]


def _first_day(month: dt.date | dt.datetime) -> dt.date:
    return (month.date() if isinstance(month, dt.datetime) else month).replace(day=1)


def _count(model: type[Model], **lookup: Any) -> Coalesce:
    """A correlated count per survey (subqueries, so the three counts do not multiply)."""
    rows = (model._default_manager.filter(survey=OuterRef("pk"), **lookup).order_by()
            .values("survey").annotate(n=Count("pk")).values("n"))
    return Coalesce(Subquery(rows, output_field=IntegerField()), Value(0))


def survey_list(*, kind: str = "", status: str = "") -> QuerySet[CountedSurvey]:
    """Surveys, newest first, with ``responses_count``, ``versions_count``, ``waves_count``
    and ``version_number`` (the current version)."""
    numbers = (SurveyVersion.objects.filter(survey=OuterRef("pk")).order_by()
               .values("survey").annotate(n=Max("number")).values("n"))
    surveys = Survey.objects.select_related("service").annotate(
        responses_count=_count(Response), versions_count=_count(SurveyVersion),
        waves_count=_count(Wave), version_number=Subquery(numbers))
    if kind:
        surveys = surveys.filter(kind=kind)
    if status:
        surveys = surveys.filter(status=status)
    return surveys.order_by("-created_at", "-pk")


def survey(slug: str) -> Survey | None:
    return Survey.objects.select_related("service").filter(slug=slug).first()


def versions(survey: Survey) -> list[CountedVersion]:
    """The survey's versions, newest first, each with ``responses_count``."""
    return list(survey.versions.annotate(responses_count=Count("responses"))
                .order_by("-number"))


def version_questions(version: SurveyVersion) -> list[Question]:
    """The version's questions in the order respondents meet them (sections, then position)."""
    return list(version.questions.select_related("section").order_by(
        "section__position", "section_id", "position", "id"))


def questions_payload(version: SurveyVersion, *, language: str) -> list[dict[str, Any]]:
    """The questions as plain data (for the API and the answering page)."""
    out = []
    for q in version_questions(version):
        low, high = (qtypes.scale_of(q) if q.type in qtypes.NUMERIC | qtypes.COMPOUND
                     else (None, None))
        out.append({
            "code": q.code, "type": q.type, "section": q.section.position,
            "text": in_language(q, "text", language), "help": in_language(q, "help", language),
            "required": q.required,
            "scale_min": low, "scale_max": high,
            "options": [{"code": o["code"], "label": qtypes.option_label(o, language)}
                        for o in q.options],
            "columns": [{"code": c["code"], "label": qtypes.option_label(c, language)}
                        for c in q.columns or []],
            "allow_other": q.allow_other, "condition": q.condition,
        })
    return out


# --- the builder --------------------------------------------------------------------------------

def service_by_slug(slug: str | None) -> Service | None:
    """The catalogue service a survey names, or a field error on ``service``."""
    if not slug:
        return None
    found = Service.objects.filter(slug=slug).first()
    if found is None:
        raise ListeningError(_("The catalogue has no service “%s”.") % slug, field="service")
    return found


def catalogue_options() -> list[dict[str, str]]:
    """Published catalogue services (live or retiring) as grid attributes, by French name."""
    rows = (Service.objects.filter(publication=Service.Publication.PUBLISHED,
                                   lifecycle__in=PORTAL_LIFECYCLES)
            .order_by("name_fr").values_list("slug", "name_fr", "name_en"))
    return [{"code": slug, "label_fr": fr, "label_en": en} for slug, fr, en in rows]


def add_catalogue_lines(text: str) -> str:
    """The options editor's text with a line added for each published catalogue service it
    does not list yet (by code)."""
    listed = {line.split("|", 1)[0].strip() for line in (text or "").splitlines()}
    lines = [line for line in builder.format_options(catalogue_options()).splitlines()
             if line.split("|", 1)[0].strip() not in listed]
    return "\n".join(filter(None, [(text or "").rstrip(), *lines]))


@dataclass
class SectionRows:
    section: Section
    questions: list[dict[str, Any]] = field(default_factory=list)


def survey_languages(survey: Survey,
                     sections: Iterable[SectionRows]) -> list[dict[str, Any]]:
    """The survey's languages in its order, each with its names and how many of the texts of
    ``sections`` (:func:`builder_sections`: no further query) are written in it, the survey's
    own (title, introduction, thanks) included."""
    codes = langs.languages_of(survey)
    counts = dict.fromkeys(codes, 0)
    rows = list(sections)
    questions = [item["question"] for row in rows for item in row.questions]

    def add(obj: Any, fields: Iterable[str]) -> None:
        for code in codes:
            if code in langs.COLUMNS:
                counts[code] += sum(1 for f in fields if getattr(obj, f"{f}_{code}", ""))
            else:
                counts[code] += langs.count_texts((obj.translations or {}).get(code))

    def items(question: Question) -> list[Mapping[str, Any]]:
        scales = [s for s in (question.settings or {}).get("scales") or []
                  if isinstance(s, Mapping)]
        found = [*(question.options or []), *(question.columns or []), *scales]
        for scale in scales:
            found += list(scale.get("choices") or [])
        return [item for item in found if isinstance(item, Mapping)]

    add(survey, langs.SURVEY_TEXTS)
    for row in rows:
        add(row.section, langs.SECTION_TEXTS)
    for question in questions:
        add(question, langs.QUESTION_TEXTS)
        for code in codes:
            if code in langs.COLUMNS:
                counts[code] += sum(1 for item in items(question) if item.get(f"label_{code}"))
    return [{"code": code, "name": langs.language_name(code), "label": i18n.language_label(code),
             "texts": counts[code], "editable": code not in langs.COLUMNS} for code in codes]


def builder_sections(version: SurveyVersion) -> list[SectionRows]:
    """The version's sections in order, each with its questions and what the builder shows
    of them (condition in words, options as lines, whether it can move up or down)."""
    sections = [SectionRows(s) for s in version.sections.order_by("position", "id")]
    by_pk = {rows.section.pk: rows for rows in sections}
    ordered = list(version.questions.order_by("section__position", "section_id", "position",
                                              "id"))
    for index, question in enumerate(ordered):
        by_pk[question.section_id].questions.append({
            "question": question,
            "condition": builder.condition_summary(question.condition),
            "scale": (qtypes.scale_of(question)
                      if question.type in qtypes.NUMERIC | qtypes.COMPOUND else None),
            "first": index == 0, "last": index == len(ordered) - 1,
        })
    return sections


def question_choices(version: SurveyVersion, *, before: Question | None = None
                     ) -> list[Question]:
    """Questions a display condition may refer to: all of them, or those before ``before``."""
    ordered = list(version.questions.order_by("section__position", "section_id", "position",
                                              "id"))
    if before is not None:
        ordered = ordered[:[q.pk for q in ordered].index(before.pk)]
    return ordered


def version_preview(version: SurveyVersion, *, language: str) -> list[dict[str, Any]]:
    """The version's sections and questions in one language, as a respondent reads them (a
    text missing in that language: the other one's, marked as such, as HTML)."""
    out: list[dict[str, Any]] = []
    for rows in builder_sections(version):
        items = []
        for row in rows.questions:
            q: Question = row["question"]
            scale: tuple[int, int] | None = row["scale"]
            items.append({
                "code": q.code, "type": q.type, "required": q.required,
                "text": marked(shown(q, "text", language)),
                "help": marked(shown(q, "help", language)),
                "points": list(range(scale[0], scale[1] + 1)) if scale is not None else [],
                "label_min": marked(shown(q, "label_min", language)),
                "label_max": marked(shown(q, "label_max", language)),
                "options": [{"code": o["code"], "label": marked(shown(o, "label", language))}
                            for o in q.options],
                "columns": [{"code": c["code"], "label": marked(shown(c, "label", language))}
                            for c in q.columns or []],
                "allow_other": q.allow_other,
                "condition": row["condition"],
            })
        out.append({"title": marked(shown(rows.section, "title", language)),
                    "position": rows.section.position, "questions": items})
    return out


# --- waves: audiences and samples ---------------------------------------------------------------

#: How a sample may be stratified, and the person's field holding the stratum's code.
STRATA = {"business_unit": "business_unit__code", "site": "site__code",
          "job_family": "job_family__code"}
#: Segments of the response rate: name → (invitation field, directory model).
SEGMENTS = {"business_unit": ("unit_code", BusinessUnit), "site": ("site_code", Site),
            "job_family": ("job_family_code", JobFamily)}
#: Nobody is reminded twice within this time, nor the day they were invited.
REMINDER_GAP = dt.timedelta(days=1)


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
        column = STRATA[stratify_by]
        sizes = {row[column] or "": row["n"] for row in
                 people.values(column).annotate(n=Count("pk")).order_by(column)}
        shares = allocate(sizes, size)
        names = _names(SEGMENTS[stratify_by][1])
        strata = [{"code": code, "name": names.get(code, _("Not specified")),
                   "population": sizes[code], "sample": shares[code]} for code in sorted(sizes)]
    return {"population": population, "sample_size": size, "strata": strata}


# --- waves: sending and reminders ---------------------------------------------------------------

def sending_job(wave: Wave, kind: str) -> Job | None:
    """The latest job of ``kind`` (sending the invitations, or the reminders) of this wave."""
    return Job.objects.filter(kind=kind, params__wave_id=wave.pk).order_by("-created_at").first()


def unsent_count(wave: Wave) -> int:
    """How many invitations of an open wave are still to send (none for another status)."""
    if wave.status != Wave.Status.OPEN:
        return 0
    return wave.invitations.filter(sent_at__isnull=True).count()


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


# --- waves: response rates ----------------------------------------------------------------------

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


def invitation_figures(invitations: QuerySet[Invitation], min_size: int) -> dict[str, Any]:
    """Invited, sent, answered and the response rate (answered ÷ sent) of any invitations —
    a wave's, or a ticket survey's — computed as :func:`response_rates` computes a wave's;
    ``percent`` is the rate in percent (None without any sent)."""
    counts = invitations.aggregate(**COUNTS)
    figures = _figures(counts["invited"], counts["sent"], counts["responded"], min_size)
    figures["percent"] = None if figures["rate"] is None else 100 * figures["rate"]
    return figures


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
        totals = {k: sum(r[k] for r in merged) for k in COUNTS}
        other = {"groups": len(merged), **_figures(totals["invited"], totals["sent"],
                                                   totals["responded"], min_size)}
    return {"groups": groups, "other": other}


def response_rates(wave: Wave) -> dict[str, Any]:
    """Invited, sent, answered and the response rate (answered ÷ sent), overall and per
    business unit, site and job family; groups smaller than the survey's minimum are merged."""
    min_size = wave.survey.min_group_size
    invitations = Invitation.objects.filter(wave=wave)
    overall = invitations.aggregate(**COUNTS)
    segments = {}
    for segment, (column, model) in SEGMENTS.items():
        rows = [{"code": row[column], **{k: row[k] for k in COUNTS}}
                for row in invitations.values(column).annotate(**COUNTS).order_by(column)]
        segments[segment] = _segment_rows(rows, _names(model), min_size)
    return {"overall": _figures(overall["invited"], overall["sent"], overall["responded"],
                                min_size),
            "segments": segments, "min_group_size": min_size}


def survey_wave_rates(survey: Survey) -> dict[int, dict[str, Any]]:
    """Each wave's overall figures (by wave id), in one query."""
    # Rows hold the counts' keys too (the type checker cannot read them out of COUNTS).
    rows: Iterable[Mapping[str, Any]] = (
        Invitation.objects.filter(wave__survey=survey).values("wave_id")
        .annotate(**COUNTS).order_by("wave_id"))
    empty = _figures(0, 0, 0, survey.min_group_size)
    rates = {row["wave_id"]: _figures(row["invited"], row["sent"], row["responded"],
                                      survey.min_group_size) for row in rows}
    return defaultdict(lambda: empty, rates)


def survey_wave_rates_by_number(survey: Survey) -> dict[int, dict[str, Any]]:
    """Each wave's overall figures as :func:`survey_wave_rates` gives them, by wave number
    (the waves with invitations only), in one query."""
    rows: Iterable[Mapping[str, Any]] = (
        Invitation.objects.filter(wave__survey=survey).values("wave__number")
        .annotate(**COUNTS).order_by("wave__number"))
    return {row["wave__number"]: _figures(row["invited"], row["sent"], row["responded"],
                                          survey.min_group_size) for row in rows}


def survey_waves(survey: Survey) -> list[RatedWave]:
    """The survey's waves, newest first, each with its overall figures as ``rates`` (the waves
    page and the API's list alike)."""
    rates = survey_wave_rates(survey)
    # Typed with ``rates`` already: the loop below sets it on every wave.
    found = cast("list[RatedWave]",
                 list(survey.waves.select_related("version").order_by("-number")))
    for wave in found:
        wave.rates = rates[wave.pk]
    return found


# --- opt-outs -----------------------------------------------------------------------------------

def opt_out_invitation(token: str) -> Invitation | None:
    """The invitation an opt-out link names, if it is a person's (an anonymous open link is
    nobody's to opt out)."""
    invitation = Invitation.objects.select_related("person", "survey").filter(token=token).first()
    if invitation is None or invitation.person_id is None:
        return None
    return invitation


def opted_out(person_id: int) -> bool:
    """Whether the person asked for no more survey invitations."""
    return OptOut.objects.filter(person_id=person_id).exists()
