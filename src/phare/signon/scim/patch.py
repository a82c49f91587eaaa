"""PATCH (RFC 7644 §3.5.2) applied to a resource as a dict, before it is written like a PUT.

The operations Entra ID and Okta send: ``add``, ``replace`` and ``remove`` in any case
(Entra writes ``Replace``), with a path (``active``, ``name.givenName``,
``emails[type eq "work"].value``, ``urn:…:enterprise:2.0:User:manager``,
``members[value eq "…"]``) or without one (a value object whose keys are paths, as Okta's
``{"op": "replace", "value": {"active": false}}``).
"""

from __future__ import annotations

import copy
from collections.abc import Iterable, Mapping
from typing import Any

from django.utils.translation import gettext as _

from phare.signon.scim.errors import ScimError
from phare.signon.scim.filters import Compare, Logical, Path, get, matches, parse_path

PATCH_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:PatchOp"
MAX_OPERATIONS = 1000


def bad(detail: str, scim_type: str = "invalidValue") -> ScimError:
    return ScimError(400, detail, scim_type)


def apply(resource: dict[str, Any], body: Any, *, core: str, extensions: Iterable[str],
          read_only: Iterable[str] = ()) -> dict[str, Any]:
    """``resource`` once the PatchOp ``body``'s operations are applied, in order."""
    if not isinstance(body, Mapping):
        raise bad(_("the body must be a JSON object"), "invalidSyntax")
    schemas = get(body, "schemas")
    if not isinstance(schemas, list) or PATCH_SCHEMA.lower() not in {
            str(s).lower() for s in schemas}:
        raise bad(_("schemas must list %(schema)s") % {"schema": PATCH_SCHEMA}, "invalidSyntax")
    operations = get(body, "Operations")
    if not isinstance(operations, list) or not operations:
        raise bad(_("Operations must be a non-empty list"), "invalidSyntax")
    if len(operations) > MAX_OPERATIONS:
        raise ScimError(413, _("more than %(limit)d operations") % {"limit": MAX_OPERATIONS},
                        "tooMany")
    patcher = _Patcher(copy.deepcopy(resource), core, list(extensions), set(read_only))
    for number, operation in enumerate(operations, start=1):
        patcher.operation(number, operation)
    return patcher.resource


