"""Charts of the needs app (Altair, through :func:`phare.lib.charts.chart`)."""

from __future__ import annotations

import altair as alt
import pandas as pd
from django.utils import formats
from django.utils.translation import gettext as _

from phare.lib.charts import Chart, chart
from phare.needs.models import Arbitration


def _budget(amount: float) -> str:
    """A budget in k€ as the reader writes numbers ("12 000" or "12,000", "12,5")."""
    whole = float(amount).is_integer()
    return formats.number_format(round(float(amount), 1), decimal_pos=0 if whole else 1,
                                 use_l10n=True)


def curve_chart(arbitration: Arbitration) -> Chart | None:
    """The value-versus-budget curve, with today's budget marked."""
    curve = arbitration.curve or {}
    if not curve.get("points"):
        return None
    budget_label, value_label = _("One-off budget (k€)"), _("Best total value")
    frame = pd.DataFrame([{"budget": round(c, 1), "value": round(v, 2),
                           "proven": _("yes") if ok else _("no")}
                          for c, v, ok in curve["points"]])
    line = alt.Chart(frame).mark_line(point=True).encode(
        x=alt.X("budget:Q", title=budget_label), y=alt.Y("value:Q", title=value_label),
        tooltip=[alt.Tooltip("budget:Q", title=budget_label),
                 alt.Tooltip("value:Q", title=value_label)])
    today = alt.Chart(pd.DataFrame([{"budget": curve["budget"]}])).mark_rule(
        color="#b45309", strokeDash=[4, 4]).encode(x="budget:Q")
    return chart(
        alt.layer(line, today).properties(height=260), id="budget-curve",
        title=_("Value reachable for each one-off budget"), table=frame,
        description=_("The dashed line marks today's budget (%(budget)s k€). Every point is "
                      "the best selection under the other constraints, solved again.") % {
            "budget": _budget(curve["budget"])},
        columns={"budget": budget_label, "value": value_label,
                 "proven": _("Proven optimal")})
