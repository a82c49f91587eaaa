from __future__ import annotations

import datetime as dt
from concurrent.futures import ThreadPoolExecutor

import pytest

from phare.insights import store
from phare.listening import services
from phare.listening.models import Response
from tests.insights.factories import add_wave, answer
from tests.listening.factories import make_barometer


def test_it_writes_one_partition_per_wave_and_answers_sql(two_waves):
    survey, _first, _second = two_waves
    assert store.refresh(survey) == {"rebuilt": 2, "removed": 0}
    frame = store.query([survey], """
        SELECT wave, count(*) AS n,
               100 * avg(CASE WHEN score >= 9 THEN 1 WHEN score <= 6 THEN -1 ELSE 0 END) AS nps
        FROM responses GROUP BY wave ORDER BY wave""")
    assert frame["n"].tolist() == [12, 10]
    # Wave 1: 6 promoters, 3 passives, 3 detractors of 12 → 25; wave 2: 6 / 2 / 2 of 10 → 40.
    assert frame["nps"].round(6).tolist() == [25.0, 40.0]
    names = sorted(p.name for p in store.survey_dir(survey.pk).glob("*.parquet"))
    assert "scores-w1.parquet" in names and "texts-w2.parquet" in names


def test_grids_choices_and_texts_are_flattened(two_waves):
    survey, *_ = two_waves
    grid = store.query([survey], """
        SELECT item, dimension, avg(value) AS mean, count(*) AS n FROM scores
        WHERE question = 'grid' GROUP BY ALL ORDER BY item, dimension""")
    assert len(grid) == 6 and set(grid["n"]) == {22}
    assert grid.set_index(["item", "dimension"]).loc[("competence", "importance"), "mean"] == 5
    tools = store.query([survey], "SELECT option, count(*) AS n FROM choices "
                                  "WHERE question = 'tools' GROUP BY ALL ORDER BY option")
    assert dict(zip(tools["option"], tools["n"], strict=True)) == {"other": 22, "vpn": 22}
    texts = store.query([survey], "SELECT question, text, score FROM texts "
                                  "WHERE question IN ('why_low', 'tools.other') ORDER BY ALL")
    assert set(texts["question"]) == {"why_low", "tools.other"}
    assert set(texts.loc[texts["question"] == "why_low", "score"]) == {2.0, 3.0}


def test_only_changed_partitions_are_rebuilt(two_waves):
    survey, first, second = two_waves
    store.refresh(survey)
    assert store.refresh(survey) == {"rebuilt": 0, "removed": 0}
    answer(survey, second, nps=0, day=dt.date(2025, 7, 10))
    assert store.refresh(survey) == {"rebuilt": 1, "removed": 0}
    # An amended answer (ticket follow-ups raise the revision) is seen too.
    response = Response.objects.filter(wave=first).first()
    Response.objects.filter(pk=response.pk).update(revision=1)
    assert store.refresh(survey) == {"rebuilt": 1, "removed": 0}
    Response.objects.filter(wave=first).delete()
    assert store.refresh(survey) == {"rebuilt": 0, "removed": 1}
    assert store.query([survey], "SELECT count(*) AS n FROM responses")["n"][0] == 11


def test_a_recent_check_is_trusted_for_max_age_seconds(two_waves):
    survey, _first, second = two_waves
    store.refresh(survey)
    answer(survey, second, nps=0)
    assert store.refresh(survey, max_age=60) == {"rebuilt": 0, "removed": 0}
    assert store.refresh(survey) == {"rebuilt": 1, "removed": 0}


def test_an_empty_survey_queries_as_empty_tables(personas):
    from tests.listening.factories import make_barometer

    survey = make_barometer("vide")
    for table in store.TABLES:
        assert store.query([survey], f"SELECT count(*) AS n FROM {table}")["n"][0] == 0


def test_months_partition_surveys_without_waves(personas):
    from tests.listening.factories import full_answers, make_barometer

    survey = make_barometer("pulse")
    for day in (dt.date(2026, 1, 5), dt.date(2026, 1, 20), dt.date(2026, 2, 2)):
        response = services.response_submit(survey=survey, answers=full_answers(8),
                                            channel="open_link")
        Response.objects.filter(pk=response.pk).update(submitted_on=day)
    store.refresh(survey)
    months = store.query([survey], "SELECT month, count(*) AS n FROM responses "
                                   "GROUP BY month ORDER BY month")
    assert months["n"].tolist() == [2, 1]
    names = sorted(p.name for p in store.survey_dir(survey.pk).glob("responses-*.parquet"))
    assert names == ["responses-m2026-01.parquet", "responses-m2026-02.parquet"]


@pytest.mark.parametrize("table", store.TABLES)
def test_every_table_has_a_schema_matching_facts(table):
    from phare.insights import facts

    columns = {"responses": facts.RESPONSE_COLUMNS, "scores": facts.SCORE_COLUMNS,
               "choices": facts.CHOICE_COLUMNS, "texts": facts.TEXT_COLUMNS,
               "tickets": facts.TICKET_COLUMNS}[table]
    assert list(store.SCHEMAS[table]) == columns


