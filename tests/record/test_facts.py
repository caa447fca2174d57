"""Facts read from records: our complete records and their variants give what the record
shows, each with its source; the real records in ../shared/fhir invent nothing."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from denialkit import record

Facts = Callable[..., record.RecordFacts]
Find = Callable[[dict[str, Any], str], dict[str, Any]]


def _values(found: record.RecordFacts) -> dict[str, object]:
    return found.values()


def test_complete_cocm_record(data_dir: Path) -> None:
    found = record.facts(record.read(data_dir / "cocm-bundle.json"), code="CCM21", month="2026-09")
    assert found.missing == () and found.notes == ()
    assert _values(found) == {
        "consent_date": date(2026, 9, 2),
        "care_plan_date": date(2026, 9, 5),
        "rating_scale": "PHQ-9",
        "rating_scale_scores": "18 on September 3, 2026 and 12 on September 28, 2026",
        "care_manager_minutes": 75,
        "care_manager_name": "Dana Whitfield, LCSW",
        "psychiatric_consultant_name": "Dr. Omar Haddad",
        "patient_name": "Zoë Nguyễn",
        "patient_birth_date": date(1951, 6, 14),
        "member_id": "7KQ2XF3RW45",
        "payer_name": "Medicare Part B",
        "claim_number": "26274801234500",
        "denial_codes": ("16", "N290"),
    }
    f = found.facts
    assert f["consent_date"].source == "Consent/cocm-consent"
    assert f["consent_date"].sources[0].path == "Consent.dateTime"
    assert [s.resource for s in f["care_manager_minutes"].sources] == [
        "Procedure/cocm-time-1",
        "Procedure/cocm-time-2",
        "Procedure/cocm-time-3",
    ]
    assert f["rating_scale_scores"].sources[1].path == "Observation.valueQuantity.value"
    assert f["rating_scale_scores"].sources[1].title == "PHQ-9 score"
    evidence = found.evidence()
    assert [e.source for e in evidence] == [
        "Consent/cocm-consent",
        "CarePlan/cocm-plan",
        "Observation/phq9-2026-09-03",
        "Observation/phq9-2026-09-28",
        "Procedure/cocm-time-1",
        "Procedure/cocm-time-2",
        "Procedure/cocm-time-3",
        "CareTeam/cocm-team",
        "PractitionerRole/cocm-psychiatry",
    ]
    assert evidence[0].title == "Consent/cocm-consent: Patient consent to treatment"
    assert evidence[0].date == date(2026, 9, 2) and evidence[0].supports == ("consent_date",)
    # the care team's manager is found through a CareTeam; a contained member resolves too
    assert f["care_manager_name"].source == "CareTeam/cocm-team"


def test_bhi_bundle_and_its_ndjson_export_give_the_same_facts(data_dir: Path) -> None:
    bundle = record.facts(record.read(data_dir / "bhi-bundle.json"), month="2026-09")
    export = record.facts(record.read(data_dir / "bhi-export"), month="2026-09")
    assert bundle.missing == () and export.missing == ()
    assert export.to_dict() == bundle.to_dict()
    assert bundle.facts["care_manager_minutes"].value == 37  # Encounter.length: 15 + 10 + 12
    assert bundle.facts["rating_scale"].value == "GAD-7"
    # the GAD-7 total at linkId /70274-6 of a QuestionnaireResponse, as valueDecimal
    (qr,) = [
        s
        for s in bundle.facts["rating_scale_scores"].sources
        if s.resource.startswith("QuestionnaireResponse/")
    ]
    assert qr.path == "QuestionnaireResponse.item[1].answer[0].valueDecimal"


def test_minutes_spread_across_two_months(
    cocm: dict[str, Any], find: Find, facts_of: Facts
) -> None:
    find(cocm, "cocm-time-2")["performedPeriod"] = {
        "start": "2026-10-01T09:00:00-05:00",
        "end": "2026-10-01T09:40:00-05:00",
    }
    find(cocm, "cocm-time-3")["performedPeriod"] = {
        "start": "2026-09-30T23:50:00-05:00",
        "end": "2026-10-01T00:20:00-05:00",
    }
    found = facts_of(cocm)
    assert found.facts["care_manager_minutes"].value == 30
    assert [s.resource for s in found.facts["care_manager_minutes"].sources] == [
        "Procedure/cocm-time-1"
    ]
    assert any(n.resource == "Procedure/cocm-time-3" and "edge" in n.message for n in found.notes)
    assert facts_of(cocm, month="2026-10").facts["care_manager_minutes"].value == 40


def test_minutes_are_never_derived_from_units(
    cocm: dict[str, Any], find: Find, facts_of: Facts
) -> None:
    for rid in ("cocm-time-1", "cocm-time-2", "cocm-time-3"):
        proc = find(cocm, rid)
        proc["performedDateTime"] = proc.pop("performedPeriod")["start"]
    cocm["entry"].append(
        {
            "resource": {
                "resourceType": "Procedure",
                "id": "units-only",
                "status": "completed",
                "code": {"coding": [{"system": "http://www.ama-assn.org/go/cpt", "code": "99494"}]},
                "performedDateTime": "2026-09-20",
            }
        }
    )
    found = facts_of(cocm)
    assert "care_manager_minutes" in found.missing
    assert any("units are never" in n.message for n in found.notes)


def test_a_non_final_score_is_not_used(cocm: dict[str, Any], find: Find, facts_of: Facts) -> None:
    find(cocm, "phq9-2026-09-28")["status"] = "preliminary"
    found = facts_of(cocm)
    assert found.facts["rating_scale_scores"].value == "18 on September 3, 2026"
    assert any(
        n.resource == "Observation/phq9-2026-09-28" and "preliminary" in n.message
        for n in found.notes
    )


def test_an_entered_in_error_consent_is_ignored(
    cocm: dict[str, Any], find: Find, facts_of: Facts
) -> None:
    find(cocm, "cocm-consent")["status"] = "entered-in-error"
    found = facts_of(cocm)
    assert "consent_date" in found.missing
    assert any("entered-in-error" in n.message for n in found.notes)


def test_two_consents_the_latest_before_the_month_ends(
    cocm: dict[str, Any], find: Find, facts_of: Facts
) -> None:
    older = dict(find(cocm, "cocm-consent"), id="older-consent", dateTime="2025-03-10")
    later = dict(find(cocm, "cocm-consent"), id="after-consent", dateTime="2026-10-04")
    cocm["entry"] += [{"resource": older}, {"resource": later}]
    found = facts_of(cocm)
    assert found.facts["consent_date"].value == date(2026, 9, 2)
    assert found.facts["consent_date"].source == "Consent/cocm-consent"
    assert any(n.resource == "Consent/after-consent" for n in found.notes)


def test_phq9_as_value_string(cocm: dict[str, Any], find: Find, facts_of: Facts) -> None:
    obs = find(cocm, "phq9-2026-09-03")
    obs["valueString"] = str(obs.pop("valueInteger"))
    found = facts_of(cocm)
    assert found.facts["rating_scale_scores"].value.startswith("18 on September 3, 2026")
    assert found.facts["rating_scale_scores"].sources[0].path == "Observation.valueString"
    obs["valueString"] = "moderate"  # words are not a score
    assert facts_of(cocm).facts["rating_scale_scores"].value == "12 on September 28, 2026"


def test_an_entered_in_error_time_entry_is_not_counted(
    cocm: dict[str, Any], find: Find, facts_of: Facts
) -> None:
    find(cocm, "cocm-time-1")["status"] = "entered-in-error"
    assert facts_of(cocm).facts["care_manager_minutes"].value == 45


def test_nothing_needed_means_everything_missing(facts_of: Facts) -> None:
    empty = {"resourceType": "Bundle", "type": "collection", "entry": []}
    found = facts_of(empty)
    assert found.facts == {}
    assert found.missing == record.BHI_FACTS + record.CLAIM_FACTS


def test_a_code_outside_the_family_reads_only_claim_facts(data_dir: Path) -> None:
    found = record.facts(record.read(data_dir / "cocm-bundle.json"), code="CO-16", month="2026-09")
    assert set(found.facts) == set(record.CLAIM_FACTS)


def test_to_dict_shape(data_dir: Path) -> None:
    d = record.facts(record.read(data_dir / "cocm-bundle.json"), month="2026-09").to_dict()
    assert d["facts"]["consent_date"]["value"] == "2026-09-02"
    assert d["facts"]["consent_date"]["source"] == "Consent/cocm-consent"
    assert d["missing"] == [] and json.loads(json.dumps(d)) == d


@pytest.mark.parametrize(
    ("kwargs", "exc", "match"),
    [
        ({"month": "Sept"}, ValueError, "YYYY-MM"),
        ({"month": "2026-13"}, ValueError, "YYYY-MM"),
        ({"code": 5}, TypeError, "code must be a str"),
    ],
)
def test_bad_arguments(
    data_dir: Path, kwargs: dict[str, Any], exc: type[Exception], match: str
) -> None:
    rec = record.read(data_dir / "cocm-bundle.json")
    with pytest.raises(exc, match=match):
        record.facts(rec, **kwargs)


def test_facts_needs_a_record() -> None:
    with pytest.raises(TypeError, match="needs a Record"):
        record.facts({"resourceType": "Bundle"})  # type: ignore[arg-type]


# -- real data ---------------------------------------------------------------------------
def test_every_real_file_reads(shared_fhir: Path) -> None:
    files = sorted(shared_fhir.glob("*/*.json"))
    assert len(files) >= 9
    for path in files:
        assert len(record.read(path)) >= 1, path.name
    assert len(record.read(shared_fhir / "sample-bulk-fhir-10-patients")) > 100


def test_real_records_invent_nothing(shared_fhir: Path) -> None:
    sources = [*sorted(shared_fhir.glob("*/*.json")), shared_fhir / "sample-bulk-fhir-10-patients"]
    for path in sources:
        rec = record.read(path)
        for month in (None, "2018-02", "2019-07", "2022-11"):
            found = record.facts(rec, code="CCM21", month=month)
            for name in (
                "consent_date",
                "care_manager_minutes",
                "care_manager_name",
                "psychiatric_consultant_name",
            ):
                assert name in found.missing, (path.name, month, name)


def test_real_phq2_score(shared_fhir: Path) -> None:
    rec = record.read(shared_fhir / "inferno-reference-server-data/uscore_bundle_patient_85.json")
    found = record.facts(rec, month="2018-02")
    assert found.facts["rating_scale"].value == "PHQ-2"
    assert found.facts["rating_scale_scores"].value == "2 on February 11, 2018"
    src = found.facts["rating_scale_scores"].sources[0]
    assert src.resource == "Observation/8c0a9a88-155b-49f2-b52e-98bef9747152"
    assert src.path == "Observation.valueQuantity.value"


def test_real_phq9_value_string_and_questionnaire(shared_fhir: Path) -> None:
    examples = shared_fhir / "us-core-examples"
    obs = record.facts(
        record.read(examples / "Observation-PHQ9-item-example-44261-6.json"), month="2022-11"
    )
    assert obs.facts["rating_scale_scores"].value == "12 on November 29, 2022"
    assert obs.facts["rating_scale_scores"].sources[0].path == "Observation.valueString"
    qr = record.facts(
        record.read(examples / "QuestionnaireResponse-phq-9-example.json"), month="2022-11"
    )
    assert qr.facts["rating_scale"].value == "PHQ-9"
    assert qr.facts["rating_scale_scores"].sources[0].path.endswith(".valueDecimal")
    # the panel only points at its members, which this file does not hold
    panel = record.facts(
        record.read(examples / "Observation-PHQ9-panel-example-44249-1.json"), month="2022-11"
    )
    assert "rating_scale" in panel.missing


def test_real_carin_eob_denial_code(shared_fhir: Path) -> None:
    rec = record.read(shared_fhir / "inferno-reference-server-data/carin_bundle_patient_888.json")
    found = record.facts(rec, code="CCM21", month="2019-07")
    assert found.facts["denial_codes"].value == ("21",)
    assert found.facts["denial_codes"].sources[0].path.endswith(".reason")
    # several EOBs of different claims match the month: no claim number is chosen
    assert "claim_number" in found.missing
    # the only coverage starts in 2020
    assert "member_id" in found.missing
    assert record.facts(rec, month="2020-03").facts["member_id"].value == "88800933501"


def test_synthea_2019_has_no_scores_consent_or_carc(shared_fhir: Path) -> None:
    (path,) = (shared_fhir / "synthea-2019-generated-sample-data").glob("*.json")
    found = record.facts(record.read(path), code="CCM21")
    for name in ("consent_date", "rating_scale", "rating_scale_scores", "denial_codes"):
        assert name in found.missing


@pytest.mark.parametrize("name", ["cocm-bundle.json", "bhi-bundle.json"])
def test_code_systems_sent_as_oids_read_the_same(data_dir: Path, name: str) -> None:
    """Some EHRs carry the HL7 OIDs of v2 and CDA over into FHIR: LOINC, SNOMED CT and
    ICD-10-CM under ``urn:oid:`` give the same facts as under their URIs."""
    text = (data_dir / name).read_text("utf-8")
    oids = (
        text.replace('"http://loinc.org"', '"urn:oid:2.16.840.1.113883.6.1"')
        .replace('"http://snomed.info/sct"', '"urn:oid:2.16.840.1.113883.6.96"')
        .replace('"http://hl7.org/fhir/sid/icd-10-cm"', '"urn:oid:2.16.840.1.113883.6.90"')
    )
    assert oids != text

    def facts(raw: str) -> dict[str, object]:
        return record.facts(record.read(raw.encode()), code="CCM21", month="2026-09").values()

    assert facts(oids) == facts(text)
    assert "rating_scale_scores" in facts(oids)


def test_a_scale_total_held_as_a_panel_component(
    cocm: dict[str, Any], find: Find, facts_of: Facts
) -> None:
    """Some records send the PHQ-9 as one panel Observation (44249-1) whose total (44261-6)
    is a component: the total is the score, traced to its component."""
    want = facts_of(cocm).facts["rating_scale_scores"].value
    for rid in ("phq9-2026-09-03", "phq9-2026-09-28"):
        obs = find(cocm, rid)
        value = {k: obs.pop(k) for k in list(obs) if k.startswith("value")}
        obs["code"] = {"coding": [{"system": "http://loinc.org", "code": "44249-1"}]}
        obs["component"] = [
            {"code": {"coding": [{"system": "http://loinc.org", "code": "44250-9"}]},
             "valueInteger": 2},
            {"code": {"coding": [{"system": "http://loinc.org", "code": "44261-6"}]}, **value},
        ]  # fmt: skip
    found = facts_of(cocm)
    assert found.facts["rating_scale"].value == "PHQ-9"
    assert found.facts["rating_scale_scores"].value == want
    assert found.facts["rating_scale_scores"].sources[0].path == (
        "Observation.component[1].valueInteger"
    )
    # a panel whose total component has no number gives no score (and invents none)
    for rid in ("phq9-2026-09-03", "phq9-2026-09-28"):
        total = find(cocm, rid)["component"][1]
        for k in [k for k in total if k.startswith("value")]:
            total.pop(k)
    assert "rating_scale_scores" in facts_of(cocm).missing


def test_denial_codes_of_two_claims_are_not_combined() -> None:
    def eob(rid: str, number: str, carc: str) -> dict[str, Any]:
        return {
            "resourceType": "ExplanationOfBenefit",
            "id": rid,
            "status": "active",
            "identifier": [
                {
                    "type": {
                        "coding": [
                            {
                                "system": "http://hl7.org/fhir/us/carin-bb/CodeSystem/"
                                "C4BBIdentifierType",
                                "code": "uc",
                            }
                        ]
                    },
                    "value": number,
                }
            ],
            "billablePeriod": {"start": "2026-09-01", "end": "2026-09-30"},
            "adjudication": [
                {
                    "reason": {
                        "coding": [
                            {
                                "system": "https://x12.org/codes/claim-adjustment-reason-codes",
                                "code": carc,
                            }
                        ]
                    }
                }
            ],
        }

    def read(*eobs: dict[str, Any]) -> record.RecordFacts:
        data = b"\n".join(json.dumps(x).encode() for x in eobs)
        return record.facts(record.read(data), code="CO-16", month="2026-09")

    mixed = read(eob("e1", "CLM-A", "16"), eob("e2", "CLM-B", "97"))
    assert "denial_codes" in mixed.missing and "claim_number" in mixed.missing
    assert "with different codes" in " ".join(n.message for n in mixed.notes)
    # the same claim told twice (an adjustment), or two claims with the same codes: one value
    assert read(eob("e1", "CLM-A", "16"), eob("e3", "CLM-A", "N290")).facts[
        "denial_codes"
    ].value == ("16", "N290")
    assert read(eob("e1", "CLM-A", "16"), eob("e4", "CLM-C", "16")).facts["denial_codes"].value == (
        "16",
    )
