"""``denialkit remit FILE --appeals DIR``: appeal letters in batch (private).

Writes one letter per claim whose denial calls for an appeal into DIR, named from the claim's
position and claim number (``0003-ACME26001003.txt``: never a patient name), and
``DIR/index.csv`` with one row per claim that needs work: the file written, or the reason
none was. The index is written as ``index.csv.partial`` and renamed when the whole file has
been read, so an ``index.csv`` is always complete. Every CSV cell is made safe for a
spreadsheet (:mod:`denialkit._csvsafe`). Nothing is written through a symbolic link, and
files already in DIR (letters, ``index.csv``) are kept unless ``--force`` (see
:class:`_Folder`).

The practice's details come from ``--provider FILE`` (required: the 835 does not carry the
signer, the address or the phone), the payer's from ``--payer FILE`` (optional: by default
the payer named in the remittance). Both files hold the JSON object of the same name in the
claim format. ``--services FILE`` (optional) gives the services as billed of claims the 835
answers without service lines (inpatient DRG claims): a JSON object of patient control
numbers (CLP01) to lists of service lines in the claim format.

Exit status: 0 when the file was read to its end; 1 for a malformed file, an invalid
provider or payer file, a failed write, or with ``--strict`` when a letter was held back for
missing facts; 2 for usage errors, a remittance, provider or payer file that is missing or
cannot be read, PDF without its extra, an appeals directory that cannot be created or
written, and a file in it that exists already (without ``--force``) or is a symbolic link.
"""

from __future__ import annotations

import argparse
import contextlib
import errno
import json
import os
import stat
import time
import warnings
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO, Final, TextIO

from denialkit._csvsafe import csv_cell, row_writer
from denialkit.exceptions import ClaimDataError, DenialkitError, X12Warning

from ._common import plural, terminal

if TYPE_CHECKING:
    from collections.abc import Callable

    from denialkit.batch import ClaimAppeal
    from denialkit.claim import Payer, Provider
    from denialkit.letters import Letter
    from denialkit.templates import TemplateRegistry

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
    "warnings",
)


class _WriteError(Exception):
    """A letter or the index could not be written (carries the OS's reason only)."""


def _usage(message: str) -> Exception:
    from ._common import UsageError

    return UsageError(message)


def _json_file(path: str, kind: str) -> Any:
    """The JSON value of a side file (``kind`` names it and the path of its problems): a file
    that cannot be read is a usage error, text that is not JSON a claim data error."""
    try:
        with open(path, "rb") as fh:
            raw = fh.read()
    except OSError as exc:
        raise _usage(
            f"cannot read the {kind} file ({exc.strerror or type(exc).__name__})"
        ) from None
    try:
        return json.loads(raw)
    except (ValueError, RecursionError) as exc:
        line = getattr(exc, "lineno", None)
        where = f" (line {line})" if line else ""
        raise ClaimDataError([(kind, f"the {kind} file is not valid JSON{where}")]) from None


def _load(path: str, kind: str) -> Any:
    """The provider or payer object of a JSON file, checked like the claim format's."""
    from denialkit.claim import _Checker

    data = _json_file(path, kind)
    checker = _Checker()
    record = checker.provider(data, kind) if kind == "provider" else checker.payer(data, kind)
    if checker.problems or record is None:
        raise ClaimDataError(checker.problems or [(kind, "required")])
    return record


def _load_services(path: str) -> dict[str, Any]:
    """The ``--services`` file: a JSON object whose keys are patient control numbers (CLP01)
    and whose values are lists of service lines in the claim format. A problem names the
    entry by its position in the object (``services[2][0].date``), never by its key."""
    from denialkit.claim import _Checker

    data = _json_file(path, "services")
    if not isinstance(data, dict):
        raise ClaimDataError(
            [("services", "expected a JSON object of patient control numbers to service lists")]
        )
    checker = _Checker()
    out = {}
    for n, (key, value) in enumerate(data.items(), 1):
        lines = checker.services(value, f"services[{n}]")
        if not key.strip():
            checker.bad(f"services[{n}]", "the patient control number (the key) is empty")
        out[key] = lines
    if checker.problems:
        raise ClaimDataError(checker.problems)
    return out


