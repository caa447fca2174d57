"""Claim facts read from a patient's FHIR R4 record, each traced to the resource it came from.

:func:`read` takes a Bundle, a single resource, NDJSON files or a bulk-export folder and
returns a :class:`Record` of small frozen views (dates keep their precision, decimals stay
``Decimal``). :func:`facts` reads the facts of a denial code for a billed month, each with its
:class:`Source` (``Type/id`` and element path); nothing is guessed, and a fact the record does
not show stays missing. :func:`fill` combines a claim with the record and reports every
:class:`Conflict`. No FHIR library is needed, and nothing is downloaded.

>>> from denialkit import record
>>> rec = record.read(b'''{"resourceType": "Bundle", "type": "collection", "entry": [
...   {"fullUrl": "urn:uuid:1", "resource": {"resourceType": "Consent", "id": "c1",
...    "status": "active", "dateTime": "2026-09-02",
...    "scope": {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/consentscope",
...                          "code": "treatment"}]}}}]}''')
>>> rec
<Record resources=1 views={'Consent': 1}>
>>> found = record.facts(rec, code="CCM21", month="2026-09")
>>> found.facts["consent_date"].value, found.facts["consent_date"].source
(datetime.date(2026, 9, 2), 'Consent/c1')
>>> "care_manager_minutes" in found.missing
True
"""

from __future__ import annotations

from ._dates import FhirDate, Month
from ._facts import (
    BHI_FACTS,
    CARE_MANAGER_ROLES,
    CLAIM_FACTS,
    PSYCHIATRIC_CONSULTANT_ROLES,
    Fact,
    Note,
    RecordFacts,
    Source,
    facts,
    is_bhi_code,
)
from ._fill import Conflict, Filled, Origin, billed_month, fill
from ._reader import MAX_BYTES, Readable, read
from ._record import Record, Resolution
from ._views import (
    CarePlan,
    CareTeam,
    Coding,
    Condition,
    Consent,
    Coverage,
    Encounter,
    ExplanationOfBenefit,
    ItemAnswer,
    Observation,
    Organization,
    Participant,
    Patient,
    Period,
    Practitioner,
    PractitionerRole,
    Procedure,
    Questionnaire,
    QuestionnaireResponse,
    Ref,
    Resource,
    ScoreItem,
)

__all__ = [
    "BHI_FACTS",
    "CARE_MANAGER_ROLES",
    "CLAIM_FACTS",
    "MAX_BYTES",
    "PSYCHIATRIC_CONSULTANT_ROLES",
    "CarePlan",
    "CareTeam",
    "Coding",
    "Condition",
    "Conflict",
    "Consent",
    "Coverage",
    "Encounter",
    "ExplanationOfBenefit",
    "Fact",
    "FhirDate",
    "Filled",
    "ItemAnswer",
    "Month",
    "Note",
    "Observation",
    "Organization",
    "Origin",
    "Participant",
    "Patient",
    "Period",
    "Practitioner",
    "PractitionerRole",
    "Procedure",
    "Questionnaire",
    "QuestionnaireResponse",
    "Readable",
    "Record",
    "RecordFacts",
    "Ref",
    "Resolution",
    "Resource",
    "ScoreItem",
    "Source",
    "billed_month",
    "facts",
    "fill",
    "is_bhi_code",
    "read",
]
