"""Real 835 shapes, round 12, written small here with our own values: what a billing team
does with the result, end to end.

One remittance in the shape each kind of payer sends (Medicare Part A with MIA and provider
adjustments, Medicare Part B with MOA, Medicaid with state remark codes, a commercial payer's
write-offs and patient shares, a secondary payer, a capitated plan, workers' compensation,
several payees in one file), each read every way a user reads it: the work list, the table,
the CSV, the command line's table and summary, and the batch of appeal letters. They must
tell the same story, the amounts must add up as the 835 balances, every letter written must
pass its check, and every claim without a letter must say why. Then a claim the same
transaction set reverses (the table agrees with the work list), and a payer that splits one
claim into two CLPs.
"""

from __future__ import annotations

import csv
import io
import warnings
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

import denialkit
from denialkit import batch, remit
from denialkit.claim import Payer, Provider
from denialkit.cli import main
from denialkit.exceptions import X12Warning
from denialkit.remit import _links
from x12_text import ISA, envelope, quiet

_PRACTICE = Provider(
    name="Clinic Y",
    npi="1234567893",
    address="200 Oak Avenue\nSpringfield, IL 62702",
    phone="217-555-0100",
    signer_name="Dana Reyes",
    signer_title="Billing Manager",
)
_PAYER = Payer(name="Payer X", appeals_address="PO Box 1\nCity, ST 00000")
_LETTER_DATE = date(2026, 12, 10)
#: Patient values of every claim below: none may reach a message, a repr or a reason. The
#: member id is a well-formed Medicare number (MBI), as a Medicare remittance carries.
_NAME, _FIRST, _MEMBER = "QZDOE", "QZJANE", "1EG4TE5MK73"
_PATIENT = f"NM1*QC*1*{_NAME}*{_FIRST}****MI*{_MEMBER}"
_SECRET = (_NAME, _FIRST, _MEMBER, "ACC", "ICN")
_DOS = "DTM*472*20261101"


def _head(body: list[str], plb: list[str], payee: str = "CLINIC Y") -> list[str]:
    """The header of a transaction set whose BPR02 is its claim payments less its provider
    adjustments, so that it balances."""
    paid = sum((Decimal(s.split("*")[4]) for s in body if s.startswith("CLP*")), Decimal(0))
    paid -= sum((Decimal(x) for s in plb for x in s.split("*")[4::2]), Decimal(0))
    return [
        f"BPR*I*{paid}*C*ACH************20261203",
        "TRN*1*TRACE01*1512345678",
        "DTM*405*20261201",
        "N1*PR*PAYER X",
        f"N1*PE*{payee}*XX*1234567893",
    ]


def _835(body: list[str], plb: list[str] = ()) -> bytes:  # type: ignore[assignment]
    return envelope([*_head(body, plb), *body, *plb])


def _several_payees() -> bytes:
    """One interchange, one group, two 835s: one per payee (a group practice's two
    offices), the second holding the same account number as the first."""
    sets = []
    for n, (payee, body) in enumerate(
        [
            (
                "CLINIC Y NORTH",
                [
                    "CLP*ACC20*1*100*80**12*ICN20",
                    _PATIENT,
                    "DTM*232*20261101",
                    "SVC*HC:99213*100*80**1",
                    _DOS,
                    "CAS*CO*45*20",
                ],
            ),
            (
                "CLINIC Y SOUTH",
                [
                    "CLP*ACC20*4*200*0**12*ICN21",
                    _PATIENT,
                    "DTM*232*20261101",
                    "SVC*HC:93000*200*0**1",
                    _DOS,
                    "CAS*CO*50*200",
                ],
            ),
        ],
        1,
    ):
        st = [f"ST*835*000{n}*005010X221A1", *_head(body, [], payee), *body]
        sets += [*st, f"SE*{len(st) + 1}*000{n}"]
    segs = [ISA, "GS*HP*PAYERX*CLINICY*20261201*1200*1*X*005010X221A1", *sets, "GE*2*1",
            "IEA*1*000000101"]  # fmt: skip
    return "".join(s + "~\n" for s in segs).encode("latin-1")


