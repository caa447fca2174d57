"""Wordings and layouts found in the round-12 letters (``letters/*-r12-*``: hospital
clinical validation and readmission appeals, the later Medicare levels, state complaints and
external reviews, coding disputes, telehealth, guardians' letters), each tested on the short
letters of :mod:`test_phrasings`: the fix holds for the class of wording, and the defect it
must not hide is still found.
"""

from __future__ import annotations

import pytest

from denialkit.validation import Document
from denialkit.validation._analysis import scan

from .conftest import LETTER_DAY
from .test_phrasings import PATIENT, PROVIDER, errors, rules, sub


def _member_ids(text: str) -> list[str]:
    return [v.value for v in scan(Document(text, today=LETTER_DAY)).member_ids]


_BARE = sub(sub(PROVIDER, "Patient: Jane Roe\n", ""), "Member ID: PHP1234567\n", "")

# -- the member id as a field of a subject line (DK102, DK602) --------------------------


@pytest.mark.parametrize(
    "line",
    [
        "Patient: Jane Roe; ID: PHP1234567",
        "Patient: Jane Roe | ID PHP1234567",
        "Member: Jane Roe   ID: PHP1234567",
        "Member: Jane Roe, ID PHP1234567",
        "Re: Jane Roe (ID PHP1234567)",
        "Re: Patient Jane Roe - ID PHP1234567 - visit",
        "Re: Jane Roe; Member PHP1234567; visit",
        "Patient / member ID: Jane Roe / PHP1234567",
    ],
)
def test_an_id_that_starts_a_field_of_a_subject_line_is_the_member_id(line: str) -> None:
    text = sub(_BARE, "Claim number:", line + "\nClaim number:")
    assert _member_ids(text) == ["PHP1234567"]
    assert "DK102" not in errors(text)


@pytest.mark.parametrize(
    "line",
    [
        "Tax ID 12-3456789; visit",  # a tax id is no member id
        "Jane Roe, ID 12",  # too few digits without a colon
        "Boise, ID 83706",  # Idaho and a ZIP code
    ],
)
def test_other_ids_and_short_values_are_no_member_id(line: str) -> None:
    text = sub(_BARE, "Claim number:", line + "\nClaim number:")
    assert _member_ids(text) == []
    assert "DK102" in errors(text)


def test_a_member_id_in_groups_of_digits_in_a_sentence() -> None:
    text = sub(
        PATIENT,
        "Member ID: GPH-61120984\n",
        "",
    )
    text = sub(text, "allergy testing", "allergy testing (my member ID is GMH 5520 1187 09)")
    assert _member_ids(text) == ["GMH 5520 1187 09"]
    assert "DK102" not in errors(text)


def test_a_second_participants_id_after_a_pipe_is_still_found() -> None:
    text = sub(
        PROVIDER,
        "Please reconsider",
        "The same was decided for Mark Poe | ID PHP7654321 last year.\n\nPlease reconsider",
    )
    assert "DK602" in errors(text)


def test_the_primary_plans_id_in_a_coordination_letter_is_no_second_patients() -> None:
    line = "The primary coverage is with Gulf Health (member ID GFH 7740128), which paid first."
    text = sub(PROVIDER, "Please reconsider", line + "\n\nPlease reconsider")
    assert "DK602" not in errors(text)
    # without the primary plan, a second id is a second patient's
    other = sub(text, "The primary coverage is with", "Another patient is with")
    assert "DK602" in errors(other)


# -- the patient named in a subject line's field without a colon (DK101) -----------------


@pytest.mark.parametrize(
    "line",
    [
        "Re: Patient Jane Roe; Member ID: PHP1234567",
        "RE: Readmission denial; Patient Jane Roe; Member ID: PHP1234567",
        "Re: Patient Jane Roe (dependent) - Member ID: PHP1234567",
        "RE: Member Jane Roe | Member ID: PHP1234567",
    ],
)
def test_a_patient_named_in_a_subject_field_without_a_colon(line: str) -> None:
    text = sub(PROVIDER, "Patient: Jane Roe\nMember ID: PHP1234567", line)
    assert "DK101" not in errors(text)


