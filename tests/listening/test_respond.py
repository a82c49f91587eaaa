"""Answering pages (``/s/``): every question type, display conditions with and without htmx,
drafts resumed, exactly-once submission, the open link's protections and the JSON way."""

from __future__ import annotations

import html
import json
import os
import re
import subprocess
import sys
import uuid

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.utils import translation
from django.utils.translation import gettext

from phare.listening import services
from phare.listening.models import Invitation, Response, Survey, Wave
from phare.tickets.models import Ticket
from tests.listening.factories import (
    full_answers,
    invite,
    open_barometer,
    page_one,
    section_of,
    send,
    shown,
    url,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_cache():
    # The rate limit counts in the cache, which outlives a test.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def survey(personas) -> Survey:
    return open_barometer()


@pytest.fixture
def invitation(survey, personas) -> Invitation:
    return invite(survey, personas["employee"].person)


def text(response) -> str:
    return html.unescape(response.content.decode())


def page_two(**extra) -> dict:
    data = {f"grid.{code}.{dim}": "5" if dim == "importance" else "3"
            for code in ("reactivite", "competence", "communication")
            for dim in ("importance", "satisfaction")}
    data.update({"tools": ["vpn", "other"], "tools.other": "Jira", "site_pref": "home",
                 "comment": "Très bien dans l'ensemble"})
    data.update(extra)
    return data


# --- the pages -----------------------------------------------------------------------------------

def test_it_renders_every_question_type_and_round_trips(client, survey, invitation):
    first = client.get(url(invitation))
    assert first.status_code == 200 and first["Content-Language"] == "fr"
    body = text(first)
    assert "Baromètre de satisfaction IT" in body and "Dix minutes pour nous aider" in body
    assert '<progress max="2" value="1"' in body
    for name, low, high in (("nps", 0, 10), ("csat", 1, 5), ("ces", 1, 7), ("scale", 1, 10)):
        values = re.findall(rf'type="radio" id="q-{name}-\d+" name="{name}" value="(\d+)"', body)
        assert values == [str(n) for n in range(low, high + 1)], name
    assert 'role="radiogroup" aria-required="true"' in body  # the NPS is required
    assert "Pas du tout" in body and "Tout à fait" in body  # the scale's own end labels
    assert shown(first) == ["nps", "csat", "ces", "scale"]
    assert '<div id="slot-why_low" class="slot"></div>' in body
    # Without JavaScript: NPS 4 shows "what went wrong?" before moving on.
    again = send(client, url(invitation), page_one(4), page=first)
    assert again.status_code == 200
    assert 'name="why_low"' in again.content.decode()
    assert shown(again) == ["nps", "why_low", "csat", "ces", "scale"]
    assert 'value="4" checked' in again.content.decode()
    moved = send(client, url(invitation), page_one(4, why_low="Trop lent"), page=again)
    assert moved.status_code == 302 and moved["Location"].endswith("?section=2")
    second = client.get(moved["Location"])
    body = text(second)
    assert '<progress max="2" value="2"' in body and "Qualité de service" in body
    for code in ("reactivite", "competence", "communication"):
        for dim in ("importance", "satisfaction"):
            assert body.count(f'name="grid.{code}.{dim}"') == 5
    assert body.count('type="checkbox"') == 4 and 'name="tools.other"' in body
    assert re.search(r'type="radio" id="q-site_pref-home" name="site_pref" value="home"', body)
    assert '<textarea id="q-comment" name="comment" rows="4" maxlength="5000"' in body
    done = send(client, url(invitation), page_two(), action="submit", page=second)
    assert done.status_code == 302 and done["Location"] == url(invitation, "thanks/")
    response = Response.objects.get()
    assert response.answers == full_answers(4)
    assert response.channel == "invitation" and response.version == invitation.version
    thanks = client.get(done["Location"])
    assert thanks.status_code == 200 and "Merci pour vos réponses !" in text(thanks)


def test_it_shows_and_hides_a_dependent_question_at_once_with_htmx(client, invitation):
    headers = {"HTTP_HX_REQUEST": "true"}
    shown_now = client.post(url(invitation), {"section": "1", "nps": "4",
                                              "_shown": ["nps", "csat", "ces", "scale"]},
                            **headers)
    assert shown_now.status_code == 200
    body = shown_now.content.decode()
    assert '<div id="slot-why_low" hx-swap-oob="innerHTML">' in body
    assert '<textarea id="q-why_low" name="why_low"' in body
    assert 'id="save-status" hx-swap-oob="innerHTML"' in body
    # Only the slot whose visibility changed is sent: the other answers stay as typed.
    assert 'name="csat"' not in body
    invitation.refresh_from_db()
    assert invitation.draft == {"nps": 4}
    hidden = client.post(url(invitation), {"section": "1", "nps": "9", "why_low": "Lent",
                                           "_shown": ["nps", "why_low", "csat", "ces", "scale"]},
                         **headers)
    body = hidden.content.decode()
    assert '<div id="slot-why_low" hx-swap-oob="innerHTML"></div>' in body
    invitation.refresh_from_db()
    assert invitation.draft == {"nps": 9}  # the hidden question's answer is dropped
    # Nothing changed in visibility: only the status line.
    quiet = client.post(url(invitation), {"section": "1", "nps": "10", "csat": "5",
                                          "_shown": ["nps", "csat", "ces", "scale"]}, **headers)
    assert "slot-" not in quiet.content.decode()
    invitation.refresh_from_db()
    assert invitation.draft == {"nps": 10, "csat": 5}


def test_it_shows_required_and_bad_answers_next_to_their_question(client, invitation):
    response = send(client, url(invitation), {"csat": "4"})
    assert response.status_code == 200
    body = response.content.decode()
    with translation.override("fr"):
        needed = gettext("This question needs an answer.")
    assert html.escape(needed) in body
    assert 'id="error-nps"' in body
    assert re.search(r'id="q-nps-0" name="nps" value="0" aria-invalid="true" '
                     r'aria-describedby="error-nps"', body)
    # The summary at the top links to the question's first input.
    summary = body[body.index('class="error-summary"'):body.index("</ul>")]
    assert 'href="#q-nps-0"' in summary and "Recommanderiez-vous" in html.unescape(summary)
    assert 'value="4" checked' in body  # what was given is kept
    # A value out of range: refused with its reason, the other answers still saved.
    response = send(client, url(invitation), page_one(scale="42"))
    assert 'id="error-scale"' in response.content.decode()
    invitation.refresh_from_db()
    assert invitation.draft == {"nps": 9, "csat": 4, "ces": 6}


def test_it_asks_what_other_is(client, invitation):
    send(client, url(invitation), page_one())
    response = send(client, url(invitation) + "?section=2", page_two(**{"tools.other": ""}),
                    action="submit")
    assert response.status_code == 200
    body = response.content.decode()
    assert 'id="error-q-tools-other-text"' in body and 'href="#q-tools-other-text"' in body
    assert Response.objects.count() == 0


def test_it_saves_a_draft_and_resumes_it_from_another_device(client, invitation):
    send(client, url(invitation), page_one(7, csat=""))
    invitation.refresh_from_db()
    assert invitation.draft == {"nps": 7, "ces": 6, "scale": 8}
    other_device = Client()
    resumed = other_device.get(url(invitation))
    assert section_of(resumed) == "2"  # the first section not answered yet
    back = other_device.get(url(invitation) + "?section=1")
    body = back.content.decode()
    assert re.search(r'id="q-nps-7" name="nps" value="7" checked', body)
    assert re.search(r'id="q-scale-8" name="scale" value="8" checked', body)
    # "Previous" keeps what the page held, without checking it.
    previous = send(other_device, url(invitation) + "?section=2",
                    {"comment": "À revoir", "grid.reactivite.importance": "2"},
                    action="previous")
    assert previous.status_code == 302 and previous["Location"].endswith("?section=1")
    invitation.refresh_from_db()
    assert invitation.draft["comment"] == "À revoir"
    # A draft keeps half a required grid: it is required only when the response is sent.
    assert invitation.draft["grid"] == {"reactivite": {"importance": 2}}
    # Emptying an answer removes it from the draft.
    send(other_device, url(invitation) + "?section=1", page_one(7, scale=""))
    invitation.refresh_from_db()
    assert "scale" not in invitation.draft


def test_it_records_once_then_says_already_answered(client, invitation):
    send(client, url(invitation), page_one())
    second = client.get(url(invitation) + "?section=2")
    done = send(client, url(invitation), page_two(), action="submit", page=second)
    assert done.status_code == 302
    replay = send(client, url(invitation), page_two(), action="submit", page=second)
    assert replay.status_code == 200
    with translation.override("fr"):
        assert html.escape(gettext("You have already answered, thank you")) in \
            replay.content.decode()
    again = client.get(url(invitation))
    assert again.status_code == 200 and 'name="nps"' not in again.content.decode()
    assert Response.objects.count() == 1
    invitation.refresh_from_db()
    assert invitation.responded and invitation.draft == {}


def test_it_writes_nothing_when_invalid_and_shows_the_page_at_fault(client, invitation):
    # Straight to the last page: the NPS of the first one is missing.
    last = client.get(url(invitation) + "?section=2")
    response = send(client, url(invitation), page_two(), action="submit", page=last)
    assert response.status_code == 200
    assert section_of(response) == "1" and 'id="error-nps"' in response.content.decode()
    # The grid is required: half a grid is refused too.
    send(client, url(invitation), page_one())
    partial = page_two(**{"grid.competence.satisfaction": ""})
    response = send(client, url(invitation) + "?section=2", partial, action="submit")
    assert 'id="error-grid"' in response.content.decode()
    assert Response.objects.count() == 0
    invitation.refresh_from_db()
    assert not invitation.responded


def test_it_refuses_closed_unknown_and_unopened_links(client, survey, invitation, personas):
    unknown = client.get("/s/" + "x" * 32 + "/")
    assert unknown.status_code == 404
    assert "Baromètre" not in text(unknown)
    assert client.post("/s/" + "x" * 32 + "/", {"nps": "3"}).status_code == 404
    services.survey_set_status(survey, Survey.Status.CLOSED)
    closed = client.get(url(invitation))
    assert closed.status_code == 410 and 'name="nps"' not in closed.content.decode()
    assert client.post(url(invitation), {"section": "1", "nps": "3"}).status_code == 410
    assert not Invitation.objects.exclude(draft={}).exists()
    services.survey_set_status(survey, Survey.Status.DRAFT)
    assert client.get(url(invitation)).status_code == 403


def test_it_closes_the_links_of_a_closed_wave(client, survey, personas):
    wave = Wave.objects.create(survey=survey, version=survey.current_version(), number=1,
                               name="Vague 1", status=Wave.Status.OPEN,
                               opens_on="2025-01-06", closes_on="2025-01-31")
    invitation = invite(survey, personas["employee"].person, wave=wave)
    assert client.get(url(invitation)).status_code == 200
    wave.status = Wave.Status.CLOSED
    wave.save()
    assert client.get(url(invitation)).status_code == 410


def test_it_speaks_the_invitation_language_then_the_chosen_one(client, survey, personas):
    invitation = invite(survey, personas["employee"].person, language="en")
    page = client.get(url(invitation))
    assert page["Content-Language"] == "en" and '<html lang="en">' in page.content.decode()
    assert "IT satisfaction barometer" in text(page)
    assert 'href="?lang=fr" lang="fr"' in page.content.decode()
    switched = client.get(url(invitation) + "?lang=fr")
    assert "Baromètre de satisfaction IT" in text(switched)
    assert switched["Content-Language"] == "fr"
    # Kept for the next pages of this link.
    assert client.get(url(invitation) + "?section=2")["Content-Language"] == "fr"


@pytest.mark.parametrize("anonymity", ["anonymous", "confidential", "named"])
def test_it_shows_the_privacy_promise_of_the_survey(client, personas, anonymity):
    survey = open_barometer(f"b-{anonymity}", anonymity=anonymity)
    invitation = invite(survey, personas["employee"].person)
    body = client.get(url(invitation)).content.decode()
    assert f'class="promise promise-{anonymity}"' in body
    with translation.override("fr"):
        sentence = {
            "anonymous": "No one, not even IT, can link your answers to you.",
            "confidential": "Your answers are kept with your name, but IT only ever shows "
                            "results for groups of at least %(n)s people.",
            "named": "Your name will be attached to your answers, so that IT can follow up "
                     "with you.",
        }[anonymity]
        assert html.escape(gettext(sentence) % {"n": 5} if "%(n)s" in sentence
                           else gettext(sentence)) in body
    send(client, url(invitation), page_one())
    last = client.get(url(invitation) + "?section=2").content.decode()
    # Reminded where the answers are sent; a named survey asks for consent there.
    assert f'class="promise promise-{anonymity} short"' in last
    with translation.override("fr"):
        consent = html.escape(gettext("By sending your answers, you agree to this."))
    assert (consent in last) == (anonymity == "named")


def test_it_promises_nothing_about_names_on_a_shared_link(client, personas):
    survey = open_barometer("conf-open", anonymity="confidential", open_link=True)
    body = client.get(f"/s/open/{survey.open_token}/").content.decode()
    assert 'class="promise promise-open"' in body


def test_it_keeps_no_link_from_an_anonymous_response_to_its_invitation(client, survey, invitation):
    send(client, url(invitation), page_one())
    send(client, url(invitation) + "?section=2", page_two(), action="submit")
    response = Response.objects.get()
    assert response.invitation_id is None and response.respondent_id is None
    assert response.submitted_at is None and response.submission_id is None
    assert not Ticket.objects.filter(invitation__response=response).exists()
    assert response.source_id == ""
    assert (response.unit_code, response.site_code, response.job_family_code) == \
        ("VEN", "LYS", "COM")
    invitation.refresh_from_db()
    assert invitation.responded and invitation.draft == {}
    values = json.dumps(list(Response.objects.values()), default=str)
    assert invitation.token not in values and invitation.person.email not in values


def test_it_links_a_named_response_to_its_respondent(client, personas):
    survey = open_barometer("named", anonymity="named")
    invitation = invite(survey, personas["employee"].person)
    send(client, url(invitation), page_one())
    send(client, url(invitation) + "?section=2", page_two(), action="submit")
    response = Response.objects.get()
    assert response.invitation == invitation
    assert response.respondent == personas["employee"].person


# --- the open link -------------------------------------------------------------------------------

@pytest.fixture
def shared(personas) -> Survey:
    survey = open_barometer("ouvert", open_link=True)
    return survey


def open_url(survey: Survey, suffix: str = "") -> str:
    return f"/s/open/{survey.open_token}/{suffix}"


def test_it_opens_a_shared_link_only_when_enabled(client, survey):
    assert client.get(open_url(survey)).status_code == 404
    assert client.get("/s/open/nope/").status_code == 404
    services.survey_update(survey, open_link=True)
    assert client.get(open_url(survey)).status_code == 200
    services.survey_set_status(survey, Survey.Status.CLOSED)
    assert client.get(open_url(survey)).status_code == 410


def test_it_answers_a_shared_link_once_per_browser_and_submission_id(client, shared):
    first = client.get(open_url(shared))
    body = first.content.decode()
    assert "promise promise-anonymous" in body
    key = re.search(r'name="submission_id" value="([^"]+)"', body).group(1)
    assert uuid.UUID(key)
    send(client, open_url(shared), page_one(3, why_low="Trop lent"), page=send(
        client, open_url(shared), page_one(3), page=first))
    last = client.get(open_url(shared) + "?section=2")
    done = send(client, open_url(shared), page_two(), action="submit", page=last)
    assert done.status_code == 302 and done["Location"] == open_url(shared, "thanks/")
    response = Response.objects.get()
    assert response.channel == "open_link" and str(response.submission_id) == key
    assert response.answers == full_answers(3)
    assert response.respondent_id is None and response.invitation_id is None
    # The browser is marked: the link now says "already answered".
    assert f"phare_answered_{shared.pk}" in done.cookies
    again = client.get(open_url(shared))
    assert 'name="nps"' not in again.content.decode()
    assert "Merci pour vos réponses" in text(again)
    # A replay of the same form from elsewhere (no cookie, no session) adds nothing.
    replay = Client().post(open_url(shared), {"section": "2", "action": "submit",
                                              "submission_id": key, "_shown": shown(last),
                                              **page_two()})
    assert replay.status_code == 302
    assert Response.objects.count() == 1
    # The session kept nothing of the submission.
    assert not any(k.startswith("answer:open:") for k, _value in client.session.items())


def test_it_rate_limits_a_shared_link_per_address(client, shared, settings):
    settings.PHARE_OPEN_SURVEY_RATE = "2/600"
    path = open_url(shared, "response.json")
    for _ in range(2):
        response = client.post(path, {"submission_id": str(uuid.uuid4()),
                                      "answers": full_answers()},
                               content_type="application/json")
        assert response.status_code == 201
    limited = client.post(path, {"submission_id": str(uuid.uuid4()), "answers": full_answers()},
                          content_type="application/json")
    assert limited.status_code == 429 and int(limited["Retry-After"]) > 0
    assert limited.json()["error"]["code"] == "rate_limited"
    # The pages are limited too, with a page that says so.
    browser = Client()
    send(browser, open_url(shared), page_one())
    sent = send(browser, open_url(shared) + "?section=2", page_two(), action="submit")
    assert sent.status_code == 429
    # Another address is not.
    other = Client(REMOTE_ADDR="198.51.100.7")
    assert other.post(path, {"submission_id": str(uuid.uuid4()), "answers": full_answers()},
                      content_type="application/json").status_code == 201
    assert Response.objects.count() == 3


def test_it_counts_submissions_per_link_and_address_in_fixed_windows(settings):
    from phare.listening.answering.ratelimit import rate_limit_wait

    settings.PHARE_OPEN_SURVEY_RATE = "2/60"
    start = 6000.0  # the start of a window
    assert [rate_limit_wait("link-a", "192.0.2.1", now=start + n) for n in range(3)] == [0, 0, 58]
    assert rate_limit_wait("link-a", "192.0.2.2", now=start + 3) == 0
    # Another survey's open link has its own budget for the same address.
    assert rate_limit_wait("link-b", "192.0.2.1", now=start + 3) == 0
    assert rate_limit_wait("link-a", "192.0.2.1", now=start + 60) == 0  # a new window


def test_two_open_links_from_one_address_have_separate_budgets(client, shared, settings):
    settings.PHARE_OPEN_SURVEY_RATE = "1/600"
    other = open_barometer("ouvert-2", open_link=True)
    body = {"answers": full_answers()}
    assert client.post(open_url(shared, "response.json"), {**body, "submission_id": str(
        uuid.uuid4())}, content_type="application/json").status_code == 201
    assert client.post(open_url(other, "response.json"), {**body, "submission_id": str(
        uuid.uuid4())}, content_type="application/json").status_code == 201
    assert client.post(open_url(shared, "response.json"), {**body, "submission_id": str(
        uuid.uuid4())}, content_type="application/json").status_code == 429


def test_the_limit_holds_across_worker_processes(settings, tmp_path):
    """Two gunicorn workers are two processes, each with its own cache client: counted in
    the shared cache, one address gets its budget once, not once per worker."""
    from phare.listening.answering.ratelimit import rate_limit_wait

    settings.PHARE_OPEN_SURVEY_RATE = "3/600"
    settings.CACHES = {"default": {"BACKEND": "phare.lib.cache.FileCache",
                                   "LOCATION": str(tmp_path / "cache")}}
    assert [rate_limit_wait("link", "192.0.2.1", now=6000.0) for _ in range(2)] == [0, 0]
    script = ("import django; django.setup()\n"
              "from phare.listening.answering.ratelimit import rate_limit_wait\n"
              "print([rate_limit_wait('link', '192.0.2.1', now=6001.0) for _ in range(2)])\n")
    run = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=120,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "phare.settings",
             "PHARE_HOME": str(tmp_path), "PHARE_OPEN_SURVEY_RATE": "3/600",
             "PHARE_SECRET_KEY": settings.SECRET_KEY})
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == "[0, 599]"
    assert rate_limit_wait("link", "192.0.2.1", now=6002.0) == 598


