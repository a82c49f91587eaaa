"""Writes of a study's design and fieldwork: the study, its alternatives and attributes, the
suggested tools and profile questions, the population; the questionnaire generated through
listening's services; the fieldwork's wave; an imported survey and its mapping.

Every refusal is a :class:`django.core.exceptions.ValidationError` naming its field. Once the
generated questionnaire has answers, the alternatives, attributes and scale are frozen:
changing them would break the comparison of the answers already given.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from phare.audit.actions import Action
from phare.audit.services import acting_user, record
from phare.catalog.models import OfferFamily
from phare.listening import services as listening
from phare.listening.errors import ListeningError
from phare.listening.models import Survey, Wave
from phare.positioning import design, questionnaire
from phare.positioning.mapping import MappingError, check_mapping, rating_scale
from phare.positioning.models import Alternative, Attribute, Study, Tool

#: The alternatives a new study starts with: (code, kind, French label, English label).
DEFAULT_ALTERNATIVES = (
    ("dsi", Alternative.Kind.INTERNAL, "Le service informatique (DSI)", "The IT department"),
    ("outsourcer", Alternative.Kind.OUTSOURCER, "Un prestataire ou infogéreur",
     "An outsourcer or supplier"),
    ("saas", Alternative.Kind.SAAS, "Un logiciel SaaS acheté par le métier",
     "SaaS bought by the business"),
    ("personal", Alternative.Kind.CONSUMER, "Mes outils personnels", "My personal tools"),
    ("power_user", Alternative.Kind.POWER_USER, "Un collègue expert de mon service",
     "A local power user"),
)
#: The attributes a new study starts with: (code, French label, English label).
DEFAULT_ATTRIBUTES = (
    ("speed", "Rapidité", "Speed"),
    ("cost", "Coût", "Cost"),
    ("security", "Sécurité", "Security"),
    ("ease", "Facilité d'utilisation", "Ease of use"),
    ("support", "Accompagnement", "Support"),
    ("fit", "Adapté à mon métier", "Fit to my job"),
    ("innovation", "Innovation", "Innovation"),
    ("reliability", "Fiabilité", "Reliability"),
)
#: Identifiers taken by the app's own pages (``/positioning/new/``, ``/positioning/promise/``).
RESERVED_SLUGS = frozenset({"new", "promise", "studies"})
STUDY_FIELDS = ("title_fr", "title_en", "family", "scale_min", "scale_max", "method",
                "segments_k")


def _invalid(field: str, message: str) -> ValidationError:
    return ValidationError({field: [message]})


def _from_listening(exc: ListeningError, prefix: str = "") -> ValidationError:
    field = exc.field or "survey"
    if prefix:
        field = prefix + field.removeprefix("audience")
    return _invalid(field, str(exc.args[0]) if exc.args else str(exc))


def answered(study: Study) -> bool:
    """Whether the study's generated questionnaire already has answers."""
    return (study.source == Study.Source.GENERATED and study.survey is not None
            and study.survey.responses.exists())


def _refuse_if_frozen(study: Study, field: str) -> None:
    if answered(study):
        raise _invalid(field, _("The questionnaire already has answers: changing the "
                                "alternatives, attributes or scale would break the comparison "
                                "of the answers given."))


def _locked(study: Study) -> Study:
    return Study.objects.select_for_update().get(pk=study.pk)


# --- the study --------------------------------------------------------------------------------

@transaction.atomic
def study_create(*, user: Any, slug: str, title_fr: str, title_en: str = "",
                 family: OfferFamily | None = None, scale_min: int = 1, scale_max: int = 5,
                 method: str = Study.Method.CA) -> Study:
    """A study in design, with the default alternatives and attributes to edit."""
    if slug.strip().lower() in RESERVED_SLUGS:
        raise _invalid("slug", _("“%s” is used by a page of Phare: choose another identifier.")
                       % slug)
    if Study.objects.filter(slug=slug).exists():
        raise _invalid("slug", _("A study with the identifier “%s” already exists.") % slug)
    study = Study(slug=slug, title_fr=title_fr, title_en=title_en, family=family,
                  scale_min=scale_min, scale_max=scale_max, method=method, created_by=user)
    problem = design.check_scale(scale_min, scale_max)
    if problem:
        raise _invalid("scale_max", problem)
    study.full_clean()
    study.save()
    for position, (code, kind, label_fr, label_en) in enumerate(DEFAULT_ALTERNATIVES, 1):
        row = Alternative(study=study, code=code, kind=kind, label_fr=label_fr,
                          label_en=label_en, position=position)
        row.full_clean()
        row.save()
    for position, (code, label_fr, label_en) in enumerate(DEFAULT_ATTRIBUTES, 1):
        attribute = Attribute(study=study, code=code, label_fr=label_fr, label_en=label_en,
                              position=position)
        attribute.full_clean()
        attribute.save()
    return study


