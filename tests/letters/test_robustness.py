"""Junk into every public entry point of the letter modules: only documented typed errors.

Each entry point has a table of junk input -> the exact exception (type and message) it must
raise, or ``None`` when the input is valid and the call must succeed. An entry point that
raises anything else, or nothing where an error is expected, fails its row.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import attrs
import pytest

from denialkit.claim import Claim
from denialkit.exceptions import (
    ClaimDataError,
    DataError,
    InvalidCodeError,
    TemplateNotFoundError,
    TemplateRenderError,
)
from denialkit.letters import appeal, example_claim, format_date
from denialkit.render import render, render_html, render_markdown, render_pdf, render_text
from denialkit.templates import StringTemplate, TemplatePack, TemplateRegistry, default_registry
from denialkit.testing import check_template_pack

WHEN = date(2026, 11, 2)

JUNK: dict[str, object] = {
    "none": None,
    "empty": "",
    "emoji": "💥",
    "rlo": "\u202e",
    "huge": "x" * 1_000_000,
    "bytes": b"CCM21",
    "int": 3,
    "float": 2.5,
    "bool": True,
    "list": [],
    "dict": {},
    "object": object(),
    "datetime": datetime(2026, 1, 1, 12, 0),
}
STRINGS = ("empty", "emoji", "rlo", "huge")

Expected = tuple[type[BaseException], str] | None


def _table(name: str, default: Expected, **rows: Expected) -> list[tuple[str, str, Expected]]:
    """One row per junk value: ``default`` unless ``rows`` names that junk's key."""
    assert set(rows) <= set(JUNK), set(rows) - set(JUNK)
    return [(name, key, rows.get(key, default)) for key in JUNK]


def _type(what: str) -> Expected:
    return (TypeError, what)


NOT_A_CODE = (InvalidCodeError, r"is not a denial code|too long to be a denial code")
NO_TEMPLATE = (TemplateNotFoundError, r"no template named")


def _ccm21() -> Claim:
    return example_claim("CCM21")


def _letter() -> object:
    return appeal("CO-16", example_claim("CO-16"), letter_date=WHEN)


CALLS: dict[str, Callable[[object], object]] = {
    "appeal(code)": lambda j: appeal(j, _ccm21(), letter_date=WHEN),  # type: ignore[arg-type]
    "appeal([code])": lambda j: appeal([j], _ccm21(), letter_date=WHEN),  # type: ignore[list-item]
    "appeal(claim)": lambda j: appeal("CCM21", j, letter_date=WHEN),  # type: ignore[arg-type]
    "appeal(level=)": lambda j: appeal("CCM21", _ccm21(), level=j, letter_date=WHEN),  # type: ignore[arg-type]
    "appeal(template=)": lambda j: appeal("CCM21", _ccm21(), template=j, letter_date=WHEN),  # type: ignore[arg-type]
    "appeal(registry=)": lambda j: appeal("CCM21", _ccm21(), registry=j, letter_date=WHEN),  # type: ignore[arg-type]
    "appeal(letter_date=)": lambda j: appeal("CCM21", _ccm21(), letter_date=j),  # type: ignore[arg-type]
    "appeal(strict=)": lambda j: appeal("CCM21", _ccm21(), strict=j, letter_date=WHEN),  # type: ignore[arg-type]
    "StringTemplate(source)": lambda j: StringTemplate(j),  # type: ignore[arg-type]
    "StringTemplate(facts=)": lambda j: StringTemplate("x", facts=(j,)),  # type: ignore[arg-type]
    "appeal(StringTemplate)": lambda j: appeal(
        "CCM21",
        _ccm21(),
        template=StringTemplate(j),
        letter_date=WHEN,  # type: ignore[arg-type]
    ),
    "registry.get": lambda j: default_registry().get(j),  # type: ignore[arg-type]
    "registry.source": lambda j: default_registry().source(j),  # type: ignore[arg-type]
    "registry.problems": lambda j: default_registry().problems(j),  # type: ignore[arg-type]
    "registry.used_names": lambda j: default_registry().used_names(j),  # type: ignore[arg-type]
    "registry.render_blocks": lambda j: default_registry().render_blocks(j, {}),  # type: ignore[arg-type]
    "TemplateRegistry(packs)": lambda j: TemplateRegistry(j, plugins=False),  # type: ignore[arg-type]
    "TemplateRegistry(override_dir=)": lambda j: (
        TemplateRegistry(
            override_dir=j,
            plugins=False,  # type: ignore[arg-type]
        ).packs
    ),
    "TemplateRegistry(max_output=)": lambda j: TemplateRegistry(max_output=j),  # type: ignore[arg-type]
    "TemplateRegistry(timeout=)": lambda j: TemplateRegistry(timeout=j),  # type: ignore[arg-type]
    "TemplatePack.from_directory": lambda j: TemplatePack.from_directory(j),  # type: ignore[arg-type]
    "TemplatePack.from_package": lambda j: TemplatePack.from_package(j),  # type: ignore[arg-type]
    "check_template_pack": lambda j: check_template_pack(j),  # type: ignore[arg-type]
    "example_claim": lambda j: example_claim(j),  # type: ignore[arg-type]
    "format_date": lambda j: format_date(j),  # type: ignore[arg-type]
    "render(format=)": lambda j: render(_letter(), j),  # type: ignore[arg-type,call-overload]
    "render_text(width=)": lambda j: render_text(_letter(), width=j),  # type: ignore[arg-type]
    "render_text": lambda j: render_text(j),  # type: ignore[arg-type]
    "render_markdown": lambda j: render_markdown(j),  # type: ignore[arg-type]
    "render_html": lambda j: render_html(j),  # type: ignore[arg-type]
    "render_pdf": lambda j: render_pdf(j),  # type: ignore[arg-type]
}

