"""Tool groups: spellings merged (one tool per spelling, compared normalised), an equivalent or a
gap, and what they lead to — a need for an offer gap, an action for an unknown equivalent —
with the released evidence only."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from phare.comms.models import Action, ActionChange
from phare.needs.models import Need
from phare.positioning.models import Tool
from phare.positioning.outputs import tool_evidence
from phare.positioning.services.tools import tool_action, tool_need, tool_save
from tests.catalog.factories import make_families, make_service
from tests.comms.factories import make_plan
from tests.positioning.factories import make_answered_study, make_study

pytestmark = pytest.mark.django_db


@pytest.fixture
def service(db):
    make_families()
    return make_service("espace-collaboratif", name_fr="Espace collaboratif",
                        name_en="Collaborative space")


@pytest.fixture
def study(personas):
    return make_answered_study(120, user=personas["marketing"])


def test_it_groups_spellings_under_one_tool(personas):
    study = make_study()
    tool = tool_save(user=personas["marketing"], study=study, name="  Google   Drive ",
                     aliases=["gdrive", "GDrive ", "google drive", "", "Drive Google"])
    assert tool.name == "Google Drive"
    assert tool.aliases == ["gdrive", "Drive Google"]  # the name again and repeats left out
    assert (tool.gap, tool.service, tool.suggested) == (False, None, False)


def test_a_spelling_belongs_to_one_tool_of_the_study(personas):
    study = make_study()
    lead = personas["marketing"]
    drive = tool_save(user=lead, study=study, name="Google Drive", aliases=["GDrive"])
    with pytest.raises(ValidationError) as caught:
        tool_save(user=lead, study=study, name="Dropbox", aliases=["gdrivé"])
    assert caught.value.error_dict["aliases"][0].code == "duplicate"
    with pytest.raises(ValidationError) as caught:
        tool_save(user=lead, study=study, name="google  DRIVE")
    assert "name" in caught.value.error_dict
    # The same spelling in another study is another tool; a tool keeps its own spellings.
    tool_save(user=lead, study=make_study(), name="Google Drive")
    assert tool_save(user=lead, study=study, tool=drive, name="Google Drive",
                     aliases=["GDrive", "Drive"]).aliases == ["GDrive", "Drive"]


def test_an_equivalent_is_not_a_gap_and_only_managers_save(personas, service):
    study = make_study()
    with pytest.raises(ValidationError) as caught:
        tool_save(user=personas["marketing"], study=study, name="Slack", service=service,
                  gap=True)
    assert caught.value.error_dict["gap"][0].code == "gap"
    with pytest.raises(PermissionDenied):
        tool_save(user=personas["executive"], study=study, name="Slack")
    assert not Tool.objects.exists()


def test_the_evidence_says_only_what_is_released(study):
    dropbox = study.tools.get(name="Dropbox")
    evidence = tool_evidence(dropbox)
    assert evidence.respondents == 120 and evidence.people is not None
    assert evidence.people >= 2  # the study's threshold
    assert set(evidence.job_families) <= {"Commercial", "Informatique"}
    # A tool nobody named: no count at all.
    unknown = tool_save(user=study.created_by, study=study, name="Lotus Notes")
    assert tool_evidence(unknown).people is None and not tool_evidence(unknown).units


def test_a_gap_becomes_a_need_with_its_evidence(personas, study):
    lead = personas["marketing"]
    notion = tool_save(user=lead, study=study, name="Notion")
    with translation.override("en"):
        need = tool_need(user=lead, tool=notion)
    assert need.title == "Offer gap: Notion"
    assert need.submitter == lead.person and need.business_unit == lead.person.business_unit
    people = tool_evidence(notion).people
    assert people is not None and f"Named by {people} respondents" in need.description
    assert "Units where it is named" in need.description
    notion.refresh_from_db()
    assert notion.need == need and notion.gap
    with pytest.raises(ValidationError) as caught:
        tool_need(user=lead, tool=notion)
    assert caught.value.error_dict["need"][0].code == "proposed"
    assert Need.objects.count() == 1


def test_no_need_for_a_tool_with_an_equivalent_nor_without_a_person(personas, study, service):
    lead = personas["marketing"]
    slack = tool_save(user=lead, study=study, name="Slack", service=service)
    with pytest.raises(ValidationError) as caught:
        tool_need(user=lead, tool=slack)
    assert caught.value.error_dict["service"][0].code == "has_equivalent"
    canva = tool_save(user=lead, study=study, name="Canva")
    lead.person = None
    with pytest.raises(ValidationError) as caught:
        tool_need(user=lead, tool=canva)
    assert caught.value.error_dict["user"][0].code == "no_person"
    assert not Need.objects.exists()


def test_an_equivalent_becomes_an_idea_in_the_plan(personas, study, service):
    lead = personas["marketing"]
    plan = make_plan(lead)
    trello = study.tools.get(name="Trello")
    trello = tool_save(user=lead, study=study, tool=trello, name="Trello", service=service)
    with translation.override("en"):
        action = tool_action(user=lead, tool=trello, plan=plan)
    assert action.title == "Make Collaborative space known to Trello users"
    assert (action.plan, action.kind, action.status) == (plan, Action.Kind.MESSAGE,
                                                        Action.Status.IDEA)
    assert list(action.services.all()) == [service]
    note = ActionChange.objects.get(action=action, comment__contains="Trello")
    assert "respondents" in note.comment
    trello.refresh_from_db()
    assert trello.action == action
    with pytest.raises(ValidationError):
        tool_action(user=lead, tool=trello, plan=plan)
    gap = tool_save(user=lead, study=study, name="Miro", gap=True)
    with pytest.raises(ValidationError) as caught:
        tool_action(user=lead, tool=gap, plan=plan)
    assert caught.value.error_dict["service"][0].code == "no_equivalent"
    with pytest.raises(PermissionDenied):
        tool_action(user=personas["executive"], tool=trello, plan=plan)
