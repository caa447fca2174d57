"""References resolve in every form real data uses; an unresolvable one is noted."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

from denialkit import record


def test_forms_in_our_records(data_dir: Path) -> None:
    cocm = record.read(data_dir / "cocm-bundle.json")
    forms = Counter((r.form, r.resolved) for r in cocm.references())
    # 11 of the 14 uuid references name the patient (subject, patient, beneficiary)
    assert forms[("uuid", True)] == 14 and forms[("relative", True)] == 1
    assert forms[("contained", True)] == 1
    assert not [r for r in cocm.references() if not r.resolved]
    export = record.read(data_dir / "bhi-export")
    forms = Counter((r.form, r.resolved) for r in export.references())
    assert forms == {("conditional", True): 2, ("identifier", True): 1, ("relative", True): 11}


def test_a_contained_member_resolves_inside_its_holder(data_dir: Path) -> None:
    rec = record.read(data_dir / "cocm-bundle.json")
    team = rec.get("CareTeam/cocm-team")
    assert isinstance(team, record.CareTeam)
    pcp = team.participants[1].member
    assert pcp is not None
    res = rec.resolve(pcp, team)
    assert res.form == "contained" and isinstance(res.target, record.Practitioner)
    assert res.target.name == "Dr. Ellen Park"


def _holder(rec: record.Record) -> record.Resource:
    return next(iter(rec))


def test_unresolvable_references_are_noted_not_raised() -> None:
    role = {
        "resourceType": "PractitionerRole",
        "id": "r1",
        "active": True,
        "practitioner": {"reference": "Practitioner/missing"},
        "code": [
            {"coding": [{"system": "http://nucc.org/provider-taxonomy", "code": "171M00000X"}]}
        ],
    }
    rec = record.read(json.dumps(role).encode())
    (res,) = rec.references()
    assert res.form == "relative" and not res.resolved
    assert (
        repr(res) == "<Resolution PractitionerRole/r1 PractitionerRole.practitioner "
        "relative unresolved>"
    )
    found = record.facts(rec, month="2026-09")
    assert "care_manager_name" in found.missing
    assert any("does not resolve" in n.message for n in found.notes)


def test_every_reference_form() -> None:
    def ref(text: str) -> record.Ref:
        return record.Ref("X.y", text)

    practitioner: dict[str, Any] = {
        "resourceType": "Practitioner",
        "id": "p1",
        "identifier": [{"system": "http://hl7.org/fhir/sid/us-npi", "value": "1000000004"}],
    }
    bundle = {
        "resourceType": "Bundle",
        "type": "collection",
        "entry": [
            {"fullUrl": "urn:uuid:aaaa", "resource": practitioner},
            {
                "fullUrl": "https://ehr.example/fhir/Organization/o1",
                "resource": {"resourceType": "Organization", "id": "o1"},
            },
        ],
    }
    rec = record.read(json.dumps(bundle).encode())
    holder = _holder(rec)
    cases = {
        "urn:uuid:aaaa": ("uuid", "Practitioner/p1"),
        "Practitioner/p1": ("relative", "Practitioner/p1"),
        "Practitioner/p1/_history/3": ("relative", "Practitioner/p1"),
        "https://elsewhere.example/fhir/Practitioner/p1": ("absolute", "Practitioner/p1"),
        "https://ehr.example/fhir/Organization/o1": ("absolute", "Organization/o1"),
        "Practitioner?identifier=http://hl7.org/fhir/sid/us-npi|1000000004": (
            "conditional",
            "Practitioner/p1",
        ),
        "Practitioner?identifier=http%3A%2F%2Fhl7.org%2Ffhir%2Fsid%2Fus-npi%7C1000000004": (
            "conditional",
            "Practitioner/p1",
        ),
        "Practitioner?identifier=1000000004": ("conditional", "Practitioner/p1"),
    }
    for text, (form, key) in cases.items():
        res = rec.resolve(ref(text), holder)
        assert (res.form, res.target.key if res.target else None) == (form, key), text
    for text in (
        "urn:uuid:zzzz",
        "Practitioner/p2",
        "Practitioner?name=Haddad",
        "Practitioner?identifier=x|y",
        "#nope",
        "nonsense",
    ):
        assert not rec.resolve(ref(text), holder).resolved, text
    logical = record.Ref(
        "X.y", None, None, "Practitioner", ("http://hl7.org/fhir/sid/us-npi", "1000000004")
    )
    assert rec.resolve(logical, holder).target == rec.get("Practitioner/p1")


def test_a_reference_cycle_does_not_loop() -> None:
    a = {
        "resourceType": "PractitionerRole",
        "id": "a",
        "practitioner": {"reference": "PractitionerRole/b"},
        "code": [
            {"coding": [{"system": "http://nucc.org/provider-taxonomy", "code": "171M00000X"}]}
        ],
    }
    b = dict(a, id="b", practitioner={"reference": "PractitionerRole/a"})
    bundle = {"resourceType": "Bundle", "entry": [{"resource": a}, {"resource": b}]}
    rec = record.read(json.dumps(bundle).encode())
    found = record.facts(rec, month="2026-09")
    assert "care_manager_name" in found.missing


def test_real_reference_forms_resolve(shared_fhir: Path) -> None:
    inferno = shared_fhir / "inferno-reference-server-data"
    rec = record.read(inferno / "uscore_bundle_patient_85.json")
    forms = Counter((r.form, r.resolved) for r in rec.references())
    assert forms[("uuid", True)] >= 20 and not [r for r in rec.references() if not r.resolved]
    carin = record.read(inferno / "carin_bundle_patient_888.json")
    assert {(r.form, r.resolved) for r in carin.references()} == {("relative", True)}
    # the bulk export: logical identifier references from PractitionerRole, and the
    # conditional references its DocumentReferences use
    bulk_dir = shared_fhir / "sample-bulk-fhir-10-patients"
    bulk = record.read(bulk_dir)
    assert {(r.form, r.resolved) for r in bulk.references()} == {("identifier", True)}
    line = (bulk_dir / "DocumentReference.ndjson").read_text("utf-8").splitlines()[0]
    doc = json.loads(line)
    author = doc["author"][0]["reference"]
    assert author.startswith("Practitioner?identifier=")
    res = bulk.resolve(record.Ref("DocumentReference.author[0]", author), _holder(bulk))
    assert res.form == "conditional" and isinstance(res.target, record.Practitioner)


def test_a_bare_identifier_resolves_only_when_one_resource_holds_it() -> None:
    def person(rid: str, value: str) -> dict[str, Any]:
        return {"resourceType": "Practitioner", "id": rid, "identifier": [{"value": value}]}

    lines = [person("pr-a", "ID-7"), person("pr-b", "ID-8"), person("pr-c", "ID-8")]
    rec = record.read(b"\n".join(json.dumps(x).encode() for x in lines))
    holder = _holder(rec)

    def bare(value: str, rtype: str | None = None) -> record.Resolution:
        return rec.resolve(record.Ref("X.y", None, None, rtype, (None, value)), holder)

    assert bare("ID-7").target == rec.get("Practitioner/pr-a")
    assert bare("ID-7", "Practitioner").target == rec.get("Practitioner/pr-a")
    assert not bare("ID-8").resolved and not bare("ID-8", "Practitioner").resolved
    # the same value in one system names one entity, told twice (an export's duplicate)
    npi = "http://hl7.org/fhir/sid/us-npi"
    twice = [
        {
            "resourceType": "Practitioner",
            "id": f"dup-{i}",
            "identifier": [{"system": npi, "value": "1000000004"}],
        }
        for i in (1, 2)
    ]
    dup = record.read(b"\n".join(json.dumps(x).encode() for x in twice))
    found = dup.resolve(record.Ref("X.y", "Practitioner?identifier=1000000004"), _holder(dup))
    assert found.target == dup.get("Practitioner/dup-1")


def test_a_contained_id_written_with_its_hash_resolves() -> None:
    role = {
        "resourceType": "PractitionerRole",
        "id": "role-h",
        "contained": [
            {"resourceType": "Practitioner", "id": "#inner", "name": [{"text": "Sam Ode"}]}
        ],
        "practitioner": {"reference": "#inner"},
        "code": [
            {"coding": [{"system": "http://nucc.org/provider-taxonomy", "code": "171M00000X"}]}
        ],
    }
    found = record.facts(record.read(json.dumps(role).encode()), month="2026-09")
    assert found.facts["care_manager_name"].value == "Sam Ode"


def test_an_id_alone_with_its_type_beside_it_resolves() -> None:
    """Some exports write {"type": "Practitioner", "reference": "p1"} (an id, not a URL)."""
    bundle = {
        "resourceType": "Bundle",
        "entry": [{"resource": {"resourceType": "Practitioner", "id": "p1"}}],
    }
    rec = record.read(json.dumps(bundle).encode())
    typed = record.Ref("X.y", "p1", None, "Practitioner")
    assert rec.resolve(typed, _holder(rec)).target == rec.get("Practitioner/p1")
    assert not rec.resolve(record.Ref("X.y", "p1"), _holder(rec)).resolved
    assert not rec.resolve(record.Ref("X.y", "p1", None, "Organization"), _holder(rec)).resolved
