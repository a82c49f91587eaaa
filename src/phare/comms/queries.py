"""Reads of the communication plan for pages and endpoints: a plan's page (objectives with
their live figure, the board of actions by status), the list of actions with its filters,
saved audiences with their size, an action's page (history, attachments, results), the
Teams and Slack channels (their addresses masked) and an event's registrations.

Only what the reader may see (:mod:`phare.comms.policy`) is ever returned.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field, replace
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.safestring import mark_safe

from phare.analysis import disclosure
from phare.catalog.models import Service
from phare.comms import audiences, calendar, emails, objectives, policy, results
from phare.comms.models import (
    Action,
    ActionChange,
    Attachment,
    Audience,
    Objective,
    Plan,
    Registration,
    Webhook,
)
from phare.comms.services import tracking
from phare.contact.models import Category, QuietPeriod
from phare.contact.models import OptOut as ContactOptOut
from phare.directory.models import Person
from phare.listening.models import OptOut as SurveyOptOut
from phare.usage.queries import min_group

S = Action.Status


@dataclass(frozen=True)
class ObjectiveRow:
    objective: Objective
    live: Any  # objectives.Live


@dataclass(frozen=True)
class Column:
    """One column of the board: a status and its actions."""

    status: str
    label: str
    actions: list[Action]


@dataclass(frozen=True)
class PlanPage:
    plan: Plan
    objectives: list[ObjectiveRow]
    board: list[Column]
    can_edit: bool


def plan_list(user: Any) -> QuerySet[Plan]:
    """The plans ``user`` sees, with their number of actions (``actions_count``)."""
    return policy.visible_plans(user).annotate(actions_count=Count("actions"))


def objective_rows(plan: Plan) -> list[ObjectiveRow]:
    """The plan's objectives, each with its live figure."""
    return [ObjectiveRow(objective, objectives.live(objective))
            for objective in plan.objectives.all()]


def _actions() -> QuerySet[Action]:
    return (Action.objects.select_related("plan", "objective", "audience", "owner__person",
                                          "webhook", "approved_by")
            .prefetch_related("contributors", "services"))


def plan_page(user: Any, plan: Plan) -> PlanPage:
    """A plan's page: objectives with their live figure and its actions by status."""
    actions = list(_actions().filter(plan=plan))
    board = [Column(status, str(S(status).label), [a for a in actions if a.status == status])
             for status in policy.BOARD]
    return PlanPage(plan=plan, objectives=objective_rows(plan), board=board,
                    can_edit=policy.can_edit_plan(user, plan))


@dataclass(frozen=True)
class ActionFilter:
    """The filters of the list of actions (board, calendar, API); empty means any."""

    plan: int | None = None
    status: str = ""
    channel: str = ""
    owner: int | None = None
    audience: int | None = None
    objective: int | None = None
    service: str = ""
    q: str = ""
    starts_from: dt.date | None = None
    starts_until: dt.date | None = None
    mine: bool = False


def action_list(user: Any, f: ActionFilter | None = None) -> QuerySet[Action]:
    """The actions ``user`` sees that match ``f``, by date."""
    f = f or ActionFilter()
    found = _actions().filter(pk__in=policy.visible_actions(user).values("pk"))
    if f.plan is not None:
        found = found.filter(plan_id=f.plan)
    if f.status:
        found = found.filter(status=f.status)
    if f.channel:
        found = found.filter(channel=f.channel)
    if f.owner is not None:
        found = found.filter(owner_id=f.owner)
    if f.audience is not None:
        found = found.filter(audience_id=f.audience)
    if f.objective is not None:
        found = found.filter(objective_id=f.objective)
    if f.service:
        found = found.filter(pk__in=Action.objects.filter(services__slug=f.service)
                             .values("pk"))
    if f.q:
        found = found.filter(Q(title__icontains=f.q) | Q(subject_fr__icontains=f.q)
                             | Q(subject_en__icontains=f.q))
    if f.starts_from is not None:
        found = found.filter(Q(starts_on__gte=f.starts_from) | Q(ends_on__gte=f.starts_from))
    if f.starts_until is not None:
        found = found.filter(starts_on__lte=f.starts_until)
    if f.mine and user is not None and user.is_authenticated:
        found = found.filter(pk__in=Action.objects.filter(
            Q(owner=user) | Q(contributors=user)).values("pk"))
    return found.order_by("starts_on", "pk")


