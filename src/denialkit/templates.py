"""Template packs: named sets of Jinja2 templates for appeal letters, and where they come from.

A **pack** is a namespace of templates (``builtin``, ``acme``) plus a metadata file,
``pack.toml``, that says for each template which codes or categories it serves, which claim
facts it needs, which enclosures it lists and what it is for. A template name is the pack name
and the file, ``"builtin/ccm21.txt.j2"``.

A template writes the parts of a letter that depend on the denial: the ``argument`` block
(why the decision is wrong) and, optionally, the ``request`` block (what the payer should do).
denialkit lays out everything else (sender, date, recipient, subject block, the denial quoted,
numbered enclosures, signature), so every letter carries the required elements.

A :class:`TemplateRegistry` holds packs and picks a template for a denial, in this order: an
explicit ``template=``, the user override directory, plugin packs (entry-point group
``denialkit.templates``), then the built-in pack's code-specific template, its category
template and its generic template. Registries are instances; :func:`default_registry` returns
one shared default.

>>> reg = default_registry()
>>> reg.get("builtin/ccm21.txt.j2").meta.facts[:2]
('consent_date', 'care_plan_date')
>>> from denialkit import lookup
>>> reg.resolve([lookup("CO-50")]).name
'builtin/carc-50.txt.j2'
>>> reg.resolve([lookup("CO-45")]).name
'builtin/category-contractual.txt.j2'

Safety: every template renders in Jinja's immutable sandbox with ``StrictUndefined``, capped
``*`` and ``**``, no string ``%`` formatting, a small allowlist of filters, a cap on output
size and a time budget. Claim values reach a template only as data, never as template source,
and rendered output is never rendered again.
"""

from __future__ import annotations

import contextvars
import os
import re
import threading
import time
import tomllib
from collections import ChainMap, deque
from collections.abc import Callable, Iterable, Iterator, Mapping, MutableMapping, Sequence
from itertools import islice
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any, Final, cast

import attrs
import jinja2
import jinja2.meta
from jinja2 import nodes
from jinja2.exceptions import SecurityError
from jinja2.sandbox import ImmutableSandboxedEnvironment

from denialkit._repr import fields_repr, tolerant

from .claim import EvidenceKind
from .codes import Category, DenialCode, parse
from .exceptions import (
    DataError,
    PluginLoadError,
    TemplateNotFoundError,
    TemplateRenderError,
)

if TYPE_CHECKING:
    from importlib.resources.abc import Traversable

__all__ = [
    "BLOCKS",
    "ENTRY_POINT_GROUP",
    "METADATA_FILE",
    "STANDARD_NAMES",
    "ChecklistItem",
    "MissingFact",
    "StringTemplate",
    "TemplateInfo",
    "TemplateMeta",
    "TemplatePack",
    "TemplateRegistry",
    "default_registry",
]

ENTRY_POINT_GROUP: Final = "denialkit.templates"
"""The entry-point group plugin packs register under."""

METADATA_FILE: Final = "pack.toml"
"""The metadata file at the root of every pack."""

BLOCKS: Final = ("argument", "request")
"""The blocks a letter template fills, ``argument`` (required) and ``request`` (optional)."""

STANDARD_NAMES: Final = frozenset(
    {
        "code",
        "codes",
        "denial_reason",
        "level",
        "medicare",
        "notice_date",
        "payer",
        "plan",
        "practice",
        "service_codes",
        "service_dates",
        "services",
        "enclosed",
        "care_minutes",
    }
)
"""Names every template may use besides its declared facts (see ``docs/template-packs.md``).

``code`` and ``codes`` (the primary code and all codes: ``key``, ``code``, ``summary``,
``category``, ``category_label``), ``services`` (``code``, ``modifiers``, ``units``,
``charge``, ``date``, ``month``, ``diagnoses``, ``description``), ``service_codes``,
``service_dates``, ``plan`` (the plan type value), ``medicare`` (original Medicare),
``level`` (``number``, ``name``, ``request``), ``payer``, ``practice``, ``notice_date`` and
``denial_reason`` (``None`` when the payer gave none), and ``enclosed``: for each evidence kind
(``enclosed["time-log"]``), the enclosure line of the claim's evidence of that kind, or
``None`` when the claim holds none, so a template refers to "the enclosed log" only when it is
enclosed. ``care_minutes`` holds the care-management minute thresholds (``codes``,
``ccm_codes``, ``describe[code]``, and ``needed``: the fewest minutes that bill the claim's
BHI or CoCM services). Patient identifiers are not among them:
denialkit writes those into the letter itself.
"""

DEFAULT_MAX_OUTPUT: Final = 100_000
DEFAULT_TIMEOUT: Final = 2.0

_PACK_RE: Final = re.compile(r"[a-z][a-z0-9_-]{0,39}")
_FILE_RE: Final = re.compile(
    r"[A-Za-z0-9_][A-Za-z0-9_.-]{0,99}(?:/[A-Za-z0-9_][A-Za-z0-9_.-]{0,99}){0,4}"
)
_FACT_RE: Final = re.compile(r"[a-z][a-z0-9_]{0,63}")
_META_KEYS: Final = frozenset(
    {
        "description",
        "codes",
        "categories",
        "generic",
        "facts",
        "optional_facts",
        "labels",
        "enclosures",
        "evidence",
        "expects",
    }
)
_EXPECT_KEYS: Final = frozenset({"kind", "item", "why", "services", "when", "unless"})

# limits inside the sandbox
_MAX_SEQ: Final = 100_000  # items or characters a `*` may produce
_MAX_INT_BITS: Final = 4096  # size of integers `*` and `**` may produce
_MAX_PAD: Final = 10_000  # widths for ljust, center, zfill and format specs
_MAX_ARG_CHARS: Final = 200_000  # longest string a call may receive
_GUARD_EVERY: Final = 256  # loop iterations between two clock checks
_BATCH: Final = 256  # rendered chunks joined between two size and clock checks


# ------------------------------------------------------------------------ metadata


class MissingFact(str):
    """The visible marker for a fact the claim lacks: ``[MISSING: label]``.

    Templates receive it in place of the fact, so a gap is never blank. It is a ``str``;
    iterating it yields the whole marker once (so ``|join`` keeps it whole), and the Jinja test
    ``is missing`` recognises it.

    >>> m = MissingFact("consent date")
    >>> m, m.label, list(m)
    ('[MISSING: consent date]', 'consent date', ['[MISSING: consent date]'])
    """

    label: str

    def __new__(cls, label: str) -> MissingFact:
        self = super().__new__(cls, f"[MISSING: {label}]")
        self.label = label
        return self

    def __iter__(self) -> Iterator[str]:
        yield str.__str__(self)

    def __reduce__(self) -> tuple[type[MissingFact], tuple[str]]:
        return (MissingFact, (self.label,))


