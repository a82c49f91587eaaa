"""Demo step for needs: ~300 needs from every business unit, votes, comments, scores, merged
duplicates, and three arbitration campaigns — one published, one decided, one open.

Needs are written through the app's services (so history, follows and merges hold), then their
dates are moved into the past, up to :data:`phare.catalog.demo_data.REFERENCE_DATE`. The two
past campaigns are solved and explained for real; the news of the published one is marked as
sent long ago, so the first digest run emails nobody about the past. The open campaign is left
for the marketing lead to run in the browser.

``ctx.options["needs"]`` sets the number of needs (default 300).
"""

from __future__ import annotations

import datetime as dt
import random
import time
from collections import defaultdict
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model

from phare.catalog.demo_data import REFERENCE_DATE
from phare.directory.models import Person
from phare.lib.demo import DemoContext
from phare.needs import services
from phare.needs.demo_data import (
    CAMPAIGN_NAMES_EN,
    CAMPAIGNS,
    COMMENTS,
    DECISION_REASONS,
    DECLINE_REASONS,
    LEAD_COMMENTS,
    TEAMS,
    THEMES,
    Theme,
)
from phare.needs.models import (
    Arbitration,
    Campaign,
    Comment,
    Decision,
    DeliveryTeam,
    Follow,
    Need,
    Notification,
    Rule,
    StatusChange,
    Vote,
)
from phare.needs.scoring import criteria_ensure, top_units
from phare.needs.services import (
    arbitration_explain,
    arbitration_run,
    campaign_save,
    decision_publish,
    decision_record,
    rule_add,
    share_set,
)

S = Need.Status
DEFAULT_NEEDS = 300
DAYS_PER_MONTH = 30
#: Words of the needs a regulation imposes (one of them is mandatory in each campaign).
COMPLIANCE = ("rgpd", "gdpr", "archiv", "authentification", "authentication", "formation en",
              "training")
#: Needs per campaign, past to present.
CAMPAIGN_SIZES = (20, 24, 30)


def _at(days_ago: float) -> dt.datetime:
    start = dt.datetime.combine(REFERENCE_DATE, dt.time(9, 0), tzinfo=dt.UTC)
    return start - dt.timedelta(days=days_ago)


class _Plan:
    """The people to draw from, by top-level unit, and what the steps share."""

    def __init__(self, ctx: DemoContext, rng: random.Random) -> None:
        self.rng = rng
        tops = top_units()
        codes = {unit.pk: code for code, unit in ctx.shared["units"].items()}
        self.by_top: dict[str, list[tuple[int, int, str]]] = defaultdict(list)
        for pk, unit_id, language in Person.objects.filter(
                active=True, business_unit__isnull=False).values_list(
                "pk", "business_unit_id", "language").order_by("pk"):
            self.by_top[codes[tops[unit_id]]].append((pk, unit_id, language))
        self.everyone = [p for people in self.by_top.values() for p in people]
        self.units = {unit.pk: unit for unit in ctx.shared["units"].values()}
        self.services = ctx.shared.get("services", {})
        self.lead = get_user_model().objects.filter(username="marketing").first()
        self.personas = ctx.shared["demo_people"]

    def person_in(self, top: str) -> tuple[int, int, str]:
        pool = self.by_top.get(top) or self.everyone
        return self.rng.choice(pool)


def build(ctx: DemoContext) -> None:
    started = time.monotonic()
    rng = random.Random(ctx.seed * 7919 + 6)  # its own stream: later steps keep theirs
    plan = _Plan(ctx, rng)
    teams = DeliveryTeam.objects.bulk_create(
        [DeliveryTeam(code=code, name=name) for code, name in TEAMS.items()])
    criteria_ensure()
    count = int(ctx.options.get("needs", DEFAULT_NEEDS))
    needs = _write_needs(plan, count)
    themes = {need.pk: theme for need, theme in needs}
    campaign_sets = _pick_campaign_needs(plan, [n for n, _t in needs])
    in_campaigns = {n.pk for group in campaign_sets for n in group}
    _statuses(plan, [n for n, _t in needs], in_campaigns)
    _scores(plan, [n for n, _t in needs if n.status != S.NEW or n.pk in in_campaigns], themes)
    _votes_and_comments(plan, [n for n, _t in needs])
    merged = _merge_duplicates(plan, needs, in_campaigns)
    made = [Campaign.objects.get(pk=c.pk) for c in _campaigns(plan, campaign_sets, teams)]
    # The past is told already: nobody gets an email about it on the first tick.
    Notification.objects.update(sent_at=_at(0))
    ctx.shared["needs"] = {n.pk: n for n, _t in needs}
    ctx.say(f"needs: {len(needs)} needs, {Vote.objects.count():,} votes, "
            f"{Comment.objects.count()} comments, {merged} duplicates merged, "
            f"{len(made)} arbitration campaigns ({', '.join(c.status for c in made)}), "
            f"in {time.monotonic() - started:.1f} s")


