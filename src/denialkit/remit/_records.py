"""The typed, immutable records the 835 reader produces (private module).

Every record here is immutable and picklable. Patient-identifying values (names, member ids,
account numbers, dates of service) never appear in a ``repr``.
"""

from __future__ import annotations

import enum
from collections.abc import Iterator, Mapping, Sequence
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Final, NamedTuple

import attrs

from denialkit.codes import Action, Appealable, Category, DenialCode

if TYPE_CHECKING:
    import denialkit.claim
    from denialkit.claim import Claim, FactValue, Payer, Provider
    from denialkit.deadlines import Deadline
    from denialkit.knowledge import Explanation

    from ._detail import ClaimGroup

from denialkit._repr import fields_repr

__all__ = [
    "Adjustment",
    "ClaimPayment",
    "ClaimStatus",
    "Contact",
    "Delimiters",
    "DenialItem",
    "Entity",
    "InpatientAdjudication",
    "OutpatientAdjudication",
    "Party",
    "ProviderAdjustment",
    "Remittance",
    "RemittanceHeader",
    "ServiceLine",
    "UnknownSegment",
]

ZERO: Final = Decimal(0)

#: Actions that are routine, not work: the default of ``denials(ignore=...)``.
ROUTINE_ACTIONS: Final = frozenset({Action.WRITE_OFF, Action.BILL_PATIENT, Action.NO_ACTION})


class ClaimStatus(enum.StrEnum):
    """What the payer did with a claim (CLP02)."""

    PRIMARY = "1"
    SECONDARY = "2"
    TERTIARY = "3"
    DENIED = "4"
    PRIMARY_FORWARDED = "19"
    SECONDARY_FORWARDED = "20"
    TERTIARY_FORWARDED = "21"
    REVERSAL = "22"
    NOT_OUR_CLAIM = "23"
    PREDETERMINATION = "25"

    @property
    def label(self) -> str:
        """A short human label, e.g. ``"Denied"``."""
        return _STATUS_LABELS[self]

    @property
    def adjudicated(self) -> bool:
        """Whether the payer adjudicated the claim for payment, so that its adjustments can
        be denials to work on: true for 1, 2, 3 (processed), 4 (denied) and 19, 20, 21
        (processed and forwarded to the next payer); false for 22 (a reversal takes back an
        earlier payment: it denies nothing), 23 (not this payer's claim: the payer forwarded
        it, there is nothing to appeal to it) and 25 (a predetermination: no claim was paid
        or denied)."""
        return self not in _NOT_ADJUDICATED

    @property
    def forwarded(self) -> bool:
        """Whether the payer forwarded the claim to another payer (19, 20, 21, 23), so
        that the patient's share it reports (group ``PR``) goes to that payer before the
        patient."""
        return self in _FORWARDED


_STATUS_LABELS: Final = {
    ClaimStatus.PRIMARY: "Processed as primary",
    ClaimStatus.SECONDARY: "Processed as secondary",
    ClaimStatus.TERTIARY: "Processed as tertiary",
    ClaimStatus.DENIED: "Denied",
    ClaimStatus.PRIMARY_FORWARDED: "Processed as primary, forwarded to another payer",
    ClaimStatus.SECONDARY_FORWARDED: "Processed as secondary, forwarded to another payer",
    ClaimStatus.TERTIARY_FORWARDED: "Processed as tertiary, forwarded to another payer",
    ClaimStatus.REVERSAL: "Reversal of a previous payment",
    ClaimStatus.NOT_OUR_CLAIM: "Not our claim, forwarded to another payer",
    ClaimStatus.PREDETERMINATION: "Predetermination pricing only, no payment",
}
_STATUS_BY_CODE: Final = {s.value: s for s in ClaimStatus}
_NOT_ADJUDICATED: Final = frozenset(
    {ClaimStatus.REVERSAL, ClaimStatus.NOT_OUR_CLAIM, ClaimStatus.PREDETERMINATION}
)
_NOT_ADJUDICATED_CODES: Final = frozenset(s.value for s in _NOT_ADJUDICATED)
_FORWARDED: Final = frozenset(
    {
        ClaimStatus.PRIMARY_FORWARDED,
        ClaimStatus.SECONDARY_FORWARDED,
        ClaimStatus.TERTIARY_FORWARDED,
        ClaimStatus.NOT_OUR_CLAIM,
    }
)


@attrs.frozen
class Delimiters:
    """The delimiters of an interchange, read from its ISA header.

    Attributes:
        element: separates elements (the character after ``ISA``), usually ``*``.
        component: separates the parts of a composite element (ISA16), often ``:`` or ``>``.
        segment: ends a segment (the character after ISA16), usually ``~``.
        repetition: separates repeated elements (ISA11 from version 5010), or ``None``.
        segment_text: the exact text between two segments: the terminator with the line
            break that comes with it in this file, e.g. ``"~\\n"``.
    """

    element: str = "*"
    component: str = ":"
    segment: str = "~"
    repetition: str | None = None
    segment_text: str = "~"
    __repr__ = fields_repr


@attrs.frozen
class Contact:
    """A contact of the payer (PER): its function, a name and numbers.

    Attributes:
        function: PER01, e.g. ``"CX"`` claims contact, ``"BL"`` technical contact.
        name: PER02, when given.
        numbers: ``(qualifier, number)`` pairs, e.g. ``("TE", "8005551212")``.
    """

    function: str
    name: str | None = None
    numbers: tuple[tuple[str, str], ...] = ()
    __repr__ = fields_repr


@attrs.frozen
class Party:
    """The payer (loop 1000A, ``N1*PR``) or the payee (loop 1000B, ``N1*PE``).

    Attributes:
        role: ``"PR"`` for the payer, ``"PE"`` for the payee.
        name: N102.
        id_qualifier: N103, e.g. ``"XX"`` (NPI), ``"FI"`` (tax id), ``"XV"`` (payer id).
        identifier: N104.
        address: address lines (N301, N302).
        city, state, postal_code: N401 to N403.
        references: ``(qualifier, value)`` pairs from the loop's REF segments.
        contacts: the payer's contacts (PER).
    """

    role: str
    name: str
    id_qualifier: str | None = None
    identifier: str | None = None
    address: tuple[str, ...] = ()
    city: str | None = None
    state: str | None = None
    postal_code: str | None = None
    references: tuple[tuple[str, str], ...] = ()
    contacts: tuple[Contact, ...] = ()
    __repr__ = fields_repr


