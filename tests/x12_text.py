"""Small 835 files written in tests: the envelope around a transaction set's segments.

Shared by the test modules that build 835 text by hand (``tests/remit/test_variants*.py``);
on the test path through ``pythonpath`` in pyproject.toml, like ``payloads.py``.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from typing import Any

#: The ISA of every file built here: ``*`` elements, ``^`` repetitions, ``:`` components.
ISA = (
    "ISA*00*          *00*          *ZZ*PAYERX         *ZZ*CLINICY        *261201*1200*"
    "^*00501*000000101*0*P*:"
)


def envelope(segments: list[str]) -> bytes:
    """One interchange, one group and one 835 (ST to SE) holding ``segments``, each ended by
    ``~`` and a line break, in Latin-1."""
    st = ["ST*835*0001*005010X221A1", *segments]
    segs = [
        ISA,
        "GS*HP*PAYERX*CLINICY*20261201*1200*1*X*005010X221A1",
        *st,
        f"SE*{len(st) + 1}*0001",
        "GE*1*1",
        "IEA*1*000000101",
    ]
    return "".join(s + "~\n" for s in segs).encode("latin-1")


def quiet(fn: Callable[..., Any], *args: Any, **kw: Any) -> Any:
    """``fn(*args, **kw)`` with its warnings silenced."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return fn(*args, **kw)
