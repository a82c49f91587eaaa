"""An action's email, as each person receives it: its Markdown body turned into sanitised HTML
and plain text, merge fields filled in, links sent through Phare's redirects, the unsubscribe
link (or, for a mandatory notice, why it cannot be unsubscribed from) and, for an event, the
calendar invitation and the registration link.

Each language's email is rendered once per run (:class:`Composer`); each person's is that
template with their token and merge fields put in, so 100,000 emails do not render 100,000
templates. :func:`preview` shows the email as written (links as typed, nothing recorded).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from html import escape
from html.parser import HTMLParser
from typing import Any

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.safestring import mark_safe

from phare.catalog.markdown import render_markdown
from phare.comms import ics
from phare.comms.models import Action, Delivery
from phare.comms.services import tracking
from phare.contact.models import Category
from phare.directory.models import Person
from phare.lib import mail
from phare.lib.i18n import in_language

#: The fields a text may name; any other ``{…}`` is left as typed.
MERGE_FIELDS = ("first_name", "last_name", "unit", "service")
_MERGE = re.compile(r"\{(" + "|".join(MERGE_FIELDS) + r")\}")
#: Stands for the delivery's token in a language's template (URL-safe, never in a token: a
#: token is 24 characters of the URL-safe alphabet).
_TOKEN = "phare-delivery-token-placeholder"
_TRACKED = re.compile(r"https?://", re.IGNORECASE)
_BARE_URL = re.compile(r"https?://[^\s<>\"']+", re.IGNORECASE)
#: Characters a Markdown text may not end a bare link with (the end of a sentence).
_TRAILING = ".,;:!?)]'\""
#: Link rows hold at most this many characters: a longer link goes as typed, uncounted.
MAX_URL = 2000
#: Kinds of email recorded by lib.mail (SentMail) for the action's messages.
KIND = "comms_action"
TEST_KIND = "comms_test"
ICS_MIMETYPE = "text/calendar; method=REQUEST"


@dataclass(frozen=True)
class Rendered:
    """One email as written: its subject, HTML and plain text."""

    subject: str
    html: str
    text: str


def language_of(action: Action, person: Person | None) -> str:
    """The person's language when the action is written in it, else its first language."""
    languages = [code for code in (action.languages or []) if code in ("fr", "en")]
    if person is not None and person.language in languages:
        return person.language
    return languages[0] if languages else settings.LANGUAGE_CODE


def absolute(url_name: str, *args: Any) -> str:
    """``PHARE_BASE_URL`` followed by a reversed path (links in emails are absolute)."""
    return settings.PHARE_BASE_URL + reverse(url_name, args=args or None)


def _service_name(action: Action, language: str) -> str:
    service = next(iter(action.services.all()), None)
    return in_language(service, "name", language) if service is not None else ""


def _merge_values(person: Person | None, service: str) -> dict[str, str]:
    values = {"service": service} if service else {}
    if person is not None:
        unit = person.business_unit
        values.update(first_name=person.first_name, last_name=person.last_name,
                      unit=unit.name if unit is not None else "")
    return values


def merge(text: str, values: dict[str, str], *, html: bool = False) -> str:
    """``text`` with each known ``{field}`` of ``values`` filled in (escaped for HTML)."""
    def value(found: re.Match[str]) -> str:
        name = found.group(1)
        if name not in values:
            return found.group(0)
        return escape(values[name]) if html else values[name]

    return _MERGE.sub(value, text)


# --- Markdown's HTML: links rewritten, and the same text without tags --------------------------

