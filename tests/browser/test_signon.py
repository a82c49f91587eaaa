"""Signing in with the organisation's account, and out again, in Chromium, through a real
OpenID Connect provider running on this machine (oidc-provider-mock, behind a wrapper that
notes the end-session requests it receives)."""

from __future__ import annotations

import threading
import warnings
from collections.abc import Callable, Iterable, Iterator
from typing import Any
from urllib.parse import parse_qs

import pytest
import werkzeug.serving

from phare.accounts.models import User
from phare.accounts.roles import Role
from tests.directory.factories import make_person

with warnings.catch_warnings():
    warnings.simplefilter("ignore")  # the mock imports Authlib modules Authlib deprecates
    import oidc_provider_mock

pytestmark = pytest.mark.django_db(transaction=True)


class Noting:
    """WSGI wrapper: the query of every end-session request the provider receives."""

    def __init__(self, app: Callable[..., Iterable[bytes]]) -> None:
        self.app = app
        self.end_sessions: list[dict[str, str]] = []

    def __call__(self, environ: dict[str, Any], start_response: Callable) -> Iterable[bytes]:
        if environ["PATH_INFO"] == "/oauth2/end_session":
            self.end_sessions.append({k: v[0] for k, v in
                                      parse_qs(environ["QUERY_STRING"]).items()})
        return self.app(environ, start_response)


@pytest.fixture(scope="module")
def noting() -> Noting:
    eric = oidc_provider_mock.User(sub="eric-sub", claims={
        "email": "eric.martin@example.com", "groups": ["Comms"]})
    return Noting(oidc_provider_mock.app(require_nonce=True, user_claims=[eric]))


@pytest.fixture(scope="module")
def provider(noting) -> Iterator[str]:
    server = werkzeug.serving.make_server("localhost", 0, noting, threaded=True)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05},
                              daemon=True)
    thread.start()
    try:
        yield f"http://localhost:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


def test_a_person_signs_in_with_the_organisations_account(page, live_server, provider, settings,
                                                         org, shot):
    settings.PHARE_OIDC_ISSUER = provider
    settings.PHARE_OIDC_CLIENT_ID = "phare"
    settings.PHARE_OIDC_CLIENT_SECRET = "browser-test-secret"
    settings.PHARE_OIDC_LABEL = "Entra ID"
    settings.PHARE_SSO_ROLE_GROUPS = {"marketing": ("Comms",)}
    eric = make_person(org, "E5", "Eric", "Martin")
    # The provider's page asks a CDN for its stylesheet: no network here, so no waiting.
    page.route("https://cdn.jsdelivr.net/**", lambda route: route.abort())

    page.goto("/accounts/login/")
    button = page.locator("#signon-oidc")
    assert "Entra ID" in button.inner_text()
    shot("signon-login")
    button.click()
    page.wait_for_url(f"{provider}/oauth2/authorize?**")
    page.get_by_placeholder("sub").fill("eric-sub")
    page.get_by_role("button", name="Authorize").click()

    page.wait_for_url(f"{live_server.url}/")  # Phare's home page, signed in
    assert "Eric Martin" in page.locator(".who").inner_text()
    shot("signon-home")
    user = User.objects.get(person=eric)
    assert user.role == Role.MARKETING


def test_signing_out_passes_by_the_provider_and_lands_on_the_signed_out_page(
        page, live_server, provider, noting, settings, org, shot):
    settings.PHARE_OIDC_ISSUER = provider
    settings.PHARE_OIDC_CLIENT_ID = "phare"
    settings.PHARE_OIDC_CLIENT_SECRET = "browser-test-secret"
    settings.PHARE_OIDC_LABEL = "Entra ID"
    make_person(org, "E5", "Eric", "Martin")
    page.route("https://cdn.jsdelivr.net/**", lambda route: route.abort())
    page.goto("/accounts/login/")
    page.locator("#signon-oidc").click()
    page.wait_for_url(f"{provider}/oauth2/authorize?**")
    page.get_by_placeholder("sub").fill("eric-sub")
    page.get_by_role("button", name="Authorize").click()
    page.wait_for_url(f"{live_server.url}/")
    asked_before = len(noting.end_sessions)

    page.locator('form[action="/accounts/logout/"] button').click()
    page.wait_for_url(f"{provider}/oauth2/end_session?**")
    asked = noting.end_sessions[asked_before:]
    assert len(asked) == 1, asked
    assert asked[0]["id_token_hint"] and asked[0]["state"]
    assert asked[0]["post_logout_redirect_uri"] == f"{live_server.url}/signon/signed-out/"
    page.get_by_role("button", name="End session").click()

    page.wait_for_url(f"{live_server.url}/signon/signed-out/?state=**")
    # The state came back: the page says the provider signed the person out too.
    assert page.locator("#signed-out-everywhere").is_visible()
    shot("signon-signed-out")
    page.goto("/")
    page.wait_for_url(f"{live_server.url}/accounts/login/**")  # no longer signed in
