"""The study's released answers as plain tables — the one reader results and outputs use.

Respondents are the study survey's responses released by
:func:`phare.listening.queries.released` (closed waves, whole past months), numbered 0..n-1
in the order of a keyed hash of the response id (:mod:`phare.lib.pseudonyms`): deterministic,
never the answering order, and no id leaves this module. A generated questionnaire is read by
its fixed codes; an imported survey through the study's mapping (:mod:`.mapping`) into the
same shape.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import pandas as pd

from phare.directory.models import BusinessUnit
from phare.lib.pseudonyms import pseudonym
from phare.listening.models import Question, Response
from phare.listening.queries import released
from phare.positioning.models import Alternative, Study
from phare.positioning.questionnaire import IMPORTANCE, NONE

_SPLIT = re.compile(r"[,;\n\r]+")
PEOPLE_COLUMNS = ("unit", "site", "job_family", "top_unit")


@dataclass(frozen=True)
class StudyData:
    """A study's released answers (see the positioning contract for each table's shape)."""

    study: Study
    k: int
    k_verbatim: int
    n: int
    alternatives: list[str]
    alternative_labels: dict[str, str]
    attributes: list[str]
    attribute_labels: dict[str, str]
    internal: str
    scale: tuple[int, int]
    ratings: pd.DataFrame
    importance: pd.DataFrame
    preference: pd.Series
    used: pd.DataFrame
    tools: pd.Series
    used_why: pd.Series
    comment: pd.Series
    people: pd.DataFrame


def split_tools(text: str) -> list[str]:
    """Tool names typed in one answer, separated by commas, semicolons or new lines."""
    return [" ".join(part.split()) for part in _SPLIT.split(text or "") if part.strip()]


def top_units() -> dict[str, str]:
    """Each business unit's code → its ancestor just under the root: with one root (the
    company), its children are the top units; with several roots, each root is one."""
    rows = {code: (pk, parent) for pk, code, parent
            in BusinessUnit.objects.values_list("pk", "code", "parent_id")}
    by_pk = {pk: (code, parent) for code, (pk, parent) in rows.items()}
    roots = [pk for pk, (_code, parent) in by_pk.items() if parent is None]
    single_root = roots[0] if len(roots) == 1 else None
    out = {}
    for code, (pk, parent) in rows.items():
        chain, seen = [pk], {pk}
        while parent is not None and parent not in seen:
            chain.append(parent)
            seen.add(parent)
            parent = by_pk[parent][1]
        # chain runs from the unit up to its root
        if single_root is not None and len(chain) > 1:
            out[code] = by_pk[chain[-2]][0]
        else:
            out[code] = by_pk[chain[-1]][0]
    return out


def _int(value: Any) -> float:
    if isinstance(value, bool) or value is None or value == "":
        return float("nan")
    try:
        return float(value)
    except (TypeError, ValueError):
        return float("nan")


class _Reader:
    """Turns one response's answers into the study's parts (generated or mapped)."""

    def __init__(self, study: Study, alternatives: list[str], attributes: list[str],
                 internal: str, tool_names: Mapping[str, str],
                 option_labels: Mapping[str, Mapping[str, str]]) -> None:
        self.study, self.alternatives, self.attributes = study, alternatives, attributes
        self.internal, self.tool_names, self.option_labels = internal, tool_names, option_labels
        self.imported = study.source == Study.Source.IMPORTED
        self.mapping = study.mapping or {}
        self.profile = (list(self.mapping.get("profile") or {})
                        if self.imported else list(study.profile_questions or []))

    def ratings(self, answers: Mapping[str, Any]) -> Iterable[tuple[str, str, float]]:
        if self.imported:
            for alternative, row in (self.mapping.get("ratings") or {}).items():
                for attribute, code in row.items():
                    yield alternative, attribute, _int(answers.get(code))
            return
        grid = answers.get("ratings") or {}
        for alternative in self.alternatives:
            row = grid.get(alternative) or {}
            for attribute in self.attributes:
                yield alternative, attribute, _int(row.get(attribute))

    def importance(self, answers: Mapping[str, Any]) -> dict[str, float]:
        if self.imported:
            codes = self.mapping.get("importance") or {}
            return {a: _int(answers.get(codes[a])) if a in codes else float("nan")
                    for a in self.attributes}
        row = (answers.get("importance") or {}).get(IMPORTANCE) or {}
        return {a: _int(row.get(a)) for a in self.attributes}

    def _choice(self, answers: Mapping[str, Any], part: str) -> tuple[Any, Mapping[str, str]]:
        if not self.imported:
            return answers.get(part), {}
        spec = self.mapping.get(part) or {}
        return answers.get(spec.get("question", "")), spec.get("options") or {}

    def preference(self, answers: Mapping[str, Any]) -> str | None:
        value, options = self._choice(answers, "preference")
        if self.imported:
            return options.get(value) if isinstance(value, str) else None
        return value if value in self.alternatives else None

    def used(self, answers: Mapping[str, Any]) -> set[str]:
        value, options = self._choice(answers, "used")
        chosen = value if isinstance(value, list) else []
        if self.imported:
            return {options[v] for v in chosen if v in options}
        return {v for v in chosen if v != NONE and v in self.alternatives}

    def text(self, answers: Mapping[str, Any], part: str) -> str:
        code = self.mapping.get(part, "") if self.imported else part
        value = answers.get(code) if code else None
        return value.strip() if isinstance(value, str) else ""

    def tools(self, answers: Mapping[str, Any]) -> list[str]:
        code = self.mapping.get("tools", "") if self.imported else "tools"
        if not code:
            return []
        value = answers.get(code)
        if isinstance(value, str):
            return split_tools(value)
        if not isinstance(value, list):
            return []
        names = []
        labels = self.option_labels.get(code, {})
        for option in value:
            if option == "other":
                names += split_tools(str(answers.get(f"{code}.other") or ""))
            elif not self.imported and option in self.tool_names:
                names.append(self.tool_names[option])
            elif option in labels:
                names.append(labels[option])
        return names

    def profiles(self, answers: Mapping[str, Any]) -> dict[str, str | None]:
        codes = self.mapping.get("profile") or {} if self.imported else {}
        out = {}
        for name in self.profile:
            value = answers.get(codes.get(name, name))
            out[name] = value if isinstance(value, str) and value else None
        return out


def _option_labels(study: Study) -> dict[str, dict[str, str]]:
    """Every choice question's option labels by code (over all versions of the survey)."""
    out: dict[str, dict[str, str]] = {}
    for code, options in Question.objects.filter(
            version__survey=study.survey_id, type__in=("single", "multiple")
    ).values_list("code", "options"):
        for option in options or []:
            out.setdefault(code, {})[option["code"]] = (option.get("label_fr")
                                                        or option.get("label_en")
                                                        or option["code"])
    return out


