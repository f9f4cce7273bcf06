"""Data problems as a user reads them: file, row, column, value, what was expected."""

from __future__ import annotations

import csv
import json
import re
from dataclasses import dataclass

from rich.console import Console
from rich.table import Table
from rich.text import Text

MAX_VALUE_CHARS = 60


@dataclass(frozen=True, order=True)
class Problem:
    """One problem in one place. ``row`` counts as a spreadsheet does: the header is row 1."""

    file: str
    row: int | None
    column: str | None
    value: str | None
    expected: str
    record: str | None = None  # the row's id (obs_id, source_id, ...) where the table has one

    def shown_value(self) -> str:
        if self.value is None:
            return ""
        # Control characters, NUL and undecodable bytes are shown escaped (\n, \x00, \udce9).
        head = self.value[: MAX_VALUE_CHARS + 1]
        text = "".join(char if char.isprintable() else repr(char)[1:-1] for char in head)
        if len(text) > MAX_VALUE_CHARS:
            text = f"{text[:MAX_VALUE_CHARS]}… ({len(self.value):,} characters)"
        return repr(text) if text.strip() != text or not text else text

    def as_line(self) -> str:
        where = self.file
        if self.row is not None:
            where += f", row {self.row}"
        if self.record:
            where += f" ({self.record})"
        if self.column:
            where += f", column '{self.column}'"
        value = f": value {self.shown_value()}" if self.value is not None else ""
        return f"{where}{value}: expected {self.expected}"

    def as_compiler_line(self) -> str:
        """'clearance.csv:156: column value (CLR156): '7,143': expected …' — one line, whole file name,
        the form compilers and linters use, so logs can be searched and editors can jump to it."""
        parts = [f"{self.file}:{self.row}:" if self.row is not None else f"{self.file}:"]
        if self.column:
            parts.append(f"column {self.column}" + (f" ({self.record})" if self.record else "") + ":")
        elif self.record:
            parts.append(f"({self.record}):")
        if self.value is not None:
            parts.append(f"{self.shown_value()}:")
        parts.append(f"expected {self.expected}")
        return " ".join(parts)

    def as_record(self) -> dict[str, object]:
        return {
            "file": self.file,
            "row": self.row,
            "record": self.record,
            "column": self.column,
            "value": self.value,
            "expected": self.expected,
        }


class DataProblems(Exception):
    """Raised when the input tables break their contract."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(problems, key=_sort_key)
        super().__init__(f"{len(problems)} data problem(s); first: {self.problems[0].as_line()}")


def _sort_key(problem: Problem) -> tuple:
    return (problem.file, problem.row or 0, problem.column or "", problem.expected)


DATE_DMY = re.compile(r"^\d{1,2}[./]\d{1,2}[./]\d{2,4}$")
DECIMAL_COMMA = re.compile(r"^-?\d+,\d{1,2}$")
THOUSANDS = re.compile(r"^-?\d{1,3}([,. \u00a0]\d{3})+([.,]\d+)?$")


def diagnoses(problems: list[Problem], threshold: int = 3) -> list[str]:
    """One line for a pattern across many rows, with its likely cause and the fix."""
    found = []
    by_file: dict[str, list[Problem]] = {}
    for problem in problems:
        by_file.setdefault(problem.file, []).append(problem)
    for file, items in by_file.items():
        typed = [p for p in items if p.expected.startswith(("a plain number", "a whole number", "a date"))]
        values = [p.value or "" for p in typed]
        dmy = sum(bool(DATE_DMY.match(v)) for v in values)
        if dmy >= threshold:
            found.append(
                f"{file}: {dmy} dates are written like dd/mm/yyyy. A spreadsheet probably re-wrote them when "
                "the file was saved; format the date columns as yyyy-mm-dd (e.g. 2024-03-16) and save as CSV UTF-8."
            )
        commas = sum(bool(DECIMAL_COMMA.match(v)) for v in values)
        if commas >= threshold:
            found.append(
                f"{file}: {commas} numbers use a decimal comma (e.g. 12,5). Save the file with '.' as the decimal "
                "mark (a spreadsheet's regional settings decide this)."
            )
        thousands = sum(bool(THOUSANDS.match(v)) for v in values) - commas
        if thousands >= threshold:
            found.append(
                f"{file}: {thousands} numbers carry thousands separators (e.g. 7,143). Write plain numbers (7143); "
                "keep the source's wording in value_as_reported."
            )
        rows: dict[int, set[str]] = {}
        for p in items:
            if p.row is not None and p.column:
                rows.setdefault(p.row, set()).add(p.column)
        shifted = sorted(r for r, columns in rows.items() if len(columns) >= 4)
        if shifted:
            listed = ", ".join(str(r) for r in shifted[:5]) + (" …" if len(shifted) > 5 else "")
            found.append(
                f"{file}: rows {listed} have problems in 4 or more columns: a value is probably missing or extra, "
                "shifting the cells after it by one column. Compare the row with the header."
            )
    return found


def print_problems(problems: list[Problem], console: Console, limit_per_file: int = 40) -> None:
    """Every problem, then the diagnoses of patterns. On a terminal: one table (capped per file,
    with the number left out said). In a log or a pipe: one line per problem, never wrapped."""
    if not console.is_terminal:
        lines = [p.as_compiler_line() for p in sorted(problems, key=_sort_key)]
        lines += [f"hint: {line}" for line in diagnoses(problems)]
        console.file.write("\n".join(lines) + "\n")
        console.file.flush()
        return
    table = Table(title=f"{len(problems)} problem(s) in the input data", show_lines=False)
    for header in ("file", "row", "id", "column", "value", "expected"):
        table.add_column(header, overflow="fold")
    shown_per_file: dict[str, int] = {}
    left_out: dict[str, int] = {}
    for problem in sorted(problems, key=_sort_key):
        count = shown_per_file.get(problem.file, 0)
        if count >= limit_per_file:
            left_out[problem.file] = left_out.get(problem.file, 0) + 1
            continue
        shown_per_file[problem.file] = count + 1
        # Text(), not str: cell values such as "[/b]" must print as they are, not as console markup.
        table.add_row(
            Text(problem.file),
            "" if problem.row is None else str(problem.row),
            Text(problem.record or ""),
            Text(problem.column or ""),
            Text(problem.shown_value()),
            Text(problem.expected),
        )
    console.print(table)
    for file, count in left_out.items():
        console.print(
            Text(f"… and {count} more problem(s) in {file} not shown (validate --format csv lists them all).")
        )
    for line in diagnoses(problems):
        console.print(Text(f"Hint: {line}"))


def write_problems(problems: list[Problem], fmt: str, stream) -> None:
    """The problem table for spreadsheets (csv) and scripts (json)."""
    records = [p.as_record() for p in sorted(problems, key=_sort_key)]
    if fmt == "json":
        json.dump({"problems": records, "hints": diagnoses(problems)}, stream, indent=1, ensure_ascii=False)
        stream.write("\n")
        return
    writer = csv.DictWriter(
        stream, fieldnames=["file", "row", "record", "column", "value", "expected"], lineterminator="\n"
    )
    writer.writeheader()
    writer.writerows(records)
