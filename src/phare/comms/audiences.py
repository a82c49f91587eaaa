"""Audiences: the criteria of a saved segment, checked, evaluated when a message goes, and
said in words.

A criteria dict (``Audience.criteria``) holds any of these keys; keys combine with AND, the
values of a list with OR, and an empty dict is nobody (not everyone):

- ``units``: unit codes, with ``sub_units`` (default true: a unit includes its sub-units);
- ``sites``: site codes; ``job_families``: job family codes;
- ``managers``: employee ids, with ``reports``: ``"direct"`` or ``"all"`` (default: the line);
- ``services``: service slugs — everyone a service is for (its catalogue audience, the
  reverse of ``catalog.access.audience_filter``);
- ``usage``: ``{"service": slug, "state": "licensed_inactive" | "active", "days": 30}`` —
  holders of a licence who did not use the service during the last days, or its active users
  (read by ``usage.targeting``);
- ``needs``: ``{"needs": [ids], "decision": campaign id, "who": ["submitters", "voters",
  "followers"]}`` — people behind these needs or behind every need of a published decision;
- ``wave``: ``{"wave": id, "state": "non_respondents" | "invited"}`` — by invitation and
  participation only, never by answers (an anonymous survey's invitation keeps the day it was
  used, not the response: whether someone answered is known, what they answered is not);
- ``exclude``: nested criteria whose members are taken out.

Members are active people of the directory with an email address. An empty list counts as a
key not given. A saved audience is evaluated anew at each send: a code, slug or id that no
longer exists is refused (:class:`AudienceInvalid`) rather than silently widening or
narrowing who is written to.

Each kind of criterion costs at most one query of its own whatever the directory's size, the
people themselves one query per level of criteria (one more for an ``exclude``).
"""

from __future__ import annotations

import datetime as dt
import functools
import operator
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, TypeAlias

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from phare.catalog.models import Service
from phare.directory.models import BusinessUnit, JobFamily, Person, Site
from phare.listening.models import Invitation, Wave
from phare.needs.models import Campaign, Follow, Need, Vote
from phare.usage import targeting

KEYS = ("units", "sub_units", "sites", "job_families", "managers", "reports", "services",
        "usage", "needs", "wave", "exclude")
#: The keys that select people (the others qualify them).
SELECTING = ("units", "sites", "job_families", "managers", "services", "usage", "needs", "wave")
REPORTS = ("direct", "all")
WHO = ("submitters", "voters", "followers")
DEFAULT_WHO = ["submitters", "voters"]
WAVE_STATES = ("non_respondents", "invited")
DEFAULT_DAYS = 30
#: How deep ``exclude`` may nest (an exclusion of an exclusion…).
MAX_DEPTH = 3


class AudienceInvalid(ValueError):
    """Criteria refused: ``details`` lists ``(field, reason)``, fields as paths
    (``units[2]``, ``usage.service``, ``exclude.sites[0]``)."""

    def __init__(self, details: list[tuple[str, str]]) -> None:
        self.details = details
        self.message = _("The audience's criteria are not valid.")
        super().__init__("; ".join(f"{name}: {reason}" for name, reason in details))


# -- reading the criteria's shape ---------------------------------------------------------------


@dataclass
class _Reference:
    """A code, slug or id the criteria name, and where (checked against the database)."""

    kind: str  # unit, site, family, manager, service, need, campaign, wave
    value: Any
    path: str


@dataclass
class _Parsed:
    criteria: dict[str, Any]
    errors: list[tuple[str, str]] = field(default_factory=list)
    references: list[_Reference] = field(default_factory=list)


def _path(prefix: str, name: str) -> str:
    return f"{prefix}.{name}" if prefix else name


def _parse(criteria: object) -> _Parsed:
    """The criteria normalised (keys in order, lists without repeats, defaults written),
    with every error of shape and every reference to check."""
    out = _Parsed({})
    out.criteria = _parse_level(criteria, prefix="", depth=0, out=out)
    return out


