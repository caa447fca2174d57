"""Shapes of real exports the reader met badly before: each test builds the shape from our own
fixtures and checks what a user sees (the fact, its absence with a note, or a RecordError)."""

from __future__ import annotations

import copy
import gzip
import io
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from denialkit import record
from denialkit.exceptions import RecordError

Bundle = dict[str, Any]
Find = Callable[[Bundle, str], dict[str, Any]]
FactsOf = Callable[..., record.RecordFacts]

DAR = "http://hl7.org/fhir/StructureDefinition/data-absent-reason"


def _messages(found: record.RecordFacts, fact: str) -> list[str]:
    return [n.message for n in found.notes if n.fact == fact]


# -- dates ---------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "written",
    [
        "2026-08-28T23:59:60Z",  # a leap second: FHIR's grammar allows :60
        "2026-08-28T10:00:00+0000",  # the zone without its colon, as Java formats write it
        "2026-08-28T10:00:00.1234567-0500",
    ],
)
def test_date_times_real_servers_write(
    bhi: Bundle, find: Find, facts_of: FactsOf, written: str
) -> None:
    find(bhi, "bhi-consent")["dateTime"] = written
    assert str(facts_of(bhi).facts["consent_date"].value) == "2026-08-28"


def test_durations_across_zones_written_without_colon(
    cocm: Bundle, find: Find, facts_of: FactsOf
) -> None:
    find(cocm, "cocm-time-1")["performedPeriod"] = {
        "start": "2026-09-03T15:00:00+0000",
        "end": "2026-09-03T10:30:00-0500",
    }
    assert facts_of(cocm).facts["care_manager_minutes"].value == 75


def test_a_minute_of_sixty_is_still_not_a_date(bhi: Bundle, find: Find, facts_of: FactsOf) -> None:
    find(bhi, "bhi-consent")["dateTime"] = "2026-08-28T10:60:00Z"
    assert "consent_date" in facts_of(bhi).missing


# -- names and birth date ------------------------------------------------------------------
def test_a_name_whose_period_ended_gives_way(bhi: Bundle, find: Find, facts_of: FactsOf) -> None:
    find(bhi, "bhi-patient")["name"] = [
        {"family": "Lindqvist", "given": ["Zoë"], "period": {"end": "2019-04-30"}},
        {"family": "Nguyễn", "given": ["Zoë"], "period": {"start": "2019-05-01"}},
    ]
    assert facts_of(bhi).facts["patient_name"].value == "Zoë Nguyễn"


def test_a_maiden_name_or_nickname_gives_way(bhi: Bundle, find: Find, facts_of: FactsOf) -> None:
    find(bhi, "bhi-patient")["name"] = [
        {"use": "maiden", "family": "Lindqvist", "given": ["Zoë"]},
        {"use": "nickname", "given": ["Zo"]},
        {"family": "Nguyễn", "given": ["Zoë"]},
    ]
    assert facts_of(bhi).facts["patient_name"].value == "Zoë Nguyễn"


def test_an_ended_name_is_used_when_it_is_the_only_one(
    bhi: Bundle, find: Find, facts_of: FactsOf
) -> None:
    find(bhi, "bhi-manager")["name"] = [
        {"family": "Bell", "given": ["Marcus"], "period": {"end": "2030-01-01"}}
    ]
    assert facts_of(bhi).facts["care_manager_name"].value == "Marcus Bell"


@pytest.mark.parametrize(("written", "precision"), [("1951", "year"), ("1951-06", "month")])
def test_a_birth_date_without_its_day_is_noted(
    bhi: Bundle, find: Find, facts_of: FactsOf, written: str, precision: str
) -> None:
    find(bhi, "bhi-patient")["birthDate"] = written
    found = facts_of(bhi)
    assert "patient_birth_date" in found.missing
    assert _messages(found, "patient_birth_date") == [f"birthDate gives only the {precision}"]
    assert written not in str(found.notes)


