"""An action's reach and measured effect, released through the disclosure rules."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone, translation

from phare.analysis import lift
from phare.comms import results
from phare.comms.models import Action, Click, Delivery, Link, Objective, Open, Registration
from phare.directory.models import BusinessUnit
from phare.listening.models import Invitation
from tests.comms.factories import make_action, make_objective, make_people, make_plan
from tests.listening.factories import make_barometer
from tests.listening.factories import plan as make_wave
from tests.usage.factories import import_events, use
from tests.usage.factories import service as make_service

SENT = dt.date(2026, 5, 1)
TODAY = dt.date(2026, 6, 15)


def deliver(action, people, group=Delivery.Group.REACHED, status=Delivery.Status.SENT,
            reason=""):
    return [Delivery.objects.create(action=action, person=p, group=group, status=status,
                                    reason=reason) for p in people]


def sent_action(objective=None, **extra):
    plan = make_plan()
    at = timezone.make_aware(dt.datetime.combine(SENT, dt.time(9)))
    return make_action(plan, objective=objective, sent_at=at, status=Action.Status.DONE,
                       **extra)


# -- reach ------------------------------------------------------------------------------------

def test_it_counts_the_reach_by_group_status_and_reason(org):
    action = sent_action()
    people = make_people(org, 60)
    deliver(action, people[:30])
    deliver(action, people[30:36], status=Delivery.Status.FAILED)
    deliver(action, people[36:42], group=Delivery.Group.CONTROL, status=Delivery.Status.NONE)
    deliver(action, people[42:50], group=Delivery.Group.SKIPPED, status=Delivery.Status.NONE,
            reason="opted_out")
    deliver(action, people[50:60], group=Delivery.Group.SKIPPED, status=Delivery.Status.NONE,
            reason="contact_cap")
    reach = results.reach(action)
    assert reach["min_group"] == 5 and reach["audience"] == 60
    assert reach["groups"] == {"reached": 36, "control": 6, "skipped": 18}
    assert reach["statuses"] == {"sent": 30, "delivered": 30, "refused": 0, "failed": 6,
                                 "uncertain": 0, "pending": 0}
    assert reach["skipped"] == {"contact_cap": 10, "opted_out": 8}
    assert reach["opens"] is None and reach["registrations"] is None


def test_it_hides_a_small_count_and_the_count_that_would_give_it_away(org):
    action = sent_action()
    people = make_people(org, 50)
    deliver(action, people[:30])
    deliver(action, people[30:33], status=Delivery.Status.REFUSED)
    deliver(action, people[33:40], group=Delivery.Group.SKIPPED, status=Delivery.Status.NONE,
            reason="opted_out")
    deliver(action, people[40:42], group=Delivery.Group.SKIPPED, status=Delivery.Status.NONE,
            reason="quiet_period")
    deliver(action, people[42:50], group=Delivery.Group.SKIPPED, status=Delivery.Status.NONE,
            reason="contact_cap")
    reach = results.reach(action)
    assert reach["groups"] == {"reached": 33, "control": 0, "skipped": 17}
    # 3 refused are hidden; the 30 sent would give them (33 − 30): hidden too.
    assert reach["statuses"]["refused"] is None and reach["statuses"]["sent"] is None
    assert reach["statuses"]["delivered"] is None
    # 2 in a quiet period are hidden, and the smallest other reason with them.
    assert reach["skipped"] == {"contact_cap": 8, "opted_out": None, "quiet_period": None}
    assert 3 not in reach["statuses"].values() and 2 not in reach["skipped"].values()


def test_it_shows_nothing_of_an_audience_under_the_minimum(org):
    action = sent_action()
    deliver(action, make_people(org, 4))
    reach = results.reach(action)
    assert reach["audience"] is None
    assert set(reach["groups"].values()) == {None}
    assert set(reach["statuses"].values()) == {None}


def test_it_counts_people_who_clicked_once_each(org, settings):
    settings.PHARE_COMMS_INDIVIDUAL_TRACKING = True
    action = sent_action()
    deliveries = deliver(action, make_people(org, 30))
    portal = Link.objects.create(action=action, url="https://intranet.example.com/")
    guide = Link.objects.create(action=action, url="https://intranet.example.com/guide")
    for delivery in deliveries[:12]:
        Click.objects.create(link=portal, delivery=delivery)
    for delivery in deliveries[:3]:
        Click.objects.create(link=guide, delivery=delivery)
    clicks = results.reach(action)["clicks"]
    assert clicks["individual"] and clicks["people"] == 12
    assert clicks["links"] == [{"url": portal.url, "people": 12}, {"url": guide.url,
                                                                   "people": None}]


def test_it_gives_total_clicks_when_people_are_not_tracked(org, settings):
    settings.PHARE_COMMS_INDIVIDUAL_TRACKING = False
    action = sent_action()
    deliver(action, make_people(org, 30))
    Link.objects.create(action=action, url="https://intranet.example.com/", clicks=17)
    Link.objects.create(action=action, url="https://intranet.example.com/faq", clicks=2)
    clicks = results.reach(action)["clicks"]
    assert not clicks["individual"] and clicks["people"] is None
    assert clicks["total"] == 19
    assert [link["clicks"] for link in clicks["links"]] == [17, None]


def test_it_counts_opens_only_with_the_pixel_and_says_they_are_unreliable(org, settings):
    action = sent_action()
    deliveries = deliver(action, make_people(org, 30))
    for delivery in deliveries[:10]:
        Open.objects.create(delivery=delivery)
    settings.PHARE_COMMS_OPEN_PIXEL = False
    assert results.reach(action)["opens"] is None
    settings.PHARE_COMMS_OPEN_PIXEL = True
    assert results.reach(action)["opens"] == {"people": 10, "unreliable": True}


def test_it_counts_registrations_and_attendance_of_an_event(org):
    action = sent_action(kind=Action.Kind.EVENT, channel=Action.Channel.EVENT, capacity=40)
    people = make_people(org, 30)
    deliver(action, people)
    for i, person in enumerate(people[:20]):
        Registration.objects.create(action=action, person=person, attended=i < 17,
                                    cancelled_at=timezone.now() if i == 19 else None)
    assert results.reach(action)["registrations"] == {"registered": 19, "attended": None,
                                                      "capacity": 40}
    # 17 attended, 2 did not: the 2 would be singled out, so attendance is hidden.
    Registration.objects.filter(action=action, person=people[16]).update(attended=False)
    assert results.reach(action)["registrations"]["attended"] is None  # 16 and 3
    Registration.objects.filter(action=action, person__in=people[10:13]).update(attended=False)
    assert results.reach(action)["registrations"]["attended"] == 13


# -- outcome ----------------------------------------------------------------------------------

@pytest.fixture
def marketing(org):
    """A unit of 80 people (the objective's scope) and a service they may all use."""
    unit = BusinessUnit.objects.create(code="MKT", name="Marketing")
    people = make_people(org, 80, prefix="M", unit=unit)
    service = make_service("collab", name="Collab")
    return {"unit": unit, "people": people, "service": service}


def adoption_action(marketing, **extra):
    objective = make_objective(make_plan(), metric=Objective.Metric.ADOPTION,
                               params={"service": "collab", "units": ["MKT"]})
    return sent_action(objective, **extra)


def used(people, day):
    return use(people, "collab", day)


def test_it_measures_a_holdout_lift_after_the_sending(marketing):
    people = marketing["people"]
    action = adoption_action(marketing, holdout_percent=20)
    reached, control = people[:40], people[40:60]
    deliver(action, reached)
    deliver(action, control, group=Delivery.Group.CONTROL, status=Delivery.Status.NONE)
    import_events(used(reached[:24], dt.date(2026, 5, 10)) + used(control[:6],
                                                                   dt.date(2026, 5, 12))
                  + used(people[60:], dt.date(2026, 5, 3)), today=TODAY)
    result = results.outcome(action, today=TODAY)
    expected = lift.holdout([1] * 24 + [0] * 16, [1] * 6 + [0] * 14)
    assert (result.status, result.mode) == ("measured", "holdout")
    assert result.estimate == pytest.approx(30.0)
    assert (result.low, result.high) == (pytest.approx(100 * expected.low),
                                         pytest.approx(100 * expected.high))
    assert (result.reached_after, result.others_after) == (60.0, 30.0)
    assert result.reached_before is None
    assert (result.n_reached, result.n_others) == (40, 20)
    with translation.override("en"):
        sentence = results.outcome(action, today=TODAY).sentence
    assert sentence.startswith("The adoption of people reached is 30 points higher than that "
                               "of the control group [")


def test_it_measures_a_difference_in_differences_without_a_control_group(marketing):
    people = marketing["people"]
    action = adoption_action(marketing)
    reached, others = people[:40], people[40:]
    deliver(action, reached)
    before, after = dt.date(2026, 4, 15), dt.date(2026, 5, 20)
    import_events(used(reached[:10], before) + used(others[:10], before)
                  + used(reached[:30], after) + used(others[:15], after), today=TODAY)
    result = results.outcome(action, today=TODAY)
    expected = lift.did([1] * 10 + [0] * 30, [1] * 30 + [0] * 10,
                        [1] * 10 + [0] * 30, [1] * 15 + [0] * 25)
    assert (result.status, result.mode) == ("measured", "did")
    assert result.estimate == pytest.approx(37.5)
    assert (result.low, result.high) == (pytest.approx(100 * expected.low),
                                         pytest.approx(100 * expected.high))
    assert (result.reached_before, result.reached_after) == (25.0, 75.0)
    assert (result.others_before, result.others_after) == (25.0, 37.5)
    assert (result.starts_on, result.sent_on, result.ends_on) == (
        dt.date(2026, 4, 1), SENT, dt.date(2026, 5, 31))
    with translation.override("en"):
        sentence = results.outcome(action, today=TODAY).sentence
    low, high = round(100 * expected.low), round(100 * expected.high)
    assert sentence == (f"The adoption of people reached grew 38 points more than that of "
                        f"people not reached [{low}; {high}].")


def test_it_leaves_out_people_whose_email_may_not_have_gone(marketing):
    people = marketing["people"]
    action = adoption_action(marketing)
    deliver(action, people[:40])
    deliver(action, people[40:45], status=Delivery.Status.UNCERTAIN)
    import_events(used(people[:20], dt.date(2026, 5, 20)) + used(people[50:60],
                                                                 dt.date(2026, 5, 20)),
                  today=TODAY)
    result = results.outcome(action, today=TODAY)
    assert (result.n_reached, result.n_others) == (40, 35)


def test_it_suppresses_a_control_group_under_the_minimum(marketing):
    people = marketing["people"]
    action = adoption_action(marketing, holdout_percent=5)
    deliver(action, people[:40])
    deliver(action, people[40:43], group=Delivery.Group.CONTROL, status=Delivery.Status.NONE)
    import_events(used(people[:20], dt.date(2026, 5, 10)), today=TODAY)
    result = results.outcome(action, today=TODAY)
    assert (result.status, result.reason) == ("suppressed", "small_group")
    assert (result.estimate, result.low, result.high, result.n_others) == (None,) * 4
    with translation.override("en"):
        sentence = results.outcome(action, today=TODAY).sentence
    assert sentence == ("Not shown: fewer than 5 people in the control group count in this "
                        "figure.")


def test_it_suppresses_a_group_whose_few_active_people_would_be_singled_out(marketing):
    people = marketing["people"]
    action = adoption_action(marketing)
    deliver(action, people[:40])
    import_events(used(people[:3], dt.date(2026, 5, 10)) + used(people[40:60],
                                                                dt.date(2026, 5, 10)),
                  today=TODAY)
    result = results.outcome(action, today=TODAY)
    assert result.status == "suppressed" and result.estimate is None
    assert "3" not in result.sentence


def test_it_says_too_early_until_the_window_after_the_sending_ends(marketing):
    action = adoption_action(marketing)
    deliver(action, marketing["people"][:40])
    result = results.outcome(action, today=dt.date(2026, 5, 30))
    assert result.status == "too_early" and result.estimate is None
    with translation.override("en"):
        sentence = results.outcome(action, today=dt.date(2026, 5, 30)).sentence
    assert sentence == ("Too early: the effect is measured over the 30 days after the "
                        "sending, from 2026-05-31.")
    assert results.outcome(action, today=dt.date(2026, 5, 31)).status != "too_early"


def test_it_says_why_an_anonymous_figure_cannot_be_measured(org):
    objective = make_objective(make_plan(), metric=Objective.Metric.NPS,
                               params={"survey": "barometre"})
    action = sent_action(objective)
    with translation.override("en"):
        result = results.outcome(action, today=TODAY)
    assert result.status == "not_measurable"
    assert "anonymous" in result.sentence and "cannot be split" in result.sentence


def test_it_has_no_outcome_before_sending_or_without_objective(marketing):
    plan = make_plan()
    assert results.outcome(make_action(plan), today=TODAY) is None
    objective = make_objective(plan, metric=Objective.Metric.ADOPTION,
                               params={"service": "collab"})
    assert results.outcome(make_action(plan, objective=objective), today=TODAY) is None


def test_it_measures_a_waves_response_rate_against_a_control_group(org):
    people = make_people(org, 60, prefix="W")
    survey = make_barometer()
    wave = make_wave(survey)
    for i, person in enumerate(people):
        answered = (i < 40 and i % 2 == 0) or (40 <= i < 50)  # 20 of 40, 10 of 20
        Invitation.objects.create(survey=survey, version=wave.version, wave=wave, person=person,
                                  responded_on=SENT + dt.timedelta(days=3) if answered else None)
    objective = make_objective(make_plan(), metric=Objective.Metric.RESPONSE_RATE,
                               params={"wave": wave.pk})
    action = sent_action(objective, holdout_percent=30)
    deliver(action, people[:40])
    deliver(action, people[40:], group=Delivery.Group.CONTROL, status=Delivery.Status.NONE)
    result = results.outcome(action, today=TODAY)
    assert (result.status, result.mode) == ("measured", "holdout")
    assert (result.reached_after, result.others_after, result.estimate) == (50.0, 50.0, 0.0)
    with translation.override("en"):
        sentence = results.outcome(action, today=TODAY).sentence
    assert sentence.startswith("The response rate of people reached is the same as that of the "
                               "control group [")
    assert sentence.endswith("The interval includes no difference at all: it may be chance.")
