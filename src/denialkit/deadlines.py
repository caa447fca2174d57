"""Appeal levels and filing deadlines by plan type.

Each plan type has a ladder of appeal levels (:class:`AppealLevel`): who decides, how long the
appellant has to file, from when that window runs, and the rule's citation with an honest
confidence tag. :func:`deadline` turns a level and the date on a notice into a
:class:`Deadline`: the presumed receipt date, the last day the request may arrive, and the rule
in one sentence.

>>> from datetime import date
>>> from denialkit.deadlines import deadline
>>> d = deadline("medicare", 1, date(2026, 1, 2))
>>> d.received, d.due
(datetime.date(2026, 1, 7), datetime.date(2026, 5, 7))
>>> print(d.rule)
120 days from receipt of the initial determination, with receipt presumed 5 days after the
notice date.
>>> d.citation
'42 CFR 405.942(a)'
>>> d.days_left(date(2026, 5, 1)), d.is_late(date(2026, 5, 8))
(6, True)

ACA external review follows 45 CFR 147.136(d)(2)(i) as written: four months; when the fourth
month has no such day, the first day of the fifth month; a due date on a Saturday, Sunday or
federal holiday moves to the next business day (:func:`next_business_day`):

>>> deadline("aca", 2, date(2025, 10, 31)).due
datetime.date(2026, 3, 2)

Medicaid and commercial payers set their own windows; pass the payer's window:

>>> deadline("commercial", 1, date(2026, 3, 2), window_days=90).due
datetime.date(2026, 5, 31)

Days are calendar days. Only the ACA external review moves a due date past weekends and
federal holidays, because only its regulation says so; plans other than Medicare
fee-for-service get no presumed mailing time: when you know the day the notice actually
arrived, pass that day as ``notice_date``. Both choices can only make a due date earlier than
the true one, never later.

Medicaid: an enrollee's appeal to a managed care plan has 60 days from the notice
(``enrollee=True``); a provider's payment dispute has the payer's window (``window_days``).

Errors: a value of the wrong type (``None``, ``bytes``, a ``datetime`` where a ``date``
belongs, ``True`` where a number belongs) raises ``TypeError``; a value of the right type that
cannot be used (an unknown plan, level 0, a negative window, a year without data) raises
:class:`~denialkit.exceptions.DeadlineError`, a ``ValueError``. Messages never repeat dates.
"""

from __future__ import annotations

import calendar
import functools
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Final

import attrs

from denialkit._repr import fields_repr, tolerant

from .claim import Claim, PlanType
from .exceptions import DeadlineError

__all__ = [
    "APPEAL_LEVELS",
    "AMOUNTS_IN_CONTROVERSY",
    "MEDICAID_ENROLLEE_LEVELS",
    "AmountInControversy",
    "AppealLevel",
    "Deadline",
    "add_months",
    "amount_in_controversy",
    "deadline",
    "deadline_for",
    "federal_holidays",
    "is_business_day",
    "level",
    "levels",
    "next_business_day",
]

CONFIDENCE: Final = ("high", "medium", "verify")
"""The confidence tags, strongest first (as in the source data).

``high``: the regulation or Federal Register text was read. ``medium``: an official agency or
contractor page, or a reputable secondary source quoting the regulation. ``verify``: from
general knowledge of the regulation, not re-read; check the eCFR before relying on it.
"""

PAYER_WINDOW: Final = ("none", "longer", "required")
"""How a level treats a payer's own window (``window_days``).

``none``: the window is fixed by regulation and ``window_days`` is refused. ``longer``: the
regulation sets a minimum and a plan may allow more, so ``window_days`` may lengthen it.
``required``: the payer sets the window and ``window_days`` must be given.
"""


@attrs.frozen
class AppealLevel:
    """One rung of a plan type's appeal ladder.

    Attributes:
        plan: the plan type.
        number: the level, from 1.
        name: the level's usual name, e.g. ``"Redetermination"``.
        decided_by: who decides at this level.
        days: the filing window in calendar days, or ``None`` (counted in months, or set by
            the payer).
        months: the filing window in calendar months, or ``None``.
        counts_from: the event the window runs from, in plain words.
        receipt_presumed_days: days after the notice date at which receipt is presumed
            (5 for Medicare fee-for-service, else 0).
        citation: the rule's source.
        confidence: ``"high"``, ``"medium"`` or ``"verify"`` (see ``CONFIDENCE``).
        good_cause_extension: whether a late request may be accepted for good cause.
        payer_window: how ``window_days`` applies here (see ``PAYER_WINDOW``).
        requires_amount_in_controversy: the claim must meet a yearly minimum amount
            (:func:`amount_in_controversy`).
        note: caveats: conflicting sources, parts that need verifying.
        earlier_days: the window in days for notices dated before ``days_since``, when the
            rule changed (Medicare Advantage: 60 days before 2025-01-01), else ``None``.
        days_since: the first notice date the current ``days`` applies to, or ``None``.
        short_month: where a month-counted window ends when its last month has no such day:
            ``"last-day"`` (that month's last day) or ``"next-month"`` (the first day of the
            following month, as 45 CFR 147.136(d)(2)(i) says).
        business_day: a due date on a Saturday, Sunday or federal holiday moves to the next
            business day.

    >>> level("medicare", 3).requires_amount_in_controversy
    True
    """

    plan: PlanType
    number: int
    name: str
    decided_by: str
    days: int | None
    months: int | None
    counts_from: str
    receipt_presumed_days: int
    citation: str
    confidence: str
    good_cause_extension: bool
    payer_window: str = "none"
    requires_amount_in_controversy: bool = False
    note: str = ""
    earlier_days: int | None = None
    days_since: date | None = None
    short_month: str = "last-day"
    business_day: bool = False
    __repr__ = fields_repr

    @property
    def window(self) -> str:
        """The filing window in words (``"120 days"``, ``"4 months"``, ``"the payer's window"``).

        >>> level("aca", 2).window
        '4 months'
        >>> level("medicare-advantage", 1).window
        '65 days (60 days for notices dated before 2025-01-01)'
        """
        if self.days is not None and self.days_since is not None:
            return (
                f"{self.days} days ({self.earlier_days} days for notices dated before "
                f"{self.days_since.isoformat()})"
            )
        if self.days is not None:
            return f"{self.days} days"
        if self.months is not None:
            return f"{self.months} months"
        return "the payer's window"