def _title(theme: Theme, language: str, rng: random.Random, used: set[str],
           unit_name: str) -> str:
    title = rng.choice(theme.titles_en if language == "en" else theme.titles_fr)
    if title in used:
        title = f"{title} ({unit_name})"
    used.add(title)
    return title


def _write_needs(plan: _Plan, count: int) -> list[tuple[Need, Theme]]:
    rng, used = plan.rng, set[str]()
    employee = plan.personas["employee"]
    made: list[tuple[Need, Theme]] = []
    # A theme is one need raised again and again: always in the language it was first raised
    # in, so that the list never shows the same need once in French and once in English.
    languages: dict[str, str] = {}
    ages = sorted((rng.uniform(3, 560) for _ in range(count)), reverse=True)
    for i, days_ago in enumerate(ages):
        theme = THEMES[rng.randrange(len(THEMES))]
        if i in (count - 12, count - 30):  # the demo employee raised two recent needs
            person_id, unit_id, language = employee.pk, employee.business_unit_id, "fr"
        else:
            person_id, unit_id, language = plan.person_in(rng.choice(theme.units))
        language = languages.setdefault(theme.titles_fr[0], language)
        unit = plan.units[unit_id]
        english = language == "en"
        need = services.need_submit(
            person=Person(pk=person_id), business_unit=unit, language=language,
            title=_title(theme, language, rng, used, unit.name),
            description=theme.text_en if english else theme.text_fr,
            expected_benefit=theme.benefit_en if english else theme.benefit_fr,
            urgency=rng.choices(Need.Urgency.values, weights=(3, 5, 3, 1))[0],
            services=[plan.services[s] for s in theme.services if s in plan.services],
            concerned_units=[unit] if rng.random() < 0.3 else [])
        need.created_at = _at(days_ago)
        made.append((need, theme))
    Need.objects.bulk_update([n for n, _t in made], ["created_at"])
    changes = StatusChange.objects.filter(need__in=[n for n, _t in made]).select_related("need")
    for change in changes:
        change.at = change.need.created_at
    StatusChange.objects.bulk_update(changes, ["at"])
    return made


def _pick_campaign_needs(plan: _Plan, needs: list[Need]) -> list[list[Need]]:
    """Needs old enough for each campaign, each in one campaign only; the demo employee's
    needs go to the open one."""
    sets: list[list[Need]] = []
    taken: set[int] = set()
    employee = plan.personas["employee"].pk
    for (_name, months, _status, _text), size in zip(CAMPAIGNS, CAMPAIGN_SIZES, strict=True):
        cutoff = _at(months * DAYS_PER_MONTH + 10)
        pool = [n for n in needs if n.created_at < cutoff and n.pk not in taken
                and (months == 0 or n.submitter_id != employee)]
        mine = [n for n in pool if n.submitter_id == employee]
        chosen = mine + plan.rng.sample([n for n in pool if n not in mine],
                                        min(size - len(mine), len(pool) - len(mine)))
        taken.update(n.pk for n in chosen)
        sets.append(chosen)
    return sets


def _walk(plan: _Plan, need: Need, path: Sequence[str], start: float, end: float,
          reasons: dict[str, str] | None = None) -> None:
    """Move ``need`` along ``path``, the steps dated evenly between ``start`` and ``end``
    days ago."""
    for k, status in enumerate(path, start=1):
        change = services.need_set_status(user=plan.lead, need=need, to=status,
                                          reason=(reasons or {}).get(status, ""), notify=False)
        StatusChange.objects.filter(pk=change.pk).update(
            at=_at(start - (start - end) * k / (len(path) + 1)))
    need.status = path[-1] if path else need.status


def _age(need: Need) -> float:
    return (_at(0) - need.created_at).total_seconds() / 86400


