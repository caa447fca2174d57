"""Letters from :func:`denialkit.appeal` carry the validator's report (issue 5, point 5)."""

from __future__ import annotations

from datetime import date

import pytest

from denialkit.letters import appeal, example_claim, example_codes
from denialkit.validation import Validator, check

LETTER_DATE = date(2026, 11, 2)


def test_the_complete_ccm21_example_has_no_error() -> None:
    letter = appeal("CCM21", example_claim("CCM21"), letter_date=LETTER_DATE)
    assert letter.missing == ()
    report = letter.report
    assert report.ok, [str(f) for f in report.errors]
    assert report == check(letter)
    assert letter.report is report  # computed once


def test_without_its_consent_date_exactly_the_missing_fact_at_its_marker() -> None:
    claim = example_claim("CCM21").without_fact("consent_date")
    letter = appeal("CCM21", claim, letter_date=LETTER_DATE)
    assert letter.missing == ("consent date",)
    marker = letter.text.index("[MISSING: consent date]")
    line = letter.text.count("\n", 0, marker) + 1
    column = marker - (letter.text.rfind("\n", 0, marker) + 1) + 1
    (error,) = letter.report.errors
    assert error.rule_id == "DK307"
    assert (error.location.line, error.location.column) == (line, column)
    assert error.message == "the fact 'consent date' is missing from the letter"
    assert letter.report.warnings == ()


@pytest.mark.parametrize("code", example_codes())
def test_every_bundled_example_letter_passes(code: str) -> None:
    letter = appeal(code, example_claim(code), letter_date=LETTER_DATE)
    assert letter.report.ok, [str(f) for f in letter.report.errors]


@pytest.mark.parametrize("code", example_codes())
def test_every_bundled_example_letter_passes_as_text_without_its_claim(code: str) -> None:
    """The validator's verdict on the project's own letters agrees with the generator, also
    when a person checks the text alone ("Service: 99213" without "CPT", a "Provider
    Appeals" recipient line)."""
    letter = appeal(code, example_claim(code), letter_date=LETTER_DATE)
    report = Validator(today=LETTER_DATE).check(letter.text)
    assert report.ok, [str(f) for f in report.errors]


def test_an_edited_letter_text_is_checked_against_its_claim() -> None:
    letter = appeal("CCM21", example_claim("CCM21"), letter_date=LETTER_DATE)
    edited = letter.text.replace(letter.claim.claim_number, "26274801234599", 1)
    v = Validator(today=LETTER_DATE)
    found = v.check(edited, claim=letter.claim).by_rule()
    assert [f.location.path for f in found["DK210"]] == ["claim_number"]
    assert "26274801234599" not in found["DK210"][0].message


def test_a_late_letter_warns_but_does_not_block() -> None:
    claim = example_claim("CCM21")
    cause = "the notice was sent to an address the practice had left"
    claim = claim.evolve(facts={**claim.facts, "good_cause": cause})
    late = appeal("CCM21", claim, letter_date=date(2027, 3, 1))
    (warning,) = late.report.by_rule()["DK408"]
    assert warning.severity.value == "warning"
    assert "after the filing deadline (42 CFR 405.942(a))" in warning.message
    assert late.report.ok
