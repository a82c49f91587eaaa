"""The Teams and Slack channels' pages: for the marketing lead and administrators only; the
address masked everywhere (blank on the form, kept when left blank), field errors with nothing
written, deletion refused while an action posts to the channel, and a test post received by a
local server, its outcome shown without the address."""

from __future__ import annotations

import json
import socket
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from django.conf import settings
from django.urls import reverse

from phare.comms import queries
from phare.comms.models import Action, Webhook
from tests.comms.factories import make_action, make_plan

pytestmark = pytest.mark.django_db

SECRET = "https://hooks.slack.com/services/T0001/B0002/XyZsEcReTtOkEn9876"


@pytest.fixture(autouse=True)
def _english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


class Channel:
    """What the local server received, and how it answers: ``status``, and whether its
    answer quotes the path it was called at (as some proxies' error pages do)."""

    def __init__(self) -> None:
        self.posts: list[dict[str, Any]] = []
        self.status = 200
        self.echo = False
        self.url = ""


@pytest.fixture
def channel() -> Iterator[Channel]:
    received = Channel()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 (http.server's name)
            received.posts.append(json.loads(self.rfile.read(
                int(self.headers["Content-Length"]))))
            self.send_response(received.status)
            self.send_header("Content-Type", "text/plain")
            self.end_headers()
            answer = f"No channel at {self.path}" if received.echo else "Internal failure"
            self.wfile.write(answer.encode() if received.status >= 300 else b"ok")

        def log_message(self, *args: Any) -> None:
            return None

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    received.url = f"http://127.0.0.1:{server.server_address[1]}/webhook/secret-part"
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield received
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def hook() -> Webhook:
    return Webhook.objects.create(name="#it-news", kind=Webhook.Kind.SLACK, url=SECRET)


def page(client, name: str, *args) -> str:
    response = client.get(reverse(f"comms:{name}", args=args))
    assert response.status_code == 200
    return response.content.decode()


def test_it_has_its_addresses():
    assert reverse("comms:webhooks") == "/comms/channels/"
    assert reverse("comms:webhook_new") == "/comms/channels/new/"
    assert reverse("comms:webhook_edit", args=[3]) == "/comms/channels/3/"
    assert reverse("comms:webhook_delete", args=[3]) == "/comms/channels/3/delete/"
    assert reverse("comms:webhook_test", args=[3]) == "/comms/channels/3/test/"


@pytest.mark.parametrize(("who", "status"), [("marketing", 200), ("admin", 200),
                                             ("executive", 403), ("owner", 403),
                                             ("employee", 403)])
def test_it_opens_to_the_managers_only(login, hook, who, status):
    client = login(who)
    assert client.get("/comms/channels/").status_code == status
    assert client.get("/comms/channels/new/").status_code == status
    assert client.get(f"/comms/channels/{hook.pk}/").status_code == status
    if status == 403:
        for path in (f"/comms/channels/{hook.pk}/delete/", f"/comms/channels/{hook.pk}/test/",
                     f"/comms/channels/{hook.pk}/"):
            assert client.post(path, {"name": "x", "kind": "teams", "url": ""}
                               ).status_code == 403
        assert Webhook.objects.get().name == "#it-news"


def test_it_masks_an_address_to_its_host_and_last_four_characters():
    assert queries.masked_address(SECRET) == "https://hooks.slack.com/…9876"
    assert queries.masked_address("https://user:pw@example.com:8443/a/very/long/x") == (
        "https://example.com/…ng/x")
    # A short path would be shown whole: none of it is.
    assert queries.masked_address("https://example.com/abc") == "https://example.com/…"


def test_it_lists_channels_masked_with_the_actions_posting_to_them(login, hook):
    action = make_action(make_plan(), "Teams arrive", channel=Action.Channel.WEBHOOK,
                         webhook=hook)
    Webhook.objects.create(name="#general", kind=Webhook.Kind.TEAMS,
                           url="https://example.webhook.office.com/workflows/abcdef0123")
    html = page(login("marketing"), "webhooks")
    assert "#it-news" in html and "#general" in html and "Slack" in html
    assert "https://hooks.slack.com/…9876" in html
    assert "XyZsEcReT" not in html and "T0001" not in html
    assert "abcdef" not in html
    row = html[html.index(f'data-webhook="{hook.pk}"'):]
    row = row[:row.index("</tr>")]
    assert reverse("comms:action", args=[action.pk]) in row and "Teams arrive" in row
    assert "/delete/" not in row  # used: no delete button


def test_it_creates_a_channel(login):
    response = login("marketing").post("/comms/channels/new/", {
        "name": "#it-news", "kind": "teams",
        "url": "https://example.webhook.office.com/workflows/abc/triggers/manual"})
    assert response.status_code == 302 and response["Location"] == "/comms/channels/"
    hook = Webhook.objects.get()
    assert (hook.name, hook.kind) == ("#it-news", "teams")
    assert hook.url == "https://example.webhook.office.com/workflows/abc/triggers/manual"


def test_it_refuses_bad_fields_and_writes_nothing(login):
    client = login("marketing")
    response = client.post("/comms/channels/new/", {"name": "", "kind": "irc",
                                                     "url": "not an address"})
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"name", "kind", "url"}
    response = client.post("/comms/channels/new/", {"name": "#x", "kind": "slack", "url": ""})
    assert set(response.context["form"].errors) == {"url"}  # required when new
    assert not Webhook.objects.exists()


