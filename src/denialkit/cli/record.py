"""Command-line commands for FHIR records: ``record facts`` and ``record patients`` (private).

``denialkit record facts FILE... --code CCM21 --month 2026-09`` prints each fact the record
shows with the resource it came from, then the missing facts; ``--format json`` prints
``{"facts": {name: {"value", "source", "sources"}}, "missing": [...], "conflicts": [...],
"notes": [...]}`` (``--json`` is the same). With ``--claim FILE`` the facts are compared with
the claim's and every disagreement is listed under ``conflicts``; the facts are then read as
``record.fill`` reads them for that claim (its billed month when ``--month`` is not given,
and its payer may say which of several coverages is its own). A missing or unreadable file
exits with 2, a file that is not a FHIR R4 record with 1.
"""

from __future__ import annotations

import argparse
import re
from collections.abc import Sequence
from datetime import date
from typing import Any, TextIO

from ._common import EXIT_FINDING, UsageError, add_format, json_text, terminal


def _month(text: str) -> str:
    if not re.fullmatch(r"[0-9]{4}-(0[1-9]|1[0-2])", text):
        raise argparse.ArgumentTypeError("expected a month as YYYY-MM")
    return text


def _day(text: str) -> date:
    try:
        if re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", text):
            return date.fromisoformat(text)
    except ValueError:
        pass
    raise argparse.ArgumentTypeError("expected a date as YYYY-MM-DD")


def load_record(paths: Sequence[str], what: str) -> Any:
    """The record in ``paths``; a missing or unreadable path is a usage error (exit 2), a
    file that is not a FHIR R4 record a :class:`~denialkit.exceptions.RecordError` (exit 1)."""
    import os

    from denialkit.record import read

    for path in paths:
        if not os.path.exists(path) or not os.access(path, os.R_OK):
            reason = "No such file or directory" if not os.path.exists(path) else "not readable"
            raise UsageError(f"{what}: cannot read the file ({reason})")
    return read(paths[0] if len(paths) == 1 else list(paths))


def _conflict_rows(conflicts: Any) -> list[dict[str, str]]:
    return [
        {"fact": c.fact, "claim_path": c.claim_path, "source": c.record_source, "kept": c.kept}
        for c in conflicts
    ]


def fill_from_record(
    claim: Any,
    path: str,
    *,
    codes: Sequence[str],
    prefer: str,
    err: TextIO,
    patient: str | None = None,
) -> tuple[Any, list[dict[str, str]]]:
    """For ``appeal --record FILE``: the claim filled from the record for the first
    care-management code among ``codes`` (else the first), and the conflicts as rows (each
    also printed to ``err``)."""
    from denialkit.record import fill, is_bhi_code

    code = next((c for c in codes if is_bhi_code(c)), codes[0])
    rec = load_record([path], "--record")
    filled = fill(claim, rec, code=code, prefer=prefer, patient=patient)  # type: ignore[arg-type]
    for c in filled.conflicts:
        print(terminal(f"conflict: {c.message()}", lines=False), file=err)
    return filled.claim, _conflict_rows(filled.conflicts)


def _with_claim(args: argparse.Namespace, rec: Any) -> tuple[Any, list[dict[str, str]]]:
    """With ``--claim``: the facts as ``record.fill`` reads them for that claim (its payer may
    say which of several coverages is its own) and the conflicts as rows; else the facts
    alone."""
    from denialkit.record import facts

    if not args.claim:
        if args.service_date is not None and args.month is None:
            args.month = f"{args.service_date:%Y-%m}"  # the month the service is in
        try:
            found = facts(
                rec,
                code=args.code,
                month=args.month,
                patient=args.patient,
                service_date=args.service_date,
            )
        except ValueError as exc:
            if args.service_date is None or "service_date" not in str(exc):
                raise
            raise UsageError("--service-date: the date is not in --month") from None
        return found, []
    if args.service_date is not None:
        raise UsageError("--service-date: with --claim, the claim's services give the date")
    from denialkit.claim import Claim
    from denialkit.record import fill

    from ._common import read_input

    claim = Claim.from_json(read_input(args.claim, "--claim"))
    filled = fill(claim, rec, code=args.code, month=args.month, patient=args.patient)
    return filled.record_facts, _conflict_rows(filled.conflicts)


