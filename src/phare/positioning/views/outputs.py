"""The study's outputs (under ``/positioning/<slug>/``): persona cards (edit, print, make an
audience), the positioning statement (versions, evidence, editor), benchmarks, tool groups (a
need for an offer gap, an action for an unknown equivalent), and the promise fragment the
catalogue's family view loads (``/positioning/promise/<family>/``).

Readers (``POSITIONING_READERS``) read; managers (``POSITIONING_MANAGERS``) change, through
:mod:`phare.positioning.services`, whose refusals are shown on the page.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import override
from django.views.decorators.http import require_POST

from phare.accounts.policy import SignedInRequest, allow, has_role
from phare.accounts.roles import EVERYONE, POSITIONING_MANAGERS, POSITIONING_READERS
from phare.lib.pdf import PdfUnavailable, html_to_pdf
from phare.positioning import outputs
from phare.positioning.forms.outputs import (
    AudienceForm,
    BenchmarkForm,
    PersonaForm,
    StatementForm,
    ToolActionForm,
    ToolForm,
    add_service_errors,
)
from phare.positioning.models import Benchmark, Statement, Study, Tool
from phare.positioning.services import benchmarks as benchmark_services
from phare.positioning.services import personas as persona_services
from phare.positioning.services import statements as statement_services
from phare.positioning.services import tools as tool_services

T = "positioning/outputs/"


def _study(slug: str) -> Study:
    return get_object_or_404(Study.objects.select_related("family"), slug=slug)


def _context(request: SignedInRequest, study: Study, tab: str, **extra: Any) -> dict[str, Any]:
    return {"study": study, "tab": tab,
            "can_manage": has_role(request.user, POSITIONING_MANAGERS), **extra}


def _refusal(exc: ValidationError | PermissionDenied) -> str:
    if isinstance(exc, ValidationError):
        return " ".join(exc.messages)
    return str(exc) or _("Your role does not allow this change.")


# Personas -----------------------------------------------------------------------------------


@allow(POSITIONING_READERS)
def personas(request: SignedInRequest, slug: str) -> HttpResponse:
    study = _study(slug)
    return render(request, T + "personas.html", _context(
        request, study, "personas", page=outputs.persona_page(study),
        audience_form=AudienceForm()))


@allow(POSITIONING_MANAGERS)
def persona(request: SignedInRequest, slug: str, segment: int) -> HttpResponse:
    study = _study(slug)
    found = outputs.segments(study).get(segment)
    if found is None:
        raise Http404
    current = outputs.persona_for(study, segment)
    form = PersonaForm(request.POST or None, initial=PersonaForm.initial_for(current),
                       verbatims=found.verbatims)
    if request.method == "POST" and form.is_valid():
        try:
            persona_services.persona_save(user=request.user, study=study, segment=segment,
                                          **form.values())
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Persona saved."))
            return redirect("positioning:personas", slug=study.slug)
    return render(request, T + "persona_form.html", _context(
        request, study, "personas", form=form, segment=found, persona=current))


@allow(POSITIONING_READERS)
def persona_print(request: SignedInRequest, slug: str, segment: int) -> HttpResponse:
    """The persona's card to print, in French and English (one language a page), or in one
    (``?lang=fr|en``); ``?format=pdf`` as a PDF laid out by :mod:`phare.lib.pdf`."""
    study = _study(slug)
    card = outputs.persona_for(study, segment)
    if card is None:
        raise Http404
    wanted = request.GET.get("lang", "")
    languages = [wanted] if wanted in ("fr", "en") else ["fr", "en"]
    pages = []
    for language in languages:
        with override(language):
            pages.append({"language": language, "html": render_to_string(
                T + "_persona_card.html", {"persona": outputs.PersonaText(card),
                                           "study": study})})
    context = {"persona": card, "study": study, "pages": pages}
    name = slugify(card.name) or f"persona-{segment}"
    if request.GET.get("format") == "pdf":
        html = render_to_string(T + "persona_print.html", context, request=request)
        try:
            pdf = html_to_pdf(html, base_url=request.build_absolute_uri("/"))
        except PdfUnavailable:
            messages.error(request, _("PDFs cannot be made on this server (its Pango library "
                                      "is missing): use the printable version."))
            return redirect("positioning:personas", slug=study.slug)
        response = HttpResponse(pdf, content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="{name}.pdf"'
        return response
    return render(request, T + "persona_print.html", context)


@allow(POSITIONING_MANAGERS)
@require_POST
def persona_audience(request: SignedInRequest, slug: str, segment: int) -> HttpResponse:
    study = _study(slug)
    form = AudienceForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for errors in form.errors.values()
                                         for e in errors))
    else:
        try:
            audience = persona_services.persona_audience(
                user=request.user, study=study, segment=segment,
                threshold=form.cleaned_data["threshold"])
        except (ValidationError, PermissionDenied) as exc:
            messages.error(request, _refusal(exc))
        else:
            messages.success(request, _("Audience “%(name)s” saved for the communication "
                                        "plan.") % {"name": audience.name})
    return redirect("positioning:personas", slug=study.slug)


# Statements ---------------------------------------------------------------------------------


@allow(POSITIONING_READERS)
def statements(request: SignedInRequest, slug: str) -> HttpResponse:
    study = _study(slug)
    page = outputs.statement_page(study)
    return render(request, T + "statements.html", _context(
        request, study, "statements", page=page, evidence=outputs.evidence(study)))


@allow(POSITIONING_MANAGERS)
def statement_edit(request: SignedInRequest, slug: str) -> HttpResponse:
    study = _study(slug)
    start = outputs.statement_initial(study)
    form = StatementForm(request.POST or None, initial=StatementForm.initial_for(start))
    if request.method == "POST" and form.is_valid():
        try:
            draft = statement_services.statement_save(user=request.user, study=study,
                                                      **form.values())
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Draft version %(version)d saved.") % {
                "version": draft.version})
            return redirect("positioning:statements", slug=study.slug)
    return render(request, T + "statement_form.html", _context(
        request, study, "statements", form=form, start=start,
        evidence=outputs.evidence(study)))


@allow(POSITIONING_MANAGERS)
@require_POST
def statement_publish(request: SignedInRequest, slug: str, version: int) -> HttpResponse:
    study = _study(slug)
    try:
        found = outputs.statement(study, version)
    except Statement.DoesNotExist:
        raise Http404 from None
    try:
        statement_services.statement_publish(user=request.user, statement=found)
    except ValidationError as exc:
        messages.error(request, _refusal(exc))
    else:
        messages.success(request, _("Version %(version)d is published: it is the promise "
                                    "shown on the catalogue.") % {"version": version})
    return redirect("positioning:statements", slug=study.slug)


@allow(EVERYONE)
def promise(request: SignedInRequest, family: str) -> HttpResponse:
    """The published statement of the family's latest study, as a short block for the
    catalogue's family view; an empty answer (204) when there is none."""
    found = outputs.promise(family[:40])
    if found is None:
        return HttpResponse(status=204)
    return render(request, T + "_promise.html", {"statement": found,
                                                 "parts": outputs.statement_text(found)})


