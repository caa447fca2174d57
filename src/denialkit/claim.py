"""The claim model: who, what, when, the denial, and the facts an appeal argues from.

Every record is ``attrs``-frozen, typed and picklable. Patient-identifying values (names,
member ids, dates of birth, claim numbers, dates of service, free-text facts) never appear in
a ``repr``: reprs show shapes and counts only.

>>> from datetime import date
>>> from decimal import Decimal
>>> claim = Claim(
...     claim_number="CLM-1001",
...     patient=Patient(name="Zoë Nguyễn", member_id="7KQ2XF3RW45", birth_date=date(1950, 3, 1)),
...     provider=Provider(name="Valley Family Medicine", npi="1234567893"),
...     payer=Payer(name="Medicare", plan_type=PlanType.MEDICARE),
...     services=(ServiceLine(code="99484", date=date(2026, 3, 31), charge=Decimal("48.00")),),
...     denial=Denial(notice_date=date(2026, 4, 20), codes=("CCM21",)),
... )
>>> claim
<Claim services=1 codes=('CCM21',) facts=0>
>>> "Zoë" in repr(claim.patient)
False
"""

from __future__ import annotations

import enum
import functools
import json
import re
import warnings
from collections.abc import Callable, ItemsView, Iterable, Iterator, Mapping, Sequence, ValuesView
from contextvars import ContextVar
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any, Final, Literal, Protocol, TypeAlias, TypeVar, cast, overload

import attrs

from .codes import parse
from .exceptions import ClaimDataError, InvalidCodeError, RecordConflictWarning

__all__ = [
    "Claim",
    "Denial",
    "Evidence",
    "EvidenceKind",
    "FactValue",
    "Facts",
    "Patient",
    "Payer",
    "USER_SOURCE",
    "PlanType",
    "RecordLike",
    "Provider",
    "ServiceLine",
    "claim_schema",
]

FactValue: TypeAlias = "str | int | Decimal | date | bool | tuple[str, ...]"


class PlanType(enum.StrEnum):
    """The kind of health plan; it decides the appeal levels and deadlines."""

    MEDICARE = "medicare"
    """Original Medicare (fee-for-service Parts A and B)."""
    MEDICARE_ADVANTAGE = "medicare-advantage"
    """Medicare Advantage (Part C) plans."""
    ERISA = "erisa"
    """Private-sector employer group health plans under ERISA."""
    ACA = "aca"
    """Non-grandfathered plans under the ACA (internal appeal, then external review)."""
    MEDICAID = "medicaid"
    """Medicaid fee-for-service or managed care (state rules; window supplied by the caller)."""
    COMMERCIAL = "commercial"
    """Any other payer; the appeal window comes from the payer (``Payer.appeal_window_days``)."""


# ------------------------------------------------------------------ field checks
#
# One set of checks serves both ways of building a claim: the records' constructors run
# them on the values they are given (``__attrs_post_init__``), and ``Claim.from_dict`` runs
# the same ones on the values it converted from plain data. Each field names its check in
# its attrs metadata (``check=``); messages name the problem, never the value.

_MAX_STR: Final = 10_000
#: Charges and units must stay below this size: no claim bills a trillion, and an amount
#: this short is formatted to the cent without rounding.
_MAX_DIGITS: Final = 12  # before the decimal point
_MAX_NUMBER: Final = Decimal(10) ** _MAX_DIGITS

#: A one-line field (names, ids, codes, titles) holds no control character at all: no CR or
#: LF, no tab, no NUL or ESC, and no Unicode line or paragraph separator.
_NOT_ONE_LINE: Final = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
#: A multi-line field (addresses, paragraph facts, the denial reason) may hold LF line
#: breaks and tabs, and no other control character (no CR: line breaks are written ``\n``).
_NOT_TEXT: Final = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029]")
_LINE_BREAKS: Final = frozenset("\r\n\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029")
_FACT_NAME: Final = re.compile(r"[a-z][a-z0-9_]{0,63}")

_Problems: TypeAlias = "list[tuple[str, str]]"


def _text_problem(
    value: object, *, required: bool, one_line: bool, limit: int = _MAX_STR
) -> str | None:
    """What is wrong with ``value`` as a text field, or None.

    >>> _text_problem("Zoë Nguyễn", required=True, one_line=True) is None
    True
    >>> _text_problem("Acme\\n\\nDear reviewer: pay", required=True, one_line=True)
    'must be one line (holds a line break)'
    >>> _text_problem("12 Main St\\nSpringfield", required=False, one_line=False) is None
    True
    >>> _text_problem("12 Main St\\r\\nSpringfield", required=False, one_line=False)
    'holds a control character (U+000D); line breaks are written \\\\n'
    """
    if value is None:
        return "required" if required else None
    if not isinstance(value, str):
        return f"expected a string, got {_tname(value)}"
    if required and not value.strip():
        return "must not be empty"
    if len(value) > limit:
        return f"longer than {limit} characters"
    m = (_NOT_ONE_LINE if one_line else _NOT_TEXT).search(value)
    if m is None:
        return None
    ch = m.group()
    if one_line and ch in _LINE_BREAKS:
        return "must be one line (holds a line break)"
    if ch == "\r":
        return "holds a control character (U+000D); line breaks are written \\n"
    return f"holds a control character (U+{ord(ch):04X})"


def _date_problem(value: object, *, required: bool) -> str | None:
    if value is None:
        return "required" if required else None
    if isinstance(value, datetime):
        return "expected a date, got a datetime (a date has no time of day)"
    if not isinstance(value, date):
        return f"expected a date, got {_tname(value)}"
    return None


def _number_problem(value: object) -> str | None:
    """What is wrong with ``value`` as a service's charge or units, or None.

    >>> _number_problem(Decimal("48.00")) is None, _number_problem(Decimal("Infinity"))
    (True, 'must be a finite number')
    """
    if isinstance(value, bool) or not isinstance(value, (int, Decimal)):
        return "expected a number"
    d = Decimal(value)
    if not d.is_finite():
        return "must be a finite number"
    if abs(d) >= _MAX_NUMBER:
        return f"is too large (at most {_MAX_DIGITS} digits before the decimal point)"
    return None


def _lines_problems(value: object, path: str) -> _Problems:
    """A tuple of one-line strings (modifiers, diagnoses, denial codes)."""
    if not isinstance(value, tuple):
        return [(path, f"expected a list of strings, got {_tname(value)}")]
    out: _Problems = []
    for i, item in enumerate(value):
        problem = _text_problem(item, required=False, one_line=True)
        if problem is not None:
            out.append((f"{path}[{i}]", problem))
    return out


