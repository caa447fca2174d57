"""The validator's data model: findings, reports, the document rules read, and the
:class:`Rule` base class (private; the public names are re-exported by
:mod:`denialkit.validation`)."""

from __future__ import annotations

import bisect
import enum
import html
import json
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import date
from typing import TYPE_CHECKING, Any, Final, Protocol, TypeVar, runtime_checkable

import attrs

from denialkit.claim import Claim
from denialkit.codes import DenialCode, default_table

if TYPE_CHECKING:
    from denialkit.deadlines import AppealLevel, Deadline
    from denialkit.record import Record, RecordFacts

from denialkit._repr import fields_repr, tolerant

__all__ = [
    "Author",
    "Document",
    "Finding",
    "LetterLike",
    "Location",
    "Report",
    "Rule",
    "Severity",
]

_RULE_ID_RE: Final = re.compile(r"[A-Z]{2,6}[0-9]{3,4}")
_SLUG_RE: Final = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_OWN_RULE_RE: Final = re.compile(r"DK[0-9]{3}")
_RULES_URL: Final = "https://denialkit.readthedocs.io/en/latest/rules.html"
_T = TypeVar("_T")


class Severity(enum.StrEnum):
    """How much a finding matters.

    ``error`` blocks sending the letter; ``warning`` needs a person's judgement; ``info``
    only informs.

    >>> Severity("warning") < Severity.ERROR
    True
    """

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        """2 for errors, 1 for warnings, 0 for info."""
        return _RANK[self]

    def __lt__(self, other: str) -> bool:
        if isinstance(other, Severity):
            return self.rank < other.rank
        return NotImplemented

    def __le__(self, other: str) -> bool:
        if isinstance(other, Severity):
            return self.rank <= other.rank
        return NotImplemented

    def __gt__(self, other: str) -> bool:
        if isinstance(other, Severity):
            return self.rank > other.rank
        return NotImplemented

    def __ge__(self, other: str) -> bool:
        if isinstance(other, Severity):
            return self.rank >= other.rank
        return NotImplemented


_RANK: Final = {Severity.ERROR: 2, Severity.WARNING: 1, Severity.INFO: 0}


class Author(enum.StrEnum):
    """Who writes the letter; some requirements follow it (see ``docs/rules.md``).

    The validator works it out from the text (the signature, first person, "on behalf of");
    ``author=`` in :func:`check` and ``--author`` on the command line override it.

    >>> Author("patient") is Author.PATIENT
    True
    """

    PROVIDER = "provider"
    """A provider or their billing staff, answering for a patient's care."""
    PATIENT = "patient"
    """The patient or beneficiary, or someone in the family writing for them."""


def _author(value: object) -> Author | None:
    if value is None or isinstance(value, Author):
        return value
    if isinstance(value, str):
        try:
            return Author(value.strip().lower())
        except ValueError:
            raise ValueError("author must be 'provider' or 'patient'") from None
    raise TypeError(f"author must be 'provider', 'patient' or None, not {type(value).__name__}")


def _positive(_inst: object, attr: attrs.Attribute[int | None], value: int | None) -> None:
    if value is not None and (isinstance(value, bool) or not isinstance(value, int) or value < 1):
        raise ValueError(f"{attr.name} must be a whole number from 1, or None")


def _opt_str(_inst: object, attr: attrs.Attribute[str | None], value: str | None) -> None:
    if value is not None and not isinstance(value, str):
        raise TypeError(f"{attr.name} must be a str or None")


@attrs.frozen
class Location:
    """Where a finding is: a line and column in the text (both from 1), a path in the claim
    (``services[0].date``), both, or neither (the letter as a whole, e.g. something missing).

    >>> str(Location(3, 14)), str(Location(path="denial.notice_date")), str(Location())
    ('3:14', 'claim denial.notice_date', 'letter')
    """

    line: int | None = attrs.field(default=None, validator=_positive)
    column: int | None = attrs.field(default=None, validator=_positive)
    path: str | None = attrs.field(default=None, validator=_opt_str)
    __repr__ = fields_repr

    def __attrs_post_init__(self) -> None:
        if self.column is not None and self.line is None:
            raise ValueError("a column needs a line")

    def __str__(self) -> str:
        parts = []
        if self.line is not None:
            parts.append(f"{self.line}:{self.column or 1}")
        if self.path is not None:
            parts.append(f"claim {self.path}")
        return " ".join(parts) or "letter"

    def to_dict(self) -> dict[str, int | str | None]:
        """``{"line": ..., "column": ..., "path": ...}`` (absent parts are ``None``)."""
        return {"line": self.line, "column": self.column, "path": self.path}


