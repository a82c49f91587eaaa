"""Audiences: criteria checked with field paths, evaluated against the directory, the
catalogue, usage, needs and survey waves, and said in words."""

from __future__ import annotations

import datetime as dt
import time

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from phare.catalog.access import audience_filter
from phare.catalog.models import Service
from phare.comms import audiences
from phare.comms.audiences import AudienceInvalid
from phare.directory.models import BusinessUnit, Person
from phare.listening import services as listening
from phare.listening.models import Invitation
from phare.needs import services as needs_services
from phare.usage import services as usage_services
from tests.comms.factories import make_action, make_audience, make_people, make_plan
from tests.listening.factories import full_answers, make_barometer, plan
from tests.needs.factories import make_campaign, make_need, score
from tests.usage.factories import import_events, use
from tests.usage.factories import service as usage_service

TODAY = dt.date(2026, 6, 15)
NOW = dt.datetime(2026, 6, 15, 9, 0, tzinfo=dt.UTC)


@pytest.fixture
def crowd(org, personas):
    """The personas (DSI ×3, DG, VEN) and 4 people in each of DG, DSI and VEN; in VEN two
    work in Paris; one DSI person left, one has no email."""
    people = {
        "dg": make_people(org, 4, prefix="G", unit=org["dg"]),
        "dsi": make_people(org, 4, prefix="D"),
        "ven": make_people(org, 4, prefix="V", unit=org["sales"], site=org["lyon"],
                           job_family=org["sell"]),
    }
    Person.objects.filter(pk__in=[p.pk for p in people["ven"][:2]]).update(site=org["paris"])
    Person.objects.filter(pk=people["dsi"][2].pk).update(active=False)
    Person.objects.filter(pk=people["dsi"][3].pk).update(email="")
    people["personas"] = {name: user.person for name, user in personas.items()}
    return people


def ids(*groups) -> list[int]:
    return sorted(p.pk for group in groups for p in group)


def _errors(criteria) -> list[tuple[str, str]]:
    with pytest.raises(AudienceInvalid) as caught:
        audiences.check(criteria)
    return caught.value.details


def _fields(criteria) -> list[str]:
    return [name for name, _reason in _errors(criteria)]


# -- the directory ------------------------------------------------------------------------------

def test_it_takes_a_unit_with_its_sub_units_unless_told_not_to(crowd):
    personas = crowd["personas"]
    dsi_reachable = crowd["dsi"][:2] + [personas[n] for n in ("admin", "marketing", "owner")]
    assert audiences.members({"units": ["DG"]}) == ids(
        crowd["dg"], [personas["executive"]], dsi_reachable)
    assert audiences.members({"units": ["DG"], "sub_units": False}) == ids(
        crowd["dg"], [personas["executive"]])
    assert audiences.size({"units": ["DSI", "VEN"]}) == len(dsi_reachable) + 4 + 1


def test_it_leaves_out_people_who_left_and_people_without_an_email(crowd):
    members = audiences.members({"units": ["DSI"]})
    assert crowd["dsi"][2].pk not in members  # inactive
    assert crowd["dsi"][3].pk not in members  # no email
    assert crowd["dsi"][0].pk in members


def test_it_combines_keys_with_and_and_a_list_s_values_with_or(crowd, org):
    personas = crowd["personas"]
    # Ventes AND Paris: the two VEN people moved to Paris.
    assert audiences.members({"units": ["VEN"], "sites": ["PAR"]}) == ids(crowd["ven"][:2])
    # Paris OR Lyon, AND the sales job family: VEN people and the employee persona.
    assert audiences.members({"sites": ["PAR", "LYS"], "job_families": ["COM"]}) == ids(
        crowd["ven"], [personas["employee"]])
    assert audiences.members({"units": ["DSI"], "job_families": ["COM"]}) == []


def test_an_empty_criteria_is_nobody_not_everyone(crowd):
    assert audiences.members({}) == []
    assert audiences.members({"units": [], "sites": []}) == []
    assert audiences.members({"exclude": {"units": ["VEN"]}}) == []
    assert audiences.check({"units": [], "sites": ["PAR"]}) == {"sites": ["PAR"]}


