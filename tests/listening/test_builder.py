"""The builder's helpers: the options editor, the condition form, catalogue attributes,
sections, reserved identifiers and edits that change nothing."""

from __future__ import annotations

import pytest
from django.urls import resolve
from django.utils.translation import gettext

from phare.listening import builder, queries, services
from phare.listening.models import Response, Survey
from phare.listening.queries import version_questions
from phare.listening.services import ListeningError
from tests.catalog.factories import make_families, make_service
from tests.listening.factories import full_answers


def answer(survey: Survey) -> Response:
    return services.response_submit(survey=survey, answers=full_answers(),
                                    channel=Response.Channel.OPEN_LINK)


# --- the options editor -----------------------------------------------------------------------

def test_it_reads_one_option_per_line():
    text = ("reactivite | Réactivité | Responsiveness\n\n"
            "  competence|Compétence  \n"
            "Communication écrite\n")
    assert builder.parse_options(text) == [
        {"code": "reactivite", "label_fr": "Réactivité", "label_en": "Responsiveness"},
        {"code": "competence", "label_fr": "Compétence", "label_en": ""},
        {"code": "communication_ecrite", "label_fr": "Communication écrite", "label_en": ""},
    ]


def test_it_reports_every_bad_line_with_its_number():
    text = ("a | A\n"
            "bad code | B\n"
            "\n"
            "a | Again\n"
            "c | C | C | extra\n"
            "d | |\n"
            "other | Autre\n")
    with pytest.raises(builder.OptionLinesError) as err:
        builder.parse_options(text, allow_other=True)
    assert [n for n, _reason in err.value.lines] == [2, 4, 5, 6, 7]
    assert err.value.field == "options"
    assert dict(err.value.lines)[4] == gettext(
        "the code “%(code)s” is already on line %(first)d.") % {"code": "a", "first": 1}
    # Without “other” offered, the code “other” is an ordinary option.
    assert builder.parse_options("other | Autre")[0]["code"] == "other"


def test_a_label_without_letters_or_digits_needs_a_code():
    with pytest.raises(builder.OptionLinesError) as err:
        builder.parse_options("ok | Fine\n???")
    assert [n for n, _r in err.value.lines] == [2]


def test_formatting_the_options_reads_back_the_same():
    options = [{"code": "a", "label_fr": "A", "label_en": "Aa"},
               {"code": "b", "label_fr": "B", "label_en": ""},
               {"code": "c", "label_fr": "", "label_en": "Cc"}]
    text = builder.format_options(options)
    assert text == "a | A | Aa\nb | B\nc |  | Cc"
    assert builder.parse_options(text) == options


def test_catalogue_services_become_grid_attributes(db):
    make_families()
    make_service("visio", name_fr="Visioconférence", name_en="Video calls")
    make_service("vpn", name_fr="Accès distant")
    make_service("brouillon", name_fr="Brouillon", publication="draft")
    make_service("ancien", name_fr="Ancien", lifecycle="retired")
    assert queries.catalogue_options() == [
        {"code": "vpn", "label_fr": "Accès distant", "label_en": ""},
        {"code": "visio", "label_fr": "Visioconférence", "label_en": "Video calls"},
    ]
    text = queries.add_catalogue_lines("vpn | VPN | VPN")
    assert text == "vpn | VPN | VPN\nvisio | Visioconférence | Video calls"
    assert queries.add_catalogue_lines(text) == text


# --- display conditions -----------------------------------------------------------------------

def condition(survey, **fields):
    data = {"condition_question": "", "condition_op": "in", "condition_values": "",
            "condition_min": "", "condition_max": ""}
    data.update({f"condition_{k}": v for k, v in fields.items()})
    return builder.condition_from_form(data, list(survey.current_version().questions.all()))


