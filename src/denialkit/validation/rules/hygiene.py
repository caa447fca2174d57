"""DK7xx: text hygiene (invisible, look-alike and control characters; length)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import Final

from denialkit.validation._analysis import (
    _ASCII_DIGIT_RE,
    Scan,
)
from denialkit.validation._model import Document, Finding, Rule

from ._registry import (
    _NONE,
    E,
    W,
    _Hit,
    _report,
    _rule,
)

# -------------------- DK7xx text hygiene

_BIDI: Final = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
_BIDI_RE: Final = re.compile("[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]+")
_ZERO_WIDTH: Final = frozenset("\u200b\u200c\u200d\u2060\ufeff")
_ZW_RE: Final = re.compile("[\u200b-\u200d\u2060\ufeff]+")
_IDENT_LEFT_RE: Final = re.compile(r"[0-9A-Za-z-]{1,40}\Z")
_IDENT_RIGHT_RE: Final = re.compile(r"[0-9A-Za-z-]{1,40}")


@_rule(
    "DK701",
    "bidi-control",
    E,
    summary="No bidirectional control character is in the text: it can make the letter "
    "display differently from what is stored.",
    hint="Delete the invisible direction-control characters (retype the passage).",
    authority='CVE-2021-42574 "Trojan Source"; Debian lintian unicode-trojan code points',
)
def _dk701(r: Rule, doc: Document, sc: Scan) -> Iterable[Finding]:
    if not sc.nonascii & _BIDI:
        return _NONE
    return _dk701_all(r, doc)


def _dk701_all(r: Rule, doc: Document) -> Iterator[Finding]:
    for m in _BIDI_RE.finditer(doc.text):
        yield r.finding(
            doc, "an invisible text-direction control character is in the letter", at=m.start()
        )


def _in_identifier(text: str, start: int, end: int) -> bool:
    left = _IDENT_LEFT_RE.search(text, max(0, start - 40), start)
    right = _IDENT_RIGHT_RE.match(text, end)
    if left is None or right is None:
        return False
    return _ASCII_DIGIT_RE.search(left.group() + right.group()) is not None


@_rule(
    "DK702",
    "zero-width-in-identifier",
    E,
    summary="No zero-width character sits inside an identifier (a number or code with digits).",
    hint="Retype the identifier; an invisible character makes it differ from the real one.",
    authority="Unicode UTR #36 and UTS #39 (invisible characters); design decision",
)
def _dk702(r: Rule, doc: Document, sc: Scan) -> Iterable[Finding]:
    if not sc.nonascii & _ZERO_WIDTH:
        return _NONE
    return _dk702_all(r, doc)


def _dk702_all(r: Rule, doc: Document) -> Iterator[Finding]:
    for m in _ZW_RE.finditer(doc.text):
        if _in_identifier(doc.text, m.start(), m.end()):
            yield r.finding(
                doc, "an invisible zero-width character is inside an identifier", at=m.start()
            )


@_rule(
    "DK703",
    "zero-width-character",
    W,
    summary="No zero-width character sits in the prose.",
    hint="Delete the invisible character.",
    authority="Unicode UTR #36 and UTS #39 (invisible characters); design decision",
)
def _dk703(r: Rule, doc: Document, sc: Scan) -> Iterable[Finding]:
    if not sc.nonascii & _ZERO_WIDTH:
        return _NONE
    return _dk703_all(r, doc)


def _dk703_all(r: Rule, doc: Document) -> Iterator[Finding]:
    for m in _ZW_RE.finditer(doc.text):
        if not _in_identifier(doc.text, m.start(), m.end()):
            yield r.finding(doc, "an invisible zero-width character is in the letter", at=m.start())


_NON_ASCII_DIGIT_RE: Final = re.compile(r"(?:(?![0-9])\d)+")


@_rule(
    "DK704",
    "non-ascii-digit",
    E,
    summary="Every digit is an ASCII digit 0-9 (no fullwidth, Arabic-Indic or other "
    "script's digits).",
    hint="Retype the number with ordinary digits.",
    authority="python-stdnum isdigits() rationale (str.isdigit and int accept other digits); "
    "design decision",
)
def _dk704(r: Rule, doc: Document, sc: Scan) -> Iterable[Finding]:
    if not any(c.isdecimal() for c in sc.nonascii):
        return _NONE
    return _dk704_all(r, doc)


def _dk704_all(r: Rule, doc: Document) -> Iterator[Finding]:
    for m in _NON_ASCII_DIGIT_RE.finditer(doc.text):
        yield r.finding(doc, "a number uses digits other than 0-9", at=m.start())


_FEW_LETTERS: Final = 24
_TOKEN_ANY_RE: Final = re.compile(r"[^\W_][\w-]{0,80}+")
# runs of ASCII letters and digits, "-" and "?" (what stands for a non-ASCII character in the
# ASCII copy): backwards in the lower-case text (the characters str.rstrip takes off the 40
# before a place are that run, at most 40 long), and forwards
_TOKEN_BACK_CHARS: Final = "0123456789abcdefghijklmnopqrstuvwxyz?-"
_TOKEN_BACK: Final = 40
_TOKEN_ON_RE: Final = re.compile(r"[0-9A-Za-z?-]{0,39}+")


def _may_look_latin(c: str) -> bool:
    """Whether a letter is of a script with look-alikes of Latin letters (Latin, Greek,
    Cyrillic and the other alphabets before U+2E80, fullwidth and mathematical letters), not
    a CJK ideograph, kana or hangul, which a Chinese, Japanese or Korean letter writes right
    beside digits ("2026年4月10日")."""
    o = ord(c)
    return o < 0x2E80 or 0xFF21 <= o <= 0xFF5A or 0x1D400 <= o <= 0x1D7FF


@_rule(
    "DK705",
    "lookalike-in-identifier",
    E,
    summary="No identifier mixes ASCII digits with non-ASCII letters (look-alikes such as "
    "Cyrillic 'А' for Latin 'A').",
    hint="Retype the identifier with ordinary letters and digits.",
    authority="Unicode UTS #39 (confusables); python-stdnum clean(); design decision",
)
def _dk705(r: Rule, doc: Document, sc: Scan) -> Iterable[Finding]:
    letters = [c for c in sc.nonascii if c.isalpha() and _may_look_latin(c)]
    if not letters:
        return _NONE
    text = doc.text
    hits: set[int] = set()
    if len(letters) > _FEW_LETTERS:
        for m in _TOKEN_ANY_RE.finditer(text):
            tok = m.group()
            if (
                not tok.isascii()
                and _ASCII_DIGIT_RE.search(tok)
                and any(not c.isascii() and c.isalpha() and _may_look_latin(c) for c in tok)
            ):
                hits.add(m.start())
    else:
        ascii_text, low = sc.ascii, sc.low
        for ch in letters:
            i = text.find(ch)
            while i >= 0:
                # the run of token characters around it, at most 40 back and 39 on
                before = low[max(0, i - _TOKEN_BACK) : i]
                lo = i - len(before) + len(before.rstrip(_TOKEN_BACK_CHARS))
                hi = _TOKEN_ON_RE.match(ascii_text, i + 1).end()  # type: ignore[union-attr]
                if _ASCII_DIGIT_RE.search(ascii_text, lo, hi):
                    hits.add(lo)
                i = text.find(ch, hi)
    message = "an identifier mixes digits with look-alike letters"
    return _report(r, doc, [(message, at, None) for at in sorted(hits)])


_SURROGATE_RE: Final = re.compile("[\ud800-\udfff]+")
_CONTROL_RE: Final = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]+")
_C1: Final = frozenset(chr(c) for c in range(0x80, 0xA0))


@_rule(
    "DK706",
    "unencodable-character",
    E,
    summary="Every character can be encoded: no lone surrogate, which breaks PDF and fax output.",
    hint="Re-save the text as UTF-8 and retype the damaged passage.",
    authority="The Unicode Standard (surrogate code points are not characters); design decision",
)
def _dk706(r: Rule, doc: Document, sc: Scan) -> Iterable[Finding]:
    if not any("\ud800" <= c <= "\udfff" for c in sc.nonascii):
        return _NONE
    return _dk706_all(r, doc)


def _dk706_all(r: Rule, doc: Document) -> Iterator[Finding]:
    for m in _SURROGATE_RE.finditer(doc.text):
        yield r.finding(doc, "the text holds bytes that are not valid characters", at=m.start())


@_rule(
    "DK707",
    "control-character",
    E,
    summary="No control character other than tab, line feed, carriage return and form feed.",
    hint="Delete the control character; it usually comes from a bad copy and paste.",
    authority="Design decision (renderers and fax gateways reject control characters)",
)
def _dk707(r: Rule, doc: Document, sc: Scan) -> Iterable[Finding]:
    if not sc.controls and not sc.nonascii & _C1:
        return _NONE
    return _dk707_all(r, doc)


def _dk707_all(r: Rule, doc: Document) -> Iterator[Finding]:
    for m in _CONTROL_RE.finditer(doc.text):
        yield r.finding(doc, "the text holds an invisible control character", at=m.start())


@_rule(
    "DK708",
    "replacement-character",
    W,
    summary="No U+FFFD replacement character: the mark of text lost in an earlier decoding.",
    hint="Find the original text and retype what was lost.",
    authority="The Unicode Standard (U+FFFD); design decision",
)
def _dk708(r: Rule, doc: Document, sc: Scan) -> Iterable[Finding]:
    if "\ufffd" not in sc.nonascii:
        return _NONE
    return _dk708_all(r, doc)


def _dk708_all(r: Rule, doc: Document) -> Iterator[Finding]:
    for m in re.finditer("\ufffd+", doc.text):
        yield r.finding(
            doc, "the text holds a replacement character where text was lost", at=m.start()
        )


_MAX_LETTER: Final = 100_000


@_rule(
    "DK709",
    "letter-too-long",
    W,
    summary=f"The letter is at most {_MAX_LETTER:,} characters long (about 30 pages).",
    hint="Move supporting detail into enclosures; keep the letter to its argument.",
    authority="No authority sets a length; the reviewer reads the letter and the record is "
    "enclosed",
)
def _dk709(r: Rule, doc: Document, sc: Scan) -> list[Finding]:
    found: list[Finding] = []
    if len(doc.text) > _MAX_LETTER:
        found.append(r.finding(doc, f"the letter is longer than {_MAX_LETTER:,} characters"))
    return found


@_rule(
    "DK710",
    "empty-letter",
    E,
    summary="The letter has text: not empty, nor only spaces and blank lines. An empty letter "
    "gets this one finding instead of one for every missing element.",
    hint="Check that the right file was given, and that it was saved with its text.",
    authority="logic (an empty file is not a letter)",
)
def _dk710(r: Rule, doc: Document, sc: Scan) -> list[Finding]:
    found: list[Finding] = []
    if not doc.text.strip():
        found.append(r.finding(doc, "the letter is empty"))
    return found


_SALUTATION_RE: Final = re.compile(
    r"(?:dear|to whom it may concern|hello|greetings|to[ \t]+the[ \t]+"
    r"(?:[a-z0-9/&-]{1,20}+[ \t]+){0,4}?"
    r"(?:reviewer|reviewers|committee|team|department|examiner|officer|director|staff|unit"
    r"|section|office|panel|board|desk|coordinator|specialist))"
    r"(?![a-z])(?P<rest>[^\n]{0,200}+)"
)
_SALUTATION_END_RE: Final = re.compile(r"[^:,\n]{0,60}+[:,]?[ \t]*\r?\Z")
_HEADER_REQUEST_RE: Final = re.compile(
    r"please[ \t]+(?:pay|remit|send|wire|transfer|approve|process)|"
    r"(?:pay|remit|wire|transfer)[ \t]+(?:the[ \t]+)?(?:sum|amount|us|me|\$)"
)


# where a line's first word other than spaces and tabs starts as a salutation does (dear, to,
# hello, greetings): the line feed before it, found in C
_SALUTATION_LINE_RE: Final = re.compile(r"\n[ \t]*+(?=dear|to|hello|greetings)")
_INDENT_RE: Final = re.compile(r"[ \t]*+")


_HEADER_REQUEST_WORDS: Final = ("please", "pay", "remit", "wire", "transfer")


# a line of prose: ten words or more (a header's lines, names and addresses, are shorter)
_PROSE_LINE_RE: Final = re.compile(r"^[ \t]*(?:[^\s]+[ \t]+){9}[^\s]", re.M)


def _body_start(low: str) -> int:
    """Where the body of a letter without a salutation starts: its first line of prose (a
    memo, a form or a letter that opens without "Dear ..."); the header is what comes
    before it."""
    m = _PROSE_LINE_RE.search(low)
    return len(low) if m is None else m.start()


def _salutations(low: str) -> list[tuple[int, bool]]:
    """Offsets of the lines that open with a salutation, and whether the line holds only
    the salutation ("Dear appeals reviewer:")."""
    out = []
    head = _INDENT_RE.match(low).end()  # type: ignore[union-attr]
    starts = [head] if low.startswith(("dear", "to", "hello", "greetings"), head) else []
    starts.extend(m.end() for m in _SALUTATION_LINE_RE.finditer(low))
    for i in starts:
        m = _SALUTATION_RE.match(low, i)
        if m is not None:
            out.append((i, _SALUTATION_END_RE.match(m.group("rest")) is not None))
    return out


@_rule(
    "DK712",
    "not-english",
    W,
    summary="The letter is written in English. A letter in another language gets this one "
    "finding instead of one for every element the checks of English wording cannot read: the "
    "required-content and evidence rules (DK1xx, DK5xx) do not run on it.",
    hint="Have someone who reads the language check the letter's content (patient, member "
    "id, claim, dates, codes, request, signature); add an English translation if the plan asks "
    "for one.",
    authority="45 CFR 92.201 (language assistance for people with limited English "
    "proficiency): a letter in another language is not a defect, but these checks read English",
)
def _dk712(r: Rule, doc: Document, sc: Scan) -> list[Finding]:
    found: list[Finding] = []
    if sc.not_english:
        found.append(
            r.finding(
                doc,
                "the letter is not in English; its required content was not checked",
            )
        )
    return found


@_rule(
    "DK711",
    "injected-salutation",
    E,
    summary="The header holds no salutation or request of its own: one salutation opens the "
    "letter, alone on its line, and no line before it asks for money or payment (text that "
    "a one-line field such as the payer's name carried into the recipient block).",
    hint="Check the claim's one-line fields (payer, provider and patient names) for line "
    "breaks and text that does not belong there; remove the extra lines.",
    authority="logic (a one-line field holds one line; issue #16: injected header text)",
)
def _dk711(r: Rule, doc: Document, sc: Scan) -> Iterable[Finding]:
    low = sc.low
    if "dear" not in low and "please" not in low and "pay" not in low and "hello" not in low:
        return _NONE
    hits: list[_Hit] = []
    saluts = _salutations(low)
    lone = [at for at, alone in saluts if alone]
    # the letter's own salutation is the last one alone on its line: text carried in by a
    # field of the recipient block comes before it
    opening = lone[-1] if lone else (saluts[0][0] if saluts else _body_start(low))
    for at, alone in saluts:
        if at != opening:
            hits.append(("a second salutation stands in the letter", at, None))
        elif not alone:
            hits.append(("the salutation line carries more text than a salutation", at, None))
    # a request starts with one of these words: most headers hold none of them
    if any(low.find(w, 0, opening) >= 0 for w in _HEADER_REQUEST_WORDS):
        for m in _HEADER_REQUEST_RE.finditer(low, 0, opening):
            hits.append(("a line of the header asks for payment", m.start(), None))
    return _report(r, doc, sorted(hits, key=lambda h: h[1] or 0))
