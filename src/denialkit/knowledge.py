"""What a denial means for the billing team, and what to do next.

:func:`explain` takes what one remittance adjustment shows (a group code, a reason code and
its remark codes) and returns an :class:`Explanation`: every code resolved, the combined
meaning in plain language, the one recommended next action with its reason, whether and how
to appeal, the evidence to gather, and warnings about the codes themselves.

>>> from denialkit.knowledge import explain
>>> e = explain("CO-16", remarks=["N290"])
>>> e.action.value, e.appealable.value
('correct-resubmit', 'no')
>>> [c.code for c in e.remarks]
['N290']
>>> explain("PR-1").action.value
'bill-patient'
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Final

import attrs

from denialkit._repr import fields_repr

from .codes import (
    GROUP_CODES,
    Action,
    Advice,
    Appealable,
    CodeSystem,
    CodeTable,
    DenialCode,
    GroupCode,
    PlanRule,
    Status,
    default_table,
    parse,
    patient_billable_advice,
)
from .deadlines import levels
from .exceptions import InvalidCodeError

if TYPE_CHECKING:
    from datetime import date

    from .claim import PlanType

__all__ = ["Explanation", "explain"]

#: What to gather when a code has no rich entry of its own, by recommended action.
_DEFAULT_EVIDENCE: Final[dict[Action, tuple[str, ...]]] = {
    Action.APPEAL: (
        "A copy of the remittance advice or denial notice for this claim",
        "The medical records for the date of service that support the billed service",
        "A letter that states why the decision is wrong, citing the plan's own policy",
    ),
    Action.CORRECT_RESUBMIT: (
        "The corrected claim, marked as a replacement where the payer requires it",
        "A copy of the remittance showing the codes that were fixed",
    ),
    Action.SUPPLY_INFORMATION: (
        "The records, form or answer the payer asked for",
        "A copy of the payer's request, so the reply is matched to the claim",
    ),
    Action.BILL_OTHER_PAYER: (
        "The other payer's explanation of benefits or remittance",
        "The patient's current coverage details for every plan",
    ),
    Action.BILL_PATIENT: (
        "A patient statement showing the amount the plan assigned to the patient",
    ),
    Action.WRITE_OFF: ("The contract or fee schedule that sets the allowed amount",),
    Action.NO_ACTION: (),
    Action.DEPENDS: (
        "A copy of the remittance advice with every remark code on the line",
        "The payer's explanation of the remark code, when its meaning is unclear",
    ),
}


@attrs.frozen
class Explanation:
    """The explanation of one adjustment: its codes, their meaning and the next step.

    Attributes:
        reason: the reason code (a CARC, or an extension code such as CCM21), with its group.
        group: the group code, when one was given.
        remarks: the remark codes (RARCs), in the order given.
        meaning: the combined meaning in plain language.
        action: the one recommended next action; ``action_reason`` says why.
        appealable: whether an appeal is a sensible remedy; ``appeal_reason`` says why.
        how_to_appeal: how to appeal (or why not), when the knowledge base says.
        evidence: what to gather, as an enclosure checklist.
        warnings: problems with the codes themselves (inactive on the date, a missing remark
            code, a group the reason code is not used with), and a plan type's rule that
            closes the appeal route (Medicare and CO-29).
        on: the date of service the codes were checked against, when given.
        plan: the plan type the advice was given for, when given.
        plan_rule: the plan type's rule for the reason code, when it has one.
    """

    reason: DenialCode
    group: GroupCode | None
    remarks: tuple[DenialCode, ...]
    meaning: str
    action: Action
    action_reason: str
    appealable: Appealable
    appeal_reason: str
    how_to_appeal: str | None
    evidence: tuple[str, ...]
    warnings: tuple[str, ...]
    on: date | None = None
    plan: str | None = None
    plan_rule: PlanRule | None = None
    __repr__ = fields_repr

    @property
    def codes(self) -> tuple[DenialCode, ...]:
        """Every resolved code, the reason code first and then the remarks."""
        return (self.reason, *self.remarks)

    def __str__(self) -> str:
        lines = [" ".join(c.key for c in self.codes), self.meaning]
        lines.append(f"Next step: {self.action.label}. {self.action_reason}")
        lines.append(f"Appealable: {self.appealable.value}. {self.appeal_reason}")
        if self.how_to_appeal:
            lines.append(f"How to appeal: {self.how_to_appeal}")
        if self.evidence:
            lines.append("Evidence:")
            lines.extend(f"  - {e}" for e in self.evidence)
        lines.extend(f"Warning: {w}" for w in self.warnings)
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        """The explanation for a notebook: codes, meaning, next step, evidence and warnings
        (every value escaped)."""
        e = html.escape
        codes = " ".join(
            f'<code title="{e(c.category.label)}">{e(c.key)}</code>' for c in self.codes
        )
        parts = [
            f'<div class="denialkit-explanation"><p><b>{codes}</b></p>',
            f"<p>{e(self.meaning)}</p>",
            f"<p><b>Next step:</b> {e(self.action.label)}. {e(self.action_reason)}</p>",
            f"<p><b>Appealable:</b> {e(self.appealable.value)}. {e(self.appeal_reason)}</p>",
        ]
        if self.how_to_appeal:
            parts.append(f"<p><b>How to appeal:</b> {e(self.how_to_appeal)}</p>")
        if self.evidence:
            items = "".join(f"<li>{e(x)}</li>" for x in self.evidence)
            parts.append(f"<p><b>Evidence to gather:</b></p><ul>{items}</ul>")
        parts.extend(f"<p><b>Warning:</b> {e(w)}</p>" for w in self.warnings)
        parts.append("</div>")
        return "".join(parts)

    def to_dict(self) -> dict[str, object]:
        """Plain JSON-ready data."""
        return {
            "codes": [c.key for c in self.codes],
            "reason": self.reason.key,
            "group": self.group.code if self.group else None,
            "remarks": [c.code for c in self.remarks],
            "meaning": self.meaning,
            "action": self.action.value,
            "action_label": self.action.label,
            "action_reason": self.action_reason,
            "appealable": self.appealable.value,
            "appeal_reason": self.appeal_reason,
            "how_to_appeal": self.how_to_appeal,
            "evidence": list(self.evidence),
            "warnings": list(self.warnings),
            "on": self.on.isoformat() if self.on else None,
            "plan": self.plan,
            "plan_route": self.plan_rule.route if self.plan_rule else None,
            "plan_citation": self.plan_rule.citation if self.plan_rule else None,
        }


def _tokens(text: str) -> list[str]:
    """Split "CO-16 N290, M51" into code texts, keeping "CO 16" together."""
    raw = text.replace(",", " ").replace(";", " ").split()
    out: list[str] = []
    i = 0
    while i < len(raw):
        tok = raw[i]
        if (
            tok.upper() in GROUP_CODES
            and i + 1 < len(raw)
            and raw[i + 1].upper() not in GROUP_CODES
        ):
            out.append(f"{tok} {raw[i + 1]}")
            i += 2
            continue
        out.append(tok)
        i += 1
    return out


def _as_reason(table: CodeTable, text: str) -> DenialCode:
    ref = parse(text)
    if ref.system is CodeSystem.RARC:
        raise InvalidCodeError(
            f"{ref.code} is a remark code (RARC), not a reason code; pass it as a remark, "
            f"e.g. explain('CO-16', remarks=['{ref.code}'])"
        )
    if ref.system is CodeSystem.GROUP:
        raise InvalidCodeError(
            f"{ref.code} is a group code; give it with a reason code, e.g. '{ref.code}-16'"
        )
    return table.resolve(ref)


def _as_remark(table: CodeTable, text: object) -> DenialCode:
    if not isinstance(text, str):
        raise TypeError(f"remark codes must be str, not {type(text).__name__}")
    ref = parse(text)
    if ref.system is not CodeSystem.RARC or ref.group is not None:
        kind = {
            CodeSystem.CARC: "a reason code (CARC)",
            CodeSystem.GROUP: "a group code",
            CodeSystem.EXTENSION: "an extension code",
        }.get(ref.system, "a grouped code")
        raise InvalidCodeError(
            f"{ref} is {kind}, not a remark code (RARC such as N290 or MA130); "
            "only one reason code can be explained at a time"
        )
    return table.resolve(ref)


def _dedupe(items: Iterable[str]) -> tuple[str, ...]:
    seen: dict[str, None] = {}
    for item in items:
        seen.setdefault(item, None)
    return tuple(seen)


def _build(
    reason: DenialCode, remarks: tuple[DenialCode, ...], on: date | None, plan: str | None
) -> Explanation:
    group = reason.group
    warnings: list[str] = []

    # the meaning: group, reason, then what each remark adds
    parts = []
    if group is not None:
        parts.append(f"Group {group.code}: {group.meaning}")
    parts.append(reason.summary)
    for r in remarks:
        parts.append(f"{'Alert' if r.is_alert else 'Remark'} {r.code}: {r.summary}")
    meaning = " ".join(parts)

    # the advice: the reason code's (as its group changes it), refined by the remarks
    action, action_reason = reason.action, reason.action_reason
    appealable, appeal_reason = reason.appealable, reason.appeal_reason
    specific = [r for r in remarks if not r.is_alert]
    if reason.requires_remark and specific:
        # a generic reason code (16, A1, ...) means what its first remark says
        lead = specific[0]
        action, action_reason = lead.action, lead.action_reason
        appealable, appeal_reason = lead.appealable, lead.appeal_reason
    first = [reason]
    for r in specific:
        # a remark that rules out an appeal (MA130: unprocessable, correct and resubmit) wins
        if r.action is Action.CORRECT_RESUBMIT and r.appealable is Appealable.NO:
            action, action_reason = r.action, r.action_reason
            appealable, appeal_reason = r.appealable, r.appeal_reason
            first = [r, reason]  # and its evidence (a new claim, not a replacement) leads
            break
    # a remark's advice knows no group: only group PR may bill the patient
    guarded = patient_billable_advice(
        Advice(action, action_reason, appealable, appeal_reason), group.code if group else None
    )
    action, action_reason = guarded.action, guarded.action_reason

    how = reason.knowledge.how_to_appeal if reason.knowledge else None
    if how is None:
        how = next((r.knowledge.how_to_appeal for r in specific if r.knowledge), None)
    ordered = (*first, *(c for c in (reason, *remarks) if c not in first))
    evidence = (
        _dedupe(e for c in ordered if c.knowledge for e in c.knowledge.evidence)
        or _DEFAULT_EVIDENCE[action]
    )

    # a plan type can close the appeal route (Medicare: CO-29 carries no appeal right)
    rule = reason.plan_rule(plan) if plan is not None else None
    if rule is not None:
        appealable, appeal_reason = rule.appealable, rule.appeal_reason
        if action is Action.APPEAL and appealable is Appealable.NO:
            action, action_reason = Action.WRITE_OFF, rule.route

    # warnings about the codes themselves
    if on is not None:
        for c in (reason, *remarks):
            if not c.is_active(on):
                if c.stop is not None and on >= c.stop:
                    when = f"it was deactivated on {c.stop.isoformat()}"
                else:
                    when = f"it took effect on {c.start.isoformat() if c.start else '?'}"
                warnings.append(
                    f"{c.system.value} {c.code} was not active on {on.isoformat()}: {when}"
                )
    elif any(c.status is Status.DEACTIVATED for c in (reason, *remarks)):
        for c in (reason, *remarks):
            if c.status is Status.DEACTIVATED and c.stop is not None:
                warnings.append(
                    f"{c.system.value} {c.code} is deactivated (since {c.stop.isoformat()}); "
                    "give the date of service to check it was active then"
                )
    if reason.requires_remark and not specific:
        warnings.append(
            f"CARC {reason.code} is always sent with a remark code that says what is wrong, "
            "and none was given: find the RARC on the remittance (or ask the payer)"
        )
    if group is not None and reason.group_limit and group.code not in reason.group_limit:
        warnings.append(
            f"CARC {reason.code} is only used with group "
            f"{' or '.join(sorted(reason.group_limit))}, not {group.code}"
        )
    if group is not None and group.code == "CR":
        warnings.append("group CR is not used in 5010 and later remittances")
    if rule is not None and rule.appealable is Appealable.NO:
        warnings.append(
            f"under a {plan} plan, {reason.system.value} {reason.code} carries no appeal "
            f"right: {rule.route} ({rule.citation})"
        )
    if reason.system is CodeSystem.EXTENSION:
        warnings.append(
            f"{reason.code} is not an X12 code: standard remittances carry CARC and RARC codes, "
            "so expect the payer's 835 to show a standard code for the same denial"
        )
    return Explanation(
        reason=reason,
        group=group,
        remarks=remarks,
        meaning=meaning,
        action=action,
        action_reason=action_reason,
        appealable=appealable,
        appeal_reason=appeal_reason,
        how_to_appeal=how,
        evidence=evidence,
        warnings=tuple(warnings),
        on=on,
        plan=plan,
        plan_rule=rule,
    )


_CACHE: dict[tuple[object, ...], Explanation] = {}
_CACHE_LIMIT: Final = 4096


def explain(
    code: str | DenialCode,
    *,
    remarks: Sequence[str] = (),
    on: date | None = None,
    plan: PlanType | str | None = None,
    table: CodeTable | None = None,
) -> Explanation:
    """Explain one adjustment: a reason code with its group and remark codes.

    Args:
        code: the reason code as the remittance shows it (``"CO-16"``, ``"16"``,
            ``"CCM21"``), or the whole line (``"CO-16 N290 M51"``), or a resolved code.
        remarks: remark codes (RARCs), e.g. ``["N290"]``.
        on: the date of service, to check every code was active then.
        plan: the plan type (a :class:`~denialkit.claim.PlanType` or its value, such as
            ``"medicare"``), to apply its rules: for Medicare, CO-29 is not appealable and
            a warning gives the exception and reopening route.
        table: the code table to use (default: :func:`denialkit.default_table`).

    Raises:
        TypeError: ``code`` or a remark is not a string (or ``on`` not a date, or ``plan``
            neither a str nor a ``PlanType``).
        DeadlineError: ``plan`` is not a known plan type (a ``ValueError``).
        InvalidCodeError: text that is not a code, a RARC where the reason code belongs, or
            a reason code among the remarks (a ``ValueError``).
        UnknownCodeError: a well-formed code that is not known, with suggestions.

    >>> e = explain("CO-16 N290")
    >>> e.reason.key, [r.code for r in e.remarks]
    ('CO-16', ['N290'])
    >>> e = explain("CO-29", plan="medicare")
    >>> e.appealable.value, e.plan_rule.citation.startswith("Medicare Claims Processing")
    ('no', True)
    >>> explain("MA130")
    Traceback (most recent call last):
    ...
    denialkit.exceptions.InvalidCodeError: MA130 is a remark code (RARC), not a reason code; ...
    """
    if isinstance(remarks, str):
        remarks = (remarks,)
    if plan is not None:
        plan = levels(plan)[0].plan.value  # "Medicare", PlanType.MEDICARE -> "medicare"
    key: tuple[object, ...] | None = None
    hit = None
    if table is None:  # only the default table's answers are cached
        try:
            key = (code, tuple(remarks), on, plan)
            hit = _CACHE.get(key)
        except TypeError:  # an unhashable argument: the checks below say what is wrong
            key = None
    if hit is not None:
        return hit
    if on is not None:
        from datetime import date as _date

        if type(on) is not _date:
            raise TypeError(f"on must be a datetime.date, not {type(on).__name__}")
    tab = table if table is not None else default_table()
    if isinstance(code, DenialCode):
        reason = code
        extra: list[str] = []
    elif isinstance(code, str):
        toks = _tokens(code)
        if not toks:
            raise InvalidCodeError("an empty string is not a denial code")
        reason = _as_reason(tab, toks[0])
        extra = toks[1:]
    else:
        raise TypeError(f"a code must be given as str, not {type(code).__name__}")
    given: object = remarks
    if isinstance(given, (bytes, bytearray)) or not isinstance(given, Sequence):
        raise TypeError(f"remarks must be a sequence of str, not {type(given).__name__}")
    resolved = tuple(_as_remark(tab, r) for r in (*extra, *remarks))
    result = _build(reason, resolved, on, plan)
    if key is not None and len(_CACHE) < _CACHE_LIMIT:
        _CACHE[key] = result
    return result
