"""Loading the shipped code tables, plugin code sets and user overlays (private)."""

from __future__ import annotations

import os
import warnings
import zlib
from collections.abc import Iterable, Iterator, Mapping
from itertools import chain, count
from typing import TYPE_CHECKING, Any, Final

import attrs

from ._code import (
    Action,
    Appealable,
    Category,
    CodeSet,
    CodeSystem,
    DenialCode,
    Knowledge,
    Status,
    parse,
)
from ._compat import date, json_loads, read_package_file
from .exceptions import CodeSetClashWarning, DataError, DenialkitWarning, PluginLoadError

if TYPE_CHECKING:
    from importlib.resources.abc import Traversable

    from ._advice import Advice, PlanRule, Service
    from .codes import CodeTable

#: The tables are read as ``_data/NAME`` of the ``denialkit`` package, which is imported
#: already: importing the ``_data`` package only to ask its loader cost the first lookup
#: about 0.3 ms (``importlib.resources.files("denialkit._data")`` reads the same files).
_DATA_DIR: Final = "_data"
MANIFEST: Final = "manifest.json"
TABLE_FILES: Final = ("group.json", "carc.json", "rarc.json", "care-management.json")
ENTRY_POINT_GROUP: Final = "denialkit.codesets"

#: Published facts that look wrong but are kept as published (last_modified before start).
KNOWN_QUIRKS: Final = frozenset({("CARC", "239"), ("RARC", "N127")})


_CATEGORIES: Final = {c.value: c for c in Category}
_ACTIONS: Final = {a.value: a for a in Action}
_APPEALABLE: Final = {a.value: a for a in Appealable}
_STATUSES: Final = {s.value: s for s in Status}


def _date(value: object, *, file: str, row: int, field: str) -> date | None:
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise DataError(f"{field} must be an ISO date string", file=file, row=row)
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise DataError(f"{field} is not a valid ISO date", file=file, row=row) from None


def _knowledge(raw: Mapping[str, Any] | None) -> Knowledge | None:
    if not raw:
        return None
    return Knowledge(
        causes=tuple(raw["causes"]),
        prevention=tuple(raw["prevention"]),
        evidence=tuple(raw["evidence"]),
        how_to_appeal=raw["how_to_appeal"],
        related=tuple(raw["related"]),
        who=tuple(raw["who"]),
        details=tuple(raw.get("details", ())),
        services=_services(raw.get("services", ())),
        related_note=raw.get("related_note"),
    )


def _services(raw: Iterable[Mapping[str, Any]]) -> tuple[Service, ...]:
    if not raw:
        return ()
    from ._advice import Service

    return tuple(Service(s["code"], s["requirement"]) for s in raw)


def _group_advice(raw: Mapping[str, Mapping[str, Any]] | None) -> tuple[tuple[str, Advice], ...]:
    if not raw:
        return ()
    from ._advice import Advice

    return tuple(
        (
            name,
            Advice(
                _ACTIONS[adv["action"]],
                adv["action_reason"],
                _APPEALABLE[adv["appealable"]],
                adv["appeal_reason"],
            ),
        )
        for name, adv in sorted(raw.items())
    )


def _plan_rules(raw: Mapping[str, Mapping[str, Any]] | None) -> tuple[PlanRule, ...]:
    if not raw:
        return ()
    from ._advice import PlanRule

    return tuple(
        PlanRule(
            plan,
            _APPEALABLE[rule["appealable"]],
            rule["appeal_reason"],
            rule["route"],
            rule["citation"],
        )
        for plan, rule in sorted(raw.items())
    )


_COLUMNS: Final = (
    "code",
    "status",
    "start",
    "last_modified",
    "stop",
    "summary",
    "category",
    "action",
    "action_reason",
    "appealable",
    "appeal_reason",
    "title",
    "group_limit",
    "requires_remark",
    "is_alert",
    "groups",
    "knowledge",
    "plans",
)


