"""Looking codes up: what a user gets back, and the errors when the code is not there."""

from __future__ import annotations

import pickle
from datetime import date, datetime

import pytest

import denialkit
from denialkit import (
    Action,
    Appealable,
    Category,
    CodeSystem,
    InvalidCodeError,
    Status,
    UnknownCodeError,
)


def test_lookup_with_a_group_carries_the_group_and_its_meaning() -> None:
    code = denialkit.lookup("CO-16")
    assert (code.system, code.code, code.key) == (CodeSystem.CARC, "16", "CO-16")
    assert code.group is not None
    assert code.group.code == "CO"
    assert code.group.patient_billable is False
    assert denialkit.lookup("PR-1").group.patient_billable is True  # type: ignore[union-attr]
    assert "contract" in code.group.meaning.lower()


def test_lookup_without_a_group_has_none() -> None:
    code = denialkit.lookup("16")
    assert code.group is None
    assert code.key == "16"


@pytest.mark.parametrize("text", ["CO-16", "co16", "CO 16", "16", " 16 "])
def test_spellings_resolve_to_the_same_code(text: str) -> None:
    assert denialkit.lookup(text).code == "16"


def test_every_kind_of_code_resolves() -> None:
    assert denialkit.lookup("N290").system is CodeSystem.RARC
    assert denialkit.lookup("MA130").system is CodeSystem.RARC
    assert denialkit.lookup("CCM21").system is CodeSystem.EXTENSION
    assert denialkit.lookup("CCM21").code_set == "care-management"
    assert denialkit.lookup("CO").system is CodeSystem.GROUP


def test_unknown_code_raises_lookup_error_with_suggestions() -> None:
    with pytest.raises(UnknownCodeError) as info:
        denialkit.lookup("CO-999")
    assert isinstance(info.value, LookupError)
    assert info.value.code == "999"
    assert 1 <= len(info.value.suggestions) <= 3
    assert all(s in denialkit.default_table() for s in info.value.suggestions)
    assert "did you mean" in str(info.value)


def test_typo_in_rarc_suggests_neighbours() -> None:
    with pytest.raises(UnknownCodeError) as info:
        denialkit.lookup("N813")  # a gap in the published N list
    assert info.value.suggestions == ("N812", "N811", "N815")


def test_invalid_text_raises_value_error() -> None:
    with pytest.raises(InvalidCodeError) as info:
        denialkit.lookup("CO-")
    assert isinstance(info.value, ValueError)
    assert "CO-16" in str(info.value)  # the message shows a valid example


def test_group_only_qualifies_a_reason_code() -> None:
    with pytest.raises(InvalidCodeError, match="reason code"):
        denialkit.lookup("CO-N290")
    assert denialkit.get("CO-N290") is None


def test_is_active_on_a_date() -> None:
    c15 = denialkit.lookup("15")  # deactivated in 2018
    assert c15.status is Status.DEACTIVATED
    assert c15.stop == date(2018, 5, 1)
    assert c15.is_active(on=date(2018, 4, 30))
    assert not c15.is_active(on=date(2018, 5, 1))
    assert not c15.is_active()
    assert denialkit.lookup("16").is_active()
    assert not denialkit.lookup("16").is_active(on=date(1990, 1, 1))  # before it started


def test_unknown_start_date_stays_unknown() -> None:
    n923 = denialkit.lookup("N923")
    assert n923.start is None
    assert n923.is_active(on=date(2000, 1, 1))  # not invented: no start means no lower bound


def test_is_active_rejects_datetime_and_junk() -> None:
    with pytest.raises(TypeError):
        denialkit.lookup("16").is_active(on=datetime(2020, 1, 1))
    with pytest.raises(TypeError):
        denialkit.lookup("16").is_active(on="2020-01-01")  # type: ignore[arg-type]


def test_code_carries_summary_category_and_advice() -> None:
    code = denialkit.lookup("197")
    assert code.category is Category.AUTHORIZATION
    assert 0 < len(code.summary) <= 200
    assert isinstance(code.action, Action)
    assert isinstance(code.appealable, Appealable)
    assert code.official_text is None
    assert code.knowledge is not None
    assert code.knowledge.evidence


def test_requires_remark_and_group_limit_facts() -> None:
    assert denialkit.lookup("16").requires_remark
    assert not denialkit.lookup("45").requires_remark
    # "OA only, except where state workers' compensation rules require CO"
    assert denialkit.lookup("18").group_limit == frozenset({"OA", "CO"})
    assert denialkit.lookup("45").group_limit == frozenset({"PR", "CO"})


def test_records_are_immutable_and_picklable() -> None:
    code = denialkit.lookup("CO-16")
    with pytest.raises(AttributeError):
        code.summary = "changed"  # type: ignore[misc]
    again = pickle.loads(pickle.dumps(code))
    assert again == code
    assert hash(again) == hash(code)


def test_repr_and_html_are_readable() -> None:
    code = denialkit.lookup("CO-16")
    assert repr(code).startswith("<DenialCode CO-16 CARC")
    html = code._repr_html_()
    assert "<table" in html
    assert "CO-16" in html


def test_html_escapes_text() -> None:
    table = denialkit.CodeTable(
        [
            denialkit.CodeSet.from_records(
                "t", [{"code": "ZZ1", "summary": "<script>alert(1)</script>"}]
            ).codes[0]
        ]
    )
    assert "<script>" not in table._repr_html_()
    assert "&lt;script&gt;" in next(iter(table))._repr_html_()


def test_warm_lookup_returns_the_same_object() -> None:
    assert denialkit.lookup("CO-16") is denialkit.lookup("CO-16")
