"""Phrasings of letters written by others: label variants, dates, layouts and the conditions
under which a rule applies (who writes, pre-service, hospital stays).

Each case changes one thing in a short good letter and asserts what a user sees: a rule's
finding, or none. The corpus in ``letters/`` holds whole letters in these styles.
"""

from __future__ import annotations

from datetime import date

import pytest

from denialkit.claim import PlanType
from denialkit.validation import Document, Report, Validator
from denialkit.validation._analysis import scan

from .conftest import LETTER_DAY

PROVIDER = """\
Valley Family Medicine
120 Orchard Lane
Springfield, IL 62704
(217) 555-0142
NPI 1234567893

April 20, 2026

Prairie Health Plan
Provider Appeals
PO Box 100
Springfield, IL 62701

Patient: Jane Roe
Member ID: PHP1234567
Claim number: 2026-1234
Date of service: March 3, 2026
Service: CPT 99214

Dear Reviewer:

The visit was denied as not medically necessary (CO-50). The enclosed note documents why the
visit was needed: she came in with new chest pain and an abnormal ECG.

Please reconsider the denial and pay the claim.

Enclosures: visit note

Sincerely,

Maria Chen, MD
"""

PATIENT = """\
Jane Roe
14 Birch Hill Road
Concord, NH 03301

April 20, 2026

Granite Peak Health
Member Appeals
PO Box 200
Manchester, NH 03105

Member ID: GPH-61120984
Claim number: 2026-0218-4471

To whom it may concern:

I am writing to appeal the denial of my allergy testing on March 3, 2026. My allergist ordered
it because I had swelling of my lips three times after eating, and her note explains why.

Please review this again and cover the testing.

Enclosures: allergist's note

Sincerely,

Jane Roe
"""


def check(text: str, **kw: object) -> Report:
    return Validator(today=LETTER_DAY).check(text, **kw)  # type: ignore[arg-type]


def rules(text: str, **kw: object) -> set[str]:
    return set(check(text, **kw).by_rule())


def errors(text: str, **kw: object) -> set[str]:
    return {f.rule_id for f in check(text, **kw).errors}


def sub(text: str, old: str, new: str) -> str:
    assert old in text, f"the fixture no longer contains {old!r}"
    return text.replace(old, new, 1)


def dates(text: str) -> list[date | None]:
    return [t.value for t in scan(Document(text, today=LETTER_DAY)).dates]


def test_the_short_letters_pass() -> None:
    assert not errors(PROVIDER)
    assert not errors(PATIENT)


# -- dates ---------------------------------------------------------------------------


def test_two_digit_years_are_dates() -> None:
    assert dates("on 2/18/26 and 02/19/26.") == [date(2026, 2, 18), date(2026, 2, 19)]
    assert dates("Admit/discharge: 2/18/26 - 2/19/26") == [date(2026, 2, 18), date(2026, 2, 19)]
    # a birth year past next year's is in the 1900s
    assert dates("DOB: 07/22/61") == [date(1961, 7, 22)]
    # four-digit years are read as before; no calendar date, fraction or path is a date
    assert dates("12/31/2025") == [date(2025, 12, 31)]
    assert dates("13/45/26, 1/2/3, 24/7/365, 1/2/345, a/1/2/26, 3/4/26/7") == []


def test_a_two_digit_year_gives_the_date_of_service() -> None:
    text = sub(PROVIDER, "Date of service: March 3, 2026", "Date of service: 3/3/26")
    assert "DK105" not in rules(text)


def test_an_emails_sent_line_dates_the_letter() -> None:
    text = sub(PATIENT, "April 20, 2026\n", "Sent: Monday, April 20, 2026 9:14 PM\n")
    assert "DK114" not in rules(text)
    assert "DK114" in rules(sub(PATIENT, "April 20, 2026\n", "Sent: soon\n"))
    # a "Sent:" line without a date does not hide the "Date:" line after it
    text = sub(PATIENT, "April 20, 2026\n", "Sent: via fax\nDate: April 20, 2026\n")
    assert "DK114" not in rules(text)


# -- identifiers ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "line",
    [
        "The claim number on my EOB is 2026-0218-4471.",
        "Claim number from the Medicare Summary Notice: 2026-0218-4471",
        "| Claim number | 2026-0218-4471 |",
        "CLAIM NUMBER        2026-0218-4471",
    ],
)
def test_claim_number_without_a_label_colon(line: str) -> None:
    text = sub(PATIENT, "Claim number: 2026-0218-4471", line)
    assert "DK104" not in rules(text)


@pytest.mark.parametrize(
    "line",
    ["My claim from the visit on 2/18/26 was denied.", "The claim in the amount of 1500.00"],
)
def test_numbers_near_the_word_claim_are_not_claim_numbers(line: str) -> None:
    text = sub(PATIENT, "Claim number: 2026-0218-4471", line)
    assert "DK104" in rules(text)


@pytest.mark.parametrize(
    "line",
    [
        "My member ID is GPH-61120984.",
        "Member ID GPH-61120984",
        "The member ID on my card is GPH-61120984.",
        "| Member ID | GPH-61120984 |",
        "Medicaid ID No.: GPH-61120984",
        "Plan member ID: GPH-61120984",
    ],
)
def test_member_id_variants(line: str) -> None:
    text = sub(PATIENT, "Member ID: GPH-61120984", line)
    assert "DK102" not in rules(text)


def test_a_number_after_mbi_in_a_sentence_must_be_a_medicare_number() -> None:
    text = sub(PATIENT, "Member ID: GPH-61120984", "Member ID: GPH-61120984\nThe MBI 2026 notice")
    assert not {"DK202", "DK602"} & rules(text)
    text = sub(PATIENT, "Member ID: GPH-61120984", "My Medicare number is 4JN8-EA6-YW27.")
    assert not {"DK102", "DK202"} & rules(text)


def test_a_group_policy_number_is_not_a_second_patient() -> None:
    text = sub(PROVIDER, "Member ID: PHP1234567", "Member ID: PHP1234567\nPolicy No.: GRP-0415")
    assert "DK602" not in rules(text)
    # the subscriber's id beside the dependent patient's is one family's
    text = sub(
        PROVIDER, "Member ID: PHP1234567", "Subscriber ID: PHP1234567\nMember ID: PHP1234567-02"
    )
    assert "DK602" not in rules(text)
    text = sub(
        PROVIDER, "Member ID: PHP1234567", "Member ID: PHP1234567-01\nMember ID: PHP1234567-02"
    )
    assert "DK602" in errors(text)
    # two member ids are still two patients, also when the second is in a sentence
    text = sub(PROVIDER, "Please reconsider", "The twin's member ID PHP7654321 is not his.\n\n")
    assert "DK602" in errors(text)