@dataclass(frozen=True)
class Shape:
    """A remittance and what an expert biller reads in it."""

    data: bytes
    #: the work list: (claim, level, codes, amount at stake)
    work: list[tuple[str, str, list[str], Decimal]]
    #: the batch: (claim, action or None, letter written)
    letters: list[tuple[str, str | None, bool]]


_SHAPES = {
    # Part A inpatient: DRG claims answered as a whole, MIA, interest paid and a withhold
    "medicare-part-a": Shape(
        _835(
            [
                "CLP*ACC1*1*15000*9000*1000*MA*ICN1*11*1*470",
                _PATIENT,
                "DTM*232*20261101",
                "DTM*233*20261105",
                "CAS*CO*45*5000",
                "CAS*PR*1*1000",
                "MIA*0***0*MA01",
                "CLP*ACC2*4*8000*0*0*MA*ICN2*11*1*291",
                _PATIENT,
                "DTM*232*20261102",
                "DTM*233*20261104",
                "CAS*CO*50*8000",
                "MIA*0***0*N115",
            ],
            ["PLB*1234567893*20261231*L6:ICN1*-12.5*WO:OVP1*100"],
        ),
        [("ACC2", "claim", ["CO-50"], Decimal(8000))],
        # no service line: the letter needs the services as billed
        [("ACC2", "appeal", False)],
    ),
    # Part B: a paid line (write-off and coinsurance) beside a denied one, MOA remarks
    "medicare-part-b": Shape(
        _835(
            [
                "CLP*ACC3*1*300*100*20*MB*ICN3",
                _PATIENT,
                "MOA***MA01",
                "DTM*232*20261101",
                "SVC*HC:99214*200*100**1",
                _DOS,
                "CAS*CO*45*80",
                "CAS*PR*2*20",
                "SVC*HC:93000*100*0**1",
                _DOS,
                "CAS*CO*50*100",
                "LQ*HE*N115",
            ]
        ),
        [("ACC3", "line", ["CO-50"], Decimal(100))],
        [("ACC3", "appeal", True)],
    ),
    # Medicaid: state remark codes; a line to correct, a claim filed too late
    "medicaid": Shape(
        _835(
            [
                "CLP*ACC4*1*250*150**MC*ICN4",
                _PATIENT,
                "DTM*232*20261101",
                "SVC*HC:99213*150*150**1",
                _DOS,
                "SVC*HC:36415*100*0**1",
                _DOS,
                "CAS*CO*16*100",
                "LQ*HE*N290",
                "LQ*HE*M51",
                "CLP*ACC5*4*400*0**MC*ICN5",
                _PATIENT,
                "DTM*232*20261101",
                "MOA***N211",
                "SVC*HC:99215*400*0**1",
                _DOS,
                "CAS*CO*29*400",
            ]
        ),
        [("ACC4", "line", ["CO-16"], Decimal(100)), ("ACC5", "line", ["CO-29"], Decimal(400))],
        [("ACC4", "correct-resubmit", False), ("ACC5", "write-off", False)],
    ),
    # commercial: write-offs and the patient's share, even the whole charge, are no work;
    # a claim paid in full has no work
    "commercial": Shape(
        _835(
            [
                "CLP*ACC6*1*500*300*110*12*ICN6",
                _PATIENT,
                "DTM*232*20261101",
                "SVC*HC:99214*300*200**1",
                _DOS,
                "CAS*CO*45*40",
                "CAS*PR*3*30**2*30",
                "SVC*HC:80053*200*100**1",
                _DOS,
                "CAS*CO*45*50",
                "CAS*PR*1*50",
                "CLP*ACC7*1*200*0*200*12*ICN7",
                _PATIENT,
                "DTM*232*20261101",
                "SVC*HC:99213*200*0**1",
                _DOS,
                "CAS*PR*1*200",
                "CLP*ACC8*1*150*150**12*ICN8",
                _PATIENT,
                "SVC*HC:99212*150*150**1",
                _DOS,
            ]
        ),
        [],
        [],
    ),
    # secondary: the primary's payment (OA-23) and the patient's share are no work
    "secondary": Shape(
        _835(
            [
                "CLP*ACC9*2*300*40*20*12*ICN9",
                _PATIENT,
                "DTM*232*20261101",
                "SVC*HC:99214*300*40**1",
                _DOS,
                "CAS*OA*23*240",
                "CAS*PR*2*20",
            ]
        ),
        [],
        [],
    ),
    # capitated: the visit is paid by the capitation (CO-24), nothing to appeal
    "capitated": Shape(
        _835(
            [
                "CLP*ACC10*1*180*0**HM*ICN10",
                _PATIENT,
                "DTM*232*20261101",
                "SVC*HC:99213*180*0**1",
                _DOS,
                "CAS*CO*24*180",
            ]
        ),
        [],
        [],
    ),
    # workers' compensation: a line the carrier says is not its injury goes to another payer
    "workers-comp": Shape(
        _835(
            [
                "CLP*ACC11*1*900*500**WC*ICN11",
                _PATIENT,
                "DTM*232*20261101",
                "REF*Y4*WCC123",
                "SVC*HC:97110*400*0**4",
                _DOS,
                "CAS*CO*219*400",
                "SVC*HC:99213*500*500**1",
                _DOS,
            ]
        ),
        [("ACC11", "line", ["CO-219"], Decimal(400))],
        [("ACC11", "bill-other-payer", False)],
    ),
    # two payees, two transaction sets, one account number in both
    "several-payees": Shape(
        _several_payees(),
        [("ACC20", "line", ["CO-50"], Decimal(200))],
        [("ACC20", "appeal", True)],
    ),
}


