"""The demo's positioning study: the department against four alternatives on ten attributes,
one closed wave, the pattern every results page should find, four personas quoting released
verbatims, shadow IT matched to the catalogue, one published statement and a newer draft."""

from __future__ import annotations

import datetime as dt
import random
from types import SimpleNamespace

import pytest
from django.utils import timezone, translation

from phare.core.demo import DemoContext
from phare.listening.models import Question, Wave
from phare.listening.queries import released
from phare.listening.questions import clean_answers
from phare.positioning import demo_data as D
from phare.positioning import outputs, results
from phare.positioning.answers import study_data
from phare.positioning.demo import match_attitudes, pick_quotes, sample_size, wave_dates
from phare.positioning.models import Benchmark, Persona, Statement, Study, Tool

pytestmark = pytest.mark.slow


@pytest.fixture
def demo(demo_through) -> DemoContext:
    # The comms tests' organisation: the build is shared with them.
    return demo_through("positioning", seed=7, employees=600)


@pytest.fixture
def study(demo) -> Study:
    return Study.objects.get(slug=D.STUDY_SLUG)


def test_it_designs_the_department_against_four_alternatives_on_ten_attributes(study):
    assert study.family is None
    assert study.status == Study.Status.CLOSED
    assert list(study.alternatives.values_list("code", flat=True)) == [
        "dsi", "outsourcer", "saas", "personal", "power_user"]
    assert study.alternatives.get(code="dsi").kind == "internal"
    assert study.attributes.count() == 10
    assert {"security", "speed", "data_protection", "availability"} <= set(
        study.attributes.values_list("code", flat=True))
    with translation.override("en"):
        assert study.title == "The IT department and its alternatives"
        assert study.attributes.get(code="data_protection").label == "Data protection"


def test_one_closed_wave_holds_the_released_answers(study):
    [wave] = Wave.objects.filter(survey=study.survey)
    assert wave.status == Wave.Status.CLOSED
    assert wave.closes_on < timezone.localdate()
    responses = study.survey.responses.all()
    assert responses.count() == released(responses).count()
    # 600 employees: about 45 % of the organisation answers (1,200 in the default demo).
    assert 200 <= responses.count() <= 330
    assert wave.invitations.count() == wave.audience["sample"]
    assert wave.audience["stratify_by"] == "business_unit"
    # Anonymous: no respondent, no invitation kept on the responses.
    assert not responses.filter(respondent__isnull=False).exists()


def test_the_answers_are_what_the_generated_questionnaire_accepts(study):
    questions = list(Question.objects.filter(version=study.survey.current_version()))
    assert {q.code for q in questions} >= {"ratings", "importance", "used", "used_why", "tools",
                                           "preference", "comment", "profile_digital"}
    for response in study.survey.responses.all()[:40]:
        raw = dict(response.answers)
        cleaned = clean_answers(questions, raw)
        assert cleaned["ratings"]["dsi"] == raw["ratings"]["dsi"]


def test_the_map_shows_it_winning_on_security_and_losing_on_speed_to_saas(study):
    found = results.perceptual_map(study)
    assert not found.hidden
    table = found.table
    assert table.loc["dsi", "security"] > table.loc["saas", "security"] + 0.8
    assert table.loc["dsi", "data_protection"] > table.loc["saas", "data_protection"] + 0.8
    assert table.loc["dsi", "speed"] < table.loc["saas", "speed"] - 0.8
    assert table.loc["dsi", "ease"] < table.loc["saas", "ease"] - 0.8


def test_plants_prefer_the_power_user_more_than_others_and_it_comes_first_overall(study):
    data = study_data(study)
    plant = data.people["top_unit"].isin(D.PLANT_UNITS)
    preference = data.preference
    in_plants = (preference[plant] == "power_user").mean()
    elsewhere = (preference[~plant] == "power_user").mean()
    assert in_plants > elsewhere + 0.15
    shares = preference.value_counts(normalize=True)
    assert shares.index[0] == "dsi"
    # Awareness differs: not everyone rates every alternative.
    rated = data.ratings.groupby("alternative")["respondent"].nunique()
    assert rated["dsi"] == data.n
    assert rated["outsourcer"] < 0.8 * data.n


def test_segmentation_finds_about_four_segments_and_four_personas_quote_them(study):
    found = outputs.segments(study)
    assert not found.hidden, found.reason
    assert 3 <= len(found.segments) <= 5
    cards = list(Persona.objects.filter(study=study))
    assert len(cards) == min(4, len(found.segments))
    for persona in cards:
        assert persona.name_fr and persona.name_en and persona.goals_en and persona.channels
        segment = found.get(persona.segment)
        assert segment is not None and persona.quotes
        assert set(persona.quotes) <= set(segment.verbatims)
    with_audience = [p for p in cards if p.audience_id]
    assert len(with_audience) == 1
    audience = with_audience[0].audience
    assert audience is not None and audience.criteria["job_families"]


