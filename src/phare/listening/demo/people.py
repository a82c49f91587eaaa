"""Who answers the demo surveys, whom they were already asked, and how they write comments."""

from __future__ import annotations

import bisect
import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from random import Random
from typing import Any
from zoneinfo import ZoneInfo

from phare.directory.models import Person
from phare.lib.demo import DemoContext
from phare.listening import demo_data as D
from phare.listening.models import OptOut, Survey, SurveyVersion

BATCH_SIZE = 2000


@dataclass(slots=True)
class Respondent:
    """What the generator needs of a person: segments, language and lasting traits."""

    pk: int
    language: str
    email: str
    segment: dict[str, str]
    profile: D.UnitProfile  # of their unit, or of the nearest unit above it that has one
    requests: float  # how many tickets they open, relative to others
    mood: float  # how this person tends to rate IT, the same at every wave
    work_mode: str
    opted_out: bool = False


@dataclass
class Contacts:
    """Invitations each person received from the surveys made before the tickets' (the
    contact cap counts them too), as naive UTC times, in order once :meth:`sort` was called."""

    sent: dict[int, list[dt.datetime]] = field(default_factory=dict)

    def add(self, pk: int, when: dt.datetime) -> None:
        self.sent.setdefault(pk, []).append(when.astimezone(dt.UTC).replace(tzinfo=None))

    def sort(self) -> None:
        for times in self.sent.values():
            times.sort()

    def between(self, pk: int, start: dt.datetime, end: dt.datetime) -> int:
        times = self.sent.get(pk)
        if not times:
            return 0
        return bisect.bisect_right(times, end) - bisect.bisect_left(times, start)


def load_people(ctx: DemoContext) -> list[Respondent]:
    """Active people in employee id order, each with a mood and a way of working; a few of
    them (never a demo login's person) have opted out of surveys."""
    units = {unit.pk: unit for unit in ctx.shared["units"].values()}

    def lineage(unit_id: int | None) -> list[str]:
        codes = []
        unit = units.get(unit_id)
        while unit is not None:
            codes.append(unit.code)
            unit = units.get(unit.parent_id)
        return codes

    def nearest(mapping: dict[str, Any], codes: list[str], default: Any) -> Any:
        return next((mapping[code] for code in codes if code in mapping), default)

    rng = ctx.rng
    modes = [option["code"] for option in D.WORK_MODES]
    rows = (Person.objects.filter(active=True).order_by("employee_id")
            .values_list("pk", "language", "email", "business_unit_id", "business_unit__code",
                         "site__code", "job_family__code"))
    people = []
    for pk, language, email, unit_id, unit, site, family in rows:
        codes = lineage(unit_id)
        people.append(Respondent(
            pk=pk, language=language or "fr", email=email,
            segment={"unit_code": unit or "", "site_code": site or "",
                     "job_family_code": family or ""},
            profile=nearest(D.UNIT_PROFILES, codes, D.DEFAULT_PROFILE),
            requests=nearest(D.REQUESTER_WEIGHTS, codes, 1.0),
            mood=rng.gauss(0, D.MOOD_SPREAD),
            work_mode=rng.choices(modes, weights=nearest(D.WORK_MODE_WEIGHTS, codes,
                                                         D.DEFAULT_WORK_MODE_WEIGHTS))[0]))
    logins = {person.pk for person in ctx.shared.get("demo_people", {}).values()}
    for person in people:
        person.opted_out = rng.random() < D.OPTED_OUT_SHARE and person.pk not in logins
    OptOut.objects.bulk_create([OptOut(person_id=p.pk) for p in people if p.opted_out],
                               batch_size=BATCH_SIZE)
    return people


# --- Small shared pieces -----------------------------------------------------------------------


def comment(rng: Random, language: str, band: str, themes: Sequence[str], topic: str = "", *,
            framed: bool = True, days: int | None = None) -> str:
    """A comment on ``themes`` in ``language``: opener, theme sentences, closer (``framed``).

    ``topic`` is a key of :data:`~phare.listening.demo_data.TOPICS` (what a ticket was about);
    ``days`` the delay a slow resolution took (a random one when not given)."""
    parts = [rng.choice(D.OPENERS[band][language])] if framed else []
    parts += [rng.choice(D.THEME_PHRASES[theme][language]) for theme in themes]
    if framed:
        parts.append(rng.choice(D.CLOSERS[band][language]))
    text = " ".join(part for part in parts if part)
    return text.format(topic=rng.choice(D.TOPICS[topic][language]),
                       days=days or rng.randint(2, 12), times=rng.randint(2, 5))


def band(score: int) -> str:
    """The NPS band of a 0–10 score: detractor ("low"), passive ("mid"), promoter ("high")."""
    return "low" if score <= 6 else "mid" if score <= 8 else "high"


def clamp(value: float, low: int, high: int) -> int:
    return min(high, max(low, round(value)))


def at(day: dt.date, tz: ZoneInfo, minutes: float) -> dt.datetime:
    """``minutes`` after local midnight of ``day``."""
    return dt.datetime.combine(day, dt.time(0), tzinfo=tz) + dt.timedelta(minutes=minutes)


def backdate(survey: Survey, created: dt.datetime) -> None:
    """What the models stamp "now" (a survey's creation) happened in the demo's past."""
    Survey.objects.filter(pk=survey.pk).update(created_at=created, updated_at=created)
    SurveyVersion.objects.filter(survey=survey, number=1).update(created_at=created)