@dataclass(frozen=True)
class Size:
    """An audience's size as it may be shown: ``people`` is None when the group is too small
    to print (``hidden``: 1 to k−1 people) or the criteria cannot be read (``problem``)."""

    people: int | None
    hidden: bool = False
    problem: str = ""


def released_size(criteria: dict[str, Any]) -> Size:
    """How many people ``criteria`` reach now, through the disclosure rules."""
    try:
        n = audiences.size(criteria)
    except audiences.AudienceInvalid as exc:
        return Size(None, problem="; ".join(f"{f}: {r}" for f, r in exc.details))
    if disclosure.small(n, min_group()):
        return Size(None, hidden=True)
    return Size(n)


class AudienceSizes:
    """Audience sizes computed once per set of criteria (one per request)."""

    def __init__(self) -> None:
        self._sizes: dict[str, Size] = {}

    def of(self, criteria: dict[str, Any]) -> Size:
        key = json.dumps(criteria, sort_keys=True, default=str)
        if key not in self._sizes:
            self._sizes[key] = released_size(criteria)
        return self._sizes[key]


def describe(criteria: dict[str, Any]) -> list[str]:
    """The criteria in words (nothing when they cannot be read)."""
    try:
        return audiences.describe(criteria)
    except audiences.AudienceInvalid:
        return []


@dataclass(frozen=True)
class AudienceRow:
    audience: Audience
    size: Size
    used_by: int
    description: list[str] = field(default_factory=list)


def audience_row(audience: Audience, sizes: AudienceSizes | None = None) -> AudienceRow:
    """One saved audience with its size now, the actions using it and its criteria in
    words."""
    sizes = sizes or AudienceSizes()
    used = getattr(audience, "used", None)
    return AudienceRow(audience, sizes.of(audience.criteria),
                       used if used is not None else audience.actions.count(),
                       describe(audience.criteria))


def audience_list(sizes: AudienceSizes | None = None) -> list[AudienceRow]:
    """Every saved audience (:func:`audience_row`), by name."""
    sizes = sizes or AudienceSizes()
    rows = Audience.objects.annotate(used=Count("actions")).order_by("name", "pk")
    return [audience_row(a, sizes) for a in rows]


@dataclass(frozen=True)
class ActionPage:
    action: Action
    history: list[ActionChange]
    attachments: list[Attachment]
    reach: dict[str, Any]
    outcome: Any
    transitions: list[str]
    can_edit: bool
    can_send: bool
    can_publish: bool
    can_comment: bool
    needs_executive: bool


def action_detail(action_id: int) -> Action:
    """One action with what its page and the API show (``Action.DoesNotExist`` otherwise)."""
    return _actions().get(pk=action_id)


def action_page(user: Any, action: Action) -> ActionPage:
    """An action's page: its history, attachments, reach and outcome, what ``user`` may do."""
    history = list(action.history.select_related("by__person"))
    attachments = list(action.attachments.select_related("uploaded_by__person")
                       .order_by("at", "pk"))
    return ActionPage(action=action, history=history, attachments=attachments,
                      reach=results.reach(action), outcome=results.outcome(action),
                      transitions=policy.transitions(user, action),
                      can_edit=policy.can_edit_action(user, action),
                      can_send=policy.can_send(user, action),
                      can_publish=policy.can_publish(user, action),
                      can_comment=policy.can_comment(user, action),
                      needs_executive=policy.needs_executive(action))


