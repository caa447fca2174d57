"""Parse a claim's segments into its parts, on first use (private module).

One pass over the claim's segments builds everything; records are named tuples made with
``tuple.__new__`` (the cheapest immutable object CPython makes), so that a claim costs a few
microseconds.
"""

from __future__ import annotations

import warnings
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Final

from denialkit.exceptions import X12ParseError, X12Warning

from ._reader import _guess_component, cas_triplets, decimal_or_none, resolve
from ._records import ZERO, Adjustment, Entity, ServiceLine, _Detail

if TYPE_CHECKING:
    from ._records import ClaimPayment

_new: Final = tuple.__new__
_fromiso: Final = date.fromisoformat


def text(value: str) -> str:
    """A text value read as Latin-1, re-read as UTF-8 when it is valid UTF-8."""
    if value.isascii():
        return value
    try:
        return value.encode("latin-1").decode("utf-8")
    except (UnicodeDecodeError, UnicodeEncodeError):
        return value


def _amount(value: str) -> Decimal:
    d = Decimal(value)
    if not d.is_finite():
        raise ValueError("not a finite amount")
    return d


def _adjustments(e: list[str], out: list[Adjustment]) -> None:
    group = e[1]
    n = len(e)
    if n == 4 and e[2]:  # one triplet, no quantity: the common case
        try:
            amount: Decimal | None = Decimal(e[3])
        except (InvalidOperation, ValueError):
            amount = None
        out.append(_new(Adjustment, (group, e[2], amount, None, resolve(group, e[2]))))
        return
    for reason, amount_text, qty in cas_triplets(e):
        out.append(
            _new(
                Adjustment,
                (
                    group,
                    reason,
                    decimal_or_none(amount_text),
                    decimal_or_none(qty) if qty else None,
                    resolve(group, reason),
                ),
            )
        )


def _line(
    e: list[str],
    number: int,
    segment: int,
    comp: str,
    dates: list[tuple[str, date]],
    adjustments: list[Adjustment],
    remarks: list[str],
    rejects: list[str],
    refs: list[tuple[str, str]],
    amounts: list[tuple[str, Decimal]],
) -> ServiceLine:
    n = len(e)
    proc = e[1]
    c = comp if comp in proc else _guess_component(proc, comp)
    parts = proc.split(c)
    np_ = len(parts)
    revenue = e[4] or None if n > 4 else None
    units = decimal_or_none(e[5]) if n > 5 and e[5] else None
    sub_proc = None
    if n > 6 and e[6]:
        sub = e[6]
        sp = sub.split(comp if comp in sub else _guess_component(sub, comp))
        sub_proc = sp[1] if len(sp) > 1 and sp[1] else None
    sub_units = decimal_or_none(e[7]) if n > 7 and e[7] else None
    if (n > 5 and e[5] and units is None) or (n > 7 and e[7] and sub_units is None):
        _warn(
            "the units of a service line (SVC05 or SVC07) are not a number; left out",
            segment,
            None,
        )
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
    for q, a in amounts:
        if q == "B6":
            allowed = a
            break
    return _new(
        ServiceLine,
        (
            number,
            parts[0],
            parts[1] if np_ > 1 else "",
            tuple(p for p in parts[2:6] if p) if np_ > 2 else (),
            text(parts[6]) if np_ > 6 and parts[6] else None,
            _amount(e[2]),
            _amount(e[3]),
            revenue,
            units,
            sub_proc,
            sub_units,
            start,
            end,
            tuple(dates),
            tuple(adjustments),
            tuple(remarks),
            tuple(rejects),
            control,
            tuple(refs),
            allowed,
            tuple(amounts),
            segment,
        ),
    )


