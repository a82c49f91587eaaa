"""The personal-data API, for administrators: what Phare holds about a person, their archive
(right of access), their erasure (right to erasure) and the retention periods with their runs.

The same services and queries as the Personal data pages and the ``privacy-export`` /
``privacy-erase`` commands: the archive is the same ZIP, audited the same way; the erasure is
the same transaction, confirmed the same way (the person's employee id typed again).

An erased person no longer has their employee id: it becomes ``erased-<pseudonym>`` (the
erasure's answer gives it). Asking again with the old id answers 404; erasing the record
again under its new id answers 409 — nothing is changed twice.
"""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema

from phare.accounts.apiauth import roles
from phare.directory.models import Person
from phare.lib import privacy
from phare.lib.api import MAX_LIMIT, ErrorOut, Refusal
from phare.privacy.models import RetentionRun
from phare.privacy.policy import MANAGERS
from phare.privacy.queries import held, retention_runs
from phare.privacy.services.access import access_archive
from phare.privacy.services.erasure import ErasureRefused, erase, is_erased, pseudonym_label
from phare.privacy.services.retention import periods

router = Router(tags=["privacy"])

#: Longest employee id the directory stores: a longer one names no one.
EMPLOYEE_ID_LENGTH = Person._meta.get_field("employee_id").max_length or 40


class HeldOut(Schema):
    section: str = Field(description="The archive's section (also its CSV file's name).")
    count: int = Field(description="Its number of records.")


class HoldingsOut(Schema):
    employee_id: str
    name: str
    active: bool
    erased: bool = Field(description="Erased already: what is left names no one.")
    sections: list[HeldOut] = Field(description="The sections of the person's archive that "
                                                "hold records (empty ones left out); records "
                                                "their account created at work are counted "
                                                "in `work_records`.")


class ErasureIn(Schema):
    confirm: str = Field(description="The person's employee id, typed again to confirm: the "
                                     "erasure cannot be undone.")


class ErasedOut(Schema):
    section: str
    count: int = Field(description="Records deleted, detached or pseudonymised.")
    treatment: list[str] = Field(description="What the erasure does to the section: deleted, "
                                             "detached (the link emptied), pseudonymised (kept "
                                             "on the pseudonymised record, or re-keyed for "
                                             "usage events), custom (a rule of its own: "
                                             "docs/DEPLOY.md, Personal data).")


class ErasureOut(Schema):
    employee_id: str = Field(description="The record's id from now on: `erased-<pseudonym>`.")
    pseudonym: str = Field(description="The name the record goes by: 'Former employee #…'.")
    sections: list[ErasedOut] = Field(description="What was done, by section (sections with "
                                                  "nothing to do left out).")


class PeriodsOut(Schema):
    responses: int = Field(description="Survey responses, by the day they were answered "
                                       "(PHARE_RETENTION_RESPONSES_DAYS; 0 keeps them).")
    tickets: int = Field(description="Ticket records, by their resolution "
                                     "(PHARE_RETENTION_TICKETS_DAYS; 0 keeps them).")
    usage: int = Field(description="Raw usage events, folded into aggregates naming no one "
                                   "(PHARE_USAGE_RETENTION_DAYS).")
    emails: int = Field(description="Recorded email outcomes and need news sent "
                                    "(PHARE_RETENTION_EMAILS_DAYS; 0 keeps them).")


class RunOut(Schema):
    id: int
    at: dt.datetime
    periods: dict[str, int] = Field(description="The periods in force (days), by kind.")
    removed: dict[str, int] = Field(description="What was removed, by kind (records, or usage "
                                                "files folded into aggregates).")
    total: int


class RetentionOut(Schema):
    periods: PeriodsOut = Field(description="The periods in force, in days.")
    runs: list[RunOut] = Field(description="The last runs, the latest first (the periodic "
                                           "tick applies the periods once a day).")


class RetentionQuery(Schema):
    limit: int = Field(10, ge=1, le=MAX_LIMIT, description="How many runs (1–1000).")


EXPORT_DOC = {"responses": {200: {
    "description": "The archive (ZIP: person.json, one CSV per section, README.txt in the "
                   "person's language), as an attachment.",
    "content": {"application/zip": {"schema": {"type": "string", "format": "binary"}}}}}}


