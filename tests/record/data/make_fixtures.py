"""Writes the record fixtures in this folder (run it after changing it; the JSON is committed).

Two complete records, written for denialkit (every name, id and value is invented):

- ``cocm-bundle.json``: psychiatric collaborative care (99492) billed for September 2026, a
  transaction Bundle with ``urn:uuid:`` references, one contained resource and one relative
  reference;
- ``bhi-bundle.json``: general behavioural health integration (99484) billed for September
  2026, a collection Bundle;
- ``bhi-export/``: the BHI record as a bulk export, one ``Type.ndjson`` per type, with relative,
  conditional (``Type?identifier=system|value``) and logical (identifier-only) references. It
  must give the same facts as ``bhi-bundle.json``.

    python tests/record/data/make_fixtures.py
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

HERE = Path(__file__).parent
LOINC = "http://loinc.org"
SNOMED = "http://snomed.info/sct"
NUCC = "http://nucc.org/provider-taxonomy"
CPT = "http://www.ama-assn.org/go/cpt"
NPI = "http://hl7.org/fhir/sid/us-npi"
SCOPE = "http://terminology.hl7.org/CodeSystem/consentscope"
CARC = "https://x12.org/codes/claim-adjustment-reason-codes"
RARC = "https://x12.org/codes/remittance-advice-remark-codes"
ADJ = "http://hl7.org/fhir/us/carin-bb/CodeSystem/C4BBAdjudicationDiscriminator"

R = dict[str, Any]


def concept(system: str, code: str, display: str | None = None) -> R:
    coding: R = {"system": system, "code": code}
    if display:
        coding["display"] = display
    return {"coding": [coding]}


def patient(pid: str) -> R:
    return {
        "resourceType": "Patient",
        "id": pid,
        "identifier": [{"system": "https://valley-family.example/mrn", "value": f"MRN-{pid}"}],
        "name": [{"use": "official", "family": "Nguyễn", "given": ["Zoë"]}],
        "birthDate": "1951-06-14",
    }


def practitioner(pid: str, npi: str, given: str, family: str, **extra: Any) -> R:
    name: R = {"family": family, "given": [given], **extra}
    return {
        "resourceType": "Practitioner",
        "id": pid,
        "identifier": [{"system": NPI, "value": npi}],
        "name": [name],
    }


def consent(cid: str, subject: R, when: str, status: str = "active") -> R:
    return {
        "resourceType": "Consent",
        "id": cid,
        "status": status,
        "scope": concept(SCOPE, "treatment"),
        "category": [concept(LOINC, "59284-0", "Consent Document")],
        "patient": subject,
        "dateTime": when,
    }


def condition(cid: str, subject: R) -> R:
    return {
        "resourceType": "Condition",
        "id": cid,
        "code": concept("http://hl7.org/fhir/sid/icd-10-cm", "F32.1"),
        "subject": subject,
    }


def care_plan(cid: str, subject: R, start: str, addresses: R) -> R:
    return {
        "resourceType": "CarePlan",
        "id": cid,
        "status": "active",
        "intent": "plan",
        "category": [
            concept("http://hl7.org/fhir/us/core/CodeSystem/careplan-category", "assess-plan")
        ],
        "subject": subject,
        "period": {"start": start},
        "addresses": [addresses],
    }


def score_obs(oid: str, subject: R, loinc: str, when: str, value: Any, form: str) -> R:
    obs: R = {
        "resourceType": "Observation",
        "id": oid,
        "status": "final",
        "category": [
            concept("http://terminology.hl7.org/CodeSystem/observation-category", "survey")
        ],
        "code": concept(LOINC, loinc),
        "subject": subject,
        "effectiveDateTime": when,
    }
    if form == "valueQuantity":
        obs[form] = {
            "value": value,
            "unit": "{score}",
            "system": "http://unitsofmeasure.org",
            "code": "{score}",
        }
    else:
        obs[form] = value
    return obs


def time_entry(pid: str, subject: R, code: str, start: str, end: str) -> R:
    return {
        "resourceType": "Procedure",
        "id": pid,
        "status": "completed",
        "code": concept(CPT, code),
        "subject": subject,
        "performedPeriod": {"start": start, "end": end},
    }


def role(rid: str, who: R, system: str, code: str) -> R:
    return {
        "resourceType": "PractitionerRole",
        "id": rid,
        "active": True,
        "period": {"start": "2026-01-01"},
        "practitioner": who,
        "code": [concept(system, code)],
    }


def coverage(cid: str, subject: R, payer: R) -> R:
    return {
        "resourceType": "Coverage",
        "id": cid,
        "status": "active",
        "identifier": [
            {
                "type": concept("http://terminology.hl7.org/CodeSystem/v2-0203", "MB"),
                "system": "https://www.cms.gov/mbi",
                "value": "7KQ2XF3RW45",
            }
        ],
        "beneficiary": subject,
        "period": {"start": "2026-01-01"},
        "payor": [payer],
    }


def eob(eid: str, subject: R, number: str, service_date: str, code: str) -> R:
    reason = {
        "category": concept(ADJ, "adjustmentreason"),
        "reason": concept(CARC, "16"),
    }
    remark = {"category": concept(ADJ, "adjustmentreason"), "reason": concept(RARC, "N290")}
    return {
        "resourceType": "ExplanationOfBenefit",
        "id": eid,
        "status": "active",
        "identifier": [
            {
                "type": concept(
                    "http://hl7.org/fhir/us/carin-bb/CodeSystem/C4BBIdentifierType", "uc"
                ),
                "system": "https://payer.example/claim",
                "value": number,
            }
        ],
        "patient": subject,
        "billablePeriod": {"start": service_date, "end": service_date},
        "outcome": "complete",
        "item": [
            {
                "sequence": 1,
                "productOrService": concept(CPT, code),
                "servicedDate": service_date,
                "adjudication": [reason, remark],
            }
        ],
    }


def organization(oid: str, name: str) -> R:
    return {
        "resourceType": "Organization",
        "id": oid,
        "name": name,
        "identifier": [{"system": "https://payer.example/id", "value": oid}],
    }


# ------------------------------------------------------------------ CoCM (99492)
def cocm() -> R:
    u = {
        k: f"urn:uuid:00000000-0000-4000-8000-{i:012d}"
        for i, k in enumerate(
            [
                "pt",
                "cons",
                "dx",
                "plan",
                "phq1",
                "phq2",
                "t1",
                "t2",
                "t3",
                "cm",
                "team",
                "psy",
                "psyrole",
                "cov",
                "payer",
                "eob",
            ],
            start=1,
        )
    }
    subj = {"reference": u["pt"]}
    res: list[tuple[str, R]] = [
        (u["pt"], patient("cocm-patient")),
        (u["cons"], consent("cocm-consent", subj, "2026-09-02")),
        (u["dx"], condition("cocm-depression", subj)),
        (u["plan"], care_plan("cocm-plan", subj, "2026-09-05", {"reference": u["dx"]})),
        (
            u["phq1"],
            score_obs(
                "phq9-2026-09-03", subj, "44261-6", "2026-09-03T09:30:00-05:00", 18, "valueInteger"
            ),
        ),
        (
            u["phq2"],
            score_obs(
                "phq9-2026-09-28", subj, "44261-6", "2026-09-28T10:00:00-05:00", 12, "valueQuantity"
            ),
        ),
        (
            u["t1"],
            time_entry(
                "cocm-time-1",
                subj,
                "99492",
                "2026-09-03T10:00:00-05:00",
                "2026-09-03T10:30:00-05:00",
            ),
        ),
        (
            u["t2"],
            time_entry(
                "cocm-time-2",
                subj,
                "99492",
                "2026-09-14T14:00:00-05:00",
                "2026-09-14T14:25:00-05:00",
            ),
        ),
        (
            u["t3"],
            time_entry(
                "cocm-time-3",
                subj,
                "99492",
                "2026-09-28T09:00:00-05:00",
                "2026-09-28T09:20:00-05:00",
            ),
        ),
        (u["cm"], practitioner("cocm-manager", "1000000004", "Dana", "Whitfield", suffix=["LCSW"])),
        (
            u["team"],
            {
                "resourceType": "CareTeam",
                "id": "cocm-team",
                "status": "active",
                "subject": subj,
                "period": {"start": "2026-09-01"},
                "contained": [practitioner("pcp", "1000000012", "Ellen", "Park", prefix=["Dr."])],
                "participant": [
                    {
                        "role": [concept(SNOMED, "768820003", "Care coordinator")],
                        "member": {"reference": u["cm"]},
                    },
                    {
                        "role": [concept(SNOMED, "446050000", "Primary care physician")],
                        "member": {"reference": "#pcp"},
                    },
                ],
            },
        ),
        (
            u["psy"],
            practitioner("cocm-psychiatrist", "1000000020", "Omar", "Haddad", prefix=["Dr."]),
        ),
        (
            u["psyrole"],
            role(
                "cocm-psychiatry",
                {"reference": "Practitioner/cocm-psychiatrist"},
                NUCC,
                "2084P0800X",
            ),
        ),
        (u["payer"], organization("cocm-payer", "Medicare Part B")),
        (u["cov"], coverage("cocm-coverage", subj, {"reference": u["payer"]})),
        (u["eob"], eob("cocm-eob", subj, "26274801234500", "2026-09-30", "99492")),
    ]
    return {
        "resourceType": "Bundle",
        "id": "cocm-record",
        "type": "transaction",
        "entry": [
            {
                "fullUrl": url,
                "resource": r,
                "request": {"method": "PUT", "url": f"{r['resourceType']}/{r['id']}"},
            }
            for url, r in res
        ],
    }


# ------------------------------------------------------------------ BHI (99484)
def bhi_resources(style: str) -> list[R]:
    """The BHI record; ``style`` is "bundle" (relative refs) or "export" (conditional refs)."""
    subj = {"reference": "Patient/bhi-patient"}
    if style == "export":
        manager: R = {"reference": f"Practitioner?identifier={NPI}|1000000038"}
        psychiatrist: R = {
            "identifier": {"system": NPI, "value": "1000000046"},
            "display": "Dr. Priya Raman",
        }
        payer: R = {"reference": "Organization?identifier=https://payer.example/id|bhi-payer"}
    else:
        manager = {"reference": "Practitioner/bhi-manager"}
        psychiatrist = {"reference": "Practitioner/bhi-psychiatrist"}
        payer = {"reference": "Organization/bhi-payer"}

    def minutes(eid: str, day: str, start: str, length: int) -> R:
        return {
            "resourceType": "Encounter",
            "id": eid,
            "status": "finished",
            "class": {"system": "http://terminology.hl7.org/CodeSystem/v3-ActCode", "code": "VR"},
            "type": [concept(CPT, "99484", "Behavioral health integration")],
            "subject": subj,
            "period": {"start": f"{day}T{start}:00-04:00"},
            "length": {
                "value": length,
                "unit": "min",
                "system": "http://unitsofmeasure.org",
                "code": "min",
            },
        }

    qr = {
        "resourceType": "QuestionnaireResponse",
        "id": "gad7-2026-09-24",
        "status": "completed",
        "subject": subj,
        "authored": "2026-09-24T11:00:00-04:00",
        "item": [
            {
                "linkId": "/69725-0",
                "answer": [{"valueCoding": {"system": LOINC, "code": "LA6569-3"}}],
            },
            {"linkId": "/70274-6", "text": "GAD-7 total score", "answer": [{"valueDecimal": 9}]},
        ],
    }
    return [
        patient("bhi-patient"),
        consent("bhi-consent", subj, "2026-08-28"),
        condition("bhi-anxiety", subj)
        | {"code": concept("http://hl7.org/fhir/sid/icd-10-cm", "F41.1")},
        care_plan("bhi-plan", subj, "2026-09-01", {"reference": "Condition/bhi-anxiety"}),
        score_obs("gad7-2026-09-02", subj, "70274-6", "2026-09-02", 14, "valueInteger"),
        qr,
        minutes("bhi-time-1", "2026-09-02", "09:00", 15),
        minutes("bhi-time-2", "2026-09-16", "13:30", 10),
        minutes("bhi-time-3", "2026-09-24", "11:15", 12),
        practitioner("bhi-manager", "1000000038", "Marcus", "Bell", suffix=["RN"]),
        role("bhi-care-manager", manager, NUCC, "171M00000X"),
        practitioner("bhi-psychiatrist", "1000000046", "Priya", "Raman", prefix=["Dr."]),
        role("bhi-psychiatry", psychiatrist, SNOMED, "80584001"),
        organization("bhi-payer", "Medicare Part B"),
        coverage("bhi-coverage", subj, payer),
        eob("bhi-eob", subj, "26274809876500", "2026-09-30", "99484"),
    ]


def main() -> None:
    (HERE / "cocm-bundle.json").write_text(
        json.dumps(cocm(), indent=2, ensure_ascii=False) + "\n", "utf-8"
    )
    bundle = {
        "resourceType": "Bundle",
        "id": "bhi-record",
        "type": "collection",
        "entry": [
            {"fullUrl": f"https://ehr.example/fhir/{r['resourceType']}/{r['id']}", "resource": r}
            for r in bhi_resources("bundle")
        ],
    }
    (HERE / "bhi-bundle.json").write_text(
        json.dumps(bundle, indent=2, ensure_ascii=False) + "\n", "utf-8"
    )
    export = HERE / "bhi-export"
    export.mkdir(exist_ok=True)
    by_type: dict[str, list[R]] = {}
    for r in bhi_resources("export"):
        by_type.setdefault(r["resourceType"], []).append(r)
    for old in export.glob("*.ndjson"):
        old.unlink()
    for rtype, items in by_type.items():
        lines = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in items)
        (export / f"{rtype}.ndjson").write_text(lines, "utf-8")


if __name__ == "__main__":
    main()
