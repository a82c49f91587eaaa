"""Adoption through the disclosure layer: released cells, suppression, the audit, the periods."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from django.template.loader import render_to_string
from django.utils import translation

from phare.directory.models import BusinessUnit, JobFamily, Site
from phare.usage import queries
from tests.usage.factories import import_events, make_people, use
from tests.usage.factories import service as make_service

TODAY = dt.date(2026, 6, 15)
MAY = dt.date(2026, 5, 1)


@pytest.fixture
def scene(org):
    """Three top units: DG (with its sub-unit DSI), Ventes, Finance; usage in May."""
    org["fin"] = BusinessUnit.objects.create(code="FIN", name="Finance")
    org["bdx"] = Site.objects.create(code="BDX", name="Bordeaux")
    org["acc"] = JobFamily.objects.create(code="ACC", name="Comptabilité")
    dsi = make_people(org, "dsi", 20)
    sales = make_people(org, "ven", 15, unit="sales", site="lyon", family="sell")
    fin = make_people(org, "fin", 30, unit="fin", site="bdx", family="acc")
    service = make_service("collab", name="Collab")
    rows = (use(dsi[:12], "collab", dt.date(2026, 5, 4))
            + use(sales[:3], "collab", dt.date(2026, 5, 5))
            + use(fin[:18], "collab", dt.date(2026, 5, 6))
            + use(fin[:2], "collab", dt.date(2026, 6, 2)))  # June is not over: not released
    report = import_events(rows, today=TODAY)
    assert report.imported == len(rows) and report.unmatched == 0
    return {"service": service, "org": org}


def _numbers(result):
    return [(r.key, r.active_users, r.audience, r.suppressed) for r in result.rows]


def test_it_releases_months_that_are_over_only(scene):
    result = queries.adoption(scene["service"], today=TODAY)
    assert result.months == [MAY]
    assert result.month == MAY


def test_it_hides_a_small_group_and_a_complement_that_would_give_it_away(scene):
    result = queries.adoption(scene["service"], by="unit", today=TODAY)
    rows = {r.key: r for r in result.rows}
    # Ventes: 3 active people (< 5): hidden, with no count, no audience, no rate.
    assert rows["VEN"].suppressed
    assert (rows["VEN"].active_users, rows["VEN"].audience, rows["VEN"].adoption_rate) == (
        None, None, None)
    # Finance (18 of 30) and DG (12 of 20) shown; the total would give Ventes' 3 by
    # subtraction, so one of them must be hidden too.
    shown = [r for r in result.rows if not r.suppressed]
    assert result.total is not None and not result.total.suppressed
    assert len(shown) == 1
    hidden_active = result.total.active_users - sum(r.active_users for r in shown)
    assert hidden_active >= 5


def test_it_gives_intervals_for_shown_rows(scene):
    result = queries.adoption(scene["service"], by="unit", today=TODAY)
    for row in result.rows:
        if not row.suppressed:
            assert row.low < row.adoption_rate < row.high
            assert row.adoption_rate == pytest.approx(row.active_users / row.audience)


def _population(dimension, key):
    from phare.directory.models import Person

    people = Person.objects.filter(active=True)
    if dimension == "all":
        pass
    elif dimension == "unit":
        codes = {key}
        while True:
            more = set(BusinessUnit.objects.filter(parent__code__in=codes)
                       .values_list("code", flat=True)) - codes
            if not more:
                break
            codes |= more
        people = people.filter(business_unit__code__in=codes)
    elif dimension == "site":
        people = people.filter(site__code=key)
    elif dimension == "job_family":
        people = people.filter(job_family__code=key)
    return frozenset(people.values_list("pk", flat=True))


def test_it_never_lets_two_released_figures_subtract_to_a_small_group(scene):
    """A determined reader: every figure given on every breakdown, and the difference of any
    two whose groups are nested (known from the org chart), holds 0 or at least k active and
    0 or at least k inactive people."""
    service = scene["service"]
    figures = []
    for by in ("unit", "site", "job_family"):
        result = queries.adoption(service, by=by, today=TODAY)
        figures += [(by, r) for r in result.rows if not r.suppressed]
        if result.total and not result.total.suppressed:
            figures.append(("all", result.total))
    for code in ("DG", "DSI", "VEN", "FIN"):
        result = queries.adoption(service, by="unit", within=code, today=TODAY)
        figures += [("unit", r) for r in result.rows if not r.suppressed]
    assert len(figures) >= 3
    groups = [(_population(d, r.key) if d != "all" else _population("all", None), r)
              for d, r in figures]
    for _people, row in groups:
        assert row.active_users >= 5 and row.audience - row.active_users >= 5
    for (a_people, a), (b_people, b) in itertools.permutations(groups, 2):
        if a_people < b_people:
            d_active = b.active_users - a.active_users
            d_inactive = (b.audience - b.active_users) - (a.audience - a.active_users)
            assert not 0 < d_active < 5, (a, b)
            assert not 0 < d_inactive < 5, (a, b)


def test_it_hides_a_unit_nested_by_chance_in_a_site_with_a_few_more(org):
    """All of DSI's people work in Paris, and Paris has 2 more people (one active): DSI's
    figure and Paris's would give those two away."""
    make_people(org, "dsi", 20)
    extra = make_people(org, "ven", 2, unit="sales", site="paris", family="sell")
    more = make_people(org, "lyo", 20, unit="sales", site="lyon", family="sell")
    service = make_service("collab", name="Collab")
    from phare.directory.models import Person

    dsi = list(Person.objects.filter(business_unit=org["dsi"]))
    rows = (use(dsi[:10], "collab", dt.date(2026, 5, 4)) + use(extra[:1], "collab",
                                                                  dt.date(2026, 5, 4))
            + use(more[:10], "collab", dt.date(2026, 5, 4)))
    import_events(rows, today=TODAY)
    sites = {r.key: r for r in queries.adoption(service, by="site", today=TODAY).rows}
    units = {r.key: r for r in queries.adoption(service, by="unit", within="DG",
                                                 today=TODAY).rows}
    paris_shown = not sites["PAR"].suppressed
    dsi_shown = "DSI" in units and not units["DSI"].suppressed
    assert not (paris_shown and dsi_shown)


