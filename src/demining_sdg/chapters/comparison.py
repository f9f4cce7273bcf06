"""Chapter 8, comparison with another programme (the profile's first comparator), in its own focus scope:
casualties against its ceiling, land released, cleared and remaining, its deadline; both countries side by side."""

from __future__ import annotations

import re

import pandas as pd

from demining_sdg.chapters.sections import Bars, Context, Findings, Needs, Note, TimeSeries, chart_frame, maker, table
from demining_sdg.derive.rules import TIER_NAMES, combined_qualifier, pick_preferred, rate_per_100k, with_hectares
from demining_sdg.derive.selections import denominators, latest, usable, where, with_tiers

REMAINING = "estimated_remaining_area"
REMAINING_PARTS = ("estimated_remaining_mine_area", "estimated_remaining_cm_erw_area")
OTHER_ACCOUNT = re.compile(r"version \(S\d{3}\) says")
ANNUAL = ["year", "value", "qualifier", "population_group", "basis", "value_as_reported", "recorder", "recorded_by"]
ANNUAL += ["evidence_tier", "tier_name", "obs_ids", "source_id"]


def comparator(ctx: Context) -> Context | None:
    """A context about the first comparator of the focus country's profile, if it has a profile."""
    codes = ctx.profile.comparators
    return ctx.for_country(codes[0]) if codes else None


def _rows(ctx: Context, table: str, **conditions) -> pd.DataFrame:
    """The comparator's unflagged rows of a table that meet the conditions (``where``), with evidence
    tiers, in its focus scope."""
    other = comparator(ctx)
    frame = with_tiers(other.rows(table, **conditions), ctx.sources)
    if "programme_scope" in frame.columns:
        frame = frame[frame["programme_scope"] == other.profile.focus_scope]
    return usable(frame)


def _named(frame: pd.DataFrame, ctx: Context, **facts) -> pd.DataFrame:
    """The frame with what its texts need about the comparator (and other scalars) in its attrs."""
    profile = comparator(ctx).profile
    authority = profile.authority.short if profile.authority else None
    frame.attrs.update(comparator=profile.name, scope=profile.focus_said, authority=authority, **facts)
    frame.attrs["authority_name"] = profile.authority.name if profile.authority else None
    return frame


def _sum_of_parts(group: pd.DataFrame, basis: str, joiner: str) -> dict:
    """One figure from the parts one statement gives (derived): 'approximate' unless every part is exact."""
    summed = {"value": group["value"].sum(), "qualifier": combined_qualifier(group["qualifier"]), "basis": basis}
    return summed | {"value_as_reported": joiner.join(group["value_as_reported"]), "obs_ids": ";".join(group["obs_id"])}


# -- casualties against the national ceiling ------------------------------------------------------


def annual_casualties(ctx: Context) -> pd.DataFrame:
    """Annual totals: stated (all people, or civilians where that is all a source gives) and, where
    one source gives only killed and injured for a year, their sum (derived). Every figure is kept."""
    annual = _rows(ctx, "casualties", period_type="annual", unit="persons")
    stated = annual[(annual["outcome"] == "total") & annual["population_group"].isin(["all", "civilian"])]
    rows = [{**r, "basis": "stated", "obs_ids": r["obs_id"]} for r in stated.to_dict("records")]
    everyone = stated[stated["population_group"] == "all"]
    with_total = set(zip(everyone["source_id"], everyone["period_end"]))
    parts = annual[(annual["population_group"] == "all") & annual["outcome"].isin(["killed", "injured"])]
    for key, group in parts.groupby(["source_id", "period_end"]):
        if key not in with_total and set(group["outcome"]) == {"killed", "injured"}:
            rows.append({**group.iloc[0].to_dict(), **_sum_of_parts(group, "killed_and_injured", "; ")})
    if not rows:
        return _named(pd.DataFrame(columns=ANNUAL), ctx)
    frame = pd.DataFrame(rows)
    frame = frame.assign(year=frame["period_end"].dt.year, tier_name=frame["evidence_tier"].map(TIER_NAMES))
    return _named(frame.sort_values(["year", "population_group", "evidence_tier"])[ANNUAL].reset_index(drop=True), ctx)