def _person(employee_id: str) -> Person:
    """The person of ``employee_id``, or 404 naming it."""
    found = None
    # No one has an id longer than the column or holding NUL (which PostgreSQL refuses).
    if len(employee_id) <= EMPLOYEE_ID_LENGTH and "\x00" not in employee_id:
        found = Person.objects.filter(employee_id=employee_id).first()
    if found is None:
        message = _("No person has the employee id “%(id)s”.") % {"id": employee_id}
        raise Refusal(404, message, [{"field": "employee_id", "reason": message}])
    return found


@router.get("/privacy/people/{employee_id}/holdings", response=HoldingsOut,
            auth=roles(MANAGERS), summary="What Phare holds about a person")
def person_holdings(request: HttpRequest, employee_id: str) -> HoldingsOut:
    """The sections of the person's archive with their number of records, as the Personal
    data page shows them."""
    person = _person(employee_id)
    return HoldingsOut(employee_id=person.employee_id, name=person.full_name,
                       active=person.active, erased=is_erased(person),
                       sections=[HeldOut(section=h.section, count=h.count)
                                 for h in held(person)])


@router.get("/privacy/people/{employee_id}/export", auth=roles(MANAGERS),
            openapi_extra=EXPORT_DOC, summary="Export a person's data (right of access)")
def person_export(request: HttpRequest, employee_id: str) -> HttpResponse:
    """The archive of everything Phare holds about the person — the page's and the
    `privacy-export` command's ZIP — its export audited (who, whom, which sections)."""
    person = _person(employee_id)
    content = access_archive(person, actor=request.auth)  # type: ignore[attr-defined]
    response = HttpResponse(content, content_type="application/zip")
    # Named after the record's number, not its employee id (free text from the directory).
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = (
        f'attachment; filename="phare-personal-data-{person.pk}-{stamp}.zip"')
    return response


def _treatments() -> dict[str, list[str]]:
    """What erasing does to each section, from the apps' declarations (``lib/privacy.py``)."""
    words = {privacy.DELETE: "deleted", privacy.DETACH: "detached",
             privacy.KEEP: "pseudonymised", privacy.CUSTOM: "custom"}
    found: dict[str, set[str]] = {"usage_events": {"pseudonymised"}}  # re-keyed: erasure.py
    for holding in privacy.holdings():
        found.setdefault(holding.section, set()).add(words[holding.erase])
    return {section: sorted(treatment) for section, treatment in found.items()}


@router.post("/privacy/people/{employee_id}/erasure", response={200: ErasureOut, 409: ErrorOut},
             auth=roles(MANAGERS), summary="Erase a person (right to erasure)")
def person_erasure(request: HttpRequest, employee_id: str, payload: ErasureIn) -> ErasureOut:
    """Erase the person across every module in one transaction, as the Erase page and the
    `privacy-erase` command do. Cannot be undone: `confirm` must be the person's employee id
    (400 otherwise). 409 when the record was already erased (under its `erased-…` id); the
    person's former id answers 404 once they are erased."""
    person = _person(employee_id)
    if payload.confirm.strip() != person.employee_id:
        reason = _("This is not the employee id of the person chosen.")
        raise Refusal(400, _("The erasure was not confirmed: “confirm” must be the person's "
                             "employee id."), [{"field": "confirm", "reason": reason}])
    try:
        done = erase(person, actor=request.auth)  # type: ignore[attr-defined]
    except ErasureRefused as refused:
        raise Refusal(409, str(refused), [{"field": "employee_id",
                                           "reason": str(refused)}]) from None
    person.refresh_from_db(fields=["employee_id"])
    treatments = _treatments()
    return ErasureOut(employee_id=person.employee_id, pseudonym=pseudonym_label(person),
                      sections=[ErasedOut(section=section, count=count,
                                          treatment=treatments.get(section, []))
                                for section, count in sorted(done.items()) if count])


def _run(run: RetentionRun) -> RunOut:
    return RunOut(id=run.pk, at=run.at, periods=run.periods, removed=run.removed,
                  total=run.total)


@router.get("/privacy/retention", response=RetentionOut, auth=roles(MANAGERS),
            summary="The retention periods and their last runs")
def retention(request: HttpRequest, query: Query[RetentionQuery]) -> RetentionOut:
    """The retention periods in force (days; 0 keeps everything) and the last runs of the
    periodic tick that applies them, with what each removed."""
    return RetentionOut(periods=PeriodsOut(**periods()),
                        runs=[_run(run) for run in retention_runs(query.limit)])
