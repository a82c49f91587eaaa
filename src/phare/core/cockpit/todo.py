"""What needs attention: to-do items computed from the data, each with a link.

Each finder returns the items its condition holds for now (none otherwise); the cockpit lists
them most pressing first. Counts printed here are of services, waves, needs, campaigns or
actions — never of people answering: a wave's response rate comes from
:func:`phare.listening.queries.response_rates`, which hides small groups.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.formats import date_format, number_format
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from phare.catalog import queries as catalog_queries
from phare.catalog.models import Service
from phare.comms.models import Action
from phare.comms.policy import needs_executive, visible_actions
from phare.core.cockpit import changes
from phare.insights import access
from phare.insights import queries as insights_queries
from phare.insights.verbatims import surveys_with_comments
from phare.lib.i18n import marked, written
from phare.listening import queries as listening
from phare.listening.models import Survey, Wave
from phare.needs.models import Campaign, Need
from phare.usage import queries as usage

#: Below this response rate (of invitations sent), an open wave is flagged.
LOW_RATE = 0.30
#: A wave is judged on its rate only once it has been open this long.
SETTLING = dt.timedelta(days=3)
#: Planned waves opening within this many days are listed as "to launch".
LAUNCH_AHEAD = dt.timedelta(days=7)


@dataclass(frozen=True)
class Todo:
    """One thing to do: what, where, and how pressing ("high" first, then "normal")."""

    text: str
    url: str
    priority: str = "normal"


def with_title(text: str, name: str, title: str, language: str) -> SafeString:
    """``text`` with ``title`` (typed in ``language``) put in for ``%(<name>)s``, marked for
    readers of the other language (HTML: the sentence escaped, the title marked)."""
    return mark_safe(conditional_escape(text) % {name: marked(written(title, language))})


def services_to_review(user: Any) -> list[Todo]:
    queue = list(catalog_queries.review_queue(user)[:6])
    return [Todo(_("Review “%(service)s”: it waits for your publication.")
                 % {"service": s.name}, reverse("catalog:manage_detail", args=[s.slug]),
                 "high") for s in queue]


def waves_to_launch(today: dt.date) -> list[Todo]:
    waves = (Wave.objects.filter(status=Wave.Status.PLANNED, opens_on__lte=today + LAUNCH_AHEAD,
                                 survey__status=Survey.Status.OPEN)
             .select_related("survey").order_by("opens_on", "pk"))
    items = []
    for wave in waves[:6]:
        late = wave.opens_on <= today
        text = (_("Launch %(wave)s of “%(survey)s”: it was due to open on %(day)s.") if late
                else _("Launch %(wave)s of “%(survey)s”: it opens on %(day)s."))
        items.append(Todo(text % {"wave": wave.name, "survey": wave.survey.title,
                                  "day": wave.opens_on.isoformat()},
                          reverse("listening:wave", args=[wave.survey.slug, wave.number]),
                          "high" if late else "normal"))
    return items


def waves_answering_little(today: dt.date) -> list[Todo]:
    """Open waves whose response rate is low overall, or in one of their strata (unit, site or
    job family: the groups ``response_rates`` shows, small ones merged)."""
    items = []
    waves = (Wave.objects.filter(status=Wave.Status.OPEN, opens_on__lte=today - SETTLING)
             .select_related("survey").order_by("closes_on", "pk"))
    for wave in waves[:5]:
        rates = listening.response_rates(wave)
        overall = rates["overall"]
        url = reverse("listening:wave", args=[wave.survey.slug, wave.number])
        names = {"wave": wave.name, "survey": wave.survey.title}
        if overall["rate"] is not None and overall["rate"] < LOW_RATE:
            items.append(Todo(_("%(wave)s of “%(survey)s” has a low response rate (%(rate)s %%)"
                                ": remind or extend it.")
                              % {**names, "rate": _percent(overall["rate"])}, url, "high"))
            continue
        lowest = min((g for segment in rates["segments"].values() for g in segment["groups"]
                      if g["rate"] is not None), key=lambda g: g["rate"], default=None)
        if lowest is not None and lowest["rate"] < LOW_RATE:
            items.append(Todo(_("%(wave)s of “%(survey)s”: %(group)s answers little "
                                "(%(rate)s %%).")
                              % {**names, "group": lowest["name"],
                                 "rate": _percent(lowest["rate"])}, url))
    return items


def _percent(rate: float) -> str:
    return f"{100 * rate:.0f}"


def reminders_due() -> list[Todo]:
    rows = (listening.due_reminders().values("wave_id").annotate(n=Count("pk"))
            .order_by("wave_id"))
    due = {row["wave_id"]: row["n"] for row in rows}
    waves = Wave.objects.filter(pk__in=due).select_related("survey").order_by("closes_on")
    return [Todo(ngettext("%(n)d reminder is due for %(wave)s of “%(survey)s”.",
                          "%(n)d reminders are due for %(wave)s of “%(survey)s”.", due[w.pk])
                 % {"n": due[w.pk], "wave": w.name, "survey": w.survey.title},
                 reverse("listening:wave", args=[w.survey.slug, w.number])) for w in waves]


def needs_to_qualify() -> list[Todo]:
    count = Need.objects.filter(status=Need.Status.NEW).count()
    if not count:
        return []
    return [Todo(ngettext("%(n)d new need to qualify.", "%(n)d new needs to qualify.", count)
                 % {"n": count}, reverse("needs:list") + "?status=new")]


def campaigns_to_move() -> list[Todo]:
    """Open campaigns with needs but no run yet, and decided ones not yet published."""
    items = []
    campaigns = (Campaign.objects.exclude(status=Campaign.Status.PUBLISHED)
                 .annotate(n_needs=Count("needs", distinct=True),
                           runs=Count("arbitrations", distinct=True))
                 .order_by("created_at", "pk"))
    for campaign in campaigns:
        url = reverse("needs:campaign", args=[campaign.pk])
        if campaign.status == Campaign.Status.DECIDED:
            items.append(Todo(_("Publish the decision of “%(campaign)s” to the people who "
                                "asked.") % {"campaign": campaign.name}, url, "high"))
        elif campaign.n_needs and not campaign.runs:
            items.append(Todo(_("Run the arbitration of “%(campaign)s”.")
                              % {"campaign": campaign.name}, url))
        elif campaign.runs:
            items.append(Todo(_("Decide the arbitration of “%(campaign)s”.")
                              % {"campaign": campaign.name}, url))
    return items


def retiring_still_used(user: Any) -> list[Todo]:
    """Retiring services whose last released month still counts active users."""
    retiring = list(Service.objects.filter(lifecycle=Service.Lifecycle.RETIRING)
                    .order_by("name_fr"))
    items = []
    for service in usage.services_with_usage(retiring)[:5]:
        summary = usage.summary(service)
        if summary is not None and summary.active_users:
            items.append(Todo(_("“%(service)s” is retiring but still used: plan the move of "
                                "its users.") % {"service": service.name},
                              reverse("usage:service", args=[service.slug])))
    return items


def actions_to_approve(user: Any, *, executive: bool) -> list[Todo]:
    """Communication actions ready and waiting for an approval: company-wide ones for an
    executive, the others for the marketing lead."""
    ready = (visible_actions(user).filter(status=Action.Status.READY)
             .filter(Q(everyone=True) if executive else Q())
             .order_by("starts_on", "pk"))
    found = [a for a in ready if needs_executive(a) == executive]
    text = (_("Approve “%(action)s”: a message to everyone waits for an executive.")
            if executive else _("Approve “%(action)s”: it is ready."))
    return [Todo(with_title(text, "action", a.title, a.language),
                 reverse("comms:action", args=[a.pk]),
                 "high" if executive else "normal") for a in found[:6]]


def _points(value: float) -> str:
    """A signed number of points in the reader's locale ("−12", "+3")."""
    shown = round(abs(value))
    sign = "−" if value < 0 and shown else "+" if value > 0 and shown else ""
    return f"{sign}{number_format(shown, 0)}"


