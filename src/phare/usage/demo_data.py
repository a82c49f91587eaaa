"""The demo's usage files, as a real tenant would have produced them over a year.

Nothing here touches the database: :func:`generate` takes the demo's people (plain dicts), the
catalogue services that exist and ``today``, and returns the files an administrator would
import, oldest first — monthly Microsoft 365 reports (``getOffice365ActiveUserDetail`` and
``getTeamsUserActivityUserDetail``, period D30, in their current column layouts, UTF-8 with a
BOM and CRLF as Microsoft writes them), a month of events per file (the intranet, two business
applications, the password portal and the Citrix broker, as their logs export them) and a
licence file (seats with their price, and the CRM's licence holders) from the purchasing team's
French Excel.

The story the pages should tell, and where it comes from:

- **A Teams roll-out** (``m365:teams``, the catalogue's video meetings service) launched about
  ten months ago: head office people adopt it within weeks, regional offices a little later,
  plant offices over a couple of months, and shop-floor staff of the plants slowly and seldom
  (:data:`TEAMS_ADOPTION`) — so the Production and Logistics units end the year far below the
  target curve, *lagging*.
- **Liked but little used**: the self-service password portal (its tickets are the best rated)
  is used by about one person in five a month — the *promote* quadrant.
- **Used but disliked**: the finance ERP (its tickets are the worst rated) is used nearly
  daily by almost all of Finance — the *fix* quadrant.
- **Licences paid and unused**: about 30 % of the CRM's licence holders have not opened it for
  30 days or more, at the catalogue's cost per seat.
- **Stickiness**: events give daily activity with fewer people on weekends; the ERP is opened
  most days by its users, the intranet a few days a month.
- **Honest imports**: former employees, a contractor, a service account and a meeting room
  appear in the files without being in the directory (*unmatched*), and accounts deleted
  during the year appear once with "Is Deleted" true (*skipped*).

An M365 report only gives each person's *last* activity date per product: twelve monthly
reports give at most one active day per person and month. The simulation therefore decides,
per person, product and month, whether the person was active and on which day they were last
active; a report gives, for each person, the latest of those days up to its refresh date.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
import random
import uuid
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple
from zoneinfo import ZoneInfo

GROUP_NAME = "Maréval Industries"
GROUP_DOMAIN = "mareval-industries.com"

# -- the catalogue services of the story ---------------------------------------------------------

#: The catalogue service each role of the story is played by (slugs of the demo catalogue).
TEAMS = "visioconference"  # Microsoft Teams: the catalogue's video meetings service
MAIL = "messagerie-agenda"
FILES = "espaces-equipe"
INTRANET = "intranet"
ERP = "erp-finance"  # used but disliked
PASSWORD = "reinitialisation-mot-de-passe"  # liked but little used
CRM = "crm-ventes"  # licences paid and unused
VDI = "bureau-a-distance-citrix"  # the VDI broker, being retired
SERVICES = (TEAMS, MAIL, FILES, INTRANET, ERP, PASSWORD, CRM, VDI)

#: Which catalogue service each Microsoft 365 product of the reports is.
PRODUCT_SERVICES: dict[str, str] = {
    "m365:exchange": MAIL,
    "m365:onedrive": FILES,
    "m365:sharepoint": FILES,
    "m365:teams": TEAMS,
}
#: The price of a seat per month (the catalogue's unit cost of these services).
SEAT_PRICES: dict[str, float] = {CRM: 65.0, ERP: 85.0, VDI: 9.8}

#: The Teams deployment the demo records: the share of people it aims at, and by when.
TARGET_RATE = 0.85
TARGET_WEEKS = 12
#: How long before ``today`` Teams was launched (on the Monday of that week).
LAUNCH_DAYS_AGO = 300

# -- who behaves how --------------------------------------------------------------------------

HEAD_OFFICE = "PAR"
PLANTS = frozenset({"VAL", "STE", "ORL"})
#: Job families of the shop floor: at a plant, these people share kiosks and seldom sit at
#: a computer.
SHOP_FLOOR = frozenset({"PROD", "SCM"})
HEAD, OFFICE, PLANT_OFFICE, SHOP = "head_office", "office", "plant_office", "shop_floor"
KINDS = (HEAD, OFFICE, PLANT_OFFICE, SHOP)


class Adoption(NamedTuple):
    """How a kind of people takes up Teams: the chance to ever use it, the mean days after
    the launch before the first use, and the chance to be active in a later month."""

    ever: float
    mean_days: float
    monthly: float


TEAMS_ADOPTION: dict[str, Adoption] = {
    HEAD: Adoption(0.95, 9, 0.97),
    OFFICE: Adoption(0.93, 18, 0.95),
    PLANT_OFFICE: Adoption(0.85, 45, 0.9),
    SHOP: Adoption(0.24, 150, 0.7),
}
#: The chance to be active in a month: Exchange, OneDrive, SharePoint.
MONTHLY: dict[str, dict[str, float]] = {
    "exchange": {HEAD: 0.99, OFFICE: 0.99, PLANT_OFFICE: 0.97, SHOP: 0.55},
    "onedrive": {HEAD: 0.8, OFFICE: 0.75, PLANT_OFFICE: 0.6, SHOP: 0.08},
    "sharepoint": {HEAD: 0.85, OFFICE: 0.8, PLANT_OFFICE: 0.65, SHOP: 0.12},
}
#: Intranet: the chance to visit in a month, and the mean days of visit when one does.
INTRANET_MONTHLY = {HEAD: 0.8, OFFICE: 0.75, PLANT_OFFICE: 0.6, SHOP: 0.3}
INTRANET_DAYS = {HEAD: 3.0, OFFICE: 2.5, PLANT_OFFICE: 2.0, SHOP: 1.2}
#: The password portal: the chance to use it in a month (the story's ~20 %).
PASSWORD_MONTHLY = {HEAD: 0.21, OFFICE: 0.2, PLANT_OFFICE: 0.18, SHOP: 0.15}
#: The ERP: Finance's people who use it, their chance to be active in a month and their days.
ERP_USERS, ERP_MONTHLY, ERP_DAYS = 0.92, 0.97, 15.0
#: The CRM: its licence holders who never or no longer use it (the story's ~30 %).
CRM_DORMANT, CRM_MONTHLY, CRM_DAYS = 0.3, 0.95, 7.0
#: Citrix: office people who still use it, and how their use fades before its end of life.
VDI_USERS, VDI_MONTHLY_FIRST, VDI_MONTHLY_LAST, VDI_DAYS = 0.07, 0.9, 0.45, 5.0

#: Relative activity by day of the week (Monday first): offices, and remote desktops.
WEEK_OFFICE = (1.0, 1.0, 1.0, 1.0, 0.9, 0.06, 0.03)
WEEK_REMOTE = (1.0, 1.0, 1.0, 1.0, 0.9, 0.2, 0.15)

# -- the files' layouts ---------------------------------------------------------------------------

#: Microsoft's product names, in the order of the active users report's columns.
M365_PRODUCTS = ("Exchange", "OneDrive", "SharePoint", "Skype For Business", "Yammer", "Teams")
ACTIVE_USERS_HEADER: tuple[str, ...] = (
    "Report Refresh Date", "User Principal Name", "Display Name", "Is Deleted", "Deleted Date",
    *(f"Has {product} License" for product in M365_PRODUCTS),
    *(f"{product} Last Activity Date" for product in M365_PRODUCTS),
    *(f"{product} License Assign Date" for product in M365_PRODUCTS),
    "Assigned Products",
)
_MEETING_KINDS = ("Ad Hoc Meetings", "Scheduled One-time Meetings",
                  "Scheduled Recurring Meetings")
_MEDIA = ("Audio", "Video", "Screen Share")
TEAMS_HEADER: tuple[str, ...] = (
    "Report Refresh Date", "Tenant Display Name", "Shared Channel Tenant Display Names",
    "User Id", "User Principal Name", "Last Activity Date", "Is Deleted", "Deleted Date",
    "Assigned Products", "Team Chat Message Count", "Private Chat Message Count", "Call Count",
    "Meeting Count", "Post Messages", "Reply Messages", "Urgent Messages",
    "Meetings Organized Count", "Meetings Attended Count",
    *(f"{kind} {role} Count" for kind in _MEETING_KINDS for role in ("Organized", "Attended")),
    *(f"{media} Duration" for media in _MEDIA),
    *(f"{media} Duration In Seconds" for media in _MEDIA),
    "Has Other Action", "Is Licensed", "Report Period",
)
EVENTS_HEADER = ("time", "person", "service", "event", "count", "duration")
LICENCES_HEADER = ("service", "person", "assigned_on", "seats", "cost_per_seat", "currency")
REPORT_PERIOD = 30
E3, F3 = "MICROSOFT 365 E3", "MICROSOFT 365 F3"

#: Sources, as :data:`phare.usage.records.SOURCES` names them.
ACTIVE_USERS, TEAMS_REPORT, EVENTS, LICENCES = "m365-active-users", "m365-teams", "events", \
    "licences"


class UsageFile(NamedTuple):
    """A file as it would be imported: its name, its source and its bytes."""

    name: str
    source: str
    data: bytes


# -- the timeline ---------------------------------------------------------------------------------

def launch_date(today: dt.date) -> dt.date:
    """The Monday Teams was launched: about ten months before ``today``."""
    day = today - dt.timedelta(days=LAUNCH_DAYS_AGO)
    return day - dt.timedelta(days=day.weekday())


def _add_months(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


@dataclass(frozen=True)
class Timeline:
    """The year the files cover: twelve whole months before ``today``'s, and the days of
    ``today``'s month before it. Events run to yesterday; a report is refreshed at the end of
    each month, and two days before ``today`` for the month under way."""

    today: dt.date

    @property
    def start(self) -> dt.date:
        return _add_months(self.today.replace(day=1), -12)

    @property
    def last_event_day(self) -> dt.date:
        return self.today - dt.timedelta(days=1)

    @property
    def months(self) -> list[dt.date]:
        """The first day of every month with events."""
        out, month = [], self.start
        while month <= self.last_event_day:
            out.append(month)
            month = _add_months(month, 1)
        return out

    @property
    def report_days(self) -> list[dt.date]:
        """The refresh dates of the reports, oldest first."""
        this_month = self.today.replace(day=1)
        days = [_add_months(m, 1) - dt.timedelta(days=1) for m in self.months if m < this_month]
        latest = self.today - dt.timedelta(days=2)
        if latest >= this_month:
            days.append(latest)
        return days


# -- people ---------------------------------------------------------------------------------------

@dataclass
class _Person:
    email: str
    employee_id: str
    name: str
    site: str
    family: str
    unit: str
    kind: str
    left_on: dt.date | None
    guid: str = ""
    #: product → the last active day of each month (None: not active that month).
    last: dict[str, list[dt.date | None]] = field(default_factory=dict)
    #: product → a last activity before the year (None: none).
    before: dict[str, dt.date | None] = field(default_factory=dict)
    licensed_on: dict[str, dt.date] = field(default_factory=dict)
    teams_from: dt.date | None = None
    intensity: float = 1.0


def kind_of(site: str | None, family: str | None) -> str:
    """Head office, another office, a plant's office or a plant's shop floor."""
    if site in PLANTS:
        return SHOP if family in SHOP_FLOOR else PLANT_OFFICE
    return HEAD if site == HEAD_OFFICE else OFFICE


def _people(rng: random.Random, rows: Sequence[Mapping[str, Any]], timeline: Timeline
            ) -> list[_Person]:
    out = []
    ordered = sorted(rows, key=lambda row: (str(row.get("employee_id") or ""),
                                            str(row.get("email") or "")))
    for row in ordered:
        email = str(row.get("email") or "").strip().lower()
        if not email:
            continue
        site, family = row.get("site"), row.get("job_family")
        name = str(row.get("name") or "").strip() or email.split("@")[0].replace(".", " ").title()
        left_on = None
        if row.get("active") is False:
            # Most of those who left did so during the year; the others before it.
            if rng.random() < 0.7:
                span = (timeline.last_event_day - timeline.start).days
                left_on = timeline.start + dt.timedelta(days=rng.randrange(max(span, 1)))
            else:
                continue
        out.append(_Person(email=email, employee_id=str(row.get("employee_id") or ""),
                           name=name, site=str(site or ""), family=str(family or ""),
                           unit=str(row.get("unit") or ""), kind=kind_of(site, family),
                           left_on=left_on))
    return out


class _Outsider(NamedTuple):
    """Someone the files know and the directory does not."""

    email: str
    name: str
    left_on: dt.date | None  # None: still there (a contractor, a service account)
    teams: bool
    intranet: bool


def _unused(local: str, taken: set[str], domain: str) -> str:
    email, n = f"{local}@{domain}", 1
    while email in taken:
        n += 1
        email = f"{local}{n}@{domain}"
    taken.add(email)
    return email


def _outsiders(people: Sequence[_Person], timeline: Timeline, domain: str
               ) -> list[_Outsider]:
    """Former employees who left during the year, a contractor, a service account and a
    meeting room: their lines match no one in the directory."""
    taken = {p.email for p in people}
    months = timeline.months
    return [
        _Outsider(_unused("julien.perrault", taken, domain), "Julien Perrault",
                  months[2] + dt.timedelta(days=11), True, True),
        _Outsider(_unused("sandrine.lemoal", taken, domain), "Sandrine Le Moal",
                  months[len(months) // 2] + dt.timedelta(days=20), True, True),
        _Outsider(_unused("prestataire.k.benali", taken, domain), "Karim Benali (prestataire)",
                  None, True, True),
        _Outsider(_unused("svc-scanner-paris", taken, domain), "Scanner Paris", None, False,
                  False),
        _Outsider(_unused("salle-conseil", taken, domain), "Salle du conseil", None, False,
                  False),
    ]


#: Contractors' ids in the Citrix broker's log: people the directory does not hold.
CONTRACTORS = ("EXT000412", "EXT000977")

# -- drawing -------------------------------------------------------------------------------------


def _poisson(rng: random.Random, mean: float) -> int:
    """A Poisson draw: Knuth's method for small means, the normal approximation above 12."""
    if mean > 12:
        return max(0, round(rng.gauss(mean, math.sqrt(mean))))
    limit, k, product = math.exp(-mean), 0, rng.random()
    while product > limit:
        k += 1
        product *= rng.random()
    return k