def _record_problem(value: object, cls: type, name: str) -> str | None:
    if isinstance(value, cls):
        return None
    return "required" if value is None else f"expected a {name}, got {_tname(value)}"


def _field_problems(check: str, value: object, path: str) -> _Problems:
    """The problems of one field's value under the check its metadata names."""
    problem: str | None
    if check in ("line", "line?", "text?"):
        problem = _text_problem(value, required=check == "line", one_line=check != "text?")
    elif check in ("date", "date?"):
        problem = _date_problem(value, required=check == "date")
    elif check == "number":
        problem = _number_problem(value)
    elif check == "number?":
        problem = None if value is None else _number_problem(value)
    elif check == "lines":
        return _lines_problems(value, path)
    elif check == "plan":
        problem = None
        if not isinstance(value, PlanType):
            problem = f"must be one of {', '.join(p.value for p in PlanType)}"
    elif check == "window":
        problem = None
        if value is not None and (
            isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 3650
        ):
            problem = "expected a whole number of days (1-3650)"
    elif check == "level":
        problem = None
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 5:
            problem = "expected a whole number from 0 to 5"
    elif check == "services":
        return _services_problems(value, path)
    elif check == "facts":
        return _facts_problems(value, path)
    elif check == "title":  # an evidence title or source: one line, and short
        problem = _text_problem(value, required=True, one_line=True, limit=_MAX_LINE)
    elif check == "kind":
        problem = "required" if value is None else None
        if value is not None and not isinstance(value, EvidenceKind):
            problem = f"must be one of {', '.join(k.value for k in EvidenceKind)}"
    elif check == "names":
        if not isinstance(value, tuple):
            return [(path, f"expected a list of fact names, got {_tname(value)}")]
        return [
            (f"{path}[{i}]", "fact names are lower_snake_case identifiers")
            for i, name in enumerate(value)
            if not isinstance(name, str) or not _FACT_NAME.fullmatch(name)
        ]
    elif check == "evidence":
        return _evidence_problems(value, path)
    else:  # a record: "Patient", "Provider", "Payer", "Denial"
        problem = _record_problem(value, _RECORDS[check], check)
    return [] if problem is None else [(path, problem)]


def _services_problems(value: object, path: str) -> _Problems:
    if not isinstance(value, tuple):
        return [(path, f"expected a list of service lines, got {_tname(value)}")]
    if not value:
        return [(path, "at least one service line is required")]
    out: _Problems = []
    for i, item in enumerate(value):
        problem = _record_problem(item, ServiceLine, "ServiceLine")
        if problem is not None:
            out.append((f"{path}[{i}]", problem))
    return out


def _evidence_problems(value: object, path: str) -> _Problems:
    if not isinstance(value, tuple):
        return [(path, f"expected a list of evidence items, got {_tname(value)}")]
    out: _Problems = []
    for i, item in enumerate(value):
        problem = _record_problem(item, Evidence, "Evidence")
        if problem is not None:
            out.append((f"{path}[{i}]", problem))
    return out


def _fact_problems(name: object, value: object, path: str) -> _Problems:
    """One fact: a lower_snake_case name; a date for a name ending in ``_date``; otherwise a
    string (which may span lines), a whole or finite decimal number, a boolean, a date, or a
    list of one-line strings."""
    if not isinstance(name, str) or not _FACT_NAME.fullmatch(name):
        return [(path, "fact names are lower_snake_case identifiers")]
    p = f"{path}.{name}"
    problem: str | None = None
    if name.endswith("_date"):
        problem = _date_problem(value, required=True)
    elif isinstance(value, str):
        problem = _text_problem(value, required=False, one_line=False)
    elif isinstance(value, tuple):
        return _lines_problems(value, p)
    elif isinstance(value, Decimal):
        problem = None if value.is_finite() else "must be a finite number"
    elif isinstance(value, datetime):
        problem = "expected a date, got a datetime (a date has no time of day)"
    elif not isinstance(value, (bool, int, date)):
        problem = f"expected a string, number, date or list of strings, got {_tname(value)}"
    return [] if problem is None else [(p, problem)]


def _facts_problems(value: object, path: str) -> _Problems:
    if not isinstance(value, Facts):
        return [(path, f"expected an object, got {_tname(value)}")]
    out: _Problems = []
    for k, v in value.items():
        out.extend(_fact_problems(k, v, path))
    return out


@functools.cache
def _checks(cls: type) -> tuple[tuple[str, str], ...]:
    """``(field name, check)`` for each field of a record that names a check."""
    fields = attrs.fields(cast("type[attrs.AttrsInstance]", cls))
    return tuple((f.name, f.metadata["check"]) for f in fields if "check" in f.metadata)


def _problems(cls: type, get: Callable[[str], object], path: str) -> _Problems:
    """Every problem of a record's values (read with ``get``), under ``path``."""
    out: _Problems = []
    for name, check in _checks(cls):
        out.extend(_field_problems(check, get(name), _join(path, name)))
    return out


#: Set while ``Claim.from_dict`` builds records whose values it has just checked with the
#: same checks, so that they are not checked twice (per thread and task, never global).
_CHECKED: ContextVar[bool] = ContextVar("denialkit_claim_checked", default=False)


def _self_check(record: object, path: str) -> None:
    """Raise :class:`ClaimDataError` naming every bad field of a record just built."""
    if _CHECKED.get():
        return
    problems = _problems(type(record), lambda name: getattr(record, name), path)
    if problems:
        raise ClaimDataError(problems)


#: The checks fields name in their metadata: a required one-line text, an optional one, an
#: optional text that may span lines.
_LINE: Final = {"check": "line"}
_LINE_OPT: Final = {"check": "line?"}
_TEXT_OPT: Final = {"check": "text?"}


def _str_tuple(value: Iterable[str]) -> tuple[str, ...]:
    """Lists (and other iterables) become tuples; a str or a non-iterable is left for the
    check to refuse."""
    given: object = value
    if isinstance(given, Iterable) and not isinstance(given, (tuple, str, bytes, Mapping)):
        return tuple(given)
    return cast("tuple[str, ...]", given)


def _plan_type(value: PlanType | str) -> PlanType:
    """A plan type's value (``"medicare"``) becomes the :class:`PlanType`; anything else is
    left for the check to refuse."""
    if isinstance(value, str) and not isinstance(value, PlanType):
        try:
            return PlanType(value)
        except ValueError:
            pass
    return cast("PlanType", value)


