"""Read X12 835 remittances: a fast streaming reader, typed records, denials and tables.

A source is a path, a binary file object or ``bytes``. Reading streams: memory stays the
same for a 1 MB file and a 1 GB one, and for a transaction set of ten claims or of forty
thousand.

- :func:`claims` yields every :class:`ClaimPayment` as soon as it ends, each carrying the
  header of its transaction set (payer, payee, payment, trace number, dates);
- :func:`read` yields one :class:`Remittance` per transaction set (ST to SE): the header, the
  provider-level adjustments (PLB) and the totals. A remittance does not hold its claims;
- :func:`stream` yields both, in file order (claims first, then their remittance at its SE),
  for one pass over a source that cannot be read twice;
- :func:`denials` yields the claims and lines that need work, with the amount at stake;
- :func:`corrections` pairs each reversal with the claim it takes back and the corrected
  claim that follows it;
- :meth:`ClaimPayment.to_claim` turns a claim into a :class:`~denialkit.claim.Claim`, ready
  for :func:`denialkit.appeal` (appeal letters for a whole remittance come from
  :func:`denialkit.batch.appeals`, a floor above: this package never imports the letters);
- :func:`to_records`, :func:`to_frame`, :func:`write_csv` and :func:`summary` turn them into
  tables (CSV safe to open in a spreadsheet).

>>> from denialkit import remit
>>> data = remit.sample()  # a small synthetic remittance
>>> for r in remit.read(data):
...     print(r.payer.name, r.payment_amount, r.claim_count, r.denied_count, r.balanced)
ACME HEALTH PLAN 407.5 9 2 True
>>> claim = next(remit.claims(data))
>>> claim.status.label, claim.charge, claim.payment
('Processed as primary', Decimal('190'), Decimal('105'))
>>> [(a.key, a.amount) for a in claim.lines[0].adjustments]
[('CO-45', Decimal('50')), ('PR-2', Decimal('20'))]
>>> for item in remit.denials(data):
...     print(item.level, [a.key for a in item.adjustments], item.amount)
claim ['CO-197'] 300
line ['CO-50'] 60
line ['CO-16'] 120
line ['CO-29'] 200

Checks: segment counts (SE01, GE01, IEA01), control numbers (ISA13/IEA02, GS06/GE02,
ST02/SE02) and balancing (per line and per claim, charge minus payment equals the
adjustments; per transaction set, BPR02 equals the claim payments minus the provider
adjustments) are reported as :class:`~denialkit.exceptions.X12Warning` naming the segment
number and byte offset, or raised as :class:`~denialkit.exceptions.X12ParseError` with
``strict=True``. So is an amount or quantity outside the X12 R type (kept as ``None``), and
a segment a claim has no place for (kept in ``ClaimPayment.unknown_segments``); blanks around
a segment never change its meaning. Malformed or truncated data always raises
``X12ParseError``; its message names the segment number and byte offset and never a
segment's values.

Other transaction sets in the same file are skipped with a warning; a file without an
ISA/GS envelope is read with the delimiters found in its ST segment, with a warning.
"""

from __future__ import annotations

import importlib
import warnings
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

from denialkit.codes import Action

from ._links import Correction, WorkList, work
from ._reader import Readable, Reader, Source, source_chunks
from ._records import (
    ROUTINE_ACTIONS,
    Adjustment,
    ClaimPayment,
    ClaimStatus,
    Contact,
    Delimiters,
    DenialItem,
    Entity,
    InpatientAdjudication,
    OutpatientAdjudication,
    Party,
    ProviderAdjustment,
    ProviderSummary,
    Remittance,
    RemittanceHeader,
    ServiceLine,
    UnknownSegment,
)
from ._sample import sample
from ._tables import COLUMNS, Summary

if TYPE_CHECKING:
    from typing import TextIO

    import pandas

__all__ = [
    "COLUMNS",
    "ROUTINE_ACTIONS",
    "Adjustment",
    "ClaimPayment",
    "ClaimStatus",
    "Contact",
    "Correction",
    "Delimiters",
    "DenialItem",
    "Entity",
    "InpatientAdjudication",
    "OutpatientAdjudication",
    "Party",
    "ProviderAdjustment",
    "ProviderSummary",
    "Readable",
    "Remittance",
    "RemittanceHeader",
    "ServiceLine",
    "Source",
    "Summary",
    "UnknownSegment",
    "claims",
    "corrections",
    "denials",
    "iter_records",
    "read",
    "sample",
    "stream",
    "summary",
    "to_frame",
    "to_records",
    "write_csv",
]


