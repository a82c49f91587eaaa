"""The rating matrix question type: its definition checks, its answers (good, bad, partial),
display conditions on it, and the builder's reading of its columns."""

from __future__ import annotations

import pytest
from django.utils import translation

from phare.listening import builder
from phare.listening import questions as qtypes
from phare.listening.errors import ListeningError
from phare.listening.models import Question, Survey
from tests.listening.factories import ALTERNATIVES, ATTRIBUTES, make_study


def matrix(**fields) -> Question:
    values = {"code": "ratings", "type": "matrix", "options": list(ATTRIBUTES),
              "columns": list(ALTERNATIVES), "required": False, **fields}
    return Question(**values)


def item(code: str, label: str = "Libellé") -> dict[str, str]:
    return {"code": code, "label_fr": label, "label_en": ""}


# --- definitions ----------------------------------------------------------------------------------

def test_a_well_formed_matrix_passes_with_the_grid_default_scale():
    question = matrix()
    qtypes.check_definition(question, [])
    assert qtypes.scale_of(question) == (1, 5)
    assert qtypes.scale_of(matrix(scale_min=0, scale_max=10)) == (0, 10)
    assert qtypes.column_codes(question) == ["dsi", "saas", "diy"]
    assert qtypes.column_codes(Question(code="g", type="grid", columns=ALTERNATIVES)) == []


@pytest.mark.parametrize(("fields", "field", "reason"), [
    ({"options": []}, "options", "List at least one row."),
    ({"columns": []}, "columns", "List at least one column."),
    ({"options": [item("a b")]}, "options", "Option 1: the code “a b” must be letters"),
    ({"columns": [item("ok"), item("x.y")]}, "columns",
     "Column 2: the code “x.y” must be letters"),
    ({"columns": [item("")]}, "columns", "Column 1: the code “” must be letters"),
    ({"columns": [{"code": "a", "label_fr": "", "label_en": ""}]}, "columns",
     "Column 1 (“a”) has no label."),
    ({"options": [{"code": "a"}]}, "options", "Option 1 (“a”) has no label."),
    ({"columns": [item("a"), item("b"), item("a")]}, "columns",
     "Column codes appear twice: a."),
    ({"options": [item("a"), item("a")]}, "options", "Option codes appear twice: a."),
    ({"columns": [item(f"c{i}") for i in range(13)]}, "columns", "at most 12 columns"),
    ({"options": [item(f"r{i}") for i in range(21)]}, "options", "at most 20 rows"),
    ({"scale_min": 0, "scale_max": 11}, "scale_max", "at most 11 points"),
    ({"scale_min": 5, "scale_max": 5}, "scale_max", "must be above the lowest"),
    ({"columns": "dsi"}, "columns", "List items of the form"),
])
def test_each_definition_error_names_its_field(fields, field, reason):
    with translation.override("en"), pytest.raises(qtypes.DefinitionError) as err:
        qtypes.check_definition(matrix(**fields), [])
    assert err.value.field == field
    assert reason in err.value.reason


def test_the_limits_themselves_are_accepted():
    qtypes.check_definition(matrix(columns=[item(f"c{i}") for i in range(12)],
                                   options=[item(f"r{i}") for i in range(20)],
                                   scale_min=0, scale_max=10), [])


def test_a_condition_on_a_matrix_can_only_be_answered():
    ratings = matrix()
    follow = Question(code="why", type="text", condition={"question": "ratings",
                                                          "op": "answered"})
    qtypes.check_definition(follow, [ratings])
    for condition in ({"question": "ratings", "op": "in", "values": [1]},
                      {"question": "ratings", "op": "between", "min": 1, "max": 2}):
        follow.condition = condition
        with translation.override("en"), pytest.raises(qtypes.DefinitionError) as err:
            qtypes.check_definition(follow, [ratings])
        assert err.value.field == "condition"
        assert "rating matrix can only be “answered”" in err.value.reason
    follow.condition = {"question": "ratings", "op": "answered"}
    assert qtypes.is_shown(follow, {"ratings": {"dsi": {"speed": 2}}})
    assert not qtypes.is_shown(follow, {"ratings": {}})
    assert not qtypes.is_shown(follow, {})


# --- answers --------------------------------------------------------------------------------------

def test_it_keeps_the_questionnaires_order_and_drops_empty_cells():
    value = {"diy": {"trust": "2", "speed": ""}, "dsi": {"cost": 4, "speed": 5.0, "trust": None},
             "saas": {"speed": ""}}
    cleaned = qtypes.clean_answer(matrix(), value, {})
    assert cleaned == {"dsi": {"speed": 5, "cost": 4}, "diy": {"trust": 2}}
    assert list(cleaned) == ["dsi", "diy"] and list(cleaned["dsi"]) == ["speed", "cost"]


