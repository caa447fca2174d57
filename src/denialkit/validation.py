"""Check an appeal letter before it is sent: findings with stable rule ids.

The validator reads a letter as text, plus what is known about it: the
:class:`~denialkit.claim.Claim` it answers and the denial codes it disputes. It works the
same on a letter that :func:`denialkit.appeal` built and on text a person edited by hand.

Each problem is a :class:`Finding` with a stable rule id (``DK104``), a slug
(``missing-claim-number``), a :class:`Severity`, a message that never repeats a patient value,
a :class:`Location` (line and column in the text, or a path in the claim) and a hint on how to
fix it. The rule catalogue, one section per rule, is ``docs/rules.md``.

Three ways to ask, as in jsonschema: :func:`iter_findings` yields findings lazily,
:func:`check` returns a :class:`Report`, :func:`validate` raises
:class:`~denialkit.exceptions.LetterValidationError` when the letter has errors, and
:func:`is_valid` answers with a bool and never raises.

>>> from denialkit.validation import validate_text
>>> report = validate_text("Dear Sir,\\nPlease pay claim number [Claim Number].\\n")
>>> report.ok
False
>>> for f in report.errors[:3]:
...     print(f)
DK101 error: the letter does not name the patient
DK102 error: the letter does not give the patient's member id or Medicare number
DK104 error: the letter does not give the claim number
>>> [str(f.location) for f in report.by_rule()["DK302"]]
['2:25']
"""

from __future__ import annotations

import bisect
import enum
import html
import json
import re
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, Final, Protocol, TypeVar, cast, runtime_checkable

import attrs

from .claim import Claim
from .codes import DenialCode, default_table
from .exceptions import LetterValidationError, PluginLoadError, RuleError

if TYPE_CHECKING:
    from ._rules import RuleFn, Scan
    from .deadlines import AppealLevel, Deadline

__all__ = [
    "ENTRY_POINT_GROUP",
    "Document",
    "Finding",
    "LetterLike",
    "Location",
    "Report",
    "Rule",
    "Severity",
    "Validator",
    "check",
    "is_valid",
    "iter_findings",
    "validate",
    "validate_text",
]

