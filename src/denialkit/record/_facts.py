"""Claim facts read from a record, each with the resources it came from (private).

The rules (what counts, what is ignored) are documented in ``docs/record.md``; each
function below reads one fact.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Final, Literal

import attrs

from denialkit._ids import mbi_is_valid
from denialkit._repr import fields_repr, tolerant
from denialkit.claim import Evidence, EvidenceKind, FactValue
from denialkit.exceptions import RecordError

from ._base import RecordBase
from ._dates import FhirDate, Month, spoken
from ._scales import PANELS, SCALE_ITEMS, SNOMED_TOTALS

if TYPE_CHECKING:
    from ._record import Record
from ._views import (
    ICD10_SYSTEMS,
    LOINC,
    NUCC,
    SCALE_LOINC,
    SNOMED,
    SUBJECT_ELEMENTS,
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
    canonical_system,
)

__all__ = [
    "BHI_FACTS",
    "CARE_MANAGER_ROLES",
    "CLAIM_FACTS",
    "PSYCHIATRIC_CONSULTANT_ROLES",
    "Fact",
    "Note",
    "RecordFacts",
    "Source",
    "facts",
]

#: The clinical facts of a behavioural health integration appeal (CCM21 and its family).
BHI_FACTS: Final = (
    "consent_date",
    "care_plan_date",
    "rating_scale",
    "rating_scale_scores",
    "care_manager_minutes",
    "care_manager_name",
    "psychiatric_consultant_name",
)
#: Facts about the patient, the coverage and the denial (compared with the claim's own fields).
CLAIM_FACTS: Final = (
    "patient_name",
    "patient_birth_date",
    "member_id",
    "payer_name",
    "claim_number",
    "denial_codes",
)

#: Role codes (PractitionerRole.code or .specialty, CareTeam.participant.role) that name the
#: behavioural health care manager.
CARE_MANAGER_ROLES: Final = frozenset(
    {
        (NUCC, "171M00000X"),  # Case Manager/Care Coordinator
        (SNOMED, "768820003"),  # Care coordinator (occupation)
    }
)
#: Role codes that name the psychiatric consultant.
PSYCHIATRIC_CONSULTANT_ROLES: Final = frozenset(
    {
        (NUCC, "2084P0800X"),  # Psychiatry & Neurology, Psychiatry
        (NUCC, "2084P0804X"),  # Psychiatry & Neurology, Child & Adolescent Psychiatry
        (NUCC, "2084P0805X"),  # Psychiatry & Neurology, Geriatric Psychiatry
        (SNOMED, "80584001"),  # Psychiatrist (occupation)
    }
)

SCALES: Final = {"44261-6": "PHQ-9", "70274-6": "GAD-7", "55758-7": "PHQ-2"}
_SCALE_ORDER: Final = ("44261-6", "70274-6", "55758-7")
#: The highest total each scale can give.
_SCALE_MAX: Final = {"44261-6": 27, "70274-6": 21, "55758-7": 6}
_DONE_OBSERVATION: Final = frozenset({"final", "amended", "corrected"})
_DONE_RESPONSE: Final = frozenset({"completed", "amended"})
#: R4's finished, and R5's completed (which replaced it)
_DONE_ENCOUNTER: Final = frozenset({"finished", "completed"})
_CONSENT_SCOPE: Final = "http://terminology.hl7.org/CodeSystem/consentscope"
#: The note on a Consent that refuses, by the element that says so (R4's, R5's).
_DENIES: Final = {
    "Consent.provision.type": "its provision denies (type deny): a refusal, not a consent",
    "Consent.decision": "its decision is deny: a refusal, not a consent",
}
_CAREPLAN_CATEGORY: Final = "http://hl7.org/fhir/us/core/CodeSystem/careplan-category"
_MENTAL_HEALTH_PLAN: Final = (SNOMED, "736253002")  # Mental health care plan (record artifact)
_PLAN_CATEGORIES: Final = ((_CAREPLAN_CATEGORY, "assess-plan"), _MENTAL_HEALTH_PLAN)
_SCALE_PAIRS: Final = tuple((LOINC, code) for code in SCALE_LOINC)
_MAX_MINUTES_ONE_ITEM: Final = Decimal(24 * 60)
_ISSUED: Final = "Observation.issued"
#: What a score's text adds when its date is the day it was reported (``issued``); its
#: evidence title then names the report (``PHQ-9 score report``), whose date that is.
_REPORTED: Final = "(date reported)"

Kind = Literal[
    "consent",
    "care-plan",
    "rating-scale",
    "time-log",
    "care-team",
    "patient",
    "coverage",
    "remittance",
]


@attrs.frozen
class Source:
    """Where a fact was read: the resource, the element, and what the document is.

    Attributes:
        resource: ``Type/id`` of the resource, e.g. ``Observation/phq9-2026-09-28``.
        path: the element read, e.g. ``Observation.valueInteger``.
        kind: the kind of document (``"consent"``, ``"care-plan"``, ``"rating-scale"``,
            ``"time-log"``, ``"care-team"``, ``"patient"``, ``"coverage"``, ``"remittance"``).
        when: the resource's date at its own precision, when it has one.
        title: what the document is, for an enclosure, e.g. ``"PHQ-9 score"`` (the letter adds
            the date).
        dated_by: the element ``when`` was read from, when it is not ``path`` itself, e.g.
            ``Observation.effectiveDateTime``, or ``Observation.issued`` for a score whose
            record gives no effective date (``when`` is then the day it was reported).
    """

    resource: str
    path: str
    kind: Kind
    when: FhirDate | None = attrs.field(default=None, repr=False)
    title: str = attrs.field(default="", repr=False)
    dated_by: str | None = None

    @tolerant
    def __repr__(self) -> str:
        return f"<Source {self.resource} {self.path}>"


@attrs.frozen
class Fact:
    """One fact read from the record, with every resource it rests on.

    Attributes:
        name: the claim fact's name, e.g. ``"care_manager_minutes"``.
        value: the value, as the claim holds it (a date, an int, a string, a tuple).
        sources: the resources it was read from (a sum of minutes has one per entry).
    """

    name: str
    value: FactValue = attrs.field(repr=False)
    sources: tuple[Source, ...]

    @property
    def source(self) -> str:
        """The ``Type/id`` of the first source (the only one for most facts)."""
        return self.sources[0].resource

    @tolerant
    def __repr__(self) -> str:
        return f"<Fact {self.name} sources={[s.resource for s in self.sources]}>"


@attrs.frozen
class Note:
    """Why a resource was not used, or why a fact stays missing (no values, ever).

    Attributes:
        fact: the fact concerned, or None for the record as a whole.
        resource: ``Type/id`` of the resource concerned, when there is one.
        message: a sentence, e.g. "status is preliminary; only final, amended or corrected
            scores count".
    """

    fact: str | None
    resource: str | None
    message: str
    __repr__ = fields_repr


@attrs.frozen
class RecordFacts:
    """The facts a record gives for one code and one billed month.

    Attributes:
        code: the denial code the facts are for, e.g. ``"CCM21"``.
        month: the billed month (``YYYY-MM``), or None when none was given.
        facts: name -> :class:`Fact`, for each fact the record shows.
        missing: the facts looked for that the record does not show.
        notes: what was passed over and why.
    """

    code: str
    month: Month | None
    facts: Mapping[str, Fact] = attrs.field(repr=False)
    missing: tuple[str, ...]
    notes: tuple[Note, ...] = attrs.field(repr=False)

    @tolerant
    def __repr__(self) -> str:
        return f"<RecordFacts {self.code} {self.month} facts={sorted(self.facts)}>"

    def values(self) -> dict[str, FactValue]:
        """Name -> value, ready for ``Claim.facts``."""
        return {name: f.value for name, f in self.facts.items()}

    @property
    def sources(self) -> tuple[Source, ...]:
        """Every source of every fact, each resource once, in fact order."""
        seen: dict[str, Source] = {}
        for f in self.facts.values():
            for s in f.sources:
                seen.setdefault(s.resource, s)
        return tuple(seen.values())

    def evidence(self) -> tuple[Evidence, ...]:
        """The documents that prove the clinical facts, one :class:`~denialkit.claim.Evidence`
        per source resource, each naming that resource in its title and listing the facts it
        supports. Patient, coverage and denial facts give none (the letter encloses the
        denial notice itself)."""
        return evidence_for(self.facts.values())

    def to_dict(self) -> dict[str, object]:
        """Plain JSON-ready data: ``{"facts": {name: {"value", "source", "sources"}},
        "missing": [...], "notes": [...]}`` (dates ISO, decimals as strings; a source whose
        date came from an element other than ``path`` also names it as ``dated_by``)."""
        return {
            "code": self.code,
            "month": None if self.month is None else str(self.month),
            "facts": {
                name: {
                    "value": _plain(f.value),
                    "source": f.source,
                    "sources": [_source_dict(s) for s in f.sources],
                }
                for name, f in sorted(self.facts.items())
            },
            "missing": list(self.missing),
            "notes": [
                {"fact": n.fact, "resource": n.resource, "message": n.message} for n in self.notes
            ],
        }


_EVIDENCE_KINDS: Final = {
    "consent": EvidenceKind.CONSENT,
    "care-plan": EvidenceKind.CARE_PLAN,
    "rating-scale": EvidenceKind.RATING_SCALE,
    "time-log": EvidenceKind.TIME_LOG,
    "care-team": EvidenceKind.MEDICAL_RECORD,
}


def evidence_for(facts: Iterable[Fact]) -> tuple[Evidence, ...]:
    """One Evidence item per source resource of the given facts (see RecordFacts.evidence).

    The care team's Practitioner only gives a name; the PractitionerRole or CareTeam that
    gives the role is the document, so only it is enclosed.
    """
    order: list[str] = []
    sources: dict[str, Source] = {}
    supports: dict[str, list[str]] = {}
    for fact in facts:
        for s in fact.sources:
            if s.kind not in _EVIDENCE_KINDS or (s.kind == "care-team" and not s.title):
                continue
            if s.resource not in sources:
                order.append(s.resource)
                sources[s.resource] = s
                supports[s.resource] = []
            if fact.name not in supports[s.resource]:
                supports[s.resource].append(fact.name)
    out = []
    for key in order:
        s = sources[key]
        day = s.when.day if s.when is not None else None
        title = f"{s.resource}: {s.title}"
        if s.when is not None and day is None:
            title += f" of {spoken(s.when)}"
        out.append(Evidence(_EVIDENCE_KINDS[s.kind], title, day, s.resource, tuple(supports[key])))
    return tuple(out)


def _source_dict(source: Source) -> dict[str, str]:
    """A source as plain data; ``dated_by`` only when the date came from another element."""
    out = {"resource": source.resource, "path": source.path}
    if source.dated_by is not None:
        out["dated_by"] = source.dated_by
    return out


def _plain(value: object) -> object:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, tuple):
        return list(value)
    return value


# -- helpers --------------------------------------------------------------------------------
def _has(codes: Iterable[Coding], wanted: Iterable[tuple[str, str]]) -> bool:
    pairs = set(wanted)
    return any((c.canonical_system, c.code) in pairs for c in codes)


def _overlaps(period: Period | None, month: Month) -> bool:
    if period is None:
        return True
    if period.start is not None and period.start.first > month.last:
        return False
    return not (period.end is not None and period.end.last < month.first)


def _number(value: Decimal) -> int | Decimal:
    return int(value) if value == value.to_integral_value() else value.normalize()


class _Reader:
    """Reads facts from one record for one month, collecting notes as it goes."""

    def __init__(
        self,
        record: Record,
        month: Month | None,
        patient: str | None = None,
        payer: PayerHint | None = None,
        service_date: date | None = None,
    ) -> None:
        self.record = record
        self.month = month
        #: the claim's date of service, when a claim is being filled (a consent must cover it)
        self.service_date = service_date
        #: the claim's payer, when a claim is being filled (it may choose among coverages)
        self.payer = payer
        #: each coverage's payer names, by its key (read once)
        self.payer_names: dict[str, dict[str, Source]] = {}
        #: the chosen patient's key, when the record is about several (else None: all count)
        self.who = patient
        self.notes: list[Note] = []
        self.facts: dict[str, Fact] = {}

    def note(self, fact: str | None, resource: str | None, message: str) -> None:
        self.notes.append(Note(fact, resource, message))

    def put(self, name: str, value: FactValue, sources: Iterable[Source]) -> None:
        self.facts[name] = Fact(name, value, tuple(sources))

    def live(self, views: Iterable[Resource], fact: str) -> Iterator[Resource]:
        """The views that may give a fact: not entered in error, not changed by a modifier
        extension, and about the chosen patient."""
        for v in views:
            why = self.unusable(v)
            if why is None:
                yield v
            elif why:
                self.note(fact, v.key, why)

    def unusable(self, v: Resource) -> str | None:
        """Why a view may not give facts (``""``: another patient's, passed over without a
        note), or None when it may."""
        if v.entered_in_error:
            return "marked entered-in-error; ignored"
        if v.modified:
            return "has a modifierExtension, which may change its meaning; not used"
        if v.test_data:
            return "labelled test health data (HTEST); not used"
        if self.who is not None and v.type in SUBJECT_ELEMENTS:
            who = self.record.subject_of(v)
            if who is None:
                return "names no patient, and the record is about several; not used"
            if who != self.who:
                return ""
        return None

    def bare(
        self,
        fact: str,
        key: str,
        codes: Iterable[Coding],
        wanted: Iterable[tuple[str, str]],
        what: str,
    ) -> None:
        """Note a resource that holds a code denialkit reads, but with no code system (FHIR
        gives a code without its system no meaning, so it is not read as one)."""
        if any(c.system is None and c.code in {code for _, code in wanted} for c in codes):
            self.note(fact, key, f"codes {what} without a code system; not used")

    def resolve(self, ref: Ref | None, holder: Resource, fact: str) -> Resource | None:
        if ref is None:
            return None
        res = self.record.resolve(ref, holder)
        if res.target is None and res.form != "display":
            self.note(fact, holder.key, f"{ref.path} ({res.form} reference) does not resolve")
        return res.target

    # -- consent -------------------------------------------------------------------------
    def consent(self) -> None:
        name = "consent_date"
        best: tuple[date, Consent, str, FhirDate] | None = None
        refusals: list[tuple[date, str]] = []  # active treatment consents that deny
        for v in self.live(self.record.of_type(Consent), name):
            assert isinstance(v, Consent)
            if not self.treatment(v):
                continue
            if v.status != "active":
                self.note(name, v.key, f"status is {v.status or 'absent'}; only active counts")
                continue
            when, path = v.date_time, v.date_element
            if when is None and v.provision_period is not None:
                when, path = v.provision_period.start, f"{v.period_element}.start"
            if v.provision_type == "deny":
                self.note(name, v.key, _DENIES[v.type_element])
                if when is not None:
                    refusals.append((when.first, v.key))
                continue
            if when is None or when.day is None:
                self.note(name, v.key, "has no date to the day")
                continue
            why = self.not_in_force(v, when.day)
            if why is not None:
                self.note(name, v.key, why)
                continue
            if best is not None:
                self.note(name, None, "several active treatment consents; the latest is used")
            if best is None or when.day > best[0]:
                best = (when.day, v, path, when)
        if best is not None:
            day, v, path, when = best
            withdrawn = self.withdrawn(day, refusals)
            if withdrawn is not None:
                self.note(name, v.key, f"a later refusal ({withdrawn}) withdraws it; not used")
                return
            self.put(
                name,
                day,
                [Source(v.key, path, "consent", when, "Patient consent to treatment")],
            )

    def withdrawn(self, given: date, refusals: list[tuple[date, str]]) -> str | None:
        """The refusal (a treatment Consent that denies) made on or after the day a consent
        was given and by the date of service (else the end of the billed month), if any:
        the patient took the consent back before the care it would cover."""
        by = self.service_date or (self.month.last if self.month is not None else None)
        for day, key in refusals:
            if day >= given and (by is None or day <= by):
                return key
        return None

    def treatment(self, v: Consent) -> bool:
        """Whether a Consent is one to treatment: its ``scope`` says so, or, when it has no
        scope (FHIR R5 dropped the element), one of its categories does. Any other is noted
        when it could have been meant as one (a code without its system, an R5 Consent)."""
        wanted = [(_CONSENT_SCOPE, "treatment")]
        if v.scope:
            if _has(v.scope, wanted):
                return True
            self.bare("consent_date", v.key, v.scope, wanted, "its scope")
            return False
        if _has(v.categories, wanted):
            return True
        self.note(
            "consent_date",
            v.key,
            "has no scope (as in FHIR R5) and no category that says treatment "
            "(consentscope); not read as a consent to treatment",
        )
        return False

    def not_in_force(self, v: Consent, given: date) -> str | None:
        """Why a treatment consent given on ``given`` does not cover the billed service:
        given after it, or a provision period that ends before it or starts after it
        (checked against the claim's date of service when there is one, else the month)."""
        pp = v.provision_period
        start = pp.start if pp is not None else None
        end = pp.end if pp is not None else None
        where = "provision" if v.period_element.endswith("provision.period") else "period"
        if self.service_date is not None:
            if given > self.service_date:
                return "given after the date of service; not in force for it"
            if end is not None and end.last < self.service_date:
                return f"its {where} ended before the date of service; not in force for it"
            if start is not None and start.first > self.service_date:
                return f"its {where} starts after the date of service; not in force for it"
            return None
        if self.month is None:
            return None
        if given > self.month.last:
            return "given after the billed month"
        if end is not None and end.last < self.month.first:
            return "ended before the billed month"
        if start is not None and start.first > self.month.last:
            # signed in the month, but in force only from a later day
            return f"its {where} starts after the billed month"
        if end is not None and end.last < self.month.last:
            return (
                f"its {where} ends inside the billed month, so it may not cover the date of "
                "service (fill() with the claim checks it against that date); not used"
            )
        return None

    # -- care plan -----------------------------------------------------------------------
    def _behavioural(self, plan: CarePlan) -> bool:
        if _has(plan.categories, _PLAN_CATEGORIES):
            return True
        for ref in plan.addresses:
            target = self.resolve(ref, plan, "care_plan_date")
            if (
                isinstance(target, Condition)
                and self.unusable(target) is None
                and not target.refuted
                and any(
                    c.canonical_system in ICD10_SYSTEMS and (c.code or "").upper().startswith("F")
                    for c in target.codes
                )
            ):
                return True
        return False

    def care_plan(self) -> None:
        name = "care_plan_date"
        best: tuple[date, CarePlan, str, FhirDate] | None = None
        for v in self.live(self.record.of_type(CarePlan), name):
            assert isinstance(v, CarePlan)
            if not self._behavioural(v):
                self.bare(name, v.key, v.categories, _PLAN_CATEGORIES, "its category")
                continue
            if v.status not in ("active", "completed"):
                self.note(name, v.key, f"status is {v.status or 'absent'}; not a plan in force")
                continue
            when, path = (v.period.start if v.period else None), "CarePlan.period.start"
            if when is None:
                when, path = v.created, "CarePlan.created"
            if when is None or when.day is None:
                self.note(name, v.key, "has no start date to the day")
                continue
            if self.month is not None and (
                when.day > self.month.last or not _overlaps(v.period, self.month)
            ):
                continue
            if best is None or when.day > best[0]:
                best = (when.day, v, path, when)
        if best is not None:
            day, v, path, when = best
            self.put(
                name, day, [Source(v.key, path, "care-plan", when, "Behavioral health care plan")]
            )

    # -- rating scales -------------------------------------------------------------------
    def _readings(self) -> list[tuple[str, FhirDate, Decimal, Source]]:
        out: list[tuple[str, FhirDate, Decimal, Source]] = []
        fact = "rating_scale_scores"
        for o in self.live(self.record.of_type(Observation), fact):
            assert isinstance(o, Observation)
            loinc = _scale_of(o.codes)
            given = o.item_answers
            if loinc is None and not given and o.value is None and o.members:
                given = self._member_items(o)
            if loinc is None and not given:
                self.bare(fact, o.key, o.codes, _SCALE_PAIRS, "a scale total")
                panel = next((c.code for c in o.codes if _is_panel(c)), None)
                if panel is not None and o.value is not None:
                    self.note(
                        fact,
                        o.key,
                        f"has a value of its own under the {SCALES[PANELS[panel]]} panel's code "
                        f"({panel}); only a total's code ({PANELS[panel]}) is read as a score",
                    )
                continue
            if o.status not in _DONE_OBSERVATION:
                self.note(
                    fact,
                    o.key,
                    f"status is {o.status or 'absent'}; only final, amended "
                    "or corrected scores count",
                )
                continue
            if loinc is not None and o.value is None:
                self.note(fact, o.key, f"has no numeric score{_unread_why(o.value_unread)}")
                continue
            if len(_scales_of(o.codes)) > 1:
                names = " and ".join(
                    SCALES[s] for s in sorted(_scales_of(o.codes), key=_SCALE_ORDER.index)
                )
                self.note(fact, o.key, f"codes the totals of two scales ({names}); not used")
                continue
            dated = self._observation_date(o)
            if dated is None:
                continue
            when, dated_by = dated
            reported = _reported(dated_by)
            if loinc is None:
                parts = self._item_totals(given, o.key, {}, "component")
            else:
                for other in o.total_disagrees:
                    self.note(
                        fact,
                        o.key,
                        f"its {SCALES[other.loinc]} total in Observation.{other.path} differs "
                        f"from its own (Observation.{o.value_element}); its own is used",
                    )
                value = o.value or Decimal(0)  # not None: checked above
                parts = o.component_scores or (ScoreItem(loinc, value, o.value_element or ""),)
            for item in parts:
                if not self._in_range(item.loinc, item.value, o.key):
                    continue
                title = f"{SCALES[item.loinc]} score"
                out.append(
                    (
                        item.loinc,
                        when,
                        item.value,
                        Source(
                            o.key,
                            f"Observation.{item.path}",
                            "rating-scale",
                            when,
                            f"{title} report" if reported else title,
                            dated_by,
                        ),
                    )
                )
        for q in self.live(self.record.of_type(QuestionnaireResponse), fact):
            assert isinstance(q, QuestionnaireResponse)
            if q.unread:
                self.note(fact, q.key, "a scale total answer holds no number; not used")
            scores = q.scores + self._coded_by_form(q)
            answers = self._answers_by_form(q)
            if not scores and not any(a.loinc for a in answers):
                continue
            if q.status not in _DONE_RESPONSE:
                self.note(
                    fact,
                    q.key,
                    f"status is {q.status or 'absent'}; only completed or amended responses count",
                )
                continue
            if q.authored is None:
                self.note(fact, q.key, "has no date authored")
                continue
            if q.authored.precision == "year":
                self.note(fact, q.key, "dated only to the year; a score needs at least its month")
                continue
            written = {item.loinc: item.value for item in scores}
            scores += self._item_totals(answers, q.key, written, "QuestionnaireResponse.item")
            for item in scores:
                scale = SCALES[item.loinc]
                if not self._in_range(item.loinc, item.value, q.key):
                    continue
                out.append(
                    (
                        item.loinc,
                        q.authored,
                        item.value,
                        Source(
                            q.key,
                            item.path,
                            "rating-scale",
                            q.authored,
                            f"{scale} questionnaire",
                            "QuestionnaireResponse.authored",
                        ),
                    )
                )
        return out

    def _observation_date(self, o: Observation) -> tuple[FhirDate, str] | None:
        """A score's date and the element it came from: ``effective[x]``, else ``issued``
        (when the result was reported, on or after it was taken) when ``effective[x]`` is
        simply not there. Noted when there is none, when it is ``issued``, and when it is
        coarser than a month (a year alone cannot place a score before or in a month)."""
        fact = "rating_scale_scores"
        when, element = o.effective, o.effective_element or ""
        if when is None:
            if o.effective_unread == "absent-reason":
                self.note(
                    fact,
                    o.key,
                    "its effective date is marked absent (data-absent-reason); not used",
                )
                return None
            if o.effective_unread == "timing":
                self.note(
                    fact,
                    o.key,
                    "effectiveTiming names several days or only a schedule, not one date; not used",
                )
                return None
            if o.issued is None:
                self.note(fact, o.key, "has no date (neither effective[x] nor issued)")
                return None
            when, element = o.issued, o.issued_element or _ISSUED
            self.note(
                fact,
                o.key,
                "has no effective date; dated by issued, the day it was reported (on or after "
                "the day it was taken)",
            )
        if when.precision == "year":
            self.note(fact, o.key, "dated only to the year; a score needs at least its month")
            return None
        return when, element

    def _coded_by_form(self, q: QuestionnaireResponse) -> tuple[ScoreItem, ...]:
        """The numeric answers of a response at the items its Questionnaire (when the record
        holds it) codes as a scale total: the response names its items by ``linkId`` only."""
        if not q.numbers or q.questionnaire is None:
            return ()
        links: dict[str, str | None] = {}
        for form in self._forms(q.questionnaire, q):
            for link, loinc in form.scale_links:
                # two versions of the form that code an item differently: it is neither
                links[link] = loinc if links.get(link, loinc) == loinc else None
        found = []
        for item in q.numbers:
            scale = links.get(item.loinc)
            if scale is None:
                continue
            if item.loinc in q.numbers_modified:
                self.note(
                    "rating_scale_scores",
                    q.key,
                    "has a modifierExtension, which may change its meaning; not used",
                )
                return ()
            found.append(ScoreItem(scale, item.value, item.path))
        return tuple(found)

    def _member_items(self, o: Observation) -> tuple[ItemAnswer, ...]:
        """The answers of a scale panel's members (``hasMember``) that are its scored items,
        each final, amended or corrected and usable; none when a member is a total, which is
        read on its own. A member the record does not hold is simply not there."""
        if not any(_is_panel(c) for c in o.codes):
            return ()
        out = []
        targets = [(ref, self.record.resolve(ref, o).target) for ref in o.members]
        if all(m is None for _, m in targets):
            name = SCALES[next(PANELS[c.code] for c in o.codes if _is_panel(c) and c.code)]
            self.note(
                "rating_scale_scores",
                o.key,
                f"a {name} panel none of whose members (hasMember) is in the record",
            )
            return ()
        for ref, m in targets:
            if not isinstance(m, Observation):
                continue
            if _scale_of(m.codes) is not None:
                return ()
            if m.item_answer is None or m.status not in _DONE_OBSERVATION:
                continue
            if self.unusable(m) is None:
                out.append(attrs.evolve(m.item_answer, path=ref.path.split(".", 1)[-1]))
        return tuple(out)

    def _answers_by_form(self, q: QuestionnaireResponse) -> list[ItemAnswer]:
        """The response's item answers, each with the scale item and the score its
        Questionnaire gives it when the response itself does not say: the form codes the
        item (``Questionnaire.item.code``), and an ordinal value extension scores the
        ``answerOption`` the answer chose."""
        answers = list(q.answers)
        if q.questionnaire is None or all(a.loinc and a.value is not None for a in answers):
            return answers
        links: dict[str, str] = {}
        options: dict[tuple[str, str | None, str], Decimal] = {}
        for form in self._forms(q.questionnaire, q):
            links.update(form.item_links)
            for link, system, code, score in form.option_scores:
                options.setdefault((link, canonical_system(system), code), score)
        out = []
        for a in answers:
            value = a.value
            if value is None and a.coding is not None:
                value = options.get((a.link, canonical_system(a.coding[0]), a.coding[1]))
            out.append(attrs.evolve(a, loinc=a.loinc or links.get(a.link), value=value))
        return out

    def _item_totals(
        self,
        answers: Iterable[ItemAnswer],
        key: str,
        written: Mapping[str, Decimal],
        where: str,
    ) -> tuple[ScoreItem, ...]:
        """The totals a resource gives only through its items' answers: each scale it
        answers every scored item of, once, with a score from 0 to 3, and whose total it does
        not write. Each computed total is noted, and so is a scale whose items do not give
        one (an item missing or unscored), and a total ``written`` that is not the sum of
        its items (the total written is still the score)."""
        by_item: dict[str, list[ItemAnswer]] = {}
        for a in answers:
            if a.loinc is not None:
                by_item.setdefault(a.loinc, []).append(a)
        fact = "rating_scale_scores"
        done: set[str] = set()
        out = []
        for total in _SCALE_ORDER:
            items = SCALE_ITEMS[total]
            present = [i for i in items if i in by_item]
            if total in done or not present:
                continue
            if any(i in by_item for i in SCALE_ITEMS[_PHQ9] if i not in items):
                continue  # a PHQ-9's first two items are not a PHQ-2 of their own
            name = SCALES[total]
            why = _unsummed(items, by_item)
            if total in written:
                if not why and _summed(items, by_item) != written[total]:
                    self.note(
                        fact,
                        key,
                        f"the {name} total written is not the sum of its item answers; the "
                        "total written is used",
                    )
                continue
            if why:
                self.note(fact, key, f"writes no {name} total and {why}; not computed")
                continue
            chosen = [by_item[i][0] for i in items]
            parents = {a.path.split(".answer[")[0].rsplit("[", 1)[0] for a in chosen}
            path = parents.pop() if len(parents) == 1 else where
            value = _summed(items, by_item)
            self.note(
                fact, key, f"writes no {name} total; it is the sum of its {len(items)} item answers"
            )
            out.append(ScoreItem(total, value, path))
            done.add(total)
        return tuple(out)

    def _forms(self, canonical: str, response: Resource) -> list[Questionnaire]:
        """The Questionnaires a response's ``questionnaire`` names: by ``url`` (and
        ``|version`` when given), as a reference ``Questionnaire/id`` (also absolute), or
        as ``#id``, one the response contains (as a form sent with its answers is)."""
        url, bar, version = canonical.partition("|")
        forms = []
        if url.startswith("#"):
            return [
                c
                for c in response.contained
                if isinstance(c, Questionnaire) and c.id in (url[1:], url)
            ]
        for form in self.record.of_type(Questionnaire):
            if self.unusable(form) is not None:
                continue
            by_url = form.url == url and (not bar or form.form_version == version)
            by_key = bool(form.id) and (url == form.key or url.endswith("/" + form.key))
            if by_url or by_key:
                forms.append(form)
        return forms

    def _in_range(self, loinc: str, value: Decimal, key: str) -> bool:
        """Whether a total is a whole number the scale can give (PHQ-9 0-27, GAD-7 0-21,
        PHQ-2 0-6); another value is noted, not used (a unit or a code mistaken for it)."""
        if 0 <= value <= _SCALE_MAX[loinc] and value == value.to_integral_value():
            return True
        self.note(
            "rating_scale_scores",
            key,
            f"the {SCALES[loinc]} total is not a whole number from 0 to {_SCALE_MAX[loinc]}; "
            "not used",
        )
        return False

    def rating_scale(self) -> None:
        readings = self._readings()
        if self.month is not None:
            month = self.month
            readings = [r for r in readings if r[1].first <= month.last]
        # the same score in an Observation and in the response it was derived from: once
        unique: dict[tuple[str, date, Decimal], tuple[str, FhirDate, Decimal, Source]] = {}
        # (a reading dated by its effective time wins over one dated only by when reported)
        for r in sorted(readings, key=lambda r: _reported(r[3].dated_by)):
            unique.setdefault((r[0], r[1].first, r[2]), r)
        # by the last day a date covers: a score dated only to its month is not put before
        # the scores of that month dated to the day (the record does not say it came first)
        readings = sorted(unique.values(), key=lambda r: (r[1].last, r[1].first, r[3].resource))
        current = readings
        if self.month is not None:
            month = self.month
            current = [r for r in readings if month.holds(r[1])]
        chosen = next((c for c in _SCALE_ORDER if any(r[0] == c for r in current)), None)
        if chosen is None:
            if readings:
                self.note("rating_scale", None, "no score in the billed month")
            return
        mine = [r for r in readings if r[0] == chosen]
        shown = [r for r in mine if r in current]
        intake = mine[0]
        if intake not in shown:
            shown.insert(0, intake)
        parts = [_score_text(v, when, s) for _, when, v, s in shown]
        text = parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]
        sources = [s for *_, s in shown]
        self.put("rating_scale", SCALES[chosen], sources[:1])
        self.put("rating_scale_scores", text, sources)

    # -- minutes ---------------------------------------------------------------------------
    def _span(self, period: Period | None) -> Decimal | None:
        """The minutes between start and end, when both have a time of day: both with a zone,
        or both without one (the same local clock; FHIR asks for a zone, some exports omit it).
        """
        if period is None or period.start is None or period.end is None:
            return None
        a, b = period.start.moment, period.end.moment
        if a is None and b is None and period.start.precision == period.end.precision == "time":
            a, b = period.start.local, period.end.local
        if a is None or b is None:
            return None
        return Decimal(int((b - a).total_seconds())) / 60

    def _in_month(self, period: Period | None, key: str) -> bool:
        if self.month is None:
            return True
        if period is None or period.start is None:
            self.note("care_manager_minutes", key, "has no date it took place; not counted")
            return False
        end = period.end or period.start
        if self.month.holds(period.start) and self.month.holds(end):
            return True
        if _overlaps(period, self.month):
            self.note("care_manager_minutes", key, "crosses the billed month's edge; not counted")
        return False

    def minutes(self) -> None:
        name = "care_manager_minutes"
        total = Decimal(0)
        sources: list[Source] = []
        counted_encounters: set[str] = set()
        for p in self.live(self.record.of_type(Procedure), name):
            assert isinstance(p, Procedure)
            if p.status != "completed":
                self.note(name, p.key, f"status is {p.status or 'absent'}; only completed counts")
                continue
            if not self._in_month(p.performed, p.key):
                continue
            timed = (p.performed_element or "").endswith("Period")
            span = self._span(p.performed) if timed else None
            if not self._usable(span, p.key):
                continue
            assert span is not None
            total += span
            sources.append(
                Source(
                    p.key,
                    f"Procedure.{p.performed_element}",
                    "time-log",
                    p.performed.start if p.performed else None,
                    "Care management time entry",
                )
            )
            enc = self.resolve(p.encounter, p, name) if p.encounter else None
            if enc is not None:
                counted_encounters.add(enc.key)
        for e in self.live(self.record.of_type(Encounter), name):
            assert isinstance(e, Encounter)
            if e.key in counted_encounters:
                continue  # its time is already counted from the procedure
            if e.status not in _DONE_ENCOUNTER:
                self.note(
                    name,
                    e.key,
                    f"status is {e.status or 'absent'}; only finished (R5: completed) counts",
                )
                continue
            if not self._in_month(e.period, e.key):
                continue
            span, path = e.length_minutes, "Encounter.length"
            if e.length_unit_unknown:
                self.note(name, e.key, "Encounter.length is in a unit other than s, min or h")
            if e.length_bound:
                self.note(name, e.key, "Encounter.length is a bound (it has a comparator)")
            if span is None:
                span, path = self._span(e.period), e.period_element
            if not self._usable(span, e.key):
                continue
            assert span is not None
            total += span
            sources.append(
                Source(
                    e.key,
                    path,
                    "time-log",
                    e.period.start if e.period else None,
                    "Care management time entry",
                )
            )
        if sources:
            self.put(name, _number(total), sources)

    def _usable(self, span: Decimal | None, key: str) -> bool:
        if span is None:
            self.note(
                "care_manager_minutes",
                key,
                "records no duration; units are never turned into minutes",
            )
            return False
        if span <= 0 or span > _MAX_MINUTES_ONE_ITEM:
            self.note("care_manager_minutes", key, "duration is not between 0 and 24 hours")
            return False
        return True

    # -- care team -------------------------------------------------------------------------
    def _person(
        self, ref: Ref | None, holder: Resource, fact: str, *, hop: bool = True
    ) -> tuple[str, Source] | None:
        """The name behind a reference: a Practitioner, or a PractitionerRole's practitioner
        (one hop only, so a cycle of roles cannot loop), else the reference's display."""
        target = self.resolve(ref, holder, fact)
        if isinstance(target, PractitionerRole) and hop:
            return self._person(target.practitioner, target, fact, hop=False)
        if isinstance(target, Practitioner) and target.name:
            return target.name, Source(target.key, "Practitioner.name", "care-team")
        if ref is not None and ref.display:
            return ref.display, Source(holder.key, f"{ref.path}.display", "care-team")
        return None

    def _member_type(self, ref: Ref | None, holder: Resource) -> str | None:
        """The resource type a participant's member is: the resolved resource's, else the
        reference's ``type``, else the type its ``reference`` text names (None if unknown).
        ``onBehalfOf`` (the organization a practitioner acts for) does not change it."""
        if ref is None:
            return None
        target = self.record.resolve(ref, holder).target
        if target is not None:
            return target.type
        if ref.type:
            return ref.type.rsplit("/", 1)[-1]
        text = (ref.reference or "").split("/_history/")[0].split("?")[0]
        if text and "/" not in text:
            text += "/"  # a conditional reference: Organization?identifier=...
        parts = text.rsplit("/", 2)
        return parts[-2] if len(parts) >= 2 and _TYPE_RE.fullmatch(parts[-2]) else None

    def person(self, fact: str, roles: frozenset[tuple[str, str]], what: str) -> None:
        found: dict[str, list[Source]] = {}

        def add(hit: tuple[str, Source] | None, via: Source) -> None:
            if hit is None or not hit[0].strip():
                self.note(fact, via.resource, "has the role but gives no name for the person")
                return
            found.setdefault(" ".join(hit[0].split()).casefold(), []).extend([via, hit[1]])
            names.setdefault(" ".join(hit[0].split()).casefold(), " ".join(hit[0].split()))

        names: dict[str, str] = {}
        for r in self.live(self.record.of_type(PractitionerRole), fact):
            assert isinstance(r, PractitionerRole)
            if not _has(r.codes + r.specialties, roles) or r.active is False:
                if r.active is not False:
                    self.bare(fact, r.key, r.codes + r.specialties, roles, f"the {what}'s role")
                continue
            if self.month is not None and not _overlaps(r.period, self.month):
                continue
            add(
                self._person(r.practitioner, r, fact),
                Source(
                    r.key,
                    "PractitionerRole.code",
                    "care-team",
                    title=f"Care team record naming the {what}",
                ),
            )
        for t in self.live(self.record.of_type(CareTeam), fact):
            assert isinstance(t, CareTeam)
            if t.status in ("proposed",):
                continue
            if self.month is not None and not _overlaps(t.period, self.month):
                continue
            for part in t.participants:
                if not _has(part.roles, roles):
                    self.bare(fact, t.key, part.roles, roles, f"the {what}'s role")
                    continue
                if self.month is not None and not _overlaps(part.period, self.month):
                    continue
                kind = self._member_type(part.member, t)
                if kind is not None and kind not in ("Practitioner", "PractitionerRole"):
                    shown = kind if _TYPE_RE.fullmatch(kind) else "resource of another type"
                    self.note(
                        fact,
                        t.key,
                        f"participant {part.index} in the role is a {shown}, not a "
                        "practitioner; not used",
                    )
                    continue
                add(
                    self._person(part.member, t, fact),
                    Source(
                        t.key,
                        f"CareTeam.participant[{part.index}].role",
                        "care-team",
                        title=f"Care team record naming the {what}",
                    ),
                )
        if len(found) > 1:
            self.note(
                fact,
                None,
                f"the record names {len(found)} people in this role; it does not say which one",
            )
            return
        for key, sources in found.items():
            unique = list({s.resource + s.path: s for s in sources}.values())
            self.put(fact, names[key], unique)

    # -- patient, coverage, denial ---------------------------------------------------------
    def patient(self) -> None:
        patients = [
            p
            for p in self.live(self.record.of_type(Patient), "patient_name")
            if isinstance(p, Patient) and self.record.is_patient(p) and self.who in (None, p.key)
        ]
        if len(patients) > 1:
            self.note("patient_name", None, "the record holds several patients")
            return
        if not patients:
            return
        p = patients[0]
        if p.name:
            self.put("patient_name", p.name, [Source(p.key, "Patient.name", "patient")])
        if p.birth_date is not None and p.birth_date.day is not None:
            self.put(
                "patient_birth_date",
                p.birth_date.day,
                [Source(p.key, "Patient.birthDate", "patient", p.birth_date)],
            )
        elif p.birth_date is not None:
            # a year or a month only (FHIR allows it, some exports mask the day): a claim
            # needs the day, which is not padded in
            self.note(
                "patient_birth_date", p.key, f"birthDate gives only the {p.birth_date.precision}"
            )

    def _payers(self, c: Coverage) -> dict[str, Source]:
        """The names of a coverage's payers: the payor Organization's, else the display
        (read once per coverage, so its notes are made once)."""
        cached = self.payer_names.get(c.key)
        if cached is not None:
            return cached
        payers: dict[str, Source] = {}
        self.payer_names[c.key] = payers
        for ref in c.payors:
            target = self.resolve(ref, c, "payer_name")
            if (target.type if target is not None else _type_named(ref)) in _SELF_PAY:
                # self-pay (CARIN, Epic): the payor is the patient or a relative, whose
                # name is never a payer's, even as the reference's display
                self.note("payer_name", c.key, "its payor is a person (self-pay), not a payer")
                continue
            if isinstance(target, Organization) and target.name:
                name, source = target.name, Source(target.key, "Organization.name", "coverage")
            elif target is None and ref.display:
                name, source = ref.display, Source(c.key, f"{ref.path}.display", "coverage")
            else:
                continue
            if " ".join(_words(name)) in _NO_PAYER_NAMES:
                self.note("payer_name", c.key, "its payor is named by a kind of plan, not a payer")
                continue
            payers.setdefault(name, source)
        return payers

    def _member(self, c: Coverage, *, claims: bool) -> tuple[str, str] | None:
        """A coverage's member id and its element: for an original Medicare claim whose
        coverage it ``claims`` to be, the first of its ids that is a well-formed MBI (a
        Medicare number typed ``MC`` first), else its member number (``MB``), else
        ``subscriberId`` (noted)."""
        if claims and self.payer is not None and self.payer.plan == "medicare":
            ids = sorted(c.member_ids, key=lambda i: i[0] != "MC")
            mbi = next(((v, e) for _, v, e in ids if mbi_is_valid(v)), None)
            if mbi is not None:
                return mbi
            if c.member_id:
                self.note("member_id", c.key, "no id of this coverage is a well-formed MBI")
        if c.member_id and c.member_id_element:
            return c.member_id, c.member_id_element
        return None

    def _pick(self, covs: list[Coverage], payer: PayerHint) -> tuple[Coverage, str] | None:
        """The one coverage that is the claim's: its payer's (or plan's) name is the claim's
        payer name (the same words; else all the claim's words among its own), then, among
        those (or all, when no name matches), the one of the claim's kind of plan."""
        pool, how = covs, []
        want = _words(payer.name or "")
        if want:
            names = {c.key: [_words(n) for n in [*self._payers(c), *c.plan_names]] for c in covs}
            same = [c for c in covs if want in names[c.key]]
            within = [c for c in covs if any(set(want) <= set(n) for n in names[c.key])]
            named = same or within
            if named:
                pool, how = named, ["name"]
        kind = _PLAN_KINDS.get(payer.plan or "")
        if len(pool) > 1 and kind is not None:
            typed = [c for c in pool if kind in _coverage_kinds(c)]
            if typed:
                pool, how = typed, [*how, "plan type"]
        if len(pool) == 1 and how:
            return pool[0], " and ".join(how)
        return None

    def coverage(self) -> None:
        covs: list[Coverage] = []
        for c in self.live(self.record.of_type(Coverage), "member_id"):
            assert isinstance(c, Coverage)
            if c.status not in (None, "active"):
                continue
            if self.month is not None and not _overlaps(c.period, self.month):
                continue
            covs.append(c)
        found, payers = self._coverage_values(covs, claims=False)
        kind = _PLAN_KINDS.get(self.payer.plan or "") if self.payer is not None else None
        if (
            covs
            and kind is not None
            and all((kinds := _coverage_kinds(c)) and kind not in kinds for c in covs)
        ):
            # every active coverage says it is another kind of plan than the claim's
            self.note(
                "member_id",
                None,
                "no active coverage is the claim's kind of plan (by Coverage.type or its "
                "identifiers' types); their member ids and payers are not the claim's",
            )
            return
        if len(found) <= 1 and len(payers) <= 1:
            # they agree (or there is one): each is the claim's, when a claim is filled
            found, payers = self._coverage_values(covs, claims=True)
        elif self.payer is not None:
            picked = self._pick(covs, self.payer)
            if picked is None:
                self.note(
                    "member_id",
                    None,
                    "several active coverages disagree, and none is the claim's payer by name "
                    "or plan type",
                )
            else:
                self.note(
                    "member_id",
                    picked[0].key,
                    f"several active coverages; this one is the claim's payer (by {picked[1]})",
                )
                found, payers = self._coverage_values([picked[0]], claims=True)
        for fact, values in (("member_id", found), ("payer_name", payers)):
            if len(values) == 1:
                value, source = next(iter(values.items()))
                self.put(fact, value, [source])
            elif values:
                self.note(fact, None, "several active coverages disagree")

    def _coverage_values(
        self, covs: Iterable[Coverage], *, claims: bool
    ) -> tuple[dict[str, Source], dict[str, Source]]:
        """The member ids and payer names of coverages (``claims``: each is the claim's)."""
        found: dict[str, Source] = {}
        payers: dict[str, Source] = {}
        for c in covs:
            member = self._member(c, claims=claims)
            if member is not None:
                found.setdefault(member[0], Source(c.key, member[1], "coverage"))
            for name, source in self._payers(c).items():
                payers.setdefault(name, source)
        return found, payers

    def denial(self) -> None:
        numbers: dict[str, Source] = {}
        codes: dict[str, Source] = {}
        by_claim: dict[str, set[str]] = {}  # claim number (else the EOB) -> its codes
        for e in self.live(self.record.of_type(ExplanationOfBenefit), "denial_codes"):
            assert isinstance(e, ExplanationOfBenefit)
            if e.status == "cancelled":
                continue
            if self.month is not None and not (
                any(self.month.holds(d) for d in e.service_dates)
                or (
                    e.billable_period is not None
                    and _overlaps(e.billable_period, self.month)
                    and e.billable_period.start is not None
                )
            ):
                continue
            if e.claim_number:
                numbers.setdefault(
                    e.claim_number,
                    Source(
                        e.key,
                        "ExplanationOfBenefit.identifier",
                        "remittance",
                        title="Explanation of benefit",
                    ),
                )
            for r in e.reasons:
                codes.setdefault(
                    r.code, Source(e.key, r.path, "remittance", title="Explanation of benefit")
                )
                by_claim.setdefault(e.claim_number or e.key, set()).add(r.code)
        if len(numbers) == 1:
            value, source = next(iter(numbers.items()))
            self.put("claim_number", value, [source])
        elif numbers:
            self.note("claim_number", None, "several claims' explanations of benefit match")
        if len({frozenset(c) for c in by_claim.values()}) > 1:
            # the codes of two claims are not one denial's: the record does not say which
            self.note(
                "denial_codes",
                None,
                "several claims' explanations of benefit match, with different codes",
            )
        elif codes:
            ordered = sorted(codes)
            by_resource: dict[str, Source] = {}
            for c in ordered:
                by_resource.setdefault(codes[c].resource, codes[c])
            self.put("denial_codes", tuple(ordered), by_resource.values())