@attrs.frozen(cache_hash=True)
class ChecklistItem:
    """Evidence a reviewer expects for a denial: what it is and why it matters.

    A template's metadata lists them (``expects`` in ``pack.toml``); a letter's
    :attr:`~denialkit.letters.Letter.checklist` holds those the claim does not hold. An item
    applies only when one of ``services`` was billed (when given), when one of the facts in
    ``when`` is present (when given) and none of the facts in ``unless`` is.

    Attributes:
        kind: the kind of evidence that satisfies it.
        item: what to gather, e.g. ``"Care manager time log for the month billed"``.
        why: why a reviewer looks for it.
        services: billed codes it applies to (empty: any).
        when: facts of which one must be present (empty: always).
        unless: facts of which none may be present.

    >>> item = ChecklistItem(EvidenceKind.TIME_LOG, "Time log", "It proves the minutes.")
    >>> item.applies(("99484",), frozenset())
    True
    """

    kind: EvidenceKind
    item: str
    why: str
    services: tuple[str, ...] = ()
    when: tuple[str, ...] = ()
    unless: tuple[str, ...] = ()
    __repr__ = fields_repr

    def applies(self, billed: Sequence[str], facts: frozenset[str]) -> bool:
        """Whether the item is expected for these billed codes and present facts."""
        # each test is ``any(x in group for x in other)``, run in C (no generator frames)
        services, when, unless = self.services, self.when, self.unless
        if services and not any(map(services.__contains__, billed)):
            return False
        if when and not any(map(facts.__contains__, when)):
            return False
        return not unless or not any(map(facts.__contains__, unless))

    def to_dict(self) -> dict[str, str]:
        """``kind``, ``item`` and ``why`` as plain data."""
        return {"kind": self.kind.value, "item": self.item, "why": self.why}


def _label(fact: str) -> str:
    return fact.replace("_", " ")


@attrs.frozen(cache_hash=True)
class TemplateMeta:
    """What a template serves and needs, as its pack's ``pack.toml`` declares it.

    Attributes:
        file: the file inside the pack, e.g. ``"ccm21.txt.j2"``.
        description: one line on what the letter argues.
        codes: canonical codes it serves (``"CCM21"``, ``"16"``); group codes are not part of
            a template's match.
        categories: categories it serves.
        generic: serves any denial (the last resort).
        facts: claim facts it needs; each missing one is marked and listed.
        optional_facts: claim facts it uses when present (``None`` otherwise, never marked).
        labels: human labels for facts, ``(name, label)`` pairs; the default label is the name
            with spaces (``consent_date`` → ``consent date``).
        enclosures: older packs' list of supporting documents; each becomes a checklist item
            of kind ``other`` when the template declares no ``expects`` (never an enclosure:
            a letter encloses only the claim's evidence).
        evidence: when the template declares neither ``expects`` nor ``enclosures``, put the
            codes' evidence advice (``DenialCode.knowledge.evidence``) on the checklist.
        expects: the evidence a reviewer expects (:class:`ChecklistItem`), in the order the
            argument uses it.

    >>> TemplateMeta("x.txt.j2", facts=("consent_date",)).label("consent_date")
    'consent date'
    """

    file: str
    description: str = ""
    codes: tuple[str, ...] = ()
    categories: tuple[Category, ...] = ()
    generic: bool = False
    facts: tuple[str, ...] = ()
    optional_facts: tuple[str, ...] = ()
    labels: tuple[tuple[str, str], ...] = ()
    enclosures: tuple[str, ...] = ()
    evidence: bool = True
    expects: tuple[ChecklistItem, ...] = ()
    __repr__ = fields_repr

    def label(self, fact: str) -> str:
        """The human label of a fact (``"consent date"``)."""
        for name, text in self.labels:
            if name == fact:
                return text
        return _label(fact)

    @property
    def kind(self) -> str:
        """``"code"``, ``"category"``, ``"generic"`` or ``"explicit"`` (used only by name)."""
        if self.codes:
            return "code"
        if self.categories:
            return "category"
        return "generic" if self.generic else "explicit"

    @classmethod
    def from_mapping(cls, file: str, data: Mapping[str, object], *, source: str) -> TemplateMeta:
        """Build from one ``[templates."FILE"]`` table; ``source`` names the file for errors.

        Raises:
            DataError: a key or value is wrong (the message names the template and the key).
        """
        where = f"template {file}"

        def bad(msg: str) -> DataError:
            return DataError(f"{where}: {msg}", file=source)

        if not isinstance(file, str) or not _FILE_RE.fullmatch(file) or ".." in file:
            raise DataError(
                "template file names use letters, digits, '.', '_', '-' and '/' only",
                file=source,
            )
        if not isinstance(data, Mapping):
            raise bad("expected a table")
        unknown = sorted(str(k) for k in data if k not in _META_KEYS)
        if unknown:
            raise bad(f"unknown key(s) {', '.join(unknown)}")

        def strings(key: str) -> tuple[str, ...]:
            v = data.get(key, [])
            if not isinstance(v, list) or not all(isinstance(x, str) for x in v):
                raise bad(f"{key} must be a list of strings")
            return tuple(v)

        def flag(key: str, default: bool) -> bool:
            v = data.get(key, default)
            if not isinstance(v, bool):
                raise bad(f"{key} must be true or false")
            return v

        description = data.get("description", "")
        if not isinstance(description, str):
            raise bad("description must be a string")
        codes = []
        for text in strings("codes"):
            try:
                codes.append(parse(text).code)
            except ValueError:
                raise bad(f"{text!r} in codes is not a denial code") from None
        cats = []
        for text in strings("categories"):
            try:
                cats.append(Category(text))
            except ValueError:
                raise bad(f"{text!r} in categories is not a category slug") from None
        facts = strings("facts")
        optional = strings("optional_facts")
        for f in (*facts, *optional):
            if not _FACT_RE.fullmatch(f):
                raise bad(f"fact {f!r} is not a lower_snake_case name")
            if f in STANDARD_NAMES:
                raise bad(f"fact {f!r} clashes with a standard template name")
        if len(set(facts) | set(optional)) != len(facts) + len(optional):
            raise bad("a fact is declared twice")
        raw_labels = data.get("labels", {})
        if not isinstance(raw_labels, Mapping) or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in raw_labels.items()
        ):
            raise bad("labels must map fact names to strings")
        for k in raw_labels:
            if k not in facts and k not in optional:
                raise bad(f"labels names {k!r}, which is not a declared fact")
        return cls(
            file=file,
            description=description,
            codes=tuple(dict.fromkeys(codes)),
            categories=tuple(dict.fromkeys(cats)),
            generic=flag("generic", False),
            facts=facts,
            optional_facts=optional,
            labels=tuple(sorted(raw_labels.items())),
            enclosures=strings("enclosures"),
            evidence=flag("evidence", True),
            expects=_expects(data.get("expects", []), bad),
        )


