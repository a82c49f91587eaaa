"""A service's content as plain data: what owners edit, what history compares, what files carry.

``content_of(service)`` gives a JSON-able dict; ``check_content`` lists what is wrong with one;
``diff`` says which fields differ; :func:`phare.catalog.services.apply_content` writes one to a
service (this module only reads). The edit form, the pending changes of a published service,
the history and the import/export all use this one shape, so an exported catalogue imports
back to no change at all.

Shape (every key always present; strings unless said):
  name_fr name_en promise_fr promise_en description_fr description_en how_to_get_fr
  how_to_get_en request_url keywords  — text ("" when empty)
  family            — the offer family's code
  audience_everyone — bool
  audience_units, audience_sites, audience_job_families — sorted lists of codes
  cost_unit, charging — choice values; unit_cost, annual_run_cost — "12.50" or ""
  owner, deputy     — employee ids or ""
  related           — sorted list of service slugs; replacement — a slug or ""
  commitments       — [{"text_fr", "text_en", "target" ("95" or "95.5"), "unit"}]
  faqs              — [{"question_fr", "question_en", "answer_fr", "answer_en"}]
  news              — [{"date" (YYYY-MM-DD), "title_fr", "title_en", "body_fr", "body_en"}]
Lifecycle and publication are not content: they change through their own actions.
"""

from __future__ import annotations

import datetime as dt
from contextlib import suppress
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from phare.catalog.models import Commitment, OfferFamily, Service
from phare.directory.models import BusinessUnit, JobFamily, Person, Site

Content = dict[str, Any]

TEXT_FIELDS = [
    "name_fr", "name_en", "promise_fr", "promise_en", "description_fr", "description_en",
    "how_to_get_fr", "how_to_get_en", "request_url", "keywords",
]
REQUIRED_TEXT = ["name_fr", "promise_fr"]
CODE_LISTS: dict[str, type[BusinessUnit] | type[Site] | type[JobFamily]] = {
    "audience_units": BusinessUnit,
    "audience_sites": Site,
    "audience_job_families": JobFamily,
}
MONEY_FIELDS = ["unit_cost", "annual_run_cost"]
CHILD_FIELDS = {
    "commitments": ["text_fr", "text_en", "target", "unit"],
    "faqs": ["question_fr", "question_en", "answer_fr", "answer_en"],
    "news": ["date", "title_fr", "title_en", "body_fr", "body_en"],
}
FIELDS = [
    *TEXT_FIELDS, "family", "audience_everyone", *CODE_LISTS, "cost_unit", "unit_cost",
    "charging", "annual_run_cost", "owner", "deputy", "related", "replacement", *CHILD_FIELDS,
]

#: How people read each field's name in the history and the pending changes.
FIELD_LABELS = {
    "name_fr": gettext_lazy("Name (French)"), "name_en": gettext_lazy("Name (English)"),
    "promise_fr": gettext_lazy("Promise (French)"),
    "promise_en": gettext_lazy("Promise (English)"),
    "description_fr": gettext_lazy("Description (French)"),
    "description_en": gettext_lazy("Description (English)"),
    "how_to_get_fr": gettext_lazy("How to get it (French)"),
    "how_to_get_en": gettext_lazy("How to get it (English)"),
    "request_url": gettext_lazy("Request link"),
    "keywords": gettext_lazy("Keywords and synonyms"), "family": gettext_lazy("Offer family"),
    "audience_everyone": gettext_lazy("For everyone"),
    "audience_units": gettext_lazy("Business units"), "audience_sites": gettext_lazy("Sites"),
    "audience_job_families": gettext_lazy("Job families"),
    "cost_unit": gettext_lazy("Cost unit"), "unit_cost": gettext_lazy("Unit cost (€)"),
    "charging": gettext_lazy("Charging"),
    "annual_run_cost": gettext_lazy("Annual run cost (€)"),
    "owner": gettext_lazy("Owner"), "deputy": gettext_lazy("Deputy"),
    "related": gettext_lazy("Related services"), "replacement": gettext_lazy("Replaced by"),
    "commitments": gettext_lazy("Commitments"), "faqs": gettext_lazy("Questions people ask"),
    "news": gettext_lazy("What's new"), "lifecycle": gettext_lazy("Lifecycle"),
    "publication": gettext_lazy("Publication"),
}


