"""The outputs' pages: personas (cards, edit, print HTML and PDF, audience), the statement
(versions, evidence, editor, publication), benchmarks, tool groups, and the promise on the
catalogue's family view — managers change, executives read, employees are refused."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from phare.comms.models import Action, Audience
from phare.needs.models import Need
from phare.positioning.models import Benchmark, Persona, Statement, Tool
from phare.positioning.outputs import segments
from phare.positioning.services.personas import persona_save
from phare.positioning.services.statements import statement_publish, statement_save
from tests.catalog.factories import make_families, make_service
from tests.comms.factories import make_plan
from tests.positioning.factories import make_answered_study, make_study

pytestmark = pytest.mark.django_db

PARTS = {"audience_fr": "les équipes commerciales", "need_fr": "doivent partager vite",
         "offer_fr": "l'espace collaboratif de la DSI", "benefit_fr": "reste sûr et simple",
         "unlike_fr": "les outils personnels", "proof_fr": "il est hébergé en France",
         "audience_en": "sales teams", "need_en": "must share fast",
         "offer_en": "the IT collaborative space", "benefit_en": "stays safe and simple",
         "unlike_en": "personal tools", "proof_en": "it is hosted in France"}


@pytest.fixture(autouse=True)
def _english(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


@pytest.fixture
def study(personas):
    return make_answered_study(120, user=personas["marketing"])


def url(name: str, *args) -> str:
    return reverse(f"positioning:{name}", args=args)


def _persona(personas, study):
    first = segments(study).segments[0]
    return first, persona_save(user=personas["marketing"], study=study, segment=first.number,
                               name_fr="Les pressés", name_en="The hurried",
                               goals_fr="Avancer vite", goals_en="Move fast",
                               channels=["email"], quotes=first.verbatims[:1])


def test_the_persona_page_shows_a_card_per_segment(login, personas, study):
    first, _persona_row = _persona(personas, study)
    response = login("executive").get(url("personas", study.slug))
    assert response.status_code == 200
    html = response.content.decode()
    assert "The hurried" in html and "Move fast" in html and first.verbatims[0] in html
    assert "not named yet" in html
    assert "Edit the card" not in html and "Make it an audience" not in html  # read only
    html = login("marketing").get(url("personas", study.slug)).content.decode()
    assert "Edit the card" in html and "Make it an audience" in html
    assert login("employee").get(url("personas", study.slug)).status_code == 403


def test_a_manager_writes_a_card_with_quotes_among_the_verbatims(login, study):
    first = segments(study).segments[0]
    client = login("marketing")
    page = client.get(url("persona", study.slug, first.number))
    assert page.status_code == 200 and first.verbatims[0] in page.content.decode()
    response = client.post(url("persona", study.slug, first.number), {
        "name_fr": "Les prudents", "channels": ["portal"], "quotes": [first.verbatims[0]]})
    assert response.status_code == 302
    persona = Persona.objects.get()
    assert (persona.name_fr, persona.channels, persona.quotes) == (
        "Les prudents", ["portal"], [first.verbatims[0]])
    # A quote nobody wrote is not a choice of the form.
    response = client.post(url("persona", study.slug, first.number), {
        "name_fr": "Les prudents", "quotes": ["Je n'ai jamais écrit ça"]})
    assert response.status_code == 200 and response.context["form"].errors["quotes"]
    assert client.get(url("persona", study.slug, 9)).status_code == 404
    assert login("executive").get(url("persona", study.slug, first.number)).status_code == 403


def test_the_card_prints_in_both_languages_and_as_a_pdf(login, personas, study):
    first, _row = _persona(personas, study)
    client = login("executive")
    html = client.get(url("persona_print", study.slug, first.number)).content.decode()
    assert "Les pressés" in html and "The hurried" in html and 'lang="fr"' in html
    only_fr = client.get(url("persona_print", study.slug, first.number), {"lang": "fr"})
    assert "Avancer vite" in only_fr.content.decode()
    assert "Move fast" not in only_fr.content.decode()
    response = client.get(url("persona_print", study.slug, first.number), {"format": "pdf"})
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content[:5] == b"%PDF-"
    assert response["Content-Disposition"] == 'attachment; filename="the-hurried.pdf"'
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages)
    assert "Les pressés" in text and "The hurried" in text
    assert client.get(url("persona_print", study.slug, 9)).status_code == 404


def test_a_manager_makes_the_persona_an_audience(login, personas, study):
    first, _row = _persona(personas, study)
    client = login("marketing")
    response = client.post(url("persona_audience", study.slug, first.number),
                           {"threshold": "100"}, follow=True)
    assert "No job family qualifies" in response.content.decode()
    assert not Audience.objects.exists()
    client.post(url("persona_audience", study.slug, first.number), {"threshold": "40"})
    audience = Persona.objects.get().audience
    assert audience is not None and audience.name == "Persona: The hurried"
    assert login("executive").post(url("persona_audience", study.slug, first.number),
                                   {"threshold": "40"}).status_code == 403


def test_the_statement_page_shows_the_published_sentence_and_the_evidence(login, personas):
    study = make_study(personas["marketing"])
    lead = personas["marketing"]
    statement_publish(user=lead, statement=statement_save(user=lead, study=study, **PARTS))
    html = login("executive").get(url("statements", study.slug)).content.decode()
    assert ("For sales teams who must share fast, the IT collaborative space that stays safe "
            "and simple, unlike personal tools, because it is hosted in France.") in html
    assert "Too few answers" in html  # the evidence of a study nobody answered yet
    assert "Start a new version" not in html
    assert login("employee").get(url("statements", study.slug)).status_code == 403


def test_the_evidence_says_where_the_department_wins_and_loses(login, study):
    response = login("marketing").get(url("statements", study.slug))
    evidence = response.context["evidence"]
    assert "Security" in evidence.wins and "Speed" in evidence.loses
    assert "Write the statement" in response.content.decode()


def test_a_manager_drafts_and_publishes_a_version(login, personas):
    study = make_study(personas["marketing"])
    client = login("marketing")
    assert client.get(url("statement_edit", study.slug)).status_code == 200
    response = client.post(url("statement_edit", study.slug), {**PARTS, "proof_fr": ""})
    assert response.status_code == 200 and response.context["form"].errors["proof_fr"]
    assert client.post(url("statement_edit", study.slug), PARTS).status_code == 302
    draft = Statement.objects.get()
    assert client.post(url("statement_publish", study.slug, draft.version)).status_code == 302
    draft.refresh_from_db()
    assert draft.status == Statement.Status.PUBLISHED
    again = client.post(url("statement_publish", study.slug, draft.version), follow=True)
    assert "Only a draft is published" in again.content.decode()
    assert client.post(url("statement_publish", study.slug, 7)).status_code == 404
    assert login("executive").post(url("statement_edit", study.slug), PARTS).status_code == 403


def test_the_promise_shows_on_the_catalogue_family(client, login, personas):
    families = make_families()
    make_service("espace", name_fr="Espace", family="collab")
    study = make_study(personas["marketing"], family=families["collab"])
    employee = login("employee")
    portal = employee.get(reverse("catalog:home")).content.decode()
    assert f'hx-get="{url("promise", "collab")}"' in portal
    assert employee.get(url("promise", "collab")).status_code == 204  # nothing published
    lead = personas["marketing"]
    statement_publish(user=lead, statement=statement_save(user=lead, study=study, **PARTS))
    response = employee.get(url("promise", "collab"), HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 200 and "Our promise" in html
    assert ("For sales teams: the IT collaborative space that stays safe and simple, unlike "
            "personal tools.") in html
    assert "hosted in France" not in html  # the short form
    client.logout()
    assert client.get(url("promise", "collab")).status_code == 302


def test_benchmarks_are_read_by_readers_and_changed_by_managers(login, personas):
    study = make_study(personas["marketing"])
    executive = login("executive")
    html = executive.get(url("benchmarks", study.slug)).content.decode()
    assert "Add a benchmark" not in html
    assert executive.post(url("benchmarks", study.slug), {}).status_code == 403
    client = login("marketing")
    values = {"label_fr": "Satisfaction IT", "value": "81", "unit": "%", "attribute": "support",
              "source": "HappySignals", "source_url": "", "as_of": "2025-03-01"}
    response = client.post(url("benchmarks", study.slug), {**values, "source": ""})
    assert response.status_code == 200 and response.context["form"].errors["source"]
    assert client.post(url("benchmarks", study.slug), values).status_code == 302
    benchmark = Benchmark.objects.get()
    assert benchmark.as_of == dt.date(2025, 3, 1)
    html = login("executive").get(url("benchmarks", study.slug)).content.decode()
    assert "HappySignals" in html and "Satisfaction IT" in html
    client = login("marketing")
    assert client.post(url("benchmark_edit", study.slug, benchmark.pk),
                       {**values, "value": "79"}).status_code == 302
    assert Benchmark.objects.get().value == 79
    assert client.post(url("benchmark_delete", study.slug, benchmark.pk)).status_code == 302
    assert not Benchmark.objects.exists()


def test_a_manager_edits_a_tool_and_proposes_a_need_or_an_action(login, personas, study):
    make_families()
    service = make_service("espace", name_fr="Espace collaboratif", family="collab")
    plan = make_plan(personas["marketing"])
    client = login("marketing")
    assert client.get(url("tools", study.slug)).status_code == 200
    assert client.get(url("tool_new", study.slug), {"name": "Notion"}).status_code == 200
    assert client.post(url("tool_new", study.slug),
                       {"name": "Notion", "aliases": "notion.so; Notion AI"}).status_code == 302
    notion = Tool.objects.get(study=study, name="Notion")
    assert notion.aliases == ["notion.so", "Notion AI"]
    page = client.get(url("tool", study.slug, notion.pk)).content.decode()
    assert "Propose a need" in page and "Propose an action" not in page
    client.post(url("tool_need", study.slug, notion.pk))
    assert Need.objects.get().title == "Offer gap: Notion"
    trello = Tool.objects.get(study=study, name="Trello")
    client.post(url("tool", study.slug, trello.pk), {"name": "Trello", "service": service.pk,
                                                      "suggested": "on"})
    page = client.get(url("tool", study.slug, trello.pk)).content.decode()
    assert "Propose an action" in page
    client.post(url("tool_action", study.slug, trello.pk), {"plan": plan.pk})
    assert Action.objects.get().title == "Make Espace collaboratif known to Trello users"
    assert login("executive").get(url("tool", study.slug, trello.pk)).status_code == 403


def test_a_study_without_segments_says_why_on_the_persona_page(login, personas):
    study = make_study(personas["marketing"])
    response = login("executive").get(url("personas", study.slug))
    assert response.status_code == 200
    assert response.context["page"].segments.hidden
    assert response.context["page"].segments.reason in response.content.decode()
    assert login("marketing").get(url("persona", study.slug, 1)).status_code == 404
