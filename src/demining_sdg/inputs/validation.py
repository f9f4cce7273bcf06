"""Validation of the input tables against their contract, and the rules that span tables.

The contract (``datapackage.json``, Frictionless Table Schema) becomes one pandera schema per
table, made of pandera's own checks (``isin``, ``str_matches``, ``ge``, ``le``, ``in_range``,
uniqueness, nullability) run lazily on the table's cells read once (:mod:`.cells`). The rules no
library has (period types against dates, plausibility, excerpts, foreign keys with suggestions)
are in :mod:`.crosschecks` and :mod:`.excerpts`. All problems are returned at once, so a user
fixing a spreadsheet sees everything in one pass.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import OrderedDict
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd
import pandera.pandas as pa

from demining_sdg import paths
from demining_sdg.inputs import crosschecks
from demining_sdg.inputs.cells import (
    BOOLEAN_VALUES,
    DATE_PATTERN,
    INTEGER_PATTERN,
    NUMBER_PATTERN,
    STORABLE_INTEGER_PATTERN,
    Cells,
    read_cells,
)
from demining_sdg.inputs.contract import (
    TYPE_WORDS,
    ContractError,
    DataContract,
    FieldSpec,
    TableContract,
    load_contract,
)
from demining_sdg.inputs.crosschecks import suggestion
from demining_sdg.inputs.excerpts import excerpt_problems
from demining_sdg.inputs.problems import Problem
from demining_sdg.inputs.profiles import CountryProfile, validate_profiles
from demining_sdg.inputs.tableio import MAX_FILE_BYTES, read_table_text

__all__ = ["ValidationResult", "suggestion", "table_schema", "validate_data_dir", "validate_table"]

# Dates of observations cannot lie in the future; a reference_date may (targets, deadlines).
OBSERVATION_DATE_FIELDS = {"period_start", "period_end", "value_date", "date"}
# Any date must lie in this plausible range (the contract bounds its year columns alike).
FIRST_YEAR, LAST_YEAR = 1900, 2100
AS_VALUE = "{} (as read)"  # the column beside a number, integer or date field holding what it reads as


@dataclass
class ValidationResult:
    """Tables read as text (None where unreadable) and every problem found."""

    contract: DataContract | None
    tables: dict[str, pd.DataFrame | None]
    problems: list[Problem]
    profiles: dict[str, CountryProfile] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.problems


def _whole(pattern: str) -> str:
    """A pattern for pandera's ``str_matches`` (anchored at the start) that must match the whole text."""
    return f"(?:{pattern.removeprefix('^').removesuffix('$')})\\Z"


def _storable_integers(text: pd.Series) -> pd.Series:
    return ~text.str.fullmatch(INTEGER_PATTERN) | text.str.fullmatch(STORABLE_INTEGER_PATTERN)


def _real_dates(text: pd.Series) -> pd.Series:
    return pd.to_datetime(text.where(text.str.fullmatch(DATE_PATTERN)), format="%Y-%m-%d", errors="coerce").notna()


def _not_in_the_future(values: pd.Series) -> pd.Series:
    return values <= pd.Timestamp(dt.date.today())


def _text_checks(spec: FieldSpec) -> list[pa.Check]:
    """Checks on the written text of a field (blank cells are left to the required check)."""
    words = TYPE_WORDS[spec.type]
    checks = {
        "number": [pa.Check.str_matches(_whole(NUMBER_PATTERN), error=words)],
        "integer": [
            pa.Check.str_matches(_whole(INTEGER_PATTERN), error=words),
            pa.Check(_storable_integers, error="a whole number of at most 18 digits"),
        ],
        "date": [pa.Check(_real_dates, error=words)],
        "boolean": [pa.Check.isin(BOOLEAN_VALUES, error=words)],
    }.get(spec.type, [])
    if spec.enum:
        checks.append(pa.Check.isin(spec.enum, error="one of: " + ", ".join(spec.enum)))
    if spec.pattern:
        checks.append(pa.Check.str_matches(_whole(spec.pattern), error=f"text matching the pattern {spec.pattern}"))
    return checks


