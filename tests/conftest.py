"""Shared fixtures: a private copy of data/ that a test may break, and CSV editing helpers."""

from __future__ import annotations

import csv
import io
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from demining_sdg import paths

# Renders in tests start from nothing unless a test asks for the cache (tests/test_cache.py): a
# cached chapter would make timing-sensitive tests (interruptions, time limits) finish too early.
os.environ["DEMINING_SDG_CACHE"] = "off"


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    """A writable copy of the project's data folder."""
    target = tmp_path / "data"
    shutil.copytree(paths.DATA_DIR, target)
    return target


def read_rows(path: Path) -> tuple[list[str], list[list[str]]]:
    with open(path, encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    return rows[0], rows[1:]


def write_rows(
    path: Path,
    header: list[str],
    rows: list[list[str]],
    *,
    delimiter: str = ",",
    newline: str = "\n",
    encoding: str = "utf-8",
) -> None:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator=newline)
    writer.writerow(header)
    writer.writerows(rows)
    path.write_bytes(buffer.getvalue().encode(encoding))


def set_cell(path: Path, row_index: int, column: str, value: str) -> int:
    """Set one cell (row_index counts data rows from 0); returns the spreadsheet row number."""
    header, rows = read_rows(path)
    rows[row_index][header.index(column)] = value
    write_rows(path, header, rows)
    return row_index + 2


def run_cli(*args: str, cwd: Path | None = None, timeout: int = 600) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "demining_sdg", *args],
        capture_output=True,
        text=True,
        cwd=cwd or paths.ROOT,
        timeout=timeout,
        env={**__import__("os").environ, "COLUMNS": "200", "NO_COLOR": "1"},
    )


def open_test_chapter(tmp_path: Path, data_dir: Path | None = None, **overrides):
    """A chapter run context as a notebook gets it, writing figures into ``tmp_path``."""
    from demining_sdg.params import load_params
    from demining_sdg.present.chapter import Chapter

    if data_dir is not None:
        overrides["data_dir"] = str(data_dir)
    return Chapter(load_params(None, overrides), figures_dir=tmp_path)


def frame_text(frame) -> str:
    """A frame as CSV text: the form in which data-following values are kept as snapshots."""
    return frame.to_csv(index=False, lineterminator="\n")


@pytest.fixture(scope="session")
def synthetic_data_dir(tmp_path_factory) -> Path:
    """The synthetic data package (XAA, XBB, XCC; tests/fixtures/synthetic/), built and validated
    once per session. Shared: never change it; a test that needs to, copies it first."""
    from demining_sdg.inputs.validation import validate_data_dir
    from synthetic import build_synthetic_data_dir

    folder = build_synthetic_data_dir(tmp_path_factory.mktemp("synthetic") / "data")
    result = validate_data_dir(folder)
    assert result.ok, "the synthetic fixture is not valid:\n" + "\n".join(p.as_line() for p in result.problems)
    return folder
