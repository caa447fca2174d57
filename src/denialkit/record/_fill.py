"""Combining a claim with its record: fill what is missing, report what disagrees (private).

The combining lives here, not on :class:`~denialkit.claim.Claim`: ``record`` imports ``claim``,
so a ``Claim.with_record`` method would have to import ``record`` back, which is an import
circle even when hidden in a function.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any, Final, Literal

import attrs

from denialkit._repr import fields_repr, tolerant
from denialkit.claim import Claim, Evidence, Facts, FactValue

from ._base import RecordBase
from ._dates import Month
from ._facts import (
    BHI_FACTS,
    Fact,
    PayerHint,
    RecordFacts,
    Source,
    evidence_for,
    is_bhi_code,
    read_facts,
)

if TYPE_CHECKING:
    from ._record import Record

__all__ = ["Conflict", "Filled", "Origin", "fill"]

Prefer = Literal["claim", "record"]

#: Where each record fact lives in a claim.
CLAIM_PATHS: Final = {
    **{name: f"facts.{name}" for name in BHI_FACTS},
    "patient_name": "patient.name",
    "patient_birth_date": "patient.birth_date",
    "member_id": "patient.member_id",
    "payer_name": "payer.name",
    "claim_number": "claim_number",
}
_BHI_SERVICES: Final = ("99484", "99492", "99493", "99494", "G2214")


@attrs.frozen
class Conflict:
    """The claim and the record disagree on a fact (neither value is shown).

    Attributes:
        fact: the fact's name, e.g. ``"care_manager_minutes"``.
        claim_path: where the claim holds it, e.g. ``"facts.care_manager_minutes"``.
        record_source: ``Type/id`` of the (first) resource the record's value came from.
        kept: which value the filled claim holds: ``"claim"`` or ``"record"``.
    """

    fact: str
    claim_path: str
    record_source: str
    kept: Literal["claim", "record"]
    __repr__ = fields_repr

    def message(self) -> str:
        """A sentence for a person, without either value."""
        return (
            f"{self.fact}: the claim ({self.claim_path}) and the record ({self.record_source}) "
            f"disagree; the {self.kept}'s value is kept"
        )


@attrs.frozen
class Origin:
    """Where one fact of the filled claim came from.

    Attributes:
        fact: the fact's name.
        claim_path: where the claim holds it.
        origin: ``"claim"`` (the user gave it), ``"record"`` (read from the record) or
            ``"missing"`` (neither has it).
        sources: the record's sources for the fact (also when the claim's value was kept).
        agrees: whether the claim's value and the record's agree (None when one is absent).
    """

    fact: str
    claim_path: str
    origin: Literal["claim", "record", "missing"]
    sources: tuple[Source, ...] = ()
    agrees: bool | None = None
    __repr__ = fields_repr


@attrs.frozen
class Filled:
    """A claim filled from its record, with the account of every fact.

    Attributes:
        claim: the new claim (the original is unchanged).
        record_facts: what the record gave.
        conflicts: every disagreement between claim and record.
        origins: where each fact came from, in fact order.
        evidence: the record's documents that support the filled claim's values, as
            :class:`~denialkit.claim.Evidence` (each names its resource): the claim's evidence
            gains those it did not hold already. A source whose value lost a conflict is not
            among them, nor are the patient, coverage and denial resources.
        missing: the code's facts that neither the claim nor the record has.
    """

    claim: Claim
    record_facts: RecordFacts
    conflicts: tuple[Conflict, ...]
    origins: tuple[Origin, ...]
    evidence: tuple[Evidence, ...]
    missing: tuple[str, ...]

    @tolerant
    def __repr__(self) -> str:
        return (
            f"<Filled facts={len(self.claim.facts)} conflicts={len(self.conflicts)} "
            f"missing={list(self.missing)}>"
        )

    def explain(self) -> str:
        """One line per fact: where it came from, and any disagreement (no values)."""
        lines = []
        for o in self.origins:
            where = ", ".join(f"{s.resource} ({s.path})" for s in o.sources)
            if o.origin == "missing":
                lines.append(f"{o.fact}: missing (neither the claim nor the record has it)")
            elif o.origin == "record":
                lines.append(f"{o.fact}: from the record, {where}")
            elif o.agrees:
                lines.append(f"{o.fact}: from the claim; the record agrees, {where}")
            elif o.agrees is False:
                lines.append(f"{o.fact}: from the claim; the record disagrees, {where}")
            else:
                lines.append(f"{o.fact}: from the claim; not in the record")
        codes = self.record_facts.facts.get("denial_codes")
        if codes is not None:
            lines.append(f"denial_codes: in the record, {codes.source} (not part of the claim)")
        return "\n".join(lines)


# -- comparing values -------------------------------------------------------------------------
def _text(value: object) -> str:
    return " ".join(str(value).split()).casefold()


def _same_number(a: object, b: object) -> bool:
    try:
        return Decimal(str(a)) == Decimal(str(b))
    except InvalidOperation:
        return False


def _same_scale(a: object, b: object) -> bool:
    return re.sub(r"[\s\-]", "", _text(a)) == re.sub(r"[\s\-]", "", _text(b))


def _same_scores(claim_value: object, record_fact_value: object) -> bool:
    """Every score the record lists appears in the claim's text as a number."""
    stated = set(re.findall(r"\d+(?:\.\d+)?", str(claim_value)))
    record_scores = re.findall(r"(\d+(?:\.\d+)?) (?:on|in) ", str(record_fact_value))
    return all(s in stated for s in record_scores)


def _same_date(a: object, b: object) -> bool:
    return isinstance(a, date) and a == b


