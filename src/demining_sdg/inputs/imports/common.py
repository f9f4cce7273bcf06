"""What every import shares: capped problems, the target folder, row ids, and validation of the result.

An import never edits rows that are there: it appends rows to a table of a *target data folder*.

* The default target is the review folder ``imports/review/`` of the project: on the first import it
  is a copy of ``data/`` (or of ``--data-dir``), and later imports append to it, so it can be
  checked (``validate --data-dir imports/review``, ``render --data-dir imports/review``) and
  compared with ``data/`` before anything reaches the published report.
* ``--out DIR`` names another target: a data folder (it has a ``datapackage.json``) gets the rows
  appended; an empty or new folder gets a copy of the base data folder first. ``--out data/``
  appends to the project's own data, which only happens when asked for by name.

The rows are appended to a staged copy and the whole copy is validated like any other input;
only a valid result replaces the target's tables (each file replaced whole, never half written).
The same export file cannot be imported twice into one folder: its SHA-256 is kept in the rows'
notes and looked for first.
"""

from __future__ import annotations

import csv
import io
import os
import re
import shutil
import tempfile
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np
import pandas as pd

from demining_sdg import paths
from demining_sdg.inputs.contract import load_contract
from demining_sdg.inputs.problems import DataProblems, Problem

REVIEW_DIR_NAME = "imports/review"
MAX_PROBLEMS_PER_CHECK = 20  # each kind of problem lists its first rows, then says how many more
MAX_PROBLEMS = 200
ID_PREFIXES = {"clearance": "CLR", "funding": "FUN", "casualties": "CAS"}


class ImportRefused(Exception):
    """The import cannot run as asked (an option, a missing source id, an import done before)."""

    def __init__(self, lines: list[str]):
        self.lines = lines
        super().__init__("; ".join(lines))


@dataclass
class ImportResult:
    """What an import produced: the rows per table, what was left out and why, derived figures."""

    file: Path
    format: str
    rows: dict[str, pd.DataFrame] = field(default_factory=dict)
    summary: list[str] = field(default_factory=list)
    derived: pd.DataFrame | None = None  # figures computed by the import (e.g. converted amounts)
    target: Path | None = None
    hints: list[str] = field(default_factory=list)
    # Per table: the import file's row of each new row, and its column (tag or header) per table column,
    # so that validation problems in new rows are reported where the user can fix them.
    file_rows: dict[str, list[int]] = field(default_factory=dict)
    file_columns: dict[str, dict[str, str]] = field(default_factory=dict)


class ProblemCollector:
    """Problems found over many rows at once: each check gives a mask over the file's rows; the
    first rows are listed, the others counted, so a million bad rows make a short report."""

    def __init__(self, file: str, row_numbers: np.ndarray | None = None):
        self.file = file
        self.row_numbers = row_numbers
        self.problems: list[Problem] = []
        self.failing: np.ndarray | None = None  # per row: how many columns failed (for the shift diagnosis)
        self.failing_columns: dict[str, np.ndarray] = {}

    def add(self, problem: Problem) -> None:
        self.problems.append(problem)

    def check(self, mask: np.ndarray | pd.Series, column: str, values: pd.Series, expected: str) -> int:
        """Report every row where ``mask`` is true; returns how many there are."""
        mask = np.asarray(mask, dtype=bool)
        count = int(mask.sum())
        if not count:
            return 0
        if self.failing is None:
            self.failing = np.zeros(len(mask), dtype=np.int16)
        if column not in self.failing_columns:
            self.failing_columns[column] = mask.copy()
            self.failing += mask
        else:
            new = mask & ~self.failing_columns[column]
            self.failing_columns[column] |= mask
            self.failing += new
        positions = np.flatnonzero(mask)[:MAX_PROBLEMS_PER_CHECK]
        shown = values.iloc[positions]
        for position, value in zip(positions, shown):
            self.problems.append(
                Problem(self.file, self.row_of(int(position)), column, None if pd.isna(value) else str(value), expected)
            )
        if count > len(positions):
            self.problems.append(
                Problem(
                    self.file,
                    None,
                    column,
                    None,
                    f"{expected} (and so in {count - len(positions):,} more rows not listed: {count:,} in all)",
                )
            )
        return count

    def row_of(self, position: int) -> int:
        """The spreadsheet row of the file's data row ``position`` (the header is row 1)."""
        if self.row_numbers is not None:
            return int(self.row_numbers[position])
        return position + 2

    def shifted_rows(self, threshold: int = 3) -> list[int]:
        if self.failing is None:
            return []
        return [self.row_of(int(p)) for p in np.flatnonzero(self.failing >= threshold)]

    def raise_if_any(self, hints: list[str] | None = None) -> None:
        if self.problems:
            raise ImportProblems(self.problems[:MAX_PROBLEMS], hints or [], len(self.problems))