def _row_to_code(
    row: list[Any], *, system: CodeSystem, code_set: str, file: str, n: int
) -> DenialCode:
    try:
        (
            code,
            status_,
            start_,
            modified_,
            stop_,
            summary,
            category_,
            action_,
            action_reason,
            appealable_,
            appeal_reason,
            title,
            group_limit,
            requires_remark,
            is_alert,
            groups_,
            knowledge_,
            plans_,
        ) = row
    except (TypeError, ValueError):
        raise DataError(f"each row must list {len(_COLUMNS)} values", file=file, row=n) from None
    if not isinstance(code, str) or not code or not isinstance(summary, str) or not summary:
        raise DataError("code and summary must be non-empty strings", file=file, row=n)
    try:
        start = date.fromisoformat(start_) if start_ else None
        modified = date.fromisoformat(modified_) if modified_ else None
        stop = date.fromisoformat(stop_) if stop_ else None
    except (TypeError, ValueError):
        raise DataError("a date is not a valid ISO date", file=file, row=n) from None
    if start and modified and modified < start and (system.value, code) not in KNOWN_QUIRKS:
        raise DataError("last_modified is before start", file=file, row=n)
    if start and stop and stop < start:
        raise DataError("stop is before start", file=file, row=n)
    try:
        status = _STATUSES[status_ or "current"]
        category = _CATEGORIES[category_]
        action = _ACTIONS[action_]
        appealable = _APPEALABLE[appealable_]
    except (KeyError, TypeError):
        raise DataError(
            "status, category, action or appealable has an unknown value", file=file, row=n
        ) from None
    if (status is Status.DEACTIVATED) != (stop is not None):
        raise DataError("a deactivated code needs a stop date and only then", file=file, row=n)
    if not isinstance(action_reason, str) or not isinstance(appeal_reason, str):
        raise DataError("the advice reasons must be strings", file=file, row=n)
    try:
        groups = _group_advice(groups_)
        knowledge = _knowledge(knowledge_)
        plans = _plan_rules(plans_)
    except (KeyError, TypeError, AttributeError):
        raise DataError(
            "a group advice, plan rule or knowledge entry is incomplete", file=file, row=n
        ) from None
    return DenialCode(
        system,
        code,
        summary,
        category,
        action,
        action_reason,
        appealable,
        appeal_reason,
        status,
        start,
        modified,
        stop,
        code_set,
        title,
        None,
        frozenset(group_limit) if group_limit else frozenset(),
        requires_remark is True,
        is_alert is True,
        knowledge,
        None,
        groups,
        plans,
    )


def _header(name: str, doc: Any) -> tuple[list[Any], CodeSystem, str]:
    """A decoded table's rows, system and code set name, after checking its columns."""
    try:
        rows = doc["rows"]
        system = CodeSystem(doc["system"])
        code_set = str(doc["code_set"])
        columns = tuple(doc["columns"])
    except (ValueError, KeyError, TypeError):
        raise DataError("not a denialkit code table", file=name) from None
    if columns != _COLUMNS:
        raise DataError("the table's columns are not the ones this version reads", file=name)
    if not isinstance(rows, list):
        raise DataError("rows must be a list", file=name)
    return rows, system, code_set


def read_table(name: str, raw: bytes) -> tuple[list[DenialCode], str, str | None]:
    """Decode one generated table; returns its codes, code set name and release."""
    try:
        doc = json_loads(raw)
    except ValueError:
        raise DataError("not a denialkit code table", file=name) from None
    rows, system, code_set = _header(name, doc)
    codes: list[DenialCode] = []
    seen: set[str] = set()
    for n, row in enumerate(rows, start=1):
        c = _row_to_code(row, system=system, code_set=code_set, file=name, n=n)
        if c.code in seen:
            raise DataError(f"code {c.code} appears twice", file=name, row=n)
        seen.add(c.code)
        codes.append(c)
    return codes, code_set, doc.get("release")


def _table_files(source: Traversable | None) -> Iterator[tuple[str, bytes, int]]:
    """``(name, bytes, crc32)`` of every shipped table, with the checksum the manifest
    records for it (not yet compared). ``source`` is the folder to read (default: the
    package's ``_data``)."""

    def read(name: str) -> bytes:
        if source is not None:
            return source.joinpath(name).read_bytes()
        return read_package_file("denialkit", f"{_DATA_DIR}/{name}")

    try:
        manifest = json_loads(read(MANIFEST))
        outputs = manifest["outputs"]
    except (OSError, ValueError, KeyError, TypeError):
        raise DataError("the manifest is missing or unreadable", file=MANIFEST) from None
    for name in TABLE_FILES:
        try:
            raw = read(name)
        except OSError:
            raise DataError("the table file is missing", file=name) from None
        entry = outputs.get(name)
        expected = entry.get("crc32") if isinstance(entry, dict) else None
        if not isinstance(expected, int):
            raise DataError("the manifest records no checksum for the file", file=name)
        yield name, raw, expected


def _check_crc(name: str, raw: bytes, expected: int) -> None:
    if zlib.crc32(raw) != expected:
        raise DataError(
            "the file does not match the checksum in the manifest (changed after it was "
            "built); reinstall denialkit or rebuild with scripts/build_tables.py",
            file=name,
        )


