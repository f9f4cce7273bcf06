"""Chapter 5, casualties and SDG 16.1: who records mine/ERW casualties, how many there were, and what the
counts can (and cannot) contribute to SDG indicator 16.1.2 (a mine/ERW-only national proxy, never the indicator)."""

from __future__ import annotations

import re
from itertools import combinations

import pandas as pd

from demining_sdg.chapters import sections as spec
from demining_sdg.chapters.sections import Context, Download, Findings, Needs, Note, Summary, TimeSeries, table
from demining_sdg.derive import selections as sel
from demining_sdg.derive.rules import pick_preferred, rate_per_100k
from demining_sdg.derive.selections import joined_ids, split_ids, stated, unique_ids, usable, where, with_tiers

INDICATOR, COUNT_SERIES, SHARE_SERIES, RATE_SERIES = "16.1.2", "VC_DTH_TOCVN", "VC_DTH_TOCVR", "VC_DTH_TOCV"
SPLIT = ("civilian_killed", "military_killed", "civilian_injured", "military_injured")
OUTCOMES = ("total", "injured", "killed")  # series order of the running count
PRECISION_RANK = {"day": 0, "month": 1, "year": 2}
BULLETINS = 8  # periodic (weekly, monthly) counts shown: the latest
ANNUAL_COLUMNS = ["year", "recorder", "value", "qualifier", "flagged", "quality_flag", "programme_scope"]

FOCUS_STARTS = Needs(
    "the figures for {{ country.name }} have no dated starting point to count from",
    lambda ctx: ctx.profile.focus.starts is not None,
)
RECORDERS = Needs("no casualty recorders are named for {{ country.name }}", lambda ctx: bool(ctx.profile.recorders))


def _casualties(ctx: Context) -> pd.DataFrame:
    frame = with_tiers(ctx.table("casualties"), ctx.sources)
    return frame.assign(publisher=frame["source_id"].map(ctx.sources["publisher"]))


def _cas(ctx: Context, **conditions) -> pd.DataFrame:
    """The country's (or, with iso3=WORLD, the world's) casualty rows of persons that meet the conditions."""
    return where(ctx.once(_casualties), **({"iso3": ctx.country, "unit": "persons"} | conditions))


def _with_year(rows: pd.DataFrame) -> pd.DataFrame:
    return rows.assign(year=rows["period_end"].dt.year.astype(int), flagged=rows["quality_flag"].notna())


# -- bases several sections share (each computed once per render: ctx.once) -----------------------


def annual_by_recorder(ctx: Context) -> pd.DataFrame:
    """Annual totals (killed and injured, all people) of the profile's recorders in its order, flagged
    rows included; when the focus scope has a start, only the years before it, outside that scope."""
    profile = ctx.profile
    rows = _with_year(_cas(ctx, period_type="annual", outcome="total", population_group="all"))
    rows = rows[rows["recorder"].isin(profile.recorders)]
    if (starts := profile.focus.starts) is not None:
        rows = rows[(rows["programme_scope"] != profile.focus_scope) & (rows["year"] < starts.year)]
    rows = rows.assign(_order=rows["recorder"].map(profile.recorders.index)).sort_values(["_order", "year", "obs_id"])
    return rows[[*ANNUAL_COLUMNS, "publisher", "obs_id", "source_id"]].reset_index(drop=True)


