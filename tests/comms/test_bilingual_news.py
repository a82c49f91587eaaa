"""Portal news written in one language only: shown to readers of the other as written, with
its ``lang`` and a discreet marker; news written in the reader's language is not marked."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from tests.comms.factories import make_action, make_plan


@pytest.fixture
def news(personas):
    today = timezone.localdate()
    plan = make_plan(personas["marketing"])
    shown = {"channel": "portal", "status": "done", "starts_on": today - dt.timedelta(days=1),
             "expires_on": today + dt.timedelta(days=5)}
    make_action(plan, "Portail", subject_fr="Nouveau portail", subject_en="",
                body_fr="Bienvenue.", body_en="", **shown)
    make_action(plan, "Teams", subject_fr="Teams arrive", subject_en="Teams is here",
                body_fr="Lisez le guide.", body_en="Read the guide.", **shown)


def test_english_readers_see_french_only_news_marked_as_french(login, news, english):
    page = login("employee").get("/comms/news/").content.decode()
    assert ('<span lang="fr">Nouveau portail</span> <span class="lang-fallback muted">'
            '(in French)</span></h3>') in page
    assert '<div lang="fr"><p>Bienvenue.</p>' in page
    assert "Teams is here</h3>" in page and '<div lang="en"><p>Read the guide.</p>' in page


def test_french_readers_see_french_news_unmarked(login, news):
    page = login("employee").get("/comms/news/").content.decode()
    assert "Nouveau portail</h3>" in page and "Teams arrive</h3>" in page
    assert "lang-fallback" not in page
