"""Identifier checks: published test vectors and the look-alike traps."""

from __future__ import annotations

import pytest

from denialkit._ids import (
    compact,
    hicn_like,
    icd10cm_shape_ok,
    mbi_is_valid,
    npi_is_valid,
    procedure_kind,
    ssn_like,
)


@pytest.mark.parametrize(
    ("npi", "ok"),
    [
        ("1234567893", True),  # the CMS / ropensci test vector
        ("1234567898", False),  # same digits, wrong check digit
        ("1245319599", True),
        ("2234567891", True),
        ("2234567892", False),
        ("3234567899", False),  # first digit must be 1 or 2 even when the Luhn sum fits
        ("123456789", False),
        ("12345678930", False),
        ("1234-567893", True),  # hyphens and spaces are the only things normalised away
        ("１２３４５６７８９３", False),  # fullwidth digits are not digits here
        ("١٢٣٤٥٦٧٨٩٣", False),  # Arabic-Indic digits neither
        ("123456789\u200b3", False),
        ("", False),
    ],
)
def test_npi(npi: str, ok: bool) -> None:
    assert npi_is_valid(npi) is ok


def test_npi_luhn_uses_the_80840_prefix() -> None:
    # adding 24 to the plain Luhn sum of the ten digits is the same check
    def luhn_sum(digits: str) -> int:
        total = 0
        for i, ch in enumerate(reversed(digits)):
            d = int(ch)
            if i % 2 == 1:
                d = d * 2 - 9 if d * 2 > 9 else d * 2
            total += d
        return total

    for n in range(1_000_000_000, 1_000_000_000 + 3_000, 7):
        npi = str(n)
        assert npi_is_valid(npi) is ((luhn_sum(npi) + 24) % 10 == 0)


@pytest.mark.parametrize(
    ("mbi", "ok"),
    [
        ("1EG4-TE5-MK73", True),  # the CMS example
        ("1EG4TE5MK73", True),
        ("1eg4te5mk73", True),  # CMS upper-cases lower-case input
        ("0EG4TE5MK73", False),  # position 1 is 1-9
        ("1SG4TE5MK73", False),  # S, L, O, I, B, Z are never used
        ("1EG4TE5MK7", False),
        ("1EG4TE5MK733", False),
        ("1E94TE5MK73", True),  # positions 3 and 6 may be digits
        ("1EGATE5MK73", False),  # position 4 is a digit
        ("1ЕG4TE5MK73", False),  # Cyrillic Е
    ],
)
def test_mbi(mbi: str, ok: bool) -> None:
    assert mbi_is_valid(mbi) is ok


def test_hicn() -> None:
    assert hicn_like("123456789A") and hicn_like("123-45-6789C1")
    assert not hicn_like("1EG4TE5MK73") and not hicn_like("12345678A")


@pytest.mark.parametrize(
    ("code", "ok"),
    [
        ("F32.1", True),
        ("F321", True),
        ("F32", True),
        ("C7A.00", True),
        ("Z3A.20", True),
        ("U07.1", True),
        ("S72.001A", True),
        ("T36.0X1A", True),
        ("f32.1", True),
        ("32.1", False),
        ("FF2.1", False),
        ("F3", False),
        ("F32.12345", False),
        ("F3２.1", False),
    ],
)
def test_icd10cm_shape(code: str, ok: bool) -> None:
    assert icd10cm_shape_ok(code) is ok


@pytest.mark.parametrize(
    ("code", "kind"),
    [
        ("99484", "CPT"),
        ("1234F", "CPT-II"),
        ("0042T", "CPT-III"),
        ("0001U", "CPT-PLA"),
        ("G2214", "HCPCS"),
        ("V5008", "HCPCS"),
        ("W1234", None),
        ("9948", None),
        ("994844", None),
        ("９９４８４", None),
    ],
)
def test_procedure_shapes(code: str, kind: str | None) -> None:
    assert procedure_kind(code) == kind


@pytest.mark.parametrize(
    ("value", "ok"),
    [
        ("123-45-6789", True),
        ("123456789", True),
        ("000-12-3456", False),
        ("666-12-3456", False),
        ("900-12-3456", False),
        ("123-00-4567", False),
        ("123-45-0000", False),
        ("078-05-1120", False),
        ("457-55-5462", False),
        ("219-09-9999", False),
        ("１２３-45-6789", False),
    ],
)
def test_ssn_detector(value: str, ok: bool) -> None:
    assert ssn_like(value) is ok


def test_compact_is_the_only_normalisation() -> None:
    assert compact(" 1eg4-te5 mk73 ") == "1EG4TE5MK73"
    assert compact("１-2") == "１2"  # nothing but ASCII spaces and hyphens is touched
