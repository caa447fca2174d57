"""denialkit's built-in validation rules (private; see ``docs/rules.md``).

Every rule is a function registered with :func:`_rule`, which makes it a
:class:`~denialkit.validation.Rule`. Scans that several rules need (the dates in the text,
labelled values, cited codes) run once per document through
:meth:`~denialkit.validation.Document.cached`.

Speed and safety of the scans:

- Most patterns start with a literal (``claim``, ``npi``, ``20``), which the regular
  expression engine finds with a fast substring search; word boundaries are then checked in
  Python. Patterns run on an ASCII copy of the text (every other character replaced by ``?``,
  so offsets stay the same) in lower case.
- Every quantifier is bounded or possessive and every look-around has a fixed width, so each
  pattern runs in time linear in the text, also on long runs of near-misses.
- Checks on non-ASCII characters (bidi controls, zero-width characters, other digits) look at
  the set of distinct non-ASCII characters first and scan only when one is present.

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
from typing import TYPE_CHECKING, Final, NamedTuple

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
from .codes import CodeRef, CodeSystem, DenialCode
from .validation import Document, Finding, Rule, Severity

if TYPE_CHECKING:
    from .codes import CodeTable

__all__ = ["RETIRED", "RULES"]

E, W, INF = Severity.ERROR, Severity.WARNING, Severity.INFO

RuleFn = Callable[[Rule, Document], Iterable[Finding]]


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
        return self._fn(self, doc)


_REGISTERED: list[Rule] = []


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


@attrs.frozen
class Scan:
    """The text prepared for fast scanning.

    Attributes:
        ascii: the text with every non-ASCII character replaced by ``?`` (same offsets).
        low: ``ascii`` in lower case.
        nonascii: the distinct non-ASCII characters of the text.
        controls: whether the text holds ASCII control characters other than tab, line
            feed, carriage return and form feed.
    """

    ascii: str
    low: str
    nonascii: frozenset[str]
    controls: bool


def _make_scan(doc: Document) -> Scan:
    text = doc.text
    if text.isascii():
        ascii_text = text
        nonascii: frozenset[str] = frozenset()
    else:
        ascii_text = text.encode("ascii", "replace").decode("ascii")
        raw = text.encode("utf-8", "surrogatepass").translate(None, _ASCII_BYTES)
        nonascii = frozenset(raw.decode("utf-8", "surrogatepass"))
    controls = bool(ascii_text.encode("ascii").translate(None, _NOT_CONTROL_BYTES))
    return Scan(ascii_text, ascii_text.lower(), nonascii, controls)


def scan(doc: Document) -> Scan:
    """The shared :class:`Scan` of a document."""
    return doc.cached("dk.scan", _make_scan)


_SHAPE_TABLE: Final = str.maketrans(
    "0123456789ACDEFGHJKMNPQRTUVWXYBILOSZ", "0" * 10 + "A" * 20 + "B" * 6
)


def shape(doc: Document) -> str:
    """The ASCII copy with every digit as ``0``, every capital an MBI may use as ``A`` and
    the other capitals as ``B``: number shapes become plain substrings (``000-00-0000``)."""
    return doc.cached("dk.shape", lambda d: scan(d).ascii.translate(_SHAPE_TABLE))


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
    i = hay.find(needle)
    while i >= 0:
        if _wb(hay, i, i + n):
            return i
        i = hay.find(needle, i + 1)
    return -1


def _words_at(pattern: re.Pattern[str], hay: str) -> list[re.Match[str]]:
    """Matches of ``pattern`` that start on a word boundary."""
    return [m for m in pattern.finditer(hay) if not m.start() or not hay[m.start() - 1].isalnum()]


_WS_RE: Final = re.compile(r"\s+")
_COMBINING_RE: Final = re.compile(
    "[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]+"
)


def _fold(s: str) -> str:
    """Case-, accent- and spacing-insensitive form of text, for finding claim values."""
    if not s.isascii():
        s = _COMBINING_RE.sub("", unicodedata.normalize("NFKD", s))
    return _WS_RE.sub(" ", s.casefold()).strip()


_ALNUM_WORD_RE: Final = re.compile(r"[a-z0-9]+")
_MAX_PHRASE_WORDS: Final = 30
_MIN_SQUASH: Final = 6
_NON_ALNUM_RE: Final = re.compile(r"[^a-z0-9]+")
_NON_WORD_RE: Final = re.compile(r"\W+")


@functools.lru_cache(maxsize=512)
def _phrase_re(words: tuple[str, ...]) -> re.Pattern[str]:
    """The words in order, with up to six spaces or punctuation marks between them."""
    return re.compile("[^a-z0-9]{0,6}".join(re.escape(w) for w in words))


def _has_phrase(doc: Document, value: str) -> bool:
    """Whether ``value`` is in the text ignoring case, spacing and punctuation, with word
    boundaries at both ends. ASCII words are matched on the ASCII copy; other text is
    compared accent-insensitively."""
    if value.isascii():
        hay = scan(doc).low
        words = tuple(_ALNUM_WORD_RE.findall(value.lower())[:_MAX_PHRASE_WORDS])
    else:
        hay = doc.cached("dk.folded", lambda d: _fold(d.text))
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
    if value.isascii():
        flat = doc.cached("dk.flat.ascii", lambda d: _NON_ALNUM_RE.sub("", scan(d).low))
    else:
        flat = doc.cached("dk.flat", lambda d: _NON_WORD_RE.sub("", _fold(d.text)))
    return squashed in flat


def _has_value(doc: Document, value: str) -> bool:
    """Whether a name, address line or phrase from the claim is in the text: exactly, then
    ignoring case, spacing, punctuation (and accents)."""
    v = value.strip()
    if not v:
        return False
    if _find_word(doc.text, v) >= 0:
        return True
    return _has_phrase(doc, v)


@functools.lru_cache(maxsize=256)
def _ident_pattern(value: str) -> re.Pattern[str]:
    """``value`` with an optional space or hyphen between any two characters; starts with a
    literal so the engine can skip ahead quickly (boundaries are checked by the caller)."""
    return re.compile("[ -]?".join(re.escape(c) for c in value))


_LONG_IDENT: Final = 100


def _find_ident(doc: Document, value: str) -> int:
    """The offset of an identifier (claim number, member id, NPI) in the text, written with
    or without its spaces and hyphens and in any letter case; -1 when absent."""
    v = value.strip()
    if not v:
        return -1
    i = _find_word(doc.text, v)
    if i >= 0:
        return i
    c = compact(v)
    if not c or len(c) > _LONG_IDENT:
        return -1
    if c.isascii():
        hay, needle = scan(doc).low, c.lower()
    else:
        hay, needle = doc.text.casefold(), c.casefold()
        if len(hay) != len(doc.text):
            hay = doc.text
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
_NAMED_BEFORE_YEAR_RE: Final = re.compile(
    r"(?:(?P<mn>[a-z]{3,9})\.?[ \t]+(?P<md>[0-9]{1,2})(?:st|nd|rd|th)?,?"
    r"|(?P<dd>[0-9]{1,2})[ \t]+(?P<dm>[a-z]{3,9})\.?,?) \Z"
)
_NUMERIC_BEFORE_YEAR_RE: Final = re.compile(
    r"(?P<um>[0-9]{1,2})(?P<sep>[-/])(?P<ud>[0-9]{1,2})(?P=sep)\Z"
)
_DATE_WINDOW: Final = 22


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


def _scan_dates(doc: Document) -> tuple[list[TextDate], list[int]]:
    low, form = scan(doc).low, shape(doc)
    n = len(low)
    found: dict[int, TextDate] = {}

    def free(i: int, j: int) -> bool:  # no digit glued on either side
        return not (i and form[i - 1] == "0") and not (j < n and form[j] == "0")

    for i in _finds(form, "0000-00-00"):
        if free(i, i + 10) and not (i and low[i - 1] in "/-."):
            value = _make_date(
                int(low[i : i + 4]), int(low[i + 5 : i + 7]), int(low[i + 8 : i + 10])
            )
            found.setdefault(i, TextDate(i, i + 10, value))
    for sep in "/-":
        for i in _finds(form, sep + "0000"):
            e = i + 5
            if e < n and form[e] == "0":
                continue
            b = _NUMERIC_BEFORE_YEAR_RE.search(low, max(0, i - 5), i + 1)
            if b is None or b.group("sep") != sep:
                continue
            start = b.start()
            if start and (form[start - 1] == "0" or low[start - 1] in "/-."):
                continue
            value = _make_date(int(low[i + 1 : e]), int(b.group("um")), int(b.group("ud")))
            found.setdefault(start, TextDate(start, e, value))
    search_named = _NAMED_BEFORE_YEAR_RE.search
    i = form.find(" 0000")
    while i >= 0:
        e = i + 5
        j, i = i, form.find(" 0000", i + 1)
        if e < n and form[e] == "0":
            continue
        b = search_named(low, max(0, j - _DATE_WINDOW), j + 1)
        if b is None:
            continue
        start = b.start()
        before = low[start - 1] if start else " "
        if b.group("mn"):
            month = _MONTHS.get(b.group("mn"))
            if month is None or before.isalpha():
                continue
            day = int(b.group("md"))
        else:
            month = _MONTHS.get(b.group("dm"))
            if month is None or before.isdigit():
                continue
            day = int(b.group("dd"))
        found.setdefault(start, TextDate(start, e, _make_date(int(low[j + 1 : e]), month, day)))
    ordered = [found[k] for k in sorted(found)]
    return ordered, [t.start for t in ordered]


def text_dates(doc: Document) -> list[TextDate]:
    """Every date written in the text, in order: ``March 31, 2026``, ``Mar. 31st, 2026``,
    ``31 March 2026``, ``03/31/2026``, ``03-31-2026`` and ``2026-03-31``."""
    return doc.cached("dk.dates", _scan_dates)[0]


def _dates_in(doc: Document, lo: int, hi: int) -> list[TextDate]:
    found, starts = doc.cached("dk.dates", _scan_dates)
    return found[bisect.bisect_left(starts, lo) : bisect.bisect_left(starts, hi)]


def _date_set(doc: Document) -> frozenset[date]:
    return doc.cached(
        "dk.dateset", lambda d: frozenset(t.value for t in text_dates(d) if t.value is not None)
    )


def _first_offset_of(doc: Document, day: date) -> int | None:
    for t in text_dates(doc):
        if t.value == day:
            return t.start
    return None


_DATE_LABEL_RE: Final = re.compile(r"date[ \t]*:[ \t]*")
_TOP_LINES: Final = 30


def _scan_letter_date(doc: Document) -> tuple[date | None, int | None]:
    if doc.letter_date is not None:
        day = _d(doc.letter_date)
        return day, _first_offset_of(doc, day) if day else None
    low = scan(doc).low
    for m in _words_at(_DATE_LABEL_RE, low):
        head = _line_head(low, m.start(), 12)
        if head is None or head.strip() not in ("", "letter"):
            continue
        hit = _dates_in(doc, m.end(), m.end() + 1)
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
    for t in _dates_in(doc, 0, top):
        if t.value is None:
            continue
        head = _line_head(low, t.start, 8)
        tail = low[t.end : _line_end(low, t.end, reach=8)]
        if head is not None and not head.strip() and not tail.strip().strip("."):
            return t.value, t.start
    return None, None


def letter_date(doc: Document) -> tuple[date | None, int | None]:
    """The letter's date and its offset in the text (from the letter object, a ``Date:``
    line, or a line holding only a date in the first 30 lines)."""
    return doc.cached("dk.letterdate", _scan_letter_date)


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


def _value_after(doc: Document, pos: int) -> Labelled | None:
    """The identifier-like value starting at ``pos`` (read from the original text)."""
    m = _VALUE_RE.match(doc.text, pos)
    if m is None:
        return None
    v = m.group().rstrip(".")
    return Labelled(v, pos) if v and _HAS_DIGIT_RE.search(v) else None


_CLAIM_LABEL_RE: Final = re.compile(
    r"claim(?:[ \t]+(?:number|no\.|no|num\.|id|control[ \t]+number"
    r"|reference(?:[ \t]+number)?))?" + _SEP
)


def _claim_numbers(doc: Document) -> list[Labelled]:
    def compute(d: Document) -> list[Labelled]:
        low = scan(d).low
        out = []
        for m in _words_at(_CLAIM_LABEL_RE, low):
            if low.endswith("insurance ", 0, m.start()):
                continue
            v = _value_after(d, m.end())
            if v is not None and _ASCII_DIGIT_RE.search(v.value):
                out.append(v)
        return out

    return doc.cached("dk.claimnos", compute)


_ID_WORDS: Final = r"[ \t]+(?:id(?:entification)?|number|no\.|no|#)(?:[ \t]+(?:number|no\.|#))?"
_PAREN_NOTE: Final = r"(?:[ \t]*\([a-z ]{1,20}+\))?"
_MEMBER_LABELS: Final = tuple(
    (kw, re.compile(pattern + _PAREN_NOTE + _SEP), medicare)
    for kw, pattern, medicare in (
        ("member", "member" + _ID_WORDS, False),
        ("subscriber", "subscriber" + _ID_WORDS, False),
        ("insured", "insured" + _ID_WORDS, False),
        ("enrollee", "enrollee" + _ID_WORDS, False),
        ("policy", "policy(?:holder)?" + _ID_WORDS, False),
        ("insurance", "insurance" + _ID_WORDS, False),
        ("medicare", r"medicare[ \t]+(?:beneficiary[ \t]+identifier|number|no\.|no|id|#)", True),
        ("mbi", "mbi", True),
        ("hicn", "hicn", True),
        ("health", r"health[ \t]+insurance[ \t]+claim[ \t]+number", True),
    )
)


def _member_ids(doc: Document) -> list[Labelled]:
    def compute(d: Document) -> list[Labelled]:
        low = scan(d).low
        out = []
        for kw, pattern, medicare in _MEMBER_LABELS:
            if kw not in low:
                continue
            for m in _words_at(pattern, low):
                v = _value_after(d, m.end())
                if v is not None:
                    out.append(Labelled(v.value, v.start, medicare))
        out.sort(key=lambda v: v.start)
        return out

    return doc.cached("dk.memberids", compute)


_PATIENT_LABEL_RES: Final = tuple(
    (kw, re.compile(kw + r"(?:'s|\?s)?(?:[ \t]+(?:full[ \t]+)?name)?[ \t]*:[ \t]*"))
    for kw in ("patient", "beneficiary", "member", "enrollee", "insured")
)
_NAME_VALUE_RE: Final = re.compile(r"[^\W\d_][^\n;()\[\]|]{0,79}+")


def _name_tokens(s: str) -> list[str]:
    out = []
    for tok in re.split(r"[\s,]+", s):
        if not tok:
            continue
        if _HAS_DIGIT_RE.search(tok) or ":" in tok:
            break
        out.append(tok)
    return out


def _patient_names(doc: Document) -> list[Labelled]:
    def compute(d: Document) -> list[Labelled]:
        low = scan(d).low
        out = []
        for kw, pattern in _PATIENT_LABEL_RES:
            if kw not in low:
                continue
            for m in _words_at(pattern, low):
                v = _NAME_VALUE_RE.match(d.text, m.end())
                toks = _name_tokens(v.group()) if v else []
                if toks:
                    out.append(Labelled(" ".join(toks), m.end()))
        out.sort(key=lambda v: v.start)
        return out

    return doc.cached("dk.patientnames", compute)


_NPI_LABEL_RE: Final = re.compile(
    r"npi(?![a-z0-9])(?:[ \t]+(?:number|no\.|no|#))?[ \t]*[:#]?[ \t]*"
)


def _npis(doc: Document) -> list[Labelled]:
    def compute(d: Document) -> list[Labelled]:
        out = []
        for m in _words_at(_NPI_LABEL_RE, scan(d).low):
            v = _value_after(d, m.end())
            if v is not None:
                out.append(v)
        return out

    return doc.cached("dk.npis", compute)


_DOB_LABEL_RES: Final = tuple(
    (kw, re.compile(p + r"[ \t]*[:#]?[ \t]*"))
    for kw, p in (
        ("birth", r"date[ \t]+of[ \t]+birth"),
        ("birth", r"birth[ \t]*date"),
        ("dob", r"dob(?![a-z])"),
        ("d.o.b", r"d\.o\.b\.?"),
    )
)
_DOS_LABEL_RES: Final = tuple(
    (kw, re.compile(p))
    for kw, p in (
        ("service", r"dates?(?:[ \t]*\(s\))?[ \t]+of[ \t]+service"),
        ("service", r"service[ \t]+dates?(?:[ \t]*\(s\))?"),
        ("dos", r"dos(?![a-z])"),
    )
)


def _labelled_dates(
    doc: Document,
    key: str,
    labels: tuple[tuple[str, re.Pattern[str]], ...],
    span_lines: int,
) -> list[TextDate]:
    def compute(d: Document) -> list[TextDate]:
        low = scan(d).low
        found: dict[int, TextDate] = {}
        for kw, pattern in labels:
            if kw not in low:
                continue
            for m in _words_at(pattern, low):
                if span_lines == 0:
                    hi = m.end() + 3
                else:
                    hi = _line_end(low, m.end(), span_lines, reach=200) + 1
                for t in _dates_in(d, m.end(), hi):
                    found.setdefault(t.start, t)
        return [found[k] for k in sorted(found)]

    return doc.cached(key, compute)


def birth_dates_in_text(doc: Document) -> list[TextDate]:
    """Dates written right after a date-of-birth label."""
    return _labelled_dates(doc, "dk.dobs", _DOB_LABEL_RES, 0)


def service_dates_in_text(doc: Document) -> list[TextDate]:
    """Dates written after a date-of-service label, on its line or the next."""
    return _labelled_dates(doc, "dk.doss", _DOS_LABEL_RES, 2)


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
    (kw, re.compile(p + _LIST_TAIL_P))
    for kw, p in (
        ("cpt", r"cpt(?:\?|\(r\))?(?:[ \t]*/[ \t]*hcpcs)?(?![a-z])"),
        ("hcpcs", r"hcpcs(?:[ \t]*/[ \t]*cpt)?(?![a-z])"),
        ("procedure", r"procedure(?![a-z])"),
    )
)
_ICD_LABEL_RES: Final = tuple(
    (kw, re.compile(p + _LIST_TAIL_I))
    for kw, p in (
        ("icd", r"icd-?10(?:-?cm)?(?![a-z])"),
        ("diagnos", r"diagnos(?:is|es)(?![a-z])"),
        ("dx", r"dx(?![a-z])"),
    )
)
_TOKEN_RE: Final = re.compile(r"[a-z0-9][a-z0-9.]*")


def _listed(
    doc: Document, key: str, labels: tuple[tuple[str, re.Pattern[str]], ...]
) -> list[Labelled]:
    def compute(d: Document) -> list[Labelled]:
        low = scan(d).low
        found: dict[int, Labelled] = {}
        for kw, pattern in labels:
            if kw not in low:
                continue
            for m in _words_at(pattern, low):
                base = m.start("list")
                for t in _TOKEN_RE.finditer(m.group("list")):
                    v = t.group().rstrip(".")
                    if v not in ("and", "or") and _ASCII_DIGIT_RE.search(v):
                        at = base + t.start()
                        found.setdefault(at, Labelled(d.text[at : at + len(v)], at))
        return [found[k] for k in sorted(found)]

    return doc.cached(key, compute)


def procedure_codes_in_text(doc: Document) -> list[Labelled]:
    """Codes written after ``CPT``, ``HCPCS`` or ``procedure``."""
    return _listed(doc, "dk.procs", _PROC_LABEL_RES)


def diagnoses_in_text(doc: Document) -> list[Labelled]:
    """Codes written after ``ICD-10``, ``diagnosis`` or ``Dx``."""
    return _listed(doc, "dk.icds", _ICD_LABEL_RES)


# -- denial codes cited in the text ----------------------------------------------------

_GROUP_BODY: Final = r"(?:-|[ ]?)(?P<c>(?:MA|M|N)[0-9]{1,3}|[0-9]{1,3}|[A-Z][0-9]{1,2})"
_GROUP_FORM_RES: Final = tuple(re.compile(g + _GROUP_BODY) for g in ("CO", "PR", "OA", "PI", "CR"))
_CTOKEN: Final = r"[a-z0-9]{1,8}+(?:-[a-z0-9]{1,5}+)?"
_CODE_LABEL_RES: Final = tuple(
    re.compile(p + rf"[ \t]*(?:[:#][ \t]*)?(?P<list>{_CTOKEN}(?:{_LIST_SEP}{_CTOKEN}){{0,9}})")
    for p in (r"carcs?(?![a-z])", r"rarcs?(?![a-z])", r"codes?(?![a-z])")
)
_CODE_WORD_BEFORE_RE: Final = re.compile(
    r"(?:adjustment|denial|reason|remark|remittance)(?:[ \t]+reason)?[ \t]+\Z"
)
_CODE_TOKEN_RE: Final = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)?")
_RARC_BARE_RES: Final = (re.compile(r"N[0-9]{1,3}"), re.compile(r"MA?[0-9]{1,3}"))


@functools.lru_cache(maxsize=8)
def _extension_patterns(table: CodeTable) -> tuple[re.Pattern[str], ...]:
    prefixes = set()
    for c in table:
        if c.system is CodeSystem.EXTENSION:
            m = re.match(r"[A-Z]+", c.code)
            if m:
                prefixes.add(m.group())
    return tuple(re.compile(re.escape(p) + "[0-9]{1,4}") for p in sorted(prefixes))


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
    from .codes import parse

    try:
        ref = parse(raw)
    except ValueError:
        return None, None
    try:
        return ref, table.resolve(ref)
    except (LookupError, ValueError):
        return ref, None


def _scan_cited(doc: Document) -> list[Cited]:
    from .codes import default_table

    table = default_table()
    sc = scan(doc)
    text, low = sc.ascii, sc.low
    found: dict[int, Cited] = {}

    def add(start: int, raw: str, explicit: bool) -> None:
        if start in found:
            return
        ref, code = _resolve(table, raw)
        if explicit or code is not None:
            found[start] = Cited(start, ref, code, explicit)

    for pattern in _GROUP_FORM_RES:
        for m in pattern.finditer(text):
            if not _glued(text, m.start(), m.end()):
                add(m.start(), f"{text[m.start() : m.start() + 2]}-{m.group('c')}", True)
    for i, pattern in enumerate(_CODE_LABEL_RES):
        for m in _words_at(pattern, low):
            if i == 2 and not _CODE_WORD_BEFORE_RE.search(low, max(0, m.start() - 30), m.start()):
                continue
            base = m.start("list")
            for t in _CODE_TOKEN_RE.finditer(m.group("list")):
                v = t.group()
                if v in ("and", "or") or not _ASCII_DIGIT_RE.search(v):
                    continue
                add(base + t.start(), text[base + t.start() : base + t.end()], True)
    bare = list(_extension_patterns(table))
    if not doc.codes or any(c.system is CodeSystem.RARC for c in doc.codes):
        bare.extend(_RARC_BARE_RES)
    for pattern in bare:
        for m in pattern.finditer(text):
            if not _glued(text, m.start(), m.end()):
                add(m.start(), m.group(), False)
    return [found[k] for k in sorted(found)]


def cited_codes(doc: Document) -> list[Cited]:
    """Denial codes cited in the text, in order."""
    return doc.cached("dk.cited", _scan_cited)


def _cited_keys(doc: Document) -> frozenset[tuple[CodeSystem, str]]:
    return doc.cached(
        "dk.citedkeys",
        lambda d: frozenset((c.ref.system, c.ref.code) for c in cited_codes(d) if c.ref),
    )


# -- claim helpers -------------------------------------------------------------------


def _plan(doc: Document) -> PlanType | None:
    claim = doc.claim
    if claim is None:
        return None
    p = claim.payer.plan_type
    return p if isinstance(p, PlanType) else None


def _claim_service_dates(claim: Claim) -> list[tuple[int, date]]:
    out = []
    for i, s in enumerate(claim.services):
        d = _d(getattr(s, "date", None))
        if d is not None:
            out.append((i, d))
    return out


class _Where(NamedTuple):
    """A date with where it came from: a text offset or a claim path."""

    value: date
    at: int | None = None
    path: str | None = None


def _service_dates(doc: Document) -> list[_Where]:
    """Dates of service: the claim's, or else those labelled in the text."""

    def compute(d: Document) -> list[_Where]:
        if d.claim is not None:
            return [_Where(v, path=f"services[{i}].date") for i, v in _claim_service_dates(d.claim)]
        return [_Where(t.value, at=t.start) for t in service_dates_in_text(d) if t.value]

    return doc.cached("dk.dos", compute)


