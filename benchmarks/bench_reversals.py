"""The work list stays linear in a transaction set with many reversals and many denials.

    python benchmarks/bench_reversals.py [--claims 4000]

``denials()`` and the tables hold a transaction set's work to its end, and each reversal
(CLP02 22) looks for the held claim it takes back. This builds one transaction set with N
denied claims and N/2 reversals of other claims (the worst case: no reversal finds its claim,
so every one looks), at N and at 4N, and prints how the time of ``denials()`` and of
``to_records()`` grows: about 4x is linear, 16x would be the pairwise comparison the held
work's index by CLP01 avoids. The numbers are for people; nothing here is a timed assertion.
"""

from __future__ import annotations

import argparse
import time
import warnings
from collections.abc import Callable

from denialkit import remit

_HEAD = (
    "ISA*00*          *00*          *ZZ*PAYERX         *ZZ*CLINICY        *261201*1200*"
    "^*00501*000000101*0*P*:",
    "GS*HP*PAYERX*CLINICY*20261201*1200*1*X*005010X221A1",
    "ST*835*0001*005010X221A1",
    "BPR*I*0*C*CHK************20261201",
    "TRN*1*12345*1512345678",
    "N1*PR*PAYER X",
    "N1*PE*CLINIC Y*XX*1234567893",
    "LX*1",
)


def one_set(n: int) -> bytes:
    """One 835 transaction set: ``n`` denied claims, then ``n // 2`` reversals of others."""
    segs = list(_HEAD)
    for i in range(n):
        segs += [f"CLP*D{i}*4*100*0**12*ICN{i}", "SVC*HC:99213*100*0**1", "DTM*472*20261101",
                 "CAS*CO*50*100"]  # fmt: skip
    for i in range(n // 2):
        segs += [f"CLP*R{i}*22*-100*0**12*ICNR{i}", "SVC*HC:99213*-100*0**1",
                 "DTM*472*20261101", "CAS*CO*50*-100"]  # fmt: skip
    count = len(segs) - 1  # ST to SE, less the ISA and GS, plus the SE itself
    segs += [f"SE*{count}*0001", "GE*1*1", "IEA*1*000000101"]
    return "".join(s + "~\n" for s in segs).encode("latin-1")


def _best(fn: Callable[[], object], rounds: int = 3) -> float:
    best = float("inf")
    for _ in range(rounds):
        start = time.process_time()
        fn()
        best = min(best, time.process_time() - start)
    return best


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--claims", type=int, default=4000)
    n = parser.parse_args().claims
    small, large = one_set(n), one_set(4 * n)
    warnings.simplefilter("ignore")  # the sample's totals do not balance; not measured here
    for name, fn in (("denials()", remit.denials), ("to_records()", remit.to_records)):
        a = _best(lambda f=fn: list(f(small)))
        b = _best(lambda f=fn: list(f(large)))
        print(
            f"{name:13} {n:,} claims {a * 1e3:7.1f} ms, {4 * n:,} claims {b * 1e3:7.1f} ms "
            f"-> {b / a:.1f}x for 4x the claims (linear: about 4x)"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
