"""The plan's calendar (reads only): the month grid, the timeline, the filters of both, the
collisions to flag, and the forecast contact pressure per audience before anything is scheduled.

Pressure is counted as the contact policy counts it (``contact.policy``): an email or an event
invitation is one solicitation per person reached, mandatory or not. The calendar's view of the
budget is by ISO week (Monday to Sunday) against ``PHARE_CONTACT_CAP``; the senders check the
rolling ``PHARE_CONTACT_DAYS``-day window (7 by default, when both agree) at send time.

Actions already sending, sent or measured are in the solicitation ledger (``contact.policy.load``
counts them); the others (idea to approved) are counted here from their audience evaluated now.
Every count of people goes through :mod:`phare.analysis.disclosure`: a group of 1 to *k* − 1
people is never printed, even of the lead's own audiences.
"""

from __future__ import annotations

import calendar as stdcalendar
import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from phare.analysis import disclosure
from phare.comms import audiences
from phare.comms.models import Action
from phare.contact import policy as contact_policy
from phare.lib.i18n import reader_language
from phare.usage.queries import min_group

#: An email or event sent to more people than this is a "big" message: two on the same day
#: are a collision (people read one, not two company-wide messages a day). Fixed here rather
#: than a setting: it is the calendar's rule of thumb, not a limit anything enforces.
BIG_AUDIENCE = 1000

#: The channels that solicit each person of their audience (and count in the contact budget);
#: portal news, Teams or Slack posts and printed material reach nobody in particular.
SOLICITING = frozenset({Action.Channel.EMAIL, Action.Channel.EVENT})

#: Statuses whose solicitations are already in the ledger (claimed when sending starts).
RECORDED = frozenset({Action.Status.SENDING, Action.Status.DONE, Action.Status.MEASURED})

#: The longest timeline and forecast asked for at once.
MAX_TIMELINE_DAYS = 731
MAX_FORECAST_WEEKS = 53

TIMELINE_ROWS = ("channel", "owner")


class CalendarInvalid(ValueError):
    """A calendar request that cannot be answered; ``details`` name each field and why."""

    def __init__(self, details: list[tuple[str, str]]) -> None:
        super().__init__("; ".join(f"{name}: {reason}" for name, reason in details))
        self.details = details


# --- filters ----------------------------------------------------------------------------------

@dataclass(frozen=True)
class Filters:
    """What the calendar shows: empty or ``None`` means no filter on that field."""

    channel: str = ""
    audience: int | None = None
    owner: int | None = None
    service: str = ""
    plan: int | None = None
    status: str = ""

    def __post_init__(self) -> None:
        details: list[tuple[str, str]] = []
        if self.channel and self.channel not in Action.Channel.values:
            details.append(("channel", _("Unknown channel.")))
        if self.status and self.status not in Action.Status.values:
            details.append(("status", _("Unknown status.")))
        for name in ("audience", "owner", "plan"):
            value = getattr(self, name)
            if value is not None and (isinstance(value, bool) or not isinstance(value, int)
                                      or not 1 <= value <= 2**63 - 1):
                details.append((name, _("Expected an id (a whole number from 1).")))
        if details:
            raise CalendarInvalid(details)

    def apply(self, queryset: QuerySet[Action]) -> QuerySet[Action]:
        if self.channel:
            queryset = queryset.filter(channel=self.channel)
        if self.audience is not None:
            queryset = queryset.filter(audience_id=self.audience)
        if self.owner is not None:
            queryset = queryset.filter(owner_id=self.owner)
        if self.service:
            # One slug matches one service: no duplicate rows from the join.
            queryset = queryset.filter(services__slug=self.service)
        if self.plan is not None:
            queryset = queryset.filter(plan_id=self.plan)
        if self.status:
            queryset = queryset.filter(status=self.status)
        return queryset


# --- days of an action ------------------------------------------------------------------------

def last_day(action: Action) -> dt.date:
    """The last day an action covers (its first when it has no end, or an end before it)."""
    return max(action.ends_on or action.starts_on, action.starts_on)


def reach_day(action: Action) -> dt.date:
    """The day an action reaches people: when it is sent if that is set, else its date."""
    if action.send_at is not None:
        return timezone.localtime(action.send_at).date()
    return action.starts_on


def _overlapping(actions: Iterable[Action], first: dt.date, last: dt.date) -> list[Action]:
    """The actions covering some day of ``[first, last]`` (from the database when a queryset)."""
    if isinstance(actions, QuerySet):
        actions = (actions.filter(starts_on__lte=last)
                   .filter(Q(ends_on__gte=first) | Q(starts_on__gte=first))
                   .select_related("owner", "owner__person", "audience"))
    return sorted((a for a in actions if a.starts_on <= last and last_day(a) >= first),
                  key=lambda a: (a.starts_on, a.pk or 0))