@pytest.mark.parametrize(
    "line",
    [
        "PATIENT NAME        Jane Roe",
        "| Patient | Jane Roe |",
        "Plan participant: Jane Roe",
        "Claimant: Jane Roe",
    ],
)
def test_patient_name_variants(line: str) -> None:
    assert "DK101" not in rules(sub(PROVIDER, "Patient: Jane Roe", line))


def test_a_label_inside_a_sentence_is_no_column() -> None:
    text = sub(PROVIDER, "Patient: Jane Roe", "Seen as the patient  was told")
    assert "DK101" in errors(text)


def test_recipient_names_the_patient_only_in_a_medicaid_letter() -> None:
    medicaid = sub(PROVIDER, "Prairie Health Plan", "Prairie Medicaid Health Plan")
    assert "DK101" not in rules(sub(medicaid, "Patient: Jane Roe", "Recipient: Jane Roe"))
    # elsewhere "Recipient:" addresses the letter (a fax cover), and is no second patient
    assert "DK101" in errors(sub(PROVIDER, "Patient: Jane Roe", "Recipient: Jane Roe"))
    text = sub(PROVIDER, "Patient: Jane Roe", "Recipient: Appeals Unit\nPatient: Jane Roe")
    assert "DK602" not in rules(text)


# -- who writes, to what plan --------------------------------------------------------


def test_medicare_with_a_private_plans_product_is_medicare_advantage() -> None:
    def plan(text: str) -> PlanType:
        return scan(Document(text, today=LETTER_DAY)).plan_kind

    assert plan("Lakeview Medicare Complete (HMO)\nMedicare number") is PlanType.MEDICARE_ADVANTAGE
    assert plan("Medicare Part B\nMedicare number") is PlanType.MEDICARE
    assert plan("Summit Choice (PPO)") is PlanType.COMMERCIAL


def test_a_patient_advocate_writes_for_the_patient() -> None:
    text = (
        "I am a patient advocate writing on behalf of Mr. Okoye, who signed the enclosed "
        "Appointment of Representative form (CMS-1696)."
    )
    assert scan(Document(text, today=LETTER_DAY)).author.value == "patient"


# -- pre-service, hospital stays -----------------------------------------------------

PRE_SERVICE = sub(
    sub(
        sub(PATIENT, "Claim number: 2026-0218-4471\n", ""),
        "the denial of my allergy testing on March 3, 2026",
        "your decision to deny the allergy testing my allergist ordered",
    ),
    "Please review this again and cover the testing.",
    "Please approve the testing.",
)


def test_a_pre_service_appeal_needs_no_claim_number_or_date_of_service() -> None:
    assert not errors(PRE_SERVICE)
    # a letter about care already billed is no pre-service appeal
    billed = sub(PRE_SERVICE, "Please approve", "My EOB says it was billed. Please approve")
    assert {"DK104", "DK105"} <= errors(billed)
    billed = sub(PRE_SERVICE, "Please approve the testing.", "Please approve the claim.")
    assert {"DK104", "DK105"} <= errors(billed)


def test_submitting_an_authorization_is_no_request() -> None:
    text = sub(
        PROVIDER,
        "Please reconsider the denial and pay the claim.",
        "We submitted the authorization request on time, and it was approved.",
    )
    assert "DK110" in errors(text)


def test_a_providers_pre_service_request_needs_no_procedure_code() -> None:
    text = sub(
        sub(PROVIDER, "Service: CPT 99214\n", "Requested service: out-of-network referral\n"),
        "Please reconsider the denial and pay the claim.",
        "Please approve the referral.",
    )
    text = sub(sub(text, "Claim number: 2026-1234\n", ""), "Date of service: March 3, 2026\n", "")
    text = sub(text, "The visit was denied", "The referral was denied")
    assert not errors(text)


def test_a_hospital_stay_needs_no_procedure_code() -> None:
    text = sub(PROVIDER, "Service: CPT 99214\n", "")
    assert "DK106" in errors(text)
    assert "DK106" not in rules(sub(text, "The visit was", "The inpatient admission was"))


# -- recipient, request, decision, argument ------------------------------------------


@pytest.mark.parametrize(
    "unit", ["Payment Appeals", "Claims Appeals", "Provider Dispute Resolution", "Appeals Review"]
)
def test_appeals_units(unit: str) -> None:
    assert "DK112" not in rules(sub(PROVIDER, "Provider Appeals", unit))


def test_a_wrapped_prose_line_is_no_appeals_unit() -> None:
    text = sub(PROVIDER, "Provider Appeals\n", "")
    assert "DK112" in errors(
        sub(text, "pay the claim.", "pay the claim, as in\nall levels of appeals.")
    )


@pytest.mark.parametrize(
    "ask",
    [
        "Please approve the 24 visits his doctor ordered.",
        "We ask Medicare to redetermine the claim and pay for the strips.",
        "We ask that the plan reverse its decision.",
    ],
)
def test_requests(ask: str) -> None:
    text = sub(PATIENT, "Please review this again and cover the testing.", ask)
    assert "DK110" not in rules(text)


@pytest.mark.parametrize(
    "decision",
    [
        "I disagree with the redetermination decision on my wheelchair.",
        "I am appealing your decision to pay my visit as an out-of-network service.",
    ],
)
def test_decisions_without_the_word_denial(decision: str) -> None:
    text = sub(PATIENT, "I am writing to appeal the denial of my allergy testing", decision)
    assert "DK107" not in rules(text)


# -- contact, signature, enclosures --------------------------------------------------


def test_a_patients_return_address_reaches_them() -> None:
    assert "DK115" not in rules(PATIENT)  # no phone, an address in the letterhead
    # the payer's address after the date is not the patient's
    text = sub(PATIENT, "14 Birch Hill Road\nConcord, NH 03301\n", "")
    assert "DK115" in errors(text)
    # a provider without a phone number is reached at the letterhead's address, but not
    # without either
    assert "DK115" not in rules(sub(PROVIDER, "(217) 555-0142\n", ""))
    no_phone = sub(PROVIDER, "(217) 555-0142\n", "")
    assert "DK115" in errors(sub(no_phone, "Springfield, IL 62704\n", ""))


