"""Command-line command for 835 remittances: ``remit`` (private).

``denialkit remit FILE`` prints one row per adjustment (``--format table|csv|json``);
``--summary`` prints totals and the denied amounts by category and code instead;
``--appeals DIR`` writes appeal letters in batch (see :mod:`denialkit.cli.batch`). Warnings
about the file go to stderr as ``denialkit: warning: ...``; a malformed file exits with 1, a
missing or unreadable one with 2.
"""

from __future__ import annotations

import argparse
import itertools
import warnings
from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from typing import Any, TextIO

from denialkit.exceptions import X12Warning

from ._common import UsageError, iso_date, json_text, money, plural, terminal

_FORMATS = ("table", "csv", "json")

_TABLE = (
    ("claim", 16),
    ("status", 6),
    ("level", 5),
    ("line", 4),
    ("procedure", 9),
    ("code", 8),
    ("amount", 11),
    ("category", 24),
    ("action", 18),
    ("work", 4),  # "yes" on a row the work list holds (needs_work), else blank
)


def _plain(value: object) -> object:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, date):
        return value.isoformat()
    return value


def _cell(value: object, width: int) -> str:
    text = "" if value is None else terminal(str(_plain(value)), lines=False)
    return text if len(text) <= width else text[: width - 1] + "…"


def _write_table(rows: Iterator[dict[str, object]], out: TextIO, err: TextIO) -> None:
    print("  ".join(f"{name:<{w}}" for name, w in _TABLE).rstrip(), file=out)
    n = bare = 0
    for r in rows:
        if r["code"] is None:
            bare += 1  # a claim without any adjustment: a row of its own
        else:
            n += 1
        cells = []
        for name, w in _TABLE:
            if name == "status":
                value = r["claim_status"]
            elif name == "work":
                value = "yes" if r["needs_work"] else None
            else:
                value = r[name]
            cell = money(value) if isinstance(value, Decimal) else _cell(value, w)
            cells.append(f"{cell:>{w}}" if name == "amount" else f"{cell:<{w}}")
        print("  ".join(cells).rstrip(), file=out)
    more = f", {plural(bare, 'claim')} without any" if bare else ""
    print(plural(n, "adjustment") + more, file=err)


def _write_csv(rows: Iterator[dict[str, object]], out: TextIO) -> None:
    from denialkit._csvsafe import write_rows
    from denialkit.remit import COLUMNS

    write_rows(out, COLUMNS, rows)


def _write_json(rows: Iterator[dict[str, object]], out: TextIO) -> None:
    out.write("[")
    first = True
    for r in rows:
        out.write("\n " if first else ",\n ")
        first = False
        out.write(json_text({k: _plain(v) for k, v in r.items()}, indent=None))
    out.write("\n]\n" if not first else "]\n")


def _cmd_remit(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from denialkit import remit

    if args.appeals is not None:
        from .batch import run

        return run(args, out, err)
    for flag, value in (
        ("--provider", args.provider),
        ("--payer", args.payer),
        ("--services", args.services),
        ("--date", args.date),
        ("--templates-dir", args.templates_dir),
        ("--force", args.force or None),
    ):
        if value is not None:
            raise UsageError(f"{flag} applies to --appeals DIR only")
    if args.format is None:
        args.format = "table"
    elif args.format not in _FORMATS:
        raise UsageError(
            f"--format is one of {', '.join(_FORMATS)} (with --appeals DIR: text, md, html, pdf)"
        )

    def show(message: Warning | str, category: type[Warning], *_: Any, **__: Any) -> None:
        print(terminal(f"denialkit: warning: {message}", lines=False), file=err)

    with warnings.catch_warnings():
        warnings.simplefilter("always", X12Warning)
        warnings.showwarning = show  # restored when the block ends
        try:
            if args.summary:
                summary = remit.summary(args.file, strict=args.strict)
                if args.format == "json":
                    out.write(json_text(summary.to_dict()) + "\n")
                elif args.format == "csv":
                    from denialkit._csvsafe import write_rows

                    columns = ("code", "category", "count", "amount")
                    write_rows(
                        out, columns, (dict(zip(columns, r, strict=True)) for r in summary.by_code)
                    )
                else:
                    print(terminal(str(summary)), file=out)
                    if summary.by_category:
                        print("", file=out)
                        print(terminal(summary.chart()), file=out)
                return 0
            rows = remit.iter_records(args.file, strict=args.strict)
            head = next(rows, None)  # read the first claim before printing anything
            if head is not None:
                rows = itertools.chain([head], rows)
            if args.format == "csv":
                _write_csv(rows, out)
            elif args.format == "json":
                _write_json(rows, out)
            else:
                _write_table(rows, out, err)
        except BrokenPipeError:
            raise
        except OSError as exc:
            raise UsageError(
                f"FILE: cannot read the file ({exc.strerror or type(exc).__name__})"
            ) from None
    return 0


def register(sub: Any) -> None:
    """Add ``remit`` to the command line."""
    p = sub.add_parser(
        "remit",
        help="read an X12 835 remittance: adjustments, denials, totals",
        description="Read an X12 835 remittance file. Prints one row per adjustment, or "
        "with --summary the totals and the denied amounts by category and code.",
    )
    p.add_argument("file", metavar="FILE", help="an 835 file")
    p.add_argument(
        "--format",
        choices=[*_FORMATS, "text", "md", "html", "pdf"],
        default=None,
        help="table, csv or json (default table); with --appeals: text, md, html or pdf "
        "(default text)",
    )
    p.add_argument(
        "--json", dest="format", action="store_const", const="json", help="--format json"
    )
    p.add_argument(
        "--summary", action="store_true", help="totals and denied amounts by category and code"
    )
    p.add_argument(
        "--strict",
        action="store_true",
        help="fail on count, control-number and balance errors (with --appeals: also write no "
        "letter that lacks facts, and exit 1)",
    )
    g = p.add_argument_group("appeal letters in batch")
    g.add_argument(
        "--appeals",
        metavar="DIR",
        help="write an appeal letter per claim whose denial calls for one into DIR, with "
        "DIR/index.csv listing every claim that needs work",
    )
    g.add_argument(
        "--provider",
        metavar="FILE",
        help="JSON: the practice (the claim format's provider object); required with --appeals",
    )
    g.add_argument(
        "--payer", metavar="FILE", help="JSON: the payer (the claim format's payer object)"
    )
    g.add_argument(
        "--services",
        metavar="FILE",
        help="JSON: the services as billed, by patient control number (CLP01), for claims the "
        "835 answers without service lines (inpatient DRG claims): "
        '{"PCN1": [{"code": "0450", "date": "2026-03-02", "charge": "1200.00"}], ...}',
    )
    g.add_argument("--date", type=iso_date, metavar="DATE", help="the letter date (default: today)")
    g.add_argument("--templates-dir", metavar="DIR", help="a directory of your own templates")
    g.add_argument(
        "--force",
        action="store_true",
        help="replace letters and an index.csv that DIR holds already (never through a "
        "symbolic link)",
    )
    p.set_defaults(handler=_cmd_remit)
