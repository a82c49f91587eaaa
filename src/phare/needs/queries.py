"""Reads of the needs app for pages and endpoints."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeAlias, TypedDict

from django.core.exceptions import ValidationError
from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from phare.directory.models import BusinessUnit, Person
from phare.needs.arbitration import aside_reason, campaign_inputs, outcome_of
from phare.needs.explaining import (
    constraint_label,
    context_for,
    describe,
    plain,
    plain_context,
    working,
)
from phare.needs.models import (
    OPEN_STATUSES,
    Arbitration,
    Campaign,
    Comment,
    Decision,
    Follow,
    Need,
    StatusChange,
    Vote,
)
from phare.needs.scoring import criteria_ensure, figures_of, unit_descendants
from phare.needs.similarity import similar_needs

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations


class VoteCount(TypedDict):
    """What :func:`with_counts` adds to every need (``voted`` too, for a person)."""

    votes_count: int


class Voted(TypedDict):
    """Whether the reader votes for the need, as the API's need answers say."""

    voted: bool


# Only named in annotations (django-stubs-ext is a type checker's package, not Phare's).
CountedNeed: TypeAlias = "WithAnnotations[Need, VoteCount]"
VotedNeed: TypeAlias = "WithAnnotations[Need, Voted]"

SORTS = {"votes": ("-votes_count", "-created_at"), "recent": ("-created_at", "-id"),
         "updated": ("-updated_at", "-id")}


@dataclass(frozen=True)
class NeedFilter:
    q: str = ""
    status: str = ""
    unit: int | None = None
    mine: bool = False
    sort: str = "votes"


def with_counts(needs: QuerySet[Need], person: Person | None = None) -> QuerySet[CountedNeed]:
    """Needs with their vote count and, for ``person``, whether they vote for each."""
    needs = needs.annotate(votes_count=Count("votes", distinct=True))
    if person is not None:
        needs = needs.annotate(voted=Exists(Vote.objects.filter(need=OuterRef("pk"),
                                                                person=person)))
    return needs


def need_list(f: NeedFilter, person: Person | None) -> QuerySet[Need]:
    needs = Need.objects.select_related("business_unit", "submitter")
    if f.q:
        needs = needs.filter(Q(title__icontains=f.q) | Q(description__icontains=f.q))
    # Merged needs live on through the need they were merged into.
    needs = (needs.filter(status=f.status) if f.status
             else needs.exclude(status=Need.Status.MERGED))
    if f.unit:
        needs = needs.filter(business_unit__in=unit_descendants().get(f.unit, {f.unit}))
    if f.mine and person is not None:
        # Subqueries, not joins: a join on votes would also narrow the votes counted below.
        needs = needs.filter(
            Q(submitter=person) | Q(pk__in=Vote.objects.filter(person=person).values("need"))
            | Q(pk__in=Follow.objects.filter(person=person).values("need")))
    return with_counts(needs, person).order_by(*SORTS.get(f.sort, SORTS["votes"]))


def similar_for(title: str, description: str, person: Person | None, *,
                exclude: int | None = None) -> list[tuple[CountedNeed, float]]:
    """The open needs like this text, with their votes, best first."""
    found = similar_needs(title, description, exclude=exclude)
    if not found:
        return []
    needs = with_counts(Need.objects.select_related("business_unit"), person).in_bulk(
        [pk for pk, _score in found])
    return [(needs[pk], score) for pk, score in found if pk in needs]


def published_outcomes(need: Need) -> list[dict[str, Any]]:
    """What each published arbitration decided for this need, and why."""
    decisions = (Decision.objects.filter(campaign__needs=need, published_at__isnull=False)
                 .select_related("campaign", "arbitration").order_by("-published_at"))
    found = []
    for decision in decisions:
        arbitration = decision.arbitration
        outcome = outcome_of(arbitration, need.pk)
        if outcome is not None:
            explanation = outcome["explanation"]
            sentence = plain(explanation, plain_context(
                arbitration.inputs, arbitration.result["chosen"], need.pk, explanation)
            ) if explanation else ""
            found.append({"decision": decision, **outcome, "sentence": sentence})
    return found


def need_page(need: Need, person: Person | None) -> dict[str, Any]:
    """Everything the page of a need shows."""
    return {
        "need": need,
        "history": StatusChange.objects.filter(need=need).select_related("by", "by__person",
                                                                         "campaign"),
        "comments": Comment.objects.filter(need=need).select_related("author"),
        "votes_count": Vote.objects.filter(need=need).count(),
        "followers_count": Follow.objects.filter(need=need).count(),
        "voted": person is not None and Vote.objects.filter(need=need, person=person).exists(),
        "following": person is not None and Follow.objects.filter(need=need,
                                                                  person=person).exists(),
        "duplicates": Need.objects.filter(merged_into=need).order_by("pk"),
        "outcomes": published_outcomes(need),
        "services": need.services.all(),
        "concerned_units": need.concerned_units.all(),
    }


def figures_for(need: Need) -> Any:
    return figures_of([need])[need.pk]


def score_rows(need: Need) -> list[dict[str, Any]]:
    """The need's value on each criterion, named, with where it came from."""
    figures = figures_for(need)
    return [{"name": c.name, "value": figures.values.get(c.code),
             "source": figures.sources.get(c.code, "")} for c in criteria_ensure()]


def campaign_need_choices(campaign: Campaign | None) -> list[tuple[int, str]]:
    """The needs a campaign may hold: the open ones, and those it already holds."""
    current = set(campaign.needs.values_list("pk", flat=True)) if campaign else set()
    needs = Need.objects.filter(status__in=OPEN_STATUSES) | Need.objects.filter(pk__in=current)
    return [(n.pk, f"#{n.pk} {n.title} — {n.get_status_display()}")
            for n in needs.order_by("-created_at")]


