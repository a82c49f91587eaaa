"""Dashboards computed once per state of the data (:mod:`phare.insights.dashboards`).

A page shows the same thing from the cache as computed afresh; the cache is used (no store
query on a second view); and anything the figures depend on — the store, a unit's name, a
threshold, the language, the reader's scope — changes what is shown at once.
"""

from __future__ import annotations

import re

import pytest
from django.conf import settings as django_settings

from phare.accounts.models import User
from phare.accounts.roles import Role
from phare.core.demo import DemoContext
from phare.directory.models import BusinessUnit
from phare.insights import store
from phare.listening import demo_data as D
from phare.listening.models import Survey
from tests.tickets.factories import ticket_demo

pytestmark = pytest.mark.slow


@pytest.fixture
def demo(demo_through, settings, tmp_path) -> DemoContext:
    ctx = ticket_demo(demo_through)
    settings.PHARE_ANALYTICS_DIR = tmp_path / "analytics"
    return ctx


def _pages() -> list[str]:
    service = Survey.objects.get(slug=D.SERVICE_SLUG).service
    assert service is not None
    return [f"/insights/barometer/{D.BAROMETER_SLUG}/",
            f"/insights/barometer/{D.BAROMETER_SLUG}/?unit=",
            "/insights/tickets/",
            "/insights/tickets/?channel=portal",
            f"/insights/tickets/{D.TICKET_SLUG}/summary/",
            f"/insights/services/{service.slug}/card/",
            f"/insights/verbatims/?survey={D.BAROMETER_SLUG}"]


_VARYING = [re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"'),
            re.compile(r'"X-CSRFToken": "[^"]+"'),
            re.compile(r'<p class="muted as-of".*?</p>', re.S)]


def _shown(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    html = response.content.decode()
    for pattern in _VARYING:
        html = pattern.sub("", html)
    return html


def _counting_store_queries(monkeypatch) -> list[str]:
    calls: list[str] = []
    real = store.query

    def counted(*args, **kwargs):
        calls.append(args[1])
        return real(*args, **kwargs)

    monkeypatch.setattr(store, "query", counted)
    return calls


# The CIO reads what the lead reads (the same entries): the lead and an owner cover both scopes.
@pytest.mark.parametrize("role", [Role.MARKETING, Role.OWNER])
def test_pages_show_the_same_from_the_cache_as_computed_afresh(demo, client, settings,
                                                               monkeypatch, role):
    reader = User.objects.filter(role=role).first()
    assert reader is not None
    client.force_login(reader)
    calls = _counting_store_queries(monkeypatch)
    for url in _pages():
        settings.PHARE_INSIGHTS_CACHE_SECONDS = 0
        afresh = client.get(url)
        if afresh.status_code != 200:  # an owner may not read the barometer: same either way
            settings.PHARE_INSIGHTS_CACHE_SECONDS = 3600
            assert client.get(url).status_code == afresh.status_code
            continue
        settings.PHARE_INSIGHTS_CACHE_SECONDS = 3600
        first = _shown(client, url)
        calls.clear()
        second = _shown(client, url)
        assert calls == [], f"{url} queried the store again"
        plain = afresh.content.decode()
        for pattern in _VARYING:
            plain = pattern.sub("", plain)
        assert first == plain, url
        assert second == plain, url


def test_the_cache_follows_the_data_the_language_and_the_scope(demo, client, settings):
    settings.PHARE_INSIGHTS_CACHE_SECONDS = 3600
    client.force_login(User.objects.filter(role=Role.MARKETING).first())
    url = f"/insights/barometer/{D.BAROMETER_SLUG}/"
    before = _shown(client, url)

    # A unit renamed in the directory: its new name is shown at once.
    unit = BusinessUnit.objects.order_by("pk").first()
    assert unit is not None and unit.name in before
    unit.name = "Unité renommée pour le test"
    unit.save()
    assert "Unité renommée pour le test" in _shown(client, url)

    # A higher threshold hides groups at once.
    survey = Survey.objects.get(slug=D.BAROMETER_SLUG)
    survey.min_group_size = 10_000
    survey.save()
    assert "Not enough answers" in _shown(client, url) or "Pas assez" in _shown(client, url)
    survey.min_group_size = 5
    survey.save()

    # Another language is another page.
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"
    english = _shown(client, url)
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "fr"
    french = _shown(client, url)
    assert "Headline" in english and "Headline" not in french

    # An owner's scope is not a marketing lead's.
    lead = _shown(client, "/insights/tickets/")
    client.force_login(User.objects.filter(role=Role.OWNER).first())
    assert _shown(client, "/insights/tickets/") != lead


def test_a_rebuilt_store_changes_the_figures(demo, client, settings):
    settings.PHARE_INSIGHTS_CACHE_SECONDS = 3600
    settings.PHARE_ANALYTICS_MAX_AGE = 0
    client.force_login(User.objects.filter(role=Role.MARKETING).first())
    url = f"/insights/barometer/{D.BAROMETER_SLUG}/"
    survey = Survey.objects.get(slug=D.BAROMETER_SLUG)
    _shown(client, url)
    print_before = store.fingerprint([survey])
    # Every answer of the latest closed wave disappears from the store's source.
    latest = survey.waves.filter(status="closed").order_by("-number").first()
    assert latest is not None
    latest.responses.all().delete()
    after = _shown(client, url)
    assert store.fingerprint([survey]) != print_before
    assert latest.name not in re.findall(r"Headline — ([^<]+)</h2>", after)


@pytest.fixture
def with_a_worker(settings):
    """Jobs go to the database queue for ``phare worker``, as in production."""
    settings.TASK_BACKEND = "database"
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend",
                                  "QUEUES": ["default"]}}


