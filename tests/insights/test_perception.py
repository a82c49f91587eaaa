"""Perception vs reality: adoption (usage) beside satisfaction, on its page and the value card."""

from __future__ import annotations

import datetime as dt

from phare import analysis
from phare.insights import perception
from phare.insights.value import ValueCard
from tests.usage.factories import import_events, make_people, use
from tests.usage.factories import service as make_service


def _last_month() -> dt.date:
    return (dt.date.today().replace(day=1) - dt.timedelta(days=1)).replace(day=2)


def _card(service, *, promoters: int, passives: int, detractors: int) -> ValueCard:
    nps = analysis.nps_from_counts(promoters, passives, detractors)
    return ValueCard(service=service, satisfaction=[{"period": "w1", "n": nps.n, "nps": nps,
                                                     "change": None, "suppressed": False}],
                     tickets=None, themes=None, reach=0, cost_per_user=None, min_group=5)


def test_it_places_a_liked_little_used_service_in_promote(org):
    people = make_people(org, "dsi", 40)
    service = make_service("wiki", name="Wiki")
    import_events(use(people[:8], "wiki", _last_month()), today=dt.date.today())
    point = perception.point(service, _card(service, promoters=30, passives=5, detractors=5))
    assert point.adoption.value == 8 / 40
    assert point.placement.name == "promote" and point.placement.certain
    assert point.satisfaction.measure == "nps"
    assert any("20 %" in reason for reason in point.reasons)


def test_it_places_a_used_disliked_service_in_fix(org):
    people = make_people(org, "dsi", 40)
    service = make_service("erp", name="ERP")
    import_events(use(people[:32], "erp", _last_month()), today=dt.date.today())
    point = perception.point(service, _card(service, promoters=5, passives=5, detractors=30))
    assert point.placement.name == "fix"


def test_it_does_not_place_a_service_without_satisfaction(org):
    people = make_people(org, "dsi", 40)
    service = make_service("vdi", name="VDI")
    import_events(use(people[:20], "vdi", _last_month()), today=dt.date.today())
    card = ValueCard(service=service, satisfaction=[], tickets=None, themes=None, reach=0,
                     cost_per_user=None, min_group=5)
    point = perception.point(service, card)
    assert point.adoption is not None and point.placement is None


def test_it_lists_services_with_usage_on_the_page_and_usage_on_the_card(login, org):
    people = make_people(org, "dsi", 40)
    make_service("vdi", name="Bureau virtuel")
    import_events(use(people[:20], "vdi", _last_month()), today=dt.date.today())
    page = login("marketing").get("/insights/perception/")
    assert page.status_code == 200
    assert "Bureau virtuel" in page.content.decode()
    card = login("marketing").get("/insights/services/vdi/card/")
    body = card.content.decode()
    assert card.status_code == 200 and 'id="card-usage"' in body
    # 20 of the 45 people it is for (the 40 made here and the 5 personas' people)
    assert "44 %" in body and "45" in body


def test_it_shows_an_owner_only_their_services(login, org):
    people = make_people(org, "dsi", 40)
    make_service("vdi", name="Bureau virtuel")
    import_events(use(people[:20], "vdi", _last_month()), today=dt.date.today())
    page = login("owner").get("/insights/perception/")
    assert page.status_code == 200 and "Bureau virtuel" not in page.content.decode()


def test_it_counts_tickets_per_100_active_users(org):
    from django.utils import timezone

    from phare.tickets.models import Ticket

    people = make_people(org, "dsi", 40)
    service = make_service("vdi", name="VDI")
    month = _last_month()
    import_events(use(people[:20], "vdi", month), today=dt.date.today())
    zone = timezone.get_current_timezone()
    for i in range(3):
        at = dt.datetime.combine(month, dt.time(10), zone)
        Ticket.objects.create(external_id=f"INC{i}", service=service, opened_at=at,
                              resolved_at=at, requester=people[i])
    # The export goes past the month's end: the month is covered whole.
    at = dt.datetime.combine(dt.date.today().replace(day=1), dt.time(9), zone)
    Ticket.objects.create(external_id="INC9", service=None, opened_at=at, resolved_at=at,
                          requester=people[9])
    assert perception.tickets_per_100(service, {month.replace(day=1): 20}) == {
        month.replace(day=1): 15.0}
    card = ValueCard(service=service, satisfaction=[], tickets=None, themes=None, reach=0,
                     cost_per_user=None, min_group=5)
    assert perception.point(service, card).tickets_per_100 == 15.0


def test_it_leaves_out_months_the_itsm_data_does_not_cover(org):
    from django.utils import timezone

    from phare.tickets.models import Ticket

    service = make_service("vdi", name="VDI")
    people = make_people(org, "dsi", 3)
    month = _last_month()
    # Tickets up to the middle of last month only: last month is not covered whole.
    at = dt.datetime.combine(month.replace(day=15), dt.time(9),
                             timezone.get_current_timezone())
    Ticket.objects.create(external_id="INC1", service=service, opened_at=at, resolved_at=at,
                          requester=people[0])
    month = _last_month().replace(day=1)
    assert perception.tickets_per_100(service, {month: 20}) == {}
