"""Demo step for usage: a year of Microsoft 365 reports, events and licences, imported as an
administrator would have imported them.

The files come from :mod:`phare.usage.demo_data` (the story is told there); this step reads the
people and services the earlier steps made, links the Microsoft 365 products to the
catalogue's services (Exchange → email and calendar, OneDrive and SharePoint → team spaces,
Teams → video meetings: the demo catalogue has no "Teams" service of its own), records the
Teams roll-out as a deployment, and imports every file through
:func:`phare.usage.services.import_usage`, oldest first — so the demo's imports page lists
them with their honest reports (unmatched people, deleted accounts).

The usage store lives outside the database: it is emptied first, since ``phare demo`` only runs
on an empty database and anything in the store would belong to no one.
"""

from __future__ import annotations

import datetime as dt
import time
from collections import Counter, defaultdict
from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils import timezone

from phare.catalog.models import Service
from phare.directory.models import Person
from phare.lib.demo import DemoContext
from phare.usage import demo_data as D
from phare.usage import services, store
from phare.usage.models import Deployment

#: The source of each file kind, as the step's messages name them.
KINDS = {D.ACTIVE_USERS: "active users reports", D.TEAMS_REPORT: "Teams activity reports",
         D.EVENTS: "event files", D.LICENCES: "licence files"}


def build(ctx: DemoContext) -> None:
    started = time.monotonic()
    today = timezone.localdate()
    catalogue = {s.slug: s for s in Service.objects.filter(slug__in=D.SERVICES)}
    people = demo_people()
    if not people:
        ctx.say("usage: no people in the directory, no usage made")
        return
    store.clear()
    _link_products(ctx, catalogue)
    launch = D.launch_date(today)
    teams = catalogue.get(D.TEAMS)
    if teams is not None:
        services.deployment_set(service=teams, launched_on=launch, target_rate=D.TARGET_RATE,
                                target_weeks=D.TARGET_WEEKS, shape=Deployment.Shape.S)
        ctx.say(f"usage: Teams ({teams.slug}) launched on {launch:%Y-%m-%d}, target "
                f"{D.TARGET_RATE:.0%} in {D.TARGET_WEEKS} weeks")
    missing = [slug for slug in D.SERVICES if slug not in catalogue]
    if missing:
        ctx.say(f"usage: not in the catalogue, left out of the story: {', '.join(missing)}")
    made = time.monotonic()
    files = D.generate(people, services=set(catalogue), today=today, seed=ctx.seed,
                       time_zone=settings.TIME_ZONE, seat_prices=_seat_prices(catalogue))
    size = sum(len(file.data) for file in files)
    ctx.say(f"usage: {len(files)} files generated ({size / 1e6:.1f} MB) in "
            f"{time.monotonic() - made:.1f} s")
    _import(ctx, files, today)
    ctx.say(f"usage: done in {time.monotonic() - started:.1f} s")


def demo_people() -> list[dict[str, Any]]:
    """The directory's people as :func:`phare.usage.demo_data.generate` takes them."""
    rows = Person.objects.order_by("pk").values_list(
        "email", "employee_id", "first_name", "last_name", "business_unit__code",
        "site__code", "job_family__code", "active")
    return [{"email": email, "employee_id": employee_id, "name": f"{first} {last}".strip(),
             "unit": unit, "site": site, "job_family": family, "active": active}
            for email, employee_id, first, last, unit, site, family, active in rows]


def _link_products(ctx: DemoContext, catalogue: Mapping[str, Service]) -> None:
    linked = []
    for product, slug in D.PRODUCT_SERVICES.items():
        service = catalogue.get(slug)
        if service is not None:
            services.link_product(product=product, service=service)
            linked.append(f"{product} → {slug}")
    if linked:
        ctx.say(f"usage: products linked: {', '.join(linked)}")


def _seat_prices(catalogue: Mapping[str, Service]) -> dict[str, float]:
    """The price of a seat per month: the catalogue's unit cost when it is one per user and
    month, else the demo's."""
    prices = {}
    for slug, price in D.SEAT_PRICES.items():
        service = catalogue.get(slug)
        if service is not None and service.cost_unit == "user_month" and service.unit_cost:
            prices[slug] = float(service.unit_cost)
        else:
            prices[slug] = price
    return prices


def _import(ctx: DemoContext, files: list[D.UsageFile], today: dt.date) -> None:
    user = get_user_model().objects.filter(username="marketing").first()
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    seconds: dict[str, float] = defaultdict(float)
    number: Counter[str] = Counter()
    for file in files:
        began = time.monotonic()
        period = D.REPORT_PERIOD if file.source.startswith("m365-") else None
        report = services.import_usage(file.data, file_name=file.name, source=file.source,
                                       period_days=period, user=user, today=today)
        seconds[file.source] += time.monotonic() - began
        number[file.source] += 1
        counts[file.source].update(report.counts())
        counts[file.source]["deleted"] += report.skipped.get("deleted", 0)
    for source, label in KINDS.items():
        if not number[source]:
            continue
        c = counts[source]
        extra = f", {c['deleted']:,} deleted accounts skipped" if c["deleted"] else ""
        if c["licences"] or c["seats"]:
            extra += f", {c['licences']:,} licences, {c['seats']:,} seat prices"
        ctx.say(f"usage: {number[source]} {label}: {c['rows_read']:,} rows read, "
                f"{c['imported']:,} records imported, {c['unchanged']:,} unchanged, "
                f"{c['unmatched']:,} rows unmatched{extra} ({seconds[source]:.1f} s)")