def _cli(argv: list[str]) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        code = main(argv, stdout=out, stderr=err)
    assert not [w for w in caught if issubclass(w.category, X12Warning)]
    return code, out.getvalue(), err.getvalue()


def _no_patient_value(text: str) -> None:
    for value in _SECRET:
        assert value not in text


@pytest.mark.parametrize("name", list(_SHAPES))
def test_each_payers_remittance_tells_one_true_story(name: str, tmp_path: Path) -> None:
    shape = _SHAPES[name]
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        claims = list(remit.claims(shape.data))
        items = list(remit.denials(shape.data))
        rows = remit.to_records(shape.data)
        summary = remit.summary(shape.data)
        done = list(
            batch.appeals(shape.data, provider=_PRACTICE, payer=_PAYER, letter_date=_LETTER_DATE)
        )
    assert [str(w.message) for w in caught] == []  # every shape balances and reads cleanly
    # the amounts add up as the 835 balances: charge = payment + every adjustment
    for c in claims:
        adjusted = sum((a.amount or 0 for _, a in c.iter_adjustments()), Decimal(0))
        assert c.charge == c.payment + adjusted and c.balanced
    # the work list an expert biller expects
    got = [
        (i.claim.patient_control_number, i.level, [a.key for a in i.adjustments], i.amount)
        for i in items
    ]
    assert got == shape.work
    # the table marks exactly those adjustments, and the summary counts them
    marked = [(r["claim"], r["code"], r["amount"]) for r in rows if r["needs_work"]]
    assert marked == [(c, k[0], a) for c, _, k, a in shape.work]
    assert (summary.items, summary.at_stake) == (len(items), sum((i.amount for i in items), 0))
    # the CSV, the command line's table and its summary say the same
    path = tmp_path / "era.835"
    path.write_bytes(shape.data)
    out = io.StringIO()
    remit.write_csv(path, out)
    table = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert [(r["claim"], r["code"]) for r in table if r["needs_work"] == "True"] == [
        (c, k) for c, k, _ in marked
    ]
    code, text, _ = _cli(["remit", str(path)])
    assert code == 0
    assert sum(1 for line in text.splitlines()[1:] if line.endswith("  yes")) == len(marked)
    code, text, _ = _cli(["remit", str(path), "--summary"])
    need = "claim or line needs" if len(items) == 1 else "claims or lines need"
    assert code == 0 and f"{len(items)} {need} work, {summary.at_stake:,.2f} at stake" in text
    # the batch: the right action, a letter that passes its check, or a reason
    assert [(a.claim.patient_control_number, a.action and a.action.value, a.written)
            for a in done] == shape.letters  # fmt: skip
    for a in done:
        _no_patient_value(repr(a))
        if a.letter is None:
            assert a.reason
            _no_patient_value(a.reason)
            continue
        report = denialkit.check(a.letter.text, claim=a.letter.claim)
        errors = [f for f in report.findings if f.severity.value == "error"]
        # the only errors are the facts the 835 cannot give, each marked in the letter
        assert {f.rule_id for f in errors} <= {"DK307"}
        assert len(errors) == len(a.missing) == a.letter.text.count("[MISSING: ")
    # the command line's batch writes the same letters, and an index line for every claim
    provider = tmp_path / "provider.json"
    provider.write_text(
        '{"name": "Clinic Y", "npi": "1234567893", "address": "200 Oak Avenue", '
        '"phone": "217-555-0100", "signer_name": "Dana Reyes"}',
        "utf-8",
    )
    argv = ["remit", str(path), "--provider", str(provider), "--date", "2026-12-10"]
    code, _, _ = _cli([*argv, "--appeals", str(tmp_path / "letters")])
    assert code == 0
    index = list(csv.DictReader((tmp_path / "letters" / "index.csv").open(encoding="utf-8")))
    assert [r["patient_control_number"] for r in index] == [c for c, _, _ in shape.letters]
    assert [bool(r["file"]) for r in index] == [w for _, _, w in shape.letters]
    assert all(r["reason"] for r in index if not r["file"])
    assert len(list((tmp_path / "letters").glob("*.txt"))) == sum(w for _, _, w in shape.letters)


