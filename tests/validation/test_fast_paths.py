"""The validator's fast paths find what the plain, line-by-line definitions find.

Some rules and analyses skip most of the text in C (one regular expression over the whole
letter) and run their Python checks only where a hit can be. Each test here writes out the
plain definition the rule used before, as a reference, and compares the two on texts built
from the pieces that make the edge cases: field words, punctuation around them, every ASCII
character that counts as a space, colons at line ends, long lines, digits glued to letters.
"""

from __future__ import annotations

import re

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from denialkit._typography import LOOKALIKE_MAP
from denialkit.validation import Document, Validator, _analysis
from denialkit.validation._analysis import _fold, scan
from denialkit.validation.rules import hygiene
from denialkit.validation.rules import placeholders as ph

# every ASCII character that str.split() and str.strip() take for space
_SPACES = [" ", "\t", "\x0b", "\x0c", "\r", "\x1c", "\x1d", "\x1e", "\x1f"]


def _dk308_plain(text: str) -> list[tuple[int, str]]:
    """DK308's findings by its definition: each line of the text is looked at in turn, but
    for a line that goes on with a long line of prose before it (a wrapped paragraph)."""
    sc = scan(Document(text))
    low = sc.low
    lines = []
    start = 0
    for line in low.split("\n"):
        lines.append((start, line))
        start += len(line) + 1
    out = []
    for k, (start, line) in enumerate(lines):
        stripped = line.strip()
        if len(line) > 90 or not stripped or len(stripped) > 80:
            continue
        at = start + (len(line) - len(line.lstrip()))
        first = stripped.split(None, 1)[0]
        before = lines[k - 1][1].rstrip(" \t\r") if k else ""
        if (
            sc.ascii[at].islower()
            and len(before) >= 40
            and before.count(" ") >= 5
            and "@" not in before
            and "|" not in before
            and (before[-1].isalnum() or before[-1] == ",")
        ):
            continue
        if (
            stripped.count(" ") <= 6
            and first.strip(",/&.#:-") in ph._FIELD_WORDS
            and ph._field_line(stripped)
            # (a form's label over its value, among other labels over theirs)
            and not ph._form_field(low, start, start + len(line), first)
            # (a fax cover sheet's title: "FAX" first, over a blank line, a field or nothing)
            and not (
                stripped in ("fax", "facsimile")
                and not any(earlier.strip() for _, earlier in lines[:k])
                and (k + 1 == len(lines) or not lines[k + 1][1].strip() or ":" in lines[k + 1][1])
            )
        ):
            out.append((at, "a line is a template field label, not a value"))
        elif first in ph._INSTRUCTION_FIRSTS and ph._INSTRUCTION_RE.match(low, at) is not None:
            out.append((at, "a line is a template instruction, not letter text"))
        elif stripped[-1] in ":#" and ph._EMPTY_FIELD_RE.match(low, at) is not None:
            nxt = lines[k + 1][1].strip() if k + 1 < len(lines) else ""
            if not nxt or ph._EMPTY_FIELD_RE.match(nxt) or nxt.endswith(":"):
                out.append((at, "a labelled field is left empty"))
    if " of " in low:
        for m in ph._REDACTION_RE.finditer(scan(Document(text)).ascii):
            out.append((m.start(), "redaction text stands where a name belongs"))
    return out


def _offsets(rule_id: str, text: str) -> list[tuple[int, str]]:
    """A rule's findings on ``text`` as ``(offset, message)``, in order."""
    report = Validator(select=[rule_id], max_per_rule=None).check(text)
    out = []
    for f in report.findings:
        line, column = f.location.line, f.location.column
        assert line is not None and column is not None
        out.append((_offset(text, line, column), f.message))
    return sorted(out)


def _offset(text: str, line: int, column: int) -> int:
    # lines end as an editor ends them: a line feed, a carriage return alone or before a
    # line feed, a Unicode line or paragraph separator
    starts = [0]
    starts.extend(m.end() for m in re.finditer("\r\n?|[\n\u2028\u2029]", text))
    return starts[line - 1] + column - 1