def _parse_level(criteria: object, *, prefix: str, depth: int, out: _Parsed
                 ) -> dict[str, Any]:
    result: dict[str, Any] = {}
    if not isinstance(criteria, dict):
        out.errors.append((prefix or "criteria", _("Expected an object of criteria.")))
        return result
    for key in criteria:
        if key not in KEYS:
            out.errors.append((_path(prefix, str(key)), _("Unknown criterion.")))
    for key, kind in (("units", "unit"), ("sites", "site"), ("job_families", "family"),
                      ("managers", "manager"), ("services", "service")):
        codes = _codes(criteria.get(key), _path(prefix, key), kind, out)
        if codes:
            result[key] = codes
    # The qualifiers are checked even without what they qualify, kept only with it.
    sub_units = _flag(criteria.get("sub_units", True), _path(prefix, "sub_units"), out)
    reports = _choice(criteria.get("reports", "all"), _path(prefix, "reports"), REPORTS, out)
    if "units" in result:
        result["sub_units"] = sub_units
    if "managers" in result:
        result["reports"] = reports
    for key, parse in (("usage", _parse_usage), ("needs", _parse_needs),
                       ("wave", _parse_wave)):
        if criteria.get(key) is not None:
            result[key] = parse(criteria[key], _path(prefix, key), out)
    exclude = criteria.get("exclude")
    if exclude is not None and exclude != {}:
        name = _path(prefix, "exclude")
        if depth + 1 >= MAX_DEPTH:
            out.errors.append((name, _("Exclusions are nested too deeply.")))
        else:
            nested = _parse_level(exclude, prefix=name, depth=depth + 1, out=out)
            if nested:
                result["exclude"] = nested
    return {key: result[key] for key in KEYS if key in result}


def _codes(value: object, name: str, kind: str, out: _Parsed) -> list[Any]:
    """A list of codes (or employee ids, slugs), each once, in the order given."""
    if value is None:
        return []
    if not isinstance(value, list):
        out.errors.append((name, _("Expected a list.")))
        return []
    codes: list[Any] = []
    for index, item in enumerate(value):
        if not isinstance(item, str) or not item.strip():
            out.errors.append((f"{name}[{index}]", _("Expected a code (text).")))
            continue
        code = item.strip()
        if code not in codes:
            codes.append(code)
            out.references.append(_Reference(kind, code, f"{name}[{index}]"))
    return codes


def _identifier(value: object, name: str, kind: str, out: _Parsed) -> int | None:
    """An id (a number, or its digits as text)."""
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value.strip())
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        out.errors.append((name, _("Expected an identifier (a positive whole number).")))
        return None
    out.references.append(_Reference(kind, value, name))
    return value


def _flag(value: object, name: str, out: _Parsed) -> bool:
    if not isinstance(value, bool):
        out.errors.append((name, _("Expected true or false.")))
        return True
    return value


def _choice(value: object, name: str, choices: Iterable[str], out: _Parsed) -> str:
    choices = tuple(choices)
    if value not in choices:
        out.errors.append((name, _("Expected one of: %(choices)s.")
                           % {"choices": ", ".join(choices)}))
        return choices[0]
    return str(value)


def _object(value: object, name: str, fields: Iterable[str], out: _Parsed
            ) -> dict[str, Any] | None:
    if not isinstance(value, dict):
        out.errors.append((name, _("Expected an object.")))
        return None
    for key in value:
        if key not in fields:
            out.errors.append((f"{name}.{key}", _("Unknown field.")))
    return value


def _required(value: dict[str, Any], key: str, name: str, out: _Parsed) -> bool:
    if value.get(key) in (None, ""):
        out.errors.append((f"{name}.{key}", _("Required.")))
        return False
    return True


