"""Check an appeal letter before it is sent: findings with stable rule ids.

The validator reads a letter as text, plus what is known about it: the
:class:`~denialkit.claim.Claim` it answers and the denial codes it disputes. It works the
same on a letter that :func:`denialkit.appeal` built and on text a person edited by hand.

Each problem is a :class:`Finding` with a stable rule id (``DK104``), a slug
(``missing-claim-number``), a :class:`Severity`, a message that never repeats a patient value,
a :class:`Location` (line and column in the text, or a path in the claim) and a hint on how to
fix it. The rule catalogue, one section per rule, is ``docs/rules.md``.

Three ways to ask, as in jsonschema: :func:`iter_findings` yields findings lazily,
:func:`check` returns a :class:`Report`, :func:`validate` raises
:class:`~denialkit.exceptions.LetterValidationError` when the letter has errors, and
:func:`is_valid` answers with a bool and never raises.

>>> from denialkit.validation import validate_text
>>> report = validate_text("Dear Sir,\\nPlease pay claim number [Claim Number].\\n")
>>> report.ok
False
>>> for f in report.errors[:3]:
...     print(f)
DK101 error: the letter does not name the patient
DK102 error: the letter does not give the patient's member id or Medicare number
DK104 error: the letter does not give the claim number
>>> [str(f.location) for f in report.by_rule()["DK302"]]
['2:25']
"""

from __future__ import annotations

from ._model import (
    Author,
    Document,
    Finding,
    LetterLike,
    Location,
    Report,
    Rule,
    Severity,
)
from ._validator import (
    ENTRY_POINT_GROUP,
    Validator,
    check,
    is_valid,
    iter_findings,
    validate,
    validate_text,
)
from ._validator import (
    builtin_rules as builtin_rules,
)
from ._validator import (
    default_validator as default_validator,
)

__all__ = [
    "ENTRY_POINT_GROUP",
    "Author",
    "Document",
    "Finding",
    "LetterLike",
    "Location",
    "Report",
    "Rule",
    "Severity",
    "Validator",
    "check",
    "is_valid",
    "iter_findings",
    "validate",
    "validate_text",
]
