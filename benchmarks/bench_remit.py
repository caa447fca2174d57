"""Benchmark the 835 reader against a plain split and against 835 parsers from PyPI.

    python benchmarks/bench_remit.py [--mb 100] [--small-mb 10] [--competitor-mb 10]
                                     [--repeat 5] [--no-memory]

Builds a synthetic 835 of ``--mb`` MB from our own fixture's claims (valid envelopes,
balanced transactions) in a temporary directory, then measures, in this one run:

- baseline: a plain-Python segment-and-element split of the same bytes (read in chunks of
  the reader's own size, Latin-1 decode, ``str.split`` on the terminator, ``str.split`` of
  every segment on the element separator, counting the elements): the ceiling for pure
  Python;
- ``remit.claims()``: read with every check (counts, control numbers, balancing of every
  line, claim and transaction, codes), claims streamed (details parsed on first use);
- ``remit.claims()`` + details: the same, touching every line and adjustment (resolved codes).

The large file repeats the fixture's claims, so the same segment text comes back again and
again. The same ratio is also measured on a file of ``--vary-mb`` MB whose claims each have
amounts of their own (every amount scaled by a factor per claim), as in a real remittance: a
reader that remembered segments it had seen would look faster on the first file only.
``floor_remit.py`` measures how fast a reader can go that does nothing but the exact balancing.

The three run one after the other in each of ``--repeat`` rounds, and each keeps its best
time, so that a slow moment of the machine hits all three alike. For quick iterations use a
smaller file (``--mb 20``) and skip the memory part (``--no-memory``). Also measured:

- 835 parsers from PyPI when installed (``edi-835-parser``; ``pyx12``'s ``X12Reader``, a
  segment reader only), on a ``--competitor-mb`` file (they are slow; throughput in MB/s is
  compared), each skipped cleanly when not installed;
- peak memory of ``claims()`` + details in a fresh subprocess (RSS and tracemalloc), for the
  large file and for the ``--small-mb`` one.

Ratios are printed against the baseline and the fastest PyPI parser measured. The numbers
are for people; nothing here is a timed assertion.
"""

from __future__ import annotations

import argparse
import gc
import importlib.util
import json
import os
import subprocess
import sys
import tempfile
import time
import warnings
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from build_835 import build

from denialkit.remit._reader import CHUNK_SIZE as CHUNK  # the same reads as the reader


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


def ours_claims(path: Path) -> int:
    from denialkit import remit

    return sum(1 for _ in remit.claims(path))


def ours_full(path: Path) -> int:
    from denialkit import remit

    n = 0
    for claim in remit.claims(path):
        claim.patient  # noqa: B018 - parse the details
        for line in claim.lines:
            n += len(line.adjustments)
        n += len(claim.adjustments)
    return n


def edi_835_parser_parse(path: Path) -> int:
    edi_835_parser = importlib.import_module("edi_835_parser")  # optional, untyped

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        result = edi_835_parser.parse(str(path))
    return len(result.transaction_sets)


def pyx12_reader(path: Path) -> int:
    x12file = importlib.import_module("pyx12.x12file")  # optional, untyped

    n = 0
    with path.open() as f:
        for _ in x12file.X12Reader(f):
            n += 1
    return n


COMPETITORS: dict[str, tuple[str, Callable[[Path], int]]] = {
    "edi-835-parser": ("edi_835_parser", edi_835_parser_parse),
    "pyx12 X12Reader (segment reader only)": ("pyx12", pyx12_reader),
}


def alternating(fns: tuple[Callable[[Path], int], ...], path: Path, rounds: int) -> list[float]:
    """The best time of each function, running them in turn in each round."""
    best = [float("inf")] * len(fns)
    for _ in range(rounds):
        for k, fn in enumerate(fns):
            gc.collect()
            t = time.perf_counter()
            fn(path)
            best[k] = min(best[k], time.perf_counter() - t)
    return best


