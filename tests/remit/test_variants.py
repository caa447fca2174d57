"""Shapes of real 835s from many payers and clearinghouses, written small here with our own
values: every CLP comes out as a claim with its amounts, or the reader raises the typed error.
"""

from __future__ import annotations

import io
import warnings
from decimal import Decimal

import pytest

from denialkit import remit
from denialkit.exceptions import X12ParseError


def _interchange(
    control: str, *, sep: str = "*", comp: str = ":", term: str = "~", eol: str = "\n"
) -> bytes:
    """One interchange holding one 835 with two claims (our own values), in these delimiters."""
    segments = [
        f"ISA*00*          *00*          *ZZ*PAYERX         *ZZ*CLINICY        *260601*1200*"
        f"{{*00501*{control}*0*P*{comp}",
        "GS*HP*PAYERX*CLINICY*20260601*1200*7*X*005010X221A1",
        "ST*835*0001",
        "BPR*I*130*C*ACH*CCP*01*999999999*DA*1*1999999999**01*888888888*DA*2*20260602",
        "TRN*1*T1*1999999999",
        "N1*PR*PAYER X",
        "N1*PE*CLINIC Y*XX*1234567893",
        "LX*1",
        "CLP*ACC1*1*200*100*0*12*PX1",
        f"SVC*HC{comp}99213*200*100**1",
        "CAS*CO*45*100",
        "CLP*ACC2*4*50*0*0*12*PX2",
        "CAS*CO*197*50",
        "PLB*1234567893*20261231*WO" + comp + "R1*-30",
        "SE*13*0001",
        "GE*1*7",
        f"IEA*1*{control}",
    ]
    return "".join(s.replace("*", sep) + term + eol for s in segments).encode("latin-1")


class _Trickle(io.RawIOBase):
    """A binary file that returns at most ``step`` bytes per read."""

    def __init__(self, data: bytes, step: int) -> None:
        self._data, self._pos, self._step = data, 0, step

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:  # type: ignore[override]
        out = self._data[self._pos : self._pos + min(self._step, size if size > 0 else 1 << 30)]
        self._pos += len(out)
        return out


def _read(source: object) -> tuple[list[remit.ClaimPayment], list[remit.Remittance]]:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        items = list(remit.stream(source))  # type: ignore[arg-type]
    claims = [x for x in items if isinstance(x, remit.ClaimPayment)]
    return claims, [x for x in items if isinstance(x, remit.Remittance)]


@pytest.mark.parametrize(
    "second",
    [
        {"sep": "|", "comp": "^", "term": "\n", "eol": ""},
        {"sep": "^", "comp": ">", "term": "'", "eol": "\r\n"},
        {"sep": "*", "comp": ":", "term": "'", "eol": ""},
        {"sep": "*", "comp": ">", "term": "~", "eol": ""},
    ],
)
@pytest.mark.parametrize("step", [None, 1, 7, 100])
def test_interchanges_with_other_delimiters_one_after_another(
    second: dict[str, str], step: int | None
) -> None:
    # the later interchanges hold no character of the first ones' terminator: the reader
    # meets each new ISA at the start of the text it carries over to the next chunk (the
    # first ones fill more than the reader's first look ahead, 4 KiB), and reads it again
    first = [_interchange(f"00000000{k}") for k in range(1, 10)]
    assert len(b"".join(first)) > 4096
    data = (
        b"".join(first)
        + _interchange("000000010", **second)
        + _interchange("000000011", sep="|", comp="\\", term="\x1c", eol="")
    )
    claims, remits = _read(data if step is None else _Trickle(data, step))
    assert [c.patient_control_number for c in claims] == ["ACC1", "ACC2"] * 11
    assert [c.charge for c in claims] == [Decimal(200), Decimal(50)] * 11
    assert [a.key for c in claims for _, a in c.iter_adjustments()] == ["CO-45", "CO-197"] * 11
    assert [r.header.interchange_control_number for r in remits][-3:] == [
        "000000009",
        "000000010",
        "000000011",
    ]
    assert all(r.balanced for r in remits)
    assert [r.header.delimiters.element for r in remits][-3:] == ["*", second["sep"], "|"]


