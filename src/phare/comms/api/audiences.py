"""The communication plan's API: saved audiences and the size of a set of criteria, released
through :mod:`phare.analysis.disclosure` (a size under the minimum group is not given).
"""

from __future__ import annotations

from typing import Any, Literal

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema, Status

from phare.accounts.apiauth import roles
from phare.comms import audiences, queries
from phare.comms.api.common import OPERATION_ID, call
from phare.comms.models import Audience
from phare.comms.policy import COMMS_MANAGERS, COMMS_READERS
from phare.comms.services import plans as services
from phare.lib.api import Refusal

router = Router(tags=["comms"])


# Audiences ----------------------------------------------------------------------------------


class AudienceOut(Schema):
    id: int
    name: str
    description: str
    language: str = Field(description="The language it is written in (fr or en).")
    criteria: dict[str, Any]
    size: int | None = Field(description="People it holds now; null when fewer than "
                                         "min_group (size_hidden) or the criteria name what "
                                         "no longer exists (problem).")
    size_hidden: bool
    min_group: int
    problem: str
    used_by: int = Field(description="Actions that use it.")
    summary: list[str] = Field(description="The criteria in words.")


class AudienceIn(Schema):
    name: str = Field(min_length=1, max_length=200)
    description: str = ""
    language: Literal["fr", "en"] | None = Field(
        None, description="The language it is written in; default: the one you use.")
    criteria: dict[str, Any] = Field(default_factory=dict)


class CriteriaIn(Schema):
    criteria: dict[str, Any] = Field(default_factory=dict)


class SizeOut(Schema):
    size: int | None = Field(description="Null when fewer than min_group (size_hidden).")
    size_hidden: bool
    min_group: int
    summary: list[str]


def _audience_out(row: queries.AudienceRow) -> dict[str, Any]:
    a = row.audience
    return {"id": a.pk, "name": a.name, "description": a.description,
            "language": a.language, "criteria": a.criteria,
            "size": row.size.people, "size_hidden": row.size.hidden,
            "min_group": queries.min_group(), "problem": row.size.problem,
            "used_by": row.used_by, "summary": row.description}


@router.get("/comms/audiences", response=list[AudienceOut], auth=roles(COMMS_READERS),
            operation_id=OPERATION_ID("list_audiences"))
def list_audiences(request: HttpRequest):
    """Every saved audience with its size now."""
    return [_audience_out(row) for row in queries.audience_list()]


@router.post("/comms/audiences", response={201: AudienceOut}, auth=roles(COMMS_MANAGERS),
             operation_id=OPERATION_ID("create_audience"))
def create_audience(request: HttpRequest, payload: AudienceIn):
    """Save an audience; bad criteria answer 422 with ``criteria.<field>`` details."""
    audience = call(services.audience_save, user=request.auth, name=payload.name,  # type: ignore[attr-defined]
                     description=payload.description, criteria=payload.criteria,
                     language=payload.language)
    return Status(201, _audience_out(queries.audience_row(audience)))


@router.post("/comms/audiences/size", response=SizeOut, auth=roles(COMMS_MANAGERS),
             operation_id=OPERATION_ID("audience_size"))
def audience_size(request: HttpRequest, payload: CriteriaIn):
    """How many people these criteria hold now (live feedback while they are edited)."""
    try:
        criteria = audiences.check(payload.criteria)
    except audiences.AudienceInvalid as exc:
        raise Refusal(422, "The criteria are not valid.",
                      [{"field": f"criteria.{f}" if f else "criteria", "reason": str(r)}
                       for f, r in exc.details]) from None
    size = queries.released_size(criteria)
    return {"size": size.people, "size_hidden": size.hidden, "min_group": queries.min_group(),
            "summary": queries.describe(criteria)}


@router.get("/comms/audiences/{audience_id}", response=AudienceOut, auth=roles(COMMS_READERS),
            operation_id=OPERATION_ID("get_audience"))
def get_audience(request: HttpRequest, audience_id: int):
    return _audience_out(queries.audience_row(get_object_or_404(Audience, pk=audience_id)))


