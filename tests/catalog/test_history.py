"""The history and the pending changes in words: labels, choices, yes/no, money, names."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation

from phare.catalog import queries, services
from phare.catalog.content import content_of
from tests.catalog.factories import content, make_service


@pytest.fixture
def created(personas, families):
    make_service("vpn", name_fr="VPN", name_en="VPN")
    return services.service_create(user=personas["marketing"], data=content(
        name_fr="Visioconférence", family="remote", audience_everyone=False,
        audience_units=["VEN"], audience_sites=["LYS"], cost_unit="user_month",
        unit_cost="150000.00", charging="charged_back", annual_run_cost="1234.50",
        owner="E0003", deputy="E0004", related=["vpn"],
        commitments=[{"text_fr": "Salle prête en 5 minutes", "text_en": "Room ready in 5 minutes",
                      "target": "90", "unit": "percent"},
                     {"text_fr": "Réponse en 4 heures", "text_en": "", "target": "4",
                      "unit": "hours"}]))


def _changes(service):
    (entry,) = queries.history(service)
    return {label: new for label, _old, new in entry["changes"]}


def test_each_change_reads_as_words_in_english(created):
    with translation.override("en"):
        changes = _changes(created)
    assert changes["Offer family"] == "Working remotely"
    assert changes["For everyone"] == "No"
    assert changes["Cost unit"] == "per user per month"
    assert changes["Charging"] == "Charged back"
    assert changes["Unit cost (€)"] == "150,000 €"
    assert changes["Annual run cost (€)"] == "1,234.50 €"
    assert (changes["Owner"], changes["Deputy"]) == ("Olivier Owner", "Claire Dupont")
    assert changes["Business units"] == "Ventes" and changes["Sites"] == "Lyon Gerland"
    assert changes["Related services"] == "VPN"
    assert changes["Commitments"] == ("Room ready in 5 minutes — 90 %\n"
                                      "Réponse en 4 heures — 4 hours")
    shown = set(changes.values())
    assert not shown & {"remote", "false", "true", "150000.00", "E0003", "user_month"}
    assert not any("| 90 | percent" in value for value in shown)


def test_in_french_money_and_names_follow_french_usage(created):
    with translation.override("fr"):
        changes = _changes(created)
    nbsp = {"\u202f": " ", "\xa0": " "}
    money = changes["Coût unitaire (€)"].translate(str.maketrans(nbsp))
    assert money == "150 000 €"
    assert changes["Famille d’offre"] == "Travailler à distance"
    assert changes["Engagements"].translate(str.maketrans(nbsp)).startswith(
        "Salle prête en 5 minutes — 90 %")


def test_lifecycle_and_pending_changes_read_as_labels(personas, families, created, login):
    services.service_change_lifecycle(user=personas["marketing"], service=created, to="design",
                               note="")
    with translation.override("en"):
        lifecycle = queries.history(created)[0]["changes"]
    assert ("Lifecycle", "Proposed", "In design") in lifecycle
    created.refresh_from_db()
    services.service_publish(user=personas["marketing"], service=created, note="")
    created.refresh_from_db()
    services.service_update(user=personas["owner"], service=created,
                            data=content_of(created) | {"audience_everyone": True,
                                                        "unit_cost": "12.00"})
    page = login("marketing").get(reverse("catalog:manage_detail", args=[created.slug]))
    text = page.content.decode()
    pending = text.split('id="pending-title"')[1].split("</section>")[0]
    pending = pending.replace("\u202f", " ").replace("\xa0", " ")
    assert "150 000 €" in pending
    assert "12 €" in pending and "Oui" in pending and "true" not in pending
