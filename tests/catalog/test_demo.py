"""The demo catalogue: size, families, languages, lifecycles, owners, rules, determinism."""

from __future__ import annotations

from collections import Counter

import pytest
from django.db import transaction

from phare.catalog.content import check_content, content_of
from phare.catalog.models import OfferFamily, Revision, Service
from phare.core.demo import DemoContext
from tests.core.factories import build_demo_through

SIZE = 150
BOTH_LANGUAGES = ["name", "promise", "description", "how_to_get"]


def snapshot(seed: int, **options: int) -> list[tuple]:
    """The services a build makes, then rolled back so the next build starts from empty."""
    with transaction.atomic():
        build_demo_through("catalog", seed=seed, employees=SIZE, options=options)
        services = list(Service.objects.order_by("slug").values_list(
            "slug", "family__code", "owner__employee_id", "deputy__employee_id", "lifecycle",
            "publication", "replacement__slug", "name_en", "unit_cost"))
        transaction.set_rollback(True)
    return services


class TestTheDefaultCatalogue:
    @pytest.fixture
    def demo(self, demo_through) -> DemoContext:
        # Up to the catalogue's step: later apps' steps do not change the services.
        return demo_through("catalog", seed=7, employees=SIZE)

    def test_it_builds_a_realistic_catalogue_in_seven_families(self, demo):
        assert 40 <= Service.objects.count() <= 60
        assert OfferFamily.objects.count() == 7
        for family in OfferFamily.objects.all():
            assert family.name_fr and family.name_en
            assert family.description_fr and family.description_en
            assert family.services.exists(), family.code

    def test_it_fills_both_languages_of_every_service(self, demo):
        for service in Service.objects.all():
            for name in BOTH_LANGUAGES:
                assert getattr(service, f"{name}_fr"), (service.slug, name)
                assert getattr(service, f"{name}_en"), (service.slug, name)
            assert service.keywords and service.request_url.startswith("https://servicedesk.")
            for commitment in service.commitments.all():
                assert commitment.text_fr and commitment.text_en

    def test_it_varies_lifecycles_and_publication_states(self, demo):
        lifecycles = Counter(Service.objects.values_list("lifecycle", flat=True))
        publications = Counter(Service.objects.values_list("publication", flat=True))
        assert 4 <= lifecycles["proposed"] + lifecycles["design"] <= 6
        assert 3 <= lifecycles["retiring"] <= 4
        assert 3 <= lifecycles["retired"] <= 4
        assert lifecycles["live"] > sum(lifecycles.values()) / 2
        assert 3 <= publications["draft"] <= 5
        assert 2 <= publications["review"] <= 3
        assert publications["published"] > sum(publications.values()) / 2
        assert not Service.objects.filter(publication="published", published_at=None).exists()

    def test_it_gives_every_retiring_or_retired_service_a_live_replacement(self, demo):
        for service in Service.objects.filter(lifecycle__in=["retiring", "retired"]):
            assert service.replacement is not None, service.slug
            assert service.replacement.lifecycle == "live", service.slug

    def test_every_demo_service_passes_the_catalogue_rules(self, demo):
        for service in Service.objects.all():
            assert check_content(content_of(service), slug=service.slug) == {}, service.slug

    def test_it_fills_commitments_costs_faqs_news_and_links(self, demo):
        services = Service.objects.all()
        assert all(s.commitments.exists() for s in services.exclude(lifecycle="retired"))
        assert services.exclude(faqs=None).count() >= 15
        assert services.exclude(news=None).count() >= 15
        assert services.filter(cost_unit="user_month").exists()
        assert services.filter(cost_unit="request").exists()
        assert services.filter(charging="charged_back").exists()
        assert services.filter(charging="included").exists()
        assert services.exclude(annual_run_cost=None).count() >= 40
        vpn = Service.objects.get(slug="teletravail-securise")
        assert {"vpn", "forticlient", "teletravail"} <= set(vpn.keywords.replace(",", " ").split())
        # Related services go both ways.
        for other in vpn.related.all():
            assert vpn in other.related.all()

    def test_the_demo_owner_has_services_to_edit_and_submit(self, demo):
        people = demo.shared["demo_people"]
        owned = Service.objects.filter(owner=people["owner"])
        assert owned.count() >= 3
        assert owned.filter(lifecycle="live", publication="published").exists()
        assert owned.filter(publication="draft").exists()
        assert not Service.objects.filter(owner=people["marketing"]).exists()
        assert not Service.objects.filter(deputy=people["marketing"]).exists()

    def test_owners_and_deputies_are_active_it_people(self, demo):
        for service in Service.objects.select_related("owner__business_unit", "deputy"):
            assert service.owner.active and service.owner.business_unit.code.startswith("DSI-")
            assert service.deputy and service.deputy != service.owner

    def test_some_services_are_reserved_to_a_unit_a_site_or_a_job_family(self, demo):
        legal = Service.objects.get(slug="gestion-contrats")
        assert not legal.audience_everyone
        assert list(legal.audience_units.values_list("code", flat=True)) == ["JUR"]
        payroll = Service.objects.get(slug="paie-sirh")
        assert list(payroll.audience_units.values_list("code", flat=True)) == ["RH"]
        assert Service.objects.filter(audience_sites__isnull=False).exists()
        assert Service.objects.filter(audience_job_families__isnull=False).exists()
        assert Service.objects.filter(audience_everyone=True).count() > Service.objects.count() / 2

    def test_it_records_who_created_each_service(self, demo):
        assert Revision.objects.filter(action="created").count() == Service.objects.count()
        revision = Revision.objects.get(service__slug="messagerie-agenda")
        assert revision.by.username == "marketing"
        assert revision.changes.filter(field="name_fr").exists()

    def test_it_publishes_services_and_families_for_later_steps(self, demo):
        slugs = Service.objects.values_list("slug", flat=True)
        assert set(demo.shared["services"]) == set(slugs)
        assert set(demo.shared["families"]) == set(OfferFamily.objects.values_list("code",
                                                                                  flat=True))

    def test_it_indexes_the_catalogue_for_search(self, demo):
        from phare.catalog.access import portal_services
        from phare.catalog.search import search_services

        hits = search_services("vpn", within=portal_services(None), language="fr")
        assert "teletravail-securise" in [hit.service.slug for hit in hits]


