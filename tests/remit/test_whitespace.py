"""Whitespace never changes meaning; offsets point at a segment's first byte (issue 10, 1 and 4).

A reformatted file (indentation, one segment per line, blank lines, CRLF, blanks before the
terminator) read in chunks of any size gives the same claims, lines, adjustments and
remittances as the file itself. Our own fixtures always run; the real files of
``../shared/x12`` run when that folder is present.
"""

from __future__ import annotations

import json
import re
import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from denialkit import remit
from denialkit.exceptions import X12ParseError
from denialkit.remit._reader import Reader

DATA = Path(__file__).resolve().parent / "data"
SHARED_X12 = Path(__file__).resolve().parents[2] / ".." / "shared" / "x12"
_EXPECTED = SHARED_X12 / "expected.json"
REAL = (
    sorted(
        name
        for name, want in json.loads(_EXPECTED.read_text("utf-8")).items()
        if isinstance(want, int) and want > 0
    )
    if _EXPECTED.is_file()
    else []
)
OURS = ["basic.835", "appeals.835", "twoisa.835", "unpadded4010.835", "unbalanced.835"]


def _chunks(data: bytes, size: int) -> Iterator[bytes]:
    for k in range(0, len(data), size):
        yield data[k : k + size]


def _content(data: bytes, size: int = 1 << 18) -> list[object]:
    """What a user sees of every item, without positions and delimiters."""
    out: list[object] = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for x in Reader().items(_chunks(data, size)):
            if isinstance(x, remit.ClaimPayment):
                out.append(
                    (
                        x.segments,
                        x.status_code,
                        x.charge,
                        x.payment,
                        x.patient_responsibility,
                        x.balanced,
                        x.adjustments,
                        # a line's segment number counts blank lines of a file whose
                        # terminator is the line break: positions are compared elsewhere
                        tuple(line._replace(segment=0) for line in x.lines),
                        x.dates,
                        x.references,
                        x.amounts,
                        x.remarks,
                        x.names,
                        [(u.tag, u.text) for u in x.unknown_segments],
                    )
                )
            else:
                out.append(
                    (
                        x.header.control_number,
                        x.header.payment_amount,
                        x.provider_adjustments,
                        x.claim_count,
                        x.line_count,
                        x.adjustment_count,
                        x.total_payment,
                        x.balanced,
                    )
                )
    return out


def _terminator(data: bytes) -> tuple[bytes, bytes]:
    """The segment terminator and element separator of an interchange."""
    if data.startswith(b"ISA"):
        sep = data[3:4]
        pos = 3
        for _ in range(15):
            pos = data.index(sep, pos + 1)
        return data[pos + 2 : pos + 3], sep
    return b"~", b"*"


def _segments(data: bytes) -> list[bytes]:
    """The segments, without blanks around them (and without a byte-order mark)."""
    data = data.removeprefix(b"\xef\xbb\xbf").lstrip(b" \t\r\n")
    term, _ = _terminator(data)
    return [s.strip(b" \t\r\n") for s in data.split(term) if s.strip(b" \t\r\n")]


_BLANKS = st.sampled_from(
    [b"", b" ", b"  ", b"\t", b"\n", b"\r\n", b"\n\n", b" \t\n  ", b"\r\n\r\n"]
)


@st.composite
def reformatted(draw: st.DrawFn, data: bytes) -> bytes:
    """``data`` with blanks drawn before each segment, between its end and its terminator,
    and after the terminator."""
    segs = _segments(data)
    term, _ = _terminator(data.removeprefix(b"\xef\xbb\xbf"))
    out = []
    for seg in segs:
        before = draw(_BLANKS)
        inside = draw(st.sampled_from([b"", b" ", b"\t", b"  "]))
        out.append(before + seg + inside + term)
    return b"".join(out) + draw(_BLANKS)


def _layouts(data: bytes) -> dict[str, bytes]:
    term, _ = _terminator(data.removeprefix(b"\xef\xbb\xbf"))
    segs = _segments(data)
    flat = term.join(segs) + term
    return {
        "one line": flat,
        "newline per segment": b"".join(s + term + b"\n" for s in segs),
        "crlf": b"".join(s + term + b"\r\n" for s in segs),
        "indented": b"".join(b"    " * (k % 4) + s + term + b"\n" for k, s in enumerate(segs)),
        "blank lines": b"".join(s + term + b"\n\n" for s in segs),
        "tabs and a blank before the terminator": b"".join(
            b"\t" + s + b" " + term + b"\n" for s in segs
        ),
        "newline before the segment": b"".join(b"\n" + s + term for s in segs),
        "leading whitespace of 300 KB": b" \n" * 150_000 + term.join(segs) + term,
        **(
            {
                "wrapped at 80 columns": _wrapped(flat, 80, b"\n"),
                "wrapped at 80 columns, CRLF": _wrapped(flat, 80, b"\r\n"),
            }
            if _wrappable(flat)
            else {}
        ),
    }


