"""appeal(): a complete letter, missing facts marked and listed, levels, deadlines, dates."""

from __future__ import annotations

import json
import pickle
import subprocess
import sys
from datetime import date, datetime
from decimal import Decimal

import attrs
import pytest

import denialkit
from denialkit.claim import (
    Claim,
    Denial,
    Evidence,
    EvidenceKind,
    Patient,
    Payer,
    PlanType,
    ServiceLine,
)
from denialkit.codes import lookup
from denialkit.deadlines import deadline
from denialkit.exceptions import (
    ClaimDataError,
    DeadlineError,
    InvalidCodeError,
    MissingFactsError,
    UnknownCodeError,
)
from denialkit.letters import (
    Letter,
    LetterPart,
    appeal,
    enclosure_lines,
    example_claim,
    example_codes,
)
from payloads import tampered


def test_ccm21_letter_is_complete_with_every_part(ccm21: Claim, letter_date: date) -> None:
    letter = appeal("CCM21", ccm21, letter_date=letter_date)
    assert letter.missing == ()
    assert letter.complete
    assert "[MISSING" not in letter.text
    assert letter.template == "builtin/ccm21.txt.j2"
    assert [c.key for c in letter.codes] == ["CCM21"]
    text = letter.text
    # sender, date, recipient
    assert letter.sender[0] == "Valley Family Medicine"
    assert "NPI: 1234567893" in letter.sender
    assert "November 2, 2026" in text
    assert letter.recipient[:2] == ("Medicare Part B", "Redeterminations Unit")
    # subject block: 42 CFR 405.944(b) elements for a Medicare redetermination
    subject = dict(letter.subject)
    assert subject["Re"] == "Request for redetermination"
    assert subject["Beneficiary"] == "Zoë Nguyễn"
    assert subject["Medicare number"] == "7KQ2XF3RW45"
    assert subject["Claim number"] == "26274801234500"
    assert subject["Date of service"] == "September 30, 2026"
    assert subject["Service"].startswith("99492")
    assert subject["Denial code"] == "CCM21"
    # the denial quoted: date, code with its plain summary, the payer's reason
    denial = "\n".join(letter.denial)
    assert "October 20, 2026" in denial
    assert lookup("CCM21").summary in denial
    assert '"Documentation does not support the behavioral health integration' in denial
    # the argument: consent, care plan, rating scale, minutes vs threshold, care team
    argument = "\n".join(letter.argument)
    for expected in (
        "September 2, 2026",
        "September 5, 2026",
        "PHQ-9",
        "75 minutes of care management in September 2026, which meets the 36 minutes needed "
        "to bill 99492",
        "Dana Whitfield, LCSW",
        "Dr. Omar Haddad",
        "psychiatric consultant",
    ):
        assert expected in argument
    # the explicit request, the numbered enclosures, the signature
    assert letter.request.startswith("We request a redetermination of claim 26274801234500.")
    assert letter.enclosures[0] == "Copy of the denial notice dated October 20, 2026"
    assert letter.enclosures[1:] == (
        "Signed patient consent to collaborative care of September 2, 2026",
        "Behavioral health care plan of September 5, 2026",
        "PHQ-9 results of September 3, 2026 and September 28, 2026",
        "Care manager time log for September 2026",
        "Psychiatric consultant's caseload review note of September 17, 2026",
    )
    assert "\n1. Copy of the denial notice dated October 20, 2026\n" in text
    assert letter.signature[:3] == ("Maria Alvarez", "Billing Manager", "Valley Family Medicine")
    assert text.rstrip().endswith("NPI: 1234567893")


def test_parts_appear_in_order_and_spans_point_at_them(ccm21: Claim, letter_date: date) -> None:
    letter = appeal("CCM21", ccm21, letter_date=letter_date)
    lines = letter.text.splitlines()
    starts = []
    for part in LetterPart:
        span = letter.span(part)
        assert span is not None, part
        starts.append(span[0])
    assert starts == sorted(starts)
    first, last = letter.span("date")  # type: ignore[misc]
    assert lines[first - 1 : last] == ["November 2, 2026"]
    first, last = letter.span(LetterPart.REQUEST)  # type: ignore[misc]
    assert lines[first - 1] == letter.request
    assert letter.body[0] == letter.opening


