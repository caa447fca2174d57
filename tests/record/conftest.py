"""Fixtures of the record tests: our own records in ``data/`` and the real ones in
``../shared/fhir`` (tests that need those skip when the folder is absent)."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from denialkit import record

DATA = Path(__file__).parent / "data"
SHARED_FHIR = Path(__file__).resolve().parents[2].parent / "shared" / "fhir"

Bundle = dict[str, Any]


@pytest.fixture(scope="session")
def data_dir() -> Path:
    """``tests/record/data``: the records written for these tests."""
    return DATA


@pytest.fixture(scope="session")
def shared_fhir() -> Path:
    """``../shared/fhir``; skips the test when it is absent."""
    if not SHARED_FHIR.is_dir():
        pytest.skip("../shared/fhir is not present")
    return SHARED_FHIR


@pytest.fixture
def cocm() -> Bundle:
    """A fresh copy of the complete collaborative-care Bundle, to change in a test."""
    return copy.deepcopy(json.loads((DATA / "cocm-bundle.json").read_text("utf-8")))


@pytest.fixture
def bhi() -> Bundle:
    """A fresh copy of the complete BHI Bundle, to change in a test."""
    return copy.deepcopy(json.loads((DATA / "bhi-bundle.json").read_text("utf-8")))


@pytest.fixture(scope="session")
def facts_of() -> Callable[[Bundle], record.RecordFacts]:
    """Read a Bundle given as a dict and return its CCM21 facts for September 2026."""

    def run(bundle: Bundle, month: str = "2026-09") -> record.RecordFacts:
        rec = record.read(json.dumps(bundle).encode())
        return record.facts(rec, code="CCM21", month=month)

    return run


def resource(bundle: Bundle, rid: str) -> dict[str, Any]:
    """The resource with id ``rid`` in a Bundle (for tests that change it)."""
    for e in bundle["entry"]:
        if e["resource"].get("id") == rid:
            return e["resource"]  # type: ignore[no-any-return]
    raise KeyError(rid)


@pytest.fixture(scope="session")
def find() -> Callable[[Bundle, str], dict[str, Any]]:
    """``find(bundle, id)``: the resource with that id, to change in place."""
    return resource
