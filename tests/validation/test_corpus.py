"""A corpus of letters written for these tests, in the styles real letters use.

Each ``letters/NAME.txt`` has a sidecar ``letters/NAME.toml`` saying what the validator must
find in it, without a claim (as when a person checks a letter they edited):

- ``author`` and ``plan``: who the validator must take as the author, and the kind of plan;
- ``errors``: the exact set of rule ids with error findings (empty for a good letter);
- ``find``: rules that must report something (any severity): the letter's defects;
- ``codes`` (optional): the denial codes given with the letter.

Good letters (no ``find``) must have no error: a payer would accept them.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from denialkit.validation import Document, Validator
from denialkit.validation._analysis import scan

from .conftest import LETTER_DAY

LETTERS = Path(__file__).with_name("letters")
NAMES = sorted(p.stem for p in LETTERS.glob("*.txt"))


def _expect(name: str) -> dict[str, object]:
    return tomllib.loads((LETTERS / f"{name}.toml").read_text("utf-8"))


def test_the_corpus_is_large_and_varied() -> None:
    assert len(NAMES) >= 40
    sidecars = [_expect(n) for n in NAMES]
    assert {s["author"] for s in sidecars} == {"provider", "patient"}
    assert {s["plan"] for s in sidecars} >= {
        "medicare", "medicare-advantage", "medicaid", "commercial", "erisa",
    }  # fmt: skip
    good = [s for s in sidecars if not s.get("find")]
    assert len(good) >= 20 and len(sidecars) - len(good) >= 15
    assert all(not s["errors"] for s in good)


@pytest.mark.parametrize("name", NAMES)
def test_letter(name: str) -> None:
    text = (LETTERS / f"{name}.txt").read_text("utf-8")
    expect = _expect(name)
    codes = expect.get("codes")
    report = Validator(today=LETTER_DAY).check(text, codes=codes)  # type: ignore[arg-type]
    errors = {f.rule_id for f in report.errors}
    shown = [str(f) for f in report.findings]
    assert errors == set(expect["errors"]), shown  # type: ignore[arg-type]
    fired = set(report.by_rule())
    assert set(expect.get("find", ())) <= fired, shown  # type: ignore[arg-type]
    sc = scan(Document(text, today=LETTER_DAY))
    assert (sc.author.value, sc.plan_kind.value) == (expect["author"], expect["plan"])
