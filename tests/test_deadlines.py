"""Appeal levels and filing deadlines: every level's due date, calendar edges, bad input.

Expected dates are written out by hand (counted on a calendar), not computed with the code
under test.
"""

from __future__ import annotations

import pickle
import re
from collections.abc import Callable
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest

from denialkit.claim import Claim, Denial, Patient, Payer, PlanType, Provider, ServiceLine
from denialkit.deadlines import (
    AMOUNTS_IN_CONTROVERSY,
    APPEAL_LEVELS,
    CONFIDENCE,
    MEDICAID_ENROLLEE_LEVELS,
    PAYER_WINDOW,
    add_months,
    amount_in_controversy,
    deadline,
    deadline_for,
    level,
    levels,
)
from denialkit.exceptions import ClaimDataError, DeadlineError
from payloads import tampered

DOCS = Path(__file__).resolve().parents[1] / "docs" / "deadlines.md"
NOTICE = date(2026, 1, 2)

# (plan, level, window_days, presumed receipt, due) for a notice dated 2026-01-02
EVERY_LEVEL = [
    ("medicare", 1, None, date(2026, 1, 7), date(2026, 5, 7)),  # 5 + 120
    ("medicare", 2, None, date(2026, 1, 7), date(2026, 7, 6)),  # 5 + 180
    ("medicare", 3, None, date(2026, 1, 7), date(2026, 3, 8)),  # 5 + 60
    ("medicare", 4, None, date(2026, 1, 7), date(2026, 3, 8)),
    ("medicare", 5, None, date(2026, 1, 7), date(2026, 3, 8)),
    ("medicare-advantage", 1, None, NOTICE, date(2026, 3, 8)),  # 65, from the notice
    ("erisa", 1, None, NOTICE, date(2026, 7, 1)),  # 180
    ("aca", 1, None, NOTICE, date(2026, 7, 1)),  # 180
    ("aca", 2, None, NOTICE, date(2026, 5, 4)),  # 4 months: Sat May 2 -> Mon May 4
    ("medicaid", 1, 60, NOTICE, date(2026, 3, 3)),
    ("medicaid", 2, 30, NOTICE, date(2026, 2, 1)),
    ("commercial", 1, 90, NOTICE, date(2026, 4, 2)),
    ("commercial", 2, 45, NOTICE, date(2026, 2, 16)),
]


@pytest.mark.parametrize(("plan", "number", "window", "received", "due"), EVERY_LEVEL)
def test_every_level_of_every_plan(
    plan: str, number: int, window: int | None, received: date, due: date
) -> None:
    d = deadline(plan, number, NOTICE, window_days=window)
    assert (d.received, d.due) == (received, due)
    assert d.level == level(plan, number)
    assert d.citation == d.level.citation
    assert d.rule.endswith(".")


def test_the_table_covers_exactly_those_levels() -> None:
    assert sorted(
        (p.value, n) for p, n in ((lv.plan, lv.number) for lv in APPEAL_LEVELS)
    ) == sorted((p, n) for p, n, *_ in EVERY_LEVEL)
    for plan in PlanType:
        assert [lv.number for lv in levels(plan)] == list(range(1, len(levels(plan)) + 1))
    for lv in APPEAL_LEVELS:
        assert lv.confidence in CONFIDENCE
        assert lv.payer_window in PAYER_WINDOW
        assert lv.citation
        has_window = (lv.days is not None) + (lv.months is not None)
        assert has_window == (0 if lv.payer_window == "required" else 1)
        assert lv.receipt_presumed_days == (5 if lv.plan is PlanType.MEDICARE else 0)


def test_medicare_ladder_facts() -> None:
    ladder = levels(PlanType.MEDICARE)
    assert [lv.days for lv in ladder] == [120, 180, 60, 60, 60]
    assert [lv.requires_amount_in_controversy for lv in ladder] == [False, False, True, False, True]
    assert ladder[0].citation == "42 CFR 405.942(a)"
    assert ladder[0].decided_by == "Medicare Administrative Contractor (MAC)"