def test_a_birth_date_absent_with_a_reason_stays_missing_quietly(
    bhi: Bundle, find: Find, facts_of: FactsOf
) -> None:
    patient = find(bhi, "bhi-patient")
    del patient["birthDate"]
    patient["_birthDate"] = {"extension": [{"url": DAR, "valueCode": "masked"}]}
    found = facts_of(bhi)
    assert "patient_birth_date" in found.missing
    assert found.facts["patient_name"].value == "Zoë Nguyễn"


# -- files ---------------------------------------------------------------------------------
def _ndjson(bundle: Bundle) -> bytes:
    return "".join(json.dumps(e["resource"]) + "\n" for e in bundle["entry"]).encode()


def test_gzip_content_under_a_plain_name_is_read(tmp_path: Path, bhi: Bundle) -> None:
    # a compressed download saved as the server named it, without .gz
    (tmp_path / "Patient.ndjson").write_bytes(gzip.compress(_ndjson(bhi)))
    (tmp_path / "bundle.json").write_bytes(gzip.compress(json.dumps(bhi).encode()))
    for source in (
        tmp_path / "Patient.ndjson",
        tmp_path / "bundle.json",
        gzip.compress(json.dumps(bhi).encode()),
    ):
        found = record.facts(record.read(source), month="2026-09")
        assert found.facts["care_manager_minutes"].value == 37


def test_a_binary_file_object_holding_gzip_is_read(tmp_path: Path, bhi: Bundle) -> None:
    path = tmp_path / "export.ndjson.gz"
    path.write_bytes(gzip.compress(_ndjson(bhi)))
    with path.open("rb") as fh:
        rec = record.read(fh)
    assert record.facts(rec, month="2026-09").facts["consent_date"].source == "Consent/bhi-consent"


def test_damaged_gzip_under_a_plain_name_is_a_record_error(tmp_path: Path, bhi: Bundle) -> None:
    path = tmp_path / "Consent.ndjson"
    path.write_bytes(gzip.compress(_ndjson(bhi))[:-20])
    with pytest.raises(RecordError, match=r"Consent\.ndjson: not a whole gzip file"):
        record.read(path)
    with pytest.raises(RecordError, match=r"not a whole gzip file"):
        record.read(path.read_bytes())


def test_a_folder_of_bundles_one_a_patient(tmp_path: Path, bhi: Bundle, cocm: Bundle) -> None:
    # Synthea writes output/fhir/<name>.json, a Bundle for each patient
    (tmp_path / "Zoe_bhi.json").write_text(json.dumps(bhi), "utf-8")
    (tmp_path / "Zoe_cocm.json.gz").write_bytes(gzip.compress(json.dumps(cocm).encode()))
    (tmp_path / "notes.txt").write_text("not part of the record")
    rec = record.read(tmp_path)
    assert rec.files == ("Zoe_bhi.json", "Zoe_cocm.json.gz")
    assert rec.patients() == ("Patient/bhi-patient", "Patient/cocm-patient")
    found = record.facts(rec, month="2026-09", patient="cocm-patient")
    assert found.facts["care_manager_minutes"].value == 75


def test_a_bulk_folder_still_reads_only_its_ndjson(tmp_path: Path, bhi: Bundle) -> None:
    (tmp_path / "all.ndjson").write_bytes(_ndjson(bhi))
    (tmp_path / "manifest.json").write_text(json.dumps({"transactionTime": "x", "output": []}))
    assert record.read(tmp_path).files == ("all.ndjson",)


def test_a_bulk_export_manifest_is_named_as_such(tmp_path: Path) -> None:
    manifest = {
        "transactionTime": "2026-11-01T00:00:00Z",
        "request": "https://ehr.example/fhir/Patient/$export",
        "requiresAccessToken": True,
        "output": [{"type": "Patient", "url": "https://ehr.example/files/1.ndjson"}],
        "error": [],
    }
    path = tmp_path / "manifest.json"
    path.write_text(json.dumps(manifest))
    with pytest.raises(RecordError, match=r"manifest\.json: a bulk data export manifest"):
        record.read(path)


# -- versions of one resource --------------------------------------------------------------
def _two_versions(bhi: Bundle, find: Find, old_meta: object, new_meta: object) -> Bundle:
    consent = find(bhi, "bhi-consent")
    older = copy.deepcopy(consent)
    older["dateTime"] = "2026-08-03"
    older["meta"] = old_meta
    consent["meta"] = new_meta
    bhi["entry"].append({"resource": older})  # the older copy comes last
    return bhi