def _parse_usage(value: object, name: str, out: _Parsed) -> dict[str, Any]:
    given = _object(value, name, ("service", "state", "days"), out)
    if given is None:
        return {}
    result: dict[str, Any] = {"service": "", "state": targeting.LICENSED_INACTIVE,
                              "days": DEFAULT_DAYS}
    if _required(given, "service", name, out):
        service = given["service"]
        if isinstance(service, str) and service.strip():
            result["service"] = service.strip()
            out.references.append(_Reference("service", result["service"], f"{name}.service"))
        else:
            out.errors.append((f"{name}.service", _("Expected a code (text).")))
    if _required(given, "state", name, out):
        result["state"] = _choice(given["state"], f"{name}.state", targeting.STATES, out)
    days = given.get("days", DEFAULT_DAYS)
    limit = targeting.max_days()
    if isinstance(days, bool) or not isinstance(days, int) or not 1 <= days <= limit:
        out.errors.append((f"{name}.days", _("Expected a number of days from 1 to %(limit)s.")
                           % {"limit": limit}))
    else:
        result["days"] = days
    return result


def _parse_needs(value: object, name: str, out: _Parsed) -> dict[str, Any]:
    given = _object(value, name, ("needs", "decision", "who"), out)
    if given is None:
        return {}
    result: dict[str, Any] = {"needs": [], "decision": None, "who": list(DEFAULT_WHO)}
    needs = given.get("needs")
    if needs is not None and not isinstance(needs, list):
        out.errors.append((f"{name}.needs", _("Expected a list.")))
    elif needs:
        for index, item in enumerate(needs):
            pk = _identifier(item, f"{name}.needs[{index}]", "need", out)
            if pk is not None and pk not in result["needs"]:
                result["needs"].append(pk)
    if given.get("decision") is not None:
        result["decision"] = _identifier(given["decision"], f"{name}.decision", "campaign", out)
    if not needs and given.get("decision") is None:
        out.errors.append((name, _("Choose needs, or the campaign of a decision.")))
    who = given.get("who")
    if who is not None:
        if not isinstance(who, list) or not who:
            out.errors.append((f"{name}.who", _("Expected a list of: %(choices)s.")
                               % {"choices": ", ".join(WHO)}))
        else:
            chosen = {_choice(item, f"{name}.who[{index}]", WHO, out)
                      for index, item in enumerate(who)}
            result["who"] = [item for item in WHO if item in chosen]
    return result


def _parse_wave(value: object, name: str, out: _Parsed) -> dict[str, Any]:
    given = _object(value, name, ("wave", "state"), out)
    if given is None:
        return {}
    result: dict[str, Any] = {"wave": None, "state": WAVE_STATES[0]}
    if _required(given, "wave", name, out):
        result["wave"] = _identifier(given["wave"], f"{name}.wave", "wave", out)
    if _required(given, "state", name, out):
        result["state"] = _choice(given["state"], f"{name}.state", WAVE_STATES, out)
    return result


# -- what the criteria name, read once per kind -------------------------------------------------


@dataclass
class _Unit:
    pk: int
    parent: int | None
    name: str


@dataclass
class _Audience:
    """A catalogue service and who it is for."""

    pk: int
    names: dict[str, str]
    everyone: bool
    units: set[int] = field(default_factory=set)
    sites: set[int] = field(default_factory=set)
    families: set[int] = field(default_factory=set)


@dataclass
class _Decision:
    names: dict[str, str]
    published: bool
    needs: list[int]


@dataclass
class _WaveInfo:
    names: dict[str, str]
    survey: dict[str, str]


