"""The chapter notebooks stay thin: narrative and calls into the package, stored without outputs."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import nbformat
import pytest

from demining_sdg import paths
from demining_sdg.params import load_params

NOTEBOOKS = paths.chapter_notebooks()
PATH_LITERAL = re.compile(r"""["'][^"'\n]*(?:/|\\|\.csv|\.json|\.ipynb|\.ya?ml)[^"'\n]*["']""")


@pytest.fixture(params=NOTEBOOKS, ids=lambda p: p.stem)
def notebook(request) -> tuple[Path, nbformat.NotebookNode]:
    return request.param, nbformat.read(request.param, as_version=4)


def test_there_are_nine_numbered_chapters():
    assert [p.name[:3] for p in NOTEBOOKS] == [f"{i:02d}_" for i in range(1, 10)]


def test_stored_without_outputs(notebook):
    _, nb = notebook
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None


def test_opens_with_a_title_and_a_question(notebook):
    _, nb = notebook
    first = nb.cells[0]
    assert first.cell_type == "markdown" and first.source.startswith("# ")
    assert "**Question:**" in first.source


def test_parameters_cell_is_tagged_typed_and_commented(notebook):
    _, nb = notebook
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert code[0].metadata.get("tags") == ["parameters"]
    names = set()
    for line in code[0].source.splitlines():
        assert re.match(r"^\w+: \w+ = .+  # \S", line), line
        names.add(line.split(":")[0])
    injected = set(load_params().notebook_parameters(figures_dir=Path("x")))
    assert names == injected


def test_no_definitions_paths_or_file_reading(notebook):
    _, nb = notebook
    for cell in nb.cells[1:]:
        if cell.cell_type != "code" or "parameters" in cell.metadata.get("tags", []):
            continue
        tree = ast.parse(cell.source)
        assert not [n for n in ast.walk(tree) if isinstance(n, (ast.FunctionDef, ast.ClassDef, ast.Lambda))], (
            cell.source
        )
        assert not PATH_LITERAL.search(cell.source), cell.source
        assert "read_" not in cell.source and "open(" not in cell.source.replace("open_chapter(", ""), cell.source
        assert len(cell.source.splitlines()) <= 12, cell.source


def test_each_chapter_is_paired_with_its_text_file_and_in_sync(notebook):
    """The .py (percent format) is the file to edit and review; the .ipynb is what papermill runs."""
    import jupytext

    path, nb = notebook
    text = path.with_suffix(".py")
    assert text.is_file(), f"{text.name} is missing: run make notebooks"
    paired = jupytext.read(text)
    assert [(c.cell_type, c.source) for c in paired.cells] == [(c.cell_type, c.source) for c in nb.cells], (
        f"{path.name} and {text.name} differ: run make notebooks"
    )
