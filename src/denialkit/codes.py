"""Denial codes: parse them, look them up, search them, explore them as tables.

The code grammar (one normaliser for every entry point)::

    [GROUP [sep]] CODE          surrounding whitespace and letter case are ignored
    GROUP := CO | PR | OA | PI | CR          sep := "-" | " " | nothing
    CODE  := CARC      one to three digits, or one letter (not M or N) and one or two digits
                       e.g. 16, 197, A1, B7, P12, W1, Y2
           | RARC      M, MA or N followed by one to three digits: M15, MA130, N290
           | EXTENSION two to five letters and one to four digits: CCM21, BH100, MH27
           | GROUP     a group code on its own: CO

>>> import denialkit
>>> str(denialkit.parse(" co16 "))
'CO-16'
>>> code = denialkit.lookup("CO-16")
>>> code.system, code.code, code.group.code
(<CodeSystem.CARC: 'CARC'>, '16', 'CO')
>>> denialkit.get("not a code") is None
True
"""

from __future__ import annotations

import functools
import re
from _thread import allocate_lock
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import TYPE_CHECKING, Any, Final

from denialkit._repr import tolerant

from ._code import (  # this module's public values, and two helpers of its error messages
    _MAX_TEXT,
    Action,
    Appealable,
    Category,
    CodeRef,
    CodeSet,
    CodeSystem,
    DenialCode,
    GroupCode,
    Knowledge,
    Status,
    _describe,
    parse,
    patient_billable_advice,
)
from ._code import GROUP_CODES as GROUP_CODES
from .exceptions import InvalidCodeError, UnknownCodeError

if TYPE_CHECKING:
    import os
    from datetime import date

    import pandas

    from ._advice import Advice, PlanRule, Service
    from ._tables import LazyRows

__all__ = [
    "Action",
    "Advice",
    "Appealable",
    "Category",
    "CodeRef",
    "CodeSet",
    "CodeSystem",
    "CodeTable",
    "DenialCode",
    "GroupCode",
    "Knowledge",
    "PlanRule",
    "Service",
    "Status",
    "default_table",
    "get",
    "lookup",
    "parse",
    "patient_billable_advice",
    "search",
]


# --------------------------------------------------------------------------- tables

_SYSTEM_ORDER: Final = {
    CodeSystem.GROUP: 0,
    CodeSystem.CARC: 1,
    CodeSystem.RARC: 2,
    CodeSystem.EXTENSION: 3,
}


@functools.cache
def _num_re() -> re.Pattern[str]:
    # a code's letters and number; compiled when first used (sorting, suggestions), not by
    # the first lookup
    return re.compile(r"([A-Z]*)([0-9]*)")


def _sort_key(code: DenialCode) -> tuple[int, str, str, int]:
    m = _num_re().match(code.code)
    assert m is not None
    prefix, num = m.group(1), m.group(2)
    return (_SYSTEM_ORDER[code.system], code.code_set, prefix, int(num) if num else -1)


_STOP_WORDS: Final = frozenset(
    [
        "a",
        "an",
        "and",
        "are",
        "as",
        "at",
        "be",
        "by",
        "for",
        "from",
        "has",
        "have",
        "in",
        "is",
        "it",
        "its",
        "of",
        "on",
        "or",
        "the",
        "to",
        "was",
        "were",
        "with",
    ]
)
_CACHE_LIMIT: Final = 4096


def _respelled(ref: CodeRef) -> str:
    """The other published spelling of a RARC number: MA1 <-> MA01."""
    prefix, num = _prefix(ref.code), ref.code[len(_prefix(ref.code)) :]
    if ref.system is not CodeSystem.RARC or not num:
        return ref.code
    return prefix + (num.lstrip("0") or "0" if num.startswith("0") else num.zfill(2))


def _prefix(code: str) -> str:
    m = _num_re().match(code)
    return m.group(1) if m else code