# -- The plan pages: the list of plans, the filtered board, the printable message ------------


@dataclass(frozen=True)
class PlanRow:
    """One plan of the list: its objectives and its actions by status (board order, only the
    statuses it has)."""

    plan: Plan
    objectives: int
    actions: int
    by_status: list[tuple[str, str, int]]


def plan_rows(user: Any) -> list[PlanRow]:
    """The plans ``user`` sees, newest first, with their objectives and actions counted."""
    plans = list(policy.visible_plans(user)
                 .annotate(objectives_count=Count("objectives", distinct=True))
                 .order_by("-starts_on", "name", "pk"))
    counts: dict[int, dict[str, int]] = {}
    rows = (Action.objects.filter(plan__in=[p.pk for p in plans])
            .values_list("plan_id", "status").annotate(n=Count("pk")).order_by())
    for plan_id, status, n in rows:
        counts.setdefault(plan_id, {})[status] = n
    found = []
    for plan in plans:
        mine = counts.get(plan.pk, {})
        found.append(PlanRow(plan=plan, objectives=plan.objectives_count,
                             actions=sum(mine.values()),
                             by_status=[(s, str(S(s).label), mine[s]) for s in policy.BOARD
                                        if mine.get(s)]))
    return found


def board(user: Any, plan: Plan, f: ActionFilter | None = None) -> list[Column]:
    """The plan's actions that match ``f``, one column per status of the workflow (the
    cancelled ones only when there are some)."""
    f = replace(f or ActionFilter(), plan=plan.pk)
    actions = list(action_list(user, f))
    columns = [Column(status, str(S(status).label), [a for a in actions if a.status == status])
               for status in policy.BOARD]
    return [c for c in columns if c.status != S.CANCELLED or c.actions]


@dataclass(frozen=True)
class Printed:
    """An action's message in one language, for print or the intranet."""

    language: str
    name: str
    subject: str
    html: str
    text: str


def printable(action: Action) -> list[Printed]:
    """The message in each of its languages (each language with a text when none is chosen),
    as sanitised HTML and plain text, merge fields as typed, links as typed."""
    names = dict(settings.LANGUAGES)
    codes = [code for code in (action.languages or []) if code in names]
    if not codes:
        codes = [code for code in names if getattr(action, f"subject_{code}", "")
                 or getattr(action, f"body_{code}", "")]
    found = []
    for code in codes:
        html, text = emails.body_parts(getattr(action, f"body_{code}", "") or "")
        # body_parts sanitises the Markdown's HTML and escapes every text again.
        found.append(Printed(language=code, name=str(names[code]),
                             subject=getattr(action, f"subject_{code}", "") or action.title,
                             html=mark_safe(html), text=text))
    return found


# --- the calendar's page, the reader's preferences, quiet periods and portal news -------------

#: How many weeks ahead the calendar's forecast looks.
FORECAST_WEEKS = 8


def calendar_actions(user: Any, filters: calendar.Filters) -> QuerySet[Action]:
    """The actions ``user`` sees that the calendar's filters keep."""
    visible = Action.objects.filter(pk__in=policy.visible_actions(user).values("pk"))
    return filters.apply(visible).select_related("plan", "owner", "audience")


def quarter_of(day: dt.date) -> tuple[dt.date, dt.date]:
    """The first and last days of ``day``'s quarter."""
    first = dt.date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)
    after = (first + dt.timedelta(days=95)).replace(day=1)
    return first, after - dt.timedelta(days=1)


def reaching_between(actions: QuerySet[Action], first: dt.date, last: dt.date
                     ) -> QuerySet[Action]:
    """The actions (not cancelled) that reach people between ``first`` and ``last``: dated
    then, or sent then."""
    return (actions.exclude(status=S.CANCELLED)
            .filter(Q(send_at__isnull=True, starts_on__range=(first, last))
                    | Q(send_at__date__range=(first, last))))