def _size(value: float) -> str:
    """A change's size, without its sign, in the reader's locale."""
    return number_format(round(abs(value)), 0)


def _segment_drop_texts() -> dict[str, str]:
    """One sentence per kind of segment (each language puts its own article before it)."""
    return {
        "unit": _("The NPS of the business unit “%(segment)s” fell by %(change)s points from "
                  "%(previous)s to %(latest)s (95 %% interval: %(low)s to %(high)s; now "
                  "%(now)s, n = %(n)s)."),
        "site": _("The NPS of the site “%(segment)s” fell by %(change)s points from "
                  "%(previous)s to %(latest)s (95 %% interval: %(low)s to %(high)s; now "
                  "%(now)s, n = %(n)s)."),
        "job_family": _("The NPS of the job family “%(segment)s” fell by %(change)s points "
                        "from %(previous)s to %(latest)s (95 %% interval: %(low)s to "
                        "%(high)s; now %(now)s, n = %(n)s)."),
    }


def segments_dropping(user: Any) -> list[Todo]:
    """The segments of the newest barometer whose NPS fell significantly between its last two
    closed waves (Holm-adjusted across the segments): only segments the barometer shows."""
    items: list[Todo] = []
    found = insights_queries.barometers(access.visible_surveys(user))
    if not found:
        return items
    survey = found[0]
    changed = changes.segment_drops(survey)
    if not changed:
        return items
    names, texts = insights_queries.segment_names(), _segment_drop_texts()
    page = reverse("insights:barometer", args=[survey.slug])
    for change in changed[:5]:
        items.append(Todo(
            texts[change.by]
            % {"segment": names[change.by].get(change.key, change.key),
               "change": _size(change.value), "previous": change.previous,
               "latest": change.latest, "low": _points(change.low),
               "high": _points(change.high), "now": _points(change.now), "n": change.n},
            f"{page}?{urlencode({'wave': change.period, change.by: change.key})}", "high"))
    return items


