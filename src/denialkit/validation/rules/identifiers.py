"""DK2xx: codes and identifiers (formats, check digits, known codes, consistency)."""

from __future__ import annotations

import bisect
import functools
import importlib
import importlib.resources
import re
import threading
import warnings
from collections.abc import Iterable
from types import ModuleType
from typing import Final

import attrs

from denialkit._ids import (
    compact,
    hicn_like,
    icd10cm_shape_ok,
    mbi_is_valid,
    npi_is_valid,
    procedure_kind,
)
from denialkit.codes import CodeRef, CodeSystem, DenialCode, default_table, parse
from denialkit.validation._analysis import (
    _PCS_RE,
    _YEAR_RE,
    Scan,
    _fold,
    _s,
    _subscriber_label,
)
from denialkit.validation._model import Document, Finding, Rule

from ._registry import (
    _NONE,
    INF,
    E,
    W,
    _Hit,
    _report,
    _rule,
)

# -------------------- DK2xx codes and identifiers


@_rule(
    "DK201",
    "invalid-npi",
    E,
    summary="Every NPI is 10 ASCII digits, starts with 1 or 2 and passes the check digit "
    "(Luhn over 80840 and the NPI).",
    hint="Copy the NPI again from NPPES; a typo fails the check digit.",
    authority='CMS "Requirements for NPI Check Digit"; NPI final rule, 69 FR 3434',
)
def _dk201(r: Rule, doc: Document, sc: Scan) -> Iterable[Finding]:
    hits: list[_Hit] = []
    if doc.claim is not None:
        npi = _s(doc.claim.provider.npi)
        if npi is not None and not npi_is_valid(npi):
            hits.append(
                ("the provider's NPI on the claim is not a valid NPI", None, "provider.npi")
            )
    for v in sc.npis:
        if not npi_is_valid(v.value):
            hits.append(("an NPI in the letter is not a valid NPI", v.start, None))
    return _report(r, doc, hits)


@_rule(
    "DK202",
    "invalid-mbi",
    E,
    summary="A Medicare number is a well-formed MBI: 11 characters in the CMS position "
    "pattern (dashes and lower case are accepted).",
    hint="Copy the Medicare number from the patient's card or the remittance.",
    authority='CMS "Understanding the Medicare Beneficiary Identifier (MBI) Format"',
)
def _dk202(r: Rule, doc: Document, sc: Scan) -> Iterable[Finding]:
    hits: list[_Hit] = []
    for value, at, path in sc.medicare_ids:
        if not mbi_is_valid(value) and not hicn_like(value):
            hits.append(("a Medicare number is not a well-formed MBI", at, path))
    return _report(r, doc, hits)


@_rule(
    "DK203",
    "legacy-hicn",
    W,
    summary="A Medicare number is an old SSN-based HICN; appeals may still use one, but it "
    "carries the patient's Social Security number.",
    hint="Use the patient's MBI for claims from 2020 on; keep a HICN only when the payer "
    "asks for it.",
    authority="CMS Social Security Number Removal Initiative (appeals are a listed exception)",
)
def _dk203(r: Rule, doc: Document, sc: Scan) -> Iterable[Finding]:
    hits: list[_Hit] = []
    for value, at, path in sc.medicare_ids:
        if hicn_like(value):
            hits.append(("a Medicare number is a legacy SSN-based HICN", at, path))
    return _report(r, doc, hits)


@_rule(
    "DK204",
    "invalid-icd10",
    E,
    summary="Every diagnosis code has the ICD-10-CM shape: a letter, a digit, then one to five "
    "letters or digits, with the decimal point after the third character.",
    hint="Copy the diagnosis code from the claim, e.g. 'F32.1'.",
    authority="ICD-10-CM code structure (NCI SEER training module; U codes allowed since 2020)",
)
def _dk204(r: Rule, doc: Document, sc: Scan) -> Iterable[Finding]:
    hits: list[_Hit] = []
    if doc.claim is not None:
        for i, s in enumerate(doc.claim.services):
            dx = s.diagnoses if isinstance(s.diagnoses, (tuple, list)) else ()
            for j, code in enumerate(dx):
                if not isinstance(code, str) or not icd10cm_shape_ok(code.strip()):
                    hits.append(
                        (
                            "a diagnosis code on the claim is not shaped like an ICD-10-CM code",
                            None,
                            f"services[{i}].diagnoses[{j}]",
                        )
                    )
    for v in sc.diagnoses:
        if not icd10cm_shape_ok(v.value):
            hits.append(
                (
                    "a diagnosis code in the letter is not shaped like an ICD-10-CM code",
                    v.start,
                    None,
                )
            )
    return _report(r, doc, hits)


