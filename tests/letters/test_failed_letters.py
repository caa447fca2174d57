"""A letter that fails its own check is reported as failed (issue 16 point 8), and the
``appeal -o`` file is created safely (issue 16 point 5)."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

import attrs
import pytest

from denialkit.claim import Claim
from denialkit.cli import main
from denialkit.exceptions import LetterValidationError
from denialkit.letters import appeal

WHEN = date(2026, 11, 2)
PAYLOAD = "{{ cycler.__init__.__globals__.os.popen('id').read() }}"


def _hostile(ccm21: Claim) -> Claim:
    return ccm21.evolve(patient=attrs.evolve(ccm21.patient, name=f"Zoë {PAYLOAD}"))


def _run(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(args), stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


def test_strict_raises_for_a_letter_with_an_error_finding(ccm21: Claim) -> None:
    claim = _hostile(ccm21)
    letter = appeal("CCM21", claim, letter_date=WHEN)  # not strict: returned, and its
    assert PAYLOAD in letter.text and not letter.report.ok  # report says it failed
    with pytest.raises(LetterValidationError, match=r"the letter has \d+ errors?: DK301") as info:
        appeal("CCM21", claim, letter_date=WHEN, strict=True)
    assert {f.rule_id for f in info.value.findings} >= {"DK301"}
    assert "cycler" not in str(info.value) and "Zoë" not in str(info.value)
    assert info.value.__context__ is None


def test_strict_returns_a_letter_that_passes(ccm21: Claim) -> None:
    assert appeal("CCM21", ccm21, letter_date=WHEN, strict=True).report.ok


def test_the_command_line_exits_1_and_still_writes_a_failed_letter(
    ccm21: Claim, tmp_path: Path
) -> None:
    path = tmp_path / "claim.json"
    path.write_text(_hostile(ccm21).to_json(), "utf-8")
    code, out, err = _run("appeal", "CCM21", "--claim", str(path), "--date", "2026-11-02")
    assert code == 1
    assert PAYLOAD in out  # the letter is written, the value literal
    assert "the letter fails its own check" in err and "DK301" in err
    assert "cycler" not in err


def test_the_command_line_exits_0_for_a_letter_that_passes() -> None:
    code, _out, err = _run("appeal", "CCM21", "--example", "--date", "2026-11-02")
    assert code == 0 and "fails its own check" not in err


def test_strict_on_the_command_line_writes_nothing(ccm21: Claim, tmp_path: Path) -> None:
    path = tmp_path / "claim.json"
    path.write_text(_hostile(ccm21).to_json(), "utf-8")
    args = ["appeal", "CCM21", "--claim", str(path), "--date", "2026-11-02", "--strict"]
    code, out, err = _run(*args)
    assert (code, out) == (1, "")
    assert "DK301" in err


# ------------------------------------------------------------------ the -o file


def test_an_existing_output_file_is_an_error_naming_it(tmp_path: Path) -> None:
    target = tmp_path / "letter.txt"
    target.write_text("keep me", "utf-8")
    code, _out, err = _run("appeal", "CCM21", "--example", "-o", str(target))
    assert code == 2
    assert f"the output file {target} exists; use --force to replace it" in err
    assert target.read_text("utf-8") == "keep me"


def test_force_replaces_an_existing_file(tmp_path: Path) -> None:
    target = tmp_path / "letter.md"
    target.write_text("old", "utf-8")
    args = ["appeal", "CCM21", "--example", "--format", "md", "-o", str(target), "--force"]
    code, _, err = _run(*args)
    assert code == 0 and "wrote md letter" in err
    assert target.read_text("utf-8").startswith("Valley Family Medicine")


@pytest.mark.parametrize("force", [False, True])
def test_the_output_is_never_written_through_a_symbolic_link(tmp_path: Path, force: bool) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_text("precious", "utf-8")
    link = tmp_path / "letter.txt"
    link.symlink_to(victim)
    args = ["appeal", "CCM21", "--example", "-o", str(link)] + (["--force"] if force else [])
    code, _, err = _run(*args)
    assert code == 2
    assert str(link) in err
    assert victim.read_text("utf-8") == "precious"
    if force:
        assert "is a symbolic link" in err


def test_a_dangling_link_is_not_followed_to_create_a_file(tmp_path: Path) -> None:
    link = tmp_path / "letter.txt"
    link.symlink_to(tmp_path / "created-elsewhere.txt")
    code, _, _ = _run("appeal", "CCM21", "--example", "-o", str(link))
    assert code == 2
    assert not (tmp_path / "created-elsewhere.txt").exists()


def test_a_new_pdf_is_written(tmp_path: Path) -> None:
    target = tmp_path / "letter.pdf"
    code, _, _ = _run("appeal", "CCM21", "--example", "--format", "pdf", "-o", str(target))
    assert code == 0 and target.read_bytes()[:5] == b"%PDF-"
