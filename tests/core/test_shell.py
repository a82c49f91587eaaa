"""The page's shell: the menu's markup (its phone button, its entries per role) and the
script and styles that fold it and keep pages from overflowing on a phone."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.test import Client
from django.urls import reverse
from django.utils import translation

pytestmark = pytest.mark.django_db

NAV = re.compile(r'<nav aria-label="[^"]+">(.*?)</nav>', re.S)


def shell(client: Client, url: str = "/") -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def menu_links(page: str) -> list[str]:
    nav = NAV.search(page)
    assert nav is not None, "the page has no main navigation"
    return re.findall(r'<a href="([^"]+)"', nav.group(1))


def test_it_puts_a_menu_button_before_the_menu_it_folds(login):
    page = shell(login("employee"))
    button = re.search(r"<button[^>]*data-menu-toggle[^>]*>", page)
    assert button is not None
    tag = button.group(0)
    assert 'type="button"' in tag
    assert 'aria-expanded="false"' in tag
    assert 'aria-controls="site-menu"' in tag
    # Hidden until the script takes charge of it: without the script the menu stays open.
    assert " hidden" in tag
    menu = page.index('id="site-menu"')
    assert page.index("data-menu-toggle") < menu
    # The navigation, the language switch and the account links are all inside the menu,
    # in that order (the focus order follows).
    header = page[menu:page.index("</header>")]
    positions = [header.index(marker) for marker in (
        "<nav ", 'class="language"', reverse("accounts:password_change"),
        reverse("accounts:logout"))]
    assert positions == sorted(positions)


def test_it_names_the_menu_button_in_the_readers_language(login):
    client = login("owner")
    with translation.override("en"):
        client.cookies["django_language"] = "en"
        page = shell(client)
    assert re.search(r"data-menu-toggle hidden><span[^>]*></span>Menu</button>", page)


def test_it_loads_the_shell_script_from_a_file_with_no_inline_script(login):
    page = shell(login("marketing"))
    assert re.search(r'<script src="/static/phare/shell(\.[0-9a-f]+)?\.js"></script>', page)
    inline = [tag for tag in re.findall(r"<script\b[^>]*>", page)
              if "src=" not in tag and "application/json" not in tag]
    assert inline == []


def test_a_signed_out_page_has_no_menu_button_but_keeps_the_language_switch(client):
    page = shell(client, reverse("accounts:login"))
    assert "data-menu-toggle" not in page
    assert 'class="language"' in page


@pytest.mark.parametrize(("persona", "sees_tokens"), [
    ("admin", True), ("marketing", True), ("owner", True), ("executive", True),
    ("employee", False),
])
def test_only_an_employee_has_no_api_tokens_entry(login, persona, sees_tokens):
    links = menu_links(shell(login(persona)))
    assert (reverse("accounts:tokens") in links) is sees_tokens
    assert links[0] == reverse("core:home")


def test_the_employee_menu_lists_what_an_employee_may_open(login):
    links = menu_links(shell(login("employee")))
    assert links == [reverse("core:home"), reverse("catalog:home"), reverse("comms:home"),
                     reverse("needs:list")]


def test_an_employee_still_opens_the_tokens_page_by_its_address(login):
    # Leaving the menu does not change access (tests/test_role_matrix.py has the rule).
    assert login("employee").get(reverse("accounts:tokens")).status_code == 200


def test_the_marketing_menu_marks_the_current_page(login):
    page = shell(login("marketing"), reverse("catalog:home"))
    current = re.findall(r'<a href="([^"]+)" aria-current="page">', page)
    assert current == [reverse("catalog:home")]


def static_text(name: str) -> str:
    path = finders.find(name)
    assert path is not None, name
    return Path(str(path)).read_text(encoding="utf-8")


def test_the_stylesheet_folds_the_menu_on_phones_only():
    css = static_text("phare/phare.css")
    phone = re.search(r"@media \(max-width: 48rem\) \{(.*?)\n\}", css, re.S)
    assert phone is not None
    assert '.menu-folds .menu-toggle[aria-expanded="false"] + .menu { display: none; }' \
        in phone.group(1)
    # Outside the phone rules the button is never shown and the menu box is transparent.
    outside = css.replace(phone.group(0), "")
    assert ".menu-toggle { display: none; }" in outside
    assert ".menu { display: contents; }" in outside


def test_the_stylesheet_reflows_facts_tables_charts_and_badges():
    css = static_text("phare/phare.css")
    assert re.search(r"\.badge \{[^}]*white-space: nowrap", css)
    assert re.search(r"\.table-scroll \{[^}]*overflow-x: auto", css)
    assert "minmax(min(30rem, 100%), 1fr)" in css
    assert re.search(r"\.chart-grid > \* \{ min-width: 0; \}", css)
    assert re.search(r"\.facts \{ grid-template-columns: minmax\(0, 1fr\)", css)


def test_the_script_wires_the_button_and_wraps_tables():
    script = static_text("phare/shell.js")
    assert 'setAttribute("aria-expanded"' in script
    assert '"Escape"' in script
    assert "table-scroll" in script
    assert "htmx:afterSettle" in script
    assert "eval(" not in script and "innerHTML" not in script
