"""Playbooks: events in Phare propose draft actions that the marketing lead reviews.

Nothing here is ever sent: every proposal is an action in status ``idea`` of the plan that
covers the day of the event, with its text written, its audience saved and its date set, for the
lead to edit, plan and approve like any other. Each event proposes once (``Action.origin`` and
``Objective.source`` name it), however often :func:`propose` runs — the periodic tick runs it.

- a service goes **live** → a launch email to the service's audience, portal news on the
  service for a month, and a pulse of its early users 30 days later;
- a service is **retiring** → a migration email to its active users (the people of its audience
  when usage is not measured) naming the replacement, and a reminder four weeks later;
- an arbitration **decision is published** → "you said, we did": an email to every submitter and
  voter of the campaign's needs, with what was retained, what was not, and why;
- a **barometer wave closes** → its results published to the people invited (never selected
  by their answers), and three commitments — the attributes that matter most where the service
  does least well — which become objectives of the plan, measured at the next wave.

Only events of the last :data:`LOOKBACK_DAYS` days propose: installing Phare on years of
history proposes nothing about the past.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from functools import partial
from typing import Any

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation

from phare.analysis.importance import QUADRANTS
from phare.catalog.models import FieldChange, Service
from phare.comms import audiences, objectives
from phare.comms.models import Action, Audience, Objective, Plan
from phare.contact.models import Category
from phare.insights import barometer
from phare.insights.barometer import Filters
from phare.lib.i18n import in_language
from phare.listening.models import Survey, Wave
from phare.listening.questions import option_label
from phare.needs.models import Campaign, Decision
from phare.needs.queries import result_rows
from phare.usage import engine

#: Events older than this propose nothing.
LOOKBACK_DAYS = 60
#: Portal news of a launch is shown this long.
NEWS_DAYS = 30
#: The pulse of early users comes this long after the launch.
PULSE_DAYS = 30
#: The migration reminder comes this long after the first message.
REMINDER_DAYS = 28
#: How much better than today a barometer commitment aims at the next wave, by the unit of its
#: figure (a share in points, a mean on the survey's scale).
COMMITMENT_STEP = {"%": Decimal("5"), "points": Decimal("5"), "score": Decimal("0.3")}

L = Service.Lifecycle


def plan_for(day: dt.date) -> Plan | None:
    """The plan that covers ``day`` (the shortest, when a quarter's plan sits in a year's)."""
    plans = Plan.objects.filter(starts_on__lte=day, ends_on__gte=day)
    return min(plans, key=lambda p: (p.ends_on - p.starts_on, -p.pk), default=None)


def _link(url_name: str, *args: Any) -> str:
    return settings.PHARE_BASE_URL + reverse(url_name, args=args)


def _audience(name: str, criteria: dict[str, Any]) -> Audience:
    """The saved audience of that name and criteria (described from its criteria on pages),
    its criteria checked and normalised as any saved audience's
    (:func:`phare.comms.audiences.check`: raises ``AudienceInvalid`` when they name what does
    not exist)."""
    criteria = audiences.check(criteria)
    audience = next((a for a in Audience.objects.filter(name=name[:200])
                     if a.criteria == criteria), None)
    if audience is None:
        # The playbooks name their audiences and actions in French.
        audience = Audience(name=name[:200], criteria=criteria, language="fr")
        audience.full_clean()
        audience.save()
    return audience


def _action(plan: Plan, origin: str, **values: Any) -> Action:
    services = values.pop("services", [])
    action = Action(plan=plan, origin=origin[:80], status=Action.Status.IDEA, language="fr",
                    **values)
    action.full_clean()
    action.save()
    if services:
        action.services.set(services)
    return action


def _names(service: Service) -> dict[str, str]:
    return {"fr": service.name_fr, "en": service.name_en or service.name_fr}


def launch(plan: Plan, service: Service, day: dt.date) -> list[Action]:
    """A service went live: launch email, portal news, pulse of early users."""
    origin = f"launch:{service.pk}"
    name = _names(service)
    link = _link("catalog:service", service.slug)
    audience = _audience(
        f"{name['fr']} — public du service",
        {"services": [service.slug]})
    # Its early users when usage is measured for it, else everyone it is for.
    early = _audience(
        f"{name['fr']} — premiers utilisateurs",
        {"usage": {"service": service.slug, "state": "active", "days": PULSE_DAYS}}
    ) if _measured(service) else audience
    promise_fr, promise_en = service.promise_fr, service.promise_en or service.promise_fr
    common = {"services": [service], "languages": ["fr", "en"], "kind": Action.Kind.CAMPAIGN}
    return [
        _action(plan, f"{origin}:email", title=f"Lancement : {name['fr']}",
                channel=Action.Channel.EMAIL, audience=audience, starts_on=day,
                subject_fr=f"Nouveau : {name['fr']}", subject_en=f"New: {name['en']}",
                body_fr=(f"Bonjour {{first_name}},\n\n{name['fr']} est disponible. "
                         f"{promise_fr}\n\n[Découvrir {name['fr']}]({link})"),
                body_en=(f"Hello {{first_name}},\n\n{name['en']} is available. "
                         f"{promise_en}\n\n[Discover {name['en']}]({link})"), **common),
        _action(plan, f"{origin}:news", title=f"Actualité du portail : {name['fr']}",
                channel=Action.Channel.PORTAL, starts_on=day,
                expires_on=day + dt.timedelta(days=NEWS_DAYS),
                subject_fr=f"{name['fr']} est disponible",
                subject_en=f"{name['en']} is available",
                body_fr=f"{promise_fr}\n\n[En savoir plus]({link})",
                body_en=f"{promise_en}\n\n[Learn more]({link})", **common),
        _action(plan, f"{origin}:pulse", title=f"Pulse des premiers utilisateurs : {name['fr']}",
                channel=Action.Channel.EMAIL, audience=early, category=Category.SURVEY,
                starts_on=day + dt.timedelta(days=PULSE_DAYS),
                subject_fr=f"{name['fr']} : un mois après, votre avis",
                subject_en=f"{name['en']}: a month on, your opinion",
                body_fr=(f"Bonjour {{first_name}},\n\nVous utilisez {name['fr']} depuis son "
                         "lancement. Trois questions, deux minutes : dites-nous ce qui marche "
                         "et ce qui manque."),
                body_en=(f"Hello {{first_name}},\n\nYou have been using {name['en']} since its "
                         "launch. Three questions, two minutes: tell us what works and what is "
                         "missing."), **common),
    ]


def retirement(plan: Plan, service: Service, day: dt.date) -> list[Action]:
    """A service is retiring: migration email to its users naming the replacement, reminder."""
    origin = f"retirement:{service.pk}"
    name = _names(service)
    replacement = service.replacement
    new = _names(replacement) if replacement is not None else {"fr": "", "en": ""}
    link = _link("catalog:service", replacement.slug) if replacement is not None else ""
    if _measured(service):
        audience = _audience(f"{name['fr']} — utilisateurs actifs",
                             {"usage": {"service": service.slug, "state": "active",
                                        "days": 90}})
    else:  # its usage is not measured: everyone it is for
        audience = _audience(f"{name['fr']} — public du service", {"services": [service.slug]})
    services = [service] + ([replacement] if replacement is not None else [])
    own = _link("catalog:service", service.slug)
    if replacement is not None:
        title = f"Migration : {name['fr']} → {new['fr']}"
        subject = {"fr": f"{name['fr']} s'arrête : passez à {new['fr']}",
                   "en": f"{name['en']} is retiring: move to {new['en']}"}
        then = {"fr": f"Il est remplacé par {new['fr']} : [comment passer à {new['fr']}]({link}).",
                "en": f"{new['en']} replaces it: [how to move to {new['en']}]({link})."}
    else:  # an imported service may retire without naming its successor
        title = f"Arrêt : {name['fr']}"
        subject = {"fr": f"{name['fr']} s'arrête", "en": f"{name['en']} is retiring"}
        then = {"fr": f"[Ce qui change pour vous]({own}).",
                "en": f"[What changes for you]({own})."}
    body_fr = f"Bonjour {{first_name}},\n\n{name['fr']} va être arrêté. {then['fr']}"
    body_en = f"Hello {{first_name}},\n\n{name['en']} is being retired. {then['en']}"
    common = {"services": services, "languages": ["fr", "en"], "kind": Action.Kind.CAMPAIGN,
              "channel": Action.Channel.EMAIL, "audience": audience,
              "category": Category.NOTICE, "mandatory": True}
    return [
        _action(plan, f"{origin}:email", title=title, starts_on=day,
                subject_fr=subject["fr"], subject_en=subject["en"],
                body_fr=body_fr, body_en=body_en, **common),
        _action(plan, f"{origin}:reminder", title=f"Rappel de migration : {name['fr']}",
                starts_on=day + dt.timedelta(days=REMINDER_DAYS),
                subject_fr=f"Rappel : {subject['fr']}", subject_en=f"Reminder: {subject['en']}",
                body_fr=body_fr, body_en=body_en, **common),
    ]


def _measured(service: Service) -> bool:
    """Whether usage is imported for the service: someone's activity on it is in the usage
    store (from an events file or a Microsoft 365 report of a product linked to it)."""
    return not engine.connect().last_active(service.pk).empty


def you_said_we_did(plan: Plan, decision: Decision, day: dt.date) -> list[Action]:
    """A decision was published: what was retained, what was not and why, to those who asked."""
    campaign = decision.campaign
    link = _link("needs:decision", campaign.pk)
    taken: dict[str, str] = {}
    left: dict[str, str] = {}
    for language in ("fr", "en"):
        # The explanations are written in the active language: once in each.
        with translation.override(language):
            rows = result_rows(decision.arbitration)
            taken[language] = _lines([(item["title"], "") for item in rows["taken"]])
            left[language] = _lines(
                [(item["title"], item.get("explanation") or "") for item in rows["left"]]
                + [(item["title"], str(item.get("why") or "")) for item in rows["aside"]])
    audience = _audience(
        f"{campaign.name_fr} — demandeurs et votants",
        {"needs": {"decision": campaign.pk, "who": ["submitters", "voters"]}})
    return [_action(
        plan, f"you_said:{campaign.pk}:email",
        title=f"Vous avez dit, nous avons fait : {campaign.name_fr}",
        kind=Action.Kind.MESSAGE, channel=Action.Channel.EMAIL, audience=audience,
        languages=["fr", "en"], starts_on=day,
        subject_fr=f"Vos demandes : ce que nous avons décidé ({campaign.name_fr})",
        subject_en=f"Your requests: what we decided ({in_language(campaign, 'name', 'en')})",
        body_fr=(f"Bonjour {{first_name}},\n\nVous avez proposé ou soutenu des demandes. "
                 f"Voici ce que nous avons décidé.\n\n**Retenu**\n\n{taken['fr']}"
                 f"\n\n**Pas cette fois, et pourquoi**\n\n{left['fr']}\n\n"
                 f"**La raison de la décision** : {decision.reason}\n\n"
                 f"[La décision en détail]({link})"),
        body_en=(f"Hello {{first_name}},\n\nYou proposed or supported requests. Here is what "
                 f"we decided.\n\n**Retained**\n\n{taken['en']}\n\n"
                 f"**Not this time, and why**\n\n{left['en']}\n\n"
                 f"**Why we decided so**: {decision.reason}\n\n"
                 f"[The decision in detail]({link})"))]


def _lines(items: list[tuple[str, str]]) -> str:
    """A Markdown list of needs, each with its explanation when it has one."""
    return "\n".join(f"- {title}" + (f" — {why}" if why else "")
                      for title, why in items) or "-"


def barometer_results(plan: Plan, wave: Wave, day: dt.date) -> list[Action]:
    """A barometer wave closed: results to those invited, and three commitments as objectives."""
    survey = wave.survey
    origin = f"barometer:{wave.pk}"
    rows, _n = barometer.attribute_figures(survey, Filters(waves=(wave.number,)))
    # What matters most where the department does least well first (Martilla & James I),
    # then what matters less and is done less well (III), then the rest.
    order = (QUADRANTS[0], QUADRANTS[2], QUADRANTS[1], QUADRANTS[3])
    priority = {quadrant: i for i, quadrant in enumerate(order)}
    chosen = sorted(rows, key=lambda r: (priority[r["quadrant"]], r["performance"]
                                         - r["importance"]))[:3]
    grid = objectives.barometer_grid(survey)
    options = {o["code"]: o for o in (grid.options if grid is not None else [])}
    title = {"fr": survey.title_fr, "en": survey.title_en or survey.title_fr}
    commitments: list[Objective] = []
    promises: dict[str, list[str]] = {"fr": [], "en": []}
    for position, row in enumerate(chosen):
        option = options.get(row["code"], {"code": row["code"]})
        label = {language: option_label(option, language) for language in ("fr", "en")}
        objective = Objective(
            plan=plan, title=f"{title['fr']} : mieux faire sur « {label['fr']} »",
            metric=Objective.Metric.SATISFACTION, source=f"{origin}:{row['code']}",
            params={"survey": survey.slug, "question": grid.code if grid else "",
                    "option": row["code"]}, position=100 + position)
        objective.full_clean()
        objective.save()
        live = objectives.live(objective, today=day)
        if live.value is not None:
            objective.baseline = Decimal(str(round(live.value, 2)))
            objective.target = objective.baseline + COMMITMENT_STEP.get(live.unit, Decimal(5))
            if live.scale is not None:
                objective.target = min(objective.target, Decimal(str(live.scale[1])))
        objective.due_on = day + dt.timedelta(days=365)
        objective.save(update_fields=["baseline", "target", "due_on"])
        commitments.append(objective)
        for language in ("fr", "en"):
            promises[language].append(f"- {label[language]}")
    link = _link("insights:barometer", survey.slug)
    audience = _audience(
        f"{title['fr']} — vague {wave.number} : personnes invitées",
        {"wave": {"wave": wave.pk, "state": "invited"}})
    return [_action(
        plan, f"{origin}:results", title=f"Résultats : {title['fr']}, {wave.name_fr}",
        objective=commitments[0] if commitments else None, kind=Action.Kind.PUBLICATION,
        channel=Action.Channel.EMAIL, audience=audience, languages=["fr", "en"], starts_on=day,
        subject_fr=f"{title['fr']} : vos réponses et nos engagements",
        subject_en=f"{title['en']}: your answers and our commitments",
        body_fr=(f"Bonjour {{first_name}},\n\nMerci d'avoir répondu à {title['fr']}. "
                 f"Voici les résultats et les points sur lesquels nous nous engageons "
                 f"d'ici la prochaine vague :\n\n" + "\n".join(promises["fr"])
                 + f"\n\n[Les résultats]({link})"),
        body_en=(f"Hello {{first_name}},\n\nThank you for answering {title['en']}. Here are "
                 f"the results and the points we commit to before the next wave:\n\n"
                 + "\n".join(promises["en"]) + f"\n\n[The results]({link})"))]


def _lifecycle_events(to: str, since: dt.datetime) -> list[tuple[Service, dt.date]]:
    changes = (FieldChange.objects.filter(field="lifecycle", new=to, revision__at__gte=since,
                                          revision__service__lifecycle=to)
               .select_related("revision__service").order_by("revision__at"))
    seen: dict[int, tuple[Service, dt.date]] = {}
    for change in changes:
        service = change.revision.service
        seen.setdefault(service.pk, (service, timezone.localdate(change.revision.at)))
    return list(seen.values())


def _events(now: dt.datetime) -> list[tuple[str, dt.date, Callable[..., list[Action]]]]:
    """Every event of the look-back window: (its origin, its day, what it proposes)."""
    since = now - dt.timedelta(days=LOOKBACK_DAYS)
    found: list[tuple[str, dt.date, Callable[..., list[Action]]]] = []
    for service, day in _lifecycle_events(L.LIVE, since):
        found.append((f"launch:{service.pk}", day, partial(launch, service=service, day=day)))
    for service, day in _lifecycle_events(L.RETIRING, since):
        found.append((f"retirement:{service.pk}", day,
                       partial(retirement, service=service, day=day)))
    decisions = (Decision.objects.filter(published_at__gte=since,
                                         campaign__status=Campaign.Status.PUBLISHED)
                 .select_related("campaign", "arbitration"))
    for decision in decisions:
        day = timezone.localdate(decision.published_at)
        found.append((f"you_said:{decision.campaign_id}", day,
                      partial(you_said_we_did, decision=decision, day=day)))
    waves = (Wave.objects.filter(status=Wave.Status.CLOSED, survey__kind=Survey.Kind.BAROMETER,
                                 closes_on__gte=since.date(), closes_on__lte=now.date())
             .select_related("survey"))
    for wave in waves:
        found.append((f"barometer:{wave.pk}", wave.closes_on,
                      partial(barometer_results, wave=wave, day=wave.closes_on)))
    return found


def _proposed() -> set[str]:
    """The events already proposed: the origins of actions and objectives, without their
    last part (``launch:12:email`` → ``launch:12``)."""
    origins = set(Action.objects.exclude(origin="").values_list("origin", flat=True))
    origins |= set(Objective.objects.exclude(source="").values_list("source", flat=True))
    return {origin.rsplit(":", 1)[0] for origin in origins if ":" in origin}


def propose(now: dt.datetime | None = None) -> list[Action]:
    """Propose, in the plan that covers today, the draft actions of every event of the last
    :data:`LOOKBACK_DAYS` days not proposed yet; the new actions. Without such a plan nothing
    is proposed: the events are proposed once one exists (if they are still recent)."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    plan = plan_for(today)
    if plan is None:
        return []
    created: list[Action] = []
    done = _proposed()
    for origin, _day, make in _events(now):
        if origin in done:
            continue
        with transaction.atomic():
            # One proposer at a time (two ticks at once): the second sees the first's.
            Plan.objects.select_for_update().get(pk=plan.pk)
            if origin in _proposed():
                continue
            created.extend(make(plan=plan))
    return created


def step(now: dt.datetime) -> dict[str, Any]:
    """The periodic tick's share: propose what the events since the last tick call for."""
    return {"proposed": len(propose(now))}