def _birth_date(doc: Document) -> _Where | None:
    if doc.claim is not None:
        b = _d(doc.claim.patient.birth_date)
        return _Where(b, path="patient.birth_date") if b else None
    for t in birth_dates_in_text(doc):
        if t.value is not None:
            return _Where(t.value, at=t.start)
    return None


_BHI: Final = frozenset({"99484", "99492", "99493", "99494", "G2214"})
_COCM: Final = frozenset({"99492", "99493", "99494", "G2214"})
_BHI_MINUTES: Final = {"99484": 20, "99492": 70, "99493": 60, "G2214": 30}
_ADDON_MINUTES: Final = 30
_CCM21: Final = "CCM21"


def _service_codes(doc: Document) -> list[tuple[str, Decimal, str | None, int | None]]:
    """``(code, units, claim path, text offset)`` for each billed service."""
    if doc.claim is not None:
        out: list[tuple[str, Decimal, str | None, int | None]] = []
        for i, s in enumerate(doc.claim.services):
            code = _s(getattr(s, "code", None))
            if code is None:
                continue
            units = s.units if isinstance(s.units, Decimal) and s.units.is_finite() else Decimal(1)
            out.append((code.strip().upper(), units, f"services[{i}].code", None))
        return out
    return [(p.value.upper(), Decimal(1), None, p.start) for p in procedure_codes_in_text(doc)]


