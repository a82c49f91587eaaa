"""Who exercises people's rights over their data (access, erasure) and reads the retention
report: administrators only (the archive holds everything Phare keeps about a person)."""

from __future__ import annotations

from phare.accounts.roles import ADMINS, Role

#: The roles that export a person's data, erase a person, and read the retention report.
MANAGERS: frozenset[Role] = ADMINS
