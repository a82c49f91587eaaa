"""Accounts test data: the personas' password."""

from __future__ import annotations

#: The password of every persona of ``tests/conftest.py`` (long enough for the validators).
PASSWORD = "correct-horse-battery-staple"
