"""Typographic look-alikes of ASCII characters (private).

Word processors, e-mail programs and text copied out of PDFs put other characters where a
typist writes ASCII: spaces that do not break, typographic dashes and quotes, bullets, and
invisible marks (a byte-order mark, a zero-width space). Code text (``CO–16``) and the letter
validator read each visible one as its ASCII counterpart, one character for one, so offsets
in the text do not move; the validator also reads invisible marks as spaces, while its rules
on invisible and unusual characters still look at the letter's own text.

>>> plain("CO\u201316, the patient\u2019s\u00a0claim")
"CO-16, the patient's claim"
"""

from __future__ import annotations

from typing import Final

__all__ = ["LOOKALIKES", "LOOKALIKE_MAP", "VISIBLE_MAP", "plain"]

#: Each visible look-alike's code point, mapped to the ASCII character it stands for.
VISIBLE_MAP: Final[dict[int, str]] = {
    # spaces that do not break, and the typographic spaces
    **dict.fromkeys(map(ord, "\u00a0\u1680\u202f\u205f\u3000"), " "),
    **dict.fromkeys(range(0x2000, 0x200B), " "),
    # hyphens, dashes and minus signs
    **dict.fromkeys(map(ord, "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d"), "-"),
    # curly single and double quotes, primes
    **dict.fromkeys(map(ord, "\u2018\u2019\u201a\u201b\u2032"), "'"),
    **dict.fromkeys(map(ord, "\u201c\u201d\u201e\u201f\u2033"), '"'),
    # line and paragraph separators end a line
    **dict.fromkeys(map(ord, "\u2028\u2029"), "\n"),
    # bullets: a list item
    **dict.fromkeys(map(ord, "\u2022\u2023\u2043\u25aa\u25cf\u25e6"), "-"),
    # a table drawn with box characters, as one copied out of a PDF or a word processor:
    # its rules, its cell borders and its corners
    **dict.fromkeys(map(ord, "\u2500\u2501\u2504\u2505\u2508\u2509\u254c\u254d\u2550"), "-"),
    **dict.fromkeys(map(ord, "\u2502\u2503\u2506\u2507\u250a\u250b\u254e\u254f\u2551"), "|"),
    **dict.fromkeys(range(0x250C, 0x254C), "+"),
    **dict.fromkeys(range(0x2552, 0x2571), "+"),
}

#: The visible look-alikes and the invisible marks (a zero-width space, a word joiner, a
#: byte-order mark), each read as a space: how the letter validator reads prose.
LOOKALIKE_MAP: Final[dict[int, str]] = {
    **VISIBLE_MAP,
    **dict.fromkeys(map(ord, "\u200b\u2060\ufeff"), " "),
}

#: The look-alike characters themselves.
LOOKALIKES: Final = frozenset(map(chr, LOOKALIKE_MAP))


def plain(text: str) -> str:
    """``text`` with each visible look-alike as its ASCII character; the length is
    unchanged. Invisible marks stay: in a code or an identifier they are a defect to
    report, not a character to read past."""
    return text if text.isascii() else text.translate(VISIBLE_MAP)
