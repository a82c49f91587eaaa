"""The needs API: needs, votes, statuses and arbitration campaigns, under the pages' rules."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Literal, cast

from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema, Status
from ninja.errors import HttpError
from ninja.pagination import paginate

from phare.accounts.apiauth import roles
from phare.accounts.roles import EVERYONE, NEEDS_MANAGERS
from phare.catalog import access
from phare.directory.models import BusinessUnit
from phare.lib.api import ErrorOut, Id, Pagination, Refusal
from phare.needs import queries, services
from phare.needs.explaining import context_for, describe
from phare.needs.models import Arbitration, Campaign, Need, StatusChange, Vote

if TYPE_CHECKING:
    from phare.needs.queries import VotedNeed

router = Router(tags=["needs"])


class NeedOut(Schema):
    id: int
    title: str
    description: str
    language: str = Field(description="The language it is written in (fr or en).")
    expected_benefit: str
    urgency: str
    business_unit: str
    concerned_units: list[str]
    services: list[str]
    status: str
    submitter: str | None = Field(description="The submitter's employee id.")
    merged_into: int | None
    votes: int
    created_at: datetime
    updated_at: datetime

    @staticmethod
    def resolve_business_unit(obj: Need) -> str:
        return obj.business_unit.code

    @staticmethod
    def resolve_concerned_units(obj: Need) -> list[str]:
        return sorted(u.code for u in obj.concerned_units.all())

    @staticmethod
    def resolve_services(obj: Need) -> list[str]:
        return sorted(s.slug for s in obj.services.all())

    @staticmethod
    def resolve_submitter(obj: Need) -> str | None:
        return obj.submitter.employee_id if obj.submitter is not None else None

    @staticmethod
    def resolve_merged_into(obj: Need) -> int | None:
        return obj.merged_into_id

    @staticmethod
    def resolve_votes(obj: Need) -> int:
        counted = getattr(obj, "votes_count", None)
        return counted if counted is not None else obj.votes.count()


class StatusChangeOut(Schema):
    from_status: str
    to_status: str
    reason: str
    at: datetime
    campaign: int | None

    @staticmethod
    def resolve_campaign(obj: StatusChange) -> int | None:
        return obj.campaign_id


class NeedDetail(NeedOut):
    history: list[StatusChangeOut]
    voted: bool = Field(description="Whether you vote for it.")

    @staticmethod
    def resolve_history(obj: Need) -> list[StatusChange]:
        return list(obj.history.all())


class NeedIn(Schema):
    title: str = Field(..., min_length=1, max_length=200)
    description: str = Field(..., min_length=1)
    expected_benefit: str = ""
    urgency: Need.Urgency = Need.Urgency.MEDIUM
    business_unit: str | None = Field(None, description="Unit code; default: yours.")
    concerned_units: list[str] = []
    services: list[str] = Field([], description="Catalogue service identifiers (slugs).")
    language: Literal["fr", "en"] | None = Field(
        None, description="The language it is written in; default: the one you use.")


class VoteOut(Schema):
    need: int
    votes: int
    voted: bool


class StatusIn(Schema):
    to: Need.Status
    reason: str = Field("", max_length=4000)


class MergeIn(Schema):
    into: Id
    reason: str = Field("", max_length=4000)


class SimilarOut(Schema):
    id: int
    title: str
    status: str
    votes: int
    similarity: float


class CampaignOut(Schema):
    id: int
    name: str = Field(description="The name in the reader's language (French when it has no "
                                  "English name).")
    name_fr: str
    name_en: str
    description: str
    status: str
    method: str
    budget_one_off: float
    budget_recurring: float
    vote_cap: int | None
    needs: list[int]
    capacities: dict[str, float] = Field(description="Team code → person-days.")
    created_at: datetime

    @staticmethod
    def resolve_needs(obj: Campaign) -> list[int]:
        return sorted(n.pk for n in obj.needs.all())

    @staticmethod
    def resolve_capacities(obj: Campaign) -> dict[str, float]:
        return {c.team.code: float(c.days) for c in obj.capacities.select_related("team")}


class DecisionOut(Schema):
    arbitration: int
    reason: str
    decided_at: datetime
    published_at: datetime | None


class CampaignDetail(CampaignOut):
    rules: list[dict[str, Any]]
    min_shares: dict[str, float] = Field(description="Top-level unit code → minimum share (%).")
    decision: DecisionOut | None
    arbitrations: list[int]

    @staticmethod
    def resolve_rules(obj: Campaign) -> list[dict[str, Any]]:
        return [{"kind": r.kind, "need": r.need_id, "other": r.other_id} for r in obj.rules.all()]

    @staticmethod
    def resolve_min_shares(obj: Campaign) -> dict[str, float]:
        return {s.unit.code: float(s.percent) for s in obj.shares.select_related("unit")}

    @staticmethod
    def resolve_decision(obj: Campaign) -> dict[str, Any] | None:
        decision = getattr(obj, "decision", None)
        if decision is None:
            return None
        return {"arbitration": decision.arbitration.number, "reason": decision.reason,
                "decided_at": decision.decided_at, "published_at": decision.published_at}

    @staticmethod
    def resolve_arbitrations(obj: Campaign) -> list[int]:
        return sorted(a.number for a in obj.arbitrations.all())


class ArbitrationOut(Schema):
    number: int
    created_at: datetime
    method: str = Field(description="The scoring method the values come from.")
    result: dict[str, Any] = Field(description="chosen (need ids), value, optimal, gap, used, "
                                               "slack, greedy, greedy_ratio.")
    needs: list[dict[str, Any]] = Field(description="Each need's figures and value.")
    aside: list[dict[str, Any]]
    explained: bool
    explanations: dict[str, dict[str, Any]] = Field(description="Need id → explanation data.")
    sentences: dict[str, str] = Field(description="Need id → the explanation in words.")
    curve: dict[str, Any] | None

    @staticmethod
    def resolve_method(obj: Arbitration) -> str:
        return obj.inputs["method"]

    @staticmethod
    def resolve_needs(obj: Arbitration) -> list[dict[str, Any]]:
        return obj.inputs["needs"]

    @staticmethod
    def resolve_aside(obj: Arbitration) -> list[dict[str, Any]]:
        return obj.inputs["aside"]

    @staticmethod
    def resolve_explained(obj: Arbitration) -> bool:
        return obj.explained_at is not None

    @staticmethod
    def resolve_sentences(obj: Arbitration) -> dict[str, str]:
        return {key: describe(value, context_for(obj.inputs, value))
                for key, value in (obj.explanations or {}).items()}


def _refuse(exc: ValidationError, status: int = 422) -> HttpError:
    return Refusal(status, " ".join(exc.messages),
                   [{"field": k, "reason": " ".join(v)} for k, v in exc.message_dict.items()]
                   if hasattr(exc, "error_dict") else [])


def _with_vote(need: Need, voted: bool) -> VotedNeed:
    """The need as :class:`NeedDetail` reads it: with whether the caller votes for it."""
    answer = cast("VotedNeed", need)  # typed with ``voted`` already: set on the next line
    answer.voted = voted
    return answer


def _person(request) -> Any:
    user = request.auth
    if not user.person_id:
        raise HttpError(409, "Your account is not linked to a person of the directory.")
    return user.person


def _need(need_id: int) -> Need:
    return get_object_or_404(Need.objects.select_related("business_unit", "submitter"),
                             pk=need_id)


@router.get("/needs", response=list[NeedOut], auth=roles(EVERYONE))
@paginate(Pagination)
def list_needs(request, q: str = "", status: str = "", unit: str = "", mine: bool = False,
               sort: str = "votes"):
    """Needs and ideas, most voted first (``sort``: votes, recent, updated); ``unit`` includes
    its sub-units; merged needs only with ``status=merged``."""
    unit_id = BusinessUnit.objects.filter(code=unit).values_list("pk", flat=True).first()
    if unit and unit_id is None:
        return Need.objects.none()
    person = request.auth.person if request.auth.person_id else None
    f = queries.NeedFilter(q=q, status=status, unit=unit_id, mine=mine, sort=sort)
    return queries.need_list(f, person).prefetch_related("concerned_units", "services")


@router.post("/needs", response={201: NeedDetail, 409: ErrorOut}, auth=roles(EVERYONE))
def create_need(request, payload: NeedIn):
    """Raise a need; you follow it from then on."""
    person = _person(request)
    code = payload.business_unit
    unit = (BusinessUnit.objects.filter(code=code).first() if code
            else person.business_unit)
    details = []
    if unit is None:
        details.append({"field": "business_unit",
                        "reason": f"No business unit has code {code!r}." if code
                        else "You belong to no business unit: give one."})
    units = list(BusinessUnit.objects.filter(code__in=payload.concerned_units))
    if len(units) != len(set(payload.concerned_units)):
        known = {u.code for u in units}
        details += [{"field": "concerned_units", "reason": f"No business unit has code {c!r}."}
                    for c in payload.concerned_units if c not in known]
    visible = list(access.services_visible_to(request.auth).filter(slug__in=payload.services))
    if len(visible) != len(set(payload.services)):
        known = {s.slug for s in visible}
        details += [{"field": "services", "reason": f"No service {s!r} is visible to you."}
                    for s in payload.services if s not in known]
    if details or unit is None:  # no unit is among the details
        raise Refusal(422, "The need is not valid.", details)
    try:
        need = services.need_submit(person=person, user=request.auth, title=payload.title,
                                    description=payload.description, business_unit=unit,
                                    concerned_units=units, services=visible,
                                    expected_benefit=payload.expected_benefit,
                                    urgency=payload.urgency, language=payload.language)
    except ValidationError as exc:
        raise _refuse(exc) from None
    return Status(201, _with_vote(need, False))


@router.get("/needs/similar", response=list[SimilarOut], auth=roles(EVERYONE))
def similar(request, title: str = "", description: str = ""):
    """Open needs like this text (French or English), best first: vote instead of raising
    a duplicate."""
    found = queries.similar_for(title[:200], description[:4000], None)
    return [{"id": n.pk, "title": n.title, "status": n.status, "votes": n.votes_count,
             "similarity": score} for n, score in found]


@router.get("/needs/{need_id}", response=NeedDetail, auth=roles(EVERYONE))
def get_need(request, need_id: int):
    need = _need(need_id)
    return _with_vote(need, bool(request.auth.person_id) and Vote.objects.filter(
        need=need, person_id=request.auth.person_id).exists())


@router.get("/needs/{need_id}/history", response=list[StatusChangeOut], auth=roles(EVERYONE))
def need_history(request, need_id: int):
    """Every status the need went through, with the reasons."""
    return list(_need(need_id).history.all())


def _vote_state(need: Need, person: Any) -> dict[str, Any]:
    return {"need": need.pk, "votes": Vote.objects.filter(need=need).count(),
            "voted": Vote.objects.filter(need=need, person=person).exists()}


@router.post("/needs/{need_id}/votes", response={201: VoteOut, 409: ErrorOut},
             auth=roles(EVERYONE))
def vote(request, need_id: int):
    """Vote for a need (once; campaigns may cap your votes). 409 with the reason otherwise."""
    need, person = _need(need_id), _person(request)
    try:
        services.vote_cast(person=person, need=need)
    except ValidationError as exc:
        raise _refuse(exc, 409) from None
    return Status(201, _vote_state(need, person))


@router.delete("/needs/{need_id}/votes", response={200: VoteOut, 409: ErrorOut},
               auth=roles(EVERYONE))
def withdraw_vote(request, need_id: int):
    """Withdraw your vote (nothing happens if you had none)."""
    need, person = _need(need_id), _person(request)
    services.vote_withdraw(person=person, need=need)
    return _vote_state(need, person)


@router.post("/needs/{need_id}/status", response=StatusChangeOut, auth=roles(NEEDS_MANAGERS))
def change_status(request, need_id: int, payload: StatusIn):
    """Move a need along its workflow; declining needs a reason. Followers are told."""
    try:
        return services.need_set_status(user=request.auth, need=_need(need_id), to=payload.to,
                                        reason=payload.reason)
    except ValidationError as exc:
        raise _refuse(exc) from None


@router.post("/needs/{need_id}/merge", response=NeedDetail, auth=roles(NEEDS_MANAGERS))
def merge(request, need_id: int, payload: MergeIn):
    """Merge this need into ``into``; votes and followers are carried over."""
    duplicate, into = _need(need_id), _need(payload.into)
    try:
        merged = services.need_merge(user=request.auth, duplicate=duplicate, into=into,
                                     reason=payload.reason)
    except ValidationError as exc:
        raise _refuse(exc) from None
    return _with_vote(merged, bool(request.auth.person_id) and Vote.objects.filter(
        need=merged, person_id=request.auth.person_id).exists())


def _campaigns():
    return Campaign.objects.prefetch_related("needs", "rules", "arbitrations").select_related(
        "decision", "decision__arbitration")


@router.get("/need-campaigns", response=list[CampaignOut], auth=roles(NEEDS_MANAGERS))
@paginate(Pagination)
def list_campaigns(request, status: str = ""):
    campaigns = _campaigns()
    return campaigns.filter(status=status) if status else campaigns


@router.get("/need-campaigns/{campaign_id}", response=CampaignDetail,
            auth=roles(NEEDS_MANAGERS))
def get_campaign(request, campaign_id: int):
    return get_object_or_404(_campaigns(), pk=campaign_id)


@router.post("/need-campaigns/{campaign_id}/arbitrations",
             response={201: ArbitrationOut, 409: ErrorOut},
             auth=roles(NEEDS_MANAGERS))
def run_arbitration(request, campaign_id: int):
    """Choose the best selection now; explanations and the budget curve follow in a
    background job (``explained`` turns true)."""
    campaign = get_object_or_404(Campaign, pk=campaign_id)
    try:
        return Status(201, services.arbitration_run(user=request.auth, campaign=campaign))
    except ValidationError as exc:
        raise _refuse(exc, 409) from None


@router.get("/need-campaigns/{campaign_id}/arbitrations/{number}", response=ArbitrationOut,
            auth=roles(NEEDS_MANAGERS))
def get_arbitration(request, campaign_id: int, number: int):
    return get_object_or_404(Arbitration, campaign_id=campaign_id, number=number)



class CampaignIn(Schema):
    name: str = Field(min_length=1, max_length=200, description="The name in French.")
    name_en: str = Field("", max_length=200,
                         description="The name in English (empty: the French name is shown).")
    description: str = ""
    method: str = Field("weighted", description="weighted, rice or wsjf.")
    budget_one_off: float = Field(ge=0, description="One-off budget (k€).")
    budget_recurring: float = Field(ge=0, description="Recurring budget (k€ a year).")
    vote_cap: int | None = Field(None, ge=1, description="Votes per person on its needs.")
    needs: list[Id] = Field(default_factory=list, description="Ids of open needs.")
    capacities: dict[str, float | None] = Field(
        default_factory=dict, description="Delivery team code → person-days (null: no limit).")


def _campaign_save(request, payload: CampaignIn, campaign: Campaign | None) -> Campaign:
    found = Need.objects.in_bulk(payload.needs)
    missing = [n for n in payload.needs if n not in found]
    if missing:
        raise Refusal(422, "Unknown needs.",
                      [{"field": "needs", "reason": f"no need {n}"} for n in missing])
    try:
        return services.campaign_save(
            user=request.auth, campaign=campaign, name=payload.name, name_en=payload.name_en,
            description=payload.description, method=payload.method,
            budget_one_off=Decimal(str(payload.budget_one_off)),
            budget_recurring=Decimal(str(payload.budget_recurring)),
            vote_cap=payload.vote_cap, needs=[found[n] for n in payload.needs],
            capacities={code: None if days is None else Decimal(str(days))
                        for code, days in payload.capacities.items()})
    except ValidationError as exc:
        raise _refuse(exc) from None


@router.post("/need-campaigns", response={201: CampaignDetail}, auth=roles(NEEDS_MANAGERS))
def create_campaign(request, payload: CampaignIn):
    """An arbitration campaign: its needs, budgets and team capacities."""
    campaign = _campaign_save(request, payload, None)
    return Status(201, get_object_or_404(_campaigns(), pk=campaign.pk))


@router.put("/need-campaigns/{campaign_id}", response={200: CampaignDetail, 409: ErrorOut},
            auth=roles(NEEDS_MANAGERS))
def update_campaign(request, campaign_id: int, payload: CampaignIn):
    """Replace an open campaign's settings and needs (a decided one cannot change: 409)."""
    campaign = get_object_or_404(Campaign, pk=campaign_id)
    if campaign.status != Campaign.Status.OPEN:
        raise HttpError(409, "This campaign is already decided.")
    _campaign_save(request, payload, campaign)
    return get_object_or_404(_campaigns(), pk=campaign_id)


