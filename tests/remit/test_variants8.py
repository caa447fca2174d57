"""More shapes of real 835s, written small here with our own values: what each one must give
a user (claims, lines, adjustments, names, rows) rather than how the reader gets there.
"""

from __future__ import annotations

import gzip
import io
import json
import pickle
import warnings
import zipfile
from datetime import date
from decimal import Decimal

import pytest

from denialkit import remit
from denialkit.claim import Provider
from denialkit.cli import main
from denialkit.exceptions import X12ParseError
from x12_text import envelope, quiet

_HEAD = [
    "BPR*I*150*C*ACH*CCP*01*999999999*DA*123456*1512345678**01*888888888*DA*98765*20261203",
    "TRN*1*TRACE01*1512345678",
    "DTM*405*20261201",
    "N1*PR*PAYER X",
    "N3*1 MAIN ST",
    "N4*TOWN*NY*10001",
    "PER*BL*BILLING DESK*TE*8005550100",
    "N1*PE*CLINIC Y*XX*1234567893",
]
_CLAIM = [
    "LX*1",
    "CLP*ACC1*1*200*150*10*12*PX1*11*1",
    "NM1*QC*1*DOE*JANE****MI*M123",
    "DTM*232*20261101",
    "SVC*HC:99213:25*200*150**1",
    "DTM*472*20261101",
    "CAS*CO*45*40",
    "CAS*PR*2*10",
    "LQ*HE*N130",
]


def _835(body: list[str], head: list[str] = _HEAD) -> bytes:
    """One interchange, one group, one 835 holding ``head`` and ``body``."""
    return envelope([*head, *body])


# -- text in Windows-1252 -------------------------------------------------------------------


def test_windows_1252_punctuation_in_names_is_read_as_such() -> None:
    # names typed on Windows: a curly apostrophe (0x92), S with caron (0x8A), an en dash
    # (0x96) are control codes in Latin-1; they were kept as control codes, and a letter
    # made of the claim turned them into spaces ("O BRIEN")
    data = _835(_CLAIM).replace(b"DOE*JANE", b"O\x92BRIEN*\x8aARA").replace(b"PAYER X", b"A\x96B")
    claim = next(remit.claims(data))
    assert claim.patient is not None
    assert claim.patient.last_name == "O\u2019BRIEN"
    assert claim.patient.first_name == "\u0160ARA"
    assert claim.header.payer is not None and claim.header.payer.name == "A\u2013B"
    letter_claim = claim.to_claim(provider=Provider(name="Clinic Y"))
    assert letter_claim.patient.name == "\u0160ARA O\u2019BRIEN"
    out = io.StringIO()
    remit.write_csv(data, out)
    assert "A\u2013B" in out.getvalue()
    assert not any(0x80 <= ord(c) < 0xA0 for c in out.getvalue())


def test_utf8_and_latin1_text_still_read() -> None:
    data = _835(_CLAIM).replace(b"DOE*JANE", "MUÑOZ*JOSÉ".encode()).replace(b"PAYER X", b"CAF\xc9")
    claim = next(remit.claims(data))
    assert claim.patient is not None and claim.patient.name == "JOSÉ MUÑOZ"
    assert claim.header.payer is not None and claim.header.payer.name == "CAFÉ"


def test_city_and_contact_name_are_read_as_text() -> None:
    # the N4 city and the PER contact name were left as the Latin-1 reading of UTF-8 bytes
    data = _835(_CLAIM).replace(b"N4*TOWN", "N4*MONTRÉAL".encode())
    data = data.replace(b"BILLING DESK", b"D\x92ARCY")
    payer = next(remit.claims(data)).header.payer
    assert payer is not None
    assert payer.city == "MONTRÉAL"
    assert payer.contacts[0].name == "D\u2019ARCY"


# -- every claim is in the table --------------------------------------------------------------

