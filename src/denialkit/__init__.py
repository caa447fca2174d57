"""denialkit: US healthcare claim denials, from the code to the appeal letter.

Importing the package is cheap: it imports the code and error modules (and attrs), nothing
else. Other names are imported from their modules on first use, the code tables load on the
first lookup, Jinja2 on the first letter; pandas only when a table becomes a DataFrame.

>>> import denialkit
>>> denialkit.lookup("CO-16").category.value
'missing-information'
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .codes import (
    Action,
    Appealable,
    Category,
    CodeRef,
    CodeSet,
    CodeSystem,
    CodeTable,
    DenialCode,
    Status,
    default_table,
    get,
    lookup,
    parse,
    search,
)
from .exceptions import (
    DataError,
    DenialkitError,
    DenialkitWarning,
    InvalidCodeError,
    PluginLoadError,
    UnknownCodeError,
)

__all__ = [
    "Action",
    "Appealable",
    "Category",
    "CodeRef",
    "CodeSet",
    "CodeSystem",
    "CodeTable",
    "DataError",
    "DenialCode",
    "DenialkitError",
    "DenialkitWarning",
    "InvalidCodeError",
    "PluginLoadError",
    "Status",
    "UnknownCodeError",
    "__version__",
    "default_table",
    "get",
    "lookup",
    "parse",
    "search",
]

# name -> the public module that defines it (imported on first use)
_WHERE: dict[str, str] = {}


def __getattr__(name: str) -> Any:
    if name == "__version__":
        from importlib.metadata import version

        value: Any = version("denialkit")
    elif name in _WHERE:
        from importlib import import_module

        value = getattr(import_module(f"{__name__}.{_WHERE[name]}"), name)
    else:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))


if TYPE_CHECKING:
    __version__: str
