"""A rating matrix on the respondent's page (cards of radio groups, plain form posts, drafts)
and in the builder (the columns editor, the question list, the version preview)."""

from __future__ import annotations

import html
import re

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from phare.listening import services
from phare.listening.answering.drafts import SessionDraft
from phare.listening.answering.pages import Questionnaire, read_page
from phare.listening.models import Invitation, Response, Survey
from tests.listening.factories import make_study

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()  # the answering rate limit counts in the cache
    yield
    cache.clear()


@pytest.fixture
def study(personas) -> Survey:
    return services.survey_set_status(make_study(), Survey.Status.OPEN)


@pytest.fixture
def invitation(study, personas) -> Invitation:
    person = personas["employee"].person
    return Invitation.objects.create(survey=study, version=study.current_version(),
                                     person=person, email=person.email, language="en",
                                     **services.segment_of(person))


def link(invitation: Invitation) -> str:
    return f"/s/{invitation.token}/"


def post(client, invitation: Invitation, page, data: dict, action: str = "submit", **headers):
    body = page.content.decode()
    section = re.search(r'name="section" value="(\d+)"', body)
    assert section is not None
    form = {"section": section.group(1),
            "action": action, "_shown": re.findall(r'name="_shown" value="([^"]+)"', body),
            **data}
    return client.post(link(invitation), form, **headers)


def test_the_page_draws_one_card_per_column_with_a_radio_group_per_row(client, invitation):
    page = client.get(link(invitation) + "?lang=en")
    assert page.status_code == 200
    body = html.unescape(page.content.decode())
    cards = re.findall(r'<fieldset class="matrix-card">\s*<legend>([^<]+)</legend>', body)
    assert cards == ["The IT department", "An online tool", "Do it yourself", "Importance"]
    rows = re.findall(r'<fieldset class="matrix-row" role="radiogroup">\s*<legend>([^<]+)<', body)
    assert rows == ["Speed", "Cost", "Trust"] * 4
    # Each cell: the scale's five points then "don't know" (no answer, checked while empty).
    values = re.findall(r'id="q-ratings-c1-r2-[^"]+" name="ratings\.saas\.trust" value="([^"]*)"',
                        body)
    assert values == ["1", "2", "3", "4", "5", ""]
    assert re.search(r'id="q-ratings-c1-r2-none" name="ratings\.saas\.trust" value="" checked>',
                     body)
    assert body.count('type="radio"') == 3 * 3 * 6 + 3 * 6
    # Every radio has its label; the ends of the scale are said to screen readers and above.
    for input_id in re.findall(r'type="radio" id="([^"]+)"', body):
        assert f'<label for="{input_id}">' in body
    assert '<label for="q-ratings-c0-r0-1">1<span class="visually-hidden"> — Very poor' in body
    assert "From 1 (Very poor) to 5 (Very good)." in body
    assert "From 1 (lowest) to 5 (highest)." in body  # the importance names no ends
    assert '<div id="slot-why" class="slot"></div>' in body  # shown once ratings are given


def test_a_plain_post_stores_the_ratings_as_json(client, invitation):
    page = client.get(link(invitation))
    data = {"ratings.dsi.speed": "4", "ratings.dsi.cost": "2", "ratings.dsi.trust": "",
            "ratings.saas.speed": "", "ratings.saas.cost": "", "ratings.saas.trust": "5",
            "ratings.diy.trust": "1", "importance.importance.cost": "5"}
    again = post(client, invitation, page, data)
    # "why" now shows (its condition: ratings answered): the page comes back with it.
    assert again.status_code == 200 and 'name="why"' in again.content.decode()
    assert 'id="q-ratings-c0-r0-4" name="ratings.dsi.speed" value="4" checked' in \
        again.content.decode()
    done = post(client, invitation, again, {**data, "why": "Rapide"})
    assert done.status_code == 302
    response = Response.objects.get()
    assert response.answers == {
        "ratings": {"dsi": {"speed": 4, "cost": 2}, "saas": {"trust": 5},
                    "diy": {"trust": 1}},
        "why": "Rapide", "importance": {"importance": {"cost": 5}}}


def test_a_required_row_left_everywhere_is_refused_next_to_the_matrix(client, invitation):
    page = client.get(link(invitation) + "?lang=en")
    refused = post(client, invitation, page, {"ratings.dsi.speed": "4", "ratings.saas.cost": "3",
                                              "ratings.dsi.trust": "9"})
    assert refused.status_code == 200
    body = html.unescape(refused.content.decode())
    assert 'id="error-ratings"' in body
    assert 'href="#q-ratings-c0-r0-1"' in body  # the summary links to the first radio
    assert not Response.objects.exists()
    invitation.refresh_from_db()
    assert "ratings" not in invitation.draft  # 9 is out of range: nothing half-kept
    missing = post(client, invitation, refused, {"ratings.dsi.speed": "4",
                                                 "ratings.saas.cost": "3"})
    with translation.override("en"):
        assert "missing: “Trust”" in html.unescape(missing.content.decode())
    assert not Response.objects.exists()


