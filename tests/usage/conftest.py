"""The usage tests' shared Spark session: one JVM for the whole run (local mode, two threads),
used by every test of the ``spark`` group."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from phare.usage import engine


def _spark_missing() -> str | None:
    try:
        engine.spark_available()
    except engine.EngineUnavailable as error:
        return str(error)
    return None


@pytest.fixture(scope="session")
def spark() -> Iterator[engine.Engine]:
    """One Spark session for the whole test run (local mode, two threads)."""
    reason = _spark_missing()
    if reason:
        if os.environ.get("PHARE_REQUIRE_SPARK") == "1":
            pytest.fail(f"PHARE_REQUIRE_SPARK=1 but {reason}")
        pytest.skip(reason)
    usage = engine.Engine("spark", spark_conf={"spark.master": "local[2]"})
    usage.backend  # noqa: B018 — the session starts here, once
    yield usage
    usage.close()


