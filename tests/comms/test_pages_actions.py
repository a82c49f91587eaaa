"""An action's pages: its form, its page (preview per language, test email, status changes,
the executive's approval, sending, results, comments, attachments, history) and its printable
message — and the whole flow through the test client, from a new plan to the results of a
sent email."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from pypdf import PdfReader

import phare.comms.jobs  # noqa: F401  (registers the comms.send job handler)
from phare.comms.models import Action, ActionChange, Attachment, Delivery, Plan
from phare.directory.models import BusinessUnit
from tests.comms.factories import make_action, make_audience, make_people, make_plan

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english(client, settings):
    """The pages in English (the reader's choice, as the header's switch sets it)."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

S = Action.Status


@pytest.fixture
def unit(org):
    return BusinessUnit.objects.create(code="MKT", name="Marketing")


@pytest.fixture
def audience(unit):
    return make_audience({"units": ["MKT"]}, name="Le marketing")


@pytest.fixture
def action(personas, audience):
    plan = make_plan(personas["marketing"])
    return make_action(plan, "Lancement de Teams", audience=audience,
                       owner=personas["marketing"], status=S.PLANNED)


def url(name: str, obj) -> str:
    return reverse(f"comms:{name}", args=[obj.pk])


def test_it_shows_an_action_with_its_preview_and_next_steps(login, action):
    response = login("marketing").get(url("action", action))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Lancement de Teams" in html and "Le marketing" in html
    # French first, with the reader's own merge fields
    assert 'srcdoc="' in html and "Bonjour Mathilde" in html
    assert 'sandbox=""' in html
    assert [to for to, _label in response.context["moves"]] == ["idea", "ready", "cancelled"]
    assert "Mark as ready" in html and "Send me a test email" in html


def test_it_previews_each_language_through_htmx(login, action):
    client = login("marketing")
    response = client.get(url("action_preview", action), {"language": "en"},
                          headers={"HX-Request": "true"})
    html = response.content.decode()
    assert response.status_code == 200 and "Hello Mathilde" in html
    assert "Discover" in html and "<h1>" not in html
    response = client.get(url("action_preview", action), {"language": "en"})
    assert response.status_code == 302
    assert response["Location"].endswith("?language=en#preview")
    response = client.get(url("action", action), {"language": "en"})
    assert response.context["language"] == "en"


def test_it_offers_a_new_action_to_its_author(login, personas, action):
    response = login("marketing").get(url("action_new", action.plan))
    form = response.context["form"]
    assert form["owner"].value() == personas["marketing"].pk
    assert form["languages"].value() == ["fr", "en"]


def test_it_lets_a_named_contributor_work_on_their_action_but_not_approve(login, personas,
                                                                        action):
    action.owner = personas["employee"]
    action.status = S.READY
    action.save()
    client = login("employee")
    response = client.get(url("action", action))
    assert response.status_code == 200
    assert [to for to, _l in response.context["moves"]] == ["planned", "cancelled"]
    assert client.get(url("plan", action.plan)).status_code == 200
    assert client.get(url("action_edit", action)).status_code == 200
    client.post(url("action_status", action), {"to": "approved"})
    action.refresh_from_db()
    assert action.status == S.READY and action.approved_by is None


def test_it_hides_an_action_from_an_employee_not_named_on_its_plan(login, action):
    client = login("owner")
    for name in ("action", "action_edit", "action_preview", "action_print"):
        assert client.get(url(name, action)).status_code == 404, name
    for name in ("action_status", "action_send", "action_comment", "action_test"):
        assert client.post(url(name, action), {"to": "ready", "text": "x"}).status_code == 404
    action.refresh_from_db()
    assert action.status == S.PLANNED and not action.history.exists()


