"""Demo step for the positioning study: "The IT department and its alternatives", the
department as a whole against four alternatives on ten attributes, about 1,200 respondents
in one closed wave, four personas, a published statement and a newer draft, two sourced
benchmarks, declared shadow IT matched to the catalogue (a need proposed from a gap, an action
proposed for an equivalent people do not know).

The design, the questionnaire, the fieldwork's wave, the personas, the statements, the
benchmarks, the tools, the need and the action go through the app's services as the marketing
lead's clicks would. The answers are written as listening's own demo writes its waves
(:func:`phare.listening.demo.waves.collect`: invitations and responses in bulk, in the stored
shape of :mod:`phare.listening.questions`) to the people listening's real sampling draws
(:func:`phare.listening.queries.sample_people`, stratified by business unit); the wave is then
closed in the past, as if it had been launched and had run its three weeks, without sending
two thousand emails. How people answer is :mod:`phare.positioning.demo_data`; what the lead writes,
:mod:`phare.positioning.demo_data.writing`.

The personas are written from what the segmentation finds (the segments are never told the
latent attitudes): each segment gets the card of the attitude its centre resembles most, and
its quotes are picked among its released verbatims.
"""

from __future__ import annotations

import datetime as dt
import itertools
import time
from collections.abc import Mapping, Sequence
from decimal import Decimal
from random import Random
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils import timezone

from phare.catalog.models import OfferFamily, Service
from phare.directory.models import BusinessUnit
from phare.lib.demo import DemoContext
from phare.listening import queries as listening_queries
from phare.listening import services as listening
from phare.listening.demo.people import Contacts, Respondent
from phare.listening.demo.waves import collect
from phare.listening.models import Survey, Wave
from phare.positioning import demo_data as D
from phare.positioning import outputs, questionnaire
from phare.positioning.demo_data import writing as W
from phare.positioning.models import Statement, Study
from phare.positioning.services import benchmarks, personas, statements, studies, tools

#: Persona audiences: the share tried first, then lower ones if no job family qualifies.
AUDIENCE_THRESHOLDS = (40, 30, 25)
QUOTES = 3


def build(ctx: DemoContext) -> None:
    started = time.monotonic()
    lead = get_user_model().objects.filter(username="marketing").first()
    people: list[Respondent] = ctx.shared.get("respondents") or []
    if lead is None or not people:
        ctx.say("positioning: no marketing lead or no respondents, no positioning study made")
        return
    summary = _build(ctx, lead, people)
    ctx.say(f"positioning: {summary}, in {time.monotonic() - started:.1f} s")


def _build(ctx: DemoContext, lead: Any, people: list[Respondent]) -> str:
    rng = Random(ctx.seed * 7919 + 14)  # its own stream: other steps' draws stay the same
    services = ctx.shared.get("services") or {}
    study = design(lead, services=services, slug=D.STUDY_SLUG, title=D.STUDY_TITLE)
    wave = fieldwork(rng, ctx, study, lead, people, respondents=D.RESPONDENTS)
    made = Study.objects.get(pk=study.pk)
    named = write_personas(made, lead)
    need, action = shadow_it(made, lead, ctx.shared.get("comms", {}).get("plan"))
    published_on = wave.closes_on + dt.timedelta(days=16)
    write_statements(made, lead, published_on=published_on)
    write_benchmarks(made, lead)
    shared = {"study": made, "wave": wave, "personas": named}
    family = ctx.shared.get("families", {}).get(D.FAMILY)
    if family is not None:
        # The collaboration family's own, smaller study: its statement is the family's promise.
        other = design(lead, services=services, slug=D.FAMILY_STUDY_SLUG,
                       title=D.FAMILY_STUDY_TITLE, family=family)
        fieldwork(rng, ctx, other, lead, people, respondents=D.FAMILY_RESPONDENTS)
        write_statements(Study.objects.get(pk=other.pk), lead, published_on=published_on,
                         texts=(W.FAMILY_STATEMENT,))
        shared["family_study"] = other
    ctx.shared["positioning"] = shared
    answered = made.survey.responses.count() if made.survey else 0
    return (f"{made.slug}: {answered:,} responses, {len(named)} personas, "
            f"{'a need' if need else 'no need'} and {'an action' if action else 'no action'} "
            f"proposed; {'a study of ' + family.code if family else 'no family study'}")


