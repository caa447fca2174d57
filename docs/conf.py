"""Sphinx configuration for the denialkit docs (MyST Markdown, Furo theme)."""

from __future__ import annotations

import sys
from importlib.metadata import version as _version
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent / "_ext"))

project = "denialkit"
author = "The denialkit developers"
copyright = "2026, The denialkit developers"
release = _version("denialkit")
version = ".".join(release.split(".")[:2])

extensions = [
    "myst_nb",
    "sphinx.ext.autodoc",
    "sphinx.ext.napoleon",
    "denialkit_docs",
]
exclude_patterns = ["_build", "notebooks/.ipynb_checkpoints"]

# myst-nb parses the Markdown pages and executes the notebooks on every build, so the
# rendered notebook shows real output and real charts; any error in a cell fails the build.
nb_execution_mode = "force"
nb_execution_raise_on_error = True
nb_execution_timeout = 120
nb_execution_show_tb = True
nb_merge_streams = True
myst_enable_extensions = ["colon_fence", "deflist"]
myst_heading_anchors = 3
html_theme = "furo"
html_title = "denialkit"

autodoc_member_order = "bysource"
autodoc_typehints = "description"
autodoc_typehints_format = "short"
autodoc_inherit_docstrings = False
napoleon_google_docstring = True
napoleon_numpy_docstring = False


# Types that live outside the docs (standard library, attrs, pandas, jinja2, matplotlib) resolve to
# nothing without network access to other projects' inventories.
nitpicky = True
nitpick_ignore_regex = [
    (r"py:.*", r"(datetime|decimal|os|pandas|jinja2|attrs|collections\.abc|typing|pathlib)\..*"),
    (
        r"py:.*",
        r"(date|Decimal|PathLike|Path|DataFrame|Mapping|Sequence|Iterable|Iterator|Callable|TextIO|BinaryIO|Any|Final|Traversable)",
    ),
    (r"py:class", r"(str|int|bool|float|bytes|object|None|list|dict|tuple|set|frozenset|type)"),
    (r"py:.*", r"denialkit\..*\._.*"),
    (r"py:.*", r"(matplotlib\..*|Axes)"),
    (r"py:.*", r".*(TypeAlias|FactValue|LetterLike|Handler|Source|Readable|ClaimGroup).*"),
]