@_rule(
    "DK205",
    "invalid-procedure-code",
    E,
    summary="Every procedure code has a CPT shape (five digits; four digits and F, T or U), "
    "a HCPCS Level II shape (a letter A to V and four digits) or, on a hospital's inpatient "
    "claim, an ICD-10-PCS shape (seven digits and letters other than I and O).",
    hint="Copy the procedure code from the claim, e.g. '99484' or 'G2214'.",
    authority="AMA CPT code categories (Category II 'F', III 'T', PLA 'U'); HCPCS Level II",
)
def _dk205(r: Rule, doc: Document, sc: Scan) -> Iterable[Finding]:
    hits: list[_Hit] = []
    if doc.claim is not None:
        for i, s in enumerate(doc.claim.services):
            code = s.code if isinstance(s.code, str) else ""
            if procedure_kind(code.strip()) is None:
                hits.append(
                    (
                        "a service code on the claim is not shaped like a CPT or HCPCS code",
                        None,
                        f"services[{i}].code",
                    )
                )
    for v in sc.procedure_codes:
        if (
            procedure_kind(v.value) is None
            and not _YEAR_RE.fullmatch(v.value)
            and not _PCS_RE.fullmatch(v.value)
        ):
            hits.append(
                (
                    "a procedure code in the letter is not shaped like a CPT or HCPCS code",
                    v.start,
                    None,
                )
            )
    return _report(r, doc, hits)


_MISTYPED_STANDARD_RE: Final = re.compile(r"(?:MA|M|N)?[0-9]+", re.IGNORECASE)


def _parse_or_none(raw: str) -> CodeRef | None:
    try:
        return parse(raw)
    except ValueError:
        return None


def _is_extension(ref: CodeRef | None) -> bool:
    return ref is not None and ref.system is CodeSystem.EXTENSION


@functools.cache
def _carc_letters() -> frozenset[str]:
    """The letters CARCs start with (A, B, D, P, W, Y in the shipped tables)."""
    return frozenset(
        c.code[0] for c in default_table() if c.system is CodeSystem.CARC and c.code[0].isalpha()
    )


def _payer_specific(raw: str, ref: CodeRef | None) -> bool:
    """Whether a cited code is a payer's own: an extension code, a labelled code of no
    standard shape ("denial reason code 4RX"), or a letter and digits where the letter
    starts no CARC ("adjustment code Z98"). Digits alone, N, M or MA and digits, or a
    CARC's letter and digits ("B99") are a mistyped CARC or RARC instead."""
    if ref is not None:
        if ref.system is CodeSystem.CARC and ref.code[0].isalpha():
            return ref.code[0] not in _carc_letters()
        return ref.system is CodeSystem.EXTENSION
    return _MISTYPED_STANDARD_RE.fullmatch(raw) is None


@_rule(
    "DK206",
    "unknown-denial-code",
    E,
    summary="Every CARC and RARC given for the letter or cited in it is in denialkit's code "
    "tables.",
    hint="Check the code against the remittance; update denialkit if the code is new.",
    authority="X12 CARC list and CMS RARC list (the releases denialkit ships)",
)
def _dk206(r: Rule, doc: Document, sc: Scan) -> Iterable[Finding]:
    hits: list[_Hit] = []
    for path, raw, code in doc.code_inputs:
        if code is None and not _is_extension(_parse_or_none(raw)):
            hits.append(
                ("a denial code given for the letter is not a known CARC or RARC", None, path)
            )
    for c in sc.cited:
        if c.explicit and c.code is None and not _payer_specific(c.raw, c.ref):
            if c.ref is not None:
                msg = f"{c.ref.system.value} code {c.ref.code} is not in the code tables"
            else:
                msg = "a cited denial code is not a CARC or RARC"
            hits.append((msg, c.start, None))
    return _report(r, doc, hits)