def _bhi_codes(doc: Document) -> frozenset[str] | None:
    """The BHI/CoCM codes billed, or None when the BHI evidence rules do not apply."""

    def compute(d: Document) -> frozenset[str] | None:
        billed = frozenset(c for c, _, _, _ in _service_codes(d)) & _BHI
        ccm21 = any(c.code == _CCM21 for c in d.codes) or (
            not d.codes
            and any(c.code is not None and c.code.code == _CCM21 for c in cited_codes(d))
        )
        return billed if (billed or ccm21) else None

    return doc.cached("dk.bhi", compute)


def _any_in(low: str, words: Sequence[str]) -> bool:
    return any(w in low for w in words)


def _any_word(low: str, words: Sequence[str]) -> bool:
    return any(_find_word(low, w) >= 0 for w in words)


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
def _dk101(r: Rule, doc: Document) -> Iterator[Finding]:
    if doc.claim is not None:
        name = _s(doc.claim.patient.name)
        if name is None:
            yield r.finding(
                doc, "the claim has no patient name for the letter", path="patient.name"
            )
            return
        if _has_value(doc, name):
            return
        parts = name.split()
        if len(parts) >= 2 and _has_value(doc, f"{parts[-1]}, {' '.join(parts[:-1])}"):
            return
        yield r.finding(
            doc, "the letter does not name the patient as the claim does", path="patient.name"
        )
    elif not _patient_names(doc):
        yield r.finding(doc, "the letter does not name the patient")


