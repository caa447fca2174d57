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
    assert isinstance(denialkit.__version__, str)


def test_unknown_attribute_is_an_attribute_error() -> None:
    import pytest

    import denialkit

    with pytest.raises(AttributeError, match="no_such_name"):
        denialkit.no_such_name  # type: ignore[attr-defined]
