"""The main navigation's entries: each app registers its own in ``AppConfig.ready()``.

``core/navigation.py`` shows a signed-in user the entries their role may open; the views
still check on the server (hiding a link is never the protection).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.functional import Promise


@dataclass(frozen=True)
class NavEntry:
    label: str | Promise
    url_name: str
    roles: frozenset[str]
    #: Place in the menu, smallest first (the shell's "Home" is 0).
    position: int


_ENTRIES: dict[str, NavEntry] = {}


def register(label: str | Promise, url_name: str, roles: Iterable[str], *, position: int) -> None:
    """Add a menu entry to the page ``url_name`` for users holding one of ``roles``."""
    _ENTRIES[url_name] = NavEntry(label, url_name, frozenset(roles), position)


def entries() -> list[NavEntry]:
    """Every registered entry, in menu order."""
    return sorted(_ENTRIES.values(), key=lambda entry: (entry.position, entry.url_name))