class _Month:
    """A month's days: all of them, its working days, and weights for drawing active days."""

    def __init__(self, first: dt.date, last: dt.date) -> None:
        self.first, self.last = first, last
        self.days = [first + dt.timedelta(days=i) for i in range((last - first).days + 1)]
        self.workdays = [d for d in self.days if d.weekday() < 5] or self.days
        self.office = self._cumulative(WEEK_OFFICE)
        self.remote = self._cumulative(WEEK_REMOTE)

    def _cumulative(self, week: tuple[float, ...]) -> list[float]:
        total, out = 0.0, []
        for day in self.days:
            total += week[day.weekday()]
            out.append(total)
        return out

    def draw(self, rng: random.Random, count: int, cumulative: list[float]) -> list[dt.date]:
        """About ``count`` distinct days, weekends less likely (sorted)."""
        if count <= 0:
            return []
        return sorted(set(rng.choices(self.days, cum_weights=cumulative, k=count)))

    def late_day(self, rng: random.Random, after: dt.date | None = None,
                 steady: bool = True) -> dt.date:
        """A person's last active day of the month: near its end for a steady user, anywhere
        for an occasional one; never before ``after``."""
        days = [d for d in self.workdays if after is None or d >= after] or [
            d for d in self.days if after is None or d >= after] or [self.last]
        if steady:
            back = min(int(rng.expovariate(1.2)), len(days) - 1)
            return days[-1 - back]
        return days[rng.randrange(len(days))]