def _checked_files(source: Traversable | None) -> Iterator[tuple[str, bytes]]:
    """``(name, bytes)`` of every shipped table, each checked against the manifest's
    checksum. ``source`` is the folder to read (default: the package's ``_data``)."""
    for name, raw, expected in _table_files(source):
        _check_crc(name, raw, expected)
        yield name, raw


def load_builtin(source: Traversable | None = None) -> tuple[list[DenialCode], dict[str, str]]:
    """Read and check every shipped table (checksums against the manifest), decoding and
    checking every row.

    ``source`` is the folder to read (default: the package's ``_data``); the tests point it
    at a tampered copy. :func:`open_builtin` reads the same tables but decodes a row only
    when it is first asked for.
    """
    codes: list[DenialCode] = []
    release: dict[str, str] = {}
    seen: set[str] = set()
    for name, raw in _checked_files(source):
        table, code_set, rel = read_table(name, raw)
        for n, c in enumerate(table, start=1):
            if c.code in seen:
                raise DataError(f"code {c.code} is also defined in another table", file=name, row=n)
            seen.add(c.code)
        codes.extend(table)
        if rel:
            release[code_set] = rel
    return codes, release


# --------------------------------------------------------------------------- lazy rows

#: The first line of a table as ``scripts/build_tables.py`` writes it: every key but the
#: rows, an index (``row_codes``, ``row_offsets``), and the opening of the rows.
_ROWS_OPEN: Final = b'"rows":['
_ROWS_CLOSE: Final = b"\n]}\n"


class _Table:
    """One table's rows, undecoded: its file, system and code set, its bytes, and where each
    row starts (and the last one ends) counted from ``base``, the start of the first row
    (the index's text until a row is first decoded); ``index`` maps each code to its row
    number (from 1); ``crc`` is the checksum the manifest records for the file while it is
    still to be compared (``None`` once it has been)."""

    __slots__ = ("base", "code_set", "crc", "file", "index", "offsets", "raw", "system")

    def __init__(
        self,
        file: str,
        system: CodeSystem,
        code_set: str,
        raw: bytes,
        base: int,
        offsets: list[int] | str,
        index: dict[str, int],
        crc: int | None = None,
    ) -> None:
        self.file = file
        self.system = system
        self.code_set = code_set
        self.raw = raw
        self.base = base
        self.offsets = offsets
        self.index = index
        self.crc = crc

    def check(self) -> None:
        """Compare the file with its checksum, once: before the first lookup that reads
        this table's index or rows."""
        crc = self.crc
        if crc is not None:
            _check_crc(self.file, self.raw, crc)
            self.crc = None


class LazyRows:
    """The shipped rows indexed by code; each row is decoded and checked when first asked for.

    Iteration gives the codes in table order. A table is compared with its checksum before
    anything reads its index or rows: a lookup of ``CO-16`` checks the group and CARC
    tables, not the larger RARC one. A changed file, or a row that does not decode (a table
    re-signed after a broken edit), raises :class:`~denialkit.exceptions.DataError` naming
    its file (and row) when it is read: by a lookup that reaches it, or by anything that
    reads every code.
    """

    __slots__ = ("_decoded", "_tables", "groups")

    def __init__(
        self, tables: tuple[_Table, ...], groups: tuple[str, ...], decoded: dict[str, DenialCode]
    ) -> None:
        self._tables = tables
        self._decoded = decoded
        self.groups = groups
        """The codes of the GROUP system, in table order."""

    def __iter__(self) -> Iterator[str]:
        for table in self._tables:
            table.check()
        return chain.from_iterable(t.index for t in self._tables)

    def __len__(self) -> int:
        for table in self._tables:
            table.check()
        return sum(len(t.index) for t in self._tables)

    def get(self, key: str) -> DenialCode | None:
        """The decoded code ``key``, or ``None`` when the tables do not hold it."""
        hit = self._decoded.get(key)
        if hit is not None:
            return hit
        for table in self._tables:
            if table.crc is not None:
                table.check()
            n = table.index.get(key)
            if n is not None:
                # two threads may decode a row at once; both return the one stored first
                return self._decoded.setdefault(key, _decode_row(key, table, n))
        return None

    def decode_all(self) -> dict[str, DenialCode]:
        """Every code, decoded, in table order."""
        out: dict[str, DenialCode] = {}
        for key in self:
            code = self.get(key)
            assert code is not None
            out[key] = code
        return out


