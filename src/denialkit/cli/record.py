"""Command-line command for FHIR records: ``record facts`` (private).

``denialkit record facts FILE... --code CCM21 --month 2026-09`` prints each fact the record
shows with the resource it came from, then the missing facts; ``--format json`` prints
``{"facts": {name: {"value", "source", "sources"}}, "missing": [...], "conflicts": [...],
"notes": [...]}``. With ``--claim FILE`` the facts are compared with the claim's and every
disagreement is listed under ``conflicts``. A record that cannot be read exits with 1.
"""

from __future__ import annotations

import argparse
import json
import re
from collections.abc import Sequence
from typing import Any, TextIO

from ._common import UsageError


def _month(text: str) -> str:
    if not re.fullmatch(r"[0-9]{4}-(0[1-9]|1[0-2])", text):
        raise argparse.ArgumentTypeError("expected a month as YYYY-MM")
    return text


def _conflict_rows(conflicts: Any) -> list[dict[str, str]]:
    return [
        {"fact": c.fact, "claim_path": c.claim_path, "source": c.record_source, "kept": c.kept}
        for c in conflicts
    ]


def fill_from_record(
    claim: Any, path: str, *, codes: Sequence[str], prefer: str, err: TextIO
) -> tuple[Any, list[dict[str, str]]]:
    """For ``appeal --record FILE``: the claim filled from the record for the first
    care-management code among ``codes`` (else the first), and the conflicts as rows (each
    also printed to ``err``)."""
    from denialkit.record import fill, is_bhi_code, read

    code = next((c for c in codes if is_bhi_code(c)), codes[0])
    filled = fill(claim, read(path), code=code, prefer=prefer)  # type: ignore[arg-type]
    for c in filled.conflicts:
        print(f"conflict: {c.message()}", file=err)
    return filled.claim, _conflict_rows(filled.conflicts)


def _conflicts(args: argparse.Namespace, rec: Any) -> list[dict[str, str]]:
    if not args.claim:
        return []
    from denialkit.claim import Claim
    from denialkit.record import fill

    try:
        with open(args.claim, "rb") as fh:
            claim = Claim.from_json(fh.read())
    except OSError as exc:
        raise UsageError(
            f"cannot read the claim file ({exc.strerror or type(exc).__name__})"
        ) from None
    filled = fill(claim, rec, code=args.code, month=args.month)
    return _conflict_rows(filled.conflicts)


def _cmd_facts(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from denialkit.record import facts, read

    files = args.files
    rec = read(files[0] if len(files) == 1 else files)
    found = facts(rec, code=args.code, month=args.month)
    conflicts = _conflicts(args, rec)
    if args.format == "json":
        data = found.to_dict()
        body = {
            "facts": data["facts"],
            "missing": data["missing"],
            "conflicts": conflicts,
            "notes": data["notes"],
        }
        json.dump(body, out, indent=2, ensure_ascii=False)
        out.write("\n")
        return 0
    plain = found.to_dict()["facts"]
    assert isinstance(plain, dict)
    width = max((len(n) for n in plain), default=0)
    for name, fact in found.facts.items():
        value = plain[name]["value"]
        shown = ", ".join(value) if isinstance(value, list) else str(value)
        where = ", ".join(f"{s.resource} ({s.path})" for s in fact.sources)
        print(f"{name:<{width}}  {shown}", file=out)
        print(f"{'':<{width}}    from {where}", file=out)
    if found.missing:
        print(f"missing ({len(found.missing)}): {', '.join(found.missing)}", file=err)
    else:
        print("no missing facts", file=err)
    for c in conflicts:
        print(
            f"conflict: {c['fact']}: the claim ({c['claim_path']}) and the record "
            f"({c['source']}) disagree",
            file=err,
        )
    for n in found.notes:
        about = " ".join(x for x in (n.fact, n.resource) if x)
        print(f"note: {about}: {n.message}", file=err)
    return 0


def register(sub: Any) -> None:
    """Add ``record facts``."""
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
    q.add_argument("--claim", metavar="FILE", help="a claim (JSON) to compare the facts with")
    q.add_argument("--format", choices=["text", "json"], default="text")
    q.set_defaults(handler=_cmd_facts)
