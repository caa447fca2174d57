"""Every file in ../shared/x12 reads or fails as its expected.json says (issue 6, part 2).

The files are read where they are, never copied into the repository; the tests skip when the
folder is absent. Claim and line counts are checked against the CLP and SVC segments counted
here independently of the reader, adjustment counts against expected.json.
"""

from __future__ import annotations

import json
import re
import warnings
from pathlib import Path

import pytest

from denialkit import remit
from denialkit.exceptions import X12ParseError

SHARED_X12 = Path(__file__).resolve().parents[2] / ".." / "shared" / "x12"
EXPECTED: dict[str, object] = (
    json.loads((SHARED_X12 / "expected.json").read_text("utf-8"))
    if (SHARED_X12 / "expected.json").is_file()
    else {}
)
pytestmark = pytest.mark.skipif(not EXPECTED, reason="../shared/x12 is not present")


def _count(data: bytes, tag: bytes) -> int:
    """Segments with this id, counted without the reader: the id after a non-alphanumeric."""
    return len(re.findall(rb"(?:^|[^A-Za-z0-9])" + tag + rb"[*|]", data))


def _read(path: Path) -> tuple[list[object], list[str], Exception | None]:
    items: list[object] = []
    error: Exception | None = None
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            for x in remit.stream(path):
                if isinstance(x, remit.ClaimPayment):
                    x.lines
                items.append(x)
        except X12ParseError as exc:
            error = exc
    return items, [str(w.message) for w in caught], error


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_real_file(name: str) -> None:
    path = SHARED_X12 / name
    data = path.read_bytes()
    want = EXPECTED[name]
    items, warned, error = _read(path)
    claims = [x for x in items if isinstance(x, remit.ClaimPayment)]
    if want == "error":
        assert error is not None, "a malformed or truncated file must raise X12ParseError"
        assert re.match(r"segment \d+, byte \d+: ", str(error))
        return
    if want == "no-envelope":
        assert any("no ISA/GS envelope" in w for w in warned)
        return  # read with a warning, or raised the typed error: both are allowed
    assert error is None, str(error)
    if want == "no-835":
        assert items == []
        assert any("no 835 transaction set" in w for w in warned)
        return
    adjustments = sum(1 for c in claims for _ in c.iter_adjustments())
    assert adjustments == want
    assert len(claims) == _count(data, b"CLP")
    assert sum(len(c.lines) for c in claims) == _count(data, b"SVC")
    # every warning names a segment and the byte where a segment starts
    for w in warned:
        m = re.match(r"segment (\d+), byte (\d+): ", w)
        if m:
            start = data[int(m[2]) : int(m[2]) + 2]
            assert start.isalnum() or start[:1] in b"~", (w, start)


@pytest.mark.skipif(not EXPECTED, reason="../shared/x12 is not present")
def test_real_file_details() -> None:
    """A few facts the files' descriptions promise, read through the public API."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        nevada = list(remit.claims(SHARED_X12 / "affect__nevada_medicaid.txt"))
        assert [c.status_code for c in nevada] == ["4", "2", "4"]
        assert nevada[0].denied and [a.key for a in nevada[0].adjustments] == ["OA-147", "CO-26"]
        uhc = list(remit.claims(SHARED_X12 / "affect__united_healthcare_legacy_sample.txt"))
        assert uhc[1].lines[2].adjustments[0].key == "PR-2"
        assert [a.key for a in uhc[1].lines[2].adjustments] == ["PR-2", "PR-1", "CO-45"]
        assert uhc[0].lines[0].procedure == "B4152"  # '>' component separator
        secondary = list(remit.claims(SHARED_X12 / "lfh__secondary-payment.835"))
        line = secondary[1].lines[0]
        assert (line.procedure, line.modifiers) == ("12345", ("26",))  # '>' while ISA16 is ':'
        pyx = list(remit.read(SHARED_X12 / "pyx12__835id.x12"))
        assert len(pyx[0].provider_adjustments) == 3
        assert pyx[0].header.version == "004010X091A1"
        reversals = [
            c for c in remit.claims(SHARED_X12 / "x12types__parse_835_01.835") if c.reversal
        ]
        assert len(reversals) == 2 and reversals[0].lines[0].units == -2
        shark = list(remit.claims(SHARED_X12 / "tigershark__835-example.txt"))
        assert shark[1].lines[0].remarks == ("N220", "M68")
        two = list(remit.read(SHARED_X12 / "lfh__managed-care.two-isa.835"))
        assert len(two) == 2
