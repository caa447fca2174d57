"""Amounts and quantities follow the X12 R type, one policy everywhere (issue 10, point 3).

The policy: a value outside the grammar (an optional leading minus, ASCII digits, at most one
decimal point, at most 18 digits for an amount and 15 for a quantity) is kept as ``None``
with an ``X12Warning`` naming the element, the segment and its byte offset, and
``strict=True`` raises ``X12ParseError`` instead. CLP03, CLP04, SVC02 and SVC03, which a
claim and a line are balanced on, are required: a bad one makes the segment malformed and
always raises.
"""

from __future__ import annotations

import re
import warnings
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from denialkit import remit
from denialkit.exceptions import X12ParseError, X12Warning

DATA = Path(__file__).resolve().parent / "data"
BASIC = (DATA / "basic.835").read_bytes()

#: (segment as in basic.835, element number, what reads it back or None, required)
ELEMENTS: list[tuple[bytes, int, str, bool]] = [
    (b"CLP*PCN1001*1*190*105*20*12*ACME26001001*11*1", 3, "charge", True),
    (b"CLP*PCN1001*1*190*105*20*12*ACME26001001*11*1", 4, "payment", True),
    (b"CLP*PCN1001*1*190*105*20*12*ACME26001001*11*1", 5, "patient_responsibility", False),
    (b"SVC*HC:99213*150*80**1", 2, "line.charge", True),
    (b"SVC*HC:99213*150*80**1", 3, "line.payment", True),
    (b"SVC*HC:99213*150*80**1", 5, "line.units", False),
    (b"CAS*CO*45*50", 3, "line.adjustment.amount", False),
    (b"CAS*CO*197*300", 3, "adjustment.amount", False),
    (b"AMT*AU*125", 2, "amounts", False),
    (b"BPR*I*407.5*C", 2, "payment_amount", False),
    (b"PLB*1234567893*20261231*L6:INT001*-2.5*WO:OVP1001*15", 4, "plb", False),
    (b"PLB*1234567893*20261231*L6:INT001*-2.5*WO:OVP1001*15", 6, "plb2", False),
]
GOOD = ["0", "12", "-12", "12.5", "-0.01", ".5", "5.", "123456789012345.67", "9" * 18]
BAD = [
    "+5",
    " 5",
    "5 ",
    "1e5",
    "1E5",
    "+3425e-2",
    "1_034.25",
    "1,034.25",
    "1.2.3",
    "--5",
    "5-",
    "NaN",
    "Infinity",
    "1e999999999",
    "9" * 19,
    "9" * 5000,
    "\u0661\u0662",  # Arabic-Indic digits, as UTF-8 bytes
    "\u00b2",
    "0x10",
    "NOT",
]


def _with(segment: bytes, k: int, value: str) -> bytes:
    e = segment.split(b"*")
    e[k] = value.encode("utf-8")
    assert segment in BASIC
    return BASIC.replace(segment, b"*".join(e), 1)


def _value(items: list[object], where: str) -> object:
    claims = [x for x in items if isinstance(x, remit.ClaimPayment)]
    remits = [x for x in items if isinstance(x, remit.Remittance)]
    first = claims[0]
    return {
        "charge": first.charge,
        "payment": first.payment,
        "patient_responsibility": first.patient_responsibility,
        "line.charge": first.lines[0].charge,
        "line.payment": first.lines[0].payment,
        "line.units": first.lines[0].units,
        "line.adjustment.amount": first.lines[0].adjustments[0].amount,
        "adjustment.amount": claims[1].adjustments[0].amount,
        "amounts": dict(first.amounts).get("AU"),
        "payment_amount": remits[0].payment_amount,
        "plb": remits[0].provider_adjustments[0].amount,
        "plb2": remits[0].provider_adjustments[1].amount,
    }[where]


@pytest.mark.parametrize(("segment", "k", "where", "required"), ELEMENTS)
@pytest.mark.parametrize("value", GOOD)
def test_x12_numbers_are_read_exactly(
    segment: bytes, k: int, where: str, required: bool, value: str
) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the totals no longer balance
        items = list(remit.stream(_with(segment, k, value)))
    digits = sum(c.isdigit() for c in value)
    quantity = where == "line.units"
    want = None if quantity and digits > 15 else Decimal(value)  # a quantity has 15 at most
    assert _value(items, where) == want