def test_it_refuses_a_bad_action_and_writes_nothing(login, action):
    client = login("marketing")
    response = client.post(url("action_new", action.plan), {
        "title": "", "kind": "message", "channel": "email", "category": "newsletter",
        "mandatory": "on", "starts_on": "2027-03-10", "ends_on": "2027-03-01",
        "holdout_percent": "0", "languages": ["fr"]})
    assert response.status_code == 200
    assert "title" in response.context["form"].errors
    assert Action.objects.count() == 1
    response = client.post(url("action_new", action.plan), {
        "title": "Note", "kind": "message", "channel": "email", "category": "newsletter",
        "mandatory": "on", "starts_on": "2027-03-10", "ends_on": "2027-03-01",
        "holdout_percent": "0", "languages": ["fr"]})
    errors = response.context["form"].errors
    assert "ends_on" in errors and "mandatory" in errors
    assert "The action ends before it starts." in response.content.decode()
    assert Action.objects.count() == 1


def test_it_refuses_unknown_or_impossible_status_changes(login, action):
    client = login("marketing")
    client.post(url("action_status", action), {"to": "flying"})
    client.post(url("action_status", action), {"to": "done"})
    action.refresh_from_db()
    assert action.status == S.PLANNED and not action.history.exists()


def test_it_asks_an_executive_to_approve_a_company_wide_email(login, personas, action):
    action.audience, action.everyone, action.status = None, True, S.READY
    action.save()
    marketing = login("marketing")
    response = marketing.get(url("action", action))
    assert "an executive (the CIO) must approve it" in response.content.decode()
    assert "approved" not in [to for to, _l in response.context["moves"]]
    response = marketing.post(url("action_status", action), {"to": "approved"},
                              follow=True)
    assert "approved by an executive" in response.content.decode()
    action.refresh_from_db()
    assert action.status == S.READY
    executive = login("executive")
    executive.post(url("action_status", action), {"to": "approved"})
    action.refresh_from_db()
    assert (action.status, action.approved_by) == (S.APPROVED, personas["executive"])
    response = executive.get(url("action", action))
    assert "(executive)" in response.content.decode()


def test_it_emails_a_test_to_oneself(login, personas, action, smtp_server):
    response = login("marketing").post(url("action_test", action), {"language": "en"})
    assert response.status_code == 302 and response["Location"].endswith("language=en#preview")
    [mail] = smtp_server.messages
    assert mail["Subject"].startswith("[TEST] Hello")
    assert mail["To"] == (personas["marketing"].email or personas["marketing"].person.email)
    assert not Delivery.objects.exists()


def test_it_records_comments_and_refuses_an_empty_one(login, action):
    client = login("marketing")
    client.post(url("action_comment", action), {"text": "   "})
    assert not ActionChange.objects.exists()
    client.post(url("action_comment", action), {"text": "Relire le sujet."})
    assert list(action.history.values_list("comment", flat=True)) == ["Relire le sujet."]
    response = client.get(url("action", action))
    assert "Relire le sujet." in response.content.decode()