class _Converter(HTMLParser):
    """Walks the sanitised HTML once: writes it again with each http(s) link replaced by
    ``link(url)`` (bare addresses in the text become links too), and writes its plain text."""

    BLOCKS = frozenset({"p", "h3", "h4", "blockquote", "pre", "table", "hr"})
    VOID = frozenset({"br", "hr"})

    def __init__(self, link: Callable[[str], str]) -> None:
        super().__init__(convert_charrefs=True)
        self.link = link
        self.html: list[str] = []
        self.lines: list[str] = []
        self.inline: list[str] = []
        self.lists: list[int | None] = []  # a counter per open <ol>, None per <ul>
        self.anchor: tuple[str, int] | None = None  # (its new address, where its text starts)
        self.verbatim = 0  # inside <code> or <pre>: bare addresses stay text
        self.pre = 0
        self.cells = 0

    # the plain text is built line by line: a block ends its line and leaves a blank one
    def _line(self, *, blank: bool = False) -> None:
        text = "".join(self.inline)
        self.inline = []
        if not self.pre:
            text = re.sub(r"[ \t\r\f\v]+", " ", text)
            text = "\n".join(part.strip() for part in text.split("\n")).strip("\n")
        if text.strip():
            indent = "   " * max(0, len(self.lists) - 1)
            self.lines.append(indent + text.replace("\n", "\n" + indent))
        if blank and self.lines and self.lines[-1] != "":
            self.lines.append("")

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            href = dict(attrs).get("href") or ""
            new = self._address(href)
            self.html.append(f'<a href="{escape(new)}" style="color:#0b4f8a">')
            self.anchor = (new, len(self.inline))
            return
        self.html.append(f"<{tag}>")
        if tag in ("code", "pre"):
            self.verbatim += 1
        if tag in self.BLOCKS:
            self._line(blank=True)
        if tag == "pre":
            self.pre += 1
        elif tag == "hr":
            self.lines.extend(["----------", ""])
        elif tag in ("ul", "ol"):
            self._line(blank=not self.lists)
            self.lists.append(0 if tag == "ol" else None)
        elif tag == "li":
            self._line()
            counter = self.lists[-1] if self.lists else None
            if counter is None:
                self.inline.append("- ")
            else:
                self.lists[-1] = counter + 1
                self.inline.append(f"{counter + 1}. ")
        elif tag == "tr":
            self._line()
            self.cells = 0
        elif tag in ("td", "th"):
            if self.cells:
                self.inline.append(" | ")
            self.cells += 1
        elif tag == "br":
            self.inline.append("\n")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in self.VOID:
            self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in self.VOID:
            return
        self.html.append(f"</{tag}>")
        if tag == "a" and self.anchor is not None:
            new, start = self.anchor
            label = "".join(self.inline[start:]).strip()
            if not label or _TRACKED.match(label):
                self.inline[start:] = [new]
            elif new:
                self.inline.append(f" ({new})")
            self.anchor = None
        elif tag in ("code", "pre"):
            self.verbatim = max(0, self.verbatim - 1)
            if tag == "pre":
                self._line(blank=True)
                self.pre = max(0, self.pre - 1)
        elif tag in ("ul", "ol"):
            self._line()
            if self.lists:
                self.lists.pop()
            if not self.lists:
                self._line(blank=True)
        elif tag in self.BLOCKS:
            self._line(blank=True)

    def handle_data(self, data: str) -> None:
        if self.anchor is not None or self.verbatim:
            self.html.append(escape(data, quote=False))
            self.inline.append(data)
            return
        position = 0
        for found in _BARE_URL.finditer(data):
            url = found.group(0).rstrip(_TRAILING)
            start, end = found.start(), found.start() + len(url)
            before = data[position:start]
            self.html.append(escape(before, quote=False))
            self.inline.append(before)
            new = self._address(url)
            self.html.append(f'<a href="{escape(new)}" style="color:#0b4f8a">'
                             f"{escape(url, quote=False)}</a>")
            self.inline.append(new)
            position = end
        rest = data[position:]
        self.html.append(escape(rest, quote=False))
        self.inline.append(rest)

    def _address(self, url: str) -> str:
        return self.link(url) if _TRACKED.match(url) and len(url) <= MAX_URL else url

    def result(self) -> tuple[str, str]:
        self.close()
        self._line()
        while self.lines and self.lines[-1] == "":
            self.lines.pop()
        return "".join(self.html), "\n".join(self.lines)


def body_parts(markdown: str, link: Callable[[str], str] | None = None) -> tuple[str, str]:
    """The Markdown ``markdown`` as sanitised HTML and as plain text, each http(s) link
    replaced by ``link(url)`` (kept as typed without it)."""
    converter = _Converter(link or (lambda url: url))
    converter.feed(str(render_markdown(markdown)))
    return converter.result()


def links_of(markdown: str) -> list[str]:
    """Every http(s) link of ``markdown`` that a message sends through a redirect."""
    found: list[str] = []

    def collect(url: str) -> str:
        if url not in found:
            found.append(url)
        return url

    body_parts(markdown, collect)
    return found


# --- The emails -------------------------------------------------------------------------------

@dataclass(frozen=True)
class _Template:
    """One language's email with the token and the merge fields still to fill in."""

    subject: str
    html: str
    text: str
    invitation_text: str


