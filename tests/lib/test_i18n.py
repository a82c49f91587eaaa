"""Bilingual fields as a reader gets them: their language, else the other one marked as such."""

from __future__ import annotations

from types import SimpleNamespace

from django.template import Context, Template
from django.utils import translation

from phare.lib.i18n import Shown, both, in_language, marked, reader_language, shown, written

BOTH = SimpleNamespace(name_fr="Printemps", name_en="Spring")
FRENCH_ONLY = SimpleNamespace(name_fr="Printemps", name_en="")
ENGLISH_ONLY = SimpleNamespace(name_fr="", name_en="Spring")
FALLBACK_FR = ('<span lang="fr">Printemps</span> <span class="lang-fallback muted">'
               '(in French)</span>')


def test_it_reads_the_readers_language_and_falls_back_to_the_other():
    assert in_language(BOTH, "name", "en") == "Spring"
    assert in_language(BOTH, "name", "fr") == "Printemps"
    assert in_language(FRENCH_ONLY, "name", "en") == "Printemps"
    assert in_language(ENGLISH_ONLY, "name", "fr") == "Spring"
    with translation.override("en"):
        assert in_language(BOTH, "name") == "Spring"
    with translation.override("fr"):
        assert in_language(BOTH, "name") == "Printemps"


def test_it_says_which_language_stands_in():
    assert shown(BOTH, "name", "en") == Shown("Spring", "en", False)
    assert shown(FRENCH_ONLY, "name", "en") == Shown("Printemps", "fr", True)
    assert shown(ENGLISH_ONLY, "name", "fr") == Shown("Spring", "en", True)
    # Nothing in either language: nothing to mark.
    assert shown(SimpleNamespace(name_fr="", name_en=""), "name", "en") == Shown("", "en", False)


def test_a_fallback_carries_its_language_and_a_visible_marker():
    with translation.override("en"):
        assert marked(shown(FRENCH_ONLY, "name")) == FALLBACK_FR
        assert marked(shown(BOTH, "name")) == "Spring"
    with translation.override("fr"):
        html = marked(shown(ENGLISH_ONLY, "name"))
        assert html == ('<span lang="en">Spring</span> '
                        '<span class="lang-fallback muted">(en anglais)</span>')
        assert marked(shown(FRENCH_ONLY, "name")) == "Printemps"


def test_the_text_is_escaped_whatever_the_language():
    typed = SimpleNamespace(name_fr="<b>R&D</b>", name_en="")
    for language in ("fr", "en"):
        html = marked(shown(typed, "name", language))
        assert "&lt;b&gt;R&amp;D&lt;/b&gt;" in html and "<b>" not in html


def test_the_template_filter_marks_the_fallback():
    template = Template('{% load bilingual %}{{ wave|bilingual:"name" }}')
    with translation.override("en"):
        assert template.render(Context({"wave": FRENCH_ONLY})) == FALLBACK_FR
        assert template.render(Context({"wave": BOTH})) == "Spring"
    with translation.override("fr"):
        assert template.render(Context({"wave": FRENCH_ONLY})) == "Printemps"


def test_both_languages_for_texts_written_in_both_at_once():
    assert both(FRENCH_ONLY, "name") == {"fr": "Printemps", "en": "Printemps"}
    assert both(BOTH, "name") == {"fr": "Printemps", "en": "Spring"}


def test_the_readers_language_is_french_or_english():
    assert reader_language("en-gb") == "en"
    assert reader_language("de") == "fr"
    with translation.override("en"):
        assert reader_language() == "en"


def test_a_text_typed_in_one_language_is_marked_for_readers_of_the_other():
    assert written("Portables", "fr", "fr") == Shown("Portables", "fr", False)
    assert written("Portables", "fr", "en") == Shown("Portables", "fr", True)
    assert written("", "fr", "en") == Shown("", "fr", False)
    template = Template('{% load bilingual %}{{ title|written_in:"en" }}')
    with translation.override("fr"):
        html = template.render(Context({"title": "Laptops"}))
    assert html.startswith('<span lang="en">Laptops</span> <span') and "(en anglais)" in html
    with translation.override("en"):
        assert template.render(Context({"title": "Laptops"})) == "Laptops"
