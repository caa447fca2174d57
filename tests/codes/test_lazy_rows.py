"""The default table decodes a shipped row on first use (issue 11, point 8).

``open_builtin`` checks every file's checksum, header and code index when the table opens,
and decodes a row only when it is asked for; ``load_builtin`` decodes and checks every row
at once. Both must give the same codes, and a broken row must still be a ``DataError``
naming its file and row: at the latest when that row is read.
"""

from __future__ import annotations

import json
import subprocess
import sys
import zlib
from pathlib import Path

import pytest

import denialkit
from denialkit import CodeTable, DataError
from denialkit._compat import files
from denialkit._tables import TABLE_FILES, load_builtin, open_builtin


def _copy_data(tmp_path: Path) -> Path:
    src = files("denialkit._data")
    out = tmp_path / "data"
    out.mkdir()
    for name in ("manifest.json", *TABLE_FILES):
        (out / name).write_bytes(src.joinpath(name).read_bytes())
    return out


def _resign(data: Path, name: str, raw: bytes) -> None:
    """Write ``raw`` as the table ``name`` and record its checksum, as a broken build would."""
    (data / name).write_bytes(raw)
    manifest = json.loads((data / "manifest.json").read_text("utf-8"))
    manifest["outputs"][name]["crc32"] = zlib.crc32(raw)
    (data / "manifest.json").write_text(json.dumps(manifest), "utf-8")


def _lazy(data: Path | None = None) -> CodeTable:
    rows, release = open_builtin(data)
    return CodeTable._from_rows(rows, release=release)


def _row_line(raw: bytes, code: str) -> tuple[int, bytes]:
    """The row number and the line of ``code`` in a shipped table."""
    lines = raw.split(b"\n")[1:]
    for n, line in enumerate(lines, start=1):
        if line.startswith(b'["' + code.encode() + b'",'):
            return n, line
    raise AssertionError(code)


def test_the_lazy_table_holds_exactly_what_the_full_decode_gives() -> None:
    codes, release = load_builtin()
    table = _lazy()
    assert table.release == release
    assert len(table) == len(codes) == 1658
    assert [(c.key, c) for c in table] == [(c.key, c) for c in codes]
    assert repr(table) == repr(CodeTable(codes, release=release))


def test_lookups_on_a_lazy_table_match_the_full_decode() -> None:
    full = CodeTable(load_builtin()[0])
    lazy = _lazy()
    for text in ("CO-16", "PR-1", "OA-96", "CO-29", "N290", "MA130", "CCM21", "CO", "ma01"):
        assert lazy.lookup(text) == full.lookup(text), text
        assert lazy.lookup(text).advice() == full.lookup(text).advice(), text
    assert lazy.lookup("N290") is lazy.lookup("n290")  # a row is decoded once
    assert lazy.group("PR") == full.group("PR")
    assert lazy.get("CO-999") is None


def test_the_default_table_is_lazy_and_complete() -> None:
    code = (
        "import denialkit\n"
        "from denialkit._tables import load_builtin\n"
        "denialkit.lookup('CO-16')\n"
        "print(list(denialkit.default_table()) == load_builtin()[0])\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "True"
    assert denialkit.lookup("CO-16").knowledge is not None


def test_dates_are_datetime_dates() -> None:
    import datetime
    import pickle

    code = denialkit.lookup("CO-15")
    assert type(code.start) is datetime.date and type(code.stop) is datetime.date
    assert pickle.loads(pickle.dumps(code)) == code
    assert code.is_active(datetime.date(2017, 1, 1))


def test_a_broken_row_is_a_data_error_when_it_is_read(tmp_path: Path) -> None:
    # a same-length edit keeps the row index right; the manifest is re-signed, so only
    # decoding the row can find it
    data = _copy_data(tmp_path)
    raw = (data / "carc.json").read_bytes()
    n, line = _row_line(raw, "4")
    assert b'"1995-01-01"' in line
    _resign(data, "carc.json", raw.replace(line, line.replace(b"1995-01-01", b"1995-02-30")))
    table = _lazy(data)
    assert table.lookup("CO-16").code == "16"  # other rows are unaffected
    with pytest.raises(DataError, match=rf"carc\.json, row {n}: a date is not a valid ISO date"):
        table.lookup("CO-4")
    with pytest.raises(DataError, match=rf"carc\.json, row {n}"):
        list(_lazy(data))  # anything that reads every code reads that row
    with pytest.raises(DataError, match=rf"carc\.json, row {n}"):
        load_builtin(data)  # the full decode finds it when the table opens


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (lambda line: line.replace(b'"4",', b'"X",', 1), "not the one the index gives"),
        (lambda line: line.replace(b"[", b"{", 1), "not valid JSON"),
        (lambda line: line[:-1] + b" ", "does not end where the table's index says"),
    ],
)
def test_a_row_that_does_not_fit_its_index_names_file_and_row(
    tmp_path: Path, edit: object, message: str
) -> None:
    data = _copy_data(tmp_path)
    raw = (data / "carc.json").read_bytes()
    n, line = _row_line(raw, "4")
    _resign(data, "carc.json", raw.replace(line, edit(line)))  # type: ignore[operator]
    table = _lazy(data)
    with pytest.raises(DataError, match=rf"carc\.json, row {n}: .*{message}") as info:
        table.lookup("CO-4")
    assert (info.value.file, info.value.row) == ("carc.json", n)


