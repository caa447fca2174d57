"""DK8xx: the letter against the patient's medical record (only when a record is given).

The record reaches the rules as :class:`~denialkit.record.RecordFacts` on the document
(``Document.record``): what the record shows for the billed month, each fact with its
source. The rules read what the letter states (minutes of care management, rating scale
scores with their dates, the consent and care plan dates) and compare. Messages name the
record's source resource, never a value.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Final

from denialkit.validation._analysis import Scan
from denialkit.validation._model import Document, Finding, Rule

from ._registry import E, W, _rule

if TYPE_CHECKING:
    from denialkit.record import RecordFacts

_MONTHS: Final = (
    "January|February|March|April|May|June|July|August|September|October|November|December"
)
_DATE: Final = rf"(?:{_MONTHS})\s+[0-9]{{1,2}},\s+[0-9]{{4}}"
_DATE_RE: Final = re.compile(_DATE)
# "75 minutes of care management", "logged 75 minutes": a statement of time spent; a code's
# threshold ("its first 70 minutes of care manager time", "at least 20 minutes") is not one
_MINUTES_RE: Final = re.compile(
    r"(?<!first )(?<!least )(?<!each )(?<!further )\b([0-9]{1,4})\s*(?:minutes?|mins?\.?)"
    r"\s+of\s+care[\s-]+management\b|\b(?:records?|recorded|logged|spent|shows?)\s+([0-9]{1,4})\s*"
    r"(?:minutes?|mins?\b)",
    re.I,
)
_SCORE_RE: Final = re.compile(rf"\b([0-9]{{1,3}}(?:\.[0-9]+)?)\s+on\s+({_DATE})")
_SCALE_WORDS: Final = ("phq", "gad-7", "gad7", "rating scale")
_AUTHORITY: Final = (
    "Logic (consistency with the patient's record); 18 U.S.C. 1035 (false statements)"
)


def _day(text: str) -> date | None:
    try:
        return datetime.strptime(" ".join(text.split()), "%B %d, %Y").date()
    except ValueError:
        return None


def _paragraphs(text: str) -> Iterator[tuple[int, str]]:
    """``(offset, paragraph)`` for each blank-line-separated paragraph."""
    start = 0
    for m in re.finditer(r"\n[ \t]*\n", text):
        yield start, text[start : m.start()]
        start = m.end()
    yield start, text[start:]


def _facts(doc: Document) -> RecordFacts | None:
    return doc.record


def _source(facts: RecordFacts, name: str) -> str:
    fact = facts.facts[name]
    more = len({s.resource for s in fact.sources}) - 1
    return fact.source + (f" and {more} more" if more > 0 else "")


@_rule(
    "DK801",
    "record-minutes-mismatch",
    E,
    summary="The minutes of care management the letter states are the sum the patient's "
    "record shows for the billed month.",
    hint="State the minutes the time log records for the month; if the log is incomplete, "
    "correct the record first.",
    authority=_AUTHORITY,
)
def _dk801(r: Rule, doc: Document, sc: Scan) -> list[Finding]:
    found: list[Finding] = []
    facts = _facts(doc)
    if facts is None or "care_manager_minutes" not in facts.facts:
        return found
    value = facts.facts["care_manager_minutes"].value
    if isinstance(value, bool) or not isinstance(value, (int, Decimal)):
        return found
    shown = Decimal(value)
    seen: set[int] = set()
    for m in _MINUTES_RE.finditer(sc.text):
        if m.start() in seen:
            continue
        seen.add(m.start())
        if Decimal(m.group(1) or m.group(2)) != shown:
            found.append(
                r.finding(
                    doc,
                    "the minutes of care management stated differ from the sum the record "
                    f"shows ({_source(facts, 'care_manager_minutes')})",
                    at=m.start(),
                )
            )
    return found


def _record_scores(facts: RecordFacts) -> set[tuple[Decimal, date]]:
    fact = facts.facts.get("rating_scale_scores")
    if fact is None or not isinstance(fact.value, str):
        return set()
    out = set()
    for m in _SCORE_RE.finditer(fact.value):
        day = _day(m.group(2))
        if day is not None:
            out.add((Decimal(m.group(1)), day))
    return out


@_rule(
    "DK802",
    "record-score-mismatch",
    E,
    summary="Each rating scale score the letter states, with its date, is a score the "
    "patient's record shows.",
    hint="Quote the scores and dates from the record's final results.",
    authority=_AUTHORITY,
)
def _dk802(r: Rule, doc: Document, sc: Scan) -> list[Finding]:
    found: list[Finding] = []
    facts = _facts(doc)
    if facts is None or "rating_scale_scores" not in facts.facts:
        return found
    known = _record_scores(facts)
    for start, para in _paragraphs(sc.text):
        low = para.lower()
        if not any(w in low for w in _SCALE_WORDS):
            continue
        for m in _SCORE_RE.finditer(para):
            day = _day(m.group(2))
            try:
                value = Decimal(m.group(1))
            except InvalidOperation:  # pragma: no cover - the pattern admits only numbers
                continue
            if day is not None and (value, day) not in known:
                found.append(
                    r.finding(
                        doc,
                        "a score stated with its date is not among the scores the record "
                        f"shows ({_source(facts, 'rating_scale_scores')})",
                        at=start + m.start(),
                    )
                )
    return found


_DATED: Final = (
    ("consent_date", ("consent", "agreed to")),
    ("care_plan_date", ("care plan", "treatment plan")),
    (None, ("phq", "gad-7", "gad7", "rating scale", "score", "minutes", "notice", "denied")),
)


def _about(text: str, at: int) -> str | None:
    """The fact a date at ``at`` is about: the closest of the words above before it, in
    the same paragraph and within 120 characters; None for another subject."""
    window = text[max(0, at - 120) : at].lower()
    cut = window.rfind("\n\n")
    if cut >= 0:
        window = window[cut:]
    best, best_at = None, -1
    for name, words in _DATED:
        for w in words:
            i = window.rfind(w)
            if i > best_at:
                best, best_at = name, i
    return best if best_at >= 0 else None


@_rule(
    "DK803",
    "record-date-mismatch",
    E,
    summary="The consent and care plan dates the letter states are the dates the patient's "
    "record shows.",
    hint="Use the date of the consent and of the care plan as the record has them.",
    authority=_AUTHORITY,
)
def _dk803(r: Rule, doc: Document, sc: Scan) -> list[Finding]:
    found: list[Finding] = []
    facts = _facts(doc)
    if facts is None:
        return found
    for m in _DATE_RE.finditer(sc.text):
        name = _about(sc.text, m.start())
        fact = facts.facts.get(name) if name is not None else None
        if name is None or fact is None or not isinstance(fact.value, date):
            continue
        day = _day(m.group(0))
        if day is not None and day != fact.value:
            what = name.replace("_date", "").replace("_", " ")
            found.append(
                r.finding(
                    doc,
                    f"the {what} date stated differs from the record's ({_source(facts, name)})",
                    at=m.start(),
                )
            )
    return found


@_rule(
    "DK804",
    "record-does-not-show",
    W,
    summary="What the letter states about care management minutes and rating scale scores "
    "is something the patient's record shows at all.",
    hint="Add the missing documentation to the record (time entries with their durations, "
    "final scores), or do not state what it cannot support.",
    authority=_AUTHORITY,
)
def _dk804(r: Rule, doc: Document, sc: Scan) -> list[Finding]:
    found: list[Finding] = []
    facts = _facts(doc)
    if facts is None:
        return found
    if "care_manager_minutes" not in facts.facts and facts.month is not None:
        m = _MINUTES_RE.search(sc.text)
        if m is not None:
            found.append(
                r.finding(
                    doc,
                    "the letter states minutes of care management; the record shows no "
                    "timed care management in the billed month",
                    at=m.start(),
                )
            )
    if "rating_scale_scores" not in facts.facts:
        for start, para in _paragraphs(sc.text):
            low = para.lower()
            m = _SCORE_RE.search(para)
            if m is not None and any(w in low for w in _SCALE_WORDS):
                found.append(
                    r.finding(
                        doc,
                        "the letter states rating scale scores; the record shows no final score",
                        at=start + m.start(),
                    )
                )
                break
    return found