def test_each_payee_of_a_file_keeps_its_own_claims() -> None:
    data = _SHAPES["several-payees"].data
    claims = quiet(list, remit.claims(data))
    assert [(c.header.payee.name, c.status_code) for c in claims if c.header.payee] == [
        ("CLINIC Y NORTH", "1"),
        ("CLINIC Y SOUTH", "4"),
    ]
    rows = quiet(remit.to_records, data)
    assert [(r["transaction"], r["needs_work"]) for r in rows] == [
        ("0001", False),
        ("0002", True),
    ]


def test_provider_adjustments_are_not_claim_work_and_balance_the_payment() -> None:
    (rem,) = quiet(list, remit.read(_SHAPES["medicare-part-a"].data))
    # interest paid (-12.50) and a withhold (100) leave BPR02 at the claims' payments less 87.50
    assert rem.provider_adjustment_total == Decimal("87.5")
    assert rem.payment_amount == rem.total_payment - Decimal("87.5") == Decimal("8912.5")
    assert [(a.reason, a.amount) for a in rem.provider_adjustments] == [
        ("L6", Decimal("-12.5")),
        ("WO", Decimal(100)),
    ]


# -- a claim the same transaction set reverses: the table agrees with the work list --------
_DENIED = ["CLP*ACC30*4*300*0**12*ICN30A", _PATIENT, "SVC*HC:99214*300*0**1", _DOS,
           "CAS*CO*50*300"]  # fmt: skip
_OTHER = ["CLP*ACC31*4*120*0**12*ICN31", _PATIENT, "SVC*HC:99213*120*0**1", _DOS,
          "CAS*CO*50*120"]  # fmt: skip
_PAID = ["CLP*ACC32*1*100*100**12*ICN32", _PATIENT, "SVC*HC:99212*100*100**1", _DOS]
_REVERSAL = ["CLP*ACC30*22*-300*0**12*ICN30A", _PATIENT, "SVC*HC:99214*-300*0**1", _DOS,
             "CAS*CO*50*-300"]  # fmt: skip