def _code_shown(text: object) -> str:
    """A denial code as a repr may show it: canonical when it is one, else ``"?"``."""
    if not isinstance(text, str):
        return "?"
    try:
        return str(parse(text))
    except InvalidCodeError:
        return "?"


_SERVICE_CODE: Final = re.compile(r"[A-Z0-9]{5}")
_NPI: Final = re.compile(r"[0-9]{10}")
_MODIFIER: Final = re.compile(r"[A-Z0-9]{2}")


def _shape_shown(text: object, shape: re.Pattern[str]) -> str:
    """A value a repr may show only when it has a code's shape (CPT/HCPCS, modifier)."""
    return text if isinstance(text, str) and shape.fullmatch(text) else "?"


@attrs.frozen
class Patient:
    """The patient. Every field is patient-identifying and hidden from reprs.

    The constructor checks every field as :meth:`Claim.from_dict` does: a wrong type, an
    empty name or a line break in a one-line field raises
    :class:`~denialkit.exceptions.ClaimDataError` naming the path.

    >>> Patient(name="Zoë\\nDear reviewer", member_id="W1")
    Traceback (most recent call last):
    ...
    denialkit.exceptions.ClaimDataError: claim data has 1 problem: patient.name: must be one ...

    Attributes:
        name: full name as the payer has it.
        member_id: member id, or the Medicare number (MBI) for Medicare plans.
        birth_date: date of birth.
        group_number: the plan's group number (commercial plans), when known.
    """

    name: str = attrs.field(repr=False, metadata=_LINE)
    member_id: str = attrs.field(repr=False, metadata=_LINE)
    birth_date: date | None = attrs.field(default=None, repr=False, metadata={"check": "date?"})
    group_number: str | None = attrs.field(default=None, repr=False, metadata=_LINE_OPT)

    def __attrs_post_init__(self) -> None:
        _self_check(self, "patient")

    def __repr__(self) -> str:
        return "<Patient (identifying fields hidden)>"


@attrs.frozen(repr=False)
class Provider:
    """The practice that appeals.

    Every field is one line except ``address``, which may span lines (``\\n``); the
    constructor checks them as :meth:`Claim.from_dict` does. The repr shows the NPI when it
    has an NPI's shape, and no free text:

    >>> Provider(name="Valley Family Medicine", npi="1234567893")
    <Provider npi='1234567893'>
    """

    name: str = attrs.field(metadata=_LINE)
    npi: str | None = attrs.field(default=None, metadata=_LINE_OPT)
    address: str | None = attrs.field(default=None, metadata=_TEXT_OPT)
    phone: str | None = attrs.field(default=None, metadata=_LINE_OPT)
    fax: str | None = attrs.field(default=None, metadata=_LINE_OPT)
    email: str | None = attrs.field(default=None, metadata=_LINE_OPT)
    signer_name: str | None = attrs.field(default=None, metadata=_LINE_OPT)
    signer_title: str | None = attrs.field(default=None, metadata=_LINE_OPT)

    def __attrs_post_init__(self) -> None:
        _self_check(self, "provider")

    def __repr__(self) -> str:
        npi = getattr(self, "npi", None)
        shown = npi if isinstance(npi, str) and _NPI.fullmatch(npi) else "?" if npi else None
        return f"<Provider npi={shown!r}>"


@attrs.frozen(repr=False)
class Payer:
    """The payer and where its appeals go.

    ``appeal_window_days`` is the payer's own filing window (commercial and Medicaid plans).
    ``plan_type`` takes a :class:`PlanType` or its value (``"medicare"``); anything else
    raises :class:`~denialkit.exceptions.ClaimDataError`:

    >>> Payer(name="Acme Health", plan_type="erisa").plan_type
    <PlanType.ERISA: 'erisa'>
    >>> Payer(name="Acme Health", plan_type="gold")
    Traceback (most recent call last):
    ...
    denialkit.exceptions.ClaimDataError: claim data has 1 problem: payer.plan_type: must be ...

    The repr shows the plan type and the window, and no free text:

    >>> Payer(name="Acme Health", plan_type="erisa", appeal_window_days=180)
    <Payer plan_type='erisa' appeal_window_days=180>
    """

    name: str = attrs.field(metadata=_LINE)
    plan_type: PlanType = attrs.field(
        default=PlanType.COMMERCIAL, converter=_plan_type, metadata={"check": "plan"}
    )
    appeals_address: str | None = attrs.field(default=None, metadata=_TEXT_OPT)
    fax: str | None = attrs.field(default=None, metadata=_LINE_OPT)
    appeal_window_days: int | None = attrs.field(default=None, metadata={"check": "window"})

    def __attrs_post_init__(self) -> None:
        _self_check(self, "payer")

    def __repr__(self) -> str:
        plan, window = getattr(self, "plan_type", None), getattr(self, "appeal_window_days", None)
        shown = plan.value if isinstance(plan, PlanType) else "?"
        days = window if type(window) is int or window is None else "?"
        return f"<Payer plan_type={shown!r} appeal_window_days={days!r}>"


@attrs.frozen(repr=False)
class ServiceLine:
    """One billed service. The date of service and diagnoses are hidden from reprs, and the
    repr shows the code and modifiers only when they have a code's shape."""

    code: str = attrs.field(metadata=_LINE)
    date: date = attrs.field(repr=False, metadata={"check": "date"})
    modifiers: tuple[str, ...] = attrs.field(
        default=(), converter=_str_tuple, metadata={"check": "lines"}
    )
    units: Decimal = attrs.field(default=Decimal(1), metadata={"check": "number"})
    charge: Decimal | None = attrs.field(default=None, metadata={"check": "number?"})
    diagnoses: tuple[str, ...] = attrs.field(
        default=(), converter=_str_tuple, repr=False, metadata={"check": "lines"}
    )
    description: str | None = attrs.field(default=None, repr=False, metadata=_LINE_OPT)

    def __attrs_post_init__(self) -> None:
        _self_check(self, "service")

    def __repr__(self) -> str:
        code = _shape_shown(getattr(self, "code", None), _SERVICE_CODE)
        mods = getattr(self, "modifiers", ())
        shown = tuple(_shape_shown(m, _MODIFIER) for m in mods) if isinstance(mods, tuple) else ()
        units, charge = getattr(self, "units", None), getattr(self, "charge", None)
        return (
            f"ServiceLine(code={code!r}, modifiers={shown!r}, units={_number_shown(units)}, "
            f"charge={_number_shown(charge)})"
        )


def _number_shown(value: object) -> str:
    return repr(value) if value is None or _number_problem(value) is None else "?"


