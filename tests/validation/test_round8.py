"""Layouts and wordings found in the round-8 letters (``letters/*-r8-*``), each tested on the
short letters of :mod:`test_phrasings`: the fix holds for the class of wording, and the defect
it must not hide is still found.
"""

from __future__ import annotations

from datetime import date

import pytest

from denialkit.claim import PlanType
from denialkit.validation import Document
from denialkit.validation._analysis import scan

from .conftest import LETTER_DAY
from .test_phrasings import PATIENT, PROVIDER, errors, rules, sub


def _scan(text: str):  # type: ignore[no-untyped-def]
    return scan(Document(text, today=LETTER_DAY))


# -- the letter's date ---------------------------------------------------------------


@pytest.mark.parametrize(
    "line",
    [
        "Date: Tue, Apr 20, 2026 at 10:42 AM",
        "Date: Mon, 20 Apr 2026 09:14:00 -0500",
        "Date: Thu. April 20, 2026",
        "Date of letter: April 20, 2026",
        "Date of this letter: 04/20/2026",
    ],
)
def test_an_email_header_or_a_labelled_letter_date_dates_the_letter(line: str) -> None:
    text = sub(PATIENT, "April 20, 2026\n", line + "\n")
    assert "DK114" not in rules(text)
    assert _scan(text).letter_date[0] == date(2026, 4, 20)


def test_a_date_label_of_something_else_does_not_date_the_letter() -> None:
    text = sub(PATIENT, "April 20, 2026\n", "Date of denial letter: April 20, 2026\n")
    assert _scan(text).letter_date[0] is None


# -- identifiers ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "line",
    [
        "Member ID .. GPH-61120984",
        "Member ID ... GPH-61120984",
        "Member ID ........ GPH-61120984",
        "Re: Claim 2026-0218-4471 | Member: Jane Roe | ID: GPH-61120984",
        "My insurance number is GPH-61120984.",
        "Insurance #: GPH-61120984",
    ],
)
def test_member_id_layouts(line: str) -> None:
    text = sub(PATIENT, "Member ID: GPH-61120984\n", line + "\n")
    assert "DK102" not in rules(text)


def test_a_tax_id_after_a_pipe_is_no_member_id() -> None:
    text = sub(PATIENT, "Member ID: GPH-61120984\n", "NPI 1234567893 | Tax ID: 12-3456789\n")
    assert "DK102" in errors(text)


@pytest.mark.parametrize(
    "sentence",
    [
        "The claim you denied is number 2026-0218-4471.",
        "The claim for my testing was 2026-0218-4471.",
    ],
)
def test_a_claim_number_after_a_few_words_and_is(sentence: str) -> None:
    text = sub(PATIENT, "Claim number: 2026-0218-4471\n", "")
    assert "DK104" in errors(text)
    assert "DK104" not in rules(sub(text, "To whom it may concern:\n", sentence + "\n"))


def test_words_and_a_short_number_after_claim_are_no_claim_number() -> None:
    text = sub(PATIENT, "Claim number: 2026-0218-4471\n", "The claim you denied was 3 weeks old.\n")
    assert "DK104" in errors(text)


@pytest.mark.parametrize("count", ["2 units", "1 unit each day", "3 visits", "2 x"])
def test_a_count_after_a_procedure_code_is_no_code(count: str) -> None:
    text = sub(PROVIDER, "Service: CPT 99214", f"Service: CPT 97110, {count}")
    assert "DK205" not in rules(text)
    # a malformed code in the same list is still found
    text = sub(PROVIDER, "Service: CPT 99214", f"Service: CPT 9711, {count}")
    assert "DK205" in errors(text)


def test_a_code_in_a_row_after_its_date_of_service() -> None:
    text = sub(PROVIDER, "Service: CPT 99214\n", "")
    text = sub(text, "Date of service: March 3, 2026\n", "Claim 2026-1234   DOS 03/03/26   99214\n")
    assert "DK106" not in rules(text)
    assert "DK106" in errors(sub(text, "   99214", ""))


# -- tables of claims ----------------------------------------------------------------

_TABLE = """\
| Claim # | DOS | CPT | Billed |
|---|---|---|---|
| 2026-1234 | 03/03/2026 | 99214 | $140.00 |
| 2026-1301 | 03/10/2026 | 99214 | $140.00 |
"""


