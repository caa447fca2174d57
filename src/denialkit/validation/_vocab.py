"""The words letters use for each element the rules look for, kept as data in one place.

Each vocabulary is a tuple of phrases in lower case, as real letters write them. A phrase is
matched at the start of a word, with any run of spaces or tabs where it has a space; the
analyses in :mod:`denialkit.validation._analysis` compile them. Add a variant here, not in
a rule. ``docs/rules.md`` lists them for users.

The variants come from letters written in the field: the AMA's sample letters, medical
societies' and billing services' templates, Medicare, Medicare Advantage and Medicaid notices,
and letters patients write themselves.
"""

from __future__ import annotations

from typing import Final


def _numbered(*labels: str) -> tuple[str, ...]:
    """``labels``, and for each that ends in "number" its short forms: "claim control number"
    also as "claim control #", "claim control no." and, as capitals are often typed, without
    the dot ("MEMBER ID NO: ...")."""
    out = list(labels)
    for label in labels:
        if label.endswith(" number"):
            stem = label.removesuffix(" number")
            out += [f"{stem} #", f"{stem} no.", f"{stem} no"]
    return tuple(dict.fromkeys(out))


# -- identifiers: a label, then ":", "#" or "." (or nothing, see CLAIM_IN_SENTENCE), then
# the value

MEMBER_ID_LABELS: Final = _numbered(
    "member id", "member id number", "member identification number", "member number",
    "member no.", "member no", "member #", "member/subscriber id", "member/subscriber no.",
    "member/subscriber number", "subscriber id", "subscriber number", "subscriber no.",
    "subscriber #", "insured id", "insured's id number", "insured's id", "enrollee id",
    "policy number", "policy no.", "policy #", "policyholder id", "insurance id",
    "insurance number", "insurance card number", "insurance member number",
    "insurance id number", "health insurer identification number",
    "health plan id number", "health plan id", "plan id number", "plan id #", "plan id",
    "medicaid id number", "medicaid id", "medicaid number", "medicaid no.",
    "medicaid id no.", "medicaid id #", "recipient id", "recipient id number", "member id no.",
    "subscriber id no.", "subscriber id number", "insurance id no.", "identification number",
    "participant id", "enrollee id number", "plan member id", "ins id", "ins. id",
    "dod benefits number", "dod benefit number", "dbn", "dod id number", "dod id",
    "tricare id", "veteran icn", "veteran's icn", "va icn", "veteran id",
    "certificate number", "certificate id", "certificate no.", "cert no.", "cert #",
    "cin", "client index number", "client id number",
)  # fmt: skip
"""Labels of the patient's member id with their plan. TRICARE knows a beneficiary by the
DoD Benefits Number (DBN) or DoD ID; the VA knows a veteran by the Integration Control
Number ("Veteran ICN: 1012345678V123456"), not to be taken for a claim's ICN."""

NOT_MEMBER_ID_WORDS: Final = (
    "tax", "provider", "payer", "payor", "claim", "employer", "group", "npi", "federal",
    "state", "license", "dea", "submitter", "receiver", "vendor", "facility", "clinic",
    "practice", "billing", "rendering", "case", "reference", "referral", "authorization",
    "auth", "account", "patient account", "transaction", "tracking", "user", "login",
)  # fmt: skip
"""Words that, before "ID:", name an id other than the member's ("Tax ID:", "Payer ID:"):
any other word there names the plan ("Anthem ID: ...", "BCBS ID #: ...")."""

MEMBER_ID_LINE_LABELS: Final = ("id number", "id no.", "id#", "id #", "id", "member")
"""Labels of the member id that count only at the start of a line or of a field ("ID: ...",
"Patient: Jane Roe; ID 1234", "Re: Jane Roe, member 8837-4410"), so that a tax id or a
provider id is not taken for it; without a colon, the value must hold four digits."""

MEDICARE_ID_LABELS: Final = _numbered(
    "medicare beneficiary identifier", "medicare number", "medicare no.", "medicare id",
    "medicare #", "medicare card number", "mbi", "hicn", "health insurance claim number",
)  # fmt: skip
"""Labels of the Medicare number (MBI; the HICN before 2020)."""

