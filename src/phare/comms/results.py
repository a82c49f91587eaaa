"""What an action did: its reach (sent, delivered, skipped and why, clicks, registrations) and
its measured effect on its objective's figure.

Every count about people goes through the disclosure rules (``docs/PRIVACY.md``): a group of 1
to *k*−1 people is never counted (``None``: the page says "fewer than *k*"), and a breakdown's
hidden cells hold 0 or at least *k* people together
(:func:`phare.analysis.disclosure.suppress`), so that a total minus the shown cells never
gives a small group. A share (people who clicked out of those sent to) shows two groups, the
people who did and those who did not: both must hold 0 or at least *k* people.

The effect (:func:`outcome`) compares the people reached with the people not reached, for
figures Phare knows person by person — a service's adoption (activity in the usage store) and
a wave's response rate (who answered, never what) — either against the random control group
held out at sending (:func:`phare.analysis.lift.holdout`, after the action) or, without one,
as a difference-in-differences over the 30 days before and the 30 days after the sending
(:func:`phare.analysis.lift.did`). Both groups, and in each window the people with and without
the outcome, must hold 0 or at least *k* people, else the figure is suppressed with its reason.
Figures from anonymous answers (NPS, satisfaction) and ticket ratings cannot be split by who
was reached: they are "not measurable" here, and the sentence says why.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from django.conf import settings
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from phare.analysis import disclosure, lift
from phare.catalog.access import audience_people, unit_descendants, unit_parents
from phare.catalog.models import Service
from phare.comms.models import Action, Click, Delivery, Link, Objective, Open, Registration
from phare.listening.models import Invitation, Wave
from phare.usage import outcomes as usage_outcomes
from phare.usage.queries import min_group

#: Days before and after the sending compared by the difference-in-differences (the after
#: window is also the holdout's).
WINDOW_DAYS = 30
GROUPS = (Delivery.Group.REACHED, Delivery.Group.CONTROL, Delivery.Group.SKIPPED)
#: Statuses of the reached people's emails, as reported (queued and sending: ``pending``).
STATUSES = ("sent", "refused", "failed", "uncertain", "pending")
_PENDING = {Delivery.Status.QUEUED, Delivery.Status.SENDING}
#: Deliveries whose email may or may not have gone: the person is in neither group compared.
_UNSURE = {Delivery.Status.QUEUED, Delivery.Status.SENDING, Delivery.Status.UNCERTAIN}


# -- reach -----------------------------------------------------------------------------------

def _released(counts: Mapping[str, int], k: int, *, shown: bool = True) -> dict[str, int | None]:
    """A breakdown's counts, the hidden ones ``None`` (all of them when its total is hidden)."""
    if not shown:
        return dict.fromkeys(counts)
    hidden = disclosure.suppress(counts, k)
    return {key: None if key in hidden else n for key, n in counts.items()}


def _share(part: int, whole: int | None, k: int) -> int | None:
    """``part`` of a shown ``whole``, when the part and the rest each hold 0 or ≥ k people."""
    if whole is None or disclosure.small(part, k) or disclosure.small(whole - part, k):
        return None
    return part


