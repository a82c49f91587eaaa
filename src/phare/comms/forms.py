"""The communication plan's forms: plan, objective (its figure's parameters by metric),
audience (criteria fields that build the criteria dict), action (every field), comment,
attachment, webhook, status change, and the filters of the board and the calendar.

Forms only read and check: the views hand ``cleaned_data`` (or what :meth:`values`,
:meth:`params`, :meth:`criteria` build) to :mod:`phare.comms.services.plans`, and put the
service's refusals back on the fields with :func:`add_service_errors`.
"""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from phare.catalog.models import Service
from phare.comms import audiences, calendar, objectives, queries
from phare.comms.models import Action, Audience, Objective, Plan, Webhook
from phare.comms.services.plans import ATTACHMENT_EXTENSIONS, MAX_COMMENT
from phare.contact.models import Category
from phare.directory.forms import PersonMultipleChoiceField
from phare.directory.models import BusinessUnit, JobFamily, Site
from phare.lib.i18n import reader_language
from phare.lib.uploads import ImportFileField
from phare.lib.widgets import SearchSelect, SearchSelectMultiple
from phare.listening.models import Survey, Wave
from phare.listening.questions import option_label
from phare.needs.models import Campaign, Need

DATE = forms.DateInput(attrs={"type": "date"})
DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


def _users() -> Any:
    return get_user_model().objects.filter(is_active=True).order_by("username")


class WrittenIn(forms.ChoiceField):
    """The language a name or title is typed in: offered as the one the writer is using (an
    existing object's form shows its own, from ``initial_for``). Left out, it cleans to
    ``None``: the service then takes the writer's for a new object and keeps an existing
    one's."""

    def __init__(self) -> None:
        super().__init__(label=_("Written in"), choices=settings.LANGUAGES, required=False,
                         initial=reader_language,
                         help_text=_("Readers of the other language see it marked."))

    def to_python(self, value: Any) -> str | None:
        return super().to_python(value) or None


class _WaveChoice(forms.ModelChoiceField):
    """A survey's wave, by the survey's title and the wave's name."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(queryset=Wave.objects.select_related("survey").order_by(
            "-opens_on", "-pk"), widget=SearchSelect, **kwargs)

    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.survey.title} — {obj.name}"


class _CampaignChoice(forms.ModelChoiceField):
    """An arbitration campaign, by its name."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(queryset=Campaign.objects.order_by("-pk"), widget=SearchSelect,
                         **kwargs)


class _NeedsChoice(forms.ModelMultipleChoiceField):
    """Needs, by their number and title."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(queryset=Need.objects.order_by("-pk"), widget=SearchSelectMultiple,
                         **kwargs)

    def label_from_instance(self, obj: Any) -> str:
        return f"#{obj.pk} {obj.title}"


def add_service_errors(form: forms.Form, exc: ValidationError,
                       fields: dict[str, str] | None = None) -> None:
    """Put a service's refusal on the form's fields: ``fields`` maps the service's names to
    the form's (``criteria.usage.service`` → ``usage_service``); a name the form lacks goes
    to the form's own errors."""
    fields = fields or {}
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc)
        return
    for name, messages in exc.message_dict.items():
        target = fields.get(name, name)
        if target not in form.fields:
            form.add_error(None, [f"{name}: {m}" for m in messages])
        else:
            form.add_error(target, messages)


# Plans and objectives -----------------------------------------------------------------------


class PlanForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    language = WrittenIn()
    starts_on = forms.DateField(label=_("From"), widget=DATE)
    ends_on = forms.DateField(label=_("To"), widget=DATE)
    description = forms.CharField(label=_("Description"), required=False,
                                  widget=forms.Textarea(attrs={"rows": 3}))
    contributors = forms.ModelMultipleChoiceField(label=_("Contributors"), required=False,
                                                  queryset=get_user_model().objects.none(),
                                                  widget=SearchSelectMultiple)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["contributors"].queryset = _users()  # type: ignore[attr-defined]

    @classmethod
    def initial_for(cls, plan: Plan) -> dict[str, Any]:
        return {"name": plan.name, "language": plan.language, "starts_on": plan.starts_on,
                "ends_on": plan.ends_on, "description": plan.description,
                "contributors": list(plan.contributors.all())}

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("starts_on") and data.get("ends_on") and data["ends_on"] < data["starts_on"]:
            self.add_error("ends_on", _("The plan ends before it starts."))
        return data


