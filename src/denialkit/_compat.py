"""Small compatibility shims (private): reading package data, and ``date`` for the tables.

Package data is read through the standard library. :func:`files` is
:func:`importlib.resources.files`, which does all denialkit needs from Python 3.11 on
(``joinpath``, ``read_bytes``, ``iterdir``, ``is_file``, in a folder or a zip); the
``importlib_resources`` backport is not needed (importing it cost the first lookup about 14 ms
on 3.11). It is imported when first called, because ``importlib.resources`` itself brings in
``pathlib`` and ``tempfile``, which cost the first lookup more than decoding every table.

:func:`read_package_file` reads one file of a regular package through its loader's
``get_data`` (the PEP 302 resource API that ``pkgutil.get_data`` wraps), which works from a
folder, an installed wheel or a zip and imports nothing; a loader without ``get_data`` falls
back to :func:`files`.

:class:`date` is :class:`datetime.date`, imported from CPython's C module ``_datetime``
where there is one: it is the very class ``datetime.date`` is (the ``datetime`` module
re-exports it), but on Python 3.11 ``import datetime`` first runs the whole pure-Python
implementation and then replaces it with the C one, which cost the first lookup about 1.5 ms.
Python 3.12 moved that implementation to ``_pydatetime``, imported only without the C module.

:func:`json_loads` is :func:`json.loads` for the tables. A well-formed document, as every
shipped table is, is read by CPython's C scanner (``_json.make_scanner``, the one
``json.loads`` itself runs), which spares the first lookup the import of the ``json`` package
(its decoder, encoder and five regular expressions: about an eighth of what denialkit adds
to ``import attrs``). Anything the scanner does not read whole goes to :func:`json.loads`,
whose result or error is the one given, so the two never differ.

>>> import datetime
>>> date is datetime.date
True
"""

from __future__ import annotations

import importlib
import os
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from datetime import date
    from importlib.resources.abc import Traversable
else:
    try:
        from _datetime import date
    except ImportError:  # pragma: no cover - an interpreter without CPython's C module
        from datetime import date

_make_scanner: Any
try:
    from _json import make_scanner as _make_scanner
except ImportError:  # pragma: no cover - an interpreter without CPython's C module
    _make_scanner = None

__all__ = ["date", "files", "json_loads", "read_package_file"]


class _StrictJSON:
    """The settings ``_json.make_scanner`` reads, as ``json.loads`` has them by default,
    except that ``NaN`` and ``Infinity`` stop the scan (and go to ``json.loads``)."""

    strict = True
    object_hook = None
    object_pairs_hook = None
    parse_float = float
    parse_int = int

    @staticmethod
    def parse_constant(name: str) -> Any:
        raise ValueError(f"{name} is not standard JSON")


_SCAN: Any = _make_scanner(_StrictJSON) if _make_scanner is not None else None
_BLANK = " \t\n\r"


def json_loads(raw: bytes) -> Any:
    """The value of the JSON document ``raw`` (UTF-8), as :func:`json.loads` gives it.

    >>> json_loads(b'{"code": "16", "rows": [1, 2.5, null]} ')
    {'code': '16', 'rows': [1, 2.5, None]}

    Raises:
        ValueError: ``raw`` is not a JSON document (the error :func:`json.loads` raises,
            a ``json.JSONDecodeError``, or a ``UnicodeDecodeError``).
    """
    if _SCAN is not None:
        try:
            text = raw.decode()
            value, end = _SCAN(text, 0)
        except Exception:  # json.loads below gives the error
            pass
        else:
            if end == len(text) or not text[end:].strip(_BLANK):
                return value
    import json

    return json.loads(raw)


def files(package: str) -> Traversable:
    """:func:`importlib.resources.files`, imported on first use."""
    from importlib.resources import files as _files

    return _files(package)


def read_package_file(package: str, name: str) -> bytes:
    """The bytes of the file ``name`` in the regular package ``package``.

    ``name`` may lead through folders with ``/`` (``"_data/carc.json"``): a data folder
    needs no ``__init__.py`` of its own, nor an import, to be read.

    Raises:
        OSError: the file cannot be read (missing, unreadable).
    """
    spec = importlib.import_module(package).__spec__
    loader = spec.loader if spec is not None else None
    origin = spec.origin if spec is not None else None
    get_data = getattr(loader, "get_data", None)
    if get_data is None or origin is None:
        return files(package).joinpath(name).read_bytes()
    data: bytes = get_data(os.path.join(os.path.dirname(origin), name))
    return data
