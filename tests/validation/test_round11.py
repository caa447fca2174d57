"""Wordings and layouts found in the round-11 letters (``letters/*-r11-*``: tables aligned
with spaces, payers' own codes beside CARCs, dental, drug plans, ambulance, DME, anesthesia,
home health, skilled nursing, hospice, surprise billing, workers' compensation and auto
claims, letters pasted from a PDF, e-mails and faxes), each tested on the short letters of
:mod:`test_phrasings`: the fix holds for the class of wording, and the defect it must not
hide is still found.
"""

from __future__ import annotations

from datetime import date

import pytest

from denialkit.validation import Document
from denialkit.validation._analysis import scan

from .conftest import LETTER_DAY
from .test_phrasings import PART_D, PATIENT, PROVIDER, errors, rules, sub

# -- a table aligned with spaces or tabs (DK104, DK105) ---------------------------------

_SPACED = """\
Claim number       Date of service   CPT     Units   Billed
26031100418        02/02/2026        97530   2       $164.00
26031100419        02/09/2026        97530   2       $164.00
                                                     -------
Total                                                $328.00
"""

_TABBED = (
    "Claim #\tDOS\tCPT\tBilled\n"
    "26031100418\t02/02/2026\t97530\t$164.00\n"
    "26031100419\t02/09/2026\t97530\t$164.00\n"
)


def _claims_table(table: str) -> str:
    text = sub(PROVIDER, "Claim number: 2026-1234\nDate of service: March 3, 2026\n", "")
    return sub(text, "Dear Reviewer:", table + "\nDear Reviewer:")


@pytest.mark.parametrize("table", [_SPACED, _TABBED])
def test_a_table_aligned_with_spaces_gives_its_claim_numbers_and_dates(table: str) -> None:
    text = _claims_table(table)
    sc = scan(Document(text, today=LETTER_DAY))
    assert [v.value for v in sc.claim_numbers] == ["26031100418", "26031100419"]
    assert {t.value for t in sc.service_dates_text} == {date(2026, 2, 2), date(2026, 2, 9)}
    assert not {"DK104", "DK105"} & errors(text)


def test_a_spaced_table_without_a_claim_number_column_still_lacks_one() -> None:
    table = "Date of service   CPT     Billed\n02/02/2026        97530   $164.00\n"
    assert "DK104" in errors(_claims_table(table))


def test_a_line_of_prose_ends_a_spaced_table() -> None:
    # the paragraph right under the table is not a row: its number is no claim number
    table = (
        "Claim number       Date of service\n"
        "Pending            02/02/2026\n"
        "Our reference 5512-8890 is on the enclosed log.\n"
    )
    assert "DK104" in errors(_claims_table(table))


def test_one_label_and_its_value_aligned_with_spaces_is_no_table() -> None:
    # "Claim number     Date of service" would be a header; a label and a value are a field
    text = sub(PROVIDER, "Claim number: 2026-1234", "Claim number      2026-1234")
    assert "DK104" not in errors(text)


# -- a payer's own code shaped like a CARC (DK206, DK208) -------------------------------


@pytest.mark.parametrize(
    "cited", ["CO-50 and your own adjustment code Z98", "CO-50 / reason code X4", "reason code Z98"]
)
def test_a_payers_letter_code_no_carc_starts_with_is_only_warned_about(cited: str) -> None:
    text = sub(PROVIDER, "(CO-50)", f"({cited})")
    assert "DK206" not in errors(text)
    assert "DK208" in rules(text)


@pytest.mark.parametrize("cited", ["CO-B99", "reason code A99", "CO-977 and code Z98"])
def test_a_mistyped_carc_beside_it_is_still_an_error(cited: str) -> None:
    text = sub(PROVIDER, "(CO-50)", f"({cited})")
    assert "DK206" in errors(text)


# -- a range of days in one month (DK105) -------------------------------------------------


