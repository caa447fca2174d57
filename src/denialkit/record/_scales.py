"""What denialkit knows about the rating scales it reads (private).

The totals are named by LOINC (and PHQ-9's also by SNOMED CT). A record that writes no total
but every item's answer gives the total as their sum, which is how each of these scales is
scored; an item answer counts only when the record says its value: a number, an ordinal
value extension on the answer's coding, or a LOINC answer of the frequency list these scales
share (LL358-3), whose answers are scored 0 to 3.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any, Final

__all__ = [
    "ANSWER_SCORES",
    "ITEM_SCALES",
    "ORDINAL_EXTENSIONS",
    "PANELS",
    "SCALE_ITEMS",
    "SNOMED_TOTALS",
    "ordinal",
]

#: The scored items of each scale, by the LOINC code of its total. The PHQ-9's tenth question
#: (69722-7, how difficult) and the GAD-7's eighth (69726-8) are not scored.
SCALE_ITEMS: Final = {
    "44261-6": (  # PHQ-9
        "44250-9",
        "44255-8",
        "44259-0",
        "44254-1",
        "44251-7",
        "44258-2",
        "44252-5",
        "44253-3",
        "44260-8",
    ),
    "70274-6": (  # GAD-7
        "69725-0",
        "68509-3",
        "69733-4",
        "69734-2",
        "69735-9",
        "69689-8",
        "69736-7",
    ),
    "55758-7": ("44250-9", "44255-8"),  # PHQ-2: the PHQ-9's first two questions
}
#: Item code -> the totals it counts toward.
ITEM_SCALES: Final = {
    item: tuple(total for total, items in SCALE_ITEMS.items() if item in items)
    for items in SCALE_ITEMS.values()
    for item in items
}
#: Panel code -> the total it holds (PHQ-9 44249-1, GAD-7 69737-5, PHQ-2 55757-9).
PANELS: Final = {"44249-1": "44261-6", "69737-5": "70274-6", "55757-9": "55758-7"}
#: SNOMED CT codes of a total, with the LOINC code denialkit reads it as.
SNOMED_TOTALS: Final = {"720433000": "44261-6"}  # Patient Health Questionnaire Nine Item score
#: LOINC answer list LL358-3 (not at all, several days, more than half the days, nearly every
#: day), the answers of every PHQ and GAD item, with the score each answer gives.
ANSWER_SCORES: Final = {
    "LA6568-5": Decimal(0),
    "LA6569-3": Decimal(1),
    "LA6570-1": Decimal(2),
    "LA6571-9": Decimal(3),
}
#: Extensions that give a Coding's score: R4's ordinalValue, the itemWeight that replaced it,
#: and the older iso21090-CO-value.
ORDINAL_EXTENSIONS: Final = frozenset(
    {
        "http://hl7.org/fhir/StructureDefinition/ordinalValue",
        "http://hl7.org/fhir/StructureDefinition/itemWeight",
        "http://hl7.org/fhir/StructureDefinition/iso21090-CO-value",
    }
)


def ordinal(element: Mapping[str, Any]) -> Decimal | None:
    """The score an ordinal value extension on ``element`` (a Coding, an answerOption) gives:
    its ``valueDecimal`` (or ``valueInteger``), when it is one finite number."""
    exts = element.get("extension")
    if not isinstance(exts, list):
        return None
    found = None
    for ext in exts:
        if not isinstance(ext, dict) or ext.get("url") not in ORDINAL_EXTENSIONS:
            continue
        raw = ext.get("valueDecimal", ext.get("valueInteger"))
        if isinstance(raw, bool) or not isinstance(raw, (int, Decimal)):
            return None
        value = Decimal(raw)
        if not value.is_finite() or (found is not None and found != value):
            return None  # two extensions that disagree say nothing
        found = value
    return found
