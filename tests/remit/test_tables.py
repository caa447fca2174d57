"""Denials, records, frames and summaries (issue 6, parts 4 and 6)."""

from __future__ import annotations

import sys
from datetime import date
from decimal import Decimal

import pytest

from denialkit import remit
from denialkit.codes import Action


def test_denials_are_the_claims_and_lines_that_need_work(basic: bytes) -> None:
    items = list(remit.denials(basic))
    got = [
        (
            i.claim.patient_control_number,
            i.level,
            i.line and i.line.procedure,
            [a.key for a in i.adjustments],
            i.amount,
            i.denied,
        )
        for i in items
    ]
    assert got == [
        ("PCN1002", "claim", None, ["CO-197"], Decimal(300), True),
        ("PCN1003", "line", "99484", ["CO-50"], Decimal(60), False),
        ("PCN1004", "line", "99214", ["CO-16"], Decimal(120), False),
        ("PCN1009", "line", "99214", ["CO-29"], Decimal(200), True),
    ]
    assert items[1].remarks == ("N115",) and items[0].remarks == ("N54",)
    assert items[1].service_date == date(2026, 3, 31)


def test_routine_actions_can_be_changed(basic: bytes) -> None:
    literal = frozenset({Action.WRITE_OFF, Action.BILL_PATIENT})
    keys = [a.key for i in remit.denials(basic, ignore=literal) for a in i.adjustments]
    assert "OA-23" in keys and "CO-45" not in keys and "PR-2" not in keys


def test_a_denied_claim_without_work_adjustments_is_listed(basic: bytes) -> None:
    raw = basic.replace(b"CAS*CO*197*300", b"CAS*CO*45*300")
    (first, *_) = remit.denials(raw)
    assert first.claim.patient_control_number == "PCN1002"
    assert first.adjustments == () and first.amount == Decimal(300) and first.level == "claim"


def test_denials_accept_claims_already_read(basic: bytes) -> None:
    claims = [c for c in remit.claims(basic) if c.denied]
    assert [i.amount for i in remit.denials(claims)] == [Decimal(300), Decimal(200)]
    with pytest.raises(TypeError):
        list(remit.denials([1, 2]))  # type: ignore[list-item]


def test_explanations_come_from_the_knowledge_base(basic: bytes) -> None:
    items = list(remit.denials(basic))
    (e,) = items[2].explanations()
    assert e.reason.key == "CO-16" and [r.code for r in e.remarks] == ["N290"]
    assert e.action is Action.CORRECT_RESUBMIT
    assert items[0].explanations()[0].action is Action.APPEAL


def test_deadline_when_the_plan_type_is_known(basic: bytes) -> None:
    item = next(remit.denials(basic))
    assert item.deadline() is None  # filing indicator 12 (PPO): plan type unknown
    d = item.deadline("medicare")
    assert d is not None and d.notice_date == date(2026, 4, 17)
    assert d.due == date(2026, 8, 20)  # 120 days after presumed receipt 5 days later
    medicare = basic.replace(b"CLP*PCN1002*4*300*0**12*", b"CLP*PCN1002*4*300*0**MB*")
    d2 = next(remit.denials(medicare)).deadline()
    assert d2 is not None and d2.due == d.due


def test_to_records_one_row_per_adjustment(basic: bytes) -> None:
    rows = remit.to_records(basic)
    assert len(rows) == 18 and all(tuple(r) == remit.COLUMNS for r in rows)
    denied = rows[3]
    assert (denied["claim"], denied["level"], denied["line"], denied["code"]) == (
        "PCN1002",
        "claim",
        None,
        "CO-197",
    )
    assert denied["remarks"] == "N54" and denied["needs_work"] is True
    assert denied["category"] == "authorization" and denied["action"] == "appeal"
    line = rows[0]
    assert (line["level"], line["line"], line["procedure"], line["line_charge"]) == (
        "line",
        1,
        "99213",
        Decimal(150),
    )
    assert line["payment_date"] == date(2026, 4, 17) and line["payer"] == "ACME HEALTH PLAN"
    assert list(remit.iter_records(basic)) == rows
    assert remit.to_records(c for c in remit.claims(basic) if c.denied) == [rows[3], rows[-1]]


def test_to_frame(basic: bytes) -> None:
    pd = pytest.importorskip("pandas")
    df = remit.to_frame(basic)
    assert isinstance(df, pd.DataFrame) and df.shape == (18, len(remit.COLUMNS))
    assert list(df.columns) == list(remit.COLUMNS)
    for name in ("claim_charge", "claim_payment", "line_charge", "line_payment", "amount"):
        assert df[name].dtype == "float64", name
    assert df["quantity"].dtype == "float64" and df["line"].dtype == "Int64"
    assert df["needs_work"].dtype == bool and df["known"].dtype == bool
    assert df["payment_date"].dtype.kind == "M" and df["service_date"].dtype.kind == "M"
    work = df[df.needs_work]
    assert work.groupby("category")["amount"].sum().to_dict() == {
        "authorization": 300.0,
        "medical-necessity": 60.0,
        "missing-information": 120.0,
        "timely-filing": 200.0,
    }
    # line numbers: a whole number per line, <NA> at claim level
    denied = df[df.claim == "PCN1002"].iloc[0]
    assert denied.level == "claim" and denied.line is pd.NA and pd.isna(denied.line_charge)
    assert df[df.level == "line"].line.min() == 1
    # the reversal's amounts are negative numbers
    assert (df[df.claim_status == "22"].amount < 0).all()
    assert df.amount.sum() == pytest.approx(
        float(sum(r["amount"] for r in remit.to_records(basic)))
    )