def stream(source: Source, *, strict: bool = False) -> Iterator[ClaimPayment | Remittance]:
    """Every claim as it ends and every remittance at its SE, in file order.

    One pass over the source gives both; use it when the source cannot be read twice (a
    pipe, a network stream).

    Args:
        source: a path, a binary file object or ``bytes``.
        strict: raise :class:`~denialkit.exceptions.X12ParseError` for failed checks
            (counts, control numbers, balancing) instead of warning.

    Raises:
        TypeError: ``source`` is not a path, a binary file object or bytes (raised at once).
        OSError: while iterating, when the path cannot be opened or read.
        X12ParseError: while iterating, for malformed or truncated data.

    >>> [type(x).__name__ for x in stream(sample())][-2:]
    ['ClaimPayment', 'Remittance']
    """
    return Reader(strict).items(source_chunks(source), 3)


def read(source: Source, *, strict: bool = False) -> Iterator[Remittance]:
    """One :class:`Remittance` per 835 transaction set, in file order.

    A remittance holds the header, the provider adjustments and the totals, not the claims:
    read those with :func:`claims` (or both at once with :func:`stream`).

    Args:
        source: a path, a binary file object or ``bytes``.
        strict: raise instead of warning when a check fails.

    Raises:
        TypeError: ``source`` is not a path, a binary file object or bytes (raised at once).
        X12ParseError: while iterating, for malformed or truncated data.

    >>> r = next(read(sample()))
    >>> r.trace_number, r.payment_date, r.provider_adjustment_total
    ('EFT20260417001', datetime.date(2026, 4, 17), Decimal('12.5'))
    """
    return Reader(strict).items(source_chunks(source), 2)  # type: ignore[return-value]


def claims(source: Source, *, strict: bool = False) -> Iterator[ClaimPayment]:
    """Every :class:`ClaimPayment`, streamed as each one ends, with its transaction's header.

    Args:
        source: a path, a binary file object or ``bytes``.
        strict: raise instead of warning when a check fails.

    Raises:
        TypeError: ``source`` is not a path, a binary file object or bytes (raised at once).
        X12ParseError: while iterating, for malformed or truncated data.

    >>> [c.status_code for c in claims(sample())]
    ['1', '4', '1', '1', '2', '22', '1', '1', '4']
    """
    return Reader(strict).items(source_chunks(source), 1)  # type: ignore[return-value]


def _claims_of(source: Source | Iterable[ClaimPayment], strict: bool) -> Iterator[ClaimPayment]:
    if isinstance(source, (str, bytes, bytearray, memoryview)) or hasattr(source, "read"):
        return claims(source, strict=strict)  # type: ignore[arg-type]
    try:
        import os

        if isinstance(source, os.PathLike):
            return claims(source, strict=strict)
        it = iter(source)
    except TypeError:
        return claims(source, strict=strict)  # type: ignore[arg-type]
    return _checked(it)


def _checked(it: Iterator[object]) -> Iterator[ClaimPayment]:
    for c in it:
        if not isinstance(c, ClaimPayment):
            raise TypeError(f"expected ClaimPayment objects, not {type(c).__name__}")
        yield c