_NO_CAS = [
    "LX*1",
    "CLP*ACC4*4*100*0**12*PX4",  # denied, and the payer sent no CAS
    "NM1*QC*1*DOE*JANE",
    "CLP*ACC5*1*50*50**12*PX5",  # paid in full
    "SVC*HC:99213*50*50**1",
    "DTM*472*20261101",
    *_CLAIM[1:],
]


def test_a_claim_without_adjustments_has_a_row() -> None:
    data = _835(_NO_CAS)
    rows = quiet(remit.to_records, data)
    assert [(r["claim"], r["level"], r["code"], r["needs_work"]) for r in rows] == [
        ("ACC4", "claim", None, True),
        ("ACC5", "claim", None, False),
        ("ACC1", "line", "CO-45", False),
        ("ACC1", "line", "PR-2", False),
    ]
    assert all(list(r) == list(remit.COLUMNS) for r in rows)
    assert rows[0]["claim_charge"] == Decimal(100) and rows[0]["amount"] is None
    assert rows[0]["known"] is False
    # the denied claim is also on the work list
    items = quiet(lambda: list(remit.denials(data)))
    assert [(i.claim.patient_control_number, i.amount) for i in items] == [("ACC4", 100)]


def test_a_claim_without_adjustments_is_in_the_csv_and_on_the_command_line(tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "era.835"
    path.write_bytes(_835(_NO_CAS))
    out = io.StringIO()
    assert quiet(remit.write_csv, path, out) == 4
    assert "ACC4" in out.getvalue() and "ACC5" in out.getvalue()
    out, err = io.StringIO(), io.StringIO()
    assert main(["remit", str(path)], stdout=out, stderr=err) == 0
    assert "ACC4" in out.getvalue() and "ACC5" in out.getvalue()
    assert "2 adjustments, 2 claims without any" in err.getvalue()
    out = io.StringIO()
    assert main(["remit", str(path), "--format", "json"], stdout=out, stderr=io.StringIO()) == 0
    assert [r["claim"] for r in json.loads(out.getvalue())] == ["ACC4", "ACC5", "ACC1", "ACC1"]


def test_a_claim_without_adjustments_in_a_frame() -> None:
    pytest.importorskip("pandas")
    df = quiet(remit.to_frame, _835(_NO_CAS))
    assert list(df.claim) == ["ACC4", "ACC5", "ACC1", "ACC1"]
    assert df.needs_work.tolist() == [True, False, False, False]
    assert str(df.known.dtype) == "bool" and str(df.amount.dtype) == "float64"


# -- codes padded or in lower case ----------------------------------------------------------


@pytest.mark.parametrize(
    "cas",
    [b"CAS*CO *45 *40", b"CAS*co*45*40", b"CAS*CO*45   *40*1", b"CAS*Co*45*40**253*0"],
)
def test_a_padded_or_lower_case_adjustment_code_is_the_code_it_spells(cas: bytes) -> None:
    # it was an unknown code, with a warning, and listed as work to do (CO-45 is routine)
    data = _835(_CLAIM).replace(b"CAS*CO*45*40", cas)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        claim = next(remit.claims(data))
        assert list(remit.denials(data)) == []
    adj = claim.lines[0].adjustments[0]
    assert adj.known and adj.key == "CO-45" and adj.amount == Decimal(40)
    assert remit.to_records(data)[0]["code"] == "CO-45"


def test_an_interchange_all_in_lower_case_keeps_its_codes() -> None:
    data = _835(_CLAIM).lower()
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # GS01 "hp" is HP; co-45 and pr-2 are known codes
        claim = next(remit.claims(data))
        assert list(remit.denials(data)) == []
    assert [a.key for a in claim.lines[0].adjustments] == ["CO-45", "PR-2"]


# -- a line adjudicated under another code: what the provider billed -----------------------


@pytest.mark.parametrize(
    ("svc", "code", "modifiers", "submitted"),
    [
        # downcoded: billed 99214 with modifier 25, paid as 99213 without it
        ("SVC*HC:99213*200*150**1*HC:99214:25*1", "99214", ("25",), True),
        # only a modifier changed: billed 99213-25-59, paid as 99213-25
        ("SVC*HC:99213:25*200*150**1*HC:99213:25:59", "99213", ("25", "59"), True),
        # SVC06 with the other component separator
        ("SVC*HC:99213*200*150**1*HC>99215>GT", "99215", ("GT",), True),
        # no SVC06: the line as paid
        ("SVC*HC:99213:25*200*150**1", "99213", ("25",), False),
    ],
)
def test_a_letter_lists_the_modifiers_the_provider_billed(
    svc: str, code: str, modifiers: tuple[str, ...], submitted: bool
) -> None:
    # the submitted code came with the modifiers of the line as paid: a letter about a
    # downcoded 99214-25 named "99214" without its modifier
    data = _835(_CLAIM).replace(b"SVC*HC:99213:25*200*150**1", svc.encode())
    claim = next(remit.claims(data))
    line = claim.lines[0]
    assert line.submitted_modifiers == (modifiers if submitted else ())
    service = claim.to_claim(provider=Provider(name="Clinic Y")).services[0]
    assert (service.code, service.modifiers) == (code, modifiers)


# -- groups of claims: LX, TS3, TS2 ------------------------------------------------------------


def test_each_claim_carries_the_summary_of_its_group() -> None:
    # institutional remittances sum each group of claims up in TS3/TS2; those amounts were
    # checked and dropped: nothing held them
    body = [
        "LX*1",
        "TS3*1234567893*11*20261231*2*200*****100",
        "TS2*10**5",
        *_CLAIM[1:],
        "CLP*ACC2*1*0*0*0*12*PX2",
        "LX*2",
        "CLP*ACC3*1*0*0*0*12*PX3",
    ]
    data = _835(body)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        claims = list(remit.claims(data))
    assert all(data[c.offset :].startswith(b"CLP*") for c in claims)
    first, second, third = (c.provider_summary for c in claims)
    assert first is second  # one object per group, as the header is per transaction set
    assert first == remit.ProviderSummary(
        number="1",
        provider_id="1234567893",
        facility_code="11",
        fiscal_period_date=date(2026, 12, 31),
        claim_count=Decimal(2),
        total_charge=Decimal(200),
        amounts=(("TS310", Decimal(100)), ("TS201", Decimal(10)), ("TS203", Decimal(5))),
        segment=12,  # the LX
    )
    assert third is not None and third.number == "2" and third.provider_id is None
    assert pickle.loads(pickle.dumps(claims[0])).provider_summary == first


def test_a_transaction_without_groups_has_no_summary_and_groups_end_with_it() -> None:
    one = _835(_CLAIM[1:])
    assert next(remit.claims(one)).provider_summary is None
    # the second transaction set of a file has no LX: its claim is in no group of the first
    st = _835(_CLAIM).decode().split("~\n")
    se = next(k for k, x in enumerate(st) if x.startswith("SE*"))
    second = ["ST*835*0002", *_HEAD, *_CLAIM[1:], f"SE*{len(_HEAD) + len(_CLAIM) + 1}*0002"]
    data = "~\n".join([*st[: se + 1], *second, "GE*2*1", "IEA*1*000000101", ""]).encode()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        a, b = remit.claims(data)
    assert a.provider_summary is not None and b.provider_summary is None


def test_a_bad_number_or_date_in_a_summary_is_reported_and_left_out() -> None:
    body = ["LX*1", "TS3*99*11*2026123*X*200", "TS2*1E2", *_CLAIM[1:]]
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        claim = next(remit.claims(_835(body)))
    summary = claim.provider_summary
    assert summary is not None
    assert (summary.fiscal_period_date, summary.claim_count, summary.amounts) == (None, None, ())
    assert summary.total_charge == Decimal(200)
    messages = [str(w.message) for w in caught]
    assert any("TS304 is not an X12 number" in m for m in messages)
    assert any("TS201 is not an X12 number" in m for m in messages)
    assert any("TS303 is not a valid CCYYMMDD date" in m for m in messages)
    assert not any("2026123" in m or "1E2" in m for m in messages)


# -- files that are not X12 as they stand ------------------------------------------------------


def _compressed(kind: str, data: bytes) -> bytes:
    if kind == "gzip":
        return gzip.compress(data)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("era.835", data)
    return buf.getvalue()


@pytest.mark.parametrize(
    ("make", "hint"),
    [
        (lambda d: d.decode("latin-1").encode("utf-16"), "UTF-16 text"),
        (lambda d: d.decode("latin-1").encode("utf-16-be"), "UTF-16 text"),
        (lambda d: _compressed("gzip", d), "gzip-compressed"),
        (lambda d: _compressed("zip", d), "ZIP archive"),
        (lambda d: b"$$ADD ID=MAILBOX1 BID='835'\r\n" + d, "an ISA segment starts at byte 29"),
    ],
)
def test_data_that_is_not_x12_as_it_stands_says_what_it_is(make, hint: str) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(X12ParseError, match="it is not an X12 file") as info:
        list(remit.claims(make(_835(_CLAIM))))
    assert hint in str(info.value)
    assert "MAILBOX1" not in str(info.value)


# -- a file whose name holds a "~" ---------------------------------------------------------------


@pytest.mark.parametrize("name", ["JSMITH~1.835", "era.835~", "era~2026-12.835"])
def test_a_file_whose_name_holds_a_tilde_is_read(tmp_path, name: str) -> None:  # type: ignore[no-untyped-def]
    # Windows short names (C:\Users\JSMITH~1\...) and editors' backups: the name was taken
    # for X12 text and refused with a TypeError, and the command line crashed on it
    path = tmp_path / name
    path.write_bytes(_835(_CLAIM))
    assert [c.patient_control_number for c in remit.claims(str(path))] == ["ACC1"]
    out, err = io.StringIO(), io.StringIO()
    assert main(["remit", str(path)], stdout=out, stderr=err) == 0
    assert "ACC1" in out.getvalue()
    # a missing one is a file that cannot be read, not a crash
    err = io.StringIO()
    assert main(["remit", str(tmp_path / "NONE~1.835")], stdout=io.StringIO(), stderr=err) == 2
    assert "cannot read the file" in err.getvalue()


@pytest.mark.parametrize(
    "text",
    ["ISA*00*          *00~", "isa*00*", "\ufeffISA*00*", "ST*835*1~", "CLP*A*1*1*1~", "a\nb"],
)
def test_x12_text_in_a_str_is_still_refused_with_a_hint(text: str) -> None:
    with pytest.raises(TypeError, match="pass it as bytes"):
        remit.claims(text)


# -- quantities ---------------------------------------------------------------------------------


def test_quantities_are_kept_at_claim_and_line_level() -> None:
    # QTY (covered days, co-insured days, covered units) was checked and then dropped
    body = list(_CLAIM)
    body[2:2] = ["QTY*CA*3", "QTY*CD*1.5"]
    body.insert(body.index("DTM*472*20261101") + 1, "QTY*ZK*2")
    data = _835(body)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        claim = next(remit.claims(data))
    assert claim.quantities == (("CA", Decimal(3)), ("CD", Decimal("1.5")))
    assert claim.lines[0].quantities == (("ZK", Decimal(2)),)
    assert pickle.loads(pickle.dumps(claim)).quantities == claim.quantities


def test_a_bad_quantity_is_reported_and_left_out() -> None:
    body = list(_CLAIM)
    body[2:2] = ["QTY*CA*1_0", "QTY*CD*2", "QTY*ZZ"]
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        claim = next(remit.claims(_835(body)))
    assert claim.quantities == (("CD", Decimal(2)),)
    assert [str(w.message).split(": ", 1)[1][:33] for w in caught] == [
        "QTY02 is not an X12 number (an op"
    ]
    with pytest.raises(X12ParseError, match="QTY02 is not an X12 number"):
        list(remit.claims(_835(body), strict=True))
