"""Hostile shapes: bounded memory, nothing dropped silently (issue 10 point 2, issue 16.6).

The limits are module constants; the tests lower them to keep the files small. The memory
figures for the full-size shapes are printed by ``benchmarks/bench_remit_memory.py``.
"""

from __future__ import annotations

import re
import warnings
from pathlib import Path

import pytest

from denialkit import remit
from denialkit.exceptions import X12ParseError, X12Warning
from denialkit.remit import _reader

DATA = Path(__file__).resolve().parent / "data"
BASIC = (DATA / "basic.835").read_bytes()
ISA = BASIC[: BASIC.index(b"~") + 2]


def _read(data: bytes, **kw: bool) -> list[object]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return list(remit.stream(data, **kw))


def test_unknown_and_misplaced_segments_are_kept_with_their_positions() -> None:
    data = (DATA / "unknown_segments.835").read_bytes()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        claims = list(remit.claims(data))
    first, second = claims[0].unknown_segments, claims[1].unknown_segments
    assert [(u.tag, u.text) for u in first] == [
        ("NM1", "NM1*82*1*RIVERA*SAM****XX*1234567893")  # an NM1 inside a service line
    ]
    assert [(u.tag, u.text) for u in second] == [("PLXX", "PLXX*1*2")]
    for u in (*first, *second):
        assert data[u.offset :].startswith(u.text.encode())
        assert "RIVERA" not in repr(u) and str(u.segment) in repr(u)
    messages = [str(w.message) for w in caught if issubclass(w.category, X12Warning)]
    assert len(messages) == 2
    for m, u in zip(messages, (*first, *second), strict=True):
        assert m.startswith(f"segment {u.segment}, byte {u.offset}: ")
        assert "unknown_segments" in m
    # the rest of each claim is read as without them
    plain = list(remit.claims(BASIC))

    def lines(c: remit.ClaimPayment) -> list[object]:
        return [line._replace(segment=0) for line in c.lines]  # later segments move by one

    assert [lines(c) for c in claims] == [lines(c) for c in plain]
    assert [c.adjustments for c in claims] == [c.adjustments for c in plain]
    with pytest.raises(X12ParseError, match=r"^segment 35, byte \d+: a segment \(NM1\)"):
        list(remit.claims(data, strict=True))


@pytest.mark.parametrize(
    ("find", "replace"),
    [
        (b"SE*114*0001~\n", b"SE*114*0001~\nCLP*PCN9*1*10*10~\n"),  # after the SE
        (b"ST*835*0001~\n", b"CLP*PCN9*1*10*10~\nST*835*0001~\n"),  # before the ST
    ],
)
def test_a_clp_the_structure_cannot_hold_is_an_error_never_dropped(
    find: bytes, replace: bytes
) -> None:
    data = BASIC.replace(find, replace)
    with pytest.raises(X12ParseError, match=r"CLP segment .* outside any 835 transaction set"):
        _read(data)


def test_repr_of_a_claim_shows_only_a_validated_status() -> None:
    data = BASIC.replace(b"CLP*PCN1001*1*", b"CLP*PCN1001*X-99*", 1)
    claim = _read(data)[0]
    assert isinstance(claim, remit.ClaimPayment)
    assert claim.status_code == "X-99" and "X-99" not in repr(claim)
    assert "status=None" in repr(claim)
    assert "status=4" in repr(_read(BASIC)[1])
    half = remit.ClaimPayment.__new__(remit.ClaimPayment)
    assert repr(half).startswith("<ClaimPayment status=None")


def _with_header_refs(n: int) -> bytes:
    refs = b"".join(b"REF*EV*R%d~\n" % k for k in range(n))
    data = BASIC.replace(b"DTM*405*20260415~\n", b"DTM*405*20260415~\n" + refs)
    return data.replace(b"SE*114*0001", b"SE*%d*0001" % (114 + n))


def _with_plb(n: int) -> bytes:
    plb = b"".join(b"PLB*1234567893*20261231*WO:X%d*0~\n" % k for k in range(n))
    return BASIC.replace(b"SE*114*0001~", plb + b"SE*%d*0001~" % (114 + n))


def _with_cas(n: int) -> bytes:
    cas = b"".join(b"CAS*CO*45*0~\n" for _ in range(n))
    data = BASIC.replace(b"CAS*CO*197*300~\n", b"CAS*CO*197*300~\n" + cas)
    return data.replace(b"SE*114*0001", b"SE*%d*0001" % (114 + n))


@pytest.mark.parametrize(
    ("limit", "build", "message"),
    [
        ("MAX_HEADER_SEGMENTS", _with_header_refs, "header segments"),
        ("MAX_PLB_SEGMENTS", _with_plb, "PLB segments"),
        ("MAX_CLAIM_SEGMENTS", _with_cas, "a claim has more than 50 segments"),
    ],
)
@pytest.mark.parametrize("chunk", [64, 1 << 18])
def test_past_a_cap_the_reader_raises(
    monkeypatch: pytest.MonkeyPatch, limit: str, build: object, message: str, chunk: int
) -> None:
    monkeypatch.setattr(_reader, limit, 50)
    make = build  # a function of the count
    assert callable(make)
    ok = make(30)
    assert len([x for x in _read(ok) if isinstance(x, remit.ClaimPayment)]) == 9
    data = make(60)
    chunks = (data[k : k + chunk] for k in range(0, len(data), chunk))
    items = _reader.Reader().items(chunks)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with pytest.raises(X12ParseError, match=message) as info:
            list(items)
    assert info.value.segment is not None and info.value.offset is not None


def test_many_empty_interchanges_read_without_a_restart_each() -> None:
    one = ISA + b"IEA*0*000000101~\n"
    data = one * 2000 + BASIC
    items = _read(data)
    assert sum(isinstance(x, remit.ClaimPayment) for x in items) == 9


def test_leading_whitespace_of_any_length_is_skipped() -> None:
    data = b" \r\n\t" * 100_000 + BASIC
    items = _read(data, strict=True)
    assert sum(isinstance(x, remit.ClaimPayment) for x in items) == 9
    claim = items[0]
    assert isinstance(claim, remit.ClaimPayment)
    assert data[claim.offset :].startswith(b"CLP*PCN1001")


def test_nothing_but_whitespace_is_empty_data() -> None:
    with pytest.raises(X12ParseError, match="the data is empty"):
        _read(b" \n" * 200_000)


def test_an_interchange_with_other_delimiters_is_read_with_its_own() -> None:
    other = BASIC.replace(b"*", b"|").replace(b"~\n", b"\n").replace(b"|:\n", b"|>\n", 1)
    items = _read(BASIC + other + BASIC)
    claims = [x for x in items if isinstance(x, remit.ClaimPayment)]
    assert len(claims) == 27
    assert {c.header.delimiters.element for c in claims} == {"*", "|"}
    assert re.match(r"CLP\|", claims[9].segments[0])
