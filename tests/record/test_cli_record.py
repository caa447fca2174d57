"""``denialkit record facts``: each fact with its source, the JSON shape, and errors."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import pytest

from denialkit.cli import main
from denialkit.letters import example_claim

re_resource = re.compile(
    r"\b(Consent|CarePlan|Observation|QuestionnaireResponse|Procedure|"
    r"Encounter|CareTeam|PractitionerRole)/[A-Za-z0-9.-]+"
)


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


def test_text_output(data_dir: Path) -> None:
    code, out, err = run(
        "record",
        "facts",
        str(data_dir / "cocm-bundle.json"),
        "--code",
        "CCM21",
        "--month",
        "2026-09",
    )
    assert code == 0
    lines = out.splitlines()
    assert lines[0].split() == ["consent_date", "2026-09-02"]
    assert lines[1].strip() == "from Consent/cocm-consent (Consent.dateTime)"
    assert "care_manager_minutes         75" in out
    assert err == "no missing facts\n"


def test_json_output_has_the_documented_shape(data_dir: Path) -> None:
    code, out, _ = run(
        "record", "facts", str(data_dir / "bhi-export"), "--month", "2026-09", "--format", "json"
    )
    assert code == 0
    data = json.loads(out)
    assert set(data) == {"facts", "missing", "conflicts", "notes"}
    assert data["facts"]["care_manager_minutes"]["value"] == 37
    assert data["facts"]["care_manager_minutes"]["source"] == "Encounter/bhi-time-1"
    assert data["facts"]["consent_date"] == {
        "value": "2026-08-28",
        "source": "Consent/bhi-consent",
        "sources": [{"resource": "Consent/bhi-consent", "path": "Consent.dateTime"}],
    }
    assert data["missing"] == [] and data["conflicts"] == []


def test_json_is_the_alias_of_format_json(data_dir: Path) -> None:
    argv = ("record", "facts", str(data_dir / "cocm-bundle.json"), "--month", "2026-09")
    assert run(*argv, "--json") == run(*argv, "--format", "json")


def test_ndjson_files_as_arguments(data_dir: Path) -> None:
    files = sorted(str(p) for p in (data_dir / "bhi-export").glob("*.ndjson"))
    code, out, _ = run("record", "facts", *files, "--month", "2026-09", "--format", "json")
    assert code == 0 and json.loads(out)["facts"]["rating_scale"]["value"] == "GAD-7"


def test_conflicts_with_a_claim(data_dir: Path, tmp_path: Path) -> None:
    claim = example_claim("CCM21")
    path = tmp_path / "claim.json"
    path.write_text(
        claim.evolve(facts=dict(claim.facts, care_manager_minutes=45)).to_json(), "utf-8"
    )
    code, out, err = run(
        "record",
        "facts",
        str(data_dir / "cocm-bundle.json"),
        "--month",
        "2026-09",
        "--claim",
        str(path),
        "--format",
        "json",
    )
    assert code == 0
    assert json.loads(out)["conflicts"] == [
        {
            "fact": "care_manager_minutes",
            "claim_path": "facts.care_manager_minutes",
            "source": "Procedure/cocm-time-1",
            "kept": "claim",
        }
    ]
    code, _, err = run(
        "record",
        "facts",
        str(data_dir / "cocm-bundle.json"),
        "--month",
        "2026-09",
        "--claim",
        str(path),
    )
    assert (
        "conflict: care_manager_minutes: the claim (facts.care_manager_minutes) and the "
        "record (Procedure/cocm-time-1) disagree" in err
    )


def test_missing_facts_and_notes_go_to_stderr(tmp_path: Path) -> None:
    path = tmp_path / "consent.json"
    path.write_text(
        json.dumps(
            {
                "resourceType": "Consent",
                "id": "c",
                "status": "draft",
                "scope": {
                    "coding": [
                        {
                            "system": "http://terminology.hl7.org/CodeSystem/consentscope",
                            "code": "treatment",
                        }
                    ]
                },
            }
        )
    )
    code, out, err = run("record", "facts", str(path), "--month", "2026-09")
    assert code == 0 and out == ""
    assert err.startswith("missing (13): consent_date, ")
    assert "note: consent_date Consent/c: status is draft; only active counts" in err


@pytest.mark.parametrize(
    ("argv", "status", "message"),
    [
        (["record", "facts", "NOFILE.json"], 2, "FILE: cannot read the file"),
        (["record", "facts", "README.md"], 1, "README.md, line 1: not valid JSON"),
        (["record", "facts", "X", "--month", "2026-9"], 2, "expected a month as YYYY-MM"),
        (["record", "facts", "X", "--format", "xml"], 2, "invalid choice"),
        (["record"], 2, "required"),
    ],
)
def test_errors(
    argv: list[str], status: int, message: str, repo_root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(repo_root)
    code, out, err = run(*argv)
    assert (code, out) == (status, "")
    assert message in err


def _bare_claim(tmp_path: Path, **changes: object) -> Path:
    claim = example_claim("CCM21").evolve(facts={}, evidence=(), **changes)
    path = tmp_path / "claim.json"
    path.write_text(claim.to_json(), "utf-8")
    return path


def test_appeal_from_a_record_has_no_missing_fact(data_dir: Path, tmp_path: Path) -> None:
    claim = _bare_claim(tmp_path)
    code, out, err = run(
        "appeal",
        "CCM21",
        "--claim",
        str(claim),
        "--record",
        str(data_dir / "cocm-bundle.json"),
        "--date",
        "2026-11-02",
    )
    assert code == 0 and "no missing facts" in err and "[MISSING" not in out
    enclosures = out.split("Enclosures:\n", 1)[1].split("\n\n", 1)[0].splitlines()
    assert len(enclosures) == 10
    for line in enclosures[1:]:  # each after the denial notice names its source resource
        assert re_resource.search(line), line
    # the validator, given the same record, finds nothing to correct
    code, out, _ = run(
        "appeal",
        "CCM21",
        "--claim",
        str(claim),
        "--record",
        str(data_dir / "cocm-bundle.json"),
        "--date",
        "2026-11-02",
        "--format",
        "json",
    )
    data = json.loads(out)
    assert data["missing"] == [] and data["conflicts"] == []
    letter_path = tmp_path / "letter.txt"
    letter_path.write_text(data["text"], "utf-8")
    code, out, err = run("validate", str(letter_path), "--claim", str(claim))
    assert code == 0, out + err


def test_appeal_with_a_record_reports_conflicts(data_dir: Path, tmp_path: Path) -> None:
    claim = example_claim("CCM21").evolve(evidence=())
    claim = claim.evolve(facts=dict(claim.facts, care_manager_minutes=45))
    path = tmp_path / "claim.json"
    path.write_text(claim.to_json(), "utf-8")
    argv = [
        "appeal",
        "CCM21",
        "--claim",
        str(path),
        "--record",
        str(data_dir / "cocm-bundle.json"),
        "--date",
        "2026-11-02",
        "--format",
        "json",
    ]
    code, out, err = run(*argv)
    assert code == 0
    assert json.loads(out)["conflicts"][0]["fact"] == "care_manager_minutes"
    assert "45 minutes of care management" in json.loads(out)["text"]
    assert "conflict: care_manager_minutes: the claim (facts.care_manager_minutes)" in err
    code, out, _ = run(*argv, "--prefer", "record")
    assert "75 minutes of care management" in json.loads(out)["text"]


def test_appeal_with_an_unreadable_record(tmp_path: Path) -> None:
    claim = _bare_claim(tmp_path)
    bad = tmp_path / "bad.json"
    bad.write_text("{", "utf-8")
    code, out, err = run("appeal", "CCM21", "--claim", str(claim), "--record", str(bad))
    assert (code, out) == (1, "")
    assert "bad.json, line 1: not valid JSON" in err
    code, out, err = run("appeal", "CCM21", "--claim", str(claim), "--record", "NOFILE")
    assert (code, out) == (2, "")
    assert "--record: cannot read the file" in err


def test_validate_against_the_record(data_dir: Path, tmp_path: Path) -> None:
    bundle = str(data_dir / "cocm-bundle.json")
    claim = example_claim("CCM21").evolve(evidence=())
    claim = claim.evolve(facts=dict(claim.facts, care_manager_minutes=45))
    claim_path = tmp_path / "claim.json"
    claim_path.write_text(claim.to_json(), "utf-8")
    _, out, _ = run("appeal", "CCM21", "--claim", str(claim_path), "--date", "2026-11-02")
    letter = tmp_path / "letter.txt"
    letter.write_text(out, "utf-8")
    # without the record, a 45-minute letter is only short of 99492's 70 minutes (a warning)
    code, out, _ = run("validate", str(letter), "--claim", str(claim_path))
    assert code == 0 and "DK801" not in out
    # with it, the letter claims minutes the record does not show: an error
    code, out, _ = run("validate", str(letter), "--claim", str(claim_path), "--record", bundle)
    assert code == 1
    assert (
        "DK801 error the minutes of care management stated differ from the sum the "
        "record shows (Procedure/cocm-time-1 and 2 more)" in out
    )
    code, out, err = run("validate", str(letter), "--record", str(tmp_path / "none.json"))
    assert code == 2 and "--record: cannot read the file" in err


def test_a_record_of_two_patients_needs_patient(tmp_path: Path) -> None:
    loinc = {"coding": [{"system": "http://loinc.org", "code": "70274-6"}]}
    lines = [
        {"resourceType": "Patient", "id": "pa"},
        {"resourceType": "Patient", "id": "pb"},
        *(
            {
                "resourceType": "Observation",
                "id": f"gad-{who}",
                "status": "final",
                "subject": {"reference": f"Patient/{who}"},
                "code": loinc,
                "effectiveDateTime": day,
                "valueInteger": score,
            }
            for who, day, score in (("pa", "2026-09-08", 13), ("pb", "2026-09-09", 4))
        ),
    ]
    path = tmp_path / "two.ndjson"
    path.write_text("\n".join(json.dumps(x) for x in lines) + "\n", "utf-8")
    code, out, err = run("record", "facts", str(path), "--month", "2026-09")
    assert code == 1 and "about 2 patients" in err and out == ""
    code, out, _ = run("record", "facts", str(path), "--month", "2026-09", "--patient", "pb")
    assert code == 0
    data_line = next(line for line in out.splitlines() if line.startswith("rating_scale_scores"))
    assert "4 on September 9, 2026" in data_line and "13" not in data_line


def _draft_consents(n: int) -> dict[str, object]:
    scope = {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/consentscope",
                         "code": "treatment"}]}  # fmt: skip
    return {
        "resourceType": "Bundle",
        "type": "collection",
        "entry": [
            {
                "resource": {
                    "resourceType": "Consent",
                    "id": f"c{i}",
                    "status": "draft",
                    "scope": scope,
                }
            }
            for i in range(n)
        ],
    }


@pytest.mark.parametrize("n", [2, 5])
def test_the_same_note_on_many_resources_is_one_line_in_text(tmp_path: Path, n: int) -> None:
    # a record that repeats one shape (a draft consent, an EOB per visit) said the same note
    # once per resource; the text names the first and counts the others, JSON keeps each
    path = tmp_path / "consents.json"
    path.write_text(json.dumps(_draft_consents(n)), "utf-8")
    code, _, err = run("record", "facts", str(path), "--month", "2026-09")
    notes = [line for line in err.splitlines() if "status is draft" in line]
    if n == 2:
        assert code == 0 and len(notes) == 2
    else:
        assert code == 0 and notes == [
            "note: consent_date Consent/c0 and 4 more: status is draft; only active counts"
        ]
    code, out, _ = run("record", "facts", str(path), "--month", "2026-09", "--format", "json")
    assert code == 0
    assert len([m for m in json.loads(out)["notes"] if "draft" in m["message"]]) == n


def test_a_note_about_the_whole_record_is_printed_plainly(tmp_path: Path) -> None:
    page = {
        "resourceType": "Bundle",
        "type": "searchset",
        "link": [{"relation": "next", "url": "https://fhir.test/r4/Patient?page=2"}],
        "entry": [{"resource": {"resourceType": "Patient", "id": "pa"}}],
    }
    path = tmp_path / "page.json"
    path.write_text(json.dumps(page), "utf-8")
    code, _, err = run("record", "facts", str(path), "--month", "2026-09")
    assert code == 0
    assert "note: page.json: the Bundle is one page of a search" in err


def test_record_patients_lists_what_patient_takes(tmp_path: Path) -> None:
    path = tmp_path / "Patient.ndjson"
    path.write_text(
        '{"resourceType": "Patient", "id": "pa"}\n{"resourceType": "Patient", "id": "pb"}\n'
    )
    code, out, err = run("record", "patients", str(path))
    assert (code, out.split(), err.strip()) == (0, ["Patient/pa", "Patient/pb"], "2 patients")
    code, out, _ = run("record", "patients", str(path), "--json")
    assert json.loads(out) == {"patients": ["Patient/pa", "Patient/pb"]}
    code, out, err = run("record", "facts", str(path), "--patient", "Patient/pa")
    assert code == 0


def test_the_claims_payer_chooses_among_coverages_on_the_command_line(
    data_dir: Path, tmp_path: Path
) -> None:
    bundle = json.loads((data_dir / "cocm-bundle.json").read_text("utf-8"))
    bundle["entry"].append(
        {
            "resource": {
                "resourceType": "Coverage",
                "id": "medigap",
                "status": "active",
                "subscriberId": "GAP-0042-17",
                "payor": [{"display": "AARP Medicare Supplement"}],
            }
        }
    )
    record_path = tmp_path / "bundle.json"
    record_path.write_text(json.dumps(bundle), "utf-8")
    claim_path = tmp_path / "claim.json"
    claim_path.write_text(example_claim("CCM21").to_json(), "utf-8")
    base = ("record", "facts", str(record_path), "--month", "2026-09", "--format", "json")
    _, alone, _ = run(*base)
    assert "member_id" in json.loads(alone)["missing"]
    code, out, _ = run(*base, "--claim", str(claim_path))
    data = json.loads(out)
    assert code == 0 and data["conflicts"] == []
    assert data["facts"]["member_id"]["source"] == "Coverage/cocm-coverage"
    assert {
        "fact": "member_id",
        "resource": "Coverage/cocm-coverage",
        "message": "several active coverages; this one is the claim's payer (by name)",
    } in data["notes"]