@attrs.frozen(repr=False)
class Deadline:
    """A filing deadline for one appeal level, computed from the date on a notice.

    The dates relate to a patient's claim, so the ``repr`` hides them; read them as attributes.

    Attributes:
        level: the appeal level.
        notice_date: the date on the notice being appealed.
        received: the presumed date of receipt (the notice date plus the presumed mailing time).
        due: the last day on which the request may be received.
        rule: the rule applied, in one sentence.
        citation: the rule's source.
        days: the window applied, in days (the payer's window where it applies), or ``None``.
        months: the window applied, in calendar months, or ``None``.

    >>> from datetime import date
    >>> deadline("erisa", 1, date(2026, 2, 1))
    <Deadline erisa level 1 (Internal appeal), 180 days, 29 CFR 2560.503-1(h)(3)(i); dates hidden>
    """

    level: AppealLevel
    notice_date: date
    received: date
    due: date
    rule: str
    citation: str
    days: int | None = None
    months: int | None = None

    @tolerant
    def __repr__(self) -> str:
        window = f"{self.days} days" if self.days is not None else f"{self.months} months"
        return (
            f"<Deadline {self.level.plan.value} level {self.level.number} ({self.level.name}), "
            f"{window}, {self.citation}; dates hidden>"
        )

    def days_left(self, today: date) -> int:
        """Days from ``today`` to the due date: 0 on the due date, negative once it has passed.

        Raises:
            TypeError: ``today`` is not a ``datetime.date`` (a ``datetime`` is refused).

        >>> from datetime import date
        >>> d = deadline("medicare", 1, date(2026, 1, 2))
        >>> d.days_left(date(2026, 5, 7)), d.days_left(date(2026, 5, 8))
        (0, -1)
        """
        return (self.due - _date(today, "today")).days

    def is_late(self, on: date) -> bool:
        """Whether a request received on ``on`` is late (``on`` is after the due date).

        A late request is not necessarily lost: see ``level.good_cause_extension``.

        Raises:
            TypeError: ``on`` is not a ``datetime.date`` (a ``datetime`` is refused).

        >>> from datetime import date
        >>> d = deadline("medicare", 1, date(2026, 1, 2))
        >>> d.is_late(date(2026, 5, 7)), d.is_late(date(2026, 5, 8))
        (False, True)
        """
        return _date(on, "on") > self.due


@attrs.frozen
class AmountInControversy:
    """The minimum amount in controversy for a Medicare ALJ hearing and for judicial review.

    The amounts apply to requests filed on or after January 1 of ``year``.

    Attributes:
        year: the calendar year in which the request is filed.
        alj_hearing: dollars needed for an ALJ hearing (level 3), or ``None`` when not known.
        judicial_review: dollars needed for judicial review (level 5), or ``None`` when not
            known.
        source: where the figures come from.
        confidence: ``"high"``, ``"medium"`` or ``"verify"`` (see ``CONFIDENCE``).
    """

    year: int
    alj_hearing: Decimal | None
    judicial_review: Decimal | None
    source: str
    confidence: str
    __repr__ = fields_repr


# ---------------------------------------------------------------------------- the rules
# Facts (day counts, citations, confidence tags, amounts) are copied from the project's
# reference data (appeal_rules.json, compiled 2026-11-27); the sentences are our own.

_MEDICARE_NOTE_LATER = (
    "Good-cause extension at this level is from general knowledge of the regulation "
    "(42 CFR 405.1014(e), 405.1102(c), 405.1134): verify."
)


