"""The communication pages' figures: where an objective's live figure stands on the way from
its baseline to its target (a bar drawn in CSS), its value in words, and an action's reach as
rows to print.

Everything comes released from :mod:`phare.comms.objectives` and :mod:`phare.comms.results`:
a hidden count is ``None`` and is said as "fewer than *k*", never guessed from the others.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from phare.comms.models import Delivery
from phare.contact import policy as contact_policy
from phare.lib.metrics import format_number

#: Why a person of the audience was skipped, besides the contact-pressure reasons.
SKIP_REASONS = {
    "no_email": gettext_lazy("No email address"),
    "suppressed": gettext_lazy("Address refused too often"),
    "other": gettext_lazy("Other reason"),
}
#: The statuses of the reached people's emails, as the results say them.
STATUS_LABELS = {
    "sent": gettext_lazy("Sent (accepted by the mail server)"),
    "refused": gettext_lazy("Refused by the mail server"),
    "failed": gettext_lazy("Failed"),
    "uncertain": gettext_lazy("Interrupted while sending (not sent again)"),
    "pending": gettext_lazy("Still to send"),
}
GROUP_LABELS = {
    Delivery.Group.REACHED: gettext_lazy("Reached"),
    Delivery.Group.CONTROL: gettext_lazy("Control group (held out at random)"),
    Delivery.Group.SKIPPED: gettext_lazy("Skipped"),
}


def number(value: float | None, unit: str = "") -> str:
    """A figure as people read it in the active language: ``42``, ``7.5 %``, ``+12 points``."""
    if value is None:
        return "—"
    shown = format_number(value, 1)
    if unit == "%":
        return f"{shown} %"
    if unit == "points":
        return _("%(value)s points") % {"value": shown}
    return str(shown)


@dataclass(frozen=True)
class Progress:
    """Where a figure stands between its baseline (0 %) and its target (100 %), and where it
    was expected to stand by now; ``start`` is the baseline, or the scale's bottom without
    one."""

    percent: float
    expected: float | None
    start: float
    label: str


def _position(value: float, start: float, target: float) -> float:
    if target == start:
        return 100.0 if value >= target else 0.0
    return round(min(max((value - start) / (target - start), 0.0), 1.0) * 100, 1)


def progress(live: Any) -> Progress | None:
    """The bar of an objective's live figure (``objectives.Live``); None without a figure or
    a target, or without a baseline for a figure that has no natural bottom."""
    if live.value is None or live.target is None:
        return None
    if live.baseline is not None:
        start = float(live.baseline)
    elif live.scale is not None:
        start = float(live.scale[0])
    elif live.unit == "%":
        start = 0.0
    else:
        return None
    target = float(live.target)
    percent = _position(float(live.value), start, target)
    expected = (None if live.expected is None
                else _position(float(live.expected), start, target))
    label = _("%(percent)s %% of the way from %(start)s to %(target)s") % {
        "percent": number(percent), "start": number(start, live.unit),
        "target": number(target, live.unit)}
    return Progress(percent=percent, expected=expected, start=start, label=label)


@dataclass(frozen=True)
class ReachRow:
    """One line of an action's reach: what, how many (None: fewer than *k* people), and
    whether it is a detail of the line above."""

    label: str
    value: int | None
    detail: bool = False
    code: str = ""


def _skip_label(code: str) -> str:
    if code in SKIP_REASONS:
        return str(SKIP_REASONS[code])
    try:
        return contact_policy.reason_label(code)
    except ValueError:
        return code


def reach_rows(reach: dict[str, Any]) -> list[ReachRow]:
    """The reach of :func:`phare.comms.results.reach` as the page's table: the audience, each
    group, the reached people's emails by status, the skipped by reason, clicks, opens and
    registrations; zero lines are left out (the total says them)."""
    rows = [ReachRow(_("Audience drawn at sending"), reach.get("audience"), code="audience")]
    groups = reach.get("groups", {})
    for group, label in GROUP_LABELS.items():
        value = groups.get(group)
        if value == 0:
            continue
        rows.append(ReachRow(str(label), value, code=f"group-{group}"))
        if group == Delivery.Group.REACHED:
            for status, status_label in STATUS_LABELS.items():
                n = reach.get("statuses", {}).get(status)
                if n != 0:
                    rows.append(ReachRow(str(status_label), n, detail=True,
                                         code=f"status-{status}"))
        elif group == Delivery.Group.SKIPPED:
            for reason, n in reach.get("skipped", {}).items():
                if n != 0:
                    rows.append(ReachRow(_skip_label(reason), n, detail=True,
                                         code=f"skipped-{reason}"))
    clicks = reach.get("clicks") or {}
    if clicks.get("individual"):
        rows.append(ReachRow(_("People who clicked a link (unique)"), clicks.get("people"),
                             code="clicks"))
    elif clicks:
        rows.append(ReachRow(_("Clicks on the links (counted in total only)"),
                             clicks.get("total"), code="clicks"))
    opens = reach.get("opens")
    if opens:
        rows.append(ReachRow(_("People who opened it (unreliable: mail programs load "
                               "images for privacy)"), opens.get("people"), code="opens"))
    registrations = reach.get("registrations")
    if registrations:
        rows.append(ReachRow(_("Registrations"), registrations.get("registered"),
                             code="registrations"))
        rows.append(ReachRow(_("Attended"), registrations.get("attended"), detail=True,
                             code="attended"))
    return rows


@dataclass(frozen=True)
class ObjectiveCard:
    """An objective of the plan's page: its live figure and its bar."""

    objective: Any
    live: Any
    bar: Progress | None
    value: str


def objective_cards(rows: list[Any]) -> list[ObjectiveCard]:
    """The plan's objectives (``queries.objective_rows``) with their bars and values in
    words."""
    return [ObjectiveCard(row.objective, row.live, progress(row.live),
                          number(row.live.value, row.live.unit)) for row in rows]