def reach(action: Action) -> dict[str, Any]:
    """Who the action reached, released through the disclosure rules (``None``: hidden).

    ``audience`` (everyone with a delivery), ``groups`` (reached, control, skipped),
    ``statuses`` of the reached people's emails (``delivered`` is ``sent``: an accepted email
    is all a mail server tells), ``skipped`` by reason code (``contact.policy.reason_label``
    names them), ``clicks`` (people who clicked when ``PHARE_COMMS_INDIVIDUAL_TRACKING`` is
    on, else the links' total clicks), ``opens`` (only with ``PHARE_COMMS_OPEN_PIXEL``, flagged
    unreliable), ``registrations`` for events; ``min_group`` is *k*.
    """
    k = min_group()
    groups: Counter[str] = Counter()
    statuses: Counter[str] = Counter()
    reasons: Counter[str] = Counter()
    rows = (Delivery.objects.filter(action=action).values_list("group", "status", "reason")
            .annotate(n=Count("pk")).order_by())
    for group, status, reason, n in rows:
        groups[group] += n
        if group == Delivery.Group.REACHED:
            statuses["pending" if status in _PENDING else status] += n
        elif group == Delivery.Group.SKIPPED:
            reasons[reason or "other"] += n
    audience = sum(groups.values())
    audience_shown = not disclosure.small(audience, k)
    group_counts = _released({str(g): groups[g] for g in GROUPS}, k, shown=audience_shown)
    reached = group_counts[Delivery.Group.REACHED]
    status_counts = _released({s: statuses[s] for s in STATUSES}, k, shown=reached is not None)
    status_counts["delivered"] = status_counts["sent"]
    skipped = group_counts[Delivery.Group.SKIPPED]
    reason_counts = _released(dict(sorted(reasons.items())), k, shown=skipped is not None)
    sent = status_counts["sent"]
    return {
        "min_group": k,
        "audience": audience if audience_shown else None,
        "groups": group_counts,
        "statuses": status_counts,
        "skipped": reason_counts,
        "clicks": _clicks(action, sent, k),
        "opens": _opens(action, sent, k),
        "registrations": _registrations(action, k),
    }


def _clicks(action: Action, sent: int | None, k: int) -> dict[str, Any]:
    links = list(Link.objects.filter(action=action).order_by("pk"))
    if settings.PHARE_COMMS_INDIVIDUAL_TRACKING:
        people = (Click.objects.filter(link__action=action).values("delivery")
                  .distinct().count())
        by_link = dict(Click.objects.filter(link__action=action).values_list("link")
                       .annotate(n=Count("delivery", distinct=True)).order_by())
        return {"individual": True, "people": _share(people, sent, k), "total": None,
                "links": [{"url": link.url, "people": _share(by_link.get(link.pk, 0), sent, k)}
                          for link in links]}
    # Counted in aggregate only: clicks, not people; a small count still says little enough
    # to be shown only from k.
    total = sum(link.clicks for link in links)
    return {"individual": False, "people": None,
            "total": None if disclosure.small(total, k) else total,
            "links": [{"url": link.url,
                       "clicks": None if disclosure.small(link.clicks, k) else link.clicks}
                      for link in links]}


def _opens(action: Action, sent: int | None, k: int) -> dict[str, Any] | None:
    if not settings.PHARE_COMMS_OPEN_PIXEL:
        return None
    opened = Open.objects.filter(delivery__action=action,
                                 delivery__status=Delivery.Status.SENT).count()
    return {"people": _share(opened, sent, k), "unreliable": True}


def _registrations(action: Action, k: int) -> dict[str, Any] | None:
    if action.kind != Action.Kind.EVENT and action.channel != Action.Channel.EVENT:
        return None
    counts = Registration.objects.filter(action=action, cancelled_at__isnull=True).aggregate(
        registered=Count("pk"), attended=Count("pk", filter=Q(attended=True)))
    registered = int(counts["registered"])
    shown = None if disclosure.small(registered, k) else registered
    return {"registered": shown, "attended": _share(int(counts["attended"]), shown, k),
            "capacity": action.capacity}


# -- outcome ----------------------------------------------------------------------------------

@dataclass(frozen=True, kw_only=True)
class Outcome:
    """The measured effect of an action on its objective's figure, in percentage points.

    ``status``: ``measured``, ``suppressed`` (a group too small: ``reason`` says which),
    ``too_early`` (the after-window has not ended), ``not_measurable`` (the figure cannot be
    split by who was reached) or ``no_data``. ``mode``: ``holdout`` or ``did``. The figures
    (``estimate`` [``low``; ``high``], each group's share before and after, in percent, and
    the groups' sizes) are set only when ``measured``. ``sentence`` says it all in the active
    language.
    """

    status: str
    metric: str
    mode: str | None
    sentence: str
    reason: str = ""
    estimate: float | None = None
    low: float | None = None
    high: float | None = None
    confidence: float | None = None
    reached_before: float | None = None
    reached_after: float | None = None
    others_before: float | None = None
    others_after: float | None = None
    n_reached: int | None = None
    n_others: int | None = None
    starts_on: dt.date | None = None
    sent_on: dt.date | None = None
    ends_on: dt.date | None = None