@pytest.mark.parametrize(
    "written", ["February 2-6, 2026", "February 2\u20136, 2026", "Feb. 2 - 6, 2026"]
)
def test_a_range_of_days_in_one_month_is_a_date_of_service(written: str) -> None:
    text = sub(PROVIDER, "Date of service: March 3, 2026", f"Dates of service: {written}")
    sc = scan(Document(text, today=LETTER_DAY))
    assert [t.value for t in sc.service_dates_text] == [date(2026, 2, 6)]
    assert "DK105" not in errors(text)


def test_a_range_after_the_letter_is_still_after_it() -> None:
    text = sub(PROVIDER, "Date of service: March 3, 2026", "Dates of service: May 4-6, 2026")
    assert "DK403" in errors(text)


# -- recipients (DK112) -------------------------------------------------------------------


@pytest.mark.parametrize(
    "unit",
    [
        "Claims Appeal Committee",
        "Personal Injury Protection Unit",
        "Benefits Review Committee",
    ],
)
def test_a_committee_or_an_auto_insurers_unit_is_a_recipient(unit: str) -> None:
    text = sub(PATIENT, "Member Appeals\n", f"{unit}\n")
    assert "DK112" not in errors(text)


def test_a_forms_greeting_to_an_appeals_unit_is_a_recipient() -> None:
    text = sub(PATIENT, "Member Appeals\n", "")
    assert "DK112" in errors(text)
    greeted = sub(text, "To whom it may concern:", "To Granite Peak Rx Appeals:")
    assert "DK112" not in errors(greeted)


def test_a_heading_named_claims_is_no_recipient() -> None:
    text = sub(PATIENT, "Member Appeals\n", "")
    text = sub(text, "To whom it may concern:", "Claims:\n\nTo whom it may concern:")
    assert "DK112" in errors(text)


# -- Part D and casualty claims: which id (DK102) -------------------------------------------


def test_a_part_d_appeal_with_the_plans_member_id_needs_no_mbi() -> None:
    text = sub(PART_D, "Medicare number: 6HF2-DJ3-YQ58\n", "")
    assert "DK102" not in errors(text)


def test_an_original_medicare_appeal_still_needs_the_mbi() -> None:
    text = sub(PROVIDER, "Prairie Health Plan\n", "Medicare Part B Redeterminations\n")
    assert "DK102" in errors(text)


def test_an_auto_medical_payments_claim_needs_no_member_id() -> None:
    text = sub(PROVIDER, "Member ID: PHP1234567\n", "Date of loss: 12/29/2025\n")
    assert "DK102" in errors(sub(text, "Date of loss: 12/29/2025\n", ""))
    text = sub(text, "Please reconsider", "Under the medical payments coverage, please reconsider")
    assert "DK102" not in errors(text)


# -- the argument, the decision and the request (DK107, DK110, DK111) --------------------

_BODY = (
    "The visit was denied as not medically necessary (CO-50). The enclosed note documents why "
    "the\nvisit was needed: she came in with new chest pain and an abnormal ECG."
)


@pytest.mark.parametrize(
    "argument",
    [
        "She took warfarin for four years; it had to be stopped after a stomach bleed.",
        "Skilled wound care is a daily skilled service under 42 CFR 409.33(b).",
        "My state's surprise billing law covers ground ambulances.",
        "I did not choose the ambulance; the county sent it.",
    ],
)
def test_reasons_from_a_drug_history_a_regulation_or_a_law_are_an_argument(
    argument: str,
) -> None:
    text = sub(PATIENT, "My allergist ordered\nit because", "Then")
    text = sub(text, "and her note explains why.", argument)
    assert "DK111" not in errors(text)


def test_a_letter_with_no_reason_still_argues_nothing() -> None:
    text = sub(PATIENT, "My allergist ordered\nit because", "Then")
    text = sub(text, "and her note explains why.", "It was on a Tuesday.")
    assert "DK111" in errors(text)