def test_missing_consent_date_is_marked_and_listed(ccm21: Claim, letter_date: date) -> None:
    letter = appeal("CCM21", ccm21.without_fact("consent_date"), letter_date=letter_date)
    assert letter.missing == ("consent date",)
    assert letter.text.count("[MISSING: consent date]") == 1
    assert "on [MISSING: consent date], after" in letter.text


def test_strict_lists_every_missing_fact_at_once(ccm21: Claim, letter_date: date) -> None:
    bare = ccm21.evolve(facts={"care_manager_minutes": 75})
    with pytest.raises(MissingFactsError) as err:
        appeal("CCM21", bare, letter_date=letter_date, strict=True)
    assert err.value.missing == (
        "consent date",
        "care plan date",
        "rating scale",
        "rating scale scores",
        "care manager name",
        "psychiatric consultant name",
    )
    assert "consent date" in str(err.value) and "psychiatric consultant name" in str(err.value)
    # without strict the same claim gives a letter with all six markers
    letter = appeal("CCM21", bare, letter_date=letter_date)
    assert letter.missing == err.value.missing
    assert all(f"[MISSING: {label}]" in letter.text for label in letter.missing)


def test_empty_strings_count_as_missing(ccm21: Claim, letter_date: date) -> None:
    facts = dict(ccm21.facts)
    facts["care_manager_name"] = "   "
    letter = appeal("CCM21", ccm21.evolve(facts=facts), letter_date=letter_date)
    assert letter.missing == ("care manager name",)


def test_missing_claim_fields_are_marked_too(ccm21: Claim, letter_date: date) -> None:
    claim = ccm21.evolve(
        provider=attrs.evolve(ccm21.provider, signer_title=None, address=None),
        payer=attrs.evolve(ccm21.payer, appeals_address=None),
    )
    letter = appeal("CCM21", claim, letter_date=letter_date)
    assert letter.missing == ("practice address", "payer appeals address", "signer title")
    for label in letter.missing:
        assert f"[MISSING: {label}]" in letter.text


@pytest.mark.parametrize(
    ("address", "missing"),
    [("12 Lake Street\nMadison, WI 53703", ()), (None, ("practice address",))],
)
def test_a_sender_without_phone_or_email_is_reached_by_address(
    ccm21: Claim, letter_date: date, address: str | None, missing: tuple[str, ...]
) -> None:
    """The generator and the validator (DK115) agree on how a reviewer reaches the sender:
    a phone number, an email or the practice's address; a missing address is marked."""
    provider = attrs.evolve(ccm21.provider, phone=None, email=None, address=address)
    letter = appeal("CCM21", ccm21.evolve(provider=provider), letter_date=letter_date)
    assert letter.missing == missing
    assert not any(line.startswith(("Phone", "Email")) for line in letter.sender)
    errors = {f.rule_id for f in letter.report.errors}
    assert errors == ({"DK307"} if missing else set())


def test_fax_only_payer_is_addressed_by_fax(ccm21: Claim, letter_date: date) -> None:
    claim = ccm21.evolve(payer=attrs.evolve(ccm21.payer, appeals_address=None, fax="555-0199"))
    letter = appeal("CCM21", claim, letter_date=letter_date)
    assert letter.missing == ()
    assert letter.recipient == ("Medicare Part B", "Fax: 555-0199")


def test_commercial_plans_need_a_group_number(letter_date: date) -> None:
    claim = example_claim("CO-16")
    assert dict(appeal("CO-16", claim, letter_date=letter_date).subject)["Group number"]
    no_group = claim.evolve(patient=attrs.evolve(claim.patient, group_number=None))
    letter = appeal("CO-16", no_group, letter_date=letter_date)
    assert letter.missing == ("group number",)
    assert dict(letter.subject)["Patient"] == "Jordan O'Brien"


