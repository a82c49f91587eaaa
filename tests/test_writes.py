"""Writes happen in services: no ORM write in a view, API, query, form, template tag or figure
module (nor in the modules whose writes moved to services, so they stay out).

The check reads the code with ``ast`` (nothing is imported) and flags a call that writes rows:

- ``.bulk_create(``, ``.bulk_update(``, ``.get_or_create(``, ``.update_or_create(`` on anything
  (no other library in Phare has methods of these names);
- ``.save(`` and ``.delete(`` on anything (model instances, querysets, bound model forms),
  except ``form.save(commit=False)`` and the receivers of :data:`NOT_ROWS`, which store no row;
- ``.create(`` and ``.update(`` on what is recognisably a manager or queryset: a chain through
  ``.objects`` or a queryset method (``filter``, ``all``…), a related manager (``need.votes``),
  or a name bound to one of those — so ``dict.update`` and ``hashlib…update`` pass;
- ``.add(``, ``.remove(``, ``.set(``, ``.clear(`` on a related manager (``campaign.needs``) or
  on a queryset as above — so ``set.add`` passes.

Related managers are recognised by their names, read from the installed models. The check is
also run on a small made-up package that breaks the rule, so that it is known to fail.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable
from pathlib import Path

import pytest
from django.apps import apps

SOURCE = Path(__file__).resolve().parents[1] / "src" / "phare"

#: Modules that must not write, by file name and by folder name.
FILES = {"views.py", "api.py", "queries.py", "forms.py", "figures.py"}
FOLDERS = {"views", "api", "templatetags", "results"}
#: Modules whose writes moved to services, and read-only modules named otherwise: the rule
#: keeps them out.
MOVED = {"needs/arbitration.py", "catalog/content.py", "positioning/outputs.py",
         "positioning/answers.py"}

#: Other apps' modules that still write, while their owners move the writes to services: an
#: entry only ever goes, none is added. (When the check came in: listening/views/waves.py,
#: which deleted an OptOut; since moved.)
PENDING: set[str] = set()

ALWAYS = {"bulk_create", "bulk_update", "get_or_create", "update_or_create"}
ANY_RECEIVER = {"save", "delete"}
ON_QUERYSETS = {"create", "update"}
ON_RELATED = {"add", "remove", "set", "clear"}
QUERYSET_METHODS = {
    "all", "filter", "exclude", "select_related", "prefetch_related", "order_by", "annotate",
    "alias", "select_for_update", "only", "defer", "distinct", "none", "using", "reverse",
}
MANAGERS = {"objects", "_default_manager", "_base_manager"}
#: Receivers of ``.save``/``.delete`` that are not rows, each with why.
NOT_ROWS = {
    "router": "django-ninja's @router.delete(...) declares an endpoint",
    "api": "django-ninja's @api.delete(...) declares an endpoint",
    "cache": "a cache entry, not a row",
    "session": "the session store (its backend is chosen in settings)",
    "storage": "a file in a storage, not a row",
    "default_storage": "a file in a storage, not a row",
}


def checked(relative: Path) -> bool:
    """Whether a module (relative to the package root) is one that must not write."""
    return (relative.name in FILES or bool(FOLDERS & set(relative.parts[:-1]))
            or relative.as_posix() in MOVED)


def related_names() -> set[str]:
    """The names of every related manager of the installed models (``need.votes``,
    ``campaign.needs``…): many-to-many fields and reverse foreign keys."""
    names = set()
    for model in apps.get_models():
        for field in model._meta.get_fields(include_hidden=False):
            if field.many_to_many or field.one_to_many:
                names.add(field.get_accessor_name() if field.auto_created else field.name)
    return names


def _receiver_name(node: ast.expr) -> str:
    """The last name of a receiver: ``request.session`` → ``session``."""
    if isinstance(node, ast.Attribute):
        return node.attr
    if isinstance(node, ast.Name):
        return node.id
    return ""


class _Writes(ast.NodeVisitor):
    def __init__(self, related: set[str]) -> None:
        self.related = related
        self.bound: list[set[str]] = [set()]  # names bound to querysets, per function scope
        self.found: list[tuple[int, str]] = []

    def orm(self, node: ast.expr) -> bool:
        """Whether ``node`` is recognisably a manager, queryset or related manager."""
        while True:
            if isinstance(node, ast.Call):
                func = node.func
                if isinstance(func, ast.Attribute) and func.attr in QUERYSET_METHODS:
                    return True
                node = func
            elif isinstance(node, ast.Attribute):
                if node.attr in MANAGERS or node.attr in self.related:
                    return True
                node = node.value
            elif isinstance(node, ast.Subscript):
                node = node.value
            elif isinstance(node, ast.Name):
                return any(node.id in scope for scope in self.bound)
            else:
                return False

    def visit_FunctionDef(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        self.bound.append(set())
        self.generic_visit(node)
        self.bound.pop()

    visit_AsyncFunctionDef = visit_FunctionDef  # type: ignore[assignment]

    def _bind(self, targets: Iterable[ast.expr], value: ast.expr | None) -> None:
        for target in targets:
            if isinstance(target, ast.Name):
                if value is not None and self.orm(value):
                    self.bound[-1].add(target.id)
                else:
                    self.bound[-1].discard(target.id)

    def visit_Assign(self, node: ast.Assign) -> None:
        self.generic_visit(node)
        self._bind(node.targets, node.value)

    def visit_AnnAssign(self, node: ast.AnnAssign) -> None:
        self.generic_visit(node)
        self._bind([node.target], node.value)

    def visit_NamedExpr(self, node: ast.NamedExpr) -> None:
        self.generic_visit(node)
        self._bind([node.target], node.value)

    def visit_Call(self, node: ast.Call) -> None:
        self.generic_visit(node)
        func = node.func
        if not isinstance(func, ast.Attribute):
            return
        method, receiver = func.attr, func.value
        if method in ALWAYS:
            write = True
        elif method in ANY_RECEIVER:
            no_commit = any(k.arg == "commit" and isinstance(k.value, ast.Constant)
                            and k.value.value is False for k in node.keywords)
            write = not no_commit and _receiver_name(receiver) not in NOT_ROWS
        elif method in ON_QUERYSETS or method in ON_RELATED:
            write = self.orm(receiver)
        else:
            write = False
        if write:
            self.found.append((node.lineno, f"{ast.unparse(func)}("))


def writes_in(root: Path, related: set[str]) -> list[str]:
    """Every ORM write in a module that must not write, as ``file:line call``."""
    found = []
    for path in sorted(root.rglob("*.py")):
        relative = path.relative_to(root)
        if "migrations" in relative.parts or not checked(relative):
            continue
        visitor = _Writes(related)
        visitor.visit(ast.parse(path.read_text(), str(path)))
        found += [f"{relative.as_posix()}:{line} {call}" for line, call in visitor.found]
    return found


def test_it_writes_only_in_services():
    found = writes_in(SOURCE, related_names())
    late = [f for f in found if f.split(":")[0] not in PENDING]
    assert late == [], "move these writes to the app's services"


def test_it_keeps_the_pending_list_to_modules_that_still_write():
    writing = {f.split(":")[0] for f in writes_in(SOURCE, related_names())}
    assert PENDING - writing == set(), "take the fixed modules off PENDING"


def test_it_knows_the_related_managers_of_the_models():
    assert {"votes", "needs", "related", "commitments"} <= related_names()


# The check fails when the rule is broken: a made-up package with writes where they may not be,
# and look-alikes that are not writes.

@pytest.fixture
def broken(tmp_path: Path) -> Path:
    root = tmp_path / "phare"
    for name, text in {
        "shop/services.py": "def order_create():\n    Order.objects.create(total=1)\n",
        "shop/views/orders.py": (
            "def view(request, order):\n"
            "    order.save()\n"
            "    Order.objects.filter(pk=1).update(total=2)\n"
            "    found = Order.objects.filter(pk=1)\n"
            "    found.delete()\n"
            "    order.lines.add(1)\n"
            "    Line.objects.get_or_create(order=order)\n"
            "    form.save()\n"
        ),
        "shop/api.py": (
            "@router.delete('/orders/{pk}')\n"
            "def remove(request, pk):\n"
            "    context = {}\n"
            "    context.update(a=1)\n"
            "    seen = set()\n"
            "    seen.add(1)\n"
            "    hashlib.sha256().update(b'')\n"
            "    draft = form.save(commit=False)\n"
            "    request.session.delete()\n"
            "    cache.delete('key')\n"
            "    Order.objects.bulk_create([])\n"
        ),
        "shop/templatetags/shop.py": "def tag(order):\n    order.lines.all().delete()\n",
        "shop/queries.py": "def orders():\n    rows = Order.objects.all()\n    rows.update(x=1)\n",
        "shop/figures.py": "def chart(order):\n    order.lines.create(n=1)\n",
    }.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)
    return root


def test_it_finds_writes_outside_services_and_only_writes(broken: Path):
    assert writes_in(broken, {"lines"}) == [
        "shop/api.py:11 Order.objects.bulk_create(",
        "shop/figures.py:2 order.lines.create(",
        "shop/queries.py:3 rows.update(",
        "shop/templatetags/shop.py:2 order.lines.all().delete(",
        "shop/views/orders.py:2 order.save(",
        "shop/views/orders.py:3 Order.objects.filter(pk=1).update(",
        "shop/views/orders.py:5 found.delete(",
        "shop/views/orders.py:6 order.lines.add(",
        "shop/views/orders.py:7 Line.objects.get_or_create(",
        "shop/views/orders.py:8 form.save(",
    ]
