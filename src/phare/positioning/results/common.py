"""What the results share: the reasons a figure is hidden, labels of groups, the released
counts of a breakdown, and the shares of a choice with its rare options hidden.

Every count of people goes through :mod:`phare.analysis.disclosure` (``docs/PRIVACY.md``):
a hidden figure is ``None`` and is said as "too few answers", never as a small number.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Hashable, Mapping
from dataclasses import dataclass, field
from typing import TypeVar

import pandas as pd
from django.utils.translation import gettext as _

from phare.analysis import disclosure

K = TypeVar("K", bound=Hashable)

#: The dimensions a result breaks people down by: ``StudyData.people`` columns.
DIMENSIONS = ("top_unit", "site", "job_family")


def too_few_answers(k: int) -> str:
    """The reason of a hidden result: never the number of answers, only the threshold."""
    return _("Too few answers: results are shown from %(k)d released answers.") % {"k": k}


@dataclass(frozen=True)
class Names:
    """Human names of codes, per dimension (``top_unit``, ``site``, ``job_family``, and each
    profile question's code: option code → label)."""

    by_dimension: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    #: The title of each dimension that is a profile question.
    titles: Mapping[str, str] = field(default_factory=dict)

    def title(self, dimension: str) -> str:
        return self.titles.get(dimension, dimension)

    def name(self, dimension: str, code: str) -> str:
        if not code:
            return _("(not known)")
        return self.by_dimension.get(dimension, {}).get(code, code)


def released_counts(counts: Mapping[K, int], k: int, *, residual: int = 0
                    ) -> dict[K, int | None]:
    """The counts of a breakdown as they may be shown: a hidden cell (rules 1–2) is None."""
    hidden = disclosure.suppress(counts, k, residual=residual)
    return {key: (None if key in hidden else n) for key, n in counts.items()}


@dataclass(frozen=True)
class Share:
    """One option of a choice among people: its code, label, people and share (None when
    hidden), of the people who answered."""

    code: str
    label: str
    n: int | None
    share: float | None


def choice_shares(answers: pd.Series, options: list[str], labels: Mapping[str, str], k: int
                  ) -> list[Share]:
    """The shares of a single choice (one code or None per person): options chosen by 1 to
    k−1 people hidden, with complementary suppression (people who did not answer are the
    residual); shares are of the people who answered."""
    answered = answers.dropna()
    counts = {code: int((answered == code).sum()) for code in options}
    residual = int(len(answered) - sum(counts.values()))
    shown = released_counts(counts, k, residual=residual + int(answers.isna().sum()))
    total = len(answered)
    return [Share(code=code, label=labels.get(code, code), n=shown[code],
                  share=(None if shown[code] is None or not total
                         else shown[code] / total))  # type: ignore[operator]
            for code in options]


def normalise(name: str) -> str:
    """A tool name compared as people mean it: case, accents and spacing left out."""
    text = unicodedata.normalize("NFKD", name)
    text = "".join(c for c in text if not unicodedata.combining(c))
    return " ".join(text.casefold().split())
