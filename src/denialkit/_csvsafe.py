"""CSV cells a spreadsheet will not run as formulas (private; ground floor).

Every CSV that denialkit writes (``remit --format csv``, the batch ``index.csv``,
``codes --format csv``, :func:`denialkit.remit.write_csv`) goes through :func:`csv_cell`, so
that text from a remittance, a code table or a claim can never become a formula when the file
is opened in Excel, LibreOffice or Google Sheets.

The rule follows the OWASP guidance on CSV injection: a text cell whose first character that
is not blank is one of ``= + - @`` (or their full-width forms), or that starts with a tab, a
carriage return or a line feed, gets a leading ``'``, which spreadsheets read as "this is
text" and do not show. Numbers are written as numbers and never prefixed: ``-2.00`` in an
amount column is the number minus two, not a formula, so a numeric column stays numeric. The
same characters in a text column (a claim number ``-2+3``) are text and are prefixed.
"""

from __future__ import annotations

import csv
import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date
from decimal import Decimal
from typing import Final, Protocol

__all__ = ["SupportsWrite", "csv_cell", "row_writer", "safe_text", "write_rows"]

#: The characters that make a spreadsheet read a cell as a formula (with their full-width
#: forms, which some spreadsheets convert).
_FORMULA: Final = frozenset("=+-@＝＋－＠")
_LEADING: Final = ("\t", "\r", "\n")


class SupportsWrite(Protocol):
    """A text stream: anything with ``write(str)``."""

    def write(self, s: str, /) -> object: ...


def safe_text(value: str) -> str:
    """``value`` as a CSV text cell a spreadsheet will not run as a formula.

    >>> safe_text('=HYPERLINK("http://x")'), safe_text(" =1+1"), safe_text("-2+3")
    ('\\'=HYPERLINK("http://x")', "' =1+1", "'-2+3")
    >>> safe_text("\\n=1+1"), safe_text("CO-45"), safe_text("")
    ("'\\n=1+1", 'CO-45', '')
    """
    if not value:
        return value
    if value.startswith(_LEADING):
        return "'" + value
    first = value.lstrip()[:1]
    if first and first in _FORMULA:
        return "'" + value
    return value


def csv_cell(value: object) -> str:
    """One value as a CSV cell: ``None`` as empty, numbers as numbers, dates as ISO dates,
    ``True``/``False`` as such, anything else as text made safe with :func:`safe_text`.

    >>> csv_cell(Decimal("-2.00")), csv_cell(None), csv_cell(date(2026, 4, 17)), csv_cell(-3)
    ('-2.00', '', '2026-04-17', '-3')
    >>> csv_cell("@SUM(1+1)")
    "'@SUM(1+1)"
    """
    if value is None:
        return ""
    if isinstance(value, (bool, int)):
        return str(value)
    if isinstance(value, Decimal) and value.is_finite():
        return str(value)
    if isinstance(value, float) and math.isfinite(value):
        return repr(value)
    if isinstance(value, date):
        return value.isoformat()
    return safe_text(str(value))


def write_rows(
    out: SupportsWrite, columns: Sequence[str], rows: Iterable[Mapping[str, object]]
) -> int:
    """Write a header and ``rows`` (missing keys empty) as CSV to ``out``; returns the number
    of rows written. Every cell goes through :func:`csv_cell`."""
    write = row_writer(out)
    write([safe_text(c) for c in columns])
    n = 0
    for row in rows:
        write([csv_cell(row.get(c)) for c in columns])
        n += 1
    return n


def row_writer(out: SupportsWrite) -> Callable[[Sequence[str]], object]:
    """A function that writes one row of cells to ``out``, lines ending with ``\n``.

    The :mod:`csv` module quotes a cell holding a line feed, but not one holding a bare
    carriage return when lines end with ``\n``; such a cell would split its row in two
    when read back. A row with one is written with every cell quoted.
    """
    plain = csv.writer(out, lineterminator="\n")
    quoted = csv.writer(out, lineterminator="\n", quoting=csv.QUOTE_ALL)

    def write(cells: Sequence[str]) -> object:
        if any("\r" in c for c in cells):
            return quoted.writerow(cells)
        return plain.writerow(cells)

    return write
