"""Benchmarks for the code tables and lookups (issue: foundation and lookup API).

Run: ``python benchmarks/bench_codes.py`` (``nox -s bench`` runs every benchmark). Add
``--python /path/to/python3.12`` to time the fresh-process figures (1 and 2) under another
interpreter, which needs ``attrs`` installed; the source tree is put on its ``PYTHONPATH``.

Machines here are shared and noisy, so every figure is a ratio against a baseline measured in
the same run, interleaved with it, as the median of many repetitions:

1. ``import denialkit`` vs ``import attrs`` (each a fresh interpreter): target <= 1.2x.
2. ``import denialkit`` plus the first ``lookup()`` (which opens the tables and decodes the
   rows it needs), timed inside a fresh interpreter, vs the whole run of
   ``python -c "import attrs"`` in a fresh interpreter: target <= 0.75x (issue 11, point 8;
   the earlier target was 30 ms). Printed with it, measured in the same rounds, the floors
   under that ratio: ``import attrs`` alone timed inside a fresh interpreter (records are
   ``@attrs.frozen``, so no denialkit can import less), and ``import attrs`` with the three
   C modules the table loader needs (``_json``, the JSON scanner; ``zlib``, the checksums;
   ``_datetime``, the dates), each over the same whole ``python -c "import attrs"`` run; and
   what denialkit adds beyond ``import attrs`` in ms against what the target leaves it,
   split into its parts (medians of a fresh process that times each step in turn:
   ``import attrs``; the three C modules; ``import denialkit``; opening the tables; the
   first lookup).
3. a warm ``lookup("CO-16")`` vs a plain ``dict.get`` of the canonical key: target <= 10x.
4. ``explain("CO-16", remarks=["N290", "M51"])`` vs a warm lookup: target <= 10x.

Exit status 1 when a target is missed.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
import timeit

ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
PYTHON = sys.executable
SRC = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "src")


def _run(code: str) -> float:
    start = time.perf_counter()
    subprocess.run([PYTHON, "-c", code], check=True, env=ENV)
    return time.perf_counter() - start


def _child(code: str) -> float:
    out = subprocess.run(
        [PYTHON, "-c", code], check=True, env=ENV, capture_output=True, text=True
    ).stdout
    return float(out.strip())


def bench_import(rounds: int = 40) -> tuple[float, float]:
    _run("import denialkit")  # warm the bytecode cache and the OS file cache
    _run("import attrs")
    ours, base = [], []
    for _ in range(rounds):
        ours.append(_run("import denialkit"))
        base.append(_run("import attrs"))
    return statistics.median(ours), statistics.median(base)


FIRST = (
    "import time\n"
    "t = time.perf_counter()\n"
    "import denialkit\n"
    "denialkit.lookup('CO-16')\n"
    "print(time.perf_counter() - t)\n"
)


ATTRS_ALONE = "import time\nt = time.perf_counter()\nimport attrs\nprint(time.perf_counter() - t)\n"
ATTRS_STDLIB = (
    "import time\n"
    "t = time.perf_counter()\n"
    "import attrs, _json, zlib, _datetime\n"
    "print(time.perf_counter() - t)\n"
)


STEPS = (
    "import time\n"
    "t0 = time.perf_counter()\n"
    "import attrs\n"
    "t1 = time.perf_counter()\n"
    "import _json, zlib\n"
    "try:\n"
    "    from _datetime import date  # what denialkit._compat imports\n"
    "except ImportError:\n"
    "    from datetime import date\n"
    "t2 = time.perf_counter()\n"
    "import denialkit.codes\n"
    "t3 = time.perf_counter()\n"
    "denialkit.codes.default_table()\n"
    "t4 = time.perf_counter()\n"
    "denialkit.lookup('CO-16')\n"
    "t5 = time.perf_counter()\n"
    "print(t1 - t0, t2 - t1, t3 - t2, t4 - t3, t5 - t4)\n"
)
STEP_NAMES = ("import attrs", "_json, zlib, _datetime", "import denialkit", "open tables", "lookup")


def bench_steps(rounds: int = 20) -> list[float]:
    """The first lookup's parts, each the median over fresh processes (seconds)."""
    runs = []
    for _ in range(rounds):
        out = subprocess.run(
            [PYTHON, "-c", STEPS], check=True, env=ENV, capture_output=True, text=True
        ).stdout
        runs.append([float(x) for x in out.split()])
    return [statistics.median(step) for step in zip(*runs, strict=True)]


