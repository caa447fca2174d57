"""DK3xx: template leftovers and unfilled blanks."""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Iterator
from typing import Any, Final

from denialkit.validation._analysis import (
    _ASCII_DIGIT_RE,
    Scan,
    _gate,
    _words_at,
    continues_sentence,
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
# single angle brackets, as templates write them too: "<Patient Name>", "<insert date>" (an
# e-mail address or a link in them names no field)
# (the pattern starts with its literal, which the engine searches for fast)
_SINGLE_ANGLE_RE: Final = re.compile(r"<(?<!<<)(?![<!/])(?P<c>[^<>@\n]{1,80}+)>(?!>)")
# single braces, not template syntax ({{ }}, {% %}, {# #}, DK301): "{Patient Name}"
_BRACE_RE: Final = re.compile(r"(?<!\{)\{(?![{%#])(?P<c>[^{}\n]{1,80}+)\}(?!\})")
# a word processor's mail-merge field, a name without spaces: "«MemberID»", "«Patient_Name»"
_MERGE_FIELD_RE: Final = re.compile(r"\u00ab[A-Za-z][A-Za-z0-9_]{0,60}+\u00bb")
_WORD_JOIN_RE: Final = re.compile(r"(?<=[a-z])(?=[A-Z])|_")
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


# two short alternatives joined by "or" (a template's choice the writer did not make)
_CHOICE_RE: Final = re.compile(r"[a-z0-9-]{1,12}+ or [a-z0-9-]{1,12}+")


def _is_placeholder(content: str) -> bool:
    c = content.strip()
    low = c.lower()
    if not c or _NOT_PH_RE.fullmatch(low) or low.startswith("missing:"):
        return False
    if low.startswith(_PH_VERBS):
        return True
    if _CHOICE_RE.fullmatch(low):
        return True  # a choice left to the writer: "[XS or 59]", "[he or she]"
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
    "[Your Practice Header], <<Name>>, {Patient Name}, a mail-merge field «MemberID».",
    hint="Replace the blank with the real value.",
    authority="Placeholder conventions of published appeal templates (AMA sample letter "
    '"[date]"; "[Patient name]")',
)
def _dk302(r: Rule, doc: Document, sc: Scan) -> Iterable[Finding]:
    text = sc.ascii
    if "[" not in text and "<" not in text and "{" not in text and "\u00ab" not in sc.nonascii:
        return _NONE
    return _dk302_blanks(r, doc, sc)


def _dk302_blanks(r: Rule, doc: Document, sc: Scan) -> Iterator[Finding]:
    text = sc.ascii
    for pattern, marker in (
        (_BRACKET_RE, "["),
        (_ANGLE_RE, "<<"),
        (_SINGLE_ANGLE_RE, "<"),
        (_BRACE_RE, "{"),
    ):
        if marker[0] not in text or marker not in text:
            continue
        for m in pattern.finditer(text):
            c = m.group("c")
            if marker == "<" and c.lstrip().lower().startswith(("http", "www.", "mailto")):
                continue
            if _is_placeholder(c) or (marker == "{" and _is_placeholder(_WORD_JOIN_RE.sub(" ", c))):
                yield r.finding(doc, "an unfilled template blank is left in brackets", at=m.start())
    if "\u00ab" in sc.nonascii:
        for m in _MERGE_FIELD_RE.finditer(doc.text):
            yield r.finding(doc, "an unfilled template blank is left in brackets", at=m.start())


_PAREN_RE: Final = re.compile(
    r"\((?=insert|enter |your |fill in|type |patient|name|date|claim|member|provider|practice"
    r"|address|phone|the |signature|title|payer|insurance|amount|minutes|dob|dos|npi|full"
    r"|first|last|service|id\b|condition|diagnosis|treatment|procedure|medication|reason"
    r"|doctor|physician|describe)(?P<c>[^()]{1,60}+)\)"
)
_PAREN_VOCAB: Final = frozenset(
    (
        "patient", "name", "date", "of", "birth", "service", "claim", "number", "member", "id",
        "provider", "practice", "address", "phone", "the", "and", "or", "signature", "title",
        "payer", "insurance", "company", "amount", "minutes", "dob", "dos", "npi", "here",
        "full", "first", "last", "condition", "diagnosis", "treatment", "procedure",
        "medication", "reason", "doctor", "physician", "your", "my",
    )
)  # fmt: skip
_PAREN_KEY: Final = frozenset(
    (
        "name", "date", "number", "id", "address", "phone", "signature", "title", "amount",
        "minutes", "condition", "diagnosis", "treatment", "procedure", "medication", "reason",
    )
)  # fmt: skip
_APOSTROPHE_S_RE: Final = re.compile(r"['’]s\b")