@pytest.mark.slow
def test_the_same_seed_gives_the_same_catalogue(db):
    # Past the hand-written services, so the generated ones are compared too.
    first = snapshot(11, services=120)
    assert len(first) == 120
    assert snapshot(11, services=120) == first


@pytest.fixture
def three_hundred(demo_through) -> DemoContext:
    return demo_through("catalog", seed=3, employees=SIZE, services=300)


@pytest.fixture
def twelve(demo_through) -> DemoContext:
    return demo_through("catalog", seed=3, employees=SIZE, services=12)


@pytest.mark.slow
def test_more_services_are_generated_on_request(three_hundred):
    services = Service.objects.all()
    assert services.count() == 300
    assert Revision.objects.filter(action="created").count() == 300
    assert set(services.values_list("family__code", flat=True)) == set(
        OfferFamily.objects.values_list("code", flat=True))
    for service in services:
        assert check_content(content_of(service), slug=service.slug) == {}, service.slug
        for name in BOTH_LANGUAGES:
            assert getattr(service, f"{name}_en"), (service.slug, name)
    for service in services.filter(lifecycle__in=["retiring", "retired"]):
        assert service.replacement.lifecycle == "live", service.slug
    assert services.filter(audience_everyone=False).exists()


def test_a_smaller_catalogue_keeps_its_links_consistent(twelve):
    assert Service.objects.count() == 12
    assert OfferFamily.objects.count() == 7
    for service in Service.objects.all():
        assert check_content(content_of(service), slug=service.slug) == {}, service.slug
        if service.lifecycle == "retiring":
            assert service.replacement is not None
