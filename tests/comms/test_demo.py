"""The demo's communication plan: a year's plan, about thirty actions on every channel in every
status, three email campaigns already sent (one measured against its control group), the
playbooks' proposals, objectives with live figures, quiet periods and opt-outs."""

from __future__ import annotations

import pytest
from django.core import mail
from django.utils import timezone

from phare.comms import objectives, results
from phare.comms.models import Action, Click, Delivery, Objective, Plan, Webhook
from phare.contact.models import OptOut, QuietPeriod, Solicitation
from phare.core.demo import DemoContext

pytestmark = pytest.mark.slow
S = Action.Status


@pytest.fixture(scope="module")
def _demo_usage_store(tmp_path_factory) -> str:
    return str(tmp_path_factory.mktemp("comms-demo-usage"))


@pytest.fixture(autouse=True)
def _own_usage_store(settings, _demo_usage_store) -> None:
    # The demo's usage events are files: every test of the module reads those of the build.
    settings.PHARE_USAGE_DIR = _demo_usage_store


@pytest.fixture
def demo(demo_through) -> DemoContext:
    # Enough people for a 10 % control group whose figures may be shown.
    return demo_through("comms", seed=7, employees=600)


def test_it_plans_the_current_year_with_thirty_actions_on_every_channel(demo):
    [plan] = Plan.objects.all()
    assert plan == demo.shared["comms"]["plan"]
    assert (plan.starts_on.month, plan.starts_on.day) == (1, 1)
    assert (plan.ends_on.month, plan.ends_on.day) == (12, 31)
    actions = Action.objects.filter(plan=plan)
    assert 25 <= actions.count() <= 35
    assert set(actions.values_list("channel", flat=True)) == set(Action.Channel.values)
    assert set(actions.values_list("status", flat=True)) >= {
        S.IDEA, S.PLANNED, S.READY, S.APPROVED, S.DONE, S.MEASURED, S.CANCELLED}
    months = {day.month for day in actions.values_list("starts_on", flat=True)}
    assert len(months) >= 5
    webhook = Webhook.objects.get(name="Teams — Actualités DSI")
    assert webhook.url.startswith("http://127.0.0.1")
    # The Teams posts are all still to come: the webhook was never called.
    assert not actions.filter(channel=Action.Channel.WEBHOOK, sent_at__isnull=False).exists()
    assert mail.outbox == []  # the demo's emails stayed in its own in-memory outbox


def test_three_campaigns_went_out_in_the_past_with_their_reach(demo):
    campaigns = Action.objects.filter(kind=Action.Kind.CAMPAIGN, channel=Action.Channel.EMAIL,
                                      sent_at__isnull=False, origin="")
    assert campaigns.count() == 3
    for action in campaigns:
        assert action.status in (S.DONE, S.MEASURED)
        assert action.sent_at.date() < timezone.localdate()
        reach = results.reach(action)
        assert reach["statuses"]["sent"]
        assert reach["clicks"]["individual"]
        # Every email went through the contact-pressure ledger, dated the day it went out.
        ledger = Solicitation.objects.filter(reference=str(action.pk))
        assert ledger.count() == action.deliveries.filter(status=Delivery.Status.SENT).count()
        assert {at.date() for at in ledger.values_list("at", flat=True)} == {
            action.sent_at.date()}
    rates = []
    for action in campaigns:
        clicked = Click.objects.filter(link__action=action).values("delivery").distinct()
        rates.append(clicked.count() / action.deliveries.filter(
            status=Delivery.Status.SENT).count())
    assert all(0 < rate < 0.5 for rate in rates)
    assert len({round(rate, 3) for rate in rates}) == 3  # not uniform
    skipped = Delivery.objects.filter(action__in=campaigns, group=Delivery.Group.SKIPPED)
    assert {"contact_cap", "opted_out"} <= set(skipped.values_list("reason", flat=True))


def test_the_control_group_campaign_shows_a_measured_lift_with_its_interval(demo):
    action = Action.objects.get(holdout_percent=10)
    assert action.deliveries.filter(group=Delivery.Group.CONTROL).exists()
    outcome = results.outcome(action)
    assert outcome is not None and outcome.status == "measured", outcome
    assert outcome.mode == "holdout"
    assert outcome.low is not None and outcome.high is not None
    assert outcome.low < outcome.estimate < outcome.high
    assert outcome.estimate > 0  # readers joined meetings more than the control group
    assert action.status == S.MEASURED


def test_the_playbooks_proposals_are_in_the_plan(demo):
    origins = set(Action.objects.exclude(origin="").values_list("origin", flat=True))
    kinds = {origin.split(":")[0] for origin in origins}
    assert kinds == {"launch", "retirement", "you_said"}
    launch = Action.objects.get(origin__startswith="launch:", origin__endswith=":email")
    assert launch.status == S.DONE and launch.services.get().slug == "visioconference"
    notice = Action.objects.get(origin__startswith="retirement:", origin__endswith=":email")
    assert notice.mandatory and notice.status == S.DONE
    reminder = Action.objects.get(origin__startswith="retirement:",
                                  origin__endswith=":reminder")
    assert reminder.status == S.APPROVED and reminder.send_at is not None
    said = Action.objects.get(origin__startswith="you_said:")
    assert said.status == S.READY and "**Pas cette fois" in said.body_fr


def test_objectives_have_live_figures_that_move(demo):
    plan = Plan.objects.get()
    assert 4 <= plan.objectives.count() <= 6
    metrics = set(plan.objectives.values_list("metric", flat=True))
    assert {Objective.Metric.NPS, Objective.Metric.ADOPTION,
            Objective.Metric.NEEDS_ANSWERED} <= metrics
    for metric in (Objective.Metric.ADOPTION, Objective.Metric.NPS):
        live = objectives.live(plan.objectives.get(metric=metric))
        assert live.value is not None and live.previous is not None
        assert live.change
    adoption = plan.objectives.get(metric=Objective.Metric.ADOPTION)
    assert adoption.baseline is not None and adoption.target > adoption.baseline


def test_finance_has_quiet_weeks_and_some_people_opted_out(demo):
    assert QuietPeriod.objects.filter(units__code="FIN").count() >= 4
    assert 3 <= OptOut.objects.count() <= 12

