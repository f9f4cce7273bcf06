"""An operational export (IMSMA-like: one row per task report or item found) aggregated into clearance rows.

The export's columns (header names, in any order; other columns are ignored):

=============  ====================================================  ===============================
column         holds                                                 becomes
=============  ====================================================  ===============================
date           the day of the task report, YYYY-MM-DD                the period it falls in
district       where (text)                                          counted in the notes
operator       who (text)                                            counted in the notes
method         cancelled (non-technical survey), reduced (technical  area_cancelled, area_reduced,
               survey) or cleared (clearance)                        area_cleared (land release: all)
area_m2        land released by the row, square metres, >= 0         the sum per period and method (m2)
ap_mines       anti-personnel mines found and destroyed, whole >= 0  items_destroyed, AP_mine
at_mines       anti-tank / anti-vehicle mines, whole >= 0            items_destroyed, AT_mine
uxo            unexploded ordnance, whole >= 0                       items_destroyed, UXO
other_items    other explosive items, whole >= 0                     only in the total (all)
=============  ====================================================  ===============================

Rows of the clearance table are made per period: every calendar year, month and week (Monday to
Sunday) that the export covers wholly; a year covered only in part gives a ``partial_year`` row
(months and weeks covered only in part give none). The export covers the days from
``period_start`` to ``period_end`` (by default its first and last date). Every value is an exact
sum (areas are summed as scaled whole numbers, so 0.1 + 0.2 is 0.3), is labelled derived in the
row's ``value_as_reported`` ("… (derived: the sum of N task reports)"), notes and excerpt, and is
listed in ``unstated_figures.csv`` with the reason: no source excerpt states an aggregate.

Reading uses pyarrow's multi-threaded CSV reader with an explicit type per column; checks and
sums are vectorised (numpy / pandas group-bys; no Python code runs per row of the export).
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.csv as pv

from demining_sdg.inputs.imports.common import (
    ID_PREFIXES,
    ImportProblems,
    ImportRefused,
    ImportResult,
    ProblemCollector,
    check_not_imported,
    check_source_id,
    import_mark,
    next_ids,
    normal_name,
    read_text_table,
    shift_hint,
)
from demining_sdg.inputs.problems import Problem
from demining_sdg.provenance.record import sha256_of

TEXT_COLUMNS = ("date", "district", "operator", "method")
AREA_COLUMN = "area_m2"
COUNT_COLUMNS = ("ap_mines", "at_mines", "uxo", "other_items")
COLUMNS = (*TEXT_COLUMNS, AREA_COLUMN, *COUNT_COLUMNS)
METHODS = {"cancelled": "area_cancelled", "reduced": "area_reduced", "cleared": "area_cleared"}
METHOD_WORDS = {
    "area_cancelled": "area cancelled (non-technical survey)",
    "area_reduced": "area reduced (technical survey)",
    "area_cleared": "area cleared",
    "area_released": "area released (cancelled, reduced and cleared)",
}
ITEMS = {"ap_mines": "AP_mine", "at_mines": "AT_mine", "uxo": "UXO"}
ITEM_WORDS = {"AP_mine": "AP mines", "AT_mine": "AT/AV mines", "UXO": "UXO", "all": "all explosive items"}
PERIOD_TYPES = ("annual", "monthly", "weekly")
MAX_DECIMALS = 6  # areas with more decimals than this are not summed exactly: an error says so
RULE_NAME = "operations.aggregate"
DERIVED_NOTE = "the sum of an operational export's task reports over the period, not a figure a source states"
RULE = f"{RULE_NAME}: exact sum of the export's rows per period (calendar year, month, Monday-Sunday week)"


@dataclass(frozen=True)
class OperationsOptions:
    iso3: str
    source_id: str | None
    programme_scope: str = "national"
    periods: tuple[str, ...] = PERIOD_TYPES
    period_start: pd.Timestamp | None = None
    period_end: pd.Timestamp | None = None


def _arrow_types(typed: bool) -> dict[str, pa.DataType]:
    """Explicit types: dates as dates, names as dictionaries (few distinct values), numbers as numbers;
    or every column as text, to find the cells that are not what their column holds."""
    if not typed:
        return {c: pa.string() for c in COLUMNS}
    names = pa.dictionary(pa.int32(), pa.string())
    return {
        "date": pa.date32(),
        "district": names,
        "operator": names,
        "method": names,
        AREA_COLUMN: pa.float64(),
        **{c: pa.int64() for c in COUNT_COLUMNS},
    }


def read_export(path: Path, as_text: bool = False) -> tuple[pd.DataFrame, np.ndarray | None, list[Problem]]:
    """The export's columns with their types, the spreadsheet row of each data row, and problems
    of the file's shape (missing columns, rows with too few or too many cells)."""
    name = path.name
    with open(path, "rb") as handle:
        head = handle.read(1 << 16)
    first_line = head.removeprefix(b"\xef\xbb\xbf").split(b"\n", 1)[0].decode("utf-8", "replace").rstrip("\r")
    header = next(csv.reader([first_line]), [])
    names = {normal_name(h): str(h) for h in header if isinstance(h, str)}
    missing = [c for c in COLUMNS if c not in names]
    if missing:
        return (
            pd.DataFrame(),
            None,
            [
                Problem(
                    name,
                    1,
                    None,
                    first_line[:200],
                    f"a header row with the columns {', '.join(COLUMNS)}; missing: {', '.join(missing)} "
                    "(rename the export's columns to these names; other columns are ignored)",
                )
            ],
        )
    bad_rows: list[Problem] = []
    skipped: list[int] = []

    def on_invalid(row) -> str:  # called by pyarrow only for rows with a wrong number of cells
        skipped.append(row.number)
        if len(bad_rows) < 20:
            bad_rows.append(
                Problem(
                    name,
                    row.number,
                    None,
                    row.text[:120],
                    f"{row.expected_columns} cells as in the header; found {row.actual_columns}: a value is missing "
                    "or extra (or a text holds a comma without double quotes), so the cells after it are shifted",
                )
            )
        elif len(bad_rows) == 20:
            bad_rows.append(Problem(name, None, None, None, "… more rows with a wrong number of cells not listed"))
        return "skip"

    def read(typed: bool, threads: bool = True) -> pa.Table:
        skipped.clear()
        bad_rows.clear()
        types = _arrow_types(typed)
        return pv.read_csv(
            path,
            read_options=pv.ReadOptions(block_size=1 << 24, use_threads=threads),
            # blank lines are kept (as rows of empty cells, dropped below), so row numbers stay aligned
            parse_options=pv.ParseOptions(invalid_row_handler=on_invalid, ignore_empty_lines=False),
            convert_options=pv.ConvertOptions(
                include_columns=[names[c] for c in COLUMNS],
                column_types={names[c]: t for c, t in types.items()},
                strings_can_be_null=True,
                null_values=[""],
            ),
        )

    try:
        table = read(typed=not as_text)
    except pa.ArrowInvalid:  # a cell is not what its column holds: read as text to say which
        table = read(typed=False)
    if skipped:  # rows with a wrong number of cells: read again in one thread, which knows their numbers
        typed = pa.types.is_date32(table.schema.field(names["date"]).type)
        table = read(typed=typed, threads=False)
    frame = table.rename_columns(list(COLUMNS)).to_pandas(date_as_object=False)
    positions = np.arange(len(frame), dtype=np.int64)
    if skipped:  # the rows kept are the rows from 2 on less those left out
        every = np.arange(2, len(frame) + len(skipped) + 2, dtype=np.int64)
        gaps = np.asarray([n for n in skipped if n is not None], dtype=np.int64)
        rows = np.setdiff1d(every, gaps)[: len(frame)]
    else:
        rows = positions + 2
    blank = frame.isna().all(axis=1).to_numpy()
    if blank.any():
        frame, rows = frame[~blank].reset_index(drop=True), rows[~blank]
    return frame, rows, bad_rows


