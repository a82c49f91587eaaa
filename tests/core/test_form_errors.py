"""Every form sent back with errors starts with one error summary rendered by the server
(includes/form_errors.html): a heading, then each problem linking to its field.

:data:`CASES` names every user-facing form that is posted (one row each: who, where, what
invalid data); :data:`NOT_INVALID` the ones that cannot be sent back with errors, each with
why. :func:`test_every_posted_form_is_in_the_table` fails on a form class that is in neither.
"""

from __future__ import annotations

import ast
import datetime as dt
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse

from phare.comms.services.plans import webhook_save
from phare.contact.services import quiet_period_save
from phare.tickets.services import ticket_survey_start
from phare.usage.models import ProductLink
from tests.catalog.factories import make_families, make_service
from tests.comms.factories import make_action, make_audience, make_objective, make_plan
from tests.listening.factories import make_barometer
from tests.needs.factories import make_campaign, make_need
from tests.positioning.factories import make_study

#: (persona, the page's URL name, its arguments from the test's objects, the data posted).
Case = tuple[str, str, Callable[[Any], list[Any]], dict[str, Any]]
NONE: Callable[[Any], list[Any]] = lambda _objects: []  # noqa: E731
EMPTY_CHILDREN = {"commitments-TOTAL_FORMS": "0", "commitments-INITIAL_FORMS": "0",
                  "faqs-TOTAL_FORMS": "0", "faqs-INITIAL_FORMS": "0",
                  "news-TOTAL_FORMS": "0", "news-INITIAL_FORMS": "0"}

