"""An example denialkit template pack (namespace ``example``)."""

from __future__ import annotations

from denialkit.templates import TemplatePack

__all__ = ["pack"]


def pack() -> TemplatePack:
    """The pack: its templates and ``pack.toml`` ship as package data next to this file."""
    return TemplatePack.from_package(__name__)
