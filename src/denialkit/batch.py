"""Appeal letters in bulk: a remittance in, one decision per claim that needs work out.

This module composes the two halves of denialkit: :mod:`denialkit.remit` reads the 835 and
says which claims and lines need work; :mod:`denialkit.letters` writes letters. It sits a
floor above both, so that the reader never imports the letters, the templates or the
deadlines.

:func:`appeals` walks a source and decides, for every claim that needs work, whether an
appeal letter is the remedy, writing it when it is and saying why not when it is not; each
decision is a :class:`ClaimAppeal`. ``denialkit remit FILE --appeals DIR`` writes them to a
folder with an ``index.csv``.

>>> from datetime import date
>>> from denialkit import batch, remit
>>> from denialkit.claim import Provider
>>> practice = Provider(name="Valley Family Medicine", npi="1234567893")
>>> for a in batch.appeals(remit.sample(), provider=practice, letter_date=date(2026, 5, 4)):
...     print(a.position, a.codes, a.amount, a.written, a.reason or a.letter.template)
2 ('CO-197', 'N54') 300 False the remittance lacks what a letter needs: services: ...
3 ('CO-50', 'N115') 60 True builtin/carc-50.txt.j2
4 ('CO-16', 'N290') 120 False the recommended action is 'Correct and resubmit', not an appeal
9 ('CO-29',) 200 False the recommended action is 'Write off as contractual', not an appeal

The old names ``denialkit.remit.appeals`` and ``denialkit.remit.ClaimAppeal`` still work for
one release and warn with a :class:`DeprecationWarning`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Final

import attrs

import denialkit.claim
from denialkit.claim import Payer, PlanType, Provider
from denialkit.claim import ServiceLine as ClaimServiceLine
from denialkit.codes import Action, DenialCode
from denialkit.exceptions import ClaimDataError
from denialkit.remit import ROUTINE_ACTIONS, ClaimPayment, DenialItem, RemittanceHeader, Source
from denialkit.remit._claim import one_line, to_claim, work_codes
from denialkit.remit._links import Work, same_set, work

if TYPE_CHECKING:
    from denialkit.deadlines import Deadline
    from denialkit.letters import Letter
    from denialkit.templates import TemplateRegistry

from denialkit._repr import tolerant

__all__ = ["ClaimAppeal", "appeals", "file_stem"]

_CODE_KEY: Final = re.compile(r"[A-Z]{1,3}-[A-Z0-9]{1,6}")
_ZERO: Final = Decimal(0)
_BATCH_SERVICES: Final = (
    "(appeals(services={patient control number: [...]}), or --services FILE on the command line)"
)


@attrs.frozen(repr=False)
class ClaimAppeal:
    """One claim of a remittance that needs work, and what the batch did with it.

    :func:`appeals` yields one for every claim with work to do: a letter
    when the recommended action is an appeal, otherwise ``letter=None`` and a ``reason``.
    The ``repr`` shows position, action, codes and amount, never patient data.

    Attributes:
        position: the claim's 1-based position among the source's claims (CLP segments).
        claim: the claim payment as read.
        items: the claim's :class:`~denialkit.remit.DenialItem` s (claim level first, then
            lines), as :func:`~denialkit.remit.denials` finds them.
        codes: every code that needs work, as the remittance shows it: reason codes with
            their group and the remark codes beside them, e.g. ``("CO-50", "N115")``, and
            the claim's own remark codes (``MIA``/``MOA``), each once.
        amount: the amount at stake: the sum of the items' amounts.
        action: the recommended action for the claim: ``Action.APPEAL`` when any of its
            codes calls for an appeal, else the first code's action; ``None`` when no code
            is known, and for a claim that a reversal of the same transaction set takes
            back (``reason`` says where the reversal and the corrected claim are).
        letter: the appeal letter, or ``None`` when none was written.
        reason: why no letter was written (never patient data), or ``None``.
        missing: the facts the letter lacks (marked ``[MISSING: ...]`` in it); with
            ``strict=True``, the facts whose absence held the letter back.
        deadline: the first appeal deadline, when the plan type and the dates allow one.
    """

    position: int
    claim: ClaimPayment
    items: tuple[DenialItem, ...]
    codes: tuple[str, ...]
    amount: Decimal
    action: Action | None
    letter: Letter | None = None
    reason: str | None = None
    missing: tuple[str, ...] = ()
    deadline: Deadline | None = None

    @tolerant
    def __repr__(self) -> str:
        action = self.action.value if self.action is not None else None
        return (
            f"<ClaimAppeal {self.position} action={action} codes={self.codes!r} "
            f"amount={self.amount} letter={'yes' if self.letter is not None else 'no'}>"
        )

    @property
    def written(self) -> bool:
        """Whether a letter was written."""
        return self.letter is not None

    @property
    def claim_number(self) -> str:
        """The claim number a letter uses (the payer's claim control number, CLP07, else
        the patient control number, CLP01); patient data, to keep out of logs."""
        return one_line(self.claim.payer_claim_number or self.claim.patient_control_number)

    @property
    def slug(self) -> str:
        """The position, zero-padded, and the claim number reduced to letters, digits and
        hyphens (at most 40 of them), as a safe file-name stem, e.g. ``"0003-ACME26001003"``."""
        return file_stem(self.position, self.claim_number)

    @property
    def errors(self) -> int:
        """How many error-level findings the validator has on the letter (0 without one)."""
        return len(self.letter.report.errors) if self.letter is not None else 0


_SLUG_BAD: Final = re.compile(r"[^A-Za-z0-9]+")


def file_stem(position: int, number: str) -> str:
    """``"0003-ACME26001003"``: position and a safe slug of the claim number."""
    slug = _SLUG_BAD.sub("-", number).strip("-")[:40].strip("-")
    return f"{position:04d}-{slug or 'claim'}"


def _paths(exc: ClaimDataError) -> str:
    return "; ".join(f"{p}: {m}" for p, m in exc.problems)


def _plain_reason(action: Action) -> str:
    return f"the recommended action is '{action.label}', not an appeal"


def _routine(payment: ClaimPayment) -> tuple[Action, str] | None:
    """For a denied claim (status 4) none of whose adjustments needs work: the action of its
    first adjustment with a known code and an amount, and a reason naming it; ``None`` when
    it has none (the remittance then gives no reason code at all)."""
    for _, a in payment.iter_adjustments():
        if a.code is not None and a.amount is not None and a.amount > _ZERO:
            shown = f" ({a.key})" if _CODE_KEY.fullmatch(a.key) else ""
            return a.code.action, (
                f"the claim is denied (status 4), but its adjustments are routine{shown}: "
                f"the recommended action is '{a.code.action.label}', not an appeal"
            )
    return None


def _deadline(item: DenialItem, payer: Payer | None) -> Deadline | None:
    from denialkit.exceptions import DeadlineError

    try:
        if payer is None:
            return item.deadline()
        return item.deadline(payer.plan_type.value, window_days=payer.appeal_window_days)
    except DeadlineError:
        return None


def _decide(
    position: int,
    payment: ClaimPayment,
    items: tuple[DenialItem, ...],
    provider: Provider,
    payer: Payer | None,
    registry: TemplateRegistry | None,
    today: date,
    strict: bool,
    services: tuple[ClaimServiceLine, ...] | None = None,
) -> ClaimAppeal:
    from denialkit.exceptions import LetterValidationError, MissingFactsError
    from denialkit.letters import appeal

    codes = work_codes(items)
    amount = sum((i.amount for i in items), _ZERO)
    first_action: Action | None = None
    letter_codes: dict[str, DenialCode] = {}
    appealed_items: list[DenialItem] = []
    unknown: list[str] = []
    for item in items:
        explained = item.explanations()
        appealed = False
        for e in explained:
            if first_action is None:
                first_action = e.action
            if e.action is Action.APPEAL:
                appealed = True
                letter_codes.setdefault(e.reason.key, e.reason)
                for r in e.remarks:  # the line's remarks, then the claim's (MIA/MOA)
                    letter_codes.setdefault(r.key, r)
        unknown.extend(a.key for a in item.adjustments if a.code is None)
        if appealed:
            appealed_items.append(item)

    def skipped(action: Action | None, why: str, missing: tuple[str, ...] = ()) -> ClaimAppeal:
        return ClaimAppeal(
            position,
            payment,
            items,
            codes,
            amount,
            action,
            reason=why,
            missing=missing,
            deadline=_deadline(items[0], payer),
        )

    if not letter_codes:
        routine = _routine(payment) if first_action is None and not unknown else None
        if first_action is not None:
            why = _plain_reason(first_action)
        elif routine is not None:
            first_action, why = routine
        elif unknown:
            shown = [k for k in dict.fromkeys(unknown) if _CODE_KEY.fullmatch(k)]
            why = (
                f"the code tables do not know the reason code{'s' if len(shown) > 1 else ''} "
                f"{', '.join(shown)}: look at the claim by hand"
                if shown
                else "the code tables do not know the reason code: look at the claim by hand"
            )
        else:
            why = "the remittance gives no reason code for this denied claim: look at it by hand"
        return skipped(first_action, why)

    try:
        # the services of the items appealed: every line for a claim-level denial, else
        # only the lines appealed (never a paid line, nor a line to correct and resubmit)
        claim = to_claim(payment, appealed_items, provider=provider, payer=payer, services=services)
    except ClaimDataError as exc:
        why = f"the remittance lacks what a letter needs: {_paths(exc)}"
        # in a batch the services as billed come by patient control number, not per claim
        why = why.replace("(to_claim(services=...))", _BATCH_SERVICES)
        return skipped(Action.APPEAL, why)
    claim = claim.evolve(denial=attrs.evolve(claim.denial, codes=tuple(letter_codes)))
    try:
        letter = appeal(
            tuple(letter_codes.values()),
            claim,
            registry=registry,
            letter_date=today,
            strict=strict,
        )
    except ClaimDataError as exc:  # e.g. a service or notice date after the letter date
        return skipped(Action.APPEAL, f"the letter cannot be written: {_paths(exc)}")
    except MissingFactsError as exc:
        why = "strict: the letter lacks facts, so none was written"
        return skipped(Action.APPEAL, why, exc.missing)
    except LetterValidationError as exc:
        rules = ", ".join(dict.fromkeys(getattr(f, "rule_id", "?") for f in exc.findings))
        return skipped(Action.APPEAL, f"strict: the letter fails its own check ({rules})")
    return ClaimAppeal(
        position,
        payment,
        items,
        codes,
        amount,
        Action.APPEAL,
        letter=letter,
        missing=letter.missing,
        deadline=letter.deadline,
    )


def _tname(value: object) -> str:
    return "None" if value is None else type(value).__name__


def _check_payer(payer: object) -> Payer | None:
    """``payer`` checked as the claim format checks a payer object: the wrong type is a
    ``TypeError``, a wrong field (a plan type given as a plain string, a window out of
    range, a name that is not text) a ``ClaimDataError`` naming the path."""
    if payer is None:
        return None
    if not isinstance(payer, Payer):
        raise TypeError(f"payer must be a denialkit Payer or None, not {_tname(payer)}")
    from denialkit.claim import _Checker

    problems: list[tuple[str, str]] = []
    fields = {k: v for k, v in attrs.asdict(payer, recurse=False).items() if v is not None}
    plan: object = fields.pop("plan_type", None)
    if isinstance(plan, PlanType):
        fields["plan_type"] = plan.value
    else:  # a plain "medicare" is not a PlanType: .value would fail deep in the batch
        choices = ", ".join(f"PlanType.{p.name}" for p in PlanType)
        problems.append(("payer.plan_type", f"expected a PlanType ({choices})"))
    checker = _Checker()
    checker.payer(fields, "payer")
    problems.extend(checker.problems)
    if problems:
        raise ClaimDataError(problems)
    return payer


def appeals(
    source: Source | Iterable[ClaimPayment],
    *,
    provider: Provider,
    payer: Payer | None = None,
    registry: TemplateRegistry | None = None,
    letter_date: date | None = None,
    strict: bool = False,
    # (the public path, for the docs: ClaimServiceLine is this module's own name)
    services: Mapping[str, Sequence[denialkit.claim.ServiceLine]] | None = None,
) -> Iterator[ClaimAppeal]:
    """An appeal letter for every claim whose denial calls for one, and why not for the rest.

    For every claim with work to do (as :func:`denialkit.remit.denials` finds it) this
    yields one :class:`ClaimAppeal`, in file order:

    - when a code that needs work recommends an appeal (its explanation's action is
      ``appeal``), ``letter`` is the letter from :func:`denialkit.appeal`, built from
      :meth:`~denialkit.remit.ClaimPayment.to_claim`. It answers the codes that call for an
      appeal (with the remark codes beside them, then the claim's ``MIA``/``MOA`` remark
      codes) and lists the services they concern: every line when the denial is at claim
      level, else only the lines appealed (never a paid line);
    - otherwise ``letter`` is ``None`` and ``reason`` says why: a claim whose recommended
      action is to correct and resubmit, to send information or to bill another payer gets
      no letter (a corrected claim, not an appeal, is the remedy); a code the tables do not
      know needs a person's look; a denied claim whose adjustments are all routine is
      listed with the action its first code recommends; and a claim the 835 cannot describe
      fully (no service line, no service date, no patient name) is listed with the paths it
      lacks;
    - a claim that a reversal (status 22) later in the same transaction set takes back gets
      no letter: the payer took that decision back. It is listed with ``action=None`` and a
      ``reason`` naming the positions of the reversal and of the corrected claim, which is
      decided on its own. Each transaction set's claims come out at its end, once it is
      known which of them it reverses.

    Nothing is dropped silently: every claim that needs work comes out, with a letter or
    a reason. Names and ids read from the 835 reach the letter on one line (see
    :meth:`~denialkit.remit.ClaimPayment.to_claim`).

    Args:
        source: a path, a binary file object, ``bytes``, or claims already read.
        provider: the practice that appeals (name, address, NPI, signer).
        payer: the payer and its appeals address, for every claim; default: the payer named
            in each remittance, plan type from the claim filing indicator where certain.
        registry: the template registry (default: the built-in and installed packs).
        letter_date: the date on every letter (default: today).
        strict: read the remittance strictly (failed checks raise
            :class:`~denialkit.exceptions.X12ParseError`) and write no letter that lacks a
            fact: such a claim comes back with ``letter=None`` and ``missing`` set.
        services: the services as billed (:class:`denialkit.claim.ServiceLine`) of the
            claims you name by patient control number (CLP01, as in the 835): a claim named
            here lists these services in its letter instead of the 835's, as
            :meth:`~denialkit.remit.ClaimPayment.to_claim` does with ``services=``. Give them
            for a claim the payer answered as a whole, without service lines (an inpatient
            DRG claim): the 835 carries no procedure code for its letter, and without them
            the claim comes back with a reason saying so.

    Raises:
        TypeError: an argument has the wrong type (raised at once).
        ClaimDataError: ``payer`` has a wrong field, e.g. a plan type given as a plain string
            instead of a :class:`~denialkit.claim.PlanType` (raised at once).
        X12ParseError: while iterating, for malformed or truncated data.

    >>> from datetime import date
    >>> from denialkit import remit
    >>> from denialkit.claim import Provider
    >>> practice = Provider(name="Valley Family Medicine", npi="1234567893")
    >>> done = list(appeals(remit.sample(), provider=practice, letter_date=date(2026, 5, 4)))
    >>> [a.slug for a in done if a.written]
    ['0003-ACME26001003']
    """
    from denialkit.remit import _claims_of

    if not isinstance(provider, Provider):
        raise TypeError(f"provider must be a denialkit Provider, not {_tname(provider)}")
    payer = _check_payer(payer)
    if registry is not None:
        from denialkit.templates import TemplateRegistry

        if not isinstance(registry, TemplateRegistry):
            raise TypeError(f"registry must be a TemplateRegistry, not {_tname(registry)}")
    if letter_date is not None and (
        isinstance(letter_date, datetime) or not isinstance(letter_date, date)
    ):
        raise TypeError(f"letter_date must be a datetime.date, not {_tname(letter_date)}")
    if not isinstance(strict, bool):
        raise TypeError("strict must be True or False")
    billed = _check_services(services)
    claims = _claims_of(source, strict)
    return _batch(claims, provider, payer, registry, letter_date or date.today(), strict, billed)


def _check_services(
    services: object,
) -> dict[str, tuple[ClaimServiceLine, ...]]:
    """``services`` checked for its type, keyed by the claim number without blanks."""
    if services is None:
        return {}
    if not isinstance(services, Mapping):
        raise TypeError(
            "services must be a mapping of patient control numbers (CLP01) to lists of "
            f"denialkit.claim.ServiceLine, not {_tname(services)}"
        )
    out: dict[str, tuple[ClaimServiceLine, ...]] = {}
    for key, lines in services.items():
        if not isinstance(key, str):
            raise TypeError(f"services: a key is a {_tname(key)}, not a patient control number")
        if isinstance(lines, (str, bytes)) or not isinstance(lines, Sequence):
            raise TypeError(f"services: a value is a {_tname(lines)}, not a list of service lines")
        for line in lines:
            if not isinstance(line, ClaimServiceLine):
                raise TypeError(
                    f"services: an entry is a {_tname(line)}, not a denialkit.claim.ServiceLine"
                )
        out[key.strip()] = tuple(lines)
    return out


def _batch(
    claims: Iterator[ClaimPayment],
    provider: Provider,
    payer: Payer | None,
    registry: TemplateRegistry | None,
    today: date,
    strict: bool,
    billed: Mapping[str, tuple[ClaimServiceLine, ...]],
) -> Iterator[ClaimAppeal]:
    header: RemittanceHeader | None = None
    written: dict[tuple[object, ...], int] = {}  # this transaction set's letters, by subject
    for w in work(claims, ROUTINE_ACTIONS):
        if w.reversed_by is not None:
            yield _reversed(w, payer)
            continue
        if not same_set(header, w.claim.header):
            header, written = w.claim.header, {}
        subject = _subject(w.claim, w.items)
        first = written.get(subject)
        if first is not None:
            yield _repeated(w, first, payer)
            continue
        given = billed.get(w.claim.patient_control_number.strip()) if billed else None
        done = _decide(
            w.position, w.claim, w.items, provider, payer, registry, today, strict, given
        )
        if done.written:
            written[subject] = w.position
        yield done


def _subject(claim: ClaimPayment, items: tuple[DenialItem, ...]) -> tuple[object, ...]:
    """What a letter about this claim would be about: the claim numbers (CLP01, CLP07) and
    each item's line (procedure, modifiers, dates, charge) and codes with their amounts. A
    payer that splits one claim into two CLPs sends two claims with the same numbers; they
    are the same letter only when their denied lines are the same too."""
    parts: list[object] = [
        claim.patient_control_number.strip(),
        (claim.payer_claim_number or "").strip(),
    ]
    for item in items:
        line = item.line
        where: object = (
            (claim.charge, claim.payment)
            if line is None
            else (line.procedure, line.modifiers, line.start, line.end, line.charge)
        )
        parts.append((where, tuple((a.key, a.amount) for a in item.adjustments)))
    return tuple(parts)


def _repeated(w: Work, first: int, payer: Payer | None) -> ClaimAppeal:
    """A claim that repeats, in the same transaction set, the claim numbers and the denied
    lines of a claim that got a letter: one letter answers both."""
    return _no_letter(
        w,
        f"the remittance repeats claim {first} here (the same CLP01 and CLP07 and the same "
        f"denied lines and codes): the letter of claim {first} answers both",
        _deadline(w.items[0], payer),
    )


def _no_letter(w: Work, reason: str, deadline: Deadline | None) -> ClaimAppeal:
    """Held work listed without a letter (no action to take), with the reason why."""
    return ClaimAppeal(
        w.position,
        w.claim,
        w.items,
        work_codes(w.items),
        sum((i.amount for i in w.items), _ZERO),
        None,
        reason=reason,
        deadline=deadline,
    )


def _reversed(w: Work, payer: Payer | None) -> ClaimAppeal:
    """A claim the same transaction set reverses: no letter (the payer took its decision
    back), and a reason naming where the reversal and the corrected claim are."""
    assert w.reversed_by is not None
    where = f"the remittance reverses this claim (CLP02 22, claim {w.reversed_by[0]})"
    if w.corrected_by is not None:
        where += (
            f" and decides it again (claim {w.corrected_by[0]}, listed on its own when it "
            "needs work)"
        )
    else:
        where += " and holds no corrected claim after the reversal"
    return _no_letter(
        w, f"{where}: the decision on it was taken back, so there is nothing to appeal", None
    )