_CORRECTED = ["CLP*ACC30*1*300*250**12*ICN30B", _PATIENT, "REF*F8*ICN30A",
              "SVC*HC:99214*300*250**1", _DOS, "CAS*CO*45*50"]  # fmt: skip


def _work_rows(data: bytes) -> list[tuple[object, ...]]:
    return [
        (r["claim"], r["payer_claim_number"], r["claim_status"], r["needs_work"])
        for r in quiet(remit.to_records, data)
        if r["code"] in ("CO-50", None) or r["needs_work"]
    ]


def test_the_table_leaves_out_a_claim_the_same_transaction_set_reverses(tmp_path: Path) -> None:
    data = _835([*_DENIED, *_OTHER, *_PAID, *_REVERSAL, *_CORRECTED])
    assert [i.claim.patient_control_number for i in quiet(list, remit.denials(data))] == ["ACC31"]
    rows = quiet(remit.to_records, data)
    # every row still there, in file order; only ACC31's denial needs work
    assert [(r["claim"], r["claim_status"]) for r in rows] == [
        ("ACC30", "4"),
        ("ACC31", "4"),
        ("ACC32", "1"),
        ("ACC30", "22"),
        ("ACC30", "1"),
    ]
    assert [r["claim"] for r in rows if r["needs_work"]] == ["ACC31"]
    # the CSV and the command line's table say the same
    path = tmp_path / "era.835"
    path.write_bytes(data)
    out = io.StringIO()
    quiet(remit.write_csv, path, out)
    table = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert [r["claim"] for r in table if r["needs_work"] == "True"] == ["ACC31"]
    code, text, _ = _cli(["remit", str(path)])
    assert code == 0
    marked = [line for line in text.splitlines()[1:] if line.endswith("  yes")]
    assert len(marked) == 1 and "ACC31" in marked[0]
    # a frame too
    pytest.importorskip("pandas")
    df = quiet(remit.to_frame, data)
    assert list(df[df.needs_work]["claim"]) == ["ACC31"]


def test_a_reversal_of_another_decision_or_set_leaves_the_table_as_the_work_list() -> None:
    # a reversal of another claim control number takes nothing back
    other = [s.replace("ICN30A", "ICN30Z") for s in _REVERSAL]
    data = _835([*_DENIED, *other])
    assert [r[0] for r in _work_rows(data) if r[3]] == ["ACC30"]
    assert [i.claim.patient_control_number for i in quiet(list, remit.denials(data))] == ["ACC30"]
    # a reversal in a later transaction set cannot take back what was listed
    first = _835([*_DENIED])
    second = _835([*_REVERSAL, *_CORRECTED]).replace(b"000000101", b"000000102")
    assert [r[0] for r in _work_rows(first + second) if r[3]] == ["ACC30"]
    # a reversal taking back one of two denials with that number leaves the other
    twice = [*_DENIED, *[s.replace("ICN30A", "ICN30C") for s in _DENIED], *_REVERSAL]
    assert [r[1] for r in _work_rows(_835(twice)) if r[3]] == ["ICN30C"]


