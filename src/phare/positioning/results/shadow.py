"""Shadow IT: the tools people declare using that the IT department does not provide,
grouped (the study's :class:`~phare.positioning.models.Tool` rows match a name or one of its
spellings; other names are grouped by their normalised spelling), each matched to its
catalogue equivalent (a communication problem) or marked as an offer gap, and who uses them.

Privacy: every tool group is a group of people. A group named by fewer than *k* respondents is
never listed — not even its name: rarer names are pooled as "other tools named by fewer than k
people each", whose count is itself shown only from *k* people. The breakdown of a group's
users by top unit and by job family is a rate (users out of the unit's respondents), released
through :func:`phare.analysis.disclosure.rate_cells_hidden`: users and non-users of each cell
both follow the threshold and complementary suppression, people of no known unit being the
residual.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

import pandas as pd
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from phare.analysis import disclosure
from phare.positioning.answers import StudyData
from phare.positioning.results.common import Names, normalise, too_few_answers

STATUSES = {
    "equivalent": gettext_lazy("The catalogue has an equivalent"),
    "gap": gettext_lazy("No equivalent in the offer"),
    "unreviewed": gettext_lazy("Not reviewed yet"),
}


@dataclass(frozen=True)
class ToolInfo:
    """A study's Tool row, as the results need it."""

    id: int
    name: str
    aliases: Sequence[str] = ()
    service: str = ""
    gap: bool = False


@dataclass(frozen=True)
class Cell:
    """A cell of a breakdown: its users and their share of the cell's respondents (both None
    when hidden)."""

    code: str
    label: str
    people: int | None
    share: float | None


@dataclass(frozen=True)
class ToolGroup:
    key: str
    name: str
    people: int
    share: float
    tool_id: int | None = None
    service: str = ""
    status: str = "unreviewed"
    by_unit: list[Cell] = field(default_factory=list)
    by_job_family: list[Cell] = field(default_factory=list)

    @property
    def status_label(self) -> str:
        return str(STATUSES[self.status])

    @property
    def breakdowns(self) -> list[tuple[str, list[Cell]]]:
        return [(_("Business unit"), self.by_unit), (_("Job family"), self.by_job_family)]


@dataclass(frozen=True)
class ShadowResult:
    n: int
    hidden: bool = False
    reason: str = ""
    #: Respondents who named at least one tool (None when 1 to k−1).
    naming: int | None = None
    groups: list[ToolGroup] = field(default_factory=list)
    #: People who named one of the rarer tools (None when 1 to k−1, 0 when none).
    other_people: int | None = 0


def group_names(tools: pd.Series, known: Sequence[ToolInfo]
                ) -> tuple[dict[str, set[int]], dict[str, Counter[str]], dict[str, ToolInfo]]:
    """Who named each group (key → respondents), the raw spellings of each group, and the Tool
    row of each key that has one. A Tool's key is ``tool:<id>``; another name's key is its
    normalised spelling."""
    lookup: dict[str, ToolInfo] = {}
    for tool in known:
        for spelling in [tool.name, *tool.aliases]:
            lookup.setdefault(normalise(spelling), tool)
    people: dict[str, set[int]] = {}
    spellings: dict[str, Counter[str]] = {}
    infos: dict[str, ToolInfo] = {}
    for respondent, names in tools.items():
        for raw in names or []:
            text = " ".join(str(raw).split())
            norm = normalise(text)
            if not norm:
                continue
            found = lookup.get(norm)
            key = f"tool:{found.id}" if found else norm
            if found:
                infos[key] = found
            people.setdefault(key, set()).add(int(respondent))
            spellings.setdefault(key, Counter())[text] += 1
    return people, spellings, infos


def _breakdown(data: StudyData, users: set[int], dimension: str, names: Names) -> list[Cell]:
    codes = data.people[dimension].reindex(range(data.n)).fillna("").astype(str)
    audience = {code: int(n) for code, n in codes[codes != ""].value_counts().sort_index().items()}
    active = dict.fromkeys(audience, 0)
    residual_active = 0
    for respondent in users:
        code = codes.get(respondent, "")
        if code:
            active[code] += 1
        else:
            residual_active += 1
    hidden = disclosure.rate_cells_hidden(active, audience, data.k,
                                          residual_active=residual_active,
                                          residual_audience=int((codes == "").sum()))
    return [Cell(code=code, label=names.name(dimension, code),
                 people=None if code in hidden else active[code],
                 share=None if code in hidden else active[code] / audience[code])
            for code in audience]


def compute_shadow(data: StudyData, *, tools: Sequence[ToolInfo] = (),
                   names: Names | None = None) -> ShadowResult:
    """The declared tools of ``data`` grouped and released (see the module docstring)."""
    names = names or Names()
    if data.n < data.k:
        return ShadowResult(n=data.n, hidden=True, reason=too_few_answers(data.k))
    people, spellings, infos = group_names(data.tools, tools)
    naming = len(set().union(*people.values())) if people else 0
    shown_keys = [key for key, who in people.items() if len(who) >= data.k]
    rare = set().union(*(who for key, who in people.items() if len(who) < data.k)) \
        if people else set()
    groups = []
    for key in shown_keys:
        who = people[key]
        info = infos.get(key)
        common = sorted(spellings[key].items(), key=lambda item: (-item[1], item[0]))
        status = ("equivalent" if info and info.service else
                  "gap" if info and info.gap else "unreviewed")
        groups.append(ToolGroup(
            key=key, name=info.name if info else common[0][0], people=len(who),
            share=len(who) / data.n, tool_id=info.id if info else None,
            service=info.service if info else "", status=status,
            by_unit=_breakdown(data, who, "top_unit", names),
            by_job_family=_breakdown(data, who, "job_family", names)))
    groups.sort(key=lambda g: (-g.people, normalise(g.name)))
    return ShadowResult(
        n=data.n, naming=None if disclosure.small(naming, data.k) else naming, groups=groups,
        other_people=None if disclosure.small(len(rare), data.k) else len(rare))


def other_label(k: int) -> str:
    return _("Other tools named by fewer than %(k)d people each") % {"k": k}
