"""The value cards: a card on its own page, who may open it, and the list of every card."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from decimal import Decimal

import pytest

from phare.listening import services
from phare.listening.models import Survey
from phare.tickets.models import Ticket
from phare.tickets.services import ticket_survey_create
from tests.catalog.factories import make_families, make_service
from tests.insights.factories import rate


@pytest.fixture
def catalogue(personas):
    """Three live services: "vpn" (the owner's, 6 000 € a year, happy tickets), "erp" (not
    the owner's, 90 000 €, unhappy tickets), "wiki" (free, no ticket); a draft "labo" that is
    in no one's catalogue but the marketing lead's."""
    make_families()
    found = {}
    for slug, name_fr, name_en, cost, owner in (
            ("vpn", "Accès distant", "Remote access", "6000", "E0003"),
            ("erp", "ERP finance", "Finance ERP", "90000", None),
            ("wiki", "Wiki", "Wiki", None, None)):
        service = make_service(slug, name_fr=name_fr, name_en=name_en, owner=owner)
        service.annual_run_cost = Decimal(cost) if cost else None
        service.save()
        found[slug] = service
    found["labo"] = make_service("labo", name_fr="Laboratoire", publication="draft")
    tickets = ticket_survey_create()
    services.survey_set_status(tickets, "open")
    for i in range(12):
        rate(tickets, None, i, rating=10 if i < 6 else [9, 1][i % 2], lost="none",
             day=dt.date(2026, 3, 2) if i < 6 else dt.date(2026, 4, 2))
    for i in range(12, 20):
        rate(tickets, None, i, rating=2, lost="day")
    Ticket.objects.filter(external_id__in=[f"INC{i:05d}" for i in range(12)]).update(
        service=found["vpn"])
    Ticket.objects.filter(external_id__in=[f"INC{i:05d}" for i in range(12, 20)]).update(
        service=found["erp"])
    return found


def text(response) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split())


# -- a card on its own page -----------------------------------------------------------------------

def test_a_card_opened_as_a_page_is_a_whole_page_with_its_trends(login, catalogue, english):
    page = login("marketing").get("/insights/services/vpn/card/")
    html = page.content.decode()
    assert page.status_code == 200 and "<html" in html and "phare.css" in html
    # Breadcrumbs back to the insights, the list of cards and the service's catalogue page.
    crumbs = html[html.index('class="breadcrumbs"'):html.index("</nav>", html.index(
        'class="breadcrumbs"'))]
    for link in ("/insights/", "/insights/cards/", "/catalogue/vpn/"):
        assert f'href="{link}"' in crumbs
    assert 'id="chart-service-ticket-trend"' in html
    assert "Ticket happiness by month" in text(page)


def test_the_service_page_still_loads_the_card_as_a_fragment(login, catalogue):
    fragment = login("marketing").get("/insights/services/vpn/card/", HTTP_HX_REQUEST="true")
    html = fragment.content.decode()
    assert fragment.status_code == 200 and "<html" not in html and "value-title" in html
    assert 'href="/insights/services/vpn/card/"' in html  # the link to its whole page
    assert "chart-service-ticket-trend" not in html


def test_the_card_page_speaks_french_by_default(login, catalogue):
    page = login("marketing").get("/insights/services/vpn/card/")
    shown = text(page)
    assert "Fiche de valeur" in shown and "de temps de travail perdu après des tickets" in shown
    assert "of work time lost" not in shown


def test_the_cio_reads_every_card_even_of_a_service_not_meant_for_him(login, catalogue):
    cio = login("executive")
    card = cio.get("/insights/services/labo/card/")
    assert card.status_code == 200
    # The card has no link to a catalogue page he may not open.
    assert 'href="/catalogue/labo/"' not in card.content.decode()
    assert cio.get("/insights/services/nothing-here/card/").status_code == 404


def test_an_owner_reads_their_cards_only_and_others_none(login, catalogue):
    owner = login("owner")
    assert owner.get("/insights/services/vpn/card/").status_code == 200
    assert owner.get("/insights/services/erp/card/").status_code == 403  # in the catalogue
    assert owner.get("/insights/services/labo/card/").status_code == 404  # a draft: unknown
    employee = login("employee")
    assert employee.get("/insights/services/vpn/card/").status_code == 403


# -- the list -------------------------------------------------------------------------------------

def order(response) -> list[str]:
    return re.findall(r'<tr data-service="([a-z-]+)">', response.content.decode())


def test_the_list_sorts_by_each_column_with_links_in_the_headers(login, catalogue, english):
    client = login("marketing")
    page = client.get("/insights/cards/")
    assert page.status_code == 200
    # The costliest first; those without a cost last, by name.
    assert order(page) == ["erp", "vpn", "labo", "wiki"]
    html = page.content.decode()
    assert 'aria-sort="descending" data-column="cost"' in html
    assert 'href="?sort=cost"' in html  # the current column's link turns its order round
    assert 'href="?sort=-happiness"' in html and 'href="?sort=-lost"' in html
    def sorted_by(sort: str) -> list[str]:
        return order(client.get("/insights/cards/", {"sort": sort}))

    assert sorted_by("cost") == ["vpn", "erp", "labo", "wiki"]
    assert sorted_by("-happiness") == ["vpn", "erp", "labo", "wiki"]
    assert sorted_by("happiness") == ["erp", "vpn", "labo", "wiki"]
    assert sorted_by("-lost") == ["erp", "vpn", "labo", "wiki"]
    assert sorted_by("-service") == ["wiki", "vpn", "labo", "erp"]
    assert sorted_by("nonsense") == ["erp", "vpn", "labo", "wiki"]  # the default order


def test_the_list_shows_each_figure_with_its_n(login, catalogue, english):
    page = login("marketing").get("/insights/cards/")
    row = re.search(r'<tr data-service="vpn">.*?</tr>', page.content.decode(), re.S).group(0)
    assert "n = 12" in row  # the card's ticket happiness over its 12 rated tickets
    wiki = re.search(r'<tr data-service="wiki">.*?</tr>', page.content.decode(), re.S).group(0)
    assert "n =" not in wiki


def test_a_figure_withheld_on_the_card_is_withheld_in_the_list(login, catalogue, english):
    # Three ratings of "wiki": fewer than the minimum of 5, so no figure and no count.
    survey = Survey.objects.get(kind=Survey.Kind.TRANSACTIONAL)
    for i in range(30, 33):
        rate(survey, None, i, rating=0, lost="day")
    Ticket.objects.filter(external_id__in=["INC00030", "INC00031", "INC00032"]).update(
        service=catalogue["wiki"])
    page = login("marketing").get("/insights/cards/")
    wiki = re.search(r'<tr data-service="wiki">.*?</tr>', page.content.decode(), re.S).group(0)
    assert "Too few answers to show" in wiki and "n =" not in wiki and " 3" not in wiki


def test_the_list_downloads_as_csv_in_its_order(login, catalogue, english):
    answer = login("marketing").get("/insights/cards/", {"sort": "cost", "csv": "cards"})
    assert answer.status_code == 200 and answer["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(answer.content.decode("utf-8-sig"))))
    assert rows[0][0] == "Service" and [r[0] for r in rows[1:]] == [
        "Remote access", "Finance ERP", "Laboratoire", "Wiki"]
    assert rows[1][1] == "6000.0"


def test_visitors_are_sent_to_sign_in(client, catalogue):
    for path in ("/insights/cards/", "/insights/services/vpn/card/"):
        answer = client.get(path)
        assert answer.status_code == 302 and "/accounts/login/" in answer["Location"]


def test_the_cio_sees_every_card_an_owner_theirs_an_employee_none(login, catalogue):
    # The CIO reads the card of a service in no catalogue he sees (a draft).
    assert order(login("executive").get("/insights/cards/")) == ["erp", "vpn", "labo", "wiki"]
    assert order(login("owner").get("/insights/cards/")) == ["vpn"]
    assert login("employee").get("/insights/cards/").status_code == 403


def test_the_sort_form_works_without_javascript(login, catalogue, english):
    html = login("marketing").get("/insights/cards/").content.decode()
    start = html.index('class="filters card-sort"')
    form = html[html.rindex("<form", 0, start):html.index("</form>", start)]
    assert 'method="get"' in form
    assert '<select name="sort"' in form and 'type="submit"' in form
    assert '<option value="-adoption">' in form and '<option value="-cost_per_user">' in form