class ImportProblems(DataProblems):
    """Bad input: the problems (capped) and the diagnoses of patterns across rows."""

    def __init__(self, problems: list[Problem], hints: list[str], total: int | None = None):
        super().__init__(problems)
        self.hints = hints
        self.total = total or len(problems)


def shift_hint(file: str, rows: list[int], columns: int = 3) -> str | None:
    """The diagnosis of cells moved by one column (as problems.diagnoses words it for data/)."""
    if not rows:
        return None
    listed = ", ".join(str(r) for r in rows[:5]) + (" …" if len(rows) > 5 else "")
    where = f"row {listed} has" if len(rows) == 1 else f"rows {listed} have"
    return (
        f"{file}: {where} problems in {columns} or more columns: a value is probably missing or extra "
        "(or a text holds a comma without double quotes), shifting the cells after it by one column. "
        "Compare the row with the header."
    )


def import_mark(path: Path, digest: str) -> str:
    """What the notes of every imported row say about where it comes from (also the re-import guard)."""
    return f"imported from {path.name} (sha256 {digest[:16]})"


def read_text_table(path: Path) -> pd.DataFrame:
    """A small table of a data folder as text (for ids, sources and the re-import guard)."""
    return pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")


def next_ids(existing: pd.Series, prefix: str, count: int, width: int = 3) -> list[str]:
    """``count`` unused ids ``<prefix>NNN`` after the highest one in use (ids are never reused)."""
    numbers = pd.to_numeric(existing.str.extract(rf"^{prefix}(\d+)$")[0], errors="coerce").dropna()
    start = int(numbers.max()) + 1 if len(numbers) else 1
    last = start + count - 1
    if last >= 10**width:
        raise ImportRefused(
            [
                f"{count:,} new rows need ids {prefix}{start:0{width}d} to {prefix}{last}, but the contract's ids "
                f"have {width} digits (at most {prefix}{10**width - 1}): import fewer periods (--periods) "
                "or a shorter span of dates"
            ]
        )
    return [f"{prefix}{n:0{width}d}" for n in range(start, last + 1)]


def default_target() -> Path:
    return paths.ROOT / REVIEW_DIR_NAME


def resolve_target(out: Path | None, base: Path) -> tuple[Path, Path]:
    """(target folder, folder whose tables the rows are appended to)."""
    target = (out or default_target()).resolve()
    if (target / paths.CONTRACT_FILE_NAME).is_file():
        return target, target
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise ImportRefused(
            [
                f"{target} is neither a data folder (no {paths.CONTRACT_FILE_NAME}) nor empty: "
                "name a data folder to append to, or a new folder"
            ]
        )
    if not (base / paths.CONTRACT_FILE_NAME).is_file():
        raise ImportRefused([f"{base} is not a data folder (no {paths.CONTRACT_FILE_NAME}): give --data-dir"])
    return target, base.resolve()


def check_source_id(folder: Path, source_id: str | None, what: str) -> str:
    if not source_id:
        raise ImportRefused(
            [
                f"--source-id: the id of the row of sources.csv that describes {what} "
                "(add the row first: title, publisher, date, and an excerpt from it)"
            ]
        )
    known = set(read_text_table(folder / "sources.csv")["source_id"].str.strip())
    if source_id not in known:
        raise ImportRefused([f"--source-id {source_id}: no such row in {folder.name}/sources.csv; add it first"])
    return source_id


