"""How fast can a pure-Python 835 reader go? Floors for the reader, measured against oxedi.

    python benchmarks/floor_remit.py [--mb 10] [--repeat 5]

Evidence for the speed target of issue 10 (the denial workflow at least as fast as
``oxedi.stream``, Rust, in the same run). Each floor does part of the reader's work on the
same bytes, without the rest; ``claims()`` must do all of it, so a floor's speed bounds what
a reader built this way can reach. They are measurements, not proofs that no other design
could do better. Three floors, each read from two files of ``--mb`` MB, one that repeats the
fixture's claims and one whose claims all have amounts of their own (``build_835.py
--vary``, as ``bench_remit.py`` reads):

- ``balance_only``: finds the CLP, SVC and CAS segments of each chunk with one regular
  expression (in C), reads their amounts as ``Decimal`` and checks that every line and claim
  balances; no record, check or location;
- ``records_only``: makes only the records the denial workflow touches (an ``Adjustment``
  per CAS triplet, a ``ServiceLine`` per SVC, a ``ClaimPayment`` per CLP, every amount a
  ``Decimal``) from a plain split, with no check, code, date, name, reference or location;
- ``reader_floor``: what the reader must do for the denial workflow, and nothing else: the
  same records with their real values (codes resolved, dates, remarks, references, amounts,
  names, segments, exact byte offsets), whitespace stripped around every segment, every
  amount and quantity checked against the X12 R grammar, lines and claims balanced exactly,
  status codes, entity types and unknown segments checked; it gives the same records as
  ``claims()`` on these files. It checks no envelope and reports nothing.

Also measured, in turns with the floors: a plain split (the ceiling), the reader itself on
the denial workflow, and ``oxedi.stream`` reading its adjustment rows through pyarrow
``to_pydict()`` when oxedi is installed (``nox -s bench``). The output gives each speed,
its ratio to the split, the reader's speed over ``reader_floor``'s, and the floor's and the
reader's speed over oxedi's (at least 1.0 means as fast as oxedi). Times are CPU times
(``time.process_time``, best of ``--repeat`` rounds), steadier than wall-clock time on a
shared machine.
"""

from __future__ import annotations

import argparse
import gc
import importlib
import importlib.util
import re
import sys
import tempfile
import time
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from build_835 import build

from denialkit.remit._reader import CHUNK_SIZE as CHUNK  # the reader's own reads

_TOKENS = re.compile(r"(?:^|~\n)(CLP|SVC|CAS)\*([^~]*)")


def baseline_split(path: Path) -> int:
    """Plain-Python segment-and-element split: the ceiling for pure Python."""
    n = 0
    rest = ""
    with path.open("rb") as f:
        while chunk := f.read(CHUNK):
            text = rest + chunk.decode("latin-1")
            segs = text.split("~")
            rest = segs.pop()
            for seg in segs:
                n += len(seg.split("*"))
    return n


def balance_only(path: Path) -> tuple[int, int]:
    """Claims read and lines or claims that do not balance (both must be exact)."""
    zero = Decimal(0)
    claims = unbalanced = 0
    charge = paid = cadj = ladj = lcharge = lpaid = zero
    line = False
    rest = ""

    def close_line() -> None:
        nonlocal cadj, unbalanced
        if lcharge - lpaid != ladj:
            unbalanced += 1
        cadj += ladj

    with path.open("rb") as f:
        while chunk := f.read(CHUNK):
            text = rest + chunk.decode("latin-1")
            end = text.rfind("~\n") + 2
            rest = text[end:]
            for tag, body in _TOKENS.findall(text, 0, end):
                e = body.split("*")
                if tag == "CAS":
                    amount = sum(map(Decimal, e[2::3]), zero)
                    if line:
                        ladj += amount
                    else:
                        cadj += amount
                elif tag == "SVC":
                    if line:
                        close_line()
                    lcharge, lpaid, ladj, line = Decimal(e[1]), Decimal(e[2]), zero, True
                else:
                    if line:
                        close_line()
                        line = False
                    if claims and charge - paid != cadj:
                        unbalanced += 1
                    claims += 1
                    charge, paid, cadj = Decimal(e[2]), Decimal(e[3]), zero
    if line:
        close_line()
    if claims and charge - paid != cadj:
        unbalanced += 1
    return claims, unbalanced


