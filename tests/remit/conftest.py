"""Fixtures for the 835 reader tests: our own synthetic files and helpers."""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest

from denialkit import remit

DATA = Path(__file__).resolve().parent / "data"


@pytest.fixture(scope="session")
def data() -> Path:
    """tests/remit/data: our own synthetic 835s."""
    return DATA


@pytest.fixture(scope="session")
def basic() -> bytes:
    """The basic synthetic 835 (nine claims, denials, a reversal, PLB), '~\\n' terminated."""
    return (DATA / "basic.835").read_bytes()


class Helpers:
    """Small helpers for the tests (a fixture: test modules cannot import conftest)."""

    @staticmethod
    def read_all(source: object, **kw: object) -> tuple[list[object], list[str]]:
        """Every item of ``remit.stream`` with each claim's details parsed, and the warnings."""
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            items = list(remit.stream(source, **kw))  # type: ignore[arg-type]
            for x in items:
                if isinstance(x, remit.ClaimPayment):
                    x.lines
        return items, [str(w.message) for w in caught]

    @staticmethod
    def claims(items: list[object]) -> Iterator[remit.ClaimPayment]:
        return (x for x in items if isinstance(x, remit.ClaimPayment))

    @staticmethod
    def remits(items: list[object]) -> list[remit.Remittance]:
        return [x for x in items if isinstance(x, remit.Remittance)]


@pytest.fixture(scope="session")
def h() -> type[Helpers]:
    """The helpers."""
    return Helpers
