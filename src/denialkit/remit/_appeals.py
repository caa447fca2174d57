"""From a remittance to appeal letters: ``ClaimPayment.to_claim`` and the batch (private module).

:func:`to_claim` turns one :class:`~denialkit.remit.ClaimPayment` into a
:class:`~denialkit.claim.Claim` from what the 835 carries; :func:`appeals` walks a source
and decides, for every claim that needs work, whether an appeal letter is the remedy,
writing it when it is and saying why not when it is not.

Nothing here imports the letter machinery (Jinja2) at module level: :func:`appeals` imports
it on first use.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Final

import attrs

from denialkit.claim import Claim, Denial, Facts, FactValue, Patient, Payer, PlanType, Provider
from denialkit.claim import ServiceLine as ClaimServiceLine
from denialkit.codes import Action, DenialCode
from denialkit.exceptions import ClaimDataError

from ._records import _PLAN_BY_FILING, ROUTINE_ACTIONS, ZERO, ClaimPayment, DenialItem

if TYPE_CHECKING:
    from denialkit.deadlines import Deadline
    from denialkit.letters import Letter
    from denialkit.templates import TemplateRegistry

    from ._reader import Source

__all__ = ["ClaimAppeal", "appeals", "to_claim"]

#: NM108 qualifiers whose NM109 is never used as a member id (34: social security number).
_NOT_MEMBER_IDS: Final = frozenset({"34"})

_CODE_KEY: Final = re.compile(r"[A-Z]{1,3}-[A-Z0-9]{1,6}")
_FACT_NAME: Final = re.compile(r"[a-z][a-z0-9_]{0,63}")


# ------------------------------------------------------------------------ to_claim


def work_items(payment: ClaimPayment) -> tuple[DenialItem, ...]:
    """The claim's items that need work, as :func:`denialkit.remit.denials` finds them."""
    from ._denials import claim_denials

    return tuple(claim_denials(payment, ROUTINE_ACTIONS))


def work_codes(items: Iterable[DenialItem]) -> tuple[str, ...]:
    """The codes of these items as the remittance shows them: each item's reason codes
    (``"CO-50"``), then the remark codes at its level (``"N115"``); deduplicated in order."""
    out: dict[str, None] = {}
    for item in items:
        for a in item.adjustments:
            out.setdefault(a.key, None)
        for r in item.remarks:
            out.setdefault(r, None)
    return tuple(out)


def _member_id(payment: ClaimPayment) -> str | None:
    # the payer's corrected id first (NM1*74 with NM108 = C), then the patient's, then the
    # insured's; never a social security number
    for nm in payment.names:
        if nm.role == "74" and nm.id_qualifier == "C" and nm.identifier:
            return nm.identifier
    for person in (payment.patient, payment.insured):
        if person is not None and person.identifier and person.id_qualifier not in _NOT_MEMBER_IDS:
            return person.identifier
    return None


def _group_number(payment: ClaimPayment) -> str | None:
    for q, v in payment.references:
        if q == "1L" and v.strip():
            return v
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


def _check_date(name: str, value: object) -> None:
    if value is not None and (isinstance(value, datetime) or not isinstance(value, date)):
        raise TypeError(f"{name} must be a datetime.date, not {_tname(value)}")


