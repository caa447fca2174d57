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


# -- 3. several active coverages -------------------------------------------------------------
SOPT = "https://nahdo.org/sopt"
V2 = "http://terminology.hl7.org/CodeSystem/v2-0203"
MBI = "7KQ2XF3RW45"


def _org(rid: str, name: str) -> dict[str, Any]:
    return {"resourceType": "Organization", "id": rid, "name": name}


def _coverage(
    rid: str, payer: str, member: str, *, sopt: str | None = None, kind: str = "MB", **extra: Any
) -> dict[str, Any]:
    cov: dict[str, Any] = {
        "resourceType": "Coverage",
        "id": rid,
        "status": "active",
        "beneficiary": {"reference": "Patient/p"},
        "payor": [{"reference": f"Organization/{payer}"}],
        "identifier": [
            {"type": {"coding": [{"system": V2, "code": kind}]}, "value": member},
        ],
        **extra,
    }
    if sopt is not None:
        cov["type"] = {"coding": [{"system": SOPT, "code": sopt}]}
    return cov


def _medicare_and_medigap(medicare_name: str = "Medicare") -> list[dict[str, Any]]:
    return [
        _org("cms", medicare_name),
        _org("gap", "AARP Medicare Supplement"),
        _coverage("medicare", "cms", MBI, sopt="121", order=1),  # Medicare fee-for-service
        _coverage("medigap", "gap", "GAP-0042-17", sopt="5", order=2),
    ]


def _fill(
    resources: list[dict[str, Any]], payer: str, plan: str, member: str = MBI
) -> record.Filled:
    from denialkit.claim import Payer
    from denialkit.letters import example_claim

    claim = example_claim("CCM21")
    claim = claim.evolve(
        payer=Payer(name=payer, plan_type=plan),
        patient=claim.patient.__class__(
            **{**_fields(claim.patient), "member_id": member},
        ),
    )
    bundle = {
        "resourceType": "Bundle",
        "type": "collection",
        "entry": [{"resource": r} for r in resources],
    }
    return record.fill(claim, record.read(json.dumps(bundle).encode()), month="2026-09")


def _fields(obj: object) -> dict[str, Any]:
    import attrs

    return {f.name: getattr(obj, f.name) for f in attrs.fields(type(obj)) if f.init}


def _origin(filled: record.Filled, fact: str) -> record.Origin:
    return next(o for o in filled.origins if o.fact == fact)


def test_without_a_claim_several_coverages_give_no_member_id() -> None:
    found = _read(*_medicare_and_medigap())
    assert "member_id" in found.missing and "payer_name" in found.missing
    assert (None, "several active coverages disagree") in _notes(found, "member_id")


@pytest.mark.parametrize(
    ("payer", "plan", "chosen", "how"),
    [
        ("Medicare", "medicare", "medicare", "name"),
        # the claim's words are in both payers' names: the plan type decides
        ("Medicare", "medicare", "medicare", "name and plan type"),
        # neither is a Medicare Advantage plan (by its type): neither is the claim's
        ("medicare", "medicare-advantage", None, "kind"),
        ("AARP Medicare Supplement", "commercial", "medigap", "name"),
        ("Noridian JF", "medicare", "medicare", "plan type"),
        ("Acme Health", "commercial", None, None),
    ],
)
def test_fill_chooses_the_coverage_of_the_claims_payer(
    payer: str, plan: str, chosen: str | None, how: str | None
) -> None:
    resources = _medicare_and_medigap("Medicare" if how == "name" else "CMS Medicare Part B")
    filled = _fill(resources, payer, plan)
    found = filled.record_facts
    if chosen is None:
        assert "member_id" in found.missing
        why = (
            "no active coverage is the claim's kind of plan (by Coverage.type or its "
            "identifiers' types); their member ids and payers are not the claim's"
            if how == "kind"
            else "several active coverages disagree, and none is the claim's payer by name or "
            "plan type"
        )
        assert (None, why) in _notes(found, "member_id")
        return
    member = found.facts["member_id"]
    assert member.source == f"Coverage/{chosen}"
    assert (
        f"Coverage/{chosen}",
        f"several active coverages; this one is the claim's payer (by {how})",
    ) in _notes(found, "member_id")
    payer_fact = found.facts["payer_name"]
    assert payer_fact.source == ("Organization/cms" if chosen == "medicare" else "Organization/gap")
    if chosen == "medicare":
        assert member.value == MBI
        assert _origin(filled, "member_id").agrees is True


