"""Ticket feedback fixtures: an analytical store of the test's own (the results the management
page loads are computed over it); the SMTP server is ``tests/smtp.py``'s."""

from __future__ import annotations

import pytest


@pytest.fixture
def own_store(settings, tmp_path):
    """The analytical store in the test's own folder."""
    settings.PHARE_ANALYTICS_DIR = tmp_path / "analytics"
