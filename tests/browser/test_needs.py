"""Needs, clicked through: an employee raises a need (and is shown a similar one), a colleague
votes for it, the marketing lead runs the arbitration, reads its explanations and budget curve,
publishes it, and the employee receives the decision with its reason by email."""

from __future__ import annotations

import re

import pytest
from django.utils import translation
from playwright.sync_api import expect

from phare.needs import services
from phare.needs.explaining import plain, plain_context
from phare.needs.models import Campaign, Need
from tests.needs.factories import make_campaign, make_need, make_teams, score

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def backlog(personas):
    """Needs already raised and scored, and delivery teams."""
    make_teams()
    owner = personas["owner"].person
    made = [
        score(make_need(owner, "Signature électronique des contrats fournisseurs",
                        "Signer les contrats fournisseurs en ligne, sans imprimer."),
              value=3, fit=3, one_off=40, efforts={"apps": 20}),
        score(make_need(owner, "Tableau de bord des ventes", "Chiffres de ventes chaque matin."),
              value=5, fit=5, one_off=30, efforts={"data": 25}),
        score(make_need(owner, "Wifi dans les ateliers", "Couverture des halls."),
              value=4, fit=4, one_off=60, efforts={"apps": 5}),
        score(make_need(owner, "Badge unique", "Un badge pour tous les sites."),
              value=2, fit=2, one_off=25, efforts={"apps": 10}),
    ]
    return made


def _switch_to_english(page):
    page.get_by_role("button", name="EN").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")


def _english_shots_then_french(page, shot, name):
    """Screenshots ``name``-en (desktop) and -en-phone, then the page in French on a desktop."""
    shot(f"{name}-en")
    page.set_viewport_size({"width": 390, "height": 844})
    shot(f"{name}-en-phone")
    page.set_viewport_size({"width": 1366, "height": 860})
    page.get_by_role("button", name="FR").click()
    expect(page.locator("html")).to_have_attribute("lang", "fr")


def _as(page, sign_in, persona):
    page.context.clear_cookies()
    sign_in(persona)
    _switch_to_english(page)


def test_a_need_from_submission_to_the_explained_decision(page, sign_in, shot, personas,
                                                         backlog, smtp_server):  # noqa: F811
    # An employee raises a need; a similar one shows up while typing.
    _as(page, sign_in, "employee")
    page.get_by_role("navigation", name="Main navigation").get_by_role(
        "link", name="Needs", exact=True).click()
    shot("needs-list-employee-en")
    page.get_by_role("link", name="Raise a need or an idea").click()
    page.get_by_label("Title").fill("Signature électronique des contrats clients")
    similar = page.locator("#similar")
    expect(similar.get_by_role("link", name=backlog[0].title)).to_be_visible()
    expect(similar.get_by_role("button", name=re.compile("Vote for this instead"))).to_be_visible()
    page.get_by_label("Description").fill("Les clients signent nos contrats sur papier.")
    page.get_by_label("Expected benefit").fill("Des contrats signés en une heure.")
    page.get_by_label("Urgency").select_option("high")
    shot("needs-new-with-similar-en")
    page.get_by_role("button", name="Submit").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(
        "Signature électronique des contrats clients")
    need = Need.objects.get(title="Signature électronique des contrats clients")
    shot("needs-detail-submitted-en")

    # A colleague votes for it.
    _as(page, sign_in, "owner")
    page.goto(f"/needs/{need.pk}/")
    page.get_by_role("button", name="Vote for this need").click()
    expect(page.locator(f"#vote-{need.pk} .count")).to_have_text("1")
    shot("needs-detail-voted-en")

    # The marketing lead scores it and runs the arbitration of an open campaign.
    services.need_set_status(user=personas["marketing"], need=need, to="qualified")
    score(need, value=5, fit=4, one_off=35, efforts={"apps": 15})
    campaign = make_campaign(personas["marketing"], [need, *backlog], budget=100,
                             capacities={"apps": 40, "data": 30}, name="Arbitrage T3")
    _as(page, sign_in, "marketing")
    page.get_by_role("navigation", name="Main navigation").get_by_role(
        "link", name="Arbitration").click()
    page.get_by_role("link", name="Arbitrage T3").click()
    expect(page.get_by_role("heading", name="Needs and their value")).to_be_visible()
    # The explanations are computed on commit here (tests run jobs inline): give them time.
    page.get_by_role("button", name="Run the arbitration").click(timeout=90_000)
    result = page.locator("#result-fragment")
    expect(result.get_by_text("This selection is proven optimal", exact=False)).to_be_visible()
    expect(result.locator(".chart-canvas svg").first).to_be_visible(timeout=20_000)
    expect(result.get_by_text("Not selected. It would come in", exact=False).first
           ).to_be_visible()
    shot("needs-arbitration-result-en")
    page.get_by_label("Why this decision").fill("Priority to what customers see first.")
    page.get_by_role("button", name=re.compile("as the decision")).click()
    expect(page.get_by_text("Decision recorded.", exact=False)).to_be_visible()
    page.get_by_role("button", name="Publish the decision").click()
    expect(page.get_by_text("Published:", exact=False)).to_be_visible()
    shot("needs-arbitration-published-en")
    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.PUBLISHED

    # The submitter receives the decision and its reason, in her language (French).
    employee = personas["employee"].person
    mails = [m for m in smtp_server.messages if m["To"] == employee.email]
    assert len(mails) == 1
    body = smtp_server.body(mails[0])
    arbitration = campaign.decision.arbitration
    explanation = arbitration.explanations[str(need.pk)]
    with translation.override(employee.language):
        sentence = plain(explanation, plain_context(
            arbitration.inputs, arbitration.result["chosen"], need.pk, explanation))
    assert need.title in body and "Priority to what customers see first." in body
    assert sentence in body
    voter_mails = [m for m in smtp_server.messages if m["To"] == personas["owner"].person.email]
    assert any(need.title in smtp_server.body(m) for m in voter_mails)

    # Everyone sees what was decided, and why, on the need's page.
    _as(page, sign_in, "employee")
    page.goto(f"/needs/{need.pk}/")
    expect(page.get_by_role("heading", name="What was decided")).to_be_visible()
    expect(page.locator(".outcome").get_by_text("Priority to what customers see first.",
                                                exact=False)).to_be_visible()
    shot("needs-detail-decided-en")

    # The published decision, in plain words: no solver terms, no unit codes.
    page.get_by_role("link", name="Arbitrage T3").first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Arbitrage T3")
    decided = page.locator("main").inner_text()
    assert "Selected because" in decided and "greedy" not in decided
    assert "total value" not in decided and "DSI" not in decided.split()
    _english_shots_then_french(page, shot, "needs-decision-plain")
    shot("needs-decision-plain-fr")


