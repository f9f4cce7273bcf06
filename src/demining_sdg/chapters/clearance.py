"""Chapter 4, clearance and land release: items destroyed and land cleared, scope by scope (the focus scope,
an ended one and whole-country statements are never added). Bulletins are shown as reported, never added up;
flagged points (a quality flag, or one operator among all-operator figures) stay out of every series and total."""

from __future__ import annotations

from functools import partial

import numpy as np
import pandas as pd

from demining_sdg.chapters import sections
from demining_sdg.chapters.sections import Bars, Context, Findings, Needs, Note, Section, Summary, TimeSeries, table
from demining_sdg.derive.rules import increments_from_cumulative, to_hectares, years_between
from demining_sdg.derive.selections import all_operators, as_of, joined_ids, latest, missing_years, usable, with_tiers
from demining_sdg.inputs.profiles import Scope

ITEM_TYPES = ("AP_mine", "AT_mine", "UXO")
TERMS = ("land release", "cancelled land", "reduced land", "cleared land")
METHODS = ("area_cleared", "area_reduced", "area_cancelled", "area_cancelled_or_reduced", "area_cleared_and_reduced")
YEAR_AREAS = ("area_cleared", "area_released")
TARGET = "target_area_to_demine"  # the contamination_targets indicator of an official area target
POINT = ("qualifier", "date_precision", "publisher", "source_id", "value_as_reported")
BULLETINS = ("weekly", "monthly")  # periodic reports: shown as they are, never as annual or cumulative figures
MAX_BULLETINS = 12
EARLIER = ("earlier", "earlier_as_of", "earlier_source")


# -- the shared basis -----------------------------------------------------------------------


def clearance_rows(ctx: Context) -> pd.DataFrame:
    """The country's clearance rows with hectares, tier, publisher, year, scope and ``as_of`` (date at precision)."""
    rows = with_tiers(ctx.rows("clearance"), ctx.sources)
    return rows.assign(
        hectares=to_hectares(rows["value"], rows["unit"]),
        publisher=rows["source_id"].map(ctx.sources["publisher"]),
        year=rows["period_end"].dt.year.astype("Int64"),
        as_of=as_of(rows["period_end"], rows["date_precision"]),
        scope=ctx.profile.short_words(rows["programme_scope"]),
    )


def _rows(ctx: Context, period_type: str | tuple, measures: tuple = (), scopes: list | None = None) -> pd.DataFrame:
    """Rows of the period type(s) and measures (all when none), in the focus scope unless ``scopes`` are given."""
    rows, types = ctx.once(clearance_rows), (period_type,) if isinstance(period_type, str) else period_type
    scoped = rows["programme_scope"].isin(scopes or [ctx.profile.focus_scope]) & rows["period_type"].isin(types)
    return rows[scoped & (rows["measure"].isin(measures) | (not measures))]


def ended_scope(ctx: Context) -> Scope | None:
    """The profile's scope that ended (an earlier programme), besides the focus scope."""
    return next((s for s in ctx.profile.scopes if s.ends and s.code != ctx.profile.focus_scope), None)


def _with_kinds(rows: pd.DataFrame) -> pd.DataFrame:
    """stated / rounded / flagged (a quality flag, or one operator among all-operator figures)."""
    strict = rows["operator_scope"].fillna("").str.startswith("all operators").any()
    off = rows["quality_flag"].notna() | (~all_operators(rows) & strict)
    return rows.assign(kind=sections.point_kind(rows["qualifier"]).where(~off, "flagged"))


def _point(row: pd.Series, y: str = "value") -> dict:
    year = None if pd.isna(row.get("year")) else int(row["year"])
    return {"value": row[y], "date": row["period_end"], "year": year, **{k: row.get(k) for k in POINT}}


def _points(rows: pd.DataFrame, series, y: str = "value") -> pd.DataFrame:
    """Chart rows; rounded and flagged points carry the source's words where its unit is shown."""
    words = rows["value_as_reported"].where(rows["kind"].ne("stated") & rows["unit"].isin(["count", "ha"]))
    frame = rows[["source_id", "qualifier", "operator_scope", "quality_flag"]].assign(x=rows["period_end"], y=rows[y])
    return sections.chart_frame(frame.assign(series=series, kind=rows["kind"], label=words).reset_index(drop=True))


