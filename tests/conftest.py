"""Shared test fixtures.

The reference data and real 835 files live in ``../shared`` beside the repository; tests that
need them skip when that folder is absent, so the suite also passes on a bare checkout.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"

# Hypothesis: a deadline catches a slow example on a developer's machine; on a shared CI
# runner the same example can take ten times as long, so the CI profile has no deadline
# (and a fixed seed, so a failure can be replayed). Tests set max_examples, never deadline.
settings.register_profile(
    "dev", deadline=timedelta(milliseconds=2000), suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile(
    "ci",
    deadline=None,
    derandomize=True,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.load_profile("ci" if os.environ.get("CI", "").lower() == "true" else "dev")


def _register_payloads() -> None:
    """Make ``tests/payloads.py`` importable as ``import payloads`` from any test module (the
    import mode is importlib, so tests/ is not on sys.path)."""
    import importlib.util
    import sys

    spec = importlib.util.spec_from_file_location(
        "payloads", Path(__file__).with_name("payloads.py")
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    sys.modules.setdefault("payloads", module)


_register_payloads()


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


def _pip_install_target(project: Path, target: Path) -> None:
    import subprocess
    import sys

    cmd = [
        sys.executable, "-m", "pip", "install", "--no-build-isolation", "--no-deps",
        "--no-index", "--quiet", "--target", str(target), str(project),
    ]  # fmt: skip
    done = subprocess.run(cmd, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr


def _on_sys_path(target: Path, prefix: str) -> Iterator[Path]:
    import importlib
    import sys

    sys.path.insert(0, str(target))
    importlib.invalidate_caches()
    try:
        yield target
    finally:
        sys.path.remove(str(target))
        for name in [m for m in sys.modules if m.startswith(prefix)]:
            del sys.modules[name]
        importlib.invalidate_caches()


@pytest.fixture(scope="session")
def pip_install() -> Callable[[Path, Path], None]:
    """Install a plugin distribution for real with pip, into a target folder."""
    return _pip_install_target


@pytest.fixture(scope="session")
def plugin_path() -> Callable[[Path, str], Iterator[Path]]:
    """A generator that puts an installed target on ``sys.path`` (its entry points become
    visible) and, when resumed, removes it and forgets modules starting with the prefix."""
    return _on_sys_path
