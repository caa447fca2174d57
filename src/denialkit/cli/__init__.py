"""The ``denialkit`` command line.

Every command follows one convention (docs/cli.md): exit status 0 on success, 1 for a
finding (an unknown code, a letter with errors, a malformed file), 2 for usage errors (a bad
option, a missing or unreadable file, an option out of range). Results go to stdout; messages
and suggestions to stderr, naming the argument at fault. ``--format`` picks the output, and
``--json`` is the same as ``--format json``; the helpers live in ``cli/_common``.

Each group of commands lives in a private module with a ``register(subparsers)`` function,
so the parser is built from small pieces.
"""

from __future__ import annotations

import argparse
import contextlib
import sys
from collections.abc import Callable, Sequence
from typing import TextIO

from denialkit.exceptions import DenialkitError, MissingExtraError

from ._common import EXIT_FINDING, EXIT_OK, EXIT_USAGE, UsageError, terminal

__all__ = ["UsageError", "build_parser", "main"]

Handler = Callable[[argparse.Namespace, TextIO, TextIO], int]

_COMMAND_MODULES = ("codes", "letters", "validate", "remit", "record")


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        raise UsageError(f"{self.prog}: {message}")


def build_parser() -> argparse.ArgumentParser:
    """The full argument parser with every command registered."""
    from importlib import import_module

    parser = _Parser(
        prog="denialkit",
        description="US healthcare claim denials: explain codes, write and check appeal "
        "letters, read 835 remittances.",
    )
    parser.add_argument("--version", action="store_true", help="print the version and exit")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    for name in _COMMAND_MODULES:
        import_module(f"denialkit.cli.{name}").register(sub)
    return parser


def main(
    argv: Sequence[str] | None = None, *, stdout: TextIO | None = None, stderr: TextIO | None = None
) -> int:
    """Run the command line; returns the exit status.

    >>> main(["lookup", "CO-16", "--json"], stdout=open("/dev/null", "w"))
    0
    """
    out = stdout if stdout is not None else sys.stdout
    err = stderr if stderr is not None else sys.stderr
    try:
        parser = build_parser()
        with contextlib.redirect_stdout(out):  # --help writes to sys.stdout
            args = parser.parse_args(list(sys.argv[1:] if argv is None else argv))
    except UsageError as exc:
        print(terminal(str(exc)), file=err)
        return EXIT_USAGE
    except SystemExit as exc:  # --help
        return int(exc.code or EXIT_OK)
    if args.version:
        from importlib.metadata import version

        print(f"denialkit {version('denialkit')}", file=out)
        return EXIT_OK
    handler: Handler | None = getattr(args, "handler", None)
    if handler is None:
        parser.print_help(err)
        return EXIT_USAGE
    try:
        return handler(args, out, err)
    except UsageError as exc:
        print(terminal(f"denialkit: {exc}"), file=err)
        return EXIT_USAGE
    except BrokenPipeError:  # pragma: no cover - e.g. `denialkit codes | head`
        return EXIT_OK
    except MissingExtraError as exc:  # a format whose optional extra is not installed
        print(terminal(f"denialkit: {exc}"), file=err)
        return EXIT_USAGE
    except DenialkitError as exc:
        print(terminal(f"denialkit: error: {exc}"), file=err)
        return EXIT_FINDING
