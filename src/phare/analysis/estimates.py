"""Survey estimates with confidence intervals: NPS, CSAT, CES, mean scores, and comparisons.

Plain data in (a list, tuple, numpy array or pandas Series of numbers), frozen dataclasses out.
Missing answers (``None``, ``NaN``, ``pd.NA``) are dropped and counted in ``missing``; ``n``
counts the answers used. Anything else that cannot be used raises :class:`AnalysisError` naming
the argument, the offending values and their positions (counted from 0, as in Python).

References
----------
- Reichheld F.F. (2003). The one number you need to grow. *Harvard Business Review* 81(12).
- Rocks B. (2016). Interval estimation for the "Net Promoter Score". *The American
  Statistician* 70(4):365-372.
- Wilson E.B. (1927). Probable inference, the law of succession, and statistical inference.
  *JASA* 22(158):209-212.
- Agresti A., Coull B.A. (1998). Approximate is better than "exact" for interval estimation of
  binomial proportions. *The American Statistician* 52(2):119-126.
- Newcombe R.G. (1998a). Two-sided confidence intervals for the single proportion: comparison
  of seven methods. *Statistics in Medicine* 17:857-872.
- Newcombe R.G. (1998b). Interval estimation for the difference between independent
  proportions: comparison of eleven methods. *Statistics in Medicine* 17:873-890.
- Student (1908). The probable error of a mean. *Biometrika* 6(1):1-25.
- Welch B.L. (1947). The generalization of "Student's" problem when several different
  population variances are involved. *Biometrika* 34:28-35.
- Dixon M., Toman N., DeLisi R. (2013). *The Effortless Experience*. Portfolio (CES 2.0).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from typing import Any, Literal

import numpy as np
from scipy import stats

from phare.analysis.errors import AnalysisError
from phare.analysis.inputs import (
    check_confidence,
    check_satisfied,
    check_scale,
    used_values,
    z_value,
)

NpsMethod = Literal["wald", "adjusted_wald"]
CompareMetric = Literal["nps", "mean", "csat"]


# --- Results --------------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class Estimate:
    """A point estimate with a two-sided confidence interval.

    ``value``, ``low`` and ``high`` share one unit (NPS points, percent, or the score's own
    unit); ``n`` counts the answers used and ``missing`` the ones dropped.
    """

    value: float
    low: float
    high: float
    n: int
    confidence: float
    missing: int = 0

    def as_dict(self) -> dict[str, Any]:
        """The fields as a plain dict (nested estimates become dicts too)."""
        return asdict(self)


@dataclass(frozen=True, kw_only=True)
class NpsEstimate(Estimate):
    """Net Promoter Score in points (−100…100) with the three groups behind it.

    ``variance`` is the per-respondent variance on the −1/0/+1 scale, p + d − (p − d)²;
    ``se`` (in points) and ``centre`` (in points) are those of the interval: for ``"wald"`` the
    centre is ``value``, for ``"adjusted_wald"`` it is the adjusted NPS.
    """

    method: str
    promoters: int
    passives: int
    detractors: int
    promoters_pct: float
    passives_pct: float
    detractors_pct: float
    variance: float
    se: float
    centre: float


@dataclass(frozen=True, kw_only=True)
class CsatEstimate(Estimate):
    """Share of satisfied answers in percent (Wilson interval), plus the mean score."""

    satisfied: int
    satisfied_scores: tuple[int, ...]
    scale: int
    mean: float


@dataclass(frozen=True, kw_only=True)
class MeanEstimate(Estimate):
    """Mean with a Student t interval; ``sd`` is the sample SD (n − 1), ``se`` = sd / √n."""

    sd: float
    se: float


@dataclass(frozen=True, kw_only=True)
class CesEstimate(MeanEstimate):
    """Mean Customer Effort Score (t interval) and the share who agree (score above midpoint)."""

    scale: int
    agree: int
    agree_pct: float


@dataclass(frozen=True, kw_only=True)
class Comparison:
    """The difference ``b − a`` with its interval and a two-sided test of "no difference".

    ``statistic`` is z (NPS, CSAT) or Welch's t (mean); ``df`` is Welch's degrees of freedom
    (``None`` for z tests). ``significant`` means ``p_value < 1 − confidence``.
    """

    metric: str
    value: float
    low: float
    high: float
    p_value: float
    significant: bool
    confidence: float
    statistic: float
    df: float | None
    a: Estimate
    b: Estimate

    def as_dict(self) -> dict[str, Any]:
        """The fields as a plain dict, ``a`` and ``b`` included."""
        return asdict(self)


# --- Input checks ---------------------------------------------------------------------------


def nps_from_counts(
    promoters: int,
    passives: int,
    detractors: int,
    *,
    method: NpsMethod = "wald",
    confidence: float = 0.95,
    missing: int = 0,
) -> NpsEstimate:
    """NPS from the counts of promoters, passives and detractors; formulas in :func:`nps`."""
    if method not in ("wald", "adjusted_wald"):
        raise AnalysisError(f"method: must be 'wald' or 'adjusted_wald', got {method!r}")
    confidence = check_confidence(confidence)
    n = promoters + passives + detractors
    if min(promoters, passives, detractors) < 0 or n < 1:
        raise AnalysisError(f"counts: need non-negative counts and n ≥ 1, got n = {n}")
    p, d = promoters / n, detractors / n
    value = p - d
    variance = max(p + d - value**2, 0.0)  # max(): rounding can give -1e-17
    if method == "adjusted_wald":
        n_adj = n + 3
        p_adj, d_adj = (promoters + 0.75) / n_adj, (detractors + 0.75) / n_adj
        centre = p_adj - d_adj
        se = math.sqrt(max(p_adj + d_adj - centre**2, 0.0) / n_adj)
    else:
        centre, se = value, math.sqrt(variance / n)
    half = z_value(confidence) * se
    return NpsEstimate(
        value=100 * value,
        low=max(-100.0, 100 * (centre - half)),
        high=min(100.0, 100 * (centre + half)),
        n=n,
        confidence=confidence,
        missing=missing,
        method=method,
        promoters=promoters,
        passives=passives,
        detractors=detractors,
        promoters_pct=100 * p,
        passives_pct=100 * passives / n,
        detractors_pct=100 * d,
        variance=variance,
        se=100 * se,
        centre=100 * centre,
    )


def wilson_interval(successes: int, n: int, confidence: float = 0.95) -> tuple[float, float]:
    """Wilson (1927) score interval for a proportion, as fractions in [0, 1].

    With p̂ = x/n and z = Φ⁻¹((1 + confidence)/2)::

        centre = (p̂ + z²/2n) / (1 + z²/n)
        half   = z / (1 + z²/n) · √(p̂(1 − p̂)/n + z²/4n²)

    Unlike the Wald interval it stays inside [0, 1] and keeps a width at p̂ = 0 or 1
    (Agresti & Coull 1998; Newcombe 1998a, method 3).
    """
    if n < 1 or not 0 <= successes <= n:
        raise AnalysisError(f"counts: need 0 ≤ successes ≤ n and n ≥ 1, got {successes} of {n}")
    z = z_value(check_confidence(confidence))
    p = successes / n
    denom = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denom
    half = z / denom * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    return max(0.0, centre - half), min(1.0, centre + half)


def csat_from_counts(
    satisfied: int,
    n: int,
    mean: float,
    *,
    scale: int = 5,
    satisfied_scores: tuple[int, ...] = (4, 5),
    confidence: float = 0.95,
    missing: int = 0,
) -> CsatEstimate:
    """CSAT from the count of satisfied answers, n and the mean score; see :func:`csat`."""
    confidence = check_confidence(confidence)
    low, high = wilson_interval(satisfied, n, confidence)
    return CsatEstimate(
        value=100 * satisfied / n,
        low=100 * low,
        high=100 * high,
        n=n,
        confidence=confidence,
        missing=missing,
        satisfied=satisfied,
        satisfied_scores=satisfied_scores,
        scale=scale,
        mean=float(mean),
    )


def mean_from_summary(
    n: int,
    mean: float,
    sd: float,
    *,
    confidence: float = 0.95,
    missing: int = 0,
    name: str = "values",
) -> MeanEstimate:
    """Student t interval from n, mean and sample SD (n − 1); see :func:`mean_score`."""
    confidence = check_confidence(confidence)
    if n < 2:
        raise AnalysisError(f"{name}: a t interval needs at least 2 values, got {n}")
    se = sd / math.sqrt(n)
    half = float(stats.t.ppf((1 + confidence) / 2, n - 1)) * se
    return MeanEstimate(
        value=float(mean),
        low=float(mean - half),
        high=float(mean + half),
        n=n,
        confidence=confidence,
        missing=missing,
        sd=float(sd),
        se=float(se),
    )


# --- Estimates from answers -----------------------------------------------------------------


def _nps(scores: object, name: str, method: NpsMethod, confidence: float) -> NpsEstimate:
    used, missing = used_values(scores, name=name, low=0, high=10, whole=True)
    promoters = int(np.count_nonzero(used >= 9))
    detractors = int(np.count_nonzero(used <= 6))
    passives = used.size - promoters - detractors
    return nps_from_counts(
        promoters, passives, detractors, method=method, confidence=confidence, missing=missing
    )


def _csat(
    scores: object, name: str, scale: int, satisfied: Sequence[int] | None, confidence: float
) -> CsatEstimate:
    scale = check_scale(scale)
    chosen = check_satisfied(satisfied, scale)
    used, missing = used_values(scores, name=name, low=1, high=scale, whole=True)
    k = int(np.isin(used, chosen).sum())
    return csat_from_counts(
        k,
        used.size,
        float(used.mean()),
        scale=scale,
        satisfied_scores=chosen,
        confidence=confidence,
        missing=missing,
    )


def _mean(
    values: object, name: str, confidence: float, **checks: Any
) -> tuple[np.ndarray, MeanEstimate]:
    used, missing = used_values(values, name=name, **checks)
    sd = float(np.std(used, ddof=1)) if used.size > 1 else 0.0
    estimate = mean_from_summary(
        used.size, float(used.mean()), sd, confidence=confidence, missing=missing, name=name
    )
    return used, estimate


def nps(
    scores: Iterable[object], *, method: NpsMethod = "wald", confidence: float = 0.95
) -> NpsEstimate:
    """Net Promoter Score of 0–10 "likelihood to recommend" answers (Reichheld 2003).

    Each respondent scores +1 (promoter, 9–10), 0 (passive, 7–8) or −1 (detractor, 0–6); the
    NPS is their mean, p − d, reported in points (×100). With shares p and d, the
    per-respondent variance is Var = p + d − (p − d)² and SE = √(Var / n) (Rocks 2016).
    Example: shares ½, ⅓, ⅙ give NPS = ⅓ (33.3 points), Var = 5/9, SD = 0.745356.

    ``method="wald"``: interval NPS ± z·SE, z = Φ⁻¹((1 + confidence)/2). It has zero width
    when everyone is in one group (all promoters gives [100, 100]).
    ``method="adjusted_wald"`` (Rocks 2016: best coverage in his simulations, advised for
    small samples): add 3 to n and ¾ to both promoters and detractors, then apply the same
    formula. That interval is centred on the *adjusted* NPS (reported as ``centre``), which
    is pulled towards 0, while ``value`` stays the plain NPS; for very small n the plain NPS
    can fall outside the interval (n = 1 promoter gives 100 with [−48.5, 98.5]).
    Both intervals are clipped to [−100, 100].

    Raises :class:`AnalysisError` for non-numbers, non-integers, values outside 0–10, or
    when no answer is left after dropping missing ones.
    """
    return _nps(scores, "scores", method, check_confidence(confidence))


def csat(
    scores: Iterable[object],
    *,
    scale: int = 5,
    satisfied: Sequence[int] | None = None,
    confidence: float = 0.95,
) -> CsatEstimate:
    """Customer satisfaction: percent of answers in ``satisfied`` on a 1…``scale`` scale.

    ``satisfied`` defaults to the top two boxes, (scale − 1, scale): (4, 5) on the usual
    5-point scale. The interval is Wilson's score interval (see :func:`wilson_interval`),
    e.g. 81 satisfied of 263 gives 30.8 % [25.5 %, 36.6 %] at 95 % (Newcombe 1998a, Table I).
    ``mean`` is the plain mean score of the answers used.
    """
    return _csat(scores, "scores", scale, satisfied, check_confidence(confidence))


def mean_score(values: Iterable[object], *, confidence: float = 0.95) -> MeanEstimate:
    """Mean with a Student (1908) t interval: x̄ ± t(1 − α/2, n − 1) · s/√n.

    ``s`` is the sample standard deviation (divisor n − 1); at least 2 values are needed.
    Example (Student's sleep data, R ``t.test(extra ~ group, sleep, paired = TRUE)``):
    differences 1.2, 2.4, 1.3, 1.3, 0, 1, 1.8, 0.8, 4.6, 1.4 give 1.58 [0.700114, 2.459886].
    """
    return _mean(values, "values", check_confidence(confidence))[1]


def ces(scores: Iterable[object], *, scale: int = 7, confidence: float = 0.95) -> CesEstimate:
    """Customer Effort Score: mean agreement with "<company> made it easy to handle my issue".

    CES 2.0 (Dixon, Toman & DeLisi 2013) is a 7-point agreement scale, 1 = strongly disagree
    to 7 = strongly agree, so higher means *less* effort. ``value`` is the mean with a t
    interval (see :func:`mean_score`); ``agree_pct`` is the share answering above the
    midpoint, i.e. 5–7 on the 7-point scale (4–5 on a 5-point one).
    """
    scale = check_scale(scale)
    confidence = check_confidence(confidence)
    used, base = _mean(scores, "scores", confidence, low=1, high=scale, whole=True)
    agree = int(np.count_nonzero(used > (scale + 1) / 2))
    return CesEstimate(**asdict(base), scale=scale, agree=agree, agree_pct=100 * agree / used.size)


# --- Comparisons ----------------------------------------------------------------------------


def _z_test(diff: float, se: float) -> tuple[float, float]:
    """(z, two-sided p); with no sampling error at all, p = 1 if diff is 0, else raise."""
    if se > 0:
        return diff / se, float(2 * stats.norm.sf(abs(diff / se)))
    if diff == 0:
        return 0.0, 1.0
    raise AnalysisError(
        "a, b: every answer is identical within each group but the groups differ, "
        "so the difference has no sampling error to test"
    )


def compare(
    a: Iterable[object],
    b: Iterable[object],
    *,
    metric: CompareMetric = "nps",
    confidence: float = 0.95,
    scale: int = 5,
    satisfied: Sequence[int] | None = None,
) -> Comparison:
    """Difference ``b − a`` between two independent waves or groups, with a two-sided test.

    - ``"nps"``: difference in points; SE = √(Var_a/n_a + Var_b/n_b) (Var as in :func:`nps`),
      z test, interval diff ± z·SE clipped to [−200, 200].
    - ``"mean"``: Welch's (1947) unequal-variance t test (``scipy.stats.ttest_ind``,
      ``equal_var=False``) and Welch interval with Welch–Satterthwaite df. Example
      (R ``t.test(extra ~ group, data = sleep)``): 1.58, [−0.205483, 3.365483], p = 0.07939.
    - ``"csat"`` (``scale``/``satisfied`` as in :func:`csat`): difference in percentage
      points; pooled two-proportion z test, z = (p_b − p_a) / √(p̄(1 − p̄)(1/n_a + 1/n_b));
      interval by Newcombe's (1998b, method 10) hybrid score method on the Wilson intervals:
      56/70 vs 48/80 gives 20 [5.24, 33.39] points. The test and interval come from different
      formulas and can disagree at the margin; ``significant`` follows the p-value.

    When neither group has any spread the test is undefined: equal values give p = 1 and
    different ones raise :class:`AnalysisError`.
    """
    confidence = check_confidence(confidence)
    df: float | None = None
    ea: Estimate  # each branch assigns its own kind, which mypy then narrows to
    eb: Estimate
    if metric == "nps":
        ea, eb = _nps(a, "a", "wald", confidence), _nps(b, "b", "wald", confidence)
        diff = eb.value - ea.value
        se = 100 * math.sqrt(ea.variance / ea.n + eb.variance / eb.n)
        half = z_value(confidence) * se
        low, high = max(-200.0, diff - half), min(200.0, diff + half)
        statistic, p_value = _z_test(diff, se)
    elif metric == "csat":
        ea, eb = (_csat(x, name, scale, satisfied, confidence) for x, name in ((a, "a"), (b, "b")))
        pa, pb = ea.value / 100, eb.value / 100
        la, ua, lb, ub = ea.low / 100, ea.high / 100, eb.low / 100, eb.high / 100
        diff = 100 * (pb - pa)
        low = diff - 100 * math.sqrt((pb - lb) ** 2 + (ua - pa) ** 2)
        high = diff + 100 * math.sqrt((ub - pb) ** 2 + (pa - la) ** 2)
        pooled = (ea.satisfied + eb.satisfied) / (ea.n + eb.n)
        se = 100 * math.sqrt(pooled * (1 - pooled) * (1 / ea.n + 1 / eb.n))
        statistic, p_value = _z_test(diff, se)
    elif metric == "mean":
        used_a, ea = _mean(a, "a", confidence)
        used_b, eb = _mean(b, "b", confidence)
        diff = eb.value - ea.value
        if ea.sd == 0 and eb.sd == 0:  # scipy would return NaN
            low = high = diff
            statistic, p_value = _z_test(diff, 0.0)
        else:
            result = stats.ttest_ind(used_b, used_a, equal_var=False)
            ci = result.confidence_interval(confidence_level=confidence)
            low, high = float(ci.low), float(ci.high)
            statistic, p_value, df = float(result.statistic), float(result.pvalue), float(result.df)
    else:
        raise AnalysisError(f"metric: must be 'nps', 'mean' or 'csat', got {metric!r}")
    return Comparison(
        metric=metric,
        value=diff,
        low=low,
        high=high,
        p_value=p_value,
        significant=p_value < 1 - confidence,
        confidence=confidence,
        statistic=statistic,
        df=df,
        a=ea,
        b=eb,
    )


def compare_estimates(a: Estimate, b: Estimate, *, confidence: float | None = None) -> Comparison:
    """Difference ``b − a`` from two estimates already computed (e.g. from counts aggregated
    by a database), with the same formulas as :func:`compare`:

    - two :class:`NpsEstimate` (Wald): z test on √(Var_a/n_a + Var_b/n_b);
    - two :class:`CsatEstimate`: pooled two-proportion z test, Newcombe's hybrid interval;
    - two :class:`MeanEstimate` (or CES): Welch's t from n, mean and sd.
    """
    confidence = check_confidence(confidence if confidence is not None else a.confidence)
    df: float | None = None
    if isinstance(a, NpsEstimate) and isinstance(b, NpsEstimate):
        metric = "nps"
        diff = b.value - a.value
        se = 100 * math.sqrt(a.variance / a.n + b.variance / b.n)
        half = z_value(confidence) * se
        low, high = max(-200.0, diff - half), min(200.0, diff + half)
        statistic, p_value = _z_test(diff, se)
    elif isinstance(a, CsatEstimate) and isinstance(b, CsatEstimate):
        metric = "csat"
        pa, pb = a.value / 100, b.value / 100
        la, ua, lb, ub = (wilson_interval(a.satisfied, a.n, confidence)
                          + wilson_interval(b.satisfied, b.n, confidence))
        diff = 100 * (pb - pa)
        low = diff - 100 * math.sqrt((pb - lb) ** 2 + (ua - pa) ** 2)
        high = diff + 100 * math.sqrt((ub - pb) ** 2 + (pa - la) ** 2)
        pooled = (a.satisfied + b.satisfied) / (a.n + b.n)
        se = 100 * math.sqrt(pooled * (1 - pooled) * (1 / a.n + 1 / b.n))
        statistic, p_value = _z_test(diff, se)
    elif isinstance(a, MeanEstimate) and isinstance(b, MeanEstimate):
        metric = "mean"
        diff = b.value - a.value
        va, vb = a.sd ** 2 / a.n, b.sd ** 2 / b.n
        if va + vb == 0:
            low = high = diff
            statistic, p_value = _z_test(diff, 0.0)
        else:
            se = math.sqrt(va + vb)
            df = (va + vb) ** 2 / (va ** 2 / (a.n - 1) + vb ** 2 / (b.n - 1))
            statistic = diff / se
            p_value = float(2 * stats.t.sf(abs(statistic), df))
            half = float(stats.t.ppf((1 + confidence) / 2, df)) * se
            low, high = diff - half, diff + half
    else:
        raise AnalysisError(f"compare_estimates: cannot compare {type(a).__name__} with "
                            f"{type(b).__name__}")
    return Comparison(metric=metric, value=diff, low=low, high=high, p_value=p_value,
                      significant=p_value < 1 - confidence, confidence=confidence,
                      statistic=statistic, df=df, a=a, b=b)
