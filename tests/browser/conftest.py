"""Browser tests: Playwright for Python driving Debian's Chromium (never a downloaded browser).

Skipped with a reason when Chromium or Playwright is absent, unless PHARE_REQUIRE_BROWSER=1,
in which case they fail. Screenshots go to ``test-artifacts/screenshots/`` for people to look at.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from tests.browser.factories import (
    SCREENSHOTS,
    SerialLiveServerThread,
    lock_cursors,
    tracked,
)

# Playwright's sync API runs an event loop in this thread; the ORM calls the tests make to set
# data up are still synchronous and safe here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("PHARE_CHROMIUM", "/usr/bin/chromium")
ROOT = Path(__file__).resolve().parents[2]
#: axe-core's script: .ci/run installs it from npm into the git-ignored .cache/npm.
AXE = Path(os.environ.get("PHARE_AXE_JS")
           or ROOT / ".cache" / "npm" / "node_modules" / "axe-core" / "axe.min.js")
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--disable-quic", "--no-first-run"]


def _unavailable() -> str | None:
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "Playwright for Python is not installed (pip install -e '.[test]')"
    if not (Path(CHROMIUM).exists() or shutil.which(CHROMIUM)):
        return f"Chromium not found at {CHROMIUM} (apt-get install chromium)"
    return None


def pytest_collection_modifyitems(config, items):
    reason = _unavailable()
    for item in items:
        if "tests/browser/" not in str(item.fspath).replace(os.sep, "/"):
            continue
        item.add_marker(pytest.mark.browser)
        if reason:
            if os.environ.get("PHARE_REQUIRE_BROWSER") == "1":
                item.add_marker(pytest.mark.usefixtures("_require_browser"))
            else:
                item.add_marker(pytest.mark.skip(reason=reason))


@pytest.fixture
def _require_browser():
    pytest.fail(f"PHARE_REQUIRE_BROWSER=1 but {_unavailable()}")


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def live_server(request):
    """pytest-django's live server, serving one request at a time (see
    :class:`tests.browser.factories.SerialLiveServerThread` for why)."""
    from django.db import connections
    from pytest_django.live_server_helper import LiveServer

    address = request.config.getvalue("liveserver") or os.getenv(
        "DJANGO_LIVE_TEST_SERVER_ADDRESS", "localhost")
    server = LiveServer(address, start=False)
    plain = server.thread
    server.thread = SerialLiveServerThread(
        plain.host, static_handler=plain.static_handler,
        connections_override=plain.connections_override, port=plain.port)
    server.thread.daemon = True
    unlock = lock_cursors(connections["default"])  # the connection the server shares
    server.start()
    yield server
    server.stop()
    unlock()


# Every page reports what its Content-Security-Policy blocked (Playwright's init script itself
# runs outside the policy).
REPORT_VIOLATIONS = """document.addEventListener("securitypolicyviolation", (event) => {
  console.error(`CSP violation: ${event.violatedDirective} blocked ${event.blockedURI}`
                + ` at ${event.sourceFile}:${event.lineNumber}`);
});"""


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 860},
                                  locale="en-GB")
    context.add_init_script(REPORT_VIOLATIONS)
    page = tracked(context.new_page())
    page.set_default_timeout(10_000)
    problems: list[str] = []
    page.on("console", lambda message: problems.append(message.text) if message.type == "error"
            and ("CSP violation" in message.text or "Content Security Policy" in message.text
                 or "eval" in message.text.lower()) else None)
    page.on("pageerror", lambda error: problems.append(f"script error: {error}"))
    page.csp_problems = problems  # a test that provokes one on purpose empties it
    yield page
    context.close()
    # No test may see a script blocked, an eval refused or a script error.
    assert problems == [], problems


@pytest.fixture
def shot(page):
    """``shot("name")`` saves a full-page screenshot to look at."""

    def take(name: str) -> Path:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take


@pytest.fixture
def pick(page):
    """``pick(box, "ven", "Ventes")``: types into a searchable picker (phare/picker.js; ``box``
    a selector or locator of its text box) and chooses the option of that name, as a person
    does; ``pick(box, None, None, remove="Lyon")`` removes a chosen one with its chip's button."""

    def choose(box, typed: str | None, option: str | None, *, remove: str = "") -> None:
        box = page.locator(box) if isinstance(box, str) else box
        if remove:
            box.locator("xpath=..").locator(".picker-chip", has_text=remove).get_by_role(
                "button").click()
            return
        box.fill(typed or "")
        options = page.locator(f"[id='{box.get_attribute('id')}-options']")
        options.get_by_role("option", name=option).first.click()

    return choose


@pytest.fixture
def sign_in(page, personas):
    """Sign in through the login form, as a person does."""
    from tests.accounts.factories import PASSWORD

    def as_persona(username: str) -> None:
        page.goto("/accounts/login/")
        page.get_by_label("Identifiant").fill(username)
        page.get_by_label("Mot de passe").fill(PASSWORD)
        page.get_by_role("button", name="Connexion").click()
        page.wait_for_url("**/")

    return as_persona


@pytest.fixture(scope="session")
def axe_script() -> str:
    """axe-core's source, to evaluate in a page. Skipped when it is not installed, unless
    PHARE_REQUIRE_BROWSER=1 (CI), in which case the test fails."""
    if not AXE.is_file():
        reason = (f"axe-core not found at {AXE} (npm install --no-save --prefix .cache/npm "
                  "axe-core@4, as .ci/run does, or set PHARE_AXE_JS)")
        if os.environ.get("PHARE_REQUIRE_BROWSER") == "1":
            pytest.fail(f"PHARE_REQUIRE_BROWSER=1 but {reason}")
        pytest.skip(reason)
    return AXE.read_text(encoding="utf-8")
