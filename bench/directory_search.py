"""The directory's people search at scale: Phare's query beside the old unindexed one.

    .venv/bin/python bench/directory_search.py                      # 300,000 people, SQLite
    .venv/bin/python bench/directory_search.py --people 20000
    createdb -h 127.0.0.1 -U postgres phare_bench_search            # an EMPTY throw-away database
    .venv/bin/python bench/directory_search.py \\
        --postgres postgres://postgres@127.0.0.1:5432/phare_bench_search   # SQLite, then PostgreSQL
    dropdb -h 127.0.0.1 -U postgres phare_bench_search

For each database (SQLite in a throw-away ``PHARE_HOME``, then PostgreSQL when ``--postgres``
names one), it migrates, writes ``--people`` people with ``bulk_create`` (the demo's name pools,
addresses ``first.last@…`` with a number for namesakes, 1.5% inactive, 40 units), runs
``ANALYZE`` on PostgreSQL (as autovacuum would after such a load), then times realistic
searches, each ``--repeat`` times after one untimed run:

- ``list``: what the directory page reads for a search — ``queries.people_search`` through
  ``queries.PeoplePaginator``: the first page of 50 people with their unit, site, job family and
  manager, and the count (at most 1,000, then "more than");
- ``pick``: a person picker's answer (``queries.people_to_pick``, 20 people at most);
- ``old``: the baseline, measured in the same run on the same data: the query Phare ran before
  the search keys (each word folded by the database in ``first_name`` and ``last_name``, the
  address with ``icontains``, the employee id with ``iexact``; no index can serve it), its first
  page and its exact count, as the page read them. The new indexes exist during the baseline
  too: the index in the directory's order serves its first page.

It prints p50 and p95 in milliseconds, the ratio old / list, how many people each search found,
and on PostgreSQL the indexes the page's plan uses. Nothing is asserted. Times are server time
in the process (no HTTP); on a shared machine, compare within one run.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from typing import Any

#: (label, query): a surname, a first-name prefix, an address fragment, accented queries, a
#: first name and a surname (two common ones too), an employee id, no match, one and two
#: letters, a word as common as an address's domain.
SEARCHES = [
    ("surname", "dupont"),
    ("first-name prefix", "nath"),
    ("address fragment", "claire.ma"),
    ("accented", "Hélène"),
    ("accent folded", "gonzalez"),
    ("first + last", "marie lef"),
    ("common first+last", "jean martin"),
    ("employee id", "E000042"),
    ("no match", "zzqxw"),
    ("one letter", "e"),
    ("two letters", "ma"),
    ("very common", "mareval"),
]

POOLS = [("fr", 70), ("en", 8), ("es", 8), ("be_fr", 4), ("be_nl", 4), ("qc", 3), ("zh", 3)]
BATCH = 5000


def build(people: int, seed: int) -> None:
    """``people`` people (and 40 units) written with bulk_create; ANALYZE on PostgreSQL."""
    import re
    import unicodedata

    from django.db import connection

    from phare.directory.demo_data import GROUP_DOMAIN, NAME_POOLS
    from phare.directory.models import BusinessUnit, JobFamily, Person, Site

    rng = random.Random(seed)
    units = BusinessUnit.objects.bulk_create(
        [BusinessUnit(code=f"U{n:02d}", name=f"Unit {n}") for n in range(40)])
    site = Site.objects.create(code="PAR", name="Paris", city="Paris", country="FR")
    family = JobFamily.objects.create(code="IT", name="IT")
    pools = [pool for pool, weight in POOLS for _ in range(weight)]
    seen: dict[str, int] = {}

    def plain(name: str) -> str:
        decomposed = unicodedata.normalize("NFKD", name)
        text = "".join(c for c in decomposed if not unicodedata.combining(c)).lower()
        return re.sub(r"[^a-z0-9]+", "-", text.replace("'", "")).strip("-")

    started = time.perf_counter()
    for start in range(0, people, BATCH):
        batch = []
        for number in range(start, min(people, start + BATCH)):
            firsts, lasts = NAME_POOLS[rng.choice(pools)]
            first, last = rng.choice(firsts), rng.choice(lasts)
            local = f"{plain(first)}.{plain(last)}"
            seen[local] = count = seen.get(local, 0) + 1
            batch.append(Person(
                employee_id=f"E{number:06d}", first_name=first, last_name=last,
                email=f"{local}{count if count > 1 else ''}@{GROUP_DOMAIN}",
                business_unit=units[number % len(units)], site=site, job_family=family,
                active=rng.random() >= 0.015))
        Person.objects.bulk_create(batch)
    print(f"  {people:,} people written in {time.perf_counter() - started:.1f} s", flush=True)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE directory_person")


def old_search(q: str) -> Any:
    """The search as Phare ran it before the keys (src/phare/directory/queries.py then)."""
    from django.db.models import Q
    from django.db.models.lookups import Contains

    from phare.directory.models import Person
    from phare.directory.search import Folded, fold

    people = Person.objects.select_related("business_unit", "site", "job_family", "manager")
    people = people.filter(active=True)
    for word in q.split():
        folded = fold(word)
        people = people.filter(Q(Contains(Folded("first_name"), folded))
                               | Q(Contains(Folded("last_name"), folded))
                               | Q(employee_id__iexact=word) | Q(email__icontains=word))
    return people.order_by("last_name", "first_name", "employee_id")


def timed(run: Callable[[], Any], repeat: int) -> tuple[float, float, Any]:
    result = run()  # untimed: caches, the first plan
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        result = run()
        times.append((time.perf_counter() - started) * 1000)
    times.sort()
    p95 = times[min(len(times) - 1, max(0, round(0.95 * len(times)) - 1))]
    return statistics.median(times), p95, result


def plan_indexes(q: str) -> str:
    """PostgreSQL: the indexes the list's first page uses (EXPLAIN)."""
    from django.db import connection

    from phare.directory.queries import PeopleFilter, people_search

    sql, params = people_search(PeopleFilter(q=q))[:50].query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}", params)
        plan = cursor.fetchone()[0]
    plan = json.loads(plan) if isinstance(plan, str) else plan
    found: list[str] = []

    def walk(node: dict[str, Any]) -> None:
        if "Index Name" in node and node["Index Name"] not in found:
            found.append(node["Index Name"])
        for child in node.get("Plans", []):
            walk(child)

    walk(plan[0]["Plan"])
    return ", ".join(name for name in found if name.startswith("directory_person")) or "none"


