"""The communication plan's API: the Teams and Slack channels (incoming webhooks) actions post
to; an address is a secret, answered masked only.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema, Status

from phare.accounts.apiauth import roles
from phare.comms import queries
from phare.comms.api.common import OPERATION_ID, call
from phare.comms.models import Webhook
from phare.comms.policy import COMMS_MANAGERS
from phare.comms.services import plans as services
from phare.lib.api import ErrorOut

router = Router(tags=["comms"])


# Teams and Slack channels -------------------------------------------------------------------


class WebhookOut(Schema):
    id: int
    name: str
    kind: str
    address: str = Field(description="The address masked: its scheme, host and last four "
                                     "characters (the whole address is a secret, never "
                                     "answered).")
    actions: list[int] = Field(description="The actions that post to it.")
    created_at: dt.datetime


class WebhookIn(Schema):
    name: str = Field(min_length=1, max_length=120)
    kind: Webhook.Kind
    url: str = Field(min_length=1, max_length=1000,
                     description="The channel's incoming-webhook address.")


class WebhookPatch(Schema):
    """The fields given change; ``url`` left out (or empty) keeps the address saved."""

    name: str | None = Field(None, min_length=1, max_length=120)
    kind: Webhook.Kind | None = None
    url: str | None = Field(None, max_length=1000)


def _webhook_out(row: queries.WebhookRow) -> dict[str, Any]:
    w = row.webhook
    return {"id": w.pk, "name": w.name, "kind": w.kind, "address": row.address,
            "actions": [a.pk for a in row.actions], "created_at": w.created_at}


@router.get("/comms/webhooks", response=list[WebhookOut], auth=roles(COMMS_MANAGERS),
            operation_id=OPERATION_ID("list_webhooks"))
def list_webhooks(request: HttpRequest):
    """The Teams and Slack channels actions post to, their addresses masked."""
    return [_webhook_out(row) for row in queries.webhook_list()]


@router.post("/comms/webhooks", response={201: WebhookOut}, auth=roles(COMMS_MANAGERS),
             operation_id=OPERATION_ID("create_webhook"))
def create_webhook(request: HttpRequest, payload: WebhookIn):
    webhook = call(services.webhook_save, user=request.auth, name=payload.name,  # type: ignore[attr-defined]
                    kind=payload.kind, url=payload.url)
    return Status(201, _webhook_out(queries.webhook_row(webhook)))


@router.patch("/comms/webhooks/{webhook_id}", response=WebhookOut, auth=roles(COMMS_MANAGERS),
              operation_id=OPERATION_ID("update_webhook"))
def update_webhook(request: HttpRequest, webhook_id: int, payload: WebhookPatch):
    webhook = get_object_or_404(Webhook, pk=webhook_id)
    webhook = call(services.webhook_save, user=request.auth, webhook=webhook,  # type: ignore[attr-defined]
                    name=payload.name or webhook.name, kind=payload.kind or webhook.kind,
                    url=payload.url or webhook.url)
    return _webhook_out(queries.webhook_row(webhook))


@router.delete("/comms/webhooks/{webhook_id}", response={204: None, 409: ErrorOut},
               auth=roles(COMMS_MANAGERS), operation_id=OPERATION_ID("delete_webhook"))
def delete_webhook(request: HttpRequest, webhook_id: int):
    """Delete a channel; 409 while actions post to it."""
    call(services.webhook_delete, user=request.auth,  # type: ignore[attr-defined]
          webhook=get_object_or_404(Webhook, pk=webhook_id))
    return Status(204, None)