@pytest.mark.parametrize(
    ("old_meta", "new_meta"),
    [
        ({"versionId": "9"}, {"versionId": "10"}),
        (
            {"versionId": "a", "lastUpdated": "2026-09-01T08:00:00-04:00"},
            {"versionId": "b", "lastUpdated": "2026-09-01T12:30:00Z"},
        ),
        # the same instant: the version numbers decide
        (
            {"versionId": "1", "lastUpdated": "2026-09-01T12:00:00Z"},
            {"versionId": "2", "lastUpdated": "2026-09-01T08:00:00-04:00"},
        ),
    ],
)
def test_the_newest_version_is_read_whatever_the_order(
    bhi: Bundle, find: Find, facts_of: FactsOf, old_meta: object, new_meta: object
) -> None:
    found = facts_of(_two_versions(bhi, find, old_meta, new_meta))
    assert str(found.facts["consent_date"].value) == "2026-08-28"


@pytest.mark.parametrize(
    ("old_meta", "new_meta"),
    [
        ({}, {}),
        ({"versionId": "W/1"}, {"versionId": "W/2"}),  # not numbers: not ordered
        ({"lastUpdated": "2026-09-01"}, {"lastUpdated": "2026-09-02"}),  # no time and zone
    ],
)
def test_copies_that_do_not_say_which_is_newer_keep_the_later(
    bhi: Bundle, find: Find, facts_of: FactsOf, old_meta: object, new_meta: object
) -> None:
    found = facts_of(_two_versions(bhi, find, old_meta, new_meta))
    assert str(found.facts["consent_date"].value) == "2026-08-03"


def test_an_incremental_export_read_before_the_full_one(
    tmp_path: Path, bhi: Bundle, find: Find
) -> None:
    consent = find(bhi, "bhi-consent")
    consent["meta"] = {"lastUpdated": "2026-09-05T00:00:00Z"}
    newer = dict(consent, status="inactive", meta={"lastUpdated": "2026-10-02T00:00:00Z"})
    (tmp_path / "a-since.ndjson").write_text(json.dumps(newer) + "\n")
    (tmp_path / "b-full.ndjson").write_bytes(_ndjson(bhi))
    found = record.facts(record.read(tmp_path), month="2026-09")
    assert "consent_date" in found.missing  # withdrawn in the newer version


# -- explanation of benefit ----------------------------------------------------------------
@pytest.mark.parametrize(
    ("system", "code"),
    [
        ("https://x12.org/codes/claim-adjustment-reason-codes/", "16"),
        ("https://X12.org/codes/claim-adjustment-reason-codes", "16"),
        ("https://x12.org/codes/claim-adjustment-reason-codes", " 16 "),
        ("https://x12.org/codes/claim-adjustment-reason-codes", "CO-16"),
        ("http://x12.org/codes/claim-adjustment-reason-codes", "CO16"),
    ],
)
def test_adjustment_reasons_as_payers_write_them(
    bhi: Bundle, find: Find, facts_of: FactsOf, system: str, code: str
) -> None:
    reason = find(bhi, "bhi-eob")["item"][0]["adjudication"][0]["reason"]
    reason["coding"] = [{"system": system, "code": code}]
    assert facts_of(bhi).facts["denial_codes"].value == ("16", "N290")


def test_a_remark_code_keeps_its_letters(bhi: Bundle, find: Find, facts_of: FactsOf) -> None:
    reason = find(bhi, "bhi-eob")["item"][0]["adjudication"][1]["reason"]
    reason["coding"] = [
        {"system": "https://x12.org/codes/remittance-advice-remark-codes/", "code": "n290"}
    ]
    assert facts_of(bhi).facts["denial_codes"].value == ("16", "N290")


