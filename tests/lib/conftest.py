"""A real SMTP server on loopback (aiosmtpd) that can refuse, stall or hang up on demand."""

from __future__ import annotations

import email
import socket
from email import policy
from email.message import EmailMessage
from typing import Any

import pytest


class Inbox:
    """The server's behaviour and what it received.

    ``refuse``: addresses answered 550 at RCPT; ``busy``: how many RCPT commands to answer 451
    before accepting; ``drops``: how many DATA commands to answer by hanging up. ``messages``
    lists what was delivered; ``connections`` how many connections sent commands.
    """

    def __init__(self) -> None:
        self.refuse: set[str] = set()
        self.busy = 0
        self.drops = 0
        self.messages: list[EmailMessage] = []
        self._sessions: list[Any] = []  # kept alive: their identity counts connections

    @property
    def connections(self) -> int:
        return len(self._sessions)

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802
        if not any(seen is session for seen in self._sessions):
            self._sessions.append(session)
        if address in self.refuse:
            return "550 5.1.1 No such mailbox"
        if self.busy > 0:
            self.busy -= 1
            return "451 4.3.0 Try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's name)
        if self.drops > 0:
            self.drops -= 1
            server.transport.close()
            return "421 4.4.2 Connection dropped"
        self.messages.append(email.message_from_bytes(envelope.content, policy=policy.default))
        return "250 OK"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def closed_port() -> int:
    """A loopback port nobody listens on."""
    return free_port()


@pytest.fixture
def inbox(settings, monkeypatch):
    """The server, with Django's SMTP backend pointed at it and no wait between attempts."""
    from django.core.mail.utils import DNS_NAME

    from tests.lib.factories import start_smtp

    port = free_port()
    server = Inbox()
    controller = start_smtp(server, port)
    # Django names itself to the server with socket.getfqdn(): seconds where DNS is slow.
    monkeypatch.setattr(DNS_NAME, "_fqdn", "localhost", raising=False)
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_TIMEOUT = 5
    settings.PHARE_MAIL_RETRIES, settings.PHARE_MAIL_RETRY_SECONDS = 3, 0
    try:
        yield server
    finally:
        controller.stop()
