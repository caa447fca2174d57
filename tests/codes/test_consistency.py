"""The advice never contradicts itself, for any code under any group code or plan type.

A billing team acts on this advice; one wrong "bill the patient" is a compliance problem. These
tests walk every code x group combination (and every remark code as the lead remark of a
generic reason code), so a contradiction cannot come back through a knowledge edit.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

import denialkit
from denialkit.codes import Action, Appealable, Category, CodeSystem, DenialCode
from denialkit.knowledge import Explanation, explain

GROUPS = (None, "CO", "PR", "OA", "PI", "CR")
PLANS = ("medicare", "medicare-advantage", "erisa", "aca", "medicaid", "commercial")


def _contradictions(where: str, category: Category, e: Explanation | DenialCode) -> list[str]:
    group = e.group.code if e.group else None
    found = []
    if e.action is Action.BILL_PATIENT and group not in (None, "PR"):
        found.append(f"{where}: bills the patient under group {group}")
    if e.action is Action.APPEAL and e.appealable is Appealable.NO:
        found.append(f"{where}: recommends an appeal it calls not appealable")
    if e.action is Action.APPEAL and category is Category.INFORMATIONAL:
        found.append(f"{where}: an informational code recommends an appeal")
    return found


def _reason_codes() -> Iterator[DenialCode]:
    for code in denialkit.default_table():
        if code.system in (CodeSystem.CARC, CodeSystem.EXTENSION):
            yield code


def test_every_reason_code_under_every_group_is_consistent() -> None:
    table = denialkit.default_table()
    problems: list[str] = []
    walked = 0
    for code in _reason_codes():
        for g in GROUPS:
            grouped = code.with_group(table.group(g) if g else None)
            problems += _contradictions(f"{g}-{code.code} lookup", code.category, grouped)
            problems += _contradictions(f"{g}-{code.code}", code.category, explain(grouped))
            walked += 1
    assert walked == (407 + 30) * len(GROUPS)
    assert problems == []


def test_every_remark_code_leading_a_generic_reason_is_consistent() -> None:
    # a generic reason code (16, 96, ...) takes its advice from the first remark code
    problems: list[str] = []
    remarks = [c for c in denialkit.default_table() if c.system is CodeSystem.RARC]
    assert len(remarks) == 1216
    for r in remarks:
        for g in GROUPS:
            for reason in ("16", "96"):
                text = f"{g}-{reason}" if g else reason
                e = explain(text, remarks=[r.code])
                category = r.category if not r.is_alert else e.reason.category
                problems += _contradictions(f"{text} {r.code}", category, e)
    assert problems == []


def test_every_code_advice_is_consistent_on_its_own() -> None:
    problems: list[str] = []
    for code in denialkit.default_table():
        for g in GROUPS:
            adv = code.advice(g)
            if adv.action is Action.BILL_PATIENT and g not in (None, "PR"):
                problems.append(f"{code.code} advice under {g} bills the patient")
            if adv.action is Action.APPEAL and adv.appealable is Appealable.NO:
                problems.append(f"{code.code} advice under {g}: appeal, yet not appealable")
            if adv.action is Action.APPEAL and code.category is Category.INFORMATIONAL:
                problems.append(f"{code.code} is informational and recommends an appeal")
    assert problems == []


def test_every_plan_rule_is_consistent_under_every_group() -> None:
    table = denialkit.default_table()
    ruled = [c for c in denialkit.default_table() if c.plan_rules]
    assert ruled, "CO-29 carries the Medicare rule"
    problems: list[str] = []
    for code in ruled:
        for g in GROUPS:
            grouped = code.with_group(table.group(g) if g else None)
            for plan in PLANS:
                e = explain(grouped, plan=plan)
                problems += _contradictions(f"{g}-{code.code} ({plan})", code.category, e)
    assert problems == []


@pytest.mark.parametrize("code", ["1", "2", "3"])
def test_co_deductible_coinsurance_and_copay_are_never_billed_to_the_patient(code: str) -> None:
    co = explain(f"CO-{code}")
    assert co.action is Action.WRITE_OFF
    assert "reprocess it under PR" in co.action_reason
    assert "bill" not in co.action_reason.lower().replace("may not be billed", "")
    assert explain(f"PR-{code}").action is Action.BILL_PATIENT


def test_co27_does_not_send_the_bill_to_the_patient() -> None:
    e = explain("CO-27")
    assert e.action is Action.BILL_OTHER_PAYER
    assert "patient may not be billed" in e.action_reason
    assert "write the amount off" in e.action_reason


def test_oa96_depends_on_the_remark_code() -> None:
    e = explain("OA-96")
    assert e.action is Action.DEPENDS
    assert e.action.label == "Depends on the remark codes"
    assert "remark code" in e.action_reason
    assert explain("PR-96").action is Action.BILL_PATIENT


def test_a_patient_responsibility_remark_does_not_bill_the_patient_under_co() -> None:
    # the remark's own advice says "bill the patient", but CO forbids it
    billing = next(
        r.code
        for r in denialkit.default_table()
        if r.system is CodeSystem.RARC and not r.is_alert and r.action is Action.BILL_PATIENT
    )
    assert explain("PR-96", remarks=[billing]).action is Action.BILL_PATIENT
    assert explain("CO-96", remarks=[billing]).action is Action.WRITE_OFF
    assert explain("OA-96", remarks=[billing]).action is Action.DEPENDS


def test_rac_adjustment_is_not_informational() -> None:
    n432 = denialkit.lookup("N432")
    assert n432.category is not Category.INFORMATIONAL
    assert n432.action is Action.APPEAL


def test_co18_is_allowed_where_workers_compensation_rules_require_it() -> None:
    e = explain("CO-18")
    assert not any("only used with group" in w for w in e.warnings)
    assert "workers' compensation" in e.action_reason
    assert any("only used with group CO or OA" in w for w in explain("PR-18").warnings)


def test_m144_names_the_decision_for_surgery_modifier() -> None:
    reason = denialkit.lookup("M144").appeal_reason
    for modifier in ("24", "25", "57", "79"):
        assert modifier in reason


def test_co16_with_ma130_asks_for_a_new_claim_not_a_replacement() -> None:
    e = explain("CO-16", remarks=["MA130"])
    assert e.action is Action.CORRECT_RESUBMIT
    assert e.evidence[0].startswith("A new claim")
    assert not any("original claim number when replacing" in x for x in e.evidence)


class TestTimelyFiling:
    def test_default_is_a_write_off_appealable_only_with_proof(self) -> None:
        e = explain("CO-29")
        assert (e.action, e.appealable) == (Action.WRITE_OFF, Appealable.DEPENDS)
        assert "Commercial payers only" in e.appeal_reason
        assert "proof of timely filing" in e.appeal_reason

    def test_medicare_gives_no_appeal_right(self) -> None:
        e = explain("CO-29", plan="Medicare")
        assert e.plan == "medicare"
        assert e.appealable is Appealable.NO
        assert "not an initial determination" in e.appeal_reason
        assert e.plan_rule is not None
        assert "42 CFR 424.44(b)" in e.plan_rule.route
        assert "reopening" in e.plan_rule.route
        assert "70 FR 37700" in e.plan_rule.citation
        (warning,) = [w for w in e.warnings if "no appeal right" in w]
        assert "424.44(b)" in warning
        assert e.to_dict()["plan_citation"] == e.plan_rule.citation

    def test_other_plans_keep_the_commercial_advice(self) -> None:
        for plan in ("commercial", "erisa", "aca"):
            e = explain("CO-29", plan=plan)
            assert e.appealable is Appealable.DEPENDS
            assert e.plan_rule is None
            assert not any("no appeal right" in w for w in e.warnings)

    def test_the_rule_is_machine_readable_on_the_code(self) -> None:
        from denialkit.claim import PlanType

        code = denialkit.lookup("CO-29")
        rule = code.plan_rule(PlanType.MEDICARE)
        assert rule is not None and rule.appealable is Appealable.NO
        assert code.plan_rule("commercial") is None


@pytest.mark.parametrize(
    ("plan", "error", "match"),
    [
        ("nonsense", denialkit.DenialkitError, "unknown plan type"),
        (42, TypeError, "plan must be"),
        ("", denialkit.DenialkitError, "unknown plan type"),
    ],
)
def test_explain_refuses_a_bad_plan(plan: object, error: type[Exception], match: str) -> None:
    with pytest.raises(error, match=match):
        explain("CO-29", plan=plan)  # type: ignore[arg-type]


@pytest.mark.parametrize("group", ["PR", "PI"])
def test_a_duplicate_under_a_group_it_is_not_used_with_names_the_allowed_groups(
    group: str,
) -> None:
    e = explain(f"{group}-18")
    assert "workers' compensation" in e.action_reason
    assert "OA" in e.action_reason
    assert e.action is not Action.BILL_PATIENT
