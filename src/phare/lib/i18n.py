"""Language helpers shared by every app (model-free)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from django.conf.locale import LANG_INFO
from django.db.models import F, Value
from django.db.models.functions import Coalesce, NullIf
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString
from django.utils.translation import get_language, gettext

LANGUAGES = ("fr", "en")


def reader_language(language: str | None = None) -> str:
    """``language``, else the active one, as ``"fr"`` or ``"en"`` (French when unknown)."""
    code = (language or get_language() or "fr")[:2]
    return code if code in LANGUAGES else "fr"


def in_language(obj: object, field: str, language: str | None = None) -> str:
    """``obj.<field>_<language>``, falling back to the other language when empty."""
    return shown(obj, field, language).text


@dataclass(frozen=True)
class Shown:
    """A bilingual text as a reader gets it: the text, the language it is written in, and
    whether that is not the reader's (the other language stood in for an empty field)."""

    text: str
    language: str
    fallback: bool

    def __str__(self) -> str:
        return self.text


def bilingual(field: str) -> property:
    """A model's ``<field>`` in the reader's language (``<field>_fr``/``<field>_en``, the other
    one standing in for an empty one); assigning it sets the French one."""

    def read(obj: object) -> str:
        return in_language(obj, field)

    def write(obj: object, value: str) -> None:
        setattr(obj, f"{field}_fr", value)

    return property(read, write, doc=f"The {field} in the reader's language.")


def _field(obj: object, name: str) -> str:
    # Plain data (a question's options, a JSON row) is read by key, models by attribute.
    value = obj.get(name) if isinstance(obj, Mapping) else getattr(obj, name, "")
    return str(value or "")


def shown(obj: object, field: str, language: str | None = None) -> Shown:
    """``obj.<field>_<language>`` or, when empty, the other language's text marked as such
    (``obj`` a model or a mapping such as a question's option)."""
    language = reader_language(language)
    other = "en" if language == "fr" else "fr"
    text = _field(obj, f"{field}_{language}")
    if text:
        return Shown(text, language, False)
    text = _field(obj, f"{field}_{other}")
    return Shown(text, other, True) if text else Shown("", language, False)


def written(text: str, language: str, reader: str | None = None) -> Shown:
    """A text typed in one language only (a need, a comment): shown as written, marked when
    the reader reads the other language."""
    language = reader_language(language)
    return Shown(text, language, bool(text) and language != reader_language(reader))


def language_label(code: str) -> str:
    """A language's name in the interface's language (“German”, “allemand”)."""
    info = LANG_INFO.get(code) or {}
    name = gettext(str(info.get("name") or code))
    # French writes language names in lower case; Django's catalogue capitalises them.
    return name.lower() if (get_language() or "fr")[:2] == "fr" else name


def language_name(code: str) -> str:
    """“in French” / “in English” (or “in German”… for a survey's other languages), in the
    active language."""
    if code == "fr":
        return gettext("in French")
    if code == "en":
        return gettext("in English")
    return gettext("in %(language)s") % {"language": language_label(code)}


def marker(code: str) -> SafeString:
    """The visible “(in French)” / “(in English)” that follows a text standing in for the
    reader's language: words rather than a code, so that a screen reader says them too."""
    return format_html('<span class="lang-fallback muted">({})</span>', language_name(code))


def marked(value: Shown) -> SafeString:
    """``value`` as HTML: plain text in the reader's language; a fallback carries its ``lang``
    and a visible “(in French)” or “(in English)” that says which language stands in."""
    if not value.fallback:
        return format_html("{}", value.text)
    return format_html('<span lang="{}">{}</span> {}', value.language, value.text,
                       marker(value.language))


def marked_block(value: Shown, html: str) -> SafeString:
    """``html`` (``value``'s text already rendered, e.g. from Markdown) as a block: unchanged in
    the reader's language; a fallback wrapped in a ``div`` carrying its ``lang``, after a
    paragraph with the marker. ``html`` not marked safe is escaped, like any text."""
    if not value.fallback:
        return conditional_escape(html)
    return format_html('<div class="lang-fallback-block"><p>{}</p><div lang="{}">{}</div></div>',
                       marker(value.language), value.language, html)


def both(obj: object, field: str) -> dict[str, str]:
    """``{"fr": …, "en": …}``, each language falling back to the other (for texts written in
    several languages at once, such as emails)."""
    return {code: in_language(obj, field, code) for code in LANGUAGES}



def ordered_by(field: str, language: str | None = None) -> F | Coalesce:
    """An ``order_by`` expression for a bilingual field in the reader's language: English
    names sort by the English name (the French one when it has none), French ones by French."""
    if reader_language(language) == "fr":
        return F(f"{field}_fr")
    return Coalesce(NullIf(F(f"{field}_en"), Value("")), F(f"{field}_fr"))