def recorder_pair(ctx: Context) -> pd.DataFrame:
    """The two recorders sharing most years with one unflagged total each (ties: profile order), year
    by year; the one that counts more in more of those years comes first."""
    clean = ctx.once(annual_by_recorder)
    clean = clean[~clean["flagged"]].drop_duplicates(["year", "recorder"])
    wide = clean.pivot(index="year", columns="recorder", values="value")
    ids = clean.pivot(index="year", columns="recorder", values="source_id")
    pairs = [(a, b, wide[[a, b]].dropna()) for a, b in combinations([r for r in ctx.profile.recorders if r in wide], 2)]
    pairs = sorted([p for p in pairs if len(p[2])], key=lambda p: -len(p[2]))
    if not pairs:
        empty = pd.DataFrame()
        empty.attrs["n_shared"] = 0
        return empty
    a, b, shared = pairs[0]
    if (shared[b] > shared[a]).sum() > (shared[a] > shared[b]).sum():
        a, b = b, a
    frame = pd.DataFrame({"year": shared.index.astype(int), "recorder": a, "casualties": shared[a].to_numpy()})
    frame = frame.assign(other_recorder=b, other_casualties=shared[b].to_numpy())
    frame["difference"] = frame["casualties"] - frame["other_casualties"]
    frame["source_ids"] = [joined_ids(ids.at[y, a], ids.at[y, b]) for y in shared.index]
    frame.attrs.update(higher=a, lower=b, n_higher=int((frame["difference"] > 0).sum()), n_shared=len(frame))
    return frame


def focus_cumulative(ctx: Context) -> pd.DataFrame:
    """Unflagged cumulative counts of all people (killed and injured, killed, injured) in the focus scope."""
    rows = _cas(ctx, programme_scope=ctx.profile.focus_scope, period_type="cumulative", population_group="all")
    return usable(rows[rows["outcome"].isin(OUTCOMES)])


def civil_military(ctx: Context) -> pd.DataFrame:
    """Civilian and military killed and injured per source and date in the focus scope (cumulative);
    killed, injured and the shares are derived only where the source gives all four numbers."""
    rows = usable(_cas(ctx, programme_scope=ctx.profile.focus_scope, period_type="cumulative"))
    rows = rows[rows["outcome"].isin(["killed", "injured"]) & rows["population_group"].isin(["civilian", "military"])]
    if rows.empty:
        return pd.DataFrame()
    keys = ["period_end", "source_id"]
    rows = rows.assign(key=rows["population_group"] + "_" + rows["outcome"])
    wide = rows.pivot_table(index=keys, columns="key", values="value", aggfunc="first").reindex(columns=list(SPLIT))
    wide["stated_by"] = rows.groupby(keys)["recorded_by"].first()
    wide = wide.reset_index().rename(columns={"period_end": "date"})
    complete = wide[list(SPLIT)].notna().all(axis=1)
    wide["killed"] = wide["civilian_killed"] + wide["military_killed"]
    wide["injured"] = wide["civilian_injured"] + wide["military_injured"]
    wide["civilian_share_of_deaths"] = (wide["civilian_killed"] / wide["killed"] * 100).round(1).where(complete)
    wide["military_share_of_injuries"] = (wide["military_injured"] / wide["injured"] * 100).round(1).where(complete)
    wide["complete"] = complete
    wide["military_more_injured"] = complete & (wide["military_injured"] > wide["civilian_injured"])
    wide["civilians_more_killed"] = complete & (wide["civilian_killed"] > wide["military_killed"])
    return wide.sort_values(["date", "source_id"]).reset_index(drop=True)


def _denominators(ctx: Context) -> pd.DataFrame:
    return sel.denominators(ctx.table("population"), ctx.country)


