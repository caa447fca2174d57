"""Code systems written the other ways real records write them still match."""

from __future__ import annotations

import json

import pytest

from denialkit import record
from denialkit.record import Coding


@pytest.mark.parametrize(
    ("written", "canonical"),
    [
        ("https://loinc.org", "http://loinc.org"),
        ("http://loinc.org/", "http://loinc.org"),
        ("https://snomed.info/sct/", "http://snomed.info/sct"),
        ("https://nucc.org/provider-taxonomy", "http://nucc.org/provider-taxonomy"),
        ("urn:oid:2.16.840.1.113883.6.101", "http://nucc.org/provider-taxonomy"),
        (
            "https://terminology.hl7.org/CodeSystem/consentscope",
            "http://terminology.hl7.org/CodeSystem/consentscope",
        ),
        ("https://example.org/local-codes/", "https://example.org/local-codes/"),
    ],
)
def test_canonical_system(written: str, canonical: str) -> None:
    assert Coding(written, "x").canonical_system == canonical


@pytest.mark.parametrize(
    "system",
    [
        "http://nucc.org/provider-taxonomy",
        "https://nucc.org/provider-taxonomy",
        "http://nucc.org/provider-taxonomy/",
        "urn:oid:2.16.840.1.113883.6.101",
    ],
)
def test_a_care_manager_role_in_any_nucc_form(system: str) -> None:
    resources = [
        {"resourceType": "Practitioner", "id": "cm", "name": [{"text": "Robin Vale, RN"}]},
        {
            "resourceType": "PractitionerRole",
            "id": "cm-role",
            "practitioner": {"reference": "Practitioner/cm"},
            "code": [{"coding": [{"system": system, "code": "171M00000X"}]}],
        },
    ]
    rec = record.read(b"\n".join(json.dumps(r).encode() for r in resources))
    found = record.facts(rec, month="2026-10")
    assert found.facts["care_manager_name"].value == "Robin Vale, RN"


def test_a_role_that_names_no_one_is_noted() -> None:
    resources = [
        {"resourceType": "Practitioner", "id": "anon", "name": [{"text": "  "}]},
        {
            "resourceType": "PractitionerRole",
            "id": "cm-anon",
            "practitioner": {"reference": "Practitioner/anon"},
            "code": [
                {"coding": [{"system": "http://nucc.org/provider-taxonomy", "code": "171M00000X"}]}
            ],
        },
    ]
    rec = record.read(b"\n".join(json.dumps(r).encode() for r in resources))
    found = record.facts(rec, month="2026-10")
    assert "care_manager_name" in found.missing
    assert [(n.resource, n.message) for n in found.notes] == [
        ("PractitionerRole/cm-anon", "has the role but gives no name for the person")
    ]