def test_it_keeps_no_address_in_the_cache_keys(settings, tmp_path):
    from django.core.cache import cache

    from phare.listening.answering.ratelimit import rate_limit_wait

    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache",
                                   "LOCATION": "addresses"}}
    rate_limit_wait("link-secret", "192.0.2.77", now=6000.0)
    keys = list(cache._cache)
    assert keys and not any("192.0.2.77" in key or "link-secret" in key for key in keys)


def test_x_forwarded_for_counts_only_from_a_trusted_proxy(shared, settings):
    settings.PHARE_OPEN_SURVEY_RATE = "1/600"
    path = open_url(shared, "response.json")

    def post(remote: str, forwarded: str) -> int:
        return Client(REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=forwarded).post(
            path, {"submission_id": str(uuid.uuid4()), "answers": full_answers()},
            content_type="application/json").status_code

    # Untrusted peer: a forged header changes nothing, the peer's own budget is spent.
    settings.PHARE_TRUSTED_PROXIES = []
    assert post("192.0.2.1", "203.0.113.1") == 201
    assert post("192.0.2.1", "203.0.113.2") == 429
    # Behind our proxy: each client behind it has its own budget.
    settings.PHARE_TRUSTED_PROXIES = ["10.0.0.0/8"]
    assert post("10.0.0.5", "203.0.113.1") == 201
    assert post("10.0.0.5", "203.0.113.2") == 201
    assert post("10.0.0.6", "198.51.100.9, 203.0.113.1") == 429


