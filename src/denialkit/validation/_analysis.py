"""The text analyses the built-in rules share (private): :class:`Scan`.

A :class:`Scan` holds what several rules read from one document (the text in lower case, the
dates in the text, labelled values, cited codes). Each analysis is worked out once per
document, on first use, and the scan is shared through
:meth:`~denialkit.validation.Document.cached`. The rules themselves live in
:mod:`denialkit.validation.rules`, one module per family; this module imports none of them.

Speed and safety of the scans:

- Most patterns start with a literal (``claim``, ``npi``, ``20``), which the regular
  expression engine finds with a fast substring search; word boundaries are then checked in
  Python. Patterns run on an ASCII copy of the text (every other character replaced by ``?``,
  so offsets stay the same) in lower case.
- A label that starts with a word (``member id:``, ``dob``) is first looked up in the set of
  words of the text (:attr:`Scan.words`), and its pattern runs only when its words are there;
  other rules first test for a character or word their trigger cannot do without (``[``,
  ``___``, ``TBD`` among the capitals).
- Where a pattern must be tried at many places (the first word of a label, a year), one
  scan that starts with the literal finds them all and reads what must follow in a captured
  look-ahead, so places where nothing matches cost no Python step, and a match taking only
  the literal never hides the next place (:meth:`_Vocab.word_pattern`,
  :data:`_NAMED_YEAR_REV_RE`).
- Every quantifier is bounded or possessive and every look-around has a fixed width, so each
  pattern runs in time linear in the text, also on long runs of near-misses.
- Checks on non-ASCII characters (bidi controls, zero-width characters, other digits) look at
  the set of distinct non-ASCII characters first and scan only when one is present.
- A rule with nothing to report returns an empty list or ``()``. A rule that reports one
  finding per occurrence in the text makes its findings one at a time (:func:`_report`, or a
  generator), so a validator's per-rule limit stops it early.

Messages never contain a value from the letter or the claim except denial codes, procedure
codes and the labels of missing facts the letter object declared.
"""

from __future__ import annotations

import bisect
import functools
import re
import unicodedata
from collections.abc import Callable, Iterator, Sequence
from datetime import date, datetime
from decimal import Decimal
from itertools import pairwise, repeat
from typing import TYPE_CHECKING, Final, Generic, NamedTuple, TypeVar, overload

import attrs

import denialkit.validation._vocab as _vocab
from denialkit import _care_minutes
from denialkit._ids import (
    compact,
    hicn_like,
    mbi_is_valid,
    ssn_like,
)
from denialkit._repr import fields_repr
from denialkit._typography import LOOKALIKE_MAP as _LOOKALIKE_MAP
from denialkit._typography import LOOKALIKES as _LOOKALIKES
from denialkit.claim import Claim, PlanType
from denialkit.codes import CodeRef, CodeSystem, DenialCode, default_table, parse
from denialkit.deadlines import deadline_for

from ._model import Author, Document

if TYPE_CHECKING:
    from denialkit.codes import CodeTable

__all__ = ["Scan", "scan"]

_SCAN_KEY: Final = "dk.scan"

# -------------------- the text

_ASCII_BYTES: Final = bytes(range(128))
_CONTROL_BYTES: Final = bytes([*range(9), 11, *range(14, 32), 127])
_NOT_CAPITAL_BYTES: Final = bytes(b for b in range(256) if not 65 <= b <= 90)
_FEW_MARKS: Final = 32
# every digit a 0, and a line break a space: a line break inside a written-out date ("May\n20,
# 2026", as a wrapped line or a PDF copy has it) reads as a space
_DIGITS0_ONE_LINE: Final = bytes.maketrans(b"0123456789\n\r", b"0" * 10 + b"  ")
_LINE_BREAK_AS_SPACE: Final = bytes.maketrans(b"\n\r", b"  ")
# letters stay, control characters (as _CONTROL_BYTES) become a vertical tab, anything else a
# space: bytes.split() splits at both, and a vertical tab is there only for a control character
_LETTER_RUNS: Final = bytes(
    c if 97 <= c <= 122 else 11 if c in _CONTROL_BYTES else 32 for c in range(256)
)
# English's commonest words; a letter with _ENGLISH_SURE of them is English, and one whose
# runs of letters are fewer than one in _FOREIGN_SHARE of them is not (Scan.not_english)
_ENGLISH_WORDS: Final = frozenset(
    w.encode("ascii")
    for w in (
        "the", "and", "of", "to", "is", "for", "this", "that", "with", "you", "your", "we",
        "i", "please", "was", "on", "in", "are", "not", "be", "have", "my", "our", "as", "by",
        "it",
    )
)  # fmt: skip
_ENGLISH_SURE: Final = 9
_UNICODE_WORD_RE: Final = re.compile(r"[^\W\d_]+")
_FOREIGN_MIN_WORDS: Final = 30
_FOREIGN_SHARE: Final = 20
_SHAPE_BYTES: Final = bytes.maketrans(
    b"0123456789ACDEFGHJKMNPQRTUVWXYBILOSZ", b"0" * 10 + b"A" * 20 + b"B" * 6
)

_T = TypeVar("_T")
# builds a named tuple from a tuple without the Python-level __new__ of NamedTuple classes
_new: Final = tuple.__new__


class _lazy(Generic[_T]):  # lower case: used as a decorator, like functools.cached_property
    """An analysis of a :class:`Scan`: computed on first use, then a plain attribute.

    Like :func:`functools.cached_property`, without its lock (a scan belongs to one check).
    """

    __slots__ = ("fn", "name")

    def __init__(self, fn: Callable[[Scan], _T]) -> None:
        self.fn = fn
        self.name = fn.__name__

    @overload
    def __get__(self, inst: None, owner: type[Scan]) -> _lazy[_T]: ...

    @overload
    def __get__(self, inst: Scan, owner: type[Scan]) -> _T: ...

    def __get__(self, inst: Scan | None, owner: type[Scan]) -> _lazy[_T] | _T:
        if inst is None:
            return self
        value = self.fn(inst)
        inst.__dict__[self.name] = value
        return value


Gate = tuple[frozenset[bytes], frozenset[bytes]]


def _gate(any_of: str, all_of: str = "") -> Gate:
    """The words a label pattern needs: one of ``any_of`` and all of ``all_of``
    (``_gate("date dates", "of")`` for ``dates? of``).

    A pattern that matches at the start of a word of ``low`` with these words, each followed
    by something other than a letter, can only match when they are among :attr:`Scan.words`.
    """
    return frozenset(any_of.encode("ascii").split()), frozenset(all_of.encode("ascii").split())


def scan(doc: Document) -> Scan:
    """The shared :class:`Scan` of a document."""
    return doc.cached(_SCAN_KEY, Scan)


MAX_VALUE: Final = 256
"""Claim values are looked for in the text by at most their first 256 characters.

A longer value (a name, an address line, an id or a stated reason) counts as present when its
first 256 characters are, starting on a word boundary. This bounds the work of every search to
a constant per character of the text, so a check stays linear in the text's length plus the
sizes of the claim values, also for hostile values (see ``docs/rules.md``, "Limits").
"""
MAX_LINES: Final = 16
"""At most the first 16 lines of a multi-line claim value (the appeals address) are looked
for, and at most 16 labelled names are compared with each other."""


def _finds(hay: str, needle: str) -> Iterator[int]:
    """Every offset of ``needle`` in ``hay`` (overlapping)."""
    i = hay.find(needle)
    while i >= 0:
        yield i
        i = hay.find(needle, i + 1)


def _wb(s: str, i: int, j: int) -> bool:
    """Whether ``s[i:j]`` stands on word boundaries (no letter or digit glued to it)."""
    return (i == 0 or not s[i - 1].isalnum()) and (j >= len(s) or not s[j].isalnum())


def _find_word(hay: str, needle: str) -> int:
    """The first offset of ``needle`` in ``hay`` on word boundaries, or -1.

    A needle longer than :data:`MAX_VALUE` characters is looked for by its first
    :data:`MAX_VALUE` characters (the boundary after it is not checked), so that one search
    costs at most ``MAX_VALUE`` character comparisons per offset of ``hay``.
    """
    if not needle:
        return -1
    cut = len(needle) > MAX_VALUE
    if cut:
        needle = needle[:MAX_VALUE]
    n = len(needle)
    end = len(hay)
    i = hay.find(needle)
    while i >= 0:
        j = i + n
        if (i == 0 or not hay[i - 1].isalnum()) and (cut or j >= end or not hay[j].isalnum()):
            return i
        # no later offset inside this word starts a word: go on after it
        i = _next_word(hay, i, needle)
    return -1


_NOT_ALNUM_RE: Final = re.compile(r"[\W_]")  # exactly the characters str.isalnum() refuses


def _next_word(hay: str, i: int, needle: str) -> int:
    """The next offset of ``needle`` in ``hay`` that can start a word, after a miss at
    ``i``: the search goes on from the end of the word that holds ``i``, so each character
    of ``hay`` is passed over a bounded number of times."""
    if not hay[i].isalnum():
        return hay.find(needle, i + 1)
    m = _NOT_ALNUM_RE.search(hay, i)
    return -1 if m is None else hay.find(needle, m.start())


def _match_start(m: re.Match[str]) -> int:
    return m.start()


def _words_at(pattern: re.Pattern[str] | _Vocab, hay: str) -> list[re.Match[str]]:
    """Matches of ``pattern`` that start on a word boundary."""
    if isinstance(pattern, _Vocab):
        return pattern.matches(hay)
    out = []
    for m in pattern.finditer(hay):
        i = m.start()
        if not i or not hay[i - 1].isalnum():
            out.append(m)
    return out


_COMBINING_RE: Final = re.compile(
    "[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]+"
)


def _fold(s: str) -> str:
    """Case-, accent- and spacing-insensitive form of text, for finding claim values."""
    if not s.isascii():
        s = _COMBINING_RE.sub("", unicodedata.normalize("NFKD", s))
    # split() and strip() treat as space exactly what the pattern \s does
    return " ".join(s.casefold().split())


_ALNUM_WORD_RE: Final = re.compile(r"[a-z0-9]+")
_LETTER_RUN_RE: Final = re.compile(r"[a-z]+")
_MAX_PHRASE_WORDS: Final = 30
_MIN_SQUASH: Final = 6
_NON_ALNUM_RE: Final = re.compile(r"[^a-z0-9]+")
_NON_WORD_RE: Final = re.compile(r"\W+")


def _phrase_re(words: tuple[str, ...]) -> re.Pattern[str]:
    """The words in order, with up to six spaces or punctuation marks between them.

    Not cached here: the words are claim values, and denialkit keeps no cache of them
    between checks.
    """
    return re.compile("[^a-z0-9]{0,6}".join(re.escape(w) for w in words))


def _has_phrase(sc: Scan, value: str) -> bool:
    """Whether ``value`` is in the text ignoring case, spacing and punctuation, with word
    boundaries at both ends. ASCII words are matched on the ASCII copy, only where the first
    word stands in the text (:meth:`Scan.starts_of`); other text is compared
    accent-insensitively. A value longer than :data:`MAX_VALUE` is cut to its first words."""
    cut = len(value) > MAX_VALUE
    if cut:
        value = value[:MAX_VALUE]
    if value.isascii():
        hay = sc.low
        words = tuple(_ALNUM_WORD_RE.findall(value.lower())[:_MAX_PHRASE_WORDS])
        if cut and len(words) > 1:
            words = words[:-1]  # the last word may be cut in the middle
    else:
        hay = sc.folded
        words = tuple(re.findall(r"\w+", _fold(value))[:_MAX_PHRASE_WORDS])
    if not words:
        return False
    pattern = _phrase_re(words)
    if hay is sc.low:
        for i in sc.starts_of(words[0]):
            m = pattern.match(hay, i)
            if m is not None and _wb(hay, i, m.end()):
                return True
    else:
        for m in pattern.finditer(hay):
            if _wb(hay, m.start(), m.end()):
                return True
    squashed = "".join(words)
    if len(squashed) < _MIN_SQUASH or len(words) < 2:
        return False
    # "P.O. Box" against "PO Box": compare with every space and punctuation mark removed
    return squashed in (sc.flat_ascii if value.isascii() else sc.flat_folded)


def _find_value(sc: Scan, value: str) -> int:
    """The first offset of a claim value in the text, exactly and on word boundaries, or -1.

    An ASCII value that starts with a letter or digit counts where its first word stands
    whole in the text (as :meth:`Scan.starts_of` finds it): it is searched for as a whole,
    and the first hit with nothing glued before it (in ``low``) or after it is the answer,
    so the search usually stops near the top of the letter. (Its first word then stands
    whole: the character after it in the value is not a letter or digit, or is the value's
    end, where the text's is checked.) Other values fall back to :func:`_find_word`. Both
    look at most at the first :data:`MAX_VALUE` characters.
    """
    if not value.isascii():
        value = value.translate(_LOOKALIKE_MAP)  # as the scan's text reads it
    v = value[:MAX_VALUE] if len(value) > MAX_VALUE else value
    cut = len(v) < len(value)
    if not v:
        return -1
    first = _ALNUM_WORD_RE.match(v.lower()) if v.isascii() else None
    if first is None:
        return _find_word(sc.text, value)
    text = sc.text
    n, end = len(v), len(text)
    if cut and first.end() == len(v):
        # one word longer than the cap
        return _find_word(text, value)
    low = sc.low
    i = text.find(v)
    while i >= 0:
        if i == 0 or not low[i - 1].isalnum():
            j = i + n
            if cut or j >= end or not text[j].isalnum():
                return i
        i = text.find(v, i + 1)
    return -1


def _has_value(sc: Scan, value: str) -> bool:
    """Whether a name, address line or phrase from the claim is in the text: exactly, then
    ignoring case, spacing, punctuation (and accents)."""
    v = value.strip()
    if not v:
        return False
    if _find_value(sc, v) >= 0:
        return True
    return _has_phrase(sc, v)