def test_past_its_bound_the_table_gives_rows_out_and_warns_of_a_late_reversal(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(_links, "HOLD_ROWS", 2)
    data = _835([*_DENIED, *_PAID, *_OTHER, *_PAID, *_REVERSAL, *_CORRECTED])
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        rows = remit.to_records(data)
    # the rows came out before the reversal was read: they stand, and a warning says so
    assert [r["claim"] for r in rows if r["needs_work"]] == ["ACC30", "ACC31"]
    (said,) = [str(w.message) for w in caught if issubclass(w.category, X12Warning)]
    assert said.startswith("segment 27, byte ") and "claim at segment 9" in said
    assert "given out already" in said and "check it by hand" in said
    _no_patient_value(said)


# -- one claim split into two CLPs ---------------------------------------------------------
_FIRST_PART = ["CLP*ACC40*1*300*100**12*ICN40", _PATIENT, "DTM*232*20261101",
               "SVC*HC:99214*200*100**1", _DOS, "CAS*CO*45*100",
               "SVC*HC:93000*100*0**1", _DOS, "CAS*CO*50*100"]  # fmt: skip
_SECOND_PART = ["CLP*ACC40*1*250*0**12*ICN40", _PATIENT, "DTM*232*20261101",
                "SVC*HC:97110*250*0**1", "DTM*472*20261102", "CAS*CO*50*250"]  # fmt: skip


def _batch(data: bytes) -> list[batch.ClaimAppeal]:
    return quiet(
        list, batch.appeals(data, provider=_PRACTICE, payer=_PAYER, letter_date=_LETTER_DATE)
    )


def test_a_claim_split_over_two_clps_gets_a_letter_per_part_about_its_own_lines() -> None:
    data = _835([*_FIRST_PART, *_SECOND_PART])
    items = quiet(list, remit.denials(data))
    assert [(i.claim.payer_claim_number, i.line and i.line.procedure, i.amount)
            for i in items] == [("ICN40", "93000", 100), ("ICN40", "97110", 250)]  # fmt: skip
    done = _batch(data)
    assert [(a.position, a.written) for a in done] == [(1, True), (2, True)]
    first, second = (a.letter.text for a in done if a.letter is not None)
    assert "Service: 93000 (billed $100.00)" in first and "97110" not in first
    assert "Service: 97110 (billed $250.00)" in second and "93000" not in second
    assert "99214" not in first + second  # the paid line is in neither


def test_a_claim_sent_twice_with_the_same_lines_gets_one_letter() -> None:
    data = _835([*_FIRST_PART, *_FIRST_PART, *_SECOND_PART])
    done = _batch(data)
    assert [(a.position, a.written) for a in done] == [(1, True), (2, False), (3, True)]
    repeated = done[1]
    assert repeated.action is None and repeated.amount == 100
    assert repeated.reason == (
        "the remittance repeats claim 1 here (the same CLP01 and CLP07 and the same denied "
        "lines and codes): the letter of claim 1 answers both"
    )
    _no_patient_value(repr(repeated))
    # the same lines under another claim control number, or in another transaction set,
    # are another decision: each gets its letter
    other = [s.replace("ICN40", "ICN41") for s in _FIRST_PART]
    assert [a.written for a in _batch(_835([*_FIRST_PART, *other]))] == [True, True]
    later = _835(_FIRST_PART).replace(b"000000101", b"000000102")
    assert [a.written for a in _batch(_835(_FIRST_PART) + later)] == [True, True]
    # the same claim numbers with another amount denied on the line is another letter
    more = [s.replace("CAS*CO*50*100", "CAS*CO*50*90").replace("*100*0**1", "*100*10**1")
            .replace("*300*100**", "*300*110**") for s in _FIRST_PART]  # fmt: skip
    assert [a.written for a in _batch(_835([*_FIRST_PART, *more]))] == [True, True]


def test_the_command_line_index_says_which_letter_answers_a_repeated_claim(
    tmp_path: Path,
) -> None:
    path = tmp_path / "era.835"
    path.write_bytes(_835([*_FIRST_PART, *_FIRST_PART]))
    provider = tmp_path / "provider.json"
    provider.write_text('{"name": "Clinic Y", "npi": "1234567893"}', "utf-8")
    code, _, err = _cli(["remit", str(path), "--provider", str(provider), "--date",
                         "2026-12-10", "--appeals", str(tmp_path / "a")])  # fmt: skip
    assert code == 0 and "wrote 1 letter " in err
    index = list(csv.DictReader((tmp_path / "a" / "index.csv").open(encoding="utf-8")))
    assert [(r["position"], bool(r["file"])) for r in index] == [("1", True), ("2", False)]
    assert "the letter of claim 1 answers both" in index[1]["reason"]
