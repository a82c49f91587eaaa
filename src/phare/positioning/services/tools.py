"""Writes to a study's tool groups (declared shadow IT), and what they lead to: a proposed need
for an offer gap, a communication action for an equivalent people do not know.

Rules:
- A tool's spellings (its name and aliases) are compared normalised (case, accents, spaces:
  :func:`phare.positioning.results.common.normalise`), and belong to one tool of the study.
- A tool with a catalogue equivalent is not an offer gap; a need is proposed only for a tool
  without an equivalent, an action only for one with an equivalent — once each.
- The evidence written into the need or the action is the released one (``outputs.tool_evidence``,
  from :func:`phare.positioning.results.shadow_it`): how many people named the tool only when at
  least k did, and only the units and job families released for it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from phare.catalog.models import Service
from phare.comms.models import Action, Plan
from phare.comms.services import plans as comms_plans
from phare.needs.models import Need
from phare.needs.services.needs import need_submit
from phare.positioning import outputs
from phare.positioning.models import Study, Tool
from phare.positioning.results.common import normalise
from phare.positioning.services.statements import refuse_unless_manager

#: Codes of the refusals that concern the tool's state (the API's 409).
CONFLICTS = frozenset({"has_equivalent", "no_equivalent", "proposed"})


def _invalid(field: str, message: str, code: str) -> ValidationError:
    return ValidationError({field: ValidationError(message, code=code)})


def _spellings(name: str, aliases: Iterable[str]) -> tuple[list[str], dict[str, str]]:
    """The aliases kept (stripped, none twice, none the name again) and every normalised
    spelling of the tool → the spelling as typed."""
    seen = {normalise(name): name}
    kept = []
    for alias in aliases:
        alias = " ".join(str(alias).split())
        key = normalise(alias)
        if alias and key not in seen:
            seen[key] = alias
            kept.append(alias)
    return kept, seen


@transaction.atomic
def tool_save(*, user: Any, study: Study, tool: Tool | None = None, name: str,
              aliases: Iterable[str] = (), service: Service | None = None, gap: bool = False,
              suggested: bool | None = None) -> Tool:
    """Create (``tool`` None) or change a tool group of ``study``: its name, the other
    spellings grouped under it, its catalogue equivalent or whether it is an offer gap, and
    (``suggested`` not None) whether the questionnaire suggests it."""
    refuse_unless_manager(user)
    # The study's row serialises the tools' spellings: two saves cannot claim one spelling.
    Study.objects.select_for_update().get(pk=study.pk)
    if tool is None:
        tool = Tool(study=study)
    else:
        tool = Tool.objects.select_for_update().get(pk=tool.pk, study=study)
    name = " ".join(name.split())
    kept, spellings = _spellings(name, aliases)
    tool.name, tool.aliases, tool.service, tool.gap = name, kept, service, bool(gap)
    if suggested is not None:
        tool.suggested = suggested
    errors: dict[str, list[ValidationError]] = {}
    try:
        tool.full_clean()
    except ValidationError as exc:
        for field, items in exc.error_dict.items():
            errors.setdefault(field, []).extend(items)
    if service is not None and gap:
        errors.setdefault("gap", []).append(ValidationError(
            _("A tool with a catalogue equivalent is not an offer gap: clear one of them."),
            code="gap"))
    others = study.tools.exclude(pk=tool.pk) if tool.pk else study.tools.all()
    for other in others:
        _kept, theirs = _spellings(other.name, other.aliases or [])
        for key in spellings.keys() & theirs.keys():
            field = "name" if key == normalise(name) else "aliases"
            errors.setdefault(field, []).append(ValidationError(
                _("“%(spelling)s” is already a spelling of the tool “%(tool)s”: merge them "
                  "there.") % {"spelling": spellings[key], "tool": other.name},
                code="duplicate"))
    if errors:
        raise ValidationError(errors)
    tool.save()
    return tool


def _evidence_text(evidence: outputs.ToolEvidence) -> str:
    if evidence.people is None:
        said = _("Named by fewer people than the minimum group of the study (the count is "
                 "not given).")
    else:
        said = _("Named by %(n)d respondents of the positioning study.") % {
            "n": evidence.people}
    lines = [_("Positioning study “%(study)s”: tool “%(tool)s” declared as used without the "
               "IT department.") % {"study": evidence.study, "tool": evidence.tool}, said]
    if evidence.units:
        lines.append(_("Units where it is named: %(units)s.") % {
            "units": ", ".join(evidence.units)})
    if evidence.job_families:
        lines.append(_("Job families where it is named: %(families)s.") % {
            "families": ", ".join(evidence.job_families)})
    lines.append(_("Answers released as of %(n)d respondents; groups under the minimum size "
                   "are not named.") % {"n": evidence.respondents})
    return "\n\n".join(lines)


@transaction.atomic
def tool_need(*, user: Any, tool: Tool) -> Need:
    """Propose the tool as an offer gap in the needs module, submitted by the user's directory
    person for their business unit, with the released evidence in its description."""
    refuse_unless_manager(user)
    tool = Tool.objects.select_for_update(of=("self",)).select_related("study").get(pk=tool.pk)
    if tool.service_id is not None:
        raise _invalid("service", _("The catalogue offers an equivalent: propose an action "
                                    "to make it known instead."), "has_equivalent")
    if tool.need_id is not None:
        raise _invalid("need", _("A need was already proposed for this tool."), "proposed")
    person = getattr(user, "person", None)
    if person is None or person.business_unit_id is None:
        raise _invalid("user", _("Your account is linked to no person of the directory with a "
                                 "business unit: the need has no one to submit it."),
                       "no_person")
    evidence = outputs.tool_evidence(tool)
    need = need_submit(person=person, user=user, business_unit=person.business_unit,
                       title=_("Offer gap: %(tool)s") % {"tool": tool.name},
                       description=_evidence_text(evidence))
    tool.need, tool.gap = need, True
    tool.save(update_fields=["need", "gap"])
    return need


@transaction.atomic
def tool_action(*, user: Any, tool: Tool, plan: Plan, today: dt.date | None = None) -> Action:
    """Propose, in ``plan``, a message (status idea) making the tool's catalogue equivalent
    known to the people who use the tool, with the released evidence as its first comment."""
    refuse_unless_manager(user)
    tool = (Tool.objects.select_for_update(of=("self",)).select_related("study", "service")
            .get(pk=tool.pk))
    if tool.service is None:
        raise _invalid("service", _("The tool has no catalogue equivalent to make known."),
                       "no_equivalent")
    if tool.action_id is not None:
        raise _invalid("action", _("An action was already proposed for this tool."),
                       "proposed")
    today = today or timezone.localdate()
    starts_on = min(max(today, plan.starts_on), plan.ends_on)
    service = tool.service
    action = comms_plans.action_save(
        user=user, plan=plan, kind=Action.Kind.MESSAGE, starts_on=starts_on,
        services=[service], origin=f"positioning:tool:{tool.pk}",
        title=(_("Make %(service)s known to %(tool)s users") % {
            "service": service.name, "tool": tool.name})[:200])
    comms_plans.action_comment(action=action, user=user,
                               text=_evidence_text(outputs.tool_evidence(tool)))
    tool.action = action
    tool.save(update_fields=["action"])
    return action