def _wrappable(flat: bytes) -> bool:
    """Whether a file of one line can be wrapped: no interchange in it ends its segments with
    a line break (one that does cannot be wrapped)."""
    return b"\n" not in flat and b"\r" not in flat


def _wrapped(data: bytes, width: int, newline: bytes) -> bytes:
    """``data`` cut into lines of ``width`` bytes wherever that falls (inside segments and
    their ids too), as mainframe systems deliver X12 files."""
    return newline.join(data[k : k + width] for k in range(0, len(data), width))


@pytest.mark.parametrize("name", OURS)
@pytest.mark.parametrize("size", [1, 7, 4096])
def test_layouts_and_chunk_sizes_of_our_files_read_the_same(name: str, size: int) -> None:
    data = (DATA / name).read_bytes()
    want = _content(data)
    assert want
    for layout, text in _layouts(data).items():
        if size == 1 and layout.startswith("leading"):
            continue  # the same bytes as the other layouts, 600 000 chunks of one byte
        assert _content(text, size) == want, layout


@pytest.mark.skipif(not REAL, reason="../shared/x12 is not present")
@pytest.mark.parametrize("name", REAL)
def test_layouts_and_chunk_sizes_of_real_files_read_the_same(name: str) -> None:
    data = (SHARED_X12 / name).read_bytes()
    want = _content(data)
    assert want
    for layout, text in _layouts(data).items():
        for size in (7, 4096) if not layout.startswith("leading") else (4096,):
            assert _content(text, size) == want, (layout, size)
    if len(data) < 20_000:  # one byte at a time: slow on the larger files
        assert _content(_layouts(data)["indented"], 1) == want


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data(), st.sampled_from(OURS), st.integers(1, 5000))
def test_any_reformatting_and_chunking_reads_the_same(
    draw: st.DataObject, name: str, size: int
) -> None:
    data = (DATA / name).read_bytes()
    text = draw.draw(reformatted(data))
    assert _content(text, size) == _content(data)


@pytest.mark.skipif(not REAL, reason="../shared/x12 is not present")
@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data(), st.sampled_from(REAL or ["-"]), st.integers(1, 5000))
def test_any_reformatting_of_real_files_reads_the_same(
    draw: st.DataObject, name: str, size: int
) -> None:
    data = (SHARED_X12 / name).read_bytes()
    text = draw.draw(reformatted(data))
    assert _content(text, size) == _content(data)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.sampled_from(OURS + REAL),
    st.integers(1, 300),
    st.sampled_from([b"\n", b"\r\n"]),
    st.integers(1, 5000),
)
def test_a_file_wrapped_at_any_width_reads_the_same(
    name: str, width: int, newline: bytes, size: int
) -> None:
    """Line breaks at a fixed width, wherever they fall: inside the ISA header, a segment id,
    an amount, between a terminator and the next segment."""
    data = (DATA / name if name in OURS else SHARED_X12 / name).read_bytes()
    term, _ = _terminator(data.removeprefix(b"\xef\xbb\xbf"))
    flat = term.join(_segments(data)) + term
    if not _wrappable(flat):
        return
    assert _content(_wrapped(flat, width, newline), size) == _content(data)


@pytest.mark.parametrize("width", [1, 2, 3, 4, 80, 105, 106, 132])
def test_a_wrapped_files_offsets_are_the_first_byte_of_their_segment(width: int) -> None:
    data = _wrapped((DATA / "basic.835").read_bytes().replace(b"\n", b""), width, b"\r\n")
    found = list(Reader().items(_chunks(data, 4096)))
    assert found
    for x in found:
        offset, tag = (
            (x.offset, b"CLP") if isinstance(x, remit.ClaimPayment) else (x.header.offset, b"ST")
        )
        assert data[offset] == tag[0]
        assert data[offset : offset + 12].replace(b"\r\n", b"").startswith(tag), offset


def test_an_indented_crlf_file_with_blank_lines_reads_like_the_plain_one() -> None:
    """The committed fixture: tabs and spaces by loop, a blank before each terminator, a blank
    line before each claim, CRLF, no line break at the end."""
    indented = (DATA / "indented.835").read_bytes()
    assert _content(indented) == _content((DATA / "basic.835").read_bytes())
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        claims = list(remit.claims(indented, strict=True))
    assert [c.status_code for c in claims] == ["1", "4", "1", "1", "2", "22", "1", "1", "4"]
    assert sum(c.payment for c in claims) == 420  # the reversal (-60) is not lost


def test_a_clp_after_a_blank_line_keeps_its_claim_and_an_svc_its_line() -> None:
    """The defects of issue 10: a CLP or SVC after blanks near a chunk boundary was lost."""
    data = (DATA / "basic.835").read_bytes()
    padded = data.replace(b"~\nCLP", b"~\n\n   CLP").replace(b"~\nSVC", b"~\n\t\nSVC")
    for size in (1, 7, 4096, 4099, 1 << 18):
        claims = _content(padded, size)
        assert claims == _content(data), size


