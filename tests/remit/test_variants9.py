"""Real 835 shapes, round 9, written small here with our own values: claims dated only by
their statement period, typed MIA/MOA adjudication, reversals, provider adjustments and
envelopes. Each test asserts what a user sees (dates, amounts, codes, letters, warnings).
"""

from __future__ import annotations

import warnings
from datetime import date

import pytest

import denialkit
from denialkit import batch, remit
from denialkit.claim import Provider

_ISA = (
    "ISA*00*          *00*          *ZZ*PAYERX         *ZZ*CLINICY        *261201*1200*"
    "^*00501*000000101*0*P*:"
)
_HEAD = [
    "BPR*I*0*C*NON************20261203",
    "TRN*1*TRACE01*1512345678",
    "DTM*405*20261201",
    "N1*PR*PAYER X",
    "N1*PE*CLINIC Y*XX*1234567893",
]
_PRACTICE = Provider(name="Clinic Y")


def _835(body: list[str], head: list[str] = _HEAD) -> bytes:
    """One interchange, one group, one 835 holding ``head`` and ``body``."""
    st = ["ST*835*0001*005010X221A1", *head, *body]
    segs = [
        _ISA,
        "GS*HP*PAYERX*CLINICY*20261201*1200*1*X*005010X221A1",
        *st,
        f"SE*{len(st) + 1}*0001",
        "GE*1*1",
        "IEA*1*000000101",
    ]
    return "".join(s + "~\n" for s in segs).encode("latin-1")


def _quiet(fn, *args, **kw):  # type: ignore[no-untyped-def]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return fn(*args, **kw)


def _warnings(fn, *args, **kw):  # type: ignore[no-untyped-def]
    """``fn``'s result and the messages of the warnings it gave."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        out = fn(*args, **kw)
    return out, [str(w.message) for w in caught]


# -- a claim dated only by its statement period ---------------------------------------------


def _denied(dates: list[str], line_dates: list[str] = ()) -> bytes:  # type: ignore[assignment]
    return _835(
        [
            "CLP*ACC1*4*200*0**MB*PX1",
            "NM1*QC*1*DOE*JANE****MI*M123",
            *dates,
            "SVC*HC:99484*120*0**1",
            *line_dates,
            "CAS*CO*50*120",
            "SVC*HC:99213*80*0**1",
            "CAS*CO*50*80",
        ]
    )


@pytest.mark.parametrize(
    ("dates", "period", "day"),
    [
        (["DTM*232*20261101", "DTM*233*20261130"], (date(2026, 11, 1), date(2026, 11, 30)), 1),
        (["DTM*233*20261130"], (date(2026, 11, 30), date(2026, 11, 30)), 30),
        (["DTM*232*20261101"], (date(2026, 11, 1), date(2026, 11, 1)), 1),
        # the end given before the start, as some payers write them
        (["DTM*233*20261130", "DTM*232*20261101"], (date(2026, 11, 1), date(2026, 11, 30)), 1),
    ],
)
def test_lines_without_dates_take_the_claims_statement_period(
    dates: list[str], period: tuple[date, date], day: int
) -> None:
    # a claim dated only by DTM*233 lost its dates: denials() gave no service date, the
    # table rows none, and to_claim() refused the claim ("services[0].date")
    data = _denied(dates)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        claim = next(remit.claims(data))
        items = list(remit.denials(data))
    served = date(2026, 11, day)
    assert claim.service_period == period
    assert claim.service_date() == served
    assert [line.start for line in claim.lines] == [None, None]  # the lines say nothing
    assert [claim.service_date(line) for line in claim.lines] == [served, served]
    assert [i.service_date for i in items] == [served, served]
    assert {r["service_date"] for r in remit.to_records(data)} == {served}
    letter_claim = claim.to_claim(provider=_PRACTICE)
    assert [s.date for s in letter_claim.services] == [served, served]
    assert letter_claim.service_dates == (served,)
    letter = denialkit.appeal(letter_claim.denial.codes, letter_claim)
    assert served.strftime("%B") in letter.text


def test_a_lines_own_date_wins_over_the_statement_period() -> None:
    data = _denied(["DTM*233*20261130"], ["DTM*472*20261105"])
    claim = next(remit.claims(data))
    first, second = claim.lines
    assert claim.service_date(first) == date(2026, 11, 5)
    assert claim.service_date(second) == date(2026, 11, 30)
    assert [s.date for s in claim.to_claim(provider=_PRACTICE).services] == [
        date(2026, 11, 5),
        date(2026, 11, 30),
    ]


def test_a_line_with_only_the_end_of_its_range_uses_it() -> None:
    data = _denied(["DTM*232*20261101"], ["DTM*151*20261107"])
    claim = next(remit.claims(data))
    assert claim.service_date(claim.lines[0]) == date(2026, 11, 7)
    assert claim.to_claim(provider=_PRACTICE).services[0].date == date(2026, 11, 7)


def test_a_claim_without_any_date_still_names_what_it_lacks() -> None:
    claim = next(remit.claims(_denied(["DTM*050*20261110"])))  # received: not a service date
    assert claim.service_period is None and claim.service_date() is None
    with pytest.raises(denialkit.exceptions.ClaimDataError, match="DTM\\*233 on the claim"):
        claim.to_claim(provider=_PRACTICE)


def test_a_batch_writes_the_letter_of_a_claim_dated_only_by_dtm_233(tmp_path) -> None:  # type: ignore[no-untyped-def]
    # the batch used to list this claim as skipped ("services[0].date") instead of writing it
    data = _denied(["DTM*233*20261130"])
    results = _quiet(lambda: list(batch.appeals(data, provider=_PRACTICE)))
    assert len(results) == 1
    assert results[0].reason is None and results[0].letter is not None
    assert "November 30, 2026" in results[0].letter.text