_LINE_PIECES = st.sampled_from(
    [
        *sorted(ph._FIELD_WORDS),
        *sorted(ph._INSTRUCTION_FIRSTS),
        "Name", "STREET ADDRESS", "City State Zip", "Attn", "Claim number", "Member ID",
        "DOB", "Re", "Insert", "Your", "the reason", "Name of my insurance",
        "Address of your doctor", "of", "-",
        ",", "/", "&", ".", "#", ":", "::", " #", "x", "99213", "Dear", "é", "namex",
        "a" * 85, " " * 10, *_SPACES,
    ]
)  # fmt: skip
_LINES = st.lists(
    st.lists(_LINE_PIECES, max_size=8).map(" ".join)
    | st.lists(_LINE_PIECES, max_size=8).map("".join),
    max_size=8,
)
_TEXTS = _LINES.flatmap(
    lambda lines: st.sampled_from(["\n", "\r\n", "\n\n"]).map(lambda sep: sep.join(lines))
)


@settings(max_examples=400)
@given(_TEXTS)
def test_dk308_finds_what_a_line_by_line_reading_finds(text: str) -> None:
    assert _offsets("DK308", text) == sorted(_dk308_plain(text))


def test_dk308_fast_path_on_chosen_lines() -> None:
    text = (
        "  Street Address\nCITY STATE ZIP\r\nAttn:\x1c\n\nClaim number:\n"
        "-name-\n#Your name and address\nyour\x0bname\nDate\x1f\nNotes: fine\nID#"
    )
    assert _offsets("DK308", text) == sorted(_dk308_plain(text))
    assert len(_dk308_plain(text)) >= 6


_PROC_SHAPE = re.compile(r"(?:[0-9]{4}[0-9ft]|[a-v][0-9]{4})(?![a-z0-9])")


def _procedure_codes_plain(text: str) -> list[tuple[str, int]]:
    """Procedure codes by the definition: at each run of four or more digits, a code of CPT
    shape starting there, or of HCPCS shape starting at the letter before it, with a
    procedure word before it on its line, or starting its line under a line with one."""
    sc = scan(Document(text))
    low, form = sc.low, sc.shape
    found = {v.start: v.value for v in sc._listed(_analysis._PROC_LABEL_RES)}
    for run in re.finditer(r"0{4,}", form):
        k = run.start()
        m = None
        for start in (k - 1, k) if k else (k,):
            if start and (low[start - 1].isalnum() or low[start - 1] in "/$.,-"):
                continue
            m = _PROC_SHAPE.match(low, start)
            if m is not None:
                break
        if m is None or m.start() in found:
            continue
        i = m.start()
        line_start = max(low.rfind("\n", 0, i) + 1, i - 40)
        if _analysis._PROC_CONTEXT_RE.search(low, line_start, i) is not None:
            found[i] = text[i : m.end()]
            continue
        # a code that starts its line (after spaces or a bullet) under a line with a
        # procedure word ("Codes billed:" over a list), read up to 80 characters back
        nl = low.rfind("\n", 0, i)
        if nl >= 0 and i - nl <= 40 and not low[nl + 1 : i].strip(" \t-*\u2022\u00b7"):
            above = max(low.rfind("\n", 0, nl) + 1, nl - 80)
            if _analysis._PROC_CONTEXT_RE.search(low, above, nl) is not None:
                found[i] = text[i : m.end()]
    return [(found[k], k) for k in sorted(found)]


_CODE_PIECES = st.sampled_from(
    [
        "99213", "9921", "992131", "0001F", "1234T", "G2214", "g2214", "w2214", "J12345",
        "CPT", "cpt:", "HCPCS", "code", "codes", "Service", "services", "billed", "E/M",
        "procedure", "and", "the", "x", "a", "-", "/", "$", ".", ",", ":", " ", "\t", "\n",
        "1", "22", "f", "t", "F", "T", "é", "٣", "x" * 30,
    ]
)  # fmt: skip


@settings(max_examples=400)
@given(st.lists(_CODE_PIECES, max_size=16).map("".join) | st.lists(_CODE_PIECES).map(" ".join))
def test_procedure_codes_are_what_the_definition_finds(text: str) -> None:
    got = [(v.value, v.start) for v in scan(Document(text)).procedure_codes]
    assert got == _procedure_codes_plain(text)


