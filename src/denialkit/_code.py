"""One denial code as a value: its systems and categories, its record, and its grammar.

:mod:`denialkit.codes` is where users meet these names; they live here so that the table
loader (:mod:`denialkit._tables`) can build records without importing the module that
loads it (imports run one way: ``_code`` <- ``_tables`` <- ``codes``). Their
``__module__`` is ``denialkit.codes``, which is where pickles, reprs and the docs find them.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any, Final

import attrs

from denialkit._repr import fields_repr, tolerant
from denialkit._typography import plain

from .exceptions import InvalidCodeError

if TYPE_CHECKING:
    from datetime import date

    from ._advice import Advice, PlanRule, Service


class CodeSystem(enum.StrEnum):
    """The code system a code belongs to."""

    GROUP = "GROUP"
    """Claim adjustment group codes (CO, PR, OA, PI, CR)."""
    CARC = "CARC"
    """X12 Claim Adjustment Reason Codes."""
    RARC = "RARC"
    """Remittance Advice Remark Codes."""
    EXTENSION = "EXTENSION"
    """Extension code sets such as the care-management family (CCM, BH, MH) or a payer's own."""


class Status(enum.StrEnum):
    """Whether a code is in the current list."""

    CURRENT = "current"
    DEACTIVATED = "deactivated"


class Category(enum.StrEnum):
    """denialkit's fixed taxonomy of what a denial is about."""

    ELIGIBILITY = "eligibility"
    AUTHORIZATION = "authorization"
    MISSING_INFORMATION = "missing-information"
    CODING = "coding"
    MEDICAL_NECESSITY = "medical-necessity"
    BUNDLING = "bundling"
    TIMELY_FILING = "timely-filing"
    DUPLICATE = "duplicate"
    COORDINATION_OF_BENEFITS = "coordination-of-benefits"
    PATIENT_RESPONSIBILITY = "patient-responsibility"
    CONTRACTUAL = "contractual"
    PROVIDER_ELIGIBILITY = "provider-eligibility"
    NON_COVERED = "non-covered"
    BENEFIT_LIMIT = "benefit-limit"
    INFORMATIONAL = "informational"
    CARE_MANAGEMENT = "care-management"

    @property
    def label(self) -> str:
        """A short human label, e.g. ``"Authorization and referral"``."""
        return _CATEGORY_LABELS[self]


_CATEGORY_LABELS: Final[Mapping[Category, str]] = {
    Category.ELIGIBILITY: "Eligibility and coverage",
    Category.AUTHORIZATION: "Authorization and referral",
    Category.MISSING_INFORMATION: "Missing or invalid information",
    Category.CODING: "Coding",
    Category.MEDICAL_NECESSITY: "Medical necessity",
    Category.BUNDLING: "Bundling and multiple procedures",
    Category.TIMELY_FILING: "Timely filing",
    Category.DUPLICATE: "Duplicate",
    Category.COORDINATION_OF_BENEFITS: "Coordination of benefits",
    Category.PATIENT_RESPONSIBILITY: "Patient responsibility",
    Category.CONTRACTUAL: "Contractual and pricing",
    Category.PROVIDER_ELIGIBILITY: "Provider eligibility",
    Category.NON_COVERED: "Non-covered service",
    Category.BENEFIT_LIMIT: "Benefit limits",
    Category.INFORMATIONAL: "Informational",
    Category.CARE_MANAGEMENT: "Care management documentation",
}


class Action(enum.StrEnum):
    """What a billing team should do next."""

    APPEAL = "appeal"
    CORRECT_RESUBMIT = "correct-resubmit"
    BILL_PATIENT = "bill-patient"
    WRITE_OFF = "write-off"
    BILL_OTHER_PAYER = "bill-other-payer"
    SUPPLY_INFORMATION = "supply-information"
    NO_ACTION = "no-action"
    DEPENDS = "depends"
    """No one next step fits the code alone; the remark codes (or the group) decide it."""

    @property
    def label(self) -> str:
        """A short human label, e.g. ``"Correct and resubmit"``."""
        return _ACTION_LABELS[self]