def _not_measurable(metric: str, sentence: str) -> Outcome:
    return Outcome(status="not_measurable", metric=metric, mode=None, sentence=sentence)


def _service_audience(service: Service, units: Sequence[str]) -> set[int]:
    """Active people of the service's catalogue audience (adoption's denominator), in the
    objective's units when it names some (a unit covers its sub-units)."""
    parents = unit_parents()
    people = audience_people(service, parents)
    if units:
        people = people.filter(business_unit__code__in=unit_descendants(units, parents))
    return set(people.values_list("pk", flat=True))


@dataclass(frozen=True)
class _Groups:
    reached: list[int]
    others: list[int]
    mode: str


def _groups(action: Action, scope: set[int]) -> _Groups:
    """The people reached and those compared with them, within ``scope``."""
    deliveries = list(Delivery.objects.filter(action=action)
                      .values_list("person_id", "group", "status"))
    reached = sorted(pk for pk, group, status in deliveries
                     if group == Delivery.Group.REACHED and status == Delivery.Status.SENT
                     and pk in scope)
    control = sorted(pk for pk, group, _status in deliveries
                     if group == Delivery.Group.CONTROL and pk in scope)
    if action.holdout_percent > 0 and any(group == Delivery.Group.CONTROL
                                          for _pk, group, _status in deliveries):
        return _Groups(reached, control, "holdout")
    unsure = {pk for pk, group, status in deliveries
              if group == Delivery.Group.REACHED and status in _UNSURE}
    others = sorted(scope - set(reached) - unsure)
    return _Groups(reached, others, "did")


def _flags(people: Sequence[int], positive: set[int]) -> list[int]:
    return [1 if pk in positive else 0 for pk in people]


def _hidden_reason(groups: _Groups, before: set[int] | None, after: set[int], k: int,
                   metric: str) -> str | None:
    """Why the comparison may not be shown (None: it may)."""
    names = {"reached": groups.reached, "others": groups.others}
    for name, people in names.items():
        if disclosure.small(len(people), k):
            if name == "reached":
                return _("Not shown: fewer than %(k)d people reached count in this figure.") % {
                    "k": k}
            if groups.mode == "holdout":
                return _("Not shown: fewer than %(k)d people in the control group count in "
                         "this figure.") % {"k": k}
            return _("Not shown: fewer than %(k)d people not reached count in this figure.") % {
                "k": k}
    for people in names.values():
        for positive in (before, after):
            if positive is None:
                continue
            yes = sum(1 for pk in people if pk in positive)
            if disclosure.small(yes, k) or disclosure.small(len(people) - yes, k):
                if metric == Objective.Metric.RESPONSE_RATE:
                    return _("Not shown: in a group compared, fewer than %(k)d people answered "
                             "or did not, which would say who they are.") % {"k": k}
                return _("Not shown: in a group compared, fewer than %(k)d people used the "
                         "service or did not, which would say who they are.") % {"k": k}
    return None


def _points(value: float) -> str:
    return str(round(value))