def _edits(a: str, b: str, limit: int) -> int:
    """The edit distance of ``a`` and ``b`` (optimal string alignment: change, add, drop or
    swap two neighbours), or ``limit + 1`` once it is sure to exceed ``limit``."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    prev2: list[int] = []
    prev = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        cur = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = a[i - 1] != b[j - 1]
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                cur[j] = min(cur[j], prev2[j - 2] + 1)
        if min(cur) > limit:
            return limit + 1
        prev2, prev = prev, cur
    return prev[-1]


def _number(code: str) -> int:
    m = _num_re().match(code)
    return int(m.group(2)) if m and m.group(2) else -1


_SUFFIXES: Final = ("ations", "ation", "ings", "ing", "ies", "ed", "es", "s")


def _stem(word: str) -> str:
    """A light suffix stripper so "bundled", "bundling" and "bundles" meet."""
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[: -len(suffix)]
    return word


def _words(text: str) -> list[str]:
    return [_stem(w) for w in _word_re().findall(text.lower()) if w not in _STOP_WORDS]


@functools.cache
def _word_re() -> re.Pattern[str]:
    # compiled on the first search, not at import
    return re.compile(r"[a-z0-9]+")


class _Indexed:
    """One code's search fields (private, built on the first search)."""

    __slots__ = ("category", "code", "extra", "extra_words", "prior", "summary", "words")

    def __init__(
        self,
        code: DenialCode,
        words: frozenset[str],
        summary: str,
        extra_words: frozenset[str],
        extra: str,
        category: frozenset[str],
        prior: float,
    ) -> None:
        self.code = code
        self.words = words
        self.summary = summary
        self.extra_words = extra_words
        self.extra = extra
        self.category = category
        self.prior = prior


#: Billing vocabulary: a query word widens to its neighbours (at half weight); stemmed by
#: :func:`_thesaurus` on the first search.
_THESAURUS: Final[tuple[str, ...]] = (
    "authorization authorisation precertification preauthorization precert notification",
    "referral referred referring",
    "duplicate duplicated resubmitted repeat",
    "timely late filing limit",
    "necessity necessary medically",
    "bundled bundling included inclusive incidental",
    "coordination cob primary secondary",
    "eligibility eligible coverage covered enrolled terminated",
    "npi identifier",
    "deductible coinsurance copay copayment",
    "modifier modifiers",
    "diagnosis diagnoses icd",
    "records documentation attachment attachments",
    "noncovered non excluded exclusion",
    "workers compensation injury",
    "frequency limit maximum exceeded",
)


@functools.cache
def _thesaurus() -> tuple[frozenset[str], ...]:
    return tuple(frozenset(_stem(w) for w in group.split()) for group in _THESAURUS)


def _neighbours(term: str) -> frozenset[str]:
    out: set[str] = set()
    for group in _thesaurus():
        if term in group:
            out |= group
    return frozenset(out - {term})