def _is_paren_placeholder(content: str) -> bool:
    low = " ".join(content.lower().split())  # a blank may break across lines
    if low.startswith("type of "):  # "(type of bill 12X)": a noun phrase, not "(type ...)"
        return False
    if low.startswith(("insert", "enter ", "your ", "fill in", "type ", "describe ", "name of ")):
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


# "entitlement number (member ID)": a parenthesis right after one of these nouns names it
# another way (as code descriptions write them); a blank stands where the value goes, and a
# label followed by itself in parentheses ("claim number (claim number)") is one
_RESTATED_NOUN_RE: Final = re.compile(r"(?:number|no\.|id|name|date|code|identifier)[ \t]*$")


def _dk303_blanks(r: Rule, doc: Document, low: str) -> Iterator[Finding]:
    for m in _PAREN_RE.finditer(low):
        start, content = m.start(), m.group("c").strip()
        before = low[max(0, start - len(content) - 8) : start].rstrip()  # bounded: linear
        if _RESTATED_NOUN_RE.search(before[-16:]) and not before.endswith(content):
            continue
        if _is_paren_placeholder(content):
            yield r.finding(doc, "an unfilled template blank is left in parentheses", at=m.start())


_UNDERSCORES_RE: Final = re.compile(r"___+")
# A line that is only a long run of underscores is a horizontal rule (a page header's or
# footer's rule in a letter pasted from a PDF, a section divider), not a blank: a blank
# or a signature line is shorter, or shares its line with a label.
_RULE_LINE_RE: Final = re.compile(r"[ \t]*_{40,}[ \t]*(?:\r?\n|\Z)")


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
    line = seen = 0  # the start of the current run's line, found scanning forward (linear)
    tried = -1  # the last line start tried as a horizontal rule
    for m in _UNDERSCORES_RE.finditer(text):
        start = m.start()
        nl = text.rfind("\n", seen, start)
        seen = start
        if nl >= 0:
            line = nl + 1
        if line != tried:
            tried = line
            if _RULE_LINE_RE.match(text, line):
                continue  # a horizontal rule across the page
        yield r.finding(doc, "a fill-in blank of underscores is left", at=start)


_LEFTOVERS: Final = ("TBD", "TBA", "TODO", "FIXME", "XXX")
_LEFTOVER_RE: Final = re.compile(r"TBD|TBA|TODO|FIXME|XXX")
_LOREM_RES: Final = (re.compile(r"lorem[ \t]+ipsum"), re.compile(r"ipsum[ \t]+dolor"))
# A marker stands alone (no letter, digit, "." or "_" next to it), so its lower-case form is
# a word of the text; runs of X are looked for directly, after a test for a capital X.
_LEFTOVER_CAPITALS: Final = (b"TBD", b"TBA", b"TODO", b"FIXME", b"XXX")
_LOREM_GATE: Final = _gate("lorem ipsum")


_MASK_MARKS: Final = "X-*. "
_MASK_REACH: Final = 12
_UNDECIDED_AFTER_RE: Final = re.compile(
    r"[ \t,(]*(?:pending|until|awaiting|once|after|depending|upon|subject[ \t]+to)(?![a-z])"
)
_UNDECIDED_BEFORE: Final = ("still ", "remains ", "yet ", "currently ", "is ", "are ")


def _masks_digits(text: str, end: int) -> bool:
    """Whether the X's that end at ``end`` hide the digits of a number whose last digits
    follow ("XXXX-4821", "XXX-XX-1234", "XXXX XXXX 4821")."""
    j, stop = end, min(len(text), end + _MASK_REACH)
    while j < stop and text[j] in _MASK_MARKS:
        j += 1
    return j > end and j < len(text) and "0" <= text[j] <= "9"


