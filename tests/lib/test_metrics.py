"""The metrics registry: one name, one definition and one way of writing each metric."""

from __future__ import annotations

import re

import pytest
from django.template import Context, Template
from django.utils import translation
from django.utils.formats import get_format
from django.utils.functional import Promise

from phare.lib.metrics import METRICS, UNIT_LABELS, format_value, metric

NBSP, NNBSP = "\u00a0", "\u202f"
REQUIRED = ("nps", "ticket_happiness", "csat", "lost_time", "response_rate", "answers",
            "adoption", "active_users", "needs_answered", "cost_per_user", "licence_use",
            "reach")


def test_it_holds_every_metric_with_its_words_in_english():
    assert set(REQUIRED) <= set(METRICS)
    with translation.override("en"):
        for key, spec in METRICS.items():
            assert spec.key == key and metric(key) is spec
            for text in (spec.name, spec.short, spec.definition, spec.computation, spec.where):
                # Translated when read (lazily), not when the module was imported.
                assert isinstance(text, Promise), (key, text)
                assert str(text).strip(), (key, text)
            assert str(spec.definition).endswith("."), key
            assert spec.unit in UNIT_LABELS and spec.decimals >= 0
            assert spec.higher_is_better in (True, False, None)
    # One name per metric: no two metrics share a name.
    with translation.override("en"):
        names = [str(m.name) for m in METRICS.values()]
    assert len(names) == len(set(names))


def test_it_names_an_unknown_key():
    with pytest.raises(KeyError, match="unknown metric 'npss'"):
        metric("npss")


@pytest.mark.parametrize(("key", "value", "options", "french", "english"), [
    ("response_rate", 12.34, {"decimals": 1}, f"12,3{NNBSP}%", "12.3%"),
    ("response_rate", 12.5, {}, f"13{NNBSP}%", "13%"),  # half up, as floatformat
    ("nps", -4.14, {"decimals": 1}, "−4,1", "−4.1"),
    ("nps", 23.4, {}, "23", "23"),
    ("nps", 23.4, {"signed": True}, "+23", "+23"),
    ("nps", -0.4, {}, "0", "0"),  # no sign on a value that rounds to zero
    ("answers", 1234, {}, "1_234", "1,234"),
    ("answers", 7380, {}, "7_380", "7,380"),
    ("lost_time", 3.0197, {}, f"3,0{NBSP}h", f"3.0{NBSP}h"),
    ("lost_time", 0.75, {}, f"45{NBSP}min", f"45{NBSP}min"),
    ("lost_time", 0.999, {}, f"1,0{NBSP}h", f"1.0{NBSP}h"),  # never "60 min"
    ("lost_time_total", 1839.5, {}, f"1_840{NBSP}h", f"1,840{NBSP}h"),
    ("cost_per_user", 12.4, {}, f"12{NBSP}€", "€12"),
    ("adoption", 61.04, {}, f"61{NNBSP}%", "61%"),
    ("csat", None, {}, "—", "—"),
])
def test_it_writes_values_in_each_language(key, value, options, french, english):
    # "_": French thousands separator, whichever space the French number format uses.
    french = french.replace("_", get_format("THOUSAND_SEPARATOR", lang="fr"))
    assert format_value(key, value, "fr", **options) == french
    assert format_value(key, value, "en", **options) == english
    # Without a language: the active one.
    with translation.override("en"):
        assert format_value(key, value, **options) == english


def test_its_tags_write_the_name_with_its_definition_and_the_value(english):
    html = Template('{% load metrics %}<p>{% metric "nps" %} {% metric "nps" short=True %} '
                    '{% metric_value "response_rate" 0.374 ratio=True %} '
                    '{% metric_value "nps" -3.2 %} {{ "csat"|metric_name }}</p>'
                    ).render(Context({}))
    spans = re.findall(r'<span class="metric" data-metric="nps"><a class="metric-name" '
                       r'href="/glossary/#nps" aria-describedby="([\w-]+)">([^<]+)</a>'
                       r'<span class="metric-tip" role="tooltip" id="([\w-]+)">([^<]+)</span>',
                       html)
    assert [(name, described == tip) for described, name, tip, _d in spans] == [
        ("Net Promoter Score", True), ("NPS", True)]
    # Two uses of one metric on a page: two tooltips, two ids.
    assert spans[0][0] != spans[1][0]
    assert spans[0][3].startswith("How many people would recommend")
    assert "37%" in html and "−3" in html and "Customer satisfaction</p>" in html


def test_its_tag_writes_french_when_the_page_is_in_french():
    with translation.override("fr"):
        html = Template('{% load metrics %}{% metric_value "answers" 7373 %}'
                        ).render(Context({}))
    assert html == "7" + get_format("THOUSAND_SEPARATOR", lang="fr") + "373"
