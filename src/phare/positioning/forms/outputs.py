"""Forms of the study's outputs: persona cards, the positioning statement, benchmarks, tool
groups and what they propose (no writes: the views hand the values to the services)."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.forms.models import fields_for_model
from django.utils.translation import gettext_lazy as _

from phare.catalog.models import Service
from phare.comms.forms import add_service_errors
from phare.comms.models import Action, Plan
from phare.lib.widgets import SearchSelect
from phare.positioning.models import Benchmark, Persona, Statement, Study, Tool
from phare.positioning.services.statements import PART_FIELDS

__all__ = ["AudienceForm", "BenchmarkForm", "PersonaForm", "StatementForm", "ToolActionForm",
           "ToolForm", "add_service_errors"]

PERSONA_TEXTS = ("name_fr", "name_en", "summary_fr", "summary_en", "goals_fr", "goals_en",
                 "frustrations_fr", "frustrations_en")
BENCHMARK_FIELDS = ("label_fr", "label_en", "value", "unit", "source", "source_url", "as_of")
_SEPARATORS = re.compile(r"[,;\n]+")


class PersonaForm(forms.Form):
    """A persona's card; the quotes are chosen among the segment's released verbatims."""

    channels = forms.MultipleChoiceField(label=_("Preferred channels"), required=False,
                                         choices=Action.Channel.choices,
                                         widget=forms.CheckboxSelectMultiple)
    quotes = forms.MultipleChoiceField(
        label=_("Quotes"), required=False, widget=forms.CheckboxSelectMultiple,
        help_text=_("Only what respondents of this segment wrote, word for word."))

    def __init__(self, *args: Any, verbatims: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        texts = fields_for_model(Persona, fields=PERSONA_TEXTS)
        for name in PERSONA_TEXTS:
            self.fields[name] = texts[name]
        self.fields["name_fr"].required = True
        self.order_fields([*PERSONA_TEXTS, "channels", "quotes"])
        self.fields["quotes"].choices = [(text, text) for text in verbatims]  # type: ignore[attr-defined]

    @staticmethod
    def initial_for(persona: Persona | None) -> dict[str, Any]:
        if persona is None:
            return {}
        values: dict[str, Any] = {name: getattr(persona, name) for name in PERSONA_TEXTS}
        values.update(channels=persona.channels, quotes=persona.quotes)
        return values

    def values(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in (*PERSONA_TEXTS, "channels",
                                                           "quotes")}


class AudienceForm(forms.Form):
    """The share of respondents a job family must hold of the persona to join its audience."""

    threshold = forms.IntegerField(label=_("At least (% of respondents)"), min_value=1,
                                   max_value=100, initial=40)


class StatementForm(forms.Form):
    """The classic form of a positioning statement, each part in French and English."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields.update(fields_for_model(Statement, fields=PART_FIELDS))

    @staticmethod
    def initial_for(statement: Statement | None) -> dict[str, str]:
        if statement is None:
            return {}
        return {name: getattr(statement, name) for name in PART_FIELDS}

    def values(self) -> dict[str, str]:
        return {name: self.cleaned_data[name] for name in PART_FIELDS}


class BenchmarkForm(forms.Form):
    """An outside figure, its source and date required."""

    attribute = forms.ChoiceField(label=_("Compares with the attribute"), required=False)

    def __init__(self, *args: Any, study: Study, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields.update(fields_for_model(
            Benchmark, fields=[f for f in BENCHMARK_FIELDS if f != "source_url"]))
        self.fields["source_url"] = forms.URLField(
            label=_("source address"), required=False, max_length=500, assume_scheme="https")
        self.fields["as_of"].widget = forms.DateInput(attrs={"type": "date"})
        self.fields["attribute"].choices = [("", _("None")), *(  # type: ignore[attr-defined]
            (a.code, a.label) for a in study.attributes.all())]
        self.order_fields(["label_fr", "label_en", "value", "unit", "attribute", "source",
                           "source_url", "as_of"])

    @staticmethod
    def initial_for(benchmark: Benchmark | None) -> dict[str, Any]:
        if benchmark is None:
            return {}
        return {name: getattr(benchmark, name) for name in (*BENCHMARK_FIELDS, "attribute")}

    def values(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in (*BENCHMARK_FIELDS, "attribute")}


def split_names(text: str) -> list[str]:
    """Spellings typed one a line, or separated by commas or semicolons."""
    return [part.strip() for part in _SEPARATORS.split(text or "") if part.strip()]


class ToolForm(forms.Form):
    """A tool group: its name, the other spellings grouped under it, its catalogue equivalent
    or whether it is an offer gap."""

    name = forms.CharField(label=_("Tool"), max_length=120)
    aliases = forms.CharField(
        label=_("Other spellings"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One a line, or separated by commas: answers spelt this way are counted "
                    "under this tool (case, accents and spaces do not matter)."))
    service = forms.ModelChoiceField(label=_("Catalogue equivalent"), required=False,
                                     queryset=Service.objects.order_by("name_fr"),
                                     widget=SearchSelect)
    gap = forms.BooleanField(label=_("No equivalent in the offer (an offer gap)"),
                             required=False)
    suggested = forms.BooleanField(label=_("Suggested in the questionnaire"), required=False)

    @staticmethod
    def initial_for(tool: Tool | None) -> dict[str, Any]:
        if tool is None:
            return {}
        return {"name": tool.name, "aliases": "\n".join(tool.aliases or []),
                "service": tool.service_id, "gap": tool.gap, "suggested": tool.suggested}

    def values(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {"name": data["name"], "aliases": split_names(data["aliases"]),
                "service": data["service"], "gap": data["gap"], "suggested": data["suggested"]}


class ToolActionForm(forms.Form):
    """The plan that gets the action making the tool's equivalent known."""

    plan = forms.ModelChoiceField(label=_("Communication plan"),
                                  queryset=Plan.objects.order_by("-starts_on", "name"),
                                  widget=SearchSelect)