@pytest.mark.parametrize(
    "decision",
    [
        "The anesthesia was paid for 6 time units when the record supports 10 (CO-45).",
        "The period was paid as a low-utilization payment adjustment (CO-45).",
    ],
)
def test_how_the_payer_cut_the_payment_is_the_decision(decision: str) -> None:
    letter = sub(PROVIDER, "reconsider the denial and pay", "reconsider and pay")
    text = sub(letter, _BODY, decision + " The enclosed record shows every\nvisit.")
    assert "DK107" not in errors(text)
    bare = sub(letter, _BODY, "The enclosed record shows every visit (CO-45).")
    assert "DK107" in errors(bare)


@pytest.mark.parametrize(
    "request_",
    [
        "Please adjust the claim to pay 10 time units.",
        "This notice opens the 30-business-day open negotiation period. We propose a total "
        "payment of $38,900.00.",
    ],
)
def test_an_adjustment_or_an_open_negotiation_is_a_request(request_: str) -> None:
    text = sub(PROVIDER, "Please reconsider the denial and pay the claim.", request_)
    assert "DK110" not in errors(text)
    bare = sub(PROVIDER, "Please reconsider the denial and pay the claim.", "We enclose it.")
    assert "DK110" in errors(bare)


# -- a home health or skilled nursing claim (DK106) --------------------------------------


@pytest.mark.parametrize("line", ["TOB 0329, HIPPS 2HB21", "HIPPS code KAQD1"])
def test_a_claim_billed_by_type_of_bill_and_hipps_code_needs_no_cpt(line: str) -> None:
    text = sub(PROVIDER, "Service: CPT 99214", line)
    assert "DK106" not in errors(text)
    assert "DK106" in errors(sub(PROVIDER, "Service: CPT 99214", "Service: home visits"))


# -- a fax cover sheet's title (DK308) ----------------------------------------------------


def test_a_fax_cover_sheets_title_is_no_field_label() -> None:
    text = "FAX\n\nTo: Prairie Health Plan - Provider Appeals\nPages: 2\n\n" + PROVIDER
    assert "DK308" not in rules(text)


def test_a_fax_field_in_a_templates_letterhead_is_still_found() -> None:
    text = sub(PROVIDER, "(217) 555-0142\n", "(217) 555-0142\nFax\n")
    assert "DK308" in errors(text)


# -- a date at the right end of the letterhead (DK114) -----------------------------------


@pytest.mark.parametrize("gap", ["          ", "\t\t", "      Monday, "])
def test_a_date_at_the_right_end_of_the_letterheads_first_line_dates_the_letter(
    gap: str,
) -> None:
    text = sub(PROVIDER, "\nApril 20, 2026\n", "\n")
    assert "DK114" in errors(text)
    dated = sub(text, "Valley Family Medicine\n", f"Valley Family Medicine{gap}April 20, 2026\n")
    assert "DK114" not in errors(dated)
    assert scan(Document(dated, today=LETTER_DAY)).letter_date[0] == date(2026, 4, 20)


def test_a_date_in_a_field_further_down_does_not_date_the_letter() -> None:
    text = sub(PROVIDER, "\nApril 20, 2026\n", "\n")
    text = sub(text, "Date of service: March 3, 2026", "Date of service:      March 3, 2026")
    assert "DK114" in errors(text)


# -- a table's column of procedure codes (DK106) ------------------------------------------


@pytest.mark.parametrize(
    "table",
    [
        "Tooth   CDT     DOS          Fee\n3       D1351   02/19/2026   $38.00\n",
        "| Tooth | Procedure | Date of service |\n|---|---|---|\n| 3 | D1351 | 02/19/2026 |\n",
    ],
)
def test_codes_in_a_procedure_column_are_service_codes(table: str) -> None:
    text = sub(PROVIDER, "Service: CPT 99214\n", "")
    assert "DK106" in errors(text)
    tabled = sub(text, "Dear Reviewer:", table + "\nDear Reviewer:")
    assert [v.value for v in scan(Document(tabled)).procedure_codes] == ["D1351"]
    assert "DK106" not in errors(tabled)