@pytest.mark.parametrize(
    ("code", "template"),
    [
        ("CO-16", "carc-16"),
        ("CO-50", "carc-50"),
        ("CO-97", "carc-97"),
        ("CO-234", "carc-97"),
        ("CO-197", "carc-197"),
        ("CO-29", "carc-29"),
        ("CO-4", "carc-4"),
        ("CO-11", "carc-4"),
        ("CO-22", "carc-22"),
        ("CO-151", "carc-151"),
        ("CCM21", "ccm21"),
        ("PR-50", "carc-50"),
        ("CO-45", "category-contractual"),
        ("CO-18", "category-duplicate"),
        ("N290", "category-missing-information"),
        ("BH25", "category-care-management"),
    ],
)
def test_each_code_gets_its_template(code: str, template: str, letter_date: date) -> None:
    letter = appeal(code, example_claim("CO-50"), letter_date=letter_date)
    assert letter.template == f"builtin/{template}.txt.j2"
    assert letter.argument, "the argument is never empty"
    assert dict(letter.subject)["Denial code"] == lookup(code).key


def test_code_specific_facts_show_up(letter_date: date) -> None:
    claim = example_claim("CO-50").evolve(
        facts={
            "original_submission_date": date(2026, 9, 20),
            "submission_proof": "clearinghouse acceptance report, batch 4471",
        }
    )
    letter = appeal("CO-29", claim, letter_date=letter_date)
    assert letter.missing == ()
    assert "first submitted it on September 20, 2026" in letter.text
    assert "clearinghouse acceptance report, batch 4471" in letter.text
    notice = "Copy of the denial notice dated October 1, 2026"
    assert letter.enclosures == (notice, *enclosure_lines(claim.evidence))


def test_several_codes_are_all_quoted(letter_date: date) -> None:
    claim = example_claim("CO-16")
    letter = appeal(["CO-16", "N290", lookup("CO-16")], claim, letter_date=letter_date)
    assert [c.key for c in letter.codes] == ["CO-16", "N290"]
    assert letter.template == "builtin/carc-16.txt.j2"
    assert "- CO-16: " in letter.text and "- N290: " in letter.text
    assert dict(letter.subject)["Denial codes"] == "CO-16, N290"


def test_bhi_minutes_are_compared_with_the_codes_threshold(ccm21: Claim, letter_date: date) -> None:
    lines = (
        ServiceLine(code="99492", date=date(2026, 9, 30)),
        ServiceLine(code="99494", date=date(2026, 9, 30), units=Decimal(2)),
    )
    # 70 for 99492, 30 for the first unit of 99494, the second unit from 16 past that: 116
    facts = dict(ccm21.facts, care_manager_minutes=115)
    letter = appeal("CCM21", ccm21.evolve(services=lines, facts=facts), letter_date=letter_date)
    text = letter.text
    assert "shows 115 minutes" in text
    assert "billing 99492 with 99494 needs 116 minutes" in text
    assert "which meets" not in text
    facts = dict(ccm21.facts, care_manager_minutes=116)
    letter = appeal("CCM21", ccm21.evolve(services=lines, facts=facts), letter_date=letter_date)
    assert "which meets the 116 minutes needed to bill 99492 with 99494" in letter.text


def test_general_bhi_needs_no_psychiatric_consultant(ccm21: Claim, letter_date: date) -> None:
    claim = ccm21.evolve(
        services=(ServiceLine(code="99484", date=date(2026, 9, 30)),),
        facts={k: v for k, v in ccm21.facts.items() if k != "psychiatric_consultant_name"},
    )
    letter = appeal("CCM21", claim, letter_date=letter_date)
    assert letter.missing == ()
    assert "psychiatric consultant" not in "\n".join(letter.argument)
    assert "which meets the 20 minutes" in letter.text