@dataclass(frozen=True)
class ForecastRow:
    """One segment's forecast: a cell per week (``calendar.forecast``'s rows)."""

    label: str
    people: int | None
    hidden: bool
    cells: list[dict[str, Any]]
    #: The language the label (an audience's name) is written in.
    language: str = "fr"


@dataclass(frozen=True)
class Forecast:
    weeks: list[dt.date]
    rows: list[ForecastRow]
    cap: int


def calendar_forecast(actions: QuerySet[Action], today: dt.date,
                      weeks: int = FORECAST_WEEKS) -> Forecast:
    """The contact pressure expected per audience over the coming weeks, a row per segment and
    a column per week (every figure released by :func:`phare.comms.calendar.forecast`)."""
    monday = today - dt.timedelta(days=today.weekday())
    last = monday + dt.timedelta(weeks=weeks, days=-1)
    coming = reaching_between(actions, monday, last).filter(
        channel__in=sorted(calendar.SOLICITING))
    cells = calendar.forecast(coming, today, weeks)
    mondays = [monday + dt.timedelta(weeks=i) for i in range(weeks)]
    by_segment: dict[str, list[dict[str, Any]]] = {}
    for cell in cells:
        by_segment.setdefault(cell["segment"], []).append(cell)
    rows = [ForecastRow(found[0]["label"], found[0]["people"], found[0]["hidden"], found,
                        found[0]["language"]) for found in by_segment.values()]
    rows.sort(key=lambda row: (row.label == "", row.label.casefold()))
    return Forecast(mondays, rows, int(settings.PHARE_CONTACT_CAP))


@dataclass(frozen=True)
class Preference:
    """One category of messages and whether the reader receives it."""

    category: str
    label: str
    receives: bool
    #: Service notices cannot be unsubscribed from.
    optional: bool


def preferences(person: Person) -> list[Preference]:
    """The reader's categories of messages by priority: surveys (listening's opt-out), events,
    news and campaigns (contact's opt-outs), and service notices, always received."""
    out = set(ContactOptOut.objects.filter(person=person).values_list("category", flat=True))
    if SurveyOptOut.objects.filter(person=person).exists():
        out.add(Category.SURVEY)
    return [Preference(str(value), str(label), value == Category.NOTICE or value not in out,
                       value != Category.NOTICE)
            for value, label in Category.choices]


def quiet_period_list() -> QuerySet[QuietPeriod]:
    """Every quiet period, the latest first, with its units."""
    return QuietPeriod.objects.prefetch_related("units").order_by("-starts_on", "name")


@dataclass(frozen=True)
class NewsItem:
    """A portal news action in the reader's language (``language``: the one it is written in,
    the other when it was not written in the reader's)."""

    action: Action
    title: str
    body: str
    services: list[Service]
    language: str = "fr"


#: The statuses in which portal news is on the portal (approved, or published and after).
NEWS_STATUSES = (S.APPROVED, S.DONE, S.MEASURED)


def portal_news(*, language: str, today: dt.date, service: str = "") -> list[NewsItem]:
    """The portal news shown today (from their date to their expiry, included), the newest
    first: every one, or those naming the service ``service`` (a slug). Each in ``language``,
    or in the other language when it was not written in that one."""
    found = Action.objects.filter(channel=Action.Channel.PORTAL, status__in=NEWS_STATUSES,
                                  starts_on__lte=today, expires_on__gte=today)
    if service:
        found = found.filter(pk__in=Action.objects.filter(services__slug=service).values("pk"))
    other = "en" if language == "fr" else "fr"
    items = []
    for action in found.prefetch_related("services").order_by("-starts_on", "-pk"):
        written = language if (getattr(action, f"subject_{language}", "")
                               or getattr(action, f"body_{language}", "")) else other
        title = (getattr(action, f"subject_{language}", "")
                 or getattr(action, f"subject_{other}", ""))
        if not title:  # no subject yet: the plan's working title, in its own language
            title, written = action.title, action.language
        body = getattr(action, f"body_{language}", "") or getattr(action, f"body_{other}", "")
        items.append(NewsItem(action, title, body, list(action.services.all()), written))
    return items


