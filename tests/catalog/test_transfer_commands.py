"""``phare catalog-export`` and ``phare catalog-import``: files in and out, errors, exit status."""

from __future__ import annotations

import openpyxl
import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from phare.catalog.models import Revision, Service
from tests.catalog.factories import make_service


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def catalog(families, personas):
    make_service("teams", name_fr="Équipes", owner="E0003")
    make_service("vpn", name_fr="Accès à distance", family="remote", related=["teams"],
                 commitments=[{"text_fr": "Vite", "target": "95", "unit": "percent"}])


@pytest.mark.parametrize("name", ["catalogue.xlsx", "catalogue.ZIP"])
def test_it_exports_then_imports_to_no_change(catalog, tmp_path, capsys, name):
    path = tmp_path / name
    call_command("catalog_export", str(path))
    assert path.stat().st_size > 0
    call_command("catalog_import", str(path))
    out = capsys.readouterr().out
    assert f"Catalogue exported to {path}." in out
    assert "Services: 0 created, 0 updated, 2 unchanged" in out
    assert "Offer families: 0 created, 0 updated, 3 unchanged." in out
    assert not Revision.objects.exists()


def test_it_refuses_an_unknown_extension(catalog, tmp_path):
    with pytest.raises(CommandError, match=r"must end with \.xlsx \(Excel\) or \.zip"):
        call_command("catalog_export", str(tmp_path / "catalogue.csv"))


def test_it_imports_as_nobody_with_a_note(catalog, tmp_path, capsys):
    path = tmp_path / "services.csv"
    path.write_text("slug,lifecycle,publication,name_fr,name_en,promise_fr,promise_en,"
                    "description_fr,description_en,how_to_get_fr,how_to_get_en,request_url,"
                    "keywords,family,audience_everyone,audience_units,audience_sites,"
                    "audience_job_families,cost_unit,unit_cost,charging,annual_run_cost,owner,"
                    "deputy,related,replacement\n"
                    "wifi,proposed,draft,Wi-Fi,,Partout,,,,,,,,support,1,,,,none,,included,,,,"
                    ",\n", encoding="utf-8")
    call_command("catalog_import", str(path), "--dry-run")
    assert "Dry run: nothing was written." in capsys.readouterr().out
    assert not Service.objects.filter(slug="wifi").exists()
    call_command("catalog_import", str(path))
    assert "Services: 1 created, 0 updated, 0 unchanged" in capsys.readouterr().out
    revision = Revision.objects.get(service__slug="wifi")
    assert (revision.action, revision.by, revision.note) == (
        "imported", None, "imported from services.csv")
    assert Service.objects.get(slug="vpn").commitments.count() == 1


def test_it_prints_every_error_and_exits_with_status_1(catalog, tmp_path, capsys):
    path = tmp_path / "catalogue.xlsx"
    call_command("catalog_export", str(path))
    book = openpyxl.load_workbook(path)
    book["services"]["T3"] = "12,5,0"  # unit_cost of vpn
    book["services"]["B2"] = "retired"  # teams: live → retired is not allowed
    book.save(path)
    capsys.readouterr()
    with pytest.raises(CommandError) as exc:
        call_command("catalog_import", str(path))
    # Django's command runner prints the message and exits with this status (``phare`` too;
    # running it here would close the test's database connection).
    assert exc.value.returncode == 1
    assert str(exc.value) == "The file has 2 errors; nothing was imported."
    assert capsys.readouterr().err.splitlines() == [
        "services row 2, column lifecycle: a service cannot go from live to retired; allowed: "
        "retiring",
        "services row 3, column unit_cost: '12,5,0' is not an amount"]
    assert not Revision.objects.exists()


def test_it_says_when_the_file_is_missing(db, tmp_path):
    with pytest.raises(CommandError, match="no such file"):
        call_command("catalog_import", str(tmp_path / "nothing.xlsx"))