@attrs.frozen
class RemittanceHeader:
    """The header of one 835 transaction set: who pays whom, how much, when, how.

    Every :class:`ClaimPayment` carries the header of its transaction set.

    Attributes:
        control_number: ST02, the transaction set control number.
        payer: the payer (``N1*PR``), when the file names one.
        payee: the payee (``N1*PE``), when the file names one.
        handling_code: BPR01, e.g. ``"I"`` (remittance and payment) or ``"H"`` (advice only).
        payment_amount: BPR02, the total actual provider payment (``None`` without a BPR).
        credit_debit: BPR03, ``"C"`` or ``"D"``.
        payment_method: BPR04, e.g. ``"ACH"``, ``"CHK"``, ``"NON"``.
        payment_format: BPR05, e.g. ``"CCP"``.
        payment_date: BPR16, the check issue or EFT effective date.
        trace_number: TRN02, the check or EFT trace number.
        originator: TRN03, the payer's identifier as originator.
        production_date: DTM*405, when the payer produced the remittance.
        currency: CUR02, when given.
        references: ``(qualifier, value)`` pairs from header REF segments (EV, F2).
        version: GS08, e.g. ``"005010X221A1"`` (``None`` without an envelope).
        interchange_control_number: ISA13 (``None`` without an envelope).
        group_control_number: GS06 (``None`` without an envelope).
        sender: ISA06, the interchange sender id (``None`` without an envelope).
        receiver: ISA08, the interchange receiver id (``None`` without an envelope).
        delimiters: the delimiters the interchange was read with.
        segment: the 1-based segment number of the ST segment in the file.
        offset: the byte offset of the ST segment in the file.
    """

    control_number: str
    payer: Party | None = None
    payee: Party | None = None
    handling_code: str | None = None
    payment_amount: Decimal | None = None
    credit_debit: str | None = None
    payment_method: str | None = None
    payment_format: str | None = None
    payment_date: date | None = None
    trace_number: str | None = None
    originator: str | None = None
    production_date: date | None = None
    currency: str | None = None
    references: tuple[tuple[str, str], ...] = ()
    version: str | None = None
    interchange_control_number: str | None = None
    group_control_number: str | None = None
    sender: str | None = None
    receiver: str | None = None
    delimiters: Delimiters = Delimiters()
    segment: int = 0
    offset: int = 0
    __repr__ = fields_repr


@attrs.frozen
class ProviderAdjustment:
    """One provider-level adjustment (a PLB pair), not tied to a claim.

    A positive amount reduces the payment (e.g. an overpayment recovered), a negative one
    increases it (e.g. interest paid).

    Attributes:
        provider_id: PLB01, the provider identifier.
        fiscal_period_date: PLB02.
        reason: the adjustment reason code (PLB03-1), e.g. ``"WO"``, ``"L6"``, ``"CS"``,
            ``"FB"``; one padded or in lower case is the code it spells (``"wo "`` is ``"WO"``).
        reference: the reference identifier given with the reason (PLB03-2, the rest of the
            composite, without blanks around it), if any.
        amount: the amount (``None`` when the file's value is not a number, which is reported).
        segment: the 1-based segment number of the PLB segment.
    """

    provider_id: str
    fiscal_period_date: date | None
    reason: str = attrs.field(repr=lambda v: _code_shown(v))
    # the reference of a recovery (WO) is often the patient's claim or account number
    reference: str | None = attrs.field(repr=lambda v: _hidden(v))
    amount: Decimal | None
    segment: int = 0
    __repr__ = fields_repr


@attrs.frozen
class ProviderSummary:
    """The header of a group of claims (loop 2000: LX, with the TS3 and TS2 summaries).

    Payers group the claims of a transaction set by provider, bill type or fiscal period;
    institutional remittances (Medicare Part A) sum each group up in ``TS3`` and ``TS2``.
    Every claim carries the summary of its group (:attr:`ClaimPayment.provider_summary`),
    the same object for every claim of the group, as it carries its transaction's header.

    Attributes:
        number: LX01, the group's number.
        provider_id: TS301, the provider's identifier (``None`` without a TS3).
        facility_code: TS302, the facility type code.
        fiscal_period_date: TS303, the end of the provider's fiscal period.
        claim_count: TS304, the number of claims the group sums up.
        total_charge: TS305, the total charge of those claims.
        amounts: every other number of TS3 (TS306 to TS324) and TS2 (TS201 to TS219), as
            ``(element, value)`` pairs such as ``("TS313", Decimal("120"))``, in file order.
        segment: the 1-based segment number of the LX segment (of the TS3 without an LX).
    """

    number: str | None = None
    provider_id: str | None = None
    facility_code: str | None = None
    fiscal_period_date: date | None = None
    claim_count: Decimal | None = None
    total_charge: Decimal | None = None
    amounts: tuple[tuple[str, Decimal], ...] = ()
    segment: int = 0
    __repr__ = fields_repr


def _rarcs(remarks: tuple[str, ...]) -> tuple[DenialCode | None, ...]:
    """Each remark code looked up as a RARC (``None`` for one the tables do not know, or a
    value that is no RARC at all)."""
    from denialkit.codes import CodeSystem, default_table

    table = default_table()
    out: list[DenialCode | None] = []
    for r in remarks:
        code = table.get(r) if len(r) <= 8 else None
        out.append(code if code is not None and code.system is CodeSystem.RARC else None)
    return tuple(out)


def _code_shown(value: object) -> str:
    """The repr of a code read from a file: the code when it has a code's shape (one to
    eight capital letters and digits), else ``'?'``: a repr never shows free text."""
    if isinstance(value, str) and 0 < len(value) <= 8 and set(value) <= _CODE_CHARS:
        return repr(value)
    return "'?'"


def _codes_shown(values: object) -> str:
    """The repr of a tuple of codes, each as :func:`_code_shown` shows it."""
    if not isinstance(values, tuple):
        return "?"
    shown = [_code_shown(v) for v in values]
    return f"({shown[0]},)" if len(shown) == 1 else f"({', '.join(shown)})"


def _hidden(value: object) -> str:
    """The repr of an amount of a patient's claim: only whether it is there."""
    return "..." if value is not None else "None"