class _Lookups:
    """Everything the criteria name, each kind read with one query (only when named)."""

    def __init__(self, references: list[_Reference]) -> None:
        wanted: dict[str, set[Any]] = {}
        for ref in references:
            wanted.setdefault(ref.kind, set()).add(ref.value)
        self.units: dict[str, _Unit] = {}
        if "unit" in wanted or "service" in wanted:
            # The whole tree (small): sub-units are found from it, for services' audiences too.
            self.units = {code: _Unit(pk, parent, name) for code, pk, parent, name in
                          BusinessUnit.objects.values_list("code", "pk", "parent_id", "name")}
        self.sites = self._named(Site, wanted.get("site"))
        self.families = self._named(JobFamily, wanted.get("family"))
        self.managers: dict[str, tuple[int, str]] = {}
        if "manager" in wanted:
            self.managers = {
                eid: (pk, f"{first} {last}") for eid, pk, first, last in
                Person.objects.filter(employee_id__in=wanted["manager"]).values_list(
                    "employee_id", "pk", "first_name", "last_name")}
        self.services: dict[str, _Audience] = {}
        if "service" in wanted:
            rows = Service.objects.filter(slug__in=wanted["service"]).values_list(
                "slug", "pk", "name_fr", "name_en", "audience_everyone", "audience_units",
                "audience_sites", "audience_job_families")
            # One query: the audience's joins repeat a service once per combination.
            for slug, pk, name_fr, name_en, everyone, unit, site, family in rows:
                audience = self.services.setdefault(slug, _Audience(
                    pk, {"fr": name_fr, "en": name_en or name_fr}, everyone))
                for values, value in ((audience.units, unit), (audience.sites, site),
                                      (audience.families, family)):
                    if value is not None:
                        values.add(value)
        self.needs: dict[int, str] = {}
        if "need" in wanted:
            self.needs = dict(Need.objects.filter(pk__in=wanted["need"])
                              .values_list("pk", "title"))
        self.decisions: dict[int, _Decision] = {}
        if "campaign" in wanted:
            campaigns = Campaign.objects.filter(pk__in=wanted["campaign"]).values_list(
                "pk", "name_fr", "name_en", "decision__published_at",
                "decision__arbitration__inputs")
            for pk, name_fr, name_en, published_at, inputs in campaigns:
                inputs = inputs or {}
                ids = [int(n["id"]) for n in (inputs.get("needs") or [])
                       + (inputs.get("aside") or [])]
                self.decisions[pk] = _Decision({"fr": name_fr, "en": name_en or name_fr},
                                               published_at is not None, ids)
        self.waves: dict[int, _WaveInfo] = {}
        if "wave" in wanted:
            self.waves = {pk: _WaveInfo({"fr": name_fr, "en": name_en or name_fr},
                                        {"fr": title_fr, "en": title_en or title_fr})
                          for pk, name_fr, name_en, title_fr, title_en in
                          Wave.objects.filter(pk__in=wanted["wave"]).values_list(
                              "pk", "name_fr", "name_en", "survey__title_fr",
                              "survey__title_en")}

    @staticmethod
    def _named(model: Any, codes: set[str] | None) -> dict[str, tuple[int, str]]:
        if not codes:
            return {}
        return {code: (pk, name) for code, pk, name in
                model.objects.filter(code__in=codes).values_list("code", "pk", "name")}

    def missing(self, references: list[_Reference]) -> list[tuple[str, str]]:
        """The references that name nothing, and why."""
        errors = []
        for ref in references:
            reason = ""
            if ref.kind == "unit" and ref.value not in self.units:
                reason = _("No business unit has the code “%(code)s”.")
            elif ref.kind == "site" and ref.value not in self.sites:
                reason = _("No site has the code “%(code)s”.")
            elif ref.kind == "family" and ref.value not in self.families:
                reason = _("No job family has the code “%(code)s”.")
            elif ref.kind == "manager" and ref.value not in self.managers:
                reason = _("No one has the employee id “%(code)s”.")
            elif ref.kind == "service" and ref.value not in self.services:
                reason = _("No service has the identifier “%(code)s”.")
            elif ref.kind == "need" and ref.value not in self.needs:
                reason = _("No need has the number %(code)s.")
            elif ref.kind == "campaign":
                decision = self.decisions.get(ref.value)
                if decision is None:
                    reason = _("No arbitration campaign has the number %(code)s.")
                elif not decision.published:
                    reason = _("The decision of this campaign is not published.")
            elif ref.kind == "wave" and ref.value not in self.waves:
                reason = _("No survey wave has the number %(code)s.")
            if reason:
                errors.append((ref.path, reason % {"code": ref.value}))
        return errors

    def unit_ids(self, codes: Iterable[str], *, sub_units: bool) -> set[int]:
        """The units' ids, with every unit below them if ``sub_units``."""
        return self.below({self.units[code].pk for code in codes}) if sub_units else {
            self.units[code].pk for code in codes}

    def below(self, ids: set[int]) -> set[int]:
        """These units and every unit below them."""
        children: dict[int, list[int]] = {}
        for unit in self.units.values():
            if unit.parent is not None:
                children.setdefault(unit.parent, []).append(unit.pk)
        found, todo = set(ids), list(ids)
        while todo:
            for child in children.get(todo.pop(), []):
                if child not in found:
                    found.add(child)
                    todo.append(child)
        return found