def claim_services(
    payment: ClaimPayment, numbers: Iterable[int] | None, problems: list[tuple[str, str]]
) -> tuple[ClaimServiceLine, ...]:
    """The claim's service lines (all, or those with these line numbers), as claim lines."""
    lines = payment.lines
    where = f"the claim at segment {payment.segment}"
    if not lines:
        problems.append(
            (
                "services",
                f"{where} has no service line (SVC); a letter needs its procedure codes",
            )
        )
        return ()
    wanted = None if numbers is None else frozenset(numbers)
    fallback = payment.statement_start
    out: list[ClaimServiceLine] = []
    for i, line in enumerate(lines):
        if wanted is not None and line.number not in wanted:
            continue
        code = line.submitted_procedure or line.procedure
        day = line.start or fallback
        path = f"services[{len(out)}]"
        if not code or not code.strip():
            problems.append(
                (f"{path}.code", f"service line {i + 1} of {where} has no procedure code (SVC01)")
            )
            continue
        if day is None:
            problems.append(
                (
                    f"{path}.date",
                    f"service line {i + 1} of {where} has no service date (DTM*472 or DTM*150 "
                    "on the line, DTM*232 on the claim)",
                )
            )
            continue
        if line.submitted_units is not None:
            units = line.submitted_units
        elif line.units is not None and line.units != ZERO:
            units = line.units
        else:
            units = Decimal(1)
        out.append(
            ClaimServiceLine(
                code=code,
                date=day,
                modifiers=line.modifiers,
                units=units,
                charge=line.charge,
                description=line.description,
            )
        )
    return tuple(out)


def to_claim(
    payment: ClaimPayment,
    *,
    provider: Provider,
    payer: Payer | None = None,
    notice_date: date | None = None,
    facts: Mapping[str, FactValue] | None = None,
) -> Claim:
    """The :class:`~denialkit.claim.Claim` of one claim payment (see
    :meth:`denialkit.remit.ClaimPayment.to_claim`, which documents every field)."""
    if not isinstance(payment, ClaimPayment):
        raise TypeError(f"expected a ClaimPayment, not {_tname(payment)}")
    if not isinstance(provider, Provider):
        raise TypeError(f"provider must be a denialkit Provider, not {_tname(provider)}")
    if payer is not None and not isinstance(payer, Payer):
        raise TypeError(f"payer must be a denialkit Payer or None, not {_tname(payer)}")
    _check_date("notice_date", notice_date)
    fact_map = _facts(facts)

    problems: list[tuple[str, str]] = []
    where = f"the claim at segment {payment.segment}"
    number = payment.payer_claim_number or payment.patient_control_number
    if not number or not number.strip():
        problems.append(
            (
                "claim_number",
                f"{where} has no payer claim control number (CLP07) or patient "
                "control number (CLP01)",
            )
        )
    patient = payment.patient
    name = patient.name if patient is not None else ""
    if not name.strip():
        problems.append(("patient.name", f"{where} has no patient name (NM1*QC)"))
    member = _member_id(payment)
    if member is None or not member.strip():
        problems.append(
            ("patient.member_id", f"{where} has no member id (NM109 of NM1*QC or NM1*IL)")
        )
    services = claim_services(payment, None, problems)
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
        payer_name = header.payer.name if header.payer is not None else ""
        if not payer_name.strip():
            problems.append(
                ("payer.name", f"the remittance of {where} names no payer (N1*PR); pass payer")
            )
        else:
            plan = _PLAN_BY_FILING.get(payment.filing_indicator or "", PlanType.COMMERCIAL.value)
            payer = Payer(name=payer_name, plan_type=PlanType(plan))
    if problems:
        raise ClaimDataError(problems)
    assert notice is not None
    assert payer is not None
    assert member is not None
    return Claim(
        claim_number=number,
        patient=Patient(name=name, member_id=member, group_number=_group_number(payment)),
        provider=provider,
        payer=payer,
        services=services,
        denial=Denial(notice_date=notice, codes=work_codes(work_items(payment))),
        facts=fact_map,
    )


# ------------------------------------------------------------------------ the batch


