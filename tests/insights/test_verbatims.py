from __future__ import annotations

import datetime as dt

from phare.insights import verbatims as V
from tests.insights.factories import add_wave, answer
from tests.listening.factories import make_barometer

COMMENTS = ["Le VPN coupe sans arrêt", "VPN instable en télétravail", "Connexion VPN perdue",
            "Délais de résolution trop longs", "Attente beaucoup trop longue",
            "Technicien très sympathique", "Réinitialisation du mot de passe rapide",
            "Mot de passe réinitialisé en deux minutes"]


def fill(survey, count=24):
    wave = add_wave(survey, 1, dt.date(2026, 3, 2))
    for i in range(count):
        answer(survey, wave, nps=[2, 4, 9, 10][i % 4], comment=COMMENTS[i % len(COMMENTS)],
               unit="VEN" if i % 6 else "DSI", day=dt.date(2026, 3, 4 + i % 3))


def test_comments_need_the_verbatim_threshold(personas):
    survey = make_barometer()
    fill(survey)
    everything = V.explore(survey, V.VerbatimFilters())
    # 24 comments + 12 "why_low" texts for scores 0–6.
    assert everything.shown and everything.total == 36
    dsi = V.explore(survey, V.VerbatimFilters(units=("DSI",)))
    assert dsi.total is None and not dsi.shown and dsi.rows == []


def test_anonymous_comments_are_dated_by_month_and_never_name_anyone(personas):
    survey = make_barometer()
    fill(survey)
    result = V.explore(survey, V.VerbatimFilters())
    assert {row["when"] for row in result.rows} == {"2026-03"}
    assert all(set(row) == {"text", "score", "when", "unit", "language", "band", "theme"}
               for row in result.rows)


def test_words_bands_and_themes_filter(personas):
    survey = make_barometer()
    fill(survey, 48)
    vpn = V.explore(survey, V.VerbatimFilters(words="vpn"))
    assert vpn.total == 18 and all("VPN" in row["text"] for row in vpn.rows)
    accents = V.explore(survey, V.VerbatimFilters(words="reinitialis"))
    assert accents.total == 12  # "Réinitialisation…" and "…réinitialisé…"
    # Six comments match one word: fewer than the threshold, so nothing, not even a count.
    few = V.explore(survey, V.VerbatimFilters(words="reinitialisation"))
    assert few.total is None and not few.shown and few.rows == []
    low = V.explore(survey, V.VerbatimFilters(band="low"))
    assert all(row["score"] <= 6 for row in low.rows)
    assert low.themes
    theme = low.themes[0]
    in_theme = V.explore(survey, V.VerbatimFilters(theme=theme["id"]))
    assert 0 < in_theme.total <= low.total or in_theme.total == 0


def test_the_page(login, personas):
    survey = make_barometer()
    fill(survey, 48)
    page = login("marketing").get("/insights/verbatims/", {"survey": survey.slug,
                                                           "words": "vpn"})
    assert page.status_code == 200 and "VPN instable" in page.content.decode()
    assert login("employee").get("/insights/verbatims/").status_code == 403


def test_ticket_comments_filter_by_service(personas):
    from phare.catalog.models import Service
    from phare.listening import services
    from phare.tickets.models import Ticket
    from phare.tickets.services import ticket_survey_create
    from tests.catalog.factories import make_families, make_service
    from tests.insights.factories import rate

    make_families()
    make_service("visio", name_fr="Visioconférence", family="collab")
    survey = ticket_survey_create()
    services.survey_set_status(survey, "open")
    for i in range(25):
        response = rate(survey, None, i, rating=4, lost="none")
        response.answers["comment"] = f"Son coupé pendant la réunion {i}"
        response.save()
    Ticket.objects.filter(external_id__in=[f"INC{i:05d}" for i in range(11)]).update(
        service=Service.objects.get(slug="visio"))
    assert V.explore(survey, V.VerbatimFilters(service="visio")).total == 11
    assert V.explore(survey, V.VerbatimFilters()).total == 25
    # Fewer than the verbatim threshold for another service: nothing shown, not even a count.
    other = V.explore(survey, V.VerbatimFilters(service="nothing"))
    assert other.total is None and not other.shown


def test_ticket_comments_are_counted_by_person(personas):
    from phare.listening import services
    from phare.tickets.services import ticket_survey_create
    from tests.insights.factories import rate

    survey = ticket_survey_create()
    services.survey_set_status(survey, "open")
    for i in range(14):  # one person, fourteen tickets, fourteen comments
        response = rate(survey, personas["employee"].person, i, rating=4, lost="none")
        response.answers["comment"] = f"Toujours le même souci {i}"
        response.save()
    result = V.explore(survey, V.VerbatimFilters())
    assert not result.shown and result.total is None and result.rows == []