def result_rows(arbitration: Arbitration) -> dict[str, Any]:
    """An arbitration's result as the pages show it: needs taken and left out, with their
    figures and explanation, the use of each constraint, the needs set aside."""
    inputs, result = arbitration.inputs, arbitration.result
    chosen, greedy = set(result["chosen"]), set(result["greedy"]["chosen"])
    explanations = arbitration.explanations or {}
    unit_names = dict(BusinessUnit.objects.filter(
        code__in={n["unit"] for n in inputs["needs"]}).values_list("code", "name"))
    taken: list[dict[str, Any]] = []
    left: list[dict[str, Any]] = []
    for need in inputs["needs"]:
        explanation = explanations.get(str(need["id"]))
        row = {**need, "chosen": need["id"] in chosen, "greedy": need["id"] in greedy,
               "mandatory": need["id"] in inputs["mandatory"],
               "working": working(need, inputs),
               "unit_name": unit_names.get(need["unit"], need["unit"]),
               "explanation": describe(explanation, context_for(inputs, explanation))
               if explanation else "",
               "plain": plain(explanation, plain_context(inputs, chosen, need["id"],
                                                         explanation)) if explanation else ""}
        (taken if row["chosen"] else left).append(row)
    taken.sort(key=lambda r: -r["value"])
    left.sort(key=lambda r: -r["value"])
    usage = [{"label": constraint_label(c), "capacity": c["capacity"],
              "used": result["used"][c["key"]], "slack": result["slack"][c["key"]],
              "percent": 100 * result["used"][c["key"]] / c["capacity"] if c["capacity"] else None}
             for c in inputs["constraints"]]
    titles = {n["id"]: n["title"] for n in inputs["needs"] + inputs["aside"]}
    aside = [{**entry, "why": aside_reason(entry, titles)} for entry in inputs["aside"]]
    # The language each need was written in, to mark a title for readers of the other.
    languages = dict(Need.objects.filter(pk__in=list(titles)).values_list("pk", "language"))
    for row in [*taken, *left, *aside]:
        row["language"] = languages.get(row["id"], "fr")
    return {"arbitration": arbitration, "taken": taken, "left": left, "usage": usage,
            "aside": aside, "result": result, "inputs": inputs}


def campaign_preview_rows(campaign: Campaign) -> dict[str, Any]:
    """:func:`campaign_preview` with the needs taking part by value, each with its working."""
    preview = campaign_preview(campaign)
    inputs = preview["inputs"]
    if inputs:
        names = dict(BusinessUnit.objects.filter(
            code__in={n["unit"] for n in inputs["needs"]}).values_list("code", "name"))
        preview["rows"] = sorted(({**n, "working": working(n, inputs),
                                   "unit_name": names.get(n["unit"], n["unit"])}
                                  for n in inputs["needs"]), key=lambda n: -n["value"])
    return preview


def campaigns_list() -> QuerySet[Campaign]:
    return (Campaign.objects.annotate(needs_count=Count("needs", distinct=True))
            .select_related("decision").order_by("-created_at", "-id"))


def campaign_preview(campaign: Campaign) -> dict[str, Any]:
    """The campaign's needs as the next run would see them, or why it cannot run."""
    try:
        inputs = campaign_inputs(campaign)
    except ValidationError as exc:
        return {"error": " ".join(exc.messages), "inputs": None}
    titles = {n["id"]: n["title"] for n in inputs["needs"] + inputs["aside"]}
    for entry in inputs["aside"]:
        entry["why"] = aside_reason(entry, titles)
    return {"error": "", "inputs": inputs}


def latest_arbitration(campaign: Campaign) -> Arbitration | None:
    return campaign.arbitrations.select_related("job", "created_by").first()


def published_decisions() -> QuerySet[Decision]:
    return (Decision.objects.filter(published_at__isnull=False)
            .select_related("campaign").order_by("-published_at"))


#: Needs whose status already tells their submitter something (past new and qualified).
ANSWERED_STATUSES = frozenset({Need.Status.UNDER_STUDY, Need.Status.PLANNED,
                               Need.Status.IN_PROGRESS, Need.Status.DELIVERED})


def answered_needs(*, campaign: Campaign | None = None, since: dt.date | None = None,
                   until: dt.date | None = None) -> tuple[int, int]:
    """(needs, answered): the needs of ``campaign``, or those submitted from ``since`` to
    ``until``, and how many got an answer (the communication plan's objective and the
    insights' headline share one count).

    A need is *answered* when its submitter has been told something about it: its status went
    past new and qualified (under study, planned, in progress, delivered — qualified only
    says the IT department read it), or it was declined with a reason, or an arbitration
    campaign holding it published its decision (everyone who raised or voted for a need of
    the campaign was told what was retained, what was not, and why). A merged need is not
    counted: it lives on through the need it was merged into."""
    needs = Need.objects.exclude(status=Need.Status.MERGED)
    if campaign is not None:
        needs = needs.filter(campaigns=campaign)
    else:
        if since is not None:
            needs = needs.filter(created_at__date__gte=since)
        if until is not None:
            needs = needs.filter(created_at__date__lte=until)
    declined_with_reason = Q(status=Need.Status.DECLINED) & Exists(
        StatusChange.objects.filter(need=OuterRef("pk"), to_status=Need.Status.DECLINED)
        .exclude(reason=""))
    published = Q(pk__in=Campaign.objects.filter(decision__published_at__isnull=False)
                  .values("needs"))
    answered = needs.filter(Q(status__in=ANSWERED_STATUSES) | declined_with_reason | published)
    return needs.count(), answered.count()
