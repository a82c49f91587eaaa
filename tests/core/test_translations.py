"""The French catalogue is complete and its compiled file matches it."""

from __future__ import annotations

import gettext
from pathlib import Path

import polib

import phare

LOCALE = Path(phare.__file__).parent / "locale" / "fr" / "LC_MESSAGES"


def test_every_string_is_translated_to_french():
    catalogue = polib.pofile(str(LOCALE / "django.po"))
    untranslated = [e.msgid for e in catalogue.untranslated_entries()]
    fuzzy = [e.msgid for e in catalogue.fuzzy_entries()]
    assert untranslated == []
    assert fuzzy == []


def test_the_compiled_catalogue_matches_the_sources():
    catalogue = polib.pofile(str(LOCALE / "django.po"))
    with open(LOCALE / "django.mo", "rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    for entry in catalogue.translated_entries():
        if entry.msgid_plural and entry.msgctxt:
            assert compiled.npgettext(entry.msgctxt, entry.msgid, entry.msgid_plural, 1) \
                == entry.msgstr_plural[0]
        elif entry.msgid_plural:
            assert compiled.ngettext(entry.msgid, entry.msgid_plural, 1) == entry.msgstr_plural[0]
        elif entry.msgctxt:  # the same words may read otherwise in another context
            assert compiled.pgettext(entry.msgctxt, entry.msgid) == entry.msgstr, entry.msgid
        else:
            assert compiled.gettext(entry.msgid) == entry.msgstr, entry.msgid
