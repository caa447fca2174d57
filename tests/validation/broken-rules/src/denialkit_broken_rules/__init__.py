"""A rule plugin that fails while importing."""

raise RuntimeError("this plugin is broken on purpose")