#: The figure's parameter fields of the objective form.
PARAM_FIELDS = ("survey", "question", "option", "service", "units", "wave", "campaign")


def _grid_choices(barometers: Any) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """The question and attribute choices: each barometer's grid (the one its page shows) and
    the grid's rows, by their text and the barometer's title; a code several barometers share
    is one choice naming them all (the service checks it belongs to the survey chosen)."""
    language = (get_language() or "fr")[:2]
    questions: dict[str, list[str]] = {}
    attributes: dict[str, list[str]] = {}
    for survey in barometers:
        grid = objectives.barometer_grid(survey)
        if grid is None:
            continue
        questions.setdefault(grid.code, []).append(f"{grid.text} ({survey.title})")
        for option in grid.options or []:
            label = option_label(option, language)
            attributes.setdefault(str(option.get("code")), []).append(
                f"{label} ({survey.title})")
    return ([(code, " · ".join(labels)) for code, labels in questions.items()],
            sorted(((code, " · ".join(labels)) for code, labels in attributes.items()),
                   key=lambda choice: choice[1].casefold()))


class ObjectiveForm(forms.Form):
    """An objective; the parameter fields its metric does not take are ignored."""

    title = forms.CharField(label=_("Title"), max_length=200)
    language = WrittenIn()
    metric = forms.ChoiceField(label=_("Figure"), choices=Objective.Metric.choices,
                               initial=Objective.Metric.NONE)
    survey = forms.ModelChoiceField(label=_("Survey"), required=False, to_field_name="slug",
                                    queryset=Survey.objects.none(), widget=SearchSelect)
    question = forms.ChoiceField(label=_("Question of the grid"), required=False,
                                 help_text=_("The grid of attributes of the barometer."))
    option = forms.ChoiceField(label=_("Attribute (row of the grid)"), required=False,
                               widget=SearchSelect)
    service = forms.ModelChoiceField(label=_("Service"), required=False, to_field_name="slug",
                                     queryset=Service.objects.none(), widget=SearchSelect)
    units = forms.ModelMultipleChoiceField(label=_("Business units"), required=False,
                                           to_field_name="code",
                                           queryset=BusinessUnit.objects.none(),
                                           widget=SearchSelectMultiple)
    wave = _WaveChoice(label=_("Wave"), required=False)
    campaign = _CampaignChoice(label=_("Arbitration campaign"), required=False)
    baseline = forms.DecimalField(label=_("Baseline"), required=False, max_digits=8,
                                  decimal_places=2)
    target = forms.DecimalField(label=_("Target"), required=False, max_digits=8,
                                decimal_places=2)
    due_on = forms.DateField(label=_("Due"), required=False, widget=DATE)
    source = forms.CharField(label=_("Origin"), required=False, max_length=80)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["service"].queryset = Service.objects.order_by("slug")  # type: ignore[attr-defined]
        self.fields["units"].queryset = BusinessUnit.objects.order_by("code")  # type: ignore[attr-defined]
        barometers = Survey.objects.filter(kind=Survey.Kind.BAROMETER).order_by("slug")
        self.fields["survey"].queryset = barometers  # type: ignore[attr-defined]
        questions, attributes = _grid_choices(barometers)
        self.fields["question"].choices = [("", "—"), *questions]  # type: ignore[attr-defined]
        self.fields["option"].choices = [("", "—"), *attributes]  # type: ignore[attr-defined]

    @classmethod
    def initial_for(cls, objective: Objective) -> dict[str, Any]:
        values = {"title": objective.title, "language": objective.language,
                  "metric": objective.metric,
                  "baseline": objective.baseline, "target": objective.target,
                  "due_on": objective.due_on, "source": objective.source}
        values.update({k: v for k, v in objective.params.items() if k in PARAM_FIELDS})
        return values

    def params(self) -> dict[str, Any]:
        """The parameters the chosen metric takes, from the fields (call after is_valid)."""
        data = self.cleaned_data
        required, optional = objectives.PARAMS.get(data.get("metric", ""), ((), ()))
        params: dict[str, Any] = {}
        for key in required + optional:
            value = data.get(key)
            if key in ("service", "survey") and value is not None:
                value = value.slug
            elif key in ("wave", "campaign") and value is not None:
                value = value.pk
            elif key == "units":
                value = [u.code for u in value or ()]
            if value not in (None, "", []):
                params[key] = value
        return params

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.errors:
            return data
        try:
            objectives.check_params(data["metric"], self.params())
        except ValidationError as exc:
            add_service_errors(self, exc)
        return data


