"""Real 835 shapes, round 11, written small here with our own values: remittances nobody here
wrote.

Dates given as a period in DTM05 and DTM06 (RD8 and its kin), reversals and the corrected
claims that follow them, inpatient claims in the batch, and the shapes payers send: 4010
files, claims of many lines, provider summaries, tax ids, supplemental amounts, line control
numbers, zero-dollar claims, negative payments, repeated claim numbers and padded files.
Each test asserts what a user sees: claims, amounts, dates, the work list, the batch
decisions, and the warnings (with their positions, never a patient value).
"""

from __future__ import annotations

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
from denialkit.exceptions import X12ParseError, X12Warning
from x12_text import envelope, quiet

_HEAD = [
    "BPR*I*0*C*ACH************20261203",
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
_SECRET = (_NAME, _FIRST, _MEMBER, "ACC", "ICN", "2026")


def _835(body: list[str], head: list[str] | None = None) -> bytes:
    """One interchange, one group, one 835 holding ``body``, with BPR02 the sum of its
    claim payments (CLP04), so that the transaction set balances."""
    head = list(head or _HEAD)
    paid = sum((Decimal(s.split("*")[4]) for s in body if s.startswith("CLP*")), Decimal(0))
    head[0] = head[0].replace("BPR*I*0*", f"BPR*I*{paid}*")
    return envelope([*head, *body])


def _read(data: bytes, **kw: object) -> tuple[list[remit.ClaimPayment], list[str]]:
    """The claims and the warning messages (each checked to hold no patient value)."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        claims = list(remit.claims(data, **kw))  # type: ignore[arg-type]
    messages = [str(w.message) for w in caught if issubclass(w.category, X12Warning)]
    for m in messages:
        for value in _SECRET:
            assert value not in m
    return claims, messages


def _paid(charge: str = "100", paid: str = "80", status: str = "1", acc: str = "ACC1") -> str:
    return f"CLP*{acc}*{status}*{charge}*{paid}**12*ICN{acc[3:]}"


# -- dates given in DTM05 and DTM06 --------------------------------------------------------
def test_a_line_dated_by_a_period_rd8_has_that_period() -> None:
    data = _835(
        [_paid(), _PATIENT, "SVC*HC:99213*100*80**1", "DTM*472****RD8*20261101-20261105",
         "CAS*CO*45*20"]
    )  # fmt: skip
    (claim,), messages = _read(data)
    line = claim.lines[0]
    assert (line.start, line.end) == (date(2026, 11, 1), date(2026, 11, 5))
    assert line.dates == (("150", date(2026, 11, 1)), ("151", date(2026, 11, 5)))
    assert claim.service_date(line) == date(2026, 11, 1)
    assert messages == []


def test_a_statement_period_rd8_is_the_claims_service_period() -> None:
    data = _835(
        [_paid(), _PATIENT, "DTM*232****RD8*20261101-20261105", "SVC*HC:99213*100*80**1",
         "CAS*CO*45*20"]
    )  # fmt: skip
    (claim,), messages = _read(data)
    assert claim.service_period == (date(2026, 11, 1), date(2026, 11, 5))
    assert claim.statement_start == date(2026, 11, 1)
    assert claim.statement_end == date(2026, 11, 5)
    rows = quiet(remit.to_records, data)
    assert rows[0]["service_date"] == date(2026, 11, 1)
    assert messages == []


@pytest.mark.parametrize(
    ("dtm", "expected"),
    [
        ("DTM*050****D8*20261110", (("050", date(2026, 11, 10)),)),
        ("DTM*050****DT*202611101230", (("050", date(2026, 11, 10)),)),
        ("DTM*036****RD8*20260101-20261231",
         (("036", date(2026, 1, 1)), ("036", date(2026, 12, 31)))),
        ("DTM*232****RDT*202611010800-202611031700",
         (("232", date(2026, 11, 1)), ("233", date(2026, 11, 3)))),
        ("DTM*050*20261110*1230", (("050", date(2026, 11, 10)),)),
    ],
)  # fmt: skip
def test_other_dtm_formats_are_read(dtm: str, expected: tuple[tuple[str, date], ...]) -> None:
    data = _835([_paid(), _PATIENT, dtm, "SVC*HC:99213*100*80**1", "CAS*CO*45*20"])
    (claim,), messages = _read(data)
    assert claim.dates == expected
    assert messages == []


@pytest.mark.parametrize(
    ("dtm", "said", "kept"),
    [
        ("DTM*472****D6*261101", "the date format D6 (DTM05) is not one the reader reads", ()),
        ("DTM*472****RD8*20261105-20261101", "the period in DTM06 ends before it starts", ()),
        ("DTM*472****RD8*20261101", "DTM06 is not a valid RD8 value", ()),
        ("DTM*472****RD8*2026110-20261105", "DTM06 is not a valid RD8 value", ()),
        ("DTM*472*****20261101-20261105", "without a format qualifier (DTM05)", ()),
        # no date at all: the claim is read, the DTM left out (it raised before)
        ("DTM*472", "DTM02 is empty; the date is left out", ()),
        # DTM02 is still read when DTM05 and DTM06 cannot be
        ("DTM*472*20261101***XX*20261101",
         "is not one the reader reads (D8, DT, RD8, RDT); DTM02 is read",
         (("472", date(2026, 11, 1)),)),
        # both given, and they differ: DTM06 is read, and the difference said
        ("DTM*472*20261101***RD8*20261102-20261103", "DTM02 and DTM06 give different dates",
         (("150", date(2026, 11, 2)), ("151", date(2026, 11, 3)))),
    ],
)  # fmt: skip
def test_a_dtm_period_not_read_is_warned_by_position(
    dtm: str, said: str, kept: tuple[tuple[str, date], ...]
) -> None:
    data = _835([_paid(), _PATIENT, "SVC*HC:99213*100*80**1", dtm, "CAS*CO*45*20"])
    (claim,), messages = _read(data)
    assert claim.lines[0].dates == kept
    assert len(messages) == 1
    assert messages[0].startswith("segment 12, byte ")
    assert said in messages[0]
    with pytest.raises(X12ParseError, match="segment 12"):
        list(remit.claims(data, strict=True))


def test_an_agreeing_dtm02_beside_dtm06_is_no_problem() -> None:
    data = _835(
        [_paid(), _PATIENT, "SVC*HC:99213*100*80**1", "DTM*472*20261101***RD8*20261101-20261103",
         "CAS*CO*45*20"]
    )  # fmt: skip
    (claim,), messages = _read(data)
    assert (claim.lines[0].start, claim.lines[0].end) == (date(2026, 11, 1), date(2026, 11, 3))
    assert messages == []


def test_a_production_date_in_dtm06_is_read() -> None:
    head = [*_HEAD[:2], "DTM*405****D8*20261201", *_HEAD[3:]]
    data = _835([_paid(), _PATIENT, "SVC*HC:99213*100*80**1", "CAS*CO*45*20"], head)
    (claim,), messages = _read(data)
    assert claim.header.production_date == date(2026, 12, 1)
    bad = data.replace(b"DTM*405****D8*20261201", b"DTM*405****D6*261201")
    (claim,), messages = _read(bad)
    assert claim.header.production_date is None
    assert len(messages) == 1 and "D6 (DTM05)" in messages[0]


# -- reversals and corrections ---------------------------------------------------------------
_DENIED = ["CLP*ACC7*4*300*0**12*ICN7A", _PATIENT, "SVC*HC:99214*300*0**1", "DTM*472*20261101",
           "CAS*CO*197*300"]  # fmt: skip
_REVERSAL = ["CLP*ACC7*22*-300*0**12*ICN7A", _PATIENT, "SVC*HC:99214*-300*0**-1",
             "DTM*472*20261101", "CAS*CO*197*-300"]  # fmt: skip
_CORRECTED = ["CLP*ACC7*1*300*250**12*ICN7B", _PATIENT, "REF*F8*ICN7A", "SVC*HC:99214*300*250**1",
              "DTM*472*20261101", "CAS*CO*45*50"]  # fmt: skip
_OTHER = ["CLP*ACC8*4*120*0**12*ICN8", _PATIENT, "SVC*HC:99213*120*0**1", "DTM*472*20261101",
          "CAS*CO*50*120"]  # fmt: skip


def test_corrections_pair_a_reversal_with_the_claim_it_takes_back_and_its_correction() -> None:
    data = _835([*_DENIED, *_OTHER, *_REVERSAL, *_CORRECTED])
    (pair,) = quiet(list, remit.corrections(data))
    assert pair.reversal.status_code == "22"
    assert pair.original is not None and pair.original.payer_claim_number == "ICN7A"
    assert pair.correction is not None and pair.correction.payer_claim_number == "ICN7B"
    assert pair.correction.references == (("F8", "ICN7A"),)
    assert repr(pair) == "<Correction reversal=segment 19 original=segment 9 correction=segment 24>"
    # the usual case: the original was on an earlier remittance
    (alone,) = quiet(list, remit.corrections(_835([*_REVERSAL, *_CORRECTED])))
    assert alone.original is None and alone.correction is not None
    # a reversal alone, and two reversals in a row: each comes out once
    pairs = quiet(list, remit.corrections(_835([*_REVERSAL, *_REVERSAL, *_OTHER])))
    assert [(p.original, p.correction) for p in pairs] == [(None, None), (None, None)]
    # claims already read are taken too
    claims = quiet(list, remit.claims(data))
    assert quiet(list, remit.corrections(claims)) == [pair]


def test_the_work_list_leaves_out_a_claim_the_same_remittance_reverses() -> None:
    data = _835([*_DENIED, *_OTHER, *_REVERSAL, *_CORRECTED])
    items = quiet(list, remit.denials(data))
    # ACC7's denial was taken back and the claim paid: only ACC8 needs work
    assert [i.claim.patient_control_number for i in items] == ["ACC8"]
    assert quiet(remit.summary, data).at_stake == Decimal(120)
    # without the reversal, ACC7's denial is on the list
    items = quiet(list, remit.denials(_835([*_DENIED, *_OTHER])))
    assert [i.claim.patient_control_number for i in items] == ["ACC7", "ACC8"]
    # a reversal of another decision (another CLP07) leaves the denial on the list
    other = [s.replace("ICN7A", "ICN7Z") for s in _REVERSAL]
    items = quiet(list, remit.denials(_835([*_DENIED, *other])))
    assert [i.claim.patient_control_number for i in items] == ["ACC7"]
    # without CLP07, the negated charge tells
    bare = [s.replace("*ICN7A", "") for s in (*_DENIED, *_REVERSAL)]
    assert quiet(list, remit.denials(_835(bare))) == []
    # a corrected claim that is itself denied is on the list, on its own
    again = ["CLP*ACC7*4*300*0**12*ICN7C", _PATIENT, "SVC*HC:99214*300*0**1",
             "DTM*472*20261101", "CAS*CO*16*300"]  # fmt: skip
    items = quiet(list, remit.denials(_835([*_DENIED, *_REVERSAL, *again])))
    assert [(i.claim.payer_claim_number, i.adjustments[0].key) for i in items] == [
        ("ICN7C", "CO-16")
    ]


def test_the_batch_writes_no_letter_for_a_claim_the_remittance_reverses() -> None:
    data = _835([*_DENIED, *_OTHER, *_REVERSAL, *_CORRECTED])
    done = quiet(list, batch.appeals(data, provider=_PRACTICE, letter_date=_LETTER_DATE))
    assert [(a.position, a.claim.patient_control_number, a.written) for a in done] == [
        (1, "ACC7", False),
        (2, "ACC8", True),
    ]
    reason = done[0].reason or ""
    assert "reverses this claim (CLP02 22, claim 3)" in reason
    assert "decides it again (claim 4, listed on its own when it needs work)" in reason
    assert "nothing to appeal" in reason
    for value in _SECRET:
        assert value not in reason and value not in repr(done[0])


def test_a_reversal_in_a_later_transaction_set_is_warned_about() -> None:
    first = _835([*_DENIED])
    second = _835([*_REVERSAL, *_CORRECTED]).replace(b"000000101", b"000000102")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        items = list(remit.denials(first + second))
    assert [i.claim.patient_control_number for i in items] == ["ACC7"]
    said = [str(w.message) for w in caught if "earlier transaction set" in str(w.message)]
    assert len(said) == 1
    assert said[0].startswith("segment 25, byte ") and "claim at segment 9" in said[0]


# -- inpatient claims without service lines in the batch -------------------------------------
_DRG = ["CLP*ACC1*1*12000*0**MA*ICN1*11*1*470", _PATIENT, "CAS*CO*50*12000", "MIA*0***0*N115",
        "DTM*232*20261101", "DTM*233*20261105"]  # fmt: skip
_BILLED = [ClaimServiceLine(code="99223", date=date(2026, 11, 1), charge=Decimal(12000))]


def test_the_batch_takes_the_services_of_a_drg_claim_by_patient_control_number() -> None:
    data = _835([*_DRG, *_OTHER])
    done = quiet(list, batch.appeals(data, provider=_PRACTICE, letter_date=_LETTER_DATE))
    assert [a.written for a in done] == [False, True]
    reason = done[0].reason or ""
    assert "has no service line (SVC)" in reason
    assert "give the services as billed (appeals(services={patient control number" in reason
    assert "--services FILE" in reason
    done = quiet(
        list,
        batch.appeals(
            data, provider=_PRACTICE, letter_date=_LETTER_DATE, services={" ACC1 ": _BILLED}
        ),
    )
    assert [a.written for a in done] == [True, True]
    letter = done[0].letter
    assert letter is not None and "99223" in letter.text
    assert [s.code for s in letter.claim.services] == ["99223"]
    # ACC8's letter still lists the 835's line: the mapping names ACC1 only
    assert [s.code for s in done[1].letter.claim.services] == ["99213"]  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("services", "said"),
    [
        (["99223"], "services must be a mapping"),
        ({1: _BILLED}, "a key is a int"),
        ({"ACC1": "99223"}, "a value is a str"),
        ({"ACC1": ["99223"]}, "an entry is a str"),
    ],
)
def test_the_batch_refuses_services_of_the_wrong_type_at_once(services: object, said: str) -> None:
    with pytest.raises(TypeError, match=said):
        batch.appeals(b"", provider=_PRACTICE, services=services)  # type: ignore[arg-type]


def test_the_command_line_takes_a_services_file(tmp_path: Path) -> None:
    (tmp_path / "era.835").write_bytes(_835([*_DRG]))
    (tmp_path / "provider.json").write_text(json.dumps({"name": "Clinic Y"}), "utf-8")
    billed = {"ACC1": [{"code": "99223", "date": "2026-11-01", "charge": "12000.00"}]}
    (tmp_path / "services.json").write_text(json.dumps(billed), "utf-8")
    argv = ["remit", str(tmp_path / "era.835"), "--provider", str(tmp_path / "provider.json"),
            "--date", "2026-12-10"]  # fmt: skip
    code, err = _main([*argv, "--appeals", str(tmp_path / "a")])
    assert code == 0 and "wrote 0 letters" in err
    code, err = _main([*argv, "--appeals", str(tmp_path / "b"), "--services",
                       str(tmp_path / "services.json")])  # fmt: skip
    assert code == 0 and "wrote 1 letter " in err
    (letter,) = (tmp_path / "b").glob("0001-*.txt")
    assert "99223" in letter.read_text("utf-8")
    # a bad entry is named by its position, never by its key
    bad = {"ACC1": [{"code": "99223", "date": "not a date", "charge": "1"}]}
    (tmp_path / "bad.json").write_text(json.dumps(bad), "utf-8")
    code, err = _main([*argv, "--appeals", str(tmp_path / "c"), "--services",
                       str(tmp_path / "bad.json")])  # fmt: skip
    assert code == 1 and "services[1][0].date" in err and "ACC1" not in err
    # without --appeals the flag is refused
    code, err = _main(["remit", str(tmp_path / "era.835"), "--services", "x.json"])
    assert code == 2 and "--services applies to --appeals DIR only" in err


def test_a_services_file_that_is_missing_or_not_json_is_named(tmp_path: Path) -> None:
    (tmp_path / "era.835").write_bytes(_835([*_DRG]))
    (tmp_path / "provider.json").write_text(json.dumps({"name": "Clinic Y"}), "utf-8")
    (tmp_path / "services.json").write_text('{"ACC1": [', "utf-8")
    argv = ["remit", str(tmp_path / "era.835"), "--provider", str(tmp_path / "provider.json"),
            "--appeals", str(tmp_path / "a"), "--services"]  # fmt: skip
    code, err = _main([*argv, str(tmp_path / "services.json")])
    assert code == 1 and "the services file is not valid JSON (line 1)" in err
    code, err = _main([*argv, str(tmp_path / "absent.json")])
    assert code == 2 and "cannot read the services file" in err


def _main(argv: list[str]) -> tuple[int, str]:
    out, err = io.StringIO(), io.StringIO()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        code = main(argv, stdout=out, stderr=err)
    return code, err.getvalue()


# -- the shapes payers send ----------------------------------------------------------------
_LINE = ["SVC*HC:99213*100*80**1", "DTM*472*20261101", "CAS*CO*45*20"]


def test_a_4010_file_is_read_as_5010_and_other_versions_are_named() -> None:
    data = _835([_paid(), _PATIENT, *_LINE, *_OTHER])
    v4010 = data.replace(b"^*00501", b"U*00401").replace(b"005010X221A1", b"004010X091A1")
    claims, messages = _read(v4010)
    assert [(c.patient_control_number, c.charge, c.payment) for c in claims] == [
        ("ACC1", Decimal(100), Decimal(80)),
        ("ACC8", Decimal(120), Decimal(0)),
    ]
    assert claims[0].header.version == "004010X091A1" and messages == []
    assert claims[0].header.delimiters.repetition is None
    assert [i.claim.patient_control_number for i in quiet(list, remit.denials(v4010))] == ["ACC8"]
    for version in (b"003051", b"006020X313"):
        other = data.replace(b"005010X221A1", version)
        claims, messages = _read(other)
        assert len(claims) == 2  # read, as 5010
        assert messages == [
            f"segment 3, byte {other.index(b'ST*835')}: the 835's version (GS08) "
            f"{version.decode()} is not one the reader knows (004010X091, 005010X221, with or "
            "without A1): it is read as 5010; check what comes out"
        ]
        with pytest.raises(X12ParseError, match="version"):
            list(remit.claims(data.replace(b"005010X221A1", version), strict=True))


def test_a_claim_of_many_lines_keeps_every_line_and_its_control_number() -> None:
    lines = []
    for k in range(1, 121):
        lines += ["SVC*HC:99213*10*8**1", "DTM*472*20261101", "CAS*CO*45*2", f"REF*6R*L{k:03d}"]
    lines[-2] = "CAS*CO*50*2"  # the last line: a denial
    (claim,), messages = _read(_835(["CLP*ACC1*1*1200*960**12*ICN1", _PATIENT, *lines]))
    assert len(claim.lines) == 120 and claim.balanced is True and messages == []
    assert [line.number for line in claim.lines] == list(range(1, 121))
    assert claim.lines[119].control_number == "L120"
    (item,) = quiet(list, remit.denials(_835(["CLP*ACC1*1*1200*960**12*ICN1", _PATIENT, *lines])))
    assert item.line is not None and item.line.number == 120
    rows = quiet(remit.to_records, _835(["CLP*ACC1*1*1200*960**12*ICN1", _PATIENT, *lines]))
    assert [r["line_control_number"] for r in rows][-2:] == ["L119", "L120"]
    assert rows[-1]["needs_work"] is True


def test_provider_summaries_and_the_payees_tax_id_are_kept() -> None:
    head = [*_HEAD[:4], "N1*PE*CLINIC Y*FI*123456789", "REF*TJ*123456789"]
    body = ["LX*1", "TS3*1234567893*11*20261231*2*220", "TS2*100*50", _paid(), _PATIENT,
            *_LINE, "LX*2", *_OTHER]  # fmt: skip
    claims, messages = _read(_835(body, head))
    assert messages == []
    payee = claims[0].header.payee
    assert payee is not None and (payee.id_qualifier, payee.identifier) == ("FI", "123456789")
    assert payee.references == (("TJ", "123456789"),)
    first, second = (c.provider_summary for c in claims)
    assert first is not None and second is not None
    assert (first.number, first.claim_count, first.total_charge) == ("1", Decimal(2), Decimal(220))
    assert first.amounts == (("TS201", Decimal(100)), ("TS202", Decimal(50)))
    assert second.number == "2"


def test_supplemental_amounts_and_quantities_of_a_claim_are_kept() -> None:
    body = [_paid(), _PATIENT, "AMT*AU*100", "AMT*I*1.50", "QTY*CA*3", *_LINE, "AMT*B6*80",
            "QTY*ZL*1"]  # fmt: skip
    (claim,), messages = _read(_835(body))
    assert claim.amounts == (("AU", Decimal(100)), ("I", Decimal("1.50")))
    assert claim.interest == Decimal("1.50")
    assert claim.quantities == (("CA", Decimal(3)),)
    assert claim.lines[0].allowed == Decimal(80)
    assert claim.lines[0].quantities == (("ZL", Decimal(1)),)
    assert messages == []


def test_zero_dollar_claims_negative_payments_and_repeated_claim_numbers() -> None:
    body = [
        # nothing paid, all of it the patient's deductible: no denial
        "CLP*ACC1*1*100*0*100*12*ICN1", _PATIENT, "SVC*HC:99213*100*0**1", "DTM*472*20261101",
        "CAS*PR*1*100",
        # a negative line payment (a recoupment inside the claim)
        "CLP*ACC2*1*100*-10**12*ICN2", _PATIENT, "SVC*HC:99213*100*-10**1", "DTM*472*20261101",
        "CAS*CO*45*110",
        # the same patient control number twice (two visits under one account)
        "CLP*ACC3*1*100*80**12*ICN3", _PATIENT, *_LINE,
        "CLP*ACC3*4*120*0**12*ICN4", _PATIENT, "SVC*HC:99213*120*0**1", "DTM*472*20261102",
        "CAS*CO*50*120",
    ]  # fmt: skip
    claims, messages = _read(_835(body))
    assert messages == []
    assert [(c.patient_control_number, c.payment, c.balanced) for c in claims] == [
        ("ACC1", Decimal(0), True),
        ("ACC2", Decimal(-10), True),
        ("ACC3", Decimal(80), True),
        ("ACC3", Decimal(0), True),
    ]
    assert claims[0].patient_responsibility == Decimal(100)
    items = quiet(list, remit.denials(_835(body)))
    assert [(i.claim.payer_claim_number, i.amount) for i in items] == [("ICN4", Decimal(120))]
    assert quiet(list, remit.corrections(_835(body))) == []


@pytest.mark.parametrize(
    ("between", "after"),
    [(b"~\r\n", b""), (b"~\n", b"\n\n"), (b"~", b"\x00" * 700), (b"~\r\n", b"\r\n\x1a")],
)
def test_long_files_with_line_breaks_and_padding_read_every_claim(
    between: bytes, after: bytes
) -> None:
    body = []
    for k in range(6000):  # about 1.5 MB: several chunks of the reader
        body += [f"CLP*ACC{k}*1*100*80**12*ICN{k}", _PATIENT, *_LINE]
    data = _835(body).replace(b"~\n", between) + after
    claims, messages = _read(data)
    assert len(claims) == 6000 and messages == []
    assert claims[-1].patient_control_number == "ACC5999"
    assert sum(c.payment for c in claims) == Decimal(480000)


def test_the_repetition_separator_inside_a_value_is_warned_about() -> None:
    data = _835([_paid(), _PATIENT, "SVC*HC:99213:25^59*100*80**1", *_LINE[1:]])
    (claim,), messages = _read(data)
    assert claim.lines[0].modifiers == ("25^59",)  # kept as sent
    assert len(messages) == 1
    assert messages[0].startswith("segment 11, byte ")
    assert "SVC holds the repetition separator (ISA11)" in messages[0]
    with pytest.raises(X12ParseError, match="repetition separator"):
        list(remit.claims(data, strict=True))
    # a 4010 file has none: its ISA11 is U
    v4010 = data.replace(b"^*00501", b"U*00401")
    (claim,), messages = _read(v4010)
    assert messages == []


def test_a_service_date_given_at_claim_level_dates_the_claim_and_its_letter() -> None:
    body = ["CLP*ACC1*4*100*0**12*ICN1", _PATIENT, "DTM*472*20261101", "SVC*HC:99213*100*0**1",
            "CAS*CO*50*100"]  # fmt: skip
    data = _835(body)
    (claim,), messages = _read(data)
    assert messages == []
    assert claim.service_period == (date(2026, 11, 1), date(2026, 11, 1))
    assert claim.service_date(claim.lines[0]) == date(2026, 11, 1)
    assert quiet(remit.to_records, data)[0]["service_date"] == date(2026, 11, 1)
    (done,) = quiet(list, batch.appeals(data, provider=_PRACTICE, letter_date=_LETTER_DATE))
    assert done.written and done.letter is not None
    assert done.letter.claim.services[0].date == date(2026, 11, 1)
    # a claim-level period 150 to 151; and a statement period still comes first
    ranged = _835([*body[:2], "DTM*150*20261101", "DTM*151*20261103", *body[3:]])
    (claim,), _ = _read(ranged)
    assert claim.service_period == (date(2026, 11, 1), date(2026, 11, 3))
    both = _835([*body[:2], "DTM*232*20261020", *body[2:]])
    (claim,), _ = _read(both)
    assert claim.service_period == (date(2026, 10, 20), date(2026, 10, 20))
