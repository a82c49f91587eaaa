"""`phare demo` really prepares and serves: run as a person runs it, first to prepare a fresh
home without serving, then again on that home, which keeps its data and serves it — gunicorn
answers, whitenoise serves static files, the worker runs queued jobs — in its own process group,
on a free local port. The preparation is the session's one small demo home (``demo_home``, the
slowest thing these tests do, shared with the backup tests), served from a copy."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request

import pytest

from tests.core.factories import DemoHome, phare_env

#: In the backup tests' xdist group: the worker that builds the demo home once runs both.
pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("backup")]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def shell(code: str, home) -> str:
    result = subprocess.run([sys.executable, "-m", "phare", "shell", "-v", "0", "-c", code],
                            env=phare_env(home), capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def wait_for(url: str, seconds: float = 180) -> urllib.request.http.client.HTTPResponse:
    deadline = time.monotonic() + seconds
    while True:
        try:
            return urllib.request.urlopen(url, timeout=5)
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.5)


def test_demo_prepares_a_fresh_home_then_serves_pages_static_files_and_runs_jobs(
        demo_home: DemoHome, tmp_path):
    prepared = demo_home.stdout  # `phare demo --no-serve` in a fresh home
    assert (demo_home.home / "phare.sqlite3").exists()
    assert "Demo organisation loaded" in prepared
    assert "marketing" in prepared and "phare-demo" in prepared
    assert "http://127.0.0.1:8000/" in prepared

    home = demo_home.copy(tmp_path / "home")
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "phare", "demo", "--employees", "100", "--port", str(port)],
        env=phare_env(home), stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
        start_new_session=True)
    try:
        health = wait_for(f"http://127.0.0.1:{port}/healthz")
        assert health.status == 200
        login = urllib.request.urlopen(f"http://127.0.0.1:{port}/accounts/login/").read().decode()
        assert "Se connecter à Phare" in login
        css_path = login.split('rel="stylesheet" href="')[1].split('"')[0]
        assert css_path.startswith("/static/phare/phare.") and css_path != "/static/phare/phare.css"
        css = urllib.request.urlopen(f"http://127.0.0.1:{port}{css_path}")
        assert css.headers["Cache-Control"].startswith("max-age=")  # hashed: cached for long
        # Each file compressed once, under its hashed name; source maps left as they are.
        static = home / "static"
        compressed = [p for p in static.rglob("*") if p.suffix in {".br", ".gz"}]
        assert static / f"{css_path.removeprefix('/static/')}.br" in compressed
        assert [p for p in compressed if not re.search(r"\.[0-9a-f]{12}\.", p.name)] == []
        assert not [p for p in compressed if p.with_suffix("").suffix == ".map"]
        plain = urllib.request.urlopen(f"http://127.0.0.1:{port}/static/phare/phare.css")
        assert plain.status == 200  # the plain name is still served (from the app's folder)
        # One process starts the job and watches it until the worker is done with it.
        status = shell(
            "import time\n"
            "from django.core.files.base import ContentFile\n"
            "from phare.jobs.models import Job\n"
            "from phare.jobs.services import job_start\n"
            "job = job_start(kind='directory.import', title='t', "
            "params={'deactivate_missing': False}, input_file=ContentFile("
            "b'employee_id,first_name,last_name,email\\nZ1,Zed,Zulu,z@example.com\\n'), "
            "input_name='p.csv')\n"
            "deadline = time.monotonic() + 60\n"
            "status = 'queued'\n"
            "while status in ('queued', 'running') and time.monotonic() < deadline:\n"
            "    time.sleep(0.5)\n"
            "    status = Job.objects.get(pk=job.pk).status\n"
            "print(status)", home)
        assert status == "succeeded"
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        output = server.communicate(timeout=30)[0].decode()
    assert "already holds data" in output  # the prepared demo is kept, not built again
    assert "Demo accounts (password: phare-demo)" in output
    assert f"http://127.0.0.1:{port}/" in output
    assert "Starting worker" in output
