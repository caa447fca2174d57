"""Real 835 shapes, round 9, written small here with our own values: claims dated only by
their statement period, typed MIA/MOA adjudication, reversals, provider adjustments and
envelopes. Each test asserts what a user sees (dates, amounts, codes, letters, warnings).
"""

from __future__ import annotations

import pickle
import warnings
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

import denialkit
from denialkit import batch, remit
from denialkit.claim import Provider
from denialkit.exceptions import X12ParseError

_ISA = (
    "ISA*00*          *00*          *ZZ*PAYERX         *ZZ*CLINICY        *261201*1200*"
    "^*00501*000000101*0*P*:"
)
_HEAD = [
    "BPR*I*0*C*NON************20261203",
    "TRN*1*TRACE01*1512345678",
    "DTM*405*20261201",
    "N1*PR*PAYER X",
    "N1*PE*CLINIC Y*XX*1234567893",
]
_PRACTICE = Provider(name="Clinic Y")


def _head(paid: str) -> list[str]:
    """The header with BPR02 = ``paid`` (the claims' payments: the set balances)."""
    return [_HEAD[0].replace("BPR*I*0*", f"BPR*I*{paid}*"), *_HEAD[1:]]


def _835(body: list[str], head: list[str] = _HEAD) -> bytes:
    """One interchange, one group, one 835 holding ``head`` and ``body``."""
    st = ["ST*835*0001*005010X221A1", *head, *body]
    segs = [
        _ISA,
        "GS*HP*PAYERX*CLINICY*20261201*1200*1*X*005010X221A1",
        *st,
        f"SE*{len(st) + 1}*0001",
        "GE*1*1",
        "IEA*1*000000101",
    ]
    return "".join(s + "~\n" for s in segs).encode("latin-1")


def _quiet(fn, *args, **kw):  # type: ignore[no-untyped-def]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return fn(*args, **kw)


