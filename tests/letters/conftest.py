"""Fixtures for the letter tests: example claims, a fixed letter date, sentinel PHI."""

from __future__ import annotations

from datetime import date

import pytest

from denialkit.claim import Claim, Denial, Patient, Payer, PlanType, Provider, ServiceLine
from denialkit.letters import example_claim
from denialkit.templates import TemplateRegistry

LETTER_DATE = date(2026, 11, 2)

# Every value here is a sentinel: none of them may appear in an error, a repr or a log record.
SENTINEL = "ZZPHI"


@pytest.fixture
def ccm21() -> Claim:
    """The bundled CCM21 example claim (complete: every fact)."""
    return example_claim("CCM21")


@pytest.fixture(scope="session")
def registry() -> TemplateRegistry:
    """A registry with the built-in pack only (no plugins), shared by the session."""
    return TemplateRegistry(plugins=False)


def sentinel_claim(
    *,
    plan: PlanType = PlanType.MEDICARE,
    service_date: date = date(2026, 9, 30),
    facts: dict[str, object] | None = None,
) -> Claim:
    """A claim whose every identifying value contains the sentinel."""
    return Claim(
        claim_number=f"{SENTINEL}-CLAIM-7",
        patient=Patient(
            name=f"{SENTINEL} Name",
            member_id=f"{SENTINEL}MBR",
            birth_date=date(1950, 1, 2),
            group_number=f"{SENTINEL}GRP",
        ),
        provider=Provider(
            name="Valley Family Medicine",
            address="12 Orchard Road",
            signer_name="Maria Alvarez",
            signer_title="Billing Manager",
        ),
        payer=Payer(name="Medicare Part B", plan_type=plan, appeals_address="PO Box 1000"),
        services=(ServiceLine(code="99492", date=service_date),),
        denial=Denial(
            notice_date=date(2026, 10, 20), codes=("CCM21",), reason=f"{SENTINEL} reason text"
        ),
        facts=facts
        if facts is not None
        else {
            "consent_date": date(2026, 9, 2),
            "care_plan_date": date(2026, 9, 5),
            "rating_scale": "PHQ-9",
            "rating_scale_scores": f"{SENTINEL} scores",
            "care_manager_minutes": 75,
            "care_manager_name": f"{SENTINEL} Manager",
            "psychiatric_consultant_name": f"{SENTINEL} Consultant",
        },
    )


@pytest.fixture
def make_claim():
    """``make_claim(plan=..., service_date=..., facts=...)``: a claim full of sentinel PHI."""
    return sentinel_claim


@pytest.fixture
def letter_date() -> date:
    """The fixed date the letters in these tests carry."""
    return LETTER_DATE
