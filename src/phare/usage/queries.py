"""Reads of the usage app: adoption, trends, depth, cohorts, licences and deployments.

Every figure here is about groups of people and goes through the disclosure layer
(``docs/PRIVACY.md``, section *Usage*): counts come from the engine per *leaf* (unit × site ×
job family), are rolled up into the cells a reader can ask for, and each cell is released
only when :func:`phare.analysis.disclosure.rate_cells_hidden` releases it in its breakdown
(threshold and complementary suppression on both its active and its inactive people) and
when no other cell a reader can ask for — on any dimension, a unit or any of its parents —
holds all of its people and a small group more (the audit of groups nested by chance). A
hidden cell gives no count, rate or interval, and not its audience either.

Usage is released by whole periods that are over (months, weeks), as answers are: two reads
a day apart never differ by one person's activity of today.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import pandas as pd
from django.conf import settings
from django.db.models import Count
from django.utils import timezone

from phare.analysis import adoption as A
from phare.analysis import disclosure
from phare.catalog.access import audience_people, unit_parents
from phare.catalog.models import Service
from phare.directory.models import BusinessUnit, JobFamily, Site
from phare.usage import engine, memo
from phare.usage.models import Deployment, Licence, Seats, TenantCount, UsageImport
from phare.usage.services import person_key

Leaf = tuple[str | None, str | None, str | None]
DIMENSIONS = ("unit", "site", "job_family")
#: Depth metrics whose value is a time in seconds (shown as hours per person).
TIME_METRICS = frozenset({"teams.audio", "teams.video", "teams.screen_share"})
#: A licence is wasted when its holder has not used the service for this many days.
INACTIVE_DAYS = 30


def min_group() -> int:
    return int(settings.PHARE_USAGE_MIN_GROUP)


def released_before(today: dt.date | None = None) -> dt.date:
    """Usage is released by whole months that are over (as continuous answers are)."""
    return disclosure.release_before(today or timezone.localdate())


# -- the directory: leaves and the audience ----------------------------------------------------

def audience_leaves(service: Service, parents: Mapping[str, str | None] | None = None
                    ) -> Counter[Leaf]:
    """Active directory people in the service's audience, counted per leaf (unit × site × job
    family): everyone, or those matching every audience dimension that lists something (a
    unit covers its sub-units) — the catalogue's rule."""
    people = audience_people(service, parents)
    rows = (people.values_list("business_unit__code", "site__code", "job_family__code")
            .annotate(n=Count("pk")).order_by())
    return Counter({(u, s, j): n for u, s, j, n in rows})


def _active_leaves(frame: pd.DataFrame, audience: Mapping[Leaf, int]) -> Counter[Leaf]:
    """Active people per leaf, among the audience only (adoption's numerator)."""
    counts: Counter[Leaf] = Counter()
    for unit, site, family, n in frame[["unit", "site", "job_family", "active_users"]].itertuples(
            index=False):
        leaf = (_none(unit), _none(site), _none(family))
        if leaf in audience:
            counts[leaf] += int(n)
    # People who left the directory are in no unit; if some people of the audience are in no
    # unit either, the leaf never counts more active people than it holds.
    return Counter({leaf: min(n, audience[leaf]) for leaf, n in counts.items()})


def _none(value: Any) -> str | None:
    return None if value is None or (isinstance(value, float) and pd.isna(value)) else str(value)


# -- releasing cells ----------------------------------------------------------------------------

@dataclass(frozen=True)
class Cell:
    """A group a reader can ask for: a unit (with its sub-units), a site or a job family."""

    dimension: str
    key: str | None  # None: the whole audience


@dataclass
class Release:
    """Every cell of one (service, period) with its counts, and which are hidden."""

    active: dict[Cell, int]
    audience: dict[Cell, int]
    hidden: set[Cell]

    def shown(self, cell: Cell) -> bool:
        return cell in self.audience and cell not in self.hidden


