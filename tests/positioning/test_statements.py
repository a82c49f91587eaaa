"""Positioning statements: drafts, versions, publication (one published per study), the
French parts required, published versions never edited, managers only."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from phare.positioning.models import Statement
from phare.positioning.outputs import promise, statement_initial, statement_page
from phare.positioning.services.statements import statement_publish, statement_save
from tests.catalog.factories import make_families
from tests.positioning.factories import make_study

pytestmark = pytest.mark.django_db
S = Statement.Status

PARTS = {"audience_fr": "les équipes commerciales", "need_fr": "doivent partager vite",
         "offer_fr": "l'espace collaboratif de la DSI", "benefit_fr": "reste sûr et simple",
         "unlike_fr": "les outils personnels", "proof_fr": "il est hébergé en France",
         "audience_en": "sales teams"}


def test_it_saves_a_draft_then_edits_the_same_draft(personas):
    study = make_study(personas["marketing"])
    first = statement_save(user=personas["marketing"], study=study, **PARTS)
    assert (first.version, first.status, first.created_by) == (1, S.DRAFT, personas["marketing"])
    again = statement_save(user=personas["marketing"], study=study,
                           **{**PARTS, "proof_fr": "  hébergé à Lyon  "})
    assert again.pk == first.pk and again.proof_fr == "hébergé à Lyon"
    assert Statement.objects.filter(study=study).count() == 1


def test_it_requires_every_part_in_french(personas):
    study = make_study()
    with pytest.raises(ValidationError) as caught:
        statement_save(user=personas["marketing"], study=study,
                       **{**PARTS, "unlike_fr": "  ", "proof_fr": ""})
    assert set(caught.value.message_dict) == {"unlike_fr", "proof_fr"}
    assert not Statement.objects.exists()


def test_it_refuses_other_roles_and_unknown_parts(personas):
    study = make_study()
    for name in ("executive", "owner", "employee"):
        with pytest.raises(PermissionDenied):
            statement_save(user=personas[name], study=study, **PARTS)
    with pytest.raises(TypeError, match="tagline"):
        statement_save(user=personas["admin"], study=study, tagline_fr="x", **PARTS)


def test_publishing_archives_the_previous_version_and_a_new_draft_starts_over(personas):
    lead = personas["marketing"]
    study = make_study(lead)
    v1 = statement_publish(user=lead, statement=statement_save(user=lead, study=study, **PARTS))
    assert v1.status == S.PUBLISHED and v1.published_at is not None
    # The editor starts from the published text; saving makes version 2, v1 is untouched.
    assert statement_initial(study) == v1
    v2 = statement_save(user=lead, study=study, **{**PARTS, "benefit_fr": "répond en 1 h"})
    assert v2.version == 2 and v2.pk != v1.pk
    v1.refresh_from_db()
    assert (v1.status, v1.benefit_fr) == (S.PUBLISHED, "reste sûr et simple")
    statement_publish(user=lead, statement=v2)
    v1.refresh_from_db()
    page = statement_page(study)
    assert v1.status == S.ARCHIVED and page.published == v2 and page.draft is None
    assert [v.version for v in page.versions] == [2, 1]
    assert Statement.objects.filter(study=study, status=S.PUBLISHED).count() == 1


def test_only_a_draft_is_published(personas):
    lead = personas["marketing"]
    study = make_study(lead)
    v1 = statement_publish(user=lead, statement=statement_save(user=lead, study=study, **PARTS))
    with pytest.raises(ValidationError) as caught:
        statement_publish(user=lead, statement=v1)
    assert caught.value.error_dict["status"][0].code == "transition"
    with pytest.raises(PermissionDenied):
        statement_publish(user=personas["executive"], statement=v1)


def test_the_promise_is_the_latest_study_of_the_family(personas):
    lead = personas["marketing"]
    family = make_families()["collab"]
    old = make_study(lead, family=family)
    statement_publish(user=lead, statement=statement_save(user=lead, study=old, **PARTS))
    new = make_study(lead, family=family)
    found = promise("collab")
    assert found is not None and found.study == old  # the new study has nothing published yet
    statement_save(user=lead, study=new, **{**PARTS, "offer_fr": "le nouvel espace"})
    found = promise("collab")
    assert found is not None and found.study == old  # a draft is not a promise
    published = statement_publish(user=lead, statement=new.statements.get())
    assert promise("collab") == published
    assert promise("other-family") is None
    with translation.override("en"):
        assert published.part("audience") == "sales teams"
        assert published.part("need") == "doivent partager vite"  # French fallback