# --- the design --------------------------------------------------------------------------------


def design(lead: Any, *, services: Mapping[str, Service], slug: str, title: W.Text,
           family: OfferFamily | None = None) -> Study:
    """The study, its alternatives and attributes, its tools and profile questions (the
    population and questionnaire are :func:`fieldwork`'s, which sizes the sample)."""
    study = studies.study_create(user=lead, slug=slug, title_fr=title[0], title_en=title[1],
                                 family=family)
    for alternative in D.ALTERNATIVES:
        studies.alternative_save(study=study, code=alternative.code, kind=alternative.kind,
                                 label_fr=alternative.label[0], label_en=alternative.label[1])
    for attribute in D.ATTRIBUTES:
        studies.attribute_save(study=study, code=attribute.code, label_fr=attribute.label[0],
                               label_en=attribute.label[1])
    studies.tool_suggest_save(study=study, names=[t.name for t in D.TOOLS if t.suggested])
    rows = {tool.name: tool for tool in study.tools.all()}
    for spec in D.TOOLS:
        service = services.get(spec.service) if spec.service else None
        tools.tool_save(user=lead, study=study, tool=rows.get(spec.name), name=spec.name,
                        aliases=spec.aliases, service=service, gap=service is None,
                        suggested=spec.suggested)
    studies.profile_questions_set(study=study, codes=list(questionnaire.PROFILE_QUESTIONS))
    return study


# --- the fieldwork -----------------------------------------------------------------------------


def wave_dates(today: dt.date) -> tuple[dt.date, dt.date]:
    """A three-week wave that opened on a Monday about ten weeks ago: closed and released."""
    opens_on = today - dt.timedelta(weeks=D.WAVE_WEEKS_AGO)
    opens_on -= dt.timedelta(days=opens_on.weekday())
    return opens_on, opens_on + dt.timedelta(days=D.WAVE_DAYS)


def sample_size(eligible: int, respondents: int = D.RESPONDENTS) -> int:
    """Invite enough people for about ``respondents`` answers (fewer in a small
    organisation: at most about 45 % of it answers)."""
    wanted = min(respondents, round(eligible * 0.45))
    return max(1, min(eligible, round(wanted / D.RESPONSE_RATE)))


def top_units() -> dict[str, str]:
    """Each business unit's code → the code of its top-level ancestor."""
    units = {u.pk: u for u in BusinessUnit.objects.only("pk", "code", "parent_id")}

    def top(unit: BusinessUnit) -> str:
        while unit.parent_id is not None and unit.parent_id in units:
            unit = units[unit.parent_id]
        return unit.code

    return {unit.code: top(unit) for unit in units.values()}


