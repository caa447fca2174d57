"""Importing denialkit is cheap: no data, no plugins, no Jinja2, no pandas."""

from __future__ import annotations

import json
import subprocess
import sys

CHECK = """
import json, sys
import denialkit
heavy = ["jinja2", "pandas", "fpdf", "numpy", "importlib.metadata", "denialkit._tables",
         "denialkit.letters", "denialkit.templates", "denialkit.validation", "denialkit.remit",
         "denialkit.record"]
loaded = [m for m in heavy if m in sys.modules]
import denialkit.codes as codes
print(json.dumps({"loaded": loaded, "table_loaded": codes._DEFAULT is not None}))
"""


def test_import_loads_nothing_heavy() -> None:
    out = subprocess.run(
        [sys.executable, "-c", CHECK], capture_output=True, text=True, check=True
    ).stdout
    result = json.loads(out)
    assert result == {"loaded": [], "table_loaded": False}


def test_public_names_resolve_and_are_listed() -> None:
    import denialkit

    for name in denialkit.__all__:
        assert getattr(denialkit, name) is not None
    assert set(denialkit.__all__) <= set(dir(denialkit))
    assert {"remit", "record", "letters"} <= set(dir(denialkit))  # the public modules
    assert not {"Any", "TYPE_CHECKING", "annotations"} & set(dir(denialkit))
    assert isinstance(denialkit.__version__, str)


def test_unknown_attribute_is_an_attribute_error() -> None:
    import pytest

    import denialkit

    with pytest.raises(AttributeError, match="no_such_name"):
        denialkit.no_such_name  # type: ignore[attr-defined]


def _documented() -> tuple[list[object], set[str]]:
    """The modules docs/api.md documents with ``:members:`` (each object a documented module
    holds under a listed name) and the names documented with ``py:data``."""
    import importlib
    import re
    from pathlib import Path

    api = (Path(__file__).parent.parent / "docs" / "api.md").read_text(encoding="utf-8")
    objects: list[object] = []
    for m in re.finditer(r"\.\. automodule:: (\S+)\n((?:   :[^\n]*\n)*)", api):
        module = importlib.import_module(m.group(1))
        members = re.search(r":members:(.*)", m.group(2))
        if members is None:
            continue
        listed = [x.strip() for x in members.group(1).split(",") if x.strip()]
        objects += [getattr(module, n) for n in (listed or module.__all__)]
    data = set(re.findall(r"\.\. py:data:: denialkit\.(\w+)", api))
    return objects, data


def test_every_public_name_is_a_documented_function_class_or_constant() -> None:
    import inspect

    import denialkit

    objects, data = _documented()
    for name in denialkit.__all__:
        obj = getattr(denialkit, name)
        assert not inspect.ismodule(obj), f"{name} is a module, not an API name"
        if inspect.isclass(obj) or inspect.isfunction(obj):
            assert inspect.getdoc(obj), f"{name} has no docstring"
            assert any(obj is o for o in objects), f"{name} is not in docs/api.md"
        else:
            assert isinstance(obj, str | int | float | tuple | frozenset), name
            assert name in data, f"the constant {name} is not in docs/api.md"


def test_modules_are_attributes_but_not_api_names() -> None:
    import inspect

    import denialkit

    assert inspect.ismodule(denialkit.render)
    assert callable(denialkit.render.render)
    assert "render" not in denialkit.__all__