def _cell_leaves(audience: Mapping[Leaf, int], parents: Mapping[str, str | None]
                 ) -> dict[Cell, frozenset[Leaf]]:
    """The leaves (with people) each askable cell covers."""
    cells: dict[Cell, set[Leaf]] = defaultdict(set)
    leaves = [leaf for leaf, n in audience.items() if n > 0]
    cells[Cell("all", None)] = set(leaves)
    for leaf in leaves:
        unit, site, family = leaf
        if unit is not None and unit in parents:
            node: str | None = unit
            seen: set[str] = set()
            while node is not None and node not in seen:
                seen.add(node)
                cells[Cell("unit", node)].add(leaf)
                node = parents.get(node)
        if site is not None:
            cells[Cell("site", site)].add(leaf)
        if family is not None:
            cells[Cell("job_family", family)].add(leaf)
    return {cell: frozenset(found) for cell, found in cells.items()}


def total_released(active: int, audience: int, k: int) -> bool:
    """Whether a whole audience's rate may be shown: its people, its active and its inactive
    people each number 0 or at least ``k`` (a total has no complement to hide in)."""
    return not (disclosure.small(audience, k) or disclosure.small(active, k)
                or disclosure.small(audience - active, k))


def _breakdowns(parents: Mapping[str, str | None]) -> list[tuple[str, str | None]]:
    """The breakdowns a reader can ask for: units under each unit (and the top), sites, job
    families."""
    out: list[tuple[str, str | None]] = [("unit", None)]
    out += [("unit", code) for code in parents]
    return [*out, ("site", None), ("job_family", None)]


def release(active_leaves: Mapping[Leaf, int], audience: Mapping[Leaf, int],
            parents: Mapping[str, str | None], k: int) -> Release:
    """Which cells of every breakdown may be shown (see the module docstring)."""
    covers = _cell_leaves(audience, parents)
    act = {cell: sum(active_leaves.get(leaf, 0) for leaf in leaves)
           for cell, leaves in covers.items()}
    aud = {cell: sum(audience[leaf] for leaf in leaves) for cell, leaves in covers.items()}
    total = Cell("all", None)
    forced: set[Cell] = set()
    if not total_released(act[total], aud[total], k):
        return Release(act, aud, set(covers))
    while True:
        hidden: set[Cell] = set()
        for dimension, parent in _breakdowns(parents):
            cells, res_active, res_audience = _breakdown(dimension, parent, covers, act, aud,
                                                         active_leaves, audience, parents)
            if not cells:
                continue
            hidden |= disclosure.rate_cells_hidden(
                {c: act[c] for c in cells}, {c: aud[c] for c in cells}, k,
                residual_active=res_active, residual_audience=res_audience,
                hidden=[c for c in cells if c in forced])
        # A unit is only shown when its parent is (a hierarchy is released from the top).
        for cell in list(covers):
            if cell.dimension == "unit" and cell.key is not None:
                node = parents.get(cell.key)
                while node is not None:
                    if Cell("unit", node) in hidden:
                        hidden.add(cell)
                        break
                    node = parents.get(node)
        audit = _audit(covers, act, aud, hidden | forced, k)
        if audit <= forced:
            return Release(act, aud, hidden | forced)
        forced |= audit


def _breakdown(dimension: str, parent: str | None, covers: Mapping[Cell, frozenset[Leaf]],
               act: Mapping[Cell, int], aud: Mapping[Cell, int],
               active_leaves: Mapping[Leaf, int], audience: Mapping[Leaf, int],
               parents: Mapping[str, str | None]) -> tuple[list[Cell], int, int]:
    """The cells of one breakdown and its residual (active, audience): people in no cell."""
    if dimension == "unit":
        cells = [Cell("unit", code) for code, up in parents.items()
                 if up == parent and Cell("unit", code) in covers]
        if parent is None:
            scope = covers[Cell("all", None)]
        else:
            if Cell("unit", parent) not in covers:
                return [], 0, 0
            scope = covers[Cell("unit", parent)]
    else:
        cells = [cell for cell in covers if cell.dimension == dimension]
        scope = covers[Cell("all", None)]
    inside: set[Leaf] = set()
    for cell in cells:
        inside |= covers[cell]
    rest = scope - inside
    return (cells, sum(active_leaves.get(leaf, 0) for leaf in rest),
            sum(audience[leaf] for leaf in rest))