_PHQ9: Final = "44261-6"
#: A FHIR resource type's name (shown in a note only when it is one).
_TYPE_RE: Final = re.compile(r"[A-Z][A-Za-z]{1,63}")


@attrs.frozen
class PayerHint:
    """What a claim says of its payer: its name and its plan type (``"medicare"``)."""

    name: str | None = attrs.field(repr=False)
    plan: str | None

    @tolerant
    def __repr__(self) -> str:
        return f"<PayerHint plan={self.plan}>"


#: Source of Payment Typology (PHDSC), the code system US exports type a Coverage in.
_SOPT_SYSTEMS: Final = frozenset({"http://nahdo.org/sopt", "urn:oid:2.16.840.1.113883.3.221.5"})
#: The kind of coverage each claim plan type is paid by (original Medicare's claims by
#: Medicare, a Medicare Advantage claim by a Medicare managed-care plan...). A commercial
#: claim, the default plan type, names no kind: any other payer may be it.
_PLAN_KINDS: Final = {
    "medicare": "medicare",
    "medicare-advantage": "medicare-advantage",
    "medicaid": "medicaid",
    "erisa": "private",
    "aca": "private",
}


def _coverage_kinds(c: Coverage) -> set[str]:
    """The kinds of plan a Coverage says it is: by its Source of Payment Typology type (1
    Medicare, 11 Medicare managed care, 2 Medicaid, 5 and 6 private), else by an identifier
    typed as a Medicare (``MC``) or Medicaid (``MA``) number."""
    kinds: set[str] = set()
    for t in c.types:
        system = (t.system or "").strip().rstrip("/").replace("https://", "http://", 1)
        code = (t.code or "").strip()
        if system not in _SOPT_SYSTEMS or not code.isdigit():
            continue
        if code == "1":  # Medicare, managed care or not
            kinds.update(("medicare", "medicare-advantage"))
        elif code.startswith("11"):
            kinds.add("medicare-advantage")
        elif code.startswith("1") and not code.startswith("14"):  # 14: dual (Medicare/Medicaid)
            kinds.add("medicare")
        elif code.startswith("2"):
            kinds.add("medicaid")
        elif code[0] in "56":
            kinds.add("private")
    if not kinds:
        for k, *_ in c.member_ids:
            # a Medicare number is a Medicare Advantage member's too
            kinds.update(_ID_KINDS.get(k, ()))
    return kinds