def test_it_excludes_the_members_of_nested_criteria(crowd):
    personas = crowd["personas"]
    criteria = {"units": ["DG"], "exclude": {"units": ["DSI"]}}
    assert audiences.members(criteria) == ids(crowd["dg"], [personas["executive"]])
    nested = {"sites": ["PAR"], "exclude": {"units": ["DG"],
                                            "exclude": {"job_families": ["IT"]}}}
    # Paris, except (DG and its sub-units, except IT people): IT people of DG stay.
    assert audiences.members(nested) == audiences.members({"sites": ["PAR"]})
    assert audiences.members({"sites": ["LYS"], "exclude": {"sites": ["LYS"]}}) == []


def test_it_takes_a_manager_s_direct_reports_or_whole_line(crowd):
    boss, middle = crowd["dg"][0], crowd["dg"][1]
    direct = crowd["dsi"][:2]
    below = crowd["ven"][:2]
    Person.objects.filter(pk__in=[middle.pk, *[p.pk for p in direct]]).update(manager=boss)
    Person.objects.filter(pk__in=[p.pk for p in below]).update(manager=middle)
    # A loop in the directory (a report named as the boss's manager) ends the walk.
    Person.objects.filter(pk=boss.pk).update(manager=below[0])
    eid = boss.employee_id
    assert audiences.members({"managers": [eid], "reports": "direct"}) == ids([middle], direct)
    assert audiences.members({"managers": [eid]}) == ids([middle], direct, below)
    assert audiences.check({"managers": [eid]})["reports"] == "all"


# -- the catalogue --------------------------------------------------------------------------

def test_it_takes_everyone_a_service_is_for_as_the_portal_decides(crowd, org):
    for_dg_in_paris = usage_service("vpn", name="VPN", audience_everyone=False,
                                    audience_units=["DG"], audience_sites=["PAR"])
    for_sales = usage_service("crm", name="CRM", audience_everyone=False,
                              audience_job_families=["COM"])
    for_all = usage_service("mail", name="Mail")
    unrestricted = usage_service("wiki", name="Wiki")  # not for everyone, but lists nothing
    unrestricted.audience_everyone = False
    unrestricted.save()

    reachable = list(Person.objects.filter(active=True).exclude(email=""))
    for service in (for_dg_in_paris, for_sales, for_all, unrestricted):
        expected = sorted(p.pk for p in reachable
                          if Service.objects.filter(audience_filter(p), pk=service.pk).exists())
        assert audiences.members({"services": [service.slug]}) == expected, service.slug
    both = audiences.members({"services": ["vpn", "crm"]})
    assert both == sorted(set(audiences.members({"services": ["vpn"]}))
                          | set(audiences.members({"services": ["crm"]})))
    assert crowd["dsi"][0].pk in both  # DSI is below DG
    everybody = sorted(p.pk for p in reachable)
    assert audiences.members({"services": ["mail", "crm"]}) == everybody
    assert audiences.members({"services": ["crm", "wiki"]}) == everybody


# -- usage ------------------------------------------------------------------------------------

def test_it_takes_licensed_people_who_did_not_use_a_service_or_its_active_users(crowd):
    usage_service("crm", name="CRM")
    holders = crowd["dsi"][:2] + crowd["ven"]
    lines = ["service,person"] + [f"crm,{p.email}" for p in holders]
    usage_services.import_usage("\n".join(lines).encode(), source="licences", today=TODAY)
    report = import_events(use(crowd["ven"][:2], "crm", TODAY - dt.timedelta(days=3))
                           + use(crowd["dsi"][:1], "crm", TODAY - dt.timedelta(days=40))
                           + use(crowd["dg"][:1], "crm", TODAY - dt.timedelta(days=10)),
                           today=TODAY)
    assert report.unmatched == 0
    inactive = {"usage": {"service": "crm", "state": "licensed_inactive", "days": 30}}
    assert audiences.members(inactive, now=NOW) == ids(crowd["dsi"][:2], crowd["ven"][2:])
    active = {"usage": {"service": "crm", "state": "active", "days": 30}}
    assert audiences.members(active, now=NOW) == ids(crowd["ven"][:2], crowd["dg"][:1])
    longer = {"usage": {"service": "crm", "state": "active", "days": 60}}
    assert audiences.members(longer, now=NOW) == ids(crowd["ven"][:2], crowd["dg"][:1],
                                                     crowd["dsi"][:1])
    # With the directory: active users of the CRM in Ventes.
    assert audiences.members({**active, "units": ["VEN"]}, now=NOW) == ids(crowd["ven"][:2])
    assert audiences.check({"usage": {"service": "crm", "state": "active"}})["usage"] == {
        "service": "crm", "state": "active", "days": 30}


