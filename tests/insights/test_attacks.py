"""The attacks of a determined reader, played against the pages' figures: each test passes only
because the attack fails. See docs/PRIVACY.md for the rules these prove."""

from __future__ import annotations

import datetime as dt
import itertools
import random
from collections import Counter

import pytest

from phare.directory.models import BusinessUnit, Person
from phare.insights import barometer as B
from phare.insights import store
from phare.insights import tickets as T
from phare.insights import verbatims as V
from phare.listening.exports.rules import QUASI_IDENTIFIERS, ExportRefused
from phare.listening.exports.table import build_table
from phare.tickets.models import Ticket
from tests.insights.factories import add_wave, answer, rate
from tests.listening.factories import make_barometer

K = 5
LABELS: dict = {}


# --- 1. the verbatim explorer as an oracle ---------------------------------------------------

@pytest.fixture
def one_lonely_commenter(personas):
    """24 comments in Ventes at Lyon, and one person alone in DSI × Marseille-like segment
    (site PAR, job family IT) on a day of their own, with a comment to recover."""
    survey = make_barometer()
    wave = add_wave(survey, 1, dt.date(2026, 3, 2))
    for i in range(24):
        answer(survey, wave, nps=[2, 9][i % 2], comment=f"VPN lent au bureau {i % 4}",
               unit="VEN", site="LYS", job="COM", day=dt.date(2026, 3, 4 + i % 3))
    answer(survey, wave, nps=1, comment="alice_42 deteste son manager", unit="DSI", site="PAR",
           job="IT", day=dt.date(2026, 3, 9))
    return survey


def test_narrowing_to_one_person_gives_no_count_and_nothing_to_grow_a_word_against(
        one_lonely_commenter, login):
    survey = one_lonely_commenter
    target = V.VerbatimFilters(units=("DSI",), sites=("PAR",), job_families=("IT",),
                               since="2026-03", until="2026-03")
    seen = set()
    for prefix in ("a", "al", "ali", "alice", "alice_4", "alice_42 d", "zzz"):
        for band in ("", "low", "high"):
            result = V.explore(survey, V.VerbatimFilters(**{**target.__dict__, "words": prefix,
                                                            "band": band}))
            seen.add((result.total, result.shown, len(result.rows)))
    # Whatever the word or band, the same answer: nothing, not even a count.
    assert seen == {(None, False, 0)}
    client = login("marketing")
    html = client.get("/insights/verbatims/", {"survey": survey.slug, "unit": "DSI",
                                               "site": "PAR", "job_family": "IT",
                                               "words": "alice"}).content.decode()
    assert "alice_42" not in html and "1 comment" not in html and "1 commentaire" not in html
    # Days cannot be asked for: the period is given in months.
    page = client.get("/insights/verbatims/", {"survey": survey.slug, "since": "2026-03-09",
                                               "until": "2026-03-09"})
    assert "YYYY-MM" in page.content.decode() and "alice_42" not in page.content.decode()


def test_the_whole_group_shows_comments_but_never_who_wrote_them(one_lonely_commenter):
    result = V.explore(one_lonely_commenter, V.VerbatimFilters())
    assert result.shown and result.total == 25 + 13  # 25 comments + 13 "why low" answers
    lonely = [row for row in result.rows if "alice_42" in row["text"]]
    # The comment is in a group of 25 people; nothing beside it points to its author's unit.
    assert lonely and lonely[0]["unit"] == "" and lonely[0]["when"] in ("2026-03", "")
    assert {row["unit"] for row in result.rows} <= {"VEN", ""}


def test_wildcards_in_words_match_only_themselves(one_lonely_commenter):
    survey = one_lonely_commenter
    assert V.explore(survey, V.VerbatimFilters(words="VPN")).total == 24
    # "_" and "%" were SQL wildcards: "V_N" and "%" would have matched every VPN comment.
    for word in ("V_N", "%", "_"):
        result = V.explore(survey, V.VerbatimFilters(words=word))
        assert result.total is None and not result.rows, word


# --- 2. subtracting the shown sub-units from the parent -------------------------------------

