"""Template helpers of the catalogue: ``{% load catalog %}{{ service.description|markdown }}``."""

from __future__ import annotations

from django import template
from django.utils.safestring import SafeString

from phare.catalog.markdown import render_markdown

register = template.Library()


@register.filter(name="markdown")
def markdown_filter(text: str | None) -> SafeString:
    """Markdown rendered to sanitised HTML (raw HTML in the text is never rendered as tags)."""
    return render_markdown(str(text or ""))
