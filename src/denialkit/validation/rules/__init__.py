"""denialkit's built-in validation rules, in modules by family (see ``docs/rules.md``).

- :mod:`.required` (DK1xx): the elements every appeal letter needs;
- :mod:`.identifiers` (DK2xx): codes and identifiers;
- :mod:`.placeholders` (DK3xx): template leftovers and unfilled blanks;
- :mod:`.dates` (DK4xx): dates and deadlines;
- :mod:`.evidence` (DK5xx): code-specific evidence;
- :mod:`.privacy` (DK6xx): privacy;
- :mod:`.hygiene` (DK7xx): text hygiene;
- :mod:`.medical_record` (DK8xx): the letter against the patient's medical record.

The text analyses several rules share are in :mod:`denialkit.validation._analysis`.
"""

from __future__ import annotations

from typing import Final

from denialkit.validation._model import Rule

from . import (
    dates,
    evidence,
    hygiene,
    identifiers,
    medical_record,
    placeholders,
    privacy,
    required,
)
from ._registry import _REGISTERED, RuleFn, builtin_check

__all__ = ["RETIRED", "RULES", "RuleFn", "builtin_check"]

_FAMILIES: Final = (
    required,
    identifiers,
    placeholders,
    dates,
    evidence,
    privacy,
    hygiene,
    medical_record,
)

# -------------------- the catalogue

RULES: Final[tuple[Rule, ...]] = tuple(sorted(_REGISTERED, key=lambda r: r.id))
"""Every built-in rule, in id order."""

RETIRED: Final[frozenset[str]] = frozenset()
"""Rule ids that were removed. A retired id is never used again."""
