"""OpenID Connect sign-on against real providers on this machine.

``mock``: oidc-provider-mock (a real OIDC provider, Authlib's server) behind a wrapper that
checks PKCE as a strict provider does: the code is traded only with the verifier of the
challenge it was issued for. ``forger``: a minimal provider of this module's own whose token
endpoint sends the ID token each test crafts (signed by another key, expired, for another
audience or nonce), signed with joserfc. Both run once per module in a thread on a free port,
and Phare talks to them over HTTP; the tests play the browser with Django's test client and
``requests``.
"""

from __future__ import annotations

import base64
import hashlib
import io
import json
import os
import runpy
import secrets
import threading
import time
import warnings
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from unittest import mock as patch
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
import requests
import werkzeug.serving
from joserfc import jwt
from joserfc.jwk import KeySet, RSAKey
from werkzeug.wrappers import Request, Response

import phare
from phare.accounts.models import User
from phare.accounts.roles import Role
from phare.audit.models import Entry
from phare.env import ConfigError
from phare.signon import oidc
from tests.accounts.factories import PASSWORD
from tests.directory.factories import make_person
from tests.signon.factories import sign_out

with warnings.catch_warnings():
    warnings.simplefilter("ignore")  # the mock imports Authlib modules Authlib deprecates
    import oidc_provider_mock

# The new strings' French arrives with the translations: the pages are read in English.
pytestmark = pytest.mark.usefixtures("english")

CLIENT_ID = "phare-tests"
CLIENT_SECRET = "phare-tests-secret"


def _serve(app: Callable[..., Iterable[bytes]]) -> Iterator[str]:
    """Serve ``app`` on a free port of localhost in a thread; yields its base URL."""
    server = werkzeug.serving.make_server("localhost", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05},
                              daemon=True)
    thread.start()
    try:
        yield f"http://localhost:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


def _s256(verifier: str) -> str:
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


@dataclass
class PkceChecking:
    """WSGI wrapper: records each authorization request and refuses a token request whose
    ``code_verifier`` does not hash (S256) to the challenge its code was issued for."""

    app: Callable[..., Iterable[bytes]]
    authorizations: list[dict[str, str]] = field(default_factory=list)
    exchanges: list[dict[str, str]] = field(default_factory=list)
    challenges: dict[str, tuple[str, str]] = field(default_factory=dict)
    end_sessions: list[dict[str, str]] = field(default_factory=list)
    tokens: list[dict[str, Any]] = field(default_factory=list)

    def __call__(self, environ: dict[str, Any], start_response: Callable) -> Iterable[bytes]:
        path = environ["PATH_INFO"]
        if path == "/oauth2/end_session":
            self.end_sessions.append({k: v[0] for k, v in
                                      parse_qs(environ["QUERY_STRING"]).items()})
        if path == "/oauth2/authorize":
            query = {k: v[0] for k, v in parse_qs(environ["QUERY_STRING"]).items()}
            self.authorizations.append(query)

            def remember(status: str, headers: list[tuple[str, str]], *exc: Any) -> Any:
                code = parse_qs(urlsplit(dict(headers).get("Location", "")).query).get("code")
                if code:
                    self.challenges[code[0]] = (query.get("code_challenge", ""),
                                                query.get("code_challenge_method", ""))
                return start_response(status, headers, *exc)

            return self.app(environ, remember)
        if path == "/oauth2/token":
            body = environ["wsgi.input"].read(int(environ.get("CONTENT_LENGTH") or 0))
            form = {k: v[0] for k, v in parse_qs(body.decode()).items()}
            self.exchanges.append(form)
            challenge, method = self.challenges.pop(form.get("code", ""), ("", ""))
            verifier = form.get("code_verifier", "")
            if method != "S256" or not verifier or _s256(verifier) != challenge:
                return Response(json.dumps({"error": "invalid_grant",
                                            "error_description": "PKCE verification failed"}),
                                status=400, content_type="application/json")(
                    environ, start_response)
            environ["wsgi.input"] = io.BytesIO(body)
            environ["CONTENT_LENGTH"] = str(len(body))
            return self._keeping_tokens(environ, start_response)
        return self.app(environ, start_response)

    def _keeping_tokens(self, environ: dict[str, Any], start_response: Callable) -> Any:
        """The token endpoint's answer, its tokens kept for the tests to compare."""
        answer = Response.from_app(self.app, environ)
        if answer.status_code == 200:
            self.tokens.append(json.loads(answer.get_data()))
        return answer(environ, start_response)