def test_a_changed_table_fails_its_checksum_before_anything_reads_it(tmp_path: Path) -> None:
    data = _copy_data(tmp_path)
    raw = (data / "carc.json").read_bytes().replace(b'"current"', b'"curren "', 1)
    (data / "carc.json").write_bytes(raw)
    table = _lazy(data)  # the group table is read (and checked) as the table opens
    for read in (lambda: table.lookup("CO-16"), lambda: table.get("N290"), lambda: len(table)):
        with pytest.raises(DataError, match=r"carc\.json.*checksum"):
            read()


def test_a_changed_table_is_checked_when_a_lookup_first_reaches_it(tmp_path: Path) -> None:
    data = _copy_data(tmp_path)
    raw = (data / "rarc.json").read_bytes().replace(b'"current"', b'"curren "', 1)
    (data / "rarc.json").write_bytes(raw)
    table = _lazy(data)
    assert table.lookup("CO-16").code == "16"  # the group and CARC tables are intact
    with pytest.raises(DataError, match=r"rarc\.json.*checksum"):
        table.lookup("N290")
    with pytest.raises(DataError, match=r"rarc\.json.*checksum"):
        list(table)


@pytest.mark.parametrize("where", ["header", "index"])
def test_a_changed_header_is_reported_as_a_checksum_failure(tmp_path: Path, where: str) -> None:
    data = _copy_data(tmp_path)
    raw = (data / "rarc.json").read_bytes()
    head, _, rest = raw.partition(b"\n")
    if where == "header":
        head = head.replace(b'"system"', b'"systen"', 1)  # no longer a code table
    else:  # a well-formed index whose first code is now also a CARC: a clash
        codes = head.partition(b'"row_codes":"')[2].partition(b'"')[0].split(b" ")
        carc = (data / "carc.json").read_bytes().partition(b'"row_codes":"')[2]
        clash = next(c for c in carc.split(b" ") if len(c) == len(codes[0]))
        head = head.replace(b'"row_codes":"' + codes[0], b'"row_codes":"' + clash, 1)
    (data / "rarc.json").write_bytes(head + b"\n" + rest)
    with pytest.raises(DataError, match=r"rarc\.json.*checksum"):
        open_builtin(data)


def test_a_table_without_the_row_index_is_decoded_whole(tmp_path: Path) -> None:
    data = _copy_data(tmp_path)
    doc = json.loads((data / "rarc.json").read_text("utf-8"))
    _resign(data, "rarc.json", json.dumps(doc).encode())  # one line: no row index to use
    assert list(_lazy(data)) == load_builtin()[0]
    doc["rows"][3][0] = doc["rows"][2][0]
    _resign(data, "rarc.json", json.dumps(doc).encode())
    with pytest.raises(DataError, match=r"rarc\.json, row 4: code \S+ appears twice"):
        open_builtin(data)


def test_an_index_that_lists_a_code_twice_is_not_trusted(tmp_path: Path) -> None:
    data = _copy_data(tmp_path)
    raw = (data / "carc.json").read_bytes()
    head, rest = raw.split(b"\n", 1)
    assert b'"row_codes":"1 2 ' in head
    _resign(
        data, "carc.json", head.replace(b'"row_codes":"1 2 ', b'"row_codes":"1 1 ') + b"\n" + rest
    )
    assert list(_lazy(data)) == load_builtin()[0]  # the rows are decoded whole instead


def test_a_code_in_two_tables_is_found_when_the_table_opens(tmp_path: Path) -> None:
    data = _copy_data(tmp_path)
    raw = (data / "rarc.json").read_bytes()
    head, rest = raw.split(b"\n", 1)
    first = json.loads(head + b"]}")["row_codes"].split(" ")[0].encode()
    # the index now files RARC's first row under a CARC code
    index = b'"row_codes":"' + first + b" "
    _resign(data, "rarc.json", head.replace(index, b'"row_codes":"16 ', 1) + b"\n" + rest)
    with pytest.raises(DataError, match=r"rarc\.json, row 1: code 16 is also defined"):
        open_builtin(data)


