"""DK1xx: the elements every appeal letter needs."""

from __future__ import annotations

import re
from datetime import date
from typing import Final

import attrs

import denialkit.validation._vocab as _vocab
from denialkit._ids import (
    mbi_is_valid,
    procedure_kind,
)
from denialkit.claim import PlanType
from denialkit.validation._analysis import (
    MAX_LINES,
    Scan,
    _claim_service_dates,
    _find_ident,
    _find_word,
    _finds,
    _fold,
    _has_phrase,
    _has_value,
    _line_end,
    _line_head,
    _mentions,
    _phrases,
    _s,
    _Vocab,
    _words_at,
    continues_sentence,
)
from denialkit.validation._model import Author, Document, Finding, Rule, Severity

from ._registry import (
    E,
    W,
    _rule,
)

# -------------------- DK1xx required content

# (each looked for with :meth:`Scan.says`, where the first word of a phrase stands)
_PRE_SERVICE: Final = _Vocab(_vocab.PRE_SERVICE_WORDS, "")
_POST_SERVICE: Final = _Vocab(_vocab.POST_SERVICE_WORDS, "")
_DRUG_EXCEPTION: Final = _Vocab(_vocab.DRUG_EXCEPTION_WORDS, "")
_DRUG_REFUND: Final = _Vocab(_vocab.DRUG_REFUND_WORDS, "")
_FACILITY_STAY: Final = _Vocab(_vocab.FACILITY_STAY_WORDS, "")
_PART_D: Final = _Vocab(_vocab.PART_D_WORDS, "")


def _pre_service(sc: Scan) -> bool:
    """Whether the letter appeals a pre-service decision (care not yet given): it uses a
    word of :data:`_vocab.PRE_SERVICE_WORDS` and none of care already billed."""
    if sc.answers_remittance:
        return False
    if sc.says(_PRE_SERVICE) and not sc.says(_POST_SERVICE):
        return True
    # a drug not yet dispensed: a coverage determination or exception, not a refund
    return sc.says(_DRUG_EXCEPTION) and not sc.says(_DRUG_REFUND)


# "our patient, Jane Roe", "patient Mrs. Roe": a lower-case word, then a capitalised name of
# two words or a title and a name (read in the text as written)
_PROSE_PATIENT_RE: Final = re.compile(
    r"(?<![A-Za-z])(?:" + "|".join(_vocab.PATIENT_IN_SENTENCE) + r"),?[ \t]+"
    r"(?:(?:Mr|Mrs|Ms|Miss|Mx|Dr)\.?[ \t]+[A-Z][A-Za-z'-]+"
    r"|[A-Z][a-z'-]+(?:[ \t]+[A-Z]\.)?[ \t]+[A-Z][A-Za-z'-]+)"
)
# a subject line's field without a colon: "Re: Patient Jane Roe; Member ID ...", "RE: Member
# Jane Roe | ID ...": a capitalised label at the start of the line or after a field's "; ",
# "| " or " - ", a name of two or three capitalised words, then the next field or the end of
# the line (read in the text as written)
_FIELD_PATIENT_RE: Final = re.compile(
    r"(?:^[ \t]*(?:(?:RE|Re|Subject)[ \t]*:[ \t]*)?|[;|][ \t]*|[ \t]-[ \t]+)"
    r"(?:Patient|Member|Beneficiary|Enrollee|Participant)[ \t]+"
    r"(?P<v>[A-Z][a-z'-]+(?:[ \t]+[A-Z][A-Za-z'-]+){1,2})"
    r"(?=[ \t]*(?:[;|(,]|[ \t]-[ \t]|\r?\n|$))",
    re.M,
)


def _field_patient(sc: Scan) -> bool:
    """Whether a subject line names the patient in a field without a colon (see
    :data:`_FIELD_PATIENT_RE`): a person's name, not a department's ("Patient Financial
    Services")."""
    return any(
        not _ORGANIZATION_WORDS & set(m.group("v").lower().split())
        for m in _FIELD_PATIENT_RE.finditer(sc.ascii)
    )


# the start of a line, or of a subject line's value: "Re: Recipient: Jane Roe"
_LINE_START: Final = r"^[ \t]*(?:(?:re|subject)[ \t]*:[ \t]*)?"
# "Recipient: Jane Roe" at the start of a line, in a Medicaid letter
_MEDICAID_PATIENT_RE: Final = re.compile(
    _LINE_START + _phrases(_vocab.MEDICAID_PATIENT_LABELS) + r"[ \t]*:[ \t]*[a-z]", re.M
)

# "Resident: Jane Roe" at the start of a line (a tab or spaces may stand for the colon), in a
# nursing facility's letter
_RESIDENT_PATIENT_RE: Final = re.compile(
    _LINE_START + _phrases(_vocab.RESIDENT_PATIENT_LABELS) + r"(?:[ \t]*:|\t|[ \t]{2})[ \t]*[a-z]",
    re.M,
)
_NURSING_FACILITY: Final = _Vocab(_vocab.NURSING_FACILITY_WORDS, "")


# "Client: Jane Roe" at the start of a line (a tab or spaces may stand for the colon)
_CLIENT_PATIENT_RE: Final = re.compile(
    _LINE_START + _phrases(_vocab.CLIENT_PATIENT_LABELS) + r"(?:[ \t]*:|\t|[ \t]{2})[ \t]*"
    r"(?P<v>[a-z][^\n]{0,80}+)",
    re.M,
)
_ORGANIZATION_WORDS: Final = frozenset(_vocab.ORGANIZATION_WORDS)


def _client_named(sc: Scan) -> bool:
    """Whether a counselor's letter names its client on a "Client:" line: a person's name,
    not a practice's (a billing company's client)."""
    low = sc.low
    if "client" not in low:
        return False
    return any(
        not _ORGANIZATION_WORDS & set(re.findall(r"[a-z.]+", m.group("v")))
        for m in _CLIENT_PATIENT_RE.finditer(low)
    )