CLAIM_NUMBER_LABELS: Final = _numbered(
    "claim number", "claim no.", "claim no", "claim num.", "claim #", "claim id",
    "claim control number", "claim reference number", "claim reference",
    "claim / coverage determination #", "claim/coverage determination #",
    "claim or coverage determination number", "internal control number", "icn",
    "document control number", "dcn", "reference number", "reference #", "ref #",
    "reference no.", "reference no", "ref. no.", "ref no.", "ref. #", "clm number", "clm",
    "claim ref", "claim ref.", "claim ref #", "claim numbers", "claim nos.", "claim #s",
    "claim", "claims", "appeal number", "appeal no.", "appeal #", "reconsideration number",
    "reconsideration no.", "redetermination number", "redetermination no.",
)  # fmt: skip
"""Labels of the payer's claim number (or of the reference number of a pre-service decision,
which has no claim). The value may follow without a colon when it holds at least
four digits, so "my claim number 12345", "Appeal for Claim 12345" and "Request for
reconsideration of claim 12345" are found by their "claim number" or "claim" part, and so is
a number after a few words that say where it is written ("the claim number on my EOB is
12345", "Claim number from the Medicare Summary Notice: 12345"). At the later levels of a
Medicare appeal, the number of the decision appealed stands for it ("QIC reconsideration
number: 1-1198...", "ALJ Appeal No.: 3-1029...")."""

PATIENT_LABELS: Final = (
    "patient", "patient name", "patient's name", "patient full name", "beneficiary",
    "beneficiary's name", "enrollee's name", "member's name", "participant's name",
    "claimant's name",
    "beneficiary name", "member", "member name", "enrollee", "enrollee name", "insured",
    "insured's name", "subscriber", "subscriber name", "participant", "participant name",
    "plan participant", "claimant", "claimant name", "patient/member", "member/patient",
    "pt name", "pt. name", "injured worker", "injured employee", "employee", "employee name",
    "veteran", "veteran name", "veteran's name", "pt",
)  # fmt: skip
"""Labels followed by the patient's name ("Patient: Jane Roe", "Pt: Jane Roe"). ERISA plans call the
patient a "participant" or "claimant"; workers' compensation bills an "injured worker"."""

PATIENT_IN_SENTENCE: Final = (
    "patient", "beneficiary", "enrollee", "son", "daughter", "child", "husband", "wife",
    "spouse", "mother", "father", "member", "subscriber", "participant", "claimant", "veteran",
)  # fmt: skip
"""Words that, written in lower case, put the patient's name after them in a sentence ("our
patient, Jane Roe", "Re: Appeal for patient Alan Preston", "for my son, Sam Roe", "for
member Jane Roe"). A
capitalised "Patient Financial Services" is a department, not a patient."""

SUBSCRIBER_WORDS: Final = ("subscriber", "insured", "policyholder", "policy holder", "guarantor")
"""Words of a label naming the person who holds the plan (a parent, a spouse), who may differ
from the dependent patient named beside them."""

RESIDENT_PATIENT_LABELS: Final = ("resident", "resident name", "resident's name")
"""Labels of the patient's name in a nursing facility's letter only (a skilled nursing or
long-term care facility calls its patients "residents"): elsewhere a "Resident:" may be a
resident physician."""

CLIENT_PATIENT_LABELS: Final = ("client", "client name", "client's name")
"""Labels of the patient's name in a counselor's or therapist's letter, which calls the
patient a "client"; a billing company's "Client:" is the practice it bills for, whose name
holds one of :data:`ORGANIZATION_WORDS`."""

ORGANIZATION_WORDS: Final = (
    "associates", "associated", "practice", "clinic", "medical", "medicine", "health",
    "healthcare", "group", "center", "centre", "hospital", "pediatrics", "llc", "pllc", "pc",
    "p.c.", "inc", "inc.", "partners", "services", "physicians", "npi", "counseling",
    "therapy", "institute", "network", "pharmacy", "laboratory", "lab", "imaging",
)  # fmt: skip
"""Words of an organisation's name (a practice, a clinic), not a person's."""

NURSING_FACILITY_WORDS: Final = (
    "skilled nursing", "nursing facility", "nursing home", "snf", "long-term care",
    "long term care", "assisted living", "rehabilitation center", "care center", "mds",
)  # fmt: skip
"""Words of a nursing facility's letter, where "Resident:" names the patient."""

MEDICAID_PATIENT_LABELS: Final = ("recipient", "recipient name")
"""Labels of the patient's name in a Medicaid letter only (Medicaid calls its members
"recipients"): elsewhere "Recipient:" addresses the letter, as on a fax cover sheet."""

