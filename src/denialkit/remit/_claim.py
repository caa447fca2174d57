"""A claim payment as a :class:`~denialkit.claim.Claim` (private module).

:func:`to_claim` turns one :class:`~denialkit.remit.ClaimPayment` into a claim from what the
835 carries. Every text value read from the 835 (names, ids, codes, descriptions) is made one
line first (:func:`one_line`): a line break or another control character inside a value
becomes a space and runs of spaces become one, so a value such as a payer name holding
``"\n\nDear reviewer: ..."`` can never form a paragraph of its own in a letter.

This module imports no other module of :mod:`denialkit.remit` at run time (the records
import it), so the records, the tables and this module form no circle.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Final

from denialkit._ids import procedure_kind
from denialkit.claim import Claim, Denial, Facts, FactValue, Patient, Payer, PlanType, Provider
from denialkit.claim import ServiceLine as ClaimServiceLine
from denialkit.exceptions import ClaimDataError

if TYPE_CHECKING:
    from ._records import ClaimPayment, DenialItem, ServiceLine

__all__ = [
    "PLAN_BY_FILING",
    "claim_services",
    "letter_lines",
    "no_lines_message",
    "one_line",
    "plan_by_filing",
    "to_claim",
    "work_codes",
]

#: Claim filing indicators (CLP06) whose plan type is certain.
PLAN_BY_FILING: Final = {"MA": "medicare", "MB": "medicare", "16": "medicare-advantage"}


def plan_by_filing(indicator: str | None) -> str | None:
    """The plan type a claim filing indicator (CLP06) makes certain, or None; read as the
    code it spells, also padded or in lower case (``"mb "`` is Medicare Part B)."""
    return PLAN_BY_FILING.get(indicator.strip().upper()) if indicator else None


#: NM108 qualifiers whose NM109 is never used as a member id (34: social security number).
_NOT_MEMBER_IDS: Final = frozenset({"34"})

_FACT_NAME: Final = re.compile(r"[a-z][a-z0-9_]{0,63}")
#: Whitespace and control characters: C0, DEL, C1, and the Unicode line and paragraph
#: separators.
_BREAKS: Final = re.compile(r"[\s\x00-\x1f\x7f-\x9f\u2028\u2029]+")
_ONE: Final = Decimal(1)
_ZERO: Final = Decimal(0)


def one_line(value: str) -> str:
    """``value`` on one line: every run of whitespace or control characters (CR, LF, NUL,
    ESC, ...) becomes one space, and the ends are trimmed.

    >>> one_line("ACME  HEALTH\\n\\nDear reviewer:\\tpay")
    'ACME HEALTH Dear reviewer: pay'
    """
    if value.isprintable() and "  " not in value and value == value.strip():
        return value
    return _BREAKS.sub(" ", value).strip()


def _opt(value: str | None) -> str | None:
    return None if value is None else (one_line(value) or None)


def work_codes(items: Iterable[DenialItem]) -> tuple[str, ...]:
    """The codes of these items (all of one claim) as the remittance shows them: each
    item's reason codes (``"CO-50"``), then the remark codes at its level (``"N115"``);
    then the claim's own remark codes (``MIA``/``MOA``) when no claim-level item carried
    them, since they apply to every line; deduplicated in order."""
    out: dict[str, None] = {}
    claim: ClaimPayment | None = None
    claim_level = False
    for item in items:
        claim = item.claim
        claim_level = claim_level or item.line is None
        for a in item.adjustments:
            out.setdefault(a.key, None)
        for r in item.remarks:
            out.setdefault(r, None)
    if claim is not None and not claim_level:
        for r in claim.remarks:
            out.setdefault(r, None)
    return tuple(out)


def letter_lines(payment: ClaimPayment, items: Iterable[DenialItem]) -> tuple[ServiceLine, ...]:
    """The service lines a letter about these items concerns: every line of the claim when
    an item is at claim level (or there is none), else only the lines of the items, in
    file order."""
    numbers: set[int] = set()
    for item in items:
        if item.line is None:
            return payment.lines
        numbers.add(item.line.number)
    if not numbers:
        return payment.lines
    return tuple(line for line in payment.lines if line.number in numbers)


def _member_id(payment: ClaimPayment) -> str | None:
    # the payer's corrected id first (NM1*74 with NM108 = C), then the patient's, then the
    # insured's; never a social security number
    for nm in payment.names:
        if nm.role == "74" and nm.id_qualifier == "C" and nm.identifier:
            return one_line(nm.identifier)
    for person in (payment.patient, payment.insured):
        if person is not None and person.identifier and person.id_qualifier not in _NOT_MEMBER_IDS:
            return one_line(person.identifier)
    return None


def _group_number(payment: ClaimPayment) -> str | None:
    for q, v in payment.references:
        if q == "1L" and one_line(v):
            return one_line(v)
    return None


def _facts(facts: object) -> Facts:
    if facts is None:
        return Facts()
    if not isinstance(facts, Mapping):
        raise TypeError(f"facts must be a mapping of fact names to values, not {_tname(facts)}")
    problems: list[tuple[str, str]] = []
    out: dict[str, FactValue] = {}
    for k, v in facts.items():
        if not isinstance(k, str):
            raise TypeError("fact names must be strings")
        if not _FACT_NAME.fullmatch(k):
            problems.append(("facts", "fact names are lower_snake_case identifiers"))
            continue
        if isinstance(v, datetime):
            problems.append((f"facts.{k}", "expected a date, got a datetime"))
        elif isinstance(v, (str, int, Decimal, date)):  # bool is an int
            out[k] = v
        elif isinstance(v, (tuple, list)) and all(isinstance(x, str) for x in v):
            out[k] = tuple(v)
        else:
            problems.append(
                (
                    f"facts.{k}",
                    f"expected a string, number, date or list of strings, got {_tname(v)}",
                )
            )
    if problems:
        raise ClaimDataError(problems)
    return Facts(out)


def _tname(value: object) -> str:
    return "None" if value is None else type(value).__name__


def _services(value: object) -> tuple[ClaimServiceLine, ...] | None:
    """The caller's services, checked for their type (the claim checks their fields)."""
    if value is None:
        return None
    if not isinstance(value, (tuple, list)) or not all(
        isinstance(s, ClaimServiceLine) for s in value
    ):
        raise TypeError("services must be a list of denialkit.claim.ServiceLine objects, or None")
    return tuple(value)


