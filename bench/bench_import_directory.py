"""Benchmark of the directory import (``phare import-directory``) on a generated file.

Run from the project root: ``.venv/bin/python bench/bench_import_directory.py [--lines 100000]``.
It sets Django up on a throw-away PHARE_HOME (SQLite unless --database-url is given), generates a
realistic CSV deterministically, then times three imports against two baselines measured in the
same run: the csv module alone reading the file, and a plain ``bulk_create`` of the same rows.
It prints figures only; nothing is asserted.
"""

from __future__ import annotations

import argparse
import csv
import gc
import os
import random
import resource
import sys
import time
import tracemalloc
import unicodedata
from collections.abc import Callable
from pathlib import Path
from typing import Any

from common import setup_django

FIRST_NAMES = ["Camille", "Léa", "Hugo", "Chloé", "Lucas", "Manon", "Louis", "Inès", "Jules",
               "Zoé", "Gabriel", "Anaïs", "Arthur", "Élodie", "Nathan", "Sarah", "Théo", "Emma",
               "Raphaël", "Jade", "Noah", "Clémence", "Tom", "Océane", "Mathis", "Maëlle"]
LAST_NAMES = ["Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand",
              "Leroy", "Moreau", "Simon", "Laurent", "Lefèvre", "Michel", "Garcia", "David",
              "Bertrand", "Roux", "Vincent", "Fournier", "Morel", "Girard", "André", "Mercier"]
SITES = [("PAR", "Paris La Défense", "Paris", "FR"), ("LYS", "Lyon Gerland", "Lyon", "FR"),
         ("LIL", "Lille Euralille", "Lille", "FR"), ("NTE", "Nantes Beaulieu", "Nantes", "FR"),
         ("TLS", "Toulouse Blagnac", "Toulouse", "FR"), ("BRU", "Bruxelles", "Brussels", "BE"),
         ("MAD", "Madrid Castellana", "Madrid", "ES"), ("MIL", "Milano Porta Nuova", "Milan",
                                                         "IT")]
JOB_FAMILIES = [("IT", "Informatique"), ("COM", "Commercial"), ("FIN", "Finance"),
                ("RH", "Ressources humaines"), ("OPS", "Opérations"), ("MKT", "Marketing"),
                ("JUR", "Juridique"), ("ACH", "Achats"), ("LOG", "Logistique")]
HEADER = ["employee_id", "first_name", "last_name", "email", "language", "business_unit",
          "business_unit_name", "business_unit_parent", "site", "site_name", "site_city",
          "site_country", "job_family", "job_family_name", "manager_id", "active"]


def units() -> list[tuple[str, str, str]]:
    """A tree of 60 units: 1 head office, 6 divisions, 53 departments."""
    tree = [("DG", "Direction générale", "")]
    for d in range(1, 7):
        tree.append((f"DIV{d}", f"Division {d}", "DG"))
    for n in range(1, 54):
        tree.append((f"DEP{n:02d}", f"Département {n}", f"DIV{1 + n % 6}"))
    return tree


def ascii_(name: str) -> str:
    return unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()


def generate_rows(count: int, seed: int = 42) -> list[list[str]]:
    rng = random.Random(seed)
    tree = units()
    rows = []
    for i in range(count):
        employee_id = f"E{i + 1:06d}"
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        code, name, parent = tree[0] if i == 0 else rng.choice(tree[1:])
        site = rng.choice(SITES)
        job = rng.choice(JOB_FAMILIES)
        # A management tree about 6 levels deep: each person reports to someone listed before.
        manager = "" if i == 0 else f"E{rng.randrange(i // 8, i) + 1:06d}"
        rows.append([employee_id, first, last, f"{ascii_(first)}.{ascii_(last)}.{i}@example.com",
                     rng.choice(["fr", "fr", "fr", "en"]), code, name, parent, *site, *job,
                     manager, "1"])
    return rows


def write_csv(path: Path, rows: list[list[str]]) -> None:
    # Sorted by name like an HR export: about half the people come before their manager, so
    # the import's second pass (managers set after creation) is part of what is measured.
    with open(path, "w", newline="", encoding="utf-8") as file:
        writer = csv.writer(file, delimiter=";")
        writer.writerow(HEADER)
        writer.writerows(sorted(rows, key=lambda row: (row[2], row[1], row[0])))


