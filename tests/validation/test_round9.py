"""Layouts and wordings found in the round-9 letters (``letters/*-r9-*``), each tested on the
short letters of :mod:`test_phrasings`: the fix holds for the class of wording, and the defect
it must not hide is still found.
"""

from __future__ import annotations

from datetime import date

import pytest

from denialkit.validation import Document
from denialkit.validation._analysis import scan

from .conftest import LETTER_DAY
from .test_phrasings import PATIENT, PROVIDER, errors, rules, sub


def _scan(text: str):  # type: ignore[no-untyped-def]
    return scan(Document(text, today=LETTER_DAY))


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


# -- a portal's copy: each label on its own line over its value --------------------------

_FORM = """\
Online Appeal Submission
Submitted 04/17/2026 14:06 CT
Submitted to: Prairie Health Plan - Provider Appeals

Submitter organization
Valley Family Medicine
Submitter contact
Maria Chen, (217) 555-0142
Billing NPI
1234567893

Member name
Jane Roe
Member ID
PHP1234567
Claim number
2026-1234
Service dates
03/03/2026
Procedure
CPT 99214
Denial reason on remit
CO-50

Appeal explanation
The visit was denied as not medically necessary. The enclosed note documents why the
visit was needed: she came in with new chest pain and an abnormal ECG.

Requested outcome
Please reconsider the denial and pay the claim.

Signature
Maria Chen
"""


def test_a_portal_copy_with_labels_over_values_passes() -> None:
    assert not errors(_FORM)
    assert "DK116" not in rules(_FORM)  # the NPI under its label


def test_a_portal_copy_with_an_empty_field_is_still_found() -> None:
    text = sub(_FORM, "Claim number\n2026-1234\n", "Claim number\n")
    assert {"DK104", "DK308"} <= errors(text)


def test_a_portal_copy_without_its_signer_is_unsigned() -> None:
    assert "DK117" in errors(sub(_FORM, "Signature\nMaria Chen\n", "Signature\n"))


def test_a_template_label_among_the_lines_of_an_address_is_still_a_blank() -> None:
    # a label over a value, but not among other labels over theirs
    text = sub(PROVIDER, "120 Orchard Lane\n", "Street Address\n")
    assert "DK308" in errors(text)
    text = sub(PROVIDER, "Prairie Health Plan\n", "HEALTH PLAN NAME\n")
    assert "DK308" in errors(text)


def test_a_portal_copy_is_dated_by_its_submitted_line() -> None:
    assert _scan(_FORM).letter_date[0] == date(2026, 4, 17)
    text = sub(_FORM, "Submitted 04/17/2026 14:06 CT\n", "Submitted on: April 16, 2026\n")
    assert _scan(text).letter_date[0] == date(2026, 4, 16)
    # a line that only starts with the word is no date line
    text = sub(_FORM, "Submitted 04/17/2026 14:06 CT\n", "Submitted claims 04/17/2026\n")
    assert _scan(text).letter_date[0] != date(2026, 4, 17)


# -- denial codes as remittances and billing systems print them (DK108) -----------------


@pytest.mark.parametrize(
    "cite", ["(Group CO / Reason 50)", "(CO - 50)", "(group: CO, reason: 50)", "(CO50)"]
)
def test_a_group_and_reason_written_apart_cite_the_code(cite: str) -> None:
    text = sub(PROVIDER, "(CO-50)", cite)
    assert "DK108" not in rules(text, codes=["CO-50"])


def test_a_reason_without_its_group_is_no_citation() -> None:
    text = sub(PROVIDER, "(CO-50)", "(for this reason 50 times)")
    assert "DK108" in errors(text, codes=["CO-50"])


# -- drafting markers (DK305) --------------------------------------------------------------


@pytest.mark.parametrize(
    "sentence",
    [
        "I paid the copay with my card ending XXXX-4821.",
        "The old notice showed my number as XXX-XX-1234.",
        "A follow-up visit is TBD pending your decision.",
        "The surgery date is still TBD.",
        "The date of the second stage is TBA until the plan approves the first.",
    ],
)
def test_a_masked_number_or_an_undecided_date_is_no_marker(sentence: str) -> None:
    text = sub(PATIENT, "Please review", sentence + " Please review")
    assert "DK305" not in rules(text)


@pytest.mark.parametrize(
    "sentence",
    ["Date of surgery: TBD", "She was seen on TBD.", "The reason was XXX.", "Dr. TBD ordered it."],
)
def test_a_marker_left_for_a_value_is_still_found(sentence: str) -> None:
    text = sub(PATIENT, "Please review", sentence + "\nPlease review")
    assert "DK305" in errors(text)


# -- labels and signatures found in e-mails and on plan cards -------------------------------


@pytest.mark.parametrize("signer", ["- Jane", "\u2014Jane Roe", "-- Jane Roe"])
def test_an_e_mails_signer_after_a_dash_signs(signer: str) -> None:
    text = sub(PATIENT, "Sincerely,\n\nJane Roe\n", f"Sincerely,\n\n{signer}\n")
    assert not {"DK101", "DK117"} & errors(text)


def test_a_rule_of_dashes_after_the_closing_is_no_signer() -> None:
    text = sub(PATIENT, "Sincerely,\n\nJane Roe\n", "Sincerely,\n\n-----\n")
    assert "DK117" in errors(text)


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("Member ID:", "Certificate number:"),
        ("Member ID:", "Cert #:"),
        ("Claim number:", "Document control number:"),
        ("Claim number:", "Internal control no.:"),
    ],
)
def test_labels_printed_on_cards_and_notices(old: str, new: str) -> None:
    text = sub(PATIENT, old, new)
    assert not {"DK102", "DK104"} & errors(text)


# -- requests in polite or plain words (DK110) ----------------------------------------------


@pytest.mark.parametrize(
    "asking",
    [
        "We would appreciate your reconsideration of this claim.",
        "I would like you to take another look and pay for the testing.",
        "I hope you will change your decision.",
        "I want this decision overturned.",
    ],
)
def test_a_request_in_polite_or_plain_words(asking: str) -> None:
    text = sub(PATIENT, "Please review this again and cover the testing.", asking)
    assert "DK110" not in rules(text)


@pytest.mark.parametrize(
    "sentence", ["I want to tell you about my visit.", "We would like to explain the visit."]
)
def test_a_wish_that_asks_for_nothing_is_no_request(sentence: str) -> None:
    text = sub(PATIENT, "Please review this again and cover the testing.", sentence)
    assert "DK110" in errors(text)
