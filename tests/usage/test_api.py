"""``/api/v1/usage``: adoption by group out, events in — never one person's usage."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from phare.accounts.services import token_create
from phare.usage import store
from tests.usage.factories import import_events, make_people, use
from tests.usage.factories import service as make_service


@pytest.fixture
def api(client, personas):
    def call(method: str, path: str, body=None, *, as_: str = "marketing"):
        _token, raw = token_create(user=personas[as_], name=f"t-{as_}")
        return client.generic(method, "/api/v1" + path, HTTP_AUTHORIZATION=f"Bearer {raw}",
                              content_type="application/json",
                              data=json.dumps(body) if body is not None else "")

    return call


def _last_month() -> dt.date:
    return (dt.date.today().replace(day=1) - dt.timedelta(days=1)).replace(day=3)


def test_it_answers_adoption_by_unit_with_intervals_and_suppression(api, org):
    dsi = make_people(org, "dsi", 20)
    sales = make_people(org, "ven", 12, unit="sales", site="lyon", family="sell")
    make_service("collab", name="Collab")
    day = _last_month()
    import_events(use(dsi[:11], "collab", day) + use(sales[:2], "collab", day),
                  today=dt.date.today())
    answer = api("GET", "/usage/adoption?service=collab&by=unit")
    assert answer.status_code == 200
    body = answer.json()
    assert body["month"] == day.strftime("%Y-%m") and body["min_group"] == 5
    rows = {r["key"]: r for r in body["rows"]}
    assert rows["VEN"]["suppressed"] and rows["VEN"]["active_users"] is None
    assert rows["VEN"]["audience"] is None
    assert set(rows["VEN"]) == {"key", "label", "active_users", "audience", "adoption_rate",
                                "low", "high", "suppressed"}


def test_it_refuses_a_bad_month_and_an_unknown_service(api, org):
    make_service("collab", name="Collab")
    bad = api("GET", "/usage/adoption?service=collab&month=2026-13")
    assert bad.status_code == 422 and bad.json()["error"]["details"][0]["field"] == "month"
    assert api("GET", "/usage/adoption?service=nope").status_code == 404


def test_it_hides_other_services_from_an_owner_and_everything_from_an_employee(api, org):
    make_service("collab", name="Collab")
    assert api("GET", "/usage/adoption?service=collab", as_="owner").status_code == 404
    assert api("GET", "/usage/adoption?service=collab", as_="employee").status_code == 403


def test_it_takes_events_all_or_nothing_with_paths(api, org):
    people = make_people(org, "dsi", 3)
    make_service("collab", name="Collab")
    good = [{"person": p.email, "service": "collab", "event": "open",
             "time": "2026-11-03T09:00:00+01:00"} for p in people]
    bad = api("POST", "/usage/events", {"events": [*good, {"person": people[0].email,
                                                           "service": "collab",
                                                           "event": "open", "time": "later"}]})
    assert bad.status_code == 422
    assert [d["field"] for d in bad.json()["error"]["details"]] == ["events.3.time"]
    assert store.files() == []
    ok = api("POST", "/usage/events", {"events": good})
    assert ok.status_code == 201 and ok.json()["imported"] == 3
    again = api("POST", "/usage/events", {"events": good})
    assert again.json() == {"rows_read": 3, "imported": 0, "replaced": 0, "unchanged": 3}


def test_it_refuses_events_of_people_not_in_the_directory(api, org):
    make_service("collab", name="Collab")
    answer = api("POST", "/usage/events", {"events": [
        {"person": "ghost@example.com", "service": "collab", "event": "open",
         "time": "2026-11-03"}]})
    assert answer.status_code == 422
    assert answer.json()["error"]["details"][0]["field"] == "events.0.person"


def test_it_lets_only_usage_managers_send_events(api, org):
    answer = api("POST", "/usage/events", {"events": []}, as_="executive")
    assert answer.status_code == 403


@pytest.fixture
def upload(client, personas):
    def call(data: bytes, name: str, **fields):
        _token, raw = token_create(user=personas["marketing"], name="upload")
        from django.core.files.uploadedfile import SimpleUploadedFile

        return client.post("/api/v1/usage/imports",
                           {"file": SimpleUploadedFile(name, data), **fields},
                           HTTP_AUTHORIZATION=f"Bearer {raw}")

    return call


def test_it_imports_licences_and_seats_by_api(upload, org):
    people = make_people(org, "dsi", 3)
    make_service("crm", name="CRM")
    lines = ["service,person,assigned_on", *[f"crm,{p.email},2026-01-05" for p in people]]
    answer = upload("\n".join(lines).encode(), "licences.csv", source="licences")
    assert answer.status_code == 201
    assert answer.json()["licences"] == 3 and answer.json()["source"] == "licences"
    seats = upload(b"service,seats,cost_per_seat\ncrm,10,65\n", "seats.csv")
    assert seats.status_code == 201 and seats.json()["seats"] == 1


def test_it_refuses_a_bad_file_by_api_with_its_places(upload, org):
    make_service("crm", name="CRM")
    answer = upload(b"person,service,event,time\na@example.com,crm,open,never\n", "e.csv")
    assert answer.status_code == 422
    assert answer.json()["error"]["details"][0]["field"] == "file: line 2, column time"
    bad = upload(b"x", "e.csv", source="nope", period_days=3)
    assert {d["field"] for d in bad.json()["error"]["details"]} == {"source", "period_days"}
