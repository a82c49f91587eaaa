"""The study's results pages (readers: POSITIONING_READERS): the perceptual map, the gaps,
shadow IT and the segments — each with its charts, their tables and CSV downloads
(``?csv=<chart>`` on the page, and the ``*_csv`` views for the whole table).

Everything shown comes from :mod:`phare.positioning.results`, released; a hidden result is
said with its reason.
"""

from __future__ import annotations

import pandas as pd
from django.http import HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, render
from django.utils.text import slugify
from django.utils.translation import gettext as _

from phare.accounts.policy import SignedInRequest, allow, has_role
from phare.accounts.roles import POSITIONING_MANAGERS, POSITIONING_READERS
from phare.audit.actions import Action
from phare.audit.services import record
from phare.lib.charts import csv_download
from phare.lib.csvtext import safe_cell
from phare.positioning import figures, results
from phare.positioning.models import Study
from phare.positioning.results.maps import SUPPLEMENTARY
from phare.positioning.results.shadow import other_label

T = "positioning/results/"


def _study(slug: str) -> Study:
    return get_object_or_404(Study.objects.select_related("survey", "family"), slug=slug)


def _context(request: SignedInRequest, study: Study, tab: str) -> dict[str, object]:
    return {"study": study, "tab": tab,
            "can_manage": has_role(request.user, POSITIONING_MANAGERS)}


def _supplementary(request: SignedInRequest) -> str | None:
    """The map's supplementary groups asked for (``?by=``), None when unknown."""
    by = request.GET.get("by", "")
    return by if by in SUPPLEMENTARY else None


