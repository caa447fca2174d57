"""Reading a record from a Bundle, a resource, NDJSON files or a bulk-export folder (private)."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import IO, Any, Final, TypeAlias, cast

from denialkit.exceptions import RecordError

from ._facts import Note
from ._json import MAX_DEPTH, loads
from ._record import OLD_TYPES, Record
from ._views import VIEW_TYPES, Resource, build, build_contained, wanted

__all__ = ["MAX_BYTES", "Readable", "read"]

#: The largest single JSON document read whole (a Bundle). Larger exports come as NDJSON,
#: which is read line by line with no limit on the file, only on one line.
MAX_BYTES: Final = 256 * 1024 * 1024
#: The longest NDJSON line (one resource).
MAX_LINE_BYTES: Final = 64 * 1024 * 1024
#: Entries or lines skipped as no resource that are noted one by one (a file of something
#: else among an export's files would otherwise give a note for each of its lines).
MAX_SKIP_NOTES: Final = 20

Readable: TypeAlias = (
    "str | os.PathLike[str] | bytes | bytearray | IO[bytes] | Sequence[str | os.PathLike[str]]"
)

_TYPE_RE: Final = re.compile(r"[A-Z][A-Za-z]{1,63}")
#: File names of one JSON value a line: NDJSON, and JSON Lines (the same format, another name)
_LINE_SUFFIXES: Final = (".ndjson", ".jsonl")
#: The first bytes of a gzip stream: a file saved still compressed (a download kept as the
#: server sent it) is read whatever its name.
_GZIP_MAGIC: Final = b"\x1f\x8b"
_ISSUE_CODE_RE: Final = re.compile(r"[a-z][a-z-]{0,39}")
#: The types denialkit reads, by their names in lower case: one written in another case is
#: read as the type it names.
_CASED: Final = {t.lower(): t for t in (*VIEW_TYPES, "Bundle", "Parameters", "OperationOutcome")}
#: Resources that hold others: a Bundle's entries, a Parameters' resources (the answer of
#: an operation, such as ``$everything`` wrapped in Parameters) are read, not the wrapper.
_WRAPPERS: Final = frozenset({"Bundle", "Parameters"})
#: OperationOutcome severities that say the answer is not whole.
_FAILED: Final = frozenset({"fatal", "error", "warning"})


class _NotAResource(Exception):
    """A Bundle entry, a Parameters resource or an NDJSON line that is not a FHIR resource
    (no ``resourceType``, one that is no type name, not an object) or that cannot be read:
    skipped and noted by its place, so one bad entry never costs a whole export."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _where(file: str | None, line: int | None, entry: int | None) -> str:
    """The place of a note, as a RecordError names it (``file, line 3, entry 2: ``)."""
    parts = [file] if file else []
    parts += [f"line {line}"] if line is not None else []
    parts += [f"entry {entry}"] if entry is not None else []
    return f"{', '.join(parts)}: " if parts else ""