def test_a_draft_keeps_a_half_rated_matrix_and_shows_it_again(client, invitation):
    page = client.get(link(invitation))
    saved = post(client, invitation, page, {"ratings.dsi.speed": "3", "ratings.diy.cost": "5",
                                            "ratings.dsi.cost": ""}, action="", **HTMX)
    assert saved.status_code == 200
    invitation.refresh_from_db()
    assert invitation.draft == {"ratings": {"dsi": {"speed": 3}, "diy": {"cost": 5}}}
    again = client.get(link(invitation)).content.decode()
    assert 'id="q-ratings-c0-r0-3" name="ratings.dsi.speed" value="3" checked' in again
    assert 'id="q-ratings-c0-r0-none" name="ratings.dsi.speed" value="">' in again
    assert 'id="q-ratings-c2-r1-none" name="ratings.diy.cost" value="" checked' not in again
    # "Don't know" chosen again empties the cell.
    post(client, invitation, client.get(link(invitation)), {"ratings.dsi.speed": "",
                                                            "ratings.diy.cost": "5"},
         action="", **HTMX)
    invitation.refresh_from_db()
    assert invitation.draft == {"ratings": {"diy": {"cost": 5}}}


def test_an_open_links_session_draft_round_trips_a_matrix(study):
    from django.http import QueryDict

    study = services.survey_update(study, open_link=True)
    questions = Questionnaire(study.current_version()).questions
    data = QueryDict(mutable=True)
    data.update({"ratings.saas.speed": "2", "ratings.saas.cost": "", "why": "",
                 "importance.importance.trust": "4"})
    posted = read_page(data, questions)
    assert posted["ratings"] == {"saas": {"speed": "2"}}
    session: dict = {}
    draft = SessionDraft(session, study)
    assert draft.keep(questions, posted) == {}
    assert SessionDraft(session, study).answers == {
        "ratings": {"saas": {"speed": 2}}, "importance": {"importance": {"trust": 4}}}


# --- the builder ----------------------------------------------------------------------------------

def test_the_builder_adds_and_shows_a_matrix(login, personas):
    client = login("marketing")
    survey = services.survey_create(slug="etude-2", kind=Survey.Kind.STUDY, title_fr="Étude")
    data = {"type": "matrix", "code": "notes", "text_fr": "Notez", "section": "1",
            "options": "speed | Rapidité | Speed\ncost | Coût",
            "columns": "dsi | La DSI | IT\nsaas | En ligne",
            "scale_min": "1", "scale_max": "4", "label_max_fr": "Parfait",
            "condition_question": "", "condition_op": "in"}
    added = client.post(reverse("listening:question_new", args=[survey.slug]), data)
    assert added.status_code == 302
    question = survey.current_version().questions.get(code="notes")
    assert question.columns == [{"code": "dsi", "label_fr": "La DSI", "label_en": "IT"},
                                {"code": "saas", "label_fr": "En ligne", "label_en": ""}]
    assert (question.scale_min, question.scale_max) == (1, 4)
    page = client.get(reverse("listening:survey", args=[survey.slug]))
    body = html.unescape(page.content.decode())
    with translation.override(page["Content-Language"]):
        type_name, rows, columns, scale = (gettext("Rating matrix"), gettext("Rows"),
                                           gettext("Columns"),
                                           gettext("Scale %(low)s to %(high)s")
                                           % {"low": 1, "high": 4})
    assert f'<span class="badge type type-matrix">{type_name}</span>' in body
    assert f'<ul class="q-options" aria-label="{rows}">' in body
    assert f'<ul class="q-options q-columns" aria-label="{columns}">' in body
    assert '<span class="code">saas</span> En ligne' in body and scale in body
    edit = html.unescape(client.get(reverse("listening:question_edit",
                                            args=[survey.slug, "notes"])).content.decode())
    assert "dsi | La DSI | IT\nsaas | En ligne</textarea>" in edit
    bad = client.post(reverse("listening:question_edit", args=[survey.slug, "notes"]),
                      {**data, "columns": "dsi | A\ndsi | B"})
    assert bad.status_code == 200
    with translation.override(bad["Content-Language"]):
        reason = gettext("the code “%(code)s” is already on line %(first)d.") % {
            "code": "dsi", "first": 1}
        expected = gettext("Line %(n)d: %(reason)s") % {"n": 2, "reason": reason}
    field = re.search(r'<p class="field field-columns invalid">.*?</p>',
                      html.unescape(bad.content.decode()), re.S)
    assert field is not None and expected in field.group(0)
    preview = client.get(reverse("listening:version", args=[survey.slug, 1]) + "?lang=fr")
    text = html.unescape(preview.content.decode())
    assert 'class="table compact grid-preview matrix-preview"' in text
    assert '<th scope="col">La DSI</th><th scope="col">En ligne</th>' in text
    assert text.count('<span class="point">1–4</span>') == 4


def test_a_study_is_listed_and_filtered_but_not_created_on_the_builders_page(login, personas):
    client = login("marketing")
    make_study()
    services.survey_create(slug="pouls", kind="pulse", title_fr="Pouls")
    listed = client.get(reverse("listening:surveys"), {"kind": "study"})
    assert listed.status_code == 200
    body = listed.content.decode()
    assert "Étude de positionnement" in body and "Pouls" not in body
    new = client.get(reverse("listening:survey_new")).content.decode()
    assert '<option value="barometer"' in new and 'value="study"' not in new