# Benchmarks ---------------------------------------------------------------------------------


@allow(POSITIONING_READERS)
def benchmarks(request: SignedInRequest, slug: str) -> HttpResponse:
    """The study's benchmarks; a manager's POST adds one."""
    study = _study(slug)
    can_manage = has_role(request.user, POSITIONING_MANAGERS)
    if request.method == "POST" and not can_manage:
        raise PermissionDenied
    form = BenchmarkForm(request.POST or None, study=study) if can_manage else None
    if form is not None and request.method == "POST" and form.is_valid():
        try:
            benchmark_services.benchmark_save(user=request.user, study=study, **form.values())
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Benchmark saved."))
            return redirect("positioning:benchmarks", slug=study.slug)
    return render(request, T + "benchmarks.html", _context(
        request, study, "gaps", form=form, benchmarks=outputs.benchmarks(study)))


@allow(POSITIONING_MANAGERS)
def benchmark_edit(request: SignedInRequest, slug: str, pk: int) -> HttpResponse:
    study = _study(slug)
    benchmark = get_object_or_404(Benchmark, pk=pk, study=study)
    form = BenchmarkForm(request.POST or None, study=study,
                         initial=BenchmarkForm.initial_for(benchmark))
    if request.method == "POST" and form.is_valid():
        try:
            benchmark_services.benchmark_save(user=request.user, study=study,
                                              benchmark=benchmark, **form.values())
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Benchmark saved."))
            return redirect("positioning:benchmarks", slug=study.slug)
    return render(request, T + "benchmark_form.html", _context(
        request, study, "gaps", form=form, benchmark=benchmark))


