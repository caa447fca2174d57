"""denialkit: US healthcare claim denials, from the code to the appeal letter.

Importing the package is cheap: it imports the code and error modules (and attrs), nothing
else. Other names are imported from their modules on first use, the code tables open on the
first lookup (which decodes only the rows it needs), Jinja2 loads on the first letter; pandas
only when a table becomes a DataFrame.

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
    "AppealLevel",
    "Appealable",
    "Category",
    "Claim",
    "ClaimDataError",
    "CodeRef",
    "CodeSet",
    "CodeSetClashWarning",
    "CodeSystem",
    "CodeTable",
    "DataError",
    "Deadline",
    "DeadlineError",
    "Denial",
    "DenialCode",
    "DenialkitError",
    "DenialkitWarning",
    "Evidence",
    "EvidenceKind",
    "Explanation",
    "Facts",
    "Finding",
    "InvalidCodeError",
    "Letter",
    "LetterValidationError",
    "LetterWarning",
    "LetterWarningError",
    "MissingExtraError",
    "MissingFactsError",
    "Patient",
    "Payer",
    "PlanType",
    "PluginLoadError",
    "Provider",
    "RecordError",
    "Report",
    "RuleError",
    "ServiceLine",
    "Severity",
    "Status",
    "TemplateNotFoundError",
    "TemplatePack",
    "TemplateRegistry",
    "TemplateRenderError",
    "UnknownCodeError",
    "Validator",
    "X12ParseError",
    "X12Warning",
    "appeal",
    "check",
    "claim_schema",
    "deadline",
    "deadline_for",
    "default_registry",
    "default_table",
    "example_claim",
    "explain",
    "get",
    "is_valid",
    "lookup",
    "parse",
    "search",
    "validate",
    "validate_text",
    "__version__",
]

# public modules reachable as attributes (``denialkit.remit.read(...)``), imported on first use;
# they are not API names, so they are not in ``__all__``
_SUBMODULES = frozenset(
    {
        "batch",
        "claim",
        "codes",
        "deadlines",
        "knowledge",
        "letters",
        "record",
        "remit",
        "render",
        "templates",
        "testing",
        "validation",
    }
)

# name -> the public module that defines it (imported on first use)
_WHERE: dict[str, str] = {
    "Explanation": "knowledge",
    "explain": "knowledge",
    "Claim": "claim",
    "Denial": "claim",
    "Evidence": "claim",
    "EvidenceKind": "claim",
    "Facts": "claim",
    "Patient": "claim",
    "Payer": "claim",
    "PlanType": "claim",
    "Provider": "claim",
    "ServiceLine": "claim",
    "claim_schema": "claim",
    "AppealLevel": "deadlines",
    "Deadline": "deadlines",
    "deadline": "deadlines",
    "deadline_for": "deadlines",
    "Letter": "letters",
    "LetterWarning": "letters",
    "appeal": "letters",
    "example_claim": "letters",
    "TemplatePack": "templates",
    "TemplateRegistry": "templates",
    "default_registry": "templates",
    "Finding": "validation",
    "Report": "validation",
    "Severity": "validation",
    "Validator": "validation",
    "check": "validation",
    "is_valid": "validation",
    "validate": "validation",
    "validate_text": "validation",
    "ClaimDataError": "exceptions",
    "CodeSetClashWarning": "exceptions",
    "DeadlineError": "exceptions",
    "LetterValidationError": "exceptions",
    "LetterWarningError": "exceptions",
    "MissingExtraError": "exceptions",
    "MissingFactsError": "exceptions",
    "RecordError": "exceptions",
    "RuleError": "exceptions",
    "TemplateNotFoundError": "exceptions",
    "TemplateRenderError": "exceptions",
    "X12ParseError": "exceptions",
    "X12Warning": "exceptions",
}


def __getattr__(name: str) -> Any:
    if name in _SUBMODULES:
        from importlib import import_module

        value: Any = import_module(f"{__name__}.{name}")
    elif name == "__version__":
        from importlib.metadata import version

        value = version("denialkit")
    elif name in _WHERE:
        from importlib import import_module

        value = getattr(import_module(f"{__name__}.{_WHERE[name]}"), name)
    else:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    # what tab completion offers: the API and the public modules, not this module's own
    # helpers and imports (``Any``, ``TYPE_CHECKING``)
    return sorted(set(__all__) | _SUBMODULES)


if TYPE_CHECKING:
    from .claim import (
        Claim,
        Denial,
        Evidence,
        EvidenceKind,
        Facts,
        Patient,
        Payer,
        PlanType,
        Provider,
        ServiceLine,
        claim_schema,
    )
    from .deadlines import AppealLevel, Deadline, deadline, deadline_for
    from .exceptions import (
        ClaimDataError,
        CodeSetClashWarning,
        DeadlineError,
        LetterValidationError,
        LetterWarningError,
        MissingExtraError,
        MissingFactsError,
        RecordError,
        RuleError,
        TemplateNotFoundError,
        TemplateRenderError,
        X12ParseError,
        X12Warning,
    )
    from .knowledge import Explanation, explain
    from .letters import Letter, LetterWarning, appeal, example_claim
    from .templates import TemplatePack, TemplateRegistry, default_registry
    from .validation import (
        Finding,
        Report,
        Severity,
        Validator,
        check,
        is_valid,
        validate,
        validate_text,
    )

    __version__: str