def test_medicaid_and_its_managed_care_plan() -> None:
    resources = [
        _org("state", "Ohio Department of Medicaid"),
        _org("mco", "CareSource"),
        _coverage("ffs", "state", "123456789012", sopt="2", kind="MA"),
        _coverage("mco", "mco", "CS99887766", sopt="21"),
    ]
    assert "member_id" in _read(*resources).missing
    by_plan_name = _fill(resources, "CareSource", "medicaid", member="CS99887766")
    assert by_plan_name.record_facts.facts["member_id"].source == "Coverage/mco"
    assert _origin(by_plan_name, "member_id").agrees is True
    state = _fill(resources, "Ohio Medicaid", "medicaid", member="123456789012")
    assert state.record_facts.facts["member_id"].source == "Coverage/ffs"
    # both are Medicaid plans, and the claim's payer is named by neither: no choice
    neither = _fill(resources, "Buckeye Health", "medicaid", member="X1")
    assert "member_id" in neither.record_facts.missing


def test_a_plan_class_name_names_the_payer() -> None:
    resources = _medicare_and_medigap()
    resources[3]["class"] = [
        {
            "type": {
                "coding": [
                    {
                        "system": "http://terminology.hl7.org/CodeSystem/coverage-class",
                        "code": "plan",
                    }
                ]
            },
            "value": "G",
            "name": "Plan G Supplement",
        }
    ]
    filled = _fill(resources, "Plan G Supplement", "commercial", member="GAP-0042-17")
    assert filled.record_facts.facts["member_id"].source == "Coverage/medigap"


def test_the_coverage_order_alone_does_not_choose() -> None:
    # order 1 is the primary payer, but a claim may be the secondary's
    filled = _fill(_medicare_and_medigap(), "Acme Health", "commercial")
    assert "member_id" in filled.record_facts.missing


def test_a_medicare_claim_takes_the_mbi_over_a_plan_member_number() -> None:
    cov = _coverage("medicare", "cms", "MEM-0042", sopt="1")
    cov["identifier"].append(
        {"type": {"coding": [{"system": V2, "code": "MC"}]}, "value": MBI},
    )
    resources = [_org("cms", "Medicare"), cov]
    # without a claim, the member number (MB) is the member id, as before
    assert _read(*resources).facts["member_id"].value == "MEM-0042"
    filled = _fill(resources, "Medicare", "medicare")
    member = filled.record_facts.facts["member_id"]
    assert (member.value, member.sources[0].path) == (MBI, "Coverage.identifier[1].value")
    assert _origin(filled, "member_id").agrees is True
    # a Medicare Advantage plan's claim needs the plan's own member number, even when the
    # plan's coverage also holds the Medicare number
    cov["type"]["coding"][0]["code"] = "111"  # Medicare HMO
    advantage = _fill(resources, "Medicare", "medicare-advantage", member="MEM-0042")
    assert advantage.record_facts.facts["member_id"].value == "MEM-0042"


def test_a_subscriber_id_that_is_an_mbi_serves_a_medicare_claim() -> None:
    cov = _coverage("medicare", "cms", "MEM-0042")
    cov["subscriberId"] = MBI
    filled = _fill([_org("cms", "Medicare"), cov], "Medicare", "medicare")
    assert filled.record_facts.facts["member_id"].sources[0].path == "Coverage.subscriberId"


def test_a_medicare_coverage_without_an_mbi_is_noted() -> None:
    filled = _fill(
        [_org("cms", "Medicare"), _coverage("medicare", "cms", "123456789A")],
        "Medicare",
        "medicare",
    )
    assert filled.record_facts.facts["member_id"].value == "123456789A"
    assert ("Coverage/medicare", "no id of this coverage is a well-formed MBI") in _notes(
        filled.record_facts, "member_id"
    )


def test_coverage_notes_hold_no_patient_value() -> None:
    filled = _fill(_medicare_and_medigap(), "Medicare", "medicare")
    text = repr(filled) + json.dumps(filled.record_facts.to_dict()["notes"])
    for value in ("GAP-0042-17", "AARP", "Supplement"):
        assert value not in text


