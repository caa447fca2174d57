"""record/ reads outside data into claim-shaped data: it imports claim, codes and exceptions,
never letters, templates, validation, render, remit, batch or the command line (DESIGN.md)."""

from __future__ import annotations

import ast
from pathlib import Path

import denialkit.record

NEVER = ("letters", "templates", "validation", "render", "remit", "batch", "cli", "_rules")


def test_record_imports_only_lower_floors() -> None:
    found = []
    for path in Path(denialkit.record.__file__).parent.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module:
                name = node.module if node.level == 0 else f"denialkit.record.{node.module}"
                if node.level == 2:
                    name = f"denialkit.{node.module}"
                found.append(name)
            elif isinstance(node, ast.Import):
                found += [a.name for a in node.names]
    ours = {n for n in found if n.startswith("denialkit.")}
    assert "denialkit.claim" in ours
    assert not [n for n in ours if n.split(".")[1] in NEVER]
