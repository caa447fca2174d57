"""JSON text to Python values, with decimals as ``Decimal`` and typed errors (private).

>>> loads(b'{"valueDecimal": 12.50}')
{'valueDecimal': Decimal('12.50')}
>>> loads(b'{"a": ')
Traceback (most recent call last):
...
denialkit.exceptions.RecordError: line 1: not valid JSON
"""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any, Final

from denialkit.exceptions import RecordError

__all__ = ["MAX_DEPTH", "loads"]

#: The deepest nesting the reader walks into (QuestionnaireResponse items, nested Bundles).
#: Real FHIR resources stay far below. Deeper JSON still parses only up to the interpreter's
#: recursion limit; beyond that it is refused as a RecordError at once.
MAX_DEPTH: Final = 64


def _bad_constant(name: str) -> Any:
    raise ValueError("NaN and Infinity are not JSON")


def loads(data: bytes | str, *, file: str | None = None, line: int | None = None) -> Any:
    """Parse one JSON text; decimals become ``Decimal``.

    Args:
        data: the JSON text (UTF-8 bytes, with or without a byte-order mark, or str).
        file: the file name, for errors.
        line: the line of an NDJSON file this text came from, for errors.

    Raises:
        RecordError: the text is not JSON, not UTF-8, or nested too deep to parse.
    """
    if isinstance(data, bytes) and data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return json.loads(data, parse_float=Decimal, parse_constant=_bad_constant)
    except UnicodeDecodeError:
        raise RecordError("not UTF-8 text", file=file, line=line) from None
    except json.JSONDecodeError as exc:
        raise RecordError(
            "not valid JSON", file=file, line=line if line is not None else exc.lineno
        ) from None
    except RecursionError:
        raise RecordError("nested too deep to be a FHIR resource", file=file, line=line) from None
    except ValueError:
        raise RecordError("not valid JSON", file=file, line=line) from None
