"""The usage store on an S3-compatible object store: a real S3 server (moto's, in this process,
on a loopback port) holds the store; DuckDB and Spark read it, the store writes, folds and
re-keys it as it does a folder."""

from __future__ import annotations

import datetime as dt
import itertools
import json
import logging
import socket
import tarfile
from collections.abc import Iterator

import pandas as pd
import pyarrow.fs as pafs  # type: ignore[import-untyped]
import pytest
from django.utils import translation

from phare import env
from phare.usage import engine, objectstore, store
from tests.usage.factories import JAN, MAR, METRICS, events, fill, rows

moto_server = pytest.importorskip("moto.server")

A = "a" * 32
BUCKET = "phare-usage"
KEY_ID, SECRET = "AKIAPHARETEST", "phare-test-secret-never-shown"
_prefixes = itertools.count()


@pytest.fixture(scope="session")
def s3_endpoint() -> Iterator[str]:
    """A real S3 server for the run, with the store's bucket."""
    server = moto_server.ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    server.start()
    host, port = server.get_host_and_port()
    endpoint = f"http://{host}:{port}"
    client = pafs.S3FileSystem(access_key=KEY_ID, secret_key=SECRET, region="us-east-1",
                               endpoint_override=f"{host}:{port}", scheme="http",
                               allow_bucket_creation=True)
    client.create_dir(BUCKET)
    yield endpoint
    server.stop()


@pytest.fixture
def s3(settings, monkeypatch, s3_endpoint) -> str:
    """This test's store: its own prefix in the bucket; the keys in the AWS variables."""
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", KEY_ID)
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", SECRET)
    monkeypatch.delenv("AWS_SESSION_TOKEN", raising=False)
    monkeypatch.delenv("AWS_PROFILE", raising=False)
    url = f"s3://{BUCKET}/t{next(_prefixes)}"
    settings.PHARE_USAGE_DIR = url
    settings.PHARE_USAGE_S3_ENDPOINT = s3_endpoint
    settings.PHARE_USAGE_S3_REGION = "us-east-1"
    return url


def objects(url: str) -> list[str]:
    """The files under the store's prefix (relative), as the object store lists them."""
    place = objectstore.location()
    found = place.filesystem.get_file_info(pafs.FileSelector(place.base, recursive=True,
                                                             allow_not_found=True))
    return sorted(info.path.removeprefix(place.base + "/") for info in found
                  if info.type == pafs.FileType.File)


def figures(usage: engine.Engine) -> dict[str, pd.DataFrame]:
    return {name: metric(usage) for name, metric in METRICS.items()}


# Writing and reading -------------------------------------------------------------------------


def test_it_gives_the_same_figures_from_an_object_store_as_from_a_folder(settings, tmp_path,
                                                                          s3):
    settings.PHARE_USAGE_DIR = str(tmp_path / "usage")
    fill(tmp_path / "usage")
    duck = engine.connect("duckdb")
    expected = figures(duck)

    settings.PHARE_USAGE_DIR = s3
    fill(tmp_path / "unused")
    assert all(name.startswith(f"{s3}/events/source=") for name in store.files())
    assert store.people_file() == f"{s3}/people.parquet"
    assert "manifest.json" in objects(s3) and not (tmp_path / "unused").exists()
    answers = figures(duck)
    for name, frame in expected.items():
        assert not frame.empty, name
        pd.testing.assert_frame_equal(answers[name], frame, obj=name)


def test_it_changes_nothing_when_the_same_events_come_again(s3):
    rows_in = events([(A, 1, dt.date(2026, 1, day), "active") for day in (5, 6, 7)])
    assert store.merge("events", rows_in) == store.Merged(imported=3)
    before, listed = store.fingerprint(), objects(s3)
    assert store.merge("events", rows_in) == store.Merged(unchanged=3)
    assert store.fingerprint() == before and objects(s3) == listed


def test_it_replaces_a_partition_and_removes_the_old_object(s3):
    store.merge("events", events([(A, 1, dt.date(2026, 1, 5), "active")]))
    first = store.files()
    store.merge("events", events([(A, 1, dt.date(2026, 1, 6), "active")]))
    assert store.files() != first
    parquet = [name for name in objects(s3) if name.endswith(".parquet")]
    assert parquet == [name.removeprefix(f"{s3}/") for name in current()]
    assert [name.split("/")[0] for name in parquet] == ["events", "person_months"]
    assert rows(engine.connect("duckdb").monthly()) == [(1, JAN, None, None, None, 1, 2)]


