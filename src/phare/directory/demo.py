"""Demo step for the directory: the group's units, sites, job families and people.

The whole organisation is planned in memory first (plain rows, drawn from ``ctx.rng`` only, in a
fixed order) and then written level by level of the management tree, so every manager already has
a primary key when their reports are inserted: one bulk insert per batch, no second pass.

Later demo steps find in ``ctx.shared``:

- ``"units"``, ``"sites"``, ``"job_families"``: code → BusinessUnit / Site / JobFamily;
- ``"unit_heads"``: unit code → the Person who heads it;
- ``"demo_people"``: ``"admin"``, ``"marketing"``, ``"owner"``, ``"cio"``, ``"employee"`` → Person;
- ``"people_count"``: how many people were made; ``"group"``: ``{"name": …, "domain": …}``.
"""

from __future__ import annotations

import random
import re
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from itertools import groupby

from phare.directory.demo_data import (
    GROUP_DOMAIN,
    GROUP_NAME,
    HEAD_FAMILY,
    JOB_FAMILIES,
    NAME_POOLS,
    PINNED_HEADS,
    SITES,
    UNITS,
    UnitSpec,
)
from phare.directory.models import BusinessUnit, JobFamily, Person, Site
from phare.lib.demo import DemoContext

MIN_EMPLOYEES = 100
MAX_EMPLOYEES = 200_000
BATCH_SIZE = 2000
# Spans of control: a manager has between MIN_SPAN and MAX_SPAN direct reports where possible.
MIN_SPAN, MAX_SPAN = 6, 12
INACTIVE_SHARE = 0.015
# Employee numbers are drawn from a range a bit wider than the staff, as if some people had left.
ID_HEADROOM = 1.25

_SITE_INDEX = {site.code: i for i, site in enumerate(SITES)}


@dataclass(frozen=True)
class _Unit:
    """A unit spec placed in the tree, with the weights it inherits resolved."""

    spec: UnitSpec
    parent: int | None
    sites: Mapping[str, float]
    families: Mapping[str, float]


@dataclass(slots=True)
class _Row:
    """One person being planned; indices point into the flattened units and ``SITES``."""

    unit: int
    site: int
    family: str
    head: bool = False
    manager: int = -1
    depth: int = 0
    reports: int = 0
    language: str = "fr"
    active: bool = True
    first_name: str = ""
    last_name: str = ""
    email: str = ""
    employee_id: str = ""
    pk: int | None = None


@dataclass
class _Plan:
    units: list[_Unit]
    rows: list[_Row]
    head_of: list[int]  # unit index → row index of its head
    personas: dict[str, int]  # persona → row index


def build(ctx: DemoContext) -> None:
    if not MIN_EMPLOYEES <= ctx.employees <= MAX_EMPLOYEES:
        raise ValueError(
            f"the demo organisation takes {MIN_EMPLOYEES:,} to {MAX_EMPLOYEES:,} employees, "
            f"not {ctx.employees:,}"
        )
    plan = _plan(ctx.rng, ctx.employees)

    units = _create_units(plan.units)
    sites = Site.objects.bulk_create(
        [Site(code=s.code, name=s.name, city=s.city, country=s.country) for s in SITES]
    )
    families = JobFamily.objects.bulk_create(
        [JobFamily(code=code, name=name) for code, name in JOB_FAMILIES]
    )
    top = sum(1 for unit in plan.units if unit.parent is None)
    ctx.say(
        f"directory: {GROUP_NAME}: {len(units)} business units ({top} top-level), "
        f"{len(sites)} sites, {len(families)} job families"
    )

    _insert_people(plan.rows, units, sites, {f.code: f for f in families})
    rows = plan.rows
    inactive = sum(1 for row in rows if not row.active)
    french = sum(1 for row in rows if row.language == "fr")
    ctx.say(
        f"directory: {len(rows):,} people ({inactive:,} inactive, "
        f"{french / len(rows):.0%} French-speaking), {max(r.depth for r in rows) + 1} "
        f"management levels"
    )

    wanted = [rows[i].pk for i in [*plan.head_of, *plan.personas.values()]]
    by_pk = Person.objects.select_related("business_unit", "site", "job_family", "manager").in_bulk(
        wanted
    )
    ctx.shared["group"] = {"name": GROUP_NAME, "domain": GROUP_DOMAIN}
    ctx.shared["units"] = {unit.code: unit for unit in units}
    ctx.shared["sites"] = {site.code: site for site in sites}
    ctx.shared["job_families"] = {family.code: family for family in families}
    ctx.shared["unit_heads"] = {
        plan.units[u].spec.code: by_pk[rows[i].pk] for u, i in enumerate(plan.head_of)
    }
    ctx.shared["demo_people"] = {name: by_pk[rows[i].pk] for name, i in plan.personas.items()}
    ctx.shared["people_count"] = len(rows)


# --- Planning: everything below until the database writes is pure and draws only from rng. ---


