"""A source that says it is incomplete (a paged search, an OperationOutcome) is noted, and a
source that is only a server's error is a RecordError."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from denialkit import record
from denialkit.exceptions import RecordError

CONSENT = {
    "resourceType": "Consent",
    "id": "consent-q",
    "status": "active",
    "scope": {
        "coding": [
            {"system": "http://terminology.hl7.org/CodeSystem/consentscope", "code": "treatment"}
        ]
    },
    "dateTime": "2026-07-14",
}


def _outcome(severity: str, code: str, text: str = "Jo Private, MRN 0042") -> dict[str, Any]:
    return {
        "resourceType": "OperationOutcome",
        "issue": [{"severity": severity, "code": code, "diagnostics": text}],
    }


def test_a_page_of_a_search_is_noted_and_the_note_reaches_the_facts() -> None:
    page = {
        "resourceType": "Bundle",
        "type": "searchset",
        "total": 40,
        "link": [
            {"relation": "self", "url": "https://fhir.test/r4/Consent?patient=9&_count=1"},
            {"relation": "next", "url": "https://fhir.test/r4/Consent?patient=9&page=2"},
        ],
        "entry": [{"resource": CONSENT, "search": {"mode": "match"}}],
    }
    rec = record.read(json.dumps(page).encode())
    assert [n.message for n in rec.notes] == [
        "the Bundle is one page of a search and has a next page, which was not read; "
        "fetch every page and read them together"
    ]
    found = record.facts(rec, month="2026-07")
    assert found.facts["consent_date"].source == "Consent/consent-q"
    assert found.notes[0] == rec.notes[0]
    assert found.to_dict()["notes"][0]["fact"] is None  # type: ignore[index]


def test_an_outcome_entry_is_noted_with_its_place_and_issue_code_only() -> None:
    bundle = {
        "resourceType": "Bundle",
        "type": "searchset",
        "entry": [
            {"resource": CONSENT, "search": {"mode": "match"}},
            {"resource": _outcome("warning", "too-costly"), "search": {"mode": "outcome"}},
            {"resource": _outcome("information", "informational")},
        ],
    }
    rec = record.read(json.dumps(bundle).encode())
    messages = [n.message for n in rec.notes]
    assert messages == [
        "entry 1: an OperationOutcome reports a problem (too-costly); the record may be incomplete"
    ]
    assert "Private" not in repr(rec.notes) and "0042" not in repr(rec.notes)


def test_an_error_outcome_beside_resources_is_noted(tmp_path: Path) -> None:
    lines = [CONSENT, _outcome("error", "exception")]
    path = tmp_path / "Consent.ndjson"
    path.write_text("\n".join(json.dumps(x) for x in lines) + "\n", "utf-8")
    rec = record.read(path)
    assert [n.message for n in rec.notes] == [
        "Consent.ndjson, line 2: an OperationOutcome reports a problem (exception); "
        "the record may be incomplete"
    ]


@pytest.mark.parametrize("severity", ["error", "fatal"])
def test_a_source_that_is_only_a_failed_request_is_an_error(tmp_path: Path, severity: str) -> None:
    path = tmp_path / "answer.json"
    path.write_text(json.dumps(_outcome(severity, "not-found")), "utf-8")
    with pytest.raises(RecordError, match=r"answer\.json: the source holds only an Operation") as e:
        record.read(path)
    assert "Private" not in str(e.value)


def test_odd_outcomes_are_tolerated() -> None:
    for issue in (None, 7, "x", [{"severity": ["error"]}], [{"severity": "error", "code": 3}]):
        data = {"resourceType": "Bundle", "entry": [{"resource": CONSENT}]}
        data["entry"].append({"resource": {"resourceType": "OperationOutcome", "issue": issue}})
        record.read(json.dumps(data).encode())


def test_a_failed_request_in_a_batch_response_is_noted() -> None:
    bundle = {
        "resourceType": "Bundle",
        "type": "batch-response",
        "entry": [
            {"resource": CONSENT, "response": {"status": "200 OK"}},
            {"response": {"status": "404 Not Found", "outcome": _outcome("error", "not-found")}},
            {"response": {"status": "204"}},
            {"response": {"status": "gone"}},
        ],
    }
    rec = record.read(json.dumps(bundle).encode())
    assert [n.message for n in rec.notes] == [
        "entry 1: a request failed (HTTP 404); the resource it asked for is not in the record"
    ]
