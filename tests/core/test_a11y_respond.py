"""The survey pages speak one language: the page's ``lang`` is the language of its words, and a
survey text shown in the other language (its own is empty) is marked with its language."""

from __future__ import annotations

import ast
import re
from datetime import date
from pathlib import Path

import pytest
from django.utils import translation
from django.utils.functional import Promise

from phare.listening import services
from phare.listening.models import Invitation, Survey
from phare.listening.views import respond
from tests.listening.factories import invite, open_barometer, page_one, send, url

pytestmark = pytest.mark.django_db

# The names xgettext (``makemessages``) extracts from Python: a string given to anything else
# never reaches the French catalogue and is shown in English on a French page.
EXTRACTED = {"_", "gettext", "gettext_lazy", "gettext_noop", "ngettext", "ngettext_lazy",
             "pgettext", "pgettext_lazy", "npgettext", "npgettext_lazy"}


def found(pattern: str, text: str, group: int = 0) -> str:
    match = re.search(pattern, text)
    assert match is not None, pattern
    return match.group(group)


def html_lang(response) -> str:
    return found(r'<html lang="([^"]+)">', response.content.decode(), 1)


def test_every_message_of_the_survey_pages_reaches_the_catalogue():
    tree = ast.parse(Path(respond.__file__).read_text())
    imported = [alias.asname or alias.name for node in ast.walk(tree)
                if isinstance(node, ast.ImportFrom) and node.module == "django.utils.translation"
                for alias in node.names]
    assert imported and set(imported) <= EXTRACTED, imported
    for kind, (_status, heading, paragraphs) in respond.MESSAGES.items():
        for text in (heading, *paragraphs):
            assert isinstance(text, Promise), kind  # lazy: translated when the page renders


@pytest.mark.parametrize("language", ["en", "fr"])
def test_the_thanks_page_is_in_the_invitation_language(client, personas, language):
    survey = open_barometer()
    invitation = invite(survey, personas["employee"].person, language=language)
    Invitation.objects.filter(pk=invitation.pk).update(responded_on=date(2026, 1, 5))
    page = client.get(url(invitation, "thanks/"))
    assert page.status_code == 200
    assert html_lang(page) == language and page["Content-Language"] == language
    with translation.override(language):
        heading = str(respond.MESSAGES["thanks"][1])
    assert heading in page.content.decode()
    if language == "en":
        assert "Thank you, your answers are recorded" in page.content.decode()
        assert '<div class="respond-thanks">' in page.content.decode()


#: A French text standing in for a missing English one: its language, said in words too.
STAND_IN = (r'<div class="lang-fallback-block"><p><span class="lang-fallback muted">'
            r'\(in French\)</span></p><div lang="fr">')


def test_a_survey_text_in_the_other_language_is_marked_so(client, personas):
    survey = open_barometer(thanks_en="")  # only the French thank-you message exists
    invitation = invite(survey, personas["employee"].person, language="en")
    Invitation.objects.filter(pk=invitation.pk).update(responded_on=date(2026, 1, 5))
    page = client.get(url(invitation, "thanks/")).content.decode()
    assert '<html lang="en">' in page
    # The French stand-in carries its language and says so in words ("(in French)").
    assert re.search(r'<div class="respond-thanks">' + STAND_IN + r'<p>Merci pour vos réponses !',
                     page)
    assert '<p class="respond-survey">' in page  # the title exists in English: not marked


def test_an_intro_in_the_other_language_is_marked_so(client, personas):
    survey = open_barometer()  # the barometer's introduction is only in French
    invitation = invite(survey, personas["employee"].person, language="en")
    page = client.get(url(invitation)).content.decode()
    assert '<html lang="en">' in page
    assert re.search(r'<div class="respond-intro">' + STAND_IN + r'<p>Dix minutes', page)
    assert re.search(r"<h1>IT satisfaction barometer</h1>", page)


@pytest.mark.parametrize("language", ["en", "fr"])
def test_the_invalid_link_page_follows_its_language_switch(client, language):
    page = client.get("/s/" + "x" * 32 + "/?lang=" + language)
    assert page.status_code == 404
    assert html_lang(page) == language and page["Content-Language"] == language
    with translation.override(language):
        heading = str(respond.MESSAGES["not_found"][1])
        footer = translation.gettext("Phare — a survey of the IT department.")
    body = page.content.decode()
    assert f"<title>{heading} · Phare</title>" in body and footer in body
    if language == "en":
        assert "This link does not work" in body


def test_a_page_with_errors_says_so_in_its_title_and_summary(client, personas):
    survey = open_barometer()
    invitation = invite(survey, personas["employee"].person, language="en")
    page = send(client, url(invitation), {"csat": "4"}).content.decode()
    assert "<title>Error: IT satisfaction barometer · Phare</title>" in page
    assert re.search(r'<div class="error-summary" id="error-summary" role="alert" '
                     r'tabindex="-1" data-error-summary', page)
    fine = send(client, url(invitation), page_one()).content.decode()
    assert "<title>Error:" not in fine


def test_a_closed_survey_page_is_in_french_for_a_french_invitation(client, personas):
    survey = open_barometer()
    invitation = invite(survey, personas["employee"].person, language="fr")
    services.survey_set_status(survey, Survey.Status.CLOSED)
    page = client.get(url(invitation))
    assert page.status_code == 410 and html_lang(page) == "fr"
    with translation.override("fr"):
        heading = str(respond.MESSAGES["closed"][1])
    assert heading in page.content.decode()