@attrs.frozen
class InpatientAdjudication:
    """The payer's inpatient adjudication of a claim (``MIA``): days, DRG and PPS amounts,
    and remark codes.

    Medicare Part A and other institutional payers send one ``MIA`` per inpatient claim.
    Every number is a ``Decimal`` (``None`` when the element is empty or not an X12 number;
    a value that is not one is reported with an :class:`~denialkit.exceptions.X12Warning`
    naming the element, the segment and its byte offset, or raised with ``strict=True``).
    The ``repr`` shows the remark codes (those with a code's shape) and where the segment
    is, never an amount.

    Attributes:
        covered_days: MIA01, covered days or visits.
        pps_operating_outlier: MIA02, the PPS operating outlier amount.
        lifetime_psychiatric_days: MIA03, lifetime psychiatric days.
        drg_amount: MIA04, the claim's DRG amount.
        remarks: MIA05 and MIA20 to MIA23, the claim payment remark codes (RARCs) as given,
            without blanks around them; :attr:`remark_codes` looks them up.
        disproportionate_share: MIA06, the claim's disproportionate share amount.
        msp_pass_through: MIA07, the Medicare secondary payer pass-through amount.
        pps_capital: MIA08, the PPS capital amount.
        pps_capital_fsp_drg: MIA09, the PPS capital federal-specific portion DRG amount.
        pps_capital_hsp_drg: MIA10, the PPS capital hospital-specific portion DRG amount.
        pps_capital_dsh_drg: MIA11, the PPS capital disproportionate share DRG amount.
        old_capital: MIA12, the old capital amount.
        pps_capital_ime: MIA13, the PPS capital indirect medical education amount.
        pps_operating_hsp_drg: MIA14, the PPS operating hospital-specific DRG amount.
        cost_report_days: MIA15, the cost report day count.
        pps_operating_fsp_drg: MIA16, the PPS operating federal-specific DRG amount.
        pps_capital_outlier: MIA17, the claim's PPS capital outlier amount.
        indirect_teaching: MIA18, the claim's indirect teaching amount.
        nonpayable_professional_component: MIA19, the professional component amount billed
            but not payable.
        pps_capital_exception: MIA24, the PPS capital exception amount.
        segment: the 1-based segment number of the MIA segment in the file.
    """

    covered_days: Decimal | None = attrs.field(default=None, repr=_hidden)
    pps_operating_outlier: Decimal | None = attrs.field(default=None, repr=_hidden)
    lifetime_psychiatric_days: Decimal | None = attrs.field(default=None, repr=_hidden)
    drg_amount: Decimal | None = attrs.field(default=None, repr=_hidden)
    remarks: tuple[str, ...] = attrs.field(default=(), repr=lambda v: _codes_shown(v))
    disproportionate_share: Decimal | None = attrs.field(default=None, repr=_hidden)
    msp_pass_through: Decimal | None = attrs.field(default=None, repr=_hidden)
    pps_capital: Decimal | None = attrs.field(default=None, repr=_hidden)
    pps_capital_fsp_drg: Decimal | None = attrs.field(default=None, repr=_hidden)
    pps_capital_hsp_drg: Decimal | None = attrs.field(default=None, repr=_hidden)
    pps_capital_dsh_drg: Decimal | None = attrs.field(default=None, repr=_hidden)
    old_capital: Decimal | None = attrs.field(default=None, repr=_hidden)
    pps_capital_ime: Decimal | None = attrs.field(default=None, repr=_hidden)
    pps_operating_hsp_drg: Decimal | None = attrs.field(default=None, repr=_hidden)
    cost_report_days: Decimal | None = attrs.field(default=None, repr=_hidden)
    pps_operating_fsp_drg: Decimal | None = attrs.field(default=None, repr=_hidden)
    pps_capital_outlier: Decimal | None = attrs.field(default=None, repr=_hidden)
    indirect_teaching: Decimal | None = attrs.field(default=None, repr=_hidden)
    nonpayable_professional_component: Decimal | None = attrs.field(default=None, repr=_hidden)
    pps_capital_exception: Decimal | None = attrs.field(default=None, repr=_hidden)
    segment: int = 0
    __repr__ = fields_repr

    @property
    def remark_codes(self) -> tuple[DenialCode | None, ...]:
        """:attr:`remarks` looked up as RARCs in the default code tables, one per remark
        (``None`` for a code the tables do not know)."""
        return _rarcs(self.remarks)


@attrs.frozen
class OutpatientAdjudication:
    """The payer's outpatient adjudication of a claim (``MOA``): the reimbursement rate,
    payable amounts and remark codes.

    Numbers are read and reported as in :class:`InpatientAdjudication`; the ``repr`` shows
    the remark codes and where the segment is, never an amount.

    Attributes:
        reimbursement_rate: MOA01, the reimbursement rate, as the file gives it (a
            fraction such as ``0.8`` or a percentage such as ``80``, by payer).
        hcpcs_payable: MOA02, the claim's HCPCS payable amount.
        remarks: MOA03 to MOA07, the claim payment remark codes (RARCs) as given, without
            blanks around them; :attr:`remark_codes` looks them up.
        esrd_payment: MOA08, the end-stage renal disease payment amount.
        nonpayable_professional_component: MOA09, the professional component amount billed
            but not payable.
        segment: the 1-based segment number of the MOA segment in the file.
    """

    reimbursement_rate: Decimal | None = attrs.field(default=None, repr=_hidden)
    hcpcs_payable: Decimal | None = attrs.field(default=None, repr=_hidden)
    remarks: tuple[str, ...] = attrs.field(default=(), repr=lambda v: _codes_shown(v))
    esrd_payment: Decimal | None = attrs.field(default=None, repr=_hidden)
    nonpayable_professional_component: Decimal | None = attrs.field(default=None, repr=_hidden)
    segment: int = 0
    __repr__ = fields_repr

    @property
    def remark_codes(self) -> tuple[DenialCode | None, ...]:
        """:attr:`remarks` looked up as RARCs in the default code tables, one per remark
        (``None`` for a code the tables do not know)."""
        return _rarcs(self.remarks)


@attrs.frozen
class Remittance:
    """One 835 transaction set (ST to SE): header, provider adjustments and totals.

    A remittance does not hold its claims: a transaction set can carry tens of thousands, and
    the reader keeps memory constant by streaming them (:func:`denialkit.remit.claims`). Each
    claim carries this remittance's :attr:`header`; the totals here cover all of them.

    Attributes:
        header: the transaction's header (payer, payee, payment, trace number, dates).
        provider_adjustments: every PLB adjustment pair, in file order.
        claim_count: number of claims (CLP).
        line_count: number of service lines (SVC).
        adjustment_count: number of adjustments (CAS triplets, claim and line level).
        denied_count: number of claims with status 4 (denied).
        total_charge: sum of the claims' charges (CLP03).
        total_payment: sum of the claims' payments (CLP04).
        total_patient_responsibility: sum of CLP05.
        balanced: whether BPR02 equals the claim payments minus the provider adjustments
            (``None`` when it cannot be checked: no BPR, or an amount that is not a number).
        segment_count: the number of segments from ST to SE.
    """

    header: RemittanceHeader
    provider_adjustments: tuple[ProviderAdjustment, ...] = ()
    claim_count: int = 0
    line_count: int = 0
    adjustment_count: int = 0
    denied_count: int = 0
    total_charge: Decimal = ZERO
    total_payment: Decimal = ZERO
    total_patient_responsibility: Decimal = ZERO
    balanced: bool | None = None
    segment_count: int = 0
    __repr__ = fields_repr

    @property
    def payer(self) -> Party | None:
        """The payer (from the header)."""
        return self.header.payer

    @property
    def payee(self) -> Party | None:
        """The payee (from the header)."""
        return self.header.payee

    @property
    def payment_amount(self) -> Decimal | None:
        """BPR02, the total payment (from the header)."""
        return self.header.payment_amount

    @property
    def payment_date(self) -> date | None:
        """BPR16, the payment date (from the header)."""
        return self.header.payment_date

    @property
    def trace_number(self) -> str | None:
        """TRN02, the check or EFT number (from the header)."""
        return self.header.trace_number

    @property
    def provider_adjustment_total(self) -> Decimal:
        """The sum of the provider adjustments that have an amount."""
        return sum((p.amount for p in self.provider_adjustments if p.amount is not None), ZERO)