def _undecided(low: str, start: int, end: int) -> bool:
    """Whether "TBD" or "TBA" says in a sentence that something is not decided yet ("the
    date is TBD pending your decision", "surgery date still TBD"), not a value left out."""
    if _UNDECIDED_AFTER_RE.match(low, end) is not None:
        return True
    return low.endswith(_UNDECIDED_BEFORE, max(0, start - 9), start) and not low.endswith(
        ":", 0, start
    )


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
            if m.group() == "XXX" and _masks_digits(text, e):
                continue  # a masked number: "card ending XXXX-4821", "XXX-XX-1234"
            if m.group() in ("TBD", "TBA") and _undecided(low, s, e):
                continue  # "the date is TBD pending your decision": not yet decided
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


# -- blanks without brackets (DK308) ----------------------------------------------------

_FIELD_WORDS: Final = frozenset(
    (
        "name", "names", "address", "street", "city", "state", "zip", "code", "phone", "number",
        "date", "health", "plan", "insurance", "insurer", "company", "your", "my", "patient",
        "member", "id", "policy", "claim", "provider", "doctor", "physician", "title",
        "signature", "email", "fax", "of", "and", "or", "the", "full", "first", "last",
        "practice", "office", "group", "birth", "telephone", "mailing", "apt", "suite",
    )
)  # fmt: skip
"""Words a field label is made of ("HEALTH PLAN NAME", "City State Zip", "Your name")."""
_FIELD_KEYS: Final = frozenset(
    (
        "name", "names", "address", "street", "zip", "phone", "number", "date", "signature",
        "email", "fax", "telephone", "id", "title",
    )
)  # fmt: skip
"""A field line holds at least one of these."""
_LINE_RE: Final = re.compile(r"[^\n]{1,80}+(?=\r?\n|\Z)|[^\n]*+")
_FIELD_SPLIT_RE: Final = re.compile(r"[ \t,/&.#:-]+")
_INSTRUCTION_RE: Final = re.compile(
    r"(?:insert|enter|type|fill[ \t]+in|describe|explain|summarize|write|add|list|attach"
    r"|include|state|provide)[ \t]+(?:your|the|a|an|any|here|date|name|all|why|how)(?![a-z])"
    r"|your[ \t]+(?:full[ \t]+)?(?:name|address|phone|telephone|signature|title|member"
    r"|policy|street|city|email|date[ \t]+of[ \t]+birth|insurance|printed)(?![a-z])"
    # "INSERT RADIOGRAPH FINDINGS HERE", "Paste the denial reason here": an instruction
    # that says where its text goes, the whole line
    r"|(?:insert|paste|enter|type)[ \t][a-z0-9 \t,/&'()-]{0,80}?[ \t]here[ \t.:]*(?=\r?\n|\Z)"
)
_REDACTION_BODY: Final = (
    r"ame of (?:my|your|the patient's|patient's) "
    r"(?:insurance|insurer|health plan|plan|doctor|physician|provider|hospital|company"
    r"|employer|clinic)"
)
# "Name of my insurance" where a word starts ("addressName of ..." is no redaction)
_REDACTION_RE: Final = re.compile(r"(?<![A-Za-z0-9])(?:N|A)(?:ame|ddress)" + _REDACTION_BODY[3:])
# the same matches, by two patterns that each start with a literal (searched for faster),
# each looked for only when its first word is among the words of the text
_REDACTION_RES: Final = (
    re.compile("N(?<![A-Za-z0-9]N)" + _REDACTION_BODY),
    re.compile("A(?<![A-Za-z0-9]A)ddress of" + _REDACTION_BODY[6:]),
)
_REDACTION_LITERALS: Final = (
    (b"name", "Name of ", _REDACTION_RES[0]),
    (b"address", "Address of ", _REDACTION_RES[1]),
)
_EMPTY_FIELD_RE: Final = re.compile(
    r"(?:attn|attention|re|claim[ \t]+(?:number|no\.?|#)|member[ \t]+id|subscriber[ \t]+id"
    r"|policy[ \t]+number|patient(?:[ \t]+name)?|date[ \t]+of[ \t]+service|date[ \t]+of[ \t]+birth"
    r"|dob|dos|npi|group[ \t]+number|medicare[ \t]+number|mbi|id)[ \t]*[:#][ \t]*(?=\r?\n|\Z)"
)


_INSTRUCTION_FIRSTS: Final = frozenset(
    (
        "insert", "enter", "type", "fill", "describe", "explain", "summarize", "write", "add",
        "list", "attach", "include", "state", "provide", "your", "paste",
    )
)  # fmt: skip