def study_data(study: Study, *, today: dt.date | None = None) -> StudyData:
    """The study's released answers, for generated and imported (mapped) surveys alike."""
    alternatives = list(study.alternatives.all())
    attributes = list(study.attributes.all())
    alt_codes = [a.code for a in alternatives]
    attr_codes = [a.code for a in attributes]
    internal = next((a.code for a in alternatives if a.kind == Alternative.Kind.INTERNAL),
                    alt_codes[0] if alt_codes else "")
    # Internal first, whatever the positions say.
    alt_codes = [internal, *[c for c in alt_codes if c != internal]] if internal else alt_codes
    survey = study.survey
    rows: list[dict[str, Any]] = []
    if survey is not None:
        responses = released(Response.objects.filter(survey=survey), today=today)
        rows = [dict(row) for row in responses.values("id", "answers", "unit_code", "site_code",
                                     "job_family_code")]
    rows.sort(key=lambda row: pseudonym("positioning.respondent", study.pk, row["id"]))
    tool_names = {f"t{pk}": name for pk, name in study.tools.values_list("pk", "name")}
    reader = _Reader(study, alt_codes, attr_codes, internal, tool_names,
                     _option_labels(study) if survey is not None else {})
    others = [c for c in alt_codes if c != internal]
    tops = top_units() if rows else {}
    ratings, importance, preference, used, tools, used_why, comment, people = (
        [], [], [], [], [], [], [], [])
    for number, row in enumerate(rows):
        answers = row["answers"] or {}
        ratings += [(number, alt, attr, value) for alt, attr, value in reader.ratings(answers)
                    if value == value]  # NaN (an empty cell: "I don't know it") left out
        importance.append(reader.importance(answers))
        preference.append(reader.preference(answers))
        chosen = reader.used(answers)
        used.append({c: c in chosen for c in others})
        tools.append(reader.tools(answers))
        used_why.append(reader.text(answers, "used_why"))
        comment.append(reader.text(answers, "comment"))
        unit = row["unit_code"] or ""
        people.append({"unit": unit, "site": row["site_code"] or "",
                       "job_family": row["job_family_code"] or "",
                       "top_unit": tops.get(unit, ""), **reader.profiles(answers)})
    index = pd.RangeIndex(len(rows), name="respondent")
    ratings_frame = pd.DataFrame(ratings, columns=["respondent", "alternative", "attribute",
                                                   "rating"])
    ratings_frame = ratings_frame.astype({"respondent": int, "alternative": str,
                                          "attribute": str, "rating": float})
    return StudyData(
        study=study,
        k=survey.min_group_size if survey else 5,
        k_verbatim=survey.min_verbatim_group_size if survey else 10,
        n=len(rows),
        alternatives=alt_codes,
        alternative_labels={a.code: a.label for a in alternatives},
        attributes=attr_codes,
        attribute_labels={a.code: a.label for a in attributes},
        internal=internal,
        scale=(study.scale_min, study.scale_max),
        ratings=ratings_frame,
        importance=pd.DataFrame(importance, index=index, columns=attr_codes, dtype=float),
        preference=pd.Series(preference, index=index, dtype=object, name="preference"),
        used=pd.DataFrame(used, index=index, columns=others, dtype=bool),
        tools=pd.Series(tools, index=index, dtype=object, name="tools"),
        used_why=pd.Series(used_why, index=index, dtype=object, name="used_why"),
        comment=pd.Series(comment, index=index, dtype=object, name="comment"),
        people=pd.DataFrame(people, index=index,
                            columns=[*PEOPLE_COLUMNS, *reader.profile], dtype=object),
    )
