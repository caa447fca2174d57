"""Small frozen views of the FHIR R4 resources the facts are read from (private).

Each view keeps only the elements denialkit reads, typed, with dates at their original
precision. A view's ``repr`` shows its type and id, never a value. Elements of the wrong JSON
type are treated as absent (a record is tolerated, not validated), so one odd element never
costs the whole record.

>>> v = build({"resourceType": "Observation", "id": "phq9", "status": "final",
...            "code": {"coding": [{"system": "http://loinc.org", "code": "44261-6"}]},
...            "effectiveDateTime": "2026-09-28", "valueString": "12"})
>>> v, v.value, v.effective.day
(<Observation id=phq9>, Decimal('12'), datetime.date(2026, 9, 28))
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Iterator, Mapping
from decimal import Decimal, InvalidOperation
from typing import Any, ClassVar, Final, Literal, TypeAlias

import attrs

from denialkit._repr import tolerant

from ._dates import FhirDate
from ._scales import ANSWER_SCORES, ITEM_SCALES, PANELS, SNOMED_TOTALS, ordinal

__all__ = [
    "CarePlan",
    "CareTeam",
    "Coding",
    "Condition",
    "Consent",
    "Coverage",
    "Encounter",
    "ExplanationOfBenefit",
    "ItemAnswer",
    "Observation",
    "Organization",
    "Participant",
    "Patient",
    "Period",
    "Practitioner",
    "PractitionerRole",
    "Procedure",
    "Questionnaire",
    "QuestionnaireResponse",
    "Ref",
    "Resource",
    "ScoreItem",
    "build",
]

Identifier: TypeAlias = tuple[str | None, str]
#: Why an Observation's ``effective[x]`` gave no date though it was there.
EffectiveGap: TypeAlias = Literal["absent-reason", "timing"]

LOINC: Final = "http://loinc.org"
SNOMED: Final = "http://snomed.info/sct"
ICD10CM: Final = "http://hl7.org/fhir/sid/icd-10-cm"
#: WHO ICD-10, which some US exports name for ICD-10-CM codes; its chapter V (F00-F99) is
#: mental and behavioural disorders too.
ICD10: Final = "http://hl7.org/fhir/sid/icd-10"
ICD10_SYSTEMS: Final = frozenset({ICD10CM, ICD10})
NUCC: Final = "http://nucc.org/provider-taxonomy"
#: Other names of a code system that records in use send (the HL7 OIDs of v2 and CDA, which
#: some EHRs carry over into FHIR), each with the URI FHIR R4 names.
SYSTEM_ALIASES: Final = {
    "urn:oid:2.16.840.1.113883.6.1": LOINC,
    "urn:oid:2.16.840.1.113883.6.96": SNOMED,
    "urn:oid:2.16.840.1.113883.6.90": ICD10CM,
    "urn:oid:2.16.840.1.113883.6.3": ICD10,
    "urn:oid:2.16.840.1.113883.6.101": NUCC,
}
#: The http code systems denialkit reads codes in: each is also read written with https or a
#: trailing slash (``https://loinc.org``, ``http://nucc.org/provider-taxonomy/``).
HTTP_SYSTEMS: Final = frozenset(
    {
        LOINC,
        SNOMED,
        ICD10CM,
        ICD10,
        NUCC,
        "http://terminology.hl7.org/CodeSystem/consentscope",
        "http://terminology.hl7.org/CodeSystem/v2-0203",
        "http://terminology.hl7.org/CodeSystem/condition-ver-status",
        "http://hl7.org/fhir/us/core/CodeSystem/careplan-category",
        "http://hl7.org/fhir/us/carin-bb/CodeSystem/C4BBIdentifierType",
    }
)
MAX_ITEM_DEPTH: Final = 64


# -- tolerant element access --------------------------------------------------------------
#: A UTF-16 surrogate: JSON may escape one alone (``"\\ud83d"``, text cut in the middle of
#: an emoji by a system that counts UTF-16 units), which no UTF-8 output can encode.
_SURROGATE_RE: Final = re.compile("[\ud800-\udfff]")


def _str(value: object) -> str | None:
    """A non-empty string, with a lone surrogate read as U+FFFD (the replacement character)."""
    if not isinstance(value, str) or not value:
        return None
    if value.isascii() or _SURROGATE_RE.search(value) is None:
        return value
    return _SURROGATE_RE.sub("\ufffd", value)


def _list(value: object) -> list[Any]:
    return value if isinstance(value, list) else []


def _dict(value: object) -> Mapping[str, Any]:
    return value if isinstance(value, dict) else {}


def _number(value: object) -> Decimal | None:
    """A JSON number (or a string of digits, as US Core's PHQ-9 example has) as a Decimal."""
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, Decimal)):
        d = Decimal(value)
        return d if d.is_finite() else None
    if isinstance(value, str) and re.fullmatch(r"\s*-?[0-9]{1,9}(\.[0-9]{1,9})?\s*", value):
        try:
            return Decimal(value.strip())
        except InvalidOperation:  # pragma: no cover - the pattern admits only numbers
            return None
    return None


@attrs.frozen
class Coding:
    """A code and its system (either may be absent in real data)."""

    system: str | None
    code: str | None

    @property
    def canonical_system(self) -> str | None:
        """The system's URI as FHIR R4 names it. The OID forms of LOINC, SNOMED CT and
        ICD-10-CM (``urn:oid:2.16.840.1.113883.6.1``), which some EHRs send, give their URIs.

        >>> Coding("urn:oid:2.16.840.1.113883.6.1", "44261-6").canonical_system
        'http://loinc.org'
        """
        return canonical_system(self.system)

    @tolerant
    def __repr__(self) -> str:
        return f"<Coding {self.system} {self.code}>"


def canonical_system(system: object) -> str | None:
    """A code system's URI as FHIR R4 names it (see :data:`SYSTEM_ALIASES` and
    :data:`HTTP_SYSTEMS`); ``None`` for anything but a string.

    >>> canonical_system("https://nucc.org/provider-taxonomy/")
    'http://nucc.org/provider-taxonomy'
    """
    if not isinstance(system, str):
        return None
    alias = SYSTEM_ALIASES.get(system)
    if alias is not None:
        return alias
    plain = system.strip().rstrip("/")
    if plain.startswith("https://"):
        plain = "http://" + plain[8:]
    return plain if plain in HTTP_SYSTEMS else system


def _codings(concept: object) -> tuple[Coding, ...]:
    """The codings of a CodeableConcept (or of a list of them)."""
    out: list[Coding] = []
    concepts = concept if isinstance(concept, list) else [concept]
    for c in concepts:
        for coding in _list(_dict(c).get("coding")):
            cd = _dict(coding)
            system, code = _str(cd.get("system")), _code(cd.get("code"))
            if system or code:
                out.append(Coding(system, code))
    return tuple(out)


def _item_codings(value: object) -> tuple[Coding, ...]:
    """``Questionnaire.item.code``, a list of Codings (some forms write CodeableConcepts
    there instead, which are read too)."""
    out: list[Coding] = []
    for c in _list(value):
        cd = _dict(c)
        if "coding" in cd:
            out += _codings(cd)
        else:
            system, code = _str(cd.get("system")), _code(cd.get("code"))
            if system or code:
                out.append(Coding(system, code))
    return tuple(out)


def _code(value: object) -> str | None:
    """A ``code`` without the spaces around it that FHIR forbids and some exports keep (a
    code copied from a fixed-width field: ``"99492 "``)."""
    code = _str(value)
    if code is not None and (code[0] == " " or code[-1] == " "):
        return code.strip() or None
    return code


@attrs.frozen
class Ref:
    """A Reference element as written: its ``reference`` text, logical identifier, display.

    Attributes:
        path: where the reference sits in its resource, e.g. ``PractitionerRole.practitioner``.
    """

    path: str
    reference: str | None = attrs.field(repr=False, default=None)
    display: str | None = attrs.field(repr=False, default=None)
    type: str | None = None
    identifier: Identifier | None = attrs.field(repr=False, default=None)

    @tolerant
    def __repr__(self) -> str:
        return f"<Ref {self.path}>"


