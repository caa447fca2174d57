"""Denial knowledge: every code's advice, the rich entries, and explain()."""

from __future__ import annotations

import pickle
import sys
from datetime import date, datetime
from pathlib import Path

import pytest

import denialkit
from denialkit import Action, Appealable, InvalidCodeError, UnknownCodeError
from denialkit.knowledge import Explanation, explain

REPO = Path(__file__).resolve().parents[2]

RICH_CARCS = [
    "4",
    "5",
    "6",
    "9",
    "11",
    "16",
    "18",
    "19",
    "22",
    "23",
    "24",
    "26",
    "27",
    "29",
    "31",
    "40",
    "45",
    "49",
    "50",
    "51",
    "54",
    "55",
    "56",
    "58",
    "59",
    "96",
    "97",
    "107",
    "109",
    "119",
    "129",
    "140",
    "146",
    "150",
    "151",
    "167",
    "170",
    "171",
    "181",
    "182",
    "183",
    "185",
    "189",
    "197",
    "198",
    "200",
    "204",
    "208",
    "222",
    "226",
    "227",
    "234",
    "236",
    "242",
    "252",
    "256",
    "272",
    "273",
    "275",
    "288",
    "A1",
    "B7",
    "B9",
    "B11",
    "B13",
    "B15",
    "B16",
    "B20",
    "P2",
]
RICH_RARCS = [
    "M15",
    "M20",
    "M51",
    "M76",
    "M77",
    "M80",
    "M86",
    "MA04",
    "MA18",
    "MA120",
    "MA130",
    "N4",
    "N20",
    "N30",
    "N54",
    "N56",
    "N95",
    "N115",
    "N130",
    "N179",
    "N211",
    "N264",
    "N265",
    "N286",
    "N290",
    "N362",
    "N386",
    "N432",
    "N519",
    "N522",
    "N575",
    "N657",
]


def test_every_code_has_an_action_and_appealability() -> None:
    for code in denialkit.default_table():
        assert isinstance(code.action, Action)
        assert isinstance(code.appealable, Appealable)
        assert code.action_reason.strip(), code.code
        assert code.appeal_reason.strip(), code.code


@pytest.mark.parametrize(
    "text",
    RICH_CARCS
    + RICH_RARCS
    + [c.code for c in denialkit.default_table().filter(system="EXTENSION")],
)
def test_rich_entries_have_every_part(text: str) -> None:
    k = denialkit.lookup(text).knowledge
    assert k is not None, text
    assert 3 <= len(k.causes) <= 5
    assert 3 <= len(k.prevention) <= 5
    assert len(k.evidence) >= 2
    assert k.how_to_appeal
    assert k.related and all(r in denialkit.default_table() for r in k.related)
    assert k.who and set(k.who) <= {"front-desk", "coder", "clinician", "billing"}


def test_ccm21_is_complete() -> None:
    k = denialkit.lookup("CCM21").knowledge
    assert k is not None
    assert {s.code for s in k.services} == {"99484", "99492", "99493", "99494", "G2214"}
    evidence = " ".join(k.evidence).lower()
    for needle in ("consent", "care plan", "rating scale", "minutes", "psychiatric consultant"):
        assert needle in evidence, needle
    assert k.details
    assert k.related_note and "judgement" in k.related_note.lower()


@pytest.mark.parametrize(
    ("text", "action", "appealable"),
    [
        ("PR-1", Action.BILL_PATIENT, Appealable.NO),
        ("PR-2", Action.BILL_PATIENT, Appealable.NO),
        ("PR-3", Action.BILL_PATIENT, Appealable.NO),
        ("CO-45", Action.WRITE_OFF, Appealable.NO),
        ("OA-18", Action.NO_ACTION, Appealable.NO),
        ("CO-29", Action.WRITE_OFF, Appealable.DEPENDS),
    ],
)
def test_group_code_cases_from_the_issue(text: str, action: Action, appealable: Appealable) -> None:
    e = explain(text)
    assert (e.action, e.appealable) == (action, appealable)


def test_co29_appeals_only_with_proof_of_timely_filing() -> None:
    assert "proof" in explain("CO-29").appeal_reason.lower()


def test_ma130_means_correct_and_resubmit_not_appeal() -> None:
    code = denialkit.lookup("MA130")
    assert (code.action, code.appealable) == (Action.CORRECT_RESUBMIT, Appealable.NO)
    e = explain("CO-50", remarks=["MA130"])  # even a medical-necessity denial
    assert (e.action, e.appealable) == (Action.CORRECT_RESUBMIT, Appealable.NO)


def test_group_changes_the_advice() -> None:
    assert explain("CO-45").action is Action.WRITE_OFF
    assert denialkit.lookup("PR-45").action != denialkit.lookup("CO-45").action


