"""Qualtrics: survey files (``.qsf``, JSON) and their response exports (legacy XML, CSV).

A ``.qsf`` holds ``SurveyEntry`` (the survey's id, name and language) and ``SurveyElements``:
``SQ`` questions, ``BL`` blocks (Phare's sections; the trash block is left out), ``FL`` the flow
that orders the blocks, ``SO`` the options (``AnonymizeResponse``). The legacy XML export has one
``<Response>`` per respondent with one element per column (``QID4_2``, ``QID7_TEXT``…); ``-99``
means seen but not answered. Unfinished responses are counted, not imported; IP addresses,
recipients' names and e-mails and locations are never read into Phare.

Responses may also come as CSV, in either of Qualtrics' layouts:

* the legacy one: a row of column names (``V1``…``V10`` for the response's own fields, then
  the questions' export tags ``Q1``, ``Q4_1``, ``Q4_5_TEXT``…) and a row of question texts
  (``ResponseID``, ``Finished``… under the ``V`` columns);
* the current one: three header rows — export tags, question texts, and the ImportId of each
  column as JSON (``{"ImportId":"QID4_1"}``, ``{"ImportId":"startDate","timeZone":"…"}``).

Both are turned into the legacy XML's column names (``QID4_1``, ``_recordId``, ``finished``…),
so the same readers take them; choices are recognised by their text or their recode value.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import zoneinfo
from collections.abc import Iterator, Mapping
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from phare.lib import jsontext
from phare.listening.imports.plan import (
    ImportProblem,
    ResponsePlan,
    SurveyPlan,
    add_translation,
    bilingual,
    fail,
    language_of,
    note,
    parse_xml,
    plain_text,
    skipped,
    source_languages,
)
from phare.listening.imports.qsmapping import TYPE_NAMES, Mapper
from phare.listening.languages import COLUMNS

QUESTION_BLOCK_TYPES = {"Block", "Standard", "Default"}


def read_qsf(data: bytes, name: str, responses: tuple[str, bytes] | None = None) -> SurveyPlan:
    """A Qualtrics survey file, and its responses when their export (XML or CSV) is given."""
    document = _json(data, name)
    entry = document["SurveyEntry"]
    elements: dict[str, list[tuple[int, dict[str, Any]]]] = {}
    for index, element in enumerate(document["SurveyElements"]):
        if not isinstance(element, dict) or not isinstance(element.get("Element"), str):
            raise fail(name, _("each survey element is an object with an “Element” type"),
                       where=f"$.SurveyElements[{index}]")
        elements.setdefault(element["Element"], []).append((index, element))
    survey_id = str(entry.get("SurveyID") or "").strip()
    if not survey_id:
        raise fail(name, _("the survey id is missing"), where="$.SurveyEntry.SurveyID")
    base = language_of(entry.get("SurveyLanguage")) or "en"
    options = _payload(elements, "SO")
    title = plain_text(entry.get("SurveyName")) or plain_text(options.get("SurveyTitle")) \
        or survey_id
    title_fr, title_en = bilingual({base: title}, base)
    intro_fr, intro_en = bilingual({base: plain_text(entry.get("SurveyDescription"))}, base)
    plan = SurveyPlan(
        file=name, source=f"qualtrics:{survey_id}", title_fr=title_fr, title_en=title_en,
        intro_fr=intro_fr if intro_fr != title else "",
        intro_en=intro_en if intro_en != title else "",
        # Qualtrics anonymises only when told to; unknown, Phare keeps the safer choice.
        anonymous=str(options.get("AnonymizeResponse", "Yes")).lower() != "no")
    _map_questions(plan, elements, base, name)
    # Every language the survey is translated into: French and English in their fields, each
    # other one read by an alias run of its own into the translations.
    available = options.get("AvailableLanguages")
    plan.languages = source_languages(
        [base, *(available if isinstance(available, dict | list) else [])])
    for language in plan.languages:
        if language in COLUMNS:
            continue
        other = SurveyPlan(file=name, source="", title_fr="",
                           title_en=title if language == base else "",
                           intro_en=plan.intro_fr if language == base else "")
        _map_questions(other, elements, base, name, alias=language)
        add_translation(plan, other, language)
    _report_flow(plan, elements)
    if responses is not None:
        if responses[0].lower().endswith(".csv"):
            read_csv(responses[1], responses[0], plan, _export_names(elements))
        else:
            read_legacy_xml(responses[1], responses[0], plan)
    return plan


def _json(data: bytes, name: str) -> dict[str, Any]:
    try:
        document = jsontext.loads(data.decode("utf-8-sig"))
    except jsontext.JSONTooDeep as exc:
        raise fail(name, _("not valid JSON (nested too deeply: more than %(limit)d levels)")
                   % {"limit": exc.limit}) from None
    except jsontext.NulCharacter as exc:
        raise fail(name, str(exc)) from None
    except UnicodeDecodeError as exc:
        raise fail(name, _("not UTF-8 text (byte %(position)d)") % {
            "position": exc.start}) from None
    except json.JSONDecodeError as exc:
        raise fail(name, _("not valid JSON (%(error)s)") % {"error": exc.msg},
                   where=_("line %(line)d, column %(column)d") % {
                       "line": exc.lineno, "column": exc.colno}, line=exc.lineno) from None
    if not isinstance(document, dict):
        raise fail(name, _("not a Qualtrics survey file: the JSON is not an object"), where="$")
    if not isinstance(document.get("SurveyEntry"), dict):
        raise fail(name, _("not a Qualtrics survey file: no SurveyEntry"), where="$.SurveyEntry")
    if not isinstance(document.get("SurveyElements"), list):
        raise fail(name, _("not a Qualtrics survey file: no SurveyElements list"),
                   where="$.SurveyElements")
    return document


def _payload(elements: Mapping[str, list[tuple[int, dict[str, Any]]]], kind: str) -> Any:
    found = elements.get(kind) or []
    payload = found[0][1].get("Payload") if found else None
    return payload if payload is not None else {}


def _flow_blocks(flow: Any) -> Iterator[str]:
    """The block ids of the survey flow, in order (through randomisers, branches, groups)."""
    if isinstance(flow, dict):
        if flow.get("Type") in QUESTION_BLOCK_TYPES and flow.get("ID"):
            yield str(flow["ID"])
        yield from _flow_blocks(flow.get("Flow"))
    elif isinstance(flow, list):
        for item in flow:
            yield from _flow_blocks(item)


def _map_questions(plan: SurveyPlan, elements: Mapping[str, list[tuple[int, dict[str, Any]]]],
                   base: str, name: str, alias: str = "") -> None:
    questions: dict[str, tuple[int, dict[str, Any]]] = {}
    for index, element in elements.get("SQ", []):
        payload = element.get("Payload")
        if not isinstance(payload, dict):
            raise fail(name, _("a question has no payload"),
                       where=f"$.SurveyElements[{index}].Payload")
        qid = str(payload.get("QuestionID") or element.get("PrimaryAttribute") or "")
        if not qid:
            raise fail(name, _("a question has no QuestionID"),
                       where=f"$.SurveyElements[{index}].Payload.QuestionID")
        questions[qid] = (index, payload)
    blocks = _payload(elements, "BL")
    blocks = list(blocks.values()) if isinstance(blocks, dict) else blocks
    blocks = [block for block in blocks or [] if isinstance(block, dict)]
    by_id = {str(block.get("ID")): block for block in blocks}
    order = [block_id for block_id in dict.fromkeys(_flow_blocks(_payload(elements, "FL")))
             if block_id in by_id]
    order += [str(b.get("ID")) for b in blocks if str(b.get("ID")) not in order
              and b.get("Type") != "Trash"]
    mapper = Mapper(plan, base, alias)
    placed: set[str] = set()
    for block_id in order:
        block = by_id[block_id]
        if block.get("Type") == "Trash":
            continue
        looped = str((block.get("Options") or {}).get("Looping", "None")) not in ("None", "")
        plan.sections.append(bilingual({mapper.base: plain_text(block.get("Description"))},
                                       mapper.base))
        for item in block.get("BlockElements") or []:
            qid = str(item.get("QuestionID", "")) if isinstance(item, dict) else ""
            if qid in questions and qid not in placed:
                placed.add(qid)
                mapper.map(qid, questions[qid][1], len(plan.sections) - 1, looped=looped)
    trash = {str(item.get("QuestionID")) for block in blocks if block.get("Type") == "Trash"
             for item in block.get("BlockElements") or [] if isinstance(item, dict)}
    for qid, (_index, payload) in questions.items():
        if qid not in placed:
            tag = str(payload.get("DataExportTag") or qid)
            reason = gettext_lazy("in the trash") if qid in trash else gettext_lazy(
                "in no block")
            qtype = str(payload.get("QuestionType", ""))
            plan.items.append(skipped(reason, TYPE_NAMES.get(qtype, qtype), tag,
                                      plain_text(payload.get("QuestionText"))[:120], qtype))


# --- responses --------------------------------------------------------------------------------

#: Columns of the legacy export that say who answered or from where: never read.
PERSONAL = ("ipAddress", "recipientLastName", "recipientFirstName", "recipientEmail",
            "externalDataReference", "locationLatitude", "locationLongitude")


def read_legacy_xml(data: bytes, name: str, plan: SurveyPlan) -> None:
    """Add the finished responses of a legacy XML export to the plan."""
    root = parse_xml(data, name)
    if root.tag != "Responses":
        raise fail(name, _("not a Qualtrics legacy XML response export: the root element is "
                           "<%(tag)s>, not <Responses>") % {"tag": root.tag}, where=root.tag)
    for index, element in enumerate(root.findall("Response"), start=1):
        row = {child.tag: child.text or "" for child in element if child.tag not in PERSONAL}
        record = row.get("_recordId", "").strip() or row.get("ResponseID", "").strip()
        label = _("response %(number)d (%(id)s)") % {"number": index, "id": record or "—"}
        _add_response(plan, name, row, label, record, {})
    _count_unfinished(plan)


def _add_response(plan: SurveyPlan, name: str, row: Mapping[str, str], label: str, record: str,
                  zones: Mapping[str, str]) -> None:
    """One response row (in the legacy XML's column names) into the plan, if it is finished."""
    if row.get("finished", "True").strip().lower() in ("false", "0"):
        plan.incomplete += 1
        return
    column = "recordedDate" if (row.get("recordedDate") or "").strip() else "endDate"
    stamp = (row.get(column) or "").strip()
    moment = None
    if stamp:
        try:
            moment = dt.datetime.fromisoformat(stamp)
        except ValueError:
            plan.problems.append(ImportProblem(name, f"{label}, {column}", _(
                "“%(value)s” is not a date and time") % {"value": stamp}))
            return
        if timezone.is_naive(moment):
            zone = zones.get(column)
            moment = moment.replace(tzinfo=zoneinfo.ZoneInfo(zone)) if zone else \
                timezone.make_aware(moment)
    answers = plan.read_answers(row, name, label)
    language = language_of(row.get("userLanguage"))
    plan.responses.append(ResponsePlan(
        file=name, label=label, answers=answers,
        submitted_on=timezone.localdate(moment) if moment else timezone.localdate(),
        submitted_at=moment, source_id=record,
        # The language answered in, when the survey has it.
        language=language if language in ("fr", "en", *plan.languages) else "fr"))


def _count_unfinished(plan: SurveyPlan) -> None:
    if plan.incomplete:
        plan.items.append(note(_("unfinished responses not imported: %(count)d")
                               % {"count": plan.incomplete}))


# --- CSV responses ----------------------------------------------------------------------------

#: The legacy CSV's names (second header row, under ``V1``…) in the legacy XML's terms.
LEGACY_FIELDS = {"ResponseID": "_recordId", "ResponseSet": "responseSet", "Name": "",
                 "ExternalDataReference": "", "EmailAddress": "", "IPAddress": "",
                 "Status": "status", "StartDate": "startDate", "EndDate": "endDate",
                 "Finished": "finished", "LocationLatitude": "", "LocationLongitude": "",
                 "LocationAccuracy": ""}
_LEGACY_META = re.compile(r"^V\d+$")


def _export_names(elements: Mapping[str, list[tuple[int, dict[str, Any]]]]) -> dict[str, str]:
    """Export names (``Q4``, a matrix row's own tag) → the columns' QID names (``QID4``…)."""
    names: dict[str, str] = {}
    for _index, element in elements.get("SQ", []):
        payload = element.get("Payload")
        if not isinstance(payload, dict):
            continue
        qid = str(payload.get("QuestionID") or "")
        tag = str(payload.get("DataExportTag") or "")
        if qid and tag:
            names.setdefault(tag, qid)
            columns = payload.get("AdditionalQuestions")  # side by side: Q5#1_1 → QID5#1_1
            for number in columns if isinstance(columns, dict) else ():
                names.setdefault(f"{tag}#{number}", f"{qid}#{number}")
        tags = payload.get("ChoiceDataExportTags")
        if qid and isinstance(tags, dict):
            for choice, choice_tag in tags.items():
                if choice_tag:
                    names.setdefault(str(choice_tag), f"{qid}_{choice}")
    return names


def _legacy_column(name: str, names: Mapping[str, str]) -> str:
    """A legacy CSV column's QID name: ``Q4_5_TEXT`` → ``QID4_5_TEXT`` (longest tag first)."""
    if name in names:
        return names[name]
    for tag in sorted(names, key=len, reverse=True):
        if name.startswith(tag + "_"):
            return names[tag] + name[len(tag):]
    return name


def _import_id(cell: str) -> tuple[str, str] | None:
    """(column, time zone) of a third-row cell such as ``{"ImportId":"QID4_1"}``."""
    cell = cell.strip()
    if not cell.startswith("{"):
        return None
    try:
        found = json.loads(cell)
    except json.JSONDecodeError:
        return None
    if not isinstance(found, dict) or not isinstance(found.get("ImportId"), str):
        return None
    column = found["ImportId"]
    if found.get("choiceId") not in (None, "") and "_" not in column.removeprefix("QID"):
        column = f"{column}_{found['choiceId']}"
    return column, str(found.get("timeZone") or "")


def _csv_rows(data: bytes, name: str) -> list[list[str]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise fail(name, _("not UTF-8 text (byte %(position)d): export the responses from "
                           "Qualtrics as CSV, which is UTF-8") % {"position": exc.start}) from None
    if "\x00" in text:
        raise fail(name, _("the file holds NUL characters: it is not a CSV export"))
    sample = text[:4096]
    delimiter = "\t" if sample.count("\t") > sample.count(",") else ","
    try:
        return list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True))
    except csv.Error as exc:
        raise fail(name, _("not a readable CSV file (%(error)s)") % {"error": exc}) from None