# -- terms and methods ----------------------------------------------------------------------


def land_release_terms(ctx: Context) -> pd.DataFrame:
    glossary = ctx.table("glossary").set_index("term")
    return glossary.reindex([t for t in TERMS if t in glossary.index]).reset_index()


def release_by_method(ctx: Context) -> pd.DataFrame:
    """Annual areas where one source gives two or more land release methods for one year."""
    rows = _rows(ctx, "annual", (*METHODS, "area_released"), list(ctx.profile.scope_codes))
    rows = rows[rows.groupby(["year", "source_id"])["measure"].transform("nunique") >= 2]
    return rows.sort_values(["year", "source_id", "measure", "item_category"])


# -- the scope that ended -------------------------------------------------------------------


def ended_rows(ctx: Context) -> pd.DataFrame:
    """Cumulative items (all types) and areas of the ended scope, then of whole-country scopes: every row."""
    whole = [s.code for s in ctx.profile.scopes if not (s.starts or s.ends) and s.code != ctx.profile.focus_scope]
    codes = [ended_scope(ctx).code, *whole]
    rows = _rows(ctx, "cumulative", ("items_destroyed", "area_cleared", "area_released"), codes)
    rows = _with_kinds(rows[(rows["measure"] != "items_destroyed") | (rows["item_category"] == "all")])
    order = rows["programme_scope"].map(codes.index)
    return rows.assign(order=order).sort_values(["measure", "order", "period_end"], na_position="last")


def _ended_chart(ctx: Context, measure: str, y: str) -> pd.DataFrame:
    scope = ended_scope(ctx)
    rows = ctx.shown(ctx.once(ended_rows).query("measure == @measure"))
    series = rows[(rows["programme_scope"] == scope.code) & (rows["kind"] != "flagged")]
    if len(series) < 2:
        return sections.chart_frame([])
    frame = _points(rows, rows["scope"], y)
    frame.loc[frame["series"] != scope.short, "label"] = None  # other scopes: points only, words in the table
    frame.attrs = {"scope": scope, "others": sorted(set(frame["series"]) - {scope.short})}
    frame.attrs |= {"first": _point(series.iloc[0], y), "last": _point(series.iloc[-1], y)}
    return frame


def ended_table(ctx: Context) -> pd.DataFrame:
    return ctx.once(ended_rows).assign(items=lambda f: f["value"].where(f["measure"] == "items_destroyed"))


# -- items destroyed by type ----------------------------------------------------------------


def focus_items(ctx: Context) -> pd.DataFrame:
    """Cumulative items destroyed by type in the focus scope, every row, with its kind."""
    rows = _rows(ctx, "cumulative", ("items_destroyed",))
    rows = _with_kinds(rows[rows["item_category"].isin(ITEM_TYPES)])
    return rows.sort_values(["item_category", "period_end", "obs_id"], na_position="last")


def _precise(ctx: Context) -> pd.DataFrame:
    """The precise series: stated, dated, one figure per type and date (source preference)."""
    rows = ctx.once(focus_items).query("kind == 'stated'").dropna(subset=["period_end"])
    order = ["item_category", "period_end", "evidence_tier"]
    return rows.sort_values(order).drop_duplicates(["item_category", "period_end"])


def latest_by_type(ctx: Context) -> pd.DataFrame:
    """The precise figures of the latest date on which two or more item types are given."""
    precise = _precise(ctx)
    counts = precise.groupby("period_end")["item_category"].nunique()
    return precise[precise["period_end"] == counts[counts >= 2].index.max()]


def items_chart(ctx: Context) -> pd.DataFrame:
    rows = ctx.shown(ctx.once(focus_items))
    stated = rows[rows["kind"] == "stated"]
    if stated.empty or stated.groupby("item_category").size().max() < 2:
        return sections.chart_frame([])
    frame, newest = _points(rows, rows["item_category"]), latest_by_type(ctx).sort_values("value", ascending=False)
    frame.attrs = {"latest": [{**_point(r), "code": r["item_category"]} for _, r in newest.iterrows()]}
    frame.attrs["ranges"] = [(c, _point(g.iloc[0]), _point(g.iloc[-1])) for c, g in stated.groupby("item_category")]
    frame.attrs["flagged"] = int((rows["kind"] == "flagged").sum())
    return frame