def _cmd_facts(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from denialkit.codes import default_table
    from denialkit.exceptions import InvalidCodeError, UnknownCodeError

    try:
        default_table().lookup(args.code)
    except InvalidCodeError as exc:
        raise UsageError(f"--code: {exc}") from None
    except UnknownCodeError as exc:
        print(terminal(f"denialkit: --code: {exc}", lines=False), file=err)
        return EXIT_FINDING
    rec = load_record(args.files, "FILE")
    found, conflicts = _with_claim(args, rec)
    if args.format == "json":
        data = found.to_dict()
        body = {
            "facts": data["facts"],
            "missing": data["missing"],
            "conflicts": conflicts,
            "notes": data["notes"],
        }
        out.write(json_text(body) + "\n")
        return 0
    plain = found.to_dict()["facts"]
    assert isinstance(plain, dict)
    width = max((len(n) for n in plain), default=0)
    for name, fact in found.facts.items():
        value = plain[name]["value"]
        shown = ", ".join(value) if isinstance(value, list) else str(value)
        where = ", ".join(f"{s.resource} ({s.path})" for s in fact.sources)
        print(terminal(f"{name:<{width}}  {shown}", lines=False), file=out)
        print(terminal(f"{'':<{width}}    from {where}", lines=False), file=out)
    if found.missing:
        missing = f"missing ({len(found.missing)}): {', '.join(found.missing)}"
        print(terminal(missing, lines=False), file=err)
    else:
        print("no missing facts", file=err)
    for c in conflicts:
        line = (
            f"conflict: {c['fact']}: the claim ({c['claim_path']}) and the record "
            f"({c['source']}) disagree"
        )
        print(terminal(line, lines=False), file=err)
    # the same note on many resources (one per explanation of benefit, say) is one line that
    # names the first and counts the others; --format json keeps every note
    grouped: dict[tuple[str | None, str], list[str | None]] = {}
    for n in found.notes:
        grouped.setdefault((n.fact, n.message), []).append(n.resource)
    for (fact, message), resources in grouped.items():
        if len(resources) > 2 and all(resources):
            resources = [f"{resources[0]} and {len(resources) - 1} more"]
        for resource in resources:
            about = " ".join(x for x in (fact, resource) if x)
            line = f"note: {about}: {message}" if about else f"note: {message}"
            print(terminal(line, lines=False), file=err)
    return 0


def _cmd_patients(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """Each patient the record is about, one a line (the keys ``--patient`` takes)."""
    rec = load_record(args.files, "FILE")
    patients = list(rec.patients())
    if args.format == "json":
        out.write(json_text({"patients": patients}) + "\n")
    else:
        for key in patients:
            print(terminal(key, lines=False), file=out)
    print(f"{len(patients)} patient{'' if len(patients) == 1 else 's'}", file=err)
    return 0


def register(sub: Any) -> None:
    """Add ``record facts`` and ``record patients``."""
    p = sub.add_parser("record", help="read claim facts from a FHIR R4 record")
    rsub = p.add_subparsers(dest="record_command", metavar="ACTION", required=True)
    q = rsub.add_parser(
        "facts",
        help="print the facts a record shows, each with its source",
        description="Read a FHIR R4 record (a Bundle, a resource, NDJSON files or a bulk-export "
        "folder) and print the facts of a denial code for the billed month, each with the "
        "resource it came from. Missing facts and notes go to stderr.",
    )
    q.add_argument("files", nargs="+", metavar="FILE", help="the record: JSON, NDJSON or a folder")
    q.add_argument("--code", default="CCM21", help="the denial code (default: CCM21)")
    q.add_argument("--month", type=_month, metavar="YYYY-MM", help="the billed calendar month")
    q.add_argument(
        "--service-date",
        type=_day,
        metavar="YYYY-MM-DD",
        help="the date of service a consent must cover (its month is billed unless --month)",
    )
    q.add_argument("--claim", metavar="FILE", help="a claim (JSON) to compare the facts with")
    q.add_argument(
        "--patient",
        metavar="Patient/ID",
        help="whose facts to read, when the record is about several patients",
    )
    add_format(q, ("text", "json"))
    q.set_defaults(handler=_cmd_facts)
    w = rsub.add_parser(
        "patients",
        help="list the patients a record is about (for --patient)",
        description="Read a FHIR R4 record and print each patient it is about, one a line, "
        "as --patient takes it: each Patient resource, and each patient other resources name.",
    )
    w.add_argument("files", nargs="+", metavar="FILE", help="the record: JSON, NDJSON or a folder")
    add_format(w, ("text", "json"))
    w.set_defaults(handler=_cmd_patients)
