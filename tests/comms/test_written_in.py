"""Plans, objectives, actions and audiences are written in one language, which they record
(``language``, “written in”): a reader of the other language sees them marked — “(in French)”
or “(en anglais)” and their ``lang`` — on the communication pages, the CIO's home and the
quarterly report; a reader of the same language sees them plain.
"""

from __future__ import annotations

import datetime as dt
import importlib

import icalendar
import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import escape
from django.utils.translation import gettext

from phare.comms import ics
from phare.comms.models import Action, Audience, Objective, Plan
from phare.comms.services import plans as services
from phare.comms.services import playbooks
from phare.reports import content as report_content
from tests.comms.factories import make_action, make_audience, make_objective, make_plan

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
IN_FRENCH = '<span class="lang-fallback muted">(in French)</span>'
EN_ANGLAIS = '<span class="lang-fallback muted">(en anglais)</span>'


def marked(text: str, language: str) -> str:
    """``text`` as a reader of the other language sees it on a page."""
    mark = IN_FRENCH if language == "fr" else EN_ANGLAIS
    return f'<span lang="{language}">{escape(text)}</span> {mark}'


def _story(user, language: str, texts: dict[str, str]) -> dict[str, object]:
    """A plan under way with an objective, an audience and an action that uses both, all
    written in ``language``."""
    plan = make_plan(user, name=texts["plan"], description=texts["about"], language=language,
                     starts_on=TODAY - dt.timedelta(days=30),
                     ends_on=TODAY + dt.timedelta(days=300))
    objective = make_objective(plan, texts["objective"], language=language,
                               metric=Objective.Metric.NEEDS_ANSWERED, target=80)
    audience = make_audience({"units": ["DSI"]}, name=texts["audience"], language=language)
    action = make_action(plan, texts["action"], language=language, objective=objective,
                         audience=audience, starts_on=TODAY, status=Action.Status.PLANNED,
                         owner=user)
    return {"plan": plan, "objective": objective, "audience": audience, "action": action}


FRENCH = {"plan": "Plan de communication DSI", "about": "Faire connaître le catalogue",
          "objective": "Gagner 10 points de NPS au baromètre", "audience": "Toute la DSI",
          "action": "Lancement de la messagerie"}
ENGLISH = {"plan": "IT communication plan", "about": "Make the catalogue known",
           "objective": "Ten more NPS points", "audience": "The whole IT department",
           "action": "The new email launch"}


def _pages(client, story) -> dict[str, str]:
    plan, action = story["plan"], story["action"]
    urls = {"home": reverse("comms:home"), "plan": reverse("comms:plan", args=[plan.pk]),
            "action": reverse("comms:action", args=[action.pk]),
            "audiences": reverse("comms:audiences"), "calendar": reverse("comms:calendar"),
            "print": reverse("comms:action_print", args=[action.pk]),
            "objective form": reverse("comms:objective_new", args=[plan.pk])}
    found = {}
    for name, url in urls.items():
        response = client.get(url)
        assert response.status_code == 200, name
        found[name] = response.content.decode()
    return found


def _where_marked(pages: dict[str, str], language: str, texts: dict[str, str]) -> set[str]:
    return {f"{page}: {key}" for page, html in pages.items() for key, text in texts.items()
            if marked(text, language) in html}


#: Where each text is shown, marked for a reader of the other language.
EXPECTED = {"home: plan", "plan: plan", "plan: about", "plan: objective", "plan: action",
            "plan: audience", "action: plan", "action: action", "action: objective",
            "action: audience", "audiences: audience", "calendar: action", "calendar: audience",
            "print: plan", "print: action", "objective form: plan"}


def test_french_texts_are_marked_for_an_english_reader(login, personas, english):
    story = _story(personas["marketing"], "fr", FRENCH)
    pages = _pages(login("marketing"), story)
    assert _where_marked(pages, "fr", FRENCH) == EXPECTED
    assert 'lang="fr"' in pages["plan"] and "(in French)" in pages["plan"]


def test_english_texts_are_marked_for_a_french_reader(login, personas):
    story = _story(personas["marketing"], "en", ENGLISH)
    pages = _pages(login("marketing"), story)
    assert _where_marked(pages, "en", ENGLISH) == EXPECTED


@pytest.mark.parametrize("language", ["fr", "en"])
def test_a_reader_of_the_same_language_sees_no_marker(login, personas, client, language):
    texts = FRENCH if language == "fr" else ENGLISH
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    with translation.override(language):
        story = _story(personas["marketing"], language, texts)
        pages = _pages(login("marketing"), story)
    for name, html in pages.items():
        assert "lang-fallback" not in html, name
    assert f"<h1>{escape(texts['plan'])}</h1>" in pages["plan"]
    assert f"<h1>{escape(texts['action'])}</h1>" in pages["action"]


