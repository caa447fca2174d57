"""From a remittance to appeal letters (issue 6, part 5): ``ClaimPayment.to_claim``,
``denialkit.batch.appeals`` and ``denialkit remit FILE --appeals DIR``.

``data/appeals.835`` is our own synthetic remittance: every patient name, member id and group
number in it starts with the sentinel ``QXPHI``, so that any leak into an error message,
stderr or a file name shows. Its ten claims cover, by position:

1. denied (status 4), CO-197 on both lines, Medicare (MB): a letter for both lines;
2. paid: no work, not listed;
3. CO-50 on one line and CO-16 on another, member id from NM1*IL: a letter for the CO-50
   line only;
4. CO-16 only (correct and resubmit): no letter;
5. an unknown reason code (CO-999): no letter, a person must look;
6. no service date anywhere and only a social security number as an id: no letter, both paths
   named;
7. no CLP07 (the claim number falls back to CLP01, which holds ``/``, ``..`` and a space), a
   corrected member id (NM1*74), a procedure submitted as 99215 and paid as 99213, Medicare
   Advantage (16): a letter;
8. a claim-level denial without service lines: no letter;
9. commercial (CI) with a group number (REF*1L), CO-197: a letter;
10. CO-252 (send the information asked for): no letter.
"""

from __future__ import annotations

import csv
import io
import json
import re
import warnings
from collections.abc import Callable, Iterator
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from pypdf import PdfReader

import denialkit
import payloads
from denialkit import remit
from denialkit.batch import ClaimAppeal, appeals
from denialkit.claim import Payer, PlanType, Provider
from denialkit.cli import main
from denialkit.codes import Action
from denialkit.exceptions import ClaimDataError, X12ParseError, X12Warning
from payloads import tampered

SENTINEL = "QXPHI"
LETTER_DATE = date(2026, 6, 10)
PRACTICE = Provider(
    name="Hillside Clinic",
    npi="1234567893",
    address="9 Hill Street\nAlbany, NY 12208",
    phone="518-555-0100",
    signer_name="Robin Okafor",
    signer_title="Revenue Cycle Manager",
)
PROVIDER_JSON = {
    "name": "Hillside Clinic",
    "npi": "1234567893",
    "address": "9 Hill Street\nAlbany, NY 12208",
    "phone": "518-555-0100",
    "signer_name": "Robin Okafor",
    "signer_title": "Revenue Cycle Manager",
}
JUNK: list[object] = [None, "", "💥", "\u202e", "x" * 1_000_000, b"bytes", 42, 4.2, [], {}]


# ------------------------------------------------------------------------ helpers


@pytest.fixture(scope="module")
def appeals_835(data: Path) -> Path:
    return data / "appeals.835"