def _rule_id(_inst: object, _attr: object, value: str) -> None:
    if not isinstance(value, str) or not _RULE_ID_RE.fullmatch(value):
        raise ValueError("a rule id is 2-6 capital letters and 3-4 digits, e.g. 'DK101'")


def _slug(_inst: object, _attr: object, value: str) -> None:
    if not isinstance(value, str) or not _SLUG_RE.fullmatch(value):
        raise ValueError("a slug is lower-case words joined by hyphens, e.g. 'missing-date'")


def _text(_inst: object, attr: attrs.Attribute[str], value: str) -> None:
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"a finding's {attr.name} must be a non-empty str")


@attrs.frozen
class Finding:
    """One problem found in a letter, complete when created.

    Attributes:
        rule_id: the stable rule id, e.g. ``"DK104"``.
        slug: the rule's short name, e.g. ``"missing-claim-number"``.
        severity: error, warning or info.
        message: what is wrong, in one sentence. Never contains a patient value.
        location: where it is.
        hint: how to fix it.

    >>> f = Finding("DK302", "bracket-placeholder", "error", "an unfilled blank is left",
    ...             Location(2, 27), "replace it with the real value")
    >>> print(f)
    2:27: DK302 error: an unfilled blank is left
    >>> f.format("letter.txt")
    'letter.txt:2:27: DK302 error an unfilled blank is left'
    """

    rule_id: str = attrs.field(validator=_rule_id)
    slug: str = attrs.field(validator=_slug)
    severity: Severity = attrs.field(converter=Severity)
    message: str = attrs.field(validator=_text)
    location: Location = attrs.field(validator=attrs.validators.instance_of(Location))
    hint: str = attrs.field(validator=_text)
    __repr__ = fields_repr

    def __str__(self) -> str:
        where = self.location
        head = f"{where.line}:{where.column or 1}: " if where.line is not None else ""
        tail = f" [claim {where.path}]" if where.path is not None else ""
        return f"{head}{self.rule_id} {self.severity.value}: {self.message}{tail}"

    def format(self, source: str) -> str:
        """The line compilers and linters print: ``SOURCE:LINE:COL: DK101 error message``.

        Findings about the letter as a whole have no line and column: they print as
        ``SOURCE: DK101 error message``, as JSON gives them a null location. A claim path,
        when there is one, follows the message in brackets.

        >>> Finding("DK104", "missing-claim-number", "error", "no claim number", Location(),
        ...         "add it").format("a.txt")
        'a.txt: DK104 error no claim number'
        """
        tail = f" [claim {self.location.path}]" if self.location.path is not None else ""
        body = f"{self.rule_id} {self.severity.value} {self.message}{tail}"
        if self.location.line is None:
            return f"{source}: {body}"
        return f"{source}:{self.location.line}:{self.location.column or 1}: {body}"

    def to_dict(self) -> dict[str, object]:
        """Plain JSON-ready data."""
        return {
            "rule_id": self.rule_id,
            "slug": self.slug,
            "severity": self.severity.value,
            "message": self.message,
            "location": self.location.to_dict(),
            "hint": self.hint,
        }

    def sort_key(self) -> tuple[int, int, str, str, str]:
        """Reading order: whole-letter findings first, then by line and column, then rule id."""
        loc = self.location
        return (loc.line or 0, loc.column or 0, self.rule_id, loc.path or "", self.message)


def _sorted_findings(findings: Iterable[Finding]) -> tuple[Finding, ...]:
    out = tuple(findings)
    for f in out:
        if not isinstance(f, Finding):
            raise TypeError(f"a report holds Finding objects, not {type(f).__name__}")
    return tuple(sorted(out, key=Finding.sort_key))


def _str_tuple(items: Iterable[str]) -> tuple[str, ...]:
    return tuple(items)