class _Loader:
    """Adds JSON values to a record, refusing what is not FHIR R4 with a located error."""

    def __init__(self, record: Record) -> None:
        self.record = record
        self._good_types: set[str] = set()
        self._miscased: set[str] = set()
        self.notes: list[Note] = []
        #: resources read that are not OperationOutcomes, and whether an outcome failed
        self.resources = 0
        self.failed = False
        #: resources read that have neither id nor fullUrl (each is keyed by its number)
        self.unnamed = 0
        #: how many entries or lines were skipped (only the first MAX_SKIP_NOTES are noted)
        self.skipped = 0
        #: the place and reason of the first entry or line skipped as no resource
        self.first_skipped: tuple[str, str | None, int | None, int | None] | None = None

    def skip(self, why: str, *, file: str | None, line: int | None, entry: int | None) -> None:
        """Pass over an entry or line that is not a readable resource, noting its place (its
        content is never quoted: it may hold anything)."""
        if self.first_skipped is None:
            self.first_skipped = (why, file, line, entry)
        self.skipped += 1
        if self.skipped <= MAX_SKIP_NOTES:
            self.note(f"{why}; skipped", file=file, line=line, entry=entry)

    def note(self, message: str, *, file: str | None, line: int | None, entry: int | None) -> None:
        self.notes.append(Note(None, None, _where(file, line, entry) + message))

    def _outcome(
        self, res: Mapping[str, Any], *, file: str | None, line: int | None, entry: int | None
    ) -> None:
        """An OperationOutcome in the source: one that reports a failure or a warning (a
        search cut short, a resource left out) is noted, naming its issue codes."""
        raw = res.get("issue")
        issues = [i for i in raw if isinstance(i, dict)] if isinstance(raw, list) else []
        bad = [i for i in issues if isinstance(i.get("severity"), str) and i["severity"] in _FAILED]
        if not bad:
            return
        self.failed = self.failed or any(i["severity"] in ("fatal", "error") for i in bad)
        codes = sorted(
            {c for i in bad if isinstance(c := i.get("code"), str) and _ISSUE_CODE_RE.fullmatch(c)}
        )
        said = f" ({', '.join(codes)})" if codes else ""
        self.note(
            f"an OperationOutcome reports a problem{said}; the record may be incomplete",
            file=file,
            line=line,
            entry=entry,
        )

    def _response(
        self, response: object, *, file: str | None, line: int | None, entry: int | None
    ) -> None:
        """A batch or transaction response entry that failed (HTTP 4xx or 5xx) holds no
        resource: noted, with its status code."""
        status = response.get("status") if isinstance(response, dict) else None
        code = status.split()[0] if isinstance(status, str) and status.split() else ""
        if len(code) == 3 and code.isdigit() and code[0] in "45":
            self.note(
                f"a request failed (HTTP {code}); the resource it asked for is not in the record",
                file=file,
                line=line,
                entry=entry,
            )

    def _links(
        self, bundle: Mapping[str, Any], *, file: str | None, line: int | None, entry: int | None
    ) -> None:
        links = bundle.get("link")
        for link in links if isinstance(links, list) else []:
            if isinstance(link, dict) and link.get("relation") == "next":
                self.note(
                    "the Bundle is one page of a search and has a next page, which was not "
                    "read; fetch every page and read them together",
                    file=file,
                    line=line,
                    entry=entry,
                )
                return
        total = bundle.get("total")
        if bundle.get("type") != "searchset" or not isinstance(total, int):
            return
        entries = bundle.get("entry")
        matches = sum(
            1
            for e in (entries if isinstance(entries, list) else [])
            if isinstance(e, dict)
            and _dict_get(e.get("search"), "mode") in (None, "match")
            and e.get("resource") is not None
        )
        if total > matches:
            # a first page saved without its links (a page copied from a browser or an API
            # tool): the search matched more than the Bundle holds
            self.note(
                "the search Bundle holds fewer matches than its total; the other pages were "
                "not read (fetch every page and read them together)",
                file=file,
                line=line,
                entry=entry,
            )

    def top(self, obj: object, *, file: str | None, line: int | None) -> None:
        try:
            rtype = self._check(obj, file=file, line=line, entry=None)
        except _NotAResource as exc:
            self.skip(exc.message, file=file, line=line, entry=None)
            return
        assert isinstance(obj, dict)
        if rtype in _WRAPPERS:
            self._bundle(obj, file=file, line=line)
        else:
            self._resource(obj, None, file=file, line=line, entry=None)

    def _check(self, obj: object, *, file: str | None, line: int | None, entry: int | None) -> str:
        if not isinstance(obj, dict):
            raise _NotAResource("not a FHIR resource (a JSON object is expected)")
        rtype = obj.get("resourceType")
        if not isinstance(rtype, str):
            if isinstance(obj.get("output"), list) and "transactionTime" in obj:
                raise RecordError(
                    "a bulk data export manifest, not a resource; read the folder or the "
                    "files that hold the exported NDJSON",
                    file=file,
                    line=line,
                    entry=entry,
                )
            raise _NotAResource("not a FHIR resource (no resourceType)")
        if rtype in self._good_types:
            return rtype
        proper = _CASED.get(rtype.strip().lower())
        if proper is not None and proper != rtype:
            # a type denialkit reads, written in another case (``consent``, ``CONSENT``):
            # read as that type, and said once for each spelling
            obj["resourceType"] = proper
            if rtype not in self._miscased:
                self._miscased.add(rtype)
                self.note(
                    f"resourceType {proper} is written in another case; read as {proper}",
                    file=file,
                    line=line,
                    entry=entry,
                )
            return self._check(obj, file=file, line=line, entry=entry)
        if not _TYPE_RE.fullmatch(rtype):
            raise _NotAResource("not a FHIR resource type")
        if rtype in OLD_TYPES:
            raise RecordError(
                f"{rtype} is a FHIR DSTU2 or STU3 resource; denialkit reads FHIR R4 records",
                file=file,
                line=line,
                entry=entry,
            )
        self._good_types.add(rtype)
        return rtype

    def _parameters(
        self,
        params: Mapping[str, Any],
        depth: int,
        at: int | None,
        stack: list[tuple[Mapping[str, Any], int, int | None]],
        *,
        file: str | None,
        line: int | None,
    ) -> None:
        """The resources a Parameters holds (``parameter.resource``, also inside ``part``s), as
        an operation such as ``$everything`` or ``$member-match`` may return them: each is
        read as if the source held it, and a Bundle or Parameters among them is walked too.
        The Parameters itself is no part of the record."""
        levels: list[tuple[object, int]] = [(params.get("parameter"), 0)]
        while levels:
            level, nested = levels.pop()
            if nested > MAX_DEPTH:
                raise RecordError("Parameters nested too deep", file=file, line=line, entry=at)
            for p in _as_list(level):
                if not isinstance(p, dict):
                    continue
                res = p.get("resource")
                if res is not None:
                    try:
                        rtype = self._check(res, file=file, line=line, entry=at)
                    except _NotAResource as exc:
                        self.skip(exc.message, file=file, line=line, entry=at)
                        continue
                    if rtype in _WRAPPERS:
                        if depth >= MAX_DEPTH:
                            raise RecordError(
                                "Bundles nested too deep", file=file, line=line, entry=at
                            )
                        stack.append((res, depth + 1, at))
                    else:
                        self._resource(res, None, file=file, line=line, entry=at)
                if "part" in p:
                    levels.append((p.get("part"), nested + 1))

    def _bundle(self, bundle: Mapping[str, Any], *, file: str | None, line: int | None) -> None:
        # nested Bundles (a searchset of documents) and Parameters that wrap a Bundle are
        # walked with a stack, not recursion
        stack: list[tuple[Mapping[str, Any], int, int | None]] = [(bundle, 0, None)]
        count = 0
        while stack:
            b, depth, at = stack.pop()
            if b.get("resourceType") == "Parameters":
                self._parameters(b, depth, at, stack, file=file, line=line)
                continue
            self._links(b, file=file, line=line, entry=at)
            entries = b.get("entry")
            if entries is None:  # absent, or null as some serialisers write an absent list
                entries = []
            if not isinstance(entries, list):
                raise RecordError("Bundle.entry is not a list", file=file, line=line)
            # a history Bundle lists the newest version of a resource first (a deletion is
            # an entry without a resource): only the newest is read
            newer: set[str] | None = set() if b.get("type") == "history" else None
            for e in entries:
                n = count
                count += 1
                if e is None:
                    continue  # a null entry holds nothing
                if not isinstance(e, dict):
                    self.skip("a Bundle entry is not an object", file=file, line=line, entry=n)
                    continue
                if e.get("resource") is None:  # absent, or written as null
                    if "content" in e:
                        raise RecordError(
                            "a DSTU1 feed entry; denialkit reads FHIR R4 records",
                            file=file,
                            line=line,
                            entry=n,
                        )
                    if newer is not None:
                        newer.add(_deleted(e.get("request")))
                    self._response(e.get("response"), file=file, line=line, entry=n)
                    continue  # a DELETE request or a response: no resource to read
                res = e["resource"]
                try:
                    rtype = self._check(res, file=file, line=line, entry=n)
                except _NotAResource as exc:
                    self.skip(exc.message, file=file, line=line, entry=n)
                    continue
                if newer is not None and isinstance(res.get("id"), str):
                    key = f"{rtype}/{res['id']}"
                    if key in newer:
                        continue  # an older version
                    newer.add(key)
                if rtype in _WRAPPERS:
                    if depth >= MAX_DEPTH:
                        raise RecordError("Bundles nested too deep", file=file, line=line, entry=n)
                    stack.append((res, depth + 1, n))
                    continue
                url = e.get("fullUrl")
                self._resource(
                    res, url if isinstance(url, str) else None, file=file, line=line, entry=n
                )

    def _resource(
        self,
        res: Mapping[str, Any],
        full_url: str | None,
        *,
        file: str | None,
        line: int | None,
        entry: int | None,
    ) -> None:
        if res["resourceType"] == "OperationOutcome":
            self._outcome(res, file=file, line=line, entry=entry)
        rid = res.get("id")
        if rid.__class__ is not str or not rid:
            full_url = self._unnamed(res, rid, full_url)
            rid = res.get("id")
        try:
            if not wanted(res):  # known by type and id only: the cheap path most resources take
                rtype = res["resourceType"]
                self.record._know(rtype, rid if isinstance(rid, str) else None, full_url)
                self.resources += rtype != "OperationOutcome"
                if "contained" in res:  # a report holding the scores it reports
                    holder = Resource(
                        rtype, rid if isinstance(rid, str) else None, full_url=full_url
                    )
                    self.record._add_contained(build_contained(res, holder.key))
                return
            view = build(res, full_url=full_url)
        except (TypeError, ValueError, KeyError, AttributeError, ArithmeticError):
            self.skip(
                f"a {res['resourceType']} could not be read", file=file, line=line, entry=entry
            )
            return
        self.resources += res["resourceType"] != "OperationOutcome"
        self.record._add(view, full_url)
        if view.contained:
            self.record._add_contained(view.contained)

    def _unnamed(self, res: Mapping[str, Any], rid: object, full_url: str | None) -> str | None:
        """A resource without a string id: a whole number written as the id (as some
        exporters write one) is read as its digits; one with neither id nor fullUrl gets a
        key of its own (``Observation/(no id 2)``), so two of them never stand for each other."""
        if isinstance(rid, int) and not isinstance(rid, bool) and rid >= 0:
            cast("dict[str, Any]", res)["id"] = str(rid)
            return full_url
        if full_url is None:
            self.unnamed += 1
            return f"{res['resourceType']}/(no id {self.unnamed})"
        return full_url