_str_ok = dict.fromkeys(STRINGS)
_name = _type("a template name must be a str")
_no_name = dict.fromkeys(STRINGS, NO_TEMPLATE)
_bad_dir = (DataError, "pack.toml: the pack has no metadata file")

TABLE = [
    *_table(
        "appeal(code)",
        _type("code must be a code string, a DenialCode or a sequence"),
        empty=(InvalidCodeError, "an empty string is not a denial code"),
        emoji=NOT_A_CODE,
        rlo=NOT_A_CODE,
        huge=NOT_A_CODE,
        list=(InvalidCodeError, "no denial code was given"),
    ),
    *_table(
        "appeal([code])",
        _type("a code must be given as str"),
        empty=(InvalidCodeError, "an empty string is not a denial code"),
        emoji=NOT_A_CODE,
        rlo=NOT_A_CODE,
        huge=NOT_A_CODE,
    ),
    *_table("appeal(claim)", _type("claim must be a denialkit Claim")),
    *_table("appeal(level=)", _type("level must be a whole number"), none=None, int=None),
    *_table(
        "appeal(template=)",
        _type("template must be a template name or a StringTemplate"),
        none=None,
        **_no_name,
    ),
    *_table("appeal(registry=)", _type("registry must be a TemplateRegistry"), none=None),
    *_table(
        "appeal(letter_date=)",
        _type("letter_date must be a datetime.date"),
        none=None,
        datetime=(ClaimDataError, "letter_date: expected a date, got a datetime"),
    ),
    *_table("appeal(strict=)", _type("strict must be True or False"), bool=None),
    *_table("StringTemplate(source)", _type("template source must be a str"), **_str_ok),
    *_table("StringTemplate(facts=)", (ValueError, "facts are lower_snake_case names other than")),
    *_table(
        "appeal(StringTemplate)",
        _type("template source must be a str"),
        empty=None,
        emoji=None,
        rlo=None,
        huge=(TemplateRenderError, "the output is longer than the 100,000-character"),
    ),
    *_table("registry.get", _name, **_no_name),
    *_table("registry.source", _name, **_no_name),
    *_table("registry.problems", _name, **_no_name),
    *_table("registry.used_names", _name, **_no_name),
    *_table("registry.render_blocks", _name, **_no_name),
    *_table(
        "TemplateRegistry(packs)",
        _type("packs must be a sequence of TemplatePack"),
        empty=None,
        list=None,
        emoji=_type("packs must hold TemplatePack objects, not str"),
        rlo=_type("packs must hold TemplatePack objects, not str"),
        huge=_type("packs must hold TemplatePack objects, not str"),
        bytes=_type("packs must hold TemplatePack objects, not int"),
    ),
    *_table(
        "TemplateRegistry(override_dir=)",
        _type("override_dir must be a str or os.PathLike"),
        none=None,
        empty=None,  # "" is "no override directory"
        emoji=(DataError, "the template override directory does not exist"),
        rlo=(DataError, "the template override directory does not exist"),
        huge=(DataError, "the template override directory does not exist"),
    ),
    *_table(
        "TemplateRegistry(max_output=)",
        (ValueError, "max_output must be a positive whole"),
        int=None,
    ),
    *_table(
        "TemplateRegistry(timeout=)",
        (ValueError, "timeout must be a positive number of seconds"),
        int=None,
        float=None,
    ),
    *_table(
        "TemplatePack.from_directory",
        _type("path must be a str or os.PathLike"),
        empty=_bad_dir,
        emoji=_bad_dir,
        rlo=_bad_dir,
        huge=_bad_dir,
    ),
    *_table(
        "TemplatePack.from_package",
        _type("package must be a str"),
        empty=(ValueError, "Empty module name"),
        emoji=(ModuleNotFoundError, "No module named"),
        rlo=(ModuleNotFoundError, "No module named"),
        huge=(ModuleNotFoundError, "No module named"),
    ),
    *_table("check_template_pack", _type("expected a TemplatePack")),
    *_table(
        "example_claim",
        _type("a code must be given as str"),
        empty=(InvalidCodeError, "an empty string is not a denial code"),
        emoji=NOT_A_CODE,
        rlo=NOT_A_CODE,
        huge=NOT_A_CODE,
    ),
    *_table("format_date", _type("expected a datetime.date"), datetime=None),
    *_table("render(format=)", (ValueError, "unknown format; use one of text, md, html, pdf")),
    *_table(
        "render_text(width=)",
        (ValueError, "width must be a whole number of at least 20 columns"),
        none=None,
    ),
    *(
        row
        for fn in ("render_text", "render_markdown", "render_html", "render_pdf")
        for row in _table(fn, _type("expected a denialkit Letter"))
    ),
]


