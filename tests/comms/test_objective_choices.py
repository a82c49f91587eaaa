"""The objective form offers the barometers' grid and its attributes by name (no code to
type), and still refuses, on the field, a code that is not offered or not the survey's."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, cast

import pytest
from django.forms import ChoiceField
from django.utils import translation

from phare.comms import forms
from tests.listening.factories import make_barometer

pytestmark = pytest.mark.django_db


def _choices(form, name):
    field = form.fields[name]
    assert isinstance(field, ChoiceField)
    return list(cast(Iterable[Any], field.choices))


def _form(data):
    return forms.ObjectiveForm({"title": "Réactivité perçue", "metric": "satisfaction",
                                "target": "7.5", **data})


def test_it_offers_the_grid_and_its_attributes_by_name_in_the_readers_language(personas):
    make_barometer(created_by=personas["marketing"])
    with translation.override("en"):
        form = forms.ObjectiveForm()
    title = "IT satisfaction barometer"
    assert _choices(form, "question") == [
        ("", "—"), ("grid", f"Importance and satisfaction ({title})")]
    assert _choices(form, "option") == [
        ("", "—"), ("communication", f"Communication ({title})"),
        ("competence", f"Expertise ({title})"), ("reactivite", f"Responsiveness ({title})")]
    assert 'data-picker' in str(form["option"])  # the searchable picker


def test_an_attribute_shared_by_two_barometers_is_one_choice_naming_both(personas):
    make_barometer(created_by=personas["marketing"])
    make_barometer("barometre-2", created_by=personas["marketing"])
    with translation.override("fr"):
        choices = dict(_choices(forms.ObjectiveForm(), "option"))
    assert choices["reactivite"].count("Réactivité (") == 2


def test_it_takes_a_choice_and_builds_the_parameters(personas):
    survey = make_barometer(created_by=personas["marketing"])
    form = _form({"survey": survey.slug, "question": "grid", "option": "reactivite"})
    assert form.is_valid(), form.errors
    assert form.params() == {"survey": survey.slug, "question": "grid", "option": "reactivite"}


@pytest.mark.parametrize(("data", "field"), [
    ({"question": "nps", "option": "reactivite"}, "question"),  # a question, not the grid
    ({"question": "grid", "option": "price"}, "option"),  # not one of its rows
    ({"question": "", "option": "reactivite"}, "question"),  # the figure needs it
])
def test_it_refuses_a_code_not_offered_on_its_field(personas, data, field):
    survey = make_barometer(created_by=personas["marketing"])
    form = _form({"survey": survey.slug, **data})
    assert not form.is_valid()
    assert list(form.errors) == [field]


def test_an_attribute_of_another_barometer_is_refused(personas):
    survey = make_barometer(created_by=personas["marketing"])
    other = make_barometer("barometre-2", created_by=personas["marketing"])
    version = other.current_version()
    grid = version.questions.get(code="grid")
    grid.options = [*grid.options, {"code": "vpn", "label_fr": "VPN", "label_en": "VPN"}]
    grid.save()
    form = _form({"survey": survey.slug, "question": "grid", "option": "vpn"})
    assert not form.is_valid()
    assert "vpn" in form.errors["option"][0]