def test_a_table_with_a_header_row_gives_claims_and_dates() -> None:
    text = sub(PROVIDER, "Claim number: 2026-1234\nDate of service: March 3, 2026\n", "")
    assert {"DK104", "DK105"} <= errors(text)
    text = sub(text, "Dear Reviewer:\n", "Dear Reviewer:\n\n" + _TABLE)
    assert not errors(text)
    sc = _scan(text)
    assert [v.value for v in sc.claim_numbers] == ["2026-1234", "2026-1301"]
    assert [t.value for t in sc.service_dates_text] == [date(2026, 3, 3), date(2026, 3, 10)]


def test_a_table_of_several_patients_is_a_second_patient() -> None:
    table = (
        "Claim number | Patient  | Member ID  | Date of service\n"
        "2026-1234    | Jane Roe | PHP1234567 | 03/03/2026\n"
        "2026-1301    | Al Smith | PHP7654321 | 03/10/2026\n"
    )
    text = sub(PROVIDER, "Dear Reviewer:\n", "Dear Reviewer:\n\n" + table)
    assert "DK602" in errors(text)


def test_a_table_of_label_and_value_rows_is_no_column_table() -> None:
    table = (
        "| Patient         | Jane Roe      |\n"
        "| Member ID       | PHP1234567    |\n"
        "| Date of service | March 3, 2026 |\n"
    )
    text = sub(PROVIDER, "Patient: Jane Roe\nMember ID: PHP1234567\n", "")
    text = sub(text, "Date of service: March 3, 2026\n", table)
    assert not errors(text)
    assert _scan(text).table_columns == {}


# -- recipient, signature, enclosures, request ---------------------------------------


@pytest.mark.parametrize("tail", ["Mail Stop 4C", "MS 12-B", "Suite 300", "Attn. Level 1"])
def test_a_unit_line_with_where_the_mail_goes(tail: str) -> None:
    text = sub(PROVIDER, "Provider Appeals\n", f"Medical Appeals, {tail}\n")
    assert "DK112" not in rules(text)
    # a line that only ends in a comma and a name is no unit line
    text = sub(PROVIDER, "Provider Appeals\n", "Medical Appeals, Jane Roe\n")
    assert "DK112" in errors(text)


@pytest.mark.parametrize(
    "signature", ["Maria Chen, MD", "Maria L. Chen, DO, FACP", "Dr. Maria Chen", "maria chen, np"]
)
def test_credentials_sign_a_letter_without_a_closing(signature: str) -> None:
    text = sub(PROVIDER, "Sincerely,\n\nMaria Chen, MD\n", signature + "\nAttending Physician\n")
    assert "DK117" not in rules(text)


def test_a_letter_ending_without_a_name_is_still_unsigned() -> None:
    text = sub(PROVIDER, "Sincerely,\n\nMaria Chen, MD\n", "Thank you for your help with this.\n")
    assert "DK117" in errors(text)
    text = sub(PROVIDER, "Sincerely,\n\nMaria Chen, MD\n", "cc: Maria Chen, MD\n")
    assert "DK117" in errors(text)


@pytest.mark.parametrize("heading", ["## Enclosed", "### Attachments", "- Enclosures:"])
def test_a_markdown_heading_over_the_enclosures(heading: str) -> None:
    text = sub(PROVIDER, "Enclosures: visit note\n", f"{heading}\n\n1. Visit note\n")
    assert "DK118" not in rules(text)


@pytest.mark.parametrize(
    "request_",
    [
        "Please fix this and pay the claim.",
        "Please look at it again and reprocess it.",
        "Please, take another look at the records and overturn it.",
    ],
)
def test_a_request_after_another_imperative(request_: str) -> None:
    text = sub(PATIENT, "Please review this again and cover the testing.", "")
    assert "DK110" in errors(text)
    assert "DK110" not in rules(sub(text, "Enclosures:", request_ + "\n\nEnclosures:"))


def test_please_and_a_word_that_is_no_request() -> None:
    text = sub(PATIENT, "Please review this again and cover the testing.", "")
    text = sub(text, "Enclosures:", "Please note the date and payment history.\n\nEnclosures:")
    assert "DK110" in errors(text)


# -- who writes, to whom, and what the letter argues ---------------------------------


def test_a_senders_address_on_a_from_line_reaches_the_appellant() -> None:
    text = sub(PROVIDER, "(217) 555-0142\n", "")
    text = sub(text, "Valley Family Medicine\n120 Orchard Lane\nSpringfield, IL 62704\n", "")
    assert "DK115" in errors(text)
    line = (
        "From: Valley Family Medicine, 120 Orchard Lane, Springfield, IL 62704 | NPI 1234567893\n"
    )
    assert "DK115" not in rules(line + text)
    assert "DK115" in errors("To: Prairie Health Plan, Springfield, IL 62701\n" + text)


