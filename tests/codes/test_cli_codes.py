"""The ``denialkit`` command line for codes: lookup, explain, search, codes."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys

import pytest

from denialkit.cli import main


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


def test_lookup_prints_meaning_advice_and_knowledge() -> None:
    code, out, err = run("lookup", "CO-16")
    assert code == 0
    assert out.startswith("CO-16  CARC")
    assert "Next step: Correct and resubmit" in out
    assert "Common causes:" in out
    assert err == ""


def test_lookup_on_a_date() -> None:
    assert "On 2020-01-01: NOT active." in run("lookup", "15", "--on", "2020-01-01")[1]
    assert "On 2017-01-01: active." in run("lookup", "15", "--on", "2017-01-01")[1]


def test_lookup_json_is_machine_readable() -> None:
    code, out, _ = run("lookup", "co16", "--json", "--on", "2026-01-05")
    assert code == 0
    data = json.loads(out)
    assert data["key"] == "CO-16"
    assert data["active_on"] == {"date": "2026-01-05", "active": True}
    assert data["knowledge"]["evidence"]


def test_unknown_code_exits_1_with_suggestions_on_stderr() -> None:
    code, out, err = run("lookup", "CO-999")
    assert code == 1
    assert out == ""
    assert "did you mean" in err


@pytest.mark.parametrize(
    "argv",
    [
        ("lookup",),
        ("lookup", "CO-"),
        ("lookup", "16", "--on", "2025-02-29"),
        ("search", "x", "--limit", "0"),
        ("codes", "--system", "ICD"),
        ("nonsense",),
        (),
    ],
)
def test_usage_errors_exit_2(argv: tuple[str, ...]) -> None:
    code, out, err = run(*argv)
    assert code == 2
    assert out == ""
    assert err


def test_explain_command() -> None:
    code, out, _ = run("explain", "CO-16", "N290", "--on", "2026-01-05")
    assert code == 0
    assert out.startswith("CO-16 N290")
    assert "Next step:" in out
    code, out, _ = run("explain", "CO-16", "N290", "--json")
    assert json.loads(out)["remarks"] == ["N290"]
    assert run("explain", "N290")[0] == 2  # a RARC where the reason code belongs
    assert run("explain", "CO-999")[0] == 1


def test_search_command() -> None:
    code, out, _ = run("search", "prior authorization", "--limit", "3")
    assert code == 0
    lines = out.splitlines()
    assert len(lines) == 3
    assert lines[0].startswith("197 ")
    assert json.loads(run("search", "duplicate", "--json")[1])[0]["code"] == "18"


def test_codes_command_formats() -> None:
    code, out, err = run("codes", "--system", "group")
    assert code == 0
    assert [line.split()[0] for line in out.splitlines()] == ["CO", "CR", "OA", "PI", "PR"]
    assert "5 codes" in err
    rows = list(
        csv.DictReader(
            io.StringIO(run("codes", "--category", "authorization", "--format", "csv")[1])
        )
    )
    assert rows and all(r["category"] == "authorization" for r in rows)
    data = json.loads(
        run("codes", "--system", "CARC", "--active-on", "2026-01-01", "--format", "json")[1]
    )
    assert len(data) == 297


def test_python_dash_m_and_version() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "denialkit", "lookup", "N290"], capture_output=True, text=True
    )
    assert result.returncode == 0
    assert result.stdout.startswith("N290  RARC")
    assert run("--version")[1].startswith("denialkit ")


@pytest.mark.parametrize("argv", [["--help"], ["lookup", "--help"], ["remit", "-h"]])
def test_help_goes_to_the_stdout_main_was_given(
    argv: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(*argv)
    assert code == 0
    assert out.startswith("usage: denialkit")
    assert err == ""
    assert capsys.readouterr().out == ""  # nothing leaked to the process's own stdout
