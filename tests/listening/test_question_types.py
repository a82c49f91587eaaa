"""The question types surveys from other tools use: numbers, several numbers, constant sums,
sliders, dates, rankings, tables of numbers and texts, rows on several scales, file uploads —
their definitions, answers, the answering page, the builder and the exports."""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
import re
from pathlib import Path
from types import SimpleNamespace

import pyreadstat
import pytest
from django.core.cache import cache
from django.utils import translation
from openpyxl import load_workbook

from phare.listening import builder, services
from phare.listening import questions as qtypes
from phare.listening.answering.pages import Questionnaire
from phare.listening.errors import ListeningError
from phare.listening.exports.formats import export_csv, export_sav, export_xlsx
from phare.listening.exports.table import build_table
from phare.listening.kind_results import kind_results
from phare.listening.models import Invitation, Question, Response, Survey
from tests.listening.factories import (
    DUAL_SCALES,
    ROWS,
    YEARS,
    kinds_answers,
    make_kinds_survey,
    submit,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def question(kind: str, *, required: bool = False, options=ROWS, columns=(), condition=None,
             **settings) -> SimpleNamespace:
    return SimpleNamespace(code="q", type=kind, required=required, scale_min=None,
                           scale_max=None, options=list(options), columns=list(columns),
                           allow_other=False, condition=condition, settings=settings)


def refused(q, value, **kwargs) -> str:
    with pytest.raises(ValueError) as caught:
        qtypes.clean_answer(q, value, {}, **kwargs)
    return str(caught.value)


def definition_error(q) -> qtypes.DefinitionError:
    with pytest.raises(qtypes.DefinitionError) as caught:
        qtypes.check_definition(q, [])
    return caught.value


# --- definitions ----------------------------------------------------------------------------

@pytest.mark.parametrize(("q", "field", "words"), [
    (question("numeric", min=5, max=5), "settings.max", "above the lowest"),
    (question("numeric", decimals=9), "settings.decimals", "0 to 6"),
    (question("numeric", min="a"), "settings.min", "not a number"),
    (question("slider", max=10), "settings.min", "Give a number"),
    (question("slider", min=0, max=10, step=0), "settings.step", "above 0"),
    (question("slider", min=0, max=10, step=0.25, decimals=1), "settings.step", "decimals"),
    (question("slider", min=0, max=10000, step=1), "settings.step", "1,000 steps"),
    (question("constsum"), "settings.total", "Give a number"),
    (question("constsum", total=-3), "settings.total", "above 0"),
    (question("multinum", options=[]), "options", "at least one row"),
    (question("numarray"), "columns", "at least one column"),
    (question("textarray", columns=[{"code": "a b", "label_fr": "A"}]), "columns", "“a b”"),
    (question("date", min="2026-13-01"), "settings.min", "not a date"),
    (question("date", time=True, min="yesterday"), "settings.min", "date and time"),
    (question("date", min="2026-02-01", max="2026-01-01"), "settings.max", "before"),
    (question("ranking", top=4), "settings.top", "1 to 3"),
    (question("ranking", options=[]), "options", "at least one option"),
    (question("dualscale"), "settings.scales", "List the scales"),
    (question("dualscale", scales=[{"code": "s", "label_fr": "S", "choices": []}]),
     "settings.scales", "no choices"),
])
def test_a_bad_definition_names_its_field(q, field, words):
    error = definition_error(q)
    assert error.field == field
    assert words in error.reason


def test_good_definitions_pass_and_conditions_on_them_are_limited():
    for kind in ("numeric", "multinum", "textarray", "ranking", "date"):
        qtypes.check_definition(question(kind, columns=YEARS), [])
    qtypes.check_definition(question("slider", min=0, max=1, step=0.1), [])
    qtypes.check_definition(question("constsum", total=100), [])
    qtypes.check_definition(question("dualscale", scales=DUAL_SCALES), [])
    hours = question("numeric", max=80)
    hours.code = "hours"
    follow = question("text", condition={"question": "hours", "op": "between", "min": 40,
                                         "max": 80})
    qtypes.check_definition(follow, [hours])
    ranks = question("ranking")
    ranks.code = "ranks"
    follow.condition = {"question": "ranks", "op": "in", "values": ["laptop"]}
    with pytest.raises(qtypes.DefinitionError) as caught:
        qtypes.check_definition(follow, [ranks])
    assert caught.value.reason == "A condition on “ranks” can only be “answered”."
    follow.condition = {"question": "ranks", "op": "answered"}
    qtypes.check_definition(follow, [ranks])
    assert qtypes.is_shown(question("text", condition={
        "question": "hours", "op": "between", "min": 40, "max": 80}), {"hours": 42.5})
    assert not qtypes.is_shown(question("text", condition={
        "question": "hours", "op": "between", "min": 40, "max": 80}), {"hours": 39.5})


# --- answers --------------------------------------------------------------------------------

def test_numbers_are_read_with_a_comma_or_a_point_within_bounds_and_decimals():
    q = question("numeric", min=0, max=80, decimals=1)
    assert qtypes.clean_answer(q, "12,5", {}) == 12.5
    assert qtypes.clean_answer(q, 12, {}) == 12
    assert refused(q, "12.25") == "At most 1 decimal."
    assert refused(q, "81") == "Give a number from 0 to 80."
    assert refused(q, "douze") == "Give a number."
    assert refused(question("numeric"), "1.5") == "Give a whole number."
    assert refused(question("numeric", min=3), 1) == "Give a number of at least 3."
    assert qtypes.clean_answer(question("numeric"), "7.0", {}) == 7


def test_the_messages_are_in_french_too():
    with translation.override("fr"):
        assert refused(question("numeric", min=0, max=80), "81") == \
            "Indiquez un nombre de 0 à 80."
        assert refused(question("constsum", total=100), {"laptop": 60, "phone": 30}) == \
            "Les nombres font 90 au total ; ils doivent faire 100."


def test_a_slider_takes_values_on_its_steps():
    q = question("slider", min=0, max=10, step=0.5)
    assert qtypes.clean_answer(q, "7.5", {}) == 7.5
    assert refused(q, "7.3") == "Choose a value from 0 to 10 in steps of 0.5."
    assert refused(q, "7.25") == "At most 1 decimal."
    assert "in steps of 2." in refused(question("slider", min=0, max=10, step=2), "3")
    assert qtypes.clean_answer(question("slider", min=1, max=9, step=2), "3", {}) == 3


def test_several_numbers_and_a_constant_sum_check_their_total():
    q = question("multinum", max=10, total=5, required=True)
    assert qtypes.clean_answer(q, {"laptop": "2", "phone": "3", "screen": "0"}, {}) == \
        {"laptop": 2, "phone": 3, "screen": 0}
    assert "add up to 6; they must add up to 5" in refused(
        q, {"laptop": 3, "phone": 3, "screen": 0})
    assert "missing: “Laptop”" in refused(q, {"phone": 5, "screen": 0})
    assert qtypes.clean_answer(q, {"phone": 5}, {}, partial=True) == {"phone": 5}
    assert refused(q, {"tablet": 1}) == "Unknown line: tablet."
    assert refused(q, {"phone": "x"}) == "“Phone”: Give a whole number."
    total = question("constsum", total=100)
    assert qtypes.clean_answer(total, {"laptop": 60, "phone": 40}, {}) == {"laptop": 60,
                                                                          "phone": 40}
    assert "add up to 90" in refused(total, {"laptop": 60, "phone": 30})
    # A draft may be short of the total, never above it; no row is negative.
    assert qtypes.clean_answer(total, {"laptop": 60}, {}, partial=True) == {"laptop": 60}
    assert "add up to 110" in refused(total, {"laptop": 60, "phone": 50}, partial=True)
    assert refused(total, {"laptop": -5}) == "“Laptop”: Give a number from 0 to 100."


def test_a_date_or_a_date_and_time_within_bounds():
    q = question("date", min="2020-01-01", max="2030-12-31")
    assert qtypes.clean_answer(q, "2024-05-02", {}) == "2024-05-02"
    assert refused(q, "2019-12-31") == "Give a date from 2020-01-01 to 2030-12-31."
    assert refused(q, "02/05/2024") == "Give a date."
    moment = question("date", time=True, min="2026-01-01T08:00")
    assert qtypes.clean_answer(moment, "2026-12-08T09:30", {}) == "2026-12-08T09:30"
    assert qtypes.clean_answer(moment, "2026-12-08 09:30:59", {}) == "2026-12-08T09:30"
    assert refused(moment, "2025-12-31T23:00") == "Give a date from 2026-01-01 08:00 on."


def test_a_ranking_is_a_permutation_from_a_list_or_numbered_selects():
    q = question("ranking", required=True)
    assert qtypes.clean_answer(q, ["screen", "laptop", "phone"], {}) == ["screen", "laptop",
                                                                          "phone"]
    assert qtypes.clean_answer(q, {"laptop": "2", "phone": "3", "screen": "1"}, {}) == \
        ["screen", "laptop", "phone"]
    assert "Rank 1 is given twice (“Laptop” and “Phone”)" in refused(
        q, {"laptop": "1", "phone": "1", "screen": "2"})
    assert "rank 2 is missing" in refused(q, {"laptop": "1", "phone": "3"})
    assert refused(q, ["laptop", "laptop", "phone"]) == "Each option is ranked once."
    assert refused(q, ["laptop"]) == "Rank 3 options (1 ranked)."
    assert qtypes.clean_answer(q, ["laptop"], {}, partial=True) == ["laptop"]
    top = question("ranking", top=2, required=True)
    assert qtypes.clean_answer(top, {"phone": "1", "screen": "2"}, {}) == ["phone", "screen"]
    assert "choose a rank from 1 to 2" in refused(top, {"phone": "3"})
    assert refused(top, ["phone", "screen", "laptop"]) == "Rank at most 2 options."


def test_tables_of_numbers_and_texts_and_rows_on_several_scales():
    numbers = question("numarray", columns=YEARS, max=100, decimals=2, required=True)
    value = {row["code"]: {"y1": "1,25", "y2": ""} for row in ROWS}
    assert qtypes.clean_answer(numbers, value, {}) == {row["code"]: {"y1": 1.25}
                                                       for row in ROWS}
    assert refused(numbers, {"laptop": {"y1": 101}}) == \
        "“Laptop”, “This year”: Give a number of at most 100."
    assert "missing: “Phone”, “Screen”" in refused(numbers, {"laptop": {"y1": 1}})
    assert refused(numbers, {"laptop": {"y3": 1}}) == "Unknown column: y3."
    texts = question("textarray", columns=YEARS)
    assert qtypes.clean_answer(texts, {"laptop": {"y1": " Dell "}}, {}) == \
        {"laptop": {"y1": "Dell"}}
    assert "at most 1000 characters" in refused(texts, {"laptop": {"y1": "x" * 1001}})
    dual = question("dualscale", scales=DUAL_SCALES, required=True)
    full = {row["code"]: {"imp": "low", "sat": "good"} for row in ROWS}
    assert qtypes.clean_answer(dual, full, {}) == full
    assert "“Laptop”, “Satisfaction”: choose one of the answers" in refused(
        dual, {**full, "laptop": {"imp": "low", "sat": "high"}})
    assert "every line on every scale (missing: “Phone”)" in refused(
        dual, {**full, "phone": {"imp": "low"}})


def test_an_upload_keeps_a_count_and_is_never_asked(personas):
    survey = make_kinds_survey()
    services.question_add(survey, code="files", type="upload", required=True,
                          text_fr="Joignez un fichier", text_en="Attach a file")
    version = survey.current_version()
    questions = list(version.questions.all())
    upload = next(q for q in questions if q.code == "files")
    assert qtypes.clean_answer(upload, 2, {}) == 2
    assert "number of files" in refused(upload, "cv.pdf")
    # Required in the other tool, never asked here: not required of a respondent.
    assert "files" not in qtypes.clean_answers(questions, {"hours": 3}, partial=False)
    assert "files" not in Questionnaire(version).shown({})


def test_an_empty_table_is_no_answer_and_a_required_one_says_so():
    q = question("numarray", columns=YEARS, required=True)
    q.code = "spend"
    with pytest.raises(qtypes.AnswerErrors) as caught:
        qtypes.clean_answers([q], {"spend": {"laptop": {"y1": ""}}})
    assert caught.value.errors == {"spend": "This question needs an answer."}


# --- the answering page ---------------------------------------------------------------------

@pytest.fixture
def invitation(personas) -> Invitation:
    cache.clear()
    survey = services.survey_set_status(make_kinds_survey(required=True), Survey.Status.OPEN)
    person = personas["employee"].person
    return Invitation.objects.create(survey=survey, version=survey.current_version(),
                                     person=person, email=person.email, language="en",
                                     **services.segment_of(person))


def page_form(page) -> dict:
    body = page.content.decode()
    return {"section": re.search(r'name="section" value="(\d+)"', body).group(1),
            "_shown": re.findall(r'name="_shown" value="([^"]+)"', body)}


FORM = {
    "hours": "45,5", "why": "Remote work",
    "devices.laptop": "1", "devices.phone": "2", "devices.screen": "0",
    "budget.laptop": "50", "budget.phone": "30", "budget.screen": "20",
    "mood": "7.5", "since": "2024-03-15", "meeting": "2026-12-08T09:30",
    "priorities.phone": "1", "priorities.screen": "2",
    "spend.laptop.y1": "1.25", "spend.phone.y1": "2", "spend.screen.y2": "3",
    "brands.laptop.y1": "Dell", "brands.phone.y1": "Fairphone", "brands.screen.y2": "Eizo",
    **{f"dual.{row['code']}.imp": "high" for row in ROWS},
    **{f"dual.{row['code']}.sat": "good" for row in ROWS},
}


def test_the_page_draws_native_accessible_inputs(client, invitation):
    page = client.get(f"/s/{invitation.token}/")
    body = page.content.decode()
    assert 'type="number" id="q-hours" name="hours"' in body
    assert 'step="0.1" min="0" max="80"' in body
    assert 'aria-describedby="key-hours"' in body and 'id="key-hours"' in body
    assert 'type="range" id="q-mood" name="mood" min="0" max="10" step="0.5"' in body
    assert '<output for="q-mood"' in body
    assert 'type="date" id="q-since" name="since"' in body and 'min="2020-01-01"' in body
    assert 'type="datetime-local" id="q-meeting"' in body
    assert '<select id="q-priorities-r0" name="priorities.laptop"' in body
    assert body.count('<option value="2">Rank 2</option>') == 3
    assert 'data-total="100"' in body and "The numbers must add up to 100." in body
    assert '<label class="cell-label" for="q-spend-r0-c1">Laptop, Next year</label>' in body
    assert 'name="dual.phone.sat" value="good"' in body
    assert "answer-kinds.js" in body
    assert body.count('<fieldset class="question question-ranking') == 1


def test_a_page_answers_every_kind_and_the_response_keeps_them(client, invitation):
    page = client.get(f"/s/{invitation.token}/")
    # 45.5 hours shows "why" (between 40 and 80): the page comes back with it first.
    again = client.post(f"/s/{invitation.token}/",
                        {**page_form(page), "action": "submit", **FORM})
    assert 'name="_shown" value="why"' in again.content.decode()
    assert not Response.objects.exists()
    response = client.post(f"/s/{invitation.token}/",
                           {**page_form(again), "action": "submit", **FORM})
    assert response.status_code == 302
    stored = Response.objects.get(survey=invitation.survey)
    assert stored.answers == {
        "hours": 45.5, "why": "Remote work",
        "devices": {"laptop": 1, "phone": 2, "screen": 0},
        "budget": {"laptop": 50, "phone": 30, "screen": 20}, "mood": 7.5,
        "since": "2024-03-15", "meeting": "2026-12-08T09:30",
        "priorities": ["phone", "screen"],
        "spend": {"laptop": {"y1": 1.25}, "phone": {"y1": 2}, "screen": {"y2": 3}},
        "brands": {"laptop": {"y1": "Dell"}, "phone": {"y1": "Fairphone"},
                   "screen": {"y2": "Eizo"}},
        "dual": {row["code"]: {"imp": "high", "sat": "good"} for row in ROWS},
    }


def test_bad_answers_come_back_with_their_reasons_next_to_the_inputs(client, invitation):
    page = client.get(f"/s/{invitation.token}/")
    bad = {**FORM, "budget.screen": "30", "priorities.screen": "1", "hours": "99"}
    response = client.post(f"/s/{invitation.token}/",
                           {**page_form(page), "action": "submit", **bad})
    body = response.content.decode()
    assert not Response.objects.exists()
    assert "The numbers add up to 110; they must add up to 100." in body
    assert "Rank 1 is given twice" in body
    assert "Give a number from 0 to 80." in body
    assert 'href="#q-budget-r0"' in body  # the summary leads to the first input
    assert 'id="error-budget"' in body and 'aria-describedby="key-budget error-budget"' in body
    # What was typed stays in the inputs.
    assert 'name="budget.screen" value="30"' in body


# --- the builder ----------------------------------------------------------------------------

def test_the_builder_reads_the_settings_of_each_kind():
    assert builder.settings_from_form({"number_min": "0", "number_max": "12,5",
                                       "decimals": 1}, "numeric") == {"min": 0, "max": 12.5,
                                                                      "decimals": 1}
    assert builder.settings_from_form({"number_min": "0", "number_max": "10", "step": "0,5"},
                                      "slider") == {"min": 0, "max": 10, "step": 0.5}
    assert builder.settings_from_form({"total": "100"}, "constsum") == {"total": 100}
    assert builder.settings_from_form({"with_time": True, "date_min": "2026-01-01"},
                                      "date") == {"time": True, "min": "2026-01-01T00:00"}
    assert builder.settings_from_form({"top": 2}, "ranking") == {"top": 2}
    text = ("# imp | Importance | Importance\nlow | Faible | Low\nhigh | Forte\n\n"
            "# sat | Satis\nok | OK")
    scales = builder.settings_from_form({"scales": text}, "dualscale")["scales"]
    assert [s["code"] for s in scales] == ["imp", "sat"]
    assert [c["code"] for c in scales[0]["choices"]] == ["low", "high"]
    assert builder.parse_scales(builder.format_scales(scales)) == scales
    with pytest.raises(ListeningError) as caught:
        builder.parse_scales("low | Faible")
    assert caught.value.field == "scales" and "Line 1" in caught.value.message
    with pytest.raises(ListeningError) as caught:
        builder.parse_scales("# imp | Importance\nlow | Faible\nbad code | X")
    assert "Line 3" in caught.value.message
    with pytest.raises(ListeningError) as caught:
        builder.settings_from_form({"number_min": "zéro"}, "numeric")
    assert caught.value.field == "number_min"


def test_the_builder_pages_create_and_edit_a_constant_sum(client, personas):
    client.force_login(personas["marketing"])
    survey = services.survey_create(slug="points", kind=Survey.Kind.PULSE, title_fr="Points")
    page = client.get(f"/surveys/{survey.slug}/questions/new/")
    body = page.content.decode()
    assert 'value="constsum"' in body and 'value="upload"' not in body
    assert 'name="total"' in body and 'name="scales"' in body
    form = {"section": "1", "type": "constsum", "code": "budget", "text_fr": "Répartissez",
            "options": "a | A\nb | B", "total": "", "condition_op": "in"}
    refused_page = client.post(f"/surveys/{survey.slug}/questions/new/", form)
    assert "Give a number." in refused_page.content.decode()
    assert not Question.objects.filter(code="budget").exists()
    client.post(f"/surveys/{survey.slug}/questions/new/", {**form, "total": "100"})
    created = Question.objects.get(code="budget")
    assert (created.type, created.settings) == ("constsum", {"total": 100})
    edit = client.get(f"/surveys/{survey.slug}/questions/budget/edit/")
    assert 'name="total" value="100"' in edit.content.decode()
    client.post(f"/surveys/{survey.slug}/questions/budget/edit/",
                {**form, "total": "10", "decimals": "1"})
    created.refresh_from_db()
    assert created.settings == {"total": 10, "decimals": 1}


# --- exports --------------------------------------------------------------------------------

@pytest.fixture
def answered(personas) -> Survey:
    survey = make_kinds_survey()
    for i in range(6):
        answers = kinds_answers(i)
        if i == 5:
            answers["hours"] = 50  # shows "why"
            answers["why"] = "Télétravail"
        submit(survey, answers, day=3 + i % 3)
    return survey


def csv_rows(data: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))


