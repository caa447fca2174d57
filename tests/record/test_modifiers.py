"""A resource whose meaning the record changes (a modifier extension, a condition entered in
error or refuted, a value with a comparator) gives no fact, and a note says why."""

from __future__ import annotations

import json
from typing import Any

import pytest

from denialkit import record

LOINC = "http://loinc.org"
ICD10 = "http://hl7.org/fhir/sid/icd-10-cm"
VER = "http://terminology.hl7.org/CodeSystem/condition-ver-status"


def _read(*resources: dict[str, Any]) -> record.RecordFacts:
    bundle = {"resourceType": "Bundle", "type": "searchset"}
    bundle["entry"] = [{"resource": r, "search": {"mode": "match"}} for r in resources]
    return record.facts(record.read(json.dumps(bundle).encode()), month="2026-10")


def _gad7(rid: str, **more: Any) -> dict[str, Any]:
    return {
        "resourceType": "Observation",
        "id": rid,
        "status": "final",
        "code": {"coding": [{"system": LOINC, "code": "70274-6"}]},
        "effectiveDateTime": "2026-10-06",
        "valueInteger": 11,
        **more,
    }


def test_a_modifier_extension_keeps_a_resource_out_with_a_note() -> None:
    flagged = _gad7(
        "gad-flag",
        modifierExtension=[{"url": "https://ehr.test/fhir/not-administered", "valueBoolean": True}],
    )
    found = _read(flagged)
    assert "rating_scale" in found.missing
    assert [(n.resource, n.message) for n in found.notes] == [
        ("Observation/gad-flag", "has a modifierExtension, which may change its meaning; not used")
    ]


def test_an_ordinary_extension_changes_nothing() -> None:
    plain = _gad7("gad-ext", extension=[{"url": "https://ehr.test/fhir/x", "valueString": "y"}])
    plain["_status"] = {"extension": [{"url": "https://ehr.test/fhir/z", "valueCode": "q"}]}
    assert _read(plain).facts["rating_scale"].value == "GAD-7"


def _plan_for(condition: dict[str, Any]) -> record.RecordFacts:
    plan = {
        "resourceType": "CarePlan",
        "id": "plan-a",
        "status": "active",
        "intent": "plan",
        "period": {"start": "2026-10-02"},
        "addresses": [{"reference": "Condition/dx-a"}],
    }
    return _read(plan, condition)


def _condition(verification: str | None) -> dict[str, Any]:
    cond: dict[str, Any] = {
        "resourceType": "Condition",
        "id": "dx-a",
        "code": {"coding": [{"system": ICD10, "code": "F41.1"}]},
    }
    if verification:
        cond["verificationStatus"] = {"coding": [{"system": VER, "code": verification}]}
    return cond


def test_a_care_plan_for_a_mental_health_condition_counts() -> None:
    assert _plan_for(_condition("confirmed")).facts["care_plan_date"].source == "CarePlan/plan-a"
    assert "care_plan_date" in _plan_for(_condition(None)).facts


def test_a_condition_entered_in_error_or_refuted_does_not_make_a_plan_behavioural() -> None:
    for status in ("entered-in-error", "refuted"):
        assert "care_plan_date" in _plan_for(_condition(status)).missing


def test_a_score_with_a_comparator_is_a_bound_not_a_score() -> None:
    bound = _gad7("gad-bound", valueQuantity={"value": 10, "comparator": ">="})
    del bound["valueInteger"]
    found = _read(bound)
    assert "rating_scale" in found.missing
    assert [n.resource for n in found.notes] == ["Observation/gad-bound"]
    exact = _gad7("gad-exact", valueQuantity={"value": 10, "unit": "{score}"})
    del exact["valueInteger"]
    assert _read(exact).facts["rating_scale_scores"].value == "10 on October 6, 2026"


def test_a_questionnaire_total_without_a_number_is_noted() -> None:
    response = {
        "resourceType": "QuestionnaireResponse",
        "id": "qr-words",
        "status": "completed",
        "authored": "2026-10-09",
        "item": [
            {"linkId": "/70274-6", "answer": [{"valueCoding": {"code": "LA-moderate"}}]},
        ],
    }
    found = _read(response)
    assert "rating_scale" in found.missing
    assert [(n.resource, n.message) for n in found.notes] == [
        ("QuestionnaireResponse/qr-words", "a scale total answer holds no number; not used")
    ]


def test_a_panel_with_a_phq2_subtotal_and_a_phq9_total_gives_both_scores() -> None:
    def part(code: str, value: int) -> dict[str, Any]:
        return {"code": {"coding": [{"system": LOINC, "code": code}]}, "valueInteger": value}

    panel = {
        "resourceType": "Observation",
        "id": "phq-panel",
        "status": "final",
        "code": {"coding": [{"system": LOINC, "code": "44249-1"}]},
        "effectiveDateTime": "2026-10-13",
        "component": [part("44250-9", 2), part("55758-7", 4), part("44261-6", 15)],
    }
    found = _read(panel)
    assert found.facts["rating_scale"].value == "PHQ-9"
    assert found.facts["rating_scale_scores"].value == "15 on October 13, 2026"
    assert found.facts["rating_scale_scores"].sources[0].path == (
        "Observation.component[2].valueInteger"
    )
    views = record.read(json.dumps(panel).encode()).of_type(record.Observation)
    assert [(s.loinc, s.value) for s in views[0].component_scores] == [
        ("55758-7", 4),
        ("44261-6", 15),
    ]


@pytest.mark.parametrize("value", [22, -1, 7.5])
def test_a_total_the_scale_cannot_give_is_noted_not_used(value: float) -> None:
    odd = _gad7("gad-odd", valueDecimal=value)
    del odd["valueInteger"]
    found = _read(odd)
    assert "rating_scale" in found.missing
    assert [n.message for n in found.notes] == [  # the range, never the value
        "the GAD-7 total is not a whole number from 0 to 21; not used"
    ]