def _audit(covers: Mapping[Cell, frozenset[Leaf]], act: Mapping[Cell, int],
           aud: Mapping[Cell, int], hidden: set[Cell], k: int) -> set[Cell]:
    """Shown cells that another shown cell holds with a small group more (nested by chance:
    all of a unit's people at one site): the smaller is hidden, else the difference of the
    two would be that small group."""
    shown = sorted((c for c in covers if c not in hidden and c.key is not None),
                   key=lambda c: (len(covers[c]), c.dimension, c.key or ""))
    out: set[Cell] = set()
    for i, small_cell in enumerate(shown):
        leaves = covers[small_cell]
        for big in shown[i + 1:]:
            if big.dimension == small_cell.dimension and big.dimension != "unit":
                continue
            if len(covers[big]) < len(leaves) or not leaves <= covers[big]:
                continue
            d_active = act[big] - act[small_cell]
            d_inactive = (aud[big] - act[big]) - (aud[small_cell] - act[small_cell])
            if disclosure.small(d_active, k) or disclosure.small(d_inactive, k):
                out.add(small_cell)
                break
    return out


# -- adoption -----------------------------------------------------------------------------------

@dataclass
class Row:
    """One line of an adoption breakdown; hidden rows carry no figure at all."""

    key: str | None
    label: str
    active_users: int | None
    audience: int | None
    adoption_rate: float | None
    low: float | None
    high: float | None
    suppressed: bool

    def as_dict(self) -> dict[str, Any]:
        return {"key": self.key, "label": self.label, "active_users": self.active_users,
                "audience": self.audience, "adoption_rate": self.adoption_rate,
                "low": self.low, "high": self.high, "suppressed": self.suppressed}


def _row(cell: Cell, label: str, rel: Release) -> Row:
    rate = _rate(rel, cell)
    if rate is None:
        return Row(cell.key, label, None, None, None, None, None, True)
    return Row(cell.key, label, rel.active[cell], rel.audience[cell], rate.value, rate.low,
               rate.high, False)


@dataclass
class Adoption:
    service: Service
    month: dt.date | None
    by: str
    within: str | None
    total: Row | None
    rows: list[Row]
    months: list[dt.date]
    min_group: int


def months_with_usage(service: Service, *, today: dt.date | None = None) -> list[dt.date]:
    """Released months (over) that have usage, most recent first: the trend's."""
    return [m.month for m in reversed(trend(service, today=today))]


def _labels(by: str) -> dict[str, str]:
    if by == "unit":
        return dict(BusinessUnit.objects.values_list("code", "name"))
    if by == "site":
        return dict(Site.objects.values_list("code", "name"))
    return dict(JobFamily.objects.values_list("code", "name"))


def adoption(service: Service, *, by: str = "unit", month: dt.date | None = None,
             within: str | None = None, today: dt.date | None = None) -> Adoption:
    """Adoption of ``service`` in ``month`` (default: the last released month with usage), by
    unit (the children of ``within``, or the top units), site or job family."""
    if by not in DIMENSIONS:
        raise ValueError(f"by: one of {', '.join(DIMENSIONS)}")
    months = months_with_usage(service, today=today)
    k = min_group()
    if month is None:
        month = months[0] if months else None
    if month is None or month not in months:
        return Adoption(service, month, by, within, None, [], months, k)
    rel = _release_for(service, month)
    labels = _labels(by)
    if by == "unit":
        parents = unit_parents()
        codes = [c for c, up in parents.items() if up == within]
        if within is not None and not rel.shown(Cell("unit", within)):
            codes = []
        cells = [Cell("unit", c) for c in codes if Cell("unit", c) in rel.audience]
        total_cell = Cell("unit", within) if within else Cell("all", None)
    else:
        cells = [c for c in rel.audience if c.dimension == by]
        total_cell = Cell("all", None)
    rows = sorted((_row(c, labels.get(c.key or "", c.key or ""), rel) for c in cells),
                  key=lambda r: r.label.lower())
    total = _row(total_cell, labels.get(within or "", "") if within else "", rel)
    return Adoption(service, month, by, within, total, rows, months, k)