CASES: dict[str, Case] = {
    # accounts
    "account": ("admin", "accounts:user_new", NONE,
                {"username": "x y", "role": "king", "person": "NOBODY"}),
    "account edit": ("admin", "accounts:user_edit", lambda o: [o.user.pk], {"role": "king"}),
    "account password": ("admin", "accounts:user_password", lambda o: [o.user.pk],
                         {"password": "a"}),
    "token": ("marketing", "accounts:tokens", NONE, {"name": ""}),
    "password": ("employee", "accounts:password_change", NONE, {"old_password": "nope"}),
    # catalogue
    "service": ("marketing", "catalog:manage_new", NONE, {"name_fr": "", **EMPTY_CHILDREN}),
    # Only a repeated row is wrong: the summary still says so, and links to its field.
    "service rows": ("marketing", "catalog:manage_edit", lambda o: [o.service.slug],
                     {**EMPTY_CHILDREN, "name_fr": "Messagerie", "promise_fr": "Écrire",
                      "family": "collaboration", "audience_everyone": "on",
                      "cost_unit": "none", "charging": "included",
                      "commitments-TOTAL_FORMS": "1", "commitments-0-text_fr": "Vite",
                      "commitments-0-target": ""}),
    "lifecycle": ("marketing", "catalog:manage_lifecycle", lambda o: [o.service.slug],
                  {"to": "retired", "note": "x" * 501}),
    # A form with no file at all (a key in the body, or Django sees no POST data).
    "catalogue import": ("marketing", "catalog:import", NONE, {"sent": "1"}),
    "directory import": ("admin", "directory:import", NONE, {"sent": "1"}),
    # communication
    "plan": ("marketing", "comms:plan_new", NONE, {"name": "", "starts_on": "soon"}),
    "plan edit": ("marketing", "comms:plan_edit", lambda o: [o.plan.pk], {"name": ""}),
    "objective": ("marketing", "comms:objective_new", lambda o: [o.plan.pk], {"title": ""}),
    "objective attribute": ("marketing", "comms:objective_new", lambda o: [o.plan.pk],
                            {"title": "Réactivité", "metric": "satisfaction",
                             "survey": "barometre", "question": "grid",
                             "option": "price"}),
    "objective edit": ("marketing", "comms:objective_edit", lambda o: [o.objective.pk],
                       {"title": "", "metric": "none"}),
    "action": ("marketing", "comms:action_new", lambda o: [o.plan.pk], {"title": ""}),
    "action edit": ("marketing", "comms:action_edit", lambda o: [o.action.pk], {"title": ""}),
    "action comment": ("marketing", "comms:action_comment", lambda o: [o.action.pk],
                       {"text": ""}),
    "attachment": ("marketing", "comms:attachment_add", lambda o: [o.action.pk],
                   {"sent": "1"}),
    "audience": ("marketing", "comms:audience_new", NONE, {"name": "", "units": ["NOPE"]}),
    "audience edit": ("marketing", "comms:audience_edit", lambda o: [o.audience.pk],
                      {"name": ""}),
    "channel": ("marketing", "comms:webhook_new", NONE, {"name": "", "url": "nowhere"}),
    "quiet period": ("marketing", "comms:quiet_period_new", NONE,
                     {"name": "", "starts_on": "soon"}),
    "quiet period edit": ("marketing", "comms:quiet_period_edit", lambda o: [o.quiet.pk],
                          {"name": "", "starts_on": "2027-01-02", "ends_on": "2027-01-01"}),
    "channel edit": ("marketing", "comms:webhook_edit", lambda o: [o.webhook.pk],
                     {"name": "", "kind": "teams"}),
    # listening
    "survey": ("marketing", "listening:survey_new", NONE,
               {"slug": "Not a slug!", "anonymity": "anonymous"}),
    "survey settings": ("marketing", "listening:survey_settings", lambda o: [o.survey.slug],
                        {"title_fr": ""}),
    "section": ("marketing", "listening:section_new", lambda o: [o.survey.slug],
                {"title_fr": "x" * 201}),
    "question": ("marketing", "listening:question_new", lambda o: [o.survey.slug],
                 {"code": "Not a code!", "type": "nope"}),
    "wave": ("marketing", "listening:wave_new", lambda o: [o.survey.slug],
             {"name": "", "reminder_days": ["soon"], "units": ["NOPE"]}),
    "survey import": ("marketing", "listening:import", NONE, {"sent": "1"}),
    # needs
    "need": ("employee", "needs:new", NONE, {"title": ""}),
    "need comment": ("employee", "needs:comment", lambda o: [o.need.pk], {"text": ""}),
    "need status": ("marketing", "needs:status", lambda o: [o.need.pk],
                    {"to": "answered", "reason": "x" * 4001}),
    "need merge": ("marketing", "needs:merge", lambda o: [o.need.pk], {"into": "nope"}),
    "criteria weights": ("marketing", "needs:criteria", NONE,
                         {"action": "weights", "w_reach": "lots"}),
    "criterion": ("marketing", "needs:criteria", NONE, {"action": "criterion", "new-code": ""}),
    "delivery team": ("marketing", "needs:criteria", NONE, {"action": "team", "team-code": ""}),
    "needs import": ("marketing", "needs:import", NONE, {"sent": "1"}),
    "campaign": ("marketing", "needs:campaign_new", NONE, {"name": ""}),
    "campaign edit": ("marketing", "needs:campaign_edit", lambda o: [o.campaign.pk],
                      {"name": ""}),
    "campaign rule": ("marketing", "needs:campaign_rules", lambda o: [o.campaign.pk],
                      {"action": "rule", "kind": "nope"}),
    "campaign share": ("marketing", "needs:campaign_rules", lambda o: [o.campaign.pk],
                       {"action": "share", "percent": "150"}),
    # positioning
    "study": ("marketing", "positioning:study_new", NONE, {"title": ""}),
    "study settings": ("marketing", "positioning:study_settings", lambda o: [o.study.slug],
                       {"title": ""}),
    "study profile": ("marketing", "positioning:study_profile", lambda o: [o.study.slug],
                      {"profile_questions": ["nope"]}),
    "study population": ("marketing", "positioning:study_population",
                         lambda o: [o.study.slug], {"units": ["NOPE"]}),
    "alternative": ("marketing", "positioning:study_row",
                    lambda o: [o.study.slug, "alternatives"], {"code": "Not a code!"}),
    "attribute": ("marketing", "positioning:study_row", lambda o: [o.study.slug, "attributes"],
                  {"code": "", "label_fr": ""}),
    "study tools": ("marketing", "positioning:study_tools", lambda o: [o.study.slug],
                    {"names": "x" * 3001}),
    "benchmark": ("marketing", "positioning:benchmarks", lambda o: [o.study.slug],
                  {"label_fr": ""}),
    "statement": ("marketing", "positioning:statement_edit", lambda o: [o.study.slug],
                  {"text_fr": ""}),
    "tool": ("marketing", "positioning:tool_new", lambda o: [o.study.slug], {"name": ""}),
    # tickets, usage, reports
    "ticket rules": ("marketing", "tickets:manage", lambda o: o.ticket_survey,
                     {"action": "rules", "sample_percent": "x"}),
    "ticket import": ("marketing", "tickets:import", NONE, {"sent": "1"}),
    "usage import": ("marketing", "usage:imports", NONE, {"sent": "1"}),
    "deployment": ("marketing", "usage:deployment", lambda o: [o.service.slug],
                   {"starts_on": "soon"}),
    "product": ("marketing", "usage:products", NONE,
                {"product": "m365:teams", "service": "nope"}),
    "report": ("marketing", "reports:new", NONE, {"period": "1999-Q9"}),
    "schedule": ("marketing", "reports:schedule_new", NONE, {"name": "", "recipients": "x"}),
    # personal data
    "erasure": ("admin", "privacy:erase", NONE, {"person": "E0005", "confirm": "E0004"}),
}


