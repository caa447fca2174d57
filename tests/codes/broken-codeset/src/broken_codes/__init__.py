"""A plugin that fails at import, as a broken installation would."""

raise RuntimeError("this code set is broken on purpose")
