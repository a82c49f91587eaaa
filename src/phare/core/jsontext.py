"""JSON read from outside (API bodies, survey answers, imported files), depth checked first.

Python's parser recurses once per level: ``[[[[…`` a hundred thousand deep raises
``RecursionError`` (a server error) instead of a message. :func:`loads` measures the nesting
before parsing and raises :class:`JSONTooDeep` (a ``ValueError``) beyond ``MAX_DEPTH`` levels;
no document Phare reads (Qualtrics files included) comes near.
"""

from __future__ import annotations

import json
import re
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
    """``json.loads`` that raises :class:`JSONTooDeep` rather than recursing without end.

    Other errors are ``json.loads``'s own (``JSONDecodeError`` with line and column,
    ``UnicodeDecodeError`` for bytes that are not text).
    """
    text = data.decode(json.detect_encoding(data)) if isinstance(data, bytes) else data
    if depth_exceeds(text, max_depth):
        raise JSONTooDeep(max_depth)
    try:
        return json.loads(text)
    except RecursionError:  # only if the stack was already deep; the check above is the rule
        raise JSONTooDeep(max_depth) from None
