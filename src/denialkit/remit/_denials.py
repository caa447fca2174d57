"""Which claims and lines need work (private module)."""

from __future__ import annotations

from collections.abc import Iterator

from denialkit.codes import Action

from ._records import ZERO, ClaimPayment, DenialItem


def claim_denials(claim: ClaimPayment, ignore: frozenset[Action]) -> Iterator[DenialItem]:
    """The items of one claim that need work: claim level first, then lines in order.

    A claim-level item holds the claim-level adjustments that need work; a denied claim
    (status 4) with no adjustment that needs work at any level still yields one claim-level
    item, for its unpaid charge.
    """
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
