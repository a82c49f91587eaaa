"""Reads for the study's outputs (personas, statements, benchmarks, tool groups, the promise on
the catalogue): what their pages, endpoints and services show.

Figures about people are never computed here: they come from :mod:`phare.positioning.results`
(released answers, the disclosure layer), read through the few functions below so that every
output page says the same as the results pages.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from phare.comms.models import Action
from phare.lib.i18n import in_language
from phare.positioning import results
from phare.positioning.models import Benchmark, Persona, Statement, Study, Tool
from phare.positioning.results.common import normalise

S = Statement.Status


# Segments and personas ----------------------------------------------------------------------


@dataclass(frozen=True)
class Segment:
    """One segment of the current segmentation as the persona pages need it: its number
    (from 1), its released size and share, its representative verbatims (empty under kᵥ) and
    results' own object for the rest (what sets it apart, preference, profile indexes)."""

    number: int
    size: int
    share: float
    verbatims: list[str]
    detail: Any


@dataclass(frozen=True)
class Segments:
    """The current segmentation: hidden (with its reason) or its segments."""

    n: int
    hidden: bool
    reason: str
    segments: list[Segment] = field(default_factory=list)
    detail: Any = None

    def get(self, number: int) -> Segment | None:
        return next((s for s in self.segments if s.number == number), None)


def segments(study: Study) -> Segments:
    """The study's current segmentation (:func:`results.segmentation`)."""
    found = results.segmentation(study)
    if found.hidden:
        return Segments(n=found.n, hidden=True, reason=found.reason, detail=found)
    return Segments(n=found.n, hidden=False, reason="", detail=found, segments=[
        Segment(number=s.number, size=s.size, share=s.share,
                verbatims=list(s.verbatims or []), detail=s) for s in found.segments])


@dataclass(frozen=True)
class PersonaText:
    """A persona's card in the current language (read when rendered, so that a printout in
    each language reads its own)."""

    persona: Persona

    @property
    def name(self) -> str:
        return self.persona.name

    @property
    def summary(self) -> str:
        return in_language(self.persona, "summary")

    @property
    def goals(self) -> str:
        return in_language(self.persona, "goals")

    @property
    def frustrations(self) -> str:
        return in_language(self.persona, "frustrations")

    @property
    def channel_labels(self) -> list[str]:
        return [str(Action.Channel(code).label) for code in self.persona.channels or []
                if code in Action.Channel.values]

    @property
    def quotes(self) -> list[str]:
        return list(self.persona.quotes or [])


@dataclass(frozen=True)
class Card:
    """A persona card: the segment and the lead's card (None while not named yet)."""

    segment: Segment
    persona: Persona | None

    @property
    def text(self) -> PersonaText | None:
        return PersonaText(self.persona) if self.persona is not None else None

    @property
    def title(self) -> str:
        if self.persona is not None:
            return self.persona.name
        return _("Segment %(number)d — not named yet") % {"number": self.segment.number}


@dataclass(frozen=True)
class PersonaPage:
    """The persona page: the cards, and whether the answers changed since they were written."""

    segments: Segments
    cards: list[Card]
    orphans: list[Persona]
    personas_n: int | None

    @property
    def changed(self) -> bool:
        return self.personas_n is not None and self.personas_n != self.segments.n


def persona_page(study: Study) -> PersonaPage:
    """One card per segment of the current segmentation; personas whose segment no longer
    exists (the segmentation changed) are listed apart."""
    found = segments(study)
    personas = {p.segment: p for p in study.personas.select_related("audience")}
    cards = [Card(segment=s, persona=personas.pop(s.number, None)) for s in found.segments]
    return PersonaPage(segments=found, cards=cards, orphans=list(personas.values()),
                       personas_n=study.personas_n)


def persona_for(study: Study, segment: int) -> Persona | None:
    return study.personas.select_related("audience").filter(segment=segment).first()