def records_only(path: Path) -> int:
    """Split, and make the records the denial workflow touches; returns the claims made."""
    from denialkit.remit._records import (
        Adjustment,
        ClaimPayment,
        RemittanceHeader,
        ServiceLine,
    )

    header = RemittanceHeader(control_number="")
    new = tuple.__new__
    D = Decimal
    claims = 0
    adj: list[Adjustment] = []
    lines: list[ServiceLine] = []
    svc: tuple[Decimal, Decimal] | None = None
    rest = ""

    def line() -> ServiceLine:
        assert svc is not None
        return new(
            ServiceLine,
            (len(lines) + 1, "HC", "", (), None, svc[0], svc[1], None, None, None, None,
             None, None, (), tuple(adj), (), (), None, (), None, (), 0),
        )  # fmt: skip

    with path.open("rb") as f:
        while chunk := f.read(CHUNK):
            text = rest + chunk.decode("latin-1")
            segs = text.split("~\n")
            rest = segs.pop()
            for seg in segs:
                e = seg.split("*")
                tag = e[0]
                if tag == "CAS":
                    adj.append(new(Adjustment, (e[1], e[2], D(e[3]), None, None)))
                elif tag == "SVC":
                    if svc is not None:
                        lines.append(line())
                    svc, adj = (D(e[2]), D(e[3])), []
                elif tag == "CLP":
                    if svc is not None:
                        lines.append(line())
                        svc = None
                    pr = D(e[5]) if e[5] else None
                    ClaimPayment(header, (), e, D(e[3]), D(e[4]), pr, 0, 0, True,
                                 (), (), tuple(adj), (), (), (), tuple(lines))  # fmt: skip
                    claims += 1
                    adj, lines = [], []
    return claims


#: The segments that end a claim; and the claim segments the floor builds no record from.
_CLAIM_END = frozenset(
    {"CLP", "LX", "TS3", "TS2", "PLB", "SE", "ST", "GS", "GE", "ISA", "IEA", "N1", "BPR", "TRN"}
)
_NUMBERS = {"MOA": (1, 2, 8, 9), "MIA": (1, 2, 3, 4, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16),
            "QTY": (2,)}  # fmt: skip
_STATUS = frozenset({"1", "2", "3", "4", "19", "20", "21", "22", "23", "25"})


