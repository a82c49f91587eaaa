"""SPSS .sav export: what pyreadstat reads back is exactly what was exported, in the same form
as pyreadstat's own reference files."""

from __future__ import annotations

import math
from pathlib import Path

import pyreadstat
import pytest

from phare.listening import services, spss
from phare.listening.exports.formats import export_sav
from phare.listening.exports.table import NOT_ASKED, build_table
from phare.listening.models import Survey
from tests.listening.factories import answers_for, fill, make_export_survey, submit

REFERENCE = Path(__file__).resolve().parents[2].parent / "shared/reference/spss"


def read(path: Path, *, user_missing: bool):
    return pyreadstat.read_sav(str(path), user_missing=user_missing)


def written(tmp_path: Path, survey: Survey, **options) -> Path:
    path = tmp_path / "export.sav"
    path.write_bytes(export_sav(survey, **{"language": "fr", **options}))
    return path


def _same(got, expected) -> bool:
    if expected is None:
        return isinstance(got, float) and math.isnan(got)
    if isinstance(expected, int):
        return got == float(expected)
    return got == expected


@pytest.mark.parametrize("language", ["fr", "en"])
def test_it_reads_back_exactly_what_was_exported(db, tmp_path, language):
    survey = make_export_survey(anonymity=Survey.Anonymity.NAMED)
    fill(survey)
    table = build_table(survey, language=language)
    path = written(tmp_path, survey, language=language)
    frame, meta = read(path, user_missing=True)
    assert list(frame.columns) == table.names
    for index, variable in enumerate(table.variables):
        values = frame[variable.name].tolist()
        expected = [row[index] for row in table.rows]
        assert all(_same(g, e) for g, e in zip(values, expected, strict=True)), variable.name
    numeric = [v for v in table.variables if v.type == "numeric"]
    assert meta.column_names_to_labels == {v.name: v.label for v in table.variables}
    assert meta.variable_value_labels == {
        v.name: {float(code): label for code, label in v.value_labels.items()}
        for v in numeric if v.value_labels}
    assert meta.missing_ranges == {"followup": [{"lo": -99.0, "hi": -99.0}]}
    assert meta.missing_user_values == {}
    assert meta.variable_measure == {v.name: v.measure for v in table.variables}
    assert meta.file_label == (survey.title_fr if language == "fr" else survey.title_en)
    assert {meta.original_variable_types[v.name] for v in numeric} <= {"F1.0", "F2.0", "F3.0"}
    assert meta.original_variable_types["day"].startswith("DATE")
    assert {meta.readstat_variable_types[v.name] for v in table.variables
            if v.type == "string"} == {"string"}
    assert set(meta.variable_display_width) == set(table.names)
    assert NOT_ASKED in frame["followup"].tolist()


def test_not_asked_is_missing_without_user_missing(db, tmp_path):
    survey = make_export_survey()
    fill(survey)
    path = written(tmp_path, survey)
    with_codes, _meta = read(path, user_missing=True)
    plain, meta = read(path, user_missing=False)
    hidden = with_codes["followup"] == NOT_ASKED
    assert hidden.sum() == 6  # nps 7–10: the question was not shown
    assert plain["followup"][hidden].isna().all()
    assert plain["followup"][~hidden].equals(with_codes["followup"][~hidden])
    assert meta.missing_ranges == {}  # as pyreadstat reports any file read this way
    assert meta.variable_value_labels["followup"][float(NOT_ASKED)]


def test_long_labels_and_texts_fit_spss(db, tmp_path):
    survey = make_export_survey()
    services.question_add(survey, code="long", type="single", text_fr="é" * 300,
                          options=[{"code": "a", "label_fr": "è" * 200, "label_en": "x"}])
    long_text = "Réponse détaillée — “guillemets” ✓ " * 140
    for i in range(10):
        submit(survey, answers_for(i, 9) | {"comment": long_text, "long": "a"})
    frame, meta = read(written(tmp_path, survey), user_missing=True)
    assert meta.column_names_to_labels["long"] == spss.clip("é" * 300, 256) == "é" * 128
    assert meta.variable_value_labels["long"] == {1.0: "è" * 60}
    # Answers are kept trimmed (questions.clean_answer), as SPSS keeps strings.
    assert frame["comment"].tolist() == [long_text.strip()] * 10


def test_clip_never_cuts_a_character():
    assert spss.clip("abc", 2) == "ab"
    assert spss.clip("éé", 3) == "é"
    assert spss.clip("short", 120) == "short"


def _signature(path: Path, variable: str) -> dict:
    """The form pyreadstat gives to a labelled variable with a user-missing code."""
    with_codes, meta = read(path, user_missing=True)
    plain, plain_meta = read(path, user_missing=False)
    ranges = meta.missing_ranges[variable]
    code = ranges[-1]["lo"] if len(ranges) == 1 else next(
        r["lo"] for r in ranges if r["lo"] == r["hi"])
    return {
        "variable label": type(meta.column_names_to_labels[variable]),
        "value labels": {(type(k), type(v)) for k, v in
                         meta.variable_value_labels[variable].items()},
        "missing ranges": {(tuple(sorted(r)), type(r["lo"]), r["lo"] == r["hi"])
                           for r in ranges if r["lo"] == r["hi"]},
        "missing code labelled": code in meta.variable_value_labels[variable],
        "code read with user_missing": bool((with_codes[variable] == code).any()),
        "code read without": bool((plain[variable] == code).any()),
        "ranges without user_missing": plain_meta.missing_ranges,
        "missing_user_values": meta.missing_user_values,
        "measure": meta.variable_measure[variable] in {"nominal", "ordinal", "scale"},
        "type": meta.readstat_variable_types[variable],
    }


def test_it_has_the_form_of_pyreadstats_reference_file(db, tmp_path):
    reference = REFERENCE / "sample_missing.sav"
    if not reference.exists():
        pytest.skip(f"reference folder absent: {REFERENCE} (CI always has ../shared/reference)")
    survey = make_export_survey()
    fill(survey)
    ours = written(tmp_path, survey)
    # "mylabl": value labels {-1: undetermined, 1: Male, 2: Female}, -1 declared user-missing.
    expected = _signature(reference, "mylabl")
    assert expected["code read with user_missing"] and not expected["code read without"]
    assert _signature(ours, "followup") == expected
    # Variable labels and value labels as sample.sav carries them.
    _frame, sample = read(REFERENCE / "sample.sav", user_missing=False)
    _frame, meta = read(ours, user_missing=False)
    assert {type(k) for k in sample.variable_value_labels["myord"]} == {
        type(k) for k in meta.variable_value_labels["csat"]} == {float}
    assert {type(v) for v in sample.column_names_to_labels.values()} == {
        type(v) for v in meta.column_names_to_labels.values()} == {str}
    assert set(meta.variable_measure.values()) <= set(sample.variable_measure.values()) | {
        "nominal", "ordinal", "scale"}