@_rule(
    "DK102",
    "missing-member-id",
    E,
    summary="The letter gives the patient's member id or Medicare number.",
    hint="Add the member id (for Medicare, the Medicare number or MBI) on a labelled line.",
    authority='42 CFR 405.944(b)(2); AMA sample appeal letter ("Health Insurer '
    'Identification Number")',
)
def _dk102(r: Rule, doc: Document) -> Iterator[Finding]:
    if doc.claim is not None:
        member = _s(doc.claim.patient.member_id)
        if member is None or _find_ident(doc, member) < 0:
            yield r.finding(
                doc,
                "the letter does not give the patient's member id as the claim has it",
                path="patient.member_id",
            )
    elif not _member_ids(doc):
        yield r.finding(doc, "the letter does not give the patient's member id or Medicare number")


@_rule(
    "DK103",
    "missing-group-number",
    E,
    summary="For a plan other than Medicare, when the claim has a group number, the letter "
    "gives it.",
    hint="Add the plan's group number next to the member id.",
    authority='AMA sample appeal letter ("Group Number")',
)
def _dk103(r: Rule, doc: Document) -> Iterator[Finding]:
    claim = doc.claim
    if claim is None or _plan(doc) in (PlanType.MEDICARE, None):
        return
    group = _s(claim.patient.group_number)
    if group is not None and _find_ident(doc, group) < 0:
        yield r.finding(
            doc, "the letter does not give the plan's group number", path="patient.group_number"
        )


@_rule(
    "DK104",
    "missing-claim-number",
    E,
    summary="The letter gives the claim number.",
    hint="Add the payer's claim number, e.g. 'Claim number: ...'.",
    authority='AMA sample appeal letter ("Claim Number")',
)
def _dk104(r: Rule, doc: Document) -> Iterator[Finding]:
    if doc.claim is not None:
        number = _s(doc.claim.claim_number)
        if number is None or _find_ident(doc, number) < 0:
            yield r.finding(
                doc,
                "the letter does not give the claim number as the claim has it",
                path="claim_number",
            )
    elif not _claim_numbers(doc):
        yield r.finding(doc, "the letter does not give the claim number")


@_rule(
    "DK105",
    "missing-service-dates",
    E,
    summary="The letter gives every date of service (any of the usual date formats).",
    hint="Give each date of service, e.g. 'Date of service: March 31, 2026'.",
    authority='42 CFR 405.944(b)(3) ("the specific date(s) of the service")',
)
def _dk105(r: Rule, doc: Document) -> Iterator[Finding]:
    if doc.claim is not None:
        shown = _date_set(doc)
        seen: set[date] = set()
        for i, d in _claim_service_dates(doc.claim):
            if d not in seen:
                seen.add(d)
                if d not in shown:
                    yield r.finding(
                        doc,
                        "a date of service on the claim is not in the letter",
                        path=f"services[{i}].date",
                    )
    elif not service_dates_in_text(doc):
        yield r.finding(doc, "the letter does not give the dates of service")


@_rule(
    "DK106",
    "missing-service-codes",
    E,
    summary="The letter names each service by its CPT or HCPCS code.",
    hint="Name each service with its code, e.g. 'CPT 99484'.",
    authority='42 CFR 405.944(b)(3) ("specific service(s) and/or item(s)"); AMA sample letter',
)
def _dk106(r: Rule, doc: Document) -> Iterator[Finding]:
    if doc.claim is not None:
        seen: set[str] = set()
        low = scan(doc).low
        for code, _, path, _ in _service_codes(doc):
            if code in seen:
                continue
            seen.add(code)
            if _find_word(low, code.lower()) < 0 and _find_word(doc.text, code) < 0:
                shown = code if procedure_kind(code) else "a service code"
                yield r.finding(doc, f"the letter does not name {shown} from the claim", path=path)
    elif not any(procedure_kind(p.value) for p in procedure_codes_in_text(doc)):
        yield r.finding(doc, "the letter names no service by its CPT or HCPCS code")


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
def _dk107(r: Rule, doc: Document) -> Iterator[Finding]:
    low = scan(doc).low
    if not any(w in low for w in _DENIAL_WORDS):
        yield r.finding(doc, "the letter does not say which decision it disputes")


@_rule(
    "DK108",
    "missing-denial-code",
    E,
    summary="The letter cites the denial codes it answers: every code of the letter or claim, "
    "or at least one code when none is known.",
    hint="Quote the codes from the remittance, e.g. 'reason code CO-16, remark code N290'.",
    authority="AMA sample appeal letter; the remittance's codes identify the denial",
)
def _dk108(r: Rule, doc: Document) -> Iterator[Finding]:
    keys = _cited_keys(doc)
    if doc.codes:
        seen: set[str] = set()
        for path, _, code in doc.code_inputs:
            if code is None or code.code in seen:
                continue
            seen.add(code.code)
            if (code.system, code.code) not in keys:
                yield r.finding(
                    doc, f"the letter does not cite the denial code {code.key}", path=path
                )
    elif not keys:
        yield r.finding(doc, "the letter cites no denial code")


@_rule(
    "DK109",
    "missing-denial-reason",
    W,
    summary="When the claim records the payer's stated reason, the letter quotes it.",
    hint="Quote the payer's reason as the notice gives it.",
    authority='AMA sample appeal letter ("[insert payer description of why claim was denied]")',
)
def _dk109(r: Rule, doc: Document) -> Iterator[Finding]:
    if doc.claim is None:
        return
    reason = _s(doc.claim.denial.reason)
    if reason is None:
        return
    if reason.strip() not in doc.text and not _has_phrase(doc, reason):
        yield r.finding(
            doc, "the letter does not quote the payer's stated reason", path="denial.reason"
        )


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
def _dk110(r: Rule, doc: Document) -> Iterator[Finding]:
    if not _has_request(scan(doc).low):
        yield r.finding(doc, "the letter does not explicitly ask for reconsideration or appeal")


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
def _dk111(r: Rule, doc: Document) -> Iterator[Finding]:
    low = scan(doc).low
    if low.count(" ") < _MIN_ARGUMENT_SPACES or not _any_in(low, _ARGUMENT_WORDS):
        yield r.finding(doc, "the letter does not argue why the decision is wrong")


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
def _dk112(r: Rule, doc: Document) -> Iterator[Finding]:
    if doc.claim is not None:
        payer = doc.claim.payer
        name = _s(payer.name)
        if name and _has_value(doc, name):
            return
        address = _s(payer.appeals_address)
        if address and _has_value(doc, _first_line(address)):
            return
        yield r.finding(
            doc, "the letter does not name the payer it is addressed to", path="payer.name"
        )
    elif not _has_recipient_line(scan(doc).low):
        yield r.finding(doc, "the letter has no recipient (no 'Attn:' line or appeals unit)")


@_rule(
    "DK113",
    "missing-appeals-address",
    E,
    summary="When the claim gives the payer's appeals address, the letter carries every line "
    "of it.",
    hint="Copy the appeals address from the denial notice into the recipient block.",
    authority="42 CFR 405.944(a) (file with the contractor named on the notice)",
)
def _dk113(r: Rule, doc: Document) -> Iterator[Finding]:
    if doc.claim is None:
        return
    address = _s(doc.claim.payer.appeals_address)
    if address is None:
        return
    for line in address.splitlines():
        if line.strip() and not _has_value(doc, line):
            yield r.finding(
                doc,
                "the letter does not carry the payer's appeals address as the claim gives it",
                path="payer.appeals_address",
            )
            return


@_rule(
    "DK114",
    "missing-letter-date",
    E,
    summary="The letter is dated: the letter's own date appears in it, or a date stands on "
    "its own line (or after 'Date:') near the top.",
    hint="Put the date the letter is sent near the top, e.g. 'April 28, 2026'.",
    authority='AMA sample appeal letter ("[Date]"); the deadline rules need it',
)
def _dk114(r: Rule, doc: Document) -> Iterator[Finding]:
    day, at = letter_date(doc)
    if doc.letter_date is not None:
        if day is not None and at is None:
            yield r.finding(
                doc, "the letter's date does not appear in its text", path="letter_date"
            )
    elif day is None:
        yield r.finding(doc, "the letter is not dated")


