"""Importing LimeSurvey archives: the reference files, their known values, and bad files."""

from __future__ import annotations

import datetime as dt
import io
import json
import zipfile
from pathlib import Path

import pytest
from django.utils.translation import gettext

from phare.directory.models import Person
from phare.listening.imports import SurveyImportError, import_survey
from phare.listening.models import Question, Response, Survey

REFERENCE = Path(__file__).resolve().parents[2].parent / "shared/reference/limesurvey"


def reference(name: str) -> bytes:
    path = REFERENCE / name
    if not path.is_file():
        pytest.skip(f"reference file absent: {path} (CI always has ../shared/reference)")
    return path.read_bytes()


def rebuilt(name: str, *, replace: dict[str, list[tuple[str, str]]] | None = None,
            drop: tuple[str, ...] = ()) -> bytes:
    """A reference archive with some members edited or left out."""
    source = zipfile.ZipFile(io.BytesIO(reference(name)))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for info in source.infolist():
            if info.filename.endswith(drop):
                continue
            text = source.read(info).decode("utf-8")
            for old, new in (replace or {}).get(info.filename.rsplit(".", 1)[-1], []):
                assert old in text, old
                text = text.replace(old, new)
            archive.writestr(info.filename, text)
    return out.getvalue()


def questions_of(survey: Survey) -> dict[str, Question]:
    return {q.code: q for q in survey.current_version().questions.all()}


@pytest.mark.parametrize(("name", "questions", "responses", "participants"), [
    ("survey_archive_124688.lsa", 9, 3, 0),
    ("survey_archive_969249.lsa", 10, 6, 100),
    ("survey_archive_862611.lsa", 56, 3, 15),
])
def test_it_imports_each_reference_archive(db, name, questions, responses, participants):
    report = import_survey([(name, reference(name))])
    survey = report.survey
    sid = name.removeprefix("survey_archive_").removesuffix(".lsa")
    assert survey.source == f"limesurvey:{sid}"
    assert survey.kind == Survey.Kind.PULSE
    assert survey.status == Survey.Status.CLOSED  # it brings responses
    assert survey.anonymity == Survey.Anonymity.CONFIDENTIAL  # LimeSurvey anonymized = N
    assert report.questions_imported == survey.current_version().questions.count() == questions
    assert report.responses_imported == survey.responses.count() == responses
    assert set(survey.responses.values_list("channel", flat=True)) == {"import"}
    assert report.participants_not_imported == participants
    assert sorted(survey.responses.values_list("source_id", flat=True)) == [
        str(n) for n in range(1, responses + 1)]


def test_it_lands_the_known_values_of_969249_response_1_on_the_right_questions(db):
    survey = import_survey([("survey_archive_969249.lsa",
                             reference("survey_archive_969249.lsa"))]).survey
    questions = questions_of(survey)
    answers = survey.responses.get(source_id="1").answers
    # 969249X14X162 = 4: the 5-point choice G01Q04.
    assert (questions["g01q04"].type, questions["g01q04"].scale_min,
            questions["g01q04"].scale_max) == ("scale", 1, 5)
    assert answers["g01q04"] == 4
    # 969249X14X167 = AO03: the list G01Q06, whose option AO03 reads "fhgh".
    single = questions["g01q06"]
    assert single.type == "single"
    assert [o["code"] for o in single.options] == ["ao01", "ao02", "ao03", "ao04"]
    assert answers["g01q06"] == "ao03"
    assert next(o for o in single.options if o["code"] == "ao03")["label_en"] == "fhgh"
    # 969249X14X158SQ001 = 10: the first line of the 10-point array G01Q03.
    line = questions["g01q03_sq001"]
    assert (line.type, line.scale_min, line.scale_max) == ("scale", 1, 10)
    assert answers["g01q03_sq001"] == 10
    assert "g01q03_sq003" not in answers  # left empty in LimeSurvey
    assert answers["g01q05_sq001"] == "asdasd"  # multiple short text: one text per line


