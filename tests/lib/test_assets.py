"""Static files are collected once per state of their sources: a server start that finds them
collected from the same files does not hash and compress them all again."""

from __future__ import annotations

import os
from unittest import mock

import pytest
from django.core import management

from phare.lib import assets


@pytest.fixture
def home(settings, tmp_path):
    """A home of its own, with the plain storage (copies only: fast) unless a test says."""
    settings.STATIC_ROOT = tmp_path / "static"
    settings.PHARE_ASSETS = tmp_path / "assets"
    settings.STATICFILES_DIRS = [settings.PHARE_ASSETS]
    settings.STORAGES = {**settings.STORAGES, "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
    return tmp_path


def collected(**kwargs) -> bool:
    real = management.call_command
    with mock.patch("django.core.management.call_command", wraps=real) as command:
        done = assets.collect_static(**kwargs)
    assert done == command.called
    return done


def test_it_collects_once_then_again_when_a_source_changes(home):
    assert collected()
    assert (home / "static" / assets.VEGA_BUNDLE).exists()
    assert not collected()  # the same sources: nothing to do
    bundle = assets.vega_bundle_path()
    later = bundle.stat().st_mtime_ns + 10**9
    os.utime(bundle, ns=(later, later))  # a source changed (here, the generated bundle)
    assert collected()
    assert not collected()


def test_a_stamp_left_by_other_sources_or_another_storage_collects_again(home, settings):
    assert collected()
    (home / "static" / assets.STAMP).write_text("from other sources")
    assert collected()
    settings.STORAGES = {**settings.STORAGES, "staticfiles": {
        "BACKEND": "phare.lib.storage.StaticStorage"}}
    with mock.patch("django.core.management.call_command") as command:
        assets.collect_static()
    assert command.called  # the storage is part of what the files were made from


def test_a_missing_manifest_collects_again(home, settings):
    settings.STORAGES = {**settings.STORAGES, "staticfiles": {
        "BACKEND": "phare.lib.storage.StaticStorage"}}
    root = home / "static"
    root.mkdir()
    (root / assets.STAMP).write_text(assets.static_sources())
    with mock.patch("django.core.management.call_command") as command:
        assets.collect_static()
    assert command.called  # the stamp says collected, but the manifest is not there
