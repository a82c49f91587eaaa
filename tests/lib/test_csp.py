"""The policy's headers built once per process: the same headers as django-csp's middleware,
on the same responses."""

from __future__ import annotations

import pytest
from csp.decorators import csp_exempt, csp_update
from csp.middleware import CSPMiddleware as LibraryMiddleware
from django.http import HttpResponse, HttpResponseNotFound
from django.test import RequestFactory

from phare.lib.csp import CSPMiddleware

HEADERS = ("Content-Security-Policy", "Content-Security-Policy-Report-Only")


def plain(request):
    return HttpResponse("ok")


@csp_update({"img-src": "https://example.org"})
def updated(request):
    return HttpResponse("ok")


@csp_exempt()
def exempt(request):
    return HttpResponse("ok")


def with_nonce(request):
    return HttpResponse(f"<script nonce='{request.csp_nonce}'></script>")


def missing(request):
    return HttpResponseNotFound("no")


def headers(middleware_class, view, path="/catalogue/"):
    request = RequestFactory().get(path)
    response = middleware_class(view)(request)
    return {name: response.get(name) for name in HEADERS}, request


@pytest.mark.parametrize("view", [plain, updated, exempt, with_nonce, missing])
def test_it_sets_the_headers_django_csp_sets(view):
    ours, request = headers(CSPMiddleware, view)
    theirs, _ = headers(LibraryMiddleware, view)
    if view is with_nonce:  # django-csp's path (a nonce drawn), the policy naming none
        assert request._csp_nonce
    assert ours == theirs
    if view in (plain, missing):
        assert "default-src 'self'" in ours[HEADERS[0]] and ours[HEADERS[1]] is None
    if view is exempt:
        assert ours == dict.fromkeys(HEADERS)


def test_it_follows_the_settings_when_they_change(settings):
    first, _ = headers(CSPMiddleware, plain)
    settings.CONTENT_SECURITY_POLICY = {"DIRECTIVES": {"default-src": ["'none'"]},
                                        "EXCLUDE_URL_PREFIXES": ["/api/"]}
    settings.CONTENT_SECURITY_POLICY_REPORT_ONLY = {
        "DIRECTIVES": {"default-src": ["'self'"], "report-uri": "/csp-report/"}}
    then, _ = headers(CSPMiddleware, plain)
    assert then != first
    assert then == headers(LibraryMiddleware, plain)[0]
    assert then[HEADERS[0]] == "default-src 'none'"
    assert "report-uri /csp-report/" in then[HEADERS[1]]
    excluded = headers(CSPMiddleware, plain, "/api/v1/")[0]
    assert excluded == headers(LibraryMiddleware, plain, "/api/v1/")[0]
    assert excluded[HEADERS[0]] is None and excluded[HEADERS[1]]


def test_a_nonce_asked_for_after_the_headers_is_an_error():
    _, request = headers(CSPMiddleware, plain)
    with pytest.raises(Exception, match="not available after the CSP header"):
        str(request.csp_nonce)


@pytest.mark.django_db
def test_the_application_uses_it(client, settings):
    assert "phare.lib.csp.CSPMiddleware" in settings.MIDDLEWARE
    assert "csp.middleware.CSPMiddleware" not in settings.MIDDLEWARE
    response = client.get("/healthz")
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]