def test_every_answered_type_of_862611_is_imported_its_dual_scale_with_both_scales(db):
    report = import_survey([("survey_archive_862611.lsa",
                             reference("survey_archive_862611.lsa"))])
    # Arrays of numbers and texts, dates, numerical inputs without whole-number bounds and
    # the dual scale take Phare's kinds (numarray, textarray, date, numeric, dualscale).
    assert not report.unsupported
    dual = questions_of(report.survey)["g01q10"]
    assert dual.type == "dualscale"
    assert [o["label_en"] for o in dual.options] == [
        "Ori and the blind forest", "Hollow Knight", "Celeste", "Nier: Automata"]
    # Its headers are empty in the file: the scales are named by their number.
    scales = dual.settings["scales"]
    assert [(s["code"], s["label_en"], len(s["choices"])) for s in scales] == [
        ("s1", "Scale 1", 3), ("s2", "Scale 2", 8)]
    dual_answers = {r.source_id: r.answers.get("g01q10")
                    for r in report.survey.responses.all()}
    # 862611X58X434SQ001#0 = AO03, SQ002#1 = AO02…: each row's answers on each scale.
    assert dual_answers == {"1": {"sq001": {"s1": "ao03"}, "sq002": {"s2": "ao02"},
                                  "sq003": {"s2": "ao05"}, "sq004": {"s2": "ao07"}},
                            "2": {"sq001": {"s1": "ao02"}, "sq004": {"s2": "ao05"}},
                            "3": None}
    questions = questions_of(report.survey)
    assert {code: questions[code].type for code in ("g01q06", "g01q07", "g05q23", "g01q26")} \
        == {"g01q06": "numarray", "g01q07": "textarray", "g05q23": "date",
            "g01q26": "numeric"}
    assert questions["g01q26"].settings == {"decimals": 6, "min": 0, "max": 15}
    answers = sorted((r.answers.get("g05q23", ""), r.answers.get("g01q07", {}).get("a9"))
                     for r in report.survey.responses.all())
    assert answers[-2:] == [("2021-07-18", {"sq001": "No", "sq002": "Much", "sq003": "No"}),
                            ("2021-07-29", {"sq002": "Test"})]
    assert report.as_dict()["unsupported_count"] == 0
    # Encrypted answers cannot be read: the question is there, its ciphertext is not.
    assert any(item.code == "G01Q15" for item in report.notes)
    assert all("g01q15" not in r.answers for r in report.survey.responses.all())


def test_the_types_of_862611_take_their_phare_shapes(db):
    survey = import_survey([("survey_archive_862611.lsa",
                             reference("survey_archive_862611.lsa"))]).survey
    questions = questions_of(survey)
    assert {code: q.type for code, q in questions.items() if code in (
        "g01q01_sq1", "g01q03_sq001", "g01q05_sq001", "g01q08_sq001", "g02q11", "g01q12",
        "g01q15_comment", "g03q16", "g01q18_sq002_comment", "g04q21_sq001", "g01q24",
        "g01q25_sq001", "g01q27")} == {
        "g01q01_sq1": "single", "g01q03_sq001": "scale", "g01q05_sq001": "single",
        "g01q08_sq001": "single", "g02q11": "scale", "g01q12": "single",
        "g01q15_comment": "text", "g03q16": "multiple", "g01q18_sq002_comment": "text",
        "g04q21_sq001": "text", "g01q24": "single", "g01q25_sq001": "scale", "g01q27": "single"}
    assert questions["g01q12"].allow_other and questions["g03q16"].allow_other
    assert (questions["g01q25_sq001"].scale_min, questions["g01q25_sq001"].scale_max) == (0, 10)
    assert [s.position for s in survey.current_version().sections.all()] == [1, 2, 3, 4, 5]
    first, second = (survey.responses.get(source_id=n).answers for n in ("1", "2"))
    assert first["g03q16"] == ["sq001", "other"] and first["g03q16.other"] == "more green"
    assert first["g01q18_sq002_comment"] == "chinese"
    assert first["g01q25_sq005"] == 9  # "9.0000000000"
    assert first["g01q05_sq001"] == "d" and first["g01q24"] == "m"
    assert second["g01q12"] == "other" and second["g01q12.other"] == "Tiramisu"


def test_it_never_stores_ip_addresses_tokens_or_participants(db):
    people = Person.objects.count()
    survey = import_survey([("survey_archive_862611.lsa",
                             reference("survey_archive_862611.lsa"))]).survey
    stored = json.dumps([list(Response.objects.values()), list(Survey.objects.values()),
                         list(Question.objects.values())], default=str)
    assert "172.18.0.1" not in stored
    assert "832bEzkKZIKiZej" not in stored  # response 1's token
    assert "ipaddr" not in stored
    assert Person.objects.count() == people
    assert all(r.respondent_id is None for r in survey.responses.all())