def _decimals_needed(area: np.ndarray) -> int | None:
    """The fewest decimals (0..MAX_DECIMALS) that write every area exactly, or None."""
    finite = pd.unique(area[np.isfinite(area)])  # each distinct area once
    for decimals in range(MAX_DECIMALS + 1):
        scaled = finite * 10**decimals
        if np.all(np.abs(scaled - np.round(scaled)) <= 1e-6 * np.maximum(1.0, np.abs(scaled)) * 1e-3):
            return decimals
    return None


def _coded(series: pd.Series) -> tuple[np.ndarray, pd.Index]:
    """Integer codes per row (-1 where empty) and the distinct values, stripped: a text column's
    checks then run once per distinct value, not once per row."""
    if isinstance(series.dtype, pd.CategoricalDtype):
        codes, values = series.cat.codes.to_numpy(), series.cat.categories
    else:
        codes, values = pd.factorize(series)
    values = pd.Index(values.astype(str)).str.strip()
    codes = np.where(np.asarray(values == "")[codes] & (codes >= 0), -1, codes) if len(values) else codes
    return codes, values


def check_export(frame: pd.DataFrame, rows: np.ndarray | None, name: str) -> tuple[pd.DataFrame, ProblemCollector]:
    """Every cell checked at once per column; returns typed columns and the problems."""
    found = ProblemCollector(name, rows)
    typed = pd.DataFrame(index=frame.index)
    if pd.api.types.is_datetime64_any_dtype(frame["date"].dtype):
        dates = frame["date"]
    else:
        dates = pd.to_datetime(frame["date"].str.strip(), format="%Y-%m-%d", errors="coerce")
    found.check(dates.isna().to_numpy(), "date", frame["date"], "a date written YYYY-MM-DD (e.g. 2025-03-16)")
    typed["date"] = dates.to_numpy(dtype="datetime64[D]")
    for column in ("district", "operator"):
        codes, values = _coded(frame[column])
        found.check(codes < 0, column, frame[column], f"the {column}'s name (every row needs one)")
        used = np.flatnonzero(np.bincount(codes[codes >= 0], minlength=len(values)))
        typed.attrs[f"{column}s"] = int(values[used].nunique())
    codes, values = _coded(frame["method"])
    method_of_value = np.array(
        [list(METHODS).index(v) if v in METHODS else -1 for v in values.str.lower()], dtype=np.int8
    )
    method = method_of_value[codes] if len(values) else np.full(len(codes), -1, dtype=np.int8)
    method[codes < 0] = -1
    found.check(
        method < 0,
        "method",
        frame["method"],
        "one of: cancelled (non-technical survey), reduced (technical survey), cleared (clearance)",
    )
    typed["method"] = method
    for column in (AREA_COLUMN, *COUNT_COLUMNS):
        cells = frame[column]
        is_area = column == AREA_COLUMN
        if pd.api.types.is_numeric_dtype(cells.dtype):
            values = cells.astype("float64")
            unreadable = np.zeros(len(cells), dtype=bool)
        else:
            cells = cells.where(cells.str.strip() != "")
            values = pd.to_numeric(cells.str.strip(), errors="coerce").astype("float64")
            unreadable = (cells.notna() & values.isna()).to_numpy()
            if not is_area:
                unreadable = unreadable | (values.notna() & (values != np.floor(values))).to_numpy()
        kind = "a plain number of square metres such as 1234.5" if is_area else "a whole number such as 12"
        found.check(unreadable, column, cells, f"{kind} (no text, no thousands separators, '.' as decimal mark)")
        empty = cells.isna().to_numpy()
        found.check(empty, column, cells, f"{kind}; 0 where the row has none (an empty cell is not read as 0)")
        negative = (values < 0).to_numpy()
        found.check(
            negative,
            column,
            cells,
            "an area of 0 or more square metres" if is_area else "a count of 0 or more",
        )
        typed[column] = values.to_numpy()
    return typed, found


