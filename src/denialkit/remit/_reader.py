"""The streaming X12 835 reader (private module).

How it stays fast and small:

- the input is read in chunks of 256 KiB, decoded as Latin-1 (one character per byte, so a
  character index is a byte offset), split into segments with one ``str.split`` per chunk;
  only the unfinished last segment of a chunk is carried over;
- the segment id is read from the segment's first four characters, in one tight loop per
  chunk; only the segments the checks need (CLP, SVC) are split into elements while reading.
  A CAS whose group and reason were already checked needs only its amount (the text after
  its last separator); an NM1 only its entity type. Every other segment of a claim is kept
  as text and parsed when the claim's details are first asked for;
- line amounts and adjustments written as plain whole numbers are summed as ints, anything
  else as Decimal; the two mix exactly, so the balancing stays exact and costs less;
- byte offsets are worked out only where they are needed: a claim's from one split of the
  chunk at its CLP segments, a warning's or an error's from the segment lengths, once per
  chunk and only when a location is asked for;
- a claim is yielded as soon as it ends; a transaction set's :class:`Remittance` keeps the
  header, the provider adjustments and running totals, never the claims.

Errors name the segment number and byte offset, never a segment's values: they hold patient
names and identifiers.
"""

from __future__ import annotations

import io
import operator
import os
import warnings
from collections.abc import Iterator
from datetime import date
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from itertools import accumulate, count
from typing import Final, Protocol, TypeAlias, Union

from denialkit.codes import GROUP_CODES, DenialCode, default_table
from denialkit.exceptions import X12ParseError, X12Warning

from ._records import (
    ZERO,
    ClaimPayment,
    Contact,
    Delimiters,
    Party,
    ProviderAdjustment,
    Remittance,
    RemittanceHeader,
)


class Readable(Protocol):
    """A binary file object: anything with ``read(size) -> bytes``."""

    def read(self, size: int = ..., /) -> bytes: ...


Source: TypeAlias = Union[str, "os.PathLike[str]", bytes, bytearray, memoryview, Readable]
Item: TypeAlias = ClaimPayment | Remittance

CHUNK_SIZE: Final = 1 << 18  # 256 KiB: the pieces of a chunk stay in the CPU cache
_LOOKAHEAD: Final = 4096
_MAX_SEGMENT: Final = 1 << 20
_WARN_LIMIT: Final = 20
_LEARN: Final = 4096  # bound of the keys a pass learns (constant memory on junk)
_WS: Final = " \t\r\n"
_BOM: Final = "\xef\xbb\xbf"  # the UTF-8 byte-order mark, decoded as Latin-1

#: Segments that end a claim (loop 2100) when they appear inside one.
_CLAIM_END: Final = frozenset(
    {"CLP", "LX", "TS3", "TS2", "PLB", "SE", "ST", "GS", "GE", "ISA", "IEA", "N1", "BPR", "TRN"}
)
#: Segments of the 835 header (before the first LX or CLP).
_HEADER: Final = frozenset(
    {"BPR", "TRN", "CUR", "REF", "DTM", "N1", "N2", "N3", "N4", "PER", "RDM"}
)
_STATUS_CODES: Final = frozenset({"1", "2", "3", "4", "19", "20", "21", "22", "23", "25"})
#: The status codes a claim's start needs no other look at (4, denied, is counted).
_PAID_STATUS: Final = _STATUS_CODES - {"4"}
_SAFE = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")

# Which problems ``strict=True`` turns into errors (the others are always warnings).
_CHECKS: Final = frozenset(
    {"count", "control", "balance", "bpr", "functional-id", "placement", "amount", "date", "no-835"}
)
_RESTART: Final = object()
_NO_HEADER: Final = RemittanceHeader(control_number="")  # before the first claim


def _safe(text: str) -> str:
    """A code for a message: echoed only when it is a short code, never free text."""
    if 0 < len(text) <= 5 and set(text) <= _SAFE:
        return text
    return "(a value that is not a code)"


@lru_cache(maxsize=8192)
def resolve(group: str, reason: str) -> DenialCode | None:
    """The code for a group and reason in the default tables, or ``None``."""
    if group not in GROUP_CODES or not reason or len(reason) > 8:
        return None
    return default_table().get(f"{group}-{reason}")


def parse_date(text: str) -> date:
    """``CCYYMMDD`` to a date; raises ``ValueError`` otherwise."""
    if len(text) != 8 or not text.isdigit():
        raise ValueError("not a CCYYMMDD date")
    return date(int(text[:4]), int(text[4:6]), int(text[6:]))


def decimal_or_none(text: str) -> Decimal | None:
    """A finite decimal, or ``None`` for text that is not one."""
    try:
        d = Decimal(text)
    except (InvalidOperation, ValueError, TypeError):
        return None
    return d if d.is_finite() else None


def cas_triplets(e: list[str]) -> list[tuple[str, str, str]]:
    """The ``(reason, amount, quantity)`` texts of a split CAS segment (up to six)."""
    out = []
    n = len(e)
    if n > 20:
        raise ValueError("more than six triplets")
    for j in range(2, n, 3):
        reason = e[j]
        amount = e[j + 1] if j + 1 < n else ""
        qty = e[j + 2] if j + 2 < n else ""
        if not reason:
            if amount or qty:
                raise ValueError("an amount without a reason code")
            continue
        out.append((reason, amount, qty))
    if not out:
        raise ValueError("no adjustment")
    return out