@attrs.frozen(repr=False)
class ClaimAppeal:
    """One claim of a remittance that needs work, and what the batch did with it.

    :func:`denialkit.remit.appeals` yields one for every claim with work to do: a letter
    when the recommended action is an appeal, otherwise ``letter=None`` and a ``reason``.
    The ``repr`` shows position, action, codes and amount, never patient data.

    Attributes:
        position: the claim's 1-based position among the source's claims (CLP segments).
        claim: the claim payment as read.
        items: the claim's :class:`~denialkit.remit.DenialItem` s (claim level first, then
            lines), as :func:`~denialkit.remit.denials` finds them.
        codes: every code that needs work, as the remittance shows it: reason codes with
            their group and the remark codes beside them, e.g. ``("CO-50", "N115")``.
        amount: the amount at stake: the sum of the items' amounts.
        action: the recommended action for the claim: ``Action.APPEAL`` when any of its
            codes calls for an appeal, else the first code's action; ``None`` when no code
            is known.
        letter: the appeal letter, or ``None`` when none was written.
        reason: why no letter was written (never patient data), or ``None``.
        missing: the facts the letter lacks (marked ``[MISSING: ...]`` in it); with
            ``strict=True``, the facts whose absence held the letter back.
        deadline: the first appeal deadline, when the plan type and the dates allow one.
    """

    position: int
    claim: ClaimPayment
    items: tuple[DenialItem, ...]
    codes: tuple[str, ...]
    amount: Decimal
    action: Action | None
    letter: Letter | None = None
    reason: str | None = None
    missing: tuple[str, ...] = ()
    deadline: Deadline | None = None

    def __repr__(self) -> str:
        action = self.action.value if self.action is not None else None
        return (
            f"<ClaimAppeal {self.position} action={action} codes={self.codes!r} "
            f"amount={self.amount} letter={'yes' if self.letter is not None else 'no'}>"
        )

    @property
    def written(self) -> bool:
        """Whether a letter was written."""
        return self.letter is not None

    @property
    def claim_number(self) -> str:
        """The claim number a letter uses (the payer's claim control number, CLP07, else
        the patient control number, CLP01); patient data, to keep out of logs."""
        return self.claim.payer_claim_number or self.claim.patient_control_number

    @property
    def slug(self) -> str:
        """The position, zero-padded, and the claim number reduced to letters, digits and
        hyphens (at most 40 of them), as a safe file-name stem, e.g. ``"0003-ACME26001003"``."""
        return file_stem(self.position, self.claim_number)

    @property
    def errors(self) -> int:
        """How many error-level findings the validator has on the letter (0 without one)."""
        return len(self.letter.report.errors) if self.letter is not None else 0


_SLUG_BAD: Final = re.compile(r"[^A-Za-z0-9]+")


def file_stem(position: int, number: str) -> str:
    """``"0003-ACME26001003"``: position and a safe slug of the claim number."""
    slug = _SLUG_BAD.sub("-", number).strip("-")[:40].strip("-")
    return f"{position:04d}-{slug or 'claim'}"


def _paths(exc: ClaimDataError) -> str:
    return "; ".join(f"{p}: {m}" for p, m in exc.problems)


def _plain_reason(action: Action) -> str:
    return f"the recommended action is '{action.label}', not an appeal"


def _deadline(item: DenialItem, payer: Payer | None) -> Deadline | None:
    from denialkit.exceptions import DeadlineError

    try:
        if payer is None:
            return item.deadline()
        return item.deadline(payer.plan_type.value, window_days=payer.appeal_window_days)
    except DeadlineError:
        return None