@allow(POSITIONING_MANAGERS)
@require_POST
def benchmark_delete(request: SignedInRequest, slug: str, pk: int) -> HttpResponse:
    study = _study(slug)
    benchmark = get_object_or_404(Benchmark, pk=pk, study=study)
    benchmark_services.benchmark_delete(user=request.user, benchmark=benchmark)
    messages.success(request, _("Benchmark deleted."))
    return redirect("positioning:benchmarks", slug=study.slug)


# Tool groups --------------------------------------------------------------------------------


@allow(POSITIONING_MANAGERS)
def tools(request: SignedInRequest, slug: str) -> HttpResponse:
    study = _study(slug)
    return render(request, T + "tools.html", _context(
        request, study, "shadow", tools=outputs.tools(study)))


def _tool_form(request: SignedInRequest, study: Study, tool: Tool | None) -> HttpResponse:
    initial = ToolForm.initial_for(tool) if tool else {"name": request.GET.get("name", "")[:120]}
    form = ToolForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            saved = tool_services.tool_save(user=request.user, study=study, tool=tool,
                                            **form.values())
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Tool “%(name)s” saved.") % {"name": saved.name})
            return redirect("positioning:tool", slug=study.slug, pk=saved.pk)
    return render(request, T + "tool_form.html", _context(
        request, study, "shadow", form=form, tool=tool, action_form=ToolActionForm()))


@allow(POSITIONING_MANAGERS)
def tool_new(request: SignedInRequest, slug: str) -> HttpResponse:
    return _tool_form(request, _study(slug), None)


@allow(POSITIONING_MANAGERS)
def tool(request: SignedInRequest, slug: str, pk: int) -> HttpResponse:
    study = _study(slug)
    return _tool_form(request, study, get_object_or_404(Tool, pk=pk, study=study))


@allow(POSITIONING_MANAGERS)
@require_POST
def tool_need(request: SignedInRequest, slug: str, pk: int) -> HttpResponse:
    study = _study(slug)
    found = get_object_or_404(Tool, pk=pk, study=study)
    try:
        need = tool_services.tool_need(user=request.user, tool=found)
    except ValidationError as exc:
        messages.error(request, _refusal(exc))
    else:
        messages.success(request, _("Need “%(title)s” proposed.") % {"title": need.title})
    return redirect("positioning:tool", slug=study.slug, pk=found.pk)


@allow(POSITIONING_MANAGERS)
@require_POST
def tool_action(request: SignedInRequest, slug: str, pk: int) -> HttpResponse:
    study = _study(slug)
    found = get_object_or_404(Tool, pk=pk, study=study)
    form = ToolActionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose the communication plan."))
    else:
        try:
            action = tool_services.tool_action(user=request.user, tool=found,
                                               plan=form.cleaned_data["plan"])
        except (ValidationError, PermissionDenied) as exc:
            messages.error(request, _refusal(exc))
        else:
            messages.success(request, _("Action “%(title)s” added to the plan as an idea.") % {
                "title": action.title})
    return redirect("positioning:tool", slug=study.slug, pk=found.pk)
