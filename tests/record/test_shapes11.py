"""Shapes of real exports, round 11: consents not in force on the date of service, FHIR R5
consents, references by absolute URL and against a Bundle's base, one bad entry in a large
export, and other shapes EHR exports we do not have would take. Each test writes the FHIR
JSON it reads and checks what a user sees: the facts, the notes, the evidence."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import attrs
import pytest

import denialkit
from denialkit import record
from denialkit.claim import EvidenceKind
from denialkit.exceptions import RecordError
from denialkit.letters import example_claim

Res = dict[str, Any]

SCOPE = "http://terminology.hl7.org/CodeSystem/consentscope"
LOINC = "http://loinc.org"
#: values that must never show in a note, an error or a repr
SECRET = "Zebulon Quartermaine 1961-07-04"


def _coded(system: str, code: str) -> Res:
    return {"coding": [{"system": system, "code": code}]}


def _consent(**changes: Any) -> Res:
    res: Res = {
        "resourceType": "Consent",
        "id": "consent-1",
        "status": "active",
        "scope": _coded(SCOPE, "treatment"),
        "dateTime": "2026-09-02",
    }
    res.update(changes)
    return {k: v for k, v in res.items() if v is not None}


def _phq9(rid: str = "phq9-1", day: str = "2026-09-03", **changes: Any) -> Res:
    res: Res = {
        "resourceType": "Observation",
        "id": rid,
        "status": "final",
        "code": _coded(LOINC, "44261-6"),
        "effectiveDateTime": day,
        "valueInteger": 12,
    }
    res.update(changes)
    return {k: v for k, v in res.items() if v is not None}


def _bundle(*resources: Res, urls: tuple[str | None, ...] = (), **extra: Any) -> bytes:
    entries: list[Res] = []
    for i, r in enumerate(resources):
        entry: Res = {"resource": r}
        if i < len(urls) and urls[i] is not None:
            entry["fullUrl"] = urls[i]
        entries.append(entry)
    return json.dumps(
        {"resourceType": "Bundle", "type": "collection", "entry": entries, **extra}
    ).encode()


def _facts(data: bytes, month: str = "2026-09") -> record.RecordFacts:
    return record.facts(record.read(data), code="CCM21", month=month)


def _notes(found: record.RecordFacts, fact: str | None) -> list[tuple[str | None, str]]:
    return [(n.resource, n.message) for n in found.notes if n.fact == fact]


def _fill(*resources: Res, service: date = date(2026, 9, 30)) -> record.Filled:
    claim = example_claim("CCM21").evolve(facts={}, evidence=())
    line = claim.services[0]
    claim = claim.evolve(services=(attrs.evolve(line, date=service),))
    return record.fill(claim, record.read(_bundle(*resources)))


# -- 1. consents not in force ------------------------------------------------------------------
@pytest.mark.parametrize(
    ("status", "message"),
    [
        ("inactive", "status is inactive; only active counts"),
        ("rejected", "status is rejected; only active counts"),
        ("not-done", "status is not-done; only active counts"),
        ("draft", "status is draft; only active counts"),
        ("entered-in-error", "marked entered-in-error; ignored"),
    ],
)
def test_a_consent_not_in_force_is_no_consent(status: str, message: str) -> None:
    found = _facts(_bundle(_consent(status=status)))
    assert "consent_date" in found.missing
    assert _notes(found, "consent_date") == [("Consent/consent-1", message)]


def test_a_consent_whose_provision_ends_inside_the_month_is_not_taken_without_a_claim() -> None:
    consent = _consent(provision={"type": "permit", "period": {"end": "2026-09-10"}})
    found = _facts(_bundle(consent))
    assert "consent_date" in found.missing
    assert _notes(found, "consent_date") == [
        (
            "Consent/consent-1",
            "its provision ends inside the billed month, so it may not cover the date of "
            "service (fill() with the claim checks it against that date); not used",
        )
    ]
    # one that runs to the month's last day (or past it) covers every day of the month
    consent["provision"]["period"]["end"] = "2026-09-30T23:59:00-05:00"
    assert str(_facts(_bundle(consent)).facts["consent_date"].value) == "2026-09-02"


def test_a_consent_that_ended_before_the_date_of_service_is_not_enclosed() -> None:
    consent = _consent(provision={"type": "permit", "period": {"end": "2026-09-10"}})
    filled = _fill(consent, service=date(2026, 9, 30))
    assert "consent_date" not in filled.claim.facts
    assert "consent_date" in filled.missing
    assert not [e for e in filled.claim.evidence if e.kind is EvidenceKind.CONSENT]
    assert _notes(filled.record_facts, "consent_date") == [
        (
            "Consent/consent-1",
            "its provision ended before the date of service; not in force for it",
        )
    ]
    letter = denialkit.appeal("CCM21", filled.claim, letter_date=date(2026, 11, 2))
    assert "consent date" in letter.missing
    assert "Consent/consent-1" not in letter.text


def test_a_consent_in_force_on_the_date_of_service_is_read_though_it_ends_that_month() -> None:
    consent = _consent(provision={"type": "permit", "period": {"end": "2026-09-10"}})
    filled = _fill(consent, service=date(2026, 9, 8))
    assert filled.claim.facts["consent_date"] == date(2026, 9, 2)
    assert [e.source for e in filled.claim.evidence if e.kind is EvidenceKind.CONSENT] == [
        "Consent/consent-1"
    ]


def test_a_consent_given_after_the_date_of_service_does_not_cover_it() -> None:
    filled = _fill(_consent(dateTime="2026-09-20"), service=date(2026, 9, 5))
    assert "consent_date" not in filled.claim.facts
    assert _notes(filled.record_facts, "consent_date") == [
        ("Consent/consent-1", "given after the date of service; not in force for it")
    ]


def test_a_later_refusal_withdraws_a_consent_before_the_care() -> None:
    refusal = _consent(id="refusal", dateTime="2026-09-15", provision={"type": "deny"})
    found = _facts(_bundle(_consent(), refusal))
    assert "consent_date" in found.missing
    assert _notes(found, "consent_date") == [
        ("Consent/refusal", "its provision denies (type deny): a refusal, not a consent"),
        ("Consent/consent-1", "a later refusal (Consent/refusal) withdraws it; not used"),
    ]
    # a refusal after the date of service, or after the month, leaves the consent standing
    assert _fill(_consent(), refusal, service=date(2026, 9, 10)).claim.facts[
        "consent_date"
    ] == date(2026, 9, 2)
    refusal["dateTime"] = "2026-10-05"
    assert "consent_date" in _facts(_bundle(_consent(), refusal)).facts
    # an earlier refusal, then a consent, is a change of mind the other way
    refusal["dateTime"] = "2026-08-20"
    assert "consent_date" in _facts(_bundle(_consent(), refusal)).facts


# -- 2. FHIR R5 consents -------------------------------------------------------------------------
def _r5_consent(**changes: Any) -> Res:
    res: Res = {
        "resourceType": "Consent",
        "id": "consent-r5",
        "status": "active",
        "category": [_coded(SCOPE, "treatment"), _coded(LOINC, "59284-0")],
        "subject": {"reference": "Patient/pt-1"},
        "date": "2026-09-02",
        "decision": "permit",
    }
    res.update(changes)
    return {k: v for k, v in res.items() if v is not None}


def test_an_r5_consent_is_read_through_its_category_date_and_subject() -> None:
    rec = record.read(_bundle(_r5_consent(), {"resourceType": "Patient", "id": "pt-1"}))
    fact = record.facts(rec, month="2026-09").facts["consent_date"]
    assert fact.value == date(2026, 9, 2)
    assert (fact.source, fact.sources[0].path) == ("Consent/consent-r5", "Consent.date")
    assert rec.subject_of(rec.get("Consent/consent-r5")) == "Patient/pt-1"  # type: ignore[arg-type]


def test_an_r5_consent_of_another_patient_is_not_this_ones() -> None:
    other = _r5_consent(subject={"reference": "Patient/pt-2"})
    rec = record.read(_bundle(other, _phq9(subject={"reference": "Patient/pt-1"})))
    assert sorted(rec.patients()) == ["Patient/pt-1", "Patient/pt-2"]
    assert "consent_date" in record.facts(rec, month="2026-09", patient="pt-1").missing


def test_an_r5_consent_that_denies_is_a_refusal() -> None:
    found = _facts(_bundle(_r5_consent(decision="deny")))
    assert "consent_date" in found.missing
    assert _notes(found, "consent_date") == [
        ("Consent/consent-r5", "its decision is deny: a refusal, not a consent")
    ]


def test_an_r5_consent_period_that_ended_is_not_in_force() -> None:
    found = _facts(_bundle(_r5_consent(period={"start": "2026-01-01", "end": "2026-06-30"})))
    assert _notes(found, "consent_date") == [
        ("Consent/consent-r5", "ended before the billed month")
    ]
    dated = _r5_consent(date=None, period={"start": "2026-09-04"})
    fact = _facts(_bundle(dated)).facts["consent_date"]
    assert (fact.value, fact.sources[0].path) == (date(2026, 9, 4), "Consent.period.start")


def test_a_consent_without_scope_whose_category_is_not_treatment_is_noted() -> None:
    found = _facts(_bundle(_r5_consent(category=[_coded(LOINC, "59284-0")])))
    assert "consent_date" in found.missing
    assert _notes(found, "consent_date") == [
        (
            "Consent/consent-r5",
            "has no scope (as in FHIR R5) and no category that says treatment (consentscope); "
            "not read as a consent to treatment",
        )
    ]


def test_an_r5_consent_with_a_modifier_on_a_provision_is_not_used() -> None:
    provision = [{"modifierExtension": [{"url": "https://ehr.example/x", "valueBoolean": True}]}]
    found = _facts(_bundle(_r5_consent(provision=provision)))
    assert "consent_date" in found.missing


# -- 4. one bad entry in a large export -------------------------------------------------------
def test_an_entry_with_an_invalid_resource_type_is_skipped_by_its_place() -> None:
    bad = {"resourceType": SECRET, "id": "x", "name": [{"text": SECRET}]}
    found = _facts(_bundle(_phq9(), bad, {"id": SECRET}))
    assert found.facts["rating_scale_scores"].value == "12 on September 3, 2026"
    assert _notes(found, None) == [
        (None, "entry 1: not a FHIR resource type; skipped"),
        (None, "entry 2: not a FHIR resource (no resourceType); skipped"),
    ]
    assert SECRET not in repr(found) + repr(found.notes) + json.dumps(found.to_dict())


def test_a_bad_ndjson_line_is_skipped_by_its_line(tmp_path: Path) -> None:
    path = tmp_path / "Observation.ndjson"
    lines = [_phq9(), {"resourceType": "", "note": SECRET}, [SECRET], _phq9("phq9-2", "2026-09-20")]
    path.write_text("".join(json.dumps(x) + "\n" for x in lines), "utf-8")
    rec = record.read(path)
    assert [n.message for n in rec.notes] == [
        "Observation.ndjson, line 2: not a FHIR resource type; skipped",
        "Observation.ndjson, line 3: not a FHIR resource (a JSON object is expected); skipped",
    ]
    assert [v.key for v in rec] == ["Observation/phq9-1", "Observation/phq9-2"]


def test_a_bad_entry_of_a_parameters_is_skipped() -> None:
    params = {
        "resourceType": "Parameters",
        "parameter": [{"name": "return", "resource": {"id": "x"}}, {"resource": _phq9()}],
    }
    rec = record.read(json.dumps(params).encode())
    assert [v.key for v in rec] == ["Observation/phq9-1"]
    assert [n.message for n in rec.notes] == ["not a FHIR resource (no resourceType); skipped"]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b'{"name": "' + SECRET.encode() + b'"}', "not a FHIR resource (no resourceType)"),
        (b'{"resourceType": "x y"}', "not a FHIR resource type"),
        (b'{"a": 1}\n{"b": 2}\n', "line 1: not a FHIR resource (no resourceType)"),
        (
            b'{"resourceType": "Bundle", "entry": [{"resource": {"id": "x"}}, {"resource": 3}]}',
            "entry 0: not a FHIR resource (no resourceType)",
        ),
    ],
)
def test_a_source_that_is_not_fhir_at_all_is_still_an_error(data: bytes, message: str) -> None:
    with pytest.raises(RecordError) as info:
        record.read(data)
    assert str(info.value) == message
    assert SECRET not in str(info.value)


def test_an_old_resource_type_in_a_large_export_still_refuses_it() -> None:
    with pytest.raises(RecordError, match="entry 1: ProcedureRequest is a FHIR DSTU2 or STU3"):
        record.read(_bundle(_phq9(), {"resourceType": "ProcedureRequest", "id": "x"}))


def test_a_skipped_entry_shows_on_the_command_line(tmp_path: Path, capsys: Any) -> None:
    from denialkit.cli import main

    path = tmp_path / "b.json"
    path.write_bytes(_bundle(_phq9(), {"resourceType": 7}))
    assert main(["record", "facts", str(path), "--month", "2026-09"]) == 0
    err = capsys.readouterr().err
    assert "b.json, entry 1: not a FHIR resource (no resourceType); skipped" in err


# -- 3. references as FHIR resolves them in a Bundle -----------------------------------------
EHR = "https://ehr.example/fhir"
OTHER = "https://other.example/fhir"


def _patient(rid: str = "123") -> Res:
    return {"resourceType": "Patient", "id": rid, "birthDate": "1961-07-04"}


def _resolved(data: bytes) -> dict[str, str | None]:
    rec = record.read(data)
    return {
        f"{r.holder} {r.ref.path}": (r.target.key if r.target is not None else None)
        for r in rec.references()
    }


def test_an_absolute_reference_reaches_the_resource_of_its_server() -> None:
    obs = _phq9(subject={"reference": f"{EHR}/Patient/123"})
    data = _bundle(obs, _patient(), urls=(f"{EHR}/Observation/phq9-1", f"{EHR}/Patient/123"))
    assert _resolved(data) == {"Observation/phq9-1 Observation.subject": "Patient/123"}
    # the same server on http, and a version of the resource, are still that resource
    for ref in ("http://EHR.example/FHIR/Patient/123", f"{EHR}/Patient/123/_history/4"):
        obs["subject"] = {"reference": ref}
        data = _bundle(obs, _patient(), urls=(None, f"{EHR}/Patient/123"))
        assert _resolved(data) == {"Observation/phq9-1 Observation.subject": "Patient/123"}


def test_an_absolute_reference_to_an_export_that_names_no_server_reaches_its_type_and_id() -> None:
    obs = _phq9(subject={"reference": f"{EHR}/Patient/123"})
    data = _bundle(obs, _patient(), urls=(None, "urn:uuid:7f3e1c52-2b7a-4f0e-9a53-0d1d3c9b6a11"))
    assert _resolved(data) == {"Observation/phq9-1 Observation.subject": "Patient/123"}


def test_an_absolute_reference_to_another_server_is_not_this_records_resource() -> None:
    theirs = _phq9("phq9-theirs", subject={"reference": f"{OTHER}/Patient/123"}, valueInteger=27)
    mine = _phq9(subject={"reference": "Patient/123"})
    data = _bundle(
        mine,
        theirs,
        _patient(),
        urls=(
            f"{EHR}/Observation/phq9-1",
            f"{OTHER}/Observation/phq9-theirs",
            f"{EHR}/Patient/123",
        ),
    )
    assert _resolved(data) == {
        "Observation/phq9-1 Observation.subject": "Patient/123",
        "Observation/phq9-theirs Observation.subject": None,
    }
    rec = record.read(data)
    assert rec.patients() == ("Patient/123", "https://other.example/fhir/Patient/123")
    found = record.facts(rec, month="2026-09", patient="Patient/123")
    assert found.facts["rating_scale_scores"].value == "12 on September 3, 2026"


def test_an_absolute_reference_to_a_server_the_record_never_names_is_matched_by_type_and_id() -> (
    None
):
    # a gateway that rewrote the fullUrls but not the references inside the resources
    obs = _phq9(subject={"reference": "https://internal.example/R4/Patient/123"})
    gateway = "https://gateway.example/fhir"
    data = _bundle(
        obs, _patient(), urls=(f"{gateway}/Observation/phq9-1", f"{gateway}/Patient/123")
    )
    assert _resolved(data) == {"Observation/phq9-1 Observation.subject": "Patient/123"}
    assert record.read(data).patients() == ("Patient/123",)


def test_a_relative_reference_resolves_against_its_holders_server() -> None:
    obs = _phq9(subject={"reference": "Patient/123"})
    # absolute fullUrls on one server: the relative reference is to that server's Patient
    data = _bundle(obs, _patient(), urls=(f"{EHR}/Observation/phq9-1", f"{EHR}/Patient/123"))
    assert _resolved(data) == {"Observation/phq9-1 Observation.subject": "Patient/123"}
    # an Observation of another server names that server's Patient/123, which is not here
    data = _bundle(obs, _patient(), urls=(f"{OTHER}/Observation/phq9-1", f"{EHR}/Patient/123"))
    assert _resolved(data) == {"Observation/phq9-1 Observation.subject": None}
    assert record.read(data).patients() == (
        "Patient/123",
        "https://other.example/fhir/Patient/123",
    )


def test_two_servers_resources_of_one_type_and_id_are_noted() -> None:
    data = _bundle(_patient(), _patient(), urls=(f"{EHR}/Patient/123", f"{OTHER}/Patient/123"))
    notes = record.read(data).notes
    assert [(n.resource, n.message) for n in notes] == [
        (
            "Patient/123",
            "two servers' resources have this Type/id (their fullUrls differ); only the later "
            "copy is read, and references resolve to it only from its own server",
        )
    ]
    # the same resource sent twice by one server is no clash
    same = _bundle(_patient(), _patient(), urls=(f"{EHR}/Patient/123", f"{EHR}/Patient/123"))
    assert record.read(same).notes == ()


# -- 5. more shapes of real exports ------------------------------------------------------------
def test_a_value_written_as_null_does_not_hide_the_one_given() -> None:
    # some serialisers write every absent choice element as null
    obs = _phq9(valueInteger=None, valueQuantity={"value": 14, "unit": "{score}"})
    data = json.loads(_bundle(obs))
    data["entry"][0]["resource"].update(valueInteger=None, valueString=None)
    found = _facts(json.dumps(data).encode())
    assert found.facts["rating_scale_scores"].value == "14 on September 3, 2026"
    assert found.facts["rating_scale_scores"].sources[0].path == "Observation.valueQuantity.value"


def test_a_score_with_a_comparator_says_it_is_a_bound() -> None:
    obs = _phq9(valueInteger=None, valueQuantity={"value": 10, "comparator": ">="})
    found = _facts(_bundle(obs))
    assert "rating_scale_scores" in found.missing
    assert _notes(found, "rating_scale_scores") == [
        (
            "Observation/phq9-1",
            "has no numeric score (its valueQuantity has a comparator: a bound, not the score)",
        )
    ]


def test_two_different_copies_that_do_not_say_which_is_newer_are_noted() -> None:
    first, second = _phq9(valueInteger=18), _phq9(valueInteger=9)
    rec = record.read(_bundle(first, second))
    assert [(n.resource, n.message) for n in rec.notes] == [
        (
            "Observation/phq9-1",
            "read twice with different content, and neither copy says it is newer (by "
            "meta.lastUpdated with a zone or a numeric meta.versionId); the later copy is read",
        )
    ]
    found = record.facts(rec, month="2026-09")
    assert found.facts["rating_scale_scores"].value == "9 on September 3, 2026"
    assert ("Observation/phq9-1", rec.notes[0].message) in _notes(found, None)
    # the same copy twice (two exports read together), or copies that say their order, are not
    assert record.read(_bundle(first, dict(first))).notes == ()
    newer = dict(first, meta={"lastUpdated": "2026-09-04T08:00:00Z"})
    older = dict(second, meta={"lastUpdated": "2026-09-03T08:00:00Z"})
    rec = record.read(_bundle(newer, older))
    assert rec.notes == ()
    assert record.facts(rec, month="2026-09").facts["rating_scale_scores"].value == (
        "18 on September 3, 2026"
    )


def test_an_ndjson_line_too_long_to_read_is_skipped_by_its_line(tmp_path: Path) -> None:
    from denialkit.record._reader import MAX_LINE_BYTES

    path = tmp_path / "export.ndjson"
    huge = (
        b'{"resourceType": "Binary", "id": "scan", "data": "'
        + b"QUFB" * (MAX_LINE_BYTES // 4)
        + b'"}\n'
    )
    with path.open("wb") as fh:
        fh.write(huge)  # first line: too long
        fh.write(json.dumps(_phq9()).encode() + b"\n")
        fh.write(huge)  # a later line
        fh.write(json.dumps(_phq9("phq9-2", "2026-09-20")).encode() + b"\n")
    rec = record.read(path)
    assert [v.key for v in rec] == ["Observation/phq9-1", "Observation/phq9-2"]
    assert [n.message for n in rec.notes] == [
        "export.ndjson, line 1: a line longer than 64 MB, not read; skipped",
        "export.ndjson, line 3: a line longer than 64 MB, not read; skipped",
    ]


def test_a_response_reads_the_questionnaire_it_contains() -> None:
    form = {
        "resourceType": "Questionnaire",
        "id": "form",
        "status": "active",
        "item": [
            {"linkId": "t", "type": "integer", "code": [{"system": LOINC, "code": "44261-6"}]}
        ],
    }
    response = {
        "resourceType": "QuestionnaireResponse",
        "id": "resp",
        "status": "completed",
        "authored": "2026-09-03",
        "questionnaire": "#form",
        "contained": [form],
        "item": [{"linkId": "t", "answer": [{"valueInteger": 11}]}],
    }
    found = _facts(_bundle(response))
    assert found.facts["rating_scale_scores"].value == "11 on September 3, 2026"
    assert found.facts["rating_scale"].source == "QuestionnaireResponse/resp"
    # the contained form is the response's own: another response cannot name it so
    other = dict(response, id="other", contained=None)
    del other["contained"]
    found = _facts(_bundle(other, dict(form, id="form")))
    assert "rating_scale" in found.missing


def test_a_resource_labelled_test_data_gives_no_fact() -> None:
    label = {"system": "http://terminology.hl7.org/CodeSystem/v3-ActReason", "code": "HTEST"}
    for meta in ({"security": [label]}, {"tag": [label]}):
        found = _facts(_bundle(_phq9(meta=meta), _consent(meta=meta)))
        assert "rating_scale" in found.missing
        assert "consent_date" in found.missing
        assert ("Observation/phq9-1", "labelled test health data (HTEST); not used") in _notes(
            found, "rating_scale_scores"
        )
    # other labels (restricted, a psychiatry sensitivity) change nothing
    other = {
        "security": [
            {"system": "http://terminology.hl7.org/CodeSystem/v3-Confidentiality", "code": "R"}
        ]
    }
    assert "rating_scale" in _facts(_bundle(_phq9(meta=other))).facts


def test_resources_without_an_id_do_not_stand_for_each_other(tmp_path: Path) -> None:
    path = tmp_path / "Observation.ndjson"
    first, second = _phq9(id=None), _phq9(id=None, valueInteger=5, effectiveDateTime="2026-09-20")
    path.write_text(json.dumps(first) + "\n" + json.dumps(second) + "\n", "utf-8")
    for data in (path, _bundle(first, second)):
        rec = record.read(data)
        assert rec.keys == ("Observation/(no id 1)", "Observation/(no id 2)")
        assert rec.notes == ()
        found = record.facts(rec, month="2026-09")
        assert found.facts["rating_scale_scores"].value == (
            "12 on September 3, 2026 and 5 on September 20, 2026"
        )


def test_an_id_written_as_a_number_is_read_as_its_digits() -> None:
    obs = _phq9(id=None, subject={"reference": "Patient/7"})
    obs["id"] = 41
    rec = record.read(_bundle(obs, {"resourceType": "Patient", "id": 7}))
    assert rec.keys == ("Observation/41", "Patient/7")
    assert rec.patients() == ("Patient/7",)
    assert [r.target.key for r in rec.references() if r.target] == ["Patient/7"]


DAR = "http://terminology.hl7.org/CodeSystem/data-absent-reason"


@pytest.mark.parametrize(
    ("component", "why"),
    [
        (
            {"dataAbsentReason": _coded(DAR, "asked-declined")},
            "a dataAbsentReason stands for it in component[0]",
        ),
        (
            {"valueQuantity": {"value": 20, "comparator": ">"}},
            "its component[0].valueQuantity has a comparator: a bound, not the score",
        ),
        ({"valueString": "severe"}, "component[0].valueString holds no number"),
    ],
)
def test_a_panels_total_component_without_a_number_is_noted(component: Res, why: str) -> None:
    panel = _phq9(
        code=_coded(LOINC, "44249-1"),
        valueInteger=None,
        component=[{"code": _coded(LOINC, "44261-6"), **component}],
    )
    found = _facts(_bundle(panel))
    assert "rating_scale" in found.missing
    assert _notes(found, "rating_scale_scores") == [
        ("Observation/phq9-1", f"has no numeric score ({why})")
    ]


def test_a_score_coded_as_two_scales_totals_is_not_used() -> None:
    both = {"coding": [{"system": LOINC, "code": "44261-6"}, {"system": LOINC, "code": "70274-6"}]}
    found = _facts(_bundle(_phq9(code=both)))
    assert "rating_scale" in found.missing
    assert _notes(found, "rating_scale_scores") == [
        ("Observation/phq9-1", "codes the totals of two scales (PHQ-9 and GAD-7); not used")
    ]
    # LOINC and SNOMED CT codes of the one PHQ-9 total are one scale
    same = {
        "coding": [
            {"system": LOINC, "code": "44261-6"},
            {"system": "http://snomed.info/sct", "code": "720433000"},
        ]
    }
    assert _facts(_bundle(_phq9(code=same))).facts["rating_scale"].value == "PHQ-9"


def test_a_first_page_saved_without_its_links_is_noted() -> None:
    page = _bundle(_phq9(), total=120)
    data = json.loads(page)
    data["type"] = "searchset"
    rec = record.read(json.dumps(data).encode())
    assert [n.message for n in rec.notes] == [
        "the search Bundle holds fewer matches than its total; the other pages were not read "
        "(fetch every page and read them together)"
    ]
    assert ("the search Bundle holds fewer matches than its total") in (
        record.facts(rec, month="2026-09").notes[0].message
    )
    # a whole search (included resources do not count as matches) says nothing
    data["total"] = 1
    data["entry"].append({"resource": _patient(), "search": {"mode": "include"}})
    assert record.read(json.dumps(data).encode()).notes == ()


def test_a_file_of_something_else_in_an_export_gives_a_bounded_list_of_notes(
    tmp_path: Path,
) -> None:
    (tmp_path / "Observation.ndjson").write_text(json.dumps(_phq9()) + "\n", "utf-8")
    log = "".join(json.dumps({"level": "info", "line": i}) + "\n" for i in range(500))
    (tmp_path / "server-log.ndjson").write_text(log, "utf-8")
    rec = record.read(tmp_path)
    messages = [n.message for n in rec.notes]
    assert len(messages) == 21
    assert (
        messages[0] == "server-log.ndjson, line 1: not a FHIR resource (no resourceType); skipped"
    )
    assert messages[-1] == "480 more entries or lines that are not FHIR resources were skipped"
    assert [v.key for v in rec] == ["Observation/phq9-1"]