#: The kinds of plan an identifier type says a coverage may be.
_ID_KINDS: Final = {"MC": ("medicare", "medicare-advantage"), "MA": ("medicaid",)}


#: Payor names that name no payer: a kind of plan, or none (Synthea writes ``private`` and
#: ``NO_INSURANCE`` as the payor's display).
_NO_PAYER_NAMES: Final = frozenset(
    {
        "private",
        "commercial",
        "no insurance",
        "uninsured",
        "self pay",
        "selfpay",
        "none",
        "unknown",
        "other",
    }
)


def _words(text: str) -> tuple[str, ...]:
    """A name as its words, for comparing payer names (``Blue Cross & Blue Shield`` and
    ``blue cross and blue shield`` are the same)."""
    return tuple(re.sub(r"[^0-9a-z]+", " ", text.casefold().replace("&", " and ")).split())


def _scale_of(codes: Iterable[Coding]) -> str | None:
    """The LOINC code of the scale total a resource's codes name (LOINC, or SNOMED CT)."""
    found = None
    for c in codes:
        system = c.canonical_system
        if system == LOINC and c.code in SCALE_LOINC:
            return c.code
        if system == SNOMED and c.code in SNOMED_TOTALS and found is None:
            found = SNOMED_TOTALS[c.code]
    return found


