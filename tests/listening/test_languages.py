"""Every language a survey has (issue 16): the list and translations kept beside the FR/EN
columns, their fill for existing surveys, imports keeping German and Italian texts, answering
in German with the interface still FR/EN, and the API and builder showing them."""

from __future__ import annotations

import html
import importlib
import json
import uuid
from pathlib import Path

import pytest
from django.apps import apps as django_apps
from django.test import Client
from django.urls import reverse

from phare.lib import i18n
from phare.lib.i18n import Shown
from phare.listening import languages as langs
from phare.listening import services
from phare.listening.errors import ListeningError
from phare.listening.imports import import_survey
from phare.listening.models import Question, Response, Section, Survey, SurveyVersion
from tests.listening.factories import german_survey, section_of, send, shown

pytestmark = pytest.mark.django_db

DATA = Path(__file__).parent / "data"


def data(name: str) -> bytes:
    return (DATA / name).read_bytes()


def text(response) -> str:
    return html.unescape(response.content.decode())


def open_url(survey: Survey) -> str:
    return reverse("answer:open", args=[survey.open_token])


# --- the list and its checks --------------------------------------------------------------------

def test_the_migration_fills_the_languages_from_the_texts_each_survey_holds():
    fill = importlib.import_module("phare.listening.migrations.0006_survey_languages")
    french = Survey.objects.create(slug="fr-seul", kind="pulse", title_fr="Seul")
    both = Survey.objects.create(slug="deux", kind="pulse", title_fr="Deux", title_en="Two")
    asked = Survey.objects.create(slug="question-en", kind="pulse", title_fr="Question")
    version = SurveyVersion.objects.create(survey=asked, number=1)
    section = version.sections.create(position=1)
    Question.objects.create(version=version, section=section, code="q", type="text",
                            text_fr="Texte", text_en="Text")
    fill.fill_languages(django_apps, None)
    assert [Survey.objects.get(pk=s.pk).languages for s in (french, both, asked)] == [
        ["fr"], ["fr", "en"], ["fr", "en"]]


def test_a_new_survey_is_written_in_the_languages_of_its_texts():
    french = services.survey_create(slug="a", kind="pulse", title_fr="A")
    both = services.survey_create(slug="b", kind="pulse", title_fr="B", title_en="B")
    listed = services.survey_create(slug="c", kind="pulse", title_fr="C",
                                    languages=["it", "de"])
    assert (french.languages, both.languages, listed.languages) == (
        ["fr"], ["fr", "en"], ["it", "de"])
    assert langs.languages_of(Survey(title_fr="x", title_en="y")) == ["fr", "en"]


@pytest.mark.parametrize(("fields", "field", "words"), [
    ({"languages": ["de", "xx"]}, "languages", "Language 2 (“xx”)"),
    ({"languages": ["de", "de"]}, "languages", "once"),
    ({"languages": "de"}, "languages", "non-empty list"),
    ({"languages": ["de"], "translations": {"it": {"title": "Ciao"}}}, "translations", "“it”"),
    ({"languages": ["de", "fr"], "translations": {"fr": {"title": "Salut"}}}, "translations",
     "own fields"),
    ({"languages": ["de"], "translations": {"de": {"title": 3}}}, "translations", "texts"),
])
def test_bad_languages_and_translations_are_refused_saying_what_and_where(fields, field, words,
                                                                         english):
    with pytest.raises(ListeningError) as caught:
        services.survey_create(slug="x", kind="pulse", title_fr="X", **fields)
    assert caught.value.field == field and words in caught.value.message
    assert not Survey.objects.exists()


def test_a_question_translation_must_be_in_one_of_the_surveys_languages():
    survey = services.survey_create(slug="x", kind="pulse", title_fr="X", languages=["de"])
    with pytest.raises(ListeningError) as caught:
        services.question_add(survey, code="q", type="text", text_fr="Q",
                              translations={"it": {"text": "Domanda"}})
    assert caught.value.field == "translations" and "question q" in caught.value.message