@attrs.frozen(repr=False)
class Denial:
    """The payer's decision: when it was sent, its codes, and the reason it gave.

    The repr shows the codes that are denial codes (others as ``"?"``) and the level.

    Attributes:
        notice_date: the date on the denial notice or remittance.
        codes: the codes as the remittance shows them, e.g. ``("CO-16", "N290")``.
        reason: the payer's stated reason, quoted in the letter (may span lines).
        level: the appeal level already reached (0 = none yet).
    """

    notice_date: date = attrs.field(metadata={"check": "date"})
    codes: tuple[str, ...] = attrs.field(
        default=(), converter=_str_tuple, metadata={"check": "lines"}
    )
    reason: str | None = attrs.field(default=None, repr=False, metadata=_TEXT_OPT)
    level: int = attrs.field(default=0, metadata={"check": "level"})

    def __attrs_post_init__(self) -> None:
        _self_check(self, "denial")

    def __repr__(self) -> str:
        level = getattr(self, "level", None)
        return f"Denial(codes={_codes_shown(self)!r}, level={level if type(level) is int else '?'})"


def _codes_shown(denial: object) -> tuple[str, ...]:
    codes = getattr(denial, "codes", ())
    return tuple(_code_shown(c) for c in codes) if isinstance(codes, tuple) else ()


class EvidenceKind(enum.StrEnum):
    """What a piece of evidence is. The letter's wording and the checklist depend on it.

    >>> EvidenceKind("rating-scale").label
    'rating scale results'
    """

    DENIAL_NOTICE = "denial-notice"
    """The payer's notice or remittance advice (the letter always encloses a copy)."""
    CONSENT = "consent"
    """The patient's consent to a service (signed form or dated note of verbal consent)."""
    CARE_PLAN = "care-plan"
    """A care plan, with its date."""
    RATING_SCALE = "rating-scale"
    """Results of a validated rating scale (PHQ-9, GAD-7), with dates and scores."""
    TIME_LOG = "time-log"
    """A log of staff time, e.g. care manager minutes in a calendar month."""
    CONSULTATION_NOTE = "consultation-note"
    """A consultant's note, e.g. the psychiatric consultant's caseload review."""
    REGISTRY = "registry"
    """An extract of the practice's registry showing the patient enrolled and followed."""
    AUTHORIZATION = "authorization"
    """A prior (or retroactive) authorization approval, or the request for one."""
    MEDICAL_RECORD = "medical-record"
    """Clinical notes or records for the dates of service."""
    COVERAGE_POLICY = "coverage-policy"
    """The payer's coverage policy or criteria (an LCD, a medical policy)."""
    MEDICAL_NECESSITY_LETTER = "medical-necessity-letter"
    """A letter of medical necessity from the treating practitioner."""
    TIMELY_FILING_PROOF = "timely-filing-proof"
    """Proof the claim was filed in time (clearinghouse acceptance, payer acknowledgment)."""
    CORRECTED_CLAIM = "corrected-claim"
    """A corrected claim or the corrected information."""
    PRIOR_PAYER_EOB = "prior-payer-eob"
    """Another payer's explanation of benefits or remittance (coordination of benefits)."""
    OTHER = "other"
    """Anything else; the title says what it is."""

    @property
    def label(self) -> str:
        """A plain name for the kind, as a checklist or a message says it."""
        return _KIND_LABELS[self]


_KIND_LABELS: Final = {
    EvidenceKind.DENIAL_NOTICE: "denial notice",
    EvidenceKind.CONSENT: "patient consent",
    EvidenceKind.CARE_PLAN: "care plan",
    EvidenceKind.RATING_SCALE: "rating scale results",
    EvidenceKind.TIME_LOG: "time log",
    EvidenceKind.CONSULTATION_NOTE: "consultation note",
    EvidenceKind.REGISTRY: "registry extract",
    EvidenceKind.AUTHORIZATION: "authorization",
    EvidenceKind.MEDICAL_RECORD: "medical record",
    EvidenceKind.COVERAGE_POLICY: "coverage policy",
    EvidenceKind.MEDICAL_NECESSITY_LETTER: "letter of medical necessity",
    EvidenceKind.TIMELY_FILING_PROOF: "proof of timely filing",
    EvidenceKind.CORRECTED_CLAIM: "corrected claim",
    EvidenceKind.PRIOR_PAYER_EOB: "prior payer's EOB",
    EvidenceKind.OTHER: "other document",
}

#: ``Evidence.source`` when the user typed the item in rather than pointing at a file.
USER_SOURCE: Final = "provided by the user"


def _kind(value: EvidenceKind | str) -> EvidenceKind:
    """A kind's value (``"consent"``) becomes the :class:`EvidenceKind`; anything else is
    left for the check to refuse."""
    if isinstance(value, str) and not isinstance(value, EvidenceKind):
        try:
            return EvidenceKind(value)
        except ValueError:
            pass
    return cast("EvidenceKind", value)


def _names(value: Iterable[str]) -> tuple[str, ...]:
    if isinstance(value, str):
        return (value,)
    return _str_tuple(value)


#: An evidence title or source is one line of at most this many characters.
_MAX_LINE: Final = 500


@attrs.frozen(cache_hash=True)
class Evidence:
    """One document the letter encloses: what it is, its date, how the letter names it.

    The title, date and source may identify the patient and are hidden from reprs. The
    constructor checks every field as :meth:`Claim.from_dict` does: the title and source are
    one line each (no line break or control character, at most 500 characters).

    Attributes:
        kind: what the document is (an :class:`EvidenceKind`; a string value is converted).
        title: a short, one-line description as the enclosure list prints it, e.g.
            ``"PHQ-9 results"``; the letter adds the date.
        date: the document's date, when it has one.
        source: where it came from: a file name, a record reference such as
            ``"Observation/phq9-2"``, or ``"provided by the user"`` (the default).
        supports: the names of the facts it proves, e.g. ``("consent_date",)``.

    >>> e = Evidence("consent", "Signed consent form", date(2026, 9, 2), supports=("consent_date",))
    >>> e
    <Evidence kind='consent' supports=('consent_date',)>
    >>> e.kind is EvidenceKind.CONSENT, e.source
    (True, 'provided by the user')
    >>> Evidence("consent", "Consent\\n\\nDear reviewer: pay")
    Traceback (most recent call last):
    ...
    denialkit.exceptions.ClaimDataError: claim data has 1 problem: evidence.title: must be ...
    """

    kind: EvidenceKind = attrs.field(converter=_kind, metadata={"check": "kind"})
    title: str = attrs.field(repr=False, metadata={"check": "title"})
    date: date | None = attrs.field(default=None, repr=False, metadata={"check": "date?"})
    source: str = attrs.field(default=USER_SOURCE, repr=False, metadata={"check": "title"})
    supports: tuple[str, ...] = attrs.field(
        default=(), converter=_names, metadata={"check": "names"}
    )

    def __attrs_post_init__(self) -> None:
        _self_check(self, "evidence")

    def __repr__(self) -> str:
        kind = getattr(self, "kind", None)
        supports = getattr(self, "supports", ())
        shown = (
            tuple(s if isinstance(s, str) and _FACT_NAME.fullmatch(s) else "?" for s in supports)
            if isinstance(supports, tuple)
            else ()
        )
        value = kind.value if isinstance(kind, EvidenceKind) else "?"
        return f"<Evidence kind={value!r} supports={shown!r}>"