def test_old_enclosure_strings_are_read_as_evidence_of_kind_other(
    ccm21: Claim, letter_date: date
) -> None:
    facts = dict(ccm21.facts, enclosures=("Consent form", "Minute log"))
    letter = appeal("CCM21", ccm21.evolve(facts=facts, evidence=()), letter_date=letter_date)
    assert letter.enclosures[1:] == ("Consent form", "Minute log")
    data = json.loads(ccm21.to_json())
    del data["evidence"]
    data["facts"]["enclosures"] = ["Consent form", "Minute log"]
    claim = Claim.from_dict(data)
    assert "enclosures" not in claim.facts
    assert [(e.kind, e.title, e.source) for e in claim.evidence] == [
        (EvidenceKind.OTHER, "Consent form", "provided by the user"),
        (EvidenceKind.OTHER, "Minute log", "provided by the user"),
    ]


def test_enclosures_are_the_notice_and_the_claims_evidence_only(letter_date: date) -> None:
    from denialkit.codes import default_table

    claim = example_claim("CO-50").evolve(evidence=())
    for code in ("CO-45", "CO-50", "CCM21", "CO-197"):
        letter = appeal(code, claim, letter_date=letter_date)
        assert letter.enclosures == ("Copy of the denial notice dated October 1, 2026",)
    bare = next(c for c in default_table() if c.knowledge is None and c.system.value == "CARC")
    letter = appeal(bare.code, claim, letter_date=letter_date)
    assert letter.enclosures == ("Copy of the denial notice dated October 1, 2026",)


def test_a_large_packet_is_numbered_in_order_past_99(ccm21: Claim, letter_date: date) -> None:
    many = tuple(Evidence("other", f"Office note {i:03d}", date(2026, 9, 1)) for i in range(120))
    letter = appeal("CCM21", ccm21.evolve(evidence=many), letter_date=letter_date)
    block = letter.text.split("Enclosures:\n", 1)[1].split("\n\n", 1)[0].splitlines()
    assert len(block) == len(letter.enclosures) == 121
    assert block[99] == "100. Office note 098 of September 1, 2026"
    assert [line.split(". ", 1)[0] for line in block] == [str(i) for i in range(1, 122)]
    assert [line.split(". ", 1)[1] for line in block] == list(letter.enclosures)


def test_evidence_dated_after_the_letter_is_refused_by_path(
    ccm21: Claim, letter_date: date
) -> None:
    late = Evidence("time-log", "Minute log", date(2026, 12, 1))
    bad = tampered(Evidence("consent", "x"), title=" ")  # the constructor refuses it
    with pytest.raises(ClaimDataError) as err:
        appeal("CCM21", ccm21.evolve(evidence=(late, bad)), letter_date=letter_date)
    assert err.value.problems == (
        ("evidence[0].date", "is after the letter date"),
        ("evidence[1].title", "must not be empty"),
    )


# ------------------------------------------------------------------ levels and deadlines


def test_level_and_deadline_come_from_the_plan(ccm21: Claim, letter_date: date) -> None:
    letter = appeal("CCM21", ccm21, letter_date=letter_date)
    assert (letter.level.number, letter.level.name) == (1, "Redetermination")
    assert letter.deadline == deadline("medicare", 1, date(2026, 10, 20))
    assert letter.deadline is not None and letter.deadline.due == date(2027, 2, 22)
    assert letter.deadline_note is None


def test_medicare_reconsideration_names_the_redetermination_contractor(
    ccm21: Claim, letter_date: date
) -> None:
    letter = appeal("CCM21", ccm21, level=2, letter_date=letter_date)
    assert dict(letter.subject)["Re"] == "Request for reconsideration"
    assert letter.missing == ("contractor that made the redetermination",)
    named = ccm21.evolve(facts=dict(ccm21.facts, redetermination_contractor="Example MAC"))
    letter = appeal("CCM21", named, level=2, letter_date=letter_date)
    assert letter.missing == ()
    assert "The redetermination was decided by Example MAC." in letter.opening


def test_level_follows_the_denial(ccm21: Claim, letter_date: date) -> None:
    claim = ccm21.evolve(denial=attrs.evolve(ccm21.denial, level=1))
    assert appeal("CCM21", claim, letter_date=letter_date).level.number == 2