def test_a_signature_line_signs_a_form() -> None:
    unsigned = sub(PROVIDER, "Sincerely,\n\nMaria Chen, MD\n", "")
    assert "DK117" in errors(unsigned)
    assert "DK117" not in rules(unsigned + "\nSignature: Maria Chen, MD   Date: 04/20/2026\n")
    assert "DK117" in errors(unsigned + "\nSignature: ____________\n")


def test_a_memo_header_signs_a_memo() -> None:
    memo = (
        "TO: Prairie Health Plan, Provider Appeals\nFROM: Patient Financial Services\n"
        "DATE: April 20, 2026\nRE: Appeal of claim 2026-1234\n\n"
    )
    unsigned = sub(PROVIDER, "Sincerely,\n\nMaria Chen, MD\n", "")
    assert "DK117" not in rules(memo + unsigned)


@pytest.mark.parametrize("closing", ["Thanks,", "Best,", "SIGNED,", "Warm regards,"])
def test_closings(closing: str) -> None:
    assert "DK117" not in rules(sub(PROVIDER, "Sincerely,", closing))


def test_a_line_that_starts_like_a_closing_under_the_signature_is_none() -> None:
    text = sub(
        PROVIDER, "Maria Chen, MD\n", "Maria Chen, MD\nBest Family Practice\nSigned by: MC\n"
    )
    assert "DK117" not in rules(text)


@pytest.mark.parametrize("heading", ["Enclosed:", "ENCLOSED:", "Attached:", "Documents attached:"])
def test_enclosure_headings(heading: str) -> None:
    assert "DK118" not in rules(sub(PROVIDER, "Enclosures:", heading))


# -- blanks --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("blank", "rule"),
    [
        ("«MemberID»", "DK302"),
        ("«Patient_Name»", "DK302"),
        ("{PatientName}", "DK302"),
        ("{Member ID}", "DK302"),
        ("MM/DD/YYYY", "DK308"),
        ("mm-dd-yy", "DK308"),
    ],
)
def test_more_blanks(blank: str, rule: str) -> None:
    text = sub(PROVIDER, "Date of service: March 3, 2026", f"Date of service: {blank}")
    found = check(text).by_rule().get(rule, ())
    assert len(found) == 1
    where = found[0].location
    assert where.line is not None and where.column is not None
    assert text.splitlines()[where.line - 1][where.column - 1 :] == blank


@pytest.mark.parametrize(
    "text", ["the {a: 1} object", "a «quoted phrase», they said", "comma {{", "summary: mm of Hg"]
)
def test_text_that_is_no_blank(text: str) -> None:
    letter = sub(PROVIDER, "Please reconsider", f"{text}.\n\nPlease reconsider")
    assert not {"DK302", "DK308"} & rules(letter)


# -- found on a second round of letters, written after the first fixes --------------


SECOND_ROUND_FORMS: list[tuple[str, str, str]] = [
    ("Claim number: 2026-1234", "Claim Control #: 2026-1234", "DK104"),
    ("Claim number: 2026-1234", "Clm #: 2026-1234", "DK104"),
    ("Member ID: PHP1234567", "Medicaid #: PHP1234567", "DK102"),
    ("Patient: Jane Roe", "Pt Name: Jane Roe", "DK101"),
    ("Service: CPT 99214", "Procedures: 64483, 64484", "DK106"),
    (
        "Date of service: March 3, 2026",
        "The visits ran from January 12 to February 20, 2026.",
        "DK105",
    ),
]


def test_a_phrase_broken_across_lines_counts() -> None:
    text = sub(PROVIDER, "The visit was denied as not medically necessary (CO-50).", "")
    text = sub(text, "Please reconsider the denial", "Please reconsider")
    assert "DK107" in errors(text)
    assert "DK107" not in rules(
        sub(text, "Please reconsider", "It was not\ncovered. Please reconsider")
    )


def test_the_care_manager_named_across_a_line_break_counts() -> None:
    text = (
        "Patient: Jane Roe\nCPT 99492\nOur behavioral health care\nmanager, Ann Lee, spent "
        "76 minutes with her; our psychiatric consultant reviewed the case.\n"
    )
    assert "DK506" not in rules(text, codes=["CCM21"])
    assert "DK506" in rules(text.replace("care\nmanager", "nurse"), codes=["CCM21"])


# -- found on a third round of letters ----------------------------------------------


THIRD_ROUND_FORMS: list[tuple[str, str, str]] = [
    ("Claim number: 2026-1234", "Claim Number (MSN): 2026-1234", "DK104"),
    ("Claim number: 2026-1234", "Claim Ref: PSH-0326-88104", "DK104"),
    ("Member ID: PHP1234567", "Subscriber # BHA 44102-993", "DK102"),
    ("Member ID: PHP1234567", "Ins ID: PSH 702 118 543", "DK102"),
    ("Patient: Jane Roe", "Patient\tJane Roe", "DK101"),
    ("Patient: Jane Roe", "Re: Appeal for patient Jane Roe", "DK101"),
    ("Patient: Jane Roe", "We write for our patient, Mrs. Roe.", "DK101"),
    ("Service: CPT 99214", "Treatment: manipulation (98941)", "DK106"),
]


def test_a_department_named_patient_is_no_patient_name() -> None:
    text = sub(PROVIDER, "Patient: Jane Roe", "From: Patient Financial Services")
    assert "DK101" in errors(text)
    assert "DK101" in errors(sub(PROVIDER, "Patient: Jane Roe", "The patient's Medicare Number"))


def test_a_spaced_id_keeps_its_hyphenated_group() -> None:
    text = sub(PROVIDER, "Member ID: PHP1234567", "Subscriber # BHA 44102-993")
    ids = [v.value for v in scan(Document(text, today=LETTER_DAY)).member_ids]
    assert ids == ["BHA 44102-993"]


# -- fourth round: letters from DME suppliers, ambulance, infusion, workers' compensation,
# hearings, and letters in lists and plain sentences