def source_chunks(source: object, chunk_size: int = CHUNK_SIZE) -> Iterator[bytes]:
    """Check ``source`` now and return an iterator over its bytes in chunks.

    Raises:
        TypeError: ``source`` is not a path, bytes or a binary file object.
    """
    if isinstance(source, (bytes, bytearray, memoryview)):
        return _bytes_chunks(source, chunk_size)
    if isinstance(source, str):
        if "\n" in source or "~" in source or source.startswith(("ISA", "ST*")):
            raise TypeError(
                "a str is read as a path; to read X12 text held in a str, pass it as bytes "
                "(text.encode())"
            )
        return _path_chunks(source, chunk_size)
    if isinstance(source, os.PathLike):
        return _path_chunks(source, chunk_size)
    if isinstance(source, io.TextIOBase):
        raise TypeError("the file object is open in text mode; open it in binary mode ('rb')")
    if callable(getattr(source, "read", None)):
        return _file_chunks(source, chunk_size)  # type: ignore[arg-type]
    raise TypeError(f"expected a path, bytes or a binary file object, not {type(source).__name__}")


def _bytes_chunks(data: bytes | bytearray | memoryview, size: int) -> Iterator[bytes]:
    view = memoryview(data).cast("B")
    for i in range(0, len(view), size):
        yield view[i : i + size].tobytes()


def _path_chunks(path: str | os.PathLike[str], size: int) -> Iterator[bytes]:
    with open(path, "rb") as f:
        while chunk := f.read(size):
            yield chunk


def _file_chunks(f: Readable, size: int) -> Iterator[bytes]:
    read = f.read
    while True:
        chunk = read(size)
        if not chunk:
            return
        if not isinstance(chunk, (bytes, bytearray)):
            raise TypeError("the file object returned text; open it in binary mode ('rb')")
        yield bytes(chunk)


class _Tx:
    """A transaction set being read (mutable, private)."""

    __slots__ = (
        "adjustments",
        "charge",
        "claims",
        "control",
        "denied",
        "empties",
        "head",
        "header",
        "lines",
        "offset",
        "paid",
        "plb",
        "plb_bad",
        "pr",
        "segment",
    )

    def __init__(self, control: str, segment: int, offset: int) -> None:
        self.control = control
        self.segment = segment
        self.offset = offset
        self.head: list[tuple[int, int, list[str]]] = []
        self.header: RemittanceHeader | None = None
        self.plb: list[ProviderAdjustment] = []
        self.plb_bad = False
        self.claims = self.lines = self.adjustments = self.denied = self.empties = 0
        self.charge = self.paid = self.pr = ZERO


class _Skip:
    """Another transaction set, skipped up to its SE."""

    __slots__ = ("segment",)

    def __init__(self, segment: int) -> None:
        self.segment = segment


class _Envelope:
    __slots__ = ("control", "count", "functional_id", "receiver", "sender", "version")

    def __init__(self, control: str, version: str | None = None) -> None:
        self.control = control
        self.version = version
        self.count = 0
        self.functional_id = ""
        self.sender: str | None = None
        self.receiver: str | None = None


class _PartyBuilder:
    __slots__ = (
        "address",
        "city",
        "contacts",
        "id_qualifier",
        "identifier",
        "name",
        "postal_code",
        "references",
        "role",
        "state",
    )

    def __init__(self, role: str, name: str, id_qualifier: str | None, identifier: str | None):
        self.role, self.name = role, name
        self.id_qualifier, self.identifier = id_qualifier, identifier
        self.address: list[str] = []
        self.city: str | None = None
        self.state: str | None = None
        self.postal_code: str | None = None
        self.references: list[tuple[str, str]] = []
        self.contacts: list[Contact] = []

    def build(self) -> Party:
        return Party(
            role=self.role,
            name=self.name,
            id_qualifier=self.id_qualifier,
            identifier=self.identifier,
            address=tuple(self.address),
            city=self.city,
            state=self.state,
            postal_code=self.postal_code,
            references=tuple(self.references),
            contacts=tuple(self.contacts),
        )