def annual_rates(ctx: Context) -> pd.DataFrame:
    """Casualties and deaths per 100,000 (derived) for every unflagged annual total of the country in a
    year with a World Bank mid-year population: one row per year, recorder and source."""
    annual = _with_year(usable(_cas(ctx, period_type="annual", population_group="all")))
    link = ["year", "source_id", "recorder"]
    deaths = annual.loc[annual["outcome"] == "killed", [*link, "value"]].drop_duplicates(link)
    pop = _denominators(ctx)
    pop = pd.DataFrame({"year": pop["year"].astype(int), "population": pop["value"], "pop_source": pop["source_id"]})
    frame = annual[annual["outcome"] == "total"].rename(columns={"value": "casualties"}).merge(pop, on="year")
    frame = frame.merge(deaths.rename(columns={"value": "deaths"}), on=link, how="left")
    frame = frame.assign(
        scope=ctx.profile.short_words(frame["programme_scope"]),
        casualties_per_100k=rate_per_100k(frame["casualties"], frame["population"]),
        deaths_per_100k=rate_per_100k(frame["deaths"], frame["population"]),
        source_ids=frame["source_id"] + ";" + frame["pop_source"],
    )
    columns = ["year", "recorder", "scope", "casualties", "qualifier", "deaths", "population", "casualties_per_100k"]
    columns += ["deaths_per_100k", "evidence_tier", "obs_id", "period_end"]
    frame = frame[[*columns, "source_ids"]].sort_values(["year", "evidence_tier", "obs_id"]).reset_index(drop=True)
    ids = unique_ids(_denominators(ctx)["source_id"])
    frame.attrs["denominator"] = "; ".join(ctx.sources.at[i, "title"] for i in ids if i in ctx.sources.index)
    return frame


M49 = Needs("the country profile of {{ country.name }} gives no UN M49 code", lambda ctx: ctx.profile.m49 is not None)


def sdg_proxy(ctx: Context) -> pd.DataFrame:
    """The rates' rows with a death count: written in the SDG Global Database's long format (``present/sdg_long.py``)."""
    return ctx.once(annual_rates).dropna(subset=["deaths"]).reset_index(drop=True)


def global_totals(ctx: Context) -> pd.DataFrame:
    """Every global annual total (flagged ones included); ``in_series`` marks the one per year the series
    uses: unflagged, from the strongest source (then the latest period, the first id)."""
    rows = _with_year(_cas(ctx, iso3=sel.WORLD, period_type="annual", outcome="total", population_group="all"))
    chosen, _ = pick_preferred(rows[~rows["flagged"]], ["year"])
    rows = rows.assign(in_series=rows["obs_id"].isin(chosen["obs_id"])).sort_values(["year", "obs_id"])
    return rows[[*ANNUAL_COLUMNS, "in_series", "value_as_reported", "notes", "publisher", "obs_id", "source_id"]]


def global_shares(ctx: Context) -> pd.DataFrame:
    """Civilian share of global casualties, child share of civilian ones (percent; worded shares kept, no number)."""
    pct = usable(_cas(ctx, iso3=sel.WORLD, unit="percent", period_type="annual", outcome="total"))
    child = (pct["population_group"] == "child") & pct["percent_base"].fillna("").str.startswith("civilian")
    pct = pct[(pct["population_group"] == "civilian") | child].assign(year=pct["period_end"].dt.year.astype(int))
    columns = ["year", "population_group", "value", "qualifier", "value_as_reported", "percent_base", "obs_id"]
    return pct.sort_values(["population_group", "year", "obs_id"])[[*columns, "source_id"]].reset_index(drop=True)


def sdg_1612(ctx: Context) -> pd.DataFrame:
    rows = where(ctx.table("sdg_indicators"), indicator_code=INDICATOR).reset_index(drop=True)
    what = rows["indicator_text"].where(rows["series_code"].isna(), "series")
    return rows.assign(what=what, is_verified=rows["is_verified"].astype(bool))


def annual_totals(ctx: Context) -> pd.DataFrame:
    """Unflagged annual totals (killed and injured, all people) of the country, any scope."""
    return _with_year(usable(_cas(ctx, period_type="annual", outcome="total", population_group="all")))


# -- sections' frames ----------------------------------------------------------------------------