def test_it_shows_nothing_when_the_whole_audience_is_small(org):
    people = make_people(org, "dsi", 6)
    service = make_service("tiny", name="Tiny")
    import_events(use(people[:3], "tiny", dt.date(2026, 5, 4)), today=TODAY)
    result = queries.adoption(service, today=TODAY)
    assert result.total.suppressed and all(r.suppressed for r in result.rows)
    months = queries.trend(service, today=TODAY)
    assert months[0].active_users is None and months[0].adoption is None


def test_it_follows_the_catalogue_audience(org):
    """A service for Ventes only: adoption is among Ventes' people; others' use is counted in
    active users but not in adoption."""
    sales = make_people(org, "ven", 20, unit="sales", site="lyon", family="sell")
    dsi = make_people(org, "dsi", 10)
    service = make_service("crm", name="CRM", audience_everyone=False)
    service.audience_units.set([org["sales"]])
    import_events(use(sales[:10], "crm", dt.date(2026, 5, 4))
                  + use(dsi[:6], "crm", dt.date(2026, 5, 4)), today=TODAY)
    month = queries.trend(service, today=TODAY)[0]
    assert month.audience == 20
    assert month.active_users == 16
    assert month.adoption.value == pytest.approx(0.5)


def test_it_calls_no_one_inactive_when_no_seat_is_assigned(org):
    from phare.usage import services

    service = make_service("citrix", name="Citrix")
    services.import_usage(b"service,seats,cost_per_seat\ncitrix,100,9.80\n", source="licences",
                          today=TODAY)
    use_ = queries.licence_use(service, today=TODAY)
    assert (use_.assigned, use_.inactive, use_.waste) == (0, None, None)
    assert use_.seats_cost == 980


def _licensed(org, n):
    """``n`` people of the DSI holding a CRM licence, and 12 seats at 65 a month."""
    from phare.usage import services

    people = make_people(org, "dsi", n)
    service = make_service("crm", name="CRM")
    lines = ["service,person"] + [f"crm,{p.email}" for p in people]
    services.import_usage("\n".join(lines).encode(), source="licences", today=TODAY)
    services.import_usage(b"service,seats,cost_per_seat\ncrm,12,65\n", source="licences",
                          today=TODAY)
    return people, service


MAY_31 = dt.date(2026, 5, 31)


def test_it_counts_licences_unused_for_30_days(org):
    people, service = _licensed(org, 12)
    # Used in the last released month (May; June is not over on TODAY).
    import_events(use(people[:6], "crm", dt.date(2026, 5, 28)), today=TODAY)
    use_ = queries.licence_use(service, today=TODAY)
    assert (use_.assigned, use_.inactive, use_.as_of) == (12, 6, MAY_31)
    assert use_.waste.monthly_cost == 6 * 65
    # 3 inactive among 8: too few to show who did not use it.
    import_events(use(people[6:9], "crm", dt.date(2026, 5, 28)), today=TODAY)
    assert queries.licence_use(service, today=TODAY).inactive is None