def test_shadow_it_groups_spellings_and_has_an_equivalent_and_a_gap(study):
    found = results.shadow_it(study)
    assert not found.hidden
    statuses = {group.name: group.status for group in found.groups}
    assert statuses.get("WeTransfer") != "gap"
    wetransfer = Tool.objects.get(study=study, name="WeTransfer")
    assert wetransfer.service is not None
    assert wetransfer.service.slug == "transfert-fichiers-volumineux"
    assert wetransfer.action is not None  # made known in the comms plan
    assert Tool.objects.filter(study=study, gap=True, name="WhatsApp").exists()
    assert "WhatsApp" in statuses and "Whats App" not in statuses  # spellings grouped
    whatsapp = Tool.objects.get(study=study, name="WhatsApp")
    assert whatsapp.need is not None
    assert "WhatsApp" in whatsapp.need.title


def test_one_statement_is_published_and_a_newer_draft_waits(study):
    versions = list(Statement.objects.filter(study=study).order_by("version"))
    assert [(s.version, s.status) for s in versions] == [(1, "published"), (2, "draft")]
    assert versions[0].published_at is not None
    assert versions[0].audience_en and versions[0].proof_fr
    assert versions[1].benefit_fr != versions[0].benefit_fr


def test_the_collaboration_family_has_its_own_study_whose_statement_is_its_promise(demo):
    family_study = Study.objects.get(slug=D.FAMILY_STUDY_SLUG)
    assert family_study.family is not None and family_study.family.code == "collab"
    assert family_study.status == Study.Status.CLOSED
    assert family_study.survey is not None and family_study.survey.responses.exists()
    [published] = Statement.objects.filter(study__family__code="collab",
                                           status=Statement.Status.PUBLISHED)
    assert published.study == family_study
    assert "WeTransfer" in published.unlike_en


def test_benchmarks_always_carry_their_source_and_date(study):
    rows = list(Benchmark.objects.filter(study=study))
    assert len(rows) == 2
    for row in rows:
        assert row.source.startswith("HappySignals") and row.as_of.year >= 2019


# --- the pure pieces, without the demo -----------------------------------------------------------


def test_the_answer_model_leaves_unknown_alternatives_empty_and_comments_vary():
    rng = random.Random(3)
    who = D.Who(language="en", top_unit="VEN", site="PAR", job_family="COM")
    answered = [D.answer(rng, who, tool_codes={"WhatsApp": "t1"},
                         profile_options={"profile_role": ["manager", "staff"]})
                for _ in range(400)]
    assert any("outsourcer" not in a.answers["ratings"] for a in answered)
    assert all(set(a.answers["ratings"]["dsi"]) == set(D.ATTRIBUTE_CODES) for a in answered)
    texts = set()
    for group in D.ATTITUDE_CODES:
        for language in ("fr", "en"):
            texts |= {D.comment(rng, language, group) for _ in range(40)}
    assert len(texts) >= 60


def test_sizes_and_dates():
    assert sample_size(4000) == round(1200 / D.RESPONSE_RATE)
    assert sample_size(600) == round(270 / D.RESPONSE_RATE)
    opens_on, closes_on = wave_dates(dt.date(2026, 12, 6))
    assert opens_on.weekday() == 0 and (closes_on - opens_on).days == D.WAVE_DAYS
    assert closes_on < dt.date(2026, 12, 1)


def test_quotes_mix_languages_and_match_the_attitudes():
    verbatims = ["On perd trop de temps.", "La DSI reste la référence.", "We lose too much time.",
                 "Il faut parler du prix."]
    assert pick_quotes(verbatims) == ["On perd trop de temps.", "La DSI reste la référence.",
                                      "We lose too much time."]

    def segment(number: int, z: dict[str, float]) -> outputs.Segment:
        attitudes = [SimpleNamespace(feature=f, z=v) for f, v in z.items()]
        return outputs.Segment(number=number, size=50, share=0.25, verbatims=[],
                               detail=SimpleNamespace(attitudes=attitudes))

    matched = match_attitudes([
        segment(1, {"importance:cost": 1.5, "rating:cost": -1.2}),
        segment(2, {"importance:availability": 1.0, "rating:support": -1.0}),
        segment(3, {"importance:innovation": 1.2, "rating:speed": -0.9, "used": 1.0}),
        segment(4, {"importance:data_protection": 1.1, "rating:speed": 0.8}),
    ])
    assert {n: card.attitude for n, card in matched.items()} == {
        1: "cost", 2: "floor", 3: "fast", 4: "loyal"}
