"""DOCX output, `appeal --format json`, the checklist and warnings on stderr, and a format
without its extra: one line naming the extra, exit status 2."""

from __future__ import annotations

import io
import json
import subprocess
import sys
import zipfile
from datetime import date
from pathlib import Path

import attrs
import docx
import pytest

from denialkit.claim import Claim
from denialkit.cli import main
from denialkit.exceptions import MissingExtraError
from denialkit.letters import Letter, appeal, example_claim
from denialkit.render import render, render_docx

WHEN = date(2026, 11, 2)


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


@pytest.fixture
def letter() -> Letter:
    return appeal("CCM21", example_claim("CCM21"), letter_date=WHEN)


def _paragraphs(data: bytes) -> list[str]:
    return [p.text for p in docx.Document(io.BytesIO(data)).paragraphs]


# ------------------------------------------------------------------ docx


def test_docx_holds_every_part_and_reads_back_names_intact(letter: Letter) -> None:
    data = render(letter, "docx")
    assert data[:2] == b"PK"
    paras = _paragraphs(data)
    text = "\n".join(paras)
    assert "Beneficiary: Zoë Nguyễn" in text
    assert paras[0].startswith("Valley Family Medicine\n12 Orchard Road")
    assert "Re: Request for redetermination" in text
    for part in (*letter.argument, letter.request, letter.salutation, letter.closing):
        for line in part.split("\n"):
            assert line.removeprefix("- ") in paras
    assert [p for p in paras if p[:2] in ("1.", "6.")] == [
        "1. Copy of the denial notice dated October 20, 2026",
        "6. Psychiatric consultant's caseload review note of September 17, 2026",
    ]
    subject = next(p for p in docx.Document(io.BytesIO(data)).paragraphs if "Re: " in p.text)
    head = subject.runs[0]
    assert head.text.rstrip("\n") == "Re: Request for redetermination" and head.bold


def test_docx_is_byte_for_byte_deterministic(letter: Letter) -> None:
    first = render_docx(letter)
    again = render_docx(appeal("CCM21", example_claim("CCM21"), letter_date=WHEN))
    assert first == again
    with zipfile.ZipFile(io.BytesIO(first)) as z:
        assert {i.date_time for i in z.infolist()} == {(1980, 1, 1, 0, 0, 0)}