def test_procedure_codes_on_chosen_text() -> None:
    text = "g2214 service G2214, code 99213 and 1234T; $99213 CPT/99214 wG2214 code 992131"
    got = [v.value for v in scan(Document(text)).procedure_codes]
    assert got == [v for v, _ in _procedure_codes_plain(text)]
    assert got == ["G2214", "99213", "1234T"]


@pytest.mark.parametrize("before", [*" /$.,-:(#\t", "x", "g", "w", "0", "é"])
@pytest.mark.parametrize("code", ["99213", "1234T", "1234f", "G2214", "9921", "992131"])
def test_procedure_code_after_each_character(before: str, code: str) -> None:
    text = f"Service code {before}{code} and code {before}{code}\n{before}{code}"
    got = [(v.value, v.start) for v in scan(Document(text)).procedure_codes]
    assert got == _procedure_codes_plain(text)


def _salutations_plain(low: str) -> list[tuple[int, bool]]:
    """Salutation lines by the definition: each line in turn."""
    out = []
    start = 0
    for line in low.split("\n"):
        head = line.lstrip(" \t")
        if head and head[0] in "dthg":
            i = start + len(line) - len(head)
            m = hygiene._SALUTATION_RE.match(low, i)
            if m is not None:
                out.append((i, hygiene._SALUTATION_END_RE.match(m.group("rest")) is not None))
        start += len(line) + 1
    return out


_SALUTATION_PIECES = st.sampled_from(
    [
        "Dear", "dear", "To whom it may concern", "Hello", "Greetings", "To the review team",
        "to the", "reviewer", "Sir", ":", ",", "please pay", "x", "\n", "\r\n", " ", "\t",
        "\x0b", "é", "dearest", "Team", "pay the sum", "remit $", "wire us", "transfer",
        "the", "date", "hi", "greet", "t", "d",
    ]
)  # fmt: skip


def _dk711_plain(text: str) -> list[tuple[int, str]]:
    """DK711's findings by its definition: every salutation line, and every payment request
    before the letter's own salutation."""
    low = scan(Document(text)).low
    if not any(w in low for w in ("dear", "please", "pay", "hello")):
        return []
    saluts = _salutations_plain(low)
    lone = [at for at, alone in saluts if alone]
    prose, start = len(low), 0  # without a salutation, the header ends at the first prose line
    for line in low.split("\n"):
        if hygiene._PROSE_LINE_RE.match(line):
            prose = start
            break
        start += len(line) + 1
    opening = lone[-1] if lone else (saluts[0][0] if saluts else prose)
    out = []
    for at, alone in saluts:
        if at != opening:
            out.append((at, "a second salutation stands in the letter"))
        elif not alone:
            out.append((at, "the salutation line carries more text than a salutation"))
    for m in hygiene._HEADER_REQUEST_RE.finditer(low, 0, opening):
        out.append((m.start(), "a line of the header asks for payment"))
    return sorted(out)


@settings(max_examples=300)
@given(st.lists(_SALUTATION_PIECES, max_size=14).map("".join))
def test_salutation_lines_are_what_a_line_by_line_reading_finds(text: str) -> None:
    low = scan(Document(text)).low
    assert hygiene._salutations(low) == _salutations_plain(low)
    assert _offsets("DK711", text) == _dk711_plain(text)


_VOCABS = [
    *(v for v in vars(_analysis).values() if isinstance(v, _analysis._Vocab)),
    *(label for _, _, label in _analysis._DOS_LABEL_RES if isinstance(label, _analysis._Vocab)),
]
_PHRASE_WORDS = sorted(
    {w for phrases in (
        _analysis._vocab.CLAIM_NUMBER_LABELS, _analysis._vocab.MEMBER_ID_LABELS,
        _analysis._vocab.MEMBER_ID_LINE_LABELS, _analysis._vocab.MEDICARE_ID_LABELS,
        _analysis._vocab.PATIENT_LABELS, _analysis._vocab.SERVICE_DATE_LABELS,
    ) for p in phrases for w in p.split()}
)  # fmt: skip
_WORD_PIECES = st.sampled_from(
    [
        *sorted({w for v in _VOCABS for w in v.firsts}), *_PHRASE_WORDS,
        "member id:", "claim #", "date of service:", "id#", "patient's name:", "icn:",
        "claim number", "member id (primary):", "date of service 2", "claim no. 1",
        "x", "1", "-", "'", ":", " ", "\t", "\n", "\r\n", "é", "s", "2", "(", ")", "#", ".",
    ]
)  # fmt: skip


