"""The app graph of docs/ARCHITECTURE.md, checked on the source: each app imports only the apps
below it, the graph has no cycle, and no import of another app hides inside a function.

The checks read the code with ``ast`` (nothing is imported), and each is also run on a small
made-up package that breaks its rule, so that a check that could never fail is caught too.
"""

from __future__ import annotations

import ast
import functools
from collections.abc import Sequence
from dataclasses import dataclass
from graphlib import CycleError, TopologicalSorter
from pathlib import Path

import pytest

SOURCE = Path(__file__).resolve().parents[1] / "src" / "phare"

#: What each part of Phare may import. Model-free code at the bottom (``lib``, ``analysis``),
#: then the domain apps, each above what it builds on; ``core`` (the shell) and the project's
#: modules (settings, urls, the API root, the command line) sit on top and may import any app.
#: A new app adds its line here and in docs/ARCHITECTURE.md's diagram.
ALLOWED: dict[str, set[str]] = {
    "env": set(),
    "lib": set(),
    "analysis": set(),
    "accounts": {"lib"},
    "audit": {"lib", "accounts"},
    "jobs": {"lib", "accounts", "audit"},
    "directory": {"lib", "accounts", "audit", "jobs"},
    "contact": {"lib", "accounts", "audit", "jobs", "directory"},
    "signon": {"lib", "accounts", "audit", "jobs", "directory"},
    "catalog": {"lib", "accounts", "audit", "jobs", "directory"},
    "listening": {"lib", "analysis", "accounts", "audit", "jobs", "directory", "catalog",
                  "contact"},
    "tickets": {"lib", "analysis", "accounts", "audit", "jobs", "directory", "catalog", "contact",
                "listening"},
    "needs": {"lib", "analysis", "accounts", "audit", "jobs", "directory", "catalog"},
    "usage": {"lib", "analysis", "accounts", "audit", "jobs", "directory", "catalog"},
    "insights": {"lib", "analysis", "accounts", "audit", "jobs", "directory", "catalog",
                 "listening", "tickets", "needs", "usage"},
    "comms": {"lib", "analysis", "accounts", "audit", "jobs", "directory", "contact", "catalog",
              "listening", "tickets", "needs", "usage", "insights"},
    "positioning": {"lib", "analysis", "accounts", "audit", "jobs", "directory", "contact",
                    "catalog", "listening", "tickets", "needs", "usage", "insights", "comms"},
    "reports": {"lib", "analysis", "accounts", "audit", "jobs", "directory", "contact", "catalog",
                "listening", "tickets", "needs", "usage", "insights", "comms", "positioning"},
    "privacy": {"lib", "analysis", "accounts", "audit", "jobs", "directory", "contact", "catalog",
                "listening", "tickets", "needs", "usage", "insights", "comms", "positioning",
                "reports", "core"},
}
TOP = {"core", "api", "urls", "wsgi", "settings", "cli", "__init__", "__main__", "testing",
       "formats"}


@dataclass(frozen=True)
class Import:
    module: str  # the importing file, relative to the package root
    part: str  # the importing app (or top-level module)
    target: str  # the imported app
    line: int
    in_function: bool


def _part(relative: Path) -> str:
    return relative.parts[0] if len(relative.parts) > 1 else relative.stem


def _imports_of(tree: ast.Module) -> list[tuple[str, int, bool]]:
    """``(module, line, inside a function)`` for every absolute import in the file."""
    found: list[tuple[str, int, bool]] = []

    def visit(node: ast.AST, in_function: bool) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.ImportFrom) and child.level == 0 and child.module:
                names = [child.module] + [f"{child.module}.{alias.name}" for alias in child.names]
                found.append((names[0] if child.module != "phare" else names[1], child.lineno,
                              in_function))
            elif isinstance(child, ast.Import):
                found.extend((alias.name, child.lineno, in_function) for alias in child.names)
            visit(child, in_function or isinstance(child, (ast.FunctionDef,
                                                            ast.AsyncFunctionDef, ast.Lambda)))

    visit(tree, False)
    return found


def phare_imports(root: Path) -> list[Import]:
    """Every import of one part of the package by another (migrations left out: Django
    writes them)."""
    result = []
    for path in sorted(root.rglob("*.py")):
        relative = path.relative_to(root)
        if "migrations" in relative.parts:
            continue
        part = _part(relative)
        for module, line, in_function in _imports_of(ast.parse(path.read_text(), str(path))):
            pieces = module.split(".")
            if pieces[0] != root.name or len(pieces) < 2 or pieces[1] == part:
                continue
            result.append(Import(str(relative), part, pieces[1], line, in_function))
    return result


@functools.cache
def source_imports() -> tuple[Import, ...]:
    """:func:`phare_imports` of the package, read once for the module's checks."""
    return tuple(phare_imports(SOURCE))


def forbidden(imports: Sequence[Import], allowed: dict[str, set[str]]) -> list[str]:
    """The imports that go up or sideways in the graph, as ``file:line imports app``."""
    return [f"{i.module}:{i.line} imports {i.target}" for i in imports
            if i.part not in TOP and i.target not in allowed.get(i.part, set())]


def hidden(imports: Sequence[Import]) -> list[str]:
    """Imports of another app inside a function: the usual way to dodge a cycle. An app's
    ``apps.py`` may import its own modules in ``ready()``, which is not checked here."""
    return [f"{i.module}:{i.line} imports {i.target} inside a function"
            for i in imports if i.in_function]


def test_it_lets_each_app_import_only_the_apps_below_it():
    assert forbidden(source_imports(), ALLOWED) == []


