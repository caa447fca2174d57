"""The record: views of a patient's resources, and references between them (private).

References resolve in the four forms real data uses, plus logical identifiers:

- ``urn:uuid:...`` (and ``urn:oid:``), through the Bundle's ``fullUrl``;
- relative ``Type/id`` (also ``Type/id/_history/n`` and absolute URLs ending in them);
- conditional ``Type?identifier=system|value``, against the resources' identifiers;
- contained ``#id``, inside the referring resource;
- a Reference with only an ``identifier`` (and a ``type``).

A reference that does not resolve is noted (:attr:`Resolution.form`, the path), never raised:
real exports point at resources they leave out.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Final, Literal, TypeVar
from urllib.parse import parse_qsl, unquote

import attrs

from denialkit._repr import tolerant

from ._base import RecordBase
from ._facts import Note
from ._fill import Filled, fill
from ._views import SUBJECT_ELEMENTS, Patient, Ref, Resource

if TYPE_CHECKING:
    from denialkit.claim import Claim

    from ._dates import Month

__all__ = ["OLD_TYPES", "Record", "Resolution"]

Form = Literal["contained", "uuid", "relative", "absolute", "conditional", "identifier", "display"]

_V = TypeVar("_V", bound=Resource)

#: resource types that exist only in FHIR DSTU2 or STU3: a record holding one is refused.
OLD_TYPES: Final = frozenset(
    {
        # DSTU2 or STU3 resource types that R4 removed or renamed
        "BodySite",
        "Conformance",
        "DataElement",
        "DeviceComponent",
        "DeviceUseRequest",
        "DiagnosticOrder",
        "EligibilityRequest",
        "EligibilityResponse",
        "ImagingManifest",
        "ImagingObjectSelection",
        "MedicationOrder",
        "Order",
        "OrderResponse",
        "ProcedureRequest",
        "ProcessRequest",
        "ProcessResponse",
        "ReferralRequest",
        "Sequence",
        "ServiceDefinition",
    }
)


#: A RESTful URL of a resource (FHIR's pattern): the server's base, the type, the id, and a
#: version; the scheme is left out of the base, as servers answer on both http and https.
_RESTFUL: Final = re.compile(
    r"https?://(?P<base>[^?#]+?)/?(?P<key>[A-Z][A-Za-z]+/[A-Za-z0-9\-.]{1,64})"
    r"(?:/_history/[A-Za-z0-9\-.]{1,64})?/?"
)


#: a resource type's name (``Patient``, ``PractitionerRole``): capitalised, then lower case
#: (a server's path segment in capitals, ``FHIR`` or ``R4``, is not one)
_TYPE_NAME: Final = re.compile(r"[A-Z][a-z]+[A-Za-z]{0,62}")


def rest_base(url: str | None) -> tuple[str, str] | None:
    """``(base, "Type/id")`` of an absolute RESTful URL (the base without its scheme, in
    lower case, as two servers are told apart), else None."""
    if url is None or not url.startswith("http"):
        return None
    m = _RESTFUL.fullmatch(url)
    if m is None:
        return None
    # compared in lower case: a server written once with ``/R4`` and once with ``/r4`` is
    # far more likely than two servers whose addresses differ only so
    return m["base"].lower(), m["key"]


@attrs.frozen
class Resolution:
    """Where a reference led.

    Attributes:
        ref: the reference (its path says where it sits).
        holder: the ``Type/id`` of the resource that holds the reference.
        form: the reference's form (``"uuid"``, ``"relative"``, ``"conditional"``,
            ``"contained"``, ``"absolute"``, ``"identifier"`` or ``"display"``).
        target: the resource it resolves to, or None when the record does not hold it.
    """

    ref: Ref
    holder: str
    form: Form
    target: Resource | None

    @property
    def resolved(self) -> bool:
        """Whether the record holds the resource the reference points at."""
        return self.target is not None

    @tolerant
    def __repr__(self) -> str:
        state = "resolved" if self.target is not None else "unresolved"
        return f"<Resolution {self.holder} {self.ref.path} {self.form} {state}>"


class _Keys:
    """The ``Type/id`` of every resource, kept as type -> ids: a large export repeats the type
    in every key, and this holds each type once (a 200 MB export has hundreds of thousands)."""

    __slots__ = ("_count", "_ids", "_other")

    def __init__(self) -> None:
        self._ids: dict[str, dict[str, None]] = {}
        self._other: dict[str, None] = {}  # keys that are not Type/id (a urn fullUrl)
        self._count = 0

    def add(self, key: str) -> None:
        rtype, sep, rid = key.partition("/")
        if sep and rid and "/" not in rid and not key.startswith("urn:"):
            ids = self._ids.get(rtype)
            if ids is None:
                ids = self._ids[rtype] = {}
            if rid not in ids:
                ids[rid] = None
                self._count += 1
        elif key not in self._other:
            self._other[key] = None
            self._count += 1

    def __contains__(self, key: object) -> bool:
        if not isinstance(key, str):
            return False
        rtype, sep, rid = key.partition("/")
        return (bool(sep) and rid in self._ids.get(rtype, ())) or key in self._other

    def __len__(self) -> int:
        return self._count

    def by_id(self, rid: str, rtype: str | None) -> str | None:
        """The ``Type/id`` of the one resource with this id (of ``rtype``, when given); None
        when none has it, or resources of two types do."""
        if rtype is not None:
            return f"{rtype}/{rid}" if rid in self._ids.get(rtype, ()) else None
        found = [t for t, ids in self._ids.items() if rid in ids]
        return f"{found[0]}/{rid}" if len(found) == 1 else None

    def __iter__(self) -> Iterator[str]:
        for rtype, ids in self._ids.items():
            for rid in ids:
                yield f"{rtype}/{rid}"
        yield from self._other


class Record(RecordBase):
    """One patient's record, as read by :func:`denialkit.record.read`.

    Holds views of the resources facts are read from (see ``denialkit.record`` for the list);
    other resources are known by type, id and identifiers only, so references to them
    resolve. A Record is immutable once read and its ``repr`` counts resources by type.

    >>> import pickle
    >>> pickle.loads(pickle.dumps(Record())).keys
    ()
    """

    __slots__ = (
        "_alias",
        "_bare_systems",
        "_by_type",
        "_clashes",
        "_files",
        "_full_urls",
        "_identifiers",
        "_index",
        "_known",
        "_notes",
        "_server_bases",
        "_unordered",
        "_urls",
    )

    def __init__(self) -> None:
        self._index: dict[str, Resource] = {}
        self._by_type: dict[str, list[Resource]] = {}
        self._known = _Keys()
        self._full_urls: dict[str, str] = {}
        #: (type or "", system or None, value) -> key; None when a value looked up without
        #: its system is held by two resources (``_bare_systems``: the system it came with)
        self._identifiers: dict[tuple[str, str | None, str], str | None] = {}
        self._bare_systems: dict[tuple[str, str | None, str], str | None] = {}
        self._files: tuple[str, ...] = ()
        self._notes: tuple[Note, ...] = ()
        #: a linked Patient's key -> the key of the one that stands for the person
        self._alias: dict[str, str] = {}
        #: a view's ``Type/id`` -> its fullUrl when that is a URL (its server is read from it
        #: only when a reference needs it: parsing every fullUrl would slow a Bundle down)
        self._urls: dict[str, str] = {}
        #: ``Type/id``s that came with fullUrls of two servers (the later copy is read)
        self._clashes: dict[str, None] = {}
        #: the server bases of the fullUrls (found when a reference first needs them)
        self._server_bases: frozenset[str] | None = None
        #: ``Type/id``s read twice, differently, with nothing to say which copy is newer
        self._unordered: dict[str, None] = {}

    @property
    def files(self) -> tuple[str, ...]:
        """The names of the files read, in order (empty for bytes)."""
        return self._files

    @property
    def notes(self) -> tuple[Note, ...]:
        """What the reader noticed about the record as a whole, each naming its place (never
        a value): a search Bundle whose later pages were not read, an OperationOutcome that
        reports an error, an entry or NDJSON line skipped as no FHIR resource, a resource
        read twice with nothing to say which copy is newer, two servers' resources of one
        ``Type/id``. :func:`~denialkit.record.facts` repeats them in its notes.

        >>> from denialkit import record
        >>> rec = record.read(b'''{"resourceType": "Bundle", "type": "searchset",
        ...   "link": [{"relation": "next", "url": "https://fhir.example/Patient?page=2"}],
        ...   "entry": [{"resource": {"resourceType": "Patient", "id": "a"}}]}''')
        >>> print(rec.notes[0].message.split(";")[0])
        the Bundle is one page of a search and has a next page, which was not read
        """
        return self._notes

    def fill(
        self,
        claim: Claim,
        *,
        code: str | None = None,
        month: str | Month | None = None,
        prefer: Literal["claim", "record"] = "claim",
        patient: str | None = None,
    ) -> Filled:
        """:func:`denialkit.record.fill` of ``claim`` from this record: the new claim with
        the record's facts and evidence, and the account of each (conflicts included).

        :meth:`denialkit.claim.Claim.with_record` calls it.
        """
        return fill(claim, self, code=code, month=month, prefer=prefer, patient=patient)

    # -- building (the reader only) ------------------------------------------------------
    def _know(self, rtype: str, rid: str | None, full_url: str | None) -> None:
        """Note a resource that has no view: references to it resolve, nothing is read."""
        key = f"{rtype}/{rid}" if rid else (full_url or f"{rtype}/(no id)")
        self._known.add(key)
        if full_url:
            self._full_urls[full_url] = key

    def _server(self, key: str, full_url: str) -> None:
        """Keep a viewed resource's fullUrl, which names its server; a ``Type/id`` that two
        servers send is a clash (two resources under one key: noted by the reader). Only
        views are kept so: most of a large export is known by key alone, and cheaply."""
        old = self._urls.get(key)
        self._urls[key] = full_url
        if old is not None and old != full_url:
            mine, theirs = rest_base(old), rest_base(full_url)
            if mine is not None and theirs is not None and mine[0] != theirs[0]:
                self._clashes[key] = None

    def _add(self, view: Resource, full_url: str | None) -> None:
        key = view.key
        self._known.add(key)
        if full_url:
            self._full_urls[full_url] = key
            if full_url.startswith("http"):
                self._server(key, full_url)
        for system, value in view.identifiers:
            if system is not None:  # unique within its system: a later copy wins
                self._identifiers[(view.type, system, value)] = key
                self._identifiers.setdefault(("", system, value), key)
            for bare in ((view.type, None, value), ("", None, value)):
                # a value looked up without its system: two resources that hold it name
                # neither, unless both hold it in the same system (a resource told twice)
                if bare not in self._identifiers:
                    self._identifiers[bare] = key
                    self._bare_systems[bare] = system
                elif self._identifiers[bare] != key and (
                    system is None or self._bare_systems.get(bare) != system
                ):
                    self._identifiers[bare] = None
        if type(view) is Resource:
            return  # known by key and identifiers only
        old = self._index.get(key)
        if old is not None and view.older_than(old):
            return  # an older version met after a newer one (two exports read together)
        if old is not None and not old.older_than(view) and _differ(old, view):
            self._unordered[key] = None  # the later copy is read; the reader notes it
        self._index[key] = view
        bucket = self._by_type.setdefault(view.type, [])
        if old is not None:
            bucket.remove(old)  # a later copy of the same resource replaces the earlier one
        bucket.append(view)

    def _add_contained(self, views: Iterable[Resource]) -> None:
        """Contained resources that are about the patient (a score an Observation inside a
        DiagnosticReport holds): viewed under their holder's key, so facts can come from
        them; references reach them only from inside their holder, as FHIR has it."""
        for view in views:
            if view.type in SUBJECT_ELEMENTS and type(view) is not Resource:
                old = self._index.get(view.key)
                self._index[view.key] = view
                bucket = self._by_type.setdefault(view.type, [])
                if old is not None:
                    bucket.remove(old)
                bucket.append(view)

    # -- reading -------------------------------------------------------------------------
    @tolerant
    def __repr__(self) -> str:
        counts = {t: len(v) for t, v in sorted(self._by_type.items())}
        return f"<Record resources={len(self._known)} views={counts}>"

    def __len__(self) -> int:
        return len(self._known)

    def __contains__(self, key: object) -> bool:
        return key in self._known

    def __iter__(self) -> Iterator[Resource]:
        """The views, in the order read."""
        return iter(list(self._index.values()))

    def get(self, key: str) -> Resource | None:
        """The view for ``Type/id``, or None (also None for a resource known only by key)."""
        return self._index.get(key)

    def of_type(self, kind: type[_V]) -> tuple[_V, ...]:
        """Every view of one class, e.g. ``record.of_type(Consent)``, in the order read."""
        name = kind.__name__
        return tuple(v for v in self._by_type.get(name, ()) if isinstance(v, kind))

    @property
    def keys(self) -> tuple[str, ...]:
        """``Type/id`` of every resource in the record, viewed or not."""
        return tuple(self._known)

    # -- references ----------------------------------------------------------------------
    def resolve(self, ref: Ref, holder: Resource) -> Resolution:
        """Follow one reference from ``holder``; an unresolvable one is reported, not raised.

        Resolution is a lookup, never a walk, so reference cycles cannot loop.
        """
        text = ref.reference
        if text is None:
            if ref.identifier is not None:
                key = self._identifiers.get((ref.type or "", *ref.identifier))
                return Resolution(ref, holder.key, "identifier", self._target(key))
            return Resolution(ref, holder.key, "display", None)
        if text.startswith("#"):
            # R4 writes the contained id without "#"; some exports keep it in the id too
            inner = next((c for c in holder.contained if c.id in (text[1:], text)), None)
            return Resolution(ref, holder.key, "contained", inner)
        if text.startswith(("urn:uuid:", "urn:oid:")):
            key = self._full_urls.get(text)
            if key is None and text.startswith("urn:uuid:"):
                # an export without fullUrls whose ids are the uuids (Synthea's NDJSON)
                key = self._known.by_id(text[9:], ref.type)
            return Resolution(ref, holder.key, "uuid", self._target(key))
        fragment = None
        if "?" in text or "#" in text:
            text, fragment = _read_form(text)
        if "?" in text:
            return Resolution(ref, holder.key, "conditional", self._conditional(text))
        form: Form = "absolute" if "://" in text else "relative"
        if fragment is not None:
            # ``Type/id#inner``: the resource ``inner`` contained in ``Type/id``
            outer = self._find(text, ref, holder)
            inner = None if outer is None else _contained(outer, fragment)
            return Resolution(ref, holder.key, form, inner)
        return Resolution(ref, holder.key, form, self._find(text, ref, holder))

    def _find(self, text: str, ref: Ref, holder: Resource) -> Resource | None:
        """The resource a relative or absolute reference (no query, no fragment) names."""
        key = self._full_urls.get(text)
        if key is None:
            parts = [p for p in text.split("/") if p]
            if len(parts) >= 4 and parts[-2] == "_history":
                parts = parts[:-2]
                key = self._full_urls.get(text.split("/_history/")[0])
            if key is None:
                key = "/".join(parts[-2:]) if len(parts) >= 2 else None
                if len(parts) == 1 and ref.type is not None and ":" not in text:
                    key = f"{ref.type}/{parts[0]}"  # an id alone, its type given beside it
                if key is not None and self._elsewhere(text, key, holder) is not None:
                    key = None  # the record's resource of that Type/id is another server's
        return self._target(key)

    def _elsewhere(self, text: str, key: str, holder: Resource) -> str | None:
        """The URL a reference names when the record's ``key`` is not that resource, as
        FHIR resolves references in a Bundle: an absolute one names its server, a relative
        one its holder's (the base of the holder's fullUrl), and the record's resource of
        the same ``Type/id`` came from another server. None when the resource may be it (no
        server is named on either side)."""
        held = rest_base(self._urls.get(key))
        if held is None:
            return None
        url = text if "://" in text else holder.full_url
        named = rest_base(url)
        if url is None or named is None or named[0] == held[0]:
            return None
        if named[0] not in self._servers():
            # a server none of the record's fullUrls names (a gateway that rewrote the
            # fullUrls, not the references): the record's resource of that Type/id is taken
            return None
        return f"{url.partition('://')[0]}://{named[0]}/{key}"

    def _servers(self) -> frozenset[str]:
        """The server bases the record's fullUrls name (found once, when first needed)."""
        if self._server_bases is None:
            found = (rest_base(url) for url in self._full_urls if url.startswith("http"))
            self._server_bases = frozenset(f[0] for f in found if f is not None)
        return self._server_bases

    def _target(self, key: str | None) -> Resource | None:
        if key is None or key not in self._known:
            return None
        view = self._index.get(key)
        if view is not None:
            return view
        rtype, _, rid = key.partition("/")
        return Resource(rtype, rid or None)

    def _conditional(self, text: str) -> Resource | None:
        rtype, _, query = text.partition("?")
        rtype = rtype.rsplit("/", 1)[-1]
        params = parse_qsl(query, keep_blank_values=True)
        if len(params) != 1 or params[0][0] != "identifier":
            return None  # only identifier searches can be answered offline
        value = unquote(params[0][1])
        system, bar, code = value.rpartition("|")
        key = self._identifiers.get((rtype, system or None, code) if bar else (rtype, None, value))
        return self._target(key)

    # -- patients ------------------------------------------------------------------------
    def subject_of(self, view: Resource) -> str | None:
        """The patient a view is about, as ``Patient/id`` when the record can tell (else the
        reference as written, e.g. an unresolved ``urn:uuid:``); None when the view names no
        patient, or names something else (a Group, a Device).

        Two references to the same patient in different forms (``urn:uuid:``, relative,
        absolute, versioned) give the same key when the record holds the Patient, and when
        it does not, as long as they name its type and id.
        """
        key = self._patient_key(view.subject, view)
        return self._alias.get(key, key) if key is not None else None

    def _patient_key(self, ref: Ref | None, view: Resource) -> str | None:
        if ref is None:
            return None
        res = self.resolve(ref, view)
        if res.target is not None:
            return res.target.key if res.target.type == "Patient" else None
        if ref.type not in (None, "Patient"):
            return None
        text = ref.reference
        if text is None:
            if ref.identifier is None:
                return None  # a display only: it cannot tell two people apart
            system, value = ref.identifier
            return f"Patient?identifier={system or ''}|{value}"
        if text.startswith("urn:uuid:") and f"Patient/{text[9:]}" in self._index:
            # an export without fullUrls whose ids are the uuids (Synthea's, as NDJSON)
            return f"Patient/{text[9:]}"
        fragment = None
        if "?" in text or "#" in text:
            text, fragment = _read_form(text)
        if fragment is not None:
            return None  # a resource contained in another: not the patient of the record
        if text.startswith(("urn:", "#")) or "?" in text:
            return text
        parts = [p for p in text.split("/") if p]
        if len(parts) >= 4 and parts[-2] == "_history":
            parts = parts[:-2]
        if len(parts) == 1 and ref.type == "Patient" and ":" not in text:
            return f"Patient/{parts[0]}"
        if len(parts) < 2:
            return text
        if parts[-2] != "Patient":
            return None
        key = "/".join(parts[-2:])
        # another server's patient of the same id is not this record's: its URL tells them apart
        return self._elsewhere(text, key, view) or key

    def patients(self) -> tuple[str, ...]:
        """Every patient the record is about, in the order first met: each Patient resource,
        and each patient the other resources name (a resource may point at a patient the
        export left out). More than one means :func:`~denialkit.record.facts` needs to be told
        which (its ``patient=``).

        >>> from denialkit import record
        >>> rec = record.read(b'''{"resourceType": "Bundle", "type": "collection", "entry": [
        ...   {"resource": {"resourceType": "Patient", "id": "a"}},
        ...   {"resource": {"resourceType": "Consent", "id": "c1", "status": "active",
        ...    "patient": {"reference": "Patient/b"}, "dateTime": "2026-09-02"}}]}''')
        >>> rec.patients()
        ('Patient/a', 'Patient/b')
        """
        seen: dict[str, None] = {}
        for view in self._by_type.get("Patient", ()):
            if not view.entered_in_error:
                seen.setdefault(self._alias.get(view.key, view.key), None)
        for view in list(self._index.values()):
            if view.subject is not None and not view.entered_in_error:
                key = self.subject_of(view)
                if key is not None:
                    seen.setdefault(key, None)
        return tuple(seen)

    def _link_patients(self) -> None:
        """Join Patient resources that ``link`` to each other (a merged record): each group
        is one person, standing under its first Patient that no other replaces."""
        parent: dict[str, str] = {}

        def root(key: str) -> str:
            while parent.get(key, key) != key:
                key = parent[key]
            return key

        views = [v for v in self._by_type.get("Patient", ()) if isinstance(v, Patient)]
        for view in views:
            for ref in view.links:
                other = self._patient_key(ref, view)
                if other is not None and root(other) != root(view.key):
                    parent[root(other)] = root(view.key)
        if not parent:
            return
        groups: dict[str, list[str]] = {}
        for key in [*(v.key for v in views), *parent]:
            members = groups.setdefault(root(key), [])
            if key not in members:
                members.append(key)
        standing = {v.key for v in views if not v.replaced and not v.entered_in_error}
        for members in groups.values():
            head = next((k for k in members if k in standing), members[0])
            for key in members:
                if key != head:
                    self._alias[key] = head

    def for_patient(self, patient: str) -> Record:
        """The record of one patient: that patient's resources and those every patient shares
        (practitioners, their roles, organizations), for code that takes a record of one
        patient, such as the validator's ``record=``.

        Args:
            patient: as :func:`~denialkit.record.facts` takes it (``"Patient/<id>"``, the id
                alone, or the Patient's ``fullUrl``).

        Raises:
            RecordError: the record holds no patient by that reference.
            TypeError: ``patient`` is not a str.

        >>> from denialkit import record
        >>> rec = record.read(b'''{"resourceType": "Bundle", "type": "collection", "entry": [
        ...   {"resource": {"resourceType": "Patient", "id": "a"}},
        ...   {"resource": {"resourceType": "Patient", "id": "b"}},
        ...   {"resource": {"resourceType": "Consent", "id": "c1", "status": "active",
        ...    "patient": {"reference": "Patient/b"}, "dateTime": "2026-09-02"}}]}''')
        >>> rec.for_patient("Patient/b").patients()
        ('Patient/b',)
        >>> rec.for_patient("a").get("Consent/c1") is None, rec.for_patient("b").get("Consent/c1")
        (True, <Consent id=c1>)
        """
        from ._facts import chosen_patient

        if patient is None:
            raise TypeError("patient must be a str, not NoneType")
        key = chosen_patient(self, patient)
        if key is None:
            return self  # about one patient already
        new = Record()
        new._known = self._known
        new._full_urls = self._full_urls
        new._identifiers = self._identifiers
        new._bare_systems = self._bare_systems
        new._files = self._files
        new._alias = self._alias
        left_out = 0
        for view in self._index.values():
            if view.type == "Patient":
                keep = self._alias.get(view.key, view.key) == key
            elif view.type in SUBJECT_ELEMENTS:
                who = self.subject_of(view)
                keep = who == key
                left_out += who is None
            else:
                keep = True
            if keep:
                new._index[view.key] = view
                new._by_type.setdefault(view.type, []).append(view)
        extra = (
            (Note(None, None, f"{left_out} resources name no patient; left out of this one's"),)
            if left_out
            else ()
        )
        new._notes = self._notes + extra
        return new

    def is_patient(self, view: Resource) -> bool:
        """Whether a Patient view stands for its person (one that another linked Patient
        replaces does not)."""
        return view.type == "Patient" and self._alias.get(view.key, view.key) == view.key

    def references(self) -> Iterator[Resolution]:
        """Every reference the views hold, resolved (for checking a record's integrity)."""
        for view in list(self._index.values()):
            for ref in _refs_of(view):
                yield self.resolve(ref, view)


