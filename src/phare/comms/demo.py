"""Demo step for the communication plan: the current year's plan of the IT department, its
objectives measured live from the demo's own data, about thirty actions on every channel in
every status, three email campaigns already sent (one with a control group whose lift is
measured), the playbooks' proposals (the Teams roll-out, a retiring service's migration, "you
said, we did"), Finance's closing weeks and a few opt-outs.

Everything goes through the app's services: plans, objectives, audiences and actions are saved
and moved along their workflow as the marketing lead would; the past emails are sent by the
real send job (``sending.send_start`` then the job run in this process) to Django's in-memory
mail backend, so their deliveries, the contact-pressure ledger's claims, the people skipped
and why, the clicks (``tracking.click``), registrations (``tracking.register``) and
unsubscribes (``tracking.unsubscribe``) are the real thing. Sending happens now, so the
history is then **backdated**: each sent action's ``sent_at``, approval and history, its
deliveries' ``sent_at``, its claims in the ledger (``contact.Solicitation.at``), its clicks and
registrations are moved to the day it went out (the only writes made outside the services).
Sends that happened in the same week are sent together before being backdated, so the
contact-pressure budget skips the people they reach too often, as it did then.

The lift of the control-group campaign (Teams in the plants' workshops) is measured on the
usage the demo imported, plus an events file of the meetings its readers joined afterwards,
imported through ``usage.services.import_usage`` like any events file. The Teams webhook
points at a local address and is never called: the Teams posts are all still to come.

The step prints nothing but its one line; it takes a few seconds.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import random
import time
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.test import override_settings
from django.utils import timezone

from phare.accounts.roles import Role
from phare.catalog.models import Service
from phare.catalog.services import service_change_lifecycle
from phare.comms import audiences, objectives
from phare.comms.models import (
    Action,
    ActionChange,
    Audience,
    Click,
    Delivery,
    Link,
    Objective,
    Plan,
    Registration,
    Webhook,
)
from phare.comms.services import plans, playbooks, sending, tracking
from phare.contact import services as contact_services
from phare.contact.models import Category, OptOut, Solicitation
from phare.directory.models import BusinessUnit, Person
from phare.jobs.services import job_run
from phare.lib.demo import DemoContext
from phare.listening.models import Survey
from phare.needs.models import Campaign, Decision
from phare.usage import services as usage_services

S = Action.Status
C = Action.Channel
K = Action.Kind
LOCMEM = "django.core.mail.backends.locmem.EmailBackend"
#: The catalogue's Teams (video meetings), the retiring VDI broker, the password portal.
TEAMS, VDI = "visioconference", "bureau-a-distance-citrix"
PASSWORD = "reinitialisation-mot-de-passe"
BAROMETER = "barometre-it"
#: Units the story prefers, each with a fallback (a cut-down directory may lack them).
SHOP_FLOOR, FINANCE_UNIT = ("PROD", "LOG"), "FIN"
WEBHOOK_URL = "http://127.0.0.1:9/phare-demo/teams-webhook"
INTRANET = "https://intranet.mareval-industries.com"
#: How often the readers of each sent campaign clicked a link (by their language: fr, en).
CLICK_RATES = {"teams": (0.24, 0.18), "self_service": (0.11, 0.08), "cyber": (0.07, 0.12)}
#: The share of the Teams campaign's readers not active yet who joined meetings afterwards.
TEAMS_UPTAKE = 0.30


class _Story:
    """What the steps share: the plan, the lead, the day, the random stream."""

    def __init__(self, ctx: DemoContext, lead: Any, executive: Any, today: dt.date) -> None:
        self.ctx = ctx
        self.rng = random.Random(ctx.seed * 7907 + 13)  # its own stream
        self.lead, self.executive, self.today = lead, executive, today
        self.plan: Plan
        self.objectives: dict[str, Objective] = {}
        self.audiences: dict[str, Audience] = {}
        self.services = {s.slug: s for s in Service.objects.filter(
            slug__in=[TEAMS, VDI, PASSWORD])}
        self.sent: list[Action] = []

    def day(self, offset: int) -> dt.date:
        """``today + offset`` days, kept inside the plan."""
        day = self.today + dt.timedelta(days=offset)
        return min(max(day, self.plan.starts_on), self.plan.ends_on)

    def at(self, day: dt.date, hour: int = 9, minute: int = 30) -> dt.datetime:
        return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


def build(ctx: DemoContext) -> None:
    started = time.monotonic()
    users = get_user_model().objects
    lead = users.filter(username="marketing").first()
    executive = users.filter(role=Role.EXECUTIVE).first()
    if lead is None or executive is None or not Person.objects.filter(active=True).exists():
        ctx.say("comms: no marketing lead or no people, no communication plan made")
        return
    story = _Story(ctx, lead, executive, timezone.localdate())
    _plan(story)
    _objectives(story)
    _audiences(story)
    webhook = plans.webhook_save(user=lead, name="Teams — Actualités DSI", kind="teams",
                                 url=WEBHOOK_URL)
    _quiet_periods(story)
    with override_settings(EMAIL_BACKEND=LOCMEM):
        _self_service_campaign(story)
        _teams_rollout(story)
        _teams_campaign(story)
        _migration_week(story)
    _you_said_we_did(story)
    _planned_actions(story, webhook)
    ctx.shared["comms"] = {"plan": story.plan, "sent": [a.pk for a in story.sent]}
    ctx.say(f"comms: plan {story.plan.name}, {story.plan.actions.count()} actions, "
            f"{len(story.objectives)} objectives, {len(story.sent)} emails sent "
            f"({Delivery.objects.count():,} deliveries, {Click.objects.count()} clicks), "
            f"in {time.monotonic() - started:.1f} s")


# -- the plan, its objectives, audiences and quiet periods -------------------------------------

def _plan(story: _Story) -> None:
    year = story.today.year
    contributors = list(get_user_model().objects.filter(username__in=["owner", "admin"]))
    story.plan = plans.plan_save(
        user=story.lead, name=f"Plan de communication DSI {year}",
        starts_on=dt.date(year, 1, 1), ends_on=dt.date(year, 12, 31),
        description=("Faire connaître l'offre de la DSI, accompagner le déploiement de Teams "
                     "et l'arrêt de Citrix, rendre compte de ce que nous faisons des demandes "
                     "et des réponses au baromètre."),
        contributors=contributors, language="fr")
    Plan.objects.filter(pk=story.plan.pk).update(created_at=story.at(story.plan.starts_on))


def _unit(code: str) -> BusinessUnit | None:
    """The unit ``code``, else the top-level unit with the most people."""
    unit = BusinessUnit.objects.filter(code=code).first()
    if unit is not None:
        return unit
    tops = BusinessUnit.objects.filter(parent__isnull=True)
    return max(tops, key=lambda u: Person.objects.filter(business_unit__parent=u).count(),
               default=None)


def _objective(story: _Story, key: str, title: str, metric: str, params: dict[str, Any], *,
               step: Decimal | None = None, target: Decimal | None = None,
               due: dt.date | None = None) -> None:
    """An objective of the plan. With ``step``: its baseline is its figure at the start (the
    period before the latest, when released) and its target ``step`` better. Figures of the
    barometer and of ticket ratings are read from the analytical store, which the worker
    fills once the demo is loaded: those objectives get a ``target`` only (reading them here
    would compute their pages for seconds)."""
    objective = plans.objective_save(user=story.lead, plan=story.plan, title=title,
                                     metric=metric, params=params, target=target, due_on=due,
                                     language="fr")
    if step is not None:
        live = objectives.live(objective, today=story.today)
        start = live.previous if live.previous is not None else live.value
        if start is not None:
            baseline = Decimal(str(round(start, 1)))
            plans.objective_save(user=story.lead, plan=story.plan, objective=objective,
                                 title=title, metric=metric, params=params, baseline=baseline,
                                 target=baseline + step, due_on=due)
    story.objectives[key] = objective


def _objectives(story: _Story) -> None:
    M = Objective.Metric
    barometer = Survey.objects.filter(slug=BAROMETER, kind=Survey.Kind.BAROMETER).first()
    if barometer is not None:
        _objective(story, "nps", "Gagner 10 points de NPS au baromètre", M.NPS,
                   {"survey": barometer.slug}, target=Decimal(40))
        grid = objectives.barometer_grid(barometer)
        options = {o["code"] for o in (grid.options if grid else [])}
        if grid is not None and "autonomie" in options:
            _objective(story, "self_service", "Faire du libre-service un réflexe",
                       M.SATISFACTION, {"survey": barometer.slug, "question": grid.code,
                                        "option": "autonomie"}, target=Decimal("3.5"))
    _objective(story, "tickets", "Des tickets résolus qui laissent un bon souvenir",
               M.TICKET_HAPPINESS, {}, target=Decimal(50))
    floor = _shop_floor()
    if TEAMS in story.services and floor:
        _objective(story, "teams", "Teams adopté dans les ateliers et les entrepôts",
                   M.ADOPTION, {"service": TEAMS, "units": floor}, step=Decimal(10),
                   due=story.day(60))
    _objective(story, "needs", "Répondre à chaque demande des métiers", M.NEEDS_ANSWERED, {},
               step=Decimal(15))


def _shop_floor() -> list[str]:
    """The units of the plants and warehouses (else the largest top-level unit)."""
    found = sorted(BusinessUnit.objects.filter(code__in=SHOP_FLOOR).values_list("code",
                                                                               flat=True))
    if found:
        return found
    unit = _unit(SHOP_FLOOR[0])
    return [unit.code] if unit is not None else []


def _audience(story: _Story, key: str, name: str, criteria: dict[str, Any]) -> Audience:
    audience = plans.audience_save(user=story.lead, name=name, criteria=criteria,
                                   language="fr")
    story.audiences[key] = audience
    return audience


def _sized(story: _Story, key: str, groups: list[list[str]], cap: int, what: str) -> None:
    """An audience of the units of one of ``groups`` (unit codes), or of one of their
    sub-units: the largest that stays within ``cap`` people (the smallest when none does),
    so that the demo's emails stay a few hundred whatever the directory's size."""
    units = {u.code: u for u in BusinessUnit.objects.select_related("parent")}
    options = [group for group in groups if group and all(c in units for c in group)]
    options += [[code] for group in options for code, unit in units.items()
                if unit.parent is not None and unit.parent.code in group]
    if not options:
        return
    sized = [(audiences.size({"units": group}), group) for group in options]
    within = [item for item in sized if 0 < item[0] <= cap]
    _size, chosen = max(within) if within else min(sized)
    names = ", ".join(units[code].name for code in chosen)
    _audience(story, key, f"{what} : {names}", {"units": chosen})


def _audiences(story: _Story) -> None:
    tops = [u.code for u in BusinessUnit.objects.filter(parent__isnull=True).order_by("code")]
    floor = _shop_floor()
    office = [code for code in tops if code in {"RH", "JUR", "DG"}] or tops[:1]
    sales = [code for code in tops if code in {"VEN", "RD"}] or tops[-1:]
    _sized(story, "plants", [floor] + [[code] for code in floor], 320, "Ateliers et entrepôts")
    _sized(story, "office", [office] + [[code] for code in office], 140, "Fonctions support")
    _sized(story, "pilot", [["DSI"]], 120, "Pilote Teams")
    _sized(story, "cyber", [sorted(set(sales) | set(office)), sales]
           + [[code] for code in sales], 220, "Bureaux")
    _sized(story, "sales", [sales] + [[code] for code in sales], 300, "Commerciaux et R&D")
    finance = _unit(FINANCE_UNIT)
    if finance is not None:
        _audience(story, "finance", "Finance", {"units": [finance.code]})
    if VDI in story.services:
        _audience(story, "vdi", "Utilisateurs de Citrix ces 90 derniers jours",
                  {"usage": {"service": VDI, "state": "active", "days": 90}})


def _quiet_periods(story: _Story) -> None:
    """Finance's closing weeks: the last week of each quarter and the first days after, when
    Finance receives no newsletter and no event invitation (notices and surveys still go)."""
    finance = _unit(FINANCE_UNIT)
    if finance is None:
        return
    year = story.today.year
    for quarter in range(1, 5):
        last_day = dt.date(year + quarter // 4, quarter * 3 % 12 + 1, 1) - dt.timedelta(days=1)
        contact_services.quiet_period_save(
            name=f"Clôture Finance T{quarter} {year}", starts_on=last_day - dt.timedelta(days=6),
            ends_on=last_day + dt.timedelta(days=4 if quarter < 4 else 10), units=[finance],
            categories=[Category.NEWSLETTER, Category.EVENT])


# -- moving actions along, sending, backdating -------------------------------------------------

def _new(story: _Story, title: str, day: dt.date, **fields: Any) -> Action:
    fields.setdefault("languages", ["fr", "en"])
    fields.setdefault("language", "fr")  # the demo's titles are French
    action = plans.action_save(user=story.lead, plan=story.plan, title=title, starts_on=day,
                               **fields)
    return action


def _advance(story: _Story, action: Action, to: str, comment: str = "") -> Action:
    """Move ``action`` along the workflow up to ``to`` (approved by an executive when it
    must be)."""
    order: list[str] = [S.IDEA, S.PLANNED, S.READY, S.APPROVED]
    if to == S.CANCELLED:
        plans.action_transition(action=action, user=story.lead, to=S.CANCELLED,
                                comment=comment)
        return action
    for status in order[order.index(action.status) + 1:order.index(to) + 1]:
        approver = story.executive if status == S.APPROVED and action.everyone else story.lead
        plans.action_transition(action=action, user=approver, to=status,
                                comment=comment if status == to else "")
    action.refresh_from_db()
    return action


def _send(story: _Story, action: Action) -> Action:
    """Approve and send ``action`` for real (the job run here, its emails kept in memory)."""
    _advance(story, action, S.APPROVED)
    if action.channel in sending.PUBLISHED_CHANNELS:
        sending.publish(action=action, user=story.lead)
    else:
        job_run(sending.send_start(action=action, user=story.lead))
        story.sent.append(action)
    action.refresh_from_db()
    return action


def _backdate(story: _Story, action: Action, when: dt.datetime) -> None:
    """Move what sending ``action`` recorded now to ``when`` (see the module docstring)."""
    Action.objects.filter(pk=action.pk).update(
        sent_at=when, created_at=when - dt.timedelta(days=21),
        approved_at=when - dt.timedelta(days=2) if action.approved_at else None)
    steps = list(ActionChange.objects.filter(action=action).order_by("at", "pk"))
    for index, step in enumerate(steps):
        # Created three weeks before, planned and approved in between, sent at ``when``.
        back = dt.timedelta(days=21) * (len(steps) - 1 - index) / max(len(steps) - 1, 1)
        if step.to_status in (S.SENDING, S.DONE):
            back = dt.timedelta(0)
        ActionChange.objects.filter(pk=step.pk).update(at=when - back)
    Delivery.objects.filter(action=action, sent_at__isnull=False).update(sent_at=when)
    Solicitation.objects.filter(source=sending.SOURCE, reference=str(action.pk)).update(at=when)


def _click(story: _Story, action: Action, rates: tuple[float, float], when: dt.datetime
           ) -> None:
    """Some readers click its links (unique per person and link), in the days after."""
    links = list(Link.objects.filter(action=action).order_by("pk"))
    if not links:
        return
    readers = list(Delivery.objects.filter(action=action, status=Delivery.Status.SENT)
                   .select_related("person__business_unit").order_by("pk"))
    for delivery in readers:
        rate = rates[delivery.language == "en"]
        if story.rng.random() >= rate:
            continue
        # The first link most, the others now and then.
        for position, link in enumerate(links):
            if position and story.rng.random() > 0.35:
                continue
            tracking.click(token=delivery.token, link_id=link.pk)
    clicks = list(Click.objects.filter(link__action=action).order_by("pk"))
    for click in clicks:  # most the same day, some days later
        click.at = when + dt.timedelta(hours=min(story.rng.expovariate(1 / 20), 24 * 14))
    Click.objects.bulk_update(clicks, ["at"], batch_size=500)


# -- the story ------------------------------------------------------------------------------

def _self_service_campaign(story: _Story) -> None:
    """Spring: the self-service campaign to the support functions, measured on the barometer's
    "self-service" (which cannot be split by who was reached: said so on its page)."""
    day = story.day(-130)
    link = f"{INTRANET}/libre-service"
    action = _new(
        story, "Campagne libre-service : vos demandes en 2 minutes", day, kind=K.CAMPAIGN,
        channel=C.EMAIL, audience=story.audiences["office"],
        objective=story.objectives.get("self_service"),
        services=[s for k, s in story.services.items() if k == PASSWORD],
        subject_fr="{first_name}, votre mot de passe en 2 minutes, sans appeler",
        subject_en="{first_name}, your password in 2 minutes, without calling",
        body_fr=("Bonjour {first_name},\n\nMot de passe oublié, compte bloqué ? Le portail "
                 "libre-service vous débloque en deux minutes, jour et nuit.\n\n"
                 f"[Essayer le libre-service]({link})\n\n"
                 f"[Toutes les demandes en libre-service]({INTRANET}/catalogue)"),
        body_en=("Hello {first_name},\n\nForgot your password, account locked? The "
                 "self-service portal unlocks you in two minutes, day and night.\n\n"
                 f"[Try self-service]({link})\n\n"
                 f"[Every self-service request]({INTRANET}/catalogue)"),
        budget=Decimal("450"))
    _send(story, action)
    when = story.at(day, 10)
    _backdate(story, action, when)
    _click(story, action, CLICK_RATES["self_service"], when)
    plans.action_transition(action=action, user=story.lead, to=S.MEASURED,
                            comment="Clics relevés ; le baromètre de juin dira la suite.")
    # A few readers asked for no more campaigns (through the email's own link).
    readers = list(Delivery.objects.filter(action=action, status=Delivery.Status.SENT)
                   .order_by("pk")[:40])
    for delivery in story.rng.sample(readers, min(3, len(readers))):
        tracking.unsubscribe(token=delivery.token)
    OptOut.objects.filter(created_at__gte=when).update(created_at=when + dt.timedelta(days=1))


def _teams_rollout(story: _Story) -> None:
    """The Teams launch the playbook proposed on the roll-out's day: news published, the email
    narrowed by the lead to the pilot (the IT department), the pulse dropped."""
    teams = story.services.get(TEAMS)
    if teams is None:
        return
    launched = story.today - dt.timedelta(days=300)
    launched -= dt.timedelta(days=launched.weekday())
    day = story.day((launched - story.today).days)
    email, news, pulse = playbooks.launch(story.plan, teams, day)
    email = plans.action_save(user=story.lead, action=email, audience=story.audiences.get(
        "pilot", story.audiences["office"]))
    _send(story, email)
    when = story.at(day, 8, 45)
    _backdate(story, email, when)
    _click(story, email, CLICK_RATES["teams"], when)
    _send(story, news)
    Action.objects.filter(pk=news.pk).update(sent_at=when, created_at=when)
    ActionChange.objects.filter(action=news).update(at=when)
    _advance(story, pulse, S.CANCELLED,
             comment="Remplacé par les questions Teams du baromètre de juin.")


def _events_file(rows: Sequence[tuple[str, str, str]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["time", "person", "service", "event", "count"])
    for when, email, event in rows:
        writer.writerow([when, email, TEAMS, event, 1])
    return out.getvalue().encode()


def _teams_campaign(story: _Story) -> None:
    """Autumn: Teams in the workshops, to the plants and warehouses with a 10 % control group;
    some readers then join their first meetings (an events file imported as any other)."""
    if "plants" not in story.audiences or TEAMS not in story.services:
        return
    day = story.day(-75)
    action = _new(
        story, "Teams à l'atelier : rejoindre une réunion depuis le kiosque", day,
        kind=K.CAMPAIGN, channel=C.EMAIL, audience=story.audiences["plants"],
        objective=story.objectives.get("teams"), services=[story.services[TEAMS]],
        holdout_percent=10,
        subject_fr="{first_name}, vos réunions Teams depuis le kiosque de l'atelier",
        subject_en="{first_name}, your Teams meetings from the workshop kiosk",
        body_fr=("Bonjour {first_name},\n\nLes kiosques de {unit} ouvrent désormais Teams : "
                 "rejoignez les réunions d'équipe sans passer au bureau.\n\n"
                 f"[Le pas-à-pas en 3 images]({INTRANET}/teams-kiosque)\n\n"
                 f"[Les horaires des permanences]({INTRANET}/teams-permanences)"),
        body_en=("Hello {first_name},\n\nThe kiosks of {unit} now open Teams: join team "
                 "meetings without going to the office.\n\n"
                 f"[Step by step in 3 pictures]({INTRANET}/teams-kiosque)\n\n"
                 f"[Help desk hours]({INTRANET}/teams-permanences)"),
        budget=Decimal("1200"))
    _send(story, action)
    when = story.at(day, 7, 30)
    _backdate(story, action, when)
    _click(story, action, CLICK_RATES["teams"], when)
    _uptake(story, action, day)
    plans.action_transition(action=action, user=story.lead, to=S.MEASURED,
                            comment="Effet mesuré contre le groupe témoin.")


def _uptake(story: _Story, action: Action, day: dt.date) -> None:
    """Readers who joined Teams meetings in the month after (more of those who clicked)."""
    clicked = set(Click.objects.filter(link__action=action).values_list("delivery__person_id",
                                                                        flat=True))
    rows: list[tuple[str, str, str]] = []
    readers = Delivery.objects.filter(action=action, status=Delivery.Status.SENT).values_list(
        "person_id", "person__email")
    for person_id, email in readers:
        chance = TEAMS_UPTAKE * (2.2 if person_id in clicked else 0.8)
        if story.rng.random() >= chance:
            continue
        for _meeting in range(story.rng.randint(1, 4)):
            moment = story.at(day + dt.timedelta(days=story.rng.randint(2, 28)),
                              story.rng.randint(7, 16), story.rng.randint(0, 59))
            rows.append((moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"), email,
                         "meeting_join"))
    if rows:
        usage_services.import_usage(_events_file(sorted(rows)), source="events",
                                    file_name=f"teams-kiosques-{day:%Y-%m}.csv",
                                    user=story.lead, today=story.today)


def _migration_week(story: _Story) -> None:
    """Three weeks ago: the retiring Citrix's migration notice (the playbook's, mandatory), the
    workshop invitation to its users and the cybersecurity newsletter, the same week — the
    newsletter skips whom the week already reached twice."""
    day = story.day(-21)
    when = story.at(day, 9)
    week: list[tuple[Action, dt.datetime]] = []
    retiring = _retiring(story)
    if retiring is not None:
        notice, reminder = playbooks.retirement(story.plan, retiring, day)
        week.append((_send(story, notice), when))
        _advance(story, reminder, S.APPROVED)
        plans.action_save(user=story.lead, action=reminder,
                          send_at=story.at(max(reminder.starts_on, story.today
                                               + dt.timedelta(days=1)), 9))
    audience = story.audiences.get("vdi") or story.audiences["sales"]
    start = story.at(day + dt.timedelta(days=10), 14)
    workshop = _new(
        story, "Atelier : passer au poste virtuel", day, kind=K.EVENT, channel=C.EVENT,
        category=Category.EVENT, audience=audience, location="Salle Lumière, Paris et Teams",
        starts_at=start, ends_at=start + dt.timedelta(minutes=90), capacity=40,
        services=[s for k, s in story.services.items() if k == VDI],
        subject_fr="Atelier : passez au poste virtuel en 90 minutes",
        subject_en="Workshop: move to the virtual desktop in 90 minutes",
        body_fr=("Bonjour {first_name},\n\nUn atelier pour migrer vos raccourcis et vos "
                 f"fichiers, avec l'équipe poste de travail.\n\n[Le programme]({INTRANET}/"
                 "atelier-poste-virtuel)"),
        body_en=("Hello {first_name},\n\nA workshop to move your shortcuts and files, with the "
                 f"workplace team.\n\n[The programme]({INTRANET}/atelier-poste-virtuel)"))
    week.append((_send(story, workshop), when + dt.timedelta(hours=3)))
    # A few people of its audience had told the service desk: no more newsletters.
    members = audiences.members(story.audiences["cyber"].criteria)
    for person in Person.objects.filter(pk__in=story.rng.sample(members, min(4, len(members)))):
        contact_services.opt_out(person=person, category=Category.NEWSLETTER)
    newsletter = _new(
        story, "Mois de la cybersécurité : 4 réflexes", day + dt.timedelta(days=1),
        kind=K.CAMPAIGN, channel=C.EMAIL, audience=story.audiences["cyber"],
        objective=story.objectives.get("nps"),
        subject_fr="Cybersécurité : 4 réflexes qui changent tout",
        subject_en="Cybersecurity: 4 habits that change everything",
        body_fr=("Bonjour {first_name},\n\nHameçonnage, mots de passe, Wi-Fi public, clés "
                 f"USB : quatre réflexes en une page.\n\n[La page des réflexes]({INTRANET}/"
                 f"cyber-reflexes)\n\n[Signaler un courriel suspect]({INTRANET}/signaler)"),
        body_en=("Hello {first_name},\n\nPhishing, passwords, public Wi-Fi, USB keys: four "
                 f"habits on one page.\n\n[The habits]({INTRANET}/cyber-reflexes)\n\n"
                 f"[Report a suspicious email]({INTRANET}/signaler)"))
    week.append((_send(story, newsletter), when + dt.timedelta(days=1)))
    for action, moment in week:
        _backdate(story, action, moment)
    _click(story, newsletter, CLICK_RATES["cyber"], when + dt.timedelta(days=1))
    _click(story, workshop, CLICK_RATES["teams"], when)
    _attendance(story, workshop, when, start)


def _retiring(story: _Story) -> Service | None:
    """The retiring Citrix of the demo catalogue, else any retiring service, else one moved
    there through the catalogue's service."""
    found = (Service.objects.filter(slug=VDI, lifecycle=Service.Lifecycle.RETIRING).first()
             or Service.objects.filter(lifecycle=Service.Lifecycle.RETIRING,
                                       replacement__isnull=False).order_by("slug").first())
    if found is not None:
        return found
    live = list(Service.objects.filter(lifecycle=Service.Lifecycle.LIVE).order_by("slug")[:2])
    if len(live) < 2:
        return None
    admin = get_user_model().objects.filter(username="admin").first() or story.lead
    return service_change_lifecycle(user=admin, service=live[0], to=Service.Lifecycle.RETIRING,
                                    replacement=live[1], note="Démo : remplacé")