SERVICE_DATE_LABELS: Final = (
    "date of service", "dates of service", "date(s) of service", "service date",
    "service dates", "dos", "claim date", "date of claim", "date of procedure",
    "procedure date", "date of surgery", "date of admission", "admission date",
    "date of visit", "visit date", "treatment date", "date of treatment",
    "admission", "admission dates", "admit date", "admit/discharge", "admission/discharge",
    "dates of stay", "date of stay", "discharge date", "month of service", "service month",
    "trip date", "date of trip", "transport date", "date of transport", "delivery date",
    "date of delivery", "dispensing date", "date dispensed", "fill date",
    "date of svc", "dates of svc", "svc date", "svc dates", "d.o.s.", "d.o.s",
    "period of service", "periods of service", "service period", "statement period",
    "statement covers period", "billing period", "dates of care", "date of care",
    "episode", "home health episode", "episode dates", "period of care", "from-through",
)  # fmt: skip
"""Labels of the dates of service (also abbreviated: "DOS", "D.O.S.", "Date of Svc"; a home
health agency's "Episode: 11/03/2025 - 01/01/2026"; a UB-04's "From-through")."""

SERVICE_IN_SENTENCE: Final = (
    "on", "provided on", "performed on", "rendered on", "received on", "seen on",
    "treated on", "admitted on", "visit on", "visit of", "surgery on", "procedure on",
    "service on", "services on", "appointment on", "scheduled for", "visits from",
    "therapy from", "services from", "treatment from", "care from", "stay from", "had on",
    "supplied", "supplied on", "delivered", "delivered on", "dispensed", "dispensed on",
    "filled on", "done on", "to", "through", "thru",
)  # fmt: skip
"""Words that put a date in a sentence about the service ("the MRI on February 18, 2026"):
the date counts as a date of service."""

PROCEDURE_CONTEXT: Final = (
    "cpt", "hcpcs", "procedure", "procedures", "code", "codes", "service", "services", "billed",
    "e/m", "item", "items", "drug", "supplies", "equipment",
)  # fmt: skip
"""Words that, up to 40 characters before it on the same line, make a CPT- or HCPCS-shaped
code a service code ("The E/M code, 99284"; "Service: 99213"; "Items: E0601 RR"; "Drug:
J1745"). A code that starts its line counts also when the line before it holds one ("Codes
billed:" over a list of codes), and, in a letter that names no code otherwise, so does a code
right after a date of service in a row of a list of claims ("DOS 01/05/26   92507")."""

PROCEDURE_HEADERS: Final = (
    "cpt", "cpt code", "cpt codes", "hcpcs", "hcpcs code", "cpt/hcpcs", "hcpcs/cpt", "cdt",
    "cdt code", "procedure", "procedure code", "proc code", "service code", "code",
)  # fmt: skip
"""Headers of a table's column of procedure codes ("Tooth   CDT   DOS   Fee" over rows of
dental codes; "| Date of service | CPT | Billed |"): the codes in the column are the
letter's service codes."""

ARGUMENT_WORDS: Final = (
    "document", "because", "evidence", "record", "show", "support", "meets",
    "met ", "demonstrat", "establish", "satisf", "confirm", "therefore", "criteria",
    "requirement", "medically necessary", "in accordance", "explain", "necessary", "need",
    "prescribed", "diagnosed", "require", "according to", "guideline", "in error",
    "incorrect", "erroneous", "pursuant to", "regulation", "entitled to", "must be paid",
    "contracted rate", "contract rate", "contracted amount", "fee schedule",
    "participating agreement", "provider agreement", "should have paid",
    "not a duplicate", "differ", "appears to", "appear to", "mistake", "wrong", "however",
    "on file", "did not address", "did not consider", "failed to consider", "overlooked",
    "instead of", "rather than", "cannot be", "the limit", "only had", "only used",
    "should have been paid", "now supplied", "now provided", "now attached", "now enclosed",
    "now included", "has been corrected", "have been corrected", "was corrected",
    "were corrected", "separate", "distinct", "unrelated", "not related", "policy manual",
    "processing manual", "provider manual", "policy covers", "policy allows",
    "policy lists", "policy permits", "covered benefit", "is covered", "are covered",
    "cannot ", "which makes", "indicat", "qualif",
    "primary coverage", "primary insurance", "primary payer", "primary plan", "primary carrier",
    "primary insurer", "primary eob", "secondary payer", "secondary coverage", "secondary plan",
    "secondary insurance", "now added", "now been added", "approved on", "approved for",
    "falls within", "fall within", "falls inside", "fall inside", "certificate of coverage",
    "evidence of coverage", "summary plan description", "handbook", "booklet", "meet the",
    "meet all", "meet each", "meet every", "agreement with", "our agreement",
    "carve-out", "carved out", "not safe", "unsafe", "had to be stopped", "already tried",
    "cfr", "c.f.r.", "makes clear", "not a reason", "not a valid reason", "must cover",
    "law covers", "law says", "state law", "surprise billing law", "did not choose",
    "didn't choose", "no in-network",
)  # fmt: skip
"""Words an argument uses; a letter with none of them argues nothing. A payment dispute
argues from the contract ("the contracted rate", "the fee schedule"); a letter answering a
request for missing information argues that it is now given ("the referral number is now
supplied"); a bundling denial is argued by showing the service apart ("a separate
communication, unrelated to the visit") or from the payer's manual; a letter may argue by
contrast or by naming the payer's mistake ("it is not a duplicate", "the two visits differ in
date", "the remittance appears to count last year's doses", "they cannot be duplicates"). A
coordination-of-benefits appeal argues who pays first ("Medicare is my primary insurance",
"the primary payer paid"); an authorization denial, that the service was approved and fell
within the approval ("approved on December 18", "falls within the authorized dates"); a
drug appeal, that the drug the plan prefers was tried or is unsafe ("had to be stopped");
and any letter may argue from a regulation ("42 CFR 409.33(b)") or a law ("my state's
surprise billing law covers ground ambulances", "I did not choose the ambulance"). (Each
phrase's first word is searched for in the text: a phrase that starts with a common word,
"is", "was", "plan", costs a try at each of its places.)"""