class CodeTable:
    """An immutable collection of denial codes with lookup, search and filters.

    ``default_table()`` returns the shipped tables (CARC, RARC, group codes and the
    care-management family) plus any plugin code sets, loaded on first use.

    >>> table = default_table()
    >>> "CO-16" in table, "N290" in table, "XYZ" in table
    (True, True, False)
    >>> len(table.filter(system="GROUP"))
    5
    """

    __slots__ = (
        "_cache",
        "_codes",
        "_extend",
        "_extended",
        "_groups",
        "_index",
        "_lazy",
        "_lock",
        "release",
    )

    def __init__(
        self,
        codes: Iterable[DenialCode],
        *,
        release: Mapping[str, str] | None = None,
        extend: Callable[[CodeTable], Iterable[DenialCode]] | None = None,
        _presorted: bool = False,
    ) -> None:
        """Build a table from codes (later duplicates of a code are rejected).

        Args:
            codes: the codes.
            release: which list release each code set comes from, e.g. ``{"carc": "2025-11-01"}``.
            extend: called once, on the first miss or full iteration, to add plugin codes.
        """
        table: dict[str, DenialCode] = {}
        for c in codes:
            if not isinstance(c, DenialCode):
                raise TypeError(f"a CodeTable holds DenialCode objects, not {type(c).__name__}")
            if c.code in table:
                raise ValueError(f"code {c.code} appears twice in one table")
            table[c.code] = c
        if not _presorted:
            table = dict(sorted(table.items(), key=lambda kv: _sort_key(kv[1])))
        self._setup(table, None, release, extend)
        self._groups = _group_records(c for c in table.values() if c.system is CodeSystem.GROUP)

    @classmethod
    def _from_rows(
        cls,
        rows: LazyRows,
        *,
        release: Mapping[str, str] | None = None,
        extend: Callable[[CodeTable], Iterable[DenialCode]] | None = None,
    ) -> CodeTable:
        """A table over undecoded shipped rows (in table order): a row is decoded when a
        lookup first asks for it, every row when anything reads the whole table."""
        self = cls.__new__(cls)
        self._setup({}, rows, release, extend)
        groups = (rows.get(k) for k in rows.groups)
        self._groups = _group_records(c for c in groups if c is not None)
        return self

    def _setup(
        self,
        codes: dict[str, DenialCode],
        lazy: LazyRows | None,
        release: Mapping[str, str] | None,
        extend: Callable[[CodeTable], Iterable[DenialCode]] | None,
    ) -> None:
        self._codes = codes
        self._lazy = lazy
        self._cache: dict[str, DenialCode] = {}
        self._lock = allocate_lock()
        self._extend = extend
        self._extended = extend is None
        self._index: list[_Indexed] | None = None
        self.release: Mapping[str, str] = dict(release or {})

    # -- lazily decoded rows -----------------------------------------------------------
    def _code(self, key: str) -> DenialCode | None:
        """The code ``key``, decoding its row when the table was opened lazily."""
        lazy = self._lazy
        if lazy is not None:
            return lazy.get(key)
        return self._codes.get(key)

    def _decoded(self) -> dict[str, DenialCode]:
        """Every code, decoded, in order (without plugin code sets unless already added)."""
        lazy = self._lazy
        if lazy is not None:
            self._codes = lazy.decode_all()
            self._lazy = None
        return self._codes

    # -- plugin extension (lazy) -------------------------------------------------------
    def _ensure_extended(self) -> None:
        if self._extended:
            return
        with self._lock:
            extend = self._extend
            if self._extended or extend is None:
                return
            added = list(extend(self))
            merged = dict(self._decoded())
            for c in added:
                merged.setdefault(c.code, c)
            self._codes = dict(sorted(merged.items(), key=lambda kv: _sort_key(kv[1])))
            self._index = None
            self._cache.clear()
            self._extended = True

    def _all(self) -> dict[str, DenialCode]:
        self._ensure_extended()
        return self._decoded()

    # -- container protocol ------------------------------------------------------------
    def __iter__(self) -> Iterator[DenialCode]:
        return iter(list(self._all().values()))

    def __len__(self) -> int:
        return len(self._all())

    def __contains__(self, item: object) -> bool:
        if isinstance(item, DenialCode):
            return self._all().get(item.code) is not None
        if isinstance(item, str):
            return self.get(item) is not None
        return False

    @tolerant
    def __repr__(self) -> str:
        counts: dict[str, int] = {}
        for c in self._decoded().values():
            counts[c.system.value] = counts.get(c.system.value, 0) + 1
        inner = ", ".join(f"{k}={v}" for k, v in counts.items())
        return f"<CodeTable {inner}>"

    # -- lookups ---------------------------------------------------------------------
    def get(self, text: str) -> DenialCode | None:
        """The code for ``text``, or ``None`` for any string that is not a known code.

        Never raises for a ``str``; a non-string raises ``TypeError``.

        >>> default_table().get("N290").system.value
        'RARC'
        >>> default_table().get("CO-") is None
        True
        """
        try:
            hit = self._cache.get(text)
        except TypeError:
            hit = None
        if hit is not None:
            return hit
        if not isinstance(text, str):
            raise TypeError(f"a code must be given as str, not {type(text).__name__}")
        try:
            return self._resolve(parse(text), text)
        except (InvalidCodeError, UnknownCodeError):
            return None

    def lookup(self, text: str) -> DenialCode:
        """The code for ``text``; raises when it is not a known code.

        Raises:
            TypeError: ``text`` is not a ``str``.
            InvalidCodeError: ``text`` is not a code in the grammar (a ``ValueError``).
            UnknownCodeError: a well-formed code that is not in the table (a ``LookupError``),
                with up to three ``suggestions``.

        >>> default_table().lookup("ma130").code
        'MA130'
        """
        try:
            hit = self._cache.get(text)
        except TypeError:
            hit = None
        if hit is not None:
            return hit
        if not isinstance(text, str):
            raise TypeError(f"a code must be given as str, not {type(text).__name__}")
        return self._resolve(parse(text), text)

    def _resolve(self, ref: CodeRef, text: str | None = None) -> DenialCode:
        code = self._code(ref.code)
        if code is None:
            self._ensure_extended()
            code = self._code(ref.code) or self._code(_respelled(ref))
        if code is None:
            sugg = self.suggest(ref.code, system=ref.system)
            hint = f"; did you mean {', '.join(sugg)}?" if sugg else ""
            raise UnknownCodeError(
                f"{ref.system.value} code {ref.code} is not in the code tables{hint}",
                code=ref.code,
                suggestions=sugg,
            )
        if ref.group is not None:
            if code.system is not CodeSystem.CARC:
                raise InvalidCodeError(
                    f"a group code qualifies a reason code (CARC), not the "
                    f"{code.system.value} code {ref.code}"
                )
            code = code.with_group(self._groups.get(ref.group) or _fallback_group(ref.group))
        if text is not None and len(self._cache) < _CACHE_LIMIT:
            self._cache[text] = code
        return code

    def resolve(self, ref: CodeRef) -> DenialCode:
        """The code for an already parsed reference (raises like :meth:`lookup`)."""
        return self._resolve(ref)

    def group(self, code: str) -> GroupCode:
        """The group code record for ``"CO"``, ``"PR"``, ``"OA"``, ``"PI"`` or ``"CR"``."""
        g = self._groups.get(code.strip().upper()) if isinstance(code, str) else None
        if g is None:
            raise InvalidCodeError(f"{_describe(code)} is not a group code (CO, PR, OA, PI, CR)")
        return g

    def suggest(
        self, code: str, n: int = 3, *, system: CodeSystem | None = None
    ) -> tuple[str, ...]:
        """Up to ``n`` existing codes close to ``code`` (for "did you mean"), only of
        ``system`` when it is given.

        Numeric neighbours with the same letter prefix come first (``N813`` suggests
        ``N812``), then codes one edit away (two for codes of five characters or more: a
        character changed, added, dropped, or two swapped) whose prefix is the same or, when
        it has two letters or more, a typo of it (``CMM21`` suggests ``CCM21``). A code that
        only shares digits with ``code`` is not close: ``XYZ123`` suggests nothing.

        >>> default_table().suggest("N813")
        ('N812', 'N811', 'N815')
        >>> default_table().suggest("CMM21")[0], default_table().suggest("XYZ123")
        ('CCM21', ())
        """
        pool = self._all()
        codes = [k for k, c in pool.items() if system is None or c.system is system]
        m = _num_re().match(code)
        prefix, digits = (m.group(1), m.group(2)) if m else ("", "")
        same = [c for c in codes if _prefix(c) == prefix]
        out: list[str] = []
        if digits and same:
            num = int(digits)
            near = sorted((abs(_number(c) - num), _number(c), c) for c in same if _number(c) >= 0)
            out = [c for d, _, c in near if d <= 5][:n]
        limit = 1 if len(code) < 5 else 2
        spelled = sorted(
            (d, c) for c in codes if c not in out and (d := _edits(code, c, limit)) <= limit
        )
        out += [c for _, c in spelled if _prefix(c) == prefix or len(prefix) > 1]
        return tuple(out[:n])

    # -- search ----------------------------------------------------------------------
    def _search_index(self) -> list[_Indexed]:
        idx = self._index
        if idx is None:
            idx = []
            for c in self._all().values():
                words = frozenset(_words(c.summary + " " + (c.title or "") + " " + c.code.lower()))
                k = c.knowledge
                extra = ""
                if k is not None:
                    extra = " ".join((*k.causes, k.how_to_appeal, *k.details))
                cat = frozenset(_words(c.category.label + " " + c.category.value))
                prior = (1.15 if c.system is CodeSystem.CARC else 1.0) * (
                    1.3 if k is not None else 1.0
                )
                if c.category is Category.INFORMATIONAL:
                    prior *= 0.7
                if c.status is Status.DEACTIVATED:
                    prior *= 0.8
                idx.append(
                    _Indexed(
                        c,
                        words,
                        c.summary.lower(),
                        frozenset(_words(extra)),
                        extra.lower(),
                        cat,
                        prior,
                    )
                )
            self._index = idx
        return idx

    def search(self, query: str, *, limit: int = 10) -> list[DenialCode]:
        """Codes ranked by how well their code, summary and category match ``query``.

        Words in the summary weigh most, then the category, then the knowledge entry (causes
        and appeal advice); a small thesaurus of billing terms widens the query
        ("prior authorization" also matches "precertification"); current CARCs and the codes
        teams meet most rank a little higher. An exact code comes first.

        >>> [c.code for c in default_table().search("prior authorization", limit=3)][0]
        '197'
        """
        if not isinstance(query, str):
            raise TypeError(f"a search query must be a str, not {type(query).__name__}")
        if isinstance(limit, bool) or not isinstance(limit, int) or limit < 1:
            raise ValueError("limit must be a positive whole number")
        q = query.strip()
        if not q or len(q) > 500:
            return []
        exact = self.get(q) if len(q) <= _MAX_TEXT else None
        terms = _words(q)
        phrase = " ".join(terms)
        neighbours = [_neighbours(t) for t in terms]
        scored: list[tuple[float, int, DenialCode]] = []
        if terms:
            for i, e in enumerate(self._search_index()):
                score = 0.0
                for t, near in zip(terms, neighbours, strict=True):
                    if t in e.words:
                        score += 3.0
                    elif near & e.words:
                        score += 1.5  # a synonym from the billing thesaurus
                    elif t in e.extra_words:
                        score += 1.0
                    if t in e.category:
                        score += 2.0
                if score <= 0:
                    continue
                if len(terms) > 1:
                    if phrase in e.summary:
                        score += 3.0
                    elif phrase in e.extra:
                        score += 1.5
                scored.append((score * e.prior - len(e.words) / 200.0, i, e.code))
        scored.sort(key=lambda t: (-t[0], t[1]))
        out = [c for _, _, c in scored]
        if exact is not None:
            out = [exact] + [c for c in out if c.code != exact.code]
        return out[:limit]

    # -- views -----------------------------------------------------------------------
    def filter(
        self,
        *,
        system: CodeSystem | str | None = None,
        category: Category | str | None = None,
        active_on: date | None = None,
        code_set: str | None = None,
    ) -> CodeTable:
        """A new table with the codes that pass every given filter.

        Raises:
            ValueError: an unknown system or category name.
            TypeError: ``active_on`` is not a date.

        >>> t = default_table().filter(system="CARC", category="authorization")
        >>> "197" in t, "16" in t
        (True, False)
        """
        sys_ = CodeSystem(system.upper() if isinstance(system, str) else system) if system else None
        cat = Category(category) if category else None
        from datetime import date

        if active_on is not None and not isinstance(active_on, date):
            raise TypeError(f"active_on must be a datetime.date, not {type(active_on).__name__}")
        keep = [
            c
            for c in self._all().values()
            if (sys_ is None or c.system is sys_)
            and (cat is None or c.category is cat)
            and (code_set is None or c.code_set == code_set)
            and (active_on is None or c.is_active(active_on))
        ]
        return CodeTable(keep, release=self.release)

    def to_records(self) -> list[dict[str, object]]:
        """One plain dict per code (see :meth:`DenialCode.to_record`)."""
        return [c.to_record() for c in self._all().values()]

    def to_frame(self) -> pandas.DataFrame:
        """The table as a pandas DataFrame (needs the ``pandas`` extra).

        Raises:
            ImportError: pandas is not installed; install ``denialkit[pandas]``.
        """
        try:
            import pandas as pd
        except ImportError as exc:  # pragma: no cover - depends on the environment
            raise ImportError(
                "CodeTable.to_frame() needs pandas: pip install 'denialkit[pandas]'"
            ) from exc
        return pd.DataFrame.from_records(self.to_records())

    def _repr_html_(self) -> str:
        import html

        e = html.escape
        codes = list(self._all().values())
        head = (
            "<tr><th>Code</th><th>System</th><th>Category</th><th>Status</th><th>Summary</th></tr>"
        )
        rows = "".join(
            f"<tr><td>{e(c.code)}</td><td>{e(c.system.value)}</td><td>{e(c.category.label)}"
            f"</td><td>{e(c.status.value)}</td><td>{e(c.summary)}</td></tr>"
            for c in codes[:50]
        )
        more = f"<p>… and {len(codes) - 50} more codes</p>" if len(codes) > 50 else ""
        return (
            f'<div class="denialkit-table"><p>{len(codes)} codes</p>'
            f"<table>{head}{rows}</table>{more}</div>"
        )

    # -- overlays --------------------------------------------------------------------
    def with_codes(self, codes: Iterable[DenialCode]) -> CodeTable:
        """A new table with more codes; a code that already exists is kept as it was and
        the clash is reported with a :class:`~denialkit.exceptions.CodeSetClashWarning`."""
        from ._tables import merge_codeset

        base = list(self._all().values())
        return CodeTable(
            merge_codeset(base, list(codes), source="added codes"), release=self.release
        )

    def with_official_text(self, path: str | os.PathLike[str]) -> CodeTable:
        """A new table whose codes carry the official text from the user's own CSV export.

        The CSV needs the columns ``code`` and ``description``; ``start_date``,
        ``last_modified_date`` and ``stop_date`` (ISO dates) are optional and, when present,
        replace the shipped dates. Codes the shipped tables do not know are skipped and
        reported in one warning.

        Raises:
            DataError: the file cannot be read or a row is malformed (names file and row).
        """
        from ._tables import read_official_csv

        updates = read_official_csv(path, self._all())
        codes = [updates.get(c.code, c) for c in self._all().values()]
        return CodeTable(codes, release=self.release)


