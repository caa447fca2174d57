"""Shapes of real exports, round 9: how an Observation is dated (``issued``, a period with only
an end, an instant, a Timing), resources denialkit does not read sitting in the same Bundle
(and a Parameters wrapper around one), and searchset, reference, extension, date and code
shapes. Each test builds the FHIR JSON and checks what a user sees: the facts and evidence the
record gives, or their absence with a note."""

from __future__ import annotations

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
LOINC = "http://loinc.org"
PHQ9 = "44261-6"
BOTH = "18 on September 3, 2026 and 12 on September 28, 2026"


def _notes(found: record.RecordFacts, fact: str) -> list[tuple[str | None, str]]:
    return [(n.resource, n.message) for n in found.notes if n.fact == fact]


def _undate(obs: dict[str, Any]) -> dict[str, Any]:
    del obs["effectiveDateTime"]
    return obs


# -- 1. how an Observation is dated ---------------------------------------------------------
def test_issued_dates_a_score_without_effective_and_says_so(
    cocm: Bundle, find: Find, facts_of: FactsOf
) -> None:
    _undate(find(cocm, "phq9-2026-09-28"))["issued"] = "2026-09-28T16:20:00-05:00"
    found = facts_of(cocm)
    scores = found.facts["rating_scale_scores"]
    assert scores.value == "18 on September 3, 2026 and 12 on September 28, 2026 (date reported)"
    late = scores.sources[1]
    assert (late.resource, late.path, late.dated_by) == (
        "Observation/phq9-2026-09-28",
        "Observation.valueQuantity.value",
        "Observation.issued",
    )
    assert scores.sources[0].dated_by == "Observation.effectiveDateTime"
    assert _notes(found, "rating_scale_scores") == [
        (
            "Observation/phq9-2026-09-28",
            "has no effective date; dated by issued, the day it was reported (on or after "
            "the day it was taken)",
        )
    ]
    evidence = {e.source: e for e in found.evidence()}
    reported = evidence["Observation/phq9-2026-09-28"]
    assert reported.title == "Observation/phq9-2026-09-28: PHQ-9 score report"
    assert str(reported.date) == "2026-09-28"
    assert evidence["Observation/phq9-2026-09-03"].title.endswith("PHQ-9 score")
    dumped = found.to_dict()["facts"]["rating_scale_scores"]  # type: ignore[index]
    assert dumped["sources"][1]["dated_by"] == "Observation.issued"


def test_issued_never_wins_over_effective(cocm: Bundle, find: Find, facts_of: FactsOf) -> None:
    find(cocm, "phq9-2026-09-28")["issued"] = "2026-10-02T08:00:00Z"
    found = facts_of(cocm)
    assert found.facts["rating_scale_scores"].value == BOTH
    assert _notes(found, "rating_scale_scores") == []


def test_a_score_with_neither_effective_nor_issued_is_noted(
    cocm: Bundle, find: Find, facts_of: FactsOf
) -> None:
    _undate(find(cocm, "phq9-2026-09-28"))
    found = facts_of(cocm)
    assert found.facts["rating_scale_scores"].value == "18 on September 3, 2026"
    assert _notes(found, "rating_scale_scores") == [
        ("Observation/phq9-2026-09-28", "has no date (neither effective[x] nor issued)")
    ]


@pytest.mark.parametrize(
    "sibling",
    [
        {"_effectiveDateTime": {"extension": [{"url": DAR, "valueCode": "masked"}]}},
        {"effectivePeriod": {"extension": [{"url": DAR, "valueCode": "unknown"}]}},
    ],
)
def test_an_effective_date_absent_with_a_reason_is_not_replaced_by_issued(
    cocm: Bundle, find: Find, facts_of: FactsOf, sibling: dict[str, Any]
) -> None:
    obs = _undate(find(cocm, "phq9-2026-09-28"))
    obs.update(sibling)
    obs["issued"] = "2026-09-28T16:20:00-05:00"
    found = facts_of(cocm)
    assert found.facts["rating_scale_scores"].value == "18 on September 3, 2026"
    assert _notes(found, "rating_scale_scores") == [
        (
            "Observation/phq9-2026-09-28",
            "its effective date is marked absent (data-absent-reason); not used",
        )
    ]