# -- 4. care team, procedure, encounter and status shapes -----------------------------------
def test_a_participant_acting_on_behalf_of_an_organization_is_still_the_person(
    cocm: Bundle, find: Find, facts_of: FactsOf
) -> None:
    part = find(cocm, "cocm-team")["participant"][0]
    part["onBehalfOf"] = {"reference": "Organization/cocm-payer", "display": "Acme Clinic"}
    found = facts_of(cocm)
    assert found.facts["care_manager_name"].value == "Dana Whitfield, LCSW"


@pytest.mark.parametrize(
    ("member", "shown"),
    [
        (
            {"reference": "Organization/cocm-payer", "display": "Acme Care Management"},
            "Organization",
        ),
        (
            {"reference": "Organization/elsewhere", "display": "Acme Care Management"},
            "Organization",
        ),
        ({"type": "CareTeam", "display": "Acme Care Management"}, "CareTeam"),
        ({"reference": "RelatedPerson/rp1", "display": "Acme Care Management"}, "RelatedPerson"),
        (
            {"reference": "Organization?identifier=http://x|1", "display": "Acme Care Management"},
            "Organization",
        ),
    ],
)
def test_an_organization_in_the_role_is_not_the_care_manager(
    cocm: Bundle, find: Find, facts_of: FactsOf, member: dict[str, Any], shown: str
) -> None:
    find(cocm, "cocm-team")["participant"][0]["member"] = member
    found = facts_of(cocm)
    # its display names an organization or a team, which no letter may call the care manager
    assert "care_manager_name" in found.missing
    assert (
        "CareTeam/cocm-team",
        f"participant 0 in the role is a {shown}, not a practitioner; not used",
    ) in _notes(found, "care_manager_name")


def test_a_member_known_only_by_display_is_still_read(
    cocm: Bundle, find: Find, facts_of: FactsOf
) -> None:
    find(cocm, "cocm-team")["participant"][0]["member"] = {"display": "Dana Whitfield, LCSW"}
    assert facts_of(cocm).facts["care_manager_name"].value == "Dana Whitfield, LCSW"


def test_a_practitioner_role_without_a_practitioner_gives_no_name(
    cocm: Bundle, find: Find, facts_of: FactsOf
) -> None:
    del find(cocm, "cocm-psychiatry")["practitioner"]
    found = facts_of(cocm)
    assert "psychiatric_consultant_name" in found.missing
    assert _notes(found, "psychiatric_consultant_name") == [
        ("PractitionerRole/cocm-psychiatry", "has the role but gives no name for the person")
    ]


@pytest.mark.parametrize("element", ["occurrencePeriod", "performedPeriod"])
def test_a_procedure_period_under_its_r4_or_r5_name(
    cocm: Bundle, find: Find, facts_of: FactsOf, element: str
) -> None:
    proc = find(cocm, "cocm-time-2")
    proc[element] = proc.pop("performedPeriod")
    found = facts_of(cocm)
    minutes = found.facts["care_manager_minutes"]
    assert minutes.value == 75
    assert minutes.sources[1].path == f"Procedure.{element}"


def test_an_r5_procedure_occurrence_without_a_duration_is_noted(
    cocm: Bundle, find: Find, facts_of: FactsOf
) -> None:
    proc = find(cocm, "cocm-time-2")
    proc["occurrenceDateTime"] = proc.pop("performedPeriod")["start"]
    found = facts_of(cocm)
    assert found.facts["care_manager_minutes"].value == 50
    assert (
        "Procedure/cocm-time-2",
        "records no duration; units are never turned into minutes",
    ) in _notes(found, "care_manager_minutes")


def test_an_encounter_timed_by_its_r5_actual_period(
    bhi: Bundle, find: Find, facts_of: FactsOf
) -> None:
    enc = find(bhi, "bhi-time-2")
    del enc["length"]
    enc["actualPeriod"] = {"start": "2026-09-16T13:30:00-04:00", "end": "2026-09-16T13:40:00-04:00"}
    del enc["period"]
    enc["status"] = "completed"  # R5's word for finished
    found = facts_of(bhi)
    minutes = found.facts["care_manager_minutes"]
    assert minutes.value == 37
    assert minutes.sources[1].path == "Encounter.actualPeriod"


