"""pytest plugin loaded before pytest-django reads the settings (``-p phare.testing.plugin``).

It gives the test run a throw-away ``PHARE_HOME`` and points the database at PostgreSQL when
``PHARE_TEST_DATABASE_URL`` is set; otherwise tests use SQLite.
"""

from __future__ import annotations

import os
import tempfile

_home = tempfile.mkdtemp(prefix="phare-test-")
# whitenoise warns when STATIC_ROOT is missing; tests serve static files from the apps.
os.makedirs(os.path.join(_home, "static"), exist_ok=True)
os.environ["PHARE_HOME"] = _home
os.environ["PHARE_SECRET_KEY"] = "test-secret-key-not-for-production-0123456789"
os.environ["PHARE_LANGUAGE"] = "fr"
os.environ["PHARE_TIME_ZONE"] = "Europe/Paris"
os.environ["PHARE_EMAIL_URL"] = "memory://"
# No waiting between attempts when a test points at a mail server that is not there.
os.environ["PHARE_MAIL_RETRY_SECONDS"] = "0"
os.environ["PHARE_TASK_BACKEND"] = "immediate"
os.environ.pop("PHARE_DEBUG", None)
os.environ.pop("PHARE_ALLOWED_HOSTS", None)
os.environ["PHARE_ALLOWED_HOSTS"] = "localhost,127.0.0.1,testserver"
if os.environ.get("PHARE_TEST_DATABASE_URL"):
    os.environ["PHARE_DATABASE_URL"] = os.environ["PHARE_TEST_DATABASE_URL"]
else:
    os.environ["PHARE_DATABASE_URL"] = f"sqlite:///{_home}/phare.sqlite3"