@_rule(
    "DK207",
    "inactive-denial-code",
    E,
    summary="Every denial code given or cited was in use on at least one date of service.",
    hint="Check the code on the remittance; a code stopped before the service date cannot "
    "have been sent for it.",
    authority="X12 CARC and CMS RARC start and stop dates",
)
def _dk207(r: Rule, doc: Document, sc: Scan) -> Iterable[Finding]:
    hits: list[_Hit] = []
    days = sc.service_days
    if not days:
        return _report(r, doc, hits)
    for path, _, code in doc.code_inputs:
        if code is not None and not any(map(code.is_active, days)):
            hits.append(
                (f"the denial code {code.key} was not in use on the dates of service", None, path)
            )
    for c in sc.cited:
        if c.code is not None and c.explicit and not any(map(c.code.is_active, days)):
            hits.append(
                (
                    f"the cited code {c.code.key} was not in use on the dates of service",
                    c.start,
                    None,
                )
            )
    return _report(r, doc, hits)


@_rule(
    "DK208",
    "unknown-extension-code",
    W,
    summary="A payer or vendor code (such as CCM21) given or cited resolves in denialkit's "
    "extension tables.",
    hint="Check the code on the payer's notice; standard remittances use CARCs and RARCs.",
    authority="HIPAA 835 code sets (payers use X12 CARCs and CMS RARCs); denialkit's "
    "extension tables",
)
def _dk208(r: Rule, doc: Document, sc: Scan) -> Iterable[Finding]:
    hits: list[_Hit] = []
    for path, raw, code in doc.code_inputs:
        if code is None and _is_extension(_parse_or_none(raw)):
            hits.append(
                (
                    "a payer-specific code given for the letter is not in denialkit's tables",
                    None,
                    path,
                )
            )
    for c in sc.cited:
        if c.explicit and c.code is None and _payer_specific(c.raw, c.ref):
            hits.append(
                (
                    "a payer-specific code cited in the letter is not in denialkit's tables",
                    c.start,
                    None,
                )
            )
    return _report(r, doc, hits)


def _group_mismatch(code: DenialCode) -> bool:
    return bool(
        code.group is not None and code.group_limit and code.group.code not in code.group_limit
    )


@_rule(
    "DK209",
    "group-code-not-allowed",
    W,
    summary="A reason code is given or cited with a group code the CARC list allows for it.",
    hint="Copy the group code (CO, PR, OA, PI) exactly as the remittance shows it.",
    authority="X12 CARC list (group-code restrictions)",
)
def _dk209(r: Rule, doc: Document, sc: Scan) -> Iterable[Finding]:
    hits: list[_Hit] = []
    for path, _, code in doc.code_inputs:
        if code is not None and _group_mismatch(code):
            assert code.group is not None
            hits.append(
                (f"reason code {code.code} is not used with group {code.group.code}", None, path)
            )
    for c in sc.cited:
        if c.code is not None and _group_mismatch(c.code):
            assert c.code.group is not None
            hits.append(
                (
                    f"reason code {c.code.code} is not used with group {c.code.group.code}",
                    c.start,
                    None,
                )
            )
    return _report(r, doc, hits)


def _occurrences(low: str, value: str) -> list[int]:
    """Where ``value`` (lower case) stands in the text, without overlaps: one find per
    occurrence, so linear in the text."""
    out: list[int] = []
    i = low.find(value) if value else -1
    while i >= 0:
        out.append(i)
        i = low.find(value, i + len(value))
    return out


def _inside(start: int, occurrences: list[int], size: int) -> bool:
    """Whether a value found at ``start`` lies within an occurrence of the claim's own value:
    a label read inside it ("CLM#445" holds a "Clm #" label) finds a part of it, not another
    number."""
    i = bisect.bisect_right(occurrences, start) - 1
    return i >= 0 and start < occurrences[i] + size