# Statements ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class StatementText:
    """A statement's parts in one language (the reader's, or the other when it is empty)."""

    audience: str
    need: str
    offer: str
    benefit: str
    unlike: str
    proof: str


def statement_text(statement: Statement, language: str | None = None) -> StatementText:
    return StatementText(**{part: in_language(statement, part, language)
                            for part in Statement.PARTS})


@dataclass(frozen=True)
class StatementPage:
    """The statement page: the published version, the draft, every version (newest first)."""

    published: Statement | None
    draft: Statement | None
    versions: list[Statement]

    @property
    def published_text(self) -> StatementText | None:
        return statement_text(self.published) if self.published else None

    @property
    def draft_text(self) -> StatementText | None:
        return statement_text(self.draft) if self.draft else None


def statement_page(study: Study) -> StatementPage:
    versions = list(study.statements.select_related("created_by").order_by("-version"))
    return StatementPage(
        published=next((v for v in versions if v.status == S.PUBLISHED), None),
        draft=next((v for v in versions if v.status == S.DRAFT), None), versions=versions)


def statement_initial(study: Study) -> Statement | None:
    """What the editor starts from: the draft, or else the published text (never edited:
    saving it makes a new draft)."""
    page = statement_page(study)
    return page.draft or page.published


def statement(study: Study, version: int) -> Statement:
    return study.statements.get(version=version)


def promise(family_code: str) -> Statement | None:
    """The published statement of the latest study whose domain is this catalogue family."""
    return (Statement.objects.filter(status=S.PUBLISHED, study__family__code=family_code)
            .select_related("study").order_by("-study__created_at", "-version").first())


@dataclass(frozen=True)
class Evidence:
    """Where the IT department wins and loses (from :func:`results.gaps`), for the statement."""

    hidden: bool
    reason: str
    wins: list[str]
    loses: list[str]
    even: list[str]


def evidence(study: Study) -> Evidence:
    found = results.gaps(study)
    if found.hidden:
        return Evidence(hidden=True, reason=found.reason, wins=[], loses=[], even=[])
    shown = [row for row in found.rows if not row.hidden]
    return Evidence(hidden=False, reason="",
                    wins=[r.label for r in shown if r.verdict == "wins"],
                    loses=[r.label for r in shown if r.verdict == "loses"],
                    even=[r.label for r in shown if r.verdict not in ("wins", "loses")])


# Benchmarks and tools -----------------------------------------------------------------------


def benchmarks(study: Study) -> QuerySet[Benchmark]:
    return study.benchmarks.order_by("label_fr", "pk")


def tools(study: Study) -> QuerySet[Tool]:
    return study.tools.select_related("service", "need", "action").order_by("name")


@dataclass(frozen=True)
class ToolEvidence:
    """What may be said about a tool's users (released by :func:`results.shadow_it`)."""

    study: str
    tool: str
    respondents: int
    people: int | None
    units: list[str]
    job_families: list[str]


def _group_of(found: Any, tool: Tool) -> Any:
    """The shadow-IT group of ``tool``: its own, or the one spelt as one of its spellings."""
    spellings = {normalise(tool.name), *(normalise(a) for a in tool.aliases or [])}
    for group in found.groups:
        if getattr(group, "tool_id", None) == tool.pk or normalise(group.name) in spellings:
            return group
    return None


def tool_evidence(tool: Tool) -> ToolEvidence:
    """How many people named the tool (only when at least k did) and the units and job
    families released for it."""
    found = results.shadow_it(tool.study)
    group = None if found.hidden else _group_of(found, tool)
    if group is None:
        return ToolEvidence(study=tool.study.title, tool=tool.name, respondents=found.n,
                            people=None, units=[], job_families=[])
    return ToolEvidence(
        study=tool.study.title, tool=tool.name, respondents=found.n, people=group.people,
        units=[c.label for c in group.by_unit if c.people is not None],
        job_families=[c.label for c in group.by_job_family if c.people is not None])