@pytest.mark.parametrize("code", ["CCM21", "CO-50", "CO-197"])
def test_docx_written_in_one_pass_is_the_same_file_as_saved_and_rezipped(
    code: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The one-pass writer drives python-docx's package writer; where that writer differs,
    render_docx() saves and rewrites the zip instead. Both give the same bytes."""
    import denialkit.render as render_module

    letter = appeal(code, example_claim(code), letter_date=date(2026, 11, 2))
    one_pass = render_docx(letter)
    monkeypatch.setattr(render_module, "_write_fixed", lambda doc: None)
    rezipped = render_docx(letter)
    assert one_pass == rezipped
    with zipfile.ZipFile(io.BytesIO(one_pass)) as z:
        assert z.testzip() is None
        assert {i.date_time for i in z.infolist()} == {(1980, 1, 1, 0, 0, 0)}


def test_docx_properties_hold_no_patient_data(letter: Letter) -> None:
    claim = letter.claim
    values = [
        claim.patient.name,
        claim.patient.member_id,
        claim.claim_number,
        "Nguy",
        "2026",
        "1951",
        "99492",
        "python-docx",
    ]
    with zipfile.ZipFile(io.BytesIO(render_docx(letter))) as z:
        props = [
            z.read(n).decode("utf-8")
            for n in z.namelist()
            if n.startswith("docProps/") and n.endswith(".xml")
        ]
        props += z.namelist()
    for value in values:
        assert not any(value in p for p in props), value
    core = docx.Document(io.BytesIO(render_docx(letter))).core_properties
    assert core.title == "Request for redetermination" and core.author == "denialkit"


def test_docx_drops_characters_xml_cannot_hold(ccm21: Claim) -> None:
    odd = attrs.evolve(ccm21.patient, name="Zoë\u200b Nguyễn\u202e")
    letter = appeal("CCM21", ccm21.evolve(patient=odd), letter_date=WHEN)
    assert "Beneficiary: Zoë Nguyễn" in "\n".join(_paragraphs(render_docx(letter)))


@pytest.mark.parametrize("junk", [None, "letter", 3, b"PK"])
def test_render_docx_refuses_what_is_not_a_letter(junk: object) -> None:
    with pytest.raises(TypeError, match="expected a denialkit Letter"):
        render_docx(junk)  # type: ignore[arg-type]


def test_appeal_writes_docx_to_a_file(tmp_path: Path) -> None:
    code, _, err = run("appeal", "CCM21", "--example", "--format", "docx")
    assert code == 2 and "DOCX output needs -o PATH" in err
    target = tmp_path / "letter.docx"
    code, out, err = run(
        "appeal",
        "CCM21",
        "--example",
        "--format",
        "docx",
        "-o",
        str(target),
        "--date",
        "2026-11-02",
    )
    assert code == 0 and out == "" and "wrote docx letter" in err
    assert "Beneficiary: Zoë Nguyễn" in "\n".join(_paragraphs(target.read_bytes()))


# ------------------------------------------------------------------ json and stderr


def test_appeal_json_holds_parts_missing_checklist_warnings_deadline_and_report() -> None:
    code, out, _ = run("appeal", "CCM21", "--example", "--format", "json", "--date", "2027-02-21")
    assert code == 0
    data = json.loads(out)
    assert data.pop("conflicts") == []  # only --record fills it
    letter = appeal("CCM21", example_claim("CCM21"), letter_date=date(2027, 2, 21))
    assert data == json.loads(json.dumps(letter.to_dict()))
    assert data["parts"]["enclosures"] == list(letter.enclosures)
    assert data["missing"] == []
    assert data["checklist"] == [
        {
            "kind": "registry",
            "item": "A registry extract showing the patient enrolled and followed in the month",
            "why": "Collaborative care requires tracking the patient in a registry.",
        }
    ]
    assert [w["id"] for w in data["warnings"]] == ["deadline-soon"]
    assert data["warnings"][0]["days"] == 1
    assert data["deadline"]["due"] == "2027-02-22"
    assert data["deadline"]["citation"] == "42 CFR 405.942(a)"
    assert data["report"]["ok"] is True


def test_appeal_prints_warnings_and_the_checklist_on_stderr_never_in_the_letter() -> None:
    code, out, err = run("appeal", "CCM21", "--example", "--date", "2026-11-02")
    assert code == 0
    assert "worth adding to the claim's evidence (not in the letter):" in err
    assert "  - A registry extract showing the patient enrolled" in err
    assert "registry" not in out.lower()
    code, out, err = run("appeal", "CO-16", "--example", "--date", "2026-11-02")
    assert "warning: appeal-not-the-remedy: CO-16: an appeal is not the remedy" in err
    assert "warning" not in out
    code, out, err = run("appeal", "CO-16", "--example", "--date", "2026-11-02", "--strict")
    assert code == 1 and out == ""
    assert "the letter has 1 warning: appeal-not-the-remedy" in err


# ------------------------------------------------------------------ a format without its extra


_BLOCKED = {
    "docx": ("docx",),
    "pdf": ("fpdf", "fontTools", "fontTools.ttLib"),
}


@pytest.mark.parametrize(("fmt", "extra"), [("docx", "docx"), ("pdf", "pdf")])
def test_a_format_without_its_extra_fails_in_one_line(fmt: str, extra: str, tmp_path: Path) -> None:
    blocked = "".join(f"sys.modules[{m!r}] = None\n" for m in _BLOCKED[fmt])
    script = f"import sys\n{blocked}from denialkit.cli import main\nsys.exit(main(sys.argv[1:]))\n"
    target = tmp_path / f"letter.{fmt}"
    done = subprocess.run(
        [sys.executable, "-c", script, "appeal", "CCM21", "--example", "--format", fmt, "-o",
         str(target)],
        capture_output=True,
        text=True,
        check=False,
    )  # fmt: skip
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert lines[0].endswith(f"pip install 'denialkit[{extra}]'")
    assert "Traceback" not in done.stderr and not target.exists()


def test_missing_extra_is_an_import_error_naming_the_extra() -> None:
    exc = MissingExtraError("docx", "DOCX output", "python-docx")
    assert isinstance(exc, ImportError) and exc.extra == "docx"
    assert str(exc) == "DOCX output needs python-docx: pip install 'denialkit[docx]'"


def test_batch_pdf_without_its_extra_fails_in_one_line(tmp_path: Path) -> None:
    from denialkit import remit

    (tmp_path / "era.835").write_bytes(remit.sample())
    provider = {"name": "Valley Family Medicine", "npi": "1234567893"}
    (tmp_path / "provider.json").write_text(json.dumps(provider), "utf-8")
    script = "import sys\nsys.modules['fpdf'] = None\nfrom denialkit.cli import main\n"
    script += "sys.exit(main(sys.argv[1:]))\n"
    done = subprocess.run(
        [sys.executable, "-c", script, "remit", str(tmp_path / "era.835"), "--appeals",
         str(tmp_path / "out"), "--provider", str(tmp_path / "provider.json"), "--format", "pdf"],
        capture_output=True,
        text=True,
        check=False,
    )  # fmt: skip
    assert done.returncode == 2
    assert done.stderr.strip().splitlines() == [
        "denialkit: PDF output needs fpdf2: pip install 'denialkit[pdf]'"
    ]