def _months(timeline: Timeline, until: dt.date) -> list[_Month]:
    out = []
    for first in timeline.months:
        last = min(_add_months(first, 1) - dt.timedelta(days=1), until)
        if last >= first:
            out.append(_Month(first, last))
    return out


# -- Microsoft 365: the simulation ----------------------------------------------------------------

def _simulate_m365(rng: random.Random, people: Sequence[_Person], timeline: Timeline,
                   launch: dt.date) -> None:
    until = timeline.report_days[-1]
    months = _months(timeline, until)
    for person in people:
        person.guid = str(uuid.UUID(int=rng.getrandbits(128), version=4))
        person.intensity = rng.lognormvariate(0, 0.6)
        hired = dt.date(2016, 1, 4) + dt.timedelta(days=rng.randrange(3000))
        for product in ("exchange", "onedrive", "sharepoint"):
            person.licensed_on[product] = hired
            chance = MONTHLY[product][person.kind]
            steady = person.kind != SHOP
            person.before[product] = (timeline.start - dt.timedelta(days=1 + rng.randrange(20))
                                      if rng.random() < chance else None)
            person.last[product] = [
                month.late_day(rng, steady=steady)
                if _present(person, month) and rng.random() < chance else None
                for month in months]
        _simulate_teams(rng, person, months, launch, until)
        left_on = person.left_on
        if left_on is not None:
            # Active up to their last day, in the month they left; never after.
            for days in person.last.values():
                for i, day in enumerate(days):
                    if day is not None and day > left_on:
                        days[i] = left_on if left_on >= months[i].first else None


