"""Appeal letters: :func:`appeal` turns a denial code and a claim into a :class:`Letter`.

A letter is complete or says exactly what is missing. Every fact the template needs and the
claim lacks shows in the text as the marker ``[MISSING: <label>]`` and is listed in
:attr:`Letter.missing`; ``strict=True`` raises :class:`~denialkit.exceptions.MissingFactsError`
instead, listing them all at once.

>>> from datetime import date
>>> from denialkit.letters import appeal, example_claim
>>> claim = example_claim("CCM21")
>>> letter = appeal("CCM21", claim, letter_date=date(2026, 11, 2))
>>> letter.template, letter.missing, letter.level.name
('builtin/ccm21.txt.j2', (), 'Redetermination')
>>> print(letter.text.splitlines()[0])
Valley Family Medicine
>>> "November 2, 2026" in letter.text
True
>>> short = appeal("CCM21", claim.without_fact("consent_date"), letter_date=date(2026, 11, 2))
>>> short.missing
('consent date',)
>>> "[MISSING: consent date]" in short.text
True

The letter's parts are there for other layouts (see :mod:`denialkit.render`):

>>> letter.subject[0]
('Re', 'Request for redetermination')
>>> letter.enclosures[0]
'Copy of the denial notice dated October 20, 2026'
"""

from __future__ import annotations

import enum
import functools
import html
import re
import weakref
from collections.abc import Sequence
from datetime import date, datetime
from decimal import Decimal
from itertools import chain
from operator import is_
from typing import TYPE_CHECKING, Any, Final, Literal, NamedTuple, overload

import attrs

from denialkit._repr import fields_repr, tolerant

from . import _care_minutes
from .claim import (
    _MAX_DIGITS,
    _MAX_LINE,
    Claim,
    Evidence,
    EvidenceKind,
    PlanType,
    _fact_lookup,
    _number_problem,
)
from .codes import Action, Appealable, Category, CodeSystem, DenialCode, get, lookup, parse
from .exceptions import (
    ClaimDataError,
    DeadlineError,
    InvalidCodeError,
    LetterWarningError,
    MissingFactsError,
    UnknownCodeError,
)

if TYPE_CHECKING:
    from .deadlines import AppealLevel, Deadline
    from .templates import ChecklistItem, StringTemplate, TemplateMeta, TemplateRegistry
    from .validation import Report

__all__ = [
    "Letter",
    "LetterPart",
    "LetterWarning",
    "WarningKind",
    "appeal",
    "claim_evidence",
    "enclosure_lines",
    "example_claim",
    "example_codes",
    "format_date",
]

_MAX_TEXT: Final = 10_000  # as Claim.from_dict allows

_MONTHS: Final = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]


def format_date(day: date) -> str:
    """A date as letters write it: ``"March 31, 2026"`` (English, whatever the locale).

    >>> format_date(date(2026, 3, 31))
    'March 31, 2026'
    """
    if not isinstance(day, date):
        raise TypeError(f"expected a datetime.date, not {type(day).__name__}")
    return _date_text(day)


# the month-and-day and year texts, looked up rather than formatted (a date is formatted
# many times per letter; formatting an int costs more than finding its text)
_MONTH_DAY: Final = tuple(tuple(f"{month} {d}" for d in range(32)) for month in ("", *_MONTHS))
_YEARS: Final = {y: str(y) for y in range(1900, 2200)}


def _date_text(day: date) -> str:
    """:func:`format_date` of a date already checked to be one."""
    return f"{_MONTH_DAY[day.month][day.day]}, {_YEARS.get(day.year) or day.year}"


def _month(day: date) -> str:
    return f"{_MONTHS[day.month - 1]} {_YEARS.get(day.year) or day.year}"


class LetterPart(enum.StrEnum):
    """The parts of a letter, in the order they appear (see :meth:`Letter.span`)."""

    SENDER = "sender"
    DATE = "date"
    RECIPIENT = "recipient"
    SUBJECT = "subject"
    SALUTATION = "salutation"
    OPENING = "opening"
    DENIAL = "denial"
    ARGUMENT = "argument"
    REQUEST = "request"
    ENCLOSURES = "enclosures"
    CLOSING = "closing"
    SIGNATURE = "signature"


class WarningKind(enum.StrEnum):
    """The stable ids of :class:`LetterWarning`."""

    LATE = "late"
    """The letter is dated after the filing deadline (``days`` late)."""
    DEADLINE_SOON = "deadline-soon"
    """The filing deadline is at most 7 days after the letter date (``days`` left)."""
    CODE_NOT_ON_NOTICE = "code-not-on-notice"
    """A code the letter appeals is not among ``claim.denial.codes``."""
    NOT_THE_REMEDY = "appeal-not-the-remedy"
    """The code's knowledge says an appeal is not the remedy; ``action`` names what is."""


@attrs.frozen
class LetterWarning:
    """A reason to think twice before sending a letter. Messages hold no patient data.

    Attributes:
        kind: the warning's stable id (:class:`WarningKind`).
        message: one sentence for the user.
        code: the code concerned, when there is one (e.g. ``"CO-16"``).
        days: days late, or days left before the deadline.
        action: the recommended action instead of an appeal, e.g. ``"correct-resubmit"``.

    >>> w = LetterWarning(WarningKind.LATE, "the letter is 3 days late", days=3)
    >>> str(w), w.to_dict()["id"]
    ('late: the letter is 3 days late', 'late')
    """

    kind: WarningKind
    message: str
    code: str | None = None
    days: int | None = None
    action: str | None = None
    __repr__ = fields_repr

    @property
    def id(self) -> str:
        """The stable id, e.g. ``"late"``."""
        return self.kind.value

    def __str__(self) -> str:
        return f"{self.kind.value}: {self.message}"

    def to_dict(self) -> dict[str, object]:
        """Plain JSON-ready data: ``id``, ``message``, ``code``, ``days``, ``action``."""
        return {
            "id": self.kind.value,
            "message": self.message,
            "code": self.code,
            "days": self.days,
            "action": self.action,
        }