def read_csv(data: bytes, name: str, plan: SurveyPlan, names: Mapping[str, str]) -> None:
    """Add the finished responses of a CSV export (either layout) to the plan."""
    table = _csv_rows(data, name)
    if len(table) < 2:
        raise fail(name, _("not a Qualtrics CSV export: it needs its header rows (column names "
                           "and question texts)"), line=1)
    header = [cell.strip() for cell in table[0]]
    third = [_import_id(cell) for cell in table[2]] if len(table) > 2 else []
    zones: dict[str, str] = {}
    if third and sum(found is not None for found in third) * 2 >= len(third):
        columns = []
        for position, found in enumerate(third):
            column, zone = found if found else (header[position] if position < len(header)
                                                else "", "")
            columns.append(column)
            if zone:
                zones[column] = zone
        first_line = 4
    elif any(_LEGACY_META.match(cell) for cell in header) or any(
            cell in names for cell in header):
        texts = [cell.strip() for cell in table[1]]
        columns = [LEGACY_FIELDS.get(texts[position], texts[position])
                   if _LEGACY_META.match(cell) and position < len(texts)
                   else _legacy_column(cell, names) for position, cell in enumerate(header)]
        first_line = 3
    else:
        raise fail(name, _("not a Qualtrics CSV export: the first row names no column of this "
                           "survey (Q1, QID1…) and the third row holds no ImportId"), line=1)
    for zone in zones.values():
        try:
            zoneinfo.ZoneInfo(zone)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            raise fail(name, _("unknown time zone “%(zone)s”") % {"zone": zone},
                       where=_("header row 3"), line=3) from None
    known = {column for column in columns if column}
    if not known & {"_recordId", "finished", "recordedDate", "endDate"} and not any(
            column.startswith("QID") for column in known):
        raise fail(name, _("no column of this CSV matches the survey: is it the export of "
                           "another survey?"), line=1)
    personal = set(PERSONAL) | {""}
    for line, cells in enumerate(table[first_line - 1:], start=first_line):
        if not any(cell.strip() for cell in cells):
            continue
        if len(cells) > len(columns):
            plan.problems.append(ImportProblem(name, _("line %(line)d") % {"line": line}, _(
                "%(found)d values for %(expected)d columns") % {
                "found": len(cells), "expected": len(columns)}, line))
            continue
        row = {column: value for column, value in zip(columns, cells, strict=False)
               if column not in personal}
        record = row.get("_recordId", "").strip()
        label = _("line %(line)d (%(id)s)") % {"line": line, "id": record or "—"}
        _add_response(plan, name, row, label, record, zones)
    _count_unfinished(plan)


