"""The ticket import, clicked through by the marketing lead: an export whose dates Phare cannot
order goes through the mapping step (the columns proposed, a preview, the date order asked),
then the report (imported, left out by reason, services not in the catalogue, warnings by
line); an unmapped name is mapped to a catalogue service. In French, then in English."""

from __future__ import annotations

import re

import pytest
from django.utils import translation
from django.utils.translation import gettext
from playwright.sync_api import expect

from phare.tickets.models import Ticket, TicketMapping
from tests.catalog.factories import make_families, make_service
from tests.tickets.factories import open_ticket_survey

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]

EXPORT = (b"Number,Opened,Resolved,Short description,Channel,Assignment group,Service,"
          b"Caller.Email,Solved at (local)\r\n"
          b"INC0070001,03/04/2025 09:00,03/04/2025 10:00,VPN drops,Phone,Service Desk L1,"
          b"VPN Gateway,eric.martin@example.com,\r\n"
          b"INC0070002,05/06/2025 09:00,05/07/2025 10:00,Mailbox full,Email,Service Desk L1,"
          b"Messaging,claire.dupont@example.com,\r\n"
          b"INC0070003,06/06/2025 09:00,,Printer,Walk-in,Field Services,,,\r\n"
          b"INC0070004,07/06/2025 09:00,07/06/2025 08:00,Screen,Carrier pigeon,"
          b"Field Services,,,\r\n")


#: axe-core's violations of the WCAG A and AA rules on the page (their rule ids).
AXE_RUN = """async () => {
  const result = await axe.run(document, {runOnly: {type: "tag", values: [
    "wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]}});
  return result.violations.map((rule) => rule.id + ": " + rule.nodes.map(
    (node) => node.target.join(" ")).slice(0, 3).join(", "));
}"""


def french(message: str) -> str:
    with translation.override("fr"):
        return gettext(message)


def english(message: str) -> str:
    with translation.override("en"):
        return gettext(message)


def upload(page, name: str, data: bytes, words, *, review: bool = False) -> None:
    page.goto("/surveys/tickets/import/")
    page.set_input_files("#id_file", files=[{"name": name, "mimeType": "text/csv",
                                             "buffer": data}])
    if review:
        page.get_by_label(words("Show me the columns before importing")).check()
    page.get_by_role("button", name=words("Check and import")).click()


def test_the_marketing_lead_imports_an_export_through_the_mapping_step(page, shot, sign_in,
                                                                       personas, axe_script):
    def accessible() -> None:
        page.evaluate(axe_script)
        assert page.evaluate(AXE_RUN) == []

    make_families()
    make_service("messagerie", name_fr="Messagerie", name_en="Messaging")
    make_service("vpn", name_fr="Accès à distance", name_en="Remote access")
    open_ticket_survey(fatigue_days=0)
    sign_in("marketing")

    upload(page, "servicenow.csv", EXPORT, french)
    page.wait_for_url(re.compile(r"/surveys/tickets/import/\d+/columns/"))
    expect(page.get_by_role("heading", level=1)).to_have_text(french("Columns of the export"))
    # The preview of the first rows, and the columns Phare proposes.
    expect(page.get_by_role("cell", name="INC0070001")).to_be_visible()
    expect(page.get_by_label(str(french("Ticket number")))).to_have_value("Number")
    expect(page.get_by_label(str(french("Business service")))).to_have_value("Service")
    shot("tickets-import-mapping-fr")
    accessible()
    # The dates do not tell their order: the lead must say which (month first).
    expect(page.get_by_label(french("Dates are written"))).to_have_value("")
    page.get_by_label(french("Dates are written")).select_option("mdy")
    page.get_by_role("button", name=french("Import with these columns")).click()

    page.wait_for_url("**/surveys/tickets/import/report/*/")
    expect(page.locator("#imported")).to_have_text("2")
    report = page.locator("#import-report")
    expect(report).to_contain_text("VPN Gateway")
    expect(report.get_by_role("row").filter(has_text="Carrier pigeon")).to_have_count(1)
    shot("tickets-import-report-fr")
    accessible()
    assert Ticket.objects.get(external_id="INC0070002").resolved_at.month == 5
    assert TicketMapping.objects.get().date_order == "mdy"

    # The unmapped name, mapped to the catalogue from the report's link.
    page.get_by_role("link", name=french("Map them to catalogue services")).click()
    row = page.get_by_role("row").filter(has_text="VPN Gateway")
    row.get_by_role("combobox").select_option("vpn")
    shot("tickets-unmapped-fr")
    accessible()
    row.get_by_role("button", name=french("Map")).click()
    expect(page.get_by_role("status")).to_contain_text("VPN Gateway")
    assert Ticket.objects.get(external_id="INC0070001").service.slug == "vpn"

    # In English: the same shape is remembered, and the lead asks to see the columns.
    page.locator('.language button[value="en"]').click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    upload(page, "servicenow-2.csv", EXPORT.replace(b"INC00700", b"INC00710"), english,
           review=True)
    page.wait_for_url(re.compile(r"/surveys/tickets/import/\d+/columns/"))
    expect(page.get_by_label("Ticket number")).to_have_value("Number")
    shot("tickets-import-mapping-en")
    page.get_by_role("button", name="Import with these columns").click()
    page.wait_for_url("**/surveys/tickets/import/report/*/")
    expect(page.locator("#imported")).to_have_text("2")
    shot("tickets-import-report-en")
    assert Ticket.objects.get(external_id="INC0071001").service.slug == "vpn"
