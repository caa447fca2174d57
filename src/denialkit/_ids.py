"""Identifier checks used by the validator (private).

Every check works on ASCII only. The one normalisation step is explicit: :func:`compact`
removes ASCII spaces and hyphens and upper-cases ASCII letters; nothing else is mapped, so
fullwidth (``１``) or Arabic-Indic (``١``) digits never pass as digits here, unlike
``str.isdigit()`` or ``int()``.

>>> npi_is_valid("1234567893"), npi_is_valid("1234567898")
(True, False)
>>> mbi_is_valid("1EG4-TE5-MK73"), mbi_is_valid("1eg4te5mk73"), mbi_is_valid("1SG4TE5MK73")
(True, True, False)
>>> icd10cm_shape_ok("F32.1"), icd10cm_shape_ok("C7A.00"), icd10cm_shape_ok("32.1")
(True, True, False)
>>> [procedure_kind(c) for c in ("99484", "G2214", "0001U", "9948")]
['CPT', 'HCPCS', 'CPT-PLA', None]
>>> ssn_like("123-45-6789"), ssn_like("000-12-3456"), ssn_like("078-05-1120")
(True, False, False)
"""

from __future__ import annotations

import functools
import re
from typing import Final

__all__ = [
    "MBI_RE",
    "compact",
    "hicn_like",
    "icd10cm_shape_ok",
    "mbi_is_valid",
    "npi_is_valid",
    "procedure_kind",
    "ssn_like",
]

_ASCII_DIGITS: Final = re.compile(r"[0-9]+")

#: The 20 letters an MBI may use: A-Z without S, L, O, I, B and Z.
MBI_LETTER: Final = "[AC-HJKMNP-RT-Y]"
_MBI_BODY: Final = (
    f"[1-9]{MBI_LETTER}[0-9AC-HJKMNP-RT-Y][0-9]{MBI_LETTER}[0-9AC-HJKMNP-RT-Y][0-9]"
    f"{MBI_LETTER}{MBI_LETTER}[0-9][0-9]"
)
#: An MBI in compact form (no dashes, upper case).
MBI_RE: Final = re.compile(_MBI_BODY)
_HICN_RE: Final = re.compile(r"[0-9]{9}[A-Z][A-Z0-9]?")
_ICD_RE: Final = re.compile(r"[A-Z][0-9][0-9A-Z](?:\.?[0-9A-Z]{1,4})?")
_CPT_RE: Final = re.compile(r"[0-9]{5}")
_CPT_EXTRA_RE: Final = re.compile(r"[0-9]{4}([FTU])")
_HCPCS_RE: Final = re.compile(r"[A-V][0-9]{4}")
_SSN_RE: Final = re.compile(r"([0-9]{3})-?([0-9]{2})-?([0-9]{4})")

#: Numbers that look like SSNs but were never issued (used in advertising and examples).
_SSN_BLACKLIST: Final = frozenset({"078051120", "457555462", "219099999"})


def compact(value: str) -> str:
    """The one normalisation: drop ASCII spaces and hyphens, upper-case ASCII letters.

    >>> compact(" 1eg4-te5-mk73 ")
    '1EG4TE5MK73'
    """
    out = value.replace(" ", "").replace("-", "")
    return out.upper() if out.isascii() else "".join(c.upper() if c.isascii() else c for c in out)


def _ascii_digits(value: str) -> bool:
    return _ASCII_DIGITS.fullmatch(value) is not None


@functools.lru_cache(maxsize=1024)
def npi_is_valid(value: str) -> bool:
    """Whether ``value`` is a well-formed NPI: 10 ASCII digits, first digit 1 or 2, and a
    Luhn check digit computed with the ``80840`` prefix (CMS check-digit rule).

    Spaces and hyphens are removed first; anything else makes the NPI invalid.

    >>> npi_is_valid("1234567893"), npi_is_valid("３234567893"), npi_is_valid("3234567893")
    (True, False, False)
    """
    v = compact(value)
    if len(v) != 10 or not _ascii_digits(v) or v[0] not in "12":
        return False
    total = 0
    for i, ch in enumerate(reversed("80840" + v)):
        d = ord(ch) - 48
        if i % 2 == 1:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return total % 10 == 0


def mbi_is_valid(value: str) -> bool:
    """Whether ``value`` is a well-formed Medicare Beneficiary Identifier (after
    :func:`compact`): 11 characters in the CMS position pattern."""
    return MBI_RE.fullmatch(compact(value)) is not None


def hicn_like(value: str) -> bool:
    """Whether ``value`` looks like a legacy SSN-based HICN: nine digits and a letter suffix.

    >>> hicn_like("123456789A"), hicn_like("123-45-6789C1"), hicn_like("1EG4TE5MK73")
    (True, True, False)
    """
    return _HICN_RE.fullmatch(compact(value)) is not None


def icd10cm_shape_ok(value: str) -> bool:
    """Whether ``value`` has the shape of an ICD-10-CM code (3 to 7 characters, a letter,
    a digit, then digits or letters, an optional decimal point after the third character).

    Only the shape is checked: denialkit does not ship the ICD-10-CM code set.
    """
    v = value.upper() if value.isascii() else value
    return _ICD_RE.fullmatch(v) is not None


def procedure_kind(value: str) -> str | None:
    """The kind of procedure code ``value`` is shaped like, or ``None``.

    ``"CPT"`` (Category I, five digits), ``"CPT-II"`` (four digits and F), ``"CPT-III"``
    (four digits and T), ``"CPT-PLA"`` (four digits and U), ``"HCPCS"`` (Level II: a letter
    A to V and four digits).
    """
    v = value.upper() if value.isascii() else value
    if _CPT_RE.fullmatch(v):
        return "CPT"
    m = _CPT_EXTRA_RE.fullmatch(v)
    if m:
        return {"F": "CPT-II", "T": "CPT-III", "U": "CPT-PLA"}[m.group(1)]
    if _HCPCS_RE.fullmatch(v):
        return "HCPCS"
    return None


def ssn_like(value: str) -> bool:
    """Whether ``value`` could be an issued Social Security number: 3-2-4 ASCII digits
    (hyphens optional), area not 000, 666 or 900-999, group not 00, serial not 0000, and
    not one of the numbers known never to have been issued."""
    m = _SSN_RE.fullmatch(value)
    if m is None:
        return False
    area, group, serial = m.groups()
    if area in ("000", "666") or area[0] == "9" or group == "00" or serial == "0000":
        return False
    return area + group + serial not in _SSN_BLACKLIST
