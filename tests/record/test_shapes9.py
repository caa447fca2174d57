"""Shapes of real exports, round 9: how an Observation is dated (``issued``, a period with only
an end, an instant, a Timing), resources denialkit does not read sitting in the same Bundle
(and a Parameters wrapper around one), and searchset, reference, extension, date and code
shapes. Each test builds the FHIR JSON and checks what a user sees: the facts and evidence the
record gives, or their absence with a note."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest

from denialkit import record

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
    assert reported.title == "Observation/phq9-2026-09-28: PHQ-9 score (date reported)"
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


def test_a_claim_stating_a_reported_score_agrees_with_the_record(cocm: Bundle, find: Find) -> None:
    from denialkit.letters import example_claim

    _undate(find(cocm, "phq9-2026-09-28"))["issued"] = "2026-09-28"
    rec = record.read(json.dumps(cocm).encode())
    claim = example_claim("CCM21").evolve(
        facts={"rating_scale_scores": "18 on September 3, 2026 and 12 on September 28, 2026"}
    )
    filled = record.fill(claim, rec, month="2026-09")
    assert not [c for c in filled.conflicts if c.fact == "rating_scale_scores"]
