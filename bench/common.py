"""What every benchmark needs: Django on a throw-away PHARE_HOME, migrated."""

from __future__ import annotations

import atexit
import os
import shutil
import sys
import tempfile
from pathlib import Path

# Benchmarks run from a checkout: make ``import phare`` work without installing.
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))


def setup_django(database_url: str | None = None) -> None:
    """Point Phare at a new temporary PHARE_HOME (and database), set Django up, migrate."""
    home = tempfile.mkdtemp(prefix="phare-bench-")
    atexit.register(shutil.rmtree, home, ignore_errors=True)
    os.environ["PHARE_HOME"] = home
    os.environ["PHARE_SECRET_KEY"] = "bench-secret-key-not-for-production-01234"
    os.environ["DJANGO_SETTINGS_MODULE"] = "phare.settings"
    os.environ["PHARE_LOG_LEVEL"] = "warning"
    os.environ["PHARE_TASK_BACKEND"] = "immediate"
    # Django's test client, used to time pages in-process, calls itself "testserver".
    os.environ["PHARE_ALLOWED_HOSTS"] = "localhost,testserver"
    os.makedirs(os.path.join(home, "static"), exist_ok=True)
    if database_url:
        os.environ["PHARE_DATABASE_URL"] = database_url
    else:
        os.environ.pop("PHARE_DATABASE_URL", None)
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)