def _scales_of(codes: Iterable[Coding]) -> set[str]:
    """The LOINC codes of every scale total a resource's codes name (one, when its codes
    are the translations of one concept that FHIR asks them to be)."""
    found = set()
    for c in codes:
        system = c.canonical_system
        if system == LOINC and c.code in SCALE_LOINC:
            found.add(c.code)
        elif system == SNOMED and c.code in SNOMED_TOTALS:
            found.add(SNOMED_TOTALS[c.code])
    return found


def _unread_why(element: str | None) -> str:
    """Why a scale total holds no score, by the element there instead of a number."""
    if element is None:
        return ""
    if element.endswith("dataAbsentReason"):
        where = element.removesuffix("dataAbsentReason").rstrip(".")
        return f" (a dataAbsentReason stands for it{f' in {where}' if where else ''})"
    if element.endswith(".comparator"):
        return (
            f" (its {element.removesuffix('.comparator')} has a comparator: a bound, not the score)"
        )
    return f" ({element} holds no number)"


def _is_panel(coding: Coding) -> bool:
    return coding.canonical_system == LOINC and coding.code in PANELS


def _summed(items: Iterable[str], by_item: Mapping[str, list[ItemAnswer]]) -> Decimal:
    """The sum of the items' answers (each answered once, with a score: see _unsummed)."""
    return sum((by_item[i][0].value or Decimal(0) for i in items), Decimal(0))