def _prepare(criteria: object) -> tuple[dict[str, Any], _Lookups, list[tuple[str, str]]]:
    parsed = _parse(criteria)
    if parsed.errors:
        raise AudienceInvalid(parsed.errors)
    lookups = _Lookups(parsed.references)
    return parsed.criteria, lookups, lookups.missing(parsed.references)


def check(criteria: object) -> dict[str, Any]:
    """The criteria normalised (keys in order, each code once, defaults written, empty lists
    left out); :class:`AudienceInvalid` with every error when any is wrong."""
    normalised, _lookups, missing = _prepare(criteria)
    if missing:
        raise AudienceInvalid(missing)
    return normalised


# -- who they are ----------------------------------------------------------------------------

#: A criterion's people: a condition on ``Person``, a set of ids, or None (no restriction).
_Part: TypeAlias = "Q | set[int] | None"


def _part_units(criteria: dict[str, Any], lookups: _Lookups, today: dt.date) -> _Part:
    ids = lookups.unit_ids(criteria["units"], sub_units=criteria["sub_units"])
    return Q(business_unit_id__in=sorted(ids))


def _part_sites(criteria: dict[str, Any], lookups: _Lookups, today: dt.date) -> _Part:
    return Q(site_id__in=sorted(lookups.sites[code][0] for code in criteria["sites"]))


def _part_job_families(criteria: dict[str, Any], lookups: _Lookups, today: dt.date) -> _Part:
    return Q(job_family_id__in=sorted(lookups.families[code][0]
                                      for code in criteria["job_families"]))


def _part_managers(criteria: dict[str, Any], lookups: _Lookups, today: dt.date) -> _Part:
    bosses = {lookups.managers[eid][0] for eid in criteria["managers"]}
    if criteria["reports"] == "direct":
        return Q(manager_id__in=sorted(bosses))
    # The whole line: the reporting tree read once, walked here (no query per level).
    reports: dict[int, list[int]] = {}
    for pk, manager in Person.objects.filter(manager__isnull=False).values_list(
            "pk", "manager_id").iterator(chunk_size=20_000):
        reports.setdefault(manager, []).append(pk)
    found: set[int] = set()
    todo = list(bosses)
    while todo:
        for pk in reports.get(todo.pop(), []):
            if pk not in found:
                found.add(pk)
                todo.append(pk)
    return found - bosses


def _part_services(criteria: dict[str, Any], lookups: _Lookups, today: dt.date) -> _Part:
    """Everyone a service is for: for everyone, or matching every audience dimension that
    lists something (a unit or one above theirs, a site, a job family) — as the portal
    decides (``catalog.access.audience_filter``), read the other way round."""
    conditions = []
    for slug in criteria["services"]:
        audience = lookups.services[slug]
        condition = Q()
        if audience.units:
            condition &= Q(business_unit_id__in=sorted(lookups.below(audience.units)))
        if audience.sites:
            condition &= Q(site_id__in=sorted(audience.sites))
        if audience.families:
            condition &= Q(job_family_id__in=sorted(audience.families))
        if audience.everyone or not condition:
            return None  # a dimension that lists nothing restricts no one
        conditions.append(condition)
    return functools.reduce(operator.or_, conditions)


def _part_usage(criteria: dict[str, Any], lookups: _Lookups, today: dt.date) -> _Part:
    usage = criteria["usage"]
    return targeting.people(service=lookups.services[usage["service"]].pk,
                            state=usage["state"], days=usage["days"], today=today)