def test_the_table_has_a_column_per_row_and_cell(answered):
    table = build_table(answered, language="en")
    names = table.names
    start = names.index("hours")
    assert names[start:] == [
        "hours", "devices_laptop", "devices_phone", "devices_screen", "budget_laptop",
        "budget_phone", "budget_screen", "mood", "since", "meeting", "priorities_laptop",
        "priorities_phone", "priorities_screen", "spend_laptop_y1", "spend_laptop_y2",
        "spend_phone_y1", "spend_phone_y2", "spend_screen_y1", "spend_screen_y2",
        "dual_laptop_imp", "dual_laptop_sat", "dual_phone_imp", "dual_phone_sat",
        "dual_screen_imp", "dual_screen_sat"]  # texts: 6 responses, under the threshold
    assert set(table.dropped) >= {"brands_laptop_y1", "why"}
    by_name = {v.name: v for v in table.variables}
    assert by_name["hours"].decimals == 1 and by_name["spend_laptop_y1"].decimals == 2
    assert by_name["since"].type == "date" and by_name["meeting"].type == "datetime"
    assert dict(by_name["dual_laptop_sat"].value_labels) == {1: "Poor", 2: "Fair", 3: "Good"}
    assert by_name["priorities_laptop"].label == "Rank your priorities — Laptop (rank)"
    column = table.column
    assert sorted(column("priorities_screen"), key=lambda v: v or 0) == [None, None, None,
                                                                          2, 2, 2]
    assert sorted(column("budget_screen")) == [20] * 6
    assert set(column("spend_screen_y1")) == {None}
    assert sorted(column("since")) == [dt.date(2024, m, 15) for m in range(1, 7)]
    assert set(column("meeting")) == {dt.datetime(2026, 12, 8, 9, 30)}
    assert set(column("dual_phone_sat")) == {2}