def _dict_get(value: object, key: str) -> object:
    return value.get(key) if isinstance(value, dict) else None


def _as_list(value: object) -> list[Any]:
    return value if isinstance(value, list) else []


def _deleted(request: object) -> str:
    """The ``Type/id`` a history entry's DELETE request names (``""`` for anything else)."""
    if not isinstance(request, dict) or request.get("method") != "DELETE":
        return ""
    url = request.get("url")
    if not isinstance(url, str):
        return ""
    parts = [p for p in url.partition("?")[0].split("/") if p]
    if len(parts) >= 4 and parts[-2] == "_history":
        parts = parts[:-2]
    return "/".join(parts[-2:]) if len(parts) >= 2 else ""


def _name(path: str | os.PathLike[str]) -> str:
    name = Path(path).name or str(path)
    return name if len(name) <= 80 else name[:77] + "..."


def _lines(
    fh: IO[bytes], first: bytes, start: int, file: str | None, loader: _Loader
) -> Iterator[tuple[int, bytes]]:
    n = start
    line = first
    while line:
        if len(line) > MAX_LINE_BYTES:
            _too_long(fh, line, loader, file, n)
        elif line.strip():
            yield n, line
        n += 1
        line = fh.readline(MAX_LINE_BYTES + 1)


def _too_long(fh: IO[bytes], head: bytes, loader: _Loader, file: str | None, n: int) -> None:
    """Pass over an NDJSON line too long to hold (a document's pages inlined in base64),
    reading the rest of it in pieces, and note its place."""
    piece = head
    while piece and not piece.endswith(b"\n"):
        piece = fh.readline(MAX_LINE_BYTES + 1)
    loader.skip(
        f"a line longer than {MAX_LINE_BYTES // (1024 * 1024)} MB, not read",
        file=file,
        line=n,
        entry=None,
    )