def _read_form(text: str) -> tuple[str, str | None]:
    """A literal reference without what FHIR lets a read URL carry after it: the query of a
    read (``Patient/1?_format=json``: its parameters change the answer's form, not which
    resource it is) and a ``#fragment`` naming a resource contained in the one read
    (returned beside it). A search (``Patient?identifier=...``) keeps its query; a fragment
    left empty is dropped."""
    path, hashed, fragment = text.partition("#")
    base, asked, _ = path.partition("?")
    if asked and _names_a_resource(base):
        path = base
    return path, (fragment or None) if hashed else None


def _names_a_resource(path: str) -> bool:
    """Whether a URL path ends in ``Type/id`` (or ``Type/id/_history/n``), as a read does."""
    parts = [p for p in path.split("/") if p]
    if len(parts) >= 4 and parts[-2] == "_history":
        parts = parts[:-2]
    return len(parts) >= 2 and _TYPE_NAME.fullmatch(parts[-2]) is not None


def _contained(outer: Resource, fragment: str) -> Resource | None:
    """The resource contained in ``outer`` whose id is ``fragment`` (R4 writes the id
    without ``#``; some exports keep it)."""
    return next((c for c in outer.contained if c.id in (fragment, f"#{fragment}")), None)


def _differ(old: Resource, new: Resource) -> bool:
    """Whether two copies of one resource say different things (where each came from and
    its version aside)."""
    return attrs.evolve(new, full_url=old.full_url, version=old.version) != old


def _refs_of(view: Resource) -> Iterable[Ref]:
    for field in attrs.fields(type(view)):
        value = getattr(view, field.name)
        if isinstance(value, Ref):
            yield value
        elif isinstance(value, tuple):
            for item in value:
                if isinstance(item, Ref):
                    yield item
                elif attrs.has(type(item)) and not isinstance(item, Resource):
                    yield from (v for v in attrs.astuple(item, recurse=False) if isinstance(v, Ref))
