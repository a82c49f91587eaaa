"""LimeSurvey: survey archives (``.lsa``) and survey structures (``.lss``).

An archive is a zip of ``survey_{sid}.lss`` (the structure, XML), ``survey_{sid}_responses.lsr``
(responses, XML) and optionally ``survey_{sid}_tokens.lst`` (participants) and
``survey_{sid}_timings.lsi``. Response columns are named ``{sid}X{gid}X{qid}{subquestion}``;
in the ``.lsr`` XML each name starting with a digit gets a leading ``_`` and a ``#`` becomes ``-``.

Two layouts are read: LimeSurvey 4–6 (DBVersion 400–699) keep texts in ``*_l10ns`` tables;
LimeSurvey 1.91–3 (DBVersion 146–399) keep them inline, one row per language (before
DBVersion 156, question attributes have no language; the oldest files name anonymity
``private`` and use the retired list types ``W`` and ``Z``). Question-group files (``.lsg``,
document type "Group") are read like a structure without survey settings, and the
tab-separated survey format (``.txt``) by :mod:`.lstsv`. Participants are counted, never
imported; IP addresses, tokens and referrer URLs are never read into Phare.
"""

from __future__ import annotations

import datetime as dt
import io
import posixpath
import re
import zipfile
import zlib
from collections import defaultdict
from dataclasses import dataclass
from typing import Any
from xml.etree.ElementTree import Element

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from phare.listening.imports.lsmapping import Mapper
from phare.listening.imports.plan import (
    ImportProblem,
    ResponsePlan,
    SurveyPlan,
    add_translation,
    alias_of,
    bilingual,
    fail,
    language_of,
    note,
    parse_xml,
    plain_text,
    source_languages,
)
from phare.listening.languages import COLUMNS

#: DBVersions Phare reads: LimeSurvey 1.91 to 6.
SUPPORTED_VERSIONS = range(146, 700)
#: From this DBVersion on, texts live in the ``*_l10ns`` tables.
L10NS_FROM = 400
#: What LimeSurvey writes as submission date when the survey keeps no dates.
NO_DATE = "1980-01-01"
_COLUMN = re.compile(r"^(\d+)X(\d+)X(\d+)")
#: Response columns that say who answered or from where: never read.
PERSONAL = ("ipaddr", "token", "refurl")
#: The tables of a structure file that Phare reads.
TABLES = ("surveys", "surveys_languagesettings", "groups", "group_l10ns", "questions",
          "subquestions", "question_l10ns", "answers", "answer_l10ns", "question_attributes")
#: Types of LimeSurvey 1.x that later versions renamed (flexible lists).
OLD_TYPES = {"W": "!", "Z": "L"}


# --- XML --------------------------------------------------------------------------------------

def rows(root: Element, table: str) -> list[dict[str, str]]:
    """The rows of one table of a LimeSurvey XML document, as ``{field: text}``."""
    return [{child.tag: child.text or "" for child in row}
            for row in root.findall(f"{table}/rows/row")]


@dataclass
class Document:
    """One XML file of an archive, its type and DBVersion checked."""

    file: str
    root: Element
    version: int

    def tables(self) -> dict[str, list[dict[str, str]]]:
        return {table: rows(self.root, table) for table in TABLES}

    @property
    def l10ns(self) -> bool:
        return self.root.find("question_l10ns") is not None

    @property
    def languages(self) -> list[str]:
        return [(e.text or "").strip() for e in self.root.findall("languages/language")
                if (e.text or "").strip()]