# Audiences ----------------------------------------------------------------------------------


class AudienceForm(forms.Form):
    """A saved audience: each criterion a field; :meth:`criteria` builds the dict."""

    name = forms.CharField(label=_("Name"), max_length=200)
    description = forms.CharField(label=_("Description"), required=False,
                                  widget=forms.Textarea(attrs={"rows": 2}))
    language = WrittenIn()
    units = forms.ModelMultipleChoiceField(label=_("Business units"), required=False,
                                           to_field_name="code",
                                           queryset=BusinessUnit.objects.none(),
                                           widget=SearchSelectMultiple)
    sub_units = forms.BooleanField(label=_("With their sub-units"), required=False,
                                   initial=True)
    sites = forms.ModelMultipleChoiceField(label=_("Sites"), required=False,
                                           to_field_name="code", queryset=Site.objects.none(),
                                           widget=SearchSelectMultiple)
    job_families = forms.ModelMultipleChoiceField(label=_("Job families"), required=False,
                                                  to_field_name="code",
                                                  queryset=JobFamily.objects.none(),
                                                  widget=SearchSelectMultiple)
    managers = PersonMultipleChoiceField(label=_("Managers"), required=False,
                                         help_text=_("Their teams."))
    reports = forms.ChoiceField(label=_("Teams"), required=False, initial="all",
                                choices=[("all", _("The whole line")),
                                         ("direct", _("Direct reports only"))])
    services = forms.ModelMultipleChoiceField(label=_("Everyone a service is for"),
                                              required=False, to_field_name="slug",
                                              queryset=Service.objects.none(),
                                              widget=SearchSelectMultiple)
    usage_service = forms.ModelChoiceField(label=_("Usage of a service"), required=False,
                                           to_field_name="slug",
                                           queryset=Service.objects.none(), widget=SearchSelect)
    usage_state = forms.ChoiceField(label=_("Who"), required=False, choices=[
        ("licensed_inactive", _("Licensed but inactive")), ("active", _("Active users"))])
    usage_days = forms.IntegerField(label=_("Over the last days"), required=False,
                                    min_value=1, max_value=366)
    needs = _NeedsChoice(label=_("Needs"), required=False)
    needs_decision = _CampaignChoice(label=_("Every need of a campaign's decision"),
                                     required=False)
    needs_who = forms.MultipleChoiceField(
        label=_("Behind these needs"), required=False,
        choices=[("submitters", _("Submitters")), ("voters", _("Voters")),
                 ("followers", _("Followers"))], widget=forms.CheckboxSelectMultiple)
    wave = _WaveChoice(label=_("Survey wave"), required=False)
    wave_state = forms.ChoiceField(label=_("Who in the wave"), required=False, choices=[
        ("non_respondents", _("Those who have not answered")),
        ("invited", _("Everyone invited"))])
    exclude_units = forms.ModelMultipleChoiceField(label=_("Except the units"), required=False,
                                                   to_field_name="code",
                                                   queryset=BusinessUnit.objects.none(),
                                                   widget=SearchSelectMultiple)
    exclude_sites = forms.ModelMultipleChoiceField(label=_("Except the sites"), required=False,
                                                   to_field_name="code",
                                                   queryset=Site.objects.none(),
                                                   widget=SearchSelectMultiple)
    exclude_job_families = forms.ModelMultipleChoiceField(
        label=_("Except the job families"), required=False, to_field_name="code",
        queryset=JobFamily.objects.none(), widget=SearchSelectMultiple)

    #: Where a criterion's errors go (the first part of the service's field path).
    ERRORS = {"units": "units", "sub_units": "sub_units", "sites": "sites",
              "job_families": "job_families", "managers": "managers", "reports": "reports",
              "services": "services", "usage": "usage_service", "usage.service": "usage_service",
              "usage.state": "usage_state", "usage.days": "usage_days", "needs": "needs",
              "needs.needs": "needs", "needs.decision": "needs_decision",
              "needs.who": "needs_who", "wave": "wave", "wave.wave": "wave",
              "wave.state": "wave_state", "exclude": "exclude_units",
              "exclude.units": "exclude_units", "exclude.sites": "exclude_sites",
              "exclude.job_families": "exclude_job_families"}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        units, sites, families = (BusinessUnit.objects.order_by("code"),
                                  Site.objects.order_by("code"),
                                  JobFamily.objects.order_by("code"))
        services = Service.objects.order_by("slug")
        for name, queryset in (("units", units), ("exclude_units", units), ("sites", sites),
                               ("exclude_sites", sites), ("job_families", families),
                               ("exclude_job_families", families), ("services", services),
                               ("usage_service", services)):
            self.fields[name].queryset = queryset  # type: ignore[attr-defined]

    @classmethod
    def initial_for(cls, audience: Audience) -> dict[str, Any]:
        c = audience.criteria
        usage, needs, wave = c.get("usage", {}), c.get("needs", {}), c.get("wave", {})
        exclude = c.get("exclude", {})
        return {"name": audience.name, "description": audience.description,
                "language": audience.language,
                "units": c.get("units", []), "sub_units": c.get("sub_units", True),
                "sites": c.get("sites", []), "job_families": c.get("job_families", []),
                "managers": c.get("managers", []),
                "reports": c.get("reports", "all"), "services": c.get("services", []),
                "usage_service": usage.get("service"), "usage_state": usage.get("state"),
                "usage_days": usage.get("days"),
                "needs": needs.get("needs", []),
                "needs_decision": needs.get("decision"), "needs_who": needs.get("who", []),
                "wave": wave.get("wave"), "wave_state": wave.get("state"),
                "exclude_units": exclude.get("units", []),
                "exclude_sites": exclude.get("sites", []),
                "exclude_job_families": exclude.get("job_families", [])}

    def criteria(self) -> dict[str, Any]:
        """The criteria dict the fields say (call after ``is_valid``)."""
        d = self.cleaned_data
        criteria: dict[str, Any] = {}
        for name in ("units", "sites", "job_families"):
            if d.get(name):
                criteria[name] = [o.code for o in d[name]]
        if d.get("units"):
            criteria["sub_units"] = bool(d.get("sub_units"))
        if d.get("managers"):
            criteria["managers"] = [p.employee_id for p in d["managers"]]
            criteria["reports"] = d.get("reports") or "all"
        if d.get("services"):
            criteria["services"] = [s.slug for s in d["services"]]
        if d.get("usage_service"):
            usage: dict[str, Any] = {"service": d["usage_service"].slug,
                                     "state": d.get("usage_state") or "licensed_inactive"}
            if d.get("usage_days"):
                usage["days"] = d["usage_days"]
            criteria["usage"] = usage
        if d.get("needs") or d.get("needs_decision"):
            needs: dict[str, Any] = {}
            if d.get("needs"):
                needs["needs"] = [n.pk for n in d["needs"]]
            if d.get("needs_decision"):
                needs["decision"] = d["needs_decision"].pk
            if d.get("needs_who"):
                needs["who"] = list(d["needs_who"])
            criteria["needs"] = needs
        if d.get("wave"):
            criteria["wave"] = {"wave": d["wave"].pk,
                                "state": d.get("wave_state") or "non_respondents"}
        exclude = {name: [o.code for o in d[f"exclude_{name}"]]
                   for name in ("units", "sites", "job_families") if d.get(f"exclude_{name}")}
        if exclude:
            criteria["exclude"] = exclude
        return criteria

    def field_of(self, path: str) -> str | None:
        """The form field a criteria error path (``usage.service``, ``units[2]``) is about."""
        path = path.removeprefix("criteria.").removeprefix("criteria")
        parts = [re.sub(r"\[\d+\]$", "", p) for p in path.split(".") if p]
        for depth in (2, 1):
            key = ".".join(parts[:depth])
            if key in self.ERRORS:
                return self.ERRORS[key]
        return None

    def add_criteria_errors(self, details: list[tuple[str, str]]) -> None:
        for path, reason in details:
            self.add_error(self.field_of(path), reason)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.errors:
            return data
        try:
            audiences.check(self.criteria())
        except audiences.AudienceInvalid as exc:
            self.add_criteria_errors(exc.details)
        return data


