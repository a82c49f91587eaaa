"""The ticket experience for a filter nobody chose before: its figures read the reader's rated
tickets kept in DuckDB's memory (:class:`phare.insights.tickets.Rated`), with their audits
made once — and must be those of the straightforward computation over the store's files,
kept here as the reference (the function as it was before, one query per figure)."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

import pytest

from phare.insights import release, store
from phare.insights import tickets as T
from phare.insights.queries import unit_and_descendants
from phare.listening import services
from phare.listening.models import Survey
from phare.tickets.models import Ticket
from phare.tickets.services import ticket_survey_create
from tests.catalog.factories import make_families, make_service
from tests.directory.factories import make_person
from tests.insights.factories import rate

APRIL = dt.datetime(2026, 4, 2, 12, tzinfo=dt.UTC)
CHANNELS = ("portal", "phone", "email", "chat")
CATEGORIES = ("Poste de travail", "Messagerie", "Réseau")
GROUPS = ("Service Desk", "Proximité", "Réseau")
REASONS = {"low": ["slow", "repeat", "not_solved"], "mid": ["bit_long", "partly_solved"],
           "high": ["fast", "friendly", "first_time"]}


def reference(surveys: list[Survey], filters: T.TicketFilters, now: dt.datetime
              ) -> T.TicketExperience:
    """The ticket experience as it was computed before the rated tickets were kept: every
    query over the store's views, the audits built for the months released."""
    min_group = max(s.min_group_size for s in surveys)
    before = release.release_before(now)
    result = T.TicketExperience(surveys=surveys, min_group=min_group, released_before=before)
    base = filters.base(before)
    months = release.allowed(surveys, "tickets", filters.selections(), min_group,
                             base=base, per="month", people=T.PEOPLE)
    where, params = release.where([base, *(s.clause() for s in filters.selections())])
    frame = store.query(surveys, f"""
        SELECT month, {T.MONTH} AS key, {T._COUNTS} FROM tickets WHERE {where}
        GROUP BY 1, 2 ORDER BY 1""", params)
    if frame.empty:
        return result
    released = [m for m in months if m is not None]
    if not released:
        result.total = T._row(None, "all")
        result.by["month"] = [T._row(None, r.key) for r in frame.itertuples()]
        return result
    columns = ", ".join(f"{sql} AS {name}" for sql, name in T.AUDITED.items())
    marks = ", ".join("?" for _ in released)
    rows = store.query(surveys, f"""
        SELECT month, person, {columns} FROM tickets WHERE {base[0]} AND month IN ({marks})""",
                       [*base[1], *released]).fillna("")
    tree = release.unit_tree()
    audits = {release.key_of(month): release.RowAudit(group.drop(columns="month"),
                                                      list(T.AUDITED.values()), tree)
              for month, group in rows.groupby("month")}
    criteria = T._criteria(filters, tree)
    months = {m for m in months if m in audits and not audits[m].isolated(criteria, min_group)}
    released = [m for m in released if m in months]
    where += f" AND month IN ({', '.join('?' for _ in released) or 'NULL'})"
    params = [*params, *released]
    total: dict[str, Any] = {}
    result.by["month"] = []
    for row in frame.itertuples():
        if release.key_of(row.month) in months:
            T._add(total, row)
            result.by["month"].append(T._row({n: getattr(row, n) for n in T._SUMS}, row.key))
        else:
            result.by["month"].append(T._row(None, row.key))
    result.total = T._row(total or None, "all")
    result.bands = T._bands(total)
    dimensions = [d for d in T.DIMENSIONS if d != "month"] + [T.REASSIGN]
    breakdowns = T._breakdowns(store.query(
        surveys, T._breakdowns_sql(dimensions, where, "tickets"), params), dimensions)
    for dimension in dimensions[:-1]:
        result.by[dimension] = T._by(breakdowns[dimension], dimension, min_group,
                                     (audits, criteria))
    result.reassignments = [
        {**row, "key": "3+" if row["key"] == "3" else row["key"]}
        for row in T._by(breakdowns[T.REASSIGN], T.REASSIGN, min_group, (audits, criteria))]
    result.pareto = T._pareto(store.query(surveys, T._pareto_sql(where, "tickets"), params),
                              min_group)
    bands = store.query(surveys, T._bands_sql(where, "tickets"), params)
    choices = store.query(surveys, f"""
        SELECT c.question, c.option, grouping(c.option) AS whole,
               count(DISTINCT c.response) AS n, count(DISTINCT t.person) AS people
        FROM choices c JOIN (SELECT response, person FROM tickets WHERE {where}) t
             USING (response)
        GROUP BY GROUPING SETS ((c.question, c.option), (c.question))
        ORDER BY c.question, c.option NULLS FIRST""", params)
    result.questions = T._questions(surveys, bands, choices, min_group)
    result.reasons = T._reasons(result.questions)
    return result