def _unsummed(items: Iterable[str], by_item: Mapping[str, list[ItemAnswer]]) -> str:
    """Why the answers do not give a scale's total as their sum ('' when they do)."""
    items = tuple(items)
    missing = [i for i in items if i not in by_item]
    if missing:
        return f"answers {len(items) - len(missing)} of its {len(items)} items"
    for i in items:
        if len(by_item[i]) > 1:
            return "answers one of its items more than once"
        a = by_item[i][0]
        if a.modified:
            return "an item answer has a modifierExtension, which may change its meaning"
        if a.value is None:
            return "an item answer gives no score (no number, no ordinal value)"
        if not (0 <= a.value <= 3 and a.value == a.value.to_integral_value()):
            return "an item answer scores outside 0 to 3"
    return ""


def _reported(dated_by: str | None) -> bool:
    """Whether a date is the day a result was reported (an ``issued`` element)."""
    return dated_by is not None and dated_by.endswith(".issued")


def _score_text(value: Decimal, when: FhirDate, source: Source) -> str:
    """One score as the fact says it: ``12 on September 28, 2026``, ``12 in September 2026``
    for a score dated to the month, and ``(date reported)`` after the date when it is the day
    the result was reported (``issued``), not the day it was taken."""
    text = f"{_number(value)} {'in' if when.precision == 'month' else 'on'} {spoken(when)}"
    return f"{text} {_REPORTED}" if _reported(source.dated_by) else text


