"""Benchmark the 835 reader against a plain split, the floors of floor_remit and oxedi (Rust).

    python benchmarks/bench_remit.py [--mb 100] [--small-mb 10] [--competitor-mb 10]
                                     [--repeat 3] [--no-memory]

Builds a synthetic 835 of ``--mb`` MB whose claims all have amounts of their own
(``build_835.py --vary``, as in a real remittance) in a temporary directory, then measures,
in this one run and in turns, round after round (each keeps its best time):

- the denial workflow (issue 10): iterate ``remit.claims()``, touch every claim's
  ``.adjustments`` and every line's ``.adjustments``;
- ``oxedi.stream`` (Rust, when installed: ``nox -s bench`` installs it), reading its
  adjustment rows through pyarrow ``to_pydict()`` (every amount a ``Decimal``): the target is
  denialkit >= 1.0x oxedi;
- a plain-Python segment-and-element split of the same bytes (the ceiling for pure Python);
- ``floor_remit.balance_only``: only the exact balancing of lines and claims, no records;
- ``floor_remit.reader_floor``: what the reader must do for the workflow and nothing else
  (the same records, whitespace stripped, amounts checked against the X12 grammar, lines and
  claims balanced exactly, exact offsets; no envelope check, no report): the most a pure-Python
  reader of this design can reach, so a ``reader floor / oxedi`` speed ratio below 1.0 means
  the target is out of reach for such a reader.

Both wall-clock and CPU time (``time.process_time``) are shown: on a shared machine the CPU
ratio is the steadier one. Also measured:

- 835 parsers from PyPI when installed (``edi-835-parser``; ``pyx12``'s ``X12Reader``, a
  segment reader only), on a ``--competitor-mb`` file;
- peak memory of the denial workflow in a fresh subprocess (RSS and tracemalloc), for the
  large file and for the ``--small-mb`` one (target: under 100 MB, within 20% of each other).

``bench_remit_memory.py`` measures memory on hostile shapes. The numbers are for people;
nothing here is a timed assertion.
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
from floor_remit import balance_only, baseline_split, reader_floor
from floor_remit import denial_workflow as ours_full  # every claim's and line's adjustments
from floor_remit import oxedi_stream as oxedi_adjustments  # amounts read as Decimal


def ours_claims(path: Path) -> int:
    from denialkit import remit

    return sum(1 for _ in remit.claims(path))


def floor_balance(path: Path) -> int:
    return balance_only(path)[0]


def floor_reader(path: Path) -> int:
    return reader_floor(path)[0]


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
    """The best wall-clock time of each function, running them in turn in each round."""
    return [w for w, _ in alternating_cpu(fns, path, rounds)]


def alternating_cpu(
    fns: tuple[Callable[[Path], int], ...], path: Path, rounds: int
) -> list[tuple[float, float]]:
    """The best wall-clock and CPU time of each function, run in turn in each round."""
    best = [(float("inf"), float("inf"))] * len(fns)
    for _ in range(rounds):
        for k, fn in enumerate(fns):
            gc.collect()
            t, c = time.perf_counter(), time.process_time()
            fn(path)
            wall, cpu = time.perf_counter() - t, time.process_time() - c
            best[k] = (min(best[k][0], wall), min(best[k][1], cpu))
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
    n += len(claim.adjustments)
    for line in claim.lines:
        n += len(line.adjustments)
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
    ap.add_argument("--repeat", type=int, default=3, help="rounds (best of)")
    ap.add_argument("--no-memory", action="store_true", help="skip the memory measurements")
    args = ap.parse_args(argv)

    with tempfile.TemporaryDirectory() as tmp:
        big, small, comp = Path(tmp, "big.835"), Path(tmp, "small.835"), Path(tmp, "comp.835")
        print(
            f"building {args.mb:g} MB and {args.small_mb:g} MB (amounts varied) and "
            f"{args.competitor_mb:g} MB synthetic 835s from tests/remit/data/basic.835 ..."
        )
        size = build(big, args.mb, vary=True)
        small_size = build(small, args.small_mb, vary=True)
        comp_size = build(comp, args.competitor_mb)
        print(f"python {sys.version.split()[0]}, {os.cpu_count()} CPUs\n")

        def mbps(sz: int, secs: float) -> float:
            return sz / secs / 1e6

        have_oxedi = all(importlib.util.find_spec(m) for m in ("oxedi", "pyarrow"))
        fns: list[tuple[str, Callable[[Path], int]]] = [
            ("plain split (ceiling)", baseline_split),
            ("floor_remit balance only", floor_balance),
            ("floor_remit reader floor", floor_reader),
            ("denialkit denial workflow", ours_full),
            ("denialkit claims() only", ours_claims),
        ]
        if have_oxedi:
            fns.append(("oxedi.stream + to_pydict", oxedi_adjustments))
        print(
            f"the denial workflow on {size / 1e6:.1f} MB (amounts varied; in turns, best of "
            f"{args.repeat} rounds; MB/s wall-clock and CPU):"
        )
        times = alternating_cpu(tuple(fn for _, fn in fns), big, args.repeat)
        by_name = dict(zip((name for name, _ in fns), times, strict=True))
        for name, (wall, cpu) in by_name.items():
            print(f"  {name:<28} {mbps(size, wall):7.1f} MB/s  {mbps(size, cpu):7.1f} MB/s CPU")
        ours_wall, ours_cpu = by_name["denialkit denial workflow"]
        for name in (
            "plain split (ceiling)",
            "floor_remit balance only",
            "floor_remit reader floor",
        ):
            wall, cpu = by_name[name]
            print(
                f"  denialkit workflow / {name:<26} {wall / ours_wall:5.2f}x wall  "
                f"{cpu / ours_cpu:5.2f}x CPU"
            )
        if have_oxedi:
            wall, cpu = by_name["oxedi.stream + to_pydict"]
            print(
                f"  denialkit workflow / oxedi{'':<21} {wall / ours_wall:5.2f}x wall  "
                f"{cpu / ours_cpu:5.2f}x CPU   (target >= 1.0)"
            )
            floor_wall, floor_cpu = by_name["floor_remit reader floor"]
            print(
                f"  floor_remit reader floor / oxedi{'':<15} {wall / floor_wall:5.2f}x wall  "
                f"{cpu / floor_cpu:5.2f}x CPU   (the most a reader of this design reaches)"
            )
        else:
            print("  oxedi: skipped, not installed (pip install oxedi pyarrow)")

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
        print("\npeak memory of the denial workflow, in a fresh process (target < 100 MB):")
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