_NOT_FIELD_CHAR_RE: Final = re.compile(r"[^a-zA-Z \t,/&.#:-]")


def _field_line(line: str) -> bool:
    if _NOT_FIELD_CHAR_RE.search(line) is not None:
        return False  # a digit or other mark is in a word, which no field word has
    words = [w for w in _FIELD_SPLIT_RE.split(line.lower()) if w]
    return (
        0 < len(words) <= 6
        and all(w in _FIELD_WORDS for w in words)
        and any(w in _FIELD_KEYS for w in words)
    )


# What str.split() and str.strip() take for space in ASCII text, other than the line feed.
_SPACE: Final = r" \t\x0b\x0c\r\x1c-\x1f"


def _alternation(words: Iterable[str]) -> str:
    """A pattern that matches exactly ``words``, written as a prefix tree (one branch per
    next letter), so the engine tries a few branches instead of every word."""
    tree: dict[str, dict[str, Any]] = {}
    for w in words:
        node = tree
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = {}

    def emit(node: dict[str, dict[str, Any]]) -> str:
        alts = [re.escape(ch) + emit(child) for ch, child in sorted(node.items()) if ch]
        if not alts:
            return ""
        body = alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
        return f"(?:{body})?" if "" in node else body

    return emit(tree)


# A line that DK308 can report is one of three kinds, each found in C so that other lines
# need no Python step: a field line (a field word first, with , / & . # : - around it, then
# only letters, spaces and those marks, what _field_line needs; read at most 90 characters
# on, as a longer line is never reported), an instruction
# (_INSTRUCTION_RE at its start), or a line that ends with ":" or "#" (and spaces). The first
# two are found by the line feed before them, the last by its colon or hash.
_DK308_LINE: Final = (
    rf"[{_SPACE}]*+(?:[,/&.#:-]*+{_alternation(_FIELD_WORDS)}[,/&.#:-]*+(?![^{_SPACE}\n])"
    rf"[a-z \t,/&.#:-]{{0,90}}+[{_SPACE}]*+(?![^\n])|{_INSTRUCTION_RE.pattern})"
)
_DK308_FIRST_RE: Final = re.compile(_DK308_LINE)
_DK308_NEXT_RE: Final = re.compile(r"\n(?=" + _DK308_LINE + ")")
# one pattern per character: a pattern that starts with a literal is searched for faster
_DK308_END_RES: Final = tuple((c, re.compile(rf"{c}[{_SPACE}]*+(?![^\n])")) for c in ":#")


def _candidate_lines(low: str) -> list[int]:
    """The offsets where the lines that may be blanks start, in order."""
    # a character the text does not hold needs no scan (a test costs less than a scan)
    starts = {
        low.rfind("\n", 0, m.start()) + 1
        for c, p in _DK308_END_RES
        if c in low
        for m in p.finditer(low)
    }
    if _DK308_FIRST_RE.match(low) is not None:
        starts.add(0)
    starts.update(m.start() + 1 for m in _DK308_NEXT_RE.finditer(low))
    return sorted(starts)


# words of a template's own lines under a label ("Signature" over "Printed name"), and of
# the other labels of a claim's fields ("Claim number" over "Service date"): no value
_TEMPLATE_WORDS: Final = frozenset(
    (
        "printed", "here", "insert", "enter", "type", "print", "service", "services", "dos",
        "dates", "numbers",
        "procedure", "procedures", "cpt", "hcpcs", "diagnosis", "icd", "denial", "reason",
        "remark", "code", "codes", "npi", "tin", "tax", "mbi", "medicare", "medicaid",
        "subscriber", "beneficiary", "enrollee", "amount", "billed", "charge", "charges",
        "total", "account", "reference", "ref", "authorization", "level", "bill", "remit",
        "on", "to", "from", "for", "submitter", "contact", "organization", "appeal",
    )
)  # fmt: skip
_WORD_RE: Final = re.compile(r"[a-z]+")


