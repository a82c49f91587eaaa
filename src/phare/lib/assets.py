"""Static files Phare generates once on each machine instead of committing them.

The charts' JavaScript (Vega, Vega-Lite and vega-embed in one script that defines
``vegaEmbed`` globally) comes from the installed vl-convert-python, so that pages need no CDN and
the repository holds no minified third-party code. It is written to ``PHARE_HOME/assets`` (one of
``STATICFILES_DIRS``) the first time a chart is drawn or the server starts, and rewritten when
vl-convert's version changes.
"""

from __future__ import annotations

import os
import tempfile
import threading
from pathlib import Path

from django.conf import settings

VEGA_BUNDLE = "phare/vega.js"
_lock = threading.Lock()


def _version() -> str:
    from importlib.metadata import version

    return version("vl-convert-python")


def vega_bundle_path() -> Path:
    return Path(settings.PHARE_ASSETS) / VEGA_BUNDLE


def ensure_vega_bundle() -> Path:
    """The bundle's path, generating it if missing or made by another vl-convert version."""
    path = vega_bundle_path()
    stamp = path.with_suffix(".version")
    wanted = _version()
    if path.exists() and stamp.exists() and stamp.read_text().strip() == wanted:
        return path
    with _lock:
        if path.exists() and stamp.exists() and stamp.read_text().strip() == wanted:
            return path
        import vl_convert

        path.parent.mkdir(parents=True, exist_ok=True)
        # Write then rename: a server process never serves half a file.
        handle, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            # The stub makes ``snippet`` required; the function defaults it to None (the
            # snippet that puts vegaEmbed on window), which is the bundle wanted here.
            out.write(vl_convert.javascript_bundle())  # type: ignore[call-arg]
        os.replace(tmp, path)
        stamp.write_text(wanted)
    return path


#: Written into STATIC_ROOT by :func:`collect_static`: what the collected files were made from.
STAMP = ".phare-sources"


def static_sources() -> str:
    """A digest of every file the static-file finders find (path, size, modification time) and
    of the storage that writes them: when it is unchanged, collectstatic would write the same
    files again."""
    import hashlib

    from django.contrib.staticfiles import finders

    digest = hashlib.sha256(settings.STORAGES["staticfiles"]["BACKEND"].encode())
    entries = []
    for finder in finders.get_finders():
        for path, storage in finder.list(["CVS", ".*", "*~"]):
            stat = os.stat(storage.path(path))
            entries.append(f"{path}\0{stat.st_size}\0{stat.st_mtime_ns}")
    for entry in sorted(entries):
        digest.update(entry.encode() + b"\n")
    return digest.hexdigest()


def collect_static() -> bool:
    """collectstatic, unless STATIC_ROOT already holds what it would write (the same sources,
    collected to the end: the stamp is written last). Hashing and compressing every file takes
    a server 20 s of CPU at each start; an unchanged install need not pay it again. True when
    the files were collected."""
    from django.core.management import call_command

    ensure_vega_bundle()  # generated here, never committed: collectstatic must find it
    from django.contrib.staticfiles.storage import staticfiles_storage

    root = Path(settings.STATIC_ROOT)
    stamp = root / STAMP
    sources = static_sources()
    manifest = getattr(staticfiles_storage, "manifest_name", None)
    if (stamp.exists() and stamp.read_text().strip() == sources
            and (manifest is None or (root / manifest).exists())):
        return False
    call_command("collectstatic", interactive=False, verbosity=0)
    stamp.write_text(sources)
    return True