@attrs.frozen
class Report:
    """The findings for one letter, in a stable order (see :meth:`Finding.sort_key`).

    Attributes:
        findings: every finding.
        rules: the ids of the rules that ran.

    >>> r = Report([Finding("DK709", "letter-too-long", "warning", "long", Location(), "cut")])
    >>> r.ok, len(r.warnings), r.summary
    (True, 1, '0 errors, 1 warning, 0 info')
    """

    findings: tuple[Finding, ...] = attrs.field(converter=_sorted_findings)
    rules: tuple[str, ...] = attrs.field(default=(), converter=_str_tuple)

    @property
    def ok(self) -> bool:
        """True when there is no error (warnings and info do not block a letter)."""
        return not any(f.severity is Severity.ERROR for f in self.findings)

    def _of(self, severity: Severity) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.severity is severity)

    @property
    def errors(self) -> tuple[Finding, ...]:
        """The error-level findings."""
        return self._of(Severity.ERROR)

    @property
    def warnings(self) -> tuple[Finding, ...]:
        """The warning-level findings."""
        return self._of(Severity.WARNING)

    @property
    def infos(self) -> tuple[Finding, ...]:
        """The info-level findings."""
        return self._of(Severity.INFO)

    def by_rule(self) -> dict[str, tuple[Finding, ...]]:
        """The findings grouped by rule id, ids in order."""
        out: dict[str, list[Finding]] = {}
        for f in self.findings:
            out.setdefault(f.rule_id, []).append(f)
        return {k: tuple(out[k]) for k in sorted(out)}

    @property
    def counts(self) -> dict[str, int]:
        """``{"error": n, "warning": n, "info": n}``."""
        return {s.value: sum(1 for f in self.findings if f.severity is s) for s in Severity}

    @property
    def summary(self) -> str:
        """``"2 errors, 1 warning, 0 info"``."""
        c = self.counts
        e, w = c["error"], c["warning"]
        return f"{e} error{'s' * (e != 1)}, {w} warning{'s' * (w != 1)}, {c['info']} info"

    def __iter__(self) -> Iterator[Finding]:
        return iter(self.findings)

    @tolerant
    def __repr__(self) -> str:
        return f"<Report ok={self.ok} {self.summary}>"

    def _repr_html_(self) -> str:
        """The findings as an HTML table for notebooks; each of denialkit's own rule ids links
        to its section of the rule catalogue. Every value is escaped.
        """
        e = html.escape
        rows = []
        for f in self.findings:
            rule = e(f.rule_id)
            if _OWN_RULE_RE.fullmatch(f.rule_id):
                rule = f'<a href="{_RULES_URL}#{f.rule_id.lower()}" target="_blank">{rule}</a>'
            rows.append(
                f"<tr><td>{rule}</td><td>{e(f.severity.value)}</td><td>{e(str(f.location))}</td>"
                f"<td>{e(f.message)}</td><td>{e(f.hint)}</td></tr>"
            )
        table = (
            '<table class="denialkit-report"><tr><th>rule</th><th>severity</th><th>where</th>'
            f"<th>message</th><th>hint</th></tr>{''.join(rows)}</table>"
            if rows
            else ""
        )
        verdict = "ok" if self.ok else "not ok"
        return f"<p><b>{verdict}</b>: {e(self.summary)}</p>{table}"

    def format(self, source: str = "<letter>") -> str:
        """Every finding as ``SOURCE:LINE:COL: DK101 error message``, one per line."""
        return "\n".join(f.format(source) for f in self.findings)

    def to_dict(self) -> dict[str, object]:
        """Plain JSON-ready data: ``ok``, ``counts``, ``findings`` and ``rules``."""
        return {
            "ok": self.ok,
            "counts": self.counts,
            "findings": [f.to_dict() for f in self.findings],
            "rules": list(self.rules),
        }

    def to_json(self, *, indent: int | None = 2) -> str:
        """The report as JSON text (see :meth:`to_dict`)."""
        return json.dumps(self.to_dict(), indent=indent, ensure_ascii=False)


# ----------------------------------------------------------------------------- input


@runtime_checkable
class LetterLike(Protocol):
    """What the validator reads from a letter object (``denialkit.letters.Letter`` has it).

    ``missing`` lists the labels of facts the claim lacked; each shows in the text as the
    marker ``[MISSING: <label>]``.
    """

    @property
    def text(self) -> str: ...

    @property
    def claim(self) -> Claim: ...

    @property
    def codes(self) -> tuple[DenialCode, ...]: ...

    @property
    def letter_date(self) -> date: ...

    @property
    def missing(self) -> tuple[str, ...]: ...

    @property
    def level(self) -> AppealLevel: ...

    @property
    def deadline(self) -> Deadline | None: ...

    @property
    def template(self) -> str: ...


