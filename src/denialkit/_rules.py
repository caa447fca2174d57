"""denialkit's built-in validation rules (private; see ``docs/rules.md``).

Every rule is a function registered with :func:`_rule`, which makes it a
:class:`~denialkit.validation.Rule`. The function receives the document and its
:class:`Scan`: what several rules read from a document (the text in lower case, the dates in
the text, labelled values, cited codes) is worked out there once per document, on first use,
and shared through :meth:`~denialkit.validation.Document.cached`. A validator calls these
functions directly (:func:`builtin_check`).

Speed and safety of the scans:

- Most patterns start with a literal (``claim``, ``npi``, ``20``), which the regular
  expression engine finds with a fast substring search; word boundaries are then checked in
  Python. Patterns run on an ASCII copy of the text (every other character replaced by ``?``,
  so offsets stay the same) in lower case.
- A label that starts with a word (``member id:``, ``dob``) is first looked up in the set of
  words of the text (:attr:`Scan.words`), and its pattern runs only when its words are there;
  other rules first test for a character or word their trigger cannot do without (``[``,
  ``___``, ``TBD`` among the capitals).
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
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Final, Generic, NamedTuple, TypeVar, overload

import attrs

from ._ids import (
    compact,
    hicn_like,
    icd10cm_shape_ok,
    mbi_is_valid,
    npi_is_valid,
    procedure_kind,
    ssn_like,
)
from .claim import Claim, PlanType
from .codes import CodeRef, CodeSystem, DenialCode, default_table, parse
from .deadlines import deadline_for
from .validation import Document, Finding, Rule, Severity

if TYPE_CHECKING:
    from .codes import CodeTable

__all__ = ["RETIRED", "RULES"]

E, W, INF = Severity.ERROR, Severity.WARNING, Severity.INFO

RuleFn = Callable[[Rule, Document, "Scan"], Iterable[Finding]]
_NONE: Final[tuple[Finding, ...]] = ()
_SCAN_KEY: Final = "dk.scan"


class _Builtin(Rule):
    """A built-in rule: metadata plus a check function."""

    def __init__(
        self,
        id: str,
        slug: str,
        severity: Severity,
        summary: str,
        hint: str,
        authority: str,
        fn: RuleFn,
    ) -> None:
        self.id = id
        self.slug = slug
        self.severity = severity
        self.summary = summary
        self.hint = hint
        self.authority = authority
        self._fn = fn

    def check(self, doc: Document) -> Iterable[Finding]:
        # a validator calls the function directly (see builtin_check); this is for a caller
        # that asks the rule itself
        return self._fn(self, doc, scan(doc)) or _NONE


_REGISTERED: list[Rule] = []


def builtin_check(rule: Rule) -> RuleFn | None:
    """For one of denialkit's own rules, its check function, which a validator calls with
    the document's shared :class:`Scan` (one call instead of two per rule); None for any
    other rule. The function returns the findings, or an empty list or ``()`` for none."""
    return rule._fn if type(rule) is _Builtin else None


_Hit = tuple[str, int | None, str | None]
"""What a finding will say: its message, text offset and claim path."""


def _report(r: Rule, doc: Document, hits: list[_Hit]) -> Iterable[Finding]:
    """The findings for ``hits``, made one at a time (a validator may stop at its limit)."""
    if not hits:
        return _NONE
    return (r.finding(doc, message, at=at, path=path) for message, at, path in hits)


def _rule(
    id: str, slug: str, severity: Severity, *, summary: str, hint: str, authority: str
) -> Callable[[RuleFn], RuleFn]:
    def register(fn: RuleFn) -> RuleFn:
        _REGISTERED.append(_Builtin(id, slug, severity, summary, hint, authority, fn))
        return fn

    return register


# -------------------- the text

_ASCII_BYTES: Final = bytes(range(128))
_CONTROL_BYTES: Final = bytes([*range(9), 11, *range(14, 32), 127])
_NOT_CONTROL_BYTES: Final = bytes(b for b in range(256) if b not in _CONTROL_BYTES)
_NOT_CAPITAL_BYTES: Final = bytes(b for b in range(256) if not 65 <= b <= 90)
_FEW_NONASCII: Final = 8
_LETTER_RUNS: Final = bytes(c if 97 <= c <= 122 else 32 for c in range(256))
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
    """The first offset of ``needle`` in ``hay`` on word boundaries, or -1."""
    if not needle:
        return -1
    n = len(needle)
    end = len(hay)
    i = hay.find(needle)
    while i >= 0:
        j = i + n
        if (i == 0 or not hay[i - 1].isalnum()) and (j >= end or not hay[j].isalnum()):
            return i
        i = hay.find(needle, i + 1)
    return -1


def _words_at(pattern: re.Pattern[str], hay: str) -> list[re.Match[str]]:
    """Matches of ``pattern`` that start on a word boundary."""
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
    boundaries at both ends. ASCII words are matched on the ASCII copy; other text is
    compared accent-insensitively."""
    if value.isascii():
        hay = sc.low
        words = tuple(_ALNUM_WORD_RE.findall(value.lower())[:_MAX_PHRASE_WORDS])
    else:
        hay = sc.folded
        words = tuple(re.findall(r"\w+", _fold(value))[:_MAX_PHRASE_WORDS])
    if not words:
        return False
    for m in _phrase_re(words).finditer(hay):
        if _wb(hay, m.start(), m.end()):
            return True
    squashed = "".join(words)
    if len(squashed) < _MIN_SQUASH or len(words) < 2:
        return False
    # "P.O. Box" against "PO Box": compare with every space and punctuation mark removed
    return squashed in (sc.flat_ascii if value.isascii() else sc.flat_folded)


def _has_value(sc: Scan, value: str) -> bool:
    """Whether a name, address line or phrase from the claim is in the text: exactly, then
    ignoring case, spacing, punctuation (and accents)."""
    v = value.strip()
    if not v:
        return False
    if _find_word(sc.text, v) >= 0:
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
    i = _find_word(text, v)
    if i >= 0:
        return i
    c = compact(v)
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
#   |(?P<dd>[0-9]{1,2})[ \t]+(?P<dm>[a-z]{3,9})\.?,?) \Z
# searched in the window of _DATE_WINDOW characters before the year. It is matched here
# backwards, on the reversed text, anchored at the space before the year: every part is
# forced except the month name's letters, and the greedy reversed match takes as many of
# them as the forward search's leftmost start does, so both find the same date; the anchored
# match does not try every start in the window.
_NAMED_BEFORE_YEAR_REV_RE: Final = re.compile(
    r" ,?(?:(?:ts|dn|dr|ht)?(?P<md>[0-9]{1,2})[ \t]+\.?(?P<mn>[a-z]{3,9})"
    r"|\.?(?P<dm>[a-z]{3,9})[ \t]+(?P<dd>[0-9]{1,2}))"
)
_MONTHS_REV: Final = {k[::-1]: v for k, v in _MONTHS.items()}
# a space and a year in the shape of the text, the year not glued to more digits
# a space and a year in the shape of the text, the year not glued to more digits
_SPACE_YEAR_RE: Final = re.compile(" 0000(?!0)")
_NUMERIC_BEFORE_YEAR_RE: Final = re.compile(
    r"(?P<um>[0-9]{1,2})(?P<sep>[-/])(?P<ud>[0-9]{1,2})(?P=sep)\Z"
)
_DATE_WINDOW: Final = 22
_DATE_LABEL_RE: Final = re.compile(r"date[ \t]*:[ \t]*")
_DATE_LABEL_GATE: Final = _gate("date")
_TOP_LINES: Final = 30


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

_SEP: Final = r"[ \t]*(?:[:#]|(?<=\.))[ \t]*:?[ \t]*"
_VALUE_RE: Final = re.compile(r"[^\s,;()\[\]]{1,30}+")
_HAS_DIGIT_RE: Final = re.compile(r"\d")
_ASCII_DIGIT_RE: Final = re.compile(r"[0-9]")
_YEAR_RE: Final = re.compile(r"(?:19|20)[0-9]{2}")


class Labelled(NamedTuple):
    """A value written after a label (``Claim number: ...``) and where it starts."""

    value: str
    start: int
    medicare: bool = False


def _start(v: Labelled) -> int:
    return v.start


def _value_after(text: str, pos: int) -> Labelled | None:
    """The identifier-like value starting at ``pos`` (read from the original text)."""
    m = _VALUE_RE.match(text, pos)
    if m is None:
        return None
    v = m.group().rstrip(".")
    return Labelled(v, pos) if v and _HAS_DIGIT_RE.search(v) else None


_CLAIM_LABEL_RE: Final = re.compile(
    r"claim(?:[ \t]+(?:number|no\.|no|num\.|id|control[ \t]+number"
    r"|reference(?:[ \t]+number)?))?" + _SEP
)
_CLAIM_GATE: Final = _gate("claim")
_ID_WORDS: Final = r"[ \t]+(?:id(?:entification)?|number|no\.|no|#)(?:[ \t]+(?:number|no\.|#))?"
_PAREN_NOTE: Final = r"(?:[ \t]*\([a-z ]{1,20}+\))?"
_MEMBER_LABELS: Final = tuple(
    (gate, re.compile(pattern + _PAREN_NOTE + _SEP), medicare)
    for gate, pattern, medicare in (
        (_gate("member"), "member" + _ID_WORDS, False),
        (_gate("subscriber"), "subscriber" + _ID_WORDS, False),
        (_gate("insured"), "insured" + _ID_WORDS, False),
        (_gate("enrollee"), "enrollee" + _ID_WORDS, False),
        (_gate("policy policyholder"), "policy(?:holder)?" + _ID_WORDS, False),
        (_gate("insurance"), "insurance" + _ID_WORDS, False),
        (
            _gate("medicare"),
            r"medicare[ \t]+(?:beneficiary[ \t]+identifier|number|no\.|no|id|#)",
            True,
        ),
        (_gate("mbi"), "mbi", True),
        (_gate("hicn"), "hicn", True),
        (
            _gate("health", "insurance claim number"),
            r"health[ \t]+insurance[ \t]+claim[ \t]+number",
            True,
        ),
    )
)
# (the word the label starts with, as in Scan.words; the label)
_PATIENT_LABEL_RES: Final = tuple(
    (kw.encode("ascii"), re.compile(kw + r"(?:'s|\?s)?(?:[ \t]+(?:full[ \t]+)?name)?[ \t]*:[ \t]*"))
    for kw in ("patient", "beneficiary", "member", "enrollee", "insured")
)
_NAME_VALUE_RE: Final = re.compile(r"[^\W\d_][^\n;()\[\]|]{0,79}+")
_NAME_SPLIT_RE: Final = re.compile(r"[\s,]+")


def _name_tokens(s: str) -> list[str]:
    out = []
    for tok in _NAME_SPLIT_RE.split(s):
        if not tok:
            continue
        if _HAS_DIGIT_RE.search(tok) or ":" in tok:
            break
        out.append(tok)
    return out


