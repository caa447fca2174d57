"""Denial codes: parse them, look them up, search them, explore them as tables.

The code grammar (one normaliser for every entry point)::

    [GROUP [sep]] CODE          surrounding whitespace and letter case are ignored
    GROUP := CO | PR | OA | PI | CR          sep := "-" | " " | nothing
    CODE  := CARC      one to three digits, or one letter (not M or N) and one or two digits
                       e.g. 16, 197, A1, B7, P12, W1, Y2
           | RARC      M, MA or N followed by one to three digits: M15, MA130, N290
           | EXTENSION two to five letters and one to four digits: CCM21, BH100, MH27
           | GROUP     a group code on its own: CO

>>> import denialkit
>>> str(denialkit.parse(" co16 "))
'CO-16'
>>> code = denialkit.lookup("CO-16")
>>> code.system, code.code, code.group.code
(<CodeSystem.CARC: 'CARC'>, '16', 'CO')
>>> denialkit.get("not a code") is None
True
"""

from __future__ import annotations

import enum
import functools
import re
from _thread import allocate_lock
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import TYPE_CHECKING, Any, Final

import attrs

from denialkit._repr import fields_repr, tolerant
from denialkit._typography import plain

from .exceptions import InvalidCodeError, UnknownCodeError

if TYPE_CHECKING:
    import os
    from datetime import date

    import pandas

    from ._advice import Advice, PlanRule, Service
    from ._tables import LazyRows

__all__ = [
    "Action",
    "Advice",
    "Appealable",
    "Category",
    "CodeRef",
    "CodeSet",
    "CodeSystem",
    "CodeTable",
    "DenialCode",
    "GroupCode",
    "Knowledge",
    "PlanRule",
    "Service",
    "Status",
    "default_table",
    "get",
    "lookup",
    "parse",
    "patient_billable_advice",
    "search",
]


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


# --------------------------------------------------------------------------- tables

_SYSTEM_ORDER: Final = {
    CodeSystem.GROUP: 0,
    CodeSystem.CARC: 1,
    CodeSystem.RARC: 2,
    CodeSystem.EXTENSION: 3,
}


@functools.cache
def _num_re() -> re.Pattern[str]:
    # a code's letters and number; compiled when first used (sorting, suggestions), not by
    # the first lookup
    return re.compile(r"([A-Z]*)([0-9]*)")


def _sort_key(code: DenialCode) -> tuple[int, str, str, int]:
    m = _num_re().match(code.code)
    assert m is not None
    prefix, num = m.group(1), m.group(2)
    return (_SYSTEM_ORDER[code.system], code.code_set, prefix, int(num) if num else -1)


_STOP_WORDS: Final = frozenset(
    [
        "a",
        "an",
        "and",
        "are",
        "as",
        "at",
        "be",
        "by",
        "for",
        "from",
        "has",
        "have",
        "in",
        "is",
        "it",
        "its",
        "of",
        "on",
        "or",
        "the",
        "to",
        "was",
        "were",
        "with",
    ]
)
_CACHE_LIMIT: Final = 4096


def _respelled(ref: CodeRef) -> str:
    """The other published spelling of a RARC number: MA1 <-> MA01."""
    prefix, num = _prefix(ref.code), ref.code[len(_prefix(ref.code)) :]
    if ref.system is not CodeSystem.RARC or not num:
        return ref.code
    return prefix + (num.lstrip("0") or "0" if num.startswith("0") else num.zfill(2))


def _prefix(code: str) -> str:
    m = _num_re().match(code)
    return m.group(1) if m else code


