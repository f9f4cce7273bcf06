"""The operational export: aggregation into clearance rows, and its bad-input cases."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from demining_sdg.inputs.imports import run_import
from demining_sdg.inputs.imports.common import ImportProblems, ImportRefused
from demining_sdg.inputs.imports.operations import aggregate, check_export, read_export
from demining_sdg.inputs.validation import validate_data_dir
from imports_support import EXAMPLES, SOURCE_ID, data_with_source, write

HEADER = "date,district,operator,method,area_m2,ap_mines,at_mines,uxo,other_items\n"


@pytest.fixture(scope="module")
def base(tmp_path_factory):
    return data_with_source(tmp_path_factory.mktemp("ops"))


def rows_of(path):
    return pd.read_csv(path, dtype=str, keep_default_na=False)


def run(file, base, out, **options):
    return run_import("operations", file, out=out, data_dir=base, country="XIM", source_id=SOURCE_ID, **options)


def test_the_example_export_becomes_valid_derived_clearance_rows(base, tmp_path):
    example = EXAMPLES / "synthetic_operations_export.csv"
    result = run(example, base, tmp_path / "review")
    review = result.target
    assert validate_data_dir(review).problems == []
    before, after = rows_of(base / "clearance.csv"), rows_of(review / "clearance.csv")
    new = after.iloc[len(before) :]
    assert after.iloc[: len(before)].equals(before)  # rows already there are untouched
    assert set(new["period_type"]) == {"annual", "monthly", "weekly"}
    assert (new["iso3"] == "XIM").all() and (new["source_id"] == SOURCE_ID).all()
    assert new["notes"].str.startswith("derived").all() and new["excerpt"].str.startswith("[derived by the rule").all()
    assert new["value_as_reported"].str.contains(r"\(derived: the sum of [\d,]+ task reports\)$").all()
    unstated = rows_of(review / "unstated_figures.csv")
    assert set(new["obs_id"]) <= set(unstated["obs_id"])
    # the annual sums equal a plain group-by of the export
    export = pd.read_csv(example)
    annual = new[new["period_type"] == "annual"].set_index(["measure", "item_category"])["value"].astype(float)
    by_method = export.groupby("method")["area_m2"].sum()
    for method, measure in (("cancelled", "area_cancelled"), ("reduced", "area_reduced"), ("cleared", "area_cleared")):
        assert annual[(measure, "all")] == pytest.approx(by_method[method], abs=1e-6)
    assert annual[("items_destroyed", "AP_mine")] == export["ap_mines"].sum()
    total = export[["ap_mines", "at_mines", "uxo", "other_items"]].to_numpy().sum()
    assert annual[("items_destroyed", "all")] == total
    # the data folder itself is never written by a review import
    assert rows_of(base / "clearance.csv").equals(before)


def test_areas_are_summed_exactly_and_partial_periods_are_labelled(tmp_path):
    export = write(
        tmp_path / "e.csv",
        HEADER
        + "2024-03-05,D1,O1,cleared,0.1,0,0,0,0\n"
        + "2024-03-06,D1,O1,cleared,0.2,1,0,0,2\n"
        + "2024-04-30,D2,O2,reduced,10,0,0,3,0\n",
    )
    frame, rows, problems = read_export(export)
    typed, found = check_export(frame, rows, "e.csv")
    assert problems == [] and found.problems == []
    sums = aggregate(typed, (pd.Timestamp("2024-03-01"), pd.Timestamp("2024-04-30")))
    cleared = sums[(sums["measure"] == "area_cleared") & (sums["period_type"] == "monthly")]
    assert cleared["value"].tolist() == ["0.3", "0"]  # not 0.30000000000000004
    year = sums[sums["period_type"] == "partial_year"]
    assert set(year["period_start"].astype(str)) == {"2024-03-01"} and set(year["period_end"].astype(str)) == {
        "2024-04-30"
    }
    assert "annual" not in set(sums["period_type"])
    week = sums[(sums["period_type"] == "weekly") & (sums["series"] == "all")]
    assert week["period_start"].astype(str).tolist() == ["2024-03-04", "2024-04-29"][:1]  # 29 Apr-5 May is not whole
    assert week["value"].tolist() == ["3"]


def problems_of(export, base, tmp_path):
    with pytest.raises(ImportProblems) as caught:
        run(export, base, tmp_path / "review")
    assert not (tmp_path / "review").exists()
    return caught.value


def test_negative_area_names_row_column_and_value(base, tmp_path):
    export = write(
        tmp_path / "e.csv", HEADER + "2024-03-05,D1,O1,cleared,12,0,0,0,0\n2024-03-06,D1,O1,cleared,-5,0,0,0,0\n"
    )
    (problem,) = problems_of(export, base, tmp_path).problems
    assert (problem.file, problem.row, problem.column, problem.value) == ("e.csv", 3, "area_m2", "-5")
    assert "0 or more" in problem.expected


def test_text_in_a_count(base, tmp_path):
    export = write(
        tmp_path / "e.csv", HEADER + "2024-03-05,D1,O1,cleared,12,0,0,0,0\n2024-03-06,D1,O1,cleared,5,two,0,0,0\n"
    )
    (problem,) = problems_of(export, base, tmp_path).problems
    assert (problem.row, problem.column, problem.value) == (3, "ap_mines", "two")
    assert "whole number" in problem.expected


def test_a_shifted_column_is_diagnosed(base, tmp_path):
    good = "2024-03-05,D1,O1,cleared,12,0,0,0,0\n"
    shifted = "D1,O1,cleared,12,0,0,0,0,\n"  # the date left out and a cell added at the end
    caught = problems_of(write(tmp_path / "e.csv", HEADER + good + shifted + good), base, tmp_path)
    assert {p.row for p in caught.problems} == {3}
    assert len({p.column for p in caught.problems}) >= 3
    assert any("row 3 has" in hint and "shifting the cells" in hint for hint in caught.hints)


def test_a_row_with_a_cell_too_many(base, tmp_path):
    export = write(
        tmp_path / "e.csv", HEADER + "2024-03-05,D1,O1,cleared,12,0,0,0,0\n2024-03-06,D1,O1,x,cleared,5,0,0,0,0\n"
    )
    caught = problems_of(export, base, tmp_path)
    assert [(p.row, "shifted" in p.expected) for p in caught.problems] == [(3, True)]


def test_problems_are_capped_for_many_bad_rows(base, tmp_path):
    bad = "".join(f"2024-03-{1 + i % 28:02d},D1,O1,cleared,-{i + 1},0,0,0,0\n" for i in range(500))
    caught = problems_of(write(tmp_path / "e.csv", HEADER + bad), base, tmp_path)
    listed = [p for p in caught.problems if p.row is not None]
    assert len(listed) == 20 and listed[0].row == 2
    (summary,) = [p for p in caught.problems if p.row is None]
    assert "480 more rows" in summary.expected and "500 in all" in summary.expected


def test_missing_columns_and_missing_options(base, tmp_path):
    export = write(tmp_path / "e.csv", "date,district,method,area\n2024-03-05,D1,cleared,12\n")
    (problem,) = problems_of(export, base, tmp_path).problems
    assert problem.row == 1 and "operator" in problem.expected and "area_m2" in problem.expected
    with pytest.raises(ImportRefused, match="--source-id"):
        run_import("operations", export, out=tmp_path / "r", data_dir=base, country="XIM", source_id="S949")
    with pytest.raises(ImportRefused, match="--country"):
        run_import("operations", export, out=tmp_path / "r", data_dir=base, source_id=SOURCE_ID)


def test_the_same_export_is_not_imported_twice(base, tmp_path):
    export = write(
        tmp_path / "e.csv", HEADER + "2024-03-04,D1,O1,cleared,12,0,0,0,0\n2024-03-10,D1,O1,cleared,5,0,0,0,0\n"
    )
    review = tmp_path / "review"
    run(export, base, review, periods="weekly")
    with pytest.raises(ImportRefused, match="imported into .* already"):
        run(export, base, review, periods="weekly")


def test_blank_lines_keep_row_numbers(tmp_path):
    export = write(
        tmp_path / "e.csv", HEADER + "2024-03-05,D1,O1,cleared,12,0,0,0,0\n\n\n2024-03-06,D1,O1,cleared,-1,0,0,0,0\n"
    )
    frame, rows, _ = read_export(export)
    _, found = check_export(frame, rows, "e.csv")
    assert [p.row for p in found.problems] == [5]
    assert np.asarray(rows).tolist() == [2, 5]
