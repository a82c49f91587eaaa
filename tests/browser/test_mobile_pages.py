"""On a phone (390 × 844) and at 320 px (WCAG reflow), the modules' pages fit the screen's
width in French and English: a wide table scrolls in its own region (the shell's
``.table-scroll``), dashboards stack in one column, nothing else sticks out.

The pages are those of the role matrix's world (real objects, built through the services);
the shell's own pages and the menu are checked in ``test_shell_mobile``."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.conf import settings
from django.urls import reverse
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from phare.lib.assets import ensure_vega_bundle
from tests.browser.factories import (
    NARROW,
    PHONE,
    SCREENSHOTS,
    settle,
    sign_in_as,
    tracked,
    with_service_answers,
)
from tests.role_matrix_objects import World, build_world

pytestmark = pytest.mark.django_db(transaction=True)

Page = tuple[str, Callable[[World], str]]

PAGES: dict[str, list[Page]] = {
    "employee": [
        ("home-employee", lambda w: reverse("core:home")),
        ("needs-employee", lambda w: reverse("needs:list")),
        ("need-employee", lambda w: reverse("needs:detail", args=[w.need.pk])),
        ("decision-employee", lambda w: reverse("needs:decision", args=[w.published.pk])),
        ("comms-news-employee", lambda w: reverse("comms:news")),
    ],
    "owner": [
        # The owner's service page holds its value card (htmx).
        ("value-card-owner", lambda w: reverse("catalog:service", args=[w.service.slug])),
        ("value-cards-owner", lambda w: reverse("insights:value_cards")),
        ("usage-owner", lambda w: reverse("usage:overview")),
    ],
    "marketing": [
        ("needs-marketing", lambda w: reverse("needs:list")),
        ("campaign-marketing", lambda w: reverse("needs:campaign", args=[w.campaign.pk])),
        ("reports-marketing", lambda w: reverse("reports:home")),
        ("comms-plan-marketing", lambda w: reverse("comms:plan", args=[w.plan.pk])),
        ("comms-action-marketing", lambda w: reverse("comms:action", args=[w.action.pk])),
        ("usage-marketing", lambda w: reverse("usage:overview")),
        ("tickets-marketing", lambda w: reverse("insights:tickets")),
        ("catalogue-manage-marketing", lambda w: reverse("catalog:manage")),
        ("builder-marketing", lambda w: reverse("listening:survey", args=[w.survey.slug])),
        ("positioning-gaps-marketing", lambda w: reverse("positioning:gaps",
                                                         args=[w.study.slug])),
    ],
}

#: Every `.table` of the page: in a scrolling region of the shell, no wider than the screen.
TABLES = """() => [...document.querySelectorAll("table.table")].filter((table) => {
  const region = table.closest(".table-scroll");
  return !region || region.getBoundingClientRect().right > window.innerWidth + 0.5
         || getComputedStyle(region).overflowX !== "auto";
}).map((table) => (table.querySelector("caption") || table).textContent.trim().slice(0, 60))"""

# The outermost elements that stick out on the right, leaving out what scrolls in its own
# region (a wide table in the shell's .table-scroll).
WIDER = """() => {
  const scrolls = (node) => node.closest(".table-scroll, pre, [data-vega-spec]") !== null
    && node.closest(".table-scroll, pre, [data-vega-spec]") !== node;
  return [...document.querySelectorAll("body *")]
    .filter((node) => node.getBoundingClientRect().right > window.innerWidth + 0.5)
    .filter((node) => !scrolls(node))
    .filter((node, i, all) => !all.some((other) => other !== node && other.contains(node)
                                                    && other !== document.querySelector("main")))
    .slice(0, 8).map((node) => node.tagName.toLowerCase() + "." + node.className + " "
                     + Math.round(node.getBoundingClientRect().right));
}"""
DRAWN = """() => [...document.querySelectorAll("[data-vega-spec]")]
  .every((node) => node.querySelector("svg"))"""
UNDRAWN = """() => [...document.querySelectorAll("[data-vega-spec]")]
  .filter((node) => !node.querySelector("svg"))
  .map((node) => node.getAttribute("data-vega-spec") + ": " + node.textContent.slice(0, 200))"""


def problems_of(page: Any, name: str) -> list[str]:
    """What sticks out of the screen on this page (nothing, when it fits)."""
    found = []
    widths = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    if widths[0] > widths[1]:
        found.append(f"{name}: {widths[0]} px wide on a {widths[1]} px screen: "
                     f"{page.evaluate(WIDER)}")
    found += [f"{name}: the table {table!r} does not scroll in its own region"
              for table in page.evaluate(TABLES)]
    return found


@pytest.mark.parametrize("size", [PHONE, NARROW], ids=["390", "320"])
def test_the_modules_pages_fit_a_phone(browser, live_server, tmp_path, size):
    found: list[str] = []
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(settings, "PHARE_ANALYTICS_DIR", tmp_path / "analytics", raising=False)
        world = build_world()
        # `phare serve` makes Vega's bundle as it starts; a page that loads its chart with
        # htmx asks for the bundle before any chart of this test server made it.
        ensure_vega_bundle()
        with_service_answers(world)
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        for role, pages in PAGES.items():
            context = browser.new_context(base_url=live_server.url, viewport=size,
                                          locale="en-GB")
            page = tracked(context.new_page())
            page.set_default_timeout(30_000)
            try:
                sign_in_as(page, role)
                for language in ("fr", "en"):
                    context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME,
                                          "value": language, "url": live_server.url}])
                    for name, address in pages:
                        response = page.goto(address(world))
                        if response is None or not response.ok:
                            found.append(f"{name} [{language}] answered "
                                         f"{response and response.status}")
                            continue
                        settle(page)
                        try:
                            page.wait_for_function(DRAWN, timeout=15_000)
                        except PlaywrightTimeout:
                            found.append(f"{name} [{language}]: a chart is not drawn: "
                                         f"{page.evaluate(UNDRAWN)}")
                        found += problems_of(page, f"{name} [{language}]")
                        shot = f"mobile-{name}-{language}-{size['width']}.png"
                        page.screenshot(path=str(SCREENSHOTS / shot), full_page=True)
            finally:
                context.close()
    assert found == [], "\n".join(found)
