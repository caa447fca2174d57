"""Junk in: only the documented errors out, never a hang (issue 6, Tests)."""

from __future__ import annotations

import warnings
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from denialkit import remit
from denialkit.exceptions import X12ParseError

DATA = Path(__file__).resolve().parent / "data"
FILES = sorted(DATA.glob("*.835"))
VALID = [p.read_bytes() for p in FILES]
TOKENS = [
    b"ISA",
    b"GS",
    b"ST",
    b"SE",
    b"GE",
    b"IEA",
    b"CLP",
    b"SVC",
    b"CAS",
    b"PLB",
    b"BPR",
    b"DTM",
    b"NM1",
    b"LX",
    b"*",
    b"~",
    b":",
    b">",
    b"|",
    b"\n",
    b"\r\n",
    b"835",
    b"1",
    b"4",
    b"22",
    b"-",
    b".",
    b"100",
    b"CO",
    b"PR",
    b"45",
    b"NaN",
    b"Infinity",
    b"sNaN",
    b"1E999999",
    b"\xef\xbb\xbf",
    b"\xff",
    b" ",
]


def consume(data: bytes, strict: bool = False) -> None:
    """Read everything there is to read, every detail included."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for x in remit.stream(data, strict=strict):
            if isinstance(x, remit.ClaimPayment):
                x.to_records()
                repr(x)
                for line in x.lines:
                    line.balanced
        list(remit.denials(data))
        remit.summary(data)


def check(data: bytes, strict: bool = False) -> None:
    try:
        consume(data, strict)
    except X12ParseError as exc:
        segment = exc.segment
    else:
        return
    assert segment is None or segment >= 1


FAST = settings(
    max_examples=300, suppress_health_check=[HealthCheck.too_slow]
)  # deadline: the profile (conftest)


@FAST
@given(st.binary(max_size=3000))
def test_random_bytes(data: bytes) -> None:
    check(data)


@FAST
@given(st.lists(st.sampled_from(TOKENS), max_size=300).map(b"".join))
def test_random_x12_like_tokens(data: bytes) -> None:
    check(data)
    check(VALID[0][:106] + data)


@st.composite
def mutated(draw: st.DrawFn) -> bytes:
    data = bytearray(draw(st.sampled_from(VALID)))
    for _ in range(draw(st.integers(1, 8))):
        pos = draw(st.integers(0, max(len(data) - 1, 0)))
        op = draw(st.sampled_from(["replace", "insert", "delete", "token", "cut", "dup"]))
        if op == "replace" and data:
            data[pos] = draw(st.integers(0, 255))
        elif op == "insert":
            data[pos:pos] = draw(st.binary(min_size=1, max_size=8))
        elif op == "delete":
            del data[pos : pos + draw(st.integers(1, 40))]
        elif op == "token":
            data[pos:pos] = draw(st.sampled_from(TOKENS))
        elif op == "cut":
            del data[pos:]
        else:
            data[pos:pos] = data[pos : pos + draw(st.integers(1, 200))]
    return bytes(data)


@settings(max_examples=500, suppress_health_check=[HealthCheck.too_slow])  # deadline: the profile
@given(mutated(), st.booleans())
def test_mutated_valid_files(data: bytes, strict: bool) -> None:
    check(data, strict)


JUNK: list[object] = [None, "", "💥", "\u202e", "x" * 100_000, 3.5, [], {}, b"", b"\x00" * 10]


@pytest.mark.parametrize("junk", JUNK, ids=range(len(JUNK)))
@pytest.mark.parametrize(
    "fn", [remit.read, remit.claims, remit.stream, remit.denials, remit.to_records, remit.summary]
)
def test_every_entry_point_takes_junk(fn: object, junk: object) -> None:
    """Junk raises TypeError (wrong kind of source), OSError (a str that is no file) or
    X12ParseError (bytes that are not an 835): nothing else, and nothing silently.

    ``denials`` and ``to_records`` also take claims already read: an empty collection of
    them is no junk, and gives nothing."""
    if fn in (remit.denials, remit.to_records) and junk in ([], {}):
        assert list(fn(junk)) == []  # type: ignore[operator]
        return
    with pytest.raises((TypeError, OSError, X12ParseError)):  # noqa: PT012
        result = fn(junk)  # type: ignore[operator]
        if not isinstance(result, (list, remit.Summary)):
            list(result)