def test_the_cio_home_marks_the_objectives_and_the_approvals(login, personas, client):
    story = _story(personas["marketing"], "fr", FRENCH)
    Action.objects.filter(pk=story["action"].pk).update(everyone=True, audience=None,
                                                        status=Action.Status.READY)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    with translation.override("en"):
        english = login("executive").get(reverse("core:home")).content.decode()
    assert marked(FRENCH["objective"], "fr") in english
    assert f"Approve “{marked(FRENCH['action'], 'fr')}”" in english
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    french = login("executive").get(reverse("core:home")).content.decode()
    assert escape(FRENCH["objective"]) in french and "lang-fallback" not in french


def test_the_report_marks_plans_and_objectives_written_in_the_other_language(personas):
    start, end = TODAY.replace(day=1), TODAY.replace(day=1) + dt.timedelta(days=27)
    _story(personas["marketing"], "fr", FRENCH)
    _story(personas["marketing"], "en", ENGLISH)

    def rows(language: str) -> list[tuple[str, str]]:
        report = report_content.build(starts_on=start, ends_on=end, language=language)
        with translation.override(language):
            title = gettext("Communication plan")
        (section,) = [s for s in report.sections if s.title == title]
        table = section.figures[0].table
        return [tuple(row) for row in table.iloc[:, :2].itertuples(index=False, name=None)]

    assert sorted(rows("en")) == sorted([
        ("Plan de communication DSI (in French)", "Gagner 10 points de NPS au baromètre "
                                                  "(in French)"),
        ("IT communication plan", "Ten more NPS points")])
    assert sorted(rows("fr")) == sorted([
        ("Plan de communication DSI", "Gagner 10 points de NPS au baromètre"),
        ("IT communication plan (en anglais)", "Ten more NPS points (en anglais)")])


# --- written in: forms, services, API, migration ---------------------------------------------

def test_the_forms_offer_the_readers_language_and_save_the_one_chosen(login, personas, english):
    client = login("marketing")
    page = client.get(reverse("comms:plan_new")).content.decode()
    assert '<option value="en" selected>English</option>' in page
    response = client.post(reverse("comms:plan_new"), {
        "name": "Plan 2028", "language": "fr", "starts_on": "2028-01-01",
        "ends_on": "2028-12-31"})
    assert response.status_code == 302
    plan = Plan.objects.get(name="Plan 2028")
    assert plan.language == "fr"
    edit = client.get(reverse("comms:plan_edit", args=[plan.pk])).content.decode()
    assert '<option value="fr" selected>' in edit  # its own, not the reader's
    client.post(reverse("comms:objective_new", args=[plan.pk]),
                {"title": "Ten more points", "language": "en", "metric": "none"})
    assert plan.objectives.get().language == "en"
    client.post(reverse("comms:action_new", args=[plan.pk]), {
        "title": "Launch", "language": "en", "kind": "message", "channel": "email",
        "category": "newsletter", "starts_on": "2028-02-01", "holdout_percent": "0"})
    assert plan.actions.get().language == "en"
    client.post(reverse("comms:audience_new"), {"name": "Sales", "language": "en",
                                                "units": ["DSI"], "sub_units": "on"})
    assert Audience.objects.get(name="Sales").language == "en"
    refused = client.post(reverse("comms:plan_edit", args=[plan.pk]), {
        "name": "Plan 2028", "language": "de", "starts_on": "2028-01-01",
        "ends_on": "2028-12-31"})
    assert refused.status_code == 200 and refused.context["form"].errors["language"]
    plan.refresh_from_db()
    assert plan.language == "fr"


def test_the_services_take_the_writers_language_unless_told(personas):
    lead = personas["marketing"]
    with translation.override("en"):
        plan = services.plan_save(user=lead, name="Plan", starts_on=dt.date(2028, 1, 1),
                                  ends_on=dt.date(2028, 12, 31))
        objective = services.objective_save(user=lead, plan=plan, title="More")
        audience = services.audience_save(user=lead, name="IT", criteria={"units": ["DSI"]})
        action = services.action_save(user=lead, plan=plan, title="Launch",
                                      starts_on=dt.date(2028, 2, 1))
    assert [o.language for o in (plan, objective, audience, action)] == ["en"] * 4
    with translation.override("fr"):  # changed by a French reader: still English
        services.plan_save(user=lead, plan=plan, name="Plan", starts_on=dt.date(2028, 1, 1),
                           ends_on=dt.date(2028, 12, 31))
        services.objective_save(user=lead, plan=plan, objective=objective, title="More")
        services.audience_save(user=lead, audience=audience, name="IT",
                               criteria={"units": ["DSI"]})
        services.action_save(user=lead, action=action, title="Launch!")
        told = services.objective_save(user=lead, plan=plan, title="Plus", language="fr")
    for obj in (plan, objective, audience, action):
        obj.refresh_from_db()
        assert obj.language == "en", obj
    assert told.language == "fr"
    with pytest.raises(ValidationError) as refused:
        services.plan_save(user=lead, plan=plan, name="Plan", starts_on=dt.date(2028, 1, 1),
                           ends_on=dt.date(2028, 12, 31), language="de")
    assert "language" in refused.value.message_dict