@transaction.atomic
def study_update(*, study: Study, **fields: Any) -> Study:
    """Change the study's title, domain, scale, map method or number of segments."""
    unknown = set(fields) - set(STUDY_FIELDS)
    if unknown:
        raise TypeError(f"unknown study fields: {sorted(unknown)}")
    study = _locked(study)
    if any(name in fields and fields[name] != getattr(study, name)
           for name in ("scale_min", "scale_max")):
        _refuse_if_frozen(study, "scale_max")
    for name, value in fields.items():
        setattr(study, name, value)
    problem = design.check_scale(study.scale_min, study.scale_max)
    if problem:
        raise _invalid("scale_max", problem)
    study.full_clean()
    study.save()
    return study


# --- alternatives and attributes --------------------------------------------------------------

def _next_position(rows: Iterable[Alternative | Attribute]) -> int:
    return max((row.position for row in rows), default=0) + 1


@transaction.atomic
def alternative_save(*, study: Study, code: str, label_fr: str, label_en: str = "",
                     kind: str = Alternative.Kind.OTHER) -> Alternative:
    """Add an alternative at the end, or change the one with this code."""
    study = _locked(study)
    _refuse_if_frozen(study, "alternatives")
    row = study.alternatives.filter(code=code).first()
    if row is None:
        if study.alternatives.count() >= design.MAX_ALTERNATIVES:
            raise _invalid("alternatives", _("A study compares at most 8 alternatives."))
        row = Alternative(study=study, code=code,
                          position=_next_position(study.alternatives.all()))
    if kind == Alternative.Kind.INTERNAL and study.alternatives.filter(
            kind=Alternative.Kind.INTERNAL).exclude(pk=row.pk).exists():
        raise _invalid("kind", _("The study already has its internal alternative."))
    row.kind, row.label_fr, row.label_en = kind, label_fr.strip(), label_en.strip()
    row.full_clean()
    row.save()
    return row


@transaction.atomic
def attribute_save(*, study: Study, code: str, label_fr: str, label_en: str = "") -> Attribute:
    """Add an attribute at the end, or change the one with this code."""
    study = _locked(study)
    _refuse_if_frozen(study, "attributes")
    row = study.attributes.filter(code=code).first()
    if row is None:
        if study.attributes.count() >= design.MAX_ATTRIBUTES:
            raise _invalid("attributes", _("A study rates at most 15 attributes."))
        row = Attribute(study=study, code=code, position=_next_position(study.attributes.all()))
    row.label_fr, row.label_en = label_fr.strip(), label_en.strip()
    row.full_clean()
    row.save()
    return row


def _row(study: Study, kind: str, code: str) -> Alternative | Attribute:
    rows = study.alternatives if kind == "alternatives" else study.attributes
    row = rows.filter(code=code).first()
    if row is None:
        raise _invalid("code", _("This study has no “%s”.") % code)
    return row


@transaction.atomic
def alternative_delete(*, study: Study, code: str) -> None:
    study = _locked(study)
    _refuse_if_frozen(study, "alternatives")
    row = _row(study, "alternatives", code)
    if row.kind == Alternative.Kind.INTERNAL:  # type: ignore[union-attr]
        raise _invalid("alternatives", _("The IT department is the study's subject: it cannot "
                                         "be removed."))
    row.delete()


@transaction.atomic
def attribute_delete(*, study: Study, code: str) -> None:
    study = _locked(study)
    _refuse_if_frozen(study, "attributes")
    _row(study, "attributes", code).delete()


def _move(study: Study, kind: str, code: str, direction: str) -> None:
    if direction not in ("up", "down"):
        raise _invalid("direction", _("Move up or down."))
    _refuse_if_frozen(study, kind)
    rows: list[Any] = list((study.alternatives if kind == "alternatives"
                            else study.attributes).all())
    index = next((i for i, row in enumerate(rows) if row.code == code), None)
    if index is None:
        raise _invalid("code", _("This study has no “%s”.") % code)
    other = index - 1 if direction == "up" else index + 1
    if not 0 <= other < len(rows):
        return
    if kind == "alternatives" and Alternative.Kind.INTERNAL in (rows[index].kind,
                                                                 rows[other].kind):
        raise _invalid("alternatives", _("The IT department stays first."))
    rows[index], rows[other] = rows[other], rows[index]
    for position, row in enumerate(rows, 1):
        if row.position != position:
            row.position = position
            row.save(update_fields=["position"])


