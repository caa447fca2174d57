"""Junk into every public entry point of the letter modules: only documented typed errors."""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import pytest

from denialkit.claim import Claim
from denialkit.exceptions import (
    ClaimDataError,
    DataError,
    DeadlineError,
    InvalidCodeError,
    TemplateNotFoundError,
    TemplateRenderError,
    UnknownCodeError,
)
from denialkit.letters import appeal, example_claim, format_date
from denialkit.render import render, render_html, render_markdown, render_pdf, render_text
from denialkit.templates import StringTemplate, TemplatePack, TemplateRegistry, default_registry
from denialkit.testing import check_template_pack

JUNK: list[object] = [
    None,
    "",
    "💥",
    "\u202e",
    "x" * 1_000_000,
    b"CCM21",
    3,
    2.5,
    True,
    [],
    {},
    object(),
    datetime(2026, 1, 1, 12, 0),
]

# what each entry point may raise for junk (all typed; TypeError for wrong types)
ALLOWED = (
    TypeError,
    InvalidCodeError,
    UnknownCodeError,
    ClaimDataError,
    DeadlineError,
    TemplateNotFoundError,
    TemplateRenderError,
    DataError,
    ValueError,
)


def _id(junk: object) -> str:
    text = repr(junk)
    return text if len(text) <= 20 else f"{type(junk).__name__}-{len(text)}"


def _call(fn: Callable[[], object]) -> None:
    """Call ``fn``; only the documented typed errors may escape (and are swallowed)."""
    with contextlib.suppress(*ALLOWED):
        fn()


@pytest.mark.parametrize("junk", JUNK, ids=_id)
def test_appeal_with_junk_in_each_argument(junk: object, ccm21: Claim) -> None:
    when = date(2026, 11, 2)
    _call(lambda: appeal(junk, ccm21, letter_date=when))  # type: ignore[arg-type]
    _call(lambda: appeal([junk], ccm21, letter_date=when))  # type: ignore[list-item]
    _call(lambda: appeal("CCM21", junk, letter_date=when))  # type: ignore[arg-type]
    _call(lambda: appeal("CCM21", ccm21, level=junk, letter_date=when))  # type: ignore[arg-type]
    _call(lambda: appeal("CCM21", ccm21, template=junk, letter_date=when))  # type: ignore[arg-type]
    _call(lambda: appeal("CCM21", ccm21, registry=junk, letter_date=when))  # type: ignore[arg-type]
    _call(lambda: appeal("CCM21", ccm21, letter_date=junk))  # type: ignore[arg-type]
    _call(lambda: appeal("CCM21", ccm21, strict=junk, letter_date=when))  # type: ignore[arg-type]
    if isinstance(junk, str):
        _call(lambda: appeal("CCM21", ccm21, template=StringTemplate(junk), letter_date=when))


@pytest.mark.parametrize("junk", JUNK, ids=_id)
def test_claim_fields_with_junk_give_a_letter_or_a_claim_error(junk: object, ccm21: Claim) -> None:
    import attrs

    when = date(2026, 11, 2)
    variants = [
        ccm21.evolve(claim_number=junk),
        ccm21.evolve(patient=attrs.evolve(ccm21.patient, name=junk)),
        ccm21.evolve(payer=attrs.evolve(ccm21.payer, appeals_address=junk)),
        ccm21.evolve(denial=attrs.evolve(ccm21.denial, reason=junk)),
        ccm21.evolve(facts=dict(ccm21.facts, care_manager_minutes=junk))
        if isinstance(junk, (str, int, float))
        else ccm21,
    ]
    for claim in variants:
        try:
            letter = appeal("CCM21", claim, letter_date=when)
        except (ClaimDataError, TypeError):
            continue
        for fmt in ("text", "md", "html"):
            assert isinstance(render(letter, fmt), str)  # type: ignore[call-overload]


@pytest.mark.parametrize("junk", JUNK, ids=_id)
def test_evidence_with_junk_gives_a_letter_or_a_claim_error(junk: object, ccm21: Claim) -> None:
    import attrs

    from denialkit.claim import Evidence

    when = date(2026, 11, 2)
    good = ccm21.evidence[0]
    variants: list[tuple[object, ...]] = [(junk,)]
    for field in ("title", "source", "date"):
        variants.append((attrs.evolve(good, **{field: junk}),))
    if isinstance(junk, (str, list, dict)):
        variants.append((attrs.evolve(good, supports=junk),))
    else:
        with pytest.raises(TypeError, match="supports must be a sequence of fact names"):
            attrs.evolve(good, supports=junk)
    for evidence in variants:
        problems: tuple[tuple[str, str], ...] = ()
        try:
            letter = appeal("CCM21", ccm21.evolve(evidence=evidence), letter_date=when)
        except ClaimDataError as exc:
            problems = exc.problems
        else:
            assert isinstance(letter.enclosures, tuple)
        assert all(path.startswith("evidence") for path, _ in problems)
    with pytest.raises((ValueError, TypeError)):
        Evidence(junk, "title")  # type: ignore[arg-type]


