"""The streaming X12 835 reader (private module).

How it stays fast and small:

- the input is read in chunks of 256 KiB, decoded as Latin-1 (one character per byte, so a
  character index is a byte offset) and split on the segment terminator with one
  ``str.split`` per chunk; only the unfinished last segment of a chunk is carried over, so
  whitespace (spaces, tabs, CR, LF) around a segment is stripped wherever it is, across
  chunk boundaries too, and line breaks inside a segment (a file wrapped at a fixed width)
  are taken out: X12 data holds none;
- one pass: each segment is split into its elements once, and a claim's lines,
  adjustments, remarks, dates, references and amounts are built in the same pass that
  checks and balances them. Only the names (NM1) wait to become records until asked for;
- byte offsets come from one running sum of the segment lengths per chunk (in C), worked
  out only when a claim starts or a location is reported;
- a claim is yielded as soon as it ends; a transaction set's :class:`Remittance` keeps the
  header, the provider adjustments and running totals, never the claims;
- what a hostile file could make the reader hold is capped (:data:`MAX_HEADER_SEGMENTS`,
  :data:`MAX_PLB_SEGMENTS`, :data:`MAX_CLAIM_SEGMENTS`); past a cap the reader raises.

Amounts and quantities follow the X12 R type (see ``_detail``); anything else raises
:class:`~denialkit.exceptions.X12ParseError`. Errors name the segment number and the byte
offset of the segment's first byte, never a segment's values: they hold patient names and
identifiers.
"""

from __future__ import annotations

import io
import os
import warnings
from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from itertools import accumulate, repeat
from typing import Final, Protocol, TypeAlias, Union

from denialkit.codes import GROUP_CODES, DenialCode
from denialkit.exceptions import X12ParseError, X12Warning

from ._detail import (
    AMOUNT_DIGITS,
    NUMBER_CHARS,
    QUANTITY_DIGITS,
    ClaimGroup,
    NumberError,
    cas_triplets,
    check_numbers,
    dtm_dates,
    fast_number,
    guess_component,
    parse_date,
    resolve,
    service_line,
)
from ._records import (
    ZERO,
    Adjustment,
    ClaimPayment,
    Contact,
    Delimiters,
    InpatientAdjudication,
    OutpatientAdjudication,
    Party,
    ProviderAdjustment,
    Remittance,
    RemittanceHeader,
    ServiceLine,
    UnknownSegment,
    text,
)


class Readable(Protocol):
    """A binary file object: anything with ``read(size) -> bytes``."""

    def read(self, size: int = ..., /) -> bytes: ...


Source: TypeAlias = Union[str, "os.PathLike[str]", bytes, bytearray, memoryview, Readable]
Item: TypeAlias = ClaimPayment | Remittance

CHUNK_SIZE: Final = 1 << 18  # 256 KiB: the pieces of a chunk stay in the CPU cache
_LOOKAHEAD: Final = 4096
_MAX_SEGMENT: Final = 1 << 20
#: The most header segments (loop 1000A/1000B: REF, PER, N1 to N4, ...) of one transaction.
MAX_HEADER_SEGMENTS: Final = 10_000
#: The most PLB segments of one transaction set (each holds up to six adjustments).
MAX_PLB_SEGMENTS: Final = 10_000
#: The most segments of one claim, CLP to its last line's last segment.
MAX_CLAIM_SEGMENTS: Final = 20_000
_WARN_LIMIT: Final = 20
_LEARN: Final = 8192  # bound of the keys the reader remembers (constant memory on junk)
_WS: Final = " \t\r\n"
# what may follow the last segment of a file: blanks, and the NUL bytes of a file padded to a
# block size or the Ctrl-Z end-of-file mark of a file that went through DOS tools
_PAD: Final = _WS + "\x00\x1a"
_ISA_SCAN: Final = 440  # an ISA header and its line breaks fit in this many characters
_BOM: Final = "\xef\xbb\xbf"  # the UTF-8 byte-order mark, decoded as Latin-1
# what may come before the ISA of a file joined to the end of another one
_JOIN: Final = _PAD + _BOM

#: Segments that end a claim (loop 2100) when they appear inside one.
_CLAIM_END: Final = frozenset(
    {"CLP", "LX", "TS3", "TS2", "PLB", "SE", "ST", "GS", "GE", "ISA", "IEA", "N1", "BPR", "TRN"}
)
#: Segments of the 835 header (before the first LX or CLP).
_HEADER: Final = frozenset(
    {"BPR", "TRN", "CUR", "REF", "DTM", "N1", "N2", "N3", "N4", "PER", "RDM"}
)
#: Every segment id of an 835 and its envelope.
_IDS: Final = (
    _CLAIM_END
    | _HEADER
    | frozenset({"CAS", "NM1", "MIA", "MOA", "DTM", "REF", "AMT", "QTY", "SVC", "LQ", "PER"})
)
#: The 835 versions the reader knows (GS08, or ST03 without an envelope): 4010 and 5010.
_VERSIONS: Final = ("004010X091", "005010X221")
_STATUS_CODES: Final = frozenset({"1", "2", "3", "4", "19", "20", "21", "22", "23", "25"})
#: The status codes a claim's start needs no other look at (4, denied, is counted).
_PAID_STATUS: Final = _STATUS_CODES - {"4"}
_SAFE = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
#: The number elements of the claim-level segments the hot path does not build (amounts,
#: quantities, counts and rates), and the remark codes of MIA and MOA.
_MIA_AMOUNTS: Final = (2, 4, 6, 7, 8, 9, 10, 11, 12, 13, 14, 16, 17, 18, 19, 24)
_MIA_QUANTITIES: Final = (1, 3, 15)
_MOA_AMOUNTS: Final = (2, 8, 9)
_MIA_REMARKS: Final = (5, 20, 21, 22, 23)
_MOA_REMARKS: Final = (3, 4, 5, 6, 7)
_TS3_AMOUNTS: Final = tuple(range(5, 25))
_TS2_NUMBERS: Final = tuple(range(1, 20))

# Which problems ``strict=True`` turns into errors (the others are always warnings).
_CHECKS: Final = frozenset(
    {
        "count", "control", "balance", "bpr", "functional-id", "placement", "amount", "date",
        "no-835", "cas-triplets", "version", "repetition",
    }
)  # fmt: skip
_RESTART: Final = object()
_MISSING: Final = object()
_CAS_ELEMENTS: Final = tuple(f"CAS{k:02d}" for k in range(21))
_CAS_SIZE: Final = 20  # "CAS", the group code and six triplets: CAS01 to CAS19
_new: Final = tuple.__new__


def _cas_element(k: int) -> str:
    """The name of element ``k`` of a CAS segment (``CAS03``), also past the standard 19."""
    return _CAS_ELEMENTS[k] if k < len(_CAS_ELEMENTS) else f"CAS{k:02d}"