def _attendance(story: _Story, workshop: Action, when: dt.datetime, start: dt.datetime
                ) -> None:
    """Registrations (through the public service) and who came."""
    invited = list(Delivery.objects.filter(action=workshop, status=Delivery.Status.SENT)
                   .select_related("person").order_by("pk"))
    wanted = story.rng.sample(invited, min(len(invited), max(6, len(invited) // 4),
                                           workshop.capacity or 40))
    for delivery in wanted:
        moment = when + dt.timedelta(hours=story.rng.randint(2, 200))
        tracking.register(action=workshop, person=delivery.person, now=min(
            moment, start - dt.timedelta(hours=1)))
        # Registered then (the row says now), and three in four came.
        Registration.objects.filter(action=workshop, person=delivery.person).update(
            at=min(moment, start - dt.timedelta(hours=1)),
            attended=story.rng.random() < 0.75)


def _you_said_we_did(story: _Story) -> None:
    """The published arbitration's "you said, we did", proposed by the playbook and ready for
    the CIO's approval."""
    decision = (Decision.objects.filter(published_at__isnull=False,
                                        campaign__status=Campaign.Status.PUBLISHED)
                .select_related("campaign", "arbitration").order_by("-published_at").first())
    if decision is None:
        return
    [action] = playbooks.you_said_we_did(story.plan, decision, story.day(3))
    plans.action_save(user=story.lead, action=action, objective=story.objectives.get("needs"))
    _advance(story, action, S.READY)


# -- the rest of the year: every channel, every status --------------------------------------

def _planned_actions(story: _Story, webhook: Webhook) -> None:
    lead, day = story.lead, story.day
    office, sales = story.audiences["office"], story.audiences["sales"]
    plants = story.audiences.get("plants", sales)
    finance = story.audiences.get("finance", office)

    def email(title: str, offset: int, audience: Audience | None, subject: tuple[str, str],
              body: tuple[str, str], **extra: Any) -> Action:
        return _new(story, title, day(offset), channel=C.EMAIL, audience=audience,
                    subject_fr=subject[0], subject_en=subject[1],
                    body_fr=f"Bonjour {{first_name}},\n\n{body[0]}",
                    body_en=f"Hello {{first_name}},\n\n{body[1]}", **extra)

    def news(title: str, offset: int, text: tuple[str, str], **extra: Any) -> Action:
        return _new(story, title, day(offset), channel=C.PORTAL, kind=K.PUBLICATION,
                    expires_on=day(offset + 30), subject_fr=title, subject_en=extra.pop(
                        "title_en", title), body_fr=text[0], body_en=text[1], **extra)

    def post(title: str, offset: int, text: tuple[str, str]) -> Action:
        return _new(story, title, day(offset), channel=C.WEBHOOK, webhook=webhook,
                    subject_fr=title, subject_en=title, body_fr=text[0], body_en=text[1])

    def event(title: str, offset: int, where: str, audience: Audience | None,
              everyone: bool = False) -> Action:
        start = story.at(day(offset), 12, 30)
        return _new(story, title, day(offset), kind=K.EVENT, channel=C.EVENT,
                    category=Category.EVENT, audience=audience, everyone=everyone,
                    location=where, starts_at=start, ends_at=start + dt.timedelta(hours=1),
                    capacity=80, subject_fr=title, subject_en=title,
                    body_fr="Bonjour {first_name},\n\nInscrivez-vous : les places sont "
                            "limitées.",
                    body_en="Hello {first_name},\n\nRegister: seats are limited.")

    def printed(title: str, offset: int, text: tuple[str, str]) -> Action:
        return _new(story, title, day(offset), channel=C.PRINT, kind=K.PUBLICATION,
                    subject_fr=title, subject_en=title, body_fr=text[0], body_en=text[1])

    past: list[tuple[Action, str]] = [
        (news("Nouvelle politique de mots de passe", -300,
              ("Des phrases de passe plus longues, changées moins souvent.",
               "Longer passphrases, changed less often."),
              title_en="New password policy"), S.DONE),
        (printed("Affiches libre-service dans les ateliers", -120,
                 ("Le libre-service en une affiche A3, pour les salles de pause.",
                  "Self-service on one A3 poster, for break rooms.")), S.DONE),
        (news("Maintenance de la messagerie le 14", -45,
              ("La messagerie sera indisponible de 20 h à 22 h.",
               "Email will be unavailable from 8 to 10 pm."),
              title_en="Email maintenance on the 14th"), S.DONE),
        (event("Webinaire : l'IA générative au bureau", -90, "Teams", office), S.CANCELLED),
        (email("Relance : le baromètre de juin", -160, office,
               ("Il reste une semaine pour répondre", "One week left to answer"),
               ("Votre avis compte : 10 minutes pour le baromètre de la DSI.",
                "Your opinion counts: 10 minutes for the IT barometer."),
               category=Category.SURVEY), S.CANCELLED),
    ]
    future: list[tuple[Action, str]] = [
        (post("Teams : les nouveautés du mois", 2,
              ("Les salles d'équipe ont leur tableau blanc partagé.",
               "Team rooms now have a shared whiteboard.")), S.APPROVED),
        (post("Citrix : J-30", 9, ("Plus que trente jours pour migrer.",
                                   "Thirty days left to migrate.")), S.READY),
        (post("Résultats du baromètre : ce que nous changeons", 14,
              ("Trois engagements pour l'année.", "Three commitments for the year.")),
         S.PLANNED),
        (post("Astuce du vendredi : le libre-service", 21,
              ("Débloquez votre compte sans appeler.", "Unlock your account without calling.")),
         S.IDEA),
        (event("Démo day DSI : les nouveautés de l'année", 12, "Auditorium, Paris", None,
               everyone=True), S.READY),
        (event("Atelier Teams pour les chefs d'équipe", 8, "Salle de formation, atelier",
               plants), S.APPROVED),
        (email("Lettre de la DSI de décembre", 4, sales,
               ("La lettre de la DSI", "The IT newsletter"),
               ("Ce que nous avons livré ce mois-ci, et ce qui arrive.",
                "What we delivered this month, and what comes next."),
               send_at=story.at(day(4), 9)), S.APPROVED),
        (email("Vœux de la DSI", 20, None, ("Bonne année !", "Happy new year!"),
               ("Merci pour vos retours cette année.", "Thank you for your feedback this year."),
               everyone=True), S.READY),
        (email("Clôture : rien pour la Finance avant le 12", 18, finance,
               ("Pendant la clôture", "During the closing"),
               ("Aucune sollicitation pendant la clôture : bon courage !",
                "No solicitation during the closing: good luck!")), S.IDEA),
        (email("Invitation au baromètre de janvier", 25, office,
               ("Le baromètre de janvier arrive", "The January barometer is coming"),
               ("Dix minutes pour nous dire ce qui marche.", "Ten minutes to tell us what works."),
               category=Category.SURVEY), S.PLANNED),
        (news("Citrix s'arrête : mode d'emploi", 5,
              ("Tout ce qu'il faut savoir pour migrer.", "All you need to know to migrate."),
              title_en="Citrix is retiring: how to"), S.APPROVED),
        (printed("Guide du nouvel arrivant", 16,
                 ("Vos premiers jours avec la DSI.", "Your first days with IT.")), S.PLANNED),
        (news("Le catalogue en anglais", 24, ("Tout le catalogue existe en anglais.",
                                              "The whole catalogue now in English."),
              title_en="The catalogue in English"), S.IDEA),
    ]
    for action, status in past:
        when = story.at(action.starts_on, 11)
        if status == S.DONE:
            _send(story, action)
            Action.objects.filter(pk=action.pk).update(sent_at=when, created_at=when
                                                       - dt.timedelta(days=10))
        else:
            _advance(story, action, S.PLANNED)
            _advance(story, action, S.CANCELLED, comment="Reporté : trop de sollicitations ce "
                                                         "mois-là.")
            Action.objects.filter(pk=action.pk).update(created_at=when - dt.timedelta(days=30))
        ActionChange.objects.filter(action=action).update(at=when)
    for action, status in future:
        if status != S.IDEA:
            _advance(story, action, status)
    plans.action_comment(action=future[4][0], user=lead,
                         text="Salle réservée ; à valider par la DG (envoi à tous).")
