"""Searchable pickers: a plain ``<select>`` that ``phare/picker.js`` turns into a search box.

Without the script the page shows the ``<select>`` itself, which submits as any select does. With
it, the select is hidden and replaced by a combobox (ARIA 1.2: a text box with a list of
options): typing filters the options (accents and case ignored), arrows move, Enter picks;
a multiple picker shows what is chosen as removable chips. The text box takes the select's
``id``, so the field's label, its help and error text and the error summary's link all reach it.

With ``search_url`` the options come from the server as one types (for the 5,000 people of the
directory): the select then holds only the chosen options, read from the database by value, and
the URL answers ``{"results": [{"value", "label", "detail"}]}`` for ``?q=``. Without the
script such a picker also shows (in ``<noscript>``) a text box where the value itself is typed
(an employee id), which wins over the select when filled.

The widgets know no model: a model field's choices are read through its iterator's queryset.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms
from django.utils.functional import Promise
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext


def _words() -> dict[str, str]:
    """What the script says, in the page's language (it holds no text of its own)."""
    return {
        "data-picker-none": gettext("No match"),
        "data-picker-remove": gettext("Remove"),
        "data-picker-added": gettext("Added:"),
        "data-picker-removed": gettext("Removed:"),
        "data-picker-results": gettext("Matches:"),
        "data-picker-more": gettext("Type more letters to see the others."),
        "data-picker-type": gettext("Type at least two letters."),
        "data-picker-search": gettext("Type to search"),
    }


class _Searchable:
    """What both pickers add to Django's select widgets."""

    search_url: str | Promise
    allow_multiple_selected: bool

    def __init__(self, attrs: dict[str, Any] | None = None, choices: Any = (), *,
                 search_url: str | Promise = "", placeholder: str | Promise = "") -> None:
        super().__init__(attrs, choices)  # type: ignore[call-arg]
        self.search_url = search_url
        self.placeholder = placeholder

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        return super().get_context(  # type: ignore[misc]
            name, value, self._picker_attrs(attrs or {}, self.placeholder))

    def render(self, name: str, value: Any, attrs: dict[str, Any] | None = None,
               renderer: Any = None) -> SafeString:
        html = super().render(name, value, attrs, renderer)  # type: ignore[misc]
        return self._without_script(html, name, self.allow_multiple_selected)

    def _picker_attrs(self, attrs: dict[str, Any], placeholder: str | Promise) -> dict[str, Any]:
        extra: dict[str, Any] = {"data-picker": "", **_words()}
        if self.search_url:
            extra["data-picker-url"] = str(self.search_url)
        if placeholder:
            extra["data-picker-placeholder"] = str(placeholder)
        return {**extra, **attrs}

    def _without_script(self, html: SafeString, name: str, multiple: bool) -> SafeString:
        """The select, and for a server-searched one a box to type values in without script."""
        if not self.search_url:
            return html
        label = (gettext("Or type identifiers, separated by commas") if multiple
                 else gettext("Or type the identifier"))
        return format_html('{}<noscript><input type="text" name="{}" aria-label="{}" '
                           'placeholder="{}"></noscript>', html, name, label, label)

    @staticmethod
    def _typed(data: Any, name: str) -> list[str]:
        """Every value sent under ``name``: the select's, then what was typed without script."""
        values = data.getlist(name) if hasattr(data, "getlist") else data.get(name)
        if values is None:
            return []
        values = values if isinstance(values, list | tuple) else [values]
        return [part.strip() for value in values for part in str(value).split(",")
                if part.strip()]

    def _chosen_options(self, value: Iterable[Any]) -> list[tuple[str, str]]:
        """The (value, label) pairs of the chosen values only, without reading every choice."""
        wanted = {str(v) for v in value if v not in ("", None)}
        if not wanted:
            return []
        choices: Any = self.choices  # type: ignore[attr-defined]
        queryset = getattr(choices, "queryset", None)
        if queryset is not None:
            field = choices.field
            key = field.to_field_name or "pk"
            rows = queryset.filter(**{f"{key}__in": wanted})
            return [(str(field.prepare_value(row)), str(field.label_from_instance(row)))
                    for row in rows]
        return [(str(v), str(label)) for v, label in choices if str(v) in wanted]


class SearchSelect(_Searchable, forms.Select):
    """One choice, searched by typing (see the module's docstring)."""

    def value_from_datadict(self, data: Any, files: Any, name: str) -> Any:
        if not self.search_url:
            return super().value_from_datadict(data, files, name)
        typed = self._typed(data, name)
        return typed[-1] if typed else ("" if name in data else None)

    def optgroups(self, name: str, value: list[Any], attrs: dict[str, Any] | None = None):
        if not self.search_url:
            return super().optgroups(name, value, attrs)
        chosen = self._chosen_options(value)
        options = [("", "—"), *chosen]
        return [(None, [self.create_option(name, v, label, bool(v) and v in {c[0] for c in chosen},
                                           index) for index, (v, label) in enumerate(options)], 0)]


class SearchSelectMultiple(_Searchable, forms.SelectMultiple):
    """Several choices, searched by typing, shown as removable chips."""

    def value_from_datadict(self, data: Any, files: Any, name: str) -> Any:
        if not self.search_url:
            return super().value_from_datadict(data, files, name)
        return list(dict.fromkeys(self._typed(data, name)))

    def optgroups(self, name: str, value: list[Any], attrs: dict[str, Any] | None = None):
        if not self.search_url:
            return super().optgroups(name, value, attrs)
        return [(None, [self.create_option(name, v, label, True, index)
                        for index, (v, label) in enumerate(self._chosen_options(value))], 0)]