@attrs.frozen(repr=False)
class Letter:
    """An appeal letter: its text, its parts and what it was built from.

    Every field that holds patient data is left out of the ``repr``.

    Attributes:
        text: the letter as plain text (one paragraph a line; list items start with a dash).
        claim: the claim the letter appeals.
        codes: the denial codes it answers, resolved in the code tables.
        letter_date: the date on the letter.
        missing: labels of the facts the letter needed and the claim lacked, in order; each
            shows in the text as ``[MISSING: <label>]``.
        level: the appeal level requested.
        template: the template used, e.g. ``"builtin/ccm21.txt.j2"``.
        sender: the practice's lines (name, address, contacts, NPI).
        recipient: the payer's lines (name, appeals address, fax).
        subject: ``(label, value)`` pairs; the first is ``("Re", "Request for ...")``.
        salutation: the greeting.
        opening: the first paragraph: who asks for what, about which claim.
        denial: paragraphs quoting the denial: its date, codes with their summaries, reason.
        argument: the template's paragraphs: why the decision is wrong.
        request: the explicit request.
        enclosures: the enclosures, in order (numbered in the text).
        closing: the complimentary close.
        signature: the signer's lines (name, title, practice, NPI).
        checklist: evidence a reviewer expects for these codes and services that the claim
            does not hold, each with why it matters (:class:`~denialkit.templates.ChecklistItem`).
            It is for the user, never printed in the letter. :attr:`missing` lists *facts*
            the text needed; the checklist lists *documents* that would still help.
        warnings: reasons to think twice before sending (:class:`LetterWarning`): a late
            letter, a deadline within 7 days, a code not on the notice, a code for which an
            appeal is not the remedy.
        spans: where each part is in :attr:`text` (see :meth:`span`).
        report: the validator's findings (computed on first access).
    """

    text: str
    claim: Claim
    codes: tuple[DenialCode, ...]
    letter_date: date
    missing: tuple[str, ...]
    level: AppealLevel
    template: str
    sender: tuple[str, ...]
    recipient: tuple[str, ...]
    subject: tuple[tuple[str, str], ...]
    salutation: str
    opening: str
    denial: tuple[str, ...]
    argument: tuple[str, ...]
    request: str
    enclosures: tuple[str, ...]
    closing: str
    signature: tuple[str, ...]
    checklist: tuple[ChecklistItem, ...] = ()
    warnings: tuple[LetterWarning, ...] = ()

    @tolerant
    def __repr__(self) -> str:
        codes = tuple(c.key for c in self.codes)
        return (
            f"<Letter {self.template} codes={codes!r} level={self.level.number} "
            f"missing={len(self.missing)}>"
        )

    @property
    def body(self) -> tuple[str, ...]:
        """The body paragraphs (the opening, the denial quoted and the argument)."""
        return (self.opening, *self.denial, *self.argument)

    @property
    def date_line(self) -> str:
        """The date as the letter prints it."""
        return format_date(self.letter_date)

    @property
    def complete(self) -> bool:
        """True when no fact is missing."""
        return not self.missing

    def span(self, part: LetterPart | str) -> tuple[int, int] | None:
        """The 1-based first and last line of a part in :attr:`text` (``None`` if absent).

        >>> letter = appeal("CCM21", example_claim("CCM21"), letter_date=date(2026, 11, 2))
        >>> letter.span("date")
        (8, 8)
        """
        want = LetterPart(part)
        lines = [(a, b) for p, a, b in self.spans if p is want]
        if not lines:
            return None
        return lines[0][0], lines[-1][1]

    @functools.cached_property
    def _deadline(self) -> tuple[Deadline | None, str | None]:
        from .deadlines import deadline_for
        from .exceptions import DeadlineError

        try:
            return deadline_for(self.claim, level=self.level.number), None
        except DeadlineError as exc:
            return None, str(exc)

    @property
    def deadline(self) -> Deadline | None:
        """The filing deadline for :attr:`level` (computed on first access), or ``None``."""
        return self._deadline[0]

    @property
    def deadline_note(self) -> str | None:
        """Why there is no deadline, when there is none (no patient data)."""
        return self._deadline[1]

    @functools.cached_property
    def spans(self) -> tuple[tuple[LetterPart, int, int], ...]:
        """``(part, first line, last line)`` for each paragraph of :attr:`text` (1-based)."""
        out = []
        line = 1
        for part, para in _layout(
            self.sender,
            self.date_line,
            self.recipient,
            self.subject,
            self.salutation,
            self.opening,
            self.denial,
            self.argument,
            self.request,
            self.enclosures,
            self.closing,
            self.signature,
        ):
            if not para:
                continue
            n = para.count("\n") + 1
            out.append((part, line, line + n - 1))
            line += n + 1
        return tuple(out)

    def to_dict(self) -> dict[str, object]:
        """The letter as plain JSON-ready data: its text and parts, the missing facts, the
        checklist, the warnings, the deadline and the validator's report (what
        ``denialkit appeal --format json`` prints). It holds the letter's patient data.

        >>> data = appeal("CCM21", example_claim("CCM21"), letter_date=date(2026, 11, 2)).to_dict()
        >>> print(" ".join(sorted(data)))
        checklist codes deadline letter_date level missing parts report template text warnings
        >>> data["deadline"]["due"], data["parts"]["enclosures"][0]
        ('2027-02-22', 'Copy of the denial notice dated October 20, 2026')
        """
        d = self.deadline
        deadline: dict[str, object] | None = None
        if d is not None:
            deadline = {
                "level": d.level.number,
                "level_name": d.level.name,
                "due": d.due.isoformat(),
                "received": d.received.isoformat(),
                "rule": d.rule,
                "citation": d.citation,
            }
        return {
            "template": self.template,
            "codes": [c.key for c in self.codes],
            "letter_date": self.letter_date.isoformat(),
            "level": {"number": self.level.number, "name": self.level.name},
            "text": self.text,
            "parts": {
                "sender": list(self.sender),
                "date": self.date_line,
                "recipient": list(self.recipient),
                "subject": [{"label": k, "value": v} for k, v in self.subject],
                "salutation": self.salutation,
                "opening": self.opening,
                "denial": list(self.denial),
                "argument": list(self.argument),
                "request": self.request,
                "enclosures": list(self.enclosures),
                "closing": self.closing,
                "signature": list(self.signature),
            },
            "missing": list(self.missing),
            "checklist": [i.to_dict() for i in self.checklist],
            "warnings": [w.to_dict() for w in self.warnings],
            "deadline": deadline if deadline is not None else {"note": self.deadline_note},
            "report": self.report.to_dict(),
        }

    @functools.cached_property
    def report(self) -> Report:
        """The validator's findings on this letter, computed on first access."""
        from .validation import check

        return check(self)

    def _repr_html_(self) -> str:
        """The letter in a notebook: its text with each ``[MISSING: ...]`` marker highlighted,
        and beside it what to attend to before sending (missing facts, checklist, warnings, the
        filing deadline and the validator's verdict). Every value is escaped.
        """
        e = html.escape
        text = _MARKER.sub(
            lambda m: f'<mark class="denialkit-missing">{m.group(0)}</mark>', e(self.text)
        )
        side = [f"<h4>{e(self.template)}</h4>"]
        side.append(_html_list("Missing facts", [e(m) for m in self.missing]))
        side.append(
            _html_list(
                "Checklist",
                [f"{e(c.item)}<br><small>{e(c.why)}</small>" for c in self.checklist],
            )
        )
        side.append(_html_list("Warnings", [e(w.message) for w in self.warnings]))
        d = self.deadline
        due = (
            f"{e(d.level.name)} must reach the payer by {e(format_date(d.due))}"
            if d is not None
            else e(self.deadline_note or "none computed")
        )
        side.append(f"<p><b>Deadline:</b> {due}</p>")
        report = self.report
        side.append(f"<p><b>Validator:</b> {e(report.summary)}</p>")
        serious = [f for f in report.findings if f.severity.value != "info"]
        if serious:
            side.append(
                "<ul>"
                + "".join(
                    f"<li>{e(f.rule_id)} {e(f.severity.value)}: {e(f.message)}</li>"
                    for f in serious
                )
                + "</ul>"
            )
        return (
            '<div class="denialkit-letter" style="display:flex;gap:1.5em;align-items:flex-start">'
            '<pre style="white-space:pre-wrap;font-family:inherit;flex:3;max-width:42em;margin:0">'
            f"{text}</pre>"
            f'<aside style="flex:2;min-width:14em">{"".join(side)}</aside></div>'
        )

    @overload
    def render(self, format: Literal["text", "md", "markdown", "html"] = "text") -> str: ...

    @overload
    def render(self, format: Literal["pdf", "docx"]) -> bytes: ...

    def render(self, format: str = "text") -> str | bytes:
        """The letter in another format: ``"text"``, ``"md"``, ``"html"``, ``"pdf"`` or
        ``"docx"``.

        See :func:`denialkit.render.render`.
        """
        from .render import render

        return render(self, format)  # type: ignore[call-overload,no-any-return]


_MARKER: Final = re.compile(r"\[MISSING: [^\]\n]{1,200}\]")


def _html_list(title: str, items: Sequence[str]) -> str:
    """A titled HTML list of already escaped entries for a letter's side panel."""
    if not items:
        return f"<p><b>{title}:</b> none</p>"
    rows = "".join(f"<li>{item}</li>" for item in items)
    return f"<p><b>{title} ({len(items)}):</b></p><ul>{rows}</ul>"


# ------------------------------------------------------------------------ plan wording

_NOUNS: Final[dict[tuple[PlanType, int], tuple[str, str]]] = {
    (PlanType.MEDICARE, 1): ("redetermination", "a redetermination"),
    (PlanType.MEDICARE, 2): ("reconsideration", "a reconsideration"),
    (PlanType.MEDICARE, 3): (
        "hearing before an Administrative Law Judge",
        "a hearing before an Administrative Law Judge",
    ),
    (PlanType.MEDICARE, 4): (
        "review by the Medicare Appeals Council",
        "a review by the Medicare Appeals Council",
    ),
    (PlanType.MEDICARE, 5): ("judicial review", "judicial review"),
    (PlanType.MEDICARE_ADVANTAGE, 1): ("reconsideration", "a reconsideration"),
    (PlanType.ERISA, 1): ("internal appeal", "an internal appeal"),
    (PlanType.ACA, 1): ("internal appeal", "an internal appeal"),
    (PlanType.ACA, 2): ("external review", "an external review"),
    (PlanType.MEDICAID, 1): ("reconsideration", "a reconsideration"),
    (PlanType.MEDICAID, 2): ("second-level appeal", "a second-level appeal"),
    (PlanType.COMMERCIAL, 1): ("reconsideration", "a reconsideration"),
    (PlanType.COMMERCIAL, 2): ("second-level appeal", "a second-level appeal"),
}

_WHO: Final = {
    PlanType.MEDICARE: ("Beneficiary", "Medicare number"),
    PlanType.MEDICARE_ADVANTAGE: ("Member", "Member ID"),
    PlanType.MEDICAID: ("Member", "Member ID"),
}

_GROUP_PLANS: Final = frozenset({PlanType.ERISA, PlanType.ACA, PlanType.COMMERCIAL})
# members read once: reading one through its class costs a lookup on Python 3.11
_MEDICARE: Final = PlanType.MEDICARE
_DENIAL_NOTICE: Final = EvidenceKind.DENIAL_NOTICE
_PLAN_VALUES: Final = {p: p.value for p in PlanType}

