"""Bad input: junk, huge text, every Unicode category, near-miss strings, wrong types; and
patient values never leaking into findings, reprs, errors or logs.

Nothing here is timed: linear scaling is measured in benchmarks/bench_validation.py. The
near-miss strings are the inputs that make a backtracking pattern explode; with the
validator's patterns each one finishes like any other text.
"""

from __future__ import annotations

import logging
import sys
import unicodedata
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import attrs
import pytest

from denialkit.claim import Claim, Denial, Patient, Payer, PlanType, Provider, ServiceLine
from denialkit.exceptions import LetterValidationError
from denialkit.validation import (
    Report,
    Validator,
    check,
    is_valid,
    iter_findings,
    validate,
    validate_text,
)
from payloads import tampered

LETTER_DAY = date(2026, 4, 28)

JUNK_LETTERS: list[Any] = [
    None,
    b"Claim number: 1",
    bytearray(b"x"),
    0,
    1.5,
    True,
    object(),
    ["text"],
    {"text": "x"},
    Decimal("NaN"),
    datetime(2026, 1, 1),
]


@pytest.mark.parametrize("junk", JUNK_LETTERS, ids=lambda j: type(j).__name__)
def test_anything_but_a_letter_is_a_type_error(junk: Any) -> None:
    for call in (check, validate, iter_findings):
        with pytest.raises(TypeError):
            call(junk)
    with pytest.raises(TypeError):
        validate_text(junk)
    assert is_valid(junk) is False


@pytest.mark.parametrize(
    "kwargs",
    [
        {"claim": "not a claim"},
        {"claim": {"claim_number": "1"}},
        {"codes": "CO-16"},
        {"codes": [16]},
        {"codes": [None]},
        {"codes": 5},
        {"validator": "strict"},
    ],
    ids=str,
)
def test_wrong_argument_types_are_type_errors(kwargs: dict[str, Any]) -> None:
    with pytest.raises(TypeError):
        check("Claim number: 1", **kwargs)
    assert is_valid("Claim number: 1", **kwargs) is False


def test_unknown_or_malformed_code_strings_are_findings_not_exceptions() -> None:
    v = Validator(select=["DK206", "DK208"])
    report = v.check("text", codes=["CO-999", "not a code", "💥", "", "XYZ12"])
    paths = {f.rule_id: [] for f in report}  # type: dict[str, list[str | None]]
    for f in report:
        paths[f.rule_id].append(f.location.path)
    assert paths == {
        "DK206": ["codes[0]", "codes[1]", "codes[2]", "codes[3]"],
        "DK208": ["codes[4]"],
    }


@pytest.mark.parametrize(
    "text",
    ["", " ", "\n", "💥", "\u202e", "\udcff", "\x00", "\ufeff", "x" * 1_000_000],
    ids=["empty", "space", "newline", "emoji", "rlo", "surrogate", "nul", "bom", "1MB"],
)
def test_odd_text_gives_findings_never_exceptions(text: str) -> None:
    report = check(text)
    assert isinstance(report, Report)
    assert not report.ok  # nothing here is a letter
    assert is_valid(text) is False


def test_text_with_every_unicode_category() -> None:
    firsts: dict[str, str] = {}
    for cp in range(sys.maxunicode + 1):
        ch = chr(cp)
        cat = unicodedata.category(ch)
        firsts.setdefault(cat, ch)
        if len(firsts) == 30:
            break
    sample = "".join(firsts.values())
    assert {unicodedata.category(c) for c in sample} >= {"Cs", "Co", "Cn", "Nd", "Zs", "Cf"}
    text = (sample + " Claim number: 12 " + sample[::-1] + "\n") * 200
    report = check(text)
    ids = set(report.by_rule())
    assert {"DK706", "DK707"} <= ids  # the surrogate and the control character


def test_binary_junk_decoded_leniently() -> None:
    junk = bytes(range(256)) * 400 + b"\xff\xfe\x00\x00" * 1000
    report = check(junk.decode("utf-8", "surrogateescape"))
    assert "DK706" in report.by_rule()
    report = check(junk.decode("latin-1"))
    assert "DK707" in report.by_rule()