def recorders_chart(ctx: Context) -> pd.DataFrame:
    rows = ctx.shown(ctx.once(annual_by_recorder), "year")
    if rows.empty:
        return rows
    kind = spec.point_kind(rows["qualifier"]).where(~rows["flagged"], "flagged")
    frame = spec.points(rows, "year", "recorder", kind, "obs_id")
    clean = rows[~rows["flagged"]]
    ranges = clean.groupby("recorder", sort=False)["value"].agg(["min", "max"]).reset_index().to_dict("records")
    frame.attrs.update(ctx.once(recorder_pair).attrs, first=int(rows["year"].min()), last=int(rows["year"].max()))
    frame.attrs.update(ranges=ranges, flagged=rows.loc[rows["flagged"], ["year", "value"]].to_dict("records"))
    frame.attrs["latest"] = clean.sort_values(["year", "value"]).iloc[-1].to_dict()
    frame.attrs["peak"] = clean.sort_values(["value", "year"], ascending=[False, True]).iloc[0].to_dict()
    frame.attrs["scopes"] = list(dict.fromkeys(s.short for c in rows["programme_scope"] if (s := ctx.profile.scope(c))))
    frame.attrs["recorders"] = list(dict.fromkeys(rows["recorder"]))
    return frame


def recorder_conflicts(ctx: Context) -> pd.DataFrame:
    """One recorder's total for one year, given differently by two publications."""
    rows = ctx.once(annual_by_recorder)
    return rows[rows.groupby(["year", "recorder"])["value"].transform("nunique") > 1].reset_index(drop=True)


def method_notes(ctx: Context) -> pd.DataFrame:
    """What a source says about why recorders differ, when every recorder it names is shown."""
    shown = set(ctx.once(annual_by_recorder)["recorder"])
    notes = ctx.rows("method_notes", topic="casualty_recorders")
    return notes[notes["subjects"].map(lambda s: set(split_ids(s)) <= shown)].reset_index(drop=True)


def running_count(ctx: Context) -> pd.DataFrame:
    rows = ctx.shown(ctx.once(focus_cumulative))
    totals = rows[rows["outcome"] == "total"]
    if totals.empty:
        return pd.DataFrame()
    rows = rows.assign(_order=rows["outcome"].map(OUTCOMES.index)).sort_values(["_order", "period_end", "obs_id"])
    kind = spec.point_kind(rows["qualifier"])
    frame = spec.points(rows, "period_end", "outcome", kind, "qualifier", "recorder", "obs_id")
    scopes = list(dict.fromkeys(totals["scope"].dropna()))
    frame.attrs.update(first=totals.iloc[0].to_dict(), last=totals.iloc[-1].to_dict(), scopes=scopes)
    return frame


def _counts(ctx: Context, period_types: list[str], since: int | None) -> pd.DataFrame:
    """Counts of all people (any scope) of the period types from the year ``since`` on: one row per
    source, period and scope, with killed, injured and their total where stated, never added up."""
    rows = usable(_cas(ctx, period_type=period_types, population_group="all"))
    rows = rows[rows["period_start"].dt.year >= since] if since is not None else rows.iloc[0:0]
    keys, out = ["period_start", "period_end", "source_id", "period_type", "programme_scope"], []
    for values, group in rows.groupby(keys):
        by = group.drop_duplicates("outcome").set_index("outcome")
        row = dict(zip(keys, values)) | {f"{o}_value": by["value"].get(o) for o in ("total", "killed", "injured")}
        row |= {"qualifier": by["qualifier"].get("total"), "recorder": group["recorder"].iloc[0]}
        out.append(row | {"as_reported": "; ".join(dict.fromkeys(group["value_as_reported"]))})
    if not out:
        return pd.DataFrame()
    frame = pd.DataFrame(out).sort_values(["period_end", "period_start", "source_id"]).reset_index(drop=True)
    return frame.assign(scope=ctx.profile.short_words(frame["programme_scope"]))


def recent_counts(ctx: Context) -> pd.DataFrame:
    """Annual and part-year counts from the focus scope's start, else from the year before the latest annual."""
    starts, annual = ctx.profile.focus.starts, ctx.once(annual_totals)
    since = starts.year if starts else (int(annual["year"].max()) - 1 if len(annual) else None)
    frame = _counts(ctx, ["annual", "partial_year"], since)
    frame.attrs["since"] = since
    return frame


def bulletins(ctx: Context) -> pd.DataFrame:
    """The latest weekly and monthly bulletins (periodic counts), newest last."""
    return _counts(ctx, ["weekly", "monthly"], 0).tail(BULLETINS).reset_index(drop=True)