def _sentence(metric: str, mode: str, result: lift.Lift) -> str:
    n = round(100 * result.estimate)
    size = abs(n)
    values = {"n": size, "low": _points(100 * result.low), "high": _points(100 * result.high)}
    adoption = metric == Objective.Metric.ADOPTION
    if mode == "did":
        if n > 0:
            text = (ngettext("The adoption of people reached grew %(n)d point more than that "
                             "of people not reached [%(low)s; %(high)s].",
                             "The adoption of people reached grew %(n)d points more than that "
                             "of people not reached [%(low)s; %(high)s].", size) if adoption
                    else ngettext("The response rate of people reached grew %(n)d point more "
                                  "than that of people not reached [%(low)s; %(high)s].",
                                  "The response rate of people reached grew %(n)d points more "
                                  "than that of people not reached [%(low)s; %(high)s].", size))
        elif n < 0:
            text = (ngettext("The adoption of people reached grew %(n)d point less than that "
                             "of people not reached [%(low)s; %(high)s].",
                             "The adoption of people reached grew %(n)d points less than that "
                             "of people not reached [%(low)s; %(high)s].", size) if adoption
                    else ngettext("The response rate of people reached grew %(n)d point less "
                                  "than that of people not reached [%(low)s; %(high)s].",
                                  "The response rate of people reached grew %(n)d points less "
                                  "than that of people not reached [%(low)s; %(high)s].", size))
        else:
            text = (_("The adoption of people reached changed as much as that of people not "
                      "reached [%(low)s; %(high)s].") if adoption
                    else _("The response rate of people reached changed as much as that of "
                           "people not reached [%(low)s; %(high)s]."))
    elif n > 0:
        text = (ngettext("The adoption of people reached is %(n)d point higher than that of the "
                         "control group [%(low)s; %(high)s].",
                         "The adoption of people reached is %(n)d points higher than that of "
                         "the control group [%(low)s; %(high)s].", size) if adoption
                else ngettext("The response rate of people reached is %(n)d point higher than "
                              "that of the control group [%(low)s; %(high)s].",
                              "The response rate of people reached is %(n)d points higher than "
                              "that of the control group [%(low)s; %(high)s].", size))
    elif n < 0:
        text = (ngettext("The adoption of people reached is %(n)d point lower than that of the "
                         "control group [%(low)s; %(high)s].",
                         "The adoption of people reached is %(n)d points lower than that of "
                         "the control group [%(low)s; %(high)s].", size) if adoption
                else ngettext("The response rate of people reached is %(n)d point lower than "
                              "that of the control group [%(low)s; %(high)s].",
                              "The response rate of people reached is %(n)d points lower than "
                              "that of the control group [%(low)s; %(high)s].", size))
    else:
        text = (_("The adoption of people reached is the same as that of the control group "
                  "[%(low)s; %(high)s].") if adoption
                else _("The response rate of people reached is the same as that of the control "
                       "group [%(low)s; %(high)s]."))
    sentence = text % values
    if result.low <= 0 <= result.high:
        sentence += " " + _("The interval includes no difference at all: it may be chance.")
    return sentence


def _measure(action: Action, metric: str, scope: set[int], k: int,
             positives: Callable[[dt.date, dt.date, Sequence[int]], set[int]],
             windows: tuple[dt.date, dt.date, dt.date]) -> Outcome:
    """The comparison once the scope, *k* and the outcome of each window are known:
    ``positives(start, end, people)`` gives who has the outcome in [start, end)."""
    start, sent_on, end = windows
    groups = _groups(action, scope)
    base = Outcome(status="no_data", metric=metric, mode=groups.mode, sentence="",
                   starts_on=start, sent_on=sent_on, ends_on=end)
    if not groups.reached:
        return replace(base, sentence=_("Nobody reached counts in this figure."))
    if not groups.others:
        return replace(base, sentence=_("Nobody is left to compare with the people reached."))
    people = sorted(set(groups.reached) | set(groups.others))
    after = positives(sent_on, end, people)
    before = positives(start, sent_on, people) if groups.mode == "did" else None
    reason = _hidden_reason(groups, before, after, k, metric)
    if reason is not None:
        return replace(base, status="suppressed", sentence=reason, reason="small_group")
    reached_before = others_before = None
    if before is None:
        result = lift.holdout(_flags(groups.reached, after), _flags(groups.others, after))
    else:
        result = lift.did(_flags(groups.reached, before), _flags(groups.reached, after),
                          _flags(groups.others, before), _flags(groups.others, after))
        reached_before = 100 * sum(_flags(groups.reached, before)) / len(groups.reached)
        others_before = 100 * sum(_flags(groups.others, before)) / len(groups.others)
    reached_after = 100 * sum(_flags(groups.reached, after)) / len(groups.reached)
    others_after = 100 * sum(_flags(groups.others, after)) / len(groups.others)
    return replace(
        base, status="measured", sentence=_sentence(metric, groups.mode, result),
        estimate=100 * result.estimate, low=100 * result.low, high=100 * result.high,
        confidence=result.confidence, reached_before=reached_before,
        reached_after=reached_after, others_before=others_before,
        others_after=others_after, n_reached=result.n_treated,
        n_others=result.n_control)