def _expects(raw: object, bad: Callable[[str], DataError]) -> tuple[ChecklistItem, ...]:
    """The ``expects`` array of tables of one template."""
    if not isinstance(raw, list):
        raise bad("expects must be an array of tables")
    out = []
    for i, entry in enumerate(raw):
        where = f"expects[{i}]"
        if not isinstance(entry, Mapping):
            raise bad(f"{where} must be a table")
        unknown = sorted(str(k) for k in entry if k not in _EXPECT_KEYS)
        if unknown:
            raise bad(f"{where}: unknown key(s) {', '.join(unknown)}")
        try:
            kind = EvidenceKind(str(entry.get("kind")))
        except ValueError:
            raise bad(f"{where}.kind is not an evidence kind") from None
        texts = {}
        for key in ("item", "why"):
            value = entry.get(key)
            if not isinstance(value, str) or not value.strip() or "\n" in value:
                raise bad(f"{where}.{key} must be one non-empty line")
            texts[key] = value.strip()
        lists = {}
        for key in ("services", "when", "unless"):
            value = entry.get(key, [])
            if not isinstance(value, list) or not all(isinstance(x, str) for x in value):
                raise bad(f"{where}.{key} must be a list of strings")
            lists[key] = tuple(value)
        for fact in lists["when"] + lists["unless"]:
            if not _FACT_RE.fullmatch(fact):
                raise bad(f"{where}: fact {fact!r} is not a lower_snake_case name")
        out.append(ChecklistItem(kind, texts["item"], texts["why"], **lists))
    return tuple(out)


@attrs.frozen
class TemplatePack:
    """A named set of templates with their metadata.

    Build one with :meth:`from_package` (for a distribution: the templates ship as package
    data) or :meth:`from_directory`. A plugin exposes a pack, or a callable returning one,
    through the ``denialkit.templates`` entry-point group.

    >>> pack = TemplatePack.from_package("denialkit._templates")
    >>> pack.name, pack.get("generic.txt.j2").generic
    ('builtin', True)
    """

    name: str
    root: Traversable = attrs.field(repr=False, eq=False)
    templates: tuple[TemplateMeta, ...] = attrs.field(repr=False)
    description: str = ""
    __repr__ = fields_repr

    def __attrs_post_init__(self) -> None:
        if not isinstance(self.name, str) or not _PACK_RE.fullmatch(self.name):
            raise ValueError(
                "a pack name is 1 to 40 lower-case letters, digits, '_' or '-', "
                "starting with a letter"
            )
        seen: set[str] = set()
        for meta in self.templates:
            if not isinstance(meta, TemplateMeta):
                raise TypeError("templates must be TemplateMeta records")
            if meta.file in seen:
                raise ValueError(f"template {meta.file} is listed twice in pack {self.name}")
            seen.add(meta.file)

    @classmethod
    def from_directory(
        cls, path: str | os.PathLike[str], *, name: str | None = None
    ) -> TemplatePack:
        """A pack from a directory holding ``pack.toml`` and the templates.

        Raises:
            DataError: ``pack.toml`` is missing or wrong (names the key at fault).
        """
        if not isinstance(path, (str, os.PathLike)):
            raise TypeError(f"path must be a str or os.PathLike, not {type(path).__name__}")
        return cls.from_root(Path(path), name=name)

    @classmethod
    def from_package(cls, package: str, *, name: str | None = None) -> TemplatePack:
        """A pack from the package data of an importable package (works from wheels and zips).

        Raises:
            ModuleNotFoundError: the package cannot be imported.
            DataError: ``pack.toml`` is missing or wrong.
        """
        if not isinstance(package, str):
            raise TypeError(f"package must be a str, not {type(package).__name__}")
        from ._compat import files

        return cls.from_root(files(package), name=name)

    @classmethod
    def from_root(cls, root: Traversable, *, name: str | None = None) -> TemplatePack:
        """A pack from any traversable root (a ``pathlib.Path`` or ``importlib.resources``)."""
        try:
            raw = root.joinpath(METADATA_FILE).read_bytes()
        except (OSError, ValueError):
            raise DataError("the pack has no metadata file", file=METADATA_FILE) from None
        try:
            doc = tomllib.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
            raise DataError(f"not valid TOML ({exc})", file=METADATA_FILE) from None
        unknown = sorted(k for k in doc if k not in {"name", "description", "templates"})
        if unknown:
            raise DataError(f"unknown key(s) {', '.join(unknown)}", file=METADATA_FILE)
        pack_name = name if name is not None else doc.get("name")
        if not isinstance(pack_name, str) or not _PACK_RE.fullmatch(pack_name):
            raise DataError(
                "name must be 1 to 40 lower-case letters, digits, '_' or '-'", file=METADATA_FILE
            )
        description = doc.get("description", "")
        if not isinstance(description, str):
            raise DataError("description must be a string", file=METADATA_FILE)
        tables = doc.get("templates", {})
        if not isinstance(tables, Mapping) or not tables:
            raise DataError('the pack declares no [templates."FILE"] tables', file=METADATA_FILE)
        metas = []
        for file, data in tables.items():
            meta = TemplateMeta.from_mapping(file, data, source=METADATA_FILE)
            if not root.joinpath(*meta.file.split("/")).is_file():
                raise DataError(f"template {meta.file} is declared but missing", file=METADATA_FILE)
            metas.append(meta)
        return cls(name=pack_name, root=root, templates=tuple(metas), description=description)

    def get(self, file: str) -> TemplateMeta | None:
        """The metadata of one template, or ``None``."""
        for meta in self.templates:
            if meta.file == file:
                return meta
        return None

    def source(self, file: str) -> str:
        """The source text of a template file in this pack.

        Raises:
            TemplateNotFoundError: no such file.
        """
        if not isinstance(file, str) or not _FILE_RE.fullmatch(file) or ".." in file:
            raise TemplateNotFoundError(
                f"not a template file name in pack {self.name}", searched=(self.name,)
            )
        message = f"pack {self.name} has no template {file}"
        try:
            return _inside(self.root, file).read_text("utf-8")
        except _OutsideTheRoot:
            message = f"template {file} of pack {self.name} links out of the pack's directory"
        except (OSError, UnicodeDecodeError, jinja2.TemplateNotFound):
            pass
        # raised here, outside the handler, with nothing chained
        raise TemplateNotFoundError(message, searched=(f"{self.name}/{file}",))


@attrs.frozen
class TemplateInfo:
    """A template a registry can use: its full name, its pack and its metadata.

    >>> info = default_registry().get("builtin/generic.txt.j2")
    >>> info.pack, info.kind
    ('builtin', 'generic')
    """

    name: str
    pack: str
    meta: TemplateMeta
    __repr__ = fields_repr

    @property
    def kind(self) -> str:
        """``"code"``, ``"category"``, ``"generic"`` or ``"explicit"``."""
        return self.meta.kind

    @property
    def serves(self) -> str:
        """What it serves, in words (``"CCM21"``, ``"category coding"``, ``"any denial"``)."""
        parts = list(self.meta.codes) + [f"category {c.value}" for c in self.meta.categories]
        if self.meta.generic:
            parts.append("any denial")
        return ", ".join(parts) or "by name only"


