"""Real 835 shapes, round 10, written small here with our own values: does the work list say
the truth about what is a denial, what is worth appealing, and what a letter is about?

Claim statuses (processed, denied, forwarded, reversed, not this payer's, predetermined),
adjustments that are no denial (contractual write-offs, the patient's share), partial
denials, claim-level and line-level adjustments and remarks in one claim, and a claim the
payer answered as a whole, without service lines. Each test asserts what a user sees: the
work list, the table rows, the batch decisions and the letter text.
"""

from __future__ import annotations

import csv
import io
import json
import warnings
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from denialkit import batch, remit
from denialkit.claim import Provider
from denialkit.claim import ServiceLine as ClaimServiceLine
from denialkit.cli import main
from denialkit.codes import Action
from denialkit.exceptions import ClaimDataError
from denialkit.remit import ClaimStatus
from x12_text import envelope, quiet

_HEAD = [
    "BPR*I*0*C*NON************20261203",
    "TRN*1*TRACE01*1512345678",
    "DTM*405*20261201",
    "N1*PR*PAYER X",
    "N1*PE*CLINIC Y*XX*1234567893",
]
_PRACTICE = Provider(name="Clinic Y", npi="1234567893")
_LETTER_DATE = date(2026, 12, 10)
#: Patient values of every claim below: none may reach a message, a repr or a reason.
_NAME, _FIRST, _MEMBER = "QZDOE", "QZJANE", "QZM123"
_PATIENT = f"NM1*QC*1*{_NAME}*{_FIRST}****MI*{_MEMBER}"
_DATES = "DTM*232*20261101"


def _835(body: list[str]) -> bytes:
    """One interchange, one group, one 835 holding ``body``, with BPR02 the sum of its
    claim payments (CLP04), so that the transaction set balances."""
    paid = sum((Decimal(s.split("*")[4]) for s in body if s.startswith("CLP*")), Decimal(0))
    head = [_HEAD[0].replace("BPR*I*0*", f"BPR*I*{paid}*"), *_HEAD[1:]]
    return envelope([*head, *body])


def _items(data: bytes) -> list[tuple[str, list[str], Decimal]]:
    """The work list as a user prints it: level, codes, amount."""
    return [
        (i.level, [a.key for a in i.adjustments], i.amount)
        for i in quiet(list, remit.denials(data))
    ]


def _appeals(data: bytes) -> list[batch.ClaimAppeal]:
    return quiet(list, batch.appeals(data, provider=_PRACTICE, letter_date=_LETTER_DATE))


def _rows(data: bytes) -> list[tuple[object, ...]]:
    """The table rows as (level, line, code, needs_work, remarks)."""
    return [
        (r["level"], r["line"], r["code"], r["needs_work"], r["remarks"])
        for r in quiet(remit.to_records, data)
    ]


def _no_patient_value(text: str) -> None:
    for value in (_NAME, _FIRST, _MEMBER, "ACC", "ICN"):
        assert value not in text


# -- claim status (CLP02) -------------------------------------------------------------------


def _one_line_denied(status: str, sign: str = "") -> bytes:
    """A claim of this status: one line paid, one line denied CO-50 (amounts negated by
    ``sign="-"``, as a reversal sends them)."""
    s = sign
    return _835(
        [
            f"CLP*ACC1*{status}*{s}300*{s}100**12*ICN1",
            _PATIENT,
            _DATES,
            f"SVC*HC:99213*{s}100*{s}100**1",
            f"SVC*HC:99484*{s}200*0**1",
            f"CAS*CO*50*{s}200",
            "LQ*HE*N115",
        ]
    )


@pytest.mark.parametrize("status", ["1", "2", "3", "4", "19", "20", "21"])
def test_a_denied_line_of_an_adjudicated_claim_is_work_and_gets_a_letter(status: str) -> None:
    # processed (as primary, secondary, tertiary), denied, or processed and forwarded to the
    # next payer: this payer decided the line, and an appeal to it is the remedy
    data = _one_line_denied(status)
    assert ClaimStatus(status).adjudicated
    assert _items(data) == [("line", ["CO-50"], Decimal(200))]
    assert ("line", 2, "CO-50", True, "N115") in _rows(data)
    assert remit.summary(data).at_stake == Decimal(200)
    (done,) = _appeals(data)
    assert done.written and done.action is Action.APPEAL
    assert done.letter is not None and "99484" in done.letter.text