_EMAIL_RE: Final = re.compile(r"@[a-z0-9-]{1,63}(?:\.[a-z0-9-]{1,63}){1,8}")


def _has_contact(doc: Document) -> bool:
    """A US phone number (area code, exchange, line) or an email address."""
    sc = scan(doc)
    text = sc.ascii
    if "@" in text and _EMAIL_RE.search(sc.low) is not None:
        return True
    form = shape(doc)
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
def _dk115(r: Rule, doc: Document) -> Iterator[Finding]:
    if doc.claim is not None:
        name = _s(doc.claim.provider.name)
        if name is None or not _has_value(doc, name):
            yield r.finding(
                doc, "the letter does not name the provider who appeals", path="provider.name"
            )
    if not _has_contact(doc):
        yield r.finding(
            doc, "the letter gives no phone number or email address to reach the appellant"
        )


@_rule(
    "DK116",
    "missing-npi",
    W,
    summary="The letter gives the provider's NPI.",
    hint="Add the billing provider's NPI next to the practice name.",
    authority="No regulation requires it in a letter; payers use it to find the provider's records",
)
def _dk116(r: Rule, doc: Document) -> Iterator[Finding]:
    npi = _s(doc.claim.provider.npi) if doc.claim is not None else None
    if npi is not None:
        if _find_ident(doc, npi) < 0:
            yield r.finding(doc, "the letter does not give the provider's NPI", path="provider.npi")
    elif not _npis(doc):
        yield r.finding(doc, "the letter does not give the provider's NPI")


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
def _dk117(r: Rule, doc: Document) -> Iterator[Finding]:
    low = scan(doc).low
    at = _closing(low)
    if at < 0:
        yield r.finding(doc, "the letter has no closing and signature block")
        return
    after = doc.text[_line_end(low, at) : _line_end(low, at, 9, reach=200)]
    signer = _s(doc.claim.provider.signer_name) if doc.claim is not None else None
    if signer is not None:
        if _find_word(after, signer.strip()) < 0 and _find_word(_fold(after), _fold(signer)) < 0:
            yield r.finding(
                doc,
                "the signature block does not name the signer as the claim gives it",
                at=at,
                path="provider.signer_name",
            )
        return
    for line in after.splitlines():
        s = line.strip()
        if s and s[0].isalpha():
            return
    yield r.finding(doc, "no name follows the closing", at=at)


_ATTACH_WORDS: Final = ("enclos", "attach")
_HEADING_WORDS: Final = ("enc", "attach", "supporting", "documents")
_ENCLOSURE_HEAD_RE: Final = re.compile(
    r"(?:enclosures?|attachments?|encl\.?|enc\.|documents?[ \t]+enclosed"
    r"|supporting[ \t]+documents?|supporting[ \t]+documentation)[ \t]*(?:\([0-9]{1,3}\))?"
    r"[ \t]*(?::|\r?\n|$)"
)


def _has_enclosure_list(low: str) -> bool:
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
def _dk118(r: Rule, doc: Document) -> Iterator[Finding]:
    low = scan(doc).low
    hits = [i for i in (low.find(w) for w in _ATTACH_WORDS) if i >= 0]
    if hits and not _has_enclosure_list(low):
        yield r.finding(doc, "the letter mentions attachments but does not list them", at=min(hits))


@_rule(
    "DK119",
    "redetermination-not-named",
    W,
    summary="A first-level Medicare (Parts A/B) appeal asks for a 'redetermination', the "
    "name the contractor files it under.",
    hint="Use the word 'redetermination' in the request and the subject line.",
    authority="42 CFR 405.940-405.944 (the first level is a redetermination)",
)
def _dk119(r: Rule, doc: Document) -> Iterator[Finding]:
    if (
        _plan(doc) is PlanType.MEDICARE
        and doc.level == 1
        and "redetermination" not in scan(doc).low
    ):
        yield r.finding(
            doc, "a first-level Medicare appeal does not ask for a redetermination by name"
        )


@_rule(
    "DK120",
    "missing-redetermination-reference",
    E,
    summary="A Medicare reconsideration request (level 2) refers to the redetermination it "
    "disputes.",
    hint="Name the redetermination decision, its date and the contractor that made it.",
    authority="42 CFR 405.964(b); CGS (a MAC) reconsideration checklist",
)
def _dk120(r: Rule, doc: Document) -> Iterator[Finding]:
    if (
        _plan(doc) is PlanType.MEDICARE
        and doc.level == 2
        and "redetermination" not in scan(doc).low
    ):
        yield r.finding(
            doc,
            "a Medicare reconsideration request does not refer to the redetermination it disputes",
        )


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
def _dk201(r: Rule, doc: Document) -> Iterator[Finding]:
    if doc.claim is not None:
        npi = _s(doc.claim.provider.npi)
        if npi is not None and not npi_is_valid(npi):
            yield r.finding(
                doc, "the provider's NPI on the claim is not a valid NPI", path="provider.npi"
            )
    for v in _npis(doc):
        if not npi_is_valid(v.value):
            yield r.finding(doc, "an NPI in the letter is not a valid NPI", at=v.start)


def _medicare_ids(doc: Document) -> Iterator[tuple[str, int | None, str | None]]:
    if doc.claim is not None and _plan(doc) is PlanType.MEDICARE:
        member = _s(doc.claim.patient.member_id)
        if member is not None:
            yield member, None, "patient.member_id"
    for v in _member_ids(doc):
        if v.medicare:
            yield v.value, v.start, None


@_rule(
    "DK202",
    "invalid-mbi",
    E,
    summary="A Medicare number is a well-formed MBI: 11 characters in the CMS position "
    "pattern (dashes and lower case are accepted).",
    hint="Copy the Medicare number from the patient's card or the remittance.",
    authority='CMS "Understanding the Medicare Beneficiary Identifier (MBI) Format"',
)
def _dk202(r: Rule, doc: Document) -> Iterator[Finding]:
    for value, at, path in _medicare_ids(doc):
        if not mbi_is_valid(value) and not hicn_like(value):
            yield r.finding(doc, "a Medicare number is not a well-formed MBI", at=at, path=path)


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
def _dk203(r: Rule, doc: Document) -> Iterator[Finding]:
    for value, at, path in _medicare_ids(doc):
        if hicn_like(value):
            yield r.finding(doc, "a Medicare number is a legacy SSN-based HICN", at=at, path=path)


@_rule(
    "DK204",
    "invalid-icd10",
    E,
    summary="Every diagnosis code has the ICD-10-CM shape: a letter, a digit, then one to five "
    "letters or digits, with the decimal point after the third character.",
    hint="Copy the diagnosis code from the claim, e.g. 'F32.1'.",
    authority="ICD-10-CM code structure (NCI SEER training module; U codes allowed since 2020)",
)
def _dk204(r: Rule, doc: Document) -> Iterator[Finding]:
    if doc.claim is not None:
        for i, s in enumerate(doc.claim.services):
            dx = s.diagnoses if isinstance(s.diagnoses, (tuple, list)) else ()
            for j, code in enumerate(dx):
                if not isinstance(code, str) or not icd10cm_shape_ok(code.strip()):
                    yield r.finding(
                        doc,
                        "a diagnosis code on the claim is not shaped like an ICD-10-CM code",
                        path=f"services[{i}].diagnoses[{j}]",
                    )
    for v in diagnoses_in_text(doc):
        if not icd10cm_shape_ok(v.value):
            yield r.finding(
                doc,
                "a diagnosis code in the letter is not shaped like an ICD-10-CM code",
                at=v.start,
            )


@_rule(
    "DK205",
    "invalid-procedure-code",
    E,
    summary="Every procedure code has a CPT shape (five digits; four digits and F, T or U) or "
    "a HCPCS Level II shape (a letter A to V and four digits).",
    hint="Copy the procedure code from the claim, e.g. '99484' or 'G2214'.",
    authority="AMA CPT code categories (Category II 'F', III 'T', PLA 'U'); HCPCS Level II",
)
def _dk205(r: Rule, doc: Document) -> Iterator[Finding]:
    if doc.claim is not None:
        for i, s in enumerate(doc.claim.services):
            code = s.code if isinstance(s.code, str) else ""
            if procedure_kind(code.strip()) is None:
                yield r.finding(
                    doc,
                    "a service code on the claim is not shaped like a CPT or HCPCS code",
                    path=f"services[{i}].code",
                )
    for v in procedure_codes_in_text(doc):
        if procedure_kind(v.value) is None and not _YEAR_RE.fullmatch(v.value):
            yield r.finding(
                doc,
                "a procedure code in the letter is not shaped like a CPT or HCPCS code",
                at=v.start,
            )


