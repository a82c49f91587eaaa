"""Form errors and required fields, as the shared includes render them: each error is the
element the field's aria-describedby names, invalid fields say so, required ones are marked, and
a summary at the top lists the problems with links to their fields."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django import forms
from django.template.loader import render_to_string
from django.utils import translation

import phare

TEMPLATES = Path(phare.__file__).parent


def found(pattern: str, text: str, group: int = 0) -> str:
    match = re.search(pattern, text)
    assert match is not None, pattern
    return match.group(group)


class Sample(forms.Form):
    name = forms.CharField(label="Name", help_text="As on your badge.")
    note = forms.CharField(label="Note", required=False)
    colour = forms.ChoiceField(label="Colour", widget=forms.RadioSelect,
                               choices=[("red", "Red"), ("blue", "Blue")])
    agree = forms.BooleanField(label="I agree")
    token = forms.CharField(widget=forms.HiddenInput, required=False)

    def clean(self):
        raise forms.ValidationError("The two dates are the wrong way round.")


def field_html(form: forms.Form, name: str) -> str:
    return render_to_string("includes/field.html", {"field": form[name]})


def test_an_error_is_the_element_the_input_is_described_by():
    form = Sample(data={"note": "x"})
    assert not form.is_valid()
    with translation.override("en"):
        rendered = field_html(form, "name")
    described = found(r'<input [^>]*aria-describedby="([^"]+)"', rendered, 1).split()
    assert described == ["id_name_helptext", "id_name_error"]
    assert re.search(r'<input [^>]*aria-invalid="true"', rendered)
    error = re.search(r'<strong class="error" id="id_name_error">(.*?)</strong>', rendered, re.S)
    assert error is not None
    assert "This field is required." in error.group(1)
    assert '<small id="id_name_helptext">As on your badge.</small>' in rendered


def test_a_valid_field_is_neither_invalid_nor_described_by_an_error():
    form = Sample(data={"name": "Ada", "note": "x"})
    form.is_valid()
    rendered = field_html(form, "name")
    assert "aria-invalid" not in rendered
    assert "id_name_error" not in rendered
    assert 'aria-describedby="id_name_helptext"' in rendered


def test_required_fields_are_marked_and_optional_ones_not():
    form = Sample()
    with translation.override("en"):
        required = field_html(form, "name")
        optional = field_html(form, "note")
        checkbox = field_html(form, "agree")
    assert re.search(r'<input [^>]*\brequired\b', required)
    assert re.search(r'<label for="id_name" class="required">Name</label>', required)
    assert 'class="required"' not in optional
    assert not re.search(r'<input [^>]*\brequired\b', optional)
    assert 'class="required"' in checkbox


def test_a_group_of_choices_is_a_fieldset_described_by_its_error():
    form = Sample(data={"name": "Ada"})
    form.is_valid()
    with translation.override("en"):
        rendered = field_html(form, "colour")
    opening = found(r"<fieldset [^>]*>", rendered)
    assert 'aria-describedby="id_colour_error"' in opening
    assert re.search(r'<input type="radio" [^>]*aria-invalid="true" id="id_colour_0">', rendered)
    assert '<legend class="required">Colour</legend>' in rendered
    assert 'id="id_colour_error"' in rendered
    # No <label for=…> pointing at the first radio only, and never a <div> inside a <p>.
    assert "<p" not in rendered.split("<fieldset", 1)[0]
    assert 'for="id_colour_0"' in rendered  # each option keeps its own label


def test_a_hidden_field_is_rendered_bare():
    rendered = field_html(Sample(), "token")
    assert rendered.strip() == '<input type="hidden" name="token" id="id_token">'


def test_the_summary_links_each_problem_to_its_field():
    form = Sample(data={"note": "x"})
    form.is_valid()
    with translation.override("en"):
        rendered = render_to_string("includes/form_errors.html", {"form": form})
    summary = found(r"<div [^>]*data-error-summary[^>]*>", rendered)
    assert 'id="form-error-summary"' in summary and 'tabindex="-1"' in summary
    assert 'aria-labelledby="form-error-summary-title"' in summary
    assert 'data-title-prefix="Error:"' in summary
    assert '<h2 id="form-error-summary-title">There is a problem</h2>' in rendered
    assert "<li>The two dates are the wrong way round.</li>" in rendered
    links = re.findall(r'<a href="#([^"]+)">([^<]+)</a>', rendered)
    assert links == [("id_name", "Name: This field is required."),
                     ("id_colour_0", "Colour: This field is required."),
                     ("id_agree", "I agree: This field is required.")]


def test_the_summary_is_named_by_the_form_prefix_and_absent_without_errors():
    form = Sample(data={}, prefix="plan")
    form.is_valid()
    rendered = render_to_string("includes/form_errors.html", {"form": form})
    assert 'id="plan-error-summary"' in rendered and 'href="#id_plan-name"' in rendered
    assert render_to_string("includes/form_errors.html", {"form": Sample()}).strip() == ""


def test_the_summary_and_error_prefix_speak_french():
    form = Sample(data={})
    form.is_valid()
    with translation.override("fr"):
        rendered = render_to_string("includes/form_errors.html", {"form": form})
        field = field_html(form, "name")
        expected = translation.gettext("Error:")
    assert f'data-title-prefix="{expected}"' in rendered
    assert f'<span class="visually-hidden">{expected} </span>' in field


def test_every_page_loads_the_accessibility_script_as_a_file():
    # Both page shells include includes/htmx.html in their <head>; the policy allows only files.
    rendered = render_to_string("includes/htmx.html")
    assert re.search(r'<script src="/static/phare/a11y\.js" defer></script>', rendered)
    assert not re.search(r"<script>(?!</script>)", rendered)
    for shell in ("core/templates/base.html", "listening/templates/listening/respond/base.html"):
        assert '{% include "includes/htmx.html" %}' in (TEMPLATES / shell).read_text()
    script = (TEMPLATES / "core" / "static" / "phare" / "a11y.js").read_text()
    assert "eval(" not in script and "new Function" not in script


@pytest.mark.parametrize("template", sorted(
    str(path.relative_to(TEMPLATES)) for path in TEMPLATES.glob("*/templates/**/*.html")))
def test_no_name_on_an_element_that_cannot_carry_one(template):
    # aria-label on a plain <span>/<div> (no role) is ignored by most screen readers (ARIA 1.2
    # prohibits it): show the text, or give the element a role that takes a name.
    text = (TEMPLATES / template).read_text()
    offending = [tag for tag in re.findall(r"<(?:span|div)\b[^>]*\baria-label=[^>]*>", text)
                 if "role=" not in tag]
    assert offending == []
