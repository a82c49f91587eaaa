"""Posting an action to a Teams or Slack channel through its incoming-webhook address.

Teams (the Workflows app's "post to a channel when a webhook request is received") takes a
``message`` whose attachment is an Adaptive Card; Slack takes ``blocks`` and a ``text`` shown in
notifications. Either is one HTTP POST of JSON, in the action's first language. Whatever goes
wrong (an answer other than 2xx, a timeout, an address that does not answer) comes back as a
:class:`Posted` with an error in words: the caller records it on the action's history.
:func:`post_test` posts a short card saying the channel is connected (the channels' page's
test button). The webhook's address is a secret: no message here repeats it.
"""

from __future__ import annotations

import json
import re
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from phare.comms.emails import language_of, merge
from phare.comms.models import Action, Webhook
from phare.lib.i18n import in_language

#: Slack refuses a section longer than 3,000 characters and a header longer than 150.
SLACK_SECTION, SLACK_HEADER = 3000, 150
ADAPTIVE_CARD_SCHEMA = "http://adaptivecards.io/schemas/adaptive-card.json"


@dataclass(frozen=True)
class Posted:
    """What became of one post: ``ok``, the HTTP status when there was an answer, and the
    error in words when not ok."""

    ok: bool
    status: int | None = None
    error: str = ""


def _texts(action: Action) -> tuple[str, str]:
    """The title and the Markdown text of the post, in the action's first language; merge
    fields about a person mean nothing in a channel and are left out."""
    language = language_of(action, None)
    service = next(iter(action.services.all()), None)
    values = {"first_name": "", "last_name": "", "unit": "",
              "service": in_language(service, "name", language) if service else ""}
    title = merge(in_language(action, "subject", language) or action.title, values)
    body = merge(in_language(action, "body", language), values)
    return " ".join(title.split()), re.sub(r"[ \t]{2,}", " ", body).strip()


def teams_payload(action: Action) -> dict[str, Any]:
    """An Adaptive Card in a ``message``: what a Teams Workflows webhook accepts."""
    title, body = _texts(action)
    card: dict[str, Any] = {
        "$schema": ADAPTIVE_CARD_SCHEMA, "type": "AdaptiveCard", "version": "1.4",
        "body": [{"type": "TextBlock", "text": title, "size": "Large", "weight": "Bolder",
                  "wrap": True, "style": "heading"}],
    }
    if body:
        # TextBlock renders a subset of Markdown: bold, italics, lists and links.
        card["body"].append({"type": "TextBlock", "text": body, "wrap": True})
    return {"type": "message",
            "attachments": [{"contentType": "application/vnd.microsoft.card.adaptive",
                             "contentUrl": None, "content": card}]}


def slack_mrkdwn(markdown: str) -> str:
    """Markdown's links, bold and headings as Slack's ``mrkdwn`` writes them."""
    text = re.sub(r"\[([^\]]+)\]\((https?://[^)\s]+)\)", r"<\2|\1>", markdown)
    text = re.sub(r"\*\*(.+?)\*\*|__(.+?)__", lambda m: f"*{m.group(1) or m.group(2)}*", text)
    return re.sub(r"^#{1,6}\s*(.+)$", r"*\1*", text, flags=re.MULTILINE)


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[:limit - 1].rstrip() + "…"


def slack_payload(action: Action) -> dict[str, Any]:
    """``blocks`` (a header and the text) and ``text`` (notifications and old clients)."""
    title, body = _texts(action)
    blocks: list[dict[str, Any]] = [
        {"type": "header", "text": {"type": "plain_text", "text": _cut(title, SLACK_HEADER),
                                    "emoji": True}}]
    if body:
        blocks.append({"type": "section",
                       "text": {"type": "mrkdwn", "text": _cut(slack_mrkdwn(body),
                                                               SLACK_SECTION)}})
    return {"text": title, "blocks": blocks}


def payload(action: Action) -> dict[str, Any]:
    """The JSON body for the action's webhook, in the action's first language."""
    webhook = action.webhook
    if webhook is None:
        raise ValueError("the action has no webhook")
    with translation.override(language_of(action, None)):
        if webhook.kind == Webhook.Kind.TEAMS:
            return teams_payload(action)
        return slack_payload(action)


