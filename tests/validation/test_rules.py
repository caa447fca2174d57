"""Every built-in rule: one case that makes it fire, one near-miss that keeps it quiet.

Each case starts from the complete hand-written CCM21 letter and its claim (which pass with
no finding at all) and changes one thing. The test asserts what a user sees: the rule's id
among the findings (or not), and where the finding points.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import attrs
import pytest

from denialkit.claim import Claim, Payer, PlanType, ServiceLine
from denialkit.codes import lookup
from denialkit.validation import Report, Validator, builtin_rules, validate_text
from payloads import tampered

from .conftest import HERE, ccm21_text

LETTER_DAY = date(2026, 4, 28)
Case = Callable[[str, Claim], tuple[Any, dict[str, Any]]]


def sub(text: str, old: str, new: str, count: int = -1) -> str:
    """``text`` with ``old`` replaced; fails loudly when ``old`` is absent."""
    assert old in text, f"the fixture no longer contains {old!r}"
    return text.replace(old, new, count)


def subs(text: str, *pairs: tuple[str, str]) -> str:
    for old, new in pairs:
        text = sub(text, old, new)
    return text


def no_redetermination(text: str) -> str:
    return subs(text, ("Redeterminations", "Appeals"), ("redetermination", "review"))


def unnamed_enclosure(text: str) -> str:
    """The letter's mention of its enclosures names no document ("the enclosed record" would
    name one, and so need no list)."""
    return sub(text, "enclosed record", "enclosed documentation")


def commercial(claim: Claim, **payer: Any) -> Claim:
    return claim.evolve(payer=Payer(name="Medicare Part B", plan_type=PlanType.COMMERCIAL, **payer))


def letter(text: str, claim: Claim, **attrs_: Any) -> Any:
    @attrs.frozen
    class HandLetter:
        text: str
        claim: Claim
        codes: tuple[Any, ...] = ()
        letter_date: date = LETTER_DAY
        missing: tuple[str, ...] = ()
        level: object = None
        deadline: object = None
        template: str = "hand/written.txt"

    return HandLetter(text=text, claim=claim, **attrs_)


def with_claim(text: str, claim: Claim) -> tuple[Any, dict[str, Any]]:
    return text, {"claim": claim}


def text_only(text: str) -> tuple[Any, dict[str, Any]]:
    return text, {}


def with_record(text: str, claim: Claim, minutes: int = 82, **changes: Any) -> Any:
    """The letter, its claim and a FHIR record of March 2026 that agrees with the letter
    (consent March 2, care plan March 3, a PHQ-9 of 14 on March 24, ``minutes`` logged)."""
    import json

    from denialkit import record

    def coded(system: str, code: str) -> dict[str, Any]:
        return {"coding": [{"system": system, "code": code}]}

    resources = [
        {
            "resourceType": "Consent",
            "id": "c1",
            "status": "active",
            "dateTime": "2026-03-02",
            "scope": coded("http://terminology.hl7.org/CodeSystem/consentscope", "treatment"),
        },
        {
            "resourceType": "CarePlan",
            "id": "p1",
            "status": "active",
            "period": {"start": changes.get("plan", "2026-03-03")},
            "category": [
                coded("http://hl7.org/fhir/us/core/CodeSystem/careplan-category", "assess-plan")
            ],
        },
        {
            "resourceType": "Observation",
            "id": "o1",
            "status": "final",
            "code": coded("http://loinc.org", "44261-6"),
            "effectiveDateTime": "2026-03-24",
            "valueInteger": 14,
        },
        {
            "resourceType": "Procedure",
            "id": "t1",
            "status": "completed",
            "code": coded("http://www.ama-assn.org/go/cpt", "99492"),
            "performedPeriod": {
                "start": "2026-03-05T08:00:00-05:00",
                "end": f"2026-03-05T{8 + minutes // 60:02d}:{minutes % 60:02d}:00-05:00",
            },
        },
    ]
    if changes.get("no_time"):
        resources.pop()
    rec = record.read(
        json.dumps(
            {"resourceType": "Bundle", "entry": [{"resource": r} for r in resources]}
        ).encode()
    )
    return text, {"claim": claim, "record": rec}


BOILERPLATE = (
    "The claim was denied. We believe this denial is in error. The services were medically "
    "necessary and appropriately documented, and the enclosed records support payment.\n"
)

# (rule id, a case that fires it, a near-miss that does not)
CASES: dict[str, tuple[Case, Case]] = {
    # ------------------------------------------------------------------ DK1xx
    "DK101": (
        lambda t, c: with_claim(sub(t, "Patient: Zoë Nguyễn", "Patient: our patient"), c),
        lambda t, c: with_claim(sub(t, "Patient: Zoë Nguyễn", "Patient: NGUYEN, Zoe"), c),
    ),
    "DK102": (
        lambda t, c: with_claim(sub(t, "Medicare number (MBI): 7KQ2-XF3-RW45\n", ""), c),
        lambda t, c: with_claim(sub(t, "7KQ2-XF3-RW45", "7kq2xf3rw45"), c),
    ),
    "DK103": (
        lambda t, c: with_claim(
            t,
            commercial(c, appeal_window_days=180).evolve(
                patient=attrs.evolve(c.patient, group_number="GRP-5521")
            ),
        ),
        lambda t, c: with_claim(
            sub(t, "Claim number:", "Group number: GRP 5521\nClaim number:"),
            commercial(c, appeal_window_days=180).evolve(
                patient=attrs.evolve(c.patient, group_number="GRP-5521")
            ),
        ),
    ),
    "DK104": (
        lambda t, c: with_claim(sub(t, "Claim number: 5526012345670\n", ""), c),
        lambda t, c: with_claim(sub(t, "5526012345670", "5526 0123-45670"), c),
    ),
    "DK105": (
        lambda t, c: with_claim(
            sub(t, "Date of service: March 31, 2026", "Date of service: the last day of the month"),
            c,
        ),
        lambda t, c: with_claim(sub(t, "March 31, 2026", "03/31/2026"), c),
    ),
    "DK106": (
        lambda t, c: with_claim(sub(t, "99492", "the service"), c),
        lambda t, c: with_claim(
            sub(sub(t, "CPT 99492 (", "the service ("), "CPT 99492 with", "99492 with"), c
        ),
    ),
    "DK107": (
        lambda t, c: text_only(
            subs(
                t,
                ("denied", "reviewed"),
                ("Denial:", "Code:"),
                ("denial code", "code"),
                ("the denial", "the decision"),
            )
        ),
        lambda t, c: text_only(
            subs(
                t,
                ("denied", "reviewed"),
                ("Denial:", "Code:"),
                ("denial code", "code"),
                ("the denial", "the adverse benefit determination"),
            )
        ),
    ),
    "DK108": (
        lambda t, c: (t, {"codes": ["CO-50", "CCM21"]}),
        lambda t, c: (
            sub(t, "Denial: CCM21", "Denial: CCM21 and reason code CO-50"),
            {"codes": ["CO-50", "CCM21"]},
        ),
    ),
    "DK109": (
        lambda t, c: with_claim(
            t,
            c.evolve(
                denial=attrs.evolve(c.denial, reason="The records were not received in time.")
            ),
        ),
        lambda t, c: with_claim(t, c),  # the reason is quoted across a line break
    ),
    "DK110": (
        lambda t, c: text_only("Attn: Appeals\nThe claim was denied. Thank you.\n"),
        lambda t, c: text_only("Attn: Appeals\nThe claim was denied. Please reconsider it.\n"),
    ),
    "DK111": (
        lambda t, c: text_only("We request reconsideration of claim 123; it was denied.\n"),
        lambda t, c: text_only(t),
    ),
    "DK112": (
        lambda t, c: text_only(
            subs(
                t,
                ("Attn: Provider Appeals Department\n", ""),
                ("Medicare Part B Redeterminations\n", "Medicare Part B\n"),
                ("To the redetermination reviewer:", "Hello,"),
            )
        ),
        lambda t, c: text_only(
            subs(
                t,
                ("Attn: Provider Appeals Department\n", ""),
                ("To the redetermination reviewer:", "To: Claims review"),
            )
        ),
    ),
    "DK113": (
        lambda t, c: with_claim(sub(t, "PO Box 6700", "PO Box 6701"), c),
        lambda t, c: with_claim(sub(t, "PO Box 6700", "P.O. Box 6700"), c),
    ),
    "DK114": (
        lambda t, c: text_only(sub(t, "\nApril 28, 2026\n", "\n")),
        lambda t, c: text_only(sub(t, "\nApril 28, 2026\n", "\nDate: 04/28/2026\n")),
    ),
    "DK115": (
        lambda t, c: text_only(
            subs(
                t,
                ("Phone: (217) 555-0142  Fax: (217) 555-0143\n", ""),
                ("Springfield, IL 62704\n", ""),
            )
        ),
        lambda t, c: text_only(
            sub(t, "Phone: (217) 555-0142  Fax: (217) 555-0143", "billing@valleyfm.example")
        ),
    ),
    "DK116": (
        lambda t, c: text_only(sub(t, "NPI: 1234567893\n", "")),
        lambda t, c: text_only(sub(t, "NPI: 1234567893", "NPI 1234567893")),
    ),
    "DK117": (
        lambda t, c: text_only(sub(t, "Sincerely,\n\nMaria Chen, MD\n", "")),
        lambda t, c: with_claim(sub(t, "Sincerely,", "Respectfully submitted,"), c),
    ),
    "DK118": (
        lambda t, c: text_only(unnamed_enclosure(sub(t, "Enclosures:", "The documents:"))),
        lambda t, c: text_only(sub(t, "Enclosures:", "Attachments (5):")),
    ),
    "DK119": (
        lambda t, c: with_claim(no_redetermination(t), c),
        lambda t, c: with_claim(no_redetermination(t), commercial(c, appeal_window_days=180)),
    ),
    "DK120": (
        lambda t, c: with_claim(
            no_redetermination(t), c.evolve(denial=attrs.evolve(c.denial, level=1))
        ),
        lambda t, c: with_claim(t, c.evolve(denial=attrs.evolve(c.denial, level=1))),
    ),
    # ------------------------------------------------------------------ DK2xx
    "DK201": (
        lambda t, c: text_only(sub(t, "NPI: 1234567893", "NPI: 1234567898")),
        lambda t, c: text_only(sub(t, "NPI: 1234567893", "NPI: 1234-567893")),
    ),
    "DK202": (
        lambda t, c: text_only(sub(t, "7KQ2-XF3-RW45", "7SQ2-XF3-RW45")),
        lambda t, c: text_only(sub(t, "7KQ2-XF3-RW45", "7kq2-xf3-rw45")),
    ),
    "DK203": (
        lambda t, c: text_only(sub(t, "7KQ2-XF3-RW45", "123456789A")),
        lambda t, c: text_only(t),
    ),
    "DK204": (
        lambda t, c: text_only(sub(t, "CPT 99492 (first", "Diagnosis: 33.1\nCPT 99492 (first")),
        lambda t, c: text_only(
            sub(t, "CPT 99492 (first", "Diagnoses: F33.1, F41.1\nCPT 99492 (first")
        ),
    ),
    "DK205": (
        lambda t, c: text_only(sub(t, "CPT 99492 (", "CPT 9949 (")),
        lambda t, c: text_only(sub(t, "CPT 99492 (", "CPT 99492 and 0001U (")),
    ),
    "DK206": (
        lambda t, c: text_only(sub(t, "Denial: CCM21", "Denial: CCM21, reason code CO-999")),
        lambda t, c: text_only(sub(t, "Denial: CCM21", "Denial: CCM21, reason code CO-16")),
    ),
    "DK207": (
        lambda t, c: text_only(sub(t, "Denial: CCM21", "Denial: CCM21, reason code CO-15")),
        lambda t, c: text_only(
            subs(
                t,
                ("Denial: CCM21", "Denial: CCM21, reason code CO-15"),
                ("Date of service: March 31, 2026", "Date of service: March 31, 2017"),
            )
        ),
    ),
    "DK208": (
        lambda t, c: text_only(sub(t, "Denial: CCM21", "Denial: denial code XYZ12")),
        lambda t, c: text_only(sub(t, "Denial: CCM21", "Denial: denial code CCM21")),
    ),
    "DK209": (
        lambda t, c: text_only(sub(t, "Denial: CCM21", "Denial: CCM21 with PR-18")),
        lambda t, c: text_only(sub(t, "Denial: CCM21", "Denial: CCM21 with OA-18")),
    ),
    "DK210": (
        lambda t, c: with_claim(
            sub(t, "Claim number: 5526012345670", "Claim number: 5526012345671"), c
        ),
        lambda t, c: with_claim(
            sub(t, "Claim number: 5526012345670", "Claim #: 5526-0123-45670"), c
        ),
    ),
    "DK211": (
        lambda t, c: with_claim(sub(t, "7KQ2-XF3-RW45", "7KQ2-XF3-RW46"), c),
        lambda t, c: with_claim(sub(t, "7KQ2-XF3-RW45", "7kq2xf3rw45"), c),
    ),
    "DK212": (
        lambda t, c: with_claim(sub(t, "Service: CPT 99492", "Service: CPT 99493"), c),
        lambda t, c: with_claim(sub(t, "Service: CPT 99492", "Service: CPT® 99492"), c),
    ),
    "DK213": (
        lambda t, c: with_claim(sub(t, "Patient: Zoë Nguyễn", "Patient: Jane Roe"), c),
        lambda t, c: with_claim(sub(t, "Patient: Zoë Nguyễn", "Patient: Nguyen, Zoe"), c),
    ),
    "DK214": (
        lambda t, c: with_claim(sub(t, "Denial: CCM21", "Denial: CCM21 and reason code CO-16"), c),
        lambda t, c: with_claim(t, c),
    ),
    "DK215": (
        lambda t, c: text_only(t + "Diagnosis: Z99.99\n"),
        lambda t, c: text_only(t),
    ),
    # ------------------------------------------------------------------ DK3xx
    "DK301": (
        lambda t, c: text_only(sub(t, "To the", "{{ salutation }}")),
        lambda t, c: text_only(sub(t, "Re:", "Re {see below}:")),
    ),
    "DK302": (
        lambda t, c: text_only(sub(t, "April 28, 2026\n", "[Insert Date]\n")),
        lambda t, c: text_only(sub(t, "stating:", "stating [sic]:")),
    ),
    "DK303": (
        lambda t, c: text_only(sub(t, "Patient: Zoë Nguyễn", "Patient: (Patient Name)")),
        lambda t, c: text_only(sub(t, "the PHQ-9", "the depression scale (PHQ-9)")),
    ),
    "DK304": (
        lambda t, c: text_only(sub(t, "Maria Chen, MD\n", "Maria Chen, MD\n__________\n")),
        lambda t, c: text_only(sub(t, "Maria Chen, MD\n", "Maria Chen, MD (file ref_a__b)\n")),
    ),
    "DK305": (
        lambda t, c: text_only(sub(t, "The patient gave", "TODO check. The patient gave")),
        lambda t, c: text_only(t + "Diagnosis code S72.XXXA is not billed here.\n"),
    ),
    "DK306": (
        lambda t, c: text_only(
            sub(t, "Claim number: 5526012345670", "Claim number: 5526012345670\nMember ID: N/A")
        ),
        lambda t, c: text_only(
            sub(
                t,
                "Claim number: 5526012345670",
                "Claim number: 5526012345670\nSecondary payer: N/A",
            )
        ),
    ),
    "DK307": (
        lambda t, c: text_only(sub(t, "on March 2, 2026", "on [MISSING: consent date]")),
        lambda t, c: text_only(
            sub(t, "on March 2, 2026", "on March 2, 2026 (no longer missing from the chart)")
        ),
    ),
    "DK308": (
        lambda t, c: text_only(sub(t, "Springfield, IL 62704", "CITY STATE ZIP")),
        lambda t, c: text_only(
            sub(t, "Springfield, IL 62704", "Springfield, IL 62704 (main office)")
        ),
    ),
    "DK309": (
        lambda t, c: text_only(sub(t, "7KQ2-XF3-RW45", "ABC0000D0000")),
        lambda t, c: text_only(sub(t, "7KQ2-XF3-RW45", "7AB2-CD3-EF45")),
    ),
    # ------------------------------------------------------------------ DK4xx
    "DK401": (
        lambda t, c: text_only(sub(t, "March 3, 2026", "February 30, 2026")),
        lambda t, c: text_only(sub(t, "March 3, 2026", "February 28, 2026")),
    ),
    "DK402": (
        lambda t, c: with_claim(
            t, c.evolve(services=(tampered(c.services[0], date=datetime(2026, 3, 31, 9, 30)),))
        ),
        lambda t, c: with_claim(t, c),
    ),
    "DK403": (
        lambda t, c: with_claim(
            sub(t, "March 31, 2026", "May 5, 2026"),
            c.evolve(services=(attrs.evolve(c.services[0], date=date(2026, 5, 5)),)),
        ),
        lambda t, c: with_claim(
            sub(t, "March 31, 2026", "April 28, 2026"),
            c.evolve(
                services=(attrs.evolve(c.services[0], date=date(2026, 4, 28)),),
                denial=attrs.evolve(c.denial, notice_date=date(2026, 4, 28)),
            ),
        ),
    ),
    "DK404": (
        lambda t, c: with_claim(
            t, c.evolve(denial=attrs.evolve(c.denial, notice_date=date(2026, 3, 30)))
        ),
        lambda t, c: with_claim(
            t, c.evolve(denial=attrs.evolve(c.denial, notice_date=date(2026, 3, 31)))
        ),
    ),
    "DK405": (
        lambda t, c: with_claim(sub(t, "\nApril 28, 2026\n", "\nApril 19, 2026\n"), c),
        lambda t, c: with_claim(sub(t, "\nApril 28, 2026\n", "\nApril 20, 2026\n"), c),
    ),
    "DK406": (
        lambda t, c: with_claim(
            t, c.evolve(patient=attrs.evolve(c.patient, birth_date=date(2026, 3, 31)))
        ),
        lambda t, c: with_claim(
            t, c.evolve(patient=attrs.evolve(c.patient, birth_date=date(2026, 3, 30)))
        ),
    ),
    "DK407": (
        lambda t, c: with_claim(
            t, c.evolve(patient=attrs.evolve(c.patient, birth_date=date(1905, 3, 30)))
        ),
        lambda t, c: with_claim(
            t, c.evolve(patient=attrs.evolve(c.patient, birth_date=date(1905, 4, 1)))
        ),
    ),
    "DK408": (
        # Medicare redetermination: notice April 20 + 5 days' receipt + 120 days = August 23
        lambda t, c: with_claim(sub(t, "\nApril 28, 2026\n", "\nAugust 24, 2026\n"), c),
        lambda t, c: with_claim(sub(t, "\nApril 28, 2026\n", "\nAugust 23, 2026\n"), c),
    ),
    "DK409": (
        lambda t, c: with_claim(t, commercial(c)),
        lambda t, c: with_claim(t, commercial(c, appeal_window_days=90)),
    ),
    "DK410": (
        lambda t, c: with_claim(
            sub(
                t,
                "Date of service: March 31, 2026",
                "Date of service: March 30, 2026 and March 31, 2026",
            ),
            c,
        ),
        lambda t, c: with_claim(
            sub(t, "Date of service: March 31, 2026", "Date of service: 2026-03-31"), c
        ),
    ),
    "DK411": (
        lambda t, c: with_claim(
            sub(t, "Claim number:", "Date of birth: June 15, 1958\nClaim number:"), c
        ),
        lambda t, c: with_claim(sub(t, "Claim number:", "DOB: 06/14/1958\nClaim number:"), c),
    ),
    # ------------------------------------------------------------------ DK5xx
    "DK501": (
        lambda t, c: text_only(
            subs(
                t,
                ("gave written consent to", "agreed in writing to"),
                ("Signed consent for", "Signed agreement to"),
                ("demonstrates consent,", "demonstrates agreement,"),
            )
        ),
        lambda t, c: text_only(t),
    ),
    "DK502": (
        lambda t, c: text_only(
            subs(
                t,
                ("Her care plan", "Her plan"),
                ("Care plan dated", "Plan dated"),
                ("a care plan,", "a plan,"),
            )
        ),
        lambda t, c: text_only(
            subs(
                t,
                ("Her care plan", "Her treatment plan"),
                ("Care plan dated", "Plan dated"),
                ("a care plan,", "a plan,"),
            )
        ),
    ),
    "DK503": (
        lambda t, c: text_only(
            subs(
                t,
                ("the PHQ-9 and GAD-7", "two questionnaires"),
                ("PHQ-9 and GAD-7 scores", "Questionnaire scores"),
                ("with validated\nscales", "with questionnaires"),
            )
        ),
        lambda t, c: text_only(
            subs(
                t,
                ("the PHQ-9 and GAD-7", "the GAD7"),
                ("PHQ-9 and GAD-7 scores", "Questionnaire scores"),
                ("with validated\nscales", "with questionnaires"),
            )
        ),
    ),
    "DK504": (
        lambda t, c: text_only(
            subs(t, ("spent 82 minutes", "spent time"), ("the 70\nminutes", "the time"))
        ),
        lambda t, c: text_only(
            subs(t, ("spent 82 minutes", "spent 82 min."), ("the 70\nminutes", "the time"))
        ),
    ),
    "DK505": (
        # 99492 is billable from 36 minutes (more than half of its 70)
        lambda t, c: text_only(sub(t, "spent 82 minutes", "spent 35 minutes")),
        lambda t, c: text_only(sub(t, "spent 82 minutes", "spent 36 minutes")),
    ),
    "DK506": (
        lambda t, c: text_only(
            subs(
                t,
                ("behavioral health care manager", "social worker"),
                ("the care manager's time", "the staff time"),
                ("Care manager time log", "Staff time log"),
            )
        ),
        lambda t, c: text_only(t),
    ),
    "DK507": (
        lambda t, c: text_only(
            subs(
                t,
                ("psychiatric\nconsultant", "specialist"),
                ("psychiatric consultant's", "specialist's"),
                ("Psychiatric consultant", "Specialist"),
            )
        ),
        lambda t, c: text_only(
            subs(
                t,
                ("psychiatric\nconsultant", "consulting psychiatrist"),
                ("psychiatric consultant's", "specialist's"),
                ("Psychiatric consultant", "Specialist"),
            )
        ),
    ),
    "DK508": (
        lambda t, c: with_claim(
            t, c.evolve(services=(ServiceLine(code="99494", date=date(2026, 3, 31)),))
        ),
        lambda t, c: with_claim(
            t, c.evolve(services=(c.services[0], ServiceLine(code="99494", date=date(2026, 3, 31))))
        ),
    ),
    "DK509": (
        lambda t, c: (BOILERPLATE, {"codes": ["CO-4"]}),
        lambda t, c: (
            BOILERPLATE + "Modifier 25 was appended: the visit was separate.\n",
            {"codes": ["CO-4"]},
        ),
    ),
    # ------------------------------------------------------------------ DK6xx
    "DK601": (
        lambda t, c: text_only(sub(t, "Claim number:", "SSN: 123-45-6789\nClaim number:")),
        lambda t, c: text_only(
            sub(t, "Claim number:", "Example number: 078-05-1120\nClaim number:")
        ),
    ),
    "DK602": (
        lambda t, c: text_only(sub(t, "Claim number:", "Spouse MBI: 2EG4-TE5-MK73\nClaim number:")),
        lambda t, c: text_only(sub(t, "Claim number:", "Again: 7KQ2XF3RW45\nClaim number:")),
    ),
    # ------------------------------------------------------------------ DK7xx
    "DK701": (
        lambda t, c: text_only(sub(t, "Patient: Zoë", "Patient: \u202eZoë")),
        lambda t, c: text_only(t),
    ),
    "DK702": (
        lambda t, c: text_only(sub(t, "7KQ2-XF3-RW45", "7KQ2-XF3\u200b-RW45")),
        lambda t, c: text_only(sub(t, "To the", "De\u200bar")),
    ),
    "DK703": (
        lambda t, c: text_only(sub(t, "the redetermination reviewer", "the re\u200bviewer")),
        lambda t, c: text_only(sub(t, "7KQ2-XF3-RW45", "7KQ2-XF3\u200b-RW45")),
    ),
    "DK704": (
        lambda t, c: text_only(sub(t, "NPI: 1234567893", "NPI: １２３４５６７８９３")),
        lambda t, c: text_only(t),
    ),
    "DK705": (
        lambda t, c: text_only(sub(t, "7KQ2-XF3-RW45", "1ЕG4-TE5-MK73")),
        lambda t, c: text_only(sub(t, "Patient: Zoë Nguyễn", "Patient: Zoë Nguyễn 3rd")),
    ),
    "DK706": (
        lambda t, c: text_only(sub(t, "To the", "D\udcc3ar")),
        lambda t, c: text_only(sub(t, "To the", "Dear 💥")),
    ),
    "DK707": (
        lambda t, c: text_only(sub(t, "To the", "Dear\x07")),
        lambda t, c: text_only(sub(t, "To the", "Dear\t\f")),
    ),
    "DK708": (
        lambda t, c: text_only(sub(t, "Zoë", "Zo\ufffd")),
        lambda t, c: text_only(sub(t, "Zoë", "Zo\ufffc")),
    ),
    "DK709": (
        lambda t, c: text_only(t + ("Further detail of the care given. " * 3000)),
        lambda t, c: text_only(t + ("Further detail of the care given. " * 2000)),
    ),
    "DK711": (
        lambda t, c: text_only(
            sub(
                t, "Attn: Provider Appeals Department\n", "\nDear reviewer: please pay $1,000,000\n"
            )
        ),
        lambda t, c: text_only(
            sub(t, "Attn: Provider Appeals Department\n", "Attn: Provider Appeals ($25 fee paid)\n")
        ),
    ),
    "DK710": (
        lambda t, c: text_only(" \n\t\n"),
        lambda t, c: text_only(t),
    ),
    "DK712": (
        lambda t, c: text_only(
            (HERE / "letters" / "foreign" / "patient-r10-spanish-medicaid.txt").read_text("utf-8")
        ),
        lambda t, c: text_only(t),
    ),
    # ------------------------------------------------------------------ DK8xx
    "DK801": (
        lambda t, c: with_record(t, c, minutes=45),
        lambda t, c: with_record(t, c, minutes=82),
    ),
    "DK802": (
        lambda t, c: with_record(
            sub(t, "again on March 24, 2026", "scored 16 on March 24, 2026"), c
        ),
        lambda t, c: with_record(
            sub(t, "again on March 24, 2026", "scored 14 on March 24, 2026"), c
        ),
    ),
    "DK803": (
        lambda t, c: with_record(t, c, plan="2026-03-04"),
        lambda t, c: with_record(t, c, plan="2026-03-03"),
    ),
    "DK804": (
        lambda t, c: with_record(t, c, no_time=True),
        lambda t, c: with_record(t, c),
    ),
}


def _run(validator: Validator, case: Case, text: str, claim: Claim) -> Report:
    arg, kwargs = case(text, claim)
    return validator.check(arg, **kwargs)


def test_every_rule_has_a_firing_case_and_a_quiet_case() -> None:
    assert sorted(CASES) == sorted(r.id for r in builtin_rules())


@pytest.mark.parametrize("rule_id", sorted(CASES))
def test_rule_fires(rule_id: str, validator: Validator, text: str, claim: Claim) -> None:
    report = _run(validator, CASES[rule_id][0], text, claim)
    found = report.by_rule().get(rule_id, ())
    assert found, f"{rule_id} did not fire; findings: {[f.rule_id for f in report]}"
    rule = validator.rule(rule_id)
    for f in found:
        assert f.slug == rule.slug
        assert f.severity is rule.severity
        assert f.hint


@pytest.mark.parametrize("rule_id", sorted(CASES))
def test_rule_stays_quiet(rule_id: str, validator: Validator, text: str, claim: Claim) -> None:
    report = _run(validator, CASES[rule_id][1], text, claim)
    assert rule_id not in report.by_rule(), [str(f) for f in report.by_rule()[rule_id]]


def test_the_complete_letter_has_no_finding_with_or_without_its_claim(
    validator: Validator, text: str, claim: Claim
) -> None:
    assert list(validator.check(text, claim=claim)) == []
    assert list(validator.check(text)) == []
    assert validator.check(letter(text, claim, codes=(lookup("CCM21"),))).ok


BLANKS = (
    "[Your Practice Header]",
    "[Date]",
    "[Claim Number]",
    "[Patient Name]",
    "[Insert Date]",
    "[Insert Minutes]",
)


def test_each_bracket_blank_of_a_published_template_is_one_finding(validator: Validator) -> None:
    text = (
        "[Your Practice Header]\n"
        "[Date]\n"
        "Attn: Provider Appeals Department\n"
        "Re: Claim number [Claim Number], patient [Patient Name]\n"
        "Your letter of [Insert Date] denied the claim. The care manager spent "
        "[Insert Minutes] minutes with the patient.\n"
    )
    report = validator.check(text)
    assert not report.ok
    placeholder_findings = [f for f in report if f.rule_id.startswith("DK3")]
    assert len(placeholder_findings) == len(BLANKS)
    for blank in BLANKS:
        offset = text.index(blank)
        line = text.count("\n", 0, offset) + 1
        column = offset - (text.rfind("\n", 0, offset) + 1) + 1
        here = [f for f in report if (f.location.line, f.location.column) == (line, column)]
        assert [f.rule_id for f in here] == ["DK302"], blank


def test_each_missing_fact_marker_is_its_own_finding_on_its_line(validator: Validator) -> None:
    text = "Consent given on [MISSING: consent date].\n\nMinutes: [MISSING: minutes]\n"
    found = validator.check(text).by_rule()["DK307"]
    assert [(f.location.line, f.location.column) for f in found] == [(1, 18), (3, 10)]
    # without a letter object the labels are not repeated in the message
    assert all("consent" not in f.message for f in found)


def test_a_letter_object_names_its_declared_missing_facts(
    validator: Validator, text: str, claim: Claim
) -> None:
    marked = sub(text, "on March 2, 2026", "on [MISSING: consent date]")
    report = validator.check(letter(marked, claim, missing=("consent date",)))
    (f,) = report.by_rule()["DK307"]
    assert f.message == "the fact 'consent date' is missing from the letter"
    assert f.location.line == marked[: marked.index("[MISSING")].count("\n") + 1


def test_template_syntax_is_one_finding_per_construct(validator: Validator) -> None:
    text = "Hi {{ name }} and {% if x %}yes{% endif %}, {# note #} and a stray }} here.\n"
    found = validator.check(text).by_rule()["DK301"]
    assert [f.location.column for f in found] == [4, 19, 32, 45, 68]


def test_placeholder_rules_catch_the_usual_conventions(validator: Validator) -> None:
    text = (
        "Dear (Patient's name),\n"
        "On <<Date of Service>> we saw the patient. Amount: ________\n"
        "lorem ipsum dolor sit amet. TBD. FIXME. XXX.\n"
    )
    ids = [f.rule_id for f in validator.check(text) if f.rule_id.startswith("DK3")]
    assert ids.count("DK303") == 1
    assert ids.count("DK302") == 1
    assert ids.count("DK304") == 1
    assert ids.count("DK305") == 4  # lorem ipsum, TBD, FIXME, XXX


def test_finding_locations_point_at_the_problem(validator: Validator, text: str) -> None:
    edited = sub(text, "NPI: 1234567893", "NPI: 1234567898")
    (f,) = validator.check(edited).by_rule()["DK201"]
    assert (f.location.line, f.location.column) == (5, 6)
    assert f.location.path is None


def test_claim_findings_point_at_the_claim_path(
    validator: Validator, text: str, claim: Claim
) -> None:
    bad = claim.evolve(provider=attrs.evolve(claim.provider, npi="1234567898"))
    found = validator.check(text, claim=bad).by_rule()
    assert [f.location.path for f in found["DK201"]] == ["provider.npi"]
    edited = sub(text, "NPI: 1234567893", "NPI: 1234567898")
    found = validator.check(edited, claim=bad).by_rule()
    assert [(f.location.line, f.location.path) for f in found["DK201"]] == [
        (None, "provider.npi"),
        (5, None),
    ]


def test_deadline_finding_says_how_late_and_cites_the_rule(
    validator: Validator, text: str, claim: Claim
) -> None:
    late = sub(text, "\nApril 28, 2026\n", "\nSeptember 2, 2026\n")
    (f,) = validator.check(late, claim=claim).by_rule()["DK408"]
    assert f.severity.value == "warning"
    assert f.message == (
        "the letter is dated 10 days after the filing deadline (42 CFR 405.942(a)); "
        "a good-cause extension may apply"
    )


def test_minutes_threshold_counts_add_on_units(
    validator: Validator, text: str, claim: Claim
) -> None:
    addon = claim.evolve(
        services=(
            claim.services[0],
            ServiceLine(code="99494", date=date(2026, 3, 31), units=Decimal(1)),
        )
    )
    (f,) = validator.check(text, claim=addon).by_rule()["DK505"]
    assert (
        f.message
        == "the minutes stated are fewer than the 86 that 99492 with 99494 needs in the month"
    )
    assert f.location.path == "facts.care_manager_minutes"


def test_a_second_patient_in_a_letter_without_a_claim(validator: Validator) -> None:
    text = "Member ID: W1234567\nDate of birth: 01/02/1950\nMember ID: W7654321\n"
    (f,) = validator.check(text).by_rule()["DK602"]
    assert f.location.line == 3


def test_hand_written_medicare_number_forms(validator: Validator, text: str) -> None:
    for form in ("7KQ2-XF3-RW45", "7KQ2XF3RW45", "7kq2-xf3-rw45"):
        assert "DK202" not in validator.check(sub(text, "7KQ2-XF3-RW45", form)).by_rule()
    for form in ("7KQ2-XF3-RW4", "0KQ2-XF3-RW45", "7KQ2-XF3-RW4Z", "7KQ2-XF3-RW4５"):
        assert "DK202" in validator.check(sub(text, "7KQ2-XF3-RW45", form)).by_rule(), form


def test_patient_name_in_other_orders_and_spellings(
    validator: Validator, text: str, claim: Claim
) -> None:
    for written in ("Zoë Nguyễn", "ZOË NGUYỄN", "Zoe Nguyen", "Nguyễn, Zoë"):
        report = validator.check(sub(text, "Zoë Nguyễn", written), claim=claim)
        assert "DK101" not in report.by_rule(), written


@pytest.mark.parametrize("text", ["", "   ", "\n\n\t\n"])
def test_an_empty_letter_gets_one_finding(text: str) -> None:
    report = Validator().check(text)
    assert [f.rule_id for f in report.findings] == ["DK710"]
    assert not report.ok


def test_with_the_empty_letter_rule_disabled_every_missing_element_is_reported() -> None:
    report = Validator(disable=["DK710"]).check("")
    assert {"DK101", "DK104", "DK110"} <= set(report.by_rule())


@pytest.mark.parametrize(
    ("blank", "line"),
    [
        ("Street Address\n", "Street Address"),
        ("CITY STATE ZIP\n", "CITY STATE ZIP"),
        ("HEALTH PLAN NAME\n", "HEALTH PLAN NAME"),
        ("Date\n", "Date"),
        ("Your name and address\n", "Your name and address"),
        ("Insert the reason the claim was denied.\n", "Insert"),
        ("I have coverage through Name of my insurance.\n", "Name of my insurance"),
        ("Attn:\n\n", "Attn:"),
        ("Claim number:\nMember ID:\n", "Claim number:"),
    ],
)
def test_blanks_without_brackets_are_found(blank: str, line: str) -> None:
    text = ccm21_text().replace("Re: Request for redetermination\n", blank, 1)
    found = Validator().check(text).by_rule().get("DK308", ())
    assert found, blank
    where = found[0].location
    assert text.splitlines()[where.line - 1][where.column - 1 :].startswith(line)


@pytest.mark.parametrize(
    "line",
    [
        "Health Plan\n",
        "Member Services\n",
        "Your notice dated April 20, 2026 denied the claim.\n",
        "The name of the drug is on the enclosed list.\n",
        "Enclosures:\n1. Notes\n",
        "Patient:\nZoe Nguyen\n",
    ],
)
def test_real_lines_are_not_blanks(line: str) -> None:
    text = ccm21_text().replace("Re: Request for redetermination\n", line, 1)
    assert "DK308" not in Validator().check(text).by_rule()


@pytest.mark.parametrize(
    "prose",
    [
        "The entitlement number (member ID) on the claim was invalid.",
        "It was billed as inpatient Part B (type of bill 12X).",
        "The subscriber's identification number (ID) did not match.",
    ],
)
def test_a_parenthesis_that_explains_a_noun_is_not_a_blank(prose: str) -> None:
    """Code descriptions quoted in letters explain a noun in parentheses: not a blank."""
    text = ccm21_text().replace("Re: Request for redetermination\n", f"{prose}\n", 1)
    assert "DK303" not in Validator().check(text).by_rule()


@pytest.mark.parametrize(
    "blank", ["Member ID (member ID)", "Claim number: (claim number)", "on (date)", "(type name)"]
)
def test_a_label_followed_by_its_own_blank_is_still_found(blank: str) -> None:
    text = ccm21_text().replace("Re: Request for redetermination\n", f"{blank}\n", 1)
    assert "DK303" in Validator().check(text).by_rule()


@pytest.mark.parametrize(
    "blank", ["(describe the\ncondition)", "(name of the\ncondition)", "(condition)"]
)
def test_a_parenthesis_blank_is_found_also_across_lines(blank: str) -> None:
    text = ccm21_text().replace(
        "Re: Request for redetermination\n", f"The patient has {blank}.\n", 1
    )
    assert "DK303" in Validator().check(text).by_rule()


@pytest.mark.parametrize(
    "payer",
    [
        "Medicare Part B\n\nDear reviewer: please pay $1,000,000",
        "Medicare Part B\nPlease pay the sum of $1,000,000 to us",
        "Medicare Part B\nDear reviewer,",
    ],
)
def test_text_injected_through_a_one_line_field_is_found(payer: str) -> None:
    """The payer's name holds line breaks: its extra lines land in the recipient block."""
    text = ccm21_text().replace("Medicare Part B Redeterminations\n", payer + "\n", 1)
    found = Validator().check(text).by_rule().get("DK711", ())
    assert found
    lines = text.splitlines()
    assert all(f.location.line is not None for f in found)
    assert all(lines[f.location.line - 1] in payer.splitlines() for f in found)


