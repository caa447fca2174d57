"""Every CSV denialkit writes is safe to open in a spreadsheet (issue 16, CSV formulas).

A text cell whose first non-blank character is ``= + - @``, or that starts with a tab, CR or
LF, is written with a leading ``'`` (OWASP); numbers are written as numbers, never prefixed.
The hostile values come from ``tests/payloads.py``, shared with the other security tests.
"""

from __future__ import annotations

import csv
import io
import re
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

import payloads
from denialkit import remit
from denialkit._csvsafe import csv_cell, safe_text, write_rows
from denialkit.cli import main
from denialkit.exceptions import X12ParseError

_TRIGGERS = "=+-@＝＋－＠"


_NUMBER = re.compile(r"-?[0-9]+(\.[0-9]+)?")


def inert(cell: str) -> bool:
    """Whether a spreadsheet shows ``cell`` as it is, running nothing (a plain number such
    as ``-20`` is a number, not a formula)."""
    if not cell or cell.startswith("'") or _NUMBER.fullmatch(cell):
        return True
    return not cell.startswith(("\t", "\r", "\n")) and cell.lstrip()[:1] not in _TRIGGERS


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


def parse(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text, newline="")))


# ------------------------------------------------------------------------ the rule


@pytest.mark.parametrize("payload", payloads.CSV_FORMULAS)
def test_every_formula_payload_gets_a_quote(payload: str) -> None:
    assert safe_text(payload) == "'" + payload
    assert csv_cell(payload) == "'" + payload


@pytest.mark.parametrize("payload", payloads.PAYLOADS)
def test_every_payload_comes_back_inert_and_whole(payload: str) -> None:
    out = io.StringIO(newline="")
    write_rows(out, ["value"], [{"value": payload}])
    rows = parse(out.getvalue())
    assert rows[0] == ["value"]
    (cell,) = rows[1]
    assert inert(cell)
    assert cell.removeprefix("'") == payload  # nothing else changed, nothing lost


@pytest.mark.parametrize(
    ("value", "cell"),
    [
        ("CO-45", "CO-45"),  # a minus inside text is fine
        ("PCN1002", "PCN1002"),
        ("", ""),
        (None, ""),
        (Decimal("-2.00"), "-2.00"),  # a number, not a formula
        (Decimal("300"), "300"),
        (-3, "-3"),
        (1.5, "1.5"),
        (True, "True"),
        (date(2026, 4, 17), "2026-04-17"),
        (Decimal("-Infinity"), "'-Infinity"),  # not a finite number: text, so made safe
        (float("nan"), "nan"),
        ("-2.00", "'-2.00"),  # the same characters as text are prefixed
    ],
)
def test_numbers_stay_numbers_and_text_is_checked(value: object, cell: str) -> None:
    assert csv_cell(value) == cell


def test_a_header_is_checked_too() -> None:
    out = io.StringIO(newline="")
    assert write_rows(out, ["=a", "b"], [{"b": 1}, {}]) == 2
    assert parse(out.getvalue()) == [["'=a", "b"], ["", "1"], ["", ""]]


# ------------------------------------------------------------------------ remit --format csv


def _ascii_formulas() -> list[str]:
    # an 835 element holds neither the element separator nor the terminator
    return [p for p in payloads.CSV_FORMULAS if p.isascii() and "*" not in p and "~" not in p]


def _hostile_835(basic: bytes, payload: str) -> bytes:
    value = payload.encode("ascii")
    # CLP01 and CLP07 of the denied claim PCN1002, and the payer's name
    raw = basic.replace(b"CLP*PCN1002*", b"CLP*" + value + b"*")
    raw = raw.replace(b"*ACME26001002*", b"*" + value + b"*")
    return raw.replace(b"N1*PR*ACME HEALTH PLAN~", b"N1*PR*" + value + b"~")


@pytest.mark.parametrize("payload", _ascii_formulas())
def test_remit_csv_never_writes_a_formula(basic: bytes, tmp_path: Path, payload: str) -> None:
    path = tmp_path / "hostile.835"
    path.write_bytes(_hostile_835(basic, payload))
    claim = list(remit.claims(path))[1]
    assert claim.patient_control_number.strip() == payload.strip()  # the payload got in
    code, out, _ = run("remit", str(path), "--format", "csv")
    assert code == 0
    rows = parse(out)
    assert rows[0] == list(remit.COLUMNS)
    assert all(inert(cell) for row in rows for cell in row)
    denied = dict(zip(rows[0], rows[4], strict=True))  # claim PCN1002's CO-197
    assert denied["claim"] == "'" + claim.patient_control_number
    assert denied["payer_claim_number"] == "'" + str(claim.payer_claim_number)
    assert denied["payer"].startswith("'")
    assert denied["amount"] == "300"


def test_negative_amounts_are_numbers(basic: bytes, tmp_path: Path) -> None:
    path = tmp_path / "era.835"
    path.write_bytes(basic)
    _, out, _ = run("remit", str(path), "--format", "csv")
    reversal = [dict(zip(remit.COLUMNS, r, strict=True)) for r in parse(out)[1:]]
    amounts = [r["amount"] for r in reversal if r["claim_status"] == "22"]
    assert amounts and all(a.startswith("-") for a in amounts)  # written as numbers
    assert {r["claim_charge"] for r in reversal if r["claim_status"] == "22"} == {"-190"}


@pytest.mark.parametrize("payload", _ascii_formulas()[:4])
def test_write_csv_and_the_summary_csv(basic: bytes, tmp_path: Path, payload: str) -> None:
    raw = _hostile_835(basic, payload)
    out = io.StringIO(newline="")
    assert remit.write_csv(raw, out) == 18
    rows = parse(out.getvalue())
    assert all(inert(cell) for row in rows for cell in row) and rows[4][4].startswith("'")
    path = tmp_path / "hostile.835"
    path.write_bytes(raw)
    code, text, _ = run("remit", str(path), "--summary", "--format", "csv")
    assert code == 0 and all(inert(cell) for row in parse(text) for cell in row)


# ------------------------------------------------------------------------ codes --format csv


def test_codes_csv_is_inert() -> None:
    code, out, _ = run("codes", "--format", "csv")
    rows = parse(out)
    assert code == 0 and len(rows) > 1000
    assert all(inert(cell) for row in rows for cell in row)


# ------------------------------------------------------------------------ junk


JUNK: list[object] = [None, "", "💥", "\u202e", "x" * 100_000, 3.5, [None], b"", b"\x00" * 10]


@pytest.mark.parametrize("junk", JUNK, ids=range(len(JUNK)))
def test_write_csv_takes_junk_sources(junk: object) -> None:
    with pytest.raises((TypeError, OSError, X12ParseError), match=r"."):
        remit.write_csv(junk, io.StringIO())  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("out", "match"),
    [
        (None, "out must be a text stream with write"),
        ("out.csv", r"out must be a text stream with write\(\), not str"),
        (5, "not int"),
        (io.BytesIO(), "a bytes-like object is required"),
    ],
)
def test_write_csv_needs_a_text_stream(out: object, match: str) -> None:
    with pytest.raises(TypeError, match=match):
        remit.write_csv(remit.sample(), out)  # type: ignore[arg-type]


def test_write_csv_of_no_claims_is_a_header() -> None:
    out = io.StringIO(newline="")
    assert remit.write_csv([], out) == 0
    assert parse(out.getvalue()) == [list(remit.COLUMNS)]
