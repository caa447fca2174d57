"""The single entry point for every check: ``nox -s tests typecheck lint docs build bench``."""

from __future__ import annotations

import glob
import os
import shutil
import tempfile

import nox

nox.options.sessions = ["tests", "typecheck", "lint", "docs", "build"]
nox.options.reuse_existing_virtualenvs = True

PYTHON = ["3.11"]


@nox.session(python=PYTHON)
def tests(session: nox.Session) -> None:
    """The whole test suite against the installed package."""
    session.install(".[test]")
    session.run("python", "-m", "pytest", *session.posargs)


@nox.session(python=PYTHON)
def typecheck(session: nox.Session) -> None:
    """mypy --strict on src/."""
    session.install(".[test]", "mypy>=1.10", "pandas-stubs")
    session.run("mypy", "--strict", "src/denialkit", "tests/typing")


@nox.session(python=PYTHON)
def lint(session: nox.Session) -> None:
    """ruff: lint and format check."""
    session.install("ruff>=0.6")
    session.run("ruff", "check", "src", "tests", "scripts", "benchmarks", "noxfile.py", "docs")
    session.run("ruff", "format", "--check", "src", "tests", "scripts", "benchmarks", "noxfile.py")


@nox.session(python=PYTHON)
def docs(session: nox.Session) -> None:
    """Sphinx (MyST + Furo) with warnings as errors, then every example in the docs run.

    The doctest step runs each module's docstring examples in that module's namespace and
    each page's ``pycon`` blocks in order (tests/test_docs.py), which Sphinx's own doctest
    builder cannot do for MyST pages or for examples that use their module's names.
    """
    session.install(".[test]", "sphinx>=7", "furo", "myst-parser>=3", "myst-nb>=1.1")
    shutil.rmtree("docs/_build", ignore_errors=True)
    session.run(
        "sphinx-build", "-W", "-n", "--keep-going", "-b", "html", "docs", "docs/_build/html"
    )
    # the chart on the remittances page is drawn at build time; the notebook ran with output
    charts = glob.glob("docs/_build/html/_images/denied-by-category*.png")
    if not charts:
        session.error("the summary chart is missing from the built docs")
    with open("docs/_build/html/notebooks/exploring-denials.html", encoding="utf-8") as fh:
        if '<img alt="../_images/' not in fh.read():
            session.error("the notebook page has no chart")
    session.run("python", "-m", "pytest", "tests/test_docs.py", "-q")


@nox.session(python=PYTHON)
def build(session: nox.Session) -> None:
    """Build the wheel and sdist, install the wheel into a fresh environment, smoke-test it."""
    session.install("build")
    shutil.rmtree("dist", ignore_errors=True)
    session.run("python", "-m", "build")
    wheel = glob.glob("dist/denialkit-*.whl")[0]
    with tempfile.TemporaryDirectory() as tmp:
        venv = os.path.join(tmp, "venv")
        session.run("python", "-m", "venv", venv)
        py = os.path.join(venv, "bin", "python")
        session.run(py, "-m", "pip", "install", "--quiet", wheel, external=True)
        session.run(py, "-m", "denialkit", "lookup", "CO-16", external=True)
        session.run(py, "-m", "denialkit", "appeal", "CCM21", "--example", external=True)
        session.run(
            py,
            "-c",
            "import denialkit, zipfile; "
            "assert denialkit.lookup('CCM21').summary; "
            "assert len(denialkit.default_table()) == 1658; print('smoke test ok')",
            external=True,
        )


@nox.session(python=PYTHON)
def bench(session: nox.Session) -> None:
    """Every benchmark, with the comparison parsers installed only here."""
    session.install(".[test]")
    session.install("edi-835-parser", "pyx12", "oxedi", "pyarrow")
    for script in sorted(glob.glob("benchmarks/bench_*.py")):
        session.run("python", script, success_codes=[0, 1])