@pytest.mark.parametrize(
    "joint",
    [b"", b"\xef\xbb\xbf", b"\r\n\x1a", b"\x00" * 700, b"\x1a\xef\xbb\xbf", b"\n\x00\x00\n"],
)
@pytest.mark.parametrize("other", [False, True])
@pytest.mark.parametrize("step", [None, 3, 100])
def test_files_joined_end_to_end(joint: bytes, other: bool, step: int | None) -> None:
    # 'cat a.835 b.835': each file may bring its byte-order mark, a DOS Ctrl-Z or the NUL
    # bytes that padded it to a block size; the next file's interchange is read all the same
    first = b"\xef\xbb\xbf" + b"".join(_interchange(f"00000000{k}") for k in range(1, 10))
    second = (
        _interchange("000000010", sep="|", comp="^", term="\n", eol="")
        if other
        else _interchange("000000010")
    )
    data = joint + first + joint + second  # what comes before the first file is skipped too
    claims, remits = _read(data if step is None else _Trickle(data, step))
    assert len(claims) == 20 == len(remits) * 2
    assert [c.patient_control_number for c in claims][-2:] == ["ACC1", "ACC2"]
    assert remits[-1].header.interchange_control_number == "000000010"
    assert all(r.balanced for r in remits)
    # offsets still point at the first byte of each segment
    assert data[claims[-1].offset : claims[-1].offset + 4] in (b"CLP*", b"CLP|")


def _lower_ids(data: bytes, sep: bytes = b"*") -> bytes:
    """``data`` with every segment id in lower case (values left as they are)."""
    out = []
    for seg in data.split(b"~\n"):
        tag, s, rest = seg.partition(sep)
        out.append(tag.lower() + s + rest)
    return b"~\n".join(out)


@pytest.mark.parametrize("step", [None, 2, 100])
def test_segment_ids_in_lower_case_read_as_upper_case(step: int | None) -> None:
    upper = b"".join(_interchange(f"00000000{k}") for k in range(1, 10))
    lower = _lower_ids(upper)
    assert b"clp*ACC1" in lower and b"isa*00" in lower
    # a file all in lower case, and one whose later interchanges are
    for data, interchanges in ((lower, 9), (upper + lower, 18), (lower + upper, 18)):
        claims, remits = _read(data if step is None else _Trickle(data, step))
        assert [c.patient_control_number for c in claims] == ["ACC1", "ACC2"] * interchanges
        assert all(r.balanced for r in remits)
        assert [a.key for _, a in claims[0].iter_adjustments()] == ["CO-45"]
        assert claims[0].lines[0].procedure == "99213"


@pytest.mark.parametrize("tag", [b"clp", b"Clp", b"svc", b"cas", b"lx", b"se"])
def test_one_lower_case_id_among_upper_case_ones_raises_where_it_is(tag: bytes) -> None:
    data = _interchange("000000001")
    at = data.index(b"\n" + tag.upper() + b"*") + 1
    bad = data[:at] + tag + data[at + len(tag) :]
    segment = data[:at].count(b"~")
    with pytest.raises(X12ParseError, match=rf"^segment {segment + 1}, byte {at}: .*upper case"):
        _read(bad)


def test_a_padded_transaction_set_id_is_still_an_835() -> None:
    data = _interchange("000000001").replace(b"ST*835*", b"ST* 835 *")
    claims, remits = _read(data)
    assert len(claims) == 2 and remits[0].balanced


def test_padded_amounts_stop_the_read_where_they_are_never_lose_the_claim() -> None:
    # blanks inside an amount element are outside the X12 number grammar (the one policy,
    # see test_amounts): a padded file raises at its first required amount
    data = _interchange("000000001").replace(b"ST*835*", b"ST* 835 *")
    data = data.replace(b"CLP*ACC1*1*200*", b"CLP*ACC1*1*200   *")
    at = data.index(b"CLP*ACC1")
    with pytest.raises(X12ParseError, match=rf"^segment 9, byte {at}: CLP03 is not an X12 number"):
        _read(data)


@pytest.mark.parametrize("st01", [b"8\x0735", b"853", b"", b"277"])
def test_claims_in_a_set_whose_st01_is_not_835_raise_instead_of_being_skipped(st01: bytes) -> None:
    data = _interchange("000000001").replace(b"ST*835*", b"ST*" + st01 + b"*")
    at = data.index(b"CLP*ACC1")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the set is reported as skipped first
        with pytest.raises(X12ParseError, match=rf"^segment 9, byte {at}: a CLP .* not an 835"):
            list(remit.claims(data))