def _warnings(fn, *args, **kw):  # type: ignore[no-untyped-def]
    """``fn``'s result and the messages of the warnings it gave."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        out = fn(*args, **kw)
    return out, [str(w.message) for w in caught]


# -- a claim dated only by its statement period ---------------------------------------------


def _denied(dates: list[str], line_dates: list[str] = ()) -> bytes:  # type: ignore[assignment]
    return _835(
        [
            "CLP*ACC1*4*200*0**MB*PX1",
            "NM1*QC*1*DOE*JANE****MI*M123",
            *dates,
            "SVC*HC:99484*120*0**1",
            *line_dates,
            "CAS*CO*50*120",
            "SVC*HC:99213*80*0**1",
            "CAS*CO*50*80",
        ]
    )


@pytest.mark.parametrize(
    ("dates", "period", "day"),
    [
        (["DTM*232*20261101", "DTM*233*20261130"], (date(2026, 11, 1), date(2026, 11, 30)), 1),
        (["DTM*233*20261130"], (date(2026, 11, 30), date(2026, 11, 30)), 30),
        (["DTM*232*20261101"], (date(2026, 11, 1), date(2026, 11, 1)), 1),
        # the end given before the start, as some payers write them
        (["DTM*233*20261130", "DTM*232*20261101"], (date(2026, 11, 1), date(2026, 11, 30)), 1),
    ],
)
def test_lines_without_dates_take_the_claims_statement_period(
    dates: list[str], period: tuple[date, date], day: int
) -> None:
    # a claim dated only by DTM*233 lost its dates: denials() gave no service date, the
    # table rows none, and to_claim() refused the claim ("services[0].date")
    data = _denied(dates)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        claim = next(remit.claims(data))
        items = list(remit.denials(data))
    served = date(2026, 11, day)
    assert claim.service_period == period
    assert claim.service_date() == served
    assert [line.start for line in claim.lines] == [None, None]  # the lines say nothing
    assert [claim.service_date(line) for line in claim.lines] == [served, served]
    assert [i.service_date for i in items] == [served, served]
    assert {r["service_date"] for r in remit.to_records(data)} == {served}
    letter_claim = claim.to_claim(provider=_PRACTICE)
    assert [s.date for s in letter_claim.services] == [served, served]
    assert letter_claim.service_dates == (served,)
    letter = denialkit.appeal(letter_claim.denial.codes, letter_claim)
    assert served.strftime("%B") in letter.text


def test_a_lines_own_date_wins_over_the_statement_period() -> None:
    data = _denied(["DTM*233*20261130"], ["DTM*472*20261105"])
    claim = next(remit.claims(data))
    first, second = claim.lines
    assert claim.service_date(first) == date(2026, 11, 5)
    assert claim.service_date(second) == date(2026, 11, 30)
    assert [s.date for s in claim.to_claim(provider=_PRACTICE).services] == [
        date(2026, 11, 5),
        date(2026, 11, 30),
    ]


def test_a_line_with_only_the_end_of_its_range_uses_it() -> None:
    data = _denied(["DTM*232*20261101"], ["DTM*151*20261107"])
    claim = next(remit.claims(data))
    assert claim.service_date(claim.lines[0]) == date(2026, 11, 7)
    assert claim.to_claim(provider=_PRACTICE).services[0].date == date(2026, 11, 7)


def test_a_claim_without_any_date_still_names_what_it_lacks() -> None:
    claim = next(remit.claims(_denied(["DTM*050*20261110"])))  # received: not a service date
    assert claim.service_period is None and claim.service_date() is None
    with pytest.raises(denialkit.exceptions.ClaimDataError, match="DTM\\*233 on the claim"):
        claim.to_claim(provider=_PRACTICE)


def test_a_batch_writes_the_letter_of_a_claim_dated_only_by_dtm_233(tmp_path) -> None:  # type: ignore[no-untyped-def]
    # the batch used to list this claim as skipped ("services[0].date") instead of writing it
    data = _denied(["DTM*233*20261130"])
    results = _quiet(lambda: list(batch.appeals(data, provider=_PRACTICE)))
    assert len(results) == 1
    assert results[0].reason is None and results[0].letter is not None
    assert "November 30, 2026" in results[0].letter.text


# -- MIA and MOA: typed adjudication ----------------------------------------------------------

_MIA = {
    1: "4",
    3: "0",
    4: "17500.25",
    5: "MA01",
    6: "12.5",
    13: "100",
    15: "5",
    17: "40.75",
    19: "250",
    20: "N130",
    21: "MA02",
}
_INPATIENT = [
    "CLP*ACC7*1*25000*18000*500*MA*PX7*11*1***470",
    "NM1*QC*1*DOE*JANE****MI*M123",
    # MIA01 to MIA21: days, DRG and PPS amounts, and remark codes at 05, 20 and 21
    "MIA*" + "*".join(_MIA.get(k, "") for k in range(1, 22)),
    "DTM*232*20261101",
    "DTM*233*20261105",
    "CAS*CO*45*6500",
    "CAS*PR*1*500",
]
_OUTPATIENT = [
    "CLP*ACC8*1*300*200*20*MB*PX8",
    "NM1*QC*1*DOE*JOHN****MI*M456",
    "MOA*0.8*180*MA130* N130 *ZZ99**MA01*15*2.50",
    "SVC*HC:99213*300*200**1",
    "DTM*472*20261102",
    "CAS*CO*45*80",
    "CAS*PR*2*20",
]


def test_mia_amounts_and_remarks_are_typed() -> None:
    data = _835(_INPATIENT, _head("18000"))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        claim = next(remit.claims(data))
    mia = claim.inpatient
    assert isinstance(mia, remit.InpatientAdjudication)
    assert claim.outpatient is None
    assert mia.covered_days == Decimal(4)
    assert mia.pps_operating_outlier is None  # empty element
    assert mia.lifetime_psychiatric_days == Decimal(0)
    assert mia.drg_amount == Decimal("17500.25")
    assert mia.disproportionate_share == Decimal("12.5")
    assert mia.pps_capital_ime == Decimal(100)
    assert mia.cost_report_days == Decimal(5)
    assert mia.pps_capital_outlier == Decimal("40.75")
    assert mia.nonpayable_professional_component == Decimal(250)
    assert mia.remarks == ("MA01", "N130", "MA02")
    assert [c.key if c is not None else None for c in mia.remark_codes] == ["MA01", "N130", "MA02"]
    assert all(c is not None and c.system.value == "RARC" for c in mia.remark_codes)
    assert claim.remarks == ("MA01", "N130", "MA02")
    assert mia.segment == claim.segment + 2
    assert data.split(b"~\n")[mia.segment - 1].startswith(b"MIA*")


def test_moa_amounts_and_remarks_are_typed() -> None:
    data = _835(_OUTPATIENT, _head("200"))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        claim = next(remit.claims(data))
    moa = claim.outpatient
    assert isinstance(moa, remit.OutpatientAdjudication)
    assert claim.inpatient is None
    assert moa.reimbursement_rate == Decimal("0.8")
    assert moa.hcpcs_payable == Decimal(180)
    assert moa.esrd_payment == Decimal(15)
    assert moa.nonpayable_professional_component == Decimal("2.50")
    # padded remarks are the codes they spell; one the tables do not know stays, as None
    assert moa.remarks == ("MA130", "N130", "ZZ99", "MA01")
    codes = moa.remark_codes
    assert [c.key if c is not None else None for c in codes] == ["MA130", "N130", None, "MA01"]
    # a claim-level MOA remark goes with the claim's codes into the letter's claim
    body = [*_OUTPATIENT[:3], "CAS*CO*16*100", *_OUTPATIENT[3:]]
    body[0] = "CLP*ACC8*1*400*200*20*MB*PX8"
    item = next(remit.denials(_835(body)))
    assert "MA130" in item.claim.to_claim(provider=_PRACTICE).denial.codes


def test_a_claim_without_mia_or_moa_has_neither() -> None:
    claim = next(remit.claims(_835(_OUTPATIENT[:2] + _OUTPATIENT[3:])))
    assert claim.inpatient is None and claim.outpatient is None and claim.remarks == ()


@pytest.mark.parametrize(
    ("segment", "element", "field"),
    [
        ("MIA*4**0*17,500.25*MA01", "MIA04", "drg_amount"),
        ("MIA*four**0*17500.25*MA01", "MIA01", "covered_days"),
        ("MIA*4**0*17500.25*MA01*1E3", "MIA06", "disproportionate_share"),
        ("MOA*80%*180*MA130", "MOA01", "reimbursement_rate"),
        ("MOA*0.8*$180*MA130", "MOA02", "hcpcs_payable"),
        ("MOA*0.8*180*MA130*****15 00", "MOA08", "esrd_payment"),
    ],
)
def test_a_malformed_mia_or_moa_number_is_reported_with_its_position(
    segment: str, element: str, field: str
) -> None:
    body = [*_INPATIENT[:2], segment, *_INPATIENT[3:]]
    data = _835(body, _head("18000"))
    (claim,), warned = _warnings(lambda: list(remit.claims(data)))
    record = claim.inpatient if segment.startswith("MIA") else claim.outpatient
    assert record is not None
    assert getattr(record, field) is None  # kept as None, the rest of the segment read
    assert record.remarks[:1] == ("MA01",) or record.remarks[:1] == ("MA130",)
    position = data.index(segment.encode())
    [message] = warned
    assert message.startswith(f"segment {record.segment}, byte {position}: {element} is not")
    assert "kept as None" in message
    bad = segment.split("*")[int(element[3:])]
    assert bad not in message
    with pytest.raises(X12ParseError, match=element) as info:
        list(remit.claims(data, strict=True))
    assert (info.value.segment, info.value.offset) == (record.segment, position)
    assert bad not in str(info.value)


def test_negative_mia_amounts_of_a_reversal_are_read() -> None:
    body = [
        "CLP*ACC9*22*-25000*-18000*-500*MA*PX9*11*1***470",
        "NM1*QC*1*DOE*JANE****MI*M123",
        "MIA*-4***-17500.25*N689",
        "CAS*CO*45*-6500",
        "CAS*PR*1*-500",
    ]
    claim = _quiet(lambda: next(remit.claims(_835(body))))
    assert claim.reversal and claim.balanced
    assert claim.inpatient is not None
    assert (claim.inpatient.covered_days, claim.inpatient.drg_amount) == (
        Decimal(-4),
        Decimal("-17500.25"),
    )
    assert claim.inpatient.remarks == ("N689",)


def test_a_second_mia_or_one_inside_a_line_is_kept_as_unknown() -> None:
    body = [*_INPATIENT[:3], "MIA*9***1*N30", *_INPATIENT[3:], "SVC*NU:0450*1*1", "MOA***M15"]
    body[0] = "CLP*ACC7*1*25001*18001*500*MA*PX7*11*1***470"
    claim, warned = _warnings(lambda: next(remit.claims(_835(body))))
    assert claim.inpatient is not None and claim.inpatient.covered_days == Decimal(4)
    assert claim.outpatient is None
    assert [u.tag for u in claim.unknown_segments] == ["MIA", "MOA"]
    assert "N30" not in claim.remarks and "M15" not in claim.remarks
    assert sum("has no place in" in w for w in warned) == 2


def test_mia_and_moa_pickle_and_their_reprs_show_no_amount() -> None:
    inpatient = next(remit.claims(_835(_INPATIENT)))
    outpatient = next(remit.claims(_835(_OUTPATIENT)))
    for claim in (inpatient, outpatient):
        again = pickle.loads(pickle.dumps(claim))
        assert (again.inpatient, again.outpatient) == (claim.inpatient, claim.outpatient)
    shown = repr(inpatient.inpatient) + repr(outpatient.outpatient)
    for amount in ("17500.25", "12.5", "40.75", "250", "0.8", "180", "2.50"):
        assert amount not in shown
    assert "remarks=('MA01', 'N130', 'MA02')" in shown and "segment=" in shown


_SHARED = Path(__file__).resolve().parents[2] / ".." / "shared" / "x12"


@pytest.mark.skipif(not _SHARED.is_dir(), reason="../shared/x12 is not present")
def test_mia_and_moa_of_real_files() -> None:
    part_a = _quiet(lambda: list(remit.claims(_SHARED / "lfh__medicare-part-a.835")))
    with_mia = [c for c in part_a if c.inpatient is not None]
    assert with_mia and with_mia[0].inpatient is not None
    assert with_mia[0].inpatient.drg_amount == Decimal("138018.40")
    assert with_mia[0].inpatient.covered_days == Decimal(0)
    with_moa = [c for c in part_a if c.outpatient is not None]
    assert with_moa and with_moa[0].outpatient is not None
    assert [c.key for c in with_moa[0].outpatient.remark_codes if c] == ["MA02"]
    # a sample whose MIA24 (an amount) holds text: reported, kept as None, nothing else lost
    claims, warned = _warnings(lambda: list(remit.claims(_SHARED / "affect__sample_835.txt")))
    mias = [c.inpatient for c in claims if c.inpatient is not None]
    assert len(mias) == 4 and all(m.drg_amount == Decimal(3) for m in mias)
    assert all(m.pps_capital_exception is None for m in mias)
    assert any("MIA24 is not an X12 number" in w for w in warned)