def test_an_effective_date_with_an_extension_beside_it_is_still_read(
    cocm: Bundle, find: Find, facts_of: FactsOf
) -> None:
    obs = find(cocm, "phq9-2026-09-28")
    obs["_effectiveDateTime"] = {
        "extension": [{"url": "http://example.org/original-text", "valueString": "9/28"}]
    }
    assert facts_of(cocm).facts["rating_scale_scores"].value == BOTH


@pytest.mark.parametrize(
    ("effective", "element"),
    [
        ({"effectivePeriod": {"end": "2026-09-28T10:40:00-05:00"}}, "effectivePeriod.end"),
        ({"effectivePeriod": {"start": "2026-09-28T10:00:00-05:00"}}, "effectivePeriod.start"),
        ({"effectiveInstant": "2026-09-28T15:00:00.000Z"}, "effectiveInstant"),
        ({"effectiveTiming": {"event": ["2026-09-28T10:00:00-05:00"]}}, "effectiveTiming.event[0]"),
        (
            {
                "effectiveTiming": {
                    "event": ["2026-09-28T10:00:00-05:00", "2026-09-28T10:20:00-05:00"]
                }
            },
            "effectiveTiming.event[0]",
        ),
    ],
)
def test_every_effective_form_dates_a_score(
    cocm: Bundle, find: Find, facts_of: FactsOf, effective: dict[str, Any], element: str
) -> None:
    _undate(find(cocm, "phq9-2026-09-28")).update(effective)
    found = facts_of(cocm)
    scores = found.facts["rating_scale_scores"]
    assert scores.value == BOTH
    assert scores.sources[1].dated_by == f"Observation.{element}"
    assert _notes(found, "rating_scale_scores") == []


@pytest.mark.parametrize(
    "timing",
    [
        {"event": ["2026-09-27", "2026-09-28"]},  # two days: which one is the score's?
        {"repeat": {"frequency": 1, "period": 2, "periodUnit": "wk"}},  # a schedule only
    ],
)
def test_a_timing_without_one_day_leaves_the_score_undated(
    cocm: Bundle, find: Find, facts_of: FactsOf, timing: dict[str, Any]
) -> None:
    obs = _undate(find(cocm, "phq9-2026-09-28"))
    obs["effectiveTiming"] = timing
    obs["issued"] = "2026-09-28"
    found = facts_of(cocm)
    assert found.facts["rating_scale_scores"].value == "18 on September 3, 2026"
    assert _notes(found, "rating_scale_scores") == [
        (
            "Observation/phq9-2026-09-28",
            "effectiveTiming names several days or only a schedule, not one date; not used",
        )
    ]


def test_a_score_dated_to_the_month_says_in(cocm: Bundle, find: Find, facts_of: FactsOf) -> None:
    find(cocm, "phq9-2026-09-28")["effectiveDateTime"] = "2026-09"
    found = facts_of(cocm)
    assert found.facts["rating_scale_scores"].value == (
        "18 on September 3, 2026 and 12 in September 2026"
    )
    (item,) = [e for e in found.evidence() if e.source == "Observation/phq9-2026-09-28"]
    assert item.date is None and item.title.endswith("PHQ-9 score of September 2026")


def test_a_score_dated_to_the_year_is_not_used(cocm: Bundle, find: Find, facts_of: FactsOf) -> None:
    find(cocm, "phq9-2026-09-03")["effectiveDateTime"] = "2026"
    found = facts_of(cocm)
    # a year cannot say whether the score came before the billed month or in it
    assert found.facts["rating_scale_scores"].value == "12 on September 28, 2026"
    assert _notes(found, "rating_scale_scores") == [
        ("Observation/phq9-2026-09-03", "dated only to the year; a score needs at least its month")
    ]


def test_a_claim_missing_a_score_of_the_month_disagrees_with_the_record(
    cocm: Bundle, find: Find
) -> None:
    from denialkit.letters import example_claim

    find(cocm, "phq9-2026-09-28")["effectiveDateTime"] = "2026-09"
    rec = record.read(json.dumps(cocm).encode())
    claim = example_claim("CCM21").evolve(facts={"rating_scale_scores": "18 on September 3"})
    filled = record.fill(claim, rec, month="2026-09")
    # the record's "12 in September 2026" is a score the claim does not state
    assert [c.fact for c in filled.conflicts if c.fact == "rating_scale_scores"] == [
        "rating_scale_scores"
    ]


