"""Static checks of the public API's types (run by ``nox -s typecheck``; never executed)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from typing import assert_type

from matplotlib.axes import Axes

import denialkit
from denialkit import CodeRef, CodeTable, DenialCode, batch, remit
from denialkit.batch import ClaimAppeal
from denialkit.claim import Claim, Provider, ServiceLine
from denialkit.codes import Action, Appealable, Category, GroupCode, Knowledge
from denialkit.deadlines import Deadline, deadline_for
from denialkit.knowledge import Explanation, explain
from denialkit.letters import Letter
from denialkit.remit import ClaimPayment
from denialkit.validation import Report


def codes() -> None:
    assert_type(denialkit.parse("CO-16"), CodeRef)
    assert_type(denialkit.get("CO-16"), DenialCode | None)
    assert_type(denialkit.lookup("CO-16"), DenialCode)
    assert_type(denialkit.search("prior authorization"), list[DenialCode])
    assert_type(denialkit.default_table(), CodeTable)
    code = denialkit.lookup("CO-16")
    assert_type(code.category, Category)
    assert_type(code.action, Action)
    assert_type(code.appealable, Appealable)
    assert_type(code.group, GroupCode | None)
    assert_type(code.knowledge, Knowledge | None)
    assert_type(code.is_active(on=date(2026, 1, 1)), bool)
    table = denialkit.default_table()
    assert_type(table.filter(system="CARC"), CodeTable)
    assert_type(table.to_records(), list[dict[str, object]])


def knowledge() -> None:
    e = explain("CO-16", remarks=["N290"])
    assert_type(e, Explanation)
    assert_type(e.evidence, tuple[str, ...])
    assert_type(e.remarks, tuple[DenialCode, ...])


def claims(text: str) -> None:
    claim = Claim.from_json(text)
    assert_type(claim, Claim)
    assert_type(deadline_for(claim), Deadline)


def letters(claim: Claim) -> None:
    letter = denialkit.appeal("CCM21", claim)
    assert_type(letter, Letter)
    assert_type(letter.missing, tuple[str, ...])
    assert_type(letter.text, str)
    assert_type(letter.report, Report)
    assert_type(denialkit.validate_text(letter.text), Report)


def remittances(raw: bytes) -> None:
    for payment in remit.claims(raw):
        assert_type(payment, ClaimPayment)
        assert_type(payment.to_claim(provider=Provider(name="Valley")), Claim)
        assert_type(payment.service_period, tuple[date, date] | None)
        assert_type(payment.service_date(), date | None)
        assert_type(payment.inpatient, remit.InpatientAdjudication | None)
        assert_type(payment.outpatient, remit.OutpatientAdjudication | None)
        if payment.inpatient is not None:
            assert_type(payment.inpatient.drg_amount, Decimal | None)
            assert_type(payment.inpatient.remark_codes, tuple[DenialCode | None, ...])
        assert_type(payment.adjudicated, bool)
        if payment.status is not None:
            assert_type(payment.status.adjudicated, bool)
            assert_type(payment.status.forwarded, bool)
        billed = [ServiceLine(code="99223", date=date(2026, 11, 1))]
        assert_type(payment.to_claim(provider=Provider(name="Valley"), services=billed), Claim)
    for item in remit.denials(raw):
        assert_type(item.all_remarks, tuple[str, ...])
    assert_type(batch.appeals(raw, provider=Provider(name="Valley")), Iterator[ClaimAppeal])
    billed_by_claim = {"PCN1": [ServiceLine(code="99223", date=date(2026, 11, 1))]}
    assert_type(
        batch.appeals(raw, provider=Provider(name="Valley"), services=billed_by_claim),
        Iterator[ClaimAppeal],
    )
    for pair in remit.corrections(raw):
        assert_type(pair, remit.Correction)
        assert_type(pair.reversal, remit.ClaimPayment)
        assert_type(pair.original, remit.ClaimPayment | None)
        assert_type(pair.correction, remit.ClaimPayment | None)


def records(claim: Claim) -> None:
    from denialkit import record

    rec = record.read("bundle.json")
    assert_type(rec, record.Record)
    assert_type(rec.of_type(record.Consent), tuple[record.Consent, ...])
    assert_type(rec.get("Consent/c1"), record.Resource | None)
    found = record.facts(rec, code="CCM21", month="2026-09")
    assert_type(found, record.RecordFacts)
    assert_type(rec.patients(), tuple[str, ...])
    assert_type(rec.notes, tuple[record.Note, ...])
    assert_type(rec.for_patient("Patient/p1"), record.Record)
    assert_type(record.facts(rec, month="2026-09", patient="Patient/p1"), record.RecordFacts)
    assert_type(found.missing, tuple[str, ...])
    assert_type(found.facts["consent_date"].sources, tuple[record.Source, ...])
    assert_type(found.facts["consent_date"].sources[0].dated_by, str | None)
    assert_type(rec.of_type(record.Observation)[0].issued, record.FhirDate | None)
    response = rec.of_type(record.QuestionnaireResponse)[0]
    assert_type(response.answers, tuple[record.ItemAnswer, ...])
    assert_type(response.answers[0].value, Decimal | None)
    assert_type(rec.of_type(record.Coverage)[0].member_ids, tuple[tuple[str, str, str], ...])
    assert_type(rec.of_type(record.Procedure)[0].performed_element, str | None)
    filled = record.fill(claim, rec, prefer="record")
    assert_type(filled.claim, Claim)
    assert_type(filled.conflicts, tuple[record.Conflict, ...])
    assert_type(filled.explain(), str)


def charts(raw: bytes, ax: Axes) -> None:
    summary = remit.summary(raw)
    assert_type(summary.plot(), Axes)
    assert_type(summary.plot(ax=ax), Axes)
    assert_type(summary._repr_html_(), str)
