"""Every write of the reports app: asking for a report (a background job makes it), storing its
three files, schedules, and the periodic step that sends each schedule's report by email.

Keyword-only, typed, ``full_clean()`` before saving, atomic. A refusal is a ``ValidationError``
naming the field (or ``PermissionDenied`` for a role that may not), as views and the API show.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.validators import validate_email
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from phare.audit.actions import Action
from phare.audit.services import record
from phare.directory.models import BusinessUnit
from phare.jobs.services import job_start
from phare.lib import mail
from phare.reports import content as report_content
from phare.reports import periods, policy
from phare.reports.models import FORMATS, Frequency, Language, Report, Schedule
from phare.reports.render_pdf import render_pdf
from phare.reports.render_pptx import render_pptx
from phare.reports.render_xlsx import render_xlsx

logger = logging.getLogger(__name__)

JOB_KIND = "reports.generate"
#: A schedule sends to at most this many addresses (a mailing goes through comms).
MAX_RECIPIENTS = 50
#: A PDF larger than this is not attached to the email: the email links to it only.
MAX_ATTACHMENT_BYTES = 8 * 1024 * 1024
#: The renderers, in the order the job runs them: format → function.
RENDERERS: dict[str, Callable[[report_content.ReportContent], bytes]] = {
    "pdf": render_pdf, "pptx": render_pptx, "xlsx": render_xlsx}


def _require_manager(user: Any) -> None:
    # ``None`` is Phare itself (a schedule's periodic step).
    if user is not None and not policy.can_manage(user):
        raise PermissionDenied(_("Only the marketing lead and administrators generate reports."))


def _unit_name(unit_code: str) -> str | None:
    if not unit_code:
        return None
    unit = BusinessUnit.objects.filter(code=unit_code).first()
    if unit is None:
        raise ValidationError({"unit_code": _("No business unit has the code %(code)s.")
                               % {"code": unit_code}})
    return unit.name


def report_title(*, starts_on: dt.date, ends_on: dt.date, unit_name: str | None,
                 language: str) -> str:
    """``Report Q3 2026``, with the unit's name when there is one, in ``language``."""
    with translation.override(language):
        label = periods.Period(starts_on, ends_on).short_label
        title = _("Report %(period)s") % {"period": label}
        if unit_name:
            title = _("%(title)s — %(unit)s") % {"title": title, "unit": unit_name}
    return title[:200]


@transaction.atomic
def report_request(*, user: Any, starts_on: dt.date, ends_on: dt.date,
                   unit_code: str | None = None, language: str = "fr",
                   schedule: Schedule | None = None) -> Report:
    """Record a report and start the job that makes its three files."""
    _require_manager(user)
    unit_code = (unit_code or "").strip()
    if ends_on < starts_on:
        raise ValidationError({"ends_on": _("The period ends before it starts.")})
    if starts_on > timezone.localdate():
        raise ValidationError({"starts_on": _("The period has not started yet.")})
    if language not in Language.values:
        raise ValidationError({"language": _("Choose French or English.")})
    unit_name = _unit_name(unit_code)
    report = Report(title=report_title(starts_on=starts_on, ends_on=ends_on,
                                       unit_name=unit_name, language=language),
                    starts_on=starts_on, ends_on=ends_on, unit_code=unit_code,
                    language=language, schedule=schedule,
                    created_by=user if user is not None else None)
    report.full_clean()
    report.save()
    report.job = job_start(kind=JOB_KIND, title=report.title, user=user,
                           params={"report": report.pk})
    report.save(update_fields=["job"])
    return report


def report_generate(*, report: Report, progress: Callable[..., None]) -> Report:
    """Build the report's content once and render its three files (what the job runs).

    Any error of the content or a renderer propagates: the job marks the report failed
    (:func:`report_fail`) with it.
    """
    Report.objects.filter(pk=report.pk).update(status=Report.Status.RUNNING, error="")
    total = 1 + len(RENDERERS)
    progress(0, total, _("Gathering the figures"))
    content = report_content.build(starts_on=report.starts_on, ends_on=report.ends_on,
                                   unit_code=report.unit_code or None,
                                   language=report.language)
    files: dict[str, bytes] = {}
    for done, (fmt, render) in enumerate(RENDERERS.items(), start=1):
        progress(done, total, _("Rendering the %(format)s file") % {"format": fmt.upper()})
        files[fmt] = render(content)
    with transaction.atomic():
        for fmt, data in files.items():
            report.file(fmt).save(report.filename(fmt), ContentFile(data), save=False)
        report.status, report.error = Report.Status.READY, ""
        report.full_clean()
        report.save()
        record(action=Action.REPORT_GENERATED, actor=report.created_by, target=report,
               details={"starts_on": report.starts_on, "ends_on": report.ends_on,
                        "unit": report.unit_code, "language": report.language,
                        "schedule": report.schedule_id})
    progress(total, total, _("Ready"))
    return report


@transaction.atomic
def report_fail(*, report: Report, error: str) -> Report:
    """Mark the report failed, with why (the job's error)."""
    report.status, report.error = Report.Status.FAILED, error
    report.save(update_fields=["status", "error"])
    return report


