"""How fast can a pure-Python 835 reader go that does only the exact balancing?

    python benchmarks/floor_remit.py [--mb 10] [--repeat 5]

Evidence for the throughput target of ``bench_remit.py`` (``claims()`` at least half as fast
as a plain split). This is not a reader: it finds the CLP, SVC and CAS segments of each chunk
with one regular expression (in C), then, in Python, reads their amounts as ``Decimal`` and
checks that every line and every claim balances. It builds no record, checks no code, count,
envelope or entity type, and gives no location. ``claims()`` must do all that on top, so the
ratio printed here bounds what a reader built this way (amounts read one by one in Python)
can reach while keeping the exact balancing. It is a measurement, not a proof that no other
design could do better. Two files of the same size are read: one that repeats the fixture's
claims (as ``bench_remit.py`` does) and one whose claims all have amounts of their own.

A second floor, ``records_only``, makes only the records the denial workflow touches (an
``Adjustment`` per CAS triplet, a ``ServiceLine`` per SVC, a ``ClaimPayment`` per CLP, every
amount a ``Decimal``) from a plain split, with no check, code, date, name, reference or
location: the least any pure-Python reader that hands out these records must do. Times are
CPU times (``time.process_time``), steadier than wall-clock time on a shared machine.
"""

from __future__ import annotations

import argparse
import gc
import re
import sys
import tempfile
import time
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


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--mb", type=float, default=10.0, help="size of each file")
    ap.add_argument("--repeat", type=int, default=5, help="rounds (best of)")
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        for label, vary in (("claims repeated", False), ("amounts varied", True)):
            path = Path(tmp, f"{vary}.835")
            size = build(path, args.mb, vary=vary)
            best_split = best_floor = best_records = float("inf")
            found = (0, 0)
            for _ in range(args.repeat):
                gc.collect()
                t = time.process_time()
                baseline_split(path)
                best_split = min(best_split, time.process_time() - t)
                gc.collect()
                t = time.process_time()
                found = balance_only(path)
                best_floor = min(best_floor, time.process_time() - t)
                gc.collect()
                t = time.process_time()
                records_only(path)
                best_records = min(best_records, time.process_time() - t)
            print(
                f"{label} ({size / 1e6:.1f} MB, {found[0]} claims, {found[1]} unbalanced, CPU): "
                f"split {size / best_split / 1e6:.0f} MB/s, balancing only "
                f"{size / best_floor / 1e6:.0f} MB/s = {best_split / best_floor:.2f}x the split, "
                f"records only {size / best_records / 1e6:.0f} MB/s = "
                f"{best_split / best_records:.2f}x the split"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
