"""What the positioning tests share: English (a test about French says so)."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _english(english):
    yield
