"""The test SMTP server (``smtp_server``), for every folder whose tests send email: a pytest
plugin that ``tests/conftest.py`` registers."""

from __future__ import annotations

import pytest

from tests.lib.factories import start_smtp


class _Inbox:
    def __init__(self) -> None:
        self.messages: list = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's name)
        import email
        from email import policy

        message = email.message_from_bytes(envelope.content, policy=policy.default)
        self.messages.append(message)
        return "250 OK"


@pytest.fixture
def smtp_server(settings, monkeypatch):
    """A real SMTP server on loopback (aiosmtpd); Django sends to it.

    ``smtp_server.messages`` lists the received ``email.message.EmailMessage`` objects;
    ``smtp_server.body(message)`` gives the plain-text part.
    """
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    inbox = _Inbox()
    controller = start_smtp(inbox, port)
    # Django names itself to the server with socket.getfqdn(): seconds where DNS is slow.
    from django.core.mail.utils import DNS_NAME

    monkeypatch.setattr(DNS_NAME, "_fqdn", "localhost", raising=False)
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    inbox.body = lambda message: message.get_body(("plain",)).get_content()
    inbox.html = lambda message: message.get_body(("html",)).get_content()
    try:
        yield inbox
    finally:
        controller.stop()
