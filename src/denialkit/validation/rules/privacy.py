"""DK6xx: privacy (over-disclosure of patient data)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Final

from denialkit._ids import (
    compact,
    mbi_is_valid,
)
from denialkit.validation._analysis import (
    Scan,
    _fold,
    _glued,
    _s,
    _subscriber_label,
)
from denialkit.validation._model import Document, Finding, Rule

from ._registry import (
    E,
    _Hit,
    _report,
    _rule,
)

# -------------------- DK6xx privacy


@_rule(
    "DK601",
    "ssn",
    E,
    summary="No Social Security number is in the letter (3-2-4 digits with the SSA's "
    "assignment rules, or a number labelled SSN).",
    hint="Remove the SSN; identify the patient by member id or Medicare number.",
    authority="45 CFR 164.502(b) (minimum necessary); SSA number-assignment rules; MACRA "
    "section 501 (removing SSNs from Medicare cards)",
)
def _dk601(r: Rule, doc: Document, sc: Scan) -> Iterable[Finding]:
    hits: list[_Hit] = []
    for at in sc.ssn_starts:
        hits.append(("the letter contains what looks like a Social Security number", at, None))
    return _report(r, doc, hits)


_MBI_SHAPE_RE: Final = re.compile(r"0A[0A]0-?A[0A]0-?AA00")
_POLICY_REACH: Final = 40


_SUFFIX_MAX: Final = 3


def _same_family(a: str, b: str) -> bool:
    """Whether two compacted member ids differ only by a dependent's suffix: the subscriber's
    id and the patient's ("MTW55018822" and "MTW55018822-02")."""
    short, long = sorted((a, b), key=len)
    return long.startswith(short) and len(long) - len(short) <= _SUFFIX_MAX


def _policy_label(low: str, at: int) -> bool:
    """Whether the value at ``at`` follows a policy label on its line ("Policy No.: ...")."""
    line = low.rfind("\n", max(0, at - _POLICY_REACH), at) + 1
    return low.find("polic", max(line, at - _POLICY_REACH), at) >= 0


# labels of the id a state Medicaid program gives its member ("Medicaid ID", "Recipient ID",
# New York's and California's "CIN"), which a letter to a Medicaid managed care plan gives
# beside the plan's own member id
_STATE_ID_WORDS: Final = ("medicaid", "recipient", "cin", "client index")


# words of another plan of the same patient, in the sentence that gives its id ("primary
# coverage is through Gulfstream Health (member ID GFH 7740128)"), as a coordination of
# benefits letter gives the primary payer's id beside the secondary's
_OTHER_PLAN_WORDS: Final = ("primary", "secondary", "other coverage", "other insurance")
_OTHER_PLAN_REACH: Final = 100


def _other_plan_label(low: str, at: int) -> bool:
    """Whether the value at ``at`` is an id with another plan of the patient's, named before
    it on its line (the primary payer's id in a letter to the secondary payer)."""
    lo = max(low.rfind("\n", max(0, at - _OTHER_PLAN_REACH), at) + 1, at - _OTHER_PLAN_REACH)
    return any(low.find(w, lo, at) >= 0 for w in _OTHER_PLAN_WORDS)


def _state_id_label(low: str, at: int) -> bool:
    """Whether the value at ``at`` follows a state Medicaid id's label on its line."""
    lo = max(low.rfind("\n", max(0, at - _POLICY_REACH), at) + 1, at - _POLICY_REACH)
    return any(low.find(w, lo, at) >= 0 for w in _STATE_ID_WORDS)


@_rule(
    "DK602",
    "second-patient",
    E,
    summary="The letter holds one patient's identifiers only: no second Medicare number, "
    "member id, date of birth or patient name.",
    hint="Remove the other patient's details; send one letter per patient.",
    authority="45 CFR 164.502(b) (minimum necessary); PHI over-disclosure",
)
def _dk602(r: Rule, doc: Document, sc: Scan) -> list[Finding]:
    found: list[Finding] = []
    claim = doc.claim
    own = None
    if claim is not None:
        member = _s(claim.patient.member_id)
        if member is not None and mbi_is_valid(member):
            own = compact(member)
    text = sc.ascii
    seen: set[str] = set()
    for m in _MBI_SHAPE_RE.finditer(sc.shape):
        if _glued(text, m.start(), m.end()) or text[m.start()] == "0":
            continue
        v = compact(text[m.start() : m.end()])
        if (own is not None and v != own) or (own is None and seen and v not in seen):
            found.append(
                r.finding(doc, "the letter holds a second patient's Medicare number", at=m.start())
            )
            return found
        seen.add(v)
    if claim is not None:
        return found
    # a Medicare Advantage letter rightly gives both the Medicare number and the plan's id
    ids = [v for v in sc.member_ids if not v.medicare and not mbi_is_valid(v.value)]
    # a policy number is often the employer's group policy, given beside the member's own id
    own_ids = [v for v in ids if not _policy_label(sc.low, v.start)]
    if own_ids:
        ids = own_ids
    # the id the patient has with the other plan of a coordination of benefits
    this_plan = [v for v in ids if not _other_plan_label(sc.low, v.start)] if len(ids) > 1 else []
    if this_plan:
        ids = this_plan
    # the state's Medicaid id and the plan's member id are two ids of one patient: a second
    # patient shows as a second id of one kind
    low = sc.low
    state = [v for v in ids if _state_id_label(low, v.start)] if len(ids) > 1 else []
    for kind in (state, [v for v in ids if v not in state]) if state else (ids,):
        if len({compact(v.value) for v in kind}) > 1:
            first = compact(kind[0].value)
            other = next((v for v in kind if not _same_family(compact(v.value), first)), None)
            if other is not None:
                found.append(
                    r.finding(doc, "the letter holds more than one member id", at=other.start)
                )
                return found
    dobs = [t for t in sc.birth_dates if t.value is not None]
    if len({t.value for t in dobs}) > 1:
        later = next(t for t in dobs if t.value != dobs[0].value)
        found.append(r.finding(doc, "the letter holds more than one date of birth", at=later.start))
        return found
    names = sc.patient_names
    # the subscriber (a parent, a spouse) is named beside the dependent patient
    patients = [v for v in names if not _subscriber_label(sc.low, v.start)]
    if patients:
        names = patients
    if names:
        first_words = set(_fold(names[0].value).split(" "))
        for other_name in names[1:]:
            if not first_words & set(_fold(other_name.value).split(" ")):
                found.append(
                    r.finding(doc, "the letter names more than one patient", at=other_name.start)
                )
                return found
    return found