def _value_checks(spec: FieldSpec) -> list[pa.Check]:
    """Checks on what a number, integer or date cell reads as."""
    checks = []
    if spec.type == "number":
        checks.append(
            pa.Check.in_range(
                -np.inf,
                np.inf,
                include_min=False,
                include_max=False,
                error="a number of a storable size (this one is out of range)",
            )
        )
    if spec.minimum is not None:
        checks.append(pa.Check.ge(spec.minimum, error=f"a value of at least {spec.minimum:g}"))
    if spec.maximum is not None:
        checks.append(pa.Check.le(spec.maximum, error=f"a value of at most {spec.maximum:g}"))
    if spec.type == "date":
        checks.append(
            pa.Check.in_range(
                pd.Timestamp(FIRST_YEAR, 1, 1),
                pd.Timestamp(LAST_YEAR, 12, 31),
                error=f"a date between {FIRST_YEAR}-01-01 and {LAST_YEAR}-12-31",
            )
        )
        if spec.name in OBSERVATION_DATE_FIELDS:
            checks.append(pa.Check(_not_in_the_future, error="a date that is not in the future"))
    return checks


@lru_cache(maxsize=64)
def table_schema(contract: TableContract) -> pa.DataFrameSchema:
    """The pandera schema enforcing one table's contract on its cells (see :func:`checked_frame`)."""
    columns = {}
    for spec in contract.fields:
        columns[spec.name] = pa.Column(
            None, checks=_text_checks(spec), nullable=not spec.required, unique=spec.unique, required=True
        )
        if spec.type in ("number", "integer", "date"):
            columns[AS_VALUE.format(spec.name)] = pa.Column(None, checks=_value_checks(spec), nullable=True)
    return pa.DataFrameSchema(
        columns,
        unique=list(contract.primary_key) or None,
        report_duplicates="all",
        name=contract.name,
    )


def checked_frame(frame: pd.DataFrame, cells: Cells, contract: TableContract) -> pd.DataFrame:
    """What the schema checks: each field's text, missing where blank (patterns see the cell as
    written, the other checks see it stripped), and beside each number, integer and date field what
    it reads as."""
    columns = {}
    for spec in contract.fields:
        stripped = cells.text[spec.name].tolist()
        shown = frame[spec.name].tolist() if spec.pattern else stripped
        columns[spec.name] = [cell if text else None for cell, text in zip(shown, stripped, strict=True)]
    text = pd.DataFrame(columns, index=frame.index, dtype=object)
    return pd.concat([text, cells.values.rename(columns=AS_VALUE.format)], axis=1)


def _problems_from_failures(
    file: str, frame: pd.DataFrame, failures: pd.DataFrame, contract: TableContract
) -> list[Problem]:
    problems = []
    primary_key = list(contract.primary_key)
    as_read = {AS_VALUE.format(spec.name): spec.name for spec in contract.fields}
    for failure in failures.itertuples(index=False):
        row = None if pd.isna(failure.index) else int(failure.index)
        column = None if pd.isna(failure.column) else as_read.get(str(failure.column), str(failure.column))
        check = str(failure.check)
        if row is not None and column in frame.columns and row in frame.index:
            value = str(frame.at[row, column])  # the cell as written, not as read
        else:
            value = None if pd.isna(failure.failure_case) else str(failure.failure_case)
        if check in ("field_uniqueness", "multiple_fields_uniqueness"):
            # A primary key of several columns fails once per column and row: one problem per row.
            key_cols = [column] if column and check == "field_uniqueness" else primary_key
            column = ", ".join(key_cols)
            value = " | ".join(str(frame.at[row, c]) for c in key_cols) if row in frame.index else value
            check = "a unique key (" + ", ".join(key_cols) + "): this value appears more than once"
        elif check == "not_nullable":
            check = "a value (this column is required)"
        problems.append(Problem(file, row, column, value, check))
    return problems