def _span(typed: pd.DataFrame, options: OperationsOptions) -> tuple[pd.Timestamp, pd.Timestamp]:
    dates = typed["date"]
    start = options.period_start if options.period_start is not None else pd.Timestamp(dates.min())
    end = options.period_end if options.period_end is not None else pd.Timestamp(dates.max())
    return pd.Timestamp(start).normalize(), pd.Timestamp(end).normalize()


def period_end(kind: str, start: np.ndarray) -> np.ndarray:
    if kind == "annual":
        return (start.astype("datetime64[Y]") + 1).astype("datetime64[D]") - 1
    if kind == "monthly":
        return (start.astype("datetime64[M]") + 1).astype("datetime64[D]") - 1
    return start + 6


def _period_codes(kind: str, day: np.ndarray, low: int) -> tuple[np.ndarray, np.ndarray]:
    """Each day's period as a small whole number, and the first day of each number's period.
    ``day`` is days since ``low`` (the first day): the calendar is worked out once per distinct day
    in a small table, then looked up for every row."""
    calendar = np.arange(low, low + int(day.max()) + 1).astype("datetime64[D]")
    if kind == "annual":
        key = calendar.astype("datetime64[Y]").astype(np.int64)
    elif kind == "monthly":
        key = calendar.astype("datetime64[M]").astype(np.int64)
    else:
        key = (calendar.astype(np.int64) + 3) // 7  # 1970-01-01 was a Thursday: weeks run Monday to Sunday
    first = int(key[0])
    numbers = np.arange(first, int(key[-1]) + 1)
    if kind == "annual":
        starts = numbers.astype("datetime64[Y]").astype("datetime64[D]")
    elif kind == "monthly":
        starts = numbers.astype("datetime64[M]").astype("datetime64[D]")
    else:
        starts = (numbers * 7 - 3).astype("datetime64[D]")
    return (key - first)[day], starts


