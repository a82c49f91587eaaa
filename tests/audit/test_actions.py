"""Every audited action writes its entry, with who did it, on what, and the details that
matter — from the service that performs it (so the page, the API and the jobs alike)."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from phare.accounts.services import token_create, token_revoke, user_update
from phare.audit.actions import Action
from phare.audit.models import Entry
from phare.audit.services import tick
from phare.catalog.services import service_publish, service_unpublish
from phare.comms.models import Action as CommsAction
from phare.comms.services import sending
from phare.directory.importer import import_people
from phare.listening.imports import import_survey
from phare.listening.services.surveys import survey_update
from phare.needs.services.campaigns import arbitration_run
from phare.needs.services.decisions import decision_record
from phare.positioning.services.statements import statement_publish, statement_save
from phare.reports import services as report_services
from phare.tickets.services import import_tickets
from phare.usage import services as usage_services
from tests.accounts.factories import PASSWORD
from tests.catalog.factories import make_families, make_service
from tests.comms.factories import make_action, make_audience, make_plan
from tests.listening.factories import fill, make_barometer, make_export_survey
from tests.needs.factories import make_campaign, make_need, score
from tests.positioning.factories import make_study
from tests.reports.factories import fake_renderers, make_report
from tests.usage.factories import events_csv

pytestmark = pytest.mark.django_db


def only(action: Action, **filters: Any) -> Entry:
    """The one entry of ``action`` (fails when there is none, or several)."""
    return Entry.objects.get(action=action, **filters)


# -- sign-ins -----------------------------------------------------------------------------------

def test_a_sign_in_is_recorded_with_its_address(client: Client, personas) -> None:
    client.post(reverse("accounts:login"), {"username": "owner", "password": PASSWORD},
                REMOTE_ADDR="203.0.113.5", HTTP_USER_AGENT="Edge/130")
    entry = only(Action.SIGNIN)
    assert (entry.actor_name, entry.ip, entry.user_agent) == ("owner", "203.0.113.5", "Edge/130")
    assert entry.target_type == "accounts.user"


def test_a_failed_sign_in_is_recorded_without_an_actor(client: Client, personas) -> None:
    client.post(reverse("accounts:login"), {"username": "owner", "password": "wrong"},
                REMOTE_ADDR="203.0.113.6")
    entry = only(Action.SIGNIN_FAILED)
    assert (entry.actor_id, entry.ip, entry.details) == (None, "203.0.113.6",
                                                          {"username": "owner"})
    assert "wrong" not in str(entry.details)


def test_a_locked_sign_in_is_recorded(client: Client, personas, settings) -> None:
    settings.AXES_FAILURE_LIMIT = 2
    for _attempt in range(3):
        client.post(reverse("accounts:login"), {"username": "owner", "password": "wrong"},
                    REMOTE_ADDR="203.0.113.7")
    entry = Entry.objects.filter(action=Action.SIGNIN_LOCKED).first()
    assert entry is not None
    assert (entry.ip, entry.details["username"]) == ("203.0.113.7", "owner")


# -- accounts -----------------------------------------------------------------------------------

def test_a_role_change_is_recorded_with_before_and_after(login, personas) -> None:
    employee = personas["employee"]
    login("admin").post(reverse("accounts:user_edit", args=[employee.pk]), {
        "role": "marketing", "email": employee.email, "is_active": "on",
        "person": employee.person.employee_id})
    entry = only(Action.ROLE_CHANGED)
    assert (entry.actor_name, entry.target_type, entry.target_id) == (
        "admin", "accounts.user", str(employee.pk))
    assert entry.details == {"from": {"role": "employee", "is_active": True},
                             "to": {"role": "marketing", "is_active": True}}


def test_an_unchanged_role_is_not_recorded(personas) -> None:
    user = personas["owner"]
    user_update(user=user, role=user.role, person=user.person, email="new@example.com")
    assert not Entry.objects.filter(action=Action.ROLE_CHANGED).exists()


def test_a_new_account_is_recorded_with_its_role(personas) -> None:
    entry = only(Action.ACCOUNT_CREATED, target_id=str(personas["executive"].pk))
    assert entry.details == {"role": "executive", "is_active": True}


def test_token_creation_and_revocation_are_recorded(personas) -> None:
    token, raw = token_create(user=personas["marketing"], name="CI")
    token_revoke(token=token)
    token_revoke(token=token)  # already revoked: nothing happens, nothing recorded
    created, revoked = only(Action.TOKEN_CREATED), only(Action.TOKEN_REVOKED)
    assert created.actor_name == "marketing" and created.target_id == str(token.pk)
    assert raw not in str(created.details) and token.digest not in str(created.details)
    assert revoked.target_label == str(token)


# -- exports ------------------------------------------------------------------------------------

def test_a_catalogue_export_is_recorded(login) -> None:
    make_families()
    login("marketing").get(reverse("catalog:export", args=["xlsx"]))
    entry = only(Action.EXPORT)
    assert (entry.actor_name, entry.target_type, entry.details["format"]) == (
        "marketing", "catalog.service", "xlsx")


def test_a_needs_export_is_recorded(login) -> None:
    login("marketing").get(reverse("needs:export"))
    assert only(Action.EXPORT).target_type == "needs.need"


def test_a_report_download_is_recorded(login) -> None:
    report = make_report()
    response = login("executive").get(reverse("reports:download", args=[report.pk, "pdf"]))
    assert response.status_code == 200
    entry = only(Action.EXPORT)
    assert (entry.actor_name, entry.target_type, entry.target_id, entry.details) == (
        "executive", "reports.report", str(report.pk), {"format": "pdf"})


def test_an_insights_export_is_recorded_with_its_filters(login) -> None:
    response = login("admin").get(reverse("insights:value_cards") + "?csv=cards&sort=name")
    assert response.status_code == 200
    entry = only(Action.EXPORT)
    assert entry.target_type == "insights.cards"
    assert entry.details == {"format": "csv", "table": "cards", "filters": {"sort": "name"}}


def test_a_survey_export_is_recorded_from_the_page_and_the_api(login, api) -> None:
    survey = make_export_survey("audit-export")
    fill(survey, 10)
    response = login("marketing").get(reverse("listening:export_file", args=[survey.slug, "csv"]))
    assert response.status_code == 200
    entry = only(Action.EXPORT)
    assert (entry.actor_name, entry.target_type, entry.details["format"]) == (
        "marketing", "listening.survey", "csv")
    answer = api("marketing", "GET", f"/surveys/{survey.slug}/responses/export?format=csv")
    assert answer.status_code == 200
    entries = list(Entry.objects.filter(action=Action.EXPORT).order_by("pk"))
    assert len(entries) == 2 and entries[1].details["via"] == "api"


# -- imports ------------------------------------------------------------------------------------

def test_a_ticket_import_is_recorded_with_its_report(personas) -> None:
    from_file = Path(__file__).parents[1] / "tickets" / "data" / "servicenow_incident_pt.csv"
    report = import_tickets(from_file.read_bytes(), user=personas["marketing"])
    entry = only(Action.IMPORT)
    assert entry.actor_name == "marketing" and entry.target_type == "tickets.ticket"
    assert entry.details["tickets"] == report.tickets > 0


def test_a_survey_import_is_recorded(personas) -> None:
    from_file = Path(__file__).parents[1] / "listening" / "data" / "limesurvey_206_dual.lss"
    report = import_survey([(from_file.name, from_file.read_bytes())], user=personas["marketing"])
    entry = only(Action.IMPORT)
    assert (entry.actor_name, entry.target_type, entry.target_id) == (
        "marketing", "listening.survey", str(report.survey.pk))
    assert entry.details["questions"] == report.questions_imported > 0


def test_a_directory_import_is_recorded_with_its_report(personas) -> None:
    data = io.BytesIO(b"employee_id,first_name,last_name,email\nX1,Ana,Lima,ana@x.fr\n")
    import_people(data, deactivate_missing=False, user=personas["admin"])
    entry = only(Action.IMPORT)
    assert entry.actor_name == "admin" and entry.target_type == "directory.person"
    assert entry.details["created"] == 1


def test_a_dry_run_import_is_not_recorded(personas) -> None:
    data = io.BytesIO(b"employee_id,first_name,last_name,email\nX1,Ana,Lima,ana@x.fr\n")
    import_people(data, deactivate_missing=False, dry_run=True, user=personas["admin"])
    assert not Entry.objects.filter(action=Action.IMPORT).exists()


def test_a_usage_import_is_recorded(personas) -> None:
    make_families()
    make_service("messagerie")
    usage_services.import_usage(events_csv([]), file_name="events.csv", source="events",
                                user=personas["marketing"], today=dt.date(2026, 11, 30))
    entry = only(Action.IMPORT)
    assert (entry.actor_name, entry.target_type, entry.details["file"]) == (
        "marketing", "usage.usageimport", "events.csv")


# -- publications, decisions, sending, reports ------------------------------------------------

def test_a_catalogue_publication_and_withdrawal_are_recorded(personas) -> None:
    make_families()
    service = make_service("vpn", publication="review")
    service_publish(user=personas["marketing"], service=service)
    service_unpublish(user=personas["marketing"], service=service)
    published, withdrawn = Entry.objects.filter(action=Action.PUBLICATION).order_by("id")
    assert (published.target_type, published.target_id) == ("catalog.service", str(service.pk))
    assert published.details["published"] is True and withdrawn.details == {"published": False}


def test_an_arbitration_and_its_decision_are_recorded(personas) -> None:
    lead = personas["marketing"]
    need = make_need(lead.person, "Imprimante")
    score(need)
    campaign = make_campaign(lead, [need])
    arbitration = arbitration_run(user=lead, campaign=campaign, explain=False)
    decision_record(user=lead, campaign=campaign, arbitration=arbitration, reason="Budget")
    run, decided = only(Action.ARBITRATION), only(Action.DECISION)
    assert run.details["number"] == 1 and run.target_id == str(campaign.pk)
    assert (decided.actor_name, decided.details["reason"]) == ("marketing", "Budget")


def test_a_positioning_statement_publication_is_recorded(personas) -> None:
    lead = personas["marketing"]
    study = make_study(lead)
    statement = statement_save(user=lead, study=study, audience_fr="les équipes",
                               need_fr="partager", offer_fr="l'espace collaboratif",
                               benefit_fr="simple", unlike_fr="les clés USB",
                               proof_fr="hébergé en France")
    statement_publish(user=lead, statement=statement)
    entry = only(Action.PUBLICATION)
    assert entry.target_type == "positioning.statement" and entry.details["version"] == 1


def test_a_sending_and_a_publication_of_comms_are_recorded(personas) -> None:
    lead = personas["marketing"]
    plan = make_plan()
    email = make_action(plan, status=CommsAction.Status.APPROVED, owner=lead,
                        audience=make_audience({"units": []}, name="All"))
    news = make_action(plan, "News", channel=CommsAction.Channel.PORTAL,
                       status=CommsAction.Status.APPROVED, owner=lead)
    job = sending.send_start(action=email, user=lead)
    sending.publish(action=news, user=lead)
    sent, published = only(Action.SENDING), only(Action.PUBLICATION)
    assert (sent.target_id, sent.details["job"]) == (str(email.pk), str(job.pk))
    assert (published.target_id, published.details["channel"]) == (str(news.pk), "portal")


def test_a_generated_report_is_recorded(personas, monkeypatch) -> None:
    monkeypatch.setattr(report_services, "RENDERERS", fake_renderers())
    monkeypatch.setattr(report_services.report_content, "build", lambda **kwargs: "content")
    report = make_report(status="queued", created_by=personas["executive"])
    report_services.report_generate(report=report, progress=lambda *args: None)
    entry = only(Action.REPORT_GENERATED)
    assert (entry.actor_name, entry.target_id, entry.details["ends_on"]) == (
        "executive", str(report.pk), "2026-09-30")


# -- thresholds and configuration -------------------------------------------------------------

def test_a_threshold_change_is_recorded(login) -> None:
    survey = make_barometer()
    login("marketing")
    survey_update(survey, min_group_size=survey.min_group_size)  # unchanged: not recorded
    assert not Entry.objects.filter(action=Action.THRESHOLD_CHANGED).exists()
    old = survey.min_group_size
    survey_update(survey, min_group_size=old + 3, title_fr="Nouveau titre")
    entry = only(Action.THRESHOLD_CHANGED)
    assert entry.target_type == "listening.survey"
    assert entry.details == {"min_group_size": {"from": old, "to": old + 3}}


def test_a_configuration_change_is_recorded_by_the_tick(settings) -> None:
    tick(timezone.now())
    settings.PHARE_USAGE_MIN_GROUP = 11
    done = tick(timezone.now() + dt.timedelta(minutes=1))
    assert done["configuration_changed"] is True
    latest = Entry.objects.filter(action=Action.CONFIGURATION_CHANGED).first()
    assert latest is not None
    assert latest.details["changed"] == {"PHARE_USAGE_MIN_GROUP": {"from": 5, "to": 11}}


def test_a_positioning_table_export_is_recorded(login, personas) -> None:
    study = make_study(personas["marketing"])
    response = login("executive").get(reverse("positioning:gaps_csv", args=[study.slug]))
    assert response.status_code == 200
    entry = only(Action.EXPORT)
    assert (entry.actor_name, entry.target_type, entry.details["table"]) == (
        "executive", "positioning.study", "gaps_csv")
