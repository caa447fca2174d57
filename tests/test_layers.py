"""Imports run one way (DESIGN.md): no import circles, and remit/ stays about the 835.

The import graph is read from the source with :mod:`ast`, so an import inside a function
counts as much as one at the top of a module: a circle hidden in a function-level import
still means two modules are one thing, or a third is missing. Imports under
``if TYPE_CHECKING:`` are left out (they never run). An import of ``a.b.c`` is an edge to
``a.b.c`` only: Python runs a package's ``__init__`` before its modules, and that is not a
circle of ours; for the same reason ``from pkg import submodule`` is an edge to the
submodule only.
"""

from __future__ import annotations

import ast
import functools
from collections.abc import Iterator
from pathlib import Path

import pytest

import denialkit

SRC = Path(denialkit.__file__).parent

#: What remit/ must never import, at any level (also under TYPE_CHECKING).
REMIT_NEVER: tuple[str, ...] = (
    "denialkit.letters",
    "denialkit.templates",
    "denialkit.render",
    "denialkit.validation",
    "denialkit.batch",
    "denialkit.cli",
)


#: Modules remit/ may refer to from the denial items only (DenialItem.deadline, .explanations).
LOWER_REFERRED: frozenset[str] = frozenset({"denialkit.deadlines", "denialkit.knowledge"})


@functools.cache
def _modules() -> dict[str, tuple[Path, bool]]:
    out = {}
    for path in SRC.rglob("*.py"):
        parts = list(path.relative_to(SRC.parent).with_suffix("").parts)
        package = parts[-1] == "__init__"
        if package:
            parts.pop()
        out[".".join(parts)] = (path, package)
    return out


def _is_type_checking(node: ast.AST) -> bool:
    if not isinstance(node, ast.If):
        return False
    t = node.test
    return (isinstance(t, ast.Name) and t.id == "TYPE_CHECKING") or (
        isinstance(t, ast.Attribute) and t.attr == "TYPE_CHECKING"
    )


def _imports(
    name: str, package: bool, tree: ast.AST, *, typing_too: bool
) -> Iterator[tuple[str, list[str], ast.stmt]]:
    """``(module, names, node)`` for every import statement, with the class/function path
    it sits in."""

    def walk(node: ast.AST, where: list[str]) -> Iterator[tuple[str, list[str], ast.stmt]]:
        for child in ast.iter_child_nodes(node):
            if _is_type_checking(child) and not typing_too:
                assert isinstance(child, ast.If)
                for c in child.orelse:
                    yield from walk(ast.Module(body=[c], type_ignores=[]), where)
                continue
            if isinstance(child, ast.Import):
                for alias in child.names:
                    yield alias.name, where, child
            elif isinstance(child, ast.ImportFrom):
                if child.level:
                    base = name.split(".") if package else name.split(".")[:-1]
                    base = base[: len(base) - (child.level - 1)]
                    module = ".".join([*base, *([child.module] if child.module else [])])
                else:
                    module = child.module or ""
                # ``from pkg import submodule`` imports the submodule (and, as for any
                # submodule, runs the package first): an edge to the package only when a
                # name that is not a submodule comes from it
                subs = [f"{module}.{a.name}" for a in child.names]
                if not all(sub in _modules() for sub in subs):
                    yield module, where, child
                for sub in subs:
                    yield sub, where, child
            inner = where
            if isinstance(child, (ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
                inner = [*where, child.name]
            yield from walk(child, inner)

    yield from walk(tree, [])


def _graph() -> dict[str, set[str]]:
    modules = _modules()
    edges: dict[str, set[str]] = {}
    for name, (path, package) in modules.items():
        tree = ast.parse(path.read_text("utf-8"))
        edges[name] = {
            m
            for m, _, _ in _imports(name, package, tree, typing_too=False)
            if m in modules and m != name
        }
    return edges


def _circles(edges: dict[str, set[str]]) -> list[frozenset[str]]:
    """The strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on: set[str] = set()
    out: list[frozenset[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on.add(v)
        for w in sorted(edges[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = set()
            while True:
                w = stack.pop()
                on.discard(w)
                comp.add(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(frozenset(comp))

    for v in sorted(edges):
        if v not in index:
            visit(v)
    return out


def test_the_graph_sees_function_level_imports() -> None:
    edges = _graph()
    # ClaimPayment.to_claim imports remit._claim inside the method
    assert "denialkit.remit._claim" in edges["denialkit.remit._records"]
    # and a TYPE_CHECKING import is not an edge
    assert "denialkit.remit._records" not in edges["denialkit.remit._claim"]


def test_from_a_package_import_a_submodule_is_an_edge_to_the_submodule() -> None:
    tree = ast.parse("from . import _vocab, Validator\nfrom denialkit.remit import _claim\n")
    found = [m for m, _, _ in _imports("denialkit.validation.x", False, tree, typing_too=False)]
    assert found == [
        "denialkit.validation",  # Validator is a name, not a module
        "denialkit.validation._vocab",
        "denialkit.validation.Validator",
        "denialkit.remit._claim",
    ]


def test_the_circle_finder_finds_a_circle() -> None:
    edges = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert _circles(edges) == [frozenset({"a", "b", "c"})]
    assert _circles({"a": {"b"}, "b": set()}) == []


def test_no_import_circles() -> None:
    # the last one (codes <-> _tables) went when the code values moved to denialkit._code
    circles = [sorted(c) for c in _circles(_graph())]
    assert circles == [], f"import circles: {circles}"


@pytest.mark.parametrize("typing_too", [False, True])
def test_remit_never_imports_letters_templates_or_batch(typing_too: bool) -> None:
    found = []
    for name, (path, package) in _modules().items():
        if not name.startswith("denialkit.remit"):
            continue
        tree = ast.parse(path.read_text("utf-8"))
        for module, _, node in _imports(name, package, tree, typing_too=typing_too):
            if any(module == bad or module.startswith(bad + ".") for bad in REMIT_NEVER):
                found.append(f"{name}:{node.lineno} imports {module}")
    assert found == []


def test_remit_refers_to_deadlines_and_knowledge_through_denial_items_only() -> None:
    found = []
    for name, (path, package) in _modules().items():
        if not name.startswith("denialkit.remit"):
            continue
        tree = ast.parse(path.read_text("utf-8"))
        for module, where, node in _imports(name, package, tree, typing_too=False):
            lower = ".".join(module.split(".")[:2]) in LOWER_REFERRED
            in_item = name == "denialkit.remit._records" and where[:1] == ["DenialItem"]
            if lower and not in_item:
                found.append(f"{name}:{node.lineno} {'.'.join(where)} imports {module}")
    assert found == []