def _payer_set_levels(
    plan: PlanType, *, decided_by: str, citation: str, note: str
) -> tuple[AppealLevel, ...]:
    """The two appeal levels of a plan whose payer (or state) sets the window: denialkit
    knows no day count for them, and the payer's own window is required."""
    return tuple(
        AppealLevel(
            plan=plan,
            number=number,
            name=name,
            decided_by=decided_by,
            days=None,
            months=None,
            counts_from=counts_from,
            receipt_presumed_days=0,
            citation=citation,
            confidence="verify",
            good_cause_extension=False,
            payer_window="required",
            note=note,
        )
        for number, name, counts_from in (
            (1, "First-level appeal", "the date of the payer's notice"),
            (2, "Second-level appeal", "the date of the payer's notice on the first-level appeal"),
        )
    )


APPEAL_LEVELS: Final[tuple[AppealLevel, ...]] = (
    # Medicare fee-for-service, Parts A and B: receipt presumed 5 days after the notice.
    AppealLevel(
        plan=PlanType.MEDICARE,
        number=1,
        name="Redetermination",
        decided_by="Medicare Administrative Contractor (MAC)",
        days=120,
        months=None,
        counts_from="receipt of the initial determination",
        receipt_presumed_days=5,
        citation="42 CFR 405.942(a)",
        confidence="high",
        good_cause_extension=True,
        note="The initial determination is the remittance advice or Medicare Summary Notice. "
        "A request is filed when the contractor receives it, not when it is mailed.",
    ),
    AppealLevel(
        plan=PlanType.MEDICARE,
        number=2,
        name="Reconsideration",
        decided_by="Qualified Independent Contractor (QIC)",
        days=180,
        months=None,
        counts_from="receipt of the redetermination",
        receipt_presumed_days=5,
        citation="42 CFR 405.962(a)",
        confidence="high",
        good_cause_extension=True,
        note="A request is filed when the QIC receives it.",
    ),
    AppealLevel(
        plan=PlanType.MEDICARE,
        number=3,
        name="Administrative Law Judge (ALJ) hearing or attorney-adjudicator review",
        decided_by="Office of Medicare Hearings and Appeals (OMHA)",
        days=60,
        months=None,
        counts_from="receipt of the QIC reconsideration",
        receipt_presumed_days=5,
        citation="42 CFR 405.1002(a)",
        confidence="high",
        good_cause_extension=True,
        requires_amount_in_controversy=True,
        note=_MEDICARE_NOTE_LATER,
    ),
    AppealLevel(
        plan=PlanType.MEDICARE,
        number=4,
        name="Medicare Appeals Council review",
        decided_by="Medicare Appeals Council (HHS Departmental Appeals Board)",
        days=60,
        months=None,
        counts_from="receipt of the ALJ or attorney-adjudicator decision or dismissal",
        receipt_presumed_days=5,
        citation="42 CFR 405.1102(a)",
        confidence="high",
        good_cause_extension=True,
        note=_MEDICARE_NOTE_LATER,
    ),
    AppealLevel(
        plan=PlanType.MEDICARE,
        number=5,
        name="Judicial review",
        decided_by="a US District Court",
        days=60,
        months=None,
        counts_from="receipt of the Council's decision, or of its notice that it cannot "
        "decide in time",
        receipt_presumed_days=5,
        citation="42 CFR 405.1136",
        confidence="high",
        good_cause_extension=True,
        requires_amount_in_controversy=True,
        note=_MEDICARE_NOTE_LATER,
    ),
    # Medicare Advantage (Part C): only the plan's own reconsideration is modelled.
    AppealLevel(
        plan=PlanType.MEDICARE_ADVANTAGE,
        number=1,
        name="Plan reconsideration",
        decided_by="the Medicare Advantage plan",
        days=65,
        months=None,
        counts_from="the date of the plan's notice of its organization determination",
        receipt_presumed_days=0,
        citation="42 CFR 422.582(b); CMS Medicare Managed Care Appeals & Grievances "
        "guidance, updated 11/20/2024, effective 01/01/2025",
        confidence="medium",
        good_cause_extension=True,
        note="65 calendar days from the date of the notice for notices dated on or after "
        "2025-01-01, 60 days before; counted from the notice date with no mailing time. "
        "The good-cause extension (42 CFR 422.582(c)) is from general knowledge: verify. "
        "Contracted providers usually dispute payment under their contract instead.",
        earlier_days=60,
        days_since=date(2025, 1, 1),
    ),
    # ERISA group health plans.
    AppealLevel(
        plan=PlanType.ERISA,
        number=1,
        name="Internal appeal",
        decided_by="the group health plan (its administrator or named fiduciary)",
        days=180,
        months=None,
        counts_from="receipt of the adverse benefit determination",
        receipt_presumed_days=0,
        citation="29 CFR 2560.503-1(h)(3)(i)",
        confidence="medium",
        good_cause_extension=False,
        payer_window="longer",
        note="180 days is the least a plan must allow; a plan may allow more (window_days). "
        "The regulation text was quoted by secondary sources, not re-read.",
    ),
    # ACA non-grandfathered plans.
    AppealLevel(
        plan=PlanType.ACA,
        number=1,
        name="Internal appeal",
        decided_by="the insurer or plan",
        days=180,
        months=None,
        counts_from="receipt of the adverse benefit determination",
        receipt_presumed_days=0,
        citation="PHS Act 2719; 45 CFR 147.136; HealthCare.gov 'Internal appeals'",
        confidence="high",
        good_cause_extension=False,
        payer_window="longer",
        note="A plan may allow more than 180 days (window_days).",
    ),
    AppealLevel(
        plan=PlanType.ACA,
        number=2,
        name="External review",
        decided_by="an independent review organization",
        days=None,
        months=4,
        counts_from="receipt of the final internal adverse benefit determination",
        receipt_presumed_days=0,
        citation="45 CFR 147.136(d)(2)(i); 29 CFR 2590.715-2719(d)(2)(i)",
        confidence="medium",
        good_cause_extension=False,
        note="Federal external review process, as the regulation states it: four months; "
        "when the fourth month has no such day, the first day of the fifth month (a notice "
        "of October 30 gives March 1); a due date on a Saturday, Sunday or federal holiday "
        "moves to the next business day. State processes may apply instead and must allow "
        "at least four months (45 CFR 147.136(c)(2)(vi)); HealthCare.gov's page speaks of 60 "
        "days: use a longer window printed on the notice when there is one.",
        short_month="next-month",
        business_day=True,
    ),
    # Medicaid and commercial: the payer (or the state) sets the window.
    *_payer_set_levels(
        PlanType.MEDICAID,
        decided_by="the state Medicaid agency or the managed care plan",
        citation="the state's Medicaid rules or the plan's provider manual",
        note="A provider's payment dispute: the window is set by state law or the provider's "
        "contract, with no federal rule. An enrollee's appeal to a managed care plan has a "
        "federal window: see MEDICAID_ENROLLEE_LEVELS (enrollee=True).",
    ),
    *_payer_set_levels(
        PlanType.COMMERCIAL,
        decided_by="the payer",
        citation="the payer's provider manual or contract",
        note="Each payer sets its own window (Payer.appeal_window_days).",
    ),
)
"""Every appeal level denialkit knows, plan by plan, in level order."""