# Actions ------------------------------------------------------------------------------------


class ActionForm(forms.Form):
    """Every field of an action; choices from the plan, the directory and the catalogue."""

    title = forms.CharField(label=_("Title"), max_length=200)
    language = WrittenIn()
    objective = forms.ModelChoiceField(label=_("Objective"), required=False,
                                       queryset=Objective.objects.none())
    kind = forms.ChoiceField(label=_("Kind"), choices=Action.Kind.choices,
                             initial=Action.Kind.MESSAGE)
    channel = forms.ChoiceField(label=_("Channel"), choices=Action.Channel.choices,
                                initial=Action.Channel.EMAIL)
    category = forms.ChoiceField(label=_("Category"), choices=Category.choices,
                                 initial=Category.NEWSLETTER)
    mandatory = forms.BooleanField(label=_("Mandatory notice"), required=False)
    audience = forms.ModelChoiceField(label=_("Audience"), required=False,
                                      queryset=Audience.objects.none(), widget=SearchSelect)
    everyone = forms.BooleanField(label=_("Everyone"), required=False)
    languages = forms.MultipleChoiceField(label=_("Languages"), required=False,
                                          choices=settings.LANGUAGES,
                                          widget=forms.CheckboxSelectMultiple)
    owner = forms.ModelChoiceField(label=_("Owner"), required=False,
                                   queryset=get_user_model().objects.none(), widget=SearchSelect)
    contributors = forms.ModelMultipleChoiceField(label=_("Contributors"), required=False,
                                                  queryset=get_user_model().objects.none(),
                                                  widget=SearchSelectMultiple)
    starts_on = forms.DateField(label=_("Date"), widget=DATE)
    ends_on = forms.DateField(label=_("Until"), required=False, widget=DATE)
    send_at = forms.DateTimeField(label=_("Send at"), required=False, widget=DATETIME)
    budget = forms.DecimalField(label=_("Budget (€)"), required=False, min_value=0,
                                max_digits=10, decimal_places=2)
    services = forms.ModelMultipleChoiceField(label=_("Services"), required=False,
                                              to_field_name="slug",
                                              queryset=Service.objects.none(),
                                              widget=SearchSelectMultiple)
    subject_fr = forms.CharField(label=_("Subject (French)"), required=False, max_length=200)
    subject_en = forms.CharField(label=_("Subject (English)"), required=False, max_length=200)
    body_fr = forms.CharField(label=_("Text (French, Markdown)"), required=False,
                              widget=forms.Textarea(attrs={"rows": 8}))
    body_en = forms.CharField(label=_("Text (English, Markdown)"), required=False,
                              widget=forms.Textarea(attrs={"rows": 8}))
    webhook = forms.ModelChoiceField(label=_("Teams or Slack channel"), required=False,
                                     queryset=Webhook.objects.none())
    location = forms.CharField(label=_("Location"), required=False, max_length=200)
    starts_at = forms.DateTimeField(label=_("Starts"), required=False, widget=DATETIME)
    ends_at = forms.DateTimeField(label=_("Ends"), required=False, widget=DATETIME)
    capacity = forms.IntegerField(label=_("Seats"), required=False, min_value=0)
    expires_on = forms.DateField(label=_("Shown until"), required=False, widget=DATE)
    holdout_percent = forms.IntegerField(label=_("Control group (%)"), initial=0,
                                         min_value=0, max_value=50)

    def __init__(self, *args: Any, plan: Plan, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.plan = plan
        users = _users()
        for name, queryset in (("objective", plan.objectives.all()),
                               ("audience", Audience.objects.order_by("name")),
                               ("owner", users), ("contributors", users),
                               ("services", Service.objects.order_by("slug")),
                               ("webhook", Webhook.objects.order_by("name"))):
            self.fields[name].queryset = queryset  # type: ignore[attr-defined]

    @classmethod
    def initial_for(cls, action: Action) -> dict[str, Any]:
        values = {name: getattr(action, name) for name in cls.base_fields
                  if name not in ("contributors", "services")}
        values["contributors"] = list(action.contributors.all())
        values["services"] = list(action.services.all())
        return values

    def values(self) -> dict[str, Any]:
        """The fields as ``services.plans.action_save`` takes them (after ``is_valid``)."""
        values = dict(self.cleaned_data)
        values["languages"] = list(values.get("languages") or [])
        values["contributors"] = list(values.get("contributors") or [])
        values["services"] = list(values.get("services") or [])
        if values.get("holdout_percent") is None:
            values["holdout_percent"] = 0
        if values.get("language") is None:  # left out: the service's default
            values.pop("language", None)
        return values


class CommentForm(forms.Form):
    text = forms.CharField(label=_("Comment"), max_length=MAX_COMMENT,
                           widget=forms.Textarea(attrs={"rows": 3}))


class AttachmentForm(forms.Form):
    file = ImportFileField(label=_("File"), extensions=ATTACHMENT_EXTENSIONS,
                           wrong_type=_("“%(name)s” is not a file that can be attached."))


class WebhookForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120)
    kind = forms.ChoiceField(label=_("Kind"), choices=Webhook.Kind.choices)
    url = forms.URLField(label=_("Webhook address"), max_length=1000, assume_scheme="https")


