"""Shapes of real exports, round 10: how EHRs write rating-scale scores (a total in every value
type, inside a panel, or not at all beside item answers scored by ordinal values), several
active coverages, and care-team, procedure, encounter and status shapes. Each test builds the
FHIR JSON and checks what a user sees: the facts, notes and evidence the record gives."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from denialkit import record

Bundle = dict[str, Any]
Find = Callable[[Bundle, str], dict[str, Any]]
FactsOf = Callable[..., record.RecordFacts]

LOINC = "http://loinc.org"
SNOMED = "http://snomed.info/sct"
ORDINAL = "http://hl7.org/fhir/StructureDefinition/ordinalValue"
ITEM_WEIGHT = "http://hl7.org/fhir/StructureDefinition/itemWeight"
PHQ9_ITEMS = (
    "44250-9",
    "44255-8",
    "44259-0",
    "44254-1",
    "44251-7",
    "44258-2",
    "44252-5",
    "44253-3",
    "44260-8",
)
GAD7_ITEMS = ("69725-0", "68509-3", "69733-4", "69734-2", "69735-9", "69689-8", "69736-7")
#: LOINC answer list LL358-3, by score
ANSWERS = ("LA6568-5", "LA6569-3", "LA6570-1", "LA6571-9")
#: item scores that add up to 12
TWELVE = (2, 2, 2, 2, 1, 1, 2, 0, 0)


def _notes(found: record.RecordFacts, fact: str) -> list[tuple[str | None, str]]:
    return [(n.resource, n.message) for n in found.notes if n.fact == fact]


def _read(*resources: dict[str, Any], month: str = "2026-09") -> record.RecordFacts:
    bundle = {
        "resourceType": "Bundle",
        "type": "collection",
        "entry": [{"resource": r} for r in resources],
    }
    return record.facts(record.read(json.dumps(bundle).encode()), code="CCM21", month=month)


def _total(rid: str = "phq9", code: str = "44261-6", **value: Any) -> dict[str, Any]:
    return {
        "resourceType": "Observation",
        "id": rid,
        "status": "final",
        "code": {"coding": [{"system": LOINC, "code": code}]},
        "effectiveDateTime": "2026-09-10",
        **value,
    }


def _coding(score: int, **extra: Any) -> dict[str, Any]:
    return {"system": LOINC, "code": ANSWERS[score], **extra}


def _response(items: list[dict[str, Any]], **extra: Any) -> dict[str, Any]:
    return {
        "resourceType": "QuestionnaireResponse",
        "id": "qr",
        "status": "completed",
        "authored": "2026-09-10T10:00:00-05:00",
        "item": items,
        **extra,
    }


def _answered(codes: tuple[str, ...], scores: tuple[int, ...], **how: Any) -> list[dict[str, Any]]:
    """Items whose linkIds are their LOINC codes (as LHC-Forms and US Core write them), each
    answered with the LL358-3 coding of its score (or as ``how`` builds the answer)."""
    build = how.get("answer", lambda s: {"valueCoding": _coding(s)})
    return [
        {"linkId": f"/{code}", "answer": [build(score)]}
        for code, score in zip(codes, scores, strict=True)
    ]


# -- 1. a total, written in every way EHRs write it ------------------------------------------
@pytest.mark.parametrize(
    ("value", "path"),
    [
        ({"valueInteger": 12}, "Observation.valueInteger"),
        ({"valueQuantity": {"value": 12}}, "Observation.valueQuantity.value"),
        (
            {
                "valueQuantity": {
                    "value": 12,
                    "unit": "{score}",
                    "system": "http://unitsofmeasure.org",
                }
            },
            "Observation.valueQuantity.value",
        ),
        ({"valueString": "12"}, "Observation.valueString"),
        ({"valueString": "12 points"}, "Observation.valueString"),
        ({"valueString": " 12 pts "}, "Observation.valueString"),
        ({"valueDecimal": 12.0}, "Observation.valueDecimal"),
    ],
)
def test_a_total_in_every_value_type_real_ehrs_write(value: dict[str, Any], path: str) -> None:
    found = _read(_total(**value))
    scores = found.facts["rating_scale_scores"]
    assert scores.value == "12 on September 10, 2026"
    assert scores.sources[0].path == path
    assert found.facts["rating_scale"].value == "PHQ-9"
    assert _notes(found, "rating_scale_scores") == []


@pytest.mark.parametrize(
    ("value", "element"),
    [
        (
            {"valueCodeableConcept": {"coding": [{"system": SNOMED, "code": "12"}], "text": "12"}},
            "valueCodeableConcept",
        ),
        ({"valueString": "moderate depression"}, "valueString"),
        ({"valueString": "12 of 27, moderate"}, "valueString"),
    ],
)
def test_a_total_that_holds_no_number_alone_is_noted_by_its_element(
    value: dict[str, Any], element: str
) -> None:
    found = _read(_total(**value))
    assert "rating_scale_scores" in found.missing
    assert _notes(found, "rating_scale_scores") == [
        ("Observation/phq9", f"has no numeric score ({element} holds no number)")
    ]


def test_interpretation_changes_nothing() -> None:
    high = {
        "coding": [
            {
                "system": "http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation",
                "code": "H",
            }
        ]
    }
    with_it = _read(_total(valueInteger=12, interpretation=[high]))
    without = _read(_total(valueInteger=12))
    assert with_it.to_dict() == without.to_dict()


def test_a_phq9_total_coded_in_snomed_ct() -> None:
    obs = _total(valueInteger=15)
    obs["code"] = {"coding": [{"system": SNOMED, "code": "720433000"}], "text": "PHQ-9 score"}
    found = _read(obs)
    assert found.facts["rating_scale"].value == "PHQ-9"
    assert found.facts["rating_scale_scores"].value == "15 on September 10, 2026"
    (item,) = found.evidence()
    assert item.title == "Observation/phq9: PHQ-9 score"


def test_a_snomed_total_beside_its_loinc_code_is_one_score() -> None:
    obs = _total(valueInteger=15)
    obs["code"]["coding"].insert(0, {"system": SNOMED, "code": "720433000"})
    found = _read(obs)
    assert found.facts["rating_scale_scores"].value == "15 on September 10, 2026"


def test_a_local_code_alone_is_not_a_scale() -> None:
    obs = _total(valueInteger=15)
    obs["code"] = {
        "coding": [{"system": "urn:oid:1.2.840.114350.1.13.0.1.7.2.707679", "code": "1570000029"}],
        "text": "PHQ-9 Total Score",
    }
    found = _read(obs)
    # free text is never searched: a local code says nothing denialkit can check
    assert "rating_scale" in found.missing
    assert _notes(found, "rating_scale_scores") == []


def test_a_total_only_inside_a_panels_component() -> None:
    panel = _total("panel", "44249-1")
    panel["component"] = [
        {
            "code": {"coding": [{"system": LOINC, "code": c}]},
            "valueCodeableConcept": {"coding": [_coding(s)]},
        }
        for c, s in zip(PHQ9_ITEMS, TWELVE, strict=True)
    ] + [{"code": {"coding": [{"system": LOINC, "code": "44261-6"}]}, "valueInteger": 12}]
    found = _read(panel)
    scores = found.facts["rating_scale_scores"]
    assert scores.value == "12 on September 10, 2026"
    assert scores.sources[0].path == "Observation.component[9].valueInteger"
    # the written total is read; the items are not summed again
    assert _notes(found, "rating_scale_scores") == []


# -- 2. no total written: the sum of the items' answers --------------------------------------
def test_a_response_with_loinc_answers_and_no_total_gives_their_sum() -> None:
    found = _read(_response(_answered(PHQ9_ITEMS, TWELVE)))
    scores = found.facts["rating_scale_scores"]
    assert scores.value == "12 on September 10, 2026"
    (source,) = scores.sources
    assert (source.resource, source.path, source.dated_by) == (
        "QuestionnaireResponse/qr",
        "QuestionnaireResponse.item",
        "QuestionnaireResponse.authored",
    )
    assert _notes(found, "rating_scale_scores") == [
        (
            "QuestionnaireResponse/qr",
            "writes no PHQ-9 total; it is the sum of its 9 item answers",
        )
    ]
    (item,) = found.evidence()
    assert item.title == "QuestionnaireResponse/qr: PHQ-9 questionnaire"


@pytest.mark.parametrize(
    "answer",
    [
        # an ordinal value on a coding of the practice's own answer list
        lambda s: {
            "valueCoding": {
                "system": "http://clinic.example/answers",
                "code": f"A{s}",
                "extension": [{"url": ORDINAL, "valueDecimal": s}],
            }
        },
        # the itemWeight that replaced ordinalValue
        lambda s: {
            "valueCoding": {"code": f"A{s}", "extension": [{"url": ITEM_WEIGHT, "valueDecimal": s}]}
        },
        # a LOINC answer that also carries its weight
        lambda s: {"valueCoding": _coding(s, extension=[{"url": ORDINAL, "valueDecimal": s}])},
        # the score as a whole number
        lambda s: {"valueInteger": s},
    ],
)
def test_item_answers_scored_in_each_way_give_the_sum(answer: Callable[[int], Any]) -> None:
    found = _read(_response(_answered(PHQ9_ITEMS, TWELVE, answer=answer)))
    assert found.facts["rating_scale_scores"].value == "12 on September 10, 2026"


def test_the_record_s_own_weight_wins_over_the_loinc_list() -> None:
    # a form that weighs its answers otherwise: the record says so, and its word is read
    answer = lambda s: {"valueCoding": _coding(s, extension=[{"url": ORDINAL, "valueDecimal": 0}])}  # noqa: E731
    found = _read(_response(_answered(PHQ9_ITEMS, TWELVE, answer=answer)))
    assert found.facts["rating_scale_scores"].value == "0 on September 10, 2026"


def test_nested_items_of_a_gad7_give_its_sum() -> None:
    group = {"linkId": "gad7", "item": _answered(GAD7_ITEMS, (1, 1, 2, 0, 0, 1, 0))}
    found = _read(_response([group]))
    scores = found.facts["rating_scale_scores"]
    assert found.facts["rating_scale"].value == "GAD-7"
    assert scores.value == "5 on September 10, 2026"
    assert scores.sources[0].path == "QuestionnaireResponse.item[0].item"


def test_a_phq2_is_summed_but_not_out_of_a_phq9() -> None:
    phq2 = _read(_response(_answered(PHQ9_ITEMS[:2], (2, 3))))
    assert phq2.facts["rating_scale"].value == "PHQ-2"
    assert phq2.facts["rating_scale_scores"].value == "5 on September 10, 2026"
    phq9 = _read(_response(_answered(PHQ9_ITEMS, TWELVE)))
    assert [s.path for s in phq9.facts["rating_scale_scores"].sources] == [
        "QuestionnaireResponse.item"
    ]


def test_a_written_total_is_read_and_the_items_are_not_summed() -> None:
    items = _answered(PHQ9_ITEMS, TWELVE)
    items.append({"linkId": "/44261-6", "answer": [{"valueDecimal": 12}]})
    found = _read(_response(items))
    assert found.facts["rating_scale_scores"].sources[0].path == (
        "QuestionnaireResponse.item[9].answer[0].valueDecimal"
    )
    assert _notes(found, "rating_scale_scores") == []


def test_the_us_core_phq9_response_without_its_total(shared_fhir: Path) -> None:
    source = shared_fhir / "us-core-examples" / "QuestionnaireResponse-phq-9-example.json"
    qr = json.loads(source.read_text("utf-8"))
    written = _read(copy.deepcopy(qr), month="2022-11")
    qr["item"] = [i for i in qr["item"] if i["linkId"] != "/44261-6"]
    summed = _read(qr, month="2022-11")
    assert summed.facts["rating_scale_scores"].value == (written.facts["rating_scale_scores"].value)


@pytest.mark.parametrize(
    ("change", "why"),
    [
        (lambda items: items.pop(), "answers 8 of its 9 items"),
        (
            lambda items: items[3]["answer"].__setitem__(0, {"valueCoding": {"code": "often"}}),
            "an item answer gives no score (no number, no ordinal value)",
        ),
        (
            lambda items: items[3]["answer"].__setitem__(0, {"valueString": "2"}),
            "an item answer gives no score (no number, no ordinal value)",
        ),
        (
            lambda items: items[3]["answer"].__setitem__(0, {"valueInteger": 4}),
            "an item answer scores outside 0 to 3",
        ),
        (
            lambda items: items.append(copy.deepcopy(items[0])),
            "answers one of its items more than once",
        ),
        (
            lambda items: items[0].__setitem__(
                "modifierExtension", [{"url": "http://example.org/x", "valueBoolean": True}]
            ),
            "an item answer has a modifierExtension, which may change its meaning",
        ),
    ],
)
def test_items_that_do_not_give_the_total_are_noted(
    change: Callable[[list[dict[str, Any]]], object], why: str
) -> None:
    items = _answered(PHQ9_ITEMS, TWELVE)
    change(items)
    found = _read(_response(items))
    assert "rating_scale_scores" in found.missing
    assert (
        "QuestionnaireResponse/qr",
        f"writes no PHQ-9 total and {why}; not computed",
    ) in _notes(found, "rating_scale_scores")


def test_a_form_codes_the_items_and_scores_its_options() -> None:
    form = {
        "resourceType": "Questionnaire",
        "id": "phq9-form",
        "url": "http://clinic.example/Questionnaire/phq9",
        "status": "active",
        "item": [
            {
                "linkId": f"q{n}",
                "type": "choice",
                "code": [{"system": LOINC, "code": code}],
                "answerOption": [
                    {
                        "valueCoding": {"system": "http://clinic.example/cs", "code": f"o{s}"},
                        "extension": [{"url": ORDINAL, "valueDecimal": s}],
                    }
                    for s in range(4)
                ],
            }
            for n, code in enumerate(PHQ9_ITEMS)
        ],
    }
    items = [
        {
            "linkId": f"q{n}",
            "answer": [{"valueCoding": {"system": "http://clinic.example/cs", "code": f"o{s}"}}],
        }
        for n, s in enumerate(TWELVE)
    ]
    qr = _response(items, questionnaire="http://clinic.example/Questionnaire/phq9")
    assert _read(form, qr).facts["rating_scale_scores"].value == "12 on September 10, 2026"
    # without the form, the answers say neither which item they are nor what they score
    alone = _read(qr)
    assert "rating_scale_scores" in alone.missing


def test_a_panel_of_item_components_without_a_total_gives_their_sum() -> None:
    panel = _total("panel", "44249-1")
    panel["component"] = [
        {
            "code": {"coding": [{"system": LOINC, "code": c}]},
            "valueCodeableConcept": {"coding": [_coding(s)], "text": "x"},
        }
        for c, s in zip(PHQ9_ITEMS, TWELVE, strict=True)
    ]
    found = _read(panel)
    scores = found.facts["rating_scale_scores"]
    assert scores.value == "12 on September 10, 2026"
    assert scores.sources[0].path == "Observation.component"
    assert _notes(found, "rating_scale_scores") == [
        ("Observation/panel", "writes no PHQ-9 total; it is the sum of its 9 item answers")
    ]
    panel["component"].pop()
    found = _read(panel)
    assert "rating_scale_scores" in found.missing
    assert _notes(found, "rating_scale_scores") == [
        ("Observation/panel", "writes no PHQ-9 total and answers 8 of its 9 items; not computed")
    ]


def test_a_summed_response_and_the_total_derived_from_it_are_one_score() -> None:
    qr = _response(_answered(PHQ9_ITEMS, TWELVE))
    total = _total(valueInteger=12, effectiveDateTime="2026-09-10T10:00:00-05:00")
    total["derivedFrom"] = [{"reference": "QuestionnaireResponse/qr"}]
    found = _read(qr, total)
    assert found.facts["rating_scale_scores"].value == "12 on September 10, 2026"
    assert [s.resource for s in found.facts["rating_scale_scores"].sources] == ["Observation/phq9"]


def test_item_answers_written_as_decimals_sum_to_a_whole_number() -> None:
    items = _answered(PHQ9_ITEMS, TWELVE, answer=lambda s: {"valueDecimal": float(s)})
    found = _read(_response(items))
    assert found.facts["rating_scale_scores"].value == "12 on September 10, 2026"
