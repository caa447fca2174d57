"""Privacy across the whole library: no patient value in a repr, an error, a warning, a log
record or a finding message (DESIGN "Errors", security.md 2.3, validator rule PHI-04).

One claim carries a sentinel in every patient field; it then travels every path a user takes
(build, serialise, appeal, render, validate, explain, deadlines, bad input) while everything
printable is collected and searched for the sentinel.
"""

from __future__ import annotations

import io
import json
import logging
import warnings
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path

import attrs
import pytest

import denialkit
from denialkit.claim import Claim
from denialkit.letters import example_claim

SENTINEL = "QXPHI"
LETTER_DATE = date(2026, 11, 2)


def _claim_data() -> dict[str, object]:
    data = json.loads(example_claim("CCM21").to_json())
    data["claim_number"] = f"{SENTINEL}-CLM-77"
    data["patient"] = {
        "name": f"{SENTINEL} Patient",
        "member_id": f"{SENTINEL}M1",
        "birth_date": "1951-06-14",
        "group_number": f"{SENTINEL}G",
    }
    data["denial"]["reason"] = f"{SENTINEL} said so"  # type: ignore[index]
    data["facts"]["care_manager_name"] = f"{SENTINEL} Manager"  # type: ignore[index]
    data["facts"]["rating_scale_scores"] = f"{SENTINEL} scores"  # type: ignore[index]
    data["services"][0]["description"] = f"{SENTINEL} service"  # type: ignore[index]
    for item in data["evidence"]:  # type: ignore[attr-defined]
        item["title"] = f"{SENTINEL} {item['title']}"
        item["source"] = f"{SENTINEL}/{item['source']}"
    return data


def _texts(exc: BaseException | None) -> Iterator[str]:
    while exc is not None:
        yield str(exc)
        yield repr(exc)
        yield from (str(a) for a in exc.args)
        exc = exc.__cause__ or exc.__context__


def _attempt(fn: Callable[[], object], seen: list[str]) -> object:
    try:
        return fn()
    except (denialkit.DenialkitError, TypeError, ValueError, LookupError) as exc:
        seen.extend(_texts(exc))
        return None