def _resident_named(sc: Scan) -> bool:
    """Whether a nursing facility's letter names its resident on a "Resident:" line."""
    low = sc.low
    return "resident" in low and (
        _RESIDENT_PATIENT_RE.search(low) is not None and sc.says(_NURSING_FACILITY)
    )


def _facility_stay(sc: Scan) -> bool:
    """Whether the letter is about a hospital stay (inpatient, observation), which a
    facility bills by revenue code and DRG rather than by CPT code."""
    return sc.says(_FACILITY_STAY)


@_rule(
    "DK101",
    "missing-patient-name",
    E,
    summary="The letter names the patient: the claim's patient name, or a 'Patient:' line "
    "when no claim is known.",
    hint="Name the patient as the payer has them, e.g. on a 'Patient:' line.",
    authority='42 CFR 405.944(b)(1); AMA sample appeal letter ("Patient Name")',
)
def _dk101(r: Rule, doc: Document, sc: Scan) -> list[Finding]:
    found: list[Finding] = []
    if doc.claim is not None:
        name = _s(doc.claim.patient.name)
        if name is None:
            found.append(
                r.finding(doc, "the claim has no patient name for the letter", path="patient.name")
            )
            return found
        if _has_value(sc, name):
            return found
        parts = name.split()
        if len(parts) >= 2 and _has_value(sc, f"{parts[-1]}, {' '.join(parts[:-1])}"):
            return found
        found.append(
            r.finding(
                doc, "the letter does not name the patient as the claim does", path="patient.name"
            )
        )
    elif (
        not sc.patient_names
        and not (sc.author is Author.PATIENT and _signed(doc, sc))
        and not (sc.plan_kind is PlanType.MEDICAID and _MEDICAID_PATIENT_RE.search(sc.low))
        and not _resident_named(sc)
        and not _client_named(sc)
        and _PROSE_PATIENT_RE.search(sc.ascii) is None
        and not _field_patient(sc)
    ):
        found.append(r.finding(doc, "the letter does not name the patient"))
    return found


# "Anthem ID: YRF740039981" at the start of a line: a plan's name before "ID", then a value
# with four digits or more
_PLAN_ID_RE: Final = re.compile(
    r"^[ \t]*(?P<w>[a-z][a-z&.'-]{1,20}+(?:[ \t]+[a-z][a-z&.'-]{1,20}+){0,2}?)[ \t]+id"
    r"(?:[ \t]*(?:#|no\.|number))?[ \t]*:[ \t]*(?=(?:[a-z-]*[0-9]){4})",
    re.M,
)
_NOT_MEMBER_ID: Final = frozenset(_vocab.NOT_MEMBER_ID_WORDS)


def _plan_id(sc: Scan) -> bool:
    """Whether a line gives the member id under the plan's name ("Anthem ID: ..."), the
    plan's name not one of the words of another id ("Tax ID:", "Payer ID:"). Only DK102
    asks: the value is not compared or counted as a second patient's."""
    low = sc.low
    if " id" not in low:
        return False
    for m in _PLAN_ID_RE.finditer(low):
        words = m.group("w").split()
        if not (_NOT_MEMBER_ID & {words[-1], " ".join(words[-2:])}):
            return True
    return False


@_rule(
    "DK102",
    "missing-member-id",
    E,
    summary="The letter gives the patient's member id or Medicare number.",
    hint="Add the member id (for Medicare, the Medicare number or MBI) on a labelled line.",
    authority='42 CFR 405.944(b)(2); AMA sample appeal letter ("Health Insurer '
    'Identification Number")',
)
def _dk102(r: Rule, doc: Document, sc: Scan) -> list[Finding]:
    found: list[Finding] = []
    if doc.claim is not None:
        member = _s(doc.claim.patient.member_id)
        if member is None or _find_ident(sc, member) < 0:
            found.append(
                r.finding(
                    doc,
                    "the letter does not give the patient's member id as the claim has it",
                    path="patient.member_id",
                )
            )
    elif not sc.member_ids:
        if not (sc.claim_numbers and _mentions(sc, _vocab.CASUALTY_WORDS)) and not _plan_id(sc):
            found.append(
                r.finding(
                    doc, "the letter does not give the patient's member id or Medicare number"
                )
            )
    elif (
        sc.plan_kind is PlanType.MEDICARE
        # a letter that names Medicare only in passing ("under Medicare's guidelines", a
        # quoted code description) is not a Medicare appeal, unless its claim says so
        and (sc.plan is not None or sc.medicare_cue)
        and not any(v.medicare or mbi_is_valid(v.value) for v in sc.member_ids)
        # a Part D plan is private: its own member id is the one it asks for
        and not sc.says(_PART_D)
    ):
        found.append(r.finding(doc, "a Medicare appeal does not give the Medicare number (MBI)"))
    return found


@_rule(
    "DK103",
    "missing-group-number",
    E,
    summary="For a plan other than Medicare, when the claim has a group number, the letter "
    "gives it.",
    hint="Add the plan's group number next to the member id.",
    authority='AMA sample appeal letter ("Group Number")',
)
def _dk103(r: Rule, doc: Document, sc: Scan) -> list[Finding]:
    found: list[Finding] = []
    claim = doc.claim
    if claim is None or sc.plan in (PlanType.MEDICARE, None):
        return found
    group = _s(claim.patient.group_number)
    if group is not None and _find_ident(sc, group) < 0:
        found.append(
            r.finding(
                doc, "the letter does not give the plan's group number", path="patient.group_number"
            )
        )
    return found


@_rule(
    "DK104",
    "missing-claim-number",
    E,
    summary="The letter gives the claim number.",
    hint="Add the payer's claim number, e.g. 'Claim number: ...'.",
    authority='AMA sample appeal letter ("Claim Number")',
)
def _dk104(r: Rule, doc: Document, sc: Scan) -> list[Finding]:
    found: list[Finding] = []
    if doc.claim is not None:
        number = _s(doc.claim.claim_number)
        if number is None or _find_ident(sc, number) < 0:
            found.append(
                r.finding(
                    doc,
                    "the letter does not give the claim number as the claim has it",
                    path="claim_number",
                )
            )
    elif not sc.claim_numbers and not _pre_service(sc):
        found.append(r.finding(doc, "the letter does not give the claim number"))
    return found