@attrs.frozen
class StringTemplate:
    """A template given as a string at run time (rendered in the immutable sandbox).

    Without ``{% block argument %}`` the whole output is the argument.

    >>> t = StringTemplate("The enclosed log shows {{ minutes }} minutes.", facts=("minutes",))
    >>> t.meta.facts, t.name
    (('minutes',), '<string>')
    """

    source: str = attrs.field(repr=False)
    facts: tuple[str, ...] = attrs.field(default=(), converter=tuple)
    optional_facts: tuple[str, ...] = attrs.field(default=(), converter=tuple)
    enclosures: tuple[str, ...] = attrs.field(default=(), converter=tuple)
    evidence: bool = True
    name: str = "<string>"
    __repr__ = fields_repr

    def __attrs_post_init__(self) -> None:
        if not isinstance(self.source, str):
            raise TypeError(f"template source must be a str, not {type(self.source).__name__}")
        for f in (*self.facts, *self.optional_facts):
            if not isinstance(f, str) or not _FACT_RE.fullmatch(f) or f in STANDARD_NAMES:
                raise ValueError("facts are lower_snake_case names other than the standard names")

    @property
    def meta(self) -> TemplateMeta:
        """The template's metadata."""
        return TemplateMeta(
            file=self.name,
            facts=self.facts,
            optional_facts=self.optional_facts,
            enclosures=self.enclosures,
            evidence=self.evidence,
        )


# ------------------------------------------------------------------------ the sandbox

_BUDGET: contextvars.ContextVar[float] = contextvars.ContextVar("denialkit_render_budget")


class _Timeout(Exception):
    pass


def _check_clock() -> None:
    deadline = _BUDGET.get(None)
    if deadline is not None and time.perf_counter() > deadline:
        raise _Timeout


def _guard(iterable: Iterable[object]) -> Iterator[object]:
    deadline = _BUDGET.get(None)
    for i, item in enumerate(iterable):
        if i % _GUARD_EVERY == 0 and deadline is not None and time.perf_counter() > deadline:
            raise _Timeout
        yield item


def _guarded_range(*args: int) -> Iterator[int]:
    from jinja2.sandbox import safe_range

    return _guard(safe_range(*args))  # type: ignore[return-value]


def _finalize(value: object) -> object:
    if value is None:
        raise _NoneOutput
    return value


class _NoneOutput(Exception):
    pass


def _and_join(items: Iterable[object], conj: str = "and") -> str:
    """``a``, ``a and b``, ``a, b and c``."""
    words = [str(x) for x in items]
    if len(words) <= 1:
        return "".join(words)
    return f"{', '.join(words[:-1])} {conj} {words[-1]}"


def _money(value: object) -> str:
    from decimal import Decimal, InvalidOperation

    if isinstance(value, str) or value is None:
        return str(value)
    try:
        d = Decimal(str(value)).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError):
        return str(value)
    return f"${d:,}"


def _safe_replace(s: object, old: str, new: str, count: int | None = None) -> str:
    text = str(s)
    n = text.count(old) if old else len(text) + 1
    if count is not None:
        n = min(n, max(count, 0))
    if len(text) + n * (len(new) - len(old)) > _MAX_SEQ:
        raise SecurityError("replace would produce too much text")
    return text.replace(old, new, -1 if count is None else count)


def _getter(env: jinja2.Environment, attribute: object) -> Callable[[Any], Any]:
    """``make_attrgetter`` without the extras: dotted paths, integer parts, sandboxed."""
    getitem = env.getitem
    if not isinstance(attribute, str) or "." not in attribute:
        key = attribute

        def one(item: Any) -> Any:
            return getitem(item, key)

        return one
    parts = [int(p) if p.isdigit() else p for p in attribute.split(".")]

    def path(item: Any) -> Any:
        for part in parts:
            item = getitem(item, part)
        return item

    return path


def _pick(
    context: jinja2.runtime.Context,
    seq: Iterable[Any],
    args: tuple[Any, ...],
    kwargs: dict[str, Any],
    keep: bool,
) -> Iterator[Any]:
    if not args:
        from jinja2.exceptions import FilterArgumentError

        raise FilterArgumentError("Missing parameter for attribute name")
    env = context.environment
    attribute = args[0]
    if len(args) == 1:
        get = _getter(env, attribute)
        return (item for item in seq if bool(get(item)) is keep)
    name, rest = args[1], args[2:]
    test: Any = env.tests.get(name)
    if test is None or hasattr(test, "jinja_pass_arg") or kwargs:
        get = _getter(env, attribute)
        return (
            item
            for item in seq
            if bool(env.call_test(name, get(item), rest, kwargs, context)) is keep
        )
    if type(attribute) is str and "." not in attribute:  # the common case: one key
        getitem = env.getitem
        return (item for item in seq if bool(test(getitem(item, attribute), *rest)) is keep)
    get = _getter(env, attribute)
    return (item for item in seq if bool(test(get(item), *rest)) is keep)


@jinja2.pass_context
def _selectattr(context: jinja2.runtime.Context, seq: Iterable[Any], *args: Any, **kw: Any) -> Any:
    """Jinja's ``selectattr``, leaner (the sandbox still checks every lookup)."""
    return _pick(context, seq, args, kw, True)


@jinja2.pass_context
def _rejectattr(context: jinja2.runtime.Context, seq: Iterable[Any], *args: Any, **kw: Any) -> Any:
    """Jinja's ``rejectattr``, leaner."""
    return _pick(context, seq, args, kw, False)


@jinja2.pass_environment
def _sum(
    env: jinja2.Environment, seq: Iterable[Any], attribute: object = None, start: Any = 0
) -> Any:
    """Jinja's ``sum``, leaner."""
    if attribute is not None:
        seq = map(_getter(env, attribute), seq)
    return sum(seq, start)


def _filters() -> dict[str, Callable[..., Any]]:
    from jinja2.filters import FILTERS

    keep = [
        "abs",
        "capitalize",
        "count",
        "default",
        "d",
        "first",
        "float",
        "int",
        "join",
        "last",
        "length",
        "list",
        "lower",
        "map",
        "max",
        "min",
        "reject",
        "rejectattr",
        "round",
        "select",
        "selectattr",
        "sort",
        "string",
        "sum",
        "title",
        "trim",
        "truncate",
        "unique",
        "upper",
        "wordcount",
    ]
    out: dict[str, Callable[..., Any]] = {k: FILTERS[k] for k in keep}
    out["selectattr"] = _selectattr
    out["rejectattr"] = _rejectattr
    out["sum"] = _sum
    out["list"] = list
    out["replace"] = _safe_replace
    out["and_join"] = _and_join
    out["money"] = _money
    out["_dk_guard"] = _guard
    return out


_PAD_METHODS: Final = frozenset({"ljust", "rjust", "center", "zfill", "expandtabs"})
_WIDE_SPEC: Final = re.compile(r"\{[^{}]*[:.!][^{}]*[0-9]{5,}[^{}]*\}")


