from __future__ import annotations

import pytest

from phare.insights import tickets as T
from phare.listening import services
from phare.listening.models import Survey
from phare.tickets.services import ticket_survey_create
from tests.insights.factories import rate


@pytest.fixture
def rated(personas):
    survey = ticket_survey_create()
    services.survey_set_status(survey, Survey.Status.OPEN)
    person = None  # each ticket's requester is someone else
    for i in range(20):  # handled first time: happy, no time lost
        rate(survey, person, i, rating=9 + i % 2, lost="none", reasons=["fast"])
    for i in range(20, 30):  # reassigned twice: unhappy, a day lost
        rate(survey, person, i, rating=3, lost="day", reasons=["slow", "repeat"],
             reassignments=2, group="Réseau")
    for i in range(30, 33):  # a small group by phone
        rate(survey, person, i, rating=7, lost="lt_1h", channel="phone")
    return survey


def test_happiness_is_the_nps_formula_on_ratings(rated):
    data = T.experience([rated], T.TicketFilters())
    total = data.total
    assert total["n"] == 33
    assert total["happiness"].value == pytest.approx(100 * (20 - 10) / 33)
    assert total["lost_hours_total"] == pytest.approx(10 * 7.5 + 3 * 0.5)


def test_reassigned_tickets_score_lower(rated):
    data = T.experience([rated], T.TicketFilters())
    by = {row["key"]: row for row in data.reassignments}
    assert by["0"]["happiness"].value > by["2"]["happiness"].value
    assert by["2"]["happiness"].value == -100


def test_small_groups_are_suppressed(rated):
    data = T.experience([rated], T.TicketFilters())
    channels = {row["key"]: row for row in data.by["channel"]}
    assert channels["phone"]["n"] is None and channels["phone"]["suppressed"]
    assert channels["phone"]["happiness"] is None
    # The total minus the portal's figures would give the 3 phone ratings: hidden too.
    assert channels["portal"]["suppressed"] and channels["portal"]["happiness"] is None
    assert data.total["n"] == 33 and data.total["happiness"] is not None


def test_the_pareto_of_lost_time(rated):
    data = T.experience([rated], T.TicketFilters())
    # 10 tickets of 33 (30 %) lose 75 of the 76.5 hours: 80 % is reached within them.
    assert data.pareto["share_for_80"] == pytest.approx(100 * 9 / 33)
    assert data.pareto["points"][-1]["lost_pct"] == pytest.approx(100)


def test_reasons_are_counted_within_their_band(rated):
    data = T.experience([rated], T.TicketFilters())
    reasons = {(r["question"], r["option"]): r for r in data.reasons}
    assert reasons[("reasons_low", "slow")]["pct"] == 100
    assert reasons[("reasons_high", "fast")]["n"] == 20
    assert reasons[("reasons_low", "slow")]["label"] != "slow"


def test_owners_see_only_their_services(rated):
    data = T.experience([rated], T.TicketFilters(services=()))
    assert data.total is None


def test_filters_by_the_requesters_unit(rated, personas):
    data = T.experience([rated], T.TicketFilters(units=("VEN",)))
    assert data.total["n"] == 33  # every requester is in Ventes
    assert T.experience([rated], T.TicketFilters(units=("DSI",))).total is None


def test_the_ratings_are_spread_by_band(rated):
    data = T.experience([rated], T.TicketFilters())
    assert [(b["band"], b["n"]) for b in data.bands] == [("low", 10), ("mid", 3), ("high", 20)]
    assert [b["pct"] for b in data.bands] == pytest.approx([100 * 10 / 33, 100 * 3 / 33,
                                                            100 * 20 / 33])


def test_each_choice_question_shows_its_options_or_hides_them(rated):
    data = T.experience([rated], T.TicketFilters())
    questions = {q["code"]: q for q in data.questions}
    # Three people in the 7–8 band: no reason of theirs is shown, not even the question.
    assert list(questions) == ["reasons_low", "reasons_high", "lost_time"]
    low = {o["code"]: o for o in questions["reasons_low"]["options"]}
    assert questions["reasons_low"]["n"] == 10 and low["slow"]["n"] == 10
    assert low["slow"]["pct"] == 100 and low["slow"]["label"] != "slow"
    assert low["chase"]["n"] is None and low["chase"]["pct"] is None  # chosen by nobody
    # The reasons of the page are the released options, within their band.
    assert {(r["question"], r["option"]) for r in data.reasons} == {
        ("reasons_low", "slow"), ("reasons_low", "repeat"), ("reasons_high", "fast")}
    lost = {o["code"]: o for o in questions["lost_time"]["options"]}
    assert questions["lost_time"]["n"] == 33
    assert lost["none"]["n"] == 20 and lost["none"]["pct"] == pytest.approx(100 * 20 / 33)
    # Three people lost under an hour: hidden, and so is the next smallest (ten people lost a
    # day), or the answers minus the shown options would give the three.
    assert lost["lt_1h"]["n"] is None and lost["day"]["n"] is None


def test_the_options_of_a_band_under_the_minimum_are_not_released(rated):
    data = T.experience([rated], T.TicketFilters(channel="phone"))
    assert data.total is None or data.total["n"] is None
    assert data.questions == [] and data.reasons == [] and data.bands == []


# --- the results on the ticket survey's management page ---------------------------------------

SUMMARY = "/insights/tickets/ticket-feedback/summary/"


def test_the_management_page_loads_its_results_from_insights(rated, login):
    client = login("marketing")
    page = client.get("/surveys/tickets/").content.decode()
    assert f'hx-get="{SUMMARY}"' in page
    html = client.get(SUMMARY).content.decode()
    assert '<span data-figure="answers">33</span>' in html
    assert '<span class="figure" data-figure="ticket_happiness">30</span>' in html  # 10 / 33
    assert 'data-band="mid"' in html
    assert 'data-option="reasons_low:slow"' in html
    assert '(<span data-figure="reason_share">100\u202f%</span>)' in html
    assert 'data-option="reasons_mid:bit_long"' not in html


def test_the_results_are_for_managers_and_insights_readers(rated, login, client):
    assert client.get(SUMMARY).status_code == 302  # sign in first
    for role in ("admin", "marketing", "executive", "owner"):
        assert login(role).get(SUMMARY).status_code == 200, role
    assert login("employee").get(SUMMARY).status_code == 403
    assert login("marketing").get("/insights/tickets/no-such-survey/summary/").status_code == 404


def test_an_owner_reads_the_results_of_their_services_only(rated, login):
    # None of these tickets is of a service: the owner reads nothing of them.
    answer = login("owner").get(SUMMARY)
    assert answer.context["restricted"] and answer.context["data"].total is None
    assert "<p>33 " not in answer.content.decode()
    everything = login("executive").get(SUMMARY)
    assert not everything.context["restricted"]
    assert everything.context["data"].total["n"] == 33
