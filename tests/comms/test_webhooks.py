"""Teams and Slack posts: one real HTTP POST received by a local server, in the shape each
accepts; a channel that answers 500, times out or cannot be reached is an error recorded on
the action's history, never a crash."""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

import phare.comms.jobs  # noqa: F401  (registers the comms.send job handler)
from phare.comms import webhooks
from phare.comms.models import Action, Webhook
from phare.comms.services import sending
from phare.jobs.models import Job
from phare.jobs.services import job_run
from tests.comms.factories import make_action, make_plan

pytestmark = pytest.mark.django_db


class Channel:
    """What the local server received, and how it answers (``status``, ``delay``)."""

    def __init__(self) -> None:
        self.posts: list[dict[str, Any]] = []
        self.headers: list[dict[str, str]] = []
        self.status = 200
        self.delay = 0.0
        self.url = ""


@pytest.fixture
def channel() -> Iterator[Channel]:
    received = Channel()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 (http.server's name)
            body = self.rfile.read(int(self.headers["Content-Length"]))
            received.posts.append(json.loads(body))
            received.headers.append(dict(self.headers))
            time.sleep(received.delay)
            self.send_response(received.status)
            self.send_header("Content-Type", "text/plain")
            self.end_headers()
            self.wfile.write(b"ok" if received.status < 300 else b"Internal failure")

        def log_message(self, *args: Any) -> None:
            return None

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    received.url = f"http://127.0.0.1:{server.server_address[1]}/webhook/secret-part"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield received
    finally:
        server.shutdown()
        server.server_close()


def post_action(url: str, kind: str, **extra: Any) -> Action:
    hook = Webhook.objects.create(name="#it-news", kind=kind, url=url)
    values: dict[str, Any] = {"channel": Action.Channel.WEBHOOK, "webhook": hook,
                              "status": Action.Status.APPROVED, "languages": ["en", "fr"],
                              "subject_en": "Teams is here for {first_name}",
                              "body_en": "**New**: see [the guide](https://intranet.example.com/g)."}
    values.update(extra)
    return make_action(make_plan(), **values)


def test_it_posts_an_adaptive_card_to_teams(channel):
    action = post_action(channel.url, Webhook.Kind.TEAMS)
    posted = webhooks.post(action)
    assert posted == webhooks.Posted(True, 200, "")
    [body] = channel.posts
    assert channel.headers[0]["Content-Type"].startswith("application/json")
    assert body["type"] == "message"
    [attachment] = body["attachments"]
    assert attachment["contentType"] == "application/vnd.microsoft.card.adaptive"
    card = attachment["content"]
    assert (card["type"], card["version"]) == ("AdaptiveCard", "1.4")
    assert card["$schema"] == "http://adaptivecards.io/schemas/adaptive-card.json"
    title, text = card["body"]
    assert (title["type"], title["text"], title["weight"]) == ("TextBlock", "Teams is here for",
                                                              "Bolder")
    assert text["text"] == "**New**: see [the guide](https://intranet.example.com/g)."
    assert text["wrap"] is True


def test_it_posts_blocks_and_text_to_slack_in_the_first_language(channel):
    action = post_action(channel.url, Webhook.Kind.SLACK, languages=["fr", "en"],
                         subject_fr="Teams arrive", body_fr="## Quoi\n**Nouveau** : "
                         "[le guide](https://intranet.example.com/g).")
    assert webhooks.post(action).ok
    [body] = channel.posts
    assert body["text"] == "Teams arrive"
    header, section = body["blocks"]
    assert header == {"type": "header", "text": {"type": "plain_text", "text": "Teams arrive",
                                                 "emoji": True}}
    assert section["type"] == "section" and section["text"]["type"] == "mrkdwn"
    assert section["text"]["text"] == ("*Quoi*\n*Nouveau* : "
                                       "<https://intranet.example.com/g|le guide>.")


def test_it_says_what_went_wrong_when_the_channel_answers_500(channel):
    channel.status = 500
    posted = webhooks.post(post_action(channel.url, Webhook.Kind.TEAMS))
    assert (posted.ok, posted.status) == (False, 500)
    assert "500" in posted.error and "Internal failure" in posted.error
    assert "secret-part" not in posted.error


def test_it_says_when_the_channel_does_not_answer_in_time(channel, settings):
    settings.PHARE_COMMS_WEBHOOK_TIMEOUT = 1
    channel.delay = 2
    posted = webhooks.post(post_action(channel.url, Webhook.Kind.SLACK))
    assert (posted.ok, posted.status) == (False, None)
    assert "1" in posted.error


def test_it_says_when_the_channel_cannot_be_reached():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]  # nobody listens there
    posted = webhooks.post(post_action(f"http://127.0.0.1:{port}/hook", Webhook.Kind.SLACK))
    assert not posted.ok and posted.status is None and posted.error
    assert str(port) not in posted.error


def test_it_posts_once_through_the_send_job(channel, personas):
    action = post_action(channel.url, Webhook.Kind.TEAMS)
    job = job_run(sending.send_start(action=action, user=personas["marketing"]))
    assert job.status == Job.Status.SUCCEEDED and job.result == {"posted": 1}
    action.refresh_from_db()
    assert action.status == Action.Status.DONE and action.sent_at is not None
    # A job run again posts nothing more.
    assert sending.send_action(action.pk) == {
        "sent": 0, "skipped": 0, "refused": 0, "failed": 0, "uncertain": 0, "queued": 0,
        "control": 0, "stopped": False}
    assert len(channel.posts) == 1


def test_it_records_a_failed_post_on_the_history_and_waits_approved(channel, personas):
    channel.status = 500
    action = post_action(channel.url, Webhook.Kind.TEAMS)
    job = job_run(sending.send_start(action=action, user=personas["marketing"]))
    assert job.status == Job.Status.FAILED and "500" in job.error
    action.refresh_from_db()
    assert action.status == Action.Status.APPROVED and action.sent_at is None
    last = action.history.last()
    assert (last.from_status, last.to_status) == ("sending", "approved")
    assert "500" in last.comment
    # Mended, it can be sent again.
    channel.status = 202
    assert job_run(sending.send_start(action=action, user=personas["marketing"])).status == \
        Job.Status.SUCCEEDED
    assert len(channel.posts) == 2
