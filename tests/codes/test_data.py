"""The shipped tables: faithful to the published facts, in our own words, and never stale."""

from __future__ import annotations

import csv
import json
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path
from typing import Any

import pytest

import denialkit
from denialkit import DataError
from denialkit._compat import files
from denialkit._tables import load_builtin

REPO = Path(__file__).resolve().parents[2]


def _d(text: str) -> date | None:
    return date.fromisoformat(text) if text else None


def test_every_carc_resolves_with_its_published_facts(shared_data: Path) -> None:
    with (shared_data / "carc.csv").open(newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == 407
    for row in rows:
        code = denialkit.lookup(row["code"])
        assert code.system.value == "CARC"
        assert code.status.value == row["status"]
        assert (code.start, code.last_modified, code.stop) == (
            _d(row["start_date"]),
            _d(row["last_modified_date"]),
            _d(row["stop_date"]),
        ), row["code"]
        assert code.summary and len(code.summary) <= 200
        assert code.official_text is None


def test_every_rarc_resolves_with_its_published_facts(shared_data: Path) -> None:
    with (shared_data / "rarc.csv").open(newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == 1216
    for row in rows:
        code = denialkit.lookup(row["code"])
        assert code.system.value == "RARC"
        assert code.status.value == row["status"]
        assert (code.start, code.last_modified, code.stop) == (
            _d(row["start_date"]),
            _d(row["last_modified_date"]),
            _d(row["stop_date"]),
        ), row["code"]
        assert code.is_alert == (row["is_alert"] == "True")
        assert code.summary and len(code.summary) <= 200


def test_group_and_care_management_codes(shared_data: Path) -> None:
    groups = json.loads((shared_data / "claim_adjustment_group_codes.json").read_text("utf-8"))
    for g in groups["codes"]:
        code = denialkit.lookup(g["code"])
        assert code.title == g["x12_name"]
        assert denialkit.default_table().group(g["code"]).patient_billable == g["patient_billable"]
    cm = json.loads((shared_data / "care_management_codes.json").read_text("utf-8"))
    assert len(cm["codes"]) == 30
    for c in cm["codes"]:
        code = denialkit.lookup(c["code"])
        assert code.title == c["title"]
        assert code.category.value == "care-management"


def test_counts_add_up_to_1658() -> None:
    table = denialkit.default_table()
    assert len(table) == 407 + 1216 + 5 + 30


def test_published_quirks_are_kept() -> None:
    for text in ("239", "N127"):
        code = denialkit.lookup(text)
        assert code.last_modified is not None and code.start is not None
        assert code.last_modified < code.start  # as published, not "fixed"


def _check_knowledge() -> Any:
    sys.path.insert(0, str(REPO / "scripts"))
    try:
        import check_knowledge as ck
    finally:
        sys.path.remove(str(REPO / "scripts"))
    return ck


def _shipped_texts(code: denialkit.DenialCode) -> list[str]:
    k = code.knowledge
    texts = [code.summary, code.action_reason, code.appeal_reason]
    if k is not None:
        texts += [*k.causes, *k.prevention, *k.evidence, k.how_to_appeal, *k.details]
        texts += [s.requirement for s in k.services]
        if k.related_note:
            texts.append(k.related_note)
    for _, adv in code.group_advice:
        texts += [adv.action_reason, adv.appeal_reason]
    for rule in code.plan_rules:
        texts += [rule.appeal_reason, rule.route]
    return texts


def test_no_summary_or_knowledge_copies_the_official_text(shared_data: Path) -> None:
    ck = _check_knowledge()
    index = ck.CopyIndex(ck.official_texts(shared_data))
    offenders = [
        (code.code, why)
        for code in denialkit.default_table()
        for t in _shipped_texts(code)
        if (why := index.too_close(t))
    ]
    assert offenders == []


@pytest.mark.parametrize(
    ("ours", "caught"),
    [
        # seven words in a row, anywhere in the text
        ("Note: this service is only covered when the donor pays.", True),
        # six words in a row and more than 80% of the description's words in order
        ("A new, revised or renewed certificate of medical necessity is required.", True),
        # six in a row but little of the rest: passes
        ("Our item or service does not meet its rules, so the plan pays nothing more.", False),
        # a summary of our own
        ("The payer needs a certificate of medical necessity that is new, revised or renewed.",
         False),
    ],
)  # fmt: skip
def test_the_copy_check_catches_seven_word_runs_and_near_copies(ours: str, caught: bool) -> None:
    ck = _check_knowledge()
    index = ck.CopyIndex(
        {
            "N405": "This service is only covered when the donor's insurer(s) do not provide "
            "coverage for the service.",
            "N170": "A new/revised/renewed certificate of medical necessity is needed.",
            "N180": "This item or service does not meet the criteria for the category under "
            "which it was billed.",
        }
    )
    assert (index.too_close(ours) is not None) is caught


def test_the_copy_check_counts_an_allowed_name_as_one_word() -> None:
    ck = _check_knowledge()
    assert "Merit-based Incentive Payment System" in ck.ALLOWED_PHRASES
    index = ck.CopyIndex({"N807": "Payment adjustment based on the Merit-based Incentive "
                                  "Payment System (MIPS)."})  # fmt: skip
    # written out in full, the program's name alone is not a copy
    assert index.too_close("MIPS: the Merit-based Incentive Payment System changed it.") is None
    # but the same words are a copy when they are not the allowed name
    plain = ck.CopyIndex({"X": "Payment adjustment based on the merit of the incentive system."})
    assert plain.too_close("A payment adjustment based on the merit of the incentive.") is not None


def test_check_knowledge_script_reports_a_copied_summary(tmp_path: Path, shared_data: Path) -> None:
    bad = tmp_path / "codes"
    bad.mkdir()
    (bad / "x.toml").write_text(
        '["N170"]\n'
        'summary = "A new, revised or renewed certificate of medical necessity is required."\n'
        'category = "missing-information"\naction = "supply-information"\n'
        'action_reason = "Send it."\nappealable = "no"\nappeal_reason = "Nothing decided."\n',
        encoding="utf-8",
    )
    result = subprocess.run(
        [sys.executable, str(REPO / "scripts" / "check_knowledge.py"), str(bad / "x.toml")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 1
    assert "N170: shares 6 words in a row and 90% of N170's official words" in result.stdout


def test_committed_tables_match_a_fresh_build(shared_data: Path, tmp_path: Path) -> None:
    result = subprocess.run(
        [
            sys.executable,
            str(REPO / "scripts" / "build_tables.py"),
            "--data",
            str(shared_data),
            "--out",
            str(tmp_path),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    committed = REPO / "src" / "denialkit" / "_data"
    for built in sorted(tmp_path.iterdir()):
        assert built.read_bytes() == (committed / built.name).read_bytes(), (
            f"{built.name} is stale: run python scripts/build_tables.py"
        )


def test_manifest_says_where_the_tables_come_from() -> None:
    manifest = json.loads(files("denialkit._data").joinpath("manifest.json").read_text("utf-8"))
    assert manifest["releases"]["carc"] == "2025-11-01"
    assert manifest["releases"]["rarc"] == "2026-08-17"
    assert manifest["outputs"]["carc.json"]["rows"] == 407
    assert all(len(v) == 64 for v in manifest["inputs"].values())
    assert denialkit.default_table().release["carc"] == "2025-11-01"


def _copy_data(tmp_path: Path) -> Path:
    src = files("denialkit._data")
    out = tmp_path / "data"
    out.mkdir()
    for name in ("manifest.json", "group.json", "carc.json", "rarc.json", "care-management.json"):
        (out / name).write_bytes(src.joinpath(name).read_bytes())
    return out


def test_pristine_copy_loads(tmp_path: Path) -> None:
    codes, release = load_builtin(_copy_data(tmp_path))
    assert len(codes) == 1658
    assert release["rarc"] == "2026-08-17"


def test_tampered_table_raises_data_error_naming_the_file(tmp_path: Path) -> None:
    data = _copy_data(tmp_path)
    raw = (data / "carc.json").read_bytes().replace(b'"current"', b'"curren "', 1)
    (data / "carc.json").write_bytes(raw)
    with pytest.raises(DataError, match=r"carc\.json.*checksum"):
        load_builtin(data)


def _rewrite(data: Path, name: str, edit: object) -> None:
    """Apply ``edit`` to a table and re-sign it, as a broken build would."""
    import zlib

    doc = json.loads((data / name).read_text("utf-8"))
    edit(doc)  # type: ignore[operator]
    raw = json.dumps(doc).encode()
    (data / name).write_bytes(raw)
    manifest = json.loads((data / "manifest.json").read_text("utf-8"))
    manifest["outputs"][name]["crc32"] = zlib.crc32(raw)
    (data / "manifest.json").write_text(json.dumps(manifest), "utf-8")


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (lambda d: d["rows"][2].__setitem__(2, "2025-02-30"), r"carc\.json, row 3: a date"),
        (lambda d: d["rows"][0].__setitem__(6, "nonsense"), r"row 1: status, category"),
        (lambda d: d["rows"].append(d["rows"][0]), r"row 408: code 1 appears twice"),
        (lambda d: d["rows"][5].__setitem__(5, ""), r"row 6: code and summary"),
        (lambda d: d["rows"][9].pop(), r"row 10: each row must list"),
        (lambda d: d.__setitem__("columns", ["code"]), r"columns"),
    ],
)
def test_broken_rows_name_file_and_row(tmp_path: Path, edit: object, message: str) -> None:
    data = _copy_data(tmp_path)
    _rewrite(data, "carc.json", edit)
    with pytest.raises(DataError, match=message):
        load_builtin(data)


def test_missing_files(tmp_path: Path) -> None:
    data = _copy_data(tmp_path)
    (data / "rarc.json").unlink()
    with pytest.raises(DataError, match=r"rarc\.json.*missing"):
        load_builtin(data)
    shutil.rmtree(data)
    data.mkdir()
    with pytest.raises(DataError, match="manifest"):
        load_builtin(data)


def test_the_first_lookup_imports_no_resource_machinery() -> None:
    # importlib.resources brings in pathlib and tempfile; the backport is not a dependency
    code = (
        "import sys, denialkit\n"
        "denialkit.lookup('CO-16')\n"
        "print(sorted(m for m in ('importlib.resources', 'importlib_resources', 'pathlib',"
        " 'tempfile') if m in sys.modules))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "[]"


def test_package_files_are_read_from_a_zip(tmp_path: Path) -> None:
    import zipfile

    archive = tmp_path / "pkgs.zip"
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("zipped_data/__init__.py", "")
        z.writestr("zipped_data/table.json", '{"rows": []}')
    code = (
        "import sys; sys.path.insert(0, sys.argv[1])\n"
        "from denialkit._compat import read_package_file, files\n"
        "print(read_package_file('zipped_data', 'table.json').decode())\n"
        "print(files('zipped_data').joinpath('table.json').read_text())\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code, str(archive)], capture_output=True, text=True, check=True
    ).stdout
    assert out.splitlines() == ['{"rows": []}', '{"rows": []}']
    from denialkit._compat import read_package_file

    with pytest.raises(FileNotFoundError):
        read_package_file("denialkit._data", "no-such-table.json")
