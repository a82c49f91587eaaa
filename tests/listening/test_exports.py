"""The export table: variables of every question type, missing values, anonymity and thresholds,
CSV and Excel files."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import random
import re
from collections import Counter

import pytest
from django.utils import timezone, translation
from django.utils.translation import gettext
from openpyxl import load_workbook

from phare.listening import services
from phare.listening.exports.formats import export_csv, export_sav, export_xlsx, write_csv
from phare.listening.exports.rules import (
    ExportRefused,
    check_group_size,
    keeps_verbatims,
    protect_segments,
)
from phare.listening.exports.table import (
    NOT_ASKED,
    ExportTable,
    Variable,
    build_table,
    not_asked_code,
    spss_name,
)
from phare.listening.models import Invitation, Survey, Wave
from tests.directory.factories import make_person
from tests.listening.factories import (
    NPS_VALUES,
    SEGMENT,
    answers_for,
    fill,
    make_export_survey,
    submit,
)

META = ["response", "wave", "version", "day", "language", "channel", "unit", "site",
        "job_family"]
QUESTIONS = ["nps", "why_low", "csat", "ces", "scale", "followup",
             "grid_reactivite_imp", "grid_reactivite_sat", "grid_competence_imp",
             "grid_competence_sat", "grid_communication_imp", "grid_communication_sat",
             "tools_teams", "tools_vpn", "tools_mail", "tools_other", "tools_other_text",
             "site_pref", "site_pref_other_text", "comment"]
VERBATIMS = {"why_low", "tools_other_text", "site_pref_other_text", "comment"}
UUID = re.compile(r"[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}", re.I)
TIME = re.compile(r"\d{1,2}:\d{2}")


def by_id(table) -> dict[str, dict]:
    return {row[table.names.index("response_id")]: dict(zip(table.names, row, strict=True))
            for row in table.rows}


# --- pure rules --------------------------------------------------------------------------------

def test_it_names_variables_the_way_spss_accepts():
    taken: set[str] = set()
    assert spss_name("nps", taken) == "nps"
    assert spss_name("NPS", taken) == "NPS_2"  # SPSS names ignore case
    assert spss_name("satisfaction-générale", taken) == "satisfaction_generale"
    assert spss_name("1er_contact", taken) == "v_1er_contact"
    assert spss_name("to", taken) == "v_to"
    assert spss_name("_x_", taken) == "v_x"
    long = spss_name("a" * 80, taken)
    assert long == "a" * 64
    assert spss_name("a" * 70, taken) == "a" * 62 + "_2"
    for name in ("nps", "NPS_2", "satisfaction_generale", "v_1er_contact", "v_to", long):
        assert re.fullmatch(r"[A-Za-z][A-Za-z0-9_]{0,63}", name)


def test_it_leaves_segments_alone_when_every_group_is_large_enough():
    segments = [("DSI", "PAR", "IT")] * 5 + [("VEN", "LYS", "COM")] * 6
    protected, blanked = protect_segments(segments, 5)
    assert protected == segments
    assert blanked == {"unit": 0, "site": 0, "job_family": 0}


def test_it_blanks_the_site_first():
    segments = [("DSI", "PAR", "IT")] * 6 + [("DSI", "LYS", "IT")] * 3 + [("DSI", "MRS", "IT")] * 2
    protected, blanked = protect_segments(segments, 5)
    assert Counter(protected) == {("DSI", "PAR", "IT"): 6, ("DSI", "", "IT"): 5}
    assert blanked == {"unit": 0, "site": 5, "job_family": 0}


def test_it_blanks_the_job_family_then_the_unit():
    segments = ([("DSI", "PAR", "IT")] * 5 + [("DSI", "LYS", "COM")] * 3
                + [("DSI", "MRS", "RH")] * 2 + [("VEN", "LYS", "COM")] * 2
                + [("ACH", "PAR", "COM")] * 3)
    protected, blanked = protect_segments(segments, 5)
    # Alone in its column, the job family RH (2) is blanked with IT (5) beside it, so that the
    # blanks are not "the RH pair"; then the small combinations lose their site and unit.
    assert Counter(protected) == {("DSI", "PAR", ""): 5, ("DSI", "", ""): 5, ("", "", "COM"): 5}
    assert blanked == {"site": 10, "job_family": 10, "unit": 5}


def test_a_group_of_four_never_shows_not_even_by_elimination():
    segments = [("DSI", "PAR", "IT")] * 6 + [("VEN", "LYS", "COM")] * 4
    protected, _blanked = protect_segments(segments, 5)
    # Blanking the four alone would leave "the blank rows" = the four of VEN: all go blank.
    assert Counter(protected) == {("", "", ""): 10}


def test_every_combination_reaches_k_whatever_the_segments():
    generator = random.Random(20250301)
    for _case in range(300):
        k = generator.choice([5, 6, 10])
        n = generator.randint(k, 60)
        segments = [(generator.choice("ABC"), generator.choice(["p", "l", "m", ""]),
                     generator.choice("xy")) for _ in range(n)]
        protected, blanked = protect_segments(segments, k)
        counts = Counter(protected)
        assert min(counts.values()) >= k, (segments, k)
        # Only blanking, never changing a value.
        for before, after in zip(segments, protected, strict=True):
            assert all(a in ("", b) for a, b in zip(after, before, strict=True))
        assert sum(blanked.values()) == sum(
            a != b for before, after in zip(segments, protected, strict=True)
            for a, b in zip(after, before, strict=True))


def test_it_refuses_fewer_responses_than_the_minimum():
    with pytest.raises(ExportRefused) as refused:
        check_group_size(4, 5)
    assert refused.value.field == "responses"
    check_group_size(5, 5)
    assert not keeps_verbatims(9, 10)
    assert keeps_verbatims(10, 10)


def test_the_not_asked_code_stays_out_of_the_scale():
    assert not_asked_code(0) == NOT_ASKED
    assert not_asked_code(-99) == -100
    assert not_asked_code(-120) == -121


# --- the table ---------------------------------------------------------------------------------

def test_it_exports_every_question_type(db):
    survey = make_export_survey()
    responses = fill(survey)
    table = build_table(survey, language="fr")
    assert table.names == [*META[:1], "response_id", *META[1:], *QUESTIONS]
    rows = by_id(table)
    assert set(rows) == {str(r.pk) for r in responses}
    for index, response in enumerate(responses):
        row, nps = rows[str(response.pk)], NPS_VALUES[index]
        assert (row["nps"], row["csat"], row["ces"], row["scale"]) == (nps, 4, 6, 8)
        assert row["day"] == dt.date(2025, 3, 1)  # by month only
        assert (row["unit"], row["site"], row["job_family"]) == SEGMENT
        assert (row["wave"], row["version"], row["language"], row["channel"]) == (
            None, 1, "fr", "open_link")
        assert all(row[f"grid_{a}_{d}"] == (5 if d == "imp" else 3)
                   for a in ("reactivite", "competence", "communication") for d in ("imp", "sat"))
        if nps <= 6:
            assert row["why_low"] == "Trop lent"
            assert row["followup"] == (None if index == 4 else 2)  # shown, left: system missing
        else:
            assert row["why_low"] == ""  # strings have no missing values
            assert row["followup"] == NOT_ASKED  # hidden by its condition
        if index == 2:  # the multiple choice left unanswered: missing, not "not chosen"
            assert [row[f"tools_{o}"] for o in ("teams", "vpn", "mail", "other")] == [None] * 4
            assert row["tools_other_text"] == ""
        else:
            assert [row[f"tools_{o}"] for o in ("teams", "vpn", "mail", "other")] == [0, 1, 0, 1]
            assert row["tools_other_text"] == "Jira"
        if index == 3:
            assert (row["site_pref"], row["site_pref_other_text"]) == (3, "Coworking")
        else:
            assert (row["site_pref"], row["site_pref_other_text"]) == (2, "")
    assert table.dropped == [] and table.notes() == []


def test_variables_carry_labels_in_the_export_language(db):
    survey = make_export_survey()
    fill(survey)
    for language in ("fr", "en"):
        table = build_table(survey, language=language)
        variables = {v.name: v for v in table.variables}
        with translation.override(language):
            assert variables["nps"].label == survey.versions.last().questions.get(
                code="nps").text
            assert variables["nps"].value_labels == {0: gettext("Not at all likely"),
                                                     10: gettext("Extremely likely")}
            assert variables["csat"].value_labels == {
                1: gettext("Very dissatisfied"), 2: gettext("Dissatisfied"),
                3: gettext("Neither satisfied nor dissatisfied"), 4: gettext("Satisfied"),
                5: gettext("Very satisfied")}
            assert sorted(variables["ces"].value_labels) == list(range(1, 8))
            assert variables["followup"].value_labels[NOT_ASKED] == gettext("Not asked")
            assert variables["followup"].missing == (NOT_ASKED,)
            assert variables["tools_vpn"].value_labels == {0: gettext("Not chosen"),
                                                           1: gettext("Chosen")}
            assert variables["site_pref"].value_labels[3] == gettext("Other")
        assert variables["nps"].missing == () and NOT_ASKED not in variables["nps"].value_labels
        french = language == "fr"
        assert variables["scale"].value_labels == (
            {1: "Pas du tout", 10: "Tout à fait"} if french else {1: "Not at all",
                                                                  10: "Completely"})
        assert variables["site_pref"].value_labels[2] == ("À domicile" if french else "At home")
        assert variables["grid_competence_sat"].label.startswith(
            "Importance et satisfaction — Compétence" if french
            else "Importance and satisfaction — Expertise")
        assert variables["tools_mail"].label.endswith("Messagerie" if french else "Email")
        assert {v.name for v in table.variables if v.verbatim} == VERBATIMS
        assert (variables["csat"].measure, variables["nps"].measure,
                variables["site_pref"].measure) == ("ordinal", "scale", "nominal")


def test_an_unknown_language_wave_or_version_is_refused(db):
    survey = make_export_survey()
    fill(survey, 5)
    for options, field in (({"language": "de"}, "language"), ({"wave": 3}, "wave"),
                           ({"version": 7}, "version")):
        with pytest.raises(ExportRefused) as refused:
            build_table(survey, **{"language": "fr", **options})
        assert refused.value.field == field


def test_it_exports_one_wave(db):
    survey = make_export_survey()
    version = survey.current_version()
    first, second = (Wave.objects.create(survey=survey, version=version, number=n,
                                         name=f"Vague {n}", opens_on=dt.date(2025, 3, 1),
                                         closes_on=dt.date(2025, 3, 31)) for n in (1, 2))
    fill(survey, 6, wave=first)
    fill(survey, 4, wave=second)
    table = build_table(survey, language="fr", wave=1)
    assert table.column("wave") == [1] * 6
    assert next(v for v in table.variables if v.name == "wave").value_labels == {1: "Vague 1"}
    with pytest.raises(ExportRefused) as refused:  # 4 responses only
        build_table(survey, language="fr", wave=second)
    assert refused.value.field == "responses"
    assert len(build_table(survey, language="fr").rows) == 10


def test_versions_export_the_union_of_their_questions(db):
    survey = make_export_survey()
    old = fill(survey, 5)
    services.question_delete(survey, "comment")  # answered: makes version 2
    services.question_add(survey, code="new_q", type="nps", section=1, text_fr="Nouvelle",
                          text_en="New")
    assert survey.current_version().number == 2
    new = [submit(survey, {k: v for k, v in answers_for(i, 9).items() if k != "comment"}
                  | {"new_q": 7}) for i in range(5)]
    table = build_table(survey, language="fr")
    # Newest version's order (new_q closes section 1), then what only older versions had.
    assert table.names[-3:] == ["site_pref", "site_pref_other_text", "comment"]
    assert table.names.index("new_q") == table.names.index("followup") + 1
    rows = by_id(table)
    assert {rows[str(r.pk)]["new_q"] for r in old} == {None}  # absent from version 1
    assert {rows[str(r.pk)]["comment"] for r in new} == {""}
    assert {rows[str(r.pk)]["comment"] for r in old} >= {"Très bien dans l'ensemble"}
    assert {rows[str(r.pk)]["version"] for r in new} == {2}
    assert {rows[str(r.pk)]["new_q"] for r in new} == {7}
    only_first = build_table(survey, language="fr", version=1)
    assert "new_q" not in only_first.names and len(only_first.rows) == 5


def test_a_changed_type_keeps_the_newest_and_says_so(db):
    survey = make_export_survey()
    fill(survey, 5)
    services.question_update(survey, "scale", type="nps", scale_min=None, scale_max=None)
    submit(survey, answers_for(0, 9) | {"scale": 10})
    for _ in range(4):
        submit(survey, answers_for(0, 9) | {"scale": 0})
    table = build_table(survey, language="fr")
    assert sorted(table.column("scale"), key=str) == [0, 0, 0, 0, 10, None, None, None, None,
                                                      None]
    assert table.retyped == ["scale"] and len(table.notes()) == 1


def test_meta_columns_depend_on_the_anonymity(db, org):
    people = [make_person(org, f"E1{i:03d}", "P", f"Person{i}") for i in range(5)]
    kinds = {}
    for anonymity in Survey.Anonymity.values:
        survey = make_export_survey(f"s-{anonymity}", anonymity=anonymity)
        for person in people:
            submit(survey, answers_for(0, 9), respondent=person)
        kinds[anonymity] = build_table(survey, language="fr")
    assert kinds["anonymous"].names[:len(META)] == META
    assert kinds["confidential"].names[:len(META) + 1] == ["response", "response_id", *META[1:]]
    assert kinds["named"].names[:len(META) + 2] == ["response", "response_id", "employee_id",
                                                    *META[1:]]
    assert sorted(kinds["named"].column("employee_id")) == [p.employee_id for p in people]
    assert kinds["anonymous"].column("response") == [1, 2, 3, 4, 5]


def test_rows_come_by_month_then_hash_never_in_recording_order(db):
    survey = make_export_survey()  # confidential: dated by month
    responses = fill(survey, 12)  # on three different days of one month
    ids = build_table(survey, language="fr").column("response_id")
    expected = sorted(responses, key=lambda r: hashlib.sha256(str(r.pk).encode()).hexdigest())
    assert ids == [str(r.pk) for r in expected]  # the day says nothing through the order


def test_named_rows_come_by_day_then_hash(db):
    survey = make_export_survey("nominatif", anonymity=Survey.Anonymity.NAMED)
    responses = fill(survey, 12)
    ids = build_table(survey, language="fr").column("response_id")
    expected = sorted(responses, key=lambda r: (r.submitted_on,
                                                hashlib.sha256(str(r.pk).encode()).hexdigest()))
    assert ids == [str(r.pk) for r in expected]


# --- anonymity and thresholds ------------------------------------------------------------------

def _cells_of_every_format(survey: Survey) -> list[str]:
    cells = []
    for labels in (False, True):
        text = export_csv(survey, labels=labels, language="fr").decode("utf-8-sig")
        cells += [cell for row in csv.reader(io.StringIO(text)) for cell in row]
    workbook = load_workbook(io.BytesIO(export_xlsx(survey, language="en")))
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows(values_only=True):
            for value in row:
                if isinstance(value, dt.datetime):
                    assert value.time() == dt.time(0), value  # a day, never a time
                    value = value.date()
                cells.append("" if value is None else str(value))
    return cells


def test_no_identifier_reaches_an_anonymous_export(db, org):
    survey = make_export_survey(anonymity=Survey.Anonymity.ANONYMOUS)
    version = survey.current_version()
    invitations = []
    for i in range(10):
        person = make_person(org, f"E2{i:03d}", "Ano", f"Nyme{i}")
        invitation = Invitation.objects.create(survey=survey, version=version, person=person,
                                               email=person.email,
                                               **services.segment_of(person))
        invitations.append(invitation)
        # Given the person and a client key (kept for open links): neither may come out.
        # (Not through ``invitation=``: its row lock fails on PostgreSQL, see the report.)
        services.response_submit(survey=survey, answers=answers_for(i, NPS_VALUES[i]),
                                 channel="invitation", respondent=person,
                                 segment=services.segment_of(person),
                                 submission_id=f"0d6cbd9e-61f7-4bd6-9a7d-1c7d3a0f8e5{i}",
                                 submitted_at=timezone.make_aware(dt.datetime(2025, 3, 4, 9)))
    stored = list(survey.responses.all())
    assert all(r.submission_id for r in stored)
    secrets = {inv.token for inv in invitations} | {inv.email for inv in invitations} | {
        inv.person.employee_id for inv in invitations} | {
        str(r.pk) for r in stored} | {str(r.submission_id) for r in stored}
    cells = _cells_of_every_format(survey)
    assert len(cells) > 300
    for cell in cells:
        assert not UUID.search(cell), cell
        assert "@" not in cell, cell
        assert not TIME.search(cell), cell
        assert not re.search(r"T\d\d:\d\d", cell), cell
        assert not any(secret in cell for secret in secrets), cell
    table = build_table(survey, language="fr")
    assert not {"response_id", "employee_id"} & set(table.names)
    assert table.column("response") == list(range(1, 11))


def test_a_segment_of_four_never_appears(db):
    survey = make_export_survey()
    fill(survey, 10, segments=[SEGMENT] * 6 + [("VEN", "LYS", "COM")] * 4)
    table = build_table(survey, language="fr")
    combinations = Counter(zip(table.column("unit"), table.column("site"),
                               table.column("job_family"), strict=True))
    assert min(combinations.values()) >= 5
    assert not {"VEN", "LYS", "COM"} & set(table.column("unit") + table.column("site")
                                          + table.column("job_family"))
    assert table.blanked == {"unit": 10, "site": 10, "job_family": 10}
    assert len(table.notes()) == 3


def test_a_partly_small_segment_loses_only_its_site(db):
    survey = make_export_survey()
    fill(survey, 11, segments=[SEGMENT] * 6 + [("DSI", "LYS", "IT")] * 3
         + [("DSI", "MRS", "IT")] * 2)
    table = build_table(survey, language="fr")
    assert Counter(table.column("site")) == {"PAR": 6, "": 5}
    assert set(table.column("unit")) == {"DSI"} and set(table.column("job_family")) == {"IT"}
    with translation.override("en"):
        assert table.notes() == [gettext(
            "%(segment)s left blank in %(n)d responses: their groups had fewer than %(k)d "
            "responses.") % {"segment": "Site", "n": 5, "k": 5}]


def test_fewer_than_five_responses_export_nothing(db):
    survey = make_export_survey()
    fill(survey, 4)
    for call in (lambda: build_table(survey, language="fr"),
                 lambda: export_csv(survey, labels=False, language="fr"),
                 lambda: export_xlsx(survey, language="fr"),
                 lambda: export_sav(survey, language="fr")):
        with pytest.raises(ExportRefused) as refused:
            call()
        assert refused.value.field == "responses"
    assert refused.value.message == gettext(
        "Fewer than %(k)d responses: nothing can be exported, so that no one's answers can be "
        "singled out.") % {"k": 5}


def test_a_raised_threshold_applies(db):
    survey = make_export_survey(min_group_size=8)
    fill(survey, 7)
    with pytest.raises(ExportRefused):
        build_table(survey, language="fr")
    fill(survey, 1)
    assert len(build_table(survey, language="fr").rows) == 8


def test_verbatims_are_left_out_below_ten_responses(db):
    survey = make_export_survey()
    fill(survey, 9)
    table = build_table(survey, language="fr")
    assert set(table.dropped) == VERBATIMS
    assert not VERBATIMS & set(table.names)
    assert all(len(row) == len(table.names) for row in table.rows)
    assert len(table.notes()) == 1
    fill(survey, 1)
    assert set(build_table(survey, language="fr").names) >= VERBATIMS


# --- files -------------------------------------------------------------------------------------

def _csv_rows(data: bytes) -> list[list[str]]:
    assert data.startswith("\ufeff".encode())
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


def test_csv_has_codes_or_labels(db):
    survey = make_export_survey()
    responses = fill(survey)
    codes = _csv_rows(export_csv(survey, labels=False, language="fr"))
    labels = _csv_rows(export_csv(survey, labels=True, language="en"))
    assert codes[0] == labels[0] == build_table(survey, language="fr").names
    assert len(codes) == len(labels) == 11
    column = codes[0].index
    zero = next(r for r in codes[1:] if r[column("nps")] == "0")
    labelled = next(r for r in labels[1:] if r[column("response_id")] == zero[column(
        "response_id")])
    assert (zero[column("followup")], zero[column("why_low")], zero[column("day")]) == (
        "", "Trop lent", zero[column("day")])
    assert zero[column("day")] == "2025-03-01"  # by month only
    with translation.override("en"):
        assert labelled[column("nps")] == gettext("Not at all likely")
        assert labelled[column("tools_vpn")] == gettext("Chosen")
        assert labelled[column("tools_teams")] == gettext("Not chosen")
    assert labelled[column("site_pref")] == "At home"
    assert labelled[column("scale")] == "8"  # no label for 8: the value
    high = next(r for r in codes[1:] if r[column("nps")] == "10")
    assert high[column("followup")] == str(NOT_ASKED)
    assert {r[column("response_id")] for r in codes[1:]} == {str(r.pk) for r in responses}
    # A verbatim that looks like a formula stays text.
    assert "'=1+1" in [r[column("comment")] for r in codes[1:]]


def test_the_workbook_opens_with_its_four_sheets(db):
    survey = make_export_survey()
    fill(survey, 10, segments=[SEGMENT] * 6 + [("DSI", "LYS", "IT")] * 4)
    table = build_table(survey, language="fr")
    workbook = load_workbook(io.BytesIO(export_xlsx(survey, language="fr")))
    assert workbook.sheetnames == ["responses", "labels", "variables", "notes"]
    rows = list(workbook["responses"].iter_rows(values_only=True))
    assert list(rows[0]) == table.names
    day = table.names.index("day")
    for got, expected in zip(rows[1:], table.rows, strict=True):
        expected = [None if v == "" else v for v in expected]
        if expected[day] is not None:
            expected[day] = dt.datetime.combine(expected[day], dt.time(0))
        assert list(got) == expected
    comment = workbook["responses"].cell(row=1, column=table.names.index("comment") + 1)
    assert comment.value == "comment"
    assert "=1+1" in [r[table.names.index("comment")] for r in rows]  # as text, not a formula
    labels = list(workbook["labels"].iter_rows(values_only=True))
    assert len(labels) == 11
    variables = list(workbook["variables"].iter_rows(values_only=True))
    assert variables[0] == ("name", "label", "type", "measure", "value_labels", "missing",
                            "question")
    followup = next(v for v in variables if v[0] == "followup")
    assert followup[2:4] == ("numeric", "ordinal") and followup[5] == str(NOT_ASKED)
    assert followup[6] == "followup"
    notes = [r[0] for r in workbook["notes"].iter_rows(values_only=True)]
    with translation.override("fr"):
        assert notes[1:] == table.notes()


def test_every_csv_cell_that_looks_like_a_formula_is_neutralised():
    variables = [Variable("site", "Site", "string", "nominal"),
                 Variable("comment", "Comment", "string", "nominal", verbatim=True),
                 Variable("score", "Score", "numeric", "scale")]
    table = ExportTable(survey=None, language="fr", variables=variables,
                                rows=[['=HYPERLINK("http://x")', "@SUM(1)", -3]],
                                blanked={}, dropped=[])
    lines = write_csv(table).decode("utf-8-sig").splitlines()
    assert lines[1] == '"\'=HYPERLINK(""http://x"")",\'@SUM(1),-3'
