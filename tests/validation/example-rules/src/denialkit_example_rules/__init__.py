"""Example validation rules for denialkit: the tone of an appeal letter.

Rule ids use the plugin's own prefix (``EXR``); ``DK`` is reserved for denialkit.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from denialkit.validation import Document, Finding, Rule, Severity

__all__ = ["ExclamationMark", "ShoutingLine", "rules"]

_CAPITALS = re.compile(r"^[^a-z\n]*[A-Z][^a-z\n]{11,}$", re.MULTILINE)


class ShoutingLine(Rule):
    """A line written in capitals only reads as shouting."""

    id = "EXR001"
    slug = "shouting-line"
    severity = Severity.WARNING
    summary = "No line of the letter is written in capitals only."
    hint = "Write the line in sentence case; let the facts carry the weight."
    authority = "Tone advice of hospital appeal guides (firm but pleasant)"

    def check(self, doc: Document) -> Iterator[Finding]:
        for m in _CAPITALS.finditer(doc.text):
            if sum(c.isalpha() for c in m.group()) >= 12:
                yield self.finding(doc, "a line is written in capitals only", at=m.start())


class ExclamationMark(Rule):
    """Exclamation marks do not help an appeal."""

    id = "EXR002"
    slug = "exclamation-mark"
    severity = Severity.INFO
    summary = "The letter uses no exclamation mark."
    hint = "End the sentence with a full stop."
    authority = "Tone advice of hospital appeal guides (factual)"

    def check(self, doc: Document) -> Iterator[Finding]:
        start = doc.text.find("!")
        while start >= 0:
            yield self.finding(doc, "the letter uses an exclamation mark", at=start)
            start = doc.text.find("!", start + 1)


def rules() -> list[Rule]:
    """The rules this package registers (the entry point names this function)."""
    return [ShoutingLine(), ExclamationMark()]