def test_it_knows_every_part_of_the_package():
    parts = {_part(path.relative_to(SOURCE)) for path in SOURCE.rglob("*.py")}
    parts |= {path.name for path in SOURCE.iterdir() if path.is_dir() and
              any(path.glob("*.py"))}
    assert parts - set(ALLOWED) - TOP == set(), "add the new app to ALLOWED (and the docs)"


def test_it_has_no_cycle_in_the_allowed_graph():
    list(TopologicalSorter(ALLOWED).static_order())  # raises CycleError on a cycle


def test_it_hides_no_import_of_another_app_inside_a_function():
    assert hidden(source_imports()) == []


def test_it_keeps_lib_and_analysis_free_of_models_and_apps():
    for part in ("lib", "analysis"):
        for path in (SOURCE / part).rglob("*.py"):
            text = path.read_text()
            assert "models.Model" not in text, path
            assert "from django.db import models" not in text, path
    analysis = [i for i in source_imports() if i.part == "analysis"]
    assert analysis == []
    for path in (SOURCE / "analysis").rglob("*.py"):
        assert not any(module.split(".")[0] == "django"
                       for module, _line, _inside in _imports_of(ast.parse(path.read_text()))), \
            path


# The checks fail when the rule is broken: a made-up package with one of each fault.

@pytest.fixture
def broken(tmp_path: Path) -> Path:
    root = tmp_path / "phare"
    for app, text in {
        "lib/__init__.py": "",
        "lib/text.py": "from phare.catalog.models import Service\n",
        "catalog/__init__.py": "",
        "catalog/models.py": "from phare.lib import text\n",
        "catalog/views.py": "def view():\n    from phare.insights import value\n",
        "insights/__init__.py": "",
        "insights/value.py": "from phare.catalog import models\n",
    }.items():
        (root / app).parent.mkdir(parents=True, exist_ok=True)
        (root / app).write_text(text)
    return root


def test_it_finds_an_import_that_goes_up_or_hides_in_a_function(broken: Path):
    imports = phare_imports(broken)
    allowed = {"lib": set(), "catalog": {"lib"}, "insights": {"lib", "catalog"}}
    assert forbidden(imports, allowed) == ["catalog/views.py:2 imports insights",
                                           "lib/text.py:1 imports catalog"]
    assert hidden(imports) == ["catalog/views.py:2 imports insights inside a function"]


def test_it_finds_a_cycle_in_a_graph():
    with pytest.raises(CycleError):
        list(TopologicalSorter({"catalog": {"insights"}, "insights": {"catalog"}}).static_order())


# Tests share data through factories: a test module imports helpers from its own or another
# app's ``factories.py`` (or the root ``tests.conftest``), never from another test module or
# conftest, which pytest then imports twice and whose fixtures it registers again.

TESTS = Path(__file__).resolve().parent

#: Shared helper modules that are not named ``factories``: the role matrix's objects.
TEST_HELPERS = {"tests.role_matrix_objects"}


def _module_of(path: Path, root: Path) -> str:
    parts = path.relative_to(root.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _allowed_test_import(name: str, root: str) -> bool:
    return (name.split(".")[0] != root or name.rpartition(".")[2] == "factories"
            or name == f"{root}.conftest" or name in TEST_HELPERS)


def cross_test_imports(root: Path) -> list[str]:
    """``path:line imports module`` for each import, in the ``tests`` package at ``root``, of a
    module of that package that is not a ``factories`` module, ``tests.conftest`` or a helper."""
    found = []
    for path in sorted(root.rglob("*.py")):
        module = _module_of(path, root)
        package = module if path.name == "__init__.py" else module.rpartition(".")[0]
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Import):
                wrong = [a.name for a in node.names if not _allowed_test_import(a.name, root.name)]
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    above = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                    base = f"{above}.{node.module}" if node.module else above
                # ``from tests.needs import factories`` imports a factories module too.
                wrong = [base if node.module else f"{base}.{a.name}" for a in node.names
                         if not (_allowed_test_import(base, root.name)
                                 or _allowed_test_import(f"{base}.{a.name}", root.name))]
                wrong = wrong if not node.module else wrong[:1]
            else:
                continue
            found += [f"{path.relative_to(root).as_posix()}:{node.lineno} imports {name}"
                      for name in wrong]
    return found


def test_no_test_module_imports_another_but_its_factories():
    assert cross_test_imports(TESTS) == []


def test_it_finds_an_import_from_another_test_module_or_conftest(tmp_path: Path):
    root = tmp_path / "tests"
    for name, text in {
        "__init__.py": "",
        "conftest.py": "from tests.needs.factories import make_need\n",
        "needs/__init__.py": "",
        "needs/factories.py": "from tests.catalog.factories import make_service\n",
        "needs/conftest.py": "from tests.needs import factories\n",
        "needs/test_votes.py": "from tests.needs.conftest import make_need\n"
                               "from tests.conftest import PASSWORD\n"
                               "from .factories import make_need\n"
                               "from . import test_pages\n",
        "needs/test_pages.py": "def helper():\n    from tests.needs.test_votes import fill\n"
                               "import tests.catalog.conftest\n"
                               "from phare.needs import services\n",
    }.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)
    assert sorted(cross_test_imports(root)) == [
        "needs/test_pages.py:2 imports tests.needs.test_votes",
        "needs/test_pages.py:3 imports tests.catalog.conftest",
        "needs/test_votes.py:1 imports tests.needs.conftest",
        "needs/test_votes.py:4 imports tests.needs.test_pages",
    ]