def test_an_anonymous_survey_keeps_only_the_day(db):
    dated = [("<datestamp><![CDATA[N]]>", "<datestamp><![CDATA[Y]]>")]
    days = [("1980-01-01 00:00:00", "2021-05-26 09:22:10")]
    anonymous = rebuilt("survey_archive_969249.lsa", replace={
        "lss": dated + [("<anonymized><![CDATA[N]]>", "<anonymized><![CDATA[Y]]>")],
        "lsr": days})
    survey = import_survey([("anonymous.lsa", anonymous)]).survey
    assert survey.is_anonymous
    assert {(r.submitted_on, r.submitted_at, r.source_id) for r in survey.responses.all()} == {
        (dt.date(2021, 5, 26), None, "")}
    confidential = rebuilt("survey_archive_969249.lsa", replace={"lss": dated, "lsr": days})
    survey = import_survey([("confidential.lsa", confidential)], as_copy=True).survey
    response = survey.responses.get(source_id="1")
    assert response.submitted_at is not None and response.submitted_on == dt.date(2021, 5, 26)


def test_undated_responses_are_dated_the_day_of_the_import(db):
    report = import_survey([("a.lsa", reference("survey_archive_124688.lsa"))])
    # datestamp = N: LimeSurvey wrote 1980-01-01 for every response.
    assert {r.submitted_on for r in report.survey.responses.all()} != {dt.date(1980, 1, 1)}
    assert {r.submitted_at for r in report.survey.responses.all()} == {None}


def test_incomplete_responses_are_counted_not_imported(db):
    # Response 2 without a submission date: LimeSurvey's "incomplete".
    archive = rebuilt("survey_archive_969249.lsa", replace={"lsr": [(
        "<id><![CDATA[2]]></id><token><![CDATA[piuVlu7aEvWwk59]]></token><submitdate>"
        "<![CDATA[1980-01-01 00:00:00]]></submitdate>",
        "<id><![CDATA[2]]></id><token><![CDATA[piuVlu7aEvWwk59]]></token><submitdate/>")]})
    report = import_survey([("a.lsa", archive)])
    assert (report.responses_imported, report.incomplete_skipped) == (5, 1)
    assert not report.survey.responses.filter(source_id="2").exists()


def test_a_structure_alone_makes_a_draft_without_responses(db):
    lss = zipfile.ZipFile(io.BytesIO(reference("survey_archive_969249.lsa"))).read(
        "survey_969249.lss")
    report = import_survey([("survey_969249.lss", lss)])
    assert report.survey.status == Survey.Status.DRAFT
    assert report.responses_imported == 0 and report.questions_imported == 10


def test_each_import_gets_its_own_identifier(db):
    data = reference("survey_archive_969249.lsa")
    first = import_survey([("a.lsa", data)]).survey
    second = import_survey([("a.lsa", data)], as_copy=True).survey
    assert (first.slug, second.slug) == ("conditions", "conditions-2")


# --- LimeSurvey 3 (texts inline) -------------------------------------------------------------

def _table(name: str, fields: list[str], rows: list[dict[str, str]]) -> str:
    body = "".join("<row>" + "".join(f"<{k}><![CDATA[{v}]]></{k}>" for k, v in row.items())
                   + "</row>" for row in rows)
    names = "".join(f"<fieldname>{f}</fieldname>" for f in fields)
    return f"<{name}><fields>{names}</fields><rows>{body}</rows></{name}>"