@_rule(
    "DK105",
    "missing-service-dates",
    E,
    summary="The letter gives every date of service (any of the usual date formats).",
    hint="Give each date of service, e.g. 'Date of service: March 31, 2026'.",
    authority='42 CFR 405.944(b)(3) ("the specific date(s) of the service")',
)
def _dk105(r: Rule, doc: Document, sc: Scan) -> list[Finding]:
    found: list[Finding] = []
    if doc.claim is not None:
        shown = sc.date_set
        seen: set[date] = set()
        for i, d in _claim_service_dates(doc.claim):
            if d not in seen:
                seen.add(d)
                if d not in shown:
                    found.append(
                        r.finding(
                            doc,
                            "a date of service on the claim is not in the letter",
                            path=f"services[{i}].date",
                        )
                    )
    elif not sc.service_dates_text and not sc.prose_service_dates and not _pre_service(sc):
        found.append(r.finding(doc, "the letter does not give the dates of service"))
    return found


@_rule(
    "DK106",
    "missing-service-codes",
    E,
    summary="The letter names each service by its CPT or HCPCS code.",
    hint="Name each service with its code, e.g. 'CPT 99484'.",
    authority='42 CFR 405.944(b)(3) ("specific service(s) and/or item(s)"); AMA sample letter',
)
def _dk106(r: Rule, doc: Document, sc: Scan) -> list[Finding]:
    found: list[Finding] = []
    if doc.claim is not None:
        seen: set[str] = set()
        low = sc.low
        for code, _, path, _ in sc.service_codes:
            if code in seen:
                continue
            seen.add(code)
            key = code.lower()
            if key.isalnum() and key.isascii():
                shown_in_text = bool(sc.starts_of(key))
            else:
                shown_in_text = _find_word(low, key) >= 0 or _find_word(sc.text, code) >= 0
            if not shown_in_text:
                shown = code if procedure_kind(code) else "a service code"
                found.append(
                    r.finding(doc, f"the letter does not name {shown} from the claim", path=path)
                )
    elif (
        sc.author is Author.PROVIDER
        and not any(procedure_kind(p.value) for p in sc.procedure_codes)
        and not _facility_stay(sc)
        and not _pre_service(sc)
    ):
        found.append(r.finding(doc, "the letter names no service by its CPT or HCPCS code"))
    return found


_DENIAL_WORDS: Final = _vocab.DENIAL_WORDS


@_rule(
    "DK107",
    "missing-denial",
    E,
    summary="The letter says which decision it disputes: a denial, rejection or adverse "
    "determination.",
    hint="Say what the payer decided and when, e.g. 'Your notice dated ... denied the claim'.",
    authority='AMA sample appeal letter ("the attached claim that you denied on [date]")',
)
def _dk107(r: Rule, doc: Document, sc: Scan) -> list[Finding]:
    found: list[Finding] = []
    if not _mentions(sc, _DENIAL_WORDS):
        found.append(r.finding(doc, "the letter does not say which decision it disputes"))
    return found


@_rule(
    "DK108",
    "missing-denial-code",
    E,
    summary="The letter cites the denial codes it answers: every code of the letter or claim, "
    "or at least one code when none is known.",
    hint="Quote the codes from the remittance, e.g. 'reason code CO-16, remark code N290'.",
    authority="AMA sample appeal letter; the remittance's codes identify the denial",
)
def _dk108(r: Rule, doc: Document, sc: Scan) -> list[Finding]:
    found: list[Finding] = []
    keys = sc.cited_keys
    if doc.codes:
        seen: set[str] = set()
        for path, _, code in doc.code_inputs:
            if code is None or code.code in seen:
                continue
            seen.add(code.code)
            if (code.system, code.code) not in keys:
                found.append(
                    r.finding(
                        doc, f"the letter does not cite the denial code {code.key}", path=path
                    )
                )
    elif not sc.cited and sc.author is Author.PROVIDER:
        # (a payer's own code, "denial reason code 4RX", is cited too, though it has no key)
        f = r.finding(doc, "the letter cites no denial code")
        if not sc.answers_remittance or _mentions(sc, _vocab.AMOUNT_DISPUTE_WORDS):
            # no remittance in sight: a notice without codes (MSN, plan notices) is common;
            # a dispute about the amount paid answers no denial code
            f = attrs.evolve(f, severity=Severity.WARNING)
        found.append(f)
    return found


@_rule(
    "DK109",
    "missing-denial-reason",
    W,
    summary="When the claim records the payer's stated reason, the letter quotes it.",
    hint="Quote the payer's reason as the notice gives it.",
    authority='AMA sample appeal letter ("[insert payer description of why claim was denied]")',
)
def _dk109(r: Rule, doc: Document, sc: Scan) -> list[Finding]:
    found: list[Finding] = []
    if doc.claim is None:
        return found
    reason = _s(doc.claim.denial.reason)
    if reason is None:
        return found
    if reason.strip() not in sc.text and not _has_phrase(sc, reason):
        found.append(
            r.finding(
                doc, "the letter does not quote the payer's stated reason", path="denial.reason"
            )
        )
    return found


_REQUEST_VERBS: Final = _vocab.REQUEST_VERBS
_REQUEST_OBJECTS_RE: Final = re.compile(
    _phrases(_vocab.REQUEST_OBJECTS).replace("(?![a-z0-9])", "")
)
_REQUEST_PHRASES: Final = _Vocab(_vocab.REQUEST_PHRASES, "")
_REQUEST_REACH: Final = 80
# an imperative that starts a line, after spaces and a bullet or a number ("- Reverse the
# denial.", "2. Reprocess the claim."), read in the text as written: capitalised
_IMPERATIVE_LINE_RE: Final = re.compile(
    r"^[ \t]*(?:[-*\u2022\u00b7][ \t]*|[0-9]{1,2}[.)][ \t]*)?(?:"
    + "|".join(w.capitalize() for w in _vocab.REQUEST_IMPERATIVES)
    + r")[ \t]+(?:the|this|claim|our|my|all|payment|coverage|[a-z]{0,4}[0-9])",
    re.M,
)


