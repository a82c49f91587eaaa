"""What an employee does with the communication plan's emails, clicked through: a campaign
email received from a real send (its link leads where it says, its unsubscribe link asks before
it records, and can be undone), the page of the messages one receives (news stopped and taken
back; service notices cannot be stopped), and an event invitation (registering takes a seat,
cancelling frees it, a full event says so without a count). In French and English, with
screenshots on a desk and on a phone saved to /tmp/shots/people/ for people to look at."""

from __future__ import annotations

import datetime as dt
import re
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from django.utils import translation
from django.utils.translation import gettext
from playwright.sync_api import Page, expect

import phare.comms.jobs  # noqa: F401  (registers the comms.send job handler)
from phare.comms.models import Action, Click, Delivery, Registration
from phare.comms.services import sending, tracking
from phare.contact.models import OptOut
from phare.directory.models import Person
from phare.jobs.models import Job
from phare.jobs.services import job_run
from tests.comms.factories import make_action, make_audience, make_plan
from tests.directory.factories import make_person

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]

SHOTS = Path("/tmp/shots/people")
DESK = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}
GUIDE = "<!DOCTYPE html><html lang='fr'><title>Guide</title><h1>Le guide de Teams</h1></html>"
#: An event far enough ahead, on a day and at hours where no lone "2" is written.
EVENT_STARTS = dt.datetime(2030, 6, 14, 9, 30, tzinfo=dt.UTC)


def say(language: str, message: str) -> str:
    with translation.override(language):
        return gettext(message)


def _no_sideways_scroll(page: Page) -> None:
    wide = page.evaluate("document.documentElement.scrollWidth")
    assert wide <= page.viewport_size["width"], f"{page.url} is {wide}px wide on a phone"


def _shots(page: Page, name: str) -> None:
    """The page as it is, on a desk and on a phone; nothing may overflow sideways."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    for device, size in (("desktop", DESK), ("phone", PHONE)):
        page.set_viewport_size(size)
        if device == "phone":
            _no_sideways_scroll(page)
        page.screenshot(path=str(SHOTS / f"{name}-{device}.png"), full_page=True)
    page.set_viewport_size(DESK)


@pytest.fixture
def guide() -> Iterator[str]:
    """A tiny page at a local address: where the email's link leads."""

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 (http.server's name)
            body = GUIDE.encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            return None

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/teams/guide?from=email"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def links_to_live_server(settings, live_server) -> None:
    """The emails' links point at the test server (they are absolute)."""
    settings.PHARE_BASE_URL = live_server.url


def _send(action: Action, personas) -> None:
    job = sending.send_start(action=action, user=personas["marketing"])
    assert job_run(job).status == Job.Status.SUCCEEDED


def _received(inbox, person: Person) -> tuple[str, list[str]]:
    """The plain text of the email ``person`` received, and its links' paths."""
    [message] = [m for m in inbox.messages if m["To"] == person.email]
    text = inbox.body(message)
    return text, [re.sub(r"^https?://[^/]+", "", url)
                  for url in re.findall(r"https?://[^\s)]+", text)]


def _campaign(personas, guide: str) -> Action:
    return make_action(
        make_plan(), "Teams arrive", status=Action.Status.APPROVED, owner=personas["marketing"],
        audience=make_audience({"units": ["VEN"]}, name="Les ventes"), category="newsletter",
        subject_fr="Teams arrive, {first_name}", subject_en="Teams is here, {first_name}",
        body_fr=f"Lisez [le guide]({guide}).", body_en=f"Read [the guide]({guide}).")


# --- 1 and 4: a campaign email, its link, unsubscribing and undoing, in both languages ---------

@pytest.mark.parametrize("language", ["fr", "en"])
def test_it_lets_an_employee_follow_a_link_then_unsubscribe_and_undo(
        page, personas, smtp_server, guide, links_to_live_server, language):
    eric = personas["employee"].person
    Person.objects.filter(pk=eric.pk).update(language=language)
    action = _campaign(personas, guide)
    _send(action, personas)

    # The email, in Eric's language, its links through Phare.
    [message] = smtp_server.messages
    assert message["Subject"] == ("Teams arrive, Eric" if language == "fr"
                                  else "Teams is here, Eric")
    text, paths = _received(smtp_server, eric)
    token = Delivery.objects.get(action=action, person=eric).token
    [click] = [path for path in paths if path.startswith(f"/m/c/{token}/")]
    [unsubscribe] = [path for path in paths if path == f"/m/u/{token}/"]
    assert guide not in text  # the address goes through the redirect, to be counted
    assert f"/m/u/{token}/" in message["List-Unsubscribe"]

    # The link leads to the guide, and the click is counted once.
    page.goto(click)
    expect(page.get_by_role("heading", level=1)).to_have_text("Le guide de Teams")
    assert page.url == guide
    page.goto(click)
    assert Click.objects.filter(delivery__token=token).count() == 1

    # The unsubscribe link asks, in the email's language (not the browser's), and records
    # nothing: a mail scanner opening it must not unsubscribe anyone.
    page.goto(unsubscribe)
    expect(page.locator("html")).to_have_attribute("lang", language)
    category = say(language, "News and campaigns")
    heading = page.get_by_role("heading", level=1)
    expect(heading).to_contain_text(category)
    expect(heading).to_have_text(re.compile(re.escape(
        say(language, "Stop receiving “%(category)s”?") % {"category": category})))
    assert not OptOut.objects.filter(person=eric).exists()
    _shots(page, f"unsubscribe-ask-{language}")

    page.get_by_role("button", name=say(language, "Unsubscribe"), exact=True).click()
    expect(heading).to_contain_text(say(language, "You are unsubscribed"))
    expect(page.get_by_role("status")).to_contain_text(category)
    assert list(OptOut.objects.filter(person=eric).values_list("category", flat=True)) == [
        "newsletter"]
    _shots(page, f"unsubscribe-done-{language}")

    # Opened again, or in the other language: the page says what is recorded, asks nothing.
    other = "en" if language == "fr" else "fr"
    switch = {"en": "English", "fr": "Français"}
    page.get_by_role("link", name=switch[other]).click()
    expect(page.locator("html")).to_have_attribute("lang", other)
    expect(heading).to_contain_text(say(other, "You are unsubscribed"))
    expect(page.get_by_role("status")).to_contain_text(say(other, "News and campaigns"))
    page.get_by_role("link", name=switch[language]).click()
    expect(heading).to_contain_text(say(language, "You are unsubscribed"))

    # Changed his mind: one click and he receives them again.
    page.get_by_role("button", name=say(language, "Receive these messages again")).click()
    expect(heading).to_have_text(say(language, "You will receive these messages again"))
    assert not OptOut.objects.filter(person=eric).exists()
    _shots(page, f"unsubscribe-undone-{language}")
    page.goto(unsubscribe)
    expect(heading).to_have_text(re.compile(re.escape(
        say(language, "Stop receiving “%(category)s”?") % {"category": category})))


def test_it_says_a_service_notice_cannot_be_unsubscribed_from(page, personas, smtp_server,
                                                               links_to_live_server):
    eric = personas["employee"].person
    action = make_action(make_plan(), "Coupure réseau", status=Action.Status.APPROVED,
                         owner=personas["marketing"], category="notice", mandatory=True,
                         audience=make_audience({"units": ["VEN"]}, name="Les ventes"))
    _send(action, personas)
    text, paths = _received(smtp_server, eric)
    assert not [path for path in paths if path.startswith("/m/u/")]
    # Its delivery's unsubscribe address, typed by hand, says why and stops nothing.
    page.goto(f"/m/u/{Delivery.objects.get(action=action, person=eric).token}/")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        say("fr", "This message cannot be unsubscribed from"))
    expect(page.get_by_role("button")).to_have_count(0)
    assert not OptOut.objects.filter(person=eric).exists()


