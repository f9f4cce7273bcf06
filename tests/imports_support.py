"""Helpers of the import tests: a data folder with a synthetic source for the imported files."""

from __future__ import annotations

import shutil
from pathlib import Path

from demining_sdg import paths

EXAMPLES = paths.DATA_DIR / "examples"
SOURCE_ID = "S950"
SOURCE_ROW = (
    f"{SOURCE_ID},[SYNTHETIC] export of a made-up authority,Synthetic test source,,2025,"
    '"SYNTHETIC: made-up records, not real data",ngo_data,synthetic source of the import tests\n'
)


def data_with_source(folder: Path) -> Path:
    """A copy of data/ (without the examples) whose sources.csv has the synthetic source S950."""
    target = folder / "data"
    shutil.copytree(paths.DATA_DIR, target, ignore=shutil.ignore_patterns("examples"))
    with open(target / "sources.csv", "a", encoding="utf-8") as handle:
        handle.write(SOURCE_ROW)
    return target


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path
