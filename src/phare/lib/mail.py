"""The one way Phare sends email: batches over one connection, retries, one failure policy.

Each module renders its own emails (templates, the recipient's language) into :class:`Message`
values and sends them here, through the backend of ``PHARE_EMAIL_URL``, either one by one in a
:class:`Batch` (``with Batch() as batch: batch.send(message)``, when each email needs its own
claim in the database before it goes) or all at once with :func:`send_batch`.

Failure policy, the same for every caller:

- Each message ends ``sent``, ``refused`` or ``failed``. ``refused``: the server answered 5xx
  about this email (its recipient or its content); it will not take it, so it is not retried.
  ``failed``: the server could not be reached, dropped the connection, timed out or answered
  4xx (transient) and still did after ``PHARE_MAIL_RETRIES`` attempts, waiting
  ``PHARE_MAIL_RETRY_SECONDS`` before the second one and twice as long before each next one;
  or it answered 5xx to something that concerns every email (the sender, the login), which is
  not retried either.
- :data:`MAX_FAILURES_IN_A_ROW` ``failed`` in a row mean the server, not one address, is the
  problem: the email that made the count raises :class:`MailServerDown` and the batch stops.
  A ``sent`` or ``refused`` email (the server answered) starts the count again.
- What was not sent is the caller's to send again later: callers claim each email in the
  database before it goes and give the claim back when its outcome is not ``sent``.
- Every outcome is announced by the :data:`mail_outcome` signal (``core`` records it as a
  ``SentMail`` row) and each one not sent is logged.

A batch keeps one connection to the server for all its emails, and opens a new one when the
server dropped it. Nothing here knows a Phare model.
"""

from __future__ import annotations

import logging
import smtplib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from time import sleep
from types import TracebackType

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.dispatch import Signal

logger = logging.getLogger(__name__)

#: This many ``failed`` emails in a row means the mail server (not one address) is the problem.
MAX_FAILURES_IN_A_ROW = 10

#: Sent once per email, whatever its outcome, with the keyword arguments ``kind``,
#: ``reference``, ``recipient``, ``status`` (a :class:`Status` value), ``attempts`` and
#: ``error`` (the last error's text, empty when sent).
mail_outcome = Signal()


class Status(StrEnum):
    SENT = "sent"
    REFUSED = "refused"
    FAILED = "failed"


@dataclass(frozen=True)
class Message:
    """One email to one person, already rendered in their language.

    ``kind`` names what it is (``wave_invitation``, ``need_digest``…) and ``reference`` what it
    is about (an invitation's id…): both are recorded with the outcome. ``unsubscribe`` is the
    link that stops such emails: mail programs show their own button with it and may follow it
    with one POST (RFC 8058). ``attachments`` are ``(filename, content, mimetype)`` triples
    (a mimetype may carry parameters: ``text/calendar; method=REQUEST``).
    """

    to: str
    subject: str
    text: str
    kind: str
    language: str
    reference: str = ""
    html: str | None = None
    unsubscribe: str | None = None
    headers: Mapping[str, str] = field(default_factory=dict)
    attachments: tuple[tuple[str, bytes, str], ...] = ()

    def email(self) -> EmailMultiAlternatives:
        """The Django email, with the headers every Phare email carries."""
        headers = {"Auto-Submitted": "auto-generated",  # RFC 3834: no vacation replies
                   "Content-Language": self.language}
        if self.unsubscribe:
            headers["List-Unsubscribe"] = f"<{self.unsubscribe}>"
            headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
        headers.update(self.headers)
        email = EmailMultiAlternatives(self.subject, self.text, settings.DEFAULT_FROM_EMAIL,
                                       [self.to], headers=headers)
        if self.html is not None:
            email.attach_alternative(self.html, "text/html")
        for filename, content, mimetype in self.attachments:
            email.attach(filename, content, mimetype)
        return email


@dataclass(frozen=True)
class Outcome:
    """What became of one message: its status, after how many attempts, the last error."""

    message: Message
    status: Status
    attempts: int
    error: str = ""

    @property
    def sent(self) -> bool:
        return self.status == Status.SENT