def fieldwork(rng: Random, ctx: DemoContext, study: Study, lead: Any,
              people: Sequence[Respondent], *, respondents: int) -> Wave:
    """Plan the wave through the study's services, invite a stratified sample drawn by
    listening's own sampling, write the answers, close the wave and the study."""
    eligible = [p for p in people if not p.opted_out and p.email]
    population = {"sample": sample_size(len(eligible), respondents),
                  "stratify_by": "business_unit", "seed": ctx.seed + study.pk}
    study = studies.population_set(study=study, population=population)
    survey = studies.questionnaire_generate(study=study, user=lead)
    opens_on, closes_on = wave_dates(timezone.localdate())
    wave = studies.fieldwork_start(study=study, user=lead, name=D.WAVE_NAME, name_en=D.WAVE_NAME_EN,
                                   opens_on=opens_on, closes_on=closes_on, reminder_days=[7, 14])
    listening.survey_set_status(survey, Survey.Status.OPEN)
    audience = wave.audience
    chosen = listening_queries.sample_people(
        listening_queries.audience_people(audience), audience["sample"],
        stratify_by=audience["stratify_by"], seed=audience["seed"],
        exclude=[p.pk for p in people if p.opted_out])
    by_pk = {p.pk: p for p in eligible}
    invited = [by_pk[pk] for pk in chosen if pk in by_pk]
    tool_codes = {tool.name: f"t{tool.pk}" for tool in study.tools.filter(suggested=True)}
    profile_options = {code: [c for c, _label in questionnaire.PROFILE_QUESTIONS[code]["options"]]
                       for code in study.profile_questions}
    tops = top_units()
    scale = (study.scale_min, study.scale_max)

    def answers(person: Respondent) -> dict[str, Any]:
        unit = person.segment["unit_code"]
        who = D.Who(language=person.language, top_unit=tops.get(unit, unit),
                    site=person.segment["site_code"], job_family=person.segment["job_family_code"])
        return D.answer(rng, who, tool_codes=tool_codes, profile_options=profile_options,
                        scale=scale).answers

    tz = ZoneInfo(settings.TIME_ZONE)
    contacts: Contacts = ctx.shared.get("contacts") or Contacts()
    collect(rng, survey=survey, wave=wave, invited=invited, rate=lambda _p: D.RESPONSE_RATE,
            answers=answers, contacts=contacts, tz=tz)
    # Launched and closed in the past (what wave_launch and close_past_waves would have done,
    # without two thousand emails): the wave's answers are released.
    Wave.objects.filter(pk=wave.pk).update(status=Wave.Status.CLOSED)
    listening.survey_set_status(survey, Survey.Status.CLOSED)
    studies.study_close(study=study, user=lead)
    wave.refresh_from_db()
    return wave


# --- personas ----------------------------------------------------------------------------------


def signature(attitude: D.Attitude) -> dict[str, float]:
    """What sets an attitude apart, on the segmentation's features (``rating:<attribute>``,
    ``importance:<attribute>``, ``used``)."""
    vector = {f"rating:{a}": v for a, v in attitude.internal.items()}
    vector |= {f"importance:{a}": v for a, v in attitude.importance.items()}
    uses = [attitude.uses.get(a.code, 1.0) for a in D.ALTERNATIVES[1:]]
    vector["used"] = sum(uses) / len(uses) - 1.0
    return vector


def match_attitudes(segments: Sequence[outputs.Segment]) -> dict[int, W.PersonaCard]:
    """Each segment's persona card: the assignment of segments to attitudes whose centres
    agree best with the attitudes' signatures (every permutation tried: at most 6 × 4)."""
    cards = {card.attitude: card for card in W.PERSONAS}
    signatures = {a.code: signature(a) for a in D.ATTITUDES if a.code in cards}

    def score(segment: outputs.Segment, code: str) -> float:
        z = {a.feature: a.z for a in segment.detail.attitudes}
        return sum(z.get(feature, 0.0) * weight for feature, weight in signatures[code].items())

    codes = list(signatures)
    best: dict[int, str] = {}
    best_total = float("-inf")
    for chosen in itertools.permutations(segments, min(len(segments), len(codes))):
        for order in itertools.permutations(codes, len(chosen)):
            total = sum(score(s, c) for s, c in zip(chosen, order, strict=True))
            if total > best_total:
                best_total, best = total, {s.number: c for s, c in zip(chosen, order,
                                                                        strict=True)}
    return {number: cards[code] for number, code in best.items()}