def bench_first_lookup(rounds: int = 40) -> tuple[float, float, float, float]:
    """``import denialkit`` + the first lookup inside a fresh process, the whole run of a
    fresh ``python -c "import attrs"``, and the two floors (``import attrs`` alone, and with
    ``_json``, ``zlib`` and ``_datetime``, inside a fresh process): medians, all four measured
    in turn in every round."""
    _child(FIRST)
    _run("import attrs")
    ours, base, alone, stdlib = [], [], [], []
    for _ in range(rounds):
        ours.append(_child(FIRST))
        base.append(_run("import attrs"))
        alone.append(_child(ATTRS_ALONE))
        stdlib.append(_child(ATTRS_STDLIB))
    return tuple(statistics.median(x) for x in (ours, base, alone, stdlib))  # type: ignore[return-value]


def _best(stmt: str, setup: str, g: dict[str, object], number: int = 200_000) -> float:
    t = timeit.Timer(stmt, setup, globals=g)
    return min(t.repeat(repeat=7, number=number)) / number


def bench_warm_lookup() -> tuple[float, float]:
    import denialkit

    table = denialkit.default_table()
    plain = {c.code: c for c in table}
    g = {"lookup": denialkit.lookup, "plain": plain}
    ours = _best("lookup('CO-16')", "lookup('CO-16')", g)
    base = _best("plain.get('16')", "", g)
    return ours, base


def bench_explain() -> tuple[float, float] | None:
    import denialkit

    try:
        from denialkit.knowledge import explain
    except ImportError:
        return None
    from denialkit import knowledge

    g = {"lookup": denialkit.lookup, "explain": explain, "cache": knowledge._CACHE}
    ours = _best("explain('CO-16', remarks=['N290', 'M51'])", "", g, number=20_000)
    base = _best("lookup('CO-16')", "", g)
    cold = _best("cache.clear(); explain('CO-16', remarks=['N290', 'M51'])", "", g, number=2_000)
    print(f"explain without its cache {cold * 1e6:.2f} us ({cold / base:.1f}x a warm lookup)")
    return ours, base


def main(argv: list[str] | None = None) -> int:
    global PYTHON
    args = list(sys.argv[1:] if argv is None else argv)
    if args[:1] == ["--python"] and len(args) == 2:
        PYTHON = args[1]
        ENV["PYTHONPATH"] = SRC + os.pathsep + ENV.get("PYTHONPATH", "")
    version = subprocess.run(
        [PYTHON, "-c", "import sys; print(sys.version.split()[0])"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    print(f"fresh processes: Python {version}")
    failed = False

    def report(name: str, value: float, target: float, unit: str = "x") -> None:
        nonlocal failed
        ok = value <= target
        failed |= not ok
        print(
            f"{name:<48} {value:8.2f}{unit}  target <= {target}{unit}  {'ok' if ok else 'MISSED'}"
        )

    ours, base = bench_import()
    print(f"import denialkit {ours * 1e3:.1f} ms, import attrs {base * 1e3:.1f} ms")
    report("import denialkit / import attrs", ours / base, 1.2)

    first, attrs_run, alone, stdlib = bench_first_lookup()
    print(
        f"import denialkit + first lookup {first * 1e3:.1f} ms (in the process), "
        f"python -c 'import attrs' {attrs_run * 1e3:.1f} ms (the whole run)"
    )
    print(
        f"  floor: import attrs alone {alone * 1e3:.1f} ms in the process = "
        f"{alone / attrs_run:.2f}x; with _json, zlib, _datetime {stdlib * 1e3:.1f} ms = "
        f"{stdlib / attrs_run:.2f}x"
    )
    print(
        f"  denialkit beyond import attrs: {(first - alone) * 1e3:.1f} ms; the 0.75x target "
        f"leaves it {(0.75 * attrs_run - alone) * 1e3:.1f} ms"
    )
    steps = bench_steps()
    print(
        "  its parts in a fresh process (medians): "
        + ", ".join(f"{n} {t * 1e3:.1f} ms" for n, t in zip(STEP_NAMES, steps, strict=True))
    )
    report("import + first lookup / python -c 'import attrs'", first / attrs_run, 0.75)
    if sys.executable != PYTHON:
        return 1 if failed else 0  # the in-process figures below use this interpreter

    ours, base = bench_warm_lookup()
    print(f"warm lookup {ours * 1e9:.0f} ns, dict.get {base * 1e9:.0f} ns")
    report("warm lookup('CO-16') / dict.get", ours / base, 10.0)

    ex = bench_explain()
    if ex is None:
        print("explain: not available in this version")
    else:
        ours, base = ex
        print(f"explain {ours * 1e6:.2f} us, warm lookup {base * 1e9:.0f} ns")
        report("explain(CARC + 2 RARCs) / warm lookup", ours / base, 10.0)
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
