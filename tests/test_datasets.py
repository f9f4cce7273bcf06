"""Typed tables, and the validation stamp that lets a render's chapters skip re-validating."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from conftest import set_cell
from demining_sdg import paths
from demining_sdg.inputs.datasets import Datasets, write_validated_stamp
from demining_sdg.inputs.problems import DataProblems


def test_tables_are_typed(project_datasets: Datasets):
    clearance = project_datasets.table("clearance")
    assert clearance["value"].dtype == "float64"
    assert pd.api.types.is_datetime64_any_dtype(clearance["period_end"])
    assert clearance.index[0] == 2  # spreadsheet row numbers
    population = project_datasets.table("population")
    assert str(population["year"].dtype) == "Int64"


def test_a_matching_stamp_gives_the_same_tables(project_datasets: Datasets, tmp_path: Path):
    validated = project_datasets
    stamp = write_validated_stamp(validated, tmp_path)
    stamped = Datasets(paths.DATA_DIR, validated_stamp=stamp)
    for name in validated.contract.names:
        pd.testing.assert_frame_equal(stamped.table(name), validated.table(name))


def test_a_stale_stamp_does_not_let_broken_data_through(data_copy: Path, tmp_path: Path):
    stamp = write_validated_stamp(Datasets(data_copy), tmp_path)
    set_cell(data_copy / "population.csv", 0, "value", "not a number")
    with pytest.raises(DataProblems) as problems:
        Datasets(data_copy, validated_stamp=stamp)
    assert problems.value.problems[0].file == "population.csv"