def off_series(ctx: Context) -> pd.DataFrame:
    """Flagged and single-operator item counts of the focus scope (cumulative and annual), each
    cumulative one with the precise figure of the same type dated on or before it."""
    rows = _rows(ctx, ("cumulative", "annual"), ("items_destroyed",))
    rows = rows[rows["quality_flag"].notna() | rows.index.isin(ctx.once(focus_items).query("kind == 'flagged'").index)]
    precise, records = _precise(ctx), []
    for _, row in rows.sort_values(["period_end", "item_category", "obs_id"], na_position="last").iterrows():
        same = precise[precise["item_category"] == row["item_category"]]
        before = latest(same[same["period_end"] <= row["period_end"]]) if row["period_type"] == "cumulative" else None
        earlier = {} if before is None else dict(zip(EARLIER, before[["value", "as_of", "source_id"]]))
        records.append({**row, **earlier, "source_ids": joined_ids(row["source_id"], earlier.get("earlier_source"))})
    return pd.DataFrame(records).reindex(columns=[*rows.columns, *EARLIER, "source_ids"])


def annual_items(ctx: Context) -> pd.DataFrame:
    """Full-year items destroyed in the focus scope as stated; ``attrs['gaps']``: the years missing in between."""
    rows = usable(_rows(ctx, "annual", ("items_destroyed",))).sort_values(["year", "item_category"])
    rows.attrs["gaps"] = missing_years(rows["year"])
    return rows


def increments(ctx: Context) -> pd.DataFrame:
    """Items destroyed between consecutive precise cumulative figures of one type (derived)."""
    frames = []
    for code, points in _precise(ctx).groupby("item_category", sort=False):
        if len(points) >= 2:
            result = increments_from_cumulative(points, date_col="period_end", value_col="value")
            ids = points.sort_values("period_end")["source_id"].tolist()
            frames.append(result.assign(code=code, source_ids=[";".join(p) for p in zip(ids, ids[1:])]))
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()


# -- area by year ---------------------------------------------------------------------------


def area_basis(ctx: Context) -> pd.DataFrame:
    """Every full-year area row of the focus scope shown; one per year and measure is ``drawn``: a ``full`` figure
    (all hazards and operators, no flag), else the preferred partial one (hatched); ``bar_*`` repeat it."""
    rows = ctx.shown(_rows(ctx, "annual", YEAR_AREAS))
    full = rows["quality_flag"].isna() & (rows["item_category"] == "all") & all_operators(rows)
    order = ["year", "measure", "full", "evidence_tier", "period_end", "obs_id"]
    rows = rows.assign(full=full).sort_values(order, ascending=[True, True, False, True, False, True])
    rows["drawn"] = ~rows.duplicated(["year", "measure"])
    bars, keys = rows[rows["drawn"]].set_index(["year", "measure"]), pd.MultiIndex.from_frame(rows[["year", "measure"]])
    for column in ("full", "hectares", "qualifier", "publisher", "operator_scope"):
        rows[f"bar_{column}"] = bars[column].reindex(keys).to_numpy()
    drawn_full = rows[rows["drawn"] & rows["full"]]
    rows.attrs["gaps"] = {m: gaps for m, g in drawn_full.groupby("measure") if (gaps := missing_years(g["year"]))}
    return rows.assign(bar_full=rows["bar_full"].astype(bool)).reset_index(drop=True)


def area_by_year(ctx: Context) -> pd.DataFrame:
    rows = ctx.once(area_basis)
    bars, full = rows[rows["drawn"]], rows[rows["drawn"] & rows["full"]]
    if full.empty:
        return sections.chart_frame([])
    frame = bars[["source_id"]].assign(x=bars["year"].astype(int), y=bars["hectares"], series=bars["measure"])
    kind, words = np.where(bars["full"], "stated", "partial"), bars["value_as_reported"].where(bars["unit"] == "ha")
    frame = sections.chart_frame(frame.assign(kind=kind, label=words, hazard=bars["item_category"]))
    counts = full["measure"].value_counts()
    main = full[full["measure"] == max(counts.index, key=lambda m: (counts[m], m == "area_cleared"))]
    frame.attrs = {"measure": main["measure"].iloc[0], "full": [_point(r, "hectares") for _, r in main.iterrows()]}
    frame.attrs |= {"partial": int((~bars["full"]).sum()), "gaps": rows.attrs["gaps"]}
    return frame.reset_index(drop=True)


