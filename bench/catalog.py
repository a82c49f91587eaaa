"""Benchmark of the catalogue portal and search with a large catalogue.

Run from the project root: ``.venv/bin/python bench/catalog.py [--services 5000]``.
It builds the demo organisation with a small catalogue (the baseline, 100 services) and measures
it, then grows the same database to ``--services`` and measures again: search latency (p50, p95
over a fixed set of everyday queries, as an employee), the portal home, a service page and the
management list, with the number of SQL queries of each page. The query counts must not grow
with the number of services; times are printed with their ratio to the baseline. Nothing is
asserted.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable

from common import setup_django

QUERIES = ["teletravail", "vpn", "imprimante", "mot de passe", "visio", "wifi", "ordinateur",
           "tableau de bord", "contrat", "paie", "messagerie", "printer", "password", "remote",
           "smartphone", "accès", "données", "télétravail", "assistance", "sécurité"]


def timed(call: Callable[[], object], repeat: int) -> list[float]:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        call()
        times.append((time.perf_counter() - started) * 1000)
    return times


def measure(label: str) -> dict[str, tuple[float, float, int]]:
    """p50 and p95 in ms, and the SQL queries of one call, for each page and the search."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.utils import translation

    from phare.accounts.models import User
    from phare.catalog import access
    from phare.catalog.models import Service
    from phare.catalog.search import search_services

    employee = User.objects.get(username="employee")
    marketing = User.objects.get(username="marketing")
    visible = access.services_visible_to(employee)
    some = visible.order_by("slug").first()
    results: dict[str, tuple[float, float, int]] = {}

    def search_all() -> None:
        with translation.override("fr"):
            for query in QUERIES:
                search_services(query, within=visible, language="fr")

    per_query = [t / len(QUERIES) for t in timed(search_all, 5)]
    with CaptureQueriesContext(connection) as captured:
        search_services("teletravail", within=visible, language="fr")
    results["search (one query)"] = (statistics.median(per_query),
                                     max(per_query), len(captured))
    for who, user, path in [("portal home", employee, "/catalogue/"),
                            ("service page", employee, f"/catalogue/{some.slug}/"),
                            ("search page", employee, "/catalogue/search/?q=teletravail"),
                            ("management list", marketing, "/catalogue/manage/")]:
        client = Client()
        client.force_login(user)
        client.get(path)  # warm the session and caches
        times = timed(lambda c=client, p=path: c.get(p), 10)
        with CaptureQueriesContext(connection) as captured:
            status = client.get(path).status_code
        assert status == 200, (path, status)
        times.sort()
        results[who] = (statistics.median(times), times[int(len(times) * 0.95) - 1],
                        len(captured))
    print(f"\n{label}: {Service.objects.count()} services, {visible.count()} visible to the "
          f"employee")
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--services", type=int, default=5000)
    parser.add_argument("--employees", type=int, default=2000)
    parser.add_argument("--database-url", help="an EMPTY throw-away PostgreSQL database")
    args = parser.parse_args()
    setup_django(args.database_url)
    from django.db import transaction

    from phare.catalog.demo import build as build_catalog
    from phare.catalog.models import OfferFamily, Service
    from phare.core.demo import build_demo, demo_steps

    ctx = build_demo(seed=7, employees=args.employees, say=lambda _m: None,
                     options={"services": 100})
    baseline = measure("Baseline")
    # Grow the catalogue in the same database: the same people, many more services.
    with transaction.atomic():
        Service.objects.all().delete()
        OfferFamily.objects.all().delete()
        ctx.options["services"] = args.services
        assert dict(demo_steps())["catalog"] is build_catalog
        build_catalog(ctx)
    large = measure("Large")
    print(f"\n{'':22} {'p50 ms':>9} {'p95 ms':>9} {'queries':>8} | {'p50 ms':>9} {'p95 ms':>9} "
          f"{'queries':>8} | {'p50 ratio':>9}")
    for name, (p50, p95, queries) in baseline.items():
        big = large[name]
        print(f"{name:22} {p50:9.1f} {p95:9.1f} {queries:8d} | {big[0]:9.1f} {big[1]:9.1f} "
              f"{big[2]:8d} | {big[0] / p50:9.2f}")
    grown = [name for name in baseline if large[name][2] != baseline[name][2]]
    print("\nQuery counts: " + ("the same with 100 and with "
                                f"{args.services} services." if not grown else
                                "GREW for " + ", ".join(grown)))


if __name__ == "__main__":
    main()