def _ref(value: object, path: str) -> Ref | None:
    d = _dict(value)
    if not d:
        return None
    ident = None
    idd = _dict(d.get("identifier"))
    value = _str(idd.get("value"))
    if value is not None:
        ident = (_str(idd.get("system")), value)
    ref = Ref(path, _str(d.get("reference")), _str(d.get("display")), _str(d.get("type")), ident)
    if ref.reference is None and ref.identifier is None and ref.display is None:
        return None
    return ref


def _refs(value: object, path: str) -> tuple[Ref, ...]:
    out = []
    for i, v in enumerate(_list(value)):
        r = _ref(v, f"{path}[{i}]")
        if r is not None:
            out.append(r)
    return tuple(out)


def _identifiers(value: object) -> tuple[Identifier, ...]:
    out = []
    for v in _list(value):
        d = _dict(v)
        val = _str(d.get("value"))
        if val is not None:
            out.append((_str(d.get("system")), val))
    return tuple(out)


@attrs.frozen
class Period:
    """A FHIR Period: start and end, each at its own precision (either may be absent)."""

    start: FhirDate | None
    end: FhirDate | None

    def __repr__(self) -> str:
        return "<Period>"


def _period(value: object) -> Period | None:
    d = _dict(value)
    if not d:
        return None
    p = Period(FhirDate.parse(d.get("start")), FhirDate.parse(d.get("end")))
    return p if p.start or p.end else None


#: HumanName uses that do not name a person for a claim while a usual or official name exists.
_LESSER_NAME_USES: Final = frozenset({"maiden", "nickname", "anonymous", "temp"})


def human_name(value: object) -> str | None:
    """A HumanName list as one line: ``text``, or prefix, given and family, then suffixes.

    The ``official`` name wins over others; an ``old`` name is never used. A name whose
    ``period`` has ended, and a ``maiden`` name, a nickname, an anonymous or a temporary one,
    is used only when the person has no other.

    >>> human_name([{"use": "official", "family": "Haddad", "given": ["Omar"],
    ...              "prefix": ["Dr."]}])
    'Dr. Omar Haddad'
    >>> human_name([{"family": "Whitfield", "given": ["Dana"], "suffix": ["LCSW"]}])
    'Dana Whitfield, LCSW'
    >>> human_name([{"family": "Lee", "given": ["Ana"], "period": {"end": "2019-05-04"}},
    ...             {"family": "Ortiz", "given": ["Ana"]}])
    'Ana Ortiz'
    """
    names = [_dict(n) for n in _list(value) if _dict(n).get("use") != "old"]
    if not names:
        return None
    names.sort(
        key=lambda n: (
            _str(_dict(n.get("period")).get("end")) is not None,
            n.get("use") in _LESSER_NAME_USES,
            n.get("use") != "official",
        )
    )
    n = names[0]
    text = _str(n.get("text"))
    if text:
        return text.strip()
    parts = [p for p in map(_str, _list(n.get("prefix"))) if p]
    parts += [g for g in map(_str, _list(n.get("given"))) if g]
    family = _str(n.get("family"))
    if family:
        parts.append(family)
    if not parts:
        return None
    suffixes = [s for s in map(_str, _list(n.get("suffix"))) if s]
    line = " ".join(parts)
    return f"{line}, {', '.join(suffixes)}" if suffixes else line


# -- the views ----------------------------------------------------------------------------
@attrs.frozen
class Resource:
    """A resource denialkit knows by type and id only (no element is read).

    Attributes:
        type: the ``resourceType``.
        id: the ``id`` (None when the resource has none, as in some transaction bundles).
        identifiers: ``(system, value)`` pairs, for conditional references.
        contained: views of the resource's ``contained`` resources.
        subject: the patient the resource is about (``subject``, or ``patient`` and
            ``beneficiary`` where FHIR names it so), for the types that have one.
        modified: whether the resource carries a ``modifierExtension``, which may change its
            meaning in a way denialkit cannot know (it is then not used for facts).
        version: ``meta.lastUpdated`` and ``meta.versionId`` as written (either may be
            None): when the record holds two copies of a resource, the newer is read.
        container: for a contained resource, the ``Type/id`` of the resource that holds it.
        container_in_error: whether that resource is marked entered-in-error (what it
            contains was entered in error with it).
        test_data: whether ``meta.security`` or ``meta.tag`` labels it test health data
            (``HTEST`` of HL7's ActReason), as a vendor's test patient in an export is.
    """

    type: str
    id: str | None
    identifiers: tuple[Identifier, ...] = attrs.field(default=(), repr=False)
    contained: tuple[Resource, ...] = attrs.field(default=(), repr=False)
    full_url: str | None = attrs.field(default=None, repr=False)
    subject: Ref | None = attrs.field(default=None, repr=False)
    modified: bool = attrs.field(default=False, repr=False)
    version: tuple[str | None, str | None] = attrs.field(default=(None, None), repr=False)
    container: str | None = attrs.field(default=None, repr=False)
    container_in_error: bool = attrs.field(default=False, repr=False)
    test_data: bool = attrs.field(default=False, repr=False)

    @tolerant
    def __repr__(self) -> str:
        return f"<{self.type} id={self.id}>"

    def older_than(self, other: Resource) -> bool:
        """Whether ``other``, a copy of the same resource, is a later version of it: by
        ``meta.lastUpdated`` when both give it with a zone, else by ``meta.versionId`` when
        both are whole numbers. Copies that do not say are not ordered (False)."""
        (mine, my_id), (theirs, their_id) = self.version, other.version
        a, b = FhirDate.parse(mine), FhirDate.parse(theirs)
        if a and b and a.moment is not None and b.moment is not None and a.moment != b.moment:
            return a.moment < b.moment
        if my_id is not None and their_id is not None and my_id.isdigit() and their_id.isdigit():
            return int(my_id) < int(their_id)
        return False

    @property
    def key(self) -> str:
        """``Type/id``, the name facts use for their source (the Bundle's ``fullUrl`` for a
        resource without an id; ``Type/id#inner`` of its holder for a contained one, whose
        id means nothing outside it)."""
        if self.container is not None:
            return f"{self.container}#{(self.id or '').lstrip('#')}"
        if self.id:
            return f"{self.type}/{self.id}"
        return self.full_url or f"{self.type}/(no id)"

    @property
    def entered_in_error(self) -> bool:
        """Whether the record marks this resource as entered in error (it is then ignored),
        or the resource that contains it."""
        return self.container_in_error or getattr(self, "status", None) == "entered-in-error"


@attrs.frozen(repr=False)
class Patient(Resource):
    """Patient: name and birth date (both patient data, never in a repr), and the ``link``
    elements to other Patient resources of the same person (``replaced`` when one of them
    replaces it)."""

    name: str | None = None
    birth_date: FhirDate | None = None
    links: tuple[Ref, ...] = ()
    replaced: bool = False


@attrs.frozen(repr=False)
class Practitioner(Resource):
    """Practitioner: the name."""

    name: str | None = None


@attrs.frozen(repr=False)
class Organization(Resource):
    """Organization: the name (a payer, or the practice)."""

    name: str | None = None


@attrs.frozen(repr=False)
class PractitionerRole(Resource):
    """PractitionerRole: who (``practitioner``), in which role codes, when, and whether active."""

    active: bool | None = None
    period: Period | None = None
    practitioner: Ref | None = None
    codes: tuple[Coding, ...] = ()
    specialties: tuple[Coding, ...] = ()


@attrs.frozen
class Participant:
    """One CareTeam participant: role codes, the member reference and the period."""

    index: int
    roles: tuple[Coding, ...]
    member: Ref | None
    period: Period | None

    @tolerant
    def __repr__(self) -> str:
        return f"<Participant {self.index}>"


@attrs.frozen(repr=False)
class CareTeam(Resource):
    """CareTeam: status, period and participants."""

    status: str | None = None
    period: Period | None = None
    participants: tuple[Participant, ...] = ()