def _plan(rng: random.Random, employees: int) -> _Plan:
    units = _flatten(UNITS)
    rows: list[_Row] = []
    head_of: list[int] = []
    for index, unit in enumerate(units):
        head = _Row(unit=index, site=_SITE_INDEX[_main_site(unit)], family=HEAD_FAMILY, head=True)
        # Sub-unit heads report to their parent unit's head; top-unit heads to the CEO, who
        # heads the first unit (the Direction générale) and reports to no one.
        boss = head_of[unit.parent] if unit.parent is not None else head_of[0] if index else None
        if boss is not None:
            _report(rows, head, boss)
        head_of.append(len(rows))
        rows.append(head)

    leaves = [i for i, unit in enumerate(units) if not unit.spec.children]
    sizes = _apportion(employees - len(units), [units[i].spec.weight for i in leaves])
    members: dict[int, list[int]] = {}
    for unit_index, size in zip(leaves, sizes, strict=True):
        unit = units[unit_index]
        site_draws = rng.choices(
            [_SITE_INDEX[code] for code in unit.sites], weights=list(unit.sites.values()), k=size
        )
        family_draws = rng.choices(list(unit.families), weights=list(unit.families.values()),
                                   k=size)
        start = len(rows)
        rows.extend(_Row(unit=unit_index, site=s, family=f)
                    for s, f in zip(site_draws, family_draws, strict=True))
        members[unit_index] = list(range(start, len(rows)))
        _attach(rows, head_of[unit_index], members[unit_index], rng)

    for row in rows:
        row.language = "en" if rng.random() < SITES[row.site].english else "fr"
    personas = _choose_personas(rows, units, head_of, members)
    pinned = _pin_heads(rows, units, head_of)
    _make_inactive(rows, rng, excluded=set(personas.values()))
    _name(rows, rng, pinned)
    _address(rows, pinned)
    _number(rows, rng)
    return _Plan(units=units, rows=rows, head_of=head_of, personas=personas)


def _flatten(specs: tuple[UnitSpec, ...]) -> list[_Unit]:
    """The unit tree in pre-order (parents before children), with inherited weights resolved."""
    flat: list[_Unit] = []

    def visit(spec: UnitSpec, parent: int | None) -> None:
        above = flat[parent] if parent is not None else None
        sites = spec.sites or (above.sites if above else {})
        families = spec.families or (above.families if above else {})
        if not sites or not families:
            raise ValueError(f"demo unit {spec.code} has no sites or job families to inherit")
        flat.append(_Unit(spec=spec, parent=parent, sites=sites, families=families))
        index = len(flat) - 1
        for child in spec.children:
            visit(child, index)

    for spec in specs:
        visit(spec, None)
    return flat


def _main_site(unit: _Unit) -> str:
    # Heads work where most of their people are (the plant for Production…); first wins ties.
    return max(unit.sites, key=unit.sites.__getitem__)


def _apportion(total: int, weights: list[float]) -> list[int]:
    """Split ``total`` by ``weights`` (largest remainder), at least one each so no unit is empty."""
    rest = total - len(weights)
    if rest < 0:
        raise ValueError(f"{total} people cannot staff {len(weights)} units")
    scale = rest / sum(weights)
    shares = [w * scale for w in weights]
    sizes = [int(share) for share in shares]
    by_remainder = sorted(range(len(weights)), key=lambda i: sizes[i] - shares[i])
    for i in by_remainder[: rest - sum(sizes)]:
        sizes[i] += 1
    return [size + 1 for size in sizes]


def _report(rows: list[_Row], row: _Row, manager: int) -> None:
    row.manager = manager
    row.depth = rows[manager].depth + 1
    rows[manager].reports += 1