def test_a_claim_stating_a_reported_score_agrees_with_the_record(cocm: Bundle, find: Find) -> None:
    from denialkit.letters import example_claim

    _undate(find(cocm, "phq9-2026-09-28"))["issued"] = "2026-09-28"
    rec = record.read(json.dumps(cocm).encode())
    claim = example_claim("CCM21").evolve(
        facts={"rating_scale_scores": "18 on September 3, 2026 and 12 on September 28, 2026"}
    )
    filled = record.fill(claim, rec, month="2026-09")
    assert not [c for c in filled.conflicts if c.fact == "rating_scale_scores"]


def _report(inner: dict[str, Any], **dates: Any) -> dict[str, Any]:
    """A DiagnosticReport holding one result, as some exports send screening results."""
    return {
        "resource": {
            "resourceType": "DiagnosticReport",
            "id": "screen",
            "status": "final",
            "code": {"text": "Depression screening"},
            "subject": inner.pop("subject"),
            "contained": [dict(inner, id="phq9")],
            "result": [{"reference": "#phq9"}],
            **dates,
        }
    }


@pytest.mark.parametrize(
    ("dates", "dated_by", "value"),
    [
        (
            {"effectiveDateTime": "2026-09-28T10:00:00-05:00", "issued": "2026-09-29"},
            "DiagnosticReport.effectiveDateTime",
            BOTH,
        ),
        (
            {"effectivePeriod": {"start": "2026-09-28"}},
            "DiagnosticReport.effectivePeriod.start",
            BOTH,
        ),
        ({"issued": "2026-09-28T16:00:00Z"}, "DiagnosticReport.issued", BOTH + " (date reported)"),
    ],
)
def test_a_result_in_a_report_without_a_date_of_its_own_takes_the_reports(
    cocm: Bundle, find: Find, facts_of: FactsOf, dates: dict[str, Any], dated_by: str, value: str
) -> None:
    obs = _undate(find(cocm, "phq9-2026-09-28"))
    cocm["entry"] = [e for e in cocm["entry"] if e["resource"] is not obs]
    cocm["entry"].append(_report(obs, **dates))
    scores = facts_of(cocm).facts["rating_scale_scores"]
    assert scores.value == value
    assert scores.sources[1].resource == "DiagnosticReport/screen#phq9"
    assert scores.sources[1].dated_by == dated_by


def test_a_result_dated_itself_keeps_its_date_inside_a_report(
    cocm: Bundle, find: Find, facts_of: FactsOf
) -> None:
    obs = find(cocm, "phq9-2026-09-28")
    cocm["entry"] = [e for e in cocm["entry"] if e["resource"] is not obs]
    cocm["entry"].append(_report(obs, effectiveDateTime="2026-10-02"))
    scores = facts_of(cocm).facts["rating_scale_scores"]
    assert scores.value == BOTH
    assert scores.sources[1].dated_by == "Observation.effectiveDateTime"


def test_a_result_withheld_in_a_report_is_not_dated_by_the_report(
    cocm: Bundle, find: Find, facts_of: FactsOf
) -> None:
    obs = _undate(find(cocm, "phq9-2026-09-28"))
    obs["_effectiveDateTime"] = {"extension": [{"url": DAR, "valueCode": "masked"}]}
    cocm["entry"] = [e for e in cocm["entry"] if e["resource"] is not obs]
    cocm["entry"].append(_report(obs, effectiveDateTime="2026-09-28"))
    found = facts_of(cocm)
    assert found.facts["rating_scale_scores"].value == "18 on September 3, 2026"


# -- 2. resources denialkit does not read, in the same Bundle ------------------------------
X12_CARC = "https://x12.org/codes/claim-adjustment-reason-codes"

