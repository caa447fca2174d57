"""Helpers for testing code built on denialkit, starting with template packs.

A third party that ships a template pack runs :func:`check_template_pack` in its own tests:

.. code-block:: python

    from denialkit.testing import check_template_pack
    from acme_letters import pack

    def test_pack():
        check_template_pack(pack())

>>> from denialkit.templates import TemplatePack
>>> check_template_pack(TemplatePack.from_package("denialkit._templates"))
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Final

if TYPE_CHECKING:
    from .claim import Claim, FactValue
    from .codes import DenialCode
    from .templates import TemplateMeta, TemplatePack, TemplateRegistry

__all__ = ["check_template_pack", "sample_claim"]

_PROBE: Final = "{{ 7*7 }}{% if true %}probe{% endif %}<b>&"
_MARKER: Final = re.compile(r"\[MISSING: ([^\]\n]*)\]")
_LEFTOVER: Final = re.compile(r"\{\{|\}\}|\{%|%\}|\{#")
_LETTER_DATE: Final = date(2026, 6, 1)


def _sample_value(fact: str, label: str) -> FactValue:
    if fact.endswith("_date"):
        return date(2026, 1, 15)
    if any(word in fact for word in ("minutes", "count", "units", "days", "number_of")):
        return 90
    return f"sample {label}"


def sample_claim(
    facts: dict[str, FactValue] | None = None, *, plan: str = "commercial", service: str = "99213"
) -> Claim:
    """A complete, fictional claim for tests, with the given facts.

    >>> c = sample_claim({"consent_date": date(2026, 1, 5)}, plan="medicare")
    >>> c.payer.plan_type.value, len(c.facts)
    ('medicare', 1)
    """
    from .claim import Claim, Denial, Patient, Payer, PlanType, Provider, ServiceLine

    return Claim(
        claim_number="TEST-0001",
        patient=Patient(
            name="Test Patient",
            member_id="7KQ2XF3RW45",
            birth_date=date(1950, 1, 1),
            group_number="G-1",
        ),
        provider=Provider(
            name="Test Practice",
            npi="1234567893",
            address="1 Test Street\nTesttown, ST 00000",
            phone="(555) 555-0100",
            signer_name="Test Signer",
            signer_title="Billing Manager",
        ),
        payer=Payer(
            name="Test Payer",
            plan_type=PlanType(plan),
            appeals_address="Appeals, PO Box 1, Testtown, ST 00000",
            appeal_window_days=180,
        ),
        services=(ServiceLine(code=service, date=date(2026, 3, 31), charge=Decimal("100.00")),),
        denial=Denial(notice_date=date(2026, 4, 20), codes=(), reason="Test reason."),
        facts=facts or {},
    )


def _code_for(meta: TemplateMeta) -> list[DenialCode]:
    from .codes import default_table, lookup

    if meta.codes:
        return [lookup(meta.codes[0])]
    if meta.categories:
        cat = meta.categories[0]
        for c in default_table().filter(category=cat):
            return [c]
    return [lookup("CO-16")]


def _services_for(code: DenialCode) -> str:
    # a billed service the template's own logic expects (BHI codes for care management)
    if code.code == "CCM21" or code.category.value == "care-management":
        return "99492"
    return "99213"


def check_template_pack(pack: TemplatePack) -> None:
    """Check a template pack the way denialkit uses it; raise listing every problem.

    It checks that each template compiles, fills the ``argument`` block, uses exactly the
    facts it declares (via ``jinja2.meta``), serves codes that exist, and renders a complete
    letter under each plan type: with every fact present (no marker, no template syntax
    left over), with every fact missing (each gap is a ``[MISSING: <label>]`` marker of a
    declared fact, and nothing fails), with one fact missing at a time, and with template
    syntax in every fact value (it must come out literally: values are data, never source).

    Raises:
        TypeError: ``pack`` is not a :class:`~denialkit.templates.TemplatePack`.
        AssertionError: the pack has problems; the message lists all of them.
    """
    from .codes import lookup
    from .exceptions import DenialkitError
    from .templates import TemplatePack, TemplateRegistry

    if not isinstance(pack, TemplatePack):
        raise TypeError(f"expected a TemplatePack, not {type(pack).__name__}")
    reg = TemplateRegistry([pack], plugins=False, builtin=False)
    problems: list[str] = []
    for meta in pack.templates:
        name = f"{pack.name}/{meta.file}"
        try:
            found = reg.problems(name)
        except DenialkitError as exc:
            problems.append(f"{name}: {exc}")
            continue
        problems.extend(found)
        if found:
            continue
        for code in meta.codes:
            try:
                lookup(code)
            except (LookupError, ValueError):
                problems.append(f"{name}: serves code {code}, which is not in the code tables")
        problems.extend(_render_checks(reg, name, meta))
    if problems:
        raise AssertionError(
            f"template pack {pack.name!r} has {len(problems)} problem(s):\n- "
            + "\n- ".join(problems)
        )


def _render_checks(reg: TemplateRegistry, name: str, meta: TemplateMeta) -> list[str]:
    from .exceptions import DenialkitError
    from .letters import appeal

    out: list[str] = []
    codes = _code_for(meta)
    service = _services_for(codes[0])
    declared = (*meta.facts, *meta.optional_facts)
    full = {f: _sample_value(f, meta.label(f)) for f in declared}
    labels = {meta.label(f) for f in meta.facts}
    core = {
        "practice address",
        "payer appeals address",
        "signer name",
        "signer title",
        "group number",
        "contractor that made the redetermination",
    }

    def letter(facts: dict[str, FactValue], plan: str, what: str) -> str | None:
        try:
            made = appeal(
                codes,
                sample_claim(facts, plan=plan, service=service),
                template=name,
                registry=reg,
                letter_date=_LETTER_DATE,
            )
        except DenialkitError as exc:
            out.append(f"{name}: rendering {what} ({plan}) failed: {exc}")
            return None
        if not made.argument:
            out.append(f"{name}: the argument is empty {what} ({plan})")
        for label in _MARKER.findall(made.text):
            if label not in labels and label not in core:
                out.append(f"{name}: marks {label!r} missing, which is not a declared fact's label")
        return made.text

    for plan in ("medicare", "commercial"):
        text = letter(full, plan, "with every fact")
        if text is not None:
            if _MARKER.search(text):
                out.append(f"{name}: a marker is left with every fact present ({plan})")
            if _LEFTOVER.search(text):
                out.append(f"{name}: template syntax is left in the letter ({plan})")
        letter({}, plan, "with no facts")
    for fact in meta.facts:
        partial = {k: v for k, v in full.items() if k != fact}
        letter(partial, "commercial", f"without {fact}")
    probe: dict[str, FactValue] = {f: _PROBE for f in declared if not f.endswith("_date")}
    probe.update({f: v for f, v in full.items() if f not in probe})
    text = letter(probe, "commercial", "with template syntax in the facts")
    if (
        text is not None
        and probe
        and _PROBE not in text
        and any(isinstance(v, str) and v == _PROBE for v in probe.values())
    ):
        used = reg.used_names(name)
        if any(f in used for f, v in probe.items() if v == _PROBE):
            out.append(f"{name}: a fact value did not come out literally")
    return out
