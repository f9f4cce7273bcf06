"""Small shared helpers for chapter computations: qualified numbers, latest points, source lines."""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from demining_sdg.analysis.derive import evidence_tier
from demining_sdg.show import format_value

QUALIFIER_WORDS = {"approximate": "about ", "lower_bound": "at least ", "upper_bound": "under ", "exact": ""}
UNIT_WORDS = {"ha": " ha", "km2": " km²", "m2": " m²", "count": "", "persons": "", "percent": "%"}


def qualified(value: float, qualifier: str | None = "exact", unit: str | None = None) -> str:
    """'about 168,000 ha': the number as the source qualifies it."""
    word = QUALIFIER_WORDS.get(qualifier or "exact", "")
    suffix = UNIT_WORDS.get(unit or "", f" {unit}" if unit else "")
    return f"{word}{format_value(value)}{suffix}"


def usable(frame: pd.DataFrame) -> pd.DataFrame:
    """Rows without a quality flag (flagged rows are shown in conflict tables, not in series)."""
    if "quality_flag" not in frame.columns:
        return frame
    return frame[frame["quality_flag"].isna()]


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


def source_line(sources: pd.DataFrame, ids: Iterable[str]) -> str:
    """'ANAMA via Trend (S060); Landmine Monitor (S036)': publishers with their source ids."""
    table = sources.set_index("source_id")
    parts: dict[str, list[str]] = {}
    for source_id in dict.fromkeys(i for i in ids if i):
        publisher = table.at[source_id, "publisher"] if source_id in table.index else "unknown source"
        parts.setdefault(publisher, []).append(source_id)
    return "; ".join(f"{publisher} ({', '.join(ids_)})" for publisher, ids_ in parts.items())


def date_label(value: pd.Timestamp, precision: str | None = "day") -> str:
    if value is None or pd.isna(value):
        return "date not stated"
    if precision == "year":
        return f"{value.year}"
    if precision == "month":
        return value.strftime("%b %Y")
    return value.strftime("%-d %b %Y")