def _starts_plain(low: str, word: str) -> list[int]:
    """Where ``word`` stands whole in ``low``: no letter or digit glued to either side."""
    n = len(word)
    return [
        i
        for i in range(len(low))
        if low.startswith(word, i)
        and (i == 0 or not low[i - 1].isalnum())
        and (i + n >= len(low) or not low[i + n].isalnum())
    ]


@settings(max_examples=300)
@given(st.lists(_WORD_PIECES, max_size=12).map("".join))
def test_whole_words_and_labels_are_found_where_the_definition_finds_them(text: str) -> None:
    sc = scan(Document(text))
    for vocab in _VOCABS:
        fast = sc.vocab_spans(vocab)
        assert fast == [(m.start(), m.end()) for m in vocab.matches(sc.low)]
        for w in vocab.firsts:
            assert sc.starts_of(w) == _starts_plain(sc.low, w)
    for w in ("x", "1", "x1", "s"):  # words no vocabulary starts with
        assert sc.starts_of(w) == _starts_plain(sc.low, w)


_TOKEN_CHARS = frozenset("0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-?")


def _dk705_plain(text: str) -> list[int]:
    """DK705's offsets by the definition: around each non-ASCII letter, the run of token
    characters (at most 40 back and 39 on) holds an ASCII digit."""
    sc = scan(Document(text))
    ascii_text, n = sc.ascii, len(text)
    hits: set[int] = set()
    for ch in [c for c in sc.nonascii if c.isalpha()]:
        i = text.find(ch)
        while i >= 0:
            lo = i
            while lo > 0 and i - lo < 40 and ascii_text[lo - 1] in _TOKEN_CHARS:
                lo -= 1
            hi = i + 1
            while hi < n and hi - i < 40 and ascii_text[hi] in _TOKEN_CHARS:
                hi += 1
            if any(c.isascii() and c.isdigit() for c in ascii_text[lo:hi]):
                hits.add(lo)
            i = text.find(ch, hi)
    return sorted(hits)


_LOOKALIKE_PIECES = st.sampled_from(
    ["А", "é", "ễ", "1", "23", "A", "b", "-", "?", " ", "\n", ".", "x" * 20, "9" * 39, "_"]
)


@settings(max_examples=300)
@given(st.lists(_LOOKALIKE_PIECES, max_size=14).map("".join))
def test_dk705_finds_what_the_character_walk_finds(text: str) -> None:
    assert [at for at, _ in _offsets("DK705", text)] == _dk705_plain(text)


def _plan_author_plain(text: str) -> tuple[object, object, bool, bool]:
    """Plan kind, author, remittance and appeals unit by the definition: each vocabulary's
    phrases as one pattern run over the whole text, with no word looked up first."""
    from denialkit.claim import PlanType
    from denialkit.validation import Author
    from denialkit.validation import _vocab as vocab
    from denialkit.validation.rules import required

    low = scan(Document(text)).low
    wb = _analysis._wb

    def plain(phrases: tuple[str, ...] | list[str]) -> re.Pattern[str]:
        return re.compile(_analysis._phrases(phrases))

    kind = next(
        (
            PlanType(k)
            for k, words in vocab.PLAN_WORDS
            if any(wb(low, m.start(), m.end()) for m in plain(words).finditer(low))
        ),
        PlanType.COMMERCIAL,
    )
    patient = sum(1 for m in plain(vocab.PATIENT_AUTHOR).finditer(low) if wb(low, *m.span()))
    patient += sum(1 for m in _analysis._MY_RE.finditer(low) if wb(low, m.start(), m.start() + 2))
    provider = sum(1 for m in plain(vocab.PROVIDER_AUTHOR).finditer(low) if wb(low, *m.span()))
    author = Author.PATIENT if patient > provider else Author.PROVIDER
    remittance = any(wb(low, *m.span()) for m in plain(vocab.REMITTANCE_WORDS).finditer(low))
    units = plain(required._APPEALS_UNIT.phrases)
    unit = any(wb(low, *m.span()) for m in units.finditer(low))
    return kind, author, remittance, unit


