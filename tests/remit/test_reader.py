"""The reader on our own synthetic 835s: delimiters, envelopes, checks, errors (issue 6, 1-3)."""

from __future__ import annotations

import io
import re
import warnings
from decimal import Decimal
from pathlib import Path

import attrs
import pytest

from denialkit import remit
from denialkit.exceptions import X12ParseError, X12Warning


def _summary(h: type, items: list[object]) -> tuple[int, int, int, list[str]]:
    """Claims, lines, adjustments, and the adjustment codes in file order."""
    claims = list(h.claims(items))
    lines = sum(len(c.lines) for c in claims)
    codes = [a.key for c in claims for _, a in c.iter_adjustments()]
    return len(claims), lines, len(codes), codes


def _variants(basic: bytes) -> dict[str, bytes]:
    segs = basic.split(b"~\n")[:-1]
    return {
        "tilde-newline": basic,
        "no-line-breaks": basic.replace(b"~\n", b"~"),
        "crlf": basic.replace(b"~\n", b"~\r\n"),
        "bom": b"\xef\xbb\xbf" + basic,
        "bom-crlf": b"\xef\xbb\xbf" + basic.replace(b"~\n", b"~\r\n"),
        "terminator-starts-lines": b"\n~".join(segs) + b"\n~\n",
        "pipe-caret-newline": basic.replace(b"*", b"|").replace(b":", b">").replace(b"~\n", b"\n"),
        "newline-only-crlf": basic.replace(b"~\n", b"\r\n"),
        "mixed-line-breaks": basic.replace(b"~\n", b"~\r\n", 20),
        "leading-whitespace": b"\n\n  " + basic,
    }


@pytest.mark.parametrize(
    "name",
    [
        "tilde-newline",
        "no-line-breaks",
        "crlf",
        "bom",
        "bom-crlf",
        "terminator-starts-lines",
        "pipe-caret-newline",
        "newline-only-crlf",
        "mixed-line-breaks",
        "leading-whitespace",
    ],
)
def test_every_layout_of_the_same_file_reads_the_same(basic: bytes, name: str, h: type) -> None:
    items, warned = h.read_all(_variants(basic)[name])
    assert warned == []
    expected = _summary(h, h.read_all(basic)[0])
    assert _summary(h, items) == expected
    assert expected[:3] == (9, 14, 18)
    (r,) = h.remits(items)
    assert r.balanced is True and r.payment_amount == Decimal("407.5")


def test_delimiters_come_from_the_isa_header(basic: bytes, data: Path) -> None:
    r = next(remit.read(basic))
    d = r.header.delimiters
    assert (d.element, d.component, d.segment, d.repetition) == ("*", ":", "~", "^")
    assert d.segment_text == "~\n"
    alt = next(remit.read(_variants(basic)["pipe-caret-newline"])).header.delimiters
    assert (alt.element, alt.component, alt.segment) == ("|", ">", "\n")
    shark = next(remit.read(_variants(basic)["terminator-starts-lines"])).header.delimiters
    assert (shark.segment, shark.segment_text) == ("~", "\n~")
    v4010 = next(remit.read(data / "unpadded4010.835")).header
    assert v4010.delimiters.repetition is None  # ISA11 is "U" before 5010
    assert v4010.version == "004010X091A1"


def test_unpadded_isa_4010_and_a_composite_separator_that_differs_from_isa16(
    data: Path, h: type
) -> None:
    items, warned = h.read_all(data / "unpadded4010.835")
    assert warned == []
    reversal, corrected = h.claims(items)
    assert reversal.reversal and reversal.status is remit.ClaimStatus.REVERSAL
    assert reversal.charge == Decimal("-310") and reversal.lines[0].procedure == "T1017"
    line = corrected.lines[0]
    assert (line.qualifier, line.procedure, line.modifiers) == ("HC", "T1017", ("TG",))
    # every triplet of every CAS, claim and line level, with quantities
    assert [(a.key, a.amount, a.quantity) for a in line.adjustments] == [
        ("CO-45", Decimal(100), Decimal(1)),
        ("CO-42", Decimal(0), None),
        ("PR-1", Decimal(30), None),
        ("PR-2", Decimal(15), None),
        ("PR-3", Decimal(5), None),
    ]
    assert line.start is not None and line.end is not None and line.start < line.end
    assert corrected.patient_responsibility == Decimal(50)
    assert h.remits(items)[0].balanced is True


