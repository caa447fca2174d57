"""Reprs that work on a half-built object (issue #16, point 7).

A traceback formatter that captures locals, a debugger or a log line may call ``repr`` on an
object whose ``__init__`` failed half-way, or that was made with ``cls.__new__(cls)``. The
reprs attrs generates, and most hand-written ones, read every attribute and raise
``AttributeError`` there, which hides the error being reported. This ground-floor module
imports nothing of denialkit.

- :func:`fields_repr` replaces the attrs-generated repr: ``Name(field=..., ...)`` over the
  fields attrs would show (``repr=False`` fields stay hidden, a callable ``repr=`` is used),
  with ``<unset>`` for a field that was never set.
- :func:`tolerant` wraps a hand-written ``__repr__``/``__str__`` so that a missing attribute
  gives ``<Name (incomplete)>`` instead of an exception.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Final, TypeVar, cast

import attrs

__all__ = ["fields_repr", "tolerant"]

_MISSING: Final = object()
_T = TypeVar("_T")


def fields_repr(self: object) -> str:
    """The attrs repr, tolerant of unset fields.

    >>> @attrs.frozen
    ... class Point:
    ...     x: int
    ...     secret: str = attrs.field(repr=False, default="")
    ...     __repr__ = fields_repr
    >>> Point(1, "s"), Point.__new__(Point)
    (Point(x=1), Point(x=<unset>))
    """
    cls = type(self)
    parts = []
    for field in attrs.fields(cast("type[attrs.AttrsInstance]", cls)):
        if field.repr is False:
            continue
        value = getattr(self, field.name, _MISSING)
        if value is _MISSING:
            shown = "<unset>"
        elif callable(field.repr):
            shown = field.repr(value)
        else:
            shown = repr(value)
        parts.append(f"{field.name}={shown}")
    return f"{cls.__qualname__.rsplit('>.', 1)[-1]}({', '.join(parts)})"


def tolerant(method: Callable[[_T], str]) -> Callable[[_T], str]:
    """Wrap a hand-written ``__repr__`` so a half-built object still gets one.

    >>> class Box:
    ...     @tolerant
    ...     def __repr__(self) -> str:
    ...         return f"<Box {self.size}>"
    >>> Box.__new__(Box)
    <Box (incomplete)>
    """

    @functools.wraps(method)
    def wrapper(self: _T) -> str:
        try:
            return method(self)
        except AttributeError:
            return f"<{type(self).__name__} (incomplete)>"

    return wrapper