_ACTION_LABELS: Final[Mapping[Action, str]] = {
    Action.APPEAL: "Appeal",
    Action.CORRECT_RESUBMIT: "Correct and resubmit",
    Action.BILL_PATIENT: "Bill the patient",
    Action.WRITE_OFF: "Write off as contractual",
    Action.BILL_OTHER_PAYER: "Coordinate benefits / bill another payer",
    Action.SUPPLY_INFORMATION: "Supply the requested information",
    Action.NO_ACTION: "No action: informational",
    Action.DEPENDS: "Depends on the remark codes",
}


class Appealable(enum.StrEnum):
    """Whether an appeal is a sensible remedy."""

    YES = "yes"
    NO = "no"
    DEPENDS = "depends"


#: The next step when a code that would bill the patient comes with another group: only
#: amounts under group PR may be billed to the patient.
_NOT_PATIENT_BILLABLE: Final[Mapping[str, tuple[Action, str]]] = {
    "CO": (
        Action.WRITE_OFF,
        "Under group CO the patient may not be billed for this amount: write it off, or ask "
        "the payer to reprocess it under PR if it really is the patient's share.",
    ),
    "PI": (
        Action.WRITE_OFF,
        "Under group PI the payer made the reduction and the patient may not be billed for "
        "it: write it off unless the reduction is worth disputing.",
    ),
    "OA": (
        Action.DEPENDS,
        "Only amounts under group PR may be billed to the patient: read the remark codes, and "
        "ask the payer to correct the group if this is the patient's share.",
    ),
    "CR": (
        Action.DEPENDS,
        "Only amounts under group PR may be billed to the patient: reconcile the reversal "
        "against the corrected claim and read its remark codes.",
    ),
}


def patient_billable_advice(advice: Advice, group: str | None) -> Advice:
    """``advice`` as it may stand under ``group``: only group PR bills the patient.

    Under any other group code a "bill the patient" step becomes a write-off (CO, PI) or a
    decision for the remark codes (OA, CR); the appeal advice is kept. Without a group code
    the advice is returned unchanged.

    >>> adv = lookup("1").advice()
    >>> adv.action.value, patient_billable_advice(adv, "CO").action.value
    ('bill-patient', 'write-off')
    >>> patient_billable_advice(adv, "PR") is adv
    True
    """
    if group is None or group == "PR" or advice.action is not Action.BILL_PATIENT:
        return advice
    action, reason = _NOT_PATIENT_BILLABLE.get(group, _NOT_PATIENT_BILLABLE["OA"])
    return attrs.evolve(advice, action=action, action_reason=reason)


@attrs.frozen
class Knowledge:
    """The deeper entry for the codes billing teams meet most (our own words)."""

    causes: tuple[str, ...]
    prevention: tuple[str, ...]
    evidence: tuple[str, ...]
    how_to_appeal: str
    related: tuple[str, ...]
    who: tuple[str, ...]
    details: tuple[str, ...] = ()
    services: tuple[Service, ...] = ()
    related_note: str | None = None
    __repr__ = fields_repr


@attrs.frozen
class GroupCode:
    """A claim adjustment group code as it qualifies a reason code."""

    code: str
    name: str
    meaning: str
    patient_billable: bool | None
    __repr__ = fields_repr


@attrs.frozen
class CodeRef:
    """A parsed code reference: an optional group and a canonical code.

    >>> ref = parse("pr 2")
    >>> ref.group, ref.code, str(ref)
    ('PR', '2', 'PR-2')
    """

    code: str
    system: CodeSystem
    group: str | None = None
    __repr__ = fields_repr

    def __str__(self) -> str:
        return f"{self.group}-{self.code}" if self.group else self.code


