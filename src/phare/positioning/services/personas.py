"""Writes to a study's personas: the lead's card for a segment, and the comms audience made
from the directory attributes that characterise it.

Rules:
- A persona belongs to a segment of the current segmentation (:func:`outputs.segments`).
- A quote is one of the segment's released verbatims, word for word: nobody can be quoted
  saying what no respondent wrote, and a segment under the verbatim threshold has no quotes.
- Saving a persona records the number of released answers it was written from
  (``Study.personas_n``), so that pages warn when the answers change.
- A persona's audience selects people by job family only — the job families whose released
  cell for the segment passes and where the segment is at least ``threshold`` % of respondents
  (:func:`results.persona_job_families`) — never by tagging respondents.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from phare.comms.models import Action, Audience
from phare.comms.services import plans as comms_plans
from phare.directory.models import JobFamily
from phare.positioning import outputs, results
from phare.positioning.models import Persona, Study
from phare.positioning.services.statements import refuse_unless_manager

TEXTS = ("summary", "goals", "frustrations")


def _invalid(field: str, message: str, code: str) -> ValidationError:
    return ValidationError({field: ValidationError(message, code=code)})


def _segment(study: Study, number: int) -> tuple[outputs.Segments, outputs.Segment]:
    found = outputs.segments(study)
    if found.hidden:
        raise _invalid("segment", found.reason or _("The study has no segments yet."),
                       "no_segments")
    segment = found.get(number)
    if segment is None:
        raise _invalid("segment", _("The current segmentation has no segment %(number)s.") % {
            "number": number}, "unknown")
    return found, segment


@transaction.atomic
def persona_save(*, user: Any, study: Study, segment: int, name_fr: str, name_en: str = "",
                 summary_fr: str = "", summary_en: str = "", goals_fr: str = "",
                 goals_en: str = "", frustrations_fr: str = "", frustrations_en: str = "",
                 channels: Iterable[str] = (), quotes: Iterable[str] = ()) -> Persona:
    """Create or change the persona of ``segment``."""
    refuse_unless_manager(user)
    study = Study.objects.select_for_update().get(pk=study.pk)
    everything, found = _segment(study, segment)
    persona = (Persona.objects.select_for_update().filter(study=study, segment=segment).first()
               or Persona(study=study, segment=segment))
    texts = {"name_fr": name_fr, "name_en": name_en, "summary_fr": summary_fr,
             "summary_en": summary_en, "goals_fr": goals_fr, "goals_en": goals_en,
             "frustrations_fr": frustrations_fr, "frustrations_en": frustrations_en}
    for name, value in texts.items():
        setattr(persona, name, value.strip())
    errors: dict[str, list[ValidationError]] = {}
    channels = list(dict.fromkeys(channels))
    for code in channels:
        if code not in Action.Channel.values:
            errors.setdefault("channels", []).append(ValidationError(
                _("“%(code)s” is not a channel.") % {"code": code}, code="unknown"))
    released = set(found.verbatims)
    quotes = [q.strip() for q in dict.fromkeys(quotes) if q.strip()]
    for quote in quotes:
        if quote not in released:
            errors.setdefault("quotes", []).append(ValidationError(
                _("“%(quote)s” is not among the segment's released verbatims: a quote is what "
                  "a respondent wrote, word for word.") % {"quote": quote[:80]},
                code="not_a_verbatim"))
    persona.channels, persona.quotes = channels, quotes
    try:
        persona.full_clean()
    except ValidationError as exc:
        for name, items in exc.error_dict.items():
            errors.setdefault(name, []).extend(items)
    if errors:
        raise ValidationError(errors)
    persona.save()
    # Not ``study.save()``: the study's updated_at keys the results' cache.
    Study.objects.filter(pk=study.pk).update(personas_n=everything.n)
    return persona


@transaction.atomic
def persona_audience(*, user: Any, study: Study, segment: int, threshold: int = 40) -> Audience:
    """Make (or bring up to date) the comms audience of the persona of ``segment``: the job
    families where the persona is at least ``threshold`` % of respondents, in released cells."""
    refuse_unless_manager(user)
    persona = Persona.objects.select_for_update().filter(study=study, segment=segment).first()
    if persona is None:
        raise _invalid("segment", _("Name the persona of segment %(number)s first.") % {
            "number": segment}, "no_persona")
    if not 1 <= threshold <= 100:
        raise _invalid("threshold", _("The share is a percentage from 1 to 100."), "range")
    codes = list(results.persona_job_families(study, segment, threshold=threshold))
    if not codes:
        raise _invalid("threshold", _(
            "No job family qualifies: none has enough released respondents where this persona "
            "is at least %(threshold)d %% of them. Lower the share, or wait for more answers.")
            % {"threshold": threshold}, "none_qualifies")
    names = dict(JobFamily.objects.filter(code__in=codes).values_list("code", "name"))
    description = _(
        "Built from the positioning study “%(study)s”: the job families where the persona "
        "“%(persona)s” is at least %(threshold)d %% of the respondents, counting only groups "
        "large enough to be released (%(families)s). People are chosen by their job family in "
        "the directory, never by what they answered.") % {
        "study": study.title, "persona": persona.name, "threshold": threshold,
        "families": ", ".join(names.get(code, code) for code in codes)}
    audience = comms_plans.audience_save(
        user=user, audience=persona.audience, criteria={"job_families": codes},
        name=(_("Persona: %(name)s") % {"name": persona.name})[:200], description=description)
    persona.audience = audience
    persona.save(update_fields=["audience", "updated_at"])
    return audience