class _Sandbox(ImmutableSandboxedEnvironment):
    """The immutable sandbox with denialkit's caps (private)."""

    intercepted_binops = frozenset({"*", "**", "%"})

    def __init__(self, loader: jinja2.BaseLoader | None) -> None:
        super().__init__(
            loader=loader,
            undefined=jinja2.StrictUndefined,
            autoescape=False,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=False,
            auto_reload=False,
            finalize=_finalize,
            extensions=(),
        )
        self.globals.clear()
        self.globals["range"] = _guarded_range
        self.globals["dict"] = dict
        self.filters = _filters()
        self.tests["missing"] = lambda v: isinstance(v, MissingFact)

    def _generate(
        self,
        source: nodes.Template,
        name: str | None,
        filename: str | None,
        defer_init: bool = False,
    ) -> str:
        for node in source.find_all(nodes.Name):
            if node.name == "self":
                raise jinja2.TemplateSyntaxError(
                    "'self' is not available in denialkit templates", node.lineno, name, filename
                )
        for loop in source.find_all(nodes.For):
            loop.iter = nodes.Filter(loop.iter, "_dk_guard", [], [], None, None, lineno=loop.lineno)
        return super()._generate(source, name, filename, defer_init=defer_init)

    def getattr(self, obj: Any, attribute: str) -> Any:
        # Context records are plain dicts: look the key up first, which spares the failed
        # attribute lookup (an exception) on every ``service.code``. A key never shadows a
        # check: dict items are data, and anything else goes through the sandbox as before.
        if type(obj) is dict:
            try:
                return obj[attribute]
            except (KeyError, TypeError):
                pass
        return super().getattr(obj, attribute)

    def call_binop(
        self, context: jinja2.runtime.Context, operator: str, left: Any, right: Any
    ) -> Any:
        _check_clock()
        if operator == "*":
            for seq, n in ((left, right), (right, left)):
                if (
                    isinstance(seq, (str, list, tuple))
                    and isinstance(n, int)
                    and len(seq) * n > _MAX_SEQ
                ):
                    raise SecurityError("the product is too long")
            if (
                isinstance(left, int)
                and isinstance(right, int)
                and left.bit_length() + right.bit_length() > _MAX_INT_BITS
            ):
                raise SecurityError("the product is too large")
        elif (
            operator == "**"
            and isinstance(left, int)
            and isinstance(right, int)
            and (right > 1024 or (abs(left) > 1 and left.bit_length() * right > _MAX_INT_BITS))
        ):
            raise SecurityError("the power is too large")
        elif operator == "%" and isinstance(left, str):
            raise SecurityError("string formatting with % is not allowed; use ~ to join text")
        return super().call_binop(context, operator, left, right)

    def call(
        __self,
        __context: jinja2.runtime.Context,
        __obj: Any,
        *args: Any,
        **kwargs: Any,
    ) -> Any:
        _check_clock()
        name = getattr(__obj, "__name__", "")
        owner = getattr(getattr(__obj, "__wrapped__", __obj), "__self__", None)
        values = (*args, *kwargs.values())
        for v in values:
            if isinstance(v, str) and len(v) > _MAX_ARG_CHARS:
                raise SecurityError("an argument is too long")
        if isinstance(owner, str):
            wide = any(isinstance(v, int) and abs(v) > _MAX_PAD for v in values)
            if wide and (name in _PAD_METHODS or name in ("format", "format_map")):
                raise SecurityError("a width is too large")
            if name in ("format", "format_map") and _WIDE_SPEC.search(owner):
                raise SecurityError("a format width is too large")
            if name == "replace" and len(args) >= 2:
                return _safe_replace(owner, str(args[0]), str(args[1]), *args[2:3])
        return super().call(__context, __obj, *args, **kwargs)


# ------------------------------------------------------------------------ loaders


class _OutsideTheRoot(jinja2.TemplateNotFound):
    """A template name that leads out of its directory through a symbolic link."""


def _inside(root: Traversable, file: str) -> Traversable:
    """The file ``file`` (``a/b.txt.j2``) of a template root, never outside it.

    A root on the file system is resolved, links and all, and the file must resolve to a
    path inside it: a link to a file elsewhere (``/etc/passwd``), or a link to a directory
    outside (``root -> /``), is refused with :class:`_OutsideTheRoot`. Other roots (package
    data in a zip) have no links.
    """
    if not _FILE_RE.fullmatch(file) or ".." in file:
        raise jinja2.TemplateNotFound(file)
    item = root.joinpath(*file.split("/"))
    if not isinstance(root, Path):
        return item
    try:
        base = root.resolve(strict=True)
        real = cast(Path, item).resolve(strict=True)
    except (OSError, RuntimeError):  # missing, unreadable, or a loop of links
        raise jinja2.TemplateNotFound(file) from None
    if base not in real.parents:
        raise _OutsideTheRoot(file)
    return real


class _Choice(jinja2.ChoiceLoader):
    """Jinja's ``ChoiceLoader``, except that a name refused for leading out of its directory
    stays refused instead of falling through to the next loader (an override directory's
    link must not quietly load the built-in template either)."""

    def get_source(
        self, environment: jinja2.Environment, template: str
    ) -> tuple[str, str | None, Callable[[], bool] | None]:
        for loader in self.loaders:
            try:
                return loader.get_source(environment, template)
            except _OutsideTheRoot:
                raise
            except jinja2.TemplateNotFound:
                pass
        raise jinja2.TemplateNotFound(template)

    def load(
        self,
        environment: jinja2.Environment,
        name: str,
        globals: MutableMapping[str, Any] | None = None,
    ) -> jinja2.Template:
        for loader in self.loaders:
            try:
                return loader.load(environment, name, globals)
            except _OutsideTheRoot:
                raise
            except jinja2.TemplateNotFound:
                pass
        raise jinja2.TemplateNotFound(name)


class _Prefix(jinja2.PrefixLoader):
    """Jinja's ``PrefixLoader``, except that a refused link keeps its own error (the stock
    one turns every failure into a plain "not found")."""

    def get_source(
        self, environment: jinja2.Environment, template: str
    ) -> tuple[str, str | None, Callable[[], bool] | None]:
        loader, name = self.get_loader(template)
        try:
            return loader.get_source(environment, name)
        except _OutsideTheRoot:
            raise _OutsideTheRoot(template) from None
        except jinja2.TemplateNotFound:
            raise jinja2.TemplateNotFound(template) from None

    def load(
        self,
        environment: jinja2.Environment,
        name: str,
        globals: MutableMapping[str, Any] | None = None,
    ) -> jinja2.Template:
        loader, local_name = self.get_loader(name)
        try:
            return loader.load(environment, local_name, globals)
        except _OutsideTheRoot:
            raise _OutsideTheRoot(name) from None
        except jinja2.TemplateNotFound:
            raise jinja2.TemplateNotFound(name) from None


def _link_refused(name: str) -> TemplateNotFoundError:
    return TemplateNotFoundError(
        f"template {name} is a link out of its template directory, which is refused",
        searched=(name,),
    )


class _RootLoader(jinja2.BaseLoader):
    """Loads templates from a pack's traversable root (or the override directory), never
    from outside it (see :func:`_inside`)."""

    def __init__(self, root: Traversable, label: str) -> None:
        self.root = root
        self.label = label

    def get_source(
        self, environment: jinja2.Environment, template: str
    ) -> tuple[str, str | None, Callable[[], bool] | None]:
        item = _inside(self.root, template)
        try:
            source = item.read_text("utf-8")
        except (OSError, UnicodeDecodeError):
            raise jinja2.TemplateNotFound(template) from None
        return source, f"{self.label}/{template}", lambda: True


# ------------------------------------------------------------------------ the registry


@attrs.frozen
class _State:
    packs: tuple[TemplatePack, ...]
    infos: dict[str, TemplateInfo]
    env: _Sandbox
    # per pack, in search order: code -> template, category -> template (first one listed)
    index: tuple[tuple[dict[str, TemplateInfo], dict[Category, TemplateInfo]], ...]
    generic: TemplateInfo | None
    __repr__ = fields_repr