class Reader:
    """One pass over one source. Not thread-safe; make one per read."""

    def __init__(self, strict: bool = False) -> None:
        self.strict = strict
        self._warned: dict[str, int] = {}
        self._known: set[str] = set()
        self._isa: _Envelope | None = None
        self._gs: _Envelope | None = None
        self._tx: _Tx | None = None
        self._skip: _Skip | None = None
        self._found = 0
        self._envelope = True
        self._delims = Delimiters()
        # where the current pass starts
        self._raw: list[str] = []
        self._ends: list[int] | None = None
        self._tl = 1
        self._base = 0
        self._seg0 = 0
        self._end = 0

    # -- locations, warnings, errors -------------------------------------------------------
    def offset(self, i: int) -> int:
        """Byte offset of piece ``i`` of the current pass."""
        raw = self._raw
        i = min(i, len(raw))
        ends = self._ends
        if ends is None:  # computed once per pass, and only when a location is needed
            ends = self._ends = list(accumulate(map(len, raw)))
        off = self._base + (ends[i - 1] if i else 0) + i * self._tl
        if i < len(raw):
            piece = raw[i]
            off += len(piece) - len(piece.lstrip(_WS))
        return off

    def error(self, message: str, i: int) -> X12ParseError:
        """An error at piece ``i`` of the current pass."""
        return X12ParseError(message, segment=self._seg0 + i + 1, offset=self.offset(i))

    def report(self, kind: str, message: str, segment: int | None, offset: int | None) -> None:
        """A problem: raised under ``strict`` for checks, else a (rate-limited) warning."""
        if self.strict and kind in _CHECKS:
            raise X12ParseError(message, segment=segment, offset=offset)
        n = self._warned.get(kind, 0) + 1
        self._warned[kind] = n
        if n <= _WARN_LIMIT:
            where = []
            if segment is not None:
                where.append(f"segment {segment}")
            if offset is not None:
                where.append(f"byte {offset}")
            prefix = f"{', '.join(where)}: " if where else ""
            warnings.warn(X12Warning(prefix + message), stacklevel=4)

    def report_at(self, kind: str, message: str, i: int) -> None:
        self.report(kind, message, self._seg0 + i + 1, self.offset(i))

    def _flush_warnings(self) -> None:
        for kind, n in self._warned.items():
            if n > _WARN_LIMIT:
                warnings.warn(
                    X12Warning(
                        f"{n - _WARN_LIMIT} more warnings of the kind {kind!r} were not shown "
                        f"({n} in all)"
                    ),
                    stacklevel=4,
                )
        self._warned.clear()

    # -- the pass over the data ------------------------------------------------------------
    def items(self, chunks: Iterator[bytes], want: int = 3) -> Iterator[Item]:
        """Claims as they end (``want & 1``) and remittances at their SE (``want & 2``)."""
        buf = ""
        eof = False
        first = True
        base = 0
        seg0 = 0
        # hot-loop constants as locals
        D = Decimal
        new_claim = ClaimPayment
        zero = ZERO
        claim_end = _CLAIM_END
        paid_status = _PAID_STATUS
        want_claims = bool(want & 1)
        want_remits = bool(want & 2)
        known = self._known

        # The open claim and its open line, with the sums of their adjustments (``cadj``
        # takes each line's ``ladj`` when the line ends). Line amounts and adjustments
        # written as plain whole numbers are read as ints, anything else as Decimal: the
        # two mix exactly, and int arithmetic is several times cheaper.
        craw: list[str | list[str]] | None = None
        header = _NO_HEADER
        clp: list[str] = []
        charge = paid = pr = ZERO
        cadj: Decimal | int = 0
        ladj: Decimal | int = 0
        lcharge: Decimal | int = 0
        lpaid: Decimal | int = 0
        cbad = lbad = lopen = False
        cseg = coff = lk = 0
        # the open transaction's running totals (added to it at its SE)
        t_claims = t_lines = t_adj = t_denied = 0
        t_charge = t_paid = t_pr = ZERO

        while True:
            # -- fill the look-ahead and find the delimiters of what comes next -----------
            while not eof and len(buf) < _LOOKAHEAD:
                chunk = next(chunks, None)
                if chunk is None:
                    eof = True
                else:
                    buf += chunk.decode("latin-1")
            if first and buf.startswith(_BOM):
                buf = buf[3:]
                base = 3
            stripped = buf.lstrip(_WS)
            base += len(buf) - len(stripped)
            buf = stripped
            if not buf:
                if first:
                    raise X12ParseError("the data is empty: there is no 835 to read")
                break
            first = False
            self._raw, self._tl, self._base, self._seg0 = [buf], 1, base, seg0
            self._ends = None
            eff, tchar = self._detect(buf)
            sep = self._delims.element
            k_cas, k_svc, k_clp, k_se = "CAS" + sep, "SVC" + sep, "CLP" + sep, "SE" + sep
            k_nm1 = "NM1" + sep
            # NM102 after a two-character NM101 ("NM1*QC*1*..."): the common shape, checked
            # with one slice; anything else is split and checked in full
            nm1_ok = {sep + "1" + sep, sep + "2" + sep}
            clp_mark = eff + k_clp  # what comes before a CLP segment in the text
            # the first four characters of segments a claim keeps as text; more are learned
            # as they come (an LQ, say), up to a bound
            k_app = {t + sep for t in ("DTM", "REF", "AMT", "MIA", "MOA")}
            # the text before the amount of one-triplet CAS segments ("CAS*CO*45") whose
            # group and reason were checked: the next such CAS needs only its amount read
            cas_heads: set[str] = set()
            tx = self._tx

            # -- split and read, chunk after chunk ---------------------------------------
            restart = -1
            while True:
                raw = buf.split(eff)
                rest = "" if eof else raw.pop()
                fallback = False
                if len(eff) > 1 or tchar in "\r\n":
                    complete = len(buf) - len(rest)
                    if buf.count(tchar, 0, complete) != len(raw) - (1 if eof else 0) or (
                        tchar in "\r\n" and "\r" not in eff and "\r" in buf
                    ):
                        fallback = True
                if fallback:
                    raw = buf.split(tchar)
                    rest = "" if eof else raw.pop()
                    segs = [p.strip(_WS) for p in raw]
                    tl = 1
                else:
                    segs = raw
                    tl = len(eff)
                unterminated = eof and bool(segs) and bool(segs[-1].strip(_WS))
                if eof and segs and not unterminated:
                    segs.pop()
                    if raw is not segs:
                        raw.pop()
                self._raw, self._tl, self._base, self._seg0 = raw, tl, base, seg0
                self._ends = None
                if len(rest) > _MAX_SEGMENT:
                    raise X12ParseError(
                        "a segment is longer than 1 MiB: the segment terminator is wrong or "
                        "the data is not X12",
                        segment=seg0 + len(raw) + 1,
                        offset=base + len(buf) - len(rest),
                    )
                # Where CLP segments start. With exact terminators, every CLP segment but
                # the first of the text follows ``clp_mark``: one split of the text gives
                # all their offsets (no running sum over every segment).
                exact = raw is segs
                clp_at = (
                    list(
                        map(
                            operator.add,
                            accumulate(map(len, buf.split(clp_mark))),
                            count(base + len(eff), len(clp_mark)),
                        )
                    )
                    if exact
                    else []
                )
                nclp = 0
                s1 = seg0 + 1
                i = -1
                try:
                    for i, seg in enumerate(segs):
                        k = seg[:4]
                        if craw is not None:
                            # -- inside a claim: the hot path ----------------------------
                            if k in k_app:
                                craw.append(seg)
                                continue
                            if k == k_cas:
                                a: Decimal | int | None
                                head, _, amount = seg.rpartition(sep)
                                if head in cas_heads:
                                    if amount.isdecimal():
                                        a = int(amount) if len(amount) < 19 else D(amount)
                                        t_adj += 1
                                    else:
                                        a, cnt = self._cas_amount(seg, amount, i)
                                        t_adj += cnt
                                else:
                                    e = seg.split(sep)
                                    if 3 < len(e) < 6 and e[2]:
                                        try:
                                            a = D(e[3])
                                        except (InvalidOperation, ValueError):
                                            a, cnt = self._cas(e, i)
                                        else:
                                            cnt = 1
                                            if e[1] + e[2] not in known:
                                                self._code(e[1], e[2], i)
                                            if len(e) == 4 and len(cas_heads) < _LEARN:
                                                cas_heads.add(head)
                                    else:
                                        a, cnt = self._cas(e, i)
                                    t_adj += cnt
                                if a is None:
                                    if lopen:
                                        lbad = True
                                    else:
                                        cbad = True
                                elif lopen:
                                    ladj += a
                                else:
                                    cadj += a
                                craw.append(seg)
                                continue
                            if k == k_svc:
                                if lopen:
                                    if lbad:
                                        cbad = True
                                    elif lcharge - lpaid != ladj:
                                        self._line_unbalanced(craw, lk, cseg, coff, tl)
                                    cadj += ladj
                                e = seg.split(sep)
                                try:
                                    x = e[2]
                                    y = e[3]
                                    xy = x + y
                                    if len(xy) < 30 and xy.isdecimal():
                                        lcharge = int(x)
                                        lpaid = int(y)
                                    else:
                                        lcharge = D(x)
                                        lpaid = D(y)
                                except (InvalidOperation, ValueError, IndexError):
                                    raise self._bad(
                                        "SVC02 and SVC03 must be amounts (charge and payment)",
                                        i,
                                        unterminated and i == len(segs) - 1,
                                    ) from None
                                lopen = True
                                lbad = False
                                ladj = 0
                                lk = len(craw)
                                t_lines += 1
                                craw.append(e)
                                continue
                            if k == k_nm1:
                                if seg[6:9] not in nm1_ok:
                                    self._entity_type(seg, i)
                                craw.append(seg)
                                continue
                            if k != k_clp:
                                tag = seg.split(sep, 1)[0].strip(_WS)
                                if tag not in claim_end:
                                    if tag:
                                        craw.append(seg)
                                        if sep in k and len(k_app) < _LEARN:
                                            k_app.add(k)  # the same tag whatever follows
                                    elif tx is not None:
                                        tx.empties += 1
                                    continue
                            # -- the claim ends here -------------------------------------
                            if lopen:
                                if lbad:
                                    cbad = True
                                elif lcharge - lpaid != ladj:
                                    self._line_unbalanced(craw, lk, cseg, coff, tl)
                                cadj += ladj
                                lopen = False
                            if cbad:
                                balanced = None
                            else:
                                balanced = charge - paid == cadj
                                if not balanced:
                                    self._claim_unbalanced(charge, paid, cadj, cseg, coff)
                            if want_claims:
                                cp = new_claim(
                                    header, craw, clp, charge, paid, cseg, coff, balanced
                                )
                                craw = None
                                yield cp
                            else:
                                craw = None
                        if k == k_clp:
                            if exact and i:
                                pos = clp_at[nclp]
                                nclp += 1
                            else:  # the first piece, or stripped segments: skip the blanks
                                pos = self.offset(i)
                            if tx is not None:
                                # -- a claim starts --------------------------------------
                                header = tx.header or self._begin_detail(tx, i)
                                e = seg.split(sep)
                                try:
                                    charge = D(e[3])
                                    paid = D(e[4])
                                    pr = D(e[5]) if len(e) > 5 and e[5] else zero
                                except (InvalidOperation, ValueError, IndexError):
                                    raise self._bad(
                                        "CLP03, CLP04 and CLP05 must be amounts",
                                        i,
                                        unterminated and i == len(segs) - 1,
                                    ) from None
                                if not (charge + paid + pr).is_finite():
                                    raise self.error(
                                        "an amount of the claim is not a finite number", i
                                    )
                                if e[2] not in paid_status or not e[1]:
                                    if e[2] == "4" and e[1]:
                                        t_denied += 1
                                    else:
                                        self._clp_codes(e, i)
                                # the transaction's totals count the claim from its start
                                t_claims += 1
                                t_charge += charge
                                t_paid += paid
                                t_pr += pr
                                coff = pos
                                cseg = s1 + i
                                craw = [seg]
                                clp = e
                                cadj = 0
                                cbad = False
                                continue
                        # -- every other segment: rare, so a method call is fine ---------
                        if tx is not None and k.startswith(k_se):
                            tx.claims += t_claims
                            tx.lines += t_lines
                            tx.adjustments += t_adj
                            tx.denied += t_denied
                            tx.charge += t_charge
                            tx.paid += t_paid
                            tx.pr += t_pr
                            t_claims = t_lines = t_adj = t_denied = 0
                            t_charge = t_paid = t_pr = zero
                        r = self._segment(seg, i)
                        tx = self._tx
                        if r is not None:
                            if r is _RESTART:
                                restart = i if seg.lstrip(_WS).startswith("ISA") else i + 1
                                break
                            if want_remits:
                                yield r  # type: ignore[misc]
                except (InvalidOperation, ArithmeticError, ValueError, IndexError) as exc:
                    cut = unterminated and i == len(segs) - 1
                    if isinstance(exc, X12ParseError):
                        if cut:
                            raise self._bad("", i, cut) from exc
                        raise
                    raise self._bad(
                        "a segment is malformed (an amount that is not a number, or missing "
                        "elements)",
                        max(i, 0),
                        unterminated and i == len(segs) - 1,
                    ) from None
                if restart >= 0:
                    consumed = sum(map(len, raw[:restart])) + restart * tl
                    buf = buf[consumed:]
                    base += consumed
                    seg0 += restart
                    break
                seg0 += len(segs)
                base += len(buf) - len(rest)
                if eof:
                    buf = ""
                    break
                chunk = next(chunks, None)
                if chunk is None:
                    eof = True
                    buf = rest
                else:
                    buf = rest + chunk.decode("latin-1")
                if eof and not buf.strip(_WS):
                    buf = ""
                    break
        self._finish(seg0, base + len(buf))

    def _entity_type(self, seg: str, i: int) -> None:
        """Check NM102 of a claim's NM1 segment: the standard allows 1 and 2 only."""
        e = seg.split(self._delims.element, 3)
        if len(e) < 3 or e[2] not in ("1", "2"):
            raise self.error(
                "an NM1 segment's entity type (NM102) is not 1 (a person) or 2 (an "
                "organisation), the only values the X12 standard defines for it",
                i,
            )

    def _cas_amount(self, seg: str, amount: str, i: int) -> tuple[Decimal | None, int]:
        """The amount of a known one-triplet CAS whose amount is not a plain whole number."""
        try:
            return Decimal(amount), 1
        except (InvalidOperation, ValueError):
            return self._cas(seg.split(self._delims.element), i)

    def _bad(self, message: str, i: int, cut: bool) -> X12ParseError:
        if cut:
            return self.error("the data ends in the middle of a segment: the file is truncated", i)
        return self.error(message, i)

    def _clp_codes(self, e: list[str], i: int) -> None:
        if not e[1] or not e[2]:
            raise self.error("CLP01 (claim number) and CLP02 (status) are required", i)
        self.report_at(
            "status",
            "CLP02 is not a claim status code in the 835 list; the claim is kept with status None",
            i,
        )

    def _claim_unbalanced(
        self, charge: Decimal, paid: Decimal, cadj: Decimal | int, cseg: int, coff: int
    ) -> None:
        if not (charge.is_finite() and paid.is_finite() and Decimal(cadj).is_finite()):
            raise X12ParseError(
                "an amount of the claim is not a finite number", segment=cseg, offset=coff
            )
        self.report(
            "balance",
            "claim does not balance: charge minus payment differs from the sum of the "
            "claim and line adjustments",
            cseg,
            coff,
        )

    # -- delimiters ---------------------------------------------------------------------
    def _detect(self, buf: str) -> tuple[str, str]:
        """Delimiters of the interchange (or bare transaction set) at the start of ``buf``.

        Returns the exact text between two segments and the terminator character.
        """
        if self._isa is not None or self._gs is not None:
            raise self.error("the interchange has no IEA: the data is truncated", 0)
        if self._tx is not None or self._skip is not None:
            raise self.error("the transaction set has no SE: the data is truncated", 0)
        if buf.startswith("ISA"):
            if len(buf) < 4:
                raise self.error("the ISA header is incomplete: the data is truncated", 0)
            sep = buf[3]
            if sep.isalnum() or sep in _WS:
                raise self.error("the ISA header does not start with an element separator", 0)
            pos = 3
            for _ in range(15):
                pos = buf.find(sep, pos + 1)
                if pos < 0 or pos > 400:
                    raise self.error(
                        "the ISA header does not have its 16 elements: the data is truncated "
                        "or not X12",
                        0,
                    )
            if len(buf) < pos + 3:
                raise self.error("the ISA header is incomplete: the data is truncated", 0)
            comp = buf[pos + 1]
            els = buf[: pos + 1].split(sep)
            rep = els[11] if len(els) > 12 and els[12] >= "00501" else None
            eff, tchar = self._terminator(buf, pos + 2, sep, comp)
            if rep is not None and (rep.isalnum() or rep in (sep, comp, tchar) or len(rep) != 1):
                rep = None
            if comp.isalnum() or comp in _WS or comp in (sep, tchar):
                raise self.error("the ISA header has no valid component separator (ISA16)", 0)
            self._envelope = True
        elif buf.startswith("ST"):
            sep = buf[2:3]
            if not sep or sep.isalnum() or sep in _WS:
                raise self.error("the data does not start with an ISA or ST segment", 0)
            k = 3
            while k < len(buf) and (buf[k].isalnum() or buf[k] in (sep, " ")):
                k += 1
            if k >= len(buf):
                raise self.error("no segment terminator after the ST segment", 0)
            comp = ":" if ":" not in (sep, buf[k]) else ">"
            eff, tchar = self._terminator(buf, k, sep, comp)
            rep = None
            self._envelope = False
            self.report(
                "no-envelope",
                "the data has no ISA/GS envelope: read with the delimiters found in the ST "
                "segment; control numbers and version are unknown",
                self._seg0 + 1,
                self._base,
            )
        else:
            raise self.error(
                "the data does not start with an ISA or ST segment: it is not an X12 file", 0
            )
        self._delims = Delimiters(sep, comp, tchar, rep, eff)
        return eff, tchar

    def _terminator(self, buf: str, j: int, sep: str, comp: str) -> tuple[str, str]:
        t = buf[j]
        n = len(buf)
        if t in "\r\n":
            k = j
            while k < n and buf[k] in _WS:
                k += 1
            nxt = buf[k : k + 1]
            if nxt and not nxt.isalnum() and nxt not in (sep, comp):
                eff, tchar = buf[j : k + 1], nxt  # the terminator starts each line
            else:
                eff, tchar = buf[j:k] or t, t
        else:
            k = j + 1
            while k < n and buf[k] in "\r\n":
                k += 1
            eff, tchar = buf[j:k], t
        if tchar.isalnum() or tchar == sep or tchar == " " or tchar == "\t":
            raise self.error("the ISA header has no valid segment terminator", 0)
        return eff, tchar

    # -- claims --------------------------------------------------------------------------
    def _cas(self, e: list[str], i: int) -> tuple[Decimal | None, int]:
        """A CAS segment the fast path did not take: several triplets, or odd values."""
        try:
            triplets = cas_triplets(e)
        except (ValueError, IndexError):
            raise self.error(
                "the CAS segment is malformed (a group code and reason-amount triplets "
                "are expected)",
                i,
            ) from None
        group = e[1]
        total: Decimal | None = ZERO
        for reason, amount, qty in triplets:
            key = group + reason
            if key not in self._known:
                self._code(group, reason, i)
            a = decimal_or_none(amount)
            if a is None:
                self.report_at(
                    "amount",
                    "a CAS amount is not a number; the adjustment is kept without an amount",
                    i,
                )
                total = None
            elif total is not None:
                total += a
            if qty and decimal_or_none(qty) is None:
                self.report_at(
                    "amount",
                    "a CAS quantity is not a number; the adjustment is kept without a quantity",
                    i,
                )
        return total, len(triplets)

    def _code(self, group: str, reason: str, i: int) -> None:
        self._known.add(group + reason)
        if resolve(group, reason) is None:
            if group not in GROUP_CODES:
                msg = f"the adjustment group code {_safe(group)} is not CO, PR, OA, PI or CR"
            else:
                msg = f"the adjustment reason {group}-{_safe(reason)} is not in the code tables"
            self.report_at("unknown-code", msg + "; it is kept as given", i)

    def _line_unbalanced(
        self, craw: list[str | list[str]], lk: int, cseg: int, coff: int, tl: int
    ) -> None:
        sep = self._delims.element
        x = craw[lk]
        if isinstance(x, list) and not (Decimal(x[2]) - Decimal(x[3])).is_finite():
            raise X12ParseError(
                "an amount of the service line is not a finite number", segment=cseg + lk
            )
        off = coff + sum(len(x if isinstance(x, str) else sep.join(x)) for x in craw[:lk])
        self.report(
            "balance",
            "service line does not balance: charge minus payment differs from the sum of "
            "its adjustments",
            cseg + lk,
            off + lk * tl,
        )

    # -- every other segment ---------------------------------------------------------------
    def _segment(self, seg: str, i: int) -> object:
        """Handle a segment outside a claim; returns a Remittance, _RESTART or None."""
        e = seg.split(self._delims.element)
        tag = e[0].strip(_WS)
        segno = self._seg0 + i + 1
        tx = self._tx
        if not tag:
            if tx is not None:
                tx.empties += 1
            return None
        if self._skip is not None:
            if tag == "SE":
                self._skip = None
            elif tag in ("ST", "GE", "IEA", "ISA", "GS"):
                raise self.error(f"{tag} inside a transaction set: the previous one has no SE", i)
            return None
        if tx is not None:
            if tag == "SE":
                return self._end_tx(tx, e, i)
            if tag in ("ST", "GE", "IEA", "ISA", "GS"):
                raise self.error(f"{tag} inside a transaction set: it has no SE", i)
            if tx.header is None:
                if tag in _HEADER:
                    tx.head.append((segno, self.offset(i), e))
                    return None
                self._begin_detail(tx, i)
            if tag in ("LX", "TS3", "TS2"):
                return None
            if tag == "PLB":
                self._plb(tx, e, i)
                return None
            what = "a header segment after the claims" if tag in _HEADER else "a segment"
            self.report_at(
                "placement", f"{what} ({_safe(tag)}) is out of place in the 835; ignored", i
            )
            return None
        # outside any transaction set
        if tag == "ST":
            self._start_tx(e, i)
            return None
        if tag == "ISA":
            if i != 0:
                return _RESTART
            if len(e) != 17:
                raise self.error("the ISA segment must have 16 elements", i)
            env = _Envelope(e[13].strip(_WS), e[12])
            env.sender = e[6].strip() or None
            env.receiver = e[8].strip() or None
            self._isa = env
            return None
        if tag == "GS":
            if self._isa is None:
                raise self.error("GS outside an interchange", i)
            if self._gs is not None:
                raise self.error("GS inside a functional group: the previous one has no GE", i)
            group = _Envelope(e[6] if len(e) > 6 else "", e[8] if len(e) > 8 else None)
            group.functional_id = e[1] if len(e) > 1 else ""
            self._gs = group
            self._isa.count += 1
            return None
        if tag == "GE":
            gs = self._gs
            if gs is None:
                raise self.error("GE without a GS", i)
            if _int(e, 1) != gs.count:
                self.report_at(
                    "count",
                    "GE01 does not match the number of transaction sets in the group",
                    i,
                )
            if (e[2] if len(e) > 2 else "") != gs.control:
                self.report_at("control", "GE02 does not match the group's GS06", i)
            self._gs = None
            return None
        if tag == "IEA":
            isa = self._isa
            if isa is None:
                raise self.error("IEA without an ISA", i)
            if self._gs is not None:
                raise self.error("IEA inside a functional group: the group has no GE", i)
            if _int(e, 1) != isa.count:
                self.report_at("count", "IEA01 does not match the number of functional groups", i)
            if (e[2].strip(_WS) if len(e) > 2 else "") != isa.control:
                self.report_at("control", "IEA02 does not match the interchange's ISA13", i)
            self._isa = None
            return _RESTART
        if tag == "SE":
            raise self.error("SE without an ST", i)
        self.report_at(
            "placement", f"a segment ({_safe(tag)}) outside any transaction set; ignored", i
        )
        return None

    def _start_tx(self, e: list[str], i: int) -> None:
        if self._envelope and self._gs is None:
            self.report_at("placement", "a transaction set outside a functional group", i)
        if self._gs is not None:
            self._gs.count += 1
        kind = e[1] if len(e) > 1 else ""
        segno = self._seg0 + i + 1
        if kind != "835":
            self._skip = _Skip(segno)
            self.report_at("skipped", f"a transaction set {_safe(kind)} (not an 835) is skipped", i)
            return
        if self._gs is not None and self._gs.functional_id != "HP":
            self.report_at("functional-id", "GS01 is not HP for an 835 transaction set", i)
        self._found += 1
        self._tx = _Tx(e[2] if len(e) > 2 else "", segno, self.offset(i))
        return

    def _begin_detail(self, tx: _Tx, i: int) -> RemittanceHeader:
        """Build the transaction's header from the segments read so far."""
        try:
            header = tx.header = self._header(tx)
        except X12ParseError:
            raise
        except (ValueError, IndexError, ArithmeticError):
            raise self.error("a header segment of the 835 is malformed", i) from None
        return header

    def _header(self, tx: _Tx) -> RemittanceHeader:
        from ._detail import text

        fields: dict[str, object] = {}
        refs: list[tuple[str, str]] = []
        parties: list[_PartyBuilder] = []
        cur: _PartyBuilder | None = None
        for segno, offset, e in tx.head:
            tag = e[0].strip(_WS)
            n = len(e)

            def el(k: int, e: list[str] = e, n: int = n) -> str | None:
                return e[k] or None if k < n else None

            if tag == "BPR":
                fields["handling_code"] = el(1)
                amount = decimal_or_none(e[2]) if n > 2 else None
                if amount is None:
                    self.report(
                        "amount", "BPR02 (the payment amount) is not a number", segno, offset
                    )
                fields["payment_amount"] = amount
                fields["credit_debit"] = el(3)
                fields["payment_method"] = el(4)
                fields["payment_format"] = el(5)
                fields["payment_date"] = self._date(el(16), "BPR16", segno, offset)
            elif tag == "TRN":
                fields["trace_number"] = el(2)
                fields["originator"] = el(3)
            elif tag == "CUR":
                fields["currency"] = el(2)
            elif tag == "DTM":
                if el(1) == "405":
                    fields["production_date"] = self._date(el(2), "DTM*405", segno, offset)
            elif tag == "N1":
                cur = _PartyBuilder(el(1) or "", text(el(2) or ""), el(3), el(4))
                parties.append(cur)
            elif tag == "REF":
                pair = (el(1) or "", text(el(2) or ""))
                (refs if cur is None else cur.references).append(pair)
            elif cur is not None and tag == "N3":
                cur.address.extend(text(x) for x in e[1:3] if x)
            elif cur is not None and tag == "N4":
                cur.city, cur.state, cur.postal_code = el(1), el(2), el(3)
            elif cur is not None and tag == "PER":
                nums = tuple((e[k], e[k + 1]) for k in (3, 5, 7) if k + 1 < n and e[k + 1])
                cur.contacts.append(Contact(function=el(1) or "", name=el(2), numbers=nums))
        payer = payee = None
        for p in parties:
            if p.role == "PR" and payer is None:
                payer = p.build()
            elif p.role == "PE" and payee is None:
                payee = p.build()
        isa, gs = self._isa, self._gs
        return RemittanceHeader(
            control_number=tx.control,
            payer=payer,
            payee=payee,
            references=tuple(refs),
            version=gs.version if gs is not None else None,
            interchange_control_number=isa.control if isa is not None else None,
            group_control_number=gs.control if gs is not None else None,
            sender=isa.sender if isa is not None else None,
            receiver=isa.receiver if isa is not None else None,
            delimiters=self._delims,
            segment=tx.segment,
            offset=tx.offset,
            **fields,  # type: ignore[arg-type]
        )

    def _date(self, value: str | None, name: str, segno: int, offset: int) -> date | None:
        """A CCYYMMDD date of the header or PLB; a bad one is reported and left out."""
        if value is None:
            return None
        try:
            return parse_date(value)
        except ValueError:
            self.report(
                "date", f"{name} is not a valid CCYYMMDD date; it is left out", segno, offset
            )
            return None

    def _plb(self, tx: _Tx, e: list[str], i: int) -> None:
        if len(e) < 5:
            raise self.error("the PLB segment needs a provider, a date and an adjustment", i)
        comp = self._delims.component
        segno = self._seg0 + i + 1
        period = self._date(e[2] or None, "PLB02", segno, self.offset(i))
        for k in range(3, len(e), 2):
            ident = e[k]
            amount_text = e[k + 1] if k + 1 < len(e) else ""
            if not ident and not amount_text:
                continue
            c = comp if comp in ident else _guess_component(ident, comp)
            reason, _, ref = ident.partition(c)
            amount = decimal_or_none(amount_text)
            if amount is None:
                tx.plb_bad = True
                self.report_at(
                    "amount",
                    "a PLB amount is not a number; the adjustment is kept without an amount",
                    i,
                )
            tx.plb.append(
                ProviderAdjustment(
                    provider_id=e[1],
                    fiscal_period_date=period,
                    reason=reason,
                    reference=ref or None,
                    amount=amount,
                    segment=segno,
                )
            )

    def _end_tx(self, tx: _Tx, e: list[str], i: int) -> Remittance:
        if tx.header is None:
            self._begin_detail(tx, i)
        assert tx.header is not None
        header = tx.header
        segno = self._seg0 + i + 1
        count = segno - tx.segment + 1 - tx.empties
        if _int(e, 1) != count:
            self.report_at(
                "count", f"SE01 does not match the {count} segments of the transaction set", i
            )
        if (e[2] if len(e) > 2 else "") != tx.control:
            self.report_at("control", "SE02 does not match the transaction set's ST02", i)
        balanced: bool | None = None
        plb_total = sum((p.amount for p in tx.plb if p.amount is not None), ZERO)
        if header.payment_amount is None:
            if not any(h[2][0].strip(_WS) == "BPR" for h in tx.head):
                self.report(
                    "bpr",
                    "the transaction set has no BPR segment (payment)",
                    tx.segment,
                    tx.offset,
                )
        elif not tx.plb_bad:
            balanced = header.payment_amount == tx.paid - plb_total
            if not balanced:
                self.report(
                    "balance",
                    "the transaction set does not balance: BPR02 differs from the claim "
                    "payments minus the provider adjustments",
                    tx.segment,
                    tx.offset,
                )
        self._tx = None
        return Remittance(
            header=header,
            provider_adjustments=tuple(tx.plb),
            claim_count=tx.claims,
            line_count=tx.lines,
            adjustment_count=tx.adjustments,
            denied_count=tx.denied,
            total_charge=tx.charge,
            total_payment=tx.paid,
            total_patient_responsibility=tx.pr,
            balanced=balanced,
            segment_count=count,
        )

    def _finish(self, segments: int, size: int) -> None:
        where = {"segment": segments + 1, "offset": size}
        if self._tx is not None or self._skip is not None:
            raise X12ParseError(
                "the data ends inside a transaction set (no SE): the file is truncated", **where
            )
        if self._gs is not None:
            raise X12ParseError(
                "the data ends inside a functional group (no GE): the file is truncated",
                **where,
            )
        if self._isa is not None:
            raise X12ParseError(
                "the data ends inside an interchange (no IEA): the file is truncated", **where
            )
        if self._found == 0:
            self.report(
                "no-835", "the data holds no 835 transaction set: nothing to read", None, None
            )
        self._flush_warnings()


def _int(e: list[str], k: int) -> int | None:
    if k < len(e):
        s = e[k].strip(_WS)
        if s.isdigit():
            return int(s)
    return None


def _guess_component(value: str, comp: str) -> str:
    """The component separator a composite really uses.

    Some files use ``>`` in composites while ISA16 says ``:`` (or the reverse); the character
    after a two-letter qualifier tells.
    """
    if len(value) > 2 and not value[2].isalnum() and value[2] not in " -.":
        return value[2]
    return comp
