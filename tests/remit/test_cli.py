"""``denialkit remit FILE [--format table|csv|json] [--summary]``."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from denialkit.cli import main


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


def test_table(data: Path) -> None:
    code, out, err = run("remit", str(data / "basic.835"))
    assert code == 0 and "18 adjustments" in err
    lines = out.splitlines()
    assert lines[0].split()[:3] == ["claim", "status", "level"] and len(lines) == 19
    assert "CO-197" in out and "authorization" in out


def test_csv(data: Path) -> None:
    code, out, _ = run("remit", str(data / "basic.835"), "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert (
        code == 0 and len(rows) == 18 and rows[3]["code"] == "CO-197" and rows[3]["amount"] == "300"
    )


def test_json(data: Path) -> None:
    code, out, _ = run("remit", str(data / "basic.835"), "--format", "json")
    rows = json.loads(out)
    assert code == 0 and len(rows) == 18 and rows[0]["service_date"] == "2026-03-02"


def test_summary_formats(data: Path) -> None:
    code, out, _ = run("remit", str(data / "basic.835"), "--summary")
    assert code == 0 and "Denied by category" in out and "█" in out and "680.00 at stake" in out
    code, out, _ = run("remit", str(data / "basic.835"), "--summary", "--format", "json")
    assert code == 0 and json.loads(out)["by_category"][0]["category"] == "authorization"
    code, out, _ = run("remit", str(data / "basic.835"), "--summary", "--format", "csv")
    assert code == 0 and out.splitlines()[1] == "CO-197,authorization,1,300"


def test_warnings_go_to_stderr_and_strict_fails(data: Path) -> None:
    code, _, err = run("remit", str(data / "unbalanced.835"), "--format", "csv")
    assert code == 0 and "denialkit: warning: segment 11, byte 450: service line" in err
    code, _, err = run("remit", str(data / "unbalanced.835"), "--strict")
    assert code == 1 and "denialkit: error: segment 11" in err


def test_malformed_and_missing_files(tmp_path: Path) -> None:
    bad = tmp_path / "bad.835"
    bad.write_bytes(b"not an 835")
    code, out, err = run("remit", str(bad))
    assert code == 1 and out == "" and "not an X12 file" in err
    code, out, err = run("remit", str(tmp_path / "missing.835"))
    assert code == 2 and out == "" and "FILE: cannot read the file" in err
