"""Layouts and wordings found in the round-9 letters (``letters/*-r9-*``), each tested on the
short letters of :mod:`test_phrasings`: the fix holds for the class of wording, and the defect
it must not hide is still found.
"""

from __future__ import annotations

import pytest

from .test_phrasings import PATIENT, PROVIDER, errors, rules, sub

# -- enclosures named in a sentence (DK118) ------------------------------------------


@pytest.mark.parametrize(
    "sentence",
    [
        "I have enclosed the operative report and the discharge summary.",
        "Visit note attached.",
        "I have attached Dr. Hollis's visit note and the order for the study.",
        "Copies of my receipt and of the approval letter are enclosed.",
        "I have enclosed the history and physical, the physician orders and the progress notes.",
        "The enclosed records show the same.",
        'Your notice says "not covered." The X-rays are attached.',
    ],
)
def test_enclosures_named_in_a_sentence_need_no_list(sentence: str) -> None:
    text = sub(PATIENT, "Enclosures: allergist's note\n", sentence + "\n")
    assert "DK118" not in rules(text)


@pytest.mark.parametrize(
    "sentence",
    [
        "Supporting documentation is enclosed.",
        "Please see the attached documents regarding this claim.",
        # a document named in another sentence does not name this one's
        'The notice said "denied." Enclosed is the information you asked for.',
        # nor does "in order to", or a service's name
        "In order to help, I have attached more information about the testing.",
    ],
)
def test_enclosures_not_named_still_need_a_list(sentence: str) -> None:
    text = sub(PATIENT, "Enclosures: allergist's note\n", sentence + "\n")
    assert "DK118" in rules(text)


def test_one_unnamed_mention_among_named_ones_still_warns() -> None:
    text = sub(
        PATIENT,
        "Enclosures: allergist's note\n",
        "I have enclosed the allergist's note. Other documents are attached as well.\n",
    )
    assert "DK118" in rules(text)


# -- recipients (DK112) ----------------------------------------------------------------


@pytest.mark.parametrize(
    "unit",
    [
        "Claims Reconsideration",
        "Managed Health Care Bureau - External Review",
        "Utilization Management - Level 2 Appeals",
        "Provider Reconsideration",
        "Office of the Superintendent of Insurance",
        "Office of the Insurance Commissioner",
    ],
)
def test_a_unit_named_for_what_it_decides_addresses_the_letter(unit: str) -> None:
    text = sub(PROVIDER, "Provider Appeals\n", unit + "\n")
    assert "DK112" not in rules(text)


@pytest.mark.parametrize("heading", ["Request for Reconsideration", "Notice of Redetermination"])
def test_a_heading_is_no_recipient(heading: str) -> None:
    text = sub(PROVIDER, "Prairie Health Plan\nProvider Appeals\n", heading + "\n")
    assert "DK112" in errors(text)


# -- the argument (DK111) ----------------------------------------------------------------

_ARGUED = """\
Dear Reviewer:

The crown on tooth 30 was denied with CO-50. After the old filling and the decay were
removed, less than half of the tooth remained, {reason}.

Please reconsider the denial and pay the claim.
"""


@pytest.mark.parametrize(
    "reason",
    [
        "and your dental policy covers a crown in that case",
        "and a filling cannot protect a molar that has lost a cusp",
        "which makes a crown the only lasting repair",
        "which qualifies for a crown under the plan",
        "and a crown is a covered benefit for such a tooth",
    ],
)
def test_reasons_from_the_plans_coverage_are_an_argument(reason: str) -> None:
    body = _ARGUED.format(reason=reason)
    text = sub(
        PROVIDER,
        PROVIDER[PROVIDER.index("Dear Reviewer:") : PROVIDER.index("Enclosures:")],
        body + "\n",
    )
    assert "DK111" not in rules(text)


def test_a_letter_without_reasons_still_has_no_argument() -> None:
    body = _ARGUED.format(reason="and we would like the crown paid now please")
    text = sub(
        PROVIDER,
        PROVIDER[PROVIDER.index("Dear Reviewer:") : PROVIDER.index("Enclosures:")],
        body + "\n",
    )
    assert "DK111" in errors(text)


# -- dates of service (DK105) ------------------------------------------------------------


@pytest.mark.parametrize(
    "line",
    [
        "Period of service: 03/03/2026 - 03/31/2026",
        "Service period: 03/03/2026 through 03/31/2026",
        "Statement covers period: 030326 - 033126\nFrom 03/03/2026",
        "Dates of care: March 3, 2026",
    ],
)
def test_a_period_of_service_gives_the_dates(line: str) -> None:
    text = sub(PROVIDER, "Date of service: March 3, 2026\n", line + "\n")
    assert "DK105" not in rules(text)
    # a label with no date after it is still no date of service
    assert "DK105" in errors(
        sub(PROVIDER, "Date of service: March 3, 2026\n", "Period of service: pending\n")
    )