@attrs.frozen(repr=False)
class Consent(Resource):
    """Consent: status, scope and category codes, the date it was given, and its base
    ``provision``'s period and ``type`` (``deny`` makes it a refusal).

    FHIR R5's names, which some servers already write, are read where R4's are absent: its
    ``date`` for ``dateTime``, its ``decision`` for the provision's ``type``, its
    ``period`` for the provision's, and ``subject`` for ``patient``; R5 has no ``scope``
    (its ``category`` says what the consent is for). ``date_element``, ``period_element``
    and ``type_element`` name the elements read.
    """

    status: str | None = None
    scope: tuple[Coding, ...] = ()
    categories: tuple[Coding, ...] = ()
    date_time: FhirDate | None = None
    provision_period: Period | None = None
    provision_type: str | None = None
    date_element: str = "Consent.dateTime"
    period_element: str = "Consent.provision.period"
    type_element: str = "Consent.provision.type"


@attrs.frozen(repr=False)
class CarePlan(Resource):
    """CarePlan: status, intent, category codes, period, creation date and what it addresses."""

    status: str | None = None
    intent: str | None = None
    categories: tuple[Coding, ...] = ()
    period: Period | None = None
    created: FhirDate | None = None
    addresses: tuple[Ref, ...] = ()


@attrs.frozen(repr=False)
class Condition(Resource):
    """Condition: its codes and verification status."""

    codes: tuple[Coding, ...] = ()
    verification: tuple[Coding, ...] = ()

    @property
    def entered_in_error(self) -> bool:
        """A Condition says so in its ``verificationStatus`` (it has no ``status``)."""
        return self.container_in_error or any(
            c.code == "entered-in-error" for c in self.verification
        )

    @property
    def refuted(self) -> bool:
        """Whether the Condition is verified as not present."""
        return any(c.code == "refuted" for c in self.verification)


@attrs.frozen(repr=False)
class Observation(Resource):
    """Observation: status, codes, effective date, a numeric value and its element name.

    ``value`` is read from ``valueInteger``, ``valueDecimal``, ``valueQuantity.value`` or a
    ``valueString`` that holds only a number; ``value_element`` names the element it came from.
    An Observation without a value of its own that holds scale totals in ``component`` elements
    lists each in ``component_scores``, and takes the value and code of the first scale in
    PHQ-9, GAD-7, PHQ-2 order (``value_element`` ``component[2].valueInteger``). One with a
    value of its own lists in ``total_disagrees`` the components of its own total code that
    hold another number (the record contradicts itself; its own value is the one read).

    ``effective`` is the date ``effective[x]`` gives, and ``effective_element`` the element
    it came from: ``Observation.effectiveDateTime``, ``.effectiveInstant``,
    ``.effectivePeriod.start`` (or ``.effectivePeriod.end`` for a period with only an end),
    or ``.effectiveTiming.event[0]`` for a Timing of one event; for an Observation contained
    in a DiagnosticReport that gives it no date of its own, the report's (``DiagnosticReport.
    effectiveDateTime``: the clinically relevant time of the results it holds). ``issued``
    is when the result was made available (``issued_element`` says whose), kept apart: it is
    never read as the effective date. ``effective_unread`` says why ``effective[x]`` gave no
    date when it was there: ``"absent-reason"`` (a data-absent-reason extension stands in for
    it) or ``"timing"`` (a Timing of several days, or only a schedule).

    ``value_unread`` names the ``value[x]`` element that is there but holds no score
    (``valueCodeableConcept``, a ``valueString`` of words). A panel without a total (PHQ-9
    44249-1) lists the answers of its item components in ``item_answers``; an Observation
    coded as one scored item of a scale (a panel's member) holds its answer in
    ``item_answer``.
    """

    status: str | None = None
    codes: tuple[Coding, ...] = ()
    effective: FhirDate | None = None
    value: Decimal | None = None
    value_element: str | None = None
    members: tuple[Ref, ...] = ()
    component_scores: tuple[ScoreItem, ...] = ()
    effective_element: str | None = None
    issued: FhirDate | None = None
    effective_unread: EffectiveGap | None = None
    issued_element: str | None = None
    value_unread: str | None = None
    item_answers: tuple[ItemAnswer, ...] = ()
    item_answer: ItemAnswer | None = None
    total_disagrees: tuple[ScoreItem, ...] = ()


@attrs.frozen
class ScoreItem:
    """A QuestionnaireResponse answer that holds a scale total (LOINC code and value)."""

    loinc: str
    value: Decimal
    path: str

    @tolerant
    def __repr__(self) -> str:
        return f"<ScoreItem {self.loinc} {self.path}>"


@attrs.frozen
class ItemAnswer:
    """An answer that may be one item of a scale (a questionnaire item, a panel component),
    kept so that a record that writes no total gives it as the sum of its items.

    Attributes:
        link: the item's ``linkId`` (a component's LOINC code).
        loinc: the item's LOINC code, when the item names a scored item of a scale (by
            ``code`` or by a ``linkId`` that is the code, as ``/44250-9``).
        value: the score the answer gives, when the record says it: a whole number, an
            ordinal value extension on its coding, or a LOINC answer of list LL358-3.
        coding: the answer's ``(system, code)``, for a Questionnaire's ``answerOption`` to
            score.
        path: the element, e.g. ``QuestionnaireResponse.item[0].answer[0].valueCoding``.
        modified: whether the item or its answer carries a ``modifierExtension``.
    """

    link: str
    loinc: str | None
    value: Decimal | None = attrs.field(repr=False)
    coding: tuple[str | None, str] | None = attrs.field(repr=False)
    path: str
    modified: bool = False

    @tolerant
    def __repr__(self) -> str:
        return f"<ItemAnswer {self.path}>"


@attrs.frozen(repr=False)
class QuestionnaireResponse(Resource):
    """QuestionnaireResponse: status, date authored, the answers that are scale totals, and
    how many scale-total answers hold no number (``unread``).

    ``questionnaire`` is the canonical of the form it answers, and ``numbers`` its other
    numeric answers (``ScoreItem`` with the ``linkId`` in place of a LOINC code): when the
    record holds that Questionnaire and it codes an item as a scale total, the answer there
    is a score. ``answers`` holds the answers that may be a scale's items (see
    :class:`ItemAnswer`), for a response that writes no total.
    """

    status: str | None = None
    authored: FhirDate | None = None
    scores: tuple[ScoreItem, ...] = ()
    unread: int = 0
    questionnaire: str | None = None
    numbers: tuple[ScoreItem, ...] = ()
    numbers_modified: frozenset[str] = frozenset()
    answers: tuple[ItemAnswer, ...] = ()


@attrs.frozen(repr=False)
class Questionnaire(Resource):
    """Questionnaire: its canonical ``url`` and ``version`` (``form_version``), and the
    ``linkId`` of each item coded (``Questionnaire.item.code``) as a scale total, with that
    LOINC code; ``item_links`` the same for the scored items of a scale, and
    ``option_scores`` the ``(linkId, system, code, score)`` of each ``answerOption`` coding
    that an ordinal value extension scores."""

    url: str | None = None
    form_version: str | None = None
    scale_links: tuple[tuple[str, str], ...] = ()
    item_links: tuple[tuple[str, str], ...] = ()
    option_scores: tuple[tuple[str, str | None, str, Decimal], ...] = ()


@attrs.frozen(repr=False)
class Procedure(Resource):
    """Procedure: status, codes, when it was performed, and its encounter.

    ``performed`` is read from ``performedPeriod`` or ``performedDateTime``, else from R5's
    ``occurrencePeriod`` or ``occurrenceDateTime``; ``performed_element`` names the element
    (or the undated one that is there instead, such as ``performedString``)."""

    status: str | None = None
    codes: tuple[Coding, ...] = ()
    performed: Period | None = None
    performed_element: str | None = None
    encounter: Ref | None = None


