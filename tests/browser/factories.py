"""Helpers the browser tests share: where screenshots go, the phone sizes, signing in on a
page of one's own, and data for a value card to draw."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from django.urls import reverse

from phare.insights import store
from phare.listening import services
from phare.listening.models import Response, Survey
from tests.accounts.factories import PASSWORD
from tests.role_matrix_objects import World

SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
PHONE = {"width": 390, "height": 844}
NARROW = {"width": 320, "height": 640}


def sign_in_as(page: Any, username: str) -> None:
    """Sign in through the login form on ``page`` (a context of its own, for one role)."""
    page.goto(reverse("accounts:login"))
    page.get_by_label("Identifiant").fill(username)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Connexion").click()
    page.wait_for_url("**/")


def with_service_answers(world: World) -> None:
    """Six answers to a survey on the world's service, in a month over: its value card has
    figures and a chart."""
    survey = services.survey_create(slug="vpn-avis", kind=Survey.Kind.SERVICE, title_fr="VPN",
                                    service=world.service)
    services.question_add(survey, code="nps", type="nps", text_fr="Recommanderiez-vous ?")
    for i in range(6):
        response = services.response_submit(survey=survey, answers={"nps": 9 - i % 3},
                                            channel="open_link")
        Response.objects.filter(pk=response.pk).update(submitted_on=dt.date(2026, 5, 4))
    store.refresh(survey)