@transaction.atomic
def alternative_move(*, study: Study, code: str, direction: str) -> None:
    _move(_locked(study), "alternatives", code, direction)


@transaction.atomic
def attribute_move(*, study: Study, code: str, direction: str) -> None:
    _move(_locked(study), "attributes", code, direction)


# --- tools, profile questions, population ----------------------------------------------------

@transaction.atomic
def tool_suggest_save(*, study: Study, names: Sequence[str]) -> list[Tool]:
    """The tools suggested in the questionnaire's ``tools`` question (offered in alphabetical
    order): the study's tools with these names become suggested (created when new), the
    others not."""
    study = _locked(study)
    cleaned: list[str] = []
    for name in names:
        name = " ".join(name.split())
        if name and name.casefold() not in {n.casefold() for n in cleaned}:
            cleaned.append(name)
    if len(cleaned) > 30:
        raise _invalid("tools", _("Suggest at most 30 tools."))
    existing = {tool.name.casefold(): tool for tool in study.tools.all()}
    suggested = []
    for name in cleaned:
        tool = existing.get(name.casefold()) or Tool(study=study, name=name)
        tool.suggested = True
        tool.full_clean()
        tool.save()
        suggested.append(tool)
    study.tools.exclude(pk__in=[t.pk for t in suggested]).update(suggested=False)
    return suggested


@transaction.atomic
def profile_questions_set(*, study: Study, codes: Sequence[str]) -> Study:
    study = _locked(study)
    unknown = [code for code in codes if code not in questionnaire.PROFILE_QUESTIONS]
    if unknown:
        raise _invalid("profile_questions", _("Unknown profile questions: %s.")
                       % ", ".join(unknown))
    study.profile_questions = [code for code in questionnaire.PROFILE_QUESTIONS if code in codes]
    study.full_clean()
    study.save(update_fields=["profile_questions", "updated_at"])
    return study


@transaction.atomic
def population_set(*, study: Study, population: Mapping[str, Any]) -> Study:
    """Who the fieldwork asks: a wave audience, checked as listening checks it."""
    study = _locked(study)
    try:
        study.population = listening.clean_audience(population)
    except ListeningError as exc:
        raise _from_listening(exc, "population") from exc
    study.full_clean()
    study.save(update_fields=["population", "updated_at"])
    return study


# --- the questionnaire and fieldwork -----------------------------------------------------------

def _survey_slug(study: Study) -> str:
    base = slugify(f"positioning-{study.slug}")[:70]
    slug, number = base, 1
    while Survey.objects.filter(slug=slug).exists():
        number += 1
        slug = f"{base}-{number}"
    return slug


def _clear(survey: Survey) -> None:
    """Remove the questions and extra sections of an unanswered survey before regenerating."""
    version = survey.current_version()
    for question in reversed(list(version.questions.order_by(
            "section__position", "position", "id"))):
        listening.question_delete(survey, question.code)
    for section in reversed(list(survey.current_version().sections.order_by("position"))):
        if section.position > 1:
            listening.section_delete(survey, section.position)


@transaction.atomic
def questionnaire_generate(*, study: Study, user: Any) -> Survey:
    """Create the study's listening survey from its design (or, before any answer, write it
    again); a design with errors is refused with the first one."""
    study = _locked(study)
    if study.source == Study.Source.IMPORTED:
        raise _invalid("source", _("This study's answers come from an imported survey."))
    blocking = design.errors(design.check_design(study))
    if blocking:
        raise _invalid(blocking[0].field.split(".")[0], blocking[0].message)
    if answered(study):
        raise _invalid("survey", _("The questionnaire already has answers: it can no longer "
                                   "be generated again."))
    titles = {"title_fr": study.title_fr, "title_en": study.title_en}
    try:
        if study.survey is None:
            survey = listening.survey_create(
                slug=_survey_slug(study), kind=Survey.Kind.STUDY, created_by=user,
                anonymity=Survey.Anonymity.ANONYMOUS, **titles)
            study.survey = survey
            study.save(update_fields=["survey", "updated_at"])
        else:
            survey = listening.survey_update(study.survey, **titles)
            _clear(survey)
        sections = questionnaire.section_titles()
        listening.section_update(survey, 1, **sections[0])
        for titles_of in sections[1:]:
            listening.section_add(survey, title_fr=titles_of["title_fr"],
                                  title_en=titles_of["title_en"])
        for definition in questionnaire.build(study):
            fields = dict(definition)
            code, section = fields.pop("code"), fields.pop("section")
            listening.question_add(survey, code=code, section=section, **fields)
    except ListeningError as exc:
        raise _from_listening(exc) from exc
    return survey


