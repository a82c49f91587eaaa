"""Privacy test data: one person (the employee persona, Eric Martin) present in every module,
beside other people, and the figures that must not change when Eric is erased."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.test import RequestFactory
from django.utils import timezone

from phare.accounts.models import ApiToken, User
from phare.accounts.services import token_create
from phare.audit.actions import Action as AuditAction
from phare.audit.services import record
from phare.catalog.models import Service
from phare.comms.models import Click, Delivery, Link, Open, Registration
from phare.contact.models import Category, OptOut, Solicitation
from phare.core.models import SentMail
from phare.directory.models import Person
from phare.listening import services as listening
from phare.listening.models import Response, Survey
from phare.needs import services as needs
from phare.needs.models import Need
from phare.reports.models import Schedule
from phare.tickets.models import Ticket
from phare.usage.models import Licence
from tests.comms.factories import make_action, make_plan
from tests.directory.factories import make_person
from tests.listening.factories import SEGMENT, full_answers, invite, make_barometer, submit
from tests.needs.factories import make_need
from tests.usage.factories import import_events, service, use

TODAY = dt.date(2026, 11, 20)


@dataclass
class World:
    person: Person
    user: User
    others: list[Person]
    named: Survey
    anonymous: Survey
    kept_need: Need
    lonely_need: Need
    other_need: Need
    service: Service
    ticket: Ticket
    delivery: Delivery
    schedule: Schedule


def make_world(org: dict[str, Any], personas: dict[str, User]) -> World:
    user = personas["employee"]
    person = user.person
    assert person is not None
    others = [make_person(org, f"W{i:04d}", f"Other{i}", f"Person{i}") for i in range(3)]
    admin = personas["admin"]

    # Listening: a named survey Eric answered through his invitation, an anonymous one.
    named = make_barometer("nominatif", anonymity=Survey.Anonymity.NAMED, created_by=user)
    named = listening.survey_set_status(named, Survey.Status.OPEN)
    for i, who in enumerate([person, *others]):
        invitation = invite(named, who)
        submit(named, full_answers(9 - i), invitation=invitation, respondent=who,
               channel="invitation", source_id=f"SRC-{who.employee_id}")
    anonymous = make_barometer("anonyme")
    anonymous = listening.survey_set_status(anonymous, Survey.Status.OPEN)
    for _ in range(3):
        submit(anonymous, full_answers(8), segment=SEGMENT)

    # Needs: one others voted for, one nobody did, a vote and a comment on another's.
    kept_need = make_need(person, "Écran partagé en salle")
    lonely_need = make_need(person, "Imprimante couleur")
    other_need = make_need(others[0], "Wifi invités")
    needs.vote_cast(person=others[1], need=kept_need)
    needs.vote_cast(person=person, need=other_need)
    needs.comment_add(person=person, need=other_need, text="Oui, indispensable.")

    # Tickets, catalogue ownership, contact pressure, emails, report schedules.
    svc = service("visio")
    Service.objects.filter(pk=svc.pk).update(owner=person)
    now = timezone.now()
    ticket = Ticket.objects.create(
        external_id="INC0099", opened_at=now - dt.timedelta(days=3),
        resolved_at=now - dt.timedelta(days=2), requester=person,
        requester_email=person.email, subject="Écran noir")
    Solicitation.objects.create(person=person, category=Category.SURVEY, source="test",
                                at=now)
    OptOut.objects.create(person=person, category=Category.NEWSLETTER)
    SentMail.objects.create(kind="need_digest", recipient=person.email.upper(), status="sent",
                            attempts=1)
    schedule = Schedule.objects.create(name="Mensuel", frequency="monthly",
                                       recipients=[person.email, "boss@example.com"])

    # Comms: a delivery with a click and an open, an event registration.
    plan = make_plan(admin)
    action = make_action(plan)
    delivery = Delivery.objects.create(action=action, person=person, group="reached",
                                       status="sent", error=f"{person.email} slow")
    Delivery.objects.create(action=action, person=others[0], group="reached", status="sent")
    link = Link.objects.create(action=action, url="https://intranet.example.com/")
    Click.objects.create(link=link, delivery=delivery)
    Open.objects.create(delivery=delivery)
    Registration.objects.create(action=action, person=person)

    # Usage: events in the Parquet store, a licence.
    import_events(use([person, *others], "visio", TODAY - dt.timedelta(days=3)), today=TODAY)
    Licence.objects.create(person=person, service=svc, seen_on=TODAY)

    # Accounts and the audit trail: a token, a sign-in from an address, entries naming him.
    token_create(user=user, name="notebook")
    request = RequestFactory().get("/", REMOTE_ADDR="192.0.2.77", HTTP_USER_AGENT="Firefox/130")
    request.user = user
    record(action=AuditAction.SIGNIN, actor=user, request=request)
    record(action=AuditAction.EXPORT, actor=admin, target=person,
           details={"note": f"for {person.full_name} <{person.email}>"})
    record(action=AuditAction.SIGNIN_FAILED, actor=None, details={"username": "EMPLOYEE"})
    # Look-alikes that must stay: a longer name and id, the role named like his username.
    record(action=AuditAction.ROLE_CHANGED, actor=admin,
           target=("accounts.user", 999, "Eric Martineau"),
           details={"role": "employee", "note": "E00051"})
    assert ApiToken.objects.filter(user=user).exists()
    return World(person=person, user=user, others=others, named=named, anonymous=anonymous,
                 kept_need=kept_need, lonely_need=lonely_need, other_need=other_need,
                 service=svc, ticket=ticket, delivery=delivery, schedule=schedule)


def response_count(survey: Survey) -> int:
    return Response.objects.filter(survey=survey).count()