def released_groups(survey, rows, waves=(1,)):
    """Every group of responses the barometer releases for one wave, under every filter the
    page allows, with the breakdowns shown under each: as sets of response ids."""
    units = [""] + list(BusinessUnit.objects.values_list("code", flat=True))
    sites = ["", *sorted({r[2] for r in rows})]
    jobs = ["", *sorted({r[3] for r in rows})]
    tree = dict(BusinessUnit.objects.values_list("code", "parent__code"))

    def covers(unit, code):
        while code:
            if code == unit:
                return True
            code = tree.get(code)
        return False

    groups, breakdowns = [], []
    for unit, site, job in itertools.product(units, sites, jobs):
        filters = B.Filters(waves=waves,
                            units=B.Filters().units if not unit else _subtree(unit, tree),
                            sites=(site,) if site else (), job_families=(job,) if job else ())
        members = {r[0] for r in rows if (not unit or covers(unit, r[1]))
                   and (not site or r[2] == site) and (not job or r[3] == job)}
        wave_rows, _csat = B.wave_figures(survey, filters)
        if not wave_rows or wave_rows[0].suppressed:
            continue
        assert wave_rows[0].responses == len(members) >= K
        groups.append(frozenset(members))
        LABELS[frozenset(members)] = (unit, site, job)
        for by, column in (("unit", 1), ("site", 2), ("job_family", 3)):
            shown = []
            for cell in B.segment_breakdown(survey, filters, by):
                if cell["suppressed"]:
                    assert cell["n"] is None and cell["nps"] is None
                    continue
                inside = {r[0] for r in rows if r[0] in members and (
                    covers(cell["segment"], r[1]) if by == "unit" else r[column] == cell[
                        "segment"])}
                assert cell["n"] == len(inside) >= K
                shown.append(frozenset(inside))
                groups.append(frozenset(inside))
                LABELS.setdefault(frozenset(inside), (unit, site, job, by, cell["segment"]))
            breakdowns.append((frozenset(members), shown))
    return groups, breakdowns


def _subtree(unit, tree):
    found = [unit]
    for code in tree:
        parent = tree.get(code)
        while parent:
            if parent == unit:
                found.append(code)
                break
            parent = tree.get(parent)
    return tuple(found)


def assert_no_small_difference(groups, breakdowns):
    """No released group minus another released group it holds — whatever filters define
    them — and no group minus its shown parts, gives a group of 1 to k-1 people."""
    for big, small in itertools.permutations(set(groups), 2):
        if small < big:
            assert len(big - small) >= K, (len(big), len(small), LABELS[big], LABELS[small])
    for whole, shown in breakdowns:
        rest = whole - frozenset().union(*shown) if shown else frozenset()
        assert len(rest) == 0 or len(rest) >= K, (len(whole), [len(s) for s in shown])


def test_the_parent_minus_its_shown_sub_units_never_gives_one_person(personas):
    survey = make_barometer()
    wave = add_wave(survey, 1, dt.date(2025, 1, 6))
    rows = []
    # Direction générale: 8 attached directly, 1 promoter in DSI below it; Ventes: 10.
    for i, (unit, score) in enumerate([("DG", 3)] * 8 + [("DSI", 10)] + [("VEN", 7)] * 10):
        response = answer(survey, wave, nps=score, unit=unit, site="PAR", job="IT")
        rows.append((str(response.pk), unit, "PAR", "IT"))
        assert i >= 0
    groups, breakdowns = released_groups(survey, rows)
    assert frozenset(r[0] for r in rows) in groups  # the headline is shown
    assert_no_small_difference(groups, breakdowns)
    # The lonely promoter is in no released group of fewer than its parent's 9.
    promoter = rows[8][0]
    assert min(len(g) for g in groups if promoter in g) >= 9


def test_suppressed_waves_print_no_response_count(personas, login):
    survey = make_barometer()
    first = add_wave(survey, 1, dt.date(2025, 1, 6))
    second = add_wave(survey, 2, dt.date(2025, 7, 7))
    for _ in range(12):
        answer(survey, first, nps=9, unit="VEN")
    for _ in range(3):
        answer(survey, second, nps=2, unit="VEN")
    waves, _ = B.wave_figures(survey, B.Filters())
    assert [(w.responses, w.suppressed) for w in waves] == [(12, False), (None, True)]
    html = login("marketing").get(f"/insights/barometer/{survey.slug}/").content.decode()
    assert '<th scope="row">Vague 2</th><td>—</td>' in html
    assert '<th scope="row">Vague 1</th><td>12</td>' in html
    # Both waves together would give the second by subtraction: not shown either.
    both, _ = B.wave_figures(survey, B.Filters(waves=(1, 2)))
    assert all(w.suppressed and w.responses is None for w in both)


