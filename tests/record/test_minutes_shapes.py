"""Care-management time in the shapes real exports write it: every entry is counted or noted,
never dropped in silence."""

from __future__ import annotations

import json
from typing import Any

import pytest

from denialkit import record

CPT = "http://www.ama-assn.org/go/cpt"


def _minutes(*resources: dict[str, Any]) -> record.RecordFacts:
    lines = b"\n".join(json.dumps(r).encode() for r in resources)
    return record.facts(record.read(lines + b"\n"), month="2026-11")


def _procedure(rid: str, **performed: Any) -> dict[str, Any]:
    return {
        "resourceType": "Procedure",
        "id": rid,
        "status": "completed",
        "code": {"coding": [{"system": CPT, "code": "99484"}]},
        **performed,
    }


def _encounter(rid: str, length: dict[str, Any]) -> dict[str, Any]:
    return {
        "resourceType": "Encounter",
        "id": rid,
        "status": "finished",
        "type": [{"coding": [{"system": CPT, "code": "99484"}]}],
        "period": {"start": "2026-11-12"},
        "length": length,
    }


@pytest.mark.parametrize(
    "performed",
    [
        {"performedString": "early in the month"},
        {"performedAge": {"value": 71, "unit": "a"}},
        {"performedRange": {"low": {"value": 1}}},
        {},
    ],
)
def test_a_procedure_without_a_date_is_noted(performed: dict[str, Any]) -> None:
    found = _minutes(_procedure("cm-undated", **performed))
    assert "care_manager_minutes" in found.missing
    assert [(n.resource, n.message) for n in found.notes] == [
        ("Procedure/cm-undated", "has no date it took place; not counted")
    ]


def test_local_times_without_a_zone_on_both_ends_give_minutes() -> None:
    found = _minutes(
        _procedure(
            "cm-local",
            performedPeriod={"start": "2026-11-03T14:05:00", "end": "2026-11-03T14:27:00"},
        ),
        _procedure(
            "cm-mixed",
            performedPeriod={"start": "2026-11-04T09:00:00", "end": "2026-11-04T09:30:00Z"},
        ),
    )
    assert found.facts["care_manager_minutes"].value == 22
    assert [n.resource for n in found.notes] == ["Procedure/cm-mixed"]


@pytest.mark.parametrize(
    ("length", "minutes"),
    [
        ({"value": 1320, "unit": "s", "system": "http://unitsofmeasure.org", "code": "s"}, 22),
        ({"value": 22, "unit": "mins"}, 22),
        ({"value": 22, "unit": "Minutes"}, 22),
        ({"value": "0.5", "unit": "hours"}, 30),
        ({"value": 1.5, "unit": "hr", "system": "http://unitsofmeasure.org", "code": "h"}, 90),
    ],
)
def test_encounter_length_in_other_units(length: dict[str, Any], minutes: int) -> None:
    found = _minutes(_encounter("cm-enc", length))
    assert found.facts["care_manager_minutes"].value == minutes


def test_an_encounter_length_in_an_unknown_unit_is_noted() -> None:
    found = _minutes(_encounter("cm-enc", {"value": 3, "unit": "visits"}))
    assert "care_manager_minutes" in found.missing
    messages = [n.message for n in found.notes if n.resource == "Encounter/cm-enc"]
    assert "Encounter.length is in a unit other than s, min or h" in messages