def test_the_playbooks_write_in_french(personas):
    plan = make_plan(personas["marketing"])
    with translation.override("en"):
        action = playbooks._action(plan, "test:1", title="Lancement", starts_on=plan.starts_on)
        audience = playbooks._audience("Public", {"units": ["DSI"]})
    assert (action.language, audience.language) == ("fr", "fr")


def test_the_api_reads_and_returns_the_language(api, personas):
    created = api("marketing", "POST", "/comms/plans", {
        "name": "Plan 2028", "starts_on": "2028-01-01", "ends_on": "2028-12-31",
        "language": "en"})
    assert created.status_code == 201, created.content
    plan = created.json()
    assert plan["language"] == "en"
    changed = api("marketing", "PATCH", f"/comms/plans/{plan['id']}", {"language": "fr"})
    assert changed.json()["language"] == "fr"
    kept = api("marketing", "PATCH", f"/comms/plans/{plan['id']}", {"name": "Plan 2028 bis"})
    assert kept.json()["language"] == "fr"
    objective = api("marketing", "POST", f"/comms/plans/{plan['id']}/objectives",
                    {"title": "More", "language": "en"})
    assert objective.status_code == 201 and objective.json()["language"] == "en"
    listed = api("marketing", "GET", f"/comms/plans/{plan['id']}/objectives").json()
    assert [o["language"] for o in listed] == ["en"]
    audience = api("marketing", "POST", "/comms/audiences",
                   {"name": "IT", "language": "en", "criteria": {"units": ["DSI"]}})
    assert audience.status_code == 201 and audience.json()["language"] == "en"
    action = api("marketing", "POST", "/comms/actions", {
        "plan": plan["id"], "title": "Launch", "starts_on": "2028-02-01", "language": "en"})
    assert action.status_code == 201 and action.json()["language"] == "en"
    patched = api("marketing", "PATCH", f"/comms/actions/{action.json()['id']}",
                  {"language": "fr"})
    assert patched.json()["language"] == "fr"
    for method, path, data in [
            ("POST", "/comms/plans", {"name": "X", "starts_on": "2028-01-01",
                                      "ends_on": "2028-12-31", "language": "de"}),
            ("PATCH", f"/comms/plans/{plan['id']}", {"language": "de"}),
            ("POST", f"/comms/plans/{plan['id']}/objectives", {"title": "X", "language": "xx"}),
            ("POST", "/comms/audiences", {"name": "X", "language": "de"}),
            ("PATCH", f"/comms/actions/{action.json()['id']}", {"language": "de"})]:
        refused = api("marketing", method, path, data)
        assert refused.status_code == 422, (path, refused.content)
        assert "language" in refused.content.decode()
    assert Plan.objects.get(pk=plan["id"]).language == "fr"
    assert Action.objects.get(pk=action.json()["id"]).language == "fr"


def test_rows_made_before_the_field_are_french(personas):
    migration = importlib.import_module(
        "phare.comms.migrations.0002_plan_objective_action_audience_language").Migration
    added = {op.model_name: op.field for op in migration.operations}
    assert sorted(added) == ["action", "audience", "objective", "plan"]
    for field in added.values():
        assert isinstance(field, models.CharField) and field.default == "fr"
    # A row made without saying its language (as the migration fills existing ones) is French.
    plan = Plan.objects.create(name="Ancien plan", starts_on=dt.date(2026, 1, 1),
                               ends_on=dt.date(2026, 12, 31))
    assert Plan.objects.get(pk=plan.pk).language == "fr"


def test_the_calendar_feed_marks_titles_in_plain_text(personas):
    plan = make_plan(personas["marketing"])
    make_action(plan, "The new email launch", language="en",
                audience=make_audience(name="The whole IT department", language="en"))
    make_action(plan, "Lancement de Teams", language="fr")
    with translation.override("fr"):
        cal = icalendar.Calendar.from_ical(ics.plan_feed(Action.objects.order_by("pk"),
                                                         name="Plan"))
    first, second = cal.walk("VEVENT")
    assert str(first["SUMMARY"]) == "The new email launch (en anglais)"
    assert "The whole IT department (en anglais)" in str(first["DESCRIPTION"])
    assert str(second["SUMMARY"]) == "Lancement de Teams"
