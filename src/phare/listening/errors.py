"""The refusals of the listening domain, shared by services, queries, forms, pages and the API.

They sit apart from :mod:`.services` so that reads (:mod:`.queries`) and the builder's helpers
can refuse with the same error without importing the writes.
"""

from __future__ import annotations


class ListeningError(ValueError):
    """A refused change, with the field it concerns (for forms and the API)."""

    def __init__(self, message: str, *, field: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class AlreadyAnswered(ListeningError):
    """The invitation's survey was already answered: the earlier response stands."""


class WaveConflict(ListeningError):
    """The wave is not in a state that allows this (already launched, closed…): the API
    answers 409 rather than 422."""
