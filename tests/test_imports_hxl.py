"""HXL-tagged CSV: the tag row is found under header rows, columns are mapped by tag."""

from __future__ import annotations

import pandas as pd
import pytest

from demining_sdg.inputs.contract import load_contract
from demining_sdg.inputs.imports import run_import
from demining_sdg.inputs.imports.common import ImportProblems
from demining_sdg.inputs.imports.hxl import find_tag_row, map_columns, table_tags
from demining_sdg.inputs.validation import validate_data_dir
from imports_support import EXAMPLES, SOURCE_ID, data_with_source, write


@pytest.fixture(scope="module")
def base(tmp_path_factory):
    return data_with_source(tmp_path_factory.mktemp("hxl"))


def test_the_tag_row_is_the_first_row_of_mostly_hashtags():
    rows = [["Title", "", ""], ["Country", "Year", "Notes"], ["#country+code", "#date+year", ""], ["XIM", "2024", "#1"]]
    assert find_tag_row(rows) == 2
    assert find_tag_row([["a", "b"], ["1", "2"]]) is None


def test_columns_map_by_tag_not_by_header_attributes_in_any_order():
    wanted = table_tags("clearance", load_contract().table("clearance").column_names)
    mapping, ignored = map_columns(["#date +Start+reported", "#x_item+type", "#x_item+reported+type", "#adm1"], wanted)
    assert mapping == {0: "period_start", 1: "item_category", 2: "item_category_as_reported"}
    assert ignored == ["#adm1"]


def test_the_example_round_trips_into_clearance_rows(base, tmp_path):
    example = EXAMPLES / "synthetic_clearance_hxl.csv"
    result = run_import("hxl", example, out=tmp_path / "review", data_dir=base, source_id=SOURCE_ID)
    assert validate_data_dir(result.target).problems == []
    rows = result.rows["clearance"]
    source = pd.read_csv(example, skiprows=[0, 2], dtype=str)  # the title row and the tag row
    assert rows["value"].tolist() == source["Area"].tolist()
    assert rows["measure"].tolist() == source["Measure"].tolist()
    assert rows["period_end"].tolist() == source["To"].tolist()
    assert (rows["source_id"] == SOURCE_ID).all()
    assert all(line in open(example, encoding="utf-8").read() for line in rows["excerpt"])


def test_the_same_columns_in_another_order_with_other_headers_give_the_same_rows(base, tmp_path):
    example = EXAMPLES / "synthetic_clearance_hxl.csv"
    frame = pd.read_csv(example, header=None, dtype=str, keep_default_na=False).iloc[1:]
    shuffled = frame[frame.columns[::-1]].copy()
    shuffled.iloc[0] = [f"column {i}" for i in range(len(shuffled.columns))]
    other = tmp_path / "other.csv"
    shuffled.to_csv(other, header=False, index=False)
    first = run_import("hxl", example, out=tmp_path / "a", data_dir=base, source_id=SOURCE_ID).rows["clearance"]
    second = run_import("hxl", other, out=tmp_path / "b", data_dir=base, source_id=SOURCE_ID).rows["clearance"]
    columns = [c for c in first.columns if c not in ("excerpt", "notes")]
    assert first[columns].equals(second[columns])


def test_missing_tag_row_is_a_clear_error(base, tmp_path):
    file = write(tmp_path / "plain.csv", "Country,Measure,Value\nXIM,area_cleared,12\n")
    with pytest.raises(ImportProblems) as caught:
        run_import("hxl", file, out=tmp_path / "review", data_dir=base, source_id=SOURCE_ID, table="clearance")
    (problem,) = caught.value.problems
    assert problem.file == "plain.csv" and "row of HXL hashtags" in problem.expected


def test_bad_values_are_reported_at_the_hxl_file_row_and_tag(base, tmp_path):
    text = (EXAMPLES / "synthetic_clearance_hxl.csv").read_text(encoding="utf-8").replace("1480000,m2", "-1480000,m2")
    file = write(tmp_path / "bad.csv", text)
    with pytest.raises(ImportProblems) as caught:
        run_import("hxl", file, out=tmp_path / "review", data_dir=base, source_id=SOURCE_ID)
    mine = [p for p in caught.value.problems if p.file == "bad.csv"]
    assert [(p.row, p.column) for p in mine] == [(5, "#indicator+value+num")]
    assert not (tmp_path / "review").exists()


def test_a_required_column_without_its_tag(base, tmp_path):
    text = (EXAMPLES / "synthetic_clearance_hxl.csv").read_text(encoding="utf-8").replace("#x_measure,", "#x_what,")
    with pytest.raises(ImportProblems) as caught:
        run_import("hxl", write(tmp_path / "t.csv", text), out=tmp_path / "r", data_dir=base, source_id=SOURCE_ID)
    (problem,) = caught.value.problems
    assert "measure (#x_measure)" in problem.expected