#: Rows whose page still answers an invalid form with a redirect and a flash message (no
#: summary, no link to the field): strict, so that fixing one fails until it leaves this set.
STILL_A_MESSAGE: set[str] = set()

FILTER = "a filter, sent by GET: a bad value is shown in the filters"

#: Every form class of the forms modules: the row that sends it back with errors, or why none.
FORMS: dict[str, str] = {
    "accounts.TokenForm": "token", "accounts.PasswordSetForm": "account password",
    "accounts.UserCreateForm": "account",
    "accounts.UserForm": "account edit",
    "catalog.ServiceForm": "service", "catalog.CommitmentForm": "service rows",
    "catalog.FaqForm": "as CommitmentForm: a repeated row of the same editor",
    "catalog.NewsForm": "as CommitmentForm: a repeated row of the same editor",
    "catalog.LifecycleForm": "lifecycle", "catalog.CatalogImportForm": "catalogue import",
    "catalog.NoteForm": "one optional text under the review buttons: refusals are messages",
    "catalog.ManageFilterForm": "a filter, sent by GET: a bad value is shown in the filters",
    "comms.PlanForm": "plan", "comms.ObjectiveForm": "objective attribute",
    "comms.ActionForm": "action", "comms.CommentForm": "action comment",
    "comms.AttachmentForm": "attachment", "comms.AudienceForm": "audience",
    "comms.WebhookForm": "channel", "comms.ChannelForm": "channel",
    "comms.QuietPeriodForm": "quiet period",
    "comms.TransitionForm": "buttons only, each a status offered: tampering is a message",
    "comms.PreviewForm": "French or English, both offered: tampering is a message",
    "comms.PreferenceForm": "yes/no buttons per category offered: tampering is a message",
    "comms.AttendanceForm": "check boxes of the people listed: tampering is a message",
    "comms.ActionFilterForm": FILTER, "comms.BoardFilterForm": FILTER,
    "comms.CalendarForm": FILTER,
    "directory.DirectoryImportForm": "directory import",
    "privacy.PersonForm": "the person, picked by GET: a bad value is shown on the page",
    "privacy.EraseForm": "erasure",
    "directory.PeopleFilterForm": FILTER,
    "insights.BarometerFilterForm": FILTER, "insights.TicketFilterForm":
    FILTER, "insights.VerbatimForm": FILTER,
    "insights.CardSortForm": FILTER,
    "listening.SurveyCreateForm": "survey", "listening.SurveySettingsForm": "survey settings",
    "listening.SectionForm": "section", "listening.QuestionForm": "question",
    "listening.WaveForm": "wave", "listening.SurveyImportForm": "survey import",
    "listening.StatusForm": "buttons only (draft, open, closed): tampering is a message",
    "listening.MoveForm": "up/down buttons: tampering is a message",
    "listening.SurveyImportAgainForm": "two buttons offered after a refused import",
    "listening.ExportForm": "radio buttons with a default, answered by a file download",
    "listening.SurveyFilterForm": FILTER,
    "needs.NeedForm": "need", "needs.CommentForm": "need comment",
    "needs.StatusForm": "need status", "needs.MergeForm": "need merge",
    "needs.WeightsForm": "criteria weights", "needs.CriterionForm": "criterion",
    "needs.TeamForm": "delivery team", "needs.NeedImportForm": "needs import",
    "needs.CampaignForm": "campaign", "needs.RuleForm": "campaign rule",
    "needs.DecisionForm": "sent back on the campaign's page; shown only once an arbitration "
                          "has run, a scene not set up here",
    "needs.ShareForm": "campaign share",
    "needs.FilterForm": FILTER,
    "positioning.NewStudyForm": "study", "positioning.StudyForm": "study settings",
    "positioning.AlternativeForm": "alternative", "positioning.AttributeForm": "attribute",
    "positioning.ProfileForm": "study profile", "positioning.ToolsForm": "study tools",
    "positioning.PopulationForm": "study population",
    "positioning.RowActionForm": "up/down/delete buttons of a row: tampering is a message",
    "positioning.FieldworkForm": "sent back on its page like the design's forms; shown only "
                                 "for a designed study, a scene not set up here",
    "positioning.MappingForm": "sent back on its page; shown only once a survey is imported",
    "positioning.ImportForm": "a select of imported surveys: refusals are messages",
    "positioning.StatementForm": "statement", "positioning.ToolForm": "tool",
    "positioning.BenchmarkForm": "benchmark",
    "positioning.PersonaForm": "shown only for a study with results, a scene not set up here",
    "positioning.ToolActionForm": "a select of plans beside a tool: refusals are messages",
    "positioning.AudienceForm": "a select beside a persona: refusals are messages",
    "tickets.TicketRulesForm": "ticket rules", "tickets.TicketImportForm": "ticket import",
    "tickets.TicketMappingForm": "the import's second step, after a file is read: a scene "
                                 "not set up here",
    "tickets.LabelMapForm": "one select per unmapped label, as the products' page",
    "usage.UsageImportForm": "usage import", "usage.DeploymentForm": "deployment",
    "usage.ProductLinkForm": "product", "usage.AdoptionFilterForm": FILTER,
    "reports.ReportForm": "report", "reports.ScheduleForm": "schedule",
    "audit.EntryFilterForm": FILTER,
}


