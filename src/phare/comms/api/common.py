"""What the communication plan's endpoints share: a service's refusal answered in the API's
error shape (403; 409 for a refusal by state; 422 naming each field), the plan or action the
caller may see (404 otherwise, as if it did not exist), users named by their username, results
as plain data, and the operation ids the endpoints had when the API was one module.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone

from phare.comms import policy, queries
from phare.comms.models import Action, Plan
from phare.comms.services import plans as services
from phare.lib.api import Refusal

#: Each endpoint keeps the operation id it had when the API was one module.
OPERATION_ID = "phare_comms_api_{}".format


# Errors and look-ups ----------------------------------------------------------------------


def refusal(exc: ValidationError) -> Refusal:
    """A service's ``ValidationError`` as the API's error: 409 for a refusal by state."""
    if hasattr(exc, "error_dict"):
        codes = {e.code for items in exc.error_dict.values() for e in items}
        details = [{"field": "" if key == "__all__" else key, "reason": " ".join(messages)}
                   for key, messages in exc.message_dict.items()]
    else:
        codes = {e.code for e in exc.error_list}
        details = [{"field": "", "reason": message} for message in exc.messages]
    status = 409 if codes & services.CONFLICTS else 422
    return Refusal(status, " ".join(exc.messages), details)


def call(function: Any, **kwargs: Any) -> Any:
    """Call a service, its refusals answered in the API's error shape."""
    try:
        return function(**kwargs)
    except PermissionDenied as exc:
        raise Refusal(403, str(exc) or "Your role does not allow this change.") from None
    except ValidationError as exc:
        raise refusal(exc) from None


def aware(value: dt.datetime | None) -> dt.datetime | None:
    """A naive date and time read in the current time zone."""
    if value is not None and timezone.is_naive(value):
        return timezone.make_aware(value)
    return value


def users_named(names: list[str], field: str) -> list[Any]:
    """The users of these usernames, in order (422 naming ``field`` for any unknown)."""
    found = {u.username: u for u in get_user_model().objects.filter(username__in=names)}
    missing = [n for n in names if n not in found]
    if missing:
        raise Refusal(422, "The request is not valid.",
                      [{"field": field, "reason": f"No user {n!r}."} for n in missing])
    return [found[n] for n in names]


def plan_or_404(request: HttpRequest, plan_id: int) -> Plan:
    """The plan ``plan_id`` if the caller may see it (404 otherwise)."""
    plan = get_object_or_404(Plan, pk=plan_id)
    if not policy.can_see_plan(request.auth, plan):  # type: ignore[attr-defined]
        raise Http404("No such plan.")
    return plan


def action_or_404(request: HttpRequest, action_id: int) -> Action:
    """The action ``action_id``, read for its detail, if the caller may see it (404
    otherwise)."""
    try:
        action = queries.action_detail(action_id)
    except Action.DoesNotExist:
        raise Http404("No such action.") from None
    if not policy.can_see_action(request.auth, action):  # type: ignore[attr-defined]
        raise Http404("No such action.")
    return action


def plain(value: Any) -> Any:
    """A result object (dataclass, decimal, date) as JSON-ready data."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return value