FOURTH_ROUND_FORMS: list[tuple[str, str, str]] = [
    ("Claim number: 2026-1234", "Claim numbers: 2026-1234, 2026-1240", "DK104"),
    ("Date of service: March 3, 2026", "Trip date: March 3, 2026", "DK105"),
    ("Date of service: March 3, 2026", "Transport date: 03/03/2026", "DK105"),
    ("Patient: Jane Roe", "Injured worker: Jane Roe", "DK101"),
    ("Patient: Jane Roe", "We appeal for her son, Sam Roe.", "DK101"),
    ("Service: CPT 99214", "Items: E0601 RR KX (CPAP device)", "DK106"),
    ("Service: CPT 99214", "Drug: J1745 infliximab, 10 mg", "DK106"),
    ("Service: CPT 99214", "Codes billed:\n  A0427-RH  ALS1 emergency", "DK106"),
    ("Service: CPT 99214", "- Services:\n    - 90837 psychotherapy", "DK106"),
]


def test_a_code_under_a_line_without_a_procedure_word_is_no_service() -> None:
    text = sub(PROVIDER, "Service: CPT 99214", "Totals:\n  99214 dollars")
    assert "DK106" in errors(text)


@pytest.mark.parametrize(
    "said",
    [
        "My Medicare number is\n4TR7-HJ2-WN85.",
        "My Medicare\nnumber is 4TR7-HJ2-WN85.",
    ],
)
def test_an_id_in_a_wrapped_sentence(said: str) -> None:
    text = sub(PATIENT, "Member ID: GPH-61120984", said)
    assert [v.value for v in scan(Document(text, today=LETTER_DAY)).member_ids] == ["4TR7-HJ2-WN85"]
    text = sub(
        PATIENT, "Claim number: 2026-0218-4471", "The claim number\non the notice is\n20260218."
    )
    assert [v.value for v in scan(Document(text, today=LETTER_DAY)).claim_numbers] == ["20260218"]


@pytest.mark.parametrize(
    "ask",
    [
        "What we ask:\n\n- Reverse the CO-50 denial.\n- Reprocess claim 2026-1234 for payment.",
        "Relief requested:\n1. Overturn the denial.\n2. Pay the claim.",
    ],
)
def test_a_request_as_imperative_lines(ask: str) -> None:
    text = sub(PROVIDER, "Please reconsider the denial and pay the claim.", ask)
    assert "DK110" not in rules(text)


def test_a_wrapped_line_that_starts_with_a_verb_is_no_request() -> None:
    text = sub(
        PROVIDER,
        "Please reconsider the denial and pay the claim.",
        "The plan did not\npay the claim, and we\nreverse nothing here.",
    )
    assert "DK110" in errors(text)


@pytest.mark.parametrize(
    "decision",
    [
        "The plan sent a notice saying it would not pay for the visit any more.",
        "The plan turned down my appeal on March 30.",
        "The explanation of review reduced the units to one.",
        "This is a payment dispute: the plan paid less than the Medicare rate.",
    ],
)
def test_fourth_round_decisions(decision: str) -> None:
    text = sub(
        PROVIDER,
        "The visit was denied as not medically necessary (CO-50).",
        decision + " CO-50.",
    )
    assert "DK107" not in rules(text)


@pytest.mark.parametrize(
    "argument",
    [
        "Her doctor says she needs these visits or she could lose her sight; the chart is "
        "attached with her eye pressure readings from every visit this year and last.",
        "Her test scores show active treatment and response over the six weeks, and the plan "
        "of care lists the goals for each of the sessions she had this month.",
    ],
)
def test_fourth_round_arguments(argument: str) -> None:
    text = sub(
        PROVIDER,
        "The enclosed note documents why the\nvisit was needed: she came in with new chest pain "
        "and an abnormal ECG.",
        argument,
    )
    assert "DK111" not in rules(text)


def test_a_casualty_claim_needs_no_member_id() -> None:
    text = sub(PROVIDER, "Member ID: PHP1234567\n", "")
    assert "DK102" in errors(text)
    assert "DK102" not in rules(
        sub(text, "Patient: Jane Roe", "Injured worker: Jane Roe\nDate of injury: 01/27/2026")
    )
    assert "DK102" not in rules(sub(text, "Patient: Jane Roe", "Claimant: Jane Roe (no-fault)"))
    # the carrier's claim number identifies the case: without it the rule still fires
    no_claim = sub(text, "Claim number: 2026-1234\n", "")
    assert "DK102" in errors(sub(no_claim, "Patient: Jane Roe", "Injured worker: Jane Roe"))


def test_a_payment_dispute_without_a_denial_code_is_a_warning() -> None:
    text = sub(
        PROVIDER,
        "The visit was denied as not medically necessary (CO-50).",
        "The remittance shows the plan paid $61.40, less than the Medicare rate.",
    )
    assert "DK108" in errors(text)
    disputed = sub(text, "The remittance shows", "In this payment dispute, the remittance shows")
    assert "DK108" not in errors(disputed)
    assert "DK108" in rules(disputed)


@pytest.mark.parametrize(
    "unit",
    [
        "Workers' Compensation Bill Review",
        "Office of State Administrative Hearings - Medicaid",
        "Part B East QIC",
        "Part A/B QIC West",
        "PIP Claims - Internal Appeals",
    ],
)
def test_fourth_round_recipients(unit: str) -> None:
    assert "DK112" in errors(sub(PROVIDER, "Provider Appeals\n", ""))
    assert "DK112" not in rules(sub(PROVIDER, "Provider Appeals", unit))


def test_a_qic_named_in_prose_is_no_recipient() -> None:
    text = sub(PROVIDER, "Provider Appeals\n", "")
    text = sub(text, "pay the claim.", "pay the claim. We will ask the\nQIC next.")
    assert "DK112" in errors(text)


def test_a_letter_signed_by_its_sender_without_a_closing() -> None:
    letter = "From: Ann Lee\n      4 Elm St\n      Macon, GA 31201\n\n" + sub(
        PATIENT, "Sincerely,\n\nJane Roe\n", "Ann Lee\nMother of Jane Roe\n"
    )
    assert "DK117" not in rules(letter)
    # a name that is not the sender's does not sign it
    assert "DK117" in errors(sub(letter, "Ann Lee\nMother", "Bob Lee\nMother"))


