"""What every command module shares: the usage error, argument types, and the conventions
of the command line (docs/cli.md): one ``--format`` option with ``--json`` as its alias, the
exit statuses, counts in the right number and amounts to the cent.
"""

from __future__ import annotations

import argparse
import json
import re
from collections.abc import Callable, Sequence
from datetime import date
from decimal import Decimal
from typing import Any, Final

__all__ = [
    "EXIT_FINDING",
    "EXIT_OK",
    "EXIT_USAGE",
    "UsageError",
    "add_format",
    "int_range",
    "iso_date",
    "json_text",
    "money",
    "plural",
    "read_input",
    "terminal",
]

#: Success.
EXIT_OK: Final = 0
#: The thing asked about is wrong or unknown: an unknown code, a letter with errors, a
#: malformed file.
EXIT_FINDING: Final = 1
#: The command was used wrongly: a bad option or argument, a missing or unreadable file, an
#: out-of-range option.
EXIT_USAGE: Final = 2

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


#: What ``json.dumps(..., ensure_ascii=False)`` leaves raw but a terminal acts on: DEL, the
#: C1 controls (``\x9b`` is a one-byte CSI), the Unicode line separators and the bidi
#: controls. :mod:`json` itself escapes the C0 controls.
_JSON_RAW: Final = re.compile(r"[\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def json_text(data: object, *, indent: int | None = 2) -> str:
    """JSON output's one neutraliser: readable non-ASCII, but nothing a terminal acts on.

    Every command that prints JSON goes through this; the result is valid JSON that decodes
    to the same data.

    >>> print(json_text({"name": "Zoë\x1b[2J\x9b31m\u202eevil"}, indent=None))
    {"name": "Zoë\\u001b[2J\\u009b31m\\u202eevil"}
    """
    text = json.dumps(data, indent=indent, ensure_ascii=False)
    return _JSON_RAW.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


class UsageError(Exception):
    """A command-line argument is wrong (exit status 2)."""


def iso_date(text: str) -> date:
    """argparse type for ``YYYY-MM-DD``."""
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError("expected a date as YYYY-MM-DD") from None


def int_range(low: int, high: int | None = None) -> Callable[[str], int]:
    """argparse type for a whole number from ``low`` (to ``high``); argparse names the option.

    >>> int_range(1, 5)("3")
    3
    >>> int_range(1, 5)("9")
    Traceback (most recent call last):
    ...
    argparse.ArgumentTypeError: expected a whole number from 1 to 5
    """
    want = f"from {low} to {high}" if high is not None else f"of {low} or more"

    def convert(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            value = low - 1
        if value < low or (high is not None and value > high):
            raise argparse.ArgumentTypeError(f"expected a whole number {want}")
        return value

    convert.__name__ = "number"
    return convert


def add_format(
    parser: Any,
    choices: Sequence[str] = ("text", "json"),
    *,
    default: str | None = "text",
    help: str | None = None,
) -> None:
    """Add ``--format CHOICE`` and, when ``json`` is a choice, ``--json`` as its alias."""
    parser.add_argument(
        "--format",
        choices=list(choices),
        default=default,
        help=help or f"output format: {', '.join(choices)} (default {default})",
    )
    if "json" in choices:
        parser.add_argument(
            "--json",
            dest="format",
            action="store_const",
            const="json",
            help="the same as --format json",
        )


def plural(n: int, one: str, many: str | None = None) -> str:
    """A count with its words in the right number; ``many`` defaults to ``one`` + "s".

    >>> plural(1, "letter lacks", "letters lack"), plural(2, "claim")
    ('1 letter lacks', '2 claims')
    """
    return f"{n} {one if n == 1 else (many if many is not None else one + 's')}"


def money(amount: Decimal | int | None) -> str:
    """An amount to the cent with thousands separators, as every text table and message
    prints it (empty for none); CSV and JSON keep the exact value.

    >>> money(Decimal("21")), money(Decimal("11.2")), money(Decimal("1234.5")), money(None)
    ('21.00', '11.20', '1,234.50', '')
    """
    if amount is None:
        return ""
    return f"{Decimal(amount):,.2f}"


def read_input(path: str, what: str) -> bytes:
    """The bytes of an input file, or a :class:`UsageError` that names the argument.

    ``what`` names the argument as the usage line does (``FILE``, ``--claim``); the path is
    not repeated, only the operating system's reason.
    """
    try:
        with open(path, "rb") as fh:
            return fh.read()
    except OSError as exc:
        raise UsageError(
            f"{what}: cannot read the file ({exc.strerror or type(exc).__name__})"
        ) from None
