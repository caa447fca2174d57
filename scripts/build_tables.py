"""Build denialkit's shipped code tables.

Inputs: the published code facts in ``../shared/data/`` (values, statuses, dates, group-code
limits) and the project's own knowledge files in ``knowledge/`` (summaries, categories,
advice, rich entries). Output: ``src/denialkit/_data/*.json`` and ``manifest.json`` (the
source, list releases, row counts and the sha256 of every input and output).

Usage::

    python scripts/build_tables.py            # build into src/denialkit/_data
    python scripts/build_tables.py --check    # exit 1 when the committed tables are stale
    python scripts/build_tables.py --out DIR  # build elsewhere (used by the tests)

The official X12 description text is read only to derive two facts (whether a CARC requires a
remark code) and is never written to the output.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import re
import sys
import tomllib
import zlib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
# the column order is the loader's contract: take it from the package source itself
sys.path.insert(1, str(Path(__file__).resolve().parent.parent / "src"))

import check_knowledge as ck

from denialkit._care_minutes import MINUTES
from denialkit._tables import _COLUMNS as COLUMNS

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATA = ROOT.parent / "shared" / "data"
DEFAULT_OUT = ROOT / "src" / "denialkit" / "_data"
KNOWLEDGE = ROOT / "knowledge"

#: List releases, as ../shared/data/README.md states them.
RELEASES = {
    "group": "2026-05",
    "carc": "2025-11-01",
    "rarc": "2026-08-17",
    "care-management": "2026",
    # the revision of our own knowledge files (summaries, advice), named in the CHANGELOG
    "knowledge": "2026-12-07",
}
SOURCE = (
    "Code values, statuses, dates and group-code limits: X12 CARC list of 2025-11-01 and "
    "RARC list of 2026-08-17 as collected in denialkit's reference data; care-management code "
    "ids and titles from a published documentation-denial catalogue. Summaries, categories, "
    "advice and knowledge: written by the denialkit project (knowledge/*.toml)."
)
REMARK_REQUIRED = re.compile(r"at least one remark code must be provided", re.I)
#: "Use only with Group Code OA except where state workers' compensation regulations
#: requires CO" (CARC 18): the excepted group is allowed too, as the list says.
GROUP_EXCEPTION = re.compile(r"except where [^()]*? requires? (CO|PR|OA|PI)\b")


#: "{full:99492}" or "{least:99492}" in a knowledge text: a figure from the one minutes table.
MINUTE_FIGURE = re.compile(r"\{(full|least):([0-9A-Z]{5})\}")


def fill_minutes(value: Any) -> Any:
    """Fill the minute placeholders of a knowledge value from ``denialkit._care_minutes``."""
    if isinstance(value, str):

        def figure(m: re.Match[str]) -> str:
            rule = MINUTES.get(m.group(2))
            if rule is None:
                raise BuildError(f"{m.group(0)}: {m.group(2)} is not in the minutes table")
            return str(getattr(rule, m.group(1)))

        return MINUTE_FIGURE.sub(figure, value)
    if isinstance(value, list):
        return [fill_minutes(v) for v in value]
    if isinstance(value, dict):
        return {k: fill_minutes(v) for k, v in value.items()}
    return value


class BuildError(Exception):
    """A source file is wrong; the message names the file and line."""


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _line_of(text: str, code: str, field: str | None = None) -> int:
    """The line of an entry's table header (or of a field within it) in a TOML file."""
    lines = text.splitlines()
    header = re.compile(r'^\s*\[\s*"?' + re.escape(code) + r'"?\s*\]')
    for i, line in enumerate(lines):
        if header.match(line):
            if field is None:
                return i + 1
            for j in range(i + 1, len(lines)):
                if lines[j].lstrip().startswith("["):
                    break
                if re.match(r"^\s*" + re.escape(field) + r"\s*=", lines[j]):
                    return j + 1
            return i + 1
    return 1