def _statuses(plan: _Plan, needs: list[Need], in_campaigns: set[int]) -> None:
    rng = plan.rng
    for need in needs:
        age = _age(need)
        if need.pk in in_campaigns:
            path = [S.QUALIFIED] + ([S.UNDER_STUDY] if rng.random() < 0.5 else [])
        elif age < 20:
            path = []
        else:
            path = rng.choices(
                [[], [S.QUALIFIED], [S.QUALIFIED, S.UNDER_STUDY], [S.DECLINED],
                 [S.QUALIFIED, S.DECLINED]], weights=(25, 35, 15, 10, 8))[0]
        _walk(plan, need, path, age, max(age - 25, 1),
              {S.DECLINED: rng.choice(DECLINE_REASONS)})


def _jitter(rng: random.Random, value: float, spread: float = 0.3) -> float:
    return max(0.0, value * rng.uniform(1 - spread, 1 + spread))


def _scores(plan: _Plan, needs: list[Need], themes: dict[int, Theme]) -> None:
    rng = plan.rng
    for need in needs:
        theme = themes[need.pk]

        def rating(base: int) -> int:
            return min(5, max(1, base + rng.choice((-1, 0, 0, 0, 1))))

        services.need_score(need=need, values={
            "business_value": rating(theme.value), "strategic_fit": rating(theme.fit),
            "risk": rating(theme.risk),
            "one_off_cost": round(_jitter(rng, theme.one_off), 1),
            "recurring_cost": round(_jitter(rng, theme.recurring), 1),
        }, efforts={team: round(_jitter(rng, days)) or 1 for team, days in theme.teams.items()})


def _votes_and_comments(plan: _Plan, needs: list[Need]) -> None:
    rng = plan.rng
    votes, follows, comments = [], [], []
    voted: set[tuple[int, int]] = set()
    tops = top_units()
    codes = {pk: unit.code for pk, unit in plan.units.items()}
    employee = plan.personas["employee"].pk
    for index, need in enumerate(needs):
        top = codes[tops[need.business_unit_id]]
        wanted = min(90, int(rng.expovariate(1 / 9)))
        # The demo employee supports a few colleagues' needs (never their own).
        if index % 37 == 5 and need.submitter_id != employee:
            voted.add((need.pk, employee))
            votes.append(Vote(need=need, person_id=employee))
        for _ in range(wanted):
            person, _unit, language = (plan.person_in(top) if rng.random() < 0.7
                                       else rng.choice(plan.everyone))
            if (need.pk, person) in voted or person == need.submitter_id:
                continue
            voted.add((need.pk, person))
            votes.append(Vote(need=need, person_id=person))
            if rng.random() < 0.15:
                follows.append(Follow(need=need, person_id=person))
        for _ in range(rng.choice((0, 0, 0, 1, 1, 2, 3))):
            person, _unit, language = plan.person_in(top)
            text = rng.choice(COMMENTS)[1 if language == "en" else 0]
            comments.append(Comment(need=need, author_id=person, text=text,
                                    at=_at(max(_age(need) - rng.uniform(1, 20), 0.5))))
        if (need.status != S.NEW and rng.random() < 0.25 and (lead := plan.lead) is not None
                and lead.person_id):
            comments.append(Comment(need=need, author_id=lead.person_id,
                                    text=rng.choice(LEAD_COMMENTS),
                                    at=_at(max(_age(need) - 21, 0.2))))
    Vote.objects.bulk_create(votes)
    Follow.objects.bulk_create(follows, ignore_conflicts=True)
    made = Comment.objects.bulk_create(comments)
    # ``at`` is set on creation; the demo's comments belong to the past.
    for comment, planned in zip(made, comments, strict=True):
        comment.at = planned.at
    Comment.objects.bulk_update(made, ["at"])


def _merge_duplicates(plan: _Plan, needs: list[tuple[Need, Theme]],
                      in_campaigns: set[int]) -> int:
    """Merge some later needs of a theme into its first one still open."""
    first: dict[str, Need] = {}
    merged = 0
    for need, theme in needs:
        if need.pk in in_campaigns or need.status not in (S.NEW, S.QUALIFIED):
            continue
        key = theme.titles_fr[0]
        if key not in first:
            first[key] = need
        elif plan.rng.random() < 0.25 and merged < 25:
            services.need_merge(user=plan.lead, duplicate=need, into=first[key],
                                reason="Même besoin que celui-ci : les votes sont regroupés.")
            StatusChange.objects.filter(need=need, to_status=S.MERGED).update(
                at=_at(max(_age(need) - 10, 0.5)))
            merged += 1
    return merged


