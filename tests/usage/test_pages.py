"""The usage pages, as each role sees them: the overview, a service's usage (filters, CSV,
suppressed groups), the deployment form, the imports and their reports, the products."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from phare.directory.models import BusinessUnit
from phare.usage import services
from phare.usage.models import Deployment, ProductLink, UsageImport
from tests.usage.factories import events_csv, make_people, use
from tests.usage.factories import service as make_service

pytestmark = pytest.mark.django_db


def _months() -> tuple[dt.date, dt.date]:
    """The last month that is over and the one before (usage is released by whole months)."""
    last = timezone.localdate().replace(day=1) - dt.timedelta(days=1)
    before = last.replace(day=1) - dt.timedelta(days=1)
    return last.replace(day=1), before.replace(day=1)


@pytest.fixture
def scene(org, personas):
    """Teams (owned by the owner persona) used in DSI, Ventes and a small HR unit over the
    last two months that are over; a VPN owned by nobody, used too."""
    org["rh"] = BusinessUnit.objects.create(code="RH", name="Ressources humaines")
    dsi = make_people(org, "dsi", 12)
    sales = make_people(org, "ven", 12, unit="sales", site="lyon", family="sell")
    hr = make_people(org, "rh", 3, unit="rh", site="lyon", family="sell")
    teams = make_service("teams", name="Microsoft Teams", owner="E0003")
    vpn = make_service("vpn", name="Accès VPN")
    last, before = _months()
    rows = []
    for day in (1, 8, 15):
        rows += use(dsi[:8], "teams", last.replace(day=day))
        rows += use(sales[:6], "teams", last.replace(day=day))
        rows += use(hr[:1], "teams", last.replace(day=day))
        rows += use(dsi[:6], "teams", before.replace(day=day))
        rows += use(dsi[:10], "vpn", last.replace(day=day))
    report = services.import_usage(events_csv(rows), file_name="events.csv", source="events")
    assert report.unmatched == 0 and report.imported > 0
    return {"teams": teams, "vpn": vpn, "last": last, "before": before, "org": org}


def _text(response) -> str:
    return " ".join(response.content.decode().split())


def _row(html: str, attribute: str, key: str) -> str:
    match = re.search(rf'<tr[^>]*{attribute}="{key}"[^>]*>(.*?)</tr>', html, re.S)
    assert match, f"no row {attribute}={key}"
    return match.group(1)


# -- the overview ---------------------------------------------------------------------------

@pytest.mark.parametrize("persona", ["marketing", "executive", "admin"])
def test_it_shows_every_service_with_usage_to_readers(login, scene, persona):
    response = login(persona).get("/usage/")
    assert response.status_code == 200
    html = _text(response)
    teams = _row(html, "data-service", "teams")
    # 15 active last month, 6 the month before: the change is shown.
    assert ">15" in teams and "+9" in teams
    assert 'data-service="vpn"' in html
    assert 'id="chart-adoption-by-service"' in html


def test_it_shows_an_owner_their_own_services_only(login, scene):
    html = _text(login("owner").get("/usage/"))
    assert 'data-service="teams"' in html and 'data-service="vpn"' not in html
    assert "/usage/imports/" not in html  # managers only


def test_it_refuses_employees(login, scene):
    client = login("employee")
    for path in ("/usage/", "/usage/teams/", "/usage/imports/", "/usage/products/"):
        assert client.get(path).status_code == 403, path


def test_it_links_managers_to_imports_and_products(login, scene):
    html = _text(login("marketing").get("/usage/"))
    assert reverse("usage:imports") in html and reverse("usage:products") in html
    html = _text(login("executive").get("/usage/"))
    assert reverse("usage:imports") not in html


def test_it_shows_tenant_counts_with_the_message_about_concealed_names(login, scene):
    from phare.usage.models import TenantCount

    TenantCount.objects.create(product="m365:teams", day=dt.date(2026, 3, 1), metric="active",
                               period_days=30, value=1234)
    TenantCount.objects.create(product="m365:teams", day=dt.date(2026, 3, 1), metric="licensed",
                               period_days=30, value=3)  # small: never shown
    html = _text(login("marketing").get("/usage/"))
    assert "Microsoft Teams" in html and "1234" in html.replace("\u202f", "").replace(" ", "")
    assert "identifi" in html  # breakdowns need identifiable reports
    assert ">3<" not in html.replace(" ", "")
    assert "1234" not in _text(login("owner").get("/usage/")).replace(" ", "")


def test_it_downloads_the_overview_chart(login, scene):
    response = login("marketing").get("/usage/", {"csv": "adoption-by-service"})
    assert response["Content-Type"].startswith("text/csv")
    lines = response.content.decode("utf-8-sig").splitlines()
    assert len(lines) == 3  # the header, Teams and the VPN


# -- a service's usage ------------------------------------------------------------------------

@pytest.mark.parametrize("persona", ["marketing", "executive", "owner"])
def test_it_shows_a_service_s_usage(login, scene, persona):
    response = login(persona).get("/usage/teams/")
    assert response.status_code == 200
    html = _text(response)
    assert 'id="adoption-table"' in html and 'id="chart-adoption"' in html
    assert 'id="trend-table"' in html and 'id="cohorts-table"' in html
    assert 'id="chart-active-users"' in html


def test_it_answers_404_for_a_service_the_owner_does_not_own(login, scene):
    assert login("owner").get("/usage/vpn/").status_code == 404
    assert login("marketing").get("/usage/nothing-here/").status_code == 404


def test_it_shows_suppressed_groups_without_any_number(login, scene):
    html = _text(login("marketing").get("/usage/teams/", {"by": "unit"}))
    hr = _row(html, "data-key", "RH")
    assert "Ressources humaines" in hr
    assert "too few people" in hr or "trop peu" in hr
    assert not re.search(r"\d", re.sub(r"<[^>]+>", "", hr))
    # DG (DSI and the executive persona) is shown with its counts: 8 active of 16.
    dg = _row(html, "data-key", "DG")
    cells = re.findall(r'<td class="number">([^<]*)', dg)
    assert cells[:2] == ["8", "16"]


def test_it_filters_by_site_and_by_month(login, scene):
    client = login("marketing")
    html = _text(client.get("/usage/teams/", {"by": "site"}))
    assert 'data-key="PAR"' in html and 'data-key="LYS"' in html
    assert 'data-key="RH"' not in html
    before = f"{scene['before']:%Y-%m}"
    html = _text(client.get("/usage/teams/", {"by": "site", "month": before}))
    paris = _row(html, "data-key", "PAR")
    assert re.findall(r'<td class="number">([^<]*)', paris)[0] == "6"


def test_it_breaks_a_unit_down_into_its_sub_units(login, scene):
    html = _text(login("marketing").get("/usage/teams/", {"by": "unit", "within": "DG"}))
    assert 'data-key="DSI"' in html and 'data-key="VEN"' not in html


def test_it_answers_a_changed_filter_with_the_adoption_part_only(login, scene):
    response = login("marketing").get("/usage/teams/", {"by": "job_family"},
                                      HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert "<html" not in html and 'id="adoption-table"' in html
    assert 'data-key="IT"' in html


def test_it_shows_a_value_not_offered_as_the_field_s_error(login, scene):
    response = login("marketing").get("/usage/teams/", {"month": "1999-01", "by": "planet"})
    assert response.status_code == 200
    html = _text(response)
    assert 'class="error"' in html
    assert 'data-key="DG"' in html  # the default breakdown is shown


def test_it_downloads_the_adoption_table_as_csv(login, scene):
    response = login("owner").get("/usage/teams/", {"by": "unit", "format": "csv"})
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    by_label = {row[0]: row for row in rows[1:]}
    assert by_label["Direction générale"][1:3] == ["8", "16"]
    hr = by_label["Ressources humaines"]
    assert hr[1:6] == ["", "", "", "", ""] and hr[6]
    # The last line is the whole audience: 15 of 32.
    assert rows[-1][1:3] == ["15", "32"]


def test_it_downloads_a_chart_s_table(login, scene):
    response = login("marketing").get("/usage/teams/", {"csv": "active-users"})
    lines = response.content.decode("utf-8-sig").splitlines()
    assert len(lines) == 3 and lines[2].startswith(f"{scene['last']:%Y-%m},15")


# -- the deployment ---------------------------------------------------------------------------

def test_it_lets_a_manager_set_change_and_remove_a_deployment(login, scene):
    client = login("marketing")
    launched = scene["before"]
    path = reverse("usage:deployment", args=["teams"])
    response = client.post(path, {"launched_on": launched.isoformat(), "target_percent": "80",
                                  "target_weeks": "12", "shape": "s", "action": "save"})
    assert response.status_code == 302 and response["Location"] == "/usage/teams/"
    plan = Deployment.objects.get(service=scene["teams"])
    assert (plan.target_rate, plan.target_weeks, plan.launched_on) == (0.8, 12, launched)
    html = _text(client.get("/usage/teams/"))
    assert 'id="chart-deployment"' in html
    client.post(path, {"launched_on": launched.isoformat(), "target_percent": "50",
                       "target_weeks": "20", "shape": "linear"})
    plan.refresh_from_db()
    assert (plan.target_rate, plan.target_weeks, plan.shape) == (0.5, 20, "linear")
    refused = client.post(path, {"launched_on": "", "target_percent": "150",
                                 "target_weeks": "12", "shape": "s"})
    assert refused.status_code == 400 and 'class="error"' in refused.content.decode()
    plan.refresh_from_db()
    assert plan.target_rate == 0.5
    client.post(path, {"action": "remove"})
    assert not Deployment.objects.filter(service=scene["teams"]).exists()


def test_it_offers_the_deployment_form_to_managers_only(login, scene):
    assert 'name="target_percent"' in _text(login("marketing").get("/usage/teams/"))
    assert 'name="target_percent"' not in _text(login("owner").get("/usage/teams/"))
    response = login("owner").post(reverse("usage:deployment", args=["teams"]),
                                   {"action": "remove"})
    assert response.status_code == 403


# -- imports and products ---------------------------------------------------------------------

def test_it_starts_an_import_job_from_the_upload(login, scene, django_capture_on_commit_callbacks):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from phare.jobs.models import Job

    last, _before = scene["last"], scene["before"]
    data = events_csv([("dsi0@example.com", "teams", "open", last.replace(day=20).isoformat()),
                       ("nobody@example.com", "teams", "open", last.replace(day=20).isoformat())])
    client = login("marketing")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/usage/imports/", {
            "file": SimpleUploadedFile("more.csv", data, content_type="text/csv"),
            "source": "events", "period_days": ""})
    job = Job.objects.get(kind="usage.import")
    assert response.status_code == 302 and response["Location"] == f"/jobs/{job.pk}/"
    job.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED, job.error
    assert job.params["source"] == "events" and job.params["file_name"] == "more.csv"
    record = UsageImport.objects.get(file_name="more.csv")
    assert record.imported == 1 and record.unmatched == 1
    html = _text(client.get("/usage/imports/"))
    assert reverse("usage:import", args=[record.pk]) in html and "more.csv" in html


def test_it_refuses_a_file_of_the_wrong_kind(login, scene):
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = login("marketing").post("/usage/imports/", {
        "file": SimpleUploadedFile("report.pdf", b"%PDF", content_type="application/pdf"),
        "source": "auto"})
    assert response.status_code == 200 and "report.pdf" in response.content.decode()


def test_it_reports_an_import_with_its_unmatched_rows(login, scene):
    last = scene["last"]
    report = services.import_usage(events_csv([
        ("ghost@example.com", "teams", "open", last.replace(day=3).isoformat()),
        ("dsi1@example.com", "teams", "open", last.replace(day=3).isoformat())]),
        file_name="ghosts.csv", source="events")
    html = _text(login("marketing").get(reverse("usage:import", args=[report.import_id])))
    assert "ghosts.csv" in html
    unmatched = html[html.index('id="unmatched"'):]
    assert "ghost@example.com" in unmatched and "<td class=\"number\">2</td>" in unmatched
    assert login("owner").get(reverse("usage:import", args=[report.import_id])
                              ).status_code == 403


def test_it_says_when_an_import_had_concealed_names(login, scene):
    record = UsageImport.objects.create(source="m365-teams", file_name="teams.csv",
                                        concealed=True, rows_read=40)
    html = _text(login("marketing").get(reverse("usage:import", args=[record.pk])))
    assert 'id="concealed"' in html


def test_it_links_a_product_to_a_catalogue_service(login, scene):
    ProductLink.objects.create(product="m365:teams")
    client = login("marketing")
    html = _text(client.get("/usage/products/"))
    assert 'data-product="m365:teams"' in html
    response = client.post("/usage/products/", {"product": "m365:teams", "service": "teams"})
    assert response.status_code == 302
    assert ProductLink.objects.get(product="m365:teams").service == scene["teams"]
    client.post("/usage/products/", {"product": "m365:teams", "service": ""})
    assert ProductLink.objects.get(product="m365:teams").service is None
    # A product never seen, or a service that does not exist: nothing is saved.
    client.post("/usage/products/", {"product": "m365:other", "service": "teams"})
    client.post("/usage/products/", {"product": "m365:teams", "service": "nope"})
    assert not ProductLink.objects.filter(product="m365:other").exists()
    assert ProductLink.objects.get(product="m365:teams").service is None
