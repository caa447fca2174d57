"""DK4xx: dates and deadlines."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date, datetime
from typing import Final

from denialkit.claim import Claim
from denialkit.validation._analysis import (
    Scan,
    _claim_service_dates,
    _d,
)
from denialkit.validation._model import Document, Finding, Rule

from ._registry import (
    INF,
    E,
    W,
    _Hit,
    _report,
    _rule,
)

# -------------------- DK4xx dates and deadlines


@_rule(
    "DK401",
    "invalid-date",
    E,
    summary="Every date written in the text is a real calendar date (no February 30, no month 13).",
    hint="Correct the date.",
    authority="Logic",
)
def _dk401(r: Rule, doc: Document, sc: Scan) -> Iterable[Finding]:
    hits: list[_Hit] = []
    for t in sc.dates:
        if t.value is None:
            hits.append(("a date in the letter is not a real calendar date", t.start, None))
    return _report(r, doc, hits)


def _date_fields(claim: Claim) -> Iterator[tuple[str, object, bool]]:
    yield "patient.birth_date", claim.patient.birth_date, True
    yield "denial.notice_date", claim.denial.notice_date, False
    for i, s in enumerate(claim.services):
        yield f"services[{i}].date", getattr(s, "date", None), False
    for k, v in claim.facts.items():
        if k.endswith("_date"):
            yield f"facts.{k}", v, True


@_rule(
    "DK402",
    "wrong-date-type",
    E,
    summary="Every date of the claim and the letter is a date: not a datetime, not text.",
    hint="Pass datetime.date values (a datetime's .date()); build claims with "
    "Claim.from_dict to have every field checked.",
    authority="Logic: a datetime is a date subclass and compares wrongly with dates",
)
def _dk402(r: Rule, doc: Document, sc: Scan) -> list[Finding]:
    found: list[Finding] = []
    if isinstance(doc.letter_date, datetime):
        found.append(
            r.finding(doc, "the letter's date is a datetime, not a date", path="letter_date")
        )
    if doc.claim is None:
        return found
    for path, value, optional in _date_fields(doc.claim):
        if isinstance(value, datetime):
            found.append(r.finding(doc, "a claim date is a datetime, not a date", path=path))
        elif not isinstance(value, date) and not (optional and value is None):
            found.append(r.finding(doc, "a claim date is not a date", path=path))
    return found


@_rule(
    "DK403",
    "service-after-letter",
    E,
    summary="No date of service is after the letter's date (or after today, when the letter "
    "is undated).",
    hint="Check the dates of service and the letter date.",
    authority="Logic",
)
def _dk403(r: Rule, doc: Document, sc: Scan) -> Iterable[Finding]:
    hits: list[_Hit] = []
    day, _, _, known = sc.letter_day
    what = "the letter's date" if known else "today"
    for w in sc.service_dates:
        if w.value > day:
            hits.append((f"a date of service is after {what}", w.at, w.path))
    return _report(r, doc, hits)


@_rule(
    "DK404",
    "notice-before-service",
    E,
    summary="The denial notice is not dated before a date of service.",
    hint="Check the notice date and the dates of service on the claim.",
    authority="Logic",
)
def _dk404(r: Rule, doc: Document, sc: Scan) -> list[Finding]:
    found: list[Finding] = []
    if doc.claim is None:
        return found
    notice = _d(doc.claim.denial.notice_date)
    if notice is not None and any(w.value > notice for w in sc.service_dates):
        found.append(
            r.finding(
                doc,
                "the denial notice is dated before a date of service",
                path="denial.notice_date",
            )
        )
    return found


@_rule(
    "DK405",
    "letter-before-notice",
    E,
    summary="The letter is not dated before the denial notice it answers.",
    hint="Check the letter date and the notice date.",
    authority="Logic",
)
def _dk405(r: Rule, doc: Document, sc: Scan) -> list[Finding]:
    found: list[Finding] = []
    if doc.claim is None:
        return found
    notice = _d(doc.claim.denial.notice_date)
    day, at, path, known = sc.letter_day
    if notice is not None and known and day < notice:
        found.append(
            r.finding(
                doc,
                "the letter is dated before the denial notice",
                at=at,
                path=path or ("denial.notice_date" if at is None else None),
            )
        )
    return found


@_rule(
    "DK406",
    "birth-after-service",
    E,
    summary="The patient's date of birth is before every date of service.",
    hint="Check the date of birth and the dates of service.",
    authority="Logic",
)
def _dk406(r: Rule, doc: Document, sc: Scan) -> list[Finding]:
    found: list[Finding] = []
    born = sc.birth_date
    if born is not None and any(w.value <= born.value for w in sc.service_dates):
        found.append(
            r.finding(
                doc,
                "the date of birth is not before the dates of service",
                at=born.at,
                path=born.path,
            )
        )
    return found


_MAX_AGE: Final = 120


@_rule(
    "DK407",
    "implausible-age",
    W,
    summary=f"The patient is not older than {_MAX_AGE} on a date of service.",
    hint="Check the year of birth.",
    authority="Logic",
)
def _dk407(r: Rule, doc: Document, sc: Scan) -> list[Finding]:
    found: list[Finding] = []
    born = sc.birth_date
    if born is None:
        return found
    b = born.value
    for w in sc.service_dates:
        d = w.value
        if d.year - b.year - ((d.month, d.day) < (b.month, b.day)) > _MAX_AGE:
            found.append(
                r.finding(
                    doc,
                    f"the patient would be over {_MAX_AGE} on a date of service",
                    at=born.at,
                    path=born.path,
                )
            )
            return found
    return found


@_rule(
    "DK408",
    "filing-deadline-passed",
    W,
    summary="The letter is dated on or before the filing deadline of its appeal level (a "
    "warning: a good-cause extension may apply).",
    hint="Send it at once and explain the delay; ask for a good-cause extension where the "
    "rules allow one.",
    authority="42 CFR 405.942(a) and (b), 405.962, 405.1002, 405.1102; 29 CFR 2560.503-1(h); "
    "45 CFR 147.136 (computed by denialkit.deadlines)",
)
def _dk408(r: Rule, doc: Document, sc: Scan) -> list[Finding]:
    found: list[Finding] = []
    info = sc.deadline_info
    if info is None or info.due is None:
        return found
    day, at, path, known = sc.letter_day
    late = (day - info.due).days
    if late > 0:
        when = "the letter is dated" if known else "today is"
        cite = f" ({info.citation})" if info.citation else ""
        extra = "; a good-cause extension may apply" if info.good_cause else ""
        found.append(
            r.finding(
                doc,
                f"{when} {late} day{'s' * (late != 1)} after the filing deadline{cite}{extra}",
                at=at,
                path=path or ("denial.notice_date" if at is None else None),
            )
        )
    return found


@_rule(
    "DK409",
    "deadline-unknown",
    INF,
    summary="When no filing deadline can be computed for the claim, the report says so "
    "instead of staying silent.",
    hint="Give the payer's appeal window (payer.appeal_window_days), or check the deadline "
    "on the denial notice.",
    authority="Logic: a deadline is never skipped silently",
)
def _dk409(r: Rule, doc: Document, sc: Scan) -> list[Finding]:
    found: list[Finding] = []
    info = sc.deadline_info
    if info is not None and info.due is None:
        found.append(
            r.finding(
                doc, f"no filing deadline could be computed: {info.problem}", path="payer.plan_type"
            )
        )
    return found


@_rule(
    "DK410",
    "service-date-mismatch",
    E,
    summary="A date written after a date-of-service label is one of the claim's dates of service.",
    hint="Correct the date of service in the letter to the one on the claim.",
    authority="Logic (consistency with the claim)",
)
def _dk410(r: Rule, doc: Document, sc: Scan) -> Iterable[Finding]:
    hits: list[_Hit] = []
    if doc.claim is None:
        return _report(r, doc, hits)
    days = {d for _, d in _claim_service_dates(doc.claim)}
    for t in sc.service_dates_text:
        if t.value is not None and t.value not in days:
            hits.append(
                ("a date of service in the letter is not on the claim", t.start, "services")
            )
    return _report(r, doc, hits)


@_rule(
    "DK411",
    "birth-date-mismatch",
    E,
    summary="A date written after a date-of-birth label is the patient's date of birth.",
    hint="Correct the date of birth in the letter to the patient's.",
    authority="Logic (consistency with the claim); 45 CFR 164.502(b)",
)
def _dk411(r: Rule, doc: Document, sc: Scan) -> Iterable[Finding]:
    hits: list[_Hit] = []
    if doc.claim is None:
        return _report(r, doc, hits)
    born = _d(doc.claim.patient.birth_date)
    if born is None:
        return _report(r, doc, hits)
    for t in sc.birth_dates:
        if t.value is not None and t.value != born:
            hits.append(
                (
                    "a date of birth in the letter differs from the patient's",
                    t.start,
                    "patient.birth_date",
                )
            )
    return _report(r, doc, hits)