@pytest.mark.parametrize(("call", "junk", "expected"), TABLE, ids=[f"{c}-{j}" for c, j, _ in TABLE])
def test_entry_point_with_junk(call: str, junk: str, expected: Expected) -> None:
    fn = CALLS[call]
    if expected is None:
        fn(JUNK[junk])
        return
    kind, message = expected
    with pytest.raises(kind, match=re.escape(message) if "|" not in message else message) as info:
        fn(JUNK[junk])
    assert type(info.value) is kind  # exactly the documented type


def test_every_entry_point_has_a_row_for_every_junk() -> None:
    assert {c for c, _, _ in TABLE} == set(CALLS)
    assert len(TABLE) == len(CALLS) * len(JUNK)


def test_a_pack_toml_of_junk_text_is_a_data_error(tmp_path: Path) -> None:
    for i, text in enumerate(["💥", "\u202e", "x" * 5000, "[[[", "name = 5"]):
        root = tmp_path / f"p{i}"
        root.mkdir()
        (root / "pack.toml").write_text(text, "utf-8")
        with pytest.raises(DataError, match=r"pack\.toml"):
            TemplatePack.from_directory(root)


# ------------------------------------------------------------------ claim fields

NUMBERS: dict[str, object] = {
    **JUNK,
    "1e26": Decimal("1e26"),
    "-1e26": Decimal("-1e26"),
    "inf": Decimal("Infinity"),
    "nan": Decimal("NaN"),
    "snan": Decimal("sNaN"),
    "largest": Decimal("999999999999.99"),
    "10**30": 10**30,
}


def _field(path: str, message: str) -> Expected:
    return (ClaimDataError, f"{path}: {message}")