def inline_archive(version: int = 359, extra: tuple[tuple[str, str], ...] = ()) -> bytes:
    """A two-language LimeSurvey 3 survey: one list question (and ``extra`` (type, title)
    questions without answers), texts inline."""
    question = {"qid": "10", "parent_qid": "0", "sid": "555", "gid": "1", "type": "L",
                "title": "Q1", "other": "N", "mandatory": "Y", "question_order": "1",
                "scale_id": "0", "relevance": "1"}
    others = [{**question, "qid": str(20 + n), "type": kind, "title": title,
               "question_order": str(2 + n), "question": f"About {title}", "help": "",
               "language": "en"} for n, (kind, title) in enumerate(extra)]
    lss = (
        f"<?xml version='1.0' encoding='UTF-8'?><document>"
        f"<LimeSurveyDocType>Survey</LimeSurveyDocType><DBVersion>{version}</DBVersion>"
        "<languages><language>fr</language><language>en</language></languages>"
        + _table("answers", ["qid", "code", "answer", "sortorder", "language", "scale_id"], [
            {"qid": "10", "code": "A1", "answer": "Bien", "sortorder": "1", "language": "fr",
             "scale_id": "0"},
            {"qid": "10", "code": "A1", "answer": "Good", "sortorder": "1", "language": "en",
             "scale_id": "0"},
            {"qid": "10", "code": "A2", "answer": "<b>Mal</b>", "sortorder": "2",
             "language": "fr", "scale_id": "0"},
            {"qid": "10", "code": "A2", "answer": "Bad", "sortorder": "2", "language": "en",
             "scale_id": "0"}])
        + _table("groups", ["gid", "sid", "group_name", "group_order", "language"], [
            {"gid": "1", "sid": "555", "group_name": "Général", "group_order": "1",
             "language": "fr"},
            {"gid": "1", "sid": "555", "group_name": "General", "group_order": "1",
             "language": "en"}])
        + _table("questions", list(question) + ["question", "help", "language"], [
            {**question, "question": "<p>Comment ça va&nbsp;?</p>", "help": "", "language": "fr"},
            {**question, "question": "How are you?", "help": "", "language": "en"}, *others])
        + _table("surveys", ["sid", "language", "additional_languages", "anonymized",
                             "datestamp"], [
            {"sid": "555", "language": "fr", "additional_languages": "en", "anonymized": "Y",
             "datestamp": "Y"}])
        + _table("surveys_languagesettings", ["surveyls_survey_id", "surveyls_language",
                                              "surveyls_title"], [
            {"surveyls_survey_id": "555", "surveyls_language": "fr", "surveyls_title": "Humeur"},
            {"surveyls_survey_id": "555", "surveyls_language": "en", "surveyls_title": "Mood"}])
        + "</document>")
    lsr = (
        f"<?xml version='1.0' encoding='UTF-8'?><document>"
        f"<LimeSurveyDocType>Responses</LimeSurveyDocType><DBVersion>{version}</DBVersion>"
        "<responses><fields><fieldname>id</fieldname><fieldname>submitdate</fieldname>"
        "<fieldname>startlanguage</fieldname><fieldname>555X1X10</fieldname></fields><rows>"
        "<row><id>1</id><submitdate>2020-03-02 10:00:00</submitdate>"
        "<startlanguage>en</startlanguage><_555X1X10>A2</_555X1X10></row>"
        "</rows></responses></document>")
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("survey_555.lss", lss)
        archive.writestr("survey_555_responses.lsr", lsr)
    return out.getvalue()


def test_it_reads_limesurvey_3_texts_kept_inline(db):
    report = import_survey([("survey_archive_555.lsa", inline_archive())])
    survey = report.survey
    assert (survey.title_fr, survey.title_en, survey.is_anonymous) == ("Humeur", "Mood", True)
    question = questions_of(survey)["q1"]
    assert (question.text_fr, question.text_en, question.required) == (
        "Comment ça va ?", "How are you?", True)
    assert question.options == [{"code": "a1", "label_fr": "Bien", "label_en": "Good"},
                                {"code": "a2", "label_fr": "Mal", "label_en": "Bad"}]
    assert question.section.title_fr == "Général"
    response = survey.responses.get()
    assert (response.answers, response.language, response.submitted_on) == (
        {"q1": "a2"}, "en", dt.date(2020, 3, 2))


