"""Problems a person and a log can act on: period types checked against their dates, plausibility
checks, one whole line per problem in a log, csv/json output, hints for patterns and typos."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from conftest import read_rows, run_cli, write_rows
from demining_sdg.inputs.validation import validate_data_dir


def _template(header: list[str], rows: list[list[str]], **match: str) -> list[str]:
    return next(r for r in rows if all(r[header.index(k)] == v for k, v in match.items()))


def _add_row(data_dir: Path, table: str, changes: dict[str, str], **match: str) -> int:
    """Append a copy of the first row matching ``match`` with ``changes``; returns its spreadsheet row."""
    path = data_dir / f"{table}.csv"
    header, rows = read_rows(path)
    added = list(_template(header, rows, **match))
    for column, value in changes.items():
        added[header.index(column)] = value
    write_rows(path, header, rows + [added])
    return len(rows) + 2


WEEKLY = {
    "obs_id": "CLR901",
    "period_start": "2025-03-10",
    "period_end": "2025-03-16",
    "value": "1651",
    "unit": "ha",
    "value_as_reported": "1,651 hectares",
    "quality_flag": "",
    "excerpt": "Synthetic test excerpt: 1,651 hectares cleared in the week",
}
FOCUS_AREA = {"measure": "area_cleared", "programme_scope": "post_2020_regained_territories"}


@pytest.mark.parametrize("typed", ["annual", "cumulative"])
def test_a_weekly_row_typed_annual_or_cumulative_is_rejected_with_file_row_and_id(data_copy: Path, typed: str):
    row = _add_row(data_copy, "clearance", {**WEEKLY, "period_type": typed}, **FOCUS_AREA)
    problems = [p for p in validate_data_dir(data_copy).problems if p.row == row]
    assert problems, "a week's figure typed as a whole year or a running total must be rejected"
    assert {p.file for p in problems} == {"clearance.csv"} and {p.record for p in problems} == {"CLR901"}
    assert any("weekly" in p.expected for p in problems)


def test_a_weekly_row_typed_weekly_is_valid(data_copy: Path):
    _add_row(data_copy, "clearance", {**WEEKLY, "period_type": "weekly"}, **FOCUS_AREA)
    assert validate_data_dir(data_copy).problems == []


def test_a_running_total_that_falls_is_flagged(data_copy: Path):
    header, rows = read_rows(data_copy / "clearance.csv")
    latest = max(
        (
            r
            for r in rows
            if r[header.index("period_type")] == "cumulative"
            and r[header.index("qualifier")] == "exact"
            and not r[header.index("quality_flag")]
            and r[header.index("period_end")]
        ),
        key=lambda r: r[header.index("period_end")],
    )
    lower = str(int(float(latest[header.index("value")]) // 2))
    row = _add_row(
        data_copy,
        "clearance",
        {
            "obs_id": "CLR902",
            "period_end": "2026-11-30",
            "value": lower,
            "value_as_reported": lower,
            "excerpt": f"Synthetic excerpt {lower}",
        },
        obs_id=latest[0],
    )
    found = [p for p in validate_data_dir(data_copy).problems if p.row == row]
    assert found and found[0].column == "value" and found[0].record == "CLR902"
    assert "earlier CLR" in found[0].expected and "inconsistent_with_series" in found[0].expected


def test_problems_in_a_log_are_one_whole_line_each_with_hints(data_copy: Path):
    path = data_copy / "clearance.csv"
    header, rows = read_rows(path)
    for r in rows[:6]:
        y, m, d = r[header.index("period_end")].split("-")
        r[header.index("period_end")] = f"{d}/{m}/{y}"
    rows[7][header.index("source_id")] = "S0233"
    write_rows(path, header, rows)
    done = run_cli("validate", "--data-dir", str(data_copy))
    assert done.returncode == 1
    lines = [line for line in done.stderr.splitlines() if line.startswith("clearance.csv:")]
    assert len(lines) >= 7 and all(line.count("clearance.csv") >= 1 for line in lines)
    assert any(line.startswith("clearance.csv:9: column source_id (") and "did you mean" in line for line in lines)
    assert any(line.startswith("hint: clearance.csv:") and "dd/mm/yyyy" in line for line in done.stderr.splitlines())


@pytest.mark.parametrize("fmt", ["json", "csv"])
def test_the_problem_table_as_json_or_csv(data_copy: Path, fmt: str):
    path = data_copy / "funding.csv"
    header, rows = read_rows(path)
    rows[0][header.index("value")] = "12,5"
    write_rows(path, header, rows)
    done = run_cli("validate", "--data-dir", str(data_copy), "--format", fmt)
    assert done.returncode == 1
    if fmt == "json":
        problems = json.loads(done.stdout)["problems"]
    else:
        problems = list(csv.DictReader(io.StringIO(done.stdout)))
    assert problems and problems[0]["file"] == "funding.csv" and str(problems[0]["row"]) == "2"
    assert problems[0]["record"] == rows[0][0]