class TransitionForm(forms.Form):
    to = forms.ChoiceField(label=_("Status"), choices=Action.Status.choices)
    comment = forms.CharField(label=_("Comment"), required=False, max_length=MAX_COMMENT,
                              widget=forms.Textarea(attrs={"rows": 2}))


class ActionFilterForm(forms.Form):
    """The filters of the board, the list of actions and the calendar (query string)."""

    plan = forms.ModelChoiceField(label=_("Plan"), required=False, queryset=Plan.objects.none(),
                                  widget=SearchSelect)
    status = forms.ChoiceField(label=_("Status"), required=False,
                               choices=[("", _("Any"))] + list(Action.Status.choices))
    channel = forms.ChoiceField(label=_("Channel"), required=False,
                                choices=[("", _("Any"))] + list(Action.Channel.choices))
    owner = forms.ModelChoiceField(label=_("Owner"), required=False,
                                   queryset=get_user_model().objects.none(), widget=SearchSelect)
    audience = forms.ModelChoiceField(label=_("Audience"), required=False,
                                      queryset=Audience.objects.none(), widget=SearchSelect)
    service = forms.ModelChoiceField(label=_("Service"), required=False, to_field_name="slug",
                                     queryset=Service.objects.none(), widget=SearchSelect)
    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    starts_from = forms.DateField(label=_("From"), required=False, widget=DATE)
    starts_until = forms.DateField(label=_("To"), required=False, widget=DATE)
    mine = forms.BooleanField(label=_("Mine only"), required=False)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from_plans = queries.plan_list(user).order_by("-starts_on", "name")
        for name, queryset in (("plan", from_plans), ("owner", _users()),
                               ("audience", Audience.objects.order_by("name")),
                               ("service", Service.objects.order_by("slug"))):
            self.fields[name].queryset = queryset  # type: ignore[attr-defined]

    def filters(self) -> queries.ActionFilter:
        """The filters for :func:`queries.action_list` (the valid fields only)."""
        d = self.cleaned_data if self.is_valid() else {}
        return queries.ActionFilter(
            plan=d["plan"].pk if d.get("plan") else None, status=d.get("status") or "",
            channel=d.get("channel") or "", owner=d["owner"].pk if d.get("owner") else None,
            audience=d["audience"].pk if d.get("audience") else None,
            service=d["service"].slug if d.get("service") else "", q=d.get("q") or "",
            starts_from=d.get("starts_from"), starts_until=d.get("starts_until"),
            mine=bool(d.get("mine")))

    def calendar_filters(self) -> calendar.Filters:
        """The same filters for the calendar (:class:`phare.comms.calendar.Filters`)."""
        f = self.filters()
        return calendar.Filters(channel=f.channel, audience=f.audience, owner=f.owner,
                                service=f.service, plan=f.plan, status=f.status)