# "please", a few words on the same line, then "and" and a request verb
_PLEASE_AND_RE: Final = re.compile(
    r"please(?![a-z]),?(?:[ \t]+[a-z',-]{1,20}+){1,8}?[ \t]+and[ \t]+(?:"
    + "|".join(_vocab.REQUEST_IMPERATIVES)
    + r")(?![a-z])"
)


# "find" (not "find enclosed"), a few words, then "covered" that ends the thing found
_FIND_COVERED_RE: Final = re.compile(
    r"(?:please|to)[ \t]+find[ \t]+(?!enclosed|attached|herewith|the enclosed|the attached)"
    r"(?:[a-z0-9'-]{1,20}+[ \t]+){1,5}?covered(?![a-z])(?![ \t]+(?:services?|benefits?|items?))"
)


def _has_imperative(text: str) -> bool:
    """Whether a line of ``text`` starts with a request verb as an imperative."""
    return _IMPERATIVE_LINE_RE.search(text) is not None


def _has_request(sc: Scan) -> bool:
    low, ascii_text = sc.low, sc.ascii
    for verb in _REQUEST_VERBS:
        i = low.find(verb)
        while i >= 0:
            if i == 0 or not low[i - 1].isalpha():
                stop = i + len(verb) + _REQUEST_REACH
                dot = low.find(".", i, stop)
                if dot >= 0:
                    stop = dot
                # the sentence ends at a line break, unless a wrapped line goes on with it
                nl = low.find("\n", i, stop)
                while nl >= 0 and continues_sentence(ascii_text, nl):
                    nl = low.find("\n", nl + 1, stop)
                if nl >= 0:
                    stop = nl
                if _REQUEST_OBJECTS_RE.search(low, i + len(verb), stop):
                    return True
            i = low.find(verb, i + 1)
    if sc.says(_REQUEST_PHRASES):
        return True
    # "Please fix this and pay the claim": the request is the second of two imperatives
    if "please" in low and _PLEASE_AND_RE.search(low) is not None:
        return True
    # Medicare's words for a favorable decision: "Please find the three services covered"
    return "covered" in low and _FIND_COVERED_RE.search(low) is not None


@_rule(
    "DK110",
    "missing-request",
    E,
    summary="The letter explicitly asks for reconsideration, redetermination, review or appeal.",
    hint="Ask in plain words, e.g. 'We request redetermination of this claim.'",
    authority='AMA sample appeal letter ("We are appealing your decision and request '
    'reconsideration"); 42 CFR 405.807(a) (historic Part B wording)',
)
def _dk110(r: Rule, doc: Document, sc: Scan) -> list[Finding]:
    found: list[Finding] = []
    if not _has_request(sc) and not _has_imperative(sc.ascii):
        found.append(
            r.finding(doc, "the letter does not explicitly ask for reconsideration or appeal")
        )
    return found


_ARGUMENT_WORDS: Final = _vocab.ARGUMENT_WORDS
_MIN_ARGUMENT_SPACES: Final = 25


@_rule(
    "DK111",
    "missing-argument",
    E,
    summary="The letter argues why the decision is wrong: at least a few sentences, with "
    "reasons or evidence.",
    hint="Explain why the payer's decision is wrong and what in the record shows it.",
    authority="CMS-20027 (the reason for disagreement); AMA sample appeal letter",
)
def _dk111(r: Rule, doc: Document, sc: Scan) -> list[Finding]:
    found: list[Finding] = []
    low = sc.low
    # the spaces of the first lines usually settle the count
    few = low.count(" ", 0, 1000) < _MIN_ARGUMENT_SPACES and low.count(" ") < _MIN_ARGUMENT_SPACES
    if few or not _mentions(sc, _ARGUMENT_WORDS):
        found.append(r.finding(doc, "the letter does not argue why the decision is wrong"))
    return found


# one pattern per word: a pattern that starts with a literal is searched for fast
# each with its word, which stands whole wherever the pattern matches on a word boundary
# (a ":" or "." follows it): a word the text lacks needs no scan
_RECIPIENT_LINE_RES: Final = tuple(
    (word.encode("ascii"), re.compile(word + r"[ \t]*[:.]")) for word in ("attn", "attention", "to")
)
# what may stand before "To:" on its line (:data:`_vocab.RECIPIENT_LINES`): "Fax to: ..."
_RECIPIENT_HEADS: Final = frozenset(
    line.removesuffix("to:").strip() for line in _vocab.RECIPIENT_LINES if line.endswith("to:")
)
# the names of an appeals unit: the vocabulary's, and each of these units of these names
_APPEALS_UNIT: Final = _Vocab(
    (
        *_vocab.RECIPIENT_UNITS,
        *(
            f"{name} {unit}"
            for name in ("appeal", "redetermination", "reconsideration")
            for name in (name, name + "s")
            for unit in (
                *("department", "dept", "unit", "office", "team", "coordinator", "center"),
                *("centre", "section"),
            )
        ),
    ),
    "",
)


# A line that names an appeals unit and nothing else (also as a form's greeting: "To
# SilverWell Rx Appeals:"). It is searched for as the first line, then after each line feed:
# a pattern that starts with a literal is searched for fast, while one that starts with "^"
# is tried at every offset of the text.
_UNIT_LINE: Final = (
    r"[ \t]*(to[ \t]+(?:the[ \t]+)?)?"
    r"(?:appeals?|grievances|appeals and grievances|claims|reconsiderations"
    # a unit named for what it decides: "Claims Reconsideration", "Level 2 Appeals",
    # "Managed Health Care Bureau - External Review"; not a heading ("Request for ...")
    r"|redeterminations|(?!request[ \t]|notice[ \t])(?:[a-z0-9&/.-]+[ \t]+(?:-[ \t]+)?){1,4}"
    r"(?:appeals|disputes|reconsiderations?|redeterminations?|external[ \t]+review)"
    # a Medicare QIC by its name: "Part B East QIC", "Part A/B QIC West"
    r"|(?:[a-z&/.-]+[ \t]+){0,3}qic(?:[ \t]+[a-z]+){0,2})"
    # where the mail goes inside the unit may follow: "Medical Appeals, Mail Stop 4C"
    r"(?:,[ \t]*(?:mail[ \t]+(?:stop|code|drop)|ms|mc|suite|ste\.?|room|rm\.?|floor|attn\.?)"
    r"(?![a-z])[^\r\n]{0,30}+)?(?(1)[ \t]*:)[ \t]*\r?$"
)
_UNIT_FIRST_LINE_RE: Final = re.compile(_UNIT_LINE, re.M)
_UNIT_NEXT_LINE_RE: Final = re.compile("\n" + _UNIT_LINE, re.M)