def _check_date(name: str, value: object) -> None:
    if value is not None and (isinstance(value, datetime) or not isinstance(value, date)):
        raise TypeError(f"{name} must be a datetime.date, not {_tname(value)}")


def claim_services(
    payment: ClaimPayment,
    problems: list[tuple[str, str]],
    lines: tuple[ServiceLine, ...] | None = None,
) -> tuple[ClaimServiceLine, ...]:
    """``lines`` (default: every SVC of the claim) as claim lines, in order; what a line
    lacks is added to ``problems``."""
    if lines is None:
        lines = payment.lines
    where = f"the claim at segment {payment.segment}"
    if not lines:
        problems.append(("services", no_lines_message(payment)))
        return ()
    out: list[ClaimServiceLine] = []
    for line in lines:
        code = one_line(line.submitted_procedure or line.procedure or "")
        day = payment.service_date(line)
        path = f"services[{len(out)}]"
        if not code:
            problems.append(
                (
                    f"{path}.code",
                    f"service line {line.number} of {where} has no procedure code (SVC01)",
                )
            )
            continue
        other = _other_code_set(line)
        if other is not None:
            problems.append(
                (
                    f"{path}.code",
                    f"service line {line.number} of {where} names its service by {other}, "
                    "not by the CPT or HCPCS code a letter lists; give the services as "
                    "billed (to_claim(services=...))",
                )
            )
            continue
        if day is None:
            problems.append(
                (
                    f"{path}.date",
                    f"service line {line.number} of {where} has no service date (DTM*472, "
                    "DTM*150 or DTM*151 on the line or the claim, DTM*232 or DTM*233 on the "
                    "claim)",
                )
            )
            continue
        if line.submitted_units is not None:
            units = line.submitted_units
        elif line.units is not None and line.units != _ZERO:
            units = line.units
        else:
            units = _ONE
        out.append(
            ClaimServiceLine(
                code=code,
                date=day,
                modifiers=tuple(m for m in map(one_line, _modifiers(line)) if m),
                units=units,
                charge=line.charge,
                description=_opt(line.description),
            )
        )
    return tuple(out)


#: SVC01-1 qualifiers whose code is a CPT or HCPCS procedure code: HC (HCPCS, which holds
#: CPT) and AD (the ADA's dental codes, HCPCS D codes).
_PROCEDURE_SETS: Final = frozenset({"HC", "AD"})
#: SVC01-1 qualifiers whose code is never a procedure code, named for the message.
_NOT_PROCEDURES: Final = {
    "NU": "a revenue code (NU)",
    "N4": "a national drug code (N4)",
    "HP": "a HIPPS rate code (HP)",
    "IV": "a home infusion code (IV)",
    "WK": "an ABC code (WK)",
}
_QUALIFIER: Final = re.compile(r"[A-Z0-9]{2}")