def reader_floor(path: Path) -> tuple[int, int]:
    """The least a one-pass reader must do for the denial workflow, with nothing else.

    Per chunk: split on the terminator, strip the blanks around every piece (one ``map``),
    and a running sum of the piece lengths for exact byte offsets. Per segment: one split
    into elements and a dispatch on the id. It makes the records the reader hands out, with
    their real values: an ``Adjustment`` per CAS with its code resolved (remembered per
    group and reason), a ``ServiceLine`` with procedure, modifiers, dates, remarks,
    references, allowed amount and units, and a ``ClaimPayment`` with its dates, remarks,
    references, amounts, names (raw), segments and exact byte offset. Every amount and
    quantity it reads is checked against the X12 R grammar (length, and no character other
    than digits, ``-`` and ``.``) before it becomes a ``Decimal``; lines and claims are
    balanced exactly; claim status codes and NM1 entity types are checked; a segment a claim
    cannot hold is counted as unknown. It checks no envelope, count, control number or
    header, builds no header, reads no PLB, reports nothing (a problem is only counted) and
    recovers from nothing: the reader does all that on top, so this bounds what a pure-Python
    reader of this design can reach. Returns the claims made and the problems counted.
    """
    from datetime import date
    from itertools import accumulate, repeat

    from denialkit.remit._detail import parse_date, resolve
    from denialkit.remit._records import (
        Adjustment,
        ClaimPayment,
        RemittanceHeader,
        ServiceLine,
    )

    header = RemittanceHeader(control_number="")
    new = tuple.__new__
    D = Decimal
    zero = Decimal(0)
    nums = "0123456789.-"
    ws = " \t\r\n"
    strip, split = str.strip, str.split
    codes: dict[str, object] = {}
    dcache: dict[str, date] = {}
    claims = problems = 0
    t_charge = t_paid = zero
    base = seg0 = 0
    # the open claim and its open line (svc is None outside a line)
    open_claim = False
    clp: list[str] = []
    charge = paid = cadj = ladj = lcharge = lpaid = zero
    pr: Decimal | None = zero
    units: Decimal | None = None
    svc: list[str] | None = None
    coff = cseg = lseg = cstart = 0
    craw: list[str] = []
    names: list[list[str]] = []
    lines: list[ServiceLine] = []
    c_dates: list[tuple[str, date]] = []
    c_adj: list[Adjustment] = []
    c_remarks: list[str] = []
    c_refs: list[tuple[str, str]] = []
    c_amounts: list[tuple[str, Decimal]] = []
    dates, adj, remarks, refs, amounts = c_dates, c_adj, c_remarks, c_refs, c_amounts

    def close_line() -> ServiceLine:
        nonlocal problems
        assert svc is not None
        if lcharge - lpaid != ladj:
            problems += 1
        parts = svc[1].split(":")
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
        other = []
        for q, v in refs:
            if q == "6R" and control is None:
                control = v
            else:
                other.append((q, v))
        allowed = None
        for q, a in amounts:
            if q == "B6":
                allowed = a
                break
        return new(
            ServiceLine,
            (len(lines) + 1, parts[0], parts[1] if len(parts) > 1 else "",
             tuple(filter(None, parts[2:6])) if len(parts) > 2 else (), None, lcharge, lpaid,
             svc[4] or None if len(svc) > 4 else None, units, None, None, start, end,
             tuple(dates), tuple(adj), tuple(remarks), (), control, tuple(other), allowed,
             tuple(amounts), lseg),
        )  # fmt: skip

    rest = ""
    with path.open("rb") as f:
        while True:
            chunk = f.read(CHUNK)
            eof = not chunk
            text = rest + chunk.decode("latin-1")
            raw = text.split("~\n")
            rest = "" if eof else raw.pop()
            segs = list(map(strip, raw, repeat(ws)))
            starts: list[int] | None = None
            for i, e in enumerate(map(split, segs, repeat("*"))):
                tag = e[0]
                if tag == "DTM":
                    v = e[2]
                    d = dcache.get(v)
                    if d is None:
                        d = dcache[v] = parse_date(v)
                    dates.append((e[1], d))
                elif tag == "CAS":
                    g = e[1]
                    for k in range(2, len(e), 3):
                        t = e[k + 1]
                        if len(t) > 18 or t.strip(nums):
                            problems += 1
                            continue
                        a = D(t)
                        if k + 2 < len(e) and e[k + 2]:
                            q = e[k + 2]
                            if len(q) > 15 or q.strip(nums):
                                problems += 1
                        key = g + "-" + e[k]
                        code = codes.get(key, codes)
                        if code is codes:
                            code = codes[key] = resolve(g, e[k])
                        adj.append(new(Adjustment, (g, e[k], a, None, code)))
                        cadj += a
                        if svc is not None:
                            ladj += a
                elif tag == "SVC":
                    if svc is not None:
                        lines.append(close_line())
                    x, y, u = e[2], e[3], e[5]
                    if len(x) > 18 or len(y) > 18 or len(u) > 15 or (x + y + u).strip(nums):
                        problems += 1
                    lcharge, lpaid, ladj, units = D(x), D(y), zero, D(u) if u else None
                    svc, lseg = e, seg0 + i + 1
                    dates, adj, remarks, refs, amounts = [], [], [], [], []
                elif tag == "REF":
                    refs.append((e[1], e[2]))
                elif tag == "NM1":
                    if svc is not None or e[2] not in ("1", "2"):
                        problems += 1
                    names.append(e)
                elif tag == "AMT":
                    v = e[2]
                    if len(v) > 18 or v.strip(nums):
                        problems += 1
                    amounts.append((e[1], D(v)))
                elif tag == "LQ":
                    remarks.append(e[2])
                elif tag == "CLP" or tag in _CLAIM_END:
                    if open_claim:
                        if svc is not None:
                            lines.append(close_line())
                            svc = None
                        if charge - paid != cadj:
                            problems += 1
                        ClaimPayment(
                            header, craw + segs[cstart:i] if craw else segs[cstart:i], clp,
                            charge, paid, pr, cseg, coff, True, names, tuple(c_dates),
                            tuple(c_adj), tuple(c_remarks), tuple(c_refs), tuple(c_amounts),
                            tuple(lines), (),
                        )  # fmt: skip
                        claims += 1
                        open_claim = False
                    if tag != "CLP":
                        continue  # a segment of the envelope, the header or a PLB
                    x, y, z = e[3], e[4], e[5]
                    if len(x) > 18 or len(y) > 18 or len(z) > 18 or (x + y + z).strip(nums):
                        problems += 1
                    if e[2] not in _STATUS:
                        problems += 1
                    charge, paid, pr = D(x), D(y), D(z) if z else zero
                    t_charge += charge
                    t_paid += paid
                    if starts is None:
                        starts = list(accumulate(map(len, raw), initial=0))
                    p = raw[i]
                    coff = base + starts[i] + 2 * i + len(p) - len(p.lstrip(ws))
                    cseg, cstart, clp, cadj, open_claim = seg0 + i + 1, i, e, zero, True
                    craw, names, lines = [], [], []
                    c_dates, c_adj, c_remarks, c_refs, c_amounts = [], [], [], [], []
                    dates, adj, remarks, refs, amounts = (
                        c_dates, c_adj, c_remarks, c_refs, c_amounts
                    )  # fmt: skip
                elif open_claim:
                    positions = _NUMBERS.get(tag)
                    if positions is not None:
                        for k in positions:
                            x = e[k] if k < len(e) else ""
                            if len(x) > 18 or x.strip(nums):
                                problems += 1
                        if tag == "MOA":
                            remarks.extend(x for x in e[3:8] if x)
                    elif tag != "PER":
                        problems += 1  # an unknown segment: the reader keeps it
            if open_claim:
                craw.extend(segs[cstart:])
                cstart = 0
            seg0 += len(raw)
            base += len(text) - len(rest)
            if eof:
                return claims, problems


