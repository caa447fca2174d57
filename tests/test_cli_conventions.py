"""One command-line convention (docs/cli.md): every command with each class of bad input exits
with the documented status, names the argument at fault, and never prints a traceback; every
command that offers JSON takes ``--json``; the README's commands work as shown."""

from __future__ import annotations

import io
import json
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

from denialkit import remit
from denialkit.cli import main
from denialkit.letters import example_claim

ROOT = Path(__file__).parent.parent


@pytest.fixture
def files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A working directory with a claim, a letter, a remittance and a directory."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "claim.json").write_text(example_claim("CO-16").to_json(), encoding="utf-8")
    (tmp_path / "letter.txt").write_text("Dear reviewer, please pay.\n", encoding="utf-8")
    (tmp_path / "era.835").write_bytes(remit.sample())
    (tmp_path / "provider.json").write_text(
        json.dumps(json.loads(example_claim("CO-16").to_json())["provider"]), encoding="utf-8"
    )
    (tmp_path / "adir").mkdir()
    # a FHIR R4 record written for the record tests (a complete collaborative-care month)
    bundle = Path(__file__).parent / "record" / "data" / "cocm-bundle.json"
    (tmp_path / "bundle.json").write_bytes(bundle.read_bytes())
    (tmp_path / "record.json").write_bytes(bundle.read_bytes())
    return tmp_path


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


# command -> (the argv of a call that works, the argv parts of each class of bad input)
USAGE = 2
FINDING = 1

# (argv, expected exit status, text the message must contain)
BAD_INPUT: list[tuple[tuple[str, ...], int, str]] = [
    # an unknown option, on every command
    *(
        ((*cmd, "--no-such-option"), USAGE, "--no-such-option")
        for cmd in (
            ("lookup", "16"),
            ("explain", "CO-16"),
            ("search", "x"),
            ("codes",),
            ("appeal", "CO-16", "--example"),
            ("example-claim", "CO-16"),
            ("claim-schema",),
            ("templates", "list"),
            ("templates", "show", "generic"),
            ("validate", "letter.txt"),
            ("remit", "era.835"),
            ("record", "facts", "record.json"),
        )
    ),
    # a missing argument
    (("lookup",), USAGE, "code"),
    (("explain",), USAGE, "codes"),
    (("search",), USAGE, "text"),
    (("appeal", "CO-16"), USAGE, "--claim"),
    (("example-claim",), USAGE, "code"),
    (("templates", "show"), USAGE, "name"),
    (("validate",), USAGE, "FILE"),
    (("remit",), USAGE, "FILE"),
    (("record", "facts"), USAGE, "FILE"),
    # an option out of range or of the wrong kind
    (("search", "x", "--limit", "0"), USAGE, "--limit"),
    (("search", "x", "--limit", "many"), USAGE, "--limit"),
    (("lookup", "16", "--on", "2025-02-29"), USAGE, "--on"),
    (("explain", "CO-16", "--on", "soon"), USAGE, "--on"),
    (("codes", "--system", "ICD"), USAGE, "--system"),
    (("codes", "--format", "xml"), USAGE, "--format"),
    (("codes", "--active-on", "x"), USAGE, "--active-on"),
    (("appeal", "CO-16", "--example", "--level", "9"), USAGE, "--level"),
    (("appeal", "CO-16", "--example", "--level", "3"), USAGE, "--level"),  # 2 commercial levels
    (("appeal", "CO-16", "--example", "--width", "0"), USAGE, "--width"),
    (("appeal", "CO-16", "--example", "--date", "2026-13-01"), USAGE, "--date"),
    (("appeal", "CO-16", "--example", "--format", "rtf"), USAGE, "--format"),
    (("appeal", "CO-16", "--example", "--format", "docx"), USAGE, "-o PATH"),
    (("validate", "letter.txt", "--disable", "DK999"), USAGE, "--disable"),
    (("remit", "era.835", "--format", "pdf"), USAGE, "--format"),
    (("remit", "era.835", "--appeals", "out"), USAGE, "--provider"),
    (("record", "facts", "record.json", "--month", "2026-13"), USAGE, "--month"),
    # a missing or unreadable file (a directory is not a file)
    (("appeal", "CO-16", "--claim", "nope.json"), USAGE, "--claim"),
    (("appeal", "CO-16", "--claim", "adir"), USAGE, "--claim"),
    (("appeal", "CO-16", "--example", "--templates-dir", "nope"), USAGE, "--templates-dir"),
    (("templates", "list", "--templates-dir", "nope"), USAGE, "--templates-dir"),
    (("validate", "nope.txt"), USAGE, "FILE"),
    (("validate", "adir"), USAGE, "FILE"),
    (("validate", "letter.txt", "--claim", "nope.json"), USAGE, "--claim"),
    (("remit", "nope.835"), USAGE, "FILE"),
    (("remit", "adir"), USAGE, "FILE"),
    (("remit", "nope.835", "--summary"), USAGE, "FILE"),
    (("remit", "nope.835", "--appeals", "out", "--provider", "provider.json"), USAGE, "FILE"),
    (("remit", "era.835", "--appeals", "out", "--provider", "nope.json"), USAGE, "provider"),
    (("record", "facts", "nope.json"), USAGE, "FILE"),
    (("record", "facts", "record.json", "--claim", "nope.json"), USAGE, "--claim"),
    # a file that is there but is not what it should be
    (("remit", "letter.txt"), FINDING, "not an X12 file"),
    (("record", "facts", "letter.txt"), FINDING, "not valid JSON"),
    # text that is not a code at all, and codes that are not known
    (("lookup", "!!"), USAGE, "CODE"),
    (("lookup", "XYZ123"), FINDING, "XYZ123"),
    (("lookup", "CO-999"), FINDING, "did you mean"),
    (("explain", "CO-16", "FOO"), USAGE, "argument 2 (a remark code), 'FOO'"),
    (("explain", "CO-16", "N999"), FINDING, "argument 2 (a remark code), 'N999'"),
    (("explain", "ZZZ"), USAGE, "argument 1 (the reason code), 'ZZZ'"),
    (("explain", "\u202e💥"), USAGE, "argument 1 (the reason code), the text given"),
    (("example-claim", "CO-999"), FINDING, "no bundled example"),
    (("appeal", "XYZ123", "--claim", "claim.json"), FINDING, "XYZ123"),
    (("templates", "show", "no-such-template"), FINDING, "no template named"),
    (("record", "facts", "record.json", "--code", "XYZ123"), FINDING, "--code"),
    (("record", "facts", "record.json", "--code", "!!"), USAGE, "--code"),
]