class Objects:
    """What the pages speak of, made the first time a case asks for it."""

    def __init__(self, personas: dict[str, Any]) -> None:
        self.personas = personas
        self._made: dict[str, Any] = {}

    def _once(self, name: str, make: Callable[[], Any]) -> Any:
        if name not in self._made:
            self._made[name] = make()
        return self._made[name]

    @property
    def user(self) -> Any:
        return self.personas["marketing"]

    @property
    def plan(self) -> Any:
        return self._once("plan", lambda: make_plan(self.user))

    @property
    def objective(self) -> Any:
        return self._once("objective", lambda: make_objective(self.plan))

    @property
    def action(self) -> Any:
        return self._once("action", lambda: make_action(self.plan))

    @property
    def audience(self) -> Any:
        return self._once("audience", lambda: make_audience())

    @property
    def survey(self) -> Any:
        return self._once("survey", lambda: make_barometer(created_by=self.user))

    @property
    def service(self) -> Any:
        return self._once("service", lambda: (make_families(), make_service("messagerie"))[1])

    @property
    def need(self) -> Any:
        return self._once("need", lambda: make_need(self.personas["employee"].person,
                                                    "Un meilleur VPN"))

    @property
    def campaign(self) -> Any:
        return self._once("campaign", lambda: make_campaign(self.user, [self.need]))

    @property
    def quiet(self) -> Any:
        return self._once("quiet", lambda: quiet_period_save(
            period=None, name="Fêtes", starts_on=dt.date(2027, 12, 20),
            ends_on=dt.date(2027, 12, 31), units=[], categories=[]))

    @property
    def webhook(self) -> Any:
        return self._once("webhook", lambda: webhook_save(
            user=self.user, webhook=None, name="Équipe", kind="teams",
            url="https://example.com/hook"))

    @property
    def ticket_survey(self) -> list[Any]:
        """No argument: the ticket survey's page, once the survey exists."""
        self._once("ticket_survey", lambda: ticket_survey_start(created_by=self.user))
        return []

    @property
    def study(self) -> Any:
        return self._once("study", lambda: make_study(self.user))