def test_a_department_named_patient_is_no_patient() -> None:
    text = sub(PROVIDER, "Patient: Jane Roe\n", "Patient Financial Services - Denials Unit\n")
    assert "DK101" in errors(text)


# -- the request (DK110) -----------------------------------------------------------------


@pytest.mark.parametrize(
    "ask",
    [
        "The remittance carried CO-50. We disagree with it, and we ask that\nDRG 871 be "
        "restored and the claim repaid.",
        "We ask that you process claim 2026-1234 as a separate stay.",
        "Please restore the inpatient claim (TOB 0111) and pay it under the DRG.",
        "Please find both dates covered.",
        "We ask the Council to find the stay covered.",
    ],
)
def test_more_wordings_of_a_request(ask: str) -> None:
    text = sub(PROVIDER, "Please reconsider the denial and pay the claim.", ask)
    assert "DK110" not in errors(text)


@pytest.mark.parametrize(
    "words",
    [
        "Please find enclosed the records of covered care.",
        "We found the policy covered\nDRG 871 in its first version.",
    ],
)
def test_finding_enclosures_or_a_wrapped_statement_is_no_request(words: str) -> None:
    text = sub(PROVIDER, "Please reconsider the denial and pay the claim.", words)
    assert "DK110" in errors(text)


# -- the recipient (DK112) and the appellant's address (DK115) ----------------------------


@pytest.mark.parametrize(
    "unit",
    [
        "Office of Medicare Hearings and Appeals",
        "Medicare Appeals Council",
        "Consumer Inquiry and Response Center",
        "Payment Integrity",
        "Coordination of Benefits Unit",
    ],
)
def test_later_levels_and_other_units_address_the_letter(unit: str) -> None:
    text = sub(PROVIDER, "Provider Appeals\n", unit + "\n")
    assert "DK112" not in errors(text)


@pytest.mark.parametrize(
    "head",
    [
        "Valley Family Medicine\n120 Orchard Lane, Springfield, IL 62704  |  NPI 1234567893\n",
        "Valley Family Medicine\nNPI 1234567893 | 120 Orchard Lane, Springfield, IL 62704\n",
        "Valley Family Medicine\n120 Orchard Lane, Suite 2, Springfield, IL 62704 - NPI "
        "1234567893\n",
    ],
)
def test_a_letterhead_line_holding_the_address_reaches_the_appellant(head: str) -> None:
    text = sub(
        PROVIDER,
        "Valley Family Medicine\n120 Orchard Lane\nSpringfield, IL 62704\n(217) 555-0142\n"
        "NPI 1234567893\n",
        head,
    )
    assert "DK115" not in errors(text)
    # the payer's address line before the date is not the appellant's
    bare = sub(text, head, "Valley Family Medicine\n")
    assert "DK115" in errors("To: Prairie Health Plan, Springfield, IL 62701 | PO Box 100\n" + bare)


# -- the signature of a relative or a guardian (DK117) and who writes ----------------------


@pytest.mark.parametrize(
    ("top", "bottom"),
    [
        ("From: Jane Roe (mother of Sam Roe)\n", "Jane Roe"),
        ("Jane Roe, court-appointed guardian for Sam Roe\n", "Jane Roe, Guardian"),
    ],
)
def test_a_sender_signing_with_a_role_and_no_closing(top: str, bottom: str) -> None:
    text = sub(PATIENT, "Jane Roe\n14 Birch Hill Road", top + "14 Birch Hill Road")
    text = sub(text, "Sincerely,\n\nJane Roe\n", bottom + "\n")
    assert "DK117" not in errors(text)
    # a name that is not the sender's is no signature
    assert "DK117" in errors(sub(text, bottom + "\n", "Mark Poe\n"))