UNREAD: list[dict[str, Any]] = [
    {
        "resourceType": "ClaimResponse",
        "id": "cr1",
        "status": "active",
        "use": "claim",
        "outcome": "complete",
        "patient": {"reference": "Patient/someone-else"},
        "created": "2026-10-20",
        "adjudication": [
            {
                "category": {"text": "denied"},
                "reason": {"coding": [{"system": X12_CARC, "code": "50"}]},
            }
        ],
    },
    {
        "resourceType": "Claim",
        "id": "claim1",
        "status": "active",
        "use": "claim",
        "patient": {"reference": "Patient/someone-else"},
        "identifier": [{"system": "http://practice.example/claims", "value": "PCN-1"}],
        "item": [{"sequence": 1, "servicedDate": "2026-09-30"}],
    },
    {"resourceType": "Binary", "id": "bin1", "contentType": "application/pdf", "data": "JVBERi0="},
    {
        "resourceType": "Binary",
        "id": "bin2",
        "contentType": "application/fhir+json",
        "data": "eyJyZXNvdXJjZVR5cGUiOiAiUGF0aWVudCJ9",
    },
    {
        "resourceType": "Provenance",
        "id": "prov1",
        "recorded": "2026-09-30T12:00:00Z",
        "target": [{"reference": "Consent/bhi-consent"}, {"reference": "Observation/nowhere"}],
        "agent": [{"who": {"reference": "Practitioner/nobody"}}],
    },
    {"resourceType": "Parameters", "id": "p1", "parameter": [{"name": "x", "valueString": "y"}]},
    {"resourceType": "ArtifactAssessment", "id": "r5-type"},  # a FHIR R5 type
    {"resourceType": "VendorWidget", "id": "w1", "subject": {"reference": "Patient/x"}},
    {"resourceType": "Basic", "id": "b1", "subject": {"reference": "Patient/someone-else"}},
    {
        "resourceType": "DocumentReference",
        "id": "doc1",
        "status": "current",
        "subject": {"reference": "Patient/someone-else"},
        "contained": [{"resourceType": "Binary", "id": "inline", "contentType": "text/plain"}],
    },
]


def test_resources_not_read_change_no_fact_and_say_nothing(bhi: Bundle, facts_of: FactsOf) -> None:
    before = facts_of(bhi)
    bhi["entry"] += [{"resource": r} for r in UNREAD]
    rec = record.read(json.dumps(bhi).encode())
    assert rec.notes == ()
    assert "ClaimResponse/cr1" in rec and "Binary/bin2" in rec and "VendorWidget/w1" in rec
    assert rec.patients() == _patients_without_unread(bhi)
    after = record.facts(rec, month="2026-09")
    assert after.values() == before.values()
    assert after.notes == before.notes
    # the member id and payer come from the Coverage, the codes from the EOB, never the rest
    assert after.facts["member_id"].source == "Coverage/bhi-coverage"
    assert after.facts["denial_codes"].source == "ExplanationOfBenefit/bhi-eob"


def _patients_without_unread(bundle: Bundle) -> tuple[str, ...]:
    kept = [e for e in bundle["entry"] if e["resource"] not in UNREAD]
    return record.read(json.dumps(dict(bundle, entry=kept)).encode()).patients()


@pytest.mark.parametrize("rtype", [r["resourceType"] for r in UNREAD])
def test_a_source_of_one_unread_resource_is_an_empty_record(rtype: str) -> None:
    only = next(r for r in UNREAD if r["resourceType"] == rtype)
    rec = record.read(json.dumps(only).encode())
    found = record.facts(rec, code="CO-50", month="2026-09")
    assert found.facts == {} and rec.notes == ()


def _parameters(*resources: dict[str, Any]) -> dict[str, Any]:
    return {
        "resourceType": "Parameters",
        "parameter": [{"name": "return", "resource": r} for r in resources],
    }


def test_everything_wrapped_in_parameters_is_unwrapped(bhi: Bundle, facts_of: FactsOf) -> None:
    before = facts_of(bhi)
    bhi["type"] = "searchset"
    rec = record.read(json.dumps(_parameters(bhi)).encode())
    found = record.facts(rec, month="2026-09")
    assert found.values() == before.values()
    assert found.facts["care_manager_minutes"].value == 37
    assert "Parameters/(no id)" not in rec


def test_parameters_in_a_bundle_and_in_parts_are_unwrapped(bhi: Bundle, facts_of: FactsOf) -> None:
    before = facts_of(bhi)
    entries = bhi["entry"]
    inner = {"resourceType": "Bundle", "type": "collection", "entry": entries[4:]}
    wrapped = {
        "resourceType": "Parameters",
        "parameter": [
            {"name": "member", "part": [{"name": "patient", "resource": entries[0]["resource"]}]},
            {"name": "rest", "part": [{"name": "bundle", "resource": inner}]},
        ],
    }
    outer = {
        "resourceType": "Bundle",
        "type": "collection",
        "entry": [*entries[1:4], {"resource": wrapped}],
    }
    found = record.facts(record.read(json.dumps(outer).encode()), month="2026-09")
    assert found.values() == before.values()


