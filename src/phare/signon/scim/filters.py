"""SCIM's filter language (RFC 7644 §3.4.2.2): parsed once, then turned into an ORM ``Q`` (lists)
or matched against a value (PATCH paths such as ``emails[type eq "work"].value``).

The grammar: ``attrPath op value``, ``attrPath pr``, ``attr[filter]``, ``and``, ``or``,
``not (…)`` and parentheses, with ``not`` binding tighter than ``and``, ``and`` than ``or``.
Entra ID's ``emails[type eq "work"].value eq "…"`` (a value path followed by a sub-attribute,
outside the RFC's grammar) is read as "an email of type work whose value is …". Attribute
names and operators are case-blind; a URN prefix (``urn:…:enterprise:2.0:User:employeeNumber``)
names the schema. Anything else answers 400 ``invalidFilter`` saying what and where.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from django.db.models import Q
from django.utils.translation import gettext as _

from phare.signon.scim.errors import ScimError

COMPARE = {"eq", "ne", "co", "sw", "ew", "gt", "lt", "ge", "le"}
MAX_LENGTH = 2000
_TOKEN = re.compile(r'\s*(?:(?P<string>"(?:[^"\\]|\\.)*")|(?P<punct>[()\[\]])|'
                    r'(?P<word>[^\s()\[\]"]+))')


@dataclass(frozen=True)
class Path:
    """``urn:…:attr[filter].sub``; ``urn`` lower case ("" for the resource's core schema),
    ``attr`` and ``sub`` as written."""

    urn: str
    attr: str
    sub: str = ""
    where: Node | None = None

    @property
    def key(self) -> str:
        """``attr`` or ``attr.sub``, lower case, with its URN if any: how fields are looked up."""
        name = f"{self.attr}.{self.sub}" if self.sub else self.attr
        return f"{self.urn}:{name}".lower() if self.urn else name.lower()

    def __str__(self) -> str:
        text = f"{self.urn}:{self.attr}" if self.urn else self.attr
        return text + ("[…]" if self.where else "") + (f".{self.sub}" if self.sub else "")


@dataclass(frozen=True)
class Compare:
    path: Path
    op: str  # one of COMPARE, or "pr"
    value: Any = None


@dataclass(frozen=True)
class Logical:
    op: str  # "and", "or"
    left: Node
    right: Node


@dataclass(frozen=True)
class Not:
    inner: Node


@dataclass(frozen=True)
class Within:
    """``attr[filter]`` alone: some value of ``attr`` matches ``filter``."""

    path: Path


Node = Compare | Logical | Not | Within


def invalid(detail: str) -> ScimError:
    return ScimError(400, detail, "invalidFilter")


def split_urn(word: str, core: str = "") -> tuple[str, str]:
    """``urn:…:User:employeeNumber`` → (``urn:…:user``, ``employeeNumber``); the resource's core
    schema URN (``core``) counts as none."""
    if not word.lower().startswith("urn:"):
        return "", word
    urn, _sep, rest = word.rpartition(":")
    urn = urn.lower()
    return ("" if urn == core.lower() else urn), rest


class _Parser:
    def __init__(self, text: str, core: str, error: Callable[[str], ScimError]) -> None:
        self.text, self.core, self.error = text, core, error
        self.tokens: list[tuple[str, str, int]] = []
        position = 0
        stripped = text.rstrip()
        while position < len(stripped):
            match = _TOKEN.match(stripped, position)
            if match is None or match.end() == position:
                raise error(_("cannot read the filter at character %(at)d: %(text)s")
                            % {"at": position + 1, "text": text})
            kind = match.lastgroup or "word"
            self.tokens.append((kind, match.group(kind), match.start(kind)))
            position = match.end()
        self.at = 0

    def peek(self, offset: int = 0) -> tuple[str, str, int] | None:
        index = self.at + offset
        return self.tokens[index] if index < len(self.tokens) else None

    def take(self) -> tuple[str, str, int]:
        token = self.peek()
        if token is None:
            raise self.error(_("the filter ends too early: %(text)s") % {"text": self.text})
        self.at += 1
        return token

    def expect(self, punct: str) -> None:
        kind, value, where = self.take()
        if kind != "punct" or value != punct:
            raise self.error(_("'%(expected)s' expected at character %(at)d, found '%(found)s'")
                             % {"expected": punct, "at": where + 1, "found": value})

    def is_word(self, *words: str) -> bool:
        token = self.peek()
        return token is not None and token[0] == "word" and token[1].lower() in words

    def done(self) -> None:
        token = self.peek()
        if token is not None:
            raise self.error(_("unexpected '%(found)s' at character %(at)d")
                             % {"found": token[1], "at": token[2] + 1})

    # FILTER = term ("or" term)*; term = factor ("and" factor)*
    def filter(self) -> Node:
        node = self.term()
        while self.is_word("or"):
            self.take()
            node = Logical("or", node, self.term())
        return node

    def term(self) -> Node:
        node = self.factor()
        while self.is_word("and"):
            self.take()
            node = Logical("and", node, self.factor())
        return node

    def factor(self) -> Node:
        token = self.peek()
        if token is not None and token[:2] == ("punct", "("):
            self.take()
            node = self.filter()
            self.expect(")")
            return node
        if self.is_word("not") and (self.peek(1) or ("", "", 0))[:2] == ("punct", "("):
            self.take()
            self.take()
            node = self.filter()
            self.expect(")")
            return Not(node)
        path = self.path()
        if path.where is not None and not self.is_word(*COMPARE, "pr"):
            if path.sub:
                raise self.error(_("an operator is expected after %(path)s") % {"path": path})
            return Within(path)
        kind, op, where = self.take()
        op = op.lower()
        if kind != "word" or op not in COMPARE | {"pr"}:
            raise self.error(_("'%(found)s' at character %(at)d is not an operator (eq, ne, co, "
                               "sw, ew, gt, lt, ge, le, pr)") % {"found": op, "at": where + 1})
        if op == "pr":
            return Compare(path, "pr")
        return Compare(path, op, self.value())

    def path(self) -> Path:
        kind, word, where = self.take()
        if kind != "word":
            raise self.error(_("an attribute name is expected at character %(at)d, found "
                               "'%(found)s'") % {"at": where + 1, "found": word})
        urn, name = split_urn(word, self.core)
        attr, _dot, sub = name.partition(".")
        if not re.fullmatch(r"[A-Za-z$][\w$-]*", attr) or (sub and not re.fullmatch(
                r"[A-Za-z$][\w$-]*", sub)):
            raise self.error(_("'%(found)s' is not an attribute name") % {"found": word})
        where_node = None
        token = self.peek()
        if token is not None and token[:2] == ("punct", "["):
            if sub:
                raise self.error(_("'%(found)s' is not an attribute name") % {"found": word})
            self.take()
            where_node = self.filter()
            self.expect("]")
            token = self.peek()
            if token is not None and token[0] == "word" and token[1].startswith("."):
                self.take()
                sub = token[1][1:]
                if not re.fullmatch(r"[A-Za-z$][\w$-]*", sub):
                    raise self.error(_("'%(found)s' is not an attribute name")
                                     % {"found": token[1]})
        return Path(urn, attr, sub, where_node)

    def value(self) -> Any:
        kind, word, where = self.take()
        if kind == "string":
            try:
                return json.loads(word)
            except ValueError:
                raise self.error(_("the string at character %(at)d is not valid")
                                 % {"at": where + 1}) from None
        lowered = word.lower()
        if kind == "word" and lowered in {"true", "false", "null"}:
            return {"true": True, "false": False, "null": None}[lowered]
        if kind == "word" and re.fullmatch(r"-?\d+(\.\d+)?([eE][-+]?\d+)?", word):
            return json.loads(word)
        raise self.error(_("'%(found)s' at character %(at)d is not a value: strings go in "
                           "double quotes") % {"found": word, "at": where + 1})


def parse(text: str, core: str = "") -> Node:
    """The filter ``text`` as a tree, or ScimError 400 ``invalidFilter``."""
    if len(text) > MAX_LENGTH:
        raise invalid(_("the filter is longer than %(limit)d characters") % {"limit": MAX_LENGTH})
    if not text.strip():
        raise invalid(_("the filter is empty"))
    parser = _Parser(text, core, invalid)
    node = parser.filter()
    parser.done()
    return node


def parse_path(text: str, core: str = "",
               error: Callable[[str], ScimError] | None = None) -> Path:
    """A PATCH path (``members[value eq "1"]``, ``name.givenName``, ``urn:…:manager``)."""
    parser = _Parser(text, core, error or (lambda detail: ScimError(400, detail, "invalidPath")))
    path = parser.path()
    parser.done()
    return path


# --- to the ORM ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class Field:
    """What a filter attribute is in the database: a lookup, or a value every row shares (an
    email's ``type`` is always ``work``). ``kind``: string, boolean, id or datetime."""

    lookup: str = ""
    case_exact: bool = False
    kind: str = "string"
    constant: Any = None


def to_q(node: Node, fields: Mapping[str, Field], prefix: str = "") -> Q:
    """The rows ``node`` selects, through ``fields`` (attribute key → Field)."""
    if isinstance(node, Logical):
        left, right = to_q(node.left, fields, prefix), to_q(node.right, fields, prefix)
        return left & right if node.op == "and" else left | right
    if isinstance(node, Not):
        return ~to_q(node.inner, fields, prefix)
    if isinstance(node, Within):
        return _within(node.path, fields, prefix)
    if node.path.where is not None:
        inner = Compare(Path(node.path.urn, node.path.sub or "value"), node.op, node.value)
        return _within(node.path, fields, prefix) & to_q(inner, fields, _prefix(node.path))
    return _compare(node, _field(node.path, fields, prefix))


def _prefix(path: Path) -> str:
    return (f"{path.urn}:{path.attr}" if path.urn else path.attr).lower() + "."


def _within(path: Path, fields: Mapping[str, Field], prefix: str) -> Q:
    assert path.where is not None
    return to_q(path.where, fields, prefix + _prefix(path))


def _field(path: Path, fields: Mapping[str, Field], prefix: str) -> Field:
    key = prefix + path.key if prefix else path.key
    if key not in fields and not path.sub and f"{key}.value" in fields:
        key = f"{key}.value"  # emails eq "x": the values of a multi-valued attribute
    field = fields.get(key)
    if field is None:
        raise invalid(_("'%(attribute)s' cannot be filtered on; the attributes are: %(names)s")
                      % {"attribute": key, "names": ", ".join(sorted(fields))})
    return field


NOTHING = Q(pk__in=[])


def _compare(node: Compare, field: Field) -> Q:
    op, value = node.op, node.value
    if field.lookup == "":
        return Q() if compare(op, field.constant, value) else NOTHING
    if op == "pr":
        present = ~Q(**{f"{field.lookup}__isnull": True})
        return present & ~Q(**{field.lookup: ""}) if field.kind == "string" else present
    if value is None:
        if op not in {"eq", "ne"}:
            raise invalid(_("'%(attribute)s %(op)s null': null only compares with eq and ne")
                          % {"attribute": node.path, "op": op})
        absent = _compare(Compare(node.path, "pr"), field)
        return absent if op == "ne" else ~absent
    if field.kind == "boolean":
        if not isinstance(value, bool) or op not in {"eq", "ne"}:
            raise invalid(_("'%(attribute)s' is true or false, compared with eq or ne")
                          % {"attribute": node.path})
        q = Q(**{field.lookup: value})
        return ~q if op == "ne" else q
    if field.kind == "id":
        if not (isinstance(value, str) and value.isdigit() and len(value) < 19):
            return NOTHING if op == "eq" else Q() if op == "ne" else NOTHING
        if op not in {"eq", "ne"}:
            raise invalid(_("'%(attribute)s' compares with eq or ne") % {"attribute": node.path})
        q = Q(**{field.lookup: int(value)})
        return ~q if op == "ne" else q
    if not isinstance(value, str):
        raise invalid(_("'%(attribute)s' is compared with a string in double quotes")
                      % {"attribute": node.path})
    exact = field.case_exact or field.kind == "datetime"
    lookup = {"eq": "exact", "ne": "exact", "co": "contains", "sw": "startswith",
              "ew": "endswith", "gt": "gt", "lt": "lt", "ge": "gte", "le": "lte"}[op]
    if not exact and lookup in {"exact", "contains", "startswith", "endswith"}:
        lookup = "i" + lookup
    q = Q(**{f"{field.lookup}__{lookup}": value})
    return ~q if op == "ne" else q


# --- on values (PATCH paths) -------------------------------------------------------------------

def get(mapping: Mapping[str, Any], name: str) -> Any:
    """``mapping[name]`` with SCIM's case-blind attribute names; None when absent."""
    for key, value in mapping.items():
        if key.lower() == name.lower():
            return value
    return None


def matches(node: Node, element: Any) -> bool:
    """Whether a value of a multi-valued attribute (``{"type": "work", "value": …}``) matches."""
    if isinstance(node, Logical):
        if node.op == "and":
            return matches(node.left, element) and matches(node.right, element)
        return matches(node.left, element) or matches(node.right, element)
    if isinstance(node, Not):
        return not matches(node.inner, element)
    if not isinstance(element, Mapping):
        return False
    if isinstance(node, Within):
        inner = get(element, node.path.attr)
        values = inner if isinstance(inner, list) else [inner]
        return any(matches(node.path.where, value) for value in values)  # type: ignore[arg-type]
    value = get(element, node.path.attr)
    if node.path.sub:
        value = get(value, node.path.sub) if isinstance(value, Mapping) else None
    return compare(node.op, value, node.value)


def compare(op: str, actual: Any, expected: Any) -> bool:
    if op == "pr":
        return actual not in (None, "", [], {})
    if isinstance(actual, str) and isinstance(expected, str):
        actual, expected = actual.lower(), expected.lower()
    elif isinstance(actual, bool) and isinstance(expected, str):
        actual = str(actual).lower()
        expected = expected.lower()
    if op in {"eq", "ne"}:
        return (actual == expected) == (op == "eq")
    if not isinstance(actual, str) or not isinstance(expected, str):
        try:
            return {"gt": actual > expected, "lt": actual < expected, "ge": actual >= expected,
                    "le": actual <= expected}.get(op, False)
        except TypeError:
            return False
    return {"co": expected in actual, "sw": actual.startswith(expected),
            "ew": actual.endswith(expected), "gt": actual > expected, "lt": actual < expected,
            "ge": actual >= expected, "le": actual <= expected}[op]
