"""Letters argue from the claim: real enclosures, the branch the facts support, a checklist
for the user, warnings before a late or pointless appeal, every remark code cited."""

from __future__ import annotations

import re
from datetime import date

import attrs
import pytest

from denialkit.claim import Claim, Evidence, EvidenceKind, PlanType, ServiceLine
from denialkit.exceptions import LetterWarningError, MissingFactsError
from denialkit.letters import Letter, WarningKind, appeal, enclosure_lines, example_claim
from denialkit.letters import example_codes as examples
from denialkit.templates import default_registry
from denialkit.validation import Finding, Validator, validate_text

WHEN = date(2026, 11, 2)
HEDGES = re.compile(r"\bif\b|\bwhen the\b|\(or\b|\be\.g\.", re.IGNORECASE)
NOTICE = "Copy of the denial notice dated October 1, 2026"


def _co50() -> Claim:
    return example_claim("CO-50")


def _with(claim: Claim, evidence: tuple[Evidence, ...] = (), **facts: object) -> Claim:
    merged = {**claim.facts, **facts}
    return claim.evolve(facts={k: v for k, v in merged.items() if v is not None}, evidence=evidence)


def _argument(letter: Letter) -> str:
    return "\n".join(letter.argument)


# ------------------------------------------------------------------ enclosures


@pytest.mark.parametrize("name", [t.name for t in default_registry().templates()])
@pytest.mark.parametrize("with_evidence", [True, False])
def test_every_template_encloses_only_the_notice_and_the_claims_evidence(
    name: str, with_evidence: bool
) -> None:
    claim = _co50() if with_evidence else _co50().evolve(evidence=())
    letter = appeal("CO-50", claim, template=name, letter_date=WHEN)
    assert letter.enclosures[0] == NOTICE
    assert sorted(letter.enclosures[1:]) == sorted(enclosure_lines(claim.evidence))
    for line in (*letter.enclosures, *letter.text.splitlines()):
        assert not HEDGES.search(line), (name, line)
    if not with_evidence:
        assert "enclosed" not in _argument(letter).lower(), name
        assert "enclosure" not in _argument(letter).lower(), name


@pytest.mark.parametrize("code", examples())
def test_example_letters_carry_no_advice_hedges(code: str) -> None:
    claim = example_claim(code)
    for c in (claim, claim.evolve(evidence=())):
        letter = appeal(code, c, letter_date=WHEN)
        bad = [line for line in letter.text.splitlines() if HEDGES.search(line)]
        assert bad == []


def test_enclosures_follow_the_order_the_argument_uses_them() -> None:
    claim = example_claim("CCM21")
    shuffled = tuple(reversed(claim.evidence))
    letter = appeal("CCM21", claim.evolve(evidence=shuffled), letter_date=WHEN)
    assert [line.split(" ")[0] for line in letter.enclosures[1:]] == [
        "Signed",
        "Behavioral",
        "PHQ-9",
        "Care",
        "Psychiatric",
    ]


@pytest.mark.parametrize("documents", [1, 63, 64, 70])
def test_the_enclosure_block_numbers_every_document_in_order(documents: int) -> None:
    # the notice comes first, so 63 documents fill 64 numbered lines and 64 need a 65th
    evidence = tuple(
        Evidence(EvidenceKind.OTHER, f"Exhibit {i}", date(2026, 9, 1 + i % 28))
        for i in range(documents)
    )
    letter = appeal("CO-50", _co50().evolve(evidence=evidence), letter_date=WHEN)
    block = letter.text.split("\n\nEnclosures:\n", 1)[1].split("\n\n", 1)[0]
    lines = block.split("\n")
    assert lines == [f"{i}. {e}" for i, e in enumerate(letter.enclosures, 1)]
    assert len(lines) == documents + 1
    assert lines[0] == f"1. {NOTICE}"
    assert (
        lines[-1]
        == f"{documents + 1}. Exhibit {documents - 1} of September {1 + (documents - 1) % 28}, 2026"
    )