#: Byte-order marks of UTF-32 and UTF-16 (Windows PowerShell writes UTF-16 by default).
_WIDE_BOMS: Final = (
    (b"\xff\xfe\x00\x00", "utf-32"),
    (b"\x00\x00\xfe\xff", "utf-32"),
    (b"\xff\xfe", "utf-16"),
    (b"\xfe\xff", "utf-16"),
)


def _as_utf8(
    fh: IO[bytes], first: bytes, codec: str, file: str | None, max_bytes: int
) -> IO[bytes]:
    """A UTF-16 or UTF-32 file (it has a byte-order mark) as UTF-8 bytes, read whole: such a
    file is rare, and its lines cannot be split at a newline byte."""
    import io

    data = first + fh.read(max_bytes + 1 - len(first))
    if len(data) > max_bytes:
        raise RecordError(
            f"a {codec.upper()} file larger than {max_bytes} bytes; save it as UTF-8", file=file
        )
    try:
        text = data.decode(codec)
    except UnicodeDecodeError:
        raise RecordError(
            f"not {codec.upper()} text, though it starts with its mark", file=file
        ) from None
    return io.BytesIO(text.encode("utf-8"))


def _line(line: bytes, file: str | None, n: int) -> object:
    """One NDJSON line as JSON; a last line without its newline that is not JSON was most
    likely cut short (an export interrupted, a copy not finished), and the error says so."""
    try:
        return loads(line, file=file, line=n)
    except RecordError:
        if line.endswith(b"\n"):
            raise
        raise RecordError(
            "not valid JSON, and the file ends inside this line (cut short?)", file=file, line=n
        ) from None


