"""The glossary of metrics: every metric of the registry, its definition, how it is computed,
its unit and where it appears, for everyone signed in, in French and in English."""

from __future__ import annotations

import re

import pytest
from django.utils import translation
from django.utils.html import escape

from phare.lib.metrics import METRICS


@pytest.mark.parametrize("persona", ["employee", "owner", "executive", "marketing", "admin"])
def test_it_is_open_to_everyone_signed_in(login, persona):
    assert login(persona).get("/glossary/").status_code == 200


def test_it_sends_visitors_to_log_in(client, db):
    answer = client.get("/glossary/")
    assert answer.status_code == 302 and "/login" in answer["Location"]


def test_it_lists_every_metric_with_its_anchor_and_words(login, english):
    html = login("employee").get("/glossary/").content.decode()
    for spec in METRICS.values():
        entry = re.search(rf'<section class="card glossary-entry" id="{spec.anchor}".*?</section>',
                          html, re.S)
        assert entry, spec.key
        text = entry.group(0)
        for words in (spec.name, spec.definition, spec.computation, spec.where):
            assert escape(str(words)) in text, (spec.key, words)
        # The index links to each entry.
        assert f'href="#{spec.anchor}"' in html
    assert "How it is computed" in html and "Where it appears" in html


def test_it_speaks_french_by_default(login):
    html = login("employee").get("/glossary/").content.decode()
    assert '<html lang="fr">' in html
    # The words in the reader's language (French until the catalogue has them: the source).
    with translation.override("fr"):
        for spec in METRICS.values():
            assert escape(str(spec.name)) in html


def test_every_page_links_to_it_in_its_footer(login, english):
    home = login("marketing").get("/").content.decode()
    footer = re.search(r'<footer class="footer">.*?</footer>', home, re.S)
    assert footer and 'href="/glossary/"' in footer.group(0)
    assert "Glossary of metrics" in footer.group(0)