def figures(data: T.TicketExperience) -> dict[str, Any]:
    return {name: getattr(data, name) for name in (
        "min_group", "total", "by", "reassignments", "pareto", "bands", "reasons", "questions",
        "released_before")}


@pytest.fixture
def tickets(personas, org):
    """Two hundred rated tickets over January to March 2026 by sixty people of three units
    (some rate several), on three services, four channels, three categories and groups: many
    cells of every breakdown fall under the minimum size, many do not."""
    make_families()
    offer = [make_service(slug, name_fr=slug.title(), family="collab")
             for slug in ("visio", "wiki", "vpn")]
    survey = ticket_survey_create()
    services.survey_set_status(survey, Survey.Status.OPEN)
    units = [org["dg"], org["dsi"], org["sales"]]
    people = [make_person(org, f"T{i:04d}", "Rater", f"N{i}", business_unit=units[i % 3])
              for i in range(60)]
    draw = random.Random(11)
    for number in range(200):
        rating = draw.choice([0, 2, 4, 6, 7, 8, 9, 9, 10, 10])
        band = "low" if rating <= 6 else "mid" if rating <= 8 else "high"
        rate(survey, people[draw.randrange(60) if number % 3 else number % 60], number,
             rating=rating, lost=draw.choice(["none", "lt_1h", "1_4h", "day", "more"]),
             reasons=draw.sample(REASONS[band], draw.randint(0, 2)),
             channel=draw.choice(CHANNELS), group=draw.choice(GROUPS),
             reassignments=draw.choice([0, 0, 1, 2, 4]),
             day=dt.date(2026, 1 + number % 3, 1 + number % 27))
        Ticket.objects.filter(external_id=f"INC{number:05d}").update(
            category=draw.choice(CATEGORIES), service=offer[draw.randrange(3)])
    return survey


def cases() -> list[T.TicketFilters]:
    """Every filter the page offers, alone and combined, for readers of everything, of two
    services and of none."""
    chosen: list[dict[str, Any]] = [{}]
    chosen += [{"units": unit_and_descendants(code)} for code in ("DG", "DSI", "VEN")]
    chosen += [{"channel": channel} for channel in CHANNELS]
    chosen += [{"services": (slug,)} for slug in ("visio", "wiki", "vpn")]
    chosen += [{"months": ("2026-02",)}, {"months": ("2026-01", "2026-03")},
               {"units": ("VEN",), "channel": "portal"},
               {"months": ("2026-03",), "channel": "phone", "services": ("wiki",)}]
    out = [T.TicketFilters(**filters) for filters in chosen]
    out += [T.TicketFilters(scope=("visio", "wiki"), **filters) for filters in chosen[:8]]
    out.append(T.TicketFilters(scope=()))
    return out


def test_it_gives_every_filters_figures_as_the_reference_computation(tickets):
    shown = hidden = 0
    for filters in cases():
        data = T.experience([tickets], filters, now=APRIL)
        assert figures(data) == figures(reference([tickets], filters, APRIL)), filters
        for rows in data.by.values():
            shown += sum(not row["suppressed"] for row in rows)
            hidden += sum(row["suppressed"] for row in rows)
    # The comparison covers released and suppressed cells alike.
    assert shown > 50 and hidden > 20


def test_it_gives_the_same_figures_whatever_was_chosen_before(tickets):
    """The rated tickets and their audits are kept from one filter to the next: a filter's
    figures do not depend on those computed before it, in any order."""
    filters = cases()
    first = {f: figures(T.experience([tickets], f, now=APRIL)) for f in filters}
    for f in reversed(filters):
        assert figures(T.experience([tickets], f, now=APRIL)) == first[f], f


def test_it_reads_the_new_answers_once_the_store_changes(tickets, org):
    """Kept tables and audits hold the store as it was: a new released answer changes the
    figures of every filter at once."""
    filters = T.TicketFilters(channel="portal")
    before = T.experience([tickets], filters, now=APRIL)
    newcomer = make_person(org, "T9999", "New", "Rater", business_unit=org["sales"])
    for number in range(300, 306):
        rate(tickets, newcomer if number == 300 else None, number, rating=0, lost="more",
             day=dt.date(2026, 2, 10))
    store.refresh(tickets)
    after = T.experience([tickets], filters, now=APRIL)
    assert figures(after) == figures(reference([tickets], filters, APRIL))
    assert after.total["n"] == before.total["n"] + 6


def test_a_month_not_over_is_kept_apart(tickets):
    """The rated tickets kept are those released at the time asked: March is not released on
    the 10th of March, and its tickets are in no figure, whatever was kept for April."""
    T.experience([tickets], T.TicketFilters(), now=APRIL)
    march = dt.datetime(2026, 3, 10, 12, tzinfo=dt.UTC)
    data = T.experience([tickets], T.TicketFilters(), now=march)
    assert [row["key"] for row in data.by["month"]] == ["2026-01", "2026-02"]
    assert figures(data) == figures(reference([tickets], T.TicketFilters(), march))