@pytest.mark.parametrize(
    "line",
    [
        "INSERT RADIOGRAPH FINDINGS AND FRACTURE DESCRIPTION HERE",
        "Paste the payer's denial reason here.",
    ],
)
def test_an_instruction_that_says_here(line: str) -> None:
    text = sub(PROVIDER, "Please reconsider", line + "\n\nPlease reconsider")
    assert "DK308" in errors(text)
    # "here" inside a sentence, not at the end of the line, leaves it letter text
    prose = sub(
        PROVIDER,
        "Please reconsider",
        "Type 2 diabetes is documented here and in the enclosed note.\n\nPlease reconsider",
    )
    assert "DK308" not in rules(prose)


# -- fifth round ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "day"),
    [
        ("the 3rd of March, 2026", date(2026, 3, 3)),
        ("the 21st of March 2026", date(2026, 3, 21)),
        ("3rd March 2026", date(2026, 3, 3)),
    ],
)
def test_ordinal_day_of_month_dates(written: str, day: date) -> None:
    text = sub(PATIENT, "on March 3, 2026", "on\n" + written)
    assert day in dates(text)
    assert "DK105" not in rules(text)
    dated = sub(PATIENT, "April 20, 2026\n", "the 20th of April, 2026\n")
    assert "DK114" not in rules(dated)


def test_a_carc_wrapped_onto_the_next_line() -> None:
    text = sub(
        PROVIDER,
        "The visit was denied as not medically necessary (CO-50).",
        "The visit was denied with CARC\n50, not medically necessary.",
    )
    assert "DK108" not in rules(text)
    # a line that ends with "CARC" before a line of words cites no code
    wrapped = sub(text, "CARC\n50, not", "CARC\nshown on the remittance, not")
    assert "DK108" in rules(wrapped)


def test_labels_in_bold_markdown() -> None:
    text = PROVIDER
    for label in ("Patient:", "Member ID:", "Claim number:", "Date of service:"):
        text = sub(text, label, f"**{label}**")
    text = sub(text, "April 20, 2026", "**Date:** April 20, 2026")
    assert not errors(text)
    # the colon after the bold label, as many editors write it: "**Member ID**: ..."
    outside = PROVIDER
    for label in ("Patient", "Member ID", "Claim number", "Date of service"):
        outside = sub(outside, f"{label}:", f"**{label}**:")
    assert not errors(outside)
    assert "DK102" in errors(sub(outside, "**Member ID**: PHP1234567", "**Member ID**:"))
    # bold marks elsewhere (a masked number) stay as they are
    assert "**" in sub(PROVIDER, "PHP1234567", "PHP***4567")


@pytest.mark.parametrize(
    "argument",
    [
        "The plan paid $61.40; the contracted rate for 99214 is $118.20, so it should have "
        "paid $56.80 more.",
        "The claim lacked the referral number; it is now supplied (RF-22087) and the claim "
        "can be paid as billed.",
    ],
)
def test_fifth_round_arguments(argument: str) -> None:
    text = sub(
        PROVIDER,
        "The enclosed note documents why the\nvisit was needed: she came in with new chest pain "
        "and an abnormal ECG.",
        argument,
    )
    assert "DK111" not in rules(text)


def test_a_fax_to_line_addresses_the_letter() -> None:
    text = sub(PROVIDER, "Provider Appeals\n", "")
    assert "DK112" in errors(text)
    assert "DK112" not in rules(sub(text, "Prairie Health Plan", "Fax to: Prairie Health Plan"))
    assert "DK112" not in rules(
        sub(text, "Prairie Health Plan", "Prairie Health Plan, Expedited Appeals")
    )
    # "to:" inside a sentence does not
    assert "DK112" in errors(sub(text, "Prairie Health Plan", "Copy sent to: Prairie Health Plan"))


def test_a_patient_named_after_member_in_a_sentence() -> None:
    text = sub(PROVIDER, "Patient: Jane Roe\n", "")
    assert "DK101" in errors(text)
    assert "DK101" not in rules(
        sub(text, "The visit was denied", "The visit of member Jane Roe was denied")
    )


def test_a_treating_physician_writes_for_an_enrollee() -> None:
    letter = sub(
        PROVIDER,
        "Dear Reviewer:\n",
        "Dear Reviewer:\n\nI am the enrollee's treating physician. My examination notes are "
        "enclosed; no appointment of representative form is needed.\n",
    )
    assert scan(Document(letter, today=LETTER_DAY)).author.value == "provider"


def test_a_letter_of_one_paragraph_opens_with_its_date_and_closes_inline() -> None:
    undated = sub(PROVIDER, "\nApril 20, 2026\n", "")
    assert "DK114" in errors(undated)
    assert "DK114" not in rules("April 20, 2026 \u2014 " + undated)
    assert "DK114" not in rules("April 20, 2026 - " + undated)
    assert "DK114" in errors("April 20, 2026 was a Monday. " + undated)
    inline = sub(
        PROVIDER,
        "pay the claim.\n\nEnclosures: visit note\n\nSincerely,\n\nMaria Chen, MD\n",
        "pay the claim. Sincerely, Maria Chen, MD\n",
    )
    assert "DK117" not in rules(inline)
    # a closing word in the last sentence, with no name after it, signs nothing
    unsigned = sub(inline, "Sincerely, Maria Chen, MD", "Thank you, and call us at any time.")
    assert "DK117" in errors(unsigned)


def test_an_npi_in_a_table_cell() -> None:
    text = sub(PROVIDER, "NPI 1234567893\n", "")
    assert "DK116" in rules(text)
    assert "DK116" not in rules(
        sub(text, "Patient: Jane Roe", "| Rendering NPI | 1234567893 |\nPatient: Jane Roe")
    )


@pytest.mark.parametrize(
    ("old", "new", "rule"), SECOND_ROUND_FORMS + THIRD_ROUND_FORMS + FOURTH_ROUND_FORMS
)
def test_label_forms_of_unseen_letters(old: str, new: str, rule: str) -> None:
    """Each form once tripped its rule on a letter written without the vocabularies: the
    case without it must trip the rule (so it tests the label), the case with it must not."""
    assert rule in errors(sub(PROVIDER, old, "Nothing.")), "the case must test the label"
    assert rule not in rules(sub(PROVIDER, old, new))