class Adjustment(NamedTuple):
    """One adjustment: a group code, a reason code and an amount (one CAS triplet).

    The reason is resolved against the code tables with its group (``"CO-45"``); a code the
    tables do not know is kept as given, with ``code`` set to ``None`` (and the reader says
    so with an :class:`~denialkit.exceptions.X12Warning`).

    Adjustments are immutable named tuples (cheap to make by the million), picklable.

    Attributes:
        group: the group code as given, e.g. ``"CO"``.
        reason: the reason code as given, e.g. ``"45"``.
        amount: the amount (``None`` when the file's value is not a number, which is reported).
        quantity: the quantity, when given.
        code: the resolved code with its group, or ``None`` when unknown.
    """

    group: str
    reason: str
    amount: Decimal | None
    quantity: Decimal | None = None
    code: DenialCode | None = None

    def __repr__(self) -> str:
        return f"Adjustment({self.group}-{self.reason}, amount={self.amount})"

    @property
    def key(self) -> str:
        """Group and reason as one code, e.g. ``"CO-45"`` (as the tables spell a known code,
        also when the file padded it or wrote it in lower case)."""
        code = self.code
        return code.key if code is not None else f"{self.group}-{self.reason}"

    @property
    def known(self) -> bool:
        """Whether the code tables know this group and reason."""
        return self.code is not None

    @property
    def category(self) -> Category | None:
        """What the adjustment is about (``None`` for an unknown code)."""
        return self.code.category if self.code is not None else None

    @property
    def action(self) -> Action | None:
        """The recommended action under this group (``None`` for an unknown code)."""
        return self.code.action if self.code is not None else None

    def needs_work(self, ignore: frozenset[Action] = ROUTINE_ACTIONS) -> bool:
        """Whether someone must act on this adjustment.

        True for a positive amount whose code's action is not in ``ignore`` (by default:
        write off, bill the patient, no action), for a positive amount with an unknown
        code (a person must look at it), and for a timely-filing write-off that proof of
        timely filing could still overturn (CO-29: only the team knows whether it holds it).
        """
        if self.amount is None or self.amount <= ZERO:
            return False
        code = self.code
        if code is None or code.action not in ignore:
            return True
        return code.category is Category.TIMELY_FILING and code.appealable is not Appealable.NO


class Entity(NamedTuple):
    """A person or organisation named in a claim (NM1): patient, insured, provider, payer.

    Names and identifiers are patient-identifying for people and never shown in a ``repr``.

    Attributes:
        role: NM101, e.g. ``"QC"`` patient, ``"IL"`` insured, ``"74"`` corrected insured,
            ``"82"`` rendering provider, ``"TT"`` crossover carrier, ``"PR"`` corrected payer.
        kind: NM102, ``"1"`` a person, ``"2"`` an organisation.
        last_name: NM103, the last name or the organisation's name.
        first_name: NM104.
        middle_name: NM105.
        suffix: NM107.
        id_qualifier: NM108, e.g. ``"MI"`` member id, ``"XX"`` NPI.
        identifier: NM109.
    """

    role: str
    kind: str
    last_name: str | None = None
    first_name: str | None = None
    middle_name: str | None = None
    suffix: str | None = None
    id_qualifier: str | None = None
    identifier: str | None = None

    def __repr__(self) -> str:
        return f"<Entity role={self.role} kind={self.kind} id_qualifier={self.id_qualifier}>"

    @property
    def name(self) -> str:
        """The full name (``"FIRST MIDDLE LAST SUFFIX"``), or the organisation's name, with
        each run of whitespace (an empty middle name of one space, a line break) as one
        space."""
        parts = (self.first_name, self.middle_name, self.last_name, self.suffix)
        return " ".join(" ".join(p for p in parts if p).split())

    @property
    def is_person(self) -> bool:
        """Whether the entity is a person (NM102 = 1)."""
        return self.kind == "1"


class ServiceLine(NamedTuple):
    """One service line of a claim (loop 2110, SVC) with its adjustments and remarks.

    Service lines are immutable named tuples, picklable; the ``repr`` hides dates and the
    line control number.

    Attributes:
        number: the line's position in its claim, from 1.
        qualifier: the procedure code's qualifier (SVC01-1), e.g. ``"HC"`` (CPT/HCPCS).
        procedure: the procedure code (SVC01-2), e.g. ``"99484"``.
        modifiers: the procedure modifiers (SVC01-3 to -6).
        description: SVC01-7, when given.
        charge: SVC02, the line's charge.
        payment: SVC03, the amount paid for the line.
        revenue_code: SVC04 (institutional claims).
        units: SVC05, units of service paid (``None`` when not given, meaning 1).
        submitted_procedure: the procedure code as submitted (SVC06-2) when the payer
            adjudicated a different one.
        submitted_units: SVC07, the units as submitted, when different.
        start: the service date, or the first date of a range (DTM*472 or DTM*150).
        end: the last date of a range (DTM*151), or the service date.
        dates: every ``(qualifier, date)`` of the line, in file order.
        adjustments: the line's adjustments (every CAS triplet).
        remarks: the line's remark codes (LQ*HE, RARCs).
        rejects: NCPDP reject codes (LQ*RX).
        control_number: REF*6R, the provider's line item control number.
        references: the line's other ``(qualifier, value)`` REF pairs.
        allowed: AMT*B6, the allowed amount.
        amounts: every ``(qualifier, amount)`` of the line's AMT segments.
        segment: the 1-based segment number of the SVC segment.
        submitted_modifiers: the modifiers as submitted (SVC06-3 to -6), when SVC06 gives
            the procedure as submitted (``submitted_procedure`` is then set).
        quantities: every ``(qualifier, quantity)`` of the line's QTY segments (e.g.
            ``"ZK"``, Medicare covered units).
    """

    number: int
    qualifier: str
    procedure: str
    modifiers: tuple[str, ...]
    description: str | None
    charge: Decimal
    payment: Decimal
    revenue_code: str | None = None
    units: Decimal | None = None
    submitted_procedure: str | None = None
    submitted_units: Decimal | None = None
    start: date | None = None
    end: date | None = None
    dates: tuple[tuple[str, date], ...] = ()
    adjustments: tuple[Adjustment, ...] = ()
    remarks: tuple[str, ...] = ()
    rejects: tuple[str, ...] = ()
    control_number: str | None = None
    references: tuple[tuple[str, str], ...] = ()
    allowed: Decimal | None = None
    amounts: tuple[tuple[str, Decimal], ...] = ()
    segment: int = 0
    submitted_modifiers: tuple[str, ...] = ()
    quantities: tuple[tuple[str, Decimal], ...] = ()

    def __repr__(self) -> str:
        mods = ":".join(self.modifiers)
        proc = f"{self.qualifier}:{self.procedure}" + (f":{mods}" if mods else "")
        return (
            f"<ServiceLine {self.number} {proc} charge={self.charge} payment={self.payment} "
            f"adjustments={len(self.adjustments)}>"
        )

    @property
    def balanced(self) -> bool | None:
        """Whether charge minus payment equals the sum of the adjustments (``None`` when an
        adjustment amount is not a number)."""
        total = ZERO
        for a in self.adjustments:
            if a.amount is None:
                return None
            total += a.amount
        return self.charge - self.payment == total