def load_knowledge(
    folder: Path, codes: set[str], index: ck.CopyIndex
) -> tuple[dict[str, dict[str, Any]], list[Path]]:
    """Read and check every TOML file in ``folder``; raise BuildError with file:line."""
    merged: dict[str, dict[str, Any]] = {}
    where: dict[str, Path] = {}
    paths = sorted(folder.glob("*.toml"))
    for path in paths:
        text = path.read_text("utf-8")
        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            raise BuildError(f"{path}: {exc}") from None
        problems = ck.check_file(path, codes, index)
        if problems:
            first = problems[0]
            # "FILE: CODE: message" -> name the line of the entry (and field when named)
            parts = first.split(": ", 2)
            code = parts[1] if len(parts) > 2 else ""
            m = re.search(r"field\(?s?\)? \[?'?([a-z_]+)", parts[-1])
            line = _line_of(text, code, m.group(1) if m else None)
            more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
            raise BuildError(f"{path}:{line}: {parts[-1]} [{code}]{more}")
        for code, entry in data.items():
            if code in merged:
                raise BuildError(
                    f"{path}:{_line_of(text, code)}: {code} is also defined in {where[code]}"
                )
            merged[code] = entry
            where[code] = path
    return merged, paths


def _read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def _advice(entry: Mapping[str, Any]) -> dict[str, Any]:
    out = {
        k: entry[k]
        for k in ("summary", "category", "action", "action_reason", "appealable", "appeal_reason")
    }
    if entry.get("groups"):
        base = {k: entry[k] for k in ("action", "action_reason", "appealable", "appeal_reason")}
        out["groups"] = {g: {**base, **over} for g, over in sorted(entry["groups"].items())}
    if entry.get("plans"):
        out["plans"] = {p: dict(rule) for p, rule in sorted(entry["plans"].items())}
    return out


def _row(
    code: str,
    facts: Mapping[str, Any],
    knowledge: Mapping[str, dict[str, Any]],
    rich: Mapping[str, dict[str, Any]],
    missing: list[str],
) -> dict[str, Any] | None:
    entry = knowledge.get(code)
    if entry is None:
        missing.append(code)
        return None
    row: dict[str, Any] = {"code": code}
    row.update({k: v for k, v in facts.items() if v not in (None, "", False, [])})
    row.update(_advice(entry))
    if code in rich:
        row["knowledge"] = fill_minutes(rich[code])
    return row


def build(data_dir: Path, out_dir: Path, *, allow_missing: bool = False) -> dict[str, Any]:
    """Build every table into ``out_dir``; return the manifest."""
    texts = ck.official_texts(data_dir)
    codes = ck.known_codes(data_dir)
    index = ck.CopyIndex(texts)
    knowledge, kpaths = load_knowledge(KNOWLEDGE / "codes", codes, index)
    rich, rpaths = load_knowledge(KNOWLEDGE / "rich", codes, index)
    for code in rich:
        if code not in knowledge:
            raise BuildError(f"knowledge/rich: {code} has a rich entry but no codes/ entry")
    missing: list[str] = []
    tables: dict[str, dict[str, Any]] = {}

    # group codes
    groups = json.loads((data_dir / "claim_adjustment_group_codes.json").read_text("utf-8"))
    rows = []
    for g in groups["codes"]:
        r = _row(g["code"], {"title": g["x12_name"]}, knowledge, rich, missing)
        if r:
            rows.append(r)
    tables["group.json"] = {"code_set": "group", "system": "GROUP", "rows": rows}

    # CARC
    rows = []
    for rec in _read_csv(data_dir / "carc.csv"):
        limit = re.findall(r"\b(CO|PR|OA|PI|CR)\b", rec["group_code_restriction"] or "")
        if limit:
            limit += GROUP_EXCEPTION.findall(rec["description"])
        facts = {
            "status": rec["status"],
            "start": rec["start_date"],
            "last_modified": rec["last_modified_date"],
            "stop": rec["stop_date"],
            "group_limit": sorted(set(limit)),
            "requires_remark": bool(REMARK_REQUIRED.search(rec["description"])),
        }
        r = _row(rec["code"], facts, knowledge, rich, missing)
        if r:
            rows.append(r)
    tables["carc.json"] = {"code_set": "carc", "system": "CARC", "rows": rows}

    # RARC
    rows = []
    for rec in _read_csv(data_dir / "rarc.csv"):
        facts = {
            "status": rec["status"],
            "start": rec["start_date"],
            "last_modified": rec["last_modified_date"],
            "stop": rec["stop_date"],
            "is_alert": rec["is_alert"] == "True",
        }
        r = _row(rec["code"], facts, knowledge, rich, missing)
        if r:
            rows.append(r)
    tables["rarc.json"] = {"code_set": "rarc", "system": "RARC", "rows": rows}

    # care-management family
    cm = json.loads((data_dir / "care_management_codes.json").read_text("utf-8"))
    rows = []
    for rec in cm["codes"]:
        r = _row(rec["code"], {"title": rec["title"]}, knowledge, rich, missing)
        if r:
            rows.append(r)
    tables["care-management.json"] = {
        "code_set": "care-management",
        "system": "EXTENSION",
        "rows": rows,
    }

    extra = sorted(set(knowledge) - codes)
    if extra:
        raise BuildError(f"knowledge/codes: entries for codes not in the data: {extra[:10]}")
    if missing and not allow_missing:
        raise BuildError(
            f"{len(missing)} code(s) have no entry in knowledge/codes/*.toml: {missing[:20]}"
        )

    out_dir.mkdir(parents=True, exist_ok=True)
    outputs: dict[str, Any] = {}
    for name, doc in tables.items():
        doc["release"] = RELEASES[doc["code_set"]]
        # columnar rows: one list per code in COLUMNS order (compact and fast to decode)
        doc["columns"] = list(COLUMNS)
        doc["rows"] = [[r.get(c) for c in COLUMNS] for r in doc["rows"]]
        path = out_dir / name
        path.write_text(_table_text(doc), encoding="utf-8")
        outputs[name] = {
            "rows": len(doc["rows"]),
            "sha256": _sha(path),
            "crc32": zlib.crc32(path.read_bytes()),
        }

    inputs = {
        f"shared/data/{p.name}": _sha(p)
        for p in sorted(data_dir.glob("*"))
        if p.suffix in {".csv", ".json"}
    }
    for p in kpaths + rpaths:
        inputs[str(p.relative_to(ROOT))] = _sha(p)
    minutes = ROOT / "src" / "denialkit" / "_care_minutes.py"  # the minute figures' one table
    inputs[str(minutes.relative_to(ROOT))] = _sha(minutes)
    manifest = {
        "source": SOURCE,
        "releases": RELEASES,
        "inputs": inputs,
        "outputs": outputs,
        "quirks": ["CARC 239 and RARC N127: last_modified before start, kept as published"],
    }
    (out_dir / "manifest.json").write_text(
        json.dumps(manifest, indent=1, sort_keys=True) + "\n", encoding="utf-8"
    )
    return manifest


