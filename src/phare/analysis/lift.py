"""The effect of an action on people: difference-in-differences, and lift over a control group.

Plain data in (one outcome per person: 0/1 — active or not, answered or not — or a number),
a frozen :class:`Lift` out, in the outcomes' own unit (a share between 0 and 1 for 0/1
outcomes: the caller turns it into points). Missing outcomes (``None``, ``NaN``) are dropped —
for :func:`did`, the person whose before *or* after value is missing — and counted in
``missing``. Anything else that cannot be used raises :class:`AnalysisError` naming the
argument, as :mod:`phare.analysis.estimates` does.

- :func:`did`: people measured before and after an action, some of them reached (*treated*),
  the others not (*control*). The estimate is the mean change of the treated minus the mean
  change of the control group, and its interval is Welch's (1947) on the per-person changes.
  On a balanced panel this is the interaction coefficient of the OLS regression
  ``y ~ treated * after``; its interval is the one that regression gives with standard errors
  clustered by person, up to the small-sample factors of the cluster-robust estimator.
- :func:`holdout`: the people reached against a random control group held out of the action,
  after it. For 0/1 outcomes, the difference of proportions with Newcombe's (1998b, method 10)
  hybrid score interval built on the two Wilson intervals; for other numbers, the difference
  of means with Welch's interval.

References
----------
- Ashenfelter O., Card D. (1985). Using the longitudinal structure of earnings to estimate the
  effect of training programs. *Review of Economics and Statistics* 67(4):648-660.
- Card D., Krueger A.B. (1994). Minimum wages and employment: a case study of the fast-food
  industry in New Jersey and Pennsylvania. *American Economic Review* 84(4):772-793.
- Bertrand M., Duflo E., Mullainathan S. (2004). How much should we trust
  differences-in-differences estimates? *Quarterly Journal of Economics* 119(1):249-275.
- Welch B.L. (1947). The generalization of "Student's" problem when several different
  population variances are involved. *Biometrika* 34:28-35.
- Newcombe R.G. (1998b). Interval estimation for the difference between independent
  proportions: comparison of eleven methods. *Statistics in Medicine* 17:873-890.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from typing import Any, Literal

import numpy as np
from scipy import stats

from phare.analysis.errors import AnalysisError
from phare.analysis.estimates import wilson_interval
from phare.analysis.inputs import as_floats, check_confidence

LiftKind = Literal["did", "holdout"]


@dataclass(frozen=True, kw_only=True)
class Lift:
    """The effect of an action with its two-sided interval.

    ``kind`` is ``"did"`` (difference-in-differences) or ``"holdout"`` (reached against a
    random control group); ``method`` is ``"welch"`` or ``"newcombe"`` (0/1 outcomes of a
    holdout). ``treated`` and ``control`` are each group's mean change (``did``) or mean after
    the action (``holdout``); ``estimate = treated − control``. For ``did``,
    ``treated_before`` and ``control_before`` are the groups' means before the action (their
    means after are these plus the changes); ``None`` for ``holdout``. ``df`` is Welch's
    degrees of freedom (``None`` for Newcombe's interval, and when neither group varies).
    ``binary`` says whether every outcome was 0 or 1.
    """

    kind: str
    method: str
    estimate: float
    low: float
    high: float
    n_treated: int
    n_control: int
    confidence: float
    treated: float
    control: float
    treated_before: float | None = None
    control_before: float | None = None
    df: float | None = None
    binary: bool = False
    missing: int = 0

    def as_dict(self) -> dict[str, Any]:
        """The fields as a plain dict."""
        return asdict(self)


def _values(values: object, name: str) -> np.ndarray:
    """``values`` as floats (NaN where missing); raise on non-numbers and infinities."""
    arr = as_floats(values, name)
    bad = np.flatnonzero(np.isinf(arr))
    if bad.size:
        raise AnalysisError(f"{name}: {arr[bad[0]]:g} at position {bad[0]} is not finite")
    return arr


def _pairs(before: object, after: object, name: str) -> tuple[np.ndarray, np.ndarray, int]:
    """The people of one group with both values, and how many were dropped."""
    b, a = _values(before, f"{name}_before"), _values(after, f"{name}_after")
    if b.size != a.size:
        raise AnalysisError(f"{name}_before, {name}_after: must hold one value per person, in "
                            f"the same order (got {b.size} and {a.size} values)")
    kept = ~(np.isnan(b) | np.isnan(a))
    return b[kept], a[kept], int(b.size - kept.sum())


def _is_binary(*groups: np.ndarray) -> bool:
    return all(bool(np.isin(group, (0.0, 1.0)).all()) for group in groups)


def _welch(treated: np.ndarray, control: np.ndarray, confidence: float
           ) -> tuple[float, float, float, float | None]:
    """``mean(treated) − mean(control)`` with Welch's interval and degrees of freedom."""
    diff = float(treated.mean() - control.mean())
    vt = float(treated.var(ddof=1)) / treated.size
    vc = float(control.var(ddof=1)) / control.size
    if vt + vc == 0:  # nobody varies: the difference is exact
        return diff, diff, diff, None
    df = (vt + vc) ** 2 / (vt ** 2 / (treated.size - 1) + vc ** 2 / (control.size - 1))
    half = float(stats.t.ppf((1 + confidence) / 2, df)) * math.sqrt(vt + vc)
    return diff, diff - half, diff + half, df


def _at_least(n: int, minimum: int, name: str) -> None:
    if n < minimum:
        people = "person" if minimum == 1 else "people"
        raise AnalysisError(f"{name}: need at least {minimum} {people} with values, got {n}")


def did(treated_before: object, treated_after: object, control_before: object,
        control_after: object, *, confidence: float = 0.95) -> Lift:
    """Difference-in-differences: the treated group's mean change minus the control group's.

    Each group gives one value per person before and one after, paired by position. With the
    per-person changes Δ = after − before, the estimate is mean(Δ_treated) − mean(Δ_control)
    and its interval Welch's t interval on the two sets of changes (Welch–Satterthwaite
    degrees of freedom), which allows for each person's two values being correlated — the
    standard errors clustered by person of Bertrand et al. (2004). Each group needs at least 2
    people with both values; when no change varies in either group the interval is the
    estimate itself.
    """
    confidence = check_confidence(confidence)
    tb, ta, t_missing = _pairs(treated_before, treated_after, "treated")
    cb, ca, c_missing = _pairs(control_before, control_after, "control")
    _at_least(tb.size, 2, "treated")
    _at_least(cb.size, 2, "control")
    dt_, dc = ta - tb, ca - cb
    estimate, low, high, df = _welch(dt_, dc, confidence)
    return Lift(kind="did", method="welch", estimate=estimate, low=low, high=high,
                n_treated=int(tb.size), n_control=int(cb.size), confidence=confidence,
                treated=float(dt_.mean()), control=float(dc.mean()),
                treated_before=float(tb.mean()), control_before=float(cb.mean()), df=df,
                binary=_is_binary(tb, ta, cb, ca), missing=t_missing + c_missing)


def newcombe_interval(x_treated: int, n_treated: int, x_control: int, n_control: int,
                      confidence: float = 0.95) -> tuple[float, float]:
    """Newcombe's (1998b, method 10) hybrid score interval for p_treated − p_control.

    With (l₁, u₁) and (l₂, u₂) the Wilson intervals of p₁ = x₁/n₁ and p₂ = x₂/n₂::

        low  = p₁ − p₂ − √((p₁ − l₁)² + (u₂ − p₂)²)
        high = p₁ − p₂ + √((u₁ − p₁)² + (p₂ − l₂)²)

    Newcombe's Table II, example (a): 56/70 − 48/80 = 0.2000 [0.0524, 0.3339].
    """
    confidence = check_confidence(confidence)
    p1, p2 = x_treated / n_treated, x_control / n_control
    l1, u1 = wilson_interval(x_treated, n_treated, confidence)
    l2, u2 = wilson_interval(x_control, n_control, confidence)
    diff = p1 - p2
    low = diff - math.sqrt((p1 - l1) ** 2 + (u2 - p2) ** 2)
    high = diff + math.sqrt((u1 - p1) ** 2 + (p2 - l2) ** 2)
    return max(-1.0, low), min(1.0, high)


def holdout(treated: object, control: object, *, confidence: float = 0.95) -> Lift:
    """The difference between the people reached and a random control group, after the action.

    When every value is 0 or 1, the difference of proportions with Newcombe's hybrid score
    interval (:func:`newcombe_interval`; each group needs 1 person); otherwise the difference
    of means with Welch's interval (each group needs 2 people).
    """
    confidence = check_confidence(confidence)
    t, c = _values(treated, "treated"), _values(control, "control")
    missing = int(np.isnan(t).sum() + np.isnan(c).sum())
    t, c = t[~np.isnan(t)], c[~np.isnan(c)]
    binary = _is_binary(t, c)
    minimum = 1 if binary else 2
    _at_least(t.size, minimum, "treated")
    _at_least(c.size, minimum, "control")
    if binary:
        xt, xc = int(t.sum()), int(c.sum())
        low, high = newcombe_interval(xt, t.size, xc, c.size, confidence)
        estimate, df, method = xt / t.size - xc / c.size, None, "newcombe"
    else:
        estimate, low, high, df = _welch(t, c, confidence)
        method = "welch"
    return Lift(kind="holdout", method=method, estimate=float(estimate), low=low, high=high,
                n_treated=int(t.size), n_control=int(c.size), confidence=confidence,
                treated=float(t.mean()), control=float(c.mean()), df=df, binary=binary,
                missing=missing)
