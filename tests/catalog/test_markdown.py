"""Service texts in Markdown: rendered, and harmless whatever an owner types."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
from django.template import Context, Template
from django.utils.safestring import SafeString

from phare.catalog.markdown import render_markdown


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, {name: value or "" for name, value in attrs}))


def tags(html: str) -> list[tuple[str, dict[str, str]]]:
    """The elements a browser would build from ``html``: (tag, attributes)."""
    parser = _Tags()
    parser.feed(html)
    return parser.tags


def test_it_renders_script_tags_inert():
    html = render_markdown("Bonjour <script>alert(1)</script>\n\n<SCRIPT>alert(2)</SCRIPT>")
    assert "<script" not in html.lower()
    assert [tag for tag, _attrs in tags(html)] == ["p", "p"]
    assert "Bonjour" in html


def test_it_drops_event_handlers_of_raw_images():
    html = render_markdown("<img src=x onerror=alert(1)> ![x](https://example.com/x.png)")
    assert not [attrs for _tag, attrs in tags(html) if any(n.startswith("on") for n in attrs)]
    assert "img" not in [tag for tag, _attrs in tags(html)]


@pytest.mark.parametrize("url", [
    "javascript:alert(1)", "JaVaScRiPt:alert(1)", "  javascript:alert(1)",
    "java&#x73;cript:alert(1)", "vbscript:msgbox(1)",
])
def test_it_never_links_to_scripts(url):
    html = render_markdown(f"[x]({url}) <{url}>")
    assert [tag for tag, _attrs in tags(html)] == ["p"]
    assert "href" not in html


def test_it_does_not_render_raw_links_as_tags():
    html = render_markdown('<a href="https://example.com" onclick="steal()">here</a>')
    assert [tag for tag, _attrs in tags(html)] == ["p"]
    assert "&lt;a" in html


def test_it_drops_data_urls():
    html = render_markdown("[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)")
    assert 'href="data:' not in html
    assert "a" not in [tag for tag, _attrs in tags(html)]


def test_it_drops_links_that_are_not_absolute_web_or_mail_links():
    html = render_markdown("[relative](/admin/) [ftp](ftp://files.example.com/a)")
    assert "href" not in html


def test_it_renders_everyday_markdown():
    html = render_markdown(
        "Le **VPN** se lance *seul*.\n\n"
        "- Ouvrez [le portail](https://servicedesk.example.com/vpn)\n"
        "- Tapez `forticlient`\n\n"
        "1. un\n2. deux\n\n"
        "> Astuce\n\n"
        "Écrivez à [l'assistance](mailto:support@example.com).\n\n"
        "```\nping intranet\n```\n\n"
        "| Site | Débit |\n|---|---|\n| Paris | 1 Gb/s |\n\n---\n"
    )
    assert "<strong>VPN</strong>" in html
    assert "<em>seul</em>" in html
    assert '<a href="https://servicedesk.example.com/vpn" rel="noopener noreferrer">' in html
    assert '<a href="mailto:support@example.com" rel="noopener noreferrer">' in html
    assert "<code>forticlient</code>" in html
    assert "<ul>" in html and "<ol>" in html and "<li>" in html
    assert "<blockquote>" in html
    assert "<pre><code>ping intranet\n</code></pre>" in html
    assert "<table>" in html and "<th>Site</th>" in html and "<td>Paris</td>" in html
    assert "<hr" in html


def test_it_drops_table_alignment_styles():
    html = render_markdown("| a | b |\n|:--|--:|\n| 1 | 2 |")
    assert "<td>1</td>" in html
    assert all(not attrs for _tag, attrs in tags(html))


def test_it_demotes_headings_below_the_page_headings():
    html = render_markdown("# Un\n\n## Deux\n\n### Trois\n\n###### Six")
    assert "<h3>Un</h3>" in html
    assert "<h4>Deux</h4>" in html
    assert "<h4>Trois</h4>" in html
    assert "<h4>Six</h4>" in html
    assert "<h1" not in html and "<h2" not in html and "<h5" not in html and "<h6" not in html


def test_it_returns_safe_html_and_nothing_for_empty_text():
    assert isinstance(render_markdown("*a*"), SafeString)
    assert render_markdown("") == ""


def test_it_is_available_as_a_template_filter():
    template = Template("{% load catalog %}{{ text|markdown }}")
    html = template.render(Context({"text": "**gras** <b>brut</b>"}))
    assert "<strong>gras</strong>" in html
    assert "&lt;b&gt;brut&lt;/b&gt;" in html
    assert template.render(Context({"text": None})) == ""
