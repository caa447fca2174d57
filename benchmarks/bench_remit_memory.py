"""Peak memory and time of the 835 reader on hostile shapes (issue 16, point 6).

    python benchmarks/bench_remit_memory.py [--scale 1.0]

Each shape is written to a temporary file and read in a fresh process (``remit.summary``,
which streams every claim and remittance), so that the peak resident memory (``VmHWM``) is
the reader's alone. The shapes, at ``--scale 1``:

- 2 million REF segments in one header (past the header cap: an error, early);
- 2 million PLB segments in one transaction set (past the PLB cap: an error, early);
- one claim with a million CAS segments (past the claim cap: an error, early);
- a million empty interchanges, then a valid 835 (read in place, never re-split);
- 300 KB of blanks before a valid 835 (skipped);
- for comparison, a valid 100 MB 835 (``build_835.py --vary``) read the same way.

Every figure must stay under 100 MB. The numbers are for people; nothing here is a timed
assertion.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from build_835 import FIXTURE, build

_CHILD = """
import json, sys, time
from denialkit import remit
from denialkit.exceptions import X12ParseError
import warnings
warnings.simplefilter("ignore")
t = time.perf_counter()
try:
    s = remit.summary(sys.argv[1])
    outcome = f"read: {s.claims} claims"
except X12ParseError as exc:
    outcome = "X12ParseError: " + str(exc).split(": ", 1)[1][:60]
elapsed = time.perf_counter() - t
with open("/proc/self/status") as f:
    hwm = next(int(x.split()[1]) for x in f if x.startswith("VmHWM:"))
print(json.dumps({"outcome": outcome, "seconds": elapsed, "hwm_kb": hwm}))
"""

BASIC = FIXTURE.read_bytes()
ISA = BASIC[: BASIC.index(b"~") + 2]
HEAD, TAIL = BASIC.split(b"DTM*405*20260415~\n", 1)


def _header_refs(path: Path, n: int) -> None:
    with path.open("wb") as f:
        f.write(HEAD + b"DTM*405*20260415~\n")
        for _ in range(n // 1000):
            f.write(b"REF*EV*VALLEYFAMILY~\n" * 1000)
        f.write(TAIL)


def _plb(path: Path, n: int) -> None:
    before, after = BASIC.split(b"SE*114*0001~", 1)
    with path.open("wb") as f:
        f.write(before)
        for _ in range(n // 1000):
            f.write(b"PLB*1234567893*20261231*WO:OVP1001*15~\n" * 1000)
        f.write(b"SE*114*0001~" + after)


def _one_claim(path: Path, n: int) -> None:
    before, after = BASIC.split(b"CAS*CO*197*300~\n", 1)
    with path.open("wb") as f:
        f.write(before + b"CAS*CO*197*300~\n")
        for _ in range(n // 1000):
            f.write(b"CAS*CO*45*0~\n" * 1000)
        f.write(after)


def _interchanges(path: Path, n: int) -> None:
    empty = ISA + b"IEA*0*000000101~\n"
    with path.open("wb") as f:
        for _ in range(n // 1000):
            f.write(empty * 1000)
        f.write(BASIC)


def _leading_blanks(path: Path, n: int) -> None:
    path.write_bytes(b" \n" * (n // 2) + BASIC)


def _valid(path: Path, n: int) -> None:
    build(path, n / 1e6, vary=True)


SHAPES: list[tuple[str, Callable[[Path, int], None], int]] = [
    ("2M header REF segments", _header_refs, 2_000_000),
    ("2M PLB segments", _plb, 2_000_000),
    ("one claim with 1M CAS segments", _one_claim, 1_000_000),
    ("1M empty interchanges", _interchanges, 1_000_000),
    ("300 KB of leading whitespace", _leading_blanks, 300_000),
    ("a valid 100 MB 835 (--vary)", _valid, 100_000_000),
]


def measure(path: Path) -> dict[str, object]:
    out = subprocess.run(
        [sys.executable, "-c", _CHILD, str(path)], check=True, capture_output=True, text=True
    )
    return json.loads(out.stdout)  # type: ignore[no-any-return]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--scale", type=float, default=1.0, help="multiply every shape's size")
    args = ap.parse_args(argv)
    print("hostile 835 shapes, remit.summary() in a fresh process (target: < 100 MB each)")
    worst = 0.0
    with tempfile.TemporaryDirectory() as tmp:
        for label, make, n in SHAPES:
            path = Path(tmp, "shape.835")
            make(path, max(1000, int(n * args.scale)))
            size = path.stat().st_size
            t = time.perf_counter()
            r = measure(path)
            _ = time.perf_counter() - t
            peak = int(r["hwm_kb"]) / 1024  # type: ignore[call-overload]
            worst = max(worst, peak)
            print(
                f"  {label:<34} {size / 1e6:7.1f} MB file  peak RSS {peak:6.1f} MB  "
                f"{float(r['seconds']):6.2f} s  {r['outcome']}"  # type: ignore[arg-type]
            )
            path.unlink()
    print(f"  worst peak {worst:.1f} MB ({'under' if worst < 100 else 'OVER'} 100 MB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