def test_an_evidence_title_is_data_never_template_source() -> None:
    evil = Evidence(EvidenceKind.OTHER, "{{ 7*7 }} {% raw %}")
    letter = appeal("CO-50", _co50().evolve(evidence=(evil,)), letter_date=WHEN)
    assert letter.enclosures[1] == "{{ 7*7 }} {% raw %}"
    assert "49" not in letter.text


# ------------------------------------------------------------------ CO-197 / CO-198


@pytest.mark.parametrize("code", ["CO-197", "CO-198"])
def test_authorization_obtained(code: str) -> None:
    claim = example_claim("CO-197")
    letter = appeal(code, claim, letter_date=WHEN)
    text = _argument(letter)
    assert "authorization number PA-2026-118842, issued on September 1, 2026" in text
    assert "The enclosed approval" in text
    assert "retroactive" not in text and "emergency" not in text
    assert letter.checklist == ()
    bare = appeal(code, claim.evolve(evidence=()), letter_date=WHEN)
    assert "enclosed" not in _argument(bare)
    assert [i.kind for i in bare.checklist] == [EvidenceKind.AUTHORIZATION]


def test_authorization_branch_without_its_facts_is_marked() -> None:
    claim = _with(example_claim("CO-197"), authorization_number=None, authorization_date=None)
    claim = claim.evolve(facts={})
    letter = appeal("CO-197", claim, letter_date=WHEN)
    assert letter.missing == ("authorization number", "authorization date")
    assert "[MISSING: authorization number]" in _argument(letter)
    with pytest.raises(MissingFactsError):
        appeal("CO-197", claim, letter_date=WHEN, strict=True)


def test_retro_authorization_requested() -> None:
    claim = example_claim("CO-197").evolve(
        facts={"retro_authorization_date": date(2026, 9, 10)}, evidence=()
    )
    letter = appeal("CO-197", claim, letter_date=WHEN)
    text = _argument(letter)
    assert "on September 10, 2026 to authorize the services retroactively" in text
    assert "An authorization was in place" not in text and "emergency" not in text
    assert "MISSING" not in letter.text and letter.missing == ()
    assert "apply the retroactive authorization" in letter.request
    assert [i.item for i in letter.checklist] == [
        "The retro-authorization request, with the payer's reply"
    ]
    granted = claim.evolve(facts={**claim.facts, "authorization_number": "RA-77"})
    assert "under authorization number RA-77" in _argument(
        appeal("CO-197", granted, letter_date=WHEN)
    )


def test_emergency_care() -> None:
    reason = "the patient arrived with acute cauda equina symptoms and was imaged the same hour"
    record = Evidence("medical-record", "Emergency department note", date(2026, 9, 8))
    claim = example_claim("CO-197").evolve(facts={"emergency_reason": reason}, evidence=(record,))
    letter = appeal("CO-197", claim, letter_date=WHEN)
    text = _argument(letter)
    assert "emergency or urgent care" in text and reason in text
    assert "The enclosed record documents" in text
    assert "authorization number" not in text and "retroactive" not in text
    assert letter.checklist == () and letter.missing == ()
    assert "without an authorization" in letter.request


def test_no_authorization_needed() -> None:
    reason = "the plan's list for 2026 does not include 72148"
    claim = example_claim("CO-197").evolve(
        facts={"authorization_not_required_reason": reason}, evidence=()
    )
    letter = appeal("CO-197", claim, letter_date=WHEN)
    text = _argument(letter)
    assert f"did not need one, so the requirement does not apply: {reason}." in text
    assert "enclosed" not in text and "An authorization was in place" not in text
    assert [i.kind for i in letter.checklist] == [EvidenceKind.COVERAGE_POLICY]


# ------------------------------------------------------------------ CO-50


def test_medical_necessity_with_the_policy_named() -> None:
    letter = appeal("CO-50", _co50(), letter_date=WHEN)
    text = _argument(letter)
    assert "meet the criteria of the plan's physical therapy medical policy" in text
    assert "The enclosed copy of the policy" in text
    assert "letter of medical necessity" not in text
    assert [i.kind for i in letter.checklist] == [EvidenceKind.MEDICAL_NECESSITY_LETTER]