def is_bhi_code(code: str) -> bool:
    """Whether a code is in the care-management family (CCM, BH, MH): the BHI facts apply.

    >>> is_bhi_code("ccm21"), is_bhi_code("CO-16")
    (True, False)
    """
    return isinstance(code, str) and code.strip().upper().startswith(("CCM", "BH", "MH"))


def chosen_patient(record: Record, patient: str | None) -> str | None:
    """The key of the patient whose facts are read: None when the record is about one
    patient (or none), which then needs no choosing (a ``patient`` given is still checked).

    Raises:
        RecordError: the record is about several patients and ``patient`` is None, or it
            holds no patient by the reference ``patient`` gives.
    """
    patients = record.patients()
    if patient is None:
        if len(patients) > 1:
            raise RecordError(
                f"the record is about {len(patients)} patients; say whose facts to read with "
                "patient='Patient/<id>' (--patient on the command line); Record.patients() "
                "and 'denialkit record patients' list them"
            )
        return None
    if not isinstance(patient, str):
        raise TypeError(f"patient must be a str, not {type(patient).__name__}")
    key: str | None = patient  # as Record.patients() gives it
    if key not in patients:
        text = patient.strip()
        if text and "/" not in text and ":" not in text:
            text = f"Patient/{text}"
        key = record.subject_of(Resource("Patient", None, subject=Ref("patient", text or None)))
    if key is None or key not in patients:
        raise RecordError("the record holds no patient by the reference given as patient=")
    return key if len(patients) > 1 else None