_CORE_LABELS: Final = {
    "address": "practice address",
    "recipient": "payer appeals address",
    "signer": "signer name",
    "title": "signer title",
    "group": "group number",
    "contractor": "contractor that made the redetermination",
}


def _nouns(plan: PlanType, number: int, name: str) -> tuple[str, str]:
    hit = _NOUNS.get((plan, number))
    if hit is not None:
        return hit
    noun = name[0].lower() + name[1:]
    return noun, ("an " if noun[0] in "aeiou" else "a ") + noun


# ------------------------------------------------------------------------ checks


def _absent(value: object) -> bool:
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, tuple):
        return not value
    return False


def _fine(claim: Claim, when: object) -> bool:
    """The common case, checked fast: every date a plain date not after ``when``, every text
    field a str of a sane length. Anything unusual goes to the full check in :func:`_check`."""
    if type(when) is not date:
        return False
    limit, digits = _MAX_TEXT, _MAX_DIGITS
    p, pr, pay, d = claim.patient, claim.provider, claim.payer, claim.denial
    v: object
    for v in (claim.claim_number, p.name, p.member_id, pr.name, pay.name):
        if type(v) is not str or len(v) > limit or v.isspace() or not v:
            return False
    for v in (
        p.group_number, pr.npi, pr.address, pr.phone, pr.fax, pr.email, pr.signer_name,
        pr.signer_title, pay.appeals_address, pay.fax, d.reason,
    ):  # fmt: skip
        if v is not None and (type(v) is not str or len(v) > limit):
            return False
    notice = d.notice_date
    if type(pay.plan_type) is not PlanType or type(notice) is not date or notice > when:
        return False
    if p.birth_date is not None and type(p.birth_date) is not date:
        return False
    services = claim.services
    if not services:
        return False
    for s in services:
        day, code = s.date, s.code
        if type(day) is not date or day > when or type(code) is not str or not code.strip():
            return False
        if len(code) > limit or (s.description is not None and type(s.description) is not str):
            return False
        for v in s.modifiers + s.diagnoses:
            if type(v) is not str or len(v) > limit:
                return False
        if s.description is not None and len(s.description) > limit:
            return False
        # units and charge: finite Decimals under 10**_MAX_DIGITS (else _check decides)
        units, charge = s.units, s.charge
        if type(units) is not Decimal or not units.is_finite() or units.adjusted() >= digits:
            return False
        if charge is not None and not (
            type(charge) is Decimal and charge.is_finite() and charge.adjusted() < digits
        ):
            return False
    if claim.evidence and not _evidence_fine(claim.evidence, when):
        return False
    for v in claim.facts.values():
        if type(v) is str:
            if len(v) > limit:
                return False
        elif isinstance(v, datetime) or (
            isinstance(v, tuple) and any(type(x) is not str or len(x) > limit for x in v)
        ):
            return False
    return True


def _evidence_fine(evidence: tuple[Evidence, ...], when: date) -> bool:
    """The fast check of :func:`_fine` for the evidence (not cached: hashing the items
    costs more than checking them)."""
    limit = _MAX_LINE
    for e in evidence:
        if type(e) is not Evidence or type(e.kind) is not EvidenceKind:
            return False
        title, source, made = e.title, e.source, e.date
        if type(title) is not str or not title or title.isspace() or len(title) > limit:
            return False
        if "\n" in title or "\r" in title or type(source) is not str or len(source) > limit:
            return False
        if made is not None and (type(made) is not date or made > when):
            return False
        if type(e.supports) is not tuple:
            return False
    return True


# The last claim's derived values (its check result, evidence plan, checklist, minute view),
# so that letters for one claim (a preview, then each format) do not derive them again. One
# entry: it holds one claim's values, never grows with claims. Safe because a Claim is frozen
# and all its parts are (tuples, frozen records, a read-only facts mapping); keyed on
# identity. The claim is held weakly: when the caller lets it go, the memo goes with it, so
# no patient data outlives the claim here.
_LAST: tuple[weakref.ref[Claim] | None, dict[object, Any]] = (None, {})


def _per_claim(claim: Claim) -> dict[object, Any]:
    """The memo of derived values for ``claim`` (a fresh one when the claim is new)."""
    ref, memo = _LAST
    if ref is not None and ref() is claim:
        return memo
    memo = {}
    try:
        held = weakref.ref(claim, _forget)
    except TypeError:  # a Claim subclass without a weakref slot: no memo
        return memo
    globals()["_LAST"] = (held, memo)  # one tuple assignment: atomic for threads
    return memo


def _forget(ref: weakref.ref[Claim]) -> None:
    """Drop the memo of a claim that no longer exists (called by its weak reference)."""
    if _LAST[0] is ref:
        globals()["_LAST"] = (None, {})


def _check(claim: Claim, letter_date: object, memo: dict[object, Any] | None = None) -> date:
    if memo is not None and type(letter_date) is date and memo.get(("fine", letter_date)):
        return letter_date
    if _fine(claim, letter_date):
        if memo is not None:
            memo[("fine", letter_date)] = True
        assert isinstance(letter_date, date)
        return letter_date
    problems: list[tuple[str, str]] = []
    if isinstance(letter_date, datetime):
        problems.append(("letter_date", "expected a date, got a datetime (a date has no time)"))
        letter_date = None
    elif not isinstance(letter_date, date):
        raise TypeError(f"letter_date must be a datetime.date, not {type(letter_date).__name__}")

    def day(path: str, value: object, *, required: bool) -> None:
        if value is None and not required:
            return
        if isinstance(value, datetime):
            problems.append((path, "expected a date, got a datetime (a date has no time)"))
        elif not isinstance(value, date):
            problems.append((path, "expected a date"))
        elif letter_date is not None and value > letter_date:
            problems.append((path, "is after the letter date"))

    def text(path: str, value: object) -> None:
        if not isinstance(value, str):
            problems.append((path, "expected a string"))
        elif not value.strip():
            problems.append((path, "must not be empty"))

    def long(path: str, value: object) -> None:
        if isinstance(value, str) and len(value) > _MAX_TEXT:
            problems.append((path, f"longer than {_MAX_TEXT} characters"))
        elif isinstance(value, tuple) and any(
            isinstance(v, str) and len(v) > _MAX_TEXT for v in value
        ):
            problems.append((path, f"holds an item longer than {_MAX_TEXT} characters"))

    text("claim_number", claim.claim_number)
    text("patient.name", getattr(claim.patient, "name", None))
    text("patient.member_id", getattr(claim.patient, "member_id", None))
    text("provider.name", getattr(claim.provider, "name", None))
    text("payer.name", getattr(claim.payer, "name", None))
    if not isinstance(getattr(claim.payer, "plan_type", None), PlanType):
        problems.append(("payer.plan_type", "expected a PlanType"))
    birth = getattr(claim.patient, "birth_date", None)
    if isinstance(birth, datetime) or (birth is not None and not isinstance(birth, date)):
        problems.append(("patient.birth_date", "expected a date"))
    if not claim.services:
        problems.append(("services", "at least one service line is required"))
    for i, s in enumerate(claim.services):
        code = getattr(s, "code", None)
        if not isinstance(code, str) or not code.strip():
            problems.append((f"services[{i}].code", "expected a CPT or HCPCS code"))
        day(f"services[{i}].date", getattr(s, "date", None), required=True)
        for name in ("units", "charge"):
            value = getattr(s, name, None)
            problem = None if value is None and name == "charge" else _number_problem(value)
            if problem is not None:
                problems.append((f"services[{i}].{name}", problem))
    day("denial.notice_date", getattr(claim.denial, "notice_date", None), required=True)
    for i, e in enumerate(claim.evidence):
        _check_evidence(f"evidence[{i}]", e, problems, day)
    for k, v in claim.facts.items():
        if isinstance(v, datetime):
            problems.append((f"facts.{k}", "expected a date, got a datetime (a date has no time)"))
        long(f"facts.{k}", v)
    for path, record in (
        ("", claim),
        ("patient.", claim.patient),
        ("provider.", claim.provider),
        ("payer.", claim.payer),
        ("denial.", claim.denial),
    ):
        if attrs.has(type(record)):
            for f in attrs.fields(type(record)):
                long(path + f.name, getattr(record, f.name))
    for i, s in enumerate(claim.services):
        if attrs.has(type(s)):
            for f in attrs.fields(type(s)):
                long(f"services[{i}].{f.name}", getattr(s, f.name))
    if problems:
        raise ClaimDataError(problems)
    assert isinstance(letter_date, date)
    return letter_date