def _dumps(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def _table_text(doc: Mapping[str, Any]) -> str:
    """One table as JSON laid out for the loader's row index (``_tables.open_builtin``).

    The first line holds every key but ``rows`` (sorted), with two more: ``row_codes``, the
    code of each row in order, and ``row_offsets``, where each row starts in the bytes after
    the first line, plus where the last one ends (each a string of values separated by one
    space, which decodes faster than a JSON list). The line ends by opening ``"rows":[``;
    then come the rows, one a line (each but the last followed by a comma; JSON escapes every
    newline inside a value), and ``]}``. The whole text is one JSON document, and the loader
    can find a row by its code and decode that row alone.
    """
    rows = [_dumps(row) for row in doc["rows"]]
    offsets = [0]
    for n, row in enumerate(rows, start=1):
        offsets.append(offsets[-1] + len(row.encode()) + (2 if n < len(rows) else 0))
    head = {k: v for k, v in doc.items() if k != "rows"}
    head["row_codes"] = " ".join(row[0] for row in doc["rows"])
    head["row_offsets"] = " ".join(str(o) for o in offsets)
    body = ",\n".join(rows)
    return f'{_dumps(head)[:-1]},"rows":[\n{body}\n]}}\n'


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT)
    ap.add_argument("--check", action="store_true", help="fail when committed tables differ")
    ap.add_argument("--allow-missing", action="store_true", help="development only")
    args = ap.parse_args(argv)
    if not args.data.is_dir():
        print(f"reference data not found at {args.data}", file=sys.stderr)
        return 2
    try:
        if args.check:
            import tempfile

            with tempfile.TemporaryDirectory() as tmp:
                build(args.data, Path(tmp))
                stale = [
                    p.name
                    for p in sorted(Path(tmp).iterdir())
                    if not (args.out / p.name).exists()
                    or (args.out / p.name).read_bytes() != p.read_bytes()
                ]
            if stale:
                print(
                    f"stale tables: {', '.join(stale)}; run scripts/build_tables.py",
                    file=sys.stderr,
                )
                return 1
            print("tables are up to date")
            return 0
        manifest = build(args.data, args.out, allow_missing=args.allow_missing)
    except BuildError as exc:
        print(f"build failed: {exc}", file=sys.stderr)
        return 1
    counts = ", ".join(f"{k} {v['rows']}" for k, v in manifest["outputs"].items())
    print(f"built {args.out}: {counts}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