def test_an_ndjson_line_holding_parameters_is_unwrapped(bhi: Bundle, facts_of: FactsOf) -> None:
    before = facts_of(bhi)
    lines = [json.dumps(_parameters(e["resource"])) for e in bhi["entry"]]
    rec = record.read("\n".join(lines).encode())
    assert record.facts(rec, month="2026-09").values() == before.values()


def test_a_failed_operation_in_parameters_is_still_a_record_error() -> None:
    outcome = {
        "resourceType": "OperationOutcome",
        "issue": [{"severity": "error", "code": "not-found", "diagnostics": "Patient 1234"}],
    }
    with pytest.raises(RecordError) as info:
        record.read(json.dumps(_parameters(outcome)).encode())
    assert "only an OperationOutcome" in str(info.value)
    assert "1234" not in str(info.value)


def test_a_parameters_resource_without_a_resource_type_inside_is_a_located_error() -> None:
    bad = {"resourceType": "Bundle", "entry": [{"resource": _parameters({"id": "x"})}]}
    with pytest.raises(RecordError, match="entry 0: not a FHIR resource"):
        record.read(json.dumps(bad).encode())


# -- 3. searchsets, entries, references, extensions, dates, codes -------------------------
def _searchset(bundle: Bundle) -> Bundle:
    """The Bundle as a server's search answer: the Observations matched, the rest included."""
    entries = []
    for e in bundle["entry"]:
        mode = "match" if e["resource"]["resourceType"] == "Observation" else "include"
        entries.append({**e, "search": {"mode": mode}})
    return dict(bundle, type="searchset", total=1, entry=entries)


def _outcome(severity: str) -> dict[str, Any]:
    return {
        "resource": {
            "resourceType": "OperationOutcome",
            "id": "oo",
            "issue": [
                {
                    "severity": severity,
                    "code": "informational",
                    "details": {"coding": [{"system": X12_CARC, "code": "50"}], "text": "x"},
                    "diagnostics": "Patient bhi-patient searched by Zoë Nguyễn",
                }
            ],
        },
        "search": {"mode": "outcome"},
    }


def test_a_searchset_reads_matches_and_includes_and_no_outcome_becomes_a_fact(
    bhi: Bundle, facts_of: FactsOf
) -> None:
    before = facts_of(bhi)
    bundle = _searchset(bhi)
    bundle["entry"].append(_outcome("information"))
    rec = record.read(json.dumps(bundle).encode())
    assert rec.notes == ()
    found = record.facts(rec, month="2026-09")
    assert found.values() == before.values()
    assert found.facts["denial_codes"].value == ("16", "N290")  # not the outcome's "50"
    assert all(s.resource != "OperationOutcome/oo" for s in found.sources)


def test_a_searchset_outcome_warning_is_a_note_without_its_text(
    bhi: Bundle, facts_of: FactsOf
) -> None:
    before = facts_of(bhi)
    bundle = _searchset(bhi)
    bundle["entry"].insert(0, _outcome("warning"))
    found = record.facts(record.read(json.dumps(bundle).encode()), month="2026-09")
    assert found.values() == before.values()
    (note,) = [n for n in found.notes if n.fact is None]
    assert note.message == (
        "entry 0: an OperationOutcome reports a problem (informational); "
        "the record may be incomplete"
    )
    assert "Zo" not in repr(found.notes) and "bhi-patient" not in repr(found.notes)


@pytest.mark.parametrize(
    "empty",
    [
        {"resource": None},
        {"fullUrl": "urn:uuid:00000000-0000-4000-8000-0000000000aa"},
        {"fullUrl": "https://ehr.example/fhir/Observation/gone", "resource": None},
        {},
        {"fullUrl": "urn:uuid:x", "search": {"mode": "match"}},
        None,
    ],
)
def test_entries_without_a_resource_hold_nothing(
    bhi: Bundle, facts_of: FactsOf, empty: dict[str, Any] | None
) -> None:
    before = facts_of(bhi)
    bhi["entry"].insert(3, empty)
    rec = record.read(json.dumps(bhi).encode())
    assert rec.notes == () and len(rec) == 16
    assert record.facts(rec, month="2026-09").values() == before.values()


