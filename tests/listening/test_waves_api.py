"""The waves API: plan, launch, remind, follow the response rate."""

from __future__ import annotations

import datetime as dt

import pytest

from phare.accounts.services import token_create
from phare.jobs.models import Job
from phare.listening.models import Invitation, Wave
from tests.listening.factories import make_barometer, make_crowd

TODAY = dt.date.today()


def auth(user) -> dict[str, str]:
    _token, raw = token_create(user=user, name="api")
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


@pytest.fixture
def survey(personas, org):
    make_crowd(org, n=20)
    return make_barometer(created_by=personas["marketing"])


def _wave(**changes) -> dict:
    return {"name": "Hiver", "opens_on": TODAY.isoformat(),
            "closes_on": (TODAY + dt.timedelta(days=14)).isoformat(),
            "audience": {"units": ["VEN"], "sample": 8, "stratify_by": "site", "seed": 11},
            "reminder_days": [5, 10], **changes}


def test_it_plans_launches_and_reports_a_wave(client, personas, survey,
                                              django_capture_on_commit_callbacks, mailoutbox):
    headers = auth(personas["marketing"])
    created = client.post("/api/v1/surveys/barometre/waves", _wave(),
                          content_type="application/json", **headers)
    assert created.status_code == 201, created.content
    body = created.json()
    assert (body["number"], body["status"], body["version"]) == (1, "planned", 1)
    assert body["audience"]["sample"] == 8 and body["reminder_days"] == [5, 10]
    assert body["rates"]["overall"]["invited"] == 0
    with django_capture_on_commit_callbacks(execute=True):
        launched = client.post("/api/v1/surveys/barometre/waves/1/launch", **headers)
    assert launched.status_code == 202
    result = launched.json()
    assert (result["population"], result["invited"]) == (11, 8)  # 10 of the crowd + 1 persona
    assert (result["opted_out"], result["quiet_period"], result["contact_cap"]) == (0, 0, 0)
    assert Job.objects.get(pk=result["job"]).status == Job.Status.SUCCEEDED
    assert len(mailoutbox) == 8
    detail = client.get("/api/v1/surveys/barometre/waves/1", **headers).json()
    assert detail["status"] == "open"
    assert detail["rates"]["overall"] == {"invited": 8, "sent": 8, "responded": 0,
                                          "rate": 0.0, "suppressed": False}
    assert set(detail["rates"]["segments"]) == {"business_unit", "site", "job_family"}
    listed = client.get("/api/v1/surveys/barometre/waves", **headers).json()
    assert [(w["number"], w["overall"]["invited"]) for w in listed["items"]] == [(1, 8)]


def test_it_refuses_with_the_field_named(client, personas, survey):
    headers = auth(personas["admin"])
    refused = client.post("/api/v1/surveys/barometre/waves",
                          _wave(audience={"sites": ["PAR", "MARS"]}),
                          content_type="application/json", **headers)
    assert refused.status_code == 422
    error = refused.json()["error"]
    assert error["code"] == "validation_error"
    assert error["details"][0]["field"] == "audience.sites"
    assert "MARS" in error["details"][0]["reason"]
    bad_strata = client.post("/api/v1/surveys/barometre/waves",
                             _wave(audience={"sample": 3, "stratify_by": "age"}),
                             content_type="application/json", **headers)
    assert bad_strata.status_code == 422
    assert not Wave.objects.exists()
    missing = client.post("/api/v1/surveys/nope/waves", _wave(),
                          content_type="application/json", **headers)
    assert missing.status_code == 404


def test_launching_twice_is_a_conflict_and_remind_starts_a_job(client, personas, survey):
    headers = auth(personas["marketing"])
    client.post("/api/v1/surveys/barometre/waves", _wave(), content_type="application/json",
                **headers)
    early = client.post("/api/v1/surveys/barometre/waves/1/remind", **headers)
    assert early.status_code == 409
    assert early.json()["error"]["details"] == [{"field": "status",
                                                 "reason": early.json()["error"]["message"]}]
    assert client.post("/api/v1/surveys/barometre/waves/1/launch", **headers).status_code == 202
    again = client.post("/api/v1/surveys/barometre/waves/1/launch", **headers)
    assert again.status_code == 409 and again.json()["error"]["code"] == "conflict"
    assert Invitation.objects.count() == 8
    reminded = client.post("/api/v1/surveys/barometre/waves/1/remind", **headers)
    assert reminded.status_code == 202
    job = Job.objects.get(pk=reminded.json()["job"])
    assert job.kind == "listening.send_reminders"
    assert client.get("/api/v1/surveys/barometre/waves/3", **headers).status_code == 404


def test_only_survey_managers_may_use_it(client, personas, survey):
    for persona in ("owner", "executive", "employee"):
        response = client.get("/api/v1/surveys/barometre/waves", **auth(personas[persona]))
        assert response.status_code == 403
