"""One voice: each headline figure of the demo is the same wherever a reader finds it — the
ticket survey's management page, the ticket experience page, the barometer, a wave's page, the
API, the CSV export and the quarterly report's content — and written the same way (the metrics
registry). Pages are read as a reader sees them (the HTML); the export is recomputed from its
rows, so a figure computed twice, two ways, would show here."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from typing import Any

import pytest
from django.conf import settings as django_settings

from phare.accounts.models import User
from phare.accounts.roles import Role
from phare.accounts.services import token_create
from phare.core.demo import DemoContext
from phare.insights.facts import LOST_HOURS
from phare.insights.tickets import ticket_surveys
from phare.lib.metrics import format_value
from phare.listening import demo_data as D
from phare.listening.models import Question, Survey, Wave
from phare.reports import content
from tests.tickets.factories import results_of, ticket_demo

pytestmark = pytest.mark.slow


@pytest.fixture
def demo(demo_through, settings, tmp_path) -> DemoContext:
    ctx = ticket_demo(demo_through)
    settings.PHARE_ANALYTICS_DIR = tmp_path / "analytics"
    return ctx


@pytest.fixture
def reader(demo, client, english) -> Any:
    """The marketing lead of the demo, signed in, reading in English; ``reader.api(path)``
    answers with their token."""
    lead = User.objects.filter(role=Role.MARKETING, is_active=True).order_by("pk").first()
    assert lead is not None
    client.force_login(lead)
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"
    _token, raw = token_create(user=lead, name="agreement")

    def api(path: str) -> Any:
        answer = client.get("/api/v1" + path, HTTP_AUTHORIZATION=f"Bearer {raw}")
        assert answer.status_code == 200, answer.content
        return answer

    client.api = api
    return client


def figures(html: str) -> dict[str, str]:
    """Every figure a page marks (``data-figure``), as written; the first of each."""
    found: dict[str, str] = {}
    for key, text in re.findall(r'data-figure="(\w+)">([^<]+)<', html):
        found.setdefault(key, text)
    return found


def export_rows(reader: Any, survey: Survey, wave: int | None = None) -> list[dict[str, str]]:
    query = f"?format=csv&language=en{f'&wave={wave}' if wave else ''}"
    answer = reader.api(f"/surveys/{survey.slug}/responses/export{query}")
    return list(csv.DictReader(io.StringIO(answer.content.decode("utf-8-sig"))))


def nps_of(scores: list[int]) -> float:
    return 100 * (sum(s >= 9 for s in scores) - sum(s <= 6 for s in scores)) / len(scores)


def test_it_shows_the_same_ticket_figures_everywhere(reader):
    survey = Survey.objects.get(slug=D.TICKET_SLUG)
    assert ticket_surveys() == [survey]  # the ticket experience page covers this survey
    management = reader.get("/surveys/tickets/")
    assert management.status_code == 200
    ours = figures(management.content.decode())
    summary_html = results_of(reader, management).content.decode()
    summary = figures(summary_html)
    page_html = reader.get("/insights/tickets/").content.decode()
    page = figures(page_html)

    # The export: the released answers, as rows.
    rows = [r for r in export_rows(reader, survey) if r["rating"] != ""]
    ratings = [int(r["rating"]) for r in rows]
    lost_options = [o["code"] for o in Question.objects.filter(
        version__survey=survey, code="lost_time").order_by("-version__number")[0].options]
    lost = [LOST_HOURS[lost_options[int(r["lost_time"]) - 1]] for r in rows if r["lost_time"]]
    assert len(rows) > 100 and lost

    # The report of every released month.
    first = min(dt.date.fromisoformat(r["day"]) for r in rows if r["day"])
    through = dt.date.today().replace(day=1) - dt.timedelta(days=1)
    report = content.build(starts_on=first, ends_on=through, language="en")
    section = next(s for s in report.sections if s.title == "Ticket experience")
    total = section.figures[0].table.iloc[0]

    # Released answers: the count every ticket figure rests on.
    answers = format_value("answers", len(rows))
    assert summary["answers"] == page["answers"] == answers
    assert total["Answers (n)"] == len(rows) == section.figures[0].n
    # Ticket happiness.
    happiness = format_value("ticket_happiness", nps_of(ratings))
    assert summary["ticket_happiness"] == page["ticket_happiness"] == happiness
    assert total["Ticket happiness"] == pytest.approx(nps_of(ratings), abs=0.05)
    # Lost time per ticket.
    mean_lost = sum(lost) / len(lost)
    assert summary["lost_time"] == page["lost_time"] == format_value("lost_time", mean_lost)
    assert total["Lost time per ticket (h)"] == pytest.approx(mean_lost, abs=0.005)
    assert section.message == (f"Ticket happiness {happiness} (n = {answers}), lost time per "
                               f"ticket {format_value('lost_time', mean_lost)}")
    # One reason's share: of the answers of its score band (0–6), as the export counts it.
    reason = re.search(r'<tr data-reason="(reasons_low):(\w+)">.*?'
                       r'<td data-figure="reason_share">([^<]+)</td>', page_html, re.S)
    assert reason, page_html
    question, option, shown = reason.groups()
    band = [r for r in rows if int(r["rating"]) <= 6]
    chose = sum(r[f"{question}_{option}"] == "1" for r in band)
    assert shown == format_value("reason_share", 100 * chose / len(band))
    in_summary = re.search(rf'data-option="{question}:{option}">.*?'
                           r'<span data-figure="reason_share">([^<]+)</span>', summary_html, re.S)
    assert in_summary and in_summary.group(1) == shown

    # The API: the same figures, as numbers.
    api = reader.api("/insights/tickets").json()
    assert api["answers"] == len(rows) and not api["suppressed"]
    assert format_value("ticket_happiness", api["ticket_happiness"]["value"]) == happiness
    assert api["ticket_happiness"]["n"] == len(rows)
    assert format_value("lost_time", api["lost_time"]) == page["lost_time"]
    assert format_value("lost_time_total", api["lost_time_total"]) == page["lost_time_total"]
    same = [r for r in api["reasons"] if (r["question"], r["option"]) == (question, option)]
    assert len(same) == 1 and same[0]["band_answers"] == len(band)
    assert format_value("reason_share", same[0]["share"]) == shown

    # Answers received (live) and the response rate: the management page and the API.
    received = reader.api(f"/surveys/{survey.slug}").json()["responses"]
    assert ours["answers_received"] == format_value("answers_received", received)
    # The demo's months are all over: every answer received is released.
    assert received == len(rows)
    invitations = survey.invitations.filter(ticket__isnull=False)
    sent = invitations.filter(sent_at__isnull=False).count()
    answered = invitations.filter(responded_on__isnull=False).count()
    assert ours["response_rate"] == format_value("response_rate", 100 * answered / sent)


def test_it_shows_the_same_barometer_figures_everywhere(reader):
    survey = Survey.objects.get(slug=D.BAROMETER_SLUG)
    page = figures(reader.get(f"/insights/barometer/{survey.slug}/").content.decode())
    wave = (Wave.objects.filter(survey=survey, status=Wave.Status.CLOSED)
            .order_by("-number").first())
    assert wave is not None

    # The export of the latest closed wave: its NPS and n.
    code = Question.objects.filter(version__survey=survey, type="nps").values_list(
        "code", flat=True).first()
    rows = export_rows(reader, survey, wave=wave.number)
    scores = [int(r[code]) for r in rows if r[code] not in ("", "-99")]
    assert len(scores) > 30
    nps = format_value("nps", nps_of(scores))
    assert page["nps"] == nps and page["answers"] == format_value("answers", len(scores))

    # The API: the wave's NPS and answers.
    waves = reader.api(f"/insights/barometers/{survey.slug}").json()["waves"]
    mine = next(w for w in waves if w["number"] == wave.number)
    assert format_value("nps", mine["nps"]["value"]) == nps
    assert mine["nps"]["n"] == len(scores) and mine["answers"] == len(rows)

    # The report of a period ending after the wave closed: its row of the wave.
    report = content.build(starts_on=wave.opens_on, ends_on=wave.closes_on, language="en")
    section = next(s for s in report.sections if s.title == "Barometer")
    row = next(r for _i, r in section.figures[0].table.iterrows()
               if r["Wave"] == wave.name)
    assert row["NPS"] == pytest.approx(nps_of(scores), abs=0.05)
    assert row["Answers (n)"] == len(rows)

    # The response rate: the barometer, the wave's page and the API.
    rates = reader.api(f"/surveys/{survey.slug}/waves/{wave.number}").json()["rates"]
    rate = format_value("response_rate", 100 * rates["overall"]["rate"])
    wave_page = figures(reader.get(f"/surveys/{survey.slug}/waves/{wave.number}/")
                        .content.decode())
    assert page["response_rate"] == wave_page["response_rate"] == rate
    assert format_value("response_rate", mine["response_rate"]) == rate
    assert wave_page["answers_received"] == format_value(
        "answers_received", rates["overall"]["responded"])