def measure(database: str, people: int, repeat: int, seed: int) -> None:
    from django.core.paginator import Paginator
    from django.db import connection

    from phare.directory.queries import (
        PeopleFilter,
        PeoplePaginator,
        people_search,
        people_to_pick,
    )

    print(f"\n{database}: building", flush=True)
    build(people, seed)

    def page_of(paginator: Paginator) -> tuple[int, str]:
        page = paginator.get_page(1)
        rows = list(page)
        shown = (f"{paginator.count:,}+" if getattr(paginator, "capped", False)
                 else f"{paginator.count:,}")
        return len(rows), shown

    def new(q: str) -> Callable[[], Any]:
        return lambda: page_of(PeoplePaginator(people_search(PeopleFilter(q=q)), 50,
                                               searched=True))

    def old(q: str) -> Callable[[], Any]:
        return lambda: page_of(Paginator(old_search(q), 50))

    print(f"\n{database}, {people:,} people, {repeat} runs each; milliseconds "
          f"(server time, shared machine)")
    header = (f"{'search':<19} {'query':<11} {'list p50':>9} {'p95':>7} {'pick p50':>9} "
              f"{'p95':>7} {'old p50':>9} {'p95':>7} {'old/list':>8}  found (old)")
    if connection.vendor == "postgresql":
        header += "  plan's indexes"
    print(header)
    for label, q in SEARCHES:
        list_p50, list_p95, (_rows, shown) = timed(new(q), repeat)
        pick_p50, pick_p95, _picked = timed(lambda q=q: people_to_pick(q), repeat)
        old_p50, old_p95, (_old_rows, old_shown) = timed(old(q), max(3, repeat // 4))
        line = (f"{label:<19} {q:<11} {list_p50:>9.1f} {list_p95:>7.1f} {pick_p50:>9.1f} "
                f"{pick_p95:>7.1f} {old_p50:>9.1f} {old_p95:>7.1f} "
                f"{old_p50 / list_p50:>7.0f}x  {shown} ({old_shown})")
        if connection.vendor == "postgresql":
            line += f"  {plan_indexes(q)}"
        print(line, flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--people", type=int, default=300_000)
    parser.add_argument("--postgres", metavar="URL",
                        help="an EMPTY throw-away PostgreSQL database, measured after SQLite")
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--only", choices=["sqlite", "postgresql"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.only:  # one database per process: Django is set up once
        from common import setup_django

        setup_django(args.postgres if args.only == "postgresql" else None)
        measure(args.only, args.people, args.repeat, args.seed)
        return
    base = [sys.executable, os.path.abspath(__file__), "--people", str(args.people),
            "--repeat", str(args.repeat), "--seed", str(args.seed)]
    runs = [["--only", "sqlite"]]
    if args.postgres:
        runs.append(["--only", "postgresql", "--postgres", args.postgres])
    for extra in runs:
        subprocess.run([*base, *extra], check=True)


if __name__ == "__main__":
    main()