_NO_HEADER: Final = RemittanceHeader(control_number="")  # before the first claim


def _tag(tag: str) -> str:
    """A segment id for a message: two or three letters and digits, never free text."""
    if 2 <= len(tag) <= 3 and set(tag) <= _SAFE:
        return tag
    return "(an unknown id)"


def _safe(text: str) -> str:
    """A code for a message: echoed only when it is a short code, never free text."""
    if 0 < len(text) <= 5 and set(text) <= _SAFE:
        return text
    return "(a value that is not a code)"


def source_chunks(source: object, chunk_size: int = CHUNK_SIZE) -> Iterator[bytes]:
    """Check ``source`` now and return an iterator over its bytes in chunks.

    Raises:
        TypeError: ``source`` is not a path, bytes or a binary file object.
    """
    if isinstance(source, (bytes, bytearray, memoryview)):
        return _bytes_chunks(source, chunk_size)
    if isinstance(source, str):
        # X12 text passed as a str is refused with a hint; a file's name may hold a "~" (a
        # Windows short name such as JSMITH~1, an editor's backup): a name is read as one
        if _x12_text(source) and not os.path.isfile(source):
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


def _x12_text(source: str) -> bool:
    """Whether a str looks like X12 text rather than a file's name."""
    head = source.lstrip(_JOIN + "\ufeff")[:3].upper()
    return "\n" in source or head in ("ISA", "ST*") or ("~" in source and "*" in source)


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
        "plb_segments",
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
        self.plb_segments = 0
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
        self._codes: dict[str, DenialCode | None] = {}
        self._dates: dict[str, date] = {}
        self._isa: _Envelope | None = None
        self._gs: _Envelope | None = None
        self._tx: _Tx | None = None
        self._skip: _Skip | None = None
        self._found = 0
        self._envelope = True
        self._delims = Delimiters()
        # the pieces of the current chunk, where they start, and where the chunk starts
        self._raw: list[str] = []
        self._starts: list[int] | None = None
        self._tl = 1
        self._base = 0
        self._seg0 = 0
        # whether the current chunk starts where the delimiters were just read (an ISA there
        # is the one they came from; one at the start of a later chunk may bring others)
        self._fresh = False
        self._fold = False  # whether segment ids are read in upper case (see _detect)
        # the open group of claims (LX, TS3, TS2), which its claims carry
        self._group: ClaimGroup | None = None
        # the open claim's MIA and MOA (rare: set by _claim_segment, taken at the claim's end)
        self._mia: InpatientAdjudication | None = None
        self._moa: OutpatientAdjudication | None = None

    # -- locations, warnings, errors -------------------------------------------------------
    def offset(self, i: int) -> int:
        """Byte offset of the first byte of piece ``i`` of the current chunk (after blanks)."""
        raw = self._raw
        starts = self._starts
        if starts is None:  # once per chunk, and only when a location is needed
            starts = self._starts = list(accumulate(map(len, raw), initial=0))
        i = min(i, len(raw))
        off = self._base + starts[i] + i * self._tl
        if i < len(raw):
            piece = raw[i]
            off += len(piece) - len(piece.lstrip(_WS))
        return off

    def error(self, message: str, i: int) -> X12ParseError:
        """An error at piece ``i`` of the current chunk."""
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
    def _fill(
        self, buf: str, base: int, chunks: Iterator[bytes], eof: bool, first: bool
    ) -> tuple[str, int, bool]:
        """the text without its leading blanks (of any length) and with enough after them to
        find the delimiters; returns the buf, its offset and whether the data has ended."""
        while True:
            if first and (eof or len(buf) >= 3):
                if buf.startswith(_BOM):
                    buf = buf[3:]
                    base += 3
                first = False
            if not first:
                # blanks; and where files were joined end to end, the NUL padding, Ctrl-Z
                # and byte-order mark each one brought along
                stripped = buf.lstrip(_PAD)
                while stripped.startswith(_BOM):
                    stripped = stripped[3:].lstrip(_PAD)
                base += len(buf) - len(stripped)
                buf = stripped
            if eof or (len(buf) >= _LOOKAHEAD and not first):
                return buf, base, eof
            chunk = next(chunks, None)
            if chunk is None:
                eof = True
            else:
                buf += chunk.decode("latin-1")

    def items(self, chunks: Iterator[bytes], want: int = 3) -> Iterator[Item]:
        """Claims as they end (``want & 1``) and remittances at their SE (``want & 2``)."""
        buf = ""
        eof = False
        first = True
        base = 0
        seg0 = 0
        # hot-loop constants as locals
        D = Decimal
        new = tuple.__new__
        Adj = Adjustment
        num_chars = NUMBER_CHARS
        ws = _WS
        strip = str.strip
        claim_end = _CLAIM_END
        paid_status = _PAID_STATUS
        want_claims = bool(want & 1)
        want_remits = bool(want & 2)
        codes = self._codes
        dcache = self._dates
        missing = _MISSING
        zero = ZERO

        # The open claim (``craw`` is None outside one) and its open line (``svc``).
        # ``dates``, ``adj``, ``remarks``, ``refs`` and ``amounts`` are the claim's lists
        # until its first SVC, then the open line's. ``cadj`` sums every adjustment of the
        # claim (claim and line level), ``ladj`` those of the open line.
        craw: list[str] | None = None
        header = _NO_HEADER
        csum: ClaimGroup | None = None  # the open claim's group (LX, TS3, TS2)
        clp: list[str] = []
        charge = paid = cadj = ladj = lcharge = lpaid = ZERO
        pr: Decimal | None = ZERO
        cbad = lbad = False
        lunits: Decimal | None = None
        lsub: Decimal | None = None
        cseg = coff = lseg = lidx = cstart = 0
        cempty = False
        loff = -1
        svc: list[str] | None = None
        names: list[list[str]] = []
        c_dates: list[tuple[str, date]] = []
        c_adj: list[Adjustment] = []
        c_remarks: list[str] = []
        c_refs: list[tuple[str, str]] = []
        c_amounts: list[tuple[str, Decimal]] = []
        unknown: list[UnknownSegment] = []
        lines: list[ServiceLine] = []
        dates, adj, remarks, refs, amounts = c_dates, c_adj, c_remarks, c_refs, c_amounts
        rejects: list[str] = []
        # QTY pairs of the claim and of the open line (rare: made on the first one)
        c_qty: list[tuple[str, Decimal]] | None = None
        l_qty: list[tuple[str, Decimal]] | None = None
        # the open transaction's running totals (added to it at its SE)
        t_claims = t_lines = t_adj = t_denied = 0
        t_charge = t_paid = t_pr = ZERO

        while True:
            # -- find the delimiters of what comes next --------------------------------------
            buf, base, eof = self._fill(buf, base, chunks, eof, first)
            if not buf:
                if first:
                    raise X12ParseError("the data is empty: there is no 835 to read")
                break
            first = False
            self._raw, self._starts, self._base, self._seg0 = [buf], None, base, seg0
            eff, tchar = self._detect(buf)
            self._fresh = True
            sep = self._delims.element
            comp = self._delims.component
            tx = self._tx

            # -- split and read, chunk after chunk ---------------------------------------
            restart = -1
            while True:
                raw, tl = _split(buf, tchar, eff, eof)
                rest = "" if eof else raw.pop()
                if len(rest) > _MAX_SEGMENT:
                    raise X12ParseError(
                        "a segment is longer than 1 MiB: the segment terminator is wrong or "
                        "the data is not X12",
                        segment=seg0 + len(raw) + 1,
                        offset=base + len(buf) - len(rest),
                    )
                unterminated = False  # whether the last piece has no terminator
                if eof and raw:
                    if raw[-1].strip(_PAD):
                        unterminated = True
                    else:
                        raw.pop()  # the blanks (or padding) after the last terminator
                last = len(raw) - 1
                self._raw, self._starts, self._base, self._seg0 = raw, None, base, seg0
                self._tl = tl
                starts: list[int] | None = None
                # blanks around a segment go (str.strip returns a clean piece itself)
                segs = list(map(strip, raw, repeat(ws)))
                if tchar not in "\r\n":
                    # a file wrapped at a fixed width has line breaks inside segments; X12
                    # data holds no CR or LF, so they are layout, never part of a value
                    inner = "".join(segs)
                    if "\n" in inner or "\r" in inner:
                        segs = list(map(_unwrapped, segs))
                if self._fold:
                    segs = list(map(_upper_id, segs))
                rep = self._delims.repetition
                if rep is not None and rep in buf and rep not in _WS:
                    # found and counted in C; the one an ISA holds itself (ISA11) is no value
                    n = buf.count(rep)
                    if n > 1 or not segs or segs[0][:3].upper() != "ISA" or rep not in segs[0]:
                        self._repetitions(segs)
                i = -1
                try:
                    for i, seg in enumerate(segs):
                        e = seg.split(sep)
                        tag = e[0]
                        if craw is not None:
                            # -- inside a claim: the hot path ----------------------------
                            if tag == "DTM":
                                if len(e) != 3:  # DTM05 and DTM06: a period (RD8), ...
                                    self._dtm(e, i, dates)
                                    continue
                                v = e[2]
                                d = dcache.get(v)
                                if d is None:
                                    d = self._date_at(v, i)
                                if d is not None:
                                    dates.append((e[1], d))
                                continue
                            if tag == "CAS":
                                if len(e) == 4 and e[2]:
                                    t = e[3]
                                    a: Decimal | None
                                    try:
                                        if len(t) > 18 or t.strip(num_chars):
                                            raise ValueError
                                        a = D(t)
                                    except (ValueError, ArithmeticError):
                                        a = self._amount(t, "CAS03", i)
                                    key = seg[: len(seg) - len(t)]
                                    code = codes.get(key, missing)
                                    if code is missing:
                                        code = self._code(key, e[1], e[2], i)
                                    adj.append(new(Adj, (e[1], e[2], a, None, code)))
                                    t_adj += 1
                                else:
                                    more, a = self._cas(e, i)
                                    adj.extend(more)
                                    t_adj += len(more)
                                if a is None:
                                    cbad = True
                                    lbad = svc is not None
                                else:
                                    cadj += a
                                    if svc is not None:
                                        ladj += a
                                continue
                            if tag == "REF":
                                v = e[2] if len(e) > 2 else ""
                                refs.append((e[1], v if v.isascii() else text(v)))
                                continue
                            if tag == "SVC":
                                if svc is not None:
                                    lines.append(
                                        service_line(svc, len(lines) + 1, lseg, comp, dates,
                                                     adj, remarks, rejects, refs, amounts,
                                                     lcharge, lpaid, lunits, lsub, l_qty)
                                    )  # fmt: skip
                                    if not lbad and lcharge - lpaid != ladj:
                                        self._line_unbalanced(lseg, loff, lidx)
                                n = len(e)
                                u = e[5] if n > 5 else ""
                                try:
                                    x = e[2]
                                    y = e[3]
                                    # charge, payment and units checked in one call
                                    if (
                                        len(x) > 18
                                        or len(y) > 18
                                        or len(u) > 15
                                        or (x + y + u).strip(num_chars)
                                    ):
                                        raise ValueError
                                    lcharge = D(x)
                                    lpaid = D(y)
                                    lunits = D(u) if u else None
                                except (ValueError, ArithmeticError, IndexError):
                                    lcharge, lpaid = _required(e, "SVC", 2)
                                    lunits = self._amount(u, "SVC05", i, 15) if u else None
                                lsub = (
                                    self._amount(e[7], "SVC07", i, 15) if n > 7 and e[7] else None
                                )
                                svc = e
                                lbad = False
                                lseg = seg0 + i + 1
                                lidx = i
                                loff = -1
                                ladj = zero
                                t_lines += 1
                                dates, adj, remarks, rejects, refs, amounts = [], [], [], [], [], []
                                l_qty = None
                                continue
                            if tag == "AMT":
                                v = e[2]
                                try:
                                    if len(v) > 18 or v.strip(num_chars):
                                        raise ValueError
                                    a = D(v)
                                except (ValueError, ArithmeticError):
                                    a = self._amount(v, "AMT02", i)
                                if a is not None:
                                    amounts.append((e[1], a))
                                continue
                            if tag == "NM1" and svc is None:
                                if len(e) < 3 or e[2] not in ("1", "2"):
                                    raise self._entity_type_error(i)
                                names.append(e)
                                continue
                            if tag == "LQ" and (svc is not None or e[1] != "RX"):
                                (rejects if e[1] == "RX" else remarks).append(e[2])
                                continue
                            if tag not in claim_end and tag[:3] != "ISA":
                                if not seg:
                                    if tx is not None:
                                        tx.empties += 1
                                    cempty = True
                                    continue
                                if tag == "QTY":
                                    q = self._quantity(e, i)
                                    if q is not None and svc is None:
                                        if c_qty is None:
                                            c_qty = []
                                        c_qty.append(q)
                                    elif q is not None:
                                        if l_qty is None:
                                            l_qty = []
                                        l_qty.append(q)
                                    continue
                                if not self._claim_segment(tag, e, svc is None, c_remarks, i):
                                    unknown.append(self._unknown(tag, seg, i, svc is not None))
                                continue
                            # -- the claim ends here -------------------------------------
                            if len(craw) + i - cstart > MAX_CLAIM_SEGMENTS:
                                raise _too_long(cseg, coff)
                            if svc is not None:
                                lines.append(
                                    service_line(svc, len(lines) + 1, lseg, comp, dates, adj,
                                                 remarks, rejects, refs, amounts, lcharge,
                                                 lpaid, lunits, lsub, l_qty)
                                )  # fmt: skip
                                if not lbad and lcharge - lpaid != ladj:
                                    self._line_unbalanced(lseg, loff, lidx)
                                svc = None
                            balanced = None if cbad else charge - paid == cadj
                            if balanced is False:
                                self.report(
                                    "balance",
                                    "claim does not balance: charge minus payment differs from "
                                    "the sum of the claim and line adjustments",
                                    cseg,
                                    coff,
                                )
                            mia, moa = self._mia, self._moa
                            if mia is not None or moa is not None:
                                self._mia = self._moa = None
                            if want_claims:
                                segments = segs[cstart:i]
                                if craw:
                                    segments = craw + segments
                                if cempty:
                                    segments = [x for x in segments if x]
                                cp = ClaimPayment(
                                    header, segments, clp, charge, paid, pr, cseg, coff, balanced,
                                    names,
                                    tuple(c_dates) if c_dates else (),
                                    tuple(c_adj) if c_adj else (),
                                    tuple(c_remarks) if c_remarks else (),
                                    tuple(c_refs) if c_refs else (),
                                    tuple(c_amounts) if c_amounts else (),
                                    tuple(lines) if lines else (),
                                    tuple(unknown) if unknown else (),
                                    csum,
                                    tuple(c_qty) if c_qty else (),
                                    mia,
                                    moa,
                                )  # fmt: skip
                                craw = None
                                yield cp
                            else:
                                craw = None
                        if tag == "CLP" and tx is not None:
                            # -- a claim starts ------------------------------------------
                            header = tx.header or self._begin_detail(tx, i)
                            csum = self._group
                            n = len(e)
                            z = e[5] if n > 5 else ""
                            try:
                                x = e[3]
                                y = e[4]
                                # charge, payment and patient responsibility in one call
                                if (
                                    len(x) > 18
                                    or len(y) > 18
                                    or len(z) > 18
                                    or (x + y + z).strip(num_chars)
                                ):
                                    raise ValueError
                                charge = D(x)
                                paid = D(y)
                                pr = D(z) if z else zero
                            except (ValueError, ArithmeticError, IndexError):
                                charge, paid = _required(e, "CLP", 3)
                                pr = self._amount(z, "CLP05", i) if z else zero
                            if n > 12:
                                self._numbers(e, "CLP", (12, 13), QUANTITY_DIGITS, i)
                            if e[2] not in paid_status or not e[1]:
                                if e[2] == "4" and e[1]:
                                    t_denied += 1
                                else:
                                    self._clp_codes(e, i)
                            # the transaction's totals count the claim from its start
                            t_claims += 1
                            t_charge += charge
                            t_paid += paid
                            if pr is not None:
                                t_pr += pr
                            if starts is None:
                                starts = self._starts = list(accumulate(map(len, raw), initial=0))
                            x = raw[i]
                            coff = base + starts[i] + i * tl + len(x) - len(x.lstrip(ws))
                            cseg = seg0 + i + 1
                            craw = []
                            cstart = i
                            cempty = False
                            clp = e
                            cadj = zero
                            cbad = False
                            names = []
                            c_dates, c_adj, c_remarks, c_refs, c_amounts = [], [], [], [], []
                            c_qty = None
                            dates, adj, remarks, refs, amounts = (
                                c_dates, c_adj, c_remarks, c_refs, c_amounts
                            )  # fmt: skip
                            unknown = []
                            lines = []
                            continue
                        # -- every other segment: rare, so a method call is fine ---------
                        if tag == "SE" and tx is not None:
                            tx.claims += t_claims
                            tx.lines += t_lines
                            tx.adjustments += t_adj
                            tx.denied += t_denied
                            tx.charge += t_charge
                            tx.paid += t_paid
                            tx.pr += t_pr
                            t_claims = t_lines = t_adj = t_denied = 0
                            t_charge = t_paid = t_pr = zero
                        r = self._segment(tag, e, i)
                        if r is not None:
                            if r is _RESTART:
                                restart = i
                                break
                            if want_remits:
                                yield r  # type: ignore[misc]
                        tx = self._tx
                        comp = self._delims.component
                except NumberError as exc:
                    if unterminated and i == last:
                        raise self.error(
                            "the data ends in the middle of a segment: the file is truncated", i
                        ) from None
                    raise self.error(_number_message(exc), i) from None
                except (ArithmeticError, ValueError, IndexError) as exc:
                    cut = unterminated and i == last
                    if isinstance(exc, X12ParseError):
                        if cut:
                            raise self._bad("", i, cut) from exc
                        raise
                    raise self._bad(
                        "a segment is malformed (missing elements, or values where they "
                        "do not belong)",
                        max(i, 0),
                        cut,
                    ) from None
                if restart >= 0:
                    consumed = sum(map(len, raw[:restart])) + restart * tl
                    buf = buf[consumed:]
                    base += consumed
                    seg0 += restart
                    break
                # -- the chunk is read: keep what the open claim needs of it -------------
                if craw is not None:
                    if svc is not None and loff < 0:
                        loff = self.offset(lidx)
                    craw.extend(segs[cstart:])
                    cstart = 0
                    if len(craw) > MAX_CLAIM_SEGMENTS:
                        raise _too_long(cseg, coff)
                seg0 += len(raw)
                base += len(buf) - len(rest)
                self._fresh = False
                if eof:
                    buf = ""
                    break
                chunk = next(chunks, None)
                if chunk is None:
                    eof = True
                    buf = rest
                else:
                    buf = rest + chunk.decode("latin-1")
            if restart < 0:
                break
        self._finish(seg0, base + len(buf))

    def _repetitions(self, segs: list[str]) -> None:
        """Report the segments of a chunk that hold the repetition separator (ISA11): no
        element of an 835 repeats, so it is in a value (a modifier ``25^59``, a name), which
        is kept as sent."""
        rep = self._delims.repetition
        assert rep is not None
        for i, seg in enumerate(segs):
            if seg.lstrip(_JOIN)[:3].upper() == "ISA":
                if i:
                    return  # another interchange: its delimiters may differ (read again)
                continue
            if rep in seg:
                self.report_at(
                    "repetition",
                    f"{_tag(seg.split(self._delims.element, 1)[0])} holds the repetition "
                    "separator (ISA11), which no element of an 835 uses: the value is kept as "
                    "sent, with the separator in it",
                    i,
                )

    # -- claims --------------------------------------------------------------------------
    def _code(self, key: str, group: str, reason: str, i: int) -> DenialCode | None:
        """Resolve a group and reason (remembered by ``key``), reporting an unknown code.

        A code padded with blanks or in lower case (``co``, ``45 ``: a file whose text went
        through a tool that changed its case or padded its elements) is the code it spells.
        """
        code = resolve(group, reason)
        if code is None:
            g, r = group.strip(_WS).upper(), reason.strip(_WS).upper()
            if g != group or r != reason:
                code = resolve(g, r)
        if len(self._codes) < _LEARN:
            self._codes[key] = code
        if code is None:
            if group not in GROUP_CODES:
                msg = f"the adjustment group code {_safe(group)} is not CO, PR, OA, PI or CR"
            else:
                msg = f"the adjustment reason {group}-{_safe(reason)} is not in the code tables"
            self.report_at("unknown-code", msg + "; it is kept as given", i)
        return code

    def _cas(self, e: list[str], i: int) -> tuple[list[Adjustment], Decimal | None]:
        """A CAS segment the fast path did not take: several triplets, or quantities."""
        try:
            triplets = cas_triplets(e)
        except (ValueError, IndexError):
            raise self.error(
                "the CAS segment is malformed (a group code and reason-amount triplets "
                "are expected)",
                i,
            ) from None
        if len(e) > _CAS_SIZE:
            self.report_at(
                "cas-triplets",
                "the CAS segment holds more than the six reason-amount triplets X12 allows "
                "(each of them is read as an adjustment)",
                i,
            )
        group = e[1]
        out: list[Adjustment] = []
        total: Decimal | None = ZERO
        prefix = f"CAS{self._delims.element}{group}{self._delims.element}"
        codes = self._codes
        for j, reason, amount_text, qty_text in triplets:
            amount = self._amount(amount_text, _cas_element(j + 1), i)
            qty = (
                self._amount(qty_text, _cas_element(j + 2), i, QUANTITY_DIGITS)
                if qty_text
                else None
            )
            if amount is None:
                total = None
            elif total is not None:
                total += amount
            key = prefix + reason + self._delims.element
            code = codes.get(key, _MISSING)
            if code is _MISSING:
                code = self._code(key, group, reason, i)
            out.append(_new(Adjustment, (group, reason, amount, qty, code)))
        return out, total

    def _amount(
        self, value: str, element: str, i: int, digits: int = AMOUNT_DIGITS
    ) -> Decimal | None:
        """An amount or quantity; one outside the X12 R type is reported and kept as None."""
        if len(value) <= digits and not value.strip(NUMBER_CHARS):
            try:
                return Decimal(value)  # with only these characters Decimal takes the R grammar
            except ArithmeticError:
                pass  # "", "-", "." or "1.2.3": reported below
        try:
            return fast_number(value, element, digits)
        except NumberError as exc:
            self.report_at("amount", _number_message(exc) + "; it is kept as None", i)
            return None

    def _numbers(
        self, e: list[str], tag: str, positions: tuple[int, ...], digits: int, i: int
    ) -> None:
        """Check the number elements of a segment the reader keeps no record of."""
        try:
            check_numbers(e, tag, positions, digits)
        except NumberError as exc:
            self.report_at("amount", _number_message(exc) + "; it is not used", i)

    def _date_at(self, value: str, i: int) -> date | None:
        """A claim or line DTM's date; a bad one is reported and left out."""
        try:
            d = parse_date(value)
        except ValueError:
            self.report_at(
                "date", "a date of the claim is not a valid CCYYMMDD date; it is left out", i
            )
            return None
        if len(self._dates) < _LEARN:
            self._dates[value] = d
        return d

    def _dtm(self, e: list[str], i: int, dates: list[tuple[str, date]]) -> None:
        """A claim or line DTM with more than a qualifier and a date: a date or a period in
        DTM05 and DTM06 (read as :func:`dtm_dates` says), else one it reports."""
        segno = self._seg0 + i + 1
        pairs, problem = dtm_dates(e)
        if problem is not None:
            self.report("date", problem, segno, self.offset(i))
        dates.extend(pairs)

    def _claim_segment(
        self, tag: str, e: list[str], at_claim: bool, remarks: list[str], i: int
    ) -> bool:
        """Check a claim segment the hot path does not build from; ``False`` when it has no
        place here (an unknown id, or a claim-level segment inside a service line)."""
        if not at_claim:
            return False
        if tag == "MIA":
            if self._mia is not None:
                return False  # one per claim: a second one is kept as an unknown segment
            mia = self._mia = _inpatient(self, e, i)
            remarks.extend(mia.remarks)
            return True
        if tag == "MOA":
            if self._moa is not None:
                return False
            moa = self._moa = _outpatient(self, e, i)
            remarks.extend(moa.remarks)
            return True
        return tag == "PER"

    def _numbers_at(
        self, e: list[str], tag: str, positions: tuple[int, ...], digits: int, i: int
    ) -> list[Decimal | None]:
        """The numbers at ``positions`` of a segment (``None`` where empty or absent, and
        where not a number, which is reported with the segment's position)."""
        n = len(e)
        return [
            self._amount(e[k], f"{tag}{k:02d}", i, digits) if k < n and e[k] else None
            for k in positions
        ]

    def _quantity(self, e: list[str], i: int) -> tuple[str, Decimal] | None:
        """A QTY pair; one whose quantity is not a number is reported and left out."""
        if len(e) < 3 or not e[2]:
            return None  # (no quantity to keep or check)
        value = self._amount(e[2], "QTY02", i, QUANTITY_DIGITS)
        return None if value is None else (e[1], value)

    def _unknown(self, tag: str, seg: str, i: int, in_line: bool) -> UnknownSegment:
        """Keep a segment the claim has no place for, and report it (an error if strict)."""
        if self._junk(tag):
            raise self._damaged(i)
        if not tag.isupper() and tag.upper() in _IDS:
            raise self._lower_case(tag, i)
        where = "a service line" if in_line else "a claim"
        known = tag in ("NM1", "MIA", "MOA", "PER", "LQ")
        if tag in ("MIA", "MOA") and not in_line:
            what = f"a second {tag} segment is in a claim (the 835 allows one)"
        elif known:
            what = f"a segment ({tag}) has no place in {where}"
        elif 2 <= len(tag) <= 3 and set(tag) <= _SAFE:
            what = f"a segment ({tag}) is not a segment of {where}"
        else:
            what = f"a segment whose id is not an X12 segment id is in {where}"
        self.report_at("placement", f"{what}; it is kept in the claim's unknown_segments", i)
        return UnknownSegment(tag, self._seg0 + i + 1, self.offset(i), seg)

    def _junk(self, tag: str) -> bool:
        """Whether a segment id holds control or non-ASCII bytes other than the delimiters
        (which may be control bytes, and a composite may stand where an id belongs)."""
        if tag.isascii() and tag.isprintable():
            return False
        d = self._delims
        tag = tag.replace(d.component, "").replace(d.repetition or d.component, "")
        return not (tag.isascii() and tag.isprintable())

    def _lower_case(self, tag: str, i: int) -> X12ParseError:
        return self.error(
            f"a segment id is not in upper case ({_tag(tag[:3].upper())}) while the "
            "interchange's are: X12 ids are upper case, and the reader does not guess which "
            "loop it belongs to",
            i,
        )

    def _damaged(self, i: int) -> X12ParseError:
        """A segment id holding control or non-ASCII bytes: damage, never an unknown id (it
        could be a CLP behind a few bytes of junk)."""
        return self.error(
            "a segment id holds control or non-ASCII bytes, which X12 text never has there: "
            "the data is damaged",
            i,
        )

    def _entity_type_error(self, i: int) -> X12ParseError:
        """NM102 of a claim's NM1: the standard allows 1 and 2 only."""
        return self.error(
            "an NM1 segment's entity type (NM102) is not 1 (a person) or 2 (an "
            "organisation), the only values the X12 standard defines for it",
            i,
        )

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

    def _line_unbalanced(self, lseg: int, loff: int, lidx: int) -> None:
        self.report(
            "balance",
            "service line does not balance: charge minus payment differs from the sum of "
            "its adjustments",
            lseg,
            loff if loff >= 0 else self.offset(lidx),
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
        # an interchange (or bare transaction set) whose ids are in lower case ("isa*00*...~
        # gs*hp*...") has them read in upper case, as X12 ids are; nothing else of it changes
        head = buf[:3] if buf.startswith("ISA") else _unwrapped(buf[:8])[:3]
        is_isa = head.upper() == "ISA"
        self._fold = head != "ISA" if is_isa else buf[:2] != "ST" and buf[:2].upper() == "ST"
        if is_isa:
            sep, comp, rep, eff, tchar = self._isa_delimiters(buf)
            self._envelope = True
        elif buf[:2].upper() == "ST":
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
                "the data does not start with an ISA or ST segment: it is not an X12 file"
                + _not_x12(buf, self._base),
                0,
            )
        self._delims = Delimiters(sep, comp, tchar, rep, eff)
        return eff, tchar

    def _isa_delimiters(
        self, buf: str, *, unwrapped: bool = False
    ) -> tuple[str, str, str | None, str, str]:
        """The delimiters an ISA header at the start of ``buf`` gives: element, component,
        repetition, the text between two segments and the terminator.

        A file wrapped at a fixed width has line breaks inside the header itself: its
        delimiters are read from the header without them (``unwrapped``; the segments lose
        theirs where they are split, see ``items()``).
        """
        if not unwrapped and ("\n" in buf[:4] or "\r" in buf[:4]):  # wrapped inside "ISA*"
            return self._isa_delimiters(_unwrapped(buf[:_ISA_SCAN]), unwrapped=True)
        if len(buf) < 4:
            raise self.error("the ISA header is incomplete: the data is truncated", 0)
        sep = buf[3]
        if sep in " \t":
            raise self.error(
                "the ISA header's element separator (the character after ISA) is a blank (a "
                "space or a tab), which the reader does not support: blanks around values "
                "carry no meaning in its reading",
                0,
            )
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
        head = buf[: pos + 2]
        if not unwrapped and ("\n" in head or "\r" in head):
            return self._isa_delimiters(_unwrapped(buf[:_ISA_SCAN]), unwrapped=True)
        comp = buf[pos + 1]
        els = buf[: pos + 1].split(sep)
        rep = els[11] if len(els) > 12 and els[12] >= "00501" else None
        j = pos + 2
        while j < len(buf) and buf[j] in " \t":  # blanks before the terminator
            j += 1
        if j >= len(buf):
            raise self.error("the ISA header is incomplete: the data is truncated", 0)
        eff, tchar = self._terminator(buf, j, sep, comp)
        if rep is not None and (rep.isalnum() or rep in (sep, comp, tchar) or len(rep) != 1):
            rep = None
        if comp.isalnum() or comp in _WS or comp in (sep, tchar):
            raise self.error("the ISA header has no valid component separator (ISA16)", 0)
        return sep, comp, rep, eff, tchar

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
    def _same_delimiters(self, e: list[str]) -> bool:
        """Whether an ISA met inside a chunk keeps the element separator and terminator the
        chunk was split with (then it is read in place; its ISA16 and ISA11 are taken)."""
        if len(e) != 17 or len(e[16]) != 1:
            return False
        comp = e[16]
        d = self._delims
        if comp.isalnum() or comp in _WS or comp in (d.element, d.segment):
            return False
        rep = e[11] if e[12] >= "00501" else None
        if rep is not None and (
            rep.isalnum() or rep in (d.element, comp, d.segment) or len(rep) != 1
        ):
            rep = None
        if comp != d.component or rep != d.repetition:
            self._delims = Delimiters(d.element, comp, d.segment, rep, d.segment_text)
        return True

    def _segment(self, tag: str, e: list[str], i: int) -> object:
        """Handle a segment outside a claim; returns a Remittance, _RESTART or None."""
        segno = self._seg0 + i + 1
        tx = self._tx
        if tag not in _IDS and tag:  # (an id of the 835 needs no look at its characters)
            if self._junk(tag):
                if (
                    tx is None
                    and self._skip is None
                    and not (i == 0 and self._fresh)
                    and tag.lstrip(_JOIN).startswith("ISA")
                ):
                    return _RESTART  # the next file of files joined end to end
                if self._skip is None:
                    raise self._damaged(i)
            head = tag[:3]
            if not head.isupper() and head.upper() in _IDS:
                # one id in lower case among upper-case ones: a new interchange is read again
                # (its case is seen there); any other would be set aside, with its claim
                if (
                    head.upper() == "ISA"
                    and tx is None
                    and self._skip is None
                    and not (i == 0 and self._fresh)
                ):
                    return _RESTART
                raise self._lower_case(tag, i)
        if tag[:3] == "ISA" and tag != "ISA":
            # an interchange with other delimiters: read again from here
            if i == 0 and self._fresh:
                raise self.error("the ISA header is malformed", i)
            if tx is None and self._skip is None:
                return _RESTART
            tag = "ISA"
        if not tag:
            if tx is not None:
                tx.empties += 1
            return None
        if self._skip is not None:
            if tag == "SE":
                self._skip = None
            elif tag in ("ST", "GE", "IEA", "ISA", "GS"):
                raise self.error(f"{tag} inside a transaction set: the previous one has no SE", i)
            elif tag == "CLP":
                # a claim payment is an 835's alone: this set's ST01 is wrong or damaged, and
                # skipping it would lose the claim
                raise self.error(
                    "a CLP segment (a claim) inside a transaction set that is not an 835 (its "
                    f"ST01 says otherwise, at segment {self._skip.segment}): the claim cannot "
                    "be read as it stands",
                    i,
                )
            return None
        if tx is not None:
            if tag == "SE":
                return self._end_tx(tx, e, i)
            if tag in ("ST", "GE", "IEA", "ISA", "GS"):
                raise self.error(f"{tag} inside a transaction set: it has no SE", i)
            if tx.header is None:
                if tag in _HEADER:
                    if len(tx.head) >= MAX_HEADER_SEGMENTS:
                        raise self.error(
                            f"the transaction set has more than {MAX_HEADER_SEGMENTS:,} header "
                            "segments, the reader's limit: the file is not a plausible 835",
                            i,
                        )
                    tx.head.append((segno, self.offset(i), e))
                    return None
                self._begin_detail(tx, i)
            if tag in ("LX", "TS3", "TS2"):
                self._group_segment(tag, e, i)
                return None
            if tag == "PLB":
                self._plb(tx, e, i)
                return None
            what = "a header segment after the claims" if tag in _HEADER else "a segment"
            self.report_at(
                "placement", f"{what} ({_tag(tag)}) is out of place in the 835; ignored", i
            )
            return None
        # outside any transaction set
        if tag == "ST":
            self._start_tx(e, i)
            return None
        if tag == "ISA":
            if (i != 0 or not self._fresh) and not self._same_delimiters(e):
                return _RESTART  # read again from here with the new delimiters
            if self._isa is not None:
                raise self.error("ISA inside an interchange: the previous one has no IEA", i)
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
            return None
        if tag == "SE":
            raise self.error("SE without an ST", i)
        if tag == "CLP":
            raise self.error(
                "a CLP segment (a claim) outside any 835 transaction set: the file's structure "
                "cannot hold it",
                i,
            )
        self.report_at(
            "placement", f"a segment ({_tag(tag)}) outside any transaction set; ignored", i
        )
        return None

    def _start_tx(self, e: list[str], i: int) -> None:
        if self._envelope and self._gs is None:
            self.report_at("placement", "a transaction set outside a functional group", i)
        if self._gs is not None:
            self._gs.count += 1
        kind = e[1].strip(" ") if len(e) > 1 else ""  # a padded " 835 " is an 835
        segno = self._seg0 + i + 1
        if kind != "835":
            self._skip = _Skip(segno)
            self.report_at("skipped", f"a transaction set {_safe(kind)} (not an 835) is skipped", i)
            return
        if self._gs is not None and self._gs.functional_id.strip(_WS).upper() != "HP":
            self.report_at("functional-id", "GS01 is not HP for an 835 transaction set", i)
        version = self._gs.version if self._gs is not None else (e[3] if len(e) > 3 else None)
        if version and not version.strip(_WS).upper().startswith(_VERSIONS):
            shown = version.strip(_WS)
            if not (0 < len(shown) <= 12 and set(shown.upper()) <= _SAFE):
                shown = "(not a version code)"
            where = "GS08" if self._gs is not None else "ST03"
            self.report_at(
                "version",
                f"the 835's version ({where}) {shown} is not one the reader knows (004010X091, "
                "005010X221, with or without A1): it is read as 5010; check what comes out",
                i,
            )
        self._found += 1
        self._tx = _Tx(e[2] if len(e) > 2 else "", segno, self.offset(i))
        self._group = None
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
        fields: dict[str, object] = {}
        refs: list[tuple[str, str]] = []
        parties: list[_PartyBuilder] = []
        cur: _PartyBuilder | None = None
        for segno, offset, e in tx.head:
            tag = e[0]
            n = len(e)

            def el(k: int, e: list[str] = e, n: int = n) -> str | None:
                return e[k] or None if k < n else None

            if tag == "BPR":
                fields["handling_code"] = el(1)
                try:
                    fields["payment_amount"] = fast_number(e[2] if n > 2 else "", "BPR02")
                except NumberError as exc:
                    fields["payment_amount"] = None
                    self.report(
                        "amount", _number_message(exc) + "; it is kept as None", segno, offset
                    )
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
                if el(1) == "405" and n > 3:  # a date in DTM05 and DTM06
                    pairs, problem = dtm_dates(e)
                    if problem is not None:
                        self.report("date", problem, segno, offset)
                    fields["production_date"] = pairs[0][1] if pairs else None
                elif el(1) == "405":
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
                cur.city, cur.state, cur.postal_code = _text(el(1)), el(2), el(3)
            elif cur is not None and tag == "PER":
                nums = tuple((e[k], e[k + 1]) for k in (3, 5, 7) if k + 1 < n and e[k + 1])
                cur.contacts.append(Contact(function=el(1) or "", name=_text(el(2)), numbers=nums))
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
        tx.plb_segments += 1
        if tx.plb_segments > MAX_PLB_SEGMENTS:
            raise self.error(
                f"the transaction set has more than {MAX_PLB_SEGMENTS:,} PLB segments, the "
                "reader's limit: the file is not a plausible 835",
                i,
            )
        comp = self._delims.component
        segno = self._seg0 + i + 1
        period = self._date(e[2] or None, "PLB02", segno, self.offset(i))
        for k in range(3, len(e), 2):
            ident = e[k]
            amount_text = e[k + 1] if k + 1 < len(e) else ""
            if not ident and not amount_text:
                continue
            c = comp if comp in ident else guess_component(ident.strip(_WS), comp)
            reason, _, ref = ident.partition(c)
            # a code padded or in lower case ("wo ", " L6") is the code it spells, as a
            # CAS code is; the reference keeps its case (an account number)
            reason = reason.strip(_WS).upper()
            ref = ref.strip(_WS)
            amount = self._amount(amount_text, f"PLB{k + 1:02d}", i)
            if amount is None:
                tx.plb_bad = True
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

    def _group_segment(self, tag: str, e: list[str], i: int) -> None:
        """An LX (a new group of claims), or a TS3 or TS2 summing the group up: kept as they
        are (the group's claims make its summary on first use), their numbers checked."""
        if tag == "LX":
            self._group = ClaimGroup(self._seg0 + i + 1, [e])
            return
        if tag == "TS3":
            self._numbers(e, "TS3", (4,), QUANTITY_DIGITS, i)
            self._numbers(e, "TS3", _TS3_AMOUNTS, AMOUNT_DIGITS, i)
            if len(e) > 3 and e[3]:
                try:
                    parse_date(e[3])
                except ValueError:
                    self.report_at("date", "TS303 is not a valid CCYYMMDD date; it is left out", i)
        elif tag == "TS2":
            self._numbers(e, "TS2", _TS2_NUMBERS, AMOUNT_DIGITS, i)
        group = self._group
        if group is None or len(group.raw) >= 3:
            # a summary without an LX (an LX, a TS3 and a TS2 at most: no more is held)
            self._group = ClaimGroup(self._seg0 + i + 1, [e])
        else:
            group.raw.append(e)

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
            if not any(h[2][0] == "BPR" for h in tx.head):
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
        self._group = None
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
        done = (
            " Every {} before this point was complete; their claims and remittances were "
            "yielded before this error"
        )
        if self._gs is not None:
            raise X12ParseError(
                "the data ends inside a functional group (no GE): the file is truncated."
                + (done.format("transaction set") if self._gs.count else ""),
                **where,
            )
        if self._isa is not None:
            raise X12ParseError(
                "the data ends inside an interchange (no IEA): the file is truncated, or its "
                "IEA was left out." + (done.format("functional group") if self._isa.count else ""),
                **where,
            )
        if self._found == 0:
            self.report(
                "no-835", "the data holds no 835 transaction set: nothing to read", None, None
            )
        self._flush_warnings()