def _attach(rows: list[_Row], boss: int, team: list[int], rng: random.Random) -> None:
    """Place ``team`` under ``boss``: directly if it fits one span, else through team leads."""
    pending = [(boss, team)]
    while pending:
        boss, team = pending.pop()
        if len(team) <= MAX_SPAN:
            for i in team:
                _report(rows, rows[i], boss)
            continue
        # Leave at least MIN_SPAN people for the leads, so no lead ends up with one report.
        direct = team[: min(rng.randint(MIN_SPAN, MAX_SPAN), len(team) - MIN_SPAN)]
        rest = team[len(direct):]
        for i in direct:
            _report(rows, rows[i], boss)
        leads = min(len(direct), max(1, round(len(rest) / rng.randint(MIN_SPAN, MAX_SPAN))))
        for k in range(leads):
            part = rest[k * len(rest) // leads: (k + 1) * len(rest) // leads]
            pending.append((direct[k], part))


def _first(candidates: list[int], keep: Callable[[int], bool]) -> int:
    for i in candidates:
        if keep(i):
            return i
    raise ValueError("the demo data leaves no one to play a demo persona")


def _choose_personas(
    rows: list[_Row], units: list[_Unit], head_of: list[int], members: dict[int, list[int]]
) -> dict[str, int]:
    code = {unit.spec.code: i for i, unit in enumerate(units)}
    in_france = {i for i, site in enumerate(SITES) if site.country == "FR"}
    personas = {
        "admin": members[code["DSI-INFRA"]][0],  # every leaf unit has at least one member
        "marketing": head_of[code["DSI-MKT"]],
        "owner": members[code["DSI-APP"]][0],
        "cio": head_of[code["DSI"]],
        "employee": _first(
            members[code["VEN-FR"]], lambda i: rows[i].reports == 0 and rows[i].site in in_france
        ),
    }
    # The demo accounts speak French, like the default interface they are shown in.
    for i in personas.values():
        rows[i].language = "fr"
    return personas


def _pin_heads(rows: list[_Row], units: list[_Unit], head_of: list[int]) -> list[int]:
    pinned = []
    for u, unit in enumerate(units):
        if unit.spec.code in PINNED_HEADS:
            row = rows[head_of[u]]
            row.first_name, row.last_name = PINNED_HEADS[unit.spec.code]
            row.language = "fr"
            pinned.append(head_of[u])
    return pinned


def _make_inactive(rows: list[_Row], rng: random.Random, *, excluded: set[int]) -> None:
    # Only people without reports leave, so no active person is left under an inactive manager.
    candidates = [
        i for i, row in enumerate(rows) if row.reports == 0 and not row.head and i not in excluded
    ]
    for i in rng.sample(candidates, min(len(candidates), round(len(rows) * INACTIVE_SHARE))):
        rows[i].active = False


def _name(rows: list[_Row], rng: random.Random, pinned: list[int]) -> None:
    skip = set(pinned)
    for i, row in enumerate(rows):
        if i in skip:
            continue
        site = SITES[row.site]
        first_names, last_names = NAME_POOLS[site.pools[0 if row.language == "fr" else 1]]
        row.first_name = rng.choice(first_names)
        row.last_name = rng.choice(last_names)


@lru_cache(maxsize=4096)
def _ascii(name: str) -> str:
    """An email-safe name: ``"Marie-Ève"`` → ``"marie-eve"``, ``"N'Diaye"`` → ``"ndiaye"``."""
    decomposed = unicodedata.normalize("NFKD", name)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c)).lower()
    return re.sub(r"[^a-z0-9]+", "-", plain.replace("'", "")).strip("-")


def _address(rows: list[_Row], pinned: list[int]) -> None:
    """firstname.lastname@domain; namesakes get 2, 3…; the pinned heads choose first."""
    seen: dict[str, int] = {}
    skip = set(pinned)
    for i in [*pinned, *(i for i in range(len(rows)) if i not in skip)]:
        row = rows[i]
        local = f"{_ascii(row.first_name)}.{_ascii(row.last_name)}"
        # Names hold no digits, so "jean.martin2" can never clash with a real name.
        seen[local] = count = seen.get(local, 0) + 1
        row.email = f"{local}{count if count > 1 else ''}@{GROUP_DOMAIN}"


def _number(rows: list[_Row], rng: random.Random) -> None:
    numbers = rng.sample(range(1, int(len(rows) * ID_HEADROOM) + 1), len(rows))
    for row, number in zip(rows, numbers, strict=True):
        row.employee_id = f"E{number:06d}"


# --- Database writes. ---


def _create_units(units: list[_Unit]) -> list[BusinessUnit]:
    created: list[BusinessUnit] = []
    for unit in units:  # pre-order: each parent is saved before its children
        parent = created[unit.parent] if unit.parent is not None else None
        created.append(
            BusinessUnit.objects.create(code=unit.spec.code, name=unit.spec.name, parent=parent)
        )
    return created


def _insert_people(
    rows: list[_Row], units: list[BusinessUnit], sites: list[Site],
    families: dict[str, JobFamily],
) -> None:
    # Level by level of the tree: a batch never holds someone whose manager has no key yet.
    by_depth = sorted(range(len(rows)), key=lambda i: rows[i].depth)
    for _depth, level in groupby(by_depth, key=lambda i: rows[i].depth):
        indices = list(level)
        for start in range(0, len(indices), BATCH_SIZE):
            batch = [rows[i] for i in indices[start: start + BATCH_SIZE]]
            people = [
                Person(
                    employee_id=row.employee_id, first_name=row.first_name,
                    last_name=row.last_name, email=row.email, language=row.language,
                    business_unit_id=units[row.unit].pk, site_id=sites[row.site].pk,
                    job_family_id=families[row.family].pk,
                    manager_id=rows[row.manager].pk if row.manager >= 0 else None,
                    active=row.active,
                )
                for row in batch
            ]
            Person.objects.bulk_create(people, batch_size=BATCH_SIZE)
            for row, person in zip(batch, people, strict=True):
                row.pk = person.pk