_LETTER_ATTRS: Final = (
    "text",
    "claim",
    "codes",
    "letter_date",
    "missing",
    "level",
    "deadline",
    "template",
)


def _record_facts(
    record: object, claim: Claim | None, inputs: Sequence[tuple[str, str, DenialCode | None]]
) -> RecordFacts | None:
    """The facts of ``record`` for the letter's code and the claim's billed month.

    ``denialkit.record`` is imported only when a record is given (it never imports
    validation, so no circle forms).
    """
    if record is None:
        return None
    from denialkit.record import Record, RecordFacts, billed_month, facts, is_bhi_code

    if isinstance(record, RecordFacts):
        return record
    if not isinstance(record, Record):
        raise TypeError(
            "record must be a denialkit.record.Record or RecordFacts or None, "
            f"not {type(record).__name__}"
        )
    texts = [t for _, t, _ in inputs] or (list(claim.denial.codes) if claim else [])
    code = next((t for t in texts if is_bhi_code(t)), texts[0] if texts else "CCM21")
    month = billed_month(claim) if claim is not None and claim.services else None
    return facts(record, code=code, month=month)


class Document:
    """A letter as the rules see it: its text plus what is known about it. Read-only.

    Rules receive a ``Document`` in :meth:`Rule.check`. Build one with :meth:`from_input`.

    Attributes:
        text: the letter text.
        claim: the claim, when known.
        codes: the denial codes the letter answers, resolved in the code tables.
        code_inputs: every code given, as ``(path, text, code or None)``; ``None`` marks a
            code that is not in the tables (its path, e.g. ``"denial.codes[1]"``, says which).
        letter_date: the letter's date, when the letter object gave one.
        missing: labels of facts the letter object reported missing.
        level: the appeal level number the letter requests, when known.
        deadline: the letter object's filing deadline, when it had one.
        template: the name of the template that produced the letter, when known.
        today: the date "today" means for rules that need one.
        author: who writes the letter when the caller said so; None lets the rules work it
            out from the text.
        record: what the patient's medical record shows
            (:class:`~denialkit.record.RecordFacts`), when a record was given.
    """

    __slots__ = (
        "_cache",
        "_line_starts",
        "author",
        "claim",
        "code_inputs",
        "codes",
        "deadline",
        "letter_date",
        "level",
        "missing",
        "record",
        "template",
        "text",
        "today",
    )

    _cache: dict[str, Any]
    _line_starts: list[int] | None
    text: str
    claim: Claim | None
    codes: tuple[DenialCode, ...]
    code_inputs: tuple[tuple[str, str, DenialCode | None], ...]
    letter_date: date | None
    missing: tuple[str, ...]
    level: int | None
    deadline: Deadline | None
    template: str | None
    today: date
    author: Author | None
    record: RecordFacts | None

    def __init__(
        self,
        text: str,
        *,
        claim: Claim | None = None,
        codes: Sequence[str | DenialCode] | None = None,
        letter_date: date | None = None,
        missing: Sequence[str] = (),
        level: int | None = None,
        deadline: Deadline | None = None,
        template: str | None = None,
        today: date | None = None,
        author: Author | str | None = None,
        record: Record | RecordFacts | None = None,
    ) -> None:
        if not isinstance(text, str):
            raise TypeError(
                f"the letter must be a str or a letter object, not {type(text).__name__}"
                + ("; decode bytes first" if isinstance(text, (bytes, bytearray)) else "")
            )
        if claim is not None and not isinstance(claim, Claim):
            raise TypeError(f"claim must be a denialkit Claim or None, not {type(claim).__name__}")
        if letter_date is not None and not isinstance(letter_date, date):
            raise TypeError(f"letter_date must be a date, not {type(letter_date).__name__}")
        s = object.__setattr__
        s(self, "text", text)
        s(self, "claim", claim)
        inputs = _resolve_codes(codes, claim)
        s(self, "code_inputs", inputs)
        s(self, "codes", tuple([c for _, _, c in inputs if c is not None]) if inputs else ())
        s(self, "letter_date", letter_date)
        s(self, "missing", tuple([m for m in missing if isinstance(m, str)]) if missing else ())
        if level is None and claim is not None and isinstance(claim.denial.level, int):
            level = claim.denial.level + 1
        s(self, "level", level)
        s(self, "deadline", deadline)
        s(self, "template", template if isinstance(template, str) else None)
        s(self, "today", today if today is not None else date.today())
        s(self, "author", _author(author))
        s(self, "record", _record_facts(record, claim, inputs))
        s(self, "_cache", {})
        s(self, "_line_starts", None)

    @classmethod
    def from_input(
        cls,
        letter_or_text: str | LetterLike,
        *,
        claim: Claim | None = None,
        codes: Sequence[str | DenialCode] | None = None,
        today: date | None = None,
        author: Author | str | None = None,
        record: Record | RecordFacts | None = None,
    ) -> Document:
        """A document from a letter object or text; ``claim`` and ``codes`` override the
        letter's own; ``record`` is the patient's record (or its facts) to check against.

        Raises:
            TypeError: not a ``str`` nor a letter object, or ``claim``/``codes`` of the
                wrong type.
        """
        if isinstance(letter_or_text, str):
            return cls(
                letter_or_text, claim=claim, codes=codes, today=today, author=author, record=record
            )
        letter = letter_or_text
        if isinstance(letter, (bytes, bytearray)):
            return cls(letter, claim=claim, codes=codes, today=today, author=author, record=record)  # type: ignore[arg-type]
        for name in _LETTER_ATTRS:
            if not hasattr(letter, name):
                return cls(
                    letter,  # type: ignore[arg-type]
                    claim=claim,
                    codes=codes,
                    today=today,
                    author=author,
                    record=record,
                )
        raw_level: object = letter.level
        number = getattr(raw_level, "number", raw_level)
        level = number if isinstance(number, int) and not isinstance(number, bool) else None
        deadline = letter.deadline if callable(getattr(letter.deadline, "is_late", None)) else None
        raw_missing: object = letter.missing
        missing = tuple(raw_missing) if isinstance(raw_missing, (tuple, list)) else ()
        letter_date = letter.letter_date if isinstance(letter.letter_date, date) else None
        codes_in: object = codes if codes is not None else letter.codes
        if codes_in is not None and not isinstance(codes_in, (tuple, list, Sequence)):
            codes_in = None
        return cls(
            letter.text,
            claim=claim if claim is not None else letter.claim,
            codes=codes_in,
            letter_date=letter_date,
            missing=missing,
            level=level,
            deadline=deadline,
            template=letter.template,
            today=today,
            author=author,
            record=record,
        )

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError("a Document is read-only")

    @tolerant
    def __repr__(self) -> str:
        codes = tuple(c.key for c in self.codes)
        return (
            f"<Document chars={len(self.text)} claim={'yes' if self.claim else 'no'} "
            f"codes={codes!r}>"
        )

    def location(self, offset: int | None = None, *, path: str | None = None) -> Location:
        """The :class:`Location` of a character offset in the text (and/or a claim path).

        >>> Document("ab\\ncd").location(4)
        Location(line=2, column=2, path=None)
        """
        if offset is None:
            return Location(path=path)
        starts = self._line_starts
        if starts is None:
            starts = [0]
            # a line ends as an editor ends it: at a line feed, a carriage return alone or
            # before a line feed, or a Unicode line or paragraph separator
            starts.extend(m.end() for m in _LINE_END_RE.finditer(self.text))
            object.__setattr__(self, "_line_starts", starts)
        offset = max(0, min(offset, len(self.text)))
        line = bisect.bisect_right(starts, offset)
        return Location(line, offset - starts[line - 1] + 1, path)

    def cached(self, key: str, compute: Callable[[Document], _T]) -> _T:
        """``compute(self)``, computed once per document and shared between rules.

        Rules use it for scans several rules need (the dates in the text, for example).
        Plugin rules should prefix their keys with their own name.
        """
        try:
            return self._cache[key]  # type: ignore[no-any-return]
        except KeyError:
            pass
        value = self._cache[key] = compute(self)
        return value