def _value_below(low: str, end: int) -> bool:
    """Whether the line right under the line ending at ``end`` holds a value: a form or a
    portal's copy prints each label on a line of its own over its value ("Member name" over
    the name, "Claim number" over the number). A line of field words only ("Member ID" under
    "Patient Name"), a blank line or a template's own words are no value."""
    if end >= len(low):
        return False
    below, _ = _line_at(low, end + 1)
    below = below.strip()
    if not below or below.endswith(":"):
        return False
    if any("0" <= c <= "9" for c in below):
        return True
    words = _WORD_RE.findall(below)
    return any(w not in _FIELD_WORDS and w not in _TEMPLATE_WORDS for w in words)


_LABEL_ENDS: Final = frozenset(
    (
        "name", "id", "number", "no", "#", "date", "dates", "type", "level", "contact",
        "organization", "npi", "reason", "outcome", "explanation", "code", "codes",
        "procedure", "procedures", "address", "phone", "signature", "amount", "diagnosis",
    )
)  # fmt: skip
_MAX_LABEL_WORDS: Final = 5


def _is_label(line: str) -> bool:
    """Whether ``line`` reads as a form's label: a few words without digits, the last of
    them what a label names ("Member name", "Billing NPI", "Requested outcome")."""
    words = line.replace(":", " ").split()
    return (
        0 < len(words) <= _MAX_LABEL_WORDS
        and not any("0" <= c <= "9" for c in line)
        and words[-1] in _LABEL_ENDS
    )


def _line_before(low: str, start: int) -> tuple[str, int]:
    """The line that ends right before the line starting at ``start``, and where it starts
    (("", -1) at the top of the text)."""
    if start <= 0:
        return "", -1
    begin = low.rfind("\n", 0, start - 1) + 1
    return low[begin : start - 1], begin


def _form_field(low: str, start: int, end: int, first: str) -> bool:
    """Whether the label line from ``start`` to ``end`` is a field of a form filled in, as a
    portal's copy of an appeal prints one: the label over its value, among other labels over
    theirs ("Member name" over the name, then "Member ID" over the id). A label alone among
    the lines of an address ("Street Address" between a name and a town) is a template's
    blank; so is a label over another label ("Claim number" over "Service date")."""
    if not _value_below(low, end):
        return False
    if first == "signature":
        return True  # the signer's name under "Signature"
    above, begin = _line_before(low, start)
    if above.strip() and _is_label(_line_before(low, begin)[0].strip()):
        return True
    below_end = low.find("\n", end + 1)
    if below_end < 0:
        return False
    return _is_label(_line_at(low, below_end + 1)[0].strip())


def _fax_title(low: str, start: int, end: int, stripped: str) -> bool:
    """Whether the line is the title of a fax cover sheet: "FAX" (or "Facsimile") alone on
    the text's first line, over a blank line or a field ("To: ..."), as a cover sheet
    starts (a template's "Fax" field stands among other lines of an address)."""
    if stripped not in ("fax", "facsimile") or low[:start].strip():
        return False
    below = _line_at(low, end + 1)[0] if end < len(low) else ""
    return not below.strip() or ":" in below


def _line_at(low: str, start: int) -> tuple[str, int]:
    """The line starting at ``start`` and the offset of the line feed after it (or the
    text's length)."""
    end = low.find("\n", start)
    if end < 0:
        end = len(low)
    return low[start:end], end


# a date written as its format: "MM/DD/YYYY", "mm-dd-yy", "MM/YYYY"
_DATE_MASK_RE: Final = re.compile(
    r"(?<![a-z0-9])(?:(?:mm|dd)(?P<sep>[/.-])(?:dd|mm)(?P=sep)|mm/)(?:yyyy|yy)(?![a-z0-9])"
)
# a date whose digits are X's: "XX/XX/XXXX", "XX/XX/2026", "xx-xx-26"
# (the pattern starts with its literal "x", which the engine searches for fast)
_X_DATE_RE: Final = re.compile(
    r"x(?<![a-z0-9]x)x?(?P<sep>[/.-])xx?(?P=sep)(?:x{2}|x{4}|[0-9]{2}|[0-9]{4})(?![a-z0-9])"
)


@_rule(
    "DK308",
    "unbracketed-placeholder",
    E,
    summary="No template blank without brackets is left: a line that is only a field label "
    "('Street Address', 'CITY STATE ZIP', 'HEALTH PLAN NAME', 'Date'), an instruction "
    "('Your name and address', 'Insert the reason'), redaction text ('Name of my insurance') "
    "or an empty labelled field ('Attn:', 'Claim number:' with nothing after it), or a date "
    "written as its format ('MM/DD/YYYY').",
    hint="Replace the label or instruction with the real value, or delete the line.",
    authority="Placeholder conventions of published appeal templates",
)
def _dk308(r: Rule, doc: Document, sc: Scan) -> Iterable[Finding]:
    return _dk308_blanks(r, doc, sc)