def _row(a: ClaimAppeal, file: str) -> dict[str, object]:
    d = a.deadline
    return {
        "position": a.position,
        "claim_number": a.claim_number,
        "patient_control_number": a.claim.patient_control_number,
        "outcome": "written" if a.letter is not None else "skipped",
        "file": file,
        "reason": a.reason or "",
        "codes": " ".join(a.codes),
        "amount": a.amount,
        "action": a.action.value if a.action is not None else "",
        "deadline": d.due.isoformat() if d is not None else "",
        "missing_facts": len(a.missing),
        "errors": a.errors,
        # the letter's warnings by stable id (late, deadline-soon, ...), space-separated
        "warnings": " ".join(w.id for w in a.letter.warnings) if a.letter is not None else "",
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


class _Exists(Exception):
    """A file the run would write is already there, or is a symbolic link (exit 2)."""


#: Open flags: never follow a symbolic link at the name, and close on exec.
_NOFOLLOW: Final = getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
_DIR_FD: Final = os.open in os.supports_dir_fd and os.replace in os.supports_dir_fd


class _Folder:
    """The appeals folder, opened once: every file is made inside it by its bare name.

    A name is never followed when it is a symbolic link (``O_NOFOLLOW``; a link planted at a
    letter's name, or at ``index.csv.partial``, would otherwise make the run write the file
    it points to). A letter that exists already is an error unless ``force`` (``O_EXCL``);
    with ``force`` a regular file is replaced, a link still refused. The folder itself may be
    a link the user made: it is resolved once, when opened.
    """

    INDEX: Final = "index.csv"
    PARTIAL: Final = "index.csv.partial"

    def __init__(self, path: Path, force: bool) -> None:
        self.path = path
        self.force = force
        self.fd: int | None = None
        if _DIR_FD:
            self.fd = os.open(path, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))

    def close(self) -> None:
        if self.fd is not None:
            os.close(self.fd)
            self.fd = None

    def _name(self, name: str) -> str:
        return name if self.fd is not None else str(self.path / name)

    def _is_link(self, name: str) -> bool:
        try:
            st = os.lstat(self._name(name), dir_fd=self.fd)
        except OSError:
            return False
        return stat.S_ISLNK(st.st_mode)

    def exists(self, name: str) -> bool:
        try:
            os.lstat(self._name(name), dir_fd=self.fd)
        except FileNotFoundError:
            return False
        return True

    def remove(self, name: str) -> None:
        """Remove ``name`` if it is there (a link is removed, never what it points to)."""
        with contextlib.suppress(FileNotFoundError):
            os.unlink(self._name(name), dir_fd=self.fd)

    def open(self, name: str, *, replace: bool) -> int:
        """A new file ``name``, opened for writing; ``replace`` truncates a regular file."""
        if self._is_link(name):
            raise _Exists(
                f"{name} in the appeals directory is a symbolic link; refusing to write through it"
            )
        flags = os.O_WRONLY | os.O_CREAT | _NOFOLLOW | (os.O_TRUNC if replace else os.O_EXCL)
        try:
            return os.open(self._name(name), flags, 0o666, dir_fd=self.fd)
        except FileExistsError:
            raise _Exists(
                f"{name} exists in the appeals directory; pass --force to replace it"
            ) from None
        except OSError as exc:
            if exc.errno == errno.ELOOP:  # a link planted between the check and the open
                raise _Exists(
                    f"{name} in the appeals directory is a symbolic link; refusing to write "
                    "through it"
                ) from None
            raise _WriteError(exc.strerror or type(exc).__name__) from None

    def write(self, name: str, body: str | bytes) -> None:
        """Write a letter."""
        data = body if isinstance(body, bytes) else body.encode("utf-8")
        fd = self.open(name, replace=self.force)
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
        except OSError as exc:
            raise _WriteError(exc.strerror or type(exc).__name__) from None

    def index(self) -> TextIO:
        """``index.csv.partial``, new: an earlier run's is removed first (it is ours)."""
        self.remove(self.PARTIAL)
        fd = self.open(self.PARTIAL, replace=False)
        return os.fdopen(fd, "w", encoding="utf-8", newline="")

    def publish(self) -> None:
        """Rename ``index.csv.partial`` to ``index.csv`` in one step (a link named
        ``index.csv`` is replaced, never followed)."""
        os.replace(
            self._name(self.PARTIAL),
            self._name(self.INDEX),
            src_dir_fd=self.fd,
            dst_dir_fd=self.fd,
        )


def _reason(exc: BaseException) -> str:
    if isinstance(exc, OSError):
        return exc.strerror or type(exc).__name__
    return str(exc)


