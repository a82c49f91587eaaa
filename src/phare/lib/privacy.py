"""Personal data: what each app holds about a person, and how it is exported and erased.

Every app that keeps something about a person declares it in its ``AppConfig.ready()`` with
:func:`declare`: the model and field that hold it, the section of the person's archive it goes
to, and what erasing the person does to it. The privacy app (``phare.privacy``) reads these
declarations to build the archive of the right of access and to erase a person in one
transaction; its tests fail when a model points at a person or an account and nobody declared
what becomes of it.

How a holding is found from a person (``by``):

- ``person``: a foreign key (or one-to-one) to ``directory.Person``;
- ``user``: a foreign key to the person's account (``accounts.User``);
- ``email``: a text field holding the person's email address (compared case-blind);
- ``username``: a text field holding the account's username.

What erasing does (``erase``):

- :data:`DELETE`: the rows are deleted;
- :data:`DETACH`: the field is emptied (set to null or ``""``), the rows stay;
- :data:`KEEP`: the rows stay linked to the pseudonymised record (the directory record and the
  account survive an erasure, stripped of names, email and identifiers), so that counts and
  aggregates stay right; ``clear`` empties the fields that would still say who it was;
- :data:`CUSTOM`: the privacy app handles it by name (the directory record itself, the
  account, needs, the audit trail), a rule too particular for the three above.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from typing import Any, Final, Literal

DELETE: Final = "delete"
DETACH: Final = "detach"
KEEP: Final = "keep"
CUSTOM: Final = "custom"
#: A ``clear`` value replaced by the erased person's pseudonym ("Former employee #…").
PSEUDONYM = "\x00pseudonym"
Erase = Literal["delete", "detach", "keep", "custom"]
By = Literal["person", "user", "email", "username"]


@dataclass(frozen=True)
class Holding:
    """One place that holds something about a person."""

    model: str  # "app_label.ModelName"
    field: str
    by: By
    erase: Erase
    #: The archive's section (also the CSV's name): several holdings may share one.
    section: str
    #: Fields emptied on erasure (name → the value they get), for ``KEEP`` and ``DETACH``.
    clear: Mapping[str, Any] = dataclass_field(default_factory=dict)
    #: Fields left out of the archive (secrets such as token digests; the link itself).
    hidden: tuple[str, ...] = ()
    #: Whether the archive includes the rows (work records an account created are not about
    #: the person; the archive counts them only).
    export: bool = True

    @property
    def key(self) -> str:
        return f"{self.model}.{self.field}"


_HOLDINGS: dict[str, Holding] = {}


def declare(model: str, field: str, *, by: By, erase: Erase, section: str,
            clear: Mapping[str, Any] | None = None, hidden: tuple[str, ...] = (),
            export: bool = True) -> None:
    """Say that ``model.field`` holds something about a person (see the module's text)."""
    if by not in ("person", "user", "email", "username"):
        raise ValueError(f"{model}.{field}: by={by!r} is not person, user, email or username")
    if erase not in (DELETE, DETACH, KEEP, CUSTOM):
        raise ValueError(f"{model}.{field}: erase={erase!r} is not delete, detach, keep or custom")
    holding = Holding(model=model, field=field, by=by, erase=erase, section=section,
                      clear=dict(clear or {}), hidden=tuple(hidden), export=export)
    _HOLDINGS[holding.key] = holding


def holdings() -> list[Holding]:
    """Every declared holding, in the order of declaration (the apps' order)."""
    return list(_HOLDINGS.values())


def holding(key: str) -> Holding | None:
    return _HOLDINGS.get(key)
