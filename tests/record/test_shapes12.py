"""Shapes of real exports, round 12: what Epic, Oracle Health (Cerner), athenahealth,
eClinicalWorks, NextGen and payer (CARIN) exports write (local codes beside LOINC, survey
categories, panels, ``derivedFrom``, self-pay coverages), references with a query or a
fragment, ``facts(service_date=)``, and an Observation whose own total and total component
disagree. Each test writes the FHIR JSON it reads and checks what a user sees."""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path
from typing import Any

import attrs
import pytest

import denialkit
from denialkit import record
from denialkit.claim import EvidenceKind
from denialkit.cli import main
from denialkit.letters import example_claim

Res = dict[str, Any]

SCOPE = "http://terminology.hl7.org/CodeSystem/consentscope"
LOINC = "http://loinc.org"
SURVEY = {
    "coding": [
        {
            "system": "http://terminology.hl7.org/CodeSystem/observation-category",
            "code": "survey",
        }
    ]
}
EPIC_OID = "urn:oid:1.2.840.114350.1.13.0.1.7.2.727688"
BASE = "https://fhir.ehr.example/api/FHIR/R4"
#: values that must never show in a note, an error or a repr
SECRET = "Zebulon Quartermaine"


def _coded(system: str, code: str, display: str | None = None) -> Res:
    coding: Res = {"system": system, "code": code}
    if display is not None:
        coding["display"] = display
    return {"coding": [coding]}


def _patient() -> Res:
    return {
        "resourceType": "Patient",
        "id": "pt-1",
        "meta": {
            "profile": ["http://hl7.org/fhir/us/core/StructureDefinition/us-core-patient|7.0.0"]
        },
        "identifier": [{"system": "urn:oid:1.2.840.114350.1.13.0.1.7.5.737384.0", "value": "E1"}],
        "name": [{"use": "official", "family": "Quartermaine", "given": ["Zebulon"]}],
        "birthDate": "1961-07-04",
    }


def _consent(**changes: Any) -> Res:
    res: Res = {
        "resourceType": "Consent",
        "id": "consent-1",
        "status": "active",
        "scope": _coded(SCOPE, "treatment"),
        "patient": {"reference": "Patient/pt-1"},
        "dateTime": "2026-09-02",
    }
    res.update(changes)
    return {k: v for k, v in res.items() if v is not None}


def _phq9(rid: str = "phq9-1", **changes: Any) -> Res:
    res: Res = {
        "resourceType": "Observation",
        "id": rid,
        "status": "final",
        "category": [SURVEY],
        "code": _coded(LOINC, "44261-6"),
        "subject": {"reference": "Patient/pt-1"},
        "effectiveDateTime": "2026-09-03",
        "valueInteger": 12,
    }
    res.update(changes)
    return {k: v for k, v in res.items() if v is not None}


def _bundle(*resources: Res, urls: tuple[str | None, ...] = ()) -> bytes:
    entries: list[Res] = []
    for i, r in enumerate(resources):
        entry: Res = {"resource": r}
        if i < len(urls) and urls[i] is not None:
            entry["fullUrl"] = urls[i]
        entries.append(entry)
    return json.dumps({"resourceType": "Bundle", "type": "searchset", "entry": entries}).encode()


def _facts(*resources: Res, code: str = "CCM21", **kw: Any) -> record.RecordFacts:
    kw.setdefault("month", "2026-09")
    return record.facts(record.read(_bundle(*resources)), code=code, **kw)


def _notes(found: record.RecordFacts, fact: str | None) -> list[tuple[str | None, str]]:
    return [(n.resource, n.message) for n in found.notes if n.fact == fact]


def _claim(service: date = date(2026, 9, 30)) -> Any:
    claim = example_claim("CCM21").evolve(facts={}, evidence=())
    return claim.evolve(services=(attrs.evolve(claim.services[0], date=service),))


def _private(found: record.RecordFacts) -> None:
    """No patient value in a note or a repr."""
    for text in [repr(found), *(n.message for n in found.notes), *(repr(n) for n in found.notes)]:
        assert "Zebulon" not in text and "Quartermaine" not in text and "1961" not in text