def _csv(frame: pd.DataFrame, name: str) -> HttpResponse:
    frame = frame.rename(columns=safe_cell).map(safe_cell)
    response = HttpResponse(frame.to_csv(index=False).encode("utf-8-sig"),
                            content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{slugify(name) or "table"}.csv"'
    return response


def _hidden_csv(reason: str, name: str) -> HttpResponse:
    return _csv(pd.DataFrame({_("note"): [reason]}), name)



def _exported(request: SignedInRequest, download: HttpResponse, study: Study) -> HttpResponse:
    """A result's CSV, once the audit trail says who took which table of which study."""
    filters = {name: value for name, value in request.GET.items() if name != "csv"}
    table = request.GET.get("csv", "") or getattr(request.resolver_match, "url_name", "")
    record(action=Action.EXPORT, actor=request.user, target=study,
           details={"format": "csv", "table": table, "filters": filters})
    return download

@allow(POSITIONING_READERS)
def map_page(request: SignedInRequest, slug: str) -> HttpResponse:
    """The perceptual map, its reading rule, inertias, coordinates and mean ratings."""
    study = _study(slug)
    by = _supplementary(request)
    if by is None:
        return HttpResponseBadRequest(_("by: unknown group; use one of %(groups)s.") % {
            "groups": ", ".join(repr(g) for g in SUPPLEMENTARY)})
    result = results.perceptual_map(study, supplementary=by)
    charts = [c for c in [figures.map_chart(result)] if c is not None]
    if (download := csv_download(request, charts)) is not None:
        return _exported(request, download, study)
    context = _context(request, study, "map")
    context.update({
        "result": result, "charts": charts, "by": by,
        "groups": [(code, str(label)) for code, label in SUPPLEMENTARY.items()],
        "axes": list(zip(range(1, len(result.percent) + 1), result.inertias, result.percent,
                         strict=True)),
        "means": _means(result)})
    return render(request, T + "map.html", context)


def _means(result: results.MapResult) -> dict[str, object]:
    """The table of mean ratings as the page prints it."""
    if result.hidden:
        return {}
    table = result.table
    return {"columns": [result.attribute_labels.get(c, c) for c in table.columns],
            "rows": [(result.alternative_labels.get(code, code), list(row))
                     for code, row in zip(table.index, table.to_numpy(), strict=True)]}


@allow(POSITIONING_READERS)
def map_csv(request: SignedInRequest, slug: str) -> HttpResponse:
    """The map as CSV: its points (``?table=means``: the mean ratings it was drawn from)."""
    study = _study(slug)
    by = _supplementary(request)
    if by is None:
        return HttpResponseBadRequest(_("by: unknown group."))
    result = results.perceptual_map(study, supplementary=by)
    name = f"{study.slug}-map"
    if result.hidden:
        return _exported(request, _hidden_csv(result.reason, name), study)
    if request.GET.get("table") == "means":
        frame = result.table.rename(index=result.alternative_labels,
                                    columns=result.attribute_labels).reset_index()
        frame.columns = [_("Alternative"), *frame.columns[1:]]
        return _exported(request, _csv(frame, f"{name}-means"), study)
    return _exported(request, _csv(figures.map_table(result), name), study)


@allow(POSITIONING_READERS)
def gaps_page(request: SignedInRequest, slug: str) -> HttpResponse:
    """The gaps, with stated importance, key drivers and benchmarks."""
    study = _study(slug)
    result = results.gaps(study)
    charts = [c for c in [figures.gaps_chart(result)] if c is not None]
    if (download := csv_download(request, charts)) is not None:
        return _exported(request, download, study)
    context = _context(request, study, "gaps")
    context.update({"result": result, "charts": charts})
    return render(request, T + "gaps.html", context)


@allow(POSITIONING_READERS)
def gaps_csv(request: SignedInRequest, slug: str) -> HttpResponse:
    study = _study(slug)
    result = results.gaps(study)
    name = f"{study.slug}-gaps"
    if result.hidden:
        return _exported(request, _hidden_csv(result.reason, name), study)
    table = figures.gaps_table(result)
    return _exported(request, _csv(table.rename(columns=figures.gaps_columns(result)), name),
                     study)


@allow(POSITIONING_READERS)
def shadow_page(request: SignedInRequest, slug: str) -> HttpResponse:
    """Shadow IT: the tool groups, their catalogue status and who uses them."""
    study = _study(slug)
    result = results.shadow_it(study)
    context = _context(request, study, "shadow")
    k = results.data_of(study).k
    context.update({"result": result, "other_label": other_label(k)})
    return render(request, T + "shadow.html", context)


@allow(POSITIONING_READERS)
def shadow_csv(request: SignedInRequest, slug: str) -> HttpResponse:
    study = _study(slug)
    result = results.shadow_it(study)
    name = f"{study.slug}-shadow-it"
    if result.hidden:
        return _hidden_csv(result.reason, name)
    rows = [{_("Tool"): g.name, _("People"): g.people, _("Share of respondents"): g.share,
             _("Status"): g.status_label, _("Catalogue equivalent"): g.service}
            for g in result.groups]
    k = results.data_of(study).k
    rows.append({_("Tool"): other_label(k), _("People"): result.other_people,
                 _("Share of respondents"): None, _("Status"): "", _("Catalogue equivalent"): ""})
    return _csv(pd.DataFrame(rows), name)


@allow(POSITIONING_READERS)
def segments_page(request: SignedInRequest, slug: str) -> HttpResponse:
    """The segments: size, attitudes, preference, profile with indexes, verbatims."""
    study = _study(slug)
    result = results.segmentation(study)
    data = results.data_of(study)
    labels = dict(results.names(data).by_dimension.get("segment", {}))
    charts = [c for c in [figures.segments_chart(result, labels)] if c is not None]
    if (download := csv_download(request, charts)) is not None:
        return _exported(request, download, study)
    context = _context(request, study, "segments")
    context.update({"result": result, "charts": charts, "k_verbatim": data.k_verbatim,
                    "segments": [(s, labels.get(str(s.number), str(s.number)))
                                 for s in result.segments]})
    return render(request, T + "segments.html", context)