# -- conditions ----------------------------------------------------------------------------
@pytest.mark.parametrize(
    "system", ["http://hl7.org/fhir/sid/icd-10", "urn:oid:2.16.840.1.113883.6.3"]
)
def test_a_plan_for_a_condition_coded_in_who_icd10(
    bhi: Bundle, find: Find, facts_of: FactsOf, system: str
) -> None:
    find(bhi, "bhi-plan")["category"] = []
    find(bhi, "bhi-anxiety")["code"] = {"coding": [{"system": system, "code": "F41.1"}]}
    assert str(facts_of(bhi).facts["care_plan_date"].value) == "2026-09-01"


def test_a_plan_for_a_who_icd10_condition_outside_chapter_five(
    bhi: Bundle, find: Find, facts_of: FactsOf
) -> None:
    find(bhi, "bhi-plan")["category"] = []
    find(bhi, "bhi-anxiety")["code"] = {
        "coding": [{"system": "http://hl7.org/fhir/sid/icd-10", "code": "E11.9"}]
    }
    assert "care_plan_date" in facts_of(bhi).missing


# -- modifier extensions inside the elements read ------------------------------------------
MODIFIER = [{"url": "https://ehr.example/fhir/StructureDefinition/withdrawn", "valueBoolean": True}]


def _with_modifier(bundle: Bundle, find: Find, rid: str, *path: str | int) -> None:
    element: Any = find(bundle, rid)
    for step in path:
        element = element[step]
    element["modifierExtension"] = MODIFIER


@pytest.mark.parametrize(
    ("fixture", "rid", "path", "fact"),
    [
        ("bhi", "bhi-consent", ("provision",), "consent_date"),
        ("cocm", "cocm-team", ("participant", 0), "care_manager_name"),
        ("bhi", "bhi-eob", ("item", 0, "adjudication", 0), "denial_codes"),
        ("bhi", "bhi-eob", ("item", 0), "claim_number"),
        ("bhi", "gad7-2026-09-24", ("item", 1, "answer", 0), "rating_scale_scores"),
    ],
)
def test_a_modifier_on_an_element_read_sets_the_resource_aside(
    request: pytest.FixtureRequest,
    find: Find,
    facts_of: FactsOf,
    fixture: str,
    rid: str,
    path: tuple[str | int, ...],
    fact: str,
) -> None:
    bundle: Bundle = request.getfixturevalue(fixture)
    if rid == "bhi-consent":
        find(bundle, rid)["provision"] = {"type": "permit"}
    before = facts_of(bundle)
    _with_modifier(bundle, find, rid, *path)
    after = facts_of(bundle)
    key = next(e["resource"]["resourceType"] for e in bundle["entry"] if e["resource"]["id"] == rid)
    assert all(s.resource != f"{key}/{rid}" for f in after.facts.values() for s in f.sources)
    assert after.facts.get(fact) != before.facts.get(fact)
    assert "has a modifierExtension, which may change its meaning; not used" in [
        n.message for n in after.notes if n.resource == f"{key}/{rid}"
    ]


def test_a_modifier_on_an_element_not_read_changes_nothing(
    bhi: Bundle, find: Find, facts_of: FactsOf
) -> None:
    before = facts_of(bhi)
    find(bhi, "bhi-patient")["contact"] = [{"modifierExtension": MODIFIER}]
    _with_modifier(bhi, find, "gad7-2026-09-24", "item", 0)  # an item answer, not the total
    assert facts_of(bhi).facts == before.facts


# -- contained resources -------------------------------------------------------------------
def _report_holding(bhi: Bundle, find: Find, *, subject: bool) -> Bundle:
    """The GAD-7 Observation moved inside a DiagnosticReport, as some exports send results."""
    score = find(bhi, "gad7-2026-09-02")
    bhi["entry"] = [e for e in bhi["entry"] if e["resource"] is not score]
    inner = dict(score, id="gad7")
    if not subject:
        del inner["subject"]  # a contained resource is about its holder's patient
    report = {
        "resourceType": "DiagnosticReport",
        "id": "screening",
        "status": "final",
        "code": {"text": "Anxiety screening"},
        "subject": {"reference": "Patient/bhi-patient"},
        "contained": [inner],
        "result": [{"reference": "#gad7"}],
    }
    bhi["entry"].append(
        {"fullUrl": "https://ehr.example/fhir/DiagnosticReport/screening", "resource": report}
    )
    return bhi