_BUILTIN_PACKAGE: Final = "denialkit._templates"
_TOKEN_NAME = re.compile(r"'([A-Za-z_][A-Za-z0-9_]*)'")


class TemplateRegistry:
    """Template packs, the order they are searched in, and the Jinja environment they share.

    Args:
        packs: extra packs, searched before plugin packs (after the override directory).
        override_dir: a directory searched first. A file at ``PACK/FILE`` in it replaces that
            pack's template (``mydir/builtin/ccm21.txt.j2``); a ``pack.toml`` in it makes the
            directory a pack of its own, searched before every other.
        plugins: discover packs from the ``denialkit.templates`` entry points (on first use).
        builtin: include the built-in pack.
        max_output: the most characters one template may produce.
        timeout: the most seconds one template may render for.

    Compiled templates are cached per registry (bounded by Jinja's cache size), never per
    claim.

    >>> reg = TemplateRegistry(plugins=False)
    >>> [p.name for p in reg.packs]
    ['builtin']
    """

    __slots__ = (
        "_builtin",
        "_compiled",
        "_given",
        "_lock",
        "_override",
        "_plugins",
        "_state",
        "_string_env",
        "_used",
        "max_output",
        "timeout",
    )

    def __init__(
        self,
        packs: Sequence[TemplatePack] = (),
        *,
        override_dir: str | os.PathLike[str] | None = None,
        plugins: bool = True,
        builtin: bool = True,
        max_output: int = DEFAULT_MAX_OUTPUT,
        timeout: float = DEFAULT_TIMEOUT,
    ) -> None:
        if isinstance(packs, TemplatePack) or not isinstance(packs, Sequence):
            raise TypeError("packs must be a sequence of TemplatePack")
        for p in packs:
            if not isinstance(p, TemplatePack):
                raise TypeError(f"packs must hold TemplatePack objects, not {type(p).__name__}")
        if override_dir is not None and not isinstance(override_dir, (str, os.PathLike)):
            raise TypeError("override_dir must be a str or os.PathLike")
        if isinstance(max_output, bool) or not isinstance(max_output, int) or max_output < 1:
            raise ValueError("max_output must be a positive whole number")
        if isinstance(timeout, bool) or not isinstance(timeout, (int, float)) or not timeout > 0:
            raise ValueError("timeout must be a positive number of seconds")
        self._given = tuple(packs)
        self._override = Path(override_dir) if override_dir is not None else None
        self._plugins = bool(plugins)
        self._builtin = bool(builtin)
        self.max_output = max_output
        self.timeout = float(timeout)
        self._lock = threading.Lock()
        self._state: _State | None = None
        self._string_env: _Sandbox | None = None
        self._used: dict[str, frozenset[str]] = {}
        self._compiled: dict[str, jinja2.Template] = {}

    @tolerant
    def __repr__(self) -> str:
        if self._state is None:
            return "<TemplateRegistry (not loaded yet)>"
        return f"<TemplateRegistry packs={[p.name for p in self._state.packs]}>"

    # -- loading -------------------------------------------------------------------
    def _load(self) -> _State:
        state = self._state
        if state is not None:
            return state
        with self._lock:
            if self._state is not None:
                return self._state
            packs: list[TemplatePack] = []
            if self._override is not None:
                try:
                    usable = self._override.is_dir()
                    has_meta = usable and (self._override / METADATA_FILE).is_file()
                except (OSError, ValueError):
                    usable = has_meta = False
                if not usable:
                    raise DataError(
                        "the template override directory does not exist or cannot be read",
                        file="override_dir",
                    )
                if has_meta:
                    packs.append(TemplatePack.from_directory(self._override))
            packs.extend(self._given)
            if self._plugins:
                packs.extend(_plugin_packs())
            if self._builtin:
                packs.append(TemplatePack.from_package(_BUILTIN_PACKAGE))
            seen: set[str] = set()
            for p in packs:
                if p.name in seen:
                    raise ValueError(
                        f"two template packs are named {p.name!r}; pack names must be unique"
                    )
                seen.add(p.name)
            mapping: dict[str, jinja2.BaseLoader] = {
                p.name: _RootLoader(p.root, p.name) for p in packs
            }
            loaders: list[jinja2.BaseLoader] = []
            if self._override is not None:
                loaders.append(_RootLoader(self._override, str(self._override)))
            loaders.append(_Prefix(mapping, delimiter="/"))
            env = _Sandbox(_Choice(loaders))
            infos = {
                f"{p.name}/{m.file}": TemplateInfo(f"{p.name}/{m.file}", p.name, m)
                for p in packs
                for m in p.templates
            }
            index = []
            generic: TemplateInfo | None = None
            for p in packs:
                by_code: dict[str, TemplateInfo] = {}
                by_cat: dict[Category, TemplateInfo] = {}
                for m in p.templates:
                    info = infos[f"{p.name}/{m.file}"]
                    for c in m.codes:
                        by_code.setdefault(c, info)
                    for cat in m.categories:
                        by_cat.setdefault(cat, info)
                    if m.generic and generic is None:
                        generic = info
                index.append((by_code, by_cat))
            self._state = _State(
                packs=tuple(packs), infos=infos, env=env, index=tuple(index), generic=generic
            )
            return self._state

    @property
    def packs(self) -> tuple[TemplatePack, ...]:
        """Every pack, in search order (loads plugins on first use).

        Raises:
            PluginLoadError: a plugin pack failed to load.
        """
        return self._load().packs

    def templates(self) -> list[TemplateInfo]:
        """Every template of every pack, in search order."""
        return list(self._load().infos.values())

    # -- lookups -------------------------------------------------------------------
    def get(self, name: str) -> TemplateInfo:
        """A template by name: ``"builtin/ccm21.txt.j2"``, or a bare ``"ccm21.txt.j2"`` /
        ``"ccm21"`` found in the first pack (in search order) that has it.

        Raises:
            TypeError: ``name`` is not a str.
            TemplateNotFoundError: no such template; ``searched`` lists the names tried.
        """
        if not isinstance(name, str):
            raise TypeError(f"a template name must be a str, not {type(name).__name__}")
        state = self._load()
        text = name.strip()
        searched: list[str] = []
        if len(text) <= 200:
            hit = state.infos.get(text)
            if hit is not None:
                return hit
            candidates = [text] if text.endswith(".j2") else [text, f"{text}.txt.j2"]
            if "/" in text:
                searched.append(text)
            for p in state.packs:
                for c in candidates:
                    full = f"{p.name}/{c}"
                    searched.append(full)
                    if full in state.infos:
                        return state.infos[full]
        shown = repr(text) if len(text) <= 60 and text.isprintable() else "the given name"
        raise TemplateNotFoundError(f"no template named {shown}", searched=searched)

    def resolve(self, codes: Sequence[DenialCode]) -> TemplateInfo:
        """The template for a denial: the first match in search order.

        Each pack before the built-in one is tried for a code-specific, then a category
        template; then the built-in pack's code-specific, category and generic templates.

        Raises:
            TemplateNotFoundError: nothing serves these codes; ``searched`` lists each step.
        """
        state = self._load()
        for by_code, by_cat in state.index:
            for c in codes:
                hit = by_code.get(c.code)
                if hit is not None:
                    return hit
            for c in codes:
                hit = by_cat.get(c.category)
                if hit is not None:
                    return hit
        if state.generic is not None:
            return state.generic
        searched: list[str] = []
        cats = list(dict.fromkeys(c.category for c in codes))
        for pack in state.packs:
            searched.extend(f"{pack.name}: code {c.code}" for c in codes)
            searched.extend(f"{pack.name}: category {cat.value}" for cat in cats)
        searched.extend(f"{pack.name}: generic" for pack in state.packs)
        raise TemplateNotFoundError("no template serves these codes", searched=searched)

    def source(self, name: str) -> str:
        """The source a template name loads (the override directory's copy when it has one).

        Raises:
            TemplateNotFoundError: no such template.
        """
        info = self.get(name)
        env = self._load().env
        assert env.loader is not None
        try:
            return env.loader.get_source(env, info.name)[0]
        except _OutsideTheRoot:
            raise _link_refused(info.name) from None
        except jinja2.TemplateNotFound:
            raise TemplateNotFoundError(
                f"the file of template {info.name} is missing", searched=(info.name,)
            ) from None

    def used_names(self, template: str | StringTemplate) -> frozenset[str]:
        """The context names a template reads (via ``jinja2.meta``), cached per template.

        Raises:
            TemplateRenderError: the template does not compile (names template and line).
        """
        if isinstance(template, StringTemplate):
            return self._scan(template.source, template.name, self._strings())
        info = self.get(template)
        hit = self._used.get(info.name)
        if hit is None:
            hit = self._scan(self.source(info.name), info.name, self._load().env)
            self._used[info.name] = hit
        return hit

    @staticmethod
    def _scan(source: str, name: str, env: _Sandbox) -> frozenset[str]:
        try:
            return _used(env.parse(source, name))
        except jinja2.TemplateSyntaxError as exc:
            raise _syntax_error(exc, name) from None

    def problems(self, template: str | StringTemplate) -> list[str]:
        """What is wrong with a template: syntax, blocks, and declared facts vs used names.

        Returns an empty list for a sound template. (:func:`denialkit.testing.check_template_pack`
        runs this and more.)
        """
        if isinstance(template, StringTemplate):
            meta, name, source, env = template.meta, template.name, template.source, self._strings()
        else:
            info = self.get(template)
            meta, name, env = info.meta, info.name, self._load().env
            source = self.source(name)
        out: list[str] = []
        try:
            ast = env.parse(source, name)
            used = _used(ast)
            env.compile(ast, name)
        except jinja2.TemplateSyntaxError as exc:
            return [str(_syntax_error(exc, name))]
        declared = set(meta.facts) | set(meta.optional_facts)
        allowed = STANDARD_NAMES | declared | set(env.globals)
        for n in sorted(used - allowed):
            out.append(f"{name}: uses {n!r}, which is neither a standard name nor a declared fact")
        for n in sorted(declared - used):
            out.append(f"{name}: declares fact {n!r} but never uses it")
        blocks = {b.name for b in ast.find_all(nodes.Block)}
        if not isinstance(template, StringTemplate) and "argument" not in blocks:
            out.append(f"{name}: has no {{% block argument %}}")
        nested = {
            inner.name
            for outer in ast.find_all(nodes.Block)
            if outer.name in BLOCKS
            for inner in outer.find_all(nodes.Block)
        }
        for b in sorted(blocks - set(BLOCKS) - nested):
            out.append(f"{name}: block {b!r} is not a letter part ({', '.join(BLOCKS)})")
        if any(True for _ in ast.find_all(nodes.Extends)):
            out.append(f"{name}: uses {{% extends %}}, which letter templates do not support")
        return out

    # -- rendering -----------------------------------------------------------------
    def _strings(self) -> _Sandbox:
        env = self._string_env
        if env is None:
            env = self._string_env = _Sandbox(None)
        return env

    def render_blocks(
        self, template: str | StringTemplate, context: Mapping[str, object]
    ) -> dict[str, str]:
        """Render a template's letter blocks with a context of plain values.

        Returns ``{"argument": ..., "request": ...}`` (``request`` is ``""`` when the template
        has no such block). Output is returned as text and never rendered again.

        Raises:
            TemplateNotFoundError: no template of that name.
            TemplateRenderError: compiling or rendering failed, the output exceeded
                ``max_output`` or the render took longer than ``timeout`` (the message names
                the template and line, never a value).
        """
        if isinstance(template, StringTemplate):
            name = template.name
            try:
                compiled = self._strings().from_string(template.source)
            except jinja2.TemplateSyntaxError as exc:
                raise _syntax_error(exc, name) from None
            except (RecursionError, MemoryError) as exc:
                raise TemplateRenderError(
                    f"the template is too complex to compile ({type(exc).__name__})",
                    template=name,
                ) from None
        else:
            name = self.get(template).name
            try:
                compiled = self._compiled.get(name) or self._compile(name)
            except jinja2.TemplateSyntaxError as exc:
                raise _syntax_error(exc, name) from None
            except _OutsideTheRoot:
                raise _link_refused(name) from None
            except jinja2.TemplateNotFound:
                raise TemplateNotFoundError(
                    f"the file of template {name} is missing", searched=(name,)
                ) from None
        source = template.source if isinstance(template, StringTemplate) else None
        return self._run(compiled, name, context, source)

    def _compile(self, name: str) -> jinja2.Template:
        compiled = self._load().env.get_template(name)
        self._compiled[name] = compiled  # one per template name: bounded, never per claim
        return compiled

    def _run(
        self,
        compiled: jinja2.Template,
        name: str,
        context: Mapping[str, object],
        source: str | None = None,
    ) -> dict[str, str]:
        # The root runs first with the letter blocks set aside (so the template's top-level
        # assignments are in the context), then each block renders on its own. Output is
        # drained in batches so size and time are checked without a Python step per chunk.
        ctx = _new_context(compiled, context)
        blocks = {}
        for part in BLOCKS:
            funcs = ctx.blocks.get(part)
            if funcs:
                blocks[part] = funcs[0]
                ctx.blocks[part] = [_nothing]
        limit = self.max_output
        deadline = time.perf_counter() + self.timeout
        token = _BUDGET.set(deadline)
        failure: TemplateRenderError | None = None
        out: dict[str, str] = {"argument": "", "request": ""}
        try:
            size = 0
            if "argument" in blocks:
                # the root's own text is not part of the letter: run it for its assignments
                # and drop what it prints as it goes (loops in it stay time-bounded)
                deque(compiled.root_render_func(ctx), maxlen=0)
            else:
                out["argument"], size = _drain(compiled.root_render_func(ctx), 0, limit, deadline)
            for part, func in blocks.items():
                out[part], size = _drain(func(ctx), size, limit, deadline)
        except _TooLong:
            failure = TemplateRenderError(
                f"the output is longer than the {limit:,}-character limit", template=name
            )
        except _Timeout as exc:
            failure = TemplateRenderError(
                f"rendering took longer than the {self.timeout:g}-second limit",
                template=name,
                line=_line(exc.__traceback__),
            )
        except Exception as exc:  # every other failure is mapped, values never echoed
            text = source if source is not None else _source_of(compiled)
            failure = _render_error(exc, name, text, compiled.filename)
        finally:
            _BUDGET.reset(token)
        if failure is not None:
            # raised outside the handler: the original error (which may quote a value) is
            # neither the cause nor the context of what the caller sees
            raise failure
        return out


