"""The validator's layout: rules live in modules by family, and imports run one way
(model <- analyses <- rules <- validator <- package), with no circle."""

from __future__ import annotations

import ast
import importlib.util
from pathlib import Path

import denialkit.validation as validation
from denialkit.validation import builtin_rules

PKG = Path(validation.__file__).parent
# each module may import only modules of a lower rank
RANK = {
    "_model": 0,
    "_vocab": 0,
    "_analysis": 1,
    "rules._registry": 2,
    "rules": 4,
    "_validator": 5,
    "": 6,
}
FAMILIES = {
    "required": "DK1",
    "identifiers": "DK2",
    "placeholders": "DK3",
    "dates": "DK4",
    "evidence": "DK5",
    "privacy": "DK6",
    "hygiene": "DK7",
    "medical_record": "DK8",
}


def _name(path: Path) -> str:
    rel = path.relative_to(PKG).with_suffix("")
    parts = [p for p in rel.parts if p != "__init__"]
    return ".".join(parts)


def _rank(name: str) -> int:
    if not name.startswith(("_", "rules")):
        return RANK[""]  # a public name of the package itself
    if name in RANK:
        return RANK[name]
    assert name.startswith("rules."), name
    return 3  # a family module


def _imports(path: Path) -> set[str]:
    """The modules of denialkit.validation that ``path`` imports (also inside functions)."""
    here = _name(path)
    package = here if path.name == "__init__.py" else here.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.Import):
            found.update(
                a.name.removeprefix("denialkit.validation.")
                for a in node.names
                if a.name.startswith("denialkit.validation.")
            )
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".") if package else []
                base = base[: len(base) - (node.level - 1)] if node.level > 1 else base
                mod = ".".join([*base, node.module] if node.module else base)
                if node.module is None:
                    found.update(f"{mod}.{a.name}".lstrip(".") for a in node.names)
                    continue
            elif node.module == "denialkit.validation":
                found.update(a.name for a in node.names)  # submodules, or the package
                continue
            elif node.module and node.module.startswith("denialkit.validation."):
                mod = node.module.removeprefix("denialkit.validation.")
            else:
                continue
            found.add(mod)
    return found


def test_imports_inside_validation_run_one_way() -> None:
    for path in PKG.rglob("*.py"):
        here = _name(path)
        for mod in _imports(path):
            if mod == here:
                continue
            assert _rank(mod) < _rank(here), f"{here} imports {mod}: imports must run one way"


def test_each_rule_lives_in_the_module_of_its_family() -> None:
    for rule in builtin_rules():
        fn = rule._fn  # type: ignore[attr-defined]
        family = fn.__module__.rpartition(".")[2]
        assert rule.id.startswith(FAMILIES[family]), (rule.id, family)


def test_every_family_module_exists() -> None:
    for family in FAMILIES:
        assert importlib.util.find_spec(f"denialkit.validation.rules.{family}") is not None