# -- the decision, the request and the recipient

DENIAL_WORDS: Final = (
    "denied", "denial", "denying", "denies", "rejected", "rejection", "not paid",
    "nonpayment", "non-payment", "adverse determination", "adverse benefit determination",
    "initial determination", "unfavorable", "did not pay", "will not pay", "won't pay",
    "refused to pay", "not covered", "declined to cover", "decided not to cover",
    "not to cover", "not to pay", "decision to deny", "your decision", "the plan's decision",
    "its decision", "redetermination decision", "disagree with", "do not agree with",
    "don't agree with", "underpaid", "underpayment", "as out-of-network", "as an out-of-network",
    "would not pay", "would not cover", "will not cover", "no longer pay", "no longer cover",
    "stop paying", "stopped paying", "stop covering", "stopped covering", "turned down",
    "turning down", "reduced the", "reduced payment", "reduced our", "reduced reimbursement",
    "payment reduction", "downcoded", "down-coded", "disallowed", "payment dispute",
    "dispute the payment", "dispute the amount", "dispute about the amount",
    "paid less than", "short-paid", "short paid", "paid no ", "paid nothing", "paid zero",
    "paid $0", "paid only", "allowed no ", "allowed nothing", "allowed only",
    "initial payment", "was paid as", "were paid as", "was paid at", "were paid at",
    "was paid for", "were paid for", "non-coverage", "coverage would end", "care would end",
    "coverage will end", "care will end", "services would end", "services will end",
    "was reduced", "were reduced", "reduced to", "reprocessed our", "reprocessed the claim",
    "regrouped", "re-grouped", "recoded", "re-coded", "decision of the administrative law judge",
    "alj decision", "alj's decision", "qic decision", "qic's decision",
    "reconsideration decision", "hearing decision", "approved only", "partially approved",
)  # fmt: skip
"""Words that name the decision the letter disputes ("the initial payment" is what the No
Surprises Act calls an out-of-network payment a provider disputes; "was paid as a LUPA",
"was paid for 6 time units", "the units were reduced to one" tell how the payer cut the
payment; a Notice of Medicare Non-Coverage says that covered care will end)."""

REQUEST_PHRASES: Final = (
    "please reconsider", "please review", "please reprocess", "please re-process",
    "please overturn", "please reverse", "please pay", "please process",
    "please forward this information to your medical review",
    "for an independent determination", "override the denial", "overturn the denial",
    "reverse the denial", "make payment", "process the claim for payment",
    "reprocess the claim", "be considered for separate reimbursement",
    "be considered for reimbursement", "be considered for payment",
    "we are appealing", "i am appealing", "we are hereby appealing", "i am hereby appealing",
    "we are disputing", "i am disputing", "appeal of the denial", "appeal of this denial",
    "appeal of your decision", "appeal the decision", "appeal this decision",
    "appeal of the decision", "dispute of the denial", "please approve", "please authorize",
    "please cover", "please redetermine", "reverse its decision", "reverse your decision",
    "reverse the decision", "overturn its decision", "overturn your decision",
    "overturn the decision", "reverse the redetermination", "change your decision",
    "change the decision", "change its decision", "take another look", "please adjust",
    "adjust the claim", "adjust the payment", "we propose a total payment",
    "we propose a payment", "we propose payment", "initiate open negotiation",
    "opens the open negotiation", "opens the 30-business-day open negotiation",
    "keep covering", "continue covering", "continue to cover", "care should continue",
    "coverage should continue", "services should continue", "please restore",
    "please repay", "please grant", "please correct",
)  # fmt: skip
"""Phrases that are themselves an explicit request ("Please adjust the claim to pay 10 time
units"; under the No Surprises Act, a provider's notice that opens the open negotiation
period and proposes a payment; in a fast-track appeal, that covered care "should continue"
or the plan "keep covering" it)."""