def test_ten_megabytes_of_letter(text: str) -> None:
    big = (text * (10_000_000 // len(text) + 1))[:10_000_000]
    report = Validator(today=LETTER_DAY).check(big)
    assert "DK709" in report.by_rule()
    assert all(len(v) <= 1001 for v in report.by_rule().values())


NEAR_MISSES = {
    "brackets": "[" * 100_000,
    "underscores": "__ " * 300_000,
    "one-long-underscore-run": "_" * 10**6,
    "digits": "1" * 10**6,
    "open-braces": "{" * 100_000,
    "unclosed-template": "{{" + "a" * 10**6,
    "open-parens": "(" * 100_000,
    "paren-words": "(patient " * 100_000,
    "letters": "a" * 10**6,
    "group-code-stems": "CO-" * 300_000,
    "claim-labels": "claim: " * 100_000,
    "npi-labels": "npi " * 200_000,
    "years": " 2026" * 200_000,
    "month-days": "March 1, " * 100_000,
    "missing-markers": "[MISSING:" * 100_000,
    "dash-digits": "-0" * 500_000,
    "ssn-stems": "123-45-" * 150_000,
    "request-verbs": "ask " * 250_000,
    "closings": "sincerely " * 100_000,
    "service-labels": "date of service " * 60_000,
    "accented": "ë" * 10**6,
    "digit-accent": "1ë" * 500_000,
    "zero-width": "1\u200b" * 500_000,
    "bidi": "\u202e" * 10**6,
    "minutes": "12 min " * 150_000,
    "code-labels": "reason code " * 80_000,
    "enclosure-stems": "enc " * 250_000,
    "markers": "TODO " * 200_000,
    "mbis": "7KQ2XF3RW45 " * 80_000,
}


@pytest.mark.parametrize("name", sorted(NEAR_MISSES))
def test_long_near_miss_strings_finish(name: str) -> None:
    report = Validator(plugins=False).check(NEAR_MISSES[name])
    assert not report.ok
    assert all(len(v) <= 1001 for v in report.by_rule().values())


# ------------------------------------------------------------------ patient values never leak

SENTINEL = "ZZPHI"
DOB = date(1944, 7, 13)
DOS = date(2026, 3, 17)
NOTICE = date(2026, 4, 9)
DATE_FORMS = (
    [f"{d:%B} {d.day}, {d.year}" for d in (DOB, DOS, NOTICE)]
    + [f"{d:%m/%d/%Y}" for d in (DOB, DOS, NOTICE)]
    + [d.isoformat() for d in (DOB, DOS, NOTICE)]
)


def sentinel_claim() -> Claim:
    return Claim(
        claim_number=f"{SENTINEL}-CLM-7731",
        patient=Patient(
            name=f"{SENTINEL} Quill",
            member_id=f"{SENTINEL}7731",
            birth_date=DOB,
            group_number=f"{SENTINEL}-GRP",
        ),
        provider=Provider(
            name="Valley Family Medicine", npi="1234567898", signer_name=f"{SENTINEL} Signer"
        ),
        payer=Payer(
            name="Acme Health",
            plan_type=PlanType.COMMERCIAL,
            appeals_address=f"{SENTINEL} Appeals Street",
        ),
        services=(
            ServiceLine(code="99492", date=DOS, diagnoses=(f"{SENTINEL}.9",)),
            tampered(  # a datetime the constructor would refuse, for DK402 to find
                ServiceLine(code=f"{SENTINEL}9", date=DOS), date=datetime(2026, 3, 18, 8, 0)
            ),
        ),
        denial=Denial(
            notice_date=NOTICE, codes=("CCM21", f"{SENTINEL}1"), reason=f"{SENTINEL} reason text"
        ),
        facts={"care_manager_minutes": 12, "consent_note": f"{SENTINEL} consent note"},
    )


SENTINEL_TEXT = (
    "[Date]\n"
    f"Patient: Other {SENTINEL}person\n"
    f"Member ID: {SENTINEL}9999\n"
    f"Claim number: {SENTINEL}-CLM-0000\n"
    "Medicare number: 9ZZ9-ZZ9-ZZ99\n"
    "SSN: 219-45-6789\n"
    "Date of birth: February 30, 1944\n"
    f"Date of service: {DOS:%B} 18, 2026 and {DOS:%m/%d/%Y}\n"
    f"NPI: {SENTINEL}12\n"
    f"Diagnosis: {SENTINEL}Z\n"
    f"CPT {SENTINEL}1 reason code CO-999 and denial code {SENTINEL}12\n"
    f"[MISSING: {SENTINEL} secret] {{{{ {SENTINEL} }}}} ({SENTINEL} name) TODO\n"
    f"7KQ2\u200bXF3RW45 \u202e{SENTINEL}\n"
)


def _leaks(s: str) -> list[str]:
    return [x for x in [SENTINEL, SENTINEL.lower(), *DATE_FORMS, "219-45-6789", "Quill"] if x in s]


def test_no_patient_value_in_findings_reprs_or_errors(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    claim = sentinel_claim()
    v = Validator(today=date(2027, 1, 1))
    report = v.check(SENTINEL_TEXT, claim=claim)
    assert len(report.by_rule()) > 25  # plenty of rules had something to say
    for f in report:
        for s in (f.message, f.hint, str(f.location), str(f), repr(f), f.format("letter.txt")):
            assert not _leaks(s), (f.rule_id, s)
    assert not _leaks(repr(report)) and not _leaks(report.to_json())
    assert not _leaks(repr(v.document(SENTINEL_TEXT, claim=claim)))
    with pytest.raises(LetterValidationError) as info:
        v.validate(SENTINEL_TEXT, claim=claim)
    assert not _leaks(str(info.value)) and not _leaks(repr(info.value))
    assert not _leaks(repr(info.value.findings))
    for record in caplog.records:
        assert not _leaks(record.getMessage())


def test_no_patient_value_in_type_errors() -> None:
    claim = sentinel_claim()
    bad_letter = attrs.make_class(
        "Bad",
        {
            k: attrs.field(default=None)
            for k in (
                "text",
                "claim",
                "codes",
                "letter_date",
                "missing",
                "level",
                "deadline",
                "template",
            )
        },
    )(text=f"{SENTINEL}".encode())
    for call in (
        lambda: check(bad_letter),
        lambda: check(f"{SENTINEL}", codes=[claim]),
        lambda: check(SENTINEL_TEXT.encode()),
        lambda: check(SENTINEL_TEXT, claim=SENTINEL),
    ):
        with pytest.raises(TypeError) as info:
            call()
        assert not _leaks(str(info.value))
