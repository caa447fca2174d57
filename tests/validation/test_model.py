"""The findings model and the validator API: what a caller sees and can rely on."""

from __future__ import annotations

import json
import pickle
from collections.abc import Iterator
from datetime import date

import attrs
import pytest

import denialkit.validation as validation
from denialkit.claim import Claim
from denialkit.codes import lookup
from denialkit.exceptions import DenialkitError, LetterValidationError, RuleError
from denialkit.validation import (
    Document,
    Finding,
    Location,
    Report,
    Rule,
    Severity,
    Validator,
    check,
    is_valid,
    iter_findings,
    validate,
    validate_text,
)

LETTER_DAY = date(2026, 4, 28)


def finding(
    rule_id: str = "DK302", line: int | None = 1, column: int | None = 1, severity: str = "error"
) -> Finding:
    return Finding(
        rule_id,
        "bracket-placeholder",
        severity,
        "a blank is left",
        Location(line, column),
        "fill it in",
    )


class Blanks(Rule):
    """A plugin-style rule: every '[?]' is a finding."""

    id = "ACME100"
    slug = "question-blank"
    severity = Severity.WARNING
    summary = "No '[?]' blank is left."
    hint = "Answer the question."

    def check(self, doc: Document) -> Iterator[Finding]:
        start = doc.text.find("[?]")
        while start >= 0:
            yield self.finding(doc, "a '[?]' blank is left", at=start)
            start = doc.text.find("[?]", start + 1)


# ------------------------------------------------------------------ findings and reports


def test_a_finding_is_complete_and_frozen() -> None:
    f = finding()
    assert (f.rule_id, f.slug, f.severity, f.message, f.hint) == (
        "DK302",
        "bracket-placeholder",
        Severity.ERROR,
        "a blank is left",
        "fill it in",
    )
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        f.message = "changed"  # type: ignore[misc]
    assert pickle.loads(pickle.dumps(f)) == f


@pytest.mark.parametrize(
    "kwargs",
    [
        {"rule_id": "101"},
        {"rule_id": "dk101"},
        {"slug": "Missing Date"},
        {"severity": "fatal"},
        {"message": " "},
        {"hint": ""},
        {"location": (1, 1)},
    ],
)
def test_an_incomplete_finding_cannot_be_made(kwargs: dict[str, object]) -> None:
    base: dict[str, object] = {
        "rule_id": "DK101",
        "slug": "missing-date",
        "severity": "error",
        "message": "m",
        "location": Location(),
        "hint": "h",
    }
    base.update(kwargs)
    with pytest.raises((ValueError, TypeError)):
        Finding(**base)  # type: ignore[arg-type]


def test_locations() -> None:
    assert str(Location(3, 14)) == "3:14"
    assert str(Location(path="services[0].date")) == "claim services[0].date"
    assert str(Location(2, 1, "claim_number")) == "2:1 claim claim_number"
    assert str(Location()) == "letter"
    for bad, message in (
        ({"line": 0}, "line must be a whole number from 1"),
        ({"line": 1, "column": 0}, "column must be a whole number from 1"),
        ({"column": 3}, "a column needs a line"),
        ({"line": True}, "line must be a whole number from 1"),
    ):
        with pytest.raises(ValueError, match=message):
            Location(**bad)  # type: ignore[arg-type]


def test_finding_text_forms() -> None:
    f = finding(line=2, column=27)
    assert str(f) == "2:27: DK302 error: a blank is left"
    assert f.format("letter.txt") == "letter.txt:2:27: DK302 error a blank is left"
    whole = Finding(
        "DK104",
        "missing-claim-number",
        "error",
        "no claim number",
        Location(path="claim_number"),
        "add it",
    )
    assert whole.format("a.txt") == "a.txt: DK104 error no claim number [claim claim_number]"
    assert whole.to_dict()["location"] == {"line": None, "column": None, "path": "claim_number"}


def test_a_report_orders_findings_and_summarises_them() -> None:
    a = finding("DK302", 3, 1)
    b = finding("DK301", 1, 5, "warning")
    c = Finding("DK101", "missing-patient-name", "error", "no name", Location(), "name")
    d = finding("DK701", 1, 5, "info")
    report = Report([a, b, c, d], rules=["DK101", "DK301"])
    assert report.findings == (c, b, d, a)
    assert not report.ok
    assert report.errors == (c, a)
    assert report.warnings == (b,)
    assert report.infos == (d,)
    assert report.counts == {"error": 2, "warning": 1, "info": 1}
    assert report.summary == "2 errors, 1 warning, 1 info"
    assert list(report.by_rule()) == ["DK101", "DK301", "DK302", "DK701"]
    assert repr(report) == "<Report ok=False 2 errors, 1 warning, 1 info>"
    data = json.loads(report.to_json())
    assert data["ok"] is False and data["rules"] == ["DK101", "DK301"]
    assert [x["rule_id"] for x in data["findings"]] == ["DK101", "DK301", "DK701", "DK302"]
    assert report.format("x.txt").splitlines()[0] == "x.txt: DK101 error no name"
    assert Report([finding(severity="warning")]).ok
    with pytest.raises(TypeError):
        Report(["not a finding"])  # type: ignore[list-item]