@pytest.mark.parametrize(("segment", "k", "where", "required"), ELEMENTS)
@pytest.mark.parametrize("value", BAD)
def test_numbers_outside_the_grammar_follow_the_one_policy(
    segment: bytes, k: int, where: str, required: bool, value: str
) -> None:
    data = _with(segment, k, value)
    name = f"{segment[:3].decode()}{k:02d}"
    if value != value.rstrip() and k == segment.count(b"*"):
        # blanks at the end of a segment are around it, not in its last element
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            assert _value(list(remit.stream(data)), where) == Decimal(value.strip())
        return
    if required:
        with pytest.raises(X12ParseError, match=rf"^segment \d+, byte \d+: {name} is not"):
            list(remit.stream(data))
        return
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        items = list(remit.stream(data))
    assert _value(items, where) is None
    messages = [str(w.message) for w in caught if issubclass(w.category, X12Warning)]
    mine = [m for m in messages if f"{name} is not an X12 number" in m]
    assert len(mine) == 1 and "kept as None" in mine[0]
    m = re.match(r"segment (\d+), byte (\d+): ", mine[0])
    assert m and data[int(m[2]) :].startswith(segment[:4])
    if len(value) > 3:
        assert value not in mine[0]  # a value is never echoed
    with pytest.raises(X12ParseError, match=rf"{name} is not an X12 number"):
        list(remit.stream(data, strict=True))


@pytest.mark.parametrize(
    ("segment", "replacement", "name"),
    [
        (b"CAS*CO*45*50", b"CAS*CO*45*50*ONE", "CAS04"),  # one triplet, like several
        (b"CAS*PR*2*20", b"CAS*PR*2*20*1e5*CO*45*0", "CAS04"),
        (b"SVC*HC:99213*150*80**1", b"SVC*HC:99213*150*80**1*HC:99214*+1", "SVC07"),
        (b"MOA***N54", b"MOA*1e3**N54", "MOA01"),
        (b"LQ*HE*N115", b"QTY*CA*1_0~\nLQ*HE*N115", "QTY02"),
    ],
)
def test_quantities_and_unused_numbers_warn_too(
    segment: bytes, replacement: bytes, name: str
) -> None:
    data = BASIC.replace(segment, replacement, 1)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        list(remit.stream(data))
    assert any(f"{name} is not an X12 number" in str(w.message) for w in caught)
    with pytest.raises(X12ParseError, match=f"{name} is not an X12 number"):
        list(remit.stream(data, strict=True))


def test_a_junk_quantity_in_a_one_triplet_cas_is_not_dropped_silently() -> None:
    data = BASIC.replace(b"CAS*CO*45*50", b"CAS*CO*45*50*ONE", 1)
    with pytest.warns(X12Warning, match="CAS04 is not an X12 number"):
        claim = next(remit.claims(data))
    adjustment = claim.lines[0].adjustments[0]
    assert adjustment.amount == 50 and adjustment.quantity is None


def test_the_committed_file_of_filler_amounts_reads_with_one_warning_each() -> None:
    data = (DATA / "junk_amounts.835").read_bytes()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        items = list(remit.stream(data))
    names = sorted(
        m[1] for w in caught if (m := re.search(r": (\w+) is not an X12", str(w.message)))
    )
    assert names == ["AMT02", "BPR02", "CAS03", "CAS04"]
    claims = [x for x in items if isinstance(x, remit.ClaimPayment)]
    assert claims[0].balanced is None  # an adjustment without an amount cannot be balanced
    assert claims[0].lines[0].balanced is None
    assert next(x for x in items if isinstance(x, remit.Remittance)).balanced is None


@settings(max_examples=300, deadline=None)
@given(
    st.sampled_from(ELEMENTS),
    st.text(
        alphabet=st.sampled_from([*"0123456789.-+eE_, \t٣²xNaIf", "\u00a0"]),
        max_size=25,
    ),
)
def test_fuzzed_amounts_raise_or_warn_only_as_documented(
    element: tuple[bytes, int, str, bool], value: str
) -> None:
    segment, k, where, required = element
    if value.strip(" \t") != value or "~" in value or "*" in value:
        value = value.strip(" \t")
    data = _with(segment, k, value)
    grammar = re.fullmatch(r"-?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)", value)
    digits = sum(c.isdigit() for c in value)
    limit = 15 if where == "line.units" else 18
    ok = grammar is not None and digits <= limit
    error: X12ParseError | None = None
    with warnings.catch_warnings(record=True):
        warnings.simplefilter("always")
        try:
            items = list(remit.stream(data))
        except X12ParseError as exc:
            error = exc
    if error is not None:
        assert (required and not ok) or not value, str(error)
        return
    got = _value(items, where)
    if ok:
        assert got == Decimal(value)
    elif value:
        assert got is None
    if isinstance(got, Decimal):
        assert got.is_finite() and len(got.as_tuple().digits) <= 18