def _edits(a: str, b: str, limit: int) -> int:
    """The edit distance of ``a`` and ``b`` (optimal string alignment: change, add, drop or
    swap two neighbours), or ``limit + 1`` once it is sure to exceed ``limit``."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    prev2: list[int] = []
    prev = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        cur = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = a[i - 1] != b[j - 1]
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                cur[j] = min(cur[j], prev2[j - 2] + 1)
        if min(cur) > limit:
            return limit + 1
        prev2, prev = prev, cur
    return prev[-1]


def _number(code: str) -> int:
    m = _num_re().match(code)
    return int(m.group(2)) if m and m.group(2) else -1


_SUFFIXES: Final = ("ations", "ation", "ings", "ing", "ies", "ed", "es", "s")


def _stem(word: str) -> str:
    """A light suffix stripper so "bundled", "bundling" and "bundles" meet."""
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[: -len(suffix)]
    return word


def _words(text: str) -> list[str]:
    return [_stem(w) for w in _word_re().findall(text.lower()) if w not in _STOP_WORDS]


@functools.cache
def _word_re() -> re.Pattern[str]:
    # compiled on the first search, not at import
    return re.compile(r"[a-z0-9]+")


class _Indexed:
    """One code's search fields (private, built on the first search)."""

    __slots__ = ("category", "code", "extra", "extra_words", "prior", "summary", "words")

    def __init__(
        self,
        code: DenialCode,
        words: frozenset[str],
        summary: str,
        extra_words: frozenset[str],
        extra: str,
        category: frozenset[str],
        prior: float,
    ) -> None:
        self.code = code
        self.words = words
        self.summary = summary
        self.extra_words = extra_words
        self.extra = extra
        self.category = category
        self.prior = prior


#: Billing vocabulary: a query word widens to its neighbours (at half weight); stemmed by
#: :func:`_thesaurus` on the first search.
_THESAURUS: Final[tuple[str, ...]] = (
    "authorization authorisation precertification preauthorization precert notification",
    "referral referred referring",
    "duplicate duplicated resubmitted repeat",
    "timely late filing limit",
    "necessity necessary medically",
    "bundled bundling included inclusive incidental",
    "coordination cob primary secondary",
    "eligibility eligible coverage covered enrolled terminated",
    "npi identifier",
    "deductible coinsurance copay copayment",
    "modifier modifiers",
    "diagnosis diagnoses icd",
    "records documentation attachment attachments",
    "noncovered non excluded exclusion",
    "workers compensation injury",
    "frequency limit maximum exceeded",
)


@functools.cache
def _thesaurus() -> tuple[frozenset[str], ...]:
    return tuple(frozenset(_stem(w) for w in group.split()) for group in _THESAURUS)


def _neighbours(term: str) -> frozenset[str]:
    out: set[str] = set()
    for group in _thesaurus():
        if term in group:
            out |= group
    return frozenset(out - {term})