@attrs.frozen(repr=False)
class Encounter(Resource):
    """Encounter: status, type codes, period and ``length`` in minutes (from seconds, minutes
    or hours; ``length_unit_unknown`` when it holds a number in another unit, ``length_bound``
    when it has a ``comparator``: ``>= 15 min`` is a bound, not the time taken).
    ``period_element`` names the element the period came from: ``Encounter.period``, or R5's
    ``Encounter.actualPeriod`` when ``period`` is not there."""

    status: str | None = None
    types: tuple[Coding, ...] = ()
    period: Period | None = None
    length_minutes: Decimal | None = None
    length_unit_unknown: bool = False
    length_bound: bool = False
    period_element: str = "Encounter.period"


@attrs.frozen(repr=False)
class Coverage(Resource):
    """Coverage: status, the member id (the ``MB`` identifier, else ``subscriberId``, else an
    identifier typed ``MC`` or ``MA``), payers.

    ``types`` are the codes of ``Coverage.type`` (such as the Source of Payment Typology);
    ``member_ids`` every id that may name the member, as ``(kind, value, element)``, kind
    ``MB`` (member number), ``MC`` (Medicare number), ``MA`` (Medicaid number) or
    ``subscriberId``, in that order, with ids whose ``period`` ended last; ``plan_names`` the
    ``name`` of each plan or group ``class``; ``order`` the ``order`` of benefits.
    """

    status: str | None = None
    member_id: str | None = None
    member_id_element: str | None = None
    payors: tuple[Ref, ...] = ()
    period: Period | None = None
    types: tuple[Coding, ...] = ()
    member_ids: tuple[tuple[str, str, str], ...] = attrs.field(default=(), repr=False)
    plan_names: tuple[str, ...] = attrs.field(default=(), repr=False)
    order: int | None = None


@attrs.frozen
class Adjudication:
    """A CARC or RARC from an ExplanationOfBenefit ``adjudication`` entry."""

    system: str
    code: str
    path: str

    @tolerant
    def __repr__(self) -> str:
        return f"<Adjudication {self.system} {self.code}>"


@attrs.frozen(repr=False)
class ExplanationOfBenefit(Resource):
    """ExplanationOfBenefit (CARIN Blue Button): claim number, period, CARCs and RARCs."""

    status: str | None = None
    claim_number: str | None = None
    billable_period: Period | None = None
    service_dates: tuple[FhirDate, ...] = ()
    reasons: tuple[Adjudication, ...] = ()
    insurer: Ref | None = None

    CARC: ClassVar[str] = "CARC"
    RARC: ClassVar[str] = "RARC"


# -- building views from JSON ---------------------------------------------------------------
#: The X12 code systems of adjustment reasons and remark codes, in their http form (each is
#: also read written with https, which CARIN names, or with a trailing slash).
_X12_SYSTEMS: Final = {
    "http://x12.org/codes/claim-adjustment-reason-codes": "CARC",
    "http://x12.org/codes/remittance-advice-remark-codes": "RARC",
}
#: A group code some payers write before the CARC (``CO-16``, ``PR 1``): not part of the code.
_GROUP_PREFIX_RE: Final = re.compile(r"(?:CO|PR|OA|PI|CR)[- ]?(?=[A-Z]?[0-9])")
_UC_TYPE: Final = "http://hl7.org/fhir/us/carin-bb/CodeSystem/C4BBIdentifierType"
_MEMBER_TYPE: Final = "http://terminology.hl7.org/CodeSystem/v2-0203"

#: Scale totals read from Observations and QuestionnaireResponse items (LOINC).
SCALE_LOINC: Final = frozenset({"44261-6", "55758-7", "70274-6"})
#: The order in which a scale is chosen: PHQ-9, GAD-7, then PHQ-2.
SCALE_ORDER: Final = ("44261-6", "70274-6", "55758-7")
#: Codes that make an Observation worth a view: a total (LOINC or SNOMED CT), a panel, or
#: a scored item (a panel's member).
_OBSERVED_CODES: Final = (
    SCALE_LOINC | frozenset(SNOMED_TOTALS) | frozenset(PANELS) | frozenset(ITEM_SCALES)
)
#: Codes of components worth a view: a total, or a scale's scored item.
_COMPONENT_CODES: Final = SCALE_LOINC | frozenset(ITEM_SCALES)
#: CPT and HCPCS codes of behavioural health care management (timed work).
CARE_MANAGEMENT_CODES: Final = frozenset({"99484", "99492", "99493", "99494", "G2214"})


#: The element that names the patient, for each viewed type that is about one patient.
SUBJECT_ELEMENTS: Final = {
    "CarePlan": "subject",
    "CareTeam": "subject",
    "Condition": "subject",
    "Consent": "patient",
    "Coverage": "beneficiary",
    "Encounter": "subject",
    "ExplanationOfBenefit": "patient",
    "Observation": "subject",
    "Procedure": "subject",
    "QuestionnaireResponse": "subject",
}


def _base(d: Mapping[str, Any], rtype: str, full_url: str | None) -> dict[str, Any]:
    element = SUBJECT_ELEMENTS.get(rtype)
    return {
        "type": rtype,
        "id": _str(d.get("id")),
        "identifiers": _identifiers(d.get("identifier")),
        "full_url": full_url,
        "subject": _ref(d.get(element), f"{rtype}.{element}") if element else None,
        "modified": bool(_list(d.get("modifierExtension"))),
        "version": _version(d.get("meta")),
        "test_data": _test_data(d.get("meta")) if "meta" in d else False,
    }


def _modifies(elements: object) -> bool:
    """Whether an element read for a fact (or one of a list of them) carries a
    ``modifierExtension``: like one on the resource itself, it may reverse what the element
    says (a participant who withdrew, a provision that denies), so the resource is not used."""
    for e in elements if isinstance(elements, list) else [elements]:
        if isinstance(e, dict) and _list(e.get("modifierExtension")):
            return True
    return False


#: HL7's ActReason code system, whose ``HTEST`` labels test health data.
_ACT_REASON: Final = "http://terminology.hl7.org/CodeSystem/v3-ActReason"


def _test_data(meta: object) -> bool:
    """Whether ``meta.security`` or ``meta.tag`` labels a resource test health data."""
    m = _dict(meta)
    for label in (*_list(m.get("security")), *_list(m.get("tag"))):
        c = _dict(label)
        if _code(c.get("code")) == "HTEST" and canonical_system(c.get("system")) == _ACT_REASON:
            return True
    return False


def _version(meta: object) -> tuple[str | None, str | None]:
    m = _dict(meta)
    return (_str(m.get("lastUpdated")), _str(m.get("versionId"))) if m else (None, None)


def _patient(d: Mapping[str, Any], b: dict[str, Any]) -> Patient:
    links = [_dict(link) for link in _list(d.get("link"))]
    b["modified"] = b["modified"] or _modifies(links)
    return Patient(
        **b,
        name=human_name(d.get("name")),
        birth_date=FhirDate.parse(d.get("birthDate")),
        # every link type (replaced-by, replaces, refer, seealso) names the same person
        links=tuple(
            r
            for i, link in enumerate(links)
            if (r := _ref(link.get("other"), f"Patient.link[{i}].other")) is not None
        ),
        replaced=any(link.get("type") == "replaced-by" for link in links),
    )


def _practitioner(d: Mapping[str, Any], b: dict[str, Any]) -> Practitioner:
    return Practitioner(**b, name=human_name(d.get("name")))


def _organization(d: Mapping[str, Any], b: dict[str, Any]) -> Organization:
    return Organization(**b, name=_str(d.get("name")))


def _practitioner_role(d: Mapping[str, Any], b: dict[str, Any]) -> PractitionerRole:
    active = d.get("active")
    return PractitionerRole(
        **b,
        active=active if isinstance(active, bool) else None,
        period=_period(d.get("period")),
        practitioner=_ref(d.get("practitioner"), "PractitionerRole.practitioner"),
        codes=_codings(_list(d.get("code"))),
        specialties=_codings(_list(d.get("specialty"))),
    )