def test_csv_and_excel_hold_numbers_dates_and_labels(answered):
    with translation.override("en"):
        codes = csv_rows(export_csv(answered, labels=False, language="en"))
        labels = csv_rows(export_csv(answered, labels=True, language="en"))
        workbook = load_workbook(io.BytesIO(export_xlsx(answered, language="en")))
    assert sorted(r["hours"] for r in codes) == ["30", "32.5", "35", "37.5", "40", "50"]
    assert {r["meeting"] for r in codes} == {"2026-12-08 09:30"}
    assert {r["dual_laptop_imp"] for r in codes} == {"2"}
    assert {r["dual_laptop_imp"] for r in labels} == {"High"}
    sheet = workbook["responses"]
    header = [cell.value for cell in next(sheet.iter_rows(max_row=1))]
    values = [cell.value for cell in next(sheet.iter_rows(min_row=2, max_row=2))]
    assert isinstance(values[header.index("since")], dt.datetime)  # Excel keeps a date
    assert values[header.index("meeting")] == dt.datetime(2026, 12, 8, 9, 30)


def test_spss_reads_back_decimals_dates_and_value_labels(answered, tmp_path: Path):
    path = tmp_path / "kinds.sav"
    path.write_bytes(export_sav(answered, language="fr"))
    frame, meta = pyreadstat.read_sav(str(path), user_missing=True)
    assert meta.original_variable_types["hours"] == "F4.1"
    assert meta.original_variable_types["spend_laptop_y1"] == "F4.2"
    assert meta.original_variable_types["since"].startswith("DATE")
    assert meta.original_variable_types["meeting"].startswith("DATETIME")
    assert sorted(frame["hours"]) == [30, 32.5, 35, 37.5, 40, 50]
    assert set(frame["meeting"]) == {dt.datetime(2026, 12, 8, 9, 30)}
    assert meta.variable_value_labels["dual_laptop_sat"][3.0] == "Bonne"
    assert meta.column_names_to_labels["budget_phone"] == "Répartissez 100 points — Téléphone"
    assert sorted(frame["priorities_laptop"].fillna(0)) == [1, 1, 1, 2, 2, 2]
    assert math.isnan(sorted(frame["spend_phone_y2"])[0])
    # "why" is conditional but below the verbatim threshold: left out.
    assert "why" not in frame.columns