class CodeTable:
    """An immutable collection of denial codes with lookup, search and filters.

    ``default_table()`` returns the shipped tables (CARC, RARC, group codes and the
    care-management family) plus any plugin code sets, loaded on first use.

    >>> table = default_table()
    >>> "CO-16" in table, "N290" in table, "XYZ" in table
    (True, True, False)
    >>> len(table.filter(system="GROUP"))
    5
    """

    __slots__ = (
        "_cache",
        "_codes",
        "_extend",
        "_extended",
        "_groups",
        "_index",
        "_lazy",
        "_lock",
        "release",
    )

    def __init__(
        self,
        codes: Iterable[DenialCode],
        *,
        release: Mapping[str, str] | None = None,
        extend: Callable[[CodeTable], Iterable[DenialCode]] | None = None,
        _presorted: bool = False,
    ) -> None:
        """Build a table from codes (later duplicates of a code are rejected).

        Args:
            codes: the codes.
            release: which list release each code set comes from, e.g. ``{"carc": "2025-11-01"}``.
            extend: called once, on the first miss or full iteration, to add plugin codes.
        """
        table: dict[str, DenialCode] = {}
        for c in codes:
            if not isinstance(c, DenialCode):
                raise TypeError(f"a CodeTable holds DenialCode objects, not {type(c).__name__}")
            if c.code in table:
                raise ValueError(f"code {c.code} appears twice in one table")
            table[c.code] = c
        if not _presorted:
            table = dict(sorted(table.items(), key=lambda kv: _sort_key(kv[1])))
        self._setup(table, None, release, extend)
        self._groups = _group_records(c for c in table.values() if c.system is CodeSystem.GROUP)

    @classmethod
    def _from_rows(
        cls,
        rows: LazyRows,
        *,
        release: Mapping[str, str] | None = None,
        extend: Callable[[CodeTable], Iterable[DenialCode]] | None = None,
    ) -> CodeTable:
        """A table over undecoded shipped rows (in table order): a row is decoded when a
        lookup first asks for it, every row when anything reads the whole table."""
        self = cls.__new__(cls)
        self._setup({}, rows, release, extend)
        groups = (rows.get(k) for k in rows.groups)
        self._groups = _group_records(c for c in groups if c is not None)
        return self

    def _setup(
        self,
        codes: dict[str, DenialCode],
        lazy: LazyRows | None,
        release: Mapping[str, str] | None,
        extend: Callable[[CodeTable], Iterable[DenialCode]] | None,
    ) -> None:
        self._codes = codes
        self._lazy = lazy
        self._cache: dict[str, DenialCode] = {}
        self._lock = allocate_lock()
        self._extend = extend
        self._extended = extend is None
        self._index: list[_Indexed] | None = None
        self.release: Mapping[str, str] = dict(release or {})

    # -- lazily decoded rows -----------------------------------------------------------
    def _code(self, key: str) -> DenialCode | None:
        """The code ``key``, decoding its row when the table was opened lazily."""
        lazy = self._lazy
        if lazy is not None:
            return lazy.get(key)
        return self._codes.get(key)

    def _decoded(self) -> dict[str, DenialCode]:
        """Every code, decoded, in order (without plugin code sets unless already added)."""
        lazy = self._lazy
        if lazy is not None:
            self._codes = lazy.decode_all()
            self._lazy = None
        return self._codes

    # -- plugin extension (lazy) -------------------------------------------------------
    def _ensure_extended(self) -> None:
        if self._extended:
            return
        with self._lock:
            extend = self._extend
            if self._extended or extend is None:
                return
            added = list(extend(self))
            merged = dict(self._decoded())
            for c in added:
                merged.setdefault(c.code, c)
            self._codes = dict(sorted(merged.items(), key=lambda kv: _sort_key(kv[1])))
            self._index = None
            self._cache.clear()
            self._extended = True

    def _all(self) -> dict[str, DenialCode]:
        self._ensure_extended()
        return self._decoded()

    # -- container protocol ------------------------------------------------------------
    def __iter__(self) -> Iterator[DenialCode]:
        return iter(list(self._all().values()))

    def __len__(self) -> int:
        return len(self._all())

    def __contains__(self, item: object) -> bool:
        if isinstance(item, DenialCode):
            return self._all().get(item.code) is not None
        if isinstance(item, str):
            return self.get(item) is not None
        return False

    @tolerant
    def __repr__(self) -> str:
        counts: dict[str, int] = {}
        for c in self._decoded().values():
            counts[c.system.value] = counts.get(c.system.value, 0) + 1
        inner = ", ".join(f"{k}={v}" for k, v in counts.items())
        return f"<CodeTable {inner}>"

    # -- lookups ---------------------------------------------------------------------
    def get(self, text: str) -> DenialCode | None:
        """The code for ``text``, or ``None`` for any string that is not a known code.

        Never raises for a ``str``; a non-string raises ``TypeError``.

        >>> default_table().get("N290").system.value
        'RARC'
        >>> default_table().get("CO-") is None
        True
        """
        try:
            hit = self._cache.get(text)
        except TypeError:
            hit = None
        if hit is not None:
            return hit
        if not isinstance(text, str):
            raise TypeError(f"a code must be given as str, not {type(text).__name__}")
        try:
            return self._resolve(parse(text), text)
        except (InvalidCodeError, UnknownCodeError):
            return None

    def lookup(self, text: str) -> DenialCode:
        """The code for ``text``; raises when it is not a known code.

        Raises:
            TypeError: ``text`` is not a ``str``.
            InvalidCodeError: ``text`` is not a code in the grammar (a ``ValueError``).
            UnknownCodeError: a well-formed code that is not in the table (a ``LookupError``),
                with up to three ``suggestions``.

        >>> default_table().lookup("ma130").code
        'MA130'
        """
        try:
            hit = self._cache.get(text)
        except TypeError:
            hit = None
        if hit is not None:
            return hit
        if not isinstance(text, str):
            raise TypeError(f"a code must be given as str, not {type(text).__name__}")
        return self._resolve(parse(text), text)

    def _resolve(self, ref: CodeRef, text: str | None = None) -> DenialCode:
        code = self._code(ref.code)
        if code is None:
            self._ensure_extended()
            code = self._code(ref.code) or self._code(_respelled(ref))
        if code is None:
            sugg = self.suggest(ref.code, system=ref.system)
            hint = f"; did you mean {', '.join(sugg)}?" if sugg else ""
            raise UnknownCodeError(
                f"{ref.system.value} code {ref.code} is not in the code tables{hint}",
                code=ref.code,
                suggestions=sugg,
            )
        if ref.group is not None:
            if code.system is not CodeSystem.CARC:
                raise InvalidCodeError(
                    f"a group code qualifies a reason code (CARC), not the "
                    f"{code.system.value} code {ref.code}"
                )
            code = code.with_group(self._groups.get(ref.group) or _fallback_group(ref.group))
        if text is not None and len(self._cache) < _CACHE_LIMIT:
            self._cache[text] = code
        return code

    def resolve(self, ref: CodeRef) -> DenialCode:
        """The code for an already parsed reference (raises like :meth:`lookup`)."""
        return self._resolve(ref)

    def group(self, code: str) -> GroupCode:
        """The group code record for ``"CO"``, ``"PR"``, ``"OA"``, ``"PI"`` or ``"CR"``."""
        g = self._groups.get(code.strip().upper()) if isinstance(code, str) else None
        if g is None:
            raise InvalidCodeError(f"{_describe(code)} is not a group code (CO, PR, OA, PI, CR)")
        return g

    def suggest(
        self, code: str, n: int = 3, *, system: CodeSystem | None = None
    ) -> tuple[str, ...]:
        """Up to ``n`` existing codes close to ``code`` (for "did you mean"), only of
        ``system`` when it is given.

        Numeric neighbours with the same letter prefix come first (``N813`` suggests
        ``N812``), then codes one edit away (two for codes of five characters or more: a
        character changed, added, dropped, or two swapped) whose prefix is the same or, when
        it has two letters or more, a typo of it (``CMM21`` suggests ``CCM21``). A code that
        only shares digits with ``code`` is not close: ``XYZ123`` suggests nothing.

        >>> default_table().suggest("N813")
        ('N812', 'N811', 'N815')
        >>> default_table().suggest("CMM21")[0], default_table().suggest("XYZ123")
        ('CCM21', ())
        """
        pool = self._all()
        codes = [k for k, c in pool.items() if system is None or c.system is system]
        m = _num_re().match(code)
        prefix, digits = (m.group(1), m.group(2)) if m else ("", "")
        same = [c for c in codes if _prefix(c) == prefix]
        out: list[str] = []
        if digits and same:
            num = int(digits)
            near = sorted((abs(_number(c) - num), _number(c), c) for c in same if _number(c) >= 0)
            out = [c for d, _, c in near if d <= 5][:n]
        limit = 1 if len(code) < 5 else 2
        spelled = sorted(
            (d, c) for c in codes if c not in out and (d := _edits(code, c, limit)) <= limit
        )
        out += [c for _, c in spelled if _prefix(c) == prefix or len(prefix) > 1]
        return tuple(out[:n])

    # -- search ----------------------------------------------------------------------
    def _search_index(self) -> list[_Indexed]:
        idx = self._index
        if idx is None:
            idx = []
            for c in self._all().values():
                words = frozenset(_words(c.summary + " " + (c.title or "") + " " + c.code.lower()))
                k = c.knowledge
                extra = ""
                if k is not None:
                    extra = " ".join((*k.causes, k.how_to_appeal, *k.details))
                cat = frozenset(_words(c.category.label + " " + c.category.value))
                prior = (1.15 if c.system is CodeSystem.CARC else 1.0) * (
                    1.3 if k is not None else 1.0
                )
                if c.category is Category.INFORMATIONAL:
                    prior *= 0.7
                if c.status is Status.DEACTIVATED:
                    prior *= 0.8
                idx.append(
                    _Indexed(
                        c,
                        words,
                        c.summary.lower(),
                        frozenset(_words(extra)),
                        extra.lower(),
                        cat,
                        prior,
                    )
                )
            self._index = idx
        return idx

    def search(self, query: str, *, limit: int = 10) -> list[DenialCode]:
        """Codes ranked by how well their code, summary and category match ``query``.

        Words in the summary weigh most, then the category, then the knowledge entry (causes
        and appeal advice); a small thesaurus of billing terms widens the query
        ("prior authorization" also matches "precertification"); current CARCs and the codes
        teams meet most rank a little higher. An exact code comes first.

        >>> [c.code for c in default_table().search("prior authorization", limit=3)][0]
        '197'
        """
        if not isinstance(query, str):
            raise TypeError(f"a search query must be a str, not {type(query).__name__}")
        if isinstance(limit, bool) or not isinstance(limit, int) or limit < 1:
            raise ValueError("limit must be a positive whole number")
        q = query.strip()
        if not q or len(q) > 500:
            return []
        exact = self.get(q) if len(q) <= _MAX_TEXT else None
        terms = _words(q)
        phrase = " ".join(terms)
        neighbours = [_neighbours(t) for t in terms]
        scored: list[tuple[float, int, DenialCode]] = []
        if terms:
            for i, e in enumerate(self._search_index()):
                score = 0.0
                for t, near in zip(terms, neighbours, strict=True):
                    if t in e.words:
                        score += 3.0
                    elif near & e.words:
                        score += 1.5  # a synonym from the billing thesaurus
                    elif t in e.extra_words:
                        score += 1.0
                    if t in e.category:
                        score += 2.0
                if score <= 0:
                    continue
                if len(terms) > 1:
                    if phrase in e.summary:
                        score += 3.0
                    elif phrase in e.extra:
                        score += 1.5
                scored.append((score * e.prior - len(e.words) / 200.0, i, e.code))
        scored.sort(key=lambda t: (-t[0], t[1]))
        out = [c for _, _, c in scored]
        if exact is not None:
            out = [exact] + [c for c in out if c.code != exact.code]
        return out[:limit]

    # -- views -----------------------------------------------------------------------
    def filter(
        self,
        *,
        system: CodeSystem | str | None = None,
        category: Category | str | None = None,
        active_on: date | None = None,
        code_set: str | None = None,
    ) -> CodeTable:
        """A new table with the codes that pass every given filter.

        Raises:
            ValueError: an unknown system or category name.
            TypeError: ``active_on`` is not a date.

        >>> t = default_table().filter(system="CARC", category="authorization")
        >>> "197" in t, "16" in t
        (True, False)
        """
        sys_ = CodeSystem(system.upper() if isinstance(system, str) else system) if system else None
        cat = Category(category) if category else None
        from datetime import date

        if active_on is not None and not isinstance(active_on, date):
            raise TypeError(f"active_on must be a datetime.date, not {type(active_on).__name__}")
        keep = [
            c
            for c in self._all().values()
            if (sys_ is None or c.system is sys_)
            and (cat is None or c.category is cat)
            and (code_set is None or c.code_set == code_set)
            and (active_on is None or c.is_active(active_on))
        ]
        return CodeTable(keep, release=self.release)

    def to_records(self) -> list[dict[str, object]]:
        """One plain dict per code (see :meth:`DenialCode.to_record`)."""
        return [c.to_record() for c in self._all().values()]

    def to_frame(self) -> pandas.DataFrame:
        """The table as a pandas DataFrame (needs the ``pandas`` extra).

        Raises:
            ImportError: pandas is not installed; install ``denialkit[pandas]``.
        """
        try:
            import pandas as pd
        except ImportError as exc:  # pragma: no cover - depends on the environment
            raise ImportError(
                "CodeTable.to_frame() needs pandas: pip install 'denialkit[pandas]'"
            ) from exc
        return pd.DataFrame.from_records(self.to_records())

    def _repr_html_(self) -> str:
        import html

        e = html.escape
        codes = list(self._all().values())
        head = (
            "<tr><th>Code</th><th>System</th><th>Category</th><th>Status</th><th>Summary</th></tr>"
        )
        rows = "".join(
            f"<tr><td>{e(c.code)}</td><td>{e(c.system.value)}</td><td>{e(c.category.label)}"
            f"</td><td>{e(c.status.value)}</td><td>{e(c.summary)}</td></tr>"
            for c in codes[:50]
        )
        more = f"<p>… and {len(codes) - 50} more codes</p>" if len(codes) > 50 else ""
        return (
            f'<div class="denialkit-table"><p>{len(codes)} codes</p>'
            f"<table>{head}{rows}</table>{more}</div>"
        )

    # -- overlays --------------------------------------------------------------------
    def with_codes(self, codes: Iterable[DenialCode]) -> CodeTable:
        """A new table with more codes; a code that already exists is kept as it was and
        the clash is reported with a :class:`~denialkit.exceptions.CodeSetClashWarning`."""
        from ._tables import merge_codeset

        base = list(self._all().values())
        return CodeTable(
            merge_codeset(base, list(codes), source="added codes"), release=self.release
        )

    def with_official_text(self, path: str | os.PathLike[str]) -> CodeTable:
        """A new table whose codes carry the official text from the user's own CSV export.

        The CSV needs the columns ``code`` and ``description``; ``start_date``,
        ``last_modified_date`` and ``stop_date`` (ISO dates) are optional and, when present,
        replace the shipped dates. Codes the shipped tables do not know are skipped and
        reported in one warning.

        Raises:
            DataError: the file cannot be read or a row is malformed (names file and row).
        """
        from ._tables import read_official_csv

        updates = read_official_csv(path, self._all())
        codes = [updates.get(c.code, c) for c in self._all().values()]
        return CodeTable(codes, release=self.release)