def _release_for(service: Service, month: dt.date) -> Release:
    return memo.remember("release", [service.pk, month],
                         lambda: _compute_release(service, month))


def _compute_release(service: Service, month: dt.date) -> Release:
    parents = unit_parents()
    audience = audience_leaves(service, parents)
    frame = engine.connect().monthly(services=[service.pk], months=[month])
    return release(_active_leaves(frame, audience), audience, parents, min_group())


# -- a service's trend, depth, cohorts -----------------------------------------------------------

@dataclass
class MonthFigures:
    month: dt.date
    active_users: int | None  # everyone active, in the audience or not
    audience: int
    adoption: A.Rate | None
    stickiness: float | None
    frequency: float | None  # active days per active user in the month
    daily_users: float | None = None  # mean daily active users over the month's days
    weekly_users: float | None = None  # mean weekly active users over its weeks


def trend(service: Service, *, today: dt.date | None = None) -> list[MonthFigures]:
    """Every released month of the service: active users (monthly, weekly and daily),
    adoption, stickiness, frequency."""
    return memo.remember("trend", [service.pk, today], lambda: _trend(service, today=today))


def _trend(service: Service, *, today: dt.date | None = None) -> list[MonthFigures]:
    """Every released month of the service: active users, adoption, stickiness, frequency."""
    before = released_before(today)
    eng = engine.connect()
    frame = eng.monthly(services=[service.pk])
    if frame.empty:
        return []
    frame = frame[frame["month"] < before]
    parents = unit_parents()
    audience = audience_leaves(service, parents)
    reach = sum(audience.values())
    daily = eng.daily(services=[service.pk])
    dau = {row.month: float(row.dau_mean) for row in daily.itertuples()}
    wau = {row.month: float(row.wau_mean)
           for row in eng.weekly(services=[service.pk]).itertuples()}
    k = min_group()
    out = []
    for month, part in sorted(frame.groupby("month"), key=lambda item: item[0]):
        everyone = int(part["active_users"].sum())
        days = int(part["active_days"].sum())
        inside = sum(_active_leaves(part, audience).values())
        shown = not disclosure.small(everyone, k)
        rate = None
        if reach and total_released(inside, reach, k):
            rate = A.adoption_rate(inside, reach)
        out.append(MonthFigures(
            month=month, active_users=everyone if shown else None, audience=reach,
            adoption=rate,
            stickiness=A.stickiness(dau.get(month, 0.0), everyone) if shown else None,
            frequency=round(days / everyone, 2) if shown and everyone else None,
            daily_users=round(dau[month], 1) if shown and month in dau else None,
            weekly_users=round(wau[month], 1) if shown and month in wau else None))
    return out


@dataclass
class DepthRow:
    metric: str
    people: int | None
    per_person: float | None
    duration_hours: float | None


def depth(service: Service, month: dt.date) -> list[DepthRow]:
    """What active users do with the service, per person and 30 days (see :func:`_depth`)."""
    return memo.remember("depth", [service.pk, month], lambda: _depth(service, month))