# --- results --------------------------------------------------------------------------------

def test_results_give_figures_only_for_groups_at_the_threshold(answered):
    results = {r.code: r for r in kind_results(answered, language="en")}
    assert list(results) == ["hours", "devices", "budget", "mood", "since", "meeting",
                             "priorities"]
    hours = results["hours"]
    assert (hours.n, hours.hidden) == (6, False)
    assert hours.mean == pytest.approx((30 + 32.5 + 35 + 37.5 + 40 + 50) / 6)
    assert hours.median == pytest.approx(36.25)
    assert hours.low < hours.mean < hours.high
    budget = {line.label: line.values for line in results["budget"].lines}
    assert budget == {"Laptop": [52.5], "Phone": [pytest.approx(27.5)], "Screen": [20]}
    ranks = {line.label: line.values for line in results["priorities"].lines}
    # Laptop is ranked by all six (first or second); phone and screen by three each: hidden.
    # First choices: laptop 3, phone 3 — both under 5, hidden; nobody put the screen first.
    assert ranks == {"Laptop": [1.5, None], "Phone": [None, None], "Screen": [None, 0]}
    assert [line.values for line in results["since"].lines] == [[None]] * 6


def test_results_hide_a_question_answered_by_too_few(personas):
    survey = make_kinds_survey()
    for i in range(4):
        submit(survey, kinds_answers(i))
    assert all(r.hidden and r.mean is None and not r.lines
               for r in kind_results(survey, language="en"))


def test_the_results_page_shows_the_figures(client, answered, personas):
    client.force_login(personas["marketing"])
    body = client.get(f"/surveys/{answered.slug}/results/kinds/").content.decode()
    assert 'id="result-hours"' in body and "36.25" in body
    assert "52.5" in body and "Mean allocation" in body
    assert '<span class="visually-hidden">hidden: too few answers</span>' in body


def test_the_builder_lists_and_edits_every_kind(client, personas):
    client.force_login(personas["marketing"])
    survey = make_kinds_survey()
    page = client.get(f"/surveys/{survey.slug}/")
    assert page.status_code == 200
    for code in ("hours", "dual", "priorities"):
        assert f'id="q-{code}"' in page.content.decode()
    version = client.get(f"/surveys/{survey.slug}/versions/1/")
    assert version.status_code == 200
    edit = client.get(f"/surveys/{survey.slug}/questions/dual/edit/").content.decode()
    assert "# imp | Importance | Importance" in edit
    assert "high | Forte | High" in edit
    moment = client.get(f"/surveys/{survey.slug}/questions/meeting/edit/").content.decode()
    assert 'name="with_time"' in moment and "checked" in moment.split('name="with_time"')[1][:40]