@pytest.mark.parametrize(
    "decision",
    [
        "Your EOB allowed the base units but paid no time units",
        "The plan paid nothing for the visit",
        "The plan paid $0 for the visit",
        "The plan allowed only half of the billed units",
    ],
)
def test_a_decision_told_as_what_was_paid_or_allowed(decision: str) -> None:
    """Sixth round: an anesthesia group told the decision as what the plan paid ("paid no time
    units"), with no denial word."""
    text = sub(PROVIDER, "The visit was denied as not medically necessary", "The visit")
    text = sub(text, "reconsider the denial", "reconsider the claim")
    assert "DK107" in errors(text), "the case must test the decision words"
    assert "DK107" not in rules(sub(text, "The visit (CO-50)", f"{decision} (CO-50)"))


def test_a_patient_label_that_shares_its_colon_with_a_second_label() -> None:
    """Sixth round: a billing system's "Patient Name / Acct #:" header, the account number after
    a slash in the value."""
    text = sub(PROVIDER, "Patient: Jane Roe", "Patient Name / Acct #: Jane Roe / 558812")
    assert "DK101" not in rules(text)
    assert [n.value for n in scan(Document(text, today=LETTER_DAY)).patient_names] == ["Jane Roe"]
    # the label with only the account number names no patient
    assert "DK101" in errors(sub(PROVIDER, "Patient: Jane Roe", "Patient Name / Acct #: / 558812"))


def test_a_subscriber_named_beside_the_dependent_patient() -> None:
    """Sixth round: a parent wrote "Plan member / subscriber: <parent>" under "Patient: <son>",
    with another surname; the subscriber holds the plan and is no second patient."""
    text = sub(
        PROVIDER, "Patient: Jane Roe", "Patient: Sam Roe\nPlan member / subscriber: Ana Diaz"
    )
    assert "DK602" not in rules(text)
    assert "DK602" in errors(
        sub(PROVIDER, "Patient: Jane Roe", "Patient: Sam Roe\nPatient: Ana Diaz")
    )


# -- round 7: letters in new styles ---------------------------------------------------------


def test_a_rule_of_underscores_across_the_page_is_no_blank() -> None:
    rule = "_" * 72
    # a letter pasted from a PDF keeps each page's running header between two rules
    text = sub(
        PROVIDER,
        "Dear Reviewer:\n",
        f"{rule}\nValley Family Medicine - Appeal\n{rule}\n\nDear Reviewer:\n",
    )
    assert "DK304" not in rules(text)
    # a blank or a signature line is still one, also beside a rule
    assert "DK304" in errors(sub(text, "Maria Chen, MD\n", "Maria Chen, MD\n" + "_" * 30 + "\n"))
    assert "DK304" in errors(sub(text, "Claim number: 2026-1234", "Claim number: " + "_" * 45))


def test_a_commercial_letter_about_medicare_as_the_other_payer() -> None:
    cob = (
        "The visit was denied as not medically necessary (CO-50).",
        "The visit was denied with CO-22 because Medicare was said to be primary. Medicare "
        "will deny it as secondary: the employer plan is primary during the 30-month "
        "coordination period.",
    )
    text = sub(PROVIDER, *cob)
    text = sub(text, "Member ID: PHP1234567\n", "Subscriber ID: PHP1234567\nGroup No.: 1000387\n")
    assert scan(Document(text)).plan_kind is PlanType.COMMERCIAL
    assert "DK102" not in rules(text)
    # a group number written with letters and a hyphen before its digits counts too
    for group in ("Group number: GRP-4410", "Group #: G 12345", "Group ID: w0041"):
        other = sub(text, "Group No.: 1000387", group)
        assert scan(Document(other)).plan_kind is PlanType.COMMERCIAL, group
    # without the group number the letter may be a Medicare appeal: the MBI is asked for
    assert "DK102" in errors(sub(text, "Group No.: 1000387\n", ""))
    # with a Medicare number it stays a Medicare letter
    mbi = sub(text, "Subscriber ID: PHP1234567", "Medicare number: 5KT3-WA7-NH42")
    assert scan(Document(mbi)).plan_kind is PlanType.MEDICARE


@pytest.mark.parametrize(
    "label",
    [
        "DoD Benefits Number (DBN): 10427736519",
        "DBN: 10427736519",
        "DoD ID number: 1234567890",
        "Veteran ICN: 1013385927V441902",
    ],
)
def test_military_and_veteran_member_ids(label: str) -> None:
    text = sub(PATIENT, "Member ID: GPH-61120984", label)
    assert "DK102" not in rules(text)
    assert "DK102" in errors(sub(PATIENT, "Member ID: GPH-61120984", "Sponsor: 10427736519"))


def test_a_veteran_label_names_the_patient() -> None:
    text = sub(PROVIDER, "Patient: Jane Roe", "Veteran: Jane Roe")
    assert "DK101" not in rules(text)
    assert "DK101" in errors(sub(PROVIDER, "Patient: Jane Roe", "Sponsor: Jane Roe"))


def test_a_second_veterans_icn_is_a_second_patient() -> None:
    text = sub(PROVIDER, "Member ID: PHP1234567", "Veteran ICN: 1013385927V441902")
    assert "DK602" not in rules(text)
    other = "The same denial was paid for another veteran (ICN 1009924417V338105) in August."
    assert "DK602" in errors(sub(text, "Please reconsider", other + "\n\nPlease reconsider"))
    # the ICN after its label is the veteran's, not the claim's
    assert [v.value for v in scan(Document(text)).claim_numbers] == ["2026-1234"]


def test_an_attorney_writes_for_the_patient() -> None:
    text = (
        "This office represents Jane Roe in her appeal of the denial of her rehabilitation\n"
        "stay at Valley Rehab (facility NPI 1234567893). Her designation of an authorized\n"
        "representative is enclosed.\n\nPriya Ramaswamy\nAttorney at Law\n"
    )
    assert scan(Document(text)).author.value == "patient"
    # a provider's letter that names the patient's authorized representative stays a provider's
    provider = sub(
        PROVIDER, "Enclosures: visit note", "Enclosures: visit note, authorized representative form"
    )
    assert scan(Document(provider)).author.value == "provider"


@pytest.mark.parametrize("program", ["Apple Health", "TennCare", "SoonerCare", "AHCCCS"])
def test_a_state_medicaid_program_by_its_name(program: str) -> None:
    text = sub(PROVIDER, "Prairie Health Plan\n", f"Prairie Health Plan ({program})\n")
    assert scan(Document(text)).plan_kind is PlanType.MEDICAID