@pytest.fixture(scope="module")
def mock() -> Iterator[tuple[str, PkceChecking]]:
    checking = PkceChecking(oidc_provider_mock.app(require_nonce=True))
    for url in _serve(checking):
        yield url, checking


class Forger:
    """A provider whose ID tokens each test crafts through ``tamper``."""

    def __init__(self) -> None:
        self.key = RSAKey.generate_key(2048, parameters={"kid": "phare-test"})
        self.impostor = RSAKey.generate_key(2048, parameters={"kid": "phare-test"})
        self.issuer = ""
        self.nonces: dict[str, str] = {}
        self.tamper: Callable[[dict[str, Any]], RSAKey | None] = lambda claims: None
        self.access_tokens: list[str] = []

    def __call__(self, environ: dict[str, Any], start_response: Callable) -> Iterable[bytes]:
        request = Request(environ)
        if request.path == "/.well-known/openid-configuration":
            answer = Response(json.dumps({
                "issuer": self.issuer, "authorization_endpoint": f"{self.issuer}/authorize",
                "token_endpoint": f"{self.issuer}/token", "jwks_uri": f"{self.issuer}/jwks",
                "response_types_supported": ["code"], "subject_types_supported": ["public"],
                "id_token_signing_alg_values_supported": ["RS256"]}),
                content_type="application/json")
        elif request.path == "/jwks":
            answer = Response(json.dumps(KeySet([self.key]).as_dict(private=False)),
                              content_type="application/json")
        elif request.path == "/authorize":
            code = secrets.token_urlsafe(16)
            self.nonces[code] = request.args["nonce"]
            answer = Response(status=302, headers={"Location": request.args["redirect_uri"] + "?"
                                                   + urlencode({"code": code,
                                                                "state": request.args["state"]})})
        elif request.path == "/token":
            now = int(time.time())
            claims = {"iss": self.issuer, "sub": "forged-1", "aud": CLIENT_ID, "iat": now,
                      "exp": now + 300, "nonce": self.nonces.pop(request.form["code"]),
                      "email": "eric.martin@example.com"}
            key = self.tamper(claims) or self.key
            id_token = jwt.encode({"alg": "RS256", "kid": key.kid}, claims, key)
            self.access_tokens.append(secrets.token_urlsafe(16))
            answer = Response(json.dumps({"access_token": self.access_tokens[-1],
                                          "token_type": "Bearer", "expires_in": 300,
                                          "id_token": id_token}),
                              content_type="application/json")
        else:
            answer = Response("not found", status=404)
        return answer(environ, start_response)


@pytest.fixture(scope="module")
def forger() -> Iterator[Forger]:
    provider = Forger()
    for url in _serve(provider):
        provider.issuer = url
        yield provider


def configure(settings, issuer: str, **extra: Any) -> None:
    settings.PHARE_OIDC_ISSUER = issuer
    settings.PHARE_OIDC_CLIENT_ID = CLIENT_ID
    settings.PHARE_OIDC_CLIENT_SECRET = CLIENT_SECRET
    settings.PHARE_OIDC_SCOPES = "openid email profile"
    settings.PHARE_OIDC_EMAIL_CLAIM = "email"
    settings.PHARE_OIDC_EMPLOYEE_ID_CLAIM = ""
    settings.PHARE_OIDC_GROUPS_CLAIM = "groups"
    settings.PHARE_OIDC_LABEL = "Entra ID"
    settings.PHARE_SSO_ROLE_GROUPS = {}
    for name, value in extra.items():
        setattr(settings, f"PHARE_{name}", value)


@pytest.fixture
def with_mock(mock, settings):
    configure(settings, mock[0])
    return mock


def callback_of(response) -> str:
    """The path and query of Phare's callback a provider's redirect leads to."""
    assert response.status_code == 302, response.text if hasattr(response, "text") else response
    location = urlsplit(response.headers["Location"])
    assert location.path == "/signon/oidc/callback/"
    return f"{location.path}?{location.query}"