def _depth(service: Service, month: dt.date) -> list[DepthRow]:
    """What active users do with the service (Teams: messages, meetings, calls) per person
    and 30 days, where the source says it; metrics used by fewer than k people are hidden."""
    frame = engine.connect().depth(services=[service.pk], months=[month])
    k = min_group()
    rows = []
    for row in frame.itertuples():
        people = int(row.people)
        if disclosure.small(people, k):
            rows.append(DepthRow(str(row.metric), None, None, None))
            continue
        duration = row.duration if row.duration == row.duration else None
        # A time metric (Teams' audio, video, screen sharing) counts seconds: its figure per
        # person is the hours column, not a count.
        timed = str(row.metric) in TIME_METRICS
        rows.append(DepthRow(str(row.metric), people,
                             None if timed else round(float(row.total) / people, 1),
                             round(float(duration) / people / 3600, 1) if duration else None))
    return rows


def cohorts(service: Service, *, today: dt.date | None = None) -> Any:
    """Retention since first use (see :func:`_cohorts`)."""
    return memo.remember("cohorts", [service.pk, today], lambda: _cohorts(service, today=today))


def _cohorts(service: Service, *, today: dt.date | None = None) -> Any:
    """Retention since first use: the share of each month's new users still active after
    1, 2, … months (released months only; small cells hidden)."""
    before = released_before(today)
    frame = engine.connect().cohorts(service.pk)
    if frame.empty:
        return A.cohort_retention([], {}, k=min_group())
    # Cells of months that are over (their cohort's month is over too).
    rows = [(r.cohort, int(r.offset), int(r.users)) for r in frame.itertuples()
            if add_months(r.cohort, int(r.offset)) < before]
    sizes = {cohort: users for cohort, offset, users in rows if offset == 0}
    k = min_group()
    table = A.cohort_retention(rows, sizes, k=k)
    _suppress_diagonals(table, rows, k)
    return table


def _suppress_diagonals(table: list[Any], rows: list[tuple[dt.date, int, int]], k: int) -> None:
    """Complementary suppression across cohorts: the cells of one calendar month (each cohort
    at the offset that lands on it) add up to that month's active users, which the trend
    shows — so the hidden cells of a month must hold 0 or at least k people, or one more cell
    is hidden. A cohort whose own month (offset 0: its size) must be hidden is hidden whole."""
    users = {(cohort, offset): n for cohort, offset, n in rows}
    by_cohort = {row.cohort: row for row in table}

    def hide(cohort: dt.date, offset: int) -> None:
        row = by_cohort[cohort]
        if offset == 0:
            row = by_cohort[cohort] = dataclasses.replace(row, size=None)
            for other in row.users:
                row.users[other] = row.shares[other] = None
        else:
            row.users[offset] = row.shares[offset] = None

    changed = True
    while changed:
        changed = False
        months: dict[dt.date, dict[tuple[dt.date, int], int]] = defaultdict(dict)
        for (cohort, offset), n in users.items():
            months[add_months(cohort, offset)][(cohort, offset)] = n
        for cells in months.values():
            hidden = {cell for cell in cells if by_cohort[cell[0]].users.get(cell[1]) is None}
            for cell in disclosure.suppress(cells, k, hidden=hidden) - hidden:
                hide(*cell)
                changed = True
    table[:] = [by_cohort[row.cohort] for row in table]


def add_months(day: dt.date, months: int) -> dt.date:
    """The first day of the month ``months`` after ``day``'s."""
    index = day.year * 12 + day.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


# -- licences -----------------------------------------------------------------------------------

@dataclass
class LicenceUse:
    assigned: int
    seats: int | None
    inactive: int | None  # None: hidden (a small group)
    waste: A.Waste | None
    cost_per_seat: Decimal | None
    currency: str
    #: The day the inactive count is as of: the last day of the last released month (usage of
    #: a month that is not over is never shown, not even as a licence's last use).
    as_of: dt.date

    @property
    def seats_cost(self) -> Decimal | None:
        """What the seats bought cost a month (when both are known)."""
        if self.seats is None or self.cost_per_seat is None:
            return None
        return self.seats * self.cost_per_seat


