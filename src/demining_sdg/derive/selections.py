"""Data selections every chapter uses: usable rows, latest points, years, ids, evidence tiers,
the reader-relevant part of a notes cell. Pure functions of frames."""

from __future__ import annotations

import re
from collections.abc import Iterable

import pandas as pd

from demining_sdg.derive.rules import evidence_tier

WORLD = "WLD"  # the tables' code for global rows (data/README.md)
DENOMINATOR = ("World Bank", "mid_year")  # publisher and estimate type of the report's one population denominator
PRECISION_PERIODS = {"year": "Y", "month": "M"}  # date_precision -> pandas period (else a day)
DATE_COLUMNS = ("period_end", "value_date", "reference_date")  # an observation's date: the first of these it has


def where(frame: pd.DataFrame, **conditions) -> pd.DataFrame:
    """Rows whose columns equal the values given (a list or tuple: any of its values)."""
    for column, value in conditions.items():
        frame = frame[frame[column].isin(value) if isinstance(value, list | tuple) else frame[column] == value]
    return frame


def as_of(dates: pd.Series, precisions: pd.Series) -> list[str | None]:
    """Each date as precisely as its source gives it: '2026', '2024-10', '2024-10-24'; None without a date."""
    periods = (PRECISION_PERIODS.get(p, "D") for p in precisions)
    return [str(d.to_period(p)) if pd.notna(d) else None for d, p in zip(dates, periods)]


def observation_rows(frame: pd.DataFrame, obs_id: str = "obs_id", **after_id: object) -> pd.DataFrame:
    """A table's rows as observations: id (then any ``after_id`` columns), country, figure as reported, flag,
    qualifier, source, the date (``date``) and the date as precisely as its source gives it (``when``)."""
    column = next((c for c in DATE_COLUMNS if c in frame), None)
    dates = frame[column] if column else pd.Series(pd.NaT, index=frame.index)
    when = as_of(dates, frame["date_precision"] if "date_precision" in frame else ["day"] * len(frame))
    columns = {"obs_id": frame[obs_id], **after_id, "iso3": frame.get("iso3", frame.get("recipient_iso3"))}
    columns |= {c: frame.get(c) for c in ("value_as_reported", "quality_flag", "qualifier", "source_id")}
    return pd.DataFrame(columns | {"date": dates, "when": when})


def denominators(population: pd.DataFrame, iso3: str) -> pd.DataFrame:
    """The country's rows of the one population denominator."""
    return where(population, iso3=iso3, publisher=DENOMINATOR[0], estimate_type=DENOMINATOR[1])


def usable(frame: pd.DataFrame) -> pd.DataFrame:
    """Rows without a quality flag (flagged rows are shown in conflict tables, not in series)."""
    if "quality_flag" not in frame.columns:
        return frame
    return frame[frame["quality_flag"].isna()]


def all_operators(frame: pd.DataFrame) -> pd.Series:
    """Rows whose figure covers all operators (no ``operator_scope``, or 'all operators' without an exclusion)."""
    return frame["operator_scope"].fillna("all operators").str.match(r"all operators(?! excl)")


def stated(frame: pd.DataFrame, unstated: pd.DataFrame | None) -> pd.DataFrame:
    """Rows whose value their excerpt states. A row whose value is listed in ``unstated_figures``
    (an excerpt that does not state it, a total the curator added up) is kept out of headlines:
    the key figures, the findings and the summary; tables show it with its reason."""
    if unstated is None or unstated.empty or "obs_id" not in frame.columns or frame.empty:
        return frame
    listed = set(zip(unstated["obs_id"].astype(str).str.strip(), pd.to_numeric(unstated["figure"], errors="coerce")))
    keys = zip(frame["obs_id"].astype(str), pd.to_numeric(frame["value"], errors="coerce"))
    return frame[[key not in listed for key in keys]]