def test_it_shows_the_address_blank_on_edit_and_keeps_it_when_left_blank(login, hook):
    client = login("marketing")
    html = page(client, "webhook_edit", hook.pk)
    assert SECRET not in html and "XyZsEcReT" not in html
    assert "https://hooks.slack.com/…9876" in html
    assert 'name="url"' in html and 'value="https' not in html
    assert "Leave blank to keep" in html
    response = client.post(f"/comms/channels/{hook.pk}/", {"name": "#it-info", "kind": "slack",
                                                           "url": ""})
    assert response.status_code == 302
    hook.refresh_from_db()
    assert (hook.name, hook.url) == ("#it-info", SECRET)
    client.post(f"/comms/channels/{hook.pk}/", {"name": "#it-info", "kind": "slack",
                                                "url": "https://hooks.slack.com/services/new1"})
    hook.refresh_from_db()
    assert hook.url == "https://hooks.slack.com/services/new1"
    response = client.post(f"/comms/channels/{hook.pk}/", {"name": "", "kind": "slack",
                                                           "url": "ftp:/x"})
    assert set(response.context["form"].errors) == {"name", "url"}
    hook.refresh_from_db()
    assert hook.name == "#it-info"


def test_it_deletes_a_channel_unless_an_action_posts_to_it(login, hook):
    client = login("marketing")
    action = make_action(make_plan(), channel=Action.Channel.WEBHOOK, webhook=hook)
    response = client.post(f"/comms/channels/{hook.pk}/delete/", follow=True)
    assert "Actions post through this webhook" in response.content.decode()
    assert Webhook.objects.filter(pk=hook.pk).exists()
    action.delete()
    assert client.get(f"/comms/channels/{hook.pk}/delete/").status_code == 405
    response = client.post(f"/comms/channels/{hook.pk}/delete/")
    assert response.status_code == 302 and response["Location"] == "/comms/channels/"
    assert not Webhook.objects.exists()


def test_it_sends_a_test_post_and_says_it_arrived(login, channel):
    hook = Webhook.objects.create(name="#it-news", kind=Webhook.Kind.TEAMS, url=channel.url)
    response = login("marketing").post(f"/comms/channels/{hook.pk}/test/", follow=True)
    html = response.content.decode()
    assert "The test post reached “#it-news”" in html
    [body] = channel.posts
    card = body["attachments"][0]["content"]
    assert card["type"] == "AdaptiveCard" and card["body"][0]["text"] == "Phare: test post"
    assert "secret-part" not in html


def test_it_says_why_a_test_post_failed_without_the_address(login, channel):
    channel.status = 500
    hook = Webhook.objects.create(name="#it-news", kind=Webhook.Kind.SLACK, url=channel.url)
    client = login("marketing")
    html = client.post(f"/comms/channels/{hook.pk}/test/", follow=True).content.decode()
    assert "The test post to “#it-news” failed" in html and "HTTP 500" in html
    assert "secret-part" not in html and channel.url not in html
    assert channel.posts[0]["text"] == "Phare: test post"
    channel.status, channel.echo = 404, True  # the answer quotes the secret path
    html = client.post(f"/comms/channels/{hook.pk}/test/", follow=True).content.decode()
    assert "HTTP 404" in html and "No channel at" in html and "secret-part" not in html
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]  # nobody listens there
    hook.url = f"http://127.0.0.1:{port}/hook/secret-part"
    hook.save()
    html = client.post(f"/comms/channels/{hook.pk}/test/", follow=True).content.decode()
    assert "could not be reached" in html
    assert "secret-part" not in html and str(port) not in html


def test_it_links_the_channels_from_the_plans_page_for_managers(login):
    assert reverse("comms:webhooks") in page(login("marketing"), "home")
    assert reverse("comms:webhooks") not in page(login("employee"), "home")


def test_it_lists_many_channels_in_a_fixed_number_of_queries(login, django_assert_max_num_queries):
    plan = make_plan()
    for i in range(30):
        hook = Webhook.objects.create(name=f"#c{i:02d}", kind=Webhook.Kind.TEAMS,
                                      url=f"https://example.com/hooks/{i:02d}/secret")
        make_action(plan, f"Post {i}", channel=Action.Channel.WEBHOOK, webhook=hook)
    client = login("marketing")
    # The session and its user, the channels, their actions.
    with django_assert_max_num_queries(6):
        assert client.get("/comms/channels/").status_code == 200