def read_document(data: bytes, file: str, doc_type: str | tuple[str, ...]) -> Document:
    root = parse_xml(data, file)
    found = (root.findtext("LimeSurveyDocType") or "").strip()
    expected = (doc_type,) if isinstance(doc_type, str) else doc_type
    if root.tag != "document" or found not in expected:
        raise fail(file, _("not a LimeSurvey file of type %(expected)s (found “%(found)s”)")
                   % {"expected": " / ".join(expected), "found": found or root.tag},
                   where="<LimeSurveyDocType>")
    raw = (root.findtext("DBVersion") or "").strip()
    if not raw.isdigit():
        raise fail(file, _("no DBVersion: the LimeSurvey version that wrote it is unknown"),
                   where="<DBVersion>")
    version = int(raw)
    if version not in SUPPORTED_VERSIONS:
        raise fail(file, _("DBVersion %(version)d is not supported (Phare reads LimeSurvey 1.91 "
                           "to 6: DBVersion %(low)d to %(high)d)")
                   % {"version": version, "low": SUPPORTED_VERSIONS.start,
                      "high": SUPPORTED_VERSIONS.stop - 1})
    return Document(file, root, version)


def _int(value: Any, default: int = 0) -> int:
    try:
        return int(str(value).strip())
    except (TypeError, ValueError):
        return default


# --- the structure ----------------------------------------------------------------------------