@pytest.mark.parametrize("subject", [True, False])
def test_a_score_contained_in_a_report_counts(
    bhi: Bundle, find: Find, facts_of: FactsOf, subject: bool
) -> None:
    found = facts_of(_report_holding(bhi, find, subject=subject))
    scores = found.facts["rating_scale_scores"]
    assert scores.value == "14 on September 2, 2026 and 9 on September 24, 2026"
    assert scores.sources[0].resource == "DiagnosticReport/screening#gad7"
    assert scores.sources[0].path == "Observation.valueInteger"


def test_a_contained_score_is_the_holders_patients(bhi: Bundle, cocm: Bundle, find: Find) -> None:
    both = {
        "resourceType": "Bundle",
        "type": "collection",
        "entry": _report_holding(bhi, find, subject=False)["entry"] + cocm["entry"],
    }
    rec = record.read(json.dumps(both).encode())
    assert rec.patients() == ("Patient/bhi-patient", "Patient/cocm-patient")
    mine = record.facts(rec, month="2026-09", patient="bhi-patient")
    assert mine.facts["rating_scale"].sources[0].resource == "DiagnosticReport/screening#gad7"
    theirs = record.facts(rec, month="2026-09", patient="cocm-patient")
    assert all("#" not in s.resource for f in theirs.facts.values() for s in f.sources)
    assert rec.for_patient("cocm-patient").get("DiagnosticReport/screening#gad7") is None


def test_a_contained_score_in_a_modified_holder_is_not_used(
    bhi: Bundle, find: Find, facts_of: FactsOf
) -> None:
    bundle = _report_holding(bhi, find, subject=True)
    find(bundle, "screening")["modifierExtension"] = MODIFIER
    found = facts_of(bundle)
    assert found.facts["rating_scale_scores"].value == "9 on September 24, 2026"
    assert ("DiagnosticReport/screening#gad7", "has a modifierExtension") in [
        (n.resource, n.message.split(",")[0]) for n in found.notes
    ]


def test_a_contained_practitioner_is_named_under_its_holder(
    cocm: Bundle, facts_of: FactsOf
) -> None:
    # the care team's second participant is a contained Practitioner (#pcp); its id means
    # nothing outside the CareTeam, so the record keys it there
    rec = record.read(json.dumps(cocm).encode())
    team = rec.get("CareTeam/cocm-team")
    assert team is not None
    assert [c.key for c in team.contained] == ["CareTeam/cocm-team#pcp"]
    assert rec.get("Practitioner/pcp") is None


# -- nulls as some serialisers write absent elements ---------------------------------------
def test_null_entries_and_resources_are_absent(bhi: Bundle, facts_of: FactsOf) -> None:
    bhi["entry"] += [None, {"resource": None, "response": {"status": "204 No Content"}}]
    assert str(facts_of(bhi).facts["consent_date"].value) == "2026-08-28"
    rec = record.read(b'{"resourceType": "Bundle", "type": "searchset", "entry": null}')
    assert len(rec) == 0 and rec.patients() == ()


def test_a_null_resource_of_a_failed_request_is_still_noted() -> None:
    rec = record.read(
        json.dumps(
            {
                "resourceType": "Bundle",
                "type": "batch-response",
                "entry": [
                    {"resource": {"resourceType": "Patient", "id": "p"}},
                    {"resource": None, "response": {"status": "404 Not Found"}},
                ],
            }
        ).encode()
    )
    assert [n.message for n in rec.notes] == [
        "entry 1: a request failed (HTTP 404); the resource it asked for is not in the record"
    ]


def test_an_entry_of_the_wrong_type_is_skipped_and_noted(bhi: Bundle) -> None:
    bhi["entry"].append("Patient/bhi-patient")
    rec = record.read(json.dumps(bhi).encode())
    assert [n.message for n in rec.notes] == ["entry 16: a Bundle entry is not an object; skipped"]
    assert "Patient/bhi-patient" in rec