EXACT_LIMIT = 2**53  # whole numbers up to here add up exactly in float64 (np.bincount's weights)


def _sums(codes: np.ndarray, size: int, values: np.ndarray, exact: bool) -> np.ndarray:
    if not exact:  # too large for float64: exact, slower sums
        total = np.zeros(size, dtype=object)
        np.add.at(total, codes, values.astype(object))
        return total
    return np.rint(np.bincount(codes, weights=values, minlength=size)).astype(np.int64)


def aggregate(typed: pd.DataFrame, span: tuple[pd.Timestamp, pd.Timestamp], periods=PERIOD_TYPES) -> pd.DataFrame:
    """One row per (period type, period, measure, item category): the exact sum and how many export
    rows it sums. Vectorised: per period type one bincount per measure, no Python code per export row."""
    decimals = _decimals_needed(typed[AREA_COLUMN].to_numpy())
    if decimals is None:
        raise ImportRefused(
            [f"areas with more than {MAX_DECIMALS} decimals: write area_m2 with at most {MAX_DECIMALS}"]
        )
    first, last = np.datetime64(span[0].date(), "D"), np.datetime64(span[1].date(), "D")
    days = typed["date"].to_numpy().astype("datetime64[D]").astype(np.int64)
    inside = (days >= first.astype(np.int64)) & (days <= last.astype(np.int64))
    everything = bool(inside.all())

    def column(name: str) -> np.ndarray:
        values = typed[name].to_numpy()
        return values if everything else values[inside]

    days, method = column("date").astype("datetime64[D]").astype(np.int64), column("method")
    area = column(AREA_COLUMN) * 10**decimals  # whole numbers (checked above), as float64 weights
    items = {c: column(c).astype(np.float64) for c in COUNT_COLUMNS}
    series = {
        "area_cancelled": (np.where(method == 0, area, 0.0), method == 0),
        "area_reduced": (np.where(method == 1, area, 0.0), method == 1),
        "area_cleared": (np.where(method == 2, area, 0.0), method == 2),
        "area_released": (area, None),
        "AP_mine": (items["ap_mines"], None),
        "AT_mine": (items["at_mines"], None),
        "UXO": (items["uxo"], None),
        "all": (items["ap_mines"] + items["at_mines"] + items["uxo"] + items["other_items"], None),
    }
    exact = {name: float(np.abs(values).sum()) < EXACT_LIMIT for name, (values, _) in series.items()}
    series = {
        name: (values if exact[name] else np.rint(values).astype(np.int64), selected)
        for name, (values, selected) in series.items()
    }
    low = int(days.min()) if len(days) else 0
    day = days - low
    parts = []
    for kind in periods:
        if not len(days):
            break
        codes, start = _period_codes(kind, day, low)
        end = period_end(kind, start)
        present = np.bincount(codes, minlength=len(start)) > 0
        period_type = np.full(len(start), kind, dtype=object)
        if kind == "annual":  # a year covered in part is a partial_year over the days covered
            period_type[(start < first) | (end > last)] = "partial_year"
            start, end = np.maximum(start, first), np.minimum(end, last)
            whole = present
        else:
            whole = present & (start >= first) & (end <= last)
        for name, (values, selected) in series.items():
            rows = np.bincount(codes, weights=selected, minlength=len(start)) if selected is not None else None
            parts.append(
                pd.DataFrame(
                    {
                        "period_type": period_type[whole],
                        "period_start": start[whole],
                        "period_end": end[whole],
                        "series": name,
                        "sum": _sums(codes, len(start), values, exact[name])[whole],
                        "rows": (rows if rows is not None else np.bincount(codes, minlength=len(start)))[whole].astype(
                            np.int64
                        ),
                    }
                )
            )
    tidy = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=["series", "sum", "period_type"])
    if tidy.empty:
        return tidy
    is_area = tidy["series"].isin(list(METHOD_WORDS)).to_numpy()
    tidy["measure"] = np.where(is_area, tidy["series"], "items_destroyed")
    tidy["item_category"] = np.where(is_area, "all", tidy["series"])
    tidy["unit"] = np.where(is_area, "m2", "count")
    tidy["value"] = _exact(tidy["sum"].to_numpy(), np.where(is_area, decimals, 0))
    used = tidy.groupby("series")["sum"].transform("max") > 0  # a series the export never reports is left out
    order = {name: i for i, name in enumerate([*METHOD_WORDS, *ITEM_WORDS])}
    tidy = tidy[used.to_numpy()].assign(_series=tidy["series"].map(order), _kind=tidy["period_type"].map(_KIND_ORDER))
    tidy = tidy.sort_values(["_kind", "period_start", "_series"], kind="mergesort")
    return tidy[
        ["period_type", "period_start", "period_end", "measure", "item_category", "unit", "value", "rows", "series"]
    ].reset_index(drop=True)


