"""Reading the input CSV files as text, with file-level problems reported, never raised raw.

Files saved by Excel are accepted: UTF-8 with a byte-order mark, CRLF line ends. Anything else
that cannot be read as comma-separated UTF-8 text becomes a :class:`Problem`, placed at the
row and column of the first offending cell where there is one.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections.abc import Callable
from pathlib import Path

import pandas as pd

from demining_sdg.inputs.contract import TableContract
from demining_sdg.inputs.problems import Problem

MAX_FILE_BYTES = 25 * 1024 * 1024
csv.field_size_limit(MAX_FILE_BYTES)
SAVE_AS_CSV = "save the file as 'CSV UTF-8 (comma delimited)'"
# Leading bytes of file types that users save or rename by mistake.
BINARY_SIGNATURES = (
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"%PDF", "a PDF document"),
    (b"PK\x03\x04", "a ZIP archive (an Excel .xlsx workbook is one)"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old Excel (.xls) or other Office file"),
    (b"\x1f\x8b", "a gzip archive"),
)
UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
UNDECODED_BYTE = re.compile("[\udc80-\udcff]")  # what errors="surrogateescape" makes of a non-UTF-8 byte


def read_table_text(path: Path, contract: TableContract) -> tuple[pd.DataFrame | None, list[Problem]]:
    """Read one CSV as strings. Returns (frame or None, problems found at file or header level)."""
    name = path.name
    if path.is_dir():
        folder = f"a CSV file for table '{contract.name}'; {contract.path} is a folder"
        return None, [Problem(name, None, None, None, folder)]
    if not path.is_file():
        return None, [Problem(name, None, None, None, f"the file {contract.path} (table '{contract.name}') to exist")]
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        return None, [
            Problem(
                name, None, None, f"{size / 1024 / 1024:.0f} MB", f"a file under {MAX_FILE_BYTES // 1024 // 1024} MB"
            )
        ]
    try:
        raw = path.read_bytes()
    except OSError as exc:
        return None, [Problem(name, None, None, None, f"a readable file ({exc.strerror or exc})")]
    if not raw.removeprefix(codecs.BOM_UTF8).strip():
        return None, [Problem(name, 1, None, None, "a header row with the columns " + ", ".join(contract.column_names))]
    try:
        text = raw.decode("utf-8")
        decodable = True
    except UnicodeDecodeError:
        # Undecodable bytes become lone surrogates, so the file can still be parsed to locate them.
        text = raw.decode("utf-8", errors="surrogateescape")
        decodable = False
    if raw.startswith(UTF16_BOMS) or _looks_utf16(raw):
        return None, [Problem(name, None, None, None, f"UTF-8 text; this file is UTF-16 encoded: {SAVE_AS_CSV}")]
    kind = _binary_kind(raw, decodable)
    if kind:
        return None, [Problem(name, None, None, None, f"a text (CSV) file; this file is {kind}")]
    text = text.removeprefix("\ufeff")
    header_line = text.split("\n", 1)[0].rstrip("\r")
    if not header_line.strip():
        return None, [Problem(name, 1, None, None, "the header row on the first line; the first line is blank")]
    delimiter_problem = _delimiter_problem(name, header_line)
    if delimiter_problem:
        return None, [delimiter_problem]
    if not decodable:
        row, column, cell = _first_cell(text, UNDECODED_BYTE.search)
        bad = next(UNDECODED_BYTE.finditer(cell)).start()
        around = cell[max(0, bad - 20) : bad + 20].encode("utf-8", "surrogateescape")
        return None, [
            Problem(
                name,
                row,
                column,
                around.decode("utf-8", "backslashreplace"),
                "UTF-8 text; this cell has bytes that are not UTF-8 (the file was probably saved as "
                f"Windows-1252/Latin-1): {SAVE_AS_CSV}",
            )
        ]
    if "\x00" in text:
        row, column, cell = _first_cell(text, lambda cell: "\x00" in cell)
        nul = cell.index("\x00")
        around = cell[max(0, nul - 20) : nul + 20]
        return None, [Problem(name, row, column, around, "text without NUL (\\x00) bytes; this cell holds some")]
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader)
        problems = _header_problems(name, header, contract)
        if problems:
            return None, problems
        records: list[list[str]] = []
        row_numbers: list[int] = []
        for row_number, row in enumerate(reader, start=2):
            if not "".join(row).strip():  # a blank line, or only empty cells
                continue
            if len(row) != len(header):
                problems.append(Problem(name, row_number, None, None, _field_count_expectation(row, len(header))))
                continue
            records.append(row)
            row_numbers.append(row_number)
    except csv.Error as exc:
        return None, [Problem(name, reader.line_num, None, None, f"well-formed CSV ({exc})")]
    if problems:
        return None, problems
    frame = pd.DataFrame(records, columns=header, index=pd.Index(row_numbers, name="row"), dtype=object)
    return frame, []


def _binary_kind(raw: bytes, decodable: bool) -> str | None:
    for signature, kind in BINARY_SIGNATURES:
        if raw.startswith(signature):
            return kind
    nul_count = raw.count(b"\x00")
    if nul_count and (not decodable or nul_count > len(raw) // 100):
        return "binary data, not text"
    return None


def _looks_utf16(raw: bytes) -> bool:
    """UTF-16 without a byte-order mark: text whose every other byte is NUL."""
    head = raw[:400]
    if len(head) < 8:
        return False
    even, odd = head[0::2], head[1::2]
    return (odd.count(0) > 0.9 * len(odd) and even.count(0) < 0.1 * len(even)) or (
        even.count(0) > 0.9 * len(even) and odd.count(0) < 0.1 * len(odd)
    )


def _first_cell(text: str, predicate: Callable[[str], object]) -> tuple[int, str | None, str]:
    """(spreadsheet row, column name or None, cell) of the first cell matching ``predicate``."""
    reader = csv.reader(io.StringIO(text, newline=""))
    header: list[str] = []
    for row_number, record in enumerate(reader, start=1):
        if row_number == 1:
            header = record
        for index, cell in enumerate(record):
            if predicate(cell):
                column = header[index].strip() if row_number > 1 and index < len(header) else None
                return row_number, column, cell
    raise AssertionError("no cell matches")  # unreachable: callers checked the text holds a match


def _field_count_expectation(row: list[str], expected: int) -> str:
    line_ends = sum(cell.count("\n") for cell in row)
    if line_ends:
        return (
            f"a closing double quote: a quoted text in this row runs on over {line_ends} line end(s), "
            f"so the row has {len(row)} fields instead of {expected}"
        )
    return f"{expected} comma-separated fields; found {len(row)} (a text containing a comma must be in double quotes)"


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
        if column not in seen:  # a name with stray spaces is reported above, not as missing
            problems.append(Problem(name, 1, column, None, "this column to be present (it is in the contract)"))
    for column in columns:
        if not column.strip():
            problems.append(Problem(name, 1, None, "", "a name for every column (an empty header cell was found)"))
        elif column.strip() not in expected:
            problems.append(Problem(name, 1, column, column, "only the contract's columns: " + ", ".join(expected)))
    return problems
