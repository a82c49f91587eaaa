"""Waves: audiences from the directory, samples, launching under contact pressure, rates."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from phare.contact import services as contact
from phare.contact.models import Category
from phare.directory.models import BusinessUnit, Person
from phare.jobs.models import Job
from phare.listening import queries, services
from phare.listening.models import Invitation, OptOut, Survey, Wave
from phare.listening.services import ListeningError
from tests.directory.factories import make_person
from tests.listening.factories import TODAY, make_barometer, make_crowd, plan


@pytest.fixture
def crowd(org) -> list[Person]:
    return make_crowd(org)


@pytest.fixture
def survey(db) -> Survey:
    return make_barometer()


# --- audience -----------------------------------------------------------------------------------

def test_it_selects_units_with_their_sub_units(crowd, org):
    Person.objects.filter(employee_id="C000").update(active=False)
    dg = queries.audience_people(services.clean_audience({"units": ["DG"]}))
    assert dg.count() == 19  # 10 in DG (one inactive) + 10 in its sub-unit DSI
    assert set(dg.values_list("business_unit__code", flat=True)) == {"DG", "DSI"}
    assert queries.audience_people({"units": ["DSI"]}).count() == 10


def test_it_ands_the_lists_and_ors_within_each(crowd):
    assert queries.audience_people({"units": ["DSI", "VEN"]}).count() == 30
    both = queries.audience_people({"units": ["VEN"], "sites": ["LYS"]})
    assert both.count() == 10
    assert set(both.values_list("site__code", flat=True)) == {"LYS"}
    sales = queries.audience_people({"job_families": ["COM"], "sites": ["PAR", "LYS"]})
    assert sales.count() == 8
    assert queries.audience_people({}).count() == 40


def test_it_names_the_field_and_the_unknown_codes(crowd):
    with pytest.raises(ListeningError) as refused:
        services.clean_audience({"units": ["DG"], "sites": ["PAR", "NOWHERE", "ATLANTIS"]})
    assert refused.value.field == "audience.sites"
    assert "ATLANTIS, NOWHERE" in refused.value.message
    for audience, field in (({"job_families": ["ZZ"]}, "audience.job_families"),
                            ({"units": "DG"}, "audience.units"),
                            ({"sample": 0}, "audience.sample"),
                            ({"stratify_by": "site"}, "audience.stratify_by"),
                            ({"sample": 5, "stratify_by": "age"}, "audience.stratify_by"),
                            ({"colour": "blue"}, "audience")):
        with pytest.raises(ListeningError) as refused:
            services.clean_audience(audience)
        assert refused.value.field == field, audience


def test_a_wave_keeps_a_seed_so_its_sample_can_be_drawn_again(crowd, survey):
    wave = plan(survey, sample=5)
    assert isinstance(wave.audience["seed"], int)
    assert plan(survey, sample=5, seed=42).audience["seed"] == 42


# --- samples ------------------------------------------------------------------------------------

def test_a_random_sample_has_the_exact_size_and_repeats_with_its_seed(crowd):
    people = queries.audience_people({})
    first = queries.sample_people(people, 12, seed=7)
    assert len(first) == len(set(first)) == 12
    assert set(first) <= set(people.values_list("pk", flat=True))
    assert queries.sample_people(people, 12, seed=7) == first
    assert queries.sample_people(people, 12, seed=8) != first
    assert len(queries.sample_people(people, 500, seed=7)) == 40
    assert len(queries.sample_people(people, None)) == 40


def test_a_stratified_sample_is_proportional(crowd):
    people = queries.audience_people({})
    chosen = queries.sample_people(people, 12, stratify_by="business_unit", seed=3)
    units = list(Person.objects.filter(pk__in=chosen).values_list("business_unit__code",
                                                                  flat=True))
    assert len(chosen) == 12
    assert {u: units.count(u) for u in set(units)} == {"DG": 3, "DSI": 3, "VEN": 6}
    assert queries.sample_people(people, 12, stratify_by="business_unit", seed=3) == chosen
    by_site = queries.sample_people(people, 9, stratify_by="site", seed=3)
    sites = list(Person.objects.filter(pk__in=by_site).values_list("site__code", flat=True))
    assert sorted((sites.count("PAR"), sites.count("LYS"))) == [4, 5]


def test_it_leaves_the_refused_out_before_sampling(crowd):
    people = queries.audience_people({})
    refused = {p.pk for p in crowd[:30]}
    chosen = queries.sample_people(people, 8, seed=1, exclude=refused)
    assert len(chosen) == 8 and not set(chosen) & refused


@pytest.mark.parametrize(("sizes", "n", "expected"), [
    ({"a": 10, "b": 10, "c": 20}, 12, {"a": 3, "b": 3, "c": 6}),
    ({"a": 7, "b": 7, "c": 6}, 10, {"a": 4, "b": 3, "c": 3}),  # largest remainder, ties: first
    ({"a": 1, "b": 1, "c": 98}, 10, {"a": 1, "b": 1, "c": 8}),  # at least one each
    ({"a": 5, "b": 5, "c": 5}, 2, {"a": 1, "b": 1, "c": 0}),  # fewer than the strata
    ({"a": 2, "b": 50}, 60, {"a": 2, "b": 50}),  # everyone
    ({"a": 1, "b": 9, "c": 90}, 50, {"a": 1, "b": 4, "c": 45}),
])
def test_allocation_is_proportional_by_largest_remainder(sizes, n, expected):
    shares = queries.allocate(sizes, n)
    assert shares == expected
    assert sum(shares.values()) == min(n, sum(sizes.values()))


def test_the_preview_counts_the_population_and_each_stratum(crowd):
    preview = queries.audience_preview(services.clean_audience(
        {"units": ["DG"], "sample": 8, "stratify_by": "site"}))
    assert preview["population"] == 20
    assert preview["sample_size"] == 8
    assert [(s["code"], s["population"], s["sample"]) for s in preview["strata"]] == [
        ("LYS", 10, 4), ("PAR", 10, 4)]
    assert preview["strata"][0]["name"] == "Lyon Gerland"


# --- planning and launching ---------------------------------------------------------------------

def test_it_plans_numbered_waves_on_the_current_version(crowd, survey):
    first, second = plan(survey), plan(survey)
    assert (first.number, second.number) == (1, 2)
    assert first.status == Wave.Status.PLANNED
    assert first.version == survey.current_version()
    assert first.reminder_days == [7, 14]


@pytest.mark.parametrize(("changes", "field"), [
    ({"name": "  "}, "name"),
    ({"closes_on": TODAY - dt.timedelta(days=1)}, "closes_on"),
    ({"reminder_days": [14, 7]}, "reminder_days"),
    ({"reminder_days": [0]}, "reminder_days"),
    ({"reminder_days": [7, 7]}, "reminder_days"),
    ({"audience": {"units": ["NOPE"]}}, "audience.units"),
])
def test_it_refuses_a_wrong_wave_naming_the_field(crowd, survey, changes, field):
    values = {"name": "Printemps", "opens_on": TODAY, "closes_on": TODAY, "audience": {},
              "reminder_days": [], **changes}
    with pytest.raises(ListeningError) as refused:
        services.wave_create(survey, **values)
    assert refused.value.field == field
    assert not Wave.objects.exists()


def test_an_opt_out_is_recorded_once_and_can_be_withdrawn(crowd):
    person = crowd[0]
    services.opt_out_record(person_id=person.pk)
    services.opt_out_record(person_id=person.pk)
    assert OptOut.objects.filter(person=person).count() == 1
    services.opt_out_withdraw(person_id=person.pk)
    assert not OptOut.objects.filter(person=person).exists()
    services.opt_out_withdraw(person_id=person.pk)  # nothing to withdraw: nothing happens
    assert not OptOut.objects.exists()


def test_ticket_feedback_has_no_waves(db):
    tickets = services.survey_create(slug="ticket-feedback", kind=Survey.Kind.TRANSACTIONAL,
                                     title_fr="Votre ticket")
    with pytest.raises(ListeningError) as refused:
        plan(tickets)
    assert refused.value.field == "survey"


def test_launching_invites_each_person_once_with_a_unique_link(crowd, survey, org):
    wave = plan(survey, units=["DG"])
    done = services.wave_launch(wave)
    invitations = list(Invitation.objects.filter(wave=wave).select_related("person"))
    assert done["invited"] == len(invitations) == 20
    assert done["population"] == 20 and done["opted_out"] == done["contact_cap"] == 0
    assert len({i.token for i in invitations}) == 20
    assert all(len(i.token) >= 30 for i in invitations)
    someone = next(i for i in invitations if i.person.employee_id == "C009")
    assert (someone.unit_code, someone.site_code, someone.job_family_code) == ("DSI", "LYS", "IT")
    assert (someone.language, someone.email) == ("en", "c9@example.com")
    assert all(i.sent_at is None and i.version == survey.current_version()
               for i in invitations)
    wave.refresh_from_db()
    survey.refresh_from_db()
    assert wave.status == Wave.Status.OPEN
    assert survey.status == Survey.Status.OPEN  # a draft survey is opened by its first wave
    job = Job.objects.get(pk=done["job"])
    assert (job.kind, job.params["wave_id"]) == ("listening.send_invitations", wave.pk)


def test_launching_skips_the_opted_out_and_those_asked_too_often(crowd, survey, settings):
    settings.PHARE_SURVEY_CONTACT_CAP = 1
    services.opt_out_record(person_id=crowd[0].pk)
    services.opt_out_record(person_id=crowd[1].pk)
    other = make_barometer("pulse")
    busy = plan(other, units=["VEN"])  # VEN: 20 people, each now at the cap
    services.wave_launch(busy)
    wave = plan(survey)
    done = services.wave_launch(wave)
    assert done["opted_out"] == 2
    assert done["contact_cap"] == 20  # crowd[0] and crowd[1] are in DG and DSI, not VEN
    assert done["invited"] == 40 - 2 - 20
    invited = set(Invitation.objects.filter(wave=wave).values_list("person_id", flat=True))
    assert not invited & {crowd[0].pk, crowd[1].pk}
    assert not invited & set(Invitation.objects.filter(wave=busy)
                             .values_list("person_id", flat=True))


def test_a_sample_of_n_reaches_n_people_despite_refusals(crowd, survey):
    for person in crowd[:10]:
        services.opt_out_record(person_id=person.pk)
    wave = plan(survey, sample=25, seed=5)
    assert services.wave_launch(wave)["invited"] == 25
    opted = set(OptOut.objects.values_list("person_id", flat=True))
    assert not set(Invitation.objects.filter(wave=wave).values_list("person_id", flat=True)) \
        & opted


def test_a_wave_is_launched_once(crowd, survey):
    wave = plan(survey)
    services.wave_launch(wave)
    with pytest.raises(services.WaveConflict):
        services.wave_launch(wave)
    assert Invitation.objects.filter(wave=wave).count() == 40


def test_it_refuses_to_launch_what_cannot_collect(crowd, survey, db):
    empty = services.survey_create(slug="vide", kind=Survey.Kind.PULSE, title_fr="Vide")
    with pytest.raises(ListeningError) as refused:
        services.wave_launch(plan(empty))
    assert refused.value.field == "status"
    services.survey_set_status(survey, Survey.Status.CLOSED)
    wave = Wave.objects.create(survey=survey, version=survey.current_version(), number=9,
                               name="x", opens_on=TODAY, closes_on=TODAY)
    with pytest.raises(services.WaveConflict):
        services.wave_launch(wave)
    services.survey_set_status(survey, Survey.Status.OPEN)
    with pytest.raises(services.WaveConflict) as late:
        services.wave_launch(wave, now=timezone.now() + dt.timedelta(days=2))
    assert late.value.field == "closes_on"
    nobody = plan(survey, units=["VEN"], sites=["LYS"], job_families=["COM"])
    Person.objects.filter(business_unit__code="VEN").update(active=False)
    with pytest.raises(ListeningError) as refused:
        services.wave_launch(nobody)
    assert refused.value.field == "audience"
    assert not Invitation.objects.exists()


# --- response rates -----------------------------------------------------------------------------

def _answer(wave: Wave, employee_ids: list[str]) -> None:
    Invitation.objects.filter(wave=wave, person__employee_id__in=employee_ids).update(
        responded_on=TODAY)


def test_the_response_rate_is_counted_overall_and_per_segment(crowd, survey,
                                                              django_assert_max_num_queries):
    wave = plan(survey)
    services.wave_launch(wave)
    Invitation.objects.filter(wave=wave).update(sent_at=timezone.now())
    Invitation.objects.filter(wave=wave, person__employee_id="C039").update(sent_at=None)
    _answer(wave, ["C000", "C001", "C002", "C004", "C008", "C012"])
    with django_assert_max_num_queries(8):
        rates = queries.response_rates(wave)
    assert rates["overall"] == {"invited": 40, "sent": 39, "responded": 6,
                                "rate": round(6 / 39, 4), "suppressed": False}
    units = {g["code"]: (g["invited"], g["responded"]) for g in
             rates["segments"]["business_unit"]["groups"]}
    assert units == {"DG": (10, 4), "DSI": (10, 1), "VEN": (20, 1)}
    assert rates["segments"]["business_unit"]["other"] is None
    names = {g["code"]: g["name"] for g in rates["segments"]["site"]["groups"]}
    assert names == {"LYS": "Lyon Gerland", "PAR": "Paris La Défense"}


def test_small_groups_are_merged_so_their_answers_cannot_be_seen(crowd, survey, org):
    hr = BusinessUnit.objects.create(code="RH", name="Ressources humaines")
    for i in range(3):
        make_person(org, f"H{i}", "Rh", f"Personne{i}", business_unit=hr)
    wave = plan(survey)
    services.wave_launch(wave)
    Invitation.objects.filter(wave=wave).update(sent_at=timezone.now())
    _answer(wave, ["H0", "H1", "C000"])
    table = queries.response_rates(wave)["segments"]["business_unit"]
    # RH (3 people) alone would be too small: the smallest listed group (DG) joins it, so that
    # RH's figures cannot be found by subtracting the listed groups from the total.
    assert [g["code"] for g in table["groups"]] == ["DSI", "VEN"]
    assert table["other"] == {"groups": 2, "invited": 13, "sent": 13, "responded": 3,
                              "rate": round(3 / 13, 4), "suppressed": False}


def test_a_wave_smaller_than_the_minimum_shows_no_answers(org, survey):
    for i in range(3):
        make_person(org, f"T{i}", "Tiny", f"Group{i}")
    wave = plan(survey)
    services.wave_launch(wave)
    _answer(wave, ["T0"])
    rates = queries.response_rates(wave)
    assert rates["overall"]["responded"] is None and rates["overall"]["suppressed"]
    assert rates["segments"]["site"]["groups"] == []
    assert rates["segments"]["site"]["other"]["responded"] is None
    listed = queries.survey_wave_rates(survey)[wave.pk]
    assert listed["responded"] is None and listed["invited"] == 3


def test_launching_leaves_out_those_a_quiet_period_holds_back(crowd, survey, org):
    contact.quiet_period_save(name="Clôture", starts_on=TODAY, ends_on=TODAY,
                              units=[org["sales"]], categories=[Category.SURVEY])
    services.opt_out_record(person_id=crowd[2].pk)  # in VEN: opted out comes first
    wave = plan(survey)
    done = services.wave_launch(wave)
    assert (done["population"], done["invited"]) == (40, 20)
    assert (done["opted_out"], done["quiet_period"], done["contact_cap"]) == (1, 19, 0)
    assert not Invitation.objects.filter(wave=wave, unit_code="VEN").exists()
