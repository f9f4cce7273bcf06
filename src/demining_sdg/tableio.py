"""Reading the input CSV files as text, with file-level problems reported, never raised raw.

Files saved by Excel are accepted: UTF-8 with a byte-order mark, CRLF line ends. Anything else
that cannot be read as comma-separated UTF-8 text becomes a :class:`Problem`.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pandas as pd

from demining_sdg.contract import TableContract
from demining_sdg.problems import Problem

MAX_FILE_BYTES = 25 * 1024 * 1024
csv.field_size_limit(MAX_FILE_BYTES)


def read_table_text(path: Path, contract: TableContract) -> tuple[pd.DataFrame | None, list[Problem]]:
    """Read one CSV as strings. Returns (frame or None, problems found at file or header level)."""
    name = path.name
    if not path.is_file():
        return None, [Problem(name, None, None, None, f"the file {contract.path} (table '{contract.name}') to exist")]
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        return None, [
            Problem(name, None, None, f"{size / 1024 / 1024:.0f} MB", f"a file under {MAX_FILE_BYTES // 1024 // 1024} MB")
        ]
    raw = path.read_bytes()
    if not raw.strip():
        return None, [Problem(name, 1, None, None, "a header row with the columns " + ", ".join(contract.column_names))]
    if b"\x00" in raw:
        return None, [Problem(name, None, None, None, "a text (CSV) file; this file holds binary data")]
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        return None, [
            Problem(
                name,
                line,
                None,
                raw[exc.start : exc.start + 8].hex(" "),
                "UTF-8 text; save the file as 'CSV UTF-8 (comma delimited)'",
            )
        ]
    header_line = text.splitlines()[0]
    delimiter_problem = _delimiter_problem(name, header_line)
    if delimiter_problem:
        return None, [delimiter_problem]
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader)
        problems = _header_problems(name, header, contract)
        if problems:
            return None, problems
        records: list[list[str]] = []
        row_numbers: list[int] = []
        for row_number, row in enumerate(reader, start=2):
            if not any(cell.strip() for cell in row):
                continue
            if len(row) != len(header):
                problems.append(
                    Problem(
                        name,
                        row_number,
                        None,
                        None,
                        f"{len(header)} comma-separated fields; found {len(row)} "
                        "(a text containing a comma must be in double quotes)",
                    )
                )
                continue
            records.append(row)
            row_numbers.append(row_number)
    except csv.Error as exc:
        return None, [Problem(name, reader.line_num, None, None, f"well-formed CSV ({exc})")]
    if problems:
        return None, problems
    frame = pd.DataFrame(records, columns=header, index=pd.Index(row_numbers, name="row"), dtype=object)
    return frame, []


def _delimiter_problem(name: str, header_line: str) -> Problem | None:
    if "," in header_line:
        return None
    for delimiter, word in ((";", "semicolons"), ("\t", "tabs"), ("|", "pipes")):
        if delimiter in header_line:
            return Problem(
                name,
                1,
                None,
                header_line,
                f"comma-separated columns; this file is separated by {word} "
                "(in Excel choose 'CSV UTF-8 (comma delimited)')",
            )
    return None


def _header_problems(name: str, columns: list[str], contract: TableContract) -> list[Problem]:
    problems: list[Problem] = []
    seen: set[str] = set()
    for column in columns:
        clean = column.strip()
        if clean in seen:
            problems.append(Problem(name, 1, column, column, "each column name once"))
        seen.add(clean)
        if clean != column:
            problems.append(Problem(name, 1, column, column, f"the column name without surrounding spaces: '{clean}'"))
    expected = contract.column_names
    for column in expected:
        if column not in columns:
            problems.append(Problem(name, 1, column, None, "this column to be present (it is in the contract)"))
    for column in columns:
        if not column.strip():
            problems.append(Problem(name, 1, None, "", "a name for every column (an empty header cell was found)"))
        elif column.strip() not in expected:
            problems.append(
                Problem(name, 1, column, column, "only the contract's columns: " + ", ".join(expected))
            )
    return problems