def test_medical_necessity_from_a_letter_of_medical_necessity() -> None:
    lmn = Evidence("medical-necessity-letter", "Letter of medical necessity", date(2026, 10, 20))
    claim = _with(_co50(), (lmn,), coverage_policy=None)
    letter = appeal("CO-50", claim, letter_date=WHEN)
    text = _argument(letter)
    assert "enclosed letter of medical necessity" in text
    assert "criteria of" not in text and letter.missing == ()
    assert letter.enclosures[1] == "Letter of medical necessity of October 20, 2026"


def test_medical_necessity_without_policy_or_letter_marks_the_policy() -> None:
    letter = appeal("CO-50", _with(_co50(), coverage_policy=None), letter_date=WHEN)
    assert letter.missing == ("coverage policy",)
    assert "criteria of [MISSING: coverage policy]" in _argument(letter)
    assert "letter of medical necessity" not in _argument(letter)


# ------------------------------------------------------------------ CO-97 / CO-234, CO-29


@pytest.mark.parametrize("code", ["CO-97", "CO-234"])
def test_distinct_service_with_its_modifier_and_reason(code: str) -> None:
    reason = "the injection was given at a separate site from the procedure"
    claim = _co50().evolve(
        services=(ServiceLine("20610", date(2026, 9, 10), modifiers=("XS",)),),
        facts={"distinct_service_reason": reason},
        evidence=(),
    )
    letter = appeal(code, claim, letter_date=WHEN)
    text = _argument(letter)
    assert reason in text and "20610 was reported with modifier XS" in text
    assert letter.missing == () and "enclosed" not in text
    assert [i.kind for i in letter.checklist] == [EvidenceKind.MEDICAL_RECORD]
    bare = claim.evolve(services=(ServiceLine("20610", date(2026, 9, 10)),))
    marked = appeal(code, bare, letter_date=WHEN)
    assert marked.missing == ("modifier reporting the distinct service",)


def test_timely_filing_with_and_without_its_proof_enclosed() -> None:
    facts = {
        "original_submission_date": date(2026, 9, 20),
        "submission_proof": "clearinghouse acceptance report, batch 4471",
    }
    proof = Evidence("timely-filing-proof", "Clearinghouse acceptance report", date(2026, 9, 20))
    claim = _co50().evolve(facts=facts, evidence=(proof,))
    enclosed = appeal("CO-29", claim, letter_date=WHEN)
    assert "Proof of that submission is enclosed" in _argument(enclosed)
    assert enclosed.checklist == ()
    bare = appeal("CO-29", claim.evolve(evidence=()), letter_date=WHEN)
    assert "enclosed" not in _argument(bare)
    assert "first submitted it on September 20, 2026" in _argument(bare)
    assert [i.kind for i in bare.checklist] == [EvidenceKind.TIMELY_FILING_PROOF]


# ------------------------------------------------------------------ CCM21 and its checklist


def test_collaborative_care_checklist_names_what_is_still_worth_gathering() -> None:
    claim = example_claim("CCM21")
    letter = appeal("CCM21", claim, letter_date=WHEN)
    assert [i.kind for i in letter.checklist] == [EvidenceKind.REGISTRY]
    assert all(i.why.endswith(".") for i in letter.checklist)
    assert "registry" not in letter.text.lower()
    bare = appeal("CCM21", claim.evolve(evidence=()), letter_date=WHEN)
    assert [i.kind.value for i in bare.checklist] == [
        "consent",
        "care-plan",
        "rating-scale",
        "time-log",
        "consultation-note",
        "registry",
    ]
    assert "the care manager's record shows 75 minutes" in _argument(bare)


def test_general_bhi_checklist_leaves_out_collaborative_care_items() -> None:
    claim = example_claim("CCM21").evolve(
        services=(ServiceLine("99484", date(2026, 9, 30)),), evidence=()
    )
    letter = appeal("CCM21", claim, letter_date=WHEN)
    kinds = [i.kind for i in letter.checklist]
    assert EvidenceKind.CONSULTATION_NOTE not in kinds and EvidenceKind.REGISTRY not in kinds
    assert "psychiatric" not in " ".join(i.item + i.why for i in letter.checklist).lower()
    assert "collaborative" not in " ".join(i.item + i.why for i in letter.checklist).lower()
    assert "psychiatric consultant" not in _argument(letter)