ENTRY_POINT_GROUP: Final = "denialkit.rules"
"""The entry-point group third-party rules are registered under."""

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

    def __str__(self) -> str:
        where = self.location
        head = f"{where.line}:{where.column or 1}: " if where.line is not None else ""
        tail = f" [claim {where.path}]" if where.path is not None else ""
        return f"{head}{self.rule_id} {self.severity.value}: {self.message}{tail}"

    def format(self, source: str) -> str:
        """The line compilers and linters print: ``SOURCE:LINE:COL: DK101 error message``.

        Findings about the letter as a whole point at ``1:1``; a claim path, when there is
        one, follows the message in brackets.
        """
        line = self.location.line or 1
        col = self.location.column or 1
        tail = f" [claim {self.location.path}]" if self.location.path is not None else ""
        return f"{source}:{line}:{col}: {self.rule_id} {self.severity.value} {self.message}{tail}"

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
    """

    __slots__ = (
        "_cache",
        "_line_starts",
        "claim",
        "code_inputs",
        "codes",
        "deadline",
        "letter_date",
        "level",
        "missing",
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
    ) -> Document:
        """A document from a letter object or text; ``claim`` and ``codes`` override the
        letter's own.

        Raises:
            TypeError: not a ``str`` nor a letter object, or ``claim``/``codes`` of the
                wrong type.
        """
        if isinstance(letter_or_text, str):
            return cls(letter_or_text, claim=claim, codes=codes, today=today)
        letter = letter_or_text
        if isinstance(letter, (bytes, bytearray)):
            return cls(letter, claim=claim, codes=codes, today=today)  # type: ignore[arg-type]
        for name in _LETTER_ATTRS:
            if not hasattr(letter, name):
                return cls(letter, claim=claim, codes=codes, today=today)  # type: ignore[arg-type]
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
        )

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError("a Document is read-only")

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
            starts.extend(m.end() for m in re.finditer("\n", self.text))
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


def _plugin_rules() -> list[tuple[Rule, str, str]]:
    """Load every ``denialkit.rules`` entry point (the same way code sets are loaded), as
    ``(rule, distribution, entry point)``."""
    from importlib.metadata import entry_points

    out: list[tuple[Rule, str, str]] = []
    taken = {r.id for r in builtin_rules()}
    for ep in entry_points(group=ENTRY_POINT_GROUP):
        dist = ep.dist.name if ep.dist is not None else "unknown distribution"
        try:
            obj: object = ep.load()
            if (isinstance(obj, type) and issubclass(obj, Rule)) or (
                callable(obj) and not isinstance(obj, Rule)
            ):
                obj = obj()
            found: list[object]
            if isinstance(obj, Rule):
                found = [obj]
            elif isinstance(obj, Iterable) and not isinstance(obj, (str, bytes)):
                found = [r() if isinstance(r, type) and issubclass(r, Rule) else r for r in obj]
            else:
                found = [obj]
        except Exception as exc:
            raise PluginLoadError(
                f"loading the rules failed ({type(exc).__name__})",
                distribution=dist,
                entry_point=ep.name,
            ) from exc
        for r in found:
            problem = _check_rule(r)
            if problem is None and isinstance(r, Rule) and r.id.startswith("DK"):
                problem = f"rule id {r.id} uses the prefix DK, which is reserved for denialkit"
            if problem is None and isinstance(r, Rule) and r.id in taken:
                problem = f"rule id {r.id} is already used by another rule; ids must be unique"
            if problem is not None:
                raise PluginLoadError(problem, distribution=dist, entry_point=ep.name)
            assert isinstance(r, Rule)
            taken.add(r.id)
            out.append((r, dist, ep.name))
    return out


def builtin_rules() -> tuple[Rule, ...]:
    """denialkit's own rules, in id order (see ``docs/rules.md``).

    >>> [r.id for r in builtin_rules()][:3]
    ['DK101', 'DK102', 'DK103']
    """
    from ._rules import RULES

    return RULES


def _known_id(rule_id: object, ids: Mapping[str, Rule], what: str) -> str:
    if isinstance(rule_id, str) and rule_id.strip().upper() in ids:
        return rule_id.strip().upper()
    shown = (
        repr(rule_id)
        if isinstance(rule_id, str) and _RULE_ID_RE.fullmatch(rule_id.strip().upper())
        else "a value"
    )
    raise ValueError(f"{what}: {shown} is not the id of a known rule")


class Validator:
    """A choice of rules with their severities, ready to check letters.

    Args:
        rules: the rules to use; default: every built-in rule plus every installed plugin
            rule (entry-point group ``denialkit.rules``).
        select: keep only these rule ids.
        disable: drop these rule ids.
        severity: per-rule severity overrides, e.g. ``{"DK118": "error"}``.
        plugins: with ``rules=None``, whether to load plugin rules.
        today: the date "today" means (default: the current date at each check).
        max_per_rule: at most this many findings per rule are listed; one more finding then
            says that more were left out, and the rule stops (None: no limit).

    Raises:
        ValueError: an unknown rule id in ``select``, ``disable`` or ``severity``, a bad
            severity, or two rules with the same id.
        TypeError: a rule is not a :class:`Rule`.
        PluginLoadError: a plugin rule could not be loaded (names ``distribution[entry point]``).

    >>> v = Validator(disable=["DK118"], severity={"DK116": "error"})
    >>> "DK118" in v.ids, v.rule("DK116").id, v.severity_of("DK116").value
    (False, 'DK116', 'error')
    """

    def __init__(
        self,
        rules: Iterable[Rule] | None = None,
        *,
        select: Iterable[str] | None = None,
        disable: Iterable[str] = (),
        severity: Mapping[str, Severity | str] | None = None,
        plugins: bool = True,
        today: date | None = None,
        max_per_rule: int | None = 1000,
    ) -> None:
        origins: dict[str, tuple[str, str]] = {}
        if rules is None:
            pool = list(builtin_rules())
            for r, dist, name in _plugin_rules() if plugins else ():
                pool.append(r)
                origins[r.id] = (dist, name)
        else:
            given: object = rules
            if isinstance(given, (str, bytes)) or not isinstance(given, Iterable):
                raise TypeError("rules must be an iterable of Rule objects")
            pool = list(given)
        by_id: dict[str, Rule] = {}
        for r in pool:
            problem = _check_rule(r)
            if problem is not None:
                raise TypeError(problem) if not isinstance(r, Rule) else ValueError(problem)
            if r.id in by_id:
                raise ValueError(f"two rules have the id {r.id}; rule ids must be unique")
            by_id[r.id] = r
        if isinstance(select, str) or isinstance(disable, str):
            raise TypeError("select and disable take a list of rule ids, not one str")
        keep = set(by_id)
        if select is not None:
            keep = {_known_id(i, by_id, "select") for i in select}
        for i in disable:
            keep.discard(_known_id(i, by_id, "disable"))
        overrides: dict[str, Severity] = {}
        for i, sev in dict(severity or {}).items():
            rid = _known_id(i, by_id, "severity")
            try:
                overrides[rid] = Severity(sev)
            except ValueError:
                raise ValueError(
                    f"severity for {rid} must be 'error', 'warning' or 'info'"
                ) from None
        if today is not None and (isinstance(today, datetime) or not isinstance(today, date)):
            raise TypeError("today must be a datetime.date")
        if max_per_rule is not None and (
            isinstance(max_per_rule, bool) or not isinstance(max_per_rule, int) or max_per_rule < 1
        ):
            raise ValueError("max_per_rule must be a whole number from 1, or None")
        self._all = by_id
        self._rules = tuple(by_id[i] for i in sorted(keep))
        self._ids = tuple(r.id for r in self._rules)
        self._origins = origins
        from ._rules import builtin_check, scan

        # denialkit's own rules are called directly, with the document's shared scan
        self._plan: tuple[tuple[Rule, RuleFn | None], ...] = tuple(
            (r, builtin_check(r)) for r in self._rules
        )
        self._scan: Callable[[Document], Scan] = scan
        self._builtins = any(b is not None for _, b in self._plan)
        self._overrides = overrides
        self._today = today
        self._max = max_per_rule

    @property
    def rules(self) -> tuple[Rule, ...]:
        """The rules this validator runs, in id order."""
        return self._rules

    @property
    def ids(self) -> tuple[str, ...]:
        """The ids of the rules this validator runs."""
        return self._ids

    def rule(self, rule_id: str) -> Rule:
        """The rule with this id (also a disabled one).

        Raises:
            KeyError: no rule has this id.
        """
        try:
            return self._all[rule_id]
        except (KeyError, TypeError):
            raise KeyError("no rule has this id") from None

    def severity_of(self, rule_id: str) -> Severity:
        """The severity this validator gives a rule's findings."""
        return self._overrides.get(rule_id) or self.rule(rule_id).severity

    def __repr__(self) -> str:
        return f"<Validator rules={len(self._rules)} overrides={len(self._overrides)}>"

    def document(
        self,
        letter_or_text: str | LetterLike,
        *,
        claim: Claim | None = None,
        codes: Sequence[str | DenialCode] | None = None,
    ) -> Document:
        """The :class:`Document` the rules would see (see :meth:`Document.from_input`)."""
        return Document.from_input(letter_or_text, claim=claim, codes=codes, today=self._today)

    def iter_findings(
        self,
        letter_or_text: str | LetterLike,
        *,
        claim: Claim | None = None,
        codes: Sequence[str | DenialCode] | None = None,
    ) -> Iterator[Finding]:
        """Yield the findings rule by rule, lazily (in rule order, not sorted).

        Raises:
            TypeError: the input is not a ``str`` nor a letter object, or ``claim`` or
                ``codes`` has the wrong type (raised at once, before any rule runs).
            RuleError: while the findings are read, a rule that is not one of denialkit's own
                raised an exception (chained as the cause); it names the rule, and for a
                plugin ``distribution[entry point]``.
        """
        doc = self.document(letter_or_text, claim=claim, codes=codes)
        return self._run(doc)

    def _run(self, doc: Document) -> Iterator[Finding]:
        # the scan is only used by built-in rules, so only made when there is one
        sc = self._scan(doc) if self._builtins else cast("Scan", None)
        for rule, builtin in self._plan:
            if builtin is not None:
                found = builtin(rule, doc, sc)
                # a built-in rule returns a list, a tuple or a generator: an empty list or
                # tuple (the common case) is skipped without iterating
                if not found:
                    continue
                yield from self._limited(rule, iter(found))
            else:
                yield from self._limited(rule, self._guarded(rule, doc))

    def _guarded(self, rule: Rule, doc: Document) -> Iterator[Finding]:
        """The findings of a rule that is not denialkit's own; what it raises becomes a
        :class:`~denialkit.exceptions.RuleError`."""
        try:
            found = iter(rule.check(doc))
            while True:
                try:
                    f = next(found)
                except StopIteration:
                    return
                yield f
        except GeneratorExit:
            close = getattr(found, "close", None)
            if callable(close):
                try:
                    close()
                except Exception as exc:
                    raise self._rule_error(rule, exc) from exc
            raise
        except Exception as exc:
            raise self._rule_error(rule, exc) from exc

    def _rule_error(self, rule: Rule, exc: Exception) -> RuleError:
        origin = self._origins.get(rule.id)
        where = f" from {origin[0]}[{origin[1]}]" if origin else ""
        return RuleError(
            f"rule {rule.id}{where} raised {type(exc).__name__} while checking a letter; "
            "fix the rule or disable it",
            rule_id=rule.id,
            distribution=origin[0] if origin else None,
            entry_point=origin[1] if origin else None,
        )

    def _limited(self, rule: Rule, found: Iterator[Finding]) -> Iterator[Finding]:
        """A rule's findings with this validator's severity override and per-rule limit."""
        override = self._overrides.get(rule.id) if self._overrides else None
        limit = self._max
        for listed, f in enumerate(found):
            if override is not None and f.severity is not override:
                f = attrs.evolve(f, severity=override)
            if limit is not None and listed >= limit:
                close = getattr(found, "close", None)
                if callable(close):
                    close()
                yield Finding(
                    rule.id,
                    rule.slug,
                    override or rule.severity,
                    f"more findings of this rule were not listed (limit {limit})",
                    f.location,
                    rule.hint,
                )
                break
            yield f

    def check(
        self,
        letter_or_text: str | LetterLike,
        *,
        claim: Claim | None = None,
        codes: Sequence[str | DenialCode] | None = None,
    ) -> Report:
        """Every finding, as a :class:`Report`.

        Raises:
            TypeError: as :meth:`iter_findings`.
            RuleError: as :meth:`iter_findings`.
        """
        doc = Document.from_input(letter_or_text, claim=claim, codes=codes, today=self._today)
        return Report(self._run(doc), rules=self._ids)

    def validate(
        self,
        letter_or_text: str | LetterLike,
        *,
        claim: Claim | None = None,
        codes: Sequence[str | DenialCode] | None = None,
    ) -> Report:
        """The report, or an exception when the letter has errors.

        Raises:
            LetterValidationError: the letter has at least one error; ``findings`` holds
                the errors.
            TypeError: as :meth:`iter_findings`.
            RuleError: as :meth:`iter_findings`.
        """
        report = self.check(letter_or_text, claim=claim, codes=codes)
        if not report.ok:
            raise _validation_error(report)
        return report

    def is_valid(
        self,
        letter_or_text: object,
        *,
        claim: object = None,
        codes: object = None,
    ) -> bool:
        """True when the letter has no error. Never raises on bad input: anything that is
        not a letter is simply not valid. A rule that fails is not bad input: its
        :class:`~denialkit.exceptions.RuleError` is raised."""
        try:
            return self.check(letter_or_text, claim=claim, codes=codes).ok  # type: ignore[arg-type]
        except (TypeError, ValueError):
            return False


