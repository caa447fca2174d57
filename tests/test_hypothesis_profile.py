"""Hypothesis has a CI profile without a deadline, chosen when ``CI=true`` (issue 16 point 9):
a slow shared runner cannot make a property test fail on time alone."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

CONFTEST = Path(__file__).with_name("conftest.py")

SHOW = f"""
import importlib.util
spec = importlib.util.spec_from_file_location("conftest", {str(CONFTEST)!r})
spec.loader.exec_module(importlib.util.module_from_spec(spec))
from hypothesis import settings
print(settings.default.deadline)
"""


@pytest.mark.parametrize(
    ("ci", "shown"), [("true", "None"), ("TRUE", "None"), ("", "0:00:02"), ("false", "0:00:02")]
)
def test_the_profile_follows_the_ci_variable(ci: str, shown: str) -> None:
    env = {**os.environ, "CI": ci}
    out = subprocess.run(
        [sys.executable, "-c", SHOW], env=env, capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == shown


def test_no_property_test_sets_its_own_deadline() -> None:
    tests = Path(__file__).parent
    offenders = [
        p.relative_to(tests).as_posix()
        for p in tests.rglob("*.py")
        if p.name != Path(__file__).name
        and re.search(r"deadline=[0-9]", p.read_text("utf-8")) is not None
    ]
    assert offenders == []