def sign_in_at_mock(client, mock_url: str, sub: str, claims: dict[str, Any] | None = None,
                    *, start: str = "/signon/oidc/login/", action: str = "") -> Any:
    """The browser's journey: Phare → the provider's page, where ``sub`` signs in → Phare."""
    if claims is not None:
        requests.put(f"{mock_url}/users/{sub}", json=claims, timeout=10).raise_for_status()
    started = client.get(start)
    assert started.status_code == 302
    assert started["Location"].startswith(f"{mock_url}/oauth2/authorize?")
    form = {"action": action} if action else {"sub": sub}
    answer = requests.post(started["Location"], data=form, allow_redirects=False, timeout=10)
    return client.get(callback_of(answer))


def signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def failures(reason: str) -> list[dict[str, Any]]:
    return [entry.details for entry in Entry.objects.filter(action="signin.failure")
            if entry.details.get("reason") == reason]


# The full flow --------------------------------------------------------------------------------


def test_a_directory_person_signs_in_with_the_code_flow_and_pkce(org, client, with_mock):
    eric = make_person(org, "E5", "Eric", "Martin")
    url, checking = with_mock
    response = sign_in_at_mock(client, url, "eric-sub", {"email": "Eric.Martin@example.com"})
    assert response.status_code == 302 and response["Location"] == "/"
    user = User.objects.get(person=eric)
    assert (user.role, user.has_usable_password()) == (Role.EMPLOYEE, False)
    assert client.session["_auth_user_id"] == str(user.pk)
    # PKCE, state and nonce went to the provider; the code was traded with the verifier.
    asked = checking.authorizations[-1]
    assert asked["code_challenge_method"] == "S256" and len(asked["code_challenge"]) >= 43
    assert asked["state"] and asked["nonce"] and asked["client_id"] == CLIENT_ID
    assert set(asked["scope"].split()) == {"openid", "email", "profile"}
    assert _s256(checking.exchanges[-1]["code_verifier"]) == asked["code_challenge"]
    entry = Entry.objects.get(action="signin.success")
    assert entry.actor_id == user.pk
    assert entry.details["backend"] == "phare.signon.backends.OIDCBackend"
    assert client.get("/").status_code == 200


def test_the_role_follows_the_groups_claim_and_the_employee_id_claim_is_tried_first(
        org, client, with_mock, settings):
    settings.PHARE_SSO_ROLE_GROUPS = {"marketing": ("Comms",), "admin": ("Phare Admins",)}
    settings.PHARE_OIDC_EMPLOYEE_ID_CLAIM = "employee_id"
    mathilde = make_person(org, "E2", "Mathilde", "Marchand")
    sign_in_at_mock(client, with_mock[0], "mathilde-sub",
                    {"email": "someone.else@example.com", "employee_id": "E2",
                     "groups": ["Staff", "comms"]})
    assert User.objects.get(person=mathilde).role == Role.MARKETING


def test_it_goes_back_to_the_page_asked_for_and_never_elsewhere(org, client, with_mock):
    make_person(org, "E5", "Eric", "Martin")
    claims = {"email": "eric.martin@example.com"}
    response = sign_in_at_mock(client, with_mock[0], "eric-sub", claims,
                               start="/signon/oidc/login/?next=/catalogue/")
    assert response["Location"] == "/catalogue/"
    client.logout()
    response = sign_in_at_mock(client, with_mock[0], "eric-sub", claims,
                               start="/signon/oidc/login/?next=https://evil.example/")
    assert response["Location"] == "/"


def test_someone_not_in_the_directory_sees_why_and_gets_no_account(org, client, with_mock):
    response = sign_in_at_mock(client, with_mock[0], "stranger",
                               {"email": "stranger@elsewhere.example"})
    assert response.status_code == 403
    assert "not in the organisation's directory" in response.text.replace("&#x27;", "'")
    assert 'href="/accounts/login/"' in response.text
    assert not User.objects.exists() and not signed_in(client)
    [details] = failures("not_in_directory")
    assert (details["provider"], details["email"]) == ("oidc", "stranger@elsewhere.example")