@pytest.mark.parametrize(
    "words", ["Medicare supplement", "Medigap", "secondary coverage", "secondary claim"]
)
def test_a_plan_that_pays_after_medicare_is_no_medicare_plan(words: str) -> None:
    text = sub(
        PROVIDER,
        "The visit was denied",
        f"Medicare Part B paid first; your {words} pays the rest. The visit was denied",
    )
    sc = _scan(text)
    assert sc.plan_kind is PlanType.COMMERCIAL
    assert "DK102" not in rules(text)
    # with a Medicare number the letter goes to Medicare
    medicare = sub(text, "Member ID: PHP1234567", "MBI: 1EG4-TE5-MK73")
    assert _scan(medicare).plan_kind is PlanType.MEDICARE


@pytest.mark.parametrize(
    "argument",
    [
        "It is not a duplicate: the two visits differ in date.",
        "The remittance appears to count last year's doses against this year.",
        "That was a mistake on the plan's side; the wrong location was used.",
    ],
)
def test_round_eight_arguments(argument: str) -> None:
    bare = (
        "Claim 2026-1234 for Jane Roe, member PHP1234567, was denied with code CO-18 on April 2,\n"
        "2026. Our clinic saw her on March 3, 2026 and billed the visit and a virtual check-in\n"
        "on that day. Please pay it.\n"
    )
    assert "DK111" in errors(bare)
    assert "DK111" not in rules(bare + argument + "\n")


@pytest.mark.parametrize("label", ["MEMBER ID NO:", "Member ID No:", "Subscriber ID No"])
def test_a_number_label_shortened_to_no_without_its_dot(label: str) -> None:
    text = sub(PATIENT, "Member ID: GPH-61120984\n", f"{label} GPH-61120984\n")
    assert "DK102" not in rules(text)
    # "no" as a word after a label is no label
    text = sub(PATIENT, "Member ID: GPH-61120984\n", "My policy no longer pays for it.\n")
    assert "DK102" in errors(text)


def test_a_medicaid_recipient_named_after_re() -> None:
    text = sub(
        PATIENT, "Member ID: GPH-61120984\n", "RE: Recipient: Jane Roe - Medicaid ID# P448120\n"
    )
    text = sub(text, "Jane Roe\n14 Birch", "Rocky Peak Medicaid\n14 Birch")
    text = text.replace("Sincerely,\n\nJane Roe\n", "Sincerely,\n\nOffice Manager\n")
    text = text.replace("my allergy", "the allergy").replace("My allergist", "The allergist")
    text = text.replace("I am writing", "We are writing").replace("I had", "she had")
    sc = _scan(text)
    assert sc.plan_kind is PlanType.MEDICAID
    assert "DK101" not in rules(text)


def test_please_with_a_hyphenated_verb_and_a_request() -> None:
    text = sub(PATIENT, "Please review this again and cover the testing.", "")
    text = sub(
        text, "Enclosures:", "Can you please re-check the count and pay the claim?\n\nEnclosures:"
    )
    assert "DK110" not in rules(text)


def test_an_attorneys_demand_is_a_request() -> None:
    text = sub(PATIENT, "Please review this again and cover the testing.", "")
    demand = "We demand that the Plan reverse its adverse benefit determination.\n\n"
    assert "DK110" not in rules(sub(text, "Enclosures:", demand + "Enclosures:"))
    # a demand for something else is no request for review
    other = "The plan may demand a copy of the records.\n\n"
    assert "DK110" in errors(sub(text, "Enclosures:", other + "Enclosures:"))


def test_a_number_after_a_dos_that_is_not_next_to_the_date_is_no_code() -> None:
    text = sub(PROVIDER, "Service: CPT 99214\n", "")
    text = sub(text, "Date of service: March 3, 2026\n", "DOS: 03/03/26, auth ref 55120\n")
    assert "DK106" in errors(text)


@pytest.mark.parametrize("gap", ["   ", " | ", ", ", " - "])
def test_a_code_right_after_a_date_of_service(gap: str) -> None:
    text = sub(PROVIDER, "Service: CPT 99214\n", "")
    text = sub(text, "Date of service: March 3, 2026\n", f"DOS: 03/03/26{gap}99214\n")
    assert "DK106" not in rules(text)


def test_a_date_after_claim_and_was_is_no_claim_number() -> None:
    text = sub(PATIENT, "Claim number: 2026-0218-4471\n", "The claim we sent was 03/14/2026.\n")
    assert "DK104" in errors(text)