class MailServerDown(Exception):
    """The batch stopped: :data:`MAX_FAILURES_IN_A_ROW` emails failed in a row.

    ``outcomes``: from :meth:`Batch.send`, the outcome of the message that made the count; from
    :func:`send_batch`, every outcome of the batch, that one last.
    """

    def __init__(self, error: str, outcomes: list[Outcome]) -> None:
        super().__init__(error)
        self.outcomes = outcomes


#: Errors that concern one email: the server will not take this one, but it takes others.
_ABOUT_THE_MESSAGE = (smtplib.SMTPRecipientsRefused, smtplib.SMTPDataError)
#: Errors after which smtplib has reset the conversation: the connection is still good.
_CONNECTION_KEPT = (smtplib.SMTPRecipientsRefused, smtplib.SMTPSenderRefused,
                    smtplib.SMTPDataError)


def _is_permanent(exc: smtplib.SMTPException | OSError) -> bool:
    """A 5xx answer: asking again will not change it."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _text in exc.recipients.values()]
        return bool(codes) and all(code >= 500 for code in codes)
    return isinstance(exc, smtplib.SMTPResponseException) and exc.smtp_code >= 500


class Batch:
    """One connection to the mail server for many emails; see the module's failure policy."""

    def __init__(self) -> None:
        self.connection = get_connection(fail_silently=False)
        self.failures_in_a_row = 0

    def __enter__(self) -> Batch:
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                 traceback: TracebackType | None) -> None:
        self.close()

    def close(self) -> None:
        """Say goodbye to the server; one that is already gone is no error."""
        try:
            self.connection.close()
        except (smtplib.SMTPException, OSError) as exc:  # Django's backend forgets it anyway
            logger.info("closing the mail connection: %s", exc)

    def send(self, message: Message) -> Outcome:
        """Send one email, retrying transient failures; its outcome, or :class:`MailServerDown`
        when it makes :data:`MAX_FAILURES_IN_A_ROW` failures in a row."""
        attempts = max(1, settings.PHARE_MAIL_RETRIES)
        delay = settings.PHARE_MAIL_RETRY_SECONDS
        email = message.email()
        attempt, error = 0, ""
        status = Status.FAILED
        while attempt < attempts:
            attempt += 1
            try:
                self.connection.open()  # a new connection only if there is none
                self.connection.send_messages([email])
            except (smtplib.SMTPException, OSError) as exc:
                error = str(exc) or type(exc).__name__
                if not isinstance(exc, _CONNECTION_KEPT):
                    self.close()  # dropped or unusable: the next attempt opens another
                if _is_permanent(exc):
                    if isinstance(exc, _ABOUT_THE_MESSAGE):
                        status = Status.REFUSED
                    break
                if attempt < attempts and delay:
                    sleep(delay * 2 ** (attempt - 1))
                continue
            status, error = Status.SENT, ""
            break
        return self._record(Outcome(message, status, attempt, error))

    def _record(self, outcome: Outcome) -> Outcome:
        message = outcome.message
        mail_outcome.send(sender=Batch, kind=message.kind, reference=message.reference,
                          recipient=message.to, status=outcome.status,
                          attempts=outcome.attempts, error=outcome.error)
        if outcome.status == Status.FAILED:
            self.failures_in_a_row += 1
        else:
            self.failures_in_a_row = 0
        if not outcome.sent:
            logger.warning("%s email %s to %s %s after %d attempt(s): %s", message.kind,
                           message.reference, message.to, outcome.status, outcome.attempts,
                           outcome.error)
        if self.failures_in_a_row >= MAX_FAILURES_IN_A_ROW:
            raise MailServerDown(outcome.error, [outcome])
        return outcome


def send_batch(messages: Iterable[Message]) -> list[Outcome]:
    """Send ``messages`` over one connection; their outcomes in order.

    Raises :class:`MailServerDown` (with the outcomes so far) when the server looks down: the
    messages after the one that raised were not tried.
    """
    outcomes: list[Outcome] = []
    with Batch() as batch:
        for message in messages:
            try:
                outcomes.append(batch.send(message))
            except MailServerDown as stopped:
                stopped.outcomes = outcomes + stopped.outcomes
                raise
    return outcomes

