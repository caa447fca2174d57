"""Benchmarks for appeal letters (issue 4). A plain script: ``python benchmarks/bench_letters.py``.

1. Overhead: ``appeal()`` of the CCM21 example claim with 8 evidence items (issue 12: the
   enclosures, the ``enclosed`` context, the checklist and the warnings are part of the cost)
   against rendering the same template directly with a plain Jinja2 environment and the same
   context. Target: at most 2x. Measured twice: for the same claim object each call (as a
   timing loop does), and for a new claim each call that shares no object with the others.
3. DOCX: the time to render the CCM21 letter as DOCX (issue 12 asks under 50 ms). An absolute
   figure, reported and never asserted.
2. Memory: 10,000 letters for distinct claims. The traced memory still held after 10,000
   letters must not grow against what is held after 1,000 (no cache grows with claims).
   Target: under 64 bytes of growth per letter between the two points.

Times are CPU times of this process (``time.process_time``: time the shared machine gives to
other programs is not counted), the best of several rounds, the sides of a ratio measured in
alternating rounds; ratios, not absolute times, are the result. ``floor_letters.py`` asks
what the new-claim figure could reach.
"""

from __future__ import annotations

import gc
import sys
import time
import tracemalloc
from collections.abc import Callable, Mapping
from datetime import date
from typing import Any

import attrs
import jinja2

from denialkit.claim import Claim, Evidence
from denialkit.letters import appeal, example_claim
from denialkit.templates import StringTemplate, TemplateRegistry

LETTER_DATE = date(2026, 11, 2)
OVERHEAD_TARGET = 2.0
GROWTH_TARGET = 64  # bytes per letter


class _Capture(TemplateRegistry):
    """A registry that keeps the context of the last render (to feed the baseline)."""

    context: dict[str, object]

    def render_blocks(
        self, template: str | StringTemplate, context: Mapping[str, object]
    ) -> dict[str, str]:
        self.context = dict(context)
        return super().render_blocks(template, context)


def _best_cpu(fn: Callable[[], object], number: int) -> float:
    """CPU seconds of one call, over one round of ``number`` calls (time the machine gives
    to other programs is not counted)."""
    start = time.process_time()
    for _ in range(number):
        fn()
    return (time.process_time() - start) / number


def eight_evidence() -> Claim:
    """The CCM21 example claim with 8 evidence items (it ships with 6)."""
    claim = example_claim("CCM21")
    more = (
        Evidence("registry", "Registry extract for September 2026", date(2026, 9, 30)),
        Evidence("other", "Referral from the primary care physician", date(2026, 8, 28)),
    )
    claim = claim.evolve(evidence=claim.evidence + more)
    assert len(claim.evidence) == 8
    return claim


def bench_overhead() -> tuple[float, float, float]:
    claim = eight_evidence()
    reg = _Capture(plugins=False)
    appeal("CCM21", claim, registry=reg, letter_date=LETTER_DATE)
    context = reg.context

    # the baseline: the same template file, a plain Jinja2 environment, the same context
    from denialkit._compat import files
    from denialkit.templates import _and_join

    source = files("denialkit._templates").joinpath("ccm21.txt.j2").read_text("utf-8")
    env = jinja2.Environment(undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    env.filters["and_join"] = _and_join
    template = env.from_string(source)
    template.render(context)

    plain = TemplateRegistry(plugins=False)
    appeal("CCM21", claim, registry=plain, letter_date=LETTER_DATE)
    number = 300
    # the two sides alternate round by round, so that a slow moment of the machine hits both
    direct = ours = fresh = float("inf")
    for _ in range(9):
        direct = min(direct, _best_cpu(lambda: template.render(context), number))
        ours = min(
            ours,
            _best_cpu(
                lambda: appeal("CCM21", claim, registry=plain, letter_date=LETTER_DATE), number
            ),
        )
        # a new claim each call, sharing no object with the others (equal values, built from
        # its dict): what a batch of different claims pays, since appeal() reuses only the
        # work derived from the very claim object it saw last
        data = claim.to_dict()
        copies = iter([Claim.from_dict(data) for _ in range(number)])
        fresh = min(
            fresh,
            _best_cpu(
                lambda it=copies: appeal(
                    "CCM21", next(it), registry=plain, letter_date=LETTER_DATE
                ),
                number,
            ),
        )
    return ours, direct, fresh


def _claims(n: int, start: int = 0) -> Any:
    base = example_claim("CCM21")
    for i in range(start, start + n):
        yield base.evolve(
            claim_number=f"CLM{i:08d}",
            patient=attrs.evolve(base.patient, name=f"Patient {i}", member_id=f"M{i:09d}"),
            facts=dict(
                base.facts,
                care_manager_minutes=60 + i % 50,
                care_manager_name=f"Care Manager {i % 997}",
            ),
        )


def bench_memory(total: int = 10_000, checkpoint: int = 1_000) -> tuple[int, int, float]:
    reg = TemplateRegistry(plugins=False)
    appeal("CCM21", example_claim("CCM21"), registry=reg, letter_date=LETTER_DATE)  # warm up
    gc.collect()
    tracemalloc.start()
    held: dict[int, int] = {}
    for done, claim in enumerate(_claims(total), 1):
        letter = appeal("CCM21", claim, registry=reg, letter_date=LETTER_DATE)
        assert not letter.missing
        if done in (checkpoint, total):
            del letter
            gc.collect()
            held[done] = tracemalloc.get_traced_memory()[0]
    tracemalloc.stop()
    growth = (held[total] - held[checkpoint]) / (total - checkpoint)
    return held[checkpoint], held[total], growth


def bench_docx() -> float:
    from denialkit.render import render_docx

    letter = appeal("CCM21", example_claim("CCM21"), letter_date=LETTER_DATE)
    render_docx(letter)  # python-docx imports and loads its default template once
    return min(_best_cpu(lambda: render_docx(letter), 5) for _ in range(5))


def main() -> int:
    ours, direct, fresh = bench_overhead()
    ratio = ours / direct
    ok1 = ratio <= OVERHEAD_TARGET
    print(
        f"overhead: appeal() {ours * 1e6:.0f} us vs direct Jinja2 render {direct * 1e6:.0f} us "
        f"-> ratio {ratio:.2f} (target <= {OVERHEAD_TARGET:g}): {'OK' if ok1 else 'MISSED'}"
    )
    print(
        f"overhead, a new claim object each call: appeal() {fresh * 1e6:.0f} us -> ratio "
        f"{fresh / direct:.2f} (target <= {OVERHEAD_TARGET:g}): "
        f"{'OK' if fresh / direct <= OVERHEAD_TARGET else 'MISSED'}"
    )
    try:
        docx_time = bench_docx()
    except ImportError:
        print("docx: skipped (install denialkit[docx])")
    else:
        print(f"docx: render_docx() of the CCM21 letter {docx_time * 1e3:.1f} ms (goal < 50 ms)")
    at_1k, at_10k, growth = bench_memory()
    ok2 = growth < GROWTH_TARGET
    print(
        f"memory: held after 1,000 letters {at_1k / 1024:.0f} KiB, after 10,000 "
        f"{at_10k / 1024:.0f} KiB -> {growth:.1f} bytes per letter "
        f"(target < {GROWTH_TARGET}): {'OK' if ok2 else 'MISSED'}"
    )
    return 0 if ok1 and ok2 else 1


if __name__ == "__main__":
    sys.exit(main())
