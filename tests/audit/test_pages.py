"""The audit page and its export: administrators only, filtered, paginated, in French and
English; the export is a guarded CSV and is itself audited."""

from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse

from phare.audit.actions import Action
from phare.audit.models import Entry
from tests.audit.factories import days_ago, make_entry

pytestmark = pytest.mark.django_db

PAGE = reverse("audit:entries")
EXPORT = reverse("audit:export")


@pytest.mark.parametrize(("persona", "status"), [
    ("admin", 200), ("marketing", 403), ("owner", 403), ("executive", 403), ("employee", 403),
])
def test_it_opens_to_administrators_only(login, persona: str, status: int) -> None:
    client = login(persona)
    assert client.get(PAGE).status_code == status
    assert client.get(EXPORT).status_code == status


def test_it_sends_visitors_to_sign_in(client) -> None:
    for address in (PAGE, EXPORT):
        response = client.get(address)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert not Entry.objects.filter(action=Action.EXPORT).exists()


def test_it_filters_by_action_actor_dates_and_target(login, personas, english) -> None:
    admin, marketing = personas["admin"], personas["marketing"]
    make_entry(action=Action.PUBLICATION, actor=marketing, target=("catalog.service", 3, "Wifi"),
               at=days_ago(10))
    make_entry(action=Action.DECISION, actor=admin, target=("needs.campaign", 4, "Budget 2027"),
               at=days_ago(2))
    client = login("admin")  # itself a sign-in entry, now
    seen = lambda query: client.get(PAGE + query).context["page"].object_list  # noqa: E731
    assert [e.action for e in seen("?action=publication")] == ["publication"]
    assert [e.actor_name for e in seen("?actor=MARK")] == ["marketing"]
    since = days_ago(5).date().isoformat()
    # The personas' accounts were created today too, and the admin just signed in.
    assert {e.action for e in seen(f"?since={since}")} == {"signin.success", "decision",
                                                           "account.created"}
    assert [e.action for e in seen(f"?until={since}")] == ["publication"]
    assert [e.action for e in seen("?target=budget")] == ["decision"]
    assert [e.action for e in seen("?target=catalog.service:3")] == ["publication"]
    assert [e.action for e in seen("?target=catalog.service")] == ["publication"]


def test_it_says_what_is_wrong_with_a_filter(login, english) -> None:
    response = login("admin").get(PAGE + "?since=2026-05-02&until=2026-05-01&action=nope")
    assert response.status_code == 200
    text = response.content.decode()
    assert "The end date comes before the start date." in text
    assert "Select a valid choice" in text


def test_it_paginates(login) -> None:
    for number in range(51):
        make_entry(details={"n": number})
    client = login("admin")
    first = client.get(PAGE).context["page"]
    assert len(first.object_list) == 50 and first.paginator.count > 51
    second = client.get(PAGE + "?page=2").context["page"]
    assert len(second.object_list) == first.paginator.count - 50


def test_it_speaks_french_and_english(client, login, settings) -> None:
    make_entry(action=Action.TOKEN_CREATED)
    client = login("admin")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    french = client.get(PAGE).content.decode()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english_text = client.get(PAGE).content.decode()
    assert "Audit trail" in english_text and "API token created" in english_text
    assert '<html lang="fr"' in french and "Filtrer" in french
    assert '<html lang="en"' in english_text


def test_the_export_is_a_guarded_csv_of_the_filtered_entries_and_is_audited(
        login, personas, english) -> None:
    make_entry(action=Action.IMPORT, actor=personas["marketing"],
               target=("directory.person", "", "=HYPERLINK(1)"), details={"created": 3})
    make_entry(action=Action.DECISION)
    response = login("admin").get(EXPORT + "?action=import")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="phare-audit-')
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][:3] == ["When (UTC)", "Action code", "Action"]
    assert [row[1] for row in rows[1:]] == ["import"]
    assert rows[1][3] == "marketing" and rows[1][9] == "'=HYPERLINK(1)"
    assert rows[1][10] == '{"created": 3}'
    audited = Entry.objects.get(action=Action.EXPORT)
    assert audited.actor_name == "admin"
    assert audited.target_type == "audit.entry"
    assert audited.details == {"format": "csv", "filters": {"action": "import"}}


def test_the_page_costs_the_same_queries_for_one_or_fifty_entries(
        login, django_assert_num_queries) -> None:
    client = login("admin")
    make_entry()
    with django_assert_num_queries(5) as first:  # the shell's three, the count, the page
        client.get(PAGE)
    for number in range(60):
        make_entry(details={"n": number})
    with django_assert_num_queries(len(first.captured_queries)):
        client.get(PAGE)