@transaction.atomic
def fieldwork_start(*, study: Study, user: Any, name: str, opens_on: dt.date,
                    closes_on: dt.date, reminder_days: Sequence[int] = (),
                    name_en: str = "") -> Wave:
    """Plan a wave of the study's survey for its population (``name`` in French, ``name_en``
    in English); it is launched (and its invitations sent) from listening's wave page."""
    study = _locked(study)
    if study.survey is None or study.source != Study.Source.GENERATED:
        raise _invalid("survey", _("Generate the questionnaire first."))
    if study.status == Study.Status.CLOSED:
        raise _invalid("status", _("This study is closed."))
    try:
        wave = listening.wave_create(study.survey, name=name, name_en=name_en,
                                     opens_on=opens_on,
                                     closes_on=closes_on, audience=study.population or {},
                                     reminder_days=reminder_days)
    except ListeningError as exc:
        raise _from_listening(exc) from exc
    study.status = Study.Status.FIELDWORK
    study.save(update_fields=["status", "updated_at"])
    return wave


@transaction.atomic
def study_close(*, study: Study, user: Any) -> Study:
    study = _locked(study)
    study.status = Study.Status.CLOSED
    study.save(update_fields=["status", "updated_at"])
    return study


@transaction.atomic
def import_attach(*, study: Study, survey: Survey) -> Study:
    """Take the answers from an imported survey (mapped next with :func:`mapping_set`)."""
    study = _locked(study)
    if answered(study):
        raise _invalid("survey", _("The generated questionnaire already has answers."))
    owner = Study.objects.filter(survey=survey).exclude(pk=study.pk).first()
    if owner is not None:
        raise _invalid("survey", _("This survey already holds the answers of the study “%s”.")
                       % owner.title)
    if not survey.responses.exists():
        raise _invalid("survey", _("This survey has no answers to import."))
    study.survey, study.source, study.mapping = survey, Study.Source.IMPORTED, {}
    study.save(update_fields=["survey", "source", "mapping", "updated_at"])
    record(action=Action.IMPORT, actor=acting_user(), target=study,
           details={"survey": survey.pk, "survey_title": str(survey)})
    return study


@transaction.atomic
def mapping_set(*, study: Study, mapping: Mapping[str, Any]) -> Study:
    """Say which questions of the imported survey answer which part of the study; the study's
    scale becomes that of the mapped rating questions."""
    study = _locked(study)
    if study.source != Study.Source.IMPORTED or study.survey is None:
        raise _invalid("mapping", _("Attach an imported survey first."))
    try:
        cleaned = check_mapping(study, mapping)
    except MappingError as exc:
        raise _invalid("mapping", str(exc)) from exc
    study.mapping = cleaned
    study.scale_min, study.scale_max = rating_scale(study.survey, cleaned)
    study.full_clean()
    study.save(update_fields=["mapping", "scale_min", "scale_max", "updated_at"])
    return study


@transaction.atomic
def study_design_update(*, study: Study, user: Any, fields: Mapping[str, Any] | None = None,
                        alternatives: Sequence[Mapping[str, Any]] | None = None,
                        attributes: Sequence[Mapping[str, Any]] | None = None,
                        profile_questions: Sequence[str] | None = None,
                        population: Mapping[str, Any] | None = None,
                        suggested_tools: Sequence[str] | None = None) -> Study:
    """Several changes of the design at once (the API's PATCH): all are made or none.
    Alternatives and attributes are added or changed by code (rows not named stay)."""
    if fields:
        study = study_update(study=study, **fields)
    for position, row in enumerate(alternatives or [], 1):
        try:
            alternative_save(study=study, code=row["code"], label_fr=row.get("label_fr", ""),
                             label_en=row.get("label_en", ""),
                             kind=row.get("kind", Alternative.Kind.OTHER))
        except ValidationError as exc:
            raise _invalid(f"alternatives.{position}", " ".join(exc.messages)) from exc
    for position, row in enumerate(attributes or [], 1):
        try:
            attribute_save(study=study, code=row["code"], label_fr=row.get("label_fr", ""),
                           label_en=row.get("label_en", ""))
        except ValidationError as exc:
            raise _invalid(f"attributes.{position}", " ".join(exc.messages)) from exc
    if profile_questions is not None:
        profile_questions_set(study=study, codes=profile_questions)
    if population is not None:
        population_set(study=study, population=population)
    if suggested_tools is not None:
        tool_suggest_save(study=study, names=suggested_tools)
    study.refresh_from_db()
    return study
