"""The root of :class:`~denialkit.record.Record` (private).

The fact readers check that they were given a record against this class, so they need not
import the record module itself: the record can then offer :meth:`Record.fill` (which
:meth:`denialkit.claim.Claim.with_record` calls) with imports that still run one way.
"""

from __future__ import annotations

__all__ = ["RecordBase"]


class RecordBase:
    """What every record read by :func:`denialkit.record.read` is an instance of."""

    __slots__ = ()
