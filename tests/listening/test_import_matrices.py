"""Dual scales, side by side, text-entry, constant-sum and rank-order matrices, file uploads.

``data/limesurvey_206_dual.lss`` (+ ``_responses.lsr``) is a LimeSurvey 2.06 survey (DBVersion
178, German and Italian) written for these tests to the layout LimeSurvey's importer reads: a
dual-scale array (type ``1``, answers on scale 0 and 1, headers as per-language attributes,
response columns ``<sid>X<gid>X<qid><row>#<scale>``) and a file upload (``|``, its
``_filecount`` column). ``data/qualtrics_matrices.qsf`` (+ ``.csv``, the current export with
its ImportId row) has a side by side (``QID1#<column>_<row>``), a numeric and a text matrix
(``QID2_<row>_<answer>``), a constant-sum and a rank-order matrix (``QID4_<row>``), a file
upload (``QID6_FILE_ID``…) and a text entry validated as a number (``QID7_TEXT``), to the
column names Qualtrics exports.
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from pathlib import Path

import pytest
from django.utils.translation import gettext

from phare.listening.imports import SurveyImportError, import_survey
from phare.listening.models import Question, Survey

DATA = Path(__file__).parent / "data"
UPLOAD_NOTE = "uploaded files not imported: only how many each respondent gave"


def data(name: str) -> bytes:
    return (DATA / name).read_bytes()


def questions_of(survey: Survey) -> dict[str, Question]:
    return {q.code: q for q in survey.current_version().questions.all()}


def in_order(survey: Survey) -> dict[str, dict]:
    """The answers of each response, "1", "2"… by submission (anonymous: no source ids)."""
    return {str(n): r.answers for n, r in enumerate(
        survey.responses.order_by("submitted_on", "pk"), start=1)}


def limesurvey():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as packed:
        packed.writestr("survey_318274.lss", data("limesurvey_206_dual.lss"))
        packed.writestr("survey_318274_responses.lsr",
                        data("limesurvey_206_dual_responses.lsr"))
    return import_survey([("survey_archive_318274.lsa", out.getvalue())])


def qualtrics(responses: tuple[str, bytes] | None = None, qsf: bytes | None = None):
    files = [("qualtrics_matrices.qsf", qsf or data("qualtrics_matrices.qsf"))]
    files.append(responses or ("qualtrics_matrices.csv", data("qualtrics_matrices.csv")))
    return import_survey(files)


def test_a_limesurvey_dual_scale_keeps_both_scales_and_their_answers(db):
    report = limesurvey()
    questions = questions_of(report.survey)
    assert [(code, q.type) for code, q in questions.items()] == [
        ("dual", "dualscale"), ("card", "upload"), ("missing", "text"), ("often", "single")]
    dual = questions["dual"]
    assert dual.required
    assert [o["code"] for o in dual.options] == ["sq1", "sq2"]
    scales = dual.settings["scales"]
    # The headers (dualscale_headerA/B, one row per language) name the scales.
    assert [(s["code"], s["label_fr"]) for s in scales] == [
        ("s1", "Wichtigkeit"), ("s2", "Zufriedenheit")]
    assert [c["code"] for c in scales[0]["choices"]] == ["a1", "a2"]
    assert [c["code"] for c in scales[1]["choices"]] == ["b1", "b2", "b3"]
    assert not report.unsupported
    answers = in_order(report.survey)
    # 318274X7X21SQ1#0 = A2 and SQ1#1 = B3; SQ2#1 left empty.
    assert answers["1"]["dual"] == {"sq1": {"s1": "a2", "s2": "b3"}, "sq2": {"s1": "a1"}}
    assert answers["2"]["dual"] == {"sq1": {"s2": "b1"}, "sq2": {"s1": "a2", "s2": "b2"}}


def test_a_limesurvey_file_upload_keeps_the_count_and_says_the_files_are_not_imported(db):
    report = limesurvey()
    card = questions_of(report.survey)["card"]
    assert (card.type, card.required) == ("upload", False)
    answers = in_order(report.survey)
    assert answers["1"]["card"] == 2  # the file names and sizes are not read
    assert "karte.png" not in str(answers)
    assert ("card", gettext(UPLOAD_NOTE)) in {(i.code, i.reason) for i in report.notes}


def test_a_dual_scale_answer_outside_its_scale_is_refused_by_column(db):
    responses = data("limesurvey_206_dual_responses.lsr").replace(
        b"<_318274X7X21SQ1-1><![CDATA[B3]]>", b"<_318274X7X21SQ1-1><![CDATA[A1]]>")
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as packed:
        packed.writestr("survey_318274.lss", data("limesurvey_206_dual.lss"))
        packed.writestr("survey_318274_responses.lsr", responses)
    with pytest.raises(SurveyImportError) as caught:
        import_survey([("survey_archive_318274.lsa", out.getvalue())])
    problem = str(caught.value.errors[0])
    assert "318274X7X21SQ1#1 (dual)" in problem and "A1" in problem and "(B1, B2, B3)" in problem
    assert not Survey.objects.exists()


def test_qualtrics_matrices_take_phare_kinds_with_their_settings(db):
    report = qualtrics()
    questions = questions_of(report.survey)
    assert [(code, q.type) for code, q in questions.items()] == [
        ("q1", "dualscale"), ("q1_3", "textarray"), ("q2", "numarray"), ("q3", "textarray"),
        ("q4", "multinum"), ("q5", "ranking"), ("q6", "upload"), ("q7", "numeric")]
    scales = questions["q1"].settings["scales"]
    # One scale per single-choice column, its choices coded by their recode values.
    assert [(s["label_en"], [c["code"] for c in s["choices"]]) for s in scales] == [
        ("Importance", ["1", "5"]), ("Satisfaction", ["1", "2", "3"])]
    assert questions["q1_3"].text_en == "The library, side by side — Why?"
    assert [c["label_en"] for c in questions["q1_3"].columns] == ["Reason"]
    # ValidNumber makes the text-entry matrix a matrix of numbers, with its bounds.
    assert questions["q2"].settings == {"decimals": 1, "min": 0, "max": 168}
    assert [c["label_en"] for c in questions["q2"].columns] == ["Hours", "Visits"]
    assert questions["q3"].settings == {}
    assert questions["q4"].settings == {"decimals": 6, "total": 100}
    # A text entry validated as a number is a number input.
    assert questions["q7"].settings == {"decimals": 0, "min": 0, "max": 60}
    assert [o["label_en"] for o in questions["q5"].options] == ["Loans", "Wi-Fi", "Workshops"]
    # The side by side's column of several answers per statement is said, not imported.
    notes = {(item.code, item.reason) for item in report.notes}
    assert ("Q1", gettext("columns not imported (several answers per statement, or no "
                          "choices): %(columns)s") % {"columns": "Used by"}) in notes
    assert ("Q6", gettext(UPLOAD_NOTE)) in notes
    assert not report.unsupported


def test_qualtrics_matrix_answers_land_in_their_cells(db):
    survey = qualtrics().survey
    first, second = in_order(survey).values()
    assert first["q1"] == {"1": {"s1": "5", "s2": "3"}, "2": {"s1": "1", "s2": "2"}}
    assert first["q1_3"] == {"1": {"1": "Too short"}}
    assert first["q2"] == {"1": {"1": 4.5, "2": 2}, "2": {"1": 1, "2": 3}}
    assert first["q3"] == {"1": {"1": "Dune", "2": "Herbert"}}
    assert first["q4"] == {"1": 60, "2": 30, "3": 10}
    assert first["q5"] == ["2", "1", "3"]  # Wi-Fi ranked 1, Loans 2, Workshops 3
    assert first["q6"] == 1  # a file was given; not its name
    assert first["q7"] == 4
    assert second == {"q1": {"1": {"s1": "1", "s2": "1"}},
                      "q3": {"2": {"1": "Walden", "2": "Thoreau"}}, "q4": {"1": 100}}


def test_the_legacy_csv_names_side_by_side_columns_by_their_export_tags(db):
    rows = list(csv.reader(io.StringIO(data("qualtrics_matrices.csv").decode())))
    names, texts, answers = rows[0], rows[1], rows[3]
    legacy = io.StringIO()
    writer = csv.writer(legacy, lineterminator="\n")
    # V1…V10 for the response's own fields, then the export tags (Q1#1_1…), over their texts.
    fields = ["ResponseID", "ResponseSet", "Name", "ExternalDataReference", "EmailAddress",
              "IPAddress", "Status", "StartDate", "EndDate", "Finished"]
    writer.writerow([f"V{n}" for n in range(1, 11)] + names[6:])
    writer.writerow(fields + texts[6:])
    writer.writerow([answers[4], "Default Response Set", "Anonymous", "", "", "", "0",
                     answers[0], answers[1], "1"] + answers[6:])
    survey = qualtrics(("legacy.csv", legacy.getvalue().encode())).survey
    response = survey.responses.get()
    assert response.answers["q1"] == {"1": {"s1": "5", "s2": "3"}, "2": {"s1": "1", "s2": "2"}}
    assert response.answers["q1_3"] == {"1": {"1": "Too short"}}
    assert response.answers["q6"] == 1  # Q6_Id, the legacy name of QID6_FILE_ID
    assert response.answers["q7"] == 4  # Q7, the legacy name of QID7_TEXT


def test_a_constant_sum_or_rank_matrix_of_several_columns_gives_one_question_per_column(db):
    document = json.loads(data("qualtrics_matrices.qsf"))
    for element in document["SurveyElements"]:
        payload = element.get("Payload")
        if element["Element"] == "SQ" and payload["QuestionID"] in ("QID4", "QID5"):
            payload["Answers"] = {"1": {"Display": "This year"}, "2": {"Display": "Last year"}}
            payload["AnswerOrder"] = ["1", "2"]
    responses = data("qualtrics_matrices.csv").decode().replace(
        '""QID4_1""', '""QID4_1_2""').encode()
    report = qualtrics(("qualtrics_matrices.csv", responses), json.dumps(document).encode())
    questions = questions_of(report.survey)
    assert {code: q.type for code, q in questions.items() if code[:2] in ("q4", "q5")} == {
        "q4_1": "multinum", "q4_2": "multinum", "q5_1": "ranking", "q5_2": "ranking"}
    assert questions["q4_2"].text_en == "Share your 100 points — Last year"
    assert questions["q4_1"].settings == {"decimals": 6, "total": 100}
    # QID4_1_2: statement 1 in column 2 ("Last year").
    ordered = report.survey.responses.order_by("submitted_on", "pk")
    answers = [r.answers.get("q4_2") for r in ordered]
    assert answers == [{"1": 60}, {"1": 100}]