class Structure:
    """A structure read into groups, questions, subquestions, answers and attributes.

    ``tables`` are the file's tables as rows of ``{field: text}``; ``l10ns`` says whether the
    texts are in the ``*_l10ns`` tables (else inline, one row per language). A group file has
    no survey settings: its survey id comes from its group, its language from ``languages``.
    """

    def __init__(self, file: str, version: int, tables: dict[str, list[dict[str, str]]], *,
                 l10ns: bool, languages: list[str] | None = None, group: bool = False,
                 sid: str = "") -> None:
        self.file = file
        self.tables = tables
        self._made = (version, l10ns, languages, group, sid)
        surveys = tables.get("surveys") or []
        if not surveys and not group:
            raise fail(self.file, _("the survey's settings are missing"), where="<surveys>")
        settings_row = surveys[0] if surveys else {}
        groups = tables.get("groups") or []
        self.sid = sid or (settings_row.get("sid") or (groups[0].get("sid", "")
                                                       if groups else "")).strip()
        if not sid and not self.sid.isdigit():
            raise fail(self.file, _("the survey id is missing or not a number"),
                       where="<surveys>/<sid>")
        self.base = settings_row.get("language", "").strip() or \
            next(iter(languages or []), "") or "en"
        # LimeSurvey before 1.90 (and its oldest exports) named anonymity "private".
        self.anonymous = (settings_row.get("anonymized") or settings_row.get("private")
                          or "N").strip().upper() == "Y"
        self.datestamp = settings_row.get("datestamp", "N").strip().upper() == "Y"
        self.texts = {row.get("surveyls_language", ""): row
                      for row in tables.get("surveys_languagesettings") or []}
        #: Every language of the survey, its base first (``additional_languages`` are
        #: space-separated).
        self.languages = source_languages(
            [self.base, *(settings_row.get("additional_languages") or "").split(),
             *(languages or []), *self.texts])
        inline = not l10ns
        if version >= L10NS_FROM and inline and tables.get("questions"):
            raise fail(self.file, _("DBVersion %(version)d keeps question texts in "
                                    "<question_l10ns>, which is missing")
                       % {"version": version}, where="<question_l10ns>")
        self._read_groups(inline)
        self._read_questions(inline)
        self._read_answers(inline)
        self.attributes: dict[str, dict[str, str]] = defaultdict(dict)
        #: Attributes given per language (a dual scale's headers…): qid → name → language → text.
        self.attribute_texts: dict[str, dict[str, dict[str, str]]] = defaultdict(
            lambda: defaultdict(dict))
        for row in tables.get("question_attributes") or []:
            if not row.get("language"):
                self.attributes[row.get("qid", "")][row.get("attribute", "")] = \
                    row.get("value", "").strip()
            else:
                self.attribute_texts[row.get("qid", "").strip()][row.get("attribute", "")][
                    row.get("language", "")] = plain_text(row.get("value"))

    def aliased(self, language: str) -> Structure:
        """The same structure read with ``language`` as English (:func:`.plan.alias_of`)."""
        rename = alias_of(language)
        fields = ("language", "surveyls_language")
        tables = {name: [{key: rename(value) if key in fields and value else value
                          for key, value in row.items()} for row in rows]
                  for name, rows in self.tables.items()}
        version, l10ns, languages, group, sid = self._made
        return Structure(self.file, version, tables, l10ns=l10ns, group=group, sid=sid,
                         languages=[rename(code) for code in languages or []])

    @classmethod
    def of(cls, doc: Document, *, group: bool = False) -> Structure:
        return cls(doc.file, doc.version, doc.tables(), l10ns=doc.l10ns,
                   languages=doc.languages, group=group)

    def _is_base(self, row: dict[str, str]) -> bool:
        return language_of(row.get("language")) == language_of(self.base)

    def _read_groups(self, inline: bool) -> None:
        self.group_names: dict[str, dict[str, str]] = defaultdict(dict)
        self.group_relevance: dict[str, str] = {}
        order: dict[str, int] = {}
        source = self.tables.get("groups") or []
        names = source if inline else self.tables.get("group_l10ns") or []
        for row in source:
            gid = row.get("gid", "").strip()
            if gid not in order or self._is_base(row):
                order[gid] = _int(row.get("group_order"))
                self.group_relevance[gid] = row.get("grelevance", "").strip()
        for row in names:
            self.group_names[row.get("gid", "").strip()][row.get("language", "")] = \
                plain_text(row.get("group_name"))
        self.groups = sorted(order, key=lambda gid: (order[gid], _int(gid)))

    def _read_questions(self, inline: bool) -> None:
        by_qid: dict[str, dict[str, str]] = {}
        self.question_texts: dict[str, dict[str, tuple[str, str]]] = defaultdict(dict)
        for row in (self.tables.get("questions") or []) + (self.tables.get("subquestions") or []):
            qid = row.get("qid", "").strip()
            kind = row.get("type", "").strip()
            if kind in OLD_TYPES:
                row = {**row, "type": OLD_TYPES[kind]}
            if qid not in by_qid or (inline and self._is_base(row)):
                by_qid[qid] = row
            if inline:
                self.question_texts[qid][row.get("language", "")] = (
                    plain_text(row.get("question")), plain_text(row.get("help")))
        if not inline:
            for row in self.tables.get("question_l10ns") or []:
                self.question_texts[row.get("qid", "").strip()][row.get("language", "")] = (
                    plain_text(row.get("question")), plain_text(row.get("help")))

        def order(row: dict[str, str]) -> tuple[int, int, int]:
            return (_int(row.get("scale_id")), _int(row.get("question_order")),
                    _int(row.get("qid")))

        self.questions = sorted((row for row in by_qid.values()
                                 if _int(row.get("parent_qid")) == 0), key=order)
        self.subquestions: dict[str, list[dict[str, str]]] = defaultdict(list)
        for row in sorted(by_qid.values(), key=order):
            if _int(row.get("parent_qid")) != 0:
                self.subquestions[row["parent_qid"].strip()].append(row)

    def _read_answers(self, inline: bool) -> None:
        # (qid, scale_id) → [(code, {language: text})], by sort order.
        found: dict[tuple[str, int], dict[str, tuple[int, dict[str, str]]]] = defaultdict(dict)
        labels: dict[str, dict[str, str]] = defaultdict(dict)
        if not inline:
            for row in self.tables.get("answer_l10ns") or []:
                labels[row.get("aid", "").strip()][row.get("language", "")] = \
                    plain_text(row.get("answer"))
        for row in self.tables.get("answers") or []:
            key = (row.get("qid", "").strip(), _int(row.get("scale_id")))
            code = row.get("code", "").strip()
            sort, texts = found[key].get(code, (_int(row.get("sortorder")), {}))
            if inline:
                texts[row.get("language", "")] = plain_text(row.get("answer"))
            else:
                texts.update(labels.get(row.get("aid", "").strip(), {}))
            found[key][code] = (sort, texts)
        self.answers = {key: [(code, texts) for code, (_sort, texts)
                              in sorted(codes.items(), key=lambda item: item[1][0])]
                        for key, codes in found.items()}

    def text(self, qid: str) -> tuple[tuple[str, str], tuple[str, str]]:
        """((question fr, en), (help fr, en)) of a question or subquestion."""
        texts = self.question_texts.get(qid, {})
        return (bilingual({lang: pair[0] for lang, pair in texts.items()}, self.base),
                bilingual({lang: pair[1] for lang, pair in texts.items()}, self.base))

    def survey_text(self, name: str) -> tuple[str, str]:
        return bilingual({lang: plain_text(row.get(name)) for lang, row in self.texts.items()},
                         self.base)


