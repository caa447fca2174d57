"""The letter commands: appeal, example-claim, claim-schema, templates list|show."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from pypdf import PdfReader

from denialkit.claim import Claim, claim_schema
from denialkit.cli import main
from denialkit.letters import example_claim


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


def test_appeal_example_prints_a_complete_letter() -> None:
    code, out, err = run("appeal", "CCM21", "--example", "--date", "2026-11-02")
    assert code == 0
    assert out.startswith("Valley Family Medicine\n")
    assert "Beneficiary: Zoë Nguyễn" in out
    assert "We request a redetermination of claim 26274801234500." in out
    assert "[MISSING" not in out
    assert "no missing facts" in err
    assert "deadline: Redetermination (level 1) must reach the payer by February 22, 2027" in err
    assert "[42 CFR 405.942(a)]" in err


def test_appeal_without_the_consent_date_marks_and_lists_it(tmp_path: Path) -> None:
    path = tmp_path / "claim.json"
    path.write_text(example_claim("CCM21").without_fact("consent_date").to_json(), "utf-8")
    code, out, err = run("appeal", "CCM21", "--claim", str(path), "--date", "2026-11-02")
    assert code == 1  # written, but incomplete: its own report has an error (DK307)
    assert "[MISSING: consent date]" in out
    assert "missing fact (1): consent date" in err
    assert "the letter fails its own check: 1 error" in err and "DK307" in err
    code, out, err = run("appeal", "CCM21", "--claim", str(path), "--strict")
    assert code == 1
    assert out == ""
    assert "the claim lacks facts the letter needs: consent date" in err


@pytest.mark.parametrize(("fmt", "marker"), [("md", "**Re: "), ("html", "<!DOCTYPE html>")])
def test_appeal_formats_on_stdout(fmt: str, marker: str) -> None:
    code, out, _ = run("appeal", "CO-16", "--example", "--format", fmt, "--date", "2026-11-02")
    assert code == 0
    assert marker in out


def test_pdf_needs_an_output_file(tmp_path: Path) -> None:
    code, out, err = run("appeal", "CCM21", "--example", "--format", "pdf")
    assert code == 2
    assert "needs -o PATH" in err
    target = tmp_path / "letter.pdf"
    code, out, err = run("appeal", "CCM21", "--example", "--format", "pdf", "-o", str(target))
    assert code == 0 and out == ""
    text = "".join(p.extract_text() for p in PdfReader(target).pages)
    assert "26274801234500" in text and "Zoë Nguyễn" in text


def test_text_output_to_a_file_and_wrapped(tmp_path: Path) -> None:
    target = tmp_path / "letter.txt"
    code, _, err = run("appeal", "CO-50", "--example", "-o", str(target), "--width", "72")
    assert code == 0
    assert f"wrote text letter to {target}" in err
    assert max(len(line) for line in target.read_text("utf-8").splitlines()) <= 72


def test_template_level_and_templates_dir_options(tmp_path: Path) -> None:
    code, out, err = run("appeal", "CCM21", "--example", "--template", "generic", "--level", "2")
    assert code == 1  # written, but the contractor is missing (DK307)
    assert "Re: Request for reconsideration" in out
    assert "We have reviewed the denial" in out
    assert "contractor that made the redetermination" in err
    (tmp_path / "builtin").mkdir()
    (tmp_path / "builtin" / "generic.txt.j2").write_text(
        "{% block argument %}Our own generic letter.{% endblock %}", "utf-8"
    )
    code, out, _ = run(
        "appeal", "CO-45", "--example", "--template", "generic", "--templates-dir", str(tmp_path)
    )
    assert code == 1  # CO-45 has no example claim
    code, out, _ = run(
        "appeal", "CO-50", "--example", "--template", "generic", "--templates-dir", str(tmp_path)
    )
    assert code == 0 and "Our own generic letter." in out


def test_commercial_payer_without_window_says_no_deadline(tmp_path: Path) -> None:
    data = json.loads(example_claim("CO-16").to_json())
    del data["payer"]["appeal_window_days"]
    path = tmp_path / "c.json"
    path.write_text(json.dumps(data), "utf-8")
    code, out, err = run("appeal", "CO-16", "--claim", str(path))
    assert code == 0 and out
    assert "deadline: none computed for First-level appeal (level 1): " in err


def test_bad_claim_files(tmp_path: Path) -> None:
    path = tmp_path / "c.json"
    path.write_text("{not json", "utf-8")
    code, _, err = run("appeal", "CCM21", "--claim", str(path))
    assert code == 1 and "not valid JSON" in err
    data = json.loads(example_claim("CCM21").to_json())
    data["services"][0]["date"] = "2025-02-29"
    data["patient"]["birth_date"] = "1951-06-14T10:00:00"
    path.write_text(json.dumps(data), "utf-8")
    code, _, err = run("appeal", "CCM21", "--claim", str(path))
    assert code == 1
    assert "services[0].date: not a real calendar date" in err
    assert "patient.birth_date" in err
    code, _, err = run("appeal", "CCM21", "--claim", str(tmp_path / "absent.json"))
    assert code == 2 and "--claim: cannot read the file" in err
    code, _, err = run("appeal", "CCM21", "--claim", str(path), "--example")
    assert code == 2


def test_unknown_codes_and_templates() -> None:
    assert run("appeal", "CO-999", "--example")[0] == 1
    assert run("appeal", "💥", "--example")[0] == 2
    code, _, err = run("appeal", "CCM21", "--example", "--template", "nope")
    assert code == 1 and "no template named 'nope'" in err and "builtin/nope.txt.j2" in err


def test_example_claim_prints_json_that_reads_back() -> None:
    code, out, _ = run("example-claim", "CCM21")
    assert code == 0
    assert Claim.from_json(out) == example_claim("CCM21")
    code, _, err = run("example-claim", "CO-45")
    assert code == 1 and "examples exist for CCM21, CO-16, CO-197, CO-50" in err
    assert run("example-claim", "not a code")[0] == 2


def test_claim_schema_prints_the_schema() -> None:
    code, out, _ = run("claim-schema")
    assert code == 0
    assert json.loads(out) == claim_schema()


def test_templates_list_and_show() -> None:
    code, out, err = run("templates", "list")
    assert code == 0
    lines = out.splitlines()
    assert lines[0].split() == ["builtin/ccm21.txt.j2", "code", "CCM21"]
    assert any(line.split()[0] == "builtin/generic.txt.j2" for line in lines)
    assert "26 templates in 1 pack(s)" in err or "templates in" in err
    code, out, _ = run("templates", "list", "--json")
    entries = json.loads(out)
    assert entries[0]["facts"][0] == "consent_date"
    code, out, _ = run("templates", "show", "ccm21")
    assert code == 0
    assert out.startswith("# builtin/ccm21.txt.j2\n# serves: CCM21\n")
    assert "{% block argument %}" in out
    assert run("templates", "show", "nope")[0] == 1
    assert run("templates")[0] == 2