def _care_team(d: Mapping[str, Any], b: dict[str, Any]) -> CareTeam:
    b["modified"] = b["modified"] or _modifies(d.get("participant"))
    parts = []
    for i, p in enumerate(_list(d.get("participant"))):
        pd = _dict(p)
        parts.append(
            Participant(
                i,
                _codings(_list(pd.get("role"))),
                _ref(pd.get("member"), f"CareTeam.participant[{i}].member"),
                # R5 renamed it coveragePeriod
                _period(pd.get("period") if "period" in pd else pd.get("coveragePeriod")),
            )
        )
    return CareTeam(
        **b,
        status=_str(d.get("status")),
        period=_period(d.get("period")),
        participants=tuple(parts),
    )


def _consent(d: Mapping[str, Any], b: dict[str, Any]) -> Consent:
    provision = d.get("provision")
    # R5 makes provision a list (of rules without a type); R4 has one
    rules = [p for p in provision if isinstance(p, dict)] if isinstance(provision, list) else []
    base = _dict(provision) or (rules[0] if len(rules) == 1 else {})
    b["modified"] = b["modified"] or _modifies(provision)
    if b["subject"] is None and d.get("patient") is None:
        b["subject"] = _ref(d.get("subject"), "Consent.subject")  # R5's name
    when, date_element = FhirDate.parse(d.get("dateTime")), "Consent.dateTime"
    if when is None and d.get("dateTime") is None:
        when, date_element = FhirDate.parse(d.get("date")), "Consent.date"  # R5's name
    period, period_element = _period(base.get("period")), "Consent.provision.period"
    if period is None and base.get("period") is None:
        period, period_element = _period(d.get("period")), "Consent.period"  # R5's
    return Consent(
        **b,
        status=_str(d.get("status")),
        scope=_codings(d.get("scope")),
        categories=_codings(_list(d.get("category"))),
        date_time=when,
        provision_period=period,
        provision_type=_str(base.get("type")) or _str(d.get("decision")),
        date_element=date_element,
        period_element=period_element,
        type_element="Consent.provision.type" if _str(base.get("type")) else "Consent.decision",
    )


def _care_plan(d: Mapping[str, Any], b: dict[str, Any]) -> CarePlan:
    return CarePlan(
        **b,
        status=_str(d.get("status")),
        intent=_str(d.get("intent")),
        categories=_codings(_list(d.get("category"))),
        period=_period(d.get("period")),
        created=FhirDate.parse(d.get("created")),
        addresses=_refs(d.get("addresses"), "CarePlan.addresses"),
    )


def _condition(d: Mapping[str, Any], b: dict[str, Any]) -> Condition:
    return Condition(
        **b, codes=_codings(d.get("code")), verification=_codings(d.get("verificationStatus"))
    )


_VALUE_ELEMENTS: Final = ("valueInteger", "valueDecimal", "valueQuantity", "valueString")


#: A score written as text with its unit: ``"12 points"``, ``"12 pts"``.
_POINTS_RE: Final = re.compile(r"\s*([0-9]{1,3})\s*(?:points?|pts?\.?)\s*", re.IGNORECASE)


def _value(d: Mapping[str, Any]) -> tuple[Decimal | None, str | None]:
    for name in _VALUE_ELEMENTS:
        if d.get(name) is not None:  # null, as some serialisers write what is absent
            raw = d[name]
            if name == "valueQuantity":
                if _dict(raw).get("comparator") is not None:
                    return None, None  # "<", ">=": a bound, not the score itself
                raw = _dict(raw).get("value")
                name = "valueQuantity.value"
            value = _number(raw)
            if value is None and name == "valueString" and isinstance(raw, str):
                points = _POINTS_RE.fullmatch(raw)
                value = Decimal(points.group(1)) if points else None
            return (value, name) if value is not None else (None, None)
    return None, None


def _value_unread(d: Mapping[str, Any]) -> str | None:
    """The ``value[x]`` element an Observation has when it gave no number, or
    ``dataAbsentReason`` when that stands for its value (None if neither is there)."""
    found = next(
        (k for k, v in d.items() if k.startswith("value") and k[5:6].isupper() and v is not None),
        None,
    )
    if found == "valueQuantity" and _dict(d[found]).get("comparator") is not None:
        return "valueQuantity.comparator"  # a bound ("<", ">="), not the score itself
    return found or ("dataAbsentReason" if "dataAbsentReason" in d else None)


def _coding_score(coding: Mapping[str, Any]) -> Decimal | None:
    """The score a Coding gives: its ordinal value extension, else the score of a LOINC
    answer of list LL358-3."""
    value = ordinal(coding)
    if value is None and canonical_system(coding.get("system")) == LOINC:
        value = ANSWER_SCORES.get(_code(coding.get("code")) or "")
    return value


def _item_value(
    a: Mapping[str, Any],
) -> tuple[Decimal | None, str | None, tuple[str | None, str] | None]:
    """An item answer's score, its element, and its coding: ``valueInteger`` or
    ``valueDecimal``, else a ``valueCoding`` (or a ``valueCodeableConcept`` whose codings
    agree) scored by an ordinal value extension or as a LOINC answer of list LL358-3."""
    for name in ("valueInteger", "valueDecimal"):
        if a.get(name) is not None:
            raw = a[name]
            value = None if isinstance(raw, bool) or not isinstance(raw, (int, Decimal)) else raw
            return (Decimal(value) if value is not None else None), name, None
    for name in ("valueCoding", "valueCodeableConcept"):
        if a.get(name) is None:
            continue
        raw = _dict(a[name])
        codings = [_dict(c) for c in _list(raw.get("coding"))] if "coding" in raw else [raw]
        scores = {_coding_score(c) for c in codings}
        first = next((c for c in codings if _code(c.get("code"))), None)
        coding = (_str(first.get("system")), _code(first.get("code")) or "") if first else None
        value = scores.pop() if len(scores) == 1 else None
        return value, name, coding
    return None, None, None


_EFFECTIVE_ELEMENTS: Final = (
    "effectiveDateTime",
    "effectiveInstant",
    "effectivePeriod",
    "effectiveTiming",
)
DATA_ABSENT_REASON: Final = "http://hl7.org/fhir/StructureDefinition/data-absent-reason"


def _absent_reason(d: Mapping[str, Any], element: str) -> bool:
    """Whether a data-absent-reason extension stands for an element: on the primitive's
    ``_element`` sibling, or on a complex element (a Period, a Timing) itself."""
    for holder in (d.get(f"_{element}"), d.get(element)):
        for ext in _list(_dict(holder).get("extension")):
            if _dict(ext).get("url") == DATA_ABSENT_REASON:
                return True
    return False


def _timing_day(value: object) -> FhirDate | None:
    """The date of a Timing that names one event (several on one day: the first written);
    None for events on different days, or a schedule (``repeat``) alone."""
    events = [e for e in map(FhirDate.parse, _list(_dict(value).get("event"))) if e is not None]
    if not events or any(e.first != events[0].first or e.last != events[0].last for e in events):
        return None
    return events[0]


def _effective(d: Mapping[str, Any]) -> tuple[FhirDate | None, str | None, EffectiveGap | None]:
    """The date ``effective[x]`` gives, the element it came from, and why there is none
    when the element is there but gives no date."""
    for name in ("effectiveDateTime", "effectiveInstant"):
        when = FhirDate.parse(d.get(name))
        if when is not None:
            return when, name, None
    p = _period(d.get("effectivePeriod"))
    if p is not None and p.start is not None:
        return p.start, "effectivePeriod.start", None
    if p is not None and p.end is not None:
        # a period with only its end: the observation ended then (its start is unknown)
        return p.end, "effectivePeriod.end", None
    when = _timing_day(d.get("effectiveTiming"))
    if when is not None:
        return when, "effectiveTiming.event[0]", None
    if any(_absent_reason(d, name) for name in _EFFECTIVE_ELEMENTS):
        return None, None, "absent-reason"
    if "effectiveTiming" in d:
        return None, None, "timing"
    return None, None, None


