"""Flat rows, DataFrames and summaries of remittances (private module)."""

from __future__ import annotations

import html
from collections.abc import Iterable, Iterator
from decimal import Decimal
from typing import TYPE_CHECKING, Final

import attrs

from denialkit._repr import fields_repr

if TYPE_CHECKING:
    import pandas
    from matplotlib.axes import Axes

    from ._records import Adjustment, ClaimPayment, DenialItem, Remittance, ServiceLine

ZERO: Final = Decimal(0)

#: The columns of :func:`to_records`, in order.
COLUMNS: tuple[str, ...] = (
    "transaction",
    "trace_number",
    "payer",
    "payment_date",
    "claim",
    "payer_claim_number",
    "claim_status",
    "claim_charge",
    "claim_payment",
    "level",
    "line",
    "procedure",
    "modifiers",
    "line_charge",
    "line_payment",
    "service_date",
    "group",
    "reason",
    "code",
    "amount",
    "quantity",
    "known",
    "category",
    "action",
    "needs_work",
    "remarks",
    "line_control_number",
)


def _row(
    claim: ClaimPayment, line: ServiceLine | None, adj: Adjustment | None, work: bool
) -> dict[str, object]:
    """One row; ``adj`` is ``None`` for the claim-level row without an adjustment (its
    adjustment columns are empty). ``work`` is whether adjustments of this claim can need
    work at all (the payer adjudicated it); for the row without an adjustment, whether the
    claim needs work as a whole."""
    h = claim.header
    remarks = line.remarks if line is not None else claim.remarks
    service_date = claim.service_date(line)
    row: dict[str, object] = {
        "transaction": h.control_number,
        "trace_number": h.trace_number,
        "payer": h.payer.name if h.payer is not None else None,
        "payment_date": h.payment_date,
        "claim": claim.patient_control_number,
        "payer_claim_number": claim.payer_claim_number,
        "claim_status": claim.status_code,
        "claim_charge": claim.charge,
        "claim_payment": claim.payment,
        "level": "claim" if line is None else "line",
        "line": line.number if line is not None else None,
        "procedure": line.procedure if line is not None else None,
        "modifiers": " ".join(line.modifiers) if line is not None and line.modifiers else None,
        "line_charge": line.charge if line is not None else None,
        "line_payment": line.payment if line is not None else None,
        "service_date": service_date,
    }
    if adj is None:
        row.update(_NO_ADJUSTMENT)
        row["needs_work"] = work
    else:
        row["group"] = adj.group
        row["reason"] = adj.reason
        row["code"] = adj.key
        row["amount"] = adj.amount
        row["quantity"] = adj.quantity
        row["known"] = adj.known
        row["category"] = adj.category.value if adj.category is not None else None
        row["action"] = adj.action.value if adj.action is not None else None
        row["needs_work"] = work and adj.needs_work()
    if not remarks:
        row["remarks"] = None
    elif len(remarks) == 1:
        row["remarks"] = remarks[0]
    else:  # each code once, as the payer may repeat one
        row["remarks"] = " ".join(dict.fromkeys(remarks))
    # the provider's line item control number (REF*6R), to match a line to the billed one
    row["line_control_number"] = line.control_number if line is not None else None
    return row


#: The adjustment columns of the row of a claim without any adjustment.
_NO_ADJUSTMENT: Final[dict[str, object]] = {
    "group": None,
    "reason": None,
    "code": None,
    "amount": None,
    "quantity": None,
    "known": False,
    "category": None,
    "action": None,
}


def claim_rows(claim: ClaimPayment) -> Iterator[dict[str, object]]:
    """One row per adjustment of one claim, claim level first, and one claim-level row
    without an adjustment, first, for a claim that needs it:

    - a claim without any adjustment (paid in full, or denied with no CAS), so that every
      claim of a remittance is in the table;
    - a claim whose own remark codes (MIA/MOA) no claim-level adjustment carries, so that
      they are in the table, at claim level, once;
    - a denied claim (status 4) none of whose adjustments needs work: its row needs work,
      as :func:`~denialkit.remit.denials` lists it for its unpaid charge.

    Rows of a claim the payer did not adjudicate for payment (a reversal, a claim that is not
    this payer's, a predetermination) never need work.
    """
    work = claim.adjudicated
    out = [_row(claim, None, adj, work) for adj in claim.adjustments]
    own = len(out)
    for line in claim.lines:
        for adj in line.adjustments:
            out.append(_row(claim, line, adj, work))
    denied_alone = work and claim.denied and not any(r["needs_work"] for r in out)
    if denied_alone or not out or (not own and claim.remarks):
        yield _row(claim, None, None, denied_alone)
    yield from out


#: The amount and quantity columns: ``float64`` in a frame, or ``Decimal`` with ``exact=True``.
AMOUNT_COLUMNS: Final = (
    "claim_charge",
    "claim_payment",
    "line_charge",
    "line_payment",
    "amount",
    "quantity",
)
#: The date columns: ``datetime64`` in a frame.
DATE_COLUMNS: Final = ("payment_date", "service_date")