def test_the_condition_form_makes_each_kind_of_condition(barometer):
    assert condition(barometer) is None
    assert condition(barometer, question="nps", op="between", min="0", max="6") == {
        "question": "nps", "op": "between", "min": 0, "max": 6}
    assert condition(barometer, question="nps", op="in", values="9, 10") == {
        "question": "nps", "op": "in", "values": [9, 10]}
    assert condition(barometer, question="tools", op="in", values="vpn,other") == {
        "question": "tools", "op": "in", "values": ["vpn", "other"]}
    assert condition(barometer, question="grid", op="answered") == {
        "question": "grid", "op": "answered"}


@pytest.mark.parametrize(("fields", "field"), [
    ({"question": "nowhere", "op": "answered"}, "condition_question"),
    ({"question": "nps", "op": "in", "values": ""}, "condition_values"),
    ({"question": "nps", "op": "in", "values": "11"}, "condition_values"),
    ({"question": "nps", "op": "in", "values": "six"}, "condition_values"),
    ({"question": "tools", "op": "in", "values": "fax"}, "condition_values"),
    ({"question": "nps", "op": "between", "min": "", "max": "6"}, "condition_min"),
    ({"question": "nps", "op": "between", "min": "7", "max": "x"}, "condition_max"),
    ({"question": "nps", "op": "between", "min": "7", "max": "6"}, "condition_max"),
    ({"question": "tools", "op": "between", "min": "0", "max": "6"}, "condition_op"),
    ({"question": "grid", "op": "in", "values": "x"}, "condition_op"),
])
def test_the_condition_form_names_the_field_to_correct(barometer, fields, field):
    with pytest.raises(ListeningError) as err:
        condition(barometer, **fields)
    assert err.value.field == field


def test_a_condition_goes_back_to_its_form_fields():
    stored = {"question": "nps", "op": "between", "min": 0, "max": 6}
    form = builder.condition_to_form(stored)
    assert form["condition_question"] == "nps" and form["condition_min"] == "0"
    assert builder.condition_to_form({"question": "q", "op": "in", "values": [1, 2]})[
        "condition_values"] == "1, 2"
    assert builder.condition_to_form(None)["condition_question"] == ""
    assert "nps" in builder.condition_summary(stored)
    assert builder.condition_summary(None) == ""


def test_question_fields_keep_only_what_the_type_uses(barometer):
    earlier = list(barometer.current_version().questions.all())
    data = {"type": "nps", "text_fr": " Recommanderiez-vous ? ", "scale_min": 3,
            "scale_max": 4, "label_min_fr": "Jamais", "options": "a | A", "allow_other": True,
            "condition_question": ""}
    fields = builder.question_fields(data, earlier)
    assert fields["text_fr"] == "Recommanderiez-vous ?"
    assert (fields["scale_min"], fields["scale_max"]) == (None, None)
    assert fields["label_min_fr"] == "Jamais"
    assert fields["options"] == [] and fields["allow_other"] is False
    grid = builder.question_fields({**data, "type": "grid", "label_min_fr": ""}, earlier)
    assert grid["options"] == [{"code": "a", "label_fr": "A", "label_en": ""}]
    assert grid["allow_other"] is False and grid["scale_min"] == 3


# --- surveys, questions, sections -------------------------------------------------------------

@pytest.mark.parametrize("slug", ["new", "import", "imports", "tickets", "Tickets"])
def test_fixed_pages_identifiers_are_refused(db, slug):
    with pytest.raises(ListeningError) as err:
        services.survey_create(slug=slug, kind="pulse", title_fr="Pulse")
    assert err.value.field == "slug"
    assert not Survey.objects.exists()


def test_fixed_pages_are_not_taken_for_a_survey():
    assert resolve("/surveys/tickets-2026/").url_name == "survey"
    for path in ("/surveys/tickets/", "/surveys/import/"):
        try:
            match = resolve(path)
        except Exception:  # Resolver404 until the area that serves it is installed
            continue
        assert match.url_name != "survey"