# --- 2: the messages I receive, signed in ------------------------------------------------------

def _language(page: Page, code: str) -> None:
    page.get_by_role("button", name=code.upper(), exact=True).click()
    expect(page.locator("html")).to_have_attribute("lang", code)


def test_it_lets_an_employee_stop_the_news_see_notices_kept_and_undo(page, personas, sign_in):
    eric = personas["employee"].person
    sign_in("employee")
    for language in ("fr", "en"):
        _language(page, language)
        page.goto("/comms/preferences/")
        expect(page.get_by_role("heading", level=1)).to_have_text(
            say(language, "Messages you receive"))
        _shots(page, f"preferences-{language}")
    # In English from here on.
    table = page.locator("#preferences")
    news = table.locator('tr[data-category="newsletter"]')
    notices = table.locator('tr[data-category="notice"]')
    expect(news.get_by_role("cell").first).to_have_text("Yes")

    # Service notices: always received, nothing to click.
    expect(notices).to_contain_text("Always received")
    expect(notices).to_contain_text("Cannot be unsubscribed")
    expect(notices.get_by_role("button")).to_have_count(0)

    # The news and campaigns stopped.
    news.get_by_role("button", name="Stop receiving — News and campaigns").click()
    expect(page.locator(".undo")).to_contain_text("You no longer receive “News and campaigns”.")
    expect(news.get_by_role("cell").first).to_have_text("No")
    expect(news.get_by_role("button", name="Receive again — News and campaigns")).to_be_visible()
    assert list(OptOut.objects.filter(person=eric).values_list("category", flat=True)) == [
        "newsletter"]
    _shots(page, "preferences-stopped-en")

    # Undone at once.
    page.locator(".undo").get_by_role("button", name="Undo").click()
    expect(page.locator(".undo")).to_contain_text("You receive “News and campaigns” again.")
    expect(news.get_by_role("cell").first).to_have_text("Yes")
    assert not OptOut.objects.filter(person=eric).exists()
    # The undo of an undo is offered, nothing more: the page is as it was.
    expect(table.get_by_role("button", name=re.compile("^Stop receiving"))).to_have_count(3)