def outcome(action: Action, *, today: dt.date | None = None) -> Outcome | None:
    """The effect of a sent action on its objective's figure (see the module docstring);
    ``None`` when the action has no objective or was not sent."""
    objective = action.objective
    if objective is None or action.sent_at is None:
        return None
    metric = objective.metric
    params = objective.params if isinstance(objective.params, dict) else {}
    if metric == Objective.Metric.NONE:
        return _not_measurable(metric, _("This objective is not tied to a figure Phare "
                                         "measures."))
    if metric in (Objective.Metric.NPS, Objective.Metric.SATISFACTION):
        return _not_measurable(metric, _(
            "This figure comes from the barometer's answers, which are anonymous or "
            "confidential: it cannot be split between the people reached and the others."))
    if metric == Objective.Metric.TICKET_HAPPINESS:
        return _not_measurable(metric, _(
            "Ticket ratings are confidential: they cannot be split between the people reached "
            "and the others."))
    if metric not in (Objective.Metric.ADOPTION, Objective.Metric.RESPONSE_RATE):
        return _not_measurable(metric, _("This figure is not about the people an action "
                                         "reaches: its effect cannot be measured here."))
    sent_on = timezone.localdate(action.sent_at)
    windows = (sent_on - dt.timedelta(days=WINDOW_DAYS), sent_on,
               sent_on + dt.timedelta(days=WINDOW_DAYS))
    today = today or timezone.localdate()
    if metric == Objective.Metric.ADOPTION:
        return _adoption(action, params, windows, today)
    return _response_rate(action, params, windows, today)


def _too_early(metric: str, windows: tuple[dt.date, dt.date, dt.date]) -> Outcome:
    return Outcome(status="too_early", metric=metric, mode=None,
                   sentence=_("Too early: the effect is measured over the %(days)d days after "
                              "the sending, from %(date)s.")
                   % {"days": WINDOW_DAYS, "date": windows[2].isoformat()},
                   starts_on=windows[0], sent_on=windows[1], ends_on=windows[2])


def _adoption(action: Action, params: Mapping[str, Any],
              windows: tuple[dt.date, dt.date, dt.date], today: dt.date) -> Outcome:
    metric = str(Objective.Metric.ADOPTION)
    service = Service.objects.filter(slug=str(params.get("service") or "")).first()
    if service is None:
        return _not_measurable(metric, _("The objective names no service of the catalogue."))
    if today < windows[2]:
        return _too_early(metric, windows)
    units = [str(code) for code in params.get("units") or []]
    scope = _service_audience(service, units)

    def active(start: dt.date, end: dt.date, people: Sequence[int]) -> set[int]:
        return usage_outcomes.active_people(service.pk, start=start, end=end, among=people)

    try:
        return _measure(action, metric, scope, min_group(), active, windows)
    except usage_outcomes.UsageNotKept as error:
        return _not_measurable(metric, str(error))


def _response_rate(action: Action, params: Mapping[str, Any],
                   windows: tuple[dt.date, dt.date, dt.date], today: dt.date) -> Outcome:
    metric = str(Objective.Metric.RESPONSE_RATE)
    try:
        wave_id = int(params.get("wave") or 0)
    except (TypeError, ValueError):
        wave_id = 0
    wave = Wave.objects.select_related("survey").filter(pk=wave_id).first()
    if wave is None:
        return _not_measurable(metric, _("The objective names no wave of a survey."))
    invited = dict(Invitation.objects.filter(wave=wave, person__isnull=False)
                   .values_list("person_id", "responded_on"))
    if not invited:
        return _not_measurable(metric, _(
            "This wave's invitations are not sent to named people: who answered cannot be "
            "split between the people reached and the others."))
    if today < windows[2] and wave.status != Wave.Status.CLOSED:
        return _too_early(metric, windows)

    def answered(start: dt.date, end: dt.date, people: Sequence[int]) -> set[int]:
        # Who had answered by the window's end (the share of the invited who answered).
        return {pk for pk in people if (day := invited.get(pk)) is not None and day < end}

    k = max(min_group(), int(wave.survey.min_group_size))
    return _measure(action, metric, set(invited), k, answered, windows)
