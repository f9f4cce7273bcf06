"""Helpers that break a copy of the real data/ tables in one specific way.

Every edit works on the copy's actual content (row numbers are looked up, never hard-coded), so
the corpus keeps testing the real tables as they grow. Rows are counted as the validator counts
them: the header is row 1, the first data row is row 2.
"""

from __future__ import annotations

import csv
import io
import struct
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from conftest import read_rows, set_cell, write_rows
from demining_sdg.inputs.problems import Problem


def png_bytes() -> bytes:
    """A valid 1 x 1 grey PNG image."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0)
    pixels = zlib.compress(b"\x00\x80")  # one scan line: filter byte, one grey pixel
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")


@dataclass(frozen=True)
class Spot:
    """One problem the validator must report: where, and words its 'expected' text must contain."""

    file: str
    row: int | None
    column: str | None
    text: str
    value: str | None = None  # checked when given

    def matches(self, problem: Problem) -> bool:
        return (
            (problem.file, problem.row, problem.column) == (self.file, self.row, self.column)
            and self.text in problem.expected
            and (self.value is None or problem.value == self.value)
        )


@dataclass
class Expected:
    """What validating the broken copy must give.

    ``spots`` are exactly the problems outside ``others`` (none = the copy is valid). ``others``
    admits follow-on problems of a stated kind; ``others_required`` says some must be there.
    """

    spots: list[Spot]
    others: Callable[[Problem], bool] | None = None
    others_required: bool = False
    verify: Callable[[object], None] | None = field(default=None)


# Reading and rewriting tables --------------------------------------------------------------


def row_index(path: Path, **conditions: str | Callable[[str], bool]) -> int:
    """Index (from 0) of the first data row whose cells meet every condition."""
    header, rows = read_rows(path)
    for index, row in enumerate(rows):
        cells = dict(zip(header, row))
        if all(test(cells[c]) if callable(test) else cells[c] == test for c, test in conditions.items()):
            return index
    raise LookupError(f"no row of {path.name} with {conditions}")


def spreadsheet_row(index: int) -> int:
    return index + 2


def cell(path: Path, index: int, column: str) -> str:
    header, rows = read_rows(path)
    return rows[index][header.index(column)]


def drop_column(path: Path, column: str) -> None:
    header, rows = read_rows(path)
    drop = header.index(column)
    keep = [i for i in range(len(header)) if i != drop]
    write_rows(path, [header[i] for i in keep], [[r[i] for i in keep] for r in rows])


def rename_column(path: Path, old: str, new: str) -> None:
    header, rows = read_rows(path)
    write_rows(path, [new if h == old else h for h in header], rows)


def add_column(path: Path, name: str, value: str) -> None:
    header, rows = read_rows(path)
    write_rows(path, [*header, name], [[*r, value] for r in rows])


def append_copy_of_row(path: Path, index: int) -> int:
    """Append a copy of data row ``index``; returns the new row's spreadsheet number."""
    header, rows = read_rows(path)
    rows.append(list(rows[index]))
    write_rows(path, header, rows)
    return len(rows) + 1


def keep_header_only(path: Path) -> None:
    header, _ = read_rows(path)
    write_rows(path, header, [])


def rewrite(path: Path, *, delimiter: str = ",", newline: str = "\n", encoding: str = "utf-8") -> None:
    header, rows = read_rows(path)
    write_rows(path, header, rows, delimiter=delimiter, newline=newline, encoding=encoding)


def replace_line(path: Path, line_index: int, edit: Callable[[str], str]) -> None:
    """Edit one physical line of the file as text (line 0 is the header)."""
    lines = path.read_text(encoding="utf-8").split("\n")
    lines[line_index] = edit(lines[line_index])
    path.write_text("\n".join(lines), encoding="utf-8")


def unquote(path: Path, text: str) -> None:
    """Remove the double quotes csv.writer put around ``text`` (it must occur once, quoted)."""
    content = path.read_text(encoding="utf-8")
    assert content.count(f'"{text}"') == 1, text
    path.write_text(content.replace(f'"{text}"', text), encoding="utf-8")


def first_non_ascii_cell(path: Path) -> tuple[int, str]:
    """(spreadsheet row, column) of the first data cell holding a non-ASCII character."""
    header, rows = read_rows(path)
    for index, row in enumerate(rows):
        for column, text in zip(header, row):
            if not text.isascii():
                return spreadsheet_row(index), column
    raise LookupError(f"{path.name} is pure ASCII")


def zip_of(path: Path) -> bytes:
    """The file packed into a ZIP archive (what an .xlsx renamed to .csv looks like at the start)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(path.name, path.read_bytes())
    return buffer.getvalue()


def write_big_copy(path: Path, target_bytes: int) -> int:
    """Grow the table to at least ``target_bytes`` by repeating its data rows; returns the size."""
    header, rows = read_rows(path)
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    block = buffer.getvalue().encode("utf-8")
    with open(path, "wb") as handle:
        handle.write((",".join(header) + "\n").encode("utf-8"))
        written = 0
        while written < target_bytes:
            handle.write(block)
            written += len(block)
    return path.stat().st_size


__all__ = [
    "Expected",
    "Spot",
    "add_column",
    "append_copy_of_row",
    "cell",
    "drop_column",
    "first_non_ascii_cell",
    "keep_header_only",
    "png_bytes",
    "read_rows",
    "rename_column",
    "replace_line",
    "rewrite",
    "row_index",
    "set_cell",
    "spreadsheet_row",
    "unquote",
    "write_big_copy",
    "write_rows",
    "zip_of",
]