def test_an_unchanged_question_does_not_make_a_new_version(barometer):
    answer(barometer)
    question = barometer.current_version().questions.get(code="csat")
    services.question_update(barometer, "csat", text_fr=question.text_fr,
                             required=question.required, options=question.options)
    assert barometer.current_version().number == 1
    services.question_update(barometer, "csat", text_fr="Globalement satisfait ?")
    assert barometer.current_version().number == 2


def codes(survey):
    version = survey.current_version()
    return [(q.section.position, q.code) for q in version_questions(version)]


def test_questions_step_up_and_down_across_sections(barometer):
    services.question_step(barometer, "ces", "up")
    assert codes(barometer)[2:4] == [(1, "ces"), (1, "csat")]
    services.question_step(barometer, "scale", "down")  # last of section 1 → first of 2
    assert codes(barometer)[4] == (2, "scale")
    services.question_step(barometer, "scale", "up")  # first of 2 → last of 1
    assert codes(barometer)[4] == (1, "scale")
    before = codes(barometer)
    services.question_step(barometer, "nps", "up")
    services.question_step(barometer, "comment", "down")
    assert codes(barometer) == before
    with pytest.raises(ListeningError) as err:
        services.question_step(barometer, "nps", "sideways")
    assert err.value.field == "direction"


def test_sections_are_renamed_and_empty_ones_deleted(barometer):
    services.section_add(barometer, title_fr="Vide")
    services.section_update(barometer, 2, title_fr="Qualité", title_en="Quality")
    version = barometer.current_version()
    assert version.sections.get(position=2).title_en == "Quality"
    with pytest.raises(ListeningError) as err:
        services.section_delete(barometer, 2)
    assert err.value.field == "section"
    services.section_delete(barometer, 3)
    assert list(version.sections.values_list("position", flat=True)) == [1, 2]
    with pytest.raises(ListeningError):
        services.section_update(barometer, 9, title_fr="Nowhere")


def test_deleting_a_middle_section_renumbers_the_next(db):
    survey = services.survey_create(slug="p", kind="pulse", title_fr="Pulse")
    services.section_add(survey, title_fr="Deux")
    services.section_add(survey, title_fr="Trois")
    services.question_add(survey, code="q", type="text", text_fr="?", section=3)
    services.section_delete(survey, 2)
    sections = survey.current_version().sections.order_by("position")
    assert [(s.position, s.title_fr) for s in sections] == [(1, ""), (2, "Trois")]
    # Questions still land where asked, by the new numbers.
    services.question_add(survey, code="r", type="text", text_fr="?", section=2)
    assert survey.current_version().sections.get(position=2).questions.count() == 2
    with pytest.raises(ListeningError):
        services.section_delete(survey, 2)  # it has questions now


def test_the_only_section_stays(db):
    survey = services.survey_create(slug="p", kind="pulse", title_fr="Pulse")
    with pytest.raises(ListeningError) as err:
        services.section_delete(survey, 1)
    assert err.value.field == "section"


def test_renaming_a_section_of_an_answered_survey_makes_a_new_version(barometer):
    answer(barometer)
    services.section_update(barometer, 2, title_fr="Qualité de service", title_en="Service quality")
    assert barometer.current_version().number == 1  # unchanged titles: nothing to do
    services.section_update(barometer, 2, title_fr="Qualité", title_en="Quality")
    first, second = barometer.versions.order_by("number")
    assert first.sections.get(position=2).title_fr == "Qualité de service"
    assert second.sections.get(position=2).title_fr == "Qualité"


def test_an_answered_survey_keeps_its_anonymity_and_raises_thresholds_only(barometer):
    answer(barometer)
    with pytest.raises(ListeningError) as err:
        services.survey_update(barometer, anonymity=Survey.Anonymity.NAMED)
    assert err.value.field == "anonymity"
    with pytest.raises(ListeningError) as err:
        services.survey_update(barometer, min_group_size=5, min_verbatim_group_size=9)
    assert err.value.field == "min_verbatim_group_size"
    services.survey_update(barometer, min_group_size=8)