def test_explain_resolves_codes_and_combines_meaning() -> None:
    e = explain("CO-16", remarks=["N290"])
    assert e.reason.key == "CO-16"
    assert [r.code for r in e.remarks] == ["N290"]
    assert denialkit.lookup("N290").summary in e.meaning
    assert e.group is not None and e.group.code == "CO"
    assert e.evidence
    assert e.how_to_appeal
    assert explain("CO-16 N290") == e
    assert explain("CO 16, N290").remarks == e.remarks


def test_generic_reason_takes_its_meaning_from_the_remark() -> None:
    e = explain("CO-16", remarks=["N290"])
    n290 = denialkit.lookup("N290")
    assert e.action is n290.action
    assert e.action_reason == n290.action_reason


def test_warnings() -> None:
    assert any(
        "not active on 2020-01-01" in w for w in explain("CO-15", on=date(2020, 1, 1)).warnings
    )
    assert explain("CO-16", remarks=["N290"], on=date(2026, 1, 5)).warnings == ()
    assert any("remark code" in w for w in explain("CO-16").warnings)
    assert any("only used with group CO or OA" in w for w in explain("PR-18").warnings)
    assert any("not an X12 code" in w for w in explain("CCM21").warnings)


def test_explain_ccm21_works_like_any_code() -> None:
    e = explain("CCM21")
    assert e.reason.code == "CCM21"
    assert e.action is denialkit.lookup("CCM21").action
    assert any("consent" in x.lower() for x in e.evidence)
    assert "CCM21" in str(e)


def test_wrong_kinds_of_code_are_clear_errors() -> None:
    with pytest.raises(InvalidCodeError, match="remark code"):
        explain("N290")
    with pytest.raises(InvalidCodeError, match="not a remark code"):
        explain("CO-16", remarks=["45"])
    with pytest.raises(InvalidCodeError, match="group code"):
        explain("CO")
    with pytest.raises(UnknownCodeError) as info:
        explain("CO-999")
    assert info.value.suggestions
    with pytest.raises(UnknownCodeError):
        explain("CO-16", remarks=["N813"])


@pytest.mark.parametrize("junk", [None, 16, b"CO-16", ["CO-16"], object()])
def test_junk_reason(junk: object) -> None:
    with pytest.raises(TypeError):
        explain(junk)  # type: ignore[arg-type]


@pytest.mark.parametrize("junk", ["", "💥", "\u202eCO-16", "x" * 1_000_000, "CO-"])
def test_junk_text(junk: str) -> None:
    with pytest.raises(InvalidCodeError):
        explain(junk)


def test_junk_remarks_and_dates() -> None:
    with pytest.raises(TypeError):
        explain("CO-16", remarks=[None])  # type: ignore[list-item]
    with pytest.raises(TypeError):
        explain("CO-16", remarks=5)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        explain("CO-16", on=datetime(2026, 1, 1))
    with pytest.raises(InvalidCodeError):
        explain("CO-16", remarks=["💥"])
    assert explain("CO-16", remarks="N290").remarks[0].code == "N290"


def test_explanation_is_plain_data() -> None:
    e = explain("CO-16", remarks=["N290"], on=date(2026, 1, 5))
    assert isinstance(e, Explanation)
    assert pickle.loads(pickle.dumps(e)) == e
    d = e.to_dict()
    assert d["codes"] == ["CO-16", "N290"]
    assert d["on"] == "2026-01-05"


def _build_knowledge(tmp_path: Path, name: str, text: str) -> str:
    sys.path.insert(0, str(REPO / "scripts"))
    try:
        import build_tables
        import check_knowledge as ck
    finally:
        sys.path.remove(str(REPO / "scripts"))
    folder = tmp_path / "codes"
    folder.mkdir()
    (folder / name).write_text(text, "utf-8")
    with pytest.raises(build_tables.BuildError) as info:
        build_tables.load_knowledge(folder, ck.known_codes(), ck.CopyIndex({}))
    return str(info.value)


GOOD = """
["16"]
summary = "A fine summary."
category = "missing-information"
action = "correct-resubmit"
action_reason = "Because."
appealable = "no"
appeal_reason = "Because."
"""


def test_build_names_file_and_line_for_a_misspelled_field(
    tmp_path: Path, shared_data: Path
) -> None:
    message = _build_knowledge(
        tmp_path, "bad.toml", "\n\n" + GOOD.replace("appeal_reason", "appeal_reson")
    )
    assert "bad.toml:" in message
    assert "appeal_reson" in message


def test_build_names_file_and_line_for_an_unknown_action(tmp_path: Path, shared_data: Path) -> None:
    message = _build_knowledge(
        tmp_path, "bad.toml", GOOD.replace('"correct-resubmit"', '"resubmit"')
    )
    assert "bad.toml:2:" in message
    assert "unknown action" in message


def test_build_rejects_a_code_missing_from_the_tables(tmp_path: Path, shared_data: Path) -> None:
    message = _build_knowledge(tmp_path, "bad.toml", GOOD.replace('["16"]', '["999"]'))
    assert "bad.toml:2:" in message
    assert "not a code" in message
