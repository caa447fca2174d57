"""Command-line commands for letters: ``appeal``, ``example-claim``, ``claim-schema`` and
``templates`` (private).

The letter goes to stdout (or ``-o PATH``, a new file: an existing file is replaced only with
``--force``, and a symbolic link never); what a person should know about it, the missing
facts, the warnings, the checklist, the filing deadline and the letter's own errors, goes to
stderr. ``--format json`` prints all of it, with the letter's parts and the validator's
report, as one JSON object. A letter that fails its own check (an error in its report) is
still written, and the exit status is 1.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any, TextIO

from denialkit.exceptions import DeadlineError, InvalidCodeError

from ._common import add_format, int_range, iso_date, json_text, plural, read_input, terminal


def _usage(message: str) -> Exception:
    from ._common import UsageError

    return UsageError(message)


def _read_claim(path: str) -> Any:
    from denialkit.claim import Claim

    data = sys.stdin.buffer.read() if path == "-" else read_input(path, "--claim")
    return Claim.from_json(data)


def _registry(args: argparse.Namespace) -> Any:
    from denialkit.templates import TemplateRegistry, default_registry

    if getattr(args, "templates_dir", None):
        import os

        if not os.path.isdir(args.templates_dir):
            raise _usage("--templates-dir: the directory does not exist or is not a directory")
        return TemplateRegistry(override_dir=args.templates_dir)
    return default_registry()


def _cmd_appeal(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from denialkit.letters import appeal, example_claim, format_date
    from denialkit.render import render, render_text

    if args.format in ("pdf", "docx") and not args.output:
        raise _usage(
            f"{args.format.upper()} output needs -o PATH (a {args.format.upper()} is not "
            "written to the terminal)"
        )
    if args.width is not None and args.format != "text":
        raise _usage("--width applies to text output only")
    try:
        claim = example_claim(args.codes[0]) if args.example else _read_claim(args.claim)
        conflicts: list[dict[str, str]] = []
        if args.record:
            from .record import fill_from_record

            claim, conflicts = fill_from_record(
                claim,
                args.record,
                codes=args.codes,
                prefer=args.prefer,
                err=err,
                patient=args.patient,
            )
        letter = appeal(
            args.codes,
            claim,
            level=args.level,
            template=args.template,
            registry=_registry(args),
            letter_date=args.date,
            strict=args.strict,
        )
    except InvalidCodeError as exc:
        raise _usage(f"CODE: {exc}") from None
    except DeadlineError as exc:
        if args.level is None:
            raise
        raise _usage(f"--level: {exc}") from None

    if args.format == "text":
        body: str | bytes = render_text(letter, width=args.width)
    elif args.format == "json":
        plain = letter.to_dict()
        plain["conflicts"] = conflicts  # what a FHIR record said against the claim (--record)
        body = json_text(plain) + "\n"
    else:
        body = render(letter, args.format)
    if args.output:
        data = body if isinstance(body, bytes) else body.encode("utf-8")
        _write_new(args.output, data, force=args.force)
        print(terminal(f"wrote {args.format} letter to {args.output}"), file=err)
    else:
        assert isinstance(body, str)
        out.write(body if body.endswith("\n") else body + "\n")

    if letter.missing:
        n = len(letter.missing)
        print(
            terminal(
                f"missing fact{'s' if n != 1 else ''} ({n}): {', '.join(letter.missing)}; "
                "each is marked [MISSING: ...] in the letter"
            ),
            file=err,
        )
    else:
        print("no missing facts", file=err)
    for w in letter.warnings:
        print(terminal(f"warning: {w}"), file=err)
    if letter.checklist:
        print("worth adding to the claim's evidence (not in the letter):", file=err)
        for item in letter.checklist:
            print(terminal(f"  - {item.item} [{item.kind.value}]: {item.why}"), file=err)
    d = letter.deadline
    if d is not None:
        print(
            f"deadline: {d.level.name} (level {d.level.number}) must reach the payer by "
            f"{format_date(d.due)}: {d.rule} [{d.citation}]",
            file=err,
        )
    else:
        print(
            f"deadline: none computed for {letter.level.name} (level {letter.level.number}): "
            f"{letter.deadline_note}",
            file=err,
        )
    return _report_errors(letter, err)


def _report_errors(letter: Any, err: TextIO) -> int:
    """Exit status 1, with the findings on stderr, when the letter fails its own check (it
    was still written): e.g. template syntax left in a claim value (DK301)."""
    errors = letter.report.errors
    if not errors:
        return 0
    n = len(errors)
    print(f"the letter fails its own check: {n} error{'s' if n != 1 else ''}", file=err)
    for finding in errors:
        print(terminal(finding.format("letter"), lines=False), file=err)
    return 1


def _write_new(path: str, data: bytes, *, force: bool) -> None:
    """Write ``data`` to a new file at ``path``: never through a symbolic link, and never
    over an existing file unless ``force`` (both are usage errors naming the file)."""
    import os

    flags = os.O_WRONLY | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0)
    flags |= os.O_TRUNC if force else os.O_EXCL
    problem: str | None = None
    try:
        fd = os.open(path, flags, 0o644)
    except FileExistsError:
        problem = f"the output file {path} exists; use --force to replace it"
    except OSError as exc:
        if os.path.islink(path):
            problem = f"the output file {path} is a symbolic link; it is not written through"
        else:
            why = exc.strerror or type(exc).__name__
            problem = f"cannot write the output file {path} ({why})"
    if problem is not None:
        raise _usage(terminal(problem, lines=False))
    with os.fdopen(fd, "wb") as fh:
        fh.write(data)


def _cmd_example_claim(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from denialkit.letters import example_claim

    try:
        claim = example_claim(args.code)
    except InvalidCodeError as exc:
        raise _usage(str(exc)) from None
    out.write(claim.to_json() + "\n")
    return 0


def _cmd_claim_schema(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from denialkit.claim import claim_schema

    out.write(json_text(claim_schema(), indent=2) + "\n")
    return 0


def _cmd_templates_list(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    reg = _registry(args)
    infos = reg.templates()
    if args.format == "json":
        json.dump(
            [
                {
                    "name": t.name,
                    "pack": t.pack,
                    "kind": t.kind,
                    "codes": list(t.meta.codes),
                    "categories": [c.value for c in t.meta.categories],
                    "facts": list(t.meta.facts),
                    "optional_facts": list(t.meta.optional_facts),
                    "description": t.meta.description,
                }
                for t in infos
            ],
            out,
            indent=2,
        )
        out.write("\n")
        return 0
    width = max(len(t.name) for t in infos)
    for t in infos:
        print(terminal(f"{t.name:<{width}}  {t.kind:<8}  {t.serves}", lines=False), file=out)
    print(f"{plural(len(infos), 'template')} in {plural(len(reg.packs), 'pack')}", file=err)
    return 0


def _cmd_templates_show(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    reg = _registry(args)
    info = reg.get(args.name)
    meta = info.meta
    head = [f"# {info.name}", f"# serves: {info.serves}"]
    if meta.description:
        head.append(f"# {meta.description}")
    if meta.facts:
        head.append(f"# facts: {', '.join(meta.facts)}")
    if meta.optional_facts:
        head.append(f"# optional facts: {', '.join(meta.optional_facts)}")
    for line in head:
        print(terminal(line, lines=False), file=out)
    source = terminal(reg.source(info.name))
    out.write(source if source.endswith("\n") else source + "\n")
    return 0


def register(sub: Any) -> None:
    """Add ``appeal``, ``example-claim``, ``claim-schema`` and ``templates``."""
    p = sub.add_parser(
        "appeal",
        help="write the appeal letter for a denial",
        description="Write the appeal letter for a denial. The letter goes to stdout (or -o); "
        "missing facts and the filing deadline go to stderr.",
    )
    p.add_argument("codes", nargs="+", metavar="CODE", help="denial code(s), e.g. CO-50 or CCM21")
    src = p.add_mutually_exclusive_group(required=True)
    src.add_argument("--claim", metavar="FILE", help="the claim as JSON ('-' reads stdin)")
    src.add_argument(
        "--example", action="store_true", help="use the bundled example claim for the first CODE"
    )
    p.add_argument(
        "--format",
        choices=["text", "md", "html", "pdf", "docx", "json"],
        default="text",
        help="text (default), md, html, pdf (needs denialkit[pdf]), docx (needs "
        "denialkit[docx]), or json: the parts, missing facts, checklist, warnings, deadline "
        "and report",
    )
    p.add_argument(
        "--json", dest="format", action="store_const", const="json", help="--format json"
    )
    p.add_argument(
        "-o", "--output", metavar="PATH", help="write to a new file (required for pdf and docx)"
    )
    p.add_argument(
        "--force", action="store_true", help="replace the -o file if it exists (never a link)"
    )
    p.add_argument(
        "--record",
        metavar="FILE",
        help="fill the claim's facts and evidence from a FHIR R4 record (JSON, NDJSON or folder)",
    )
    p.add_argument(
        "--prefer",
        choices=["claim", "record"],
        default="claim",
        help="whose value a conflict keeps with --record (default: the claim's)",
    )
    p.add_argument(
        "--patient",
        metavar="Patient/ID",
        help="with --record: whose facts to read, when the record is about several patients",
    )
    p.add_argument(
        "--template", metavar="NAME", help="a template name, e.g. builtin/generic.txt.j2"
    )
    p.add_argument("--templates-dir", metavar="DIR", help="a directory of your own templates")
    p.add_argument(
        "--level",
        type=int_range(1, 5),
        metavar="N",
        help="the appeal level, 1 to 5 (default: the next)",
    )
    p.add_argument("--date", type=iso_date, metavar="DATE", help="the letter date (default: today)")
    p.add_argument(
        "--width", type=int_range(20), metavar="N", help="wrap text output to N columns (20+)"
    )
    p.add_argument(
        "--strict",
        action="store_true",
        help="fail (exit 1) and write nothing when facts are missing, a warning applies or "
        "the letter fails its own check",
    )
    p.set_defaults(handler=_cmd_appeal)

    p = sub.add_parser("example-claim", help="print a bundled example claim as JSON")
    p.add_argument("code", help="a code with an example: CCM21, CO-16, CO-50, CO-197")
    p.set_defaults(handler=_cmd_example_claim)

    p = sub.add_parser("claim-schema", help="print the JSON Schema of the claim format")
    p.set_defaults(handler=_cmd_claim_schema)

    p = sub.add_parser("templates", help="list or show letter templates")
    tsub = p.add_subparsers(dest="templates_command", metavar="ACTION", required=True)
    q = tsub.add_parser("list", help="list every template in search order")
    q.add_argument("--templates-dir", metavar="DIR", help="a directory of your own templates")
    add_format(q)
    q.set_defaults(handler=_cmd_templates_list)
    q = tsub.add_parser("show", help="print a template's metadata and source")
    q.add_argument("name", help="a template name, e.g. builtin/ccm21.txt.j2 or ccm21")
    q.add_argument("--templates-dir", metavar="DIR", help="a directory of your own templates")
    q.set_defaults(handler=_cmd_templates_show)
