"""SCIM's error message (RFC 7644 §3.12): a status, a ``scimType`` for 400 and 409, a detail."""

from __future__ import annotations

from typing import Any

ERROR_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:Error"


class ScimError(Exception):
    """A refused request: ``status``, ``scim_type`` (``invalidFilter``, ``uniqueness``,
    ``invalidValue``, ``invalidSyntax``, ``mutability``, ``noTarget``, ``invalidPath``,
    ``tooMany``…) and a ``detail`` naming the attribute at fault."""

    def __init__(self, status: int, detail: str, scim_type: str = "") -> None:
        super().__init__(detail)
        self.status, self.detail, self.scim_type = status, detail, scim_type

    def as_dict(self) -> dict[str, Any]:
        body: dict[str, Any] = {"schemas": [ERROR_SCHEMA], "status": str(self.status),
                                "detail": self.detail}
        if self.scim_type:
            body["scimType"] = self.scim_type
        return body


def invalid_value(detail: str) -> ScimError:
    return ScimError(400, detail, "invalidValue")


def not_found(detail: str) -> ScimError:
    return ScimError(404, detail)
