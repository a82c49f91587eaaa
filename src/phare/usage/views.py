"""Usage pages: the overview of every visible service, a service's usage (adoption by unit,
site or job family, trend, depth, retention, licences, deployment), the imports and their
reports, and the products of the sources linked to catalogue services.

Every figure comes released from :mod:`phare.usage.queries`; who sees which service is
:func:`phare.usage.access.visible_services` (an owner: their own services, any other is a 404),
and the writes go through :mod:`phare.usage.services` or a background job.
"""

from __future__ import annotations

import io
from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from phare.accounts.policy import SignedInRequest, allow
from phare.accounts.roles import USAGE_MANAGERS, USAGE_VIEWERS
from phare.catalog.models import Service
from phare.directory.models import BusinessUnit
from phare.jobs.queries import jobs_visible_to
from phare.jobs.services import job_start
from phare.lib.cache import read_once
from phare.lib.charts import csv_download
from phare.lib.csvtext import csv_writer
from phare.usage import access, figures, queries, services
from phare.usage.forms import AdoptionFilterForm, DeploymentForm, ProductLinkForm, UsageImportForm
from phare.usage.jobs import IMPORT
from phare.usage.models import ProductLink, UsageImport

T = "usage/"


@allow(USAGE_VIEWERS)
@read_once
def overview(request: SignedInRequest) -> HttpResponse:
    """One line per visible service with usage; the tenant-wide counts for those who read
    every service's usage."""
    summaries = queries.overview(list(access.visible_services(request.user)))
    chart = figures.overview_chart(summaries)
    download = csv_download(request, [chart] if chart is not None else [])
    if download is not None:
        return download
    everything = access.reads_everything(request.user)
    return render(request, T + "overview.html", {
        "rows": figures.overview_rows(summaries), "chart": chart, "restricted": not everything,
        "tenant_counts": figures.tenant_rows(queries.tenant_counts()) if everything else [],
        "manager": access.may_manage(request.user), "min_group": queries.min_group()})


def _service(request: SignedInRequest, slug: str) -> Service:
    return get_object_or_404(access.visible_services(request.user), slug=slug)


def _unit_choices() -> list[tuple[str, str]]:
    return list(BusinessUnit.objects.order_by("name").values_list("code", "name"))


def _adoption_csv(data: queries.Adoption) -> HttpResponse:
    """The adoption table as CSV: hidden groups are named, with no figure at all."""
    text = io.StringIO()
    writer = csv_writer(text)
    writer.writerow([figures.by_title(data.by), _("Active users"), _("Audience"),
                     _("Adoption (%)"), _("low"), _("high"), _("Note")])
    rows = list(data.rows)
    if data.total is not None:
        rows.append(data.total)
    for row in rows:
        label = row.label if row is not data.total else (row.label or _("Whole audience"))
        if row.suppressed:
            writer.writerow([label, "", "", "", "", "", _("too few people")])
        else:
            writer.writerow([label, row.active_users, row.audience,
                             figures.percent(row.adoption_rate), figures.percent(row.low),
                             figures.percent(row.high), ""])
    response = HttpResponse(("\ufeff" + text.getvalue()).encode("utf-8"),
                            content_type="text/csv; charset=utf-8")
    month = f"-{data.month:%Y-%m}" if data.month else ""
    name = slugify(f"{data.service.slug}-adoption-{data.by}{month}")
    response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    return response