# --- what the flow does that Phare does not ----------------------------------------------------

def _report_flow(plan: SurveyPlan,
                 elements: Mapping[str, list[tuple[int, dict[str, Any]]]]) -> None:
    """Branches and randomisers of the survey flow: every block is imported, always shown."""
    blocks = _payload(elements, "BL")
    blocks = list(blocks.values()) if isinstance(blocks, dict) else blocks or []
    titles = {str(b.get("ID")): plain_text(b.get("Description")) or str(b.get("ID"))
              for b in blocks if isinstance(b, dict)}

    def walk(flow: Any) -> None:
        if isinstance(flow, list):
            for item in flow:
                walk(item)
            return
        if not isinstance(flow, dict):
            return
        kind = str(flow.get("Type", ""))
        inside = ", ".join(titles.get(block, block) for block in _flow_blocks(flow.get("Flow")))
        if kind == "Branch":
            plan.items.append(note(_("survey flow branch not imported: its blocks are shown to "
                                     "everyone (%(blocks)s)") % {"blocks": inside or "—"},
                                   code=str(flow.get("FlowID", "")), title=inside))
        elif kind in ("Randomizer", "BlockRandomizer"):
            plan.items.append(note(_("randomiser not imported: its blocks are all shown, in "
                                     "order (%(blocks)s)") % {"blocks": inside or "—"},
                                   code=str(flow.get("FlowID", "")), title=inside))
        walk(flow.get("Flow"))

    walk(_payload(elements, "FL"))
