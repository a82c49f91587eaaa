"""Who sees which service: audience rules, drafts, owners."""

from __future__ import annotations

import pytest

from phare.catalog import access
from tests.catalog.factories import make_service


@pytest.fixture
def catalogue(personas, families):
    return {
        "everyone": make_service("everyone"),
        "sales": make_service("sales", audience_everyone=False, audience_units=["VEN"]),
        "dg": make_service("dg", audience_everyone=False, audience_units=["DG"]),
        "lyon": make_service("lyon", audience_everyone=False, audience_sites=["LYS"]),
        "sales_paris": make_service("sales-paris", audience_everyone=False,
                                    audience_units=["VEN"], audience_sites=["PAR"]),
        "draft": make_service("draft", publication="draft", owner="E0003"),
        "review": make_service("review", publication="review"),
        "retired": make_service("retired", lifecycle="retired"),
        "retiring": make_service("retiring", lifecycle="retiring"),
        "proposed": make_service("proposed", lifecycle="proposed"),
    }


def slugs(queryset) -> set[str]:
    return set(queryset.values_list("slug", flat=True))


def test_an_employee_sees_published_live_services_of_their_audience(personas, catalogue):
    seen = slugs(access.services_visible_to(personas["employee"]))  # Ventes, Lyon
    assert seen == {"everyone", "sales", "lyon", "retiring"}


def test_sub_units_inherit_services_for_their_parent_unit(personas, catalogue):
    # The marketing persona is in DSI, a sub-unit of DG.
    assert "dg" in slugs(access.portal_services(personas["marketing"].person))
    assert "dg" not in slugs(access.services_visible_to(personas["employee"]))


def test_every_listed_dimension_must_match(personas, catalogue):
    # Ventes at Lyon: not Ventes at Paris.
    assert "sales-paris" not in slugs(access.services_visible_to(personas["employee"]))


def test_owners_also_see_their_own_services_in_any_state(personas, catalogue):
    seen = slugs(access.services_visible_to(personas["owner"]))
    assert "draft" in seen and "review" not in seen and "sales" not in seen


def test_the_marketing_lead_sees_everything(personas, catalogue):
    assert slugs(access.services_visible_to(personas["marketing"])) == {
        s.slug for s in catalogue.values()}


def test_a_person_without_directory_entry_sees_services_for_everyone(personas, catalogue):
    executive = personas["executive"]
    executive.person = None
    executive.save()
    assert slugs(access.services_visible_to(executive)) == {"everyone", "retiring"}


def test_who_may_change_what(personas, catalogue):
    draft = catalogue["draft"]
    assert access.can_edit(personas["owner"], draft)
    assert not access.can_edit(personas["owner"], catalogue["everyone"])
    assert access.can_edit(personas["marketing"], catalogue["everyone"])
    assert not access.can_edit(personas["employee"], draft)
    assert slugs(access.services_managed_by(personas["owner"])) == {"draft"}
    assert not access.can_publish(personas["owner"])
