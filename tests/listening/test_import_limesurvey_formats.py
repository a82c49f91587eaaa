"""LimeSurvey 1.91–2.06 files, question-group files (.lsg) and the tab-separated format (.txt).

The files in ``data/`` were written for these tests to the layouts LimeSurvey's own importer
reads (``import_helper.php``) and its manual describes (tab-separated survey structure).
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from django.utils.translation import gettext

from phare.listening.imports import SurveyAlreadyImported, SurveyImportError, import_survey
from phare.listening.models import Question, Response, Survey

DATA = Path(__file__).parent / "data"


def data(name: str) -> bytes:
    return (DATA / name).read_bytes()


def archive(lss: bytes | None = None, lsr: bytes | None = None) -> bytes:
    """The LimeSurvey 1.91 survey as an archive (.lsa), with its responses."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as packed:
        packed.writestr("survey_246810.lss", lss or data("limesurvey_191.lss"))
        packed.writestr("survey_246810_responses.lsr",
                        lsr if lsr is not None else data("limesurvey_191_responses.lsr"))
    return out.getvalue()


def questions_of(survey: Survey) -> dict[str, Question]:
    return {q.code: q for q in survey.current_version().questions.all()}


def test_a_limesurvey_1_91_archive_imports_with_its_responses(db):
    report = import_survey([("survey_archive_246810.lsa", archive())])
    survey = report.survey
    assert (survey.source, survey.title_en, survey.status) == (
        "limesurvey:246810", "Contact follow-up", Survey.Status.CLOSED)
    questions = questions_of(survey)
    # Z and W, LimeSurvey 1.x's flexible lists, are lists; F's subquestions come from their
    # own table; question attributes have no language before DBVersion 156.
    assert [(code, q.type) for code, q in questions.items()] == [
        ("visit", "single"), ("channel", "single"), ("rate_sq1", "single"),
        ("rate_sq2", "single"), ("age", "numeric"), ("comment", "text"), ("when", "date"),
        ("prio", "ranking")]
    assert [o["label_en"] for o in questions["channel"].options] == ["Phone", "E-mail", ""]
    assert (report.responses_imported, report.incomplete_skipped) == (2, 1)
    first = survey.responses.get(source_id="1")
    assert first.answers == {"visit": "a1", "channel": "c1", "rate_sq1": "3", "rate_sq2": "2",
                             "age": 34, "comment": "Quick answer", "when": "2011-05-30",
                             "prio": ["p2", "p1"]}
    assert survey.responses.get(source_id="2").answers["prio"] == ["p1"]
    assert {(item.code, item.source_type) for item in report.unsupported} == {("slide", "^")}


def test_what_was_left_behind_is_listed_by_question(db):
    report = import_survey([("survey_246810.lss", data("limesurvey_191.lss"))])
    notes = {(item.code, item.reason) for item in report.notes}
    assert ("visit", gettext("attributes not imported: %(names)s") % {
        "names": "random_order"}) in notes
    assert ("rate", gettext("attributes not imported: %(names)s") % {
        "names": "array_filter"}) in notes
    assert ("channel", gettext("answer option %(option)s has no text (an image only?): "
                               "imported as “%(option)s”") % {"option": "C3"}) in notes
    assert ("comment", gettext("help text cut to %(limit)d characters") % {
        "limit": 300}) in notes
    comment = questions_of(report.survey)["comment"]
    assert len(comment.help_en) == 300 and comment.help_en.endswith("…")
    assert report.survey.status == Survey.Status.DRAFT


def test_a_question_group_file_becomes_a_survey_of_its_own(db):
    report = import_survey([("limesurvey_206.lsg", data("limesurvey_206.lsg"))])
    survey = report.survey
    assert survey.title_fr == "Votre poste de travail"
    assert survey.source == "limesurvey:135791:group:7"
    questions = questions_of(survey)
    assert [(code, q.type) for code, q in questions.items()] == [
        ("ecran", "single"), ("outils", "multiple"), ("priorites", "ranking")]
    assert questions["ecran"].allow_other
    assert not report.unsupported
    assert ("outils", gettext("display conditions not imported")) in {
        (item.code, item.reason) for item in report.notes}


def test_the_tab_separated_format_imports_every_row_class(db):
    report = import_survey([("limesurvey_survey.txt", data("limesurvey_survey.txt"))])
    survey = report.survey
    assert (survey.source, survey.title_en, survey.intro_en) == (
        "limesurvey:975310", "Help desk check", "Two minutes of your time.")
    assert [s.title_en for s in survey.current_version().sections.all()] == [
        "About your request"]
    questions = questions_of(survey)
    assert [(code, q.type) for code, q in questions.items()] == [
        ("helpful", "single"), ("grid_sq1", "scale"), ("grid_sq2", "scale"), ("why", "text")]
    assert questions["helpful"].required
    assert [o["label_en"] for o in questions["helpful"].options] == ["Yes", "No"]
    assert (questions["grid_sq2"].text_en, questions["grid_sq2"].scale_max) == (
        "How was it? — Speed", 5)
    assert questions["why"].help_en == "In a few words"
    assert [(i.code, i.source_type) for i in report.skipped] == [("bye", "X")]
    assert [(i.code, i.source_type) for i in report.unsupported] == [("hours", ":")]
    assert ("helpful", gettext("attributes not imported: %(names)s") % {
        "names": "random_order"}) in {(item.code, item.reason) for item in report.notes}