_PHRASE_PIECES = st.sampled_from(
    [
        "medicare", "Medicare Advantage", "part c", "medi-cal", "2560.503-1", "405.944",
        "ERISA", "plan administrator", "my claim", "my doctor", "I received", "our patient",
        "NPI", "on behalf of the", "remittance", "835", "EOP", "denial code", "Appeals Unit",
        "claims review", "appeal", "reconsiderations", "x", "-", "1", " ", "\n", "\t", "é",
    ]
)  # fmt: skip


@settings(max_examples=300)
@given(st.lists(_PHRASE_PIECES, max_size=10).map("".join))
def test_phrase_scans_skipped_by_their_first_words_find_the_same(text: str) -> None:
    from denialkit.validation.rules import required

    sc = scan(Document(text))
    kind, author, remittance, unit = _plan_author_plain(text)
    assert (sc.plan_kind, sc.author, sc.answers_remittance) == (kind, author, remittance)
    assert sc.says(required._APPEALS_UNIT) == unit


@settings(max_examples=200)
@given(st.lists(_PHRASE_PIECES, max_size=10).map("".join))
def test_a_vocabulary_reads_the_same_before_and_after_its_spans_are_kept(text: str) -> None:
    # says() stops at the first phrase it finds; once the spans of a vocabulary are worked
    # out they are kept for the check, and says() and phrases_in() read them
    from denialkit.validation.rules import required

    _, _, _, unit = _plan_author_plain(text)
    first = scan(Document(text))
    assert first.says(required._APPEALS_UNIT) == unit
    spans = first.vocab_spans(required._APPEALS_UNIT)
    assert first.says(required._APPEALS_UNIT) == unit
    fresh = scan(Document(text))
    assert fresh.vocab_spans(required._APPEALS_UNIT) == spans
    assert fresh.phrases_in(required._APPEALS_UNIT) == first.phrases_in(required._APPEALS_UNIT)
    # a first word whose places another search found already is tried only there
    known = scan(Document(text))
    for word in required._APPEALS_UNIT.firsts:
        known.starts_of(word)
    assert known.says(required._APPEALS_UNIT) == unit
    assert known.vocab_spans(required._APPEALS_UNIT) == spans


_UNIT_LINE_PIECES = st.sampled_from(
    [
        "Appeals", "Claims Reconsideration", "Part B East QIC", "Level 2 Appeals", "request",
        "Medical Appeals, Mail Stop 4C", "notice", "external review", "x", "-", ",", " ",
        "\t", "\r", "qic", "é", "To", "the", "To the SilverWell Rx Appeals:", ":",
    ]
)  # fmt: skip


@settings(max_examples=300)
@given(st.lists(st.lists(_UNIT_LINE_PIECES, max_size=5).map(" ".join), max_size=6).map("\n".join))
def test_a_unit_line_is_found_where_its_line_pattern_finds_it(text: str) -> None:
    # the first line, then a line feed and the line: what "^" and the line find in the text
    from denialkit.validation.rules import required

    low = scan(Document(text)).low
    plain = re.compile("^" + required._UNIT_LINE, re.M).search(low) is not None
    fast = (
        required._UNIT_FIRST_LINE_RE.match(low) is not None
        or required._UNIT_NEXT_LINE_RE.search(low) is not None
    )
    assert fast == plain


def _dk309_plain(text: str) -> list[tuple[int, str]]:
    """DK309's findings by the definition: the dummy-id pattern, after a look for any of its
    five markers."""
    ascii_text = scan(Document(text)).ascii
    if not any(m in ascii_text for m in ("ABC000", "XXXXX", "000000", "000-00-", "1EG4")):
        return []
    return [
        (m.start(), "an identifier is a template's dummy value")
        for m in ph._DUMMY_ID_RE.finditer(ascii_text)
    ]


