"""django-csp's middleware, with the policy's headers built once per process.

django-csp builds both headers (the policy and the report-only one) from the settings at every
response: two ``dataclasses.asdict`` and two ``build_policy`` calls, about 0.1 ms of CPU per
request, a twentieth of what an open-link answer costs in all (bench/README.md, "Answer
ingestion over HTTP"). Phare's policy is the same for every response: no view changes it
(``csp_update`` and the other decorators are not used) and no template asks for a nonce (scripts
are static files). So a response whose request drew no nonce and whose view set no policy of
its own gets the headers built once from the settings — again when the settings' objects
change, as tests overriding them do; any other response goes through django-csp as before.
Which responses get a header, and which not, follows django-csp's rules (tested against it).
"""

from __future__ import annotations

import http.client
from typing import Any

from csp.constants import HEADER, HEADER_REPORT_ONLY
from csp.middleware import CheckableLazyObject
from csp.middleware import CSPMiddleware as LibraryCSPMiddleware
from csp.utils import build_policy
from django.conf import settings
from django.http import HttpRequest
from django.http.response import HttpResponseBase

#: What a view's csp decorators set on its response: any of them, and django-csp decides.
_OWN_POLICY = ("_csp_config", "_csp_update", "_csp_replace",
               "_csp_config_ro", "_csp_update_ro", "_csp_replace_ro")


class CSPMiddleware(LibraryCSPMiddleware):
    """``csp.middleware.CSPMiddleware`` with the headers of the settings' policy kept."""

    _kept: tuple[Any, Any, str, str] | None = None

    def process_response(self, request: HttpRequest,
                         response: HttpResponseBase) -> HttpResponseBase:
        if getattr(request, "_csp_nonce", None) is not None or any(
                hasattr(response, name) for name in _OWN_POLICY):
            return super().process_response(request, response)
        if settings.DEBUG and response.status_code in (http.client.INTERNAL_SERVER_ERROR,
                                                       http.client.NOT_FOUND):
            return response  # Django's debug pages, as django-csp leaves them
        policy, report_only = self._headers()
        for header, value, exempt, setting in (
                (HEADER, policy, "_csp_exempt", "CONTENT_SECURITY_POLICY"),
                (HEADER_REPORT_ONLY, report_only, "_csp_exempt_ro",
                 "CONTENT_SECURITY_POLICY_REPORT_ONLY")):
            if not value or header in response or getattr(response, exempt, False):
                continue
            prefixes = (getattr(settings, setting, None) or {}).get("EXCLUDE_URL_PREFIXES")
            if not request.path_info.startswith(tuple(prefixes or ())):
                response[header] = value
        # As django-csp does: asking for a nonce after the header is written is an error.
        request.csp_nonce = CheckableLazyObject(  # type: ignore[attr-defined]
            self._csp_nonce_post_response)
        return response

    def _headers(self) -> tuple[str, str]:
        """Both headers of the settings' policies, built again when the settings change."""
        policy = getattr(settings, "CONTENT_SECURITY_POLICY", None)
        report_only = getattr(settings, "CONTENT_SECURITY_POLICY_REPORT_ONLY", None)
        kept = CSPMiddleware._kept
        if kept is None or kept[0] is not policy or kept[1] is not report_only:
            kept = (policy, report_only, build_policy(),
                    build_policy(report_only=True))
            CSPMiddleware._kept = kept
        return kept[2], kept[3]
