"""Demo step for the catalogue: the IT offer of the demo group, in French and English.

The hand-written services of :mod:`phare.catalog.demo_data` are written the way an import would
write them: each content dict is normalised and checked (a demo service breaking the rules is a
bug, so it stops the build), applied, and recorded in the service's history. Related services and
replacements point at services of the same list, so they are linked once every service exists.

``--services N`` scales the catalogue: fewer than the hand-written list takes its first N (links
to services left out are dropped, and a retiring service that lost its replacement stays live);
more adds generated services, planned in memory from ``ctx.rng`` and written with bulk inserts,
which are fast enough for benchmarks of several thousand services.

Later demo steps find in ``ctx.shared``: ``"services"`` (slug → Service) and ``"families"``
(code → OfferFamily).
"""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.utils.text import slugify

from phare.catalog.content import Content, check_content, diff, normalise
from phare.catalog.demo_data import (
    FAMILIES,
    GENERATED_BENEFITS,
    GENERATED_COMMITMENTS,
    GENERATED_FAQS,
    GENERATED_INTROS,
    GENERATED_KINDS,
    GENERATED_NEWS,
    GENERATED_PROMISES,
    GENERATED_STEPS,
    GENERATED_TOPICS,
    OWNER_TEAMS,
    REFERENCE_DATE,
    SERVICE_DESK,
    SERVICES,
    CommitmentSpec,
    ServiceSpec,
)
from phare.catalog.models import Commitment, Faq, NewsEntry, OfferFamily, Revision, Service
from phare.catalog.search import reindex_all
from phare.catalog.services import apply_content, record_revision
from phare.directory.models import Person
from phare.lib.demo import DemoContext

L = Service.Lifecycle
P = Service.Publication
BATCH_SIZE = 2000


def build(ctx: DemoContext) -> None:
    families = {
        spec.code: OfferFamily(code=spec.code, name_fr=spec.name[0], name_en=spec.name[1],
                               description_fr=spec.description[0],
                               description_en=spec.description[1], position=position)
        for position, spec in enumerate(FAMILIES)
    }
    OfferFamily.objects.bulk_create(families.values())

    wanted = ctx.options.get("services")
    specs = _first(SERVICES, wanted) if wanted is not None else list(SERVICES)
    owners = _Owners.of(ctx)
    author = get_user_model().objects.filter(username="marketing").first()
    services = _write_hand_written(specs, owners, author)
    if wanted is not None and wanted > len(specs):
        services.update(_write_generated(ctx, wanted - len(specs), services, families, owners,
                                         author))
    reindex_all()

    ctx.shared["families"] = families
    ctx.shared["services"] = services
    lifecycles = Counter(s.lifecycle for s in services.values())
    publications = Counter(s.publication for s in services.values())
    ctx.say(
        f"catalog: {len(services):,} services in {len(families)} families "
        f"({lifecycles[L.LIVE]:,} live, {lifecycles[L.RETIRING]:,} retiring, "
        f"{lifecycles[L.RETIRED]:,} retired, "
        f"{lifecycles[L.PROPOSED] + lifecycles[L.DESIGN]:,} proposed or in design; "
        f"{publications[P.DRAFT]:,} drafts, {publications[P.REVIEW]:,} in review)"
    )


def _first(specs: Iterable[ServiceSpec], count: int) -> list[ServiceSpec]:
    """The first ``count`` services, without links to the services left out."""
    kept = list(specs)[:count]
    slugs = {spec.slug for spec in kept}
    out = []
    for spec in kept:
        changes: dict[str, Any] = {"related": tuple(s for s in spec.related if s in slugs)}
        if spec.replacement and spec.replacement not in slugs:
            changes["replacement"] = ""
            if spec.lifecycle == L.RETIRING:  # a retiring service must name its replacement
                changes["lifecycle"] = L.LIVE
        out.append(replace(spec, **changes))
    return out