_LINE_END_RE: Final = re.compile("\r\n?|[\n\u2028\u2029]")


def _resolve_codes(
    codes: Sequence[str | DenialCode] | None, claim: Claim | None
) -> tuple[tuple[str, str, DenialCode | None], ...]:
    if codes is None:
        if claim is None:
            return ()
        items: Sequence[object] = claim.denial.codes
        prefix = "denial.codes"
    else:
        # tuple and list first: isinstance with the Sequence ABC is slow for them
        if isinstance(codes, (str, bytes)) or not isinstance(codes, (tuple, list, Sequence)):
            raise TypeError(
                f"codes must be a sequence of codes (str or DenialCode), not {type(codes).__name__}"
            )
        items = codes
        prefix = "codes"
    table = default_table()
    out: list[tuple[str, str, DenialCode | None]] = []
    for i, item in enumerate(items):
        path = f"{prefix}[{i}]"
        if isinstance(item, DenialCode):
            out.append((path, item.key, item))
        elif isinstance(item, str):
            out.append((path, item, table.get(item)))
        else:
            raise TypeError(f"{path} must be a str or a DenialCode, not {type(item).__name__}")
    return tuple(out)


# ----------------------------------------------------------------------------- rules


class Rule:
    """A validation rule. Subclass it, set the class attributes and implement :meth:`check`.

    Attributes:
        id: the stable rule id: 2 to 6 capital letters and 3 or 4 digits. ``DK`` ids are
            denialkit's own; a plugin picks its own prefix (``ACME001``).
        slug: a short lower-case name, e.g. ``"missing-fax-cover"``.
        severity: the default severity of its findings.
        summary: what the rule checks, in one sentence.
        hint: the default advice on how to fix a finding.
        authority: where the requirement comes from (a regulation, a payer manual, "logic").

    >>> class NoShouting(Rule):
    ...     id = "ACME001"
    ...     slug = "no-shouting"
    ...     severity = Severity.WARNING
    ...     summary = "The letter has no line written in capitals only."
    ...     hint = "Write the line in sentence case."
    ...     def check(self, doc):
    ...         for m in re.finditer(r"^[A-Z][A-Z !]{9,}$", doc.text, re.M):
    ...             yield self.finding(doc, "a line is written in capitals only", at=m.start())
    >>> from denialkit.validation import Validator
    >>> v = Validator([NoShouting()])
    >>> [str(f) for f in v.iter_findings("Dear team,\\nPLEASE PAY NOW!\\n")]
    ['2:1: ACME001 warning: a line is written in capitals only']
    """

    id: str = ""
    slug: str = ""
    severity: Severity = Severity.ERROR
    summary: str = ""
    hint: str = ""
    authority: str = ""

    def check(self, doc: Document) -> Iterable[Finding]:
        """Yield the findings for ``doc`` (never mutate it)."""
        raise NotImplementedError

    def finding(
        self,
        doc: Document,
        message: str,
        *,
        at: int | None = None,
        path: str | None = None,
        hint: str | None = None,
    ) -> Finding:
        """A complete :class:`Finding` of this rule at text offset ``at`` and/or claim
        ``path`` (neither: the letter as a whole)."""
        return Finding(
            self.id,
            self.slug,
            self.severity,
            message,
            doc.location(at, path=path),
            hint if hint is not None else self.hint,
        )

    def __repr__(self) -> str:
        return f"<Rule {self.id} {self.slug} ({Severity(self.severity).value})>"


def _check_rule(rule: object) -> str | None:
    """Why ``rule`` is not a usable rule, or None."""
    if not isinstance(rule, Rule):
        return f"expected a denialkit.validation.Rule, got {type(rule).__name__}"
    if not isinstance(rule.id, str) or not _RULE_ID_RE.fullmatch(rule.id):
        return "the rule id must be 2-6 capital letters and 3-4 digits, e.g. 'ACME001'"
    if not isinstance(rule.slug, str) or not _SLUG_RE.fullmatch(rule.slug):
        return f"rule {rule.id}: the slug must be lower-case words joined by hyphens"
    severity: object = rule.severity
    if not isinstance(severity, Severity):
        return f"rule {rule.id}: severity must be a denialkit.validation.Severity"
    for name in ("summary", "hint"):
        value = getattr(rule, name)
        if not isinstance(value, str) or not value.strip():
            return f"rule {rule.id}: {name} must be a non-empty str"
    return None