def _validation_error(report: Report) -> LetterValidationError:
    errors = report.errors
    shown = []
    for f in errors[:5]:
        where = f" (line {f.location.line})" if f.location.line is not None else ""
        shown.append(f"{f.rule_id} {f.slug}{where}")
    more = f" and {len(errors) - 5} more" if len(errors) > 5 else ""
    n = len(errors)
    return LetterValidationError(
        f"the letter has {n} error{'s' * (n != 1)}: {', '.join(shown)}{more}",
        findings=errors,
    )


_DEFAULT: Validator | None = None
_DEFAULT_LOCK = threading.Lock()


def default_validator() -> Validator:
    """The validator the module-level functions use: every built-in and plugin rule, built
    once on first use.

    >>> default_validator() is default_validator()
    True
    """
    global _DEFAULT
    if _DEFAULT is None:
        with _DEFAULT_LOCK:
            if _DEFAULT is None:
                _DEFAULT = Validator()
    return _DEFAULT


def _pick(validator: Validator | None) -> Validator:
    if validator is None:
        return _DEFAULT or default_validator()
    if not isinstance(validator, Validator):
        raise TypeError(f"validator must be a Validator, not {type(validator).__name__}")
    return validator


def check(
    letter_or_text: str | LetterLike,
    *,
    claim: Claim | None = None,
    codes: Sequence[str | DenialCode] | None = None,
    validator: Validator | None = None,
) -> Report:
    """Check a letter object or letter text; returns a :class:`Report`.

    Args:
        letter_or_text: a ``Letter`` from :func:`denialkit.appeal` (its claim, codes, date,
            level and missing facts are used) or the text of a letter.
        claim: the claim the letter answers (overrides the letter's own).
        codes: the denial codes the letter answers (default: the letter's, else the claim's).
        validator: the rules to use (default: ``default_validator()``).

    Raises:
        TypeError: ``letter_or_text`` is neither a ``str`` nor a letter object (bytes must be
            decoded first), or ``claim``, ``codes`` or ``validator`` has the wrong type.
        RuleError: a rule that is not one of denialkit's own (a plugin's) failed; see
            :meth:`Validator.iter_findings`.

    >>> check("").ok
    False
    """
    return _pick(validator).check(letter_or_text, claim=claim, codes=codes)