# -- cumulative area and the official target ------------------------------------------------


def focus_area(ctx: Context) -> pd.DataFrame:
    """Cumulative area cleared in the focus scope, in the years shown, with kinds."""
    rows = ctx.shown(_rows(ctx, "cumulative", ("area_cleared",)))
    return _with_kinds(rows).sort_values(["period_end", "obs_id"])


def area_targets(ctx: Context) -> pd.DataFrame:
    """Official area targets of the country in hectares, the latest target date last."""
    rows = usable(ctx.rows("contamination_targets", indicator=TARGET))
    rows = rows[rows["unit"].isin(["ha", "km2", "m2"])].sort_values(["reference_date", "obs_id"])
    by = as_of(rows["reference_date"], rows["date_precision"])
    return rows.assign(hectares=to_hectares(rows["value"], rows["unit"]), by=by, period_end=rows["reference_date"])


def progress(ctx: Context) -> dict | None:
    """The latest cumulative area cleared, the latest target and the share reached (derived)."""
    series, targets = ctx.once(focus_area).query("kind != 'flagged'"), ctx.once(area_targets)
    if series.empty:
        return None
    cleared = _point(series.iloc[-1], "hectares")
    target = None if targets.empty else _point(targets.iloc[-1], "hectares")
    return {"cleared": cleared, "target": target, "share": target and cleared["value"] / target["value"] * 100}


def cumulative_area(ctx: Context) -> pd.DataFrame:
    rows = ctx.once(focus_area)
    series = rows[rows["kind"] != "flagged"]
    if len(series) < 2:
        return sections.chart_frame([])
    frame, found = _points(rows, "area_cleared", "hectares"), ctx.once(progress)
    if (target := found["target"]) is not None:
        reference = {"x": target["date"], "y": target["value"], "series": TARGET, "kind": "reference"}
        reference |= {"label": target["value_as_reported"], "source_id": target["source_id"]}
        frame = sections.chart_frame(pd.concat([frame, pd.DataFrame([reference])], ignore_index=True))
    frame.attrs = {**found, "first": _point(series.iloc[0], "hectares")}
    return frame


def released(ctx: Context) -> pd.DataFrame:
    """The latest cumulative land released in the focus scope, with the area cleared by then."""
    if (row := latest(usable(_rows(ctx, "cumulative", ("area_released",))))) is None:
        return pd.DataFrame()
    series = ctx.once(focus_area).query("kind != 'flagged'")
    cleared = latest(series[series["period_end"] <= row["period_end"]])
    cleared = None if cleared is None else _point(cleared, "hectares")
    return pd.DataFrame([{**_point(row, "hectares"), "cleared": cleared}])


# -- findings and the summary ---------------------------------------------------------------


def findings(ctx: Context) -> pd.DataFrame:
    """The ended scope's totals, the latest precise figures by type, the area cleared (and the share of
    the target), and the latest full-year area when fewer than three findings are found."""
    rows = []
    if (scope := ended_scope(ctx)) is not None:
        series = ctx.once(ended_rows).query("programme_scope == @scope.code and kind != 'flagged'")
        items, area = (latest(series[series["measure"] == m]) for m in ("items_destroyed", "area_cleared"))
        if items is not None:
            ids = joined_ids(items["source_id"], None if area is None else area["source_id"])
            area = None if area is None else _point(area, "hectares")
            row = {"message": "ended", "scope": scope.label, "items": _point(items), "area": area}
            rows.append(row | {"source_ids": ids})
    if len(last := latest_by_type(ctx)):
        parts = [{**_point(r), "code": r["item_category"]} for _, r in last.iterrows()]
        rows.append({"message": "by_type", "parts": parts, "operators": last["operator_scope"].iloc[0]})
        rows[-1]["source_ids"] = joined_ids(*last["source_id"])
    if (found := ctx.once(progress)) is not None:
        ids = joined_ids(*(p["source_id"] for p in (found["cleared"], found["target"]) if p))
        rows.append({"message": "progress" if found["target"] else "cleared", **found, "source_ids": ids})
    if len(rows) < 3 and len(bars := ctx.once(area_by_year)):
        rows.append({"message": "annual_area", "measure": bars.attrs["measure"], **bars.attrs["full"][-1]})
    return pd.DataFrame(rows)