def test_medicare_redetermination_day_125_is_the_last_day() -> None:
    notice = date(2026, 3, 2)
    d = deadline("medicare", 1, notice)
    assert d.due == date(2026, 7, 5)  # notice + 125 days
    assert not d.is_late(date(2026, 7, 5))  # day 125: on time
    assert d.is_late(date(2026, 7, 6))  # day 126: late
    assert d.days_left(date(2026, 7, 5)) == 0
    assert d.days_left(date(2026, 7, 6)) == -1
    assert d.days_left(notice) == 125


def test_day_counts_cross_a_leap_day() -> None:
    assert deadline("medicare", 1, date(2024, 1, 2)).due == date(2024, 5, 6)
    assert deadline("medicare", 1, date(2025, 1, 2)).due == date(2025, 5, 7)


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (date(2025, 10, 31), 4, date(2026, 2, 28)),
        (date(2023, 10, 31), 4, date(2024, 2, 29)),  # leap year
        (date(2025, 10, 30), 4, date(2026, 2, 28)),
        (date(2025, 8, 31), 4, date(2025, 12, 31)),
        (date(2025, 8, 31), 1, date(2025, 9, 30)),
        (date(2025, 8, 31), 6, date(2026, 2, 28)),
        (date(2027, 8, 31), 6, date(2028, 2, 29)),
        (date(2024, 2, 29), 4, date(2024, 6, 29)),
        (date(2024, 2, 29), 12, date(2025, 2, 28)),
        (date(2024, 2, 29), 48, date(2028, 2, 29)),
        (date(2025, 12, 15), 4, date(2026, 4, 15)),
        (date(2024, 3, 31), -1, date(2024, 2, 29)),
        (date(2024, 3, 31), 0, date(2024, 3, 31)),
    ],
)
def test_add_months(start: date, months: int, expected: date) -> None:
    assert add_months(start, months) == expected


@pytest.mark.parametrize(
    ("notice", "due"),
    [
        # the regulation's own example: October 30 gives March 1 (2023-03-01 is a Wednesday)
        (date(2022, 10, 30), date(2023, 3, 1)),
        # no February 30 or 31: March 1, 2026, a Sunday, so Monday March 2
        (date(2025, 10, 30), date(2026, 3, 2)),
        (date(2025, 10, 31), date(2026, 3, 2)),
        (date(2025, 11, 1), date(2026, 3, 2)),
        # a leap year has February 29 but no 30th
        (date(2023, 10, 29), date(2024, 2, 29)),
        (date(2023, 10, 30), date(2024, 3, 1)),
        (date(2023, 10, 31), date(2024, 3, 1)),
        # no November 31: December 1, 2025 (a Monday)
        (date(2025, 7, 31), date(2025, 12, 1)),
        # Saturday June 29, 2024 -> Monday July 1
        (date(2024, 2, 29), date(2024, 7, 1)),
        # July 4, 2024 (Thursday) is a holiday -> Friday July 5
        (date(2024, 3, 4), date(2024, 7, 5)),
        # Christmas observed on Friday December 24, 2021; then the weekend -> Monday 27th
        (date(2021, 8, 24), date(2021, 12, 27)),
        # New Year's Day 2022 is observed on Friday December 31, 2021 -> Monday January 3
        (date(2021, 8, 31), date(2022, 1, 3)),
    ],
)
def test_aca_external_review_follows_45_cfr_147_136_d_2_i(notice: date, due: date) -> None:
    d = deadline("aca", 2, notice)
    assert (d.received, d.due, d.months, d.days) == (notice, due, 4, None)
    assert "first day of the month after it" in d.rule
    assert "next business day" in d.rule
    assert d.level.confidence == "medium"


def test_string_plans_are_normalised() -> None:
    assert levels(" Medicare ") == levels(PlanType.MEDICARE)
    assert levels("MEDICARE_ADVANTAGE") == levels(PlanType.MEDICARE_ADVANTAGE)