def parse_claim(claim: ClaimPayment) -> _Detail:
    """Every part of a claim, from its segments.

    Raises:
        X12ParseError: a segment is malformed (missing elements, a line amount that is not
            a number); the error names the segment, never its values.
    """
    dl = claim.header.delimiters
    sep, comp = dl.element, dl.component
    segs = claim._segments
    clp = claim._clp
    k = 0
    names: list[Entity] = []
    c_dates: list[tuple[str, date]] = []
    c_adj: list[Adjustment] = []
    c_remarks: list[str] = []
    c_refs: list[tuple[str, str]] = []
    c_amounts: list[tuple[str, Decimal]] = []
    lines: list[ServiceLine] = []
    # the open line and its parts (the claim's parts until the first SVC)
    svc: list[str] | None = None
    svc_k = 0
    rejects: list[str] = []
    dates, adj, remarks, refs, amounts = c_dates, c_adj, c_remarks, c_refs, c_amounts
    seg0 = claim.segment

    def close_line() -> None:
        """Turn the open service line (if any) and the parts gathered for it into a record."""
        if svc is not None:
            lines.append(
                _line(svc, len(lines) + 1, seg0 + svc_k, comp, dates, adj, remarks, rejects,
                      refs, amounts)
            )  # fmt: skip

    try:
        pr = _amount(clp[5]) if len(clp) > 5 and clp[5] else ZERO
        for k in range(1, len(segs)):
            x = segs[k]
            e = x if type(x) is list else x.split(sep)  # type: ignore[union-attr]
            tag = e[0]
            if tag == "CAS":
                _adjustments(e, adj)
            elif tag == "DTM":
                d = e[2]
                if len(d) == 8 and d.isdigit():
                    try:
                        dates.append((e[1], _fromiso(d)))
                        continue
                    except ValueError:
                        pass
                _warn(
                    "a date of the claim is not a valid CCYYMMDD date; it is left out",
                    seg0 + k,
                    _offset(claim, k),
                )
            elif tag == "REF":
                refs.append((e[1], text(e[2]) if len(e) > 2 else ""))
            elif tag == "SVC":
                close_line()
                svc = e
                svc_k = k
                dates, adj, remarks, rejects, refs, amounts = [], [], [], [], [], []
            elif tag == "AMT":
                value = decimal_or_none(e[2])
                if value is None:
                    _warn(
                        "an AMT amount of the claim is not a number; it is left out",
                        seg0 + k,
                        _offset(claim, k),
                    )
                else:
                    amounts.append((e[1], value))
            elif tag == "NM1":
                if svc is None:
                    n = len(e)
                    names.append(
                        _new(
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
                    )
            elif tag == "LQ":
                (rejects if e[1] == "RX" else remarks).append(e[2])
            elif tag == "MIA" and svc is None:
                n = len(e)
                c_remarks.extend(e[j] for j in (5, 20, 21, 22, 23) if j < n and e[j])
            elif tag == "MOA" and svc is None:
                n = len(e)
                c_remarks.extend(e[j] for j in range(3, 8) if j < n and e[j])
        close_line()
    except (ValueError, IndexError, InvalidOperation, ArithmeticError) as exc:
        if isinstance(exc, X12ParseError):
            raise
        raise X12ParseError(
            "a segment of the claim is malformed (an amount that is not a number, or "
            "missing elements)",
            segment=seg0 + k,
            offset=_offset(claim, k),
        ) from None
    patient = insured = None
    for nm in names:
        if nm.role == "QC" and patient is None:
            patient = nm
        elif nm.role == "IL" and insured is None:
            insured = nm
    return _new(
        _Detail,
        (
            pr,
            patient,
            insured,
            tuple(names),
            tuple(c_dates),
            tuple(c_adj),
            tuple(c_remarks),
            tuple(c_refs),
            tuple(c_amounts),
            tuple(lines),
        ),
    )


def _offset(claim: ClaimPayment, k: int) -> int:
    segs = claim.segments
    tl = len(claim.header.delimiters.segment_text)
    return claim.offset + sum(len(s) for s in segs[:k]) + k * tl


def _warn(message: str, segment: int, offset: int | None) -> None:
    where = f"segment {segment}" + (f", byte {offset}" if offset is not None else "")
    warnings.warn(X12Warning(f"{where}: {message}"), stacklevel=5)