def _remarks(e: list[str], positions: tuple[int, ...]) -> tuple[str, ...]:
    """The remark codes at ``positions`` of a segment, without blanks around them."""
    n = len(e)
    return tuple(r for r in (e[k].strip(_WS) for k in positions if k < n) if r)


def _inpatient(reader: Reader, e: list[str], i: int) -> InpatientAdjudication:
    """The record of an MIA segment (its numbers read and reported by ``reader``)."""
    q = reader._numbers_at(e, "MIA", _MIA_QUANTITIES, QUANTITY_DIGITS, i)
    amounts = reader._numbers_at(e, "MIA", _MIA_AMOUNTS, AMOUNT_DIGITS, i)
    a = dict(zip(_MIA_AMOUNTS, amounts, strict=True))
    return InpatientAdjudication(
        covered_days=q[0],
        pps_operating_outlier=a[2],
        lifetime_psychiatric_days=q[1],
        drg_amount=a[4],
        remarks=_remarks(e, _MIA_REMARKS),
        disproportionate_share=a[6],
        msp_pass_through=a[7],
        pps_capital=a[8],
        pps_capital_fsp_drg=a[9],
        pps_capital_hsp_drg=a[10],
        pps_capital_dsh_drg=a[11],
        old_capital=a[12],
        pps_capital_ime=a[13],
        pps_operating_hsp_drg=a[14],
        cost_report_days=q[2],
        pps_operating_fsp_drg=a[16],
        pps_capital_outlier=a[17],
        indirect_teaching=a[18],
        nonpayable_professional_component=a[19],
        pps_capital_exception=a[24],
        segment=reader._seg0 + i + 1,
    )


