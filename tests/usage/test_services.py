"""Usage imports: atomic, idempotent, honest about what matched no one."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pandas as pd
import pytest
from django.core.management import call_command

from phare.usage import engine, services, store
from phare.usage.models import Licence, ProductLink, TenantCount, UsageImport
from tests.usage.factories import (
    events_csv,
    forget_person_months,
    import_events,
    make_people,
    use,
)
from tests.usage.factories import service as make_service

TODAY = dt.date(2026, 12, 6)
REFERENCE = Path(__file__).resolve().parents[2].parent / "shared" / "reference" / "m365"


def _reference(name: str) -> bytes:
    path = REFERENCE / name
    if not path.exists():
        pytest.skip(f"reference files absent: {path}")
    return path.read_bytes()


def test_it_imports_events_once_and_reimporting_changes_nothing(org):
    people = make_people(org, "dsi", 8)
    make_service("collab", name="Collab")
    rows = use(people, "collab", dt.date(2026, 11, 3))
    first = import_events(rows, today=TODAY)
    assert (first.rows_read, first.imported, first.unchanged) == (8, 8, 0)
    files = store.files()
    again = import_events(rows, today=TODAY)
    assert (again.imported, again.unchanged, again.replaced) == (0, 8, 0)
    assert store.files() == files
    assert UsageImport.objects.count() == 2


def test_it_counts_and_lists_people_not_in_the_directory(org):
    people = make_people(org, "dsi", 3)
    make_service("collab", name="Collab")
    rows = use(people, "collab", dt.date(2026, 11, 3)) + [
        ("ghost@example.com", "collab", "open", "2026-11-03"),
        ("svc-backup", "collab", "open", "2026-11-04")]
    report = import_events(rows, today=TODAY)
    assert report.imported == 3 and report.unmatched == 2
    assert [(r["line"], r["identifier"]) for r in report.unmatched_rows] == [
        (5, "ghost@example.com"), (6, "svc-backup")]


def test_it_refuses_a_bad_file_whole_with_line_and_column(org):
    people = make_people(org, "dsi", 3)
    make_service("collab", name="Collab")
    rows = use(people, "collab", dt.date(2026, 11, 3)) + [
        (people[0].email, "collab", "open", "3 novembre"),
        (people[1].email, "nope", "open", "2026-11-03")]
    with pytest.raises(services.UsageImportFailed) as caught:
        import_events(rows, today=TODAY)
    where = [(e.line, e.column) for e in caught.value.errors]
    assert (5, "time") in where
    assert UsageImport.objects.count() == 0 and store.files() == []


def test_it_refuses_an_unknown_service_whole(org):
    people = make_people(org, "dsi", 3)
    make_service("collab", name="Collab")
    rows = use(people, "collab", dt.date(2026, 11, 3)) + use(people[:1], "nope",
                                                             dt.date(2026, 11, 3))
    with pytest.raises(services.UsageImportFailed) as caught:
        import_events(rows, today=TODAY)
    assert [(e.line, e.column) for e in caught.value.errors] == [(5, "service")]
    assert store.files() == []


def test_it_writes_nothing_in_the_database_when_the_store_fails(org, monkeypatch):
    people = make_people(org, "dsi", 3)
    make_service("collab", name="Collab")

    def broken(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(store, "merge", broken)
    with pytest.raises(OSError):
        import_events(use(people, "collab", dt.date(2026, 11, 3)), today=TODAY)
    assert UsageImport.objects.count() == 0


def test_it_imports_the_reference_active_users_report(org):
    from phare.directory.models import Person

    Person.objects.create(employee_id="E1", first_name="Claire", last_name="Martin",
                          email="Claire.Martin@example.com", business_unit=org["dsi"])
    teams = make_service("teams", name="Teams")
    services.link_product(product="m365:teams", service=teams)
    report = services.import_usage(_reference("office365-active-user-detail.csv"),
                                   file_name="active.csv", today=TODAY)
    assert report.source == "m365-active-users"
    # Claire is matched (case-insensitively); Paul is not in the directory.
    assert report.unmatched == 1
    assert report.unmatched_rows[0]["identifier"] == "paul.durand@example.com"
    assert report.imported == 1  # her Teams activity; other products are not linked
    assert Licence.objects.filter(service=teams).count() == 1
    assert set(ProductLink.objects.values_list("product", flat=True)) >= {
        "m365:teams", "m365:exchange", "m365:onedrive", "m365:sharepoint"}
    assert any("m365:exchange" in reason for reason in report.skipped)


def test_it_keeps_concealed_reports_to_tenant_counts(org):
    report = services.import_usage(_reference("office365-active-user-detail-concealed.csv"),
                                   file_name="concealed.csv", today=TODAY)
    assert report.concealed and report.imported == 0 and report.unmatched == 0
    assert TenantCount.objects.filter(product="m365:exchange", metric="licensed").get().value == 2
    assert store.files() == []


def test_it_keeps_licences_as_a_snapshot(org):
    people = make_people(org, "dsi", 4)
    saas = make_service("saas", name="SaaS")
    lines = ["service,person,assigned_on"] + [f"saas,{p.email},2026-01-0{i + 1}"
                                              for i, p in enumerate(people)]
    services.import_usage("\n".join(lines).encode(), source="licences", today=TODAY)
    assert Licence.objects.filter(service=saas).count() == 4
    services.import_usage("\n".join(lines[:3]).encode(), source="licences", today=TODAY)
    assert Licence.objects.filter(service=saas).count() == 2
    seats = "service,seats,cost_per_seat,currency\nsaas,10,12.50,EUR\n"
    report = services.import_usage(seats.encode(), source="licences", today=TODAY)
    assert report.seats == 1 and saas.seats.seats == 10


def test_it_imports_from_the_command_line_with_json_counts(org, tmp_path, capsys):
    people = make_people(org, "dsi", 3)
    make_service("collab", name="Collab")
    path = tmp_path / "events.csv"
    path.write_bytes(events_csv(use(people, "collab", dt.date.today() - dt.timedelta(days=3))))
    call_command("import_usage", str(path), "--json")
    out = json.loads(capsys.readouterr().out)
    assert (out["refused"], out["imported"], out["source"]) == (0, 3, "events")


def test_it_exits_non_zero_with_every_error_as_json(org, tmp_path, capsys):
    make_service("collab", name="Collab")
    path = tmp_path / "events.csv"
    path.write_bytes(events_csv([("a@example.com", "collab", "open", "soon"),
                                 ("b@example.com", "collab", "", "2026-11-03")]))
    with pytest.raises(SystemExit) as exited:
        call_command("import_usage", str(path), "--json")
    assert exited.value.code == 1
    out = json.loads(capsys.readouterr().out)
    assert out["refused"] == 2 and out["imported"] == 0
    assert {(e["line"], e["column"]) for e in out["errors"]} >= {(2, "time"), (3, "event")}


def test_it_folds_old_events_into_aggregates_and_keeps_the_figures(org, settings):
    people = make_people(org, "dsi", 8)
    collab = make_service("collab", name="Collab")
    import_events(use(people, "collab", dt.date(2026, 1, 5)), today=TODAY)
    before = engine.connect().monthly(services=[collab.pk])
    settings.PHARE_USAGE_RETENTION_DAYS = 60
    assert services.apply_retention(today=TODAY) > 0
    after = engine.connect().monthly(services=[collab.pk])
    assert before.to_dict("records") == after.to_dict("records")
    assert store.files() == []


def test_its_periodic_step_writes_the_person_months_a_store_lacks(org, settings):
    people = make_people(org, "dsi", 3)
    collab = make_service("collab", name="Collab")
    import_events(use(people, "collab", dt.date(2026, 11, 5)) +
                  use(people[:1], "collab", dt.date(2026, 10, 5)), today=TODAY)
    before = engine.connect().monthly(services=[collab.pk])
    forget_person_months(Path(settings.PHARE_USAGE_DIR))
    assert store.activity_files().person_months == []
    services.periodic_step(dt.datetime(2026, 11, 20, 3, tzinfo=dt.UTC))
    assert len(store.activity_files().person_months) == 2
    assert store.activity_files().events == []
    pd.testing.assert_frame_equal(engine.connect().monthly(services=[collab.pk]), before)


def test_it_matches_people_the_same_way_when_it_reads_the_whole_directory(org, monkeypatch):
    people = make_people(org, "dsi", 4)
    make_service("collab", name="Collab")
    monkeypatch.setattr(services._People, "WHOLE_DIRECTORY", 1)
    rows = [(people[0].email.upper(), "collab", "open", "2026-11-03"),
            (people[1].employee_id, "collab", "open", "2026-11-03"),
            ("ghost@example.com", "collab", "open", "2026-11-03")]
    report = import_events(rows, today=TODAY)
    assert (report.imported, report.unmatched) == (2, 1)


def test_it_keeps_reasons_as_codes_read_in_each_reader_s_language(org):
    from django.utils import translation

    people = make_people(org, "dsi", 2)
    make_service("collab", name="Collab")
    rows = use(people, "collab", dt.date(2020, 1, 6)) + [
        ("ghost@example.com", "collab", "open", "2026-11-03")]
    with translation.override("fr"):
        report = import_events(rows, today=TODAY)
    record = UsageImport.objects.get(pk=report.import_id)
    assert record.skipped == {services.RETENTION: 2}
    assert record.unmatched_rows == [{"line": 4, "identifier": "ghost@example.com"}]
    with translation.override("en"):
        assert services.skipped_label(services.RETENTION) == "older than the retention period"
        assert services.skipped_label("unlinked:m365:yammer") == (
            "product not linked to a service: m365:yammer")
    with translation.override("fr"):
        assert services.skipped_label("deleted") != "deleted"