def _observation(d: Mapping[str, Any], b: dict[str, Any]) -> Observation:
    value, element = _value(d)
    codes = _codings(d.get("code"))
    parts: tuple[ScoreItem, ...] = ()
    disagree: tuple[ScoreItem, ...] = ()
    if value is None and "component" in d:
        # a panel that holds scale totals as components (PHQ-9 44249-1 with a 44261-6
        # component, perhaps a PHQ-2 55758-7 subtotal too): each is a score, traced to its
        # component; the Observation's own value is the first scale's in SCALE_ORDER
        parts = tuple(_component_scores(d.get("component")))
        b["modified"] = b["modified"] or (bool(parts) and _modifies(d.get("component")))
        if parts:
            best = min(parts, key=lambda item: SCALE_ORDER.index(item.loinc))
            value, element = best.value, best.path
            codes += (Coding(LOINC, best.loinc),)
    elif value is not None and "component" in d:
        # a total of its own beside total components: those of its own scale that differ
        # are kept, for the facts to note the disagreement (its own value is the one read)
        own = {c.code for c in codes if c.canonical_system == LOINC}
        disagree = tuple(
            p for p in _component_scores(d.get("component")) if p.loinc in own and p.value != value
        )
    answers: tuple[ItemAnswer, ...] = ()
    unread = None
    if value is None and not parts and "component" in d:
        answers = tuple(_component_items(d.get("component")))
        b["modified"] = b["modified"] or (bool(answers) and _modifies(d.get("component")))
        if not answers:
            # a total component that holds no number (withheld, a bound, a code) and no
            # items to sum: that scale's total, noted as giving no score, never in silence
            unread = _component_unread(d.get("component"))
            if unread is not None:
                codes += (Coding(LOINC, unread[0]),)
    item = next(
        (c.code for c in codes if c.canonical_system == LOINC and c.code in ITEM_SCALES), None
    )
    one: ItemAnswer | None = None
    if item is not None:
        score, scored_by, coding = _item_value(d)
        one = ItemAnswer(item, item, score, coding, scored_by or "value")
    effective, effective_element, gap = _effective(d)
    issued = FhirDate.parse(d.get("issued"))
    return Observation(
        **b,
        status=_str(d.get("status")),
        codes=codes,
        effective=effective,
        value=value,
        value_element=element,
        members=_refs(d.get("hasMember"), "Observation.hasMember"),
        component_scores=parts,
        total_disagrees=disagree,
        effective_element=f"Observation.{effective_element}" if effective_element else None,
        issued=issued,
        effective_unread=gap,
        issued_element="Observation.issued" if issued is not None else None,
        value_unread=(unread[1] if unread else _value_unread(d)) if value is None else None,
        item_answers=answers,
        item_answer=one,
    )


def _coded_components(
    components: object, codes: Collection[str]
) -> Iterator[tuple[int, Mapping[str, Any], str]]:
    """Each component with a LOINC code among ``codes``: its index, the component and the
    code (its first such coding)."""
    for i, comp in enumerate(_list(components)):
        c = _dict(comp)
        loinc = next(
            (
                coding.code
                for coding in _codings(c.get("code"))
                if coding.canonical_system == LOINC and coding.code in codes
            ),
            None,
        )
        if loinc is not None:
            yield i, c, loinc


def _component_items(components: object) -> Iterator[ItemAnswer]:
    """The answers of components coded (LOINC) as a scale's scored items."""
    for i, c, loinc in _coded_components(components, ITEM_SCALES):
        value, element, coding = _item_value(c)
        yield ItemAnswer(loinc, loinc, value, coding, f"component[{i}].{element or 'value'}")


def _component_unread(components: object) -> tuple[str, str] | None:
    """The first component coded as a scale total (LOINC) that holds no number: its code,
    and the element there instead (``component[0].dataAbsentReason``)."""
    for i, c, loinc in _coded_components(components, SCALE_LOINC):
        return loinc, f"component[{i}].{_value_unread(c) or 'value'}"
    return None


def _component_scores(components: object) -> Iterator[ScoreItem]:
    """Each component coded as a scale total (LOINC) that holds a numeric value, with the
    element it came from (``component[2].valueInteger``)."""
    for i, c, loinc in _coded_components(components, SCALE_LOINC):
        value, element = _value(c)
        if value is not None and element is not None:
            yield ScoreItem(loinc, value, f"component[{i}].{element}")


def _score_items(
    items: object,
    modified: list[bool],
    numbers: list[ScoreItem],
    changed: set[str],
    answers: list[ItemAnswer],
) -> Iterator[ScoreItem | None]:
    """Walk nested items without recursion (and no deeper than MAX_ITEM_DEPTH); None for a
    scale-total answer that holds no number (a coding, a word). ``modified`` gains True when
    a scale-total item or its answer carries a modifierExtension. The numeric answers of
    other items go to ``numbers`` (keyed by linkId; ``changed`` names those with a
    modifierExtension), for a Questionnaire that codes the item to tell; the answers that may
    be a scale's items go to ``answers``."""
    stack: list[tuple[object, str, int]] = [(items, "QuestionnaireResponse.item", 0)]
    while stack:
        level, path, depth = stack.pop()
        if depth > MAX_ITEM_DEPTH:
            continue
        for i, it in enumerate(_list(level)):
            item = _dict(it)
            here = f"{path}[{i}]"
            link = _str(item.get("linkId")) or ""
            codes = {c.code for c in _item_codings(item.get("code")) if c.canonical_system == LOINC}
            loinc = next(
                (c for c in SCALE_LOINC if c in codes or link.rsplit("/", 1)[-1] == c), None
            )
            mod = "answer" in item and (_modifies(item) or _modifies(item.get("answer")))
            if loinc is not None and mod:
                modified.append(True)
            elif mod and link:
                changed.add(link)
            tail = link.rsplit("/", 1)[-1]
            scored = next((c for c in codes if c in ITEM_SCALES), None)
            scored = scored or (tail if tail in ITEM_SCALES else None)
            for j, ans in enumerate(_list(item.get("answer"))):
                a = _dict(ans)
                if loinc is None and link and (scored is not None or _ITEM_VALUES & a.keys()):
                    value, element, coding = _item_value(a)
                    where = f"{here}.answer[{j}].{element or 'value'}"
                    answers.append(ItemAnswer(link, scored, value, coding, where, mod))
                if loinc is not None:
                    value, element = _value(a)
                    if value is not None and element is not None:
                        yield ScoreItem(loinc, value, f"{here}.answer[{j}].{element}")
                    else:
                        yield None
                elif link and ("valueInteger" in a or "valueDecimal" in a or "valueQuantity" in a):
                    value, element = _value(a)
                    if value is not None and element is not None:
                        numbers.append(ScoreItem(link, value, f"{here}.answer[{j}].{element}"))
                if "item" in a:
                    stack.append((a.get("item"), f"{here}.answer[{j}].item", depth + 1))
            if "item" in item:
                stack.append((item.get("item"), f"{here}.item", depth + 1))


def _questionnaire_response(d: Mapping[str, Any], b: dict[str, Any]) -> QuestionnaireResponse:
    modified: list[bool] = []
    numbers: list[ScoreItem] = []
    changed: set[str] = set()
    answers: list[ItemAnswer] = []
    found = list(_score_items(d.get("item"), modified, numbers, changed, answers))
    b["modified"] = b["modified"] or bool(modified)
    return QuestionnaireResponse(
        **b,
        status=_str(d.get("status")),
        authored=FhirDate.parse(d.get("authored")),
        scores=tuple(i for i in found if i is not None),
        unread=sum(1 for i in found if i is None),
        questionnaire=_str(d.get("questionnaire")),
        numbers=tuple(numbers),
        numbers_modified=frozenset(changed),
        answers=tuple(answers),
    )


_ITEM_VALUES: Final = frozenset(
    {"valueInteger", "valueDecimal", "valueCoding", "valueCodeableConcept"}
)