_PATIENT_BILLABLE: Final[Mapping[str, bool | None]] = {
    "CO": False,
    "PR": True,
    "OA": False,
    "PI": False,
    "CR": None,
}


def _group_records(codes: Iterable[DenialCode]) -> dict[str, GroupCode]:
    return {
        c.code: GroupCode(
            code=c.code,
            name=c.title or c.code,
            meaning=c.summary,
            patient_billable=_PATIENT_BILLABLE.get(c.code),
        )
        for c in codes
    }


def _fallback_group(code: str) -> GroupCode:
    return GroupCode(code=code, name=code, meaning="", patient_billable=_PATIENT_BILLABLE.get(code))


_DEFAULT: CodeTable | None = None
_DEFAULT_LOCK = allocate_lock()


def default_table() -> CodeTable:
    """The shipped code tables plus plugin code sets, loaded once on first use.

    >>> default_table() is default_table()
    True
    """
    global _DEFAULT
    if _DEFAULT is None:
        with _DEFAULT_LOCK:
            if _DEFAULT is None:
                from ._tables import open_builtin, plugin_codes

                rows, release = open_builtin()
                _DEFAULT = CodeTable._from_rows(rows, release=release, extend=plugin_codes)
    return _DEFAULT


def get(text: str) -> DenialCode | None:
    """The code for ``text`` in the default table, or ``None`` (never raises for a str).

    >>> get("co-16").code, get("XYZ")
    ('16', None)
    """
    return (default_table() if _DEFAULT is None else _DEFAULT).get(text)