def test_commercial_payer_without_a_window_has_no_deadline(letter_date: date) -> None:
    claim = example_claim("CO-16")
    claim = claim.evolve(payer=attrs.evolve(claim.payer, appeal_window_days=None))
    letter = appeal("CO-16", claim, letter_date=letter_date)
    assert letter.deadline is None
    assert letter.deadline_note and "window" in letter.deadline_note
    assert letter.level.name == "First-level appeal"


def test_a_level_the_plan_does_not_have_raises(ccm21: Claim, letter_date: date) -> None:
    with pytest.raises(DeadlineError):
        appeal("CCM21", ccm21, level=6, letter_date=letter_date)


# ------------------------------------------------------------------ dates


def test_letter_date_defaults_to_today(ccm21: Claim) -> None:
    before = date.today()
    letter = appeal("CCM21", ccm21)
    after = date.today()  # the clock may pass midnight during the call
    assert letter.letter_date in (before, after)


def test_service_date_after_the_letter_date_names_the_path(ccm21: Claim) -> None:
    with pytest.raises(ClaimDataError) as err:
        appeal("CCM21", ccm21, letter_date=date(2026, 9, 29))
    assert err.value.problems[:2] == (
        ("services[0].date", "is after the letter date"),
        ("denial.notice_date", "is after the letter date"),
    )
    assert "2026" not in str(err.value)


def test_every_date_problem_is_reported_at_once(ccm21: Claim) -> None:
    # the constructors refuse a datetime; a claim changed after its checks still gets them all
    facts = tampered(ccm21.facts)
    object.__setattr__(facts, "_index", dict(facts._index, consent_date=datetime(2026, 9, 2)))
    claim = tampered(
        ccm21.evolve(
            services=(
                tampered(
                    ServiceLine(code="99492", date=date(2026, 9, 30)), date=datetime(2026, 9, 30)
                ),
                ServiceLine(code="99494", date=date(2026, 12, 1)),
            )
        ),
        facts=facts,
    )
    with pytest.raises(ClaimDataError) as err:
        appeal("CCM21", claim, letter_date=date(2026, 11, 2))
    paths = [p for p, _ in err.value.problems]
    assert paths == ["services[0].date", "services[1].date", "facts.consent_date"]
    assert "datetime" in err.value.problems[0][1]


def test_a_datetime_letter_date_is_refused(ccm21: Claim) -> None:
    with pytest.raises(ClaimDataError) as err:
        appeal("CCM21", ccm21, letter_date=datetime(2026, 11, 2, 9, 0))
    assert err.value.problems[0][0] == "letter_date"


def test_dates_are_written_as_words(ccm21: Claim) -> None:
    letter = appeal("CCM21", ccm21, letter_date=date(2027, 3, 31))
    assert "March 31, 2027" in letter.text
    assert "2027-03-31" not in letter.text


# ------------------------------------------------------------------ the Letter object


def test_letter_is_frozen_picklable_and_its_repr_hides_phi(ccm21: Claim, letter_date: date) -> None:
    letter = appeal("CCM21", ccm21, letter_date=letter_date)
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        letter.text = "x"  # type: ignore[misc]
    assert pickle.loads(pickle.dumps(letter)) == letter
    shown = repr(letter)
    assert shown == "<Letter builtin/ccm21.txt.j2 codes=('CCM21',) level=1 missing=0>"
    assert "Nguy" not in shown


def test_report_is_the_validators_verdict_computed_on_first_access(
    ccm21: Claim, letter_date: date
) -> None:
    letter = appeal("CCM21", ccm21, letter_date=letter_date)
    report = letter.report
    assert report is letter.report  # computed once
    assert report.ok
    bad = ccm21.evolve(patient=attrs.evolve(ccm21.patient, name="{{ 7*7 }}"))
    flagged = appeal("CCM21", bad, letter_date=letter_date).report
    assert not flagged.ok


def test_letter_renders_itself(ccm21: Claim, letter_date: date) -> None:
    letter = appeal("CCM21", ccm21, letter_date=letter_date)
    assert letter.render() == letter.text
    assert letter.render("pdf").startswith(b"%PDF-")


