"""Command-line commands for codes: ``lookup``, ``search``, ``codes`` (private)."""

from __future__ import annotations

import argparse
import re
import textwrap
from datetime import date
from typing import Any, TextIO

from denialkit.codes import Category, CodeSystem, DenialCode, default_table
from denialkit.exceptions import InvalidCodeError, UnknownCodeError

from ._common import (
    EXIT_FINDING,
    UsageError,
    add_format,
    int_range,
    iso_date,
    json_text,
    plural,
    terminal,
)


def code_json(code: DenialCode, on: date | None = None) -> dict[str, Any]:
    """A JSON-ready description of a code, knowledge included."""
    rec: dict[str, Any] = {
        k: (v.isoformat() if isinstance(v, date) else v) for k, v in code.to_record().items()
    }
    rec["key"] = code.key
    rec["title"] = code.title
    rec["category_label"] = code.category.label
    rec["action_label"] = code.action.label
    rec["action_reason"] = code.action_reason
    rec["appeal_reason"] = code.appeal_reason
    rec["is_alert"] = code.is_alert
    rec["group_limit"] = sorted(code.group_limit)
    if code.group is not None:
        rec["group_meaning"] = code.group.meaning
        rec["patient_billable"] = code.group.patient_billable
    if on is not None:
        rec["active_on"] = {"date": on.isoformat(), "active": code.is_active(on)}
    k = code.knowledge
    if k is not None:
        rec["knowledge"] = {
            "causes": list(k.causes),
            "prevention": list(k.prevention),
            "evidence": list(k.evidence),
            "how_to_appeal": k.how_to_appeal,
            "related": list(k.related),
            "who": list(k.who),
            "details": list(k.details),
            "services": [{"code": s.code, "requirement": s.requirement} for s in k.services],
            "related_note": k.related_note,
        }
    return rec


def _wrap(text: str, indent: str = "  ") -> str:
    return textwrap.fill(text, width=88, initial_indent=indent, subsequent_indent=indent)


def _bullets(title: str, items: tuple[str, ...], out: list[str]) -> None:
    if not items:
        return
    out.append(f"  {title}:")
    for item in items:
        out.append(
            textwrap.fill(item, width=88, initial_indent="    - ", subsequent_indent="      ")
        )


def describe_code(code: DenialCode, on: date | None = None) -> str:
    """A human-readable description of a code and what to do about it."""
    dates = []
    if code.start:
        dates.append(f"since {code.start}")
    else:
        dates.append("start date unknown")
    if code.last_modified:
        dates.append(f"modified {code.last_modified}")
    if code.stop:
        dates.append(f"stopped {code.stop}")
    lines = [
        f"{code.key}  {code.system.value} · {code.category.label} · {code.status.value} "
        f"({', '.join(dates)})"
    ]
    if code.title:
        lines.append(_wrap(f"Title: {code.title}"))
    lines.append(_wrap(code.summary))
    if code.official_text:
        lines.append(_wrap(f"Official text: {code.official_text}"))
    if code.group is not None:
        billable = {True: "may be billed", False: "may not be billed", None: "not applicable"}
        lines.append(
            _wrap(
                f"Group {code.group.code} ({code.group.name}): patient "
                f"{billable[code.group.patient_billable]}."
            )
        )
        if code.group_limit and code.group.code not in code.group_limit:
            lines.append(
                _wrap(
                    f"Warning: this reason code is only used with group "
                    f"{' or '.join(sorted(code.group_limit))}."
                )
            )
    lines.append(_wrap(f"Next step: {code.action.label}. {code.action_reason}"))
    lines.append(_wrap(f"Appealable: {code.appealable.value}. {code.appeal_reason}"))
    if code.requires_remark:
        lines.append(_wrap("This reason code is always sent with at least one remark code."))
    if on is not None:
        state = "active" if code.is_active(on) else "NOT active"
        lines.append(_wrap(f"On {on}: {state}."))
    k = code.knowledge
    if k is not None:
        for para in k.details:
            lines.append(_wrap(para))
        _bullets("Common causes", k.causes, lines)
        _bullets("Prevention", k.prevention, lines)
        _bullets("Evidence for an appeal", k.evidence, lines)
        lines.append(_wrap(f"How to appeal: {k.how_to_appeal}"))
        if k.services:
            _bullets("Services", tuple(f"{s.code}: {s.requirement}" for s in k.services), lines)
        if k.related:
            lines.append(_wrap(f"Related codes: {', '.join(k.related)}"))
        if k.related_note:
            lines.append(_wrap(k.related_note))
        if k.who:
            lines.append(_wrap(f"Who acts: {', '.join(k.who)}"))
    return "\n".join(lines)


def _unknown(exc: UnknownCodeError, err: TextIO) -> int:
    print(terminal(f"denialkit: {exc}"), file=err)
    return EXIT_FINDING


_CODE_LIKE = re.compile(r"[A-Za-z0-9][A-Za-z0-9 -]{0,11}")