def _new_context(compiled: jinja2.Template, context: Mapping[str, object]) -> Any:
    """``compiled.new_context(dict(context))``, with the globals read map by map: Jinja2
    reads its ``ChainMap`` of globals key by key in Python, twice, which costs more than
    rendering a short block. Same keys, values and order."""
    chain = compiled.globals
    if isinstance(chain, ChainMap):
        flat: dict[str, Any] = {}
        for layer in reversed(chain.maps):
            flat.update(layer)
    else:
        flat = dict(chain)
    parent = {**flat, **context}
    env = compiled.environment
    return env.context_class(env, parent, compiled.name, compiled.blocks, globals=flat)


class _TooLong(Exception):
    pass


def _nothing(ctx: object) -> Iterator[str]:
    return iter(())


def _drain(chunks: Iterator[str], size: int, limit: int, deadline: float) -> tuple[str, int]:
    """Join rendered chunks, 256 at a time, stopping past ``limit`` characters or ``deadline``."""
    done: list[str] = []
    while True:
        items = list(islice(chunks, _BATCH))
        batch = "".join(items)
        size += len(batch)
        if size > limit:
            raise _TooLong
        if len(items) < _BATCH:  # exhausted (the common case: one short batch)
            if not done:
                return batch, size
            done.append(batch)
            return "".join(done), size
        if time.perf_counter() > deadline:
            raise _Timeout
        done.append(batch)