def summary(ctx: Context) -> pd.DataFrame:
    """The latest full year's total (focus scope first) against the previous year in the same scope (same recorder
    where it can), with the running count since the focus scope's start. No row without a previous year."""
    annual = ctx.once(annual_totals)
    if annual.empty:
        return pd.DataFrame()
    year = annual[annual["year"] == annual["year"].max()]
    focus = year[year["programme_scope"] == ctx.profile.focus_scope]
    last = pick_preferred(focus if len(focus) else year, ["year"])[0].iloc[0]
    before = annual[(annual["year"] == last["year"] - 1) & (annual["programme_scope"] == last["programme_scope"])]
    if before.empty:
        return pd.DataFrame()
    same = before[before["recorder"] == last["recorder"]]
    prev = pick_preferred(same if len(same) else before, ["year"])[0].iloc[0]
    scope = ctx.profile.scope(last["programme_scope"])
    row = last[["year", "value", "qualifier"]].to_dict() | {"scope": scope.label if scope else last["scope"]}
    row |= {"previous": prev["value"], "previous_qualifier": prev["qualifier"], "previous_year": int(prev["year"])}
    row |= {"change": (last["value"] - prev["value"]) / prev["value"] * 100 if prev["value"] else None}
    running = _cumulative_finding(ctx) if ctx.profile.focus.starts else None
    row |= {"same_recorder": prev["recorder"] == last["recorder"], "running": running, "message": "annual"}
    ids = [last["source_id"], prev["source_id"], *split_ids((running or {}).get("source_ids"))]
    return pd.DataFrame([row | {"source_ids": joined_ids(ids)}])


def denominator_check(ctx: Context) -> pd.DataFrame:
    """The denominator beside another publisher's population for the same year, the pair closest in date."""
    pop = ctx.table("population")
    pairs = pop[(pop["iso3"] == ctx.country) & (pop["publisher"] != sel.DENOMINATOR[0])]
    pairs = pairs.merge(_denominators(ctx), on="year", suffixes=("", "_used"))
    if pairs.empty:
        return pd.DataFrame()
    pairs = pairs.assign(gap=(pairs["reference_date"] - pairs["reference_date_used"]).abs())
    pair = pairs.sort_values(["gap", "year"], ascending=[True, False]).iloc[0]
    columns = ["publisher", "estimate_type", "reference_date", "value", "obs_id", "source_id"]
    frame = pd.DataFrame([[pair[f"{c}_used"] for c in columns], [pair[c] for c in columns]], columns=columns)
    frame = frame.assign(year=int(pair["year"]), used=[True, False])
    gap, used = pair["value"] - pair["value_used"], pair["value_used"]
    frame.attrs.update(other=pair["publisher"], difference=abs(gap), more=bool(gap > 0), share=abs(gap) / used * 100)
    frame.attrs["rate_change"] = abs(used / pair["value"] - 1) * 100
    return frame


def proxy_basis(ctx: Context) -> pd.DataFrame:
    """The 16.1.2 definition and the cause category closest to mines and ERW, from the metadata
    (none without the rates it explains)."""
    if ctx.once(annual_rates).empty:
        return pd.DataFrame()
    rows = ctx.once(sdg_1612)
    definition = rows[rows["indicator_text"] == "definition"]
    groups = rows[rows["indicator_text"].fillna("").str.startswith("minimum disaggregation")]
    if definition.empty:
        return pd.DataFrame()
    cause = groups["series_description"].fillna("").str.extract(r"'([^']*unexploded ordnance[^']*)'")[0].dropna()
    first = definition.iloc[0]
    ids = joined_ids(first["source_id"], groups["source_id"])
    row = {"definition": first["excerpt"], "custodian": first["custodian"], "source_ids": ids}
    return pd.DataFrame([row | {"cause": cause.iloc[0] if len(cause) else None}])