def _outpatient(reader: Reader, e: list[str], i: int) -> OutpatientAdjudication:
    """The record of an MOA segment (its numbers read and reported by ``reader``)."""
    (rate,) = reader._numbers_at(e, "MOA", (1,), QUANTITY_DIGITS, i)
    hcpcs, esrd, professional = reader._numbers_at(e, "MOA", _MOA_AMOUNTS, AMOUNT_DIGITS, i)
    return OutpatientAdjudication(
        reimbursement_rate=rate,
        hcpcs_payable=hcpcs,
        remarks=_remarks(e, _MOA_REMARKS),
        esrd_payment=esrd,
        nonpayable_professional_component=professional,
        segment=reader._seg0 + i + 1,
    )


def _text(value: str | None) -> str | None:
    """A free-text header value (a city, a contact's name) as :func:`text` reads one."""
    return text(value) if value else value


def _not_x12(buf: str, base: int) -> str:
    """What the data that is not X12 looks like, when that helps (never a value of it)."""
    if buf.startswith("\x1f\x8b"):
        return " (it is gzip-compressed: decompress it first)"
    if buf.startswith("PK\x03\x04"):
        return " (it is a ZIP archive: extract the 835 from it first)"
    if buf.startswith(("\xff\xfe", "\xfe\xff")) or "I\x00S\x00A\x00" in buf[:8]:
        return " (it is UTF-16 text: save it as ASCII or UTF-8)"
    k = buf.find("ISA", 0, _LOOKAHEAD)
    if k > 0:
        return f" (an ISA segment starts at byte {base + k}: remove what comes before it)"
    return ""