@pytest.fixture
def objects(personas) -> Objects:
    return Objects(personas)


def _summaries(page: str) -> list[str]:
    return re.findall(r'<div class="errors error-summary"[^>]*data-error-summary.*?</div>', page,
                      flags=re.S)


@pytest.mark.parametrize("case", [
    pytest.param(case, marks=pytest.mark.xfail(
        strict=True, reason="answered by a redirect and a message")) if case in STILL_A_MESSAGE
    else case for case in CASES])
def test_a_form_sent_back_starts_with_one_summary_linking_each_field(login, objects, case):
    persona, name, args, data = CASES[case]
    if case == "objective attribute":
        objects.survey  # noqa: B018  (the barometer the objective names)
    if case == "product":
        objects.service  # noqa: B018
        ProductLink.objects.create(product="m365:teams")
    response = login(persona).post(reverse(name, args=args(objects)), data)
    assert response.status_code in (200, 400, 422), (response.status_code, response.get("Location"),
                                                [str(m) for m in response.wsgi_request._messages])
    page = response.content.decode()
    (summary,) = _summaries(page)  # one, rendered by the server
    assert "Il y a un problème" in summary
    links = re.findall(r'<a href="#([^"]+)">', summary)
    assert links or "<li>" in summary
    for target in links:  # every link reaches an element of the page
        assert f'id="{target}"' in page, target
        # ... whose error message the field (or its group) is described by
        base = target.removesuffix("_0")
        assert f'id="{base}_error"' in page, base
        assert re.search(rf'aria-describedby="[^"]*\b{re.escape(base)}_error\b', page), base
    # The summary comes before the fields it speaks of.
    assert page.index("data-error-summary") < page.index(f'id="{links[0]}"') if links else True


def test_a_form_without_errors_has_no_summary(login, objects):
    page = login("marketing").get(reverse("comms:audience_new")).content.decode()
    assert "data-error-summary" not in page


def test_every_form_is_in_the_table():
    """A form class added to a forms module fails here until :data:`FORMS` says which row
    sends it back with errors (or why none does); every row named exists."""
    root = Path(__file__).resolve().parents[2] / "src" / "phare"
    found = set()
    for path in [*root.glob("*/forms.py"), *root.glob("*/forms/*.py")]:
        app = path.parent.name if path.name == "forms.py" else path.parent.parent.name
        for node in ast.parse(path.read_text()).body:
            if isinstance(node, ast.ClassDef) and node.name.endswith("Form"):
                found.add(f"{app}.{node.name}")
    assert sorted(found - set(FORMS)) == []
    assert sorted(set(FORMS) - found) == []
    for form, row in FORMS.items():  # a row's name, or a sentence saying why none
        assert row in CASES or len(row.split()) > 3, (form, row)