def denials(
    source: Source | Iterable[ClaimPayment],
    *,
    strict: bool = False,
    ignore: frozenset[Action] = ROUTINE_ACTIONS,
) -> Iterator[DenialItem]:
    """The claims and lines that need work, each with the amount at stake.

    An adjustment needs work when its amount is positive and its code's recommended action
    (under its group) is not in ``ignore``: by default a contractual write-off, the patient's
    share and informational adjustments are routine. An adjustment whose code the tables do
    not know always needs a person's look. A denied claim (status 4) is always listed. A
    claim the payer did not adjudicate for payment never is, whatever its adjustments: a
    reversal (22), a claim that is not this payer's (23) and a predetermination (25) deny
    nothing (see :attr:`ClaimStatus.adjudicated`). Nor is a claim that a reversal later in
    the same transaction set takes back (see :func:`corrections`): the items of a
    transaction set are yielded at its end, once that is known; a reversal in a later
    transaction set of a claim already yielded is reported with an
    :class:`~denialkit.exceptions.X12Warning` naming both segments.

    Each :class:`DenialItem` has its claim, its line (``None`` at claim level), the
    adjustments that need work, the amount at stake, ``explanations()`` (what the codes mean
    and what to do, from :func:`denialkit.knowledge.explain`) and ``deadline()`` (the first
    appeal deadline from the payment date, when the plan type is known).

    Args:
        source: a path, a binary file object, ``bytes``, or claims already read.
        strict: raise instead of warning when a check fails.
        ignore: the actions that do not count as work.

    >>> item = next(denials(sample()))
    >>> item.claim.denied, item.amount, item.explanations()[0].action.value
    (True, Decimal('300'), 'appeal')
    """
    ignore = frozenset(ignore)
    for w in work(_claims_of(source, strict), ignore):
        if w.reversed_by is None:
            yield from w.items


def corrections(
    source: Source | Iterable[ClaimPayment], *, strict: bool = False
) -> Iterator[Correction]:
    """Every reversal (CLP02 22) with the claim it takes back and the claim that replaces it.

    A payer that changes its decision sends a reversal of the earlier one and then the
    corrected claim, under the same patient control number (CLP01). Each
    :class:`Correction` holds the ``reversal``, the ``correction`` (the next claim of the
    same transaction set with that CLP01 that is not itself a reversal; ``None`` when there
    is none) and the ``original`` (the earlier claim of the same transaction set that the
    reversal takes back: the same CLP01 and payer claim control number, CLP07, or when
    either lacks CLP07, the negated charge; ``None`` when it was on an earlier remittance,
    the usual case). Each is yielded once its correction is read or its transaction set
    ends; the claims of one transaction set are held by claim number meanwhile.

    Args:
        source: a path, a binary file object, ``bytes``, or claims already read.
        strict: raise instead of warning when a check fails.

    >>> [(c.reversal.segment, c.original.segment, c.correction.segment)
    ...  for c in corrections(sample())]
    [(77, 19, 87)]
    """
    from ._links import corrections as pairs

    return pairs(_claims_of(source, strict))


def iter_records(
    source: Source | Iterable[ClaimPayment], *, strict: bool = False
) -> Iterator[dict[str, object]]:
    """Like :func:`to_records`, one row at a time, in file order.

    Memory is bounded: the rows from the first claim that needs work to the end of its
    transaction set are held (at most 20,000), so that a reversal of the same transaction
    set can still clear their ``needs_work``, as :func:`denials` leaves such a claim out.
    """
    from ._links import table_rows

    return table_rows(_claims_of(source, strict))


def to_records(
    source: Source | Iterable[ClaimPayment], *, strict: bool = False
) -> list[dict[str, object]]:
    """One flat row per adjustment (claim and line level), with claim and line keys; one row
    with the adjustment columns empty for a claim without any (so every claim is there).

    The columns are ``COLUMNS``: the transaction (ST02), trace number, payer and payment
    date; the claim (CLP01), payer claim number, status, charge and payment; the level
    (``"claim"`` or ``"line"``), line number, procedure, modifiers, line charge and payment,
    service date; the adjustment's group, reason, code (``"CO-45"``), amount, quantity,
    whether the code is known, its category and action, whether it needs work, and the
    remark codes. Amounts are ``Decimal``, dates ``datetime.date``.

    The rows hold patient account numbers: handle them as patient data.

    >>> rows = to_records(sample())
    >>> len(rows), rows[0]["code"], rows[0]["amount"], rows[0]["category"]
    (18, 'CO-45', Decimal('50'), 'contractual')
    """
    return list(iter_records(source, strict=strict))