def _present(person: _Person, month: _Month) -> bool:
    return person.left_on is None or person.left_on >= month.first


def _simulate_teams(rng: random.Random, person: _Person, months: Sequence[_Month],
                    launch: dt.date, until: dt.date) -> None:
    plan = TEAMS_ADOPTION[person.kind]
    person.licensed_on["teams"] = launch
    person.before["teams"] = None
    first: dt.date | None = None
    if rng.random() < plan.ever:
        first = launch + dt.timedelta(days=int(rng.expovariate(1 / plan.mean_days)))
        if first > until or (person.left_on is not None and first > person.left_on):
            first = None
    person.teams_from = first
    days: list[dt.date | None] = []
    for month in months:
        if first is None or first > month.last:
            days.append(None)
        elif first >= month.first:
            days.append(month.late_day(rng, after=first, steady=person.kind != SHOP))
        elif rng.random() < plan.monthly:
            days.append(month.late_day(rng, steady=person.kind != SHOP))
        else:
            days.append(None)
    person.last["teams"] = days


def _last_activity(person: _Person, product: str, index: int) -> dt.date | None:
    """The person's last activity of ``product`` up to the end of month ``index``."""
    for day in reversed(person.last[product][:index + 1]):
        if day is not None:
            return day
    return person.before.get(product)


