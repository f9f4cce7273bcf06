"""The validator passes on data/ and fails, with file/row/column messages, on broken copies."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import read_rows, run_cli_process, set_cell, write_rows
from demining_sdg.inputs.validation import validate_data_dir


def problems_in(data_dir: Path):
    return validate_data_dir(data_dir).problems


def test_the_project_data_is_valid(project_validation):
    result = project_validation
    assert result.problems == []
    assert {"sources", "clearance", "casualties", "funding", "population"} <= set(result.tables)


@pytest.mark.subprocess
def test_cli_validate_passes_on_the_project_data():
    done = run_cli_process("validate")
    assert done.returncode == 0, done.stderr
    assert "Valid" in done.stderr


def test_removed_required_column(data_copy: Path):
    path = data_copy / "casualties.csv"
    header, rows = read_rows(path)
    drop = header.index("value")
    write_rows(
        path, [h for i, h in enumerate(header) if i != drop], [[c for i, c in enumerate(r) if i != drop] for r in rows]
    )
    [problem] = [p for p in problems_in(data_copy) if p.file == "casualties.csv"]
    assert (problem.row, problem.column) == (1, "value")
    assert "present" in problem.expected


def test_negative_count(data_copy: Path):
    row = set_cell(data_copy / "clearance.csv", 3, "value", "-5")
    problems = problems_in(data_copy)
    assert any(
        p.file == "clearance.csv" and p.row == row and p.column == "value" and "at least 0" in p.expected
        for p in problems
    )


def test_text_in_a_numeric_column(data_copy: Path):
    row = set_cell(data_copy / "population.csv", 0, "value", "ten million")
    [problem] = [p for p in problems_in(data_copy) if p.file == "population.csv"]
    assert (problem.row, problem.column, problem.value) == (row, "value", "ten million")
    assert "number" in problem.expected


def test_thousands_separator_is_not_a_number(data_copy: Path):
    row = set_cell(data_copy / "population.csv", 1, "value", "9,173,082")
    problems = [p for p in problems_in(data_copy) if p.file == "population.csv"]
    assert [(p.row, p.column) for p in problems] == [(row, "value")]


def test_unknown_source_id(data_copy: Path):
    row = set_cell(data_copy / "funding.csv", 5, "source_id", "S999")
    problems = [p for p in problems_in(data_copy) if p.file == "funding.csv"]
    assert [(p.row, p.column, p.value) for p in problems] == [(row, "source_id", "S999")]
    assert "sources" in problems[0].expected


def test_duplicate_key(data_copy: Path):
    path = data_copy / "casualties.csv"
    header, rows = read_rows(path)
    rows.append(list(rows[0]))
    write_rows(path, header, rows)
    problems = [p for p in problems_in(data_copy) if p.file == "casualties.csv"]
    assert problems, "a duplicated obs_id must be reported"
    assert all("unique" in p.expected for p in problems)
    assert {p.row for p in problems} >= {len(rows) + 1}


def test_date_in_the_wrong_format(data_copy: Path):
    row = set_cell(data_copy / "casualties.csv", 2, "period_end", "31/12/2014")
    problems = [p for p in problems_in(data_copy) if p.file == "casualties.csv"]
    assert any(p.row == row and p.column == "period_end" and "YYYY-MM-DD" in p.expected for p in problems)


def test_impossible_date(data_copy: Path):
    row = set_cell(data_copy / "casualties.csv", 2, "period_end", "2014-02-30")
    problems = [p for p in problems_in(data_copy) if p.file == "casualties.csv"]
    assert any(p.row == row and p.column == "period_end" for p in problems)


def test_unknown_currency(data_copy: Path):
    path = data_copy / "funding.csv"
    header, rows = read_rows(path)
    index = next(i for i, r in enumerate(rows) if r[header.index("unit")] == "EUR")
    row = set_cell(path, index, "unit", "XEU")
    problems = [p for p in problems_in(data_copy) if p.file == "funding.csv"]
    assert [(p.row, p.column, p.value) for p in problems] == [(row, "unit", "XEU")]
    assert "ISO 4217" in problems[0].expected


def test_currency_without_a_rate_for_its_year(data_copy: Path):
    path = data_copy / "ecb_reference_rates.csv"
    header, rows = read_rows(path)
    write_rows(path, header, [r for r in rows if not (r[0].startswith("2022") and r[1] == "GBP")])
    problems = [p for p in problems_in(data_copy) if p.file == "funding.csv"]
    assert problems and all(p.column == "value_date" and "GBP" in p.expected for p in problems)


def test_file_saved_with_semicolons(data_copy: Path):
    path = data_copy / "population.csv"
    header, rows = read_rows(path)
    write_rows(path, header, rows, delimiter=";")
    [problem] = [p for p in problems_in(data_copy) if p.file == "population.csv"]
    assert problem.row == 1 and "semicolons" in problem.expected


def test_empty_file(data_copy: Path):
    (data_copy / "sdg_values.csv").write_bytes(b"")
    [problem] = [p for p in problems_in(data_copy) if p.file == "sdg_values.csv"]
    assert "header row" in problem.expected


def test_excel_bom_and_crlf_are_read(data_copy: Path):
    path = data_copy / "population.csv"
    header, rows = read_rows(path)
    write_rows(path, header, rows, newline="\r\n", encoding="utf-8-sig")
    assert problems_in(data_copy) == []


def test_period_end_before_start(data_copy: Path):
    path = data_copy / "clearance.csv"
    header, rows = read_rows(path)
    index = next(i for i, r in enumerate(rows) if r[header.index("period_start")] and r[header.index("period_end")])
    row = set_cell(path, index, "period_end", "1990-01-01")
    problems = [p for p in problems_in(data_copy) if p.file == "clearance.csv" and p.row == row]
    assert any(p.column == "period_end" and "on or after period_start" in p.expected for p in problems)


def test_killed_plus_injured_must_equal_total(data_copy: Path):
    path = data_copy / "casualties.csv"
    header, rows = read_rows(path)
    col = {name: header.index(name) for name in header}
    keys = ["iso3", "programme_scope", "population_group", "period_start", "period_end", "period_type", "source_id"]
    groups: dict[tuple, dict[str, int]] = {}
    for i, r in enumerate(rows):
        if r[col["unit"]] == "persons" and not r[col["quality_flag"]]:
            groups.setdefault(tuple(r[col[k]] for k in keys), {})[r[col["outcome"]]] = i
    complete = next(g for g in groups.values() if {"killed", "injured", "total"} <= set(g))
    total_index = complete["total"]
    row = set_cell(path, total_index, "value", str(int(float(rows[total_index][col["value"]])) + 1))
    problems = [p for p in problems_in(data_copy) if p.file == "casualties.csv"]
    assert [(p.row, p.column) for p in problems] == [(row, "value")]
    assert "killed + injured = total" in problems[0].expected


def test_all_problems_are_reported_at_once(data_copy: Path):
    set_cell(data_copy / "population.csv", 0, "value", "x")
    set_cell(data_copy / "funding.csv", 0, "source_id", "S998")
    (data_copy / "sdg_values.csv").write_bytes(b"")
    files = {p.file for p in problems_in(data_copy)}
    assert {"population.csv", "funding.csv", "sdg_values.csv"} <= files


@pytest.mark.subprocess
def test_cli_prints_a_table_and_no_traceback(data_copy: Path):
    set_cell(data_copy / "population.csv", 0, "value", "ten million")
    (data_copy / "funding.csv").write_text("a;b;c\n1;2;3\n", encoding="utf-8")
    done = run_cli_process("validate", "--data-dir", str(data_copy))
    assert done.returncode == 1
    assert "Traceback" not in done.stderr + done.stdout
    assert "population.csv" in done.stderr and "ten million" in done.stderr
    assert "semicolons" in done.stderr


def test_a_table_checked_before_is_checked_again_when_its_bytes_change(data_copy: Path):
    """Tables are checked once per content: a changed cell is found after the same folder passed, the
    fixed file passes again, and what one caller changes in its frames is not what the next one reads."""
    first = validate_data_dir(data_copy)
    assert first.ok
    first.tables["clearance"].loc[:, "value"] = "changed by a caller"
    path = data_copy / "clearance.csv"
    header, rows = read_rows(path)
    before = rows[0][header.index("value")]
    row = set_cell(path, 0, "value", "-5")
    broken = validate_data_dir(data_copy)
    assert [(p.file, p.row, p.column) for p in broken.problems if p.value == "-5"] == [("clearance.csv", row, "value")]
    set_cell(path, 0, "value", before)
    again = validate_data_dir(data_copy)
    assert again.ok and again.tables["clearance"]["value"].iloc[0] == before