_PATIENT_BILLABLE: Final[Mapping[str, bool | None]] = {
    "CO": False,
    "PR": True,
    "OA": False,
    "PI": False,
    "CR": None,
}


def _group_records(codes: Iterable[DenialCode]) -> dict[str, GroupCode]:
    return {
        c.code: GroupCode(
            code=c.code,
            name=c.title or c.code,
            meaning=c.summary,
            patient_billable=_PATIENT_BILLABLE.get(c.code),
        )
        for c in codes
    }


def _fallback_group(code: str) -> GroupCode:
    return GroupCode(code=code, name=code, meaning="", patient_billable=_PATIENT_BILLABLE.get(code))


_DEFAULT: CodeTable | None = None
_DEFAULT_LOCK = allocate_lock()


def default_table() -> CodeTable:
    """The shipped code tables plus plugin code sets, loaded once on first use.

    >>> default_table() is default_table()
    True
    """
    global _DEFAULT
    if _DEFAULT is None:
        with _DEFAULT_LOCK:
            if _DEFAULT is None:
                from ._tables import open_builtin, plugin_codes

                rows, release = open_builtin()
                _DEFAULT = CodeTable._from_rows(rows, release=release, extend=plugin_codes)
    return _DEFAULT


def get(text: str) -> DenialCode | None:
    """The code for ``text`` in the default table, or ``None`` (never raises for a str).

    >>> get("co-16").code, get("XYZ")
    ('16', None)
    """
    return (default_table() if _DEFAULT is None else _DEFAULT).get(text)