def _shown(text: str) -> str:
    """A code argument as a message may repeat it: only when it looks like a code."""
    return repr(text) if _CODE_LIKE.fullmatch(text) else "the text given"


def _which(codes: list[str]) -> str:
    """Which argument of ``explain`` is not a known code, and in which role."""
    table = default_table()
    reason_seen = False
    for i, text in enumerate(codes, 1):
        for part in text.replace(",", " ").replace(";", " ").split() or [text]:
            role = "a remark code" if reason_seen else "the reason code"
            hit = table.get(part)
            if hit is None:
                return f"argument {i} ({role}), {_shown(part)}"
            reason_seen = reason_seen or hit.system is not CodeSystem.GROUP
    return "the codes"


def _cmd_lookup(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    try:
        code = default_table().lookup(args.code)
    except UnknownCodeError as exc:
        return _unknown(exc, err)
    except InvalidCodeError as exc:
        raise UsageError(f"CODE: {exc}") from None
    if args.format == "json":
        out.write(json_text(code_json(code, args.on), indent=2) + "\n")
    else:
        print(terminal(describe_code(code, args.on)), file=out)
    return 0


def _cmd_search(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    hits = default_table().search(args.text, limit=args.limit)
    if args.format == "json":
        out.write(json_text([code_json(c) for c in hits], indent=2) + "\n")
        return 0
    if not hits:
        print("no matching codes", file=err)
        return 0
    for c in hits:
        row = f"{c.code:<7} {c.system.value:<9} {c.category.value:<24} {c.summary}"
        print(terminal(row, lines=False), file=out)
    return 0


def _cmd_codes(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    try:
        table = default_table().filter(
            system=args.system, category=args.category, active_on=args.active_on
        )
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    if args.format == "json":
        out.write(json_text([code_json(c) for c in table], indent=1) + "\n")
    elif args.format == "csv":
        from denialkit._csvsafe import write_rows

        records = table.to_records()
        write_rows(out, list(records[0]) if records else ["code"], records)
    else:
        for c in table:
            summary = c.summary if len(c.summary) <= 70 else c.summary[:69] + "…"
            row = (
                f"{c.code:<7} {c.system.value:<9} {c.category.value:<24} "
                f"{c.status.value:<11} {summary}"
            )
            print(terminal(row, lines=False), file=out)
        print(plural(len(table), "code"), file=err)
    return 0


def _cmd_explain(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from denialkit.knowledge import explain

    try:
        e = explain(" ".join(args.codes), on=args.on)
    except UnknownCodeError as exc:
        print(terminal(f"denialkit: {_which(args.codes)}: {exc}"), file=err)
        return EXIT_FINDING
    except InvalidCodeError as exc:
        raise UsageError(f"{_which(args.codes)}: {exc}") from None
    if args.format == "json":
        out.write(json_text(e.to_dict(), indent=2) + "\n")
        return 0
    lines = [" ".join(c.key for c in e.codes)]
    lines.append(_wrap(e.meaning))
    lines.append(_wrap(f"Next step: {e.action.label}. {e.action_reason}"))
    lines.append(_wrap(f"Appealable: {e.appealable.value}. {e.appeal_reason}"))
    if e.how_to_appeal:
        lines.append(_wrap(f"How to appeal: {e.how_to_appeal}"))
    _bullets("Evidence to gather", e.evidence, lines)
    for w in e.warnings:
        lines.append(_wrap(f"Warning: {w}"))
    print(terminal("\n".join(lines)), file=out)
    return 0


def register(sub: Any) -> None:
    """Add ``lookup``, ``explain``, ``search`` and ``codes`` to the command line."""
    p = sub.add_parser("lookup", help="explain one denial code")
    p.add_argument("code", help="a code such as CO-16, 16, N290, MA130 or CCM21")
    p.add_argument("--on", type=iso_date, metavar="DATE", help="was it active on this date?")
    add_format(p)
    p.set_defaults(handler=_cmd_lookup)

    p = sub.add_parser(
        "explain", help="explain a remittance line: a group and reason code with its remarks"
    )
    p.add_argument("codes", nargs="+", help="e.g. CO-16 N290 (reason code first, then remarks)")
    p.add_argument("--on", type=iso_date, metavar="DATE", help="the date of service")
    add_format(p)
    p.set_defaults(handler=_cmd_explain)

    p = sub.add_parser("search", help="find codes by words in their meaning")
    p.add_argument("text", help="words to search for, e.g. 'prior authorization'")
    p.add_argument(
        "--limit", type=int_range(1), default=10, metavar="N", help="at most N codes (10)"
    )
    add_format(p)
    p.set_defaults(handler=_cmd_search)

    p = sub.add_parser("codes", help="list codes, filtered")
    p.add_argument("--system", choices=[s.value for s in CodeSystem], type=str.upper)
    p.add_argument("--category", choices=[c.value for c in Category])
    p.add_argument("--active-on", type=iso_date, metavar="DATE")
    add_format(p, ("table", "csv", "json"), default="table")
    p.set_defaults(handler=_cmd_codes)