def test_a_text_falls_back_on_the_first_language_then_french_then_english():
    survey = Survey(title_fr="Titre", title_en="Title",
                    translations={"de": {"title": "Titel"}, "it": {}})
    order = langs.fallback_order("it", ["de", "it"])
    assert order == ["it", "de", "fr", "en"]
    assert langs.text_in(survey, "title", "it", order) == Shown("Titel", "de", True)
    assert langs.text_in(survey, "title", "de", langs.fallback_order("de", ["de"])) == \
        Shown("Titel", "de", False)
    assert langs.text_in(survey, "title", "en", langs.fallback_order("en", ["fr", "en"])) == \
        Shown("Title", "en", False)
    assert langs.text_in(Survey(title_en="Only"), "title", "it", order) == \
        Shown("Only", "en", True)
    assert langs.text_in(Survey(), "intro", "it", order) == Shown("", "it", False)


def test_a_stand_in_is_marked_with_its_language_name(english):
    marked = i18n.marked(Shown("Titel", "de", True))
    assert marked == '<span lang="de">Titel</span> <span class="lang-fallback muted">' \
                     "(in German)</span>"
    assert i18n.marked(Shown("Titel", "de", False)) == "Titel"
    assert (langs.language_name("de"), langs.language_name("it")) == ("Deutsch", "italiano")


# --- imports keep them --------------------------------------------------------------------------

def test_a_limesurvey_survey_in_german_and_italian_keeps_both():
    report = import_survey([("survey_318274.lss", data("limesurvey_206_dual.lss"))])
    survey = report.survey
    assert survey.languages == ["de", "it"]
    # The French fields hold the base language, as before.
    assert (survey.title_fr, survey.title_en) == ("Bibliotheksumfrage", "")
    assert survey.translations == {
        "de": {"title": "Bibliotheksumfrage", "intro": "Willkommen!", "thanks": "Danke schön."},
        "it": {"title": "Sondaggio sulla biblioteca", "intro": "Benvenuti!",
               "thanks": "Grazie mille."}}
    section = survey.current_version().sections.get()
    assert section.translations == {"de": {"title": "Allgemein"}, "it": {"title": "Generale"}}
    questions = {q.code: q for q in survey.current_version().questions.all()}
    assert questions["often"].translations["it"] == {
        "text": "Quanto spesso viene?", "options": {"w": "Ogni settimana", "m": "Ogni mese"}}
    dual = questions["dual"].translations["it"]
    assert dual["text"] and set(dual["options"]) == {"sq1", "sq2"}
    assert set(dual["scales"]) == {"s1", "s2"} and set(dual["choices"]) == {"s1", "s2"}
    assert dual["scales"] != questions["dual"].translations["de"]["scales"]
    assert not [item for item in report.items if "language" in item.message.lower()]


def test_limesurvey_responses_keep_the_language_they_were_given_in():
    import io
    import zipfile
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as packed:
        packed.writestr("survey_318274.lss", data("limesurvey_206_dual.lss"))
        packed.writestr("survey_318274_responses.lsr",
                        data("limesurvey_206_dual_responses.lsr"))
    report = import_survey([("survey_archive_318274.lsa", out.getvalue())])
    given = set(report.survey.responses.values_list("language", flat=True))
    assert given and given <= {"de", "it"}


def test_a_tab_separated_survey_in_english_and_italian_keeps_its_italian():
    survey = import_survey([("limesurvey_survey.txt", data("limesurvey_survey.txt"))]).survey
    assert survey.languages == ["en", "it"]
    assert survey.title_en == "Help desk check" and survey.translations["it"]["title"]
    helpful = survey.current_version().questions.get(code="helpful")
    assert set(helpful.translations["it"]["options"]) == {o["code"] for o in helpful.options}


def test_a_qualtrics_survey_keeps_its_german_translation():
    survey = import_survey([("qualtrics_matrices.qsf", data("qualtrics_matrices.qsf"))]).survey
    assert survey.languages == ["en", "de"]
    titles = survey.current_version().questions.get(code="q3")
    assert titles.translations == {"de": {"text": "Ihre Lieblingstitel",
                                          "options": {"1": "Roman", "2": "Essay"},
                                          "columns": {"1": "Titel", "2": "Autor"}}}
    assert titles.text_en == "Your favourite titles"  # English stays where it was


# --- answering in them --------------------------------------------------------------------------

