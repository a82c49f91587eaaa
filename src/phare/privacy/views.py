"""The privacy pages: a person picked, what Phare holds about them, their archive, their
erasure (confirmed by typing their employee id), and the last retention run."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from phare.accounts.policy import SignedInRequest, allow
from phare.privacy.forms import EraseForm, PersonForm
from phare.privacy.policy import MANAGERS
from phare.privacy.queries import held, last_retention_run
from phare.privacy.services.access import access_archive
from phare.privacy.services.erasure import ErasureRefused, erase, is_erased
from phare.privacy.services.retention import periods


@allow(MANAGERS)
def home(request: SignedInRequest) -> HttpResponse:
    form = PersonForm(request.GET or None)
    person = form.cleaned_data["person"] if form.is_valid() else None
    return render(request, "privacy/home.html", {
        "form": form, "person": person, "held": held(person) if person else [],
        "erased": person is not None and is_erased(person),
        "run": last_retention_run(), "periods": periods()})


@allow(MANAGERS)
def export(request: SignedInRequest) -> HttpResponse | HttpResponseRedirect:
    form = PersonForm(request.GET or None)
    if not form.is_valid():
        return redirect("privacy:home")
    person = form.cleaned_data["person"]
    content = access_archive(person, actor=request.user)
    response = HttpResponse(content, content_type="application/zip")
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = (
        f'attachment; filename="phare-personal-data-{person.pk}-{stamp}.zip"')
    return response


@allow(MANAGERS)
def erasure(request: SignedInRequest) -> HttpResponse | HttpResponseRedirect:
    if request.method == "POST":
        form = EraseForm(request.POST)
        if form.is_valid():
            try:
                erase(form.cleaned_data["person"], actor=request.user)
            except ErasureRefused as refused:
                messages.error(request, str(refused))
            else:
                messages.success(request, _("The person was erased."))
            return redirect("privacy:home")
        person = form.cleaned_data.get("person")
    else:
        picked = PersonForm(request.GET or None)
        person = picked.cleaned_data["person"] if picked.is_valid() else None
        form = EraseForm(initial={"person": person.employee_id if person else ""})
    if person is None:
        return redirect("privacy:home")
    return render(request, "privacy/erase.html", {
        "form": form, "person": person, "erased": is_erased(person), "held": held(person)})