class _UserChoice(forms.ModelChoiceField):
    """A user by their name in the directory (their username without one)."""

    def label_from_instance(self, obj: Any) -> str:
        return str(getattr(obj, "display_name", "") or obj.get_username())


class BoardFilterForm(forms.Form):
    """The filters of a plan's board (query string): channel, owner, service, objective;
    the choices are those the plan's actions use."""

    channel = forms.ChoiceField(label=_("Channel"), required=False,
                                choices=[("", _("Any"))] + list(Action.Channel.choices))
    owner = _UserChoice(label=_("In charge"), required=False, empty_label=_("Any"),
                        queryset=get_user_model().objects.none(), widget=SearchSelect)
    service = forms.ModelChoiceField(label=_("Service"), required=False, to_field_name="slug",
                                     empty_label=_("Any"), queryset=Service.objects.none(),
                                     widget=SearchSelect)
    objective = forms.ModelChoiceField(label=_("Objective"), required=False,
                                       empty_label=_("Any"), queryset=Objective.objects.none())

    def __init__(self, *args: Any, plan: Plan, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.plan = plan
        users = get_user_model().objects.filter(
            pk__in=plan.actions.filter(owner__isnull=False).values("owner")).select_related(
            "person").order_by("username")
        services = Service.objects.filter(
            pk__in=plan.actions.filter(services__isnull=False).values("services")
        ).order_by("slug")
        for name, queryset in (("owner", users), ("service", services),
                               ("objective", plan.objectives.all())):
            self.fields[name].queryset = queryset  # type: ignore[attr-defined]

    def filters(self) -> queries.ActionFilter:
        """The filters for :func:`queries.board` (the valid fields only)."""
        d = self.cleaned_data if self.is_valid() else {}
        return queries.ActionFilter(
            plan=self.plan.pk, channel=d.get("channel") or "",
            owner=d["owner"].pk if d.get("owner") else None,
            service=d["service"].slug if d.get("service") else "",
            objective=d["objective"].pk if d.get("objective") else None)

    @property
    def active(self) -> bool:
        """Whether a filter is set (the board then says it shows only part of the plan)."""
        return bool(self.is_valid() and any(self.cleaned_data.values()))


class PreviewForm(forms.Form):
    """The language of an action's preview or test email."""

    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES)