def test_several_interchanges_groups_and_transaction_sets(data: Path, h: type) -> None:
    items, warned = h.read_all(data / "twoisa.835")
    # the 277 is skipped and reported
    assert len(warned) == 1 and "277" in warned[0] and "skipped" in warned[0]
    r1, r2 = h.remits(items)
    assert (r1.header.control_number, r2.header.control_number) == ("2002", "3001")
    assert r1.header.delimiters.element == "*" and r2.header.delimiters.element == "|"
    assert r2.header.delimiters.segment == "\n" and r2.header.delimiters.component == ">"
    assert (r1.header.interchange_control_number, r2.header.interchange_control_number) == (
        "000000201",
        "000000301",
    )
    assert r1.header.group_control_number == "202"
    c1, c2 = h.claims(items)
    assert c1.header == r1.header and c2.header == r2.header
    assert c2.denied and c2.lines[0].modifiers == ("25",) and c2.lines[0].remarks == ("N54",)
    # claims come first, each remittance at its SE
    kinds = [type(x).__name__ for x in items]
    assert kinds == ["ClaimPayment", "Remittance", "ClaimPayment", "Remittance"]


def test_no_envelope_reads_with_common_delimiters_and_a_warning(data: Path, h: type) -> None:
    with pytest.warns(X12Warning, match="no ISA/GS envelope"):
        items = list(remit.stream(data / "noenvelope.835"))
    (claim,) = h.claims(items)
    (r,) = h.remits(items)
    assert r.header.version is None and r.header.interchange_control_number is None
    assert [a.key for _, a in claim.iter_adjustments()] == ["PR-3"]
    assert r.balanced is True


def test_the_checks_report_warnings_with_locations(data: Path, h: type) -> None:
    raw = (data / "unbalanced.835").read_bytes()
    items, warned = h.read_all(raw)
    text = "\n".join(warned)
    for needle in [
        "service line does not balance",
        "claim does not balance",
        "CO-Z9 is not in the code tables",
        "SE01 does not match",
        "SE02 does not match",
        "transaction set does not balance",
        "GE01 does not match",
        "GE02 does not match",
        "IEA02 does not match",
    ]:
        assert needle in text, needle
    # every location is "segment N, byte B" and B is where segment N starts
    segs = raw.split(b"~\n")
    for w in warned:
        m = re.match(r"segment (\d+), byte (\d+): ", w)
        assert m, w
        n, off = int(m[1]), int(m[2])
        assert raw[off:].startswith(segs[n - 1]), w
    c1, c2 = h.claims(items)
    assert c1.balanced is False and c1.lines[0].balanced is False and c1.lines[1].balanced
    assert c2.adjustments[0].code is None and c2.adjustments[0].key == "CO-Z9"  # kept


@pytest.mark.parametrize(
    ("find", "replace", "message"),
    [
        (b"SE*114*0001", b"SE*113*0001", "SE01 does not match"),
        (b"SE*114*0001", b"SE*114*0002", "SE02 does not match"),
        (b"GE*1*101", b"GE*2*101", "GE01 does not match"),
        (b"GE*1*101", b"GE*1*102", "GE02 does not match"),
        (b"IEA*1*000000101", b"IEA*1*000000102", "IEA02 does not match"),
        (b"CAS*CO*45*15~\nREF*6R*PCN1001-2", b"CAS*CO*45*16~\nREF*6R*PCN1001-2", "service line"),
        (b"CAS*CO*197*300", b"CAS*CO*197*301", "claim does not balance"),
        (b"BPR*I*407.5*", b"BPR*I*407.6*", "transaction set does not balance"),
        (b"BPR*I*407.5*", b"BPR*I*four*", "BPR02"),
        (b"GS*HP*", b"GS*HR*", "GS01 is not HP"),
    ],
)
def test_strict_raises_each_failed_check(
    basic: bytes, find: bytes, replace: bytes, message: str
) -> None:
    raw = basic.replace(find, replace, 1)
    assert raw != basic
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        list(remit.stream(raw))
    assert any(re.search(message, str(w.message)) for w in caught)
    with pytest.raises(X12ParseError, match=message) as info:
        list(remit.stream(raw, strict=True))
    assert info.value.segment is not None


def test_strict_reads_a_clean_file(basic: bytes, data: Path) -> None:
    assert len(list(remit.claims(basic, strict=True))) == 9
    assert len(list(remit.claims(data / "unpadded4010.835", strict=True))) == 2