def _parse_or_none(raw: str) -> CodeRef | None:
    from .codes import parse

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
def _dk206(r: Rule, doc: Document) -> Iterator[Finding]:
    for path, raw, code in doc.code_inputs:
        if code is None and not _is_extension(_parse_or_none(raw)):
            yield r.finding(
                doc, "a denial code given for the letter is not a known CARC or RARC", path=path
            )
    for c in cited_codes(doc):
        if c.explicit and c.code is None and not _is_extension(c.ref):
            if c.ref is not None:
                msg = f"{c.ref.system.value} code {c.ref.code} is not in the code tables"
            else:
                msg = "a cited denial code is not a CARC or RARC"
            yield r.finding(doc, msg, at=c.start)


@_rule(
    "DK207",
    "inactive-denial-code",
    E,
    summary="Every denial code given or cited was in use on at least one date of service.",
    hint="Check the code on the remittance; a code stopped before the service date cannot "
    "have been sent for it.",
    authority="X12 CARC and CMS RARC start and stop dates",
)
def _dk207(r: Rule, doc: Document) -> Iterator[Finding]:
    days = sorted({w.value for w in _service_dates(doc)})
    if not days:
        return
    for path, _, code in doc.code_inputs:
        if code is not None and not any(code.is_active(d) for d in days):
            yield r.finding(
                doc, f"the denial code {code.key} was not in use on the dates of service", path=path
            )
    for c in cited_codes(doc):
        if c.code is not None and c.explicit and not any(c.code.is_active(d) for d in days):
            yield r.finding(
                doc,
                f"the cited code {c.code.key} was not in use on the dates of service",
                at=c.start,
            )


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
def _dk208(r: Rule, doc: Document) -> Iterator[Finding]:
    for path, raw, code in doc.code_inputs:
        if code is None and _is_extension(_parse_or_none(raw)):
            yield r.finding(
                doc,
                "a payer-specific code given for the letter is not in denialkit's tables",
                path=path,
            )
    for c in cited_codes(doc):
        if c.explicit and c.code is None and _is_extension(c.ref):
            yield r.finding(
                doc,
                "a payer-specific code cited in the letter is not in denialkit's tables",
                at=c.start,
            )


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
def _dk209(r: Rule, doc: Document) -> Iterator[Finding]:
    for path, _, code in doc.code_inputs:
        if code is not None and _group_mismatch(code):
            assert code.group is not None
            yield r.finding(
                doc, f"reason code {code.code} is not used with group {code.group.code}", path=path
            )
    for c in cited_codes(doc):
        if c.code is not None and _group_mismatch(c.code):
            assert c.code.group is not None
            yield r.finding(
                doc,
                f"reason code {c.code.code} is not used with group {c.code.group.code}",
                at=c.start,
            )


@_rule(
    "DK210",
    "claim-number-mismatch",
    E,
    summary="A claim number written after a claim-number label is the claim's.",
    hint="Correct the claim number in the letter to the one on the remittance.",
    authority="Logic (consistency with the claim)",
)
def _dk210(r: Rule, doc: Document) -> Iterator[Finding]:
    if doc.claim is None:
        return
    number = _s(doc.claim.claim_number)
    if number is None:
        return
    want = compact(number)
    for v in _claim_numbers(doc):
        if compact(v.value) != want:
            yield r.finding(
                doc,
                "a claim number in the letter differs from the claim's",
                at=v.start,
                path="claim_number",
            )


@_rule(
    "DK211",
    "member-id-mismatch",
    E,
    summary="A member id or Medicare number written after its label is the patient's.",
    hint="Correct the member id in the letter to the one on the claim.",
    authority="Logic (consistency with the claim); 45 CFR 164.502(b) (minimum necessary)",
)
def _dk211(r: Rule, doc: Document) -> Iterator[Finding]:
    if doc.claim is None:
        return
    member = _s(doc.claim.patient.member_id)
    if member is None:
        return
    group = _s(doc.claim.patient.group_number)
    allowed = {compact(member)} | ({compact(group)} if group else set())
    for v in _member_ids(doc):
        if compact(v.value) not in allowed:
            yield r.finding(
                doc,
                "a member id in the letter differs from the patient's",
                at=v.start,
                path="patient.member_id",
            )


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
def _dk212(r: Rule, doc: Document) -> Iterator[Finding]:
    if doc.claim is None:
        return
    billed = {c for c, _, _, _ in _service_codes(doc)}
    for v in procedure_codes_in_text(doc):
        code = v.value.upper()
        if procedure_kind(code) and code not in billed:
            yield r.finding(doc, f"the letter names {code}, which is not on the claim", at=v.start)


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
def _dk213(r: Rule, doc: Document) -> Iterator[Finding]:
    if doc.claim is None:
        return
    name = _s(doc.claim.patient.name)
    if name is None:
        return
    want = set(_fold(name).split(" "))
    for v in _patient_names(doc):
        if not want & set(_fold(v.value).split(" ")):
            yield r.finding(
                doc,
                "a patient name in the letter differs from the claim's",
                at=v.start,
                path="patient.name",
            )


@_rule(
    "DK214",
    "denial-code-not-on-claim",
    W,
    summary="A denial code cited in the letter is one of the codes the letter answers.",
    hint="Check the code; cite the codes from the remittance being appealed.",
    authority="Logic (consistency with the claim)",
)
def _dk214(r: Rule, doc: Document) -> Iterator[Finding]:
    if not doc.codes:
        return
    given = {(c.system, c.code) for c in doc.codes}
    seen: set[tuple[CodeSystem, str]] = set()
    for c in cited_codes(doc):
        if c.code is None:
            continue
        key = (c.code.system, c.code.code)
        if key in given or key in seen:
            continue
        if c.explicit or c.code.system is CodeSystem.EXTENSION:
            seen.add(key)
            yield r.finding(
                doc,
                f"the letter cites {c.code.key}, which is not among the codes it answers",
                at=c.start,
            )


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
def _dk301(r: Rule, doc: Document) -> Iterator[Finding]:
    text = scan(doc).ascii
    if not ("{" in text and any(x in text for x in ("{{", "{%", "{#"))) and not (
        "}" in text and any(x in text for x in ("}}", "%}", "#}"))
    ):
        return
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
    for at in sorted(starts):
        yield r.finding(doc, "template syntax is left in the letter", at=at)


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
def _dk302(r: Rule, doc: Document) -> Iterator[Finding]:
    text = scan(doc).ascii
    for pattern, marker in ((_BRACKET_RE, "["), (_ANGLE_RE, "<<")):
        if marker not in text:
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
def _dk303(r: Rule, doc: Document) -> Iterator[Finding]:
    low = scan(doc).low
    if "(" not in low:
        return
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
def _dk304(r: Rule, doc: Document) -> Iterator[Finding]:
    text = scan(doc).ascii
    if "___" not in text:
        return
    for m in _UNDERSCORES_RE.finditer(text):
        yield r.finding(doc, "a fill-in blank of underscores is left", at=m.start())


_LEFTOVERS: Final = ("TBD", "TBA", "TODO", "FIXME", "XXX")
_LEFTOVER_RE: Final = re.compile(r"TBD|TBA|TODO|FIXME|XXX")
_LOREM_RES: Final = (re.compile(r"lorem[ \t]+ipsum"), re.compile(r"ipsum[ \t]+dolor"))


@_rule(
    "DK305",
    "leftover-marker",
    E,
    summary="No drafting marker is left: TBD, TBA, TODO, FIXME, XXX, lorem ipsum.",
    hint="Finish the sentence the marker stands for, or delete it.",
    authority="Logic; Jinja's lipsum global produces lorem ipsum",
)
def _dk305(r: Rule, doc: Document) -> Iterator[Finding]:
    text, low = scan(doc).ascii, scan(doc).low
    starts: set[int] = set()
    if any(w in text for w in _LEFTOVERS):
        for m in _LEFTOVER_RE.finditer(text):
            s, e = m.start(), m.end()
            if s and (text[s - 1].isalnum() or text[s - 1] in "._"):
                continue
            while e < len(text) and text[e] == "X" and m.group() == "XXX":
                e += 1
            if e < len(text) and (text[e].isalnum() or text[e] == "_"):
                continue
            starts.add(s)
    if "ipsum" in low:
        lorem = [m.start() for m in _words_at(_LOREM_RES[0], low)]
        starts.update(lorem)
        for m in _words_at(_LOREM_RES[1], low):
            if not low.endswith("lorem ", max(0, m.start() - 6), m.start()):
                starts.add(m.start())
    for at in sorted(starts):
        yield r.finding(doc, "a drafting marker is left in the letter", at=at)