@pytest.mark.parametrize(
    ("status", "sign"),
    [
        ("22", "-"),  # a reversal as the 835 sends it: every amount negated
        ("22", ""),  # a reversal whose payer kept the amounts positive
        ("23", ""),  # not this payer's claim: it forwarded the claim to the right payer
        ("25", ""),  # a predetermination: no claim was paid or denied
    ],
)
def test_a_claim_the_payer_did_not_adjudicate_is_never_a_denial(status: str, sign: str) -> None:
    # a reversal with positive amounts and a predetermination pricing a service at zero were
    # listed as denials, and the batch wrote an appeal letter for each
    data = _one_line_denied(status, sign)
    claim = quiet(list, remit.claims(data))[0]
    assert not claim.adjudicated and not ClaimStatus(status).adjudicated
    assert _items(data) == []
    assert _appeals(data) == []
    assert {r[3] for r in _rows(data)} == {False}  # the rows are there, none needs work
    assert ("line", 2, "CO-50", False, "N115") in _rows(data)
    summary = remit.summary(data)
    assert (summary.items, summary.at_stake, summary.by_code) == (0, Decimal(0), ())


def test_not_our_claim_with_a_bill_another_payer_code_is_not_on_the_work_list() -> None:
    # status 23 with OA-109 ("not covered by this payer"): the payer has already forwarded
    # the claim; the list said "bill another payer"
    data = _835(["CLP*ACC1*23*200*0**12*ICN1", _PATIENT, _DATES, "CAS*OA*109*200"])
    assert _items(data) == [] and _appeals(data) == []
    assert _rows(data) == [("claim", None, "OA-109", False, None)]


def test_status_labels_adjudicated_and_forwarded() -> None:
    adjudicated = {s.value for s in ClaimStatus if s.adjudicated}
    forwarded = {s.value for s in ClaimStatus if s.forwarded}
    assert adjudicated == {"1", "2", "3", "4", "19", "20", "21"}
    assert forwarded == {"19", "20", "21", "23"}


def test_a_status_outside_the_list_stays_on_the_work_list() -> None:
    # a code the list does not know: a person looks at it rather than the list hiding it
    data = _one_line_denied("99")
    claim = quiet(list, remit.claims(data))[0]
    assert claim.status is None and claim.adjudicated
    assert _items(data) == [("line", ["CO-50"], Decimal(200))]


# -- adjustments that are no denial ---------------------------------------------------------


@pytest.mark.parametrize(
    "body",
    [
        # paid, with the contract write-off only
        ["CLP*ACC1*1*200*150**12*ICN1", _PATIENT, _DATES, "SVC*HC:99213*200*150**1",
         "CAS*CO*45*50"],
        # the patient's share: deductible, coinsurance, copay
        ["CLP*ACC1*1*200*120*80*12*ICN1", _PATIENT, _DATES, "SVC*HC:99213*200*120**1",
         "CAS*PR*1*50*1*2*20*1*3*10"],
        # nothing paid: the whole charge went to the deductible
        ["CLP*ACC1*1*200*0*200*12*ICN1", _PATIENT, _DATES, "SVC*HC:99213*200*0**1",
         "CAS*PR*1*200"],
        # the same at claim level
        ["CLP*ACC1*1*200*0*200*12*ICN1", _PATIENT, _DATES, "CAS*PR*1*200"],
        # a secondary: the primary's payment, and the patient's share left
        ["CLP*ACC1*2*200*30*20*12*ICN1", _PATIENT, _DATES, "SVC*HC:99213*200*30**1",
         "CAS*OA*23*150", "CAS*PR*2*20"],
        # processed as primary and forwarded: the patient's share went to the next payer
        ["CLP*ACC1*19*200*150*50*MB*ICN1", _PATIENT, _DATES, "SVC*HC:99213*200*150**1",
         "CAS*PR*1*50"],
    ],
    ids=["co45", "pr123", "deductible-zero-paid", "deductible-claim-level", "secondary",
         "forwarded"],
)  # fmt: skip
def test_write_offs_and_the_patients_share_are_no_denial(body: list[str]) -> None:
    data = _835(body)
    assert _items(data) == []
    assert _appeals(data) == []
    assert {r[3] for r in _rows(data)} == {False}
    assert remit.summary(data).items == 0