@pytest.mark.slow
def test_no_released_number_comes_from_fewer_than_k_people_whatever_the_filters(personas):
    """A property over random organisations: every figure shown under every filter holds at
    least k people, and no two released groups, nor a group and its shown parts, differ by
    fewer than k people."""
    generator = random.Random(20261206)
    units = ["DG", "DSI", "VEN"]
    for case in range(3):
        survey = make_barometer(f"prop-{case}")
        wave = add_wave(survey, 1, dt.date(2025, 1, 6))
        rows = []
        for _ in range(generator.randint(12, 40)):
            unit = generator.choice(units)
            site, job = generator.choice(["PAR", "LYS"]), generator.choice(["IT", "COM"])
            response = answer(survey, wave, nps=generator.randint(0, 10), unit=unit, site=site,
                              job=job)
            rows.append((str(response.pk), unit, site, job))
        groups, breakdowns = released_groups(survey, rows)
        assert all(len(g) >= K for g in groups)
        assert_no_small_difference(groups, breakdowns)


def test_groups_nested_by_chance_on_other_dimensions_are_not_subtracted(personas):
    """All of Direction générale's people at Lyon are in IT, with 4 other IT people: the IT
    group minus the (DG, Lyon) group would be those 4 — so one of the two is not shown."""
    survey = make_barometer()
    wave = add_wave(survey, 1, dt.date(2025, 1, 6))
    rows = []
    for unit, site, job, count in (("DG", "LYS", "IT", 6), ("VEN", "PAR", "IT", 4),
                                   ("VEN", "PAR", "COM", 12), ("DG", "PAR", "COM", 7)):
        for _ in range(count):
            response = answer(survey, wave, nps=8, unit=unit, site=site, job=job)
            rows.append((str(response.pk), unit, site, job))
    it = B.wave_figures(survey, B.Filters(job_families=("IT",)))[0][0]
    dg_lyon = B.wave_figures(survey, B.Filters(units=("DG", "DSI"), sites=("LYS",)))[0][0]
    assert it.suppressed or dg_lyon.suppressed
    groups, breakdowns = released_groups(survey, rows)
    assert_no_small_difference(groups, breakdowns)


# --- 3. time: two reads around one answer ---------------------------------------------------

def test_the_store_holds_released_answers_only(personas, login):
    from phare.listening.models import Wave

    survey = make_barometer()
    closed = add_wave(survey, 1, dt.date(2025, 1, 6))
    running = Wave.objects.create(survey=survey, version=survey.current_version(), number=2,
                                  name="Vague 2", opens_on=dt.date.today(),
                                  closes_on=dt.date.today() + dt.timedelta(days=20),
                                  status="open")
    for _ in range(12):
        answer(survey, closed, nps=9)
        answer(survey, running, nps=2)
    assert store.query([survey], "SELECT wave, count(*) AS n FROM responses GROUP BY 1"
                       ).to_dict("records") == [{"wave": 1, "n": 12}]
    waves, _ = B.wave_figures(survey, B.Filters())
    assert [(w.wave, w.responses, w.in_progress) for w in waves] == [(1, 12, False),
                                                                   (2, None, True)]
    html = login("marketing").get(f"/insights/barometer/{survey.slug}/").content.decode()
    assert "In progress" in html or "En cours" in html
    # Nor can the running wave be exported: two exports would differ by the new answers.
    with pytest.raises(ExportRefused) as refused:
        build_table(survey, language="fr", wave=2)
    assert refused.value.field == "wave"
    assert len(build_table(survey, language="fr").rows) == 12
    # Once it closes, its answers are released together.
    Wave.objects.filter(pk=running.pk).update(status="closed")
    store.refresh(survey)
    assert [w.responses for w in B.wave_figures(survey, B.Filters())[0]] == [12, 12]


# --- 4. two reads around one confidential ticket rating --------------------------------------

def test_two_snapshots_around_one_answer_tell_nothing(personas, api_client=None):
    from phare.listening import services
    from phare.listening.models import Survey
    from phare.tickets.services import ticket_survey_create

    survey = ticket_survey_create()
    services.survey_set_status(survey, Survey.Status.OPEN)
    # The reader controls the category through the ITSM feed: "Trap" holds 6 people.
    for i in range(30):
        rate(survey, None, i, rating=9 if i % 2 else 4, lost="none")
    Ticket.objects.filter(external_id__in=[f"INC{i:05d}" for i in range(6)]).update(
        category="Trap")
    march_end = dt.datetime(2026, 4, 2, 12, tzinfo=dt.UTC)

    def trap(now):
        data = T.experience([survey], T.TicketFilters(), now=now)
        by = {row["key"]: row for row in data.by["category"]}
        return (data.total["n"], by["Trap"]["n"],
                by["Trap"]["happiness"].value if by["Trap"]["happiness"] else None)

    before = trap(march_end)
    # One more person rates a "Trap" ticket (the reader knows whose it is).
    target = rate(survey, None, 40, rating=0, lost="more", day=dt.date(2026, 4, 10))
    Ticket.objects.filter(invitation__response=target).update(category="Trap")
    store.refresh(survey)  # the store sees the new answer at once
    assert store.query([survey], "SELECT count(*) AS n FROM tickets")["n"][0] == 31
    assert trap(march_end + dt.timedelta(days=8)) == before  # April is not over: not released
    # Once April is over, April's "Trap" cell holds one person: it is never added in.
    after = trap(dt.datetime(2026, 5, 3, 12, tzinfo=dt.UTC))
    assert after[1:] == before[1:]
    # Nor can two month filters be subtracted: March alone and March + April agree.
    may = dt.datetime(2026, 5, 3, 12, tzinfo=dt.UTC)
    both = T.experience([survey], T.TicketFilters(months=("2026-03", "2026-04")), now=may)
    march = T.experience([survey], T.TicketFilters(months=("2026-03",)), now=may)
    assert both.total["n"] == march.total["n"] == 30
    april = T.experience([survey], T.TicketFilters(months=("2026-04",)), now=may)
    assert april.total["suppressed"] and april.total["n"] is None