def _evidence_tuple(items: Iterable[Evidence]) -> tuple[Evidence, ...]:
    return _str_tuple(items)  # type: ignore[arg-type,return-value]


_T = TypeVar("_T")


class Facts(Mapping[str, "FactValue"]):
    """An immutable mapping of code-specific evidence (values hidden from reprs).

    >>> f = Facts({"care_manager_minutes": 45})
    >>> f["care_manager_minutes"], len(f), f
    (45, 1, <Facts keys=['care_manager_minutes']>)
    """

    __slots__ = ("_index", "_items")
    _items: tuple[tuple[str, FactValue], ...]
    _index: dict[str, FactValue]

    def __init__(self, items: Mapping[str, FactValue] | None = None) -> None:
        data: dict[str, object] = dict(items or {})
        data = {k: tuple(v) if isinstance(v, list) else v for k, v in data.items()}
        for k in data:
            if not isinstance(k, str):
                raise TypeError("fact names must be strings")
        object.__setattr__(self, "_items", tuple(sorted(data.items())))
        object.__setattr__(self, "_index", dict(self._items))  # O(1) lookups

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError("Facts is immutable")

    def __getitem__(self, key: str) -> FactValue:
        try:
            return self._index[key]
        except TypeError:  # an unhashable key is simply not there
            raise KeyError(key) from None

    def __iter__(self) -> Iterator[str]:
        return (k for k, _ in self._items)

    # fast paths over the index (same results as the Mapping defaults)
    def __contains__(self, key: object) -> bool:
        try:
            return key in self._index
        except TypeError:
            return False

    @overload
    def get(self, key: str, /) -> FactValue | None: ...

    @overload
    def get(self, key: str, /, default: FactValue | _T) -> FactValue | _T: ...

    def get(self, key: str, /, default: object = None) -> object:
        try:
            return self._index.get(key, default)
        except TypeError:
            return default

    def values(self) -> ValuesView[FactValue]:
        return self._index.values()

    def items(self) -> ItemsView[str, FactValue]:
        return self._index.items()

    def __len__(self) -> int:
        return len(self._items)

    def __hash__(self) -> int:
        return hash(self._items)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Facts):
            return self._items == other._items
        if isinstance(other, Mapping):
            return dict(self._items) == dict(other)
        return NotImplemented

    def __repr__(self) -> str:
        items = getattr(self, "_items", ())
        return f"<Facts keys={[k if _FACT_NAME.fullmatch(k) else '?' for k, _ in items]}>"

    def __reduce__(self) -> tuple[type[Facts], tuple[dict[str, FactValue]]]:
        return (Facts, (dict(self._items),))


def _fact_lookup(facts: Mapping[str, FactValue]) -> Callable[[str], FactValue | None]:
    """``facts.get``, as the index's own ``dict.get`` for a :class:`Facts` (no Python call
    per lookup; a fact name is a str, so the index never meets an unhashable key)."""
    if type(facts) is Facts:
        return facts._index.get
    return facts.get


def _service_tuple(items: Iterable[ServiceLine]) -> tuple[ServiceLine, ...]:
    return _str_tuple(items)  # type: ignore[arg-type,return-value]


def _facts(value: Mapping[str, FactValue] | Facts | None) -> Facts:
    """A mapping with string keys becomes :class:`Facts`; anything else is left for the
    check to refuse."""
    if isinstance(value, Facts):
        return value
    if value is None:
        return Facts()
    if isinstance(value, Mapping) and all(isinstance(k, str) for k in value):
        return Facts(value)
    return cast("Facts", value)


class _ConflictLike(Protocol):
    def message(self) -> str: ...


class _FilledLike(Protocol):
    @property
    def claim(self) -> Claim: ...

    @property
    def conflicts(self) -> Sequence[_ConflictLike]: ...


class RecordLike(Protocol):
    """What :meth:`Claim.with_record` needs of a record: :class:`denialkit.record.Record`."""

    def fill(
        self,
        claim: Claim,
        *,
        code: str | None = ...,
        month: str | None = ...,
        prefer: Literal["claim", "record"] = ...,
        patient: str | None = ...,
    ) -> _FilledLike: ...