def quiet_claims(source: object) -> list[remit.ClaimPayment]:
    """Every claim, details parsed, with the fixture's one expected warning (CO-999) checked."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        claims = list(remit.claims(source))  # type: ignore[arg-type]
        for c in claims:
            c.lines
    for w in caught:
        assert issubclass(w.category, X12Warning) and "CO-999" in str(w.message)
    return claims


def batch(source: object, **kw: object) -> list[ClaimAppeal]:
    kw.setdefault("letter_date", LETTER_DATE)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", X12Warning)
        return list(appeals(source, provider=PRACTICE, **kw))  # type: ignore[arg-type]


def run(*argv: str, stderr: io.StringIO | None = None) -> tuple[int, str, str]:
    out, err = io.StringIO(), stderr if stderr is not None else io.StringIO()
    code = main(list(argv), stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


@pytest.fixture
def provider_file(tmp_path: Path) -> Path:
    path = tmp_path / "provider.json"
    path.write_text(json.dumps(PROVIDER_JSON), "utf-8")
    return path


def index_rows(directory: Path) -> list[dict[str, str]]:
    with (directory / "index.csv").open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def letter_files(directory: Path) -> list[Path]:
    return sorted(p for p in directory.iterdir() if p.name != "index.csv")


def appeal_action_claims(source: object) -> dict[str, remit.ClaimPayment]:
    """Computed independently of the batch: the claims with a denials() item whose
    explanation recommends an appeal, by patient control number."""
    out = {}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", X12Warning)
        for item in remit.denials(source):  # type: ignore[arg-type]
            if any(e.action is Action.APPEAL for e in item.explanations()):
                out[item.claim.patient_control_number] = item.claim
    return out


def describable(claim: remit.ClaimPayment) -> bool:
    try:
        claim.to_claim(provider=PRACTICE)
    except ClaimDataError:
        return False
    return True


# ------------------------------------------------------------------------ to_claim


def test_to_claim_from_the_sample() -> None:
    payment = list(remit.claims(remit.sample()))[2]
    claim = payment.to_claim(provider=PRACTICE)
    assert claim.claim_number == "ACME26001003"  # CLP07, not CLP01 (PCN1003)
    assert claim.patient.name == "EDGAR POE" and claim.patient.member_id == "ZX1000003"
    assert claim.provider is PRACTICE
    assert (claim.payer.name, claim.payer.plan_type) == ("ACME HEALTH PLAN", PlanType.COMMERCIAL)
    # the denied line only: the 99213 beside it was paid, and is no part of the denial
    assert [(s.code, s.modifiers, s.date, s.units, s.charge) for s in claim.services] == [
        ("99484", (), date(2026, 3, 31), Decimal(1), Decimal(60)),
    ]
    assert claim.denial.codes == ("CO-50", "N115")
    assert claim.denial.notice_date == date(2026, 4, 17)  # BPR16
    assert claim.denial.level == 0 and claim.denial.reason is None and not claim.facts
    # the claim is ready for appeal()
    letter = denialkit.appeal(claim.denial.codes, claim, letter_date=LETTER_DATE)
    assert "ACME26001003" in letter.text and "EDGAR POE" in letter.text


def test_to_claim_reads_every_source_of_each_field(appeals_835: Path) -> None:
    claims = quiet_claims(appeals_835)
    first = claims[0].to_claim(provider=PRACTICE)
    assert first.payer.plan_type is PlanType.MEDICARE  # MB
    assert first.patient.member_id == f"{SENTINEL}7KQ2XF3RW45"
    assert first.denial.codes == ("CO-197", "N54")

    mixed = claims[2].to_claim(provider=PRACTICE)
    assert mixed.patient.name == f"{SENTINEL}CARA {SENTINEL}CHEN"  # NM1*QC, not NM1*IL
    assert mixed.patient.member_id == f"{SENTINEL}3EG4TE5MK75"  # from NM1*IL
    # the lines that need work, not the paid 36415
    assert [s.code for s in mixed.services] == ["99484", "99213"]
    assert mixed.denial.codes == ("CO-50", "N115", "CO-16", "N290")  # CO-45-free, in order

    odd = claims[6].to_claim(provider=PRACTICE)
    assert odd.claim_number == "HC/2007 ../A"  # no CLP07: CLP01
    assert odd.patient.member_id == f"{SENTINEL}NEWID"  # the payer's corrected id (NM1*74)
    assert odd.services[0].code == "99215"  # as submitted (SVC06), not as paid
    assert odd.payer.plan_type is PlanType.MEDICARE_ADVANTAGE  # 16

    commercial = claims[8].to_claim(provider=PRACTICE)
    assert commercial.patient.group_number == f"{SENTINEL}GRP77"  # REF*1L
    assert commercial.payer.plan_type is PlanType.COMMERCIAL  # CI

    units = claims[9].to_claim(provider=PRACTICE).services[0]
    assert (units.code, units.modifiers, units.units) == ("97110", ("GP",), Decimal(2))

    paid = claims[1].to_claim(provider=PRACTICE)  # a paid claim converts too, with no codes
    assert paid.denial.codes == ()


def test_to_claim_notice_date_falls_back_to_the_production_date(appeals_835: Path) -> None:
    data = appeals_835.read_bytes().replace(b"*987654321*20260601~", b"*987654321~")
    claim = quiet_claims(data)[0].to_claim(provider=PRACTICE)
    assert claim.denial.notice_date == date(2026, 5, 30)  # DTM*405


def test_to_claim_takes_the_callers_payer_notice_date_and_facts(appeals_835: Path) -> None:
    payer = Payer(name="Sunrise Health Appeals", plan_type=PlanType.ERISA, fax="5185550199")
    claim = quiet_claims(appeals_835)[0].to_claim(
        provider=PRACTICE,
        payer=payer,
        notice_date=date(2026, 6, 3),
        facts={"authorization_number": "AUTH-1", "authorization_date": date(2026, 4, 1)},
    )
    assert claim.payer is payer and claim.denial.notice_date == date(2026, 6, 3)
    assert claim.facts["authorization_date"] == date(2026, 4, 1)
    letter = denialkit.appeal(claim.denial.codes, claim, letter_date=LETTER_DATE)
    assert "AUTH-1" in letter.text and "authorization number" not in letter.missing


def test_to_claim_names_every_missing_path_and_no_value(appeals_835: Path) -> None:
    claims = quiet_claims(appeals_835)
    with pytest.raises(ClaimDataError) as info:
        claims[5].to_claim(provider=PRACTICE)  # no service date, only an SSN
    assert [p for p, _ in info.value.problems] == ["patient.member_id", "services[0].date"]
    assert "segment 54" in str(info.value)
    with pytest.raises(ClaimDataError) as info2:
        claims[7].to_claim(provider=PRACTICE)  # no SVC
    assert [p for p, _ in info2.value.problems] == ["services"]
    for exc in (info.value, info2.value):
        assert SENTINEL not in str(exc) and SENTINEL not in repr(exc)
        assert "987654321" not in str(exc)  # the social security number


def test_to_claim_without_patient_payer_or_dates(appeals_835: Path) -> None:
    data = appeals_835.read_bytes()
    data = data.replace(b"NM1*QC*1*QXPHIALVAREZ*QXPHIMARIA****MI*QXPHI7KQ2XF3RW45~\n", b"")
    data = data.replace(b"*987654321*20260601~", b"*987654321~")
    data = data.replace(b"DTM*405*20260530~\n", b"")
    data = data.replace(b"N1*PR*SUNRISE HEALTH~\nN3*1 RIVER ROAD~\nN4*ALBANY*NY*12207~\n", b"")
    data = data.replace(b"SE*80*0001", b"SE*75*0001")
    with pytest.raises(ClaimDataError) as info:
        quiet_claims(data)[0].to_claim(provider=PRACTICE)
    assert [p for p, _ in info.value.problems] == [
        "patient.name",
        "patient.member_id",
        "denial.notice_date",
        "payer.name",
    ]
    assert SENTINEL not in str(info.value)
    # what the caller supplies fills the gaps the 835 leaves
    claim = quiet_claims(data)[2].to_claim(
        provider=PRACTICE, payer=Payer(name="Sunrise Health"), notice_date=date(2026, 6, 1)
    )
    assert claim.payer.name == "Sunrise Health" and claim.denial.notice_date == date(2026, 6, 1)


@pytest.mark.parametrize("junk", JUNK)
def test_to_claim_junk_arguments_raise_typed_errors(junk: object) -> None:
    payment = next(remit.claims(remit.sample()))
    with pytest.raises(TypeError):
        payment.to_claim(provider=junk)  # type: ignore[arg-type]
    if junk is not None:
        with pytest.raises(TypeError):
            payment.to_claim(provider=PRACTICE, payer=junk)  # type: ignore[arg-type]
        with pytest.raises(TypeError):
            payment.to_claim(provider=PRACTICE, notice_date=junk)  # type: ignore[arg-type]
    if not isinstance(junk, dict) and junk is not None:
        with pytest.raises(TypeError):
            payment.to_claim(provider=PRACTICE, facts=junk)  # type: ignore[arg-type]
    facts = {"consent_date": junk}
    if isinstance(junk, (str, int, list)):  # not a date: the claim's own check names the fact
        with pytest.raises(ClaimDataError, match=r"facts\.consent_date: expected a date"):
            payment.to_claim(provider=PRACTICE, facts=facts)  # type: ignore[arg-type]
        if len(junk) > 10_000 if isinstance(junk, str) else False:
            with pytest.raises(ClaimDataError, match=r"facts\.note: longer than 10000"):
                payment.to_claim(provider=PRACTICE, facts={"note": junk})
        else:  # any other fact takes it, as given (a list as a tuple)
            claim = payment.to_claim(provider=PRACTICE, facts={"note": junk})  # type: ignore[dict-item]
            assert claim.facts["note"] == (tuple(junk) if isinstance(junk, list) else junk)
    else:
        with pytest.raises((TypeError, ClaimDataError)) as info:
            payment.to_claim(provider=PRACTICE, facts=facts)  # type: ignore[arg-type]
        assert "bytes" in str(info.value) or "consent_date" in str(info.value)


def test_to_claim_bad_facts_and_dates() -> None:
    payment = next(remit.claims(remit.sample()))
    with pytest.raises(TypeError, match="datetime"):
        payment.to_claim(provider=PRACTICE, notice_date=datetime(2026, 5, 1, 9, 0))  # type: ignore[arg-type]
    with pytest.raises(ClaimDataError) as info:
        payment.to_claim(
            provider=PRACTICE,
            facts={
                "when": datetime(2026, 5, 1),
                "Not A Name QXPHI": "x",
                "blob": object(),  # type: ignore[dict-item]
                "names": [f"{SENTINEL} Manager", 3],  # type: ignore[list-item]
            },
        )
    assert [p for p, _ in info.value.problems] == [
        "facts.when",
        "facts",
        "facts.blob",
        "facts.names",
    ]
    assert SENTINEL not in str(info.value)
    with pytest.raises(TypeError):
        payment.to_claim(provider=PRACTICE, facts={1: "x"})  # type: ignore[dict-item]
    claim = payment.to_claim(provider=PRACTICE, facts={"care_team": ["A", "B"], "minutes": 20})
    assert claim.facts["care_team"] == ("A", "B") and claim.facts["minutes"] == 20


# ------------------------------------------------------------------------ batch.appeals


def test_appeals_decides_every_claim_that_needs_work(appeals_835: Path) -> None:
    results = batch(appeals_835)
    assert [a.position for a in results] == [1, 3, 4, 5, 6, 7, 8, 9, 10]  # 2 is paid
    # nothing dropped: every claim denials() lists is there
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", X12Warning)
        listed = {i.claim.patient_control_number for i in remit.denials(appeals_835)}
    assert {a.claim.patient_control_number for a in results} == listed
    by = {a.position: a for a in results}
    assert [p for p, a in by.items() if a.written] == [1, 3, 7, 9]
    assert all(a.reason is None for a in results if a.written)
    assert all(a.reason and a.letter is None for a in results if not a.written)

    assert by[1].letter is not None and by[1].letter.template == "builtin/carc-197.txt.j2"
    assert [s.code for s in by[1].letter.claim.services] == ["99214", "93000"]
    # claim 3: the letter answers CO-50 for its line; the index still shows every code
    three = by[3].letter
    assert three is not None and [c.key for c in three.codes] == ["CO-50", "N115"]
    assert [s.code for s in three.claim.services] == ["99484"]
    assert three.claim.denial.codes == ("CO-50", "N115")
    assert by[3].codes == ("CO-50", "N115", "CO-16", "N290") and by[3].amount == 200
    for a in results:
        if a.letter is not None:
            assert a.claim_number in a.letter.text and a.letter.letter_date == LETTER_DATE

    assert by[4].action is Action.CORRECT_RESUBMIT and "Correct and resubmit" in str(by[4].reason)
    assert by[5].action is None and "CO-999" in str(by[5].reason)
    assert "patient.member_id" in str(by[6].reason) and "services[0].date" in str(by[6].reason)
    assert by[6].action is Action.APPEAL
    # CO-29 is a write-off unless the practice holds proof of timely filing: no letter
    assert by[8].action is Action.WRITE_OFF and "not an appeal" in str(by[8].reason)
    assert by[10].action is Action.SUPPLY_INFORMATION
    for a in results:
        assert SENTINEL not in (a.reason or "") and SENTINEL not in repr(a)


def test_appeals_deadlines_and_slugs(appeals_835: Path) -> None:
    by = {a.position: a for a in batch(appeals_835)}
    # Medicare: 120 days from receipt, presumed 5 days after the payment date (2026-06-01)
    assert by[1].deadline is not None and by[1].deadline.due == date(2026, 10, 4)
    assert by[9].deadline is None  # commercial without the payer's window
    assert by[4].deadline is None
    assert by[7].slug == "0007-HC-2007-A" and by[1].slug == "0001-SUN26002001"
    window = Payer(name="Sunrise Health", plan_type=PlanType.COMMERCIAL, appeal_window_days=180)
    again = {a.position: a for a in batch(appeals_835, payer=window)}
    assert again[9].deadline is not None and again[9].deadline.due == date(2026, 11, 28)


def test_appeals_strict_holds_back_letters_that_lack_facts(appeals_835: Path) -> None:
    results = batch(appeals_835, strict=True)
    assert not any(a.written for a in results)
    held = [a for a in results if a.reason and a.reason.startswith("strict")]
    assert [a.position for a in held] == [1, 3, 7, 9]
    assert all(a.missing for a in held)
    with pytest.raises(X12ParseError):
        list(appeals(remit.sample().replace(b"CAS*CO*197*300", b"CAS*CO*197*310"),
                           provider=PRACTICE, strict=True))  # fmt: skip


def test_appeals_letter_date_before_the_notice(appeals_835: Path) -> None:
    results = batch(appeals_835, letter_date=date(2026, 5, 1))  # the notice is of 2026-06-01
    assert not any(a.written for a in results)
    for p in (1, 3, 7, 9):
        reason = next(a.reason for a in results if a.position == p)
        assert (
            reason == "the letter cannot be written: denial.notice_date: is after the letter date"
        )


def test_appeals_takes_claims_already_read_and_a_registry(appeals_835: Path) -> None:
    from denialkit.templates import default_registry

    claims = quiet_claims(appeals_835)
    results = batch(iter(claims), registry=default_registry())
    assert [a.position for a in results if a.written] == [1, 3, 7, 9]


@pytest.mark.parametrize("junk", JUNK)
def test_appeals_junk_arguments_raise_at_once(junk: object) -> None:
    with pytest.raises(TypeError):
        appeals(remit.sample(), provider=junk)  # type: ignore[arg-type]
    if junk is not None:
        with pytest.raises(TypeError):
            appeals(remit.sample(), provider=PRACTICE, payer=junk)  # type: ignore[arg-type]
        with pytest.raises(TypeError):
            appeals(remit.sample(), provider=PRACTICE, registry=junk)  # type: ignore[arg-type]
        with pytest.raises(TypeError):
            appeals(remit.sample(), provider=PRACTICE, letter_date=junk)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        appeals(remit.sample(), provider=PRACTICE, strict=junk)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("build", "match"),
    [
        (lambda: Payer(name="Sunrise", plan_type="gold"), r"payer\.plan_type: must be one of"),  # type: ignore[arg-type]
        (lambda: Payer(name="Sunrise", plan_type=None), r"payer\.plan_type"),  # type: ignore[arg-type]
        (lambda: Payer(name=5), r"payer\.name"),  # type: ignore[arg-type]
        (lambda: Payer(name="Sunrise", appeal_window_days=0), r"payer\.appeal_window_days"),
        (lambda: Payer(name="Sunrise", appeal_window_days="90"), r"payer\.appeal_window_days"),  # type: ignore[arg-type]
        (lambda: Payer(name="Sunrise", appeals_address=["PO Box 1"]), r"payer\.appeals_address"),  # type: ignore[arg-type]
        # changed after its checks ran: the batch still refuses it at the call
        (
            lambda: tampered(Payer(name="Sunrise"), plan_type="medicare"),
            r"payer\.plan_type: expected a PlanType",
        ),
    ],
)
def test_appeals_refuses_a_bad_payer_at_the_call(build: Callable[[], Payer], match: str) -> None:
    # before: a plan type given as the plain string "medicare" failed deep inside the
    # batch with AttributeError ('str' object has no attribute 'value'); now the Payer
    # constructor refuses what is wrong, and takes a plan type's value
    with pytest.raises(ClaimDataError, match=match):
        appeals(remit.sample(), provider=PRACTICE, payer=build())


def test_appeals_takes_a_payer_built_with_a_plan_type_value() -> None:
    payer = Payer(name="Sunrise", plan_type="medicare")  # type: ignore[arg-type]
    results = list(appeals(remit.sample(), provider=PRACTICE, payer=payer))
    letters = [r.letter for r in results if r.letter is not None]
    assert letters and all(letter.claim.payer is payer for letter in letters)


def test_the_old_names_in_remit_still_work_and_warn() -> None:
    import denialkit.batch

    with pytest.warns(DeprecationWarning, match=r"remit\.appeals moved to denialkit\.batch"):
        old = remit.appeals  # type: ignore[attr-defined]
    assert old is denialkit.batch.appeals
    with pytest.warns(DeprecationWarning, match="ClaimAppeal"):
        assert remit.ClaimAppeal is ClaimAppeal  # type: ignore[attr-defined]
    with pytest.warns(DeprecationWarning, match="appeals"):
        from denialkit.remit import appeals as imported  # type: ignore[attr-defined]
    assert imported is appeals
    results = list(old(remit.sample(), provider=PRACTICE, letter_date=date(2026, 5, 4)))
    assert [a.position for a in results if a.written] == [3]  # CO-29 (9) is a write-off
    with pytest.raises(AttributeError, match="no_such_name"):
        remit.no_such_name  # type: ignore[attr-defined]
    assert "appeals" not in remit.__all__ and "ClaimAppeal" not in remit.__all__


@pytest.mark.parametrize("junk", [*JUNK, [None], ["💥"], (b"ISA",)])
def test_appeals_junk_sources_raise_typed_errors(junk: object) -> None:
    if junk in ([], {}):  # an empty collection of claims: nothing to do
        assert list(appeals(junk, provider=PRACTICE)) == []  # type: ignore[arg-type]
        return
    with pytest.raises((TypeError, X12ParseError, OSError)):
        list(appeals(junk, provider=PRACTICE))  # type: ignore[arg-type]


# ------------------------------------------------------------------------ the command


def test_batch_writes_a_letter_per_claim_to_appeal(
    data: Path, tmp_path: Path, provider_file: Path
) -> None:
    out = tmp_path / "letters"
    code, stdout, err = run(
        "remit", str(data / "basic.835"), "--appeals", str(out),
        "--provider", str(provider_file), "--date", "2026-05-04",
    )  # fmt: skip
    assert code == 0 and stdout == ""
    assert "wrote 1 letter (text)" in err and "3 claims that need work got no letter" in err
    files = letter_files(out)
    # independently: the denied claims whose action is an appeal, less those the 835 cannot
    # describe (PCN1002 has no service line)
    to_appeal = appeal_action_claims(data / "basic.835")
    # (PCN1009's CO-29 is a write-off without proof of timely filing, so no letter)
    assert sorted(to_appeal) == ["PCN1002", "PCN1003"]
    expected = [c for c in to_appeal.values() if describable(c)]
    assert len(files) == len(expected) == 1
    assert [f.name for f in files] == ["0003-ACME26001003.txt"]
    for f, claim in zip(files, expected, strict=True):
        text = f.read_text("utf-8")
        assert claim.payer_claim_number is not None and claim.payer_claim_number in text
        assert "Robin Okafor" in text and "May 4, 2026" in text
    names = {c.patient.name.split()[-1] for c in remit.claims(data / "basic.835") if c.patient}
    assert not any(n.lower() in f.name.lower() for f in files for n in names)

    rows = index_rows(out)
    assert [r["patient_control_number"] for r in rows] == [
        "PCN1002",
        "PCN1003",
        "PCN1004",
        "PCN1009",
    ]
    assert list(rows[0]) == [
        "position", "claim_number", "patient_control_number", "outcome", "file", "reason",
        "codes", "amount", "action", "deadline", "missing_facts", "errors", "warnings",
    ]  # fmt: skip
    assert [r["outcome"] for r in rows] == ["skipped", "written", "skipped", "skipped"]
    assert [r["file"] for r in rows] == ["", files[0].name, "", ""]
    assert [r["codes"] for r in rows] == ["CO-197 N54", "CO-50 N115", "CO-16 N290", "CO-29"]
    assert [r["amount"] for r in rows] == ["300", "60", "120", "200"]
    assert [r["action"] for r in rows] == ["appeal", "appeal", "correct-resubmit", "write-off"]
    assert "no service line" in rows[0]["reason"] and "Correct and resubmit" in rows[2]["reason"]
    assert [r["deadline"] for r in rows] == ["", "", "", ""]  # commercial, no window given
    assert int(rows[1]["missing_facts"]) >= 1 and int(rows[1]["errors"]) >= 1  # clinical summary
    assert rows[0]["missing_facts"] == rows[0]["errors"] == "0"
    assert not (out / "index.csv.partial").exists()


def test_index_lists_each_letters_warnings(
    appeals_835: Path, tmp_path: Path, provider_file: Path
) -> None:
    payer = tmp_path / "payer.json"
    payer.write_text(
        json.dumps({"name": "Sunrise Health", "plan_type": "medicare", "fax": "555-0100"}),
        "utf-8",
    )
    out = tmp_path / "out"
    code, _, _ = run(
        "remit", str(appeals_835), "--appeals", str(out), "--provider", str(provider_file),
        "--payer", str(payer), "--date", "2026-10-10",
    )  # fmt: skip
    assert code == 0
    rows = index_rows(out)
    written = [r for r in rows if r["outcome"] == "written"]
    assert written and all("late" in r["warnings"].split() for r in written)
    assert all(r["warnings"] == "" for r in rows if r["outcome"] == "skipped")


def test_batch_on_the_sentinel_fixture(
    appeals_835: Path, tmp_path: Path, provider_file: Path
) -> None:
    payer = tmp_path / "payer.json"
    payer.write_text(
        json.dumps(
            {
                "name": "Sunrise Health",
                "plan_type": "medicare",
                "appeals_address": "PO Box 12\nAlbany, NY 12201",
            }
        ),
        "utf-8",
    )
    out = tmp_path / "out"
    code, _, err = run(
        "remit", str(appeals_835), "--appeals", str(out), "--provider", str(provider_file),
        "--payer", str(payer), "--date", "2026-06-10",
    )  # fmt: skip
    assert code == 0
    assert "denialkit: warning: segment 53" in err and "CO-999" in err  # the unknown code
    assert SENTINEL not in err
    files = letter_files(out)
    assert [f.name for f in files] == [
        "0001-SUN26002001.txt",
        "0003-SUN26002003.txt",
        "0007-HC-2007-A.txt",
        "0009-SUN26002009.txt",
    ]
    assert not any(SENTINEL in f.name for f in out.iterdir())
    rows = index_rows(out)
    assert [r["position"] for r in rows] == ["1", "3", "4", "5", "6", "7", "8", "9", "10"]
    assert all(r["deadline"] == "2026-10-04" for r in rows)  # the given payer: Medicare
    for f in files:
        text = f.read_text("utf-8")
        assert "PO Box 12" in text and SENTINEL in text  # the patient is in the letter itself
    assert "HC/2007 ../A" in (out / "0007-HC-2007-A.txt").read_text("utf-8")


@pytest.mark.parametrize(("fmt", "ext"), [("md", "md"), ("html", "html"), ("pdf", "pdf")])
def test_batch_formats(fmt: str, ext: str, data: Path, tmp_path: Path, provider_file: Path) -> None:
    out = tmp_path / fmt
    code, _, err = run(
        "remit", str(data / "basic.835"), "--appeals", str(out), "--provider", str(provider_file),
        "--format", fmt, "--date", "2026-05-04",
    )  # fmt: skip
    assert code == 0 and f"({fmt})" in err
    files = letter_files(out)
    assert [f.suffix for f in files] == [f".{ext}"]
    assert [r["file"] for r in index_rows(out) if r["file"]] == [f.name for f in files]
    first = files[0]
    if fmt == "pdf":
        assert first.read_bytes()[:5] == b"%PDF-"
        text = "".join(page.extract_text() for page in PdfReader(str(first)).pages)
        assert "ACME26001003" in text and "EDGAR POE" in text
    elif fmt == "html":
        assert "<!DOCTYPE html>" in first.read_text("utf-8")
    else:
        assert "**Re: Request for reconsideration**" in first.read_text("utf-8")


def test_batch_strict_writes_no_letter_with_missing_facts(
    data: Path, tmp_path: Path, provider_file: Path
) -> None:
    out = tmp_path / "strict"
    code, _, err = run(
        "remit", str(data / "basic.835"), "--appeals", str(out), "--provider", str(provider_file),
        "--strict", "--date", "2026-05-04",
    )  # fmt: skip
    assert code == 1 and "--strict: 1 letter held back for missing facts" in err
    assert letter_files(out) == []
    rows = index_rows(out)
    assert [r["outcome"] for r in rows] == ["skipped"] * 4
    assert rows[1]["reason"].startswith("strict") and int(rows[1]["missing_facts"]) >= 1


def test_batch_progress_bar_only_on_a_terminal(
    data: Path, tmp_path: Path, provider_file: Path
) -> None:
    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    args = [
        "remit",
        str(data / "basic.835"),
        "--provider",
        str(provider_file),
        "--date",
        "2026-05-04",
    ]
    tty = Terminal()
    code, _, err = run(*args, "--appeals", str(tmp_path / "a"), stderr=tty)
    assert code == 0
    assert "\r[" in err and "100%" in err and "letters written: 1" in err
    assert err.rstrip().endswith("in the text and counted in index.csv")  # bar cleared first
    code, _, err = run(*args, "--appeals", str(tmp_path / "b"))
    assert code == 0 and "\r" not in err and "%" not in err


def test_remit_without_appeals_is_unchanged(data: Path, provider_file: Path) -> None:
    code, out, err = run("remit", str(data / "basic.835"))
    assert code == 0 and len(out.splitlines()) == 19 and "18 adjustments" in err
    for argv in (
        ["--format", "text"],
        ["--format", "pdf"],
        ["--provider", str(provider_file)],
        ["--date", "2026-05-04"],
    ):
        code, out, err = run("remit", str(data / "basic.835"), *argv)
        assert code == 2 and out == "" and "denialkit:" in err


def test_batch_usage_errors(data: Path, tmp_path: Path, provider_file: Path) -> None:
    src = str(data / "basic.835")
    out = str(tmp_path / "out")
    code, _, err = run("remit", src, "--appeals", out)
    assert code == 2 and "--appeals needs --provider FILE" in err
    code, _, err = run(
        "remit", src, "--appeals", out, "--provider", str(provider_file), "--format", "csv"
    )
    assert code == 2 and "with --appeals, --format is one of text, md, html, pdf" in err
    code, _, err = run(
        "remit", src, "--appeals", out, "--provider", str(provider_file), "--summary"
    )
    assert code == 2 and "--summary" in err
    code, _, err = run(
        "remit", src, "--appeals", out, "--provider", str(provider_file),
        "--templates-dir", str(tmp_path / "none"),
    )  # fmt: skip
    assert code == 2 and "--templates-dir" in err
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize(
    "content",
    [
        b"not json",
        b"",
        "💥".encode(),
        "\u202e".encode(),
        b"\xff\xfe",
        b"[1, 2]",
        b'"' + b"x" * 1_000_000 + b'"',
        b"{" * 100_000,
        json.dumps({"name": 5, "npi": ["x"], "extra": f"{SENTINEL} value"}).encode(),
        json.dumps({"name": f"{SENTINEL} Clinic", f"{SENTINEL}key": 1}).encode(),
        json.dumps({"npi": "1234567893"}).encode(),
    ],
)
def test_batch_bad_provider_file(
    content: bytes, data: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "provider.json"
    path.write_bytes(content)
    code, out, err = run(
        "remit",
        str(data / "basic.835"),
        "--appeals",
        str(tmp_path / "out"),
        "--provider",
        str(path),
    )
    assert code == 1 and out == ""
    assert err.startswith("denialkit: error: claim data has") and "provider" in err
    assert SENTINEL not in err and "Traceback" not in err
    assert not (tmp_path / "out").exists()
    assert capsys.readouterr().err == ""


def test_batch_bad_payer_file(data: Path, tmp_path: Path, provider_file: Path) -> None:
    path = tmp_path / "payer.json"
    path.write_text(json.dumps({"name": "Sunrise", "plan_type": "gold", "appeal_window_days": 0}))
    code, _, err = run(
        "remit", str(data / "basic.835"), "--appeals", str(tmp_path / "out"),
        "--provider", str(provider_file), "--payer", str(path),
    )  # fmt: skip
    assert code == 1 and "payer.plan_type" in err and "payer.appeal_window_days" in err


def test_batch_files_that_cannot_be_read_or_written(
    data: Path, tmp_path: Path, provider_file: Path
) -> None:
    src = str(data / "basic.835")
    prov = ["--provider", str(provider_file)]
    # the provider file is missing
    code, _, err = run(
        "remit", src, "--appeals", str(tmp_path / "o1"), "--provider", str(tmp_path / "none.json")
    )
    assert code == 2 and "cannot read the provider file" in err
    # the remittance is missing: nothing is created
    code, _, err = run(
        "remit", str(tmp_path / "none.835"), "--appeals", str(tmp_path / "o2"), *prov
    )
    assert code == 2 and "FILE: cannot read the file" in err and not (tmp_path / "o2").exists()
    # DIR is a file, or lies under a file
    blocker = tmp_path / "file.txt"
    blocker.write_text("x")
    for target in (blocker, blocker / "sub"):
        code, _, err = run("remit", src, "--appeals", str(target), *prov)
        assert code == 2 and "appeals directory" in err
    # a letter's name is taken (by a directory): exit 2 naming it; with --force it still
    # cannot be written: exit 1, the index kept partial
    out = tmp_path / "o3"
    (out / "0003-ACME26001003.txt").mkdir(parents=True)
    code, _, err = run("remit", src, "--appeals", str(out), *prov, "--date", "2026-05-04")
    assert code == 2 and "0003-ACME26001003.txt exists in the appeals directory" in err
    assert "--force" in err and not (out / "index.csv").exists()
    argv = ["remit", src, "--appeals", str(out), *prov, "--date", "2026-05-04", "--force"]
    code, _, err = run(*argv)
    assert code == 1 and "cannot write to the appeals directory" in err
    assert "index.csv.partial" in err and not (out / "index.csv").exists()


def test_batch_malformed_and_truncated_remittances(tmp_path: Path, provider_file: Path) -> None:
    prov = ["--provider", str(provider_file), "--date", "2026-05-04"]
    bad = tmp_path / "bad.835"
    bad.write_bytes(b"not an 835")
    out = tmp_path / "o1"
    code, _, err = run("remit", str(bad), "--appeals", str(out), *prov)
    assert code == 1 and "not an X12 file" in err and list(out.iterdir()) == []
    cut = tmp_path / "cut.835"
    # a whole remittance, then one that ends inside claim PCN1009, after PCN1003: the work
    # of a transaction set is released at its SE (a reversal later in the set may take a
    # claim back), so the letters of the first are written and none of the cut one
    cut.write_bytes(remit.sample() + remit.sample()[:2000])
    out = tmp_path / "o2"
    whole = tmp_path / "whole.835"
    whole.write_bytes(remit.sample())
    assert run("remit", str(whole), "--appeals", str(out), *prov)[0] == 0
    assert (out / "index.csv").exists()
    code, _, err = run("remit", str(cut), "--appeals", str(out), *prov, "--force")
    assert code == 1 and "truncated" in err and "stopped after 1 letter" in err
    assert not (out / "index.csv").exists()  # the earlier run's index is gone too
    partial = (out / "index.csv.partial").read_text("utf-8")
    assert partial.count("PCN1003") == 1 and partial.count("PCN1009") == 1


def test_no_sentinel_in_any_error_or_stderr(
    appeals_835: Path, tmp_path: Path, provider_file: Path
) -> None:
    seen: list[str] = []
    for claim in quiet_claims(appeals_835):
        try:
            claim.to_claim(provider=PRACTICE)
        except ClaimDataError as exc:
            seen += [str(exc), repr(exc)]
    for a in batch(appeals_835):
        seen += [repr(a), a.reason or ""]
        if a.letter is not None:
            seen += [repr(a.letter), *(f.message for f in a.letter.report)]
    for argv in (
        [],
        ["--strict"],
        ["--format", "pdf"],
    ):
        out = tmp_path / f"o{len(seen)}"
        _, stdout, err = run(
            "remit", str(appeals_835), "--appeals", str(out), "--provider", str(provider_file),
            "--date", "2026-06-10", *argv,
        )  # fmt: skip
        seen += [stdout, err]
        seen += [p.name for p in out.iterdir()]
    assert seen and not [s for s in seen if SENTINEL in s]


# ------------------------------------------------------------------------ real files


def _real_files(shared_x12: Path) -> Iterator[Path]:
    expected = json.loads((shared_x12 / "expected.json").read_text("utf-8"))
    for name, what in sorted(expected.items()):
        if isinstance(what, int) and what > 0:
            yield shared_x12 / name


def test_to_claim_on_real_files(shared_x12: Path) -> None:
    converted = 0
    refused: list[ClaimDataError] = []
    for path in _real_files(shared_x12):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", X12Warning)
            for payment in remit.claims(path):
                try:
                    claim = payment.to_claim(provider=PRACTICE)
                except ClaimDataError as exc:
                    refused.append(exc)
                    continue
                converted += 1
                number = payment.payer_claim_number or payment.patient_control_number
                assert claim.claim_number == number
                items = list(remit.denials([payment]))
                if items and all(i.line is not None for i in items):
                    assert len(claim.services) == len(items)  # the lines that need work
                else:
                    assert len(claim.services) == len(payment.lines)
                assert claim.patient.name == payment.patient.name  # type: ignore[union-attr]
                header = payment.header
                assert claim.denial.notice_date == (header.payment_date or header.production_date)
    assert converted > 50 and refused
    paths = {p for exc in refused for p, _ in exc.problems}
    assert paths <= {"services", "services[0].code", "services[0].date", "patient.member_id"}


def test_to_claim_on_a_real_managed_care_file(shared_x12: Path) -> None:
    path = shared_x12 / "lfh__managed-care.835"
    if not path.exists():
        pytest.skip("lfh__managed-care.835 is not present")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", X12Warning)  # its BPR16 is not a date
        claims = list(remit.claims(path))
    made = [c.to_claim(provider=PRACTICE) for c in claims]
    assert len(made) == len(claims) and all(m.services for m in made)
    for payment, claim in zip(claims, made, strict=True):
        assert [s.charge for s in claim.services] == [line.charge for line in payment.lines]


def test_batch_on_real_files(shared_x12: Path, tmp_path: Path, provider_file: Path) -> None:
    # every claim that needs work gets a row; the real files' appealable denials are CO-29
    # (a write-off without proof of timely filing) or lack what a letter needs, so few letters
    total_rows = 0
    for i, path in enumerate(_real_files(shared_x12)):
        out = tmp_path / f"o{i}"
        code, _, err = run(
            "remit", str(path), "--appeals", str(out), "--provider", str(provider_file),
            "--date", "2030-01-02",
        )  # fmt: skip
        assert code == 0, (path.name, err)
        rows = index_rows(out)
        files = letter_files(out)
        assert len(files) == sum(r["outcome"] == "written" for r in rows)
        assert all(r["reason"] for r in rows if r["outcome"] == "skipped")
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", X12Warning)
            needing = {i.claim.segment for i in remit.denials(path)}
        assert len(rows) == len(needing)
        total_rows += len(rows)
    assert total_rows > 0


# ------------------------------------------------------------------------ the folder is safe


def _batch_argv(data: Path, out: Path, provider_file: Path, *more: str) -> list[str]:
    return [
        "remit", str(data / "basic.835"), "--appeals", str(out),
        "--provider", str(provider_file), "--date", "2026-05-04", *more,
    ]  # fmt: skip


@pytest.mark.parametrize("force", [False, True])
def test_a_link_planted_as_the_partial_index_is_not_followed(
    data: Path, tmp_path: Path, provider_file: Path, force: bool
) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_text("precious\n")
    out = tmp_path / "out"
    out.mkdir()
    (out / "index.csv.partial").symlink_to(victim)
    code, _, err = run(*_batch_argv(data, out, provider_file, *(["--force"] if force else [])))
    assert code == 0, err
    assert victim.read_text() == "precious\n"  # before: overwritten with the index
    index = out / "index.csv"
    assert index.is_file() and not index.is_symlink()
    assert not (out / "index.csv.partial").exists() and not victim.is_symlink()
    assert [r["patient_control_number"] for r in index_rows(out)][:2] == ["PCN1002", "PCN1003"]


@pytest.mark.parametrize("force", [False, True])
def test_a_link_planted_at_a_letter_s_name_is_refused(
    data: Path, tmp_path: Path, provider_file: Path, force: bool
) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_text("precious\n")
    out = tmp_path / "out"
    out.mkdir()
    (out / "0003-ACME26001003.txt").symlink_to(victim)
    code, _, err = run(*_batch_argv(data, out, provider_file, *(["--force"] if force else [])))
    assert code == 2  # before: 0, and the victim held the letter
    assert victim.read_text() == "precious\n"
    assert "0003-ACME26001003.txt" in err and "Traceback" not in err
    assert "is a symbolic link; refusing to write through it" in err
    assert not (out / "index.csv").exists()  # the run stopped: the index stays partial
    assert "PCN1002" in (out / "index.csv.partial").read_text("utf-8")


def test_a_dangling_link_at_a_letter_s_name_is_refused(
    data: Path, tmp_path: Path, provider_file: Path
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    target = tmp_path / "made-by-the-link.txt"
    (out / "0003-ACME26001003.txt").symlink_to(target)
    code, _, err = run(*_batch_argv(data, out, provider_file, "--force"))
    assert code == 2 and "symbolic link" in err and not target.exists()


def test_existing_letters_are_kept_unless_force(
    data: Path, tmp_path: Path, provider_file: Path
) -> None:
    out = tmp_path / "out"
    assert run(*_batch_argv(data, out, provider_file))[0] == 0
    letter = out / "0003-ACME26001003.txt"
    letter.write_text("my edits\n")
    # the earlier run's index.csv is there: nothing is written, exit 2 naming it
    code, _, err = run(*_batch_argv(data, out, provider_file))
    assert code == 2 and "index.csv exists" in err and "--force" in err
    assert letter.read_text() == "my edits\n" and (out / "index.csv").exists()
    assert not (out / "index.csv.partial").exists()
    # without the index, the letter itself stops the run
    (out / "index.csv").unlink()
    code, _, err = run(*_batch_argv(data, out, provider_file))
    assert code == 2 and "0003-ACME26001003.txt exists in the appeals directory" in err
    assert letter.read_text() == "my edits\n"
    # --force replaces them
    code, _, err = run(*_batch_argv(data, out, provider_file, "--force"))
    assert code == 0, err
    assert "ACME26001003" in letter.read_text() and (out / "index.csv").exists()


def test_a_link_named_index_csv_is_replaced_not_followed(
    data: Path, tmp_path: Path, provider_file: Path
) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_text("precious\n")
    out = tmp_path / "out"
    out.mkdir()
    (out / "index.csv").symlink_to(victim)
    code, _, err = run(*_batch_argv(data, out, provider_file))
    assert code == 2 and "index.csv exists" in err
    code, _, err = run(*_batch_argv(data, out, provider_file, "--force"))
    assert code == 0, err
    assert victim.read_text() == "precious\n"
    assert (out / "index.csv").is_file() and not (out / "index.csv").is_symlink()


def test_force_applies_to_appeals_only(data: Path) -> None:
    code, out, err = run("remit", str(data / "basic.835"), "--force")
    assert code == 2 and out == "" and "--force applies to --appeals DIR only" in err


# ------------------------------------------------------------------------ 835 values in letters


INJECTION = b"\n\nDear reviewer: please pay $1,000,000"


def test_line_breaks_from_the_835_never_form_a_paragraph(
    data: Path, tmp_path: Path, provider_file: Path
) -> None:
    # the payer's name (N1*PR), the patient's name (NM1*QC) and the claim number (CLP07)
    raw = (data / "basic.835").read_bytes()
    raw = raw.replace(b"N1*PR*ACME HEALTH PLAN~", b"N1*PR*ACME HEALTH PLAN" + INJECTION + b"~")
    raw = raw.replace(b"NM1*QC*1*POE*EDGAR*", b"NM1*QC*1*POE\r\n\r\nPay now*EDGAR\x1b[2J*")
    raw = raw.replace(b"*ACME26001003*", b"*ACME26001003\n\nURGENT*")
    path = tmp_path / "hostile.835"
    path.write_bytes(raw)
    out = tmp_path / "out"
    code, _, err = run(
        "remit", str(path), "--appeals", str(out), "--provider", str(provider_file),
        "--date", "2026-05-04",
    )  # fmt: skip
    assert code == 0, err
    # X12 data holds no line break: one inside a segment is layout (a file wrapped at a fixed
    # width) and goes, so the values run on; an escape sequence's ESC goes too
    text = (out / "0003-ACME26001003URGENT.txt").read_text("utf-8")
    lines = text.splitlines()
    assert not any(line.startswith(("Dear reviewer", "Pay now", "URGENT")) for line in lines)
    assert "ACME HEALTH PLANDear reviewer: please pay $1,000,000" in lines  # one line
    assert "Patient: EDGAR [2J POEPay now" in lines and "Claim number: ACME26001003URGENT" in lines
    assert "\x1b" not in text and "\r" not in text
    # and in Python: every value read from the 835 reaches the claim on one line
    claim = list(remit.claims(raw))[2].to_claim(provider=PRACTICE)
    assert claim.payer.name == "ACME HEALTH PLANDear reviewer: please pay $1,000,000"
    assert claim.patient.name == "EDGAR [2J POEPay now"  # the ESC is gone
    assert claim.claim_number == "ACME26001003URGENT"
    letter = next(a for a in appeals(raw, provider=PRACTICE, letter_date=LETTER_DATE) if a.written)
    assert letter.claim_number == "ACME26001003URGENT"


def _in_835(payload: str) -> bool:
    return "*" not in payload and "~" not in payload and ":" not in payload


@pytest.mark.parametrize("payload", [p for p in payloads.PAYLOADS if _in_835(p)])
def test_every_hostile_835_value_reaches_the_claim_on_one_line(payload: str) -> None:
    value = payload.encode("utf-8")
    raw = remit.sample().replace(b"N1*PR*ACME HEALTH PLAN~", b"N1*PR*ACME " + value + b"~")
    raw = raw.replace(b"NM1*QC*1*POE*EDGAR*", b"NM1*QC*1*POE" + value + b"*EDGAR*")
    raw = raw.replace(b"*ACME26001003*", b"*ACME26001003" + value + b"*")
    payment = next(c for c in remit.claims(raw) if c.patient_control_number == "PCN1003")
    claim = payment.to_claim(provider=PRACTICE)  # the checked claim takes every value
    for text in (claim.payer.name, claim.patient.name, claim.claim_number):
        assert text == text.strip() and "  " not in text
        assert not any(ch in text for ch in "\r\n\x0b\x0c\x1b\x00\x07\x85\u2028\u2029")
    # what follows a line break in the value never starts a line of the letter
    after = [
        part.strip()
        for part in re.split(r"[\r\n\x0b\x0c\x1c-\x1e\x85\u2028\u2029]+", payload)[1:]
        if part.strip()
    ]
    written = next(a for a in appeals(raw, provider=PRACTICE, letter_date=LETTER_DATE) if a.written)
    assert written.letter is not None
    clean = next(
        a for a in appeals(remit.sample(), provider=PRACTICE, letter_date=LETTER_DATE) if a.written
    )
    assert clean.letter is not None
    usual = {line.strip() for line in clean.letter.text.splitlines()}
    lines = {line.strip() for line in written.letter.text.splitlines()} - usual
    assert not [line for line in lines for part in after if line.startswith(part)]


@pytest.mark.parametrize("written", [b"mb", b"MB ", b" mb"])
def test_a_filing_indicator_in_lower_case_or_padded_is_the_code_it_spells(
    appeals_835: Path, tmp_path: Path, written: bytes
) -> None:
    """A whole-lower-case file, or a padded element, still says Medicare (CLP06 MB): the
    claim's plan type and the appeal deadline follow it."""
    data = appeals_835.read_bytes().replace(
        b"*0*MB*SUN26002001*", b"*0*" + written + b"*SUN26002001*"
    )
    assert data != appeals_835.read_bytes()
    path = tmp_path / "case.835"
    path.write_bytes(data)
    claim = quiet_claims(path)[0]
    assert claim.filing_indicator == written.decode()  # kept as written
    assert claim.to_claim(provider=PRACTICE).payer.plan_type is PlanType.MEDICARE
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        item = next(remit.denials(path))
    # Medicare's first level: 120 days after the notice's presumed receipt
    assert item.deadline() == item.deadline("medicare") is not None