def _ident_pattern(value: str) -> re.Pattern[str]:
    """``value`` with an optional space or hyphen between any two characters; starts with a
    literal so the engine can skip ahead quickly (boundaries are checked by the caller)."""
    return re.compile("[ -]?".join(re.escape(c) for c in value))


_LONG_IDENT: Final = 100


def _find_ident(sc: Scan, value: str) -> int:
    """The offset of an identifier (claim number, member id, NPI) in the text, written with
    or without its spaces and hyphens and in any letter case; -1 when absent."""
    v = value.strip()
    if not v:
        return -1
    text = sc.text
    i = _find_value(sc, v)
    if i >= 0:
        return i
    c = compact(v[: _LONG_IDENT * 4])
    if not c or len(c) > _LONG_IDENT:
        return -1
    if c.isascii():
        hay, needle = sc.low, c.lower()
    else:
        hay, needle = text.casefold(), c.casefold()
        if len(hay) != len(text):
            hay = text
    for m in _ident_pattern(needle).finditer(hay):
        if _wb(hay, m.start(), m.end()):
            return m.start()
    return -1


def _s(value: object) -> str | None:
    """A non-empty str from the claim, or None (claims built by hand may hold anything)."""
    return value if isinstance(value, str) and value.strip() else None


def _d(value: object) -> date | None:
    """A date from the claim (a datetime counts as its date), or None."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return None


_WRAPPED_LINE: Final = 40
# what str.strip() takes for space in ASCII text, other than the line feed
_INDENT: Final = " \t\x0b\x0c\r\x1c\x1d\x1e\x1f"


def continues_sentence(ascii_text: str, nl: int) -> bool:
    """Whether the line after the line feed at ``nl`` goes on with the sentence of the line
    before it, as in a hard-wrapped paragraph (an e-mail program, a PDF copy): the line
    before is a long line of prose (at least 40 characters and six words, ending in a
    letter, a digit or a comma) and this one starts with a small letter.

    >>> continues_sentence("we ask that the plan reconsider its decision and\\npay the claim", 48)
    True
    >>> continues_sentence("Sincerely,\\nyour name", 10)
    False
    """
    k, n = nl + 1, len(ascii_text)
    while k < n and ascii_text[k] in _INDENT:
        k += 1
    if k >= n:
        return False
    if not ("a" <= ascii_text[k] <= "z"):
        # a capital or a digit goes on with a sentence whose line ends in a word no sentence
        # ends with ("we ask that\nDRG 871 be restored")
        e = nl
        while e > 0 and ascii_text[e - 1] in " \t\r":
            e -= 1
        return (
            ascii_text.endswith(_GLUE_WORDS, max(0, e - 7), e)
            and ascii_text[k].isalnum()
            and _prose_before(ascii_text, nl, words_only=True)
        )
    return _prose_before(ascii_text, nl)


# words that end no sentence: a line that ends in one is cut in mid-sentence
_GLUE_WORDS: Final = tuple(
    f" {w}"
    for w in ("that", "the", "a", "an", "and", "or", "to", "of", "for", "with", "by", "under")
)


def _prose_before(ascii_text: str, nl: int, words_only: bool = False) -> bool:
    """Whether the line that ends at the line feed at ``nl`` is a long line of prose cut in
    mid-sentence (see :func:`continues_sentence`); with ``words_only``, only where it ends
    in a small letter or a comma (not in a number, as a letterhead line may)."""
    before = ascii_text[ascii_text.rfind("\n", 0, nl) + 1 : nl].rstrip(" \t\r")
    if len(before) < _WRAPPED_LINE or before.count(" ") < 5:
        return False  # a short line, or one of few words (a letterhead's contact line)
    if "@" in before or "|" in before:
        return False  # a contact line: "T 206.555.0182 | F 206.555.0183 | jane@law.com"
    last = before[-1]
    return last == "," or ("a" <= last <= "z" if words_only else last.isalnum())


def _line_end(text: str, pos: int, lines: int = 1, reach: int = 400) -> int:
    """The end of the line holding ``pos`` (or of the ``lines``-th line), looking at most
    ``reach`` characters ahead per line (so a scan never runs away on a huge line)."""
    end = pos
    for _ in range(lines):
        nl = text.find("\n", end, end + reach)
        if nl < 0:
            return min(len(text), end + reach)
        end = nl + 1
    return end - 1


def _line_head(text: str, pos: int, reach: int) -> str | None:
    """The text between the start of the line and ``pos`` when it is at most ``reach``
    characters long, else None."""
    lo = max(0, pos - reach)
    ls = text.rfind("\n", lo, pos)
    if ls < 0:
        if lo > 0:
            return None
        return text[:pos]
    return text[ls + 1 : pos]


# -- dates in the text -------------------------------------------------------------

_MONTHS: Final = {
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7,
    "august": 8, "september": 9, "october": 10, "november": 11, "december": 12,
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sept": 9,
    "sep": 9, "oct": 10, "nov": 11, "dec": 12,
}  # fmt: skip
# What stands before the year of a named date, ``March 31st, `` or ``31 Mar. ``:
#   (?:(?P<mn>[a-z]{3,9})\.?[ \t]+(?P<md>[0-9]{1,2})(?:st|nd|rd|th)?,?
#   |(?:the[ \t]+)?(?P<dd>[0-9]{1,2})(?:st|nd|rd|th)?[ \t]+(?:of[ \t]+)?(?P<dm>[a-z]{3,9})\.?,?)
#   [ ]{0,2} \Z
# (up to three spaces before the year: a line break read as a space, after a space or a
# carriage return, as a wrapped line has it)
# (a day before its month may be an ordinal, with "the" and "of": ``the 3rd of March, ``)
# (a range of days in one month reads as its last day: ``February 2-6, ``, ``Feb 2 - 6, ``)
# searched in the window of _DATE_WINDOW characters before the year. It is matched here
# backwards, on the reversed text, anchored at the space before the year: every part is
# forced except the month name's letters, and the greedy reversed match takes as many of
# them as the forward search's leftmost start does, so both find the same date; the anchored
# match does not try every start in the window.
_NAMED_BEFORE_YEAR_REV_RE: Final = re.compile(
    r" {1,3},?(?:(?:ts|dn|dr|ht)?(?P<md>[0-9]{1,2})(?:[ \t]?-[ \t]?[0-9]{1,2})?[ \t]+"
    r"\.?(?P<mn>[a-z]{3,9})"
    r"|\.?(?P<dm>[a-z]{3,9})[ \t]+(?:fo[ \t]+)?(?:ts|dn|dr|ht)?(?P<dd>[0-9]{1,2})"
    r"(?:[ \t]+eht(?![a-z]))?)"
)
_MONTHS_REV: Final = {k[::-1]: v for k, v in _MONTHS.items()}
# The same, for every year at once: on the reversed text with every digit a 0
# (:attr:`Scan.digits0_rev`), a year not glued to more digits and, in a look-ahead, what
# stands before it (a match takes only the year's four digits, so the next year is found
# too). The pattern starts with a literal, which the engine searches for fast, and a year
# with no month before it costs no Python step; the literal holds the space before the year
# (after it, here), so that four digits inside a longer run of them are passed over by that
# search rather than tried one by one. The window is not part of the pattern: a
# match that reaches past it is matched again as above, within the window (a match that
# ends within the window is the one the window gives). A date in the window has at most 17
# spaces or tabs in a row, so longer runs are not read.
_NAMED_YEAR_REV_RE: Final = re.compile(
    r"0000 (?<!00000 )(?=( {0,2},?(?:(?:ts|dn|dr|ht)?(0{1,2})(?:[ \t]?-[ \t]?0{1,2})?"
    r"[ \t]{1,20}\.?([a-z]{3,9})"
    r"|\.?([a-z]{3,9})[ \t]{1,20}(?:fo[ \t]{1,20})?(?:ts|dn|dr|ht)?(0{1,2})"
    r"(?:[ \t]{1,20}eht(?![a-z]))?)))"
)
_NUMERIC_BEFORE_YEAR_RE: Final = re.compile(
    r"(?P<um>[0-9]{1,2})(?P<sep>[-/.])(?P<ud>[0-9]{1,2})(?P=sep)\Z"
)
# the day and month before the year of "31-Mar-2026" (a form EHRs and remittances print)
_MONTH_BEFORE_YEAR_RE: Final = re.compile(r"(?P<d>[0-9]{1,2})-(?P<mon>[a-z]{3,9})-\Z")
_DATE_WINDOW: Final = 22
# "Date:", or an email's "Sent:" when a date follows it; a weekday may stand before the date
# ("Sent: Monday, April 6, 2026 9:14 PM"). Two patterns, each starting with its literal.
# (or abbreviated, as an e-mail program's header has it: "Date: Tue, Mar 17, 2026 at 10:42 AM")
_WEEKDAY: Final = (
    r"(?:(?:(?:mon|tues|wednes|thurs|fri|satur|sun)day|(?:mon|tue|wed|thu|fri|sat|sun)\.?),?"
    r"[ \t]*)?"
)
_WEEKDAY_HEAD_RE: Final = re.compile(r"[ \t]*+(?:mon|tues|wednes|thurs|fri|satur|sun)day,?[ \t]*+")
# "Date:", and a label that says whose date it is: "Date of letter:", "Date of this letter:"
_DATE_LABEL_RE: Final = re.compile(
    r"date(?:[ \t]+of[ \t]+(?:this[ \t]+)?letter)?[ \t]*:[ \t]*" + _WEEKDAY
)
_SENT_LABEL_RE: Final = re.compile(
    # a portal's copy of what was sent: "Submitted 04/17/2026 14:06 CT", "Submitted on: ..."
    r"(?:sent[ \t]*:|submitted(?:[ \t]+on)?[ \t]*:?)[ \t]*(?=[0-9]|(?:jan|feb|mar|apr|may"
    r"|jun|jul|aug|sep|oct|nov|dec|mon|tue|wed|thu|fri|sat|sun)[a-z]*[ \t.,])" + _WEEKDAY
)
_DATE_LABEL_GATE: Final = _gate("date sent submitted")
_SENT_LABEL_GATE: Final = _gate("sent submitted")
_TOP_LINES: Final = 30
# the gap before a date set at the right end of a line: three spaces or more, or a tab
# (and the date's weekday: "Friday, April 10, 2026")
_RIGHT_GAP_RE: Final = re.compile(
    r"\S(?: {3,}|\t[ \t]*)(?:(?:mon|tues|wednes|thurs|fri|satur|sun)day,?[ \t]*)?\Z"
)


# bold markdown around a label, pasted from a word processor ("**Member ID:** 1234"): its
# marks are read as spaces, so the label and its value are found as in plain text
_LONE_CR_RE: Final = re.compile(r"\r(?!\n)")
# a line of text right after another: text that has one is not double-spaced
_SINGLE_BREAK_RE: Final = re.compile(r"\S[ \t]*+\r?\n[ \t]*+[^\s]")
_DOUBLE_SPACED_LINES: Final = 12  # a text of fewer lines is not read as double-spaced
_DOUBLE_BREAK_RE: Final = re.compile(r"(\r?\n)([ \t]*+\r?\n)")


def _one_break(m: re.Match[str]) -> str:
    return m.group(1) + " " * len(m.group(2))


_WRAPPED_HYPHEN_RE: Final = re.compile(r"-(?<=[a-z]-)[ \t]*+\r?\n[ \t]*+(?=[a-z])")
# the marks of quoted lines in an e-mail reply: ">", "> >", ">>" at the start of a line
_QUOTE_MARKS_RE: Final = re.compile(r"(?m)^(?:[ \t]*+>)++")
# the marks of a label in Markdown bold, read as spaces: "**Member ID:** 123" and "**Member
# ID**: 123" (as e-mail programs and AI assistants write them)
_BOLD_LABEL_RE: Final = re.compile(
    r"(?m)^[ \t]*\*\*(?=[A-Za-z])|(?<=:)\*\*|(?<=[A-Za-z0-9.)#])\*\*(?=[ \t]*:)"
)


def _blank(m: re.Match[str]) -> str:
    return " " * len(m.group())


def _as_typed(text: str, ascii_text: str) -> tuple[str, str]:
    """``text`` and its ASCII copy with the layout of another system read as plain lines:
    a carriage return alone ends a line (old Macs), double spacing reads as single (some
    copies from PDFs and web pages), and the marks of a letter quoted in an e-mail reply
    read as spaces. Each change keeps every offset."""

    def both(pattern: re.Pattern[str], repl: str | Callable[[re.Match[str]], str]) -> None:
        nonlocal text, ascii_text
        same = text is ascii_text
        ascii_text = pattern.sub(repl, ascii_text)
        text = ascii_text if same else pattern.sub(repl, text)

    if "\r" in ascii_text and _LONE_CR_RE.search(ascii_text) is not None:
        both(_LONE_CR_RE, "\n")
    # (a usual letter has a line right after another near its top: the search stops there,
    # and the tests for two-character strings, which read the whole text, are not made)
    if (
        _SINGLE_BREAK_RE.search(ascii_text) is None
        and ("\n\n" in ascii_text or "\n\r\n" in ascii_text)
        and ascii_text.count("\n") >= _DOUBLE_SPACED_LINES
    ):
        both(_DOUBLE_BREAK_RE, _one_break)  # each pair of line breaks as one
    if ">" in ascii_text and _QUOTE_MARKS_RE.search(ascii_text) is not None:
        both(_QUOTE_MARKS_RE, _blank)
    return text, ascii_text


class TextDate(NamedTuple):
    """A date written in the text; ``value`` is None when it is not a real calendar date."""

    start: int
    end: int
    value: date | None


def _make_date(y: int, m: int, d: int) -> date | None:
    try:
        return date(y, m, d)
    except ValueError:
        return None


# -- labelled values -----------------------------------------------------------------

# ":" or "#" after the label, or nothing after a label that ends in "." or "#" ("Claim No.
# 123", "Subscriber # BHA 44102")
# a leader of four or more dots joins a label to its value in a form ("ICN ........ 2112"); an
# ellipsis has three, glued to the word before it
# (in a column of labels whose leaders line the values up, a long label's leader may be two
# dots, after a space: "Subscriber ID .. SHA-0091")
_LEADER: Final = r"(?:[ \t]*\.{4,}+|[ \t]+\.{2,3}+)[ \t]*"
_SEP: Final = rf"(?:{_LEADER}|[ \t]*(?:[:#]|(?<=[.#]))[ \t]*:?[ \t]*)"
# a VA Integration Control Number: ten digits, "V", six digits (the veteran's id)
_VA_ICN_RE: Final = re.compile(r"(?<![A-Za-z0-9])[0-9]{10}V[0-9]{6}(?![A-Za-z0-9])")
_VA_ICN_SHAPE: Final = "0000000000A000000"  # its shape in Scan.shape (V is a capital MBIs use)
_VALUE_RE: Final = re.compile(r"[^\s,;()\[\]]{1,30}+")
_HAS_DIGIT_RE: Final = re.compile(r"\d")
# an id in groups: "NSH 6671 0392" (a word in small letters before numbers, "of 2026", is no
# part of an id)
_SPACED_VALUE_RE: Final = re.compile(r"(?=[A-Z0-9])[A-Za-z0-9]{1,10}+(?:[ -][0-9]{2,10}+){1,4}+")
_ASCII_DIGIT_RE: Final = re.compile(r"[0-9]")
_ZIP_RE: Final = re.compile(r"[0-9]{5}(?:-[0-9]{4})?")
_YEAR_RE: Final = re.compile(r"(?:19|20)[0-9]{2}")
# an ICD-10-PCS procedure code: seven characters, digits and letters other than I and O
# ("5A1955Z"), which a hospital's inpatient claim gives after "Procedure:"
_PCS_RE: Final = re.compile(r"[0-9A-HJ-NP-Za-hj-np-z]{7}")


class Labelled(NamedTuple):
    """A value written after a label (``Claim number: ...``) and where it starts."""

    value: str
    start: int
    medicare: bool = False


def _start(v: Labelled) -> int:
    return v.start


# a line that is only a label, as a form or a portal's copy prints one over its value
# ("Billing NPI" over "1234567893")
_LABEL_LINE_RE: Final = re.compile(
    r"[ \t]*[A-Za-z][A-Za-z.#/'()-]*+(?:[ \t]+[A-Za-z.#/'()-]+){0,4}"
)
_LABEL_LINE_MAX: Final = 40


def _label_line(text: str, end: int) -> bool:
    """Whether the line that ends at ``end`` is only a label of a few words: no sentence
    (a wrapped line of prose is longer, or holds other marks)."""
    start = text.rfind("\n", 0, end) + 1
    return end - start <= _LABEL_LINE_MAX and _LABEL_LINE_RE.fullmatch(text, start, end) is not None


def _value_after(text: str, pos: int) -> Labelled | None:
    """The identifier-like value starting at ``pos`` (read from the original text), or at
    the start of the next line when a label's colon ends the line (a value put under its
    label, or a wrapped line: "Claim number from the notice:\n01-26-052-0443")."""
    if pos < len(text) and text[pos] in "\r\n":
        back = pos - 1
        while back >= 0 and text[back] in " \t":
            back -= 1
        if back < 0 or (text[back] not in ":#" and not _label_line(text, back + 1)):
            return None
        pos += 2 if text.startswith("\r\n", pos) else 1
        while pos < len(text) and text[pos] in " \t":
            pos += 1
    m = _VALUE_RE.match(text, pos)
    if m is None:
        return None
    v = m.group().rstrip(".")
    if v and _HAS_DIGIT_RE.search(v):
        return Labelled(v, pos)
    # an id written in groups with spaces: "NSH 6671 0392"
    m = _SPACED_VALUE_RE.match(text, pos)
    if m is not None and len(_ASCII_DIGIT_RE.findall(m.group())) >= 4:
        return Labelled(m.group(), pos)
    return None


# -- tables whose first row names the columns --------------------------------------------

_CELL_SPACE_RE: Final = re.compile(r"[ \t]+")
_RULE_CELL_CHARS: Final = " \t-=:+"


def _cells(line: str, at: int) -> list[tuple[int, int]]:
    """The cells of a table row ``line`` (which starts at offset ``at``) as (start, end)
    offsets of their text without the spaces around it; a "|" at either end of the row
    only closes it."""
    out = []
    bars = [i for i, c in enumerate(line) if c == "|"]
    edges = [-1, *bars, len(line)]
    for a, b in pairwise(edges):
        lo = a + 1
        cell = line[lo:b]
        s = len(cell) - len(cell.lstrip())
        e = len(cell.rstrip())
        out.append((at + lo + s, at + lo + max(s, e)))
    if line[: bars[0]].strip() == "":
        out = out[1:]
    if line[bars[-1] + 1 :].strip() == "":
        out = out[:-1]
    return out


# a gap between the columns of a table aligned with spaces: a tab, or two spaces or more
_COLUMN_GAP_RE: Final = re.compile(r"[ \t]*\t[ \t]*|  +")


def _spaced_cells(line: str, at: int) -> list[tuple[int, int]]:
    """The cells of a row ``line`` (which starts at offset ``at``) of a table aligned with
    spaces or tabs ("Claim number   Date of service   CPT"), as (start, end) offsets."""
    out = []
    lo = len(line) - len(line.lstrip(" \t"))
    for m in _COLUMN_GAP_RE.finditer(line, lo):
        if m.start() > lo:
            out.append((at + lo, at + m.start()))
        lo = m.end()
    end = len(line.rstrip())
    if end > lo:
        out.append((at + lo, at + end))
    return out


def _header_key(cell: str) -> str:
    """A header cell as a label of the vocabularies: lower case, single spaces, no colon
    or Markdown bold around it."""
    return _CELL_SPACE_RE.sub(" ", cell.strip(" \t*_:").lower())


def _is_header(keys: list[str]) -> bool:
    """Whether a table's first row (its cells as :func:`_header_key` makes them) names its
    columns: two labels of the vocabularies at least (a table of "label | value" rows has
    one a row), or a column of procedure codes among three columns or more ("Item   HCPCS
    Qty   Charge")."""
    labels = sum(k in _ANY_HEADERS for k in keys)
    return labels >= 2 or (labels == 1 and len(keys) >= 3 and not _PROC_HEADERS.isdisjoint(keys))


def _phrase_alternatives(phrases: Sequence[str]) -> list[tuple[str, str]]:
    """Each phrase's first word (its first run of letters and digits) and its pattern, in
    the order :func:`_phrases` tries them."""
    alts = []
    for p in sorted(set(phrases), key=lambda x: (-len(x), x)):
        body = r"(?:[ \t]+|[ \t]*\r?\n[ \t]*)".join(re.escape(w) for w in p.split())
        first = _ALNUM_WORD_RE.match(p)
        alts.append(
            (first.group() if first else "", body + (r"(?![a-z0-9])" if p[-1].isalnum() else ""))
        )
    return alts


def _phrases(phrases: Sequence[str]) -> str:
    """An alternation of vocabulary phrases (longest first), each word escaped, any run of
    spaces or tabs (or one line break) where a phrase has a space, ending where a word
    ends."""
    return "(?:" + "|".join(body for _, body in _phrase_alternatives(phrases)) + ")"


_VOCAB_WORDS: Final[set[str]] = set()
"""The first words of the vocabularies (:class:`_Vocab`): :meth:`Scan.starts_of` finds them
with :func:`_word_re`."""


@functools.cache
def _word_re(word: str) -> re.Pattern[str]:
    """A pattern that finds ``word`` where it stands whole (no letter or digit glued to it on
    either side). It starts with the word, which the engine searches for fast, and checks both
    boundaries in C. Only made for the words of :data:`_VOCAB_WORDS` (a fixed set), on first
    use."""
    w = re.escape(word)
    return re.compile(f"{w}(?<![a-z0-9]{w})(?![a-z0-9])")


_PHRASE_SPACE: Final = r"(?:[ \t]+|[ \t]*\r?\n[ \t]*)"


def _rest_tokens(phrase: str, word: str) -> list[str]:
    """The pattern of ``phrase`` after its first word ``word``, as its parts in order (what
    follows the word in its first space-separated part, then a space and each other part, the
    end of a word), and ``""`` for the end of the phrase. Joined, they are the rest of its
    alternative in :func:`_phrases`."""
    parts = phrase.split()
    tokens = [re.escape(parts[0][len(word) :])] if len(parts[0]) > len(word) else []
    for part in parts[1:]:
        tokens += [_PHRASE_SPACE, re.escape(part)]
    if phrase[-1].isalnum():
        tokens.append(r"(?![a-z0-9])")
    tokens.append("")
    return tokens


def _ordered_trie(alternatives: list[list[str]]) -> str:
    """The alternation of ``alternatives`` (lists of pattern parts, see :func:`_rest_tokens`)
    with the first part that consecutive alternatives share written once: ``a(?:b|c)`` for
    ``ab|ac``. The alternatives keep their order, and a shared part matches in one way
    only (a word, or the space before a word, which is not a space), so the pattern
    matches exactly what the plain alternation matches, with fewer steps."""
    children: list[tuple[str, list[list[str]]]] = []
    for alt in alternatives:
        if alt[0] and children and children[-1][0] == alt[0]:
            children[-1][1].append(alt[1:])
        else:
            children.append((alt[0], [alt[1:]]))
    out = [token + _ordered_trie(rest) if token else "" for token, rest in children]
    return out[0] if len(out) == 1 else "(?:" + "|".join(out) + ")"


class _Vocab:
    """A vocabulary compiled for a fast search: its pattern is tried only where the first
    word of one of its phrases starts a word (found with ``str.find``), instead of at every
    offset of the text."""

    __slots__ = (
        "_by_word",
        "alternatives",
        "firsts",
        "keyed",
        "keys",
        "needs",
        "pattern",
        "phrases",
        "tail",
        "unkeyed",
    )

    def __init__(self, phrases: Sequence[str], tail: str) -> None:
        self.pattern = re.compile(_phrases(phrases) + tail)
        self.alternatives = _phrase_alternatives(phrases)
        self.phrases = sorted(set(phrases), key=lambda x: (-len(x), x))
        self.tail = tail
        self._by_word: dict[str, re.Pattern[str]] = {}
        leads = {_ALNUM_WORD_RE.match(p).group() for p in phrases}  # type: ignore[union-attr]
        self.firsts = tuple(sorted(leads))
        # Every run of letters of a phrase is a whole run of letters of the text wherever
        # the phrase matches (a word ends where a run of letters and digits ends, and the
        # other marks of a phrase are not letters), so it must be among :attr:`Scan.words`:
        # for each first word, the other runs of letters of each phrase it starts (for a
        # first word of letters only, which the caller has found there, without it).
        needs: dict[str, set[frozenset[bytes]]] = {}
        for p in phrases:
            first = _ALNUM_WORD_RE.match(p).group()  # type: ignore[union-attr]
            runs = {r.encode("ascii") for r in _LETTER_RUN_RE.findall(p)}
            if first.isalpha():
                runs.discard(first.encode("ascii"))
            needs.setdefault(first, set()).add(frozenset(runs))
        self.needs = {w: tuple(sorted(n, key=len)) for w, n in needs.items()}
        # What :meth:`Scan.vocab_spans` tests for each first word: the word and its needs
        # (None when a phrase needs no other word, as then :meth:`possible` is true wherever
        # the word is). A first word of letters only is a whole run of letters wherever a
        # phrase matches, so it must be among :attr:`Scan.words`: these are :attr:`keyed` by
        # the word as such a run, and the ones present are picked out by one set
        # intersection with :attr:`keys` (no Python step for the absent ones); a word with
        # a digit is :attr:`unkeyed`, looked for in any text.
        self.keyed: dict[bytes, tuple[str, tuple[frozenset[bytes], ...] | None]] = {}
        unkeyed: list[tuple[str, tuple[frozenset[bytes], ...] | None]] = []
        for w in self.firsts:
            lead = (w, None if not self.needs[w][0] else self.needs[w])
            if w.isalpha():
                self.keyed[w.encode("ascii")] = lead
            else:
                unkeyed.append(lead)
        self.keys = frozenset(self.keyed)
        self.unkeyed = tuple(unkeyed)
        _VOCAB_WORDS.update(self.firsts)

    def possible(self, word: str, words: frozenset[bytes]) -> bool:
        """Whether a phrase that starts with ``word`` can match a text whose runs of letters
        are ``words`` (see :attr:`needs`)."""
        return any(need <= words for need in self.needs[word])

    def word_pattern(self, word: str) -> re.Pattern[str]:
        """The phrases that start with ``word`` (one of :attr:`firsts`), as one pattern that
        starts with the word, standing whole, and reads the rest of the phrase and the tail in
        a look-ahead, captured as group 1.

        Its matches take only the word, so one scan (``finditer``, which searches for the
        word fast) finds every start :meth:`matches` finds, also where a match would run over
        the next start; at each, group 1 ends where :attr:`pattern`'s match ends. Made on
        first use; the words are the vocabulary's own, a fixed set.
        """
        got = self._by_word.get(word)
        if got is None:
            w = re.escape(word)
            # every alternative of the word starts with it escaped, as the word is letters
            # and digits only: the rest of each follows
            rests = _ordered_trie([_rest_tokens(p, word) for p in self.phrases_of(word)])
            got = re.compile(f"{w}(?<![a-z0-9]{w})(?=((?:{rests}){self.tail}))")
            self._by_word[word] = got
        return got

    def phrases_of(self, word: str) -> list[str]:
        """The phrases that start with ``word``, in the order :attr:`pattern` tries them."""
        return [p for p in self.phrases if _ALNUM_WORD_RE.match(p).group() == word]  # type: ignore[union-attr]

    def matches(self, low: str) -> list[re.Match[str]]:
        """The matches in ``low`` that start on a word boundary, in order."""
        found: dict[int, re.Match[str]] = {}
        match = self.pattern.match
        for w in self.firsts:
            n = len(w)
            i = low.find(w)
            while i >= 0:
                if i == 0 or not low[i - 1].isalnum():
                    m = match(low, i)
                    if m is not None:
                        found.setdefault(i, m)
                i = low.find(w, i + n)
        return [found[k] for k in sorted(found)]


# a note after the label: "Member ID (from card):", "Claim Number (MSN):"
_PAREN_NOTE: Final = r"(?:[ \t]*\([a-z ]{1,20}+\))?"
_CLAIM_LABEL_RE: Final = _Vocab(_vocab.CLAIM_NUMBER_LABELS, _PAREN_NOTE + _SEP)
# a claim number in a sentence: "my claim number 12345", "Appeal for Claim 12345"
# (or in a table's next cell, "| Claim number | 12345 |"), also after a few words that say
# where it is written: "the claim number on my EOB is 12345", "Claim number from the Medicare
# Summary Notice: 12345"
# (a line break may stand around the joining words, as a wrapped sentence has it: "my
# Medicare number is\n1AB2-...")
_TAIL_SPACE: Final = r"(?:[ \t]+|[ \t]*\r?\n[ \t]*)"
# (a few words may also stand between the label and "is": "the claim you denied is number
# 12345", "the claim for her stay was 12345")
_SENTENCE_TAIL: Final = (
    rf"(?:[ \t]*\|[ \t]*|{_TAIL_SPACE}|{_TAIL_SPACE}(?:is|was|of){_TAIL_SPACE}"
    rf"|(?:{_TAIL_SPACE}[a-z]{{2,20}}+){{1,3}}?{_TAIL_SPACE}(?:is|was)"
    rf"(?:{_TAIL_SPACE}(?:number|no\.|#))?{_TAIL_SPACE}"
    rf"|{_TAIL_SPACE}(?:on|from)[ \t]+(?:my|the|your|our|this|his|her|their)"
    rf"(?:{_TAIL_SPACE}[a-z]{{2,20}}+){{1,3}}?"
    rf"(?:[ \t]*:[ \t]*(?:\r?\n[ \t]*)?|{_TAIL_SPACE}(?:is|was){_TAIL_SPACE}))"
    r"(?=[a-z0-9-]*[0-9])"
)
_CLAIM_SENTENCE_RE: Final = _Vocab(_vocab.CLAIM_NUMBER_LABELS, _SENTENCE_TAIL)
# the first words of the labels ("document" of "document control number", "clm" ...)
_CLAIM_GATE: Final = _gate(" ".join(w for w in _CLAIM_LABEL_RE.firsts if w.isalpha()))
# the headers of a table's columns that hold each value (see Scan.table_columns)
_CLAIM_HEADERS: Final = frozenset(_vocab.CLAIM_NUMBER_LABELS)
_MEMBER_HEADERS: Final = frozenset((*_vocab.MEMBER_ID_LABELS, *_vocab.MEMBER_ID_LINE_LABELS))
_MEDICARE_HEADERS: Final = frozenset(_vocab.MEDICARE_ID_LABELS)
_PATIENT_HEADERS: Final = frozenset(_vocab.PATIENT_LABELS)
_DOS_HEADERS: Final = frozenset(_vocab.SERVICE_DATE_LABELS)
_PROC_HEADERS: Final = frozenset(_vocab.PROCEDURE_HEADERS)
_ANY_HEADERS: Final = (
    _CLAIM_HEADERS
    | _MEMBER_HEADERS
    | _MEDICARE_HEADERS
    | _PATIENT_HEADERS
    | _DOS_HEADERS
    | _PROC_HEADERS
)
_MEMBER_LABEL_RE: Final = _Vocab(_vocab.MEMBER_ID_LABELS, _PAREN_NOTE + _SEP)
# (without a colon too, "| ID 1234 |", where its value holds four digits at least)
_MEMBER_LINE_LABEL_RE: Final = _Vocab(
    _vocab.MEMBER_ID_LINE_LABELS, rf"(?:{_SEP}|[ \t]+(?=[a-z0-9-]*[0-9]))"
)
_MEDICARE_LABEL_RE: Final = _Vocab(_vocab.MEDICARE_ID_LABELS, _PAREN_NOTE + _SEP)
# a member id or Medicare number without a colon ("my member ID is ...", "Member ID 1234",
# "| Member ID | 1234 |"), when it holds at least four digits
# (its value may be written in groups with spaces: "my member ID is GMH 5520 1187 09")
_MEMBER_SENTENCE_RE: Final = _Vocab(
    _vocab.MEMBER_ID_LABELS,
    _SENTENCE_TAIL.removesuffix(r"(?=[a-z0-9-]*[0-9])")
    + r"(?=[a-z0-9-]*[0-9]|(?!(?:is|was|of|no|number)[ ])[a-z]{1,10}[ ][0-9]{2})",
)
_MEDICARE_SENTENCE_RE: Final = _Vocab(_vocab.MEDICARE_ID_LABELS, _SENTENCE_TAIL)
# a second label may share the colon, its value after a slash ("Patient Name / Acct #: Jane Roe
# / 5588"): the name stops at the lone slash
_PATIENT_LABEL_RE: Final = _Vocab(
    _vocab.PATIENT_LABELS, r"(?:'s|\?s)?(?:[ \t]*/[ \t]*[a-z][a-z.# ]{0,15}+)?[ \t]*:[ \t]*"
)
# a label at the start of a line or table cell, its value in the next column: after a "|", a
# tab or two or more spaces ("PATIENT NAME      Jane Roe", "| Patient | Jane Roe |")
_PATIENT_COLUMN_RE: Final = _Vocab(
    _vocab.PATIENT_LABELS,
    # (or alone on its line over the name, as a form or a portal's copy prints it)
    rf"(?:[ \t]*\r?\n[ \t]*+(?=[^\W\d_])|{_LEADER}|[ \t]*\|[ \t]*|\t[ \t]*|[ \t]{{2,}}+)",
)
_NAME_VALUE_RE: Final = re.compile(r"[^\W\d_][^\n;()\[\]|]{0,79}+")
_NAME_SPLIT_RE: Final = re.compile(r"[\s,]+")


def _name_tokens(s: str) -> list[str]:
    out = []
    for tok in _NAME_SPLIT_RE.split(s):
        if not tok:
            continue
        if _HAS_DIGIT_RE.search(tok) or ":" in tok or tok == "/":
            break
        out.append(tok)
    return out


# "NPI: 1234567893", "NPI # ...", or in a table, "| NPI | 1234567893 |"
_NPI_LABEL_RE: Final = re.compile(
    r"npi(?![a-z0-9])(?:[ \t]+(?:number|no\.|no|#))?[ \t]*[:#|]?[ \t]*"
)
_NPI_GATE: Final = _gate("npi")


_LIST_MARKS: Final = " \t-*\u2022\u00b7"


def _heads_list(low: str, nl: int, i: int) -> bool:
    """Whether the code at ``i`` starts its line (after spaces or a bullet), the line feed
    before it at ``nl``, and the line above holds a word of :data:`_vocab.PROCEDURE_CONTEXT`
    ("Codes billed:" over a list of codes)."""
    if low[nl + 1 : i].strip(_LIST_MARKS):
        return False
    lo = max(0, nl - _PROC_REACH * 2)
    above = low.rfind("\n", lo, nl)
    return _PROC_CONTEXT_RE.search(low, above + 1 if above >= 0 else lo, nl) is not None


class _WordLabel(NamedTuple):
    """A label pattern that starts with a whole word (a space or tab follows it wherever the
    pattern matches): it is tried only where :meth:`Scan.starts_of` finds the word, a list
    that other labels and claim values share, instead of by a scan of its own."""

    word: str
    pattern: re.Pattern[str]


_DOB_TAIL: Final = r"[ \t]*[:#]?[ \t]*"
# (the words the label needs, a text it needs where a word may run on, the label)
_DOB_LABEL_RES: Final[tuple[tuple[Gate | None, str, re.Pattern[str] | _WordLabel], ...]] = (
    (
        _gate("date", "of"),
        "birth",
        _WordLabel("date", re.compile(r"date[ \t]+of[ \t]+birth" + _DOB_TAIL)),
    ),
    (None, "birth", re.compile(r"birth[ \t]*date" + _DOB_TAIL)),
    (_gate("dob"), "", re.compile(r"dob(?![a-z])" + _DOB_TAIL)),
    (_gate("d", "o"), "d.o.b", re.compile(r"d\.o\.b\.?" + _DOB_TAIL)),
)
_DOS_LABEL_RES: Final = ((None, "", _Vocab(_vocab.SERVICE_DATE_LABELS, r"[ \t]*[:#]?")),)
# the words before a date of service in a sentence, and a weekday between ("seen on Tuesday,
# March 3, 2026")
_DOS_SENTENCE_RE: Final = re.compile(
    _phrases(_vocab.SERVICE_IN_SENTENCE) + r"[ \t]*\r?\n?[ \t]*" + _WEEKDAY + r"\Z"
)
_DOS_SENTENCE_REACH: Final = 36
_PROC_CONTEXT_RE: Final = re.compile(_phrases(_vocab.PROCEDURE_CONTEXT))
# A code of CPT or HCPCS shape, ``[0-9]{4}[0-9ft]`` or ``[a-v][0-9]{4}``, with nothing but
# a space or punctuation other than / $ . , - before it and no letter or digit after it,
# searched for in :attr:`Scan.digits0` (every digit a 0), by its four digits: a pattern that
# starts with a literal is searched for fast. A match of four characters has its HCPCS
# letter just before it.
_PROC_AT_RE: Final = re.compile(
    r"0000(?:(?<![a-z0/$.,-]....)[0ft]|(?<=(?<![a-z0/$.,-])[a-v]....))(?![a-z0])"
)
_PROC_REACH: Final = 40
_ROW_GAP: Final = " \t|,;-"
_MY_RE: Final = re.compile(
    r"my[ \t]+(?!patient|office|practice|clinic|staff|colleague|team|name|signature|client)"
)
# Vocabularies looked for in the whole text, each with :meth:`Scan.phrases_in` (where the
# first word of a phrase starts a word): a pattern of many phrases, tried at every offset,
# costs a hundred times more on a letter that holds none of them.
_PATIENT_AUTHOR: Final = _Vocab(_vocab.PATIENT_AUTHOR, "")
_PROVIDER_AUTHOR: Final = _Vocab(_vocab.PROVIDER_AUTHOR, "")
_REMITTANCE: Final = _Vocab(_vocab.REMITTANCE_WORDS, "")
_MEDICARE_CUE: Final = _Vocab(_vocab.MEDICARE_CUES, "")
_PLANS: Final = tuple((kind, _Vocab(words, "")) for kind, words in _vocab.PLAN_WORDS)
_PRIVATE_PLAN: Final = _Vocab(_vocab.MEDICARE_PRIVATE_PLAN_WORDS, "")
_SUPPLEMENT: Final = _Vocab(_vocab.MEDICARE_SUPPLEMENT_WORDS, "")
# products commercial plans sell too: they make a Medicare plan only beside "Medicare"
_COMMERCIAL_TOO: Final = frozenset(("hmo", "ppo", "hmo-pos"))
# a group number label and a value with a digit ("group no.: 1000387", "group #: w0041",
# "Group number: GRP-4410")
_GROUP_NUMBER: Final = _Vocab(_vocab.GROUP_NUMBER_LABELS, r"[ \t]*[:#][ \t]*[a-z]{0,4}[ -]?[0-9]")
_LIST_SEP: Final = r"[ \t]*(?:,|/|&|\+|and(?![a-z])|or(?![a-z]))[ \t]*"
_PTOKEN: Final = r"[a-z0-9]{1,12}+"
_ITOKEN: Final = r"[a-z0-9][a-z0-9.]{0,9}+"
_LIST_TAIL_P: Final = (
    rf"(?:[ \t]+codes?)?[ \t]*[:#]?[ \t]*(?P<list>{_PTOKEN}(?:{_LIST_SEP}{_PTOKEN}){{0,19}})"
)
_LIST_TAIL_I: Final = (
    rf"(?:[ \t]+codes?)?[ \t]*[:#]?[ \t]*(?P<list>{_ITOKEN}(?:{_LIST_SEP}{_ITOKEN}){{0,19}})"
)
_PROC_LABEL_RES: Final = tuple(
    (gate, re.compile(p + _LIST_TAIL_P))
    for gate, p in (
        (_gate("cpt"), r"cpt(?:\?|\(r\))?(?:[ \t]*/[ \t]*hcpcs)?(?![a-z])"),
        (_gate("hcpcs"), r"hcpcs(?:[ \t]*/[ \t]*cpt)?(?![a-z])"),
        (_gate("procedure"), r"procedure(?![a-z])"),
    )
)
_ICD_LABEL_RES: Final = tuple(
    (gate, re.compile(p + _LIST_TAIL_I))
    for gate, p in (
        (_gate("icd"), r"icd-?10(?:-?cm)?(?![a-z])"),
        (_gate("diagnosis diagnoses"), r"diagnos(?:is|es)(?![a-z])"),
        (_gate("dx"), r"dx(?![a-z])"),
    )
)
_TOKEN_RE: Final = re.compile(r"[a-z0-9][a-z0-9.]*")
#: A diagnosis code with its dot, alone in parentheses after the condition it codes ("sepsis
#: (A41.95)"): no denial, procedure or revenue code has a dot, so the shape is the label.
_ICD_IN_PARENS_RE: Final = re.compile(r"\(([a-z][0-9][0-9a-z]\.[0-9a-z]{1,4})\)")
# what follows a number of units in a list of codes ("97110, 2 units each day", "95004, 40
# tests")
_QUANTITY_DIGITS: Final = 3
_QUANTITY_RE: Final = re.compile(
    r"[ \t]*(?:units?|visits?|doses?|sessions?|times|days?|minutes?|mins?|hours?|x"
    r"|tests?|injections?|treatments?|vials?)(?![a-z])"
)


# -- denial codes cited in the text ----------------------------------------------------

_GROUP_BODY: Final = r"(?:[ ]?-[ ]?|[ ]?)(?P<c>(?:MA|M|N)[0-9]{1,3}|[0-9]{1,3}|[A-Z][0-9]{1,2})"
_LETTERS: Final = "abcdefghijklmnopqrstuvwxyz"


def _code_words(prefix: str, letters: str = "") -> frozenset[bytes]:
    """The words of the text (:attr:`Scan.words`) that a code written ``prefix`` and digits
    starts with when nothing is glued before it: the prefix lower-cased, alone or with one
    of ``letters`` (``COA1``) or with ``ma`` (``COMA1``) after it."""
    p = prefix.lower()
    more = (p + c for c in letters) if letters else ()
    return frozenset(w.encode("ascii") for w in (p, *more, *((p + "ma",) if letters else ())))


# One pattern per group code (a pattern that starts with a literal is searched for fast),
# each with the words a citation of it starts with.
_GROUP_FORM_RES: Final = tuple(
    (_code_words(g, _LETTERS), re.compile(g + _GROUP_BODY)) for g in ("CO", "PR", "OA", "PI", "CR")
)
_CTOKEN: Final = r"[a-z0-9]{1,8}+(?:-[a-z0-9]{1,5}+){0,2}"
_CODE_LABEL_RES: Final = tuple(
    (
        gate,
        re.compile(p + rf"[ \t]*(?:[:#][ \t]*)?(?P<list>{_CTOKEN}(?:{_LIST_SEP}{_CTOKEN}){{0,9}})"),
    )
    for gate, p in (
        # a sentence may wrap between "CARC" and its code ("denied with CARC\n96")
        (_gate("carc carcs"), r"carcs?(?![a-z])(?:[ \t]*\r?\n(?=[ \t]*[0-9]))?"),
        (_gate("rarc rarcs"), r"rarcs?(?![a-z])(?:[ \t]*\r?\n(?=[ \t]*[a-z]{1,2}[0-9]))?"),
        (_gate("code codes"), r"codes?(?![a-z])"),
        # "Group CO / Reason 50": a reason after its group code (see _GROUP_BEFORE_RE)
        (_gate("reason", "group"), r"reason(?![a-z])"),
    )
)
_GROUP_BEFORE_RE: Final = re.compile(
    r"group(?:[ \t]+code)?[ \t]*[:#]?[ \t]*(?:co|pr|oa|pi|cr)[ \t]*[/,;|-]?[ \t]*\Z"
)
_GROUP_REACH: Final = 24
# "code" counts as a label after one of these words and a space ("reason code 16"); the
# word may be "adjustment reason", which ends with "reason" too.
_CODE_WORDS_BEFORE: Final = ("adjustment", "denial", "reason", "remark", "remittance")
_CODE_WORD_REACH: Final = 30
_CODE_TOKEN_RE: Final = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+){0,2}")
_RARC_BARE_RES: Final = (
    (frozenset((b"n",)), re.compile(r"N[0-9]{1,3}")),
    (frozenset((b"m", b"ma")), re.compile(r"MA?[0-9]{1,3}")),
)