def field_label(name: str) -> Any:
    return FIELD_LABELS.get(name, name)


def _money(value: Decimal | None) -> str:
    return "" if value is None else f"{value:.2f}"


def _number(value: Decimal) -> str:
    text = f"{value:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def content_of(service: Service) -> Content:
    """The service's current content (the published one for a published service)."""
    data: Content = {name: getattr(service, name) for name in TEXT_FIELDS}
    data["family"] = service.family.code
    data["audience_everyone"] = service.audience_everyone
    for name in CODE_LISTS:
        data[name] = sorted(getattr(service, name).values_list("code", flat=True))
    data["cost_unit"], data["charging"] = service.cost_unit, service.charging
    for name in MONEY_FIELDS:
        data[name] = _money(getattr(service, name))
    data["owner"] = service.owner.employee_id if service.owner is not None else ""
    data["deputy"] = service.deputy.employee_id if service.deputy is not None else ""
    data["related"] = sorted(service.related.values_list("slug", flat=True))
    data["replacement"] = service.replacement.slug if service.replacement is not None else ""
    data["commitments"] = [
        {"text_fr": c.text_fr, "text_en": c.text_en, "target": _number(c.target), "unit": c.unit}
        for c in service.commitments.all()
    ]
    data["faqs"] = [
        {"question_fr": f.question_fr, "question_en": f.question_en, "answer_fr": f.answer_fr,
         "answer_en": f.answer_en}
        for f in service.faqs.all()
    ]
    data["news"] = [
        {"date": n.date.isoformat(), "title_fr": n.title_fr, "title_en": n.title_en,
         "body_fr": n.body_fr, "body_en": n.body_en}
        for n in service.news.all()
    ]
    return data


def effective_content(service: Service) -> Content:
    """What an editor sees: the pending changes over the current content."""
    return {**content_of(service), **(service.pending or {})}


def normalise(data: Content) -> Content:
    """Tidy a submitted content dict: strip text, sort code lists (so equal means unchanged)."""
    out = dict(data)
    for name in TEXT_FIELDS:
        out[name] = str(out.get(name) or "").strip()
    for name in [*CODE_LISTS, "related"]:
        out[name] = sorted({str(v).strip() for v in out.get(name) or [] if str(v).strip()})
    for name in ["family", "owner", "deputy", "replacement", "cost_unit", "charging",
                 *MONEY_FIELDS]:
        out[name] = str(out.get(name) or "").strip()
    out["audience_everyone"] = bool(out.get("audience_everyone"))
    for name, keys in CHILD_FIELDS.items():
        out[name] = [{k: str(item.get(k) or "").strip() for k in keys}
                     for item in out.get(name) or []]
    for name in MONEY_FIELDS:
        if out[name]:
            # Left as typed when it is not a number: check_content reports it.
            with suppress(InvalidOperation):
                out[name] = _money(Decimal(out[name].replace(",", ".")))
    for item in out["commitments"]:
        with suppress(InvalidOperation):
            item["target"] = _number(Decimal(item["target"].replace(",", ".")))
    return out


