"""``denialkit remit FILE --appeals DIR``: appeal letters in batch (private).

Writes one letter per claim whose denial calls for an appeal into DIR, named from the claim's
position and claim number (``0003-ACME26001003.txt``: never a patient name), and
``DIR/index.csv`` with one row per claim that needs work: the file written, or the reason
none was. The index is written as ``index.csv.partial`` and renamed when the whole file has
been read, so an ``index.csv`` is always complete.

The practice's details come from ``--provider FILE`` (required: the 835 does not carry the
signer, the address or the phone), the payer's from ``--payer FILE`` (optional: by default
the payer named in the remittance). Both files hold the JSON object of the same name in the
claim format.

Exit status: 0 when the file was read to its end; 1 for a file that cannot be read or is
malformed, an invalid provider or payer file, a failed write, or with ``--strict`` when a
letter was held back for missing facts; 2 for usage errors, a provider or payer file that
cannot be read, and an appeals directory that cannot be created or written.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import json
import os
import time
import warnings
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final, TextIO

from denialkit.exceptions import ClaimDataError, DenialkitError, X12Warning

if TYPE_CHECKING:
    from collections.abc import Callable

    from denialkit.batch import ClaimAppeal
    from denialkit.claim import Payer, Provider
    from denialkit.letters import Letter

FORMATS: Final = ("text", "md", "html", "pdf")
_EXTENSIONS: Final = {"text": "txt", "md": "md", "html": "html", "pdf": "pdf"}

#: The columns of ``index.csv``, in order.
INDEX_COLUMNS: Final = (
    "position",
    "claim_number",
    "patient_control_number",
    "outcome",
    "file",
    "reason",
    "codes",
    "amount",
    "action",
    "deadline",
    "missing_facts",
    "errors",
)


class _WriteError(Exception):
    """A letter or the index could not be written (carries the OS's reason only)."""


def _usage(message: str) -> Exception:
    from ._common import UsageError

    return UsageError(message)


def _load(path: str, kind: str) -> Any:
    """The provider or payer object of a JSON file, checked like the claim format's."""
    from denialkit.claim import _Checker

    try:
        with open(path, "rb") as fh:
            raw = fh.read()
    except OSError as exc:
        raise _usage(
            f"cannot read the {kind} file ({exc.strerror or type(exc).__name__})"
        ) from None
    try:
        data = json.loads(raw)
    except (ValueError, RecursionError) as exc:
        line = getattr(exc, "lineno", None)
        where = f" (line {line})" if line else ""
        raise ClaimDataError([(kind, f"the {kind} file is not valid JSON{where}")]) from None
    checker = _Checker()
    record = checker.provider(data, kind) if kind == "provider" else checker.payer(data, kind)
    if checker.problems or record is None:
        raise ClaimDataError(checker.problems or [(kind, "required")])
    return record


def _safe_cell(value: str) -> str:
    """A text cell from the remittance that a spreadsheet will not run as a formula."""
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def _row(a: ClaimAppeal, file: str) -> dict[str, object]:
    d = a.deadline
    return {
        "position": a.position,
        "claim_number": _safe_cell(a.claim_number),
        "patient_control_number": _safe_cell(a.claim.patient_control_number),
        "outcome": "written" if a.letter is not None else "skipped",
        "file": file,
        "reason": a.reason or "",
        "codes": _safe_cell(" ".join(a.codes)),
        "amount": str(a.amount),
        "action": a.action.value if a.action is not None else "",
        "deadline": d.due.isoformat() if d is not None else "",
        "missing_facts": len(a.missing),
        "errors": a.errors,
    }


def _isatty(stream: TextIO) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError, OSError):
        return False


class _Progress:
    """A one-line progress bar on stderr, drawn only when stderr is a terminal."""

    WIDTH: Final = 30

    def __init__(self, stream: TextIO, total: int) -> None:
        self.stream = stream
        self.total = total
        self.on = total > 0 and _isatty(stream)
        self.last = 0.0
        self.shown = False

    def update(self, done: int, written: int, skipped: int, *, force: bool = False) -> None:
        if not self.on:
            return
        now = time.monotonic()
        if not force and now - self.last < 0.1:
            return
        self.last = now
        frac = min(max(done / self.total, 0.0), 1.0)
        filled = round(self.WIDTH * frac)
        bar = "#" * filled + "-" * (self.WIDTH - filled)
        counts = f"letters written: {written}, claims without a letter: {skipped}"
        self.stream.write(f"\r[{bar}] {frac:4.0%}  {counts}")
        self.stream.flush()
        self.shown = True

    def clear(self) -> None:
        if self.shown:
            self.stream.write("\r\033[K")
            self.stream.flush()
            self.shown = False


def _write(path: Path, body: str | bytes) -> None:
    try:
        if isinstance(body, bytes):
            path.write_bytes(body)
        else:
            path.write_text(body, encoding="utf-8")
    except OSError as exc:
        raise _WriteError(exc.strerror or type(exc).__name__) from None


