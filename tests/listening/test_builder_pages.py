"""The builder's pages, with and without htmx: list, new survey, settings, status, questions,
sections, versions."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils.translation import gettext

from phare.listening import services
from phare.listening.models import Response, Survey
from phare.listening.queries import version_questions
from tests.catalog.factories import make_families, make_service
from tests.listening.factories import full_answers

HTMX = {"HTTP_HX_REQUEST": "true"}


def url(name: str, *args) -> str:
    return reverse(f"listening:{name}", args=args)


def answer(survey: Survey) -> Response:
    return services.response_submit(survey=survey, answers=full_answers(),
                                    channel=Response.Channel.OPEN_LINK)


def question_data(**values) -> dict:
    data = {"type": "text", "code": "extra", "text_fr": "Autre chose ?", "text_en": "Anything "
            "else?", "section": "1", "condition_question": "", "condition_op": "in"}
    data.update(values)
    return data


@pytest.fixture
def marketing(login):
    return login("marketing")


# --- list and creation ------------------------------------------------------------------------

def test_the_list_shows_each_survey_with_its_counts_and_filters(marketing, barometer,
                                                                 django_assert_max_num_queries):
    answer(barometer)
    services.survey_create(slug="pulse-mars", kind="pulse", title_fr="Pulse de mars")
    for number in range(5):  # the count of queries does not grow with the surveys
        services.survey_create(slug=f"pulse-{number}", kind="pulse", title_fr=f"Pulse {number}")
    # session, user, person, count, page.
    with django_assert_max_num_queries(5):
        page = marketing.get(url("surveys")).content.decode()
    assert "Baromètre de satisfaction IT" in page and "Pulse de mars" in page
    assert url("survey", "barometre") in page and url("survey_new") in page
    services.question_update(barometer, "csat", text_fr="Satisfait ?")  # → version 2
    listed = {s.slug: s for s in marketing.get(url("surveys")).context["page"]}
    assert (listed["barometre"].responses_count, listed["barometre"].version_number,
            listed["barometre"].versions_count, listed["barometre"].waves_count) == (1, 2, 2, 0)
    assert (listed["pulse-mars"].responses_count, listed["pulse-mars"].version_number) == (0, 1)
    fragment = marketing.get(url("surveys"), {"kind": "pulse"}, **HTMX).content.decode()
    assert "<html" not in fragment
    assert "Pulse de mars" in fragment and "Baromètre" not in fragment
    closed = marketing.get(url("surveys"), {"status": "closed"}).content.decode()
    assert "Pulse de mars" not in closed and "Baromètre de satisfaction" not in closed
    assert marketing.get(url("surveys")).context["page"].paginator.count == 7


def test_the_navigation_leads_survey_managers_to_the_list(login):
    assert url("surveys") in login("marketing").get("/").content.decode()
    assert url("surveys") not in login("employee").get("/").content.decode()


def test_a_new_survey_is_created_as_a_draft(marketing, personas):
    response = marketing.post(url("survey_new"), {
        "kind": "barometer", "slug": "barometre-2026", "title_fr": "Baromètre 2026",
        "title_en": "Barometer 2026", "anonymity": "confidential", "service": "",
        "min_group_size": "6", "min_verbatim_group_size": "12"})
    assert response.status_code == 302
    assert response["Location"] == url("survey", "barometre-2026")
    survey = Survey.objects.get(slug="barometre-2026")
    assert (survey.status, survey.anonymity, survey.min_group_size) == ("draft", "confidential", 6)
    assert survey.created_by == personas["marketing"]


def form_errors(response) -> dict[str, list[str]]:
    form = response.context["form"]
    return {name: list(errors) for name, errors in form.errors.items()}


@pytest.mark.parametrize(("values", "field"), [
    ({"slug": "tickets"}, "slug"),
    ({"slug": "new"}, "slug"),
    ({"kind": "service"}, "service"),
    ({"kind": "transactional", "anonymity": "anonymous"}, "anonymity"),
    ({"min_group_size": "3"}, "min_group_size"),
    ({"service": "nowhere"}, "service"),
])
def test_a_refused_survey_shows_the_reason_next_to_its_field(marketing, values, field):
    data = {"kind": "pulse", "slug": "pulse", "title_fr": "Pulse", "anonymity": "anonymous",
            "service": "", "min_group_size": "5", "min_verbatim_group_size": "10", **values}
    response = marketing.post(url("survey_new"), data)
    assert response.status_code == 200
    assert field in form_errors(response)
    assert 'aria-invalid="true"' in response.content.decode() or field == "anonymity"
    assert not Survey.objects.exists()


def test_a_service_survey_names_its_catalogue_service(marketing, db):
    make_families()
    make_service("visio", name_fr="Visioconférence")
    response = marketing.post(url("survey_new"), {
        "kind": "service", "slug": "visio", "title_fr": "Visio", "anonymity": "anonymous",
        "service": "visio", "min_group_size": "5", "min_verbatim_group_size": "10"})
    assert response.status_code == 302
    assert Survey.objects.get(slug="visio").service.slug == "visio"


# --- the builder page, settings, status -------------------------------------------------------

def test_the_builder_shows_sections_questions_and_versions(marketing, barometer,
                                                          django_assert_max_num_queries):
    # session, user, person, survey, version, frozen (2), sections, questions, versions,
    # catalogue services, and the add form's sections and questions.
    with django_assert_max_num_queries(13):
        page = marketing.get(url("survey", "barometre")).content.decode()
    for code in ("nps", "why_low", "grid", "tools", "comment"):
        assert f'id="q-{code}"' in page
    assert "Qu&#x27;est-ce qui n&#x27;a pas été ?" in page
    assert "What went wrong?" in page
    assert "Qualité de service" in page
    assert url("version", "barometre", 1) in page
    assert "reactivite" in page  # grid attributes listed
    frozen = gettext("Changing the questions will create version %(next)s; answers keep the "
                     "questions they answered.") % {"next": 2}
    assert frozen not in page
    answer(barometer)
    assert frozen in marketing.get(url("survey", "barometre")).content.decode()


def test_unknown_surveys_and_questions_are_not_found(marketing, barometer):
    assert marketing.get(url("survey", "nowhere")).status_code == 404
    assert marketing.get(url("question_edit", "barometre", "nowhere")).status_code == 404
    assert marketing.get(url("version", "barometre", 7)).status_code == 404


def settings_data(survey: Survey, **values) -> dict:
    data = {name: getattr(survey, name) for name in (
        "title_fr", "title_en", "intro_fr", "intro_en", "thanks_fr", "thanks_en",
        "anonymity", "min_group_size", "min_verbatim_group_size")}
    data.update(service="", **values)
    return {k: v for k, v in data.items() if v is not False}


def test_settings_are_saved(marketing, barometer):
    response = marketing.post(url("survey_settings", "barometre"), settings_data(
        barometer, intro_fr="Merci de votre temps", open_link="on", min_group_size="7"))
    assert response.status_code == 302
    barometer.refresh_from_db()
    assert (barometer.intro_fr, barometer.open_link, barometer.min_group_size) == (
        "Merci de votre temps", True, 7)
    page = marketing.get(url("survey", "barometre")).content.decode()
    assert f"/s/open/{barometer.open_token}/" in page


def test_anonymity_cannot_change_once_answered(marketing, barometer):
    answer(barometer)
    response = marketing.post(url("survey_settings", "barometre"),
                              settings_data(barometer, anonymity="named"))
    assert response.status_code == 200
    assert "anonymity" in response.context["settings_form"].errors
    assert 'id="settings-anonymity_error"' in response.content.decode()
    barometer.refresh_from_db()
    assert barometer.anonymity == "anonymous"


def test_thresholds_cannot_be_lowered_once_answered(marketing, barometer):
    services.survey_update(barometer, min_group_size=8)
    answer(barometer)
    response = marketing.post(url("survey_settings", "barometre"),
                              settings_data(barometer, min_group_size="6"))
    assert "min_group_size" in response.context["settings_form"].errors
    barometer.refresh_from_db()
    assert barometer.min_group_size == 8
    raised = marketing.post(url("survey_settings", "barometre"),
                            settings_data(barometer, min_group_size="9"))
    assert raised.status_code == 302


def test_a_survey_is_opened_and_closed(marketing, barometer):
    response = marketing.post(url("survey_status", "barometre"), {"status": "open"})
    assert response.status_code == 302
    barometer.refresh_from_db()
    assert barometer.status == "open"
    marketing.post(url("survey_status", "barometre"), {"status": "closed"})
    barometer.refresh_from_db()
    assert barometer.status == "closed"
    marketing.post(url("survey_status", "barometre"), {"status": "nonsense"})
    barometer.refresh_from_db()
    assert barometer.status == "closed"


def test_a_survey_without_questions_is_not_opened(marketing, db):
    services.survey_create(slug="vide", kind="pulse", title_fr="Vide")
    response = marketing.post(url("survey_status", "vide"), {"status": "open"}, follow=True)
    assert Survey.objects.get(slug="vide").status == "draft"
    messages = [str(m) for m in response.context["messages"]]
    assert messages == [gettext("A survey without questions cannot be opened.")]


# --- questions --------------------------------------------------------------------------------

def test_a_question_is_added_without_javascript(marketing, barometer):
    response = marketing.post(url("question_new", "barometre"), question_data(section="2"))
    assert response.status_code == 302
    assert response["Location"] == url("survey", "barometre") + "#q-extra"
    question = barometer.current_version().questions.get(code="extra")
    assert (question.section.position, question.text_en) == (2, "Anything else?")
    assert marketing.get(url("question_new", "barometre")).status_code == 200


def test_a_question_is_added_with_htmx(marketing, barometer):
    response = marketing.post(url("question_new", "barometre"),
                              question_data(condition_question="nps", condition_op="between",
                                            condition_min="0", condition_max="6"), **HTMX)
    assert response.status_code == 200
    page = response.content.decode()
    assert page.startswith('\n<div id="builder"') or '<div id="builder"' in page[:200]
    assert 'id="q-extra"' in page and "<html" not in page
    assert 'hx-swap-oob="innerHTML"' in page  # a fresh add form, with the new question listed
    assert barometer.current_version().questions.get(code="extra").condition == {
        "question": "nps", "op": "between", "min": 0, "max": 6}


def test_a_bad_options_line_is_shown_next_to_the_options(marketing, barometer):
    data = question_data(type="single", options="a | A\nbad code | B\na | Encore")
    response = marketing.post(url("question_new", "barometre"), data, **HTMX)
    assert response["HX-Retarget"] == "#add-question"
    assert response["HX-Reswap"] == "innerHTML"
    errors = response.context["form"].errors["options"]
    prefixes = [gettext("Line %(n)d: %(reason)s") % {"n": n, "reason": ""} for n in (2, 3)]
    assert len(errors) == 2
    assert all(e.startswith(p) for e, p in zip(errors, prefixes, strict=True))
    assert 'id="new-options_error"' in response.content.decode()
    assert not barometer.current_version().questions.filter(code="extra").exists()


@pytest.mark.parametrize(("values", "field"), [
    ({"code": "nps"}, "code"),
    ({"code": "pas bon"}, "code"),
    ({"type": "scale"}, "scale_min"),
    ({"type": "single", "options": ""}, "options"),
    ({"condition_question": "nps", "condition_op": "in", "condition_values": "12"},
     "condition_values"),
])
def test_refused_questions_show_the_reason_at_the_field(marketing, barometer, values, field):
    response = marketing.post(url("question_new", "barometre"), question_data(**values))
    assert response.status_code == 200
    assert field in response.context["form"].errors


def test_a_condition_on_a_later_question_is_refused(marketing, barometer):
    response = marketing.post(url("question_edit", "barometre", "nps"), question_data(
        type="nps", condition_question="comment", condition_op="answered"))
    assert "condition_question" in response.context["form"].errors


def test_the_catalogue_fills_the_attributes_without_saving(marketing, barometer):
    make_families()
    make_service("visio", name_fr="Visioconférence", name_en="Video calls")
    response = marketing.post(url("question_new", "barometre"), question_data(
        type="grid", code="services", options="", action="catalogue"), **HTMX)
    form = response.context["form"]
    assert not form.is_bound and not form.errors
    assert form.initial["options"] == "visio | Visioconférence | Video calls"
    assert form.initial["code"] == "services"
    assert "visio | Visioconférence | Video calls" in response.content.decode()
    assert not barometer.current_version().questions.filter(code="services").exists()


def test_a_question_is_edited_in_place(marketing, barometer):
    fragment = marketing.get(url("question_edit", "barometre", "why_low"), **HTMX)
    body = fragment.content.decode()
    assert "<html" not in body and 'name="text_fr"' in body
    assert fragment.context["form"].initial["condition_question"] == "nps"
    assert fragment.context["form"].initial["condition_max"] == "6"
    assert marketing.get(url("question_edit", "barometre", "why_low")).status_code == 200
    response = marketing.post(url("question_edit", "barometre", "why_low"), question_data(
        text_fr="Qu'est-ce qui n'a pas été ?", text_en="What went wrong?", required="on",
        condition_question="nps", condition_op="between", condition_min="0",
        condition_max="5"), **HTMX)
    assert 'id="builder"' in response.content.decode()
    question = barometer.current_version().questions.get(code="why_low")
    assert question.required and question.condition["max"] == 5
    assert question.code == "why_low"


def test_editing_an_answered_survey_makes_a_new_version(marketing, barometer):
    response_given = answer(barometer)
    data = question_data(type="csat", text_fr="Globalement satisfait ?", text_en="")
    response = marketing.post(url("question_edit", "barometre", "csat"), data, **HTMX)
    page = response.content.decode()
    assert gettext("The questions are now version %(n)d; answers already given keep the "
                   "questions they answered.") % {"n": 2} in page
    first, second = barometer.versions.order_by("number")
    assert second.questions.get(code="csat").text_fr == "Globalement satisfait ?"
    assert first.questions.get(code="csat").text_fr == "Êtes-vous satisfait ?"
    response_given.refresh_from_db()
    assert response_given.version == first
    # The new version has no answer: the next change stays in it.
    marketing.post(url("question_edit", "barometre", "csat"), {**data, "required": "on"})
    assert barometer.versions.count() == 2


def test_saving_an_unchanged_question_keeps_the_version(marketing, barometer):
    answer(barometer)
    form = marketing.get(url("question_edit", "barometre", "why_low")).context["form"]
    data = {k: ("on" if v is True else v) for k, v in form.initial.items()
            if v not in (None, False)}
    response = marketing.post(url("question_edit", "barometre", "why_low"), data)
    assert response.status_code == 302
    assert barometer.versions.count() == 1


def test_a_question_is_deleted_after_confirmation(marketing, barometer):
    confirm = marketing.get(url("question_delete", "barometre", "comment"))
    assert confirm.status_code == 200 and "method=\"post\"" in confirm.content.decode()
    assert barometer.current_version().questions.filter(code="comment").exists()
    response = marketing.post(url("question_delete", "barometre", "comment"))
    assert response.status_code == 302
    assert not barometer.current_version().questions.filter(code="comment").exists()
    htmx = marketing.post(url("question_delete", "barometre", "site_pref"), **HTMX)
    assert 'id="builder"' in htmx.content.decode()
    assert 'id="q-site_pref"' not in htmx.content.decode()


def test_a_question_others_depend_on_is_not_deleted(marketing, barometer):
    response = marketing.post(url("question_delete", "barometre", "nps"), **HTMX)
    assert 'class="message error"' in response.content.decode()
    assert barometer.current_version().questions.filter(code="nps").exists()
    plain = marketing.post(url("question_delete", "barometre", "nps"), follow=True)
    assert any("why_low" in str(m) for m in plain.context["messages"])


def order(survey) -> list[str]:
    return [q.code for q in version_questions(survey.current_version())]


def test_questions_move_up_and_down(marketing, barometer):
    response = marketing.post(url("question_move", "barometre", "ces"), {"direction": "up"})
    assert response.status_code == 302
    assert order(barometer)[2:4] == ["ces", "csat"]
    htmx = marketing.post(url("question_move", "barometre", "ces"), {"direction": "down"},
                          **HTMX)
    assert order(barometer)[2:4] == ["csat", "ces"]
    assert 'value="down" class="icon" title' in htmx.content.decode()
    assert "autofocus" in htmx.content.decode()
    refused = marketing.post(url("question_move", "barometre", "why_low"),
                             {"direction": "up"}, **HTMX)
    assert 'class="message error"' in refused.content.decode()
    assert order(barometer)[:2] == ["nps", "why_low"]


# --- sections ---------------------------------------------------------------------------------

def test_sections_are_added_renamed_and_deleted(marketing, barometer):
    response = marketing.post(url("section_new", "barometre"), {"title_fr": "Fin",
                                                                "title_en": "End"}, **HTMX)
    assert 'id="section-3"' in response.content.decode()
    marketing.post(url("section_edit", "barometre", 3), {"title_fr": "Pour finir",
                                                         "title_en": "Last"})
    version = barometer.current_version()
    assert version.sections.get(position=3).title_fr == "Pour finir"
    refused = marketing.post(url("section_delete", "barometre", 2), follow=True)
    assert version.sections.count() == 3
    assert [m.level_tag for m in refused.context["messages"]][-1] == "error"
    marketing.post(url("section_delete", "barometre", 3))
    assert version.sections.count() == 2


# --- versions ---------------------------------------------------------------------------------

def test_a_version_is_previewed_in_either_language(marketing, barometer):
    answer(barometer)
    services.question_update(barometer, "csat", text_fr="Satisfait ?", text_en="Satisfied?")
    french = marketing.get(url("version", "barometre", 1), {"lang": "fr"}).content.decode()
    assert "Êtes-vous satisfait ?" in french and "Réactivité" in french
    english = marketing.get(url("version", "barometre", 1), {"lang": "en"}).content.decode()
    assert "Are you satisfied?" in english and "Responsiveness" in english
    assert "Êtes-vous satisfait ?" not in english
    assert 'lang="en"' in english
    second = marketing.get(url("version", "barometre", 2), {"lang": "en"})
    assert "Satisfied?" in second.content.decode()
    assert second.context["responses"] == 0
    assert [v.responses_count for v in second.context["versions"]] == [0, 1]


def test_the_pages_link_to_the_waves_export_and_import_pages(marketing, barometer):
    listing = marketing.get(url("surveys")).content.decode()
    assert f'href="{url("import")}"' in listing
    page = marketing.get(url("survey", "barometre")).content.decode()
    assert f'href="{url("waves", "barometre")}"' in page
    assert f'href="{url("export", "barometre")}"' in page


def test_a_question_without_a_section_goes_to_the_last_one(marketing, barometer):
    marketing.post(url("question_new", "barometre"), question_data(section=""))
    question = barometer.current_version().questions.get(code="extra")
    assert question.section.position == 2
