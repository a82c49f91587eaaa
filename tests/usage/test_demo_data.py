"""The demo's usage files: real layouts, read back without an error, and the story they tell —
computed from the files' rows, as the pages would compute it."""

from __future__ import annotations

import csv
import datetime as dt
import io
import random
from collections import Counter, defaultdict
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from phare.directory.demo_data import UNITS, UnitSpec
from phare.lib.demo import DemoContext
from phare.usage import demo, sources
from phare.usage import demo_data as D
from phare.usage.models import Deployment, Licence, ProductLink, Seats, UsageImport
from tests.usage import factories

REFERENCE = Path(__file__).resolve().parents[2].parent / "shared" / "reference" / "m365"
TODAY = dt.date(2026, 12, 6)
SIZE = 1500


def _leaves(specs: tuple[UnitSpec, ...], top: str | None = None,
            sites: Any = None, families: Any = None) -> Iterator[tuple[str, str, Any, Any]]:
    for spec in specs:
        here_sites, here_families = spec.sites or sites, spec.families or families
        if spec.children:
            yield from _leaves(spec.children, top or spec.code, here_sites, here_families)
        else:
            yield spec.code, top or spec.code, here_sites, here_families


def demo_people(n: int = SIZE, seed: int = 3) -> list[dict[str, Any]]:
    """People spread over the demo group's units, sites and job families as the directory's
    demo spreads them (each with its top unit, for the story's checks)."""
    rng = random.Random(seed)
    leaves = list(_leaves(UNITS))
    weights = {code: spec.weight for code, spec in _all_units(UNITS)}
    total = sum(weights[code] for code, *_ in leaves)
    people: list[dict[str, Any]] = []
    for code, top, sites, families in leaves:
        for _ in range(max(1, round(n * weights[code] / total))):
            i = len(people) + 1
            people.append({
                "email": f"person{i}@{D.GROUP_DOMAIN}", "employee_id": f"E{i:06d}",
                "name": f"Person {i}", "unit": code, "top": top,
                "site": rng.choices(list(sites), weights=list(sites.values()))[0],
                "job_family": rng.choices(list(families), weights=list(families.values()))[0],
                "active": rng.random() > 0.02})
    return people


def _all_units(specs: tuple[UnitSpec, ...]) -> Iterator[tuple[str, UnitSpec]]:
    for spec in specs:
        yield spec.code, spec
        yield from _all_units(spec.children)


@pytest.fixture(scope="module")
def people() -> list[dict[str, Any]]:
    return demo_people()


@pytest.fixture(scope="module")
def files(people) -> list[D.UsageFile]:
    return D.generate(people, services=set(D.SERVICES), today=TODAY, seed=42)


def rows_of(file: D.UsageFile) -> list[dict[str, str]]:
    text = file.data.decode("utf-8-sig")
    delimiter = ";" if file.source == D.LICENCES else ","
    return list(csv.DictReader(io.StringIO(text), delimiter=delimiter))


def of_source(files: list[D.UsageFile], source: str) -> list[D.UsageFile]:
    return [file for file in files if file.source == source]


def day(text: str) -> dt.date | None:
    return dt.date.fromisoformat(text[:10]) if text else None


# The files ---------------------------------------------------------------------------------

@pytest.mark.parametrize(("source", "reference"), [
    (D.ACTIVE_USERS, "office365-active-user-detail.csv"),
    (D.TEAMS_REPORT, "teams-user-activity-user-detail.csv"),
])
def test_it_writes_the_current_microsoft_layouts(files, source, reference):
    path = REFERENCE / reference
    if not path.exists():
        pytest.skip(f"reference file absent: {path} (CI always has ../shared/reference)")
    expected = path.read_bytes().split(b"\r\n")[0]
    generated = of_source(files, source)
    assert generated
    for file in generated:
        assert file.data.startswith(b"\xef\xbb\xbf")  # UTF-8 with a BOM, as Microsoft writes
        assert file.data.split(b"\r\n")[0] == expected
        assert b"\n" not in file.data.replace(b"\r\n", b"")  # CRLF everywhere