def test_two_categories_built_to_differ_by_one_person_are_not_both_shown(personas):
    """The reader sets ticket fields through the ITSM feed: five accomplices' tickets go to
    category "Trap" and group "Alpha"; the target's ticket to group "Alpha" only. Alpha minus
    Trap would be the target's rating."""
    from phare.listening import services
    from phare.listening.models import Survey
    from phare.tickets.services import ticket_survey_create

    survey = ticket_survey_create()
    services.survey_set_status(survey, Survey.Status.OPEN)
    for i in range(30):
        rate(survey, None, i, rating=9, lost="none", group="Service Desk")
    for i in range(30, 35):
        rate(survey, None, i, rating=9, lost="none", group="Alpha")
    target = rate(survey, None, 35, rating=0, lost="more", group="Alpha")
    Ticket.objects.filter(external_id__in=[f"INC{i:05d}" for i in range(30, 35)]).update(
        category="Trap")
    assert target.answers["rating"] == 0
    data = T.experience([survey], T.TicketFilters(), now=dt.datetime(2026, 4, 2, tzinfo=dt.UTC))
    shown = {(dimension, row["key"]): row["n"] for dimension, rows in data.by.items()
             for row in rows if not row["suppressed"]}
    assert not (("category", "Trap") in shown and ("assignment_group", "Alpha") in shown)
    # Whatever is shown, no two shown groups differ by the target alone.
    sizes = sorted(n for (dimension, _key), n in shown.items() if dimension != "month")
    assert 6 not in sizes or 5 not in sizes


def test_the_api_never_says_who_answered(login, personas):
    from phare.tickets.api import TicketOut

    assert "answered" not in TicketOut.model_fields


# --- 5. linking an anonymous export with the directory ---------------------------------------

def test_an_export_row_cannot_be_matched_to_a_person_through_the_directory(personas):
    from tests.listening.factories import fill, make_export_survey

    survey = make_export_survey()
    fill(survey, 12, segments=[("DSI", "PAR", "IT")] * 12)
    # One of the twelve answered in English, on a day of their own.
    response = survey.responses.order_by("pk").first()
    response.language = "en"
    response.submitted_on = dt.date(2025, 3, 27)
    response.save()
    table = build_table(survey, language="fr")
    names = table.names
    quasi = [n for n in QUASI_IDENTIFIERS if n in names]
    combos = Counter(tuple(row[names.index(n)] for n in quasi) for row in table.rows)
    assert min(combos.values()) >= K
    assert "en" not in table.column("language")
    assert {day.day for day in table.column("day") if day} <= {1}  # months only
    # In the directory, one person of that segment speaks English: no row points to them.
    english = Person.objects.filter(language="en", business_unit__code="DSI")
    assert english.count() <= 1
    # A lone blank would point at the English speaker: the language goes for everyone, and
    # nothing else needed to.
    assert table.blanked == {"language": 12}


# --- 6. the insights API: no filter to narrow with, nobody else's scope -----------------------

@pytest.fixture
def rated_services(personas):
    """Twenty rated tickets of "wiki" (someone else's service) and three of "visio" (the owner
    persona's): the owner's scope is a group of three people."""
    from phare.listening import services as listening_services
    from phare.listening.models import Survey
    from phare.tickets.services import ticket_survey_create
    from tests.catalog.factories import make_families, make_service

    make_families()
    visio = make_service("visio", name_fr="Visio", family="collab", owner="E0003")
    wiki = make_service("wiki", name_fr="Wiki", family="collab", owner="E0001")
    survey = ticket_survey_create()
    listening_services.survey_set_status(survey, Survey.Status.OPEN)
    for number in range(23):
        rate(survey, None, number, rating=[10, 9, 3, 7][number % 4], lost="none",
             reasons=["fast"] if number % 4 < 2 else ())
        Ticket.objects.filter(external_id=f"INC{number:05d}").update(
            service=visio if number >= 20 else wiki)
    return survey