def check_not_imported(folder: Path, tables: list[str], mark: str) -> None:
    for name in tables:
        frame = read_text_table(folder / f"{name}.csv")
        again = frame[frame["notes"].str.contains(mark, regex=False)]
        if len(again):
            ids = ", ".join(again.iloc[:3, 0]) + (" …" if len(again) > 3 else "")
            raise ImportRefused(
                [
                    f"this file was imported into {folder} already ({name}.csv rows {ids}): "
                    "remove those rows first to import it again"
                ]
            )


def _csv_text(frame: pd.DataFrame, columns: list[str]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    for record in frame.reindex(columns=columns).fillna("").astype(str).itertuples(index=False):
        writer.writerow(record)
    return buffer.getvalue()


def write_rows(result: ImportResult, out: Path | None, base: Path, validate=None) -> Path:
    """Append ``result.rows`` to the target folder's tables after validating the whole result."""
    from demining_sdg.inputs.validation import validate_data_dir

    validate = validate or validate_data_dir
    target, source = resolve_target(out, base)
    contract = load_contract(source)
    first_new: dict[str, int] = {}
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=".import-", dir=target.parent) as tmp:
        staged = Path(tmp) / "data"
        shutil.copytree(source, staged)
        for name, frame in result.rows.items():
            if frame is None or not len(frame):
                continue
            path = staged / contract.table(name).path
            first_new[contract.table(name).path] = len(record_lines(path)) + 1
            text = path.read_text(encoding="utf-8-sig")
            if text and not text.endswith("\n"):
                text += "\n"
            path.write_text(text + _csv_text(frame, contract.table(name).column_names), encoding="utf-8")
        checked = validate(staged)
        if checked.problems:
            tables = {contract.table(name).path: name for name in result.rows}
            raise ImportProblems(
                [_in_file(p, result, tables, first_new) for p in checked.problems][:MAX_PROBLEMS],
                [
                    "the imported rows were appended to a copy of the target folder, which is not valid "
                    "(problems above); nothing was written"
                ],
                len(checked.problems),
            )
        if source != target:  # a new folder: the validated copy becomes the target, whole, in one rename
            if target.is_dir():
                target.rmdir()  # empty (checked above)
            os.replace(staged, target)
        else:
            for name, frame in result.rows.items():
                if frame is not None and len(frame):
                    file = contract.table(name).path
                    staged_file = staged / file
                    temporary = target / f".{file}.importing"
                    shutil.copyfile(staged_file, temporary)
                    os.replace(temporary, target / file)
    result.target = target
    return target


def _in_file(problem: Problem, result: ImportResult, tables: dict[str, str], first_new: dict[str, int]) -> Problem:
    """A problem of a new row, placed at the import file's row and column where the import knows them;
    others stay where they are in the target's tables (same names, same row numbers)."""
    table = tables.get(problem.file)
    if table is None or problem.row is None or problem.row < first_new.get(problem.file, 1 << 62):
        return problem
    rows = result.file_rows.get(table)
    if not rows:
        return replace(problem, expected=f"{problem.expected} (a row made by the import of {result.file.name})")
    column = result.file_columns.get(table, {}).get(problem.column or "", problem.column)
    return replace(
        problem,
        file=result.file.name,
        row=rows[problem.row - first_new[problem.file]],
        column=column,
        expected=f"{problem.expected} (for {table}.csv column {problem.column})"
        if problem.column
        else problem.expected,
    )


def record_lines(path: Path) -> list[str]:
    """Each record's own text, verbatim (a quoted cell may span lines): the excerpt of a record."""
    text = path.read_text(encoding="utf-8-sig")
    out, buffer = [], io.StringIO(text, newline="")
    reader = csv.reader(buffer)
    position = 0
    for _ in reader:
        end = buffer.tell()
        out.append(text[position:end].rstrip("\r\n"))
        position = end
    return out


HEADER_NAME = re.compile(r"[^a-z0-9]+")


def normal_name(name: str) -> str:
    """'Value Date', 'value-date', ' value_date ' -> 'value_date'."""
    return HEADER_NAME.sub("_", str(name).strip().lower()).strip("_")
