"""Reversals linked to the claims they take back and to the corrected claims (private module).

A payer that changes its decision on a claim sends two claims in one transaction set: a
reversal (CLP02 22, every amount negated) of the earlier decision, then the corrected claim,
under the same patient control number (CLP01). When the earlier decision is in the same
transaction set too, the reversal names it by the payer's claim control number (CLP07).

- :func:`reverses` says whether a reversal takes back a given claim;
- :class:`WorkList` holds the work of one transaction set until the set ends, so that a
  claim the same transaction set reverses is known as such before anyone appeals it;
- :func:`corrections` pairs each reversal with the claim it takes back and the claim that
  replaces it;
- :func:`table_rows` gives the table's rows in file order, a claim the same transaction set
  reverses marked as needing no work, as the work list has it.

Memory: :class:`WorkList` holds the claims of one transaction set that need work (never
those that do not); :func:`corrections` holds the claims of one transaction set by claim
number; :func:`table_rows` holds the rows from the first claim that needs work to the end of
its transaction set, at most ``HOLD_ROWS`` of them. None holds anything across transaction
sets but the numbers of the claims put on the work list, to warn when a later transaction set
reverses one of them.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable, Iterator
from typing import Final

import attrs

from denialkit._repr import fields_repr, tolerant
from denialkit.codes import Action
from denialkit.exceptions import X12Warning

from ._records import ClaimPayment, DenialItem, RemittanceHeader, claim_denials
from ._tables import claim_rows

_REMEMBER: Final = 100_000  # claim numbers remembered across transaction sets (bounded)


def _number(claim: ClaimPayment) -> str:
    return claim.patient_control_number.strip()


def reverses(reversal: ClaimPayment, claim: ClaimPayment) -> bool:
    """Whether ``reversal`` (a claim with status 22) takes back ``claim``.

    The two share the patient control number (CLP01) and, when both give one, the payer's
    claim control number (CLP07); when either lacks CLP07, the reversal's charge is the
    claim's negated. A reversal never takes back another reversal.
    """
    if not reversal.reversal or claim.reversal or _number(reversal) != _number(claim):
        return False
    a, b = reversal.payer_claim_number, claim.payer_claim_number
    if a is not None and b is not None:
        return a.strip() == b.strip()
    return reversal.charge == -claim.charge


@attrs.frozen(repr=False)
class Correction:
    """A reversal (CLP02 22), with the claim it takes back and the claim that replaces it.

    Attributes:
        reversal: the reversal as read.
        original: the earlier claim of the same transaction set that the reversal takes
            back (the same patient control number and, when both give one, the same payer
            claim control number; else the negated charge), or ``None`` when the transaction
            set does not hold it (it was on an earlier remittance: the usual case).
        correction: the claim that follows the reversal in the same transaction set under
            the same patient control number (CLP01) and is not itself a reversal: the
            payer's new decision; ``None`` when there is none (a reversal alone takes the
            payment back for good).
    """

    reversal: ClaimPayment
    original: ClaimPayment | None = None
    correction: ClaimPayment | None = None

    @tolerant
    def __repr__(self) -> str:
        def at(claim: ClaimPayment | None) -> str:
            return "None" if claim is None else f"segment {claim.segment}"

        return (
            f"<Correction reversal={at(self.reversal)} original={at(self.original)} "
            f"correction={at(self.correction)}>"
        )


def same_set(a: RemittanceHeader | None, b: RemittanceHeader) -> bool:
    # the reader gives every claim of a transaction set the same header object; claims that
    # went through pickle (a process pool, Dask) carry equal copies
    return a is b or (a is not None and a == b)


def corrections(claims: Iterable[ClaimPayment]) -> Iterator[Correction]:
    """Every reversal with what it takes back and what replaces it, in file order of the
    reversals (each yielded once its correction is read, or its transaction set ends)."""
    header: RemittanceHeader | None = None
    seen: dict[str, list[ClaimPayment]] = {}
    open_: dict[str, Correction] = {}
    for claim in claims:
        if not same_set(header, claim.header):
            yield from open_.values()
            seen, open_ = {}, {}
            header = claim.header
        key = _number(claim)
        if claim.reversal:
            pending = open_.pop(key, None)
            if pending is not None:
                yield pending  # two reversals in a row: the first has no correction
            original = None
            for earlier in reversed(seen.get(key, ())):
                if reverses(claim, earlier):
                    original = earlier
                    break
            open_[key] = Correction(claim, original)
            continue
        pending = open_.pop(key, None)
        if pending is not None:
            yield attrs.evolve(pending, correction=claim)
        seen.setdefault(key, []).append(claim)
    yield from open_.values()


@attrs.define
class Work:
    """A claim that needs work, held until its transaction set ends."""

    position: int
    claim: ClaimPayment
    items: tuple[DenialItem, ...]
    reversed_by: tuple[int, ClaimPayment] | None = None
    corrected_by: tuple[int, ClaimPayment] | None = None
    __repr__ = fields_repr


class WorkList:
    """The claims that need work, each released at the end of its transaction set with the
    reversal (and corrected claim) that the same transaction set holds for it."""

    def __init__(self, ignore: frozenset[Action]) -> None:
        self.ignore = ignore
        self.header: RemittanceHeader | None = None
        self.held: list[Work] = []
        self.by_number: dict[str, list[Work]] = {}  # the held work by its CLP01
        self.waiting: dict[str, Work] = {}  # reversed, its corrected claim not yet read
        self.listed: dict[tuple[str, str | None], int] = {}  # released work: number -> segment

    def add(self, position: int, claim: ClaimPayment) -> list[Work]:
        """Take the next claim; returns the work released (a transaction set ended)."""
        out: list[Work] = []
        if not same_set(self.header, claim.header):
            out = self.flush()
            self.header = claim.header
        key = _number(claim)
        if claim.reversal:
            # (a reversal takes back only a claim of its own CLP01: the index keeps a set
            # with many reversals and many denials from comparing every pair)
            for work in reversed(self.by_number.get(key, ())):
                if work.reversed_by is None and reverses(claim, work.claim):
                    work.reversed_by = (position, claim)
                    self.waiting[key] = work
                    return out
            self._reversed_earlier(claim)
            return out
        waiting = self.waiting.pop(key, None)
        if waiting is not None:
            waiting.corrected_by = (position, claim)
        items = tuple(claim_denials(claim, self.ignore))
        if items:
            work = Work(position, claim, items)
            self.held.append(work)
            self.by_number.setdefault(key, []).append(work)
        return out

    def flush(self) -> list[Work]:
        """The work held, in file order (the end of a transaction set or of the data)."""
        out, self.held, self.waiting, self.by_number = self.held, [], {}, {}
        for work in out:
            if work.reversed_by is None and len(self.listed) < _REMEMBER:
                c = work.claim
                self.listed[(_number(c), c.payer_claim_number)] = c.segment
        return out

    def _reversed_earlier(self, reversal: ClaimPayment) -> None:
        """A reversal of a claim put on the work list in an earlier transaction set: that
        work was released already, so say so (positions only)."""
        key = _number(reversal)
        segment = self.listed.get((key, reversal.payer_claim_number))
        if segment is None and reversal.payer_claim_number is None:
            segment = next((s for (k, _), s in self.listed.items() if k == key), None)
        if segment is not None:
            warnings.warn(
                X12Warning(
                    f"segment {reversal.segment}, byte {reversal.offset}: a reversal (CLP02 22) "
                    f"takes back the claim at segment {segment}, which an earlier transaction "
                    "set put on the work list; that work stands as listed: check it by hand"
                ),
                stacklevel=3,
            )


def work(claims: Iterable[ClaimPayment], ignore: frozenset[Action]) -> Iterator[Work]:
    """The claims that need work, in file order, each with the reversal of the same
    transaction set that takes it back (and the corrected claim after it), if any."""
    worklist = WorkList(ignore)
    for position, claim in enumerate(claims, 1):
        yield from worklist.add(position, claim)
    yield from worklist.flush()


#: Rows held at most behind a claim that needs work, waiting for the end of its transaction
#: set (a bound on memory: about 1.5 kB a row).
HOLD_ROWS: Final = 20_000


#: The held claims that need work, by claim number (CLP01), each with its rows.
_Held = dict[str, list[tuple[ClaimPayment, list[dict[str, object]]]]]


def table_rows(claims: Iterable[ClaimPayment]) -> Iterator[dict[str, object]]:
    """One row per adjustment of every claim, in file order.

    A claim that a reversal (CLP02 22) of the same transaction set takes back needs no work,
    as :func:`~denialkit.remit.denials` has it: from the first claim that needs work to the
    end of its transaction set the rows are held (at most ``HOLD_ROWS`` of them), and the
    rows of a claim a reversal takes back are given out with ``needs_work`` false. Past that
    bound the rows held are given out as they are, and a reversal that later takes back one
    of those claims is warned about, with both positions.
    """
    header: RemittanceHeader | None = None
    held: list[dict[str, object]] = []
    work: _Held = {}  # claims held that need work, not taken back, by claim number
    released: dict[tuple[str, str | None], int] = {}  # work of this set given out already
    for claim in claims:
        if claim.header is not header and not same_set(header, claim.header):
            yield from held
            held, work, released = [], {}, {}
            header = claim.header
        out = list(claim_rows(claim))
        if not work and not released:  # the common case: nothing held, nothing given out
            for r in out:
                if r["needs_work"]:
                    break
            else:
                yield from out
                continue
        if claim.reversal:
            _take_back(claim, work, released)
        elif any(r["needs_work"] for r in out):
            work.setdefault(_number(claim), []).append((claim, out))
        if not work:
            yield from held
            held = []
            yield from out
            continue
        held.extend(out)
        if len(held) > HOLD_ROWS:  # bounded: give the rows out as they are
            for c, _ in (w for same in work.values() for w in same):
                if len(released) < HOLD_ROWS:
                    released[(_number(c), c.payer_claim_number)] = c.segment
            yield from held
            held, work = [], {}
    yield from held


def _take_back(
    reversal: ClaimPayment,
    work: _Held,
    released: dict[tuple[str, str | None], int],
) -> None:
    """Mark the held rows of the claim ``reversal`` takes back as needing no work (the
    latest such claim, as the work list pairs them); warn when its rows were given out."""
    key = _number(reversal)
    same = work.get(key, [])
    for i in range(len(same) - 1, -1, -1):
        claim, out = same[i]
        if reverses(reversal, claim):
            for r in out:
                r["needs_work"] = False
            del same[i]
            if not same:
                del work[key]
            return
    segment = released.get((key, reversal.payer_claim_number))
    if segment is None and reversal.payer_claim_number is None:
        segment = next((s for (k, _), s in released.items() if k == key), None)
    if segment is not None:
        warnings.warn(
            X12Warning(
                f"segment {reversal.segment}, byte {reversal.offset}: a reversal (CLP02 22) "
                f"takes back the claim at segment {segment}, whose rows were given out already "
                f"as needing work (more than {HOLD_ROWS} rows lay between them): check it by hand"
            ),
            stacklevel=4,
        )
