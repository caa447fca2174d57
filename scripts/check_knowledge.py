"""Check denialkit knowledge source files (``knowledge/**/*.toml``).

Usage::

    python scripts/check_knowledge.py knowledge/codes/carc-a.toml [more files]
    python scripts/check_knowledge.py            # every file under knowledge/

It checks the shape of every entry (fields, enums, lengths), that every code exists in the
reference data, and that no text comes too close to the official X12 descriptions in
``../shared/data`` (those may be read, never copied). Too close means either

- a run of seven identical consecutive words shared with any description, or
- a run of six identical words shared with a description, when the text also holds 80% or
  more of that description's words in the same order (the longest common subsequence of
  words).

Proper names and fixed lists of terms (``ALLOWED_PHRASES``) count as a single word in both
texts, so a program's name may be written out in full; nothing else is exempt.
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
        "depends",
    }
)
APPEALABLE = frozenset({"yes", "no", "depends"})
GROUPS = frozenset({"CO", "PR", "OA", "PI", "CR"})
PLANS = frozenset({"medicare", "medicare-advantage", "erisa", "aca", "medicaid", "commercial"})
PLAN_FIELDS = {"appealable", "appeal_reason", "route", "citation"}
WHO = frozenset({"front-desk", "coder", "clinician", "billing"})
CODE_FIELDS = {"summary", "category", "action", "action_reason", "appealable", "appeal_reason"}
GROUP_FIELDS = {"action", "action_reason", "appealable", "appeal_reason"}
RICH_REQUIRED = {"causes", "prevention", "evidence", "how_to_appeal", "related", "who"}
RICH_OPTIONAL = {"details", "services", "related_note"}
MAX_LINE = 200
#: A shared run of this many words always fails the copy check.
RUN = 7
#: A shared run of this many words fails when the text also follows ``NEAR_SHARE`` of the
#: description's words in order.
NEAR_RUN = 6
NEAR_SHARE = 0.8

#: Proper names and fixed term lists, which may be written as the official text writes them.
#: Each counts as one word in both texts. Add only names (of programs, rules, organisations,
#: forms) and lists of terms that have no other wording; never a phrase of ordinary prose.
ALLOWED_PHRASES: tuple[str, ...] = (
    # names of programs, agencies, laws and tools
    "Home Health Medical Review Initiative",
    "Merit-based Incentive Payment System",
    "Medicare Shared Savings Program",
    "Electronic Health Records (EHR) Incentive Program",
    "Outpatient Code Editor",
    "Qualified Medicare Beneficiary",
    "No Surprises Act",
    "All Payer Model Agreement",
    "Medicare Advantage Organization",
    "North Dakota Administrative Rule",
    # lists of terms
    "attending, ordering, rendering, supervising or referring",
)

_WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")


def _plain_words(text: str) -> list[str]:
    return _WORD.findall(text.lower())


_ALLOWED: tuple[tuple[str, ...], ...] = tuple(
    sorted((tuple(_plain_words(p)) for p in ALLOWED_PHRASES), key=len, reverse=True)
)


def words(text: str) -> list[str]:
    """Lower-case word tokens used by the copy check; an allowed phrase is one token."""
    w = _plain_words(text)
    if not any(p[0] in w for p in _ALLOWED):
        return w
    out: list[str] = []
    i = 0
    while i < len(w):
        for p in _ALLOWED:
            if tuple(w[i : i + len(p)]) == p:
                out.append("_".join(p))
                i += len(p)
                break
        else:
            out.append(w[i])
            i += 1
    return out


def shingles(text: str, n: int = RUN) -> set[tuple[str, ...]]:
    """Every run of ``n`` consecutive words in ``text``."""
    w = words(text)
    return {tuple(w[i : i + n]) for i in range(len(w) - n + 1)}


def common_subsequence(a: list[str], b: list[str]) -> int:
    """The length of the longest common subsequence of two word lists."""
    prev = [0] * (len(b) + 1)
    for x in a:
        cur = [0]
        for j, y in enumerate(b):
            cur.append(prev[j] + 1 if x == y else max(prev[j + 1], cur[j]))
        prev = cur
    return prev[-1]


class CopyIndex:
    """The official descriptions, indexed for the copy check.

    >>> idx = CopyIndex({"X1": "Alpha beta gamma delta epsilon zeta eta theta."})
    >>> idx.too_close("We said alpha beta gamma delta epsilon zeta eta here.")
    "shares 7 words in a row with X1's official text: 'alpha beta gamma delta epsilon zeta eta'"
    >>> idx.too_close("Alpha beta gamma delta epsilon zeta, then theta.")
    "shares 6 words in a row and 88% of X1's official words in order"
    >>> idx.too_close("Theta, eta and zeta come after alpha.") is None
    True
    """

    def __init__(self, texts: Mapping[str, str]) -> None:
        self.words = {code: words(t) for code, t in texts.items()}
        self.near: dict[tuple[str, ...], set[str]] = {}
        for code, w in self.words.items():
            for i in range(len(w) - NEAR_RUN + 1):
                self.near.setdefault(tuple(w[i : i + NEAR_RUN]), set()).add(code)

    def too_close(self, text: str) -> str | None:
        """Why ``text`` is too close to an official description, or ``None``."""
        w = words(text)
        candidates: set[str] = set()
        for i in range(len(w) - NEAR_RUN + 1):
            candidates |= self.near.get(tuple(w[i : i + NEAR_RUN]), set())
        if not candidates:
            return None
        ours = {tuple(w[i : i + RUN]) for i in range(len(w) - RUN + 1)}
        for code in sorted(candidates):
            theirs = self.words[code]
            for i in range(len(theirs) - RUN + 1):
                run = tuple(theirs[i : i + RUN])
                if run in ours:
                    return (
                        f"shares {RUN} words in a row with {code}'s official text: "
                        f"{' '.join(run)!r}"
                    )
        for code in sorted(candidates):
            theirs = self.words[code]
            share = common_subsequence(w, theirs) / len(theirs)
            if share >= NEAR_SHARE:
                return (
                    f"shares {NEAR_RUN} words in a row and {share:.0%} of {code}'s official "
                    "words in order"
                )
        return None


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
    extra = set(entry) - CODE_FIELDS - {"groups", "plans"}
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
        if g != "PR" and over.get("action") == "bill-patient":
            problems.append(f"groups.{g}: only group PR may bill the patient")
        problems.extend(_contradictions({**entry, **over}, f"groups.{g}: "))
    problems.extend(_contradictions(entry, ""))
    for plan, rule in dict(entry.get("plans", {})).items():
        if plan not in PLANS:
            problems.append(f"unknown plan type {plan!r} (one of {sorted(PLANS)})")
            continue
        if not isinstance(rule, dict) or set(rule) != PLAN_FIELDS:
            problems.append(f"plans.{plan} needs exactly {sorted(PLAN_FIELDS)}")
            continue
        if rule["appealable"] not in APPEALABLE:
            problems.append(f"plans.{plan}: appealable must be yes/no/depends")
        for f in ("appeal_reason", "citation"):
            if p := _line_ok(rule[f], f"plans.{plan}.{f}"):
                problems.append(p)
        if not isinstance(rule["route"], str) or not rule["route"].strip():
            problems.append(f"plans.{plan}.route must be a non-empty string")
    return problems


def _contradictions(advice: Mapping[str, Any], where: str) -> list[str]:
    """Advice that contradicts itself (the same rules the consistency tests enforce)."""
    problems: list[str] = []
    if advice.get("appealable") == "no" and advice.get("action") == "appeal":
        problems.append(f"{where}action 'appeal' with appealable 'no'")
    if advice.get("category") == "informational" and advice.get("action") == "appeal":
        problems.append(f"{where}category 'informational' recommends an appeal")
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


def check_file(path: Path, codes: set[str], index: CopyIndex) -> list[str]:
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
        # copy check: against every official description
        for s in _strings(entry):
            why = index.too_close(s)
            if why:
                problems.append(f"{path}: {code}: {why}")
    return problems


def main(argv: Iterable[str]) -> int:
    args = list(argv)
    files = [Path(a) for a in args] or sorted(KNOWLEDGE.glob("*/*.toml"))
    codes = known_codes()
    index = CopyIndex(official_texts())
    problems: list[str] = []
    for f in files:
        problems.extend(check_file(f, codes, index))
    for p in problems:
        print(p)
    print(f"{len(files)} file(s), {len(problems)} problem(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
