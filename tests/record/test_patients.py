"""A record about several patients never mixes their facts: facts() needs to be told whose."""

from __future__ import annotations

import json
from typing import Any

import pytest

from denialkit import record
from denialkit.exceptions import RecordError

LOINC = "http://loinc.org"


def _score(rid: str, subject: str, day: str, value: int) -> dict[str, Any]:
    return {
        "resourceType": "Observation",
        "id": rid,
        "status": "final",
        "subject": {"reference": subject},
        "code": {"coding": [{"system": LOINC, "code": "44261-6"}]},
        "effectiveDateTime": day,
        "valueInteger": value,
    }


def _bundle(*resources: dict[str, Any]) -> bytes:
    entries = [
        {"fullUrl": f"https://fhir.test/r4/{r['resourceType']}/{r['id']}", "resource": r}
        for r in resources
    ]
    return json.dumps({"resourceType": "Bundle", "type": "collection", "entry": entries}).encode()


PEOPLE = (
    {"resourceType": "Patient", "id": "p-one", "name": [{"family": "Quill", "given": ["Ada"]}]},
    {"resourceType": "Patient", "id": "p-two", "name": [{"family": "Marsh", "given": ["Ben"]}]},
    _score("s-one", "Patient/p-one", "2026-09-04", 17),
    _score("s-two", "https://fhir.test/r4/Patient/p-two/_history/3", "2026-09-05", 6),
)
TWO = _bundle(*PEOPLE)


def test_a_record_about_two_patients_needs_a_choice() -> None:
    rec = record.read(TWO)
    assert rec.patients() == ("Patient/p-one", "Patient/p-two")
    with pytest.raises(RecordError, match="about 2 patients; say whose") as info:
        record.facts(rec, month="2026-09")
    assert "Quill" not in str(info.value) and "p-one" not in str(info.value)


@pytest.mark.parametrize(
    ("patient", "score", "name"),
    [
        ("Patient/p-one", "17 on September 4, 2026", "Ada Quill"),
        ("p-two", "6 on September 5, 2026", "Ben Marsh"),
        ("https://fhir.test/r4/Patient/p-two", "6 on September 5, 2026", "Ben Marsh"),
    ],
)
def test_each_patient_gets_only_their_own_facts(patient: str, score: str, name: str) -> None:
    found = record.facts(record.read(TWO), month="2026-09", patient=patient)
    assert found.facts["rating_scale_scores"].value == score
    assert len(found.facts["rating_scale_scores"].sources) == 1
    assert found.facts["patient_name"].value == name


def test_a_resource_about_a_patient_the_export_left_out_counts_as_another_patient() -> None:
    data = _bundle(
        {"resourceType": "Patient", "id": "p-one"},
        _score("s-one", "Patient/p-one", "2026-09-04", 17),
        _score("s-else", "Patient/not-exported", "2026-09-20", 3),
    )
    rec = record.read(data)
    with pytest.raises(RecordError):
        record.facts(rec, month="2026-09")
    found = record.facts(rec, month="2026-09", patient="Patient/p-one")
    assert [s.resource for s in found.facts["rating_scale_scores"].sources] == ["Observation/s-one"]


def test_with_several_patients_a_resource_naming_none_is_noted_not_used() -> None:
    anonymous = _score("s-none", "Patient/p-one", "2026-09-10", 9)
    del anonymous["subject"]
    rec = record.read(_bundle(*PEOPLE, anonymous))
    found = record.facts(rec, month="2026-09", patient="p-one")
    assert [s.resource for s in found.facts["rating_scale_scores"].sources] == ["Observation/s-one"]
    assert any(
        n.resource == "Observation/s-none" and "names no patient" in n.message for n in found.notes
    )


def test_one_patient_needs_no_choice_and_an_unknown_choice_is_an_error() -> None:
    data = _bundle(
        {"resourceType": "Patient", "id": "p-one"},
        _score("s-one", "Patient/p-one", "2026-09-04", 17),
    )
    rec = record.read(data)
    assert record.facts(rec, month="2026-09").facts["rating_scale"].value == "PHQ-9"
    with pytest.raises(RecordError, match="no patient by the reference") as info:
        record.facts(rec, month="2026-09", patient="Patient/p-nine")
    assert "p-nine" not in str(info.value)
    with pytest.raises(TypeError):
        record.facts(rec, month="2026-09", patient=7)  # type: ignore[arg-type]


