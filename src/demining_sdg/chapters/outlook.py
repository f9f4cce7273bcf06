"""Chapter 7, outlook: how long clearance would take at stated rates (derived scenarios, never forecasts).
Durations are years as floats, so no value the outlook parameters allow overflows a date."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from demining_sdg.chapters import sections as spec
from demining_sdg.chapters.sections import Bars, Context, Findings, Needs, Note, Summary, TimeSeries
from demining_sdg.derive import rules
from demining_sdg.derive.rules import cleared_after, required_rate, year_end, years_between, years_to_complete
from demining_sdg.derive.selections import as_of, joined_ids, latest, usable, with_tiers

WINDOW = 3  # years: an estimate or full-year rate this much older than the newest figure is not current
LARGEST = 1e12  # ha: far above any real area (the Earth's land is about 1.5e10 ha); no larger rate or area is used
DRAWN_BEYOND = 25  # years past the target year the scenario lines may run on, to where clearance would end
TOTAL = ("estimated_contaminated_area", "estimated_mined_area", "area_to_be_cleared", "suspected_hazardous_area")
PARTS = ("estimated_ap_mine_area", "estimated_mine_area", "estimated_cmr_area", "estimated_remaining_mine_area")
PARTS += ("estimated_landmine_contaminated_area", "estimated_remaining_cm_erw_area")
NOT_USED = dict.fromkeys(PARTS, "use_part") | {"share_of_territory_contaminated": "use_share"}
NOT_USED |= {"estimated_total_contaminated_area_original": "use_original"}
KIND = dict.fromkeys(TOTAL, "total") | {"estimated_remaining_area": "remaining"}
ESTIMATE_COLUMNS = ["role", "hectares", "value", "unit", "qualifier", "value_as_reported", "kind", "reference_date"]
ESTIMATE_COLUMNS += ["date_precision", "stated_by", "source_id"]
NO_YEARS = {"years_low": math.nan, "years_high": math.nan}


def _whole(value: float | None) -> float:
    """A derived area in whole hectares; NaN where it is not finite."""
    return float(round(value)) if value is not None and math.isfinite(value) else math.nan


def _drawable(rows: list[dict]) -> pd.DataFrame:
    """A chart frame of the rows a chart can draw (finite, below LARGEST)."""
    frame = spec.chart_frame(rows)
    y = frame["y"].astype(float)
    return frame[np.isfinite(y) & (y.abs() < LARGEST)]


# -- inputs from the data and the parameters -----------------------------------------------------


def _clearance(ctx: Context, period_type: str) -> pd.DataFrame:
    scope = ctx.profile.focus_scope
    rows = ctx.rows("clearance", programme_scope=scope, period_type=period_type, measure="area_cleared")
    return ctx.shown(rules.with_hectares(rows).dropna(subset=["period_end", "hectares"]))


def cumulative_series(ctx: Context) -> pd.DataFrame:
    """The cumulative area cleared in the focus scope: usable rows, of all operators where there are such."""
    rows = _clearance(ctx, "cumulative")
    everyone = rows["operator_scope"].fillna("").str.startswith("all operators")
    rows = rows[everyone | rows["operator_scope"].isna()] if everyone.any() else rows
    return usable(rows).sort_values(["period_end", "obs_id"])


def latest_full_year(ctx: Context) -> dict | None:
    """The latest full-year area cleared: the all-hazards figure, else the per-hazard figures summed (derived)."""
    rows = with_tiers(usable(_clearance(ctx, "annual")), ctx.sources)
    if rows.empty:
        return None
    year = rows[rows["period_end"].dt.year == rows["period_end"].dt.year.max()]
    whole = year[year["item_category"] == "all"]
    chosen, _ = rules.pick_preferred(whole if len(whole) else year, ["item_category"])
    found = {"year": int(year["period_end"].dt.year.iloc[0]), "hectares": float(chosen["hectares"].sum())}
    found |= {"qualifier": rules.combined_qualifier(chosen["qualifier"])}
    basis = "full_year_sum" if len(chosen) > 1 else "full_year"
    return found | {"basis": basis, "source_id": joined_ids(*chosen["source_id"])}


def considered_estimates(ctx: Context) -> pd.DataFrame:
    """Every contamination estimate that could bound the scenarios, with how it is used (``use``)."""
    rows = ctx.rows("contamination_targets", indicator=[*KIND, *NOT_USED])
    rows = rules.with_hectares(rows).assign(kind=rows["indicator"].map(KIND))
    ok = rows["kind"].notna() & rows["quality_flag"].isna() & rows["hectares"].notna()
    age = (rows.loc[ok, "reference_date"].max() - rows["reference_date"]).dt.days / rules.YEAR_DAYS
    tests = [rows["quality_flag"].notna(), rows["indicator"].isin(NOT_USED), rows["hectares"].isna()]
    tests += [rows["reference_date"].isna(), age > WINDOW]
    codes = ["use_flagged", rows["indicator"].map(NOT_USED), "use_no_area", "use_undated", "use_old"]
    rows = rows.assign(use=np.select(tests, codes, "current"))
    current = rows[rows["use"] == "current"].sort_values(["hectares", "obs_id"])
    if len(current):
        low = current["obs_id"].iloc[0]
        high = current.sort_values(["hectares", "obs_id"], ascending=[False, True])["obs_id"].iloc[0]
        rows.loc[rows["use"] == "current", "use"] = "use_between"
        rows.loc[rows["obs_id"] == low, "use"] = "use_low"
        rows.loc[rows["obs_id"] == high, "use"] = "use_high" if high != low else "use_both"
    return rows.sort_values(["reference_date", "obs_id"], na_position="last")


def _bound(considered: pd.DataFrame, uses: tuple[str, ...], setting: float | None) -> pd.DataFrame:
    """The sourced bound, or a setting that replaces it and is read the same way (kind and date)."""
    row = considered[considered["use"].isin(uses)].head(1)
    if setting is None:
        return row
    remaining = bool(len(row)) and row["kind"].iloc[0] == "remaining"
    dated = row[["reference_date", "date_precision"]].iloc[0].to_dict() if remaining else {}
    setting = {"hectares": setting, "value": setting, "unit": "ha", "qualifier": "exact", **dated}
    return pd.DataFrame([setting]).assign(kind="remaining" if remaining else "total", source_id=None)


def _latest_target(ctx: Context, indicator: str | None, units: tuple[str, ...]) -> pd.Series | None:
    rows = usable(ctx.rows("contamination_targets", indicator=indicator, unit=units)).dropna(subset=["value"])
    return latest(rules.with_hectares(rows), "reference_date")


def basis(ctx: Context) -> dict | None:
    """The scenario inputs, or None without a usable rate, estimate or (for estimates of the whole area) cumulative
    area cleared to subtract. ``rate_basis``: full_year, full_year_sum, pace_rate (full year not current), setting."""
    knobs, considered = ctx.params.outlook, ctx.once(considered_estimates)
    low = _bound(considered, ("use_low", "use_both"), knobs.contaminated_area_low_ha)
    high = _bound(considered, ("use_high", "use_both"), knobs.contaminated_area_high_ha)
    estimates = pd.concat([low, high], ignore_index=True).sort_values("hectares", kind="stable")
    estimates = estimates.drop_duplicates(["hectares", "source_id"]).reset_index(drop=True)
    roles = ["estimate_both"] if len(estimates) == 1 else ["estimate_low", "estimate_high"][: len(estimates)]
    estimates = estimates.assign(role=roles).reindex(columns=ESTIMATE_COLUMNS)
    series = ctx.once(cumulative_series)
    cleared = latest(series)
    if low.empty or high.empty or (cleared is None and (estimates["kind"] == "total").any()):
        return None
    pace = None
    if len(series) >= 2 and (years := years_between(*series["period_end"].iloc[-2:])) > 0:
        first, last = series.iloc[-2], series.iloc[-1]
        pace = {"rate": (last["hectares"] - first["hectares"]) / years, "start": first["period_end"]}
        pace |= {"end": last["period_end"], "qualifier": rules.combined_qualifier(series["qualifier"].iloc[-2:])}
        pace |= {"ids": joined_ids(*series["source_id"].iloc[-2:])}
    full, stale = ctx.once(latest_full_year), None
    if knobs.annual_clearance_ha is not None:
        rate = (float(knobs.annual_clearance_ha), "exact", "setting", None, "")
    elif full and pace and years_between(year_end(full["year"]), cleared["period_end"]) > WINDOW:
        rate, stale = (pace["rate"], pace["qualifier"], "pace_rate", None, pace["ids"]), full
    elif full:
        rate = (full["hectares"], full["qualifier"], full["basis"], full["year"], full["source_id"])
    else:
        return None
    if not (0 < rate[0] < LARGEST and (estimates["hectares"] < LARGEST).all()):
        return None  # no scenario runs on a rate of zero or less, or on an astronomical rate or area
    b = dict(zip(("rate", "rate_qualifier", "rate_basis", "rate_year", "rate_ids"), rate))
    b |= {"growth": knobs.clearance_growth_pct / 100, "target_year": knobs.target_year, "estimates": estimates}
    b |= {"total": bool((estimates["kind"] == "total").all()), "cleared": cleared, "pace": pace, "stale": stale}
    b |= {"target": _latest_target(ctx, "target_area_to_demine", ("ha", "km2", "m2"))}
    b |= {"deadline": _latest_target(ctx, ctx.profile.national_targets.deadline, ("year",))}
    pace, stale = pace or {}, stale or {}  # what the texts say about the rate:
    facts = {"rate": _whole(rate[0]) if rate[2] == "pace_rate" else rate[0], "rate_qualifier": rate[1]}
    facts |= {"rate_basis": rate[2], "rate_year": rate[3], "growth_pct": knobs.clearance_growth_pct}
    facts |= {"target_year": knobs.target_year, "pace_start": pace.get("start"), "pace_end": pace.get("end")}
    facts |= {"pace": _whole(pace.get("rate")), "pace_qualifier": pace.get("qualifier")}
    facts |= {"stale_year": stale.get("year"), "window": WINDOW}
    return b | {"facts": facts}


HAS_BASIS = Needs(
    "the data for {{ country.name }} (or the report's scenario settings) give no usable full-year area cleared, "
    "current contamination estimate with an area, or cumulative area cleared to subtract from it",
    lambda ctx: ctx.once(basis) is not None,
)


# -- scenarios and what the sections show ---------------------------------------------------------


def _start(b: dict, e: pd.Series) -> tuple[pd.Timestamp, float, float]:
    """(start, cumulative cleared at the start, remaining area) of one estimate's scenarios: from the
    latest cumulative figure, or for an estimate of the remaining area (always dated), from its date."""
    if e["kind"] == "remaining":
        return e["reference_date"], 0.0, e["hectares"]
    return b["cleared"]["period_end"], float(b["cleared"]["hectares"]), e["hectares"] - float(b["cleared"]["hectares"])


def scenarios(ctx: Context) -> pd.DataFrame:
    """One row per estimate and growth value (none, and the set growth)."""
    b, rows = ctx.once(basis), []
    for _, e in b["estimates"].iterrows():
        (start, base, remaining), total = _start(b, e), e["kind"] == "total"
        horizon = years_between(start, year_end(b["target_year"]))
        for growth in dict.fromkeys((0.0, b["growth"])):
            years = years_to_complete(remaining, b["rate"], growth)
            added = min(cleared_after(horizon, b["rate"], growth), max(remaining, 0.0))
            finish = math.floor(rules.decimal_year(start) + years) if math.isfinite(years) else None
            run = {"role": e["role"], "estimate_ha": e["hectares"], "start": start, "base_ha": base}
            run |= {"remaining_ha": remaining, "rate_ha": b["facts"]["rate"], "growth_pct": growth * 100}
            run |= {"years": years if math.isfinite(years) else math.nan, "finish_year": finish}
            run |= {"horizon": horizon, "added_ha": added, "cumulative_ha": base + added if total else math.nan}
            ids = joined_ids(e["source_id"], b["cleared"]["source_id"] if total else None, b["rate_ids"])
            rows.append(run | {"needed_ha": required_rate(remaining, horizon, growth), "source_ids": ids})
    runs = pd.DataFrame(rows)
    return runs.assign(finish_year=runs["finish_year"].astype(float))


def _shown(ctx: Context) -> tuple[dict, pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """The basis, every scenario, those with the set growth and those with none."""
    b, runs = ctx.once(basis), ctx.once(scenarios)
    return b, runs, runs[runs["growth_pct"] == b["growth"] * 100], runs[runs["growth_pct"] == 0]


def _range(values: pd.Series | list, name: str, rate: float | None = None) -> dict:
    """Low and high of the finite derived values (areas in whole ha, years as they are), and their ratio to a rate."""
    finite = pd.Series(values, dtype=float)[lambda v: np.isfinite(v)]
    if finite.empty:
        return {}
    low, high = (finite.min(), finite.max()) if name == "years" else (_whole(finite.min()), _whole(finite.max()))
    ratios = {"ratio_low": low / rate, "ratio_high": high / rate} if rate else {}
    return {f"{name}_low": low, f"{name}_high": high} | ratios


def target_gap(ctx: Context) -> dict | None:
    """The gap between the latest cumulative area cleared and the official area target (derived)."""
    b = ctx.once(basis)
    t, c = b["target"], b["cleared"]
    if t is None or c is None:
        return None
    gap, years = float(t["hectares"] - c["hectares"]), years_between(c["period_end"], t["reference_date"])
    found = {"target_ha": t["hectares"], "target_qualifier": t["qualifier"], "target_due": t["reference_date"]}
    found |= {"gap_ha": _whole(gap), "years_left": years, "needed_ha": _whole(required_rate(gap, years))}
    found |= {"projected_ha": _whole(c["hectares"] + cleared_after(years, b["rate"], b["growth"]))}
    return found | {"source_id": joined_ids(c["source_id"], t["source_id"])}


def deadline_needs(ctx: Context) -> dict | None:
    """The constant rate that clears the remaining area by the deadline (derived)."""
    b, _, _, flat = _shown(ctx)
    if (d := b["deadline"]) is None:
        return None
    years = [years_between(start, year_end(d["value"])) for start in flat["start"]]
    needs = _range([required_rate(r, y) for r, y in zip(flat["remaining_ha"], years)], "needed", b["rate"])
    found = {"deadline": d["value_as_reported"], "deadline_year": int(d["value"]), "scope": d["scope"]}
    found |= {"start": flat["start"].min(), "years_left": max(years), "source_id": d["source_id"]}
    return needs and needs | found


def findings(ctx: Context) -> pd.DataFrame:
    b, runs, shown, flat = _shown(ctx)
    c, e = b["cleared"] if b["cleared"] is not None else {}, b["estimates"]
    subtracted, est_ids = bool((e["kind"] == "total").any()), list(e["source_id"])
    cleared = {"cleared_ha": c.get("hectares"), "cleared_qualifier": c.get("qualifier"), "subtracted": subtracted}
    cleared |= {"cleared_date": c.get("period_end"), "cleared_precision": c.get("date_precision")}
    about = (e["qualifier"] != "exact").any() or (subtracted and c.get("qualifier") != "exact")
    remaining = {"message": "remaining", "estimates": e.to_dict("records"), "about": bool(about)}
    remaining |= _range(shown["remaining_ha"].clip(lower=0), "remaining") | NO_YEARS | _range(shown["years"], "years")
    remaining |= {"finish_low": shown["finish_year"].min(), "finish_high": shown["finish_year"].max()}
    remaining |= {"never": bool(shown["years"].isna().any())}
    rows = [remaining | {"source_id": joined_ids(*est_ids, c.get("source_id") if subtracted else None)}]
    if gap := ctx.once(target_gap):
        rows.append({"message": "target", **gap})
    if deadline := ctx.once(deadline_needs):
        rows.append({"message": "deadline", **deadline, "source_id": joined_ids(deadline["source_id"], *est_ids)})
    needs = _range(shown["needed_ha"], "needed", b["rate"])
    if needs and not (deadline and deadline["deadline_year"] == b["target_year"]):
        rows.append({"message": "finish_by", **needs, "source_id": joined_ids(*runs["source_ids"])})
    at_pace = _range([years_to_complete(r, (b["pace"] or {}).get("rate", 0), 0) for r in flat["remaining_ha"]], "years")
    if b["rate_basis"] != "pace_rate" and at_pace:
        rows.append({"message": "pace", **at_pace, "source_id": joined_ids(b["pace"]["ids"], *est_ids)})
    frame = pd.DataFrame([{**b["facts"], **cleared, **row} for row in rows])
    rate_ids = [None if m == "pace" else b["rate_ids"] for m in frame["message"]]
    return frame.assign(source_id=[joined_ids(ids, more) for ids, more in zip(frame["source_id"], rate_ids)])


def stale_rate(ctx: Context) -> pd.DataFrame:
    """The full-year figure left unused because it is not current, and what it would imply (derived)."""
    b, _, _, flat = _shown(ctx)
    if (s := b["stale"]) is None:
        return pd.DataFrame()
    at = _range([years_to_complete(r, s["hectares"], 0) for r in flat["remaining_ha"]], "years")
    row = {**b["facts"], "stale_ha": s["hectares"], "stale_qualifier": s["qualifier"], **NO_YEARS, **at}
    row |= {"newest": b["cleared"]["period_end"], "source_id": joined_ids(s["source_id"], b["rate_ids"])}
    return pd.DataFrame([row])


def _input(code: str, row: pd.Series, how: str, date: str = "reference_date", by: str = "stated_by") -> tuple:
    """An input of the scenarios as stated: code, hectares, words, date (at its precision), who, basis, source."""
    when = as_of([row[date]], [row["date_precision"]])[0]
    return code, row["hectares"], row["value_as_reported"], when, row[by], how, row["source_id"]


def inputs(ctx: Context) -> pd.DataFrame:
    """The inputs of the scenarios, one row each, with where they come from (``basis``)."""
    b = ctx.once(basis)
    c, p, s = b["cleared"], b["pace"], b["stale"]
    when = as_of([p["end"]], ["day"])[0] if b["rate_basis"] == "pace_rate" else b["rate_year"] and str(b["rate_year"])
    rows = [("rate", b["facts"]["rate"], None, when, None, b["rate_basis"], b["rate_ids"])]
    rows += [_input(e["role"], e, e["kind"] if e["source_id"] else "setting") for _, e in b["estimates"].iterrows()]
    kept = "latest_cumulative" if (b["estimates"]["kind"] == "total").any() else "latest_cumulative_kept"
    stated = [("cleared", c, kept, "period_end", "reported_by"), ("area_target", b["target"], "target_due")]
    stated += [("deadline", b["deadline"], "deadline_set")]
    rows += [_input(code, row, *how_and_columns) for code, row, *how_and_columns in stated if row is not None]
    if s is not None:
        rows.append(("stale_rate", s["hectares"], None, str(s["year"]), None, "out_of_date", s["source_id"]))
    elif p is not None:
        rows.append(("pace", _whole(p["rate"]), None, as_of([p["end"]], ["day"])[0], None, "comparison", p["ids"]))
    frame = pd.DataFrame(rows, columns=["input", "hectares", "as_stated", "date", "stated_by", "basis", "source_ids"])
    frame.attrs = b["facts"]
    return frame


def estimates_table(ctx: Context) -> pd.DataFrame:
    b, rows = ctx.once(basis), ctx.once(considered_estimates)
    table = rows.assign(date=as_of(rows["reference_date"], rows["date_precision"]))
    used = table.loc[table["use"].isin(["use_low", "use_high", "use_both"]), "indicator"]
    replaced = [r.removeprefix("estimate_") for r in b["estimates"].loc[b["estimates"]["source_id"].isna(), "role"]]
    table = table[["indicator", "value_as_reported", "hectares", "date", "scope", "stated_by", "use", "source_id"]]
    must_be_cleared = bool((used == "area_to_be_cleared").any())
    table.attrs = {"window": WINDOW, "must_be_cleared": must_be_cleared, "replaced": replaced}
    return table


def scenario_table(ctx: Context) -> pd.DataFrame:
    runs = ctx.once(scenarios)
    whole = {c: runs[c].map(_whole) for c in ("remaining_ha", "added_ha", "cumulative_ha", "needed_ha")}
    table = runs.assign(years=runs["years"].round(1), **whole).drop(columns=["base_ha", "horizon"])
    table.attrs = {"target_year": ctx.params.outlook.target_year}
    return table


def scenario_chart(ctx: Context) -> pd.DataFrame:
    """The cumulative area cleared and the scenario lines, drawn on to the year clearance would end (if at most
    DRAWN_BEYOND years after the target year); the estimates and the official target as reference lines."""
    b, runs, shown, _ = _shown(ctx)
    reach = bool(runs["finish_year"].notna().all() and runs["finish_year"].max() <= b["target_year"] + DRAWN_BEYOND)
    rows = []
    for p in ctx.once(cumulative_series).itertuples() if b["total"] else ():
        kind = "stated" if p.qualifier == "exact" else "rounded"
        rows.append({"x": p.period_end, "y": p.hectares, "series": "cleared", "kind": kind, "source_id": p.source_id})
    for growth, group in runs.groupby("growth_pct", sort=True):
        run = group.loc[group["remaining_ha"].idxmax()]  # the line runs on to the largest remaining area
        span, first = run["years"] if reach else max(run["horizon"], 0.0), run["start"].year
        ends = [years_between(run["start"], year_end(year)) for year in range(first, first + int(span) + 1)]
        for t in sorted({0.0, span, *[t for t in ends if 0 < t < span]}):
            y = run["base_ha"] + min(cleared_after(t, b["rate"], growth / 100), max(run["remaining_ha"], 0.0))
            x = run["start"] + pd.Timedelta(days=round(t * rules.YEAR_DAYS))  # t is at most ~130 years: no overflow
            series = "scenario" if growth == 0 else "scenario_growth"
            rows.append({"x": x, "y": _whole(y), "series": series, "kind": "derived", "source_id": run["source_ids"]})
    target = b["target"] if b["total"] else None
    references = [(e["role"], e["hectares"], e["source_id"]) for _, e in b["estimates"].iterrows()]
    references += [] if target is None else [("area_target", target["hectares"], target["source_id"])]
    frame = _drawable(rows + [{"y": y, "series": s, "kind": "reference", "source_id": i} for s, y, i in references])
    facts = {"reach": reach, "total": b["total"], "start": shown["start"].min()}
    facts |= {"finish_low": shown["finish_year"].min(), "finish_high": shown["finish_year"].max()}
    facts |= {"until": int(shown["finish_year"].max()) if reach else b["target_year"]}
    facts |= {"at_target": _whole(shown["cumulative_ha" if b["total"] else "added_ha"].max())}
    facts |= {"target_due": None if target is None else target["reference_date"]}
    frame.attrs = b["facts"] | facts | {"deadline": None if b["deadline"] is None else int(b["deadline"]["value"])}
    return frame


def needed_rates(ctx: Context) -> pd.DataFrame:
    """The scenario rate (and the recent pace) beside the constant rates needed to meet the official
    target, to finish by the end of the target year and by the deadline (derived)."""
    b, _, _, flat = _shown(ctx)
    code = "pace_used" if b["rate_basis"] == "pace_rate" else b["rate_basis"]
    rows = [{"x": code, "y": b["facts"]["rate"], "kind": "stated", "source_id": b["rate_ids"]}]
    if b["pace"] is not None and b["rate_basis"] != "pace_rate":
        rows.append({"x": "pace", "y": _whole(b["pace"]["rate"]), "kind": "derived", "source_id": b["pace"]["ids"]})
    if (gap := ctx.once(target_gap)) and gap["gap_ha"] > 0:
        rows.append({"x": "for_target", "y": gap["needed_ha"], "kind": "derived", "source_id": gap["source_id"]})
    d = b["deadline"]
    year = None if d is None else int(d["value"])
    for r in flat.itertuples():
        ids = joined_ids(r.source_ids.replace(b["rate_ids"], ""), None if d is None else d["source_id"])
        by = "by_deadline_" if year == b["target_year"] else "by_target_year_"
        rows.append({"x": by + r.role, "y": _whole(r.needed_ha), "kind": "derived", "source_id": ids})
        if year is not None and year != b["target_year"]:
            needed = _whole(required_rate(r.remaining_ha, years_between(r.start, year_end(year))))
            rows.append({"x": "by_deadline_" + r.role, "y": needed, "kind": "derived", "source_id": ids})
    frame = _drawable(rows)
    frame.attrs = {**b["facts"], "needed_low": None, **_range(flat["needed_ha"], "needed", b["rate"])}
    return frame


def summary(ctx: Context) -> pd.DataFrame:
    """The years the scenarios (set growth) would clear the remaining area: after, by or around the clearance
    deadline, or else the year the official area target is due. No row without both."""
    b, _, shown, _ = _shown(ctx)
    low, high, d, t = shown["finish_year"].min(), shown["finish_year"].max(), b["deadline"], b["target"]
    if shown["finish_year"].isna().any() or (d is None and t is None):
        return pd.DataFrame()
    year, ids = (int(d["value"]), d["source_id"]) if d is not None else (t["reference_date"].year, t["source_id"])
    judgement = "after" if low > year else ("by" if high <= year else "around")
    row = {**b["facts"], "message": "finish", "finish_low": low, "finish_high": high, "benchmark": year}
    row |= {"deadline": None if d is None else d["value_as_reported"], "judgement": judgement}
    return pd.DataFrame([row | {"scope": ctx.profile.focus_said, "source_id": joined_ids(*shown["source_ids"], ids)}])


_section = spec.maker("outlook", HAS_BASIS)
INPUTS_VIEW = spec.table(
    "input@outlook | hectares=value (ha) | as_stated=as stated | date | stated_by=stated by | basis=from@outlook"
    " | source_ids"
)
ESTIMATES_VIEW = spec.table(
    "indicator@outlook | value_as_reported=as stated | hectares=area (ha) | date=as of | scope | stated_by=stated by"
    " | use=used as@outlook | source_id"
)
SCENARIOS_VIEW = spec.table(
    "role=estimate@outlook | estimate_ha=estimate (ha) | start | remaining_ha=remaining at start (ha, derived)"
    " | rate_ha=first-year rate (ha) | growth_pct=rate growth (% a year) | years=years to finish (derived)"
    " | finish_year=finish year (derived) | added_ha=added by the target year (ha, derived)"
    " | cumulative_ha=cumulative cleared by the target year (ha, derived)"
    " | needed_ha=first-year rate needed by the target year (ha, derived) | source_ids"
)
FAN = TimeSeries("07_outlook_scenarios", "area cleared (ha)", series_codes="outlook")
NEEDED = Bars("07_needed_rates", "hectares a year", x_codes="outlook")
SUMMARY = _section("summary", summary, Summary(link="projection"))
FINDINGS = _section("findings", findings, Findings())
INPUTS = _section("inputs", inputs, INPUTS_VIEW, "basis", annex=True)
STALE_RATE = _section("stale_rate", stale_rate, Note("caveat"), "basis", annex=True)
ESTIMATES = _section("estimates", estimates_table, ESTIMATES_VIEW, "basis", annex=True)
SCENARIO_CHART = _section("scenario_chart", scenario_chart, FAN, "projection")
SCENARIO_TABLE = _section("scenario_table", scenario_table, SCENARIOS_VIEW, "projection", annex=True)
NEEDED_RATES = _section("needed_rates", needed_rates, NEEDED, "needed")
CAVEAT = _section("caveat", lambda ctx: pd.DataFrame([ctx.once(basis)["facts"]]), Note("caveat"), "needed")
