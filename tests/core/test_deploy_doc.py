"""The systemd units of docs/DEPLOY.md, read from the guide itself (each ```ini block after the
line naming its file), checked by systemd's own ``systemd-analyze verify``.

systemd need not be running (this machine and CI containers have no systemd as PID 1): verify
loads the units from a throw-away root (``--root``) holding the guide's units under
``/etc/systemd/system``, a copy of the system's own units (the targets they are ordered after and
wanted by), and the commands they run — the host's ``/bin/kill``, and for ``/opt/phare/bin/phare``
a script running this environment's ``phare``. Without ``systemd-analyze`` (Debian's ``systemd``
package) the check is skipped, unless ``PHARE_REQUIRE_SYSTEMD=1``.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

DEPLOY = Path(__file__).resolve().parents[2] / "docs" / "DEPLOY.md"
SYSTEM_UNITS = Path("/usr/lib/systemd/system")
#: Where the guide installs Phare (``python3.11 -m venv /opt/phare``).
PHARE_BIN = Path("/opt/phare/bin")


def unit_files() -> dict[str, str]:
    """``{file name: text}`` of every unit the guide shows under /etc/systemd/system."""
    found = re.findall(r"^`/etc/systemd/system/([\w@.-]+)`:\n\n```ini\n(.*?)^```$",
                       DEPLOY.read_text(), flags=re.S | re.M)
    return dict(found)


def _settings(text: str, section: str) -> list[tuple[str, str]]:
    """The ``key=value`` lines of one ``[section]`` of a unit, in order."""
    lines: list[tuple[str, str]] = []
    current = None
    for line in text.splitlines():
        line = line.strip()
        if line.startswith("[") and line.endswith("]"):
            current = line[1:-1]
        elif current == section and line and not line.startswith(("#", ";")):
            key, _, value = line.partition("=")
            lines.append((key.strip(), value.strip()))
    return lines


def _commands(text: str) -> list[list[str]]:
    """The command lines of a unit's ``Exec*=`` settings, without systemd's prefixes."""
    return [shlex.split(value.lstrip("-@:+!"))
            for key, value in _settings(text, "Service") if key.startswith("Exec")]


def _environment_file() -> dict[str, str]:
    """The guide's environment file (the ```sh block after "The settings, in one file")."""
    block = re.search(r"The settings, in one file.*?^```sh\n(.*?)^```$", DEPLOY.read_text(),
                      flags=re.S | re.M)
    assert block, "docs/DEPLOY.md: the environment file's ```sh block is missing"
    settings: dict[str, str] = {}
    for line in block.group(1).splitlines():
        if line and not line.startswith("#"):
            key, _, value = line.partition("=")
            settings[key] = value
    return settings


def test_the_guide_shows_the_web_and_worker_units_running_phare_from_its_environment():
    units = unit_files()
    assert set(units) == {"phare-web.service", "phare-worker.service"}, set(units)
    environment = _environment_file()
    for name, text in units.items():
        service = dict(_settings(text, "Service"))
        assert service["EnvironmentFile"] == "/etc/phare/phare.env", name
        assert service["User"] == service["Group"] == "phare", name
        # ProtectSystem=strict makes everything read-only but ReadWritePaths: PHARE_HOME
        # must be there, or Phare cannot write its files.
        assert service["ProtectSystem"] == "strict", name
        assert environment["PHARE_HOME"] in service["ReadWritePaths"].split(), name
        assert dict(_settings(text, "Install"))["WantedBy"] == "multi-user.target", name
    assert _commands(units["phare-web.service"])[0] == [
        str(PHARE_BIN / "phare"), "serve", "--no-migrate"]
    assert _commands(units["phare-worker.service"])[0] == [str(PHARE_BIN / "phare"), "worker"]


def _root(folder: Path, units: dict[str, str]) -> list[Path]:
    """A root for ``systemd-analyze verify --root``: the units, the system's units and every
    command the units run. Returns the units' paths in it."""
    shutil.copytree(SYSTEM_UNITS, folder / SYSTEM_UNITS.relative_to("/"), symlinks=True)
    paths = []
    for name, text in units.items():
        path = folder / "etc" / "systemd" / "system" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
        paths.append(path)
        for command in _commands(text):
            program = Path(command[0])
            inside = folder / program.relative_to("/")
            inside.parent.mkdir(parents=True, exist_ok=True)
            if program.parent == PHARE_BIN:
                python = shlex.quote(sys.executable)
                inside.write_text(f'#!/bin/sh\nexec {python} -m phare "$@"\n')
                inside.chmod(0o755)
            elif not inside.exists():
                assert program.is_file(), f"{name} runs {program}, which this machine lacks"
                shutil.copy2(program, inside)
    return paths


def _verify(root: Path, paths: list[Path]) -> subprocess.CompletedProcess:
    analyze = shutil.which("systemd-analyze")
    if analyze is None:
        if os.environ.get("PHARE_REQUIRE_SYSTEMD") == "1":
            pytest.fail("PHARE_REQUIRE_SYSTEMD=1 but systemd-analyze is not installed")
        pytest.skip("no systemd-analyze (apt-get install systemd)")
    if not SYSTEM_UNITS.is_dir():
        pytest.fail(f"systemd-analyze is installed but {SYSTEM_UNITS} is missing")
    return subprocess.run([analyze, "verify", f"--root={root}", "--man=no",
                           *map(str, paths)], capture_output=True, text=True, timeout=60)


def test_systemd_analyze_verify_accepts_the_guides_units(tmp_path: Path):
    units = unit_files()
    assert units, "docs/DEPLOY.md shows no systemd unit"
    root = tmp_path / "root"
    checked = _verify(root, _root(root, units))
    # verify reports unknown keys and values it cannot parse as warnings, with status 0: the
    # guide's units must draw none.
    assert checked.returncode == 0 and not (checked.stdout + checked.stderr).strip(), \
        checked.stdout + checked.stderr


def test_systemd_analyze_verify_in_that_root_reports_a_broken_unit(tmp_path: Path):
    """The same check on a damaged copy of the web unit: what it would say of a wrong guide."""
    web = unit_files()["phare-web.service"]
    broken = (web.replace("TimeoutStopSec=130", "TimeoutStopSec=two minutes")
              .replace("[Service]", "[Service]\nRestartSec=soon\nExecStartPre=/opt/nowhere/x"))
    root = tmp_path / "root"
    paths = _root(root, {"phare-web.service": web})
    paths[0].write_text(broken)
    checked = _verify(root, paths)
    said = checked.stdout + checked.stderr
    assert checked.returncode != 0, said
    assert "/opt/nowhere/x" in said and "two minutes" in said and "soon" in said, said