def _vs_ceiling(ctx: Context) -> dict | None:
    """The latest annual total for all people (preferred source) against the ceiling in force (``line``)."""
    indicator = comparator(ctx).profile.national_targets.casualties_per_year
    targets, annual = _rows(ctx, "contamination_targets", indicator=indicator), ctx.once(annual_casualties)
    everyone = annual[annual["population_group"] == "all"]
    if targets.empty or everyone.empty:
        return None
    ceiling = targets.sort_values(["reference_date", "obs_id"]).iloc[-1]
    chosen, _ = pick_preferred(everyone.assign(obs_id=everyone["obs_ids"]), ["year"], tie_breakers=["obs_id"])
    row = chosen.sort_values("year").iloc[-1]
    found = {**row[["value", "qualifier", "year"]], "ratio": row["value"] / ceiling["value"], "indicator": indicator}
    found |= {"ceiling": ceiling["value"], "ceiling_as_reported": ceiling["value_as_reported"]}
    return found | {"source_id": f"{row['source_id']};{ceiling['source_id']}", "line": ceiling}


def casualty_chart(ctx: Context) -> pd.DataFrame:
    """The report's years of annual totals, one series per kind of total, and the ceiling as a line.
    Years are text, so that the data table shows 2005, not 2,005."""
    found, annual = ctx.once(_vs_ceiling), ctx.once(annual_casualties)
    shown = ctx.shown(annual, "year")
    if found is None or shown.empty:
        return chart_frame([])
    ceiling = found.pop("line")
    series = shown["basis"].where(shown["basis"] != "stated", shown["population_group"].replace("all", "total"))
    points = shown.rename(columns={"value": "y"}).assign(x=shown["year"].astype(str), series=series, kind="stated")
    line = ceiling.rename({"value": "y", "obs_id": "obs_ids", "value_as_reported": "label"}).to_dict()
    line |= {"x": str(ceiling["reference_date"].year), "series": "ceiling", "kind": "reference"}
    columns = ["x", "y", "series", "kind", "label", "qualifier", "evidence_tier", "obs_ids", "source_id"]
    frame = chart_frame(pd.concat([points, pd.DataFrame([line])], ignore_index=True).reindex(columns=columns))
    everyone = shown[shown["population_group"] == "all"].to_dict("records")
    facts = found | {"first_year": shown["year"].min(), "last_year": shown["year"].max()}
    facts |= {"start": everyone[0] if everyone else None, "end": everyone[-1] if everyone else None}
    return _named(frame, ctx, **facts, not_drawn=annual.drop(shown.index).to_dict("records"))


def secondary_years(ctx: Context) -> pd.DataFrame:
    """The annual totals that rest on a secondary source (evidence tier 4)."""
    annual = ctx.once(annual_casualties)
    weak = annual[annual["evidence_tier"] >= 4]
    return _named(weak.assign(publisher=weak["source_id"].map(ctx.sources["publisher"])), ctx)


def part_year_reports(ctx: Context) -> pd.DataFrame:
    """Half-year and year-to-date reports (all people), kept out of the annual series."""
    rows = _rows(ctx, "casualties", period_type="partial_year", unit="persons", population_group="all")
    clauses = rows["notes"].fillna("").map(lambda notes: notes.split(";"))
    other = clauses.map(lambda found: next((c.strip() for c in found if OTHER_ACCOUNT.search(c)), None))
    rows = rows.assign(other_account=other).sort_values(["period_end", "obs_id"])  # another outlet's version
    columns = ["period_start", "period_end", "outcome", "value_as_reported", "recorded_by", "evidence_tier"]
    return _named(rows[[*columns, "other_account", "source_id"]].reset_index(drop=True), ctx)


def part_year_conflicts(ctx: Context) -> pd.DataFrame:
    return ctx.once(part_year_reports).dropna(subset=["other_account"])


def land_released_conflicts(ctx: Context) -> pd.DataFrame:
    """The years for which two sources give different figures."""
    frame = ctx.once(land_released)
    return frame[frame.groupby("x")["source_id"].transform("nunique") > 1]


# -- land released per year --------------------------------------------------------------------------