@attrs.frozen(eq=False)
class DenialCode:
    """One denial code: its facts, our plain-language summary and what to do about it.

    Records are immutable and picklable. ``group`` is set when the looked-up text named a
    group code (``"CO-16"``), and ``action``/``appealable`` then reflect that group.

    >>> code = lookup("PR-1")
    >>> code.summary != "" and code.category.value
    'patient-responsibility'
    >>> code.action.value, code.group.patient_billable
    ('bill-patient', True)
    """

    system: CodeSystem
    code: str
    summary: str
    category: Category
    action: Action
    action_reason: str
    appealable: Appealable
    appeal_reason: str
    status: Status = Status.CURRENT
    start: date | None = None
    last_modified: date | None = None
    stop: date | None = None
    code_set: str = ""
    title: str | None = None
    group: GroupCode | None = None
    group_limit: frozenset[str] = frozenset()
    requires_remark: bool = False
    is_alert: bool = False
    knowledge: Knowledge | None = None
    official_text: str | None = None
    group_advice: tuple[tuple[str, Advice], ...] = attrs.field(default=(), repr=False)
    plan_rules: tuple[PlanRule, ...] = attrs.field(default=(), repr=False)

    @property
    def key(self) -> str:
        """The canonical code with its group, e.g. ``"CO-16"`` (``"16"`` without a group)."""
        return f"{self.group.code}-{self.code}" if self.group else self.code

    def is_active(self, on: date | None = None) -> bool:
        """Whether the code was usable on a date (today when not given).

        A code is active from its start date (when known) until the day before its stop
        date. An unknown start date is not invented: the code counts as active before its
        stop date.

        >>> from datetime import date
        >>> lookup("15").is_active(on=date(2017, 1, 1)), lookup("15").is_active()
        (True, False)
        """
        from datetime import date

        if on is None:
            on = date.today()
        elif type(on) is not date:
            raise TypeError(f"on must be a datetime.date, not {type(on).__name__}")
        if self.start is not None and on < self.start:
            return False
        return self.stop is None or on < self.stop

    def advice(self, group: str | None = None) -> Advice:
        """The recommended action for this code under a group code (default: its own group).

        Only group PR bills the patient (:func:`patient_billable_advice`).

        >>> lookup("1").advice("PR").action.value, lookup("1").advice("CO").action.value
        ('bill-patient', 'write-off')
        """
        from ._advice import Advice

        g = group if group is not None else (self.group.code if self.group else None)
        if g is not None:
            for name, adv in self.group_advice:
                if name == g:
                    return patient_billable_advice(adv, g)
        base = Advice(self.action, self.action_reason, self.appealable, self.appeal_reason)
        return patient_billable_advice(base, g)

    def _advised(self, group: str) -> tuple[Action, str, Appealable, str]:
        """:meth:`advice` under ``group`` as its four values (no :class:`Advice` is made:
        a lookup with a group needs only the values)."""
        for name, adv in self.group_advice:
            if name == group:
                adv = patient_billable_advice(adv, group)
                return adv.action, adv.action_reason, adv.appealable, adv.appeal_reason
        if group != "PR" and self.action is Action.BILL_PATIENT:
            action, reason = _NOT_PATIENT_BILLABLE.get(group, _NOT_PATIENT_BILLABLE["OA"])
            return action, reason, self.appealable, self.appeal_reason
        return self.action, self.action_reason, self.appealable, self.appeal_reason

    def plan_rule(self, plan: str) -> PlanRule | None:
        """How the appeal advice changes for a plan type (``"medicare"``), or ``None``.

        ``plan`` is a :class:`denialkit.claim.PlanType` or its value.

        >>> lookup("CO-29").plan_rule("medicare").appealable.value
        'no'
        >>> lookup("CO-29").plan_rule("commercial") is None
        True
        """
        for rule in self.plan_rules:
            if rule.plan == plan:
                return rule
        return None

    def with_group(self, group: GroupCode | None) -> DenialCode:
        """This code as qualified by a group code (advice follows the group)."""
        if group is None:
            return attrs.evolve(self, group=None)
        action, action_reason, appealable, appeal_reason = self._advised(group.code)
        return attrs.evolve(
            self,
            group=group,
            action=action,
            action_reason=action_reason,
            appealable=appealable,
            appeal_reason=appeal_reason,
        )

    @tolerant
    def __repr__(self) -> str:
        return (
            f"<DenialCode {self.key} {self.system.value} {self.category.value} "
            f"{self.status.value}: {self.summary!r}>"
        )

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, DenialCode):
            return NotImplemented
        return attrs.astuple(self, recurse=False) == attrs.astuple(other, recurse=False)

    def __hash__(self) -> int:
        return hash((self.system, self.code, self.key, self.status, self.official_text))

    def to_record(self) -> dict[str, object]:
        """One flat row: the facts, summary and advice (for CSV, JSON and DataFrames)."""
        return {
            "system": self.system.value,
            "code": self.code,
            "group": self.group.code if self.group else None,
            "code_set": self.code_set,
            "summary": self.summary,
            "category": self.category.value,
            "status": self.status.value,
            "start": self.start,
            "last_modified": self.last_modified,
            "stop": self.stop,
            "action": self.action.value,
            "appealable": self.appealable.value,
            "requires_remark": self.requires_remark,
            "group_limit": " ".join(sorted(self.group_limit)),
            "official_text": self.official_text,
        }

    def _repr_html_(self) -> str:
        import html

        e = html.escape
        rows = [
            ("Code", self.key),
            ("System", self.system.value),
            ("Summary", self.summary),
            ("Category", self.category.label),
            ("Status", self.status.value),
            ("Start", str(self.start or "unknown")),
            ("Stop", str(self.stop or "")),
            ("Action", f"{self.action.label}: {self.action_reason}"),
            ("Appealable", f"{self.appealable.value}: {self.appeal_reason}"),
        ]
        if self.official_text:
            rows.append(("Official text", self.official_text))
        body = "".join(f"<tr><th>{e(k)}</th><td>{e(v)}</td></tr>" for k, v in rows)
        return f'<table class="denialkit-code">{body}</table>'


