"""Check denialkit knowledge source files (``knowledge/**/*.toml``).

Usage::

    python scripts/check_knowledge.py knowledge/codes/carc-a.toml [more files]
    python scripts/check_knowledge.py            # every file under knowledge/

It checks the shape of every entry (fields, enums, lengths), that every code exists in the
reference data, and that no text shares a run of eight or more consecutive words with the
official X12 descriptions in ``../shared/data`` (those may be read, never copied).
Problems are printed as ``FILE: CODE: message``; the exit status is 1 when there are any.
"""

from __future__ import annotations

import csv
import json
import re
import sys
import tomllib
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
KNOWLEDGE = ROOT / "knowledge"
SHARED_DATA = ROOT.parent / "shared" / "data"

CATEGORIES = frozenset(
    {
        "eligibility",
        "authorization",
        "missing-information",
        "coding",
        "medical-necessity",
        "bundling",
        "timely-filing",
        "duplicate",
        "coordination-of-benefits",
        "patient-responsibility",
        "contractual",
        "provider-eligibility",
        "non-covered",
        "benefit-limit",
        "informational",
        "care-management",
    }
)
ACTIONS = frozenset(
    {
        "appeal",
        "correct-resubmit",
        "bill-patient",
        "write-off",
        "bill-other-payer",
        "supply-information",
        "no-action",
    }
)
APPEALABLE = frozenset({"yes", "no", "depends"})
GROUPS = frozenset({"CO", "PR", "OA", "PI", "CR"})
WHO = frozenset({"front-desk", "coder", "clinician", "billing"})
CODE_FIELDS = {"summary", "category", "action", "action_reason", "appealable", "appeal_reason"}
GROUP_FIELDS = {"action", "action_reason", "appealable", "appeal_reason"}
RICH_REQUIRED = {"causes", "prevention", "evidence", "how_to_appeal", "related", "who"}
RICH_OPTIONAL = {"details", "services", "related_note"}
MAX_LINE = 200
RUN = 8

_WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")


def words(text: str) -> list[str]:
    """Lower-case word tokens used by the copy check."""
    return _WORD.findall(text.lower())


def shingles(text: str, n: int = RUN) -> set[tuple[str, ...]]:
    """Every run of ``n`` consecutive words in ``text``."""
    w = words(text)
    return {tuple(w[i : i + n]) for i in range(len(w) - n + 1)}


def official_texts(data_dir: Path = SHARED_DATA) -> dict[str, str]:
    """Map each code to the official text it must not copy (empty when data is absent)."""
    texts: dict[str, str] = {}
    carc = data_dir / "carc.csv"
    rarc = data_dir / "rarc.csv"
    if carc.exists():
        with carc.open(newline="", encoding="utf-8") as fh:
            for row in csv.DictReader(fh):
                texts[row["code"]] = row["description"]
    if rarc.exists():
        with rarc.open(newline="", encoding="utf-8") as fh:
            for row in csv.DictReader(fh):
                texts[row["code"]] = row["description"]
    return texts


def known_codes(data_dir: Path = SHARED_DATA) -> set[str]:
    """Every code in the reference data."""
    codes = set(official_texts(data_dir))
    cm = data_dir / "care_management_codes.json"
    if cm.exists():
        codes.update(c["code"] for c in json.loads(cm.read_text("utf-8"))["codes"])
    grp = data_dir / "claim_adjustment_group_codes.json"
    if grp.exists():
        codes.update(c["code"] for c in json.loads(grp.read_text("utf-8"))["codes"])
    return codes


def all_official_shingles(texts: Mapping[str, str]) -> set[tuple[str, ...]]:
    out: set[tuple[str, ...]] = set()
    for t in texts.values():
        out |= shingles(t)
    return out


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, list):
        for v in value:
            yield from _strings(v)
    elif isinstance(value, dict):
        for v in value.values():
            yield from _strings(v)


def _line_ok(value: Any, name: str) -> str | None:
    if not isinstance(value, str) or not value.strip():
        return f"{name} must be a non-empty string"
    if len(value) > MAX_LINE:
        return f"{name} is {len(value)} characters; at most {MAX_LINE}"
    if "\n" in value:
        return f"{name} must be one line"
    return None