# --- month grid -------------------------------------------------------------------------------

@dataclass(frozen=True)
class Day:
    date: dt.date
    #: False for the days of the previous or next month that complete the first and last weeks.
    in_month: bool
    actions: list[Action]


@dataclass(frozen=True)
class Month:
    year: int
    month: int
    #: Weeks from Monday to Sunday, each of seven days.
    weeks: list[list[Day]]
    previous: tuple[int, int]
    next: tuple[int, int]

    @property
    def first(self) -> dt.date:
        return dt.date(self.year, self.month, 1)


def _check_month(year: Any, month: Any) -> None:
    details = []
    if isinstance(year, bool) or not isinstance(year, int) or not 1 < year < 9999:
        details.append(("year", _("Expected a year from 2 to 9998.")))
    if isinstance(month, bool) or not isinstance(month, int) or not 1 <= month <= 12:
        details.append(("month", _("Expected a month from 1 to 12.")))
    if details:
        raise CalendarInvalid(details)


def month(actions: Iterable[Action], year: int, month: int) -> Month:
    """The month as weeks × days (Monday first), each day with the actions covering it (an
    action of several days is on each of them), days outside the month marked."""
    _check_month(year, month)
    grid = stdcalendar.Calendar(firstweekday=0).monthdatescalendar(year, month)
    first, last = grid[0][0], grid[-1][-1]
    found = _overlapping(actions, first, last)
    by_day: dict[dt.date, list[Action]] = defaultdict(list)
    for action in found:
        day = max(action.starts_on, first)
        end = min(last_day(action), last)
        while day <= end:
            by_day[day].append(action)
            day += dt.timedelta(days=1)
    weeks = [[Day(day, day.month == month, by_day.get(day, [])) for day in week]
             for week in grid]
    previous = (year - 1, 12) if month == 1 else (year, month - 1)
    following = (year + 1, 1) if month == 12 else (year, month + 1)
    return Month(year, month, weeks, previous, following)


# --- timeline ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class Bar:
    action: Action
    #: The days shown, clipped to the timeline.
    start: dt.date
    end: dt.date
    #: Where the bar sits, as a share of the timeline's width (0–100).
    left: float
    width: float
    #: Bars of a row that overlap go on separate lanes (0, 1, …).
    lane: int
    continues_before: bool
    continues_after: bool


@dataclass
class Row:
    key: str
    label: str
    bars: list[Bar] = field(default_factory=list)

    @property
    def lanes(self) -> int:
        return 1 + max((bar.lane for bar in self.bars), default=0)


@dataclass(frozen=True)
class Timeline:
    start: dt.date
    end: dt.date
    by: str
    rows: list[Row]

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    @property
    def months(self) -> list[tuple[dt.date, float]]:
        """The first day of each month in the timeline (or its start) and where it sits (0–100)."""
        marks, day = [], self.start
        while day <= self.end:
            marks.append((day, 100 * (day - self.start).days / self.days))
            day = (day.replace(day=1) + dt.timedelta(days=32)).replace(day=1)
        return marks


def _owner_label(action: Action) -> str:
    return action.owner.display_name if action.owner is not None else _("No owner")


def timeline(actions: Iterable[Action], start: dt.date, end: dt.date, *,
             by: str = "channel") -> Timeline:
    """Rows per channel (every channel, in their order) or per owner (those with actions, by
    name, then the actions without an owner), with a bar per action from ``starts_on`` to
    ``ends_on`` (included) clipped to ``[start, end]``."""
    details = []
    if by not in TIMELINE_ROWS:
        details.append(("by", _("Expected channel or owner.")))
    if not isinstance(start, dt.date) or not isinstance(end, dt.date):
        details.append(("start", _("Expected two dates.")))
    elif end < start:
        details.append(("end", _("The end comes before the start.")))
    elif (end - start).days >= MAX_TIMELINE_DAYS:
        details.append(("end", _("At most %(n)s days at once.") % {"n": MAX_TIMELINE_DAYS}))
    if details:
        raise CalendarInvalid(details)
    found = _overlapping(actions, start, end)
    rows: dict[str, Row] = {}
    if by == "channel":
        rows = {value: Row(value, str(label)) for value, label in Action.Channel.choices}
    span = (end - start).days + 1
    lanes_end: dict[str, list[dt.date]] = defaultdict(list)
    for action in found:
        key = action.channel if by == "channel" else str(action.owner_id or "")
        row = rows.get(key)
        if row is None:
            row = rows[key] = Row(key, str(action.get_channel_display()) if by == "channel"
                                  else _owner_label(action))
        first, last = max(action.starts_on, start), min(last_day(action), end)
        ends = lanes_end[key]
        lane = next((i for i, taken in enumerate(ends) if taken < first), len(ends))
        if lane == len(ends):
            ends.append(last)
        else:
            ends[lane] = last
        row.bars.append(Bar(action, first, last, 100 * (first - start).days / span,
                            100 * ((last - first).days + 1) / span, lane,
                            action.starts_on < start, last_day(action) > end))
    ordered = list(rows.values())
    if by == "owner":
        ordered.sort(key=lambda row: (row.key == "", row.label.casefold()))
    return Timeline(start, end, by, ordered)