def test_a_letter_built_from_an_injected_payer_name_fails_its_check() -> None:
    from denialkit.letters import appeal, example_claim

    claim = example_claim("CO-50")
    bad = claim.payer.name + "\n\nDear reviewer: please pay $1,000,000"
    try:
        hostile = attrs.evolve(claim, payer=attrs.evolve(claim.payer, name=bad))
        letter = appeal("CO-50", hostile, letter_date=date(2026, 12, 1))
    except ValueError:
        pytest.skip("the claim refuses line breaks in one-line fields (issue #16, point 2)")
    assert "DK711" in letter.report.by_rule()
    assert not letter.report.ok


@pytest.mark.parametrize(
    ("code", "named"),
    [
        ("CO-4", "Modifier 25 marks a separate visit."),
        ("CO-50", "The plan's medical policy criteria are met."),
        ("CO-197", "Authorization PA-1 was on file."),
        ("CCM21", "The care manager spent 24 minutes."),
    ],
)
def test_a_boilerplate_argument_is_found_for_each_disputed_item(code: str, named: str) -> None:
    v = Validator(select=["DK509"])
    assert [f.rule_id for f in v.check(BOILERPLATE, codes=[code])] == ["DK509"]
    assert list(v.check(BOILERPLATE + named, codes=[code])) == []