def test_medicare_advantage_is_level_one_only() -> None:
    (only,) = levels("medicare-advantage")
    assert (only.days, only.receipt_presumed_days, only.confidence) == (65, 0, "medium")
    assert "CMS Medicare Managed Care Appeals & Grievances" in only.citation
    assert "validator" not in only.note
    with pytest.raises(DeadlineError, match="independent review entity"):
        level("medicare-advantage", 2)


@pytest.mark.parametrize(
    ("notice", "days", "due"),
    [
        (date(2024, 12, 31), 60, date(2025, 3, 1)),  # before 2025: 60 days
        (date(2025, 1, 1), 65, date(2025, 3, 7)),  # on or after 2025-01-01: 65 days
        (date(2024, 11, 20), 60, date(2025, 1, 19)),
    ],
)
def test_medicare_advantage_window_depends_on_the_notice_date(
    notice: date, days: int, due: date
) -> None:
    d = deadline("medicare-advantage", 1, notice)
    assert (d.days, d.due) == (days, due)
    assert f"{days} days (for notices dated" in d.rule


def test_medicaid_enrollee_appeal_has_60_days_from_the_notice() -> None:
    d = deadline("medicaid", 1, NOTICE, enrollee=True)
    assert (d.received, d.due, d.days) == (NOTICE, date(2026, 3, 3), 60)
    assert d.citation == "42 CFR 438.402(c)(2)(ii)"
    assert d.level.confidence == "medium"
    hearing = deadline("medicaid", 2, NOTICE, enrollee=True)
    assert (hearing.days, hearing.level.name) == (120, "State fair hearing")
    with pytest.raises(DeadlineError, match="window_days applies only"):
        deadline("medicaid", 1, NOTICE, enrollee=True, window_days=90)
    with pytest.raises(DeadlineError, match="Medicaid managed care only"):
        deadline("commercial", 1, NOTICE, enrollee=True)
    with pytest.raises(DeadlineError, match="2 levels"):
        deadline("medicaid", 3, NOTICE, enrollee=True)
    with pytest.raises(TypeError, match="enrollee must be a bool"):
        deadline("medicaid", 1, NOTICE, enrollee="yes")  # type: ignore[arg-type]


def test_the_missing_window_message_names_the_case() -> None:
    with pytest.raises(DeadlineError, match=r"a provider's payment dispute with a Medicaid plan "
                       r"has no federal appeal window.*enrollee=True"):  # fmt: skip
        deadline("medicaid", 1, NOTICE)
    with pytest.raises(DeadlineError, match="a provider's appeal to a commercial plan has no "):
        deadline("commercial", 1, NOTICE)


# ------------------------------------------------------------------ window_days


def test_payer_window_is_required_for_commercial_and_medicaid() -> None:
    for plan in ("commercial", "medicaid"):
        with pytest.raises(DeadlineError, match="pass window_days"):
            deadline(plan, 1, NOTICE)


def test_window_days_lengthens_erisa_and_aca_internal_appeals() -> None:
    d = deadline("erisa", 1, NOTICE, window_days=365)
    assert (d.due, d.days) == (date(2027, 1, 2), 365)
    assert "at least 180" in d.rule
    same = deadline("aca", 1, NOTICE, window_days=180)
    assert (same.due, same.rule) == (date(2026, 7, 1), deadline("aca", 1, NOTICE).rule)
    with pytest.raises(DeadlineError, match="at least 180 days"):
        deadline("erisa", 1, NOTICE, window_days=179)


@pytest.mark.parametrize(
    ("plan", "number"), [("medicare", 1), ("medicare-advantage", 1), ("aca", 2)]
)
def test_window_days_is_refused_where_a_regulation_fixes_the_window(plan: str, number: int) -> None:
    with pytest.raises(DeadlineError, match="window_days applies only"):
        deadline(plan, number, NOTICE, window_days=200)


@pytest.mark.parametrize("window", [0, -30, 3651])
def test_window_days_out_of_range(window: int) -> None:
    with pytest.raises(DeadlineError, match="from 1 to 3650"):
        deadline("commercial", 1, NOTICE, window_days=window)