@dataclass
class _Owners:
    """Who owns what: the people of the IT teams, taken in turn, in employee id order."""

    teams: dict[str, list[Person]]
    everyone: list[Person]
    demo_owner: Person
    turns: Counter[str] = field(default_factory=Counter)

    @classmethod
    def of(cls, ctx: DemoContext) -> _Owners:
        # The demo logins' people own only what the data says (the marketing lead owns none).
        personas = {person.pk for person in ctx.shared["demo_people"].values()}
        people = list(Person.objects.filter(business_unit__code__in=OWNER_TEAMS, active=True)
                      .exclude(pk__in=personas).select_related("business_unit")
                      .order_by("employee_id"))
        if len(people) < 2:
            raise ValueError("the demo organisation has too few IT people to own services")
        teams: dict[str, list[Person]] = {code: [] for code in OWNER_TEAMS}
        for person in people:
            unit = person.business_unit
            assert unit is not None  # the query keeps the people of OWNER_TEAMS only
            teams[unit.code].append(person)
        return cls(teams=teams, everyone=people, demo_owner=ctx.shared["demo_people"]["owner"])

    def pair(self, team: str) -> tuple[Person, Person]:
        """The next owner and deputy of ``team`` (anyone in IT when the team is too small)."""
        pool = self.teams.get(team, [])
        if len(pool) < 2:
            pool, team = self.everyone, "*"
        turn = self.turns[team]
        self.turns[team] += 1
        return pool[turn % len(pool)], pool[(turn + 1) % len(pool)]

    def of_spec(self, spec: ServiceSpec) -> tuple[Person, Person]:
        owner, deputy = self.pair(spec.team)
        if spec.demo_owner == "owner":
            return self.demo_owner, owner
        if spec.demo_owner == "deputy":
            return owner, self.demo_owner
        return owner, deputy


# --- The hand-written services ---------------------------------------------------------------


def _published_at(days_ago: int) -> dt.datetime:
    return dt.datetime.combine(REFERENCE_DATE - dt.timedelta(days=days_ago), dt.time(9, 0),
                               tzinfo=dt.UTC)


def _related_both_ways(specs: list[ServiceSpec]) -> dict[str, set[str]]:
    # Related services are a symmetrical relation: B lists A when A lists B.
    related: dict[str, set[str]] = {spec.slug: set() for spec in specs}
    for spec in specs:
        for other in spec.related:
            related[spec.slug].add(other)
            related[other].add(spec.slug)
    return related


def _content(spec: ServiceSpec, owner: Person, deputy: Person, related: set[str]) -> Content:
    (name_fr, name_en), (promise_fr, promise_en) = spec.name, spec.promise
    return normalise({
        "name_fr": name_fr, "name_en": name_en, "promise_fr": promise_fr,
        "promise_en": promise_en,
        "description_fr": spec.description[0], "description_en": spec.description[1],
        "how_to_get_fr": spec.how_to_get[0], "how_to_get_en": spec.how_to_get[1],
        "request_url": spec.request_url, "keywords": spec.keywords, "family": spec.family,
        "audience_everyone": not (spec.units or spec.sites or spec.job_families),
        "audience_units": spec.units, "audience_sites": spec.sites,
        "audience_job_families": spec.job_families,
        "cost_unit": spec.cost.unit, "unit_cost": spec.cost.unit_cost,
        "charging": spec.cost.charging, "annual_run_cost": spec.cost.annual_run_cost,
        "owner": owner.employee_id, "deputy": deputy.employee_id,
        "related": sorted(related), "replacement": spec.replacement,
        "commitments": [c._asdict() for c in spec.commitments],
        "faqs": [f._asdict() for f in spec.faqs],
        "news": [{"date": (REFERENCE_DATE - dt.timedelta(days=n.days_ago)).isoformat(),
                  "title_fr": n.title_fr, "title_en": n.title_en, "body_fr": n.body_fr,
                  "body_en": n.body_en} for n in spec.news],
    })


def _write_hand_written(specs: list[ServiceSpec], owners: _Owners,
                        author: Any) -> dict[str, Service]:
    slugs = {spec.slug for spec in specs}
    related = _related_both_ways(specs)
    services: dict[str, Service] = {}
    for position, spec in enumerate(specs):
        data = _content(spec, *owners.of_spec(spec), related[spec.slug])
        errors = check_content(data, slug=spec.slug, known_slugs=slugs)
        if errors:
            raise ValueError(f"demo service {spec.slug} breaks the catalogue rules: {errors}")
        published = spec.publication == P.PUBLISHED
        # Published before its oldest news, spread over the previous two years.
        age = max((n.days_ago for n in spec.news), default=0) + 30 + (position * 37) % 400
        service = Service(slug=spec.slug, lifecycle=spec.lifecycle, publication=spec.publication,
                          published_at=_published_at(age) if published else None)
        # Links go in once every service exists (below); the history records them now.
        apply_content(service, {**data, "related": [], "replacement": ""})
        record_revision(service=service, action=Revision.Action.CREATED, user=author,
                        changes=diff({}, data))
        services[spec.slug] = service

    Through = Service.related.through
    Through.objects.bulk_create(
        Through(from_service_id=services[a].pk, to_service_id=services[b].pk)
        for a in sorted(related) for b in sorted(related[a]))
    replaced = []
    for spec in specs:
        if spec.replacement:
            services[spec.slug].replacement = services[spec.replacement]
            replaced.append(services[spec.slug])
    Service.objects.bulk_update(replaced, ["replacement"])
    return services


