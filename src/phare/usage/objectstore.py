"""Where the usage store's files live: a local folder or an S3-compatible object store.

``PHARE_USAGE_DIR`` is a path (or ``file://`` URL), or ``s3://bucket/prefix`` (``s3a://`` is
the same place, as Spark names it) on AWS S3 or an S3-compatible store (MinIO, Ceph, Scality,
OVH…: ``PHARE_USAGE_S3_ENDPOINT``, ``PHARE_USAGE_S3_REGION``). Credentials are never Phare's
settings: the AWS SDK inside pyarrow reads the standard ``AWS_ACCESS_KEY_ID`` /
``AWS_SECRET_ACCESS_KEY`` / ``AWS_SESSION_TOKEN`` variables, ``~/.aws/credentials`` and
``~/.aws/config`` (``AWS_PROFILE``), or the machine's role.

This module alone talks to the object store (through ``pyarrow.fs.S3FileSystem``); the usage
store (:mod:`phare.usage.store`) decides what to write, and this module how: a file appears
whole or not at all (a local file through a temporary name and ``os.replace``; an object
through one PUT or one completed multipart upload, S3 never shows half an object); a failure
of the object store becomes a :class:`StoreError` naming the store's URL, never a secret.

What Phare guarantees across machines: the store has **one writer process**, the worker
(imports, retention, erasures all run there or under the same lock). A local folder is locked
with ``fcntl``; an object store is locked on this machine only (a lock file under
``PHARE_ANALYTICS_DIR``), and every manifest replacement first checks that the manifest is
still the one the write started from — a second writer elsewhere is refused, not merged over.
pyarrow has no conditional PUT (``If-Match``), so between that check and the PUT (one round
trip) a second writer is not detected: run one worker per store.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
from collections.abc import Iterable, Iterator
from contextlib import AbstractContextManager, contextmanager, suppress
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import pyarrow as pa  # type: ignore[import-untyped]
import pyarrow.dataset as pads  # type: ignore[import-untyped]
import pyarrow.fs as pafs  # type: ignore[import-untyped]
import pyarrow.parquet as pq  # type: ignore[import-untyped]
from django.conf import settings
from django.utils.translation import gettext as _

from phare.lib.locks import folder_lock

#: The schemes of an object-store URL, all read as S3 (``s3a`` is Hadoop's name for it).
S3_SCHEMES = ("s3", "s3a")
_BUCKET = re.compile(r"^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$")
# A large dictionary page keeps pseudonyms dictionary-encoded (files half the size).
_PARQUET_OPTIONS: dict[str, Any] = {"compression": "zstd", "row_group_size": 1_000_000,
                                    "dictionary_pagesize_limit": 64 << 20}


class StoreError(Exception):
    """The usage store cannot do what was asked (bad rows, a folder or bucket it cannot
    write, an object store it cannot reach)."""


@dataclass(frozen=True)
class Location:
    """The store's root: ``base`` inside ``filesystem`` (a local absolute path, or
    ``bucket/prefix`` in the object store). ``url`` is what messages name."""

    url: str
    filesystem: Any
    base: str
    remote: bool

    def path(self, relative: str) -> str:
        """The file's path inside the filesystem."""
        return f"{self.base}/{relative}" if self.base else relative

    def uri(self, relative: str) -> str:
        """The file as readers name it: an absolute path, or ``s3://bucket/prefix/…``."""
        return f"s3://{self.path(relative)}" if self.remote else self.path(relative)


def parse(value: str) -> tuple[str, str]:
    """``(kind, place)`` of a ``PHARE_USAGE_DIR`` value: ``("local", absolute path)`` or
    ``("s3", "bucket/prefix")``. Raises :class:`StoreError` on any other URL."""
    parsed = urlparse(value)
    scheme = parsed.scheme.lower()
    if scheme == "file":
        return "local", str(Path(parsed.path).resolve())
    if scheme in S3_SCHEMES:
        bucket = parsed.netloc
        if parsed.username is not None or parsed.password is not None:
            raise StoreError(_(
                "PHARE_USAGE_DIR=%(value)s: put no credentials in the URL; the object store's "
                "keys come from the AWS environment variables or files."
            ) % {"value": f"{scheme}://…@{parsed.hostname}{parsed.path}"})
        if not _BUCKET.match(bucket):
            raise StoreError(_("PHARE_USAGE_DIR=%(value)s: %(bucket)s is not a bucket name "
                               "(3 to 63 lower-case letters, digits, '.' and '-').")
                             % {"value": value, "bucket": repr(bucket)})
        prefix = parsed.path.strip("/")
        return "s3", f"{bucket}/{prefix}" if prefix else bucket
    if scheme and len(scheme) > 1:
        raise StoreError(_(
            "PHARE_USAGE_DIR=%(value)s: the usage store is a folder (a path or file:// URL) or "
            "an S3-compatible object store (s3://bucket/prefix)."
        ) % {"value": value})
    return "local", str(Path(value))