# -- needs ------------------------------------------------------------------------------------

@pytest.fixture
def teams(db):
    from phare.needs.models import DeliveryTeam

    return {"data": DeliveryTeam.objects.create(code="data", name="Data")}


def test_it_takes_the_submitters_voters_or_followers_of_needs(crowd):
    personas = crowd["personas"]
    first = make_need(personas["employee"], "Signature électronique")
    second = make_need(personas["owner"], "Tableau de bord")
    needs_services.vote_cast(person=crowd["ven"][0], need=first)
    needs_services.vote_cast(person=crowd["dg"][0], need=second)
    needs_services.follow_set(person=crowd["dsi"][0], need=first, follow=True)
    assert audiences.members({"needs": {"needs": [first.pk]}}) == ids(
        [personas["employee"], crowd["ven"][0]])
    assert audiences.members({"needs": {"needs": [first.pk, str(second.pk)],
                                        "who": ["voters"]}}) == ids(crowd["ven"][:1],
                                                                     crowd["dg"][:1])
    # Submitters follow their needs: followers are the submitter and the follower.
    assert audiences.members({"needs": {"needs": [first.pk], "who": ["followers"]}}) == ids(
        [personas["employee"], crowd["dsi"][0]])


def test_it_takes_the_people_behind_every_need_of_a_published_decision(crowd, personas,
                                                                       teams):
    lead = personas["marketing"]
    people = crowd["personas"]
    needs = [score(make_need(people["employee"], f"Besoin {i}"), one_off=10 + i,
                   efforts={"data": 2}) for i in range(3)]
    outside = make_need(people["owner"], "Hors campagne")
    needs_services.vote_cast(person=crowd["dg"][0], need=needs[2])
    needs_services.vote_cast(person=crowd["ven"][3], need=outside)
    campaign = make_campaign(lead, needs, budget=25, capacities={"data": 10})
    arbitration = needs_services.arbitration_run(user=lead, campaign=campaign, explain=False)
    needs_services.arbitration_explain(arbitration)
    needs_services.decision_record(user=lead, campaign=campaign, arbitration=arbitration,
                                   reason="Les besoins les moins chers d'abord")
    criteria = {"needs": {"decision": campaign.pk}}
    with translation.override("en"):
        assert _errors(criteria) == [("needs.decision",
                                      "The decision of this campaign is not published.")]
    needs_services.decision_publish(user=lead, campaign=campaign)
    assert audiences.members(criteria) == ids([people["employee"], crowd["dg"][0]])
    assert audiences.members({"needs": {"decision": campaign.pk, "needs": [outside.pk],
                                        "who": ["voters"]}}) == ids(crowd["dg"][:1],
                                                                     crowd["ven"][3:])


# -- survey waves --------------------------------------------------------------------------