def test_unknown_adjustment_codes_are_kept_and_reported_once(basic: bytes, h: type) -> None:
    raw = basic.replace(b"CAS*CO*45*15~", b"CAS*CO*Q99*15~")
    items, warned = h.read_all(raw)
    assert sum("CO-Q99" in w for w in warned) == 1
    keys = [a.key for c in h.claims(items) for _, a in c.iter_adjustments()]
    assert keys.count("CO-Q99") == 2 and len(keys) == 18


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"   \n",
        b"hello world",
        b"ISA*00",
        b"ISA*00*          *00*",
        b"GS*HP*X~",
        b"\x00\x01\x02",
        "ISA*00*ÿ".encode("utf-16"),
    ],
)
def test_not_x12_raises_the_typed_error(data: bytes) -> None:
    with pytest.raises(X12ParseError):
        list(remit.stream(data))


def test_truncated_files_always_raise(basic: bytes) -> None:
    end = basic.index(b"IEA*")
    for cut in range(110, end, 7):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            with pytest.raises(X12ParseError, match="truncated"):
                list(remit.stream(basic[:cut]))


def test_a_truncated_file_names_where_it_ends(basic: bytes) -> None:
    with pytest.raises(X12ParseError) as info:
        list(remit.stream(basic[:2000]))
    assert info.value.offset == 2000
    assert info.value.segment == basic[:2000].count(b"~") + 1


def test_errors_name_segment_and_offset_never_values(basic: bytes, h: type) -> None:
    sentinel = b"ZZSENTINELPATIENT"
    named = basic.replace(b"NM1*QC*1*POE*EDGAR", b"NM1*QC*1*" + sentinel + b"*EDGAR")
    assert sentinel in named
    broken = [
        named.replace(b"CLP*PCN1003*1*210*", b"CLP*PCN1003*1*" + sentinel + b"*"),
        named.replace(b"SVC*HC:99484*60*", b"SVC*HC:99484*" + sentinel + b"*"),
        named.replace(b"SVC*HC:99484*60*0**1", b"SVC*HC"),
        named[: named.index(sentinel) + 5],
        named.replace(b"SVC*HC:99484*60*0**1", b"SVC*" + sentinel),
    ]
    for data in broken:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            with pytest.raises(X12ParseError) as info:  # noqa: PT012
                for c in remit.claims(data):
                    c.lines
        message = str(info.value)
        assert "ZZSENTINEL" not in message
        assert re.match(r"segment \d+, byte \d+: ", message), message
        assert all("ZZSENTINEL" not in str(w.message) for w in caught)
    # values that are only warned about never show up either
    warned_data = named.replace(b"CAS*CO*50*60", b"CAS*" + sentinel + b"*" + sentinel + b"*ZZ")
    warned_data = warned_data.replace(b"DTM*472*20260331", b"DTM*472*" + sentinel)
    warned_data = warned_data.replace(b"CLP*PCN1004", sentinel + b"*" + sentinel)
    _, warned = h.read_all(warned_data)
    assert warned and all("ZZSENTINEL" not in w for w in warned)


def test_error_offsets_point_at_the_segment(basic: bytes) -> None:
    raw = basic.replace(b"SVC*HC:99484*60*", b"SVC*HC:99484*six*")
    with pytest.raises(X12ParseError) as info:
        list(remit.stream(raw))
    err = info.value
    assert err.offset is not None and raw[err.offset :].startswith(b"SVC*HC:99484*six")
    assert err.segment == raw[: err.offset].count(b"~") + 1


class _Trickle(io.RawIOBase):
    """A binary stream that returns at most a few bytes per read (chunk boundaries everywhere)."""

    def __init__(self, data: bytes, step: int) -> None:
        self._data = data
        self._pos = 0
        self._step = step

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        chunk = self._data[self._pos : self._pos + self._step]
        self._pos += len(chunk)
        return chunk


@pytest.mark.parametrize("step", [1, 2, 3, 5, 64, 1000])
def test_chunk_boundaries_do_not_matter(basic: bytes, data: Path, step: int) -> None:
    for raw in (basic, (data / "twoisa.835").read_bytes(), _variants(basic)["crlf"]):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            whole = [(type(x).__name__, getattr(x, "offset", None)) for x in remit.stream(raw)]
            trickled = [
                (type(x).__name__, getattr(x, "offset", None))
                for x in remit.stream(_Trickle(raw, step))
            ]
        assert trickled == whole


def test_sources_path_str_bytes_and_binary_files(
    data: Path, basic: bytes, tmp_path: Path, h: type
) -> None:
    path = data / "basic.835"
    expected = [c.segments for c in remit.claims(basic)]
    for source in (
        path,
        str(path),
        bytearray(basic),
        memoryview(basic),
        io.BytesIO(basic),
    ):
        assert [c.segments for c in remit.claims(source)] == expected  # type: ignore[arg-type]
    with path.open("rb") as f:
        assert len(list(remit.claims(f))) == 9


