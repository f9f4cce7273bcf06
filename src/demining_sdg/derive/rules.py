"""Derivation rules that turn sourced observations into analysis-ready series.

Every function here is pure (frames in, frames out), documented with its rule, and unit
tested on hand-made frames. Derived values are always labelled as derived by the caller.
"""

from __future__ import annotations

import math

import pandas as pd

# Source preference: lower tier wins. Stated in the report's methods chapter.
EVIDENCE_TIERS: dict[str, int] = {
    "monitoring_report": 1,
    "official_statistics": 2,
    "official_document": 2,
    "official_press_release": 2,
    "official_website": 2,
    "official_metadata": 2,
    "official_national_metadata": 2,
    "official_publication_page": 2,
    "donor_official_statement": 2,
    "un_country_team_website": 2,
    "ngo_data": 2,
    "press_report_of_official_statement": 3,
    "press_report_of_official_document": 3,
    "press_report_of_monitoring_report": 3,
    "press_quote_of_monitoring_report": 3,
    "official_statistics_press": 3,
    "ngo_statement_press": 3,
    "ngo_report_press": 3,
    "press_report": 3,
}
TIER_NAMES = {
    1: "monitoring report",
    2: "official statistics or document",
    3: "press report of an official statement",
    4: "secondary source",
}
UNIT_TO_HECTARES = {"ha": 1.0, "km2": 100.0, "m2": 0.0001}


def evidence_tier(source_type: str | None) -> int:
    """1 = monitoring report, 2 = official statistics/document, 3 = press report of an official
    statement, 4 = secondary (summaries, blogs, aggregators and anything unlisted)."""
    if source_type is None:
        return 4
    if source_type.startswith("official_statistics") and "press" not in source_type:
        return 2
    return EVIDENCE_TIERS.get(source_type, 4)


def combined_qualifier(qualifiers) -> str:
    """The qualifier of a figure computed from others (a sum, a difference): a single figure's own;
    of several, exact only when every one of them is exact, else approximate."""
    qualifiers = list(qualifiers)
    if len(qualifiers) == 1:
        return qualifiers[0]
    return "exact" if all(q == "exact" for q in qualifiers) else "approximate"


def with_hectares(frame: pd.DataFrame) -> pd.DataFrame:
    """The frame with ``hectares``: its ``value`` in its ``unit`` as hectares (:func:`to_hectares`)."""
    return frame.assign(hectares=to_hectares(frame["value"], frame["unit"]))


def to_hectares(values: pd.Series, units: pd.Series) -> pd.Series:
    """Convert areas to hectares (1 km² = 100 ha; 1 ha = 10,000 m²). Non-area units give NaN."""
    factor = units.map(UNIT_TO_HECTARES)
    return values.astype("float64") * factor.astype("float64")


def increments_from_cumulative(points: pd.DataFrame, date_col: str = "date", value_col: str = "value") -> pd.DataFrame:
    """Per-period increments between consecutive cumulative points.

    Rule: sort by date; for each pair of consecutive points the increment is the later value
    minus the earlier one, over the period (earlier date, later date]. Points on the same date
    must have been reconciled first (ValueError otherwise). A negative increment means the
    sources are inconsistent; it is kept and marked ``consistent = False``, never dropped.
    """
    if points[date_col].duplicated().any():
        raise ValueError("several cumulative points share a date; pick one per date first")
    ordered = points.sort_values(date_col).reset_index(drop=True)
    result = pd.DataFrame(
        {
            "period_start": ordered[date_col].shift(1),
            "period_end": ordered[date_col],
            "increment": ordered[value_col] - ordered[value_col].shift(1),
        }
    ).iloc[1:]
    result["days"] = (result["period_end"] - result["period_start"]).dt.days
    result["consistent"] = result["increment"] >= 0
    return result.reset_index(drop=True)


