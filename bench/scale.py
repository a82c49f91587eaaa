"""Sizing: a directory of 300,000 employees and a year of their data on PostgreSQL.

    createdb -h 127.0.0.1 -U postgres phare_scale        # an EMPTY throw-away database
    nice -n 19 .venv/bin/python bench/scale.py \\
        --database-url postgres://postgres@127.0.0.1:5432/phare_scale          # 300,000 people
    .venv/bin/python bench/scale.py --database-url … --people 20000            # smaller first
    dropdb -h 127.0.0.1 -U postgres phare_scale

Builds the organisation with the demo's own generators (each app's ``demo.build``, the code
behind ``phare demo``), at ``--people`` employees, in a throw-away ``PHARE_HOME``:

- the directory (business units, sites, job families, a management tree);
- the catalogue and the accounts of the five demo readers;
- a year and more of listening: barometer waves, a pulse, a service survey, each sent to a
  sample of the directory and answered at each unit's rate;
- IT tickets over twelve months (``--tickets``, default the demo's 10 per employee) with
  their ticket-satisfaction survey answered by about 15% of them;
- needs and their arbitration, the communication plan;
- a year of usage: Microsoft 365 reports, events and licences for every person, imported
  through the usage store (Parquet).

It then prints the time of each part, the database's size (``pg_database_size``) and its
largest tables, the analytical store's size on disk (``PHARE_HOME/analytics``: surveys'
Parquet and usage events), and the server time of the main pages (Django's test client,
signed in, in the process: no network, no proxy): each page's first view, then warm p50/p95
over ``--repeat`` views, with its SQL query count. Nothing is asserted.

``phare demo`` refuses more than 200,000 employees (a demo that takes minutes to build is no
demo); this script lifts that limit for itself.
"""

from __future__ import annotations

import argparse
import atexit
import logging
import os
import resource
import shutil
import statistics
import tempfile
import time
from pathlib import Path

from common import setup_django

#: (reader, page, path): the pages people open most, for the reader who opens them.
READERS = ("admin", "marketing", "cio", "owner", "employee")


def pages() -> list[tuple[str, str, str]]:
    from phare.listening import demo_data as D

    out = [(reader, "home", "/") for reader in READERS]
    out += [
        ("marketing", "insights home", "/insights/"),
        ("marketing", "barometer", f"/insights/barometer/{D.BAROMETER_SLUG}/"),
        ("cio", "barometer", f"/insights/barometer/{D.BAROMETER_SLUG}/"),
        ("marketing", "ticket experience", "/insights/tickets/"),
        ("cio", "ticket experience", "/insights/tickets/"),
        ("marketing", "needs list", "/needs/"),
        ("marketing", "survey list", "/surveys/"),
        ("admin", "directory", "/directory/"),
        ("admin", "directory search", "/directory/?q=martin"),
        ("admin", "directory search, all", "/directory/?q=dupont&status=all"),
        ("employee", "catalogue search", "/catalogue/search/?q=vpn"),
    ]
    return out


def percentiles(times: list[float]) -> tuple[float, float]:
    ordered = sorted(times)
    p95 = ordered[min(len(ordered) - 1, max(0, round(0.95 * len(ordered)) - 1))]
    return statistics.median(ordered), p95


def build(people: int, tickets: int | None, seed: int,
          without: frozenset[str] = frozenset()) -> list[tuple[str, float]]:
    """The demo's steps one after the other, each timed (seconds), but those ``without``."""
    import random

    from phare.core.demo import demo_steps
    from phare.directory import demo as directory_demo
    from phare.lib.demo import DemoContext

    directory_demo.MAX_EMPLOYEES = max(directory_demo.MAX_EMPLOYEES, people)
    options = {} if tickets is None else {"tickets": tickets}
    ctx = DemoContext(seed=seed, employees=people, rng=random.Random(seed),
                      say=lambda message: print(f"    {message}", flush=True), options=options)
    times = []
    for label, step in demo_steps():
        if label in without:
            print(f"  {label}: left out (--without)", flush=True)
            continue
        print(f"  {label}…", flush=True)
        started = time.perf_counter()
        step(ctx)
        times.append((label, time.perf_counter() - started))
        print(f"  {label}: {times[-1][1]:.1f} s", flush=True)
    return times


def counts() -> list[tuple[str, int]]:
    from phare.directory.models import Person
    from phare.listening.models import Invitation, Response
    from phare.needs.models import Need
    from phare.tickets.models import Ticket

    return [("people", Person.objects.count()),
            ("survey invitations", Invitation.objects.count()),
            ("survey responses", Response.objects.count()),
            ("tickets", Ticket.objects.count()),
            ("needs", Need.objects.count())]


def usage_events() -> int:
    import duckdb
    from django.conf import settings

    files = sorted(Path(settings.PHARE_USAGE_DIR).glob("events/**/*.parquet"))
    if not files:
        return 0
    con = duckdb.connect()
    row = con.execute("SELECT count(*) FROM read_parquet(?)", [[str(f) for f in files]]).fetchone()
    con.close()
    return int(row[0]) if row else 0