def land_released(ctx: Context) -> pd.DataFrame:
    """Annual land release in hectares (derived), one bar per publisher labelled in whole hectares;
    a bar that covers one hazard only, not all, is partial."""
    rows = with_hectares(ctx.shown(_rows(ctx, "clearance", measure="area_released", period_type="annual")))
    frame = rows[["value_as_reported", "item_category_as_reported", "obs_id", "source_id"]].assign(
        x=rows["period_end"].dt.year.astype(str),
        y=rows["hectares"],
        series=rows["source_id"].map(ctx.sources["publisher"]),
        kind=rows["item_category"].map(lambda c: "stated" if c == "all" else "partial"),
        label=rows["hectares"].round().map("{:,.0f}".format),
    )
    frame = chart_frame(frame.sort_values(["x", "series"], ignore_index=True))
    if frame.empty:
        return frame
    peak = frame[frame["x"] == frame.loc[frame["y"].idxmax(), "x"]]
    facts = {"peak_year": peak["x"].iloc[0], "peak_low": peak["y"].min(), "peak_high": peak["y"].max()}
    return _named(frame, ctx, **facts, first_year=frame["x"].min(), last_year=frame["x"].max())


def land_released_periods(ctx: Context) -> pd.DataFrame:
    """Land released over several years as a whole (not split into years)."""
    rows = _rows(ctx, "clearance", measure="area_released", period_type="multi_year")
    rows = with_hectares(rows).assign(since=rows["period_start"].dt.year, until=rows["period_end"].dt.year)
    annual = ctx.once(land_released)
    columns = ["since", "until", "reported_by", "value_as_reported", "item_category_as_reported", "hectares"]
    last = annual["x"].max() if not annual.empty else None
    return _named(rows[[*columns, "source_id"]].reset_index(drop=True), ctx, last_annual_year=last)


# -- cleared so far, what remains and the deadline ---------------------------------------------------


def _area_points(rows: pd.DataFrame, date: str, series: str) -> pd.DataFrame:
    rows = with_hectares(rows)
    frame = rows.rename(columns={date: "x", "date_precision": "precision"})
    frame = frame.reindex(columns=["x", "qualifier", "precision", "unit", "value_as_reported"])
    start = rows["period_start"].dt.year if "period_start" in rows.columns else None
    frame = frame.assign(y=rows["hectares"], series=series, start_year=start, source_id=rows["source_id"])
    return frame.assign(basis=rows.get("basis", "stated"), obs_ids=rows.get("obs_ids", rows["obs_id"]))


def cleared_and_remaining(ctx: Context) -> pd.DataFrame:
    """Cumulative area cleared and remaining contamination, in hectares (derived); the mine and
    other-hazard parts of one remaining-contamination statement are summed (derived)."""
    cleared = _rows(ctx, "clearance", measure="area_cleared", period_type="cumulative")
    remaining = _rows(ctx, "contamination_targets", indicator=REMAINING)
    frames = [_area_points(cleared, "period_end", "cleared"), _area_points(remaining, "reference_date", "remaining")]
    parts = _rows(ctx, "contamination_targets", indicator=REMAINING_PARTS)
    for _, group in parts.groupby(["source_id", "reference_date"]):
        if set(group["indicator"]) == set(REMAINING_PARTS):
            group = group.assign(value=with_hectares(group)["hectares"], unit="ha")
            summed = group.head(1).assign(**_sum_of_parts(group, "remaining_parts", " + "))
            frames.append(_area_points(summed, "reference_date", "remaining_parts"))
    frame = pd.concat(frames, ignore_index=True).sort_values(["series", "x"], ignore_index=True)
    frame["kind"] = frame["qualifier"].map(lambda q: "stated" if q == "exact" else "rounded")
    last = ~frame.duplicated("series", keep="last")  # the line's end label gives the last point's value
    frame["label"] = frame["value_as_reported"].where((frame["kind"] == "rounded") & ~last)
    return _named(chart_frame(frame), ctx)


def cleared_chart(ctx: Context) -> pd.DataFrame:
    """The report's years of cleared and remaining areas, with first and last points and the deadline in force."""
    frame = ctx.shown(ctx.once(cleared_and_remaining), "x")
    facts = {}
    for name, series in (("cleared", ("cleared",)), ("remaining", ("remaining", "remaining_parts"))):
        rows = frame[frame["series"].isin(series)].sort_values("x").to_dict("records")
        facts |= {f"{name}_from": rows[0] if rows else None, f"{name}_to": rows[-1] if rows else None}
    in_force = ctx.once(deadlines).tail(1).to_dict("records")
    return _named(frame.reset_index(drop=True), ctx, deadline=in_force[0] if in_force else None, **facts)


def deadlines(ctx: Context) -> pd.DataFrame:
    """Every clearance deadline of the indicator the comparator's profile names, the one in force last."""
    rows = _rows(ctx, "contamination_targets", indicator=comparator(ctx).profile.national_targets.deadline)
    rows = rows.sort_values(["reference_date", "obs_id"]).assign(year=lambda f: f["reference_date"].dt.year)
    rows = rows.assign(deadline_year=rows["value"].astype(int))
    return _named(rows[["value_as_reported", "deadline_year", "year", "stated_by", "indicator", "source_id"]], ctx)