def licence_use(service: Service, *, today: dt.date | None = None) -> LicenceUse | None:
    """Seats assigned, unused ones and their cost (see :func:`_licence_use`)."""
    return memo.remember("licences", [service.pk, today],
                         lambda: _licence_use(service, today=today))


def _licence_use(service: Service, *, today: dt.date | None = None) -> LicenceUse | None:
    """Seats assigned, how many holders had not used the service for 30 days at the end of
    the last released month (as :func:`trend`, a month that is not over reveals nothing), and
    what those seats cost per month; None when the service has no licences or seats
    recorded."""
    before = released_before(today)
    holders = list(Licence.objects.filter(service=service).values_list("person_id", flat=True))
    seats = Seats.objects.filter(service=service).first()
    if not holders and seats is None:
        return None
    last = engine.connect().last_active(service.pk, before=before)
    seen = dict(zip(last["person"], last["last_day"], strict=True))
    # Inactive: no activity over the released month's last INACTIVE_DAYS days.
    cutoff = before - dt.timedelta(days=INACTIVE_DAYS)
    inactive = sum(1 for pk in holders if (seen.get(person_key(pk)) or dt.date.min) < cutoff)
    k = min_group()
    # With no seat assigned to anyone in Phare there is no one to call inactive.
    hidden = (not holders or disclosure.small(inactive, k)
              or disclosure.small(len(holders) - inactive, k))
    cost = seats.cost_per_seat if seats else None
    waste = None if hidden else A.licence_waste(len(holders), inactive,
                                                float(cost) if cost is not None else None)
    return LicenceUse(assigned=len(holders), seats=seats.seats if seats else None,
                      inactive=None if hidden else inactive, waste=waste,
                      cost_per_seat=cost, currency=seats.currency if seats else "EUR",
                      as_of=before - dt.timedelta(days=1))


# -- deployments ----------------------------------------------------------------------------------

@dataclass
class DeploymentProgress:
    deployment: Deployment
    weeks: list[dt.date]  # Mondays of the weeks over since launch
    expected: list[float]
    units: list[dict[str, Any]]  # {"key", "label", "rates": [Rate|None per week]}
    total: list[A.Rate | None]
    lagging: list[dict[str, Any]]


def deployment(service: Service, *, today: dt.date | None = None) -> DeploymentProgress | None:
    """A roll-out's adoption by unit against its target curve (see :func:`_deployment`)."""
    return memo.remember("deployment", [service.pk, today],
                         lambda: _deployment(service, today=today))


def _deployment(service: Service, *, today: dt.date | None = None) -> DeploymentProgress | None:
    """Adoption (people who used the service at least once since launch) by top unit, week by
    week, against the target curve; the units clearly behind it at the last week."""
    plan = Deployment.objects.filter(service=service).first()
    if plan is None:
        return None
    today = today or timezone.localdate()
    start = plan.launched_on - dt.timedelta(days=plan.launched_on.weekday())
    this_week = today - dt.timedelta(days=today.weekday())
    weeks = []
    week = start
    while week < this_week:
        weeks.append(week)
        week += dt.timedelta(days=7)
    expected = A.target_curve(max(len(weeks) - 1, 0), target_rate=plan.target_rate,
                              target_weeks=plan.target_weeks,
                              shape="linear" if plan.shape == "linear" else "s")
    parents = unit_parents()
    audience = audience_leaves(service, parents)
    frame = engine.connect().first_use(service.pk, since=plan.launched_on)
    new: dict[dt.date, Counter[Leaf]] = defaultdict(Counter)
    for row in frame.itertuples():
        leaf = (_none(row.unit), _none(row.site), _none(row.job_family))
        if leaf in audience:
            new[row.week][leaf] += int(row.new_users)
    k = min_group()
    tops = [code for code, up in parents.items() if up is None]
    labels = _labels("unit")
    cumulative: Counter[Leaf] = Counter()
    per_unit: dict[str, list[A.Rate | None]] = {code: [] for code in tops}
    total: list[A.Rate | None] = []
    for week in weeks:
        cumulative.update(new.get(week, Counter()))
        for leaf in cumulative:
            cumulative[leaf] = min(cumulative[leaf], audience[leaf])
        rel = release(cumulative, audience, parents, k)
        total.append(_rate(rel, Cell("all", None)))
        for code in tops:
            per_unit[code].append(_rate(rel, Cell("unit", code)))
    covered = _cell_leaves(audience, parents)
    shown = [code for code in tops if Cell("unit", code) in covered]
    units = [{"key": code, "label": labels.get(code, code), "rates": per_unit[code]}
             for code in shown]
    lagging: list[dict[str, Any]] = []
    if weeks:
        latest: dict[str, A.Rate] = {}
        for code in shown:
            last_rate = per_unit[code][-1]
            if last_rate is not None:
                latest[code] = last_rate
        for code in A.lagging(latest, expected[len(weeks) - 1]):
            lagging.append({"key": code, "label": labels.get(code, code), "rate": latest[code]})
    return DeploymentProgress(plan, weeks, expected[:len(weeks)], units, total, lagging)