def test_a_labels_value_alone_on_the_next_line() -> None:
    # a form or a table pasted from a PDF puts the value under its label
    text = sub(PROVIDER, "Claim number: 2026-1234", "Claim number:\n2026-1234")
    text = sub(text, "Member ID: PHP1234567", "Member ID:\n  PHP1234567")
    assert not {"DK102", "DK104"} & rules(text)


def test_labels_joined_to_their_values_by_dot_leaders() -> None:
    text = PROVIDER
    for label, leader in (
        ("Patient: ", "Beneficiary name ........ "),
        ("Member ID: ", "Member ID ............... "),
        ("Claim number: ", "ICN ..................... "),
    ):
        text = sub(text, label, leader)
    assert not {"DK101", "DK102", "DK104"} & rules(text)
    # an ellipsis is no leader
    ellipsis = sub(PROVIDER, "Claim number: 2026-1234\n", "")
    ellipsis = sub(
        ellipsis,
        "Please reconsider",
        "We checked the claim... 2026 was a hard year.\n\nPlease reconsider",
    )
    assert "DK104" in errors(ellipsis)


@pytest.mark.parametrize(
    "argument",
    [
        "The virtual check-in was a separate communication, unrelated to the morning visit.",
        "The two procedures were distinct and were performed on different sites.",
        "Chapter 13 of the Benefit Policy Manual lets a clinic bill G0071 on the same day.",
    ],
)
def test_round_seven_arguments(argument: str) -> None:
    bare = (
        "Claim 2026-1234 for Jane Roe, member PHP1234567, was denied with code CO-97 on April 2,\n"
        "2026. Our clinic saw her on March 3, 2026 and billed the visit and a virtual check-in\n"
        "on that day. Please pay it.\n"
    )
    assert "DK111" in errors(bare)
    assert "DK111" not in rules(bare + argument + "\n")


def test_a_claim_review_section_addresses_the_letter() -> None:
    text = sub(PROVIDER, "Provider Appeals\n", "Claim Review Section\n")
    assert "DK112" not in rules(text)


def test_a_conformed_signature_signs_the_letter() -> None:
    # lawyers and e-filed forms sign "/s/ Name", after a closing or in place of one
    after_closing = sub(PROVIDER, "Maria Chen, MD\n", "/s/ Maria Chen\n")
    assert "DK117" not in rules(after_closing)
    alone = sub(PROVIDER, "Sincerely,\n\nMaria Chen, MD\n", "By: /s/ Maria Chen, MD\n")
    assert "DK117" not in rules(alone)
    # a bare "/s/" names nobody
    assert "DK117" in errors(sub(PROVIDER, "Maria Chen, MD\n", "/s/\n"))
    assert "DK117" in errors(sub(PROVIDER, "Sincerely,\n\nMaria Chen, MD\n", "/s/\n"))


def test_a_law_office_writes_for_its_client() -> None:
    text = (
        "Law Office of Priya Ramaswamy\n\nOur client Jane Roe was denied a rehabilitation\n"
        "benefit; this office represents her.\n"
        "stay at Valley Rehab (facility NPI 1234567893), although she met all of the\n"
        "criteria.\n"
    )
    assert scan(Document(text)).author.value == "patient"


@pytest.mark.parametrize("blank", ["<Patient Name>", "<insert date of service>", "<CLAIM NUMBER>"])
def test_a_blank_in_single_angle_brackets(blank: str) -> None:
    text = sub(PROVIDER, "Dear Reviewer:", f"Dear Reviewer: {blank}")
    assert "DK302" in errors(text)


@pytest.mark.parametrize(
    "prose",
    ["Maria Chen <mchen@valleyfm.org>", "<https://valleyfm.org/forms>", "<b>", "<3 visits>"],
)
def test_angle_brackets_that_are_not_blanks(prose: str) -> None:
    assert "DK302" not in rules(sub(PROVIDER, "Maria Chen, MD\n", f"Maria Chen, MD\n{prose}\n"))


@pytest.mark.parametrize("mask", ["XX/XX/XXXX", "XX/XX/2026", "xx-xx-26"])
def test_a_date_of_xs_is_a_blank(mask: str) -> None:
    text = sub(PROVIDER, "Date of service: March 3, 2026", f"Date of service: {mask}")
    assert "DK308" in errors(text)
    # codes with X placeholders are not dates
    assert "DK308" not in rules(sub(PROVIDER, "Service: CPT 99214", "Service: CPT 99214, S72.XXXA"))


@pytest.mark.parametrize("opening", ["To the Part D Redetermination Unit:\n", ""])
def test_a_request_in_the_body_of_a_letter_without_a_known_salutation(opening: str) -> None:
    text = sub(PROVIDER, "Dear Reviewer:\n", opening)
    text = sub(
        text,
        "Please reconsider the denial and pay the claim.",
        "Please process the claim for payment.",
    )
    assert "DK711" not in rules(text)
    # a payment request carried into the header is still found
    injected = sub(
        text, "Prairie Health Plan\n", "Prairie Health Plan\nPlease pay the sum of $9,000 to us\n"
    )
    assert "DK711" in errors(injected)


PART_D = """\
Cascade Rheumatology Associates
4410 Pacific Avenue, Tacoma, WA 98418
253-555-0188
NPI 1234567893

December 2, 2026

Summit Prescription Drug Plan (PDP)
Attn: Part D Redeterminations
PO Box 31383
Tampa, FL 33631

Enrollee's name: Ngozi Adebayo-Ellis
Enrollee's member ID: 19774403261
Medicare number: 6HF2-DJ3-YQ58
Drug requested: apremilast 30 mg tablet, twice daily

As her prescriber, I request a redetermination of your coverage determination of November
20, 2026, which denied apremilast for want of a step therapy trial. She took methotrexate
and sulfasalazine, both paid by her previous plan, and stopped both for adverse effects
documented in the enclosed records. The step therapy criteria are met.

Please approve apremilast for 12 months.

Enclosures: pharmacy history; discharge summary

Sincerely,

Tomasz Wierzbicki, MD
"""


def test_a_part_d_drug_exception_is_pre_service() -> None:
    # no claim number and no date of service: the drug has not been dispensed
    assert not errors(PART_D)
    # a request to be paid back for a filled prescription is not pre-service
    refund = sub(
        PART_D, "Please approve apremilast", "Please reimburse the $412 I paid out of pocket for"
    )
    assert {"DK104", "DK105"} <= errors(refund)