def _part_needs(criteria: dict[str, Any], lookups: _Lookups, today: dt.date) -> _Part:
    spec = criteria["needs"]
    ids = set(spec["needs"])
    if spec["decision"] is not None:
        ids |= set(lookups.decisions[spec["decision"]].needs)
    if not ids:
        return set()
    ordered = sorted(ids)
    sources = {"submitters": Need.objects.filter(pk__in=ordered).values("submitter_id"),
               "voters": Vote.objects.filter(need_id__in=ordered).values("person_id"),
               "followers": Follow.objects.filter(need_id__in=ordered).values("person_id")}
    return functools.reduce(operator.or_, [Q(pk__in=sources[who]) for who in spec["who"]])


def _part_wave(criteria: dict[str, Any], lookups: _Lookups, today: dt.date) -> _Part:
    spec = criteria["wave"]
    invitations = Invitation.objects.filter(wave_id=spec["wave"])
    if spec["state"] == "non_respondents":
        # Whether the invitation was used (its day), never what was answered.
        invitations = invitations.filter(responded_on__isnull=True)
    return Q(pk__in=invitations.values("person_id"))


_PARTS: dict[str, Callable[[dict[str, Any], _Lookups, dt.date], _Part]] = {
    "units": _part_units, "sites": _part_sites, "job_families": _part_job_families,
    "managers": _part_managers, "services": _part_services, "usage": _part_usage,
    "needs": _part_needs, "wave": _part_wave}


def _reachable() -> Q:
    return Q(active=True) & ~Q(email="")


def _evaluate(criteria: dict[str, Any], lookups: _Lookups, today: dt.date) -> set[int]:
    if not any(key in criteria for key in SELECTING):
        return set()
    condition = _reachable()
    sets: list[set[int]] = []
    for key in SELECTING:
        if key not in criteria:
            continue
        part = _PARTS[key](criteria, lookups, today)
        if isinstance(part, set):
            if not part:
                return set()
            sets.append(part)
        elif part is not None:
            condition &= part
    people = set(Person.objects.filter(condition).values_list("pk", flat=True)
                 .iterator(chunk_size=20_000))
    for ids in sets:
        people &= ids
    if criteria.get("exclude") and people:
        people -= _evaluate(criteria["exclude"], lookups, today)
    return people


def _today(now: dt.datetime | None) -> dt.date:
    if now is None:
        return timezone.localdate()
    return timezone.localdate(now) if timezone.is_aware(now) else now.date()


def members(criteria: object, *, now: dt.datetime | None = None) -> list[int]:
    """The ids of the audience's people today (active, with an email), sorted; raises
    :class:`AudienceInvalid` when the criteria are wrong or name what no longer exists."""
    normalised, lookups, missing = _prepare(criteria)
    if missing:
        raise AudienceInvalid(missing)
    return sorted(_evaluate(normalised, lookups, _today(now)))


def size(criteria: object, *, now: dt.datetime | None = None) -> int:
    """How many people the criteria reach now. Not for display as is: a page shows it
    through the disclosure rules (``phare.analysis.disclosure``)."""
    return len(members(criteria, now=now))


def everyone() -> list[int]:
    """Every active person of the directory with an email, sorted by id."""
    return list(Person.objects.filter(_reachable()).order_by("pk")
                .values_list("pk", flat=True))


def action_members(action: Any, *, now: dt.datetime | None = None) -> list[int]:
    """Whom an action is for: everyone for a company-wide one, else its audience's members
    (nobody without an audience)."""
    if action.everyone:
        return everyone()
    if action.audience_id is None:
        return []
    return members(action.audience.criteria, now=now)


# -- in words -------------------------------------------------------------------------------


def _or(items: list[str]) -> str:
    if len(items) < 2:
        return "".join(items)
    return _("%(first)s or %(last)s") % {"first": ", ".join(items[:-1]), "last": items[-1]}


def _quoted(text: str) -> str:
    return _("“%(text)s”") % {"text": text}


def _in_language(names: dict[str, str]) -> str:
    return names.get((get_language() or "fr")[:2]) or names["fr"]