def check_code_entry(code: str, entry: Mapping[str, Any]) -> list[str]:
    problems: list[str] = []
    extra = set(entry) - CODE_FIELDS - {"groups"}
    if extra:
        problems.append(f"unknown field(s) {sorted(extra)}")
    for f in sorted(CODE_FIELDS - set(entry)):
        problems.append(f"missing field {f!r}")
    for f in ("summary", "action_reason", "appeal_reason"):
        if f in entry and (p := _line_ok(entry[f], f)):
            problems.append(p)
    if "category" in entry and entry["category"] not in CATEGORIES:
        problems.append(f"unknown category {entry['category']!r}")
    if "action" in entry and entry["action"] not in ACTIONS:
        problems.append(f"unknown action {entry['action']!r}")
    if "appealable" in entry and entry["appealable"] not in APPEALABLE:
        problems.append(f"appealable must be yes/no/depends, not {entry['appealable']!r}")
    for g, over in dict(entry.get("groups", {})).items():
        if g not in GROUPS:
            problems.append(f"unknown group code {g!r}")
            continue
        if not isinstance(over, dict):
            problems.append(f"groups.{g} must be a table")
            continue
        bad = set(over) - GROUP_FIELDS
        if bad:
            problems.append(f"groups.{g}: unknown field(s) {sorted(bad)}")
        if "action" in over and over["action"] not in ACTIONS:
            problems.append(f"groups.{g}: unknown action {over['action']!r}")
        if "appealable" in over and over["appealable"] not in APPEALABLE:
            problems.append(f"groups.{g}: appealable must be yes/no/depends")
        for f in ("action_reason", "appeal_reason"):
            if f in over and (p := _line_ok(over[f], f"groups.{g}.{f}")):
                problems.append(p)
    return problems


def check_rich_entry(code: str, entry: Mapping[str, Any], codes: set[str]) -> list[str]:
    problems: list[str] = []
    extra = set(entry) - RICH_REQUIRED - RICH_OPTIONAL
    if extra:
        problems.append(f"unknown field(s) {sorted(extra)}")
    for f in sorted(RICH_REQUIRED - set(entry)):
        problems.append(f"missing field {f!r}")
    for f in ("causes", "prevention"):
        v = entry.get(f, [])
        if not isinstance(v, list) or not 3 <= len(v) <= 5:
            problems.append(f"{f} must list 3 to 5 items")
    ev = entry.get("evidence", [])
    if not isinstance(ev, list) or len(ev) < 2:
        problems.append("evidence must list at least 2 enclosures")
    for f in ("causes", "prevention", "evidence"):
        for item in entry.get(f, []) if isinstance(entry.get(f), list) else []:
            if p := _line_ok(item, f):
                problems.append(p)
    if "how_to_appeal" in entry and (
        not isinstance(entry["how_to_appeal"], str) or not entry["how_to_appeal"].strip()
    ):
        problems.append("how_to_appeal must be a non-empty string")
    for r in entry.get("related", []):
        if codes and r not in codes:
            problems.append(f"related code {r!r} is not in the reference data")
    for w in entry.get("who", []):
        if w not in WHO:
            problems.append(f"unknown role {w!r} in who")
    for s in entry.get("services", []):
        if not isinstance(s, dict) or set(s) != {"code", "requirement"}:
            problems.append("services entries need exactly 'code' and 'requirement'")
    return problems


def check_file(
    path: Path, texts: Mapping[str, str], codes: set[str], every: set[tuple[str, ...]]
) -> list[str]:
    try:
        data = tomllib.loads(path.read_text("utf-8"))
    except tomllib.TOMLDecodeError as exc:
        return [f"{path}: not valid TOML: {exc}"]
    rich = path.parent.name == "rich"
    problems: list[str] = []
    for code, entry in data.items():
        if not isinstance(entry, dict):
            problems.append(f"{path}: {code}: must be a table")
            continue
        if codes and code not in codes:
            problems.append(f"{path}: {code}: not a code in the reference data")
        found = check_rich_entry(code, entry, codes) if rich else check_code_entry(code, entry)
        problems.extend(f"{path}: {code}: {p}" for p in found)
        # copy check: against the code's own description and against every description
        for s in _strings(entry):
            shared = shingles(s) & every
            if shared:
                run = " ".join(sorted(shared)[0])
                problems.append(f"{path}: {code}: shares 8+ words with official text: {run!r}")
    return problems


def main(argv: Iterable[str]) -> int:
    args = list(argv)
    files = [Path(a) for a in args] or sorted(KNOWLEDGE.glob("*/*.toml"))
    texts = official_texts()
    codes = known_codes()
    every = all_official_shingles(texts)
    problems: list[str] = []
    for f in files:
        problems.extend(check_file(f, texts, codes, every))
    for p in problems:
        print(p)
    print(f"{len(files)} file(s), {len(problems)} problem(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