MEDICAID_ENROLLEE_LEVELS: Final[tuple[AppealLevel, ...]] = (
    AppealLevel(
        plan=PlanType.MEDICAID,
        number=1,
        name="Enrollee appeal to the managed care plan",
        decided_by="the Medicaid managed care plan",
        days=60,
        months=None,
        counts_from="the date of the notice of adverse benefit determination",
        receipt_presumed_days=0,
        citation="42 CFR 438.402(c)(2)(ii)",
        confidence="medium",
        good_cause_extension=False,
        note="60 calendar days from the date on the plan's notice; for the enrollee (or a "
        "provider acting for the enrollee with written consent), not for a provider's own "
        "payment dispute.",
    ),
    AppealLevel(
        plan=PlanType.MEDICAID,
        number=2,
        name="State fair hearing",
        decided_by="the state Medicaid agency",
        days=120,
        months=None,
        counts_from="the date of the plan's notice of appeal resolution",
        receipt_presumed_days=0,
        citation="42 CFR 438.408(f)(2)",
        confidence="verify",
        good_cause_extension=False,
        note="From general knowledge of the regulation, not re-read: verify.",
    ),
)
"""A Medicaid managed care enrollee's appeal levels (``deadline(..., enrollee=True)``)."""

AMOUNTS_IN_CONTROVERSY: Final[tuple[AmountInControversy, ...]] = (
    AmountInControversy(
        2026,
        Decimal(200),
        Decimal(1960),
        "90 FR 55869 (Dec 4 2025), CMS-4209-N",
        "high",
    ),
    AmountInControversy(
        2025,
        Decimal(190),
        Decimal(1900),
        "NGS Medicare levels-of-appeal page; HHS 'Review by a Federal District Court' "
        "(the notice is 89 FR 79294, Sept 27 2024)",
        "medium",
    ),
    AmountInControversy(
        2024, Decimal(180), Decimal(1840), "NGS Medicare levels-of-appeal page", "medium"
    ),
    AmountInControversy(
        2022,
        Decimal(180),
        None,
        "Texas Medical Association article (ALJ only; the notice is 86 FR 54198)",
        "medium",
    ),
    AmountInControversy(2018, Decimal(160), Decimal(1600), "82 FR 45592 (Sept 29 2017)", "high"),
    AmountInControversy(2017, Decimal(160), Decimal(1560), "81 FR 65651 (Sept 23 2016)", "high"),
    AmountInControversy(2016, Decimal(150), Decimal(1500), "80 FR 57827 (Sept 25 2015)", "high"),
    AmountInControversy(
        2015, Decimal(150), Decimal(1460), "third-party blog quoting First Coast", "medium"
    ),
)
"""Medicare amount-in-controversy thresholds by calendar year (newest first).

Figures are stated only where a source was read. The Federal Register notices for 2022 (86 FR
54198), 2023 (87 FR 59437) and 2025 (89 FR 79294) are known, but their figures were not read
there: 2022 gives the ALJ figure from a secondary source, 2025 both figures from official
pages, and 2023 none. Years 2019 to 2021 were not collected; 2027 was not yet published when
the data was compiled.
"""