def test_a_refusal_at_the_provider_signs_nobody_in(org, client, with_mock):
    response = sign_in_at_mock(client, with_mock[0], "eric-sub", action="deny")
    assert response.status_code == 403 and not signed_in(client)
    assert failures("denied")


def test_a_callback_with_a_state_this_browser_never_sent_is_refused(org, client, with_mock):
    started = client.get("/signon/oidc/login/")
    assert started.status_code == 302
    response = client.get("/signon/oidc/callback/?code=whatever&state=forged")
    assert response.status_code == 400 and not signed_in(client)
    assert failures("state")


def test_a_code_traded_without_its_pkce_verifier_is_refused(org, client, with_mock):
    """The provider checks PKCE: a session that lost its verifier cannot use the code."""
    make_person(org, "E5", "Eric", "Martin")
    requests.put(f"{with_mock[0]}/users/eric-sub", json={"email": "eric.martin@example.com"},
                 timeout=10).raise_for_status()
    started = client.get("/signon/oidc/login/")
    answer = requests.post(started["Location"], data={"sub": "eric-sub"}, allow_redirects=False,
                           timeout=10)
    session = client.session
    # A session is no mapping: it has keys() but cannot be iterated.
    [key] = [k for k in session.keys() if k.startswith("_state_oidc_")]  # noqa: SIM118
    session[key]["data"]["code_verifier"] = "x" * 50
    session.save()
    response = client.get(callback_of(answer))
    assert response.status_code == 403 and not signed_in(client)
    assert not User.objects.exists()


# Tokens that must not be believed -------------------------------------------------------------


def _other_key(forger: Forger, claims: dict[str, Any]) -> RSAKey:
    return forger.impostor


#: How each token is spoilt, and what the refusal recorded in the audit trail says.
TAMPERINGS: dict[str, tuple[Callable[[Forger, dict[str, Any]], RSAKey | None], str]] = {
    "signed by another key": (_other_key, "BadSignatureError"),
    "expired": (lambda forger, claims: claims.update(exp=int(time.time()) - 3600,
                                                     iat=int(time.time()) - 7200),
                "ExpiredTokenError"),
    "for another audience": (lambda forger, claims: claims.update(aud="another-application"),
                             "Invalid claim: 'aud'"),
    "for another nonce": (lambda forger, claims: claims.update(nonce="replayed-nonce"),
                          "Invalid claim: 'nonce'"),
    "from another issuer": (lambda forger, claims: claims.update(iss="https://evil.example"),
                            "Invalid claim: 'iss'"),
    "without a subject": (lambda forger, claims: claims.pop("sub") and None,
                          "Missing claim: 'sub'"),
}


def _through_forger(client, forger: Forger) -> Any:
    started = client.get("/signon/oidc/login/")
    assert started.status_code == 302
    answer = requests.get(started["Location"], allow_redirects=False, timeout=10)
    return client.get(callback_of(answer))


def test_the_forger_itself_signs_in_with_an_honest_token(org, client, forger, settings):
    """The control for the tampered tokens below: only the tampering makes them fail."""
    configure(settings, forger.issuer)
    make_person(org, "E5", "Eric", "Martin")
    forger.tamper = lambda claims: None
    response = _through_forger(client, forger)
    assert response.status_code == 302 and signed_in(client)


@pytest.mark.parametrize("tampering", list(TAMPERINGS))
def test_a_tampered_id_token_is_refused_with_no_session(org, client, forger, settings, tampering):
    configure(settings, forger.issuer)
    make_person(org, "E5", "Eric", "Martin")
    forger.tamper = lambda claims: TAMPERINGS[tampering][0](forger, claims)
    response = _through_forger(client, forger)
    assert response.status_code == 403, response.content
    assert not signed_in(client) and not User.objects.exists()
    assert "could not be verified" in response.text
    [details] = failures("invalid_token")
    assert TAMPERINGS[tampering][1] in details["detail"]  # refused for that very reason


def test_an_unreachable_provider_is_said_so(org, client, settings):
    configure(settings, "http://localhost:9")  # the discard port: nothing listens
    response = client.get("/signon/oidc/login/")
    assert response.status_code == 502 and not signed_in(client)
    assert "cannot reach the organisation&#x27;s identity provider" in response.text