def test_uuid_subjects_match_a_patient_whose_id_is_the_uuid() -> None:
    """NDJSON of a Synthea-style export: no fullUrl, references urn:uuid:<id>."""
    uid = "5b0e1f7c-3a52-4d3e-9c1d-2f8e6a7b9c10"
    lines = [
        {"resourceType": "Patient", "id": uid},
        _score("s-one", f"urn:uuid:{uid}", "2026-09-04", 17),
    ]
    rec = record.read(b"\n".join(json.dumps(x).encode() for x in lines))
    assert rec.patients() == (f"Patient/{uid}",)
    assert record.facts(rec, month="2026-09").facts["rating_scale"].value == "PHQ-9"


def test_fill_passes_the_patient_on() -> None:
    from denialkit.letters import example_claim

    claim = example_claim("CCM21").evolve(facts={}, evidence=())
    with pytest.raises(RecordError):
        record.fill(claim, record.read(TWO), month="2026-09")
    filled = record.fill(claim, record.read(TWO), month="2026-09", patient="p-two")
    assert filled.claim.facts["rating_scale_scores"] == "6 on September 5, 2026"


def test_linked_patient_resources_are_one_person() -> None:
    """A merged record: the old Patient is replaced by the new one; both are one person."""
    old = {
        "resourceType": "Patient",
        "id": "p-old",
        "active": False,
        "name": [{"text": "Ada Q. (old chart)"}],
        "link": [{"other": {"reference": "Patient/p-new"}, "type": "replaced-by"}],
    }
    new = {
        "resourceType": "Patient",
        "id": "p-new",
        "name": [{"family": "Quill", "given": ["Ada"]}],
        "link": [{"other": {"reference": "Patient/p-old"}, "type": "replaces"}],
    }
    rec = record.read(
        _bundle(
            old,
            new,
            _score("s-before", "Patient/p-old", "2026-08-20", 19),
            _score("s-after", "Patient/p-new", "2026-09-04", 12),
        )
    )
    assert rec.patients() == ("Patient/p-new",)
    found = record.facts(rec, month="2026-09")
    assert found.facts["rating_scale_scores"].value == (
        "19 on August 20, 2026 and 12 on September 4, 2026"
    )
    assert found.facts["patient_name"].value == "Ada Quill"
    assert record.facts(rec, month="2026-09", patient="p-old").facts == found.facts
    # a link to a Patient the export left out joins its resources too
    del new["link"]
    old["link"] = [{"other": {"reference": "Patient/p-new"}, "type": "seealso"}]
    lone = record.read(_bundle(old, _score("s-away", "Patient/p-new", "2026-09-04", 12)))
    assert lone.patients() == ("Patient/p-old",)


def test_choosing_the_only_patient_keeps_resources_that_name_none() -> None:
    anonymous = _score("s-none", "Patient/p-one", "2026-09-10", 9)
    del anonymous["subject"]
    rec = record.read(_bundle({"resourceType": "Patient", "id": "p-one"}, anonymous))
    chosen = record.facts(rec, month="2026-09", patient="p-one")
    assert chosen.facts == record.facts(rec, month="2026-09").facts
    assert chosen.facts["rating_scale"].source == "Observation/s-none"
    assert not chosen.notes


def test_for_patient_gives_a_record_of_one_patient() -> None:
    anonymous = _score("s-none", "Patient/p-one", "2026-09-10", 9)
    del anonymous["subject"]
    role = {"resourceType": "Practitioner", "id": "dr-1", "name": [{"text": "Lee Fenn"}]}
    rec = record.read(_bundle(*PEOPLE, anonymous, role))
    two = rec.for_patient("p-two")
    assert two.patients() == ("Patient/p-two",)
    assert {v.key for v in two} == {"Patient/p-two", "Observation/s-two", "Practitioner/dr-1"}
    assert two.notes[-1].message == "1 resources name no patient; left out of this one's"
    found = record.facts(two, month="2026-09")  # no choice needed any more
    assert found.facts == record.facts(rec, month="2026-09", patient="p-two").facts
    # references into the rest of the record still resolve to the resource's key
    assert "Observation/s-one" in two and two.get("Observation/s-one") is None
    one = record.read(_bundle(PEOPLE[0], PEOPLE[2]))
    assert one.for_patient("p-one") is one
    with pytest.raises(RecordError, match="no patient by the reference"):
        rec.for_patient("Patient/p-nine")
    with pytest.raises(TypeError):
        rec.for_patient(None)  # type: ignore[arg-type]