def pick_preferred(
    observations: pd.DataFrame,
    key: list[str],
    tier_col: str = "evidence_tier",
    tie_breakers: list[str] | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """One value per key by source preference; the others are returned as conflicts.

    Rule: the lowest evidence tier wins (monitoring report > official > press > secondary);
    among equal tiers, ``tie_breakers`` (default: the latest ``period_end``, then the lowest
    ``obs_id``) decide. Returns (chosen rows, other rows with ``differs`` = value differs
    from the chosen value).
    """
    tie_breakers = tie_breakers or ["period_end", "obs_id"]
    ascending = [True] + [column != "period_end" for column in tie_breakers]
    ordered = observations.sort_values([tier_col, *tie_breakers], ascending=ascending, kind="mergesort")
    chosen_mask = ~ordered.duplicated(subset=key, keep="first")
    chosen = ordered[chosen_mask]
    others = ordered[~chosen_mask].merge(
        chosen[[*key, "value", "obs_id"]].rename(columns={"value": "chosen_value", "obs_id": "chosen_obs_id"}),
        on=key,
        how="left",
    )
    others["differs"] = others["value"] != others["chosen_value"]
    return chosen.sort_values(key).reset_index(drop=True), others.reset_index(drop=True)


def annual_average_rates(rates: pd.DataFrame) -> pd.DataFrame:
    """Yearly mean of daily ECB reference rates (units of currency per EUR), per currency.

    Derived: the ECB publishes daily rates; annual averages are computed here.
    """
    frame = rates.assign(year=rates["date"].dt.year)
    return (
        frame.groupby(["currency", "year"], as_index=False)["units_per_eur"]
        .agg(units_per_eur="mean", days="count")
        .sort_values(["currency", "year"], ignore_index=True)
    )


def rate_on(rates: pd.DataFrame, currency: str, value_date: pd.Timestamp) -> tuple[float, pd.Timestamp]:
    """Units of ``currency`` per EUR on ``value_date``, or on the latest earlier ECB day of the
    same year (weekends, holidays). EUR itself is 1. Raises LookupError when none exists."""
    if currency == "EUR":
        return 1.0, value_date
    same_year = rates[
        (rates["currency"] == currency) & (rates["date"] <= value_date) & (rates["date"].dt.year == value_date.year)
    ]
    if same_year.empty:
        later = rates[(rates["currency"] == currency) & (rates["date"].dt.year == value_date.year)]
        if later.empty:
            raise LookupError(f"no ECB {currency} rate in {value_date.year}")
        same_year = later.head(1)
    row = same_year.sort_values("date").iloc[-1]
    return float(row["units_per_eur"]), row["date"]


def convert_amounts(
    funding: pd.DataFrame,
    rates: pd.DataFrame,
    target: str,
    amount_col: str = "value",
    currency_col: str = "unit",
    date_col: str = "value_date",
) -> pd.DataFrame:
    """Convert money rows to ``target`` with the ECB rate of their value date.

    Rule (IATI value-date convention): amount × (target per EUR) / (currency per EUR), with
    rates of the value date or the latest earlier ECB day in that year. Cross rates (e.g.
    GBP→USD) go through EUR. Original amount and currency are kept; the rate used and its date
    are added, and the converted column is named ``amount_<target>``.
    """
    converted = funding.copy()
    amounts, used_rates, rate_dates = [], [], []
    for amount, currency, value_date in zip(converted[amount_col], converted[currency_col], converted[date_col]):
        source_rate, source_date = rate_on(rates, currency, value_date)
        target_rate, target_date = rate_on(rates, target, value_date)
        factor = target_rate / source_rate
        amounts.append(amount * factor)
        used_rates.append(factor)
        rate_dates.append(source_date if currency != "EUR" else target_date)
    converted[f"amount_{target.lower()}"] = amounts
    converted[f"rate_to_{target.lower()}"] = used_rates
    converted["rate_date"] = rate_dates
    return converted


def rate_per_100k(count: pd.Series, population: pd.Series) -> pd.Series:
    """Events per 100,000 population: count / population × 100,000 (derived)."""
    return count.astype("float64") / population.astype("float64") * 100_000


YEAR_DAYS = 365.25  # a mean calendar year: durations are years as floats, so no date overflows


def years_between(start: pd.Timestamp, end: pd.Timestamp) -> float:
    """The time from ``start`` to ``end`` in years of YEAR_DAYS days (negative when ``end`` comes first)."""
    return (end - start).days / YEAR_DAYS


def decimal_year(date: pd.Timestamp) -> float:
    """The date as its year and the share of it gone by at its start (1 Jan 2024 = 2024.0)."""
    return date.year + (date.day_of_year - 1) / YEAR_DAYS


def year_end(year: float) -> pd.Timestamp:
    """31 December of the year."""
    return pd.Timestamp(year=int(year), month=12, day=31)


def _factor(years: float, growth: float) -> float:
    """(1 + g)^t − 1; inf where it overflows."""
    try:
        return math.expm1(years * math.log1p(growth))
    except OverflowError:
        return math.inf


def cleared_after(years: float, rate: float, growth: float) -> float:
    """S(t): area cleared in ``years`` at first-year ``rate`` growing by ``growth`` (0.05 = 5%) a year: the
    scenario rule of the outlook, S(t) = a·((1 + g)^t − 1) / g, or a·t without growth (derived, never a forecast)."""
    if years <= 0:
        return 0.0
    return rate * years if growth == 0 else rate * _factor(years, growth) / growth


def years_to_complete(remaining: float, rate: float, growth: float) -> float:
    """n with S(n) = remaining; inf when the rate never gets there."""
    if remaining <= 0:
        return 0.0
    ratio = remaining * growth / rate if rate > 0 else math.nan
    if rate <= 0 or ratio <= -1 or math.isnan(ratio):
        return math.inf
    n = remaining / rate if growth == 0 else math.log1p(ratio) / math.log1p(growth)
    return math.inf if math.isnan(n) else n


def required_rate(remaining: float, years: float, growth: float = 0.0) -> float:
    """First-year rate a with S(years) = remaining; inf when no time is left."""
    if remaining <= 0:
        return 0.0
    factor = years if growth == 0 or years <= 0 else _factor(years, growth) / growth
    return remaining / factor if factor > 0 else math.inf