def test_it_sees_the_people_file_replaced_within_the_same_second(s3, tmp_path):
    store.write_people(pd.DataFrame({"person": [A], "unit": ["U1"]}))
    store.merge("events", events([(A, 1, dt.date(2026, 1, 5), "active")]))
    duck = engine.connect("duckdb")
    assert rows(duck.monthly()) == [(1, JAN, "U1", None, None, 1, 1)]
    before = store.fingerprint()
    store.write_people(pd.DataFrame({"person": [A], "unit": ["U2"]}))  # same size, same second
    assert store.fingerprint() != before
    assert rows(duck.monthly()) == [(1, JAN, "U2", None, None, 1, 1)]


def test_it_folds_old_months_into_aggregates_on_an_object_store(s3, tmp_path):
    fill(tmp_path)
    duck = engine.connect("duckdb")
    monthly, depth = duck.monthly(), duck.depth()
    assert store.purge(before=MAR) == 4  # January's and February's two sources each
    assert [name for name in objects(s3) if "/month=2026-01/" in name] == [
        store.aggregate_files()[0].removeprefix(f"{s3}/")]
    pd.testing.assert_frame_equal(duck.monthly(), monthly)
    pd.testing.assert_frame_equal(duck.depth(), depth)


def test_it_rekeys_a_person_for_an_erasure_on_an_object_store(s3, tmp_path):
    fill(tmp_path)
    duck = engine.connect("duckdb")
    cohorts = duck.cohorts(1)
    mine = store.events_of(A)
    assert len(mine) == 8 and {row["source"] for row in mine} == {"events", "m365-teams"}
    assert "person" not in mine[0]
    assert store.rekey(A, "f" * 32) == 8
    assert store.events_of(A) == [] and len(store.events_of("f" * 32)) == 8
    pd.testing.assert_frame_equal(duck.cohorts(1), cohorts)
    named = {name.removeprefix(f"{s3}/") for name in store.files()}
    assert {name for name in objects(s3) if name.startswith("events/")} == named


# What goes wrong ---------------------------------------------------------------------------


@translation.override("en")
def test_it_refuses_a_write_when_the_manifest_changed_underneath(s3, monkeypatch):
    store.merge("events", events([(A, 1, dt.date(2026, 1, 5), "active")]))
    place = objectstore.location()
    generation = json.loads(objectstore.read_bytes(place, "manifest.json") or b"")["generation"]
    write = objectstore.write_table

    def and_another_writer(where, relative, table):
        write(where, relative, table)
        if not relative.startswith("events/"):
            return
        # Another machine's worker replaces the manifest while this merge writes.
        theirs = json.loads(objectstore.read_bytes(place, "manifest.json") or b"{}")
        theirs["generation"] += 100
        objectstore.write_bytes(place, "manifest.json", json.dumps(theirs).encode())

    monkeypatch.setattr(objectstore, "write_table", and_another_writer)
    with pytest.raises(store.StoreError, match=rf"{s3} \(http://.*\) changed while this write"):
        store.merge("events", events([(A, 1, dt.date(2026, 2, 5), "active")]))
    monkeypatch.undo()
    assert current() == [f"{s3}/{name}" for name in objects(s3)
                              if name.endswith(".parquet")]
    assert store.months() == [JAN] and json.loads(
        objectstore.read_bytes(place, "manifest.json") or b"")["generation"] == generation + 100


def current() -> list[str]:
    """The Parquet files the manifest names: events and person-months, sorted."""
    return sorted(store.files() + store.activity_files().person_months)


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@translation.override("en")
def test_it_names_the_store_when_its_endpoint_cannot_be_reached(s3, settings):
    settings.PHARE_USAGE_S3_ENDPOINT = f"http://127.0.0.1:{_closed_port()}"
    with pytest.raises(store.StoreError) as refused:
        store.merge("events", events([(A, 1, dt.date(2026, 1, 5), "active")]))
    message = str(refused.value)
    assert message.startswith(f"The usage store {s3} (http://127.0.0.1:")
    assert "cannot be reached" in message and SECRET not in message


@translation.override("en")
def test_it_names_the_store_when_its_credentials_are_refused(s3, monkeypatch):
    from moto.core.authorization import enable_iam_authentication

    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "wrong-secret-that-must-not-show")
    with enable_iam_authentication(), pytest.raises(store.StoreError) as refused:
        store.fingerprint()
    message = str(refused.value)
    assert message.startswith(f"The usage store {s3} (http://127.0.0.1:")
    assert "wrong-secret" not in message and SECRET not in message