# --- Generated services for larger catalogues ------------------------------------------------


@dataclass
class _Planned:
    """A generated service before it is written: the row, its children and its links."""

    service: Service
    family: str
    commitments: list[CommitmentSpec]
    faqs: list[int]
    news: list[tuple[int, int]]  # (days ago, index in GENERATED_NEWS)
    related: list[int] = field(default_factory=list)  # indices in the planned list
    unit: str = ""
    site: str = ""
    job_family: str = ""


_COSTS = {  # family → (cost unit, lowest and highest unit cost in €, charged back share)
    "remote": (Service.CostUnit.USER_MONTH, 1, 12, 0.3),
    "collab": (Service.CostUnit.USER_MONTH, 1, 8, 0.2),
    "devices": (Service.CostUnit.USER_MONTH, 5, 60, 0.8),
    "data": (Service.CostUnit.REQUEST, 100, 900, 0.7),
    "business": (Service.CostUnit.USER_MONTH, 10, 120, 0.9),
    "security": (Service.CostUnit.USER_MONTH, 0.3, 4, 0.1),
    "support": (Service.CostUnit.REQUEST, 10, 80, 0.1),
}


def _lifecycle(rng: random.Random) -> str:
    draw = rng.random()
    for threshold, lifecycle in ((0.04, L.PROPOSED), (0.08, L.DESIGN), (0.12, L.RETIRING),
                                 (0.16, L.RETIRED)):
        if draw < threshold:
            return lifecycle
    return L.LIVE


def _publication(rng: random.Random, lifecycle: str) -> str:
    if lifecycle in (L.PROPOSED, L.DESIGN):
        return rng.choice([P.DRAFT, P.DRAFT, P.REVIEW])
    draw = rng.random()
    return P.DRAFT if draw < 0.05 else P.REVIEW if draw < 0.08 else P.PUBLISHED


def _plan_one(rng: random.Random, number: int, family: str, owners: _Owners,
              audience: dict[str, list[str]]) -> _Planned:
    topic_fr, topic_en, topic_keywords = rng.choice(GENERATED_TOPICS)
    kind_fr, kind_en = GENERATED_KINDS[family]
    name_fr = f"{kind_fr} {topic_fr} n° {number}"
    name_en = f"{topic_en.capitalize()} {kind_en} no. {number}"
    slug = slugify(name_fr)[:80]

    def text(pair: tuple[str, str]) -> tuple[str, str]:
        return pair[0].format(t=topic_fr), pair[1].format(te=topic_en)

    promise = text(rng.choice(GENERATED_PROMISES))
    intro = text(rng.choice(GENERATED_INTROS))
    benefits = rng.sample(GENERATED_BENEFITS, 3)
    description = tuple(
        f"{intro[k]}\n\n" + "\n".join(f"- {b[k]}" for b in benefits) for k in (0, 1))
    steps = rng.choice(GENERATED_STEPS)
    lifecycle = _lifecycle(rng)
    publication = _publication(rng, lifecycle)
    cost_unit, low, high, charged = _COSTS[family]
    owner, deputy = owners.pair("*")
    service = Service(
        slug=slug, name_fr=name_fr, name_en=name_en, promise_fr=promise[0],
        promise_en=promise[1], description_fr=description[0], description_en=description[1],
        how_to_get_fr=steps[0], how_to_get_en=steps[1],
        request_url=f"{SERVICE_DESK}/demande/{slug}",
        keywords=f"{kind_fr.lower()}, {kind_en}, {topic_en}, {topic_keywords}",
        cost_unit=cost_unit, unit_cost=Decimal(f"{rng.uniform(low, high):.2f}"),
        charging=(Service.Charging.CHARGED_BACK if rng.random() < charged
                  else Service.Charging.INCLUDED),
        annual_run_cost=Decimal(rng.randrange(10, 900) * 1000),
        owner=owner, deputy=deputy, lifecycle=lifecycle, publication=publication,
        published_at=(_published_at(rng.randrange(30, 900)) if publication == P.PUBLISHED
                      else None),
    )
    planned = _Planned(
        service=service, family=family,
        commitments=rng.sample(GENERATED_COMMITMENTS, rng.randint(1, 3)),
        faqs=rng.sample(range(len(GENERATED_FAQS)), rng.randint(0, 2)),
        news=[(rng.randrange(1, 365), rng.randrange(len(GENERATED_NEWS)))
              for _ in range(rng.randint(0, 2))],
    )
    draw = rng.random()  # most services are for everyone; some for one unit, site or family
    if draw < 0.10:
        planned.unit = rng.choice(audience["units"])
    elif draw < 0.13:
        planned.site = rng.choice(audience["sites"])
    elif draw < 0.15:
        planned.job_family = rng.choice(audience["job_families"])
    service.audience_everyone = not (planned.unit or planned.site or planned.job_family)
    return planned