# -- 1. references with a query string or a fragment -------------------------------------------
@pytest.mark.parametrize(
    "reference",
    [
        "Patient/pt-1?_format=json",
        "Patient/pt-1?_format=application/fhir+json&_pretty=true",
        f"{BASE}/Patient/pt-1?_format=json",
        "Patient/pt-1/_history/3?_summary=false",
        "Patient/pt-1#",
    ],
)
def test_a_read_reference_with_a_query_reaches_its_resource(reference: str) -> None:
    phq9 = _phq9(subject={"reference": reference})
    rec = record.read(_bundle(_patient(), phq9, urls=(f"{BASE}/Patient/pt-1", None)))
    assert rec.patients() == ("Patient/pt-1",)
    found = record.facts(rec, month="2026-09", patient="pt-1")
    assert found.facts["rating_scale_scores"].value == "12 on September 3, 2026"
    assert [r.form for r in rec.references() if r.ref.path == "Observation.subject"] == [
        "absolute" if reference.startswith("http") else "relative"
    ]
    assert all(r.resolved for r in rec.references())


def test_a_search_reference_keeps_its_query_and_is_conditional() -> None:
    ident = "urn:oid:1.2.840.114350.1.13.0.1.7.5.737384.0|E1"
    phq9 = _phq9(subject={"reference": f"Patient?identifier={ident}"})
    rec = record.read(_bundle(_patient(), phq9))
    (res,) = [r for r in rec.references() if r.ref.path == "Observation.subject"]
    assert (res.form, res.resolved) == ("conditional", True)
    # also at a server whose path ends in capitals, not taken for a Type/id read
    phq9["subject"] = {"reference": f"https://ehr.example/FHIR/Patient?identifier={ident}"}
    rec = record.read(_bundle(_patient(), phq9))
    (res,) = [r for r in rec.references() if r.ref.path == "Observation.subject"]
    assert (res.form, res.resolved) == ("conditional", True)
    # a search on anything but an identifier cannot be answered offline: noted, not guessed
    phq9["subject"] = {"reference": "Patient?name=Quartermaine"}
    rec = record.read(_bundle(_patient(), phq9))
    (res,) = [r for r in rec.references() if r.ref.path == "Observation.subject"]
    assert (res.form, res.resolved) == ("conditional", False)


def _plan_with_contained_team(**changes: Any) -> Res:
    res: Res = {
        "resourceType": "CarePlan",
        "id": "plan-1",
        "status": "active",
        "intent": "plan",
        "subject": {"reference": "Patient/pt-1"},
        "contained": [
            {
                "resourceType": "Practitioner",
                "id": "cm",
                "name": [{"family": "Okafor", "given": ["Ada"]}],
            }
        ],
    }
    res.update(changes)
    return res


def test_a_fragment_reaches_the_resource_contained_in_the_one_named() -> None:
    role = {
        "resourceType": "PractitionerRole",
        "id": "role-1",
        "practitioner": {"reference": "CarePlan/plan-1#cm"},
    }
    rec = record.read(_bundle(_patient(), _plan_with_contained_team(), role))
    (res,) = [r for r in rec.references() if r.ref.path == "PractitionerRole.practitioner"]
    assert res.resolved and res.target is not None
    assert (res.form, res.target.type, res.target.id) == ("relative", "Practitioner", "cm")
    # the same through an absolute URL, and a fragment naming nothing contained there
    role["practitioner"] = {"reference": f"{BASE}/CarePlan/plan-1#cm"}
    rec = record.read(_bundle(_patient(), _plan_with_contained_team(), role))
    (res,) = [r for r in rec.references() if r.ref.path == "PractitionerRole.practitioner"]
    assert (res.form, res.resolved) == ("absolute", True)
    role["practitioner"] = {"reference": "CarePlan/plan-1#nobody"}
    rec = record.read(_bundle(_patient(), _plan_with_contained_team(), role))
    (res,) = [r for r in rec.references() if r.ref.path == "PractitionerRole.practitioner"]
    assert (res.form, res.resolved) == ("relative", False)