# -- coverage and time ---------------------------------------------------------------------
def test_a_member_number_that_ended_gives_way(bhi: Bundle, find: Find, facts_of: FactsOf) -> None:
    coverage = find(bhi, "bhi-coverage")
    replaced = dict(coverage["identifier"][0], value="1EG4TE5MK72", period={"end": "2025-03-31"})
    coverage["identifier"].insert(0, replaced)
    member = facts_of(bhi).facts["member_id"]
    assert member.value == "7KQ2XF3RW45"
    assert member.sources[0].path == "Coverage.identifier[1].value"


def test_an_ended_member_number_is_used_when_it_is_the_only_one(
    bhi: Bundle, find: Find, facts_of: FactsOf
) -> None:
    find(bhi, "bhi-coverage")["identifier"][0]["period"] = {"end": "2027-12-31"}
    assert facts_of(bhi).facts["member_id"].value == "7KQ2XF3RW45"


@pytest.mark.parametrize(
    ("length", "minutes"),
    [
        ({"value": 15, "unit": "minute(s)"}, 37),
        ({"value": 900, "unit": "second(s)"}, 37),
        ({"value": 0.25, "unit": "hour(s)"}, 37),
    ],
)
def test_encounter_lengths_written_with_a_plural_in_brackets(
    bhi: Bundle, find: Find, facts_of: FactsOf, length: dict[str, object], minutes: int
) -> None:
    find(bhi, "bhi-time-1")["length"] = length
    assert facts_of(bhi).facts["care_manager_minutes"].value == minutes


def test_an_encounter_length_with_a_comparator_is_a_bound(
    bhi: Bundle, find: Find, facts_of: FactsOf
) -> None:
    find(bhi, "bhi-time-1")["length"] = {"value": 15, "comparator": ">=", "code": "min"}
    found = facts_of(bhi)
    assert found.facts["care_manager_minutes"].value == 22
    assert "Encounter.length is a bound (it has a comparator)" in _messages(
        found, "care_manager_minutes"
    )
    # with both ends of its period, the encounter's own time still counts
    find(bhi, "bhi-time-1")["period"]["end"] = "2026-09-02T09:20:00-04:00"
    assert facts_of(bhi).facts["care_manager_minutes"].value == 42


# -- urn:uuid references without fullUrls --------------------------------------------------
def test_uuid_references_in_an_export_without_full_urls(cocm: Bundle) -> None:
    # NDJSON as older Synthea wrote it: no fullUrls, each id the uuid the references name
    ids = {e["fullUrl"]: e["fullUrl"].removeprefix("urn:uuid:") for e in cocm["entry"]}
    visit = {
        "resourceType": "Encounter",
        "id": "00000000-0000-4000-8000-0000000000e1",
        "status": "finished",
        "type": [{"coding": [{"system": "http://www.ama-assn.org/go/cpt", "code": "99492"}]}],
        "subject": {"reference": "urn:uuid:00000000-0000-4000-8000-000000000001"},
        "period": {"start": "2026-09-03T10:00:00-05:00", "end": "2026-09-03T10:30:00-05:00"},
    }
    lines = [json.dumps(visit)]
    for e in cocm["entry"]:
        res = dict(e["resource"], id=ids[e["fullUrl"]])
        if res["id"].endswith("0007"):  # cocm-time-1, logged against that visit
            res["encounter"] = {"reference": f"urn:uuid:{visit['id']}"}
        lines.append(json.dumps(res))
    found = record.facts(record.read("\n".join(lines).encode()), month="2026-09")
    # the visit's half hour is the procedure's, counted once
    assert found.facts["care_manager_minutes"].value == 75
    assert found.facts["care_manager_name"].value == "Dana Whitfield, LCSW"
    assert found.facts["payer_name"].value == "Medicare Part B"


def test_a_uuid_two_types_share_resolves_to_neither() -> None:
    shared = "00000000-0000-4000-8000-0000000000aa"
    lines = [
        {"resourceType": "Practitioner", "id": shared, "name": [{"text": "A"}]},
        {"resourceType": "Organization", "id": shared, "name": "B"},
        {
            "resourceType": "PractitionerRole",
            "id": "r",
            "practitioner": {"reference": f"urn:uuid:{shared}"},
            "code": [{"coding": [{"system": "http://snomed.info/sct", "code": "768820003"}]}],
        },
    ]
    rec = record.read("\n".join(json.dumps(r) for r in lines).encode())
    assert [r.resolved for r in rec.references()] == [False]


