"""A kernel kept for the next chapter changes nothing a chapter can see: its names are gone, its
execution count starts at 1, the tables it read are its own (what the cache keys on), and the
report is the same as with one kernel per chapter. A kernel that timed out is replaced."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import nbformat
import pytest

from demining_sdg import paths
from demining_sdg.build import kernels
from demining_sdg.build import render as render_module
from demining_sdg.params import load_params
from demining_sdg.present.chapter import READS_MIME

pytestmark = pytest.mark.render

FIRST, SECOND = "01_key_figures.ipynb", "09_sources_methods.ipynb"
LEAK_CHECK = "assert 'left_by_the_first' not in globals(), 'a name of the previous chapter is visible'"


@pytest.fixture(scope="module")
def notebooks(tmp_path_factory) -> list[Path]:
    folder = tmp_path_factory.mktemp("kept")
    first = nbformat.read(paths.NOTEBOOKS_DIR / FIRST, as_version=4)
    first.cells.append(nbformat.v4.new_code_cell("left_by_the_first = 1"))
    nbformat.write(first, folder / FIRST)
    second = nbformat.read(paths.NOTEBOOKS_DIR / SECOND, as_version=4)
    second.cells.insert(0, nbformat.v4.new_code_cell(LEAK_CHECK))
    nbformat.write(second, folder / SECOND)
    return sorted(folder.glob("*.ipynb"))


def counting(monkeypatch) -> list[kernels.ChapterKernel]:
    made: list[kernels.ChapterKernel] = []

    class Counted(kernels.ChapterKernel):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            made.append(self)

    monkeypatch.setattr(render_module, "ChapterKernel", Counted)
    return made


def reads_and_counts(executed: Path) -> tuple[list[str], list[int]]:
    book = nbformat.read(executed, as_version=4)
    reads: set[str] = set()
    for cell in book.cells:
        for output in cell.get("outputs", []):
            reads |= set(output.get("data", {}).get(READS_MIME, {}).get("tables", []))
    counts = [cell.execution_count for cell in book.cells if cell.cell_type == "code"]
    return sorted(reads), counts


def render_into(out: Path, notebooks: list[Path], jobs: int):
    params = load_params(None, {"out_dir": str(out), "jobs": jobs})
    return render_module.render(params, notebooks=notebooks, use_cache=False)


def test_one_kernel_runs_both_chapters_as_two_kernels_would(tmp_path, notebooks, monkeypatch):
    made = counting(monkeypatch)
    render_into(tmp_path / "one", notebooks, jobs=1)
    assert sum(kernel.starts for kernel in made) == 1
    made.clear()
    render_into(tmp_path / "two", notebooks, jobs=2)
    assert sum(kernel.starts for kernel in made) == 2
    for notebook in notebooks:
        kept = reads_and_counts(tmp_path / "one" / "executed" / notebook.name)
        alone = reads_and_counts(tmp_path / "two" / "executed" / notebook.name)
        assert kept == alone
        assert kept[1] == list(range(1, len(kept[1]) + 1))  # numbered from 1, as in a new kernel
    for figure in (tmp_path / "one" / "figures").iterdir():
        assert figure.read_bytes() == (tmp_path / "two" / "figures" / figure.name).read_bytes()
    first_reads = reads_and_counts(tmp_path / "one" / "executed" / FIRST)[0]
    second_reads = reads_and_counts(tmp_path / "one" / "executed" / SECOND)[0]
    assert first_reads != second_reads  # each chapter lists its own tables, not the kernel's


def test_a_kernel_that_timed_out_is_replaced_for_the_next_chapter(tmp_path, monkeypatch):
    folder = tmp_path / "nb"
    folder.mkdir()
    slow = nbformat.read(paths.NOTEBOOKS_DIR / FIRST, as_version=4)
    slow.cells.append(nbformat.v4.new_code_cell("import time\ntime.sleep(120)"))
    nbformat.write(slow, folder / FIRST)
    shutil.copyfile(paths.NOTEBOOKS_DIR / SECOND, folder / SECOND)
    made = counting(monkeypatch)
    params = load_params(None, {"out_dir": str(tmp_path / "out"), "jobs": 1, "chapter_timeout_s": 10})
    with pytest.raises(render_module.ChapterFailed) as failure:
        render_module.render(params, notebooks=sorted(folder.glob("*.ipynb")), use_cache=False)
    assert failure.value.position == "on time"
    assert sum(kernel.starts for kernel in made) == 2  # the second chapter ran in a new kernel
    kept = failure.value.executed
    assert kept is not None and json.loads(kept.read_text(encoding="utf-8"))["cells"]