def test_a_fragment_reference_that_does_not_resolve_is_noted_without_its_text() -> None:
    cov = {
        "resourceType": "Coverage",
        "id": "cov-1",
        "status": "active",
        "beneficiary": {"reference": "Patient/pt-1"},
        "payor": [{"reference": "Organization/org-9#Zebulon"}],
        "subscriberId": "W123",
    }
    found = _facts(_patient(), cov, code="CO-16")
    assert ("Coverage/cov-1", "Coverage.payor[0] (relative reference) does not resolve") in (
        _notes(found, "payer_name")
    )
    _private(found)


# -- 2. facts(service_date=) ---------------------------------------------------------------------
def test_facts_checks_a_consent_against_the_date_of_service_as_fill_does() -> None:
    consent = _consent(provision={"type": "permit", "period": {"end": "2026-09-10"}})
    # before the period's end: the consent covers the service
    early = _facts(_patient(), consent, service_date=date(2026, 9, 8))
    assert early.facts["consent_date"].value == date(2026, 9, 2)
    # after it: not in force, said so, and fill() of a claim of that day agrees
    late = _facts(_patient(), consent, service_date=date(2026, 9, 30))
    assert "consent_date" in late.missing
    assert _notes(late, "consent_date") == [
        ("Consent/consent-1", "its provision ended before the date of service; not in force for it")
    ]
    filled = record.fill(_claim(date(2026, 9, 30)), record.read(_bundle(_patient(), consent)))
    assert _notes(filled.record_facts, "consent_date") == _notes(late, "consent_date")
    # a consent given after the service does not cover it
    after = _facts(_patient(), _consent(dateTime="2026-09-20"), service_date=date(2026, 9, 5))
    assert _notes(after, "consent_date") == [
        ("Consent/consent-1", "given after the date of service; not in force for it")
    ]


def test_facts_takes_a_datetime_as_its_day() -> None:
    found = _facts(_patient(), _consent(), service_date=datetime(2026, 9, 8, 14, 30))
    assert found.facts["consent_date"].value == date(2026, 9, 2)


@pytest.mark.parametrize(
    ("service_date", "error", "message"),
    [
        ("2026-09-08", TypeError, "service_date must be a date, not str"),
        (20260908, TypeError, "service_date must be a date, not int"),
        (date(2026, 10, 1), ValueError, "service_date is not in the billed month"),
    ],
)
def test_a_bad_service_date_is_a_typed_error(service_date: Any, error: type, message: str) -> None:
    with pytest.raises(error) as info:
        _facts(_patient(), _consent(), service_date=service_date)
    assert str(info.value) == message


def test_the_command_line_takes_a_service_date(tmp_path: Path, capsys: Any) -> None:
    path = tmp_path / "record.json"
    consent = _consent(provision={"type": "permit", "period": {"end": "2026-09-10"}})
    path.write_bytes(_bundle(_patient(), consent))
    assert main(["record", "facts", str(path), "--service-date", "2026-09-08"]) == 0
    out, err = capsys.readouterr()
    assert "consent_date" in out and "2026-09-02" in out
    assert main(["record", "facts", str(path), "--service-date", "2026-09-30"]) == 0
    out, err = capsys.readouterr()
    assert "consent_date" not in out
    assert "ended before the date of service" in err
    assert main(["record", "facts", str(path), "--service-date", "2026-02-30"]) == 2
    assert "expected a date as YYYY-MM-DD" in capsys.readouterr().err
    code = main(
        ["record", "facts", str(path), "--month", "2026-10", "--service-date", "2026-09-08"]
    )
    assert code == 2
    assert "--service-date: the date is not in --month" in capsys.readouterr().err


