"""Qualtrics responses exported as CSV (both layouts), matched to their .qsf.

The files in ``data/`` were written for these tests to Qualtrics' documented layouts: the
current export (export tags, question texts, then the ImportId of each column as JSON) with
recode values, and the legacy export (``V1``…``V10`` then export tags, over a row of texts)
with choice texts.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from pathlib import Path

import pytest
from django.utils.translation import gettext

from phare.listening.imports import SurveyImportError, import_survey
from phare.listening.models import Question, Response, Survey

DATA = Path(__file__).parent / "data"


def data(name: str) -> bytes:
    return (DATA / name).read_bytes()


def feedback(responses: str | None, content: bytes | None = None, **options):
    files = [("qualtrics_feedback.qsf", data("qualtrics_feedback.qsf"))]
    if responses:
        files.append((responses, content if content is not None else data(responses)))
    return import_survey(files, **options)


def questions_of(survey: Survey) -> dict[str, Question]:
    return {q.code: q for q in survey.current_version().questions.all()}


def test_the_current_csv_layout_with_recode_values(db):
    report = feedback("qualtrics_feedback_values.csv")
    survey = report.survey
    assert (report.responses_imported, report.incomplete_skipped) == (2, 1)
    # Recode values are the option codes: exports carry 5 / 3 / 1, as the analysts know them.
    assert [o["code"] for o in questions_of(survey)["q1"].options] == ["5", "3", "1"]
    first = survey.responses.get(source_id="R_aaaaaaaaaaaaaa1")
    assert first.answers == {"q1": "5", "q2": ["1", "3"], "q2_3_text": "Teams chat",
                             "q3": "Quick, thanks", "q4_speed": 5, "q4_quality": 4,
                             "q5": ["1", "2"]}
    # The time zone of the ImportId row: 09:12:31 in Paris.
    assert first.submitted_at == dt.datetime(2024, 3, 4, 8, 12, 31, tzinfo=dt.UTC)
    assert first.language == "fr"
    second = survey.responses.get(source_id="R_aaaaaaaaaaaaaa2")
    # A rank order: the rank of each choice, read back as the choices best first.
    assert second.answers == {"q1": "1", "q2": ["2", "4"], "q4_speed": 2, "q4_quality": 3,
                              "q5": ["2", "1"]}
    # Nothing of who answered, or from where.
    stored = json.dumps([r.answers for r in survey.responses.all()])
    assert "192.0.2" not in stored and "48.85" not in stored


def test_the_legacy_csv_layout_with_choice_texts(db):
    report = feedback("qualtrics_feedback_legacy.csv")
    survey = report.survey
    assert (report.responses_imported, report.incomplete_skipped) == (2, 1)
    first = survey.responses.get(source_id="R_bbbbbbbbbbbbbb1")
    # Texts are matched to the choices; a matrix row's own export tag ("speed") too.
    assert first.answers == {"q1": "5", "q2": ["1", "3"], "q2_3_text": "Walk-in",
                             "q3": "Fine, really", "q4_speed": 5, "q4_quality": 5,
                             "q5": ["1", "2"]}
    assert first.submitted_on == dt.date(2014, 3, 5)
    assert survey.responses.get(source_id="R_bbbbbbbbbbbbbb2").answers["q1"] == "1"


def test_an_unsplit_multiple_choice_column_is_read(db):
    rows = list(csv.reader(io.StringIO(data("qualtrics_feedback_values.csv").decode())))
    # One column for the question ("Split multi-value fields into columns" unticked).
    rows[0][18], rows[2][18] = "Q2", json.dumps({"ImportId": "QID2"})
    rows[3][18] = "Phone,E-mail"
    rows = [row[:19] + row[22:] for row in rows]
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    content = out.getvalue().encode()
    first = feedback("unsplit.csv", content).survey.responses.get(source_id="R_aaaaaaaaaaaaaa1")
    assert first.answers["q2"] == ["1", "2"]


def test_what_the_qsf_does_that_phare_does_not_is_reported_by_question(db):
    report = feedback(None)
    notes = {(item.code, item.reason) for item in report.notes}
    assert ("Q1", gettext("display condition of choice “%(choice)s” not imported")
            % {"choice": "Not satisfied"}) in notes
    assert ("Q1", gettext("random order of the choices not imported")) in notes
    assert ("Q2", gettext("choice %(choice)s is an image only: imported as “%(choice)s”")
            % {"choice": "4"}) in notes
    flow = [item.reason for item in report.notes if item.code in ("FL_3", "FL_4")]
    assert flow == [
        gettext("survey flow branch not imported: its blocks are shown to everyone "
                "(%(blocks)s)") % {"blocks": "Follow-up"},
        gettext("randomiser not imported: its blocks are all shown, in order (%(blocks)s)")
        % {"blocks": "Follow-up"}]
    assert not report.unsupported  # the file upload is a question; its files are not kept
    assert ("Q6", gettext("uploaded files not imported: only how many each respondent "
                          "gave")) in notes


def refused(responses: str, content: bytes) -> SurveyImportError:
    before = Survey.objects.count(), Response.objects.count()
    with pytest.raises(SurveyImportError) as caught:
        feedback(responses, content)
    assert (Survey.objects.count(), Response.objects.count()) == before
    return caught.value


def test_a_bad_value_is_refused_with_its_line_and_column(db):
    text = data("qualtrics_feedback_values.csv").decode().replace(
        "anonymous,FR,5,", "anonymous,FR,7,")
    error = refused("r.csv", text.encode())
    assert [(e.file, e.where.split(", ")[0], e.where.split(", ")[1]) for e in error.errors] == [
        ("r.csv", gettext("line %(line)d (%(id)s)") % {"line": 4, "id": "R_aaaaaaaaaaaaaa1"},
         "QID1 (q1)")]


@pytest.mark.parametrize(("content", "reason"), [
    (b"a,b\n1,2\n3,4\n", "not a Qualtrics CSV export"),
    (b"Q1\n", "not a Qualtrics CSV export"),
    (b"\xff\xfeQ\x001\x00", "not UTF-8"),
])
def test_files_that_are_no_qualtrics_csv_are_refused(db, content, reason, english):
    error = refused("r.csv", content)
    assert error.errors[0].file == "r.csv" and error.errors[0].reason.startswith(reason)


def test_a_row_longer_than_the_header_is_refused_with_its_line(db):
    text = data("qualtrics_feedback_legacy.csv").decode().rstrip("\n") + ",extra\n"
    error = refused("r.csv", text.encode())
    assert [e.line for e in error.errors] == [5]


def test_sliders_with_decimals_and_constant_sums_take_phare_kinds(db):
    document = json.loads(data("qualtrics_feedback.qsf"))
    for element in document["SurveyElements"]:
        if element["Element"] == "BL":
            element["Payload"][1]["BlockElements"] += [
                {"Type": "Question", "QuestionID": "QID7"},
                {"Type": "Question", "QuestionID": "QID8"}]
    document["SurveyElements"] += [
        {"Element": "SQ", "Payload": {
            "QuestionID": "QID7", "DataExportTag": "Q7", "QuestionType": "Slider",
            "Selector": "HSLIDER", "QuestionText": "How sure are you?",
            "Configuration": {"CSSliderMin": 0, "CSSliderMax": 10, "NumDecimals": "1"},
            "Choices": {"1": {"Display": "Sure"}}, "ChoiceOrder": ["1"]}},
        {"Element": "SQ", "Payload": {
            "QuestionID": "QID8", "DataExportTag": "Q8", "QuestionType": "CS",
            "Selector": "VRTL", "QuestionText": "Share 100 points",
            "Validation": {"Settings": {"Type": "ChoicesTotal", "ChoiceTotal": "100"}},
            "Choices": {"1": {"Display": "Speed"}, "2": {"Display": "Price"}},
            "ChoiceOrder": ["1", "2"]}}]
    rows = [["ResponseId", "Finished", "Q7_1", "Q8_1", "Q8_2"],
            ["Response ID", "Finished", "Sure", "Speed", "Price"],
            [json.dumps({"ImportId": name}) for name in (
                "_recordId", "finished", "QID7_1", "QID8_1", "QID8_2")],
            ["R_c1", "1", "7.5", "60", "40"]]
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    report = import_survey([("s.qsf", json.dumps(document).encode()),
                            ("r.csv", out.getvalue().encode())])
    questions = questions_of(report.survey)
    assert (questions["q7_1"].type, questions["q7_1"].settings) == (
        "slider", {"min": 0, "max": 10, "step": 0.1, "decimals": 1})
    assert (questions["q8"].type, questions["q8"].settings["total"]) == ("constsum", 100)
    answers = report.survey.responses.get().answers
    assert (answers["q7_1"], answers["q8"]) == (7.5, {"1": 60, "2": 40})
