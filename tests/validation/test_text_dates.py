"""The dates the rules see in a text (DK401, DK105, DK114, DK410, DK411 all read them).

The validator finds a written-out date by reading backwards from its year, in one anchored
match on the reversed text. These tests hold it to the plain definition: for each year, the
leftmost place in the 22 characters before it from which "March 31st, " or "31 Mar. " runs
up to the year (a line break counting as a space).
"""

from __future__ import annotations

import re
from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from denialkit.validation import Document, validate_text
from denialkit.validation._analysis import scan

_MONTHS = {
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7,
    "august": 8, "september": 9, "october": 10, "november": 11, "december": 12,
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sept": 9,
    "sep": 9, "oct": 10, "nov": 11, "dec": 12,
}  # fmt: skip
_BEFORE_YEAR = re.compile(
    r"(?:(?P<mn>[a-z]{3,9})\.?[ \t]+(?P<md>[0-9]{1,2})(?:st|nd|rd|th)?,?"
    r"|(?P<dd>[0-9]{1,2})[ \t]+(?P<dm>[a-z]{3,9})\.?,?) {1,3}\Z"
)


def named_dates(text: str) -> list[tuple[int, int, date | None]]:
    """Written-out dates by the plain definition: ``(start, end, date or None)``; a line
    break inside a date reads as a space (a wrapped line)."""
    low = text.lower().replace("\n", " ").replace("\r", " ")
    out = []
    for y in re.finditer(r" (?=[0-9]{4}(?![0-9]))", low):
        j = y.start()
        b = _BEFORE_YEAR.search(low, max(0, j - 22), j + 1)
        if b is None:
            continue
        start = b.start()
        before = low[start - 1] if start else " "
        if b.group("mn"):
            month, day, glued = _MONTHS.get(b.group("mn")), b.group("md"), before.isalpha()
        else:
            month, day, glued = _MONTHS.get(b.group("dm")), b.group("dd"), before.isdigit()
        if month is None or glued:
            continue
        try:
            value: date | None = date(int(low[j + 1 : j + 5]), month, int(day))
        except ValueError:
            value = None
        out.append((start, j + 5, value))
    return out


def found(text: str) -> list[tuple[int, int, date | None]]:
    return [tuple(t) for t in scan(Document(text)).dates]  # type: ignore[misc]


_PIECES = st.sampled_from(
    [
        "march", "mar", "sept", "september", "may", "december", "ember", "xmarch", "feb",
        "1", "3", "30", "31", "123", "2026", "1999", "20261", " 2026", "  ", " ", "\t",
        " " * 17, ",", ".", "st", "nd", "th", "on ", "x", "\n", "\r\n", "0",
    ]
)  # fmt: skip


@settings(max_examples=600, deadline=None)
@given(st.lists(_PIECES, min_size=1, max_size=16).map("".join))
def test_named_dates_are_found_as_the_plain_definition_finds_them(text: str) -> None:
    # no "-" or "/" here; a numeric date with dots ("1.2.2026") has no letter
    named = [t for t in found(text) if any(c.isalpha() for c in text[t[0] : t[1]])]
    assert named == named_dates(text)


def test_the_leftmost_start_in_the_window_counts() -> None:
    assert found("On March 31st, 2026 and 31 Mar. 2026.") == [
        (3, 19, date(2026, 3, 31)),
        (24, 36, date(2026, 3, 31)),
    ]
    # the window is 22 characters: a month name cut by it, or glued to a letter, is no date
    assert found("march" + " " * 15 + "3, 2026") == [(0, 27, date(2026, 3, 3))]
    assert found("march" + " " * 16 + "3, 2026") == []  # the window starts at "arch"
    assert found("ember" + " " * 15 + "3, 2026") == []
    assert found("xmarch 3, 2026") == []
    assert found("(September 30, 2026)") == [(1, 19, date(2026, 9, 30))]
    # the day of "26 june" glued to the year before it is no date, and that year still counts
    assert found("march 1, 2026 june 2027") == [(0, 13, date(2026, 3, 1))]


def test_a_user_sees_an_impossible_date_and_not_a_possible_one() -> None:
    by_rule = validate_text("Dated February 30, 2026 and March 3, 2026.\n").by_rule()
    assert [str(f.location) for f in by_rule["DK401"]] == ["1:7"]


def test_a_date_wrapped_over_two_lines_is_one_date() -> None:
    # a hard-wrapped line (an e-mail program, a PDF copy) may break a date anywhere
    assert found("done on May\n20, 2026.") == [(8, 20, date(2026, 5, 20))]
    assert found("done on May 20,\r\n2026.") == [(8, 21, date(2026, 5, 20))]
    assert found("on the 3rd of\nMarch 2026") == [(3, 24, date(2026, 3, 3))]
    # and a user sees it as the letter's date of service
    text = "Claim 1234\nThe visit on March\n3, 2026 was denied.\n"
    assert date(2026, 3, 3) in scan(Document(text)).date_set


def test_dates_as_other_systems_print_them() -> None:
    assert found("seen 12-Mar-2026, billed 14-APR-2026") == [
        (5, 16, date(2026, 3, 12)),
        (25, 36, date(2026, 4, 14)),
    ]
    assert found("dated 03.12.2026 and 2026/03/12") == [
        (6, 16, date(2026, 3, 12)),
        (21, 31, date(2026, 3, 12)),
    ]
    # a month that is no month, or a letter glued before the day, is no date
    assert found("12-Foo-2026 x12-Mar-2026") == []


def test_a_letter_dated_with_its_weekday_is_dated() -> None:
    text = "Jane Roe\n1 Main St\n\nTuesday, April 14, 2026\n\nDear Reviewer:\n"
    assert scan(Document(text)).letter_date == (date(2026, 4, 14), 29)
