"""A rating matrix leaves the survey as files (CSV, SPSS read back with pyreadstat), through
the API (``columns`` in and out), and into the analytical store (where it gives no rows)."""

from __future__ import annotations

import csv
import io
import math
from pathlib import Path

import pyreadstat
import pytest
from django.utils import translation

from phare.insights import store
from phare.listening import services
from phare.listening.exports.formats import export_csv, export_sav
from phare.listening.exports.table import build_table
from phare.listening.models import Survey
from tests.listening.factories import ALTERNATIVES, ATTRIBUTES, make_study, study_answers, submit

pytestmark = pytest.mark.django_db

CELLS = [f"ratings_{c['code']}_{o['code']}" for c in ALTERNATIVES for o in ATTRIBUTES]


@pytest.fixture
def answered(personas) -> Survey:
    survey = make_study(anonymity=Survey.Anonymity.CONFIDENTIAL)
    for i in range(6):
        submit(survey, study_answers(i), day=3 + i % 3)
    return survey


def rows(data: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))


def expected(variable: str, answers: dict) -> int | None:
    _question, column, row = variable.split("_")
    return answers["ratings"].get(column, {}).get(row)


def test_the_table_has_a_variable_per_column_and_row(answered):
    table = build_table(answered, language="en")
    names = table.names
    at = names.index("ratings_dsi_speed")
    assert names[at:at + 9] == CELLS
    assert names[at + 9:] == ["importance_importance_speed", "importance_importance_cost",
                              "importance_importance_trust"]
    assert table.dropped == ["why"]  # 6 responses: under the verbatim threshold
    variable = table.variables[at + 1]
    assert variable.label == "How do you rate each? — The IT department — Cost"
    assert (variable.type, variable.measure, variable.question) == ("numeric", "ordinal",
                                                                    "ratings")
    assert dict(variable.value_labels) == {1: "Very poor", 5: "Very good"}
    assert dict(table.variables[names.index("importance_importance_cost")].value_labels) == {}
    # Each response's cells, whatever the row order of the export: the multiset of values.
    got = sorted(tuple(-1 if row[names.index(n)] is None else row[names.index(n)]
                       for n in CELLS) for row in table.rows)
    want = sorted(tuple(-1 if expected(n, study_answers(i)) is None
                        else expected(n, study_answers(i)) for n in CELLS) for i in range(6))
    assert got == want
    assert [row[names.index("ratings_diy_trust")] for row in table.rows] == [None] * 6
    assert sorted(row[names.index("ratings_saas_speed")] or 0 for row in table.rows) == \
        [0, 0, 0, 4, 4, 4]


def test_the_csv_holds_codes_or_labels(answered):
    with translation.override("en"):
        codes = rows(export_csv(answered, labels=False, language="en"))
        labels = rows(export_csv(answered, labels=True, language="en"))
    assert len(codes) == 6 and set(CELLS) <= set(codes[0])
    speeds = sorted(int(r["ratings_dsi_speed"]) for r in codes)
    assert speeds == sorted(1 + i % 5 for i in range(6))
    assert {r["ratings_dsi_trust"] for r in codes} == {"5"}
    assert {r["ratings_diy_trust"] for r in codes} == {""}  # "don't know" everywhere
    assert {r["ratings_dsi_trust"] for r in labels} == {"Very good"}
    assert {r["ratings_dsi_cost"] for r in labels} == {"3"}  # no label in the middle


def test_the_sav_reads_back_with_labels_and_missing_cells(answered, tmp_path: Path):
    path = tmp_path / "study.sav"
    path.write_bytes(export_sav(answered, language="fr"))
    frame, meta = pyreadstat.read_sav(str(path), user_missing=True)
    table = build_table(answered, language="fr")
    assert list(frame.columns) == table.names
    for name in CELLS:
        values = frame[name].tolist()
        column = table.column(name)
        assert all((math.isnan(v) if e is None else v == float(e))
                   for v, e in zip(values, column, strict=True)), name
    assert meta.column_names_to_labels["ratings_saas_trust"] == (
        "Comment jugez-vous chacun ? — Un outil en ligne — Confiance")
    assert meta.variable_value_labels["ratings_dsi_speed"] == {1.0: "Très mal",
                                                               5.0: "Très bien"}
    assert meta.variable_measure["ratings_dsi_speed"] == "ordinal"
    assert "ratings_dsi_speed" not in meta.missing_ranges  # the matrix has no condition
    assert frame["ratings_diy_trust"].isna().all()
    assert sorted(frame["ratings_saas_speed"].fillna(0).tolist()) == [0, 0, 0, 4, 4, 4]