class UnknownSegment(NamedTuple):
    """A segment inside a claim that the reader could not place, kept with its position.

    An unknown segment id (``PLXX``), or a known one where the 835 does not allow it (a
    claim-level ``NM1`` inside a service line). The reader also warns about it (an
    :class:`~denialkit.exceptions.X12Warning`), or raises with ``strict=True``.

    Attributes:
        tag: the segment id as given.
        segment: the 1-based segment number in the file.
        offset: the byte offset of the segment's first byte in the file.
        text: the segment as read, without its terminator. It may hold patient data, so
            the ``repr`` never shows it.
    """

    tag: str
    segment: int
    offset: int
    text: str

    def __repr__(self) -> str:
        return (
            f"<UnknownSegment {_code_text(self.tag)} segment={self.segment} offset={self.offset}>"
        )


_CODE_CHARS: Final = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")


def _code_text(value: str) -> str:
    """``value`` when it has the shape of a segment id (two or three letters and digits),
    else a placeholder: a repr never shows free text."""
    if 2 <= len(value) <= 3 and set(value) <= _CODE_CHARS:
        return value
    return "?"


def _windows_1252() -> dict[int, str]:
    """The characters Windows-1252 puts at 0x80-0x9F, where Latin-1 has control codes."""
    # 0x81, 0x8D, 0x8F, 0x90 and 0x9D are unassigned in Windows-1252 too: they stay
    chars = bytes(range(0x80, 0xA0)).decode("cp1252", errors="replace")
    return {0x80 + k: c for k, c in enumerate(chars) if c != "\ufffd"}


#: Latin-1 control characters 0x80-0x9F to the Windows-1252 characters of the same bytes
#: (the two code pages agree on 0xA0-0xFF).
_CP1252: Final = _windows_1252()


def text(value: str) -> str:
    """A text value read as Latin-1, re-read as UTF-8 when it is valid UTF-8.

    Otherwise the bytes 0x80-0x9F, control codes in Latin-1, are read as Windows-1252 (the
    code page names typed on Windows arrive in: a curly apostrophe in a surname, an
    en dash), so a name keeps its characters instead of control codes.
    """
    if value.isascii():
        return value
    try:
        return value.encode("latin-1").decode("utf-8")
    except (UnicodeDecodeError, UnicodeEncodeError):
        return value.translate(_CP1252)


def _entity(e: Sequence[str]) -> Entity:
    n = len(e)
    return tuple.__new__(
        Entity,
        (
            e[1],
            e[2] if n > 2 else "",
            text(e[3]) if n > 3 and e[3] else None,
            text(e[4]) if n > 4 and e[4] else None,
            text(e[5]) if n > 5 and e[5] else None,
            text(e[7]) if n > 7 and e[7] else None,
            e[8] if n > 8 and e[8] else None,
            e[9] if n > 9 and e[9] else None,
        ),
    )