_NPI_LABEL_RE: Final = re.compile(
    r"npi(?![a-z0-9])(?:[ \t]+(?:number|no\.|no|#))?[ \t]*[:#]?[ \t]*"
)
_NPI_GATE: Final = _gate("npi")
# (the words the label needs, a text it needs where a word may run on, the label)
_DOB_LABEL_RES: Final = tuple(
    (gate, needle, re.compile(p + r"[ \t]*[:#]?[ \t]*"))
    for gate, needle, p in (
        (_gate("date", "of"), "birth", r"date[ \t]+of[ \t]+birth"),
        (None, "birth", r"birth[ \t]*date"),
        (_gate("dob"), "", r"dob(?![a-z])"),
        (_gate("d", "o"), "d.o.b", r"d\.o\.b\.?"),
    )
)
_DOS_LABEL_RES: Final = tuple(
    (gate, needle, re.compile(p))
    for gate, needle, p in (
        (_gate("date dates", "of"), "service", r"dates?(?:[ \t]*\(s\))?[ \t]+of[ \t]+service"),
        (_gate("service"), "", r"service[ \t]+dates?(?:[ \t]*\(s\))?"),
        (_gate("dos"), "", r"dos(?![a-z])"),
    )
)
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


# -- denial codes cited in the text ----------------------------------------------------