@attrs.frozen
class CodeSet:
    """A named set of extension codes, as a plugin registers it.

    A distribution exposes one through the ``denialkit.codesets`` entry-point group, either
    as a ``CodeSet`` object or as a callable returning one.

    >>> cs = CodeSet.from_records("acme", [{"code": "ACM1", "summary": "Acme test code."}])
    >>> cs.codes[0].system.value, cs.codes[0].code_set
    ('EXTENSION', 'acme')
    """

    name: str
    codes: tuple[DenialCode, ...]
    __repr__ = fields_repr

    @classmethod
    def from_records(cls, name: str, records: Iterable[Mapping[str, Any]]) -> CodeSet:
        """Build a code set from plain mappings (``code`` and ``summary`` required).

        Optional keys: ``category`` (default ``informational``), ``action`` (default
        ``no-action``), ``action_reason``, ``appealable`` (default ``depends``),
        ``appeal_reason``, ``title``, ``status``, ``start``, ``stop`` (ISO dates).
        """
        out = []
        for rec in records:
            ref = parse(str(rec["code"]))
            out.append(
                DenialCode(
                    system=CodeSystem.EXTENSION,
                    code=ref.code,
                    summary=str(rec["summary"]),
                    category=Category(rec.get("category", "informational")),
                    action=Action(rec.get("action", "no-action")),
                    action_reason=str(rec.get("action_reason", "")),
                    appealable=Appealable(rec.get("appealable", "depends")),
                    appeal_reason=str(rec.get("appeal_reason", "")),
                    status=Status(rec.get("status", "current")),
                    start=_opt_date(rec.get("start")),
                    stop=_opt_date(rec.get("stop")),
                    code_set=name,
                    title=rec.get("title"),
                )
            )
        return cls(name=name, codes=tuple(out))


def _opt_date(value: object) -> date | None:
    from datetime import date

    if value is None or value == "":
        return None
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value))


# --------------------------------------------------------------------------- parsing

GROUP_CODES: Final = frozenset({"CO", "PR", "OA", "PI", "CR"})
_MAX_TEXT: Final = 64
#: The grammar of a code's body, checked with string methods rather than regular expressions
#: (compiling five patterns cost the first lookup about a twentieth of what denialkit adds
#: to ``import attrs``); tests/codes/test_parse.py checks them against these patterns:
#: RARC ``(?:MA|M|N)[0-9]{1,3}``, CARC ``[0-9]{1,3}|[A-LO-Z][0-9]{1,2}``, extension
#: ``[A-Z]{2,5}[0-9]{1,4}``, a grouped code ``(CO|PR|OA|PI|CR)[- ]?(.+)``.
_DIGITS: Final = "0123456789"
_CARC_LETTERS: Final = frozenset("ABCDEFGHIJKLOPQRSTUVWXYZ")
#: (compiled when first used, by ``re``'s own cache: only error messages need it)
_SAFE_ECHO: Final = r"[A-Za-z]{0,5}[- ]?[0-9A-Za-z]{0,6}"


