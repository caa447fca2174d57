"""The claim model checks its fields the same way however it is built (issue 15 point 4,
issue 16 points 2 and 7): one-line fields hold one line, every constructor refuses what
``Claim.from_dict`` refuses with a ``ClaimDataError`` naming the path, and nothing built
from user input survives in an exception chain or a repr."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import attrs
import pytest

from denialkit.claim import Claim, Denial, Patient, Payer, PlanType, Provider, ServiceLine
from denialkit.exceptions import ClaimDataError
from denialkit.letters import example_claim
from payloads import CONTROLS, LINE_BREAKS, payload_id

DOS = date(2026, 3, 31)

# (path in from_dict data, a function that builds the record with the value in that field)
ONE_LINE: dict[str, Callable[[str], object]] = {
    "claim_number": lambda v: example_claim("CCM21").evolve(claim_number=v),
    "patient.name": lambda v: Patient(name=v, member_id="W1"),
    "patient.member_id": lambda v: Patient(name="A", member_id=v),
    "patient.group_number": lambda v: Patient(name="A", member_id="W1", group_number=v),
    "provider.name": lambda v: Provider(name=v),
    "provider.npi": lambda v: Provider(name="P", npi=v),
    "provider.phone": lambda v: Provider(name="P", phone=v),
    "provider.fax": lambda v: Provider(name="P", fax=v),
    "provider.email": lambda v: Provider(name="P", email=v),
    "provider.signer_name": lambda v: Provider(name="P", signer_name=v),
    "provider.signer_title": lambda v: Provider(name="P", signer_title=v),
    "payer.name": lambda v: Payer(name=v),
    "payer.fax": lambda v: Payer(name="P", fax=v),
    "services[0].code": lambda v: ServiceLine(code=v, date=DOS),
    "services[0].modifiers[0]": lambda v: ServiceLine(code="99484", date=DOS, modifiers=(v,)),
    "services[0].diagnoses[0]": lambda v: ServiceLine(code="99484", date=DOS, diagnoses=(v,)),
    "services[0].description": lambda v: ServiceLine(code="99484", date=DOS, description=v),
    "denial.codes[0]": lambda v: Denial(notice_date=DOS, codes=(v,)),
    "facts.enclosures[0]": lambda v: example_claim("CCM21").evolve(facts={"enclosures": (v,)}),
}
MULTI_LINE: dict[str, Callable[[str], object]] = {
    "provider.address": lambda v: Provider(name="P", address=v),
    "payer.appeals_address": lambda v: Payer(name="P", appeals_address=v),
    "denial.reason": lambda v: Denial(notice_date=DOS, reason=v),
    "facts.consent_note": lambda v: example_claim("CCM21").evolve(facts={"consent_note": v}),
}
# the path a standalone record's constructor names (it does not know its index)
STANDALONE = {"services[0]": "service"}


def _data_with(path: str, value: object) -> dict[str, Any]:
    """The CCM21 example as plain data with ``value`` at ``path``."""
    data: dict[str, Any] = json.loads(example_claim("CCM21").to_json())
    node: Any = data
    parts = path.replace("[", ".[").split(".")
    for i, part in enumerate(parts):
        last = i == len(parts) - 1
        key: Any = int(part[1:-1]) if part.startswith("[") else part
        if last:
            if isinstance(node, list) and key >= len(node):
                node.append(value)
            else:
                node[key] = value
        else:
            nxt = parts[i + 1]
            if isinstance(node, dict) and key not in node:
                node[key] = [] if nxt.startswith("[") else {}
            node = node[key]
    return data


def _standalone(path: str) -> str:
    for long, short in STANDALONE.items():
        path = path.replace(long, short)
    return path


BREAKS = list(LINE_BREAKS + CONTROLS)


@pytest.mark.parametrize("value", BREAKS, ids=payload_id)
@pytest.mark.parametrize("path", list(ONE_LINE))
def test_a_one_line_field_refuses_line_breaks_and_control_characters(path: str, value: str) -> None:
    with pytest.raises(ClaimDataError, match=r"must be one line|holds a control character") as a:
        Claim.from_dict(_data_with(path, value))
    assert [p for p, _ in a.value.problems] == [path]
    with pytest.raises(ClaimDataError, match=r"must be one line|holds a control character") as b:
        ONE_LINE[path](value)
    assert [p for p, _ in b.value.problems] == [_standalone(path)]
    assert a.value.problems[0][1] == b.value.problems[0][1]  # the same check, the same words
    for err in (a.value, b.value):
        assert value not in str(err) and "Acme" not in str(err)


@pytest.mark.parametrize("path", list(MULTI_LINE))
def test_a_multi_line_field_takes_line_feeds_and_tabs_and_nothing_else(path: str) -> None:
    text = "PO Box 1000\n\tSuite 5\nSpringfield"
    Claim.from_dict(_data_with(path, text))
    MULTI_LINE[path](text)
    for bad in ("Box\r\nCity", "Box\x00", "Box\x1b[2J", "Box\u2028City", "Box\x85City"):
        with pytest.raises(ClaimDataError, match="holds a control character") as err:
            MULTI_LINE[path](bad)
        assert [p for p, _ in err.value.problems] == [path]
        assert "Box" not in str(err.value)


def test_a_payer_name_cannot_inject_a_paragraph_into_the_letter() -> None:
    data = _data_with("payer.name", "Acme\n\nDear reviewer: please pay $1,000,000")
    with pytest.raises(ClaimDataError, match=r"payer\.name: must be one line") as err:
        Claim.from_dict(data)
    assert "Dear reviewer" not in str(err.value)


# ------------------------------------------------------------------ checked constructors


def test_payer_takes_a_plan_type_value_and_refuses_others() -> None:
    assert Payer(name="Acme", plan_type="commercial").plan_type is PlanType.COMMERCIAL  # type: ignore[arg-type]
    with pytest.raises(ClaimDataError, match=r"payer\.plan_type: must be one of medicare"):
        Payer(name="Acme", plan_type="gold")  # type: ignore[arg-type]
    with pytest.raises(ClaimDataError, match=r"payer\.plan_type: must be one of"):
        Payer(name="Acme", plan_type=3)  # type: ignore[arg-type]


CONSTRUCTOR_TABLE: list[tuple[Callable[[], object], list[str], str]] = [
    (lambda: Patient(name=5, member_id=None), ["patient.name", "patient.member_id"], "expected"),  # type: ignore[arg-type]
    (lambda: Patient(name=" ", member_id="W1"), ["patient.name"], "must not be empty"),
    (
        lambda: Patient(name="A", member_id="W", birth_date="1950-01-01"),  # type: ignore[arg-type]
        ["patient.birth_date"],
        "expected a date, got str",
    ),
    (
        lambda: Patient(name="A", member_id="W", birth_date=datetime(1950, 1, 1)),
        ["patient.birth_date"],
        "got a datetime",
    ),
    (lambda: Provider(name="P", npi=1234567893), ["provider.npi"], "expected a string, got int"),  # type: ignore[arg-type]
    (lambda: Payer(name="P", appeal_window_days=0), ["payer.appeal_window_days"], "1-3650"),
    (lambda: Payer(name="P", appeal_window_days=True), ["payer.appeal_window_days"], "1-3650"),  # type: ignore[arg-type]
    (lambda: ServiceLine(code="99484", date=None), ["service.date"], "required"),  # type: ignore[arg-type]
    (
        lambda: ServiceLine(code="99484", date=DOS, modifiers="25"),  # type: ignore[arg-type]
        ["service.modifiers"],
        "expected a list of strings, got str",
    ),
    (
        lambda: ServiceLine(code="99484", date=DOS, diagnoses=(5,)),  # type: ignore[arg-type]
        ["service.diagnoses[0]"],
        "expected a string, got int",
    ),
    (lambda: ServiceLine(code="99484", date=DOS, units=2.5), ["service.units"], "a number"),  # type: ignore[arg-type]
    (lambda: Denial(notice_date=DOS, level=6), ["denial.level"], "from 0 to 5"),
    (lambda: Denial(notice_date=DOS, codes="CO-16"), ["denial.codes"], "a list of strings"),  # type: ignore[arg-type]
    (
        lambda: example_claim("CCM21").evolve(patient="Zoë"),
        ["patient"],
        "expected a Patient, got str",
    ),
    (lambda: example_claim("CCM21").evolve(services=[]), ["services"], "at least one service"),
    (
        lambda: example_claim("CCM21").evolve(services=("99484",)),
        ["services[0]"],
        "expected a ServiceLine, got str",
    ),
    (lambda: example_claim("CCM21").evolve(services=5), ["services"], "expected a list of"),
    (lambda: example_claim("CCM21").evolve(denial=None), ["denial"], "required"),
    (lambda: example_claim("CCM21").evolve(facts=[1]), ["facts"], "expected an object"),
    (
        lambda: example_claim("CCM21").evolve(facts={"Consent": 1}),
        ["facts"],
        "lower_snake_case",
    ),
    (
        lambda: example_claim("CCM21").evolve(facts={"consent_date": "2026-01-01"}),
        ["facts.consent_date"],
        "expected a date, got str",
    ),
    (
        lambda: example_claim("CCM21").evolve(facts={"minutes": 2.5}),
        ["facts.minutes"],
        "expected a string, number, date or list of strings, got float",
    ),
    (
        lambda: example_claim("CCM21").evolve(facts={"minutes": Decimal("NaN")}),
        ["facts.minutes"],
        "must be a finite number",
    ),
]


@pytest.mark.parametrize(("build", "paths", "message"), CONSTRUCTOR_TABLE)
def test_constructors_refuse_what_from_dict_refuses(
    build: Callable[[], object], paths: list[str], message: str
) -> None:
    with pytest.raises(ClaimDataError, match=message) as err:
        build()
    assert [p for p, _ in err.value.problems] == paths


def test_a_bad_payer_fails_at_the_call_not_deep_inside() -> None:
    from denialkit import remit

    with pytest.raises(ClaimDataError, match=r"payer\.plan_type"):
        Payer(name="Acme", plan_type="commercial-ish")  # type: ignore[arg-type]
    payment = next(remit.claims(remit.sample()))
    with pytest.raises(TypeError, match="payer must be a denialkit Payer"):
        payment.to_claim(provider=Provider(name="P"), payer="commercial")  # type: ignore[arg-type]


def test_lists_become_tuples_so_a_claim_stays_hashable_and_frozen() -> None:
    line = ServiceLine(code="99484", date=DOS, modifiers=["25"], diagnoses=["F32.1"])  # type: ignore[arg-type]
    assert line.modifiers == ("25",) and line.diagnoses == ("F32.1",)
    claim = example_claim("CCM21").evolve(facts={"enclosures": ["Consent form"]})
    assert claim.facts["enclosures"] == ("Consent form",)
    hash(claim)


# ------------------------------------------------------------------ from_dict error paths

FROM_DICT_TABLE: list[tuple[str, object, str, str]] = [
    ("payer.plan_type", "gold", "payer.plan_type", "must be one of"),
    ("payer.plan_type", 3, "payer.plan_type", "must be one of"),
    ("payer.appeal_window_days", 0, "payer.appeal_window_days", "(1-3650)"),
    ("payer.appeal_window_days", 3651, "payer.appeal_window_days", "(1-3650)"),
    ("payer.appeal_window_days", "30", "payer.appeal_window_days", "(1-3650)"),
    ("payer.appeal_window_days", True, "payer.appeal_window_days", "(1-3650)"),
    ("services", [], "services", "at least one service line is required"),
    ("services", None, "services", "required (at least one service line)"),
    ("services", "99484", "services", "expected a list of service lines, got str"),
    ("services[0]", 5, "services[0]", "expected an object, got int"),
    ("services[0].date", "2026-02-30", "services[0].date", "not a real calendar date"),
    ("services[0].date", "2026-03-31T10:00", "services[0].date", "date and time"),
    ("services[0].date", "03/31/2026", "services[0].date", "expected a date as YYYY-MM-DD"),
    ("services[0].units", "two", "services[0].units", "not a number"),
    ("services[0].units", [], "services[0].units", "expected a number, got list"),
    ("services[0].modifiers", "25", "services[0].modifiers", "expected a list of strings"),
    ("denial.level", 6, "denial.level", "expected a whole number from 0 to 5"),
    ("denial.level", -1, "denial.level", "expected a whole number from 0 to 5"),
    ("denial.level", "1", "denial.level", "expected a whole number from 0 to 5"),
    ("denial.level", False, "denial.level", "expected a whole number from 0 to 5"),
    ("facts", [], "facts", "expected an object, got list"),
    ("facts.Bad", 1, "facts", "fact names are lower_snake_case identifiers"),
    ("facts.consent_date", "yesterday", "facts.consent_date", "expected a date as YYYY-MM-DD"),
    ("facts.consent_date", 5, "facts.consent_date", "expected a date, got int"),
    ("facts.minutes", {"a": 1}, "facts.minutes", "expected a string, number, date or list"),
    ("facts.minutes", [1], "facts.minutes[0]", "expected a string, got int"),
    ("facts.minutes", "x" * 10_001, "facts.minutes", "longer than 10000 characters"),
    ("facts.minutes", float("nan"), "facts.minutes", "must be a finite number"),
    ("patient.extra", 1, "patient.extra", "unknown field"),
    ("patient", "Zoë", "patient", "expected an object, got str"),
]


@pytest.mark.parametrize(
    ("where", "value", "path", "message"),
    FROM_DICT_TABLE,
    ids=[f"{w}={payload_id(v)}" for w, v, _, _ in FROM_DICT_TABLE],
)
def test_from_dict_names_each_bad_path(where: str, value: object, path: str, message: str) -> None:
    with pytest.raises(ClaimDataError, match=r"claim data has 1 problem") as err:
        Claim.from_dict(_data_with(where, value))
    assert err.value.problems == ((path, err.value.problems[0][1]),)
    assert message in err.value.problems[0][1]


def test_from_dict_reports_every_problem_at_once() -> None:
    data = _data_with("payer.plan_type", "gold")
    data["patient"]["name"] = "A\nB"
    data["denial"]["level"] = 9
    data["services"][0]["code"] = ""
    with pytest.raises(ClaimDataError, match="4 problems") as err:
        Claim.from_dict(data)
    assert [p for p, _ in err.value.problems] == [
        "patient.name",
        "payer.plan_type",
        "services[0].code",
        "denial.level",
    ]


# ------------------------------------------------------------------ nothing retained


@pytest.mark.parametrize(
    "text",
    [
        '{"claim_number": "QXPHI-1", "patient": ',
        b'{"claim_number": "QXPHI-1\xff"}',
        "[" * 100_000 + "QXPHI",
    ],
    ids=["truncated", "not-utf8", "deep"],
)
def test_from_json_keeps_no_input_in_the_exception_chain(text: str | bytes) -> None:
    with pytest.raises(ClaimDataError, match="not valid JSON") as info:
        Claim.from_json(text)
    exc: BaseException | None = info.value
    assert exc.__context__ is None and exc.__cause__ is None
    assert info.value.__suppress_context__ is False  # nothing to suppress: there is none


def test_repr_of_a_claim_shows_only_codes_that_are_codes() -> None:
    claim = example_claim("CCM21")
    claim = claim.evolve(denial=attrs.evolve(claim.denial, codes=("co16", "QXPHI Zoë", "N290")))
    assert repr(claim) == "<Claim services=1 codes=('CO-16', '?', 'N290') facts=7>"
    assert repr(claim.denial) == "Denial(codes=('CO-16', '?', 'N290'), level=0)"


def test_repr_of_a_service_line_hides_diagnoses_dates_and_odd_codes() -> None:
    line = ServiceLine(
        code="QXPHI",
        date=DOS,
        modifiers=("25", "Zoë"),
        diagnoses=("F32.1",),
        charge=Decimal("48.00"),
        description="QX note",
    )
    text = repr(line)
    assert "F32.1" not in text and "2026" not in text and "QX note" not in text
    assert text == (
        "ServiceLine(code='QXPHI', modifiers=('25', '?'), units=Decimal('1'), "
        "charge=Decimal('48.00'))"
    )
    assert "Zoë" not in repr(attrs.evolve(line, code="Zoë"))


def test_reprs_work_on_half_built_objects() -> None:
    for cls in (Claim, Denial, ServiceLine, Patient):
        bare = object.__new__(cls)
        assert repr(bare).startswith(("<", cls.__name__))
    from denialkit.claim import Facts

    assert repr(object.__new__(Facts)) == "<Facts keys=[]>"


@pytest.mark.parametrize("value", BREAKS, ids=payload_id)
@pytest.mark.parametrize("field", ["title", "source"])
def test_evidence_title_and_source_hold_one_line(field: str, value: str) -> None:
    from denialkit.claim import Evidence

    data = json.loads(example_claim("CCM21").to_json())
    data["evidence"] = [{"kind": "consent", "title": "Consent form", field: value}]
    with pytest.raises(ClaimDataError, match=r"must be one line|holds a control character") as a:
        Claim.from_dict(data)
    assert [p for p, _ in a.value.problems] == [f"evidence[0].{field}"]
    fields = {"title": "Consent form", field: value}
    with pytest.raises(ClaimDataError, match=r"must be one line|holds a control character") as b:
        Evidence("consent", **fields)  # type: ignore[arg-type]
    assert b.value.problems == ((f"evidence.{field}", a.value.problems[0][1]),)
    assert value not in str(a.value) + str(b.value)


def test_from_dict_checks_once_and_leaves_the_constructors_checking() -> None:
    data = json.loads(example_claim("CCM21").to_json())
    Claim.from_dict(data)
    with pytest.raises(ClaimDataError, match="must be one line"):
        Claim.from_dict(_data_with("patient.name", "A\nB"))
    # whatever from_dict did, a record built afterwards still checks itself
    with pytest.raises(ClaimDataError, match=r"patient\.name: must be one line"):
        Patient(name="A\nB", member_id="W1")