def _dk308_blanks(r: Rule, doc: Document, sc: Scan) -> Iterator[Finding]:
    text, low = sc.ascii, sc.low
    for start in _candidate_lines(low):
        line, end = _line_at(low, start)
        if len(line) > 90:
            continue
        stripped = line.strip()
        if not stripped or len(stripped) > 80:
            continue
        at = start + (len(line) - len(line.lstrip()))
        first = stripped.split(None, 1)[0]
        if start and "a" <= text[at] <= "z" and continues_sentence(text, start - 1):
            continue  # a wrapped line of prose ("... the notes\nexplain why the MRI ...")
        if (
            stripped.count(" ") <= 6
            and first.strip(",/&.#:-") in _FIELD_WORDS
            and _field_line(stripped)
            and not _form_field(low, start, end, first)
            and not _fax_title(low, start, end, stripped)
        ):
            yield r.finding(doc, "a line is a template field label, not a value", at=at)
        elif first in _INSTRUCTION_FIRSTS and _INSTRUCTION_RE.match(low, at) is not None:
            yield r.finding(doc, "a line is a template instruction, not letter text", at=at)
        elif stripped[-1] in ":#" and _EMPTY_FIELD_RE.match(low, at) is not None:
            nxt = _line_at(low, end + 1)[0].strip() if end < len(low) else ""
            if not nxt or _EMPTY_FIELD_RE.match(nxt) or nxt.endswith(":"):
                yield r.finding(doc, "a labelled field is left empty", at=at)
    # each pattern starts with its literal ("Name of ", "Address of "): most letters hold
    # neither, and a test for one costs less than a scan for its pattern; the words come
    # first (set lookups, no pass over the text)
    words = sc.words
    if b"of" in words:
        present = [p for w, lit, p in _REDACTION_LITERALS if w in words and lit in text]
        found = sorted(m.start() for p in present for m in p.finditer(text))
        for at in found:
            yield r.finding(doc, "redaction text stands where a name belongs", at=at)
    if b"yy" in words or b"yyyy" in words:
        for m in _DATE_MASK_RE.finditer(low):
            yield r.finding(doc, "a date format stands where a date belongs", at=m.start())
    if b"x" in words or b"xx" in words:  # a set lookup: no pass over the text
        for m in _X_DATE_RE.finditer(low):
            yield r.finding(doc, "a date format stands where a date belongs", at=m.start())


_ZEROS_RE: Final = re.compile("000(?:000|-00-)")
_DUMMY_ID_RE: Final = re.compile(
    # 1EG4-TE5-MK73 is the sample Medicare number printed in CMS's MBI documentation
    r"(?<![A-Za-z0-9-])(?:ABC0{3,}[A-Z]?0*|X{5,}|0{6,}|0{3}-?0{2}-?0{4}|1EG4-?TE5-?MK73)"
    r"(?![A-Za-z0-9-])"
)


@_rule(
    "DK309",
    "sample-identifier",
    W,
    summary="No identifier is a template's dummy: all zeros ('000000000', '000-00-0000'), "
    "'ABC0000D0000'-style fillers, a run of X's, or CMS's sample Medicare number.",
    hint="Put the patient's real identifier from their card or the remittance.",
    authority="Placeholder conventions of published templates",
)
def _dk309(r: Rule, doc: Document, sc: Scan) -> Iterable[Finding]:
    text = sc.ascii
    # each dummy needs capitals next to each other (found in the short string of capitals)
    # or a run of zeros (one search for a literal)
    capitals = sc.capitals
    if (
        b"ABC" not in capitals
        and b"XXXXX" not in capitals
        and b"EG" not in capitals
        and _ZEROS_RE.search(text) is None
    ) or not any(map(text.__contains__, ("ABC000", "XXXXX", "000000", "000-00-", "1EG4"))):
        return _NONE
    hits: list[_Hit] = [
        ("an identifier is a template's dummy value", m.start(), None)
        for m in _DUMMY_ID_RE.finditer(sc.ascii)
    ]
    return _report(r, doc, hits)