def frame(records: Iterable[dict[str, object]], *, exact: bool = False) -> pandas.DataFrame:
    """A DataFrame with the ``COLUMNS`` (pandas is imported here, on first use).

    Amounts and quantities are ``float64`` (``NaN`` where there is none), or ``Decimal``
    objects with ``exact``; line numbers are ``Int64`` (``<NA>`` at claim level); dates are
    ``datetime64``; ``known`` and ``needs_work`` are ``bool``.
    """
    try:
        import pandas as pd
    except ImportError:  # pragma: no cover - exercised by a test that hides pandas
        raise ImportError(
            "to_frame() needs pandas, an optional dependency: pip install 'denialkit[pandas]'"
        ) from None
    df = pd.DataFrame.from_records(list(records), columns=list(COLUMNS))
    if not exact:
        for name in AMOUNT_COLUMNS:
            df[name] = df[name].astype("float64")
    df["line"] = df["line"].astype("Int64")
    for name in DATE_COLUMNS:
        df[name] = pd.to_datetime(df[name])
    for name in ("known", "needs_work"):
        df[name] = df[name].astype(bool)
    return df


@attrs.frozen
class Summary:
    """What a set of remittances paid and denied, with denied amounts by category and code.

    Denied amounts are the amounts at stake of :func:`denialkit.remit.denials`: adjustments
    that need work (not a contractual write-off, not the patient's share, not informational),
    and the unpaid charge of denied claims without such adjustments (category ``"denied"``).

    Attributes:
        remittances: number of transaction sets.
        claims: number of claims.
        lines: number of service lines.
        denied_claims: number of claims with status 4.
        total_charge: sum of claim charges.
        total_payment: sum of claim payments.
        total_patient_responsibility: sum of the patients' shares.
        items: number of claims and lines that need work.
        at_stake: the total amount at stake.
        by_category: ``(category, count, amount)`` by amount, largest first.
        by_code: ``(code, category, count, amount)`` by amount, largest first.
    """

    remittances: int
    claims: int
    lines: int
    denied_claims: int
    total_charge: Decimal
    total_payment: Decimal
    total_patient_responsibility: Decimal
    items: int
    at_stake: Decimal
    by_category: tuple[tuple[str, int, Decimal], ...]
    by_code: tuple[tuple[str, str, int, Decimal], ...]
    __repr__ = fields_repr

    def to_dict(self) -> dict[str, object]:
        """Plain JSON-ready data (amounts as strings)."""
        return {
            "remittances": self.remittances,
            "claims": self.claims,
            "lines": self.lines,
            "denied_claims": self.denied_claims,
            "total_charge": str(self.total_charge),
            "total_payment": str(self.total_payment),
            "total_patient_responsibility": str(self.total_patient_responsibility),
            "items": self.items,
            "at_stake": str(self.at_stake),
            "by_category": [
                {"category": c, "count": n, "amount": str(a)} for c, n, a in self.by_category
            ],
            "by_code": [
                {"code": k, "category": c, "count": n, "amount": str(a)}
                for k, c, n, a in self.by_code
            ],
        }

    def chart(self, width: int = 30) -> str:
        """Denied amounts by category as a text bar chart."""
        if not self.by_category:
            return "no denied amounts"
        top = max(a for _, _, a in self.by_category) or Decimal(1)
        name_w = max(len(c) for c, _, _ in self.by_category)
        out = []
        for c, _, a in self.by_category:
            bar = "█" * max(1, round(a / top * width)) if a > 0 else ""
            out.append(f"{c:<{name_w}}  {bar} {_money(a)}")
        return "\n".join(out)

    def plot(self, ax: Axes | None = None) -> Axes:
        """Denied amounts by category as a horizontal bar chart, the largest on top.

        Needs matplotlib, the optional extra ``denialkit[plot]``; without it this raises an
        :class:`ImportError` whose one line names the extra. Draws on ``ax`` when given, else
        on a new figure (``matplotlib.pyplot``, so a notebook shows it), and returns the axes.

        Args:
            ax: the matplotlib axes to draw on; a new figure's when ``None``.

        Returns:
            The axes drawn on, for titles, limits or ``ax.figure.savefig(...)``.

        >>> from denialkit import remit
        >>> ax = remit.summary(remit.sample()).plot()
        >>> [t.get_text() for t in ax.get_yticklabels()]
        ['authorization', 'timely-filing', 'missing-information', 'medical-necessity']
        """
        try:
            import matplotlib  # noqa: F401
        except ImportError:
            raise ImportError(
                "Summary.plot() needs matplotlib, an optional dependency: "
                "pip install 'denialkit[plot]'"
            ) from None
        if ax is None:
            import matplotlib.pyplot as plt

            _, ax = plt.subplots(figsize=(7, 0.5 * max(len(self.by_category), 2) + 1.2))
        ax.set_title("Denied amounts by category")
        if not self.by_category:
            ax.text(0.5, 0.5, "no denied amounts", ha="center", va="center")
            ax.set_axis_off()
            return ax
        names = [c for c, _, _ in self.by_category]
        amounts = [float(a) for _, _, a in self.by_category]
        bars = ax.barh(names, amounts, color="#c0392b")
        ax.bar_label(bars, labels=[_money(a) for _, _, a in self.by_category], padding=3)
        ax.invert_yaxis()  # the largest on top, as in the table
        ax.set_xlabel("denied amount (USD)")
        ax.set_xlim(0, max(amounts) * 1.25 or 1)
        ax.spines[["top", "right"]].set_visible(False)
        return ax

    def __str__(self) -> str:
        lines = [
            f"{_count(self.remittances, 'remittance')}, {_count(self.claims, 'claim')} "
            f"({self.denied_claims} denied), {_count(self.lines, 'service line')}",
            f"charged {_money(self.total_charge)}, paid {_money(self.total_payment)}, "
            f"patient responsibility {_money(self.total_patient_responsibility)}",
            f"{_count(self.items, 'claim or line needs', 'claims or lines need')} work, "
            f"{_money(self.at_stake)} at stake",
        ]
        if self.by_category:
            lines.append("")
            lines.append("Denied by category:")
            lines.extend(f"  {c:<26} {n:>5} {_money(a):>14}" for c, n, a in self.by_category)
            lines.append("")
            lines.append("Denied by code:")
            lines.extend(f"  {k:<10} {c:<26} {n:>5} {_money(a):>14}" for k, c, n, a in self.by_code)
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        e = html.escape
        top = max((a for _, _, a in self.by_category), default=ZERO) or Decimal(1)
        rows = "".join(
            f"<tr><td>{e(c)}</td><td>{n}</td><td>{_money(a)}</td>"
            f'<td><div style="background:#c0392b;height:0.8em;width:{float(a / top) * 200:.0f}px">'
            "</div></td></tr>"
            for c, n, a in self.by_category
        )
        return (
            f"<p>{e(str(self).splitlines()[0])}<br>{_count(self.items, 'item')}, "
            f"{_money(self.at_stake)} at stake</p>"
            '<table class="denialkit-summary"><tr><th>category</th><th>items</th>'
            f"<th>amount</th><th></th></tr>{rows}</table>"
        )


