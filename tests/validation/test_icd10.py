"""The ICD-10-CM existence check (DK215), with the optional extra denialkit[icd10] installed
and without it. The extra is in the test extra, so CI runs both: the absent case in a
subprocess in which the import is blocked (``sys.modules[name] = None``)."""

from __future__ import annotations

import json
import subprocess
import sys

import attrs
import pytest

from denialkit.validation import Validator

from .conftest import LETTER_DAY, ccm21_claim, ccm21_text

ABSENT = """
import json, sys
sys.modules["simple_icd_10_cm"] = None  # the extra is not installed
from denialkit.validation import Validator
text = "Patient: Jo Roe\\nDiagnosis: F33.1, Z99.99\\n"
print(json.dumps([[f.rule_id, f.severity.value, f.message] for f in
                  Validator(select=["DK215"]).check(text)]))
"""


def test_without_the_extra_one_info_finding_says_the_check_was_skipped() -> None:
    out = subprocess.run(
        [sys.executable, "-c", ABSENT], capture_output=True, text=True, check=True
    ).stdout
    assert json.loads(out) == [
        [
            "DK215",
            "info",
            "the diagnosis codes were not checked against ICD-10-CM: install denialkit[icd10]",
        ]
    ]


def test_importing_the_validator_does_not_load_the_code_list() -> None:
    code = "import sys, denialkit.validation; print('simple_icd_10_cm' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


@pytest.fixture(scope="module")
def icd10() -> None:
    pytest.importorskip("simple_icd_10_cm")


@pytest.mark.usefixtures("icd10")
@pytest.mark.parametrize(
    ("written", "message"),
    [
        ("Z99.99", "a diagnosis code is not in the ICD-10-CM code list of "),
        ("M54.5", "a diagnosis code is a header of ICD-10-CM, not a billable code"),
    ],
)
def test_an_absent_or_header_code_is_a_warning(written: str, message: str) -> None:
    text = ccm21_text() + f"Diagnosis: F33.1, {written}\n"
    found = Validator(today=LETTER_DAY).check(text).by_rule()["DK215"]
    assert [f.severity.value for f in found] == ["warning"]
    assert found[0].message.startswith(message)
    assert written not in found[0].message
    line = text.splitlines()[found[0].location.line - 1]  # type: ignore[operator]
    assert line[found[0].location.column - 1 :].startswith(written)  # type: ignore[operator]


@pytest.mark.usefixtures("icd10")
def test_the_absent_code_warning_names_the_data_version() -> None:
    found = Validator(select=["DK215"]).check("Diagnosis: Z99.99\n").findings
    assert "code list of April 2026 (simple-icd-10-cm " in found[0].message
    assert "fiscal year" in found[0].message


@pytest.mark.usefixtures("icd10")
def test_the_claims_codes_are_checked_with_their_path() -> None:
    claim = ccm21_claim()
    svc = attrs.evolve(claim.services[0], diagnoses=("F33.1", "F41"))
    claim = claim.evolve(services=(svc,))
    found = Validator(today=LETTER_DAY).check(ccm21_text(), claim=claim).by_rule()["DK215"]
    assert [f.location.path for f in found] == ["services[0].diagnoses[1]"]


@pytest.mark.usefixtures("icd10")
def test_real_billable_codes_pass() -> None:
    text = ccm21_text() + "Diagnosis: F33.1, F41.1, M54.50, S72.001A\n"
    assert "DK215" not in Validator(today=LETTER_DAY).check(text).by_rule()