#: the payor types of a self-paid coverage
_SELF_PAY: Final = frozenset({"Patient", "RelatedPerson"})


def _type_named(ref: Ref) -> str | None:
    """The resource type a reference names: its ``type``, else that in its URL."""
    if ref.type is not None or ref.reference is None:
        return ref.type
    parts = [p for p in ref.reference.partition("?")[0].partition("#")[0].split("/") if p]
    if len(parts) >= 4 and parts[-2] == "_history":
        parts = parts[:-2]
    return parts[-2] if len(parts) >= 2 else None


def facts(
    record: Record,
    *,
    code: str = "CCM21",
    month: str | Month | None = None,
    patient: str | None = None,
    service_date: date | None = None,
) -> RecordFacts:
    """The facts ``record`` gives for a denial ``code`` in the billed ``month``.

    Args:
        record: a record from :func:`denialkit.record.read`.
        code: the denial code; a care-management code (``CCM21``, ``BH...``, ``MH...``) reads
            the behavioural health facts, any code reads the patient, coverage and denial.
        month: the billed calendar month, ``"YYYY-MM"``. Minutes count only inside it;
            scores, consent, care plan and care team must be in force by its end. Without a
            month, minutes are not read (they are only meaningful for a month).
        patient: whose facts to read (``"Patient/<id>"``, the id alone, or the Bundle's
            ``fullUrl``), needed when the record is about several patients
            (:meth:`Record.patients`). Resources about other patients are then passed over,
            and those that name no patient are not used.
        service_date: the date of service the consent must cover, as
            :func:`~denialkit.record.fill` takes it from the claim: a consent given after it,
            or whose period ends before it or starts after it, is passed over (and noted).
            Without it, a consent in force by the end of ``month`` is taken. It must fall
            in ``month`` when both are given.

    Raises:
        TypeError: ``record`` is not a Record, ``code`` or ``patient`` is not a str, or
            ``service_date`` is not a date.
        ValueError: ``month`` is not ``YYYY-MM``, or ``service_date`` is not in it.
        RecordError: the record is about several patients and ``patient`` is not given, or
            it holds none by that reference (a ``ValueError`` too).
    """
    if not isinstance(record, RecordBase):
        raise TypeError(f"facts() needs a Record from read(), not {type(record).__name__}")
    if service_date is not None:
        if not isinstance(service_date, date):
            raise TypeError(f"service_date must be a date, not {type(service_date).__name__}")
        if isinstance(service_date, datetime):
            service_date = service_date.date()  # a day is what a consent is compared with
    m = month if isinstance(month, Month) or month is None else Month.parse(month)
    if service_date is not None and m is not None and not m.first <= service_date <= m.last:
        raise ValueError("service_date is not in the billed month")
    return read_facts(record, code=code, month=m, patient=patient, service_date=service_date)


