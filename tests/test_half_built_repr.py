"""Every ``__repr__`` works on a half-built object (issue #16, point 7).

A traceback formatter that captures locals, a debugger or an error reporter calls ``repr`` on
whatever a frame holds, including an object whose ``__init__`` failed half-way. A repr that
raises there replaces the real error with an ``AttributeError``. The sweep builds every
class of the package with ``cls.__new__(cls)`` (no ``__init__`` at all, the worst case) and
renders it.
"""

from __future__ import annotations

import enum
import importlib
import inspect
import pkgutil

import attrs
import pytest

import denialkit
from denialkit import exceptions
from denialkit._repr import fields_repr

#: The public modules a user imports; every class reachable from them (their own and the
#: private record and view types they return) is swept.
PUBLIC = (
    "denialkit",
    "denialkit.codes",
    "denialkit.claim",
    "denialkit.deadlines",
    "denialkit.knowledge",
    "denialkit.letters",
    "denialkit.templates",
    "denialkit.validation",
    "denialkit.remit",
    "denialkit.batch",
    "denialkit.record",
    "denialkit.render",
    "denialkit.exceptions",
)

#: Classes whose ``__new__`` itself needs arguments (NamedTuples): no half-built object of
#: them can exist, so there is nothing to render.
NEEDS_ARGUMENTS = frozenset(
    {
        "denialkit.letters._Deps",
        "denialkit.letters._EvidencePlan",
        "denialkit.letters._Frame",
        "denialkit.remit._records.Adjustment",
        "denialkit.remit._records.Entity",
        "denialkit.remit._records.ServiceLine",
        "denialkit.remit._records.UnknownSegment",
        "denialkit.templates.MissingFact",
        "denialkit.validation._analysis.TextDate",
        "denialkit.validation._analysis.Labelled",
        "denialkit.validation._analysis.Cited",
        "denialkit.validation._analysis._Where",
        "denialkit.validation._analysis._WordLabel",
    }
)


def _classes() -> dict[str, type]:
    modules = [importlib.import_module(name) for name in PUBLIC]
    for info in pkgutil.walk_packages(denialkit.__path__, "denialkit."):
        if not info.name.startswith("denialkit.cli") and info.name != "denialkit.__main__":
            modules.append(importlib.import_module(info.name))
    found: dict[str, type] = {}
    for module in modules:
        for value in vars(module).values():
            if inspect.isclass(value) and value.__module__.startswith("denialkit"):
                found[f"{value.__module__}.{value.__qualname__}"] = value
    return found


CLASSES = _classes()
SWEPT = sorted(
    name
    for name, cls in CLASSES.items()
    if not issubclass(cls, (enum.Enum, BaseException)) and name not in NEEDS_ARGUMENTS
)
EXCEPTIONS = sorted(
    name
    for name, cls in vars(exceptions).items()
    if inspect.isclass(cls)
    and issubclass(cls, BaseException)
    and cls.__module__ == exceptions.__name__
)


def test_the_sweep_covers_the_package() -> None:
    assert len(SWEPT) > 100
    assert {"denialkit.claim.Claim", "denialkit.remit._records.Remittance"} <= set(SWEPT)
    assert set(CLASSES) >= NEEDS_ARGUMENTS, "a skipped class no longer exists"
    for name in NEEDS_ARGUMENTS:
        with pytest.raises(TypeError, match="missing"):
            CLASSES[name].__new__(CLASSES[name])


@pytest.mark.parametrize("name", SWEPT)
def test_repr_of_a_half_built_object(name: str) -> None:
    cls = CLASSES[name]
    obj = cls.__new__(cls)
    assert isinstance(repr(obj), str)


@pytest.mark.parametrize("name", EXCEPTIONS)
def test_exception_repr_and_str_when_half_built(name: str) -> None:
    cls = getattr(exceptions, name)
    obj = cls.__new__(cls)
    assert isinstance(repr(obj), str)
    assert isinstance(str(obj), str)


def test_a_half_built_record_still_names_its_class_and_hides_hidden_fields() -> None:
    from denialkit.codes import DenialCode

    assert repr(DenialCode.__new__(DenialCode)) == "<DenialCode (incomplete)>"

    @attrs.frozen
    class Holder:
        shown: int
        hidden: str = attrs.field(repr=False)
        __repr__ = fields_repr

    assert repr(Holder(1, "PHI")) == "Holder(shown=1)"
    assert repr(Holder.__new__(Holder)) == "Holder(shown=<unset>)"
