"""Dates and numbers in the reader's language: the day before the month in both languages
(never "01/11/2027" for the 11th of January), thousands grouped as each language writes them."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.template import Context, Template
from django.utils import formats, translation

DAY = dt.date(2027, 1, 11)
MOMENT = dt.datetime(2027, 1, 11, 14, 30)


def _render(source: str, **context) -> str:
    return Template(source).render(Context(context))


def test_english_dates_put_the_day_first_and_name_the_month():
    with translation.override("en"):
        assert formats.date_format(DAY) == "11 January 2027"
        assert formats.date_format(DAY, "SHORT_DATE_FORMAT") == "11 Jan 2027"
        assert formats.date_format(MOMENT, "SHORT_DATETIME_FORMAT") == "11 Jan 2027, 14:30"
        assert formats.date_format(DAY, "MONTH_DAY_FORMAT") == "11 January"
        assert _render('{{ d|date:"SHORT_DATE_FORMAT" }}', d=DAY) == "11 Jan 2027"
        assert _render("{{ d }}", d=DAY) == "11 January 2027"


def test_french_dates_are_day_month_year():
    with translation.override("fr"):
        assert formats.date_format(DAY) == "11 janvier 2027"
        assert formats.date_format(DAY, "SHORT_DATE_FORMAT") == "11/01/2027"
        assert _render('{{ d|date:"SHORT_DATE_FORMAT" }}', d=DAY) == "11/01/2027"


class _DayForm(forms.Form):
    day = forms.DateField()


def test_a_typed_date_is_read_day_first_in_both_languages():
    for language in ("fr", "en"):
        with translation.override(language):
            form = _DayForm({"day": "11/01/2027"})
            assert form.is_valid(), (language, form.errors)
            assert form.cleaned_data["day"] == DAY
            assert _DayForm({"day": "2027-01-11"}).is_valid()
    with translation.override("en"):
        assert not _DayForm({"day": "01/31/2027"}).is_valid()  # no month-first reading


def test_french_numbers_group_thousands_with_a_narrow_no_break_space():
    with translation.override("fr"):
        assert _render("{{ n }}", n=4925) == "4\u202f925"
        assert formats.number_format(1234567.5, 1, use_l10n=True, force_grouping=True) \
            == "1\u202f234\u202f567,5"


def test_english_numbers_group_thousands_with_a_comma():
    with translation.override("en"):
        assert _render("{{ n }}", n=4925) == "4,925"
        assert formats.number_format(1234567.5, 1, use_l10n=True, force_grouping=True) \
            == "1,234,567.5"