def _describe(text: object) -> str:
    """A safe description of bad input: echo short code-like text only, never free text.

    Text is echoed only when it is shaped like a code attempt (it has a digit, or is a group
    code with a separator), so a name typed into the wrong field is never repeated back.
    """
    if (
        isinstance(text, str)
        and re.fullmatch(_SAFE_ECHO, text)
        and (any(ch.isdigit() for ch in text) or text.strip(" -").upper() in GROUP_CODES)
    ):
        return repr(text)
    if isinstance(text, str):
        return f"the given text ({len(text)} characters)"
    return f"a {type(text).__name__}"


def _digits(text: str, most: int) -> bool:
    """``text`` is 1 to ``most`` ASCII digits."""
    return 0 < len(text) <= most and text.isascii() and text.isdigit()


def _classify(body: str) -> CodeSystem | None:
    """The system whose grammar ``body`` (upper-case ASCII) follows, or ``None``."""
    head = body[:1]
    if (head in "MN" and _digits(body[1:], 3)) or (body[:2] == "MA" and _digits(body[2:], 3)):
        return CodeSystem.RARC
    if _digits(body, 3) or (head in _CARC_LETTERS and _digits(body[1:], 2)):
        return CodeSystem.CARC
    prefix = body.rstrip(_DIGITS)
    if 2 <= len(prefix) <= 5 and prefix.isalpha() and _digits(body[len(prefix) :], 4):
        return CodeSystem.EXTENSION
    return None


def _split_group(text: str) -> tuple[str, str] | None:
    """``(group, body)`` of a grouped code such as ``CO-16``, ``CO 16`` or ``CO16``."""
    group, body = text[:2], text[2:]
    if group not in GROUP_CODES or not body:
        return None
    if body[0] in "- " and len(body) > 1:
        body = body[1:]
    return group, body


def _strip_zeros(body: str, system: CodeSystem) -> str:
    # a CARC written "016" is CARC 16; RARCs keep their digits as published (MA01)
    if system is CodeSystem.CARC and body.isdigit():
        return body.lstrip("0") or "0"
    return body


def parse(text: str) -> CodeRef:
    """Parse code text into a :class:`CodeRef` through the one documented grammar.

    Args:
        text: code text such as ``"CO-16"``, ``"co16"``, ``"16"``, ``"n290"`` or ``"ccm21"``.

    Raises:
        TypeError: ``text`` is not a ``str``.
        InvalidCodeError: the text is not a code in the grammar (also a ``ValueError``).

    >>> [str(parse(t)) for t in ["CO-16", "co16", "CO 16", "16", "n290", "MA130", "ccm21"]]
    ['CO-16', 'CO-16', 'CO-16', '16', 'N290', 'MA130', 'CCM21']

    A dash or space a word processor typed (an en dash, a space that does not break) counts
    as the ASCII one:

    >>> str(parse("CO\u201316")), str(parse("PR\u00a02"))
    ('CO-16', 'PR-2')
    """
    if not isinstance(text, str):
        raise TypeError(f"a code must be given as str, not {type(text).__name__}")
    if len(text) > _MAX_TEXT:
        raise InvalidCodeError(
            f"{_describe(text)} is too long to be a denial code (codes are at most 8 characters)"
        )
    s = plain(text).strip().upper()
    if not s:
        raise InvalidCodeError("an empty string is not a denial code")
    if not s.isascii():
        raise InvalidCodeError(
            f"{_describe(text)} is not a denial code: codes use ASCII letters and digits only"
        )
    if s in GROUP_CODES:
        return CodeRef(code=s, system=CodeSystem.GROUP)
    grouped = _split_group(s)
    if grouped is not None:
        group, body = grouped
        system = _classify(body)
        if system is not None:
            return CodeRef(code=_strip_zeros(body, system), system=system, group=group)
    system = _classify(s)
    if system is None:
        raise InvalidCodeError(
            f"{_describe(text)} is not a denial code. Expected an optional group code "
            "(CO, PR, OA, PI, CR) and a CARC (16, A1), a RARC (N290, MA130) or an "
            "extension code (CCM21), e.g. 'CO-16'"
        )
    return CodeRef(code=_strip_zeros(s, system), system=system)