def _decode_row(key: str, table: _Table, n: int) -> DenialCode:
    offsets, base = table.offsets, table.base
    if isinstance(offsets, str):
        try:
            offsets = table.offsets = [int(o) for o in offsets.split(" ")]
        except ValueError:
            raise DataError("the table's row offsets are not numbers", file=table.file) from None
    line = table.raw[base + offsets[n - 1] : base + offsets[n]]
    if n < len(offsets) - 1:
        if not line.endswith(b",\n"):
            raise DataError(
                "the row does not end where the table's index says", file=table.file, row=n
            )
        line = line[:-2]
    try:
        row = json_loads(line)
    except ValueError:
        raise DataError("the row is not valid JSON", file=table.file, row=n) from None
    code = _row_to_code(row, system=table.system, code_set=table.code_set, file=table.file, n=n)
    if code.code != key:
        raise DataError("the row's code is not the one the index gives", file=table.file, row=n)
    return code


def _index_table(name: str, raw: bytes) -> tuple[_Table, str | None] | None:
    """One table's row index, read from its first line without decoding any row:
    ``(table, release)``; ``None`` when the table is not laid out with an index or lists a
    code twice (it is then decoded whole, which names the broken row)."""
    cut = raw.find(b"\n") + 1
    if cut <= len(_ROWS_OPEN) or not raw.startswith(_ROWS_OPEN, cut - len(_ROWS_OPEN) - 1):
        return None
    try:
        head = json_loads(raw[: cut - 1] + b"]}")
    except ValueError:
        raise DataError("not a denialkit code table", file=name) from None
    _, system, code_set = _header(name, head)
    codes = head.get("row_codes")
    offsets = head.get("row_offsets")
    if not isinstance(codes, str) or not isinstance(offsets, str):
        return None
    keys = codes.split(" ") if codes else []
    # the offsets are read when a row is first decoded; check their count, first and last
    if (
        offsets.count(" ") != len(keys)
        or offsets.partition(" ")[0] != "0"
        or offsets.rpartition(" ")[2] != str(len(raw) - cut - len(_ROWS_CLOSE))
        or not raw.endswith(_ROWS_CLOSE)
    ):
        return None
    index = dict(zip(keys, count(1)))
    if len(index) != len(keys):
        return None
    return _Table(name, system, code_set, raw, cut, offsets, index), head.get("release")


def open_builtin(source: Traversable | None = None) -> tuple[LazyRows, dict[str, str]]:
    """Read and check every shipped table like :func:`load_builtin`, but decode no row yet.

    Each file's header and code index (codes unique within and across the tables) are
    checked now; its checksum before the first lookup that reads it, and a row when it is
    first asked for (:class:`LazyRows`): the first lookup of a CARC checksums 270 KB, not
    all 830 KB. A table not in the layout ``scripts/build_tables.py`` writes is checked and
    decoded whole now, as :func:`load_builtin` does.
    """
    tables: list[_Table] = []
    decoded: dict[str, DenialCode] = {}
    groups: tuple[str, ...] = ()
    release: dict[str, str] = {}
    for name, raw, crc in _table_files(source):
        try:
            indexed = _index_table(name, raw)
        except DataError:
            _check_crc(name, raw, crc)  # a changed file is reported as such
            raise
        if indexed is None:
            _check_crc(name, raw, crc)
            codes, code_set, rel = read_table(name, raw)
            system = codes[0].system if codes else CodeSystem.EXTENSION
            index = {c.code: n for n, c in enumerate(codes, start=1)}
            table = _Table(name, system, code_set, b"", 0, [], index)
            decoded.update((c.code, c) for c in codes)
        else:
            table, rel = indexed
            table.crc = crc
        for other in tables:
            if not other.index.keys().isdisjoint(table.index):
                other.check()  # a changed file is reported as such, not as a clash
                table.check()
                code, n = next((k, n) for k, n in table.index.items() if k in other.index)
                raise DataError(f"code {code} is also defined in another table", file=name, row=n)
        tables.append(table)
        if table.system is CodeSystem.GROUP:
            groups += tuple(table.index)
        if rel:
            release[table.code_set] = rel
    return LazyRows(tuple(tables), groups, decoded), release


def merge_codeset(
    base: list[DenialCode], added: Iterable[DenialCode], *, source: str
) -> list[DenialCode]:
    """``base`` plus ``added``; a clashing code keeps the existing one and warns."""
    have = {c.code for c in base}
    out = list(base)
    clashes: list[str] = []
    for c in added:
        if c.code in have:
            clashes.append(c.code)
            continue
        have.add(c.code)
        out.append(c)
    if clashes:
        shown = ", ".join(clashes[:10]) + (" ..." if len(clashes) > 10 else "")
        warnings.warn(
            f"{source} defines {len(clashes)} code(s) that already exist and were ignored: {shown}",
            CodeSetClashWarning,
            stacklevel=3,
        )
    return out


