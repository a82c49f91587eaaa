"""The web server's workers: what each prepares before it accepts a connection."""

from __future__ import annotations

from django.urls import clear_url_caches, get_resolver

from phare.core import server


def test_a_worker_imports_the_urlconf_and_fills_reverse_lookups_before_its_first_request():
    clear_url_caches()  # as in a worker that never answered a request
    assert not get_resolver()._populated
    application = server.PhareGunicorn({"bind": "127.0.0.1:0", "workers": 1}).load()
    assert callable(application)
    assert get_resolver()._populated
