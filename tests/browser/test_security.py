"""The Content-Security-Policy in Chromium: what it blocks is seen (so the other browser tests,
which fail on any violation, would see one), and the pages it must not break still work."""

from __future__ import annotations

import pytest

from tests.browser.factories import settle

pytestmark = pytest.mark.django_db(transaction=True)


def test_an_inline_script_is_blocked_and_reported(page):
    response = page.goto("/accounts/login/")
    assert "script-src 'self'" in response.headers["content-security-policy"]
    page.evaluate("""() => {
        const script = document.createElement("script");
        script.textContent = "window.injected = true";
        document.body.append(script);
    }""")
    page.wait_for_function("() => true")
    assert page.evaluate("() => window.injected") is None
    page.wait_for_timeout(200)
    assert any("script-src" in problem for problem in page.csp_problems), page.csp_problems
    page.csp_problems.clear()


def test_the_api_docs_draw_from_local_files_within_the_policy(page):
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto("/api/v1/docs")
    page.wait_for_selector(".swagger-ui .info .title")
    base = page.url.split("/api/")[0]
    assert all(url.startswith(base) or url.startswith("data:") for url in requests), requests


def _all_charts_drawn(page) -> int:
    """Waits until every chart of the page is an SVG; how many there are."""
    settle(page)
    canvases = page.locator(".chart-canvas")
    count = canvases.count()
    for index in range(count):
        canvases.nth(index).locator("svg").wait_for()
    return count


def test_the_dashboards_and_the_answering_pages_run_within_the_policy(page, sign_in, personas,
                                                                       settings, tmp_path):
    """Barometer, ticket experience, value card and a survey's answering pages under the
    policy: every chart drawn, and the page fixture fails on any violation or script error."""
    import datetime as dt

    from phare.listening import services
    from tests.insights.factories import add_wave, answer
    from tests.listening.factories import make_barometer

    settings.PHARE_ANALYTICS_DIR = tmp_path / "analytics"
    survey = make_barometer()
    for number, opens in ((1, dt.date(2025, 1, 6)), (2, dt.date(2025, 7, 7))):
        wave = add_wave(survey, number, opens)
        for i in range(60):
            grid = {code: {"importance": 1 + (i * k) % 5, "satisfaction": 1 + i % 5}
                    for k, code in ((1, "reactivite"), (2, "competence"), (3, "communication"))}
            answer(survey, wave, nps=[2, 5, 8, 9, 10][(i + number) % 5], unit="VEN", grid=grid,
                   comment="Le VPN coupe", day=opens + dt.timedelta(days=2))
    sign_in("marketing")
    page.goto(f"/insights/barometer/{survey.slug}/")
    assert _all_charts_drawn(page) >= 1
    # Ticket experience and a service's value card (swapped in by htmx), from rated tickets.
    from phare.catalog.models import Service
    from phare.tickets.models import Ticket
    from phare.tickets.services import ticket_survey_create
    from tests.catalog.factories import make_families, make_service
    from tests.insights.factories import rate

    make_families()
    make_service("teletravail", name_fr="Télétravail", family="remote", owner="E0003")
    tickets = services.survey_set_status(ticket_survey_create(), "open")
    for i in range(40):
        rate(tickets, None, i, rating=3 if i % 3 == 0 else 9, lost="none",
             reassignments=2 if i % 3 == 0 else 0, channel="phone" if i % 2 else "portal")
    Ticket.objects.update(service=Service.objects.get(slug="teletravail"))
    page.goto("/insights/tickets/")
    assert _all_charts_drawn(page) >= 1
    page.goto("/catalogue/teletravail/")
    page.wait_for_selector(".value-card")
    _all_charts_drawn(page)
    # A survey's open link, answered to the end (htmx swaps the sections in).
    shared = services.survey_set_status(make_barometer("ouvert", open_link=True), "open")
    page.goto(f"/s/open/{shared.open_token}/")
    settle(page)
    assert page.locator("form").count() >= 1