@attrs.frozen
class Claim:
    """A denied claim with everything an appeal letter needs.

    Build one directly, or from plain data with :meth:`from_dict` / :meth:`from_json`. Both
    check every field the same way and report all problems of a record at once in a
    :class:`~denialkit.exceptions.ClaimDataError` that names each path (``patient.name``),
    never a value. One-line fields (names, ids, numbers, codes, titles) hold no line break
    or other control character; addresses, the denial reason and text facts may span lines.
    The repr shows counts and the denial codes that are codes.
    """

    claim_number: str = attrs.field(repr=False, metadata=_LINE)
    patient: Patient = attrs.field(repr=False, metadata={"check": "Patient"})
    provider: Provider = attrs.field(repr=False, metadata={"check": "Provider"})
    payer: Payer = attrs.field(repr=False, metadata={"check": "Payer"})
    services: tuple[ServiceLine, ...] = attrs.field(
        repr=False, converter=_service_tuple, metadata={"check": "services"}
    )
    denial: Denial = attrs.field(repr=False, metadata={"check": "Denial"})
    facts: Facts = attrs.field(
        factory=Facts, converter=_facts, repr=False, metadata={"check": "facts"}
    )
    evidence: tuple[Evidence, ...] = attrs.field(
        default=(), converter=_evidence_tuple, repr=False, metadata={"check": "evidence"}
    )

    def __attrs_post_init__(self) -> None:
        _self_check(self, "")

    def __repr__(self) -> str:
        services, facts = getattr(self, "services", ()), getattr(self, "facts", ())
        return (
            f"<Claim services={len(services) if isinstance(services, tuple) else '?'} "
            f"codes={_codes_shown(getattr(self, 'denial', None))!r} "
            f"facts={len(facts) if isinstance(facts, Facts) else '?'}>"
        )

    @property
    def service_dates(self) -> tuple[date, ...]:
        """Distinct dates of service, in order."""
        return tuple(sorted({s.date for s in self.services}))

    def evolve(self, **changes: Any) -> Claim:
        """A copy with some fields replaced (``facts`` may be a plain mapping)."""
        return attrs.evolve(self, **changes)

    def with_record(
        self,
        record: RecordLike,
        *,
        code: str | None = None,
        month: str | None = None,
        prefer: Literal["claim", "record"] = "claim",
        patient: str | None = None,
    ) -> Claim:
        """A copy with the facts and evidence the patient's record shows filled in.

        ``record`` comes from :func:`denialkit.record.read`, and does the work (this is
        ``record.fill(claim, ...).claim``; see :func:`denialkit.record.fill`). Facts the
        claim already holds win, unless ``prefer="record"``. Each disagreement is reported
        as a :class:`~denialkit.exceptions.RecordConflictWarning` naming the fact, the
        claim's path and the record's resource, never a value; for the conflicts, the origin
        of every fact and what is still missing as data, call :func:`denialkit.record.fill`.

        Args:
            record: the patient's record.
            code: the denial code the facts are for (default: the claim's first
                care-management code, else its first code).
            month: the billed month, ``"YYYY-MM"`` (default: that of the claim's first
                care-management service).
            prefer: ``"claim"`` or ``"record"``: whose value a conflict keeps.
            patient: whose facts to read (``"Patient/<id>"``), when the record is about
                several patients.

        Raises:
            TypeError: ``record`` is not a record.
            RecordError: the record is about several patients and ``patient`` does not say
                which one.
        """
        if not callable(getattr(record, "fill", None)):
            raise TypeError(
                f"with_record() needs a record from denialkit.record.read(), "
                f"not {type(record).__name__}"
            )
        filled = record.fill(self, code=code, month=month, prefer=prefer, patient=patient)
        for conflict in filled.conflicts:
            warnings.warn(conflict.message(), RecordConflictWarning, stacklevel=2)
        return filled.claim

    def without_fact(self, name: str) -> Claim:
        """A copy without one fact (handy to see what a letter says when it is missing)."""
        return attrs.evolve(self, facts=Facts({k: v for k, v in self.facts.items() if k != name}))

    # -- plain data ------------------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready data (dates as ISO strings, money as strings)."""
        plain = _to_plain(self)
        assert isinstance(plain, dict)
        return plain

    def to_json(self, *, indent: int | None = 2) -> str:
        """The claim as JSON text, readable by :meth:`from_json`."""
        return json.dumps(self.to_dict(), indent=indent, ensure_ascii=False)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Claim:
        """Build a claim from plain data, checking every field.

        Raises:
            ClaimDataError: one entry per bad path (``services[0].date``), with no values.

        >>> Claim.from_dict({"claim_number": 5})
        Traceback (most recent call last):
        ...
        denialkit.exceptions.ClaimDataError: claim data has 6 problems: ...
        """
        checker = _Checker()
        claim = checker.claim(data)
        if checker.problems or claim is None:
            raise ClaimDataError(checker.problems)
        return claim

    @classmethod
    def from_json(cls, text: str | bytes) -> Claim:
        """Build a claim from JSON text (see :meth:`from_dict`).

        Raises:
            ClaimDataError: the text is not JSON, or any field is wrong.
        """
        if not isinstance(text, (str, bytes, bytearray)):
            raise TypeError(f"from_json needs str or bytes, not {type(text).__name__}")
        where: str | None = None
        try:
            data = json.loads(text, parse_float=Decimal)
        except (ValueError, RecursionError) as exc:
            line = getattr(exc, "lineno", None)
            where = f" (line {line})" if line else ""
        if where is not None:
            # raised here, outside the handler: the decoding error holds the whole input
            # (JSONDecodeError.doc, UnicodeDecodeError.object) and must not ride along as
            # __context__ into an error reporter
            raise ClaimDataError([("$", f"not valid JSON{where}")])
        return cls.from_dict(data)


def _to_plain(value: object) -> object:
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, Facts):
        return {k: _to_plain(v) for k, v in value.items()}
    if attrs.has(type(value)):
        names = [f.name for f in attrs.fields(cast("type[attrs.AttrsInstance]", type(value)))]
        return {
            name: _to_plain(getattr(value, name))
            for name in names
            if getattr(value, name) not in (None, ())
        }
    if isinstance(value, (tuple, list)):
        return [_to_plain(v) for v in value]
    return value


# ------------------------------------------------------------------ checking plain data

_DATE_RE: Final = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")

#: A value that could not be converted from plain data (its problem is already reported).
_BAD: Final = object()


