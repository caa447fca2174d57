"""How the built-in rules are registered (private): :func:`_rule` makes a check function
a :class:`~denialkit.validation.Rule`."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Final

from denialkit.validation._analysis import Scan, scan
from denialkit.validation._model import Document, Finding, Rule, Severity

E, W, INF = Severity.ERROR, Severity.WARNING, Severity.INFO

RuleFn = Callable[[Rule, Document, "Scan"], Iterable[Finding]]
_NONE: Final[tuple[Finding, ...]] = ()


class _Builtin(Rule):
    """A built-in rule: metadata plus a check function."""

    def __init__(
        self,
        id: str,
        slug: str,
        severity: Severity,
        summary: str,
        hint: str,
        authority: str,
        fn: RuleFn,
    ) -> None:
        self.id = id
        self.slug = slug
        self.severity = severity
        self.summary = summary
        self.hint = hint
        self.authority = authority
        self._fn = fn

    def check(self, doc: Document) -> Iterable[Finding]:
        # a validator calls the function directly (see builtin_check); this is for a caller
        # that asks the rule itself
        return self._fn(self, doc, scan(doc)) or _NONE


_REGISTERED: list[Rule] = []


def builtin_check(rule: Rule) -> RuleFn | None:
    """For one of denialkit's own rules, its check function, which a validator calls with
    the document's shared :class:`Scan` (one call instead of two per rule); None for any
    other rule. The function returns the findings, or an empty list or ``()`` for none."""
    return rule._fn if type(rule) is _Builtin else None


_Hit = tuple[str, int | None, str | None]
"""What a finding will say: its message, text offset and claim path."""


def _report(r: Rule, doc: Document, hits: list[_Hit]) -> Iterable[Finding]:
    """The findings for ``hits``, made one at a time (a validator may stop at its limit)."""
    if not hits:
        return _NONE
    return (r.finding(doc, message, at=at, path=path) for message, at, path in hits)


def _rule(
    id: str, slug: str, severity: Severity, *, summary: str, hint: str, authority: str
) -> Callable[[RuleFn], RuleFn]:
    def register(fn: RuleFn) -> RuleFn:
        _REGISTERED.append(_Builtin(id, slug, severity, summary, hint, authority, fn))
        return fn

    return register
