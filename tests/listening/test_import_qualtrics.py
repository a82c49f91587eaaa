"""Importing Qualtrics surveys (.qsf) and their legacy XML responses."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.utils.translation import gettext

from phare.listening.imports import SurveyImportError, import_survey
from phare.listening.models import Question, Response, Survey

REFERENCE = Path(__file__).resolve().parents[2].parent / "shared/reference/qualtrics"


def reference(name: str) -> bytes:
    path = REFERENCE / name
    if not path.is_file():
        pytest.skip(f"reference file absent: {path} (CI always has ../shared/reference)")
    return path.read_bytes()


def sp_import(**changes):
    """The sp test survey with its responses (the qsf's JSON edited by ``changes``)."""
    qsf = reference("sp_test_survey.qsf")
    if changes:
        document = json.loads(qsf)
        for element in document["SurveyElements"]:
            if element["Element"] in changes:
                changes[element["Element"]](element["Payload"])
        qsf = json.dumps(document).encode()
    return import_survey([("sp_test_survey.qsf", qsf),
                          ("sp_test_responses.xml", reference("sp_test_responses.xml"))])


def questions_of(survey: Survey) -> dict[str, Question]:
    return {q.code: q for q in survey.current_version().questions.all()}


def test_it_imports_the_health_survey(db):
    report = import_survey([("qualtrics_health.qsf", reference("qualtrics_health.qsf"))])
    survey = report.survey
    assert survey.source == "qualtrics:SV_1MMcjvoGWqh8uUZ"
    assert survey.title_en == "Health Status Survey - Copy"
    assert survey.status == Survey.Status.DRAFT and report.responses_imported == 0
    assert report.questions_imported == survey.current_version().questions.count() == 25
    # Descriptive texts have nothing to answer.
    assert sorted(item.code for item in report.skipped) == ["Q1", "Q18", "Q21", "Q29"]
    assert not report.unsupported
    gender = questions_of(survey)["q23"]
    assert gender.type == "single"
    assert [(o["code"], o["label_en"]) for o in gender.options] == [("0", "Male"),
                                                                   ("1", "Female")]
    assert questions_of(survey)["q15"].text_en == "(do 15?"  # "<br>(do 15?": HTML stripped


def test_it_imports_the_sp_survey_and_names_what_it_leaves_out(db):
    report = sp_import()
    survey = report.survey
    assert survey.source == "qualtrics:SV_6mudEEycYo5zehT"
    assert survey.anonymity == Survey.Anonymity.CONFIDENTIAL  # AnonymizeResponse: No
    # Rank orders (Q10, Q29) and the constant sum (Q23) take Phare's ranking and numbers.
    assert report.questions_imported == survey.current_version().questions.count() == 34
    assert {item.code: item.source_type.split("/")[0] for item in report.unsupported} == {
        "Q6": "Matrix", "Q17": "PGR", "Q21": "MC", "Q28": "Matrix", "Q31": "MC", "Q32": "MC",
        "Q33": "TE"}
    pick = next(item for item in report.unsupported if item.code == "Q17")
    assert pick.type_name == gettext("pick, group and rank")
    questions = questions_of(survey)
    assert {code: questions[code].type for code in ("q10", "q29", "q23")} == {
        "q10": "ranking", "q29": "ranking", "q23": "multinum"}
    first = survey.responses.get(source_id="R_1dtWhiBDD96nfyk").answers
    assert first["q10"] == ["3", "2", "1"]  # QID10_1 = 3, QID10_2 = 2, QID10_3 = 1
    assert {item.code: item.reason for item in report.skipped} == {
        "Q14": gettext("no answer"), "Q22": gettext("no answer"), "Q16": gettext("no answer"),
        "Q2": gettext("in the trash"), "Q12": gettext("in the trash"),
        "Q24": gettext("in the trash"), "Q25": gettext("in the trash")}
    # Blocks are sections, in the order of the survey flow.
    assert [s.title_en for s in survey.current_version().sections.all()] == [
        "Multiple choice", "Block 1", "Block 2", "Block 3", "Block 4", "Block 5", "Block 6",
        "Block 7"]


def test_the_nps_question_becomes_an_nps_question(db):
    questions = questions_of(sp_import().survey)
    nps = questions["q15"]
    assert nps.type == "nps"
    assert (nps.label_min_en, nps.label_max_en) == ("Not at all likely", "Extremely likely")
    assert nps.text_en.startswith("On a scale from 0-10, how likely")


def test_the_question_types_take_their_phare_shapes(db):
    questions = questions_of(sp_import().survey)
    assert {code: questions[code].type for code in (
        "q1", "q3", "q4", "q4_5_text", "q19", "q5_statement1", "q5_other_text", "q13_1", "q7",
        "q8", "q9_2")} == {
        "q1": "single", "q3": "single", "q4": "multiple", "q4_5_text": "text",
        "q19": "multiple", "q5_statement1": "single", "q5_other_text": "text",
        "q13_1": "multiple", "q7": "text", "q8": "text", "q9_2": "text"}
    assert [o["code"] for o in questions["q4"].options] == ["1", "2", "3", "5", "6", "4"]
    assert questions["q1"].options[-1]["label_en"] == \
        "And let\N{RIGHT SINGLE QUOTATION MARK}s try a smart quote for good measure"


def test_the_legacy_responses_import_with_minus_99_absent(db):
    report = sp_import()
    survey = report.survey
    assert (report.responses_imported, report.incomplete_skipped) == (3, 1)
    assert not survey.responses.filter(source_id="R_3MPTb9vwnCBmijR").exists()  # unfinished
    first = survey.responses.get(source_id="R_1dtWhiBDD96nfyk").answers
    assert first["q15"] == 6
    assert first["q1"] == "1"  # by its label
    assert first["q4"] == ["3", "5", "6"]  # QID4_1, QID4_2, QID4_4 are -99: not ticked
    assert first["q4_5_text"] == "other response 1"
    assert first["q5_statement1"] == "1"  # "scale1": the scale point's variable name
    assert first["q13_1"] == ["1", "2"]
    assert "q11_3_text" not in first  # -99
    latest = survey.responses.get(source_id="R_2EzY1K5pqRpzi0n").answers
    assert latest["q1"] == "6"  # a label written with &rsquo; in the qsf
    assert latest["q18"] == "3"  # "choice3": the choice's variable name
    assert latest["q15"] == 5
    # -99 (seen, not answered) leaves the question unanswered, never "-99".
    assert {"q5_other", "q8", "q4_5_text", "q5_other_text"}.isdisjoint(latest)
    assert all("-99" not in json.dumps(r.answers) for r in survey.responses.all())
    assert {r.language for r in survey.responses.all()} == {"en"}


def test_an_anonymised_qualtrics_survey_keeps_only_the_day(db):
    def anonymise(options):
        options["AnonymizeResponse"] = "Yes"

    survey = sp_import(SO=anonymise).survey
    assert survey.is_anonymous
    assert {(r.submitted_at, r.source_id) for r in survey.responses.all()} == {(None, "")}
    assert sorted(str(r.submitted_on) for r in survey.responses.all()) == [
        "2019-08-20", "2019-08-20", "2020-11-09"]


SMALL_SURVEY = {
    "SurveyEntry": {"SurveyID": "SV_small", "SurveyName": "Petit", "SurveyLanguage": "FR"},
    "SurveyElements": [
        {"Element": "BL", "Payload": [{"Type": "Default", "ID": "BL_1", "Description": "Un",
                                       "BlockElements": [{"Type": "Question",
                                                          "QuestionID": "QID1"},
                                                         {"Type": "Question",
                                                          "QuestionID": "QID2"}]}]},
        {"Element": "SO", "Payload": {"AnonymizeResponse": "No"}},
        {"Element": "SQ", "PrimaryAttribute": "QID1", "Payload": {
            "QuestionID": "QID1", "DataExportTag": "Sat", "QuestionType": "Matrix",
            "Selector": "Likert", "SubSelector": "SingleAnswer",
            "QuestionText": "Notez <b>nos</b> services",
            "Choices": {"1": {"Display": "Accueil"}, "2": {"Display": "Délais"}},
            "Answers": {"1": {"Display": "1"}, "2": {"Display": "2"}, "3": {"Display": "3"}},
            "Language": {"EN": {"QuestionText": "Rate our services",
                                "Choices": {"1": {"Display": "Welcome"},
                                            "2": {"Display": "Delays"}}}},
            "Validation": {"Settings": {"ForceResponse": "ON"}}}},
        {"Element": "SQ", "PrimaryAttribute": "QID2", "Payload": {
            "QuestionID": "QID2", "DataExportTag": "Reco", "QuestionType": "Slider",
            "Selector": "HSLIDER", "QuestionText": "Recommanderiez-vous ?",
            "Choices": {"1": {"Display": "Équipe"}},
            "Configuration": {"CSSliderMin": 0, "CSSliderMax": 20, "NumDecimals": "0"},
            "DisplayLogic": {"0": {}}}},
    ],
}
SMALL_RESPONSES = """<?xml version="1.0"?><Responses><Response>
<recordedDate>2024-02-01 08:30:00</recordedDate><finished>1</finished><_recordId>R_a</_recordId>
<ipAddress>10.1.2.3</ipAddress><recipientEmail>jo@example.com</recipientEmail>
<userLanguage>FR</userLanguage><QID1_1>3</QID1_1><QID1_2>-99</QID1_2><QID2_1>12</QID2_1>
</Response></Responses>"""


def test_a_numeric_matrix_becomes_scales_and_a_slider_a_scale(db):
    report = import_survey([("small.qsf", json.dumps(SMALL_SURVEY).encode()),
                            ("small.xml", SMALL_RESPONSES.encode())])
    questions = questions_of(report.survey)
    assert list(questions) == ["sat_1", "sat_2", "reco_1"]
    welcome = questions["sat_1"]
    assert (welcome.type, welcome.scale_min, welcome.scale_max, welcome.required) == (
        "scale", 1, 3, True)
    assert (welcome.text_fr, welcome.text_en) == ("Notez nos services — Accueil",
                                                  "Rate our services — Welcome")
    assert (questions["reco_1"].type, questions["reco_1"].scale_max) == ("scale", 20)
    assert [item.code for item in report.notes] == ["Reco"]  # display logic left behind
    response = report.survey.responses.get()
    assert response.answers == {"sat_1": 3, "reco_1": 12}
    assert (response.language, str(response.submitted_on)) == ("fr", "2024-02-01")
    stored = json.dumps(list(Response.objects.values()), default=str)
    assert "10.1.2.3" not in stored and "jo@example.com" not in stored


# --- bad files -------------------------------------------------------------------------------

def refused(files: list[tuple[str, bytes]]) -> SurveyImportError:
    before = Survey.objects.count(), Question.objects.count(), Response.objects.count()
    with pytest.raises(SurveyImportError) as caught:
        import_survey(files)
    assert (Survey.objects.count(), Question.objects.count(), Response.objects.count()) == before
    return caught.value


def test_invalid_json_is_refused_with_its_line(db):
    error = refused([("broken.qsf", b'{"SurveyEntry": {},\n "SurveyElements": [,]}')])
    assert (error.errors[0].file, error.errors[0].line) == ("broken.qsf", 2)


def test_json_that_is_no_qualtrics_survey_is_refused_with_its_path(db):
    error = refused([("other.qsf", b'{"SurveyEntry": {"SurveyID": "SV_1"}}')])
    assert error.errors[0].where == "$.SurveyElements"
    document = json.loads(json.dumps(SMALL_SURVEY))
    document["SurveyElements"][2]["Payload"] = "nothing"
    error = refused([("other.qsf", json.dumps(document).encode())])
    assert error.errors[0].where == "$.SurveyElements[2].Payload"


def test_a_responses_file_of_another_kind_is_refused(db):
    error = refused([("small.qsf", json.dumps(SMALL_SURVEY).encode()),
                     ("small.xml", b"<document><LimeSurveyDocType/></document>")])
    assert error.errors[0].file == "small.xml"
    error = refused([("small.qsf", json.dumps(SMALL_SURVEY).encode()),
                     ("small.csv", b"a,b\n")])
    assert error.errors[0].file == "small.csv"


def test_every_value_that_fits_no_question_is_listed(db):
    bad = SMALL_RESPONSES.replace("<QID1_1>3</QID1_1>", "<QID1_1>9</QID1_1>").replace(
        "<QID2_1>12</QID2_1>", "<QID2_1>2.5</QID2_1>")
    error = refused([("small.qsf", json.dumps(SMALL_SURVEY).encode()),
                     ("small.xml", bad.encode())])
    assert {e.where.split(", ", 1)[1] for e in error.errors} == {"QID1_1 (sat_1)",
                                                                 "QID2_1 (reco_1)"}
