"""``phare import-survey``: the same import as the web page, its report printed."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils.translation import gettext

from phare.listening.models import Survey

DATA = Path(__file__).parent / "data"


def run(*args: str) -> tuple[int, str, str]:
    out, err = StringIO(), StringIO()
    try:
        call_command("import_survey", *args, stdout=out, stderr=err)
        code = 0
    except SystemExit as exc:
        code = int(exc.code or 0)
    return code, out.getvalue(), err.getvalue()


def test_it_imports_a_qsf_with_its_csv_responses_and_prints_the_report(db):
    code, out, _err = run(str(DATA / "qualtrics_feedback.qsf"), "--responses",
                          str(DATA / "qualtrics_feedback_values.csv"))
    assert code == 0
    survey = Survey.objects.get()
    assert survey.responses.count() == 2
    assert gettext("Questions imported: %(count)d") % {"count": 8} in out
    assert gettext("Responses imported: %(count)d") % {"count": 2} in out
    assert gettext("Not imported: no equivalent in Phare") not in out
    # The file upload is a question; its files are said not imported, by its code.
    assert gettext("uploaded files not imported: only how many each respondent gave") \
        + " (Q6)" in out
    assert gettext("Warnings") in out


def test_json_output_and_a_second_run_that_adds_only_new_responses(db):
    lss = str(DATA / "limesurvey_191.lss")
    code, out, _err = run(lss, "--json")
    report = json.loads(out)
    assert code == 0 and report["questions_imported"] == 8 and report["responses_imported"] == 0
    assert {item["code"] for item in report["unsupported"]} == {"slide"}
    # Again: refused, saying which survey it already is.
    code, out, _err = run(lss, "--json")
    refused = json.loads(out)
    assert code == 2 and refused["already_imported"]["survey_slug"] == report["survey_slug"]
    code, _out, err = run(lss)
    assert code == 2 and "--add-responses" in err
    code, out, _err = run(lss, "--add-responses", "--json")
    assert code == 0 and json.loads(out)["added_to_existing"] is True
    assert Survey.objects.count() == 1


@pytest.mark.parametrize("name", ["missing.lss", "qualtrics_feedback_legacy.csv"])
def test_refused_files_exit_with_status_2_and_list_each_problem(db, name):
    code, _out, err = run(str(DATA / name))
    assert code == 2
    assert gettext("Refused: nothing was imported.") in err
    assert name in err
    assert not Survey.objects.exists()