def test_checklist_items_are_plain_data() -> None:
    item = appeal("CO-50", _co50(), letter_date=WHEN).checklist[0]
    assert item.to_dict() == {
        "kind": "medical-necessity-letter",
        "item": item.item,
        "why": item.why,
    }


# ------------------------------------------------------------------ warnings


def test_a_late_letter_warns_with_its_days_and_asks_for_good_cause() -> None:
    claim = example_claim("CCM21")  # Medicare: notice October 20, 2026; due 125 days later
    letter = appeal("CCM21", claim, letter_date=date(2027, 3, 1))
    (late,) = [w for w in letter.warnings if w.kind is WarningKind.LATE]
    assert late.days == 7 and late.id == "late" and "7 days" in late.message
    para = letter.argument[-1]
    assert "42 CFR 405.942(b)" in para and "[MISSING: good cause for late filing]" in para
    assert letter.missing == ("good cause for late filing",)
    cause = "the notice went to a closed office"
    given = appeal(
        "CCM21",
        claim.evolve(facts={**claim.facts, "good_cause": cause}),
        letter_date=date(2027, 3, 1),
    )
    assert given.missing == () and cause in given.argument[-1]
    with pytest.raises(LetterWarningError, match=r"late: the letter is dated 7 days after"):
        appeal(
            "CCM21",
            claim.evolve(facts={**claim.facts, "good_cause": cause}),
            letter_date=date(2027, 3, 1),
            strict=True,
        )


def test_a_commercial_late_letter_asks_for_good_cause_without_a_medicare_rule() -> None:
    claim = example_claim("CO-50")  # ERISA: 180 days from October 1, 2026
    letter = appeal("CO-50", claim, letter_date=date(2027, 4, 1))
    assert "CFR" not in letter.argument[-1] and "good cause" in letter.argument[-1]


def test_a_deadline_within_seven_days_warns() -> None:
    claim = example_claim("CCM21")
    letter = appeal("CCM21", claim, letter_date=date(2027, 2, 21))
    (soon,) = letter.warnings
    assert soon.kind is WarningKind.DEADLINE_SOON and soon.days == 1
    assert appeal("CCM21", claim, letter_date=date(2027, 2, 10)).warnings == ()


def test_a_code_not_on_the_notice_warns() -> None:
    letter = appeal("CO-50", _co50(), letter_date=WHEN)
    assert letter.warnings == ()
    other = appeal("CO-151", _co50(), letter_date=WHEN)
    assert [(w.kind, w.code) for w in other.warnings] == [
        (WarningKind.CODE_NOT_ON_NOTICE, "CO-151")
    ]
    claim = _with(_co50(), service_frequency_reason="each visit treated a new injury")
    with pytest.raises(LetterWarningError, match="CO-151 is not among the codes"):
        appeal("CO-151", claim, letter_date=WHEN, strict=True)


@pytest.mark.parametrize(
    ("code", "action"),
    [("CO-16", "correct-resubmit"), ("MA130", "correct-resubmit"), ("CO-45", "write-off")],
)
def test_codes_an_appeal_does_not_fix_warn_with_the_recommended_action(
    code: str, action: str
) -> None:
    claim = _co50().evolve(denial=_co50().denial.__class__(date(2026, 10, 1), codes=(code,)))
    letter = appeal(code, claim, letter_date=WHEN)
    (w,) = letter.warnings
    assert w.kind is WarningKind.NOT_THE_REMEDY and w.action == action and w.code == code
    assert "recommended:" in w.message


def test_the_co16_example_warns_once_for_its_carc_and_rarc() -> None:
    letter = appeal("CO-16", example_claim("CO-16"), letter_date=WHEN)
    assert [w.id for w in letter.warnings] == ["appeal-not-the-remedy"]