@pytest.mark.parametrize("sample", ["1EG4TE5MK73", "1EG4-TE5-MK73"])
def test_cms_sample_medicare_number_is_a_dummy_identifier(sample: str) -> None:
    text = ccm21_text().replace("7KQ2-XF3-RW45", sample)
    assert sample in text
    found = [f for f in validate_text(text) if f.rule_id == "DK309"]
    assert [f.message for f in found] == ["an identifier is a template's dummy value"]
    # the project's own example letter carries a Medicare number of the right shape, not it
    assert not [f for f in validate_text(ccm21_text()) if f.rule_id == "DK309"]


def test_naming_medicare_in_passing_does_not_make_a_medicare_appeal() -> None:
    """A commercial letter that cites Medicare's rules or quotes a code description naming
    Medicare needs no MBI (DK102); a letter that shows it is an original Medicare appeal
    ("redetermination", "Medicare number", "Part B") and gives no MBI nor a group number still
    fails."""
    from denialkit.letters import appeal, example_claim

    text = appeal("CO-50", example_claim("CO-50"), letter_date=date(2026, 11, 2)).text
    passing = text.replace(
        "\n\nWe request",
        "\n\nThe service also meets the criteria Medicare applies to it.\n\nWe request",
        1,
    )
    assert "Medicare" in passing
    assert "DK102" not in Validator(today=date(2026, 11, 2)).check(passing).by_rule()
    appeal_to_medicare = passing.replace("Re: Request for", "Re: Medicare Part B request for", 1)
    # a group number (Original Medicare has none) says the letter goes to a private plan
    assert "Group number: NW-100" in appeal_to_medicare
    found = Validator(today=date(2026, 11, 2)).check(appeal_to_medicare).by_rule()
    assert "DK102" not in found
    appeal_to_medicare = appeal_to_medicare.replace("Group number: NW-100\n", "", 1)
    found = Validator(today=date(2026, 11, 2)).check(appeal_to_medicare).by_rule()
    assert "DK102" in found


def test_a_subscriber_named_beside_the_patient_is_not_another_patient() -> None:
    """A parent or spouse who holds the plan ("Subscriber:", "Policyholder:") is named beside
    a dependent patient: not a patient name that differs from the claim's (DK213); another
    name under "Patient:" still is."""
    from denialkit.letters import appeal, example_claim

    claim = example_claim("CO-50")
    text = appeal("CO-50", claim, letter_date=date(2026, 11, 2)).text
    checker = Validator(today=date(2026, 11, 2))
    for label in ("Subscriber", "Policyholder", "Plan member / subscriber"):
        held = text.replace("Group number:", f"{label}: Rosa Alvarez\nGroup number:", 1)
        assert "DK213" not in checker.check(held, claim=claim).by_rule(), label
    other = text.replace("Group number:", "Patient: Rosa Alvarez\nGroup number:", 1)
    assert "DK213" in checker.check(other, claim=claim).by_rule()