class Composer:
    """Renders one action's emails: each language's template once, then each person's email.

    ``link_ids(urls) -> {url: Link id}`` gives the redirect of each link (``tracking.link_ids``
    records them); without it, links go as typed (the preview, the test send).
    """

    def __init__(self, action: Action, *,
                 link_ids: Callable[[list[str]], dict[str, int]] | None = None,
                 test: bool = False) -> None:
        self.action = action
        self.link_ids = link_ids
        self.test = test
        self.templates: dict[str, _Template] = {}
        self.services: dict[str, str] = {}
        # The unsubscribe address with the token still to put in: reversed once per run, not
        # once per email (a token is URL-safe: reversing it quotes nothing).
        self.unsubscribe_url = ""

    def _template(self, language: str) -> _Template:
        if language not in self.templates:
            self.templates[language] = self._render(language)
        return self.templates[language]

    def _render(self, language: str) -> _Template:
        action = self.action
        markdown = in_language(action, "body", language)
        tracked = self.link_ids is not None
        link = None
        if self.link_ids is not None:
            ids = self.link_ids(links_of(markdown))
            individual = settings.PHARE_COMMS_INDIVIDUAL_TRACKING

            def link(url: str) -> str:
                if url not in ids:
                    return url
                if individual:
                    return absolute("comms_public:click", _TOKEN, ids[url])
                return absolute("comms_public:link", ids[url])

        html_body, text_body = body_parts(markdown, link)
        event = action.channel == Action.Channel.EVENT
        with translation.override(language):
            context = {
                "action": action, "language": language,
                # sanitised by render_markdown, then written again with every text escaped
                "body_html": mark_safe(html_body),
                "body_text": text_body, "mandatory": action.mandatory,
                "category": Category(action.category).label if action.category in Category.values
                else action.category,
                "unsubscribe_url": (absolute("comms_public:unsubscribe", _TOKEN) if tracked
                                    else "#") if not action.mandatory else "",
                "register_url": (absolute("comms_public:register", _TOKEN) if tracked else "#")
                if event else "",
                "event": event,
                "pixel_url": absolute("comms_public:open", _TOKEN)
                if tracked and settings.PHARE_COMMS_OPEN_PIXEL else "",
                "test": self.test,
            }
            html = render_to_string("comms/email/message.html", context)
            text = render_to_string("comms/email/message.txt", context)
            invitation_text = (render_to_string("comms/email/invitation.txt", context)
                               if event else "")
        subject = in_language(action, "subject", language) or action.title
        return _Template(subject=subject, html=html, text=text,
                         invitation_text=invitation_text)

    def rendered(self, language: str, person: Person | None, token: str | None = None
                 ) -> tuple[Rendered, str]:
        """The email in ``language`` for ``person`` (merge fields filled), and the text of
        its calendar invitation (events)."""
        template = self._template(language)
        if language not in self.services:
            self.services[language] = _service_name(self.action, language)
        values = _merge_values(person, self.services[language])

        def fill(text: str, *, html: bool = False) -> str:
            text = merge(text, values, html=html)
            return text.replace(_TOKEN, token) if token else text

        subject = " ".join(fill(template.subject).split())
        return (Rendered(subject=subject, html=fill(template.html, html=True),
                         text=fill(template.text)), fill(template.invitation_text))

    def message(self, delivery: Delivery, person: Person) -> mail.Message:
        """``delivery``'s email to ``person``, ready for lib.mail."""
        action = self.action
        language = delivery.language or language_of(action, person)
        rendered, invitation_text = self.rendered(language, person, delivery.token)
        attachments: tuple[tuple[str, bytes, str], ...] = ()
        if action.channel == Action.Channel.EVENT:
            attachments = ((
                "invitation.ics",
                ics.event_invitation(action, email=person.email, name=person.full_name,
                                     summary=rendered.subject, description=invitation_text),
                ICS_MIMETYPE),)
        unsubscribe = None
        if not action.mandatory:
            if not self.unsubscribe_url:
                self.unsubscribe_url = absolute("comms_public:unsubscribe", _TOKEN)
            unsubscribe = self.unsubscribe_url.replace(_TOKEN, delivery.token)
        return mail.Message(to=person.email, subject=rendered.subject, text=rendered.text,
                            html=rendered.html, kind=KIND, language=language,
                            reference=str(delivery.pk), unsubscribe=unsubscribe,
                            attachments=attachments)

    def test_message(self, *, to: str, language: str, person: Person | None) -> mail.Message:
        """The email as written, to ``to``, its subject marked [TEST]; no link counted."""
        rendered, invitation_text = self.rendered(language, person)
        subject = f"[TEST] {rendered.subject}"
        attachments: tuple[tuple[str, bytes, str], ...] = ()
        if self.action.channel == Action.Channel.EVENT:
            attachments = (("invitation.ics",
                            ics.event_invitation(
                                self.action, email=to,
                                name=person.full_name if person is not None else "",
                                summary=subject, description=invitation_text),
                            ICS_MIMETYPE),)
        return mail.Message(to=to, subject=subject, text=rendered.text, html=rendered.html,
                            kind=TEST_KIND, language=language, reference=str(self.action.pk),
                            attachments=attachments)


def preview(action: Action, *, language: str, person: Person | None = None) -> Rendered:
    """The email in ``language`` as ``person`` would read it (without one, the person's merge
    fields stay as typed); links as typed, nothing recorded."""
    rendered, _invitation_text = Composer(action).rendered(language, person)
    return rendered


def message(action: Action, delivery: Delivery, person: Person) -> mail.Message:
    """``delivery``'s email (its links recorded as :class:`~phare.comms.models.Link` rows);
    a run of many emails uses one :class:`Composer` instead."""
    return Composer(action, link_ids=lambda urls: tracking.link_ids(action=action, urls=urls)
                    ).message(delivery, person)
