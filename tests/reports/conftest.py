from __future__ import annotations

import pytest

from phare.reports import services
from tests.reports.factories import fake_content, fake_renderers


@pytest.fixture(autouse=True)
def _files_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "files")


@pytest.fixture
def fake_render(monkeypatch):
    """The content and renderers replaced by small fakes (their own tests are elsewhere)."""
    monkeypatch.setattr(services.report_content, "build", fake_content)
    monkeypatch.setattr(services, "RENDERERS", fake_renderers())