def write_csv(source: Source | Iterable[ClaimPayment], out: TextIO, *, strict: bool = False) -> int:
    """:func:`to_records` as CSV, safe to open in a spreadsheet; returns the rows written.

    The first row holds the ``COLUMNS``. Amounts and quantities are written as numbers
    (``-20`` is minus twenty, never a formula); dates as ``YYYY-MM-DD``; empty values as
    empty cells. A text cell whose first non-blank character is ``=``, ``+``, ``-`` or
    ``@``, or that starts with a tab or a line break, gets a leading ``'`` so that a
    spreadsheet shows it as text instead of running it (a claim number ``=HYPERLINK(...)``
    from a hostile 835). Open ``out`` with ``newline=""``, as the ``csv`` module asks.

    >>> import io
    >>> out = io.StringIO()
    >>> write_csv(sample(), out)
    18
    >>> out.getvalue().splitlines()[1][:50]
    '0001,EFT20260417001,ACME HEALTH PLAN,2026-04-17,PC'
    """
    from denialkit._csvsafe import write_rows

    if not callable(getattr(out, "write", None)):
        raise TypeError(f"out must be a text stream with write(), not {type(out).__name__}")
    return write_rows(out, COLUMNS, iter_records(source, strict=strict))


def to_frame(
    source: Source | Iterable[ClaimPayment], *, strict: bool = False, exact: bool = False
) -> pandas.DataFrame:
    """:func:`to_records` as a pandas ``DataFrame`` with numeric columns (pandas is optional).

    Amounts and quantities (``claim_charge``, ``claim_payment``, ``line_charge``,
    ``line_payment``, ``amount``, ``quantity``) are ``float64``, so they sum, group and plot
    without a cast (``NaN`` where a line or a quantity is absent); with ``exact=True`` they
    are ``Decimal`` objects instead, exact to the cent (``None`` where absent). Line numbers
    are ``Int64`` (``<NA>`` for claim-level rows), dates ``datetime64``, ``known`` and
    ``needs_work`` ``bool``; the rest is text.

    Args:
        source: a path, a binary file object, ``bytes``, or claims already read.
        strict: raise instead of warning when a check fails.
        exact: keep amounts as ``Decimal`` (floats round: use this to reconcile to the cent).

    Raises:
        ImportError: pandas is not installed (``pip install 'denialkit[pandas]'``).

    >>> df = to_frame(sample())
    >>> df[df.needs_work].groupby("category")["amount"].sum().sort_values().to_dict()
    {'medical-necessity': 60.0, 'missing-information': 120.0, 'timely-filing': 200.0, ...}
    >>> str(df.amount.dtype), str(df.line.dtype), to_frame(sample(), exact=True).amount[0]
    ('float64', 'Int64', Decimal('50'))
    """
    from ._tables import frame

    if not isinstance(exact, bool):
        raise TypeError(f"exact must be True or False, not {type(exact).__name__}")
    return frame(iter_records(source, strict=strict), exact=exact)


def summary(
    source: Source, *, strict: bool = False, ignore: frozenset[Action] = ROUTINE_ACTIONS
) -> Summary:
    """Totals of a source, and the denied amounts by category and by code.

    >>> s = summary(sample())
    >>> s.claims, s.denied_claims, s.at_stake
    (9, 2, Decimal('680'))
    >>> s.by_category[0]
    ('authorization', 1, Decimal('300'))
    """
    from ._tables import Tally

    ignore = frozenset(ignore)
    tally = Tally()
    worklist = WorkList(ignore)
    position = 0
    for x in stream(source, strict=strict):
        if isinstance(x, Remittance):
            tally.remittance(x)
            ready = worklist.flush()
        else:
            position += 1
            ready = worklist.add(position, x)
        for w in ready:
            if w.reversed_by is None:
                for item in w.items:
                    tally.item(item)
    return tally.summary()


#: Names that moved to :mod:`denialkit.batch`, kept here for one release (deprecated).
_MOVED: dict[str, str] = {"appeals": "denialkit.batch", "ClaimAppeal": "denialkit.batch"}


def __getattr__(name: str) -> object:
    # ``remit.appeals`` and ``remit.ClaimAppeal`` moved a floor up, to denialkit.batch, which
    # composes remittances with letters. They still resolve here for one release, with a
    # DeprecationWarning. The module is looked up by name when the old name is used, so
    # nothing in denialkit.remit imports denialkit.batch: no import circle.
    target = _MOVED.get(name)
    if target is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    warnings.warn(
        f"denialkit.remit.{name} moved to {target}.{name}; the old name goes in the next release",
        DeprecationWarning,
        stacklevel=2,
    )
    value: object = getattr(importlib.import_module(target), name)
    return value
