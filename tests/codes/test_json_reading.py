"""The tables are read with CPython's C JSON scanner, and read exactly as ``json.loads``
reads them: the same values for every document, the same errors for broken ones."""

from __future__ import annotations

import json
import subprocess
import sys
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from denialkit._compat import json_loads

_SCALARS = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text()
_VALUES = st.recursive(
    _SCALARS,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=20,
)


@given(_VALUES, st.booleans(), st.sampled_from(["", "\n", " \r\n\t "]))
def test_every_document_reads_as_json_loads_reads_it(
    value: Any, ascii_only: bool, trailing: str
) -> None:
    raw = (json.dumps(value, ensure_ascii=ascii_only) + trailing).encode()
    assert json_loads(raw) == json.loads(raw)


@pytest.mark.parametrize(
    "raw",
    [
        b"",
        b"{",
        b'{"a" 1}',
        b'{"a": 1} x',
        b"[1, 2,]",
        b"\xff\xfe",
        b'{"a": "\xc3"}',
        b"  [1]",
        b"\xef\xbb\xbf[1]",
        b'{"n": NaN}',
        b'"\\ud800"',
    ],
)
def test_a_broken_or_unusual_document_gives_what_json_loads_gives(raw: bytes) -> None:
    try:
        expected: Any = json.loads(raw)
    except ValueError as exc:
        with pytest.raises(type(exc)):
            json_loads(raw)
    else:
        got = json_loads(raw)
        assert repr(got) == repr(expected)


def test_the_first_lookup_does_not_import_the_json_package() -> None:
    code = (
        "import sys, denialkit\n"
        "denialkit.lookup('CO-16'); denialkit.lookup('N290'); denialkit.lookup('CCM21')\n"
        "print(sorted(m for m in sys.modules if m == 'json' or m.startswith('json.')))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "[]"