def _rate(rel: Release, cell: Cell) -> A.Rate | None:
    if not rel.shown(cell):
        return None
    return A.adoption_rate(rel.active[cell], rel.audience[cell])


# -- summaries ------------------------------------------------------------------------------------

@dataclass
class Summary:
    """A service's usage in one line: for the overview, the value card and the cockpit."""

    service: Service
    month: dt.date | None
    active_users: int | None
    audience: int
    adoption: A.Rate | None
    previous_active: int | None
    cost_per_active: float | None
    licences: LicenceUse | None
    trend: list[MonthFigures] = field(default_factory=list)


def summary(service: Service, *, today: dt.date | None = None) -> Summary | None:
    """The service's last released month of usage with its trend; None without usage."""
    months = trend(service, today=today)
    licences = licence_use(service, today=today)
    if not months and licences is None:
        return None
    last = months[-1] if months else None
    previous = months[-2] if len(months) > 1 else None
    cost = None
    if last and last.active_users and service.annual_run_cost:
        cost = round(float(service.annual_run_cost) / 12 / last.active_users, 2)
    return Summary(service=service, month=last.month if last else None,
                   active_users=last.active_users if last else None,
                   audience=last.audience if last else 0,
                   adoption=last.adoption if last else None,
                   previous_active=previous.active_users if previous else None,
                   cost_per_active=cost, licences=licences, trend=months)


def services_with_usage(services: Iterable[Service]) -> list[Service]:
    """The services (among ``services``) that have usage, licences or seats."""
    used = memo.remember("used", [], _services_used)
    return [s for s in services if s.pk in used]


def _services_used() -> set[int]:
    frame = engine.connect().monthly()
    used = {int(s) for s in frame["service"].unique()} if not frame.empty else set()
    used |= set(Licence.objects.values_list("service_id", flat=True).distinct())
    used |= set(Seats.objects.values_list("service_id", flat=True))
    return used


def overview(services: Sequence[Service], *, today: dt.date | None = None) -> list[Summary]:
    """Every given service with usage, with its summary, by name."""
    out = [summary(s, today=today) for s in services_with_usage(services)]
    return sorted((s for s in out if s is not None), key=lambda s: s.service.name.lower())


def tenant_counts() -> list[TenantCount]:
    """The latest tenant-wide counts per product and metric (from concealed reports)."""
    latest: dict[tuple[str, str], TenantCount] = {}
    for row in TenantCount.objects.order_by("-day"):
        latest.setdefault((row.product, row.metric), row)
    k = min_group()
    return [row for row in latest.values() if not disclosure.small(row.value, k)]


def imports(limit: int = 50) -> list[UsageImport]:
    return list(UsageImport.objects.select_related("created_by")[:limit])
