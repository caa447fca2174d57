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

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import denialkit
from denialkit import batch, remit
from denialkit.claim import Provider
from denialkit.exceptions import X12ParseError
from x12_text import ISA, envelope, quiet

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
    return envelope([*head, *body])


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
    results = quiet(lambda: list(batch.appeals(data, provider=_PRACTICE)))
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
    item = next(iter(quiet(list, remit.denials(_835(body)))))
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
    claim = quiet(lambda: next(remit.claims(_835(body))))
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
    assert sum("a second MIA segment is in a claim" in w for w in warned) == 1
    assert sum("a segment (MOA) has no place in a service line" in w for w in warned) == 1


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
    part_a = quiet(lambda: list(remit.claims(_SHARED / "lfh__medicare-part-a.835")))
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


# -- a reversal and its correction ---------------------------------------------------------------

_REVERSAL = [
    # the payer takes back its earlier payment (status 22, every amount negated) ...
    "CLP*ACC1*22*-200*-150*-10*12*PX1",
    "NM1*QC*1*DOE*JANE****MI*M123",
    "SVC*HC:99213*-200*-150**-1",
    "DTM*472*20261101",
    "CAS*CO*45*-40",
    "CAS*PR*2*-10",
    # ... and pays the claim again as corrected, under a new claim number, with a denial
    "CLP*ACC1*1*200*120*10*12*PX2",
    "NM1*QC*1*DOE*JANE****MI*M123",
    "REF*F8*PX1",
    "SVC*HC:99213*200*120**1",
    "DTM*472*20261101",
    "CAS*CO*45*40",
    "CAS*PR*2*10",
    "CAS*CO*16*30",
    "LQ*HE*N290",
    # the net is negative: the payment is zero and the balance is carried forward (FB)
    "PLB*1234567893*20261231*FB:ACC1*-30",
]


def test_a_reversal_and_its_correction_are_read_and_reconcile() -> None:
    data = _835(_REVERSAL)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # every claim, line and the transaction set balance
        items = list(remit.stream(data))
    reversal, correction, remittance = items
    assert isinstance(reversal, remit.ClaimPayment) and isinstance(remittance, remit.Remittance)
    assert isinstance(correction, remit.ClaimPayment)
    assert reversal.reversal and reversal.status is remit.ClaimStatus.REVERSAL
    assert (reversal.charge, reversal.payment) == (Decimal(-200), Decimal(-150))
    assert reversal.lines[0].units == Decimal(-1)
    assert [a.amount for _, a in reversal.iter_adjustments()] == [Decimal(-40), Decimal(-10)]
    assert reversal.balanced and correction.balanced and remittance.balanced
    assert ("F8", "PX1") in correction.references  # the correction names what it replaces
    assert remittance.total_payment == Decimal(-30)
    assert [(p.reason, p.reference, p.amount) for p in remittance.provider_adjustments] == [
        ("FB", "ACC1", Decimal(-30))
    ]
    # only the correction's denial is work; the taken-back amounts are not
    work = list(remit.denials(data))
    assert [(i.claim.status_code, [a.key for a in i.adjustments]) for i in work] == [
        ("1", ["CO-16"])
    ]
    rows = remit.to_records(data)
    assert [(r["claim_status"], r["amount"], r["needs_work"]) for r in rows] == [
        ("22", Decimal(-40), False),
        ("22", Decimal(-10), False),
        ("1", Decimal(40), False),
        ("1", Decimal(10), False),
        ("1", Decimal(30), True),
    ]
    letter_claim = work[0].claim.to_claim(provider=_PRACTICE)
    assert letter_claim.claim_number == "PX2"
    assert letter_claim.denial.codes == ("CO-16", "N290")


# -- provider-level adjustments (PLB) ------------------------------------------------------------