TICKETS = "/insights/tickets"


def _figures(api, persona: str, query: str = "") -> dict:
    response = api(persona, "GET", TICKETS + query)
    assert response.status_code == 200, response.content[:300]
    return response.json()


def test_the_tickets_api_takes_no_filter_to_narrow_or_difference_with(api, rated_services):
    everything = _figures(api, "marketing")
    assert everything["answers"] == 23 and not everything["suppressed"]
    # Whatever a reader adds, the same figures: nothing narrows to the three of "visio", and
    # no two narrowed answers differ by them.
    for query in ("?service=wiki", "?service=visio", "?unit=VEN", "?month=2026-03",
                  "?services=wiki&services=visio", "?channel=phone", "?scope="):
        assert _figures(api, "marketing", query) == everything, query


def test_the_tickets_api_suppresses_a_small_scope_whole(api, rated_services):
    mine = _figures(api, "owner")
    assert mine["suppressed"] and mine["answers"] is None
    assert mine["ticket_happiness"] is None and mine["lost_time"] is None
    assert mine["lost_time_total"] is None and mine["reasons"] == []
    # Filters do not widen the owner's scope to someone else's service.
    assert _figures(api, "owner", "?service=wiki") == mine
    assert _figures(api, "owner", "?scope=") == mine


def test_the_tickets_api_and_the_pages_filters_do_not_difference_a_small_scope(api,
                                                                               rated_services):
    # The company's 23 answers from the API, less the page's "wiki" filter, would give the
    # owner's three: the page does not release "wiki" alone.
    assert _figures(api, "marketing")["answers"] == 23
    wiki = T.experience([rated_services], T.TicketFilters(services=("wiki",)))
    assert wiki.total is None or (wiki.total["suppressed"] and wiki.total["n"] is None)
    breakdown = T.experience([rated_services], T.TicketFilters()).by["service"]
    assert all(row["n"] is None for row in breakdown)  # complementary suppression


def test_every_reason_the_tickets_api_gives_rests_on_k_people(api, rated_services):
    for reason in _figures(api, "marketing")["reasons"]:
        assert reason["answers"] >= K and reason["band_answers"] >= K


BAROMETERS = "/insights/barometers/"


def test_the_barometer_api_tells_no_slug_from_another(api, personas, rated_services):
    from phare.listening import services as listening_services

    survey = make_barometer()
    listening_services.survey_create(slug="pulse", kind="pulse", title_fr="Pulse")
    assert api("marketing", "GET", BAROMETERS + survey.slug).status_code == 200
    unknown = api("marketing", "GET", BAROMETERS + "no-such-survey")
    # Another kind of survey (a pulse, the ticket survey) answers as an unknown slug does.
    for slug in ("pulse", rated_services.slug):
        other = api("marketing", "GET", BAROMETERS + slug)
        assert (other.status_code, other.content) == (unknown.status_code, unknown.content)
    assert unknown.status_code == 404
    # Outside the readers, the same refusal whether the barometer exists or not.
    for persona in ("owner", "employee"):
        found = api(persona, "GET", BAROMETERS + survey.slug)
        missing = api(persona, "GET", BAROMETERS + "no-such-survey")
        assert found.status_code == missing.status_code == 403, persona
        assert found.content == missing.content


def test_the_barometer_api_prints_no_count_of_a_small_wave_whatever_the_query(api, personas):
    survey = make_barometer()
    first = add_wave(survey, 1, dt.date(2025, 1, 6))
    second = add_wave(survey, 2, dt.date(2025, 7, 7))
    for _ in range(12):
        answer(survey, first, nps=9, unit="VEN")
    for _ in range(3):
        answer(survey, second, nps=2, unit="DSI")
    plain = api("marketing", "GET", BAROMETERS + survey.slug).json()
    small = plain["waves"][1]
    assert small["suppressed"] and small["number"] == 2
    assert small["answers"] is None and small["nps"] is None and small["response_rate"] is None
    assert plain["waves"][0]["answers"] == 12
    # Filters a reader adds change nothing: no unit, wave or site to narrow or subtract with.
    for query in ("?unit=VEN", "?unit=DSI", "?wave=2", "?waves=1&waves=2", "?site=LYS"):
        assert api("marketing", "GET", BAROMETERS + survey.slug + query).json() == plain, query