def lookup(text: str) -> DenialCode:
    """The code for ``text`` in the default table.

    Raises:
        TypeError: ``text`` is not a ``str``.
        InvalidCodeError: the text is not a code (a ``ValueError``).
        UnknownCodeError: a well-formed code that is not known (a ``LookupError``), with
            ``suggestions``.

    >>> lookup("CCM21").summary != ""
    True
    >>> lookup("CO-999")
    Traceback (most recent call last):
    ...
    denialkit.exceptions.UnknownCodeError: CARC code 999 is not in the code tables; did you mean ...
    """
    return (default_table() if _DEFAULT is None else _DEFAULT).lookup(text)


def search(query: str, *, limit: int = 10) -> list[DenialCode]:
    """Codes in the default table ranked by relevance to ``query``.

    >>> search("prior authorization")[0].code
    '197'
    """
    return (default_table() if _DEFAULT is None else _DEFAULT).search(query, limit=limit)


_LAZY: Final = frozenset({"Advice", "PlanRule", "Service"})


def __getattr__(name: str) -> Any:
    # Advice, PlanRule and Service are created on first use (see denialkit._advice)
    if name in _LAZY:
        from ._advice import Advice, PlanRule, Service

        value = {"Advice": Advice, "PlanRule": PlanRule, "Service": Service}[name]
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    # the lazy names are listed too (tools such as Sphinx autodoc and IPython completion
    # find a module's members through dir())
    return sorted(set(globals()) | _LAZY)
