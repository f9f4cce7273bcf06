"""Every number is in its excerpt: how numbers are read, and the rule on data/."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import read_rows, write_rows
from demining_sdg.inputs.excerpts import reported_numbers, stated_numbers
from demining_sdg.inputs.validation import validate_data_dir


@pytest.mark.parametrize(
    ("text", "numbers"),
    [
        ("1,651 hectares", {1651}),
        ("9705,6", {9705.6}),
        ("over 806,000", {806000}),
        ("eight (four killed, four injured)", {8, 4}),
        ("548 851 305 m² (54 885 ha)", {548851305, 54885}),
        ("EUR 2.5 million", {2.5}),
    ],
)
def test_a_reported_cell_is_read_one_way(text: str, numbers: set[float]):
    assert reported_numbers(text) == {float(n) for n in numbers}


@pytest.mark.parametrize(
    ("excerpt", "number"),
    [
        ("From 1979 to 2019, 64,843 people were killed", 64843),
        ("Azerbaijan,AZE,2010,9054332", 9054332),
        ("2016 9705,6", 9705.6),
        ("Ten of the victims were killed outright", 10),
        ("1 651 hectares", 1651),
    ],
)
def test_an_excerpt_is_read_every_way_it_can_be(excerpt: str, number: float):
    assert float(number) in stated_numbers(excerpt)


def test_every_number_in_data_is_in_its_excerpt_or_explained(project_validation):
    problems = [p for p in project_validation.problems if "every number stated" in p.expected]
    assert problems == []


def test_a_number_no_excerpt_states_is_a_problem_until_explained(data_copy: Path):
    path = data_copy / "casualties.csv"
    header, rows = read_rows(path)
    index = next(i for i, r in enumerate(rows) if r[header.index("value_as_reported")].isdigit())
    obs_id = rows[index][0]
    value = rows[index][header.index("value_as_reported")]
    rows[index][header.index("value_as_reported")] = f"{value} (12345 killed)"
    write_rows(path, header, rows)
    found = [p for p in validate_data_dir(data_copy).problems if p.record == obs_id]
    assert len(found) == 1 and found[0].file == "casualties.csv" and found[0].row == index + 2
    assert "12,345 is not" in found[0].expected
    unstated = data_copy / "unstated_figures.csv"
    u_header, u_rows = read_rows(unstated)
    write_rows(unstated, u_header, u_rows + [[obs_id, "12345", "synthetic test: a split from a headline"]])
    assert [p for p in validate_data_dir(data_copy).problems if p.record == obs_id] == []