# -- the focus country and the comparator side by side ----------------------------------------------

MEASURES = ("casualties", "casualties_per_100k", "area_cleared")
SIDE = ["measure", "country", "figure", "qualifier", "year", "as_of", "scope", "recorder", "population"]
SIDE += ["value_as_reported", "source_ids", "stated_by", "described_scope", "operators", "since"]


def _latest_figures(one: Context) -> list[dict]:
    """One country's latest annual casualty total (all people), its rate per 100,000 (derived) and
    its latest cumulative area cleared, each with the scope it covers."""
    profile, rows = one.profile, []
    scopes = {s.code: s.label for s in profile.scopes}
    cas = usable(with_tiers(one.rows("casualties", period_type="annual", unit="persons"), one.sources))
    totals = cas[(cas["outcome"] == "total") & (cas["population_group"] == "all")]
    if not totals.empty:
        chosen, _ = pick_preferred(totals.assign(year=totals["period_end"].dt.year), ["year"])
        total = chosen.sort_values("year").iloc[-1]
        named = {"value": "figure", "source_id": "source_ids", "recorded_by": "stated_by", "scope": "described_scope"}
        row = total.rename(named).to_dict() | {"measure": "casualties", "scope": scopes.get(total["programme_scope"])}
        rows.append(row)
        pop = where(denominators(one.table("population"), one.country), year=total["year"])
        for people in pop.head(1).to_dict("records"):
            rate = rate_per_100k(pd.Series([total["value"]]), pd.Series([people["value"]])).iloc[0]
            rows.append({**row, "measure": "casualties_per_100k", "figure": f"{rate:.3f}", "value_as_reported": None})
            rows[-1] |= {"population": people["value"], "source_ids": f"{total['source_id']};{people['source_id']}"}
    area = latest(usable(one.rows("clearance", measure="area_cleared", period_type="cumulative")))
    if area is not None:
        row = area.rename({"period_end": "as_of", "source_id": "source_ids", "operator_scope": "operators"}).to_dict()
        row |= {"measure": "area_cleared", "figure": with_hectares(area.to_frame().T)["hectares"].iloc[0]}
        rows.append(row | {"scope": scopes.get(area["programme_scope"]), "since": area["period_start"].year})
    return [r | {"country": profile.name} for r in rows]


def side_by_side(ctx: Context) -> pd.DataFrame:
    """The focus country's and the comparator's latest figures, one row per measure and country."""
    frame = pd.DataFrame(_latest_figures(ctx) + _latest_figures(comparator(ctx)), dtype=object).reindex(columns=SIDE)
    frame = frame.sort_values("measure", key=lambda m: m.map(MEASURES.index), kind="stable", ignore_index=True)
    return _named(frame, ctx)


# -- key findings --------------------------------------------------------------------------------------

FINDING = ["message", "value", "qualifier", "year", "to_value", "to_qualifier", "to_year", "ratio", "change"]
FINDING += ["indicator", "ceiling_as_reported", "date", "precision", "unit", "value_as_reported", "source_id"]


def findings(ctx: Context) -> pd.DataFrame:
    """The comparator against its ceiling, its casualty trend, latest cleared and remaining areas, its deadline."""
    rows, found = [], ctx.once(_vs_ceiling)
    if found is not None:
        rows.append({"message": "ceiling", **found})  # the columns of FINDING
    annual = ctx.once(annual_casualties)
    stated = annual[(annual["population_group"] == "all") & (annual["basis"] == "stated")]
    if len(stated) >= 2:
        first = stated.sort_values(["year", "evidence_tier"]).iloc[0]
        last = stated.sort_values(["year", "evidence_tier"], ascending=[False, True]).iloc[0]
        rows.append({"message": "trend", **first[["value", "qualifier", "year"]]})
        rows[-1] |= {f"to_{k}": last[k] for k in ("value", "qualifier", "year")}
        rows[-1] |= {"change": (last["value"] - first["value"]) / first["value"] * 100}
        rows[-1]["source_id"] = f"{first['source_id']};{last['source_id']}"
    area = ctx.once(cleared_and_remaining).rename(columns={"x": "date", "y": "value"})
    for series in ("cleared", "remaining"):
        rows += area[area["series"] == series].assign(message=series).sort_values("date").tail(1).to_dict("records")
    deadline = ctx.once(deadlines).rename(columns={"value_as_reported": "deadline", "year": "set"}).tail(1)
    deadline = deadline[["deadline", "deadline_year", "set", "indicator", "source_id"]]
    profile = comparator(ctx).profile
    frame = pd.concat([pd.DataFrame(rows, columns=FINDING, dtype=object), deadline.assign(message="deadline")])
    return frame.assign(comparator=profile.name, scope=profile.focus_said)


