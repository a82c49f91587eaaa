"""One way to compute each ticket figure: the results on the ticket survey's management page and
the ticket experience page of insights show the same numbers, read on the demo from the pages
as a reader sees them (the HTML), not from the function that computes them."""

from __future__ import annotations

import re

import pytest
from django.conf import settings as django_settings

from phare.accounts.models import User
from phare.accounts.roles import Role
from phare.core.demo import DemoContext
from phare.insights.tickets import ticket_surveys
from phare.listening import demo_data as D
from phare.listening.models import Survey
from tests.tickets.factories import results_of, ticket_demo

pytestmark = pytest.mark.slow


@pytest.fixture
def demo(demo_through, settings, tmp_path) -> DemoContext:
    ctx = ticket_demo(demo_through)
    settings.PHARE_ANALYTICS_DIR = tmp_path / "analytics"
    return ctx


def headline(html: str) -> dict:
    """The ticket figures' headline as written (both pages include the same headline)."""
    figures = dict(re.findall(r'data-figure="(ticket_happiness|answers|lost_time|'
                              r'lost_time_total)">([^<]+)<', html))
    interval = re.search(r"95 % interval: ([^<]+?) to ([^<]+?) ·", html)
    assert interval and {"ticket_happiness", "answers"} <= set(figures), html
    return {**figures, "interval": interval.groups()}


def management_figures(html: str) -> dict:
    """The figures of the results fragment the management page loads."""
    bands = {band: (int(count), pct) for band, count, pct in re.findall(
        r'<li data-band="(\w+)">.*?<span class="tr-num">(\d+) \(([^)]+)\)</span>', html, re.S)}
    reasons = {}
    for block in html.split("<h3>")[1:]:
        base = re.search(r"<p class=\"muted\">(\d+) answers? in this score band", block)
        if base is None:
            continue  # not a question of reasons
        for key, count, pct in re.findall(
                r'<li data-option="([\w:]+)"><span>[^<]*</span>'
                r'<span class="tr-num">(\d+) \(<span data-figure="reason_share">([^<]+)</span>\)',
                block):
            reasons[key] = (int(count), int(base.group(1)), pct)
    return {"headline": headline(html), "bands": bands, "reasons": reasons}


def insights_figures(html: str) -> dict:
    """The same figures on the ticket experience page."""
    bands = {band: (int(count), pct) for band, count, pct in re.findall(
        r'<tr data-band="(\w+)"><td>[^<]*</td><td>(\d+)</td><td>([^<]+)</td></tr>', html)}
    reasons = {key: (int(count), int(base), pct) for key, count, base, pct in re.findall(
        r'<tr data-reason="([\w:]+)"><td>[^<]*</td>\s*<td>[^<]*</td>'
        r'<td>(\d+) / (\d+)</td><td data-figure="reason_share">([^<]+)</td></tr>', html)}
    return {"headline": headline(html), "bands": bands, "reasons": reasons}


def test_the_management_page_and_insights_show_the_same_ticket_figures(demo, client):
    survey = Survey.objects.get(slug=D.TICKET_SLUG)
    assert ticket_surveys() == [survey]  # the insights page, unfiltered, covers this survey
    client.force_login(User.objects.filter(role=Role.MARKETING).first())
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get("/surveys/tickets/")
    ours = management_figures(results_of(client, page).content.decode())
    theirs = insights_figures(client.get("/insights/tickets/").content.decode())
    # Enough of the demo is released for every figure to be compared.
    n = int(ours["headline"]["answers"].replace(",", ""))
    assert n > 100 and set(ours["bands"]) == {"low", "mid", "high"}
    assert sum(count for count, _pct in ours["bands"].values()) == n
    assert {key.split(":")[0] for key in ours["reasons"]} == {
        "reasons_low", "reasons_mid", "reasons_high"}
    assert ours == theirs