def test_it_counts_inactive_licences_over_the_30_days_up_to_the_released_months_end(org):
    people, service = _licensed(org, 10)
    # 2 May is the first of the 30 days up to 31 May; 1 May is 31 days before its end.
    import_events(use(people[:5], "crm", dt.date(2026, 5, 2))
                  + use(people[5:], "crm", dt.date(2026, 5, 1)), today=TODAY)
    assert queries.licence_use(service, today=TODAY).inactive == 5


def test_it_keeps_the_licence_figure_of_the_current_month_unreleased(org):
    people, service = _licensed(org, 15)
    import_events(use(people[:5], "crm", dt.date(2026, 5, 20)), today=TODAY)
    released = queries.licence_use(service, today=TODAY)
    assert (released.inactive, released.as_of) == (10, MAY_31)
    # June is not over: the 10 people who start using the CRM in it change nothing (two
    # reads during June never differ by one person's activity of June).
    import_events(use(people[5:], "crm", dt.date(2026, 6, 10)), today=TODAY)
    assert queries.licence_use(service, today=TODAY) == released
    assert queries.licence_use(service, today=dt.date(2026, 6, 30)) == released
    # Once June is released, their activity counts (and May's users are 30 days idle).
    july = queries.licence_use(service, today=dt.date(2026, 7, 15))
    assert (july.inactive, july.as_of) == (5, dt.date(2026, 6, 30))


def test_it_says_which_day_the_licence_figure_is_as_of(org):
    people, service = _licensed(org, 12)
    import_events(use(people[:6], "crm", dt.date(2026, 5, 28)), today=TODAY)
    licences = queries.licence_use(service, today=TODAY)
    with translation.override("en"):
        html = render_to_string("usage/_licences.html", {"licences": licences})
        import_events(use(people[6:9], "crm", dt.date(2026, 5, 28)), today=TODAY)
        hidden = render_to_string("usage/_licences.html",
                                  {"licences": queries.licence_use(service, today=TODAY)})
    assert "6 inactive for 30 days as of 31 May 2026" in html
    assert "too few to show (as of 31 May 2026)" in hidden


def test_it_gives_daily_and_weekly_active_users_by_month(org):
    people = make_people(org, "dsi", 20)
    service = make_service("collab", name="Collab")
    # 10 people every weekday of the first full week of May, 6 of them the next week too.
    week = [dt.date(2026, 5, 4) + dt.timedelta(days=i) for i in range(5)]
    rows = [row for day in week for row in use(people[:10], "collab", day)]
    rows += [row for day in week for row in use(people[:6], "collab",
                                                day + dt.timedelta(days=7))]
    import_events(rows, today=TODAY)
    may = queries.trend(service, today=TODAY)[0]
    assert may.active_users == 10
    assert may.weekly_users == round((10 + 6) / 2, 1)
    # May is the store's latest month: its days are counted up to the last day with data
    # (15 May), not to the 31st — a feed that stops mid-month does not dilute the mean.
    assert may.daily_users == round((10 * 5 + 6 * 5) / 15, 1)


def test_it_hides_a_cohort_cell_the_month_total_would_give_away(org):
    """April's active users (shown on the trend) are March's cohort still active plus April's
    new users: when March's cohort cell for April is hidden (3 people), April's own cohort
    must not be shown next to the April total either."""
    people = make_people(org, "dsi", 40)
    service = make_service("collab", name="Collab")
    rows = use(people[:20], "collab", dt.date(2026, 3, 3))  # March: 20 new
    rows += use(people[:3], "collab", dt.date(2026, 4, 7))  # 3 of them in April
    rows += use(people[20:32], "collab", dt.date(2026, 4, 8))  # April: 12 new
    import_events(rows, today=TODAY)
    april = [m for m in queries.trend(service, today=TODAY) if m.month.month == 4][0]
    assert april.active_users == 15
    table = {row.cohort.month: row for row in queries.cohorts(service, today=TODAY)}
    assert table[3].users.get(1) is None  # 3 of 20: hidden
    # April's cohort (12) would give 15 − 12 = 3: hidden too, as a whole cohort.
    assert table[4].size is None and table[4].users.get(0) is None
    assert table[3].size == 20