def denial_workflow(path: Path) -> int:
    """The reader itself on the denial workflow (as ``bench_remit.py`` measures it)."""
    from denialkit import remit

    n = 0
    for claim in remit.claims(path):
        n += len(claim.adjustments)
        for line in claim.lines:
            n += len(line.adjustments)
    return n


def oxedi_stream(path: Path) -> int:
    """oxedi's stream (Rust), its adjustment rows read into Python through pyarrow."""
    oxedi = importlib.import_module("oxedi")  # optional: the bench session installs it
    pa = importlib.import_module("pyarrow")
    n = 0
    for batch in oxedi.stream(path.read_bytes()):
        n += len(pa.table(batch.tables["adjustments"]).to_pydict()["amount"])
    return n


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--mb", type=float, default=10.0, help="size of each file")
    ap.add_argument("--repeat", type=int, default=5, help="rounds (best of)")
    args = ap.parse_args(argv)
    measures: list[tuple[str, Callable[[Path], object]]] = [
        ("plain split", baseline_split),
        ("balancing only", balance_only),
        ("records only", records_only),
        ("reader floor", reader_floor),
        ("the reader (denial workflow)", denial_workflow),
    ]
    if all(importlib.util.find_spec(m) for m in ("oxedi", "pyarrow")):
        measures.append(("oxedi.stream + to_pydict", oxedi_stream))
    with tempfile.TemporaryDirectory() as tmp:
        for label, vary in (("claims repeated", False), ("amounts varied", True)):
            path = Path(tmp, f"{vary}.835")
            size = build(path, args.mb, vary=vary)
            found, problems = balance_only(path), reader_floor(path)
            best = [float("inf")] * len(measures)
            for _ in range(args.repeat):  # in turns, each keeps its best CPU time
                for k, (_, fn) in enumerate(measures):
                    gc.collect()
                    t = time.process_time()
                    fn(path)
                    best[k] = min(best[k], time.process_time() - t)
            print(
                f"{label} ({size / 1e6:.1f} MB, {found[0]} claims, {found[1]} unbalanced, "
                f"{problems[1]} problems; CPU, best of {args.repeat}):"
            )
            for (name, _), secs in zip(measures, best, strict=True):
                print(
                    f"  {name:<30} {size / secs / 1e6:6.1f} MB/s  {best[0] / secs:5.2f}x the split"
                )
            times = dict(zip((name for name, _ in measures), best, strict=True))
            floor, ours = times["reader floor"], times["the reader (denial workflow)"]
            print(f"  speed of the reader / the reader floor  {floor / ours:5.2f}x")
            if "oxedi.stream + to_pydict" in times:
                oxedi = times["oxedi.stream + to_pydict"]
                print(
                    f"  speed of the reader floor / oxedi       {oxedi / floor:5.2f}x (the most "
                    "a reader of this design reaches)\n"
                    f"  speed of the reader / oxedi             {oxedi / ours:5.2f}x (the "
                    "target: at least 1.0)"
                )
            else:
                print("  oxedi: not installed (pip install oxedi pyarrow)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
