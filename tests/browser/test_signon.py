"""Signing in with the organisation's account, in Chromium, through a real OpenID Connect
provider running on this machine (oidc-provider-mock)."""

from __future__ import annotations

import warnings
from collections.abc import Iterator

import pytest

from phare.accounts.models import User
from phare.accounts.roles import Role
from tests.directory.factories import make_person

with warnings.catch_warnings():
    warnings.simplefilter("ignore")  # the mock imports Authlib modules Authlib deprecates
    import oidc_provider_mock

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(scope="module")
def provider() -> Iterator[str]:
    eric = oidc_provider_mock.User(sub="eric-sub", claims={
        "email": "eric.martin@example.com", "groups": ["Comms"]})
    with oidc_provider_mock.run_server_in_thread(require_nonce=True, user_claims=[eric]) as server:
        yield f"http://localhost:{server.server_port}"


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