# The calendar, preferences and quiet periods ---------------------------------------------------


class CalendarForm(forms.Form):
    """What the calendar shows (query string): a month's grid or a quarter's timeline."""

    MONTH, TIMELINE = "month", "timeline"

    view = forms.ChoiceField(label=_("View"), required=False, initial=MONTH,
                             choices=[(MONTH, _("Month")), (TIMELINE, _("Timeline"))])
    year = forms.IntegerField(label=_("Year"), required=False, min_value=2000,
                              max_value=2100)
    month = forms.IntegerField(label=_("Month"), required=False, min_value=1, max_value=12)
    quarter = forms.IntegerField(label=_("Quarter"), required=False, min_value=1, max_value=4)

    def shown(self, today: Any) -> tuple[str, int, int]:
        """The view, year and month asked for (the quarter's first month for the timeline);
        today's when not asked for or not valid."""
        d = self.cleaned_data if self.is_valid() else {}
        view = d.get("view") or self.MONTH
        year = d.get("year") or today.year
        if view == self.TIMELINE and d.get("quarter"):
            return view, year, 3 * (d["quarter"] - 1) + 1
        return view, year, d.get("month") or today.month


#: The categories a person may opt out of, and a quiet period may hold back (never notices).
OPTIONAL_CATEGORIES = [(value, label) for value, label in Category.choices
                       if value != Category.NOTICE]


