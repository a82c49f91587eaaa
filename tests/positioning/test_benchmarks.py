"""Benchmarks: never without their source and date; an attribute named must be the study's."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from phare.positioning.models import Benchmark
from phare.positioning.services.benchmarks import benchmark_delete, benchmark_save
from tests.positioning.factories import make_study

pytestmark = pytest.mark.django_db

FIGURE: dict[str, Any] = {
    "label_fr": "Satisfaction moyenne des services IT", "value": "81.5", "unit": "%",
    "source": "HappySignals, Global IT Experience Benchmark",
    "source_url": "https://www.happysignals.com/global-it-experience-benchmark",
    "as_of": dt.date(2025, 3, 1)}


def test_it_saves_a_sourced_and_dated_figure(personas):
    study = make_study()
    saved = benchmark_save(user=personas["marketing"], study=study, attribute="support",
                           **FIGURE)
    saved.refresh_from_db()
    assert (saved.value, saved.attribute, saved.as_of) == (Decimal("81.50"), "support",
                                                           dt.date(2025, 3, 1))
    changed = benchmark_save(user=personas["admin"], study=study, benchmark=saved,
                             **{**FIGURE, "value": 79})
    assert changed.pk == saved.pk and Benchmark.objects.get().value == 79


def test_an_unsourced_or_undated_figure_is_refused(personas):
    study = make_study()
    with pytest.raises(ValidationError) as caught:
        benchmark_save(user=personas["marketing"], study=study,
                       **{**FIGURE, "source": "  ", "as_of": None, "attribute": "vitesse"})
    assert set(caught.value.message_dict) == {"source", "as_of", "attribute"}
    with pytest.raises(ValidationError) as caught:
        benchmark_save(user=personas["marketing"], study=study,
                       **{**FIGURE, "value": "beaucoup", "source_url": "pas une adresse"})
    assert set(caught.value.message_dict) == {"value", "source_url"}
    assert not Benchmark.objects.exists()


def test_only_managers_change_benchmarks(personas):
    study = make_study()
    with pytest.raises(PermissionDenied):
        benchmark_save(user=personas["executive"], study=study, **FIGURE)
    saved = benchmark_save(user=personas["marketing"], study=study, **FIGURE)
    with pytest.raises(PermissionDenied):
        benchmark_delete(user=personas["executive"], benchmark=saved)
    benchmark_delete(user=personas["marketing"], benchmark=saved)
    assert not Benchmark.objects.exists()
