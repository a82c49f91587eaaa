"""The searchable pickers render a plain select (the page works without a script) marked for
phare/picker.js, with the script's words in the page's language."""

from __future__ import annotations

import pytest
from django import forms
from django.db import connection
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from phare.directory.models import BusinessUnit
from phare.lib.widgets import SearchSelect, SearchSelectMultiple

CHOICES = [("", "—"), ("fin", "Finance"), ("ven", "Ventes"), ("dsi", "DSI")]


class Pickers(forms.Form):
    unit = forms.ChoiceField(choices=CHOICES, required=False, widget=SearchSelect)
    units = forms.MultipleChoiceField(choices=CHOICES[1:], required=False,
                                      widget=SearchSelectMultiple)


def test_it_renders_a_select_with_every_choice_and_the_chosen_one_selected():
    html = str(Pickers({"unit": "ven", "units": ["fin", "dsi"]})["unit"])
    assert html.startswith('<select name="unit"')
    assert "data-picker" in html and "data-picker-url" not in html
    assert '<option value="ven" selected>Ventes</option>' in html
    assert '<option value="fin">Finance</option>' in html


def test_a_multiple_picker_is_a_select_multiple_with_its_choices_selected():
    html = str(Pickers({"units": ["fin", "dsi"]})["units"])
    assert '<select name="units"' in html and "multiple" in html
    assert '<option value="fin" selected>Finance</option>' in html
    assert '<option value="dsi" selected>DSI</option>' in html
    assert '<option value="ven">Ventes</option>' in html


def test_the_script_words_follow_the_page_language():
    with translation.override("en"):
        html = str(Pickers()["unit"])
    assert 'data-picker-none="No match"' in html
    assert 'data-picker-remove="Remove"' in html


def test_the_label_points_at_the_field_and_errors_describe_it():
    form = Pickers({"unit": "nowhere"})
    assert not form.is_valid()
    html = str(form["unit"])
    assert 'id="id_unit"' in html and 'aria-invalid="true"' in html
    assert 'aria-describedby="id_unit_error"' in html


class Remote(forms.Form):
    unit = forms.ModelChoiceField(
        queryset=BusinessUnit.objects.order_by("name"), to_field_name="code", required=False,
        widget=SearchSelect(search_url="/search/", placeholder="Type a name"))
    units = forms.ModelMultipleChoiceField(
        queryset=BusinessUnit.objects.order_by("name"), to_field_name="code", required=False,
        widget=SearchSelectMultiple(search_url="/search/"))


@pytest.mark.django_db
def test_a_picker_searched_on_the_server_holds_only_the_chosen_options():
    for code, name in (("FIN", "Finance"), ("VEN", "Ventes"), ("DSI", "DSI"), ("RH", "RH")):
        BusinessUnit.objects.create(code=code, name=name)
    form = Remote(initial={"unit": "VEN", "units": ["FIN", "RH"]})
    with CaptureQueriesContext(connection) as queries:
        one, many = str(form["unit"]), str(form["units"])
    assert 'data-picker-url="/search/"' in one and 'data-picker-placeholder="Type a name"' in one
    assert '<option value="VEN" selected>Ventes</option>' in one
    assert '<option value="">—</option>' in one  # the choice can be emptied
    assert "Finance" not in one and "DSI" not in one
    assert '<option value="FIN" selected>Finance</option>' in many
    assert '<option value="RH" selected>RH</option>' in many
    assert "Ventes" not in many and "DSI" not in many
    # One query per picker, for the chosen rows: never the whole table.
    assert len(queries) == 2
    assert all("IN" in q["sql"] for q in queries.captured_queries)


@pytest.mark.django_db
def test_an_empty_remote_picker_reads_nothing():
    with CaptureQueriesContext(connection) as queries:
        html = str(Remote()["units"])
    assert "<option" not in html
    assert len(queries) == 0


def test_without_script_a_server_searched_picker_offers_a_box_to_type_the_value():
    with translation.override("en"):
        html = str(Remote()["units"])
    assert '<noscript><input type="text" name="units"' in html
    assert 'aria-label="Or type identifiers, separated by commas"' in html
    assert "<noscript>" not in str(Pickers()["units"])  # a list the page holds needs none


def test_what_is_typed_without_script_wins_over_the_select():
    one, many = SearchSelect(search_url="/s/"), SearchSelectMultiple(search_url="/s/")
    # The select sent the current value; the box (empty or filled) comes after it.
    assert one.value_from_datadict(QueryDict("owner=E1&owner="), {}, "owner") == "E1"
    assert one.value_from_datadict(QueryDict("owner=E1&owner=E2"), {}, "owner") == "E2"
    assert one.value_from_datadict(QueryDict("owner=&owner="), {}, "owner") == ""
    assert one.value_from_datadict(QueryDict(""), {}, "owner") is None
    assert many.value_from_datadict(QueryDict("m=E1&m=E2, E3 ,E1"), {}, "m") == ["E1", "E2", "E3"]