def modified(rows: list[list[str]], seed: int = 7) -> list[list[str]]:
    """10% of the lines changed (name, unit or site), 5% removed."""
    rng = random.Random(seed)
    tree, result = units(), []
    for row in rows:
        draw = rng.random()
        if draw < 0.05 and row[0] != "E000001":
            continue
        row = list(row)
        if draw < 0.15:
            change = rng.randrange(3)
            if change == 0:
                row[2] += "-Dupont"
            elif change == 1:
                row[5:8] = rng.choice(tree[1:])
            else:
                row[8:12] = rng.choice(SITES)
        result.append(row)
    # People whose manager was removed now report to the head of the company.
    kept = {row[0] for row in result}
    for row in result:
        if row[14] and row[14] not in kept:
            row[14] = "E000001"
    return result


def timed(func: Callable[[], Any]) -> tuple[float, Any]:
    start = time.perf_counter()
    result = func()
    return time.perf_counter() - start, result


def peak_rss_mb() -> float:
    # ru_maxrss is in kilobytes on Linux (bytes on macOS).
    scale = 1024 * 1024 if sys.platform == "darwin" else 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / scale


def baseline_csv(path: Path) -> float:
    def parse() -> int:
        with open(path, encoding="utf-8", newline="") as file:
            return sum(1 for _row in csv.reader(file, delimiter=";"))

    return timed(parse)[0]


def baseline_bulk_create(rows: list[list[str]]) -> float:
    from django.db import connection, transaction

    from phare.directory.models import BusinessUnit, JobFamily, Person, Site

    unit = BusinessUnit.objects.create(code="BENCH", name="Bench")
    site = Site.objects.create(code="BENCH", name="Bench")
    job = JobFamily.objects.create(code="BENCH", name="Bench")

    def insert() -> None:
        with transaction.atomic():
            Person.objects.bulk_create([
                Person(employee_id=r[0], first_name=r[1], last_name=r[2], email=r[3],
                       language=r[4], business_unit=unit, site=site, job_family=job)
                for r in rows
            ], batch_size=2000)

    seconds = timed(insert)[0]
    # A raw DELETE: the ORM's would first load 100,000 people to null their reports' managers.
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {Person._meta.db_table}")
    Site.objects.filter(code="BENCH").delete()
    JobFamily.objects.filter(code="BENCH").delete()
    BusinessUnit.objects.filter(code="BENCH").delete()
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=100_000)
    parser.add_argument("--database-url",
                        help="an EMPTY throw-away database (e.g. postgres://…/phare_bench); "
                             "default: SQLite in a temporary PHARE_HOME")
    parser.add_argument("--tracemalloc", action="store_true",
                        help="also report each import's peak of Python allocations (slower: "
                             "timings are then not comparable)")
    args = parser.parse_args()
    setup_django(args.database_url)
    from django.db import connection

    from phare.directory.importer import import_people

    work = Path(os.environ["PHARE_HOME"])
    rows = generate_rows(args.lines)
    first_file, changed_file = work / "people.csv", work / "people-changed.csv"
    write_csv(first_file, rows)
    write_csv(changed_file, modified(rows))
    size = first_file.stat().st_size / 1e6
    print(f"database: {connection.vendor}; file: {args.lines} lines, {size:.1f} MB; "
          f"python {sys.version.split()[0]}; {os.cpu_count()} CPUs")

    csv_seconds = baseline_csv(first_file)
    bulk_seconds = baseline_bulk_create(rows)
    del rows
    gc.collect()
    print(f"baseline csv module parse : {csv_seconds:7.2f} s  "
          f"{args.lines / csv_seconds:10,.0f} lines/s")
    print(f"baseline plain bulk_create: {bulk_seconds:7.2f} s  "
          f"{args.lines / bulk_seconds:10,.0f} lines/s  peak RSS {peak_rss_mb():6.0f} MB")

    runs = [("1. first import (all created)", first_file),
            ("2. same file again (unchanged)", first_file),
            ("3. 10% modified, 5% removed", changed_file)]
    for title, path in runs:
        if args.tracemalloc:
            tracemalloc.start()
        seconds, report = timed(lambda path=path: import_people(path))
        memory = f"peak RSS {peak_rss_mb():6.0f} MB"
        if args.tracemalloc:
            memory += f", Python peak {tracemalloc.get_traced_memory()[1] / 2**20:6.0f} MB"
            tracemalloc.stop()
        print(f"{title:31}: {seconds:7.2f} s  {report.lines / seconds:10,.0f} lines/s  "
              f"x{seconds / csv_seconds:5.1f} csv  x{seconds / bulk_seconds:5.2f} bulk_create  "
              f"{memory}")
        print(f"{'':33}created {report.created}, updated {report.updated}, "
              f"unchanged {report.unchanged}, deactivated {report.deactivated}, "
              f"units created {report.units_created}")


if __name__ == "__main__":
    main()
