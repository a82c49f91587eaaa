"""The results pages: the map, gaps, shadow IT and segments, their CSVs, roles."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation

from phare.positioning.models import Tool
from tests.positioning.factories import make_answered_study, make_study

pytestmark = pytest.mark.django_db
PAGES = ("map", "gaps", "shadow", "segments", "map_csv", "gaps_csv", "shadow_csv")




def test_it_shows_every_result_page_to_readers_only(client, personas):
    study = make_answered_study(60)
    for name in PAGES:
        url = reverse(f"positioning:{name}", args=[study.slug])
        client.force_login(personas["employee"])
        assert client.get(url).status_code == 403
        for who in ("marketing", "executive", "admin"):
            client.force_login(personas[who])
            assert client.get(url).status_code == 200, (name, who)
    client.force_login(personas["marketing"])
    assert client.get(reverse("positioning:map", args=["nope"])).status_code == 404


def test_it_draws_the_map_with_its_reading_rule_and_tables(client, personas):
    study = make_answered_study(80)
    client.force_login(personas["executive"])
    with translation.override("en"):
        response = client.get(reverse("positioning:map", args=[study.slug]) + "?by=top_unit",
                              HTTP_ACCEPT_LANGUAGE="en")
    body = response.content.decode()
    assert response.status_code == 200
    assert "How to read this map" in body and 'id="chart-map"' in body
    assert "as seen by" in body
    csv = client.get(reverse("positioning:map", args=[study.slug]), {"csv": "map"})
    assert csv.status_code == 200 and csv["Content-Type"].startswith("text/csv")
    means = client.get(reverse("positioning:map_csv", args=[study.slug]), {"table": "means"})
    lines = means.content.decode("utf-8-sig").splitlines()
    assert len(lines) == 1 + study.alternatives.count()
    assert client.get(reverse("positioning:map", args=[study.slug]),
                      {"by": "nonsense"}).status_code == 400


def test_it_says_too_few_answers_without_a_count(client, personas):
    study = make_answered_study(3)
    client.force_login(personas["marketing"])
    for name in ("map", "gaps", "shadow", "segments"):
        with translation.override("en"):
            body = client.get(reverse(f"positioning:{name}", args=[study.slug]),
                              HTTP_ACCEPT_LANGUAGE="en").content.decode()
        assert "Too few answers" in body, name
        assert "n = 3" not in body
    empty = make_study()
    assert client.get(reverse("positioning:gaps", args=[empty.slug])).status_code == 200


def test_it_lists_shadow_tools_with_a_review_link_for_managers(client, personas):
    study = make_answered_study(60)
    tool = Tool.objects.get(study=study, name="Dropbox")
    client.force_login(personas["marketing"])
    body = client.get(reverse("positioning:shadow", args=[study.slug])).content.decode()
    assert "Dropbox" in body
    assert reverse("positioning:tool", args=[study.slug, tool.pk]) in body
    client.force_login(personas["executive"])
    body = client.get(reverse("positioning:shadow", args=[study.slug])).content.decode()
    assert reverse("positioning:tool", args=[study.slug, tool.pk]) not in body


def test_it_shows_segments_with_links_to_their_persona(client, personas):
    study = make_answered_study(120)
    client.force_login(personas["marketing"])
    body = client.get(reverse("positioning:segments", args=[study.slug])).content.decode()
    assert reverse("positioning:persona", args=[study.slug, 1]) in body
    assert 'id="chart-segment-sizes"' in body
