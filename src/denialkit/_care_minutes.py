"""The one table of care-management minute thresholds (private, ground floor).

Every minute figure denialkit states about behavioral health integration (BHI), collaborative
care (CoCM) and chronic care management (CCM) comes from :data:`MINUTES`: the validator's rule
DK505 reads it, the CCM21 letter template reads it through the letter context, and
``scripts/build_tables.py`` fills the figures into the knowledge text from it. A test checks
that none of the three states a figure of its own.

Two ways of counting:

- ``"half-way"``: a unit of time is reached once more than half of it has passed (the CPT time
  rule most payers apply to the CoCM codes): 99492 describes 70 minutes and is billable from
  36, 99493 from 31 of 60, G2214 from 16 of 30; an add-on unit of 99494 is reached 16 minutes
  past the base code's full time, and each further unit 30 minutes later.
- ``"at-least"``: the code's time must be met in full, and the half-way rule does not apply
  (99484, and the CCM codes 99490, 99439, 99487, 99489, 99491).

>>> MINUTES["99492"].least, MINUTES["99492"].full
(36, 70)
>>> minutes_needed([("99492", 1), ("99494", 1)])
('99492 with 99494', 86)
>>> minutes_needed([("99490", 1), ("99439", 2)], family="ccm")
('99490 with 99439', 60)
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal
from types import MappingProxyType
from typing import Final

import attrs

from denialkit._repr import fields_repr

__all__ = ["MINUTES", "MinuteRule", "codes", "letter_view", "minutes_needed", "numbers"]


@attrs.frozen
class MinuteRule:
    """The time one code describes and the fewest minutes that bill it.

    Attributes:
        code: the CPT or HCPCS code.
        family: ``"bhi"`` (BHI and CoCM: the care manager's or clinical staff's minutes) or
            ``"ccm"`` (chronic care management).
        full: the minutes the code describes (for an add-on, one unit's minutes).
        least: the fewest minutes that bill one unit (for an add-on, past the base code's
            full time).
        counting: ``"half-way"`` or ``"at-least"`` (see the module's text).
        whose: whose time counts.
        addon_of: the base codes an add-on is billed with (empty for a base code).
        what: the service, in a phrase of our own (no figures).
    """

    code: str
    family: str
    full: int
    least: int
    counting: str
    whose: str
    addon_of: tuple[str, ...]
    what: str
    __repr__ = fields_repr

    @property
    def is_addon(self) -> bool:
        """Whether the code is an add-on, billed only with one of ``addon_of``."""
        return bool(self.addon_of)

    def describe(self) -> str:
        """The code's time in one phrase, with its figures from this table.

        >>> print(MINUTES["99493"].describe())  # doctest: +NORMALIZE_WHITESPACE
        a later month of psychiatric collaborative care, 60 minutes of care manager time,
        billable from 31
        >>> print(MINUTES["99439"].describe())
        each further 20 minutes of clinical staff time after 99490
        """
        if self.is_addon:
            base = " or ".join(self.addon_of)
            if self.counting == "half-way":
                return (
                    f"each further {self.full} minutes of {self.whose} time past {base}'s "
                    f"full time, the first unit from {self.least} minutes past it"
                )
            return f"each further {self.full} minutes of {self.whose} time after {base}"
        if self.counting == "half-way":
            return (
                f"{self.what}, {self.full} minutes of {self.whose} time, billable from {self.least}"
            )
        return f"{self.what}, at least {self.full} minutes of {self.whose} time"


def _rule(
    code: str,
    family: str,
    full: int,
    least: int,
    counting: str,
    whose: str,
    what: str,
    addon_of: tuple[str, ...] = (),
) -> MinuteRule:
    return MinuteRule(code, family, full, least, counting, whose, addon_of, what)


_STAFF: Final = "clinical staff"
_MANAGER: Final = "care manager"

MINUTES: Final[Mapping[str, MinuteRule]] = MappingProxyType(
    {
        r.code: r
        for r in (
            # behavioral health integration and psychiatric collaborative care
            _rule(
                "99484",
                "bhi",
                20,
                20,
                "at-least",
                _STAFF,
                "general behavioral health integration in a calendar month",
            ),
            _rule(
                "99492",
                "bhi",
                70,
                36,
                "half-way",
                _MANAGER,
                "the first month of psychiatric collaborative care",
            ),
            _rule(
                "99493",
                "bhi",
                60,
                31,
                "half-way",
                _MANAGER,
                "a later month of psychiatric collaborative care",
            ),
            _rule(
                "G2214",
                "bhi",
                30,
                16,
                "half-way",
                _MANAGER,
                "a shorter month of psychiatric collaborative care",
            ),
            _rule(
                "99494",
                "bhi",
                30,
                16,
                "half-way",
                _MANAGER,
                "collaborative care in the same month",
                ("99492", "99493"),
            ),
            # chronic care management: "at least" times, no half-way rule
            _rule(
                "99490",
                "ccm",
                20,
                20,
                "at-least",
                _STAFF,
                "chronic care management in a calendar month",
            ),
            _rule(
                "99439",
                "ccm",
                20,
                20,
                "at-least",
                _STAFF,
                "further chronic care management",
                ("99490",),
            ),
            _rule(
                "99487",
                "ccm",
                60,
                60,
                "at-least",
                _STAFF,
                "complex chronic care management in a calendar month",
            ),
            _rule(
                "99489",
                "ccm",
                30,
                30,
                "at-least",
                _STAFF,
                "further complex chronic care management",
                ("99487",),
            ),
            _rule(
                "99491",
                "ccm",
                30,
                30,
                "at-least",
                "the billing practitioner's own",
                "chronic care management by the practitioner in a calendar month",
            ),
        )
    }
)
"""Every care-management code with a monthly time, by code."""


def codes(family: str | None = None) -> frozenset[str]:
    """The codes in the table, or those of one family (``"bhi"``, ``"ccm"``).

    >>> sorted(codes("bhi"))
    ['99484', '99492', '99493', '99494', 'G2214']
    """
    if family is None:
        return _ALL_CODES
    found = _FAMILY_CODES.get(family)
    if found is None:
        return frozenset()
    return found


def numbers(code: str) -> frozenset[int]:
    """Every minute figure the table allows a text to state about ``code``.

    For a base code: its full time and its least time; for an add-on also the minutes past
    the base code at which units are reached. Used by the test that no text carries a figure
    of its own.

    >>> sorted(numbers("99494"))
    [16, 30]
    """
    r = MINUTES[code]
    return frozenset({r.full, r.least})


def minutes_needed(
    billed: Iterable[tuple[str, Decimal | int]], *, family: str = "bhi"
) -> tuple[str, int | Decimal] | None:
    """The fewest minutes in the month that bill ``billed`` (code and units), and what.

    The base code is the billed code of ``family`` with the highest threshold; add-on units
    count only with a base code they belong to. ``None`` when no base code of the family is
    billed.

    >>> minutes_needed([("99493", 1)])
    ('99493', 31)
    >>> minutes_needed([("99492", 1), ("99494", 2)])
    ('99492 with 99494', 116)
    >>> minutes_needed([("99487", 1), ("99489", 1)], family="ccm")
    ('99487 with 99489', 90)
    >>> minutes_needed([("99213", 1)]) is None
    True
    """
    pairs = [(c, u) for c, u in billed if c in MINUTES and MINUTES[c].family == family]
    base = [MINUTES[c] for c, _ in pairs if not MINUTES[c].is_addon]
    if not base:
        return None
    top = max(base, key=lambda r: (r.least, r.code))
    units: int | Decimal = 0
    addon: MinuteRule | None = None
    for c, u in pairs:
        r = MINUTES[c]
        if r.is_addon and top.code in r.addon_of:
            addon = r
            units += u
    if addon is None or units <= 0:
        return top.code, top.least
    if addon.counting == "half-way":
        need = top.full + addon.full * (units - 1) + addon.least
    else:
        need = top.full + addon.full * units
    if isinstance(need, Decimal) and need == need.to_integral_value():
        need = int(need)
    return f"{top.code} with {addon.code}", need


_ALL_CODES: Final = frozenset(MINUTES)
_FAMILY_CODES: Final[Mapping[str, frozenset[str]]] = MappingProxyType(
    {
        family: frozenset(c for c, r in MINUTES.items() if r.family == family)
        for family in sorted({r.family for r in MINUTES.values()})
    }
)
_DESCRIBE: Final[Mapping[str, str]] = MappingProxyType(
    {c: r.describe() for c, r in MINUTES.items()}
)


def letter_view(billed: Iterable[tuple[str, Decimal | int]]) -> dict[str, object]:
    """What a letter template reads as ``care_minutes``: the table's codes and phrases, and
    the minutes the billed services need.

    ``codes``: the BHI and CoCM codes; ``ccm_codes``: the CCM codes; ``describe``: each
    code's time in a phrase; ``needed``: the fewest minutes that bill the claim's BHI or CoCM
    services (``None`` without a base code); ``needed_for``: which codes those minutes bill.

    >>> view = letter_view([("99492", 1)])
    >>> view["needed"], view["needed_for"], "99494" in view["codes"]
    (36, '99492', True)
    """
    needed = minutes_needed(billed)
    return {
        "codes": _FAMILY_CODES["bhi"],
        "ccm_codes": _FAMILY_CODES["ccm"],
        "describe": _DESCRIBE,
        "needed": needed[1] if needed else None,
        "needed_for": needed[0] if needed else None,
    }