def global_chart(ctx: Context) -> pd.DataFrame:
    rows = ctx.shown(ctx.once(global_totals), "year")
    series = rows[rows["in_series"]].sort_values("year")
    if series.empty:
        return pd.DataFrame()
    kind = spec.point_kind(rows["qualifier"]).where(rows["in_series"], "flagged")
    extra = ("recorder", "qualifier", "in_series", "quality_flag", "value_as_reported", "obs_id")
    frame = spec.points(rows, "year", "programme_scope", kind, *extra)
    peak = series.sort_values(["value", "year"], ascending=[False, True]).iloc[0]
    first, last = series.iloc[0], series.iloc[-1]
    later = rows[rows["flagged"] & (rows["year"] > last["year"])].sort_values("year")
    frame.attrs.update(first=first.to_dict(), peak=peak.to_dict(), last=last.to_dict())
    frame.attrs.update(others=int((~rows["in_series"]).sum()), change=(last["value"] / peak["value"] - 1) * 100)
    frame.attrs["later_flagged"] = later.iloc[-1].to_dict() if len(later) else None
    return frame


def shares_chart(ctx: Context) -> pd.DataFrame:
    rows = ctx.once(global_shares)
    rows = ctx.shown(rows[rows["value"].notna()], "year")
    if rows.empty:
        return pd.DataFrame()
    frame = spec.points(rows, "year", "population_group", spec.point_kind(rows["qualifier"]), "percent_base", "obs_id")
    civilian = rows.loc[rows["population_group"] == "civilian", "value"]
    spans = [(g, s.sort_values("year")) for g, s in rows.groupby("population_group", sort=False)]
    frame.attrs.update(first=int(rows["year"].min()), last=int(rows["year"].max()), years=len(civilian))
    frame.attrs.update(low=civilian.min(), high=civilian.max())
    frame.attrs["spans"] = [{"group": g, "first": s.iloc[0].to_dict(), "last": s.iloc[-1].to_dict()} for g, s in spans]
    return frame


def revisions(ctx: Context) -> pd.DataFrame:
    """Years with more than one global total, and the revisions the rows' notes record (ids cut)."""
    rows = ctx.once(global_totals)
    used = rows[rows["in_series"]].set_index("year")["value"]
    several = rows[(rows.groupby("year")["value"].transform("nunique") > 1) & ~rows["in_series"]]
    out = [r._asdict() | {"kind": "edition", "used": used.get(r.year)} for r in several.itertuples(index=False)]
    for r in rows.itertuples(index=False):
        for clause in (c.strip() for c in (r.notes if isinstance(r.notes, str) else "").split(";")):
            if clause.startswith("revised to"):
                ids = ";".join([r.source_id, *re.findall(r"S\d{3}", clause)])
                row = {"kind": "revision", "year": r.year, "clause": re.sub(r"\s*\(S\d{3}\)", "", clause)}
                out.append(row | {"publisher": r.publisher, "source_id": ids})
    return pd.DataFrame(out)


def world_causes(ctx: Context) -> pd.DataFrame:
    """World civilian conflict deaths by cause (16.1.2) in the extract's latest year, shares derived and as stated;
    in attrs the world rate check and what the extract holds for the country."""
    values = ctx.table("sdg_values")
    numbers = where(values, series_code=COUNT_SERIES, sex="bothsex", age="allage").dropna(subset=["cause"])
    numbers = numbers[numbers["year"] == numbers["year"].max()]
    total = numbers.loc[numbers["cause"] == "total", "value"]
    if total.empty:
        return pd.DataFrame()
    year, area = numbers["year"].iloc[0], numbers["iso3"].iloc[0]
    shares = where(values, series_code=SHARE_SERIES, year=year).dropna(subset=["cause"]).set_index("cause")["value"]
    derived = (numbers["value"] / total.iloc[0] * 100).round(1)
    frame = numbers.assign(share_derived=derived, share_reported=numbers["cause"].map(shares)).reset_index(drop=True)
    codes = {c.strip() for cell in ctx.once(sdg_1612)["series_code"].dropna() for c in cell.split("/")}
    mine = values[values["iso3"] == ctx.country]
    other = mine[~mine["series_code"].isin(codes)]
    frame.attrs.update(own=int(mine["series_code"].isin(codes).sum()), other_codes=sorted(set(other["series_code"])))
    frame.attrs.update(other_from=other["year"].min(), other_to=other["year"].max())
    rate = where(values, series_code=RATE_SERIES, year=year, iso3=area)
    if len(rate):
        pop = where(ctx.table("population"), iso3=area, year=year)
        frame.attrs.update(rate=rate.iloc[0].to_dict(), implied=total.iloc[0] / rate["value"].iloc[0] * 100_000)
        frame.attrs["population"] = pop.iloc[0].to_dict() if len(pop) else None
        frame.attrs["recomputed"] = rate_per_100k(total.head(1), pop["value"].head(1)).iloc[0] if len(pop) else None
    return frame


