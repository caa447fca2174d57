"""The validator checks a letter against a record (rules DK801-DK804, ``record=``)."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

import denialkit
from denialkit import record
from denialkit.letters import example_claim

LETTER_DATE = date(2026, 11, 2)


@pytest.fixture(scope="module")
def rec(data_dir: Path) -> record.Record:
    return record.read(data_dir / "cocm-bundle.json")


def _ids(report: denialkit.Report) -> list[str]:
    return [f.rule_id for f in report]


def test_a_letter_built_from_the_record_has_nothing_to_correct(rec: record.Record) -> None:
    bare = example_claim("CCM21").evolve(facts={}, evidence=())
    letter = denialkit.appeal("CCM21", record.fill(bare, rec).claim, letter_date=LETTER_DATE)
    assert _ids(denialkit.check(letter, record=rec)) == []
    found = record.facts(rec, month="2026-09")
    assert _ids(denialkit.check(letter, record=found)) == []  # RecordFacts work too


def test_75_minutes_against_a_record_of_45(data_dir: Path) -> None:
    import json

    bundle = json.loads((data_dir / "cocm-bundle.json").read_text("utf-8"))
    bundle["entry"] = [e for e in bundle["entry"] if e["resource"].get("id") != "cocm-time-1"]
    short = record.read(json.dumps(bundle).encode())
    assert record.facts(short, month="2026-09").facts["care_manager_minutes"].value == 45
    letter = denialkit.appeal("CCM21", example_claim("CCM21"), letter_date=LETTER_DATE)
    assert "75 minutes of care management" in letter.text
    report = denialkit.check(letter, record=short)
    (f,) = report.by_rule()["DK801"]
    assert f.severity.value == "error" and not report.ok
    assert "75" not in f.message and "45" not in f.message
    assert f.location.line is not None
    with pytest.raises(denialkit.LetterValidationError, match="DK801"):
        denialkit.validate(letter, record=short)


def test_scores_and_dates_against_the_record(rec: record.Record) -> None:
    claim = example_claim("CCM21")
    claim = claim.evolve(
        facts=dict(
            claim.facts,
            consent_date=date(2026, 9, 1),
            care_plan_date=date(2026, 9, 6),
            rating_scale_scores="18 on September 3, 2026 and 11 on September 28, 2026",
        )
    )
    letter = denialkit.appeal("CCM21", claim, letter_date=LETTER_DATE)
    report = denialkit.check(letter, record=rec)
    by_rule = report.by_rule()
    assert len(by_rule["DK803"]) == 2 and len(by_rule["DK802"]) == 1
    assert "Consent/cocm-consent" in by_rule["DK803"][0].message
    assert "CarePlan/cocm-plan" in by_rule["DK803"][1].message


def test_an_empty_record_only_warns(rec: record.Record) -> None:
    empty = record.read(b'{"resourceType": "Bundle", "type": "collection", "entry": []}')
    letter = denialkit.appeal("CCM21", example_claim("CCM21"), letter_date=LETTER_DATE)
    report = denialkit.check(letter, record=empty)
    assert [f.rule_id for f in report] == ["DK804", "DK804"]
    assert report.ok


def test_without_a_record_the_rules_are_silent() -> None:
    letter = denialkit.appeal("CCM21", example_claim("CCM21"), letter_date=LETTER_DATE)
    assert not [f for f in denialkit.check(letter) if f.rule_id.startswith("DK8")]


@pytest.mark.parametrize("bad", ["bundle.json", b"{}", 5, {"resourceType": "Bundle"}])
def test_record_must_be_a_record(bad: object) -> None:
    with pytest.raises(TypeError, match=r"record must be a denialkit\.record\.Record"):
        denialkit.check("Dear reviewer", record=bad)  # type: ignore[arg-type]
    assert denialkit.is_valid("Dear reviewer", record=bad) is False


def test_validate_takes_the_patient_of_a_record_about_several(tmp_path: Path) -> None:
    import io

    from denialkit.cli import main

    loinc = {"coding": [{"system": "http://loinc.org", "code": "44261-6"}]}
    lines = [
        {"resourceType": "Patient", "id": "pa"},
        {"resourceType": "Patient", "id": "pb"},
        {
            "resourceType": "Observation",
            "id": "o1",
            "status": "final",
            "subject": {"reference": "Patient/pa"},
            "code": loinc,
            "effectiveDateTime": "2026-09-03",
            "valueInteger": 14,
        },
    ]
    export = tmp_path / "two.ndjson"
    export.write_text("\n".join(json.dumps(x) for x in lines) + "\n", "utf-8")
    letter = tmp_path / "letter.txt"
    letter.write_text("Dear reviewer, we appeal the CCM21 denial.\n", "utf-8")
    err = io.StringIO()
    code = main(
        ["validate", str(letter), "--record", str(export)], stdout=io.StringIO(), stderr=err
    )
    assert code == 1 and "about 2 patients" in err.getvalue()
    err = io.StringIO()
    main(
        ["validate", str(letter), "--record", str(export), "--patient", "pa"],
        stdout=io.StringIO(),
        stderr=err,
    )
    assert "about 2 patients" not in err.getvalue()


def test_a_letter_from_a_record_dated_by_issued_passes_its_own_check(data_dir: Path) -> None:
    # the record's last PHQ-9 has no effective date, only the day it was reported: the
    # letter says so, and neither the record nor the text alone finds anything to correct
    bundle = json.loads((data_dir / "cocm-bundle.json").read_text("utf-8"))
    for entry in bundle["entry"]:
        if entry["resource"].get("id") == "phq9-2026-09-28":
            entry["resource"].pop("effectiveDateTime")
            entry["resource"]["issued"] = "2026-09-28T16:20:00-05:00"
    rec = record.read(json.dumps(bundle).encode())
    bare = example_claim("CCM21").evolve(facts={}, evidence=())
    letter = denialkit.appeal("CCM21", record.fill(bare, rec).claim, letter_date=LETTER_DATE)
    assert "12 on September 28, 2026 (date reported)" in letter.text
    assert any(e.endswith(": PHQ-9 score report of September 28, 2026") for e in letter.enclosures)
    assert _ids(denialkit.check(letter, record=rec)) == []
    alone = denialkit.Validator(today=LETTER_DATE).check(letter.text)
    assert not alone.errors, [f.rule_id for f in alone.errors]


def test_a_letter_from_a_record_whose_scores_are_item_sums_passes_its_own_check(
    data_dir: Path,
) -> None:
    # the last PHQ-9 is a response that answers the nine items (LOINC answers) and writes no
    # total, and the patient also has a Medigap plan: the letter's scores and member id are
    # the record's, and neither the record nor the text alone finds anything to correct
    bundle = json.loads((data_dir / "cocm-bundle.json").read_text("utf-8"))
    bundle["entry"] = [e for e in bundle["entry"] if e["resource"].get("id") != "phq9-2026-09-28"]
    answers = ("LA6570-1", "LA6570-1", "LA6570-1", "LA6570-1", "LA6569-3", "LA6569-3")
    answers += ("LA6570-1", "LA6568-5", "LA6568-5")
    codes = ("44250-9", "44255-8", "44259-0", "44254-1", "44251-7", "44258-2", "44252-5")
    codes += ("44253-3", "44260-8")
    response = {
        "resourceType": "QuestionnaireResponse",
        "id": "phq9-items",
        "status": "completed",
        "authored": "2026-09-28T10:00:00-05:00",
        "item": [
            {
                "linkId": f"/{code}",
                "answer": [{"valueCoding": {"system": "http://loinc.org", "code": answer}}],
            }
            for code, answer in zip(codes, answers, strict=True)
        ],
    }
    medigap = {
        "resourceType": "Coverage",
        "id": "medigap",
        "status": "active",
        "subscriberId": "GAP-0042-17",
        "payor": [{"display": "AARP Medicare Supplement"}],
    }
    bundle["entry"] += [{"resource": response}, {"resource": medigap}]
    rec = record.read(json.dumps(bundle).encode())
    assert "member_id" in record.facts(rec, month="2026-09").missing
    bare = example_claim("CCM21").evolve(facts={}, evidence=())
    filled = record.fill(bare, rec)
    assert filled.conflicts == ()
    letter = denialkit.appeal("CCM21", filled.claim, letter_date=LETTER_DATE)
    assert "18 on September 3, 2026 and 12 on September 28, 2026" in letter.text
    assert any("QuestionnaireResponse/phq9-items" in e for e in letter.enclosures)
    assert _ids(denialkit.check(letter, record=rec)) == []
    alone = denialkit.Validator(today=LETTER_DATE).check(letter.text)
    assert not alone.errors, [f.rule_id for f in alone.errors]