_ISO: dict[dt.date, str] = {}


def _text(day: dt.date | None) -> str:
    if day is None:
        return ""
    text = _ISO.get(day)
    if text is None:
        text = _ISO[day] = day.isoformat()
    return text


def _month_index(months: Sequence[dt.date], day: dt.date) -> int:
    return max(i for i, first in enumerate(months) if first <= day)


def _csv(header: Sequence[str], rows: Iterable[Sequence[object]], *, bom: bool = False,
         delimiter: str = ",", lineterminator: str = "\r\n") -> bytes:
    """A file as the outside system writes it. Not :func:`phare.lib.csvtext.csv_writer`: that
    one guards Phare's own exports against spreadsheet formulas, which Microsoft's and the
    logs' files do not do (and no cell here starts with ``=``, ``+``, ``-`` or ``@``)."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator=lineterminator)
    writer.writerow(header)
    writer.writerows(rows)
    return (("\ufeff" if bom else "") + out.getvalue()).encode("utf-8")


def _active_users(people: Sequence[_Person], outsiders: Sequence[_Outsider],
                  timeline: Timeline, report: dt.date, launch: dt.date) -> bytes:
    index = _month_index(timeline.months, report)
    previous = timeline.report_days[timeline.report_days.index(report) - 1] \
        if timeline.report_days.index(report) else None
    teams_on = report >= launch
    rows: list[list[str]] = []
    for person in people:
        deleted = _deleted(person.left_on, report, previous)
        if deleted is None:
            continue
        lasts = {p: _last_activity(person, p, index)
                 for p in ("exchange", "onedrive", "sharepoint", "teams")}
        licences = [True, True, True, False, False, teams_on]
        assigned = [person.licensed_on["exchange"], person.licensed_on["onedrive"],
                    person.licensed_on["sharepoint"], None, None,
                    person.licensed_on["teams"] if teams_on else None]
        rows.append([
            report.isoformat(), person.email, person.name, str(deleted), _deleted_on(
                person.left_on, deleted),
            *(str(flag) for flag in licences),
            _text(lasts["exchange"]), _text(lasts["onedrive"]), _text(lasts["sharepoint"]), "",
            "", _text(lasts["teams"] if teams_on else None),
            *(_text(day) for day in assigned),
            F3 if person.kind == SHOP else E3])
    rows.extend(_outsider_rows(outsiders, timeline, report, previous, launch))
    return _csv(ACTIVE_USERS_HEADER, rows, bom=True)


def _deleted(left_on: dt.date | None, report: dt.date, previous: dt.date | None
             ) -> bool | None:
    """Whether a line says the account is deleted; None when the report no longer lists it
    (an account deleted before the previous report)."""
    if left_on is None or left_on >= report:
        return False
    if previous is None or left_on >= previous:
        return True
    return None


def _deleted_on(left_on: dt.date | None, deleted: bool) -> str:
    return (left_on + dt.timedelta(days=1)).isoformat() if deleted and left_on else ""


def _outsider_rows(outsiders: Sequence[_Outsider], timeline: Timeline, report: dt.date,
                   previous: dt.date | None, launch: dt.date) -> list[list[str]]:
    rows = []
    for who in outsiders:
        deleted = _deleted(who.left_on, report, previous)
        if deleted is None:
            continue
        last_day = (who.left_on - dt.timedelta(days=1)) if deleted and who.left_on else \
            _workday_before(report)
        teams = who.teams and report >= launch
        flags = [True, who.teams, who.teams, False, False, teams]
        rows.append([
            report.isoformat(), who.email, who.name, str(deleted),
            _deleted_on(who.left_on, deleted), *(str(flag) for flag in flags),
            _text(last_day), _text(last_day if who.teams else None),
            _text(last_day if who.teams else None), "", "", _text(last_day if teams else None),
            _text(timeline.start - dt.timedelta(days=400)),
            _text(timeline.start - dt.timedelta(days=400) if who.teams else None),
            _text(timeline.start - dt.timedelta(days=400) if who.teams else None), "", "",
            _text(launch if teams else None),
            E3 if who.teams else "EXCHANGE ONLINE (PLAN 1)"])
    return rows


def _workday_before(day: dt.date) -> dt.date:
    day -= dt.timedelta(days=1)
    while day.weekday() >= 5:
        day -= dt.timedelta(days=1)
    return day


def _iso_duration(seconds: int) -> str:
    """An ISO-8601 duration as the Teams report writes it: ``PT5H12M``, ``PT0S``."""
    if seconds <= 0:
        return "PT0S"
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return "PT" + "".join(f"{value}{unit}" for value, unit in
                          ((hours, "H"), (minutes, "M"), (secs, "S")) if value)


def _teams_report(rng: random.Random, people: Sequence[_Person],
                  outsiders: Sequence[_Outsider], timeline: Timeline, report: dt.date
                  ) -> bytes:
    index = _month_index(timeline.months, report)
    position = timeline.report_days.index(report)
    previous = timeline.report_days[position - 1] if position else None
    window = report - dt.timedelta(days=REPORT_PERIOD - 1)
    rows: list[list[object]] = []
    for person in people:
        deleted = _deleted(person.left_on, report, previous)
        if deleted is None:
            continue
        last_day = _last_activity(person, "teams", index)
        active = last_day is not None and last_day >= window
        rows.append(_teams_row(rng, report, person.guid, person.email, last_day, deleted,
                               _deleted_on(person.left_on, deleted),
                               F3 if person.kind == SHOP else E3,
                               person.intensity * (0.35 if person.kind == SHOP else 1.0)
                               if active else 0.0))
    for who in outsiders:
        deleted = _deleted(who.left_on, report, previous)
        if not who.teams or deleted is None:
            continue
        last_day = (who.left_on - dt.timedelta(days=1)) if deleted and who.left_on else \
            _workday_before(report)
        guid = str(uuid.UUID(int=rng.getrandbits(128), version=4))
        rows.append(_teams_row(rng, report, guid, who.email, last_day, deleted,
                               _deleted_on(who.left_on, deleted), E3,
                               0.0 if deleted else 1.0))
    return _csv(TEAMS_HEADER, rows, bom=True)


def _teams_row(rng: random.Random, report: dt.date, guid: str, email: str,
               last_day: dt.date | None, deleted: bool, deleted_on: str, products: str,
               intensity: float) -> list[object]:
    """One line of the Teams report: counts over the 30 days, scaled by ``intensity``."""
    def count(mean: float) -> int:
        return _poisson(rng, mean * intensity) if intensity > 0 else 0

    team_chat, private_chat = count(12), count(40)
    calls = count(4)
    organized = [count(1.5), count(2.0), count(1.0)]
    attended = [count(3.0), count(5.0), count(6.0)]
    meetings = sum(organized) + sum(attended)
    audio = int((meetings + calls) * 1650 * rng.uniform(0.7, 1.3))
    video = int(audio * rng.uniform(0.2, 0.6))
    screen = int(audio * rng.uniform(0.05, 0.25))
    return [
        report.isoformat(), GROUP_NAME, "", guid, email, _text(last_day), str(deleted),
        deleted_on, products, team_chat, private_chat, calls, meetings, count(1.0),
        count(3.0), count(0.1), sum(organized), sum(attended),
        organized[0], attended[0], organized[1], attended[1], organized[2], attended[2],
        _iso_duration(audio), _iso_duration(video), _iso_duration(screen), audio, video,
        screen, "No", "Yes", REPORT_PERIOD]


# -- events ---------------------------------------------------------------------------------------

class _Event(NamedTuple):
    time: str
    person: str
    service: str
    event: str
    times: int  # the file's "count": how many times that day
    duration: int | None


class _Clock:
    """Times of day written as the logs write them: UTC, with a ``Z``."""

    def __init__(self, zone: ZoneInfo) -> None:
        self.zone = zone
        self._offsets: dict[dt.date, int] = {}

    def stamp(self, rng: random.Random, day: dt.date, first_hour: int = 7,
              last_hour: int = 19) -> str:
        offset = self._offsets.get(day)
        if offset is None:
            noon = dt.datetime(day.year, day.month, day.day, 12, tzinfo=self.zone)
            delta = noon.utcoffset()
            offset = self._offsets[day] = int(delta.total_seconds()) // 3600 if delta else 0
        seconds = int((first_hour - offset + rng.random() * (last_hour - first_hour)) * 3600)
        hour, rest = divmod(seconds, 3600)
        minute, second = divmod(rest, 60)
        return f"{day.isoformat()}T{hour:02d}:{minute:02d}:{second:02d}Z"


def _simulate_events(rng: random.Random, people: Sequence[_Person],
                     outsiders: Sequence[_Outsider], services: Collection[str],
                     timeline: Timeline, clock: _Clock) -> tuple[
                         dict[int, list[_Event]], list[tuple[_Person, dt.date]]]:
    """Every month's events, and the CRM's licence holders with their licence date."""
    months = _months(timeline, timeline.last_event_day)
    by_month: dict[int, list[_Event]] = {i: [] for i in range(len(months))}
    holders: list[tuple[_Person, dt.date]] = []
    span = max(len(months) - 1, 1)

    def add(index: int, month: _Month, who: str, service: str, event: str, days: int,
            weights: list[float], *, count: tuple[int, int] = (1, 1),
            duration: tuple[int, int] | None = None, until: dt.date | None = None) -> None:
        low, spread = count[0], count[1] - count[0] + 1
        for day in month.draw(rng, days, weights):
            if until is not None and day > until:
                continue
            n = low + int(rng.random() * spread)
            seconds = None if duration is None else int(
                n * (duration[0] + rng.random() * (duration[1] - duration[0])))
            by_month[index].append(_Event(clock.stamp(rng, day), who, service, event, n,
                                          seconds))

    for person in people:
        kind = person.kind
        erp_user = person.unit.startswith("FIN") and rng.random() < ERP_USERS
        vdi_user = kind in (HEAD, OFFICE) and rng.random() < VDI_USERS
        crm_holder = person.unit.startswith("VEN") or (
            kind == HEAD and person.family in ("MGT", "MKT") and rng.random() < 0.1)
        crm_dormant = crm_holder and rng.random() < CRM_DORMANT
        # A dormant holder never opened it, or stopped some months ago.
        crm_stop = (rng.randrange(max(len(months) - 3, 1)) if rng.random() < 0.5 else -1) \
            if crm_dormant else len(months)
        if crm_holder and person.left_on is None:
            holders.append((person, timeline.start - dt.timedelta(days=60 + rng.randrange(700))))
        for index, month in enumerate(months):
            if not _present(person, month):
                continue
            left = person.left_on
            if INTRANET in services and rng.random() < INTRANET_MONTHLY[kind]:
                add(index, month, person.email, INTRANET, "page_view",
                    max(1, _poisson(rng, INTRANET_DAYS[kind])), month.office, count=(1, 9),
                    until=left)
            if PASSWORD in services and rng.random() < PASSWORD_MONTHLY[kind]:
                add(index, month, person.email, PASSWORD, "password_reset",
                    1 if rng.random() < 0.85 else 2, month.office, until=left)
            if ERP in services and erp_user and rng.random() < ERP_MONTHLY:
                # The ERP's log names people by their employee id.
                add(index, month, person.employee_id or person.email, ERP, "session",
                    max(1, _poisson(rng, ERP_DAYS)), month.office, count=(1, 4),
                    duration=(600, 5400), until=left)
            if CRM in services and crm_holder and index < crm_stop and rng.random() < (
                    0.4 if crm_dormant else CRM_MONTHLY):
                add(index, month, person.email, CRM, "session",
                    max(1, _poisson(rng, 2.0 if crm_dormant else CRM_DAYS)), month.office,
                    count=(1, 3), duration=(300, 2400), until=left)
            share = VDI_MONTHLY_FIRST + (VDI_MONTHLY_LAST - VDI_MONTHLY_FIRST) * index / span
            if VDI in services and vdi_user and rng.random() < share:
                add(index, month, person.email, VDI, "session",
                    max(1, _poisson(rng, VDI_DAYS)), month.remote, count=(1, 2),
                    duration=(1800, 10800), until=left)
    for index, month in enumerate(months):
        if INTRANET in services:
            for who in outsiders:
                if who.intranet and (who.left_on is None or who.left_on >= month.first):
                    add(index, month, who.email, INTRANET, "page_view", 2, month.office,
                        count=(1, 4), until=who.left_on)
        if VDI in services:
            for contractor in CONTRACTORS:
                add(index, month, contractor, VDI, "session", 3, month.remote,
                    duration=(3600, 7200))
    for events in by_month.values():
        events.sort()
    return by_month, holders


def _events_file(events: Sequence[_Event]) -> bytes:
    rows = ((e.time, e.person, e.service, e.event, e.times,
             "" if e.duration is None else e.duration) for e in events)
    return _csv(EVENTS_HEADER, rows, lineterminator="\n")


def _licences_file(holders: Sequence[tuple[_Person, dt.date]],
                   services: Collection[str], prices: Mapping[str, float]) -> bytes:
    """The purchasing team's file, saved by a French Excel: semicolons, decimal commas."""
    rows: list[list[object]] = []
    for slug in sorted(prices):
        if slug not in services:
            continue
        seats = ""
        if slug == CRM and holders:
            seats = str(int(math.ceil(len(holders) * 1.05 / 10) * 10))
        rows.append([slug, "", "", seats, f"{prices[slug]:.2f}".replace(".", ","), "EUR"])
    if CRM in services:
        for person, assigned_on in holders:
            rows.append([CRM, person.email, assigned_on.isoformat(), "", "", ""])
    return _csv(LICENCES_HEADER, rows, bom=True, delimiter=";")