_DUMMY_PIECES = st.sampled_from(
    ["ABC", "0", "000", "00", "-", "X", "XX", "1EG4", "TE5", "MK73", "D", "é", " ", "A", "B"]
)


@settings(max_examples=300)
@given(st.lists(_DUMMY_PIECES, max_size=12).map("".join))
def test_dk309_finds_what_its_definition_finds(text: str) -> None:
    assert _offsets("DK309", text) == _dk309_plain(text)


def _named_dates_per_year(text: str) -> list[tuple[int, int, object]]:
    """Written-out dates read the way the validator read them before: one anchored match on
    the reversed text for each space and year, within the window before it."""
    sc = scan(Document(text))
    low = sc.low
    one_line = low.replace("\n", " ").replace("\r", " ")  # a wrapped date reads as one
    rev = one_line[::-1]
    n = len(low)
    out = []
    for y in re.finditer(" 0000(?!0)", sc.shape.replace("\n", " ").replace("\r", " ")):
        j = y.start()
        lo = j - _analysis._DATE_WINDOW if j > _analysis._DATE_WINDOW else 0
        b = _analysis._NAMED_BEFORE_YEAR_REV_RE.match(rev, n - 1 - j, n - lo)
        if b is None:
            continue
        start = n - b.end()
        md, mn, dm, dd = b.groups()
        month = _analysis._MONTHS_REV.get(mn or dm)
        if month is None or (
            start and (low[start - 1].isalpha() if mn else low[start - 1].isdigit())
        ):
            continue
        out.append(
            (
                start,
                j + 5,
                _analysis._make_date(int(low[j + 1 : j + 5]), month, int((md or dd)[::-1])),
            )
        )
    return out


_DATE_PIECES = st.sampled_from(
    [
        "March", "mar.", "Sept", "September", "may", "xmay", "dec", "31", "1", "02", "3rd",
        "21st", "2026", "12026", "1999", ", ", ",", " ", "  ", "\t", " " * 9, " " * 17,
        " " * 18, "\n", "-", "/", "x", "é", "0",
    ]
)  # fmt: skip


@settings(max_examples=400)
@given(st.lists(_DATE_PIECES, max_size=14).map("".join))
def test_named_dates_in_one_scan_are_those_read_year_by_year(text: str) -> None:
    sc = scan(Document(text))
    found: dict[int, _analysis.TextDate] = {}
    sc._named_dates(found)
    assert sorted(tuple(t) for t in found.values()) == sorted(_named_dates_per_year(text))


@pytest.mark.parametrize("spaces", [1, 8, 12, 13, 14, 17, 18, 19, 20, 21, 30])
def test_named_dates_at_the_edge_of_the_window(spaces: int) -> None:
    for text in (
        f"September{' ' * spaces}30, 2026",
        f"30{' ' * spaces}September 2026",
        f"x mar{' ' * spaces}3 2026 and May 5, 2027",
    ):
        sc = scan(Document(text))
        found: dict[int, _analysis.TextDate] = {}
        sc._named_dates(found)
        assert sorted(tuple(t) for t in found.values()) == sorted(_named_dates_per_year(text))


_DOB_PIECES = st.sampled_from(
    ["date", "Date", "of", "birth", "dates", "xdate", "date2", " ", "  ", "\t", "\n", ":", "#",
     "-", "é", "1", "update", "birthdate", "of birth"]
)  # fmt: skip


@settings(max_examples=300)
@given(st.lists(_DOB_PIECES, max_size=14).map("".join))
def test_word_labels_match_where_a_scan_of_their_own_matches(text: str) -> None:
    sc = scan(Document(text))
    for _, _, label in _analysis._DOB_LABEL_RES:
        if isinstance(label, _analysis._WordLabel):
            fast = sc._ends(label)
            assert fast == [m.end() for m in _analysis._words_at(label.pattern, sc.low)]


