"""Pages every employee uses: the list of needs, submitting one, a need's page, votes,
following, comments, and the published decisions ("you said, we did")."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from phare.accounts.policy import SignedInRequest, allow, has_role
from phare.accounts.roles import EVERYONE, NEEDS_MANAGERS
from phare.directory.models import Person
from phare.lib.http import on_this_site
from phare.needs import queries, services
from phare.needs.forms import CommentForm, FilterForm, MergeForm, NeedForm, StatusForm
from phare.needs.models import Campaign, Decision, Need
from phare.needs.policy import need_actions

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

PAGE_SIZE = 30


def person_of(request: SignedInRequest) -> Person | None:
    return request.user.person if request.user.person_id else None


def _no_person(request: SignedInRequest) -> HttpResponse:
    messages.error(request, _("Your account is not linked to a person of the directory: ask an "
                              "administrator to link it before you raise or vote for needs."))
    return redirect("needs:list")


def _back(request: SignedInRequest, need: Need) -> HttpResponse:
    if target := on_this_site(request, request.POST.get("next")):
        return redirect(target)
    return redirect("needs:detail", pk=need.pk)


@allow(EVERYONE)
def need_list(request: SignedInRequest) -> HttpResponse:
    form = FilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    f = queries.NeedFilter(q=data.get("q") or "", status=data.get("status") or "",
                           unit=data.get("unit"), mine=bool(data.get("mine")),
                           sort=data.get("sort") or "votes")
    person = person_of(request)
    page = Paginator(queries.need_list(f, person), PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"form": form, "page": page, "decisions": queries.published_decisions()[:3]}
    template = "needs/_list_results.html" if request.htmx else "needs/list.html"
    return render(request, template, context)


@allow(EVERYONE)
def need_new(request: SignedInRequest) -> HttpResponse:
    person = person_of(request)
    if person is None:
        return _no_person(request)
    # The portal's search offers to propose a need with the words that found no service.
    initial = {"business_unit": person.business_unit_id,
               "title": request.GET.get("title", "")[:200]}
    form = NeedForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            need = services.need_submit(person=person, user=request.user, **form.objects())
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, _("Thank you: your need is recorded. You will hear by "
                                        "email when its status changes."))
            return redirect("needs:detail", pk=need.pk)
    return render(request, "needs/new.html", {"form": form})


@allow(EVERYONE)
def need_similar(request: SignedInRequest) -> HttpResponse:
    """The htmx fragment of similar needs, while a need is typed (or for a need's page)."""
    title = request.GET.get("title", "")[:200]
    description = request.GET.get("description", "")[:4000]
    exclude = request.GET.get("exclude")
    similar = queries.similar_for(title, description, person_of(request),
                                  exclude=int(exclude) if exclude and exclude.isdigit() else None)
    return render(request, "needs/_similar.html",
                  {"similar": similar, "next": request.GET.get("next", "")})


def _transitions(need: Need) -> list[tuple[str, StrOrPromise]]:
    return [(code, Need.Status(code).label) for code in Need.Status.values
            if code in services.TRANSITIONS.get(need.status, ())]


@allow(EVERYONE)
def need_detail(request: SignedInRequest, pk: int) -> HttpResponse:
    need = get_object_or_404(Need.objects.select_related("business_unit", "submitter",
                                                         "merged_into"), pk=pk)
    return need_page(request, need)


def need_page(request: SignedInRequest, need: Need, **sent_back: forms.Form) -> HttpResponse:
    """The need's page; ``sent_back`` are its forms posted with errors (``comment_form``,
    ``status_form``, ``merge_form``), shown with their error summary instead of empty ones."""
    person = person_of(request)
    context = queries.need_page(need, person)
    context["actions"] = need_actions(need, person.pk if person is not None else None)
    context["raised_by_reader"] = person is not None and need.submitter_id == person.pk
    context["comment_form"] = sent_back.get("comment_form") or CommentForm()
    if has_role(request.user, NEEDS_MANAGERS):
        context["manager"] = True
        context["status_form"] = (sent_back.get("status_form")
                                  or StatusForm(transitions=_transitions(need)))
        context["merge_form"] = sent_back.get("merge_form") or MergeForm()
        context["merge_candidates"] = queries.similar_for(need.title, need.description, person,
                                                          exclude=need.pk)
        context["score_rows"] = queries.score_rows(need)
    return render(request, "needs/detail.html", context)


def _posted_need(request: SignedInRequest, pk: int) -> Need | HttpResponse:
    need = get_object_or_404(Need, pk=pk)
    if request.method != "POST":
        # A bookmarked or reloaded action address shows the need instead of an error.
        return redirect("needs:detail", pk=need.pk)
    return need


@allow(EVERYONE)
def need_vote(request: SignedInRequest, pk: int) -> HttpResponse:
    need = _posted_need(request, pk)
    if isinstance(need, HttpResponse):
        return need
    person = person_of(request)
    if person is None:
        return _no_person(request)
    error = ""
    try:
        if request.POST.get("action") == "withdraw":
            services.vote_withdraw(person=person, need=need)
        else:
            services.vote_cast(person=person, need=need)
    except ValidationError as exc:
        error = " ".join(exc.messages)
    if request.htmx:
        counted = queries.with_counts(Need.objects.filter(pk=need.pk), person).get()
        return render(request, "needs/_vote.html", {"need": counted, "error": error,
                                                     "compact": request.POST.get("compact")})
    if error:
        messages.error(request, error)
    return _back(request, need)


@allow(EVERYONE)
def need_follow(request: SignedInRequest, pk: int) -> HttpResponse:
    need = _posted_need(request, pk)
    if isinstance(need, HttpResponse):
        return need
    person = person_of(request)
    if person is None:
        return _no_person(request)
    following = services.follow_set(person=person, need=need,
                                    follow=request.POST.get("action") != "unfollow")
    messages.success(request, _("You follow this need: its news will reach you by email.")
                     if following else _("You no longer follow this need."))
    return _back(request, need)


@allow(EVERYONE)
def need_comment(request: SignedInRequest, pk: int) -> HttpResponse:
    need = _posted_need(request, pk)
    if isinstance(need, HttpResponse):
        return need
    person = person_of(request)
    if person is None:
        return _no_person(request)
    form = CommentForm(request.POST)
    if form.is_valid():
        try:
            services.comment_add(person=person, need=need, text=form.cleaned_data["text"])
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Comment added."))
    else:
        return need_page(request, need, comment_form=form)
    return redirect(f"{need.get_absolute_url()}#comments")


@allow(EVERYONE)
def decision_page(request: SignedInRequest, pk: int) -> HttpResponse:
    """A published arbitration, for everyone: what was chosen, what was not, and why."""
    decision = get_object_or_404(Decision.objects.select_related("campaign", "arbitration"),
                                 campaign_id=pk)
    if decision.published_at is None or decision.campaign.status != Campaign.Status.PUBLISHED:
        raise Http404
    rows = queries.result_rows(decision.arbitration)
    return render(request, "needs/decision.html", {"decision": decision, **rows})
