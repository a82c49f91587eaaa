"""A service's history and pending changes as people read them: each field's label, choices by
their label, yes/no, money, people and other records by name, commitments with their unit.

What a revision stores is text (see :func:`as_text`, the one conversion from a content value);
:class:`Readable` turns that text back into words, looking every code up once per page.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils import formats
from django.utils.translation import gettext as _

from phare.catalog.content import field_label
from phare.catalog.models import Commitment, OfferFamily, Service
from phare.directory.models import BusinessUnit, JobFamily, Person, Site
from phare.lib.i18n import in_language

CHOICES: dict[str, type[Any]] = {
    "cost_unit": Service.CostUnit, "charging": Service.Charging,
    "lifecycle": Service.Lifecycle, "publication": Service.Publication,
}
MONEY = {"unit_cost", "annual_run_cost"}
PEOPLE = {"owner", "deputy"}
CODES: dict[str, type[BusinessUnit] | type[Site] | type[JobFamily]] = {
    "audience_units": BusinessUnit, "audience_sites": Site, "audience_job_families": JobFamily,
}
SLUGS = {"related", "replacement"}
#: Between the fields of one commitment, question or news entry in the stored text.
SEPARATOR = " | "


def as_text(value: Any) -> str:
    """A content value as a revision stores it."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        if value and isinstance(value[0], dict):
            return "\n".join(SEPARATOR.join(str(v) for v in item.values()) for item in value)
        return ", ".join(str(v) for v in value)
    return "" if value is None else str(value)


def _items(text: str) -> list[str]:
    return [item.strip() for item in text.split(",") if item.strip()]


def money(text: str) -> str:
    """``"150000.00"`` as ``150,000 €`` (``150 000 €`` in French), cents only when there are."""
    try:
        amount = Decimal(text)
    except InvalidOperation:
        return text
    decimals = 0 if amount == amount.to_integral_value() else 2
    return _("%(amount)s €") % {"amount": formats.number_format(
        amount, decimals, use_l10n=True, force_grouping=True)}


def _target(text: str) -> str:
    try:
        value = Decimal(text)
    except InvalidOperation:
        return text
    return formats.number_format(value.normalize(), None, use_l10n=True)


class Readable:
    """Stored field values made readable, with the names they mention read in a few queries."""

    def __init__(self, changes: Iterable[tuple[str, str, str]]) -> None:
        wanted: dict[str, set[str]] = {}
        for field, *values in changes:
            for text in values:
                if field in PEOPLE or field == "replacement" or field == "family":
                    wanted.setdefault(field if field != "deputy" else "owner", set()).add(text)
                elif field in CODES or field == "related":
                    wanted.setdefault(field if field != "related" else "replacement",
                                      set()).update(_items(text))
        self.names: dict[str, dict[str, str]] = {}
        if wanted.get("owner"):
            self.names["owner"] = {p.employee_id: p.full_name for p in Person.objects.filter(
                employee_id__in=wanted["owner"] - {""}).only("employee_id", "first_name",
                                                            "last_name")}
        if wanted.get("family"):
            self.names["family"] = {f.code: f.name for f in OfferFamily.objects.filter(
                code__in=wanted["family"])}
        if wanted.get("replacement"):
            self.names["replacement"] = {s.slug: s.name for s in Service.objects.filter(
                slug__in=wanted["replacement"]).only("slug", "name_fr", "name_en")}
        for field, model in CODES.items():
            if wanted.get(field):
                self.names[field] = dict(model.objects.filter(code__in=wanted[field])
                                         .values_list("code", "name"))

    def value(self, field: str, text: str) -> str:
        """One stored value in words ("" stays empty: the page shows a dash)."""
        if not text:
            return ""
        if field == "audience_everyone":
            return _("Yes") if text == "true" else _("No")
        if field in CHOICES:
            try:
                return str(CHOICES[field](text).label)
            except ValueError:
                return text
        if field in MONEY:
            return money(text)
        if field in PEOPLE or field == "family" or field == "replacement":
            names = self.names.get("owner" if field in PEOPLE else field, {})
            return names.get(text, text)
        if field in CODES or field == "related":
            names = self.names.get(field if field != "related" else "replacement", {})
            return ", ".join(names.get(code, code) for code in _items(text))
        if field == "commitments":
            return "\n".join(self._commitment(line) for line in text.splitlines() if line)
        if field == "faqs":
            return "\n".join(self._pair(line, 0) for line in text.splitlines() if line)
        if field == "news":
            return "\n".join(self._news(line) for line in text.splitlines() if line)
        return text

    def change(self, field: str, old: str, new: str) -> tuple[str, str, str]:
        return str(field_label(field)), self.value(field, old), self.value(field, new)

    @staticmethod
    def _pair(line: str, start: int) -> str:
        """The French or English text of a child record, as the reader's language asks."""
        parts = line.split(SEPARATOR)
        if len(parts) < start + 2:
            return line
        return in_language(_Texts(parts[start], parts[start + 1]), "text") or parts[start]

    def _commitment(self, line: str) -> str:
        head, _sep, unit = line.rpartition(SEPARATOR)
        texts, _sep, target = head.rpartition(SEPARATOR)
        if not texts:
            return line
        try:
            unit_label = str(Commitment.Unit(unit).label)
        except ValueError:
            unit_label = unit
        if unit == Commitment.Unit.PERCENT:
            amount = _("%(target)s %%") % {"target": _target(target)}
        else:
            amount = f"{_target(target)} {unit_label}"
        return _("%(commitment)s — %(target)s") % {
            "commitment": self._pair(texts, 0), "target": amount}

    def _news(self, line: str) -> str:
        parts = line.split(SEPARATOR)
        if len(parts) < 3:
            return line
        try:
            when = formats.date_format(dt.date.fromisoformat(parts[0]), "SHORT_DATE_FORMAT")
        except ValueError:
            when = parts[0]
        return f"{when} — {self._pair(SEPARATOR.join(parts[1:3]), 0)}"


class _Texts:
    """Attribute access to a child's two texts, for ``in_language``."""

    def __init__(self, text_fr: str, text_en: str) -> None:
        self.text_fr, self.text_en = text_fr, text_en