def _find_value_by_starts(text: str, value: str) -> int:
    """Where a claim value stands, by the definition: at the first place where its first word
    stands whole in the text (:meth:`Scan.starts_of`) and the value follows, with nothing
    glued after it (no check after a value cut at the cap)."""
    sc = scan(Document(text))
    v = value[: _analysis.MAX_VALUE]
    cut = len(v) < len(value)
    first = re.match("[a-z0-9]+", v.lower())
    assert v.isascii() and first is not None and not (cut and first.end() == len(v))
    for i in sc.starts_of(first.group()):
        if text.startswith(v, i):
            j = i + len(v)
            if cut or j >= len(text) or not text[j].isalnum():
                return i
    return -1


_VALUE_PIECES = st.sampled_from(["Ab", "ab", "1", "x", " ", "-", ".", "é", "Ab-1", "b", "\n"])


@settings(max_examples=500)
@given(
    st.lists(_VALUE_PIECES, max_size=16).map("".join),
    st.lists(_VALUE_PIECES, min_size=1, max_size=4)
    .map("".join)
    .filter(lambda v: v.isascii() and v[:1].isalnum()),
)
def test_claim_values_are_found_where_their_first_word_stands(text: str, value: str) -> None:
    sc = scan(Document(text))
    assert _analysis._find_value(sc, value) == _find_value_by_starts(text, value)


@pytest.mark.parametrize("value", ["Ab 1", "ab", "Ab-1", "xy " * 100 + "z", "a " * 200])
def test_claim_values_on_chosen_text(value: str) -> None:
    for text in (f"x{value} {value}", f"{value}1 {value}", f"é{value}é {value}", value * 3):
        sc = scan(Document(text))
        assert _analysis._find_value(sc, value) == _find_value_by_starts(text, value)


def _minutes_plain(text: str) -> list[tuple[int, int]]:
    """The numbers of minutes by the definition: every match of the minutes pattern that
    starts a word, read in full, with the number standing before it."""
    low = scan(Document(text)).low
    out = []
    for m in _analysis._words_at(_analysis._MINUTES_RE, low):
        b = _analysis._NUMBER_BEFORE_RE.search(low, max(0, m.start() - 8), m.start())
        if b is not None:
            out.append((int(b.group("n")), b.start()))
    return out


_MINUTE_PIECES = st.sampled_from(
    ["min", "mins", "minute", "minutes", "min.", "admin", "xmin", "5", "45", "12345", " ", "-",
     "\t", ".", "\n", "é", "of", "2min"]
)  # fmt: skip


@settings(max_examples=300)
@given(st.lists(_MINUTE_PIECES, max_size=12).map("".join))
def test_minutes_read_one_at_a_time_are_those_of_a_full_scan(text: str) -> None:
    sc = scan(Document(text))
    assert sc.states_minutes == bool(_minutes_plain(text))
    assert sc.text_minutes == _minutes_plain(text)


_NAME_PIECES = st.sampled_from(
    ["Zoë", "ZOE", "Zoe", "Nguyễn", "Nguyen", "Ann", "Lee", " ", "\u0301"]
)


@settings(max_examples=300)
@given(
    st.lists(_NAME_PIECES, min_size=1, max_size=3).map("".join),
    st.lists(st.lists(_NAME_PIECES, min_size=1, max_size=3).map("".join), max_size=3),
)
def test_dk213_skips_folding_only_names_equal_to_the_claims(
    claim_name: str, names: list[str]
) -> None:
    """A labelled name equal to the claim's is never reported: DK213 does not fold it."""
    from denialkit.letters import example_claim

    claim = example_claim("CCM21")
    if not claim_name.strip():
        return
    claim = claim.evolve(patient=attrs.evolve(claim.patient, name=claim_name))
    text = "".join(f"Patient: {n}\n" for n in names)
    got = [f.location.line for f in Validator(select=["DK213"]).check(text, claim=claim).findings]
    sc = scan(Document(text, claim=claim))
    want_words = set(_fold(claim_name).split(" "))
    plain = [
        text.count("\n", 0, v.start) + 1
        for v in sc.patient_names
        if not want_words & set(_fold(v.value).split(" "))
    ]
    assert got == plain