def _stream(
    fh: IO[bytes], loader: _Loader, file: str | None, *, max_bytes: int, ndjson: bool
) -> None:
    """One file: NDJSON line by line, or a single JSON document (detected from its first line).

    A file whose first line is a whole JSON value is NDJSON (errors then name the line);
    a file of one such line is a single document.
    """
    first_no = 1
    first = fh.readline(MAX_LINE_BYTES + 1)
    wide = next((codec for bom, codec in _WIDE_BOMS if first.startswith(bom)), None)
    if wide is not None:
        _stream(
            _as_utf8(fh, first, wide, file, max_bytes),
            loader,
            file,
            max_bytes=max_bytes,
            ndjson=ndjson,
        )
        return
    passed = False  # an NDJSON line too long to read was passed over
    while first and (not first.strip() or (ndjson and len(first) > MAX_LINE_BYTES)):
        if first.strip():
            _too_long(fh, first, loader, file, first_no)
            passed = True
        first_no += 1
        first = fh.readline(MAX_LINE_BYTES + 1)
    if not first.strip():
        if passed:
            return
        raise RecordError("the file is empty", file=file)
    parsed: object = None
    if ndjson or len(first) <= MAX_LINE_BYTES:
        try:
            parsed = loads(first, file=file, line=first_no)
        except RecordError:
            # a file named .ndjson that holds one indented JSON document (a Bundle saved
            # under the wrong name) opens with a lone brace: it is read whole
            if ndjson and first.strip().lstrip(b"\xef\xbb\xbf") not in (b"{", b"["):
                raise
            parsed = None
    if parsed is not None:
        more = _lines(fh, fh.readline(MAX_LINE_BYTES + 1), first_no + 1, file, loader)
        following = next(more, None)
        if following is None and not ndjson:
            loader.top(parsed, file=file, line=None)  # a single document on one line
            return
        loader.top(parsed, file=file, line=first_no)
        if following is not None:
            n, line = following
            loader.top(_line(line, file, n), file=file, line=n)
        for n, line in more:
            loader.top(_line(line, file, n), file=file, line=n)
        return
    rest = fh.read(max_bytes + 1 - len(first))
    data = first + rest
    if len(data) > max_bytes:
        raise RecordError(
            f"a JSON document larger than {max_bytes} bytes; export the record as NDJSON",
            file=file,
        )
    loader.top(loads(data, file=file), file=file, line=None)


