"""Who sees what in insights (phare.insights.access), role by role, and the ticket filters that
never take an owner outside their own services."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from django.http import QueryDict

from phare.insights import access
from phare.insights.forms import TicketFilterForm
from phare.insights.tickets import experience, ticket_surveys
from phare.listening import services
from phare.tickets.models import Ticket
from phare.tickets.services import ticket_survey_create
from tests.catalog.factories import make_families, make_service
from tests.insights.factories import rate
from tests.listening.factories import make_barometer

READERS = ("admin", "marketing", "executive")
MARCH_OVER = dt.datetime(2026, 4, 2, 12, tzinfo=dt.UTC)


@pytest.fixture
def catalogue(personas):
    """The owner persona (E0003) owns "visio" and backs up "wiki"; "messagerie" is someone
    else's."""
    make_families()
    return {
        "visio": make_service("visio", name_fr="Visioconférence", family="collab",
                              owner="E0003"),
        "wiki": make_service("wiki", name_fr="Wiki", family="collab", owner="E0001",
                             deputy="E0003"),
        "messagerie": make_service("messagerie", name_fr="Messagerie", family="collab",
                                   owner="E0002"),
    }


@pytest.mark.parametrize("persona", READERS)
def test_readers_see_every_service_and_survey(personas, catalogue, persona):
    user = personas[persona]
    survey = make_barometer()
    assert access.reads_everything(user)
    assert set(access.visible_services(user)) == set(catalogue.values())
    assert access.ticket_scope(user) is None
    assert list(access.visible_surveys(user)) == [survey]
    assert all(access.may_see_value_card(user, s) for s in catalogue.values())


def test_an_owner_sees_the_services_they_own_or_back_up_and_no_survey(personas, catalogue):
    owner = personas["owner"]
    make_barometer()
    assert not access.reads_everything(owner)
    assert set(access.visible_services(owner)) == {catalogue["visio"], catalogue["wiki"]}
    assert access.ticket_scope(owner) == ("visio", "wiki")
    assert not access.visible_surveys(owner).exists()
    assert access.may_see_value_card(owner, catalogue["visio"])
    assert access.may_see_value_card(owner, catalogue["wiki"])
    assert not access.may_see_value_card(owner, catalogue["messagerie"])


def test_an_owner_without_a_service_or_a_person_sees_nothing(personas, catalogue):
    owner = personas["owner"]
    owner.person = None
    owner.save()
    assert access.ticket_scope(owner) == ()
    assert not access.visible_services(owner).exists()
    assert not access.may_see_value_card(owner, catalogue["visio"])


def test_an_employee_sees_nothing(personas, catalogue):
    employee = personas["employee"]
    make_barometer()
    assert not access.reads_everything(employee)
    assert access.ticket_scope(employee) == ()
    assert not access.visible_services(employee).exists()
    assert not access.visible_surveys(employee).exists()
    assert not any(access.may_see_value_card(employee, s) for s in catalogue.values())


def test_the_value_card_opens_only_on_a_service_the_user_may_open(personas, catalogue):
    catalogue["messagerie"].publication = "draft"
    catalogue["messagerie"].save()
    assert access.card_service(personas["owner"], "visio") == catalogue["visio"]
    assert access.card_service(personas["owner"], "messagerie") is None
    assert access.card_service(personas["marketing"], "messagerie") == catalogue["messagerie"]
    assert access.card_service(personas["marketing"], "nothing-here") is None


@pytest.fixture
def rated_services(catalogue):
    """Eight rated tickets of "visio" (the owner's) and eight of "messagerie" (not theirs),
    in March 2026, by phone and portal."""
    survey = ticket_survey_create()
    services.survey_set_status(survey, "open")
    for i in range(16):
        rate(survey, None, i, rating=[9, 3][i % 2], lost="none",
             channel="phone" if i % 4 < 2 else "portal")
    Ticket.objects.filter(external_id__in=[f"INC{i:05d}" for i in range(8)]).update(
        service=catalogue["visio"])
    Ticket.objects.filter(external_id__in=[f"INC{i:05d}" for i in range(8, 16)]).update(
        service=catalogue["messagerie"])
    return survey


def _read(user, **params):
    data = QueryDict(mutable=True)
    for key, value in params.items():
        data.setlist(key, value if isinstance(value, list) else [value])
    form = TicketFilterForm.for_reader(data, user)
    return form, experience(ticket_surveys(), form.filters(), now=MARCH_OVER)


def test_an_owner_never_gets_another_owners_service_through_any_filter(personas,
                                                                      rated_services):
    owner = personas["owner"]
    everything = _read(personas["marketing"])[1]
    assert everything.total["n"] == 16  # the figures are there to be leaked
    others = [("", "", []), ("phone", "", []), ("", "VEN", ["2026-03"]),
              ("fax", "XX", ["2026-02"])]
    for service, (channel, unit, month) in itertools.product(
            ["", "visio", "messagerie", "nothing"], others):
        form, data = _read(owner, service=service, channel=channel, unit=unit, month=month)
        # Within their services, or (a filter not offered) nothing at all.
        assert form.filters().scope == (("visio", "wiki") if form.is_valid() else ())
        shown = [row for row in data.by.get("service", []) if not row["suppressed"]]
        assert {row["key"] for row in shown} <= {"visio"}, (service, channel, unit, month)
        assert data.total is None or data.total["n"] is None or data.total["n"] <= 8
        if service in ("messagerie", "nothing"):
            assert not form.is_valid() and "service" in form.errors
            assert data.total is None


def test_the_owner_is_offered_their_own_services_only(personas, rated_services):
    form, data = _read(personas["owner"])
    assert [slug for slug, _name in form.fields["service"].choices] == ["", "visio", "wiki"]
    assert form.is_valid() and data.total["n"] == 8
    reader = _read(personas["executive"])[0]
    assert {slug for slug, _ in reader.fields["service"].choices} == {
        "", "visio", "wiki", "messagerie"}