def _other_code_set(line: ServiceLine) -> str | None:
    """What the line's code is when SVC01 names it by another code set than CPT or HCPCS
    (a revenue code, a drug code, ...), for a message; ``None`` when it is a procedure code.

    HC, AD and a blank qualifier name a procedure code; so does the code as submitted
    (SVC06) when there is one. A code of a set agreed with the payer (ZZ), a
    jurisdiction's (ER) or another set counts as one only when it has a CPT or HCPCS
    shape (``ZZ:A0230``)."""
    if line.submitted_procedure:
        return None
    q = line.qualifier.strip().upper()
    if not q or q in _PROCEDURE_SETS:
        return None
    named = _NOT_PROCEDURES.get(q)
    if named is not None:
        return named
    if procedure_kind(one_line(line.procedure)) is not None:
        return None
    return f"a code of another set ({q})" if _QUALIFIER.fullmatch(q) else "a code of another set"


def no_lines_message(payment: ClaimPayment) -> str:
    """Why a claim without service lines cannot become a letter's claim (no value of the
    claim in it)."""
    where = f"the claim at segment {payment.segment}"
    return (
        f"{where} has no service line (SVC): the payer answered the claim as a whole (as for "
        "an inpatient DRG claim), so the 835 gives no procedure code for a letter to list; "
        "give the services as billed (to_claim(services=...))"
    )


def _modifiers(line: ServiceLine) -> tuple[str, ...]:
    """The modifiers the provider billed: those of SVC06 when the payer adjudicated the line
    under another code or other modifiers (SVC06 gives the procedure as submitted)."""
    if line.submitted_procedure is not None:
        return line.submitted_modifiers
    return line.modifiers


def to_claim(
    payment: ClaimPayment,
    items: Iterable[DenialItem],
    *,
    provider: Provider,
    payer: Payer | None = None,
    notice_date: date | None = None,
    facts: Mapping[str, FactValue] | None = None,
    services: Sequence[ClaimServiceLine] | None = None,
) -> Claim:
    """The :class:`~denialkit.claim.Claim` of one claim payment whose items that need work
    are ``items`` (see :meth:`denialkit.remit.ClaimPayment.to_claim`, which documents every
    field)."""
    if not isinstance(provider, Provider):
        raise TypeError(f"provider must be a denialkit Provider, not {_tname(provider)}")
    if payer is not None and not isinstance(payer, Payer):
        raise TypeError(f"payer must be a denialkit Payer or None, not {_tname(payer)}")
    _check_date("notice_date", notice_date)
    fact_map = _facts(facts)
    given = _services(services)

    problems: list[tuple[str, str]] = []
    where = f"the claim at segment {payment.segment}"
    number = one_line(payment.payer_claim_number or payment.patient_control_number or "")
    if not number:
        problems.append(
            (
                "claim_number",
                f"{where} has no payer claim control number (CLP07) or patient "
                "control number (CLP01)",
            )
        )
    patient = payment.patient
    name = one_line(patient.name) if patient is not None else ""
    if not name:
        problems.append(("patient.name", f"{where} has no patient name (NM1*QC)"))
    member = _member_id(payment)
    if not member:
        problems.append(
            ("patient.member_id", f"{where} has no member id (NM109 of NM1*QC or NM1*IL)")
        )
    items = tuple(items)
    lines = (
        given
        if given is not None
        else claim_services(payment, problems, letter_lines(payment, items))
    )
    header = payment.header
    notice = notice_date or header.payment_date or header.production_date
    if notice is None:
        problems.append(
            (
                "denial.notice_date",
                f"the remittance of {where} has no payment date (BPR16) or production date "
                "(DTM*405); pass notice_date",
            )
        )
    if payer is None:
        payer_name = one_line(header.payer.name) if header.payer is not None else ""
        if not payer_name:
            problems.append(
                ("payer.name", f"the remittance of {where} names no payer (N1*PR); pass payer")
            )
        else:
            plan = plan_by_filing(payment.filing_indicator) or PlanType.COMMERCIAL.value
            payer = Payer(name=payer_name, plan_type=PlanType(plan))
    if problems:
        raise ClaimDataError(problems)
    assert notice is not None
    assert payer is not None
    assert member
    return Claim(
        claim_number=number,
        patient=Patient(name=name, member_id=member, group_number=_group_number(payment)),
        provider=provider,
        payer=payer,
        services=lines,
        denial=Denial(notice_date=notice, codes=work_codes(items)),
        facts=fact_map,
    )
