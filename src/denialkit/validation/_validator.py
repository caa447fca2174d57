"""The :class:`Validator` and the module-level functions (private; re-exported by
:mod:`denialkit.validation`)."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from datetime import date, datetime
from typing import TYPE_CHECKING, Final, cast

import attrs

from denialkit.claim import Claim
from denialkit.codes import DenialCode
from denialkit.exceptions import LetterValidationError, PluginLoadError, RuleError

from ._analysis import Scan, scan
from ._model import (
    _RULE_ID_RE,
    Author,
    Document,
    Finding,
    LetterLike,
    Report,
    Rule,
    Severity,
    _check_rule,
)
from .rules import RULES, RuleFn, builtin_check

if TYPE_CHECKING:
    from denialkit.record import Record, RecordFacts

__all__ = [
    "ENTRY_POINT_GROUP",
    "Validator",
    "builtin_rules",
    "check",
    "default_validator",
    "is_valid",
    "iter_findings",
    "validate",
    "validate_text",
]

ENTRY_POINT_GROUP: Final = "denialkit.rules"
"""The entry-point group third-party rules are registered under."""

_EMPTY_RULE: Final = "DK710"
_FOREIGN_RULE: Final = "DK712"
# the rules that read English wording (required content, code-specific evidence): a letter in
# another language gets DK712 instead of one finding for every element they cannot read
_WORDING_FAMILIES: Final = ("DK1", "DK5")


def _plugin_rules() -> list[tuple[Rule, str, str]]:
    """Load every ``denialkit.rules`` entry point (the same way code sets are loaded), as
    ``(rule, distribution, entry point)``."""
    from importlib.metadata import entry_points

    out: list[tuple[Rule, str, str]] = []
    taken = {r.id for r in builtin_rules()}
    for ep in entry_points(group=ENTRY_POINT_GROUP):
        dist = ep.dist.name if ep.dist is not None else "unknown distribution"
        try:
            obj: object = ep.load()
            if (isinstance(obj, type) and issubclass(obj, Rule)) or (
                callable(obj) and not isinstance(obj, Rule)
            ):
                obj = obj()
            found: list[object]
            if isinstance(obj, Rule):
                found = [obj]
            elif isinstance(obj, Iterable) and not isinstance(obj, (str, bytes)):
                found = [r() if isinstance(r, type) and issubclass(r, Rule) else r for r in obj]
            else:
                found = [obj]
        except Exception as exc:
            raise PluginLoadError(
                f"loading the rules failed ({type(exc).__name__})",
                distribution=dist,
                entry_point=ep.name,
            ) from exc
        for r in found:
            problem = _check_rule(r)
            if problem is None and isinstance(r, Rule) and r.id.startswith("DK"):
                problem = f"rule id {r.id} uses the prefix DK, which is reserved for denialkit"
            if problem is None and isinstance(r, Rule) and r.id in taken:
                problem = f"rule id {r.id} is already used by another rule; ids must be unique"
            if problem is not None:
                raise PluginLoadError(problem, distribution=dist, entry_point=ep.name)
            assert isinstance(r, Rule)
            taken.add(r.id)
            out.append((r, dist, ep.name))
    return out


def builtin_rules() -> tuple[Rule, ...]:
    """denialkit's own rules, in id order (see ``docs/rules.md``).

    >>> [r.id for r in builtin_rules()][:3]
    ['DK101', 'DK102', 'DK103']
    """
    return RULES


def _known_id(rule_id: object, ids: Mapping[str, Rule], what: str) -> str:
    if isinstance(rule_id, str) and rule_id.strip().upper() in ids:
        return rule_id.strip().upper()
    shown = (
        repr(rule_id)
        if isinstance(rule_id, str) and _RULE_ID_RE.fullmatch(rule_id.strip().upper())
        else "a value"
    )
    raise ValueError(f"{what}: {shown} is not the id of a known rule")


class Validator:
    """A choice of rules with their severities, ready to check letters.

    Args:
        rules: the rules to use; default: every built-in rule plus every installed plugin
            rule (entry-point group ``denialkit.rules``).
        select: keep only these rule ids.
        disable: drop these rule ids.
        severity: per-rule severity overrides, e.g. ``{"DK118": "error"}``.
        plugins: with ``rules=None``, whether to load plugin rules.
        today: the date "today" means (default: the current date at each check).
        max_per_rule: at most this many findings per rule are listed; one more finding then
            says that more were left out, and the rule stops (None: no limit).

    Raises:
        ValueError: an unknown rule id in ``select``, ``disable`` or ``severity``, a bad
            severity, or two rules with the same id.
        TypeError: a rule is not a :class:`Rule`.
        PluginLoadError: a plugin rule could not be loaded (names ``distribution[entry point]``).

    >>> v = Validator(disable=["DK118"], severity={"DK116": "error"})
    >>> "DK118" in v.ids, v.rule("DK116").id, v.severity_of("DK116").value
    (False, 'DK116', 'error')
    """

    def __init__(
        self,
        rules: Iterable[Rule] | None = None,
        *,
        select: Iterable[str] | None = None,
        disable: Iterable[str] = (),
        severity: Mapping[str, Severity | str] | None = None,
        plugins: bool = True,
        today: date | None = None,
        max_per_rule: int | None = 1000,
    ) -> None:
        origins: dict[str, tuple[str, str]] = {}
        if rules is None:
            pool = list(builtin_rules())
            for r, dist, name in _plugin_rules() if plugins else ():
                pool.append(r)
                origins[r.id] = (dist, name)
        else:
            given: object = rules
            if isinstance(given, (str, bytes)) or not isinstance(given, Iterable):
                raise TypeError("rules must be an iterable of Rule objects")
            pool = list(given)
        by_id: dict[str, Rule] = {}
        for r in pool:
            problem = _check_rule(r)
            if problem is not None:
                raise TypeError(problem) if not isinstance(r, Rule) else ValueError(problem)
            if r.id in by_id:
                raise ValueError(f"two rules have the id {r.id}; rule ids must be unique")
            by_id[r.id] = r
        if isinstance(select, str) or isinstance(disable, str):
            raise TypeError("select and disable take a list of rule ids, not one str")
        keep = set(by_id)
        if select is not None:
            keep = {_known_id(i, by_id, "select") for i in select}
        for i in disable:
            keep.discard(_known_id(i, by_id, "disable"))
        overrides: dict[str, Severity] = {}
        for i, sev in dict(severity or {}).items():
            rid = _known_id(i, by_id, "severity")
            try:
                overrides[rid] = Severity(sev)
            except ValueError:
                raise ValueError(
                    f"severity for {rid} must be 'error', 'warning' or 'info'"
                ) from None
        if today is not None and (isinstance(today, datetime) or not isinstance(today, date)):
            raise TypeError("today must be a datetime.date")
        if max_per_rule is not None and (
            isinstance(max_per_rule, bool) or not isinstance(max_per_rule, int) or max_per_rule < 1
        ):
            raise ValueError("max_per_rule must be a whole number from 1, or None")
        self._all = by_id
        self._rules = tuple(by_id[i] for i in sorted(keep))
        self._ids = tuple(r.id for r in self._rules)
        self._origins = origins
        # denialkit's own rules are called directly, with the document's shared scan
        self._plan: tuple[tuple[Rule, RuleFn | None], ...] = tuple(
            (r, builtin_check(r)) for r in self._rules
        )
        # an empty letter gets one finding (DK710), not one for every missing element
        self._blank_plan = (
            tuple((r, b) for r, b in self._plan if b is None or r.id == _EMPTY_RULE)
            if _EMPTY_RULE in self._ids
            else None
        )
        self._foreign_plan = (
            tuple(
                (r, b) for r, b in self._plan if b is None or not r.id.startswith(_WORDING_FAMILIES)
            )
            if _FOREIGN_RULE in self._ids
            else None
        )
        self._scan: Callable[[Document], Scan] = scan
        self._builtins = any(b is not None for _, b in self._plan)
        self._only_builtins = all(b is not None for _, b in self._plan)
        self._overrides = overrides
        self._today = today
        self._max = max_per_rule

    @property
    def rules(self) -> tuple[Rule, ...]:
        """The rules this validator runs, in id order."""
        return self._rules

    @property
    def ids(self) -> tuple[str, ...]:
        """The ids of the rules this validator runs."""
        return self._ids

    def rule(self, rule_id: str) -> Rule:
        """The rule with this id (also a disabled one).

        Raises:
            KeyError: no rule has this id.
        """
        try:
            return self._all[rule_id]
        except (KeyError, TypeError):
            raise KeyError("no rule has this id") from None

    def severity_of(self, rule_id: str) -> Severity:
        """The severity this validator gives a rule's findings."""
        return self._overrides.get(rule_id) or self.rule(rule_id).severity

    def __repr__(self) -> str:
        # works on a half-built validator too (a failed __init__ seen by a traceback
        # formatter that shows locals)
        rules, overrides = getattr(self, "_rules", None), getattr(self, "_overrides", None)
        shown = [len(x) if x is not None else "?" for x in (rules, overrides)]
        return f"<Validator rules={shown[0]} overrides={shown[1]}>"

    def document(
        self,
        letter_or_text: str | LetterLike,
        *,
        claim: Claim | None = None,
        codes: Sequence[str | DenialCode] | None = None,
        author: Author | str | None = None,
        record: Record | RecordFacts | None = None,
    ) -> Document:
        """The :class:`Document` the rules would see (see :meth:`Document.from_input`)."""
        return Document.from_input(
            letter_or_text,
            claim=claim,
            codes=codes,
            today=self._today,
            author=author,
            record=record,
        )

    def iter_findings(
        self,
        letter_or_text: str | LetterLike,
        *,
        claim: Claim | None = None,
        codes: Sequence[str | DenialCode] | None = None,
        author: Author | str | None = None,
        record: Record | RecordFacts | None = None,
    ) -> Iterator[Finding]:
        """Yield the findings rule by rule, lazily (in rule order, not sorted).

        Raises:
            TypeError: the input is not a ``str`` nor a letter object, or ``claim`` or
                ``codes`` has the wrong type (raised at once, before any rule runs).
            RuleError: while the findings are read, a rule that is not one of denialkit's own
                raised an exception (chained as the cause); it names the rule, and for a
                plugin ``distribution[entry point]``.
        """
        doc = self.document(letter_or_text, claim=claim, codes=codes, author=author, record=record)
        return self._run(doc)

    def _run(self, doc: Document) -> Iterator[Finding]:
        # the scan is only used by built-in rules, so only made when there is one
        sc = self._scan(doc) if self._builtins else cast("Scan", None)
        plan = self._plan
        if self._blank_plan is not None and not doc.text.strip():
            plan = self._blank_plan
        elif self._foreign_plan is not None and sc.not_english:
            plan = self._foreign_plan
        if self._only_builtins:
            # the usual validator: every rule is denialkit's own
            for rule, builtin in plan:
                found = builtin(rule, doc, sc)  # type: ignore[misc]
                if found:
                    yield from self._limited(rule, iter(found))
            return
        for rule, builtin in plan:
            if builtin is not None:
                found = builtin(rule, doc, sc)
                # a built-in rule returns a list, a tuple or a generator: an empty list or
                # tuple (the common case) is skipped without iterating
                if not found:
                    continue
                yield from self._limited(rule, iter(found))
            else:
                yield from self._limited(rule, self._guarded(rule, doc))

    def _guarded(self, rule: Rule, doc: Document) -> Iterator[Finding]:
        """The findings of a rule that is not denialkit's own; what it raises becomes a
        :class:`~denialkit.exceptions.RuleError`."""
        try:
            found = iter(rule.check(doc))
            while True:
                try:
                    f = next(found)
                except StopIteration:
                    return
                yield f
        except GeneratorExit:
            close = getattr(found, "close", None)
            if callable(close):
                try:
                    close()
                except Exception as exc:
                    raise self._rule_error(rule, exc) from exc
            raise
        except Exception as exc:
            raise self._rule_error(rule, exc) from exc

    def _rule_error(self, rule: Rule, exc: Exception) -> RuleError:
        origin = self._origins.get(rule.id)
        where = f" from {origin[0]}[{origin[1]}]" if origin else ""
        return RuleError(
            f"rule {rule.id}{where} raised {type(exc).__name__} while checking a letter; "
            "fix the rule or disable it",
            rule_id=rule.id,
            distribution=origin[0] if origin else None,
            entry_point=origin[1] if origin else None,
        )

    def _limited(self, rule: Rule, found: Iterator[Finding]) -> Iterator[Finding]:
        """A rule's findings with this validator's severity override and per-rule limit."""
        override = self._overrides.get(rule.id) if self._overrides else None
        limit = self._max
        for listed, f in enumerate(found):
            if override is not None and f.severity is not override:
                f = attrs.evolve(f, severity=override)
            if limit is not None and listed >= limit:
                close = getattr(found, "close", None)
                if callable(close):
                    close()
                yield Finding(
                    rule.id,
                    rule.slug,
                    override or rule.severity,
                    f"more findings of this rule were not listed (limit {limit})",
                    f.location,
                    rule.hint,
                )
                break
            yield f

    def check(
        self,
        letter_or_text: str | LetterLike,
        *,
        claim: Claim | None = None,
        codes: Sequence[str | DenialCode] | None = None,
        author: Author | str | None = None,
        record: Record | RecordFacts | None = None,
    ) -> Report:
        """Every finding, as a :class:`Report`.

        Raises:
            TypeError: as :meth:`iter_findings`.
            RuleError: as :meth:`iter_findings`.
        """
        doc = self.document(letter_or_text, claim=claim, codes=codes, author=author, record=record)
        return Report(self._run(doc), rules=self._ids)

    def validate(
        self,
        letter_or_text: str | LetterLike,
        *,
        claim: Claim | None = None,
        codes: Sequence[str | DenialCode] | None = None,
        author: Author | str | None = None,
        record: Record | RecordFacts | None = None,
    ) -> Report:
        """The report, or an exception when the letter has errors.

        Raises:
            LetterValidationError: the letter has at least one error; ``findings`` holds
                the errors.
            TypeError: as :meth:`iter_findings`.
            RuleError: as :meth:`iter_findings`.
        """
        report = self.check(letter_or_text, claim=claim, codes=codes, author=author, record=record)
        if not report.ok:
            raise _validation_error(report)
        return report

    def is_valid(
        self,
        letter_or_text: object,
        *,
        claim: object = None,
        codes: object = None,
        author: object = None,
        record: object = None,
    ) -> bool:
        """True when the letter has no error. Never raises on bad input: anything that is
        not a letter is simply not valid. A rule that fails is not bad input: its
        :class:`~denialkit.exceptions.RuleError` is raised."""
        try:
            report = self.check(
                letter_or_text,  # type: ignore[arg-type]
                claim=claim,  # type: ignore[arg-type]
                codes=codes,  # type: ignore[arg-type]
                author=author,  # type: ignore[arg-type]
                record=record,  # type: ignore[arg-type]
            )
            return report.ok
        except (TypeError, ValueError):
            return False