class _Patcher:
    def __init__(self, resource: dict[str, Any], core: str, extensions: list[str],
                 read_only: set[str]) -> None:
        self.resource, self.core, self.extensions = resource, core, extensions
        self.read_only = {name.lower() for name in read_only}

    def operation(self, number: int, operation: Any) -> None:
        where = _("operation %(number)d") % {"number": number}
        if not isinstance(operation, Mapping):
            raise bad(_("%(where)s must be an object") % {"where": where}, "invalidSyntax")
        op = str(get(operation, "op") or "").lower()
        if op not in {"add", "replace", "remove"}:
            raise bad(_("%(where)s: op must be add, replace or remove, not '%(op)s'")
                      % {"where": where, "op": get(operation, "op")}, "invalidSyntax")
        raw_path = get(operation, "path")
        value = get(operation, "value")
        if raw_path in (None, ""):
            if op == "remove":
                raise ScimError(400, _("%(where)s: remove needs a path") % {"where": where},
                                "noTarget")
            if not isinstance(value, Mapping):
                raise bad(_("%(where)s: without a path, the value must be an object")
                          % {"where": where})
            for key, item in value.items():
                if key.lower() in {e.lower() for e in self.extensions} and isinstance(
                        item, Mapping):
                    for name, inner in item.items():
                        self.at(op, f"{key}:{name}", inner, where)
                else:
                    self.at(op, key, item, where)
            return
        if not isinstance(raw_path, str):
            raise bad(_("%(where)s: path must be a string") % {"where": where}, "invalidPath")
        if op != "remove" and value is None and "value" not in {k.lower() for k in operation}:
            raise bad(_("%(where)s: %(op)s needs a value") % {"where": where, "op": op})
        self.at(op, raw_path, value, where)

    def at(self, op: str, raw_path: str, value: Any, where: str) -> None:
        if raw_path.lower() in {e.lower() for e in self.extensions}:
            # The extension as a whole: its attributes one by one.
            if op == "remove":
                self._container(raw_path.lower(), create=False, pop=True)
                return
            if not isinstance(value, Mapping):
                raise bad(_("%(where)s: %(path)s takes an object") % {
                    "where": where, "path": raw_path})
            for name, inner in value.items():
                self.at(op, f"{raw_path}:{name}", inner, where)
            return
        path = parse_path(raw_path, self.core)
        if path.urn and path.urn not in {e.lower() for e in self.extensions}:
            raise bad(_("%(where)s: unknown schema in path %(path)s")
                      % {"where": where, "path": raw_path}, "invalidPath")
        if path.attr.lower() in self.read_only:
            return  # id, meta, groups…: the server's, silently kept (RFC 7644 §3.5.2)
        container = self._container(path.urn, create=op != "remove")
        if container is None:
            return
        key = _key(container, path.attr)
        if path.where is not None:
            self._filtered(op, container, key, path, value, where)
        elif path.sub:
            self._sub(op, container, key, path.sub, value)
        elif op == "remove":
            if value is not None and isinstance(container.get(key), list):
                drop = {_item_value(v) for v in (value if isinstance(value, list) else [value])}
                container[key] = [v for v in container[key] if _item_value(v) not in drop]
            else:
                container.pop(key, None)
        elif op == "add" and isinstance(container.get(key), list):
            added = value if isinstance(value, list) else [value]
            known = {_item_value(v) for v in container[key]}
            container[key] += [v for v in added if _item_value(v) not in known]
        elif op == "add" and isinstance(container.get(key), dict) and isinstance(value, Mapping):
            container[key].update(value)
        else:
            container[key] = value

    def _container(self, urn: str, *, create: bool, pop: bool = False) -> dict[str, Any] | None:
        if not urn:
            return self.resource
        key = next((k for k in self.resource if k.lower() == urn), None)
        if pop:
            if key is not None:
                self.resource.pop(key)
            return None
        if key is None:
            if not create:
                return None
            key = next(e for e in self.extensions if e.lower() == urn)
            self.resource[key] = {}
        return self.resource[key]

    def _sub(self, op: str, container: dict[str, Any], key: str, sub: str, value: Any) -> None:
        current = container.get(key)
        targets = current if isinstance(current, list) else [current]
        if current is None:
            if op == "remove":
                return
            container[key] = {}
            targets = [container[key]]
        for target in targets:
            if isinstance(target, dict):
                sub_key = _key(target, sub)
                if op == "remove":
                    target.pop(sub_key, None)
                else:
                    target[sub_key] = value

    def _filtered(self, op: str, container: dict[str, Any], key: str, path: Path, value: Any,
                  where: str) -> None:
        assert path.where is not None
        items = container.get(key) or []
        if not isinstance(items, list):
            items = [items]
        chosen = [item for item in items if matches(path.where, item)]
        if op == "remove":
            if path.sub:
                for item in chosen:
                    item.pop(_key(item, path.sub), None)
            else:
                container[key] = [item for item in items if item not in chosen]
            return
        if not chosen:
            # Entra ID adds an email as ``emails[type eq "work"].value``: a new value, made of
            # the filter's equalities and the value given.
            new = _equalities(path.where)
            if new is None:
                raise ScimError(400, _("%(where)s: no value of %(attribute)s matches the path's "
                                       "filter") % {"where": where, "attribute": path.attr},
                                "noTarget")
            if path.sub:
                new[path.sub] = value
            elif isinstance(value, Mapping):
                new.update(value)
            items.append(new)
            container[key] = items
            return
        for item in chosen:
            if path.sub:
                item[_key(item, path.sub)] = value
            elif isinstance(value, Mapping):
                item.update(value)


def _key(container: Mapping[str, Any], name: str) -> str:
    return next((k for k in container if k.lower() == name.lower()), name)


def _item_value(item: Any) -> Any:
    value = get(item, "value") if isinstance(item, Mapping) else item
    return str(value) if value is not None else None


def _equalities(node: Any) -> dict[str, Any] | None:
    if isinstance(node, Compare) and node.op == "eq" and not node.path.sub:
        return {node.path.attr: node.value}
    if isinstance(node, Logical) and node.op == "and":
        left, right = _equalities(node.left), _equalities(node.right)
        if left is not None and right is not None:
            return {**left, **right}
    return None