class PreferenceForm(forms.Form):
    """One category of messages, received or not (notices are refused by the service)."""

    category = forms.ChoiceField(label=_("Category"), choices=Category.choices)
    receive = forms.TypedChoiceField(label=_("Receive"), coerce=lambda v: v == "1",
                                     choices=[("1", _("Yes")), ("0", _("No"))])


class QuietPeriodForm(forms.Form):
    """A quiet period: its days, the units held quiet (everyone when none), the categories
    held back (every one but notices when none)."""

    name = forms.CharField(label=_("Name"), max_length=120)
    starts_on = forms.DateField(label=_("From"), widget=DATE)
    ends_on = forms.DateField(label=_("To (included)"), widget=DATE)
    units = forms.ModelMultipleChoiceField(
        label=_("Business units"), required=False, queryset=BusinessUnit.objects.none(),
        help_text=_("With their sub-units. None: everyone."), widget=SearchSelectMultiple)
    categories = forms.MultipleChoiceField(
        label=_("Messages held back"), required=False, choices=OPTIONAL_CATEGORIES,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None: every category but service notices, which always go."))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["units"].queryset = BusinessUnit.objects.order_by("name")  # type: ignore[attr-defined]

    @classmethod
    def initial_for(cls, period: Any) -> dict[str, Any]:
        return {"name": period.name, "starts_on": period.starts_on, "ends_on": period.ends_on,
                "units": list(period.units.all()), "categories": list(period.categories)}


class ChannelForm(WebhookForm):
    """A Teams or Slack channel's page: on a change, the address field shows blank (it is a
    secret, never sent back to the browser) and a blank address keeps the one saved."""

    def __init__(self, *args: Any, editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        url = self.fields["url"]
        url.help_text = _("The incoming-webhook address the channel gave you. Anyone who has "
                          "it can post to the channel: it is never shown again.")
        if editing:
            url.required = False
            url.help_text = _("Leave blank to keep the address saved; a new address "
                              "replaces it.")

    @classmethod
    def initial_for(cls, webhook: Webhook) -> dict[str, Any]:
        return {"name": webhook.name, "kind": webhook.kind}


class AttendanceForm(forms.Form):
    """Who came to an event: ``shown`` are the people whose box was on the page (a person
    who registered since is left as they are), ``attended`` those whose box is ticked."""

    shown = forms.TypedMultipleChoiceField(label=_("People on the list"), coerce=int,
                                           required=False)
    attended = forms.TypedMultipleChoiceField(label=_("Came"), coerce=int, required=False,
                                              widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args: Any, people: list[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [(str(pk), str(pk)) for pk in people]
        for name in ("shown", "attended"):
            self.fields[name].choices = choices  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        shown, attended = data.get("shown") or [], data.get("attended") or []
        if not shown and "shown" not in self.errors:
            self.add_error("shown", _("Nobody's attendance was sent."))
        elif set(attended) - set(shown):
            self.add_error("attended", _("Tick only people on the list."))
        return data

    def attendance(self) -> dict[int, bool | None]:
        """Person id → came, for each person on the list."""
        attended = set(self.cleaned_data["attended"])
        return {pk: pk in attended for pk in self.cleaned_data["shown"]}
