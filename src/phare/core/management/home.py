"""The data folder made ready, and the secret key every running Phare needs.

Importing the settings only reads (``phare.settings``): a mistyped ``PHARE_HOME`` or a
read-only machine costs nothing, and no process silently invents a secret key that the others
would not share (sessions, signed links and the pseudonyms of the analytical store all depend
on it). So there is one explicit step, :func:`prepare_home`, run by ``phare migrate`` — and so
by ``phare demo`` and ``phare serve``, which migrate first: it makes the folders and, when
``PHARE_SECRET_KEY`` is not set, writes a key into ``PHARE_HOME/secret_key`` once (mode 0600),
kept from then on. The commands that serve people or send mail (``serve``, ``worker``,
``tick``) call :func:`require_secret_key` and stop with a message saying how to get one.
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from phare import env


def has_secret_key() -> bool:
    try:
        return bool(settings.SECRET_KEY)
    except ImproperlyConfigured:  # Django's own refusal of an empty SECRET_KEY
        return False


def require_secret_key() -> None:
    """Stop (:class:`~phare.env.ConfigError`, printed without a traceback by ``phare``) when
    there is no secret key, saying how to make one."""
    if not has_secret_key():
        raise env.ConfigError(env.missing_secret_message(Path(settings.PHARE_HOME)))


def prepare_home() -> None:
    """Make the data folder and its sub-folders, and the secret key file if there is no key
    yet; this process uses the new key from now on. Safe to run again: nothing is replaced."""
    home = Path(settings.PHARE_HOME)
    folders = [home, Path(settings.PHARE_ASSETS), Path(settings.STATIC_ROOT),
               Path(settings.MEDIA_ROOT), Path(settings.PHARE_ANALYTICS_DIR)]
    for folder in folders:
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise env.ConfigError(
                f"PHARE_HOME: cannot create the folder {folder}: {exc.strerror}") from None
    if not has_secret_key():
        settings.SECRET_KEY = env.create_secret_key(home)