def test_advice_records_are_created_on_first_use_under_their_public_name() -> None:
    code = (
        "import sys, pickle, denialkit\n"
        "denialkit.lookup('CO-16'); denialkit.lookup('PR-16'); denialkit.lookup('N290')\n"
        "print('denialkit._advice' in sys.modules, 'Advice' in dir(denialkit.codes))\n"
        "from denialkit.codes import Advice, PlanRule, Service\n"
        "adv = denialkit.lookup('CO-1').advice()\n"
        "print(type(adv) is Advice, pickle.loads(pickle.dumps(adv)) == adv)\n"
        "print([c.__module__ + '.' + c.__qualname__ for c in (Advice, PlanRule, Service)])\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.splitlines()
    assert out == [
        "False True",  # not created yet, yet listed by dir() (autodoc and completion use it)
        "True True",
        "['denialkit.codes.Advice', 'denialkit.codes.PlanRule', 'denialkit.codes.Service']",
    ]
    with pytest.raises(AttributeError, match="no_such_name"):
        denialkit.codes.no_such_name  # type: ignore[attr-defined]


def test_lookups_of_shipped_codes_never_read_plugin_entry_points() -> None:
    # the module functions once asked the default table for its truth value, which counted
    # every code: it decoded every row and loaded the plugin code sets on the second call
    code = (
        "import sys, denialkit\n"
        "for text in ('CO-16', 'CO-16', 'PR-16', 'N290'):\n"
        "    denialkit.lookup(text)\n"
        "denialkit.get('MA130')\n"
        "print('importlib.metadata' in sys.modules)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.split()
    assert out == ["False"]


def test_row_offsets_that_are_not_numbers_fail_when_a_row_is_read(tmp_path: Path) -> None:
    data = _copy_data(tmp_path)
    raw = (data / "group.json").read_bytes()
    head, rest = raw.split(b"\n", 1)
    offsets = json.loads(head + b"]}")["row_offsets"].split(" ")
    bad = " ".join([offsets[0], "x", *offsets[2:]]).encode()
    _resign(data, "group.json", head.replace(" ".join(offsets).encode(), bad) + b"\n" + rest)
    with pytest.raises(DataError, match=r"group\.json: the table's row offsets are not numbers"):
        _lazy(data)  # the table reads the group codes when it opens


def test_the_tables_are_read_from_a_zipped_package(tmp_path: Path) -> None:
    # a wheel unpacked into a zip: the tables are read through the package's loader
    import zipfile

    archive = tmp_path / "denialkit.zip"
    root = Path(denialkit.__file__).parent
    with zipfile.ZipFile(archive, "w") as z:
        for path in sorted(root.rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                z.write(path, str(Path("denialkit") / path.relative_to(root)))
    code = (
        "import sys; sys.path.insert(0, sys.argv[1])\n"
        "import denialkit\n"
        "print(denialkit.__spec__.loader.__class__.__name__, denialkit.lookup('CO-16').key)\n"
        "print(len(denialkit.default_table()))\n"
    )
    out = subprocess.run(
        [sys.executable, "-I", "-c", code, str(archive)], capture_output=True, text=True
    )
    assert out.stdout.split() == ["zipimporter", "CO-16", "1658"], out.stderr


def test_a_code_looked_up_with_a_group_carries_that_groups_advice() -> None:
    # with_group() reads the advice without making an Advice; it must agree with advice()
    carcs = [c for c in denialkit.default_table() if c.system.value == "CARC"]
    assert len(carcs) == 407
    for code in carcs:
        for group in ("CO", "PR", "OA", "PI", "CR"):
            grouped = denialkit.lookup(f"{group}-{code.code}")
            adv = code.advice(group)
            assert (
                grouped.action,
                grouped.action_reason,
                grouped.appealable,
                grouped.appeal_reason,
            ) == (adv.action, adv.action_reason, adv.appealable, adv.appeal_reason), grouped.key
            assert grouped.advice() == adv


def test_code_values_live_in_denialkit_codes_for_pickles_and_docs() -> None:
    # the values are defined in denialkit._code (so that the table loader need not import
    # denialkit.codes), but a pickle written by this version must name the public module, and
    # a pickle naming denialkit.codes must load: users keep pickled codes between versions
    import pickle
    import pickletools

    import denialkit.codes as codes

    code = denialkit.lookup("CO-16")
    data = pickle.dumps((code, code.system, denialkit.parse("N290")))
    names = {str(arg) for op, arg, _ in pickletools.genops(data) if op.name == "SHORT_BINUNICODE"}
    assert "denialkit.codes" in names and "denialkit._code" not in names
    assert pickle.loads(data) == (code, code.system, denialkit.parse("N290"))
    for name in ("DenialCode", "CodeRef", "CodeSystem", "Category", "parse"):
        assert getattr(codes, name).__module__ == "denialkit.codes"
    assert codes.DenialCode.advice.__module__ == "denialkit.codes"  # doctest finds it there