def check_content(data: Content, *, slug: str | None = None,
                  known_slugs: set[str] | None = None) -> dict[str, str]:
    """Every problem of a (normalised) content dict, as {field: reason}; empty when valid.

    ``known_slugs`` are services that exist or are being created alongside (imports).
    """
    errors: dict[str, str] = {}
    for name in REQUIRED_TEXT:
        if not data[name]:
            errors[name] = _("a value is required")
    for name, limit in (("name_fr", 120), ("name_en", 120), ("promise_fr", 200),
                        ("promise_en", 200), ("request_url", 500)):
        if len(data[name]) > limit:
            errors[name] = _("at most %(limit)d characters (%(count)d given)") % {
                "limit": limit, "count": len(data[name])}
    if data["request_url"] and "request_url" not in errors:
        try:
            URLValidator(schemes=["http", "https"])(data["request_url"])
        except ValidationError:
            errors["request_url"] = _("'%(value)s' is not an http(s) link") % {
                "value": data["request_url"]}
    if not data["family"]:
        errors["family"] = _("a value is required")
    elif not OfferFamily.objects.filter(code=data["family"]).exists():
        errors["family"] = _("'%(value)s' is not an offer family") % {"value": data["family"]}
    for name, model in CODE_LISTS.items():
        found = set(model.objects.filter(code__in=data[name]).values_list("code", flat=True))
        missing = [code for code in data[name] if code not in found]
        if missing:
            errors[name] = _("unknown codes: %(codes)s") % {"codes": ", ".join(missing)}
    if not data["audience_everyone"] and not any(data[name] for name in CODE_LISTS):
        errors["audience_everyone"] = _(
            "choose everyone, or at least one business unit, site or job family")
    choices = {"cost_unit": Service.CostUnit.values, "charging": Service.Charging.values}
    for name, allowed in choices.items():
        if data[name] not in allowed:
            errors[name] = _("'%(value)s' is not one of %(choices)s") % {
                "value": data[name], "choices": ", ".join(allowed)}
    for name in MONEY_FIELDS:
        if data[name]:
            try:
                amount = Decimal(data[name])
            except InvalidOperation:
                errors[name] = _("'%(value)s' is not an amount") % {"value": data[name]}
                continue
            if amount < 0 or amount >= Decimal("1e9"):
                errors[name] = _("'%(value)s' is out of range") % {"value": data[name]}
    if data["cost_unit"] != Service.CostUnit.NONE and not data["unit_cost"]:
        errors.setdefault("unit_cost", _("a unit cost is required with this cost unit"))
    for name in ("owner", "deputy"):
        if data[name] and not Person.objects.filter(employee_id=data[name], active=True).exists():
            errors[name] = _("'%(value)s' is not an active person of the directory") % {
                "value": data[name]}
    if data["owner"] and data["owner"] == data["deputy"]:
        errors["deputy"] = _("the deputy must be someone other than the owner")
    slugs = known_slugs if known_slugs is not None else set(
        Service.objects.values_list("slug", flat=True))
    unknown = [s for s in data["related"] if s not in slugs]
    if unknown:
        errors["related"] = _("unknown services: %(slugs)s") % {"slugs": ", ".join(unknown)}
    elif slug and slug in data["related"]:
        errors["related"] = _("a service cannot be related to itself")
    if data["replacement"]:
        if data["replacement"] not in slugs:
            errors["replacement"] = _("unknown service: %(slug)s") % {"slug": data["replacement"]}
        elif data["replacement"] == slug:
            errors["replacement"] = _("a service cannot replace itself")
    _check_children(data, errors)
    return errors


def _check_children(data: Content, errors: dict[str, str]) -> None:
    for position, item in enumerate(data["commitments"], start=1):
        where = f"commitments[{position}]"
        if not item["text_fr"]:
            errors[f"{where}.text_fr"] = _("a value is required")
        try:
            target = Decimal(item["target"])
            if target < 0 or target >= Decimal("1e6"):
                raise InvalidOperation
        except InvalidOperation:
            errors[f"{where}.target"] = _("'%(value)s' is not a target number") % {
                "value": item["target"]}
        if item["unit"] not in Commitment.Unit.values:
            errors[f"{where}.unit"] = _("'%(value)s' is not one of %(choices)s") % {
                "value": item["unit"], "choices": ", ".join(Commitment.Unit.values)}
    for position, item in enumerate(data["faqs"], start=1):
        for key in ("question_fr", "answer_fr"):
            if not item[key]:
                errors[f"faqs[{position}].{key}"] = _("a value is required")
    for position, item in enumerate(data["news"], start=1):
        try:
            dt.date.fromisoformat(item["date"])
        except ValueError:
            errors[f"news[{position}].date"] = _("'%(value)s' is not a date (YYYY-MM-DD)") % {
                "value": item["date"]}
        if not item["title_fr"]:
            errors[f"news[{position}].title_fr"] = _("a value is required")


def diff(before: Content, after: Content) -> list[tuple[str, Any, Any]]:
    """The fields whose values differ, in ``FIELDS`` order, as (field, before, after)."""
    return [(name, before.get(name), after.get(name)) for name in FIELDS
            if before.get(name) != after.get(name)]
