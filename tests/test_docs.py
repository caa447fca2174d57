"""The docs cannot drift from the code: every example in them runs here.

- every module of the installed package runs its docstring examples (doctest);
- README.md and every page under docs/ runs its ``pycon`` code blocks, in order, in one
  namespace per page, with ``>>>`` prompts and expected output as in a doctest.
"""

from __future__ import annotations

import doctest
import importlib
import pkgutil
import re
from pathlib import Path

import pytest

import denialkit

REPO = Path(__file__).resolve().parents[1]
FLAGS = doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE
_BLOCK = re.compile(r"^```pycon[^\n]*\n(.*?)^```", re.M | re.S)


def _modules() -> list[str]:
    names = ["denialkit"]
    for info in pkgutil.walk_packages(denialkit.__path__, "denialkit."):
        if info.name.startswith("denialkit._data") or info.name == "denialkit.__main__":
            continue
        names.append(info.name)
    return sorted(names)


@pytest.mark.parametrize("name", _modules())
def test_module_docstring_examples(name: str) -> None:
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=FLAGS, report=True)
    assert result.failed == 0, f"{result.failed} docstring example(s) failed in {name}"


def _pages() -> list[Path]:
    pages = [REPO / "README.md", *sorted((REPO / "docs").rglob("*.md"))]
    return [p for p in pages if p.exists() and not {"_build", "categories"} & set(p.parts)]


@pytest.mark.parametrize("page", _pages(), ids=lambda p: str(p.relative_to(REPO)))
def test_page_examples(page: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    text = page.read_text("utf-8")
    blocks = _BLOCK.findall(text)
    if not blocks:
        pytest.skip("no pycon examples on this page")
    monkeypatch.chdir(tmp_path)
    parser = doctest.DocTestParser()
    runner = doctest.DocTestRunner(optionflags=FLAGS)
    globs: dict[str, object] = {"__name__": "__docs__"}
    for i, block in enumerate(blocks):
        test = parser.get_doctest(block, globs, f"{page.name}[{i}]", str(page), 0)
        runner.run(test, clear_globs=False)
        globs = test.globs  # the next block sees what this one defined
    result = runner.summarize(verbose=False)
    assert result.failed == 0, f"{result.failed} example(s) failed on {page.name}"


def test_category_pages_are_generated_from_the_tables(tmp_path: Path) -> None:
    import sys

    sys.path.insert(0, str(REPO / "docs" / "_ext"))
    try:
        import denialkit_docs
    finally:
        sys.path.remove(str(REPO / "docs" / "_ext"))
    written = denialkit_docs.write_category_pages(tmp_path)
    names = {p.name for p in written}
    assert names == {f"{c.value}.md" for c in denialkit.Category} | {"index.md"}
    auth = (tmp_path / "authorization.md").read_text("utf-8")
    assert "| 197 | CARC |" in auth
    assert denialkit.lookup("197").summary.replace("|", "\\|") in auth
    total = sum(
        page.read_text("utf-8").count("\n| ") - 2 for page in written if page.name != "index.md"
    )
    assert total == len(denialkit.default_table())  # every code, on exactly one page


def test_readme_test_command_is_what_ci_runs() -> None:
    readme = (REPO / "README.md").read_text("utf-8")
    commands = re.findall(r"^```sh\n(.*?)\n```", readme.split("## Quickstart")[1], re.M | re.S)
    assert len(commands[:2]) == 2
    ci = (REPO / ".ci" / "run").read_text("utf-8")
    assert commands[1].strip() in ci.splitlines()