_SAME: Final[dict[str, Callable[[object, object], bool]]] = {
    "consent_date": _same_date,
    "care_plan_date": _same_date,
    "patient_birth_date": _same_date,
    "care_manager_minutes": _same_number,
    "rating_scale": _same_scale,
    "rating_scale_scores": _same_scores,
}


def _agree(name: str, claim_value: object, record_value: object) -> bool:
    same = _SAME.get(name)
    if same is not None:
        return same(claim_value, record_value)
    return _text(claim_value) == _text(record_value)


def _claim_value(claim: Claim, name: str) -> object:
    path = CLAIM_PATHS[name]
    if path.startswith("facts."):
        return claim.facts.get(name)
    obj: object = claim
    for part in path.split("."):
        obj = getattr(obj, part)
    return obj


def billed_month(claim: Claim) -> Month:
    """The month a claim bills: that of its first care-management service, else its first."""
    lines = sorted(claim.services, key=lambda s: (s.code not in _BHI_SERVICES, s.date))
    return Month.of(lines[0].date)


def service_date(claim: Claim, month: Month) -> date | None:
    """The date of service a consent must cover: the last of the claim's care-management
    services in the billed month (None when it bills none in that month)."""
    days = [
        s.date
        for s in claim.services
        if s.code in _BHI_SERVICES and month.first <= s.date <= month.last
    ]
    return max(days, default=None)


def _set(claim: Claim, name: str, value: FactValue) -> Claim:
    path = CLAIM_PATHS[name]
    if path == "claim_number":
        return attrs.evolve(claim, claim_number=str(value))
    if path.startswith("patient."):
        field = path.split(".", 1)[1]
        changes: dict[str, Any] = {field: value}
        return attrs.evolve(claim, patient=attrs.evolve(claim.patient, **changes))
    if path == "payer.name":
        return attrs.evolve(claim, payer=attrs.evolve(claim.payer, name=str(value)))
    return claim  # facts are set all at once by the caller


def fill(
    claim: Claim,
    record: Record,
    *,
    code: str | None = None,
    month: str | Month | None = None,
    prefer: Literal["claim", "record"] = "claim",
    patient: str | None = None,
) -> Filled:
    """A new claim with the facts the record shows filled in, and an account of each.

    Facts the claim already has win, unless ``prefer="record"``. Either way a disagreement is
    reported as a :class:`Conflict`, never resolved in silence.

    Args:
        claim: the claim as the user has it.
        record: the patient's record, from :func:`denialkit.record.read`.
        code: the denial code the facts are for (default: the claim's first care-management
            code, else its first code).
        month: the billed month (default: the month of the claim's first care-management
            service, else of its first service).
        prefer: ``"claim"`` (default) or ``"record"``: whose value a conflict keeps.
        patient: whose facts to read, when the record is about several patients (as for
            :func:`denialkit.record.facts`).

    Raises:
        TypeError: ``claim`` is not a Claim or ``record`` not a Record.
        ValueError: ``prefer`` is neither ``"claim"`` nor ``"record"``, or ``month`` is not
            ``YYYY-MM``.
        RecordError: the record is about several patients and ``patient`` does not say
            which one (or names none the record holds).
    """
    if not isinstance(claim, Claim):
        raise TypeError(f"fill() needs a Claim, not {type(claim).__name__}")
    if not isinstance(record, RecordBase):
        raise TypeError(f"fill() needs a Record from read(), not {type(record).__name__}")
    if prefer not in ("claim", "record"):
        raise ValueError('prefer must be "claim" or "record"')
    if code is None:
        codes = claim.denial.codes
        code = next((c for c in codes if is_bhi_code(c)), codes[0] if codes else "CCM21")
    billed = billed_month(claim) if month is None else month
    billed = billed if isinstance(billed, Month) else Month.parse(billed)
    found = read_facts(
        record,
        code=code,
        month=billed,
        patient=patient,
        payer=PayerHint(claim.payer.name or None, str(claim.payer.plan_type)),
        service_date=service_date(claim, billed),
    )
    new_facts: dict[str, FactValue] = dict(claim.facts)
    conflicts: list[Conflict] = []
    origins: list[Origin] = []
    supported: list[Fact] = []
    filled = claim
    bhi = is_bhi_code(code)
    wanted = [n for n in CLAIM_PATHS if bhi or n not in BHI_FACTS]
    for name in wanted:
        path = CLAIM_PATHS[name]
        fact = found.facts.get(name)
        mine = _claim_value(claim, name)
        if fact is None:
            origins.append(Origin(name, path, "missing" if mine in (None, "") else "claim"))
            continue
        if mine in (None, ""):
            take = True
            agrees: bool | None = None
        else:
            agrees = _agree(name, mine, fact.value)
            take = not agrees and prefer == "record"
            if not agrees:
                conflicts.append(Conflict(name, path, fact.source, "record" if take else "claim"))
        if take:
            if path.startswith("facts."):
                new_facts[name] = fact.value
            else:
                filled = _set(filled, name, fact.value)
            origins.append(Origin(name, path, "record", fact.sources, agrees))
        else:
            origins.append(Origin(name, path, "claim", fact.sources, agrees))
        if take or agrees:
            supported.append(fact)
    evidence = evidence_for(supported)
    known = {e.source for e in claim.evidence}
    added = tuple(e for e in evidence if e.source not in known)
    filled = attrs.evolve(filled, facts=Facts(new_facts), evidence=claim.evidence + added)
    missing = tuple(o.fact for o in origins if o.origin == "missing" and o.fact in BHI_FACTS)
    return Filled(filled, found, tuple(conflicts), tuple(origins), evidence, missing)