def test_types_without_an_equivalent_are_named_and_those_without_answers_skipped(db):
    report = import_survey([("a.lsa", inline_archive(extra=(
        ("R", "Rank"), ("|", "Upload"), ("X", "Intro"), ("*", "Total"), ("N", "Age"),
        ("1", "Dual"))))])
    assert {(item.code, item.type_name) for item in report.unsupported} == {
        ("Rank", gettext("Ranking") + " (" + gettext("no answer options") + ")"),
        ("Dual", gettext("Array dual scale") + " (" + gettext("no subquestions") + ")")}
    assert {(item.code, item.type_name) for item in report.skipped} == {
        ("Intro", gettext("Text display")), ("Total", gettext("Equation"))}
    questions = questions_of(report.survey)
    assert {code: q.type for code, q in questions.items()} == {
        "q1": "single", "upload": "upload", "age": "numeric"}
    assert questions["age"].settings == {"decimals": 6}  # no bounds, decimals allowed


# --- bad files: a clear error, and nothing written ------------------------------------------

def refused(files: list[tuple[str, bytes]]) -> SurveyImportError:
    before = Survey.objects.count(), Question.objects.count(), Response.objects.count()
    with pytest.raises(SurveyImportError) as caught:
        import_survey(files)
    assert (Survey.objects.count(), Question.objects.count(), Response.objects.count()) == before
    return caught.value


def test_a_corrupted_zip_is_refused(db):
    data = reference("survey_archive_969249.lsa")
    error = refused([("broken.lsa", data[:200] + b"\0" * 50 + data[250:])])
    assert error.errors[0].file == "broken.lsa"


def test_a_zip_without_lss_is_not_a_limesurvey_archive(db):
    error = refused([("answers.lsa", rebuilt("survey_archive_969249.lsa", drop=(".lss",)))])
    assert [(e.file, e.reason) for e in error.errors] == [
        ("answers.lsa", gettext("not a LimeSurvey archive: no .lss file"))]


@pytest.mark.parametrize("version", ["145", "700"])
def test_an_unknown_dbversion_is_refused_naming_the_file(db, version, english):
    archive = rebuilt("survey_archive_969249.lsa", replace={"lss": [
        ("<DBVersion>443</DBVersion>", f"<DBVersion>{version}</DBVersion>")]})
    error = refused([("a.lsa", archive)])
    assert error.errors[0].file == "survey_969249.lss"
    assert f"DBVersion {version}" in error.errors[0].reason
    assert str(error).startswith(f"survey_969249.lss: DBVersion {version}")


def test_an_inline_survey_is_refused_below_limesurvey_1_91(db):
    error = refused([("old.lsa", inline_archive(version=145))])
    assert error.errors[0].file == "survey_555.lss" and "145" in error.errors[0].reason


def test_malformed_xml_is_refused_with_its_line(db):
    archive = rebuilt("survey_archive_969249.lsa", replace={"lsr": [
        ("<rows><row>", "<rows><row><broken>")]})
    error = refused([("a.lsa", archive)])
    assert error.errors[0].file == "survey_969249_responses.lsr"
    assert error.errors[0].line == 2


def test_every_bad_value_is_listed_with_its_response_and_column(db):
    archive = rebuilt("survey_archive_969249.lsa", replace={"lsr": [
        ("<_969249X14X167><![CDATA[AO04]]>", "<_969249X14X167><![CDATA[AO09]]>"),
        ("<_969249X14X162><![CDATA[3]]>", "<_969249X14X162><![CDATA[7]]>")]})
    error = refused([("a.lsa", archive)])
    # Each names the LimeSurvey column and the Phare question it was going to.
    assert {e.where.split(", ")[1] for e in error.errors} == {
        "969249X14X167 (g01q06)", "969249X14X162 (g01q04)"}
    assert {e.file for e in error.errors} == {"survey_969249_responses.lsr"}
    assert all(e.where.startswith(gettext("response %(id)s") % {"id": 4})
               for e in error.errors)


def test_responses_of_another_survey_are_refused(db):
    archive = rebuilt("survey_archive_969249.lsa", replace={"lsr": [
        ("<fieldname>969249X14X156</fieldname>", "<fieldname>111111X14X156</fieldname>")]})
    error = refused([("a.lsa", archive)])
    assert error.errors[0].file == "survey_969249_responses.lsr"
    assert "111111" in error.errors[0].reason


def test_other_kinds_of_files_are_refused(db):
    error = refused([("survey.pdf", b"%PDF-1.4")])
    assert error.errors[0].file == "survey.pdf"
    error = refused([("a.lsa", reference("survey_archive_969249.lsa")),
                     ("responses.xml", b"<Responses/>")])
    assert error.errors[0].file == "responses.xml"