@functools.lru_cache(maxsize=8)
def _extension_patterns(
    table: CodeTable,
) -> tuple[tuple[frozenset[bytes], re.Pattern[str]], ...]:
    """Patterns for the codes of the extension code sets written bare (``CCM21``), each with
    the word of the text such a code starts with."""
    prefixes = set()
    for c in table:
        if c.system is CodeSystem.EXTENSION:
            m = re.match(r"[A-Z]+", c.code)
            if m:
                prefixes.add(m.group())
    return tuple(
        (_code_words(p), re.compile(re.escape(p) + "[0-9]{1,4}")) for p in sorted(prefixes)
    )


class Cited(NamedTuple):
    """A denial code cited in the text.

    ``explicit`` is True for ``CO-16``-style and labelled citations (``reason code 16``),
    False for a known code written bare (``CCM21``, ``N290``). ``ref`` is None when the text
    is not a standard code at all (a payer's own, "reason code 4RX"); ``code`` is None when it
    is not in the tables. ``raw`` is the code as cited.
    """

    start: int
    ref: CodeRef | None
    code: DenialCode | None
    explicit: bool
    raw: str = ""


def _glued(s: str, i: int, j: int) -> bool:
    return (i > 0 and (s[i - 1].isalnum() or s[i - 1] == "-")) or (
        j < len(s) and (s[j].isalnum() or s[j] == "-")
    )