class _Checker:
    """Walks plain data, collecting ``(path, message)`` problems without echoing values.

    It converts what plain data spells differently (dates as text, numbers as text or
    floats, lists, plan type values) and then runs the records' own checks
    (:func:`_problems`) on the converted values, so both ways of building a claim refuse
    the same things with the same messages.
    """

    def __init__(self) -> None:
        self.problems: list[tuple[str, str]] = []

    def bad(self, path: str, message: str) -> None:
        self.problems.append((path, message))

    def obj(self, data: object, path: str, allowed: Iterable[str]) -> Mapping[str, Any] | None:
        if data is None:
            self.bad(path, "required")
            return None
        if not isinstance(data, Mapping):
            self.bad(path, f"expected an object, got {_tname(data)}")
            return None
        for k in data:
            if k not in allowed:
                safe = isinstance(k, str) and re.fullmatch(r"[a-z][a-z0-9_]{0,39}", k)
                key = k if safe else "(a key)"
                self.bad(f"{path}.{key}" if path != "$" else str(key), "unknown field")
        return data

    def date_value(self, v: object, p: str) -> object:
        """A date from ``YYYY-MM-DD`` text; other values go to the record's check."""
        if not isinstance(v, str):
            return v
        if _DATE_RE.match(v) and len(v) > 10 and v[10] in "T ":
            self.bad(p, "expected a date, got a date and time (a date has no time of day)")
            return _BAD
        if not _DATE_RE.fullmatch(v):
            self.bad(p, "expected a date as YYYY-MM-DD")
            return _BAD
        try:
            return date.fromisoformat(v)
        except ValueError:
            self.bad(p, "not a real calendar date")
            return _BAD

    def decimal(self, v: object, p: str) -> object:
        if v is None or isinstance(v, Decimal):
            return v
        if isinstance(v, bool) or not isinstance(v, (int, str, float)):
            self.bad(p, f"expected a number, got {_tname(v)}")
            return _BAD
        try:
            return Decimal(str(v))
        except InvalidOperation:
            self.bad(p, "not a number")
            return _BAD

    def strings(self, v: object, p: str) -> object:
        if v is None:
            return ()
        if isinstance(v, str) or not isinstance(v, Sequence):
            self.bad(p, f"expected a list of strings, got {_tname(v)}")
            return _BAD
        return tuple(v)

    def record(self, cls: type[_R], values: dict[str, object], path: str) -> _R | None:
        """Run the record's checks on converted values; build it when they all pass."""
        for name, check in _checks(cast(type, cls)):
            if values[name] is not _BAD:  # a value that did not convert is reported already
                self.problems.extend(_field_problems(check, values[name], _join(path, name)))
        if any(v is _BAD for v in values.values()) or self.problems:
            return None
        return _build(cls, **values)

    # -- records ---------------------------------------------------------------------
    def claim(self, data: object) -> Claim | None:
        d = self.obj(data, "$", _CLAIM_KEYS)
        if d is None:
            return None
        number = d.get("claim_number")
        self.problems.extend(_field_problems("line", number, "claim_number"))
        patient = self.patient(d.get("patient"), "patient")
        provider = self.provider(d.get("provider"), "provider")
        payer = self.payer(d.get("payer"), "payer")
        services = self.services(d.get("services"), "services")
        denial = self.denial(d.get("denial"), "denial")
        facts = self.facts(d.get("facts"), "facts")
        evidence = self.evidence(d.get("evidence"), "evidence")
        facts, evidence = self.legacy_enclosures(facts, evidence)
        if self.problems or not (patient and provider and payer and denial):
            return None
        return _build(
            Claim,
            claim_number=cast(str, number),
            patient=patient,
            provider=provider,
            payer=payer,
            services=services,
            denial=denial,
            facts=facts,
            evidence=evidence,
        )

    def patient(self, data: object, path: str) -> Patient | None:
        d = self.obj(data, path, _PATIENT_KEYS)
        if d is None:
            return None
        values = {k: d.get(k) for k in _PATIENT_KEYS}
        values["birth_date"] = self.date_value(values["birth_date"], f"{path}.birth_date")
        return self.record(Patient, values, path)

    def provider(self, data: object, path: str) -> Provider | None:
        d = self.obj(data, path, _PROVIDER_KEYS)
        if d is None:
            return None
        return self.record(Provider, {k: d.get(k) for k in _PROVIDER_KEYS}, path)

    def payer(self, data: object, path: str) -> Payer | None:
        d = self.obj(data, path, _PAYER_KEYS)
        if d is None:
            return None
        values = {k: d.get(k) for k in _PAYER_KEYS}
        plan = values["plan_type"]
        values["plan_type"] = PlanType.COMMERCIAL if plan is None else _plan_type(cast(str, plan))
        return self.record(Payer, values, path)

    def services(self, data: object, path: str) -> tuple[ServiceLine, ...]:
        if data is None:
            self.bad(path, "required (at least one service line)")
            return ()
        if isinstance(data, (str, bytes)) or not isinstance(data, Sequence):
            self.bad(path, f"expected a list of service lines, got {_tname(data)}")
            return ()
        if not data:
            self.bad(path, "at least one service line is required")
        out = []
        for i, item in enumerate(data):
            p = f"{path}[{i}]"
            d = self.obj(item, p, _SERVICE_KEYS)
            if d is None:
                continue
            values = {k: d.get(k) for k in _SERVICE_KEYS}
            values["date"] = self.date_value(values["date"], f"{p}.date")
            values["modifiers"] = self.strings(values["modifiers"], f"{p}.modifiers")
            values["diagnoses"] = self.strings(values["diagnoses"], f"{p}.diagnoses")
            units = self.decimal(values["units"], f"{p}.units")
            values["units"] = Decimal(1) if units is None else units
            values["charge"] = self.decimal(values["charge"], f"{p}.charge")
            line = self.record(ServiceLine, values, p)
            if line is not None:
                out.append(line)
        return tuple(out)

    def denial(self, data: object, path: str) -> Denial | None:
        d = self.obj(data, path, _DENIAL_KEYS)
        if d is None:
            return None
        values = {k: d.get(k) for k in _DENIAL_KEYS}
        values["notice_date"] = self.date_value(values["notice_date"], f"{path}.notice_date")
        values["codes"] = self.strings(values["codes"], f"{path}.codes")
        values["level"] = d.get("level", 0)
        return self.record(Denial, values, path)

    def facts(self, data: object, path: str) -> Facts:
        if data is None:
            return Facts()
        if not isinstance(data, Mapping):
            self.bad(path, f"expected an object, got {_tname(data)}")
            return Facts()
        out: dict[str, FactValue] = {}
        for k, v in data.items():
            if isinstance(k, str) and k.endswith("_date"):
                v = self.date_value(v, f"{path}.{k}")
            elif isinstance(v, float):
                v = Decimal(str(v))  # nan and inf too: the check refuses them
            elif isinstance(v, list):
                v = tuple(v)
            if v is _BAD:
                continue
            problems = _fact_problems(k, v, path)
            if problems:
                self.problems.extend(problems)
            else:
                out[k] = cast("FactValue", v)
        return Facts(out)

    # -- evidence --------------------------------------------------------------------
    def evidence(self, data: object, path: str) -> tuple[Evidence, ...]:
        if data is None:
            return ()
        if isinstance(data, (str, bytes)) or not isinstance(data, Sequence):
            self.bad(path, f"expected a list of evidence items, got {_tname(data)}")
            return ()
        out = []
        for i, item in enumerate(data):
            p = f"{path}[{i}]"
            d = self.obj(item, p, _EVIDENCE_KEYS)
            if d is None:
                continue
            values = {k: d.get(k) for k in _EVIDENCE_KEYS}
            values["kind"] = _kind(cast(str, values["kind"]))
            for key in ("title", "source"):  # trimmed; a blank source is the user's
                if isinstance(values[key], str):
                    values[key] = cast(str, values[key]).strip()
            if not values["source"]:
                values["source"] = USER_SOURCE
            values["date"] = self.date_value(values["date"], f"{p}.date")
            values["supports"] = self.strings(values["supports"], f"{p}.supports")
            record = self.record(Evidence, values, p)
            if record is not None:
                out.append(record)
        return tuple(out)

    def legacy_enclosures(
        self, facts: Facts, evidence: tuple[Evidence, ...]
    ) -> tuple[Facts, tuple[Evidence, ...]]:
        """The old ``facts["enclosures"]`` strings become evidence of kind ``other``."""
        if "enclosures" not in facts:
            return facts, evidence
        items = facts["enclosures"]
        rest = Facts({k: v for k, v in facts.items() if k != "enclosures"})
        if not isinstance(items, tuple):
            self.bad("facts.enclosures", "expected a list of strings")
            return rest, evidence
        extra = []
        for i, title in enumerate(items):
            problem = _field_problems("title", title.strip(), f"facts.enclosures[{i}]")
            if problem:
                self.problems.extend(problem)
            else:
                extra.append(Evidence(EvidenceKind.OTHER, title.strip()))
        return rest, evidence + tuple(extra)