def test_below_the_threshold_a_study_is_not_exported(personas):
    from phare.listening.exports.rules import ExportRefused

    survey = make_study()
    for i in range(4):
        submit(survey, study_answers(i))
    with pytest.raises(ExportRefused):
        build_table(survey, language="fr")


# --- the API --------------------------------------------------------------------------------------



def test_the_api_takes_and_gives_columns(api):
    created = api("POST", "/surveys", {"slug": "etude", "kind": "study", "title_fr": "Étude"})
    assert created.status_code == 201 and created.json()["kind"] == "study"
    question = {"code": "ratings", "type": "matrix", "text_fr": "Notez", "required": True,
                "options": ATTRIBUTES, "columns": ALTERNATIVES, "scale_min": 1, "scale_max": 7}
    added = api("POST", "/surveys/etude/questions", question)
    assert added.status_code == 201, added.content
    body = added.json()
    assert body["type"] == "matrix" and body["columns"] == ALTERNATIVES
    assert (body["scale_min"], body["scale_max"]) == (1, 7)
    detail = api("GET", "/surveys/etude").json()
    assert detail["current"]["questions"][0]["columns"] == ALTERNATIVES
    changed = api("PATCH", "/surveys/etude/questions/ratings",
                  {"columns": ALTERNATIVES[:2]}).json()
    assert [c["code"] for c in changed["columns"]] == ["dsi", "saas"]
    listed = api("GET", "/surveys", {"kind": "study"}).json()
    assert [s["slug"] for s in listed["items"]] == ["etude"]


@pytest.mark.parametrize(("patch", "field"), [
    ({"columns": []}, "columns"),
    ({"columns": [{"code": "a", "label_fr": "A"}] * 2}, "columns"),
    ({"columns": [{"code": f"c{i}", "label_fr": "C"} for i in range(13)]}, "columns"),
    ({"columns": None}, "columns"),
    ({"scale_min": 0, "scale_max": 11}, "scale_max"),
    ({"options": []}, "options"),
])
def test_the_api_refuses_a_broken_matrix_naming_the_field(api, patch, field):
    api("POST", "/surveys", {"slug": "etude", "kind": "study", "title_fr": "Étude"})
    question = {"code": "ratings", "type": "matrix", "text_fr": "Notez",
                "options": ATTRIBUTES, "columns": ALTERNATIVES, **patch}
    refused = api("POST", "/surveys/etude/questions", question)
    assert refused.status_code == 422
    assert field in {d["field"] for d in refused.json()["error"]["details"]}


def test_the_api_refuses_a_bad_column_code_by_schema(api):
    api("POST", "/surveys", {"slug": "etude", "kind": "study", "title_fr": "Étude"})
    refused = api("POST", "/surveys/etude/questions", {
        "code": "ratings", "type": "matrix", "text_fr": "Notez", "options": ATTRIBUTES,
        "columns": [{"code": "a b", "label_fr": "A"}]})
    assert refused.status_code == 422
    assert any("columns" in d["field"] for d in refused.json()["error"]["details"])


# --- the analytical store -------------------------------------------------------------------------

def test_the_store_builds_with_matrix_answers_and_keeps_the_rest(answered, settings, tmp_path):
    settings.PHARE_ANALYTICS_DIR = tmp_path / "analytics"
    assert store.refresh(answered)["rebuilt"] >= 1
    responses = store.query([answered], "SELECT count(*) AS n FROM responses")
    assert responses["n"][0] == 6
    scores = store.query([answered], "SELECT count(*) AS n FROM scores")
    assert scores["n"][0] == 0  # a matrix is no barometer grid: no score rows
    texts = store.query([answered], "SELECT question, count(*) AS n FROM texts GROUP BY ALL")
    assert dict(zip(texts["question"], texts["n"], strict=True)) == {"why": 6}


def test_a_study_is_not_a_barometer_in_insights(answered):
    from phare.insights import queries as insight_queries

    services.survey_create(slug="baro", kind="barometer", title_fr="Baromètre")
    assert insight_queries.barometers(Survey.objects.all()) == []