_KIND_ORDER = {"annual": 0, "partial_year": 0, "monthly": 1, "weekly": 2}


def _exact(scaled: np.ndarray, decimals: np.ndarray) -> list[str]:
    """Scaled whole numbers written as exact decimals (12345 with 2 decimals -> '123.45')."""
    text = []
    for value, places in zip(scaled.tolist(), decimals.tolist()):  # output rows (hundreds), not export rows
        whole, fraction = divmod(int(value), 10**places) if places else (int(value), 0)
        text.append(f"{whole}.{fraction:0{places}d}".rstrip("0").rstrip(".") if places and fraction else str(whole))
    return text


PRECISION = {"annual": "year", "monthly": "month", "weekly": "day", "partial_year": "day"}


def clearance_rows(
    sums: pd.DataFrame, options: OperationsOptions, path: Path, digest: str, existing_ids: pd.Series, summary: dict
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The clearance rows and their unstated_figures rows (every aggregate is derived)."""
    mark = import_mark(path, digest)
    ids = next_ids(existing_ids, ID_PREFIXES["clearance"], len(sums))
    start = pd.to_datetime(sums["period_start"]).dt.strftime("%Y-%m-%d")
    end = pd.to_datetime(sums["period_end"]).dt.strftime("%Y-%m-%d")
    words = sums["series"].map(METHOD_WORDS | ITEM_WORDS)
    unit_words = sums["unit"].map({"m2": "m2", "count": "items"})
    rows_text = sums["rows"].map("{:,}".format)
    described = (
        f"[derived by the rule {RULE_NAME}: " + words + ", sum over " + rows_text
        + f" rows of the operational export {path.name} dated " + start + " to " + end + "]"
    )  # fmt: skip
    clearance = pd.DataFrame(
        {
            "obs_id": ids,
            "iso3": options.iso3,
            "geography": f"districts of the operational export ({summary['districts']:,})",
            "programme_scope": options.programme_scope,
            "operator_scope": f"all operators in the operational export ({summary['operators']:,})",
            "measure": sums["measure"],
            "item_category": sums["item_category"],
            "item_category_as_reported": words,
            "value": sums["value"],
            "unit": sums["unit"],
            # the reader sees the figure is derived wherever "as the source words it" is shown
            "value_as_reported": sums["value"]
            + " "
            + unit_words
            + " (derived: the sum of "
            + rows_text
            + " task reports)",
            "qualifier": "exact",
            "period_start": start,
            "period_end": end,
            "date_precision": sums["period_type"].map(PRECISION),
            "period_type": sums["period_type"],
            "reported_by": "operational export (aggregated on import)",
            "source_id": options.source_id,
            "excerpt": described,
            "quality_flag": "",
            "notes": f"derived: {DERIVED_NOTE}; {mark}",
        }
    )
    unstated = pd.DataFrame(
        {
            "obs_id": ids,
            "figure": sums["value"],
            "reason": "derived: the sum of " + rows_text + " rows of the operational export " + path.name
            + "; no source excerpt states an aggregate",
        }
    )  # fmt: skip
    return clearance, unstated


def import_operations(path: Path, folder: Path, options: OperationsOptions) -> ImportResult:
    """Read, check and aggregate an export; the rows to append to ``folder``'s clearance table."""
    path = Path(path)
    source_id = check_source_id(folder, options.source_id, f"the operational export {path.name}")
    digest = sha256_of(path)
    check_not_imported(folder, ["clearance"], import_mark(path, digest))
    frame, rows, shape_problems = read_export(path)
    if shape_problems and frame.empty:
        raise ImportProblems(shape_problems, [])
    typed, found = check_export(frame, rows, path.name)
    if found.problems and pd.api.types.is_numeric_dtype(frame[AREA_COLUMN].dtype):
        frame, rows, shape_problems = read_export(path, as_text=True)  # read typed: show the cells as written
        typed, found = check_export(frame, rows, path.name)
    for problem in shape_problems:
        found.add(problem)
    hints = []
    shifted = found.shifted_rows()
    hint = shift_hint(path.name, shifted)
    if hint:
        hints.append(hint)
    if shape_problems and not frame.empty:
        hints.append(
            f"{path.name}: some rows have more or fewer cells than the header: a value is missing or extra "
            "(or a text holds a comma without double quotes), shifting the cells after it"
        )
    found.raise_if_any(hints)
    if not len(typed):
        raise ImportProblems([Problem(path.name, 2, None, None, "at least one data row under the header")], [])
    span = _span(typed, options)
    outside = (typed["date"] < span[0]) | (typed["date"] > span[1])
    sums = aggregate(typed, span, options.periods)
    if sums.empty:
        raise ImportRefused(
            [
                f"{path.name}: the export covers {span[0]:%Y-%m-%d} to {span[1]:%Y-%m-%d}, which holds no whole "
                f"period of the kinds asked for ({', '.join(options.periods)})"
            ]
        )
    summary = {"districts": typed.attrs["districts"], "operators": typed.attrs["operators"]}
    existing = read_text_table(folder / "clearance.csv")["obs_id"]
    options = OperationsOptions(**{**options.__dict__, "source_id": source_id})
    clearance, unstated = clearance_rows(sums, options, path, digest, existing, summary)
    kinds = sums["period_type"].value_counts()
    lines = [
        f"{len(typed):,} export rows read ({summary['districts']:,} districts, {summary['operators']:,} operators), "
        f"covering {span[0]:%Y-%m-%d} to {span[1]:%Y-%m-%d}",
        "clearance rows: " + ", ".join(f"{kinds[k]:,} {k}" for k in kinds.index),
        "every value is derived (an exact sum of the export's rows) and listed in unstated_figures.csv",
    ]
    if outside.any():
        lines.append(f"{int(outside.sum()):,} rows dated outside the period asked for were left out")
    return ImportResult(
        path, "operations", rows={"clearance": clearance, "unstated_figures": unstated}, summary=lines, hints=hints
    )
