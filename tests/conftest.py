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
from hypothesis import settings

from demining_sdg import paths

# Renders in tests start from nothing unless a test asks for the cache (tests/test_cache.py): a
# cached chapter would make timing-sensitive tests (interruptions, time limits) finish too early.
os.environ["DEMINING_SDG_CACHE"] = "off"

# Property tests: the whole suite (make test) runs each with its own number of examples; the fast
# tier (make test-fast: --hypothesis-profile=fast) runs a few random ones and every @example.
settings.register_profile("full", settings.get_profile("default"))
settings.register_profile("fast", max_examples=5)


def examples(full: int) -> int:
    """A property test's number of examples: ``full`` in the whole suite, fewer in the fast tier."""
    return min(full, settings.default.max_examples)


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


def run_cli(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    """``python -m demining_sdg ARGS`` in this process, through typer's ``CliRunner``: the command's
    exit code, stdout and stderr, without a new interpreter's imports. Output goes to a pipe-like
    stream 200 columns wide without colour, as in :func:`run_cli_process`. An exception the command
    does not handle is appended to stderr as the interpreter prints it (exit code 1), so a test
    that looks for "Traceback" sees it."""
    import traceback

    from rich.console import Console
    from typer.testing import CliRunner

    from demining_sdg import cli

    env = {"COLUMNS": "200", "NO_COLOR": "1"}
    with pytest.MonkeyPatch.context() as patch:
        if cwd is not None:
            patch.chdir(cwd)
        # The command's console is made when the module is imported; give it the stream width a
        # fresh process would read from COLUMNS. It writes to whatever sys.stderr is (the runner's).
        patch.setattr(cli, "console", Console(stderr=True, width=200, no_color=True))
        result = CliRunner().invoke(cli.app, list(args), env=env, prog_name="demining_sdg")
    stderr = result.stderr
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        stderr += "Traceback (most recent call last):\n" + "".join(traceback.format_exception(*result.exc_info)[1:])
    return subprocess.CompletedProcess(["demining_sdg", *args], result.exit_code, result.stdout, stderr)


def run_cli_process(*args: str, cwd: Path | None = None, timeout: int = 600) -> subprocess.CompletedProcess:
    """``python -m demining_sdg ARGS`` in a child process: the entry point and the real exit code.
    Tests using it carry the ``subprocess`` marker (full suite only: each start costs seconds of imports)."""
    return subprocess.run(
        [sys.executable, "-m", "demining_sdg", *args],
        capture_output=True,
        text=True,
        cwd=cwd or paths.ROOT,
        timeout=timeout,
        env={**os.environ, "COLUMNS": "200", "NO_COLOR": "1"},
    )


def open_test_chapter(tmp_path: Path, data_dir: Path | None = None, **overrides):
    """A chapter run context as a notebook gets it, writing figures into ``tmp_path``."""
    from demining_sdg.params import load_params
    from demining_sdg.present.chapter import Chapter

    if data_dir is not None:
        overrides["data_dir"] = str(data_dir)
    return Chapter(load_params(None, overrides), figures_dir=tmp_path)


class ShownOnce:
    """A chapter that shows each section once, in the order first asked for: later asks return the
    same result, so the read-only tests of a module draw each chart once instead of once per test.
    Everything else is the chapter's (``ctx``, ``profile``, ``figures_dir`` ...). Tests that change
    data, or count how often something is computed, open their own chapter."""

    def __init__(self, chapter):
        self._chapter = chapter
        self._shown: dict[str, object] = {}

    def show(self, section):
        if section.key not in self._shown:
            self._shown[section.key] = self._chapter.show(section)
        return self._shown[section.key]

    def __getattr__(self, name: str):
        return getattr(self._chapter, name)


@pytest.fixture(scope="module")
def aze(tmp_path_factory):
    """The default country's chapter on the project's data, for a module's tests that only read it."""
    return ShownOnce(open_test_chapter(tmp_path_factory.mktemp("aze")))


@pytest.fixture(scope="module")
def khm(tmp_path_factory):
    """Cambodia's chapter on the project's data, for a module's tests that only read it."""
    return ShownOnce(open_test_chapter(tmp_path_factory.mktemp("khm"), country="KHM"))


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


@pytest.fixture(scope="session")
def project_validation():
    """``validate_data_dir(data/)``, run once per test session (per xdist worker). Shared: read it,
    never change it or its tables; a test that edits data works on ``data_copy``."""
    from demining_sdg.inputs.validation import validate_data_dir

    return validate_data_dir(paths.DATA_DIR)


@pytest.fixture(scope="session")
def project_datasets():
    """The typed tables of data/, validated once per test session: the same object the chapters
    of this session read (``Datasets.table`` hands out copies). Shared: never change it."""
    from demining_sdg.present.chapter import _datasets

    return _datasets(paths.DATA_DIR.resolve())