# -- key findings ----------------------------------------------------------------------------------


def _cumulative_finding(ctx: Context) -> dict | None:
    rows = stated(ctx.once(focus_cumulative), ctx.table("unstated_figures"))  # a headline: stated figures only
    totals = rows[rows["outcome"] == "total"].dropna(subset=["period_end"])
    if totals.empty:
        return None
    last = totals[totals["period_end"] == totals["period_end"].max()]
    same = last[last["value"] == last.sort_values("obs_id")["value"].iloc[0]]
    same = same.assign(_p=same["date_precision"].map(PRECISION_RANK))
    row = same.sort_values(["_p", "evidence_tier", "obs_id"]).iloc[0]
    parts = where(rows, source_id=row["source_id"], period_end=row["period_end"]).drop_duplicates("outcome")
    scope = row["scope"] if isinstance(row["scope"], str) else ctx.profile.focus.label
    found = row[["value", "qualifier", "period_end", "date_precision", "period_start"]].to_dict() | {"scope": scope}
    parts = parts.set_index("outcome")
    for outcome in ("killed", "injured"):
        found |= {outcome: parts["value"].get(outcome), f"{outcome}_q": parts["qualifier"].get(outcome)}
    return found | {"message": "cumulative", "source_ids": joined_ids(row["source_id"], same["source_id"])}


def findings(ctx: Context) -> pd.DataFrame:
    rows = [_cumulative_finding(ctx)]
    split = ctx.once(civil_military)
    if len(split) and split["complete"].any():
        row = split[split["complete"]].iloc[-1]
        contrast = row["military_more_injured"] and row["civilians_more_killed"]
        rows.append(row.to_dict() | {"message": "split_contrast" if contrast else "split"})
    if len(rates := ctx.once(annual_rates)):
        chosen, _ = pick_preferred(rates.assign(value=rates["casualties"]), ["year"])
        rows.append(chosen.sort_values("year").iloc[-1].to_dict() | {"message": "rate"})
    if trend := ctx.once(global_chart).attrs:
        later = (trend["later_flagged"] or {}).get("source_id")
        ids = joined_ids([trend[k]["source_id"] for k in ("first", "peak", "last")], later)
        rows.append(trend | {"message": "global", "source_ids": ids})
    return pd.DataFrame([r for r in rows if r is not None])


# -- sections ------------------------------------------------------------------------------------