def _validation_error(report: Report) -> LetterValidationError:
    errors = report.errors
    shown = []
    for f in errors[:5]:
        where = f" (line {f.location.line})" if f.location.line is not None else ""
        shown.append(f"{f.rule_id} {f.slug}{where}")
    more = f" and {len(errors) - 5} more" if len(errors) > 5 else ""
    n = len(errors)
    return LetterValidationError(
        f"the letter has {n} error{'s' * (n != 1)}: {', '.join(shown)}{more}",
        findings=errors,
    )


_DEFAULT: Validator | None = None
_DEFAULT_LOCK = threading.Lock()


def default_validator() -> Validator:
    """The validator the module-level functions use: every built-in and plugin rule, built
    once on first use.

    >>> default_validator() is default_validator()
    True
    """
    global _DEFAULT
    if _DEFAULT is None:
        with _DEFAULT_LOCK:
            if _DEFAULT is None:
                _DEFAULT = Validator()
    return _DEFAULT


def _pick(validator: Validator | None) -> Validator:
    if validator is None:
        return _DEFAULT or default_validator()
    if not isinstance(validator, Validator):
        raise TypeError(f"validator must be a Validator, not {type(validator).__name__}")
    return validator


def check(
    letter_or_text: str | LetterLike,
    *,
    claim: Claim | None = None,
    codes: Sequence[str | DenialCode] | None = None,
    record: Record | RecordFacts | None = None,
    validator: Validator | None = None,
    author: Author | str | None = None,
) -> Report:
    """Check a letter object or letter text; returns a :class:`Report`.

    Args:
        letter_or_text: a ``Letter`` from :func:`denialkit.appeal` (its claim, codes, date,
            level and missing facts are used) or the text of a letter.
        claim: the claim the letter answers (overrides the letter's own).
        codes: the denial codes the letter answers (default: the letter's, else the claim's).
        record: the patient's medical record (:func:`denialkit.record.read`) or its facts;
            the DK8xx rules check the letter's minutes, scores and dates against it.
        validator: the rules to use (default: ``default_validator()``).
        author: ``"provider"`` or ``"patient"``: who writes the letter (default: worked out
            from the text; see :class:`Author`).

    Raises:
        TypeError: ``letter_or_text`` is neither a ``str`` nor a letter object (bytes must be
            decoded first), or ``claim``, ``codes``, ``validator`` or ``author`` has the wrong
            type.
        ValueError: ``author`` is a str other than ``"provider"`` or ``"patient"``.
        RuleError: a rule that is not one of denialkit's own (a plugin's) failed; see
            :meth:`Validator.iter_findings`.

    >>> check("").ok
    False
    """
    return _pick(validator).check(
        letter_or_text, claim=claim, codes=codes, author=author, record=record
    )


