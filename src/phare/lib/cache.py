"""The default cache: Django's file cache, whose counters hold across worker processes.

Django's ``FileBasedCache`` is shared by every process that points at the same folder, but its
``add`` and ``incr`` read then write: two gunicorn workers counting at once lose a count, and
``incr`` gives the key the default timeout instead of keeping its own. Rate limits count with
them, so here both run under one exclusive lock file and ``incr`` keeps the entry's expiry.
(Redis, the other choice of ``PHARE_CACHE_URL``, does both atomically by itself.)

Its folder is made with the first entry written, not when the cache object is built as Django
does: commands that never cache (``phare check``) leave ``PHARE_HOME`` as they found it.

Also here: :func:`remembered` (a value from a cache, else computed and kept), and
:func:`reading` / :func:`held` / :func:`read_once`, which keep a value for one block of reads
(a page's view) in this thread, for what several figures of one page read alike.
"""

from __future__ import annotations

import functools
import io
import os
import pickle
import threading
import time
import zlib
from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

from django.core.cache.backends.base import DEFAULT_TIMEOUT, BaseCache
from django.core.cache.backends.filebased import FileBasedCache
from django.core.files import locks

T = TypeVar("T")


class FileCache(FileBasedCache):
    """Django's file cache with ``add`` and ``incr`` atomic across processes."""

    def __init__(self, location: str, params: dict[str, Any]) -> None:
        # FileBasedCache.__init__ without its _createdir(): every write makes the folder first,
        # and reads of a missing folder find nothing.
        BaseCache.__init__(self, params)
        self._dir = os.path.abspath(location)

    @contextmanager
    def _locked(self) -> Iterator[None]:
        self._createdir()  # type: ignore[attr-defined]  # FileBasedCache's, not in the stubs
        # Not ending in .djcache: clear() and culling leave it alone.
        with open(os.path.join(self._dir, "counters.lock"), "a+b") as handle:
            locks.lock(handle, locks.LOCK_EX)
            try:
                yield
            finally:
                locks.unlock(handle)

    def add(self, key: str, value: Any, timeout: Any = DEFAULT_TIMEOUT,
            version: int | None = None) -> bool:
        with self._locked():
            return super().add(key, value, timeout, version)

    def incr(self, key: str, delta: int = 1, version: int | None = None) -> int:
        with self._locked():
            fname = self._key_to_file(key, version)  # type: ignore[attr-defined]  # as above
            try:
                fd = os.open(fname, os.O_RDWR)
            except FileNotFoundError:
                raise ValueError(f"Key '{key}' not found") from None
            try:
                # Rewritten in place, under the lock: writing aside and renaming over the old
                # file, as set() does, cost 0.2 ms (the old file's blocks freed at each count),
                # most of an open-link answer's rate limit. A counter is read only here and by
                # add(), both under the lock; a plain get() of one could meet it mid-write.
                stored = os.pread(fd, os.fstat(fd).st_size, 0)
                try:
                    expiry, value = self._load(stored)
                except (EOFError, pickle.UnpicklingError, zlib.error):
                    raise ValueError(f"Key '{key}' not found") from None
                if expiry is not None and expiry < time.time():
                    raise ValueError(f"Key '{key}' not found")
                value += delta
                data = (pickle.dumps(expiry, self.pickle_protocol)
                        + zlib.compress(pickle.dumps(value, self.pickle_protocol)))
                os.pwrite(fd, data, 0)
                if len(data) < len(stored):
                    os.ftruncate(fd, len(data))
            finally:
                os.close(fd)
            return value

    @staticmethod
    def _load(stored: bytes) -> tuple[float | None, Any]:
        """The expiry and the value of an entry's bytes, as FileBasedCache writes them."""
        stream = io.BytesIO(stored)
        expiry = pickle.load(stream)
        return expiry, pickle.loads(zlib.decompress(stream.read()))


def remembered(cache: BaseCache, name: str, timeout: int, compute: Callable[[], T]) -> T:
    """What ``cache`` holds under ``name``, else ``compute()``'s value, kept ``timeout``
    seconds. Keys made of the data itself (the dashboards' memos) never need invalidating."""
    found = cache.get(name)
    if found is not None:
        return found
    value = compute()
    cache.set(name, value, timeout)
    return value


_block = threading.local()


@contextmanager
def reading() -> Iterator[None]:
    """Keep what :func:`held` computes for the whole block: a page asks for several figures
    whose cache keys read the same reference rows, and the database does not change under one
    request's reads. Blocks nest (the outermost keeps the values)."""
    outer = getattr(_block, "values", None)
    _block.values = outer if outer is not None else {}
    try:
        yield
    finally:
        _block.values = outer


def held(key: Hashable, compute: Callable[[], T]) -> T:
    """``compute()``, once per ``key`` within a :func:`reading` block (every time outside)."""
    values: dict[Hashable, Any] | None = getattr(_block, "values", None)
    if values is None:
        return compute()
    if key not in values:
        values[key] = compute()
    return values[key]


F = TypeVar("F", bound=Callable[..., Any])


def read_once(function: F) -> F:
    """Run ``function`` inside :func:`reading` (a page's view, or a block of one)."""

    @functools.wraps(function)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        with reading():
            return function(*args, **kwargs)

    return wrapper  # type: ignore[return-value]