# ------------------------------------------------------------------ deadline_for


def _claim(
    plan: PlanType, *, window: int | None = None, level: int = 0, notice: date = NOTICE
) -> Claim:
    return Claim(
        claim_number="SENTINEL-CLM-77",
        patient=Patient(
            name="Sentinel Zoë Nguyễn", member_id="SENTINEL-MBR-1", birth_date=date(1941, 7, 19)
        ),
        provider=Provider(name="Valley Family Medicine"),
        payer=Payer(name="Payer", plan_type=plan, appeal_window_days=window),
        services=(ServiceLine(code="99484", date=date(2025, 11, 17)),),
        denial=Denial(notice_date=notice, codes=("CO-16",), reason="SENTINEL reason", level=level),
    )


def test_deadline_for_takes_plan_window_and_notice_from_the_claim() -> None:
    assert deadline_for(_claim(PlanType.COMMERCIAL, window=90)).due == date(2026, 4, 2)
    nxt = deadline_for(_claim(PlanType.MEDICARE, level=1))
    assert (nxt.level.number, nxt.due) == (2, date(2026, 7, 6))
    assert deadline_for(_claim(PlanType.MEDICARE), level=3).due == date(2026, 3, 8)
    # the payer's window lengthens an ERISA appeal, and is not used where regulation fixes it
    assert deadline_for(_claim(PlanType.ERISA, window=365)).due == date(2027, 1, 2)
    assert deadline_for(_claim(PlanType.MEDICARE, window=30)).due == date(2026, 5, 7)


def test_deadline_for_errors() -> None:
    with pytest.raises(DeadlineError, match="pass window_days"):
        deadline_for(_claim(PlanType.COMMERCIAL))
    with pytest.raises(DeadlineError, match="already at level 5"):
        deadline_for(_claim(PlanType.MEDICARE, level=5))
    with pytest.raises(DeadlineError, match="already at level 1"):
        deadline_for(_claim(PlanType.MEDICARE_ADVANTAGE, level=1))


# ------------------------------------------------------------------ amount in controversy


@pytest.mark.parametrize(
    ("year", "alj", "court", "confidence"),
    [
        (2026, "200", "1960", "high"),
        (2025, "190", "1900", "medium"),
        (2024, "180", "1840", "medium"),
        (2022, "180", None, "medium"),
        (2018, "160", "1600", "high"),
        (2017, "160", "1560", "high"),
        (2016, "150", "1500", "high"),
        (2015, "150", "1460", "medium"),
    ],
)
def test_amount_in_controversy(year: int, alj: str, court: str | None, confidence: str) -> None:
    aic = amount_in_controversy(year)
    assert aic.year == year
    assert aic.alj_hearing == Decimal(alj)
    assert aic.judicial_review == (None if court is None else Decimal(court))
    assert aic.confidence == confidence
    assert aic.source


@pytest.mark.parametrize("year", [2014, 2019, 2023, 2027, 0, -5, 10**30])
def test_amount_in_controversy_unknown_years(year: int) -> None:
    with pytest.raises(DeadlineError, match="known years: 2015, 2016, 2017, 2018, 2022, 2024"):
        amount_in_controversy(year)


def test_amount_in_controversy_names_the_federal_register_notices() -> None:
    assert "82 FR 45592" in amount_in_controversy(2018).source
    assert "86 FR 54198" in amount_in_controversy(2022).source
    assert "89 FR 79294" in amount_in_controversy(2025).source


# ------------------------------------------------------------------ bad input


def test_level_out_of_range() -> None:
    with pytest.raises(DeadlineError, match="numbered from 1"):
        deadline("medicare", 0, NOTICE)
    with pytest.raises(DeadlineError, match="5 appeal levels in denialkit, not 6"):
        deadline("medicare", 6, NOTICE)
    with pytest.raises(DeadlineError, match="unknown plan type; use one of: medicare, "):
        deadline("tricare", 1, NOTICE)