@pytest.mark.parametrize(
    ("plb", "want"),
    [
        # composite reference ids, a recovery (positive) and interest and a refund (negative)
        (
            "PLB*1234567893*20261231*WO:PX9ACC2*25.5*L6:INT2026*-3.25*FB>ABC-123*-10*72*5",
            [
                ("WO", "PX9ACC2", Decimal("25.5")),
                ("L6", "INT2026", Decimal("-3.25")),
                ("FB", "ABC-123", Decimal(-10)),
                ("72", None, Decimal(5)),
            ],
        ),
        # a reference holding the separator again keeps it whole
        ("PLB*1234567893*20261231*WO:ACC2:20261101*17.25", [("WO", "ACC2:20261101", None)]),
        # a reason padded or in lower case is the code it spells; the reference keeps its case
        (
            "PLB*1234567893*20261231*wo :acc2*20*  L6*-2.75",
            [("WO", "acc2", None), ("L6", None, None)],
        ),
    ],
)
def test_provider_adjustments_keep_their_references_and_signs(
    plb: str, want: list[tuple[str, str | None, Decimal | None]]
) -> None:
    claim = [
        "CLP*ACC1*1*200*150*10*12*PX1",
        "NM1*QC*1*DOE*JANE****MI*M123",
        "SVC*HC:99213*200*150**1",
        "DTM*472*20261101",
        "CAS*CO*45*40",
        "CAS*PR*2*10",
    ]
    elements = plb.split("*")
    total = sum((Decimal(x) for x in elements[4::2]), Decimal(0))
    data = _835([*claim, plb], _head(str(Decimal(150) - total)))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        (remittance,) = remit.read(data)
    got = [(p.reason, p.reference, p.amount) for p in remittance.provider_adjustments]
    assert [g[:2] for g in got] == [w[:2] for w in want]
    assert [g[2] for g in got] == [Decimal(x) for x in elements[4::2]]
    assert all(w[2] is None or w[2] == g[2] for g, w in zip(got, want, strict=True))
    assert remittance.provider_adjustment_total == total
    assert remittance.balanced is True
    assert {p.fiscal_period_date for p in remittance.provider_adjustments} == {date(2026, 12, 31)}


# -- envelopes: several transaction sets and interchanges, and a file that ends early ------------

_ONE_CLAIM = [
    "CLP*ACC1*1*200*150*10*12*PX1",
    "NM1*QC*1*DOE*JANE****MI*M123",
    "SVC*HC:99213*200*150**1",
    "DTM*472*20261101",
    "CAS*CO*45*40",
    "CAS*PR*2*10",
]


def _st(control: str, trace: str, body: list[str]) -> list[str]:
    head = [_HEAD[0].replace("BPR*I*0*", "BPR*I*150*"), f"TRN*1*{trace}*1512345678", *_HEAD[2:]]
    st = [f"ST*835*{control}*005010X221A1", *head, *body]
    return [*st, f"SE*{len(st) + 1}*{control}"]


def _interchange(control: str, sets: list[list[str]]) -> list[str]:
    return [
        ISA.replace("000000101", control),
        "GS*HP*PAYERX*CLINICY*20261201*1200*7*X*005010X221A1",
        *[s for st in sets for s in st],
        f"GE*{len(sets)}*7",
        f"IEA*1*{control}",
    ]


def test_several_transaction_sets_and_interchanges_in_one_file() -> None:
    first = _interchange(
        "000000101",
        [_st("0001", "TRACE01", _ONE_CLAIM), _st("0002", "TRACE02", _ONE_CLAIM)],
    )
    second = _interchange("000000102", [_st("0003", "TRACE03", _ONE_CLAIM)])
    data = "".join(s + "~\n" for s in [*first, *second]).encode()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        items = list(remit.stream(data))
    claims = [x for x in items if isinstance(x, remit.ClaimPayment)]
    remits = [x for x in items if isinstance(x, remit.Remittance)]
    # each claim carries the header of its own transaction set and interchange
    assert [(c.header.control_number, c.header.trace_number) for c in claims] == [
        ("0001", "TRACE01"),
        ("0002", "TRACE02"),
        ("0003", "TRACE03"),
    ]
    assert [r.header.interchange_control_number for r in remits] == [
        "000000101",
        "000000101",
        "000000102",
    ]
    assert all(r.balanced for r in remits)


