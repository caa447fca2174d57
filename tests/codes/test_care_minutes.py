"""One table of care-management minute thresholds, read by the knowledge, the letter and DK505.

The thresholds are the billing ones: 99492 from 36 minutes, 99493 from 31, G2214 from 16 (more
than half of their 70, 60 and 30), a unit of 99494 from 16 minutes past the base code's full
time; the CCM codes' times are met in full. A valid claim never gets DK505, and no text states
a minute figure the table does not hold.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

import denialkit
from denialkit import _care_minutes
from denialkit._care_minutes import MINUTES, minutes_needed
from denialkit.claim import Claim, ServiceLine
from denialkit.letters import appeal, example_claim

REPO = Path(__file__).resolve().parents[2]
TEMPLATE = REPO / "src" / "denialkit" / "_templates" / "ccm21.txt.j2"
RULES = REPO / "src" / "denialkit" / "validation" / "rules" / "evidence.py"
LETTER_DATE = date(2026, 11, 2)
FIGURE = re.compile(r"(\d+)(?= minutes| min\b)|(?<=from )(\d+)")


def test_the_table_holds_the_billing_thresholds() -> None:
    got = {c: (r.full, r.least, r.counting, r.addon_of) for c, r in MINUTES.items()}
    assert got == {
        "99484": (20, 20, "at-least", ()),
        "99492": (70, 36, "half-way", ()),
        "99493": (60, 31, "half-way", ()),
        "G2214": (30, 16, "half-way", ()),
        "99494": (30, 16, "half-way", ("99492", "99493")),
        "99490": (20, 20, "at-least", ()),
        "99439": (20, 20, "at-least", ("99490",)),
        "99487": (60, 60, "at-least", ()),
        "99489": (30, 30, "at-least", ("99487",)),
        "99491": (30, 30, "at-least", ()),
    }
    assert "practitioner's own" in MINUTES["99491"].whose


@pytest.mark.parametrize(
    ("billed", "needed"),
    [
        ([("99492", 1)], ("99492", 36)),
        ([("99493", 1)], ("99493", 31)),
        ([("G2214", 1)], ("G2214", 16)),
        ([("99484", 1)], ("99484", 20)),
        ([("99492", 1), ("99494", 1)], ("99492 with 99494", 86)),
        ([("99493", 1), ("99494", 1)], ("99493 with 99494", 76)),
        ([("99492", 1), ("99494", 2)], ("99492 with 99494", 116)),
        ([("99492", 1), ("99494", Decimal(1))], ("99492 with 99494", 86)),
        ([("99494", 1)], None),  # an add-on alone bills nothing
        ([("99213", 1)], None),
    ],
)
def test_minutes_needed_for_bhi(billed: list[tuple[str, int]], needed: object) -> None:
    assert minutes_needed(billed) == needed


@pytest.mark.parametrize(
    ("billed", "needed"),
    [
        ([("99490", 1)], ("99490", 20)),
        ([("99490", 1), ("99439", 1)], ("99490 with 99439", 40)),
        ([("99487", 1)], ("99487", 60)),
        ([("99487", 1), ("99489", 2)], ("99487 with 99489", 120)),
        ([("99491", 1)], ("99491", 30)),
        ([("99489", 1)], None),
    ],
)
def test_ccm_times_are_met_in_full(billed: list[tuple[str, int]], needed: object) -> None:
    assert minutes_needed(billed, family="ccm") == needed


def _claim(lines: tuple[ServiceLine, ...], minutes: int) -> Claim:
    base = example_claim("CCM21")
    return base.evolve(services=lines, facts=dict(base.facts, care_manager_minutes=minutes))


def _line(code: str, units: int = 1) -> ServiceLine:
    return ServiceLine(code=code, date=date(2026, 9, 30), units=Decimal(units))


CASES = [
    # (services, the fewest minutes that bill them)
    ((_line("99492"),), 36),
    ((_line("99493"),), 31),
    ((_line("G2214"),), 16),
    ((_line("99484"),), 20),
    ((_line("99492"), _line("99494")), 86),
    ((_line("99493"), _line("99494")), 76),
    ((_line("99492"), _line("99494", 2)), 116),
]


@pytest.mark.parametrize(("lines", "least"), CASES)
def test_dk505_and_the_letter_read_the_same_threshold(
    lines: tuple[ServiceLine, ...], least: int
) -> None:
    for minutes in (least - 1, least, least + 13):
        letter = appeal("CCM21", _claim(lines, minutes), letter_date=LETTER_DATE)
        fired = "DK505" in letter.report.by_rule()
        assert fired == (minutes < least), (lines, minutes)
        meets = f"which meets the {least} minutes needed to bill" in letter.text
        assert meets == (minutes >= least), (lines, minutes)


@pytest.mark.parametrize("minutes", [36, 50, 69])
def test_99492_between_36_and_69_minutes_is_valid(minutes: int) -> None:
    letter = appeal("CCM21", _claim((_line("99492"),), minutes), letter_date=LETTER_DATE)
    assert "DK505" not in letter.report.by_rule()


@pytest.mark.parametrize("minutes", [86, 99])
def test_99492_with_one_99494_from_86_minutes_is_valid(minutes: int) -> None:
    lines = (_line("99492"), _line("99494"))
    letter = appeal("CCM21", _claim(lines, minutes), letter_date=LETTER_DATE)
    assert "DK505" not in letter.report.by_rule()


def test_the_letter_describes_each_code_from_the_table() -> None:
    lines = (_line("99492"), _line("99494"))
    letter = appeal("CCM21", _claim(lines, 90), letter_date=LETTER_DATE)
    for code in ("99492", "99494"):
        assert f"- {code} (September 2026): {MINUTES[code].describe()}." in letter.text


def _figures(text: str) -> set[int]:
    return {int(a or b) for a, b in FIGURE.findall(text)}


def test_no_minute_figure_outside_the_table() -> None:
    # the template and DK505 hold no minute figure of their own
    template = TEMPLATE.read_text("utf-8")
    assert _figures(template) == set()
    rule = RULES.read_text("utf-8")
    dk505 = rule[rule.index('"DK505"') : rule.index("def _cocm")]
    code = dk505[dk505.index("def _dk505") :]
    assert re.findall(r"\b\d{2,3}\b", code) == []
    allowed = set().union(*(_care_minutes.numbers(c) for c in MINUTES))
    assert _figures(dk505) <= allowed
    # the knowledge: every minute figure about a table code is the table's (sources hold
    # placeholders, the build fills them in)
    for code in denialkit.default_table():
        k = code.knowledge
        if k is None:
            continue
        for service in k.services:
            if service.code in MINUTES:
                stated = _figures(service.requirement)
                assert stated, (code.code, service.code)
                assert stated <= _care_minutes.numbers(service.code), (code.code, service.code)
    sources = (REPO / "knowledge" / "rich" / "care-management.toml").read_text("utf-8")
    for line in sources.splitlines():
        if "requirement" in line and any(f'"{c}"' in line for c in MINUTES):
            assert _figures(line) == set(), line


def test_every_table_code_has_a_knowledge_requirement() -> None:
    services = {
        s.code
        for code in denialkit.default_table()
        if code.knowledge
        for s in code.knowledge.services
    }
    assert set(MINUTES) <= services