_BY_PLAN: Final[dict[PlanType, tuple[AppealLevel, ...]]] = {
    plan: tuple(sorted((lv for lv in APPEAL_LEVELS if lv.plan is plan), key=lambda lv: lv.number))
    for plan in PlanType
}
_AIC_BY_YEAR: Final[dict[int, AmountInControversy]] = {a.year: a for a in AMOUNTS_IN_CONTROVERSY}

_AFTER_LAST: Final[dict[PlanType, str]] = {
    PlanType.MEDICARE: "level 5 (judicial review) is the last level",
    PlanType.MEDICARE_ADVANTAGE: (
        "denialkit models only the plan reconsideration; an adverse reconsideration goes "
        "to the independent review entity without a request, and the later levels "
        "(ALJ, Council, court) are not modelled"
    ),
    PlanType.ERISA: (
        "after the internal appeal comes a civil action under ERISA 502(a), or for a "
        "non-grandfathered plan an external review (plan type 'aca', level 2)"
    ),
    PlanType.ACA: "level 2 (external review) is the last level denialkit models",
    PlanType.MEDICAID: "denialkit models two payer levels; use the window on the payer's notice",
    PlanType.COMMERCIAL: "denialkit models two payer levels; use the window on the payer's notice",
}

_NO_FEDERAL_WINDOW: Final[dict[PlanType, str]] = {
    PlanType.MEDICAID: (
        "a provider's payment dispute with a Medicaid plan has no federal appeal window: pass "
        "window_days, the payer's window from its notice, contract or provider manual (an "
        "enrollee's appeal to a Medicaid managed care plan has 60 days: pass enrollee=True)"
    ),
    PlanType.COMMERCIAL: (
        "a provider's appeal to a commercial plan has no federal appeal window: pass "
        "window_days, the payer's window from its notice or provider manual"
    ),
}

_PLAN_CHOICES: Final = ", ".join(p.value for p in PlanType)
_MAX_WINDOW_DAYS: Final = 3650


# ---------------------------------------------------------------------------- checking input


def _plan(plan: PlanType | str) -> PlanType:
    if isinstance(plan, PlanType):
        return plan
    if not isinstance(plan, str):
        raise TypeError(f"plan must be a PlanType or a str, not {type(plan).__name__}")
    key = plan.strip().lower().replace("_", "-") if len(plan) <= 40 else ""
    try:
        return PlanType(key)
    except ValueError:
        raise DeadlineError(f"unknown plan type; use one of: {_PLAN_CHOICES}") from None


