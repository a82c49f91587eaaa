"""The cockpit's headline figures: those of the insights home
(:mod:`phare.insights.headlines`, each read from the module that releases it), and the
communication plan's objectives measured live (:mod:`phare.comms.objectives`).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from phare.comms import objectives
from phare.comms.models import Objective
from phare.comms.policy import visible_plans
from phare.insights.headlines import (
    FOCUS,
    Headline,
    adoption,
    barometer_nps,
    headlines,
    needs_answered,
    ticket_figures,
)

__all__ = ["FOCUS", "Headline", "adoption", "barometer_nps", "headlines", "needs_answered",
           "plan_objectives", "ticket_figures"]


def plan_objectives(user: Any, today: dt.date) -> list[tuple[Objective, objectives.Live]]:
    """The measured objectives of the plans under way, with their live figure."""
    current = (Objective.objects.filter(plan__in=visible_plans(user), plan__starts_on__lte=today,
                                        plan__ends_on__gte=today)
               .exclude(metric=Objective.Metric.NONE).select_related("plan")
               .order_by("plan__starts_on", "position", "pk"))
    return [(objective, objectives.live(objective, today=today)) for objective in current[:6]]