def test_no_sentinel_anywhere(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    seen: list[str] = []
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        claim = Claim.from_dict(_claim_data())
        seen += [repr(claim), repr(claim.patient), repr(claim.services), repr(claim.denial)]
        seen += [repr(claim.facts), repr(claim.provider), repr(claim.payer), str(claim)]
        seen += [repr(claim.evidence), *(repr(e) for e in claim.evidence)]

        letter = denialkit.appeal("CCM21", claim, letter_date=LETTER_DATE)
        assert SENTINEL in letter.text  # the letter itself must carry the values
        seen += [repr(letter), str(letter.level), repr(letter.deadline), repr(letter.codes)]
        report = letter.report
        seen += [repr(report), json.dumps(report.to_dict()) if hasattr(report, "to_dict") else ""]
        for f in report:
            seen += [repr(f), f.message, f.hint or ""]

        # a hand-edited copy: another patient's details and an SSN pasted in
        edited = letter.text + f"\nAlso see {SENTINEL} Other, SSN 123-45-6789.\n"
        for f in denialkit.validate_text(edited, claim=claim):
            seen += [repr(f), f.message, f.hint or ""]
        _attempt(lambda: denialkit.validate(edited, claim=claim), seen)

        # missing facts, strict
        short = claim.without_fact("consent_date")
        _attempt(
            lambda: denialkit.appeal("CCM21", short, letter_date=LETTER_DATE, strict=True), seen
        )
        # evidence dated after the letter
        future = claim.evolve(evidence=(attrs.evolve(claim.evidence[0], date=date(2027, 1, 1)),))
        _attempt(lambda: denialkit.appeal("CCM21", future, letter_date=LETTER_DATE), seen)
        # a service after the letter date
        _attempt(lambda: denialkit.appeal("CCM21", claim, letter_date=date(2026, 1, 1)), seen)

        # bad claim data in every field
        bad = _claim_data()
        bad["services"] = [{"code": SENTINEL, "date": f"{SENTINEL}-2026"}]
        bad["patient"] = {"name": 5, "member_id": f"{SENTINEL}", "birth_date": f"{SENTINEL}"}
        bad["facts"] = {"consent_date": f"{SENTINEL}", f"{SENTINEL}": 1}
        bad[f"{SENTINEL}_extra"] = f"{SENTINEL}"
        bad["evidence"] = [
            {"kind": SENTINEL, "title": f"{SENTINEL}\nline", "source": 5},
            {"kind": "consent", "title": SENTINEL, "date": SENTINEL, "supports": [SENTINEL]},
            {"kind": "other", "title": SENTINEL, f"{SENTINEL}": 1},
        ]
        _attempt(lambda: Claim.from_dict(bad), seen)
        _attempt(lambda: Claim.from_json(json.dumps(bad)[:-5]), seen)

        # codes never echo free text
        _attempt(lambda: denialkit.lookup(f"{SENTINEL} Patient"), seen)
        _attempt(lambda: denialkit.explain(f"CO-16 {SENTINEL}"), seen)
        seen += [repr(denialkit.lookup("CO-16")), str(denialkit.explain("CO-16 N290"))]

        seen += [str(w.message) for w in caught]
    seen += [r.getMessage() for r in caplog.records]
    leaks = [s for s in seen if SENTINEL in s]
    assert leaks == []


def test_no_sentinel_from_remittances(caplog: pytest.LogCaptureFixture) -> None:
    from denialkit import remit

    caplog.set_level(logging.DEBUG)
    raw = remit.sample().replace(b"NM1*QC*1*DOE*JANE", f"NM1*QC*1*{SENTINEL}*JANE".encode())
    raw = raw.replace(b"CLP*PCN1001", f"CLP*{SENTINEL}1".encode())
    assert SENTINEL.encode() in raw
    seen: list[str] = []
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        for claim in remit.claims(raw):
            seen += [repr(claim), str(claim)]
            seen += [repr(line) for line in claim.lines]
            seen += [repr(adj) for adj in claim.iter_adjustments()]
            if claim.patient is not None:
                seen.append(repr(claim.patient))
        for item in remit.denials(raw):
            seen.append(repr(item))
        seen += [repr(r) for r in remit.read(raw)]
        # broken copies: truncated, a bad amount, unbalanced
        _attempt(lambda: list(remit.claims(raw[: raw.index(SENTINEL.encode()) + 8])), seen)
        bad = raw.replace(
            f"CLP*{SENTINEL}1*1*190".encode(), f"CLP*{SENTINEL}1*1*{SENTINEL}".encode()
        )
        _attempt(lambda: list(remit.claims(bad)), seen)
        _attempt(lambda: list(remit.claims(raw.replace(b"*105*", b"*106*"), strict=True)), seen)
        # a raw CLP02, an unknown segment and amounts that are not numbers (issues 10, 16)
        odd = raw.replace(b"*1*190*105*", f"*{SENTINEL}*190*105*".encode(), 1)
        odd = odd.replace(b"CAS*CO*197*300~", f"CAS*CO*197*{SENTINEL}~{SENTINEL}*1*2~".encode())
        odd = odd.replace(b"AMT*AU*125", f"AMT*AU*{SENTINEL}".encode())
        for claim in remit.claims(odd):
            seen += [repr(claim), repr(claim.unknown_segments), repr(claim.adjustments)]
        _attempt(lambda: list(remit.claims(odd, strict=True)), seen)
        seen += [str(w.message) for w in caught]
    seen += [r.getMessage() for r in caplog.records]
    assert [s for s in seen if SENTINEL in s] == []


def test_no_sentinel_from_records(caplog: pytest.LogCaptureFixture, tmp_path: Path) -> None:
    """Every record path: read, views, references, facts, fill, explain, the CLI's stderr
    and JSON errors, with the sentinel in every patient value of the record."""
    import io

    from denialkit import record
    from denialkit.cli import main

    caplog.set_level(logging.DEBUG)
    source = Path(__file__).parent / "record" / "data" / "cocm-bundle.json"
    text = source.read_text("utf-8")
    for value in (
        "Zoë",
        "Nguyễn",
        "7KQ2XF3RW45",
        "26274801234500",
        "Whitfield",
        "Haddad",
        "1951-06-14",
        "MRN-cocm-patient",
    ):
        text = text.replace(value, f"{SENTINEL}{value}")
    text = text.replace('"valueInteger": 18', f'"valueString": "{SENTINEL}"')
    raw = text.encode()
    assert raw.count(SENTINEL.encode()) >= 8
    seen: list[str] = []
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        rec = record.read(raw)
        seen += [repr(rec), str(rec)]
        for view in rec:
            seen += [repr(view), str(view)]
            for name in ("birth_date", "date_time", "period", "codes", "participants"):
                seen.append(repr(getattr(view, name, None)))
        seen += [repr(r) for r in rec.references()]
        seen += [repr(rec.notes)]
        # a second patient, and a choice of patient that names none the record holds
        twice = raw.replace(
            b'"reference": "urn:uuid:00000000-0000-4000-8000-000000000001"',
            (f'"reference": "Patient/{SENTINEL}"'.encode()),
            1,
        )
        assert twice != raw
        with pytest.raises(denialkit.RecordError) as several:
            record.facts(record.read(twice), month="2026-09")
        seen.append(str(several.value))
        _attempt(lambda: record.facts(rec, month="2026-09", patient=f"Patient/{SENTINEL}"), seen)
        found = record.facts(rec, code="CCM21", month="2026-09")
        seen += [repr(found), *(repr(f) for f in found.facts.values())]
        seen += [repr(s) for f in found.facts.values() for s in f.sources]
        seen += [n.message for n in found.notes] + [repr(n) for n in found.notes]
        claim = Claim.from_dict(_claim_data())
        for prefer in ("claim", "record"):
            filled = record.fill(claim, rec, prefer=prefer)  # type: ignore[arg-type]
            seen += [repr(filled), filled.explain(), repr(filled.claim)]
            seen += [repr(c) for c in filled.conflicts] + [c.message() for c in filled.conflicts]
            seen += [repr(o) for o in filled.origins]
        # broken copies: truncated, a bad entry, a wrong version, a bad NDJSON line
        _attempt(lambda: record.read(raw[: raw.index(SENTINEL.encode()) + 8]), seen)
        _attempt(
            lambda: record.read(
                raw.replace(b'"resourceType": "Patient"', f'"resourceType": "{SENTINEL}"'.encode())
            ),
            seen,
        )
        _attempt(
            lambda: record.read(raw.replace(b'"resourceType": "Patient"', b'"resourceType": 5')),
            seen,
        )
        export = tmp_path / "export"
        export.mkdir()
        (export / "Patient.ndjson").write_text(
            f'{{"resourceType": "Patient", "id": "{SENTINEL}"'
            f', "name": [{{"text": "{SENTINEL}"}}]\n',
            "utf-8",
        )
        _attempt(lambda: record.read(export), seen)
        # the command line: notes, missing facts and conflicts go to stderr
        bundle = tmp_path / "bundle.json"
        bundle.write_bytes(raw)
        claim_file = tmp_path / "claim.json"
        claim_file.write_text(json.dumps(_claim_data()), "utf-8")
        out, err = io.StringIO(), io.StringIO()
        main(
            ["record", "facts", str(bundle), "--month", "2026-09", "--claim", str(claim_file)],
            stdout=out,
            stderr=err,
        )
        assert SENTINEL in out.getvalue()  # the facts themselves are the output
        seen.append(err.getvalue())
        err = io.StringIO()
        main(["record", "facts", str(export)], stdout=io.StringIO(), stderr=err)
        seen.append(err.getvalue())
        # appeal --record: conflicts on stderr; validate against the record: DK8xx findings
        err = io.StringIO()
        main(
            [
                "appeal",
                "CCM21",
                "--claim",
                str(claim_file),
                "--record",
                str(bundle),
                "--date",
                "2026-11-02",
            ],
            stdout=io.StringIO(),
            stderr=err,
        )
        seen.append(err.getvalue())
        wrong = claim.evolve(
            facts=dict(claim.facts, care_manager_minutes=45, consent_date=date(2026, 9, 1))
        )
        letter = denialkit.appeal("CCM21", wrong, letter_date=LETTER_DATE)
        report = denialkit.check(letter, record=rec)
        assert {"DK801", "DK803"} <= {f.rule_id for f in report}
        for f in report:
            seen += [repr(f), f.message, f.hint or "", str(f)]
        _attempt(lambda: denialkit.validate(letter, record=rec), seen)
        seen += [str(w.message) for w in caught]
    seen += [r.getMessage() for r in caplog.records]
    assert [s for s in seen if SENTINEL in s] == []


def test_no_sentinel_in_notebook_displays() -> None:
    """The notebook HTML of a report, an explanation and a summary carries no patient value;
    a letter's carries them only inside the letter's own text."""
    import re

    from denialkit import remit

    claim = Claim.from_dict(_claim_data())
    letter = denialkit.appeal("CCM21", claim, letter_date=LETTER_DATE)
    page = letter._repr_html_()
    assert SENTINEL in page
    assert SENTINEL not in re.sub(r"<pre[^>]*>.*?</pre>", "", page, flags=re.S)
    edited = letter.text + f"\nAlso see {SENTINEL} Other, SSN 123-45-6789.\n"
    seen = [
        letter.report._repr_html_(),
        denialkit.validate_text(edited, claim=claim)._repr_html_(),
        denialkit.explain("CO-16 N290")._repr_html_(),
    ]
    raw = remit.sample().replace(b"NM1*QC*1*DOE*JANE", f"NM1*QC*1*{SENTINEL}*JANE".encode())
    raw = raw.replace(b"CLP*PCN1001", f"CLP*{SENTINEL}1".encode())
    summary = remit.summary(raw)
    seen += [summary._repr_html_(), str(summary), summary.chart()]
    assert [s for s in seen if SENTINEL in s] == []


def test_no_sentinel_from_the_batch(caplog: pytest.LogCaptureFixture, tmp_path: Path) -> None:
    from denialkit import batch, remit
    from denialkit.claim import Payer, Provider
    from denialkit.cli import main

    caplog.set_level(logging.DEBUG)
    raw = remit.sample().replace(b"NM1*QC*1*POE*EDGAR", f"NM1*QC*1*{SENTINEL}*EDGAR".encode())
    raw = raw.replace(b"ZX1000003", f"{SENTINEL}3".encode())
    assert raw.count(SENTINEL.encode()) == 2
    practice = Provider(name="Valley Family Medicine", npi="1234567893")
    seen: list[str] = []
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        for a in batch.appeals(raw, provider=practice, letter_date=LETTER_DATE):
            seen += [repr(a), a.reason or "", a.slug]
            if a.letter is not None:
                seen += [repr(a.letter), *(f.message for f in a.letter.report)]
        bad = {"name": f"{SENTINEL} Plan", "plan_type": SENTINEL}  # a checked Payer may refuse
        _attempt(lambda: batch.appeals(raw, provider=practice, payer=Payer(**bad)), seen)  # type: ignore[arg-type]
        # the folder: a planted letter file stops the run, naming the file (never the patient)
        era = tmp_path / "era.835"
        era.write_bytes(raw)
        provider = tmp_path / "provider.json"
        provider.write_text(json.dumps({"name": "Valley Family Medicine"}))
        out = tmp_path / "out"
        out.mkdir()
        (out / "0003-ACME26001003.txt").write_text("kept")
        for force in ([], ["--force"]):
            stdout, stderr = io.StringIO(), io.StringIO()
            argv = ["remit", str(era), "--appeals", str(out), "--provider", str(provider)]
            main([*argv, "--date", "2026-05-04", *force], stdout=stdout, stderr=stderr)
            seen += [stdout.getvalue(), stderr.getvalue(), *(p.name for p in out.iterdir())]
        seen += [str(w.message) for w in caught]
    seen += [r.getMessage() for r in caplog.records]
    assert "0003-ACME26001003.txt exists" in "".join(seen)
    assert [s for s in seen if SENTINEL in s] == []


# ------------------------------------------------------------------ the exception chain


def _chain(exc: BaseException) -> Iterator[BaseException]:
    """An exception and every exception it holds: ``__cause__`` and ``__context__``."""
    seen: set[int] = set()
    todo = [exc]
    while todo:
        e = todo.pop()
        if id(e) in seen:
            continue
        seen.add(id(e))
        yield e
        todo.extend(x for x in (e.__cause__, e.__context__) if x is not None)


def _retained(exc: BaseException) -> list[str]:
    """What an error reporter could ship: every message, argument and attribute of every
    exception in the chain, and the repr of every denialkit object in a frame of their
    tracebacks (as ``capture_locals`` shows it)."""
    import traceback

    out: list[str] = []
    for e in _chain(exc):
        out += [str(e), repr(e), *(repr(a) for a in e.args)]
        out += [repr(v) for v in vars(e).values()]  # e.g. JSONDecodeError.doc
        tb = e.__traceback__
        while tb is not None:
            for value in tb.tb_frame.f_locals.values():
                if type(value).__module__.startswith("denialkit"):
                    out.append(repr(value))
            tb = tb.tb_next
    # and a traceback formatter that shows locals must work (no repr may raise)
    text = "".join(traceback.TracebackException.from_exception(exc, capture_locals=True).format())
    assert text
    return out


def _raised(fn: Callable[[], object]) -> BaseException:
    try:
        fn()
    except Exception as exc:
        return exc
    raise AssertionError("expected an error")


def _entry_points() -> dict[str, Callable[[], object]]:
    from denialkit.claim import Patient, Payer
    from denialkit.validation import Validator

    data = _claim_data()
    text = json.dumps(data)
    claim = Claim.from_dict(data)
    bad = dict(data, patient={"name": f"{SENTINEL}\nX", "member_id": f"{SENTINEL}\x1b"})
    return {
        "from_json-truncated": lambda: Claim.from_json(text[:-7]),
        "from_json-bytes": lambda: Claim.from_json(text.encode("utf-8")[:-3] + b"\xff}"),
        "from_dict-newlines": lambda: Claim.from_dict(bad),
        "Patient-newline": lambda: Patient(name=f"{SENTINEL}\nDear reviewer", member_id="W"),
        "Payer-plan": lambda: Payer(name=f"{SENTINEL}", plan_type=f"{SENTINEL}"),  # type: ignore[arg-type]
        "appeal-strict-missing": lambda: denialkit.appeal(
            "CCM21", claim.without_fact("consent_date"), letter_date=LETTER_DATE, strict=True
        ),
        "appeal-strict-template-syntax": lambda: denialkit.appeal(
            "CCM21",
            claim.evolve(patient=Patient(name=f"{SENTINEL} {{{{7*7}}}}", member_id="W1")),
            letter_date=LETTER_DATE,
            strict=True,
        ),
        "appeal-late": lambda: denialkit.appeal("CCM21", claim, letter_date=date(2026, 1, 1)),
        "validate": lambda: denialkit.validate(
            f"Patient: {SENTINEL}\nSSN 123-45-6789\n", claim=claim
        ),
        "lookup": lambda: denialkit.lookup(f"{SENTINEL} Patient"),
        "explain": lambda: denialkit.explain(f"CO-16 {SENTINEL}"),
        "Validator-half-built": lambda: Validator(severity={f"{SENTINEL}": "error"}),
    }


@pytest.mark.parametrize("name", list(_entry_points()))
def test_no_sentinel_in_the_exception_chain_or_frame_locals(name: str) -> None:
    exc = _raised(_entry_points()[name])
    leaks = [s for s in _retained(exc) if SENTINEL in s]
    assert leaks == []


def test_from_json_errors_hold_no_chained_decoding_error() -> None:
    text = json.dumps(_claim_data())
    for broken in (text[:-7], text.encode("utf-8")[:-3] + b"\xff}"):
        exc = _raised(lambda b=broken: Claim.from_json(b))  # type: ignore[misc]
        assert [type(e).__name__ for e in _chain(exc)] == ["ClaimDataError"]


def test_validator_repr_works_after_a_failed_init() -> None:
    import traceback

    from denialkit.validation import Validator

    exc = _raised(lambda: Validator(severity={"DK999": "error"}))
    frames = traceback.TracebackException.from_exception(exc, capture_locals=True).stack
    shown = [f.locals.get("self") for f in frames if f.locals and "self" in f.locals]
    assert shown and all(s and s.startswith("<Validator") for s in shown)