@pytest.mark.parametrize("junk", JUNK, ids=_id)
def test_registry_and_pack_entry_points_with_junk(junk: object, tmp_path: Path) -> None:
    reg = default_registry()
    _call(lambda: reg.get(junk))  # type: ignore[arg-type]
    _call(lambda: reg.source(junk))  # type: ignore[arg-type]
    _call(lambda: reg.problems(junk))  # type: ignore[arg-type]
    _call(lambda: reg.used_names(junk))  # type: ignore[arg-type]
    _call(lambda: reg.render_blocks(junk, {}))  # type: ignore[arg-type]
    _call(lambda: TemplateRegistry(junk, plugins=False))  # type: ignore[arg-type]
    _call(lambda: TemplateRegistry(override_dir=junk, plugins=False).packs)  # type: ignore[arg-type]
    _call(lambda: TemplateRegistry(max_output=junk))  # type: ignore[arg-type]
    _call(lambda: TemplateRegistry(timeout=junk))  # type: ignore[arg-type]
    _call(lambda: TemplatePack.from_directory(junk))  # type: ignore[arg-type]
    try:
        TemplatePack.from_package(junk)  # type: ignore[arg-type]
    except (*ALLOWED, ModuleNotFoundError):  # documented: the package cannot be imported
        pass
    _call(lambda: StringTemplate(junk))  # type: ignore[arg-type]
    _call(lambda: StringTemplate("x", facts=(junk,)))  # type: ignore[arg-type]
    _call(lambda: check_template_pack(junk))  # type: ignore[arg-type]
    _call(lambda: example_claim(junk))  # type: ignore[arg-type]
    _call(lambda: format_date(junk))  # type: ignore[arg-type]
    if isinstance(junk, str) and junk:
        root = tmp_path / "p"
        root.mkdir()
        (root / "pack.toml").write_text(junk[:5000], "utf-8", errors="replace")
        _call(lambda: TemplatePack.from_directory(root))


@pytest.mark.parametrize("junk", JUNK, ids=_id)
def test_render_functions_with_junk(junk: object) -> None:
    for fn in (render_text, render_markdown, render_html, render_pdf):
        with pytest.raises(TypeError):
            fn(junk)  # type: ignore[arg-type]
    letter = appeal("CO-16", example_claim("CO-16"), letter_date=date(2026, 11, 2))
    _call(lambda: render(letter, junk))  # type: ignore[call-overload]
    _call(lambda: render_text(letter, width=junk))  # type: ignore[arg-type]


def test_format_date_of_a_real_date() -> None:
    assert format_date(date(2024, 2, 29)) == "February 29, 2024"


NUMBERS: list[object] = [
    *JUNK,
    Decimal("1e26"),
    Decimal("-1e26"),
    Decimal("Infinity"),
    Decimal("NaN"),
    Decimal("sNaN"),
    Decimal("999999999999.99"),
    10**30,
]


def _letter_or_error(claim: Claim) -> tuple[object, ClaimDataError | None]:
    try:
        return appeal("CCM21", claim, letter_date=date(2026, 11, 2)), None
    except ClaimDataError as exc:
        return None, exc


@pytest.mark.parametrize("junk", NUMBERS, ids=_id)
def test_service_amounts_with_junk_give_a_letter_or_a_claim_error(
    junk: object, ccm21: Claim
) -> None:
    import attrs

    line = ccm21.services[0]
    for name in ("charge", "units"):
        letter, error = _letter_or_error(
            ccm21.evolve(services=(attrs.evolve(line, **{name: junk}),))
        )
        if error is None:
            assert render(letter, "text")  # type: ignore[call-overload]
            continue
        assert {path for path, _ in error.problems} == {f"services[0].{name}"}
        if len(str(junk)) >= 4:  # the message never repeats the value
            assert str(junk)[:40] not in str(error)


def test_a_whole_number_charge_is_billed_to_the_cent(ccm21: Claim) -> None:
    import attrs

    claim = ccm21.evolve(services=(attrs.evolve(ccm21.services[0], charge=48),))
    letter = appeal("CCM21", claim, letter_date=date(2026, 11, 2))
    assert "$48.00" in letter.text


@pytest.mark.parametrize("value", [1e26, "1e26", "-1000000000000", 10**12])
def test_from_dict_rejects_an_amount_no_claim_has(value: object, ccm21: Claim) -> None:
    data = ccm21.to_dict()
    data["services"][0]["charge"] = value
    data["services"][0]["units"] = value
    with pytest.raises(ClaimDataError) as err:
        Claim.from_dict(data)
    assert sorted(p for p, _ in err.value.problems) == ["services[0].charge", "services[0].units"]
    assert all("too large" in m for _, m in err.value.problems)
    assert "1e26" not in str(err.value) and "1000000000000" not in str(err.value)


def test_from_dict_keeps_the_largest_amount_allowed(ccm21: Claim) -> None:
    data = ccm21.to_dict()
    data["services"][0]["charge"] = "999999999999.99"
    claim = Claim.from_dict(data)
    letter = appeal("CCM21", claim, letter_date=date(2026, 11, 2))
    assert "$999,999,999,999.99" in letter.text
