"""Small shared helpers for chapter computations: qualified numbers, latest points, source lines."""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd
import pycountry

from demining_sdg.derive.selections import (  # noqa: F401  (used by the chapters not yet on section specs)
    in_years,
    latest,
    reader_note,
    split_ids,
    unique_ids,
    usable,
    with_tiers,
)
from demining_sdg.present import formats
from demining_sdg.present.show import format_value

QUALIFIER_WORDS = {"approximate": "about ", "lower_bound": "at least ", "upper_bound": "under ", "exact": ""}
UNIT_WORDS = {"ha": " ha", "km2": " km²", "m2": " m²", "count": "", "persons": "", "percent": "%"}


def qualified(value: float, qualifier: str | None = "exact", unit: str | None = None) -> str:
    """'about 168,000 ha': the number as the source qualifies it."""
    word = QUALIFIER_WORDS.get(qualifier or "exact", "")
    suffix = UNIT_WORDS.get(unit or "", f" {unit}" if unit else "")
    return f"{word}{format_value(value)}{suffix}"


def source_line(sources: pd.DataFrame, ids: Iterable[str]) -> str:
    """'ANAMA via Trend (S060); Landmine Monitor (S036)': publishers with their source ids."""
    table = sources.set_index("source_id")
    parts: dict[str, list[str]] = {}
    for source_id in dict.fromkeys(i for i in ids if i):
        publisher = table.at[source_id, "publisher"] if source_id in table.index else "unknown source"
        parts.setdefault(publisher, []).append(source_id)
    return "; ".join(f"{publisher} ({', '.join(ids_)})" for publisher, ids_ in parts.items())


def date_label(value: pd.Timestamp, precision: str | None = "day") -> str:
    return formats.date(value, precision)


# --------------------------------------------------------------------------------------------
# Plain words for the data's codes (every reader-facing table and sentence uses these)

PLAIN_WORDS = {
    # quality_flag
    "inconsistent_with_series": "inconsistent with the series",
    "implausible": "implausible",
    "garbled_source": "garbled in the source",
    "year_not_verified": "year not verified",
    "partial_scope": "partial scope",
    # clearance measure
    "items_destroyed": "items destroyed",
    "area_cleared": "area cleared",
    "area_reduced": "area reduced (technical survey)",
    "area_cancelled": "area cancelled (non-technical survey)",
    "area_released": "area released",
    "area_cleared_and_reduced": "area cleared and reduced",
    "area_cancelled_or_reduced": "area cancelled or reduced",
    "area_inspected": "area inspected",
    # funding measure
    "in_kind": "in kind",
    # item_category
    "AP_mine": "anti-personnel mines",
    "AT_mine": "anti-tank mines",
    "UXO": "unexploded ordnance",
    "mine": "mines",
    "all": "all",
    # programme_scope
    "pre_2020_programme": "national programme before Nov 2020",
    "post_2020_regained_territories": "regained territories since Nov 2020",
    "national": "national",
    "global": "world",
    # period_type
    "partial_year": "part of a year",
    "multi_year": "several years",
    # qualifier
    "lower_bound": "lower bound",
    "upper_bound": "upper bound",
    # recorder
    "Landmine_Monitor": "Landmine Monitor",
    "official_Azerbaijan": "official Azerbaijani source",
    # population estimate_type
    "mid_year": "mid-year",
    "start_of_year": "start of year",
    # sdg_values cause
    "heavyweapons": "heavy weapons",
    "smallarms": "small arms",
    # source_type
    "press_report_of_official_statement": "press report of an official statement",
    "ngo_statement_press": "NGO statement reported in the press",
    "monitoring_report": "monitoring report",
    "donor_official_statement": "donor's official statement",
    # conference claim verdict
    "not_supported": "not supported",
    "not_verified": "not verified",
}


def plain_words(code: object) -> str | None:
    """A data code in plain words ('inconsistent_with_series' -> 'inconsistent with the series');
    codes without an entry lose their underscores. Missing values stay None."""
    if code is None or (isinstance(code, float) and pd.isna(code)) or code is pd.NA:
        return None
    text = str(code)
    return PLAIN_WORDS.get(text, text.replace("_", " "))


def plain(values: pd.Series) -> pd.Series:
    """:func:`plain_words` over a column."""
    return values.map(plain_words)


# --------------------------------------------------------------------------------------------
# Small shared helpers


def pct_text(share: float) -> str:
    """A derived percentage to one decimal: '24.2%'."""
    return f"{share:.1f}%"


def month_label(value: pd.Timestamp) -> str:
    """'Oct 2024'."""
    return date_label(value, "month")


def country_name(iso3: str) -> str:
    """The English short name of a country ('Azerbaijan'); the code itself when unknown."""
    found = pycountry.countries.get(alpha_3=iso3)
    return found.name if found is not None else iso3


def specific_to(ch, countries: Iterable[str | None], what: str) -> str:
    """The sentence said instead of a section whose material exists only for other countries:
    'This section is about Azerbaijan-specific material (<what>), not available for Cambodia.'"""
    names = [country_name(c) for c in dict.fromkeys(countries) if c and c != ch.country]
    owner = " and ".join(names) + "-specific" if names else "country-specific"
    return f"This section is about {owner} material ({what}), not available for {ch.country_name}."


# Scope words of the chapters not yet on section specs (the new chapters read them from the profile).
SCOPE_WORDS = {
    "pre_2020_programme": "national programme, areas under government control before Nov 2020",
    "post_2020_regained_territories": "regained territories since 10 Nov 2020",
    "national": "whole country",
    "global": "world",
}
