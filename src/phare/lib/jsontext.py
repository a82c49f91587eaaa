"""JSON read from outside (API bodies, survey answers, imported files), depth checked first.

Python's parser recurses once per level: ``[[[[…`` a hundred thousand deep raises
``RecursionError`` (a server error) instead of a message. :func:`loads` measures the nesting
before parsing and raises :class:`JSONTooDeep` (a ``ValueError``) beyond ``MAX_DEPTH`` levels;
no document Phare reads (Qualtrics files included) comes near.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from typing import Any

from django.utils.translation import gettext as _

MAX_DEPTH = 64

# A complete JSON string (its brackets are not structure); unrolled to stay linear.
_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)
_NOT_BRACKET = re.compile(r"[^\[\]{}]+")


class JSONTooDeep(ValueError):
    """The document nests arrays and objects more than ``limit`` levels deep."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        super().__init__(_("The JSON is nested too deeply: more than %(limit)d levels.")
                         % {"limit": limit})


class NulCharacter(ValueError):
    """A string holds the NUL character (``\\u0000``), which PostgreSQL refuses in text and
    JSON: refused where it comes in, with where it was (``path``, e.g. ``services.2``)."""

    def __init__(self, path: str) -> None:
        self.path = path
        super().__init__(_("A NUL character (\\u0000) is not allowed in text: at %(path)s.")
                         % {"path": path or "the top"})


def nul_path(value: Any, path: str = "") -> str | None:
    """Where the first string (key or value) holding NUL is in ``value``, or ``None``."""
    if isinstance(value, str):
        return path if "\x00" in value else None
    items: Iterable[tuple[object, Any]]
    if isinstance(value, dict):
        items = value.items()
    elif isinstance(value, list):
        items = enumerate(value)
    else:
        return None
    for key, item in items:
        where = f"{path}.{key}" if path else str(key)
        if isinstance(key, str) and "\x00" in key:
            return where
        found = nul_path(item, where)
        if found is not None:
            return found
    return None


def depth_exceeds(text: str, limit: int) -> bool:
    """Whether arrays and objects nest more than ``limit`` levels (strings not counted)."""
    if text.count("[") + text.count("{") <= limit:
        return False
    depth = 0
    for char in _NOT_BRACKET.sub("", _STRING.sub("", text)):
        if char in "[{":
            depth += 1
            if depth > limit:
                return True
        else:
            depth -= 1
    return False


def loads(data: str | bytes, *, max_depth: int = MAX_DEPTH) -> Any:
    """``json.loads`` that raises :class:`JSONTooDeep` rather than recursing without end, and
    :class:`NulCharacter` for a string holding NUL.

    Other errors are ``json.loads``'s own (``JSONDecodeError`` with line and column,
    ``UnicodeDecodeError`` for bytes that are not text).
    """
    text = data.decode(json.detect_encoding(data)) if isinstance(data, bytes) else data
    if depth_exceeds(text, max_depth):
        raise JSONTooDeep(max_depth)
    try:
        value = json.loads(text)
    except RecursionError:  # only if the stack was already deep; the check above is the rule
        raise JSONTooDeep(max_depth) from None
    if "\\u0000" in text or "\x00" in text:
        where = nul_path(value)
        if where is not None:
            raise NulCharacter(where)
    return value