# -- 3. an Observation whose own total and total component disagree ----------------------------
def test_a_total_that_its_own_total_component_contradicts_is_noted() -> None:
    phq9 = _phq9(component=[{"code": _coded(LOINC, "44261-6"), "valueInteger": 15}])
    found = _facts(_patient(), _consent(), phq9)
    assert found.facts["rating_scale_scores"].value == "12 on September 3, 2026"
    assert _notes(found, "rating_scale_scores") == [
        (
            "Observation/phq9-1",
            "its PHQ-9 total in Observation.component[0].valueInteger differs from its own "
            "(Observation.valueInteger); its own is used",
        )
    ]
    assert not any("12" in m or "15" in m for _, m in _notes(found, "rating_scale_scores"))
    # a component that agrees (or totals another scale, as a PHQ-2 subtotal) is no news
    phq9["component"] = [
        {"code": _coded(LOINC, "44261-6"), "valueQuantity": {"value": 12}},
        {"code": _coded(LOINC, "55758-7"), "valueInteger": 3},
    ]
    assert _notes(_facts(_patient(), _consent(), phq9), "rating_scale_scores") == []


# -- 4. coverages a payer or a patient's portal exports ------------------------------------------
def _coverage(**changes: Any) -> Res:
    res: Res = {
        "resourceType": "Coverage",
        "id": "cov-1",
        "meta": {
            "profile": ["http://hl7.org/fhir/us/carin-bb/StructureDefinition/C4BB-Coverage|2.0.0"]
        },
        "status": "active",
        "beneficiary": {"reference": "Patient/pt-1"},
        "subscriberId": "W123456",
        "relationship": _coded(
            "http://terminology.hl7.org/CodeSystem/subscriber-relationship", "self"
        ),
        "class": [
            {
                "type": _coded("http://terminology.hl7.org/CodeSystem/coverage-class", "group"),
                "value": "G-77",
                "name": "Northwind Employees",
            },
            {
                "type": _coded("http://terminology.hl7.org/CodeSystem/coverage-class", "plan"),
                "value": "PPO-2",
                "name": "Gold PPO",
            },
        ],
        "payor": [{"reference": "Organization/payer-1"}],
    }
    res.update(changes)
    return res


PAYER = {"resourceType": "Organization", "id": "payer-1", "name": "Harbor Health Plan"}


def test_a_carin_coverage_names_its_payer_organization() -> None:
    found = _facts(_patient(), _coverage(), PAYER, code="CO-16")
    assert (found.facts["payer_name"].value, found.facts["payer_name"].source) == (
        "Harbor Health Plan",
        "Organization/payer-1",
    )
    assert found.facts["member_id"].value == "W123456"


@pytest.mark.parametrize(
    "payor",
    [
        {"reference": "Patient/pt-1", "display": SECRET},  # the patient, in the record
        {"reference": "Patient/pt-elsewhere", "display": SECRET},  # one it does not hold
        {"reference": f"{BASE}/RelatedPerson/rp-1", "display": SECRET},
        {"type": "Patient", "display": SECRET},
    ],
)
def test_a_self_pay_coverage_never_names_a_person_as_the_payer(payor: Res) -> None:
    found = _facts(_patient(), _coverage(payor=[payor]), code="CO-16")
    assert "payer_name" in found.missing
    assert ("Coverage/cov-1", "its payor is a person (self-pay), not a payer") in _notes(
        found, "payer_name"
    )
    _private(found)
    # and a claim filled from it keeps its own payer, whom the letter names
    claim = example_claim("CO-16")
    filled = record.fill(claim, record.read(_bundle(_patient(), _coverage(payor=[payor]))))
    assert filled.claim.payer.name == claim.payer.name
    letter = denialkit.appeal("CO-16", filled.claim, letter_date=date(2026, 11, 2))
    assert SECRET not in letter.text.replace(claim.patient.name, "")


# -- 5. an EHR's behavioural health record, from Epic- and Cerner-shaped resources -------------
CPT = "http://www.ama-assn.org/go/cpt"
SNOMED = "http://snomed.info/sct"


