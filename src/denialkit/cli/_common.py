"""What every command module shares: the usage error and argument types."""

from __future__ import annotations

import argparse
import re
from datetime import date
from typing import Final

__all__ = ["UsageError", "iso_date", "terminal"]

#: What a terminal would act on: C0 and C1 controls (ESC starts escape sequences, BEL, CR
#: and backspace overwrite), DEL, the Unicode line separators, and the bidi controls that
#: reorder what is shown (Trojan Source).
_TERMINAL: Final = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def terminal(text: str, *, lines: bool = True) -> str:
    """Terminal output's one neutraliser: every control character shows as a visible escape.

    ``lines=True`` keeps newlines (and tabs) for multi-line output such as ``explain``;
    ``lines=False`` escapes them too, for one cell of a table.

    >>> terminal("CLP\\x1b]0;PWNED\\x07\\x1b[2J")
    'CLP\\\\x1b]0;PWNED\\\\x07\\\\x1b[2J'
    >>> terminal("a\\nb\\tc"), terminal("a\\nb", lines=False)
    ('a\\nb\\tc', 'a\\\\nb')
    """
    return _TERMINAL.sub(lambda m: _visible(m.group(), lines), text)


_NAMED: Final = {"\n": "\\n", "\t": "\\t", "\r": "\\r"}


def _visible(ch: str, lines: bool) -> str:
    if lines and ch in "\n\t":
        return ch
    if ch in _NAMED:
        return _NAMED[ch]
    code = ord(ch)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


class UsageError(Exception):
    """A command-line argument is wrong (exit status 2)."""


def iso_date(text: str) -> date:
    """argparse type for ``YYYY-MM-DD``."""
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError("expected a date as YYYY-MM-DD") from None