def _first_line(s: str) -> str:
    for line in s.splitlines():
        if line.strip():
            return line
    return ""


def _has_recipient_line(sc: Scan) -> bool:
    low = sc.low
    words = sc.words
    for m in (m for w, p in _RECIPIENT_LINE_RES if w in words for m in _words_at(p, low)):
        head = _line_head(low, m.start(), 8)
        if (
            head is not None
            and head.strip() in _RECIPIENT_HEADS
            and low[m.end() : _line_end(low, m.end())].strip()
        ):
            return True
    if sc.says(_APPEALS_UNIT):
        return True
    return _UNIT_FIRST_LINE_RE.match(low) is not None or _UNIT_NEXT_LINE_RE.search(low) is not None


@_rule(
    "DK112",
    "missing-recipient",
    E,
    summary="The letter is addressed to the payer: the claim's payer by name or appeals "
    "address, or an 'Attn:' line or appeals unit when no claim is known.",
    hint="Address the letter to the payer's appeals unit named on the denial notice.",
    authority="42 CFR 405.944(a) (filed with the contractor on the notice); AMA sample letter "
    '("Attn: Provider Appeals Department")',
)
def _dk112(r: Rule, doc: Document, sc: Scan) -> list[Finding]:
    found: list[Finding] = []
    if doc.claim is not None:
        payer = doc.claim.payer
        name = _s(payer.name)
        if name and _has_value(sc, name):
            return found
        address = _s(payer.appeals_address)
        if address and _has_value(sc, _first_line(address)):
            return found
        found.append(
            r.finding(
                doc, "the letter does not name the payer it is addressed to", path="payer.name"
            )
        )
    elif not _has_recipient_line(sc):
        found.append(
            r.finding(doc, "the letter has no recipient (no 'Attn:' line or appeals unit)")
        )
    return found


@_rule(
    "DK113",
    "missing-appeals-address",
    E,
    summary="When the claim gives the payer's appeals address, the letter carries every line "
    "of it.",
    hint="Copy the appeals address from the denial notice into the recipient block.",
    authority="42 CFR 405.944(a) (file with the contractor named on the notice)",
)
def _dk113(r: Rule, doc: Document, sc: Scan) -> list[Finding]:
    found: list[Finding] = []
    if doc.claim is None:
        return found
    address = _s(doc.claim.payer.appeals_address)
    if address is None:
        return found
    for line in address.splitlines()[:MAX_LINES]:
        if line.strip() and not _has_value(sc, line):
            found.append(
                r.finding(
                    doc,
                    "the letter does not carry the payer's appeals address as the claim gives it",
                    path="payer.appeals_address",
                )
            )
            return found
    return found


@_rule(
    "DK114",
    "missing-letter-date",
    E,
    summary="The letter is dated: the letter's own date appears in it, or a date stands on "
    "its own line (or after 'Date:') near the top.",
    hint="Put the date the letter is sent near the top, e.g. 'April 28, 2026'.",
    authority='AMA sample appeal letter ("[Date]"); the deadline rules need it',
)
def _dk114(r: Rule, doc: Document, sc: Scan) -> list[Finding]:
    found: list[Finding] = []
    day, at = sc.letter_date
    if doc.letter_date is not None:
        if day is not None and at is None:
            found.append(
                r.finding(doc, "the letter's date does not appear in its text", path="letter_date")
            )
    elif day is None:
        found.append(r.finding(doc, "the letter is not dated"))
    return found


_EMAIL_RE: Final = re.compile(r"@[a-z0-9-]{1,63}(?:\.[a-z0-9-]{1,63}){1,8}")


def _has_contact(sc: Scan) -> bool:
    """A US phone number (area code, exchange, line) or an email address."""
    text = sc.ascii
    if "@" in text and _EMAIL_RE.search(sc.low) is not None:
        return True
    form = sc.shape
    n = len(form)
    for needle in ("000-0000", "000.0000", "000 0000"):
        for s in _finds(form, needle):
            e = s + 8
            if (s and form[s - 1] == "0") or (e < n and form[e] == "0"):
                continue
            if form[max(0, s - 7) : s].count("0") >= 3:
                return True
    return False


# "Concord, NH 03301": the last line of a US postal address
# (or the whole address on one line: "72 Maple Row, Evanston, IL 60201")
_CITY_LINE_RE: Final = re.compile(
    r"^[ \t]*(?:[a-z0-9#][a-z0-9 .#'-]{0,60}+,[ \t]*)?"
    r"[a-z][a-z .'-]{1,40},?[ \t]+[a-z]{2}\.?[ \t]+[0-9]{5}(?:-[0-9]{4})?[ \t]*\r?$",
    re.M,
)


# the same inside a sender's line, other parts of the letterhead around it: "From: Ironwood
# Podiatry, 18 Canal St, Lowell, MA 01852 · NPI 1376492017" (a mark that is not ASCII reads
# as "?" in the ASCII copy)
_SENDER_LINE_RE: Final = re.compile(r"^[ \t]*(?:from|sender|return address)[ \t]*:", re.M)
_CITY_IN_LINE_RE: Final = re.compile(
    r",[ \t]*[a-z][a-z .'-]{1,40}+,?[ \t]+[a-z]{2}\.?[ \t]+[0-9]{5}(?:-[0-9]{4})?"
    r"(?![0-9])[ \t]*(?:[|?;,*-]|\r?$)",
    re.M,
)