def _capacity(total: float, share: float) -> Decimal:
    return Decimal(str(round(total * share)))


def _campaigns(plan: _Plan, sets: list[list[Need]], teams: list[DeliveryTeam]) -> list[Campaign]:
    made: list[Campaign] = []
    for (name, months, status, text), needs in zip(CAMPAIGNS, sets, strict=True):
        figures = _totals(needs)
        campaign = campaign_save(
            user=plan.lead, name=name, name_en=CAMPAIGN_NAMES_EN[name], description=text,
            method=(Campaign.Method.WEIGHTED, Campaign.Method.WSJF, Campaign.Method.WEIGHTED)[
                len(made)],
            budget_one_off=_capacity(figures["one_off"], 0.4),
            budget_recurring=_capacity(figures["recurring"], 0.5),
            vote_cap=10 if status == "open" else None, needs=needs,
            capacities={t.code: _capacity(figures[t.code], 0.5) for t in teams
                        if figures.get(t.code)})
        _rules(plan, campaign, needs)
        when = months * DAYS_PER_MONTH
        Campaign.objects.filter(pk=campaign.pk).update(created_at=_at(when + 20))
        if status != "open":
            _decide(plan, campaign, when, publish=status == "published")
        made.append(campaign)
    return made


def _totals(needs: list[Need]) -> dict[str, float]:
    from phare.needs.scoring import figures_of

    totals: dict[str, float] = defaultdict(float)
    for fig in figures_of(needs).values():
        totals["one_off"] += fig.values.get("one_off_cost") or 0.0
        totals["recurring"] += fig.values.get("recurring_cost") or 0.0
        for team, days in fig.efforts.items():
            totals[team] += days
    return totals


def _rules(plan: _Plan, campaign: Campaign, needs: list[Need]) -> None:
    """A regulatory need that must be in, a dependency, an exclusion, a minimum share."""
    ordered = sorted(needs, key=lambda n: n.pk)
    # The compliance need of the lot, if any, is the one that must be in.
    compliance = [n for n in ordered if any(word in n.title.lower() for word in COMPLIANCE)]
    must = compliance[0] if compliance else ordered[0]
    ordered.remove(must)
    rule_add(campaign=campaign, kind=Rule.Kind.MANDATORY, need=must)
    rule_add(campaign=campaign, kind=Rule.Kind.REQUIRES, need=ordered[1], other=ordered[2])
    rule_add(campaign=campaign, kind=Rule.Kind.EXCLUDES, need=ordered[3], other=ordered[4])
    units = {n.business_unit_id for n in needs}
    tops = top_units()
    if any(plan.units[tops[u]].code == "PROD" for u in units):
        share_set(campaign=campaign, unit=next(u for u in plan.units.values()
                                               if u.code == "PROD"), percent=Decimal("10"))


def _decide(plan: _Plan, campaign: Campaign, days_ago: float, *, publish: bool) -> None:
    """Run, decide and maybe publish. The published campaign is explained now (its needs' pages
    and decision page show the explanations); the other one by the worker once the demo is
    served, as the lead's own runs are."""
    arbitration = arbitration_run(user=plan.lead, campaign=campaign, explain=not publish)
    if publish:
        arbitration = arbitration_explain(arbitration)
    Arbitration.objects.filter(pk=arbitration.pk).update(created_at=_at(days_ago + 7))
    if arbitration.explained_at:
        Arbitration.objects.filter(pk=arbitration.pk).update(explained_at=_at(days_ago + 7))
    status = "published" if publish else "decided"
    decision_record(user=plan.lead, campaign=campaign, arbitration=arbitration,
                    reason=DECISION_REASONS[status])
    Decision.objects.filter(campaign=campaign).update(decided_at=_at(days_ago + 3))
    if not publish:
        return
    decision_publish(user=plan.lead, campaign=campaign)
    Decision.objects.filter(campaign=campaign).update(published_at=_at(days_ago))
    StatusChange.objects.filter(campaign=campaign).update(at=_at(days_ago))
    # Since then, some planned needs started and a few were delivered.
    for need in Need.objects.filter(pk__in=arbitration.result["chosen"], status=S.PLANNED):
        roll = plan.rng.random()
        path: list[Any] = ([S.IN_PROGRESS, S.DELIVERED] if roll < 0.4
                           else [S.IN_PROGRESS] if roll < 0.8 else [])
        _walk(plan, need, path, days_ago - 5, 10,
              {S.DELIVERED: "Livré et en service sur tous les sites concernés."})
