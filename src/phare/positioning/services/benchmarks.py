"""Writes to a study's benchmarks: outside figures, never without their source and date."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from phare.positioning.models import Benchmark, Study
from phare.positioning.services.statements import refuse_unless_manager


@transaction.atomic
def benchmark_save(*, user: Any, study: Study, benchmark: Benchmark | None = None,
                   label_fr: str, label_en: str = "", value: Decimal | float | int | str,
                   unit: str = "", attribute: str = "", source: str, source_url: str = "",
                   as_of: dt.date | None) -> Benchmark:
    """Create (``benchmark`` None) or change a benchmark of ``study``. The source and the date
    are required (an unsourced figure is never shown); ``attribute``, when given, is the code
    of one of the study's attributes."""
    refuse_unless_manager(user)
    if benchmark is None:
        benchmark = Benchmark(study=study)
    else:
        benchmark = Benchmark.objects.select_for_update().get(pk=benchmark.pk, study=study)
    benchmark.label_fr, benchmark.label_en = label_fr.strip(), label_en.strip()
    benchmark.value = value  # full_clean converts and checks it
    benchmark.unit, benchmark.attribute = unit.strip(), attribute.strip()
    benchmark.source, benchmark.source_url = source.strip(), source_url.strip()
    benchmark.as_of = as_of  # type: ignore[assignment]  # None is refused by full_clean
    errors: dict[str, list[ValidationError]] = {}
    try:
        benchmark.full_clean()
    except ValidationError as exc:
        for field, items in exc.error_dict.items():
            errors.setdefault(field, []).extend(items)
    if benchmark.attribute and not study.attributes.filter(code=benchmark.attribute).exists():
        errors.setdefault("attribute", []).append(ValidationError(
            _("The study has no attribute “%(code)s”.") % {"code": benchmark.attribute},
            code="unknown"))
    if errors:
        raise ValidationError(errors)
    benchmark.save()
    return benchmark


@transaction.atomic
def benchmark_delete(*, user: Any, benchmark: Benchmark) -> None:
    """Delete a benchmark."""
    refuse_unless_manager(user)
    benchmark.delete()