_RECIPIENT_STARTS: Final = _vocab.RECIPIENT_LINES


def _has_return_address(sc: Scan) -> bool:
    """A postal address in the letterhead (before the letter's date, also among other parts
    of a letterhead line) or after the closing: the appellant's own, not the payer's; or in
    a line that says it is the sender's ("From: ...")."""
    low = sc.low
    _, dated = sc.letter_date
    closed = _closing(low)
    for m in _CITY_LINE_RE.finditer(low):
        if (dated is not None and m.start() < dated) or 0 <= closed < m.start():
            return True
    # a letterhead line that holds the address among other parts ("18 Quarry Road,
    # Burlington, VT 05401 | NPI ...", "NPI ... | 60 Commercial Wharf, Boston, MA 02110",
    # "3300 Oak Lawn Avenue, Suite 220, Dallas, TX 75219")
    # (not a line that addresses the letter: "To: Prairie Health Plan, Springfield, IL 62701")
    for m in _CITY_IN_LINE_RE.finditer(low, 0, dated or 0):
        head = low[low.rfind("\n", 0, m.start()) + 1 : m.start()].lstrip(" \t")
        if not head.startswith(_RECIPIENT_STARTS):
            return True
    if "from" in low or "sender" in low or "return" in low:
        for m in _SENDER_LINE_RE.finditer(low):
            if _CITY_IN_LINE_RE.search(low, m.end(), _line_end(low, m.end())):
                return True
    return False


@_rule(
    "DK115",
    "missing-appellant",
    E,
    summary="The letter names who appeals (the claim's provider) and how to reach them (a "
    "phone number, an email address or their own postal address).",
    hint="Put the practice's name, address and phone number in the letterhead or signature.",
    authority='42 CFR 405.944(b)(4) ("name of the party or the representative"); AMA sample letter',
)
def _dk115(r: Rule, doc: Document, sc: Scan) -> list[Finding]:
    found: list[Finding] = []
    if doc.claim is not None:
        name = _s(doc.claim.provider.name)
        if name is None or not _has_value(sc, name):
            found.append(
                r.finding(
                    doc, "the letter does not name the provider who appeals", path="provider.name"
                )
            )
    if not _has_contact(sc) and not _has_return_address(sc):
        found.append(
            r.finding(
                doc, "the letter gives no phone number or email address to reach the appellant"
            )
        )
    return found


@_rule(
    "DK116",
    "missing-npi",
    W,
    summary="The letter gives the provider's NPI.",
    hint="Add the billing provider's NPI next to the practice name.",
    authority="No regulation requires it in a letter; payers use it to find the provider's records",
)
def _dk116(r: Rule, doc: Document, sc: Scan) -> list[Finding]:
    found: list[Finding] = []
    npi = _s(doc.claim.provider.npi) if doc.claim is not None else None
    if npi is not None:
        if _find_ident(sc, npi) < 0:
            found.append(
                r.finding(doc, "the letter does not give the provider's NPI", path="provider.npi")
            )
    elif not sc.npis and sc.author is Author.PROVIDER:
        found.append(r.finding(doc, "the letter does not give the provider's NPI"))
    return found


_CLOSINGS: Final = _vocab.CLOSINGS
_CLOSINGS_ALONE: Final = frozenset(_vocab.CLOSINGS_ALONE)
_CLOSING_MAX: Final = _vocab.CLOSING_MAX


def _closing(low: str) -> int:
    """The offset of the last closing line ('Sincerely,'), or -1."""
    best = -1
    for word in _CLOSINGS:
        i = low.rfind(word, best + 1)
        while i > best:
            head = _line_head(low, i, 12)
            ends = low.find("\n", i, i + _CLOSING_MAX + 1) >= 0 or len(low) - i <= _CLOSING_MAX
            if (
                head is not None
                and head.strip() in ("", "best", "kind", "warm", "with")
                and ends
                and (word not in _CLOSINGS_ALONE or _alone(low, i + len(word)))
            ):
                best = i
                break
            i = low.rfind(word, 0, i)
    return best


def _alone(low: str, end: int) -> bool:
    """Whether only punctuation follows offset ``end`` on its line."""
    return not low[end : _line_end(low, end, reach=_CLOSING_MAX)].strip(" \t\r,.!:;-")


_SIGNATURE_LINE_RE: Final = re.compile(
    r"^[ \t]*(?:(?:signature|signed(?:[ \t]+by)?|electronically[ \t]+signed[ \t]+by)[ \t]*:"
    r"|(?:by:[ \t]*)?/s/)[ \t]*[a-z]"
    # a form's "Signature" alone on its line over the signer's name (two words or more)
    r"|^[ \t]*signature[ \t]*\r?\n[ \t]*[a-z][a-z.'-]*+[ \t]+[a-z]",
    re.M,
)
# a conformed signature, as lawyers and e-filed forms sign: "/s/ Jane Roe" ("By: /s/ ...")
_CONFORMED_RE: Final = re.compile(r"(?:by:[ \t]*)?/s/[ \t]*[a-z]", re.I)


def _signs(line: str) -> bool:
    """Whether a stripped line after the closing gives the signer: it starts with a letter
    (after a dash or two), or it is a conformed signature ("/s/ Jane Roe")."""
    # (an e-mail's signer may follow a dash: "- Jane", "-- Jane Roe")
    line = line.lstrip("-~ \t\u2013\u2014")
    return line[:1].isalpha() or _CONFORMED_RE.match(line) is not None


_MEMO_LINE_RES: Final = tuple(
    re.compile(rf"^[ \t]*{label}[ \t]*:[ \t]*{value}", re.M)
    for label, value in (("from", "[a-z]"), ("to", r"\S"), ("(?:re|subject)", r"\S"))
)
_MEMO_TOP: Final = 2000