class ClaimPayment:
    """One claim as the payer paid, reduced or denied it (loop 2100, CLP), with its lines.

    Claims stream out of :func:`denialkit.remit.claims`, each carrying its transaction's
    :attr:`header`. The reader builds a claim's lines, adjustments, remarks, dates,
    references and amounts in the same pass that checks and balances them: each segment is
    split once. Only the names (NM1) become :class:`Entity` records on first use.

    Claims are immutable (every public attribute is a read-only property), hashable and
    picklable; their ``repr`` shows status and amounts, never the patient, account number or
    dates.
    """

    __slots__ = (
        "_adjustments",
        "_amounts",
        "_balanced",
        "_charge",
        "_clp",
        "_dates",
        "_entities",
        "_header",
        "_inpatient",
        "_lines",
        "_names",
        "_offset",
        "_outpatient",
        "_payment",
        "_pr",
        "_quantities",
        "_references",
        "_remarks",
        "_segment",
        "_segments",
        "_summary",
        "_unknown",
    )

    _header: RemittanceHeader
    _segments: Sequence[str]
    _clp: Sequence[str]
    _charge: Decimal
    _payment: Decimal
    _pr: Decimal | None
    _segment: int
    _offset: int
    _balanced: bool | None
    _names: Sequence[Sequence[str]]
    _dates: tuple[tuple[str, date], ...]
    _adjustments: tuple[Adjustment, ...]
    _remarks: tuple[str, ...]
    _references: tuple[tuple[str, str], ...]
    _amounts: tuple[tuple[str, Decimal], ...]
    _lines: tuple[ServiceLine, ...]
    _unknown: tuple[UnknownSegment, ...]
    _summary: ProviderSummary | ClaimGroup | None
    _quantities: tuple[tuple[str, Decimal], ...]
    _inpatient: InpatientAdjudication | None
    _outpatient: OutpatientAdjudication | None
    _entities: tuple[Entity, ...] | None

    def __init__(
        self,
        header: RemittanceHeader,
        segments: Sequence[str],
        clp: Sequence[str],
        charge: Decimal,
        payment: Decimal,
        patient_responsibility: Decimal | None,
        segment: int,
        offset: int,
        balanced: bool | None,
        names: Sequence[Sequence[str]] = (),
        dates: tuple[tuple[str, date], ...] = (),
        adjustments: tuple[Adjustment, ...] = (),
        remarks: tuple[str, ...] = (),
        references: tuple[tuple[str, str], ...] = (),
        amounts: tuple[tuple[str, Decimal], ...] = (),
        lines: tuple[ServiceLine, ...] = (),
        unknown_segments: tuple[UnknownSegment, ...] = (),
        provider_summary: ProviderSummary | ClaimGroup | None = None,
        quantities: tuple[tuple[str, Decimal], ...] = (),
        inpatient: InpatientAdjudication | None = None,
        outpatient: OutpatientAdjudication | None = None,
    ) -> None:
        """Made by the reader; not meant to be called directly."""
        self._header = header
        self._segments = segments
        self._clp = clp
        self._charge = charge
        self._payment = payment
        self._pr = patient_responsibility
        self._segment = segment
        self._offset = offset
        self._balanced = balanced
        self._names = names
        self._dates = dates
        self._adjustments = adjustments
        self._remarks = remarks
        self._references = references
        self._amounts = amounts
        self._lines = lines
        self._unknown = unknown_segments
        self._summary = provider_summary
        self._quantities = quantities
        self._inpatient = inpatient
        self._outpatient = outpatient
        self._entities = None

    # -- equality, pickling (the public attributes are read-only properties) --------------
    def __eq__(self, other: object) -> bool:
        if not isinstance(other, ClaimPayment):
            return NotImplemented
        return self.segments == other.segments and self._header == other._header

    def __hash__(self) -> int:
        return hash(self.segments)

    def __reduce__(self) -> tuple[object, tuple[object, ...]]:
        return (
            ClaimPayment,
            (
                self._header,
                tuple(self._segments),
                tuple(self._clp),
                self._charge,
                self._payment,
                self._pr,
                self._segment,
                self._offset,
                self._balanced,
                tuple(tuple(n) for n in self._names),
                self._dates,
                self._adjustments,
                self._remarks,
                self._references,
                self._amounts,
                self._lines,
                self._unknown,
                self.provider_summary,
                self._quantities,
                self._inpatient,
                self._outpatient,
            ),
        )

    def __repr__(self) -> str:
        # only validated values: the status as a known code (never CLP02 as given)
        status = self.status
        lines = getattr(self, "_lines", ())
        adjustments = len(getattr(self, "_adjustments", ())) + sum(
            len(line.adjustments) for line in lines
        )
        return (
            f"<ClaimPayment status={status.value if status is not None else None} "
            f"charge={getattr(self, '_charge', None)} payment={getattr(self, '_payment', None)} "
            f"lines={len(lines)} adjustments={adjustments}>"
        )

    # -- the CLP segment -----------------------------------------------------------------
    def _el(self, n: int) -> str | None:
        clp = self._clp
        return clp[n] or None if n < len(clp) else None

    @property
    def header(self) -> RemittanceHeader:
        """The header of the claim's transaction set (payer, payee, payment, dates)."""
        return self._header

    @property
    def patient_control_number(self) -> str:
        """CLP01, the provider's claim (patient account) number."""
        return self._clp[1]

    @property
    def status_code(self) -> str:
        """CLP02 as given, e.g. ``"1"`` or ``"4"``."""
        return self._clp[2]

    @property
    def status(self) -> ClaimStatus | None:
        """CLP02 as a :class:`ClaimStatus` (``None`` for a code outside the list)."""
        clp: Sequence[str] = getattr(self, "_clp", ())
        return _STATUS_BY_CODE.get(clp[2]) if len(clp) > 2 else None

    @property
    def charge(self) -> Decimal:
        """CLP03, the total charge of the claim."""
        return self._charge

    @property
    def payment(self) -> Decimal:
        """CLP04, the amount paid for the claim."""
        return self._payment

    @property
    def patient_responsibility(self) -> Decimal | None:
        """CLP05, the patient's share (zero when not given; ``None`` when the file's value
        is not an X12 number, which the reader reports)."""
        return self._pr

    @property
    def filing_indicator(self) -> str | None:
        """CLP06, the claim filing indicator, e.g. ``"MB"`` (Medicare Part B), ``"MC"``
        (Medicaid), ``"12"`` (PPO), ``"CI"`` (commercial)."""
        return self._el(6)

    @property
    def payer_claim_number(self) -> str | None:
        """CLP07, the payer's claim control number (ICN)."""
        return self._el(7)

    @property
    def facility_type(self) -> str | None:
        """CLP08, the facility type code (place of service for professional claims)."""
        return self._el(8)

    @property
    def frequency_code(self) -> str | None:
        """CLP09, the claim frequency code (1 original, 7 replacement, 8 void)."""
        return self._el(9)

    @property
    def drg_code(self) -> str | None:
        """CLP11, the diagnosis related group code (institutional claims)."""
        return self._el(11)

    @property
    def segment(self) -> int:
        """The 1-based segment number of the claim's CLP segment in the file."""
        return self._segment

    @property
    def offset(self) -> int:
        """The byte offset of the claim's CLP segment in the file."""
        return self._offset

    @property
    def balanced(self) -> bool | None:
        """Whether charge minus payment equals the claim's and its lines' adjustments
        (``None`` when an adjustment amount is not a number)."""
        return self._balanced

    @property
    def denied(self) -> bool:
        """Whether the payer denied the claim (status 4)."""
        return self._clp[2] == "4"

    @property
    def reversal(self) -> bool:
        """Whether the claim reverses an earlier payment (status 22)."""
        return self._clp[2] == "22"

    @property
    def adjudicated(self) -> bool:
        """Whether the payer adjudicated the claim for payment (see
        :attr:`ClaimStatus.adjudicated`): only such a claim's adjustments can be denials.
        False for a reversal (22), a claim that is not this payer's (23) and a
        predetermination (25); true for a status outside the list, which a person should
        look at."""
        return self._clp[2] not in _NOT_ADJUDICATED_CODES

    @property
    def segments(self) -> tuple[str, ...]:
        """The claim's segments as read (CLP first), without terminators.

        They contain patient data: handle them as such.
        """
        return tuple(self._segments)

    @property
    def provider_summary(self) -> ProviderSummary | None:
        """The header of the claim's group (LX, with its TS3 and TS2), or ``None`` when the
        transaction set does not group its claims."""
        made = self._summary
        if made is None or isinstance(made, ProviderSummary):
            return made
        return made.summary()  # the group's segments, made into a record once

    @property
    def unknown_segments(self) -> tuple[UnknownSegment, ...]:
        """The segments of the claim the reader could not place (an unknown id, or a
        segment where the 835 does not allow it), with their positions; each was also
        reported with an :class:`~denialkit.exceptions.X12Warning`."""
        return self._unknown

    # -- names: made into records on first use -------------------------------------------
    def _names_(self) -> tuple[Entity, ...]:
        ents = self._entities
        if ents is None:
            ents = self._entities = tuple(map(_entity, self._names))
        return ents

    @property
    def patient(self) -> Entity | None:
        """The patient (``NM1*QC``)."""
        for nm in self._names_():
            if nm.role == "QC":
                return nm
        return None

    @property
    def insured(self) -> Entity | None:
        """The insured or subscriber (``NM1*IL``), when different from the patient."""
        for nm in self._names_():
            if nm.role == "IL":
                return nm
        return None

    @property
    def names(self) -> tuple[Entity, ...]:
        """Every NM1 of the claim (patient, insured, corrected names, providers), in order."""
        return self._names_()

    @property
    def dates(self) -> tuple[tuple[str, date], ...]:
        """Every claim-level ``(qualifier, date)`` (DTM), e.g. ``("232", date(...))``."""
        return self._dates

    def get_date(self, qualifier: str) -> date | None:
        """The first claim-level date with this DTM qualifier, e.g. ``"050"`` (received)."""
        for q, d in self._dates:
            if q == qualifier:
                return d
        return None

    @property
    def statement_start(self) -> date | None:
        """DTM*232, the first day of the claim's statement period."""
        return self.get_date("232")

    @property
    def statement_end(self) -> date | None:
        """DTM*233, the last day of the claim's statement period."""
        return self.get_date("233")

    @property
    def service_period(self) -> tuple[date, date] | None:
        """The claim's own dates of service, its statement period ``(DTM*232, DTM*233)``.

        A claim that gives only one end of the period (many institutional and some
        professional remittances give only ``DTM*233``) has that day at both ends. A claim
        with no statement period but a service date of its own at claim level (``DTM*472``,
        or ``150`` to ``151``, which some payers put there) has that; ``None`` when the
        claim gives none. A service line without dates of its own (no
        ``DTM*472``, ``150`` or ``151``) was provided in this period: :meth:`service_date`,
        :meth:`to_claim`, :func:`~denialkit.remit.denials` and the table rows use its first
        day for such a line.
        """
        start = end = None
        for q, d in self._dates:
            if q == "232" and start is None:
                start = d
            elif q == "233" and end is None:
                end = d
        if start is None and end is None:
            # no statement period: the service dates some payers give at claim level
            for q, d in self._dates:
                if q in ("150", "472") and start is None:
                    start = d
                elif q == "151" and end is None:
                    end = d
        if start is None:
            return None if end is None else (end, end)
        return start, end or start

    def service_date(self, line: ServiceLine | None = None) -> date | None:
        """The date of service of ``line`` (the line's start, else its end, else the first
        day of the claim's :attr:`service_period`), or of the claim when ``line`` is
        ``None`` (the first day of its period); ``None`` when neither gives one."""
        if line is not None:
            own = line.start or line.end
            if own is not None:
                return own
        period = self.service_period
        return period[0] if period is not None else None

    @property
    def received(self) -> date | None:
        """DTM*050, the day the payer received the claim."""
        return self.get_date("050")

    @property
    def adjustments(self) -> tuple[Adjustment, ...]:
        """The claim-level adjustments (every triplet of every claim-level CAS)."""
        return self._adjustments

    @property
    def remarks(self) -> tuple[str, ...]:
        """The claim's remark codes from MIA and MOA (RARCs), in file order."""
        return self._remarks

    @property
    def inpatient(self) -> InpatientAdjudication | None:
        """The claim's inpatient adjudication (``MIA``) with covered days, DRG and PPS
        amounts and remark codes, typed; ``None`` without an ``MIA``."""
        return self._inpatient

    @property
    def outpatient(self) -> OutpatientAdjudication | None:
        """The claim's outpatient adjudication (``MOA``) with the reimbursement rate, payable
        amounts and remark codes, typed; ``None`` without an ``MOA``."""
        return self._outpatient

    @property
    def references(self) -> tuple[tuple[str, str], ...]:
        """The claim's ``(qualifier, value)`` REF pairs (e.g. ``"1L"`` group, ``"F8"``
        original reference number, ``"G1"`` prior authorization)."""
        return self._references

    @property
    def amounts(self) -> tuple[tuple[str, Decimal], ...]:
        """The claim's ``(qualifier, amount)`` AMT pairs (e.g. ``"AU"`` coverage, ``"I"``
        interest)."""
        return self._amounts

    @property
    def quantities(self) -> tuple[tuple[str, Decimal], ...]:
        """The claim's ``(qualifier, quantity)`` QTY pairs (e.g. ``"CA"`` covered days,
        ``"CD"`` co-insured days); one whose quantity is not a number is left out, with a
        warning."""
        return self._quantities

    @property
    def interest(self) -> Decimal | None:
        """AMT*I, the interest paid with the claim."""
        for q, a in self._amounts:
            if q == "I":
                return a
        return None

    @property
    def lines(self) -> tuple[ServiceLine, ...]:
        """The claim's service lines (SVC), in file order."""
        return self._lines

    def iter_adjustments(self) -> Iterator[tuple[ServiceLine | None, Adjustment]]:
        """Every adjustment of the claim with its line (``None`` for claim level)."""
        for a in self.adjustments:
            yield None, a
        for line in self.lines:
            for a in line.adjustments:
                yield line, a

    def to_records(self) -> list[dict[str, object]]:
        """One flat row per adjustment (claim and line level), with claim and line keys.

        See :func:`denialkit.remit.to_records` for the columns.
        """
        from ._tables import claim_rows

        return list(claim_rows(self))

    def to_claim(
        self,
        *,
        provider: Provider,
        payer: Payer | None = None,
        notice_date: date | None = None,
        facts: Mapping[str, FactValue] | None = None,
        services: Sequence[denialkit.claim.ServiceLine] | None = None,
    ) -> Claim:
        """This claim as a :class:`~denialkit.claim.Claim`, ready for
        :func:`denialkit.appeal`: a claim about what needs work on it.

        From the 835: the claim number (the payer's claim control number, CLP07, else the
        patient control number, CLP01); the patient's name (``NM1*QC``) and member id (the
        payer's corrected id, ``NM1*74``, else the patient's, else the insured's ``NM1*IL``;
        never a social security number) and group number (``REF*1L``); the services: one per
        SVC that needs work (every SVC when the claim needs work at claim level, or has no
        work at all), so that a letter about a partial denial lists the denied lines and not
        the paid ones, each with its procedure code and modifiers (as submitted, SVC06, when
        the payer changed them), date (the line's, else the first day of the claim's
        statement period, ``DTM*232``, else ``DTM*233``), units (as submitted when given,
        else as paid, else 1) and charge; the codes that need work, as the remittance shows
        them (reason codes with their group, then the remark codes at the same level, claim
        level first, then the claim's own remark codes, ``MIA``/``MOA``, when only lines
        need work; deduplicated: ``("CO-16", "N290")``); and the notice date (the payment
        date, BPR16, else the production date, DTM*405). The 835 carries no date of birth,
        diagnoses or payer's reason text.

        Args:
            provider: the practice that appeals (the 835 does not carry its details).
            payer: the payer and its appeals address; default: the payer named in the
                header, with the plan type the claim filing indicator makes certain (``MA``,
                ``MB``: Medicare; ``16``: Medicare Advantage), else commercial.
            notice_date: the date of the denial notice, when not the remittance's.
            facts: code-specific evidence for the letter (see :class:`~denialkit.claim.Facts`).
            services: the services as billed (:class:`denialkit.claim.ServiceLine`), used
                instead of the 835's: for a claim the payer answered as a whole, without
                service lines (an inpatient DRG claim), whose procedure codes the 835 does
                not carry; take them from the claim as you billed it.

        Raises:
            TypeError: an argument has the wrong type.
            ClaimDataError: the 835 lacks what a claim needs (a patient name, a member id,
                a service line, a service date, a notice date, a payer name); each problem
                names its path, e.g. ``services[0].date``, and never a value.

        >>> from denialkit import remit
        >>> from denialkit.claim import Provider
        >>> payment = list(remit.claims(remit.sample()))[2]
        >>> claim = payment.to_claim(provider=Provider(name="Valley Family Medicine"))
        >>> claim.claim_number, claim.payer.name, claim.payer.plan_type.value
        ('ACME26001003', 'ACME HEALTH PLAN', 'commercial')
        >>> [(s.code, s.modifiers, s.charge) for s in claim.services]  # its 99213 was paid
        [('99484', (), Decimal('60'))]
        >>> claim.denial.codes, claim.denial.notice_date
        (('CO-50', 'N115'), datetime.date(2026, 4, 17))
        """
        from ._claim import to_claim

        items = tuple(claim_denials(self, ROUTINE_ACTIONS))
        return to_claim(
            self,
            items,
            provider=provider,
            payer=payer,
            notice_date=notice_date,
            facts=facts,
            services=services,
        )