# Claims -----------------------------------------------------------------------------------------


def test_claims_become_an_identity_through_the_settings(settings):
    configure(settings, "https://idp.example", OIDC_EMPLOYEE_ID_CLAIM="employeeNumber",
              OIDC_GROUPS_CLAIM="roles")
    identity = oidc.identity_from({"sub": "s1", "email": " A@example.com ",
                                   "employeeNumber": 1234, "roles": "Comms"})
    assert (identity.subject, identity.email, identity.employee_id, identity.groups) == (
        "s1", "A@example.com", "1234", ("Comms",))
    unverified = oidc.identity_from({"sub": "s2", "email": "a@example.com",
                                     "email_verified": False, "roles": ["x", 3, {"no": 1}]})
    assert (unverified.email, unverified.groups) == ("", ("x", "3"))


# The login page and local passwords -----------------------------------------------------------


def test_the_login_page_offers_the_provider_only_when_configured(client, settings, db):
    configure(settings, "")
    assert 'id="signon-oidc"' not in client.get("/accounts/login/").text
    assert client.get("/signon/oidc/login/").status_code == 404
    configure(settings, "https://idp.example")
    page = client.get("/accounts/login/?next=/catalogue/").text
    assert 'id="signon-oidc"' in page and "Sign in with Entra ID" in page
    assert 'href="/signon/oidc/login/?next=/catalogue/"' in page
    settings.PHARE_OIDC_LABEL = ""
    assert "Sign in with the organisation&#x27;s account" in client.get("/accounts/login/").text


def test_break_glass_mode_lets_only_administrators_use_a_password(personas, client, settings):
    settings.PHARE_LOCAL_PASSWORDS = "admins"
    page = client.get("/accounts/login/").text
    assert "for administrators only" in page
    refused = client.post("/accounts/login/", {"username": "employee", "password": PASSWORD})
    assert refused.status_code == 200 and not signed_in(client)
    assert "for administrators only" in refused.text
    assert Entry.objects.filter(action="signin.failure").count() == 1
    accepted = client.post("/accounts/login/", {"username": "admin", "password": PASSWORD})
    assert accepted.status_code == 302 and signed_in(client)


def test_everyone_uses_a_password_by_default(personas, client, settings):
    settings.PHARE_LOCAL_PASSWORDS = "everyone"
    assert "for administrators only" not in client.get("/accounts/login/").text
    response = client.post("/accounts/login/", {"username": "employee", "password": PASSWORD})
    assert response.status_code == 302 and signed_in(client)


# Settings ---------------------------------------------------------------------------------------


def load_settings(**variables: str) -> dict[str, Any]:
    """The settings module run afresh with these variables (it has no side effect to undo)."""
    with patch.patch.dict(os.environ, variables):
        return runpy.run_path(str(Path(phare.__file__).resolve().parent / "settings.py"))


def test_the_settings_turn_oidc_on_only_with_an_issuer_and_a_client_id():
    assert load_settings()["PHARE_OIDC_ISSUER"] == ""
    loaded = load_settings(PHARE_OIDC_ISSUER="https://idp.example/realms/x/",
                           PHARE_OIDC_CLIENT_ID="phare", PHARE_OIDC_SCOPES="openid,email groups",
                           PHARE_LOCAL_PASSWORDS="Admins")
    assert (loaded["PHARE_OIDC_ISSUER"], loaded["PHARE_OIDC_SCOPES"].split(),
            loaded["PHARE_LOCAL_PASSWORDS"]) == ("https://idp.example/realms/x",
                                                 ["openid", "email", "groups"], "admins")
    with pytest.raises(ConfigError, match="PHARE_OIDC_CLIENT_ID"):
        load_settings(PHARE_OIDC_ISSUER="https://idp.example")
    with pytest.raises(ConfigError, match="PHARE_OIDC_SCOPES: expected .* openid"):
        load_settings(PHARE_OIDC_ISSUER="https://idp.example", PHARE_OIDC_CLIENT_ID="phare",
                      PHARE_OIDC_SCOPES="email profile")
    with pytest.raises(ConfigError, match="PHARE_LOCAL_PASSWORDS"):
        load_settings(PHARE_LOCAL_PASSWORDS="nobody")


