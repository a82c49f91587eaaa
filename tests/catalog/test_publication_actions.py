"""The publication actions a service's state allows come from the services, and the management
page shows those and no others; names on the management pages follow the reader's language."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import translation

from phare.catalog import services
from phare.catalog.models import Service
from tests.catalog.factories import make_service

#: Each publication state a service can be in: (publication, pending, pending_submitted).
STATES = {
    "draft": ("draft", None, False),
    "review": ("review", None, False),
    "published": ("published", None, False),
    "changes proposed": ("published", {"promise_fr": "Une autre promesse"}, False),
    "changes submitted": ("published", {"promise_fr": "Une autre promesse"}, True),
}
WRITES = {
    "submit": services.service_submit,
    "publish": services.service_publish,
    "send_back": lambda **kw: services.service_send_back(note="À revoir.", **kw),
    "unpublish": services.service_unpublish,
}


def _service(state: str) -> Service:
    publication, pending, submitted = STATES[state]
    service = make_service("vpn", name_fr="Télétravail", owner="E0003", family="remote",
                           publication=publication)
    Service.objects.filter(pk=service.pk).update(pending=pending, pending_submitted=submitted)
    service.refresh_from_db()
    return service


def _accepted(write, **kwargs) -> bool:
    """Whether the service accepts, leaving the database as it was."""
    try:
        with transaction.atomic():
            write(**kwargs)
            transaction.set_rollback(True)
    except (ValidationError, PermissionDenied):
        return False
    return True


@pytest.mark.parametrize("persona", ["marketing", "owner"])
@pytest.mark.parametrize("state", list(STATES))
def test_it_offers_the_publication_actions_the_services_accept(personas, families, state,
                                                               persona):
    service, user = _service(state), personas[persona]
    offered = services.publication_actions(user=user, service=service)
    assert offered == [a for a in services.PUBLICATION_ACTIONS if a in offered]
    for action, write in WRITES.items():
        # A fresh copy each time: a write changes the instance it is given, rollback or not.
        accepted = _accepted(write, user=user, service=Service.objects.get(pk=service.pk))
        if action == "submit" and state == "changes submitted":
            # Submitting again is harmless, so the service lets it be; it is not offered.
            assert accepted and action not in offered
        else:
            assert (action in offered) == accepted, (state, persona, action)


@pytest.mark.parametrize("state", list(STATES))
def test_the_management_page_shows_the_offered_actions_only(login, personas, families, state):
    service = _service(state)
    for persona in ("marketing", "owner"):
        page = login(persona).get(reverse("catalog:manage_detail", args=[service.slug]))
        assert page.status_code == 200
        html = page.content.decode()
        offered = services.publication_actions(user=personas[persona], service=service)
        shown = [a["name"] for a in page.context["owner_actions"] + page.context["review_actions"]]
        assert sorted(shown) == sorted(offered)
        for action in services.PUBLICATION_ACTIONS:
            url = reverse(f"catalog:manage_{action}", args=[service.slug])
            assert (f'action="{url}"' in html) == (action in offered), (state, persona, action)


def test_the_management_pages_name_services_in_the_readers_language(client, personas,
                                                                    families):
    make_service("vpn", name_fr="Télétravail en toute sécurité", name_en="Working from home",
                 owner="E0003", family="remote")
    make_service("visio", name_fr="Visioconférence", name_en="Video meetings", family="collab")
    client.force_login(personas["marketing"])
    # The language a request activates stays on the thread: give the next tests theirs back.
    with translation.override(translation.get_language()):
        client.post(reverse("core:set_language"), {"language": "en", "next": "/"})
        for name in ("catalog:manage_detail", "catalog:manage_edit"):
            page = client.get(reverse(name, args=["vpn"])).content.decode()
            assert "Video meetings" in page, name
            assert "Visioconférence" not in page, name