def _write_generated(ctx: DemoContext, count: int, existing: dict[str, Service],
                     families: dict[str, OfferFamily], owners: _Owners,
                     author: Any) -> dict[str, Service]:
    rng = ctx.rng
    start = len(existing) + 1
    codes = [spec.code for spec in FAMILIES]
    audience = {
        # Top-level units only: a service "for Production" covers its workshops too.
        "units": sorted(code for code, unit in ctx.shared["units"].items()
                        if unit.parent_id is None),
        "sites": sorted(ctx.shared["sites"]),
        "job_families": sorted(ctx.shared["job_families"]),
    }
    plans = [_plan_one(rng, start + i, codes[i % len(codes)], owners, audience)
             for i in range(count)]
    for i, plan in enumerate(plans):  # two or three links to services made before it
        if i:
            plan.related = sorted(set(rng.sample(range(i), min(i, rng.randint(2, 3)))))
    for plan in plans:
        plan.service.family = families[plan.family]
    rows = Service.objects.bulk_create([p.service for p in plans], batch_size=BATCH_SIZE)

    # A retiring or retired service is replaced by a live one of its family.
    live: dict[str, list[Service]] = {}
    for service in existing.values():
        if service.lifecycle == L.LIVE:
            live.setdefault(service.family.code, []).append(service)
    for plan in plans:
        if plan.service.lifecycle == L.LIVE:
            live.setdefault(plan.family, []).append(plan.service)
    replaced = []
    for plan in plans:
        if plan.service.lifecycle in (L.RETIRING, L.RETIRED):
            plan.service.replacement = rng.choice(live[plan.family])
            replaced.append(plan.service)
    Service.objects.bulk_update(replaced, ["replacement"], batch_size=BATCH_SIZE)

    _write_children(plans, ctx)
    Revision.objects.bulk_create(
        (Revision(service=s, action=Revision.Action.CREATED, by=author) for s in rows),
        batch_size=BATCH_SIZE)
    return {s.slug: s for s in rows}


def _write_children(plans: list[_Planned], ctx: DemoContext) -> None:
    Commitment.objects.bulk_create(
        (Commitment(service=p.service, position=i, text_fr=c.text_fr, text_en=c.text_en,
                    target=Decimal(c.target), unit=c.unit)
         for p in plans for i, c in enumerate(p.commitments)), batch_size=BATCH_SIZE)
    Faq.objects.bulk_create(
        (Faq(service=p.service, position=i, question_fr=GENERATED_FAQS[f].question_fr,
             question_en=GENERATED_FAQS[f].question_en, answer_fr=GENERATED_FAQS[f].answer_fr,
             answer_en=GENERATED_FAQS[f].answer_en)
         for p in plans for i, f in enumerate(p.faqs)), batch_size=BATCH_SIZE)
    NewsEntry.objects.bulk_create(
        (NewsEntry(service=p.service, date=REFERENCE_DATE - dt.timedelta(days=days),
                   title_fr=GENERATED_NEWS[n][0], title_en=GENERATED_NEWS[n][1])
         for p in plans for days, n in p.news), batch_size=BATCH_SIZE)
    Related = Service.related.through
    pairs = {(p.service.pk, plans[j].service.pk) for p in plans for j in p.related}
    Related.objects.bulk_create(
        (Related(from_service_id=a, to_service_id=b)
         for a, b in sorted(pairs | {(b, a) for a, b in pairs})), batch_size=BATCH_SIZE)
    shared = ctx.shared
    Service.audience_units.through.objects.bulk_create(
        (Service.audience_units.through(service_id=p.service.pk,
                                        businessunit_id=shared["units"][p.unit].pk)
         for p in plans if p.unit), batch_size=BATCH_SIZE)
    Service.audience_sites.through.objects.bulk_create(
        (Service.audience_sites.through(service_id=p.service.pk,
                                        site_id=shared["sites"][p.site].pk)
         for p in plans if p.site), batch_size=BATCH_SIZE)
    Service.audience_job_families.through.objects.bulk_create(
        (Service.audience_job_families.through(
            service_id=p.service.pk, jobfamily_id=shared["job_families"][p.job_family].pk)
         for p in plans if p.job_family), batch_size=BATCH_SIZE)
