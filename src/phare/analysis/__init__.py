"""``phare.analysis``: the statistics of perceived value, as a pure library.

No Django here: plain data in (sequences, pandas DataFrames), dataclasses or DataFrames out, so
analysts can use it from a notebook. Every function rejects input it cannot use with
:class:`AnalysisError` (a ``ValueError``) and never returns NaN silently. Each statistic is
tested against published reference values (see ``tests/analysis/``).

- Indices with intervals: :func:`nps`, :func:`csat`, :func:`ces`, :func:`mean_score`, and
  :func:`compare` for the difference between two waves or groups.
- :func:`breakdown`: one row per group, small groups suppressed for anonymity.
- :func:`importance_performance` (Martilla & James 1977) and :func:`key_drivers` (exact
  Shapley/LMG or Johnson's relative weights).
- :func:`themes` of verbatims in French and English; :func:`correspondence` analysis for
  perceptual maps; :func:`segments` by k-means.
- :func:`select_portfolio`: the best set of needs under budget and capacity (HiGHS via SciPy).
"""

from __future__ import annotations

from phare.analysis.breakdown import breakdown
from phare.analysis.correspondence import Correspondence, correspondence
from phare.analysis.drivers import KeyDriversResult, key_drivers
from phare.analysis.errors import AnalysisError
from phare.analysis.estimates import (
    CesEstimate,
    Comparison,
    CsatEstimate,
    Estimate,
    MeanEstimate,
    NpsEstimate,
    ces,
    compare,
    compare_estimates,
    csat,
    csat_from_counts,
    mean_from_summary,
    mean_score,
    nps,
    nps_from_counts,
    wilson_interval,
)
from phare.analysis.importance import ImportancePerformanceResult, importance_performance
from phare.analysis.portfolio import GreedyResult, Portfolio, select_portfolio
from phare.analysis.portfolio_explain import Explanation, budget_curve, explain_portfolio
from phare.analysis.segments import Segments, segments
from phare.analysis.themes import Theme, Themes, themes

__all__ = [
    "AnalysisError", "CesEstimate", "Comparison", "Correspondence", "CsatEstimate", "Estimate",
    "Explanation", "GreedyResult", "ImportancePerformanceResult", "KeyDriversResult",
    "MeanEstimate", "NpsEstimate", "Portfolio", "Segments", "Theme", "Themes", "breakdown",
    "budget_curve", "ces", "compare", "compare_estimates", "correspondence", "csat",
    "csat_from_counts",
    "explain_portfolio", "importance_performance", "key_drivers", "mean_from_summary",
    "mean_score", "nps", "nps_from_counts", "segments", "select_portfolio", "themes",
    "wilson_interval",
]