@pytest.mark.parametrize(("argv", "status", "says"), BAD_INPUT, ids=lambda v: repr(v)[:60])
def test_bad_input_exits_with_the_documented_status(
    files: Path, argv: tuple[str, ...], status: int, says: str
) -> None:
    code, _, err = run(*argv)
    assert code == status, err
    assert "Traceback" not in err
    assert says in err
    assert err.startswith("denialkit")
    assert len(err.strip().splitlines()) <= 3  # a message, not a dump


def test_no_traceback_from_the_entry_point(files: Path) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "denialkit", "explain", "CO-16", "FOO"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == USAGE
    assert "Traceback" not in proc.stderr and "FOO" in proc.stderr


# ------------------------------------------------------------------------ --format / --json


@pytest.mark.parametrize(
    "argv",
    [
        ("lookup", "CO-16"),
        ("explain", "CO-16", "N290"),
        ("search", "timely"),
        ("codes",),
        ("templates", "list"),
        ("appeal", "CO-16", "N290", "--example", "--date", "2026-11-02"),
        ("validate", "letter.txt"),
        ("remit", "era.835"),
        ("remit", "era.835", "--summary"),
        ("record", "facts", "record.json"),
    ],
)
def test_json_is_the_alias_of_format_json(files: Path, argv: tuple[str, ...]) -> None:
    a = run(*argv, "--json")
    b = run(*argv, "--format", "json")
    assert a[0] == b[0]
    assert a[0] in (0, 1)  # validate finds errors in a two-line letter
    assert a[1] == b[1]
    json.loads(a[1])


# ------------------------------------------------------------------------ suggestions


def test_suggestions_are_close_and_of_the_same_system() -> None:
    _, _, err = run("lookup", "XYZ123")
    assert "did you mean" not in err
    _, _, err = run("lookup", "N813")
    assert "did you mean N812, N811, N815?" in err
    _, _, err = run("lookup", "CMM21")
    assert "did you mean CCM21" in err


# ------------------------------------------------------------------------ counts


def test_counts_are_in_the_right_number(files: Path) -> None:
    _, _, err = run("codes", "--system", "GROUP")
    assert err.strip() == "5 codes"
    _, _, err = run("remit", "era.835")
    assert err.strip() == "18 adjustments"
    code, _, err = run("remit", "era.835", "--appeals", "out", "--provider", "provider.json")
    assert code == 0, err
    assert re.search(r"wrote \d+ letters? \(text\)", err)
    wrong = re.findall(r"\b1 (letters|claims|codes|adjustments|templates|packs)\b", err)
    assert wrong == []
    assert not re.search(r"\b1 letter lack\b|\b1 claim that need\b", err)
    counted = re.findall(
        r"\b(\d+) (letter lacks|letters lack|claim that needs|claims that need)", err
    )
    assert len(counted) == 2, err
    for n, words in counted:
        assert (n == "1") == (words.split()[0] in ("letter", "claim")), err


def test_table_amounts_are_to_the_cent(files: Path) -> None:
    _, out, _ = run("remit", "era.835")
    header, *rows = out.splitlines()
    at = header.index("amount")  # the column is right-aligned, as wide as its name's column
    amounts = [row[at : header.index("category")].strip() for row in rows if row.strip()]
    assert amounts and all(re.fullmatch(r"-?[\d,]+\.\d\d", a) for a in amounts), amounts


# ------------------------------------------------------------------------ the README


def _readme_commands() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text[text.index("## On the command line") :]
    block = re.search(r"```sh\n(.*?)```", section, re.S)
    assert block is not None
    return [line.split("  #")[0].strip() for line in block.group(1).splitlines() if line.strip()]


def test_every_readme_command_works(files: Path) -> None:
    commands = _readme_commands()
    assert len(commands) >= 8
    for line in commands:
        argv = shlex.split(line)
        assert argv[0] == "denialkit"
        target = None
        if ">" in argv:
            argv, target = argv[: argv.index(">")], argv[argv.index(">") + 1]
        code, out, err = run(*argv[1:])
        assert code == 0, f"{line}: {err}"
        if target is not None:
            (files / target).write_text(out, encoding="utf-8")
