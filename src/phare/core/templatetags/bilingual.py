"""``{{ wave|bilingual:"name" }}``: a bilingual field in the reader's language, the other
language standing in for an empty one and marked as such (``lang`` and a discreet “(FR)”);
``{{ need.title|written_in:need.language }}``: a text typed in one language, marked alike for
readers of the other."""

from __future__ import annotations

from django import template
from django.utils.safestring import SafeString

from phare.lib.i18n import marked, shown, written

register = template.Library()


@register.filter
def bilingual(obj: object, field: str) -> SafeString:
    """``obj.<field>_fr`` / ``obj.<field>_en`` in the active language, a fallback marked."""
    return marked(shown(obj, field))


@register.filter
def written_in(text: object, language: str) -> SafeString:
    """``text`` as written in ``language``, marked when the reader reads the other one."""
    return marked(written(str(text or ""), language))
