"""Wordings found in the round-10 letters (``letters/*-r10-*``: hospital and facility claims,
coverage policies cited by number, parity, the No Surprises Act, timely filing, coordination
of benefits, payers' own codes), each tested on the short letters of :mod:`test_phrasings`:
the fix holds for the class of wording, and the defect it must not hide is still found.
Letters in other languages (``letters/foreign``) get one finding, DK712.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from denialkit.claim import PlanType
from denialkit.validation import Document, Validator
from denialkit.validation._analysis import scan

from .conftest import LETTER_DAY
from .test_phrasings import PATIENT, PROVIDER, errors, rules, sub

FOREIGN = Path(__file__).with_name("letters") / "foreign"


def _plan(text: str) -> PlanType:
    return scan(Document(text, today=LETTER_DAY)).plan_kind


# -- a payer's own denial code (DK108, DK206, DK208) -----------------------------------


@pytest.mark.parametrize(
    "cited",
    ["denial reason code 4RX", "reason code 123X", "denial code: OB7Q", "remark code 2B"],
)
def test_a_payers_own_code_is_cited_and_only_warned_about(cited: str) -> None:
    text = sub(PROVIDER, "(CO-50)", f"({cited})")
    found = rules(text)
    assert not {"DK108", "DK206"} & errors(text)
    assert "DK208" in found


@pytest.mark.parametrize("cited", ["reason code 9999", "remark code N9999", "reason code 399"])
def test_a_mistyped_standard_code_is_still_an_error(cited: str) -> None:
    text = sub(PROVIDER, "(CO-50)", f"({cited})")
    assert errors(text) & {"DK108", "DK206"}


def test_a_letter_with_no_code_at_all_still_cites_none() -> None:
    text = sub(PROVIDER, "(CO-50)", "on the remittance")
    assert "DK108" in errors(text)


# -- procedure codes (DK205) -------------------------------------------------------------


@pytest.mark.parametrize(
    "line",
    [
        "Service: CPT 99214\nProcedure: 5A1955Z (ICD-10-PCS)",
        "Service: CPT 99214\nPrincipal procedure 0SR9019",
        "Service: allergy skin testing (CPT 95004, 40 tests)",
        "Service: CPT 96372, 3 injections",
    ],
)
def test_inpatient_procedures_and_counts_are_not_bad_cpt_codes(line: str) -> None:
    text = sub(PROVIDER, "Service: CPT 99214", line)
    assert "DK205" not in rules(text)


@pytest.mark.parametrize("code", ["9921", "992144", "99O14"])
def test_a_mistyped_cpt_code_is_still_found(code: str) -> None:
    text = sub(PROVIDER, "Service: CPT 99214", f"Service: CPT {code}")
    assert "DK205" in errors(text)


# -- the decision disputed (DK107) -------------------------------------------------------


def test_an_initial_payment_under_the_no_surprises_act_is_the_decision() -> None:
    letter = sub(
        PROVIDER, "Please reconsider the denial and pay the claim.", "Please pay the claim."
    )
    text = sub(
        letter,
        "The visit was denied as not medically necessary (CO-50).",
        "We dispute the initial payment of $612.40 (CO-45).",
    )
    assert "DK107" not in rules(text)
    bare = sub(
        letter,
        "The visit was denied as not medically necessary (CO-50).",
        "We write about the claim (CO-45).",
    )
    assert "DK107" in errors(bare)


# -- the argument (DK111) -----------------------------------------------------------------

_BODY = (
    "The visit was denied as not medically necessary (CO-50). The enclosed note documents why "
    "the\nvisit was needed: she came in with new chest pain and an abnormal ECG."
)


@pytest.mark.parametrize(
    "argument",
    [
        "The claim was denied with reason code 22. Medicare is my primary insurance and it "
        "paid on March 4; the Medicare notice is attached to this letter for you today.",
        "Your remittance denied the claim with CO-22. Gulfstream Health is the primary payer "
        "and processed the claim on January 15, and its EOB is enclosed with this letter.",
        "The claim was denied with CO-197. Authorization PA-88 was approved on December 18 "
        "for 24 visits, and the visit falls within the dates it covers, so we ask again.",
    ],
)
def test_coordination_and_authorization_reasons_are_an_argument(argument: str) -> None:
    text = sub(PROVIDER, _BODY, argument)
    assert "DK111" not in rules(text)


def test_a_bare_request_still_has_no_argument() -> None:
    text = sub(
        PROVIDER,
        _BODY,
        "The claim was denied with CO-22. We would like this claim to be paid now, "
        "thank you very much for your time and your help with it.",
    )
    assert "DK111" in errors(text)


# -- the kind of plan ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "cite",
    ["29 CFR 2590.712(c)", "29 C.F.R. 2590.712", "29 CFR 2590.715-2719"],
)
def test_erisas_parity_rules_name_an_erisa_plan(cite: str) -> None:
    text = sub(
        PATIENT,
        "To whom it may concern:",
        f"Under {cite}, the limit is not allowed.\n\nTo whom it may concern:",
    )
    assert _plan(text) is PlanType.ERISA


# -- letters in another language (DK712) ---------------------------------------------------

FOREIGN_NAMES = sorted(p.stem for p in FOREIGN.glob("*.txt"))


@pytest.mark.parametrize("name", FOREIGN_NAMES)
def test_a_letter_in_another_language_gets_one_finding(name: str) -> None:
    text = (FOREIGN / f"{name}.txt").read_text("utf-8")
    expect = tomllib.loads((FOREIGN / f"{name}.toml").read_text("utf-8"))
    report = Validator(today=LETTER_DAY).check(text)
    shown = [str(f) for f in report.findings]
    assert {f.rule_id for f in report.errors} == set(expect["errors"]), shown
    assert set(expect["find"]) <= set(report.by_rule()), shown
    # the checks of English wording do not run on it
    assert not any(f.rule_id.startswith(("DK1", "DK5")) for f in report.findings), shown


def test_foreign_letters_are_there() -> None:
    assert len(FOREIGN_NAMES) >= 2


@pytest.mark.parametrize("letter", [PROVIDER, PATIENT])
def test_an_english_letter_is_english(letter: str) -> None:
    assert "DK712" not in rules(letter)


def test_an_english_letter_that_quotes_spanish_is_english() -> None:
    quoted = (
        'My mother wrote to me: "Por favor, ayúdame con la carta del seguro, porque la '
        'negación del reclamo no tiene sentido y el médico dice que la necesito." '
    )
    text = sub(PATIENT, "Please review", quoted + "\n\nPlease review")
    assert "DK712" not in rules(text)


def test_a_short_note_in_another_language_is_not_judged() -> None:
    # too few words to tell; the English checks run as before
    assert "DK712" not in rules("Por favor paguen el reclamo 2026-0311.")


def test_a_spanish_letter_with_an_ssn_is_still_an_error() -> None:
    text = (FOREIGN / "patient-r10-spanish-medicaid.txt").read_text("utf-8")
    text = text.replace("Número de miembro: 620184773", "Seguro social: 219-44-7310")
    assert "DK601" in errors(text)
    assert "DK712" in rules(text)


# -- who writes ---------------------------------------------------------------------------


def test_two_parents_writing_as_we_are_the_patients_side() -> None:
    text = sub(
        PATIENT,
        "I am writing to appeal the denial of my allergy testing on March 3, 2026. My allergist "
        "ordered\nit because I had swelling of my lips three times after eating, and her note "
        "explains why.",
        "We are the parents of Jane and we appeal the denial of our daughter's allergy testing "
        "on March 3, 2026.\nHer allergist ordered it because she had swelling of her lips three "
        "times after eating.",
    )
    text = sub(text, "Sincerely,\n\nJane Roe", "Sincerely,\n\nAlana Roe\nParents of Jane Roe")
    assert scan(Document(text, today=LETTER_DAY)).author.value == "patient"


@pytest.mark.parametrize(("verb", "argued"), [("appear to", True), ("seem to", False)])
def test_a_plural_appear_to_is_an_argument(verb: str, argued: bool) -> None:
    text = sub(
        PROVIDER,
        _BODY,
        "The visits were denied with CO-119. Each patient had used fewer than twelve visits, "
        f"and\nthe counts on your remittance {verb} include last year's visits as well.",
    )
    assert ("DK111" not in rules(text)) is argued


@pytest.mark.parametrize(
    "document",
    ["certificate of coverage", "evidence of coverage", "summary plan description"],
)
def test_the_plans_own_document_is_an_argument(document: str) -> None:
    text = sub(
        PROVIDER,
        _BODY,
        "The claim was denied with CO-242. No in-network program had an opening within 50 "
        f"miles,\nand in that case your {document} (page 31) sets in-network cost sharing.",
    )
    assert "DK111" not in rules(text)


# -- payer codes with more than one hyphen ------------------------------------------------


def test_a_payers_code_with_two_hyphens_is_cited() -> None:
    text = sub(PROVIDER, "(CO-50)", "(denial code IP-NMN-02)")
    assert "DK108" not in errors(text)
    assert "DK208" in rules(text)


# -- a state's Medicaid id beside the plan's member id (DK602) ------------------------------


@pytest.mark.parametrize(
    "ids",
    [
        "Medicaid CIN: AB12345C\nPlan member ID: ECC-7799120",
        "Medicaid ID: 523109874\nMember ID: PHP1234567",
        "CIN: 91827364A\nMember ID: PHP1234567",
        "Recipient ID: 0044718823\nMember ID: PHP1234567",
    ],
)
def test_a_state_medicaid_id_beside_the_plans_id_is_one_patient(ids: str) -> None:
    text = sub(PROVIDER, "Member ID: PHP1234567", ids)
    assert "DK602" not in rules(text)
    assert "DK102" not in rules(text)


@pytest.mark.parametrize(
    "ids",
    [
        "Medicaid ID: 523109874\nMember ID: PHP1234567\nMember ID: PHP7654999",
        "Medicaid ID: 523109874\nMedicaid ID: 771046233\nMember ID: PHP1234567",
    ],
)
def test_a_second_id_of_one_kind_is_still_a_second_patient(ids: str) -> None:
    text = sub(PROVIDER, "Member ID: PHP1234567", ids)
    assert "DK602" in errors(text)


@pytest.mark.parametrize(
    "argument",
    [
        "Implants are carved out of the case rate by our agreement with the plan, so they are "
        "paid at invoice cost plus ten percent.",
        "The implants meet the carve-out in Exhibit B of the facility agreement, so they are "
        "paid apart from the case rate.",
    ],
)
def test_a_contract_carve_out_is_an_argument(argument: str) -> None:
    text = sub(PROVIDER, _BODY, "The implant lines were denied with CO-97. " + argument)
    assert "DK111" not in rules(text)


# -- look-alike letters (DK705) -------------------------------------------------------------


def test_ideographs_beside_digits_are_no_lookalikes() -> None:
    assert "DK705" not in rules("服务日期：2026年2月10日\n会员号码：会员12345")


@pytest.mark.parametrize("ident", ["1ЕG4TE5MK73", "ＡB12345", "PHP12345Ω"])
def test_latin_lookalikes_are_still_found(ident: str) -> None:
    assert "DK705" in rules(f"Member ID: {ident}")


def test_without_dk712_the_english_checks_run_on_every_letter() -> None:
    text = (FOREIGN / "patient-r10-vietnamese.txt").read_text("utf-8")
    found = Validator(today=LETTER_DAY, disable=["DK712"]).check(text).by_rule()
    assert "DK712" not in found and "DK110" in found
