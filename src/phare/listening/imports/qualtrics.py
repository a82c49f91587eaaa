"""Qualtrics: survey files (``.qsf``, JSON) and their legacy XML response export.

A ``.qsf`` holds ``SurveyEntry`` (the survey's id, name and language) and ``SurveyElements``:
``SQ`` questions, ``BL`` blocks (Phare's sections; the trash block is left out), ``FL`` the flow
that orders the blocks, ``SO`` the options (``AnonymizeResponse``). The legacy XML export has one
``<Response>`` per respondent with one element per column (``QID4_2``, ``QID7_TEXT``…); ``-99``
means seen but not answered. Unfinished responses are counted, not imported; IP addresses,
recipients' names and e-mails and locations are never read into Phare.
"""

from __future__ import annotations

import datetime as dt
import json
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
    bilingual,
    fail,
    language_of,
    note,
    parse_xml,
    plain_text,
    skipped,
)
from phare.listening.imports.qsmapping import TYPE_NAMES, Mapper

QUESTION_BLOCK_TYPES = {"Block", "Standard", "Default"}


def read_qsf(data: bytes, name: str, responses: tuple[str, bytes] | None = None) -> SurveyPlan:
    """A Qualtrics survey file, and its responses when the legacy XML export is given."""
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
    if responses is not None:
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
                   base: str, name: str) -> None:
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
    mapper = Mapper(plan, base)
    placed: set[str] = set()
    for block_id in order:
        block = by_id[block_id]
        if block.get("Type") == "Trash":
            continue
        looped = str((block.get("Options") or {}).get("Looping", "None")) not in ("None", "")
        plan.sections.append(bilingual({base: plain_text(block.get("Description"))}, base))
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
        if row.get("finished", "True").strip().lower() in ("false", "0"):
            plan.incomplete += 1
            continue
        stamp = (row.get("recordedDate") or row.get("endDate") or "").strip()
        moment = None
        if stamp:
            try:
                moment = dt.datetime.fromisoformat(stamp)
            except ValueError:
                plan.problems.append(ImportProblem(name, f"{label}, recordedDate", _(
                    "“%(value)s” is not a date and time") % {"value": stamp}))
                continue
            if timezone.is_naive(moment):
                moment = timezone.make_aware(moment)
        answers = plan.read_answers(row, name, label)
        language = language_of(row.get("userLanguage"))
        plan.responses.append(ResponsePlan(
            file=name, label=label, answers=answers,
            submitted_on=timezone.localdate(moment) if moment else timezone.localdate(),
            submitted_at=moment, source_id=record,
            language=language if language in ("fr", "en") else "fr"))
    if plan.incomplete:
        plan.items.append(note(_("unfinished responses not imported: %(count)d")
                               % {"count": plan.incomplete}))