def test_it_writes_headers_from_the_layouts():
    # Without the reference folder, the layouts still have Microsoft's column counts.
    assert len(D.ACTIVE_USERS_HEADER) == 24 and len(set(D.ACTIVE_USERS_HEADER)) == 24
    assert len(D.TEAMS_HEADER) == 33 and len(set(D.TEAMS_HEADER)) == 33
    assert D.TEAMS_HEADER[-1] == "Report Period"


def test_it_makes_files_that_read_back_without_an_error(files):
    sources_seen: Counter[str] = Counter()
    for file in files:
        reading = sources.read(file.data, source="auto")
        assert reading.errors == [], (file.name, reading.errors[:3])
        assert reading.source == file.source, file.name
        assert reading.rows_read == len(rows_of(file))
        sources_seen[file.source] += 1
    timeline = D.Timeline(TODAY)
    assert sources_seen[D.ACTIVE_USERS] == len(timeline.report_days) == 13
    assert sources_seen[D.EVENTS] == 13 and sources_seen[D.LICENCES] == 1
    launch = D.launch_date(TODAY)
    assert sources_seen[D.TEAMS_REPORT] == sum(1 for r in timeline.report_days if r >= launch)


def test_it_gives_the_files_in_date_order(files):
    dates = []
    for file in files:
        stamp = file.name.removesuffix(".csv")
        if file.source == D.EVENTS:  # events-YYYY-MM: the month's last day (or yesterday's)
            first = dt.date.fromisoformat(stamp[-7:] + "-01")
            end = (first + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
            dates.append(min(end, TODAY - dt.timedelta(days=1)))
        else:
            dates.append(dt.date.fromisoformat(stamp[-10:]))
    assert dates == sorted(dates)
    assert files[-1].source == D.LICENCES


def test_it_is_deterministic(people):
    first = D.generate(people[:200], services=set(D.SERVICES), today=TODAY, seed=5)
    again = D.generate(people[:200], services=set(D.SERVICES), today=TODAY, seed=5)
    other = D.generate(people[:200], services=set(D.SERVICES), today=TODAY, seed=6)
    assert first == again
    assert [f.data for f in first] != [f.data for f in other]


def test_it_never_dates_activity_after_a_report_or_before_launch(people, files):
    launch = D.launch_date(TODAY)
    emails = {p["email"] for p in people}
    for file in of_source(files, D.ACTIVE_USERS):
        for row in rows_of(file):
            if row["User Principal Name"] not in emails:
                continue
            refreshed = day(row["Report Refresh Date"])
            assert refreshed is not None
            for product in D.M365_PRODUCTS:
                last = day(row[f"{product} Last Activity Date"])
                assert last is None or last <= refreshed
            teams = day(row["Teams Last Activity Date"])
            assert teams is None or teams >= launch
            assert (row["Has Teams License"] == "True") == (refreshed >= launch)
    for file in of_source(files, D.EVENTS):
        assert all((day(row["time"]) or dt.date.max) < TODAY for row in rows_of(file))


# The story ---------------------------------------------------------------------------------

def teams_first_use(files: list[D.UsageFile]) -> dict[str, dt.date]:
    """Each person's first Teams activity the reports show (what the deployment page reads)."""
    first: dict[str, dt.date] = {}
    for file in of_source(files, D.ACTIVE_USERS):
        for row in rows_of(file):
            last = day(row["Teams Last Activity Date"])
            email = row["User Principal Name"]
            if last is not None and (email not in first or last < first[email]):
                first[email] = last
    return first


def test_it_rolls_teams_out_fast_at_head_office_and_slowly_in_plants(people, files):
    launch = D.launch_date(TODAY)
    first = teams_first_use(files)
    audience = [p for p in people if p["active"]]
    by_top: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for person in audience:
        by_top[person["top"]].append(person)

    def share(group: list[dict[str, Any]], until: dt.date) -> float:
        return sum(1 for p in group if first.get(p["email"], dt.date.max) <= until) / len(group)

    week8, end = launch + dt.timedelta(weeks=8), TODAY
    # Units whose people mostly work at head office: above 80 % within eight weeks.
    head_office = [top for top, group in by_top.items()
                   if sum(p["site"] == D.HEAD_OFFICE for p in group) > len(group) / 2]
    assert len(head_office) >= 3
    assert sum(share(by_top[top], week8) > 0.8 for top in head_office) > len(head_office) / 2
    # The plants' units: still under 40 % at the end, far below the 85 % target.
    for top in ("PROD", "LOG"):
        assert share(by_top[top], end) < 0.4, top
    shop = [p for p in audience if D.kind_of(p["site"], p["job_family"]) == D.SHOP]
    assert share(shop, end) < 0.3
    # Nobody before the launch.
    assert min(first.values()) >= launch


def monthly_users(files: list[D.UsageFile], service: str) -> dict[str, set[str]]:
    users: dict[str, set[str]] = defaultdict(set)
    for file in of_source(files, D.EVENTS):
        for row in rows_of(file):
            if row["service"] == service:
                users[row["time"][:7]].add(row["person"])
    return users


def whole_months(users: dict[str, set[str]]) -> list[set[str]]:
    return [found for month, found in sorted(users.items()) if month < f"{TODAY:%Y-%m}"]


def test_it_makes_the_password_portal_liked_but_little_used(people, files):
    audience = {p["email"] for p in people if p["active"]}
    months = whole_months(monthly_users(files, D.PASSWORD))
    assert len(months) == 12
    rates = [len(found & audience) / len(audience) for found in months]
    assert all(0.12 <= rate <= 0.28 for rate in rates), rates


def test_it_makes_the_erp_used_by_almost_all_of_finance(people, files):
    finance = {p["employee_id"] for p in people if p["active"] and p["top"] == "FIN"}
    months = whole_months(monthly_users(files, D.ERP))
    rates = [len(found & finance) / len(finance) for found in months]
    assert min(rates) > 0.75, rates


def test_it_leaves_about_30_percent_of_the_crm_licences_unused(people, files):
    licences = rows_of(of_source(files, D.LICENCES)[0])
    holders = {row["person"] for row in licences if row["service"] == D.CRM and row["person"]}
    seats = next(row for row in licences if row["service"] == D.CRM and not row["person"])
    assert int(seats["seats"]) >= len(holders) > 50
    assert seats["cost_per_seat"] == "65,00" and seats["currency"] == "EUR"
    last: dict[str, dt.date] = {}
    for file in of_source(files, D.EVENTS):
        for row in rows_of(file):
            if row["service"] == D.CRM:
                when = day(row["time"])
                assert when is not None
                last[row["person"]] = max(last.get(row["person"], when), when)
    cutoff = TODAY - dt.timedelta(days=30)
    inactive = sum(1 for email in holders if last.get(email, dt.date.min) < cutoff)
    assert 0.22 <= inactive / len(holders) <= 0.38


def daily_users(files: list[D.UsageFile], service: str) -> dict[dt.date, set[str]]:
    users: dict[dt.date, set[str]] = defaultdict(set)
    for file in of_source(files, D.EVENTS):
        for row in rows_of(file):
            when = day(row["time"])
            if row["service"] == service and when is not None:
                users[when].add(row["person"])
    return users


def stickiness(files: list[D.UsageFile], service: str) -> float:
    """Mean daily users over the monthly users, over the whole months."""
    daily = daily_users(files, service)
    monthly = monthly_users(files, service)
    values = []
    for month, found in sorted(monthly.items()):
        if month >= f"{TODAY:%Y-%m}":
            continue
        days = [users for when, users in daily.items() if f"{when:%Y-%m}" == month]
        first = dt.date.fromisoformat(month + "-01")
        length = ((first + dt.timedelta(days=32)).replace(day=1) - first).days
        values.append(sum(len(users) for users in days) / length / len(found))
    return sum(values) / len(values)


def test_it_gives_daily_activity_quieter_on_weekends(files):
    for service in (D.INTRANET, D.ERP, D.CRM):
        daily = daily_users(files, service)
        weekdays = [len(u) for when, u in daily.items() if when.weekday() < 5]
        weekends = [len(u) for when, u in daily.items() if when.weekday() >= 5]
        assert weekends, service
        assert sum(weekends) / len(weekends) < 0.3 * sum(weekdays) / len(weekdays), service


def test_it_makes_stickiness_differ_between_services(files):
    erp, crm, intranet = (stickiness(files, s) for s in (D.ERP, D.CRM, D.INTRANET))
    assert erp > 2 * intranet and crm > intranet
    assert 0.25 < erp < 0.6 and intranet < 0.15


def test_it_puts_people_the_directory_does_not_know_in_the_files(people, files):
    known = {p["email"] for p in people} | {p["employee_id"] for p in people}
    for source, column in ((D.ACTIVE_USERS, "User Principal Name"),
                           (D.TEAMS_REPORT, "User Principal Name"), (D.EVENTS, "person")):
        strangers = {row[column] for file in of_source(files, source)
                     for row in rows_of(file)} - known
        assert 1 <= len(strangers) <= 10, (source, strangers)


def test_it_shows_deleted_accounts_once(people, files):
    deleted: Counter[str] = Counter()
    for file in of_source(files, D.ACTIVE_USERS):
        for row in rows_of(file):
            if row["Is Deleted"] == "True":
                deleted[row["User Principal Name"]] += 1
                assert day(row["Deleted Date"]) is not None
    assert deleted and set(deleted.values()) == {1}
    left = {p["email"] for p in people if not p["active"]}
    assert set(deleted) & left  # people who left during the year, in the directory


def test_it_leaves_out_the_stories_of_missing_services(people):
    made = D.generate(people[:300], services={D.TEAMS, D.INTRANET}, today=TODAY, seed=1)
    services = {row["service"] for file in made if file.source == D.EVENTS
                for row in rows_of(file)}
    assert services == {D.INTRANET}
    assert not [file for file in made if file.source == D.LICENCES]
    assert [file for file in made if file.source == D.ACTIVE_USERS]


@pytest.mark.parametrize("today", [dt.date(2026, 12, 1), dt.date(2026, 12, 2),
                                   dt.date(2027, 1, 31), dt.date(2028, 3, 3)])
def test_it_covers_twelve_whole_months_and_the_days_before_today(today):
    timeline = D.Timeline(today)
    assert timeline.start == D._add_months(today.replace(day=1), -12)
    ends = [d for d in timeline.report_days if d.month != today.month or d.year != today.year]
    assert len(ends) == 12 and all((d + dt.timedelta(days=1)).day == 1 for d in ends)
    assert timeline.report_days[-1] < today and timeline.last_event_day < today
    assert D.launch_date(today).weekday() == 0


# The demo step --------------------------------------------------------------------------------

def test_it_builds_the_usage_demo_on_a_tiny_organisation(org, personas):
    factories.make_people(org, "ven", 30, unit="sales", site="lyon", family="sell")
    catalogue = {slug: factories.service(slug, name=slug)
                 for slug in (D.TEAMS, D.MAIL, D.INTRANET, D.CRM)}
    catalogue[D.VDI] = factories.service(D.VDI, name="Citrix", cost_unit="user_month",
                                         unit_cost="9.80")
    said: list[str] = []
    ctx = DemoContext(seed=3, employees=40, rng=random.Random(3), say=said.append)
    demo.build(ctx)

    links = dict(ProductLink.objects.values_list("product", "service__slug"))
    assert links["m365:teams"] == D.TEAMS and links["m365:exchange"] == D.MAIL
    assert links["m365:onedrive"] is None  # seen, but its service is not in this catalogue
    plan = Deployment.objects.get(service=catalogue[D.TEAMS])
    assert plan.launched_on.weekday() == 0 and plan.target_rate == D.TARGET_RATE
    imports = list(UsageImport.objects.order_by("pk"))
    assert [i.source for i in imports][:1] == [D.ACTIVE_USERS]
    assert imports[-1].source == D.LICENCES
    assert {i.source for i in imports} == {D.ACTIVE_USERS, D.TEAMS_REPORT, D.EVENTS, D.LICENCES}
    assert sum(i.imported for i in imports) > 0
    assert sum(i.unmatched for i in imports) > 0  # the outsiders, reported
    assert Licence.objects.filter(service=catalogue[D.CRM]).exists()  # the sales people
    assert Seats.objects.get(service=catalogue[D.CRM]).cost_per_seat == 65  # the demo's price
    assert Seats.objects.get(service=catalogue[D.VDI]).cost_per_seat == Decimal("9.80")
    assert any("not in the catalogue" in line for line in said)
    assert said[-1].startswith("usage: done in")