def refused(files: list[tuple[str, bytes]]) -> SurveyImportError:
    before = Survey.objects.count(), Question.objects.count(), Response.objects.count()
    with pytest.raises(SurveyImportError) as caught:
        import_survey(files)
    assert (Survey.objects.count(), Question.objects.count(), Response.objects.count()) == before
    return caught.value


def test_a_tab_separated_file_with_problems_names_each_line(db):
    text = data("limesurvey_survey.txt").decode("utf-8-sig")
    lines = text.splitlines()
    answer = next(n for n, line in enumerate(lines) if line.startswith("A\t"))
    lines[answer] = "B" + lines[answer][1:]  # an answer row whose class is unknown
    lines = [line.replace("\thours\t", "\tminutes\t") if "\tit\t" in line else line
             for line in lines]
    error = refused([("s.txt", ("\n".join(lines) + "\n").encode())])
    assert [(e.file, e.line) for e in error.errors] == [("s.txt", answer + 1), ("s.txt", 29)]
    assert "minutes" in error.errors[1].reason


def test_a_tab_separated_file_without_its_columns_is_refused(db):
    error = refused([("s.txt", b"question\ttext\nQ1\tHello\n")])
    assert error.errors[0].line == 1 and "class" in error.errors[0].reason


def test_a_file_with_no_importable_question_is_refused_with_the_reason(db):
    text = data("limesurvey_survey.txt").decode("utf-8-sig")
    kept = [line for line in text.splitlines()
            if not line.startswith(("Q\tL", "A\t", "Q\tA", "SQ\t", "Q\tS"))]
    error = refused([("s.txt", ("\n".join(kept) + "\n").encode())])
    assert error.errors[0].reason.startswith(gettext("no question can be imported: %(reasons)s")
                                             .split("%")[0])
    assert gettext("Array (numbers)") in error.errors[0].reason


def test_a_dbversion_below_1_91_is_refused(db):
    old = data("limesurvey_191.lss").replace(b"<DBVersion>146<", b"<DBVersion>145<")
    error = refused([("old.lss", old)])
    assert "145" in error.errors[0].reason


# --- importing the same survey again -----------------------------------------------------------

def first_response_only() -> bytes:
    text = data("limesurvey_191_responses.lsr").decode()
    start = text.index("<row>", text.index("</row>"))
    end = text.rindex("</row>") + len("</row>")
    return (text[:start] + text[end:]).encode()


def test_importing_the_same_archive_again_is_refused_and_names_the_survey(db):
    first = import_survey([("a.lsa", archive(lsr=first_response_only()))]).survey
    error = refused([("a.lsa", archive())])
    assert isinstance(error, SurveyAlreadyImported) and error.survey == first
    assert first.title_fr in error.errors[0].reason


def test_add_responses_adds_only_the_new_ones(db):
    first = import_survey([("a.lsa", archive(lsr=first_response_only()))])
    assert first.responses_imported == 1
    report = import_survey([("a.lsa", archive())], add_responses=True)
    assert report.survey == first.survey and report.added_to_existing
    assert (report.responses_imported, report.responses_already_imported) == (1, 1)
    assert sorted(first.survey.responses.values_list("source_id", flat=True)) == ["1", "2"]
    assert Survey.objects.count() == 1
    again = import_survey([("a.lsa", archive())], add_responses=True)
    assert (again.responses_imported, again.responses_already_imported) == (0, 2)


def test_add_responses_is_refused_for_an_anonymous_or_changed_survey(db):
    anonymous = data("limesurvey_191.lss").replace(
        b"<anonymized><![CDATA[N]]>", b"<anonymized><![CDATA[Y]]>")
    import_survey([("a.lsa", archive(lss=anonymous))])
    with pytest.raises(SurveyImportError) as caught:
        import_survey([("a.lsa", archive(lss=anonymous))], add_responses=True)
    assert caught.value.errors[0].reason == gettext(
        "“%(title)s” is anonymous: Phare kept no response ids, so new responses cannot be "
        "told apart from those already imported") % {"title": "Contact follow-up"}
    assert Response.objects.count() == 2
    changed = anonymous.replace(b"<anonymized><![CDATA[Y]]>", b"<anonymized><![CDATA[N]]>")
    import_survey([("a.lsa", archive(lss=changed))], as_copy=True)  # the latest is compared
    fewer = changed.replace(b"<type><![CDATA[T]]></type>\n    <title><![CDATA[comment]]>",
                            b"<type><![CDATA[S]]></type>\n    <title><![CDATA[comment]]>")
    fewer = fewer.replace(b"<title><![CDATA[visit]]>", b"<title><![CDATA[reason]]>")
    with pytest.raises(SurveyImportError) as caught:
        import_survey([("a.lsa", archive(lss=fewer))], add_responses=True)
    assert "reason" in caught.value.errors[0].reason and Response.objects.count() == 4


def test_as_copy_makes_a_second_survey(db):
    import_survey([("a.lsa", archive())])
    second = import_survey([("a.lsa", archive())], as_copy=True).survey
    assert Survey.objects.filter(source="limesurvey:246810").count() == 2
    assert second.slug.endswith("-2")