def _month(key: str) -> str:
    """A "YYYY-MM" month as the reader writes it ("mars 2026", "March 2026")."""
    return date_format(dt.date.fromisoformat(f"{key}-01"), "YEAR_MONTH_FORMAT")


def units_unhappy_with_tickets(user: Any, today: dt.date) -> list[Todo]:
    """The business units whose ticket happiness fell significantly from one released month
    to the next, or is significantly below the company's (Holm-adjusted across units): only
    units the ticket experience page shows; one item per unit, the most significant."""
    found = changes.unit_happiness_changes(access.ticket_scope(user), today)
    if not found:
        return []
    names = dict(insights_queries.unit_choices())
    page = reverse("insights:tickets")
    items: list[Todo] = []
    seen: set[str] = set()
    for change in found:
        if change.key in seen:
            continue
        seen.add(change.key)
        figures = {"unit": names.get(change.key, change.key), "change": _size(change.value),
                   "previous": _month(change.previous), "latest": _month(change.latest),
                   "low": _points(change.low), "high": _points(change.high),
                   "now": _points(change.now), "n": change.n}
        text = (_("Ticket happiness in the business unit “%(unit)s” fell by %(change)s points "
                  "from %(previous)s to %(latest)s (95 %% interval: %(low)s to %(high)s; now "
                  "%(now)s, n = %(n)s).") if change.by == "ticket_unit"
                else _("Ticket happiness in the business unit “%(unit)s” is %(change)s points "
                       "below the company's in %(latest)s (95 %% interval: %(low)s to "
                       "%(high)s; now %(now)s, n = %(n)s)."))
        query = urlencode({"unit": change.key, "month": change.period})
        items.append(Todo(text % figures, f"{page}?{query}", "high"))
    return items[:5]


def themes_growing(user: Any, today: dt.date) -> list[Todo]:
    """Themes of the comments whose share among detractors' comments grew significantly
    between the last two periods (waves, or months for surveys without waves)."""
    items: list[Todo] = []
    page = reverse("insights:verbatims")
    for survey in surveys_with_comments(access.visible_surveys(user))[:3]:
        for change, label in changes.growing_themes(survey, today)[:3]:
            # The explorer's themes of all the comments (a period chosen there would find
            # themes of its own): the theme's detractors' comments, newest first.
            query = urlencode({"survey": survey.slug, "theme": change.key, "band": "low"})
            items.append(Todo(
                _("The theme “%(theme)s” grows among the detractors of “%(survey)s”: "
                  "%(share)s %% of their comments in %(latest)s, %(change)s points since "
                  "%(previous)s (95 %% interval: %(low)s to %(high)s).")
                % {"theme": label, "survey": survey.title, "share": _size(change.now),
                   "latest": change.latest, "change": _points(change.value),
                   "previous": change.previous, "low": _points(change.low),
                   "high": _points(change.high)}, f"{page}?{query}"))
    return items


def marketing(user: Any, today: dt.date) -> list[Todo]:
    """The marketing lead's to-do list, most pressing first."""
    items = [*services_to_review(user), *waves_to_launch(today),
             *waves_answering_little(today), *reminders_due(), *needs_to_qualify(),
             *campaigns_to_move(), *retiring_still_used(user),
             *actions_to_approve(user, executive=False), *segments_dropping(user),
             *units_unhappy_with_tickets(user, today), *themes_growing(user, today)]
    return sorted(items, key=lambda item: item.priority != "high")


def admin(user: Any) -> list[Todo]:
    """What concerns an administrator: the services waiting for a publication (they publish
    as the marketing lead does)."""
    return services_to_review(user)