def test_an_arbitration_cut_short_by_its_time_limit_says_by_how_much(page, sign_in, shot,
                                                                     personas, monkeypatch):
    """A campaign the solver cannot prove within its time limit (here made tiny): the lead gets
    the best portfolio found and is told how much better another could be, in both languages,
    on a desktop and a phone."""
    from phare.needs import arbitration

    monkeypatch.setattr(arbitration, "SOLVE_TIME_LIMIT", 1e-9)
    make_teams()
    owner = personas["owner"].person
    needs = [score(make_need(owner, f"Besoin {number}", "Un besoin du trimestre."),
                   value=1 + number % 5, fit=1 + (number * 3) % 5, one_off=10 + 7 * number,
                   efforts={"apps" if number % 2 else "data": 5 + 3 * number})
             for number in range(12)]
    campaign = make_campaign(personas["marketing"], needs, budget=200,
                             capacities={"apps": 60, "data": 50}, name="Arbitrage serré")
    _as(page, sign_in, "marketing")
    page.goto(f"/needs/campaigns/{campaign.pk}/")
    page.get_by_role("button", name="Run the arbitration").click(timeout=90_000)
    result = page.locator("#result-fragment")
    expect(result).to_contain_text(re.compile(
        r"The solver reached its time limit before proving optimality: a better selection "
        r"could be worth up to \d+(\.\d)? % more\."))
    # The greedy choice is compared with the selection found, not called "the optimum".
    expect(result).to_contain_text(re.compile(r"a ratio of [\d.]+ to this selection\."))
    expect(result).not_to_contain_text("to the optimum")
    _english_shots_then_french(page, shot, "needs-arbitration-cut-short")
    expect(page.locator("#result-fragment")).to_contain_text(re.compile(
        r"Le solveur a atteint sa limite de temps avant de prouver l’optimalité : une meilleure "
        r"sélection pourrait valoir jusqu’à \d+(,\d)? % de plus\."))
    expect(page.locator("#result-fragment")).to_contain_text("par rapport à cette sélection.")
    shot("needs-arbitration-cut-short-fr")
    page.set_viewport_size({"width": 390, "height": 844})
    shot("needs-arbitration-cut-short-fr-phone")
