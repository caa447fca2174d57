"""CodeTable: iterate, filter, search, export, and overlay the user's official text."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import pytest

import denialkit
from denialkit import CodeSystem, DataError, DenialCode
from denialkit.codes import _sort_key
from denialkit.exceptions import DenialkitWarning


def test_container_protocol() -> None:
    table = denialkit.default_table()
    assert len(table) == 1658
    assert "CO-16" in table
    assert "N290" in table
    assert "XYZ" not in table
    assert 16 not in table  # not a str: simply not contained
    assert denialkit.lookup("16") in table
    codes = list(table)
    assert codes == sorted(codes, key=_sort_key)  # stable, natural order
    assert [c.code for c in codes[:5]] == ["CO", "CR", "OA", "PI", "PR"]


def test_default_table_is_loaded_once() -> None:
    assert denialkit.default_table() is denialkit.default_table()


@pytest.mark.parametrize(
    ("system", "count"), [("GROUP", 5), ("CARC", 407), ("rarc", 1216), ("EXTENSION", 30)]
)
def test_filter_by_system(system: str, count: int) -> None:
    assert len(denialkit.default_table().filter(system=system)) == count


def test_filter_by_category_and_date() -> None:
    table = denialkit.default_table()
    auth = table.filter(category="authorization")
    assert all(c.category.value == "authorization" for c in auth)
    assert "197" in auth
    active_2010 = table.filter(system=CodeSystem.CARC, active_on=date(2010, 1, 1))
    assert "15" in active_2010  # deactivated only in 2018
    assert "272" not in active_2010  # started in 2015
    # a fixed day: on date.today() the count changes whenever a code is deactivated
    assert len(table.filter(system="CARC", active_on=date(2026, 11, 2))) == 297


def test_filter_rejects_unknown_names() -> None:
    table = denialkit.default_table()
    with pytest.raises(ValueError, match="'ICD' is not a valid CodeSystem"):
        table.filter(system="ICD")
    with pytest.raises(ValueError, match="'nonsense' is not a valid Category"):
        table.filter(category="nonsense")
    with pytest.raises(TypeError):
        table.filter(active_on="2020-01-01")  # type: ignore[arg-type]


def test_to_records_and_frame() -> None:
    table = denialkit.default_table().filter(system="GROUP")
    records = table.to_records()
    assert [r["code"] for r in records] == ["CO", "CR", "OA", "PI", "PR"]
    frame = table.to_frame()
    assert list(frame["code"]) == ["CO", "CR", "OA", "PI", "PR"]
    assert {"summary", "category", "status", "action"} <= set(frame.columns)


def test_table_html_for_notebooks() -> None:
    html = denialkit.default_table()._repr_html_()
    assert "1658 codes" in html
    assert "more codes" in html


@pytest.mark.parametrize(
    ("query", "first"),
    [
        ("prior authorization", "197"),
        ("timely filing", "29"),
        ("duplicate", "18"),
        ("medical necessity", "50"),
        ("CO-45", "45"),
    ],
)
def test_search_ranks_the_expected_code_first(query: str, first: str) -> None:
    hits = denialkit.search(query)
    assert hits[0].code == first
    assert len(hits) <= 10


def test_search_limit_and_junk() -> None:
    assert len(denialkit.search("claim", limit=3)) == 3
    assert denialkit.search("") == []
    assert denialkit.search("💥\u202e") == []
    assert denialkit.search("x" * 1_000_000) == []
    with pytest.raises(ValueError, match="limit must be a positive whole number"):
        denialkit.search("claim", limit=0)
    with pytest.raises(TypeError):
        denialkit.search(None)  # type: ignore[arg-type]


def _write_csv(path: Path, rows: list[dict[str, str]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return path


def test_official_text_overlay(tmp_path: Path) -> None:
    # a synthetic export in the shape of the official list (text written for this test)
    path = _write_csv(
        tmp_path / "carc-official.csv",
        [
            {
                "code": "16",
                "description": "Synthetic official wording for sixteen.",
                "start_date": "1995-01-01",
                "stop_date": "",
            },
            {
                "code": "45",
                "description": "Synthetic wording for forty-five.",
                "start_date": "",
                "stop_date": "2030-01-01",
            },
        ],
    )
    base = denialkit.default_table()
    table = base.with_official_text(path)
    assert table.lookup("CO-16").official_text == "Synthetic official wording for sixteen."
    forty_five = table.lookup("45")
    assert forty_five.stop == date(2030, 1, 1)
    assert forty_five.status.value == "deactivated"
    assert table.lookup("50").official_text is None
    assert base.lookup("16").official_text is None  # the default table is unchanged
    assert len(table) == len(base)


def test_official_text_unknown_codes_are_reported(tmp_path: Path) -> None:
    path = _write_csv(tmp_path / "new.csv", [{"code": "999", "description": "New code."}])
    with pytest.warns(DenialkitWarning, match="1 code"):
        table = denialkit.default_table().with_official_text(path)
    assert "999" not in table


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("code,text\n16,x\n", "columns"),
        ("code,description\nnot a code,x\n", "row 2"),
        ("code,description\n16,\n", "row 2"),
        ("code,description,start_date\n16,x,2025-02-29\n", "row 2"),
    ],
)
def test_official_text_bad_files(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "bad.csv"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(DataError, match=message) as info:
        denialkit.default_table().with_official_text(path)
    assert "bad.csv" in str(info.value)


def test_official_text_missing_or_binary_file(tmp_path: Path) -> None:
    with pytest.raises(DataError, match="cannot read"):
        denialkit.default_table().with_official_text(tmp_path / "absent.csv")
    binary = tmp_path / "bin.csv"
    binary.write_bytes(b"\xff\xfe\x00junk")
    with pytest.raises(DataError):
        denialkit.default_table().with_official_text(binary)
    with pytest.raises(TypeError):
        denialkit.default_table().with_official_text(None)  # type: ignore[arg-type]


def test_table_rejects_duplicates_and_junk() -> None:
    code = denialkit.lookup("16")
    with pytest.raises(ValueError, match="twice"):
        denialkit.CodeTable([code, code])
    with pytest.raises(TypeError):
        denialkit.CodeTable(["16"])  # type: ignore[list-item]
    assert isinstance(code, DenialCode)