def validate_table(contract: TableContract, frame: pd.DataFrame, cells: Cells | None = None) -> list[Problem]:
    """Every cell of one table against its contract (``cells``: the table read by
    :func:`~demining_sdg.inputs.cells.read_cells`, when the caller has it already)."""
    cells = read_cells(frame, contract) if cells is None else cells
    try:
        table_schema(contract).validate(checked_frame(frame, cells, contract), lazy=True)
    except pa.errors.SchemaErrors as errors:
        return _problems_from_failures(contract.path, frame, errors.failure_cases, contract)
    return []


_CHECKED: OrderedDict[tuple, tuple] = OrderedDict()  # (contract, file name, sha256 of bytes) -> checked table
_CHECKED_KEPT = 64


def forget_checked_tables() -> None:
    """Check every table again on the next validation (benchmarks time the first validation so)."""
    _CHECKED.clear()


def _checked_table(table: TableContract, path: Path) -> tuple[pd.DataFrame | None, Cells | None, list[Problem]]:
    """One table read and checked against its contract; the same bytes under the same contract are
    checked once per process (a batch validating one folder for every set, a test changing one
    table), and each caller gets its own copies."""
    try:  # a file too large to read is left to read_table_text to report
        small = path.is_file() and path.stat().st_size <= MAX_FILE_BYTES
        key = (table, path.name, hashlib.sha256(path.read_bytes()).hexdigest()) if small else None
    except OSError:
        key = None
    if key is None or key not in _CHECKED:
        frame, problems = read_table_text(path, table)
        cells = None if frame is None else read_cells(frame, table)
        if frame is not None:
            problems = problems + validate_table(table, frame, cells)
        if key is None:
            return frame, cells, problems
        _CHECKED[key] = (frame, cells, problems)
        while len(_CHECKED) > _CHECKED_KEPT:
            _CHECKED.popitem(last=False)
    _CHECKED.move_to_end(key)
    frame, cells, problems = _CHECKED[key]
    if frame is None:
        return None, None, list(problems)
    return frame.copy(), Cells(cells.text.copy(), cells.values.copy()), list(problems)


def validate_data_dir(data_dir: Path = paths.DATA_DIR) -> ValidationResult:
    """Check every table and every cross-table rule; never raises for a data problem."""
    data_dir = Path(data_dir)
    try:
        contract = load_contract(data_dir)
    except ContractError as exc:
        return ValidationResult(
            None, {}, [Problem(paths.CONTRACT_FILE_NAME, None, None, None, f"a readable contract: {exc}")]
        )
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        return ValidationResult(
            None, {}, [Problem(paths.CONTRACT_FILE_NAME, None, None, None, f"a readable contract file ({reason})")]
        )
    tables: dict[str, pd.DataFrame | None] = {}
    cells: dict[str, Cells | None] = {}
    problems: list[Problem] = []
    for table in contract.tables:
        frame, cells[table.name], table_problems = _checked_table(table, data_dir / table.path)
        tables[table.name] = frame
        problems += table_problems
    problems += crosschecks.problems(contract, tables, cells)
    problems += excerpt_problems(tables)
    profiles, profile_problems = validate_profiles(data_dir, tables)
    problems += profile_problems
    problems = _with_records(problems, contract, tables)
    return ValidationResult(
        contract,
        tables,
        sorted(set(problems), key=lambda p: (p.file, p.row or 0, p.column or "", p.expected)),
        profiles,
    )


def _with_records(
    problems: list[Problem], contract: DataContract, tables: dict[str, pd.DataFrame | None]
) -> list[Problem]:
    """Each problem with the id of its row (the table's one-column primary key), so a person can find
    the row by id as well as by number."""
    ids: dict[str, pd.Series] = {}
    for table in contract.tables:
        frame = tables.get(table.name)
        if frame is not None and len(table.primary_key) == 1 and table.primary_key[0] in frame.columns:
            ids[table.path] = frame[table.primary_key[0]]
    found = []
    for problem in problems:
        column = ids.get(problem.file)
        if problem.record is None and problem.row is not None and column is not None and problem.row in column.index:
            record = str(column[problem.row]).strip()
            problem = replace(problem, record=record[:40] or None)
        found.append(problem)
    return found
