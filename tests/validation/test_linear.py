"""Hostile claim values cannot make a check quadratic (issue #16, point 1).

Nothing here is timed: the work is counted as the number of calls into C functions (str.find,
re matching, ...) that one check makes, which a profile hook sees. Each search that compares a
long value at each offset of the text shows up as one call per offset; once values are capped
(MAX_VALUE characters) the count grows with the text, not with the text times the value.
The timings are in benchmarks/bench_validation.py.
"""

from __future__ import annotations

import sys
from types import FrameType

import attrs
import pytest

from denialkit.claim import Claim
from denialkit.validation import Validator, validate_text
from denialkit.validation._analysis import MAX_VALUE
from payloads import tampered

from .conftest import LETTER_DAY, ccm21_claim, ccm21_text

LONG = 10_000


def hostile_claim(char: str = "x") -> Claim:
    """The fixture claim with six 10,000-character fields made of one repeated letter."""
    claim = ccm21_claim()
    long = char * LONG
    return attrs.evolve(
        claim,
        claim_number=long,
        patient=attrs.evolve(claim.patient, name=long, member_id=long),
        provider=attrs.evolve(claim.provider, name=long, signer_name=long),
        # the claim model refuses a value over 10,000 characters; the validator still meets
        # larger ones in objects built around the checks, so the address is set past them
        payer=tampered(
            attrs.evolve(claim.payer, name=long), appeals_address="\n".join([long] * 50)
        ),
    )


def hostile_text(size: int, char: str = "x") -> str:
    """A letter followed by one long word that holds every claim value's letters, but never
    on a word boundary (it starts with another letter): each offset is a near miss."""
    head = ccm21_text()
    return head + "\ny" + char * (size - len(head) - 2)


def c_calls(text: str, claim: Claim) -> int:
    """How many calls into C functions one check makes."""
    v = Validator(today=LETTER_DAY)
    count = 0

    def hook(_frame: FrameType, event: str, _arg: object) -> None:
        nonlocal count
        if event == "c_call":
            count += 1

    sys.setprofile(hook)
    try:
        v.check(text, claim=claim)
    finally:
        sys.setprofile(None)
    return count


class Watched(str):
    """Letter text that records the longest needle any search on it was given."""

    longest = 0

    def _saw(self, needle: object) -> None:
        if isinstance(needle, str):
            Watched.longest = max(Watched.longest, len(needle))
        elif isinstance(needle, tuple):
            for n in needle:
                self._saw(n)

    def find(self, sub: str, *args: object) -> int:  # type: ignore[override]
        self._saw(sub)
        return super().find(sub, *args)  # type: ignore[arg-type]

    def rfind(self, sub: str, *args: object) -> int:  # type: ignore[override]
        self._saw(sub)
        return super().rfind(sub, *args)  # type: ignore[arg-type]

    def startswith(self, prefix: object, *args: object) -> bool:  # type: ignore[override]
        self._saw(prefix)
        return super().startswith(prefix, *args)  # type: ignore[arg-type]

    def __contains__(self, sub: object) -> bool:  # type: ignore[override]
        self._saw(sub)
        return super().__contains__(sub)  # type: ignore[operator]


def test_no_search_compares_more_than_the_cap_of_a_value() -> None:
    Watched.longest = 0
    text = Watched(hostile_text(100_000))
    Validator(today=LETTER_DAY).check(text, claim=hostile_claim())
    # before the cap, the whole 10,000-character value was searched for at every offset
    assert 0 < Watched.longest <= MAX_VALUE


def test_ten_thousand_character_values_in_100_kb_complete_in_linear_work() -> None:
    claim = hostile_claim()
    small = c_calls(hostile_text(10_000), claim)
    large = c_calls(hostile_text(100_000), claim)
    # ten times the text: about ten times the calls (before the cap: 90,000 times)
    assert large <= 15 * small, (small, large)


def test_many_address_lines_do_not_multiply_the_work() -> None:
    claim = ccm21_claim()
    few = attrs.evolve(claim, payer=attrs.evolve(claim.payer, appeals_address="x1\nx2"))
    many = attrs.evolve(
        claim,
        payer=tampered(claim.payer, appeals_address="\n".join(f"x{i}" for i in range(5000))),
    )
    text = hostile_text(50_000)
    assert c_calls(text, many) <= 2 * c_calls(text, few)


@pytest.mark.parametrize("field", ["name", "member_id"])
def test_a_long_value_counts_as_given_by_its_first_characters(field: str) -> None:
    claim = ccm21_claim()
    value = "Q" + "r" * (MAX_VALUE + 500)
    claim = attrs.evolve(claim, patient=attrs.evolve(claim.patient, **{field: value}))
    rule = {"name": "DK101", "member_id": "DK102"}[field]
    shown = ccm21_text() + "\nAlso known as " + value[: MAX_VALUE + 10] + "\n"
    assert rule not in validate_text(shown, claim).by_rule()
    hidden = ccm21_text() + "\nAlso known as " + value[: MAX_VALUE - 10] + "\n"
    assert rule in validate_text(hidden, claim).by_rule()
