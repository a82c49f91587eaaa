"""The audit trail's pages: the filtered, paginated list and its CSV export (itself audited)."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from typing import Any

from django.conf import settings
from django.core.paginator import Paginator
from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from phare.accounts.policy import SignedInRequest, allow
from phare.audit.actions import Action
from phare.audit.forms import EntryFilterForm
from phare.audit.policy import READERS
from phare.audit.queries import EntryFilter, entries, export_rows
from phare.audit.services import record
from phare.lib.csvtext import csv_writer

PAGE_SIZE = 50


@allow(READERS)
def entry_list(request: SignedInRequest) -> HttpResponse:
    form = EntryFilterForm(request.GET or None)
    page = Paginator(entries(form.to_filter()), PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"form": form, "page": page, "query": request.GET.urlencode(),
               "retention_days": settings.PHARE_AUDIT_RETENTION_DAYS}
    if request.htmx:
        return render(request, "audit/_entries.html", context)
    return render(request, "audit/entries.html", context)


class _Echo:
    """A file that hands back what is written, for a streamed CSV."""

    def write(self, value: str) -> str:
        return value


def _csv_lines(selection: EntryFilter) -> Iterator[str]:
    writer = csv_writer(_Echo())
    yield "\ufeff"  # Excel reads UTF-8 only with a BOM.
    yield writer.writerow([_("When (UTC)"), _("Action code"), _("Action"), _("Who"),
                           _("User id"), _("IP address"), _("User agent"), _("Target type"),
                           _("Target id"), _("Target"), _("Details")])
    labels = dict(Action.choices)
    for entry in export_rows(selection):
        yield writer.writerow([
            entry.at.astimezone(dt.UTC).isoformat(timespec="seconds"), entry.action,
            str(labels.get(entry.action, entry.action)), entry.actor_name,
            "" if entry.actor_id is None else str(entry.actor_id), entry.ip or "",
            entry.user_agent, entry.target_type, entry.target_id, entry.target_label,
            json.dumps(entry.details, ensure_ascii=False, sort_keys=True)])


@allow(READERS)
def export(request: SignedInRequest) -> StreamingHttpResponse:
    form = EntryFilterForm(request.GET or None)
    selection = form.to_filter()
    details: dict[str, Any] = {"format": "csv", "filters": selection.as_details()}
    record(action=Action.EXPORT, actor=request.user, request=request,
           target=("audit.entry", "", "Audit trail"), details=details)
    response = StreamingHttpResponse(_csv_lines(selection), content_type="text/csv; charset=utf-8")
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="phare-audit-{stamp}.csv"'
    return response