def post(action: Action) -> Posted:
    """POST the action to its webhook once: ``Posted(ok=True)`` on a 2xx answer, else the
    error in words (in the active language)."""
    webhook = action.webhook
    if webhook is None:
        return Posted(False, None, _("This action has no Teams or Slack channel chosen."))
    return _deliver(webhook, payload(action))


def connection_payload(webhook: Webhook) -> dict[str, Any]:
    """A short card saying the channel is connected, in the active language."""
    title = _("Phare: test post")
    body = _("This channel is connected to the IT department's communication plan: its "
             "posts will appear here.")
    if webhook.kind == Webhook.Kind.TEAMS:
        card: dict[str, Any] = {
            "$schema": ADAPTIVE_CARD_SCHEMA, "type": "AdaptiveCard", "version": "1.4",
            "body": [{"type": "TextBlock", "text": title, "size": "Large",
                      "weight": "Bolder", "wrap": True, "style": "heading"},
                     {"type": "TextBlock", "text": body, "wrap": True}]}
        return {"type": "message",
                "attachments": [{"contentType": "application/vnd.microsoft.card.adaptive",
                                 "contentUrl": None, "content": card}]}
    return {"text": title, "blocks": [
        {"type": "header", "text": {"type": "plain_text", "text": title, "emoji": True}},
        {"type": "section", "text": {"type": "mrkdwn", "text": body}}]}


def post_test(webhook: Webhook) -> Posted:
    """POST :func:`connection_payload` to ``webhook`` once: what became of it, as :func:`post`
    says it (the error never repeats the address)."""
    posted = _deliver(webhook, connection_payload(webhook))
    # A channel's answer may quote the address it was called at, or its path: never shown.
    parts = urllib.parse.urlsplit(webhook.url)
    error = posted.error
    for secret in (webhook.url, parts.path + (f"?{parts.query}" if parts.query else "")):
        if len(secret) > 1:
            error = error.replace(secret, "…")
    return Posted(posted.ok, posted.status, error)


def _deliver(webhook: Webhook, body: dict[str, Any]) -> Posted:
    """One POST of ``body`` as JSON to the webhook's address."""
    kind = webhook.get_kind_display()
    data = json.dumps(body).encode()
    request = urllib.request.Request(
        webhook.url, data=data, method="POST",
        headers={"Content-Type": "application/json; charset=utf-8", "User-Agent": "Phare"})
    timeout = settings.PHARE_COMMS_WEBHOOK_TIMEOUT
    try:
        with urllib.request.urlopen(request, timeout=timeout) as answer:  # noqa: S310 (the address is a checked URLField: http or https)
            status = answer.status
            excerpt = answer.read(300).decode("utf-8", "replace")
    except urllib.error.HTTPError as exc:
        status = exc.code
        excerpt = exc.read(300).decode("utf-8", "replace") if exc.fp else ""
    except (urllib.error.URLError, OSError, ValueError) as exc:
        reason = getattr(exc, "reason", exc)
        if isinstance(exc, TimeoutError) or isinstance(reason, TimeoutError):
            return Posted(False, None, _("The %(kind)s channel did not answer within %(n)s "
                                         "seconds: nothing was posted.")
                          % {"kind": kind, "n": timeout})
        return Posted(False, None, _("The %(kind)s channel could not be reached (%(reason)s): "
                                     "nothing was posted.") % {"kind": kind,
                                                                "reason": _reason(reason)})
    if 200 <= status < 300:
        return Posted(True, status)
    detail = " ".join(excerpt.split())[:200]
    return Posted(False, status, _("The %(kind)s channel refused the post (HTTP "
                                   "%(status)s%(detail)s).")
                  % {"kind": kind, "status": status, "detail": f": {detail}" if detail else ""})


def _reason(reason: object) -> str:
    """The cause of a failed connection, without the address (a secret)."""
    if isinstance(reason, OSError) and reason.strerror:
        return reason.strerror
    return str(reason) or type(reason).__name__