def _claim_rows(
    name: str, path: str, default: str, **rows: Expected
) -> list[tuple[str, str, Expected]]:
    """Rows of (field, junk key, expected) for a claim field, with the junk of NUMBERS."""
    kinds = {"bytes": "bytes", "int": "int", "float": "float", "bool": "boolean"}
    kinds |= {"list": "list", "dict": "dict", "object": "object", "datetime": "datetime"}
    out = []
    for key, value in NUMBERS.items():
        if key in rows:
            want = rows[key]
        elif default == "string":
            kind = kinds.get(key) or type(value).__name__
            want = _field(path, f"expected a string, got {kind}")
        else:
            want = _field(path, default)
        out.append((name, key, want))
    return out


_long = "longer than 10000 characters"
_text_ok = dict.fromkeys(["empty", "emoji", "rlo"])
_number = {
    "int": None,
    "largest": None,
    "1e26": _field("service.{}", "is too large (at most 12 digits"),
    "-1e26": _field("service.{}", "is too large (at most 12 digits"),
    "10**30": _field("service.{}", "is too large (at most 12 digits"),
    "inf": _field("service.{}", "must be a finite number"),
    "nan": _field("service.{}", "must be a finite number"),
    "snan": _field("service.{}", "must be a finite number"),
}


def _number_rows(name: str, **rows: Expected) -> list[tuple[str, str, Expected]]:
    filled: dict[str, Expected] = {}
    for key, want in {**_number, **rows}.items():
        filled[key] = None if want is None else (want[0], want[1].format(name))
    return _claim_rows(name, f"service.{name}", "expected a number", **filled)


FIELD_BUILDERS: dict[str, Callable[[Claim, object], Claim]] = {
    "claim_number": lambda c, j: c.evolve(claim_number=j),
    "patient.name": lambda c, j: c.evolve(patient=attrs.evolve(c.patient, name=j)),
    "payer.appeals_address": lambda c, j: c.evolve(payer=attrs.evolve(c.payer, appeals_address=j)),
    "denial.reason": lambda c, j: c.evolve(denial=attrs.evolve(c.denial, reason=j)),
    "facts.care_manager_minutes": lambda c, j: c.evolve(
        facts=dict(c.facts, care_manager_minutes=j)
    ),
    "charge": lambda c, j: c.evolve(services=(attrs.evolve(c.services[0], charge=j),)),
    "units": lambda c, j: c.evolve(services=(attrs.evolve(c.services[0], units=j),)),
}
_fact = "facts.care_manager_minutes"
_fact_type = "expected a string, number, date or list of strings"
FIELD_TABLE = [
    *_claim_rows(
        "claim_number",
        "claim_number",
        "string",
        none=_field("claim_number", "required"),
        empty=_field("claim_number", "must not be empty"),
        emoji=None,
        rlo=None,
        huge=_field("claim_number", _long),
    ),
    *_claim_rows(
        "patient.name",
        "patient.name",
        "string",
        none=_field("patient.name", "required"),
        empty=_field("patient.name", "must not be empty"),
        emoji=None,
        rlo=None,
        huge=_field("patient.name", _long),
    ),
    *_claim_rows(
        "payer.appeals_address",
        "payer.appeals_address",
        "string",
        none=None,
        **_text_ok,
        huge=_field("payer.appeals_address", _long),
    ),
    *_claim_rows(
        "denial.reason",
        "denial.reason",
        "string",
        none=None,
        **_text_ok,
        huge=_field("denial.reason", _long),
    ),
    *_claim_rows(
        _fact,
        _fact,
        _fact_type,
        **_text_ok,
        huge=_field(_fact, _long),
        int=None,
        bool=None,
        list=None,
        datetime=_field(_fact, "expected a date, got a datetime"),
        inf=_field(_fact, "must be a finite number"),
        nan=_field(_fact, "must be a finite number"),
        snan=_field(_fact, "must be a finite number"),
        **dict.fromkeys(["1e26", "-1e26", "largest", "10**30"]),  # facts are not amounts
    ),
    *_number_rows("charge", none=None),
    *_number_rows("units"),
]


