"""Resource limits: a chapter over its time limit, and a chapter whose kernel dies, are reported
as such, and nothing is published."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest

from demining_sdg import paths
from demining_sdg.build.render import ChapterFailed, render
from demining_sdg.params import load_params

pytestmark = pytest.mark.render


def chapter_with(tmp_path: Path, source: str) -> list[Path]:
    notebook = nbformat.read(paths.chapter_notebooks()[0], as_version=4)
    notebook.cells.append(nbformat.v4.new_code_cell(source))
    target = tmp_path / "nb" / "01_limit.ipynb"
    target.parent.mkdir()
    nbformat.write(notebook, target)
    return [target]


def test_a_chapter_over_its_time_limit_is_stopped_with_a_clear_message(tmp_path: Path):
    params = load_params(None, {"out_dir": str(tmp_path / "out"), "chapter_timeout_s": 10})
    with pytest.raises(ChapterFailed) as failure:
        render(params, notebooks=chapter_with(tmp_path, "import time\ntime.sleep(120)"))
    assert failure.value.position == "on time"
    assert "chapter_timeout_s = 10" in failure.value.message
    assert not (tmp_path / "out" / "index.html").exists()


def test_a_dead_kernel_is_reported_as_such(tmp_path: Path):
    params = load_params(None, {"out_dir": str(tmp_path / "out")})
    with pytest.raises(ChapterFailed) as failure:
        render(params, notebooks=chapter_with(tmp_path, "import os, signal\nos.kill(os.getpid(), signal.SIGKILL)"))
    assert "kernel" in failure.value.position
    assert "out of memory" in failure.value.message
    assert not (tmp_path / "out" / "index.html").exists()
