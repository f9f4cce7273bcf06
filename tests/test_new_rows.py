"""Appending a valid row to any table of data/ (the README's "add this year's figures") keeps every
chapter working: the copy validates, and every section of every chapter either shows or is left out
with a reason, exactly the sections shown on the data as published. Values that follow the data are
snapshots elsewhere (``make snapshots``); nothing here depends on today's figures."""

from __future__ import annotations

import json
import re
import shutil
from datetime import date, timedelta
from pathlib import Path

import pytest

from conftest import open_test_chapter, read_rows, write_rows
from demining_sdg import chapters, paths
from demining_sdg.chapters.sections import Section
from demining_sdg.inputs.validation import validate_data_dir

pytestmark = pytest.mark.slow

# A row of these cannot be made up generically: it must name a figure that its row's excerpt lacks.
NOT_APPENDABLE = {"unstated_figures"}
NUMBERED = re.compile(r"(?P<prefix>\D*)(?P<number>\d+)$")


def _modules():
    import importlib
    import pkgutil

    return [importlib.import_module(f"{chapters.__name__}.{m.name}") for m in pkgutil.iter_modules(chapters.__path__)]


SECTIONS = [value for module in _modules() for value in vars(module).values() if isinstance(value, Section)]


def _new_key(header: list[str], rows: list[list[str]], key: list[str]) -> list[str]:
    """A copy of the last row under a key no row has: the next number of an id ('CLR151' ->
    'CLR152'), the next day of a dated key, a new word otherwise."""
    row = list(rows[-1])
    taken = {tuple(r[header.index(k)] for k in key) for r in rows}
    column = header.index(key[0])
    numbered = [NUMBERED.match(r[column]) for r in rows]
    if all(numbered):
        width, prefix = len(numbered[-1]["number"]), numbered[-1]["prefix"]
        row[column] = f"{prefix}{max(int(m['number']) for m in numbered) + 1:0{width}d}"
    elif re.fullmatch(r"\d{4}-\d{2}-\d{2}", row[column]):
        latest = max(date.fromisoformat(r[column]) for r in rows)
        row[column] = (latest + timedelta(days=1)).isoformat()
    else:
        row[column] += "_appended" if re.fullmatch(r"[a-z0-9_]+", row[column]) else " (appended)"
    assert tuple(row[header.index(k)] for k in key) not in taken
    return row


@pytest.fixture(scope="module")
def appended(tmp_path_factory) -> Path:
    data = tmp_path_factory.mktemp("appended") / "data"
    shutil.copytree(paths.DATA_DIR, data)
    for resource in json.loads((data / paths.CONTRACT_FILE_NAME).read_text(encoding="utf-8"))["resources"]:
        if resource["name"] in NOT_APPENDABLE:
            continue
        key = resource["schema"]["primaryKey"]
        header, rows = read_rows(data / resource["path"])
        write_rows(
            data / resource["path"], header, [*rows, _new_key(header, rows, [key] if isinstance(key, str) else key)]
        )
    return data


def test_a_copy_with_a_row_appended_to_every_table_validates(appended: Path):
    result = validate_data_dir(appended)
    assert [problem.as_line() for problem in result.problems] == []


@pytest.mark.parametrize("country", ["AZE", "KHM"])
def test_every_section_shows_as_before_with_the_new_rows(appended: Path, tmp_path: Path, country: str):
    before = open_test_chapter(tmp_path / "before", country=country)
    after = open_test_chapter(tmp_path / "after", data_dir=appended, country=country)
    for section in SECTIONS:
        was, now = before.show(section), after.show(section)
        assert (now.html is None) == (was.html is None), (section.key, now.omitted or was.omitted)
