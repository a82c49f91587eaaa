"""Listening fixtures: a barometer with every question type, people to invite."""

from __future__ import annotations

import pytest

from phare.listening import services
from phare.listening.models import Survey

GRID_ATTRIBUTES = [
    {"code": "reactivite", "label_fr": "Réactivité", "label_en": "Responsiveness"},
    {"code": "competence", "label_fr": "Compétence", "label_en": "Expertise"},
    {"code": "communication", "label_fr": "Communication", "label_en": "Communication"},
]


def make_barometer(slug: str = "barometre", *, anonymity: str = Survey.Anonymity.ANONYMOUS,
                   created_by=None, **fields) -> Survey:
    """A barometer with one question of each type and a display condition.

    Section 1: ``nps`` (required), ``why_low`` (text, shown for 0–6), ``csat``, ``ces``,
    ``scale`` (1–10 with labels); section 2: ``grid`` (importance × satisfaction, required),
    ``tools`` (multiple with other), ``site_pref`` (single), ``comment`` (text).
    """
    survey = services.survey_create(slug=slug, kind=Survey.Kind.BAROMETER,
                                    title_fr="Baromètre de satisfaction IT",
                                    title_en="IT satisfaction barometer",
                                    anonymity=anonymity, created_by=created_by, **fields)
    add = services.question_add
    add(survey, code="nps", type="nps", required=True,
        text_fr="Recommanderiez-vous la DSI à un collègue ?",
        text_en="Would you recommend IT to a colleague?")
    add(survey, code="why_low", type="text", text_fr="Qu'est-ce qui n'a pas été ?",
        text_en="What went wrong?", condition={"question": "nps", "op": "between",
                                               "min": 0, "max": 6})
    add(survey, code="csat", type="csat", text_fr="Êtes-vous satisfait ?",
        text_en="Are you satisfied?")
    add(survey, code="ces", type="ces", text_fr="C'était facile.", text_en="It was easy.")
    add(survey, code="scale", type="scale", scale_min=1, scale_max=10,
        label_min_fr="Pas du tout", label_min_en="Not at all",
        label_max_fr="Tout à fait", label_max_en="Completely",
        text_fr="Note globale", text_en="Overall rating")
    services.section_add(survey, title_fr="Qualité de service", title_en="Service quality")
    add(survey, code="grid", type="grid", required=True, options=GRID_ATTRIBUTES,
        text_fr="Importance et satisfaction", text_en="Importance and satisfaction")
    add(survey, code="tools", type="multiple", allow_other=True,
        options=[{"code": "teams", "label_fr": "Teams", "label_en": "Teams"},
                 {"code": "vpn", "label_fr": "VPN", "label_en": "VPN"},
                 {"code": "mail", "label_fr": "Messagerie", "label_en": "Email"}],
        text_fr="Outils utilisés", text_en="Tools used")
    add(survey, code="site_pref", type="single",
        options=[{"code": "office", "label_fr": "Au bureau", "label_en": "At the office"},
                 {"code": "home", "label_fr": "À domicile", "label_en": "At home"}],
        text_fr="Où travaillez-vous le plus ?", text_en="Where do you work most?")
    add(survey, code="comment", type="text", text_fr="Un commentaire ?",
        text_en="Any comment?")
    return survey


def full_answers(nps: int = 9) -> dict:
    answers = {
        "nps": nps, "csat": 4, "ces": 6, "scale": 8,
        "grid": {code: {"importance": 5, "satisfaction": 3}
                 for code in ("reactivite", "competence", "communication")},
        "tools": ["vpn", "other"], "tools.other": "Jira",
        "site_pref": "home", "comment": "Très bien dans l'ensemble",
    }
    if nps <= 6:
        answers["why_low"] = "Trop lent"
    return answers


@pytest.fixture
def barometer(personas) -> Survey:
    return make_barometer(created_by=personas["marketing"])


class _Inbox:
    def __init__(self) -> None:
        self.messages: list = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's name)
        import email
        from email import policy

        message = email.message_from_bytes(envelope.content, policy=policy.default)
        self.messages.append(message)
        return "250 OK"


@pytest.fixture
def smtp_server(settings, monkeypatch):
    """A real SMTP server on loopback (aiosmtpd); Django sends to it.

    ``smtp_server.messages`` lists the received ``email.message.EmailMessage`` objects;
    ``smtp_server.body(message)`` gives the plain-text part.
    """
    import socket

    from aiosmtpd.controller import Controller

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    inbox = _Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    # Django names itself to the server with socket.getfqdn(): seconds where DNS is slow.
    from django.core.mail.utils import DNS_NAME

    monkeypatch.setattr(DNS_NAME, "_fqdn", "localhost", raising=False)
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    inbox.body = lambda message: message.get_body(("plain",)).get_content()
    inbox.html = lambda message: message.get_body(("html",)).get_content()
    try:
        yield inbox
    finally:
        controller.stop()