def latest(frame: pd.DataFrame, date_col: str = "period_end") -> pd.Series | None:
    """The row with the latest date (ties: the first obs_id)."""
    dated = frame.dropna(subset=[date_col])
    if dated.empty:
        return None
    return dated.sort_values([date_col, "obs_id"], ascending=[False, True]).iloc[0]


def with_tiers(frame: pd.DataFrame, sources: pd.DataFrame) -> pd.DataFrame:
    """Add ``source_type`` and ``evidence_tier`` from the sources table."""
    types = sources.set_index("source_id")["source_type"]
    out = frame.copy()
    out["source_type"] = out["source_id"].map(types)
    out["evidence_tier"] = out["source_type"].map(evidence_tier)
    return out


def unique_ids(values: Iterable[object]) -> tuple[str, ...]:
    """The non-empty string ids in first-seen order, without repeats."""
    return tuple(dict.fromkeys(v for v in values if isinstance(v, str) and v))


def joined_ids(*values: object) -> str:
    """One cell of the ids in ``values`` (cells of ';'-separated ids, or iterables of cells), each once, in order."""
    cells = (c for v in values for c in (v if isinstance(v, Iterable) and not isinstance(v, str) else [v]))
    return ";".join(unique_ids(i for cell in cells for i in split_ids(cell)))


def split_ids(value: object) -> list[str]:
    """'S001; S002' -> ['S001', 'S002'] (a cell holding several ids); [] for an empty cell."""
    if not isinstance(value, str):
        return []
    return [part.strip() for part in value.split(";") if part.strip()]


def in_years(frame: pd.DataFrame, first: int, last: int, date_col: str = "period_end") -> pd.DataFrame:
    """Rows whose ``date_col`` falls in the years first..last (inclusive). ``date_col`` holds
    dates or year numbers; rows without one are left out."""
    column = frame[date_col]
    years = column.dt.year if pd.api.types.is_datetime64_any_dtype(column) else column
    return frame[years.between(first, last)]


def missing_years(years: pd.Series) -> list[int]:
    """The years between the first and the last of ``years`` that are not among them."""
    found = set(years.dropna().astype(int))
    return [y for y in range(min(found), max(found)) if y not in found] if found else []


def longest_run(frame: pd.DataFrame, column: str = "year") -> pd.DataFrame:
    """The rows of the longest run of consecutive years in ``column`` (the first of the longest), in order."""
    if frame.empty:
        return frame
    run = frame[column].diff().ne(1).cumsum()
    return frame[run == run.groupby(run).size().idxmax()]


# Clauses of a row's notes that are about the curation of data/ (file names, research notes,
# how a cell was filled in), not about the figure: never shown to readers.
CURATION_CLAUSE = re.compile(
    r"\.csv\b|research[- ]notes|\bREADME\b|expanded to|value converted|value_date|presumably|"
    r"\bcheck (?:the |UNSD|them)|\bfile ddf",
    re.IGNORECASE,
)


CURATION_ASIDES = (
    (re.compile(r"\s*\([^()]*\.csv[^()]*\)"), ""),  # '(sdg_indicators.csv SDM019)'
    (re.compile(r",?\s*per the research notes(?:\s*\([^()]*\))?,?", re.IGNORECASE), ""),
    (re.compile(r"\bsdg_target\b"), "the target"),
    (re.compile(r",\s*so no separate rows"), ""),
)


def reader_note(notes: object) -> str | None:
    """The reader-relevant clauses of a notes cell ('; '-separated): asides pointing at data files
    or research notes are cut, clauses about the curation itself are dropped; None when nothing
    is left."""
    if not isinstance(notes, str):
        return None
    text = notes
    for pattern, replacement in CURATION_ASIDES:
        text = pattern.sub(replacement, text)
    kept = [c.strip() for c in text.split(";") if c.strip() and not CURATION_CLAUSE.search(c)]
    return "; ".join(kept) or None