def awaiting_executive(columns: list[Column]) -> set[int]:
    """The board's actions an executive must still approve (company-wide emails and
    invitations not approved by one)."""
    return {a.pk for column in columns for a in column.actions
            if policy.needs_executive(a) and column.status not in policy.SENT_STATUSES
            and getattr(a.approved_by, "role", None) not in policy.COMMS_APPROVERS}


# --- Teams and Slack channels, and an event's registrations (its organisers' page) ------------


def masked_address(url: str) -> str:
    """A webhook's address as pages and the API show it: its scheme, its host and its last
    four characters (the rest is the secret that lets anyone post to the channel)."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    rest = url.split(host, 1)[1] if host and host in url else url
    # A short path would be shown whole by its last four characters: then none of it.
    tail = rest[-4:] if len(rest) > 8 else ""
    return f"{parts.scheme}://{host}/…{tail}" if parts.scheme else f"…{tail}"


@dataclass(frozen=True)
class WebhookRow:
    """A Teams or Slack channel, its masked address and the actions that post to it."""

    webhook: Webhook
    address: str
    actions: list[Action]


def webhook_row(webhook: Webhook) -> WebhookRow:
    actions = getattr(webhook, "posting", None)
    if actions is None:
        actions = list(webhook.actions.order_by("starts_on", "pk"))
    return WebhookRow(webhook, masked_address(webhook.url), actions)


def webhook_list() -> list[WebhookRow]:
    """Every Teams or Slack channel by name, with the actions that post to it."""
    posting = Prefetch("actions", queryset=Action.objects.order_by("starts_on", "pk"),
                       to_attr="posting")
    return [webhook_row(w) for w in Webhook.objects.prefetch_related(posting)
            .order_by("name", "pk")]


@dataclass(frozen=True)
class Registrations:
    """An event's registrations for its organisers: every person registered (cancelled ones
    too), the seats taken and the event's capacity, how many came."""

    action: Action
    rows: list[Registration]
    seats_taken: int
    capacity: int | None
    attended: int
    attendance_open: bool


def registrations(action: Action) -> Registrations:
    """The registrations of the event ``action``, by name (personal data: only for those who
    may change the action, ``policy.can_edit_action``)."""
    rows = list(Registration.objects.filter(action=action)
                .select_related("person__business_unit")
                .order_by("person__last_name", "person__first_name", "pk"))
    active = [r for r in rows if r.cancelled_at is None]
    return Registrations(action=action, rows=rows, seats_taken=len(active),
                         capacity=action.capacity,
                         attended=sum(1 for r in active if r.attended),
                         attendance_open=tracking.attendance_open(action))


#: The columns of an event's registrations exported as CSV.
REGISTRATION_COLUMNS = ("employee_id", "last_name", "first_name", "unit", "registered_at",
                        "cancelled_at", "attended")


def registration_table(action: Action) -> tuple[tuple[str, ...], list[list[Any]]]:
    """The registrations of ``action`` as rows of :data:`REGISTRATION_COLUMNS` (times in the
    local time zone, attendance ``yes``/``no`` or empty when not known)."""
    def moment(value: dt.datetime | None) -> str:
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""

    table = []
    for r in registrations(action).rows:
        unit = r.person.business_unit
        table.append([r.person.employee_id, r.person.last_name, r.person.first_name,
                      unit.name if unit is not None else "", moment(r.at),
                      moment(r.cancelled_at),
                      "" if r.attended is None else ("yes" if r.attended else "no")])
    return REGISTRATION_COLUMNS, table
