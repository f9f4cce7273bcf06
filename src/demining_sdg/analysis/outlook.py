"""Chapter 7: outlook scenarios — how long clearance would take at stated rates (derived).

Every number here is a scenario computed from sourced inputs and the outlook parameters, never
a forecast. The arithmetic:

* remaining area R = contamination estimate − latest cumulative area cleared (for estimates of
  the whole contaminated area); for estimates of the *remaining* area, R = the estimate, as of
  its own date;
* in projected year k (k = 1, 2, ...) the area cleared is a·(1+g)^(k−1), where a is the rate in
  the first projected year and g the yearly growth of the rate;
* so after t years S(t) = a·((1+g)^t − 1)/g (S(t) = a·t when g = 0), and the years to clear R are
  n = ln(1 + R·g/a) / ln(1+g) (n = R/a when g = 0); with negative growth the area is never
  cleared when R ≥ a/(−g);
* the first-year rate needed to clear R within t years is a = R·g/((1+g)^t − 1) (R/t when g = 0).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

import matplotlib.dates as mdates
import numpy as np
import pandas as pd
from IPython.display import HTML

from demining_sdg.analysis import clearance
from demining_sdg.analysis.clearance import fit_title
from demining_sdg.analysis.common import (
    date_label,
    latest,
    month_label,
    plain,
    plain_words,
    qualified,
    source_line,
    usable,
)
from demining_sdg.derive.rules import to_hectares
from demining_sdg.present import figures, show
from demining_sdg.present.chapter import Chapter
from demining_sdg.present.show import Finding

CURRENT_WINDOW_YEARS = 3  # estimates older than this before the latest one are not "current"
WHOLE_ESTIMATES = {
    "estimated_contaminated_area": "total",
    "estimated_mined_area": "total",
    "area_to_be_cleared": "total",
    "suspected_hazardous_area": "total",
    "estimated_remaining_area": "remaining",
}
PART_ESTIMATES = {
    "estimated_ap_mine_area",
    "estimated_mine_area",
    "estimated_cmr_area",
    "estimated_landmine_contaminated_area",
    "estimated_remaining_mine_area",
    "estimated_remaining_cm_erw_area",
}
ORIGINAL_ESTIMATES = {"estimated_total_contaminated_area_original"}
SHARE_ESTIMATES = {"share_of_territory_contaminated"}
AREA_UNITS = ("ha", "km2", "m2")
YEAR_DAYS = 365.25


# ---------------------------------------------------------------------------------------------
# Scenario arithmetic (pure)
# ---------------------------------------------------------------------------------------------


def cleared_after(years: float, rate: float, growth: float) -> float:
    """S(t): area cleared in ``years`` years at first-year ``rate`` growing by ``growth`` (a
    fraction, 0.05 = 5%) a year."""
    if years <= 0:
        return 0.0
    if growth == 0:
        return rate * years
    return rate * ((1 + growth) ** years - 1) / growth


def years_to_complete(remaining: float, rate: float, growth: float) -> float:
    """n with S(n) = remaining; math.inf when the rate never gets there."""
    if remaining <= 0:
        return 0.0
    if rate <= 0:
        return math.inf
    if growth == 0:
        return remaining / rate
    x = 1 + remaining * growth / rate
    if x <= 0:
        return math.inf
    return math.log(x) / math.log1p(growth)


def required_rate(remaining: float, years: float, growth: float = 0.0) -> float:
    """First-year rate a with S(years) = remaining; math.inf when no time is left."""
    if remaining <= 0:
        return 0.0
    if years <= 0:
        return math.inf
    if growth == 0:
        return remaining / years
    return remaining * growth / ((1 + growth) ** years - 1)


def years_between(start: pd.Timestamp, end: pd.Timestamp) -> float:
    return (end - start).days / YEAR_DAYS


def add_years(start: pd.Timestamp, years: float) -> pd.Timestamp | None:
    if not math.isfinite(years) or years > 500:
        return None
    return start + pd.Timedelta(days=years * YEAR_DAYS)


def end_of_year(year: int) -> pd.Timestamp:
    return pd.Timestamp(year=int(year), month=12, day=31)


# ---------------------------------------------------------------------------------------------
# Inputs from the data and the parameters
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Estimate:
    role: str  # "low" or "high"
    hectares: float
    stated: str  # as the source qualifies it, e.g. "about 9,000 km²"
    qualifier: str
    kind: str  # "total" or "remaining"
    date: pd.Timestamp | None
    source_id: str | None  # None when set by a parameter
    publisher: str | None
    obs_id: str | None
    stated_by: str | None = None

    @property
    def label(self) -> str:
        who = f"{self.publisher}, {self.source_id}" if self.source_id else "parameter"
        return f"{self.role} estimate: {self.stated} ({who})"

    @property
    def short(self) -> str:
        who = self.source_id or "parameter"
        return f"{self.role}: {self.stated} ({who})"


@dataclass(frozen=True)
class Basis:
    rate_ha: float
    rate_qualifier: str
    rate_year: int | None
    rate_sources: tuple[str, ...]
    rate_derived_sum: bool
    rate_from_parameter: bool
    growth: float  # fraction
    cleared: pd.Series | None  # latest cumulative area cleared
    low: Estimate
    high: Estimate
    target_year: int
    area_target: pd.Series | None
    deadline: pd.Series | None
    pace: dict | None
    # The rate is the pace between the two latest cumulative figures (derived) because the latest
    # full-year figure (``stale_rate``) is older than the currency window.
    rate_from_pace: bool = False
    stale_rate: pd.Series | None = None

    @property
    def growth_pct(self) -> float:
        return self.growth * 100

    @property
    def rate_text(self) -> str:
        if self.rate_from_pace:  # a derived average: whole hectares
            return f"{_about(self.rate_qualifier)}{_ha(self.rate_ha)}"
        return qualified(self.rate_ha, self.rate_qualifier, "ha")

    @property
    def rate_name(self) -> str:
        """How the rate is called in labels: 'the 2024 rate', 'the recent pace', 'the set rate'."""
        if self.rate_from_pace:
            return "the recent pace"
        return f"the {self.rate_year} rate" if self.rate_year else "the set rate"

    @property
    def rate_origin(self) -> str:
        if self.rate_from_parameter:
            return "set by parameter outlook.annual_clearance_ha"
        if self.rate_from_pace:
            p, old = self.pace, self.stale_rate
            return (
                f"average yearly increase of the cumulative area cleared between {date_label(p['from']['period_end'], 'day')} "
                f"and {date_label(p['to']['period_end'], 'day')}, derived; the latest full-year figure, for {int(old['year'])}, "
                f"is more than {CURRENT_WINDOW_YEARS} years older than the newest cumulative figure"
            )
        summed = ", a derived sum of hazard types" if self.rate_derived_sum else ""
        return f"full-year area cleared in {self.rate_year}{summed}"

    def estimates(self) -> list[Estimate]:
        if self.low.hectares == self.high.hectares and self.low.source_id == self.high.source_id:
            return [replace(self.low, role="low and high")]
        return [self.low, self.high]


def considered_estimates(ch: Chapter) -> pd.DataFrame:
    """Every contamination estimate of the country that could bound the scenarios, with the
    reason it is used or not."""
    table = ch.data.table("contamination_targets")
    names = set(WHOLE_ESTIMATES) | PART_ESTIMATES | ORIGINAL_ESTIMATES | SHARE_ESTIMATES
    rows = table[(table["iso3"] == ch.country) & table["indicator"].isin(names)].copy()
    rows["hectares"] = to_hectares(rows["value"], rows["unit"])
    rows["kind"] = rows["indicator"].map(WHOLE_ESTIMATES)
    candidates = rows[
        rows["indicator"].isin(WHOLE_ESTIMATES)
        & rows["quality_flag"].isna()
        & rows["hectares"].notna()
        & rows["reference_date"].notna()
    ]
    newest = candidates["reference_date"].max() if len(candidates) else None
    reasons = []
    for _, row in rows.iterrows():
        if isinstance(row["quality_flag"], str):
            reasons.append(f"not used: flagged {plain_words(row['quality_flag'])}")
        elif row["indicator"] in SHARE_ESTIMATES:
            reasons.append("not used: a share of the territory, no area stated")
        elif row["indicator"] in ORIGINAL_ESTIMATES:
            reasons.append("not used: original total before any clearance")
        elif row["indicator"] in PART_ESTIMATES:
            reasons.append("not used: one hazard type only")
        elif pd.isna(row["hectares"]):
            reasons.append("not used: no area stated")
        elif pd.isna(row["reference_date"]):
            reasons.append("not used: undated")
        elif newest is not None and years_between(row["reference_date"], newest) > CURRENT_WINDOW_YEARS:
            reasons.append(f"not used: more than {CURRENT_WINDOW_YEARS} years older than the latest estimate")
        else:
            reasons.append("current")
    rows["use"] = reasons
    current = rows[rows["use"] == "current"]
    if len(current):
        low_id = current.sort_values(["hectares", "obs_id"]).iloc[0]["obs_id"]
        high_id = current.sort_values(["hectares", "obs_id"], ascending=[False, True]).iloc[0]["obs_id"]
        rows.loc[rows["obs_id"] == low_id, "use"] = "low estimate"
        rows.loc[rows["obs_id"] == high_id, "use"] = "high estimate" if high_id != low_id else "low and high estimate"
        rows.loc[rows["use"] == "current", "use"] = "current, between low and high"
    return rows.sort_values(["reference_date", "obs_id"], na_position="last")


def _estimate(role: str, row: pd.Series | None, parameter: float | None, sources: pd.DataFrame) -> Estimate | None:
    if parameter is not None:
        # a parameter replaces the sourced bound and is read the same way (same kind, same date)
        kind = row["kind"] if row is not None else "total"
        date = row["reference_date"] if row is not None and kind == "remaining" else None
        return Estimate(
            role, float(parameter), qualified(parameter, "exact", "ha"), "exact", kind, date, None, None, None
        )
    if row is None:
        return None
    return Estimate(
        role,
        float(row["hectares"]),
        qualified(row["value"], row["qualifier"], row["unit"]),
        row["qualifier"],
        row["kind"],
        row["reference_date"],
        row["source_id"],
        sources.at[row["source_id"], "publisher"],
        row["obs_id"],
        row["stated_by"] if isinstance(row["stated_by"], str) else None,
    )


def rate_is_current(rate_row: pd.Series, cleared: pd.Series | None) -> bool:
    """The currency rule of the estimates, applied to the rate: a full-year figure is current when
    its year ends at most CURRENT_WINDOW_YEARS before the newest cumulative figure."""
    if cleared is None or pd.isna(cleared["period_end"]):
        return True
    return years_between(end_of_year(int(rate_row["year"])), cleared["period_end"]) <= CURRENT_WINDOW_YEARS


def latest_rate(ch: Chapter) -> pd.Series | None:
    """Latest full-year area cleared (usable annual rows, focus geography)."""
    bars, _ = clearance.annual_area(ch)
    if bars.empty:
        return None
    full = bars[(bars["measure"] == "area_cleared") & ~bars["partial"]].sort_values("year")
    return full.iloc[-1] if len(full) else None


def recent_pace(ch: Chapter) -> dict | None:
    """Average yearly area cleared between the last two cumulative figures (derived)."""
    series = clearance.area_series(ch)
    if len(series) < 2:
        return None
    first, last = series.iloc[-2], series.iloc[-1]
    years = years_between(first["period_end"], last["period_end"])
    if years <= 0:
        return None
    return {
        "ha_per_year": (last["hectares"] - first["hectares"]) / years,
        "from": first,
        "to": last,
        "qualifier": "exact" if first["qualifier"] == last["qualifier"] == "exact" else "approximate",
    }


def deadline(ch: Chapter) -> pd.Series | None:
    table = ch.data.table("contamination_targets")
    rows = usable(
        table[(table["iso3"] == ch.country) & (table["indicator"] == "art5_deadline") & (table["unit"] == "year")]
    )
    return latest(rows, "reference_date")


def basis(ch: Chapter) -> Basis | None:
    """The scenario inputs, or None when the data lack a rate or an estimate."""
    knobs = ch.params.outlook
    sources = ch.data.sources
    considered = considered_estimates(ch)
    low_row = considered[considered["use"].isin(["low estimate", "low and high estimate"])]
    high_row = considered[considered["use"].isin(["high estimate", "low and high estimate"])]
    low = _estimate("low", low_row.iloc[0] if len(low_row) else None, knobs.contaminated_area_low_ha, sources)
    high = _estimate("high", high_row.iloc[0] if len(high_row) else None, knobs.contaminated_area_high_ha, sources)
    if low is None or high is None:
        return None
    if low.hectares > high.hectares:  # one bound set by a parameter below/above the sourced other
        low, high = replace(high, role="low"), replace(low, role="high")
    cleared = clearance.latest_cumulative_area(ch)
    if cleared is None and "total" in (low.kind, high.kind):
        return None
    rate_row = latest_rate(ch)
    pace = recent_pace(ch)
    from_pace, stale = False, None
    if knobs.annual_clearance_ha is not None:
        rate = (float(knobs.annual_clearance_ha), "exact", None, (), False, True)
    elif (
        rate_row is not None
        and pace is not None
        and not rate_is_current(rate_row, clearance.latest_cumulative_area(ch))
    ):
        # the latest full-year figure is out of date: use the pace of the two latest cumulative figures
        from_pace, stale = True, rate_row
        rate = (
            float(pace["ha_per_year"]),
            pace["qualifier"],
            None,
            (pace["from"]["source_id"], pace["to"]["source_id"]),
            False,
            False,
        )
    elif rate_row is not None:
        rate = (
            float(rate_row["area_ha"]),
            rate_row["qualifier"],
            int(rate_row["year"]),
            tuple(rate_row["source_id"].split(";")),
            bool(rate_row["derived_sum"]),
            False,
        )
    else:
        return None
    return Basis(
        *rate,
        growth=knobs.clearance_growth_pct / 100,
        cleared=cleared,
        low=low,
        high=high,
        target_year=knobs.target_year,
        area_target=clearance.area_target(ch),
        deadline=deadline(ch),
        pace=pace,
        rate_from_pace=from_pace,
        stale_rate=stale,
    )


# ---------------------------------------------------------------------------------------------
# Scenarios
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Scenario:
    estimate: Estimate
    growth: float
    rate_ha: float
    start: pd.Timestamp
    base_ha: float  # cumulative area cleared at the start (0 for remaining-area estimates)
    remaining_ha: float
    years: float
    finish: pd.Timestamp | None
    horizon_years: float  # start to the end of the target year
    cleared_by_target_year_ha: float
    rate_needed_ha: float  # first-year rate to finish by the end of the target year, same growth

    @property
    def cumulative_by_target_year_ha(self) -> float:
        """Cumulative area cleared at the end of the target year (what the fan chart draws):
        the cleared area at the start plus the area added. NaN for remaining-area estimates,
        whose scenarios count only the area cleared after their start."""
        if self.estimate.kind != "total":
            return math.nan
        return self.base_ha + self.cleared_by_target_year_ha

    @property
    def finish_year(self) -> int | None:
        return None if self.finish is None else self.finish.year

    @property
    def finish_text(self) -> str:
        return "not reached at this rate" if self.finish is None else str(self.finish.year)


def start_and_base(b: Basis, estimate: Estimate) -> tuple[pd.Timestamp, float, float]:
    """(start date, cumulative cleared at the start, remaining area) for one estimate."""
    if estimate.kind == "remaining":
        start = estimate.date if estimate.date is not None else _undated_start(b)
        return start, 0.0, estimate.hectares
    return b.cleared["period_end"], float(b.cleared["hectares"]), estimate.hectares - float(b.cleared["hectares"])


def _undated_start(b: Basis) -> pd.Timestamp:
    """Start of a remaining-area scenario whose estimate has no date: a date from the data (the
    latest cumulative figure, else the end of the rate's year), else the start of the target year
    — never the day of the render."""
    if b.cleared is not None and pd.notna(b.cleared["period_end"]):
        return b.cleared["period_end"]
    if b.rate_year is not None:
        return end_of_year(b.rate_year)
    return pd.Timestamp(year=b.target_year, month=1, day=1)


def scenario(b: Basis, estimate: Estimate, growth: float) -> Scenario:
    start, base, remaining = start_and_base(b, estimate)
    years = years_to_complete(remaining, b.rate_ha, growth)
    horizon = years_between(start, end_of_year(b.target_year))
    return Scenario(
        estimate=estimate,
        growth=growth,
        rate_ha=b.rate_ha,
        start=start,
        base_ha=base,
        remaining_ha=remaining,
        years=years,
        finish=add_years(start, years),
        horizon_years=horizon,
        cleared_by_target_year_ha=min(cleared_after(horizon, b.rate_ha, growth), max(remaining, 0.0)),
        rate_needed_ha=required_rate(remaining, horizon, growth),
    )


def growth_values(b: Basis) -> list[float]:
    return [0.0] if b.growth == 0 else [0.0, b.growth]


def scenarios(b: Basis) -> list[Scenario]:
    return [scenario(b, e, g) for e in b.estimates() for g in growth_values(b)]


def _ha(value: float) -> str:
    """A derived area in whole hectares."""
    return "–" if not math.isfinite(value) else f"{round(value):,} ha"


def _years(value: float) -> str:
    return "never at this rate" if not math.isfinite(value) else f"{value:.1f}"


def _about(*qualifiers: str | None) -> str:
    return "about " if any(q not in (None, "exact") for q in qualifiers) else ""


def _growth_words(growth: float) -> str:
    return "no growth" if growth == 0 else f"growth of {growth * 100:g}% a year"


def _span_ha(values: list[float]) -> str:
    """'632,000–732,000 ha' for derived areas."""
    texts = list(dict.fromkeys(f"{round(v):,}" for v in values if math.isfinite(v)))
    if not texts:
        return "–"
    return (texts[0] if len(texts) == 1 else f"{texts[0]}–{texts[-1]}") + " ha"


def finish_phrase(runs: list[Scenario]) -> str:
    """'in 2035–2036', 'never at this rate' or 'in 2040, or never at this rate'."""
    years = sorted({s.finish_year for s in runs if s.finish_year is not None})
    never = any(s.finish_year is None for s in runs)
    if not years:
        return "never at this rate"
    text = f"in {_span([str(y) for y in years])}"
    return text + (", or never at this rate" if never else "")


def duration_phrase(runs: list[Scenario]) -> str:
    finite = sorted(s.years for s in runs if math.isfinite(s.years))
    if not finite:
        return "the area would never be cleared: the shrinking rate adds up to less than the remaining area"
    return f"clearing it would take {_span([_years(y) for y in finite])} years, ending {finish_phrase(runs)}"


def _span(values: list[str]) -> str:
    unique = list(dict.fromkeys(values))
    return unique[0] if len(unique) == 1 else f"{unique[0]}–{unique[-1]}"


def scenario_frame(ch: Chapter) -> pd.DataFrame:
    b = basis(ch)
    if b is None:
        return pd.DataFrame()
    end = b.target_year
    runs = scenarios(b)
    starts = {s.start for s in runs}
    since = month_label(next(iter(starts))) if len(starts) == 1 else "the start"
    records = []
    for s in runs:
        ids = [i for i in (s.estimate.source_id,) if i]
        if s.estimate.kind == "total" and b.cleared is not None:
            ids.append(b.cleared["source_id"])
        ids += list(b.rate_sources)
        records.append(
            {
                "estimate": s.estimate.short,
                "start": s.start,
                "remaining at start (ha, derived)": round(s.remaining_ha),
                "first-year rate (ha)": b.rate_ha,
                "rate growth (% a year)": s.growth * 100,
                "years to finish (derived)": round(s.years, 1) if math.isfinite(s.years) else None,
                "finish year (derived)": s.finish_text,
                f"added {since} – end {end} (ha, derived)": round(s.cleared_by_target_year_ha),
                f"cumulative cleared by end {end} (ha, derived)": (
                    round(s.cumulative_by_target_year_ha) if math.isfinite(s.cumulative_by_target_year_ha) else None
                ),
                f"first-year rate needed to finish by end {end} (ha, derived)": round(s.rate_needed_ha)
                if math.isfinite(s.rate_needed_ha)
                else None,
                "source_ids": ";".join(dict.fromkeys(ids)),
            }
        )
    return pd.DataFrame(records)


def scenario_table(ch: Chapter) -> HTML:
    table = scenario_frame(ch)
    if table.empty:
        return _missing(ch)
    ids = [s for v in table["source_ids"] for s in v.split(";") if s]
    return show.table(
        table,
        caption=f"Clearance scenarios, {ch.country_name} (derived; scenarios, not forecasts)",
        source=source_line(ch.data.sources, ids) or "outlook parameters",
        note_text="Remaining = estimate minus the latest cumulative area cleared (for estimates of the remaining "
        "area: the estimate itself, from its date). Years to finish n = ln(1 + R·g/a) / ln(1 + g), or R/a with no "
        "growth (R remaining area, a first-year rate, g yearly growth). Rate needed = R·g / ((1 + g)^t − 1), or R/t, "
        "with t the years from the start to the end of the target year. Added = area cleared after the start; cumulative "
        "= the area cleared at the start plus the area added (what the chart draws; '–' for an estimate of the "
        "remaining area, whose scenario counts only the area cleared after its date).",
    )


def _missing(ch: Chapter) -> HTML:
    return show.missing(
        f"No scenario can be computed for {ch.country_name}: the data lack a full-year area cleared, a current "
        "contamination estimate with an area, or a cumulative area cleared to subtract from it."
    )


# ---------------------------------------------------------------------------------------------
# Tables of inputs
# ---------------------------------------------------------------------------------------------


def estimates_table(ch: Chapter) -> HTML:
    rows = considered_estimates(ch)
    b = basis(ch)
    if rows.empty:
        return show.missing(f"No contamination estimate of {ch.country_name} is in the data.")
    table = pd.DataFrame(
        {
            "indicator": plain(rows["indicator"]),
            "as stated": rows["value_as_reported"],
            "area (ha)": rows["hectares"],
            "as of": [date_label(d, p) for d, p in zip(rows["reference_date"], rows["date_precision"])],
            "scope": rows["scope"],
            "stated by": rows["stated_by"],
            "used as": rows["use"],
            "source_id": rows["source_id"],
        }
    )
    overridden = []
    if b is not None:
        overridden = [e.role for e in (b.low, b.high) if e.source_id is None]
    note = (
        f"The low and high scenario bounds are the lowest and highest current estimates with an area (current = "
        f"dated within {CURRENT_WINDOW_YEARS} years of the latest estimate; whole contaminated area, not one hazard "
        "type). Hectares derived from km² (1 km² = 100 ha). AzCBL's 'must be cleared' may already exclude land "
        "cleared before it was stated; it is treated like the other estimates of the whole area."
    )
    if overridden:
        note += f" The {' and '.join(overridden)} bound is set by an outlook parameter in this run, replacing the sourced value."
    return show.table(
        table,
        caption=f"Contamination estimates considered for the scenarios, {ch.country_name}",
        source=source_line(ch.data.sources, table["source_id"]),
        note_text=note,
    )


def basis_table(ch: Chapter) -> HTML:
    b = basis(ch)
    if b is None:
        return _missing(ch)
    rows = [
        ("clearance rate in the first projected year", b.rate_text, b.rate_origin, ";".join(b.rate_sources)),
        ("growth of the rate", _growth_words(b.growth), "parameter outlook.clearance_growth_pct", ""),
    ]
    for e in b.estimates():
        origin = (
            f"{'estimate of the remaining area' if e.kind == 'remaining' else 'estimate of the whole contaminated area'}"
            + (f", {date_label(e.date, 'day')}" if e.date is not None else "")
            if e.source_id
            else "outlook parameter"
        )
        label = f"{e.role} contamination estimate"
        rows.append((label, e.stated, origin, e.source_id or ""))
    if b.cleared is not None:
        rows.append(
            (
                "area cleared to date (cumulative)",
                qualified(b.cleared["hectares"], b.cleared["qualifier"], "ha"),
                f"latest cumulative figure, {date_label(b.cleared['period_end'], b.cleared['date_precision'])}"
                + (
                    ""
                    if any(e.kind == "total" for e in b.estimates())
                    else "; not subtracted, the estimate is of the remaining area"
                ),
                b.cleared["source_id"],
            )
        )
    rows.append(("scenarios run to", f"end of {b.target_year}", "parameter outlook.target_year", ""))
    if b.area_target is not None:
        t = b.area_target
        rows.append(
            (
                "official area target",
                qualified(t["hectares"], t["qualifier"], "ha"),
                f"by {date_label(t['reference_date'], t['date_precision'])}; {t['stated_by']}",
                t["source_id"],
            )
        )
    if b.deadline is not None:
        d = b.deadline
        rows.append(("clearance deadline", d["value_as_reported"], f"{d['scope']}; {d['stated_by']}", d["source_id"]))
    if b.rate_from_pace:
        old = b.stale_rate
        rows.append(
            (
                "latest full-year area cleared (not used)",
                qualified(old["area_ha"], old["qualifier"], "ha"),
                f"full-year area cleared in {int(old['year'])}: more than {CURRENT_WINDOW_YEARS} years older than the "
                "newest cumulative figure, so the recent pace is used instead",
                old["source_id"],
            )
        )
    elif b.pace is not None:
        p = b.pace
        rows.append(
            (
                "recent pace (context, derived)",
                f"{_about(p['qualifier'])}{_ha(p['ha_per_year'])} a year",
                f"average between the cumulative figures of {date_label(p['from']['period_end'], 'day')} and "
                f"{date_label(p['to']['period_end'], 'day')}; not used unless set as outlook.annual_clearance_ha",
                f"{p['from']['source_id']};{p['to']['source_id']}",
            )
        )
    table = pd.DataFrame(rows, columns=["input", "value", "from", "source_ids"])
    ids = [s for v in table["source_ids"] for s in v.split(";") if s]
    return show.table(
        table,
        caption=f"Inputs of the scenarios, {ch.country_name}",
        source=source_line(ch.data.sources, ids),
        note_text="Change any of these with the outlook parameters (params/report.yaml or --set outlook.<key>=<value>).",
    )


# ---------------------------------------------------------------------------------------------
# Target gap and needed rates
# ---------------------------------------------------------------------------------------------


def target_gap(ch: Chapter, b: Basis | None = None) -> dict | None:
    """Gap between the latest cumulative area cleared and the official area target (derived)."""
    b = b or basis(ch)
    if b is None or b.area_target is None or b.cleared is None:
        return None
    t, c = b.area_target, b.cleared
    gap = float(t["hectares"] - c["hectares"])
    years = years_between(c["period_end"], t["reference_date"])
    return {
        "target": t,
        "cleared": c,
        "gap_ha": gap,
        "years_left": years,
        "rate_needed_ha": required_rate(gap, years),
        "projected_ha": {g: float(c["hectares"]) + cleared_after(years, b.rate_ha, g) for g in growth_values(b)},
    }


def needed_rates(ch: Chapter) -> pd.DataFrame:
    """The rate of the scenarios beside the constant rates needed to meet target and deadline."""
    b = basis(ch)
    if b is None:
        return pd.DataFrame()
    colour = figures.PALETTE
    rows = []
    if b.rate_from_parameter:
        rate_label, rate_basis = "rate set by parameter", "parameter"
    elif b.rate_from_pace:
        p = b.pace
        rate_label = (
            f"recent pace, {date_label(p['from']['period_end'], 'month')}–{date_label(p['to']['period_end'], 'month')} "
            "(derived; the scenario rate)"
        )
        rate_basis = "data"
    else:
        rate_label, rate_basis = f"area cleared in {b.rate_year} (full year)", "data"
    rows.append((rate_label, b.rate_ha, rate_basis, ";".join(b.rate_sources), colour["primary"]))
    if b.pace is not None and not b.rate_from_pace:
        p = b.pace
        rows.append(
            (
                f"recent pace, {date_label(p['from']['period_end'], 'month')}–{date_label(p['to']['period_end'], 'month')} (derived)",
                p["ha_per_year"],
                "derived",
                f"{p['from']['source_id']};{p['to']['source_id']}",
                colour["context"],
            )
        )
    gap = target_gap(ch, b)
    if gap is not None and gap["gap_ha"] > 0:
        t = gap["target"]
        rows.append(
            (
                f"needed for the {qualified(t['hectares'], t['qualifier'], 'ha')} target by end {t['reference_date'].year} (derived)",
                gap["rate_needed_ha"],
                "derived",
                f"{gap['cleared']['source_id']};{t['source_id']}",
                colour["accent"],
            )
        )
    deadline_year = int(b.deadline["value"]) if b.deadline is not None else None
    for s in scenarios(b):
        if s.growth != 0:
            continue
        ids = ";".join(
            i
            for i in (
                s.estimate.source_id,
                b.cleared["source_id"] if s.estimate.kind == "total" and b.cleared is not None else None,
            )
            if i
        )
        at_deadline = deadline_year == b.target_year
        rows.append(
            (
                f"needed to finish by end {b.target_year}{' (the deadline)' if at_deadline else ''}, {s.estimate.role} estimate (derived)",
                s.rate_needed_ha,
                "derived",
                ids + (f";{b.deadline['source_id']}" if at_deadline else ""),
                colour["accent"] if at_deadline else colour["secondary"],
            )
        )
        if deadline_year is not None and deadline_year != b.target_year:
            horizon = years_between(s.start, end_of_year(deadline_year))
            rows.append(
                (
                    f"needed to finish by the deadline, end {deadline_year}, {s.estimate.role} estimate (derived)",
                    required_rate(s.remaining_ha, horizon),
                    "derived",
                    ids + f";{b.deadline['source_id']}",
                    colour["accent"],
                )
            )
    frame = pd.DataFrame(rows, columns=["rate", "ha_per_year", "basis", "source_id", "colour"])
    return frame[np.isfinite(frame["ha_per_year"])]


def needed_rates_chart(ch: Chapter) -> HTML:
    frame = needed_rates(ch)
    if frame.empty:
        return _missing(ch)
    b = basis(ch)
    with figures.house_style():
        fig, ax = figures.new_figure()
        fig.subplots_adjust(left=0.36, right=0.93)
        y = np.arange(len(frame))[::-1]
        ax.barh(y, frame["ha_per_year"], color=frame["colour"], height=0.6)
        for yi, value, kind in zip(y, frame["ha_per_year"], frame["basis"]):
            text = b.rate_text if kind != "derived" else _ha(value)
            ax.annotate(
                text,
                (value, yi),
                xytext=(5, 0),
                textcoords="offset points",
                va="center",
                fontsize=11,
                color=figures.PALETTE["text"],
            )
        ax.set_yticks(y)
        ax.set_yticklabels(_wrap(frame["rate"]), fontsize=10)
        ax.set_xlabel("hectares a year")
        ax.grid(axis="y", visible=False)
        ax.grid(axis="x", visible=True)
        ax.set_xlim(0, frame["ha_per_year"].max() * 1.18)
        figures.thousands(ax, "x")
    finish = frame[frame["rate"].str.startswith(f"needed to finish by end {b.target_year}")]
    lo, hi = finish["ha_per_year"].min(), finish["ha_per_year"].max()
    span = _span([f"{round(lo):,}", f"{round(hi):,}"])
    times = _span([f"{lo / b.rate_ha:.1f}", f"{hi / b.rate_ha:.1f}"])
    title = fit_title(
        f"Finishing by {b.target_year} would need {span} ha a year, {times} times {b.rate_name}",
        f"Finishing by {b.target_year} would need {span} ha a year, {times} times the latest rate",
        f"Finishing by {b.target_year} would need {span} ha a year ({times}× the rate)",
        f"By {b.target_year}: {span} ha a year needed, {times}× {b.rate_name}",
        f"Finishing by {b.target_year}: {span} ha a year needed",
    )
    alt = (
        "Horizontal bar chart comparing clearance rates in hectares a year: "
        + "; ".join(
            f"{r} {b.rate_text if k != 'derived' else _ha(v)}"
            for r, v, k in zip(frame["rate"], frame["ha_per_year"], frame["basis"])
        )
        + ". Needed rates are constant rates from the start of each scenario (derived scenarios, not forecasts)."
    )
    data = frame.drop(columns="colour").rename(columns={"ha_per_year": "rate_ha_per_year"})
    ids = [s for v in frame["source_id"] for s in v.split(";") if s]
    return ch.chart(
        fig,
        "07_needed_rates",
        title=title,
        subtitle=f"Area cleared a year (ha): latest and needed constant rates, {ch.country_name}; scenarios (derived), not forecasts",
        source=source_line(ch.data.sources, ids) or "outlook parameters",
        alt=alt,
        data=data,
    )


def _wrap(labels: pd.Series, width: int = 42) -> list[str]:
    import textwrap

    return ["\n".join(textwrap.wrap(text, width)) for text in labels]


# ---------------------------------------------------------------------------------------------
# Fan chart
# ---------------------------------------------------------------------------------------------


def projection(s: Scenario, end: pd.Timestamp) -> pd.DataFrame:
    """Monthly cumulative area cleared under one scenario, from its start to ``end`` (derived)."""
    dates = pd.date_range(s.start, end, freq="MS")
    dates = pd.DatetimeIndex([s.start, *[d for d in dates if d > s.start], end]).unique()
    years = [(d - s.start).days / YEAR_DAYS for d in dates]
    values = [s.base_ha + min(cleared_after(t, s.rate_ha, s.growth), max(s.remaining_ha, 0.0)) for t in years]
    return pd.DataFrame({"date": dates, "area_ha": values})


def fan_chart(ch: Chapter) -> HTML:
    b = basis(ch)
    if b is None:
        return _missing(ch)
    runs = scenarios(b)
    end = end_of_year(b.target_year)
    framing_total = all(e.kind == "total" for e in b.estimates())
    # projections do not depend on the estimate for total-area estimates; one per growth value
    by_growth = {}
    for s in runs:
        by_growth.setdefault(s.growth, s)
    history = clearance.area_series(ch) if framing_total else pd.DataFrame()
    palette = figures.PALETTE
    records = []
    with figures.house_style():
        fig, ax = figures.new_figure()
        fig.subplots_adjust(right=0.78)
        if len(history):
            ax.plot(history["period_end"], history["hectares"], color=palette["primary"], marker="o", zorder=3)
            for _, r in history.iterrows():
                records.append(
                    {
                        "date": r["period_end"],
                        "series": "area cleared, cumulative (data)",
                        "area_ha": r["hectares"],
                        "source_id": r["source_id"],
                    }
                )
            last = history.iloc[-1]
            ax.annotate(
                f"{qualified(last['hectares'], last['qualifier'], 'ha')}\n({month_label(last['period_end'])})",
                (last["period_end"], last["hectares"]),
                xytext=(-8, 8),
                textcoords="offset points",
                ha="right",
                fontsize=10,
                color=palette["primary"],
            )
        lines, ends = {}, []
        for growth, s in by_growth.items():
            proj = projection(s, end)
            colour = palette["primary"] if growth == 0 else palette["secondary"]
            ax.plot(proj["date"], proj["area_ha"], color=colour, linestyle="--", zorder=2)
            lines[growth] = proj
            name = f"scenario: {b.rate_text} a year, {_growth_words(growth)}"
            about = _about(b.cleared["qualifier"]) if framing_total and b.cleared is not None else ""
            short = "no growth" if growth == 0 else f"{growth * 100:+g}% a year"
            ends.append(
                (
                    proj["area_ha"].iloc[-1],
                    f"{about}{_ha(proj['area_ha'].iloc[-1])}\nby end {b.target_year}\n(scenario, {short})",
                    colour,
                )
            )
            for d, v in zip(proj["date"], proj["area_ha"]):
                records.append(
                    {"date": d, "series": f"{name} (derived)", "area_ha": v, "source_id": ";".join(b.rate_sources)}
                )
        _end_labels(ax, end, ends)
        if len(lines) == 2:
            a, c = lines[0.0], lines[b.growth]
            ax.fill_between(a["date"], a["area_ha"], c["area_ha"], color=palette["secondary"], alpha=0.15, linewidth=0)
        # contamination estimates as levels
        x0 = history["period_end"].min() if len(history) else runs[0].start
        levels = []
        for e in b.estimates():
            level = e.hectares if framing_total else e.hectares
            levels.append(level)
            ax.hlines(level, x0, end, colors=palette["text"], linestyles=":", linewidth=1.6)
            ax.annotate(
                f"{e.role} estimate: {e.stated} = {_ha(e.hectares)} ({e.source_id or 'parameter'})",
                (x0, level),
                xytext=(2, 5),
                textcoords="offset points",
                fontsize=10,
                color=palette["text"],
                va="bottom",
            )
            records.append(
                {
                    "date": end,
                    "series": f"{e.role} contamination estimate",
                    "area_ha": level,
                    "source_id": e.source_id or "",
                }
            )
        if len(levels) == 2:
            ax.axhspan(min(levels), max(levels), color=palette["context"], alpha=0.18, linewidth=0)
        if b.area_target is not None and framing_total:
            t = b.area_target
            ax.hlines(t["hectares"], x0, t["reference_date"], colors=palette["accent"], linestyles="--", linewidth=2)
            ax.plot(t["reference_date"], t["hectares"], marker="o", color=palette["accent"], markersize=9, zorder=4)
            ax.annotate(
                f"official target: {qualified(t['hectares'], t['qualifier'], 'ha')} by end {t['reference_date'].year} ({t['source_id']})",
                (x0, t["hectares"]),
                xytext=(2, 5),
                textcoords="offset points",
                fontsize=10,
                fontweight="bold",
                color=palette["accent"],
                va="bottom",
            )
            records.append(
                {
                    "date": t["reference_date"],
                    "series": "official target",
                    "area_ha": t["hectares"],
                    "source_id": t["source_id"],
                }
            )
        if b.deadline is not None and int(b.deadline["value"]) <= b.target_year:
            when = end_of_year(int(b.deadline["value"]))
            ax.axvline(when, color=palette["accent"], linestyle="--", linewidth=2)
            ax.annotate(
                f"deadline: {b.deadline['value_as_reported']} ({b.deadline['source_id']})",
                (when, max(levels) * 0.95),
                xytext=(-6, 0),
                textcoords="offset points",
                rotation=90,
                ha="right",
                va="top",
                fontsize=10,
                color=palette["accent"],
                fontweight="bold",
            )
            records.append({"date": when, "series": "deadline", "area_ha": None, "source_id": b.deadline["source_id"]})
        ax.set_ylim(0, max(levels) * 1.1)
        ax.set_xlim(x0 - pd.Timedelta(days=60), end + pd.Timedelta(days=60))
        ax.set_ylabel(
            "area cleared, cumulative (ha)"
            if framing_total
            else f"area cleared after {month_label(runs[0].start)} (ha)"
        )
        figures.thousands(ax)
        ax.xaxis.set_major_locator(mdates.YearLocator())
        ax.xaxis.set_major_formatter(mdates.DateFormatter("%Y"))
    shown = [s for s in runs if s.growth == b.growth]
    finish = finish_phrase(shown)
    growth_part = "" if b.growth == 0 else f", growing {b.growth * 100:g}% a year"
    title = fit_title(
        f"Scenario: at {b.rate_text} a year{growth_part}, clearance would end {finish}",
        f"Scenario: at {b.rate_text} a year{growth_part}, clearance ends {finish}",
        f"Scenario at {b.rate_text} a year{'' if b.growth == 0 else f' ({b.growth * 100:+g}%/yr)'}: clearance ends {finish}",
        f"Scenario: clearance would end {finish}",
    )
    alt = (
        f"Line chart of {'cumulative area cleared (data) and ' if framing_total else ''}projected area cleared to the end of "
        f"{b.target_year} at {b.rate_text} a year ("
        + ", ".join(f"{_growth_words(g)}: {_ha(lines[g]['area_ha'].iloc[-1])} by end {b.target_year}" for g in lines)
        + "), against the contamination estimates ("
        + ", ".join(e.stated for e in b.estimates())
        + f"). At this rate the estimated area would be cleared {finish} (derived scenario, not a forecast)."
    )
    data = pd.DataFrame(records)
    data["date"] = pd.to_datetime(data["date"]).dt.strftime("%Y-%m-%d")
    ids = [s for v in data["source_id"] for s in str(v).split(";") if s]
    return ch.chart(
        fig,
        "07_outlook_scenarios",
        title=title,
        subtitle=f"Area cleared (ha), {'data and ' if len(history) else ''}scenarios to the end of {b.target_year}, "
        f"{ch.country_name}; derived, not a forecast",
        source=source_line(ch.data.sources, ids),
        alt=alt,
        data=data,
    )


def _end_labels(ax, x: pd.Timestamp, ends: list[tuple[float, str, str]]) -> None:
    """Direct labels at line ends, pushed apart when two ends are close."""
    ends = sorted(ends, key=lambda e: e[0])
    top = max(v for v, _, _ in ends) or 1
    for i, (value, text, colour) in enumerate(ends):
        shift = 0
        if len(ends) == 2 and abs(ends[1][0] - ends[0][0]) < 0.12 * top:
            shift = -24 if i == 0 else 24
        ax.annotate(
            text,
            (x, value),
            xytext=(6, shift),
            textcoords="offset points",
            va="center",
            ha="left",
            color=colour,
            fontsize=10,
            fontweight="bold",
        )


# ---------------------------------------------------------------------------------------------
# Notes and findings
# ---------------------------------------------------------------------------------------------


def target_note(ch: Chapter) -> HTML:
    b = basis(ch)
    gap = target_gap(ch, b) if b is not None else None
    if gap is None:
        if b is not None and b.deadline is not None:
            return deadline_note(ch, b)
        return show.missing(
            f"No official area target for {ch.country_name} is in the data, so no gap to a target can be computed."
        )
    t, c = gap["target"], gap["cleared"]
    about = _about(c["qualifier"])
    projected = " and ".join(f"{about}{_ha(v)} with {_growth_words(g)}" for g, v in gap["projected_ha"].items())
    text = (
        f"Official target: {qualified(t['hectares'], t['qualifier'], 'ha')} by end {t['reference_date'].year} ({t['source_id']}). "
        f"Cleared by {date_label(c['period_end'], c['date_precision'])}: {qualified(c['hectares'], c['qualifier'], 'ha')} ({c['source_id']}). "
        f"Gap (derived): {about}{_ha(gap['gap_ha'])}, to clear in {gap['years_left']:.1f} years, i.e. {about}{_ha(gap['rate_needed_ha'])} a year "
        f"at a constant rate. At the scenario rate of {b.rate_text} a year the cumulative area at the target date would be {projected} (derived)."
    )
    return show.note(text, kind="info")


def deadline_note(ch: Chapter, b: Basis) -> HTML:
    d = b.deadline
    when = end_of_year(int(d["value"]))
    parts = []
    for e in b.estimates():
        start, _, remaining = start_and_base(b, e)
        years = years_between(start, when)
        parts.append(
            f"{e.stated} ({e.source_id or 'parameter'}) from {date_label(start, 'month')}: {_ha(required_rate(remaining, years))} a year over {years:.1f} years"
        )
    text = (
        f"Deadline: {d['value_as_reported']} ({d['scope']}, {d['source_id']}). Constant rate needed to clear the remaining area by then (derived): "
        + "; ".join(parts)
        + f". The scenario rate is {b.rate_text} a year ({b.rate_origin})."
    )
    return show.note(text, kind="info")


def pace_note(ch: Chapter) -> HTML | None:
    b = basis(ch)
    if b is None or b.pace is None:
        return None
    p = b.pace
    if b.rate_from_pace:
        old = b.stale_rate
        return show.note(
            f"The latest full-year area cleared for {ch.country_name} is {qualified(old['area_ha'], old['qualifier'], 'ha')} "
            f"in {int(old['year'])} ({', '.join(old['source_id'].split(';'))}), more than {CURRENT_WINDOW_YEARS} years before "
            f"the newest cumulative figure ({date_label(p['to']['period_end'], 'day')}), so the scenarios do not use it. They use "
            f"the pace implied by the two latest cumulative figures instead: {_about(p['qualifier'])}{_ha(p['ha_per_year'])} a year "
            f"between {date_label(p['from']['period_end'], 'day')} and {date_label(p['to']['period_end'], 'day')} "
            f"({p['from']['source_id']}, {p['to']['source_id']}; derived). At the {int(old['year'])} rate, clearing the remaining "
            "area would take "
            + " and ".join(
                f"{_years(years_to_complete(start_and_base(b, e)[2], old['area_ha'], 0))} years for the {e.role} estimate"
                for e in b.estimates()
            )
            + " (derived, no growth).",
            kind="caveat",
        )
    parts = []
    for e in b.estimates():
        start, _, remaining = start_and_base(b, e)
        parts.append(
            f"{_years(years_to_complete(remaining, p['ha_per_year'], 0))} years for the {e.role} estimate ({e.stated})"
        )
    return show.note(
        f"For comparison (derived): between {date_label(p['from']['period_end'], 'day')} and {date_label(p['to']['period_end'], 'day')} "
        f"the cumulative area cleared grew by {_about(p['qualifier'])}{_ha(p['ha_per_year'])} a year "
        f"({p['from']['source_id']}, {p['to']['source_id']}). At that pace, with no growth, clearing the remaining area would take "
        + " and ".join(parts)
        + ". Set outlook.annual_clearance_ha to use this pace in the scenarios.",
        kind="info",
    )


def caveat(ch: Chapter) -> HTML:
    return show.note(
        f"These are scenarios derived from stated figures and the report's outlook parameters, not forecasts for "
        f"{ch.country_name}: clearance rates change with funding, terrain, survey results and access, and the "
        "contamination estimates have no published survey baseline.",
        kind="caveat",
    )


def findings(ch: Chapter) -> list[Finding]:
    b = basis(ch)
    if b is None:
        return []
    out = []
    runs = sorted([s for s in scenarios(b) if s.growth == b.growth], key=lambda s: s.remaining_ha)
    est_ids = [e.source_id for e in b.estimates() if e.source_id]
    cleared_part, cleared_ids = "", []
    if b.cleared is not None and any(e.kind == "total" for e in b.estimates()):
        cleared_part = (
            f" minus {qualified(b.cleared['hectares'], b.cleared['qualifier'], 'ha')} cleared by "
            f"{date_label(b.cleared['period_end'], b.cleared['date_precision'])}"
        )
        cleared_ids = [b.cleared["source_id"]]
    estimates_text = " or ".join(
        f"{e.stated} ({e.stated_by or 'parameter'}"
        + (f", remaining as of {date_label(e.date, 'month')}" if e.kind == "remaining" and e.date is not None else "")
        + ")"
        for e in b.estimates()
    )
    about = _about(*(e.qualifier for e in b.estimates()), b.cleared["qualifier"] if cleared_ids else None)
    out.append(
        Finding(
            f"Scenario (derived, not a forecast): the remaining area is {about}{_span_ha([s.remaining_ha for s in runs])}, "
            f"from {estimates_text}{cleared_part}. At {b.rate_text} a year ({b.rate_origin}) with {_growth_words(b.growth)}, "
            f"{duration_phrase(runs)}.",
            tuple(dict.fromkeys([*b.rate_sources, *est_ids, *cleared_ids])),
        )
    )
    gap = target_gap(ch, b)
    if gap is not None:
        t, c = gap["target"], gap["cleared"]
        about_c = _about(c["qualifier"])
        projected = gap["projected_ha"][b.growth]
        verdict = "would reach" if projected >= t["hectares"] else "would fall short of"
        out.append(
            Finding(
                f"Meeting the official target of {qualified(t['hectares'], t['qualifier'], 'ha')} by end {t['reference_date'].year} "
                f"needs {about_c}{_ha(gap['gap_ha'])} more after {date_label(c['period_end'], c['date_precision'])}, {about_c}{_ha(gap['rate_needed_ha'])} a year "
                f"(derived); at {b.rate_text} a year with {_growth_words(b.growth)} the scenario {verdict} it "
                f"({about_c}{_ha(projected)} by the target date).",
                tuple(dict.fromkeys([c["source_id"], t["source_id"], *b.rate_sources])),
            )
        )
    elif b.deadline is not None:
        d = b.deadline
        when = end_of_year(int(d["value"]))
        needs = [required_rate(s.remaining_ha, years_between(s.start, when)) for s in runs]
        out.append(
            Finding(
                f"Clearing the remaining area by the deadline of {d['value_as_reported']} would need "
                f"{_span_ha(sorted(needs))} a year (derived, constant rate), "
                f"{_span([f'{v / b.rate_ha:.1f}' for v in sorted(needs)])} times the scenario rate of {b.rate_text}.",
                tuple(dict.fromkeys([d["source_id"], *est_ids, *b.rate_sources])),
            )
        )
    needs = sorted(s.rate_needed_ha for s in runs if math.isfinite(s.rate_needed_ha))
    same_as_deadline = gap is None and b.deadline is not None and int(b.deadline["value"]) == b.target_year
    if needs and not same_as_deadline:
        out.append(
            Finding(
                f"Finishing by the end of {b.target_year} would need a first-year rate of {_span_ha(needs)} "
                f"({_growth_words(b.growth)}; derived), {_span([f'{v / b.rate_ha:.1f}' for v in needs])} times {b.rate_text}.",
                tuple(dict.fromkeys([*est_ids, *cleared_ids, *b.rate_sources])),
            )
        )
    elif b.pace is not None and not b.rate_from_pace:
        p = b.pace
        years = [years_to_complete(s.remaining_ha, p["ha_per_year"], 0) for s in runs]
        out.append(
            Finding(
                f"For comparison, the cumulative figures of {date_label(p['from']['period_end'], 'day')} and "
                f"{date_label(p['to']['period_end'], 'day')} imply {_about(p['qualifier'])}{_ha(p['ha_per_year'])} cleared a year "
                f"(derived); at that pace the remaining area would take {_span([_years(y) for y in years])} years (derived scenario).",
                tuple(dict.fromkeys([p["from"]["source_id"], p["to"]["source_id"], *est_ids])),
            )
        )
    return out