def test_it_reads_the_store_url_and_endpoint_from_the_environment():
    assert env.usage_dir({"PHARE_USAGE_DIR": "s3a://bucket/usage"}, "x") == "s3://bucket/usage"
    assert env.usage_dir({}, "/srv/usage") == "/srv/usage"
    for bad in ("gs://bucket/usage", "s3://key:secret@bucket/usage", "s3:///usage"):
        with pytest.raises(env.ConfigError, match="PHARE_USAGE_DIR"):
            env.usage_dir({"PHARE_USAGE_DIR": bad}, "x")
    assert env.s3_endpoint({"PHARE_USAGE_S3_ENDPOINT": "http://minio:9000/"}) == \
        "http://minio:9000"
    assert env.s3_endpoint({}) == ""
    for bad in ("minio:9000", "https://key:secret@s3.example.com", "https://s3.example.com/b"):
        with pytest.raises(env.ConfigError, match="PHARE_USAGE_S3_ENDPOINT"):
            env.s3_endpoint({"PHARE_USAGE_S3_ENDPOINT": bad})


# Spark over s3a ------------------------------------------------------------------------------


def _hadoop_aws_jars(spark: engine.Engine) -> list[str]:
    """The jars of hadoop-aws on the Spark session's class path (tests/usage/conftest.py puts
    those of .cache/spark-jars there)."""
    path = spark._session.sparkContext.getConf().get("spark.driver.extraClassPath") or ""
    return [jar for jar in path.split(":") if "hadoop-aws" in jar]


@pytest.mark.slow
@pytest.mark.spark
@pytest.mark.xdist_group("spark")
@translation.override("en")
def test_it_says_spark_needs_hadoop_aws_for_an_object_store(s3, spark, tmp_path):
    if _hadoop_aws_jars(spark):
        pytest.skip("hadoop-aws is on this Spark session's class path")
    fill(tmp_path)
    with pytest.raises(engine.EngineUnavailable,
                       match=rf"{s3}: .*org\.apache\.hadoop:hadoop-aws:3\.4\.1"):
        spark.monthly()


@pytest.mark.slow
@pytest.mark.spark
@pytest.mark.xdist_group("spark")
def test_it_gives_the_same_figures_on_spark_over_s3a(s3, spark, tmp_path, s3_endpoint):
    if not _hadoop_aws_jars(spark):
        pytest.skip("hadoop-aws 3.4.1 and its AWS SDK bundle are not in .cache/spark-jars "
                    "(Maven Central is not reachable from this machine)")
    conf = spark._session.sparkContext._jsc.hadoopConfiguration()
    for key, value in objectstore.spark_conf(objectstore.location()).items():
        if key.startswith("spark.hadoop."):
            conf.set(key.removeprefix("spark.hadoop."), value)
    fill(tmp_path)
    expected = figures(engine.connect("duckdb"))
    answers = figures(spark)
    for name, frame in expected.items():
        pd.testing.assert_frame_equal(answers[name], frame, obj=name)


# Backups -------------------------------------------------------------------------------------


@translation.override("en")
def test_a_backup_leaves_an_object_store_out_and_says_so(s3, transactional_db, settings,
                                                        tmp_path):
    """The bucket keeps its own copies: ``phare backup`` copies no usage event from it, says
    so, and a restore (here: its folder check) does not take the URL for a folder."""
    from io import StringIO

    from django.core.management import call_command

    from phare.core.management.commands import restore

    fill(tmp_path)  # events in the object store (fill writes through the configured store)
    assert store.fingerprint()
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.PHARE_ANALYTICS_DIR = str(tmp_path / "analytics")
    archive = tmp_path / "out" / "backup.tar.gz"
    archive.parent.mkdir()
    out = StringIO()
    call_command("backup", str(archive), stdout=out)
    assert f"The usage events are in an object store ({s3})" in out.getvalue()
    with tarfile.open(archive) as tar:
        names = tar.getnames()
    assert names and not [name for name in names if name.startswith("usage/")]
    assert restore._usage_dir() is None
    settings.PHARE_USAGE_DIR = str(tmp_path / "local-usage")
    assert restore._usage_dir() == (tmp_path / "local-usage").resolve()
