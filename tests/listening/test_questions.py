from __future__ import annotations

from types import SimpleNamespace

import pytest

from phare.listening import questions as q


def question(code="q", type="nps", **extra):
    values = {"code": code, "type": type, "required": False, "scale_min": None,
              "scale_max": None, "options": [], "allow_other": False, "condition": None}
    values.update(extra)
    return SimpleNamespace(**values)


OPTIONS = [{"code": "a", "label_fr": "A", "label_en": "A"},
           {"code": "b", "label_fr": "B", "label_en": "B"}]


@pytest.mark.parametrize(("type_", "good", "bad"), [
    ("nps", [0, 10, "7"], [-1, 11, 2.5, "x", True]),
    ("csat", [1, 5], [0, 6]),
    ("ces", [1, 7], [0, 8]),
])
def test_it_checks_the_fixed_scales(type_, good, bad):
    item = question(type=type_)
    for value in good:
        assert q.clean_answer(item, value, {}) == int(value)
    for value in bad:
        with pytest.raises(ValueError):
            q.clean_answer(item, value, {})


def test_it_checks_a_custom_scale():
    item = question(type="scale", scale_min=-2, scale_max=2)
    assert q.clean_answer(item, -2, {}) == -2
    with pytest.raises(ValueError, match="-2"):
        q.clean_answer(item, 3, {})


def test_it_requires_bounds_for_a_rating_scale():
    with pytest.raises(q.DefinitionError) as err:
        q.check_definition(question(type="scale"), [])
    assert err.value.field == "scale_min"
    with pytest.raises(q.DefinitionError):
        q.check_definition(question(type="scale", scale_min=5, scale_max=5), [])


def test_single_and_multiple_choices_with_other():
    single = question(type="single", options=OPTIONS, allow_other=True)
    assert q.clean_answer(single, "b", {}) == "b"
    assert q.clean_answer(single, "other", {}) == "other"
    with pytest.raises(ValueError):
        q.clean_answer(single, "c", {})
    multiple = question(type="multiple", options=OPTIONS)
    assert q.clean_answer(multiple, ["b", "a", "b"], {}) == ["a", "b"]
    with pytest.raises(ValueError, match="other"):
        q.clean_answer(multiple, ["other"], {})


def test_other_needs_its_text():
    single = question(code="s", type="single", options=OPTIONS, allow_other=True)
    with pytest.raises(q.AnswerErrors) as err:
        q.clean_answers([single], {"s": "other"})
    assert set(err.value.errors) == {"s.other"}
    assert q.clean_answers([single], {"s": "other", "s.other": " Jira "}) == \
        {"s": "other", "s.other": "Jira"}
    # The text of "other" is dropped when "other" is not chosen.
    assert q.clean_answers([single], {"s": "a", "s.other": "x"}) == {"s": "a"}


def test_a_grid_rates_importance_and_satisfaction_per_attribute():
    grid = question(type="grid", options=OPTIONS, required=True)
    full = {"a": {"importance": 5, "satisfaction": 2}, "b": {"importance": 1, "satisfaction": 5}}
    assert q.clean_answer(grid, full, {}) == full
    with pytest.raises(ValueError, match="b"):
        q.clean_answer(grid, {"a": {"importance": 5, "satisfaction": 2}}, {})
    with pytest.raises(ValueError):
        q.clean_answer(grid, {"a": {"importance": 6, "satisfaction": 2}}, {})
    with pytest.raises(ValueError):
        q.clean_answer(grid, {"z": {"importance": 1}}, {})
    optional = question(type="grid", options=OPTIONS, scale_min=0, scale_max=10)
    assert q.clean_answer(optional, {"a": {"importance": 10}}, {}) == {"a": {"importance": 10}}


def test_text_is_stripped_and_bounded():
    text = question(type="text")
    assert q.clean_answer(text, "  hello ", {}) == "hello"
    with pytest.raises(ValueError):
        q.clean_answer(text, "x" * (q.MAX_TEXT + 1), {})
    with pytest.raises(ValueError):
        q.clean_answer(text, 12, {})


def test_a_condition_shows_a_question_for_a_score_band():
    nps = question(code="nps", type="nps", required=True)
    why = question(code="why", type="text", required=True,
                   condition={"question": "nps", "op": "between", "min": 0, "max": 6})
    assert q.clean_answers([nps, why], {"nps": 9, "why": "ignored"}) == {"nps": 9}
    with pytest.raises(q.AnswerErrors) as err:
        q.clean_answers([nps, why], {"nps": 3})
    assert set(err.value.errors) == {"why"}
    assert q.visible_codes([nps, why], {"nps": 3}) == ["nps", "why"]
    assert q.visible_codes([nps, why], {"nps": 8}) == ["nps"]


def test_conditions_on_choices_and_on_being_answered():
    pick = question(code="pick", type="multiple", options=OPTIONS)
    when_b = question(code="when_b", type="text", condition={"question": "pick", "op": "in",
                                                              "values": ["b"]})
    answered = question(code="more", type="text",
                        condition={"question": "when_b", "op": "answered"})
    items = [pick, when_b, answered]
    assert q.clean_answers(items, {"pick": ["a", "b"], "when_b": "x", "more": "y"}) == \
        {"pick": ["a", "b"], "when_b": "x", "more": "y"}
    # A chain: hiding when_b hides "more" too.
    assert q.clean_answers(items, {"pick": ["a"], "when_b": "x", "more": "y"}) == {"pick": ["a"]}


def test_a_condition_must_point_backwards_and_make_sense():
    nps = question(code="nps", type="nps")
    with pytest.raises(q.DefinitionError, match="later"):
        q.check_definition(question(code="x", type="text",
                                    condition={"question": "later", "op": "answered"}), [nps])
    with pytest.raises(q.DefinitionError):
        q.check_definition(question(code="x", type="text",
                                    condition={"question": "nps", "op": "between", "min": 7,
                                               "max": 2}), [nps])
    pick = question(code="pick", type="single", options=OPTIONS)
    with pytest.raises(q.DefinitionError, match="zz"):
        q.check_definition(question(code="x", type="text",
                                    condition={"question": "pick", "op": "in",
                                               "values": ["zz"]}), [pick])


def test_unknown_keys_and_partial_drafts():
    nps = question(code="nps", type="nps", required=True)
    with pytest.raises(q.AnswerErrors) as err:
        q.clean_answers([nps], {"nps": 5, "intruder": 1})
    assert "intruder" in err.value.errors
    assert q.clean_answers([nps], {}, partial=True) == {}
    with pytest.raises(q.AnswerErrors):
        q.clean_answers([nps], {"nps": 12}, partial=True)


def test_option_definitions_are_checked():
    with pytest.raises(q.DefinitionError, match="a"):
        q.check_definition(question(type="single", options=OPTIONS + [OPTIONS[0]]), [])
    with pytest.raises(q.DefinitionError):
        q.check_definition(question(type="multiple", options=[]), [])
    with pytest.raises(q.DefinitionError):
        q.check_definition(question(type="single", options=[{"code": "a b", "label_fr": "x"}]),
                           [])
    with pytest.raises(q.DefinitionError):
        q.check_definition(question(type="single", allow_other=True,
                                    options=[{"code": "other", "label_fr": "x"}]), [])
