"""Who may do what with a positioning study: managers (admin, marketing) design it, run its
fieldwork, write personas and statements; readers (and managers) read it. Templates receive
``can_manage`` and only loop over what they are given."""

from __future__ import annotations

from typing import Any

from phare.accounts.policy import has_role
from phare.accounts.roles import POSITIONING_MANAGERS, POSITIONING_READERS
from phare.positioning.models import Study

MANAGERS = POSITIONING_MANAGERS
READERS = POSITIONING_READERS | POSITIONING_MANAGERS


def can_manage(user: Any) -> bool:
    return has_role(user, MANAGERS)


def can_edit_design(user: Any, study: Study, *, answered: bool) -> bool:
    """The alternatives, attributes and scale: a manager's, until the questionnaire has
    answers (the services refuse it then too)."""
    return can_manage(user) and not answered and study.status != Study.Status.CLOSED