def read_facts(
    record: Record,
    *,
    code: str,
    month: str | Month | None,
    patient: str | None,
    payer: PayerHint | None = None,
    service_date: date | None = None,
) -> RecordFacts:
    """:func:`facts`, and, for :func:`~denialkit.record.fill`, the claim's payer, which may
    say which of several active coverages is the claim's, and its date of service, which a
    consent must cover."""
    if not isinstance(code, str):
        raise TypeError(f"code must be a str, not {type(code).__name__}")
    m = month if isinstance(month, Month) or month is None else Month.parse(month)
    r = _Reader(record, m, chosen_patient(record, patient), payer, service_date)
    r.notes.extend(record.notes)
    wanted: tuple[str, ...] = CLAIM_FACTS
    canonical = code.strip().upper()
    if is_bhi_code(canonical):
        wanted = BHI_FACTS + CLAIM_FACTS
        r.consent()
        r.care_plan()
        r.rating_scale()
        if m is not None:
            r.minutes()
        else:
            r.note("care_manager_minutes", None, "no billed month given; minutes not read")
        r.person("care_manager_name", CARE_MANAGER_ROLES, "care manager")
        r.person(
            "psychiatric_consultant_name", PSYCHIATRIC_CONSULTANT_ROLES, "psychiatric consultant"
        )
    r.patient()
    r.coverage()
    r.denial()
    ordered = {n: r.facts[n] for n in wanted if n in r.facts}
    missing = tuple(n for n in wanted if n not in r.facts)
    return RecordFacts(canonical, m, ordered, missing, tuple(r.notes))