def _ehr_record() -> list[Res]:
    epic_phq9 = _phq9(
        code={
            "coding": [
                {"system": "urn:oid:1.2.840.114350.1.13.0.1.7.2.707679", "code": "3588"},
                {"system": LOINC, "code": "44261-6", "display": "PHQ-9 total score"},
            ],
            "text": "PHQ-9 Total Score",
        },
        valueInteger=None,
        valueQuantity={"value": 14, "unit": "{score}", "system": "http://unitsofmeasure.org"},
        effectiveDateTime="2026-09-03T10:15:00-05:00",
        derivedFrom=[{"reference": "QuestionnaireResponse/qr-1"}],
    )
    minutes = {
        "resourceType": "Procedure",
        "id": "cm-call",
        "meta": {"profile": ["http://hl7.org/fhir/us/core/StructureDefinition/us-core-procedure"]},
        "status": "completed",
        "subject": {"reference": "Patient/pt-1?_format=json"},
        "code": {
            "coding": [
                {"system": CPT, "code": "99484"},
                {"system": EPIC_OID, "code": "BH-CM"},
            ]
        },
        "performedPeriod": {
            "start": "2026-09-05T14:00:00-05:00",
            "end": "2026-09-05T14:25:00-05:00",
        },
    }
    visit = {
        "resourceType": "Encounter",
        "id": "cm-visit",
        "status": "finished",
        "class": {"system": "http://terminology.hl7.org/CodeSystem/v3-ActCode", "code": "VR"},
        "type": [_coded(CPT, "99484")],
        "subject": {"reference": f"{BASE}/Patient/pt-1"},
        "period": {"start": "2026-09-10T09:00:00Z", "end": "2026-09-10T09:40:00Z"},
        "length": {"value": 40, "unit": "min", "system": "http://unitsofmeasure.org"},
    }
    role = {
        "resourceType": "PractitionerRole",
        "id": "role-cm",
        "practitioner": {"reference": "Practitioner/rn-1?_pretty=true"},
        "code": [_coded(SNOMED, "768820003")],
    }
    nurse = {
        "resourceType": "Practitioner",
        "id": "rn-1",
        "name": [{"family": "Okafor", "given": ["Ada"], "suffix": ["RN"]}],
    }
    team = {
        "resourceType": "CareTeam",
        "id": "team-1",
        "status": "active",
        "subject": {"reference": "Patient/pt-1"},
        "period": {"start": "2026-08-01"},
        "participant": [
            {
                "role": [_coded(SNOMED, "768820003")],
                "member": {"reference": "PractitionerRole/role-cm"},
            }
        ],
    }
    return [_patient(), _consent(), epic_phq9, minutes, visit, role, nurse, team]


def test_an_ehr_shaped_record_gives_each_fact_from_its_resource() -> None:
    found = _facts(*_ehr_record())
    got = {name: (f.value, f.source) for name, f in found.facts.items()}
    assert got["consent_date"] == (date(2026, 9, 2), "Consent/consent-1")
    assert got["rating_scale_scores"] == ("14 on September 3, 2026", "Observation/phq9-1")
    assert got["care_manager_minutes"][0] == 65
    assert sorted(s.resource for s in found.facts["care_manager_minutes"].sources) == [
        "Encounter/cm-visit",
        "Procedure/cm-call",
    ]
    assert got["care_manager_name"][0] == "Ada Okafor, RN"
    assert _notes(found, "care_manager_minutes") == []
    _private(found)


def test_a_letter_filled_from_an_ehr_shaped_record_encloses_only_what_it_holds() -> None:
    filled = record.fill(_claim(date(2026, 9, 30)), record.read(_bundle(*_ehr_record())))
    kinds = {e.kind for e in filled.claim.evidence}
    assert EvidenceKind.CONSENT in kinds
    assert filled.claim.facts["consent_date"] == date(2026, 9, 2)
    letter = denialkit.appeal("CCM21", filled.claim, letter_date=date(2026, 11, 2))
    assert "September 2, 2026" in letter.text
    # no care plan in the record: the letter does not claim one
    assert "care_plan_date" in filled.missing
    assert EvidenceKind.CARE_PLAN not in kinds
    assert not [e for e in filled.claim.evidence if "care plan" in e.title.casefold()]