_GROUP_BODY: Final = r"(?:-|[ ]?)(?P<c>(?:MA|M|N)[0-9]{1,3}|[0-9]{1,3}|[A-Z][0-9]{1,2})"
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
_CTOKEN: Final = r"[a-z0-9]{1,8}+(?:-[a-z0-9]{1,5}+)?"
_CODE_LABEL_RES: Final = tuple(
    (
        gate,
        re.compile(p + rf"[ \t]*(?:[:#][ \t]*)?(?P<list>{_CTOKEN}(?:{_LIST_SEP}{_CTOKEN}){{0,9}})"),
    )
    for gate, p in (
        (_gate("carc carcs"), r"carcs?(?![a-z])"),
        (_gate("rarc rarcs"), r"rarcs?(?![a-z])"),
        (_gate("code codes"), r"codes?(?![a-z])"),
    )
)
# "code" counts as a label after one of these words and a space ("reason code 16"); the
# word may be "adjustment reason", which ends with "reason" too.
_CODE_WORDS_BEFORE: Final = ("adjustment", "denial", "reason", "remark", "remittance")
_CODE_WORD_REACH: Final = 30
_CODE_TOKEN_RE: Final = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)?")
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
    is not a denial code at all; ``code`` is None when it is not in the tables.
    """

    start: int
    ref: CodeRef | None
    code: DenialCode | None
    explicit: bool


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


_BHI: Final = frozenset({"99484", "99492", "99493", "99494", "G2214"})
_COCM: Final = frozenset({"99492", "99493", "99494", "G2214"})
_BHI_MINUTES: Final = {"99484": 20, "99492": 70, "99493": 60, "G2214": 30}
_ADDON_MINUTES: Final = 30
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
        text: the letter text.
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
            raw = text.encode("utf-8", "surrogatepass").translate(None, _ASCII_BYTES)
            nonascii = frozenset(raw.decode("utf-8", "surrogatepass"))
            if len(nonascii) <= _FEW_NONASCII:
                # a few distinct characters: replacing each is faster than an error handler
                ascii_text = text
                for ch in nonascii:
                    ascii_text = ascii_text.replace(ch, "?")
            else:
                ascii_text = text.encode("ascii", "replace").decode("ascii")
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
        return bool(self.ascii.encode("ascii").translate(None, _NOT_CONTROL_BYTES))

    @_lazy
    def shape(self) -> str:
        """The ASCII copy with every digit as ``0``, every capital an MBI may use as ``A``
        and the other capitals as ``B``: number shapes become plain substrings
        (``000-00-0000``)."""
        return self.ascii.encode("ascii").translate(_SHAPE_BYTES).decode("ascii")

    @_lazy
    def words(self) -> frozenset[bytes]:
        """The distinct runs of letters in ``low``, as bytes (see :func:`_gate`)."""
        return frozenset(self.low.encode("ascii").translate(_LETTER_RUNS).split())

    @_lazy
    def capitals(self) -> bytes:
        """The capital letters of the text in order, everything else left out: capitals that
        stand next to each other in the text (``TBD``) do here too, in a much shorter
        string."""
        return self.ascii.encode("ascii").translate(None, _NOT_CAPITAL_BYTES)

    @_lazy
    def rev(self) -> str:
        """``low`` reversed: offset ``k`` of ``low`` is ``len(low) - 1 - k`` here."""
        return self.low[::-1]

    @_lazy
    def folded(self) -> str:
        """The text case-, accent- and spacing-folded (see :func:`_fold`)."""
        return _fold(self.text)

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
        2026``, ``31 March 2026``, ``03/31/2026``, ``03-31-2026`` and ``2026-03-31``."""
        low, form = self.low, self.shape
        n = len(low)
        found: dict[int, TextDate] = {}
        value: date | None
        if "-" in form:
            for i in _finds(form, "0000-00-00"):
                if (
                    not (i and form[i - 1] == "0")
                    and not (i + 10 < n and form[i + 10] == "0")
                    and not (i and low[i - 1] in "/-.")
                ):
                    value = _make_date(
                        int(low[i : i + 4]), int(low[i + 5 : i + 7]), int(low[i + 8 : i + 10])
                    )
                    found.setdefault(i, _new(TextDate, (i, i + 10, value)))
        for sep in "/-":
            if sep not in form:
                continue
            for i in _finds(form, sep + "0000"):
                e = i + 5
                if e < n and form[e] == "0":
                    continue
                b = _NUMERIC_BEFORE_YEAR_RE.search(low, i - 5 if i > 5 else 0, i + 1)
                if b is None or b.group("sep") != sep:
                    continue
                start = b.start()
                if start and (form[start - 1] == "0" or low[start - 1] in "/-."):
                    continue
                value = _make_date(int(low[i + 1 : e]), int(b.group("um")), int(b.group("ud")))
                found.setdefault(start, _new(TextDate, (start, e, value)))
        match_named = _NAMED_BEFORE_YEAR_REV_RE.match
        rev = ""
        for y in _SPACE_YEAR_RE.finditer(form):
            j = y.start()
            e = j + 5
            if not rev:
                rev = self.rev
            b = match_named(rev, n - 1 - j, n - (j - _DATE_WINDOW if j > _DATE_WINDOW else 0))
            if b is None:
                continue
            start = n - b.end()
            md, mn, dm, dd = b.groups()
            if mn:
                month = _MONTHS_REV.get(mn)
                if month is None or (start and low[start - 1].isalpha()):
                    continue
                day = int(md[::-1])
            else:
                month = _MONTHS_REV.get(dm)
                if month is None or (start and low[start - 1].isdigit()):
                    continue
                day = int(dd[::-1])
            if start not in found:
                try:
                    value = date(int(low[j + 1 : e]), month, day)
                except ValueError:
                    value = None
                found[start] = _new(TextDate, (start, e, value))
        return [found[k] for k in sorted(found)]

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
            for m in _words_at(_DATE_LABEL_RE, low):
                head = _line_head(low, m.start(), 12)
                if head is None or head.strip() not in ("", "letter"):
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
            head = _line_head(low, t.start, 8)
            tail = low[t.end : _line_end(low, t.end, reach=8)]
            if head is not None and not head.strip() and not tail.strip().strip("."):
                return t.value, t.start
        return None, None

    def _labelled_dates(
        self, labels: tuple[tuple[Gate | None, str, re.Pattern[str]], ...], lines: int
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
            for m in _words_at(pattern, low):
                end = m.end()
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
        """Dates written after a date-of-service label, on its line or the next."""
        return self._labelled_dates(_DOS_LABEL_RES, 2)

    # ---- labelled values

    @_lazy
    def claim_numbers(self) -> list[Labelled]:
        """Values written after a claim-number label."""
        out: list[Labelled] = []
        if not self.has(_CLAIM_GATE):
            return out
        low, text = self.low, self.text
        for m in _words_at(_CLAIM_LABEL_RE, low):
            if low.endswith("insurance ", 0, m.start()):
                continue
            v = _value_after(text, m.end())
            if v is not None and _ASCII_DIGIT_RE.search(v.value):
                out.append(v)
        return out

    @_lazy
    def member_ids(self) -> list[Labelled]:
        """Values written after a member id or Medicare number label."""
        low, text, words = self.low, self.text, self.words
        out = []
        for (any_of, all_of), pattern, medicare in _MEMBER_LABELS:
            if words.isdisjoint(any_of) or not all_of <= words:
                continue
            for m in _words_at(pattern, low):
                v = _value_after(text, m.end())
                if v is not None:
                    out.append(_new(Labelled, (v.value, v.start, medicare)))
        out.sort(key=_start)
        return out

    @_lazy
    def patient_names(self) -> list[Labelled]:
        """Names written after a ``Patient:`` label (or beneficiary, member, ...)."""
        low, text, words = self.low, self.text, self.words
        out = []
        for kw, pattern in _PATIENT_LABEL_RES:
            if kw not in words:
                continue
            for m in _words_at(pattern, low):
                v = _NAME_VALUE_RE.match(text, m.end())
                toks = _name_tokens(v.group()) if v else []
                if toks:
                    out.append(_new(Labelled, (" ".join(toks), m.end(), False)))
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
            if v is not None:
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
                        found.setdefault(at, Labelled(text[at : at + len(v)], at))
        return [found[k] for k in sorted(found)]

    @_lazy
    def procedure_codes(self) -> list[Labelled]:
        """Codes written after ``CPT``, ``HCPCS`` or ``procedure``."""
        return self._listed(_PROC_LABEL_RES)

    @_lazy
    def diagnoses(self) -> list[Labelled]:
        """Codes written after ``ICD-10``, ``diagnosis`` or ``Dx``."""
        return self._listed(_ICD_LABEL_RES)

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
                found[start] = Cited(start, ref, code, explicit)

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
        for m in _words_at(_MINUTES_RE, low):
            b = _NUMBER_BEFORE_RE.search(low, max(0, m.start() - 8), m.start())
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


# -------------------- DK1xx required content


@_rule(
    "DK101",
    "missing-patient-name",
    E,
    summary="The letter names the patient: the claim's patient name, or a 'Patient:' line "
    "when no claim is known.",
    hint="Name the patient as the payer has them, e.g. on a 'Patient:' line.",
    authority='42 CFR 405.944(b)(1); AMA sample appeal letter ("Patient Name")',
)
def _dk101(r: Rule, doc: Document, sc: Scan) -> list[Finding]:
    found: list[Finding] = []
    if doc.claim is not None:
        name = _s(doc.claim.patient.name)
        if name is None:
            found.append(
                r.finding(doc, "the claim has no patient name for the letter", path="patient.name")
            )
            return found
        if _has_value(sc, name):
            return found
        parts = name.split()
        if len(parts) >= 2 and _has_value(sc, f"{parts[-1]}, {' '.join(parts[:-1])}"):
            return found
        found.append(
            r.finding(
                doc, "the letter does not name the patient as the claim does", path="patient.name"
            )
        )
    elif not sc.patient_names:
        found.append(r.finding(doc, "the letter does not name the patient"))
    return found


@_rule(
    "DK102",
    "missing-member-id",
    E,
    summary="The letter gives the patient's member id or Medicare number.",
    hint="Add the member id (for Medicare, the Medicare number or MBI) on a labelled line.",
    authority='42 CFR 405.944(b)(2); AMA sample appeal letter ("Health Insurer '
    'Identification Number")',
)
def _dk102(r: Rule, doc: Document, sc: Scan) -> list[Finding]:
    found: list[Finding] = []
    if doc.claim is not None:
        member = _s(doc.claim.patient.member_id)
        if member is None or _find_ident(sc, member) < 0:
            found.append(
                r.finding(
                    doc,
                    "the letter does not give the patient's member id as the claim has it",
                    path="patient.member_id",
                )
            )
    elif not sc.member_ids:
        found.append(
            r.finding(doc, "the letter does not give the patient's member id or Medicare number")
        )
    return found


@_rule(
    "DK103",
    "missing-group-number",
    E,
    summary="For a plan other than Medicare, when the claim has a group number, the letter "
    "gives it.",
    hint="Add the plan's group number next to the member id.",
    authority='AMA sample appeal letter ("Group Number")',
)
def _dk103(r: Rule, doc: Document, sc: Scan) -> list[Finding]:
    found: list[Finding] = []
    claim = doc.claim
    if claim is None or sc.plan in (PlanType.MEDICARE, None):
        return found
    group = _s(claim.patient.group_number)
    if group is not None and _find_ident(sc, group) < 0:
        found.append(
            r.finding(
                doc, "the letter does not give the plan's group number", path="patient.group_number"
            )
        )
    return found


@_rule(
    "DK104",
    "missing-claim-number",
    E,
    summary="The letter gives the claim number.",
    hint="Add the payer's claim number, e.g. 'Claim number: ...'.",
    authority='AMA sample appeal letter ("Claim Number")',
)
def _dk104(r: Rule, doc: Document, sc: Scan) -> list[Finding]:
    found: list[Finding] = []
    if doc.claim is not None:
        number = _s(doc.claim.claim_number)
        if number is None or _find_ident(sc, number) < 0:
            found.append(
                r.finding(
                    doc,
                    "the letter does not give the claim number as the claim has it",
                    path="claim_number",
                )
            )
    elif not sc.claim_numbers:
        found.append(r.finding(doc, "the letter does not give the claim number"))
    return found


@_rule(
    "DK105",
    "missing-service-dates",
    E,
    summary="The letter gives every date of service (any of the usual date formats).",
    hint="Give each date of service, e.g. 'Date of service: March 31, 2026'.",
    authority='42 CFR 405.944(b)(3) ("the specific date(s) of the service")',
)
def _dk105(r: Rule, doc: Document, sc: Scan) -> list[Finding]:
    found: list[Finding] = []
    if doc.claim is not None:
        shown = sc.date_set
        seen: set[date] = set()
        for i, d in _claim_service_dates(doc.claim):
            if d not in seen:
                seen.add(d)
                if d not in shown:
                    found.append(
                        r.finding(
                            doc,
                            "a date of service on the claim is not in the letter",
                            path=f"services[{i}].date",
                        )
                    )
    elif not sc.service_dates_text:
        found.append(r.finding(doc, "the letter does not give the dates of service"))
    return found


@_rule(
    "DK106",
    "missing-service-codes",
    E,
    summary="The letter names each service by its CPT or HCPCS code.",
    hint="Name each service with its code, e.g. 'CPT 99484'.",
    authority='42 CFR 405.944(b)(3) ("specific service(s) and/or item(s)"); AMA sample letter',
)
def _dk106(r: Rule, doc: Document, sc: Scan) -> list[Finding]:
    found: list[Finding] = []
    if doc.claim is not None:
        seen: set[str] = set()
        low = sc.low
        for code, _, path, _ in sc.service_codes:
            if code in seen:
                continue
            seen.add(code)
            if _find_word(low, code.lower()) < 0 and _find_word(doc.text, code) < 0:
                shown = code if procedure_kind(code) else "a service code"
                found.append(
                    r.finding(doc, f"the letter does not name {shown} from the claim", path=path)
                )
    elif not any(procedure_kind(p.value) for p in sc.procedure_codes):
        found.append(r.finding(doc, "the letter names no service by its CPT or HCPCS code"))
    return found


_DENIAL_WORDS: Final = (
    "denied", "denial", "denying", "denies", "rejected", "rejection", "not paid",
    "nonpayment", "non-payment", "adverse determination", "adverse benefit determination",
    "initial determination", "unfavorable",
)  # fmt: skip


@_rule(
    "DK107",
    "missing-denial",
    E,
    summary="The letter says which decision it disputes: a denial, rejection or adverse "
    "determination.",
    hint="Say what the payer decided and when, e.g. 'Your notice dated ... denied the claim'.",
    authority='AMA sample appeal letter ("the attached claim that you denied on [date]")',
)
def _dk107(r: Rule, doc: Document, sc: Scan) -> list[Finding]:
    found: list[Finding] = []
    low = sc.low
    if not any(w in low for w in _DENIAL_WORDS):
        found.append(r.finding(doc, "the letter does not say which decision it disputes"))
    return found


@_rule(
    "DK108",
    "missing-denial-code",
    E,
    summary="The letter cites the denial codes it answers: every code of the letter or claim, "
    "or at least one code when none is known.",
    hint="Quote the codes from the remittance, e.g. 'reason code CO-16, remark code N290'.",
    authority="AMA sample appeal letter; the remittance's codes identify the denial",
)
def _dk108(r: Rule, doc: Document, sc: Scan) -> list[Finding]:
    found: list[Finding] = []
    keys = sc.cited_keys
    if doc.codes:
        seen: set[str] = set()
        for path, _, code in doc.code_inputs:
            if code is None or code.code in seen:
                continue
            seen.add(code.code)
            if (code.system, code.code) not in keys:
                found.append(
                    r.finding(
                        doc, f"the letter does not cite the denial code {code.key}", path=path
                    )
                )
    elif not keys:
        found.append(r.finding(doc, "the letter cites no denial code"))
    return found


@_rule(
    "DK109",
    "missing-denial-reason",
    W,
    summary="When the claim records the payer's stated reason, the letter quotes it.",
    hint="Quote the payer's reason as the notice gives it.",
    authority='AMA sample appeal letter ("[insert payer description of why claim was denied]")',
)
def _dk109(r: Rule, doc: Document, sc: Scan) -> list[Finding]:
    found: list[Finding] = []
    if doc.claim is None:
        return found
    reason = _s(doc.claim.denial.reason)
    if reason is None:
        return found
    if reason.strip() not in doc.text and not _has_phrase(sc, reason):
        found.append(
            r.finding(
                doc, "the letter does not quote the payer's stated reason", path="denial.reason"
            )
        )
    return found


_REQUEST_VERBS: Final = ("request", "ask", "seek", "submit", "file", "filing")
_REQUEST_OBJECTS_RE: Final = re.compile(
    r"reconsider|redetermination|re-?review|review|appeal|reopen|reprocess|overturn|reverse"
)
_REQUEST_PHRASES_RE: Final = re.compile(
    r"please[ \t]+(?:reconsider|review|reprocess|re-process|overturn|reverse)"
    r"|(?:we|i)[ \t]+(?:are|am)[ \t]+(?:hereby[ \t]+)?(?:appealing|disputing)"
    r"|(?:appeal|dispute)[ \t]+(?:of[ \t]+)?(?:the|this|your)[ \t]+(?:denial|decision"
    r"|determination)"
)
_REQUEST_REACH: Final = 80


def _has_request(low: str) -> bool:
    for verb in _REQUEST_VERBS:
        i = low.find(verb)
        while i >= 0:
            if i == 0 or not low[i - 1].isalpha():
                stop = i + len(verb) + _REQUEST_REACH
                for j in (low.find(".", i, stop), low.find("\n", i, stop)):
                    if j >= 0:
                        stop = min(stop, j)
                if _REQUEST_OBJECTS_RE.search(low, i + len(verb), stop):
                    return True
            i = low.find(verb, i + 1)
    return _REQUEST_PHRASES_RE.search(low) is not None


@_rule(
    "DK110",
    "missing-request",
    E,
    summary="The letter explicitly asks for reconsideration, redetermination, review or appeal.",
    hint="Ask in plain words, e.g. 'We request redetermination of this claim.'",
    authority='AMA sample appeal letter ("We are appealing your decision and request '
    'reconsideration"); 42 CFR 405.807(a) (historic Part B wording)',
)
def _dk110(r: Rule, doc: Document, sc: Scan) -> list[Finding]:
    found: list[Finding] = []
    if not _has_request(sc.low):
        found.append(
            r.finding(doc, "the letter does not explicitly ask for reconsideration or appeal")
        )
    return found


_ARGUMENT_WORDS: Final = (
    "document", "because", "evidence", "record", "shows", "showing", "support", "meets",
    "met ", "demonstrat", "establish", "satisf", "confirm", "therefore", "criteria",
    "requirement", "medically necessary", "in accordance",
)  # fmt: skip
_MIN_ARGUMENT_SPACES: Final = 25


@_rule(
    "DK111",
    "missing-argument",
    E,
    summary="The letter argues why the decision is wrong: at least a few sentences, with "
    "reasons or evidence.",
    hint="Explain why the payer's decision is wrong and what in the record shows it.",
    authority="CMS-20027 (the reason for disagreement); AMA sample appeal letter",
)
def _dk111(r: Rule, doc: Document, sc: Scan) -> list[Finding]:
    found: list[Finding] = []
    low = sc.low
    # the spaces of the first lines usually settle the count
    few = low.count(" ", 0, 1000) < _MIN_ARGUMENT_SPACES and low.count(" ") < _MIN_ARGUMENT_SPACES
    if few or not _any_in(low, _ARGUMENT_WORDS):
        found.append(r.finding(doc, "the letter does not argue why the decision is wrong"))
    return found


_RECIPIENT_LINE_RE: Final = re.compile(r"(?:attn|attention|to)[ \t]*[:.]")
_APPEALS_UNIT_RE: Final = re.compile(
    r"(?:appeals?|redetermination|reconsideration)[ \t]+(?:department|dept\.?|unit|office"
    r"|team|coordinator|center|centre|section)(?![a-z])"
)


def _first_line(s: str) -> str:
    for line in s.splitlines():
        if line.strip():
            return line
    return ""


def _has_recipient_line(low: str) -> bool:
    for m in _words_at(_RECIPIENT_LINE_RE, low):
        head = _line_head(low, m.start(), 8)
        if head is not None and not head.strip():
            return True
    return any(True for _ in _words_at(_APPEALS_UNIT_RE, low))


@_rule(
    "DK112",
    "missing-recipient",
    E,
    summary="The letter is addressed to the payer: the claim's payer by name or appeals "
    "address, or an 'Attn:' line or appeals unit when no claim is known.",
    hint="Address the letter to the payer's appeals unit named on the denial notice.",
    authority="42 CFR 405.944(a) (filed with the contractor on the notice); AMA sample letter "
    '("Attn: Provider Appeals Department")',
)
def _dk112(r: Rule, doc: Document, sc: Scan) -> list[Finding]:
    found: list[Finding] = []
    if doc.claim is not None:
        payer = doc.claim.payer
        name = _s(payer.name)
        if name and _has_value(sc, name):
            return found
        address = _s(payer.appeals_address)
        if address and _has_value(sc, _first_line(address)):
            return found
        found.append(
            r.finding(
                doc, "the letter does not name the payer it is addressed to", path="payer.name"
            )
        )
    elif not _has_recipient_line(sc.low):
        found.append(
            r.finding(doc, "the letter has no recipient (no 'Attn:' line or appeals unit)")
        )
    return found


@_rule(
    "DK113",
    "missing-appeals-address",
    E,
    summary="When the claim gives the payer's appeals address, the letter carries every line "
    "of it.",
    hint="Copy the appeals address from the denial notice into the recipient block.",
    authority="42 CFR 405.944(a) (file with the contractor named on the notice)",
)
def _dk113(r: Rule, doc: Document, sc: Scan) -> list[Finding]:
    found: list[Finding] = []
    if doc.claim is None:
        return found
    address = _s(doc.claim.payer.appeals_address)
    if address is None:
        return found
    for line in address.splitlines():
        if line.strip() and not _has_value(sc, line):
            found.append(
                r.finding(
                    doc,
                    "the letter does not carry the payer's appeals address as the claim gives it",
                    path="payer.appeals_address",
                )
            )
            return found
    return found


@_rule(
    "DK114",
    "missing-letter-date",
    E,
    summary="The letter is dated: the letter's own date appears in it, or a date stands on "
    "its own line (or after 'Date:') near the top.",
    hint="Put the date the letter is sent near the top, e.g. 'April 28, 2026'.",
    authority='AMA sample appeal letter ("[Date]"); the deadline rules need it',
)
def _dk114(r: Rule, doc: Document, sc: Scan) -> list[Finding]:
    found: list[Finding] = []
    day, at = sc.letter_date
    if doc.letter_date is not None:
        if day is not None and at is None:
            found.append(
                r.finding(doc, "the letter's date does not appear in its text", path="letter_date")
            )
    elif day is None:
        found.append(r.finding(doc, "the letter is not dated"))
    return found


_EMAIL_RE: Final = re.compile(r"@[a-z0-9-]{1,63}(?:\.[a-z0-9-]{1,63}){1,8}")


def _has_contact(sc: Scan) -> bool:
    """A US phone number (area code, exchange, line) or an email address."""
    text = sc.ascii
    if "@" in text and _EMAIL_RE.search(sc.low) is not None:
        return True
    form = sc.shape
    n = len(form)
    for needle in ("000-0000", "000.0000", "000 0000"):
        for s in _finds(form, needle):
            e = s + 8
            if (s and form[s - 1] == "0") or (e < n and form[e] == "0"):
                continue
            if form[max(0, s - 7) : s].count("0") >= 3:
                return True
    return False


@_rule(
    "DK115",
    "missing-appellant",
    E,
    summary="The letter names who appeals (the claim's provider) and how to reach them (a "
    "phone number or email address).",
    hint="Put the practice's name, address and phone number in the letterhead or signature.",
    authority='42 CFR 405.944(b)(4) ("name of the party or the representative"); AMA sample letter',
)
def _dk115(r: Rule, doc: Document, sc: Scan) -> list[Finding]:
    found: list[Finding] = []
    if doc.claim is not None:
        name = _s(doc.claim.provider.name)
        if name is None or not _has_value(sc, name):
            found.append(
                r.finding(
                    doc, "the letter does not name the provider who appeals", path="provider.name"
                )
            )
    if not _has_contact(sc):
        found.append(
            r.finding(
                doc, "the letter gives no phone number or email address to reach the appellant"
            )
        )
    return found


@_rule(
    "DK116",
    "missing-npi",
    W,
    summary="The letter gives the provider's NPI.",
    hint="Add the billing provider's NPI next to the practice name.",
    authority="No regulation requires it in a letter; payers use it to find the provider's records",
)
def _dk116(r: Rule, doc: Document, sc: Scan) -> list[Finding]:
    found: list[Finding] = []
    npi = _s(doc.claim.provider.npi) if doc.claim is not None else None
    if npi is not None:
        if _find_ident(sc, npi) < 0:
            found.append(
                r.finding(doc, "the letter does not give the provider's NPI", path="provider.npi")
            )
    elif not sc.npis:
        found.append(r.finding(doc, "the letter does not give the provider's NPI"))
    return found


_CLOSINGS: Final = (
    "sincerely", "respectfully", "regards", "yours truly", "yours sincerely",
    "yours faithfully", "thank you",
)  # fmt: skip
_CLOSING_MAX: Final = 40


def _closing(low: str) -> int:
    """The offset of the last closing line ('Sincerely,'), or -1."""
    best = -1
    for word in _CLOSINGS:
        i = low.rfind(word, best + 1)
        while i > best:
            head = _line_head(low, i, 12)
            ends = low.find("\n", i, i + _CLOSING_MAX + 1) >= 0 or len(low) - i <= _CLOSING_MAX
            if head is not None and head.strip() in ("", "best", "kind", "warm", "with") and ends:
                best = i
                break
            i = low.rfind(word, 0, i)
    return best


@_rule(
    "DK117",
    "missing-signature",
    E,
    summary="The letter ends with a closing and the name of the person who signs it (the "
    "claim's signer, when known).",
    hint="End with a closing ('Sincerely,') followed by the signer's name and title.",
    authority='CGS (a MAC): "Name and signature of the party or the representative"; '
    "42 CFR 405.944(b)(4)",
)
def _dk117(r: Rule, doc: Document, sc: Scan) -> list[Finding]:
    found: list[Finding] = []
    low = sc.low
    at = _closing(low)
    if at < 0:
        found.append(r.finding(doc, "the letter has no closing and signature block"))
        return found
    after = doc.text[_line_end(low, at) : _line_end(low, at, 9, reach=200)]
    signer = _s(doc.claim.provider.signer_name) if doc.claim is not None else None
    if signer is not None:
        if _find_word(after, signer.strip()) < 0 and _find_word(_fold(after), _fold(signer)) < 0:
            found.append(
                r.finding(
                    doc,
                    "the signature block does not name the signer as the claim gives it",
                    at=at,
                    path="provider.signer_name",
                )
            )
        return found
    for line in after.splitlines():
        s = line.strip()
        if s and s[0].isalpha():
            return found
    found.append(r.finding(doc, "no name follows the closing", at=at))
    return found


_HEADING_WORDS: Final = ("enc", "attach", "supporting", "documents")
_ENCLOSURE_HEAD_RE: Final = re.compile(
    r"(?:enclosures?|attachments?|encl\.?|enc\.|documents?[ \t]+enclosed"
    r"|supporting[ \t]+documents?|supporting[ \t]+documentation)[ \t]*(?:\([0-9]{1,3}\))?"
    r"[ \t]*(?::|\r?\n|$)"
)


def _has_enclosure_list(low: str) -> bool:
    # the usual case first, cheaply: a heading at the very start of a line
    for word in _HEADING_WORDS:
        needle = "\n" + word
        i = low.find(needle)
        while i >= 0:
            if _ENCLOSURE_HEAD_RE.match(low, i + 1):
                return True
            i = low.find(needle, i + 1)
    for word in _HEADING_WORDS:
        i = low.find(word)
        while i >= 0:
            head = _line_head(low, i, 8)
            if head is not None and not head.strip() and _ENCLOSURE_HEAD_RE.match(low, i):
                return True
            i = low.find(word, i + 1)
    return False


@_rule(
    "DK118",
    "missing-enclosures",
    W,
    summary="A letter that mentions enclosed or attached documents lists them under an "
    "'Enclosures' heading.",
    hint="List every document sent with the letter under 'Enclosures:'.",
    authority='CGS (a MAC): attach supporting documentation; AMA sample letter ("We are '
    'attaching ...")',
)
def _dk118(r: Rule, doc: Document, sc: Scan) -> list[Finding]:
    found: list[Finding] = []
    low = sc.low
    at = low.find("enclos")
    # "attach" cannot overlap "enclos", so only a first "attach" before it can come first
    attach = low.find("attach", 0, at) if at >= 0 else low.find("attach")
    if attach >= 0:
        at = attach
    if at >= 0 and not _has_enclosure_list(low):
        found.append(
            r.finding(doc, "the letter mentions attachments but does not list them", at=at)
        )
    return found


@_rule(
    "DK119",
    "redetermination-not-named",
    W,
    summary="A first-level Medicare (Parts A/B) appeal asks for a 'redetermination', the "
    "name the contractor files it under.",
    hint="Use the word 'redetermination' in the request and the subject line.",
    authority="42 CFR 405.940-405.944 (the first level is a redetermination)",
)
def _dk119(r: Rule, doc: Document, sc: Scan) -> list[Finding]:
    found: list[Finding] = []
    if sc.plan is PlanType.MEDICARE and doc.level == 1 and "redetermination" not in sc.low:
        found.append(
            r.finding(
                doc, "a first-level Medicare appeal does not ask for a redetermination by name"
            )
        )
    return found


@_rule(
    "DK120",
    "missing-redetermination-reference",
    E,
    summary="A Medicare reconsideration request (level 2) refers to the redetermination it "
    "disputes.",
    hint="Name the redetermination decision, its date and the contractor that made it.",
    authority="42 CFR 405.964(b); CGS (a MAC) reconsideration checklist",
)
def _dk120(r: Rule, doc: Document, sc: Scan) -> list[Finding]:
    found: list[Finding] = []
    if sc.plan is PlanType.MEDICARE and doc.level == 2 and "redetermination" not in sc.low:
        found.append(
            r.finding(
                doc,
                "a Medicare reconsideration request does not refer to the redetermination it "
                "disputes",
            )
        )
    return found


# -------------------- DK2xx codes and identifiers


@_rule(
    "DK201",
    "invalid-npi",
    E,
    summary="Every NPI is 10 ASCII digits, starts with 1 or 2 and passes the check digit "
    "(Luhn over 80840 and the NPI).",
    hint="Copy the NPI again from NPPES; a typo fails the check digit.",
    authority='CMS "Requirements for NPI Check Digit"; NPI final rule, 69 FR 3434',
)
def _dk201(r: Rule, doc: Document, sc: Scan) -> Iterable[Finding]:
    hits: list[_Hit] = []
    if doc.claim is not None:
        npi = _s(doc.claim.provider.npi)
        if npi is not None and not npi_is_valid(npi):
            hits.append(
                ("the provider's NPI on the claim is not a valid NPI", None, "provider.npi")
            )
    for v in sc.npis:
        if not npi_is_valid(v.value):
            hits.append(("an NPI in the letter is not a valid NPI", v.start, None))
    return _report(r, doc, hits)


@_rule(
    "DK202",
    "invalid-mbi",
    E,
    summary="A Medicare number is a well-formed MBI: 11 characters in the CMS position "
    "pattern (dashes and lower case are accepted).",
    hint="Copy the Medicare number from the patient's card or the remittance.",
    authority='CMS "Understanding the Medicare Beneficiary Identifier (MBI) Format"',
)
def _dk202(r: Rule, doc: Document, sc: Scan) -> Iterable[Finding]:
    hits: list[_Hit] = []
    for value, at, path in sc.medicare_ids:
        if not mbi_is_valid(value) and not hicn_like(value):
            hits.append(("a Medicare number is not a well-formed MBI", at, path))
    return _report(r, doc, hits)


@_rule(
    "DK203",
    "legacy-hicn",
    W,
    summary="A Medicare number is an old SSN-based HICN; appeals may still use one, but it "
    "carries the patient's Social Security number.",
    hint="Use the patient's MBI for claims from 2020 on; keep a HICN only when the payer "
    "asks for it.",
    authority="CMS Social Security Number Removal Initiative (appeals are a listed exception)",
)
def _dk203(r: Rule, doc: Document, sc: Scan) -> Iterable[Finding]:
    hits: list[_Hit] = []
    for value, at, path in sc.medicare_ids:
        if hicn_like(value):
            hits.append(("a Medicare number is a legacy SSN-based HICN", at, path))
    return _report(r, doc, hits)


@_rule(
    "DK204",
    "invalid-icd10",
    E,
    summary="Every diagnosis code has the ICD-10-CM shape: a letter, a digit, then one to five "
    "letters or digits, with the decimal point after the third character.",
    hint="Copy the diagnosis code from the claim, e.g. 'F32.1'.",
    authority="ICD-10-CM code structure (NCI SEER training module; U codes allowed since 2020)",
)
def _dk204(r: Rule, doc: Document, sc: Scan) -> Iterable[Finding]:
    hits: list[_Hit] = []
    if doc.claim is not None:
        for i, s in enumerate(doc.claim.services):
            dx = s.diagnoses if isinstance(s.diagnoses, (tuple, list)) else ()
            for j, code in enumerate(dx):
                if not isinstance(code, str) or not icd10cm_shape_ok(code.strip()):
                    hits.append(
                        (
                            "a diagnosis code on the claim is not shaped like an ICD-10-CM code",
                            None,
                            f"services[{i}].diagnoses[{j}]",
                        )
                    )
    for v in sc.diagnoses:
        if not icd10cm_shape_ok(v.value):
            hits.append(
                (
                    "a diagnosis code in the letter is not shaped like an ICD-10-CM code",
                    v.start,
                    None,
                )
            )
    return _report(r, doc, hits)


@_rule(
    "DK205",
    "invalid-procedure-code",
    E,
    summary="Every procedure code has a CPT shape (five digits; four digits and F, T or U) or "
    "a HCPCS Level II shape (a letter A to V and four digits).",
    hint="Copy the procedure code from the claim, e.g. '99484' or 'G2214'.",
    authority="AMA CPT code categories (Category II 'F', III 'T', PLA 'U'); HCPCS Level II",
)
def _dk205(r: Rule, doc: Document, sc: Scan) -> Iterable[Finding]:
    hits: list[_Hit] = []
    if doc.claim is not None:
        for i, s in enumerate(doc.claim.services):
            code = s.code if isinstance(s.code, str) else ""
            if procedure_kind(code.strip()) is None:
                hits.append(
                    (
                        "a service code on the claim is not shaped like a CPT or HCPCS code",
                        None,
                        f"services[{i}].code",
                    )
                )
    for v in sc.procedure_codes:
        if procedure_kind(v.value) is None and not _YEAR_RE.fullmatch(v.value):
            hits.append(
                (
                    "a procedure code in the letter is not shaped like a CPT or HCPCS code",
                    v.start,
                    None,
                )
            )
    return _report(r, doc, hits)


def _parse_or_none(raw: str) -> CodeRef | None:
    try:
        return parse(raw)
    except ValueError:
        return None


def _is_extension(ref: CodeRef | None) -> bool:
    return ref is not None and ref.system is CodeSystem.EXTENSION


@_rule(
    "DK206",
    "unknown-denial-code",
    E,
    summary="Every CARC and RARC given for the letter or cited in it is in denialkit's code "
    "tables.",
    hint="Check the code against the remittance; update denialkit if the code is new.",
    authority="X12 CARC list and CMS RARC list (the releases denialkit ships)",
)
def _dk206(r: Rule, doc: Document, sc: Scan) -> Iterable[Finding]:
    hits: list[_Hit] = []
    for path, raw, code in doc.code_inputs:
        if code is None and not _is_extension(_parse_or_none(raw)):
            hits.append(
                ("a denial code given for the letter is not a known CARC or RARC", None, path)
            )
    for c in sc.cited:
        if c.explicit and c.code is None and not _is_extension(c.ref):
            if c.ref is not None:
                msg = f"{c.ref.system.value} code {c.ref.code} is not in the code tables"
            else:
                msg = "a cited denial code is not a CARC or RARC"
            hits.append((msg, c.start, None))
    return _report(r, doc, hits)


@_rule(
    "DK207",
    "inactive-denial-code",
    E,
    summary="Every denial code given or cited was in use on at least one date of service.",
    hint="Check the code on the remittance; a code stopped before the service date cannot "
    "have been sent for it.",
    authority="X12 CARC and CMS RARC start and stop dates",
)
def _dk207(r: Rule, doc: Document, sc: Scan) -> Iterable[Finding]:
    hits: list[_Hit] = []
    days = sc.service_days
    if not days:
        return _report(r, doc, hits)
    for path, _, code in doc.code_inputs:
        if code is not None and not any(map(code.is_active, days)):
            hits.append(
                (f"the denial code {code.key} was not in use on the dates of service", None, path)
            )
    for c in sc.cited:
        if c.code is not None and c.explicit and not any(map(c.code.is_active, days)):
            hits.append(
                (
                    f"the cited code {c.code.key} was not in use on the dates of service",
                    c.start,
                    None,
                )
            )
    return _report(r, doc, hits)


@_rule(
    "DK208",
    "unknown-extension-code",
    W,
    summary="A payer or vendor code (such as CCM21) given or cited resolves in denialkit's "
    "extension tables.",
    hint="Check the code on the payer's notice; standard remittances use CARCs and RARCs.",
    authority="HIPAA 835 code sets (payers use X12 CARCs and CMS RARCs); denialkit's "
    "extension tables",
)
def _dk208(r: Rule, doc: Document, sc: Scan) -> Iterable[Finding]:
    hits: list[_Hit] = []
    for path, raw, code in doc.code_inputs:
        if code is None and _is_extension(_parse_or_none(raw)):
            hits.append(
                (
                    "a payer-specific code given for the letter is not in denialkit's tables",
                    None,
                    path,
                )
            )
    for c in sc.cited:
        if c.explicit and c.code is None and _is_extension(c.ref):
            hits.append(
                (
                    "a payer-specific code cited in the letter is not in denialkit's tables",
                    c.start,
                    None,
                )
            )
    return _report(r, doc, hits)


def _group_mismatch(code: DenialCode) -> bool:
    return bool(
        code.group is not None and code.group_limit and code.group.code not in code.group_limit
    )


@_rule(
    "DK209",
    "group-code-not-allowed",
    W,
    summary="A reason code is given or cited with a group code the CARC list allows for it.",
    hint="Copy the group code (CO, PR, OA, PI) exactly as the remittance shows it.",
    authority="X12 CARC list (group-code restrictions)",
)
def _dk209(r: Rule, doc: Document, sc: Scan) -> Iterable[Finding]:
    hits: list[_Hit] = []
    for path, _, code in doc.code_inputs:
        if code is not None and _group_mismatch(code):
            assert code.group is not None
            hits.append(
                (f"reason code {code.code} is not used with group {code.group.code}", None, path)
            )
    for c in sc.cited:
        if c.code is not None and _group_mismatch(c.code):
            assert c.code.group is not None
            hits.append(
                (
                    f"reason code {c.code.code} is not used with group {c.code.group.code}",
                    c.start,
                    None,
                )
            )
    return _report(r, doc, hits)


@_rule(
    "DK210",
    "claim-number-mismatch",
    E,
    summary="A claim number written after a claim-number label is the claim's.",
    hint="Correct the claim number in the letter to the one on the remittance.",
    authority="Logic (consistency with the claim)",
)
def _dk210(r: Rule, doc: Document, sc: Scan) -> Iterable[Finding]:
    hits: list[_Hit] = []
    if doc.claim is None:
        return _report(r, doc, hits)
    number = _s(doc.claim.claim_number)
    if number is None:
        return _report(r, doc, hits)
    want = compact(number)
    for v in sc.claim_numbers:
        if compact(v.value) != want:
            hits.append(
                ("a claim number in the letter differs from the claim's", v.start, "claim_number")
            )
    return _report(r, doc, hits)


@_rule(
    "DK211",
    "member-id-mismatch",
    E,
    summary="A member id or Medicare number written after its label is the patient's.",
    hint="Correct the member id in the letter to the one on the claim.",
    authority="Logic (consistency with the claim); 45 CFR 164.502(b) (minimum necessary)",
)
def _dk211(r: Rule, doc: Document, sc: Scan) -> Iterable[Finding]:
    hits: list[_Hit] = []
    if doc.claim is None:
        return _report(r, doc, hits)
    member = _s(doc.claim.patient.member_id)
    if member is None:
        return _report(r, doc, hits)
    group = _s(doc.claim.patient.group_number)
    allowed = {compact(member)} | ({compact(group)} if group else set())
    for v in sc.member_ids:
        if compact(v.value) not in allowed:
            hits.append(
                (
                    "a member id in the letter differs from the patient's",
                    v.start,
                    "patient.member_id",
                )
            )
    return _report(r, doc, hits)


@_rule(
    "DK212",
    "service-code-not-on-claim",
    W,
    summary="A procedure code written after 'CPT', 'HCPCS' or 'procedure' is one of the "
    "claim's services.",
    hint="Check the code; the argument may discuss other codes, but a wrong service code "
    "confuses the reviewer.",
    authority="Logic (consistency with the claim)",
)
def _dk212(r: Rule, doc: Document, sc: Scan) -> Iterable[Finding]:
    hits: list[_Hit] = []
    if doc.claim is None:
        return _report(r, doc, hits)
    billed = {c for c, _, _, _ in sc.service_codes}
    for v in sc.procedure_codes:
        code = v.value.upper()
        if procedure_kind(code) and code not in billed:
            hits.append((f"the letter names {code}, which is not on the claim", v.start, None))
    return _report(r, doc, hits)


@_rule(
    "DK213",
    "patient-name-mismatch",
    E,
    summary="A name written after a 'Patient:' (or 'Beneficiary:', 'Member:') label shares "
    "a name with the claim's patient.",
    hint="Correct the name to the claim's patient; never send one patient's letter with "
    "another's name.",
    authority="Logic (consistency with the claim); 45 CFR 164.502(b)",
)
def _dk213(r: Rule, doc: Document, sc: Scan) -> Iterable[Finding]:
    hits: list[_Hit] = []
    if doc.claim is None:
        return _report(r, doc, hits)
    name = _s(doc.claim.patient.name)
    if name is None:
        return _report(r, doc, hits)
    want = set(_fold(name).split(" "))
    for v in sc.patient_names:
        if not want & set(_fold(v.value).split(" ")):
            hits.append(
                ("a patient name in the letter differs from the claim's", v.start, "patient.name")
            )
    return _report(r, doc, hits)


@_rule(
    "DK214",
    "denial-code-not-on-claim",
    W,
    summary="A denial code cited in the letter is one of the codes the letter answers.",
    hint="Check the code; cite the codes from the remittance being appealed.",
    authority="Logic (consistency with the claim)",
)
def _dk214(r: Rule, doc: Document, sc: Scan) -> Iterable[Finding]:
    hits: list[_Hit] = []
    if not doc.codes:
        return _report(r, doc, hits)
    given = {(c.system, c.code) for c in doc.codes}
    seen: set[tuple[CodeSystem, str]] = set()
    for c in sc.cited:
        if c.code is None:
            continue
        key = (c.code.system, c.code.code)
        if key in given or key in seen:
            continue
        if c.explicit or c.code.system is CodeSystem.EXTENSION:
            seen.add(key)
            hits.append(
                (
                    f"the letter cites {c.code.key}, which is not among the codes it answers",
                    c.start,
                    None,
                )
            )
    return _report(r, doc, hits)


# -------------------- DK3xx placeholders

_TEMPLATE_RES: Final = (
    re.compile(r"\{[{%#][^{}\n]{0,200}?[}%#]\}"),
    re.compile(r"\{[{%#]"),
    re.compile(r"[}%#]\}"),
)


@_rule(
    "DK301",
    "template-syntax",
    E,
    summary="No template syntax ({{ }}, {% %}, {# #}) is left in the text.",
    hint="Write the value in by hand, or fix the claim data and generate the letter again.",
    authority="Jinja renders missing values as empty text; values holding template syntax "
    "stay literal (denialkit security notes)",
)
def _dk301(r: Rule, doc: Document, sc: Scan) -> Iterable[Finding]:
    text = sc.ascii
    if not ("{" in text and any(x in text for x in ("{{", "{%", "{#"))) and not (
        "}" in text and any(x in text for x in ("}}", "%}", "#}"))
    ):
        return _NONE
    covered: list[tuple[int, int]] = []
    starts: set[int] = set()
    for m in _TEMPLATE_RES[0].finditer(text):
        covered.append((m.start(), m.end()))
        starts.add(m.start())
    ends = [a for a, _ in covered]
    for pattern in _TEMPLATE_RES[1:]:
        for m in pattern.finditer(text):
            i = bisect.bisect_right(ends, m.start()) - 1
            if i >= 0 and covered[i][0] <= m.start() < covered[i][1]:
                continue
            starts.add(m.start())
    return _report(
        r, doc, [("template syntax is left in the letter", at, None) for at in sorted(starts)]
    )


_BRACKET_RE: Final = re.compile(r"\[(?P<c>[^\[\]\n]{1,80}+)\]")
_ANGLE_RE: Final = re.compile(r"<<(?P<c>[^<>\n]{1,80}+)>>")
_PH_VERBS: Final = (
    "insert", "enter ", "add ", "type ", "fill", "your ", "put ", "paste", "include ",
    "select", "choose", "name of", "date of", "list ", "describe", "explain", "attach",
    "specify",
)  # fmt: skip
_PH_NOUNS: Final = frozenset(
    (
        "name", "names", "date", "dates", "number", "address", "phone", "fax", "email", "id",
        "npi", "mbi", "signature", "title", "amount", "minutes", "code", "codes", "header",
        "letterhead", "practice", "patient", "provider", "physician", "doctor", "payer",
        "insurer", "insurance", "member", "claim", "dos", "dob", "reason", "description",
        "explanation", "city", "state", "zip", "company", "organization", "recipient",
        "sender", "contact", "department", "dept", "policy", "group", "account", "total",
        "diagnosis", "service", "services", "charge", "blank", "placeholder", "here",
    )
)  # fmt: skip
_NOT_PH_RE: Final = re.compile(
    r"sic\.?|emphasis (?:added|mine|original)|\.\.\.|…|[0-9]+|[a-z]|[ivx]+"
)


def _is_placeholder(content: str) -> bool:
    c = content.strip()
    low = c.lower()
    if not c or _NOT_PH_RE.fullmatch(low) or low.startswith("missing:"):
        return False
    if low.startswith(_PH_VERBS):
        return True
    if _ASCII_DIGIT_RE.search(c):
        return False
    words = re.findall(r"[a-z]+", low)
    if any(w in _PH_NOUNS for w in words):
        return True
    return len(c) >= 3 and c.isupper() and all(ch.isalpha() or ch in " /-_'" for ch in c)


@_rule(
    "DK302",
    "bracket-placeholder",
    E,
    summary="No template blank in brackets is left: [Patient Name], [Date], [Insert ...], "
    "[Your Practice Header], <<Name>>.",
    hint="Replace the blank with the real value.",
    authority="Placeholder conventions of published appeal templates (AMA sample letter "
    '"[date]"; "[Patient name]")',
)
def _dk302(r: Rule, doc: Document, sc: Scan) -> Iterable[Finding]:
    text = sc.ascii
    if "[" not in text and "<" not in text:
        return _NONE
    return _dk302_blanks(r, doc, text)


def _dk302_blanks(r: Rule, doc: Document, text: str) -> Iterator[Finding]:
    for pattern, marker in ((_BRACKET_RE, "["), (_ANGLE_RE, "<<")):
        if marker[0] not in text or marker not in text:
            continue
        for m in pattern.finditer(text):
            if _is_placeholder(m.group("c")):
                yield r.finding(doc, "an unfilled template blank is left in brackets", at=m.start())


_PAREN_RE: Final = re.compile(
    r"\((?=insert|enter |your |fill in|type |patient|name|date|claim|member|provider|practice"
    r"|address|phone|the |signature|title|payer|insurance|amount|minutes|dob|dos|npi|full"
    r"|first|last|service|id\b)(?P<c>[^()\n]{1,60}+)\)"
)
_PAREN_VOCAB: Final = frozenset(
    (
        "patient", "name", "date", "of", "birth", "service", "claim", "number", "member", "id",
        "provider", "practice", "address", "phone", "the", "and", "or", "signature", "title",
        "payer", "insurance", "company", "amount", "minutes", "dob", "dos", "npi", "here",
        "full", "first", "last",
    )
)  # fmt: skip
_PAREN_KEY: Final = frozenset(
    (
        "name", "date", "number", "id", "address", "phone", "signature", "title", "amount",
        "minutes",
    )
)  # fmt: skip
_APOSTROPHE_S_RE: Final = re.compile(r"['’]s\b")


def _is_paren_placeholder(content: str) -> bool:
    low = content.strip().lower()
    if low.startswith(("insert", "enter ", "your ", "fill in", "type ")):
        return True
    first = low.split(" ", 1)[0].replace("’", "'").removesuffix("'s")
    if first not in _PAREN_VOCAB or _ASCII_DIGIT_RE.search(low):
        return False
    words = re.findall(r"[a-z]+", _APOSTROPHE_S_RE.sub("", low))
    return (
        bool(words)
        and all(w in _PAREN_VOCAB for w in words)
        and any(w in _PAREN_KEY for w in words)
    )


@_rule(
    "DK303",
    "parenthesis-placeholder",
    E,
    summary="No template blank in parentheses is left: (Patient Name), (date), (insert ...).",
    hint="Replace the blank with the real value.",
    authority='Placeholder conventions of published appeal templates ("(Patient Name)")',
)
def _dk303(r: Rule, doc: Document, sc: Scan) -> Iterable[Finding]:
    low = sc.low
    if "(" not in low:
        return _NONE
    return _dk303_blanks(r, doc, low)


def _dk303_blanks(r: Rule, doc: Document, low: str) -> Iterator[Finding]:
    for m in _PAREN_RE.finditer(low):
        if _is_paren_placeholder(m.group("c")):
            yield r.finding(doc, "an unfilled template blank is left in parentheses", at=m.start())


_UNDERSCORES_RE: Final = re.compile(r"___+")


@_rule(
    "DK304",
    "underscore-blank",
    E,
    summary="No run of three or more underscores (a fill-in blank) is left.",
    hint="Write the value in place of the blank; sign by name rather than on a line.",
    authority='Placeholder conventions of published appeal templates (AMA sample letter "______")',
)
def _dk304(r: Rule, doc: Document, sc: Scan) -> Iterable[Finding]:
    text = sc.ascii
    if "_" not in text or "___" not in text:
        return _NONE
    return _dk304_blanks(r, doc, text)


def _dk304_blanks(r: Rule, doc: Document, text: str) -> Iterator[Finding]:
    for m in _UNDERSCORES_RE.finditer(text):
        yield r.finding(doc, "a fill-in blank of underscores is left", at=m.start())


_LEFTOVERS: Final = ("TBD", "TBA", "TODO", "FIXME", "XXX")
_LEFTOVER_RE: Final = re.compile(r"TBD|TBA|TODO|FIXME|XXX")
_LOREM_RES: Final = (re.compile(r"lorem[ \t]+ipsum"), re.compile(r"ipsum[ \t]+dolor"))
# A marker stands alone (no letter, digit, "." or "_" next to it), so its lower-case form is
# a word of the text; runs of X are looked for directly, after a test for a capital X.
_LEFTOVER_CAPITALS: Final = (b"TBD", b"TBA", b"TODO", b"FIXME", b"XXX")
_LOREM_GATE: Final = _gate("lorem ipsum")


@_rule(
    "DK305",
    "leftover-marker",
    E,
    summary="No drafting marker is left: TBD, TBA, TODO, FIXME, XXX, lorem ipsum.",
    hint="Finish the sentence the marker stands for, or delete it.",
    authority="Logic; Jinja's lipsum global produces lorem ipsum",
)
def _dk305(r: Rule, doc: Document, sc: Scan) -> Iterable[Finding]:
    text, low = sc.ascii, sc.low
    starts: set[int] = set()
    capitals = sc.capitals
    if any(w in capitals for w in _LEFTOVER_CAPITALS) and any(w in text for w in _LEFTOVERS):
        for m in _LEFTOVER_RE.finditer(text):
            s, e = m.start(), m.end()
            if s and (text[s - 1].isalnum() or text[s - 1] in "._"):
                continue
            while e < len(text) and text[e] == "X" and m.group() == "XXX":
                e += 1
            if e < len(text) and (text[e].isalnum() or text[e] == "_"):
                continue
            starts.add(s)
    if sc.has(_LOREM_GATE) and "ipsum" in low:
        lorem = [m.start() for m in _words_at(_LOREM_RES[0], low)]
        starts.update(lorem)
        for m in _words_at(_LOREM_RES[1], low):
            if not low.endswith("lorem ", max(0, m.start() - 6), m.start()):
                starts.add(m.start())
    return _report(
        r, doc, [("a drafting marker is left in the letter", at, None) for at in sorted(starts)]
    )


_NA_VALUE_RES: Final = (
    re.compile(r":[ \t]*(?P<v>n/?a|none|unknown|pending)(?![a-z0-9/])"),
    re.compile(r"#[ \t]*(?P<v>n/?a|none|unknown|pending)(?![a-z0-9/])"),
)
# the values are words of the text; "n/a" is the words "n" and "a" with a slash
_NA_WORDS_GATE: Final = _gate("na none unknown pending")
_NA_SLASH_GATE: Final = _gate("n", "a")
_NA_LABEL_RE: Final = re.compile(
    r"(?:claim(?:[ \t]+(?:number|no\.|#))?|member[ \t]+id|medicare[ \t]+number|mbi|npi"
    r"|patient(?:[ \t]+name)?|dates?[ \t]+of[ \t]+service|dos|date(?:[ \t]+of[ \t]+birth)?)[ \t]*\Z"
)


@_rule(
    "DK306",
    "not-applicable-value",
    W,
    summary="A required field (claim number, member id, patient, dates, NPI) does not read "
    "N/A, none, unknown or pending.",
    hint="Give the real value; if it truly does not exist, say why in a sentence.",
    authority="Logic",
)
def _dk306(r: Rule, doc: Document, sc: Scan) -> Iterable[Finding]:
    low = sc.low
    if not sc.has(_NA_WORDS_GATE) and not ("/" in low and sc.has(_NA_SLASH_GATE)):
        return _NONE
    starts: set[int] = set()
    for pattern in _NA_VALUE_RES:
        for m in pattern.finditer(low):
            head = _NA_LABEL_RE.search(low, max(0, m.start() - 30), m.start())
            if head is not None and (head.start() == 0 or not low[head.start() - 1].isalnum()):
                starts.add(m.start("v"))
    return _report(
        r, doc, [("a required field has no real value", at, None) for at in sorted(starts)]
    )


_MISSING_RE: Final = re.compile(r"\[MISSING:[ \t]*(?P<label>[^\]\n]{0,200}+)\]")


@_rule(
    "DK307",
    "missing-fact-marker",
    E,
    summary="No [MISSING: ...] marker is left: a fact the letter needs was not supplied.",
    hint="Add the fact to the claim (its facts) and generate the letter again, or write it "
    "in by hand.",
    authority="denialkit letters mark each fact the claim lacks instead of leaving a gap",
)
def _dk307(r: Rule, doc: Document, sc: Scan) -> Iterable[Finding]:
    text = sc.ascii
    if "[" not in text or "[MISSING:" not in text:
        return _NONE
    return _dk307_markers(r, doc, text)


def _dk307_markers(r: Rule, doc: Document, text: str) -> Iterator[Finding]:
    known = set(doc.missing)
    for m in _MISSING_RE.finditer(text):
        label = doc.text[m.start("label") : m.end("label")].strip()
        if label and label in known:
            msg = f"the fact '{label}' is missing from the letter"
        else:
            msg = "a fact marked [MISSING: ...] is missing from the letter"
        yield r.finding(doc, msg, at=m.start())


# -------------------- DK4xx dates and deadlines


@_rule(
    "DK401",
    "invalid-date",
    E,
    summary="Every date written in the text is a real calendar date (no February 30, no month 13).",
    hint="Correct the date.",
    authority="Logic",
)
def _dk401(r: Rule, doc: Document, sc: Scan) -> Iterable[Finding]:
    hits: list[_Hit] = []
    for t in sc.dates:
        if t.value is None:
            hits.append(("a date in the letter is not a real calendar date", t.start, None))
    return _report(r, doc, hits)


def _date_fields(claim: Claim) -> Iterator[tuple[str, object, bool]]:
    yield "patient.birth_date", claim.patient.birth_date, True
    yield "denial.notice_date", claim.denial.notice_date, False
    for i, s in enumerate(claim.services):
        yield f"services[{i}].date", getattr(s, "date", None), False
    for k, v in claim.facts.items():
        if k.endswith("_date"):
            yield f"facts.{k}", v, True


@_rule(
    "DK402",
    "wrong-date-type",
    E,
    summary="Every date of the claim and the letter is a date: not a datetime, not text.",
    hint="Pass datetime.date values (a datetime's .date()); build claims with "
    "Claim.from_dict to have every field checked.",
    authority="Logic: a datetime is a date subclass and compares wrongly with dates",
)
def _dk402(r: Rule, doc: Document, sc: Scan) -> list[Finding]:
    found: list[Finding] = []
    if isinstance(doc.letter_date, datetime):
        found.append(
            r.finding(doc, "the letter's date is a datetime, not a date", path="letter_date")
        )
    if doc.claim is None:
        return found
    for path, value, optional in _date_fields(doc.claim):
        if isinstance(value, datetime):
            found.append(r.finding(doc, "a claim date is a datetime, not a date", path=path))
        elif not isinstance(value, date) and not (optional and value is None):
            found.append(r.finding(doc, "a claim date is not a date", path=path))
    return found


@_rule(
    "DK403",
    "service-after-letter",
    E,
    summary="No date of service is after the letter's date (or after today, when the letter "
    "is undated).",
    hint="Check the dates of service and the letter date.",
    authority="Logic",
)
def _dk403(r: Rule, doc: Document, sc: Scan) -> Iterable[Finding]:
    hits: list[_Hit] = []
    day, _, _, known = sc.letter_day
    what = "the letter's date" if known else "today"
    for w in sc.service_dates:
        if w.value > day:
            hits.append((f"a date of service is after {what}", w.at, w.path))
    return _report(r, doc, hits)


@_rule(
    "DK404",
    "notice-before-service",
    E,
    summary="The denial notice is not dated before a date of service.",
    hint="Check the notice date and the dates of service on the claim.",
    authority="Logic",
)
def _dk404(r: Rule, doc: Document, sc: Scan) -> list[Finding]:
    found: list[Finding] = []
    if doc.claim is None:
        return found
    notice = _d(doc.claim.denial.notice_date)
    if notice is not None and any(w.value > notice for w in sc.service_dates):
        found.append(
            r.finding(
                doc,
                "the denial notice is dated before a date of service",
                path="denial.notice_date",
            )
        )
    return found


@_rule(
    "DK405",
    "letter-before-notice",
    E,
    summary="The letter is not dated before the denial notice it answers.",
    hint="Check the letter date and the notice date.",
    authority="Logic",
)
def _dk405(r: Rule, doc: Document, sc: Scan) -> list[Finding]:
    found: list[Finding] = []
    if doc.claim is None:
        return found
    notice = _d(doc.claim.denial.notice_date)
    day, at, path, known = sc.letter_day
    if notice is not None and known and day < notice:
        found.append(
            r.finding(
                doc,
                "the letter is dated before the denial notice",
                at=at,
                path=path or ("denial.notice_date" if at is None else None),
            )
        )
    return found


@_rule(
    "DK406",
    "birth-after-service",
    E,
    summary="The patient's date of birth is before every date of service.",
    hint="Check the date of birth and the dates of service.",
    authority="Logic",
)
def _dk406(r: Rule, doc: Document, sc: Scan) -> list[Finding]:
    found: list[Finding] = []
    born = sc.birth_date
    if born is not None and any(w.value <= born.value for w in sc.service_dates):
        found.append(
            r.finding(
                doc,
                "the date of birth is not before the dates of service",
                at=born.at,
                path=born.path,
            )
        )
    return found


_MAX_AGE: Final = 120


@_rule(
    "DK407",
    "implausible-age",
    W,
    summary=f"The patient is not older than {_MAX_AGE} on a date of service.",
    hint="Check the year of birth.",
    authority="Logic",
)
def _dk407(r: Rule, doc: Document, sc: Scan) -> list[Finding]:
    found: list[Finding] = []
    born = sc.birth_date
    if born is None:
        return found
    b = born.value
    for w in sc.service_dates:
        d = w.value
        if d.year - b.year - ((d.month, d.day) < (b.month, b.day)) > _MAX_AGE:
            found.append(
                r.finding(
                    doc,
                    f"the patient would be over {_MAX_AGE} on a date of service",
                    at=born.at,
                    path=born.path,
                )
            )
            return found
    return found


@_rule(
    "DK408",
    "filing-deadline-passed",
    W,
    summary="The letter is dated on or before the filing deadline of its appeal level (a "
    "warning: a good-cause extension may apply).",
    hint="Send it at once and explain the delay; ask for a good-cause extension where the "
    "rules allow one.",
    authority="42 CFR 405.942(a) and (b), 405.962, 405.1002, 405.1102; 29 CFR 2560.503-1(h); "
    "45 CFR 147.136 (computed by denialkit.deadlines)",
)
def _dk408(r: Rule, doc: Document, sc: Scan) -> list[Finding]:
    found: list[Finding] = []
    info = sc.deadline_info
    if info is None or info.due is None:
        return found
    day, at, path, known = sc.letter_day
    late = (day - info.due).days
    if late > 0:
        when = "the letter is dated" if known else "today is"
        cite = f" ({info.citation})" if info.citation else ""
        extra = "; a good-cause extension may apply" if info.good_cause else ""
        found.append(
            r.finding(
                doc,
                f"{when} {late} day{'s' * (late != 1)} after the filing deadline{cite}{extra}",
                at=at,
                path=path or ("denial.notice_date" if at is None else None),
            )
        )
    return found


@_rule(
    "DK409",
    "deadline-unknown",
    INF,
    summary="When no filing deadline can be computed for the claim, the report says so "
    "instead of staying silent.",
    hint="Give the payer's appeal window (payer.appeal_window_days), or check the deadline "
    "on the denial notice.",
    authority="Logic: a deadline is never skipped silently",
)
def _dk409(r: Rule, doc: Document, sc: Scan) -> list[Finding]:
    found: list[Finding] = []
    info = sc.deadline_info
    if info is not None and info.due is None:
        found.append(
            r.finding(
                doc, f"no filing deadline could be computed: {info.problem}", path="payer.plan_type"
            )
        )
    return found


@_rule(
    "DK410",
    "service-date-mismatch",
    E,
    summary="A date written after a date-of-service label is one of the claim's dates of service.",
    hint="Correct the date of service in the letter to the one on the claim.",
    authority="Logic (consistency with the claim)",
)
def _dk410(r: Rule, doc: Document, sc: Scan) -> Iterable[Finding]:
    hits: list[_Hit] = []
    if doc.claim is None:
        return _report(r, doc, hits)
    days = {d for _, d in _claim_service_dates(doc.claim)}
    for t in sc.service_dates_text:
        if t.value is not None and t.value not in days:
            hits.append(
                ("a date of service in the letter is not on the claim", t.start, "services")
            )
    return _report(r, doc, hits)


@_rule(
    "DK411",
    "birth-date-mismatch",
    E,
    summary="A date written after a date-of-birth label is the patient's date of birth.",
    hint="Correct the date of birth in the letter to the patient's.",
    authority="Logic (consistency with the claim); 45 CFR 164.502(b)",
)
def _dk411(r: Rule, doc: Document, sc: Scan) -> Iterable[Finding]:
    hits: list[_Hit] = []
    if doc.claim is None:
        return _report(r, doc, hits)
    born = _d(doc.claim.patient.birth_date)
    if born is None:
        return _report(r, doc, hits)
    for t in sc.birth_dates:
        if t.value is not None and t.value != born:
            hits.append(
                (
                    "a date of birth in the letter differs from the patient's",
                    t.start,
                    "patient.birth_date",
                )
            )
    return _report(r, doc, hits)


# -------------------- DK5xx code-specific evidence

_SCALES: Final = (
    "phq-9", "phq9", "phq-a", "phq-2", "gad-7", "gad7", "pcl-5", "epds", "audit-c", "mdq",
    "rating scale", "validated scale", "validated instrument", "validated tool",
    "validated measure", "validated screening",
)  # fmt: skip
_BHI_AUTHORITY: Final = "AAFP BHI coding guide; CMS MLN909432 (Behavioral Health Integration)"


def _evidence_rule(
    id: str, slug: str, what: str, words: Sequence[str], hint: str, authority: str
) -> None:
    def fn(r: Rule, doc: Document, sc: Scan) -> Iterable[Finding]:
        if sc.bhi_codes is not None and not _any_in(sc.low, words):
            return (r.finding(doc, f"the letter does not show {what}"),)
        return _NONE

    _rule(
        id,
        slug,
        W,
        summary=f"A letter about behavioral health integration (CCM21, or BHI/CoCM codes "
        f"billed) shows {what}.",
        hint=hint,
        authority=authority,
    )(fn)


_evidence_rule(
    "DK501",
    "bhi-consent-not-shown",
    "the patient's consent",
    ("consent",),
    "State when and how the patient consented (with cost sharing explained) and enclose it.",
    "CMS care management consent requirement (Texas Medical Association summary); "
    "unverified for BHI, hence a warning",
)
_evidence_rule(
    "DK502",
    "bhi-care-plan-not-shown",
    "the care plan",
    ("care plan", "treatment plan"),
    "Describe the behavioral health care plan in force that month and enclose it.",
    _BHI_AUTHORITY,
)
_evidence_rule(
    "DK503",
    "bhi-rating-scale-not-shown",
    "a validated rating scale (such as PHQ-9 or GAD-7)",
    _SCALES,
    "Name the validated scale used (PHQ-9, GAD-7) with its dates and scores.",
    _BHI_AUTHORITY + " (body text not re-read, hence a warning)",
)


def _stated_minutes(sc: Scan) -> tuple[Decimal, int | None, str | None] | None:
    if sc.claim is not None:
        v = sc.claim.facts.get("care_manager_minutes")
        if isinstance(v, (int, Decimal)) and not isinstance(v, bool):
            dv = Decimal(v)
            if dv.is_finite():
                return dv, None, "facts.care_manager_minutes"
    found = sc.text_minutes
    if not found:
        return None
    n, at = max(found)
    return Decimal(n), at, None


@_rule(
    "DK504",
    "bhi-minutes-not-shown",
    W,
    summary="A letter about behavioral health integration states the minutes of care "
    "management in the calendar month.",
    hint="State the total minutes of care management in the month and enclose the time log.",
    authority=_BHI_AUTHORITY,
)
def _dk504(r: Rule, doc: Document, sc: Scan) -> list[Finding]:
    found: list[Finding] = []
    if sc.bhi_codes is not None and not sc.states_minutes:
        found.append(r.finding(doc, "the letter does not state the minutes of care in the month"))
    return found


@_rule(
    "DK505",
    "bhi-minutes-below-threshold",
    W,
    summary="The minutes stated reach the monthly threshold of the code billed: 99484 20, "
    "99492 70, 99493 60, G2214 30, plus 30 for each unit of 99494.",
    hint="Check the time log; if the minutes support only a lower code, correct the claim "
    "instead of appealing.",
    authority="AAFP BHI coding guide (99484, 99492-99494); AAPC on G2214 (CMS-1751-F). "
    'Time-counting rules ("more than half") are unverified and not applied',
)
def _dk505(r: Rule, doc: Document, sc: Scan) -> list[Finding]:
    found: list[Finding] = []
    billed = sc.bhi_codes
    base = [c for c in billed or () if c in _BHI_MINUTES]
    if not base:
        return found
    top = max(base, key=lambda c: (_BHI_MINUTES[c], c))
    addons = sum((u for c, u, _, _ in sc.service_codes if c == "99494"), Decimal(0))
    need = Decimal(_BHI_MINUTES[top]) + _ADDON_MINUTES * addons
    stated = _stated_minutes(sc)
    if stated is None:
        return found
    minutes, at, path = stated
    if minutes < need:
        what = top + (" with 99494" if addons else "")
        shown = format(need.normalize(), "f")
        found.append(
            r.finding(
                doc,
                f"the minutes stated are fewer than the {shown} that {what} needs in the month",
                at=at,
                path=path,
            )
        )
    return found


def _cocm(sc: Scan) -> bool:
    billed = sc.bhi_codes
    if billed is None:
        return False
    low = sc.low
    return bool(billed & _COCM) or (
        not billed and ("collaborative care" in low or _find_word(low, "cocm") >= 0)
    )


@_rule(
    "DK506",
    "cocm-care-manager-not-named",
    W,
    summary="A collaborative care (CoCM) letter names the behavioral health care manager.",
    hint="Name the care manager and their behavioral health training.",
    authority="NGS Medicare BHI page, from MLN909432 (the CoCM care team)",
)
def _dk506(r: Rule, doc: Document, sc: Scan) -> list[Finding]:
    found: list[Finding] = []
    if _cocm(sc) and "care manager" not in sc.low:
        found.append(r.finding(doc, "the letter does not name the behavioral health care manager"))
    return found


@_rule(
    "DK507",
    "cocm-consultant-not-named",
    W,
    summary="A collaborative care (CoCM) letter names the psychiatric consultant.",
    hint="Name the psychiatric consultant and summarise their caseload review.",
    authority="NGS Medicare BHI page, from MLN909432 (the CoCM care team)",
)
def _dk507(r: Rule, doc: Document, sc: Scan) -> list[Finding]:
    found: list[Finding] = []
    if _cocm(sc) and not _any_in(
        sc.low, ("psychiatric consultant", "consulting psychiatrist", "psychiatrist")
    ):
        found.append(r.finding(doc, "the letter does not name the psychiatric consultant"))
    return found


@_rule(
    "DK508",
    "addon-without-base",
    W,
    summary="CPT 99494 (additional collaborative care time) is billed with 99492 or 99493, "
    "never alone.",
    hint="Bill 99494 only with its base code for the same month; correct the claim.",
    authority="AAFP BHI coding guide (99494 is reported with 99492 or 99493)",
)
def _dk508(r: Rule, doc: Document, sc: Scan) -> list[Finding]:
    found: list[Finding] = []
    codes = sc.service_codes
    billed = {c for c, _, _, _ in codes}
    if "99494" in billed and not billed & {"99492", "99493"}:
        for c, _, path, at in codes:
            if c == "99494":
                found.append(
                    r.finding(doc, "99494 is billed without 99492 or 99493", at=at, path=path)
                )
                return found
    return found


# -------------------- DK6xx privacy


@_rule(
    "DK601",
    "ssn",
    E,
    summary="No Social Security number is in the letter (3-2-4 digits with the SSA's "
    "assignment rules, or a number labelled SSN).",
    hint="Remove the SSN; identify the patient by member id or Medicare number.",
    authority="45 CFR 164.502(b) (minimum necessary); SSA number-assignment rules; MACRA "
    "section 501 (removing SSNs from Medicare cards)",
)
def _dk601(r: Rule, doc: Document, sc: Scan) -> Iterable[Finding]:
    hits: list[_Hit] = []
    for at in sc.ssn_starts:
        hits.append(("the letter contains what looks like a Social Security number", at, None))
    return _report(r, doc, hits)


_MBI_SHAPE_RE: Final = re.compile(r"0A[0A]0-?A[0A]0-?AA00")


@_rule(
    "DK602",
    "second-patient",
    E,
    summary="The letter holds one patient's identifiers only: no second Medicare number, "
    "member id, date of birth or patient name.",
    hint="Remove the other patient's details; send one letter per patient.",
    authority="45 CFR 164.502(b) (minimum necessary); PHI over-disclosure",
)
def _dk602(r: Rule, doc: Document, sc: Scan) -> list[Finding]:
    found: list[Finding] = []
    claim = doc.claim
    own = None
    if claim is not None:
        member = _s(claim.patient.member_id)
        if member is not None and mbi_is_valid(member):
            own = compact(member)
    text = sc.ascii
    seen: set[str] = set()
    for m in _MBI_SHAPE_RE.finditer(sc.shape):
        if _glued(text, m.start(), m.end()) or text[m.start()] == "0":
            continue
        v = compact(text[m.start() : m.end()])
        if (own is not None and v != own) or (own is None and seen and v not in seen):
            found.append(
                r.finding(doc, "the letter holds a second patient's Medicare number", at=m.start())
            )
            return found
        seen.add(v)
    if claim is not None:
        return found
    ids = sc.member_ids
    if len({compact(v.value) for v in ids}) > 1:
        first = compact(ids[0].value)
        other = next(v for v in ids if compact(v.value) != first)
        found.append(r.finding(doc, "the letter holds more than one member id", at=other.start))
        return found
    dobs = [t for t in sc.birth_dates if t.value is not None]
    if len({t.value for t in dobs}) > 1:
        later = next(t for t in dobs if t.value != dobs[0].value)
        found.append(r.finding(doc, "the letter holds more than one date of birth", at=later.start))
        return found
    names = sc.patient_names
    if names:
        first_words = set(_fold(names[0].value).split(" "))
        for other_name in names[1:]:
            if not first_words & set(_fold(other_name.value).split(" ")):
                found.append(
                    r.finding(doc, "the letter names more than one patient", at=other_name.start)
                )
                return found
    return found


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
_TOKEN_CHARS: Final = frozenset("0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-?")


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
    letters = [c for c in sc.nonascii if c.isalpha()]
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
                and any(not c.isascii() and c.isalpha() for c in tok)
            ):
                hits.add(m.start())
    else:
        ascii_text = sc.ascii
        n = len(text)
        for ch in letters:
            i = text.find(ch)
            while i >= 0:
                lo = i
                while lo > 0 and i - lo < 40 and ascii_text[lo - 1] in _TOKEN_CHARS:
                    lo -= 1
                hi = i + 1
                while hi < n and hi - i < 40 and ascii_text[hi] in _TOKEN_CHARS:
                    hi += 1
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


# -------------------- the catalogue

RULES: Final[tuple[Rule, ...]] = tuple(sorted(_REGISTERED, key=lambda r: r.id))
"""Every built-in rule, in id order."""

RETIRED: Final[frozenset[str]] = frozenset()
"""Rule ids that were removed. A retired id is never used again."""
