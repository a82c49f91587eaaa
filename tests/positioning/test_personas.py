"""Personas: a card per segment of the current segmentation, quotes only among the segment's
released verbatims, the released n recorded, and the comms audience made from job families
(never from respondents)."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from phare.comms.models import Audience
from phare.positioning import results
from phare.positioning.models import Persona
from phare.positioning.outputs import persona_page, segments
from phare.positioning.services.personas import persona_audience, persona_save
from tests.positioning.factories import make_answered_study, make_study

pytestmark = pytest.mark.django_db


@pytest.fixture
def study(personas):
    return make_answered_study(120, user=personas["marketing"])


def card(segment, **extra):
    values = {"name_fr": "Les pressés", "name_en": "The hurried",
              "goals_fr": "Avancer vite", "channels": ["email", "webhook"],
              "quotes": segment.verbatims[:1]}
    values.update(extra)
    return values


def test_it_writes_a_persona_for_a_segment_and_records_the_released_n(personas, study):
    first = segments(study).segments[0]
    persona = persona_save(user=personas["marketing"], study=study, segment=first.number,
                           **card(first, summary_en="  Sales people  "))
    assert (persona.segment, persona.name_fr, persona.summary_en) == (first.number,
                                                                      "Les pressés",
                                                                      "Sales people")
    assert persona.channels == ["email", "webhook"]
    assert persona.quotes == first.verbatims[:1] and persona.quotes
    study.refresh_from_db()
    assert study.personas_n == 120
    # Saving again changes the same card.
    again = persona_save(user=personas["admin"], study=study, segment=first.number,
                         **card(first, name_fr="Les efficaces", quotes=[]))
    assert again.pk == persona.pk and Persona.objects.get().quotes == []


def test_a_quote_must_be_a_released_verbatim_of_the_segment(personas, study):
    found = segments(study)
    first, second = found.segments[0], found.segments[1]
    invented = "La DSI est formidable, je l'adore"
    with pytest.raises(ValidationError) as caught:
        persona_save(user=personas["marketing"], study=study, segment=first.number,
                     **card(first, quotes=[invented]))
    assert caught.value.error_dict["quotes"][0].code == "not_a_verbatim"
    only_second = [v for v in second.verbatims if v not in first.verbatims]
    if only_second:  # another segment's words are not this segment's
        with pytest.raises(ValidationError):
            persona_save(user=personas["marketing"], study=study, segment=first.number,
                         **card(first, quotes=only_second[:1]))
    assert not Persona.objects.exists()


def test_it_refuses_unknown_segments_channels_and_a_missing_name(personas, study):
    first = segments(study).segments[0]
    with pytest.raises(ValidationError) as caught:
        persona_save(user=personas["marketing"], study=study, segment=9, **card(first))
    assert caught.value.error_dict["segment"][0].code == "unknown"
    with pytest.raises(ValidationError) as caught:
        persona_save(user=personas["marketing"], study=study, segment=first.number,
                     **card(first, name_fr=" ", channels=["fax"]))
    assert set(caught.value.message_dict) == {"name_fr", "channels"}
    with pytest.raises(PermissionDenied):
        persona_save(user=personas["executive"], study=study, segment=first.number,
                     **card(first))


def test_a_study_without_segments_has_no_personas(personas):
    study = make_study(personas["marketing"])  # no answers at all
    found = segments(study)
    assert found.hidden and found.reason and found.n == 0
    with pytest.raises(ValidationError) as caught:
        persona_save(user=personas["marketing"], study=study, segment=1, name_fr="X")
    assert caught.value.error_dict["segment"][0].code == "no_segments"


def test_the_persona_page_warns_when_the_answers_changed(personas, study):
    first = segments(study).segments[0]
    persona_save(user=personas["marketing"], study=study, segment=first.number, **card(first))
    study.refresh_from_db()
    page = persona_page(study)
    assert not page.changed
    assert [c.persona is not None for c in page.cards] == [True] + [False] * (
        len(page.cards) - 1)
    with translation.override("en"):
        assert page.cards[1].title == f"Segment {page.cards[1].segment.number} — not named yet"
        assert page.cards[0].title == "The hurried"
    study.personas_n = 100
    study.save(update_fields=["personas_n"])
    assert persona_page(study).changed


def test_a_persona_becomes_an_audience_by_job_family(personas, study):
    first = segments(study).segments[0]
    persona_save(user=personas["marketing"], study=study, segment=first.number, **card(first))
    expected = results.persona_job_families(study, first.number, threshold=40)
    assert expected  # the crowd of the factory gives this segment job families
    with translation.override("en"):
        audience = persona_audience(user=personas["marketing"], study=study,
                                    segment=first.number)
    assert audience.criteria == {"job_families": expected}
    assert audience.name == "Persona: The hurried"
    assert "never by what they answered" in audience.description
    assert Persona.objects.get().audience == audience
    # Again: the same audience is brought up to date, not a second one.
    assert persona_audience(user=personas["marketing"], study=study,
                            segment=first.number).pk == audience.pk
    assert Audience.objects.count() == 1


def test_the_audience_is_refused_when_no_job_family_qualifies(personas, study):
    first = segments(study).segments[0]
    with pytest.raises(ValidationError) as caught:
        persona_audience(user=personas["marketing"], study=study, segment=first.number)
    assert caught.value.error_dict["segment"][0].code == "no_persona"
    persona_save(user=personas["marketing"], study=study, segment=first.number, **card(first))
    with pytest.raises(ValidationError) as caught:
        persona_audience(user=personas["marketing"], study=study, segment=first.number,
                         threshold=100)
    assert caught.value.error_dict["threshold"][0].code == "none_qualifies"
    with pytest.raises(PermissionDenied):
        persona_audience(user=personas["executive"], study=study, segment=first.number)
    assert not Audience.objects.exists()