@settings(max_examples=300)
@given(st.lists(_WORD_PIECES, max_size=12).map("".join))
def test_a_first_word_ruled_out_by_its_phrases_words_starts_no_match(text: str) -> None:
    """:meth:`_Vocab.possible` is only a gate: where a phrase matches, its first word is
    possible with the words of the text."""
    sc = scan(Document(text))
    for vocab in _VOCABS:
        for m in vocab.matches(sc.low):
            first = _analysis._ALNUM_WORD_RE.match(sc.low, m.start())
            assert first is not None
            assert vocab.possible(first.group(), sc.words)


_CHAR_PIECES = st.sampled_from(
    ["a", "Zoë", "ễ", "?", "??", "\udcc3", "💥", "\x07", "\x0b", "\x0c", "\x1c", "\x7f", "\t",
     "\n", "\r", " ", "A", "1", "-", "é" * 40, "?" * 40, "word", "\u202e", "\u200b", "\x85",
     "\u00a0", "\u2013", "\u2019", "\u2022", "\u00a0" * 40, "\n\n" * 7]
)  # fmt: skip


@settings(max_examples=500)
@given(st.lists(_CHAR_PIECES, max_size=12).map("".join))
def test_the_text_forms_are_their_definitions(text: str) -> None:
    """The ASCII copy (each typographic look-alike as its ASCII character, a carriage return
    alone as a line feed, double spacing as single, every other non-ASCII character as
    ``?``), the set of non-ASCII
    characters, the control test and the words (which share one translation) are what
    their plain definitions give."""
    sc = scan(Document(text))
    read = "".join(LOOKALIKE_MAP.get(ord(c), c) for c in text)
    read = re.sub("\r(?!\n)", "\n", read)  # a carriage return alone ends a line
    marked = "".join(c if c.isascii() else "?" for c in read)  # a mark is no space
    if read.count("\n") >= 12 and not re.search(r"\S[ \t]*\r?\n[ \t]*\S", marked):
        # double-spaced: each pair of line breaks reads as one
        read = re.sub(r"(\r?\n)([ \t]*\r?\n)", lambda m: m[1] + " " * len(m[2]), read)
    assert sc.text == read
    assert sc.ascii == "".join(c if c.isascii() else "?" for c in read)
    assert sc.nonascii == frozenset(c for c in text if not c.isascii())
    controls = {chr(b) for b in _analysis._CONTROL_BYTES}
    assert sc.controls == any(c in controls for c in text)
    runs = re.findall("[a-z]+", sc.low)
    assert sc.words == frozenset(r.encode("ascii") for r in runs)


@pytest.mark.parametrize("marks", [0, 1, 31, 32, 33, 34, 80])
@pytest.mark.parametrize("piece", ["?", "é", "ễ?", "\udcc3"])
def test_the_non_ascii_set_is_its_definition_on_either_side_of_a_few_marks(
    marks: int, piece: str
) -> None:
    """The non-ASCII characters are found by visiting the marks of the ASCII copy when
    there are a few, else by another way: both give the definition's set."""
    text = "ab " + f"x{piece}" * marks + " ü" * (marks % 3)
    sc = scan(Document(text))
    assert sc.nonascii == frozenset(c for c in text if not c.isascii())


def _word_pattern_plain(vocab: _analysis._Vocab, word: str) -> re.Pattern[str]:
    """A vocabulary's phrases that start with ``word`` as the plain alternation, in order."""
    w = re.escape(word)
    rests = "|".join(body[len(w) :] for first, body in vocab.alternatives if first == word)
    return re.compile(f"{w}(?<![a-z0-9]{w})(?=((?:{rests}){vocab.tail}))")


@settings(max_examples=500)
@given(st.lists(_WORD_PIECES, max_size=14).map("".join))
def test_factored_phrase_patterns_match_as_the_plain_alternation(text: str) -> None:
    low = scan(Document(text)).low
    for vocab in _VOCABS:
        for w in vocab.firsts:
            fast = [(m.start(), m.end(1)) for m in vocab.word_pattern(w).finditer(low)]
            plain = [(m.start(), m.end(1)) for m in _word_pattern_plain(vocab, w).finditer(low)]
            assert fast == plain
