"""The claim model: who, what, when, the denial, and the facts an appeal argues from.

Every record is ``attrs``-frozen, typed and picklable. Patient-identifying values (names,
member ids, dates of birth, claim numbers, dates of service, free-text facts) never appear in
a ``repr``: reprs show shapes and counts only.

>>> from datetime import date
>>> from decimal import Decimal
>>> claim = Claim(
...     claim_number="CLM-1001",
...     patient=Patient(name="Zoë Nguyễn", member_id="1EG4TE5MK73", birth_date=date(1950, 3, 1)),
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
import json
import re
from collections.abc import ItemsView, Iterable, Iterator, Mapping, Sequence, ValuesView
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any, Final, TypeAlias, TypeVar, cast, overload

import attrs

from .exceptions import ClaimDataError

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


def _mask(value: object) -> str:
    return "<redacted>" if value else "<empty>"


@attrs.frozen
class Patient:
    """The patient. Every field is patient-identifying and hidden from reprs.

    Attributes:
        name: full name as the payer has it.
        member_id: member id, or the Medicare number (MBI) for Medicare plans.
        birth_date: date of birth.
        group_number: the plan's group number (commercial plans), when known.
    """

    name: str = attrs.field(repr=False)
    member_id: str = attrs.field(repr=False)
    birth_date: date | None = attrs.field(default=None, repr=False)
    group_number: str | None = attrs.field(default=None, repr=False)

    def __repr__(self) -> str:
        return "<Patient (identifying fields hidden)>"


@attrs.frozen
class Provider:
    """The practice that appeals (not patient data, shown in reprs)."""

    name: str
    npi: str | None = None
    address: str | None = None
    phone: str | None = None
    fax: str | None = None
    email: str | None = None
    signer_name: str | None = None
    signer_title: str | None = None


@attrs.frozen
class Payer:
    """The payer and where its appeals go.

    ``appeal_window_days`` is the payer's own filing window (commercial and Medicaid plans).
    """

    name: str
    plan_type: PlanType = PlanType.COMMERCIAL
    appeals_address: str | None = None
    fax: str | None = None
    appeal_window_days: int | None = None


@attrs.frozen
class ServiceLine:
    """One billed service. The date of service and diagnoses are hidden from reprs."""

    code: str
    date: date = attrs.field(repr=False)
    modifiers: tuple[str, ...] = ()
    units: Decimal = Decimal(1)
    charge: Decimal | None = None
    diagnoses: tuple[str, ...] = attrs.field(default=(), repr=False)
    description: str | None = attrs.field(default=None, repr=False)


@attrs.frozen
class Denial:
    """The payer's decision: when it was sent, its codes, and the reason it gave.

    Attributes:
        notice_date: the date on the denial notice or remittance.
        codes: the codes as the remittance shows them, e.g. ``("CO-16", "N290")``.
        reason: the payer's stated reason, quoted in the letter.
        level: the appeal level already reached (0 = none yet).
    """

    notice_date: date = attrs.field(repr=False)
    codes: tuple[str, ...] = ()
    reason: str | None = attrs.field(default=None, repr=False)
    level: int = 0


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
    return value if isinstance(value, EvidenceKind) else EvidenceKind(value)


def _names(value: Iterable[str]) -> tuple[str, ...]:
    if isinstance(value, str):
        return (value,)
    given: object = value
    if isinstance(given, (bytes, bytearray)) or not isinstance(given, Iterable):
        raise TypeError("supports must be a sequence of fact names")
    return tuple(value)


@attrs.frozen(cache_hash=True)
class Evidence:
    """One document the letter encloses: what it is, its date, how the letter names it.

    The title, date and source may identify the patient and are hidden from reprs.

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
    """

    kind: EvidenceKind = attrs.field(converter=_kind)
    title: str = attrs.field(repr=False)
    date: date | None = attrs.field(default=None, repr=False)
    source: str = attrs.field(default=USER_SOURCE, repr=False)
    supports: tuple[str, ...] = attrs.field(default=(), converter=_names)

    def __repr__(self) -> str:
        return f"<Evidence kind={self.kind.value!r} supports={self.supports!r}>"


def _evidence_tuple(items: Iterable[Evidence]) -> tuple[Evidence, ...]:
    return tuple(items)


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
        data = dict(items or {})
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
        return f"<Facts keys={[k for k, _ in self._items]}>"

    def __reduce__(self) -> tuple[type[Facts], tuple[dict[str, FactValue]]]:
        return (Facts, (dict(self._items),))


def _service_tuple(items: Iterable[ServiceLine]) -> tuple[ServiceLine, ...]:
    return tuple(items)


def _facts(value: Mapping[str, FactValue] | Facts | None) -> Facts:
    return value if isinstance(value, Facts) else Facts(value)


@attrs.frozen
class Claim:
    """A denied claim with everything an appeal letter needs.

    Build one directly, or from plain data with :meth:`from_dict` / :meth:`from_json`, which
    check every field and report all problems at once in a
    :class:`~denialkit.exceptions.ClaimDataError`.
    """

    claim_number: str = attrs.field(repr=False)
    patient: Patient = attrs.field(repr=False)
    provider: Provider = attrs.field(repr=False)
    payer: Payer = attrs.field(repr=False)
    services: tuple[ServiceLine, ...] = attrs.field(repr=False, converter=_service_tuple)
    denial: Denial = attrs.field(repr=False)
    facts: Facts = attrs.field(factory=Facts, converter=_facts, repr=False)
    evidence: tuple[Evidence, ...] = attrs.field(default=(), converter=_evidence_tuple, repr=False)

    def __repr__(self) -> str:
        return (
            f"<Claim services={len(self.services)} codes={self.denial.codes!r} "
            f"facts={len(self.facts)}>"
        )

    @property
    def service_dates(self) -> tuple[date, ...]:
        """Distinct dates of service, in order."""
        return tuple(sorted({s.date for s in self.services}))

    def evolve(self, **changes: Any) -> Claim:
        """A copy with some fields replaced (``facts`` may be a plain mapping)."""
        return attrs.evolve(self, **changes)

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
        try:
            data = json.loads(text, parse_float=Decimal)
        except (ValueError, RecursionError) as exc:
            line = getattr(exc, "lineno", None)
            where = f" (line {line})" if line else ""
            raise ClaimDataError([("$", f"not valid JSON{where}")]) from None
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
_MAX_STR: Final = 10_000
#: Charges and units must stay below this size: no claim bills a trillion, and an amount
#: this short is formatted to the cent without rounding.
_MAX_DIGITS: Final = 12  # before the decimal point
_MAX_NUMBER: Final = Decimal(10) ** _MAX_DIGITS


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


class _Checker:
    """Walks plain data, collecting ``(path, message)`` problems without echoing values."""

    def __init__(self) -> None:
        self.problems: list[tuple[str, str]] = []

    def bad(self, path: str, message: str) -> None:
        self.problems.append((path, message))

    def obj(self, data: object, path: str, allowed: set[str]) -> Mapping[str, Any] | None:
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

    def string(self, data: Mapping[str, Any], key: str, path: str, *, required: bool) -> str | None:
        p = _join(path, key)
        v = data.get(key)
        if v is None:
            if required:
                self.bad(p, "required")
            return None
        if not isinstance(v, str):
            self.bad(p, f"expected a string, got {_tname(v)}")
            return None
        if required and not v.strip():
            self.bad(p, "must not be empty")
            return None
        if len(v) > _MAX_STR:
            self.bad(p, f"longer than {_MAX_STR} characters")
            return None
        return v

    def date_(self, data: Mapping[str, Any], key: str, path: str, *, required: bool) -> date | None:
        p = _join(path, key)
        v = data.get(key)
        if v is None:
            if required:
                self.bad(p, "required")
            return None
        return self.date_value(v, p)

    def date_value(self, v: object, p: str) -> date | None:
        if isinstance(v, datetime):
            self.bad(p, "expected a date, got a datetime (a date has no time of day)")
            return None
        if isinstance(v, date):
            return v
        if not isinstance(v, str):
            self.bad(p, f"expected a date as YYYY-MM-DD, got {_tname(v)}")
            return None
        if _DATE_RE.match(v) and len(v) > 10 and v[10] in "T ":
            self.bad(p, "expected a date, got a date and time (a date has no time of day)")
            return None
        if not _DATE_RE.fullmatch(v):
            self.bad(p, "expected a date as YYYY-MM-DD")
            return None
        try:
            return date.fromisoformat(v)
        except ValueError:
            self.bad(p, "not a real calendar date")
            return None

    def decimal(self, data: Mapping[str, Any], key: str, path: str) -> Decimal | None:
        p = _join(path, key)
        v = data.get(key)
        if v is None:
            return None
        if isinstance(v, bool) or not isinstance(v, (int, str, Decimal, float)):
            self.bad(p, f"expected a number, got {_tname(v)}")
            return None
        try:
            d = Decimal(str(v))
        except InvalidOperation:
            self.bad(p, "not a number")
            return None
        problem = _number_problem(d)
        if problem is not None:
            self.bad(p, problem)
            return None
        return d

    def strings(self, data: Mapping[str, Any], key: str, path: str) -> tuple[str, ...]:
        p = _join(path, key)
        v = data.get(key)
        if v is None:
            return ()
        if isinstance(v, str) or not isinstance(v, Sequence):
            self.bad(p, f"expected a list of strings, got {_tname(v)}")
            return ()
        out = []
        for i, item in enumerate(v):
            if not isinstance(item, str):
                self.bad(f"{p}[{i}]", f"expected a string, got {_tname(item)}")
            else:
                out.append(item)
        return tuple(out)

    # -- records ---------------------------------------------------------------------
    def claim(self, data: object) -> Claim | None:
        d = self.obj(data, "$", _CLAIM_KEYS)
        if d is None:
            return None
        number = self.string(d, "claim_number", "", required=True)
        patient = self.patient(d.get("patient"), "patient")
        provider = self.provider(d.get("provider"), "provider")
        payer = self.payer(d.get("payer"), "payer")
        services = self.services(d.get("services"), "services")
        denial = self.denial(d.get("denial"), "denial")
        facts = self.facts(d.get("facts"), "facts")
        evidence = self.evidence(d.get("evidence"), "evidence")
        facts, evidence = self.legacy_enclosures(facts, evidence)
        if self.problems:
            return None
        if not (number and patient and provider and payer and denial):
            return None
        return Claim(number, patient, provider, payer, services, denial, facts, evidence)

    def patient(self, data: object, path: str) -> Patient | None:
        d = self.obj(data, path, {"name", "member_id", "birth_date", "group_number"})
        if d is None:
            return None
        name = self.string(d, "name", path, required=True)
        member = self.string(d, "member_id", path, required=True)
        born = self.date_(d, "birth_date", path, required=False)
        group = self.string(d, "group_number", path, required=False)
        if name is None or member is None:
            return None
        return Patient(name=name, member_id=member, birth_date=born, group_number=group)

    def provider(self, data: object, path: str) -> Provider | None:
        keys = {"name", "npi", "address", "phone", "fax", "email", "signer_name", "signer_title"}
        d = self.obj(data, path, keys)
        if d is None:
            return None
        name = self.string(d, "name", path, required=True)
        others = {k: self.string(d, k, path, required=False) for k in sorted(keys - {"name"})}
        if name is None:
            return None
        return Provider(name=name, **others)

    def payer(self, data: object, path: str) -> Payer | None:
        d = self.obj(
            data, path, {"name", "plan_type", "appeals_address", "fax", "appeal_window_days"}
        )
        if d is None:
            return None
        name = self.string(d, "name", path, required=True)
        plan = PlanType.COMMERCIAL
        raw = d.get("plan_type")
        if raw is not None:
            try:
                plan = PlanType(raw)
            except (ValueError, TypeError):
                choices = ", ".join(p.value for p in PlanType)
                self.bad(_join(path, "plan_type"), f"must be one of {choices}")
        window = d.get("appeal_window_days")
        if window is not None and (
            isinstance(window, bool) or not isinstance(window, int) or not 1 <= window <= 3650
        ):
            self.bad(_join(path, "appeal_window_days"), "expected a whole number of days (1-3650)")
            window = None
        address = self.string(d, "appeals_address", path, required=False)
        fax = self.string(d, "fax", path, required=False)
        if name is None:
            return None
        return Payer(
            name=name, plan_type=plan, appeals_address=address, fax=fax, appeal_window_days=window
        )

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
        keys = {"code", "date", "modifiers", "units", "charge", "diagnoses", "description"}
        for i, item in enumerate(data):
            p = f"{path}[{i}]"
            d = self.obj(item, p, keys)
            if d is None:
                continue
            code = self.string(d, "code", p, required=True)
            when = self.date_(d, "date", p, required=True)
            mods = self.strings(d, "modifiers", p)
            units = self.decimal(d, "units", p)
            charge = self.decimal(d, "charge", p)
            dx = self.strings(d, "diagnoses", p)
            desc = self.string(d, "description", p, required=False)
            if code is not None and when is not None:
                out.append(
                    ServiceLine(
                        code=code,
                        date=when,
                        modifiers=mods,
                        units=units if units is not None else Decimal(1),
                        charge=charge,
                        diagnoses=dx,
                        description=desc,
                    )
                )
        return tuple(out)

    def denial(self, data: object, path: str) -> Denial | None:
        d = self.obj(data, path, {"notice_date", "codes", "reason", "level"})
        if d is None:
            return None
        notice = self.date_(d, "notice_date", path, required=True)
        codes = self.strings(d, "codes", path)
        reason = self.string(d, "reason", path, required=False)
        level = d.get("level", 0)
        if isinstance(level, bool) or not isinstance(level, int) or not 0 <= level <= 5:
            self.bad(_join(path, "level"), "expected a whole number from 0 to 5")
            level = 0
        if notice is None:
            return None
        return Denial(notice_date=notice, codes=codes, reason=reason, level=level)

    def facts(self, data: object, path: str) -> Facts:
        if data is None:
            return Facts()
        if not isinstance(data, Mapping):
            self.bad(path, f"expected an object, got {_tname(data)}")
            return Facts()
        out: dict[str, FactValue] = {}
        for k, v in data.items():
            if not isinstance(k, str) or not re.fullmatch(r"[a-z][a-z0-9_]{0,63}", k):
                self.bad(path, "fact names are lower_snake_case identifiers")
                continue
            p = f"{path}.{k}"
            if k.endswith("_date"):
                d = self.date_value(v, p)
                if d is not None:
                    out[k] = d
            elif isinstance(v, bool | int | str):
                if isinstance(v, str) and len(v) > _MAX_STR:
                    self.bad(p, f"longer than {_MAX_STR} characters")
                else:
                    out[k] = v
            elif isinstance(v, (float, Decimal)):
                try:
                    dv = Decimal(str(v))
                except InvalidOperation:
                    dv = Decimal("NaN")
                if dv.is_finite():
                    out[k] = dv
                else:
                    self.bad(p, "must be a finite number")
            elif isinstance(v, Sequence) and all(isinstance(x, str) for x in v):
                out[k] = tuple(v)
            else:
                self.bad(p, f"expected a string, number, date or list of strings, got {_tname(v)}")
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
            kind = self.evidence_kind(d.get("kind"), _join(p, "kind"))
            title = self.evidence_line(d, "title", p, required=True)
            when = self.date_(d, "date", p, required=False)
            source = self.evidence_line(d, "source", p, required=False)
            supports = self.strings(d, "supports", p)
            for j, name in enumerate(supports):
                if not _FACT_NAME_RE.fullmatch(name):
                    self.bad(f"{p}.supports[{j}]", "fact names are lower_snake_case identifiers")
            if kind is not None and title is not None:
                out.append(Evidence(kind, title, when, source or USER_SOURCE, supports))
        return tuple(out)

    def evidence_kind(self, raw: object, p: str) -> EvidenceKind | None:
        if raw is None:
            self.bad(p, "required")
            return None
        try:
            return EvidenceKind(cast("str", raw))
        except (ValueError, TypeError):
            self.bad(p, f"must be one of {', '.join(k.value for k in EvidenceKind)}")
            return None

    def evidence_line(
        self, data: Mapping[str, Any], key: str, path: str, *, required: bool
    ) -> str | None:
        p = _join(path, key)
        v = data.get(key)
        if v is None or (isinstance(v, str) and not v.strip() and not required):
            if required:
                self.bad(p, "required")
            return None
        if not isinstance(v, str):
            self.bad(p, f"expected a string, got {_tname(v)}")
            return None
        if not v.strip():
            self.bad(p, "must not be empty")
            return None
        if "\n" in v or "\r" in v:
            self.bad(p, "must be one line")
            return None
        if len(v) > _MAX_LINE:
            self.bad(p, f"longer than {_MAX_LINE} characters")
            return None
        return v.strip()

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
            if not title.strip():
                self.bad(f"facts.enclosures[{i}]", "must not be empty")
            elif "\n" in title or "\r" in title:
                self.bad(f"facts.enclosures[{i}]", "must be one line")
            elif len(title) > _MAX_LINE:
                self.bad(f"facts.enclosures[{i}]", f"longer than {_MAX_LINE} characters")
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
_EVIDENCE_KEYS: Final = {"kind", "title", "date", "source", "supports"}
_FACT_NAME_RE: Final = re.compile(r"[a-z][a-z0-9_]{0,63}")
#: An evidence title or source is one line of at most this many characters.
_MAX_LINE: Final = 500


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