# Signing out at the provider (RP-initiated logout) --------------------------------------------


def _claims_of(id_token: str) -> dict[str, Any]:
    payload = id_token.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))


def test_signing_out_ends_the_session_then_signs_out_at_the_provider(org, client, with_mock):
    make_person(org, "E5", "Eric", "Martin")
    url, checking = with_mock
    sign_in_at_mock(client, url, "eric-sub", {"email": "eric.martin@example.com"})
    id_token = checking.tokens[-1]["id_token"]
    destination = sign_out(client)
    assert not signed_in(client)  # Phare's session ended before the browser left
    location = urlsplit(destination)
    assert f"{location.scheme}://{location.netloc}{location.path}" == f"{url}/oauth2/end_session"
    sent = {k: v[0] for k, v in parse_qs(location.query).items()}
    assert sent["id_token_hint"] == id_token and _claims_of(id_token)["sub"] == "eric-sub"
    assert sent["post_logout_redirect_uri"] == "http://testserver/signon/signed-out/"
    assert sent["client_id"] == CLIENT_ID and len(sent["state"]) >= 32
    # The browser at the provider, which ends its session and sends it back with the state.
    page = requests.get(destination, timeout=10)
    assert page.status_code == 200 and checking.end_sessions[-1]["state"] == sent["state"]
    back = requests.post(f"{url}/oauth2/end_session/confirm", allow_redirects=False, timeout=10,
                         data={"redirect_uri": f"http://testserver/signon/signed-out/?state="
                                               f"{sent['state']}"})
    landing = client.get(urlsplit(back.headers["Location"])._replace(scheme="", netloc="")
                         .geturl())
    assert landing.status_code == 200
    assert "signed out of Phare and of your organisation" in landing.text
    # The same return again (or a made-up state) proves nothing about the provider.
    again = client.get(f"/signon/signed-out/?state={sent['state']}")
    assert "signed out of Phare and of your organisation" not in again.text
    assert "may still be signed in" in again.text


def test_the_address_the_provider_sends_back_to_is_a_setting(org, client, with_mock, settings):
    settings.PHARE_OIDC_POST_LOGOUT_REDIRECT_URI = "https://phare.example/signon/signed-out/"
    make_person(org, "E5", "Eric", "Martin")
    sign_in_at_mock(client, with_mock[0], "eric-sub", {"email": "eric.martin@example.com"})
    sent = parse_qs(urlsplit(sign_out(client)).query)
    assert sent["post_logout_redirect_uri"] == ["https://phare.example/signon/signed-out/"]


def test_without_an_end_session_endpoint_the_sign_out_is_phares_alone(org, client, forger,
                                                                     settings):
    configure(settings, forger.issuer)  # its discovery document names no end_session_endpoint
    make_person(org, "E5", "Eric", "Martin")
    forger.tamper = lambda claims: None
    _through_forger(client, forger)
    assert signed_in(client)
    response = client.post("/accounts/logout/")
    assert response["Location"] == "/accounts/login/" and not signed_in(client)


def test_a_provider_unreachable_at_sign_out_still_signs_out_of_phare(org, client, with_mock,
                                                                    settings):
    make_person(org, "E5", "Eric", "Martin")
    sign_in_at_mock(client, with_mock[0], "eric-sub", {"email": "eric.martin@example.com"})
    settings.PHARE_OIDC_ISSUER = "http://localhost:9"  # nothing listens there now
    response = client.post("/accounts/logout/")
    assert response["Location"] == "/accounts/login/" and not signed_in(client)


def test_a_password_account_signs_out_as_before(personas, client, with_mock):
    client.post("/accounts/login/", {"username": "employee", "password": PASSWORD})
    assert signed_in(client)
    response = client.post("/accounts/logout/")
    assert response["Location"] == "/accounts/login/" and not signed_in(client)


def test_the_signed_out_page_needs_no_state(client, db):
    page = client.get("/signon/signed-out/?state=made-up")
    assert page.status_code == 200 and "You are signed out of Phare." in page.text