# -- text a UTF-16 system cut in the middle of a character ---------------------------------
def test_a_lone_surrogate_is_read_as_the_replacement_character(
    tmp_path: Path, bhi: Bundle, find: Find
) -> None:
    from denialkit.cli import main

    find(bhi, "bhi-patient")["name"] = [{"family": "Nguyen", "given": ["LONE"]}]
    find(bhi, "bhi-manager")["name"] = [{"text": "Marcus Bell LONE"}]
    path = tmp_path / "cut.json"
    # json.dumps would escape a str holding a surrogate the same way: "\ud83d"
    path.write_text(json.dumps(bhi).replace("LONE", "\\ud83d"), "utf-8")
    found = record.facts(record.read(path), month="2026-09")
    assert found.facts["patient_name"].value == "\ufffd Nguyen"
    assert found.facts["care_manager_name"].value == "Marcus Bell \ufffd"
    for fmt in ("text", "json"):
        raw = io.BytesIO()
        out = io.TextIOWrapper(raw, encoding="utf-8", errors="strict")
        err = io.StringIO()
        code = main(
            ["record", "facts", str(path), "--month", "2026-09", "--format", fmt],
            stdout=out,
            stderr=err,
        )
        out.flush()
        assert code == 0, err.getvalue()
        assert "\ufffd" in raw.getvalue().decode("utf-8") or "\\ufffd" in raw.getvalue().decode()


# -- codes with the spaces of a fixed-width field ------------------------------------------
def test_codes_with_spaces_around_them(cocm: Bundle, find: Find, facts_of: FactsOf) -> None:
    find(cocm, "cocm-time-1")["code"]["coding"][0]["code"] = "99492 "
    find(cocm, "phq9-2026-09-03")["code"]["coding"][0]["code"] = " 44261-6"
    find(cocm, "cocm-depression")["code"]["coding"][0]["code"] = " F32.1 "
    find(cocm, "cocm-plan")["category"] = []
    found = facts_of(cocm)
    assert found.facts["care_manager_minutes"].value == 75
    assert found.facts["rating_scale_scores"].value == (
        "18 on September 3, 2026 and 12 on September 28, 2026"
    )
    assert str(found.facts["care_plan_date"].value) == "2026-09-05"


# -- questionnaire responses whose form codes the items ------------------------------------
LOINC = "http://loinc.org"
GAD7_FORM = {
    "resourceType": "Questionnaire",
    "id": "gad7-form",
    "url": "https://ehr.example/Questionnaire/gad7",
    "version": "3",
    "status": "active",
    "item": [
        {
            "linkId": "g",
            "type": "group",
            "item": [
                {"linkId": "q1", "type": "choice"},
                {"linkId": "t", "type": "integer", "code": [{"system": LOINC, "code": "70274-6"}]},
            ],
        }
    ],
}
BOTH_GAD7 = "14 on September 2, 2026 and 9 on September 24, 2026"


def _answered(bhi: Bundle, find: Find, form_ref: str, *, form: bool = True) -> Bundle:
    """The GAD-7 response with linkIds that say nothing (as many EHRs' forms have)."""
    response = find(bhi, "gad7-2026-09-24")
    response["questionnaire"] = form_ref
    response["item"] = [
        {
            "linkId": "g",
            "item": [
                {"linkId": "q1", "answer": [{"valueInteger": 3}]},
                {"linkId": "t", "answer": [{"valueInteger": 9}]},
            ],
        }
    ]
    if form:
        bhi["entry"].append({"resource": copy.deepcopy(GAD7_FORM)})
    return bhi


