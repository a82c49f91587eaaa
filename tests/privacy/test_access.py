from __future__ import annotations

import csv
import io
import json
import zipfile

from django.utils import timezone, translation
from django.utils.formats import date_format

from phare.audit.actions import Action as AuditAction
from phare.audit.models import Entry
from phare.directory.models import Person
from phare.privacy.services.access import access_archive
from tests.privacy.factories import make_world


def _month(language: str) -> str:
    with translation.override(language):
        return date_format(timezone.localdate(), "F")


def _open(content: bytes) -> zipfile.ZipFile:
    return zipfile.ZipFile(io.BytesIO(content))


def test_it_exports_everything_held_about_a_person(personas, org):
    w = make_world(org, personas)
    archive = _open(access_archive(w.person, actor=personas["admin"]))
    names = set(archive.namelist())
    assert {"README.txt", "person.json", "person.csv", "named_responses.csv",
            "needs_submitted.csv", "need_votes.csv", "need_comments.csv", "invitations.csv",
            "tickets.csv", "deliveries.csv", "clicks.csv", "audit_entries.csv",
            "usage_events.csv", "emails_sent.csv", "report_schedules.csv", "account.csv",
            "api_tokens.csv", "licences.csv", "services_owned.csv"} <= names
    data = json.loads(archive.read("person.json"))
    assert data["person"]["employee_id"] == "E0005"
    sections = data["sections"]
    assert len(sections["named_responses"]) == 1
    assert sections["named_responses"][0]["source_id"] == "SRC-E0005"
    assert {n["title"] for n in sections["needs_submitted"]} == {"Écran partagé en salle",
                                                                 "Imprimante couleur"}
    assert [v["need"] for v in sections["need_votes"]] == ["Wifi invités"]
    assert sections["need_comments"][0]["text"] == "Oui, indispensable."
    assert sections["tickets"][0]["external_id"] == "INC0099"
    assert sections["report_schedules"][0]["recipients"] == ["eric.martin@example.com"]
    assert {e["action"] for e in sections["audit_entries"]} >= {"signin.success", "export"}
    assert sections["usage_events"][0]["source"] == "events"
    assert "person" not in sections["usage_events"][0]
    assert data["work_records"] == {"listening.Survey": 1}
    # Secrets and the answers of anonymous surveys are not in it; nor are other people.
    text = b"".join(archive.read(name) for name in names).decode()
    assert '"digest"' not in text and '"password"' not in text
    assert "digest" not in archive.read("api_tokens.csv").decode().splitlines()[0]
    assert "password" not in archive.read("account.csv").decode().splitlines()[0]
    # (The anonymous survey's slug; the README, in the person's French, speaks of "enquêtes
    # anonymes" to say they are left out.)
    held = b"".join(archive.read(name) for name in names if name != "README.txt").decode()
    assert "anonyme" not in held
    assert all(other.email not in text for other in w.others)
    rows = list(csv.DictReader(io.StringIO(archive.read("tickets.csv").decode("utf-8-sig"))))
    assert rows[0]["subject"] == "Écran noir"
    readme = archive.read("README.txt").decode()
    assert "Eric Martin" in readme and "tickets.csv" in readme
    assert _month("fr") in readme  # written in the person's language (French)
    entry = Entry.objects.get(action=AuditAction.EXPORT, target_type="directory.person",
                              details__format="privacy-archive")
    assert entry.actor_name == "admin" and entry.details["sections"]["tickets"] == 1


def test_it_writes_the_readme_in_the_persons_language(personas, org):
    eric = personas["employee"].person
    Person.objects.filter(pk=eric.pk).update(language="en")
    eric.refresh_from_db()
    readme = _open(access_archive(eric)).read("README.txt").decode()
    assert "Answers to anonymous surveys are not included" in readme
    assert _month("en") in readme
    assert "person.json" in readme
