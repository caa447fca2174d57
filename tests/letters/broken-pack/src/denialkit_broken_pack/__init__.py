"""A pack that cannot load: it imports a module that does not exist."""

import denialkit_missing_dependency  # noqa: F401  (fails on purpose)


def pack() -> None:  # pragma: no cover - never reached
    return None