@functools.lru_cache(maxsize=4096)
def _resolve(table: CodeTable, raw: str) -> tuple[CodeRef | None, DenialCode | None]:
    try:
        ref = parse(raw)
    except ValueError:
        return None, None
    try:
        return ref, table.resolve(ref)
    except (LookupError, ValueError):
        return ref, None


# -- claim facts ---------------------------------------------------------------------


class _Where(NamedTuple):
    """A date with where it came from: a text offset or a claim path."""

    value: date
    at: int | None = None
    path: str | None = None


def _claim_service_dates(claim: Claim) -> list[tuple[int, date]]:
    out = []
    for i, s in enumerate(claim.services):
        d = _d(getattr(s, "date", None))
        if d is not None:
            out.append((i, d))
    return out


_BHI: Final = _care_minutes.codes("bhi")
_COCM: Final = frozenset({"99492", "99493", "99494", "G2214"})
_CCM21: Final = "CCM21"
_MINUTES_RE: Final = re.compile(r"min(?:ute)?s?\.?(?![a-z])")
_MINUTES_GATE: Final = _gate("min mins minute minutes")
_NUMBER_BEFORE_RE: Final = re.compile(r"(?<![0-9.])(?P<n>[0-9]{1,4})[ \t]*(?:-[ \t]*)?\Z")


