"""The communication plan's forms: fields checked, criteria and parameters built, a service's
refusals put back on the fields."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from phare.comms import forms
from phare.comms.models import Action, Audience
from phare.comms.services import plans as services
from tests.comms.factories import make_action, make_audience, make_objective, make_plan
from tests.listening.factories import make_barometer, plan

pytestmark = pytest.mark.django_db


def test_it_checks_a_plans_dates(personas):
    form = forms.PlanForm({"name": "Plan", "starts_on": "2027-06-01", "ends_on": "2027-01-01",
                           "contributors": [personas["employee"].pk]})
    assert not form.is_valid()
    assert set(form.errors) == {"ends_on"}


def test_it_builds_the_criteria_of_an_audience(personas):
    form = forms.AudienceForm({"name": "Ventes hors Lyon", "units": ["VEN", "DG"],
                               "sub_units": "on", "exclude_sites": ["LYS"],
                               "needs": ["3", "4"], "needs_who": ["voters"]})
    assert form.is_valid() is False  # needs 3 and 4 do not exist
    assert set(form.errors) == {"needs"}
    form = forms.AudienceForm({"name": "Ventes hors Lyon", "units": ["VEN", "DG"],
                               "sub_units": "on", "exclude_sites": ["LYS"]})
    assert form.is_valid(), form.errors
    assert form.criteria() == {"units": ["DG", "VEN"], "sub_units": True,
                               "exclude": {"sites": ["LYS"]}}
    audience = services.audience_save(user=personas["marketing"],
                                      name=form.cleaned_data["name"],
                                      criteria=form.criteria())
    assert forms.AudienceForm.initial_for(audience)["units"] == ["DG", "VEN"]


def test_it_puts_each_criterion_error_on_its_field(org):
    form = forms.AudienceForm({"name": "X", "units": ["NOPE"]})
    assert not form.is_valid()
    assert set(form.errors) == {"units"}  # not a unit of the directory
    form = forms.AudienceForm({"name": "X", "managers": ["E0005", "NOBODY"], "units": ["VEN"],
                               "usage_days": "3"})
    assert not form.is_valid()
    assert set(form.errors) == {"managers"}  # no one in this directory: managers are people
    form = forms.AudienceForm({"name": "X"})
    assert form.field_of("criteria.usage.service") == "usage_service"
    assert form.field_of("criteria.exclude.sites[0]") == "exclude_sites"
    assert form.field_of("criteria.units[2]") == "units"
    assert form.field_of("criteria.colour") is None


def test_it_builds_an_objectives_parameters_for_its_metric(personas):
    wave = plan(make_barometer(created_by=personas["marketing"]))
    form = forms.ObjectiveForm({"title": "Adoption", "metric": "adoption", "units": ["VEN"],
                                "wave": str(wave.pk)})
    assert not form.is_valid()
    assert "service" in form.errors  # adoption needs a service; the wave is not its
    form = forms.ObjectiveForm({"title": "Mieux connu", "metric": "none", "wave": str(wave.pk)})
    assert form.is_valid(), form.errors
    assert form.params() == {}
    # The wave and the survey are picked by name, and the parameters keep their ids.
    form = forms.ObjectiveForm({"title": "Relances", "metric": "response_rate",
                                "wave": str(wave.pk)})
    assert form.is_valid(), form.errors
    assert form.params() == {"wave": wave.pk}
    assert "Printemps" in str(form["wave"])
    form = forms.ObjectiveForm({"title": "Relances", "metric": "response_rate", "wave": "999"})
    assert set(form.errors) == {"wave"}


def test_it_offers_the_plans_objectives_and_builds_an_actions_values(personas):
    plan = make_plan(personas["marketing"])
    objective = make_objective(plan)
    make_objective(make_plan(name="Other"), "Elsewhere")
    audience = make_audience()
    form = forms.ActionForm({"title": "Teams", "objective": objective.pk, "kind": "message",
                             "channel": "email", "category": "newsletter",
                             "audience": audience.pk, "languages": ["fr"],
                             "starts_on": "2027-03-01", "holdout_percent": "10",
                             "contributors": [personas["employee"].pk]}, plan=plan)
    assert list(form.fields["objective"].queryset) == [objective]
    assert form.is_valid(), form.errors
    values = form.values()
    action = services.action_save(user=personas["marketing"], plan=plan, **values)
    assert (action.objective, action.audience, action.languages, action.holdout_percent) == (
        objective, audience, ["fr"], 10)
    assert list(action.contributors.all()) == [personas["employee"]]
    assert forms.ActionForm.initial_for(action)["title"] == "Teams"


def test_it_puts_an_actions_refusal_on_its_fields_and_writes_nothing(personas):
    plan = make_plan(personas["marketing"])
    form = forms.ActionForm({"title": "Teams", "kind": "message", "channel": "email",
                             "category": "newsletter", "everyone": "on",
                             "audience": make_audience().pk, "starts_on": "2027-03-01",
                             "ends_on": "2027-02-01", "holdout_percent": "0"}, plan=plan)
    assert form.is_valid(), form.errors
    with pytest.raises(ValidationError) as caught:
        services.action_save(user=personas["marketing"], plan=plan, **form.values())
    forms.add_service_errors(form, caught.value)
    assert set(form.errors) == {"audience", "ends_on"}
    assert not Action.objects.exists()


def test_it_limits_attachments_to_known_types(settings):
    with translation.override("en"):
        form = forms.AttachmentForm({}, {"file": SimpleUploadedFile("virus.exe", b"MZ")})
        assert not form.is_valid()
        assert "not a file that can be attached" in form.errors["file"][0]
    form = forms.AttachmentForm({}, {"file": SimpleUploadedFile("visual.png", b"\x89PNG")})
    assert form.is_valid(), form.errors


def test_it_turns_the_board_filters_into_the_lists_and_the_calendars(personas):
    plan = make_plan(personas["marketing"])
    make_action(plan)
    form = forms.ActionFilterForm({"plan": plan.pk, "channel": "email", "status": "nowhere",
                                   "starts_from": dt.date(2027, 1, 1).isoformat()},
                                  user=personas["marketing"])
    assert not form.is_valid() and set(form.errors) == {"status"}
    form = forms.ActionFilterForm({"plan": plan.pk, "channel": "email"},
                                  user=personas["marketing"])
    assert form.filters().plan == plan.pk
    assert form.calendar_filters().channel == "email"
    hidden = forms.ActionFilterForm({"plan": plan.pk}, user=personas["employee"])
    assert not hidden.is_valid() and "plan" in hidden.errors  # not a plan they see
    assert Audience.objects.count() == 0