def test_a_guardian_writes_as_the_patients_side() -> None:
    text = sub(
        PATIENT,
        "I am writing to appeal the denial of my allergy testing",
        "As Sam's legal guardian I appeal the denial of the allergy testing",
    )
    text = sub(text, "My allergist ordered\nit because I had", "The allergist ordered\nit after")
    text = sub(text, "and her note explains why", "and the note explains why")
    assert scan(Document(text, today=LETTER_DAY)).author.value == "patient"


# -- the decision and the claim at the later Medicare levels (DK104, DK107) ----------------


@pytest.mark.parametrize(
    "label", ["QIC reconsideration number: 1-11987654301", "ALJ Appeal No.: 3-10298844771"]
)
def test_the_appeal_number_of_a_later_level_stands_for_the_claim_number(label: str) -> None:
    text = sub(PROVIDER, "Claim number: 2026-1234", label)
    assert "DK104" not in errors(text)


@pytest.mark.parametrize(
    "said",
    [
        "You reprocessed our inpatient claim as observation.",
        "We ask the Council to review the ALJ decision of February 12.",
        "The stay was regrouped to a lower DRG.",
    ],
)
def test_more_words_for_the_decision_disputed(said: str) -> None:
    text = sub(PROVIDER, "The visit was denied as not medically necessary (CO-50).", said)
    assert "DK107" not in errors(text)


def test_an_episode_label_gives_the_dates_of_service() -> None:
    text = sub(PROVIDER, "Date of service: March 3, 2026", "Episode: 01/03/2026 - 03/01/2026")
    assert "DK105" not in errors(text)


# -- a choice left in brackets (DK302) ------------------------------------------------------


@pytest.mark.parametrize("blank", ["[XS or 59]", "[he or she]"])
def test_a_choice_left_in_brackets_is_a_blank(blank: str) -> None:
    text = sub(PROVIDER, "(CO-50)", f"(CO-50), billed with {blank}")
    assert "DK302" in errors(text)


@pytest.mark.parametrize("kept", ["[sic]", "[emphasis added]", "[1]", "[or]"])
def test_editorial_brackets_are_no_blank(kept: str) -> None:
    text = sub(PROVIDER, "(CO-50)", f"(CO-50) {kept}")
    assert "DK302" not in rules(text)


def test_an_argument_that_the_record_was_on_file() -> None:
    text = sub(
        PROVIDER,
        "The enclosed note documents why the\nvisit was needed: she came in with new chest "
        "pain and an abnormal ECG.",
        "The certification was on file and the QIC did not address it.",
    )
    assert "DK111" not in errors(text)


# -- a home health episode or a skilled nursing stay named in words (DK106) ------------------


@pytest.mark.parametrize(
    "line",
    [
        "Home health episode: 11/03/2025 - 01/01/2026",
        "Home health period: 11/03/2025 - 12/02/2025",
        "SNF stay: 11/03/2025 - 11/20/2025",
    ],
)
def test_a_home_health_episode_or_snf_stay_needs_no_cpt(line: str) -> None:
    # billed by type of bill and HIPPS code, which the letter need not name
    assert "DK106" not in errors(sub(PROVIDER, "Service: CPT 99214", line))
    # home visits billed by a physician are still named by their code
    assert "DK106" in errors(sub(PROVIDER, "Service: CPT 99214", "Service: home visits"))


# -- a diagnosis code in parentheses after its condition (DK204, DK215) -----------------------


def _diagnoses(text: str) -> list[str]:
    return [v.value for v in scan(Document(text, today=LETTER_DAY)).diagnoses]


def test_a_diagnosis_code_in_parentheses_after_its_condition_is_read() -> None:
    text = sub(PROVIDER, "Service: CPT 99214", "Service: CPT 99214 for sepsis (A41.51)")
    assert _diagnoses(text) == ["A41.51"]
    # a COVID code (U07.1) is a diagnosis too
    assert _diagnoses(sub(text, "(A41.51)", "(U07.1)")) == ["U07.1"]
    # no dot, no diagnosis: a denial code, a procedure code, a version or a dose in parentheses
    for other in ("(CO-50)", "(99214)", "(A419)", "(v1.2)", "(B12.5 mg)"):
        assert _diagnoses(sub(text, "(A41.51)", other)) == []