# -- the sections ----------------------------------------------------------------------------------------


def _names(target: str):
    return lambda ctx: bool(getattr(comparator(ctx).profile.national_targets, target))


HAS_COMPARATOR = Needs(
    "the profile of {{ country.name }} names no other programme with a profile of its own to compare with",
    lambda ctx: comparator(ctx) is not None,
)
HAS_CEILING = Needs("the comparator's profile names no ceiling on casualties a year", _names("casualties_per_year"))
HAS_DEADLINE = Needs("the comparator's profile names no clearance deadline", _names("deadline"))
SERIES = "comparison_series"


_s = maker("comparison", HAS_COMPARATOR)
TIERED = " | evidence_tier=evidence tier | source_id"
CASUALTY_VIEW = table(
    "year | value=casualties | qualifier@qualifier | population_group=who@comparison_series | basis@comparison_basis"
    " | value_as_reported=as reported | recorded_by=recorded by" + TIERED + " | tier_name=type of source"
)
PART_YEAR_VIEW = table(
    "period_start=from | period_end=to | outcome | value_as_reported=as reported | recorded_by=recorded by"
    " | other_account=other account" + TIERED
)
CLEARED_VIEW = table(
    "x=as of | series=measure@comparison_series | value_as_reported=as reported | y=hectares (derived)"
    " | qualifier@qualifier | start_year=start year | basis@comparison_basis | source_id"
)
DEADLINE_VIEW = table("value_as_reported=deadline | year=year (set or extended) | stated_by=stated by | source_id")
SIDE_VIEW = table(
    "measure@comparison_measure | country | figure | qualifier@qualifier | year | as_of=as of | scope"
    " | recorder=recorded by@recorder | population=population (World Bank mid-year)"
    " | value_as_reported=as reported | source_ids"
)
CASUALTY_CHART_VIEW = TimeSeries("08_comparison_casualties", "casualties per year", True, series_codes=SERIES)
LAND_CHART_VIEW = Bars("08_comparison_land_released", "hectares released in the year")
CLEARED_CHART_VIEW = TimeSeries("08_comparison_cleared_and_remaining", "hectares", series_codes=SERIES)

FINDINGS = _s("findings", findings, Findings())
CASUALTY_CHART = _s("casualty_chart", casualty_chart, CASUALTY_CHART_VIEW, "casualties", HAS_CEILING)
CASUALTY_TABLE = _s("casualty_table", annual_casualties, CASUALTY_VIEW, "casualties", annex=True)
SECONDARY = _s("secondary", secondary_years, Note("caveat"), "casualties")
PART_YEAR_TABLE = _s("part_year_table", part_year_reports, PART_YEAR_VIEW, "casualties", annex=True)
PART_YEAR_CONFLICTS = _s("part_year_conflicts", part_year_conflicts, Note("conflict"), "casualties", annex=True)
LAND_RELEASED_CHART = _s("land_released_chart", land_released, LAND_CHART_VIEW, "land")
LAND_RELEASED_CONFLICTS = _s("land_released_conflicts", land_released_conflicts, Note("conflict"), "land", annex=True)
LAND_RELEASED_PERIODS = _s("land_released_periods", land_released_periods, Note(), "land")
CLEARED_CHART = _s("cleared_chart", cleared_chart, CLEARED_CHART_VIEW, "cleared")
CLEARED_TABLE = _s("cleared_table", cleared_and_remaining, CLEARED_VIEW, "cleared", annex=True)
DEADLINES = _s("deadlines", deadlines, DEADLINE_VIEW, "cleared", HAS_DEADLINE, annex=True)
SIDE_BY_SIDE = _s("side_by_side", side_by_side, SIDE_VIEW, "side_by_side")
SIDE_BY_SIDE_CAVEAT = _s("side_by_side_caveat", side_by_side, Note("caveat"), "side_by_side")