def describe(criteria: object) -> list[str]:
    """One sentence per criterion, in the active language, naming units, services, needs…
    by their names (a code that no longer exists is shown as it is)."""
    normalised, lookups, _missing = _prepare(criteria)
    sentences = [] if any(key in normalised for key in SELECTING) else [
        _("Nobody: no criterion is chosen")]
    return sentences + _sentences(normalised, lookups)


def _sentences(criteria: dict[str, Any], lookups: _Lookups) -> list[str]:
    out = []

    def named(table: dict[str, Any], codes: list[str], index: int = 1) -> str:
        return _or([str(table[code][index]) if code in table else code for code in codes])

    if "units" in criteria:
        units = _or([lookups.units[code].name if code in lookups.units else code
                     for code in criteria["units"]])
        out.append((_("People of %(units)s, with their sub-units") if criteria["sub_units"]
                    else _("People of %(units)s, not their sub-units")) % {"units": units})
    if "sites" in criteria:
        out.append(_("People working at %(sites)s")
                   % {"sites": named(lookups.sites, criteria["sites"])})
    if "job_families" in criteria:
        out.append(_("People of the job family %(families)s")
                   % {"families": named(lookups.families, criteria["job_families"])})
    if "managers" in criteria:
        managers = named(lookups.managers, criteria["managers"])
        out.append((_("People reporting to %(managers)s, their whole line")
                    if criteria["reports"] == "all"
                    else _("People reporting directly to %(managers)s"))
                   % {"managers": managers})
    if "services" in criteria:
        out.append(_("Everyone a service is for: %(services)s") % {"services": _or([
            _in_language(lookups.services[slug].names) if slug in lookups.services else slug
            for slug in criteria["services"]])})
    if "usage" in criteria:
        usage = criteria["usage"]
        known = lookups.services.get(usage["service"])
        values = {"service": _in_language(known.names) if known else usage["service"],
                  "days": usage["days"]}
        if usage["state"] == targeting.LICENSED_INACTIVE:
            out.append(ngettext(
                "People with a licence of %(service)s who have not used it in the last day",
                "People with a licence of %(service)s who have not used it in the last "
                "%(days)s days", usage["days"]) % values)
        else:
            out.append(ngettext("People who used %(service)s in the last day",
                                "People who used %(service)s in the last %(days)s days",
                                usage["days"]) % values)
    if "needs" in criteria:
        out.append(_needs_sentence(criteria["needs"], lookups))
    if "wave" in criteria:
        spec = criteria["wave"]
        info = lookups.waves.get(spec["wave"])
        values = {"wave": _quoted(_in_language(info.names) if info else str(spec["wave"])),
                  "survey": _in_language(info.survey) if info else "?"}
        out.append((_("People invited to %(wave)s of %(survey)s who have not answered")
                    if spec["state"] == "non_respondents"
                    else _("Everyone invited to %(wave)s of %(survey)s")) % values)
    if "exclude" in criteria:
        out.append(_("Except: %(criteria)s")
                   % {"criteria": "; ".join(_sentences(criteria["exclude"], lookups))})
    return out


def _needs_sentence(spec: dict[str, Any], lookups: _Lookups) -> str:
    labels = {"submitters": _("submitters"), "voters": _("voters"),
              "followers": _("followers")}
    who = _or([labels[item] for item in spec["who"]])
    needs = _or([_quoted(lookups.needs.get(pk, str(pk))) for pk in spec["needs"]])
    decision = lookups.decisions.get(spec["decision"]) if spec["decision"] else None
    campaign = _quoted(_in_language(decision.names) if decision else str(spec["decision"]))
    if spec["needs"] and spec["decision"]:
        return (_("The %(who)s of the needs %(needs)s or of the needs decided in %(campaign)s")
                % {"who": who, "needs": needs, "campaign": campaign})
    if spec["needs"]:
        return _("The %(who)s of the needs %(needs)s") % {"who": who, "needs": needs}
    return _("The %(who)s of the needs decided in %(campaign)s") % {"who": who,
                                                                    "campaign": campaign}