# --- 3: an event invitation -------------------------------------------------------------------

def test_it_lets_an_employee_register_cancel_and_sees_a_full_event_without_a_count(
        page, org, personas, smtp_server, links_to_live_server):
    eric = personas["employee"].person
    nora = make_person(org, "E0100", "Nora", "Petit", business_unit=org["sales"], language="en")
    # Eric's colleague has already taken the other seat.
    early = make_person(org, "E0101", "Paul", "Leroy", business_unit=org["dsi"])
    action = make_action(
        make_plan(), "Atelier Teams (vague 2)", status=Action.Status.APPROVED,
        owner=personas["marketing"], kind=Action.Kind.EVENT, channel=Action.Channel.EVENT,
        category="event", capacity=2, starts_at=EVENT_STARTS,
        ends_at=EVENT_STARTS + dt.timedelta(hours=1, minutes=30), location="Auditorium Lumière",
        audience=make_audience({"units": ["VEN"]}, name="Les ventes"),
        subject_fr="Atelier Teams, {first_name}", subject_en="Teams workshop, {first_name}",
        body_fr="Venez découvrir Teams.", body_en="Come and discover Teams.")
    tracking.register(action=action, person=early)
    _send(action, personas)
    register = {}
    for person in (eric, nora):
        _text, paths = _received(smtp_server, person)
        token = Delivery.objects.get(action=action, person=person).token
        [register[person.pk]] = [path for path in paths if path == f"/m/r/{token}/"]

    def seats() -> set[int]:
        return set(Registration.objects.filter(action=action, cancelled_at__isnull=True)
                   .values_list("person_id", flat=True))

    # Eric's invitation asks (in French, his language); opening it takes no seat.
    page.goto(register[eric.pk])
    heading = page.get_by_role("heading", level=1)
    expect(heading).to_have_text(say("fr", "Register to this event?"))
    expect(page.get_by_text("Auditorium Lumière")).to_be_visible()
    expect(page.get_by_text("Atelier Teams, Eric")).to_be_visible()  # the email's subject
    assert seats() == {early.pk}
    _shots(page, "register-ask-fr")
    page.get_by_role("link", name="English").click()
    expect(heading).to_have_text("Register to this event?")
    expect(page.get_by_text("Teams workshop, Eric")).to_be_visible()
    _shots(page, "register-ask-en")

    page.get_by_role("button", name="Register", exact=True).click()
    expect(heading).to_contain_text("You are registered")
    assert seats() == {early.pk, eric.pk}
    _shots(page, "register-done-en")

    # Nora (English) finds it full: said so, without how many came forward.
    page.goto(register[nora.pk])
    expect(page.locator("html")).to_have_attribute("lang", "en")
    message = page.locator(".respond-message")
    expect(heading).to_have_text("This event is full: every seat is taken.")
    expect(page.get_by_role("button", name="Register", exact=True)).to_have_count(0)
    assert not re.search(r"\b2\b|\bseats? left\b|\bregistered\b", message.inner_text(), re.I)
    _shots(page, "register-full-en")
    page.get_by_role("link", name="Français").click()
    expect(heading).to_have_text(say("fr", "This event is full: every seat is taken."))
    _shots(page, "register-full-fr")

    # Eric cancels: his seat is free again.
    page.goto(register[eric.pk])
    expect(heading).to_contain_text(say("fr", "You are registered"))
    page.get_by_role("button", name=say("fr", "Cancel my registration")).click()
    expect(heading).to_have_text(say("fr", "Your registration is cancelled"))
    assert seats() == {early.pk}
    # He opens his invitation again in another tab: a seat is free, he may register.
    again = page.context.new_page()
    again.goto(register[eric.pk])
    expect(again.get_by_role("button", name=say("fr", "Register"), exact=True)).to_be_visible()

    # Nora takes the free seat.
    page.goto(register[nora.pk])
    page.get_by_role("button", name="Register", exact=True).click()
    expect(heading).to_contain_text("You are registered")
    assert seats() == {early.pk, nora.pk}

    # Eric clicks on the page he left open: refused, said once, no count, nothing recorded.
    again.get_by_role("button", name=say("fr", "Register"), exact=True).click()
    expect(again.get_by_role("heading", level=1)).to_have_text(
        say("fr", "You could not be registered"))
    expect(again.get_by_text(say("fr", "This event is full: every seat is taken."))
           ).to_have_count(1)
    expect(again.get_by_role("button")).to_have_count(0)
    assert seats() == {early.pk, nora.pk}
    again.close()
