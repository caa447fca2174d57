"""Shared test fixtures.

The reference data and real 835 files live in ``../shared`` beside the repository; tests that
need them skip when that folder is absent, so the suite also passes on a bare checkout.
"""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"


@pytest.fixture(scope="session")
def repo_root() -> Path:
    """The repository checkout."""
    return REPO


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """``../shared/data``; skips the test when it is absent."""
    path = SHARED / "data"
    if not path.is_dir():
        pytest.skip("../shared/data is not present")
    return path


@pytest.fixture(scope="session")
def shared_x12() -> Path:
    """``../shared/x12``; skips the test when it is absent."""
    path = SHARED / "x12"
    if not path.is_dir():
        pytest.skip("../shared/x12 is not present")
    return path
