"""axe-core finds no violation of the WCAG 2.0, 2.1 and 2.2 A and AA rules on Phare's main
pages, in French and in English, for each role that reads them.

One browser, one sign-in per role, one world of real objects (the role matrix's, built through
the services); axe-core comes from npm (``.ci/run``), see ``conftest.axe_script``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.conf import settings
from django.urls import reverse

from phare.lib.assets import ensure_vega_bundle
from tests.browser.factories import PHONE, settle, sign_in_as, tracked, with_service_answers
from tests.role_matrix_objects import World, build_world

pytestmark = pytest.mark.django_db(transaction=True)

RULES = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]

#: What axe says of a page: each violated rule, how bad, and where (a few nodes).
RUN = """async (values) => {
  const result = await axe.run(document, {runOnly: {type: "tag", values}});
  if (result.passes.length < 10) return [{id: "axe-did-not-run", impact: "", help: "", nodes: []}];
  return result.violations.map((rule) => ({
    id: rule.id, impact: rule.impact, help: rule.help,
    nodes: rule.nodes.slice(0, 4).map((node) => node.target.join(" ") + ": "
                                      + (node.failureSummary || "").replace(/\\s+/g, " ")),
  }));
}"""

Page = tuple[str, Callable[[World], str]]

#: role → the pages it reads (a name for the report, and the address on the world).
PAGES: dict[str | None, list[Page]] = {
    None: [
        ("login", lambda w: reverse("accounts:login")),
        ("survey answering page", lambda w: reverse("answer:respond", args=[w.invitation.token])),
    ],
    "employee": [
        ("home (employee)", lambda w: reverse("core:home")),
        ("portal", lambda w: reverse("catalog:home")),
        ("service page", lambda w: reverse("catalog:service", args=[w.service.slug])),
        ("needs list", lambda w: reverse("needs:list")),
        ("need detail", lambda w: reverse("needs:detail", args=[w.need.pk])),
        ("needs decision", lambda w: reverse("needs:decision", args=[w.published.pk])),
    ],
    "owner": [
        ("home (owner)", lambda w: reverse("core:home")),
        # The service page of its owner loads the value card (htmx).
        ("service page with value card", lambda w: reverse("catalog:service",
                                                           args=[w.service.slug])),
    ],
    "executive": [
        ("home (executive)", lambda w: reverse("core:home")),
    ],
    "admin": [
        ("home (admin)", lambda w: reverse("core:home")),
        ("audit trail", lambda w: reverse("audit:entries")),
    ],
    "marketing": [
        ("home (marketing)", lambda w: reverse("core:home")),
        ("barometer", lambda w: reverse("insights:barometer", args=[w.survey.slug])),
        ("ticket experience", lambda w: reverse("insights:tickets")),
        ("verbatims", lambda w: reverse("insights:verbatims")),
        ("survey builder", lambda w: reverse("listening:survey", args=[w.survey.slug])),
        ("ticket survey", lambda w: reverse("tickets:manage")),
        ("catalogue manage", lambda w: reverse("catalog:manage")),
        ("comms plan", lambda w: reverse("comms:plan", args=[w.plan.pk])),
        ("positioning map", lambda w: reverse("positioning:map", args=[w.study.slug])),
        ("positioning gaps", lambda w: reverse("positioning:gaps", args=[w.study.slug])),
        ("reports", lambda w: reverse("reports:home")),
        ("usage overview", lambda w: reverse("usage:overview")),
    ],
}


def settled(page: Any) -> None:
    """Wait for what the page loads after it (htmx fragments, charts drawn)."""
    settle(page)
    page.wait_for_function("""() => [...document.querySelectorAll("[data-vega-spec]")]
      .every((node) => node.querySelector("svg[aria-hidden]"))""")


def describe(name: str, language: str, violations: list[dict[str, Any]]) -> list[str]:
    return [f"{name} [{language}] {v['id']} ({v['impact']}): {v['help']}\n    "
            + "\n    ".join(v["nodes"]) for v in violations]


#: On a phone, the pages an employee opens there most (the menu folded behind its button).
PHONE_PAGES: dict[str | None, list[Page]] = {
    None: PAGES[None],
    "employee": PAGES["employee"],
    "owner": PAGES["owner"],
}


@pytest.mark.parametrize(("pages", "viewport"), [
    (PAGES, {"width": 1366, "height": 860}), (PHONE_PAGES, PHONE)], ids=["desktop", "phone"])
def test_axe_finds_no_wcag_violation_on_the_main_pages(browser, live_server, axe_script,
                                                       tmp_path, pages, viewport):
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(settings, "PHARE_ANALYTICS_DIR", tmp_path / "analytics", raising=False)
        world = build_world()
        with_service_answers(world)  # the value card has figures and a chart
        # `phare serve` makes Vega's bundle as it starts; a page that loads its chart with
        # htmx asks for the bundle before any chart of this test server made it.
        ensure_vega_bundle()
        found: list[str] = []
        visited = 0
        for role, visits in pages.items():
            context = browser.new_context(base_url=live_server.url, locale="en-GB",
                                          viewport=viewport)
            page = tracked(context.new_page())
            page.set_default_timeout(30_000)
            try:
                if role is not None:
                    sign_in_as(page, role)
                for language in ("fr", "en"):
                    context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME,
                                          "value": language, "url": live_server.url}])
                    for name, address in visits:
                        response = page.goto(address(world))
                        if response is None or not response.ok:
                            found.append(f"{name} [{language}] answered "
                                         f"{response and response.status}")
                            continue
                        settled(page)
                        # Signed in, the cookie chooses; a respondent's page speaks the
                        # language of the invitation.
                        lang = page.locator("html").get_attribute("lang")
                        assert lang == language if role else lang in ("fr", "en"), (name, lang)
                        page.evaluate(axe_script)
                        found += describe(name, language, page.evaluate(RUN, RULES))
                        visited += 1
            finally:
                context.close()
    assert found == [], "\n".join(found)
    assert visited == 2 * sum(len(visits) for visits in pages.values())
    assert pages is PHONE_PAGES or visited >= 2 * 22