def test_it_takes_a_wave_s_non_respondents_of_an_anonymous_survey_never_by_answers(crowd,
                                                                                   personas):
    survey = make_barometer(created_by=personas["marketing"])
    assert survey.is_anonymous
    wave = plan(survey, units=["VEN"])
    listening.wave_launch(wave, now=NOW)
    invitations = list(Invitation.objects.filter(wave=wave).order_by("person_id"))
    invited = sorted(i.person_id for i in invitations)
    assert invited == ids(crowd["ven"], [crowd["personas"]["employee"]])
    for invitation in invitations[:2]:
        listening.response_submit(survey=survey, answers=full_answers(), channel="invitation",
                                  invitation=invitation)
    assert audiences.members({"wave": {"wave": wave.pk, "state": "invited"}}) == invited
    assert audiences.members({"wave": {"wave": wave.pk, "state": "non_respondents"}}) == \
        sorted(i.person_id for i in invitations[2:])
    # There is no criterion on answers.
    assert _fields({"wave": {"wave": wave.pk, "state": "non_respondents",
                             "answers": {"nps": 9}}}) == ["wave.answers"]


# -- checks -----------------------------------------------------------------------------------

def test_it_refuses_bad_shapes_naming_each_field(crowd):
    with translation.override("en"):
        errors = dict(_errors({
            "units": ["DSI", 3], "sites": "PAR", "sub_units": "yes", "colour": "blue",
            "reports": "some", "usage": {"service": "crm", "state": "idle", "days": 0},
            "needs": {"who": []}, "wave": {"wave": "x"},
            "exclude": {"job_families": [""], "exclude": {"exclude": {"units": ["DG"]}}},
        }))
    assert errors == {
        "colour": "Unknown criterion.",
        "units[1]": "Expected a code (text).",
        "sites": "Expected a list.",
        "sub_units": "Expected true or false.",
        "reports": "Expected one of: direct, all.",
        "usage.state": "Expected one of: licensed_inactive, active.",
        "usage.days": "Expected a number of days from 1 to 395.",
        "needs": "Choose needs, or the campaign of a decision.",
        "needs.who": "Expected a list of: submitters, voters, followers.",
        "wave.wave": "Expected an identifier (a positive whole number).",
        "wave.state": "Required.",
        "exclude.job_families[0]": "Expected a code (text).",
        "exclude.exclude.exclude": "Exclusions are nested too deeply.",
    }
    assert _fields(["DSI"]) == ["criteria"]
    assert _fields({"usage": "crm", "needs": [1]}) == ["usage", "needs"]


def test_it_refuses_codes_and_ids_that_name_nothing(crowd):
    with translation.override("en"):
        errors = _errors({"units": ["DSI", "NOPE"], "sites": ["MARS"],
                          "job_families": ["IT", "X"], "managers": ["E0001", "E404"],
                          "services": ["ghost"],
                          "usage": {"service": "ghost", "state": "active"},
                          "needs": {"needs": [999999], "decision": 999999},
                          "wave": {"wave": 999999, "state": "invited"},
                          "exclude": {"units": ["GONE"]}})
    assert errors == [
        ("units[1]", "No business unit has the code “NOPE”."),
        ("sites[0]", "No site has the code “MARS”."),
        ("job_families[1]", "No job family has the code “X”."),
        ("managers[1]", "No one has the employee id “E404”."),
        ("services[0]", "No service has the identifier “ghost”."),
        ("usage.service", "No service has the identifier “ghost”."),
        ("needs.needs[0]", "No need has the number 999999."),
        ("needs.decision", "No arbitration campaign has the number 999999."),
        ("wave.wave", "No survey wave has the number 999999."),
        ("exclude.units[0]", "No business unit has the code “GONE”."),
    ]
    # A saved audience whose unit disappeared is refused when it is evaluated.
    unit = BusinessUnit.objects.create(code="TMP", name="Temporaire")
    criteria = audiences.check({"units": ["TMP"]})
    unit.delete()
    with pytest.raises(AudienceInvalid):
        audiences.members(criteria)


def test_it_normalises_the_criteria(crowd):
    normalised = audiences.check({
        "exclude": {"sites": ["LYS"], "sub_units": False}, "units": [" DSI", "DSI", "DG"],
        "needs": None, "managers": ["E0004"], "reports": "direct",
        "job_families": [], "sub_units": False,
    })
    assert normalised == {"units": ["DSI", "DG"], "sub_units": False, "managers": ["E0004"],
                          "reports": "direct", "exclude": {"sites": ["LYS"]}}
    assert audiences.check(normalised) == normalised
    assert audiences.check({"sites": ["PAR"], "exclude": {"units": []}}) == {"sites": ["PAR"]}