@attrs.frozen
class DenialItem:
    """A claim or a service line that needs work, with the amount at stake.

    Attributes:
        claim: the claim (its ``header`` gives payer, payment date and trace number).
        line: the service line, or ``None`` for a claim-level item.
        adjustments: the adjustments that need work at this level.
        amount: the amount at stake: the sum of those adjustments, or for a denied claim
            with none of its own, the unpaid charge (charge minus payment).
    """

    claim: ClaimPayment
    line: ServiceLine | None
    adjustments: tuple[Adjustment, ...]
    amount: Decimal
    __repr__ = fields_repr

    @property
    def level(self) -> str:
        """``"claim"`` or ``"line"``."""
        return "claim" if self.line is None else "line"

    @property
    def denied(self) -> bool:
        """Whether the whole claim was denied (status 4)."""
        return self.claim.denied

    @property
    def remarks(self) -> tuple[str, ...]:
        """The remark codes at this item's level, each once, in file order (the line's
        ``LQ*HE`` codes for a line item, the claim's ``MIA``/``MOA`` codes for a
        claim-level item)."""
        remarks = self.line.remarks if self.line is not None else self.claim.remarks
        return tuple(dict.fromkeys(remarks)) if len(remarks) > 1 else remarks

    @property
    def all_remarks(self) -> tuple[str, ...]:
        """Every remark code that bears on this item, each once (:attr:`remarks`, then,
        for a line item, the claim's own ``MIA``/``MOA`` codes, which apply to each of its
        lines)."""
        if self.line is None:
            return self.remarks
        return tuple(dict.fromkeys((*self.line.remarks, *self.claim.remarks)))

    @property
    def service_date(self) -> date | None:
        """The date of service, the line's or else the first day of the claim's statement
        period (``DTM*232``, else ``DTM*233``; see :meth:`ClaimPayment.service_date`)."""
        return self.claim.service_date(self.line)

    def explanations(self) -> tuple[Explanation, ...]:
        """:func:`denialkit.knowledge.explain` for each known adjustment, with the remarks
        that bear on it (:attr:`all_remarks`: a line's own, then its claim's, so that a
        claim-level ``MA130``, "unprocessable: correct and resubmit", also rules out an
        appeal of its lines).

        Computed on each call (reading stays fast); unknown codes and remark codes the tables
        do not know are left out.
        """
        from denialkit.codes import default_table
        from denialkit.knowledge import explain

        table = default_table()
        remarks = [r for r in self.all_remarks if table.get(r) is not None]
        out = []
        for a in self.adjustments:
            if a.code is not None:
                out.append(explain(a.code, remarks=remarks))
        return tuple(out)

    def deadline(
        self, plan: str | None = None, *, window_days: int | None = None
    ) -> Deadline | None:
        """The first-level appeal deadline, counted from the remittance's payment date.

        Args:
            plan: a :class:`~denialkit.claim.PlanType` value such as ``"medicare"``. When
                not given it is taken from the claim filing indicator where that is certain
                (``MA``/``MB``: Medicare; ``16``: Medicare Advantage).
            window_days: the payer's own window, for plans that need one.

        Returns:
            The :class:`~denialkit.deadlines.Deadline`, or ``None`` when the plan type or the
            date (BPR16, else DTM*405) is not known.

        Raises:
            DeadlineError: as :func:`denialkit.deadlines.deadline` does (e.g. a commercial
                plan without ``window_days``).
        """
        from denialkit.deadlines import deadline

        from ._claim import plan_by_filing

        plan_ = plan or plan_by_filing(self.claim.filing_indicator)
        notice = self.claim.header.payment_date or self.claim.header.production_date
        if plan_ is None or notice is None:
            return None
        return deadline(plan_, 1, notice, window_days=window_days)


def claim_denials(claim: ClaimPayment, ignore: frozenset[Action]) -> Iterator[DenialItem]:
    """The items of one claim that need work: claim level first, then lines in order.

    A claim-level item holds the claim-level adjustments that need work; a denied claim
    (status 4) with no adjustment that needs work at any level still yields one claim-level
    item, for its unpaid charge. A claim the payer did not adjudicate for payment (a
    reversal, a claim that is not this payer's, a predetermination: see
    :attr:`ClaimStatus.adjudicated`) yields none, whatever its adjustments.
    """
    if not claim.adjudicated:
        return
    own = tuple(a for a in claim.adjustments if a.needs_work(ignore))
    line_items = []
    for line in claim.lines:
        work = tuple(a for a in line.adjustments if a.needs_work(ignore))
        if work:
            amount = sum((a.amount for a in work if a.amount is not None), ZERO)
            line_items.append(DenialItem(claim, line, work, amount))
    if own:
        amount = sum((a.amount for a in own if a.amount is not None), ZERO)
        yield DenialItem(claim, None, own, amount)
    elif claim.denied and not line_items:
        yield DenialItem(claim, None, (), claim.charge - claim.payment)
    yield from line_items
