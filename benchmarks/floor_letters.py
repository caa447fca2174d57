"""How fast can ``appeal()`` of a new claim go? A floor for issue 12's speed target.

    python benchmarks/floor_letters.py

Issue 12 asks that ``appeal()`` with 8 evidence items stays within 2x a direct Jinja2 render
of the same template. ``bench_letters.py`` measures it twice: for the same claim object each
call (``appeal()`` then reuses what it derived from that claim) and for a new claim each
call. This script asks what the second figure could reach.

``floor`` does, for the CCM21 letter of ``bench_letters.eight_evidence()``, the least the
issue and the project's rules make ``appeal()`` do for a new claim, and nothing else:

- each service, notice and evidence date compared with the letter date (the claim's other
  checks ran when it was built; the floor trusts them, which ``appeal()`` does not: it checks
  a claim changed after its checks too);
- the template's context: the services as the template reads them, the facts it reads (with
  ``[MISSING: ...]`` markers), the care-minute table view, the ``enclosed`` mapping;
- the render, in the sandbox (``TemplateRegistry.render_blocks``: templates are untrusted);
- the enclosure lines (the notice, then the evidence grouped by kind and title, with dates);
- the checklist (expected evidence the claim lacks) and the warnings (deadline, codes not on
  the notice; the deadline computed as ``appeal()`` caches it);
- the layout (sender, recipient, subject, opening, quoted denial, request, signature) and
  the text.

It writes the same text as ``appeal()`` (checked before timing), and returns a tuple, not a
``Letter``. Code-level values (the code's line, the template's metadata) are read once, as
``appeal()`` caches them per code and template. Everything written for one letter is specific
to this claim's shape (a Medicare redetermination, one service); it is a measurement, not a
second ``appeal()``.

Reported, in alternating rounds (CPU time, best of several): the direct Jinja2 render,
the sandboxed render alone, the floor, and ``appeal()`` of a new claim; each over the
direct render. If the floor is over 2x, no ``appeal()`` built this way meets the target.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import jinja2
from bench_letters import LETTER_DATE, _best_cpu, _Capture, eight_evidence

from denialkit import _care_minutes
from denialkit._compat import files
from denialkit.claim import Claim, EvidenceKind
from denialkit.deadlines import deadline
from denialkit.letters import _MONTHS, appeal
from denialkit.templates import TemplateRegistry, _and_join

_KINDS = [k.value for k in EvidenceKind]


def _day(d: date) -> str:
    return f"{_MONTHS[d.month - 1]} {d.day}, {d.year}"


def make_floor(registry: TemplateRegistry, template: str, sample: Any) -> Callable[[Claim], Any]:
    """The floor for letters of ``template`` (code-level values read from ``sample``)."""
    meta = registry.get(template).meta
    expects = meta.expects
    code_line = sample.denial[0].split("\n", 1)[1]  # "- CCM21: ..." (cached per code)
    code_view = {"key": "CCM21"}
    reads = ("consent_date", "care_plan_date", "rating_scale", "rating_scale_scores")
    reads += ("care_manager_minutes", "care_manager_name", "psychiatric_consultant_name")
    views: dict[tuple[Any, ...], dict[str, object]] = {}

    def floor(claim: Claim, when: date = LETTER_DATE) -> Any:
        services, notice_day = claim.services, claim.denial.notice_date
        bad = notice_day > when or any(s.date > when for s in services)
        if bad or any(e.date is not None and e.date > when for e in claim.evidence):
            raise ValueError("a date after the letter date")
        s = services[0]
        month = f"{_MONTHS[s.date.month - 1]} {s.date.year}"
        day = _day(s.date)
        view = {
            "code": s.code,
            "modifiers": s.modifiers,
            "units": 1,
            "charge": f"${s.charge:,.2f}",
            "date": day,
            "month": month,
            "diagnoses": s.diagnoses,
            "description": s.description,
        }
        billed = ((s.code, s.units),)
        care = views.get(billed)
        if care is None:
            care = views[billed] = _care_minutes.letter_view(billed)
        # the evidence: grouped by kind and title, dates in order
        groups: dict[tuple[str, str], list[date]] = {}
        for e in claim.evidence:
            days = groups.setdefault((e.kind, e.title), [])
            if e.date is not None and e.date not in days:
                days.append(e.date)
        notice = _day(notice_day)
        enclosures = [f"Copy of the denial notice dated {notice}"]
        enclosed: dict[str, str | None] = dict.fromkeys(_KINDS)
        for (kind, title), days in groups.items():
            days.sort()
            line = f"{title} of {_and_join([_day(d) for d in days])}" if days else title
            enclosures.append(line)
            enclosed[kind] = line if enclosed[kind] is None else f"{enclosed[kind]}; {line}"
        facts = claim.facts
        context: dict[str, object] = {
            "code": code_view,
            "codes": (code_view,),
            "services": (view,),
            "service_codes": (s.code,),
            "service_dates": (s.date,),
            "plan": "medicare",
            "medicare": True,
            "level": {"number": 1, "name": "Redetermination", "request": "redetermination"},
            "payer": claim.payer.name,
            "practice": claim.provider.name,
            "notice_date": notice,
            "denial_reason": claim.denial.reason,
            "care_minutes": care,
            "enclosed": enclosed,
        }
        for name in reads:
            value = facts.get(name)
            context[name] = _day(value) if isinstance(value, date) else value
        blocks = registry.render_blocks(template, context)
        held = {e.kind for e in claim.evidence}
        checklist = tuple(i for i in expects if i.kind not in held and i.applies((s.code,), ()))
        due = deadline(claim.payer.plan_type, 1, notice_day)
        warnings = [] if (due.due - when).days > 7 else ["soon"]
        if claim.denial.codes and "CCM21" not in claim.denial.codes:
            warnings.append("not on the notice")
        p, pay, pat = claim.provider, claim.payer, claim.patient
        sender = [p.name, *p.address.split("\n"), f"Phone: {p.phone}", f"Fax: {p.fax}"]
        sender.append(f"NPI: {p.npi}")
        text = "\n\n".join(
            [
                "\n".join(sender),
                _day(when),
                "\n".join([pay.name, *pay.appeals_address.split("\n")]),
                "Re: Request for redetermination\n"
                f"Beneficiary: {pat.name}\nMedicare number: {pat.member_id}\n"
                f"Date of birth: {_day(pat.birth_date)}\n"  # type: ignore[arg-type]
                f"Claim number: {claim.claim_number}\nDate of service: {day}\n"
                f"Service: {s.code} (billed {view['charge']})\nDenial code: CCM21",
                "Dear appeals reviewer:",
                f"{p.name} asks {pay.name} for a redetermination of claim {claim.claim_number}, "
                f"for the services provided to {pat.name} on {day}.",
                f"Your notice dated {notice} denied the claim with this code:\n{code_line}",
                f'The notice gives this reason: "{" ".join(claim.denial.reason.split())}"',  # type: ignore[union-attr]
                blocks["argument"].strip(),
                f"We request a redetermination of claim {claim.claim_number}. "
                + blocks["request"].strip(),
                "Enclosures:\n" + "\n".join(f"{i}. {e}" for i, e in enumerate(enclosures, 1)),
                f"Sincerely,\n\n{p.signer_name}\n{p.signer_title}\n{p.name}\nNPI: {p.npi}",
            ]
        )
        return text + "\n", enclosures, checklist, warnings

    return floor


def main() -> int:
    claim = eight_evidence()
    registry = _Capture(plugins=False)
    letter = appeal("CCM21", claim, registry=registry, letter_date=LETTER_DATE)
    context = registry.context
    floor = make_floor(registry, letter.template, letter)
    got = floor(claim)
    if got[0] != letter.text or tuple(got[1]) != letter.enclosures:
        print("the floor does not write appeal()'s letter; fix the floor first")
        return 2
    if got[2] != letter.checklist:
        print("the floor's checklist differs from appeal()'s; fix the floor first")
        return 2

    source = files("denialkit._templates").joinpath("ccm21.txt.j2").read_text("utf-8")
    env = jinja2.Environment(undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    env.filters["and_join"] = _and_join
    direct = env.from_string(source)
    plain = TemplateRegistry(plugins=False)
    data = claim.to_dict()
    number = 300

    def fresh(fn: Callable[[Claim], object]) -> float:
        copies = iter([Claim.from_dict(data) for _ in range(number)])
        return _best_cpu(lambda: fn(next(copies)), number=number)

    best = dict.fromkeys(["direct", "sandboxed", "floor", "appeal"], float("inf"))
    for _ in range(9):
        best["direct"] = min(best["direct"], _best_cpu(lambda: direct.render(context), number))
        best["sandboxed"] = min(
            best["sandboxed"],
            _best_cpu(lambda: plain.render_blocks(letter.template, context), number),
        )
        best["floor"] = min(best["floor"], fresh(make_floor(plain, letter.template, letter)))
        best["appeal"] = min(
            best["appeal"],
            fresh(lambda c: appeal("CCM21", c, registry=plain, letter_date=LETTER_DATE)),
        )
    base = best["direct"]
    for name, label in (
        ("direct", "direct Jinja2 render (the baseline)"),
        ("sandboxed", "the same blocks rendered in denialkit's sandbox"),
        ("floor", "floor: the least appeal() must do, new claim each call"),
        ("appeal", "appeal(), new claim each call"),
    ):
        print(f"{label:58s} {best[name] * 1e6:7.1f} us  {best[name] / base:5.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