def test_views_are_declared_once_per_survey_set_until_a_partition_changes(two_waves, monkeypatch):
    survey, _first, second = two_waves
    store.refresh(survey)
    declared = []
    views = store._views
    monkeypatch.setattr(store, "_views", lambda *args: declared.append(1) or views(*args))
    count = "SELECT count(*) AS n FROM responses"
    assert [store.query([survey], count)["n"][0] for _ in range(3)] == [22, 22, 22]
    assert len(declared) <= 1  # none when an earlier test of this process declared them
    declared.clear()
    answer(survey, second, nps=0, day=dt.date(2025, 7, 10))
    assert store.refresh(survey) == {"rebuilt": 1, "removed": 0}
    assert store.query([survey], count)["n"][0] == 23  # the rebuilt partition is read
    assert store.query([survey], count)["n"][0] == 23
    assert len(declared) == 1


def test_a_rebuilt_added_or_removed_partition_is_seen_by_the_next_query(two_waves):
    survey, first, second = two_waves
    store.refresh(survey)
    nps = """SELECT wave, count(*) AS n, count(*) FILTER (WHERE score <= 6) AS detractors
             FROM responses GROUP BY wave ORDER BY wave"""
    assert store.query([survey], nps).values.tolist() == [[1, 12, 3], [2, 10, 2]]
    for _ in range(3):
        answer(survey, second, nps=1, day=dt.date(2025, 7, 10))
    third = add_wave(survey, 3, dt.date(2026, 1, 5))
    answer(survey, third, nps=2, day=dt.date(2026, 1, 6))
    assert store.refresh(survey) == {"rebuilt": 2, "removed": 0}
    assert store.query([survey], nps).values.tolist() == [[1, 12, 3], [2, 13, 5], [3, 1, 1]]
    Response.objects.filter(wave=first).delete()
    assert store.refresh(survey) == {"rebuilt": 0, "removed": 1}
    assert store.query([survey], nps).values.tolist() == [[2, 13, 5], [3, 1, 1]]


def test_nothing_stale_is_read_after_drop(two_waves):
    survey, *_ = two_waves
    other = make_barometer("autre")
    count = "SELECT survey, count(*) AS n FROM responses GROUP BY survey ORDER BY survey"
    assert store.query([survey, other], count).values.tolist() == [[survey.pk, 22]]
    store.drop(survey.pk)
    assert not store.survey_dir(survey.pk).exists()
    Response.objects.filter(survey=survey).delete()  # as when the survey is deleted
    assert store.query([survey, other], count).empty
    assert store.query([survey], "SELECT count(*) AS n FROM scores")["n"][0] == 0


def test_a_file_removed_behind_the_views_back_is_not_read(two_waves):
    # Another process removed a partition after this one declared its views, and has not yet
    # written the manifest: the query declares the views again rather than failing.
    survey, first, _second = two_waves
    store.query([survey], "SELECT count(*) FROM responses")
    for path in store.survey_dir(survey.pk).glob("*-w1.parquet"):
        path.unlink()
    frame = store.query([survey], "SELECT count(*) AS n FROM responses", max_age=3600)
    assert frame["n"][0] == 10


def test_queries_from_several_threads_share_the_process_database(two_waves):
    survey, *_ = two_waves
    store.refresh(survey)
    sql = "SELECT count(*) AS n FROM responses WHERE wave = ?"
    with ThreadPoolExecutor(max_workers=4) as pool:
        found = list(pool.map(lambda wave: int(store.query([survey], sql, [wave])["n"][0]),
                              [1, 2] * 8))
    assert found == [12, 10] * 8


def test_the_fingerprint_changes_when_a_partition_is_rebuilt_or_removed(
        two_waves, django_assert_num_queries):
    survey, first, second = two_waves
    other = make_barometer("autre")
    never_built = store.fingerprint([survey])
    store.refresh(survey)
    store.refresh(other)
    with django_assert_num_queries(0):  # the manifests only
        built = store.fingerprint([survey])
        assert store.fingerprint([survey]) == built and len(built) <= 32
        assert store.fingerprint([survey, other]) == store.fingerprint([other, survey])
    assert len({never_built, built, store.fingerprint([other]),
                store.fingerprint([survey, other])}) == 4
    assert store.refresh(survey) == {"rebuilt": 0, "removed": 0}
    assert store.fingerprint([survey]) == built  # checked again, nothing changed
    answer(survey, second, nps=0, day=dt.date(2025, 7, 10))
    store.refresh(survey)
    rebuilt = store.fingerprint([survey])
    assert rebuilt != built
    Response.objects.filter(wave=first).delete()
    store.refresh(survey)
    assert store.fingerprint([survey]) not in (built, rebuilt)
    store.drop(survey.pk)
    assert store.fingerprint([survey]) == never_built