def test_a_file_ending_without_its_iea_raises_after_what_was_complete() -> None:
    data = "".join(
        s + "~\n" for s in _interchange("000000101", [_st("0001", "TRACE01", _ONE_CLAIM)])[:-1]
    ).encode()
    seen: list[object] = []
    items = remit.stream(data)
    with pytest.raises(X12ParseError, match="no IEA") as info:
        seen.extend(items)
    # streaming, the complete claim and remittance came out before the error
    assert [type(x).__name__ for x in seen] == ["ClaimPayment", "Remittance"]
    assert "were yielded before this error" in str(info.value)
    assert info.value.offset == len(data)
    # without its GE too: the same, for the transaction sets
    cut = data[: data.index(b"GE*")]
    with pytest.raises(X12ParseError, match=r"no GE.*were yielded before this error"):
        list(remit.stream(cut))
    # an interchange cut before any group: nothing was complete, and nothing is claimed
    with pytest.raises(X12ParseError, match="no IEA") as info:
        list(remit.stream(data[: data.index(b"GS*")]))
    assert "yielded" not in str(info.value)


# -- terminators, separators ---------------------------------------------------------------------


def _rows(data: bytes) -> list[dict[str, object]]:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        return remit.to_records(data)


@pytest.mark.parametrize(
    "change",
    [
        lambda d: d.replace(b"~\n", b"~\r\n"),  # CR LF after each terminator
        lambda d: d.replace(b"~\n", b"~"),  # nothing after it: one line
        lambda d: d.replace(b"~\n", b"~").rstrip(b"~"),  # nor after the last segment
        lambda d: d.replace(b"~\n", b"~ \r\n"),  # a blank before the line break
        lambda d: d.replace(b"~\n", b"~", 6).replace(b"~\n", b"~\r\n", 5),  # mixed
        lambda d: d.replace(b"~\n", b"\r\n"),  # the line break is the terminator
    ],
)
def test_terminators_with_or_without_line_breaks_read_the_same(change) -> None:  # type: ignore[no-untyped-def]
    data = _835(_REVERSAL)
    assert _rows(change(data)) == _rows(data)


@pytest.mark.parametrize(
    ("isa11", "version", "repetition"),
    [("^", "00501", "^"), ("!", "00501", "!"), ("U", "00401", None), (":", "00501", None)],
)
def test_the_repetition_separator_of_isa11(isa11: str, version: str, repetition: str) -> None:
    # 5010 puts the repetition separator in ISA11; 4010 has the standards id "U" there, and
    # a character that is already another delimiter cannot be one
    data = _835(_REVERSAL).replace(b"*^*00501*", f"*{isa11}*{version}*".encode())
    claim = quiet(lambda: next(remit.claims(data)))
    assert claim.header.delimiters.repetition == repetition
    assert quiet(remit.to_records, data) == _rows(_835(_REVERSAL))


@pytest.mark.parametrize(
    ("element", "component", "terminator"),
    [
        ("|", "^", "~"),
        ("!", ">", "~"),
        ("\x1d", "\x1f", "\x1e"),
        ("^", "\\", "'"),
        ("\xa6", ":", "\x85"),
    ],
)
def test_other_element_separators_read_the_same(
    element: str, component: str, terminator: str
) -> None:
    text = _835(_REVERSAL).decode("latin-1").replace("^", "{")  # ISA11 out of the way
    text = text.replace("*", element).replace(":", component).replace("~\n", terminator)
    data = text.encode("latin-1")
    claim = next(remit.claims(data))
    d = claim.header.delimiters
    assert (d.element, d.component, d.segment) == (element, component, terminator)
    assert _rows(data) == _rows(_835(_REVERSAL))


@pytest.mark.parametrize("blank", [" ", "\t"])
def test_a_blank_element_separator_is_refused_clearly(blank: str) -> None:
    data = _835(_ONE_CLAIM).replace(b"*", blank.encode())
    with pytest.raises(X12ParseError, match=r"element separator .* is a blank") as info:
        list(remit.claims(data))
    assert (info.value.segment, info.value.offset) == (1, 0)


# -- no patient value in a repr or a message ------------------------------------------------------