_s = spec.maker("casualties")
COUNTS = table(
    "period_start=from | period_end=to | period_type=period@period_type | scope | total_value=killed or injured"
    " | qualifier@qualifier | killed_value=killed | injured_value=injured | as_reported=as reported"
    " | recorder@recorder | source_id"
)
PAIR = table(
    "year | recorder@recorder | casualties | other_recorder=compared with@recorder"
    " | other_casualties=casualties (other recorder) | difference=difference (derived) | source_ids"
)
SPLIT_VIEW = table(
    "date=as of | civilian_killed=civilians killed | military_killed=military killed | civilian_injured=civilians"
    " injured | military_injured=military injured | killed=killed (derived) | injured=injured (derived)"
    " | civilian_share_of_deaths=civilian share of deaths, % (derived)"
    " | military_share_of_injuries=military share of injuries, % (derived) | stated_by=stated by | source_id"
)
RATES = table(
    "year | recorder@recorder | scope=scope of the count | casualties=casualties (killed and injured)"
    " | qualifier@qualifier | deaths=of whom killed | population=population (World Bank, mid-year)"
    " | casualties_per_100k=casualties per 100,000 (derived) | deaths_per_100k=deaths per 100,000 (derived)"
    " | source_ids",
    digits={"casualties_per_100k": 3, "deaths_per_100k": 3},
)
DENOMINATOR_VIEW = table(
    "publisher | estimate_type=estimate@estimate_type | reference_date=date | value=population"
    " | used=used as denominator | source_id"
)
METADATA = table(
    "what | series_code=series code | series_description=description | custodian"
    " | release_or_version=release or version | is_verified=verified | source_id"
)
SHARES = table(
    "year | population_group=share of@casualty_share | value=percent | value_as_reported=as reported"
    " | percent_base=of | source_id"
)
CAUSES = table(
    "cause=cause of death@cause | value=civilian conflict deaths | share_derived=share, % (derived)"
    " | share_reported=share, % (as in the extract) | source_id"
)
PER_YEAR = "casualties per year (killed and injured)"
BY_RECORDER = TimeSeries("05_casualties_by_recorder", PER_YEAR, True, series_codes="recorder")
RUNNING = TimeSeries("05_casualties_running_count", "people (cumulative)", series_codes="outcome")
WORLD_LINE = TimeSeries("05_global_casualties", "casualties per year (world)", True, series_codes="programme_scope")
SHARES_LINE = TimeSeries("05_global_casualty_shares", "percent", True, series_codes="casualty_share")

SUMMARY = _s("summary", summary, Summary(link="recent"), None)
FINDINGS = _s("findings", findings, Findings(), None)
RECORDERS_CHART = _s("recorders_chart", recorders_chart, BY_RECORDER, "recorders", RECORDERS)
RECORDERS_TABLE = _s("recorders_table", recorder_pair, PAIR, "recorders", RECORDERS)
RECORDER_CONFLICTS = _s("recorder_conflicts", recorder_conflicts, Note("conflict"), "recorders", RECORDERS, annex=True)
METHOD_NOTE = _s("method_note", method_notes, Note("caveat"), "recorders", RECORDERS)
RUNNING_COUNT = _s("running_count", running_count, RUNNING, "focus", FOCUS_STARTS)
SPLIT_TABLE = _s("split_table", civil_military, SPLIT_VIEW, "focus", FOCUS_STARTS)
RECENT_TABLE = _s("recent_table", recent_counts, COUNTS, "recent")
BULLETINS_TABLE = _s("bulletins", bulletins, COUNTS, "recent")
RATES_TABLE = _s("rates_table", annual_rates, RATES, "rate")
DENOMINATOR_TABLE = _s("denominator_table", denominator_check, DENOMINATOR_VIEW, "rate", annex=True)
PROXY_NOTE = _s("proxy_note", proxy_basis, Note("caveat"), "rate")
SDG_METADATA_TABLE = _s("sdg_metadata_table", sdg_1612, METADATA, "rate", annex=True)
SDG_PROXY = _s("sdg_proxy", sdg_proxy, Download(), "rate", M49)
GLOBAL_CHART = _s("global_chart", global_chart, WORLD_LINE, "global")
REVISION_NOTE = _s("revision_note", revisions, Note("conflict"), "global", annex=True)
SHARES_CHART = _s("shares_chart", shares_chart, SHARES_LINE, "global")
SHARES_TABLE = _s("shares_table", global_shares, SHARES, "global", annex=True)
WORLD_CAUSES_TABLE = _s("world_causes_table", world_causes, CAUSES, "sdg_database")