def _check_evidence(path: str, e: object, problems: list[tuple[str, str]], day: Any) -> None:
    if not isinstance(e, Evidence):
        problems.append((path, "expected an Evidence"))
        return
    kind: object = e.kind
    if not isinstance(kind, EvidenceKind):
        problems.append((f"{path}.kind", "expected an EvidenceKind"))
    for name in ("title", "source"):
        value = getattr(e, name)
        where = f"{path}.{name}"
        if not isinstance(value, str):
            problems.append((where, "expected a string"))
        elif name == "title" and not value.strip():
            problems.append((where, "must not be empty"))
        elif "\n" in value or "\r" in value:
            problems.append((where, "must be one line"))
        elif len(value) > _MAX_LINE:
            problems.append((where, f"longer than {_MAX_LINE} characters"))
    day(f"{path}.date", e.date, required=False)
    supports: object = e.supports
    if not isinstance(supports, tuple):
        problems.append((f"{path}.supports", "expected a tuple of fact names"))


def _resolve_codes(code: object) -> tuple[DenialCode, ...]:
    if type(code) is str:  # the common case: one code
        return (lookup(code),)
    if isinstance(code, (str, DenialCode)):
        items: list[object] = [code]
    elif isinstance(code, Sequence) and not isinstance(code, (bytes, bytearray)):
        items = list(code)
    else:
        raise TypeError(
            f"code must be a code string, a DenialCode or a sequence of them, not "
            f"{type(code).__name__}"
        )
    if not items:
        raise InvalidCodeError("no denial code was given")
    out: dict[str, DenialCode] = {}
    for item in items:
        c = item if isinstance(item, DenialCode) else lookup(item)  # type: ignore[arg-type]
        out.setdefault(c.key, c)
    return tuple(out.values())


# ------------------------------------------------------------------------ context


def _units(value: Decimal) -> int | Decimal:
    if value == 1:
        return 1
    if isinstance(value, Decimal) and value == value.to_integral_value():
        return int(value)
    return value


_CENT: Final = Decimal("0.01")


def _money(value: Decimal | None) -> str | None:
    if value is None:
        return None
    # checked by _fine or _check: finite and under _MAX_NUMBER, so it fits to the cent
    exact = value if type(value) is Decimal else Decimal(value)  # no copy of a Decimal
    return f"${exact.quantize(_CENT):,}"