def test_mia_moa_and_plb_reprs_and_messages_show_no_patient_value() -> None:
    # a recovery's reference is often the patient's account or claim number; remark elements
    # of odd files hold free text; amounts of MIA and MOA are a patient's claim's
    sentinel = "ZZSENTINEL"
    body = [
        *_INPATIENT[:2],
        f"MIA*4**0*17500.25*{sentinel}JANE*{sentinel}",
        f"MOA*0.8*{sentinel}*{sentinel} DOE",
        *_INPATIENT[3:],
        f"PLB*1234567893*20261231*WO:{sentinel}ACC1*25*L6*{sentinel}",
    ]
    data = _835(body, _head("18000"))
    seen: list[str] = []
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        for x in remit.stream(data):
            seen.append(repr(x))
            if isinstance(x, remit.ClaimPayment):
                seen += [repr(x.inpatient), repr(x.outpatient), repr(x.unknown_segments)]
                seen += [repr(x.inpatient.remark_codes if x.inpatient else None)]
            else:
                seen += [repr(x.provider_adjustments), repr(x.header)]
        with pytest.raises(X12ParseError) as info:
            list(remit.stream(data, strict=True))
        seen.append(str(info.value))
    seen += [str(w.message) for w in caught]
    assert any("MIA06 is not an X12 number" in s for s in seen)
    assert [s for s in seen if sentinel in s or "17500" in s] == []


_TOKENS = ["", "0", "-1", "12.50", ".5", "1e5", "+3", "1,000", "NaN", "MA01", " N130 ", "\xe9", "-"]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.sampled_from(["MIA", "MOA"]),
    st.lists(st.sampled_from(_TOKENS), min_size=1, max_size=26),
    st.booleans(),
)
def test_any_mia_or_moa_reads_to_typed_values_or_the_typed_error(
    tag: str, elements: list[str], strict: bool
) -> None:
    body = [*_INPATIENT[:2], "*".join([tag, *elements]), *_INPATIENT[3:]]
    data = _835(body, _head("18000"))
    error: X12ParseError | None = None
    try:
        claim = quiet(lambda: next(remit.claims(data, strict=strict)))
    except X12ParseError as exc:
        error = exc
    if error is not None:  # strict, and a number that is not one: the typed error, placed
        assert strict and error.segment == 11 and error.offset == data.index(tag.encode())
        return
    record = claim.inpatient if tag == "MIA" else claim.outpatient
    assert record is not None
    numbers = [
        v for k, v in attrs.asdict(record, recurse=False).items() if k not in ("remarks", "segment")
    ]
    assert all(v is None or isinstance(v, Decimal) for v in numbers)
    assert all(r and r == r.strip() for r in record.remarks)
    assert len(record.remark_codes) == len(record.remarks)


# -- a CAS with more triplets than X12 allows -----------------------------------------------


def _seven_triplets() -> bytes:
    triplets = "*".join(
        f"{code}*{amount}*"
        for code, amount in zip(
            ("45", "253", "97", "16", "50", "96", "119"),
            ("10", "2", "3", "4", "5", "6", "70"),
            strict=True,
        )
    )
    return _835(
        [
            "CLP*ACC7*4*100*0**MB*PX7",
            "NM1*QC*1*DOE*JANE****MI*M777",
            "DTM*232*20261110",
            "SVC*HC:99213*100*0**1",
            "DTM*472*20261110",
            f"CAS*CO*{triplets}",
        ]
    )


def test_a_cas_with_seven_triplets_is_read_whole_with_a_warning() -> None:
    # a payer that writes seven reason-amount triplets into one CAS still adjusted by all
    # of them: every one is read (the claim balances) and the file is not refused
    claim, messages = _warnings(lambda: next(remit.claims(_seven_triplets())))
    reasons = [a.reason for line in claim.lines for a in line.adjustments]
    assert reasons == ["45", "253", "97", "16", "50", "96", "119"]
    assert sum(a.amount for line in claim.lines for a in line.adjustments) == Decimal(100)
    assert any("more than the six" in m and "segment 14" in m for m in messages), messages


def test_a_cas_with_seven_triplets_is_refused_under_strict() -> None:
    with pytest.raises(X12ParseError, match="more than the six") as caught:
        list(remit.claims(_seven_triplets(), strict=True))
    assert caught.value.segment == 14