def test_medicare_timely_filing_warns_that_there_is_no_appeal_right() -> None:
    claim = example_claim("CCM21")
    claim = claim.evolve(denial=claim.denial.__class__(date(2026, 10, 20), codes=("CO-29",)))
    letter = appeal("CO-29", claim, letter_date=WHEN)
    (w,) = letter.warnings
    assert w.kind is WarningKind.NOT_THE_REMEDY and "Medicare gives no appeal right" in w.message
    commercial = claim.evolve(payer=_co50().payer)
    assert appeal("CO-29", commercial, letter_date=WHEN).warnings == ()
    assert claim.payer.plan_type is PlanType.MEDICARE


# ------------------------------------------------------------------ remark codes


def test_remark_codes_on_the_notice_are_cited_with_their_meaning() -> None:
    letter = appeal("CO-16", example_claim("CO-16"), letter_date=WHEN)
    assert [c.key for c in letter.codes] == ["CO-16", "N290"]
    quoted = "\n".join(letter.denial)
    assert "- N290: " in quoted and "- CO-16: " in quoted
    assert "DK108" not in {f.rule_id for f in letter.report}


def test_remark_codes_are_not_added_to_a_code_the_notice_does_not_carry() -> None:
    letter = appeal("CO-50", example_claim("CO-16"), letter_date=WHEN)
    assert [c.key for c in letter.codes] == ["CO-50"]


# ------------------------------------------------------------------ generator and validator


@pytest.mark.parametrize("code", examples())
def test_every_example_letter_passes_the_validator_with_its_claim(code: str) -> None:
    claim = example_claim(code)
    for c in (claim, claim.evolve(evidence=())):
        letter = appeal(code, c, letter_date=WHEN)
        assert [str(f) for f in validate_text(letter.text, claim=c) if _error(f)] == []


@pytest.mark.parametrize("code", examples())
def test_every_example_letter_passes_the_validator_as_plain_text(code: str) -> None:
    claim = example_claim(code)
    for c in (claim, claim.evolve(evidence=())):
        letter = appeal(code, c, letter_date=WHEN)
        assert [str(f) for f in validate_text(letter.text) if _error(f)] == []


def _error(finding: Finding) -> bool:
    return finding.severity.value == "error"


# ------------------------------------------------------------------ pack metadata


@pytest.mark.parametrize(
    ("expects", "message"),
    [
        ("consent", "expects must be an array of tables"),
        (["consent"], r"expects\[0\] must be a table"),
        ([{"kind": "photo", "item": "x", "why": "y"}], r"expects\[0\].kind is not an evidence"),
        ([{"kind": "consent", "item": "", "why": "y"}], r"expects\[0\].item must be one"),
        ([{"kind": "consent", "item": "x", "why": "a\nb"}], r"expects\[0\].why must be one"),
        ([{"kind": "consent", "item": "x", "why": "y", "size": 1}], r"unknown key\(s\) size"),
        ([{"kind": "consent", "item": "x", "why": "y", "when": "a"}], r"when must be a list"),
        ([{"kind": "consent", "item": "x", "why": "y", "unless": ["A b"]}], "lower_snake_case"),
    ],
)
def test_bad_expects_in_a_pack_are_data_errors(expects: object, message: str) -> None:
    from denialkit.exceptions import DataError
    from denialkit.templates import TemplateMeta

    with pytest.raises(DataError, match=message):
        TemplateMeta.from_mapping("x.txt.j2", {"expects": expects}, source="pack.toml")


def test_an_older_packs_enclosures_go_on_the_checklist_not_into_the_letter() -> None:
    from denialkit.templates import StringTemplate

    old = StringTemplate(
        "The record supports the claim because it documents the visit.",
        enclosures=("Plan of care",),
    )
    letter = appeal("CO-50", _co50().evolve(evidence=()), template=old, letter_date=WHEN)
    assert letter.enclosures == (NOTICE,)
    assert [(i.kind, i.item) for i in letter.checklist] == [(EvidenceKind.OTHER, "Plan of care")]
    advice = StringTemplate("The record supports the claim because it documents the visit.")
    letter = appeal("CO-50", _co50().evolve(evidence=()), template=advice, letter_date=WHEN)
    assert letter.enclosures == (NOTICE,)
    assert letter.checklist and all("CO-50" in i.why for i in letter.checklist)


