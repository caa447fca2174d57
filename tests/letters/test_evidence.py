"""Evidence in the claim model: typed, checked by path, in the schema and the examples."""

from __future__ import annotations

import json
import pickle
import re
from datetime import date
from typing import Any

import pytest

from denialkit.claim import USER_SOURCE, Claim, Evidence, EvidenceKind, claim_schema
from denialkit.exceptions import ClaimDataError
from denialkit.letters import example_claim, example_codes

KINDS = [
    "denial-notice",
    "consent",
    "care-plan",
    "rating-scale",
    "time-log",
    "consultation-note",
    "registry",
    "authorization",
    "medical-record",
    "coverage-policy",
    "medical-necessity-letter",
    "timely-filing-proof",
    "corrected-claim",
    "prior-payer-eob",
    "other",
]


def _data(**evidence: Any) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(example_claim("CCM21").to_json())
    data["evidence"] = [{"kind": "consent", "title": "Signed consent", **evidence}]
    return data


def test_the_vocabulary_of_kinds_is_the_documented_one() -> None:
    assert [k.value for k in EvidenceKind] == KINDS
    assert all(k.label and k.label == k.label.strip() for k in EvidenceKind)


def test_evidence_is_frozen_typed_and_hides_its_values() -> None:
    e = Evidence("rating-scale", "PHQ-9 of Zoë", date(2026, 9, 3), "Observation/phq9-2")
    assert e.kind is EvidenceKind.RATING_SCALE
    assert e.supports == ()
    assert "Zoë" not in repr(e) and "phq9" not in repr(e) and "2026" not in repr(e)
    with pytest.raises(AttributeError):
        e.title = "other"  # type: ignore[misc]
    assert pickle.loads(pickle.dumps(e)) == e
    assert Evidence("consent", "x", supports="consent_date").supports == ("consent_date",)
    with pytest.raises(ClaimDataError, match=r"evidence\.kind: must be one of denial-notice"):
        Evidence("photo", "x")  # type: ignore[arg-type]


def test_from_dict_reads_every_field_and_to_dict_writes_it_back() -> None:
    data = _data(date="2026-09-02", source="consent.pdf", supports=["consent_date"])
    data["evidence"].append({"kind": "other", "title": "Office note"})
    claim = Claim.from_dict(data)
    assert claim.evidence == (
        Evidence(
            EvidenceKind.CONSENT,
            "Signed consent",
            date(2026, 9, 2),
            "consent.pdf",
            ("consent_date",),
        ),
        Evidence(EvidenceKind.OTHER, "Office note", None, USER_SOURCE),
    )
    assert Claim.from_json(claim.to_json()) == claim
    assert "(evidence" not in repr(claim)


@pytest.mark.parametrize(
    ("item", "problems"),
    [
        ({"kind": "photo"}, [("evidence[0].kind", "must be one of denial-notice, consent")]),
        ({"kind": None}, [("evidence[0].kind", "required")]),
        ({"kind": 3}, [("evidence[0].kind", "must be one of")]),
        ({"title": ""}, [("evidence[0].title", "must not be empty")]),
        ({"title": "  "}, [("evidence[0].title", "must not be empty")]),
        ({"title": None}, [("evidence[0].title", "required")]),
        ({"title": "a\nb"}, [("evidence[0].title", "must be one line")]),
        ({"title": "x" * 501}, [("evidence[0].title", "longer than 500 characters")]),
        ({"title": 5}, [("evidence[0].title", "expected a string, got int")]),
        ({"date": "2026-02-30"}, [("evidence[0].date", "not a real calendar date")]),
        ({"date": "2026-02-03T10:00"}, [("evidence[0].date", "got a date and time")]),
        ({"source": "a\rb"}, [("evidence[0].source", "must be one line")]),
        ({"supports": "consent_date"}, [("evidence[0].supports", "expected a list of strings")]),
        ({"supports": ["Consent Date"]}, [("evidence[0].supports[0]", "lower_snake_case")]),
        ({"colour": "red"}, [("evidence[0].colour", "unknown field")]),
    ],
)
def test_bad_evidence_is_named_by_path_without_its_value(
    item: dict[str, object], problems: list[tuple[str, str]]
) -> None:
    with pytest.raises(ClaimDataError) as err:
        Claim.from_dict(_data(**item))
    got = err.value.problems
    assert [p for p, _ in got] == [p for p, _ in problems]
    for (_, message), (_, want) in zip(got, problems, strict=True):
        assert want in message
    for value in item.values():
        if isinstance(value, str) and len(value) > 3:
            assert value not in str(err.value)


def test_every_bad_evidence_path_is_reported_at_once() -> None:
    data = _data(kind="photo", title="")
    data["evidence"] += ["not an object", {"kind": "consent", "title": "ok", "date": 5}]
    data["patient"]["name"] = ""
    with pytest.raises(ClaimDataError) as err:
        Claim.from_dict(data)
    assert [p for p, _ in err.value.problems] == [
        "patient.name",
        "evidence[0].kind",
        "evidence[0].title",
        "evidence[1]",
        "evidence[2].date",
    ]


@pytest.mark.parametrize("junk", ["a list?", 5, {"kind": "consent"}, None])
def test_evidence_that_is_not_a_list(junk: object) -> None:
    data = _data()
    data["evidence"] = junk
    if junk is None:
        assert Claim.from_dict(data).evidence == ()
        return
    with pytest.raises(ClaimDataError, match=r"evidence: expected a list of evidence items"):
        Claim.from_dict(data)


@pytest.mark.parametrize(
    ("enclosures", "path", "message"),
    [
        ("Consent form", "facts.enclosures", "expected a list of strings"),
        (["ok", " "], "facts.enclosures[1]", "must not be empty"),
        (["two\nlines"], "facts.enclosures[0]", "must be one line"),
        ([3], "facts.enclosures[0]", "expected a string, got int"),
    ],
)
def test_bad_old_enclosure_lists_are_named(enclosures: object, path: str, message: str) -> None:
    data = _data()
    data["facts"]["enclosures"] = enclosures
    with pytest.raises(ClaimDataError, match=re.escape(f"{path}: {message}")):
        Claim.from_dict(data)


def test_the_schema_describes_evidence() -> None:
    schema = claim_schema()["properties"]["evidence"]
    item = schema["items"]
    assert item["required"] == ["kind", "title"]
    assert item["properties"]["kind"]["enum"] == KINDS
    assert set(item["properties"]) == {"kind", "title", "date", "source", "supports"}
    title = re.compile(item["properties"]["title"]["pattern"])
    assert title.search("PHQ-9 results") and not title.search("a\nb") and not title.search(" ")


@pytest.mark.parametrize("code", example_codes())
def test_every_example_claim_holds_evidence_the_schema_accepts(code: str) -> None:
    claim = example_claim(code)
    assert claim.evidence
    item = claim_schema()["properties"]["evidence"]["items"]["properties"]
    for e in json.loads(claim.to_json())["evidence"]:
        assert e["kind"] in item["kind"]["enum"]
        assert re.search(item["title"]["pattern"], e["title"])
        assert all(re.search(item["supports"]["items"]["pattern"], s) for s in e["supports"])
        for name in e["supports"]:  # evidence supports facts the claim has
            assert name in claim.facts
