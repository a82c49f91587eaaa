"""An action's email as each person receives it: languages, merge fields, links through
redirects, unsubscribe headers and footer, mandatory notices, the event's invitation."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from icalendar import Calendar

from phare.comms import emails, ics
from phare.comms.models import Action, Delivery, Link
from tests.catalog.factories import make_families, make_service
from tests.comms.factories import make_action, make_people, make_plan

pytestmark = pytest.mark.django_db
BASE = "http://phare.example.com"


@pytest.fixture(autouse=True)
def _base_url(settings):
    settings.PHARE_BASE_URL = BASE


def deliver(action: Action, person, **extra) -> Delivery:
    values = {"group": Delivery.Group.REACHED,
              "language": emails.language_of(action, person)}
    values.update(extra)
    return Delivery.objects.create(action=action, person=person, **values)


def test_it_writes_to_each_person_in_their_language_with_merge_fields(org):
    [french] = make_people(org, 1, prefix="F")
    [english] = make_people(org, 1, prefix="E", language="en", unit=org["sales"])
    make_families()
    service = make_service("teams", name_fr="Teams (FR)", name_en="Teams (EN)")
    action = make_action(make_plan(), services=[service],
                         subject_fr="Bonjour {first_name} {last_name}",
                         subject_en="Hello {first_name} {last_name}",
                         body_fr="Votre unité : {unit}. Service : {service}. Gardé : {other}.",
                         body_en="Your unit: {unit}. Service: {service}. Kept: {other}.")
    message = emails.message(action, deliver(action, french), french)
    assert (message.language, message.subject) == ("fr", "Bonjour First1 FLast1")
    assert "Votre unité : Systèmes d&#x27;information." in message.html
    assert "Service : Teams (FR). Gardé : {other}." in message.html
    assert "Votre unité : Systèmes d'information. Service : Teams (FR)." in message.text
    message = emails.message(action, deliver(action, english), english)
    assert (message.language, message.subject) == ("en", "Hello First1 ELast1")
    assert "Your unit: Ventes. Service: Teams (EN). Kept: {other}." in message.text


def test_it_falls_back_to_the_first_language_of_the_action(org):
    [english] = make_people(org, 1, language="en")
    action = make_action(make_plan(), languages=["fr"])
    assert emails.language_of(action, english) == "fr"
    message = emails.message(action, deliver(action, english), english)
    assert message.language == "fr" and message.subject == "Bonjour First1"


def test_it_escapes_merge_values_in_html_only(org):
    [person] = make_people(org, 1)
    person.first_name = "<b>Zoé</b>"
    person.save()
    action = make_action(make_plan(), body_fr="Bonjour {first_name} !")
    message = emails.message(action, deliver(action, person), person)
    assert "Bonjour &lt;b&gt;Zoé&lt;/b&gt; !" in message.html
    assert "<b>Zoé</b>" not in message.html
    assert "Bonjour <b>Zoé</b> !" in message.text


def test_it_sends_every_link_through_a_redirect_counted_per_person(org):
    [person] = make_people(org, 1)
    action = make_action(make_plan(), body_fr=(
        "Lisez [le guide](https://intranet.example.com/guide?a=1&b=2) ou "
        "https://docs.example.com/teams. Écrivez à [nous](mailto:dsi@example.com).\n\n"
        "`https://code.example.com` reste tel quel."))
    delivery = deliver(action, person)
    message = emails.message(action, delivery, person)
    links = dict(Link.objects.filter(action=action).values_list("url", "pk"))
    assert set(links) == {"https://intranet.example.com/guide?a=1&b=2",
                          "https://docs.example.com/teams"}
    guide = f"{BASE}/m/c/{delivery.token}/{links['https://intranet.example.com/guide?a=1&b=2']}/"
    docs = f"{BASE}/m/c/{delivery.token}/{links['https://docs.example.com/teams']}/"
    assert f'href="{guide}"' in message.html
    assert f'href="{docs}"' in message.html
    assert "intranet.example.com" not in message.html
    assert 'href="mailto:dsi@example.com"' in message.html
    assert "<code>https://code.example.com</code>" in message.html
    assert f"le guide ({guide})" in message.text
    assert f"ou {docs}." in message.text
    # A second email of the same action uses the same links.
    [other] = make_people(org, 1, prefix="Q")
    emails.message(action, deliver(action, other), other)
    assert Link.objects.filter(action=action).count() == 2


def test_it_counts_links_only_in_total_without_individual_tracking(org, settings):
    settings.PHARE_COMMS_INDIVIDUAL_TRACKING = False
    [person] = make_people(org, 1)
    action = make_action(make_plan())
    delivery = deliver(action, person)
    message = emails.message(action, delivery, person)
    link = Link.objects.get(action=action)
    assert f'href="{BASE}/m/l/{link.pk}/"' in message.html
    assert f"/m/c/{delivery.token}/" not in message.html + message.text


def test_it_offers_to_unsubscribe_in_headers_and_footer(org):
    [person] = make_people(org, 1)
    action = make_action(make_plan())
    delivery = deliver(action, person)
    message = emails.message(action, delivery, person)
    url = f"{BASE}/m/u/{delivery.token}/"
    assert message.unsubscribe == url
    email = message.email()
    assert email.extra_headers["List-Unsubscribe"] == f"<{url}>"
    assert email.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert f'href="{url}"' in message.html
    assert url in message.text


def test_it_never_offers_to_unsubscribe_from_a_mandatory_notice(org):
    [person] = make_people(org, 1)
    action = make_action(make_plan(), mandatory=True, category="notice")
    delivery = deliver(action, person)
    message = emails.message(action, delivery, person)
    assert message.unsubscribe is None
    email = message.email()
    assert "List-Unsubscribe" not in email.extra_headers
    assert "List-Unsubscribe-Post" not in email.extra_headers
    assert "/m/u/" not in message.html + message.text
    assert "avis de service" in message.text.lower() or "service notice" in message.text.lower()


def test_it_attaches_the_event_invitation_and_the_registration_link(org):
    [person] = make_people(org, 1)
    starts = timezone.make_aware(dt.datetime(2027, 3, 4, 14, 0))
    action = make_action(make_plan(), kind=Action.Kind.EVENT, channel=Action.Channel.EVENT,
                         category="event", location="Salle Lumière", starts_at=starts,
                         ends_at=starts + dt.timedelta(hours=2), subject_fr="Atelier Teams")
    delivery = deliver(action, person)
    message = emails.message(action, delivery, person)
    register = f"{BASE}/m/r/{delivery.token}/"
    assert f'href="{register}"' in message.html and register in message.text
    [(filename, content, mimetype)] = message.attachments
    assert (filename, mimetype) == ("invitation.ics", "text/calendar; method=REQUEST")
    calendar = Calendar.from_ical(content)
    assert str(calendar["method"]) == "REQUEST"
    [event] = calendar.walk("VEVENT")
    assert str(event["summary"]) == "Atelier Teams"
    assert str(event["location"]) == "Salle Lumière"
    assert event.decoded("dtstart") == starts
    assert event.decoded("dtend") == starts + dt.timedelta(hours=2)
    assert str(event["attendee"]) == f"mailto:{person.email}"
    assert str(event["organizer"]).startswith("mailto:")
    assert register in str(event["description"])
    assert str(event["uid"]) == ics.uid(action)  # the same event as in the team's feed


def test_it_adds_the_open_pixel_only_when_it_is_on(org, settings):
    [person] = make_people(org, 1)
    action = make_action(make_plan())
    delivery = deliver(action, person)
    assert "/m/o/" not in emails.message(action, delivery, person).html
    settings.PHARE_COMMS_OPEN_PIXEL = True
    assert f'src="{BASE}/m/o/{delivery.token}.gif"' in emails.message(action, delivery,
                                                                       person).html


def test_it_turns_markdown_into_sanitised_html_and_plain_text(org):
    [person] = make_people(org, 1)
    action = make_action(make_plan(), body_fr=(
        "# Nouveautés\n\nTexte **important** et <script>alert(1)</script>.\n\n"
        "- un\n- deux\n\n1. premier\n2. second\n"))
    message = emails.message(action, deliver(action, person), person)
    assert "<h3>Nouveautés</h3>" in message.html
    assert "<strong>important</strong>" in message.html
    assert "<script>" not in message.html
    assert "Nouveautés\n\nTexte important et <script>alert(1)</script>.\n\n- un\n- deux\n\n" \
           "1. premier\n2. second" in message.text


def test_it_previews_the_email_as_written_and_records_nothing(org):
    [person] = make_people(org, 1, language="en")
    action = make_action(make_plan())
    rendered = emails.preview(action, language="en")
    assert rendered.subject == "Hello {first_name}"
    assert 'href="https://intranet.example.com/"' in rendered.html
    assert rendered.text.startswith("Discover the portal (https://intranet.example.com/)")
    assert emails.preview(action, language="fr", person=person).subject == "Bonjour First1"
    assert not Link.objects.exists()