REQUEST_VERBS: Final = (
    "request", "ask", "seek", "submit", "file", "filing", "urge", "demand", "would appreciate",
    "would like", "want", "wish",
)  # fmt: skip
"""Verbs that make a request when one of :data:`REQUEST_OBJECTS` follows in the sentence (an
attorney "demands that the Plan reverse its determination"; "we would appreciate your
reconsideration", "I would like you to pay for the testing", "I want this decision
overturned")."""

REQUEST_OBJECTS: Final = (
    "reconsider", "redetermination", "re-review", "rereview", "review", "appeal", "reopen",
    "reprocess", "overturn", "reverse", "payment", "reimbursement", "be paid", "coverage",
    "determination", "redetermin", "pay the", "pay for", "pay my", "pay this", "hearing",
    "restore", "repaid", "repay", "process the claim", "process claim", "process this",
)  # fmt: skip

REQUEST_IMPERATIVES: Final = (
    "reverse", "reprocess", "re-process", "overturn", "reconsider", "redetermine", "reopen",
    "pay", "approve", "authorize", "cover",
)  # fmt: skip
"""Verbs that make a request when one starts a line, capitalised, as an imperative (a
list of what the letter asks: "- Reverse the CO-197 denial." "- Reprocess claim 123.")."""

RECIPIENT_UNITS: Final = (
    "appeals department", "appeal department", "appeals dept", "appeals unit", "appeals office",
    "appeals team", "appeals coordinator", "appeals center", "appeals section",
    "provider appeals", "member appeals", "appeals and grievances", "grievances and appeals",
    "grievance and appeals", "claims review department", "claims review", "claims department",
    "claims dept", "medical review department", "medical review", "review department",
    "redetermination unit", "reconsideration unit", "utilization review",
    "utilization management", "member services", "provider services",
    "provider reconsiderations", "provider redeterminations", "reconsiderations",
    "redeterminations", "provider disputes", "claim disputes", "payment disputes",
    "claim review", "claim appeals", "claims appeals", "independent review organization",
    "independent review entity", "independent medical review", "external review unit",
    "external appeal unit", "department of insurance", "division of insurance",
    "department of managed health care",
    "dispute resolution", "appeals review", "appeals processing", "complaints and appeals",
    "bill review", "administrative hearings", "fair hearings", "hearings office",
    "hearing office", "office of hearings", "hearings unit", "hearings section",
    "expedited appeals", "claims reconsideration", "claim reconsideration",
    "superintendent of insurance", "insurance commissioner", "commissioner of insurance",
    "department of financial services", "external review section", "external review office",
    "appeal committee", "appeals committee", "review committee", "grievance committee",
    "claims unit", "pip unit", "personal injury protection unit", "no-fault unit",
    "bfcc-qio", "quality improvement organization", "office of medicare hearings and appeals",
    "omha", "departmental appeals board", "medicare appeals council", "consumer inquiry",
    "consumer services", "consumer assistance", "consumer protection", "payment integrity",
    "coordination of benefits unit", "cob unit", "provider dispute", "appeals fiduciary",
)  # fmt: skip
"""Names of the payer's unit that takes appeals (or of a state's hearings office, or of a
workers' compensation carrier's bill review, a plan's appeal committee, an auto insurer's
PIP unit, Medicare's Quality Improvement Organization for a fast-track appeal, the Office
of Medicare Hearings and Appeals and the Medicare Appeals Council for the third and fourth
levels, a state insurance department's consumer unit that takes complaints, a plan's
payment integrity or coordination of benefits unit); one
addresses the letter. A short line that ends in "Appeals" ("Payment Appeals", "PIP Claims -
Internal Appeals") does too, also as a form's greeting ("To SilverWell Rx Appeals:"), and so
does a QIC's name on its own line ("Part B East QIC")."""

RECIPIENT_LINES: Final = (
    "attn:", "attention:", "to:", "fax to:", "send to:", "mail to:", "submitted to:",
)  # fmt: skip
"""Line starts that address the letter ("Attn: Appeals"; on a fax cover, "Fax to: ...";
on a portal's copy of an appeal, "Submitted to: ...")."""

