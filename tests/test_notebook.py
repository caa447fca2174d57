"""The notebook that ships with the docs runs from top to bottom, offline, and shows what an
analyst should see: tables, a chart, an explanation and a letter with its side panel."""

from __future__ import annotations

from pathlib import Path

import pytest

nbformat = pytest.importorskip("nbformat")
nbclient = pytest.importorskip("nbclient")
pytest.importorskip("ipykernel")
pytest.importorskip("matplotlib")
pytest.importorskip("pandas")

NOTEBOOK = Path(__file__).parent.parent / "docs" / "notebooks" / "exploring-denials.ipynb"


@pytest.fixture(scope="module")
def executed() -> object:
    nb = nbformat.read(NOTEBOOK, as_version=4)
    client = nbclient.NotebookClient(
        nb,
        timeout=120,
        kernel_name="python3",
        resources={"metadata": {"path": str(NOTEBOOK.parent)}},
    )
    client.execute()  # raises CellExecutionError on the first cell that fails
    return nb


def _outputs(nb: object, mime: str) -> list[str]:
    found = []
    for cell in nb.cells:  # type: ignore[attr-defined]
        for out in cell.get("outputs", []):
            data = out.get("data", {})
            if mime in data:
                found.append(data[mime])
    return found


def test_the_notebook_runs_without_an_error(executed: object) -> None:
    errors = [
        out
        for cell in executed.cells  # type: ignore[attr-defined]
        for out in cell.get("outputs", [])
        if out.get("output_type") == "error"
    ]
    assert errors == []


def test_the_notebook_shows_a_chart_tables_and_a_letter(executed: object) -> None:
    assert _outputs(executed, "image/png"), "no chart"
    page = "\n".join(_outputs(executed, "text/html"))
    assert "<table" in page  # DataFrames and the summary
    assert 'class="denialkit-explanation"' in page
    assert 'class="denialkit-letter"' in page
    assert '<mark class="denialkit-missing">[MISSING: consent date]</mark>' in page
    assert 'class="denialkit-report"' in page


def test_the_notebook_is_stored_without_outputs() -> None:
    nb = nbformat.read(NOTEBOOK, as_version=4)
    nbformat.validate(nb)
    assert all(not c.get("outputs") for c in nb.cells if c.cell_type == "code")