def test_a_code_under_another_header_is_no_service_code() -> None:
    text = sub(PROVIDER, "Service: CPT 99214\n", "")
    table = "Tooth   Surface   DOS\nD1351   O         02/19/2026\n"
    assert "DK106" in errors(sub(text, "Dear Reviewer:", table + "\nDear Reviewer:"))


# -- a fast-track appeal to a QIO (DK104, DK105, DK107, DK110, DK112) ----------------------

_FAST_TRACK = """\
April 1, 2026

Acentra Health - BFCC-QIO
5201 W. Kennedy Blvd, Suite 900
Tampa, FL 33609

Re: Fast-track appeal for my mother, Ruth Roe
Medicare number: 9XF4-PN2-DT71
Plan: Suncoast Medicare Advantage (HMO)
Date of notice: March 27, 2026 (Notice of Medicare Non-Coverage)

Dear QIO Reviewer,

I am appealing the notice that my mother's skilled nursing care would end on March 29. She
still cannot walk more than ten feet, and her therapist's notes show she needs two more weeks.

Please ask the plan to keep covering her care.

Sincerely,

Joan Roe (daughter)
12 Seagrape Lane, Clearwater, FL 33767
"""


def test_a_fast_track_appeal_of_a_notice_of_non_coverage_is_complete() -> None:
    assert not errors(_FAST_TRACK)


def test_a_fast_track_appeal_still_needs_its_request_and_recipient() -> None:
    text = sub(_FAST_TRACK, "I am appealing the notice", "We got the notice")
    assert "DK110" not in errors(text)
    assert "DK110" in errors(sub(text, "Please ask the plan to keep covering", "Thank"))
    assert "DK112" in errors(sub(_FAST_TRACK, "Acentra Health - BFCC-QIO\n", ""))


# -- a table of the patient's fields; a table of items (DK101, DK106, DK602) -----------

_FIELDS = (
    "Patient Name          Member ID          Group\n"
    "Jane Roe              PHP1234567         4417\n"
)


def test_a_header_of_patient_fields_is_no_second_patient() -> None:
    text = sub(PROVIDER, "Patient: Jane Roe\nMember ID: PHP1234567\n", _FIELDS)
    sc = scan(Document(text, today=LETTER_DAY))
    assert [v.value for v in sc.patient_names] == ["Jane Roe"]
    assert not {"DK101", "DK102", "DK602"} & errors(text)


def test_a_second_row_of_patient_fields_is_a_second_patient() -> None:
    two = _FIELDS + "John Roe              PHP7654321         4417\n"
    text = sub(PROVIDER, "Patient: Jane Roe\nMember ID: PHP1234567\n", two)
    assert "DK602" in errors(text)


@pytest.mark.parametrize(
    ("header", "found"),
    [
        ("Item            HCPCS    Qty   Charge", True),
        ("Item            Kind     Qty   Charge", False),
    ],
)
def test_a_table_with_a_column_of_procedure_codes_names_its_codes(header: str, found: bool) -> None:
    table = f"{header}\nDigital aid     V5261    1     $4,380.00\n"
    text = sub(PROVIDER, "Service: CPT 99214\n", "")
    text = sub(text, "Dear Reviewer:", table + "\nDear Reviewer:")
    assert ("DK106" not in errors(text)) is found


def test_units_reduced_to_one_is_the_decision() -> None:
    letter = sub(PROVIDER, "reconsider the denial and pay", "reconsider and pay")
    text = sub(letter, _BODY, "The units of 96133 were reduced to one (CO-151); the log shows 3.")
    assert "DK107" not in errors(text)


def test_part_of_a_word_is_no_part_d_plan() -> None:
    # "part denied" is no Part D plan: the Medicare appeal still needs the MBI
    text = sub(PROVIDER, "Prairie Health Plan\n", "Medicare Part B Redeterminations\n")
    text = sub(text, "The visit was denied", "The visit was in part denied")
    assert "DK102" in errors(text)