def test_a_period_wins_over_an_actual_period(bhi: Bundle, find: Find, facts_of: FactsOf) -> None:
    enc = find(bhi, "bhi-time-2")
    del enc["length"]
    enc["period"] = {"start": "2026-09-16T13:30:00-04:00", "end": "2026-09-16T13:40:00-04:00"}
    enc["actualPeriod"] = {"start": "2026-09-16T13:30:00-04:00", "end": "2026-09-16T15:40:00-04:00"}
    found = facts_of(bhi)
    assert found.facts["care_manager_minutes"].value == 37
    assert found.facts["care_manager_minutes"].sources[1].path == "Encounter.period"


@pytest.mark.parametrize(
    ("rid", "fact", "left"),
    [
        ("cocm-consent", "consent_date", None),
        ("cocm-plan", "care_plan_date", None),
        ("phq9-2026-09-28", "rating_scale_scores", "18 on September 3, 2026"),
        ("cocm-time-3", "care_manager_minutes", 55),
        ("cocm-team", "care_manager_name", None),
        ("cocm-coverage", "member_id", None),
        ("cocm-eob", "claim_number", None),
    ],
)
def test_entered_in_error_sets_aside_every_type_read(
    cocm: Bundle, find: Find, facts_of: FactsOf, rid: str, fact: str, left: object
) -> None:
    find(cocm, rid)["status"] = "entered-in-error"
    found = facts_of(cocm)
    if left is None:
        assert fact in found.missing
    else:
        assert found.facts[fact].value == left
    kind = find(cocm, rid)["resourceType"]
    assert (f"{kind}/{rid}", "marked entered-in-error; ignored") in [
        (n.resource, n.message) for n in found.notes
    ]


def test_a_response_entered_in_error_is_set_aside(
    bhi: Bundle, find: Find, facts_of: FactsOf
) -> None:
    find(bhi, "gad7-2026-09-24")["status"] = "entered-in-error"
    found = facts_of(bhi)
    assert found.facts["rating_scale_scores"].value == "14 on September 2, 2026"


def test_a_score_contained_in_a_report_entered_in_error_is_not_used(
    cocm: Bundle, find: Find, facts_of: FactsOf
) -> None:
    obs = find(cocm, "phq9-2026-09-28")
    inner = dict(obs, id="phq9")
    report = {
        "resourceType": "DiagnosticReport",
        "id": "r1",
        "status": "entered-in-error",
        "code": {"text": "PHQ-9"},
        "contained": [inner],
        "result": [{"reference": "#phq9"}],
    }
    cocm["entry"] = [e for e in cocm["entry"] if e["resource"] is not obs]
    cocm["entry"].append({"resource": report})
    found = facts_of(cocm)
    assert found.facts["rating_scale_scores"].value == "18 on September 3, 2026"
    assert ("DiagnosticReport/r1#phq9", "marked entered-in-error; ignored") in _notes(
        found, "rating_scale_scores"
    )
    report["status"] = "final"
    assert facts_of(cocm).facts["rating_scale_scores"].value.endswith("12 on September 28, 2026")


def test_shapes_of_this_round_put_no_patient_value_in_notes_or_reprs(
    cocm: Bundle, find: Find, facts_of: FactsOf
) -> None:
    find(cocm, "cocm-team")["participant"][0]["member"] = {
        "reference": "Organization/x",
        "display": "Zoë Nguyễn",
        "type": "Zoë Nguyễn",
    }
    qr = _response(_answered(PHQ9_ITEMS, TWELVE), subject={"reference": "Patient/cocm-patient"})
    cocm["entry"].append({"resource": qr})
    found = facts_of(cocm)
    rec = record.read(json.dumps(cocm).encode())
    shown = json.dumps(found.to_dict()["notes"]) + repr(found) + repr(rec)
    shown += "".join(repr(v) for v in rec.of_type(record.QuestionnaireResponse))
    shown += "".join(repr(a) for v in rec.of_type(record.QuestionnaireResponse) for a in v.answers)
    for value in ("Zoë", "Nguyễn", "LA6570"):
        assert value not in shown


@pytest.mark.parametrize("display", ["private", "NO_INSURANCE", "Self-pay", "unknown"])
def test_a_payor_named_by_a_kind_of_plan_is_no_payer_name(display: str) -> None:
    cov = _coverage("c1", "nowhere", "M1")
    cov["payor"] = [{"display": display}]
    found = _read(cov)
    assert "payer_name" in found.missing
    assert _notes(found, "payer_name") == [
        ("Coverage/c1", "its payor is named by a kind of plan, not a payer")
    ]
    cov["payor"] = [{"display": "Medicare"}]
    assert _read(cov).facts["payer_name"].value == "Medicare"