# -- the whole ------------------------------------------------------------------------------------

def generate(people: Sequence[Mapping[str, Any]], *, services: Collection[str],
             today: dt.date, seed: int = 0, time_zone: str = "Europe/Paris",
             domain: str = GROUP_DOMAIN, seat_prices: Mapping[str, float] | None = None
             ) -> list[UsageFile]:
    """The year of usage files, in the order they would have been imported.

    ``people`` are dicts with ``email``, ``employee_id``, ``name``, ``unit``, ``site`` and
    ``job_family`` codes and ``active`` (False: left; the account is deleted during the year
    or was before it). ``services`` are the catalogue slugs that exist: a story whose service
    is missing is left out (the Microsoft 365 reports are always made). The same arguments
    give the same bytes."""
    rng = random.Random(seed)
    timeline = Timeline(today)
    launch = launch_date(today)
    persons = _people(rng, people, timeline)
    outsiders = _outsiders(persons, timeline, domain)
    _simulate_m365(rng, persons, timeline, launch)
    dated: list[tuple[dt.date, int, UsageFile]] = []
    for report in timeline.report_days:
        dated.append((report, 0, UsageFile(
            f"ActiveUserDetail-{report:%Y-%m-%d}.csv", ACTIVE_USERS,
            _active_users(persons, outsiders, timeline, report, launch))))
        if report >= launch:
            dated.append((report, 1, UsageFile(
                f"TeamsUserActivityUserDetail-{report:%Y-%m-%d}.csv", TEAMS_REPORT,
                _teams_report(rng, persons, outsiders, timeline, report))))
    by_month, holders = _simulate_events(rng, persons, outsiders, services, timeline,
                                         _Clock(ZoneInfo(time_zone)))
    for index, first in enumerate(timeline.months):
        events = by_month.get(index, [])
        if events:
            last = min(_add_months(first, 1) - dt.timedelta(days=1), timeline.last_event_day)
            dated.append((last, 2, UsageFile(f"events-{first:%Y-%m}.csv", EVENTS,
                                             _events_file(events))))
    prices = dict(SEAT_PRICES if seat_prices is None else seat_prices)
    if any(slug in services for slug in prices):
        day = timeline.last_event_day
        dated.append((day, 3, UsageFile(f"licences-{day:%Y-%m-%d}.csv", LICENCES,
                                        _licences_file(holders, services, prices))))
    dated.sort(key=lambda item: (item[0], item[1]))
    return [file for _day, _order, file in dated]
