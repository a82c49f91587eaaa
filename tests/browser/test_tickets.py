"""Ticket feedback, clicked through: a requester rates a closed ticket from the email's link,
confirms, says why and how much time was lost; the marketing lead sees it in the results."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import translation
from django.utils.translation import gettext
from playwright.sync_api import expect

from phare.listening.models import Invitation, Response
from phare.tickets import services as tickets
from tests.catalog.factories import make_families, make_service
from tests.directory.factories import make_person
from tests.tickets.factories import open_ticket_survey, ticket_row

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]


def french(message: str) -> str:
    with translation.override("fr"):
        return gettext(message)


@pytest.fixture
def emailed(personas, smtp_server):  # noqa: F811  (the fixture imported above)
    """INC0012345, resolved for Eric, reported by the ITSM and emailed to him."""
    make_families()
    make_service("teletravail", name_fr="Télétravail en toute sécurité")
    open_ticket_survey()
    tickets.tickets_receive([ticket_row("INC0012345", service="teletravail")])
    assert tickets.send_due_ticket_invitations() == 1
    return smtp_server.messages[0], smtp_server


def test_a_requester_rates_a_ticket_from_the_email_link_and_adds_a_reason(page, shot, emailed,
                                                                           sign_in, org):
    message, inbox = emailed
    links = re.findall(r"https?://[^/\s]+(/s/t/[\w-]+/\d+/)", inbox.body(message))
    assert len(links) == 11
    # The email as a mail program shows it, on a desk and on a phone.
    page.set_content(inbox.html(message))
    shot("tickets-email-fr")
    page.set_viewport_size({"width": 360, "height": 640})
    shot("tickets-email-mobile-fr")
    page.set_viewport_size({"width": 1280, "height": 860})
    page.goto(links[3])  # the "3" of the email
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    expect(page.get_by_text("INC0012345")).to_be_visible()
    expect(page.get_by_text("Télétravail en toute sécurité")).to_be_visible()
    expect(page.get_by_role("radio", name="3", exact=True)).to_be_checked()
    expect(page.get_by_role("radio", name="9", exact=True)).not_to_be_checked()
    shot("tickets-rating-landing-fr")
    page.set_viewport_size({"width": 375, "height": 740})
    shot("tickets-rating-landing-mobile-fr")
    assert Response.objects.count() == 0  # opening the page recorded nothing

    page.get_by_role("button", name=french("Confirm my rating")).click()
    expect(page.get_by_role("checkbox", name="Résolution trop lente")).to_be_visible()
    expect(page.get_by_role("checkbox", name="Rapide")).to_be_hidden()
    assert Response.objects.get().answers == {"rating": 3}
    page.get_by_role("checkbox", name="Résolution trop lente").check()
    page.get_by_role("checkbox", name="J'ai dû relancer").check()
    page.get_by_role("radio", name="1 à 4 heures").check()
    page.get_by_label("Un commentaire ?").fill("Trois relances avant une réponse.")
    shot("tickets-followups-mobile-fr")
    page.set_viewport_size({"width": 1280, "height": 860})
    shot("tickets-followups-fr")
    page.get_by_role("button", name=french("Send"), exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile(
        re.escape(french("Thank you, your answers are recorded"))))
    shot("tickets-thanks-fr")
    response = Response.objects.get()
    assert response.answers == {"rating": 3, "reasons_low": ["slow", "chase"],
                                "lost_time": "1_4h",
                                "comment": "Trois relances avant une réponse."}

    # Four colleagues rate theirs too: enough answers for results to be shown.
    people = [make_person(org, f"E2{n:03d}", "Agent", f"N{n}") for n in range(4)]
    tickets.tickets_receive([ticket_row(f"INC00200{n}", p.employee_id)
                             for n, p in enumerate(people)])
    tickets.send_due_ticket_invitations()
    for score, invitation in zip((2, 8, 9, 10), Invitation.objects.exclude(
            ticket__external_id="INC0012345").order_by("pk"), strict=True):
        rated = tickets.ticket_rate(invitation, score)
        if score == 2:
            tickets.ticket_response_amend(rated, {"reasons_low": ["slow", "not_solved"]})

    # Results are released by whole months that are over: these ratings are from last month.
    Response.objects.update(submitted_on=dt.date.today().replace(day=1) - dt.timedelta(days=2))
    # The marketing lead sees the results, never whether this ticket was rated.
    sign_in("marketing")
    page.get_by_role("navigation", name="Navigation principale").get_by_role(
        "link", name=french("Ticket feedback")).click()
    expect(page.get_by_role("cell", name="INC0012345")).to_be_visible()
    row = page.get_by_role("row").filter(has_text="INC0012345")
    # Confidential: not even whether it was rated; the rating counts only in the results.
    expect(row.get_by_role("cell").last).to_have_text("—")
    expect(page.locator(".tr-bars").first).to_contain_text("9–10")
    # Two people chose "too slow": fewer than five, so no count of them.
    reasons = page.locator(".tr-bars li").filter(has_text="Résolution trop lente")
    expect(reasons).to_have_count(0)
    shot("tickets-manage-fr")


def test_changing_the_rating_shows_the_reasons_of_its_band(page, shot, emailed):
    message, inbox = emailed
    link = re.search(r"https?://[^/\s]+(/s/t/[\w-]+/)8/", inbox.body(message)).group(1)
    page.goto(link + "8/")
    page.get_by_role("button", name=french("Confirm my rating")).click()
    expect(page.get_by_role("checkbox", name="Un peu long")).to_be_visible()
    page.get_by_text(french("Change my rating")).click()
    page.get_by_role("radio", name="10", exact=True).check()
    expect(page.get_by_role("checkbox", name="Un peu long")).to_be_hidden()
    page.get_by_role("checkbox", name="Technicien aimable").check()
    shot("tickets-followups-changed-rating-fr")
    page.get_by_role("button", name=french("Send"), exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert Response.objects.get().answers == {"rating": 10, "reasons_high": ["friendly"]}