def test_a_page_never_builds_the_store_it_asks_the_worker(demo, client, settings, with_a_worker,
                                                           django_capture_on_commit_callbacks):
    from django_tasks_db.models import DBTaskResult

    settings.PHARE_ANALYTICS_MAX_AGE = 60
    client.force_login(User.objects.filter(role=Role.MARKETING).first())
    url = f"/insights/barometer/{D.BAROMETER_SLUG}/"
    survey = Survey.objects.get(slug=D.BAROMETER_SLUG)
    with django_capture_on_commit_callbacks(execute=True):
        first = client.get(url).content.decode()
    assert store.checked_at(survey) is None  # nothing built during the request
    assert "being prepared" in first or "en cours de préparation" in first
    queued = DBTaskResult.objects.filter(task_path__endswith="refresh_store")
    assert queued.count() == 1
    # A burst of views queues nothing more.
    with django_capture_on_commit_callbacks(execute=True):
        client.get(url)
        client.get(url)
    assert queued.count() == 1
    # The worker runs it; the page then shows the figures and their time.
    from phare.insights.tasks import refresh_store

    refresh_store.call(*queued.get().args_kwargs["args"])
    after = client.get(url).content.decode()
    assert store.checked_at(survey) is not None
    assert 'class="muted as-of" data-as-of="20' in after
    assert "Headline" in after or "Chiffres clés" in after or "NPS" in after


def test_the_workers_tick_brings_every_built_store_up_to_date(demo, settings):
    from phare.insights import freshness

    survey = Survey.objects.get(slug=D.BAROMETER_SLUG)
    pulse = Survey.objects.get(slug=D.PULSE_SLUG)
    store.refresh(survey)
    before = store.fingerprint([survey])
    latest = survey.waves.filter(status="closed").order_by("-number").first()
    assert latest is not None
    latest.responses.all().delete()
    done = freshness.tick(None)  # type: ignore[arg-type]
    assert done["rebuilt"] >= 0 and store.fingerprint([survey]) != before
    assert store.checked_at(pulse) is None  # never viewed: left alone


def test_changed_answers_ask_for_a_refresh_of_a_built_store_once(
        demo, settings, with_a_worker, django_capture_on_commit_callbacks):
    from django_tasks_db.models import DBTaskResult

    from phare.listening.signals import send_answers_changed

    settings.PHARE_ANALYTICS_MAX_AGE = 60
    tickets = Survey.objects.get(slug=D.TICKET_SLUG)
    barometer = Survey.objects.get(slug=D.BAROMETER_SLUG)
    store.refresh(tickets)  # read before; the barometer's store was never built
    queued = DBTaskResult.objects.filter(task_path__endswith="refresh_store")
    with django_capture_on_commit_callbacks(execute=True):
        send_answers_changed([tickets.pk, barometer.pk])
        send_answers_changed([tickets.pk])
    assert [task.args_kwargs["args"] for task in queued] == [[tickets.pk]]


def test_the_worker_prepares_the_pages_a_change_concerns(demo, client, settings, with_a_worker,
                                                         monkeypatch):
    from phare.insights.tasks import refresh_store

    settings.PHARE_INSIGHTS_CACHE_SECONDS = 3600
    settings.PHARE_ANALYTICS_MAX_AGE = 3600
    survey = Survey.objects.get(slug=D.BAROMETER_SLUG)
    tickets = Survey.objects.get(slug=D.TICKET_SLUG)
    # Built: its barometer and its comments, in French and in English.
    assert refresh_store.call(survey.pk)["prepared"] == 4
    assert refresh_store.call(survey.pk)["prepared"] == 0  # nothing changed
    latest = survey.waves.filter(status="closed").order_by("-number").first()
    assert latest is not None
    latest.responses.all().delete()
    assert refresh_store.call(survey.pk) == {"rebuilt": 0, "removed": 1, "prepared": 4}
    # Readers of everything, then each owner's scope: the experience and the survey's results.
    assert refresh_store.call(tickets.pk)["prepared"] >= 2 * (1 + 2 * 2 + 1)
    calls = _counting_store_queries(monkeypatch)
    for role in (Role.MARKETING, Role.OWNER):
        client.force_login(User.objects.filter(role=role).first())
        for language in ("fr", "en"):
            client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = language
            if role == Role.MARKETING:
                assert client.get(f"/insights/barometer/{D.BAROMETER_SLUG}/").status_code == 200
                assert client.get(f"/insights/verbatims/?survey={D.BAROMETER_SLUG}"
                                  ).status_code == 200
            assert client.get("/insights/tickets/").status_code == 200
            assert client.get(f"/insights/tickets/{D.TICKET_SLUG}/summary/").status_code == 200
            card = Survey.objects.get(slug=D.SERVICE_SLUG).service
            assert card is not None
            # An owner of another service may not see this card: the same refusal either way.
            expected = 200 if role == Role.MARKETING else 403
            assert client.get(f"/insights/services/{card.slug}/card/").status_code == expected
    assert calls == [], "a first view after the change computed its figures"