def summary(ctx: Context) -> pd.DataFrame:
    """The share of the official area target reached by the latest cumulative figure, and whether the
    latest full-year area cleared, kept up from that date, would reach the target by its date (derived)."""
    if (found := ctx.once(progress)) is None or found["target"] is None:
        return pd.DataFrame()
    cleared, target = found["cleared"], found["target"]
    row = {"message": "target", **found, "source_id": joined_ids(cleared["source_id"], target["source_id"])}
    if len(years := ctx.once(area_basis).query("drawn and full and measure == 'area_cleared'")):
        pace, left = years.iloc[-1], years_between(cleared["date"], target["date"])
        on_track = cleared["value"] + pace["hectares"] * left >= target["value"]
        row |= {"pace_year": int(pace["year"]), "on_track": on_track}
        row["source_id"] = joined_ids(row["source_id"], pace["source_id"])
    return pd.DataFrame([row], dtype=object)


# -- the latest bulletins ---------------------------------------------------------------------


def bulletins(ctx: Context) -> pd.DataFrame:
    """The latest weekly and monthly reports of the profile's scopes, newest first: as reported, never added up."""
    rows = usable(_rows(ctx, BULLETINS, scopes=list(ctx.profile.scope_codes)))
    order = ["period_end", "period_start", "programme_scope", "measure", "item_category", "obs_id"]
    return rows.sort_values(order, ascending=[False, False, True, True, True, True]).head(MAX_BULLETINS)


def bulletin_chart(ctx: Context) -> pd.DataFrame:
    """Area cleared in each of the latest bulletins of the focus scope: one point a bulletin, never summed."""
    rows = usable(_rows(ctx, BULLETINS, ("area_cleared",))).dropna(subset=["period_end", "hectares"])
    rows = _with_kinds(rows.sort_values(["period_end", "obs_id"]).tail(MAX_BULLETINS))
    frame = _points(rows, "area_cleared", "hectares")
    if len(rows):
        last = {**_point(rows.iloc[-1], "hectares"), "start": rows["period_start"].iloc[-1]}
        frame.attrs = {"last": last | {"monthly": rows["period_type"].iloc[-1] == "monthly"}}
        frame.attrs["types"] = set(rows["period_type"])
    return frame


# -- sections ---------------------------------------------------------------------------------