def _option_scores(link: str, options: object) -> Iterator[tuple[str, str | None, str, Decimal]]:
    """``(linkId, system, code, score)`` of each ``answerOption`` coding an ordinal value
    extension scores (on the option or on its coding)."""
    for opt in _list(options):
        o = _dict(opt)
        coding = _dict(o.get("valueCoding"))
        code = _code(coding.get("code"))
        value = ordinal(o)
        if value is None:
            value = ordinal(coding)
        if code is not None and value is not None:
            yield link, _str(coding.get("system")), code, value


def _questionnaire(d: Mapping[str, Any], b: dict[str, Any]) -> Questionnaire:
    links: dict[str, str] = {}
    item_links: dict[str, str] = {}
    options: list[tuple[str, str | None, str, Decimal]] = []
    stack: list[tuple[object, int]] = [(d.get("item"), 0)]
    while stack:
        level, depth = stack.pop()
        if depth > MAX_ITEM_DEPTH:
            continue
        for it in _list(level):
            item = _dict(it)
            link = _str(item.get("linkId"))
            loinc = next(
                (
                    c.code
                    for c in _item_codings(item.get("code"))
                    if c.canonical_system == LOINC and c.code in SCALE_LOINC
                ),
                None,
            )
            if link is not None and loinc is not None:
                links.setdefault(link, loinc)
            scored = next(
                (
                    c.code
                    for c in _item_codings(item.get("code"))
                    if c.canonical_system == LOINC and c.code in ITEM_SCALES
                ),
                None,
            )
            if link is not None and scored is not None:
                item_links.setdefault(link, scored)
            if link is not None:
                options += _option_scores(link, item.get("answerOption"))
            if "item" in item:
                stack.append((item.get("item"), depth + 1))
    return Questionnaire(
        **b,
        url=_str(d.get("url")),
        form_version=_str(d.get("version")),
        scale_links=tuple(links.items()),
        item_links=tuple(item_links.items()),
        option_scores=tuple(options),
    )


def _procedure(d: Mapping[str, Any], b: dict[str, Any]) -> Procedure:
    performed, element = None, None
    # performed[x] is R4's name; occurrence[x] is R5's, which some servers already write
    for prefix in ("performed", "occurrence"):
        performed = _period(d.get(f"{prefix}Period"))
        element = f"{prefix}Period" if performed else None
        if performed is None:
            when = FhirDate.parse(d.get(f"{prefix}DateTime"))
            if when is not None:
                performed, element = Period(when, None), f"{prefix}DateTime"
        if performed is not None:
            break
    if performed is None:
        # performedString, performedAge or performedRange: no date to count in a month
        element = next((k for k in _UNDATED_PERFORMED if k in d), None)
    return Procedure(
        **b,
        status=_str(d.get("status")),
        codes=_codings(d.get("code")),
        performed=performed,
        performed_element=element,
        encounter=_ref(d.get("encounter"), "Procedure.encounter"),
    )


_UNDATED_PERFORMED: Final = (
    "performedString",
    "performedAge",
    "performedRange",
    "occurrenceString",
    "occurrenceAge",
    "occurrenceRange",
    "occurrenceTiming",
)
#: Units of a Duration, as minutes: the UCUM codes (case-sensitive) and the unit texts real
#: records write (compared in lower case).
_UCUM_MINUTES: Final = {"s": Decimal(1) / 60, "min": Decimal(1), "h": Decimal(60)}
_TEXT_MINUTES: Final = {
    **{u: Decimal(1) / 60 for u in ("s", "sec", "secs", "second", "seconds", "second(s)")},
    **{u: Decimal(1) for u in ("min", "mins", "minute", "minutes", "minute(s)", "min(s)")},
    **{u: Decimal(60) for u in ("h", "hr", "hrs", "hour", "hours", "hour(s)", "hr(s)")},
}


def _duration_minutes(value: object) -> tuple[Decimal | None, bool]:
    """A Duration in minutes, and whether it held a number in a unit that could not be read."""
    length = _dict(value)
    number = _number(length.get("value"))
    if number is None:
        return None, False
    code, unit = _str(length.get("code")), _str(length.get("unit"))
    factor = _UCUM_MINUTES.get(code) if code else None
    if factor is None and unit:
        factor = _TEXT_MINUTES.get(unit.strip().lower())
    if factor is None and code:
        factor = _TEXT_MINUTES.get(code.strip().lower())
    if factor is None:
        return None, True
    return number * factor, False


def _encounter(d: Mapping[str, Any], b: dict[str, Any]) -> Encounter:
    length = _dict(d.get("length"))
    bound = length.get("comparator") is not None
    minutes, unreadable = _duration_minutes(length) if not bound else (None, False)
    period, element = _period(d.get("period")), "period"
    if period is None and "period" not in d:
        # R5 renamed it actualPeriod (beside plannedStartDate and plannedEndDate, not read)
        period, element = _period(d.get("actualPeriod")), "actualPeriod"
    return Encounter(
        **b,
        status=_str(d.get("status")),
        types=_codings(_list(d.get("type"))),
        period=period,
        period_element=f"Encounter.{element}",
        length_minutes=minutes,
        length_unit_unknown=unreadable,
        length_bound=bound,
    )


def _coverage(d: Mapping[str, Any], b: dict[str, Any]) -> Coverage:
    # the member number (v2-0203 MB) names the patient; subscriberId names the subscriber,
    # who is the patient only when they are the same person
    # (an MB identifier whose period has ended, such as a Medicare number replaced by a new
    # one, is used only when there is no other)
    member, element, ended = None, None, True
    for i, ident in enumerate(_list(d.get("identifier"))):
        idd = _dict(ident)
        codes = _codings(idd.get("type"))
        if any(c.canonical_system == _MEMBER_TYPE and c.code == "MB" for c in codes):
            value = _str(idd.get("value"))
            over = _str(_dict(idd.get("period")).get("end")) is not None
            if value is not None and (member is None or (ended and not over)):
                member, element, ended = value, f"Coverage.identifier[{i}].value", over
            if member is not None and not ended:
                break
    if member is None:
        member, element = _str(d.get("subscriberId")), "Coverage.subscriberId"
    ids = _member_ids(d)
    if member is None and ids:
        # a Medicare or Medicaid number typed MC or MA is the member's id too
        _, member, element = ids[0]
    order = d.get("order")
    return Coverage(
        **b,
        status=_str(d.get("status")),
        member_id=member,
        member_id_element=element if member else None,
        payors=_refs(d.get("payor"), "Coverage.payor"),
        period=_period(d.get("period")),
        types=_codings(d.get("type")),
        member_ids=ids,
        plan_names=tuple(
            name
            for c in _list(d.get("class"))
            if _codes_in(_dict(c).get("type"), _PLAN_CLASSES)
            and (name := _str(_dict(c).get("name"))) is not None
        ),
        order=order if isinstance(order, int) and not isinstance(order, bool) else None,
    )


#: Identifier types (v2-0203) that may name a coverage's member, in the order they are tried.
_MEMBER_KINDS: Final = ("MB", "MC", "MA")
_PLAN_CLASSES: Final = frozenset({"plan", "group", "subplan", "subgroup"})


def _member_ids(d: Mapping[str, Any]) -> tuple[tuple[str, str, str], ...]:
    """Every id of a Coverage that may name the member: ``(kind, value, element)``."""
    found: list[tuple[bool, int, tuple[str, str, str]]] = []
    for i, ident in enumerate(_list(d.get("identifier"))):
        idd = _dict(ident)
        value = _str(idd.get("value"))
        kind = next(
            (
                c.code
                for c in _codings(idd.get("type"))
                if c.canonical_system == _MEMBER_TYPE and c.code in _MEMBER_KINDS
            ),
            None,
        )
        if value is not None and kind is not None:
            ended = _str(_dict(idd.get("period")).get("end")) is not None
            where = f"Coverage.identifier[{i}].value"
            found.append((ended, _MEMBER_KINDS.index(kind), (kind, value.strip(), where)))
    subscriber = _str(d.get("subscriberId"))
    if subscriber is not None:
        found.append(
            (False, len(_MEMBER_KINDS), ("subscriberId", subscriber, "Coverage.subscriberId"))
        )
    return tuple(item for *_, item in sorted(found, key=lambda f: (f[0], f[1])))