def test_it_reloads_an_htmx_page_once_the_link_is_used(client, invitation):
    client.post(url(invitation, "response.json"), {"answers": full_answers()},
                content_type="application/json")
    late = client.post(url(invitation), {"section": "1", "nps": "3"}, HTTP_HX_REQUEST="true")
    assert late.status_code == 200 and late["HX-Refresh"] == "true"


def test_it_stores_no_ip_address_anywhere(shared, personas):
    address = "203.0.113.77"
    browser = Client(REMOTE_ADDR=address)
    send(browser, open_url(shared), page_one())
    send(browser, open_url(shared) + "?section=2", page_two(), action="submit")
    browser.post(open_url(shared, "response.json"),
                 {"submission_id": str(uuid.uuid4()), "answers": full_answers()},
                 content_type="application/json")
    assert Response.objects.count() == 2
    from django.contrib.sessions.models import Session

    # Every table, read as stored (sessions are encoded: they are decoded below).
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
            assert address not in repr(cursor.fetchall()), table
    for session in Session.objects.all():
        assert address not in json.dumps(session.get_decoded(), default=str)


# --- JSON ----------------------------------------------------------------------------------------

def test_it_takes_json_through_a_shared_link(client, shared):
    path = open_url(shared, "response.json")
    key = str(uuid.uuid4())
    created = client.post(path, {"submission_id": key, "answers": full_answers(),
                                 "language": "en"}, content_type="application/json")
    assert created.status_code == 201
    assert created.json() == {"id": str(Response.objects.get().pk), "created": True}
    assert Response.objects.get().language == "en"
    same = client.post(path, {"submission_id": key, "answers": full_answers()},
                       content_type="application/json")
    assert same.status_code == 200 and same.json() == {"id": created.json()["id"],
                                                       "created": False}
    bad = client.post(path, {"submission_id": str(uuid.uuid4()),
                             "answers": {**full_answers(), "csat": 9, "nope": 1}},
                      content_type="application/json")
    assert bad.status_code == 422
    error = bad.json()["error"]
    assert error["status"] == 422 and error["code"] == "validation_error" and error["message"]
    assert {d["field"] for d in error["details"]} == {"csat", "nope"}
    assert all(d["reason"] for d in error["details"])
    missing = client.post(path, {"answers": full_answers()}, content_type="application/json")
    assert missing.status_code == 422
    assert missing.json()["error"]["details"][0]["field"] == "submission_id"
    malformed = client.post(path, '{"answers": {"nps": 9,}}', content_type="application/json")
    assert malformed.status_code == 400
    error = malformed.json()["error"]
    # Where it breaks: line 1, column 23 (the words are translated).
    assert error["code"] == "bad_request"
    assert re.search(r"\b1\b.*\b23\b", error["message"])
    assert re.search(r"\b1\b.*\b23\b", error["details"][0]["reason"])
    assert client.get(path).status_code == 405
    assert client.post(open_url(shared, "x").replace(shared.open_token, "nope") + ".json",
                       "{}", content_type="application/json").status_code == 404
    assert Response.objects.count() == 1
    services.survey_set_status(shared, Survey.Status.CLOSED)
    closed = client.post(path, {"submission_id": str(uuid.uuid4()), "answers": full_answers()},
                         content_type="application/json")
    assert closed.status_code == 410 and closed.json()["error"]["code"] == "closed"