ENCLOSED_DOCUMENTS: Final = tuple(
    form
    for noun in (
        "note", "report", "summary", "record", "letter", "log", "eob", "explanation of benefits",
        "remittance", "remittance advice", "notice", "msn", "plan of care", "care plan",
        "orders", "written order", "physician order", "prescription", "form", "receipt",
        "invoice", "bill", "statement", "certificate", "certification", "chart", "results",
        "images", "radiograph", "x-ray", "photo", "photograph", "assessment", "evaluation",
        "authorization", "approval", "referral", "medical policy", "clinical policy",
        "coverage policy", "payment policy", "reimbursement policy", "manual", "guideline",
        "article", "corrected claim", "claim form", "cms-1500", "ub-04", "paper", "audiogram",
        "tracing", "questionnaire", "consent", "history and physical", "h&p", "diary",
        "appointment of representative", "cms-1696", "fee schedule", "agreement", "contract",
        "card", "page",
    )
    for form in (
        (noun,)
        if noun.endswith("s")
        else (noun, noun[:-1] + "ies")
        if noun[-1] == "y" and noun[-2] not in "aeiou"
        else (noun, noun + "s")
    )
)  # fmt: skip
"""Kinds of document a sentence may name as enclosed or attached ("I have enclosed the
operative report and the discharge summary", "Visit note attached"): a letter that names what
it sends in the sentence that sends it needs no list. "Supporting documentation", "documents",
"information" and "materials" name no document."""

CLOSINGS: Final = (
    "sincerely", "respectfully", "respectfully submitted", "regards", "best regards",
    "kind regards", "yours truly", "very truly yours", "yours sincerely", "yours faithfully",
    "thank you", "thank you for your time and consideration",
    "thank you for your consideration", "thank you for your attention", "with gratitude",
    "thanks", "many thanks", "thanks again", "thank you again", "best", "best wishes",
    "warm regards", "warmly", "cordially", "sincerely yours", "respectfully yours",
    "with appreciation", "gratefully", "signed",
)  # fmt: skip

CREDENTIALS: Final = (
    "md", "m.d.", "do", "d.o.", "dpm", "dds", "dmd", "dc", "od", "np", "fnp", "fnp-c", "aprn",
    "pa", "pa-c", "rn", "bsn", "msn", "lpn", "cnm", "crna", "lcsw", "licsw", "lpc", "lmft",
    "phd", "psyd", "pharmd", "dpt", "pt", "otr/l", "ot", "slp", "ccc-slp", "aud", "au.d.",
    "cpc", "ccs", "cpb", "rhia", "rhit", "ccds", "facp", "faafp", "faap", "facs", "facc",
    "mba", "mha", "mph", "ms", "ma", "msw",
)  # fmt: skip
"""Professional credentials written after a name ("Jane Roe, MD"). A line near the end that
holds a name followed by these signs the letter, with or without a closing word before it."""

CLOSINGS_ALONE: Final = (
    "best", "signed", "thanks", "many thanks", "warmly", "cordially", "gratefully",
)  # fmt: skip
"""Closings that count only on a line of their own ("Best,"), so that "Best Medical Group"
or "Signed by: ..." under a signature is not taken for one."""
"""Closings before the signature."""

CLOSING_MAX: Final = 64
"""A closing line is at most this long ("Thank you for your time and consideration." is 42)."""

# -- who writes, to what kind of plan

PATIENT_AUTHOR: Final = (
    "my claim", "my insurance", "my plan", "my coverage", "my doctor", "my physician",
    "my surgeon", "my therapist", "my provider", "my medical", "my health", "my son",
    "my daughter", "my husband", "my wife", "my child", "my mother", "my father",
    "my treatment", "my condition", "my diagnosis", "i was diagnosed", "i received",
    "i am a member", "i am the member", "i am a beneficiary", "i am enrolled",
    "as the patient", "i am writing to appeal", "i am writing to request",
    "on behalf of my", "my appointment", "my prescription", "my surgery",
    "our son", "our daughter", "our child", "our baby", "parents of", "parent of",
)  # fmt: skip
"""Phrases of a patient (or a family member) writing about their own care; two parents write
"we" and "our son" ("We are Kai's parents", signed "Parents of Kai ...")."""

PATIENT_REPRESENTATIVE: Final = (
    "patient advocate", "appointment of representative", "cms-1696", "authorized representative",
    "this office represents", "this firm represents", "attorney at law", "law office",
    "law firm", "attorney for", "counsel for", "legal guardian", "guardian of ", "guardian for ",
    "court-appointed guardian",
)  # fmt: skip
"""Phrases of someone who represents the patient (an advocate, a relative named on the
Medicare form CMS-1696, an attorney, a guardian or an ERISA plan's authorized
representative); each
counts as one of :data:`PATIENT_AUTHOR`. They are looked for as
plain text, which costs less than a longer pattern for every letter."""