def test_datetime_is_not_a_date() -> None:
    when = datetime(2026, 1, 2, 9, 30)
    with pytest.raises(TypeError, match="not a datetime"):
        deadline("medicare", 1, when)
    d = deadline("medicare", 1, NOTICE)
    with pytest.raises(TypeError, match="not a datetime"):
        d.days_left(when)
    with pytest.raises(TypeError, match="not a datetime"):
        d.is_late(when)
    with pytest.raises(TypeError, match="not a datetime"):
        add_months(when, 4)


def test_dates_beyond_year_9999() -> None:
    with pytest.raises(DeadlineError, match="9999"):
        deadline("medicare", 1, date(9999, 12, 1))
    with pytest.raises(DeadlineError, match="9999"):
        add_months(date(9999, 12, 1), 1)


JUNK = [
    None,
    "",
    "💥",
    "\u202e",
    "\ud800",
    "x" * 1_000_000,
    b"medicare",
    1.5,
    True,
    object(),
    [],
    {},
]


def _only_typed(call: Callable[[], object]) -> None:
    with pytest.raises((TypeError, DeadlineError)) as info:
        call()
    assert len(str(info.value)) < 400
    assert "x" * 50 not in str(info.value)


@pytest.mark.parametrize("junk", JUNK, ids=lambda v: repr(v)[:20])
def test_junk_input_raises_only_documented_errors(junk: object) -> None:
    d = deadline("medicare", 1, NOTICE)
    calls = [
        lambda: levels(junk),  # type: ignore[arg-type]
        lambda: level(junk, 1),  # type: ignore[arg-type]
        lambda: level("medicare", junk),  # type: ignore[arg-type]
        lambda: deadline(junk, 1, NOTICE),  # type: ignore[arg-type]
        lambda: deadline("medicare", junk, NOTICE),  # type: ignore[arg-type]
        lambda: deadline("medicare", 1, junk),  # type: ignore[arg-type]
        lambda: deadline("commercial", 1, NOTICE, window_days=junk),  # type: ignore[arg-type]
        lambda: deadline_for(junk),  # type: ignore[arg-type]
        lambda: amount_in_controversy(junk),  # type: ignore[arg-type]
        lambda: add_months(junk, 1),  # type: ignore[arg-type]
        lambda: add_months(NOTICE, junk),  # type: ignore[arg-type]
        lambda: d.days_left(junk),  # type: ignore[arg-type]
        lambda: d.is_late(junk),  # type: ignore[arg-type]
    ]
    if junk is not None:  # level=None means "the next level", a valid call
        calls.append(lambda: deadline_for(_claim(PlanType.MEDICARE), level=junk))  # type: ignore[arg-type]
    for call in calls:
        _only_typed(call)


def test_wrong_types_inside_a_claim_are_typed_errors() -> None:
    with pytest.raises(ClaimDataError, match=r"denial\.notice_date: expected a date, got a dat"):
        _claim(PlanType.MEDICARE, notice=datetime(2026, 1, 2, 8, 0))
    # a claim changed after its checks ran still gets a typed error, not a wrong deadline
    good = _claim(PlanType.MEDICARE)
    bad = good.evolve(denial=tampered(good.denial, notice_date=datetime(2026, 1, 2, 8, 0)))
    with pytest.raises(TypeError, match=r"notice_date must be a datetime\.date"):
        deadline_for(bad)


# ------------------------------------------------------------------ PHI never shown


def _date_forms(d: date) -> list[str]:
    return [
        d.isoformat(),
        f"{d.month}/{d.day}/{d.year}",
        f"{d.month:02}/{d.day:02}/{d.year}",
        d.strftime("%B %d, %Y").replace(" 0", " "),
        f"date({d.year}, {d.month}, {d.day})",
    ]