# a letter of one paragraph that ends with its closing and signer: "... questions.
# Sincerely, Jane Roe, MD" (a capitalised name of two to four words, then credentials)
_INLINE_CLOSING_RE: Final = re.compile(
    r"[.!][ \t]+(?i:"
    + "|".join(re.escape(c) for c in sorted(set(_CLOSINGS) - _CLOSINGS_ALONE, key=len)[::-1])
    + r"),[ \t]+[A-Z][A-Za-z.'-]*+(?:[ \t]+[A-Z][A-Za-z.'-]*+){1,3}+"
    r"(?:,[ \t]*[A-Za-z.]{2,10}+){0,2}+[ \t.]*\Z"
)
_INLINE_CLOSING_REACH: Final = 120


def _signed_without_closing(low: str, text: str = "") -> bool:
    """Whether a letter without a closing is signed all the same: a signature line with a
    name ('Signature: Jane Roe, MD', as on a form or fax), a memo's header (From:, To:
    and Re: or Subject: lines at the top), whose From: line names who sends it, or a
    closing and a name that end the last paragraph of ``text`` (the letter as written)."""
    if ("sign" in low or "/s/" in low) and _SIGNATURE_LINE_RE.search(low) is not None:
        return True
    tail = text[-_INLINE_CLOSING_REACH:].rstrip()
    if tail and "\n" not in tail[-_CLOSING_MAX:] and _INLINE_CLOSING_RE.search(tail):
        return True
    top = low[:_MEMO_TOP]
    return (
        all(p.search(top) is not None for p in _MEMO_LINE_RES)
        or _ends_with_sender(low)
        or _ends_with_credentials(low)
    )


_NAME_LINE_RE: Final = re.compile(r"[a-z][a-z.'-]*+(?:[ \t]+[a-z][a-z.'-]*+){1,3}+")
_SENDER_TOP: Final = 600
_LAST_LINES: Final = 3


def _ends_with_sender(low: str) -> bool:
    """Whether one of the letter's last lines is a name (two to four words) that the top of
    the letter gives as the sender's, on a "From:" line or as its first line: a letter
    signed without a closing word."""
    tail = [s.strip() for s in low[-_SENDER_TOP:].splitlines() if s.strip()][-_LAST_LINES:]
    lines = low[:_SENDER_TOP].splitlines()
    first = next((s.strip() for s in lines if s.strip()), "")
    senders = {first, *(s.strip()[5:].strip() for s in lines if s.strip().startswith("from:"))}
    # the name may come with the writer's role, at the top or under the signature
    # ("From: Jane Roe (mother of Sam Roe)", "Jane Roe, Guardian")
    senders |= {_name_part(s) for s in senders}
    tail += [_name_part(line) for line in tail]
    return any(
        len(line) <= 40
        and line in senders
        and _NAME_LINE_RE.fullmatch(line) is not None
        and low.find(line) < low.rfind(line)  # the sender's line and the signature
        for line in tail
    )


def _name_part(line: str) -> str:
    """The part of a sender's line before a comma or a parenthesis: the name without the
    role after it ("jane roe, guardian" -> "jane roe")."""
    return line.split(",", 1)[0].split("(", 1)[0].strip()


# a signer's name with credentials after it ("marisol achterberg, md", "dr. jane roe, do,
# facp"), or a name after "dr."
_CREDENTIALED_NAME_RE: Final = re.compile(
    r"(?:dr\.?[ \t]+)?[a-z][a-z.'-]*+(?:[ \t]+[a-z][a-z.'-]*+){1,3}+(?:,[ \t]*(?:"
    + "|".join(re.escape(c) for c in sorted(_vocab.CREDENTIALS, key=len, reverse=True))
    + r"))++[ \t]*|dr\.?[ \t]+[a-z][a-z.'-]*+(?:[ \t]+[a-z][a-z.'-]*+){1,3}+"
)


def _ends_with_credentials(low: str) -> bool:
    """Whether one of the letter's last lines is a name with professional credentials after
    it (:data:`_vocab.CREDENTIALS`) or after "Dr.": a signature block without a closing
    word, as a form, a fax or a physician's urgent request is often signed."""
    tail = [s.strip() for s in low[-_SENDER_TOP:].splitlines() if s.strip()][-_LAST_LINES:]
    return any(len(line) <= _CLOSING_MAX and _CREDENTIALED_NAME_RE.fullmatch(line) for line in tail)


def _signed(doc: Document, sc: Scan) -> bool:
    """Whether a name follows the letter's closing."""
    low = sc.low
    at = _closing(low)
    if at < 0:
        return _signed_without_closing(low, sc.ascii)
    after = sc.text[_line_end(low, at) : _line_end(low, at, 9, reach=200)]
    return any(_signs(line.strip()) for line in after.splitlines())


@_rule(
    "DK117",
    "missing-signature",
    E,
    summary="The letter ends with a closing and the name of the person who signs it (the "
    "claim's signer, when known), or is signed on a 'Signature:' line, or is a memo.",
    hint="End with a closing ('Sincerely,') followed by the signer's name and title.",
    authority='CGS (a MAC): "Name and signature of the party or the representative"; '
    "42 CFR 405.944(b)(4)",
)
def _dk117(r: Rule, doc: Document, sc: Scan) -> list[Finding]:
    found: list[Finding] = []
    low = sc.low
    at = _closing(low)
    signer = _s(doc.claim.provider.signer_name) if doc.claim is not None else None
    if at < 0:
        if not _signed_without_closing(low, sc.ascii) or (
            signer is not None and _find_word(sc.folded, _fold(signer)) < 0
        ):
            found.append(r.finding(doc, "the letter has no closing and signature block"))
        return found
    after = sc.text[_line_end(low, at) : _line_end(low, at, 9, reach=200)]
    if signer is not None:
        if _find_word(after, signer.strip()) < 0 and _find_word(_fold(after), _fold(signer)) < 0:
            found.append(
                r.finding(
                    doc,
                    "the signature block does not name the signer as the claim gives it",
                    at=at,
                    path="provider.signer_name",
                )
            )
        return found
    for line in after.splitlines():
        if _signs(line.strip()):
            return found
    found.append(r.finding(doc, "no name follows the closing", at=at))
    return found