# --- audiences evaluated once per call ------------------------------------------------------

class _Members:
    """Each audience's people, evaluated once (``everyone`` once too)."""

    def __init__(self) -> None:
        self.cache: dict[tuple[str, int | None], frozenset[int]] = {}

    @staticmethod
    def key(action: Action) -> tuple[str, int | None] | None:
        if action.everyone:
            return ("everyone", None)
        if action.audience_id is not None:
            return ("audience", action.audience_id)
        return None

    def of(self, action: Action) -> frozenset[int]:
        key = self.key(action)
        if key is None:
            return frozenset()
        if key not in self.cache:
            try:
                self.cache[key] = frozenset(audiences.action_members(action))
            except audiences.AudienceInvalid:
                # Criteria naming what no longer exists reach nobody (sending refuses them);
                # the calendar still shows the rest.
                self.cache[key] = frozenset()
        return self.cache[key]


def _week_of(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def _bounds(monday: dt.date) -> tuple[dt.datetime, dt.datetime]:
    zone = timezone.get_current_timezone()
    start = dt.datetime.combine(monday, dt.time.min, tzinfo=zone)
    return start, dt.datetime.combine(monday + dt.timedelta(days=7), dt.time.min, tzinfo=zone)


def _live(actions: Iterable[Action]) -> list[Action]:
    if isinstance(actions, QuerySet):
        actions = actions.select_related("audience")
    return sorted((a for a in actions if a.status != Action.Status.CANCELLED),
                  key=lambda a: (reach_day(a), a.pk or 0))


# --- collisions -------------------------------------------------------------------------------

@dataclass(frozen=True)
class Collision:
    """Something the lead should look at: the same people over the budget in a week
    (``pressure``), or two big messages the same day (``big_same_day``)."""

    kind: str
    #: The week's Monday and Sunday, or the day twice.
    start: dt.date
    end: dt.date
    actions: list[Action]
    #: People over the budget (``pressure``); ``None`` when fewer than ``min_group`` (``few``).
    people: int | None = None
    few: bool = False

    @property
    def message(self) -> str:
        if self.kind == "big_same_day":
            return _("%(n)s messages to large audiences on %(day)s.") % {
                "n": len(self.actions), "day": self.start.isoformat()}
        who = (_("Fewer than %(k)s people") % {"k": min_group()} if self.few
               else _("%(n)s people") % {"n": self.people})
        return _("%(who)s would receive more than %(cap)s messages in the week of %(day)s.") % {
            "who": who, "cap": settings.PHARE_CONTACT_CAP, "day": self.start.isoformat()}


def _big(action: Action, members: _Members) -> bool:
    if action.channel not in SOLICITING:
        return False
    return action.everyone or len(members.of(action)) > BIG_AUDIENCE


def collisions(actions: Iterable[Action]) -> list[Collision]:
    """The collisions among ``actions`` (cancelled ones left aside), by date: weeks where some
    people would receive more than ``PHARE_CONTACT_CAP`` solicitations (the ledger's plus the
    planned actions'), and days with two or more big emails or events (to everyone, or to more
    than :data:`BIG_AUDIENCE` people)."""
    live = _live(actions)
    members = _Members()
    found: list[Collision] = []
    cap, k = int(settings.PHARE_CONTACT_CAP), min_group()
    planned_by_week: dict[dt.date, list[Action]] = defaultdict(list)
    for action in live:
        if action.channel in SOLICITING and action.status not in RECORDED:
            planned_by_week[_week_of(reach_day(action))].append(action)
    for monday, planned in sorted(planned_by_week.items()):
        counts: Counter[int] = Counter()
        for action in planned:
            counts.update(members.of(action))
        if not counts:
            continue
        start, end = _bounds(monday)
        for person, n in contact_policy.load(list(counts), start=start, end=end).items():
            if person in counts:
                counts[person] += n
        over = {person for person, n in counts.items() if n > cap}
        if over:
            involved = [a for a in planned if not over.isdisjoint(members.of(a))]
            few = disclosure.small(len(over), k)
            found.append(Collision("pressure", monday, monday + dt.timedelta(days=6),
                                   involved, None if few else len(over), few))
    big_by_day: dict[dt.date, list[Action]] = defaultdict(list)
    for action in live:
        if _big(action, members):
            big_by_day[reach_day(action)].append(action)
    for day, big in big_by_day.items():
        if len(big) > 1:
            found.append(Collision("big_same_day", day, day, big))
    found.sort(key=lambda c: (c.start, c.kind))
    return found


# --- forecast ---------------------------------------------------------------------------------

def forecast(actions: Iterable[Action], start: dt.date, weeks: int) -> list[dict[str, Any]]:
    """Per ISO week from ``start``'s and per segment (each audience of ``actions``, and
    everyone when an action goes to everyone): the expected solicitations per person of the
    segment that week (the ledger's plus every planned email or event reaching them), their
    mean and the share of people over ``PHARE_CONTACT_CAP``.

    Each row: ``week`` (its Monday), ``segment`` (``audience:<id>`` or ``everyone``),
    ``audience`` (id or ``None``), ``label`` (and ``language``, the one it is written in),
    ``people``, ``mean``, ``over``, ``over_share``,
    ``hidden`` (the segment has 1 to *k* − 1 people: no figure), ``few_over`` (the people over
    the budget, or those under it, number 1 to *k* − 1: neither their count nor the share is
    given) and ``actions`` (the segment's own planned actions that week, by id).
    """
    details = []
    if not isinstance(start, dt.date):
        details.append(("start", _("Expected a date.")))
    if (isinstance(weeks, bool) or not isinstance(weeks, int)
            or not 1 <= weeks <= MAX_FORECAST_WEEKS):
        details.append(("weeks", _("Expected a number of weeks from 1 to %(n)s.")
                        % {"n": MAX_FORECAST_WEEKS}))
    if details:
        raise CalendarInvalid(details)
    live = [a for a in _live(actions) if a.channel in SOLICITING]
    members = _Members()
    segments: dict[tuple[str, int | None], tuple[str, str]] = {}
    people_of: dict[tuple[str, int | None], frozenset[int]] = {}
    for action in live:
        key = members.key(action)
        if key is not None and key not in segments:
            segments[key] = (
                (action.audience.name, action.audience.language)
                if key[0] != "everyone" and action.audience
                else (_("Everyone") if key[0] == "everyone" else "", reader_language()))
            people_of[key] = members.of(action)
    everybody = frozenset().union(*people_of.values()) if people_of else frozenset()
    first = _week_of(start)
    cap, k = int(settings.PHARE_CONTACT_CAP), min_group()
    planned_by_week: dict[dt.date, list[Action]] = defaultdict(list)
    for action in live:
        if action.status not in RECORDED:
            planned_by_week[_week_of(reach_day(action))].append(action)
    rows: list[dict[str, Any]] = []
    for i in range(weeks):
        monday = first + dt.timedelta(weeks=i)
        planned = planned_by_week.get(monday, [])
        counts: Counter[int] = Counter()
        if everybody:
            begin, end = _bounds(monday)
            counts.update(contact_policy.load(list(everybody), start=begin, end=end))
        for action in planned:
            counts.update(members.of(action))
        for key, (label, language) in segments.items():
            people = people_of[key]
            n = len(people)
            row: dict[str, Any] = {
                "week": monday, "segment": "everyone" if key[0] == "everyone"
                else f"audience:{key[1]}", "audience": key[1], "label": label,
                "language": language,
                "people": None, "mean": None, "over": None, "over_share": None,
                "hidden": disclosure.small(n, k), "few_over": False,
                "actions": [a.pk for a in planned if members.key(a) == key]}
            if not row["hidden"]:
                total = sum(counts[p] for p in people) if n else 0
                over = sum(1 for p in people if counts[p] > cap) if n else 0
                row["people"] = n
                row["mean"] = total / n if n else None
                row["few_over"] = disclosure.small(over, k) or disclosure.small(n - over, k)
                if not row["few_over"] and n:
                    row["over"], row["over_share"] = over, over / n
            rows.append(row)
    return rows