@attrs.frozen
class _DeadlineInfo:
    due: date | None
    citation: str
    good_cause: bool
    problem: str | None
    __repr__ = fields_repr


_SSN_LABEL_RES: Final = (
    re.compile(r"ssn(?![a-z])"),
    re.compile(r"ss#"),
    re.compile(r"ss[ \t]+no\.?"),
    re.compile(r"social[ \t]+security(?:[ \t]+(?:number|no\.?|#))?"),
)
_SSN_LABEL_GATE: Final = _gate("ssn ss social")
_SSN_VALUE_RE: Final = re.compile(r"[ \t]*[:#]?[ \t]*(?P<v>[0-9]{3}[ -]?[0-9]{2}[ -]?[0-9]{4})")


# -------------------- the analyses of a document


class Scan:
    """What the built-in rules read from one document, worked out once, on first use.

    Attributes:
        text: the letter text, with each typographic look-alike (a space that does not break,
            a dash, a curly quote, a bullet) as its ASCII character (see
            :mod:`denialkit._typography`).
        ascii: the text with every non-ASCII character replaced by ``?`` (same offsets).
        low: ``ascii`` in lower case.
        nonascii: the distinct non-ASCII characters of the text.
        claim, codes, code_inputs, level, today: the document's.
        given_date, given_deadline: the document's ``letter_date`` and ``deadline``.

    Every other attribute is an analysis computed on first use, then kept.
    """

    def __init__(self, doc: Document) -> None:
        text = doc.text
        if text.isascii():
            ascii_text = text
            nonascii: frozenset[str] = frozenset()
        else:
            # each non-ASCII character becomes one "?"
            ascii_text = text.encode("ascii", "replace").decode("ascii")
            # a few marks: the non-ASCII characters stand where the copy has a "?" and the
            # text has not. The marks are visited one by one, at most one more than a few
            # (no count of them all is needed); when there are more, the other way below
            # gives the same set.
            found: set[str] = set()
            marks = 0
            i = ascii_text.find("?")
            while i >= 0 and marks <= _FEW_MARKS:
                marks += 1
                if text[i] != "?":
                    found.add(text[i])
                i = ascii_text.find("?", i + 1)
            if i < 0:  # every mark was visited: there are at most _FEW_MARKS of them
                nonascii = frozenset(found)
            else:
                raw = text.encode("utf-8", "surrogatepass").translate(None, _ASCII_BYTES)
                nonascii = frozenset(raw.decode("utf-8", "surrogatepass"))
            if not nonascii.isdisjoint(_LOOKALIKES):
                text = text.translate(_LOOKALIKE_MAP)
                ascii_text = text.encode("ascii", "replace").decode("ascii")
        text, ascii_text = _as_typed(text, ascii_text)
        if "*" in ascii_text and "**" in ascii_text:  # (a test for one character is fast)
            ascii_text = _BOLD_LABEL_RE.sub(_blank, ascii_text)
        self.text = text
        self.ascii = ascii_text
        self.low = ascii_text.lower()
        self.nonascii = nonascii
        self.claim = doc.claim
        self.codes = doc.codes
        self.code_inputs = doc.code_inputs
        self.given_date = doc.letter_date
        self.level = doc.level
        self.given_deadline = doc.deadline
        self.today = doc.today
        self.given_author = doc.author

    def has(self, gate: Gate | None) -> bool:
        """Whether a label guarded by ``gate`` can be in the text (see :func:`_gate`)."""
        if gate is None:
            return True
        words = self.words
        return not words.isdisjoint(gate[0]) and gate[1] <= words

    def dates_in(self, lo: int, hi: int) -> list[TextDate]:
        """The dates of the text that start at offsets ``lo`` to ``hi - 1``."""
        starts = self.date_starts
        return self.dates[bisect.bisect_left(starts, lo) : bisect.bisect_left(starts, hi)]

    # ---- the text in other forms

    @_lazy
    def controls(self) -> bool:
        """Whether the text holds ASCII control characters other than tab, line feed,
        carriage return and form feed."""
        # ``low`` holds the same control characters as ``ascii``
        return b"\x0b" in self._letter_runs

    @_lazy
    def shape(self) -> str:
        """The ASCII copy with every digit as ``0``, every capital an MBI may use as ``A``
        and the other capitals as ``B``: number shapes become plain substrings
        (``000-00-0000``)."""
        return self.ascii.encode("ascii").translate(_SHAPE_BYTES).decode("ascii")

    @_lazy
    def digits0(self) -> str:
        """``low`` with every digit as ``0`` and every line break as a space (what the
        searches on it read: a code's four digits, and a year with the date before it,
        which may be wrapped)."""
        return self.low.encode("ascii").translate(_DIGITS0_ONE_LINE).decode("ascii")

    @_lazy
    def digits0_rev(self) -> str:
        """:attr:`digits0` reversed: offset ``k`` of ``low`` is ``len(low) - 1 - k`` here."""
        return self.digits0[::-1]

    @_lazy
    def _letter_runs(self) -> bytes:
        """``low`` as bytes with every character other than a letter a space, or a vertical
        tab for a control character (:attr:`controls` and :attr:`words` share it)."""
        return self.low.encode("ascii").translate(_LETTER_RUNS)

    @_lazy
    def words(self) -> frozenset[bytes]:
        """The distinct runs of letters in ``low``, as bytes (see :func:`_gate`)."""
        return frozenset(self._letter_runs.split())

    @_lazy
    def not_english(self) -> bool:
        """Whether the letter is written in another language than English: of its words
        (in any script, at least :data:`_FOREIGN_MIN_WORDS` different ones), fewer than one in
        :data:`_FOREIGN_SHARE` is one of English's commonest words (:data:`_ENGLISH_WORDS`).
        A letter with many of those words is English without counting them; an English
        letter, even a short form, has more than one in eight."""
        if len(self.words & _ENGLISH_WORDS) >= _ENGLISH_SURE:
            return False
        # words of any script here: ``low`` turns a letter outside ASCII into "?", which
        # would cut "toán" into "to" and "n"
        runs = _UNICODE_WORD_RE.findall(self.text.lower())
        if len(set(runs)) < _FOREIGN_MIN_WORDS:
            return False  # too few words to tell, or one word repeated (junk, not a language)
        return sum(w.encode("ascii", "ignore") in _ENGLISH_WORDS for w in runs) * (
            _FOREIGN_SHARE
        ) < len(runs)

    @_lazy
    def _starts(self) -> dict[str, list[int]]:
        return {}

    def starts_of(self, word: str) -> list[int]:
        """Where ``word`` (a run of ASCII letters and digits) stands as a whole run in
        ``low``; found in one pass the first time a word is asked for, then kept. Claim
        values are looked for only there (see :func:`_find_value`)."""
        known = self._starts
        got = known.get(word)
        if got is None:
            low = self.low
            if word in _VOCAB_WORDS:
                got = [m.start() for m in _word_re(word).finditer(low)]
            else:
                got = []
                n, end = len(word), len(low)
                i = low.find(word)
                while i >= 0:
                    j = i + n
                    if (i == 0 or not low[i - 1].isalnum()) and (j >= end or not low[j].isalnum()):
                        got.append(i)
                        i = low.find(word, j)
                    else:
                        i = _next_word(low, i, word)
            known[word] = got
        return got

    def vocab_spans(self, vocab: _Vocab) -> list[tuple[int, int]]:
        """The spans of ``vocab.matches(self.low)``, found cheaper: each phrase's first word
        ends where a run of letters and digits ends (see :func:`_phrases`), so a phrase can
        only match where that word stands whole, and not at all when the word is not among
        :attr:`words`. Each first word that is there is looked for by one scan in C
        (:meth:`_Vocab.word_pattern`), with no Python step where no phrase matches."""
        known = self._spans
        got = known.get(vocab)
        if got is None:
            # each offset starts one whole word, so no two first words share an offset
            got = known[vocab] = sorted(self._first_word_spans(vocab))
        return got

    @_lazy
    def _spans(self) -> dict[_Vocab, list[tuple[int, int]]]:
        return {}

    def _first_word_spans(self, vocab: _Vocab) -> Iterator[tuple[int, int]]:
        """The matches of the patterns of ``vocab``'s first words that can match this text,
        as (start, end of group 1), in order for each word (see :meth:`vocab_spans`). A word
        whose places are known already (:meth:`starts_of`) is tried there only; another is
        found by one scan in C."""
        low, words, patterns, starts = self.low, self.words, vocab._by_word, self._starts
        # the first words of letters only that are among the words (one intersection in C),
        # then those with a digit
        for w, needs in (*map(vocab.keyed.__getitem__, words & vocab.keys), *vocab.unkeyed):
            # only when one of its phrases has all its runs of letters there
            # (:meth:`_Vocab.possible`, written out)
            if needs is not None:
                for need in needs:
                    if need <= words:
                        break
                else:
                    continue
            pattern = patterns.get(w) or vocab.word_pattern(w)
            at = starts.get(w)
            if at is None:
                for m in pattern.finditer(low):
                    yield m.start(), m.end(1)
            else:
                # a phrase's first word stands whole where it matches (see :func:`_phrases`),
                # so its matches start where the word does
                match = pattern.match
                for i in at:
                    hit = match(low, i)
                    if hit is not None:
                        yield i, hit.end(1)

    def phrases_in(self, vocab: _Vocab) -> list[tuple[int, int]]:
        """The spans of the phrases of ``vocab`` in ``low`` that stand on word boundaries, in
        order, as a search from left to right finds them: a span that starts inside the one
        before is left out (two phrases that overlap count once)."""
        low = self.low
        n = len(low)
        out: list[tuple[int, int]] = []
        last = 0
        for start, end in self.vocab_spans(vocab):
            if start >= last and (end >= n or not low[end].isalnum()):
                out.append((start, end))
                last = end
        return out

    def says(self, vocab: _Vocab) -> bool:
        """Whether a phrase of ``vocab`` stands in ``low`` on word boundaries."""
        low = self.low
        n = len(low)
        spans = self._spans.get(vocab)
        # when the spans are not known, the first phrase found ends the search (any() stops
        # there): the other first words need no scan
        found = self._first_word_spans(vocab) if spans is None else spans
        return any(end >= n or not low[end].isalnum() for _, end in found)

    def _ends(self, pattern: re.Pattern[str] | _Vocab | _WordLabel) -> list[int]:
        """Where the matches of ``pattern`` in ``low`` that start on a word boundary end."""
        if isinstance(pattern, _Vocab):
            return [e for _, e in self.vocab_spans(pattern)]
        low = self.low
        if isinstance(pattern, _WordLabel):
            match = pattern.pattern.match
            found = map(match, repeat(low), self.starts_of(pattern.word))
            return [m.end() for m in found if m]
        return [m.end() for m in _words_at(pattern, low)]

    @_lazy
    def capitals(self) -> bytes:
        """The capital letters of the text in order, everything else left out: capitals that
        stand next to each other in the text (``TBD``) do here too, in a much shorter
        string."""
        return self.ascii.encode("ascii").translate(None, _NOT_CAPITAL_BYTES)

    @_lazy
    def rev(self) -> str:
        """``low`` reversed, with every line break a space (as :attr:`digits0_rev`): offset
        ``k`` of ``low`` is ``len(low) - 1 - k`` here."""
        return self.low.encode("ascii").translate(_LINE_BREAK_AS_SPACE).decode("ascii")[::-1]

    @_lazy
    def folded(self) -> str:
        """The text case-, accent- and spacing-folded (see :func:`_fold`)."""
        return _fold(self.text)

    @_lazy
    def one_line(self) -> str:
        """``low`` with every run of spaces, tabs and line breaks as one space, and a word
        wrapped after its hyphen joined again (``out-of-\nnetwork``)."""
        low = self.low
        # (one search for the hyphen, which the engine finds fast, and a substitution only
        # where a word is wrapped)
        if _WRAPPED_HYPHEN_RE.search(low) is not None:
            low = _WRAPPED_HYPHEN_RE.sub("-", low)
        return " ".join(low.split())

    @_lazy
    def flat_ascii(self) -> str:
        """``low`` without spaces and punctuation."""
        return _NON_ALNUM_RE.sub("", self.low)

    @_lazy
    def flat_folded(self) -> str:
        """``folded`` without spaces and punctuation."""
        return _NON_WORD_RE.sub("", self.folded)

    # ---- dates

    @_lazy
    def dates(self) -> list[TextDate]:
        """Every date written in the text, in order: ``March 31, 2026``, ``Mar. 31st,
        2026``, ``31 March 2026``, ``03/31/2026``, ``03-31-2026``, ``03.31.2026``,
        ``31-Mar-2026``, ``2026-03-31`` and ``2026/03/31``."""
        low, form = self.low, self.shape
        n = len(low)
        found: dict[int, TextDate] = {}
        value: date | None
        for sep in "-/":
            if sep not in form:
                continue
            for i in _finds(form, f"0000{sep}00{sep}00"):
                if (
                    not (i and form[i - 1] == "0")
                    and not (i + 10 < n and form[i + 10] == "0")
                    and not (i and low[i - 1] in "/-.")
                ):
                    value = _make_date(
                        int(low[i : i + 4]), int(low[i + 5 : i + 7]), int(low[i + 8 : i + 10])
                    )
                    found.setdefault(i, _new(TextDate, (i, i + 10, value)))
        for sep in "/-.":
            if sep not in form:
                continue
            for i in _finds(form, sep + "0000"):
                e = i + 5
                if e < n and form[e] == "0":
                    continue
                b = _NUMERIC_BEFORE_YEAR_RE.search(low, i - 5 if i > 5 else 0, i + 1)
                if b is not None and b.group("sep") == sep:
                    month, day = int(b.group("um")), int(b.group("ud"))
                elif sep == "-":  # "31-Mar-2026", "14-APR-2026"
                    b = _MONTH_BEFORE_YEAR_RE.search(low, i - 13 if i > 13 else 0, i + 1)
                    if b is None or b.group("mon") not in _MONTHS:
                        continue
                    month, day = _MONTHS[b.group("mon")], int(b.group("d"))
                else:
                    continue
                start = b.start()
                if start and (
                    form[start - 1] == "0" or low[start - 1] in "/-." or low[start - 1].isalpha()
                ):
                    continue
                value = _make_date(int(low[i + 1 : e]), month, day)
                found.setdefault(start, _new(TextDate, (start, e, value)))
        if " 0000" in form or "\n0000" in form:  # a year after a space or a line break
            self._named_dates(found)
        if "/" in form:
            self._short_year_dates(found)
        return [found[k] for k in sorted(found)]

    def _short_year_dates(self, found: dict[int, TextDate]) -> None:
        """Add the dates with a two-digit year (``2/18/26``, ``02/18/26``) to ``found``:
        only real calendar dates, in the 2000s up to next year, else the 1900s (a birth
        date)."""
        low, form = self.low, self.shape
        n = len(low)
        pivot = self.today.year % 100 + 1
        for i in _finds(form, "/00"):
            e = i + 3
            if e < n and (
                form[e] in "0/" or (form[e] in "-." and e + 1 < n and form[e + 1] == "0")
            ):
                continue
            b = _NUMERIC_BEFORE_YEAR_RE.search(low, i - 5 if i > 5 else 0, i + 1)
            if b is None or b.group("sep") != "/":
                continue
            start = b.start()
            if start in found or (start and (form[start - 1] == "0" or low[start - 1] in "/-.")):
                continue
            yy = int(low[i + 1 : e])
            value = _make_date(
                yy + (2000 if yy <= pivot else 1900), int(b.group("um")), int(b.group("ud"))
            )
            if value is not None:
                found[start] = _new(TextDate, (start, e, value))

    def _named_dates(self, found: dict[int, TextDate]) -> None:
        """Add the written-out dates (``March 31, 2026``, ``31 Mar. 2026``) to ``found``,
        read backwards from their years (see :data:`_NAMED_YEAR_REV_RE`). The years come
        last to first; no two dates start at the same offset (what stands before a year holds
        no four digits in a row), so the order does not matter."""
        low = self.low
        n = len(low)
        months = _MONTHS_REV
        reach = _DATE_WINDOW + 5  # from the end of the year back to the window's start
        for y in _NAMED_YEAR_REV_RE.finditer(self.digits0_rev):
            k = y.start()  # in the text: the year ends at n - k, after a space at n - k - 5
            e = n - k
            end = y.end(1)
            if end - k <= reach or e <= reach:
                mn = y.group(3)
                if mn:
                    month = months.get(mn)
                    d0, d1 = y.span(2)
                else:
                    month = months.get(y.group(4))
                    d0, d1 = y.span(5)
                day = low[n - d1 : n - d0]
            else:  # the match runs past the window: match again within it
                b = _NAMED_BEFORE_YEAR_REV_RE.match(self.rev, k + 4, k + reach)
                if b is None:
                    continue
                end = b.end()
                md, mn, dm, dd = b.groups()
                month = months.get(mn if mn else dm)
                day = (md if mn else dd)[::-1]
            start = n - end
            if month is None or (
                start and (low[start - 1].isalpha() if mn else low[start - 1].isdigit())
            ):
                continue
            if start not in found:
                try:
                    value: date | None = date(int(low[e - 4 : e]), month, int(day))
                except ValueError:
                    value = None
                found[start] = _new(TextDate, (start, e, value))

    @_lazy
    def date_starts(self) -> list[int]:
        """The offsets of :attr:`dates`."""
        return [t.start for t in self.dates]

    @_lazy
    def date_set(self) -> frozenset[date]:
        """The real calendar dates written in the text."""
        return frozenset(t.value for t in self.dates if t.value is not None)

    @_lazy
    def letter_date(self) -> tuple[date | None, int | None]:
        """The letter's date and its offset in the text (from the letter object, a
        ``Date:`` line, or a line holding only a date in the first 30 lines)."""
        if self.given_date is not None:
            day = _d(self.given_date)
            if not day:
                return day, None
            for t in self.dates:
                if t.value == day:
                    return day, t.start
            return day, None
        low = self.low
        if self.has(_DATE_LABEL_GATE):
            labels = _words_at(_DATE_LABEL_RE, low)
            if self.has(_SENT_LABEL_GATE):
                labels = sorted([*labels, *_words_at(_SENT_LABEL_RE, low)], key=_match_start)
            for m in labels:
                head = _line_head(low, m.start(), 12)
                if head is None or head.strip() not in ("", "letter", "-", "*"):
                    continue
                hit = self.dates_in(m.end(), m.end() + 1)
                if hit and hit[0].value is not None:
                    return hit[0].value, hit[0].start
                break
        top = 0
        for _ in range(_TOP_LINES):
            nl = low.find("\n", top, top + 2000)
            if nl < 0:
                top = min(len(low), top + 2000)
                break
            top = nl + 1
        for t in self.dates_in(0, top):
            if t.value is None:
                continue
            head = _line_head(low, t.start, 16)
            # a word processor's date line may start with the weekday: "Wednesday, November 25"
            blank = head is not None and (not head.strip() or _WEEKDAY_HEAD_RE.fullmatch(head))
            tail = low[t.end : _line_end(low, t.end, reach=8)]
            # the letter's first words may be its date and a dash, in a letter of one
            # paragraph ("April 14, 2026 - To the Appeals Unit: ...")
            if (
                head is not None
                and blank
                and (
                    not tail.strip().strip(".")
                    or (
                        not low[: t.start - len(head)].strip()
                        and tail.lstrip()[:1] in ("-", "?", ":")
                    )
                )
                # a date wrapped onto a line of its own ends a sentence: no letter date
                and not (
                    t.start > len(head) and _prose_before(self.ascii, t.start - len(head) - 1, True)
                )
            ):
                return t.value, t.start
        # a date set at the right end of the letterhead's first line, after a wide gap
        # ("MAPLE RIDGE OPTOMETRY                April 10, 2026")
        first = len(low) - len(low.lstrip())
        nl = low.find("\n", first)
        for t in self.dates_in(first, len(low) if nl < 0 else nl):
            if (
                t.value is not None
                and _RIGHT_GAP_RE.search(low, first, t.start) is not None
                and not low[t.end : _line_end(low, t.end, reach=8)].strip()
            ):
                return t.value, t.start
        return None, None

    def _labelled_dates(
        self,
        labels: Sequence[tuple[Gate | None, str, re.Pattern[str] | _Vocab | _WordLabel]],
        lines: int,
    ) -> list[TextDate]:
        low, words = self.low, self.words
        found: dict[int, TextDate] = {}
        has: dict[str, bool] = {"": True}
        for gate, needle, pattern in labels:
            if gate is not None and (words.isdisjoint(gate[0]) or not gate[1] <= words):
                continue
            if needle not in has:
                has[needle] = needle in low
            if not has[needle]:
                continue
            for end in self._ends(pattern):
                hi = end + 3 if lines == 0 else _line_end(low, end, lines, reach=200) + 1
                for t in self.dates_in(end, hi):
                    found.setdefault(t.start, t)
        return [found[k] for k in sorted(found)]

    @_lazy
    def birth_dates(self) -> list[TextDate]:
        """Dates written right after a date-of-birth label."""
        return self._labelled_dates(_DOB_LABEL_RES, 0)

    @_lazy
    def service_dates_text(self) -> list[TextDate]:
        """Dates written after a date-of-service label, on its line or the next, or in a
        table's column under such a label."""
        found = self._labelled_dates(_DOS_LABEL_RES, 2)
        cells = self._column_cells(_DOS_HEADERS) if self.table_columns else ()
        if cells:
            seen = {t.start for t in found}
            found += [t for a, b in cells for t in self.dates_in(a, b) if t.start not in seen]
            found.sort(key=lambda t: t.start)
        return found

    # ---- labelled values

    @_lazy
    def table_columns(self) -> dict[str, list[tuple[int, int]]]:
        """The columns of tables whose first row names them ("| Claim number | Patient |
        Member ID | Date of service |" over one row per claim): for each header (see
        :func:`_header_key`), the (start, end) offsets of the cells under it. A table is two
        or more lines of cells set apart by "|", its first row free of digits and with two
        labels of an id, a name, a date or a procedure code at least (a table of "label |
        value" rows has one); a rule line ("|---|---|") is passed over, and a row with
        another number of cells ends it. A table aligned with spaces or tabs ("Claim
        number   DOS   CPT", as a word processor or a PDF leaves it) has its cells set
        apart by a tab or two spaces or more; a row with as many cells as the header has
        one in each column, another's cells are each under the header that starts nearest
        to its left, and a blank line or a line of one cell ends it."""
        columns: dict[str, list[tuple[int, int]]] = {}
        low = self.low
        if "|" not in low and "  " not in low and "\t" not in low:
            return columns
        header: list[str] | None = None
        starts: list[int] | None = None  # the header's cell columns in a spaced table
        pos = 0
        for line in low.splitlines(keepends=True):
            at, pos = pos, pos + len(line)
            body = line.rstrip("\r\n")
            if starts is not None and header is not None:
                row = _spaced_cells(body, at)
                if not body.strip() or (len(row) < 2 and body.strip(_RULE_CELL_CHARS)):
                    header = starts = None  # a blank line or a line of prose ends it
                    continue
                if len(row) == len(header):  # one cell a column (tabs do not align)
                    for key, cell in zip(header, row, strict=True):
                        columns.setdefault(key, []).append(cell)
                    continue
                for a, b in row:
                    col = a - at
                    i = sum(1 for s in starts if s <= col + 2) - 1
                    columns.setdefault(header[max(i, 0)], []).append((a, b))
                continue
            if "|" in body:
                cells = _cells(body, at)
            elif ("  " in body or "\t" in body) and not _HAS_DIGIT_RE.search(body):
                cells = _spaced_cells(body, at)
                keys = [_header_key(low[a:b]) for a, b in cells]
                if _is_header(keys):
                    header, starts = keys, [a - at for a, _ in cells]
                else:
                    header = None
                continue
            else:
                cells = []
            if len(cells) < 2:
                header = None
                continue
            if not body.strip(_RULE_CELL_CHARS + "|"):
                continue  # a rule line under the header
            if header is None or len(cells) != len(header):
                header = None
                if not _HAS_DIGIT_RE.search(body):
                    keys = [_header_key(low[a:b]) for a, b in cells]
                    # two labels at least: a table of "label | value" rows has one per row
                    if _is_header(keys):
                        header = keys
                continue
            for key, cell in zip(header, cells, strict=True):
                if cell[0] < cell[1]:
                    columns.setdefault(key, []).append(cell)
        return columns

    def _column_cells(self, labels: frozenset[str]) -> list[tuple[int, int]]:
        """The cells under the headers of :attr:`table_columns` that are among ``labels``."""
        columns = self.table_columns
        return sorted(c for key, cells in columns.items() if key in labels for c in cells)

    def _column_values(self, labels: frozenset[str], least: int) -> list[Labelled]:
        """The identifiers (with at least ``least`` digits) in the cells under ``labels``."""
        out = []
        for a, _ in self._column_cells(labels):
            v = _value_after(self.text, a)
            if v is not None and len(_ASCII_DIGIT_RE.findall(v.value)) >= least:
                out.append(v)
        return out

    @_lazy
    def claim_numbers(self) -> list[Labelled]:
        """Values written after a claim-number label."""
        out: list[Labelled] = []
        if not self.has(_CLAIM_GATE):
            return out
        low, text = self.low, self.text
        seen: set[int] = set()
        for pattern, least in ((_CLAIM_LABEL_RE, 1), (_CLAIM_SENTENCE_RE, 4)):
            if out:
                break  # a labelled claim number is there: no need to read sentences
            for start, end in self.vocab_spans(pattern):
                if low.endswith("insurance ", 0, start):
                    continue
                v = _value_after(text, end)
                if (
                    v is not None
                    and v.start not in seen
                    and len(_ASCII_DIGIT_RE.findall(v.value)) >= least
                    and not _VA_ICN_RE.fullmatch(v.value)  # a veteran's ICN, not a claim's
                    # in a sentence, a date is no claim number ("the claim we sent was 3/4/2026")
                    and (least == 1 or not self.dates_in(v.start, v.start + 1))
                ):
                    seen.add(v.start)
                    out.append(v)
        if self.table_columns:
            out += [v for v in self._column_values(_CLAIM_HEADERS, 4) if v.start not in seen]
        out.sort(key=_start)
        return out

    @_lazy
    def member_ids(self) -> list[Labelled]:
        """Values written after a member id or Medicare number label."""
        low, text = self.low, self.text
        out = []
        seen: set[int] = set()
        for pattern, medicare, line_start in (
            (_MEDICARE_LABEL_RE, True, False),
            (_MEMBER_LABEL_RE, False, False),
            (_MEMBER_LINE_LABEL_RE, False, True),
        ):
            for start, end in self.vocab_spans(pattern):
                if line_start and not _starts_field(low, start):
                    continue
                v = _value_after(text, end)
                if v is None and "/" in low[start - 12 : start]:
                    # two labels share the colon, two values the slash: "Patient / member ID:
                    # Jane Roe / 1234"
                    slash = low.find(" / ", end, _line_end(low, end, reach=80))
                    v = _value_after(text, slash + 3) if slash >= 0 else None
                if (
                    line_start
                    and v is not None
                    and not low[start:end].rstrip().endswith((":", "#", "."))
                    # four digits at least, and no ZIP code after Idaho's "ID" ("Boise, ID
                    # 83706")
                    and (len(_ASCII_DIGIT_RE.findall(v.value)) < 4 or _ZIP_RE.fullmatch(v.value))
                ):
                    continue
                if v is not None and v.start not in seen:
                    seen.add(v.start)
                    out.append(_new(Labelled, (v.value, v.start, medicare)))
        # without a colon: a member id always (a second patient's may be in a sentence), a
        # Medicare number only when no id is labelled (a second one is found by its shape)
        for pattern, medicare in ((_MEMBER_SENTENCE_RE, False), (_MEDICARE_SENTENCE_RE, True)):
            if medicare and out:
                break
            for _, end in self.vocab_spans(pattern):
                v = _value_after(text, end)
                if v is None or v.start in seen or len(_ASCII_DIGIT_RE.findall(v.value)) < 4:
                    continue
                if medicare and not (mbi_is_valid(v.value) or hicn_like(v.value)):
                    continue  # "the MBI 2026 update": only a real Medicare number counts
                seen.add(v.start)
                out.append(_new(Labelled, (v.value, v.start, medicare)))
        for headers, medicare in (
            ((_MEDICARE_HEADERS, True), (_MEMBER_HEADERS, False)) if self.table_columns else ()
        ):
            for v in self._column_values(headers, 4):
                if v.start not in seen:
                    seen.add(v.start)
                    out.append(_new(Labelled, (v.value, v.start, medicare)))
        # a veteran's VA Integration Control Number is known by its shape, labelled or not (a
        # second veteran's, "another veteran (ICN ...)", is a second patient's)
        # (found by its shape in :attr:`shape`, where a search for a literal is fast, and
        # read where the shape is)
        if "V" in text:
            for i in _finds(self.shape, _VA_ICN_SHAPE):
                m = _VA_ICN_RE.match(text, i)
                if m is not None and i not in seen:
                    seen.add(i)
                    out.append(_new(Labelled, (m.group(), i, False)))
        out.sort(key=_start)
        return out

    @_lazy
    def patient_names(self) -> list[Labelled]:
        """Names written after a ``Patient:`` label (or beneficiary, member, ...), or, when
        there is none, in the next column after such a label that starts a line or a table
        cell."""
        text, low = self.text, self.low
        out = []
        ends = [end for _, end in self.vocab_spans(_PATIENT_LABEL_RE)]
        # the columns are read only when no label has a colon (the usual case needs no scan)
        for start, end in () if ends else self.vocab_spans(_PATIENT_COLUMN_RE):
            head = _line_head(low, start, 8)
            if head is not None and head.strip() in ("", "|", "-", "*"):
                # a table's header names the next column: no name ("Patient Name   Member ID")
                cell = _COLUMN_GAP_RE.split(low[end : _line_end(low, end, reach=80)], 1)[0]
                if _header_key(cell.split("|", 1)[0]) not in _ANY_HEADERS:
                    ends.append(end)
        if self.table_columns:
            ends += [a for a, _ in self._column_cells(_PATIENT_HEADERS)]
        for end in ends:
            v = _NAME_VALUE_RE.match(text, end)
            toks = _name_tokens(v.group()) if v else []
            if toks:
                out.append(_new(Labelled, (" ".join(toks), end, False)))
        out.sort(key=_start)
        return out

    @_lazy
    def npis(self) -> list[Labelled]:
        """Values written after an NPI label."""
        out: list[Labelled] = []
        if not self.has(_NPI_GATE):
            return out
        text = self.text
        for m in _words_at(_NPI_LABEL_RE, self.low):
            v = _value_after(text, m.end())
            # a date after the label is no NPI ("the provider's NPI of 2026-10-10", an
            # enclosure and its date)
            if v is not None and not self.dates_in(v.start, v.start + len(v.value)):
                out.append(v)
        return out

    def _listed(self, labels: tuple[tuple[Gate, re.Pattern[str]], ...]) -> list[Labelled]:
        low, text, words = self.low, self.text, self.words
        found: dict[int, Labelled] = {}
        for (any_of, all_of), pattern in labels:
            if words.isdisjoint(any_of) or not all_of <= words:
                continue
            for m in _words_at(pattern, low):
                base = m.start("list")
                for t in _TOKEN_RE.finditer(m.group("list")):
                    v = t.group().rstrip(".")
                    if v not in ("and", "or") and _ASCII_DIGIT_RE.search(v):
                        at = base + t.start()
                        if len(v) <= _QUANTITY_DIGITS and _QUANTITY_RE.match(low, at + len(v)):
                            continue  # a count after the code: "CPT 97110, 2 units"
                        found.setdefault(at, Labelled(text[at : at + len(v)], at))
        return [found[k] for k in sorted(found)]

    @_lazy
    def procedure_codes(self) -> list[Labelled]:
        """Codes written after ``CPT``, ``HCPCS`` or ``procedure``, and codes of CPT or HCPCS
        shape up to 40 characters after a word of :data:`_vocab.PROCEDURE_CONTEXT` on their
        line ("The E/M code, 99284") or alone in parentheses ("manipulation (98941)"), or in
        a table's column headed by one (see :attr:`table_columns`); in a letter with none of
        these, codes right after a date of service (a list of claims)."""
        found = {v.start: v for v in self._listed(_PROC_LABEL_RES)}
        low, text = self.low, self.text
        bare: list[tuple[int, int]] = []
        for m in _PROC_AT_RE.finditer(self.digits0):
            i, e = m.start(), m.end()
            if e - i == 4:
                i -= 1  # the letter of a HCPCS code
            if i in found:
                continue
            lo = max(0, i - _PROC_REACH)
            nl = low.rfind("\n", lo, i)
            if (
                (i and low[i - 1] == "(" and low.startswith(")", e))
                or _PROC_CONTEXT_RE.search(low, nl + 1 if nl >= 0 else lo, i) is not None
                or (nl >= 0 and _heads_list(low, nl, i))
            ):
                found[i] = Labelled(text[i:e], i)
            else:
                bare.append((i, e))
        if bare and self.table_columns:
            # a code in a table's column of procedure codes ("CDT" over "D1351")
            cells = self._column_cells(_PROC_HEADERS)
            for i, e in bare if cells else ():
                if any(a <= i and e <= b for a, b in cells):
                    found[i] = Labelled(text[i:e], i)
        if not found:
            # a letter that names no code otherwise may list them in rows, each right after
            # its date of service
            for i, e in bare:
                if self._after_service_date(i):
                    found[i] = Labelled(text[i:e], i)
        return [found[k] for k in sorted(found)]

    def _after_service_date(self, i: int) -> bool:
        """Whether only spaces, tabs and marks that part fields ("|", ",", ";", "-") stand
        between a date of service and the code at ``i``: a row of a list of claims ("Claim 123
        DOS 01/05/26   92507   $165.00"), a subject line of fields ("DOS 1/15/26 - E0470")."""
        k = i
        low = self.low
        while k > 0 and low[k - 1] in _ROW_GAP:
            k -= 1
        # (a date ends in a digit: the dates of service are read only after a date)
        if k == i or not low[k - 1].isdigit() or k not in self.date_ends:
            return False
        return any(t.end == k for t in self.service_dates_text)

    @_lazy
    def date_ends(self) -> frozenset[int]:
        """Where the dates of :attr:`dates` end."""
        return frozenset(t.end for t in self.dates)

    @_lazy
    def prose_service_dates(self) -> list[TextDate]:
        """Dates in a sentence about the service ("the MRI on February 18, 2026")."""
        low = self.low
        out = []
        for t in self.dates:
            if t.value is not None and _DOS_SENTENCE_RE.search(
                low, max(0, t.start - _DOS_SENTENCE_REACH), t.start
            ):
                out.append(t)
        return out

    @_lazy
    def diagnoses(self) -> list[Labelled]:
        """Codes written after ``ICD-10``, ``diagnosis`` or ``Dx``, and codes of ICD-10-CM
        shape with their dot alone in parentheses ("sepsis (A41.95)")."""
        found = {v.start: v for v in self._listed(_ICD_LABEL_RES)}
        text = self.text
        for m in _ICD_IN_PARENS_RE.finditer(self.low):
            at = m.start(1)
            found.setdefault(at, Labelled(text[at : m.end(1)], at))
        return [found[k] for k in sorted(found)]

    # ---- denial codes

    @_lazy
    def cited(self) -> list[Cited]:
        """Denial codes cited in the text, in order."""
        table = default_table()
        text, low = self.ascii, self.low
        found: dict[int, Cited] = {}

        def add(start: int, raw: str, explicit: bool) -> None:
            if start in found:
                return
            ref, code = _resolve(table, raw)
            if explicit or code is not None:
                found[start] = Cited(start, ref, code, explicit, raw)

        words = self.words
        for starts, pattern in _GROUP_FORM_RES:
            if words.isdisjoint(starts):
                continue
            for m in pattern.finditer(text):
                if not _glued(text, m.start(), m.end()):
                    add(m.start(), f"{text[m.start() : m.start() + 2]}-{m.group('c')}", True)
        for i, ((any_of, _), pattern) in enumerate(_CODE_LABEL_RES):
            if words.isdisjoint(any_of):
                continue
            for m in _words_at(pattern, low):
                if i == 2:
                    head = low[max(0, m.start() - _CODE_WORD_REACH) : m.start()]
                    word = head.rstrip(" \t")
                    if len(word) == len(head) or not word.endswith(_CODE_WORDS_BEFORE):
                        continue
                elif i == 3:
                    head = low[max(0, m.start() - _GROUP_REACH) : m.start()]
                    if _GROUP_BEFORE_RE.search(head) is None:
                        continue
                base = m.start("list")
                for t in _CODE_TOKEN_RE.finditer(m.group("list")):
                    v = t.group()
                    if v in ("and", "or") or not _ASCII_DIGIT_RE.search(v):
                        continue
                    add(base + t.start(), text[base + t.start() : base + t.end()], True)
        bare = list(_extension_patterns(table))
        if not self.codes or any(c.system is CodeSystem.RARC for c in self.codes):
            bare.extend(_RARC_BARE_RES)
        for starts, pattern in bare:
            if words.isdisjoint(starts):
                continue
            for m in pattern.finditer(text):
                if not _glued(text, m.start(), m.end()):
                    add(m.start(), m.group(), False)
        return [found[k] for k in sorted(found)]

    @_lazy
    def cited_keys(self) -> frozenset[tuple[CodeSystem, str]]:
        """``(system, code)`` of every cited code that parses."""
        return frozenset((c.ref.system, c.ref.code) for c in self.cited if c.ref)

    # ---- the claim, and what stands for it when there is none

    @_lazy
    def plan(self) -> PlanType | None:
        """The claim's plan type, when there is a claim and it has one."""
        claim = self.claim
        if claim is None:
            return None
        p = claim.payer.plan_type
        return p if isinstance(p, PlanType) else None

    @_lazy
    def author(self) -> Author:
        """Who writes: the caller's word, else worked out from the text. A letter that uses
        more of a patient's phrases (:data:`_vocab.PATIENT_AUTHOR`: "my claim", "my doctor",
        "on behalf of my son", and each "my" that is not "my patient" or "my office") than of
        a provider's ("our patient", "NPI", "our practice") is a patient's; a tie is a
        provider's, whose letters have more to show."""
        if self.given_author is not None:
            return self.given_author
        low = self.low
        patient = len(self.phrases_in(_PATIENT_AUTHOR))
        # "my" about one's own care ("my allergist", "my shots"), not "my patient"
        patient += sum(1 for m in _MY_RE.finditer(low) if _wb(low, m.start(), m.start() + 2))
        # a patient's representative: rare phrases, counted by a search for each
        patient += sum(low.count(w) for w in _vocab.PATIENT_REPRESENTATIVE)
        if not patient:
            # no patient's phrase: a provider's letter whatever the provider's count (a tie
            # is a provider's), so those phrases need no search
            return Author.PROVIDER
        provider = len(self.phrases_in(_PROVIDER_AUTHOR))
        provider += sum(low.count(w) for w in _vocab.PROVIDER_ROLE)
        return Author.PATIENT if patient > provider else Author.PROVIDER

    @_lazy
    def plan_kind(self) -> PlanType:
        """The kind of plan: the claim's, else the first kind of :data:`_vocab.PLAN_WORDS`
        the letter names, else a commercial plan."""
        if self.plan is not None:
            return self.plan
        for kind, vocab in _PLANS:
            if not self.says(vocab):
                continue
            if kind == "medicare" and self._private_plan():
                return PlanType.MEDICARE_ADVANTAGE
            if kind == "medicare" and (
                self._group_not_medicare() or self._commercial_product() or self._supplement_plan()
            ):
                return PlanType.COMMERCIAL
            return PlanType(kind)
        return PlanType.COMMERCIAL

    @_lazy
    def medicare_cue(self) -> bool:
        """Whether the letter shows it is an original Medicare appeal by more than the word
        "Medicare" (:data:`_vocab.MEDICARE_CUES`: "redetermination", "Medicare number",
        "Part B", "Medicare denied", ...)."""
        return self.says(_MEDICARE_CUE)

    def _private_plan(self) -> bool:
        """Whether the letter names a Medicare plan's private product (HMO, PPO, SNP, ...).
        An HMO or PPO counts when "Medicare" stands on its line ("Lakeview Medicare Complete
        (HMO)") or the letter gives a Medicare number: a commercial HMO's letter may say
        that Medicare covers the service."""
        low = self.low
        for start, stop in self.phrases_in(_PRIVATE_PLAN):
            if low[start:stop] not in _COMMERCIAL_TOO:
                return True
            line = low.rfind("\n", 0, start) + 1
            end = low.find("\n", stop)
            if "medicare" in low[line : len(low) if end < 0 else end]:
                return True
            if any(v.medicare or mbi_is_valid(v.value) for v in self.member_ids):
                return True
        return False

    def _commercial_product(self) -> bool:
        """Whether the letter names an HMO or PPO (asked when it is no Medicare plan's, see
        :meth:`_private_plan`): a commercial plan's product, Medicare named only in
        passing ("Medicare covers this therapy")."""
        low = self.low
        return any(low[i:j] in _COMMERCIAL_TOO for i, j in self.phrases_in(_PRIVATE_PLAN))

    def _supplement_plan(self) -> bool:
        """Whether the letter names a plan that pays after Medicare (a Medigap policy,
        secondary coverage) and gives no Medicare number: it goes to that plan, which is
        not Medicare (:data:`_vocab.MEDICARE_SUPPLEMENT_WORDS`)."""
        return self.says(_SUPPLEMENT) and not any(
            v.medicare or mbi_is_valid(v.value) for v in self.member_ids
        )

    def _group_not_medicare(self) -> bool:
        """Whether the letter gives a group number and no Medicare number: it names
        Medicare as another payer (coordination of benefits), since Original Medicare has no
        group numbers."""
        return (
            "group" in self.low
            and bool(self.vocab_spans(_GROUP_NUMBER))
            and not any(v.medicare or mbi_is_valid(v.value) for v in self.member_ids)
        )

    @_lazy
    def answers_remittance(self) -> bool:
        """Whether the letter speaks of a remittance or its codes."""
        return self.says(_REMITTANCE)

    @_lazy
    def service_dates(self) -> list[_Where]:
        """Dates of service: the claim's, or else those labelled in the text."""
        if self.claim is not None:
            return [
                _Where(v, path=f"services[{i}].date") for i, v in _claim_service_dates(self.claim)
            ]
        return [_Where(t.value, at=t.start) for t in self.service_dates_text if t.value]

    @_lazy
    def service_days(self) -> list[date]:
        """The distinct dates of service, in order."""
        return sorted({w.value for w in self.service_dates})

    @_lazy
    def birth_date(self) -> _Where | None:
        """The patient's date of birth: the claim's, or else the first labelled one."""
        if self.claim is not None:
            b = _d(self.claim.patient.birth_date)
            return _Where(b, path="patient.birth_date") if b else None
        for t in self.birth_dates:
            if t.value is not None:
                return _Where(t.value, at=t.start)
        return None

    @_lazy
    def service_codes(self) -> list[tuple[str, Decimal, str | None, int | None]]:
        """``(code, units, claim path, text offset)`` for each billed service."""
        if self.claim is not None:
            out: list[tuple[str, Decimal, str | None, int | None]] = []
            for i, s in enumerate(self.claim.services):
                code = _s(getattr(s, "code", None))
                if code is None:
                    continue
                units = (
                    s.units if isinstance(s.units, Decimal) and s.units.is_finite() else Decimal(1)
                )
                out.append((code.strip().upper(), units, f"services[{i}].code", None))
            return out
        return [(p.value.upper(), Decimal(1), None, p.start) for p in self.procedure_codes]

    @_lazy
    def bhi_codes(self) -> frozenset[str] | None:
        """The BHI/CoCM codes billed, or None when the BHI evidence rules do not apply."""
        billed = frozenset(c for c, _, _, _ in self.service_codes) & _BHI
        ccm21 = any(c.code == _CCM21 for c in self.codes) or (
            not self.codes and any(c.code is not None and c.code.code == _CCM21 for c in self.cited)
        )
        return billed if (billed or ccm21) else None

    def _minutes(self) -> Iterator[tuple[int, int]]:
        if not self.has(_MINUTES_GATE):
            return
        low = self.low
        # the matches of _words_at(_MINUTES_RE, low), read one at a time: states_minutes
        # stops the scan at the first number of minutes
        for m in _MINUTES_RE.finditer(low):
            i = m.start()
            if i and low[i - 1].isalnum():
                continue
            b = _NUMBER_BEFORE_RE.search(low, max(0, i - 8), i)
            if b is not None:
                yield int(b.group("n")), b.start()

    @_lazy
    def text_minutes(self) -> list[tuple[int, int]]:
        """``(minutes, offset)`` for each number of minutes written in the text."""
        return list(self._minutes())

    @_lazy
    def states_minutes(self) -> bool:
        """Whether :attr:`text_minutes` has any (found without looking for all)."""
        if "text_minutes" in self.__dict__:
            return bool(self.text_minutes)
        return next(self._minutes(), None) is not None

    @_lazy
    def letter_day(self) -> tuple[date, int | None, str | None, bool]:
        """The letter's date (or today), its offset, a path, and whether the date is
        known."""
        day, at = self.letter_date
        if day is not None:
            path = "letter_date" if self.given_date is not None and at is None else None
            return day, at, path, True
        return self.today, None, None, False

    @_lazy
    def deadline_info(self) -> _DeadlineInfo | None:
        """The filing deadline: the letter object's, or computed from the claim."""
        dl: object = self.given_deadline
        if dl is None:
            if self.claim is None:
                return None
            try:
                dl = deadline_for(self.claim, level=self.level)
            except (TypeError, ValueError, AttributeError) as exc:
                return _DeadlineInfo(None, "", False, _deadline_problem(self, exc))
        due = _d(getattr(dl, "due", None))
        level = getattr(dl, "level", None)
        good = bool(getattr(level, "good_cause_extension", True))
        citation = getattr(dl, "citation", "")
        return _DeadlineInfo(due, citation if isinstance(citation, str) else "", good, None)

    @_lazy
    def medicare_ids(self) -> list[tuple[str, int | None, str | None]]:
        """Medicare numbers: the claim's member id on a Medicare claim, and every value
        labelled as a Medicare number, as ``(value, text offset, claim path)``."""
        out: list[tuple[str, int | None, str | None]] = []
        if self.claim is not None and self.plan is PlanType.MEDICARE:
            member = _s(self.claim.patient.member_id)
            if member is not None:
                out.append((member, None, "patient.member_id"))
        for v in self.member_ids:
            if v.medicare:
                out.append((v.value, v.start, None))
        return out

    @_lazy
    def ssn_starts(self) -> list[int]:
        """Offsets of what looks like a Social Security number."""
        text, low = self.ascii, self.low
        starts: set[int] = set()
        for s in _finds(self.shape, "000-00-0000"):
            e = s + 11
            if (s and (text[s - 1].isalnum() or text[s - 1] == "-")) or (
                e < len(text) and (text[e].isalnum() or text[e] == "-")
            ):
                continue
            if ssn_like(text[s:e]):
                starts.add(s)
        if self.has(_SSN_LABEL_GATE) and _any_in(low, ("ssn", "ss#", "ss no", "social")):
            for pattern in _SSN_LABEL_RES:
                for m in _words_at(pattern, low):
                    v = _SSN_VALUE_RE.match(low, m.end())
                    if v is None:
                        continue
                    e = v.end("v")
                    if e < len(low) and low[e].isalnum():
                        continue
                    if ssn_like(v.group("v").replace(" ", "-")):
                        starts.add(v.start("v"))
        return sorted(starts)