def database_sizes(top: int = 12) -> tuple[int, list[tuple[str, int, int]]]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_database_size(current_database())")
        total = cursor.fetchone()[0]
        cursor.execute("""
            SELECT c.relname, pg_total_relation_size(c.oid), c.reltuples::bigint
            FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE c.relkind = 'r' AND n.nspname = 'public'
            ORDER BY pg_total_relation_size(c.oid) DESC LIMIT %s""", [top])
        tables = [(name, size, rows) for name, size, rows in cursor.fetchall()]
    return total, tables


def folder_size(path: Path) -> int:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file()) if path.exists() else 0


def client_for(username: str):
    from django.test import Client

    from phare.accounts.models import User

    client = Client()
    client.force_login(User.objects.get(username=username))
    return client


def time_pages(repeat: int) -> list[tuple[str, str, int, float, float, float, int]]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    out = []
    clients = {reader: client_for(reader) for reader in READERS}
    for reader, name, path in pages():
        client = clients[reader]
        started = time.perf_counter()
        status = client.get(path).status_code
        first = (time.perf_counter() - started) * 1000
        times = []
        for _ in range(repeat):
            started = time.perf_counter()
            client.get(path)
            times.append((time.perf_counter() - started) * 1000)
        with CaptureQueriesContext(connection) as captured:
            client.get(path)
        p50, p95 = percentiles(times)
        out.append((reader, name, status, first, p50, p95, len(captured)))
        print(f"    {reader:9} {name:26} {status} first {first:8.0f} ms, warm p50 {p50:7.0f} ms",
              flush=True)
    return out


def mib(size: int) -> str:
    return f"{size / 2**20:,.1f} MiB" if size < 10 * 2**30 else f"{size / 2**30:,.1f} GiB"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", required=True,
                        help="an EMPTY throw-away PostgreSQL database (postgres://…)")
    parser.add_argument("--people", type=int, default=300_000, help="employees (300000)")
    parser.add_argument("--tickets", type=int, default=None,
                        help="IT tickets over twelve months (default 10 per employee)")
    parser.add_argument("--repeat", type=int, default=10, help="warm views per page (10)")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--without", default="",
                        help="demo steps to leave out, comma-separated (e.g. usage,comms: the "
                             "slowest to build; their pages and stores are then empty)")
    args = parser.parse_args()
    if not args.database_url.startswith(("postgres://", "postgresql://")):
        parser.error("--database-url: expected a PostgreSQL URL (postgres://…)")
    if args.people < 100:
        parser.error("--people: expected at least 100")
    without = frozenset(part.strip() for part in args.without.split(",") if part.strip())
    if without & {"directory", "accounts"}:
        parser.error("--without: the directory and the accounts are needed by every page")
    # Pages trust the stores as the build left them (the worker's tick checks them in
    # production); jobs run inline (no worker in this process).
    os.environ["PHARE_ANALYTICS_MAX_AGE"] = str(24 * 3600)
    # The demo's digests and notices go to files, not to this script's output.
    mail = tempfile.mkdtemp(prefix="phare-scale-mail-")
    atexit.register(shutil.rmtree, mail, ignore_errors=True)
    os.environ["PHARE_EMAIL_URL"] = f"file://{mail}"
    setup_django(args.database_url)
    from django.conf import settings

    from phare.core.demo import database_is_empty

    logging.getLogger("django.request").setLevel(logging.ERROR)
    if not database_is_empty():
        parser.error("--database-url: the database already holds people; give an empty one")

    print(f"Building {args.people:,} people and a year of their data…", flush=True)
    started = time.perf_counter()
    parts = build(args.people, args.tickets, args.seed, without)
    built = time.perf_counter() - started
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    total, tables = database_sizes()
    analytics = Path(settings.PHARE_ANALYTICS_DIR)
    usage = Path(settings.PHARE_USAGE_DIR)
    rows = counts()
    events = usage_events()
    print("  timing pages…", flush=True)
    timed = time_pages(args.repeat)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        version = cursor.fetchone()[0]
    print(f"\n== {args.people:,} people: built in {built / 60:.1f} min "
          f"({os.cpu_count()} cores, PostgreSQL {version}, peak RSS of this process "
          f"{mib(peak)}) ==")
    if without:
        print(f"\nLeft out: {', '.join(sorted(without))}")
    print("\nBuild time per part")
    for label, seconds in parts:
        print(f"  {label:14} {seconds:9.1f} s")
    print("\nRows")
    for label, n in [*rows, ("usage events", events)]:
        print(f"  {label:20} {n:>14,}")
    print(f"\nDatabase: {mib(total)} (pg_database_size); largest tables with their indexes:")
    for name, size, estimate in tables:
        print(f"  {name:40} {mib(size):>12} {estimate:>14,} rows")
    print(f"\nAnalytical store on disk: {mib(folder_size(analytics))} under PHARE_HOME/analytics "
          f"(of which usage events {mib(folder_size(usage))})")
    print(f"\nServer time of the main pages (ms; warm: {args.repeat} views)")
    print(f"  {'reader':9} {'page':26} {'status':>6} {'first':>8} {'p50':>8} {'p95':>8} "
          f"{'SQL':>5}")
    for reader, name, status, first, p50, p95, queries in timed:
        print(f"  {reader:9} {name:26} {status:>6} {first:8.0f} {p50:8.0f} {p95:8.0f} "
              f"{queries:5d}")


if __name__ == "__main__":
    main()