def location() -> Location:
    """The store's location, from ``PHARE_USAGE_DIR`` (and, for an object store,
    ``PHARE_USAGE_S3_ENDPOINT`` and ``PHARE_USAGE_S3_REGION``)."""
    value = str(settings.PHARE_USAGE_DIR)
    kind, place = parse(value)
    if kind == "local":
        return Location(url=value, filesystem=pafs.LocalFileSystem(), base=place, remote=False)
    endpoint = str(settings.PHARE_USAGE_S3_ENDPOINT)
    region = str(settings.PHARE_USAGE_S3_REGION)
    client = _s3(endpoint, region, os.getpid(), _credentials_mark())
    return Location(url=f"s3://{place}", filesystem=client, base=place, remote=True)


def _credentials_mark() -> str:
    """Changes when the AWS variables change (new keys give a new client); a digest, so that
    no secret is kept as a cache key."""
    names = ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE")
    material = "\0".join(os.environ.get(name, "") for name in names)
    return hashlib.sha256(material.encode()).hexdigest()


@lru_cache(maxsize=8)
def _s3(endpoint: str, region: str, pid: int, credentials: str) -> Any:
    # One client per endpoint, region, process and credentials: the SDK's connections are not
    # shared with a forked child (``pid`` and ``credentials`` are only cache keys).
    options: dict[str, Any] = {
        "connect_timeout": 5.0,
        "request_timeout": 60.0,
        "retry_strategy": pafs.AwsStandardS3RetryStrategy(max_attempts=3),
    }
    if region:
        options["region"] = region
    if endpoint:
        parsed = urlparse(endpoint)
        options["endpoint_override"] = parsed.netloc
        options["scheme"] = parsed.scheme
    return pafs.S3FileSystem(**options)


def describe(place: Location) -> str:
    """The store as messages name it: its URL, and the endpoint of an S3-compatible store."""
    endpoint = str(settings.PHARE_USAGE_S3_ENDPOINT)
    if place.remote and endpoint:
        return f"{place.url} ({endpoint})"
    return place.url


def _without_secrets(text: str) -> str:
    # The SDK's messages name keys and buckets, not secrets; this makes sure of it.
    for name in ("AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"):
        secret = os.environ.get(name)
        if secret:
            text = text.replace(secret, "(secret)")
    return text


@contextmanager
def reached(place: Location) -> Iterator[None]:
    """Turn the object store's failures (unreachable, refused, no such bucket) into a
    :class:`StoreError` that names the store; local files' errors pass as they are."""
    if not place.remote:
        yield
        return
    try:
        yield
    except (FileNotFoundError, StoreError):
        raise
    except OSError as error:
        raise StoreError(_("The usage store %(store)s cannot be reached or refused the "
                           "request: %(reason)s") % {"store": describe(place),
                                                     "reason": _without_secrets(str(error))}
                         ) from None


def lock(place: Location) -> AbstractContextManager[None]:
    """The store's write lock: the folder's own for a local store; for an object store, a
    lock on this machine (other machines must not write: one worker per store)."""
    if not place.remote:
        return folder_lock(Path(place.base))
    digest = hashlib.sha256(place.url.encode()).hexdigest()[:16]
    return folder_lock(Path(settings.PHARE_ANALYTICS_DIR) / "usage-locks" / digest)


def read_bytes(place: Location, relative: str) -> bytes | None:
    """The file's bytes, or None when there is no such file."""
    with reached(place):
        try:
            with place.filesystem.open_input_stream(place.path(relative)) as stream:
                return bytes(stream.read())
        except FileNotFoundError:
            return None


def write_bytes(place: Location, relative: str, data: bytes) -> None:
    """Replace the file whole: a temporary file renamed over it, or one object PUT."""
    if not place.remote:
        target = Path(place.path(relative))
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
        tmp.write_bytes(data)
        os.replace(tmp, target)
        return
    with reached(place), place.filesystem.open_output_stream(place.path(relative)) as stream:
        stream.write(data)


def write_table(place: Location, relative: str, table: pa.Table) -> None:
    """Write a Parquet file whole (zstd, large dictionary pages). Locally through a temporary
    name; on an object store the object exists only once its upload completes, and an upload
    that failed half-way is deleted."""
    if not place.remote:
        target = Path(place.path(relative))
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_name(f".{target.name}.tmp")
        pq.write_table(table, tmp, **_PARQUET_OPTIONS)
        os.replace(tmp, target)
        return
    with reached(place):
        try:
            pq.write_table(table, place.path(relative), filesystem=place.filesystem,
                           **_PARQUET_OPTIONS)
        except BaseException:
            # A writer closed by the error may have completed a truncated object.
            delete(place, [relative])
            raise


