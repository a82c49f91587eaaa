from __future__ import annotations

import datetime as dt

from django.utils import timezone

from phare.audit.actions import Action as AuditAction
from phare.audit.models import Entry
from phare.core.models import SentMail
from phare.lib import periodic
from phare.listening import services as listening
from phare.listening.models import Response
from phare.privacy.models import RetentionRun
from phare.privacy.services import retention
from phare.tickets.models import Ticket
from tests.listening.factories import full_answers, make_barometer, submit


def _scene():
    survey = make_barometer("retention")
    old = submit(survey, full_answers(9))  # answered in March 2025
    recent = listening.response_submit(survey=survey, answers=full_answers(7),
                                       channel="open_link", submitted_at=timezone.now())
    now = timezone.now()
    for name, days in (("OLD", 400), ("NEW", 10)):
        Ticket.objects.create(external_id=f"INC-{name}", opened_at=now - dt.timedelta(days=days),
                              resolved_at=now - dt.timedelta(days=days))
        SentMail.objects.create(at=now - dt.timedelta(days=days), kind="test",
                                recipient=f"{name}@example.com", status="sent", attempts=1)
    return old, recent


def test_it_removes_what_is_past_its_period_and_reports_it(db, settings):
    settings.PHARE_RETENTION_RESPONSES_DAYS = 365
    settings.PHARE_RETENTION_TICKETS_DAYS = 365
    settings.PHARE_RETENTION_EMAILS_DAYS = 90
    old, recent = _scene()
    assert "privacy.retention" in periodic.steps()
    done = periodic.steps()["privacy.retention"](timezone.now())
    assert done["responses"] == 1 and done["tickets"] == 1 and done["emails"] == 1
    assert list(Response.objects.values_list("pk", flat=True)) == [recent.pk]
    assert list(Ticket.objects.values_list("external_id", flat=True)) == ["INC-NEW"]
    assert list(SentMail.objects.values_list("recipient", flat=True)) == ["NEW@example.com"]
    run = RetentionRun.objects.get()
    assert run.removed["responses"] == 1
    assert run.periods["usage"] == settings.PHARE_USAGE_RETENTION_DAYS
    entry = Entry.objects.get(action=AuditAction.RETENTION)
    assert entry.details["removed"]["tickets"] == 1
    # Once a day: the next tick within the day does nothing.
    assert retention.step(timezone.now() + dt.timedelta(hours=1)) is None
    assert RetentionRun.objects.count() == 1
    assert retention.step(timezone.now() + dt.timedelta(days=1)) is not None


def test_it_keeps_everything_with_periods_of_zero(db):
    _scene()
    run = retention.apply()
    assert run.total == 0
    assert (Response.objects.count(), Ticket.objects.count(), SentMail.objects.count()) == (2, 2, 2)
