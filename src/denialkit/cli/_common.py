"""What every command module shares: the usage error and argument types."""

from __future__ import annotations

import argparse
from datetime import date

__all__ = ["UsageError", "iso_date"]


class UsageError(Exception):
    """A command-line argument is wrong (exit status 2)."""


def iso_date(text: str) -> date:
    """argparse type for ``YYYY-MM-DD``."""
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError("expected a date as YYYY-MM-DD") from None
