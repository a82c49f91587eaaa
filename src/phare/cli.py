"""The ``phare`` command: Django's management commands, with Phare's settings preset.

``phare import-directory people.csv`` is ``manage.py import_directory people.csv``: hyphens in the
command name are accepted for readability. Configuration errors are printed without a traceback.
"""

from __future__ import annotations

import os
import sys

from phare.env import ConfigError


def main(argv: list[str] | None = None) -> None:
    argv = list(sys.argv if argv is None else argv)
    argv[0] = "phare"
    if len(argv) > 1 and not argv[1].startswith("-"):
        argv[1] = argv[1].replace("-", "_")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "phare.settings")
    from django.core.management import execute_from_command_line

    try:
        execute_from_command_line(argv)
    except ConfigError as exc:
        sys.stderr.write(f"phare: configuration error: {exc}\n")
        raise SystemExit(2) from None


if __name__ == "__main__":
    main()
