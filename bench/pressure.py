"""Benchmark of the contact-pressure checks for many people: naming them in ``IN (…)`` or reading
the window once.

Run from the project root: ``.venv/bin/python bench/pressure.py [--people 100000]
[--sizes 1000,10000,100000] [--repeat 3] [--postgres [URL]]``. It:

1. points Phare at a throw-away PHARE_HOME (SQLite, or a PostgreSQL database made and dropped
   for the run with ``--postgres``), migrates, and writes a company of ``--people`` people in
   20 business units with a realistic ledger: over the last 30 days and the next 3 (claims of
   scheduled sends), about one solicitation a week each (campaigns, events, notices; a busy
   tenth of the people three times as many), a survey invitation for two in three over the
   last 90 days, 2 % opted out of newsletters, 1 % of surveys, and a quiet period for
   newsletters on one unit;
2. for each size of ``--sizes`` (the first N people), times in the same run — best of
   ``--repeat`` — ``contact.policy.refusals`` (newsletters), ``contact.policy.load`` (the
   budget's window) and ``listening.pressure.refusals`` (a wave's check) two ways: the old way,
   every query naming the people in chunks of 5,000 (``policy.MANY`` set above every size),
   and the new, in which above ``policy.MANY`` (1,000) people who are at least a third of the
   directory, each query reads the whole window and keeps the people asked about in Python. It
   checks both give the same answers (at one moment: ``now`` fixed).

It prints µs per person for each and the ratio old / new. Benchmarks print; they never fail on
speed.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import setup_django  # noqa: E402

UNITS = 20
BATCH = 5000


def postgres_database(url: str, *, create: bool) -> None:
    """Drop the database of ``url`` (and make it again when ``create``)."""
    import psycopg

    parts = urlsplit(url)
    admin, name = urlunsplit(parts._replace(path="/postgres")), parts.path.lstrip("/")
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
        if create:
            connection.execute(f'CREATE DATABASE "{name}"')


def build(people: int, seed: int = 11) -> list[int]:
    """The company and its ledger (see the module's docstring); the people's ids in order."""
    from django.utils import timezone

    from phare.contact import services as contact
    from phare.contact.models import Category, OptOut, Solicitation
    from phare.directory.models import BusinessUnit, Person
    from phare.listening.models import Invitation, Survey, SurveyVersion
    from phare.listening.models import OptOut as SurveyOptOut

    rng = random.Random(seed)
    now = timezone.now()
    units = BusinessUnit.objects.bulk_create(
        [BusinessUnit(code=f"U{i:02d}", name=f"Unit {i}") for i in range(UNITS)])
    for start in range(0, people, BATCH):
        Person.objects.bulk_create([
            Person(employee_id=f"P{i:06d}", first_name=f"First{i}", last_name=f"Last{i}",
                   email=f"p{i}@example.com", business_unit=units[i % UNITS])
            for i in range(start, min(start + BATCH, people))])
    ids = list(Person.objects.order_by("pk").values_list("pk", flat=True))
    categories = [Category.NEWSLETTER, Category.EVENT, Category.NOTICE]
    rows: list[Solicitation] = []
    written = 0
    for person_id in ids:
        weekly = 3.0 if rng.random() < 0.1 else 1.0
        for n in range(_poisson(rng, weekly * 33 / 7)):
            rows.append(Solicitation(
                person_id=person_id, category=rng.choice(categories), source="bench",
                reference=f"{person_id}-{n}",
                at=now - dt.timedelta(days=rng.uniform(-3, 30))))
        if len(rows) >= BATCH:
            Solicitation.objects.bulk_create(rows)
            written += len(rows)
            rows = []
    Solicitation.objects.bulk_create(rows)
    written += len(rows)
    survey = Survey.objects.create(slug="bench", kind=Survey.Kind.BAROMETER, title_fr="Bench")
    version = SurveyVersion.objects.create(survey=survey, number=1)
    invited = [i for i in ids if rng.random() < 2 / 3]
    for start in range(0, len(invited), BATCH):
        made = Invitation.objects.bulk_create([
            Invitation(survey=survey, version=version, person_id=i, email=f"{i}@example.com")
            for i in invited[start:start + BATCH]])
        for invitation in made:  # created_at is set on insert: spread over 90 days after
            invitation.created_at = now - dt.timedelta(days=rng.uniform(0, 90))
        Invitation.objects.bulk_update(made, ["created_at"])
    OptOut.objects.bulk_create([OptOut(person_id=i, category=Category.NEWSLETTER)
                                for i in ids if rng.random() < 0.02], batch_size=BATCH)
    SurveyOptOut.objects.bulk_create([SurveyOptOut(person_id=i)
                                      for i in ids if rng.random() < 0.01], batch_size=BATCH)
    contact.quiet_period_save(name="Clôture", starts_on=timezone.localdate(now),
                              ends_on=timezone.localdate(now), units=[units[0]],
                              categories=[Category.NEWSLETTER])
    print(f"  {len(ids):,} people, {written:,} solicitations, {len(invited):,} invitations")
    return ids


def _poisson(rng: random.Random, mean: float) -> int:
    n, threshold, product = 0, pow(2.718281828459045, -mean), rng.random()
    while product > threshold:
        n += 1
        product *= rng.random()
    return n


def best(fn: Callable[[], Any], repeat: int) -> tuple[float, Any]:
    """The shortest of ``repeat`` runs, in seconds, and the answer."""
    times, answer = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        answer = fn()
        times.append(time.perf_counter() - start)
    return min(times), answer


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--postgres", nargs="?", default=None,
                        const="postgres://postgres@127.0.0.1:5432/phare_bench_pressure",
                        help="run on PostgreSQL: a database of this URL made and dropped")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    if args.postgres:
        postgres_database(args.postgres, create=True)
    try:
        setup_django(args.postgres)
        run(args.people, [s for s in sizes if s <= args.people], args.repeat)
    finally:
        if args.postgres:
            from django.db import connections

            connections.close_all()
            postgres_database(args.postgres, create=False)


def run(people: int, sizes: list[int], repeat: int) -> None:
    from django.db import connection
    from django.utils import timezone

    from phare.contact import policy
    from phare.contact.models import Category
    from phare.listening import pressure

    print(f"Contact pressure on {connection.vendor}, best of {repeat}:")
    started = time.perf_counter()
    ids = build(people)
    print(f"  written in {time.perf_counter() - started:.1f} s")
    now = timezone.now()  # one moment for both ways: the window must not move between them
    start, end = policy.window(now)
    checks: dict[str, Callable[[list[int]], Any]] = {
        "policy.refusals (newsletter)":
            lambda asked: policy.refusals(asked, category=Category.NEWSLETTER, now=now),
        "policy.load (the window)": lambda asked: policy.load(asked, start=start, end=end),
        "pressure.refusals (a wave)": lambda asked: pressure.refusals(asked, now=now),
    }
    many = policy.MANY
    print(f"  {'check':<30} {'people':>8} {'old µs/p':>9} {'new µs/p':>9} "
          f"{'old ms':>8} {'new ms':>8} {'old/new':>8}  same")
    for name, check in checks.items():
        for size in sizes:
            asked = ids[:size]
            policy.MANY = 10**12  # the old way: every query names the people, 5,000 at a time
            old, old_answer = best(lambda: check(asked), repeat)  # noqa: B023
            policy.MANY = many
            new, new_answer = best(lambda: check(asked), repeat)  # noqa: B023
            print(f"  {name:<30} {size:>8,} {old / size * 1e6:>9.1f} {new / size * 1e6:>9.1f} "
                  f"{old * 1e3:>8.1f} {new * 1e3:>8.1f} {old / new:>7.2f}×  "
                  f"{'yes' if old_answer == new_answer else 'NO'}")
    print(f"  (up to {many:,} people, or under a third of the directory, both ways are the "
          "same code: old/new is noise)")


if __name__ == "__main__":
    main()