def validate_text(
    text: str,
    claim: Claim | None = None,
    codes: Sequence[str | DenialCode] | None = None,
    *,
    validator: Validator | None = None,
) -> Report:
    """Check letter text, with the claim and codes when known.

    Raises:
        TypeError: ``text`` is not a ``str``, or another argument has the wrong type.
    """
    if not isinstance(text, str):
        raise TypeError(f"validate_text needs a str, not {type(text).__name__}")
    return _pick(validator).check(text, claim=claim, codes=codes)


def iter_findings(
    letter_or_text: str | LetterLike,
    *,
    claim: Claim | None = None,
    codes: Sequence[str | DenialCode] | None = None,
    validator: Validator | None = None,
) -> Iterator[Finding]:
    """Yield findings lazily, rule by rule (see :meth:`Validator.iter_findings`).

    Raises:
        TypeError: as :func:`check`.
        RuleError: as :func:`check`, while the findings are read.
    """
    return _pick(validator).iter_findings(letter_or_text, claim=claim, codes=codes)


def validate(
    letter_or_text: str | LetterLike,
    *,
    claim: Claim | None = None,
    codes: Sequence[str | DenialCode] | None = None,
    validator: Validator | None = None,
) -> Report:
    """The report when the letter has no error; otherwise raise.

    Raises:
        LetterValidationError: the letter has errors; ``.findings`` holds every error.
        TypeError: as :func:`check`.
        RuleError: as :func:`check`.

    >>> validate("Claim number: [Claim Number]")
    Traceback (most recent call last):
    ...
    denialkit.exceptions.LetterValidationError: the letter has ... errors: DK101 ...
    """
    return _pick(validator).validate(letter_or_text, claim=claim, codes=codes)


def is_valid(
    letter_or_text: object,
    *,
    claim: object = None,
    codes: object = None,
    validator: Validator | None = None,
) -> bool:
    """True when the letter has no error; False for a letter with errors and for anything
    that is not a letter. Never raises on bad input (a failing plugin rule still raises its
    :class:`~denialkit.exceptions.RuleError`).

    >>> is_valid(None), is_valid(b"bytes"), is_valid("")
    (False, False, False)
    """
    try:
        v = _pick(validator)
    except TypeError:
        return False
    return v.is_valid(letter_or_text, claim=claim, codes=codes)