_CLAIM_KEYS: Final = {
    "claim_number",
    "patient",
    "provider",
    "payer",
    "services",
    "denial",
    "facts",
    "evidence",
}
_EVIDENCE_KEYS: Final = ("kind", "title", "date", "source", "supports")

_R = TypeVar("_R")


def _build(cls: Callable[..., _R], **values: object) -> _R:
    """A record from values the checker has checked already (their checks are not rerun)."""
    token = _CHECKED.set(True)
    try:
        return cls(**values)
    finally:
        _CHECKED.reset(token)


_PATIENT_KEYS: Final = ("name", "member_id", "birth_date", "group_number")
_PROVIDER_KEYS: Final = (
    "name", "npi", "address", "phone", "fax", "email", "signer_name", "signer_title",
)  # fmt: skip
_PAYER_KEYS: Final = ("name", "plan_type", "appeals_address", "fax", "appeal_window_days")
_SERVICE_KEYS: Final = (
    "code", "date", "modifiers", "units", "charge", "diagnoses", "description",
)  # fmt: skip
_DENIAL_KEYS: Final = ("notice_date", "codes", "reason", "level")
_RECORDS: Final[dict[str, type]] = {
    "Patient": Patient,
    "Provider": Provider,
    "Payer": Payer,
    "Denial": Denial,
}


def _join(path: str, key: str) -> str:
    return key if path in ("", "$") else f"{path}.{key}"


def _tname(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    return type(value).__name__


def claim_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of the claim format :meth:`Claim.from_json` reads.

    >>> claim_schema()["required"]
    ['claim_number', 'patient', 'provider', 'payer', 'services', 'denial']
    """
    text = {"type": "string", "minLength": 1}
    opt = {"type": "string"}
    day = {"type": "string", "format": "date", "pattern": r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"}
    num = {
        "type": ["number", "string"],
        "pattern": rf"^-?0*[0-9]{{1,{_MAX_DIGITS}}}(\.[0-9]+)?$",
        "exclusiveMaximum": 10**_MAX_DIGITS,
        "exclusiveMinimum": -(10**_MAX_DIGITS),
    }
    strings = {"type": "array", "items": {"type": "string"}}
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://denialkit.readthedocs.io/schemas/claim.json",
        "title": "denialkit claim",
        "description": "A denied claim with what an appeal letter needs.",
        "type": "object",
        "additionalProperties": False,
        "required": ["claim_number", "patient", "provider", "payer", "services", "denial"],
        "properties": {
            "claim_number": text,
            "patient": {
                "type": "object",
                "additionalProperties": False,
                "required": ["name", "member_id"],
                "properties": {
                    "name": text,
                    "member_id": {**text, "description": "member id, or the MBI for Medicare"},
                    "birth_date": day,
                    "group_number": opt,
                },
            },
            "provider": {
                "type": "object",
                "additionalProperties": False,
                "required": ["name"],
                "properties": {
                    "name": text,
                    "npi": {"type": "string", "pattern": "^[0-9]{10}$"},
                    "address": opt,
                    "phone": opt,
                    "fax": opt,
                    "email": opt,
                    "signer_name": opt,
                    "signer_title": opt,
                },
            },
            "payer": {
                "type": "object",
                "additionalProperties": False,
                "required": ["name"],
                "properties": {
                    "name": text,
                    "plan_type": {"enum": [p.value for p in PlanType]},
                    "appeals_address": opt,
                    "fax": opt,
                    "appeal_window_days": {"type": "integer", "minimum": 1, "maximum": 3650},
                },
            },
            "services": {
                "type": "array",
                "minItems": 1,
                "items": {
                    "type": "object",
                    "additionalProperties": False,
                    "required": ["code", "date"],
                    "properties": {
                        "code": {**text, "description": "CPT or HCPCS code"},
                        "date": day,
                        "modifiers": strings,
                        "units": num,
                        "charge": num,
                        "diagnoses": {**strings, "description": "ICD-10-CM codes"},
                        "description": opt,
                    },
                },
            },
            "denial": {
                "type": "object",
                "additionalProperties": False,
                "required": ["notice_date"],
                "properties": {
                    "notice_date": day,
                    "codes": strings,
                    "reason": opt,
                    "level": {"type": "integer", "minimum": 0, "maximum": 5},
                },
            },
            "evidence": {
                "type": "array",
                "description": "the documents the letter encloses, in the order it uses them",
                "items": {
                    "type": "object",
                    "additionalProperties": False,
                    "required": ["kind", "title"],
                    "properties": {
                        "kind": {"enum": [k.value for k in EvidenceKind]},
                        "title": {
                            "type": "string",
                            "minLength": 1,
                            "maxLength": _MAX_LINE,
                            "pattern": r"^[^\r\n]*\S[^\r\n]*$",
                            "description": "one line, as the enclosure list prints it",
                        },
                        "date": day,
                        "source": {
                            "type": "string",
                            "maxLength": _MAX_LINE,
                            "pattern": r"^[^\r\n]*$",
                            "description": "a file name, a record reference, or "
                            f"{USER_SOURCE!r} (the default)",
                        },
                        "supports": {
                            "type": "array",
                            "items": {"type": "string", "pattern": "^[a-z][a-z0-9_]{0,63}$"},
                            "description": "the names of the facts it proves",
                        },
                    },
                },
            },
            "facts": {
                "type": "object",
                "description": "code-specific values; names ending in _date hold dates",
                "propertyNames": {"pattern": "^[a-z][a-z0-9_]{0,63}$"},
                "additionalProperties": {
                    "type": ["string", "number", "boolean", "array"],
                    "items": {"type": "string"},
                },
            },
        },
    }
