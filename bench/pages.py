"""Dashboard and list pages as the marketing lead, the CIO and a service owner see them.

    python bench/pages.py                      # the demo (5,000 people, 50,000 tickets)
    python bench/pages.py --responses 1000000  # and a barometer store of a million responses
    python bench/pages.py --sections filter --pages "ticket experience" --filters 16
                                               # the ticket page's new filters only

Builds the demo in a throw-away PHARE_HOME (SQLite), then times each page in-process (Django's
test client, logged in, server time only), for each reader:

- **warm**: the page viewed again, unchanged data — p50/p95 over ``--repeat`` views and the
  SQL queries of one view;
- **filter**: the dashboards with a filter never chosen before (a business unit, a channel):
  p50/p95 over ``--filters`` different values, each viewed once;
- **after a change**: the data changes (a released answer amended; the store brought up to date
  and the pages the change concerns prepared, as the worker's refresh task does), then the
  page's first view: p50/p95 over ``--changes`` changes.

Each figure is measured twice in the same run: with the dashboards' cache
(``PHARE_INSIGHTS_CACHE_SECONDS``, the default) and without it (0: every view computes its
figures), the baseline. With ``--responses``, the barometer's store is then replaced by one of
that many responses (the demo's own answers repeated, with new ids, so every question, unit
and comment is real) and the barometer pages are measured again. ``--sections`` (warm, filter,
change), ``--pages`` (names as printed; a filter case counts as its page's) and ``--readers``
measure a part only. Nothing is asserted.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from collections.abc import Callable

from common import setup_django

READERS = ["marketing", "cio", "owner"]


def percentiles(times: list[float]) -> tuple[float, float]:
    ordered = sorted(times)
    p95 = ordered[min(len(ordered) - 1, max(0, round(0.95 * len(ordered)) - 1))]
    return statistics.median(ordered), p95


def pages() -> list[tuple[str, str]]:
    from phare.catalog.models import Service
    from phare.listening import demo_data as D
    from phare.listening.models import Survey

    card = Survey.objects.get(slug=D.SERVICE_SLUG).service
    other = Service.objects.exclude(pk=getattr(card, "pk", None)).order_by("slug").first()
    assert card is not None and other is not None
    return [
        ("home", "/"),
        ("insights home", "/insights/"),
        ("barometer", f"/insights/barometer/{D.BAROMETER_SLUG}/"),
        ("ticket experience", "/insights/tickets/"),
        ("ticket results (survey page)", f"/insights/tickets/{D.TICKET_SLUG}/summary/"),
        ("value card", f"/insights/services/{card.slug}/card/"),
        ("verbatims", f"/insights/verbatims/?survey={D.BAROMETER_SLUG}"),
        ("survey list", "/surveys/"),
        ("needs list", "/needs/"),
        ("catalogue management", "/catalogue/manage/"),
        ("service page", f"/catalogue/{other.slug}/"),
    ]


def client_for(username: str):
    from django.test import Client

    from phare.accounts.models import User

    client = Client()
    client.force_login(User.objects.get(username=username))
    return client


def timed(call: Callable[[], object]) -> float:
    started = time.perf_counter()
    call()
    return (time.perf_counter() - started) * 1000


def queries_of(client, path: str) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        client.get(path)
    return len(captured)


def with_cache(seconds: int, run: Callable[[], dict]) -> dict:
    from django.conf import settings

    saved = settings.PHARE_INSIGHTS_CACHE_SECONDS
    settings.PHARE_INSIGHTS_CACHE_SECONDS = seconds
    try:
        return run()
    finally:
        settings.PHARE_INSIGHTS_CACHE_SECONDS = saved


def chosen(name: str, only: tuple[str, ...]) -> bool:
    """Whether page (or filter case) ``name`` is among ``only`` (empty: every page)."""
    return not only or any(name == page or name.startswith(f"{page}, ") for page in only)


def warm(repeat: int, only: tuple[str, ...] = ()) -> dict:
    out = {}
    for reader in READERS:
        client = client_for(reader)
        for name, path in pages():
            if not chosen(name, only):
                continue
            first = client.get(path)
            if first.status_code != 200:
                out[(reader, name)] = None  # not this reader's page
                continue
            times = [timed(lambda c=client, p=path: c.get(p)) for _ in range(repeat)]
            out[(reader, name)] = (*percentiles(times), queries_of(client, path))
    return out


def filters(count: int, only: tuple[str, ...] = ()) -> dict:
    from django.core.cache import caches

    from phare.insights import queries
    from phare.listening import demo_data as D
    from phare.listening.models import Survey

    barometer = Survey.objects.get(slug=D.BAROMETER_SLUG)
    units = [code for code, _name in queries.filter_choices(barometer)["unit"]]
    ticket_units = [code for code, _name in queries.unit_choices()]
    channels = [value for value, _label in queries.channel_choices()]
    out = {}
    for reader in READERS:
        client = client_for(reader)
        # Never chosen before by anyone: the lead and the CIO share their pages' entries.
        caches["insights"].clear()
        cases = [("barometer, a unit", f"/insights/barometer/{D.BAROMETER_SLUG}/?unit={u}")
                 for u in units[:count]]
        cases += [("ticket experience, a unit", f"/insights/tickets/?unit={u}")
                  for u in ticket_units[:count]]
        cases += [("ticket experience, a channel", f"/insights/tickets/?channel={c}")
                  for c in channels[:count]]
        cases = [(name, path) for name, path in cases if chosen(name, only)]
        by_name: dict[str, list[float]] = {}
        for name, path in cases:
            started = time.perf_counter()
            status = client.get(path).status_code
            if status == 200:
                by_name.setdefault(name, []).append((time.perf_counter() - started) * 1000)
        for name in dict.fromkeys(n for n, _p in cases):
            times = by_name.get(name)
            out[(reader, name)] = (*percentiles(times), 0) if times else None
    return out


def change_data() -> None:
    """What a worker sees after a ticket follow-up amends answers: a released response of the
    barometer and one of the ticket survey get a new revision; the stores are brought up to
    date and the pages the change concerns prepared, as the refresh task does with a worker
    (:func:`phare.insights.tasks.refresh_store`), so every dashboard reads new partitions."""
    from django.db.models import F

    from phare.insights import dashboards, store
    from phare.listening import demo_data as D
    from phare.listening.models import Response, Survey
    from phare.listening.queries import released

    for slug in (D.BAROMETER_SLUG, D.TICKET_SLUG):
        survey = Survey.objects.get(slug=slug)
        one = released(Response.objects.filter(survey=survey)).order_by("?").first()
        assert one is not None
        Response.objects.filter(pk=one.pk).update(revision=F("revision") + 1)
        if store.refresh(survey)["rebuilt"]:
            dashboards.prepare(survey)


def after_change(changes: int, only: tuple[str, ...] = ()) -> dict:
    clients = {reader: client_for(reader) for reader in READERS}
    times: dict[tuple[str, str], list[float]] = {}
    for _ in range(changes):
        change_data()
        for reader, client in clients.items():
            for name, path in pages():
                if not chosen(name, only):
                    continue
                started = time.perf_counter()
                status = client.get(path).status_code
                if status == 200:
                    times.setdefault((reader, name), []).append(
                        (time.perf_counter() - started) * 1000)
    return {key: (*percentiles(values), 0) for key, values in times.items()}


def print_table(title: str, cached: dict, plain: dict) -> None:
    print(f"\n{title}")
    print(f"{'reader':10} {'page':32} {'p50 ms':>8} {'p95 ms':>8} {'SQL':>4} | "
          f"{'no cache p50':>12} {'p95':>8} | {'p95 ratio':>9}")
    for key, figures in cached.items():
        reader, name = key
        base = plain.get(key)
        if figures is None or base is None:
            continue
        p50, p95, queries = figures
        ratio = base[1] / p95 if p95 else float("nan")
        sql = f"{queries:4d}" if queries else "    "
        print(f"{reader:10} {name:32} {p50:8.1f} {p95:8.1f} {sql} | {base[0]:12.1f} "
              f"{base[1]:8.1f} | {ratio:8.1f}×")


def grow_barometer(responses: int) -> int:
    """Replace the barometer's store by ``responses`` responses: the demo's own rows repeated
    with new response ids, so that every question, unit and comment is real."""
    import duckdb

    from phare.insights import store
    from phare.listening import demo_data as D
    from phare.listening.models import Survey

    survey = Survey.objects.get(slug=D.BAROMETER_SLUG)
    store.refresh(survey)
    folder = store.survey_dir(survey.pk)
    con = duckdb.connect()
    base = con.execute(
        f"SELECT count(*) FROM read_parquet('{folder}/responses-*.parquet')").fetchone()
    assert base is not None
    copies = max(1, -(-responses // int(base[0])))
    partitions = {}
    for table in store.TABLES:
        files = sorted(folder.glob(f"{table}-*.parquet"))
        for path in files:
            key = path.stem.split("-", 1)[1]
            tmp = path.with_suffix(".big")
            con.execute(f"""COPY (SELECT * REPLACE (response || '-' || k AS response)
                                  FROM read_parquet('{path}'), range({copies}) c(k))
                           TO '{tmp}' (FORMAT parquet)""")
            os.replace(tmp, path)
            if table == "responses":
                n = con.execute(f"SELECT count(*) FROM read_parquet('{path}')").fetchone()
                assert n is not None
                partitions[key] = [int(n[0]), 0]
    con.close()
    store.mark_checked(survey, partitions)
    return sum(n for n, _r in partitions.values())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--employees", type=int, default=5000)
    parser.add_argument("--repeat", type=int, default=20, help="views per warm page")
    parser.add_argument("--filters", type=int, default=8, help="filter values per dashboard")
    parser.add_argument("--changes", type=int, default=5, help="data changes")
    parser.add_argument("--responses", type=int, default=0,
                        help="then a barometer store of this many responses (e.g. 1000000)")
    parser.add_argument("--sections", default="warm,filter,change",
                        help="what to measure, of warm, filter, change (comma-separated)")
    parser.add_argument("--pages", default="",
                        help="only these pages, by their printed names (comma-separated)")
    parser.add_argument("--readers", default=",".join(READERS),
                        help="only these readers (comma-separated)")
    args = parser.parse_args()
    sections = {part.strip() for part in args.sections.split(",") if part.strip()}
    if unknown := sections - {"warm", "filter", "change"}:
        parser.error(f"--sections: unknown {', '.join(sorted(unknown))}")
    only = tuple(part.strip() for part in args.pages.split(",") if part.strip())
    readers = tuple(part.strip() for part in args.readers.split(",") if part.strip())
    if unknown := set(readers) - set(READERS):
        parser.error(f"--readers: unknown {', '.join(sorted(unknown))}")
    READERS[:] = readers
    # Pages trust the store as the worker leaves it; the worker's task is run by change_data.
    os.environ["PHARE_ANALYTICS_MAX_AGE"] = str(24 * 3600)
    setup_django()
    import logging

    from phare.core.demo import build_demo

    logging.getLogger("django.request").setLevel(logging.ERROR)  # readers refused a page

    started = time.perf_counter()
    build_demo(seed=42, employees=args.employees, say=lambda _m: None)
    print(f"Demo built in {time.perf_counter() - started:.1f} s ({args.employees} people).")
    for reader in READERS:  # the stores are built once, before anything is timed
        for _name, path in pages():
            client_for(reader).get(path)

    if "warm" in sections:
        print_table("Warm (the same page again)",
                    with_cache(3600, lambda: warm(args.repeat, only)),
                    with_cache(0, lambda: warm(5, only)))
    if "filter" in sections:
        print_table("A filter never chosen before",
                    with_cache(3600, lambda: filters(args.filters, only)),
                    with_cache(0, lambda: filters(args.filters, only)))
    if "change" in sections:
        print_table("First view after a data change",
                    with_cache(3600, lambda: after_change(args.changes, only)),
                    with_cache(0, lambda: after_change(2, only)))
    if args.responses:
        started = time.perf_counter()
        n = grow_barometer(args.responses)
        print(f"\nBarometer store grown to {n:,} responses in "
              f"{time.perf_counter() - started:.1f} s.")
        only = ("barometer", "verbatims", "insights home")
        print_table(f"Warm, barometer of {n:,} responses",
                    with_cache(3600, lambda: warm(args.repeat, only)),
                    with_cache(0, lambda: warm(3, only)))


if __name__ == "__main__":
    main()
