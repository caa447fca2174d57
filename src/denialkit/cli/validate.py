"""The ``validate`` command: check a letter file (private).

``denialkit validate FILE [--claim claim.json] [--record FILE] [--code CCM21]
[--author provider|patient] [--format text|json] [--disable DK123]`` prints one finding per line as
``FILE:LINE:COL: DK101 error message``, the form editors and CI systems read; findings
about the letter as a whole print as ``FILE: DK101 error message``. Exit status: 0 when
there is no error, 1 when there are errors, 2 for usage errors (a missing file, a file that
is not UTF-8 text, an unreadable claim, an unknown code or rule id).
"""

from __future__ import annotations

import argparse
import sys
from typing import Any, TextIO

from ._common import add_format, json_text, terminal

_MAX_FILE = 64 * 1024 * 1024


def _usage(message: str) -> Exception:
    from ._common import UsageError

    return UsageError(message)


def _read_text(path: str) -> tuple[str, str]:
    """The letter's text and the name to print for it; ``-`` reads standard input."""
    if path == "-":
        raw = sys.stdin.buffer.read(_MAX_FILE + 1)
        name = "<stdin>"
    else:
        try:
            with open(path, "rb") as fh:
                raw = fh.read(_MAX_FILE + 1)
        except OSError as exc:
            raise _usage(
                f"FILE: cannot read the file ({exc.strerror or type(exc).__name__})"
            ) from None
        name = path
    if len(raw) > _MAX_FILE:
        raise _usage(f"the letter file is larger than {_MAX_FILE // (1024 * 1024)} MB")
    problem = _not_text(raw)
    if problem is not None:
        raise _usage(f"{name} is not a UTF-8 text file ({problem}); save the letter as UTF-8 text")
    text = raw.decode("utf-8")
    if text.startswith("\ufeff"):
        text = text[1:]
    return text, name


def _not_text(raw: bytes) -> str | None:
    """Why ``raw`` is not the UTF-8 text of a letter (a NUL byte, or bytes that do not decode),
    naming only the offset, or None."""
    nul = raw.find(b"\x00")
    if nul >= 0:
        return f"a NUL byte at offset {nul}"
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        return f"bytes that are not UTF-8 at offset {exc.start}"
    return None


def _read_claim(path: str) -> Any:
    from denialkit.claim import Claim
    from denialkit.exceptions import ClaimDataError

    try:
        with open(path, "rb") as fh:
            raw = fh.read(_MAX_FILE + 1)
    except OSError as exc:
        raise _usage(
            f"--claim: cannot read the file ({exc.strerror or type(exc).__name__})"
        ) from None
    try:
        return Claim.from_json(raw)
    except ClaimDataError as exc:
        raise _usage(f"--claim: the file is not a valid claim: {exc}") from None


def _codes(values: list[str]) -> list[Any]:
    from denialkit.codes import default_table
    from denialkit.exceptions import InvalidCodeError, UnknownCodeError

    out = []
    for value in values:
        for part in value.split(","):
            if not part.strip():
                continue
            try:
                out.append(default_table().lookup(part))
            except (InvalidCodeError, UnknownCodeError) as exc:
                raise _usage(f"--code: {exc}") from None
    return out


def _rule_ids(values: list[str]) -> list[str]:
    return [p.strip().upper() for v in values for p in v.split(",") if p.strip()]


def _cmd_validate(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from denialkit.validation import Validator

    disabled = _rule_ids(args.disable)
    try:
        validator = Validator(disable=disabled)
    except ValueError:
        known = {r.id for r in Validator().rules}
        bad = next((i for i in disabled if i not in known), "")
        shown = bad if len(bad) <= 12 and bad.isalnum() else "a value"
        raise _usage(f"--disable: {shown} is not the id of a known rule") from None
    text, name = _read_text(args.file)
    claim = _read_claim(args.claim) if args.claim else None
    codes = _codes(args.code) if args.code else None
    rec = None
    if args.record:
        from .record import load_record

        rec = load_record([args.record], "--record")  # not FHIR R4: a RecordError, exit 1
        if args.patient:
            rec = rec.for_patient(args.patient)
    report = validator.check(text, claim=claim, codes=codes, author=args.author, record=rec)
    if args.format == "json":
        data = {"file": name, **report.to_dict()}
        out.write(json_text(data) + "\n")
    else:
        for f in report.findings:
            print(terminal(f.format(name), lines=False), file=out)
        print(terminal(f"{name}: {report.summary}", lines=False), file=err)
    return 0 if report.ok else 1


def register(sub: Any) -> None:
    """Add ``validate`` to the command line."""
    p = sub.add_parser(
        "validate",
        help="check an appeal letter for missing content, leftovers and errors",
        description="Check a letter file. Prints FILE:LINE:COL: RULE severity message per "
        "finding; exit 0 without errors, 1 with errors, 2 for usage errors.",
    )
    p.add_argument("file", metavar="FILE", help="the letter as UTF-8 text ('-' for stdin)")
    p.add_argument("--claim", metavar="CLAIM.JSON", help="the claim the letter answers")
    p.add_argument(
        "--record",
        metavar="FILE",
        help="the patient's FHIR R4 record (JSON, NDJSON or a folder): check the letter's "
        "minutes, scores and dates against it (rules DK8xx)",
    )
    p.add_argument(
        "--patient",
        metavar="Patient/ID",
        help="with --record: whose record it is, when it is about several patients",
    )
    p.add_argument(
        "--code",
        action="append",
        default=[],
        metavar="CODE",
        help="a denial code the letter answers (repeat or comma-separate); default: the "
        "claim's codes",
    )
    p.add_argument(
        "--author",
        choices=["provider", "patient"],
        help="who writes the letter (default: worked out from the text); some requirements "
        "follow it, e.g. a patient's letter needs no CPT or denial code",
    )
    add_format(p)
    p.add_argument(
        "--disable",
        action="append",
        default=[],
        metavar="RULE",
        help="a rule id to skip, e.g. DK118 (repeat or comma-separate)",
    )
    p.set_defaults(handler=_cmd_validate)