def validate_text(
    text: str,
    claim: Claim | None = None,
    codes: Sequence[str | DenialCode] | None = None,
    *,
    record: Record | RecordFacts | None = None,
    validator: Validator | None = None,
    author: Author | str | None = None,
) -> Report:
    """Check letter text, with the claim and codes when known.

    Raises:
        TypeError: ``text`` is not a ``str``, or another argument has the wrong type.
    """
    if not isinstance(text, str):
        raise TypeError(f"validate_text needs a str, not {type(text).__name__}")
    return _pick(validator).check(text, claim=claim, codes=codes, author=author, record=record)


def iter_findings(
    letter_or_text: str | LetterLike,
    *,
    claim: Claim | None = None,
    codes: Sequence[str | DenialCode] | None = None,
    record: Record | RecordFacts | None = None,
    validator: Validator | None = None,
    author: Author | str | None = None,
) -> Iterator[Finding]:
    """Yield findings lazily, rule by rule (see :meth:`Validator.iter_findings`).

    Raises:
        TypeError: as :func:`check`.
        RuleError: as :func:`check`, while the findings are read.
    """
    return _pick(validator).iter_findings(
        letter_or_text, claim=claim, codes=codes, author=author, record=record
    )


def validate(
    letter_or_text: str | LetterLike,
    *,
    claim: Claim | None = None,
    codes: Sequence[str | DenialCode] | None = None,
    record: Record | RecordFacts | None = None,
    validator: Validator | None = None,
    author: Author | str | None = None,
) -> Report:
    """The report when the letter has no error; otherwise raise.

    Raises:
        LetterValidationError: the letter has errors; ``.findings`` holds every error.
        TypeError: as :func:`check`.
        RuleError: as :func:`check`.

    >>> validate("Claim number: [Claim Number]")
    Traceback (most recent call last):
    ...
    denialkit.exceptions.LetterValidationError: the letter has ... errors: DK101 ...
    """
    return _pick(validator).validate(
        letter_or_text, claim=claim, codes=codes, author=author, record=record
    )


def is_valid(
    letter_or_text: object,
    *,
    claim: object = None,
    codes: object = None,
    record: object = None,
    validator: Validator | None = None,
    author: object = None,
) -> bool:
    """True when the letter has no error; False for a letter with errors and for anything
    that is not a letter. Never raises on bad input (a failing plugin rule still raises its
    :class:`~denialkit.exceptions.RuleError`).

    >>> is_valid(None), is_valid(b"bytes"), is_valid("")
    (False, False, False)
    """
    try:
        v = _pick(validator)
    except TypeError:
        return False
    return v.is_valid(letter_or_text, claim=claim, codes=codes, author=author, record=record)