def test_to_frame_exact_keeps_decimals(basic: bytes) -> None:
    pytest.importorskip("pandas")
    df = remit.to_frame(basic, exact=True)
    assert all(isinstance(v, Decimal) for v in df.amount)
    assert df.line.dtype == "Int64"
    assert list(df.amount) == [r["amount"] for r in remit.to_records(basic)]
    assert df[df.needs_work].amount.sum() == Decimal(680)
    assert df.quantity.isna().all()


def test_frames_group_and_plot_without_a_cast(basic: bytes) -> None:
    pytest.importorskip("pandas")
    matplotlib = pytest.importorskip("matplotlib")
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    plt.close("all")  # a figure another test left open would add its bars to these axes
    df = remit.to_frame(basic)
    work = df[df.needs_work]
    try:
        ax = work.groupby("category")["amount"].sum().plot.barh()  # raised TypeError before
        assert sorted(t.get_text() for t in ax.get_yticklabels()) == [
            "authorization",
            "medical-necessity",
            "missing-information",
            "timely-filing",
        ]
        assert sorted(p.get_width() for p in ax.patches) == [60.0, 120.0, 200.0, 300.0]
        plt.close("all")
        ax = df.groupby("code")[["amount", "line_charge"]].sum().plot.barh()
        assert len(ax.patches) == 2 * df.code.nunique()
        plt.close("all")
        ax = df.groupby("payer_claim_number").sum(numeric_only=True).plot.barh(y="amount")
        assert len(ax.patches) == df.payer_claim_number.nunique()
    finally:
        plt.close("all")


def test_claims_that_share_an_account_number_are_told_apart(basic: bytes) -> None:
    pytest.importorskip("pandas")
    # nine claims with one patient control number (CLP01), each with its payer's number
    raw = basic
    for n in range(1, 10):
        raw = raw.replace(f"CLP*PCN100{n}*".encode(), b"CLP*PCN1000*")
    rows = remit.to_records(raw)
    assert {r["claim"] for r in rows} == {"PCN1000"}
    # eight payer claim numbers: the reversal (status 22) carries the number it reverses
    assert len({r["payer_claim_number"] for r in rows}) == 8
    df = remit.to_frame(raw)
    assert df.groupby(["payer_claim_number", "claim_status"]).ngroups == 9


def test_to_frame_without_pandas(basic: bytes, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "pandas", None)
    with pytest.raises(ImportError, match=r"pip install 'denialkit\[pandas\]'"):
        remit.to_frame(basic)


def test_summary(basic: bytes) -> None:
    s = remit.summary(basic)
    assert (s.remittances, s.claims, s.lines, s.denied_claims, s.items) == (1, 9, 14, 2, 4)
    assert (s.total_charge, s.total_payment, s.at_stake) == (
        Decimal(1400),
        Decimal(420),
        Decimal(680),
    )
    assert [c for c, _, _ in s.by_category] == [
        "authorization",
        "timely-filing",
        "missing-information",
        "medical-necessity",
    ]
    assert s.by_code[0] == ("CO-197", "authorization", 1, Decimal(300))
    chart = s.chart(width=10).splitlines()
    assert chart[0].endswith("██████████ 300.00") and chart[-1].endswith("██ 60.00")
    assert "680.00 at stake" in str(s) and "<table" in s._repr_html_()
    assert s.to_dict()["at_stake"] == "680"


def test_names_have_one_space_between_parts(basic: bytes) -> None:
    # a middle name of one space gave "BOB   SQUAREPANTS"
    raw = basic.replace(b"NM1*QC*1*DOE*JANE*Q***", b"NM1*QC*1*SQUAREPANTS*BOB* ***")
    first = next(remit.claims(raw))
    assert first.patient is not None and first.patient.name == "BOB SQUAREPANTS"
    assert first.patient.middle_name == " "  # the element as given stays on the record


@pytest.mark.parametrize(
    ("exact", "match"), [("yes", "not str"), (None, "not NoneType"), (1, "int")]
)
def test_to_frame_exact_is_a_bool(basic: bytes, exact: object, match: str) -> None:
    with pytest.raises(TypeError, match=match):
        remit.to_frame(basic, exact=exact)  # type: ignore[arg-type]


def test_to_frame_of_no_claims_keeps_the_types() -> None:
    pytest.importorskip("pandas")
    df = remit.to_frame([])
    assert list(df.columns) == list(remit.COLUMNS) and len(df) == 0
    assert df.amount.dtype == "float64" and df.line.dtype == "Int64"