def _starts(data: bytes, offset: int, tag: bytes) -> bool:
    return data[offset : offset + len(tag)] == tag


@pytest.mark.parametrize("name", ["indented.835", "basic.835", "repeated.835"])
@pytest.mark.parametrize("size", [1, 7, 4096])
def test_claim_and_remittance_offsets_are_the_first_byte_of_their_segment(
    name: str, size: int
) -> None:
    data = (DATA / name).read_bytes()
    for x in Reader().items(_chunks(data, size)):
        if isinstance(x, remit.ClaimPayment):
            assert _starts(data, x.offset, b"CLP"), x.offset
        else:
            assert _starts(data, x.header.offset, b"ST"), x.header.offset


def test_warning_and_error_offsets_are_the_first_byte_of_their_segment() -> None:
    data = (DATA / "indented.835").read_bytes()
    unbalanced = data.replace(b"CAS*CO*197*300 ~", b"CAS*CO*197*301 ~")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        list(remit.claims(unbalanced))
    offsets = [int(m[1]) for w in caught if (m := re.search(r"byte (\d+)", str(w.message)))]
    assert offsets and all(_starts(unbalanced, o, b"CLP") for o in offsets)
    broken = data.replace(b"SVC*HC:85025*40*25", b"SVC*HC:85025*40", 1)
    with pytest.raises(X12ParseError, match=r"SVC03 is empty") as info:
        list(remit.claims(broken))
    assert info.value.offset is not None and _starts(broken, info.value.offset, b"SVC")


def test_a_non_ascii_element_separator_is_refused_at_byte_zero() -> None:
    """U+00D6 is two bytes in UTF-8; the file is not X12 (expected.json: error)."""
    data = (DATA / "nonascii_separator.835").read_bytes()
    with pytest.raises(X12ParseError, match="element separator") as info:
        list(remit.claims(data))
    assert (info.value.segment, info.value.offset) == (1, 0)


def test_many_interchanges_one_per_line_read_in_place() -> None:
    data = (DATA / "repeated.835").read_bytes()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        items = list(remit.stream(data, strict=True))
    remits = [x for x in items if isinstance(x, remit.Remittance)]
    assert len(remits) == 5 and len(items) == 5 * 10
    assert all(r.balanced for r in remits)


def test_a_chunk_cut_between_terminator_and_line_break_keeps_the_fast_split() -> None:
    """The split on ``"~\\n"`` survives a chunk that ends after a ``~`` (the piece carried
    over is checked with the next chunk); at the end of the data the lone ``~`` ends a
    segment, so the split falls back to the terminator alone."""
    from denialkit.remit._reader import _split

    raw, gap = _split("ST*835*1~\nBPR*I*1~\nTRN*1*2~", "~", "~\n", eof=False)
    assert (raw, gap) == (["ST*835*1", "BPR*I*1", "TRN*1*2~"], 2)
    raw, gap = _split("ST*835*1~\nBPR*I*1~\nTRN*1*2~", "~", "~\n", eof=True)
    assert (raw, gap) == (["ST*835*1", "\nBPR*I*1", "\nTRN*1*2", ""], 1)


@pytest.mark.parametrize(
    "padding", [b"\x00" * 600, b"\x1a", b"\r\n\x1a", b"\n" + b"\x00" * 5000 + b"\x1a"]
)
@pytest.mark.parametrize("size", [1, 7, 4096])
def test_padding_after_the_last_segment_is_not_a_segment(padding: bytes, size: int) -> None:
    """A file padded with NUL bytes to a block size, or ended by a DOS Ctrl-Z, reads as the
    file itself, without a warning."""
    data = (DATA / "basic.835").read_bytes()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        found = list(Reader().items(_chunks(data + padding, size)))
    assert len(found) == len(list(Reader().items(_chunks(data, 4096))))
    assert _content(data + padding, size) == _content(data)


@pytest.mark.parametrize("junk", [b"\x00", b"\x1a", b"\x00" * 40, b"\xef\xbb\xbf", b"\x7f"])
@pytest.mark.parametrize("before", [b"CLP", b"SVC", b"LX", b"PLB"])
def test_junk_bytes_before_a_segment_inside_the_data_raise(junk: bytes, before: bytes) -> None:
    """Control or non-ASCII bytes where a segment id starts are damage: the segment behind them
    (a claim, a line) is never taken for an unknown one and dropped or set aside."""
    data = (DATA / "basic.835").read_bytes()
    cut = data.index(before)
    segment = data[:cut].count(b"~") + 1
    with pytest.raises(X12ParseError, match=rf"^segment {segment}, byte {cut}: .*damaged"):
        list(remit.claims(data[:cut] + junk + data[cut:]))