# Sending ------------------------------------------------------------------------------------


def _absolute(path: str) -> str:
    return f"{settings.PHARE_BASE_URL}{path}"


def report_messages(*, report: Report) -> list[mail.Message]:
    """The emails of a scheduled report, one per recipient, in the schedule's language: links to
    the three files (for those who sign in) and the PDF attached when it is not too large."""
    schedule = report.schedule
    if schedule is None or report.status != Report.Status.READY:
        return []
    attachments: tuple[tuple[str, bytes, str], ...] = ()
    if report.pdf and report.pdf.size <= MAX_ATTACHMENT_BYTES:
        with report.pdf.open("rb") as handle:
            attachments = ((report.filename("pdf"), handle.read(), FORMATS["pdf"][1]),)
    with translation.override(report.language):
        links = [(fmt.upper(), _absolute(reverse("reports:download", args=[report.pk, fmt])))
                 for fmt in FORMATS]
        context = {"report": report, "schedule": schedule, "links": links,
                   "attached": bool(attachments),
                   "page": _absolute(reverse("reports:home"))}
        subject = render_to_string("reports/email_subject.txt", context).strip()
        text = render_to_string("reports/email.txt", context)
    return [mail.Message(to=address, subject=subject, text=text, kind="report",
                         language=report.language, reference=str(report.pk),
                         attachments=attachments)
            for address in schedule.recipients]


def report_send(*, report: Report) -> int:
    """Email a scheduled report to its schedule's recipients; how many emails were sent."""
    messages = report_messages(report=report)
    if not messages:
        return 0
    try:
        outcomes = mail.send_batch(messages)
    except mail.MailServerDown as stopped:
        outcomes = stopped.outcomes
    return sum(1 for outcome in outcomes if outcome.sent)


# Schedules ----------------------------------------------------------------------------------


def _recipients(values: list[str]) -> list[str]:
    cleaned: list[str] = []
    for value in values:
        address = value.strip().lower()
        if not address or address in cleaned:
            continue
        try:
            validate_email(address)
        except ValidationError:
            raise ValidationError({"recipients": _("%(address)s is not an email address.")
                                   % {"address": value.strip()}}) from None
        cleaned.append(address)
    if not cleaned:
        raise ValidationError({"recipients": _("Give at least one email address.")})
    if len(cleaned) > MAX_RECIPIENTS:
        raise ValidationError({"recipients": _("At most %(count)d addresses.")
                               % {"count": MAX_RECIPIENTS}})
    return cleaned


@transaction.atomic
def schedule_save(*, user: Any, name: str, frequency: str, unit_code: str | None,
                  language: str, recipients: list[str], active: bool = True,
                  schedule: Schedule | None = None) -> Schedule:
    """Create a schedule, or change ``schedule``."""
    _require_manager(user)
    if frequency not in Frequency.values:
        raise ValidationError({"frequency": _("Choose monthly or quarterly.")})
    unit_code = (unit_code or "").strip()
    _unit_name(unit_code)
    schedule = schedule if schedule is not None else Schedule(created_by=user)
    schedule.name, schedule.frequency, schedule.unit_code = name.strip(), frequency, unit_code
    schedule.language, schedule.recipients = language, _recipients(recipients)
    schedule.active = active
    schedule.full_clean()
    schedule.save()
    return schedule


@transaction.atomic
def schedule_delete(*, user: Any, schedule: Schedule) -> None:
    """Delete a schedule; the reports it made stay."""
    _require_manager(user)
    schedule.delete()


def is_due(schedule: Schedule, today: dt.date) -> bool:
    """Whether the period just ended before ``today`` still has to be sent."""
    if not schedule.active:
        return False
    period = periods.previous(schedule.frequency, today)
    return schedule.last_sent_on is None or schedule.last_sent_on <= period.ends_on


def schedule_run(*, schedule: Schedule, today: dt.date) -> Report | None:
    """Request the report of the period just ended for ``schedule`` if it is due (it is sent
    when ready, by the job); ``None`` when not due."""
    with transaction.atomic():
        locked = Schedule.objects.select_for_update().get(pk=schedule.pk)
        if not is_due(locked, today):
            return None
        period = periods.previous(locked.frequency, today)
        report = report_request(user=None, starts_on=period.starts_on, ends_on=period.ends_on,
                                unit_code=locked.unit_code, language=locked.language,
                                schedule=locked)
        locked.last_sent_on = today
        locked.save(update_fields=["last_sent_on"])
    return report


def schedules_step(now: dt.datetime) -> dict[str, int]:
    """The periodic step: each active schedule whose period is over gets its report."""
    today = timezone.localdate(now)
    requested = 0
    for schedule in Schedule.objects.filter(active=True):
        if not is_due(schedule, today):
            continue
        try:
            if schedule_run(schedule=schedule, today=today) is not None:
                requested += 1
        except ValidationError:
            # A unit deleted since the schedule was saved: the others still run.
            logger.exception("schedule %s could not request its report", schedule.pk)
    return {"requested": requested}
