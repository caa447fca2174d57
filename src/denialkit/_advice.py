"""The advice records of a code (private): :class:`Advice`, :class:`PlanRule`, :class:`Service`.

They are public as ``denialkit.codes.Advice``, ``.PlanRule`` and ``.Service`` (their
``__module__`` says so, which pickle and the docs use), and :mod:`denialkit.codes` imports
this module when one of them is first asked for. Creating an attrs class compiles its
generated methods (about half a millisecond each), and a lookup needs these only for the few
codes that carry group advice, plan rules or services, so ``import denialkit`` and the first
lookup do without them (issue 11, point 8). This module imports nothing of denialkit at run
time but :mod:`denialkit._repr`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import attrs

from denialkit._repr import fields_repr

if TYPE_CHECKING:
    from .codes import Action, Appealable

__all__ = ["Advice", "PlanRule", "Service"]


@attrs.frozen
class Advice:
    """The recommended next step for a code, with its reasons.

    >>> import denialkit
    >>> advice = denialkit.lookup("CO-1").advice()
    >>> advice.action.value, advice.appealable.value
    ('write-off', 'no')
    """

    __module__ = "denialkit.codes"

    action: Action
    action_reason: str
    appealable: Appealable
    appeal_reason: str
    __repr__ = fields_repr


@attrs.frozen
class PlanRule:
    """How a code's appeal advice changes for one plan type.

    Attributes:
        plan: the plan type's value (``"medicare"``; see :class:`denialkit.claim.PlanType`).
        appealable: whether an appeal is open under this plan type.
        appeal_reason: why, in one line.
        route: what to do instead of (or before) an appeal, in one or two sentences.
        citation: the rule's source.

    >>> import denialkit
    >>> rule = denialkit.lookup("CO-29").plan_rule("medicare")
    >>> rule.appealable.value, rule.citation.split(";")[0]
    ('no', 'Medicare Claims Processing Manual ch. 1 §70')
    """

    __module__ = "denialkit.codes"

    plan: str
    appealable: Appealable
    appeal_reason: str
    route: str
    citation: str
    __repr__ = fields_repr


@attrs.frozen
class Service:
    """A billed service an extension code concerns, and what it requires.

    >>> import denialkit
    >>> [s.code for s in denialkit.lookup("CCM21").knowledge.services][:2]
    ['99484', '99492']
    """

    __module__ = "denialkit.codes"

    code: str
    requirement: str
    __repr__ = fields_repr


# doctest finds a class by its module; these say they belong to denialkit.codes
__test__ = {"Advice": Advice, "PlanRule": PlanRule, "Service": Service}
