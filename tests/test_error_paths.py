"""Error paths that had no test (issue 16 point 9): the code table loader's ``DataError``s,
``pack.toml`` errors and the templates' ``money`` filter, each as a table of bad input ->
the exact error."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from denialkit._compat import files
from denialkit._tables import read_table
from denialkit.exceptions import DataError
from denialkit.letters import appeal, example_claim
from denialkit.templates import StringTemplate, TemplatePack

# ------------------------------------------------------------------ the code table loader


def _carc() -> dict[str, object]:
    doc: dict[str, object] = json.loads(files("denialkit._data").joinpath("carc.json").read_bytes())
    return doc


def _row16() -> list[object]:
    rows = _carc()["rows"]
    assert isinstance(rows, list)
    return list(next(r for r in rows if r[0] == "16"))


def _with(index: int, value: object) -> Callable[[dict[str, object]], None]:
    def change(doc: dict[str, object]) -> None:
        row = _row16()
        row[index] = value
        doc["rows"] = [row]

    return change


TABLE_ERRORS: list[tuple[str, Callable[[dict[str, object]], None], str, int | None]] = [
    ("no rows key", lambda d: d.pop("rows"), "not a denialkit code table", None),
    ("unknown system", lambda d: d.update(system="ICD"), "not a denialkit code table", None),
    ("other columns", lambda d: d.update(columns=["code"]), "the table's columns are not", None),
    ("rows not a list", lambda d: d.update(rows={"a": 1}), "rows must be a list", None),
    ("short row", lambda d: d.update(rows=[["16"]]), "each row must list 18 values", 1),
    ("empty code", _with(0, ""), "code and summary must be non-empty strings", 1),
    ("empty summary", _with(5, ""), "code and summary must be non-empty strings", 1),
    ("bad start", _with(2, "1995-13-01"), "a date is not a valid ISO date", 1),
    ("modified before start", _with(3, "1990-01-01"), "last_modified is before start", 1),
    ("stop before start", _with(4, "1990-01-01"), "stop is before start", 1),
    ("unknown category", _with(6, "misc"), "status, category, action or appealable has an", 1),
    ("unknown action", _with(7, "pray"), "status, category, action or appealable has an", 1),
    ("unknown status", _with(1, "retired"), "status, category, action or appealable has an", 1),
    ("deactivated, no stop", _with(1, "deactivated"), "a deactivated code needs a stop date", 1),
    ("stop, not deactivated", _with(4, "2020-01-01"), "a deactivated code needs a stop date", 1),
    ("reason not text", _with(8, 5), "the advice reasons must be strings", 1),
    (
        "a code twice",
        lambda d: d.update(rows=[_row16(), _row16()]),
        "code 16 appears twice",
        2,
    ),
]


@pytest.mark.parametrize(
    ("change", "message", "row"),
    [t[1:] for t in TABLE_ERRORS],
    ids=[t[0] for t in TABLE_ERRORS],
)
def test_a_broken_code_table_is_a_data_error_naming_file_and_row(
    change: Callable[[dict[str, object]], None], message: str, row: int | None
) -> None:
    doc = _carc()
    change(doc)
    with pytest.raises(DataError, match=message) as info:
        read_table("carc.json", json.dumps(doc).encode())
    assert (info.value.file, info.value.row) == ("carc.json", row)


def test_a_table_that_is_not_json_is_a_data_error() -> None:
    with pytest.raises(DataError, match=r"carc\.json: not a denialkit code table"):
        read_table("carc.json", b"\xff{")


# ------------------------------------------------------------------ pack.toml

PACK_ERRORS: list[tuple[str, str]] = [
    ("", "name must be 1 to 40 lower-case letters"),
    ("name = 5", "name must be 1 to 40 lower-case letters"),
    ('name = "Bad Name"', "name must be 1 to 40 lower-case letters"),
    ('name = "p"\ncolour = 1', "unknown key(s) colour"),
    ('name = "p"\ndescription = 3', "description must be a string"),
    ('name = "p"\ntemplates = 3', 'the pack declares no [templates."FILE"] tables'),
    ('name = "p"\n[templates."../x.j2"]', "template file names use letters, digits"),
    ('name = "p"\n[templates."t.j2"]\nshape = 1', "template t.j2: unknown key(s) shape"),
    ('name = "p"\n[templates."t.j2"]\ncodes = "CO-16"', "codes must be a list of strings"),
    ('name = "p"\n[templates."t.j2"]\ncodes = ["ZZZZZZZZZZ"]', "in codes is not a denial code"),
    ('name = "p"\n[templates."t.j2"]\ncategories = ["misc"]', "is not a category slug"),
    ('name = "p"\n[templates."t.j2"]\nfacts = ["Bad"]', "fact 'Bad' is not a lower_snake_case"),
    ('name = "p"\n[templates."t.j2"]\ngeneric = "yes"', "generic must be true or false"),
    ('name = "p"\n[templates."t.j2"]\ndescription = 1', "description must be a string"),
    ('name = "p"\n[templates."missing.j2"]', "template missing.j2 is declared but missing"),
    ("name = [", "not valid TOML"),
]


@pytest.mark.parametrize(("toml", "message"), PACK_ERRORS, ids=[m for _, m in PACK_ERRORS])
def test_a_broken_pack_toml_is_a_data_error_naming_the_key(
    tmp_path: Path, toml: str, message: str
) -> None:
    (tmp_path / "pack.toml").write_text(toml, "utf-8")
    (tmp_path / "t.j2").write_text("{% block argument %}x{% endblock %}", "utf-8")
    with pytest.raises(DataError, match=r"pack\.toml") as info:
        TemplatePack.from_directory(tmp_path)
    assert message in str(info.value)


# ------------------------------------------------------------------ the money filter

MONEY: list[tuple[object, str]] = [
    (Decimal("48"), "$48.00"),
    (Decimal("1234.5"), "$1,234.50"),
    (Decimal("0.015"), "$0.02"),  # to the cent
    (Decimal("-12.5"), "$-12.50"),
    (48, "$48.00"),
    (1234567, "$1,234,567.00"),
    ("not a number", "not a number"),  # text is shown as it is
]


@pytest.mark.parametrize(("value", "shown"), MONEY, ids=[repr(v) for v, _ in MONEY])
def test_the_money_filter_writes_amounts_to_the_cent(value: object, shown: str) -> None:
    template = StringTemplate(
        "{% block argument %}Billed: {{ amount | money }}.{% endblock %}",
        optional_facts=("amount",),
    )
    claim = example_claim("CCM21").evolve(facts={"amount": value})
    letter = appeal("CCM21", claim, template=template, letter_date=date(2026, 11, 2))
    assert f"Billed: {shown}." in letter.text
