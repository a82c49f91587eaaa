"""A page's own stylesheet is linked in its ``<head>`` (``{% block head %}``), never inside
``<main>``: a ``<link>`` in the body makes the page render unstyled, then restyle."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from phare.listening import services
from phare.listening.models import Survey

pytestmark = pytest.mark.django_db

STYLESHEET = re.compile(r'<link[^>]*rel="stylesheet"[^>]*>')


def stylesheets(page: str) -> tuple[list[str], list[str]]:
    """The stylesheets linked in the head and those linked inside ``<main>``."""
    head = page.split("</head>", 1)[0]
    main = re.search(r"<main\b.*?</main>", page, re.S)
    assert main is not None, "the page has no <main>"
    return STYLESHEET.findall(head), STYLESHEET.findall(main.group(0))


def open_survey(**fields) -> Survey:
    survey = services.survey_create(slug="pulse", kind=Survey.Kind.BAROMETER,
                                    title_fr="Pouls", title_en="Pulse", **fields)
    services.question_add(survey, code="nps", type="nps", text_fr="Recommanderiez-vous la DSI ?",
                          text_en="Would you recommend IT?")
    services.survey_set_status(survey, Survey.Status.OPEN)
    return services.survey_update(survey, open_link=True)


@pytest.mark.parametrize(("persona", "url", "own"), [
    ("marketing", "listening:surveys", "listening/builder"),
    ("employee", "needs:list", "needs/needs"),
])
def test_pages_link_their_stylesheet_in_the_head(login, persona, url, own):
    page = login(persona).get(reverse(url)).content.decode()
    in_head, in_main = stylesheets(page)
    assert in_main == []
    assert any(own in link for link in in_head)


def test_the_respondent_page_links_its_stylesheets_in_the_head(client, personas):
    survey = open_survey()
    response = client.get(f"/s/open/{survey.open_token}/")
    assert response.status_code == 200
    in_head, in_main = stylesheets(response.content.decode())
    assert in_main == []
    assert any("listening/respond" in link for link in in_head)


def test_the_check_sees_a_stylesheet_inside_main():
    page = ('<head><link rel="stylesheet" href="/a.css"></head><body><main>'
            '<link rel="stylesheet" href="/b.css"></main></body>')
    assert stylesheets(page) == (['<link rel="stylesheet" href="/a.css">'],
                                 ['<link rel="stylesheet" href="/b.css">'])
