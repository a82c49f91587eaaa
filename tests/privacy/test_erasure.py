from __future__ import annotations

import pyarrow.parquet as pq  # type: ignore[import-untyped]
import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import connection, models, transaction
from django.db.utils import DatabaseError

from phare.accounts.models import ApiToken
from phare.audit.actions import Action as AuditAction
from phare.audit.models import Entry
from phare.comms.models import Click, Delivery, Open, Registration
from phare.contact.models import OptOut, Solicitation
from phare.core.models import SentMail
from phare.directory.models import Person
from phare.insights import store as insights_store
from phare.lib import privacy
from phare.listening.models import Invitation, Response
from phare.needs.models import Comment, Follow, Need, Vote
from phare.privacy import usage_events
from phare.privacy.services.erasure import CUSTOM, ErasureRefused, erase, pseudonym_label
from phare.reports.models import Schedule
from phare.signon.models import ScimGroup, ScimUser
from phare.usage import store as usage_store
from phare.usage.models import Licence
from phare.usage.services import person_key
from tests.privacy.factories import make_world, response_count

#: Text fields that hold an address or a login without being an EmailField.
NAMED_LIKE = ("email", "recipient", "username")


def places_holding_people() -> set[str]:
    """Every ``model.field`` of the installed apps that points at a person or an account, or
    holds an address or a username."""
    person, user = Person, get_user_model()
    found = set()
    for model in apps.get_models():
        for field in model._meta.get_fields():
            if not isinstance(field, models.Field):  # reverse relations are the other side's
                continue
            points = field.is_relation and field.related_model in (person, user)
            names = isinstance(field, models.EmailField) or (
                not field.is_relation and any(word in field.name for word in NAMED_LIKE))
            if points or names:
                found.add(f"{model._meta.label}.{field.name}")
    return found


def undeclared(declared: set[str]) -> set[str]:
    return places_holding_people() - declared


def test_it_knows_what_becomes_of_every_place_that_holds_people(db):
    declared = {holding.key for holding in privacy.holdings()}
    assert undeclared(declared) == set()
    # The check can fail: a model nobody declared is reported.
    assert undeclared(declared - {"needs.Vote.person"}) == {"needs.Vote.person"}
    assert "comms.Plan.contributors" in places_holding_people()


def test_it_has_a_rule_for_every_custom_holding():
    custom = {h.key for h in privacy.holdings() if h.erase == privacy.CUSTOM}
    assert custom == set(CUSTOM)


def test_it_refuses_an_unknown_rule():
    with pytest.raises(ValueError, match="erase="):
        privacy.declare("needs.Vote", "person", by="person", erase="forget",  # type: ignore
                        section="x")


def _insights(survey):
    frame = insights_store.query([survey], "SELECT count(*) AS n, sum(score) AS total, "
                                 "count(DISTINCT unit) AS units FROM responses", max_age=0)
    return frame.to_dict("records")