def _used(ast: nodes.Template) -> frozenset[str]:
    """Context names a template reads, less the names its top level assigns (which its blocks
    see at render time but ``jinja2.meta`` reports as undeclared)."""
    assigned: set[str] = set()
    for node in ast.body:
        if isinstance(node, (nodes.Assign, nodes.AssignBlock)):
            assigned.update(n.name for n in node.target.find_all(nodes.Name))
            if isinstance(node.target, nodes.Name):
                assigned.add(node.target.name)
        elif isinstance(node, nodes.Import):
            assigned.add(node.target)
        elif isinstance(node, nodes.FromImport):
            for item in node.names:
                assigned.add(item[1] if isinstance(item, tuple) else item)
        elif isinstance(node, nodes.Macro):
            assigned.add(node.name)
    return frozenset(jinja2.meta.find_undeclared_variables(ast) - assigned)


def _source_of(compiled: jinja2.Template) -> str | None:
    env = compiled.environment
    if env.loader is None or compiled.name is None:
        return None
    try:
        return env.loader.get_source(env, compiled.name)[0]
    except Exception:
        return None


def _syntax_error(exc: jinja2.TemplateSyntaxError, name: str) -> TemplateRenderError:
    message = exc.message or "syntax error"
    message = message.splitlines()[0][:200]
    where = exc.name if exc.name and not exc.name.startswith("<") else name
    return TemplateRenderError(f"template syntax error: {message}", template=where, line=exc.lineno)


def _line(tb: TracebackType | None) -> int | None:
    line = None
    while tb is not None:
        tmpl = tb.tb_frame.f_globals.get("__jinja_template__")
        if tmpl is not None:
            line = tmpl.get_corresponding_lineno(tb.tb_lineno)
        tb = tb.tb_next
    return line


def _render_error(
    exc: BaseException, name: str, source: str | None, compiled_filename: str | None
) -> TemplateRenderError:
    line = _line(exc.__traceback__)
    tb = exc.__traceback__
    where = name
    inner = None
    while tb is not None:  # the innermost template frame names the template at fault
        tmpl = tb.tb_frame.f_globals.get("__jinja_template__")
        if tmpl is not None:
            inner = tmpl
        tb = tb.tb_next
    if inner is not None and inner.filename != compiled_filename and inner.name:
        where = f"{name} (in the included template {inner.name})"
    if isinstance(exc, SecurityError):
        msg = "the template tried something the sandbox forbids"
        m = re.match(r"access to attribute '([A-Za-z_][A-Za-z0-9_]*)'", str(exc))
        if m:
            msg += f" (the private or unsafe attribute {m.group(1)!r})"
    elif isinstance(exc, jinja2.UndefinedError):
        msg = "the template uses a name or attribute that is not defined"
        # name the identifier only when the template's own source contains it (a key taken
        # from data could be a patient value)
        m = _TOKEN_NAME.search(str(exc))
        if m and source is not None and re.search(rf"\b{m.group(1)}\b", source):
            msg += f" ({m.group(1)!r})"
    elif isinstance(exc, _NoneOutput):
        msg = "the template prints an empty value (None); guard optional facts with {% if %}"
    elif isinstance(exc, _OutsideTheRoot):
        msg = (
            "the template includes a file through a link out of its template directory "
            "(links out of a template directory are refused)"
        )
    elif isinstance(exc, jinja2.TemplateNotFound):
        msg = "the template includes a template that does not exist"
    elif isinstance(exc, jinja2.TemplateSyntaxError):
        return _syntax_error(exc, where)
    elif isinstance(exc, OverflowError):
        msg = "a number or range in the template is too large"
    elif isinstance(exc, RecursionError):
        msg = "the template recurses too deeply"
    elif isinstance(exc, MemoryError):
        msg = "the template needs too much memory"
    else:
        msg = f"rendering failed ({type(exc).__name__})"
    return TemplateRenderError(msg, template=where, line=line)


def _plugin_packs() -> list[TemplatePack]:
    from importlib.metadata import entry_points

    out = []
    eps = sorted(
        entry_points(group=ENTRY_POINT_GROUP),
        key=lambda ep: ((ep.dist.name if ep.dist is not None else ""), ep.name),
    )
    for ep in eps:
        dist = ep.dist.name if ep.dist is not None else "unknown distribution"
        try:
            obj = ep.load()
            if callable(obj) and not isinstance(obj, TemplatePack):
                obj = obj()
        except Exception as exc:
            raise PluginLoadError(
                f"loading the template pack failed ({type(exc).__name__})",
                distribution=dist,
                entry_point=ep.name,
            ) from exc
        if not isinstance(obj, TemplatePack):
            raise PluginLoadError(
                "the entry point must provide a denialkit.templates.TemplatePack, "
                f"not {type(obj).__name__}",
                distribution=dist,
                entry_point=ep.name,
            )
        out.append(obj)
    return out


_DEFAULT: TemplateRegistry | None = None
_DEFAULT_LOCK = threading.Lock()


def default_registry() -> TemplateRegistry:
    """The default registry: the built-in pack plus plugin packs, created on first use.

    >>> default_registry() is default_registry()
    True
    """
    global _DEFAULT
    if _DEFAULT is None:
        with _DEFAULT_LOCK:
            if _DEFAULT is None:
                _DEFAULT = TemplateRegistry()
    return _DEFAULT