def _int(e: list[str], k: int) -> int | None:
    if k < len(e):
        s = e[k].strip(_WS)
        if s.isdigit():
            return int(s)
    return None


def _upper_id(segment: str) -> str:
    """``segment`` with its id (the first three characters, or two and the separator) in
    upper case."""
    head = segment[:3]
    return head.upper() + segment[3:] if head.isascii() else segment


def _unwrapped(text: str) -> str:
    """``text`` without its line breaks (those of a file wrapped at a fixed width)."""
    return text.replace("\r", "").replace("\n", "")


def _split(buf: str, tchar: str, eff: str, eof: bool = True) -> tuple[list[str], int]:
    """``buf`` cut into pieces, one per segment, and the length of the text between two.

    When every terminator comes with the same line break (``"~\n"``), ``buf`` is split on
    the terminator and line break together; otherwise on the terminator alone. Either way a
    piece may still have blanks around it, which the caller strips. Before the end of the
    data the last piece is carried over to the next chunk and checked there, so a chunk that
    ends between a terminator and its line break keeps the split on both.
    """
    if len(eff) > 1 and eff.startswith(tchar):
        raw = buf.split(eff)
        if len(raw) - 1 == buf.count(tchar) - (0 if eof else raw[-1].count(tchar)):
            return raw, len(eff)
    return buf.split(tchar), 1


def _too_long(segment: int, offset: int) -> X12ParseError:
    return X12ParseError(
        f"a claim has more than {MAX_CLAIM_SEGMENTS:,} segments, the reader's limit for one "
        "claim: the file is not a plausible 835",
        segment=segment,
        offset=offset,
    )


def _required(e: list[str], tag: str, k: int) -> tuple[Decimal, Decimal]:
    """The two required amounts at ``k`` and ``k + 1`` (a charge and a payment).

    Raises:
        NumberError: one is missing, empty or not an X12 number.
    """
    n = len(e)
    return (
        fast_number(e[k] if k < n else "", f"{tag}{k:02d}"),
        fast_number(e[k + 1] if k + 1 < n else "", f"{tag}{k + 1:02d}"),
    )


def _number_message(exc: NumberError) -> str:
    if exc.empty:
        return f"{exc.element} is empty: the 835 requires a number there"
    return (
        f"{exc.element} is not an X12 number (an optional minus, digits and at most one "
        "decimal point; no plus sign, exponent, separator or space; at most "
        f"{AMOUNT_DIGITS} digits for an amount, {QUANTITY_DIGITS} for a quantity)"
    )
