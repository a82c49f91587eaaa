"""The glossary page: every metric of :mod:`phare.lib.metrics`, its definition, how it is
computed, its unit and where it appears."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render

from phare.accounts.policy import SignedInRequest, allow
from phare.accounts.roles import EVERYONE
from phare.lib.metrics import METRICS, UNIT_LABELS


@allow(EVERYONE)
def glossary(request: SignedInRequest) -> HttpResponse:
    """Every metric, in the registry's order."""
    entries = [(m, UNIT_LABELS[m.unit]) for m in METRICS.values()]
    return render(request, "core/glossary.html", {"entries": entries})
