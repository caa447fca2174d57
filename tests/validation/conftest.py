"""Fixtures for the validator tests: a complete hand-written CCM21 letter and its claim."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from denialkit.claim import Claim, Denial, Patient, Payer, PlanType, Provider, ServiceLine
from denialkit.validation import Validator

HERE = Path(__file__).resolve().parent

#: The letter's own date; the validator's "today" in these tests.
LETTER_DAY = date(2026, 4, 28)


def ccm21_text() -> str:
    """A complete CCM21 appeal letter, written by hand (tests/validation/ccm21_letter.txt)."""
    return (HERE / "ccm21_letter.txt").read_text("utf-8")


def ccm21_claim() -> Claim:
    """The claim the hand-written letter answers."""
    return Claim(
        claim_number="5526012345670",
        patient=Patient(name="Zoë Nguyễn", member_id="7KQ2XF3RW45", birth_date=date(1958, 6, 14)),
        provider=Provider(
            name="Valley Family Medicine",
            npi="1234567893",
            address="120 Orchard Lane, Suite 4\nSpringfield, IL 62704",
            phone="(217) 555-0142",
            signer_name="Maria Chen",
            signer_title="Medical Director",
        ),
        payer=Payer(
            name="Medicare Part B",
            plan_type=PlanType.MEDICARE,
            appeals_address="PO Box 6700\nFargo, ND 58108-6700",
        ),
        services=(
            ServiceLine(
                code="99492",
                date=date(2026, 3, 31),
                charge=Decimal("162.00"),
                diagnoses=("F33.1", "F41.1"),
            ),
        ),
        denial=Denial(
            notice_date=date(2026, 4, 20),
            codes=("CCM21",),
            reason="Documentation does not support the collaborative care services billed.",
        ),
        facts={"consent_date": date(2026, 3, 2), "care_manager_minutes": 82},
    )


@pytest.fixture(scope="session")
def validator() -> Validator:
    """Every built-in rule, with "today" fixed to the letter's date."""
    return Validator(plugins=False, today=LETTER_DAY)


@pytest.fixture
def text() -> str:
    return ccm21_text()


@pytest.fixture
def claim() -> Claim:
    return ccm21_claim()