def _and(items: Sequence[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} and {items[-1]}"


def _fact_value(value: object) -> object:
    if isinstance(value, date):
        return format_date(value)
    return value


def _lines(text: str) -> list[str]:
    """A multi-line value (an address) as the lines of a block: trimmed, blank ones dropped,
    so that no value ends a block or starts a paragraph of its own."""
    return [line.strip() for line in text.split("\n") if line.strip()]


def _paragraphs(text: str) -> tuple[str, ...]:
    """Blank lines end a paragraph; a line starting ``- `` starts a list item; other lines
    join the line before them. Lines are trimmed (as ``str.strip`` trims)."""
    text = text.strip()
    if "\n" not in text:  # one line: the common request block
        return (text,) if text else ()
    blocks = text.split("\n\n")
    for block in blocks:  # the common argument: trimmed one-line paragraphs, one blank line
        if not block or "\n" in block or block.strip() != block:  # apart: as they are
            break
    else:
        return tuple(blocks)
    out: list[str] = []
    for block in "\n".join([line.strip() for line in text.split("\n")]).split("\n\n"):
        block = block.strip("\n")  # a third newline in a row: no line of its own
        if not block:
            continue
        if "\n" not in block:
            out.append(block)
        elif "\n- " not in block:  # no list item after the first line: one paragraph
            out.append(block.replace("\n", " "))
        else:
            merged: list[str] = []
            for line in block.split("\n"):
                if not merged or line.startswith("- "):
                    merged.append(line)
                else:
                    merged[-1] += " " + line
            out.append("\n".join(merged))
    return tuple(out)


# ------------------------------------------------------------------------ appeal()


def appeal(
    code: str | DenialCode | Sequence[str | DenialCode],
    claim: Claim,
    *,
    level: int | None = None,
    template: str | StringTemplate | None = None,
    registry: TemplateRegistry | None = None,
    letter_date: date | None = None,
    strict: bool = False,
) -> Letter:
    """Write the appeal letter for a denial.

    Args:
        code: the denial code (anything :func:`denialkit.lookup` accepts, e.g. ``"CO-50"``,
            ``"CCM21"``), a :class:`~denialkit.codes.DenialCode`, or several codes; the first
            code with a code-specific template decides the template.
        claim: the claim.
        level: the appeal level to request (default: the level after ``claim.denial.level``).
        template: a template name (``"builtin/generic.txt.j2"``, ``"generic"``) or a
            :class:`~denialkit.templates.StringTemplate`; default: the registry's choice.
        registry: the :class:`~denialkit.templates.TemplateRegistry` (default:
            :func:`~denialkit.templates.default_registry`).
        letter_date: the date on the letter (default: today).
        strict: raise instead of marking missing facts, and instead of returning a letter
            that fails its own check (an error in :attr:`Letter.report`).

    Raises:
        TypeError: an argument has the wrong type.
        InvalidCodeError: a code is not in the code grammar.
        UnknownCodeError: a code is not in the code tables.
        ClaimDataError: a date is a ``datetime``, a service or notice date is after the
            letter date, or a required field is empty; names every path at once.
        DeadlineError: the plan type has no such appeal level.
        TemplateNotFoundError: no template of that name (lists what was searched).
        TemplateRenderError: the template failed (names template and line, never values).
        MissingFactsError: ``strict=True`` and facts are missing (lists them all).
        LetterValidationError: ``strict=True`` and the letter's report has an error, such
            as template syntax left in a claim value (DK301); ``findings`` holds the errors.

    >>> letter = appeal(["CO-197"], example_claim("CO-197"), letter_date=date(2026, 11, 2))
    >>> letter.template, [c.key for c in letter.codes]
    ('builtin/carc-197.txt.j2', ['CO-197'])
    """
    deps = _deps()

    if not isinstance(claim, Claim):
        raise TypeError(f"claim must be a denialkit Claim, not {type(claim).__name__}")
    if not isinstance(strict, bool):
        raise TypeError("strict must be True or False")
    if registry is None:
        registry = deps.default_registry()
    elif not isinstance(registry, deps.registry):
        raise TypeError(f"registry must be a TemplateRegistry, not {type(registry).__name__}")
    if template is not None and not isinstance(template, (str, deps.string_template)):
        raise TypeError(
            f"template must be a template name or a StringTemplate, not {type(template).__name__}"
        )
    if level is not None and (isinstance(level, bool) or not isinstance(level, int)):
        raise TypeError(f"level must be a whole number, not {type(level).__name__}")
    given = _resolve_codes(code)
    memo = _per_claim(claim)
    today = _check(claim, date.today() if letter_date is None else letter_date, memo)
    codes = _with_remarks(given, claim.denial.codes)

    # the level and its deadline
    number = level if level is not None else claim.denial.level + 1
    plan = claim.payer.plan_type
    ladder = deps.ladders.get(plan)
    if ladder is not None and type(number) is int and 0 < number <= len(ladder):
        appeal_level = ladder[number - 1]  # as deps.level finds it, without its checks
    else:
        appeal_level = deps.level(plan, number)  # raises DeadlineError for a level it lacks
    title, a_noun = _nouns(plan, number, appeal_level.name)

    # the template
    target: str | StringTemplate
    if isinstance(template, deps.string_template):
        name, meta, target = template.name, template.meta, template
    else:
        info = registry.get(template) if template is not None else registry.resolve(codes)
        name, meta, target = info.name, info.meta, info.name
    used = registry.used_names(target)

    # the context: standard names plus the facts the template reads
    facts = claim.facts
    held_services = memo.get("services")  # the services as the template and subject read them
    if held_services is None:
        held_services = memo["services"] = _services_view(claim)
    services, _, service_codes, _, dates = held_services
    views = [_code_view(codes[0])] if len(codes) == 1 else [_code_view(c) for c in codes]
    code_views = tuple([v[0] for v in views])
    notice = _date_text(claim.denial.notice_date)
    reason = claim.denial.reason
    if _absent(reason):
        reason = None
    context: dict[str, object] = {
        "code": code_views[0],
        "codes": code_views,
        "services": services,
        "service_codes": service_codes,
        "service_dates": dates,
        "plan": _PLAN_VALUES[plan],
        "medicare": plan is _MEDICARE,
        "level": {"number": number, "name": appeal_level.name, "request": title},
        "payer": claim.payer.name,
        "practice": claim.provider.name,
        "notice_date": notice,
        "denial_reason": reason,
        # care-management minute thresholds: the one table the knowledge and DK505 read too
        "care_minutes": memo.get("care_minutes") or _care_view(claim, memo),
    }
    held = memo.get("evidence")
    if held is None or held[0] is not meta.expects:
        held = memo["evidence"] = (
            meta.expects,
            _evidence_plan(claim_evidence(claim), meta.expects, notice),
        )
    ev_plan: _EvidencePlan = held[1]
    context["enclosed"] = ev_plan.enclosed
    required, optional, extra_used = _fact_plan(meta, used)
    absent_facts: list[str] = []
    get = _fact_lookup(facts)
    for fact, label in required:
        value = get(fact)
        present: object
        if type(value) is str:  # the common cases first, each decided by its type
            present = value and not value.isspace()
        elif type(value) is int or type(value) is date:
            present = True
        else:
            present = not (value is None or value == "" or value == ())
        if not present:
            context[fact] = deps.missing_fact(label)
            absent_facts.append(label)
        else:
            context[fact] = _date_text(value) if isinstance(value, date) else value
    for fact in optional:
        value = get(fact)
        context[fact] = None if _absent(value) else _fact_value(value)
    for fact in extra_used:  # an override template reading facts its metadata leaves out
        if fact in facts and fact not in context:
            context[fact] = _fact_value(facts[fact])

    blocks = registry.render_blocks(target, context)
    text_argument = blocks["argument"]
    held = memo.get("argument")  # the same claim renders the same text: split it once
    if held is None or held[0] != text_argument:
        held = memo["argument"] = (text_argument, _paragraphs(text_argument))
    argument = held[1]
    due = _deadline_or_none(claim, number)
    late_by = (today - due.due).days if due is not None and today > due.due else 0
    if late_by:
        argument += (_good_cause(claim, plan, number, deps, absent_facts),)
    extra = " ".join(_paragraphs(blocks["request"]))

    # the layout, written here (never by a template) so every letter has every part; the
    # parts that depend on the claim alone are built once per claim, level and codes
    held = memo.get("frame")
    if held is None or held[0] != number or not _same(held[1], codes):
        frame = _frame(
            claim, plan, number, title, a_noun, codes, views, notice, reason, held_services
        )
        held = memo["frame"] = (number, codes, frame)
    frame = held[2]
    missing = list(frame.missing)
    request = f"{frame.request} {extra}" if extra else frame.request

    # which facts the template needed: the ones whose marker it printed
    rendered = (
        blocks["argument"] + blocks["request"] + "\n".join(argument[-1:]) if absent_facts else ""
    )
    for label in absent_facts:
        if f"[MISSING: {label}]" in rendered and label not in missing:
            missing.append(label)
    if strict and missing:
        raise MissingFactsError(missing)
    held = memo.get("warnings")
    if (
        held is None
        or held[0] != (today, due, late_by)
        or not _same(held[1], given)
        or not _same(held[2], codes)
    ):
        held = memo["warnings"] = (
            (today, due, late_by),
            given,
            codes,
            _warnings(given, codes, claim, due, today, late_by),
        )
    warnings = held[3]
    if strict and warnings:
        raise LetterWarningError(warnings)
    held = memo.get("checklist")
    if held is None or held[0] is not meta or not _same(held[1], codes):
        items = _checklist(meta, codes, claim, service_codes, ev_plan.kinds)
        held = memo["checklist"] = (meta, codes, items)
    checklist = held[2]

    text = "\n\n".join(
        [
            frame.top,
            _date_text(today),
            frame.middle,
            *argument,
            request,
            ev_plan.text,
            frame.bottom,
        ]
    )
    letter = Letter(  # by position, in the order of the fields: 20 keywords cost ~9k instructions
        text + "\n",  # text
        claim,
        codes,
        today,  # letter_date
        tuple(missing),
        appeal_level,  # level
        name,  # template
        frame.sender,
        frame.recipient,
        frame.subject,
        _SALUTATION,
        frame.opening,
        frame.quoted,  # denial
        argument,
        request,
        ev_plan.enclosures,
        _CLOSING,
        frame.signature,
        checklist,
        warnings,
    )
    if strict and not letter.report.ok:  # the letter fails its own check
        from .validation import validate

        validate(letter)  # raises LetterValidationError naming each error's rule and line
    return letter


# ------------------------------------------------------------------------ layout

_SALUTATION: Final = "Dear appeals reviewer:"
_CLOSING: Final = "Sincerely,"


class _Frame(NamedTuple):
    """The parts of a letter that depend on the claim, the level and the codes alone (not on
    the template or the letter date), with the text they make."""

    sender: tuple[str, ...]
    recipient: tuple[str, ...]
    subject: tuple[tuple[str, str], ...]
    opening: str
    quoted: tuple[str, ...]
    request: str
    signature: tuple[str, ...]
    missing: tuple[str, ...]
    top: str  # the sender block
    middle: str  # from the recipient to the quoted denial
    bottom: str  # the closing and the signature

    def __repr__(self) -> str:  # the parts hold patient data: none of it in a repr
        return f"<_Frame missing={len(self.missing)}>"


def _frame(
    claim: Claim,
    plan: PlanType,
    number: int,
    title: str,
    a_noun: str,
    codes: tuple[DenialCode, ...],
    views: list[_CodeView],
    notice: str,
    reason: str | None,
    services: _ServicesView,
) -> _Frame:
    """The claim's parts of a letter, each built by its own function; ``missing`` lists the
    labels of the values they lacked, in the order the parts appear."""
    missing: list[str] = []
    _, service_texts, _, service_dates, dates = services
    sender = _sender(claim, missing)
    recipient = _recipient(claim, missing)
    subject = _subject(claim, plan, title, codes, service_texts, service_dates, dates, missing)
    opening = _opening(claim, plan, number, a_noun, dates, missing)
    quoted = _quoted(codes, views, notice, reason)
    signature = _signature(claim, missing)
    middle = [
        "\n".join(recipient),
        "\n".join([f"{k}: {v}" for k, v in subject]),
        _SALUTATION,
        opening,
        *quoted,
    ]
    return _Frame(  # by position: keywords cost a NamedTuple more than the parts
        sender,
        recipient,
        subject,
        opening,
        quoted,
        f"We request {a_noun} of claim {claim.claim_number}.",
        signature,
        tuple(missing),
        "\n".join(sender),
        "\n\n".join(middle),
        f"{_CLOSING}\n\n" + "\n".join(signature),
    )


def _need(value: object, key: str, missing: list[str]) -> str:
    """A value the layout needs, or its ``[MISSING: ...]`` marker (its label noted)."""
    if type(value) is str and value and not value.isspace():
        return value
    if not _absent(value):
        return str(value)
    label = _CORE_LABELS[key]
    if label not in missing:
        missing.append(label)
    return f"[MISSING: {label}]"


def _sender(claim: Claim, missing: list[str]) -> tuple[str, ...]:
    """The practice's lines: name, address (marked when absent: it is how a reviewer
    reaches the sender when no phone number or email is given), contacts, NPI."""
    p = claim.provider
    sender = [p.name, *_lines(_need(p.address, "address", missing))]
    for label, value in (("Phone", p.phone), ("Fax", p.fax), ("Email", p.email), ("NPI", p.npi)):
        if value and not str(value).isspace():
            sender.append(f"{label}: {value}")
    return tuple(sender)


def _recipient(claim: Claim, missing: list[str]) -> tuple[str, ...]:
    """The payer's lines: name, appeals address, fax."""
    pay = claim.payer
    recipient = [pay.name]
    has_fax = not _absent(pay.fax)
    if not _absent(pay.appeals_address):
        recipient.extend(_lines(str(pay.appeals_address)))
    elif not has_fax:
        recipient.append(_need(None, "recipient", missing))
    if has_fax:
        recipient.append(f"Fax: {pay.fax}")
    return tuple(recipient)


def _subject(
    claim: Claim,
    plan: PlanType,
    title: str,
    codes: tuple[DenialCode, ...],
    service_texts: tuple[str, ...],
    service_dates: tuple[date, ...],
    dates: str,
    missing: list[str],
) -> tuple[tuple[str, str], ...]:
    """The ``(label, value)`` lines of the subject block."""
    pat = claim.patient
    who, ident = _WHO.get(plan, ("Patient", "Member ID"))
    subject: list[tuple[str, str]] = [
        ("Re", f"Request for {title}"),
        (who, pat.name),
        (ident, pat.member_id),
    ]
    if plan in _GROUP_PLANS or not _absent(pat.group_number):
        subject.append(("Group number", _need(pat.group_number, "group", missing)))
    if pat.birth_date is not None:
        subject.append(("Date of birth", _date_text(pat.birth_date)))
    subject.append(("Claim number", claim.claim_number))
    subject.append(("Dates of service" if len(service_dates) > 1 else "Date of service", dates))
    subject.append(("Services" if len(service_texts) > 1 else "Service", "; ".join(service_texts)))
    subject.append(
        ("Denial codes" if len(codes) > 1 else "Denial code", ", ".join([c.key for c in codes]))
    )
    return tuple(subject)


def _opening(
    claim: Claim, plan: PlanType, number: int, a_noun: str, dates: str, missing: list[str]
) -> str:
    """The first paragraph: who asks for what, about which claim."""
    opening = (
        f"{claim.provider.name} asks {claim.payer.name} for {a_noun} of claim "
        f"{claim.claim_number}, for the services provided to {claim.patient.name} on {dates}."
    )
    if plan is _MEDICARE and number == 2:
        contractor = claim.facts.get("redetermination_contractor")
        opening += (
            " The redetermination was decided by "
            f"{_need(contractor if isinstance(contractor, str) else None, 'contractor', missing)}."
        )
    return opening


def _quoted(
    codes: tuple[DenialCode, ...], views: list[_CodeView], notice: str, reason: str | None
) -> tuple[str, ...]:
    """The paragraphs quoting the denial: its date and codes, then its reason."""
    head = f"Your notice dated {notice} denied the claim with " + (
        "these codes:" if len(codes) > 1 else "this code:"
    )
    quoted = [head + "".join([v[1] for v in views])]
    if reason is not None:
        quoted.append(f'The notice gives this reason: "{" ".join(reason.split())}"')
    return tuple(quoted)


def _signature(claim: Claim, missing: list[str]) -> tuple[str, ...]:
    """The signer's lines: name, title, practice, NPI."""
    p = claim.provider
    signature = [
        _need(p.signer_name, "signer", missing),
        _need(p.signer_title, "title", missing),
        p.name,
    ]
    if p.npi and not str(p.npi).isspace():
        signature.append(f"NPI: {p.npi}")
    return tuple(signature)


_ServicesView = tuple[
    tuple[dict[str, Any], ...], tuple[str, ...], tuple[str, ...], tuple[date, ...], str
]


def _services_view(claim: Claim) -> _ServicesView:
    """The services as the template reads them, their subject texts, their distinct codes,
    their dates and the dates' phrase (per claim; the template cannot change them, the
    sandbox is immutable)."""
    services: list[dict[str, Any]] = []
    service_texts: list[str] = []
    for s in claim.services:
        units = _units(s.units)
        charge = _money(s.charge)
        when = s.date
        services.append(
            {
                "code": s.code,
                "modifiers": s.modifiers,
                "units": units,
                "charge": charge,
                "date": _date_text(when),
                "month": _month(when),
                "diagnoses": s.diagnoses,
                "description": s.description,
            }
        )
        head = "-".join((s.code, *s.modifiers)) if s.modifiers else s.code
        if units != 1:
            head += f" ({units} units, billed {charge})" if charge else f" ({units} units)"
        elif charge:
            head += f" (billed {charge})"
        service_texts.append(head)
    if len(services) == 1:  # the common case: its date and code as they are
        one = services[0]
        return (one,), (service_texts[0],), (one["code"],), (claim.services[0].date,), one["date"]
    service_dates = claim.service_dates
    dates = _and([_date_text(d) for d in service_dates])
    service_codes = tuple(dict.fromkeys([s["code"] for s in services]))
    return tuple(services), tuple(service_texts), service_codes, service_dates, dates


def _same(a: tuple[object, ...], b: tuple[object, ...]) -> bool:
    """The same objects, in the same order (identity: no ``__eq__`` of records)."""
    return a is b or (len(a) == len(b) and all(map(is_, a, b)))


# keyed on the billed codes of the minute table (its own codes) with their units: no other
# claim value; bounded (cleared past 256 entries)
_CARE_VIEWS: dict[tuple[tuple[str, Decimal | int], ...], dict[str, object]] = {}


def _care_view(claim: Claim, memo: dict[object, Any]) -> dict[str, object]:
    """The ``care_minutes`` view (shared: templates cannot change it, the sandbox is
    immutable). Codes outside the minute table do not change it, so they are left out."""
    table = _care_minutes.MINUTES
    billed = tuple([(s.code, s.units) for s in claim.services if s.code in table])
    try:
        view = _CARE_VIEWS.get(billed)
    except TypeError:  # an unhashable number (a claim changed after its checks)
        view = _care_minutes.letter_view(billed)
    else:
        if view is None:
            view = _care_minutes.letter_view(billed)
            if len(_CARE_VIEWS) >= 256:
                _CARE_VIEWS.clear()
            _CARE_VIEWS[billed] = view
    memo["care_minutes"] = view
    return view


def claim_evidence(claim: Claim) -> tuple[Evidence, ...]:
    """The claim's evidence, with the old ``facts["enclosures"]`` strings read as kind
    ``other`` (for a claim built in Python; ``Claim.from_dict()``
    converts them itself).

    >>> claim = example_claim("CO-50")
    >>> old = claim.evolve(evidence=(), facts={**claim.facts, "enclosures": ["Office notes"]})
    >>> claim_evidence(old)
    (<Evidence kind='other' supports=()>,)
    """
    legacy = claim.facts.get("enclosures")
    if isinstance(legacy, str) or not isinstance(legacy, (tuple, list)) or not legacy:
        return claim.evidence
    extra = tuple(
        Evidence(EvidenceKind.OTHER, t.strip())
        for t in legacy
        if isinstance(t, str) and t.strip() and "\n" not in t and "\r" not in t
    )
    return claim.evidence + extra


def enclosure_lines(evidence: Sequence[Evidence]) -> tuple[str, ...]:
    """One enclosure line per document: its title and its dates. Items with the same kind
    and title share a line; the denial notice is left out (the letter always lists it first).

    >>> from denialkit.claim import Evidence
    >>> for line in enclosure_lines([
    ...     Evidence("rating-scale", "PHQ-9 results", date(2026, 9, 3)),
    ...     Evidence("consent", "Signed consent form", date(2026, 9, 2)),
    ...     Evidence("rating-scale", "PHQ-9 results", date(2026, 9, 28)),
    ... ]):
    ...     print(line)
    PHQ-9 results of September 3, 2026 and September 28, 2026
    Signed consent form of September 2, 2026
    """
    return tuple(line for _, line in _groups(evidence))


_NONE_ENCLOSED: Final[dict[str, str | None]] = {k.value: None for k in EvidenceKind}


class _EvidencePlan(NamedTuple):
    """What a letter makes of the claim's evidence: the kinds it holds, the ``enclosed``
    mapping the template reads, the enclosures (the notice first) and their numbered block."""

    kinds: frozenset[EvidenceKind]
    enclosed: dict[str, str | None]
    enclosures: tuple[str, ...]
    text: str

    def __repr__(self) -> str:  # the lines hold patient data: none of it in a repr
        return f"<_EvidencePlan enclosures={len(self.enclosures)}>"


def _evidence_plan(
    evidence: tuple[Evidence, ...], expects: tuple[ChecklistItem, ...], notice: str
) -> _EvidencePlan:
    """The letter's enclosures, in the order the argument uses them, and what goes with them.

    Enclosure lines come in the order of the template's ``expects`` (a kind's first mention);
    kinds it does not expect follow, in the claim's order. Computed for each claim (no cache
    outlives the claim: the titles and dates are the claim's); the mapping is shared by the
    letters of one claim, which is safe because templates cannot change it (the sandbox is
    immutable)."""
    first = f"Copy of the denial notice dated {notice}"
    if not evidence:
        return _EvidencePlan(frozenset(), _NONE_ENCLOSED, (first,), _numbered([first]))
    groups = _groups(evidence)
    if len(groups) > 1 and expects:
        # a group's items share its kind, so ordering the groups by their kind's rank (a
        # stable sort) orders them as grouping the evidence sorted by that rank would
        rank = _ranks(expects)
        get, last = rank.get, len(rank)
        groups.sort(key=lambda g: get(g[0], last))
    enclosed = dict(_NONE_ENCLOSED)
    enclosures = [first]
    for kind, line in groups:
        # a kind is a str equal to its value: it finds the value's key (which stays a str)
        have = enclosed[kind]
        enclosed[kind] = line if have is None else f"{have}; {line}"
        if line not in enclosures:
            enclosures.append(line)
    kinds = frozenset([e.kind for e in evidence])
    return _EvidencePlan(kinds, enclosed, tuple(enclosures), _numbered(enclosures))


# what goes before each enclosure of the block: the heading and "1. ", then "\n2. ", ...
_NUMBERS: Final = ("Enclosures:\n1. ", *(f"\n{i}. " for i in range(2, 65)))


def _numbered(enclosures: list[str]) -> str:
    """The enclosure block: a heading, then the enclosures numbered from 1."""
    if 0 < len(enclosures) <= len(_NUMBERS):  # joined in one pass, no number formatted
        return "".join(chain.from_iterable(zip(_NUMBERS, enclosures, strict=False)))
    return "Enclosures:\n" + "\n".join([f"{i}. {e}" for i, e in enumerate(enclosures, 1)])


# keyed on the identity of a template's ``expects`` (template metadata, no claim value);
# bounded (cleared past 512 entries)
_RANKS: dict[int, tuple[tuple[ChecklistItem, ...], dict[EvidenceKind, int]]] = {}


def _ranks(expects: tuple[ChecklistItem, ...]) -> dict[EvidenceKind, int]:
    """Each expected kind's place in the argument (its first mention in ``expects``)."""
    hit = _RANKS.get(id(expects))
    if hit is not None and hit[0] is expects:
        return hit[1]
    rank: dict[EvidenceKind, int] = {}
    for item in expects:
        rank.setdefault(item.kind, len(rank))
    if len(_RANKS) >= 512:
        _RANKS.clear()
    _RANKS[id(expects)] = (expects, rank)
    return rank


def _groups(evidence: Sequence[Evidence]) -> list[tuple[EvidenceKind, str]]:
    """``(kind, enclosure line)`` per document, in the order of each one's first item: same
    kind and title share a line, which gives their dates in order."""
    groups: dict[tuple[EvidenceKind, str], list[date]] = {}
    notice = _DENIAL_NOTICE
    for e in evidence:
        kind = e.kind
        if kind is notice:
            continue
        key = (kind, e.title.strip().rstrip("."))
        day = e.date
        days = groups.get(key)
        if days is None:
            groups[key] = [] if day is None else [day]
        elif day is not None and day not in days:
            days.append(day)
    out = []
    for (kind, title), days in groups.items():
        if not days:
            out.append((kind, title))
        elif len(days) == 1:
            day = days[0]
            if type(day) is date:  # _date_text, written out: a call per document costs more
                year = _YEARS.get(day.year) or day.year
                out.append((kind, f"{title} of {_MONTH_DAY[day.month][day.day]}, {year}"))
            else:
                out.append((kind, f"{title} of {format_date(day)}"))
        else:
            days.sort()
            out.append((kind, f"{title} of {_and([format_date(d) for d in days])}"))
    return out


def _checklist(
    meta: TemplateMeta,
    codes: tuple[DenialCode, ...],
    claim: Claim,
    billed: tuple[str, ...],
    held: frozenset[EvidenceKind],
) -> tuple[ChecklistItem, ...]:
    """The expected evidence that applies to the billed services (``billed``: their distinct
    codes) and facts, and whose kind the claim's evidence (``held``) lacks."""
    items = meta.expects or _legacy_expects(meta, codes)
    if not items:
        return ()
    unique, reads_facts = _checklist_plan(items)
    present: frozenset[str] = frozenset()
    if reads_facts:
        present = frozenset([k for k, v in claim.facts.items() if not _absent(v)])
    return tuple([i for i in unique if i.kind not in held and i.applies(billed, present)])


# keyed on the identity of a template's checklist items (template metadata, no claim
# value); bounded (cleared past 512 entries)
_CHECKLIST_PLANS: dict[
    int, tuple[tuple[ChecklistItem, ...], tuple[tuple[ChecklistItem, ...], bool]]
] = {}


def _checklist_plan(items: tuple[ChecklistItem, ...]) -> tuple[tuple[ChecklistItem, ...], bool]:
    """The items without repeats (an equal item decides as its first copy does) and whether
    any of them reads the facts."""
    hit = _CHECKLIST_PLANS.get(id(items))
    if hit is not None and hit[0] is items:
        return hit[1]
    unique: list[ChecklistItem] = []
    for item in items:
        if item not in unique:
            unique.append(item)
    plan = (tuple(unique), any(i.when or i.unless for i in items))
    if len(_CHECKLIST_PLANS) >= 512:
        _CHECKLIST_PLANS.clear()
    _CHECKLIST_PLANS[id(items)] = (items, plan)
    return plan


@functools.lru_cache(maxsize=256)
def _legacy_expects(meta: TemplateMeta, codes: tuple[DenialCode, ...]) -> tuple[ChecklistItem, ...]:
    """Checklist items for a template without ``expects``: its pack's ``enclosures``, else
    the codes' evidence advice (when ``evidence`` is on), as kind ``other``."""
    from .templates import ChecklistItem

    if meta.enclosures:
        why = "The template's pack lists it as supporting evidence."
        return tuple(
            ChecklistItem(EvidenceKind.OTHER, e, why) for e in _clean_items(meta.enclosures)
        )
    if not meta.evidence:
        return ()
    return tuple(
        ChecklistItem(EvidenceKind.OTHER, e, f"The guidance for {c.key} lists it.")
        for c in codes
        for e in _code_view(c)[2]
    )


def _with_remarks(given: tuple[DenialCode, ...], notice: tuple[str, ...]) -> tuple[DenialCode, ...]:
    """The codes appealed, with the remark codes (RARCs) the notice gives with them, so the
    letter cites every code of the adjustment it answers (CO-16 with N290)."""
    if len(notice) < 2:
        return given
    refs = _notice_refs(notice)
    if not any(_on_notice(c, refs) for c in given):
        return given
    have = {c.key for c in given}
    extra = []
    for ref in refs:
        if ref.system is CodeSystem.RARC and ref.code not in have:
            code = get(ref.code)
            if code is not None:
                extra.append(code)
                have.add(code.key)
    return given + tuple(extra)


@functools.lru_cache(maxsize=1024)
def _notice_refs(notice: tuple[str, ...]) -> tuple[Any, ...]:
    out = []
    for text in notice:
        try:
            out.append(parse(text))
        except (InvalidCodeError, TypeError):
            continue  # the validator reports a malformed code; the letter goes on
    return tuple(out)


def _on_notice(code: DenialCode, refs: tuple[Any, ...]) -> bool:
    group = code.group.code if code.group is not None else None
    value = code.code
    for ref in refs:  # a plain loop: a generator costs more than these few references
        if ref.code == value and (group is None or ref.group is None or ref.group == group):
            return True
    return False


def _deadline_or_none(claim: Claim, number: int) -> Deadline | None:
    pay = claim.payer
    try:
        return _deadline_cached(
            pay.plan_type, number, claim.denial.notice_date, pay.appeal_window_days
        )
    except TypeError:  # an unhashable value (the claim was built by hand): no cache
        return _deadline_of(pay.plan_type, number, claim.denial.notice_date, pay.appeal_window_days)


def _deadline_of(plan: PlanType, number: int, notice: date, window: int | None) -> Deadline | None:
    """The deadline as :func:`~denialkit.deadlines.deadline_for` computes it for a claim."""
    from .deadlines import deadline, level

    try:
        rec = level(plan, number)
        days = window if rec.payer_window != "none" else None
        return deadline(plan, number, notice, window_days=days)
    except (DeadlineError, TypeError):
        return None


_deadline_cached = functools.lru_cache(maxsize=1024)(_deadline_of)


_GOOD_CAUSE_RULES: Final = {
    (PlanType.MEDICARE, 1): "42 CFR 405.942(b)",
    (PlanType.MEDICARE, 2): "42 CFR 405.962(b)",
}


def _good_cause(claim: Claim, plan: PlanType, number: int, deps: _Deps, absent: list[str]) -> str:
    """The paragraph a late request needs: the good cause for filing late."""
    label = "good cause for late filing"
    reason = claim.facts.get("good_cause")
    if _absent(reason) or not isinstance(reason, str):
        text = str(deps.missing_fact(label))
        if label not in absent:
            absent.append(label)
    else:
        text = reason.strip().rstrip(".")
    rule = _GOOD_CAUSE_RULES.get((plan, number))
    ask = (
        f"We ask that the time limit be extended for good cause under {rule}"
        if rule
        else "We ask that this request be accepted after the filing period for good cause"
    )
    return f"This request is made after the filing period for this appeal. {ask}: {text}."


_SOON: Final = 7


def _warnings(
    given: tuple[DenialCode, ...],
    codes: tuple[DenialCode, ...],
    claim: Claim,
    due: Deadline | None,
    today: date,
    late_by: int,
) -> tuple[LetterWarning, ...]:
    out: list[LetterWarning] = []
    if late_by:
        out.append(
            LetterWarning(
                WarningKind.LATE,
                f"the letter is dated {late_by} day{'s' if late_by != 1 else ''} after the "
                "filing deadline; it needs good cause to be accepted",
                days=late_by,
            )
        )
    elif due is not None and (due.due - today).days <= _SOON:
        left = (due.due - today).days
        out.append(
            LetterWarning(
                WarningKind.DEADLINE_SOON,
                f"the filing deadline is {left} day{'s' if left != 1 else ''} after the letter "
                "date; send it so that it is received in time",
                days=left,
            )
        )
    if claim.denial.codes:
        refs = _notice_refs(claim.denial.codes)
        for c in given:
            if not _on_notice(c, refs):
                out.append(
                    LetterWarning(
                        WarningKind.CODE_NOT_ON_NOTICE,
                        f"{c.key} is not among the codes on the denial notice",
                        code=c.key,
                    )
                )
    plan = claim.payer.plan_type
    actions: set[str | None] = set()
    for c in codes:  # one warning per recommended action (CO-16 speaks for its N290)
        w = _remedy_warning(c, plan)
        if w is not None and w.action not in actions:
            actions.add(w.action)
            out.append(w)
    return tuple(out)


# keyed on the identity of a code record and the plan type (no claim value); bounded
_REMEDIES: dict[tuple[int, PlanType], tuple[DenialCode, LetterWarning | None]] = {}


def _remedy_warning(code: DenialCode, plan: PlanType) -> LetterWarning | None:
    """:func:`_remedy_warning_of`, once per code record and plan (a warning is frozen)."""
    hit = _REMEDIES.get((id(code), plan))
    if hit is not None and hit[0] is code:
        return hit[1]
    warning = _remedy_warning_of(code, plan)
    if len(_REMEDIES) >= 1024:
        _REMEDIES.clear()
    _REMEDIES[(id(code), plan)] = (code, warning)
    return warning


def _remedy_warning_of(code: DenialCode, plan: PlanType) -> LetterWarning | None:
    """A warning when the code's knowledge says an appeal is not the remedy: the code is not
    appealable, or it is a timely-filing denial from original Medicare (which gives no
    appeal right for one) and the knowledge does not call it plainly appealable."""
    if code.appealable is Appealable.NO and code.action is not Action.APPEAL:
        reason = "an appeal is not the remedy for this code"
    elif (
        plan is PlanType.MEDICARE
        and code.category is Category.TIMELY_FILING
        and code.appealable is not Appealable.YES
    ):
        reason = "Medicare gives no appeal right for a timely-filing denial"
    else:
        return None
    action = code.action if code.action is not Action.APPEAL else None
    instead = f"; recommended: {action.label.lower()}" if action is not None else ""
    return LetterWarning(
        WarningKind.NOT_THE_REMEDY,
        f"{code.key}: {reason}{instead}",
        code=code.key,
        action=action.value if action is not None else None,
    )


class _Deps(NamedTuple):
    level: Any
    ladders: dict[PlanType, tuple[AppealLevel, ...]]
    string_template: Any
    registry: Any
    default_registry: Any
    missing_fact: Any


@functools.cache
def _deps() -> _Deps:
    """What appeal() needs from other modules, imported on first use (Jinja2 loads here)."""
    from .deadlines import level, levels
    from .templates import MissingFact, StringTemplate, TemplateRegistry, default_registry

    ladders = {plan: levels(plan) for plan in PlanType}  # each plan type's levels, in order
    return _Deps(level, ladders, StringTemplate, TemplateRegistry, default_registry, MissingFact)


_CodeView = tuple[dict[str, str], str, tuple[str, ...]]
_VIEWS: dict[int, tuple[DenialCode, _CodeView]] = {}


def _code_view(code: DenialCode) -> _CodeView:
    """A code as templates see it, its line in the quoted denial and its evidence as
    enclosures; cached by identity (bounded: at most 1,024 codes, never one per claim;
    templates cannot change the dict, the sandbox is immutable)."""
    hit = _VIEWS.get(id(code))
    if hit is not None and hit[0] is code:
        return hit[1]
    if len(_VIEWS) >= 1024:
        _VIEWS.clear()
    evidence = code.knowledge.evidence if code.knowledge is not None else ()
    view = (_view(code), f"\n- {code.key}: {code.summary}", _clean_items(evidence))
    _VIEWS[id(code)] = (code, view)
    return view


def _clean_items(items: Sequence[str]) -> tuple[str, ...]:
    out: list[str] = []
    for item in items:
        text = item.strip().rstrip(".")
        if text and text not in out:
            out.append(text)
    return tuple(out)


def _view(code: DenialCode) -> dict[str, str]:
    return {
        "key": code.key,
        "code": code.code,
        "system": code.system.value,
        "summary": code.summary,
        "category": code.category.value,
        "category_label": code.category.label,
    }


_FactPlan = tuple[tuple[tuple[str, str], ...], tuple[str, ...], tuple[str, ...]]
# keyed on the identity of the metadata (a registry's TemplateMeta lives as long as the
# registry): comparing two equal metadata records field by field costs more than the plan;
# bounded (cleared past 512 entries)
_FACT_PLANS: dict[int, tuple[TemplateMeta, frozenset[str], _FactPlan]] = {}


def _fact_plan(meta: TemplateMeta, used: frozenset[str]) -> _FactPlan:
    """Per template: required facts with labels, optional facts it uses, other names it reads."""
    hit = _FACT_PLANS.get(id(meta))
    if hit is not None and hit[0] is meta and hit[1] is used:
        return hit[2]
    plan = _fact_plan_of(meta, used)
    if len(_FACT_PLANS) >= 512:
        _FACT_PLANS.clear()
    _FACT_PLANS[id(meta)] = (meta, used, plan)
    return plan


def _fact_plan_of(meta: TemplateMeta, used: frozenset[str]) -> _FactPlan:
    from .templates import STANDARD_NAMES

    required = tuple((f, meta.label(f)) for f in meta.facts)
    optional = tuple(f for f in meta.optional_facts if f in used)
    declared = set(meta.facts) | set(meta.optional_facts)
    extra = tuple(sorted(n for n in used if n not in declared and n not in STANDARD_NAMES))
    return required, optional, extra


def _layout(
    sender: tuple[str, ...],
    date_line: str,
    recipient: tuple[str, ...],
    subject: tuple[tuple[str, str], ...],
    salutation: str,
    opening: str,
    denial: tuple[str, ...],
    argument: tuple[str, ...],
    request: str,
    enclosures: tuple[str, ...],
    closing: str,
    signature: tuple[str, ...],
) -> list[tuple[LetterPart, str]]:
    """The letter's paragraphs in order, each with its part (lines joined by newlines)."""
    out = [
        (LetterPart.SENDER, "\n".join(sender)),
        (LetterPart.DATE, date_line),
        (LetterPart.RECIPIENT, "\n".join(recipient)),
        (LetterPart.SUBJECT, "\n".join([f"{k}: {v}" for k, v in subject])),
        (LetterPart.SALUTATION, salutation),
        (LetterPart.OPENING, opening),
    ]
    out.extend((LetterPart.DENIAL, q) for q in denial)
    out.extend((LetterPart.ARGUMENT, a) for a in argument)
    out.append((LetterPart.REQUEST, request))
    numbered = [f"{i}. {e}" for i, e in enumerate(enclosures, 1)]
    out.append((LetterPart.ENCLOSURES, "\n".join(["Enclosures:", *numbered])))
    out.append((LetterPart.CLOSING, closing))
    out.append((LetterPart.SIGNATURE, "\n".join(signature)))
    return out


# ------------------------------------------------------------------------ examples

_EXAMPLES_PACKAGE: Final = "denialkit._examples"


def example_codes() -> tuple[str, ...]:
    """The codes that have a bundled example claim.

    >>> example_codes()
    ('CCM21', 'CO-16', 'CO-197', 'CO-50')
    """
    from ._compat import files

    names = sorted(
        p.name[: -len(".json")]
        for p in files(_EXAMPLES_PACKAGE).iterdir()
        if p.name.endswith(".json")
    )
    return tuple(n.upper() for n in names)


def example_claim(code: str) -> Claim:
    """A complete, fictional example claim for a code, to start from or to try a letter.

    Raises:
        TypeError: ``code`` is not a str.
        InvalidCodeError: not a code.
        UnknownCodeError: no example for this code (``suggestions`` lists the codes that have
            one).

    >>> example_claim("CCM21").facts["care_manager_minutes"]
    75
    """
    from ._compat import files
    from .codes import CodeSystem, parse

    ref = parse(code)
    if ref.system in (CodeSystem.CARC, CodeSystem.RARC):
        key = f"{ref.group or 'CO'}-{ref.code}"
    else:
        key = ref.code
    item = files(_EXAMPLES_PACKAGE).joinpath(f"{key.lower()}.json")
    if not item.is_file():
        have = example_codes()
        raise UnknownCodeError(
            f"there is no bundled example claim for {key}; examples exist for {', '.join(have)}",
            code=key,
            suggestions=have,
        )
    return Claim.from_json(item.read_text("utf-8"))