_NA_VALUE_RES: Final = (
    re.compile(r":[ \t]*(?P<v>n/?a|none|unknown|pending)(?![a-z0-9/])"),
    re.compile(r"#[ \t]*(?P<v>n/?a|none|unknown|pending)(?![a-z0-9/])"),
)
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
def _dk306(r: Rule, doc: Document) -> Iterator[Finding]:
    low = scan(doc).low
    starts: set[int] = set()
    for pattern in _NA_VALUE_RES:
        for m in pattern.finditer(low):
            head = _NA_LABEL_RE.search(low, max(0, m.start() - 30), m.start())
            if head is not None and (head.start() == 0 or not low[head.start() - 1].isalnum()):
                starts.add(m.start("v"))
    for at in sorted(starts):
        yield r.finding(doc, "a required field has no real value", at=at)


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
def _dk307(r: Rule, doc: Document) -> Iterator[Finding]:
    text = scan(doc).ascii
    if "[MISSING:" not in text:
        return
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
def _dk401(r: Rule, doc: Document) -> Iterator[Finding]:
    for t in text_dates(doc):
        if t.value is None:
            yield r.finding(doc, "a date in the letter is not a real calendar date", at=t.start)


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
def _dk402(r: Rule, doc: Document) -> Iterator[Finding]:
    if isinstance(doc.letter_date, datetime):
        yield r.finding(doc, "the letter's date is a datetime, not a date", path="letter_date")
    if doc.claim is None:
        return
    for path, value, optional in _date_fields(doc.claim):
        if isinstance(value, datetime):
            yield r.finding(doc, "a claim date is a datetime, not a date", path=path)
        elif not isinstance(value, date) and not (optional and value is None):
            yield r.finding(doc, "a claim date is not a date", path=path)


def _letter_day(doc: Document) -> tuple[date, int | None, str | None, bool]:
    """The letter's date (or today), its offset, a path, and whether the date is known."""
    day, at = letter_date(doc)
    if day is not None:
        path = "letter_date" if doc.letter_date is not None and at is None else None
        return day, at, path, True
    return doc.today, None, None, False


@_rule(
    "DK403",
    "service-after-letter",
    E,
    summary="No date of service is after the letter's date (or after today, when the letter "
    "is undated).",
    hint="Check the dates of service and the letter date.",
    authority="Logic",
)
def _dk403(r: Rule, doc: Document) -> Iterator[Finding]:
    day, _, _, known = _letter_day(doc)
    what = "the letter's date" if known else "today"
    for w in _service_dates(doc):
        if w.value > day:
            yield r.finding(doc, f"a date of service is after {what}", at=w.at, path=w.path)


@_rule(
    "DK404",
    "notice-before-service",
    E,
    summary="The denial notice is not dated before a date of service.",
    hint="Check the notice date and the dates of service on the claim.",
    authority="Logic",
)
def _dk404(r: Rule, doc: Document) -> Iterator[Finding]:
    if doc.claim is None:
        return
    notice = _d(doc.claim.denial.notice_date)
    if notice is not None and any(w.value > notice for w in _service_dates(doc)):
        yield r.finding(
            doc, "the denial notice is dated before a date of service", path="denial.notice_date"
        )


@_rule(
    "DK405",
    "letter-before-notice",
    E,
    summary="The letter is not dated before the denial notice it answers.",
    hint="Check the letter date and the notice date.",
    authority="Logic",
)
def _dk405(r: Rule, doc: Document) -> Iterator[Finding]:
    if doc.claim is None:
        return
    notice = _d(doc.claim.denial.notice_date)
    day, at, path, known = _letter_day(doc)
    if notice is not None and known and day < notice:
        yield r.finding(
            doc,
            "the letter is dated before the denial notice",
            at=at,
            path=path or ("denial.notice_date" if at is None else None),
        )


@_rule(
    "DK406",
    "birth-after-service",
    E,
    summary="The patient's date of birth is before every date of service.",
    hint="Check the date of birth and the dates of service.",
    authority="Logic",
)
def _dk406(r: Rule, doc: Document) -> Iterator[Finding]:
    born = _birth_date(doc)
    if born is not None and any(w.value <= born.value for w in _service_dates(doc)):
        yield r.finding(
            doc, "the date of birth is not before the dates of service", at=born.at, path=born.path
        )


_MAX_AGE: Final = 120


@_rule(
    "DK407",
    "implausible-age",
    W,
    summary=f"The patient is not older than {_MAX_AGE} on a date of service.",
    hint="Check the year of birth.",
    authority="Logic",
)
def _dk407(r: Rule, doc: Document) -> Iterator[Finding]:
    born = _birth_date(doc)
    if born is None:
        return
    b = born.value
    for w in _service_dates(doc):
        d = w.value
        if d.year - b.year - ((d.month, d.day) < (b.month, b.day)) > _MAX_AGE:
            yield r.finding(
                doc,
                f"the patient would be over {_MAX_AGE} on a date of service",
                at=born.at,
                path=born.path,
            )
            return


@attrs.frozen
class _DeadlineInfo:
    due: date | None
    citation: str
    good_cause: bool
    problem: str | None


def _deadline_problem(doc: Document, exc: Exception) -> str:
    if isinstance(exc, (TypeError, AttributeError)):
        return "a date or level in the claim has the wrong type"
    claim = doc.claim
    if (
        claim is not None
        and _plan(doc) in (PlanType.COMMERCIAL, PlanType.MEDICAID)
        and claim.payer.appeal_window_days is None
    ):
        return "the payer sets the filing window and the claim does not give it"
    return "denialkit has no filing rule for this plan type and appeal level"


def _deadline(doc: Document) -> _DeadlineInfo | None:
    def compute(d: Document) -> _DeadlineInfo | None:
        dl: object = d.deadline
        if dl is None:
            if d.claim is None:
                return None
            from .deadlines import deadline_for

            try:
                dl = deadline_for(d.claim, level=d.level)
            except (TypeError, ValueError, AttributeError) as exc:
                return _DeadlineInfo(None, "", False, _deadline_problem(d, exc))
        due = _d(getattr(dl, "due", None))
        level = getattr(dl, "level", None)
        good = bool(getattr(level, "good_cause_extension", True))
        citation = getattr(dl, "citation", "")
        return _DeadlineInfo(due, citation if isinstance(citation, str) else "", good, None)

    return doc.cached("dk.deadline", compute)


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
def _dk408(r: Rule, doc: Document) -> Iterator[Finding]:
    info = _deadline(doc)
    if info is None or info.due is None:
        return
    day, at, path, known = _letter_day(doc)
    late = (day - info.due).days
    if late > 0:
        when = "the letter is dated" if known else "today is"
        cite = f" ({info.citation})" if info.citation else ""
        extra = "; a good-cause extension may apply" if info.good_cause else ""
        yield r.finding(
            doc,
            f"{when} {late} day{'s' * (late != 1)} after the filing deadline{cite}{extra}",
            at=at,
            path=path or ("denial.notice_date" if at is None else None),
        )


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
def _dk409(r: Rule, doc: Document) -> Iterator[Finding]:
    info = _deadline(doc)
    if info is not None and info.due is None:
        yield r.finding(
            doc, f"no filing deadline could be computed: {info.problem}", path="payer.plan_type"
        )


@_rule(
    "DK410",
    "service-date-mismatch",
    E,
    summary="A date written after a date-of-service label is one of the claim's dates of service.",
    hint="Correct the date of service in the letter to the one on the claim.",
    authority="Logic (consistency with the claim)",
)
def _dk410(r: Rule, doc: Document) -> Iterator[Finding]:
    if doc.claim is None:
        return
    days = {d for _, d in _claim_service_dates(doc.claim)}
    for t in service_dates_in_text(doc):
        if t.value is not None and t.value not in days:
            yield r.finding(
                doc,
                "a date of service in the letter is not on the claim",
                at=t.start,
                path="services",
            )


@_rule(
    "DK411",
    "birth-date-mismatch",
    E,
    summary="A date written after a date-of-birth label is the patient's date of birth.",
    hint="Correct the date of birth in the letter to the patient's.",
    authority="Logic (consistency with the claim); 45 CFR 164.502(b)",
)
def _dk411(r: Rule, doc: Document) -> Iterator[Finding]:
    if doc.claim is None:
        return
    born = _d(doc.claim.patient.birth_date)
    if born is None:
        return
    for t in birth_dates_in_text(doc):
        if t.value is not None and t.value != born:
            yield r.finding(
                doc,
                "a date of birth in the letter differs from the patient's",
                at=t.start,
                path="patient.birth_date",
            )


# -------------------- DK5xx code-specific evidence

_SCALES: Final = (
    "phq-9", "phq9", "phq-a", "phq-2", "gad-7", "gad7", "pcl-5", "epds", "audit-c", "mdq",
    "rating scale", "validated scale", "validated instrument", "validated tool",
    "validated measure", "validated screening",
)  # fmt: skip
_BHI_AUTHORITY: Final = "AAFP BHI coding guide; CMS MLN909432 (Behavioral Health Integration)"
_MINUTES_RE: Final = re.compile(r"min(?:ute)?s?\.?(?![a-z])")
_NUMBER_BEFORE_RE: Final = re.compile(r"(?<![0-9.])(?P<n>[0-9]{1,4})[ \t]*(?:-[ \t]*)?\Z")


