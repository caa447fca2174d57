"""DK5xx: code-specific evidence (behavioral health integration for CCM21)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Final

from denialkit import _care_minutes
from denialkit.validation._analysis import (
    _COCM,
    Scan,
    _find_word,
    _mentions,
)
from denialkit.validation._model import Document, Finding, Rule

from ._registry import (
    _NONE,
    W,
    _rule,
)

# -------------------- DK5xx code-specific evidence

_SCALES: Final = (
    "phq-9", "phq9", "phq-a", "phq-2", "gad-7", "gad7", "pcl-5", "epds", "audit-c", "mdq",
    "rating scale", "validated scale", "validated instrument", "validated tool",
    "validated measure", "validated screening",
)  # fmt: skip
_BHI_AUTHORITY: Final = "AAFP BHI coding guide; CMS MLN909432 (Behavioral Health Integration)"


def _evidence_rule(
    id: str, slug: str, what: str, words: Sequence[str], hint: str, authority: str
) -> None:
    def fn(r: Rule, doc: Document, sc: Scan) -> Iterable[Finding]:
        if sc.bhi_codes is not None and not _mentions(sc, words):
            return (r.finding(doc, f"the letter does not show {what}"),)
        return _NONE

    _rule(
        id,
        slug,
        W,
        summary=f"A letter about behavioral health integration (CCM21, or BHI/CoCM codes "
        f"billed) shows {what}.",
        hint=hint,
        authority=authority,
    )(fn)


_evidence_rule(
    "DK501",
    "bhi-consent-not-shown",
    "the patient's consent",
    ("consent",),
    "State when and how the patient consented (with cost sharing explained) and enclose it.",
    "CMS care management consent requirement (Texas Medical Association summary); "
    "unverified for BHI, hence a warning",
)
_evidence_rule(
    "DK502",
    "bhi-care-plan-not-shown",
    "the care plan",
    ("care plan", "treatment plan"),
    "Describe the behavioral health care plan in force that month and enclose it.",
    _BHI_AUTHORITY,
)
_evidence_rule(
    "DK503",
    "bhi-rating-scale-not-shown",
    "a validated rating scale (such as PHQ-9 or GAD-7)",
    _SCALES,
    "Name the validated scale used (PHQ-9, GAD-7) with its dates and scores.",
    _BHI_AUTHORITY + " (body text not re-read, hence a warning)",
)


def _stated_minutes(sc: Scan) -> tuple[Decimal, int | None, str | None] | None:
    if sc.claim is not None:
        v = sc.claim.facts.get("care_manager_minutes")
        if isinstance(v, (int, Decimal)) and not isinstance(v, bool):
            dv = Decimal(v)
            if dv.is_finite():
                return dv, None, "facts.care_manager_minutes"
    found = sc.text_minutes
    if not found:
        return None
    n, at = max(found)
    return Decimal(n), at, None


@_rule(
    "DK504",
    "bhi-minutes-not-shown",
    W,
    summary="A letter about behavioral health integration states the minutes of care "
    "management in the calendar month.",
    hint="State the total minutes of care management in the month and enclose the time log.",
    authority=_BHI_AUTHORITY,
)
def _dk504(r: Rule, doc: Document, sc: Scan) -> list[Finding]:
    found: list[Finding] = []
    if sc.bhi_codes is not None and not sc.states_minutes:
        found.append(r.finding(doc, "the letter does not state the minutes of care in the month"))
    return found


@_rule(
    "DK505",
    "bhi-minutes-below-threshold",
    W,
    summary="The minutes stated reach the fewest that bill the code in the month: 99484 "
    "at least 20; 99492 from 36, 99493 from 31 and G2214 from 16 (more than half their 70, 60 "
    "and 30); each unit of 99494 from 16 past the base code's full time, then 30 more.",
    hint="Check the time log; if the minutes support only a lower code, correct the claim "
    "instead of appealing.",
    authority="AAFP BHI coding guide (99484, 99492-99494); AAPC on G2214 (CMS-1751-F); the CPT "
    "time rule (a unit of time is reached once its midpoint is passed) for the CoCM codes",
)
def _dk505(r: Rule, doc: Document, sc: Scan) -> list[Finding]:
    found: list[Finding] = []
    if not sc.bhi_codes:
        return found
    needed = _care_minutes.minutes_needed((c, u) for c, u, _, _ in sc.service_codes)
    if needed is None:
        return found
    what, need = needed
    stated = _stated_minutes(sc)
    if stated is None:
        return found
    minutes, at, path = stated
    if minutes < need:
        shown = format(Decimal(need).normalize(), "f")
        found.append(
            r.finding(
                doc,
                f"the minutes stated are fewer than the {shown} that {what} needs in the month",
                at=at,
                path=path,
            )
        )
    return found


def _cocm(sc: Scan) -> bool:
    billed = sc.bhi_codes
    if billed is None:
        return False
    low = sc.low
    return bool(billed & _COCM) or (
        not billed and (_mentions(sc, ("collaborative care",)) or _find_word(low, "cocm") >= 0)
    )


@_rule(
    "DK506",
    "cocm-care-manager-not-named",
    W,
    summary="A collaborative care (CoCM) letter names the behavioral health care manager.",
    hint="Name the care manager and their behavioral health training.",
    authority="NGS Medicare BHI page, from MLN909432 (the CoCM care team)",
)
def _dk506(r: Rule, doc: Document, sc: Scan) -> list[Finding]:
    found: list[Finding] = []
    if _cocm(sc) and not _mentions(sc, ("care manager",)):
        found.append(r.finding(doc, "the letter does not name the behavioral health care manager"))
    return found


@_rule(
    "DK507",
    "cocm-consultant-not-named",
    W,
    summary="A collaborative care (CoCM) letter names the psychiatric consultant.",
    hint="Name the psychiatric consultant and summarise their caseload review.",
    authority="NGS Medicare BHI page, from MLN909432 (the CoCM care team)",
)
def _dk507(r: Rule, doc: Document, sc: Scan) -> list[Finding]:
    found: list[Finding] = []
    if _cocm(sc) and not _mentions(
        sc, ("psychiatric consultant", "consulting psychiatrist", "psychiatrist")
    ):
        found.append(r.finding(doc, "the letter does not name the psychiatric consultant"))
    return found


@_rule(
    "DK508",
    "addon-without-base",
    W,
    summary="CPT 99494 (additional collaborative care time) is billed with 99492 or 99493, "
    "never alone.",
    hint="Bill 99494 only with its base code for the same month; correct the claim.",
    authority="AAFP BHI coding guide (99494 is reported with 99492 or 99493)",
)
def _dk508(r: Rule, doc: Document, sc: Scan) -> list[Finding]:
    found: list[Finding] = []
    codes = sc.service_codes
    billed = {c for c, _, _, _ in codes}
    if "99494" in billed and not billed & {"99492", "99493"}:
        for c, _, path, at in codes:
            if c == "99494":
                found.append(
                    r.finding(doc, "99494 is billed without 99492 or 99493", at=at, path=path)
                )
                return found
    return found


# (the denial code, what the argument must name, in words a letter uses)
_DISPUTED: Final = (
    ("4", "the modifier", ("modifier",)),
    (
        "50",
        "the coverage policy or criteria",
        ("policy", "criteria", "criterion", "lcd", "ncd", "guideline", "coverage determination"),
    ),
    (
        "197",
        "the authorization",
        ("authoriz", "authoris", "precert", "pre-cert", "prior approval", "referral"),
    ),
    ("CCM21", "the minutes or the required elements", ("minute", "consent", "care plan", "scale")),
)


def _disputed_codes(sc: Scan) -> set[str]:
    """The codes the letter answers: the given ones, else those the text cites."""
    if sc.codes:
        return {c.code for c in sc.codes}
    return {c.code.code for c in sc.cited if c.code is not None}


@_rule(
    "DK509",
    "boilerplate-argument",
    W,
    summary="The argument names what the denial disputes: the modifier for CO-4, the coverage "
    "policy or criteria for CO-50, the authorization for CO-197, the minutes or elements for "
    "CCM21. An argument that never names it is boilerplate.",
    hint="Name the disputed item and show where the record proves it (e.g. 'modifier 25 was "
    "appended because ...').",
    authority="logic; AMA appeal guidance (address the specific reason for the denial)",
)
def _dk509(r: Rule, doc: Document, sc: Scan) -> list[Finding]:
    found: list[Finding] = []
    codes = _disputed_codes(sc)
    if not codes:
        return found
    for code, what, words in _DISPUTED:
        if code in codes and not _mentions(sc, words):
            found.append(r.finding(doc, f"the argument never names {what}"))
    return found