def _x12_system(system: str | None) -> str | None:
    """``"CARC"`` or ``"RARC"`` for the X12 code systems, in any of their written forms."""
    if system is None:
        return None
    plain = system.strip().rstrip("/").lower()
    if plain.startswith("https://"):
        plain = "http://" + plain[8:]
    return _X12_SYSTEMS.get(plain)


def _reasons(adjudications: object, path: str) -> Iterator[Adjudication]:
    for i, adj in enumerate(_list(adjudications)):
        a = _dict(adj)
        for coding in _codings(a.get("reason")):
            kind = _x12_system(coding.system)
            code = coding.code.strip().upper() if coding.code else ""
            if kind == "CARC":
                code = _GROUP_PREFIX_RE.sub("", code, count=1)
            if kind is not None and code:
                yield Adjudication(kind, code, f"{path}[{i}].reason")


def _eob(d: Mapping[str, Any], b: dict[str, Any]) -> ExplanationOfBenefit:
    number = None
    for ident in _list(d.get("identifier")):
        idd = _dict(ident)
        if any(
            c.canonical_system == _UC_TYPE and c.code == "uc" for c in _codings(idd.get("type"))
        ):
            number = _str(idd.get("value"))
            break
    reasons = list(_reasons(d.get("adjudication"), "ExplanationOfBenefit.adjudication"))
    b["modified"] = b["modified"] or _modifies(d.get("adjudication")) or _modifies(d.get("item"))
    dates = []
    for i, it in enumerate(_list(d.get("item"))):
        item = _dict(it)
        b["modified"] = b["modified"] or _modifies(item.get("adjudication"))
        reasons += _reasons(
            item.get("adjudication"), f"ExplanationOfBenefit.item[{i}].adjudication"
        )
        when = FhirDate.parse(item.get("servicedDate"))
        if when is None:
            p = _period(item.get("servicedPeriod"))
            when = p.start if p else None
        if when is not None:
            dates.append(when)
    return ExplanationOfBenefit(
        **b,
        status=_str(d.get("status")),
        claim_number=number,
        billable_period=_period(d.get("billablePeriod")),
        service_dates=tuple(dates),
        reasons=tuple(reasons),
        insurer=_ref(d.get("insurer"), "ExplanationOfBenefit.insurer"),
    )


_BUILDERS: Final[dict[str, Callable[[Mapping[str, Any], dict[str, Any]], Resource]]] = {
    "Patient": _patient,
    "Practitioner": _practitioner,
    "Organization": _organization,
    "PractitionerRole": _practitioner_role,
    "CareTeam": _care_team,
    "Consent": _consent,
    "CarePlan": _care_plan,
    "Condition": _condition,
    "Observation": _observation,
    "QuestionnaireResponse": _questionnaire_response,
    "Questionnaire": _questionnaire,
    "Procedure": _procedure,
    "Encounter": _encounter,
    "Coverage": _coverage,
    "ExplanationOfBenefit": _eob,
}

#: resource types read into views; any other type is known by type, id and identifiers only
VIEW_TYPES: Final = frozenset(_BUILDERS)


def _codes_in(concept: object, wanted: frozenset[str]) -> bool:
    concepts = concept if isinstance(concept, list) else [concept]
    for c in concepts:
        for coding in _list(_dict(c).get("coding")):
            code = _dict(coding).get("code")
            if isinstance(code, str) and (
                code in wanted or (" " in code and code.strip() in wanted)
            ):
                return True
    return False


def _mental_health(concept: object) -> bool:
    """An ICD-10-CM code of chapter 5 (F01-F99, mental and behavioural disorders), or one of
    WHO ICD-10's chapter V (F00-F99)."""
    for coding in _list(_dict(concept).get("coding")):
        cd = _dict(coding)
        code = cd.get("code")
        if (
            canonical_system(cd.get("system")) in ICD10_SYSTEMS
            and isinstance(code, str)
            and code.lstrip()[:1] in ("F", "f")
        ):
            return True
    return False


def wanted(d: Mapping[str, Any]) -> bool:
    """Whether a resource is read into a view (the rest are known by type and id only).

    Observations are read when they are a scale total or a panel of members; Procedures and
    Encounters when they are care management. Other types are read when they have a view.
    Conditions are read when they are mental or behavioural (ICD-10-CM chapter 5), for a
    care plan that addresses one. A large export is mostly other resources, so this keeps a
    streamed record small and fast to read.
    """
    rtype = d["resourceType"]
    if rtype == "Observation":
        return (
            "hasMember" in d
            or _codes_in(d.get("code"), _OBSERVED_CODES)
            or any(
                _codes_in(_dict(c).get("code"), _COMPONENT_CODES) for c in _list(d.get("component"))
            )
        )
    if rtype == "Procedure":
        return _codes_in(d.get("code"), CARE_MANAGEMENT_CODES)
    if rtype == "Encounter":
        return _codes_in(d.get("type"), CARE_MANAGEMENT_CODES)
    if rtype == "Condition":
        return _mental_health(d.get("code"))
    return rtype in _BUILDERS


def build(d: Mapping[str, Any], *, contained: bool = True, full_url: str | None = None) -> Resource:
    """The view of one resource's JSON object (``resourceType`` must be a string).

    Contained resources become views too (one level: FHIR forbids deeper containment).
    """
    rtype = d["resourceType"]
    b = _base(d, rtype, full_url)
    if not wanted(d):
        return Resource(**b)
    if contained and "contained" in d:
        b["contained"] = build_contained(d, Resource(**b).key)
    builder = _BUILDERS.get(rtype)
    return builder(d, b) if builder is not None else Resource(**b)


def _report_dates(view: Observation, report: Mapping[str, Any]) -> Observation:
    """A result inside a DiagnosticReport that has no date of its own takes the report's:
    its ``effective[x]`` is the clinically relevant time of the results it holds, and its
    ``issued`` when they were reported. A result whose own ``effective[x]`` is there but
    gives no date (withheld, a schedule) keeps that."""
    if view.effective is not None or view.effective_unread is not None:
        return view
    when, element, unread = _effective(report)
    changes: dict[str, Any] = {}
    if when is not None:
        changes.update(effective=when, effective_element=f"DiagnosticReport.{element}")
    elif unread is not None:
        changes.update(effective_unread=unread)
    issued = FhirDate.parse(report.get("issued"))
    if view.issued is None and issued is not None:
        changes.update(issued=issued, issued_element="DiagnosticReport.issued")
    return attrs.evolve(view, **changes) if changes else view


def build_contained(d: Mapping[str, Any], holder: str) -> tuple[Resource, ...]:
    """Views of the resources a resource contains, each keyed under its ``holder``
    (``DiagnosticReport/r1#phq9``). One that is about a patient and names none is about the
    holder's patient (its ``subject`` or ``patient``); one in a holder that carries a
    modifierExtension is not used either."""
    modified = bool(_list(d.get("modifierExtension")))
    in_error = d.get("status") == "entered-in-error"
    subject = None
    for element in ("subject", "patient"):
        if element in d:
            subject = _ref(d.get(element), f"{d['resourceType']}.{element}")
            break
    out = []
    for c in _list(d.get("contained")):
        if not isinstance(c, dict) or not isinstance(c.get("resourceType"), str):
            continue
        view = attrs.evolve(build(c, contained=False), container=holder)
        if view.type in SUBJECT_ELEMENTS and view.subject is None and subject is not None:
            view = attrs.evolve(view, subject=subject)
        if isinstance(view, Observation) and d["resourceType"] == "DiagnosticReport":
            view = _report_dates(view, d)
        if modified and not view.modified:
            view = attrs.evolve(view, modified=True)
        if in_error:
            view = attrs.evolve(view, container_in_error=True)
        out.append(view)
    return tuple(out)
