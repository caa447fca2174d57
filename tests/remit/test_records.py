"""Records: typed, immutable, picklable, codes resolved, no patient data in reprs."""

from __future__ import annotations

import pickle
import warnings
from datetime import date
from decimal import Decimal

import attrs
import pytest

from denialkit import remit
from denialkit.codes import Category
from denialkit.exceptions import X12Warning

SENTINEL = "ZZSENTINELPATIENT"


@pytest.fixture
def phi_claims(basic: bytes) -> list[remit.ClaimPayment]:
    raw = basic.replace(
        b"NM1*QC*1*DOE*JANE*Q***MI*ZX1000001",
        f"NM1*QC*1*{SENTINEL}*ZÖE*Q***MI*{SENTINEL}ID".encode(),
    )
    return list(remit.claims(raw))


def test_claim_fields(basic: bytes) -> None:
    c = next(remit.claims(basic))
    assert (c.patient_control_number, c.status_code, c.status) == (
        "PCN1001",
        "1",
        remit.ClaimStatus.PRIMARY,
    )
    assert (c.charge, c.payment, c.patient_responsibility) == (
        Decimal(190),
        Decimal(105),
        Decimal(20),
    )
    assert (c.filing_indicator, c.payer_claim_number, c.facility_type, c.frequency_code) == (
        "12",
        "ACME26001001",
        "11",
        "1",
    )
    assert (
        c.patient is not None
        and c.patient.name == "JANE Q DOE"
        and c.patient.identifier == "ZX1000001"
    )
    assert c.insured is None and [n.role for n in c.names] == ["QC", "82"]
    assert (c.statement_start, c.statement_end, c.received) == (
        date(2026, 3, 2),
        date(2026, 3, 2),
        date(2026, 3, 10),
    )
    assert c.amounts == (("AU", Decimal(125)),) and c.interest is None
    assert c.balanced is True and not c.denied and not c.reversal
    line = c.lines[0]
    assert (line.number, line.qualifier, line.procedure, line.modifiers) == (1, "HC", "99213", ())
    assert (line.charge, line.payment, line.units, line.allowed) == (
        Decimal(150),
        Decimal(80),
        Decimal(1),
        Decimal(100),
    )
    assert (line.start, line.end, line.control_number) == (
        date(2026, 3, 2),
        date(2026, 3, 2),
        "PCN1001-1",
    )
    adj = line.adjustments[0]
    assert (adj.group, adj.reason, adj.amount, adj.key, adj.known) == (
        "CO",
        "45",
        Decimal(50),
        "CO-45",
        True,
    )
    assert adj.code is not None and adj.code.key == "CO-45" and adj.category is Category.CONTRACTUAL
    assert line.balanced is True
    assert c.segment == 19 and basic[c.offset :].startswith(b"CLP*PCN1001*1*190")


def test_remarks_claim_and_line_level(basic: bytes) -> None:
    claims = list(remit.claims(basic))
    assert claims[1].remarks == ("N54",)  # MOA03
    assert claims[2].lines[0].remarks == ("N115",)  # LQ*HE


def test_utf8_names_are_decoded(phi_claims: list[remit.ClaimPayment]) -> None:
    assert phi_claims[0].patient is not None and phi_claims[0].patient.first_name == "ZÖE"


def test_reprs_hold_no_patient_data(phi_claims: list[remit.ClaimPayment]) -> None:
    c = phi_claims[0]
    items = list(remit.denials(list(phi_claims)))
    objects: list[object] = [c, c.patient, *c.names, *c.lines, *c.adjustments, *items]
    for line in c.lines:
        objects.extend(line.adjustments)
    for obj in objects:
        text = repr(obj)
        for secret in (
            SENTINEL,
            "ZÖE",
            "PCN1001",
            "2026-03-02",
            "2026, 3, 2",
            "ZX1000001",
            "PCN1001-1",
        ):
            assert secret not in text, (type(obj).__name__, secret)


def test_records_are_immutable(basic: bytes) -> None:
    c = next(remit.claims(basic))
    r = next(remit.read(basic))
    with pytest.raises(AttributeError):
        c.charge = Decimal(0)  # type: ignore[misc]
    with pytest.raises(AttributeError):
        c.anything = 1  # type: ignore[attr-defined]
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        r.claim_count = 0  # type: ignore[misc]
    with pytest.raises(AttributeError):
        c.lines[0].charge = Decimal(0)  # type: ignore[misc]
    with pytest.raises(AttributeError):
        c.lines[0].adjustments[0].amount = Decimal(0)  # type: ignore[misc]


def test_records_pickle_round_trip(basic: bytes) -> None:
    items = list(remit.stream(basic))
    for x in items:
        y = pickle.loads(pickle.dumps(x))
        assert y == x and hash(y) == hash(x) if isinstance(x, remit.ClaimPayment) else y == x
    claims = [x for x in items if isinstance(x, remit.ClaimPayment)]
    back = pickle.loads(pickle.dumps(claims))
    assert [c.lines for c in back] == [c.lines for c in claims]
    assert [c.offset for c in back] == [c.offset for c in claims]
    for obj in (
        claims[0].lines[0],
        claims[0].lines[0].adjustments[0],
        claims[0].patient,
        next(remit.denials(basic)),
        remit.summary(basic),
    ):
        assert pickle.loads(pickle.dumps(obj)) == obj


def test_claims_compare_by_content(basic: bytes) -> None:
    a = list(remit.claims(basic))
    b = list(remit.claims(basic))
    assert a == b and len({*a, *b}) == 9


def test_bad_dates_are_reported_in_the_one_pass(basic: bytes) -> None:
    """Lines are built while reading (issue 10, point 5): the warning comes from claims()."""
    raw = basic.replace(b"DTM*472*20260331", b"DTM*472*20261331")
    with pytest.warns(X12Warning, match=r"segment 49, byte \d+: .*not a valid CCYYMMDD date"):
        claims = list(remit.claims(raw))
    line = claims[2].lines[0]
    assert line.start is None and line.dates == ()


def test_unknown_status_is_kept(basic: bytes) -> None:
    raw = basic.replace(b"CLP*PCN1005*2*", b"CLP*PCN1005*99*")
    with pytest.warns(X12Warning, match="CLP02"):
        claims = list(remit.claims(raw))
    assert claims[4].status is None and claims[4].status_code == "99"


def test_claim_status_labels() -> None:
    assert remit.ClaimStatus.DENIED.label == "Denied"
    assert all(s.label for s in remit.ClaimStatus)


def test_segments_are_the_text_read(basic: bytes) -> None:
    c = next(remit.claims(basic))
    text = "~\n".join(c.segments).encode()
    assert text in basic and c.segments[0].startswith("CLP*")


def test_warning_free_access_of_everything(basic: bytes) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for c in remit.claims(basic):
            list(c.iter_adjustments())
            c.to_records()