def test_a_denied_claim_whose_only_adjustment_is_the_patients_share_says_so() -> None:
    # status 4 whose only adjustment is PR-204 (not covered: the patient's to pay). The
    # batch said "the remittance gives no reason code for this denied claim", which it does
    data = _835(
        ["CLP*ACC1*4*200*0*200*12*ICN1", _PATIENT, _DATES, "SVC*HC:99213*200*0**1",
         "CAS*PR*204*200"]
    )  # fmt: skip
    assert _items(data) == [("claim", [], Decimal(200))]  # a denied claim is always listed
    # the table says so too, at claim level, beside the routine adjustment
    assert _rows(data) == [("claim", None, None, True, None), ("line", 1, "PR-204", False, None)]
    (done,) = _appeals(data)
    assert not done.written and done.action is Action.BILL_PATIENT
    assert done.reason == (
        "the claim is denied (status 4), but its adjustments are routine (PR-204): "
        "the recommended action is 'Bill the patient', not an appeal"
    )


def test_a_denied_claim_without_any_adjustment_still_asks_for_a_look() -> None:
    data = _835(["CLP*ACC1*4*200*0**12*ICN1", _PATIENT, _DATES, "SVC*HC:99213*200*0**1"])
    (done,) = _appeals(data)
    assert done.action is None and not done.written
    assert done.reason is not None and "gives no reason code" in done.reason


# -- partial denials: the letter is about the denied line -----------------------------------

_PARTIAL = [
    "CLP*ACC1*1*300*80**12*ICN1",
    _PATIENT,
    "MOA***MA01",
    _DATES,
    "SVC*HC:99213*100*80**1",
    "CAS*CO*45*20",
    "LQ*HE*N381",
    "SVC*HC:99484*200*0**1",
    "CAS*CO*50*200",
    "LQ*HE*N115",
]


def test_a_partial_denial_letter_is_about_the_denied_line_with_the_claims_remarks() -> None:
    data = _835(_PARTIAL)
    (item,) = quiet(list, remit.denials(data))
    assert (item.level, item.remarks, item.all_remarks) == ("line", ("N115",), ("N115", "MA01"))
    payment = item.claim
    claim = payment.to_claim(provider=_PRACTICE)
    # the denied line only, its codes, then the claim's remark (MOA): the paid line's
    # CO-45 and N381 are no part of the denial; MA01 was lost before
    assert [s.code for s in claim.services] == ["99484"]
    assert claim.denial.codes == ("CO-50", "N115", "MA01")

    (done,) = _appeals(data)
    assert done.codes == ("CO-50", "N115", "MA01")
    assert done.letter is not None
    text = done.letter.text
    assert "99484" in text and "99213" not in text
    assert "CO-50" in text and "N115" in text and "MA01" in text
    assert "CO-45" not in text and "N381" not in text
    assert not done.letter.warnings  # every code it quotes is on the notice
    # it fails its check only for what the practice must add (contact, address, signer)
    assert {f.rule_id for f in done.letter.report.errors} <= {"DK115", "DK307"}


def test_the_paid_line_of_a_partial_denial_no_longer_blocks_the_letter() -> None:
    # the paid line has no procedure code: only the denied line is the letter's business
    body = [s.replace("SVC*HC:99213*", "SVC*HC:*") for s in _PARTIAL]
    (done,) = _appeals(_835(body))
    assert done.written and done.letter is not None and "99484" in done.letter.text


def test_a_claim_level_unprocessable_remark_rules_out_an_appeal_of_its_lines() -> None:
    # MOA MA130 ("unprocessable: correct and resubmit, do not appeal") on a claim whose line
    # is denied CO-50: the line's explanation did not see the claim's remark, and the batch
    # wrote an appeal letter
    body = [s.replace("MOA***MA01", "MOA***MA130") for s in _PARTIAL]
    data = _835(body)
    (item,) = quiet(list, remit.denials(data))
    (e,) = item.explanations()
    assert e.action is Action.CORRECT_RESUBMIT
    assert [r.code for r in e.remarks] == ["N115", "MA130"]
    (done,) = _appeals(data)
    assert not done.written and done.action is Action.CORRECT_RESUBMIT
    assert done.codes == ("CO-50", "N115", "MA130")


def test_the_claims_remarks_have_a_claim_row_of_their_own_in_the_table() -> None:
    rows = _rows(_835(_PARTIAL))
    assert rows == [
        ("claim", None, None, False, "MA01"),  # the MOA's remark, once, at claim level
        ("line", 1, "CO-45", False, "N381"),
        ("line", 2, "CO-50", True, "N115"),
    ]


