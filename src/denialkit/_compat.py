"""Small compatibility shims (private)."""

from __future__ import annotations

import sys

if sys.version_info >= (3, 12):
    from importlib.resources import files
else:  # pragma: no cover - exercised on Python 3.11 only
    from importlib_resources import files

__all__ = ["files"]