def test_references_in_every_form_name_one_patient_and_one_care_manager(
    bhi: Bundle, find: Find, facts_of: FactsOf
) -> None:
    before = facts_of(bhi)
    uuid = "urn:uuid:5f0c8f0e-3a6e-4c1e-9a55-2b4a8f0e1c11"
    for e in bhi["entry"]:
        if e["resource"]["id"] == "bhi-patient":
            e["fullUrl"] = uuid
        if e["resource"]["id"] == "bhi-manager":
            e["fullUrl"] = "urn:uuid:0d7b6c1e-9f3a-4e8b-a1c2-3d4e5f60718a"
    find(bhi, "bhi-consent")["patient"] = {"reference": uuid}
    find(bhi, "bhi-plan")["subject"] = {"reference": "https://ehr.example/fhir/Patient/bhi-patient"}
    find(bhi, "gad7-2026-09-02")["subject"] = {
        "reference": "https://ehr.example/fhir/Patient/bhi-patient/_history/4"
    }
    find(bhi, "bhi-coverage")["beneficiary"] = {"reference": "bhi-patient", "type": "Patient"}
    find(bhi, "bhi-care-manager")["practitioner"] = {
        "reference": "urn:uuid:0d7b6c1e-9f3a-4e8b-a1c2-3d4e5f60718a"
    }
    rec = record.read(json.dumps(bhi).encode())
    assert rec.patients() == ("Patient/bhi-patient",)
    found = record.facts(rec, month="2026-09")
    assert found.values() == before.values()
    assert found.facts["care_manager_name"].sources[1].resource == "Practitioner/bhi-manager"
    assert not [n for n in found.notes if "does not resolve" in n.message]


def test_a_urn_uuid_the_bundle_does_not_hold_is_noted_not_guessed(bhi: Bundle, find: Find) -> None:
    find(bhi, "bhi-care-manager")["practitioner"] = {
        "reference": "urn:uuid:9e2f2d4b-0000-4000-8000-000000000000"
    }
    found = record.facts(record.read(json.dumps(bhi).encode()), month="2026-09")
    assert "care_manager_name" in found.missing
    assert (
        "PractitionerRole/bhi-care-manager",
        "PractitionerRole.practitioner (uuid reference) does not resolve",
    ) in _notes(found, "care_manager_name")


def test_a_consent_whose_date_is_absent_with_a_reason_stays_missing(
    bhi: Bundle, find: Find, facts_of: FactsOf
) -> None:
    consent = find(bhi, "bhi-consent")
    del consent["dateTime"]
    consent["_dateTime"] = {"extension": [{"url": DAR, "valueCode": "unknown"}]}
    found = facts_of(bhi)
    assert "consent_date" in found.missing
    assert _notes(found, "consent_date") == [("Consent/bhi-consent", "has no date to the day")]


@pytest.mark.parametrize(
    ("written", "counted"),
    [
        ("2026-09-30T23:30:00-05:00", True),  # the day as written, not in UTC (Oct 1)
        ("2026-09-30T23:30:00+14:00", True),
        ("2026-10-01T02:00:00Z", False),  # September 30 in Chicago, but October as written
        ("2026-09-01T00:00:00-12:00", True),
    ],
)
def test_a_score_at_a_month_edge_counts_on_the_day_written(
    bhi: Bundle, find: Find, facts_of: FactsOf, written: str, counted: bool
) -> None:
    find(bhi, "gad7-2026-09-02")["effectiveDateTime"] = written
    scores = facts_of(bhi).facts["rating_scale_scores"].value
    assert ("14 on September" in str(scores)) is counted


@pytest.mark.parametrize("bad", ["2026-09-03T24:00:00", "2026-09-03T10:75", "2026-09-03T10:00:99"])
def test_a_time_of_day_that_is_no_time_is_no_date(
    bhi: Bundle, find: Find, facts_of: FactsOf, bad: str
) -> None:
    find(bhi, "bhi-time-1")["period"] = {"start": bad, "end": bad}
    find(bhi, "bhi-consent")["dateTime"] = bad
    found = facts_of(bhi)  # no exception, whatever the zone
    assert "consent_date" in found.missing
    assert ("Encounter/bhi-time-1", "has no date it took place; not counted") in _notes(
        found, "care_manager_minutes"
    )


