"""The usage tests' shared Spark session: one JVM for the whole run (local mode, two threads),
used by every test of the ``spark`` group."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from phare.usage import engine


def _spark_missing() -> str | None:
    try:
        engine.spark_available()
    except engine.EngineUnavailable as error:
        return str(error)
    return None


#: The tests' data are a few dozen rows: one thread and one partition per shuffle, no adaptive
#: re-planning, and a JVM tuned to start rather than to run long (the client compiler only, the
#: serial collector). Semantics are Spark's own either way; measured on 2 cores, the comparison
#: tests took 133 s with the defaults of production (local[2], 8 partitions) and 62 s so.
TEST_CONF = {
    "spark.master": "local[1]",
    "spark.sql.shuffle.partitions": "1",
    "spark.default.parallelism": "1",
    "spark.sql.adaptive.enabled": "false",
    "spark.driver.extraJavaOptions": "-XX:+UseSerialGC -XX:TieredStopAtLevel=1",
}
#: Hadoop's S3A for the object-store test (tests/usage/test_object_store.py): the jars of
#: org.apache.hadoop:hadoop-aws:3.4.1 and its AWS SDK bundle, when put in .cache/spark-jars;
#: on the class path from the session's start (no download during the tests).
HADOOP_AWS_JARS = sorted((Path(__file__).resolve().parents[2] / ".cache" / "spark-jars")
                         .glob("*.jar"))
if HADOOP_AWS_JARS:
    TEST_CONF["spark.driver.extraClassPath"] = ":".join(str(jar) for jar in HADOOP_AWS_JARS)


@pytest.fixture(scope="session")
def spark() -> Iterator[engine.Engine]:
    """One Spark session for the whole test run (local mode, one thread)."""
    reason = _spark_missing()
    if reason:
        if os.environ.get("PHARE_REQUIRE_SPARK") == "1":
            pytest.fail(f"PHARE_REQUIRE_SPARK=1 but {reason}")
        pytest.skip(reason)
    usage = engine.Engine("spark", spark_conf=TEST_CONF)
    usage.backend  # noqa: B018 — the session starts here, once
    yield usage
    usage.close()