def test_unknown_codes_and_bad_arguments(ccm21: Claim) -> None:
    with pytest.raises(UnknownCodeError):
        appeal("CO-999", ccm21)
    with pytest.raises(InvalidCodeError):
        appeal([], ccm21)
    with pytest.raises(TypeError):
        appeal("CCM21", ccm21.to_dict())  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        appeal("CCM21", ccm21, level="1")  # type: ignore[arg-type]


def test_examples_cover_the_documented_codes() -> None:
    assert example_codes() == ("CCM21", "CO-16", "CO-197", "CO-50")
    for code in example_codes():
        claim = example_claim(code)
        assert isinstance(claim, Claim)
        letter = appeal(code, claim, letter_date=date(2026, 11, 2))
        assert letter.missing == (), code
    assert example_claim("16") == example_claim("CO-16")
    with pytest.raises(UnknownCodeError) as err:
        example_claim("CO-45")
    assert err.value.suggestions == example_codes()


def test_ccm21_example_has_every_fact_the_template_declares() -> None:
    from denialkit.templates import default_registry

    meta = default_registry().get("builtin/ccm21.txt.j2").meta
    assert set(meta.facts) <= set(example_claim("CCM21").facts)


def test_importing_denialkit_and_the_letter_modules_loads_no_jinja() -> None:
    code = (
        "import sys, denialkit, denialkit.letters, denialkit.claim; "
        "denialkit.lookup('CO-16'); "
        "print(sorted(m for m in ('jinja2', 'fpdf', 'pandas') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_letter_is_exported_types() -> None:
    assert isinstance(appeal("CCM21", example_claim("CCM21")), Letter)
    assert denialkit.letters.appeal is appeal  # type: ignore[attr-defined]


def test_plain_claim_from_scratch(letter_date: date) -> None:
    claim = Claim(
        claim_number="C-1",
        patient=Patient(name="Ana Silva", member_id="M1"),
        provider=denialkit.claim.Provider(  # type: ignore[attr-defined]
            name="Clinic",
            address="1 Road",
            email="appeals@clinic.example",
            signer_name="Ann Lee",
            signer_title="Manager",
        ),
        payer=Payer(name="Medicaid", plan_type=PlanType.MEDICAID, appeals_address="PO Box 9"),
        services=(ServiceLine(code="99213", date=date(2026, 10, 1)),),
        denial=Denial(notice_date=date(2026, 10, 15)),
    )
    letter = appeal("CO-45", claim, letter_date=letter_date)
    assert letter.missing == ()
    assert dict(letter.subject)["Member"] == "Ana Silva"
    assert letter.deadline is None  # Medicaid: the payer sets the window


def test_each_part_of_the_letter_holds_its_own_part() -> None:
    # appeal() builds the Letter by position: every field must get its own value
    claim = example_claim("CCM21")
    when = date(2026, 11, 2)
    letter = appeal("CCM21", claim, letter_date=when)
    assert letter.text.startswith(f"{claim.provider.name}\n") and letter.text.endswith("\n")
    assert letter.claim is claim
    assert [c.key for c in letter.codes] == ["CCM21"]
    assert letter.letter_date == when and letter.date_line == "November 2, 2026"
    assert letter.missing == ()
    assert (letter.level.number, letter.template) == (1, "builtin/ccm21.txt.j2")
    assert letter.sender[0] == claim.provider.name and letter.sender[-1].startswith("NPI: ")
    assert letter.recipient[0] == claim.payer.name
    assert letter.subject[0] == ("Re", "Request for redetermination")
    assert letter.salutation == "Dear appeals reviewer:"
    assert letter.opening.startswith(f"{claim.provider.name} asks {claim.payer.name} for ")
    assert letter.denial[0].startswith("Your notice dated October 20, 2026 denied the claim")
    assert letter.argument[0].startswith("The denial says")
    assert letter.request.startswith("We request a redetermination of claim ")
    assert letter.enclosures[0] == "Copy of the denial notice dated October 20, 2026"
    assert letter.closing == "Sincerely,"
    assert letter.signature[0] == claim.provider.signer_name
    assert [i.kind.value for i in letter.checklist] == ["registry"]
    assert letter.warnings == ()
