"""Needs test data: needs raised and scored through the services, an arbitration campaign."""

from __future__ import annotations

from decimal import Decimal

from phare.needs import services
from phare.needs.models import Campaign, DeliveryTeam, Need
from phare.needs.services import campaign_save


def make_teams() -> dict[str, DeliveryTeam]:
    """The delivery teams "data" and "apps", by code."""
    return {code: DeliveryTeam.objects.create(code=code, name=name)
            for code, name in (("data", "Data"), ("apps", "Applications"))}


def make_need(person, title: str, description: str = "", *, unit=None, **extra) -> Need:
    return services.need_submit(person=person, title=title,
                                description=description or f"{title}.",
                                business_unit=unit or person.business_unit, **extra)


def score(need: Need, *, value: int = 3, fit: int = 3, risk: int = 2, one_off: float = 10,
          recurring: float = 0, efforts: dict[str, float] | None = None) -> Need:
    services.need_score(need=need, values={"business_value": value, "strategic_fit": fit,
                                           "risk": risk, "one_off_cost": one_off,
                                           "recurring_cost": recurring},
                        efforts=efforts or {})
    return need


def make_campaign(user, needs, *, budget: float = 100, recurring: float = 50,
                  capacities: dict[str, float] | None = None, **extra) -> Campaign:
    return campaign_save(user=user, name=extra.pop("name", "Arbitrage 2025"),
                         budget_one_off=Decimal(str(budget)),
                         budget_recurring=Decimal(str(recurring)), needs=needs,
                         capacities={k: Decimal(str(v)) for k, v in (capacities or {}).items()},
                         **extra)