class DecisionIn(Schema):
    arbitration: Id = Field(description="The number of the arbitration decided on.")
    reason: str = Field(min_length=1, description="Why: sent to every submitter and voter.")


@router.post("/need-campaigns/{campaign_id}/decision",
             response={201: CampaignDetail, 409: ErrorOut},
             auth=roles(NEEDS_MANAGERS))
def decide(request, campaign_id: int, payload: DecisionIn):
    """Record the decision on one of the campaign's arbitrations (immutable afterwards)."""
    campaign = get_object_or_404(Campaign, pk=campaign_id)
    arbitration = get_object_or_404(Arbitration, campaign=campaign, number=payload.arbitration)
    try:
        services.decision_record(user=request.auth, campaign=campaign, arbitration=arbitration,
                            reason=payload.reason)
    except ValidationError as exc:
        raise _refuse(exc, 409 if getattr(exc, "code", "") == "decided" else 422) from None
    return Status(201, get_object_or_404(_campaigns(), pk=campaign_id))


class PublishOut(Schema):
    notifications: int = Field(description="Emails queued to submitters and voters.")


@router.post("/need-campaigns/{campaign_id}/publish", response={200: PublishOut, 409: ErrorOut},
             auth=roles(NEEDS_MANAGERS))
def publish(request, campaign_id: int):
    """Publish the decision: each submitter and voter is told what was decided and why (the
    emails leave at once)."""
    campaign = get_object_or_404(Campaign, pk=campaign_id)
    try:
        queued = services.decision_publish(user=request.auth, campaign=campaign)
    except ValidationError as exc:
        raise _refuse(exc, 409) from None
    return {"notifications": queued}