def test_no_patient_value_in_reprs_or_messages() -> None:
    notice = date(2031, 7, 19)
    claim = _claim(PlanType.MEDICARE, notice=notice)
    d = deadline_for(claim)
    secrets = [
        "SENTINEL",
        "Zoë",
        "Nguyễn",
        *_date_forms(notice),
        *_date_forms(d.received),
        *_date_forms(d.due),
        *_date_forms(date(1941, 7, 19)),
        *_date_forms(date(2025, 11, 17)),
    ]
    texts = [repr(d), repr(d.level), str(d.rule), d.citation]
    medicare = _claim(PlanType.MEDICARE, notice=notice)
    for bad in (
        _claim(PlanType.COMMERCIAL, notice=notice),
        _claim(PlanType.MEDICARE, notice=notice, level=5),
        medicare.evolve(denial=tampered(medicare.denial, notice_date=datetime(2031, 7, 19, 8, 0))),
    ):
        with pytest.raises((TypeError, DeadlineError)) as info:
            deadline_for(bad)
        texts.append(str(info.value))
    with pytest.raises(DeadlineError) as info:
        deadline("medicare", 1, date(9999, 12, 30))
    texts.append(str(info.value))
    for text in texts:
        for secret in secrets:
            assert secret not in text, (secret, text)


def test_deadlines_are_immutable_and_picklable() -> None:
    d = deadline("aca", 2, date(2025, 10, 31))
    assert pickle.loads(pickle.dumps(d)) == d
    with pytest.raises(AttributeError):
        d.due = d.due + timedelta(days=1)  # type: ignore[misc]


# ------------------------------------------------------------------ the docs page


def _rows(text: str) -> list[list[str]]:
    return [
        [cell.strip() for cell in line.strip().strip("|").split("|")]
        for line in text.splitlines()
        if line.startswith("|") and not re.match(r"\|\s*-", line)
    ]


def test_docs_page_shows_every_rule_with_its_citation_and_confidence() -> None:
    rows = _rows(DOCS.read_text("utf-8"))
    for lv in APPEAL_LEVELS:
        matches = [r for r in rows if r[:2] == [f"`{lv.plan.value}`", str(lv.number)]]
        assert len(matches) == 1, (lv.plan, lv.number)
        row = " | ".join(matches[0])
        assert lv.citation in row
        assert lv.window in row
        assert lv.counts_from in row
        tag = "**verify**" if lv.confidence == "verify" else lv.confidence
        assert tag in row
    for lv in MEDICAID_ENROLLEE_LEVELS:
        key = ["`medicaid` (`enrollee=True`)", str(lv.number)]
        (match,) = [r for r in rows if r[:2] == key]
        row = " | ".join(match)
        assert lv.citation in row and lv.window in row and lv.counts_from in row
        assert ("**verify**" if lv.confidence == "verify" else lv.confidence) in row
    for year in (2015, 2016, 2017, 2018, 2022, 2024, 2025, 2026):
        aic = amount_in_controversy(year)
        matches = [r for r in rows if r[:1] == [str(year)]]
        assert len(matches) == 1
        assert f"${aic.alj_hearing:,}" in matches[0][1]
        court = "not known" if aic.judicial_review is None else f"${aic.judicial_review:,}"
        assert court in matches[0][2]
        assert aic.confidence in matches[0][4]


# ------------------------------------------------------------------ federal holidays

# Observed dates as OPM publishes them (a Saturday holiday on the Friday before, a Sunday one
# on the Monday after), written out by hand.
KNOWN_HOLIDAYS = {
    2020: ["01-01", "01-20", "02-17", "05-25", "07-03", "09-07", "10-12", "11-11", "11-26",
           "12-25"],
    2021: ["01-01", "01-18", "02-15", "05-31", "06-18", "07-05", "09-06", "10-11", "11-11",
           "11-25", "12-24", "12-31"],
    2022: ["01-17", "02-21", "05-30", "06-20", "07-04", "09-05", "10-10", "11-11", "11-24",
           "12-26"],
    2023: ["01-02", "01-16", "02-20", "05-29", "06-19", "07-04", "09-04", "10-09", "11-10",
           "11-23", "12-25"],
    2025: ["01-01", "01-20", "02-17", "05-26", "06-19", "07-04", "09-01", "10-13", "11-11",
           "11-27", "12-25"],
    2026: ["01-01", "01-19", "02-16", "05-25", "06-19", "07-03", "09-07", "10-12", "11-11",
           "11-26", "12-25"],
    2028: ["01-17", "02-21", "05-29", "06-19", "07-04", "09-04", "10-09", "11-10", "11-23",
           "12-25"],
    2033: ["01-17", "02-21", "05-30", "06-20", "07-04", "09-05", "10-10", "11-11",
           "11-24", "12-26"],
}  # fmt: skip