def test_a_respondent_answers_in_german_the_interface_staying_french():
    survey = german_survey()
    client = Client()
    page = client.get(open_url(survey) + "?survey_lang=de")
    body = text(page)
    assert '<html lang="fr">' in body and page["Content-Language"] == "fr"
    assert '<h1 lang="de">Die Bibliothek</h1>' in body and "Willkommen!" in body
    assert "Wie oft kommen Sie?" in body and "Jede Woche" in body
    assert "Venez-vous souvent" not in body
    assert 'id="question-often" lang="de"' in body
    # The question without German text is shown in French, marked as such.
    assert '<span lang="fr">Pourquoi ?</span> <span class="lang-fallback muted">' \
           "(en français)</span>" in body
    # The chrome stays French.
    assert "Envoyer mes réponses" in body
    assert 'hreflang="de"' in body and "Deutsch" in body
    done = send(client, open_url(survey), {"often": "w", "why": "Ruhe"}, action="submit",
                page=page)
    assert done.status_code == 302
    response = Response.objects.get(survey=survey)
    assert (response.language, response.answers["often"]) == ("de", "w")
    thanks = text(client.get(done["Location"]))
    assert "Danke schön." in thanks and "Die Bibliothek" in thanks


def test_the_default_is_the_interface_language_when_the_survey_has_it_else_its_first():
    survey = german_survey()
    body = text(Client().get(open_url(survey)))
    assert "Venez-vous souvent ?" in body and "Wie oft" not in body
    Survey.objects.filter(pk=survey.pk).update(
        languages=["de", "it"], title_fr="Die Bibliothek",
        translations={"de": survey.translations["de"], "it": {"title": "La biblioteca"}})
    english = Client()
    english.cookies["django_language"] = "en"
    body = text(english.get(open_url(survey)))
    assert "Wie oft kommen Sie?" in body and '<html lang="en">' in body
    # Italian chosen: the title is Italian, the question falls back on German (first), marked.
    body = text(english.get(open_url(survey) + "?survey_lang=it"))
    assert '<h1 lang="it">La biblioteca</h1>' in body
    assert '<span lang="de">Wie oft kommen Sie?</span> <span class="lang-fallback muted">' \
           "(in German)</span>" in body


def test_the_choice_is_kept_across_pages_and_an_unknown_language_is_ignored():
    survey = german_survey()
    client = Client()
    client.get(open_url(survey) + "?survey_lang=de")
    assert "Wie oft kommen Sie?" in text(client.get(open_url(survey)))
    assert "Wie oft kommen Sie?" in text(client.get(open_url(survey) + "?survey_lang=xx"))
    assert "Venez-vous" in text(client.get(open_url(survey) + "?survey_lang=fr"))


def test_a_french_and_english_survey_shows_no_survey_language_choice(personas):
    survey = services.survey_create(slug="fe", kind="pulse", title_fr="FE", title_en="FE",
                                    open_link=True)
    services.question_add(survey, code="q", type="text", text_fr="Q ?", text_en="Q?")
    services.survey_set_status(survey, Survey.Status.OPEN)
    body = text(Client().get(open_url(survey)))
    assert "survey_lang" not in body and "respond-survey-language" not in body


def test_a_german_submission_is_sent_once_by_its_submission_id():
    survey = german_survey()
    client = Client()
    page = client.get(open_url(survey) + "?survey_lang=de")
    form = {"section": section_of(page), "action": "submit", "_shown": shown(page),
            "often": "m"}
    key = str(uuid.uuid4())
    # The same submission id twice (a double click): one response.
    for _ in range(2):
        client.post(open_url(survey), {**form, "submission_id": key})
    assert Response.objects.filter(survey=survey, language="de").count() == 1


def test_scripts_submit_in_a_language_of_the_survey_only():
    survey = german_survey()
    path = reverse("answer:open_json", args=[survey.open_token])

    def post(language: str):
        return Client().post(path, json.dumps({
            "submission_id": str(uuid.uuid4()), "answers": {"often": "w"},
            "language": language}), content_type="application/json")

    assert post("de").status_code == 201
    refused = post("it")
    assert refused.status_code == 422
    assert "fr, en, de" in json.dumps(refused.json(), ensure_ascii=False)
    assert list(Response.objects.values_list("language", flat=True)) == ["de"]


# --- API and builder ----------------------------------------------------------------------------