@_rule(
    "DK210",
    "claim-number-mismatch",
    E,
    summary="A claim number written after a claim-number label is the claim's.",
    hint="Correct the claim number in the letter to the one on the remittance.",
    authority="Logic (consistency with the claim)",
)
def _dk210(r: Rule, doc: Document, sc: Scan) -> Iterable[Finding]:
    hits: list[_Hit] = []
    if doc.claim is None:
        return _report(r, doc, hits)
    number = _s(doc.claim.claim_number)
    if number is None:
        return _report(r, doc, hits)
    want = compact(number)
    own = _occurrences(sc.low, number.lower())
    for v in sc.claim_numbers:
        if compact(v.value) != want and not _inside(v.start, own, len(number)):
            hits.append(
                ("a claim number in the letter differs from the claim's", v.start, "claim_number")
            )
    return _report(r, doc, hits)


@_rule(
    "DK211",
    "member-id-mismatch",
    E,
    summary="A member id or Medicare number written after its label is the patient's.",
    hint="Correct the member id in the letter to the one on the claim.",
    authority="Logic (consistency with the claim); 45 CFR 164.502(b) (minimum necessary)",
)
def _dk211(r: Rule, doc: Document, sc: Scan) -> Iterable[Finding]:
    hits: list[_Hit] = []
    if doc.claim is None:
        return _report(r, doc, hits)
    member = _s(doc.claim.patient.member_id)
    if member is None:
        return _report(r, doc, hits)
    group = _s(doc.claim.patient.group_number)
    allowed = {compact(member)} | ({compact(group)} if group else set())
    own = _occurrences(sc.low, member.lower())
    for v in sc.member_ids:
        if compact(v.value) not in allowed and not _inside(v.start, own, len(member)):
            hits.append(
                (
                    "a member id in the letter differs from the patient's",
                    v.start,
                    "patient.member_id",
                )
            )
    return _report(r, doc, hits)


@_rule(
    "DK212",
    "service-code-not-on-claim",
    W,
    summary="A procedure code written after 'CPT', 'HCPCS' or 'procedure' is one of the "
    "claim's services.",
    hint="Check the code; the argument may discuss other codes, but a wrong service code "
    "confuses the reviewer.",
    authority="Logic (consistency with the claim)",
)
def _dk212(r: Rule, doc: Document, sc: Scan) -> Iterable[Finding]:
    hits: list[_Hit] = []
    if doc.claim is None:
        return _report(r, doc, hits)
    billed = {c for c, _, _, _ in sc.service_codes}
    for v in sc.procedure_codes:
        code = v.value.upper()
        if procedure_kind(code) and code not in billed:
            hits.append((f"the letter names {code}, which is not on the claim", v.start, None))
    return _report(r, doc, hits)


@_rule(
    "DK213",
    "patient-name-mismatch",
    E,
    summary="A name written after a 'Patient:' (or 'Beneficiary:', 'Member:') label shares "
    "a name with the claim's patient.",
    hint="Correct the name to the claim's patient; never send one patient's letter with "
    "another's name.",
    authority="Logic (consistency with the claim); 45 CFR 164.502(b)",
)
def _dk213(r: Rule, doc: Document, sc: Scan) -> Iterable[Finding]:
    hits: list[_Hit] = []
    if doc.claim is None:
        return _report(r, doc, hits)
    name = _s(doc.claim.patient.name)
    if name is None:
        return _report(r, doc, hits)
    want: set[str] | None = None
    for v in sc.patient_names:
        if v.value == name:
            continue  # the claim's name itself shares all its words (folded, at least "")
        if _subscriber_label(sc.low, v.start):
            continue  # the parent or spouse who holds the plan, named beside the patient
        if want is None:
            want = set(_fold(name).split(" "))
        if not want & set(_fold(v.value).split(" ")):
            hits.append(
                ("a patient name in the letter differs from the claim's", v.start, "patient.name")
            )
    return _report(r, doc, hits)