_s = sections.maker("clearance")
TWO_SCOPES = Needs(
    "the figures for {{ country.name }} cover one national scope, with no earlier programme kept apart",
    lambda ctx: ended_scope(ctx) is not None,
)
HAS_ROWS = Needs("the data hold no clearance figures for {{ country.name }}", lambda ctx: len(ctx.once(clearance_rows)))
AREA = "value_as_reported=as reported | hectares=area (ha) | quality_flag=quality flag@quality_flag | source_id"
CUMULATIVE, ITEMS_AXIS = "area cleared, cumulative (ha)", "items destroyed, cumulative"
SUMMARY = _s("summary", summary, Summary("progress"))
FINDINGS = _s("findings", findings, Findings())
TERMS_TABLE = _s("terms", land_release_terms, table("term | definition | source_note=basis"), "terms", HAS_ROWS)
METHOD_VIEW = table(f"year | scope | measure=method@measure | item_category=hazard@hazard | {AREA}")
BY_METHOD = _s("by_method", release_by_method, METHOD_VIEW, "terms", annex=True)
ended_items = partial(_ended_chart, measure="items_destroyed", y="value")
ended_area = partial(_ended_chart, measure="area_cleared", y="hectares")
ENDED_ITEMS_VIEW = TimeSeries("04_ended_scope_items", ITEMS_AXIS)
ENDED_AREA_VIEW = TimeSeries("04_ended_scope_area", CUMULATIVE)
ENDED_ITEMS = _s("ended_items", ended_items, ENDED_ITEMS_VIEW, "ended", TWO_SCOPES, min_rows=2)
ENDED_AREA = _s("ended_area", ended_area, ENDED_AREA_VIEW, "ended", TWO_SCOPES, min_rows=2)
ENDED_VIEW = table(f"scope | as_of=as of | measure=measure@measure | items | {AREA}")
ENDED_TABLE = _s("ended_table", ended_table, ENDED_VIEW, "ended", TWO_SCOPES, annex=True)
ITEMS_VIEW = TimeSeries("04_cumulative_items_by_type", ITEMS_AXIS, series_codes="item_category")
ITEMS = _s("items", items_chart, ITEMS_VIEW, "items", min_rows=2)
OFF_VIEW = table(
    "as_of=as of | period_type=period@period_type | item_category=item type@item_type | value_as_reported=as reported"
    " | operator_scope=operators | quality_flag=quality flag@quality_flag | source_id | earlier=earlier precise figure"
    " | earlier_as_of=earlier figure as of | earlier_source=earlier source"
)
OFF_SERIES = _s("off_series", off_series, OFF_VIEW, "items", annex=True)
ANNUAL_VIEW = table(
    "year | item_category=item type@item_type | value=items | value_as_reported=as reported | source_id"
)
ANNUAL_ITEMS = _s("annual_items", annual_items, ANNUAL_VIEW, "items")
INCREMENTS_VIEW = table(
    "code=item type@item_type | period_start=from | period_end=to | days"
    " | increment=items destroyed in period (derived) | consistent | source_ids"
)
INCREMENTS = _s("increments", increments, INCREMENTS_VIEW, "items", annex=True)
AREA_BY_YEAR = _s("area_by_year", area_by_year, Bars("04_area_by_year", "hectares", series_codes="measure"), "area")
# Partial figures of years without a full figure (drawn hatched, or not drawn); figures not drawn in a year
# with a full figure (partial ones, and full ones that differ); every full-year area row.
PARTIAL, CONFLICTS = "not full and not bar_full", "not drawn and bar_full and (not full or hectares != bar_hectares)"
AREA_PARTIAL = _s("area_partial", lambda ctx: ctx.once(area_basis).query(PARTIAL), Note("caveat"), "area")
AREA_CONFLICTS = _s("area_conflicts", lambda ctx: ctx.once(area_basis).query(CONFLICTS), Note("conflict"), "area")
AREA_VIEW = table(f"year | measure=measure@measure | item_category=hazard@hazard | operator_scope=operators | {AREA}")
BY_YEAR = ["year", "measure", "obs_id"]
AREA_TABLE = _s("area_table", lambda ctx: ctx.once(area_basis).sort_values(BY_YEAR), AREA_VIEW, "area", annex=True)
PROGRESS_VIEW = TimeSeries("04_cumulative_area_vs_target", CUMULATIVE, series_codes="measure")
CUMULATIVE_AREA = _s("cumulative_area", cumulative_area, PROGRESS_VIEW, "progress", min_rows=2)
TARGETS_VIEW = table(
    "excerpt=as stated | hectares=target (ha) | by | scope=scope (as stated) | stated_by=set by | source_id"
)
TARGETS = _s("targets", area_targets, TARGETS_VIEW, "progress")
RELEASED = _s("released", released, Note("info"), "progress")
BULLETINS_VIEW = table(
    "period_start=from | period_end=to | period_type=bulletin@period_type | scope | measure=measure@measure"
    " | item_category=item type@item_category | value_as_reported=as reported | source_id"
)
BULLETINS_TABLE = _s("bulletins", bulletins, BULLETINS_VIEW, "bulletins")
BULLETIN_VIEW = TimeSeries("04_area_cleared_per_bulletin", "hectares per bulletin", series_codes="measure")
BULLETINS_CHART = _s("bulletin_chart", bulletin_chart, BULLETIN_VIEW, "bulletins", min_rows=2)
SECTIONS = tuple(value for value in dict(globals()).values() if isinstance(value, Section))