@read_once
def _service_page(request: SignedInRequest, service: Service,
                  deployment_form: DeploymentForm | None = None, status: int = 200
                  ) -> HttpResponse:
    months = queries.months_with_usage(service)
    form = AdoptionFilterForm(request.GET or None, months=months, units=_unit_choices())
    by, month, within = form.filters()
    adoption = queries.adoption(service, by=by, month=month, within=within)
    if request.GET.get("format") == "csv":
        return _adoption_csv(adoption)
    context: dict[str, Any] = {
        "service": service, "form": form, "adoption": adoption,
        "adoption_chart": figures.adoption_chart(adoption),
        "depth": figures.depth_rows(queries.depth(service, adoption.month)
                                    if adoption.month else []),
        "min_group": queries.min_group()}
    if request.htmx and deployment_form is None and not request.GET.get("csv"):
        # The filters changed: only the part they apply to.
        return render(request, T + "_adoption.html", context)
    trend = queries.trend(service)
    progress = queries.deployment(service)
    charts = figures.service_charts(adoption, trend, progress)
    download = csv_download(request, charts.all())
    if download is not None:
        return download
    manager = access.may_manage(request.user)
    if manager and deployment_form is None:
        deployment_form = DeploymentForm.for_deployment(
            progress.deployment if progress else None)
    context.update({
        "charts": charts, "trend": trend, "cohorts": figures.cohort_table(queries.cohorts(service)),
        "licences": queries.licence_use(service), "progress": progress, "manager": manager,
        "deployment_form": deployment_form})
    return render(request, T + "service.html", context, status=status)


@allow(USAGE_VIEWERS)
def service_usage(request: SignedInRequest, slug: str) -> HttpResponse:
    """A service's usage; ``?format=csv`` downloads its adoption table."""
    return _service_page(request, _service(request, slug))


@allow(USAGE_MANAGERS)
@require_POST
def service_deployment(request: SignedInRequest, slug: str) -> HttpResponse:
    """Set, change (or, with ``action=remove``, remove) the service's deployment."""
    service = _service(request, slug)
    if request.POST.get("action") == "remove":
        services.deployment_remove(service=service)
        messages.success(request, _("The deployment is removed."))
        return redirect("usage:service", slug=service.slug)
    form = DeploymentForm(request.POST)
    if not form.is_valid():
        return _service_page(request, service, deployment_form=form, status=400)
    services.deployment_set(service=service, **form.values())
    messages.success(request, _("The deployment is saved."))
    return redirect("usage:service", slug=service.slug)


@allow(USAGE_MANAGERS)
def imports(request: SignedInRequest) -> HttpResponse:
    """Upload a usage file (imported by a background job) and the imports done before."""
    form = UsageImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        job = job_start(kind=IMPORT, title=_("Usage import: %(name)s") % {"name": upload.name},
                        user=request.user, input_file=upload, input_name=upload.name,
                        params={"source": form.cleaned_data["source"],
                                "period_days": form.cleaned_data["period_days"],
                                "file_name": upload.name})
        return redirect("jobs:detail", job_id=job.pk)
    return render(request, T + "imports.html", {
        "form": form, "imports": queries.imports(),
        "jobs": jobs_visible_to(request.user).filter(kind=IMPORT)[:5]})


@allow(USAGE_MANAGERS)
def import_detail(request: SignedInRequest, import_id: int) -> HttpResponse:
    """What one import did: its counts, what it skipped and why, the rows matching no one."""
    record = get_object_or_404(UsageImport.objects.select_related("created_by"), pk=import_id)
    skipped = sorted((services.skipped_label(code), n) for code, n in record.skipped.items())
    return render(request, T + "import.html", {"record": record, "skipped": skipped})


@allow(USAGE_MANAGERS)
def products(request: SignedInRequest) -> HttpResponse:
    """Each product the sources named, and the catalogue service it is (saved one by one)."""
    links = list(ProductLink.objects.select_related("service"))
    choices = ProductLinkForm.service_choices()
    form: ProductLinkForm | None = None
    if request.method == "POST":
        form = ProductLinkForm(request.POST, products=[link.product for link in links],
                               services=choices)
        if form.is_valid():
            slug = form.cleaned_data["service"]
            service = Service.objects.get(slug=slug) if slug else None
            services.link_product(product=form.cleaned_data["product"], service=service)
            messages.success(request, _("“%(product)s” is saved.") % {
                "product": form.cleaned_data["product"]})
            return redirect("usage:products")
    # The row sent back with errors shows what was sent; the summary links to its field.
    rows = [(link, form if form is not None and form.data.get("product") == link.product
             else ProductLinkForm(products=[link.product], services=choices,
                                  initial={"product": link.product,
                                           "service": link.service.slug if link.service
                                           else ""},
                                  auto_id=f"id_product_{i}_%s"))
            for i, link in enumerate(links)]
    return render(request, T + "products.html", {"rows": rows, "form": form})