@pytest.mark.parametrize(
    "form_ref",
    [
        "https://ehr.example/Questionnaire/gad7",
        "https://ehr.example/Questionnaire/gad7|3",
        "Questionnaire/gad7-form",
        "https://ehr.example/fhir/Questionnaire/gad7-form",
    ],
)
def test_a_total_the_questionnaire_codes_is_a_score(
    bhi: Bundle, find: Find, facts_of: FactsOf, form_ref: str
) -> None:
    scores = facts_of(_answered(bhi, find, form_ref)).facts["rating_scale_scores"]
    assert scores.value == BOTH_GAD7
    assert scores.sources[1].resource == "QuestionnaireResponse/gad7-2026-09-24"
    assert scores.sources[1].path == "QuestionnaireResponse.item[0].item[1].answer[0].valueInteger"


@pytest.mark.parametrize(
    ("form_ref", "form"),
    [
        ("https://ehr.example/Questionnaire/gad7", False),  # the form is not in the record
        ("https://ehr.example/Questionnaire/gad7|2", True),  # another version of it
        ("https://ehr.example/Questionnaire/phq9", True),  # another form
    ],
)
def test_without_its_form_an_answer_is_not_a_score(
    bhi: Bundle, find: Find, facts_of: FactsOf, form_ref: str, form: bool
) -> None:
    found = facts_of(_answered(bhi, find, form_ref, form=form))
    assert found.facts["rating_scale_scores"].value == "14 on September 2, 2026"


def test_a_modifier_on_the_coded_answer_sets_the_response_aside(
    bhi: Bundle, find: Find, facts_of: FactsOf
) -> None:
    bundle = _answered(bhi, find, "https://ehr.example/Questionnaire/gad7")
    find(bundle, "gad7-2026-09-24")["item"][0]["item"][1]["modifierExtension"] = MODIFIER
    found = facts_of(bundle)
    assert found.facts["rating_scale_scores"].value == "14 on September 2, 2026"
    assert "has a modifierExtension, which may change its meaning; not used" in _messages(
        found, "rating_scale_scores"
    )


def test_a_response_item_coded_with_plain_codings(
    bhi: Bundle, find: Find, facts_of: FactsOf
) -> None:
    item = find(bhi, "gad7-2026-09-24")["item"][1]
    item["linkId"] = "total"
    item["code"] = [{"system": LOINC, "code": "70274-6"}]  # Codings, as Questionnaire.item has
    assert facts_of(bhi).facts["rating_scale_scores"].value == BOTH_GAD7


# -- resource types in another case -------------------------------------------------------
@pytest.mark.parametrize("written", ["consent", "CONSENT", " Consent"])
def test_a_type_written_in_another_case_is_read_with_a_note(
    bhi: Bundle, find: Find, facts_of: FactsOf, written: str
) -> None:
    find(bhi, "bhi-consent")["resourceType"] = written
    rec = record.read(json.dumps(bhi).encode())
    assert rec.get("Consent/bhi-consent") is not None
    assert [n.message for n in rec.notes] == [
        "entry 1: resourceType Consent is written in another case; read as Consent"
    ]
    found = record.facts(rec, month="2026-09")
    assert str(found.facts["consent_date"].value) == "2026-08-28"
    assert found.notes[0].message == rec.notes[0].message


def test_a_bundle_type_in_lower_case_and_types_not_read_still_checked() -> None:
    rec = record.read(
        b'{"resourceType": "bundle", "entry": [{"resource": '
        b'{"resourceType": "patient", "id": "p"}}]}'
    )
    assert rec.patients() == ("Patient/p",)
    assert len(rec.notes) == 2
    with pytest.raises(RecordError, match="entry 0: not a FHIR resource type"):
        record.read(
            b'{"resourceType": "Bundle", "entry": [{"resource": '
            b'{"resourceType": "diagnosticReport"}}]}'
        )


def test_an_indented_bundle_saved_as_ndjson_is_read(tmp_path: Path, bhi: Bundle) -> None:
    path = tmp_path / "everything.ndjson"
    path.write_text(json.dumps(bhi, indent=2), "utf-8")
    assert (
        record.facts(record.read(path), month="2026-09").facts["care_manager_minutes"].value == 37
    )
    broken = tmp_path / "broken.ndjson"
    broken.write_text('{"resourceType": "Patient", "id":\n"p"}\n', "utf-8")
    with pytest.raises(RecordError, match=r"broken\.ndjson, line 1: not valid JSON"):
        record.read(broken)