def pick_quotes(verbatims: Sequence[str]) -> list[str]:
    """A few of the segment's released verbatims: the first ones, in both languages when the
    segment wrote in both (English ones are told apart by a few common words)."""
    english = [v for v in verbatims if _looks_english(v)]
    french = [v for v in verbatims if not _looks_english(v)]
    quotes = french[:QUOTES - 1] + english[:1]
    return (quotes + [v for v in verbatims if v not in quotes])[:QUOTES]


def _looks_english(text: str) -> bool:
    words = set(text.casefold().replace(".", " ").replace(",", " ").split())
    return bool(words & {"the", "we", "is", "it", "our", "and", "i", "to"})


def write_personas(study: Study, lead: Any) -> dict[int, str]:
    """The four persona cards, and the shop floor's turned into a comms audience; returns
    segment number → attitude code of the cards written."""
    found = outputs.segments(study)
    if found.hidden:
        return {}
    matched = match_attitudes(found.segments)
    for segment in found.segments:
        card = matched.get(segment.number)
        if card is None:
            continue
        personas.persona_save(
            user=lead, study=study, segment=segment.number, name_fr=card.name[0],
            name_en=card.name[1], summary_fr=card.summary[0], summary_en=card.summary[1],
            goals_fr=card.goals[0], goals_en=card.goals[1], frustrations_fr=card.frustrations[0],
            frustrations_en=card.frustrations[1], channels=card.channels,
            quotes=pick_quotes(segment.verbatims))
    for number, card in matched.items():
        if card.attitude != W.AUDIENCE_PERSONA:
            continue
        for threshold in AUDIENCE_THRESHOLDS:
            try:
                personas.persona_audience(user=lead, study=study, segment=number,
                                          threshold=threshold)
                break
            except ValidationError:
                continue  # no job family at this share: try a lower one
    return {number: card.attitude for number, card in matched.items()}


# --- shadow IT, statements, benchmarks ---------------------------------------------------------


def shadow_it(study: Study, lead: Any, plan: Any) -> tuple[Any, Any]:
    """The need proposed from the offer gap the shop floor names most (WhatsApp), and an
    action making an equivalent known (WeTransfer users: the large-file service) in the comms
    demo's plan, when there is one."""
    rows = {tool.name: tool for tool in study.tools.all()}
    need = action = None
    gap = rows.get(D.GAP_FOR_NEED)
    if gap is not None and getattr(lead, "person", None) is not None:
        need = tools.tool_need(user=lead, tool=gap)
    equivalent = rows.get(D.EQUIVALENT_FOR_ACTION)
    if plan is not None and equivalent is not None and equivalent.service_id is not None:
        action = tools.tool_action(user=lead, tool=equivalent, plan=plan)
    return need, action


def _parts(texts: Mapping[str, W.Text]) -> dict[str, str]:
    return {f"{part}_{lang}": texts[part][index] for part in Statement.PARTS
            for index, lang in enumerate(("fr", "en"))}


def write_statements(study: Study, lead: Any, *, published_on: dt.date,
                     texts: Sequence[Mapping[str, W.Text]] = (W.STATEMENT_PUBLISHED,
                                                              W.STATEMENT_DRAFT)) -> None:
    """The first of ``texts`` published a couple of weeks after the wave closed, the next
    (if any) a newer draft."""
    first = statements.statement_save(user=lead, study=study, **_parts(texts[0]))
    when = timezone.make_aware(dt.datetime.combine(published_on, dt.time(10, 0)))
    statements.statement_publish(user=lead, statement=first, now=when)
    for draft in texts[1:]:
        statements.statement_save(user=lead, study=study, **_parts(draft))


def write_benchmarks(study: Study, lead: Any) -> None:
    for spec in W.BENCHMARKS:
        benchmarks.benchmark_save(
            user=lead, study=study, label_fr=spec.label[0], label_en=spec.label[1],
            value=Decimal(spec.value), unit=spec.unit, attribute=spec.attribute,
            source=spec.source, source_url=spec.source_url, as_of=dt.date(*spec.as_of))