# -- claim-level and line-level adjustments and remarks in one claim ------------------------

_BOTH = [
    "CLP*ACC1*1*400*50**12*ICN1",
    _PATIENT,
    "CAS*CO*197*100",
    "MOA***N54*N115",
    _DATES,
    "SVC*HC:99213*100*50**1",
    "CAS*CO*45*50",
    "SVC*HC:99484*200*0**1",
    "CAS*CO*50*200",
    "LQ*HE*N115",
    "SVC*HC:36415*0*0**1",
    "LQ*HE*N381",
]


def test_claim_and_line_adjustments_and_remarks_each_go_to_their_place_once() -> None:
    data = _835(_BOTH)
    items = quiet(list, remit.denials(data))
    assert [(i.level, [a.key for a in i.adjustments], i.remarks) for i in items] == [
        ("claim", ["CO-197"], ("N54", "N115")),
        ("line", ["CO-50"], ("N115",)),
    ]
    claim = items[0].claim.to_claim(provider=_PRACTICE)
    # claim level first; N115, at both levels, once
    assert claim.denial.codes == ("CO-197", "N54", "N115", "CO-50")
    # a claim-level denial concerns every line
    assert [s.code for s in claim.services] == ["99213", "99484", "36415"]
    assert _rows(data) == [
        ("claim", None, "CO-197", True, "N54 N115"),
        ("line", 1, "CO-45", False, None),
        ("line", 2, "CO-50", True, "N115"),
    ]
    (done,) = _appeals(data)
    assert done.codes == ("CO-197", "N54", "N115", "CO-50")
    assert done.letter is not None and done.letter.text.count("CO-50") >= 1


def test_a_remark_given_twice_is_quoted_once() -> None:
    # N115 in MIA and MOA, and twice on the line: the records keep the file's text, the
    # work list, the table and the letter give each code once
    data = _835(
        [
            "CLP*ACC1*1*300*100**12*ICN1",
            _PATIENT,
            "MIA*0***0*N115",
            "MOA***N115*MA01",
            _DATES,
            "SVC*HC:99213*100*100**1",
            "SVC*HC:99484*200*0**1",
            "CAS*CO*50*200",
            "LQ*HE*N115",
            "LQ*HE*N115",
        ]
    )
    claim = quiet(list, remit.claims(data))[0]
    assert claim.remarks == ("N115", "N115", "MA01")  # as given
    (item,) = quiet(list, remit.denials(data))
    assert (item.remarks, item.all_remarks) == (("N115",), ("N115", "MA01"))
    assert _rows(data) == [
        ("claim", None, None, False, "N115 MA01"),
        ("line", 2, "CO-50", True, "N115"),
    ]
    (done,) = _appeals(data)
    assert done.codes == ("CO-50", "N115", "MA01")
    assert done.letter is not None
    assert done.letter.text.count("- N115:") == 1


# -- a claim answered as a whole, without service lines -------------------------------------

_DRG = [
    "CLP*ACC1*1*12000*0**MA*ICN1*11*1*470",
    _PATIENT,
    "CAS*CO*50*12000",
    "MIA*0***0*N115",
    _DATES,
    "DTM*233*20261105",
]


def test_an_inpatient_claim_without_lines_is_listed_and_says_what_a_letter_lacks(
    tmp_path: Path,
) -> None:
    data = _835(_DRG)
    assert _items(data) == [("claim", ["CO-50"], Decimal(12000))]
    (row,) = quiet(remit.to_records, data)
    assert (row["level"], row["procedure"], row["code"], row["needs_work"], row["remarks"]) == (
        "claim", None, "CO-50", True, "N115"
    )  # fmt: skip
    (done,) = _appeals(data)
    assert not done.written and done.action is Action.APPEAL
    assert done.reason is not None
    assert "has no service line (SVC)" in done.reason
    assert "inpatient DRG claim" in done.reason and "appeals(services=" in done.reason
    _no_patient_value(done.reason)

    # the same reason in the batch index
    (tmp_path / "era.835").write_bytes(data)
    (tmp_path / "provider.json").write_text(json.dumps({"name": "Clinic Y"}), "utf-8")
    out, err = io.StringIO(), io.StringIO()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        code = main(
            ["remit", str(tmp_path / "era.835"), "--appeals", str(tmp_path / "letters"),
             "--provider", str(tmp_path / "provider.json"), "--date", "2026-12-10"],
            stdout=out, stderr=err,
        )  # fmt: skip
    assert code == 0
    with open(tmp_path / "letters" / "index.csv", newline="", encoding="utf-8") as f:
        (index,) = list(csv.DictReader(f))
    assert index["outcome"] == "skipped" and index["reason"] == done.reason
    assert index["codes"] == "CO-50 N115"


