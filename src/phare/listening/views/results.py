"""The figures of a survey's numbers, sliders, constant sums, rankings and dates
(:mod:`phare.listening.kind_results`), overall or for one closed wave."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import get_language

from phare.accounts.policy import SignedInRequest, allow
from phare.accounts.roles import SURVEY_MANAGERS
from phare.listening import kind_results
from phare.listening.models import Survey


@allow(SURVEY_MANAGERS)
def kind_results_page(request: SignedInRequest, slug: str) -> HttpResponse:
    survey = get_object_or_404(Survey, slug=slug)
    waves = kind_results.waves_with_results(survey)
    wanted = request.GET.get("wave", "")
    wave = next((w for w in waves if str(w.number) == wanted), None)
    results = kind_results.kind_results(survey, wave=wave,
                                        language=(get_language() or "fr")[:2])
    return render(request, "listening/results/kinds.html",
                  {"survey": survey, "waves": waves, "wave": wave, "results": results,
                   "k": survey.min_group_size})
