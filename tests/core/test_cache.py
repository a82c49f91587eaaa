"""The shared cache: the file cache counts right across processes; Redis when configured."""

from __future__ import annotations

import multiprocessing
import socket
import time
import uuid

import pytest
from django.core.cache.backends.redis import RedisCache

from phare.lib.cache import FileCache

REDIS = "redis://127.0.0.1:6379/0"


def _count(location: str, times: int) -> None:
    cache = FileCache(location, {})
    for _ in range(times):
        cache.add("hits", 0, timeout=600)
        cache.incr("hits")


def test_it_counts_every_increment_from_two_processes(tmp_path):
    context = multiprocessing.get_context("spawn")  # fresh interpreters, as gunicorn workers
    workers = [context.Process(target=_count, args=(str(tmp_path), 150)) for _ in range(2)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(60)
        assert worker.exitcode == 0
    assert FileCache(str(tmp_path), {}).get("hits") == 300


def test_incr_keeps_the_entry_s_own_expiry(tmp_path):
    cache = FileCache(str(tmp_path), {"TIMEOUT": 1})
    cache.add("window", 0, timeout=600)
    assert cache.incr("window", 2) == 2
    time.sleep(1.2)  # beyond the cache's default timeout, within the entry's own
    assert cache.get("window") == 2
    cache.set("short", 1, timeout=1)
    time.sleep(1.2)
    with pytest.raises(ValueError):
        cache.incr("short")
    with pytest.raises(ValueError):
        cache.incr("never-set")


def test_incr_rewrites_the_entry_in_place_whatever_its_length(tmp_path):
    # The count is rewritten in the same file: a longer value, then a shorter one (the file
    # cut to its new length), each read back whole by get() and by the next incr.
    cache = FileCache(str(tmp_path), {})
    cache.add("n", 1, timeout=600)
    assert cache.incr("n", 10**30) == 10**30 + 1
    assert cache.get("n") == 10**30 + 1
    assert cache.incr("n", -(10**30)) == 1
    assert cache.get("n") == 1
    assert cache.incr("n") == 2
    (entry,) = [p for p in tmp_path.iterdir() if p.suffix == ".djcache"]
    fresh = FileCache(str(tmp_path / "other"), {})
    fresh.add("n", 2, timeout=600)
    (twin,) = [p for p in (tmp_path / "other").iterdir() if p.suffix == ".djcache"]
    assert entry.stat().st_size == twin.stat().st_size  # nothing left of the longer value


def test_clear_leaves_the_lock_file(tmp_path):
    cache = FileCache(str(tmp_path), {})
    cache.add("a", 1)
    cache.clear()
    assert cache.get("a") is None
    assert cache.add("a", 1) and cache.incr("a") == 2


def _redis_up() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=0.5) as conn:
            conn.sendall(b"PING\r\n")
            return conn.recv(16).startswith(b"+PONG")
    except OSError:
        return False


@pytest.mark.skipif(not _redis_up(), reason="no Redis server at 127.0.0.1:6379")
def test_two_redis_clients_share_counters():
    prefix = f"phare-test-{uuid.uuid4().hex}"
    first = RedisCache(REDIS, {"KEY_PREFIX": prefix})
    second = RedisCache(REDIS, {"KEY_PREFIX": prefix})
    try:
        assert first.add("hits", 0, timeout=60)
        assert not second.add("hits", 0, timeout=60)
        assert first.incr("hits") == 1
        assert second.incr("hits") == 2
        assert first.get("hits") == 2
    finally:
        first.delete("hits")
        first.close()
        second.close()
