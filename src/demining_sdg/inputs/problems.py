"""Data problems as a user reads them: file, row, column, value, what was expected."""

from __future__ import annotations

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
        if self.column:
            where += f", column '{self.column}'"
        value = f": value {self.shown_value()}" if self.value is not None else ""
        return f"{where}{value}: expected {self.expected}"


class DataProblems(Exception):
    """Raised when the input tables break their contract."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(problems, key=_sort_key)
        super().__init__(f"{len(problems)} data problem(s); first: {self.problems[0].as_line()}")


def _sort_key(problem: Problem) -> tuple:
    return (problem.file, problem.row or 0, problem.column or "", problem.expected)


def print_problems(problems: list[Problem], console: Console, limit_per_file: int = 40) -> None:
    """Print every problem as one table (capped per file, with the number left out said)."""
    table = Table(title=f"{len(problems)} problem(s) in the input data", show_lines=False)
    for header in ("file", "row", "column", "value", "expected"):
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
            Text(problem.column or ""),
            Text(problem.shown_value()),
            Text(problem.expected),
        )
    console.print(table)
    for file, count in left_out.items():
        console.print(Text(f"… and {count} more problem(s) in {file} not shown."))