def test_the_signed_out_page_does_not_say_signed_out_to_someone_signed_in(client, personas):
    """Back on it after signing in again (history, a bookmark): it says who is signed in."""
    user = personas["marketing"]
    client.force_login(user)
    page = client.get("/signon/signed-out/")
    assert page.status_code == 200
    name = user.get_full_name() or user.get_username()
    assert f"You are signed in to Phare as {name}." in page.text
    assert "signed out" not in page.text.split("<main", 1)[1]


# Entra ID's groups overage: the groups from Microsoft Graph ------------------------------------


class Graph:
    """Answers as Microsoft Graph's ``POST /me/getMemberObjects`` does, to the forger's access
    token only: ``pages`` of group ids linked by ``@odata.nextLink``; ``status`` other than 200
    answers Graph's error shape; ``next_link`` overrides the link of the first page."""

    def __init__(self) -> None:
        self.url = ""
        self.token: Callable[[], str] = lambda: ""
        self.pages: list[list[str]] = [[]]
        self.status = 200
        self.next_link = ""
        self.requests: list[dict[str, Any]] = []

    def __call__(self, environ: dict[str, Any], start_response: Callable) -> Iterable[bytes]:
        request = Request(environ)
        self.requests.append({"method": request.method, "path": request.path,
                              "query": dict(request.args),
                              "authorization": request.headers.get("Authorization", ""),
                              "body": request.get_data(as_text=True)})
        if request.headers.get("Authorization") != f"Bearer {self.token()}":
            answer = Response(json.dumps({"error": {"code": "InvalidAuthenticationToken"}}),
                              status=401, content_type="application/json")
        elif self.status != 200:
            answer = Response(json.dumps({"error": {"code": "serviceNotAvailable"}}),
                              status=self.status, content_type="application/json")
        elif request.path == "/v1.0/me/getMemberObjects" and request.method == "POST":
            answer = self._page(0)
        elif request.path == "/v1.0/me/getMemberObjects" and request.method == "GET":
            answer = self._page(int(request.args["page"]))
        else:
            answer = Response("not found", status=404)
        return answer(environ, start_response)

    def _page(self, number: int) -> Response:
        body: dict[str, Any] = {"@odata.context": "$metadata#Collection(Edm.String)",
                                "value": self.pages[number]}
        if number + 1 < len(self.pages):
            body["@odata.nextLink"] = (f"{self.url}/v1.0/me/getMemberObjects?page={number + 1}"
                                       f"&$skiptoken=X{number}")
        if number == 0 and self.next_link:
            body["@odata.nextLink"] = self.next_link
        return Response(json.dumps(body), content_type="application/json")


@pytest.fixture(scope="module")
def graph_server() -> Iterator[Graph]:
    graph = Graph()
    for url in _serve(graph):
        graph.url = url
        yield graph


@pytest.fixture
def graph(graph_server, forger, settings) -> Graph:
    """The forger's ID tokens without groups and with Entra ID's overage indication; Graph
    answers the forger's last access token only."""
    configure(settings, forger.issuer)
    settings.PHARE_OIDC_GRAPH_URL = f"{graph_server.url}/v1.0"
    settings.PHARE_SSO_ROLE_GROUPS = {"marketing": ("g-comms",), "admin": ("g-admins",)}
    graph_server.pages, graph_server.status, graph_server.next_link = [[]], 200, ""
    graph_server.requests.clear()
    graph_server.token = lambda: forger.access_tokens[-1]

    def overage(claims: dict[str, Any]) -> None:
        claims["_claim_names"] = {"groups": "src1"}
        claims["_claim_sources"] = {"src1": {
            "endpoint": "https://graph.windows.net/tenant/users/forged-1/getMemberObjects"}}

    forger.tamper = overage
    return graph_server


def test_the_groups_of_an_overage_come_from_graph_page_after_page(org, client, forger, graph):
    eric = make_person(org, "E5", "Eric", "Martin")
    graph.pages = [[f"g-{n}" for n in range(3)], ["g-comms", "g-7"]]
    response = _through_forger(client, forger)
    assert response.status_code == 302 and signed_in(client)
    assert User.objects.get(person=eric).role == Role.MARKETING
    first, second = graph.requests
    assert (first["method"], first["path"]) == ("POST", "/v1.0/me/getMemberObjects")
    assert json.loads(first["body"]) == {"securityEnabledOnly": False}
    assert first["authorization"] == second["authorization"] == f"Bearer {graph.token()}"
    assert (second["method"], second["query"]["page"]) == ("GET", "1")
    assert not failures("groups_unavailable")