def test_synthea_2019_payors_named_private_give_no_payer(shared_fhir: Path) -> None:
    source = next((shared_fhir / "synthea-2019-generated-sample-data").glob("*.json"))
    found = record.facts(record.read(source), code="CCM21", month="2019-01")
    assert "payer_name" in found.missing
    assert {m for _, m in _notes(found, "payer_name")} == {
        "its payor is named by a kind of plan, not a payer"
    }


def test_a_written_total_that_is_not_its_items_sum_is_noted_and_used() -> None:
    items = _answered(PHQ9_ITEMS, TWELVE)
    items.append({"linkId": "/44261-6", "answer": [{"valueInteger": 14}]})
    found = _read(_response(items))
    assert found.facts["rating_scale_scores"].value == "14 on September 10, 2026"
    assert _notes(found, "rating_scale_scores") == [
        (
            "QuestionnaireResponse/qr",
            "the PHQ-9 total written is not the sum of its item answers; the total written is used",
        )
    ]


def test_a_total_a_data_absent_reason_stands_for_is_noted() -> None:
    reason = {
        "coding": [
            {
                "system": "http://terminology.hl7.org/CodeSystem/data-absent-reason",
                "code": "asked-declined",
            }
        ]
    }
    found = _read(_total(dataAbsentReason=reason))
    assert _notes(found, "rating_scale_scores") == [
        ("Observation/phq9", "has no numeric score (a dataAbsentReason stands for it)")
    ]


def test_an_r5_participant_coverage_period_bounds_the_role(
    cocm: Bundle, find: Find, facts_of: FactsOf
) -> None:
    part = find(cocm, "cocm-team")["participant"][0]
    part["coveragePeriod"] = {"start": "2026-01-01", "end": "2026-08-15"}
    assert "care_manager_name" in facts_of(cocm).missing
    part["coveragePeriod"] = {"start": "2026-01-01"}
    assert facts_of(cocm).facts["care_manager_name"].value == "Dana Whitfield, LCSW"


JUNK: list[Any] = [None, "", "💥", 7, True, [], {}, [None, 3, "x"], {"value": "💥"}]


@pytest.mark.parametrize("junk", JUNK)
def test_junk_in_the_elements_read_this_round_is_absent(junk: Any) -> None:
    qr = _response(
        [
            {"linkId": "/44250-9", "answer": [{"valueCoding": {"extension": junk, "code": junk}}]},
            {"linkId": "/44255-8", "answer": junk},
            {"linkId": junk, "answer": [{"valueInteger": junk}, {"valueCodeableConcept": junk}]},
        ],
        questionnaire="Questionnaire/f",
    )
    form = {
        "resourceType": "Questionnaire",
        "id": "f",
        "item": [{"linkId": "a", "code": junk, "answerOption": junk}, junk],
    }
    panel = _total("panel", "44249-1", component=[{"code": junk, "valueCodeableConcept": junk}])
    cov = _coverage("c", "o", "M1", order=junk, subscriberId=junk, type=junk)
    cov["class"] = [junk, {"type": junk, "name": junk}]
    cov["identifier"].append({"type": junk, "value": junk, "period": junk})
    proc = {
        "resourceType": "Procedure",
        "id": "p",
        "status": "completed",
        "code": {"coding": [{"code": "99492"}]},
        "occurrencePeriod": junk,
        "occurrenceDateTime": junk,
    }
    enc = {
        "resourceType": "Encounter",
        "id": "e",
        "status": "completed",
        "type": [{"coding": [{"code": "99492"}]}],
        "actualPeriod": junk,
    }
    team = {
        "resourceType": "CareTeam",
        "id": "t",
        "participant": [
            {
                "role": [{"coding": [{"system": SNOMED, "code": "768820003"}]}],
                "member": {"reference": junk, "type": junk, "display": "Dana"},
                "onBehalfOf": junk,
                "coveragePeriod": junk,
            }
        ],
    }
    found = _read(qr, form, panel, cov, proc, enc, team)
    assert "rating_scale_scores" in found.missing
    assert "care_manager_minutes" in found.missing
    filled = _fill([cov], "Medicare", "medicare", member="M1")
    assert filled.record_facts.code == "CCM21"