def read_table(place: Location, relative: str, schema: pa.Schema,
               filters: list[tuple[str, str, Any]] | None = None) -> pa.Table:
    """One Parquet file of the store, read with the store's schema."""
    with reached(place):
        return pq.read_table(place.path(relative), schema=schema, filters=filters,
                             filesystem=place.filesystem)


def read_schema(place: Location, relative: str) -> pa.Schema | None:
    """The schema (with its metadata) of a Parquet file, or None when there is none."""
    with reached(place):
        try:
            return pq.read_schema(place.path(relative), filesystem=place.filesystem)
        except FileNotFoundError:
            return None


def version(place: Location, relative: str) -> str | None:
    """Changes when the file is replaced (None: no such file). Locally the inode, size and
    nanosecond time; on an object store the size and time of the PUT (whole seconds: the
    store also changes the manifest when it replaces such a file)."""
    with reached(place):
        info = place.filesystem.get_file_info(place.path(relative))
    if info.type != pafs.FileType.File:
        return None
    if not place.remote:
        stat = os.stat(place.path(relative))
        return f"{stat.st_ino}:{stat.st_size}:{stat.st_mtime_ns}"
    return f"{info.size}:{info.mtime_ns}"


def delete(place: Location, relatives: Iterable[str]) -> None:
    """Remove files (missing ones are not an error); a local folder left empty goes too."""
    if not place.remote:
        root = Path(place.base)
        for relative in relatives:
            path = root / relative
            path.unlink(missing_ok=True)
            folder = path.parent
            while folder != root and folder.is_dir() and not any(folder.iterdir()):
                folder.rmdir()
                folder = folder.parent
        return
    with reached(place):
        for relative in relatives:
            with suppress(FileNotFoundError):
                place.filesystem.delete_file(place.path(relative))


def exists(place: Location) -> bool:
    """Whether the store has been written to (its folder, or any object under its prefix)."""
    if not place.remote:
        return Path(place.base).exists()
    with reached(place):
        info = place.filesystem.get_file_info(place.base)
    return bool(info.type != pafs.FileType.NotFound)


def clear(place: Location) -> None:
    """Remove every file of the store (tests and the demo); a local folder's lock stays."""
    if not place.remote:
        root = Path(place.base)
        if not root.exists():
            return
        for child in root.iterdir():
            if child.name == ".lock":
                continue
            if child.is_dir():
                shutil.rmtree(child)
            else:
                child.unlink()
        return
    with reached(place):
        if place.filesystem.get_file_info(place.base).type == pafs.FileType.Directory:
            place.filesystem.delete_dir_contents(place.base, missing_dir_ok=True)


def dataset(place: Location, uris: list[str], schema: pa.Schema) -> Any:
    """A pyarrow dataset over the store's files (named as :meth:`Location.uri` names them),
    read through the store's filesystem: DuckDB scans it with projections and filters pushed
    down, without an extension of its own for S3."""
    paths = [uri.removeprefix("s3://") for uri in uris]
    with reached(place):
        return pads.dataset(paths, schema=schema, format="parquet",
                            filesystem=place.filesystem)


def spark_uri(uri: str) -> str:
    """The file as Spark's Hadoop file systems name it (``s3a://`` for S3)."""
    return "s3a://" + uri.removeprefix("s3://") if uri.startswith("s3://") else uri


def spark_conf(place: Location) -> dict[str, str]:
    """The Spark session's settings to read an object store through Hadoop's S3A (the
    ``hadoop-aws`` package matching Spark's Hadoop, 3.4.1 for PySpark 4.0). Credentials come
    from the same AWS variables and files, read by S3A's default providers."""
    if not place.remote:
        return {}
    conf = {"spark.jars.packages": HADOOP_AWS}
    endpoint = str(settings.PHARE_USAGE_S3_ENDPOINT)
    region = str(settings.PHARE_USAGE_S3_REGION)
    if endpoint:
        # S3-compatible stores serve buckets as paths (http://host/bucket/key).
        conf["spark.hadoop.fs.s3a.endpoint"] = endpoint
        conf["spark.hadoop.fs.s3a.path.style.access"] = "true"
        conf["spark.hadoop.fs.s3a.connection.ssl.enabled"] = str(
            endpoint.startswith("https://")).lower()
    if region:
        conf["spark.hadoop.fs.s3a.endpoint.region"] = region
    return conf


#: Hadoop's S3A for PySpark 4.0 (its bundled hadoop-client is 3.4.1), from Maven Central.
HADOOP_AWS = "org.apache.hadoop:hadoop-aws:3.4.1"
