from __future__ import annotations

from unittest import mock

from django.db import DatabaseError
from django.urls import reverse


def test_healthz_answers_ok_when_the_database_is_reachable(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


def test_healthz_answers_503_when_the_database_is_not(client, db):
    with mock.patch("phare.core.views.connection.cursor", side_effect=DatabaseError("down")):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"] == "unreachable"


def test_anonymous_visitors_are_sent_to_the_login_page(client, db):
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_pages_are_in_french_by_default_even_for_an_english_browser(client, db):
    response = client.get(reverse("accounts:login"), HTTP_ACCEPT_LANGUAGE="en-GB,en")
    assert response.status_code == 200
    assert '<html lang="fr">' in response.content.decode()
    assert "Se connecter à Phare" in response.content.decode()


def test_the_language_switch_sets_english_and_goes_back(client, db):
    response = client.post(reverse("core:set_language"),
                           {"language": "en", "next": "/accounts/login/"})
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/"
    page = client.get(reverse("accounts:login")).content.decode()
    assert '<html lang="en">' in page
    assert "Sign in to Phare" in page


def test_the_language_switch_refuses_foreign_redirects(client, db):
    response = client.post(reverse("core:set_language"),
                           {"language": "en", "next": "https://evil.example/"})
    assert response["Location"] == "/"


def test_a_persons_directory_language_is_the_default(client, personas):
    employee = personas["employee"]
    employee.person.language = "en"
    employee.person.save()
    client.force_login(employee)
    assert '<html lang="en">' in client.get("/").content.decode()


def test_admin_home_shows_the_directory_figures(login):
    page = login("admin").get("/").content.decode()
    assert "Annuaire de l’organisation" in page or "Annuaire de l'organisation" in page
    assert "personnes actives" in page


def test_other_roles_get_a_welcome_page_with_their_profile(login):
    page = login("employee").get("/").content.decode()
    assert "Bienvenue, Eric Martin" in page
    assert "Ventes" in page
    assert "Importer" not in page  # no link to what the role cannot open
    assert 'action="/catalogue/search/"' in page  # finding a service starts here


def test_login_and_logout(client, personas):
    from tests.accounts.factories import PASSWORD

    response = client.post(reverse("accounts:login"),
                           {"username": "marketing", "password": PASSWORD})
    assert response.status_code == 302
    assert client.get("/").status_code == 200
    client.post(reverse("accounts:logout"))
    assert client.get("/").status_code == 302
    bad = client.post(reverse("accounts:login"), {"username": "marketing", "password": "nope"})
    assert bad.status_code == 200
    assert "Saisissez un nom d’utilisateur et un mot de passe valides" in bad.content.decode()


def test_session_cookie_is_http_only_and_lax(client, personas):
    from tests.accounts.factories import PASSWORD

    response = client.post(reverse("accounts:login"),
                           {"username": "marketing", "password": PASSWORD})
    cookie = response.cookies["sessionid"]
    assert cookie["httponly"]
    assert cookie["samesite"] == "Lax"
