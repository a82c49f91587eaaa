"""The demo organisation: shape, hierarchy, languages, determinism."""

from __future__ import annotations

from collections import Counter

import pytest
from django.db import transaction

from phare.core.demo import DemoContext, build_demo
from phare.directory.models import BusinessUnit, Person, Site
from tests.core.factories import build_demo_through, quiet

SIZE = 150
TOP_UNITS = {
    "Direction générale", "Finance", "Ressources humaines", "Ventes", "Production",
    "Logistique", "R&D", "Juridique",
}


@pytest.fixture
def demo(demo_through) -> DemoContext:
    # The directory's step is the first: later apps' steps add nothing these tests look at.
    return demo_through("directory", seed=7, employees=SIZE)


@pytest.fixture
def thousand(demo_through) -> DemoContext:
    """A larger organisation, for the proportions (built once for the tests that share it)."""
    return demo_through("directory", seed=7, employees=1000)


@pytest.fixture
def two_thousand(demo_through) -> DemoContext:
    return demo_through("directory", seed=3, employees=2000)


def snapshot(seed: int, employees: int = SIZE) -> list[tuple]:
    """The people a build makes, then rolled back so the next build starts from empty."""
    with transaction.atomic():
        build_demo_through("directory", seed=seed, employees=employees)
        people = list(
            Person.objects.order_by("employee_id").values_list(
                "employee_id", "first_name", "last_name", "email", "language", "active",
                "business_unit__code", "site__code", "job_family__code", "manager__employee_id",
            )
        )
        transaction.set_rollback(True)
    return people


def test_it_makes_the_requested_number_of_people(demo):
    assert Person.objects.count() == SIZE
    assert demo.shared["people_count"] == SIZE


def test_it_builds_eight_top_units_each_with_sub_units(demo):
    top = BusinessUnit.objects.filter(parent=None)
    assert {unit.name for unit in top} == TOP_UNITS
    for unit in top:
        assert 2 <= unit.children.count() <= 4, unit.name


def test_it_puts_the_it_department_under_the_direction_generale(demo):
    dsi = BusinessUnit.objects.get(code="DSI")
    assert dsi.name == "Direction des systèmes d'information"
    assert dsi.parent.code == "DG"
    children = set(dsi.children.values_list("code", flat=True))
    assert {"DSI-INFRA", "DSI-APP", "DSI-SUP", "DSI-MKT"} <= children


def test_it_has_sites_in_france_and_abroad(demo):
    assert Site.objects.count() >= 10
    countries = set(Site.objects.values_list("country", flat=True))
    assert "FR" in countries
    assert len(countries - {"FR"}) >= 3
    assert Site.objects.exclude(city="").count() == Site.objects.count()


def test_it_gives_every_active_person_but_the_ceo_a_manager(demo):
    ceo = demo.shared["unit_heads"]["DG"]
    assert list(Person.objects.filter(active=True, manager=None)) == [ceo]


def test_it_has_no_manager_cycles(demo):
    manager_of = dict(Person.objects.values_list("pk", "manager_id"))
    for pk in manager_of:
        seen = set()
        while pk is not None:
            assert pk not in seen
            seen.add(pk)
            pk = manager_of[pk]


def test_it_makes_sub_unit_heads_report_to_the_parent_head(demo):
    heads = demo.shared["unit_heads"]
    for unit in BusinessUnit.objects.exclude(parent=None).select_related("parent"):
        assert heads[unit.code].manager == heads[unit.parent.code], unit.code
        assert heads[unit.code].business_unit == unit


def test_it_keeps_spans_of_control_within_twelve(two_thousand):
    spans = Counter(Person.objects.exclude(manager=None).values_list("manager_id", flat=True))
    assert max(spans.values()) <= 12


def test_it_mixes_french_and_english_speakers(thousand):
    languages = Counter(Person.objects.values_list("language", flat=True))
    assert 0.83 <= languages["fr"] / 1000 <= 0.92
    english = Person.objects.filter(language="en")
    assert english.exclude(site__country="FR").count() > english.count() / 2


def test_it_keeps_sites_consistent_with_units(thousand):
    production = Person.objects.filter(business_unit__parent__code="PROD")
    assert not production.filter(site__code="PAR").exists()
    abroad = Person.objects.exclude(site__country="FR").exclude(business_unit__parent=None)
    top_codes = Counter(abroad.values_list("business_unit__parent__code", flat=True))
    assert top_codes.most_common(1)[0][0] == "VEN"


def test_it_makes_a_few_people_inactive(thousand):
    assert 10 <= Person.objects.filter(active=False).count() <= 20


def test_it_gives_unique_ascii_emails_and_employee_ids(demo):
    emails = list(Person.objects.values_list("email", flat=True))
    assert len(set(emails)) == SIZE
    assert all(email.isascii() and email.endswith("@mareval-industries.com") for email in emails)
    assert Person.objects.values("employee_id").distinct().count() == SIZE


def test_it_publishes_the_demo_people(demo):
    people = demo.shared["demo_people"]
    assert people["admin"].business_unit.code == "DSI-INFRA"
    assert people["owner"].business_unit.code == "DSI-APP"
    marketing = people["marketing"]
    assert (marketing.full_name, marketing.business_unit.code) == ("Hélène Marchand", "DSI-MKT")
    assert marketing.email == "helene.marchand@mareval-industries.com"
    cio = people["cio"]
    assert cio == demo.shared["unit_heads"]["DSI"]
    assert cio.manager == demo.shared["unit_heads"]["DG"]
    assert cio.manager.manager is None
    employee = people["employee"]
    assert employee.business_unit.parent.code == "VEN"
    assert employee.site.country == "FR"
    assert not employee.reports.exists()
    assert all(person.language == "fr" and person.active for person in people.values())
    assert set(demo.shared["units"]) >= {"DG", "DSI", "VEN", "PROD"}
    assert len(demo.shared["sites"]) == Site.objects.count()
    assert "IT" in demo.shared["job_families"]


def test_it_is_deterministic(db):
    first = snapshot(seed=11)
    assert len(first) == SIZE
    assert snapshot(seed=11) == first
    assert snapshot(seed=12) != first


def test_it_refuses_a_size_out_of_range(db):
    with pytest.raises(ValueError, match="100"):
        build_demo(seed=1, employees=50, say=quiet)