def _stream_any(
    fh: IO[bytes],
    loader: _Loader,
    file: str | None,
    *,
    max_bytes: int,
    ndjson: bool,
    head: bytes | None = None,
) -> None:
    """:func:`_stream` of a file that may be gzip-compressed, whatever its name says (told by
    its first two bytes: ``head``, else what ``fh.peek`` shows, as a buffered file can)."""
    import gzip
    import zlib

    if head is None:
        peek = getattr(fh, "peek", None)
        head = peek(2)[:2] if peek is not None else b""
    try:
        if head == _GZIP_MAGIC:
            with gzip.GzipFile(fileobj=fh, mode="rb") as unpacked:
                _stream(
                    cast("IO[bytes]", unpacked), loader, file, max_bytes=max_bytes, ndjson=ndjson
                )
        else:
            _stream(fh, loader, file, max_bytes=max_bytes, ndjson=ndjson)
    except (EOFError, zlib.error, gzip.BadGzipFile):
        raise RecordError("not a whole gzip file (truncated or damaged)", file=file) from None


def _open(path: str | os.PathLike[str], loader: _Loader, max_bytes: int) -> str:
    """Read one file, gzip-compressed or not (as bulk exports may be: a name ending in
    ``.gz``, or a compressed download saved under its plain name)."""
    name = _name(path)
    ndjson = name.removesuffix(".gz").endswith(_LINE_SUFFIXES)
    try:
        with open(path, "rb") as fh:
            _stream_any(fh, loader, name, max_bytes=max_bytes, ndjson=ndjson)
    except RecordError:
        raise
    except IsADirectoryError:
        raise RecordError("is a folder, expected a file", file=name) from None
    except (OSError, ValueError) as exc:  # ValueError: a NUL in the path
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else type(exc).__name__
        raise RecordError(f"cannot read the file ({reason})", file=name) from None
    return name


def _is_ndjson(path: Path) -> bool:
    return path.name.removesuffix(".gz").endswith(_LINE_SUFFIXES)


def _is_json(path: Path) -> bool:
    return path.name.removesuffix(".gz").endswith(".json") and path.is_file()


def _folder_files(path: Path) -> list[Path]:
    """The files of a folder that hold the record: its NDJSON files (a bulk export, whose
    ``manifest.json`` is not part of the record), else its JSON files (a folder of Bundles,
    one a patient, as Synthea writes them)."""
    entries = sorted(path.iterdir())
    return [p for p in entries if _is_ndjson(p)] or [p for p in entries if _is_json(p)]