def test_the_api_returns_and_sets_the_languages_and_translations(api):
    survey = german_survey()
    body = api("GET", f"/surveys/{survey.slug}").json()
    assert body["languages"] == ["de", "fr"]
    assert body["translations"]["de"]["title"] == "Die Bibliothek"
    often = next(q for q in body["current"]["questions"] if q["code"] == "often")
    assert often["translations"]["de"]["options"] == {"w": "Jede Woche", "m": "Jeden Monat"}
    changed = api("PATCH", f"/surveys/{survey.slug}",
                  {"languages": ["de", "fr", "it"],
                   "translations": {"de": {"title": "Unsere Bibliothek"},
                                    "it": {"title": "La biblioteca"}}})
    assert changed.status_code == 200, changed.content
    assert changed.json()["languages"] == ["de", "fr", "it"]
    refused = api("PATCH", f"/surveys/{survey.slug}", {"languages": ["zz"]})
    assert refused.status_code == 422 and "zz" in refused.content.decode()
    assert Survey.objects.get(pk=survey.pk).languages == ["de", "fr", "it"]


def test_the_builder_lists_the_languages_with_their_texts(login, english):
    survey = german_survey()
    page = text(login("marketing").get(reverse("listening:survey", args=[survey.slug])))
    assert "Languages of the survey" in page
    # German: title, intro, thanks, a question and its two options; French: 3 + 2 + 2 options.
    assert '<span lang="de">Deutsch</span> <span class="code">de</span> — 6 texts' in page
    assert '<span lang="fr">français</span> <span class="code">fr</span> — 7 texts' in page


def test_the_api_sets_a_questions_translations_in_the_surveys_languages_only(api, english):
    survey = german_survey()
    added = api("POST", f"/surveys/{survey.slug}/questions", {
        "code": "wann", "type": "text", "text_fr": "Quand ?",
        "translations": {"de": {"text": "Wann?"}}})
    assert added.status_code == 201, added.content
    assert added.json()["translations"] == {"de": {"text": "Wann?"}}
    refused = api("PATCH", f"/surveys/{survey.slug}/questions/wann",
                  {"translations": {"it": {"text": "Quando?"}}})
    assert refused.status_code == 422
    assert refused.json()["error"]["message"] == (
        "question wann: “it” is not one of the survey's languages.")
    assert survey.current_version().questions.get(code="wann").translations == {
        "de": {"text": "Wann?"}}


def test_section_titles_and_questions_an_answer_shows_come_in_german_too():
    survey = german_survey()
    Section.objects.filter(version__survey=survey).update(
        title_fr="Visites", translations={"de": {"title": "Besuche"}})
    services.question_add(
        survey, code="what", type="text", text_fr="Que lisez-vous ?",
        condition={"question": "often", "op": "in", "values": ["w"]},
        translations={"de": {"text": "Was lesen Sie?"}})
    client = Client()
    page = client.get(open_url(survey) + "?survey_lang=de")
    assert '<h2 class="section-title" lang="de">Besuche</h2>' in text(page)
    # An answer shows the conditional question (htmx): in German, marked as such.
    refreshed = text(client.post(open_url(survey), {
        "section": section_of(page), "_shown": shown(page), "often": "w"},
        HTTP_HX_REQUEST="true"))
    assert 'id="question-what" lang="de"' in refreshed and "Was lesen Sie?" in refreshed
    assert "Que lisez-vous" not in refreshed


def test_a_lone_answer_in_a_rare_language_does_not_single_its_author_out_in_an_export(db):
    """The answer's language is one of the export's quasi-identifiers: one German answer among
    French ones cannot be told apart by it, as a lone site or job family could not."""
    import datetime as dt

    from django.utils import timezone

    from phare.listening.exports.table import build_table

    survey = german_survey()
    for day, language in enumerate(["fr"] * 6 + ["de"], start=1):
        services.response_submit(
            survey=survey, answers={"often": "w"}, channel="open_link", language=language,
            submitted_at=timezone.make_aware(dt.datetime(2025, 3, day, 10)))
    table = build_table(survey, language="fr")
    languages = [row[table.names.index("language")] for row in table.rows]
    # Blanked where the group is under k, and the others too where the German row could
    # otherwise be found by elimination: no row's language tells it apart.
    assert len(languages) == 7 and "de" not in languages and len(set(languages)) == 1
