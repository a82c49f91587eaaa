"""The real objects the role matrix visits, built once per test module through the services.

Every page and endpoint of ``tests/test_role_matrix.py`` is addressed with these objects'
ids, slugs and tokens, so that an allowed role answers 200 (or its one intended redirect) on
something that exists: a 404 is then a failure, never an excuse.

The objects are chosen so that the requests the matrix sends change nothing that matters: a
POST-only action is aimed at an object whose service refuses it (a published service without
changes to submit, a wave whose closing day has passed, a section that still holds questions,
a plan one of whose actions was sent, an audience an action uses), and each test runs in its
own savepoint anyway.

The communication plan names the owner and the employee personas as contributors, so that
every role gets the plan's real answer (a plan one is not named on is a 404 to them); its
event invitation is sent for real (through the send job's work, to Django's test mailbox), so
that the links of its emails (click, unsubscribe, registration, open pixel) have a delivery.

The positioning study is answered by enough people (a closed wave) that its segments are
released: its persona, statements, benchmark and tools are written on real results.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client, override_settings
from django.utils import timezone

from phare.accounts.models import User
from phare.accounts.services import token_create
from phare.catalog import services as catalog
from phare.catalog.models import OfferFamily, Service
from phare.comms.models import (
    Action,
    Attachment,
    Audience,
    Delivery,
    Link,
    Objective,
    Plan,
    Webhook,
)
from phare.comms.services import feeds, sending, tracking
from phare.comms.services import plans as comms
from phare.contact import services as contact
from phare.contact.models import QuietPeriod
from phare.directory.models import BusinessUnit, Person
from phare.jobs.models import Job
from phare.jobs.services import job_start
from phare.listening import services as listening
from phare.listening.imports.jobs import KIND as SURVEY_IMPORT
from phare.listening.models import Invitation, Survey, Wave
from phare.needs import services as needs
from phare.needs.models import Campaign, Need
from phare.positioning import results as positioning_results
from phare.positioning.models import Benchmark, Persona, Statement, Study, Tool
from phare.positioning.services import benchmarks as positioning_benchmarks
from phare.positioning.services import personas as positioning_personas
from phare.positioning.services import statements as positioning_statements
from phare.positioning.services import tools as positioning_tools
from phare.reports.models import Report, Schedule
from phare.tickets import services as tickets
from phare.tickets.models import Ticket
from phare.usage import services as usage
from phare.usage.models import UsageImport
from tests.accounts.factories import make_personas
from tests.core.factories import FAST_HASHERS
from tests.directory.factories import make_org
from tests.positioning.factories import make_answered_study
from tests.reports.factories import make_report, make_schedule
from tests.tickets.factories import open_ticket_survey, ticket_row

#: An answer to the barometer of :func:`_barometer` (``why_low`` is not asked after a 9).
ANSWERS = {"nps": 9, "comment": "Très bien"}


@dataclass
class World:
    """What the matrix visits, and one signed-in client per persona."""

    users: dict[str, User]
    clients: dict[str, Client]
    #: persona → a raw API token of theirs (``Authorization: Bearer``).
    tokens: dict[str, str]
    #: persona → the id of another token of theirs, the one the matrix revokes.
    spare_tokens: dict[str, int]
    person: Person
    #: A live published service owned by the owner persona, for everyone; a draft of theirs.
    service: Service
    draft: Service
    #: A barometer with an open link, questions ``nps`` (``why_low`` depends on it) and
    #: ``comment`` in section 1; wave 1 is open, wave 2 is planned with its closing day past
    #: (its launch is refused) and holds five released answers (it can be exported).
    survey: Survey
    wave: Wave
    past_wave: Wave
    #: An invitation of wave 1 not answered yet, and one answered.
    invitation: Invitation
    answered: Invitation
    #: A ticket of the open ticket survey, whose requester was invited and rated it.
    ticket: Ticket
    ticket_invitation: Invitation
    #: A need every persona votes for, a need nobody votes for.
    need: Need
    other_need: Need
    #: An open campaign with one arbitration, and a campaign decided and published.
    campaign: Campaign
    published: Campaign
    #: A survey import started by the marketing lead (administrators see every job).
    job: Job
    #: A usage file imported by the marketing lead (its one row matches no one).
    usage_import: UsageImport
    #: The communication plan (the owner and the employee are its contributors), its
    #: objective, the saved audience (the IT unit) its actions use, its email (an idea owned
    #: by the owner persona, with a text attachment) and its event invitation, sent.
    plan: Plan
    objective: Objective
    audience: Audience
    action: Action
    attachment: Attachment
    event: Action
    #: The event invitation's reached delivery to the owner persona, and the link of its text.
    delivery: Delivery
    link: Link
    #: A quiet period for the sales unit, in two months.
    quiet_period: QuietPeriod
    #: persona → the secret of their calendar feed (``GET /comms/calendar.ics?token=``).
    feeds: dict[str, str]
    #: A Slack channel no action posts to, at a local address nobody answers (its test post
    #: fails at once; the matrix's deletion of it is rolled back).
    webhook: Webhook
    #: The positioning study of the ``collab`` family, answered by :data:`STUDY_ANSWERS`
    #: people in a closed wave (its segments are released), and on it: the persona of
    #: ``segment``, version 1 of its statement (published, the family's promise) and version
    #: 2 (a draft), a benchmark on speed, a tool matched to the world's service and one with
    #: no catalogue equivalent.
    study: Study
    segment: int
    persona: Persona
    statement: Statement
    statement_draft: Statement
    benchmark: Benchmark
    tool: Tool
    gap_tool: Tool
    #: A ready quarterly report (its three files stored) and a quarterly schedule.
    report: Report
    schedule: Schedule


def _services(owner: Person, marketing: User) -> tuple[Service, Service]:
    # Offer families have no service of their own: they are set up with the catalogue.
    OfferFamily.objects.create(code="collab", name_fr="Collaborer", name_en="Collaborating")
    content = {"name_fr": "Accès VPN", "promise_fr": "Travailler à distance", "family": "collab",
               "audience_everyone": True, "cost_unit": "none", "charging": "included",
               "owner": owner.employee_id}
    service = catalog.service_create(user=marketing, data=content, slug="vpn")
    for stage in (Service.Lifecycle.DESIGN, Service.Lifecycle.LIVE):
        service = catalog.service_change_lifecycle(user=marketing, service=service, to=stage)
    service = catalog.service_publish(user=marketing, service=service)
    draft = catalog.service_create(
        user=marketing, slug="visio",
        data={**content, "name_fr": "Visioconférence", "promise_fr": "Se réunir"})
    return service, draft


def _barometer(marketing: User) -> Survey:
    survey = listening.survey_create(slug="barometre", kind=Survey.Kind.BAROMETER,
                                     title_fr="Baromètre IT", title_en="IT barometer",
                                     created_by=marketing, open_link=True,
                                     languages=["fr", "en", "de"])
    listening.question_add(survey, code="nps", type="nps", required=True,
                           text_fr="Recommanderiez-vous la DSI ?",
                           text_en="Would you recommend IT?")
    listening.question_add(survey, code="why_low", type="text", text_fr="Pourquoi ?",
                           text_en="Why?", condition={"question": "nps", "op": "between",
                                                      "min": 0, "max": 6})
    listening.question_add(survey, code="comment", type="text", text_fr="Un commentaire ?",
                           text_en="Any comment?")
    return survey


def _waves(survey: Survey, marketing: User) -> tuple[Wave, Wave]:
    today = timezone.localdate()
    wave = listening.wave_create(survey, name="Vague 1", opens_on=today,
                                 closes_on=today + dt.timedelta(days=21))
    listening.wave_launch(wave, user=marketing)
    past = listening.wave_create(survey, name="Vague passée",
                                 opens_on=today - dt.timedelta(days=60),
                                 closes_on=today - dt.timedelta(days=30))
    for _number in range(survey.min_group_size):
        listening.response_submit(survey=survey, wave=past, answers=ANSWERS,
                                  channel="invitation",
                                  segment={"unit_code": "VEN", "site_code": "LYS",
                                           "job_family_code": "COM"})
    return Wave.objects.get(pk=wave.pk), past


def _ticket(survey: Survey) -> tuple[Ticket, Invitation]:
    """A ticket received while ``survey`` is open, its invitation sent and rated 9."""
    tickets.tickets_receive([ticket_row("INC0000001", "E0005")])
    tickets.send_due_ticket_invitations()
    ticket = Ticket.objects.select_related("invitation").get(external_id="INC0000001")
    invitation = ticket.invitation
    tickets.ticket_rate(invitation, 9)
    return ticket, invitation


def _campaigns(users: dict[str, User], people: dict[str, Person]
               ) -> tuple[Need, Need, Campaign, Campaign]:
    marketing = users["marketing"]
    need = needs.need_submit(person=people["employee"], title="Signature électronique",
                             description="Signer sans imprimer.",
                             business_unit=people["employee"].business_unit)
    other = needs.need_submit(person=people["owner"], title="Imprimante couleur",
                              description="Une imprimante couleur au 3e.",
                              business_unit=people["owner"].business_unit)
    decided = needs.need_submit(person=people["executive"], title="Tableau de bord",
                                description="Suivre les indicateurs.",
                                business_unit=people["executive"].business_unit)
    for person in people.values():
        if person != need.submitter:  # the one who raised it is counted already
            needs.vote_cast(person=person, need=need)
    for scored in (need, other, decided):  # an arbitration weighs scored needs only
        needs.need_score(need=scored, values={"business_value": 3, "strategic_fit": 3,
                                              "risk": 2, "one_off_cost": 10,
                                              "recurring_cost": 0}, efforts={})
    money = {"budget_one_off": Decimal("100"), "budget_recurring": Decimal("50")}
    campaign = needs.campaign_save(user=marketing, name="Arbitrage 2026", needs=[need, other],
                                   **money)
    needs.arbitration_run(user=marketing, campaign=campaign, explain=False)
    published = needs.campaign_save(user=marketing, name="Arbitrage 2025", needs=[decided],
                                    **money)
    arbitration = needs.arbitration_run(user=marketing, campaign=published, explain=False)
    needs.arbitration_explain(arbitration)
    needs.decision_record(user=marketing, campaign=published, arbitration=arbitration,
                          reason="Le comité a choisi.")
    needs.decision_publish(user=marketing, campaign=published)
    return need, other, campaign, published


@dataclass
class _Comms:
    plan: Plan
    objective: Objective
    audience: Audience
    action: Action
    attachment: Attachment
    event: Action
    delivery: Delivery
    link: Link
    quiet_period: QuietPeriod
    feeds: dict[str, str]
    webhook: Webhook


#: What the world's email and event say (both languages, one link).
MESSAGE = {"languages": ["fr", "en"], "subject_fr": "Bonjour {first_name}",
           "subject_en": "Hello {first_name}",
           "body_fr": "Découvrez [le portail](https://intranet.example.com/vpn).",
           "body_en": "Discover [the portal](https://intranet.example.com/vpn)."}


def _comms(users: dict[str, User], sales: BusinessUnit) -> _Comms:
    """The plan, its objective, audience, email (an idea) and event invitation (sent)."""
    marketing = users["marketing"]
    today, now = timezone.localdate(), timezone.now()
    plan = comms.plan_save(user=marketing, name="Plan de communication", starts_on=today,
                           ends_on=today + dt.timedelta(days=180),
                           contributors=[users["owner"], users["employee"]])
    objective = comms.objective_save(user=marketing, plan=plan, title="Faire connaître le VPN")
    audience = comms.audience_save(user=marketing, name="DSI", criteria={"units": ["DSI"]})
    action = comms.action_save(user=marketing, plan=plan, title="Le VPN change",
                               objective=objective, audience=audience, owner=users["owner"],
                               starts_on=today, **MESSAGE)
    attachment = comms.attachment_add(action=action, user=marketing,
                                      file=SimpleUploadedFile("brief.txt", b"Le brief."))
    starts = now + dt.timedelta(days=14)
    event = comms.action_save(user=marketing, plan=plan, title="Atelier VPN",
                              kind=Action.Kind.EVENT, channel=Action.Channel.EVENT,
                              category="event", audience=audience, starts_on=starts.date(),
                              starts_at=starts, ends_at=starts + dt.timedelta(hours=2),
                              location="Salle 3", capacity=20, **MESSAGE)
    for step in (Action.Status.PLANNED, Action.Status.READY, Action.Status.APPROVED):
        comms.action_transition(action=event, user=marketing, to=step)
    # The job is queued once the world commits (never); its work is done here, now.
    sending.send_start(action=event, user=marketing)
    sending.send_action(event.pk)
    event = Action.objects.get(pk=event.pk)
    assert event.status == Action.Status.DONE, event.status
    delivery = Delivery.objects.get(action=event, person=users["owner"].person,
                                    group=Delivery.Group.REACHED)
    [link_id] = tracking.link_ids(action=event, urls=["https://intranet.example.com/vpn"]
                                  ).values()
    quiet = contact.quiet_period_save(name="Clôture", starts_on=today + dt.timedelta(days=60),
                                      ends_on=today + dt.timedelta(days=70), units=[sales],
                                      categories=["newsletter"])
    return _Comms(plan=plan, objective=objective, audience=audience, action=action,
                  attachment=attachment, event=event, delivery=delivery,
                  link=Link.objects.get(pk=link_id), quiet_period=quiet,
                  feeds={name: feeds.feed_create(user=user) for name, user in users.items()},
                  webhook=comms.webhook_save(user=marketing, name="#it-news", kind="slack",
                                             url="http://127.0.0.1:9/hooks/matrix-secret"))


#: How many people answer the world's positioning study: few (the build stays fast), yet
#: enough that every segment holds the survey's minimum group whatever the response ids
#: (the segments follow the respondents' order, a hash of their ids; fewer than about 60
#: answers leave a segment under the minimum now and then). Checked when it is built.
STUDY_ANSWERS = 60

#: The world's positioning statement, French parts (English ones left to translate).
STATEMENT = {"audience_fr": "Pour les équipes commerciales",
             "need_fr": "qui travaillent à distance",
             "offer_fr": "la DSI propose un accès sûr", "benefit_fr": "qui marche partout",
             "unlike_fr": "contrairement aux outils personnels",
             "proof_fr": "car le VPN est supervisé jour et nuit"}


@dataclass
class _Positioning:
    study: Study
    segment: int
    persona: Persona
    statement: Statement
    statement_draft: Statement
    benchmark: Benchmark
    tool: Tool
    gap_tool: Tool


def _positioning(marketing: User, service: Service) -> _Positioning:
    """The answered study, its persona, statements, benchmark and tools."""
    study = make_answered_study(STUDY_ANSWERS, user=marketing, slug="etude-dsi",
                                family=OfferFamily.objects.get(code="collab"))
    segments = positioning_results.segmentation(study)
    assert not segments.hidden, segments.reason
    segment = segments.segments[0].number
    persona = positioning_personas.persona_save(
        user=marketing, study=study, segment=segment, name_fr="Camille la nomade",
        name_en="Camille on the move", channels=["email"])
    statement = positioning_statements.statement_publish(
        user=marketing,
        statement=positioning_statements.statement_save(user=marketing, study=study,
                                                        **STATEMENT))
    draft = positioning_statements.statement_save(
        user=marketing, study=study, **{**STATEMENT, "proof_fr": "car il est supervisé"})
    benchmark = positioning_benchmarks.benchmark_save(
        user=marketing, study=study, label_fr="Délai de mise en service d'un SaaS",
        value="2.5", unit="j", attribute="speed", source="Baromètre du marché",
        as_of=dt.date(2026, 1, 15))
    tool = positioning_tools.tool_save(user=marketing, study=study, name="OpenVPN",
                                       aliases=["open vpn"], service=service)
    gap_tool = positioning_tools.tool_save(user=marketing, study=study, name="Notion")
    return _Positioning(study=study, segment=segment, persona=persona, statement=statement,
                        statement_draft=draft, benchmark=benchmark, tool=tool,
                        gap_tool=gap_tool)


def build_world() -> World:
    """Everything the matrix visits, written through the apps' services."""
    org = make_org()
    users = make_personas(org)
    people = {name: user.person for name, user in users.items()}
    tokens = {name: token_create(user=user, name="matrix")[1] for name, user in users.items()}
    spare = {name: token_create(user=user, name="spare")[0].pk for name, user in users.items()}
    marketing = users["marketing"]
    service, draft = _services(people["owner"], marketing)
    survey = _barometer(marketing)
    wave, past_wave = _waves(survey, marketing)
    invitations = list(wave.invitations.order_by("pk"))
    answered = invitations[1]
    listening.response_submit(survey=survey, invitation=answered, answers=ANSWERS,
                              channel="invitation")
    ticket, ticket_invitation = _ticket(open_ticket_survey())
    need, other_need, campaign, published = _campaigns(users, people)
    job = job_start(kind=SURVEY_IMPORT, title="Import", user=marketing)
    usage_import = UsageImport.objects.get(pk=usage.import_usage(
        b"person,service,event,time\r\nnobody@example.com,vpn,open,2026-01-05\r\n",
        file_name="events.csv", source="events", user=marketing,
        today=dt.date(2026, 2, 1)).import_id)
    planned = _comms(users, org["sales"])
    studied = _positioning(marketing, service)
    clients = {}
    for name, user in users.items():
        clients[name] = Client()
        clients[name].force_login(user)
    return World(users=users, clients=clients, tokens=tokens, spare_tokens=spare,
                 person=people["employee"], service=service, draft=draft,
                 survey=survey, wave=wave, past_wave=past_wave, invitation=invitations[0],
                 answered=Invitation.objects.get(pk=answered.pk), ticket=ticket,
                 ticket_invitation=ticket_invitation, need=need, other_need=other_need,
                 campaign=campaign, published=published, job=job, usage_import=usage_import,
                 plan=planned.plan, objective=planned.objective, audience=planned.audience,
                 action=planned.action, attachment=planned.attachment, event=planned.event,
                 delivery=planned.delivery, link=planned.link, quiet_period=planned.quiet_period,
                 feeds=planned.feeds, webhook=planned.webhook, study=studied.study,
                 segment=studied.segment, persona=studied.persona,
                 statement=studied.statement, statement_draft=studied.statement_draft,
                 benchmark=studied.benchmark, tool=studied.tool, gap_tool=studied.gap_tool,
                 report=make_report(), schedule=make_schedule())


def world_held_open(blocker, analytics_dir) -> Iterator[World]:
    """Build the world in a transaction left open while the module's tests run (each in a
    savepoint of its own, pytest-django's ``db``), then roll it all back.

    The analytical store of the insights pages is kept in a folder of the module's own.
    """
    with blocker.unblock():
        block = transaction.atomic()
        block.__enter__()
        settings = override_settings(PASSWORD_HASHERS=FAST_HASHERS,
                                     PHARE_ANALYTICS_DIR=analytics_dir)
        settings.enable()
        try:
            world = build_world()
        except BaseException:
            settings.disable()
            transaction.set_rollback(True)
            block.__exit__(None, None, None)
            raise
    try:
        yield world
    finally:
        with blocker.unblock():
            settings.disable()
            transaction.set_rollback(True)
            block.__exit__(None, None, None)