def test_an_inpatient_claim_takes_its_services_as_billed_from_the_caller() -> None:
    payment = quiet(list, remit.claims(_835(_DRG)))[0]
    with pytest.raises(ClaimDataError) as caught:
        payment.to_claim(provider=_PRACTICE)
    assert [p for p, _ in caught.value.problems] == ["services"]
    _no_patient_value(str(caught.value))
    billed = [ClaimServiceLine(code="99223", date=date(2026, 11, 1), charge=Decimal(12000))]
    claim = payment.to_claim(provider=_PRACTICE, services=billed)
    assert [s.code for s in claim.services] == ["99223"]
    assert claim.denial.codes == ("CO-50", "N115")
    with pytest.raises(TypeError, match="services must be a list"):
        payment.to_claim(provider=_PRACTICE, services=["99223"])  # type: ignore[list-item]


# -- a line named by another code set than CPT or HCPCS -------------------------------------


@pytest.mark.parametrize(
    ("svc", "named"),
    [
        ("SVC*NU:0450*500*0**1", "a revenue code (NU)"),
        ("SVC*N4:00002140701*500*0**1", "a national drug code (N4)"),
        ("SVC*HP:1AA11*500*0**1", "a HIPPS rate code (HP)"),
        ("SVC*ZZ:M151000:F0*500*0**1", "a code of another set (ZZ)"),
    ],
)
def test_a_line_named_by_a_revenue_or_drug_code_is_no_procedure_code(svc: str, named: str) -> None:
    # the revenue code 0450 became the letter's "Service: 0450", and the letter failed its
    # own check (DK205: not shaped like a CPT or HCPCS code)
    data = _835(["CLP*ACC1*1*500*0**12*ICN1", _PATIENT, _DATES, svc, "CAS*CO*50*500"])
    assert _items(data) == [("line", ["CO-50"], Decimal(500))]  # still on the work list
    (done,) = _appeals(data)
    assert not done.written and done.action is Action.APPEAL
    assert done.reason == (
        "the remittance lacks what a letter needs: services[0].code: service line 1 of the "
        f"claim at segment 9 names its service by {named}, not by the CPT or HCPCS code a "
        "letter lists; give the services as billed (appeals(services={patient control "
        "number: [...]}), or --services FILE on the command line)"
    )
    _no_patient_value(done.reason)


@pytest.mark.parametrize(
    ("svc", "code"),
    [
        ("SVC*HC:99283*500*0*0450*1", "99283"),  # a revenue code beside it, in SVC04
        ("SVC*AD:D0120*500*0**1", "D0120"),  # dental (ADA) codes are HCPCS D codes
        ("SVC*ZZ:A0230*500*0**1", "A0230"),  # a set agreed with the payer, HCPCS-shaped
        ("SVC*NU:0450*500*0**1*HC:99283", "99283"),  # paid by revenue code, billed by CPT
    ],
)
def test_a_line_with_a_procedure_code_gets_a_letter_that_passes_its_check(
    svc: str, code: str
) -> None:
    data = _835(["CLP*ACC1*1*500*0**12*ICN1", _PATIENT, _DATES, svc, "CAS*CO*50*500"])
    (done,) = _appeals(data)
    assert done.written and done.letter is not None
    assert f"Service: {code} (billed $500.00)" in done.letter.text
    assert "DK205" not in {f.rule_id for f in done.letter.report.findings}


@pytest.mark.parametrize(("status", "work"), [("4", "yes"), ("25", "")])
def test_the_command_line_table_marks_the_rows_that_need_work(
    tmp_path: Path, status: str, work: str
) -> None:
    # the action column is the code's own advice (CO-50: appeal), also on a predetermination;
    # the work column says whether the row is on the work list
    (tmp_path / "era.835").write_bytes(_one_line_denied(status))
    out, err = io.StringIO(), io.StringIO()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        assert main(["remit", str(tmp_path / "era.835")], stdout=out, stderr=err) == 0
    header, *rows = out.getvalue().splitlines()
    assert header.split()[-2:] == ["action", "work"]
    (denied,) = [r for r in rows if "CO-50" in r]
    assert denied.split()[-1] == (work or "appeal")
