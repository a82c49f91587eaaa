"""Service texts written in Markdown, turned into HTML that is safe to show on any page.

The only module that imports markdown-it-py and nh3. Two layers, so that neither alone has to be
perfect: markdown-it renders CommonMark with raw HTML disabled (a ``<script>`` typed by an owner
comes out as text), then nh3 keeps only the tags and link schemes listed below.
"""

from __future__ import annotations

import nh3
from django.utils.safestring import SafeString, mark_safe
from markdown_it import MarkdownIt

ALLOWED_TAGS = frozenset({
    "p", "br", "strong", "em", "code", "pre", "ul", "ol", "li", "a", "blockquote", "h3", "h4",
    "table", "thead", "tbody", "tr", "th", "td", "hr",
})
ALLOWED_ATTRIBUTES = {"a": {"href"}}
URL_SCHEMES = frozenset({"http", "https", "mailto"})
# The page owns h1 and h2: a service text's "#" is an h3, "##" and deeper an h4.
HEADING_SHIFT, DEEPEST_HEADING = 2, 4

_parser = MarkdownIt("commonmark", {"html": False, "linkify": False}).enable("table")


def _only_absolute_links(tag: str, attribute: str, value: str) -> str | None:
    # nh3 checks the scheme of absolute URLs but lets relative ones through; a service text has
    # no use for links relative to whichever page happens to show it, so those go too.
    if tag == "a" and attribute == "href":
        scheme = value.split(":", 1)[0].lower() if ":" in value else ""
        return value if scheme in URL_SCHEMES else None
    return value


def render_markdown(text: str) -> SafeString:
    """``text`` (Markdown) as sanitised HTML, ready to insert in a template."""
    if not text:
        return mark_safe("")
    tokens = _parser.parse(text)
    for token in tokens:
        if token.type in ("heading_open", "heading_close"):
            level = min(int(token.tag[1]) + HEADING_SHIFT, DEEPEST_HEADING)
            token.tag = f"h{level}"
    html = _parser.renderer.render(tokens, _parser.options, {})
    cleaned = nh3.clean(
        html,
        tags=set(ALLOWED_TAGS),
        attributes={tag: set(names) for tag, names in ALLOWED_ATTRIBUTES.items()},
        url_schemes=set(URL_SCHEMES),
        attribute_filter=_only_absolute_links,
        link_rel="noopener noreferrer",
        strip_comments=True,
    )
    return mark_safe(cleaned)  # sanitised by nh3 just above