def timed(fn: Callable[[Path], int], path: Path, repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        gc.collect()
        t = time.perf_counter()
        fn(path)
        best = min(best, time.perf_counter() - t)
    return best


_MEMORY_SCRIPT = """
import json, resource, sys, tracemalloc
from denialkit import remit
trace = sys.argv[2] == "trace"
if trace:
    tracemalloc.start()
n = 0
for claim in remit.claims(sys.argv[1]):
    for line in claim.lines:
        n += len(line.adjustments)
    n += len(claim.adjustments)
peak = tracemalloc.get_traced_memory()[1] if trace else 0
hwm = 0
try:  # VmHWM is this process's own peak RSS (ru_maxrss can carry the parent's over exec)
    with open("/proc/self/status") as f:
        hwm = next(int(x.split()[1]) for x in f if x.startswith("VmHWM:"))
except (OSError, StopIteration):
    hwm = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"adjustments": n, "traced_peak": peak, "maxrss_kb": hwm}))
"""


def memory(path: Path, trace: bool) -> dict[str, int]:
    out = subprocess.run(
        [sys.executable, "-c", _MEMORY_SCRIPT, str(path), "trace" if trace else "rss"],
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(out.stdout)  # type: ignore[no-any-return]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--mb", type=float, default=100.0, help="size of the large file")
    ap.add_argument("--small-mb", type=float, default=10.0, help="size of the small file")
    ap.add_argument(
        "--competitor-mb", type=float, default=10.0, help="size of the file the PyPI parsers read"
    )
    ap.add_argument(
        "--vary-mb",
        type=float,
        default=10.0,
        help="size of the file whose claims all have amounts of their own",
    )
    ap.add_argument("--repeat", type=int, default=5, help="rounds (best of)")
    ap.add_argument("--no-memory", action="store_true", help="skip the memory measurements")
    args = ap.parse_args(argv)

    with tempfile.TemporaryDirectory() as tmp:
        big, small, comp = Path(tmp, "big.835"), Path(tmp, "small.835"), Path(tmp, "comp.835")
        varied = Path(tmp, "varied.835")
        print(
            f"building {args.mb:g} MB, {args.small_mb:g} MB, {args.competitor_mb:g} MB and "
            f"{args.vary_mb:g} MB (amounts varied) synthetic 835s from "
            "tests/remit/data/basic.835 ..."
        )
        size = build(big, args.mb)
        small_size = build(small, args.small_mb)
        comp_size = build(comp, args.competitor_mb)
        varied_size = build(varied, args.vary_mb, vary=True)
        print(f"python {sys.version.split()[0]}, {os.cpu_count()} CPUs\n")

        def mbps(sz: int, secs: float) -> float:
            return sz / secs / 1e6

        print(f"throughput on {size / 1e6:.1f} MB (alternating, best of {args.repeat} rounds):")
        t_base, t_claims, t_full = alternating(
            (baseline_split, ours_claims, ours_full), big, args.repeat
        )
        print(f"  baseline split              {mbps(size, t_base):7.1f} MB/s")
        print(
            f"  denialkit claims()          {mbps(size, t_claims):7.1f} MB/s   "
            f"ratio to baseline {t_base / t_claims:.2f} (target >= 0.5)"
        )
        print(
            f"  denialkit claims()+details  {mbps(size, t_full):7.1f} MB/s   "
            f"ratio to baseline {t_base / t_full:.2f}"
        )

        print(
            f"\nthe same on {varied_size / 1e6:.1f} MB whose claims all have amounts of their own:"
        )
        v_base, v_claims = alternating((baseline_split, ours_claims), varied, args.repeat)
        print(f"  baseline split              {mbps(varied_size, v_base):7.1f} MB/s")
        print(
            f"  denialkit claims()          {mbps(varied_size, v_claims):7.1f} MB/s   "
            f"ratio to baseline {v_base / v_claims:.2f} (target >= 0.5)"
        )

        print(f"\nagainst PyPI 835 parsers on {comp_size / 1e6:.1f} MB (best of 1):")
        c_claims = timed(ours_claims, comp, 1)
        c_full = timed(ours_full, comp, 1)
        print(f"  denialkit claims()          {mbps(comp_size, c_claims):7.1f} MB/s")
        print(f"  denialkit claims()+details  {mbps(comp_size, c_full):7.1f} MB/s")
        fastest: tuple[str, float] | None = None
        for name, (module, fn) in COMPETITORS.items():
            if importlib.util.find_spec(module) is None:
                print(f"  {name:<40} skipped: not installed (pip install {name.split()[0]})")
                continue
            try:
                t = timed(fn, comp, 1)
            except Exception as exc:  # a competitor failing is reported, not fatal
                print(f"  {name:<40} failed: {type(exc).__name__}")
                continue
            rate = mbps(comp_size, t)
            print(f"  {name:<40} {rate:7.2f} MB/s")
            if fastest is None or rate > fastest[1]:
                fastest = (name, rate)
        if fastest is not None:
            ours = mbps(comp_size, c_full)
            print(
                f"  ratio of claims()+details to the fastest ({fastest[0]}): "
                f"{ours / fastest[1]:.1f}x (target >= 2)"
            )

        if args.no_memory:
            return 0
        print("\npeak memory of claims()+details, in a fresh process:")
        m_big = memory(big, trace=False)
        m_small = memory(small, trace=False)
        print(f"  {size / 1e6:6.1f} MB file: max RSS {m_big['maxrss_kb'] / 1024:6.1f} MB")
        print(
            f"  {small_size / 1e6:6.1f} MB file: max RSS {m_small['maxrss_kb'] / 1024:6.1f} MB"
            f"   ratio {m_big['maxrss_kb'] / m_small['maxrss_kb']:.2f} (target within 1.2)"
        )
        t_small = memory(small, trace=True)
        print(
            f"  {small_size / 1e6:6.1f} MB file: tracemalloc peak "
            f"{t_small['traced_peak'] / 1e6:6.1f} MB (Python allocations)"
        )
        if args.mb <= 20:
            t_big = memory(big, trace=True)
            peak = t_big["traced_peak"] / 1e6
            print(f"  {size / 1e6:6.1f} MB file: tracemalloc peak {peak:6.1f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
