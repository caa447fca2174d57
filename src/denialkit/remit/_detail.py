"""What the reader builds a claim's parts with: numbers, codes, service lines (private module).

The reader's pass over a claim calls these once per segment that needs more than a split:
records are named tuples made with ``tuple.__new__`` (the cheapest immutable object CPython
makes).

Numbers follow the X12 R and N types: an optional leading minus, ASCII digits, at most one
decimal point, and at most :data:`AMOUNT_DIGITS` digits for an amount (``QUANTITY_DIGITS``
for a quantity, a count or a rate). Anything else (a plus sign, an exponent, a thousands
separator, an underscore, a space, a non-ASCII digit, ``NaN``, an empty required element)
raises ``ValueError`` here, which the reader turns into an
:class:`~denialkit.exceptions.X12ParseError` naming the element, the segment and its byte
offset. A value that passes cannot overflow: 18 digits sum exactly in ``Decimal``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from typing import Final

from denialkit.codes import GROUP_CODES, DenialCode, default_table

from ._records import Adjustment, ProviderSummary, ServiceLine, text

#: The most digits an amount element (R type, 1/18) may have.
AMOUNT_DIGITS: Final = 18
#: The most digits a quantity, count or rate element (R type, 1/15 or less) may have.
QUANTITY_DIGITS: Final = 15
#: The characters an X12 number is made of: what ``str.strip`` must leave nothing of.
NUMBER_CHARS: Final = "0123456789.-"

_R: Final = re.compile(r"-?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)")
_new: Final = tuple.__new__
_fromiso: Final = date.fromisoformat


class NumberError(ValueError):
    """An element that is not an X12 number; ``element`` says which (e.g. ``"CAS03"``)."""

    def __init__(self, element: str, empty: bool) -> None:
        super().__init__(element)
        self.element = element
        self.empty = empty


def number(value: str, element: str, digits: int = AMOUNT_DIGITS) -> Decimal:
    """``value`` as a Decimal when it follows the X12 R type, else :class:`NumberError`.

    >>> number("-12.50", "CLP04")
    Decimal('-12.50')
    >>> number("1e5", "CLP04")
    Traceback (most recent call last):
    ...
    denialkit.remit._detail.NumberError: CLP04
    """
    if (
        len(value) <= digits + 2
        and _R.fullmatch(value) is not None
        and len(value) - value.count("-") - value.count(".") <= digits
    ):
        try:
            return Decimal(value)
        except (InvalidOperation, ValueError):  # pragma: no cover - the pattern forbids it
            pass
    raise NumberError(element, not value)


def fast_number(value: str, element: str, digits: int = AMOUNT_DIGITS) -> Decimal:
    """:func:`number` with a quicker accept for the common shapes (the reader's hot path)."""
    if len(value) <= digits and not value.strip(NUMBER_CHARS):
        try:
            return Decimal(value)  # with only these characters Decimal takes the R grammar
        except (InvalidOperation, ValueError):
            pass
    return number(value, element, digits)


def element_name(tag: str, k: int) -> str:
    """``"CAS03"`` for element 3 of a CAS."""
    return f"{tag}{k:02d}"


def check_numbers(e: Sequence[str], tag: str, positions: Sequence[int], digits: int) -> None:
    """Check the non-empty elements at ``positions`` of a split segment (values unused)."""
    n = len(e)
    for k in positions:
        if k < n and e[k]:
            fast_number(e[k], element_name(tag, k), digits)


@lru_cache(maxsize=8192)
def resolve(group: str, reason: str) -> DenialCode | None:
    """The code for a group and reason in the default tables, or ``None``."""
    if group not in GROUP_CODES or not reason or len(reason) > 8:
        return None
    return default_table().get(f"{group}-{reason}")


def parse_date(value: str) -> date:
    """``CCYYMMDD`` to a date; raises ``ValueError`` otherwise."""
    if len(value) != 8 or not value.isdigit() or not value.isascii():
        raise ValueError("not a CCYYMMDD date")
    return _fromiso(value)


#: For a period (RD8) given on a date qualifier of the 835, the qualifiers of its first and
#: last day: a service date range is the service period (150 to 151), a statement date range
#: the statement period (232 to 233).
PERIOD_QUALIFIERS: Final = {
    "472": ("150", "151"),
    "150": ("150", "151"),
    "151": ("150", "151"),
    "232": ("232", "233"),
    "233": ("232", "233"),
}
#: The DTM05 formats the reader reads: a date, a date and time, and their periods.
DTM_FORMATS: Final = ("D8", "DT", "RD8", "RDT")
_CODE: Final = re.compile(r"[A-Z0-9]{1,3}")


def _day(value: str, with_time: bool) -> date:
    """The day of a D8 (``CCYYMMDD``) or DT (``CCYYMMDDHHMM``, seconds allowed) value."""
    if with_time:
        if len(value) not in (12, 14) or not value.isdigit() or not value.isascii():
            raise ValueError("not a CCYYMMDDHHMM date and time")
        value = value[:8]
    return parse_date(value)


def dtm_dates(e: Sequence[str]) -> tuple[list[tuple[str, date]], str | None]:
    """The ``(qualifier, date)`` pairs of a split DTM segment, and what could not be read.

    DTM02 is the date the 835 uses. Some payers give the date in DTM05 and DTM06 instead, as
    a date (``D8``), a date and time (``DT``) or a period (``RD8``: ``CCYYMMDD-CCYYMMDD``;
    ``RDT`` with times): a period gives its first and last day, under the qualifiers of
    :data:`PERIOD_QUALIFIERS` when the qualifier names a date of service or a statement
    date (``DTM*472`` with a range is the service period ``150`` to ``151``), else twice
    under its own qualifier. The second value is a message naming the element (never the
    value) when something was left out.
    """
    n = len(e)
    qualifier = e[1] if n > 1 else ""
    value = e[2] if n > 2 else ""
    fmt = e[5].strip().upper() if n > 5 else ""
    given = e[6].strip() if n > 6 else ""
    if not fmt and not given:
        try:
            return [(qualifier, parse_date(value))], None
        except ValueError:
            what = "is empty" if not value else "is not a valid CCYYMMDD date"
            return [], f"DTM02 {what}; the date is left out"
    shown = fmt if _CODE.fullmatch(fmt) else "(not a code)"
    if fmt not in DTM_FORMATS:
        if not fmt:
            why = "DTM06 holds a date without a format qualifier (DTM05)"
        else:
            why = f"the date format {shown} (DTM05) is not one the reader reads (D8, DT, RD8, RDT)"
        return _dtm02(qualifier, value, why)
    timed = fmt in ("DT", "RDT")
    try:
        if fmt in ("D8", "DT"):
            start = end = _day(given, timed)
        else:
            first, sep, last = given.partition("-")
            if not sep:
                raise ValueError("not a period")
            start, end = _day(first, timed), _day(last, timed)
    except ValueError:
        return _dtm02(qualifier, value, f"DTM06 is not a valid {shown} value")
    if end < start:
        return _dtm02(qualifier, value, "the period in DTM06 ends before it starts")
    problem = None
    if value:
        try:
            same = parse_date(value) == start
        except ValueError:
            same = False
        if not same:
            problem = "DTM02 and DTM06 give different dates; DTM06 is read"
    if start == end and fmt in ("D8", "DT"):
        return [(qualifier, start)], problem
    first_q, last_q = PERIOD_QUALIFIERS.get(qualifier, (qualifier, qualifier))
    return [(first_q, start), (last_q, end)], problem


def _dtm02(qualifier: str, value: str, why: str) -> tuple[list[tuple[str, date]], str | None]:
    """DTM02 alone, when DTM05 and DTM06 cannot be read (``why``)."""
    if value:
        try:
            return [(qualifier, parse_date(value))], why + "; DTM02 is read"
        except ValueError:
            pass
    return [], why + "; the date is left out"


def cas_triplets(e: Sequence[str]) -> list[tuple[int, str, str, str]]:
    """The ``(position, reason, amount, quantity)`` texts of a split CAS segment
    (``position`` is the reason's element number). X12 allows six triplets; more are read
    too (the caller warns), since a payer that sends them still adjusted by them.

    Raises:
        ValueError: the segment is not a group and triplets.
    """
    out = []
    n = len(e)
    if n < 4:
        raise ValueError("a group code and at least one triplet")
    for j in range(2, n, 3):
        reason = e[j]
        amount = e[j + 1] if j + 1 < n else ""
        qty = e[j + 2] if j + 2 < n else ""
        if not reason:
            if amount or qty:
                raise ValueError("an amount without a reason code")
            continue
        out.append((j, reason, amount, qty))
    if not out:
        raise ValueError("no adjustment")
    return out


def guess_component(value: str, comp: str) -> str:
    """The component separator a composite really uses.

    Some files use ``>`` in composites while ISA16 says ``:`` (or the reverse); the character
    after a two-letter qualifier tells.
    """
    if len(value) > 2 and not value[2].isalnum() and value[2] not in " -.":
        return value[2]
    return comp


def service_line(
    e: list[str],
    number_: int,
    segment: int,
    comp: str,
    dates: list[tuple[str, date]],
    adjustments: list[Adjustment],
    remarks: list[str],
    rejects: list[str],
    refs: list[tuple[str, str]],
    amounts: list[tuple[str, Decimal]],
    charge: Decimal,
    payment: Decimal,
    units: Decimal | None,
    sub_units: Decimal | None,
    quantities: list[tuple[str, Decimal]] | None = None,
) -> ServiceLine:
    """The record of one service line, from its SVC (split, its numbers read) and the parts
    read after it."""
    n = len(e)
    proc = e[1]
    parts = proc.split(comp if comp in proc else guess_component(proc, comp))
    np_ = len(parts)
    revenue = e[4] or None if n > 4 else None
    sub_proc = None
    sub_mods: tuple[str, ...] = ()
    if n > 6 and e[6]:
        sub = e[6]
        sp = sub.split(comp if comp in sub else guess_component(sub, comp))
        sub_proc = sp[1] if len(sp) > 1 and sp[1] else None
        if sub_proc is not None and len(sp) > 2:
            sub_mods = tuple([p for p in sp[2:6] if p])
    start = end = None
    for q, d in dates:
        if q == "472":
            if start is None:
                start = end = d
        elif q == "150":
            start = d
        elif q == "151":
            end = d
    if start is not None and end is None:
        end = start
    control = None
    if refs:
        other = []
        for q, v in refs:
            if q == "6R" and control is None:
                control = v
            else:
                other.append((q, v))
        refs = other
    allowed = None
    if amounts:
        for q, a in amounts:
            if q == "B6":
                allowed = a
                break
    return _new(
        ServiceLine,
        (
            number_,
            parts[0],
            parts[1] if np_ > 1 else "",
            tuple([p for p in parts[2:6] if p]) if np_ > 2 else (),
            text(parts[6]) if np_ > 6 and parts[6] else None,
            charge,
            payment,
            revenue,
            units,
            sub_proc,
            sub_units,
            start,
            end,
            tuple(dates) if dates else (),
            tuple(adjustments) if adjustments else (),
            tuple(remarks) if remarks else (),
            tuple(rejects) if rejects else (),
            control,
            tuple(refs) if refs else (),
            allowed,
            tuple(amounts) if amounts else (),
            segment,
            sub_mods,
            tuple(quantities) if quantities else (),
        ),
    )


class ClaimGroup:
    """The segments of one group of claims (LX, with its TS3 and TS2), as the reader met them;
    the claims of the group share it, and the first one asked makes its
    :class:`ProviderSummary` (the numbers and the date were checked when read)."""

    __slots__ = ("_summary", "raw", "segment")

    def __init__(self, segment: int, raw: list[list[str]]) -> None:
        self.segment = segment
        self.raw = raw
        self._summary: ProviderSummary | None = None

    def summary(self) -> ProviderSummary:
        """The group's summary, made once."""
        made = self._summary
        if made is None:
            made = self._summary = provider_summary(self.raw, self.segment)
        return made


def _opt_number(e: Sequence[str], k: int, digits: int) -> Decimal | None:
    """Element ``k`` as a number, or ``None`` when absent or not one (the reader reported it)."""
    if k < len(e) and e[k]:
        try:
            return fast_number(e[k], "", digits)
        except NumberError:
            return None
    return None


def provider_summary(segments: Sequence[Sequence[str]], segment: int) -> ProviderSummary:
    """The :class:`ProviderSummary` of a group's LX, TS3 and TS2 (split into elements)."""
    number = provider = facility = None
    period: date | None = None
    count = charge = None
    amounts: list[tuple[str, Decimal]] = []
    for e in segments:
        tag, n = e[0], len(e)
        if tag == "LX":
            number = e[1] or None if n > 1 else None
            continue
        first = 1
        if tag == "TS3":
            provider = e[1] or None if n > 1 else None
            facility = e[2] or None if n > 2 else None
            try:
                period = parse_date(e[3]) if n > 3 and e[3] else None
            except ValueError:
                period = None
            count = _opt_number(e, 4, QUANTITY_DIGITS)
            charge = _opt_number(e, 5, AMOUNT_DIGITS)
            first = 6
        for k in range(first, n):
            value = _opt_number(e, k, AMOUNT_DIGITS)
            if value is not None:
                amounts.append((element_name(tag, k), value))
    return ProviderSummary(
        number=number,
        provider_id=provider,
        facility_code=facility,
        fiscal_period_date=period,
        claim_count=count,
        total_charge=charge,
        amounts=tuple(amounts),
        segment=segment,
    )