def test_a_number_on_a_panel_code_is_noted_not_read() -> None:
    found = _read(_total("panel", "44249-1", valueInteger=12))
    assert "rating_scale_scores" in found.missing
    assert _notes(found, "rating_scale_scores") == [
        (
            "Observation/panel",
            "has a value of its own under the PHQ-9 panel's code (44249-1); only a total's "
            "code (44261-6) is read as a score",
        )
    ]


def test_an_unresolved_payor_is_noted_once_when_the_claim_chooses() -> None:
    resources = _medicare_and_medigap()
    resources[3]["payor"] = [{"reference": "Organization/gone"}]
    filled = _fill(resources, "Medicare", "medicare")
    assert filled.record_facts.facts["member_id"].source == "Coverage/medicare"
    messages = [n.message for n in filled.record_facts.notes]
    assert messages.count("Coverage.payor[0] (relative reference) does not resolve") == 1


def test_a_consent_whose_provision_denies_is_a_refusal(
    cocm: Bundle, find: Find, facts_of: FactsOf
) -> None:
    consent = find(cocm, "cocm-consent")
    consent["provision"] = {"type": "deny", "period": {"start": "2026-09-02"}}
    found = facts_of(cocm)
    assert "consent_date" in found.missing
    assert _notes(found, "consent_date") == [
        ("Consent/cocm-consent", "its provision denies (type deny): a refusal, not a consent")
    ]
    # a permit with a deny exception nested in it (data not to share) is still a consent
    consent["provision"] = {"type": "permit", "provision": [{"type": "deny"}]}
    assert str(facts_of(cocm).facts["consent_date"].value) == "2026-09-02"


def test_only_the_chosen_coverage_is_held_to_the_mbi() -> None:
    filled = _fill(_medicare_and_medigap(), "Medicare", "medicare")
    # the Medigap plan's number is no MBI, and need not be: it is not the claim's coverage
    assert not any("MBI" in m for _, m in _notes(filled.record_facts, "member_id"))


def test_two_copies_of_one_coverage_still_give_the_mbi() -> None:
    one = _coverage("a", "cms", "MEM-0042", sopt="1")
    one["identifier"].append({"type": {"coding": [{"system": V2, "code": "MC"}]}, "value": MBI})
    two = dict(copy.deepcopy(one), id="b")
    filled = _fill([_org("cms", "Medicare"), one, two], "Medicare", "medicare")
    assert filled.record_facts.facts["member_id"].value == MBI


def test_one_score_coded_in_loinc_and_again_in_snomed_is_counted_once() -> None:
    loinc = _total("a", valueInteger=15)
    snomed = _total("b", valueInteger=15)
    snomed["code"] = {"coding": [{"system": SNOMED, "code": "720433000"}]}
    found = _read(loinc, snomed)
    assert found.facts["rating_scale_scores"].value == "15 on September 10, 2026"
    assert len(found.facts["rating_scale_scores"].sources) == 1


@pytest.mark.parametrize(
    ("rid", "fact", "left"),
    [
        ("bhi-time-2", "care_manager_minutes", 27),
        ("gad7-2026-09-24", "rating_scale_scores", "14 on September 2, 2026"),
        ("bhi-plan", "care_plan_date", None),
    ],
)
def test_entered_in_error_sets_aside_encounters_responses_and_plans(
    bhi: Bundle, find: Find, facts_of: FactsOf, rid: str, fact: str, left: object
) -> None:
    find(bhi, rid)["status"] = "entered-in-error"
    found = facts_of(bhi)
    assert (found.facts[fact].value if left is not None else None) == left
    assert any(m == "marked entered-in-error; ignored" for _, m in _notes(found, fact))


def _panel_with_members(scores: tuple[int, ...] = TWELVE) -> list[dict[str, Any]]:
    """A US Core PHQ-9 panel whose items are Observations of their own (``hasMember``)."""
    items = [
        _total(
            f"item-{code}",
            code,
            valueCodeableConcept={"coding": [_coding(score)], "text": "answer"},
        )
        for code, score in zip(PHQ9_ITEMS, scores, strict=True)
    ]
    panel = _total("panel", "44249-1")
    panel["hasMember"] = [{"reference": f"Observation/{i['id']}"} for i in items]
    return [panel, *items]