@pytest.mark.parametrize(
    ("source", "paragraphs"),
    [
        # wrapped lines join; a line of spaces or tabs is a blank line
        (
            "The notes\n  show the visit.\n \t \nThe log shows\nthe minutes.",
            ("The notes show the visit.", "The log shows the minutes."),
        ),
        # three or more newlines are one break, never an empty paragraph
        ("First point.\n\n\n\nSecond point.", ("First point.", "Second point.")),
        # a line starting "- " starts a list item; a wrapped item joins its own line
        (
            "We enclose:\n- the log\n  of minutes\n- the plan",
            ("We enclose:\n- the log of minutes\n- the plan",),
        ),
        # any whitespace str.strip() trims, such as a form feed or U+2028, ends no paragraph
        ("One\u2028\n\x0cline.", ("One line.",)),
    ],
)  # fmt: skip
def test_a_templates_argument_becomes_paragraphs_as_written(
    source: str, paragraphs: tuple[str, ...]
) -> None:
    from denialkit.templates import StringTemplate

    claim = _co50().evolve(evidence=())
    letter = appeal("CO-50", claim, template=StringTemplate(source), letter_date=WHEN)
    assert letter.argument == paragraphs


# ------------------------------------------------------------------ every template, every branch

_FACT_VALUES: dict[str, object] = {
    "authorization_date": date(2026, 9, 1),
    "authorization_not_required_reason": "the plan's list exempts this service from approval",
    "authorization_number": "PA-55120",
    "care_manager_minutes": 70,
    "care_manager_name": "Dana Whitfield, LCSW",
    "care_plan_date": date(2026, 9, 5),
    "clinical_summary": "The patient's symptoms persisted after six weeks of conservative care",
    "cob_explanation": "the patient had no other coverage on the date of service",
    "coding_rationale": "the documentation supports the level of service billed",
    "consent_date": date(2026, 9, 2),
    "corrected_information": "the rendering provider's NPI on line 1",
    "coverage_policy": "Medical Policy 2.01.18, Outpatient Imaging",
    "distinct_service_modifier": "59",
    "distinct_service_reason": "the second procedure was on a separate lesion",
    "eligibility_reference": "eligibility response 884120 of September 14, 2026",
    "emergency_reason": "the patient arrived by ambulance with chest pain",
    "original_submission_date": date(2026, 9, 20),
    "psychiatric_consultant_name": "Dr. Rafael Ortiz",
    "rating_scale": "PHQ-9",
    "rating_scale_scores": "14 on September 3, 2026 and 9 on September 28, 2026",
    "retro_authorization_date": date(2026, 9, 10),
    "service_frequency_reason": "the patient's condition changed after the first visit",
    "submission_proof": "clearinghouse acceptance report of September 20, 2026",
}
_ALL_EVIDENCE = tuple(
    Evidence(kind, f"Document of kind {kind.value}", date(2026, 9, 15))
    for kind in EvidenceKind
    if kind is not EvidenceKind.DENIAL_NOTICE
)


_CHECKER = Validator(today=WHEN)


def _code_for(name: str) -> str:
    """A code the template serves: its own, else a CARC of its category."""
    from denialkit.codes import CodeSystem, default_table

    meta = default_registry().get(name).meta
    if meta.codes:
        return meta.codes[0] if not meta.codes[0].isdigit() else f"CO-{meta.codes[0]}"
    for c in default_table():
        if (
            c.system is CodeSystem.CARC
            and c.is_active(date(2026, 9, 15))
            and c.category in meta.categories
        ):
            return f"CO-{c.code}"
    return "CO-50"


def _fact_sets(name: str) -> list[dict[str, object]]:
    """The facts that select each branch: none, the required ones, the required ones with
    each optional fact alone, and every fact."""
    meta = default_registry().get(name).meta
    required = {f: _FACT_VALUES[f] for f in meta.facts}
    optional = [f for f in meta.optional_facts if f != "appeal_argument"]
    sets: list[dict[str, object]] = [{}, required]
    sets += [{**required, f: _FACT_VALUES[f]} for f in optional]
    sets.append({**required, **{f: _FACT_VALUES[f] for f in optional}})
    return sets


