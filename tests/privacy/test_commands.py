from __future__ import annotations

import zipfile

import pytest
from django.core.management import CommandError, call_command

from phare.directory.models import Person


def test_it_exports_to_a_file(personas, tmp_path):
    target = tmp_path / "eric.zip"
    call_command("privacy_export", "E0005", "-o", str(target))
    assert "README.txt" in zipfile.ZipFile(target).namelist()
    with pytest.raises(CommandError, match="E9999"):
        call_command("privacy_export", "E9999", "-o", str(target))


def test_it_erases_only_when_confirmed(personas):
    with pytest.raises(CommandError, match="--yes"):
        call_command("privacy_erase", "E0005")
    assert Person.objects.get(employee_id="E0005").active
    call_command("privacy_erase", "E0005", "--yes")
    assert not Person.objects.filter(employee_id="E0005").exists()
    with pytest.raises(CommandError):
        call_command("privacy_erase", "E0005", "--yes")