def _decide(
    position: int,
    payment: ClaimPayment,
    items: tuple[DenialItem, ...],
    provider: Provider,
    payer: Payer | None,
    registry: TemplateRegistry | None,
    today: date,
    strict: bool,
) -> ClaimAppeal:
    from denialkit.exceptions import MissingFactsError
    from denialkit.letters import appeal

    codes = work_codes(items)
    amount = sum((i.amount for i in items), ZERO)
    first_action: Action | None = None
    letter_codes: dict[str, DenialCode] = {}
    lines: set[int] = set()
    whole_claim = False
    unknown: list[str] = []
    for item in items:
        explained = item.explanations()
        appealed = False
        for e in explained:
            if first_action is None:
                first_action = e.action
            if e.action is Action.APPEAL:
                appealed = True
                letter_codes.setdefault(e.reason.key, e.reason)
                for r in e.remarks:
                    letter_codes.setdefault(r.key, r)
        unknown.extend(a.key for a in item.adjustments if a.code is None)
        if appealed:
            if item.line is None:
                whole_claim = True
            else:
                lines.add(item.line.number)

    def skipped(action: Action | None, why: str, missing: tuple[str, ...] = ()) -> ClaimAppeal:
        return ClaimAppeal(
            position,
            payment,
            items,
            codes,
            amount,
            action,
            reason=why,
            missing=missing,
            deadline=_deadline(items[0], payer),
        )

    if not letter_codes:
        if first_action is not None:
            why = _plain_reason(first_action)
        elif unknown:
            shown = [k for k in dict.fromkeys(unknown) if _CODE_KEY.fullmatch(k)]
            why = (
                f"the code tables do not know the reason code{'s' if len(shown) > 1 else ''} "
                f"{', '.join(shown)}: look at the claim by hand"
                if shown
                else "the code tables do not know the reason code: look at the claim by hand"
            )
        else:
            why = "the remittance gives no reason code for this denied claim: look at it by hand"
        return skipped(first_action, why)

    try:
        claim = to_claim(payment, provider=provider, payer=payer)
        if not whole_claim:
            problems: list[tuple[str, str]] = []
            services = claim_services(payment, sorted(lines), problems)
            if problems:
                raise ClaimDataError(problems)
            claim = claim.evolve(services=services)
        claim = claim.evolve(denial=attrs.evolve(claim.denial, codes=tuple(letter_codes)))
    except ClaimDataError as exc:
        return skipped(Action.APPEAL, f"the remittance lacks what a letter needs: {_paths(exc)}")
    try:
        letter = appeal(
            tuple(letter_codes.values()),
            claim,
            registry=registry,
            letter_date=today,
            strict=strict,
        )
    except ClaimDataError as exc:  # e.g. a service or notice date after the letter date
        return skipped(Action.APPEAL, f"the letter cannot be written: {_paths(exc)}")
    except MissingFactsError as exc:
        why = "strict: the letter lacks facts, so none was written"
        return skipped(Action.APPEAL, why, exc.missing)
    return ClaimAppeal(
        position,
        payment,
        items,
        codes,
        amount,
        Action.APPEAL,
        letter=letter,
        missing=letter.missing,
        deadline=letter.deadline,
    )


def appeals(
    source: Source | Iterable[ClaimPayment],
    *,
    provider: Provider,
    payer: Payer | None = None,
    registry: TemplateRegistry | None = None,
    letter_date: date | None = None,
    strict: bool = False,
) -> Iterator[ClaimAppeal]:
    """See :func:`denialkit.remit.appeals`."""
    from . import _claims_of

    if not isinstance(provider, Provider):
        raise TypeError(f"provider must be a denialkit Provider, not {_tname(provider)}")
    if payer is not None and not isinstance(payer, Payer):
        raise TypeError(f"payer must be a denialkit Payer or None, not {_tname(payer)}")
    if registry is not None:
        from denialkit.templates import TemplateRegistry

        if not isinstance(registry, TemplateRegistry):
            raise TypeError(f"registry must be a TemplateRegistry, not {_tname(registry)}")
    _check_date("letter_date", letter_date)
    if not isinstance(strict, bool):
        raise TypeError("strict must be True or False")
    claims = _claims_of(source, strict)
    return _batch(claims, provider, payer, registry, letter_date or date.today(), strict)


def _batch(
    claims: Iterator[ClaimPayment],
    provider: Provider,
    payer: Payer | None,
    registry: TemplateRegistry | None,
    today: date,
    strict: bool,
) -> Iterator[ClaimAppeal]:
    for position, payment in enumerate(claims, 1):
        items = work_items(payment)
        if items:
            yield _decide(position, payment, items, provider, payer, registry, today, strict)
