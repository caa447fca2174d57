"""Combining a claim with its record: facts filled, user facts kept, conflicts reported, and
the letter built from the record has no missing fact and nothing to correct."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

import denialkit
from denialkit import record
from denialkit.claim import Claim, Evidence
from denialkit.letters import example_claim

LETTER_DATE = date(2026, 11, 2)


@pytest.fixture
def bare() -> Claim:
    """The CCM21 example claim without any facts."""
    return example_claim("CCM21").evolve(facts={})


@pytest.fixture(scope="module")
def cocm_record(data_dir: Path) -> record.Record:
    return record.read(data_dir / "cocm-bundle.json")


def test_fill_gives_a_letter_with_no_missing_fact(bare: Claim, cocm_record: record.Record) -> None:
    filled = record.fill(bare, cocm_record)
    assert filled.missing == () and filled.conflicts == ()
    assert filled.claim.facts["care_manager_minutes"] == 75
    assert bare.facts == {}  # the original claim is unchanged
    letter = denialkit.appeal("CCM21", filled.claim, letter_date=LETTER_DATE)
    assert letter.missing == ()
    assert [f.rule_id for f in letter.report] == []
    assert "75 minutes" in letter.text and "Dana Whitfield, LCSW" in letter.text
    assert {e.source for e in filled.evidence} >= {
        "Consent/cocm-consent",
        "CarePlan/cocm-plan",
        "Observation/phq9-2026-09-03",
        "Procedure/cocm-time-1",
        "PractitionerRole/cocm-psychiatry",
    }


def test_the_letter_encloses_exactly_the_record_items(
    bare: Claim, cocm_record: record.Record
) -> None:
    filled = record.fill(bare.evolve(evidence=()), cocm_record)
    assert filled.claim.evidence == filled.evidence
    letter = denialkit.appeal("CCM21", filled.claim, letter_date=LETTER_DATE)
    enclosures = letter.text.split("Enclosures:\n", 1)[1].split("\n\n", 1)[0].splitlines()
    assert enclosures[0].startswith("1. Copy of the denial notice")
    listed = enclosures[1:]
    assert len(listed) == len(filled.evidence) == 9
    for line, item in zip(listed, filled.evidence, strict=True):
        assert item.source in line  # every enclosure names its source resource
    assert "3. CarePlan/cocm-plan: Behavioral health care plan of September 5, 2026" in enclosures
    by_kind = {e.kind.value for e in filled.evidence}
    assert by_kind == {"consent", "care-plan", "rating-scale", "time-log", "medical-record"}
    phq = [e for e in filled.evidence if e.source == "Observation/phq9-2026-09-03"]
    assert phq[0].supports == ("rating_scale", "rating_scale_scores")


def test_user_evidence_is_kept_and_not_repeated(bare: Claim, cocm_record: record.Record) -> None:
    mine = Evidence(
        "consent",
        "Signed consent form",
        date(2026, 9, 2),
        "Consent/cocm-consent",
        ("consent_date",),
    )
    filled = record.fill(bare.evolve(evidence=(mine,)), cocm_record)
    assert filled.claim.evidence[0] is mine
    assert [e.source for e in filled.claim.evidence].count("Consent/cocm-consent") == 1


def test_bhi_record_fills_a_99484_claim(bare: Claim, data_dir: Path) -> None:
    claim = bare.evolve(
        services=(bare.services[0].__class__(code="99484", date=date(2026, 9, 30)),)
    )
    filled = record.fill(claim, record.read(data_dir / "bhi-export"))
    assert filled.missing == ()
    letter = denialkit.appeal("CCM21", filled.claim, letter_date=LETTER_DATE)
    assert letter.missing == () and [f.rule_id for f in letter.report] == []
    assert "37 minutes" in letter.text and "GAD-7" in letter.text


def test_user_facts_win_and_the_conflict_is_reported(
    bare: Claim, cocm_record: record.Record
) -> None:
    claim = bare.evolve(facts={"care_manager_minutes": 45})
    filled = record.fill(claim, cocm_record)
    assert filled.claim.facts["care_manager_minutes"] == 45
    (conflict,) = filled.conflicts
    assert conflict == record.Conflict(
        "care_manager_minutes", "facts.care_manager_minutes", "Procedure/cocm-time-1", "claim"
    )
    assert "45" not in conflict.message() and "75" not in conflict.message()
    # the record's time log does not support the claim's figure, so it is not enclosed
    assert not [e for e in filled.evidence if e.source.startswith("Procedure/")]
    assert not [e for e in filled.claim.evidence if e.source.startswith("Procedure/")]
    assert "care_manager_minutes: from the claim; the record disagrees" in filled.explain()


def test_prefer_record(bare: Claim, cocm_record: record.Record) -> None:
    claim = bare.evolve(facts={"care_manager_minutes": 45}, claim_number="OTHER-1")
    filled = record.fill(claim, cocm_record, prefer="record")
    assert filled.claim.facts["care_manager_minutes"] == 75
    assert filled.claim.claim_number == "26274801234500"
    assert {c.fact: c.kept for c in filled.conflicts} == {
        "care_manager_minutes": "record",
        "claim_number": "record",
    }


def test_agreeing_values_are_not_conflicts(cocm_record: record.Record) -> None:
    claim = example_claim("CCM21")  # its facts agree with the record, in other words
    filled = record.fill(claim, cocm_record)
    assert filled.conflicts == ()
    assert all(o.origin == "claim" and o.agrees for o in filled.origins)


def test_explain_lists_every_fact(bare: Claim, cocm_record: record.Record) -> None:
    claim = bare.evolve(facts={"care_manager_name": "Dana Whitfield, LCSW"})
    text = record.fill(claim, cocm_record).explain()
    lines = text.splitlines()
    assert lines[0] == "consent_date: from the record, Consent/cocm-consent (Consent.dateTime)"
    assert any(
        ln.startswith("care_manager_name: from the claim; the record agrees") for ln in lines
    )
    assert len(lines) == 13
    assert "Zoë" not in text and "7KQ2XF3RW45" not in text


def test_missing_stays_missing(bare: Claim) -> None:
    empty = record.read(b'{"resourceType": "Bundle", "type": "collection", "entry": []}')
    filled = record.fill(bare, empty)
    assert filled.missing == record.BHI_FACTS
    letter = denialkit.appeal("CCM21", filled.claim, letter_date=LETTER_DATE)
    assert len(letter.missing) == len(record.BHI_FACTS)


def test_the_month_comes_from_the_claim(bare: Claim, cocm_record: record.Record) -> None:
    october = bare.evolve(
        services=(bare.services[0].__class__(code="99493", date=date(2026, 10, 30)),)
    )
    filled = record.fill(october, cocm_record)
    assert "care_manager_minutes" in filled.missing
    assert filled.record_facts.month is not None and str(filled.record_facts.month) == "2026-10"


@pytest.mark.parametrize(
    ("args", "kwargs", "exc", "match"),
    [
        (("claim",), {}, TypeError, "needs a Claim"),
        ((None,), {}, TypeError, "needs a Claim"),
        (("RECORD_AS_CLAIM",), {}, TypeError, "needs a Claim"),
        (("CLAIM", "record"), {}, TypeError, "needs a Record"),
        (("CLAIM", "RECORD"), {"prefer": "user"}, ValueError, "prefer must be"),
        (("CLAIM", "RECORD"), {"month": "09/2026"}, ValueError, "YYYY-MM"),
    ],
)
def test_bad_arguments(
    bare: Claim,
    cocm_record: record.Record,
    args: tuple[object, ...],
    kwargs: dict[str, object],
    exc: type[Exception],
    match: str,
) -> None:
    subst = {"CLAIM": bare, "RECORD": cocm_record, "RECORD_AS_CLAIM": cocm_record}
    real = [subst.get(a, a) if isinstance(a, str) else a for a in args]
    if len(real) == 1:
        real.append(cocm_record)
    with pytest.raises(exc, match=match):
        record.fill(*real, **kwargs)  # type: ignore[arg-type]


def test_claim_with_record_fills_the_claim_and_warns_of_each_conflict(
    bare: Claim, cocm_record: record.Record
) -> None:
    from denialkit.exceptions import RecordConflictWarning

    filled = bare.with_record(cocm_record, code="CCM21")
    assert filled == record.fill(bare, cocm_record, code="CCM21").claim
    assert filled.facts["care_manager_minutes"] == 75 and filled.evidence
    # the claim says 45 minutes, the record sums to 75: a warning names both places, no value
    claim = bare.evolve(facts={**bare.facts, "care_manager_minutes": 45})
    with pytest.warns(RecordConflictWarning, match=r"care_manager_minutes: the claim") as seen:
        kept = claim.with_record(cocm_record)
    assert kept.facts["care_manager_minutes"] == 45
    assert [str(w.message) for w in seen] == [
        record.fill(claim, cocm_record).conflicts[0].message()
    ]
    assert all("45" not in str(w.message) and "75" not in str(w.message) for w in seen)
    with pytest.warns(RecordConflictWarning, match="record's value is kept"):
        assert claim.with_record(cocm_record, prefer="record").facts["care_manager_minutes"] == 75


@pytest.mark.parametrize("junk", [None, "bundle.json", b"{}", {"resourceType": "Bundle"}])
def test_claim_with_record_refuses_what_is_not_a_record(bare: Claim, junk: object) -> None:
    with pytest.raises(TypeError, match=r"with_record\(\) needs a record"):
        bare.with_record(junk)  # type: ignore[arg-type]
