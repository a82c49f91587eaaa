"""Account endpoints: who am I, and my personal API tokens."""

from __future__ import annotations

from datetime import datetime

from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema, Status

from phare.accounts.apiauth import roles
from phare.accounts.roles import EVERYONE
from phare.accounts.services import token_create, token_revoke

router = Router(tags=["accounts"])


class MeOut(Schema):
    username: str
    role: str
    display_name: str
    employee_id: str | None
    language: str | None

    @staticmethod
    def resolve_employee_id(obj) -> str | None:
        return obj.person.employee_id if obj.person_id else None

    @staticmethod
    def resolve_language(obj) -> str | None:
        return obj.preferred_language


class TokenIn(Schema):
    name: str = Field(min_length=1, max_length=100)


class TokenOut(Schema):
    id: int
    name: str
    prefix: str
    created_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None
    expires_at: datetime


class NewTokenOut(TokenOut):
    token: str = Field(description="The token itself, shown only once.")


@router.get("/me", response=MeOut, auth=roles(EVERYONE))
def me(request):
    return request.auth


@router.get("/tokens", response=list[TokenOut], auth=roles(EVERYONE))
def list_tokens(request):
    return request.auth.api_tokens.all()


# A stolen token must not be able to mint fresh ones that outlive its revocation.
@router.post("/tokens", response={201: NewTokenOut}, auth=roles(EVERYONE, token_refusal=(
    "An API token cannot create tokens: sign in to Phare and create it on the 'API tokens' "
    "page, or call this endpoint from a signed-in browser session.")))
def create_token(request, payload: TokenIn):
    token, raw = token_create(user=request.auth, name=payload.name)
    return Status(201, {**TokenOut.from_orm(token).dict(), "token": raw})


@router.delete("/tokens/{token_id}", response=TokenOut, auth=roles(EVERYONE))
def revoke_token(request, token_id: int):
    return token_revoke(token=get_object_or_404(request.auth.api_tokens, pk=token_id))
