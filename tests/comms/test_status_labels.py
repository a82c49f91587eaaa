"""An action's statuses agree with "action" in French (feminine), unlike a need's."""

from __future__ import annotations

from django.utils import translation

from phare.comms.models import Action


def test_an_action_is_planifiee():
    with translation.override("fr"):
        assert str(Action.Status.PLANNED.label) == "Planifiée"
        assert str(Action.Status.CANCELLED.label) == "Annulée"
