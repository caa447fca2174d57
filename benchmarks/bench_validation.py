"""Benchmarks for the letter validator (issue 5). A plain script:
``python benchmarks/bench_validation.py``.

1. Cost: ``check()`` of the CCM21 example letter with every built-in rule, against building
   that letter with ``appeal()``. Target: at most 3x.
2. Linear time: a 1,000,000-character text against a 10,000-character one (both cut from the
   example letter repeated). Target: under 100x, i.e. no worse than linear.

Machines here are shared and noisy, so each figure is the best of several rounds, the two
sides of a ratio measured alternately in this process; the ratios are the result. Exit status
1 when a target is missed.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from datetime import date

from denialkit.letters import appeal, example_claim
from denialkit.validation import Validator, check

LETTER_DATE = date(2026, 11, 2)
COST_TARGET = 3.0
LINEAR_TARGET = 100.0


def _time(fn: Callable[[], object], number: int) -> float:
    start = time.perf_counter()
    for _ in range(number):
        fn()
    return (time.perf_counter() - start) / number


def _ratio(
    ours: Callable[[], object], base: Callable[[], object], *, number: int, rounds: int
) -> tuple[float, float]:
    """Best time of each side, measured in alternating rounds."""
    best_ours = best_base = float("inf")
    for _ in range(rounds):
        best_base = min(best_base, _time(base, number))
        best_ours = min(best_ours, _time(ours, number))
    return best_ours, best_base


def bench_cost() -> tuple[float, float]:
    claim = example_claim("CCM21")
    letter = appeal("CCM21", claim, letter_date=LETTER_DATE)
    assert check(letter).ok
    return _ratio(
        lambda: check(letter),
        lambda: appeal("CCM21", claim, letter_date=LETTER_DATE),
        number=200,
        rounds=9,
    )


def bench_linear() -> tuple[float, float]:
    text = appeal("CCM21", example_claim("CCM21"), letter_date=LETTER_DATE).text
    big = (text * (1_000_000 // len(text) + 1))[:1_000_000]
    small = big[:10_000]
    v = Validator(today=LETTER_DATE)
    return _ratio(lambda: v.check(big), lambda: v.check(small), number=1, rounds=7)


def main() -> int:
    ok = True
    ours, base = bench_cost()
    ratio = ours / base
    met = ratio <= COST_TARGET
    ok &= met
    print(
        f"check() of the CCM21 letter vs appeal(): {ours * 1e6:.0f} us vs {base * 1e6:.0f} us "
        f"= {ratio:.2f}x (target <= {COST_TARGET:.0f}x): {'met' if met else 'MISSED'}"
    )
    big, small = bench_linear()
    ratio = big / small
    met = ratio < LINEAR_TARGET
    ok &= met
    print(
        f"1 MB text vs 10 KB text: {big * 1e3:.1f} ms vs {small * 1e3:.2f} ms "
        f"= {ratio:.1f}x (target < {LINEAR_TARGET:.0f}x): {'met' if met else 'MISSED'}"
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
