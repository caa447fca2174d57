"""NM102, the entity type of a claim's names, is 1 or 2 or the file is malformed (issue 6, 3).

The X12 standard defines exactly two values for the entity type qualifier: 1 (a person) and
2 (an organisation). A claim name with any other value is not X12 and raises the typed error,
at the NM1 segment, without echoing any value of it.
"""

from __future__ import annotations

import re
import warnings

import pytest

from denialkit import remit
from denialkit.exceptions import X12ParseError

PATIENT = b"NM1*QC*1*POE*EDGAR****MI*ZX1000003"


def _read(data: bytes) -> list[remit.ClaimPayment]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return list(remit.claims(data))


@pytest.mark.parametrize("entity_type", [b"X", b"", b"3", b"11", b"P", b"1 "])
def test_an_entity_type_other_than_1_or_2_raises_at_the_nm1(
    basic: bytes, entity_type: bytes
) -> None:
    sentinel = b"ZZSENTINELPATIENT"
    data = basic.replace(PATIENT, b"NM1*QC*" + entity_type + b"*" + sentinel + b"*EDGAR")
    assert data != basic
    with pytest.raises(X12ParseError) as info:
        _read(data)
    err = info.value
    assert err.offset is not None and data[err.offset :].startswith(b"NM1*QC*" + entity_type)
    assert err.segment == data[: err.offset].count(b"~") + 1
    assert re.match(r"segment \d+, byte \d+: .*NM102", str(err))
    assert b"ZZSENTINEL".decode() not in str(err)


@pytest.mark.parametrize(
    ("name", "label"),
    [
        (b"NM1*QC*2*ACME CLINIC*****PI*X1", "an organisation"),
        (b"NM1*QC*1", "NM102 the last element"),
        (b"NM1*QCX*1*POE", "a three-character NM101"),
    ],
)
def test_entity_types_1_and_2_read_in_any_shape(basic: bytes, name: bytes, label: str) -> None:
    data = basic.replace(PATIENT, name)
    assert data != basic, label
    claims = _read(data)
    assert len(claims) == len(_read(basic))
    assert any(n.kind == name.split(b"*")[2].decode() for c in claims for n in c.names)


def test_every_layout_and_chunking_raises_the_same_error(basic: bytes) -> None:
    data = basic.replace(PATIENT, b"NM1*QC*X*POE*EDGAR")
    variants = [
        data,
        data.replace(b"~\n", b"~"),
        data.replace(b"~\n", b"~\r\n"),
        data.replace(b"*", b"|").replace(b":", b">").replace(b"~\n", b"\n"),
    ]
    for raw in variants:
        for size in (7, 1 << 20):
            chunks = [raw[i : i + size] for i in range(0, len(raw), size)]
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                with pytest.raises(X12ParseError) as info:
                    for _ in remit.claims(_Chunks(chunks)):
                        pass
            assert info.value.offset is not None
            assert raw[info.value.offset :].lstrip().startswith(b"NM1")


class _Chunks:
    """A binary file object that returns the given chunks one by one."""

    def __init__(self, chunks: list[bytes]) -> None:
        self._chunks = list(reversed(chunks))

    def read(self, size: int = -1) -> bytes:
        return self._chunks.pop() if self._chunks else b""