def test_it_attaches_downloads_and_removes_files(login, action, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    client = login("marketing")
    client.post(url("attachment_add", action),
                {"file": SimpleUploadedFile("virus.exe", b"MZ")})
    assert not Attachment.objects.exists()
    client.post(url("attachment_add", action),
                {"file": SimpleUploadedFile("brief.txt", b"Le brief.")})
    attachment = Attachment.objects.get()
    response = client.get(url("attachment", attachment))
    assert response.status_code == 200 and b"".join(response.streaming_content) == b"Le brief."
    assert "attachment" in response["Content-Disposition"]
    assert login("owner").get(url("attachment", attachment)).status_code == 404
    client = login("marketing")
    client.post(url("attachment_delete", attachment))
    assert not Attachment.objects.exists()


def test_it_prints_the_message_in_both_languages(login, action):
    client = login("marketing")
    response = client.get(url("action_print", action))
    html = response.content.decode()
    assert response.status_code == 200 and "Content-Disposition" not in response
    assert "Bonjour {first_name}" in html and "Hello {first_name}" in html
    assert '<a href="https://intranet.example.com/"' in html and "the portal</a>" in html
    response = client.get(url("action_print", action), {"download": "1"})
    assert response["Content-Disposition"] == 'attachment; filename="lancement-de-teams.html"'


def test_it_goes_from_a_new_plan_to_the_results_of_a_sent_email(
        login, personas, org, unit, audience, smtp_server, django_capture_on_commit_callbacks):
    make_people(org, 6, unit=unit)
    client = login("marketing")
    client.post(reverse("comms:plan_new"), {
        "name": "Plan 2027", "starts_on": "2027-01-01", "ends_on": "2027-12-31"})
    plan = Plan.objects.get()
    client.post(url("objective_new", plan), {"title": "Adopter Teams", "metric": "none"})
    objective = plan.objectives.get()
    response = client.post(url("action_new", plan), {
        "title": "Teams arrive", "objective": objective.pk, "kind": "campaign",
        "channel": "email", "category": "newsletter", "audience": audience.pk,
        "languages": ["fr", "en"], "owner": personas["marketing"].pk,
        "starts_on": "2027-02-01", "holdout_percent": "0",
        "subject_fr": "Teams arrive, {first_name}", "subject_en": "Teams is here, {first_name}",
        "body_fr": "Lisez [le guide](https://intranet.example.com/teams).",
        "body_en": "Read [the guide](https://intranet.example.com/teams)."})
    action = Action.objects.get()
    assert response["Location"] == url("action", action)
    for to in ("planned", "ready", "approved"):
        client.post(url("action_status", action), {"to": to})
    action.refresh_from_db()
    assert (action.status, action.approved_by) == (S.APPROVED, personas["marketing"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("action_send", action))
    assert response["Location"].startswith("/jobs/")
    assert len(smtp_server.messages) == 6
    action.refresh_from_db()
    assert action.status == S.DONE
    response = client.get(url("action", action))
    rows = {row.code: row.value for row in response.context["reach"]}
    assert rows["audience"] == 6 and rows["status-sent"] == 6
    html = response.content.decode()
    assert "Results" in html and "Sent (accepted by the mail server)" in html
    assert [to for to, _l in response.context["moves"]] == ["measured"]


def test_it_prints_the_message_as_a_pdf_one_language_a_page(client, login, action):
    action.body_en = "Discover [the portal](https://intranet.example.com/), **{first_name}**."
    action.save()
    response = login("marketing").get(url("action_print", action), {"format": "pdf"})
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="lancement-de-teams.pdf"'
    assert response.content.startswith(b"%PDF-")
    reader = PdfReader(io.BytesIO(response.content))
    assert len(reader.pages) == 2
    assert [round(float(p.mediabox.width)) for p in reader.pages] == [595, 595]  # A4
    french, english = (p.extract_text() for p in reader.pages)
    assert "Bonjour {first_name}" in french and "Découvrez le portail." in french
    assert "Hello {first_name}" in english and "Discover the portal, {first_name}." in english
    assert "Bonjour" not in english
    # The printed page's access: someone not named on the plan, and a visitor.
    assert login("owner").get(url("action_print", action), {"format": "pdf"}).status_code == 404
    client.logout()
    assert client.get(url("action_print", action), {"format": "pdf"}).status_code == 302


def test_it_says_when_pdfs_cannot_be_made_here(login, action, monkeypatch):
    from phare.lib import pdf

    def unavailable(html, *, base_url=None):
        raise pdf.PdfUnavailable("no Pango")

    monkeypatch.setattr("phare.comms.views.actions.html_to_pdf", unavailable)
    response = login("marketing").get(url("action_print", action), {"format": "pdf"},
                                      follow=True)
    assert response.redirect_chain[-1][0] == url("action", action)
    [message] = [str(m) for m in response.context["messages"]]
    assert "PDF" in message and "Pango" in message