def _evidence_rule(
    id: str, slug: str, what: str, words: Sequence[str], hint: str, authority: str
) -> None:
    def fn(r: Rule, doc: Document) -> Iterator[Finding]:
        if _bhi_codes(doc) is not None and not _any_in(scan(doc).low, words):
            yield r.finding(doc, f"the letter does not show {what}")

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


def _text_minutes(doc: Document) -> list[tuple[int, int]]:
    """``(minutes, offset)`` for each number of minutes written in the text."""

    def compute(d: Document) -> list[tuple[int, int]]:
        low = scan(d).low
        out: list[tuple[int, int]] = []
        if "min" not in low:
            return out
        for m in _words_at(_MINUTES_RE, low):
            b = _NUMBER_BEFORE_RE.search(low, max(0, m.start() - 8), m.start())
            if b is not None:
                out.append((int(b.group("n")), b.start()))
        return out

    return doc.cached("dk.minutes", compute)


def _stated_minutes(doc: Document) -> tuple[Decimal, int | None, str | None] | None:
    if doc.claim is not None:
        v = doc.claim.facts.get("care_manager_minutes")
        if isinstance(v, (int, Decimal)) and not isinstance(v, bool):
            dv = Decimal(v)
            if dv.is_finite():
                return dv, None, "facts.care_manager_minutes"
    found = _text_minutes(doc)
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
def _dk504(r: Rule, doc: Document) -> Iterator[Finding]:
    if _bhi_codes(doc) is not None and not _text_minutes(doc):
        yield r.finding(doc, "the letter does not state the minutes of care in the month")


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
def _dk505(r: Rule, doc: Document) -> Iterator[Finding]:
    billed = _bhi_codes(doc)
    base = [c for c in billed or () if c in _BHI_MINUTES]
    if not base:
        return
    top = max(base, key=lambda c: (_BHI_MINUTES[c], c))
    addons = sum((u for c, u, _, _ in _service_codes(doc) if c == "99494"), Decimal(0))
    need = Decimal(_BHI_MINUTES[top]) + _ADDON_MINUTES * addons
    stated = _stated_minutes(doc)
    if stated is None:
        return
    minutes, at, path = stated
    if minutes < need:
        what = top + (" with 99494" if addons else "")
        shown = format(need.normalize(), "f")
        yield r.finding(
            doc,
            f"the minutes stated are fewer than the {shown} that {what} needs in the month",
            at=at,
            path=path,
        )


def _cocm(doc: Document) -> bool:
    billed = _bhi_codes(doc)
    if billed is None:
        return False
    low = scan(doc).low
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
def _dk506(r: Rule, doc: Document) -> Iterator[Finding]:
    if _cocm(doc) and "care manager" not in scan(doc).low:
        yield r.finding(doc, "the letter does not name the behavioral health care manager")


@_rule(
    "DK507",
    "cocm-consultant-not-named",
    W,
    summary="A collaborative care (CoCM) letter names the psychiatric consultant.",
    hint="Name the psychiatric consultant and summarise their caseload review.",
    authority="NGS Medicare BHI page, from MLN909432 (the CoCM care team)",
)
def _dk507(r: Rule, doc: Document) -> Iterator[Finding]:
    if _cocm(doc) and not _any_in(
        scan(doc).low, ("psychiatric consultant", "consulting psychiatrist", "psychiatrist")
    ):
        yield r.finding(doc, "the letter does not name the psychiatric consultant")


@_rule(
    "DK508",
    "addon-without-base",
    W,
    summary="CPT 99494 (additional collaborative care time) is billed with 99492 or 99493, "
    "never alone.",
    hint="Bill 99494 only with its base code for the same month; correct the claim.",
    authority="AAFP BHI coding guide (99494 is reported with 99492 or 99493)",
)
def _dk508(r: Rule, doc: Document) -> Iterator[Finding]:
    codes = _service_codes(doc)
    billed = {c for c, _, _, _ in codes}
    if "99494" in billed and not billed & {"99492", "99493"}:
        for c, _, path, at in codes:
            if c == "99494":
                yield r.finding(doc, "99494 is billed without 99492 or 99493", at=at, path=path)
                return


# -------------------- DK6xx privacy

_SSN_LABEL_RES: Final = (
    re.compile(r"ssn(?![a-z])"),
    re.compile(r"ss#"),
    re.compile(r"ss[ \t]+no\.?"),
    re.compile(r"social[ \t]+security(?:[ \t]+(?:number|no\.?|#))?"),
)
_SSN_VALUE_RE: Final = re.compile(r"[ \t]*[:#]?[ \t]*(?P<v>[0-9]{3}[ -]?[0-9]{2}[ -]?[0-9]{4})")


def _ssn_starts(doc: Document) -> list[int]:
    sc = scan(doc)
    text, low = sc.ascii, sc.low
    starts: set[int] = set()
    for s in _finds(shape(doc), "000-00-0000"):
        e = s + 11
        if (s and (text[s - 1].isalnum() or text[s - 1] == "-")) or (
            e < len(text) and (text[e].isalnum() or text[e] == "-")
        ):
            continue
        if ssn_like(text[s:e]):
            starts.add(s)
    if any(w in low for w in ("ssn", "ss#", "ss no", "social")):
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
def _dk601(r: Rule, doc: Document) -> Iterator[Finding]:
    for at in _ssn_starts(doc):
        yield r.finding(doc, "the letter contains what looks like a Social Security number", at=at)


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
def _dk602(r: Rule, doc: Document) -> Iterator[Finding]:
    claim = doc.claim
    own = None
    if claim is not None:
        member = _s(claim.patient.member_id)
        if member is not None and mbi_is_valid(member):
            own = compact(member)
    text = scan(doc).ascii
    seen: set[str] = set()
    for m in _MBI_SHAPE_RE.finditer(shape(doc)):
        if _glued(text, m.start(), m.end()) or text[m.start()] == "0":
            continue
        v = compact(text[m.start() : m.end()])
        if (own is not None and v != own) or (own is None and seen and v not in seen):
            yield r.finding(
                doc, "the letter holds a second patient's Medicare number", at=m.start()
            )
            return
        seen.add(v)
    if claim is not None:
        return
    ids = _member_ids(doc)
    if len({compact(v.value) for v in ids}) > 1:
        first = compact(ids[0].value)
        other = next(v for v in ids if compact(v.value) != first)
        yield r.finding(doc, "the letter holds more than one member id", at=other.start)
        return
    dobs = [t for t in birth_dates_in_text(doc) if t.value is not None]
    if len({t.value for t in dobs}) > 1:
        later = next(t for t in dobs if t.value != dobs[0].value)
        yield r.finding(doc, "the letter holds more than one date of birth", at=later.start)
        return
    names = _patient_names(doc)
    if names:
        first_words = set(_fold(names[0].value).split(" "))
        for other_name in names[1:]:
            if not first_words & set(_fold(other_name.value).split(" ")):
                yield r.finding(doc, "the letter names more than one patient", at=other_name.start)
                return


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
def _dk701(r: Rule, doc: Document) -> Iterator[Finding]:
    if not scan(doc).nonascii & _BIDI:
        return
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
def _dk702(r: Rule, doc: Document) -> Iterator[Finding]:
    if not scan(doc).nonascii & _ZERO_WIDTH:
        return
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
def _dk703(r: Rule, doc: Document) -> Iterator[Finding]:
    if not scan(doc).nonascii & _ZERO_WIDTH:
        return
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
def _dk704(r: Rule, doc: Document) -> Iterator[Finding]:
    if not any(c.isdecimal() for c in scan(doc).nonascii):
        return
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
def _dk705(r: Rule, doc: Document) -> Iterator[Finding]:
    letters = [c for c in scan(doc).nonascii if c.isalpha()]
    if not letters:
        return
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
        ascii_text = scan(doc).ascii
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
    for at in sorted(hits):
        yield r.finding(doc, "an identifier mixes digits with look-alike letters", at=at)


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
def _dk706(r: Rule, doc: Document) -> Iterator[Finding]:
    if not any("\ud800" <= c <= "\udfff" for c in scan(doc).nonascii):
        return
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
def _dk707(r: Rule, doc: Document) -> Iterator[Finding]:
    sc = scan(doc)
    if not sc.controls and not sc.nonascii & _C1:
        return
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
def _dk708(r: Rule, doc: Document) -> Iterator[Finding]:
    if "\ufffd" not in scan(doc).nonascii:
        return
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
def _dk709(r: Rule, doc: Document) -> Iterator[Finding]:
    if len(doc.text) > _MAX_LETTER:
        yield r.finding(doc, f"the letter is longer than {_MAX_LETTER:,} characters")


# -------------------- the catalogue

RULES: Final[tuple[Rule, ...]] = tuple(sorted(_REGISTERED, key=lambda r: r.id))
"""Every built-in rule, in id order."""

RETIRED: Final[frozenset[str]] = frozenset()
"""Rule ids that were removed. A retired id is never used again."""