_HEADING_WORDS: Final = ("enc", "attach", "supporting", "documents")
_HEADING_MARKS: Final = " \t#*>-"
_ENCLOSURE_HEAD_RE: Final = re.compile(
    r"(?:enclosures?|attachments?|encl\.?|enc\.|documents?[ \t]+(?:enclosed|attached)"
    r"|enclosed|attached|(?:enclosed|attached)[ \t]+documents?"
    r"|supporting[ \t]+documents?|supporting[ \t]+documentation)[ \t]*(?:\([0-9]{1,3}\))?"
    r"[ \t]*(?::|\r?\n|$)"
)


def _has_enclosure_list(low: str) -> bool:
    # the usual case first, cheaply: a heading at the very start of a line
    for word in _HEADING_WORDS:
        needle = "\n" + word
        i = low.find(needle)
        while i >= 0:
            if _ENCLOSURE_HEAD_RE.match(low, i + 1):
                return True
            i = low.find(needle, i + 1)
    for word in _HEADING_WORDS:
        i = low.find(word)
        while i >= 0:
            head = _line_head(low, i, 8)
            # (a Markdown heading or a list item: "## Enclosed", "- Attachments:")
            if (
                head is not None
                and not head.strip(_HEADING_MARKS)
                and _ENCLOSURE_HEAD_RE.match(low, i)
            ):
                return True
            i = low.find(word, i + 1)
    return False


@_rule(
    "DK118",
    "missing-enclosures",
    W,
    summary="A letter that mentions enclosed or attached documents lists them under an "
    "'Enclosures' heading.",
    hint="List every document sent with the letter under 'Enclosures:'.",
    authority='CGS (a MAC): attach supporting documentation; AMA sample letter ("We are '
    'attaching ...")',
)
def _dk118(r: Rule, doc: Document, sc: Scan) -> list[Finding]:
    found: list[Finding] = []
    low = sc.low
    at = low.find("enclos")
    # "attach" cannot overlap "enclos", so only a first "attach" before it can come first
    attach = low.find("attach", 0, at) if at >= 0 else low.find("attach")
    if attach >= 0:
        at = attach
    if at < 0 or _has_enclosure_list(low):
        return found
    unnamed = _first_unnamed_enclosure(sc, at)
    if unnamed is not None:
        found.append(
            r.finding(doc, "the letter mentions attachments but does not list them", at=unnamed)
        )
    return found


_ENCLOSED_DOCUMENTS: Final = _Vocab(_vocab.ENCLOSED_DOCUMENTS, "")
_SENTENCE_REACH: Final = 300
_ABBREVIATION_MAX: Final = 3


def _stops(text: str, j: int) -> bool:
    """Whether a full stop before ``j`` ends a sentence: a space, a line break or the end
    of the text follows it, also after a closing quote or bracket ('... billed." The')."""
    if j < len(text) and text[j] in "\"')":
        j += 1
    return j >= len(text) or text[j] in " \t\r\n"


def _sentence_end(text: str, i: int, stop: int) -> int:
    """Where the sentence holding ``i`` ends (before ``stop``): at a full stop, question or
    exclamation mark followed by a space or line break, or at a blank line. A full stop after
    a short capitalised word ("Dr.", "Mrs.") ends no sentence."""
    j = i
    while j < stop:
        c = text[j]
        if c == "\n" and text.startswith("\n", j + 1):
            return j
        if c in ".?!" and _stops(text, j + 1):
            k = j
            while k > 0 and text[k - 1].isalpha():
                k -= 1
            if not (c == "." and 0 < j - k <= _ABBREVIATION_MAX and text[k].isupper()):
                return j
        j += 1
    return stop


def _sentence_start(text: str, i: int, stop: int) -> int:
    """Where the sentence holding ``i`` starts (not before ``stop``)."""
    j = i - 1
    while j > stop:
        c = text[j]
        if c == "\n" and text[j - 1] == "\n":
            return j + 1
        if c in ".?!" and _stops(text, j + 1) and _sentence_end(text, j, j + 1) == j:
            return j + 1
        j -= 1
    return stop


def _first_unnamed_enclosure(sc: Scan, first: int) -> int | None:
    """The first mention of an enclosure or attachment whose sentence names no kind of
    document ("supporting documentation is enclosed"), or None when every such sentence
    names what it sends ("I have enclosed the operative report and the discharge summary")."""
    low, text = sc.low, sc.ascii
    named = sc.phrases_in(_ENCLOSED_DOCUMENTS)
    mentions = sorted(i for word in ("enclos", "attach") for i in _finds(low, word) if i >= first)
    for i in mentions:
        lo = _sentence_start(text, i, max(0, i - _SENTENCE_REACH))
        hi = _sentence_end(text, i, min(len(text), i + _SENTENCE_REACH))
        if not any(lo <= a and b <= hi for a, b in named):
            return i
    return None


@_rule(
    "DK119",
    "redetermination-not-named",
    W,
    summary="A first-level Medicare (Parts A/B) appeal asks for a 'redetermination', the "
    "name the contractor files it under.",
    hint="Use the word 'redetermination' in the request and the subject line.",
    authority="42 CFR 405.940-405.944 (the first level is a redetermination)",
)
def _dk119(r: Rule, doc: Document, sc: Scan) -> list[Finding]:
    found: list[Finding] = []
    if sc.plan is PlanType.MEDICARE and doc.level == 1 and "redetermination" not in sc.low:
        found.append(
            r.finding(
                doc, "a first-level Medicare appeal does not ask for a redetermination by name"
            )
        )
    return found


@_rule(
    "DK120",
    "missing-redetermination-reference",
    E,
    summary="A Medicare reconsideration request (level 2) refers to the redetermination it "
    "disputes.",
    hint="Name the redetermination decision, its date and the contractor that made it.",
    authority="42 CFR 405.964(b); CGS (a MAC) reconsideration checklist",
)
def _dk120(r: Rule, doc: Document, sc: Scan) -> list[Finding]:
    found: list[Finding] = []
    if sc.plan is PlanType.MEDICARE and doc.level == 2 and "redetermination" not in sc.low:
        found.append(
            r.finding(
                doc,
                "a Medicare reconsideration request does not refer to the redetermination it "
                "disputes",
            )
        )
    return found