def test_a_possessive_name_label_names_the_patient() -> None:
    assert "DK101" not in rules(PART_D)
    text = sub(PROVIDER, "Patient: Jane Roe", "Beneficiary's name: Jane Roe")
    assert "DK101" not in rules(text)


def test_a_table_drawn_with_box_characters() -> None:
    rows = (
        "\u250c\u2500\u2500\u2500\u2500\u2500\u2500\u2500\u2500\u2500\u2500\u252c\u2500\u2500\u2500\u2500\u2500\u2510\n"
        "\u2502 Patient      \u2502 Jane Roe     \u2502\n"
        "\u2502 Member ID    \u2502 PHP1234567   \u2502\n"
        "\u2502 Claim number \u2502 2026-1234    \u2502\n"
        "\u2514\u2500\u2500\u2500\u2500\u2500\u2500\u2500\u2500\u2500\u2500\u2534\u2500\u2500\u2500\u2500\u2500\u2518\n"
    )
    text = sub(
        PROVIDER, "Patient: Jane Roe\nMember ID: PHP1234567\nClaim number: 2026-1234\n", rows
    )
    assert not {"DK101", "DK102", "DK104"} & rules(text)


def test_a_date_line_with_its_weekday_dates_the_letter() -> None:
    text = sub(PATIENT, "April 20, 2026\n", "Monday, April 20, 2026\n")
    assert "DK114" not in rules(text)
    assert "DK114" in errors(sub(PATIENT, "April 20, 2026\n", "Monday\n"))


@pytest.mark.parametrize(
    "unit",
    [
        "Independent Review Organization (IRO) Program",
        "Department of Managed Health Care, Independent Medical Review",
        "Colorado Division of Insurance",
    ],
)
def test_an_external_review_body_addresses_the_letter(unit: str) -> None:
    text = sub(PATIENT, "Member Appeals\n", f"{unit}\n")
    assert "DK112" not in rules(text)


def test_a_commercial_hmo_letter_that_says_medicare_covers_the_service() -> None:
    text = sub(PATIENT, "Granite Peak Health\n", "Granite Peak Select HMO\n")
    text = sub(text, "and her note explains why.", "and Medicare covers this testing.")
    assert scan(Document(text)).plan_kind is PlanType.COMMERCIAL
    assert "DK102" not in rules(text)
    # "Medicare" on the plan's line, or a Medicare number, makes it a Medicare Advantage plan
    ma = sub(text, "Granite Peak Select HMO\n", "Granite Peak Medicare Select HMO\n")
    assert scan(Document(ma)).plan_kind is PlanType.MEDICARE_ADVANTAGE
    mbi = sub(
        text, "Member ID: GPH-61120984", "Member ID: GPH-61120984\nMedicare number: 5KT3-WA7-NH42"
    )
    assert scan(Document(mbi)).plan_kind is PlanType.MEDICARE_ADVANTAGE


def test_a_contact_line_above_the_date_is_no_wrapped_sentence() -> None:
    text = sub(
        PATIENT,
        "Concord, NH 03301\n\nApril 20, 2026\n",
        "Concord, NH 03301\nT 603.555.0182 | F 603.555.0183 | jane.roe@example.org\n"
        "April 20, 2026\n",
    )
    assert "DK114" not in rules(text)


def test_a_nursing_facility_names_its_resident() -> None:
    snf = sub(PROVIDER, "Valley Family Medicine\n", "Valley Skilled Nursing Facility\n")
    text = sub(snf, "Patient: Jane Roe", "Resident:\tJane Roe")
    assert "DK101" not in rules(text)
    # elsewhere a "Resident:" may be a resident physician
    clinic = sub(PROVIDER, "Patient: Jane Roe", "Resident: Dr. Omar Haddad")
    assert "DK101" in errors(clinic)


def test_a_counselor_writes_about_a_client() -> None:
    text = sub(PROVIDER, "Patient: Jane Roe", "Client: Jane Roe")
    text = sub(text, "she came in with", "my client came in with")
    assert "DK101" not in rules(text)
    assert scan(Document(text)).author.value == "provider"
    # a billing company's client is the practice
    practice = sub(PROVIDER, "Patient: Jane Roe", "Client: Valley Family Medicine")
    assert "DK101" in errors(practice)


@pytest.mark.parametrize("label", ["Anthem ID: YRF740039981", "BCBS ID #: XOF883412907"])
def test_a_member_id_under_the_plans_name(label: str) -> None:
    assert "DK102" not in rules(sub(PROVIDER, "Member ID: PHP1234567", label))


@pytest.mark.parametrize("label", ["Tax ID: 12-3456789", "Payer ID: 00227", "Claim ID: 2026-1234"])
def test_other_ids_are_no_member_id(label: str) -> None:
    assert "DK102" in errors(sub(PROVIDER, "Member ID: PHP1234567", label))


@pytest.mark.parametrize("marker", ["- ", "* ", "\u2022 "])
def test_labels_as_list_items(marker: str) -> None:
    # a bare "ID:" label and a "Date:" line count as list items too ("- ID: ...")
    text = sub(PATIENT, "Member ID: GPH-61120984", f"{marker}ID: GPH-61120984")
    assert "DK102" not in rules(text)
    dated = sub(PROVIDER, "April 20, 2026\n", f"{marker}Date: April 20, 2026\n")
    assert "DK114" not in rules(dated)
    # an item with no value is still no member id
    assert "DK102" in errors(sub(PATIENT, "Member ID: GPH-61120984", f"{marker}ID:"))


@pytest.mark.parametrize(
    ("old", "new", "rule"),
    [
        ("Patient: Jane Roe", "Pt: Jane Roe", "DK101"),
        ("Date of service: March 3, 2026", "Date of Svc: 03/03/2026", "DK105"),
        ("Date of service: March 3, 2026", "D.O.S.: 03/03/2026", "DK105"),
        ("Date of service: March 3, 2026", "Svc date: 3/3/26", "DK105"),
    ],
)
def test_abbreviated_labels(old: str, new: str, rule: str) -> None:
    assert rule not in rules(sub(PROVIDER, old, new))
    # the label with nothing after it gives nothing
    assert rule in errors(sub(PROVIDER, old, new.split(":")[0] + ":"))
