from __future__ import annotations

import io
import zipfile

from phare.audit.actions import Action as AuditAction
from phare.audit.models import Entry
from phare.directory.models import Person
from phare.privacy.services import retention


def test_it_shows_what_is_held_and_the_last_retention_run(login, personas, english):
    retention.apply()
    client = login("admin")
    page = client.get("/privacy/?person=E0005")
    assert page.status_code == 200
    text = page.content.decode()
    assert "Eric Martin" in text and "account" in text
    assert "/privacy/export.zip?person=E0005" in text and "Last run" in text


def test_it_downloads_the_archive(login, personas):
    response = login("admin").get("/privacy/export.zip?person=E0005")
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    assert "person.json" in zipfile.ZipFile(io.BytesIO(response.content)).namelist()
    assert Entry.objects.filter(action=AuditAction.EXPORT, actor_name="admin",
                                target_type="directory.person").exists()


def test_it_is_for_administrators_only(login, personas):
    client = login("marketing")
    assert client.get("/privacy/").status_code == 403
    assert client.get("/privacy/export.zip?person=E0005").status_code == 403
    assert client.post("/privacy/erase/", {"person": "E0005", "confirm": "E0005"}
                       ).status_code == 403
    assert Person.objects.get(employee_id="E0005").active


def test_it_erases_once_the_employee_id_is_typed(login, personas, english):
    client = login("admin")
    page = client.get("/privacy/erase/?person=E0005")
    assert page.status_code == 200 and "Type the employee id to confirm" in page.content.decode()
    wrong = client.post("/privacy/erase/", {"person": "E0005", "confirm": "E0004"})
    assert wrong.status_code == 200
    assert "This is not the employee id" in wrong.content.decode()
    assert Person.objects.filter(employee_id="E0005").exists()
    done = client.post("/privacy/erase/", {"person": "E0005", "confirm": "E0005"})
    assert done.status_code == 302 and done["Location"] == "/privacy/"
    eric = personas["employee"].person
    eric.refresh_from_db()
    assert eric.employee_id.startswith("erased-") and not eric.active


def test_it_sends_back_to_the_picker_without_a_person(login, personas):
    client = login("admin")
    assert client.get("/privacy/export.zip").status_code == 302
    assert client.get("/privacy/erase/?person=nobody").status_code == 302
