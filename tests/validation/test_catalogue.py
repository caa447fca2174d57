"""Rule ids are stable, unique and never reused, and each has its own section in the docs."""

from __future__ import annotations

import re
from pathlib import Path

from denialkit.validation import Severity, builtin_rules
from denialkit.validation.rules import RETIRED, RULES

REPO = Path(__file__).resolve().parents[2]
DOCS = REPO / "docs" / "rules.md"
SNAPSHOT = Path(__file__).with_name("rule_ids.txt")
_SECTION = re.compile(
    r"^\((?P<anchor>[A-Z]+[0-9]+)\)=\n### (?P<id>\S+) (?P<slug>\S+)\n(?P<body>.*?)(?=^\(|^## |\Z)",
    re.M | re.S,
)


def sections() -> dict[str, dict[str, str]]:
    out: dict[str, dict[str, str]] = {}
    for m in _SECTION.finditer(DOCS.read_text("utf-8")):
        assert m.group("anchor") == m.group("id"), m.group("anchor")
        assert m.group("id") not in out, f"two sections for {m.group('id')}"
        out[m.group("id")] = {"slug": m.group("slug"), "body": m.group("body")}
    return out


def test_rule_ids_are_unique_and_well_formed() -> None:
    ids = [r.id for r in builtin_rules()]
    assert len(ids) == len(set(ids))
    assert all(re.fullmatch(r"DK[1-8][0-9]{2}", i) for i in ids)
    assert ids == sorted(ids)
    slugs = [r.slug for r in builtin_rules()]
    assert len(slugs) == len(set(slugs))


def test_every_rule_has_its_own_documented_section() -> None:
    docs = sections()
    for r in builtin_rules():
        assert r.id in docs, f"{r.id} has no section in docs/rules.md"
        s = docs[r.id]
        assert s["slug"] == r.slug
        assert f"**Severity:** {r.severity.value}\n" in s["body"]
        assert "**Authority:** " in s["body"] and "**How to fix:** " in s["body"]
        assert r.authority and r.authority.split(";")[0].split(" (")[0] in s["body"]
    extra = set(docs) - {r.id for r in builtin_rules()} - RETIRED
    assert not extra, f"sections for rules that do not exist: {sorted(extra)}"


def test_ids_are_never_reused() -> None:
    released: dict[str, str] = {}
    for line in SNAPSHOT.read_text("utf-8").splitlines():
        if line and not line.startswith("#"):
            rule_id, slug = line.split()
            released[rule_id] = slug
    current = {r.id: r.slug for r in RULES}
    for rule_id, slug in released.items():
        if rule_id in RETIRED:
            assert rule_id not in current, f"{rule_id} is retired and must not come back"
        else:
            assert current.get(rule_id) == slug, (
                f"{rule_id} was released as {slug!r}: keep it, or retire it (RETIRED) and give "
                "the new rule a new id"
            )
    new = set(current) - set(released)
    assert not new, f"add the new rules to {SNAPSHOT.name}: {sorted(new)}"


def test_unverified_evidence_rules_stay_warnings() -> None:
    for r in builtin_rules():
        if r.id.startswith("DK5") or "unverified" in r.authority.lower():
            assert r.severity is Severity.WARNING, r.id
