"""Security headers: a Content-Security-Policy without inline script or eval, HTTPS when
PHARE_HTTPS is on, X-Forwarded-Proto believed only from trusted proxies, a clean deploy check."""

from __future__ import annotations

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client

import phare

TEMPLATES = sorted(Path(phare.__file__).parent.glob("**/templates/**/*.html"))


def directives(response) -> dict[str, list[str]]:
    policy = response["Content-Security-Policy"]
    return {name: values for name, *values in (part.split() for part in policy.split(";"))}


@pytest.mark.django_db
def test_pages_forbid_inline_script_and_eval(client):
    for path in ("/accounts/login/", "/healthz"):
        policy = directives(client.get(path))
        assert policy["script-src"] == ["'self'"]
        assert policy["default-src"] == ["'self'"]
        assert policy["object-src"] == ["'none'"]
        assert policy["frame-ancestors"] == ["'none'"]
        assert policy["base-uri"] == ["'none'"]


@pytest.mark.django_db
def test_pages_carry_the_other_security_headers(client):
    response = client.get("/accounts/login/")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


def test_no_template_has_an_inline_script_or_event_handler():
    found = []
    for path in TEMPLATES:
        text = path.read_text(encoding="utf-8")
        for match in re.finditer(r"<script\b([^>]*)>", text, re.IGNORECASE):
            attributes = match.group(1)
            if "src=" not in attributes and 'type="application/json"' not in attributes:
                found.append(f"{path.name}: inline <script>")
        for pattern, what in ((r"\son[a-z]+\s*=", "event handler attribute"),
                              (r"\shx-on", "hx-on (evaluated with eval)"),
                              (r"javascript:", "javascript: URL"),
                              (r"hx-(vals|headers)\s*=\s*['\"]\s*js:", "js: value (eval)")):
            if re.search(pattern, text, re.IGNORECASE):
                found.append(f"{path.name}: {what}")
    assert found == []


@pytest.mark.django_db
def test_htmx_is_told_not_to_eval_on_every_page_shell(client, personas):
    from phare.listening import services
    from tests.listening.factories import make_barometer

    survey = services.survey_set_status(make_barometer("csp", open_link=True), "open")
    client.force_login(personas["marketing"])
    # The application's shell and the respondent's (listening/respond/base.html).
    for path in ("/", f"/s/open/{survey.open_token}/"):
        response = client.get(path)
        assert response.status_code == 200, path
        page = response.content.decode()
        config = page.index('<meta name="htmx-config"')
        assert config < re.search(r'<script[^>]+src="[^"]*htmx', page).start()
        assert '"allowEval":false' in page
        # Script tags in swapped content are kept — charts carry their data in JSON script
        # tags — and the policy (script-src 'self') stops any inline one from running.
        assert '"allowScriptTags":true' in page


def test_the_charts_use_vega_s_interpreter_not_eval():
    charts = Path(phare.__file__).parent / "core/static/phare/charts.js"
    assert re.search(r"\bast:\s*true", charts.read_text())


@pytest.fixture
def https(settings):
    """What PHARE_HTTPS=1 with PHARE_TRUSTED_PROXIES=10.0.0.0/8 sets (settings.py)."""
    settings.PHARE_TRUSTED_PROXIES = ["10.0.0.0/8"]
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True


@pytest.mark.django_db
def test_https_is_believed_only_from_a_trusted_proxy(https):
    forged = Client(REMOTE_ADDR="192.0.2.10").get("/accounts/login/",
                                                  HTTP_X_FORWARDED_PROTO="https")
    assert forged.status_code == 301
    assert forged["Location"] == "https://testserver/accounts/login/"
    proxied = Client(REMOTE_ADDR="10.0.0.2").get("/accounts/login/",
                                                 HTTP_X_FORWARDED_PROTO="https")
    assert proxied.status_code == 200
    assert proxied["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
    # The load balancer's probe is answered in plain HTTP.
    assert Client().get("/healthz").status_code == 200


def _phare(args: list[str], tmp_path: Path, **variables: str) -> subprocess.CompletedProcess:
    # Not the test run's own settings: no PHARE_* of it, nor the async escape hatch that the
    # browser tests' live server sets (a deployment never has it).
    environ = {key: value for key, value in os.environ.items()
               if (not key.startswith("PHARE_") or key == "PHARE_DATABASE_URL")
               and key != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    environ.update(PHARE_HOME=str(tmp_path), **variables)
    return subprocess.run([sys.executable, "-m", "phare", *args], capture_output=True,
                          text=True, env=environ, timeout=120)


def test_the_deploy_check_is_clean_with_production_settings(tmp_path):
    run = _phare(["check", "--deploy", "--fail-level", "DEBUG"], tmp_path,
                 PHARE_HTTPS="1", PHARE_DEBUG="0", PHARE_SECRET_KEY=secrets.token_urlsafe(50),
                 PHARE_TRUSTED_PROXIES="127.0.0.1", PHARE_ALLOWED_HOSTS="phare.example.org")
    assert run.returncode == 0, run.stdout + run.stderr
    assert "System check identified no issues" in run.stdout  # W021 silenced: settings.py


def test_the_deploy_check_warns_without_https(tmp_path):
    run = _phare(["check", "--deploy"], tmp_path, PHARE_SECRET_KEY=secrets.token_urlsafe(50))
    assert "security.W004" in run.stderr and "security.W008" in run.stderr  # HSTS, redirect
