"""The whole error tree of denialkit.

Every error denialkit raises on purpose derives from :class:`DenialkitError`, and each leaf also
inherits the builtin exception a caller would naturally catch (``ValueError``, ``LookupError``,
``TypeError``). Messages are sentences a person can act on and never contain patient data:
they name fields, rules, files and positions, never the values found there.

>>> import denialkit
>>> try:
...     denialkit.lookup("CO-999")
... except LookupError as exc:
...     print(type(exc).__name__)
UnknownCodeError
"""

from __future__ import annotations

from collections.abc import Sequence

__all__ = [
    "ClaimDataError",
    "CodeSetClashWarning",
    "DataError",
    "DeadlineError",
    "DenialkitError",
    "DenialkitWarning",
    "InvalidCodeError",
    "LetterValidationError",
    "LetterWarningError",
    "MissingExtraError",
    "MissingFactsError",
    "PluginLoadError",
    "RecordConflictWarning",
    "RecordError",
    "RuleError",
    "TemplateNotFoundError",
    "TemplateRenderError",
    "UnknownCodeError",
    "X12ParseError",
    "X12Warning",
]


class DenialkitError(Exception):
    """Root of every error denialkit raises on purpose."""


class DenialkitWarning(UserWarning):
    """Root of every warning denialkit emits."""


class InvalidCodeError(DenialkitError, ValueError):
    """The text is not a denial code in denialkit's code grammar (see :func:`denialkit.parse`)."""


class UnknownCodeError(DenialkitError, LookupError):
    """A well-formed code that is not in the code tables.

    Attributes:
        code: the canonical code that was looked up (codes are not patient data).
        suggestions: up to three close codes that do exist ("did you mean").
    """

    def __init__(self, message: str, *, code: str, suggestions: Sequence[str] = ()) -> None:
        super().__init__(message)
        self.code = code
        self.suggestions = tuple(suggestions)


class DataError(DenialkitError):
    """A data file is missing, broken or tampered with.

    Attributes:
        file: the file's name.
        row: the 1-based row (or record) number, when one is at fault.
    """

    def __init__(self, message: str, *, file: str, row: int | None = None) -> None:
        where = file if row is None else f"{file}, row {row}"
        super().__init__(f"{where}: {message}")
        self.file = file
        self.row = row


class PluginLoadError(DenialkitError):
    """A plugin (code set, template pack or rule) could not be loaded.

    The message names the distribution and the entry point as ``distribution[entry point]``;
    the original exception is chained as ``__cause__``.
    """

    def __init__(self, message: str, *, distribution: str, entry_point: str) -> None:
        super().__init__(f"{distribution}[{entry_point}]: {message}")
        self.distribution = distribution
        self.entry_point = entry_point


class RuleError(DenialkitError):
    """A validation rule that is not one of denialkit's own (a plugin rule, or a rule given
    to a ``Validator``) raised an exception while checking a letter.

    The message names the rule id and, for a plugin rule, ``distribution[entry point]``; the
    rule's exception is chained as ``__cause__``. The message gives only the exception's type,
    never its text, which may quote the letter.

    Attributes:
        rule_id: the id of the rule that failed.
        distribution: the distribution that provides the rule, when it is a plugin rule.
        entry_point: the name of its ``denialkit.rules`` entry point, when it is one.
    """

    def __init__(
        self,
        message: str,
        *,
        rule_id: str,
        distribution: str | None = None,
        entry_point: str | None = None,
    ) -> None:
        super().__init__(message)
        self.rule_id = rule_id
        self.distribution = distribution
        self.entry_point = entry_point


class CodeSetClashWarning(DenialkitWarning):
    """A plugin code set defines a code that already exists; the existing code is kept."""


class ClaimDataError(DenialkitError, ValueError):
    """Claim data is malformed. ``problems`` lists every bad path, all at once.

    Attributes:
        problems: ``(path, message)`` pairs such as ``("services[0].date", "not a date")``.
    """

    def __init__(self, problems: Sequence[tuple[str, str]]) -> None:
        self.problems = tuple(problems)
        lines = "; ".join(f"{path}: {msg}" for path, msg in self.problems)
        n = len(self.problems)
        super().__init__(f"claim data has {n} problem{'s' if n != 1 else ''}: {lines}")


