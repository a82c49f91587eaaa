"""``PHARE_BASE_URL``: where people reach Phare. Given, it is checked and used as is; not
given, it is the address ``phare serve`` (or ``phare demo``) listens on, set by the server for
its own emails and for its worker's."""

from __future__ import annotations

import os
import subprocess

import pytest

from phare.core import server
from phare.env import ConfigError, address_of_bind, base_url


def test_it_reads_a_given_base_url_without_its_trailing_slash():
    environ = {"PHARE_BASE_URL": "https://phare.example.com/"}
    assert base_url(environ, "127.0.0.1:8000") == "https://phare.example.com"


def test_it_derives_the_base_url_from_the_address_served_when_not_given():
    assert base_url({}, "127.0.0.1:8000") == "http://localhost:8000"  # the default
    assert base_url({"PHARE_BASE_URL": " "}, "127.0.0.1:8123") == "http://localhost:8123"
    # This machine and every interface are reached at localhost.
    assert address_of_bind("0.0.0.0:9000") == "http://localhost:9000"
    assert address_of_bind("[::]:9000") == "http://localhost:9000"
    assert address_of_bind("phare.intranet:80") == "http://phare.intranet:80"
    assert address_of_bind("unix:/run/phare.sock") == "http://localhost"


@pytest.mark.parametrize("value", ["phare.example.com", "ftp://phare.example.com",
                                   "https://", "https://phare.example.com/?a=1"])
def test_it_refuses_a_base_url_that_is_no_web_address(value):
    with pytest.raises(ConfigError, match="PHARE_BASE_URL: expected an address such as"):
        base_url({"PHARE_BASE_URL": value}, "127.0.0.1:8000")


def test_serving_sets_the_base_url_from_its_bind_and_hands_it_to_the_worker(settings,
                                                                           monkeypatch):
    settings.PHARE_BASE_URL_GIVEN = False
    settings.PHARE_BASE_URL = "http://127.0.0.1:8000"
    started: list[dict[str, str]] = []

    class Worker:
        def terminate(self) -> None: ...
        def wait(self, timeout: float) -> None: ...

    def popen(command: list[str], env: dict[str, str]) -> Worker:
        started.append(env)
        return Worker()

    monkeypatch.setattr(subprocess, "Popen", popen)
    monkeypatch.setattr(server.PhareGunicorn, "run", lambda self: None)
    server.run_web(bind="0.0.0.0:8765", workers=1, with_worker=True)
    assert settings.PHARE_BASE_URL == "http://localhost:8765"
    assert [env["PHARE_BASE_URL"] for env in started] == ["http://localhost:8765"]
    assert started[0]["PATH"] == os.environ["PATH"]  # the rest of the environment is kept


def test_serving_keeps_a_given_base_url(settings, monkeypatch):
    settings.PHARE_BASE_URL_GIVEN = True
    settings.PHARE_BASE_URL = "https://phare.example.com"
    monkeypatch.setattr(server.PhareGunicorn, "run", lambda self: None)
    server.run_web(bind="127.0.0.1:8765", workers=1, with_worker=False)
    assert settings.PHARE_BASE_URL == "https://phare.example.com"