def read(source: Readable, *, max_bytes: int = MAX_BYTES) -> Record:
    """Read a patient's FHIR R4 record.

    Args:
        source: one of

            - a path to a Bundle (``collection``, ``searchset``, ``transaction``,
              ``document``...) or a single resource, as JSON;
            - a path to an ``.ndjson`` file, read line by line;
            - a path to a bulk-export folder: every ``*.ndjson`` (or ``*.jsonl``) file in it,
              also gzip-compressed (``*.ndjson.gz``), in name order; a folder without them
              is read as its ``*.json`` files (one Bundle a patient, as Synthea writes);
            - any of these files gzip-compressed (named ``*.gz`` or not: the content says);
            - a list of paths (NDJSON files, or JSON files);
            - ``bytes`` holding JSON or NDJSON;
            - a binary file object.
        max_bytes: the largest single JSON document read whole (default 256 MB).

    Returns:
        The :class:`Record`.

    A Bundle entry or NDJSON line that is not a FHIR resource (or an NDJSON line over 64
    MB) is skipped, and :attr:`Record.notes` names its place.

    Raises:
        RecordError: the source is not JSON, not FHIR R4 (a DSTU2/STU3 resource type, a
            DSTU1 feed), holds no resource at all, is truncated, nested too deep, too large
            or unreadable; the message names the file and the line or Bundle entry, never a
            value.
        TypeError: ``source`` is none of the above.
    """
    record = Record()
    loader = _Loader(record)
    names: list[str] = []
    if isinstance(source, (bytes, bytearray, memoryview)):
        import io

        data = bytes(source)
        _stream_any(
            io.BytesIO(data), loader, None, max_bytes=max_bytes, ndjson=False, head=data[:2]
        )
    elif isinstance(source, (str, os.PathLike)):
        if not str(source).strip():
            raise RecordError("the path is empty")
        path = Path(source)
        try:
            folder = path.is_dir()
        except (OSError, ValueError):  # a name too long, or with a NUL: _open() says so
            folder = False
        if folder:
            files = _folder_files(path)
            if not files:
                raise RecordError("the folder holds no .ndjson or .json files", file=path.name)
            names += [_open(p, loader, max_bytes) for p in files]
        else:
            names.append(_open(path, loader, max_bytes))
    elif hasattr(source, "readline") and hasattr(source, "read"):
        raw_name = getattr(source, "name", None)
        name = _name(raw_name) if isinstance(raw_name, str) else None
        probe = source.read(0)
        if not isinstance(probe, bytes):
            raise TypeError("read() needs a binary file object (open the file with 'rb')")
        _stream_any(
            cast("IO[bytes]", source),
            loader,
            name,
            max_bytes=max_bytes,
            ndjson=bool(name and name.removesuffix(".gz").endswith(_LINE_SUFFIXES)),
        )
        if name:
            names.append(name)
    elif (
        isinstance(source, Sequence)
        and source
        and all(isinstance(p, (str, os.PathLike)) for p in source)
    ):
        names += [_open(cast("str | os.PathLike[str]", p), loader, max_bytes) for p in source]
    else:
        raise TypeError(
            "read() takes a path, a list of paths, bytes or a binary file object, "
            f"not {type(source).__name__}"
        )
    if loader.first_skipped is not None and not loader.resources:
        # nothing but what is not FHIR: not a record at all
        why, file, line, entry = loader.first_skipped
        raise RecordError(why, file=file, line=line, entry=entry)
    if loader.failed and not loader.resources:
        raise RecordError(
            "the source holds only an OperationOutcome that reports an error (a server's "
            "answer to a failed request), not a patient's record",
            file=names[0] if len(names) == 1 else None,
        )
    if loader.skipped > MAX_SKIP_NOTES:
        loader.notes.append(
            Note(
                None,
                None,
                f"{loader.skipped - MAX_SKIP_NOTES} more entries or lines that are not FHIR "
                "resources were skipped",
            )
        )
    for key in record._clashes:
        loader.notes.append(
            Note(
                None,
                key,
                "two servers' resources have this Type/id (their fullUrls differ); only the "
                "later copy is read, and references resolve to it only from its own server",
            )
        )
    for key in record._unordered:
        loader.notes.append(
            Note(
                None,
                key,
                "read twice with different content, and neither copy says it is newer (by "
                "meta.lastUpdated with a zone or a numeric meta.versionId); the later copy is read",
            )
        )
    record._files = tuple(names)
    record._notes = tuple(loader.notes)
    record._link_patients()
    return record