def test_codes_without_a_system_are_noted_not_read(
    bhi: Bundle, find: Find, facts_of: FactsOf
) -> None:
    find(bhi, "gad7-2026-09-02")["code"] = {"coding": [{"code": "70274-6"}]}
    find(bhi, "bhi-consent")["scope"] = {"coding": [{"code": "treatment"}]}
    find(bhi, "bhi-care-manager")["code"] = [{"coding": [{"code": "171M00000X"}]}]
    found = facts_of(bhi)
    assert found.facts["rating_scale_scores"].value == "9 on September 24, 2026"
    assert "consent_date" in found.missing and "care_manager_name" in found.missing
    assert _notes(found, "rating_scale_scores") == [
        ("Observation/gad7-2026-09-02", "codes a scale total without a code system; not used")
    ]
    assert _notes(found, "consent_date") == [
        ("Consent/bhi-consent", "codes its scope without a code system; not used")
    ]
    assert _notes(found, "care_manager_name") == [
        (
            "PractitionerRole/bhi-care-manager",
            "codes the care manager's role without a code system; not used",
        )
    ]


def test_text_only_concepts_are_never_read_as_codes(
    bhi: Bundle, find: Find, facts_of: FactsOf
) -> None:
    find(bhi, "gad7-2026-09-02")["code"] = {"text": "GAD-7 total score (70274-6)"}
    find(bhi, "bhi-plan")["category"] = [{"text": "assess-plan"}]
    find(bhi, "bhi-plan")["addresses"] = []
    find(bhi, "bhi-psychiatry")["code"] = [{"text": "Psychiatry 2084P0800X"}]
    found = facts_of(bhi)
    assert found.facts["rating_scale_scores"].value == "9 on September 24, 2026"
    assert "care_plan_date" in found.missing
    assert "psychiatric_consultant_name" in found.missing


# -- real exports --------------------------------------------------------------------------
def test_real_bundles_wrapped_in_parameters_read_as_the_bundles(shared_fhir: Path) -> None:
    bundles = sorted(shared_fhir.glob("*/*.json"))
    read = 0
    for path in bundles:
        data = json.loads(path.read_text("utf-8"))
        if data.get("resourceType") != "Bundle":
            continue
        plain = record.read(path)
        wrapped = record.read(json.dumps(_parameters(data)).encode())
        assert wrapped.keys == plain.keys, path.name
        assert wrapped.patients() == plain.patients(), path.name
        for patient in plain.patients()[:2]:
            a = record.facts(plain, month="2019-05", patient=patient)
            b = record.facts(wrapped, month="2019-05", patient=patient)
            assert a.values() == b.values(), path.name
        read += 1
    assert read >= 3


def test_no_patient_value_in_the_notes_errors_or_reprs_of_these_shapes(
    cocm: Bundle, find: Find
) -> None:
    secret = "Q7SECRETQ7"
    obs = _undate(find(cocm, "phq9-2026-09-28"))
    obs["issued"] = "2026-09-28"
    obs["_issued"] = {"extension": [{"url": "http://example.org/x", "valueString": secret}]}
    find(cocm, "phq9-2026-09-03")["effectiveTiming"] = {"event": ["2026-09-03", "2026-09-04"]}
    del find(cocm, "phq9-2026-09-03")["effectiveDateTime"]
    find(cocm, "cocm-consent")["scope"] = {"coding": [{"code": "treatment", "display": secret}]}
    wrapped = {
        "resourceType": "Parameters",
        "parameter": [{"name": secret, "valueString": secret}, {"name": "b", "resource": cocm}],
    }
    rec = record.read(json.dumps(wrapped).encode())
    found = record.facts(rec, month="2026-09")
    seen = [repr(rec), repr(found), *map(repr, found.notes), *map(repr, found.sources)]
    seen += [repr(e) for e in found.evidence()] + [repr(v) for v in rec]
    assert len(found.notes) >= 3
    bad = dict(wrapped, parameter=[{"name": "b", "resource": {"id": secret}}])
    with pytest.raises(RecordError) as info:
        record.read(json.dumps(bad).encode())
    seen.append(str(info.value))
    assert not [s for s in seen if secret in s]


def test_a_list_of_primitives_with_nulls_beside_their_extensions(
    bhi: Bundle, find: Find, facts_of: FactsOf
) -> None:
    # FHIR JSON keeps a list's positions: a given name known only by an extension is null
    find(bhi, "bhi-patient")["name"] = [
        {
            "family": "Nguyễn",
            "given": [None, "Zoë"],
            "_given": [{"extension": [{"url": DAR, "valueCode": "masked"}]}, None],
        }
    ]
    assert facts_of(bhi).facts["patient_name"].value == "Zoë Nguyễn"
