"""Hostile values shared by the hardening tests (issue 16): every field, every output format,
the terminal and the files see the same list.

Each payload is a string a remittance, a claim file or a person could hand denialkit. They are
grouped by what they try to do, so a test can take the group that applies (a one-line field
must refuse every ``LINE_BREAKS`` payload; every output format must neutralise all of them).
"""

from __future__ import annotations

from typing import TypeVar

_T = TypeVar("_T")

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

#: Control characters a terminal or a file would act on.
CONTROLS: tuple[str, ...] = (
    "NUL\x00here",
    "\x1b]0;PWNED\x07\x1b[2J",
    "bell\x07",
    "back\x08space",
    "del\x7f",
    "csi\x9b31m",
    "tab\there",
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

#: Every payload.
ALL: tuple[str, ...] = LINE_BREAKS + CONTROLS + MARKDOWN + INJECTION


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
