"""The design and fieldwork pages: the list, a new study, the design read-only for readers and
editable for managers, each POST through its service with errors named, the fieldwork's waves
and progress by stratum, an imported survey and its mapping."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.urls import reverse
from django.utils import translation

from phare.listening.models import Wave
from phare.positioning.models import Study
from phare.positioning.services import studies
from tests.positioning.factories import (
    SP_RATINGS,
    import_sp_survey,
    make_answered_study,
    make_study,
)

pytestmark = pytest.mark.django_db


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


def test_the_list_shows_released_respondents_and_the_new_button_to_managers(login):
    study = make_answered_study(30)
    make_study(slug="empty")
    with translation.override("en"):
        page = login("marketing").get(reverse("positioning:home"))
    assert page.status_code == 200
    rows = {row.study.slug: row.respondents for row in page.context["rows"]}
    assert rows == {study.slug: 30, "empty": 0}
    assert reverse("positioning:study_new") in page.content.decode()
    executive = login("executive").get(reverse("positioning:home"))
    assert executive.status_code == 200
    assert reverse("positioning:study_new") not in executive.content.decode()
    assert login("employee").get(reverse("positioning:home")).status_code == 403


def test_a_manager_creates_a_study(login, personas):
    client = login("marketing")
    page = client.post(reverse("positioning:study_new"), {
        "slug": "dsi-2026", "title_fr": "Étude DSI", "title_en": "IT study", "family": "",
        "scale_min": 1, "scale_max": 5, "method": "ca"})
    assert page.status_code == 302 and page["Location"] == reverse("positioning:study",
                                                                   args=["dsi-2026"])
    study = Study.objects.get(slug="dsi-2026")
    assert study.created_by == personas["marketing"] and study.alternatives.count() == 5
    with translation.override("en"):
        again = client.post(reverse("positioning:study_new"), {
            "slug": "dsi-2026", "title_fr": "x", "scale_min": 1, "scale_max": 20,
            "method": "ca"})
    assert again.status_code == 200
    assert again.context["form"].errors == {"slug": ["A study with the identifier “dsi-2026” "
                                                     "already exists."]}
    assert login("executive").get(reverse("positioning:study_new")).status_code == 403


def test_the_design_page_is_read_only_for_readers(login):
    study = make_study(title_en="IT study")
    with translation.override("en"):
        page = login("executive").get(reverse("positioning:study", args=[study.slug]))
    html = page.content.decode()
    assert page.status_code == 200 and "The IT department" in html
    assert reverse("positioning:study_settings", args=[study.slug]) not in html
    assert reverse("positioning:study_generate", args=[study.slug]) not in html
    assert not page.context["can_edit"]
    post = login("executive").post(reverse("positioning:study_generate", args=[study.slug]))
    assert post.status_code == 403
    with translation.override("en"):
        managed = login("marketing").get(reverse("positioning:study", args=[study.slug]))
    assert reverse("positioning:study_generate", args=[study.slug]) in managed.content.decode()
    assert managed.context["can_edit"]


def test_managers_edit_the_design_through_the_posts(login):
    study = make_study()
    client = login("marketing")
    url = reverse("positioning:study_row", args=[study.slug, "attributes"])
    client.post(url, {"code": "green", "label_fr": "Sobriété", "label_en": "Green IT"})
    client.post(url, {"code": "cost", "action": "delete"})
    client.post(reverse("positioning:study_row", args=[study.slug, "alternatives"]),
                {"code": "saas", "action": "up"})
    client.post(reverse("positioning:study_profile", args=[study.slug]),
                {"profile_questions": ["profile_role", "profile_remote"]})
    client.post(reverse("positioning:study_tools", args=[study.slug]),
                {"names": "Trello\nDropbox\n"})
    client.post(reverse("positioning:study_population", args=[study.slug]),
                {"units": ["VEN"], "sample": "20", "stratify_by": "site"})
    client.post(reverse("positioning:study_settings", args=[study.slug]), {
        "title_fr": "Nouveau titre", "title_en": "New title", "scale_min": 0,
        "scale_max": 10, "method": "pca", "segments_k": 4})
    study.refresh_from_db()
    assert list(study.attributes.values_list("code", flat=True))[-1] == "green"
    assert not study.attributes.filter(code="cost").exists()
    assert list(study.alternatives.values_list("code", flat=True))[:3] == ["dsi", "saas",
                                                                           "outsourcer"]
    assert study.profile_questions == ["profile_remote", "profile_role"]
    assert sorted(study.tools.filter(suggested=True).values_list("name", flat=True)) == [
        "Dropbox", "Trello"]
    assert study.population["units"] == ["VEN"] and study.population["sample"] == 20
    assert (study.title_en, study.scale_max, study.method, study.segments_k) == (
        "New title", 10, "pca", 4)
    generated = client.post(reverse("positioning:study_generate", args=[study.slug]))
    assert generated.status_code == 302
    study.refresh_from_db()
    assert study.survey is not None and study.survey.current_version().questions.count() == 9


def test_a_refusal_is_shown_naming_its_field(login):
    study = make_study()
    with translation.override("en"):
        page = login("marketing").post(
            reverse("positioning:study_row", args=[study.slug, "alternatives"]),
            {"code": "dsi", "action": "delete"}, follow=True)
    assert page.status_code == 200
    assert messages_of(page) == ["alternatives: The IT department is the study's subject: it "
                                 "cannot be removed."]


def test_fieldwork_lists_waves_with_progress_by_stratum(login):
    study = make_answered_study(30)
    client = login("marketing")
    page = client.get(reverse("positioning:fieldwork", args=[study.slug]))
    assert page.status_code == 200 and page.context["respondents"] == 30
    [(wave, rates, strata)] = page.context["waves"]
    with translation.override("en"):
        assert wave.name == "Vague 1" and [str(label) for label, _rows in strata] == [
            "Business unit", "Site", "Job family"]
    assert rates["min_group_size"] == 5
    assert study.survey is not None
    assert reverse("listening:wave", args=[study.survey.slug, 1]) in page.content.decode()
    assert login("executive").get(reverse("positioning:fieldwork",
                                          args=[study.slug])).status_code == 403


def test_fieldwork_plans_a_wave(login):
    study = make_study()
    studies.questionnaire_generate(study=study, user=None)
    client = login("marketing")
    today = dt.date.today()
    response = client.post(reverse("positioning:fieldwork_start", args=[study.slug]), {
        "name": "Printemps", "opens_on": today.isoformat(),
        "closes_on": (today + dt.timedelta(days=20)).isoformat(), "reminder_days": ["7", "14"]})
    assert response.status_code == 302
    wave = Wave.objects.get(survey__positioning_study=study)
    assert (wave.name, wave.reminder_days, wave.status) == ("Printemps", [7, 14], "planned")


def test_an_imported_survey_is_attached_and_mapped(login):
    study = make_study()
    survey = import_sp_survey()
    client = login("marketing")
    before = client.get(reverse("positioning:fieldwork", args=[study.slug]))
    assert before.status_code == 200 and before.context["waves"] == []
    assert list(before.context["import_form"].fields["survey"].queryset) == [survey]
    client.post(reverse("positioning:import_attach", args=[study.slug]), {"survey": survey.pk})
    study.refresh_from_db()
    assert study.source == Study.Source.IMPORTED and study.survey == survey
    with translation.override("en"):
        bad = client.post(reverse("positioning:mapping", args=[study.slug]),
                          {"mapping": '{"ratings": {\n  "cloud": {}}}'}, follow=True)
        syntax = client.post(reverse("positioning:mapping", args=[study.slug]),
                             {"mapping": '{"ratings": \n  oops}'}, follow=True)
    # Sent back on the page, each error on the mapping's field (the error summary links it).
    assert bad.context["mapping_form"].errors["mapping"] == [
        "ratings.cloud: The study has no alternative “cloud”."]
    assert syntax.context["mapping_form"].errors["mapping"] == [
        "Not valid JSON at line 2, column 3: Expecting value."]
    assert "data-error-summary" in syntax.content.decode()
    client.post(reverse("positioning:mapping", args=[study.slug]),
                {"mapping": json.dumps({"ratings": SP_RATINGS})})
    study.refresh_from_db()
    assert study.mapping == {"ratings": SP_RATINGS}
    page = client.get(reverse("positioning:fieldwork", args=[study.slug]))
    assert len(page.context["mapping_rows"]) == 9
    assert page.context["respondents"] == 3
    design_page = client.get(reverse("positioning:study", args=[study.slug]))
    assert design_page.status_code == 200 and design_page.context["questionnaire"] == []