def _own_check_errors(letter: Letter) -> list[tuple[bool, str]]:
    """The validator's errors on the letter's text, with its claim and without it, but the
    ones its ``[MISSING: ...]`` markers make (DK307): the user already knows of those."""
    allowed = {"DK307"} if letter.missing else set()
    return [
        (with_claim is not None, f.rule_id)
        for with_claim in (letter.claim, None)
        for f in validate_text(letter.text, claim=with_claim, validator=_CHECKER)
        if f.severity.name == "ERROR" and f.rule_id not in allowed
    ]


@pytest.mark.parametrize("name", [t.name for t in default_registry().templates()])
def test_every_branch_of_every_template_passes_its_own_check(name: str) -> None:
    """The generator and the validator agree on every template, not only the examples: a
    letter without ``[MISSING: ...]`` markers has no error, with its claim and without it;
    one with markers has no error but the markers' (DK307)."""
    code = _code_for(name)
    base = _co50()
    for facts in _fact_sets(name):
        for evidence in ((), _ALL_EVIDENCE):
            claim = base.evolve(
                facts=facts,
                evidence=evidence,
                denial=attrs.evolve(base.denial, codes=(code,)),
            )
            letter = appeal(code, claim, template=name, letter_date=WHEN)
            errors = _own_check_errors(letter)
            assert errors == [], (name, code, sorted(facts), bool(evidence), errors)


@pytest.mark.parametrize("code", examples())
def test_letters_at_every_appeal_level_pass_their_own_check(code: str) -> None:
    """Each level the plan has (Medicare's five: redetermination to judicial review) writes
    a letter with no error but its missing-fact markers'."""
    from denialkit.deadlines import levels

    claim = example_claim(code)
    facts = {**claim.facts, "redetermination_contractor": "Noridian JF"}
    claim = claim.evolve(facts=facts)
    for level in levels(claim.payer.plan_type):
        letter = appeal(code, claim, level=level.number, letter_date=WHEN)
        errors = _own_check_errors(letter)
        assert errors == [], (code, level.number, errors)


@pytest.mark.parametrize("number", ["CLM#445", "Clm #2026-88", "ID#7781"])
def test_a_claim_number_that_holds_a_label_is_the_claims_own(number: str) -> None:
    """A claim number such as "CLM#445" holds a label form ("Clm #"): what the validator
    reads after it is part of the claim's own number, not another one (DK210); a different
    number after a label still is."""
    claim = _co50().evolve(claim_number=number)
    letter = appeal("CO-50", claim, letter_date=WHEN)
    assert _own_check_errors(letter) == []
    other = letter.text.replace(f"Claim number: {number}", "Claim number: 99-0001", 1)
    found = validate_text(other, claim=claim, validator=_CHECKER)
    assert "DK210" in {f.rule_id for f in found}


# ------------------------------------------------------------------ checklist items


@pytest.mark.parametrize(
    ("services", "when", "unless", "billed", "facts", "expected"),
    [
        ((), (), (), (), frozenset(), True),
        (("99492", "99493"), (), (), ("99213", "99493"), frozenset(), True),
        (("99492", "99493"), (), (), ("99213",), frozenset(), False),
        (("99492",), (), (), (), frozenset(), False),
        ((), ("a_date", "b_date"), (), (), frozenset({"b_date"}), True),
        ((), ("a_date",), (), (), frozenset({"b_date"}), False),
        ((), (), ("a_date", "b_date"), (), frozenset({"b_date"}), False),
        ((), (), ("a_date",), (), frozenset({"b_date"}), True),
        (("99492",), ("a_date",), ("b_date",), ["99492"], {"a_date"}, True),
        (("99492",), ("a_date",), ("b_date",), ["99492"], {"a_date", "b_date"}, False),
    ],
)
def test_a_checklist_item_applies_to_its_services_and_facts(
    services: tuple[str, ...],
    when: tuple[str, ...],
    unless: tuple[str, ...],
    billed: tuple[str, ...],
    facts: frozenset[str],
    expected: bool,
) -> None:
    from denialkit.templates import ChecklistItem

    item = ChecklistItem(EvidenceKind.OTHER, "x", "y", services, when, unless)
    assert item.applies(billed, facts) is expected