# --- files ------------------------------------------------------------------------------------

def read_structure(data: bytes, name: str) -> SurveyPlan:
    """A survey structure alone (a ``.lss`` file): questions, no responses."""
    structure = Structure.of(read_document(data, name, "Survey"))
    return plan_of(structure)


def read_group(data: bytes, name: str) -> SurveyPlan:
    """A question-group file (``.lsg``): one group's questions, as a survey of their own."""
    structure = Structure.of(read_document(data, name, "Group"), group=True)
    plan = plan_of(structure)
    if plan.sections and not structure.texts:
        plan.title_fr, plan.title_en = plan.sections[0]
        plan.title_fr = plan.title_fr or f"LimeSurvey {structure.sid}"
        for language, texts in plan.section_translations.get(0, {}).items():
            plan.translations[language] = {"title": texts["title"]}
    plan.source = f"limesurvey:{structure.sid}:group:{','.join(structure.groups)}"
    return plan


def read_archive(data: bytes, name: str) -> SurveyPlan:
    """A survey archive (``.lsa``): the structure, its responses, participants counted."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise fail(name, _("not a LimeSurvey archive: the file cannot be opened as a .zip "
                           "(%(error)s)") % {"error": exc}) from None
    with archive:
        members: dict[str, list[zipfile.ZipInfo]] = defaultdict(list)
        for info in archive.infolist():
            if not info.is_dir():
                members[posixpath.splitext(info.filename)[1].lower()].append(info)
        for extension in (".lss", ".lsr", ".lst"):
            if len(members[extension]) > 1:
                raise fail(name, _("the archive holds several %(ext)s files (%(names)s): "
                                   "export one survey per archive") % {
                    "ext": extension, "names": ", ".join(
                        posixpath.basename(i.filename) for i in members[extension])})
        if not members[".lss"]:
            raise fail(name, _("not a LimeSurvey archive: no .lss file"))
        structure = Structure.of(read_document(_member(archive, members[".lss"][0], name),
                                               _base(members[".lss"][0]), "Survey"))
        plan = plan_of(structure)
        if members[".lsr"]:
            info = members[".lsr"][0]
            read_responses(read_document(_member(archive, info, name), _base(info),
                                         "Responses"), structure, plan)
        if members[".lst"]:
            info = members[".lst"][0]
            tokens = read_document(_member(archive, info, name), _base(info), "Tokens")
            plan.participants = len(tokens.root.findall("tokens/rows/row"))
            if plan.participants:
                plan.items.append(note(_("participants not imported: %(count)d")
                                       % {"count": plan.participants}))
        if members[".lsi"]:
            plan.items.append(note(gettext_lazy("response timings not imported")))
    return plan


def _base(info: zipfile.ZipInfo) -> str:
    return posixpath.basename(info.filename)


def _member(archive: zipfile.ZipFile, info: zipfile.ZipInfo, name: str) -> bytes:
    limit = settings.PHARE_MAX_IMPORT_BYTES
    try:
        with archive.open(info) as stream:
            data = stream.read(limit + 1)  # the declared size may lie: read no further
    except (zipfile.BadZipFile, OSError, RuntimeError, EOFError, zlib.error) as exc:  # damaged
        raise fail(name, _("%(member)s cannot be read from the archive (%(error)s)")
                   % {"member": _base(info), "error": exc}) from None
    if len(data) > limit:
        raise fail(name, _("%(member)s is larger than the import limit once unpacked")
                   % {"member": _base(info)})
    return data


def plan_of(structure: Structure) -> SurveyPlan:
    """The structure's plan, with its texts in every language it has: French and English in
    their fields, the others (read by an alias run each) in the translations."""
    plan = _plan_of(structure)
    plan.languages = list(structure.languages)
    for language in structure.languages:
        if language not in COLUMNS:
            add_translation(plan, _plan_of(structure.aliased(language)), language)
    return plan


def _plan_of(structure: Structure) -> SurveyPlan:
    title_fr, title_en = structure.survey_text("surveyls_title")
    description = structure.survey_text("surveyls_description")
    welcome = structure.survey_text("surveyls_welcometext")
    thanks_fr, thanks_en = structure.survey_text("surveyls_endtext")
    plan = SurveyPlan(
        file=structure.file, source=f"limesurvey:{structure.sid}",
        title_fr=title_fr or f"LimeSurvey {structure.sid}", title_en=title_en,
        intro_fr=welcome[0] or description[0], intro_en=welcome[1] or description[1],
        thanks_fr=thanks_fr, thanks_en=thanks_en, anonymous=structure.anonymous)
    Mapper(structure, plan).map_all()
    return plan


# --- responses --------------------------------------------------------------------------------

def _field_name(tag: str) -> str:
    """The response column of an ``.lsr`` element name (``_1X2X3SQ001-0`` → ``1X2X3SQ001#0``)."""
    if tag.startswith("_") and tag[1:2].isdigit():
        tag = tag[1:]
    if _COLUMN.match(tag):
        tag = tag.replace("-", "#")
    return tag


def read_responses(doc: Document, structure: Structure, plan: SurveyPlan) -> None:
    """Add the complete responses of a ``.lsr`` file to the plan (incomplete ones counted)."""
    fields = [(f.text or "").strip() for f in doc.root.findall("responses/fields/fieldname")]
    others = sorted({m.group(1) for f in fields if (m := _COLUMN.match(f))} - {structure.sid})
    if others:
        raise fail(doc.file, _("these responses belong to survey %(other)s, not to survey "
                               "%(sid)s") % {"other": ", ".join(others), "sid": structure.sid},
                   where="<fields>")
    if "ipaddr" in fields:
        plan.items.append(note(gettext_lazy("IP addresses not imported")))
    undated = False
    today = timezone.localdate()
    for index, element in enumerate(doc.root.findall("responses/rows/row"), start=1):
        row = {_field_name(child.tag): child.text or "" for child in element
               if child.tag not in PERSONAL}
        response_id = row.get("id", "").strip() or str(index)
        label = _("response %(id)s") % {"id": response_id}
        submitted = row.get("submitdate", "").strip()
        if not submitted:
            plan.incomplete += 1
            continue
        day, moment = today, None
        if structure.datestamp and not submitted.startswith(NO_DATE):
            try:
                moment = dt.datetime.fromisoformat(submitted)
            except ValueError:
                plan.problems.append(ImportProblem(doc.file, f"{label}, submitdate", _(
                    "“%(value)s” is not a date and time") % {"value": submitted}))
                continue
            if timezone.is_naive(moment):
                moment = timezone.make_aware(moment)
            day = timezone.localdate(moment)
        else:
            undated = True
        answers = plan.read_answers(row, doc.file, label)
        # The language answered in, when the survey has it (else its base language).
        language = language_of(row.get("startlanguage"))
        if language not in structure.languages:
            language = structure.languages[0] if structure.languages else "fr"
        plan.responses.append(ResponsePlan(
            file=doc.file, label=label, answers=answers, submitted_on=day, submitted_at=moment,
            source_id=response_id, language=language))
    if undated:
        plan.items.append(note(gettext_lazy(
            "LimeSurvey kept no submission dates for this survey: the responses are dated "
            "the day of the import")))
    if plan.incomplete:
        plan.items.append(note(_("incomplete responses not imported: %(count)d")
                               % {"count": plan.incomplete}))