@pytest.mark.parametrize(
    "source", [None, 42, ["ISA"], "ISA*00*          *00~ patient DOE", io.StringIO("ISA")]
)
def test_wrong_source_types_raise_type_error_at_once(source: object) -> None:
    with pytest.raises(TypeError) as info:
        remit.read(source)  # type: ignore[arg-type]
    assert "DOE" not in str(info.value)


def test_a_text_mode_file_is_refused(data: Path) -> None:
    with (data / "basic.835").open() as f, pytest.raises(TypeError, match="binary mode"):
        remit.read(f)  # type: ignore[arg-type]


def test_a_missing_file_raises_oserror_when_read(tmp_path: Path) -> None:
    gen = remit.read(tmp_path / "missing.835")
    with pytest.raises(FileNotFoundError):
        next(gen)


def test_no_835_in_the_file_is_reported(basic: bytes) -> None:
    # another transaction set (no CLP in it: a claim payment would make it an 835 mislabelled,
    # which raises, see test_variants)
    other = b"~\n".join(
        s for s in basic.replace(b"ST*835*0001", b"ST*837*0001").split(b"~\n") if s[:3] != b"CLP"
    )
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        assert list(remit.stream(other)) == []
    messages = [str(w.message) for w in caught]
    assert any("837" in m and "skipped" in m for m in messages)
    assert any("no 835 transaction set" in m for m in messages)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with pytest.raises(X12ParseError, match="no 835"):
            list(remit.stream(other, strict=True))


def test_a_flood_of_warnings_is_capped_and_counted(basic: bytes) -> None:
    raw = basic.replace(b"SE*114*0001", b"SE*1*0001")
    tx = raw[raw.index(b"ST*835") : raw.index(b"GE*")]
    many = raw.replace(tx, tx * 50).replace(b"GE*1*101", b"GE*50*101")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        n = sum(1 for _ in remit.read(many))
    assert n == 50
    messages = [str(w.message) for w in caught]
    assert sum("SE01" in m for m in messages) == 20
    assert any("30 more warnings" in m and "50 in all" in m for m in messages)


def test_remittance_totals_and_header(basic: bytes, h: type) -> None:
    (r,) = list(remit.read(basic))
    assert (r.claim_count, r.line_count, r.adjustment_count, r.denied_count) == (9, 14, 18, 2)
    assert r.total_payment == Decimal(420) and r.provider_adjustment_total == Decimal("12.5")
    assert r.total_patient_responsibility == Decimal(15)
    assert r.segment_count == 114
    h = r.header
    assert h.payer is not None and h.payer.name == "ACME HEALTH PLAN"
    assert h.payer.contacts[0].numbers == (("TE", "8005550100"),)
    assert h.payee is not None and (h.payee.id_qualifier, h.payee.identifier) == (
        "XX",
        "1234567893",
    )
    assert (h.payment_method, h.handling_code, h.trace_number) == ("ACH", "I", "EFT20260417001")
    assert [(p.reason, p.reference, p.amount) for p in r.provider_adjustments] == [
        ("L6", "INT001", Decimal("-2.5")),
        ("WO", "OVP1001", Decimal(15)),
    ]


def test_a_remittance_does_not_hold_its_claims() -> None:
    names = {a.name for a in attrs.fields(remit.Remittance)}
    assert "claim_count" in names
    assert not any("claim" in n and n != "claim_count" for n in names)


def test_claims_stream_before_the_transaction_ends(basic: bytes) -> None:
    """A claim is yielded as soon as it ends, long before its transaction set's SE."""
    start = basic.index(b"CLP*")
    end = basic.index(b"PLB*")
    big = basic[:start] + basic[start:end] * 200 + basic[end:]  # one transaction, 1,800 claims
    stream = _Trickle(big, 512)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # SE01 and the balance no longer match
        claims = remit.claims(stream)
        first = next(claims)
        assert first.patient_control_number == "PCN1001"
        assert stream._pos < 16_384 < len(big) // 20
        assert sum(1 for _ in claims) == 1_799


def test_claim_offsets_skip_the_newline_when_the_last_segment_has_none(basic: bytes) -> None:
    # '~\n' after every segment but the last: the reader cannot split on '~\n' exactly and
    # strips each segment, and a claim's offset must still be the 'C' of its CLP
    raw = basic.rstrip(b"\n")
    assert raw.count(b"~\n") == basic.count(b"~\n") - 1
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        claims = [x for x in remit.stream(raw) if isinstance(x, remit.ClaimPayment)]
    assert claims
    for claim in claims:
        assert raw[claim.offset : claim.offset + 4] == b"CLP*"