def lookup(text: str) -> DenialCode:
    """The code for ``text`` in the default table.

    Raises:
        TypeError: ``text`` is not a ``str``.
        InvalidCodeError: the text is not a code (a ``ValueError``).
        UnknownCodeError: a well-formed code that is not known (a ``LookupError``), with
            ``suggestions``.

    >>> lookup("CCM21").summary != ""
    True
    >>> lookup("CO-999")
    Traceback (most recent call last):
    ...
    denialkit.exceptions.UnknownCodeError: CARC code 999 is not in the code tables; did you mean ...
    """
    return (default_table() if _DEFAULT is None else _DEFAULT).lookup(text)


def search(query: str, *, limit: int = 10) -> list[DenialCode]:
    """Codes in the default table ranked by relevance to ``query``.

    >>> search("prior authorization")[0].code
    '197'
    """
    return (default_table() if _DEFAULT is None else _DEFAULT).search(query, limit=limit)


def _adopt(*objects: type | Callable[..., object]) -> None:
    """Name this module as the home of the values :mod:`denialkit._code` defines.

    Users, pickles, reprs, doctests and the docs know them as ``denialkit.codes.NAME``; the
    private module only keeps the table loader from importing this one. A class's own methods
    move with it, so that doctest finds their examples here.
    """
    for obj in objects:
        members = list(vars(obj).values()) if isinstance(obj, type) else []
        for member in (obj, *(getattr(m, "__func__", m) for m in members)):
            if getattr(member, "__module__", None) == "denialkit._code":
                member.__module__ = __name__


_adopt(
    *(
        value
        for name, value in list(globals().items())
        if not name.startswith("_") and getattr(value, "__module__", None) == "denialkit._code"
    )
)


_LAZY: Final = frozenset({"Advice", "PlanRule", "Service"})


def __getattr__(name: str) -> Any:
    # Advice, PlanRule and Service are created on first use (see denialkit._advice)
    if name in _LAZY:
        from ._advice import Advice, PlanRule, Service

        value = {"Advice": Advice, "PlanRule": PlanRule, "Service": Service}[name]
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    # the lazy names are listed too (tools such as Sphinx autodoc and IPython completion
    # find a module's members through dir())
    return sorted(set(globals()) | _LAZY)
