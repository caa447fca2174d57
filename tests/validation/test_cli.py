"""``denialkit validate``: the output form editors and CI read, JSON, and exit statuses."""

from __future__ import annotations

import io
import json
import re
import sys
from pathlib import Path

import pytest

from denialkit.claim import Claim
from denialkit.cli import main

LINE = re.compile(
    r"^(?P<file>.+?)(?::(?P<line>[0-9]+):(?P<col>[0-9]+))?: (?P<rule>DK[0-9]{3}) "
    r"(?P<sev>error|warning|info) (?P<msg>.+)$"
)


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    status = main(["validate", *argv], stdout=out, stderr=err)
    return status, out.getvalue(), err.getvalue()


@pytest.fixture
def letter_file(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "letter.txt"
    path.write_text(text, "utf-8")
    return path


@pytest.fixture
def claim_file(tmp_path: Path, claim: Claim) -> Path:
    path = tmp_path / "claim.json"
    path.write_text(claim.to_json(), "utf-8")
    return path


def test_a_complete_letter_exits_0_and_prints_nothing(letter_file: Path, claim_file: Path) -> None:
    status, out, err = run(str(letter_file), "--claim", str(claim_file))
    assert (status, out) == (0, "")
    assert err == f"{letter_file}: 0 errors, 0 warnings, 0 info\n"


def test_findings_print_as_file_line_col(tmp_path: Path, text: str) -> None:
    path = tmp_path / "edited.txt"
    edited = text.replace("April 28, 2026", "[Date]").replace("Enclosures:", "Docs:")
    # (a sentence that names what it encloses, "the enclosed record", needs no list)
    path.write_text(edited.replace("enclosed record", "enclosed documentation"))
    status, out, err = run(str(path))
    assert status == 1
    assert out.splitlines() == [
        f"{path}: DK114 error the letter is not dated",
        f"{path}:7:1: DK302 error an unfilled template blank is left in brackets",
        f"{path}:26:42: DK118 warning the letter mentions attachments but does not list them",
    ]
    assert all(LINE.match(x) for x in out.splitlines())
    assert err == f"{path}: 2 errors, 1 warning, 0 info\n"


def test_whole_letter_findings_have_no_line_and_keep_the_claim_path(
    letter_file: Path, tmp_path: Path, claim: Claim
) -> None:
    other = tmp_path / "other.json"
    other.write_text(claim.evolve(claim_number="5526099999999").to_json())
    status, out, _ = run(str(letter_file), "--claim", str(other))
    assert status == 1
    assert (
        f"{letter_file}: DK104 error the letter does not give the claim number as the "
        "claim has it [claim claim_number]"
    ) in out.splitlines()
    assert "5526099999999" not in out


def test_json_output(tmp_path: Path) -> None:
    path = tmp_path / "short.txt"
    path.write_text("Dear [Patient Name],\n")
    status, out, _ = run(str(path), "--format", "json")
    assert status == 1
    data = json.loads(out)
    assert data["file"] == str(path) and data["ok"] is False
    blank = next(f for f in data["findings"] if f["rule_id"] == "DK302")
    assert blank["location"] == {"line": 1, "column": 6, "path": None}
    assert blank["hint"] and blank["slug"] == "bracket-placeholder"


def test_disable_and_code(letter_file: Path) -> None:
    status, out, _ = run(str(letter_file), "--code", "CCM21,CO-50")
    assert status == 1
    assert "DK108 error the letter does not cite the denial code CO-50" in out
    status, out, _ = run(
        str(letter_file),
        "--code",
        "CO-50",
        "--code",
        "CCM21",
        "--disable",
        "DK108",
        "--disable",
        "dk214,DK509",
    )
    assert (status, out) == (0, "")


@pytest.mark.parametrize(
    "argv",
    [
        ["missing.txt"],
        ["{letter}", "--disable", "DK999"],
        ["{letter}", "--code", "not-a-code"],
        ["{letter}", "--code", "CO-999"],
        ["{letter}", "--claim", "nope.json"],
        ["{letter}", "--claim", "{bad_claim}"],
        ["{letter}", "--format", "xml"],
        [],
    ],
    ids=[
        "no-file",
        "unknown-rule",
        "bad-code",
        "unknown-code",
        "no-claim-file",
        "bad-claim",
        "bad-format",
        "no-args",
    ],
)
def test_usage_errors_exit_2(argv: list[str], letter_file: Path, tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('{"claim_number": "ZZPHI-1", "patient": 5}')
    args = [a.format(letter=letter_file, bad_claim=bad) for a in argv]
    status, out, err = run(*args)
    assert status == 2 and out == ""
    assert err.strip()
    assert "ZZPHI" not in err


@pytest.mark.parametrize(
    ("data", "why"),
    [
        (b"Claim number: 12\n\xff\xfe\x00 junk\n", "a NUL byte at offset 19"),
        (bytes(range(256)) * 40, "a NUL byte at offset 0"),
        (b"\x89PNG\r\n\x1a\n" + b"\x01" * 300, "bytes that are not UTF-8 at offset 0"),
        ("Patient: Zoë\n".encode("latin-1"), "bytes that are not UTF-8 at offset 11"),
    ],
)
def test_a_binary_or_non_utf8_file_is_one_clear_error(
    tmp_path: Path, data: bytes, why: str
) -> None:
    path = tmp_path / "junk.bin"
    path.write_bytes(data)
    status, out, err = run(str(path))
    assert (status, out) == (2, "")
    assert err.count("\n") == 1
    assert f"{path} is not a UTF-8 text file ({why})" in err
    assert "Zo" not in err


@pytest.mark.parametrize("data", [b"", b"\n\n  \t\n", b"\xef\xbb\xbf"])
def test_an_empty_file_gives_one_finding(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "empty.txt"
    path.write_bytes(data)
    status, out, _ = run(str(path))
    assert status == 1
    assert out.splitlines() == [f"{path}: DK710 error the letter is empty"]


def test_standard_input(monkeypatch: pytest.MonkeyPatch, text: str) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(text.encode())))
    status, out, err = run("-")
    assert (status, out) == (0, "")
    assert err.startswith("<stdin>: 0 errors")


PATIENT_LETTER = """Jane Roe
14 Elm Street
Dayton, OH 45402
(937) 555-0199

March 2, 2026

Brightway Health Plan
Member Appeals
PO Box 4410
Columbus, OH 43215

Member ID: BHP4471920
Claim number: 2026-0114-77

To whom it may concern,

I am writing to appeal the denial of my claim for the physical therapy I received on
January 14, 2026. My doctor prescribed it after my knee surgery, and the enclosed notes
show that my condition improved with each visit because the therapy was necessary.

I request that you reconsider the decision and pay the claim.

Sincerely,
Jane Roe
"""


@pytest.mark.parametrize(
    ("author", "status", "rules"),
    [(None, 0, set()), ("patient", 0, set()), ("provider", 1, {"DK101", "DK106"})],
)
def test_author_option_decides_what_a_letter_needs(
    tmp_path: Path, author: str | None, status: int, rules: set[str]
) -> None:
    path = tmp_path / "mine.txt"
    path.write_text(PATIENT_LETTER, "utf-8")
    got, out, _ = run(str(path), *(["--author", author] if author else []))
    assert got == status
    errors = {
        m.group("rule") for m in map(LINE.match, out.splitlines()) if m and m["sev"] == "error"
    }
    assert errors == rules


def test_an_unknown_author_is_a_usage_error(tmp_path: Path) -> None:
    path = tmp_path / "mine.txt"
    path.write_text(PATIENT_LETTER, "utf-8")
    status, out, err = run(str(path), "--author", "payer")
    assert (status, out) == (2, "")
    assert "invalid choice: 'payer'" in err