PROVIDER_AUTHOR: Final = (
    "our patient", "my patient", "the patient", "our practice", "our office", "our clinic",
    "our facility", "our hospital", "our physicians", "on behalf of our", "on behalf of the",
    "we provided", "we rendered", "we billed", "we submitted", "we are writing",
    "billing provider", "rendering provider", "treating physician", "medical director",
    "npi", "tax id", "office manager", "billing manager", "billing department",
)  # fmt: skip
"""Phrases of a provider (or their billing staff) writing about a patient's care."""

PROVIDER_ROLE: Final = (
    "am the treating", "am her treating", "am his treating", "enrollee's treating",
    "member's treating", "beneficiary's treating", "patient's treating", "as her physician",
    "as his physician", "as their physician",
)  # fmt: skip
"""Phrases of a physician who says they treat the patient ("I am the enrollee's treating
neurologist", "As her physician I may request ..."); each counts as one of
:data:`PROVIDER_AUTHOR`. Like :data:`PATIENT_REPRESENTATIVE` they are looked for as plain
text: a pattern that starts with "i" or "as" would be tried at too many places."""

AMOUNT_DISPUTE_WORDS: Final = (
    "payment dispute", "dispute the amount", "dispute about the amount", "dispute the payment",
    "underpaid", "underpayment", "paid less than", "short-paid", "short paid",
    "initial payment",
)  # fmt: skip
"""Words of a dispute about the amount paid rather than a denial (a non-contracted
provider's payment dispute with a Medicare Advantage plan, an underpayment): the remittance
may carry no denial code worth citing."""

CASUALTY_WORDS: Final = (
    "workers' compensation", "workers compensation", "worker's compensation",
    "workers' comp", "workers comp", "injured worker", "injured employee", "no-fault",
    "no fault", "personal injury protection", "pip claim", "date of injury",
    "date of accident", "bill review", "medical payments coverage", "med pay", "medpay",
    "date of loss",
)  # fmt: skip
"""Words of a workers' compensation or auto (no-fault, PIP, medical payments) claim, which the
carrier knows by its claim number: the patient has no member id with it."""

PART_D_WORDS: Final = (
    "part d", "prescription drug plan", "medicare prescription drug", "pdp",
)  # fmt: skip
"""Words of a Medicare drug plan (Part D): a private plan, which knows its enrollee by its
own member id, so a Part D appeal with that id needs no Medicare number (DK102)."""

REMITTANCE_WORDS: Final = (
    "remittance", "remit", "explanation of payment", "eop", "835", "reason code",
    "adjustment reason", "remark code", "carc", "rarc", "denial code",
)  # fmt: skip
"""Words that show a provider answers a remittance (which carries codes)."""

PLAN_WORDS: Final = (
    ("medicare-advantage", (
        "medicare advantage", "part c", "organization determination", "ma plan",
        "medicare health plan", "medicare hmo", "medicare ppo", "dual special needs",
    )),
    ("medicaid", (
        "medicaid", "managed care organization", "medicaid managed care", "chip",
        "state fair hearing", "medi-cal", "masshealth", "medical assistance",
        # the names states give their Medicaid programs
        "apple health", "providerone", "tenncare", "soonercare", "badgercare", "kancare",
        "husky health", "nj familycare", "ahcccs", "peachcare", "mainecare", "mo healthnet",
        "centennial care", "hoosier healthwise", "healthy louisiana", "health first colorado",
    )),
    ("erisa", (
        "erisa", "2560.503-1", "employer-sponsored", "employer sponsored",
        "plan administrator", "summary plan description", "employee benefit plan",
        # ERISA's parity rules (29 CFR part 2590); a phrase of no letters would be searched
        # for in every letter
        "29 cfr 2590", "29 c.f.r. 2590",
    )),
    ("medicare", (
        "medicare", "redetermination", "medicare summary notice", "mbi",
        "medicare administrative contractor", "405.944", "qualified independent contractor",
    )),
)  # fmt: skip
"""Words that name the kind of plan, most specific first: the first kind with a word in the
letter wins; a letter with none is a commercial plan's."""