def _money(amount: Decimal) -> str:
    """An amount to the cent with thousands separators: ``"1,234.50"``."""
    return f"{amount:,.2f}"


def _count(n: int, one: str, many: str | None = None) -> str:
    """``"1 claim"``, ``"2 claims"``: a count with its noun in the right number."""
    return f"{n} {one if n == 1 else (many or one + 's')}"


class Tally:
    """Accumulates a :class:`Summary` from remittances, claims and denial items."""

    def __init__(self) -> None:
        self.remittances = self.claims = self.lines = self.denied = self.items = 0
        self.charge = self.payment = self.pr = self.at_stake = ZERO
        self.cats: dict[str, tuple[int, Decimal]] = {}
        self.codes: dict[str, tuple[str, int, Decimal]] = {}

    def remittance(self, r: Remittance) -> None:
        self.remittances += 1
        self.claims += r.claim_count
        self.lines += r.line_count
        self.denied += r.denied_count
        self.charge += r.total_charge
        self.payment += r.total_payment
        self.pr += r.total_patient_responsibility

    def item(self, item: DenialItem) -> None:
        self.items += 1
        self.at_stake += item.amount
        if not item.adjustments:
            self._add("denied", "status 4", item.amount)
        for a in item.adjustments:
            cat = a.category.value if a.category is not None else "unknown"
            self._add(cat, a.key, a.amount or ZERO)

    def _add(self, cat: str, code: str, amount: Decimal) -> None:
        n, total = self.cats.get(cat, (0, ZERO))
        self.cats[cat] = (n + 1, total + amount)
        _, n, total = self.codes.get(code, (cat, 0, ZERO))
        self.codes[code] = (cat, n + 1, total + amount)

    def summary(self) -> Summary:
        by_category = sorted(
            ((c, n, a) for c, (n, a) in self.cats.items()), key=lambda t: (-t[2], t[0])
        )
        by_code = sorted(
            ((k, c, n, a) for k, (c, n, a) in self.codes.items()), key=lambda t: (-t[3], t[0])
        )
        return Summary(
            remittances=self.remittances,
            claims=self.claims,
            lines=self.lines,
            denied_claims=self.denied,
            total_charge=self.charge,
            total_payment=self.payment,
            total_patient_responsibility=self.pr,
            items=self.items,
            at_stake=self.at_stake,
            by_category=tuple(by_category),
            by_code=tuple(by_code),
        )