def _deadline_problem(sc: Scan, exc: Exception) -> str:
    if isinstance(exc, (TypeError, AttributeError)):
        return "a date or level in the claim has the wrong type"
    claim = sc.claim
    if (
        claim is not None
        and sc.plan in (PlanType.COMMERCIAL, PlanType.MEDICAID)
        and claim.payer.appeal_window_days is None
    ):
        return "the payer sets the filing window and the claim does not give it"
    return "denialkit has no filing rule for this plan type and appeal level"


def _any_in(low: str, words: Sequence[str]) -> bool:
    return any(map(low.__contains__, words))


_SUBSCRIBER_REACH: Final = 40


def _subscriber_label(low: str, at: int) -> bool:
    """Whether the name at ``at`` follows a subscriber's label on its line ("Subscriber: ...",
    "Plan member / subscriber: ..."): a parent or spouse who holds the plan, not a second
    patient (DK602) nor another patient than the claim's (DK213)."""
    line = low.rfind("\n", max(0, at - _SUBSCRIBER_REACH), at) + 1
    head = low[max(line, at - _SUBSCRIBER_REACH) : at]
    return any(w in head for w in _vocab.SUBSCRIBER_WORDS)


def _starts_field(low: str, at: int) -> bool:
    """Whether the label at ``at`` starts a field of its own: it starts its line (after a
    list mark), or a field of a line whose fields are set apart by "|", ";", "," or a spaced
    dash ("Member: Jane Roe | ID: 1234", "Patient: Jane Roe; ID: 1234", "Member: Jane Roe,
    ID 1234"), as a header line or a table row has them, or by a gap of two spaces or more
    ("Member: Jane Roe   ID: 1234"), or it opens a parenthesis ("Jane Roe (ID 1234)")."""
    head = _line_head(low, at, 8)
    if head is not None and head.strip() in ("", "-", "*"):
        return True
    k = at - 1
    while k >= 0 and low[k] in " \t":
        k -= 1
    if k < 0:
        return False
    if low[k] in "|;," or (low[k] == "-" and k > 0 and low[k - 1] == " "):
        return True
    if low[k] == "(" and k == at - 1:
        return True
    return at - k > 2 and low[k] != "\n"


def _mentions(sc: Scan, words: Sequence[str]) -> bool:
    """Whether ``low`` holds one of ``words``, also where a line break stands between two of
    a phrase's words ("not\ncovered", "care\nmanager"): the one-line copy is made only when
    the plain test fails."""
    return _any_in(sc.low, words) or _any_in(sc.one_line, words)