MEDICARE_CUES: Final = (
    "redetermination", "medicare summary notice", "mbi", "medicare number", "medicare no",
    "medicare #", "medicare id", "medicare beneficiary", "beneficiary", "hicn",
    "health insurance claim number", "medicare administrative contractor", "405.9",
    "qualified independent contractor", "qic", "part a", "part b", "original medicare",
    "traditional medicare", "medicare claim", "medicare appeal", "medicare denied",
    "medicare's decision", "medicare decision", "medicare covers", "medicare will",
    "medicare did", "medicare does",
)  # fmt: skip
"""Words by which a letter shows it is an original Medicare appeal (more than naming
Medicare in passing: a commercial letter cites "Medicare guidelines" or quotes a code
description that names Medicare); only such a letter must give the MBI (DK102)."""

GROUP_NUMBER_LABELS: Final = ("group number", "group no.", "group id", "group #", "group")
"""Labels of a plan's group number ("Group No.: 1000387"). Original Medicare has none: a
letter that names Medicare but gives a group number, and no Medicare number, goes to a
private plan (a commercial plan that coordinates benefits with Medicare)."""

MEDICARE_PRIVATE_PLAN_WORDS: Final = (
    "hmo", "ppo", "pffs", "hmo-pos", "snp", "d-snp", "c-snp", "i-snp", "special needs plan",
    "evidence of coverage",
)  # fmt: skip
"""Words of a private plan: a letter that names Medicare and one of these ("Lakeview
Medicare Complete (HMO)") goes to a Medicare Advantage plan, not to original Medicare."""

MEDICARE_SUPPLEMENT_WORDS: Final = (
    "medicare supplement", "medigap", "supplement plan", "supplemental plan",
    "secondary claim", "secondary coverage", "secondary insurance", "secondary member",
)  # fmt: skip
"""Words of a private plan that pays after Medicare (a Medigap policy, an employer's
secondary coverage): a letter that names one of these and gives no Medicare number goes to
that plan, with Medicare named as the payer before it."""

PRE_SERVICE_WORDS: Final = (
    "pre-service", "preservice", "pre service", "prior approval", "request for approval",
    "prior authorization request", "request for prior authorization", "preauthorization request",
    "precertification request", "expedited appeal", "expedited reconsideration",
    "expedited review", "urgent appeal", "please approve", "approve the", "approve his",
    "approve her", "approve my", "approval of the", "authorize the", "requested service",
    "requested treatment", "requested procedure", "planned date", "planned procedure",
    "proposed treatment", "proposed surgery", "fast-track appeal", "fast track appeal",
    "notice of medicare non-coverage", "nomnc",
)  # fmt: skip
"""Words of a pre-service appeal: a request to approve care not yet given, which has no date
of service and may have no procedure code yet. A fast-track appeal of a Notice of Medicare
Non-Coverage (to a QIO, that covered care in a facility or at home must not end) is one
too: it asks for care still to come."""

POST_SERVICE_WORDS: Final = (
    "remittance", "explanation of benefits", "eob", "summary notice", "billed", "date of service",
    "dates of service", "pay the claim", "paid", "approve the claim", "approve this claim",
    "approve payment", "approve the payment", "authorize payment", "authorize the payment",
)  # fmt: skip
"""Words of care already given and billed: a letter that uses one is not pre-service."""

DRUG_EXCEPTION_WORDS: Final = (
    "coverage determination", "formulary exception", "tiering exception", "tier exception",
    "step therapy exception", "non-formulary exception", "nonformulary exception",
)  # fmt: skip
"""Words of a request to cover a drug not yet dispensed (a Part D coverage determination, a
formulary or step therapy exception): such a letter is pre-service even when it tells that
earlier drugs were paid, unless it asks to be paid back (:data:`DRUG_REFUND_WORDS`)."""

DRUG_REFUND_WORDS: Final = (
    "reimburse", "out of pocket", "out-of-pocket", "receipt", "date of service",
    "dates of service", "date filled", "fill date", "claim number", "remittance",
    "explanation of benefits", "eob",
)  # fmt: skip
"""Words of a drug appeal about a prescription already filled and paid for (a request to be
reimbursed), which is not pre-service."""

FACILITY_STAY_WORDS: Final = (
    "inpatient", "admission", "observation stay", "observation claim", "type of bill", "ub-04",
    "ub04", "drg", "revenue code", "length of stay", "tob", "hipps", "home health episode",
    "home health period", "home health claim", "skilled nursing facility stay", "snf stay",
)  # fmt: skip
"""Words of a facility's claim for a hospital stay, billed by revenue code and DRG rather
than by CPT code: such a letter identifies the stay by its dates. (A home health or
skilled nursing claim is billed the same way, by type of bill, "TOB", and HIPPS code, so a
letter about a home health episode or period, or a skilled nursing stay, needs no CPT code
either.)"""