# -- in words ---------------------------------------------------------------------------------

def test_it_says_each_criterion_in_the_reader_s_language_with_names(crowd, personas):
    service = usage_service("crm", name="Gestion clients", name_en="Customer relations")
    survey = make_barometer(created_by=personas["marketing"])
    wave = plan(survey, units=["VEN"])
    need = make_need(crowd["personas"]["employee"], "Signature électronique")
    criteria = {"units": ["DG", "VEN"], "sites": ["PAR"], "job_families": ["IT"],
                "managers": ["E0004"], "services": [service.slug],
                "usage": {"service": "crm", "state": "licensed_inactive", "days": 30},
                "needs": {"needs": [need.pk], "who": ["submitters", "voters"]},
                "wave": {"wave": wave.pk, "state": "non_respondents"},
                "exclude": {"sites": ["LYS"]}}
    with translation.override("en"):
        assert audiences.describe(criteria) == [
            "People of Direction générale or Ventes, with their sub-units",
            "People working at Paris La Défense",
            "People of the job family Informatique",
            "People reporting to Claire Dupont, their whole line",
            "Everyone a service is for: Customer relations",
            "People with a licence of Customer relations who have not used it in the last "
            "30 days",
            "The submitters or voters of the needs “Signature électronique”",
            "People invited to “Printemps” of IT satisfaction barometer who have not answered",
            "Except: People working at Lyon Gerland",
        ]
        assert audiences.describe({}) == ["Nobody: no criterion is chosen"]
    with translation.override("fr"):
        assert "Gestion clients" in audiences.describe({"services": ["crm"]})[0]


def test_it_describes_a_saved_audience_whose_codes_are_gone(crowd):
    with translation.override("en"):
        assert audiences.describe({"units": ["GONE"], "sub_units": False}) == [
            "People of GONE, not their sub-units"]
    with pytest.raises(AudienceInvalid):
        audiences.describe({"units": "GONE"})


# -- actions ----------------------------------------------------------------------------------

def test_an_action_goes_to_everyone_to_its_audience_or_to_nobody(crowd, personas):
    plan_ = make_plan(personas["marketing"])
    everyone = make_action(plan_, everyone=True)
    reachable = sorted(Person.objects.filter(active=True).exclude(email="")
                       .values_list("pk", flat=True))
    assert audiences.action_members(everyone) == reachable
    targeted = make_action(plan_, audience=make_audience({"units": ["VEN"]}))
    assert audiences.action_members(targeted) == ids(crowd["ven"],
                                                      [crowd["personas"]["employee"]])
    assert audiences.action_members(make_action(plan_)) == []


# -- cost -------------------------------------------------------------------------------------

@pytest.mark.slow
def test_it_evaluates_a_unit_over_100_000_people_in_one_query_per_kind(org):
    units = [BusinessUnit.objects.create(code=f"U{i}", name=f"Unit {i}", parent=org["dg"])
             for i in range(10)]
    Person.objects.bulk_create(
        [Person(employee_id=f"B{i:06d}", first_name="B", last_name=str(i),
                email=f"b{i}@example.com", business_unit=units[i % 10], site=org["paris"])
         for i in range(100_000)], batch_size=5000)
    started = time.perf_counter()
    one_unit = audiences.members({"units": ["U1"]})
    print(f"\none unit of {len(one_unit)} among 100,000 people: "
          f"{(time.perf_counter() - started) * 1000:.0f} ms")
    assert len(one_unit) == 10_000
    criteria = {"units": ["DG"], "sites": ["PAR"], "exclude": {"units": ["U3"]}}
    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        members = audiences.members(criteria)
        elapsed = time.perf_counter() - started
    print(f"audience of {len(members)} among 100,000 people: {elapsed * 1000:.0f} ms, "
          f"{len(queries)} queries")
    assert len(members) == 90_000
    # The unit tree, the sites, the people, the people excluded.
    assert len(queries) == 4