@pytest.mark.parametrize("year", sorted(KNOWN_HOLIDAYS))
def test_federal_holidays_match_the_published_dates(year: int) -> None:
    from denialkit.deadlines import federal_holidays

    got = [d.isoformat()[5:] for d in federal_holidays(year)]
    assert got == KNOWN_HOLIDAYS[year]


def test_federal_holidays_2020_to_2035_agree_with_an_independent_calendar() -> None:
    holidays = pytest.importorskip("holidays")
    from denialkit.deadlines import federal_holidays, is_business_day

    theirs = holidays.US(years=range(2019, 2037), observed=True)
    for year in range(2020, 2036):
        # the other calendar lists the actual day beside the observed one; a weekend day is
        # no business day either way, so compare the weekdays
        expected = sorted(d for d in theirs if d.year == year and d.weekday() < 5)
        assert list(federal_holidays(year)) == expected, year
        assert 10 <= len(expected) <= 12
        day = date(year, 1, 1)
        while day.year == year:
            assert is_business_day(day) == (day.weekday() < 5 and day not in expected)
            day += timedelta(days=1)


def test_next_business_day_skips_weekends_and_holidays() -> None:
    from denialkit.deadlines import next_business_day

    assert next_business_day(date(2026, 3, 2)) == date(2026, 3, 2)  # a Monday
    assert next_business_day(date(2026, 2, 28)) == date(2026, 3, 2)  # Saturday
    assert next_business_day(date(2026, 1, 17)) == date(2026, 1, 20)  # Sat, Sun, MLK Day
    assert next_business_day(date(2021, 12, 24)) == date(2021, 12, 27)  # Christmas observed
    assert next_business_day(date(2021, 12, 31)) == date(2022, 1, 3)  # New Year's observed
    assert next_business_day(date(9999, 12, 25)) == date(9999, 12, 27)


@pytest.mark.parametrize("junk", [None, "2026-03-02", 20260302, datetime(2026, 3, 2)])
def test_business_day_functions_refuse_junk(junk: object) -> None:
    from denialkit.deadlines import federal_holidays, is_business_day, next_business_day

    with pytest.raises(TypeError, match=r"must be a datetime\.date"):
        is_business_day(junk)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"must be a datetime\.date"):
        next_business_day(junk)  # type: ignore[arg-type]
    if not isinstance(junk, int):
        with pytest.raises(TypeError, match="year must be an int"):
            federal_holidays(junk)  # type: ignore[arg-type]


@pytest.mark.parametrize("year", [0, -1, 10000, 10**30])
def test_federal_holidays_out_of_range(year: int) -> None:
    from denialkit.deadlines import federal_holidays

    with pytest.raises(DeadlineError, match="outside 1 to 9999"):
        federal_holidays(year)


def test_every_deadline_rule_has_a_citation_and_a_confidence() -> None:
    for lv in (*APPEAL_LEVELS, *MEDICAID_ENROLLEE_LEVELS):
        assert lv.citation.strip(), (lv.plan, lv.number)
        assert lv.confidence in CONFIDENCE, (lv.plan, lv.number)
        assert lv.payer_window in PAYER_WINDOW
        assert lv.short_month in ("last-day", "next-month")
        assert (lv.days_since is None) == (lv.earlier_days is None)
    for aic in AMOUNTS_IN_CONTROVERSY:
        assert aic.source.strip() and aic.confidence in CONFIDENCE