@_rule(
    "DK214",
    "denial-code-not-on-claim",
    W,
    summary="A denial code cited in the letter is one of the codes the letter answers.",
    hint="Check the code; cite the codes from the remittance being appealed.",
    authority="Logic (consistency with the claim)",
)
def _dk214(r: Rule, doc: Document, sc: Scan) -> Iterable[Finding]:
    hits: list[_Hit] = []
    if not doc.codes:
        return _report(r, doc, hits)
    given = {(c.system, c.code) for c in doc.codes}
    seen: set[tuple[CodeSystem, str]] = set()
    for c in sc.cited:
        if c.code is None:
            continue
        key = (c.code.system, c.code.code)
        if key in given or key in seen:
            continue
        if c.explicit or c.code.system is CodeSystem.EXTENSION:
            seen.add(key)
            hits.append(
                (
                    f"the letter cites {c.code.key}, which is not among the codes it answers",
                    c.start,
                    None,
                )
            )
    return _report(r, doc, hits)


# -- ICD-10-CM existence (the optional extra denialkit[icd10]) --------------------------

_ICD10_MODULE = "simple_icd_10_cm"
_ICD10_DIST = "simple-icd-10-cm"


class _Icd10:
    """The ICD-10-CM code list of the optional extra, loaded on first use (it takes seconds
    and about 190 MB, so never at import)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._done = False
        self._module: ModuleType | None = None
        self.version = ""

    def get(self) -> ModuleType | None:
        if not self._done:
            with self._lock:
                if not self._done:
                    self._load()
                    self._done = True
        return self._module

    def _load(self) -> None:
        try:
            with warnings.catch_warnings():
                # the package reads its data with importlib.resources calls Python deprecates
                warnings.simplefilter("ignore", DeprecationWarning)
                module = importlib.import_module(_ICD10_MODULE)
        except ImportError:
            return
        lists = sorted(
            f.name
            for f in importlib.resources.files(f"{_ICD10_MODULE}.data").iterdir()
            if f.name.startswith("code-list-")
        )
        data = lists[-1].removeprefix("code-list-").removesuffix(".txt").replace("-", " ")
        from importlib.metadata import PackageNotFoundError, version

        try:
            dist = version(_ICD10_DIST)
        except PackageNotFoundError:
            dist = "unknown"
        self.version = f"ICD-10-CM code list of {data or 'unknown date'} ({_ICD10_DIST} {dist})"
        self._module = module


_ICD10: Final = _Icd10()


@_rule(
    "DK215",
    "unknown-icd10",
    W,
    summary="Every diagnosis code exists in ICD-10-CM and is billable (not a header), checked "
    "against the code list of the optional extra denialkit[icd10]; without it, an info "
    "finding says the check was skipped.",
    hint="Check the code against the ICD-10-CM list of the date of service's fiscal year; "
    "bill the most specific code, not a header.",
    authority="ICD-10-CM (CDC/CMS), via the simple-icd-10-cm package's code list",
)
def _dk215(r: Rule, doc: Document, sc: Scan) -> Iterable[Finding]:
    codes: list[tuple[str, int | None, str | None]] = []
    if doc.claim is not None:
        for i, s in enumerate(doc.claim.services):
            dx = s.diagnoses if isinstance(s.diagnoses, (tuple, list)) else ()
            for j, code in enumerate(dx):
                if isinstance(code, str) and icd10cm_shape_ok(code.strip()):
                    codes.append((code.strip(), None, f"services[{i}].diagnoses[{j}]"))
    codes.extend((v.value, v.start, None) for v in sc.diagnoses if icd10cm_shape_ok(v.value))
    if not codes:
        return _NONE
    cm = _ICD10.get()
    if cm is None:
        skipped = r.finding(
            doc,
            "the diagnosis codes were not checked against ICD-10-CM: install denialkit[icd10]",
        )
        return (attrs.evolve(skipped, severity=INF),)
    hits: list[_Hit] = []
    for code, at, path in codes:
        c = code.upper()
        if not cm.is_valid_item(c):
            hits.append(
                (
                    f"a diagnosis code is not in the {_ICD10.version}; validity depends on the "
                    "fiscal year of the date of service",
                    at,
                    path,
                )
            )
        elif not cm.is_leaf(c):
            hits.append(
                ("a diagnosis code is a header of ICD-10-CM, not a billable code", at, path)
            )
    return _report(r, doc, hits)