def test_when_graph_fails_the_role_stays_as_it_was_and_it_is_audited(org, client, forger, graph):
    eric = make_person(org, "E5", "Eric", "Martin")
    account = User.objects.create(username="eric", person=eric, role=Role.MARKETING,
                                  email=eric.email)
    graph.status = 503
    response = _through_forger(client, forger)
    assert response.status_code == 302 and signed_in(client)  # signed in all the same
    account.refresh_from_db()
    assert account.role == Role.MARKETING  # not demoted for want of groups
    [details] = failures("groups_unavailable")
    assert details["role_kept"] == "marketing" and "HTTP 503 serviceNotAvailable" in \
        details["detail"]
    entry = Entry.objects.get(action="signin.failure")
    assert entry.actor_id == account.pk


def test_when_graph_fails_a_new_account_gets_no_role_by_default(org, client, forger, graph):
    eric = make_person(org, "E5", "Eric", "Martin")
    graph.status = 500
    _through_forger(client, forger)
    assert User.objects.get(person=eric).role == Role.EMPLOYEE
    assert failures("groups_unavailable")


def test_a_next_page_elsewhere_than_graph_is_never_asked_with_the_token(org, client, forger,
                                                                      graph):
    eric = make_person(org, "E5", "Eric", "Martin")
    graph.pages = [["g-admins"]]
    graph.next_link = f"{forger.issuer}/steal?page=1"  # another server, though on localhost
    _through_forger(client, forger)
    assert User.objects.get(person=eric).role == Role.EMPLOYEE  # g-admins alone is not trusted
    [details] = failures("groups_unavailable")
    assert "not followed" in details["detail"]
    assert len(graph.requests) == 1


def test_an_id_token_with_its_groups_does_not_ask_graph(org, client, forger, graph):
    eric = make_person(org, "E5", "Eric", "Martin")
    forger.tamper = lambda claims: claims.update(groups=["g-admins"]) and None
    _through_forger(client, forger)
    assert User.objects.get(person=eric).role == Role.ADMIN and not graph.requests


def test_the_logout_return_and_graph_addresses_are_checked_at_start_up():
    loaded = load_settings()
    assert (loaded["PHARE_OIDC_POST_LOGOUT_REDIRECT_URI"], loaded["PHARE_OIDC_GRAPH_URL"]) == (
        "", "https://graph.microsoft.com/v1.0")
    loaded = load_settings(PHARE_OIDC_GRAPH_URL="https://graph.microsoft.us/v1.0/",
                           PHARE_OIDC_POST_LOGOUT_REDIRECT_URI="https://phare.example/bye/")
    assert (loaded["PHARE_OIDC_GRAPH_URL"], loaded["PHARE_OIDC_POST_LOGOUT_REDIRECT_URI"]) == (
        "https://graph.microsoft.us/v1.0", "https://phare.example/bye/")
    with pytest.raises(ConfigError, match="PHARE_OIDC_GRAPH_URL: expected an absolute https://"):
        load_settings(PHARE_OIDC_GRAPH_URL="http://graph.example/v1.0")
    with pytest.raises(ConfigError, match="PHARE_OIDC_POST_LOGOUT_REDIRECT_URI"):
        load_settings(PHARE_OIDC_POST_LOGOUT_REDIRECT_URI="/signon/signed-out/")


def test_a_failure_while_asking_the_provider_still_ends_phares_session(org, client, with_mock,
                                                                      monkeypatch):
    make_person(org, "E5", "Eric", "Martin")
    sign_in_at_mock(client, with_mock[0], "eric-sub", {"email": "eric.martin@example.com"})

    def broken(*args: Any) -> str:
        raise RuntimeError("the provider's library failed")

    monkeypatch.setattr(oidc, "end_session_url", broken)
    response = client.post("/accounts/logout/")
    assert response["Location"] == "/accounts/login/" and not signed_in(client)