def test_a_panel_whose_members_are_its_items_gives_their_sum() -> None:
    found = _read(*_panel_with_members())
    scores = found.facts["rating_scale_scores"]
    assert scores.value == "12 on September 10, 2026"
    assert [(s.resource, s.path) for s in scores.sources] == [
        ("Observation/panel", "Observation.hasMember")
    ]
    assert _notes(found, "rating_scale_scores") == [
        ("Observation/panel", "writes no PHQ-9 total; it is the sum of its 9 item answers")
    ]


def test_a_panel_with_a_total_member_is_read_through_that_member() -> None:
    resources = _panel_with_members()
    resources.append(_total("phq9-total", valueInteger=12))
    resources[0]["hasMember"].append({"reference": "Observation/phq9-total"})
    found = _read(*resources)
    assert found.facts["rating_scale_scores"].source == "Observation/phq9-total"
    assert _notes(found, "rating_scale_scores") == []


@pytest.mark.parametrize(
    "change",
    [
        lambda rs: rs.pop(),  # a member the export left out
        lambda rs: rs[-1].__setitem__("status", "preliminary"),
        lambda rs: rs[-1].__setitem__("status", "entered-in-error"),
    ],
)
def test_a_panel_missing_a_usable_member_is_not_summed(
    change: Callable[[list[dict[str, Any]]], object],
) -> None:
    resources = _panel_with_members()
    change(resources)
    found = _read(*resources)
    assert "rating_scale_scores" in found.missing
    assert (
        "Observation/panel",
        "writes no PHQ-9 total and answers 8 of its 9 items; not computed",
    ) in _notes(found, "rating_scale_scores")


def test_the_us_core_panel_without_its_members_says_so(shared_fhir: Path) -> None:
    source = shared_fhir / "us-core-examples" / "Observation-PHQ9-panel-example-44249-1.json"
    found = record.facts(record.read(source), code="CCM21", month="2022-11")
    assert "rating_scale_scores" in found.missing
    assert _notes(found, "rating_scale_scores") == [
        (
            "Observation/PHQ9-panel-example-44249-1",
            "a PHQ-9 panel none of whose members (hasMember) is in the record",
        )
    ]


def test_a_lone_coverage_of_another_kind_of_plan_is_not_the_claims() -> None:
    # the record holds only the Medigap plan; the claim is original Medicare's
    resources = _medicare_and_medigap()
    del resources[2]
    filled = _fill(resources, "Medicare", "medicare")
    found = filled.record_facts
    assert "member_id" in found.missing and "payer_name" in found.missing
    assert (
        None,
        "no active coverage is the claim's kind of plan (by Coverage.type or its identifiers' "
        "types); their member ids and payers are not the claim's",
    ) in _notes(found, "member_id")
    assert filled.conflicts == ()
    # without a claim, the record's one coverage is still read
    assert _read(*resources).facts["member_id"].value == "GAP-0042-17"
    # a coverage that does not say its kind may be the claim's: it is read, and compared
    del resources[2]["type"]
    filled = _fill(resources, "Medicare", "medicare")
    assert filled.record_facts.facts["member_id"].value == "GAP-0042-17"
    assert [c.fact for c in filled.conflicts] == ["member_id", "payer_name"]


def test_a_coverage_typed_only_medicare_may_be_a_medicare_advantage_plan() -> None:
    # SOPT 1 is Medicare, managed care or not; a Medicare number (MC) is an MA member's too
    typed = _coverage("plan", "cms", "H1234-0042", sopt="1")
    by_id = _coverage("plan", "cms", MBI, kind="MC")
    for cov in (typed, by_id):
        filled = _fill([_org("cms", "Humana Gold Plus"), cov], "Humana", "medicare-advantage")
        assert "member_id" in filled.record_facts.facts


def test_a_consent_in_force_only_after_the_month_is_not_the_months(
    cocm: Bundle, find: Find, facts_of: FactsOf
) -> None:
    consent = find(cocm, "cocm-consent")
    consent["provision"] = {"type": "permit", "period": {"start": "2026-10-01"}}
    found = facts_of(cocm)
    assert "consent_date" in found.missing
    assert _notes(found, "consent_date") == [
        ("Consent/cocm-consent", "its provision starts after the billed month")
    ]
    assert str(facts_of(cocm, "2026-10").facts["consent_date"].value) == "2026-09-02"