@pytest.mark.parametrize(
    ("field", "junk", "expected"), FIELD_TABLE, ids=[f"{f}-{j}" for f, j, _ in FIELD_TABLE]
)
def test_claim_field_with_junk(field: str, junk: str, expected: Expected, ccm21: Claim) -> None:
    """The constructor refuses junk naming the path; what it accepts makes a letter that
    renders in every text format."""
    build = FIELD_BUILDERS[field]
    if expected is not None:
        kind, message = expected
        with pytest.raises(kind, match=re.escape(message)) as info:
            build(ccm21, NUMBERS[junk])
        if isinstance(NUMBERS[junk], str) and len(NUMBERS[junk]) >= 4:  # type: ignore[arg-type]
            assert str(NUMBERS[junk])[:40] not in str(info.value)  # never the value
        return
    letter = appeal("CCM21", build(ccm21, NUMBERS[junk]), letter_date=WHEN)
    for fmt in ("text", "md", "html"):
        assert isinstance(render(letter, fmt), str)  # type: ignore[call-overload]


def test_every_claim_field_has_a_row_for_every_junk() -> None:
    assert {f for f, _, _ in FIELD_TABLE} == set(FIELD_BUILDERS)
    assert len(FIELD_TABLE) == len(FIELD_BUILDERS) * len(NUMBERS)


def test_format_date_of_a_real_date() -> None:
    assert format_date(date(2024, 2, 29)) == "February 29, 2024"


def test_a_whole_number_charge_is_billed_to_the_cent(ccm21: Claim) -> None:
    claim = ccm21.evolve(services=(attrs.evolve(ccm21.services[0], charge=48),))
    letter = appeal("CCM21", claim, letter_date=WHEN)
    assert "$48.00" in letter.text


@pytest.mark.parametrize("value", [1e26, "1e26", "-1000000000000", 10**12])
def test_from_dict_rejects_an_amount_no_claim_has(value: object, ccm21: Claim) -> None:
    data = ccm21.to_dict()
    data["services"][0]["charge"] = value
    data["services"][0]["units"] = value
    with pytest.raises(ClaimDataError, match="too large") as err:
        Claim.from_dict(data)
    assert sorted(p for p, _ in err.value.problems) == ["services[0].charge", "services[0].units"]
    assert all("too large" in m for _, m in err.value.problems)
    assert "1e26" not in str(err.value) and "1000000000000" not in str(err.value)


def test_from_dict_keeps_the_largest_amount_allowed(ccm21: Claim) -> None:
    data = ccm21.to_dict()
    data["services"][0]["charge"] = "999999999999.99"
    claim = Claim.from_dict(data)
    letter = appeal("CCM21", claim, letter_date=WHEN)
    assert "$999,999,999,999.99" in letter.text


# ------------------------------------------------------------------ evidence


@pytest.mark.parametrize("junk", list(JUNK), ids=list(JUNK))
def test_evidence_with_junk_gives_a_letter_or_a_claim_error(junk: str, ccm21: Claim) -> None:
    from denialkit.claim import Evidence

    value = JUNK[junk]
    good = ccm21.evidence[0]
    variants: list[tuple[object, ...]] = [(value,)]
    for field in ("title", "source", "date", "supports"):
        try:  # the constructor refuses junk, naming the field
            variants.append((attrs.evolve(good, **{field: value}),))
        except ClaimDataError as exc:
            assert [p.split("[")[0] for p, _ in exc.problems] == [f"evidence.{field}"]  # noqa: PT017
    for evidence in variants:
        problems: tuple[tuple[str, str], ...] = ()
        try:
            letter = appeal("CCM21", ccm21.evolve(evidence=evidence), letter_date=WHEN)
        except ClaimDataError as exc:
            problems = exc.problems
        else:
            assert isinstance(letter.enclosures, tuple)
        assert all(path.startswith("evidence") for path, _ in problems)
    with pytest.raises(ClaimDataError, match=r"evidence\.kind"):
        Evidence(value, "title")  # type: ignore[arg-type]