def _check_codeset(obj: object, *, dist: str, name: str) -> CodeSet:
    if not isinstance(obj, CodeSet):
        raise PluginLoadError(
            f"the entry point must provide a denialkit.codes.CodeSet, not {type(obj).__name__}",
            distribution=dist,
            entry_point=name,
        )
    for c in obj.codes:
        if not isinstance(c, DenialCode) or c.system is not CodeSystem.EXTENSION:
            raise PluginLoadError(
                "every code of a plugin code set must be an EXTENSION DenialCode",
                distribution=dist,
                entry_point=name,
            )
        try:
            ok = parse(c.code).system is CodeSystem.EXTENSION and parse(c.code).code == c.code
        except ValueError:
            ok = False
        if not ok:
            raise PluginLoadError(
                f"code {c.code!r} does not fit the extension code grammar "
                "(two to five letters and one to four digits, upper case)",
                distribution=dist,
                entry_point=name,
            )
    return obj


def plugin_codes(table: CodeTable) -> list[DenialCode]:
    """Load every ``denialkit.codesets`` entry point; clashes keep the existing code."""
    from importlib.metadata import entry_points

    existing = list(table._decoded().values())
    merged = existing
    for ep in entry_points(group=ENTRY_POINT_GROUP):
        dist = ep.dist.name if ep.dist is not None else "unknown distribution"
        try:
            obj = ep.load()
            if callable(obj) and not isinstance(obj, CodeSet):
                obj = obj()
        except Exception as exc:
            raise PluginLoadError(
                f"loading the code set failed ({type(exc).__name__})",
                distribution=dist,
                entry_point=ep.name,
            ) from exc
        cs = _check_codeset(obj, dist=dist, name=ep.name)
        merged = merge_codeset(merged, cs.codes, source=f"code set {dist}[{ep.name}]")
    return merged[len(existing) :]


_OFFICIAL_DATES: Final = {
    "start_date": "start",
    "last_modified_date": "last_modified",
    "stop_date": "stop",
}


def read_official_csv(
    path: str | os.PathLike[str], codes: Mapping[str, DenialCode]
) -> dict[str, DenialCode]:
    """Read the user's official CARC/RARC export; return updated copies of known codes."""
    import csv
    import io

    if not isinstance(path, (str, os.PathLike)):
        raise TypeError(f"path must be a str or os.PathLike, not {type(path).__name__}")
    name = os.path.basename(os.fspath(path))
    try:
        with open(path, "rb") as fh:
            raw = fh.read()
    except OSError as exc:
        raise DataError(
            f"cannot read the file ({exc.strerror or type(exc).__name__})", file=name
        ) from exc
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise DataError("the file is not UTF-8 text", file=name) from None
    reader = csv.DictReader(io.StringIO(text, newline=""))
    cols = {c.strip().lower() for c in (reader.fieldnames or [])}
    if not {"code", "description"} <= cols:
        raise DataError("the CSV needs the columns 'code' and 'description'", file=name)
    out: dict[str, DenialCode] = {}
    unknown: list[str] = []
    for n, row in enumerate(reader, start=2):
        row = {(k or "").strip().lower(): (v or "").strip() for k, v in row.items() if k}
        try:
            ref = parse(row["code"])
        except ValueError:
            raise DataError(
                "the code column does not hold a denial code", file=name, row=n
            ) from None
        desc = row["description"]
        if not desc:
            raise DataError("the description is empty", file=name, row=n)
        code = codes.get(ref.code)
        if code is None:
            unknown.append(ref.code)
            continue
        changes: dict[str, Any] = {"official_text": desc}
        for col, attr in _OFFICIAL_DATES.items():
            if row.get(col):
                changes[attr] = _date(row[col], file=name, row=n, field=col)
        if "stop" in changes:
            changes["status"] = Status.DEACTIVATED
        out[ref.code] = attrs.evolve(code, **changes)
    if unknown:
        shown = ", ".join(unknown[:10]) + (" ..." if len(unknown) > 10 else "")
        warnings.warn(
            f"{name}: {len(unknown)} code(s) are not in this denialkit release and were "
            f"skipped: {shown}",
            DenialkitWarning,
            stacklevel=3,
        )
    return out