@pytest.mark.parametrize(("value", "reason"), [
    ({"dsi": {"speed": 6}}, "“The IT department”, “Speed”: choose a whole number from 1 to 5."),
    ({"dsi": {"speed": 0}}, "choose a whole number from 1 to 5"),
    ({"dsi": {"speed": "vite"}}, "choose a whole number from 1 to 5"),
    ({"dsi": {"speed": 2.5}}, "choose a whole number from 1 to 5"),
    ({"dsi": {"speed": True}}, "choose a whole number from 1 to 5"),
    ({"cloud": {"speed": 2}}, "Unknown column: cloud."),
    ({"dsi": {"colour": 2}}, "Unknown line: colour."),
    ({"dsi": [3, 4]}, "“The IT department”: give a rating per line."),
    ([{"dsi": 3}], "Rate the lines of the table."),
    ("dsi", "Rate the lines of the table."),
])
def test_it_refuses_bad_values_with_the_reason(value, reason):
    with translation.override("en"), pytest.raises(ValueError) as err:
        qtypes.clean_answer(matrix(), value, {})
    assert reason in str(err.value)


def test_a_required_matrix_needs_every_row_in_at_least_one_column():
    required = matrix(required=True)
    spread = {"dsi": {"speed": 1}, "saas": {"cost": 2}, "diy": {"trust": 3}}
    assert qtypes.clean_answer(required, spread, {}) == spread
    with translation.override("en"), pytest.raises(ValueError) as err:
        qtypes.clean_answer(required, {"dsi": {"speed": 1, "cost": 2}}, {})
    assert "Rate every line in at least one column (missing: “Trust”)." in str(err.value)
    # A draft keeps what is well formed.
    assert qtypes.clean_answer(required, {"dsi": {"speed": 1}}, {}, partial=True) == {
        "dsi": {"speed": 1}}
    with pytest.raises(ValueError):
        qtypes.clean_answer(required, {"dsi": {"speed": 9}}, {}, partial=True)


def test_only_empty_cells_are_no_answer():
    questions = [matrix(), Question(code="why", type="text",
                                    condition={"question": "ratings", "op": "answered"})]
    blank = {"ratings": {"dsi": {"speed": ""}, "saas": {}}, "why": "hidden"}
    assert qtypes.clean_answers(questions, blank) == {}
    with translation.override("en"), pytest.raises(qtypes.AnswerErrors) as err:
        qtypes.clean_answers([matrix(required=True)], {"ratings": {"dsi": {"speed": ""}}})
    assert "ratings" in err.value.errors
    with translation.override("en"), pytest.raises(qtypes.AnswerErrors) as err:
        qtypes.clean_answers([matrix(required=True)], {"ratings": {}})
    assert err.value.errors == {"ratings": "This question needs an answer."}
    assert qtypes.clean_answers([matrix(required=True)], {"ratings": {}}, partial=True) == {}
    answered = qtypes.clean_answers(questions, {"ratings": {"saas": {"cost": 3}}, "why": " x "})
    assert answered == {"ratings": {"saas": {"cost": 3}}, "why": "x"}


# --- the builder ----------------------------------------------------------------------------------

def test_the_builder_reads_columns_like_options_and_clears_them_elsewhere():
    data = {"type": "matrix", "text_fr": "Notez", "options": "speed | Rapidité | Speed\ncost",
            "columns": "dsi | La DSI | IT\nsaas | En ligne", "scale_min": None,
            "scale_max": None, "label_min_fr": "Mal", "allow_other": True,
            "condition_question": ""}
    fields = builder.question_fields(data, [])
    assert fields["columns"] == [{"code": "dsi", "label_fr": "La DSI", "label_en": "IT"},
                                 {"code": "saas", "label_fr": "En ligne", "label_en": ""}]
    assert [o["code"] for o in fields["options"]] == ["speed", "cost"]
    assert fields["label_min_fr"] == "Mal" and fields["allow_other"] is False
    assert builder.question_fields({**data, "type": "grid"}, [])["columns"] == []
    with translation.override("en"), pytest.raises(builder.OptionLinesError) as err:
        builder.question_fields({**data, "columns": "dsi | A\nbad code | B\ndsi | C"}, [])
    assert err.value.field == "columns"
    assert [n for n, _reason in err.value.lines] == [2, 3]
    assert builder.format_options(fields["columns"]) == "dsi | La DSI | IT\nsaas | En ligne"


def test_the_builder_refuses_a_comparison_on_a_matrix(db):
    survey = make_study()
    earlier = list(survey.current_version().questions.filter(code="ratings"))
    with pytest.raises(ListeningError) as err:
        builder.condition_from_form({"condition_question": "ratings", "condition_op": "in",
                                     "condition_values": "1"}, earlier)
    assert err.value.field == "condition_op"
    assert builder.condition_from_form({"condition_question": "ratings",
                                        "condition_op": "answered"}, earlier) == {
        "question": "ratings", "op": "answered"}


def test_the_services_store_a_matrix_and_refuse_a_broken_one(db):
    survey = make_study()
    assert survey.kind == Survey.Kind.STUDY == "study"
    stored = survey.current_version().questions.get(code="ratings")
    assert stored.columns == ALTERNATIVES and stored.options == ATTRIBUTES
    from phare.listening import services

    with translation.override("en"), pytest.raises(ListeningError) as err:
        services.question_update(survey, "ratings", columns=[])
    assert err.value.field == "columns"
    with pytest.raises(ListeningError) as err:
        services.question_add(survey, code="more", type="matrix", text_fr="Encore",
                              options=ATTRIBUTES, columns=ALTERNATIVES, scale_min=1,
                              scale_max=12)
    assert err.value.field == "scale_max"