class MissingExtraError(DenialkitError, ImportError):
    """An output format needs an optional extra that is not installed.

    The message is one line naming what to install, e.g.
    ``DOCX output needs python-docx: pip install 'denialkit[docx]'``.

    Attributes:
        extra: the extra to install (``"pdf"``, ``"docx"``).
    """

    def __init__(self, extra: str, what: str, needs: str) -> None:
        self.extra = extra
        super().__init__(f"{what} needs {needs}: pip install 'denialkit[{extra}]'")


class LetterWarningError(DenialkitError, ValueError):
    """``appeal(..., strict=True)`` found reasons not to send the letter as it is.

    Attributes:
        warnings: the :class:`~denialkit.letters.LetterWarning` items, all at once.
    """

    def __init__(self, warnings: Sequence[object]) -> None:
        self.warnings = tuple(warnings)
        text = "; ".join(str(w) for w in self.warnings)
        n = len(self.warnings)
        super().__init__(f"the letter has {n} warning{'s' if n != 1 else ''}: {text}")


class TemplateNotFoundError(DenialkitError, LookupError):
    """No template matched. ``searched`` lists every place that was tried, in order."""

    def __init__(self, message: str, *, searched: Sequence[str] = ()) -> None:
        self.searched = tuple(searched)
        if self.searched:
            message = f"{message} (searched: {', '.join(self.searched)})"
        super().__init__(message)


class TemplateRenderError(DenialkitError):
    """A template failed to compile or render. Names the template and line, never values."""

    def __init__(self, message: str, *, template: str | None = None, line: int | None = None):
        where = ""
        if template is not None:
            where = template if line is None else f"{template}, line {line}"
            where += ": "
        super().__init__(f"{where}{message}")
        self.template = template
        self.line = line


class MissingFactsError(DenialkitError):
    """``strict=True`` and the claim lacks facts the letter needs; ``missing`` lists them all."""

    def __init__(self, missing: Sequence[str]) -> None:
        self.missing = tuple(missing)
        super().__init__("the claim lacks facts the letter needs: " + ", ".join(self.missing))


class LetterValidationError(DenialkitError, ValueError):
    """A letter failed validation; ``findings`` holds every error-level finding."""

    def __init__(self, message: str, *, findings: Sequence[object] = ()) -> None:
        super().__init__(message)
        self.findings = tuple(findings)


class DeadlineError(DenialkitError, ValueError):
    """A deadline cannot be computed: unknown plan type or level, or a missing window."""


class X12ParseError(DenialkitError, ValueError):
    """An X12 file is malformed. Names the segment number and byte offset, never values.

    Attributes:
        segment: 1-based segment number in the file (None when not known).
        offset: byte offset of the segment's start (None when not known).
    """

    def __init__(
        self, message: str, *, segment: int | None = None, offset: int | None = None
    ) -> None:
        where = []
        if segment is not None:
            where.append(f"segment {segment}")
        if offset is not None:
            where.append(f"byte {offset}")
        prefix = f"{', '.join(where)}: " if where else ""
        super().__init__(prefix + message)
        self.segment = segment
        self.offset = offset


class RecordError(DenialkitError, ValueError):
    """A FHIR record cannot be read. Names the file, line or entry, never the values found there.

    Attributes:
        file: the file's name (not its folder), when the record came from a file.
        line: the 1-based line of an NDJSON file, or of the JSON text, when known.
        entry: the 0-based index of a Bundle entry, when one is at fault.
    """

    def __init__(
        self,
        message: str,
        *,
        file: str | None = None,
        line: int | None = None,
        entry: int | None = None,
    ) -> None:
        where = []
        if file is not None:
            where.append(file)
        if line is not None:
            where.append(f"line {line}")
        if entry is not None:
            where.append(f"entry {entry}")
        prefix = f"{', '.join(where)}: " if where else ""
        super().__init__(prefix + message)
        self.file = file
        self.line = line
        self.entry = entry


class RecordConflictWarning(DenialkitWarning):
    """The claim and the patient's record disagree on a fact
    (:meth:`denialkit.claim.Claim.with_record`); the message names the fact, the claim's path
    and the record's resource, never either value."""


class X12Warning(DenialkitWarning):
    """A remittance was read, but something about it deserves attention."""
