"""``{{ wave|bilingual:"name" }}``: a bilingual field in the reader's language, the other
language standing in for an empty one and marked as such (``lang`` and a visible
“(in French)”); ``{{ need.title|written_in:need.language }}``: a text typed in one language,
marked alike for readers of the other. A field rendered as a block (Markdown) is marked as a
block::

    {% with about=service|shown:"description" %}
      {{ about.text|markdown|shown_block:about }}
    {% endwith %}
"""

from __future__ import annotations

from django import template
from django.utils.safestring import SafeString

from phare.lib.i18n import Shown, marked, marked_block, shown, written

register = template.Library()


@register.filter
def bilingual(obj: object, field: str) -> SafeString:
    """``obj.<field>_fr`` / ``obj.<field>_en`` in the active language, a fallback marked."""
    return marked(shown(obj, field))


@register.filter
def written_in(text: object, language: str) -> SafeString:
    """``text`` as written in ``language``, marked when the reader reads the other one."""
    return marked(written(str(text or ""), language))


@register.filter(name="shown")
def shown_filter(obj: object, field: str) -> Shown:
    """``obj``'s bilingual ``field`` as the reader gets it (text, language, fallback), for a
    template that renders the text itself and then marks it with ``shown_block``."""
    return shown(obj, field)


@register.filter
def shown_block(html: str, value: Shown) -> SafeString:
    """``html``, the rendering of ``value``'s text, marked as a block when it is a fallback."""
    return marked_block(value, html)