def test_it_hides_anonymous_ids_from_json_through_an_invitation(client, invitation):
    path = url(invitation, "response.json")
    created = client.post(path, {"answers": full_answers()}, content_type="application/json")
    assert created.status_code == 201 and created.json() == {"id": None, "created": True}
    again = client.post(path, {"answers": full_answers(), "submission_id": str(uuid.uuid4())},
                        content_type="application/json")
    assert again.status_code == 200 and again.json() == {"id": None, "created": False}
    assert Response.objects.count() == 1
    assert Response.objects.get().invitation_id is None


def test_it_takes_json_through_a_confidential_invitation(client, personas):
    survey = open_barometer("conf", anonymity="confidential")
    invitation = invite(survey, personas["employee"].person)
    path = url(invitation, "response.json")
    bad = client.post(path, {"answers": {"csat": 4}}, content_type="application/json")
    assert bad.status_code == 422 and bad.json()["error"]["details"][0]["field"] == "nps"
    created = client.post(path, {"answers": full_answers(2)}, content_type="application/json")
    response = Response.objects.get()
    assert created.status_code == 201 and created.json() == {"id": str(response.pk),
                                                             "created": True}
    assert response.invitation == invitation and response.answers["why_low"] == "Trop lent"
    again = client.post(path, {"answers": full_answers()}, content_type="application/json")
    assert again.json() == {"id": str(response.pk), "created": False}
    assert client.post("/s/" + "y" * 32 + "/response.json", {},
                       content_type="application/json").status_code == 404
    services.survey_set_status(survey, Survey.Status.CLOSED)
    other = invite(survey, personas["owner"].person)
    closed = client.post(url(other, "response.json"), {"answers": full_answers()},
                         content_type="application/json")
    assert closed.status_code == 410
