"""Benchmark of a Microsoft 365 usage report's import: 200,000 rows, as the admin centre gives it.

Run from the project root: ``.venv/bin/python bench/usage_import.py [--rows 200000]
[--postgres [URL]]``. It:

1. points Phare at a throw-away PHARE_HOME (SQLite, or PostgreSQL with ``--postgres``),
   migrates, and creates ``--rows`` people in the directory (the report's users) and the
   catalogue services the report's products are linked to;
2. writes an ``getOffice365ActiveUserDetail`` report (the documented 24 columns, UTF-8 with a
   BOM, CRLF) with one row per person: licences, last activity dates spread over the period;
3. times, in the same run: the baseline — splitting the file with the csv module, nothing
   else —, reading and checking it (``usage.sources.read``), and the whole import
   (``usage.services.import_usage``: reading, matching people, licences, the store's merge);
   then the same file again (nothing changes: the idempotent path).

It prints rows/s for each and the ratios to the baseline. Benchmarks print; they never fail on
speed.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import setup_django  # noqa: E402

HEADER = ["Report Refresh Date", "User Principal Name", "Display Name", "Is Deleted",
          "Deleted Date", "Has Exchange License", "Has OneDrive License",
          "Has SharePoint License", "Has Skype For Business License", "Has Yammer License",
          "Has Teams License", "Exchange Last Activity Date", "OneDrive Last Activity Date",
          "SharePoint Last Activity Date", "Skype For Business Last Activity Date",
          "Yammer Last Activity Date", "Teams Last Activity Date",
          "Exchange License Assign Date", "OneDrive License Assign Date",
          "SharePoint License Assign Date", "Skype For Business License Assign Date",
          "Yammer License Assign Date", "Teams License Assign Date", "Assigned Products"]


def report(rows: int, today: dt.date, seed: int = 7) -> bytes:
    rng = random.Random(seed)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(HEADER)
    refresh = today - dt.timedelta(days=2)
    assigned = "2024-01-10"
    for i in range(rows):
        def last(p: float) -> str:
            return ((refresh - dt.timedelta(days=rng.randrange(30))).isoformat()
                    if rng.random() < p else "")
        writer.writerow([refresh.isoformat(), f"user{i}@example.com", f"User {i}", "False", "",
                         "True", "True", "True", "False", "False", "True",
                         last(0.9), last(0.6), last(0.5), "", "", last(0.7),
                         assigned, assigned, assigned, "", "", assigned,
                         "MICROSOFT 365 E3"])
    return ("\ufeff" + out.getvalue()).encode()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=200_000)
    parser.add_argument("--postgres", nargs="?", const="postgres://postgres@127.0.0.1:5432/",
                        default=None, help="run on PostgreSQL (a throw-away database)")
    args = parser.parse_args()
    database = None
    if args.postgres is not None:
        import psycopg

        name = f"phare_bench_usage_{int(time.time())}"
        with psycopg.connect(args.postgres + "postgres", autocommit=True) as conn:
            conn.execute(f"CREATE DATABASE {name}")
        database = args.postgres + name
    setup_django(database)
    from phare.catalog.models import OfferFamily, Service
    from phare.directory.models import Person
    from phare.usage import services, sources

    today = dt.date.today()
    family = OfferFamily.objects.create(code="collab", name_fr="Collaborer")
    for product, slug in (("m365:exchange", "mail"), ("m365:onedrive", "files"),
                          ("m365:sharepoint", "sites"), ("m365:teams", "teams")):
        service = Service.objects.create(slug=slug, name_fr=slug, family=family)
        services.link_product(product=product, service=service)
    started = time.perf_counter()
    Person.objects.bulk_create([
        Person(employee_id=f"E{i:07d}", first_name="User", last_name=str(i),
               email=f"user{i}@example.com") for i in range(args.rows)], batch_size=5000)
    print(f"directory: {args.rows:,} people in {time.perf_counter() - started:.1f} s")
    data = report(args.rows, today)
    print(f"report: {args.rows:,} rows, {len(data) / 2**20:.1f} MiB")

    def timed(label: str, work, baseline: float | None = None) -> float:
        started = time.perf_counter()
        work()
        seconds = time.perf_counter() - started
        ratio = f"  ({seconds / baseline:.1f}× the baseline)" if baseline else ""
        print(f"{label:<44} {seconds:7.2f} s  {args.rows / seconds:>10,.0f} rows/s{ratio}")
        return seconds

    base = timed("baseline: csv module, split only",
                 lambda: sum(1 for _ in csv.reader(io.StringIO(data.decode("utf-8-sig")))))
    timed("read and check (usage.sources.read)",
          lambda: sources.read(data, source="m365-active-users"), base)
    first = {}
    timed("import (read, match, licences, merge)",
          lambda: first.update(report=services.import_usage(data, file_name="active.csv",
                                                            today=today)), base)
    counts = first["report"].counts()
    print(f"  imported {counts['imported']:,} records, {counts['licences']:,} licences, "
          f"{counts['unmatched']:,} unmatched")
    again = {}
    timed("the same file again (nothing changes)",
          lambda: again.update(report=services.import_usage(data, file_name="active.csv",
                                                            today=today)), base)
    print(f"  imported {again['report'].imported:,}, unchanged {again['report'].unchanged:,}")


if __name__ == "__main__":
    main()