def test_severity_ranks() -> None:
    assert Severity.INFO < Severity.WARNING < Severity.ERROR
    assert max(Severity) is Severity.ERROR
    assert Severity("warning").rank == 1


# ------------------------------------------------------------------ the validator


def test_rules_can_be_chosen_disabled_and_reweighted(text: str) -> None:
    edited = text.replace("Enclosures:", "The documents:")
    edited = edited.replace("enclosed record", "enclosed documentation")
    assert "DK118" in Validator(today=LETTER_DAY).check(edited).by_rule()
    assert Validator(today=LETTER_DAY).check(edited).ok
    stricter = Validator(today=LETTER_DAY, severity={"DK118": "error"})
    assert not stricter.check(edited).ok
    assert stricter.check(edited).by_rule()["DK118"][0].severity is Severity.ERROR
    assert "DK118" not in Validator(disable=["dk118"]).check(edited).by_rule()
    only = Validator(select=["DK118", "DK302"])
    assert only.ids == ("DK118", "DK302")
    assert set(only.check(edited + "[Date]").by_rule()) == {"DK118", "DK302"}


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"disable": ["DK999"]}, "disable: 'DK999' is not the id of a known rule"),
        ({"select": ["nonsense"]}, "select: a value is not the id of a known rule"),
        ({"severity": {"DK118": "fatal"}}, "severity for DK118 must be 'error', 'warning'"),
        ({"severity": {"DK000": "error"}}, "severity: 'DK000' is not the id of a known rule"),
        ({"max_per_rule": 0}, "max_per_rule must be a whole number from 1, or None"),
    ],
)
def test_bad_validator_settings_are_value_errors(kwargs: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        Validator(**kwargs)  # type: ignore[arg-type]


def test_rule_objects_are_checked() -> None:
    with pytest.raises(TypeError):
        Validator([object()])  # type: ignore[list-item]
    with pytest.raises(ValueError, match="unique"):
        Validator([Blanks(), Blanks()])
    with pytest.raises(TypeError):
        Validator(disable="DK101")  # type: ignore[arg-type]

    class NoHint(Blanks):
        hint = ""

    with pytest.raises(ValueError, match="hint"):
        Validator([NoHint()])


def test_a_custom_rule_runs_beside_the_built_in_ones() -> None:
    from denialkit.validation import builtin_rules

    v = Validator([*builtin_rules(), Blanks()], today=LETTER_DAY)
    found = v.check("Line one\nThe answer is [?].\n").by_rule()["ACME100"]
    assert [str(f.location) for f in found] == ["2:15"]
    assert found[0].severity is Severity.WARNING


def test_findings_per_rule_are_capped_and_the_cap_is_reported() -> None:
    v = Validator([Blanks()], max_per_rule=2)
    found = list(v.iter_findings("[?] [?] [?] [?] [?]"))
    assert [f.location.column for f in found] == [1, 5, 9]
    assert found[-1].message == "more findings of this rule were not listed (limit 2)"
    assert len(list(Validator([Blanks()], max_per_rule=None).iter_findings("[?]" * 50))) == 50


def test_iter_findings_is_lazy() -> None:
    calls: list[str] = []

    class Counting(Blanks):
        def check(self, doc: Document) -> Iterator[Finding]:
            calls.append(doc.text)
            yield from super().check(doc)

    v = Validator([Counting()])
    it = v.iter_findings("[?]")
    assert calls == []
    assert next(it).rule_id == "ACME100"
    assert calls == ["[?]"]


def test_validate_raises_with_every_error_and_no_more() -> None:
    with pytest.raises(LetterValidationError) as info:
        validate("Claim number: [Claim Number]\n")
    err = info.value
    assert isinstance(err, ValueError) and isinstance(err, DenialkitError)
    report = check("Claim number: [Claim Number]\n")
    assert err.findings == report.errors
    assert str(err).startswith(f"the letter has {len(report.errors)} errors: DK101 ")
    assert str(err).endswith(f" and {len(report.errors) - 5} more")
    few = Validator(select=["DK104", "DK302"])
    with pytest.raises(LetterValidationError) as info:
        few.validate("Re: Claim number [Claim Number]\n\n[Date]\n")
    assert str(info.value) == (
        "the letter has 3 errors: DK104 missing-claim-number, "
        "DK302 bracket-placeholder (line 1), DK302 bracket-placeholder (line 3)"
    )


def test_validate_returns_the_report_when_there_is_no_error(text: str, claim: Claim) -> None:
    report = validate(text, claim=claim, validator=Validator(today=LETTER_DAY))
    assert isinstance(report, Report) and report.ok


def test_module_functions_agree(text: str, claim: Claim) -> None:
    v = Validator(today=LETTER_DAY)
    broken = text.replace("April 28, 2026", "[Date]")
    a = check(broken, claim=claim, validator=v)
    assert validate_text(broken, claim, validator=v) == a
    lazy = list(iter_findings(broken, claim=claim, validator=v))
    assert [f.rule_id for f in lazy] == sorted(f.rule_id for f in lazy)  # rule by rule
    assert tuple(sorted(lazy, key=Finding.sort_key)) == a.findings
    assert is_valid(text, claim=claim, validator=v) is True
    assert is_valid(broken, claim=claim, validator=v) is False
    assert a.rules == v.ids


def test_a_letter_object_brings_its_claim_codes_and_date(
    text: str, claim: Claim, hand_letter: type
) -> None:
    v = Validator(today=date(2030, 1, 1))
    letter = hand_letter(text=text, claim=claim, codes=(lookup("CCM21"),))
    assert v.check(letter).ok
    # the letter's own date counts, even when its text shows another one
    moved = hand_letter(text=text, claim=claim, letter_date=date(2026, 9, 2))
    found = v.check(moved).by_rule()
    assert found["DK114"][0].location.path == "letter_date"
    assert found["DK408"][0].message.startswith("the letter is dated 10 days after")
    # arguments override the letter's own
    other = v.check(letter, codes=["CO-50"]).by_rule()
    assert [f.message for f in other["DK108"]] == ["the letter does not cite the denial code CO-50"]


def test_validation_never_changes_its_input(text: str, claim: Claim, hand_letter: type) -> None:
    codes = ["CCM21", "CO-16"]
    before = (text, claim, list(codes), pickle.dumps(claim))
    letter = hand_letter(text=text, claim=claim)
    for call in (check, validate_text, is_valid):
        call(text, claim=claim, codes=codes)  # type: ignore[operator]
    check(letter)
    assert (text, claim, codes, pickle.dumps(claim)) == before
    assert letter.text == text and letter.claim == claim


def test_documents_are_read_only(text: str) -> None:
    doc = Document(text)
    with pytest.raises(AttributeError):
        doc.text = "changed"  # type: ignore[misc]
    assert doc.location(0) == Location(1, 1)
    assert doc.location(len(text)).line == text.count("\n") + 1
    assert repr(doc) == f"<Document chars={len(text)} claim=no codes=()>"


SECRET = "Jane Q. Sentinel, member id SENT-1234-NEL"


class Raising(Blanks):
    """A rule with a bug: it fails on every letter, with the letter's text in its error."""

    id = "ACME200"

    def check(self, doc: Document) -> Iterator[Finding]:
        raise KeyError(doc.text)


class RaisingLater(Blanks):
    """A rule that reports one blank, then fails while the next one is read."""

    id = "ACME201"

    def check(self, doc: Document) -> Iterator[Finding]:
        for i, f in enumerate(super().check(doc)):
            if i:
                raise ZeroDivisionError(doc.text)
            yield f


@pytest.mark.parametrize("rule", [Raising(), RaisingLater()], ids=["at-once", "while-read"])
def test_a_failing_rule_raises_a_rule_error_naming_it_not_the_letter(rule: Rule) -> None:
    text = f"Patient: {SECRET}\n[?] [?]\n"
    v = Validator([Blanks(), rule])
    for call in (v.check, v.validate, v.is_valid, lambda t: list(v.iter_findings(t))):
        with pytest.raises(RuleError) as info:
            call(text)
        err = info.value
        assert isinstance(err, DenialkitError)
        assert (err.rule_id, err.distribution, err.entry_point) == (rule.id, None, None)
        cause = type(err.__cause__).__name__
        assert str(err) == (
            f"rule {rule.id} raised {cause} while checking a letter; fix the rule or disable it"
        )
        assert SECRET not in str(err) and SECRET not in repr(err)
        assert SECRET in str(err.__cause__)  # the cause is kept, for the developer
    assert Validator([Blanks(), rule], disable=[rule.id]).check(text).warnings


def test_findings_before_a_failure_are_still_seen_lazily() -> None:
    found = Validator([Blanks(), RaisingLater()]).iter_findings("[?] [?]")
    first = [next(found).rule_id for _ in range(3)]
    assert first == ["ACME100", "ACME100", "ACME201"]
    with pytest.raises(RuleError, match="ACME201"):
        next(found)


def test_the_default_validator_is_built_once() -> None:
    assert validation.default_validator() is validation.default_validator()
    assert "DK101" in validation.default_validator().ids


@pytest.fixture
def hand_letter() -> type:
    @attrs.frozen
    class HandLetter:
        text: str
        claim: Claim
        codes: tuple[object, ...] = ()
        letter_date: date = LETTER_DAY
        missing: tuple[str, ...] = ()
        level: object = None
        deadline: object = None
        template: str = "hand/written.txt"

    return HandLetter