def run(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """Write the letters and the index; returns the exit status."""
    from denialkit import batch
    from denialkit.render import render_html, render_markdown, render_pdf

    from .letters import _registry

    if args.summary:
        raise _usage("--appeals and --summary cannot be used together")
    fmt = args.format or "text"
    if fmt not in FORMATS:
        raise _usage(f"with --appeals, --format is one of {', '.join(FORMATS)}")
    if not args.provider:
        raise _usage(
            "--appeals needs --provider FILE: the practice's name, address, NPI and signer "
            "are not in the 835 (the file holds the claim format's provider object, e.g. "
            '{"name": "Valley Family Medicine", "npi": "1234567893", "signer_name": ...})'
        )
    provider: Provider = _load(args.provider, "provider")
    payer: Payer | None = _load(args.payer, "payer") if args.payer else None
    if args.templates_dir is not None and not os.path.isdir(args.templates_dir):
        raise _usage("--templates-dir: the directory does not exist or is not a directory")
    registry = _registry(args)
    renderers: dict[str, Callable[[Letter], str | bytes]] = {
        "md": render_markdown,
        "html": render_html,
        "pdf": render_pdf,
    }
    render = renderers.get(fmt)
    if fmt == "pdf":
        try:
            import fpdf  # noqa: F401
        except ImportError:
            print(
                "denialkit: error: PDF output needs fpdf2: pip install 'denialkit[pdf]'", file=err
            )
            return 1

    try:
        source = open(args.file, "rb")  # noqa: SIM115 - closed below
        size = os.fstat(source.fileno()).st_size
    except OSError as exc:
        print(f"denialkit: error: cannot read {args.file}: {exc.strerror or exc}", file=err)
        return 1

    with source:
        directory = Path(args.appeals)
        if directory.exists() and not directory.is_dir():
            raise _usage("the appeals directory exists and is not a directory")
        partial = directory / "index.csv.partial"
        try:
            directory.mkdir(parents=True, exist_ok=True)
            index = partial.open("w", encoding="utf-8", newline="")
            (directory / "index.csv").unlink(missing_ok=True)  # an earlier run's
        except OSError as exc:
            raise _usage(
                f"cannot write to the appeals directory ({exc.strerror or type(exc).__name__})"
            ) from None
        progress = _Progress(err, size)

        def show(message: Warning | str, category: type[Warning], *_: Any, **__: Any) -> None:
            progress.clear()
            print(f"denialkit: warning: {message}", file=err)

        written = skipped = missing = held = 0

        def stopped(message: str) -> int:
            progress.clear()
            print(f"denialkit: error: {message}", file=err)
            if written or skipped:
                print(
                    f"denialkit: stopped after {written} letter{'s' if written != 1 else ''}; "
                    "the claims done so far are listed in index.csv.partial",
                    file=err,
                )
            else:
                index.close()
                with contextlib.suppress(OSError):
                    partial.unlink(missing_ok=True)
            return 1

        ext = _EXTENSIONS[fmt]
        with index, warnings.catch_warnings():
            warnings.simplefilter("always", X12Warning)
            warnings.showwarning = show  # restored when the block ends
            writer = csv.DictWriter(index, fieldnames=list(INDEX_COLUMNS), lineterminator="\n")
            try:
                writer.writeheader()
                for a in batch.appeals(
                    source,
                    provider=provider,
                    payer=payer,
                    registry=registry,
                    letter_date=args.date,
                    strict=args.strict,
                ):
                    name = ""
                    if a.letter is not None:
                        name = f"{a.slug}.{ext}"
                        body = a.letter.text if render is None else render(a.letter)
                        _write(directory / name, body)
                        written += 1
                        missing += bool(a.missing)
                    else:
                        skipped += 1
                        held += bool(a.missing)
                    try:
                        writer.writerow(_row(a, name))
                    except OSError as exc:
                        raise _WriteError(exc.strerror or type(exc).__name__) from None
                    progress.update(a.claim.offset, written, skipped)
                progress.update(size, written, skipped, force=True)
            except _WriteError as exc:
                return stopped(f"cannot write to the appeals directory ({exc})")
            except DenialkitError as exc:
                return stopped(str(exc))
            except ImportError as exc:  # PDF without a font
                return stopped(str(exc))
            except OSError as exc:
                return stopped(f"cannot read {args.file}: {exc.strerror or exc}")
            progress.clear()
        try:
            os.replace(partial, directory / "index.csv")
        except OSError as exc:
            print(
                f"denialkit: error: cannot write to the appeals directory "
                f"({exc.strerror or type(exc).__name__})",
                file=err,
            )
            return 1

    print(
        f"wrote {written} letter{'s' if written != 1 else ''} ({fmt}) to {directory}; "
        f"{skipped} claim{'s' if skipped != 1 else ''} that need work got no letter "
        f"(the reasons are in index.csv)",
        file=err,
    )
    if missing:
        print(
            f"{missing} letter{'s' if missing != 1 else ''} lack facts, marked [MISSING: ...] "
            "in the text and counted in index.csv",
            file=err,
        )
    if held:
        print(
            f"--strict: {held} letter{'s' if held != 1 else ''} held back for missing facts",
            file=err,
        )
        return 1
    return 0
