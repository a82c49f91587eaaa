"""Writes to the communication plan: plans, objectives, audiences, webhooks, actions, the
workflow and its approvals, comments and attachments."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from phare.comms import queries
from phare.comms.models import Action, ActionChange, Attachment, Audience, Objective, Plan, Webhook
from phare.comms.services import plans as services
from tests.comms.factories import make_action, make_audience, make_objective, make_plan

S = Action.Status
pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(personas):
    return make_plan(personas["marketing"])


def _codes(exc: ValidationError) -> dict[str, set[str]]:
    return {field: {e.code for e in items} for field, items in exc.error_dict.items()}


# Plans --------------------------------------------------------------------------------------


def test_it_creates_a_plan_with_its_contributors(personas):
    plan = services.plan_save(user=personas["marketing"], name=" Plan 2027 ",
                              starts_on=dt.date(2027, 1, 1), ends_on=dt.date(2027, 12, 31),
                              contributors=[personas["employee"]])
    assert plan.name == "Plan 2027" and plan.created_by == personas["marketing"]
    assert list(plan.contributors.all()) == [personas["employee"]]


def test_it_refuses_a_plan_that_ends_before_it_starts_and_writes_nothing(personas):
    with pytest.raises(ValidationError) as caught:
        services.plan_save(user=personas["marketing"], name="", starts_on=dt.date(2027, 6, 1),
                           ends_on=dt.date(2027, 1, 1))
    assert set(caught.value.message_dict) == {"name", "ends_on"}
    assert not Plan.objects.exists()


def test_it_lets_only_managers_change_plans(personas, plan):
    plan.contributors.set([personas["employee"]])
    for who in ("executive", "employee", "owner"):
        with pytest.raises(PermissionDenied):
            services.plan_save(user=personas[who], plan=plan, name="Mine",
                               starts_on=plan.starts_on, ends_on=plan.ends_on)
    plan.refresh_from_db()
    assert plan.name == "Plan 2027"


def test_it_deletes_a_plan_unless_one_of_its_actions_was_sent(personas, plan):
    make_action(plan, status=S.DONE, sent_at=timezone.now())
    with pytest.raises(ValidationError) as caught:
        services.plan_delete(user=personas["marketing"], plan=plan)
    assert _codes(caught.value) == {"plan": {"sent"}}
    other = make_plan(name="Draft")
    make_action(other)
    services.plan_delete(user=personas["marketing"], plan=other)
    assert list(Plan.objects.all()) == [plan]


# Objectives ---------------------------------------------------------------------------------


def test_it_saves_an_objective_with_its_parameters_checked(personas, plan):
    objective = services.objective_save(user=personas["marketing"], plan=plan,
                                        title="Mieux connu", target=None)
    assert objective.metric == Objective.Metric.NONE and objective.position == 0
    with pytest.raises(ValidationError) as caught:
        services.objective_save(user=personas["marketing"], plan=plan, title="Adoption",
                                metric=Objective.Metric.ADOPTION, params={})
    assert "service" in caught.value.message_dict
    assert plan.objectives.count() == 1
    services.objective_delete(user=personas["marketing"], objective=objective)
    assert not plan.objectives.exists()


# Audiences and webhooks ---------------------------------------------------------------------


def test_it_saves_an_audience_with_its_criteria_normalised(personas):
    audience = services.audience_save(user=personas["marketing"], name="Ventes",
                                      criteria={"units": ["VEN", "VEN"]})
    assert audience.criteria == {"units": ["VEN"], "sub_units": True}
    assert audience.created_by == personas["marketing"]


def test_it_names_each_wrong_criterion_and_writes_nothing(personas):
    with pytest.raises(ValidationError) as caught:
        services.audience_save(user=personas["marketing"], name="Nobody",
                               criteria={"units": "VEN", "colour": "red"})
    assert set(caught.value.message_dict) == {"criteria.units", "criteria.colour"}
    with pytest.raises(ValidationError) as caught:
        services.audience_save(user=personas["marketing"], name="Nobody",
                               criteria={"units": ["VEN", "NOPE"]})
    assert set(caught.value.message_dict) == {"criteria.units[1]"}
    assert not Audience.objects.exists()


def test_it_keeps_an_audience_an_action_uses(personas, plan):
    audience = make_audience()
    make_action(plan, audience=audience)
    with pytest.raises(ValidationError) as caught:
        services.audience_delete(user=personas["marketing"], audience=audience)
    assert _codes(caught.value) == {"audience": {"in_use"}}
    with pytest.raises(PermissionDenied):
        services.audience_delete(user=personas["employee"], audience=make_audience(name="B"))


def test_it_saves_and_deletes_webhooks(personas, plan):
    with pytest.raises(ValidationError) as caught:
        services.webhook_save(user=personas["marketing"], name="Teams", kind="teams",
                              url="not an address")
    assert set(caught.value.message_dict) == {"url"}
    hook = services.webhook_save(user=personas["marketing"], name="Teams", kind="teams",
                                 url="https://example.webhook.office.com/x")
    make_action(plan, channel=Action.Channel.WEBHOOK, webhook=hook)
    with pytest.raises(ValidationError):
        services.webhook_delete(user=personas["marketing"], webhook=hook)
    spare = services.webhook_save(user=personas["admin"], name="Slack", kind="slack",
                                  url="http://127.0.0.1:9/hook")
    services.webhook_delete(user=personas["admin"], webhook=spare)
    assert list(Webhook.objects.all()) == [hook]


# Actions ------------------------------------------------------------------------------------


def test_it_creates_an_idea_without_its_content_and_records_it(personas, plan):
    action = services.action_save(user=personas["marketing"], plan=plan, title="Teams",
                                  starts_on=dt.date(2027, 3, 1),
                                  contributors=[personas["employee"]])
    assert action.status == S.IDEA and action.owner == personas["marketing"]
    assert list(action.contributors.all()) == [personas["employee"]]
    change = action.history.get()
    assert (change.to_status, change.by) == (S.IDEA, personas["marketing"])


def test_it_names_every_wrong_field_and_writes_nothing(personas, plan):
    other = make_objective(make_plan(name="Other"))
    hook = Webhook.objects.create(name="T", kind="teams", url="https://example.com/h")
    with pytest.raises(ValidationError) as caught:
        services.action_save(
            user=personas["marketing"], plan=plan, title="Bad", starts_on=dt.date(2027, 3, 1),
            ends_on=dt.date(2027, 2, 1), everyone=True, audience=make_audience(),
            languages=["fr", "de"], send_at=timezone.now() - dt.timedelta(hours=1),
            webhook=hook, mandatory=True, objective=other, holdout_percent=80,
            channel="fax")
    assert set(caught.value.message_dict) == {
        "ends_on", "audience", "languages", "send_at", "webhook", "mandatory", "objective",
        "holdout_percent", "channel"}
    assert not Action.objects.exists()


def test_it_checks_the_channel_needs_from_ready_on(personas, plan):
    action = make_action(plan, channel=Action.Channel.EVENT, subject_en="", status=S.READY)
    with pytest.raises(ValidationError) as caught:
        services.action_save(user=personas["marketing"], action=action, title="Atelier")
    assert set(caught.value.message_dict) == {"subject_en", "audience", "starts_at", "ends_at"}
    action.refresh_from_db()
    assert action.title == "Lancement de Teams"


def test_it_sends_an_approved_action_back_to_ready_when_its_content_changes(personas, plan):
    action = make_action(plan, audience=make_audience(), status=S.APPROVED,
                         approved_by=personas["marketing"], approved_at=timezone.now())
    services.action_save(user=personas["marketing"], action=action, title="Renamed")
    action.refresh_from_db()
    assert action.status == S.APPROVED  # the title is not what is sent
    services.action_save(user=personas["marketing"], action=action, body_fr="Nouveau texte")
    action.refresh_from_db()
    assert (action.status, action.approved_by, action.approved_at) == (S.READY, None, None)
    change = action.history.get()
    assert (change.from_status, change.to_status, change.by) == (
        S.APPROVED, S.READY, personas["marketing"])


def test_it_keeps_a_past_sending_time_that_does_not_change(personas, plan):
    action = make_action(plan, send_at=timezone.now() - dt.timedelta(days=2))
    services.action_save(user=personas["marketing"], action=action, title="Renamed")
    with pytest.raises(ValidationError) as caught:
        services.action_save(user=personas["marketing"], action=action,
                             send_at=timezone.now() - dt.timedelta(days=1))
    assert _codes(caught.value) == {"send_at": {"past"}}


def test_it_fixes_the_content_of_a_sent_action(personas, plan):
    action = make_action(plan, audience=make_audience(), status=S.DONE)
    with pytest.raises(ValidationError) as caught:
        services.action_save(user=personas["marketing"], action=action, subject_fr="Autre",
                             title="Renamed")
    assert _codes(caught.value) == {"subject_fr": {"sent"}}
    services.action_save(user=personas["marketing"], action=action, title="Renamed",
                         budget=500)
    action.refresh_from_db()
    assert (action.title, action.subject_fr) == ("Renamed", "Bonjour {first_name}")


def test_it_lets_contributors_change_only_their_actions(personas, plan):
    mine = make_action(plan, contributors=[personas["employee"]])
    other = make_action(plan, "Other")
    services.action_save(user=personas["employee"], action=mine, title="Mine")
    with pytest.raises(PermissionDenied):
        services.action_save(user=personas["employee"], action=other, title="Not mine")
    with pytest.raises(PermissionDenied):
        services.action_save(user=personas["employee"], plan=plan, title="New",
                             starts_on=plan.starts_on)


# Workflow -----------------------------------------------------------------------------------


def test_it_moves_an_action_through_its_workflow(personas, plan):
    action = make_action(plan, audience=make_audience(), owner=personas["owner"])
    owner, marketing = personas["owner"], personas["marketing"]
    services.action_transition(action=action, user=owner, to=S.PLANNED)
    services.action_transition(action=action, user=owner, to=S.READY, comment="Relu")
    with pytest.raises(PermissionDenied):
        services.action_transition(action=action, user=owner, to=S.APPROVED)
    services.action_transition(action=action, user=marketing, to=S.APPROVED)
    action.refresh_from_db()
    assert action.status == S.APPROVED and action.approved_by == marketing
    assert action.approved_at is not None
    services.action_transition(action=action, user=owner, to=S.READY)
    action.refresh_from_db()
    assert (action.status, action.approved_by) == (S.READY, None)
    steps = [(c.from_status, c.to_status, c.by, c.comment) for c in action.history.all()]
    assert steps == [("idea", "planned", owner, ""), ("planned", "ready", owner, "Relu"),
                     ("ready", "approved", marketing, ""), ("approved", "ready", owner, "")]


def test_it_records_an_executives_approval_of_a_company_wide_email(personas, plan):
    action = make_action(plan, everyone=True, status=S.READY)
    with pytest.raises(PermissionDenied):
        services.action_transition(action=action, user=personas["marketing"], to=S.APPROVED)
    action.refresh_from_db()
    assert action.status == S.READY and not action.history.exists()
    services.action_transition(action=action, user=personas["executive"], to=S.APPROVED,
                               comment="OK pour tous")
    action.refresh_from_db()
    assert (action.status, action.approved_by) == (S.APPROVED, personas["executive"])
    assert action.history.get().comment == "OK pour tous"


def test_it_refuses_a_move_the_workflow_does_not_have(personas, plan):
    action = make_action(plan, audience=make_audience())
    with pytest.raises(ValidationError) as caught:
        services.action_transition(action=action, user=personas["marketing"], to=S.APPROVED)
    assert _codes(caught.value) == {"to": {"transition"}}
    with pytest.raises(ValidationError) as caught:
        services.action_transition(action=action, user=personas["marketing"], to="nowhere")
    assert "to" in caught.value.message_dict
    action.status = S.APPROVED
    action.save()
    with pytest.raises(ValidationError) as caught:
        services.action_transition(action=action, user=personas["marketing"], to=S.DONE)
    assert _codes(caught.value) == {"to": {"transition"}}


def test_it_needs_the_content_complete_to_be_ready(personas, plan):
    action = make_action(plan, status=S.PLANNED, body_en="  ")
    with pytest.raises(ValidationError) as caught:
        services.action_transition(action=action, user=personas["marketing"], to=S.READY)
    assert set(caught.value.message_dict) == {"body_en", "audience"}
    action.refresh_from_db()
    assert action.status == S.PLANNED


def test_it_hides_the_workflow_from_people_not_on_the_plan(personas, plan):
    action = make_action(plan)
    with pytest.raises(PermissionDenied):
        services.action_transition(action=action, user=personas["employee"], to=S.PLANNED)
    with pytest.raises(PermissionDenied):
        services.action_comment(action=action, user=personas["employee"], text="Hello")


def test_it_records_comments_of_whoever_sees_the_plan(personas, plan):
    action = make_action(plan, contributors=[personas["employee"]])
    services.action_comment(action=action, user=personas["employee"], text=" Vu ")
    services.action_comment(action=action, user=personas["executive"], text="Bien")
    assert [(c.by, c.comment) for c in ActionChange.objects.all()] == [
        (personas["employee"], "Vu"), (personas["executive"], "Bien")]
    with pytest.raises(ValidationError) as caught:
        services.action_comment(action=action, user=personas["employee"], text="   ")
    assert "text" in caught.value.message_dict


# Attachments --------------------------------------------------------------------------------


def test_it_attaches_files_of_known_types_within_the_limit(personas, plan, settings,
                                                           django_capture_on_commit_callbacks):
    action = make_action(plan)
    attachment = services.attachment_add(action=action, user=personas["marketing"],
                                         file=SimpleUploadedFile("brief.pdf", b"%PDF-1.4 x"))
    assert (attachment.name, attachment.size) == ("brief.pdf", 10)
    stored = attachment.file.name
    assert attachment.file.storage.exists(stored)
    with pytest.raises(ValidationError) as caught:
        services.attachment_add(action=action, user=personas["marketing"],
                                file=SimpleUploadedFile("run.exe", b"MZ"))
    assert _codes(caught.value) == {"file": {"type"}}
    settings.PHARE_MAX_IMPORT_BYTES = 4
    with pytest.raises(ValidationError) as caught:
        services.attachment_add(action=action, user=personas["marketing"],
                                file=SimpleUploadedFile("big.png", b"12345"))
    assert _codes(caught.value) == {"file": {"size"}}
    assert Attachment.objects.count() == 1
    with django_capture_on_commit_callbacks(execute=True):
        services.attachment_delete(attachment=attachment, user=personas["marketing"])
    assert not Attachment.objects.exists()
    assert not attachment.file.storage.exists(stored)


# Pages' data --------------------------------------------------------------------------------


def test_it_gives_a_plans_board_and_an_actions_page(personas, plan):
    make_objective(plan)
    idea = make_action(plan, owner=personas["owner"])
    make_action(plan, "Ready", status=S.READY, audience=make_audience())
    services.action_comment(action=idea, user=personas["marketing"], text="À revoir")
    page = queries.plan_page(personas["executive"], plan)
    assert [o.live.status for o in page.objectives] == ["not_measured"]
    columns = {c.status: [a.title for a in c.actions] for c in page.board}
    assert columns["idea"] == ["Lancement de Teams"] and columns["ready"] == ["Ready"]
    assert page.can_edit is False
    detail = queries.action_page(personas["owner"], idea)
    assert [c.comment for c in detail.history] == ["À revoir"]
    assert detail.transitions == [S.PLANNED, S.CANCELLED] and detail.can_edit
    assert detail.reach is not None
    found = queries.action_list(personas["owner"], queries.ActionFilter(q="teams"))
    assert list(found) == [idea]
    assert list(queries.action_list(personas["employee"])) == []
