"""Lifecycle, publication and history rules of the catalogue."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from phare.catalog import services
from phare.catalog.content import content_of
from phare.catalog.models import Revision, Service
from tests.catalog.factories import content, make_service


@pytest.fixture
def owned(personas, families):
    """A published live service owned by the persona 'owner' (E0003)."""
    return make_service("vpn", name_fr="Télétravail", owner="E0003", family="remote")


def test_it_creates_a_draft_with_its_history(personas, families):
    service = services.service_create(user=personas["marketing"],
                                      data=content(name_fr="Visioconférence"))
    assert (service.slug, service.publication, service.lifecycle) == (
        "visioconference", "draft", "proposed")
    revision = service.revisions.get()
    assert revision.action == Revision.Action.CREATED and revision.by == personas["marketing"]
    assert {c.field for c in revision.changes.all()} >= {"name_fr", "promise_fr", "family"}


def test_it_refuses_bad_content_with_every_field_named(personas, families):
    with pytest.raises(ValidationError) as caught:
        services.service_create(user=personas["marketing"], data=content(
            name_fr="", family="nope", unit_cost="abc", request_url="javascript:alert(1)",
            commitments=[{"text_fr": "", "target": "x", "unit": "percent"}]))
    errors = caught.value.message_dict
    assert set(errors) >= {"name_fr", "family", "unit_cost", "request_url",
                           "commitments[1].text_fr", "commitments[1].target"}
    assert not Service.objects.exists()


def test_owners_create_only_services_they_own(personas, families):
    created = services.service_create(user=personas["owner"], data=content(name_fr="Mine"))
    assert created.owner.employee_id == "E0003"
    with pytest.raises(ValidationError):
        services.service_create(user=personas["owner"], data=content(name_fr="x", owner="E0002"))
    with pytest.raises(PermissionDenied):
        services.service_create(user=personas["employee"], data=content(name_fr="x"))


def test_an_owner_edits_their_own_service_and_not_anothers(personas, families, owned):
    other = make_service("other", owner="E0004")
    with pytest.raises(PermissionDenied):
        services.service_update(user=personas["owner"], service=other,
                                data=content_of(other) | {"promise_fr": "Hijacked"})
    with pytest.raises(PermissionDenied):
        services.service_update(user=personas["employee"], service=owned,
                                data=content_of(owned))


def test_an_owners_edit_of_a_published_service_waits_for_publication(personas, families, owned):
    services.service_update(user=personas["owner"], service=owned,
                            data=content_of(owned) | {"promise_fr": "Depuis partout"})
    owned.refresh_from_db()
    assert owned.promise_fr == "Une promesse"  # the portal still shows the published text
    assert owned.pending == {"promise_fr": "Depuis partout"}
    services.service_submit(user=personas["owner"], service=owned)
    assert owned.pending_submitted
    services.service_publish(user=personas["marketing"], service=owned, note="OK")
    owned.refresh_from_db()
    assert owned.promise_fr == "Depuis partout" and owned.pending is None
    published = owned.revisions.filter(action=Revision.Action.PUBLISHED).get()
    change = published.changes.get(field="promise_fr")
    assert (change.old, change.new) == ("Une promesse", "Depuis partout")
    assert published.by == personas["marketing"] and published.note == "OK"


def test_the_marketing_lead_edits_published_services_directly(personas, families, owned):
    services.service_update(user=personas["marketing"], service=owned,
                            data=content_of(owned) | {"keywords": "vpn, remote"})
    owned.refresh_from_db()
    assert owned.keywords == "vpn, remote" and owned.pending is None
    assert owned.revisions.get().action == Revision.Action.EDITED


def test_an_unchanged_save_records_nothing(personas, families, owned):
    services.service_update(user=personas["marketing"], service=owned, data=content_of(owned))
    assert not owned.revisions.exists()


def test_the_publication_cycle(personas, families):
    draft = services.service_create(user=personas["owner"], data=content(name_fr="Nouveau"))
    with pytest.raises(PermissionDenied):
        services.service_publish(user=personas["owner"], service=draft)
    services.service_submit(user=personas["owner"], service=draft)
    assert draft.publication == "review"
    with pytest.raises(ValidationError):
        services.service_submit(user=personas["owner"], service=draft)
    with pytest.raises(ValidationError):
        services.service_send_back(user=personas["marketing"], service=draft, note=" ")
    services.service_send_back(user=personas["marketing"], service=draft, note="Trop technique")
    assert draft.publication == "draft"
    services.service_submit(user=personas["owner"], service=draft)
    services.service_publish(user=personas["marketing"], service=draft)
    assert draft.publication == "published" and draft.published_at
    with pytest.raises(ValidationError):
        services.service_publish(user=personas["marketing"], service=draft)
    services.service_unpublish(user=personas["marketing"], service=draft)
    assert draft.publication == "draft"
    actions = list(draft.revisions.order_by("pk").values_list("action", flat=True))
    assert actions == ["created", "submitted", "returned", "submitted", "published",
                       "unpublished"]


@pytest.mark.parametrize(("start", "to", "allowed"), [
    ("proposed", "design", True), ("proposed", "live", False), ("design", "live", True),
    ("live", "retired", False), ("live", "proposed", False), ("retiring", "retired", True),
    ("retired", "live", False),
])
def test_only_allowed_lifecycle_transitions(personas, families, start, to, allowed):
    service = make_service("s", lifecycle=start)
    if allowed:
        services.service_change_lifecycle(user=personas["marketing"], service=service, to=to)
        assert service.lifecycle == to
        revision = service.revisions.get()
        assert revision.action == "lifecycle" and revision.by == personas["marketing"]
        assert list(revision.changes.values_list("old", "new")) == [(start, to)]
    else:
        with pytest.raises(ValidationError, match="ne peut pas passer de"):
            services.service_change_lifecycle(user=personas["marketing"], service=service, to=to)


def test_a_retiring_service_names_its_replacement(personas, families, owned):
    successor = make_service("successor")
    with pytest.raises(ValidationError, match="doit nommer"):
        services.service_change_lifecycle(user=personas["owner"], service=owned, to="retiring")
    services.service_change_lifecycle(user=personas["owner"], service=owned, to="retiring",
                                      replacement=successor)
    owned.refresh_from_db()
    assert owned.replacement == successor