def test_it_erases_a_person_across_every_module(personas, org):
    w = make_world(org, personas)
    eric, user = w.person, w.user
    email, name = eric.email, eric.full_name
    before = {"named": _insights(w.named), "anonymous": _insights(w.anonymous),
              "responses": response_count(w.named), "invitations": Invitation.objects.count(),
              "deliveries": Delivery.objects.count(), "clicks": Click.objects.count(),
              "entries": Entry.objects.count(), "votes": Vote.objects.count()}
    assert usage_events.events(eric.pk)

    done = erase(eric, actor=personas["admin"])

    label = pseudonym_label(eric)
    assert label.startswith("Ancien collaborateur #")
    eric.refresh_from_db()
    assert (eric.full_name, eric.email, eric.active) == (label, "", False)
    assert eric.employee_id.startswith("erased-") and eric.manager is None
    user.refresh_from_db()
    assert not user.is_active and not user.has_usable_password()
    assert (user.email, user.first_name, user.person_id) == ("", "", None)
    assert user.username.startswith("erased-")
    assert not ApiToken.objects.filter(user=user).exists()
    # Listening: answers and invitations kept (rates, results), unlinked, figures unchanged.
    assert response_count(w.named) == before["responses"]
    assert Invitation.objects.count() == before["invitations"]
    assert not Response.objects.filter(respondent=eric).exists()
    assert not Response.objects.filter(source_id=f"SRC-{w.others[0].employee_id}",
                                       respondent__isnull=True).exists()
    assert not Invitation.objects.filter(email__iexact=email).exists()
    assert _insights(w.named) == before["named"]
    assert _insights(w.anonymous) == before["anonymous"]
    # Needs: kept under the pseudonym when others voted, deleted otherwise; votes, comments.
    assert Need.objects.get(pk=w.kept_need.pk).submitter.full_name == label
    assert not Need.objects.filter(pk=w.lonely_need.pk).exists()
    assert Vote.objects.filter(person=eric, need=w.other_need).exists()
    assert Comment.objects.get(need=w.other_need).author.full_name == label
    assert not Follow.objects.filter(person=eric).exists()
    assert Vote.objects.count() == before["votes"]
    # Tickets, catalogue, contact, emails, schedules.
    w.ticket.refresh_from_db()
    assert (w.ticket.requester_id, w.ticket.requester_email) == (eric.pk, "")
    w.service.refresh_from_db()
    assert w.service.owner_id is None
    assert Solicitation.objects.filter(person=eric).count() == 1
    assert not OptOut.objects.filter(person=eric).exists()
    assert not SentMail.objects.filter(recipient__iexact=email).exists()
    assert SentMail.objects.filter(recipient=label).count() == 1
    assert Schedule.objects.get(pk=w.schedule.pk).recipients == ["boss@example.com"]
    # Comms: reach and clicks still count, on the pseudonymised record.
    assert (Delivery.objects.count(), Click.objects.count()) == (before["deliveries"],
                                                                 before["clicks"])
    assert Delivery.objects.get(pk=w.delivery.pk).error == ""
    assert Open.objects.count() == 1 and Registration.objects.count() == 1
    assert Licence.objects.filter(person=eric).count() == 1
    # Usage: the events still count, under a key that leads to no one.
    assert usage_events.events(eric.pk) == []
    assert done["usage_events"] == 1
    assert len(usage_events.events(w.others[0].pk)) == 1
    people = pq.read_table(usage_store.people_file()).column("person").to_pylist()
    assert person_key(eric.pk) not in people and person_key(w.others[0].pk) in people
    # Audit: as many entries, none naming him; the erasure recorded under the pseudonym.
    assert Entry.objects.count() == before["entries"] + 1
    for entry in Entry.objects.exclude(action=AuditAction.ROLE_CHANGED):
        text = f"{entry.actor_name} {entry.target_label} {entry.details} {entry.user_agent}"
        assert name not in text and email not in text.lower() and entry.actor_name != "employee"
    signin = Entry.objects.get(action=AuditAction.SIGNIN)
    assert (signin.actor_name, signin.ip, signin.user_agent) == (label, None, "")
    failed = Entry.objects.get(action=AuditAction.SIGNIN_FAILED)
    assert failed.details == {"username": label}
    other = Entry.objects.get(action=AuditAction.ROLE_CHANGED)
    assert other.target_label == "Eric Martineau"
    assert other.details == {"role": "employee", "note": "E00051"}
    erasure = Entry.objects.get(action=AuditAction.ERASURE)
    assert erasure.target_label == label and erasure.actor_name == "admin"
    assert person_key(eric.pk) not in str(erasure.details)


def test_it_erases_once(personas, org):
    eric = personas["employee"].person
    erase(eric, actor=None)
    with pytest.raises(ErasureRefused):
        erase(Person.objects.get(pk=eric.pk), actor=None)


def test_it_changes_nothing_when_a_step_fails(personas, org, monkeypatch):
    w = make_world(org, personas)

    def broken(person_id: int) -> int:
        raise OSError("disk full")

    monkeypatch.setattr(usage_events, "rekey", broken)
    with pytest.raises(OSError):
        erase(w.person, actor=None)
    w.person.refresh_from_db()
    assert w.person.email == "eric.martin@example.com" and w.person.active
    assert Need.objects.filter(pk=w.lonely_need.pk).exists()
    assert ApiToken.objects.filter(user=w.user).exists()
    assert Entry.objects.filter(actor_name="employee").exists()
    assert not Entry.objects.filter(action=AuditAction.ERASURE).exists()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger is PostgreSQL's")
def test_it_leaves_the_trail_append_only_outside_the_erasure(personas):
    # (connection.vendor is read at collection: the test database's vendor.)
    entry = Entry.objects.filter(actor_name="admin").first() or __import__(
        "phare.audit.services", fromlist=["record"]).record(
        action=AuditAction.EXPORT, actor=personas["admin"])
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE audit_entry SET actor_name = 'x' WHERE id = %s", [entry.pk])
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        # Even while pseudonymising, what an entry is (its action) cannot change.
        cursor.execute("SELECT set_config('phare.audit_pseudonymise', 'on', true)")
        cursor.execute("UPDATE audit_entry SET action = 'import' WHERE id = %s", [entry.pk])


def test_it_takes_the_person_out_of_the_identity_systems_groups(personas):
    eric, other = personas["employee"].person, personas["owner"].person
    group = ScimGroup.objects.create(display_name="Phare Users")
    group.members.add(eric, other)
    ScimUser.objects.create(person=eric, user_name=eric.email)
    done = erase(eric, actor=None)
    assert list(group.members.all()) == [other]
    assert not ScimUser.objects.filter(person=eric).exists()
    assert done["scim_groups"] == 1 and done["scim_user"] == 1