def _int(value: object, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{name} must be an int, not {type(value).__name__}")
    return value


def _date(value: object, name: str) -> date:
    if isinstance(value, datetime):
        raise TypeError(f"{name} must be a datetime.date, not a datetime (a date has no time)")
    if not isinstance(value, date):
        raise TypeError(f"{name} must be a datetime.date, not {type(value).__name__}")
    return value


def _level(plan: PlanType, number: object) -> AppealLevel:
    n = _int(number, "level")
    ladder = _BY_PLAN[plan]
    if n < 1:
        raise DeadlineError("appeal levels are numbered from 1")
    if n > len(ladder):
        top = len(ladder)
        raise DeadlineError(
            f"{plan.value} plans have {top} appeal level{'s' if top != 1 else ''} "
            f"in denialkit, not {n}: {_AFTER_LAST[plan]}"
        )
    return ladder[n - 1]


# ---------------------------------------------------------------------------- public API


def levels(plan: PlanType | str) -> tuple[AppealLevel, ...]:
    """Every appeal level of a plan type, in order.

    ``plan`` is a :class:`~denialkit.claim.PlanType` or its value (``"medicare"``,
    ``"medicare-advantage"``, ``"erisa"``, ``"aca"``, ``"medicaid"``, ``"commercial"``;
    case and surrounding spaces are ignored).

    Raises:
        TypeError: ``plan`` is neither a ``PlanType`` nor a ``str``.
        DeadlineError: not a known plan type.

    >>> [(lv.number, lv.name, lv.days) for lv in levels("medicare")][:2]
    [(1, 'Redetermination', 120), (2, 'Reconsideration', 180)]
    >>> [lv.window for lv in levels("Medicare")]
    ['120 days', '180 days', '60 days', '60 days', '60 days']
    """
    return _BY_PLAN[_plan(plan)]


def level(plan: PlanType | str, number: int) -> AppealLevel:
    """One appeal level of a plan type (``number`` counts from 1).

    Raises:
        TypeError: ``plan`` or ``number`` has the wrong type (``True`` is not a level).
        DeadlineError: unknown plan type, or no such level for that plan type.

    >>> level("aca", 2).name, level("aca", 2).months, level("aca", 2).confidence
    ('External review', 4, 'medium')
    >>> level("medicare", 6)
    Traceback (most recent call last):
    ...
    denialkit.exceptions.DeadlineError: medicare plans have 5 appeal levels in denialkit, not 6: ...
    """
    return _level(_plan(plan), number)


def add_months(start: date, months: int) -> date:
    """The same day of the month ``months`` calendar months later (earlier when negative).

    When the target month is shorter (no 31st, no February 29th), the result is that
    month's last day.

    Raises:
        TypeError: ``start`` is not a ``date`` (a ``datetime`` is refused) or ``months`` is not
            an ``int``.
        DeadlineError: the result falls outside the years 1 to 9999.

    >>> from datetime import date
    >>> add_months(date(2025, 10, 31), 4), add_months(date(2023, 10, 31), 4)
    (datetime.date(2026, 2, 28), datetime.date(2024, 2, 29))
    >>> add_months(date(2024, 2, 29), 12)
    datetime.date(2025, 2, 28)
    """
    start = _date(start, "start")
    n = _int(months, "months")
    index = start.year * 12 + (start.month - 1) + n
    year, month0 = divmod(index, 12)
    if not 1 <= year <= 9999:
        raise DeadlineError("the date falls outside the years 1 to 9999")
    day = min(start.day, calendar.monthrange(year, month0 + 1)[1])
    return date(year, month0 + 1, day)


# ---------------------------------------------------------------------------- federal holidays
# 5 U.S.C. 6103(a) names the days; a holiday on a Saturday is observed the Friday before and
# one on a Sunday the Monday after (5 U.S.C. 6103(b); Executive Order 11582).

_MON, _THU = 0, 3


def _nth_weekday(year: int, month: int, weekday: int, n: int) -> date:
    """The ``n``-th ``weekday`` of a month (``n = -1``: the last one)."""
    if n > 0:
        first = date(year, month, 1)
        return first + timedelta(days=(weekday - first.weekday()) % 7 + 7 * (n - 1))
    last = date(year, month, calendar.monthrange(year, month)[1])
    return last - timedelta(days=(last.weekday() - weekday) % 7)


def _observed(day: date) -> date:
    if day.weekday() == 5:
        return day - timedelta(days=1)
    if day.weekday() == 6:
        return day + timedelta(days=1)
    return day


def _holidays_of(year: int) -> list[date]:
    """The observed dates of the holidays that belong to ``year`` (one may fall on Dec 31
    of the year before: New Year's Day on a Saturday)."""
    days = [
        _observed(date(year, 1, 1)),  # New Year's Day
        _nth_weekday(year, 2, _MON, 3),  # Washington's Birthday
        _nth_weekday(year, 5, _MON, -1),  # Memorial Day
        _observed(date(year, 7, 4)),  # Independence Day
        _nth_weekday(year, 9, _MON, 1),  # Labor Day
        _nth_weekday(year, 10, _MON, 2),  # Columbus Day
        _observed(date(year, 11, 11)),  # Veterans Day
        _nth_weekday(year, 11, _THU, 4),  # Thanksgiving Day
        _observed(date(year, 12, 25)),  # Christmas Day
    ]
    if year >= 1986:
        days.append(_nth_weekday(year, 1, _MON, 3))  # Birthday of Martin Luther King, Jr.
    if year >= 2021:
        days.append(_observed(date(year, 6, 19)))  # Juneteenth National Independence Day
    return days


@functools.lru_cache(maxsize=128)
def _holiday_set(year: int) -> frozenset[date]:
    found = {d for d in _holidays_of(year) if d.year == year}
    if year < 9999:
        found |= {d for d in _holidays_of(year + 1) if d.year == year}
    return frozenset(found)


def federal_holidays(year: int) -> tuple[date, ...]:
    """The US federal holidays, as observed, that fall in ``year``, in date order.

    A holiday on a Saturday is observed on the Friday before, one on a Sunday on the Monday
    after; so New Year's Day of 2022 (a Saturday) is observed on 2021-12-31. Juneteenth
    counts from 2021 and Martin Luther King, Jr. Day from 1986; earlier years use today's
    rules otherwise.

    Raises:
        TypeError: ``year`` is not an ``int``.
        DeadlineError: ``year`` is outside 1 to 9999.

    >>> [d.isoformat() for d in federal_holidays(2026)][:4]
    ['2026-01-01', '2026-01-19', '2026-02-16', '2026-05-25']
    >>> federal_holidays(2021)[-1]
    datetime.date(2021, 12, 31)
    """
    y = _int(year, "year")
    if not 1 <= y <= 9999:
        raise DeadlineError("the year falls outside 1 to 9999")
    return tuple(sorted(_holiday_set(y)))


def is_business_day(day: date) -> bool:
    """Whether ``day`` is neither a Saturday, a Sunday nor an observed federal holiday.

    Raises:
        TypeError: ``day`` is not a ``datetime.date`` (a ``datetime`` is refused).

    >>> from datetime import date
    >>> is_business_day(date(2026, 3, 2)), is_business_day(date(2026, 7, 3))
    (True, False)
    """
    d = _date(day, "day")
    return d.weekday() < 5 and d not in _holiday_set(d.year)


def next_business_day(day: date) -> date:
    """``day`` itself when it is a business day, else the first business day after it.

    Raises:
        TypeError: ``day`` is not a ``datetime.date`` (a ``datetime`` is refused).

    >>> from datetime import date
    >>> next_business_day(date(2026, 3, 1))  # a Sunday
    datetime.date(2026, 3, 2)
    >>> next_business_day(date(2026, 12, 25))  # Christmas, a Friday
    datetime.date(2026, 12, 28)
    """
    d = _date(day, "day")
    while not is_business_day(d):  # 9999-12-31 is a Friday: the loop always ends in range
        d += timedelta(days=1)
    return d


def _add_months_or_next(start: date, months: int) -> date:
    """``months`` calendar months after ``start``; when that month has no such day, the first
    day of the month after it (45 CFR 147.136(d)(2)(i))."""
    index = start.year * 12 + (start.month - 1) + months
    year, month0 = divmod(index, 12)
    if not 1 <= year <= 9999:
        raise DeadlineError("the date falls outside the years 1 to 9999")
    if start.day <= calendar.monthrange(year, month0 + 1)[1]:
        return date(year, month0 + 1, start.day)
    return add_months(date(year, month0 + 1, 1), 1)


def _window(value: object) -> int | None:
    if value is None:
        return None
    n = _int(value, "window_days")
    if not 1 <= n <= _MAX_WINDOW_DAYS:
        raise DeadlineError(
            f"window_days must be a whole number of days from 1 to {_MAX_WINDOW_DAYS}"
        )
    return n


def _rule(rec: AppealLevel, days: int | None, months: int | None, payer_days: bool) -> str:
    if days is not None:
        window = f"{days} days"
        if rec.payer_window == "required":
            window += " (the payer's window)"
        elif payer_days and rec.days_since is None:
            window += f" (the plan's window; federal rules require at least {rec.days})"
        elif rec.days_since is not None:
            since = rec.days_since.isoformat()
            window += (
                f" (for notices dated on or after {since}; {rec.earlier_days} days before)"
                if days == rec.days
                else f" (for notices dated before {since}; {rec.days} days from then on)"
            )
    else:
        window = f"{months} calendar months"
    text = f"{window} from {rec.counts_from}"
    if rec.receipt_presumed_days:
        text += f", with receipt presumed {rec.receipt_presumed_days} days after the notice date"
    elif rec.counts_from.startswith("receipt"):
        text += ", counted from the notice date (no mailing time presumed)"
    if months is not None:
        if rec.short_month == "next-month":
            text += "; when that month has no such day, the first day of the month after it"
        else:
            text += "; when that month has no such day, its last day"
    if rec.business_day:
        text += "; a due date on a Saturday, Sunday or federal holiday moves to the next "
        text += "business day"
    return text + "."


def deadline(
    plan: PlanType | str,
    level: int,
    notice_date: date,
    *,
    window_days: int | None = None,
    enrollee: bool = False,
) -> Deadline:
    """The filing deadline for appeal level ``level`` of ``plan``, from the notice's date.

    Args:
        plan: a :class:`~denialkit.claim.PlanType` or its value, e.g. ``"medicare"``.
        level: the appeal level being requested, from 1.
        notice_date: the date on the notice being appealed (for level 1, the denial).
        window_days: the payer's own window in days. Required for a provider's appeal to
            a Medicaid or commercial plan; for ERISA and ACA internal appeals it replaces the
            federal 180 days when the plan allows more; refused for levels whose window a
            regulation fixes.
        enrollee: the appeal is a Medicaid managed care enrollee's (60 days from the notice,
            42 CFR 438.402(c)(2)(ii); then a state fair hearing), not a provider's payment
            dispute. Only for ``"medicaid"``.

    Raises:
        TypeError: an argument has the wrong type (a ``datetime`` is not a ``date``).
        DeadlineError: unknown plan type or level, ``window_days`` missing where the payer
            sets the window, shorter than the federal minimum, out of range or not accepted
            for this level.

    >>> from datetime import date
    >>> d = deadline("medicare", 2, date(2026, 1, 2))
    >>> d.due, d.citation
    (datetime.date(2026, 7, 6), '42 CFR 405.962(a)')
    >>> print(deadline("erisa", 1, date(2026, 1, 2), window_days=365).rule)
    365 days (the plan's window; federal rules require at least 180) from receipt of the
    adverse benefit determination, counted from the notice date (no mailing time presumed).
    >>> deadline("medicaid", 1, date(2026, 1, 2), enrollee=True).due
    datetime.date(2026, 3, 3)
    >>> deadline("commercial", 1, date(2026, 1, 2))
    Traceback (most recent call last):
    ...
    denialkit.exceptions.DeadlineError: a provider's appeal to a commercial plan has no federal ...
    """
    plan_ = _plan(plan)
    if not isinstance(enrollee, bool):
        raise TypeError(f"enrollee must be a bool, not {type(enrollee).__name__}")
    if enrollee:
        if plan_ is not PlanType.MEDICAID:
            raise DeadlineError(
                "enrollee=True applies to Medicaid managed care only; other plan types "
                "model the provider's appeal"
            )
        n = _int(level, "level")
        if not 1 <= n <= len(MEDICAID_ENROLLEE_LEVELS):
            raise DeadlineError(
                "a Medicaid enrollee's appeal has 2 levels in denialkit (the plan appeal, then "
                "the state fair hearing)"
            )
        rec = MEDICAID_ENROLLEE_LEVELS[n - 1]
    else:
        rec = _level(plan_, level)
    notice = _date(notice_date, "notice_date")
    window = _window(window_days)
    days, months = rec.days, rec.months
    if rec.days_since is not None and notice < rec.days_since:
        days = rec.earlier_days
    if rec.payer_window == "required":
        if window is None:
            raise DeadlineError(_NO_FEDERAL_WINDOW[plan_])
        days = window
    elif rec.payer_window == "longer":
        if window is not None:
            assert rec.days is not None
            if window < rec.days:
                raise DeadlineError(
                    f"{plan_.value} plans must allow at least {rec.days} days for "
                    f"{rec.name.lower()} ({rec.citation}); pass window_days only when the "
                    "plan allows more"
                )
            days = window
    elif window is not None:
        raise DeadlineError(
            f"the {rec.window} window for {plan_.value} level {rec.number} is set by "
            f"{rec.citation}; window_days applies only to Medicaid and commercial plans "
            "and to ERISA and ACA internal appeals"
        )
    try:
        received = notice + timedelta(days=rec.receipt_presumed_days)
        if days is not None:
            due = received + timedelta(days=days)
        else:
            assert months is not None
            if rec.short_month == "next-month":
                due = _add_months_or_next(received, months)
            else:
                due = add_months(received, months)
        if rec.business_day:
            due = next_business_day(due)
    except (OverflowError, DeadlineError):
        raise DeadlineError("the deadline would fall after the year 9999") from None
    return Deadline(
        level=rec,
        notice_date=notice,
        received=received,
        due=due,
        rule=_rule(rec, days, months, payer_days=days != rec.days),
        citation=rec.citation,
        days=days,
        months=months,
    )


def deadline_for(claim: Claim, *, level: int | None = None) -> Deadline:
    """The filing deadline for a claim's next appeal (or for ``level``).

    The plan type and the payer's window come from ``claim.payer``, the notice date from
    ``claim.denial``; ``level`` defaults to ``claim.denial.level + 1``. The payer's
    ``appeal_window_days`` is used where a payer's window applies (Medicaid, commercial, and
    ERISA or ACA internal appeals) and not where a regulation fixes the window.

    Raises:
        TypeError: ``claim`` is not a :class:`~denialkit.claim.Claim`, or holds a value of the
            wrong type.
        DeadlineError: as :func:`deadline`; also when the claim is already at the last level.

    >>> from datetime import date
    >>> from denialkit.claim import Claim, Denial, Patient, Payer, PlanType, Provider, ServiceLine
    >>> claim = Claim(
    ...     claim_number="CLM-1",
    ...     patient=Patient(name="Zoë Example", member_id="W123"),
    ...     provider=Provider(name="Valley Family Medicine"),
    ...     payer=Payer(name="Acme Health", plan_type=PlanType.COMMERCIAL, appeal_window_days=90),
    ...     services=(ServiceLine(code="99213", date=date(2026, 1, 5)),),
    ...     denial=Denial(notice_date=date(2026, 3, 2), codes=("CO-16",)),
    ... )
    >>> d = deadline_for(claim)
    >>> d.level.number, d.due
    (1, datetime.date(2026, 5, 31))
    >>> print(d.rule)
    90 days (the payer's window) from the date of the payer's notice.
    """
    if not isinstance(claim, Claim):
        raise TypeError(f"deadline_for needs a denialkit Claim, not {type(claim).__name__}")
    plan = _plan(claim.payer.plan_type)
    current = _int(claim.denial.level, "claim.denial.level")
    if level is None:
        number = current + 1
        if number > len(_BY_PLAN[plan]):
            raise DeadlineError(
                f"the claim's denial is already at level {current}, the last {plan.value} "
                f"level in denialkit: {_AFTER_LAST[plan]}"
            )
    else:
        number = _int(level, "level")
    rec = _level(plan, number)
    window = claim.payer.appeal_window_days if rec.payer_window != "none" else None
    return deadline(plan, number, claim.denial.notice_date, window_days=window)


def amount_in_controversy(year: int) -> AmountInControversy:
    """The Medicare amount-in-controversy thresholds for requests filed in ``year``.

    Raises:
        TypeError: ``year`` is not an ``int``.
        DeadlineError: the data holds no figures for that year.

    >>> aic = amount_in_controversy(2026)
    >>> aic.alj_hearing, aic.judicial_review, aic.confidence
    (Decimal('200'), Decimal('1960'), 'high')
    >>> amount_in_controversy(2023)
    Traceback (most recent call last):
    ...
    denialkit.exceptions.DeadlineError: no amount-in-controversy figures for 2023; known years: ...
    """
    y = _int(year, "year")
    try:
        return _AIC_BY_YEAR[y]
    except KeyError:
        known = ", ".join(str(k) for k in sorted(_AIC_BY_YEAR))
        shown = str(y) if 1 <= y <= 9999 else "that year"
        raise DeadlineError(
            f"no amount-in-controversy figures for {shown}; known years: {known}"
        ) from None