def run(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """Write the letters and the index; returns the exit status."""
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
    services = _load_services(args.services) if getattr(args, "services", None) else None
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
        except ImportError:  # one line naming the extra, exit 2 (as every command)
            from denialkit.exceptions import MissingExtraError

            raise MissingExtraError("pdf", "PDF output", "fpdf2") from None

    try:
        source = open(args.file, "rb")  # noqa: SIM115 - closed below
        size = os.fstat(source.fileno()).st_size
    except OSError as exc:
        raise _usage(f"FILE: cannot read the file ({exc.strerror or type(exc).__name__})") from None

    with source:
        directory = Path(args.appeals)
        if directory.exists() and not directory.is_dir():
            raise _usage("the appeals directory exists and is not a directory")
        try:
            directory.mkdir(parents=True, exist_ok=True)
            folder = _Folder(directory, args.force)
        except OSError as exc:
            raise _usage(
                f"cannot write to the appeals directory ({exc.strerror or type(exc).__name__})"
            ) from None
        try:
            return _write_all(
                folder, source, size, err, fmt, render, provider, payer, registry, args, services
            )
        finally:
            folder.close()


def _write_all(
    folder: _Folder,
    source: BinaryIO,
    size: int,
    err: TextIO,
    fmt: str,
    render: Callable[[Letter], str | bytes] | None,
    provider: Provider,
    payer: Payer | None,
    registry: TemplateRegistry | None,
    args: argparse.Namespace,
    services: dict[str, Any] | None = None,
) -> int:
    """Write every letter and the index into the open folder; returns the exit status."""
    from denialkit import batch

    try:
        if folder.exists(folder.INDEX):
            if not folder.force:
                raise _Exists(
                    f"{folder.INDEX} exists in the appeals directory (an earlier run's); pass "
                    "--force to replace its files, or choose a new directory"
                )
            folder.remove(folder.INDEX)  # a failed run must not leave an old, complete index
        index = folder.index()
    except _Exists as exc:
        print(terminal(f"denialkit: error: {exc}", lines=False), file=err)
        return 2
    except (_WriteError, OSError) as exc:
        raise _usage(f"cannot write to the appeals directory ({_reason(exc)})") from None
    progress = _Progress(err, size)

    def show(message: Warning | str, category: type[Warning], *_: Any, **__: Any) -> None:
        progress.clear()
        print(terminal(f"denialkit: warning: {message}", lines=False), file=err)

    written = skipped = missing = held = 0

    def stopped(message: str, status: int = 1) -> int:
        progress.clear()
        print(terminal(f"denialkit: error: {message}", lines=False), file=err)
        if written or skipped:
            print(
                f"denialkit: stopped after {plural(written, 'letter')}; "
                "the claims done so far are listed in index.csv.partial",
                file=err,
            )
        else:
            index.close()
            with contextlib.suppress(OSError):
                folder.remove(folder.PARTIAL)
        return status

    ext = _EXTENSIONS[fmt]
    with index, warnings.catch_warnings():
        warnings.simplefilter("always", X12Warning)
        warnings.showwarning = show  # restored when the block ends
        write = row_writer(index)
        try:
            write(INDEX_COLUMNS)
            for a in batch.appeals(
                source,
                provider=provider,
                payer=payer,
                registry=registry,
                letter_date=args.date,
                strict=args.strict,
                services=services,
            ):
                name = ""
                if a.letter is not None:
                    name = f"{a.slug}.{ext}"
                    body = a.letter.text if render is None else render(a.letter)
                    folder.write(name, body)
                    written += 1
                    missing += bool(a.missing)
                else:
                    skipped += 1
                    held += bool(a.missing)
                try:
                    write([csv_cell(v) for v in _row(a, name).values()])
                except OSError as exc:
                    raise _WriteError(exc.strerror or type(exc).__name__) from None
                progress.update(a.claim.offset, written, skipped)
            progress.update(size, written, skipped, force=True)
        except _Exists as exc:
            return stopped(str(exc), 2)
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
        folder.publish()
    except OSError as exc:
        reason = f"denialkit: error: cannot write to the appeals directory ({_reason(exc)})"
        print(terminal(reason, lines=False), file=err)
        return 1

    done = (
        f"wrote {plural(written, 'letter')} ({fmt}) to {folder.path}; "
        f"{plural(skipped, 'claim that needs', 'claims that need')} work got no letter "
        f"(the reasons are in index.csv)"
    )
    print(terminal(done, lines=False), file=err)
    if missing:
        print(
            f"{plural(missing, 'letter lacks', 'letters lack')} facts, marked [MISSING: ...] "
            "in the text and counted in index.csv",
            file=err,
        )
    if held:
        print(
            f"--strict: {plural(held, 'letter')} held back for missing facts",
            file=err,
        )
        return 1
    return 0
