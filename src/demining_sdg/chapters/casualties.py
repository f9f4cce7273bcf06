"""Chapter 5, casualties and SDG 16.1: who records mine/ERW casualties, how many there were, and what the
counts can (and cannot) contribute to SDG indicator 16.1.2 (a mine/ERW-only national proxy, never the indicator)."""

from __future__ import annotations

import re
from itertools import combinations

import pandas as pd

from demining_sdg.chapters.sections import Context, Findings, Needs, Note, Section, Table, TimeSeries, chart_frame
from demining_sdg.derive.rules import pick_preferred, rate_per_100k
from demining_sdg.derive.selections import in_years, split_ids, unique_ids, usable, with_tiers

WORLD = "WLD"  # the tables' code for global rows (data/README.md)
DENOMINATOR = ("World Bank", "mid_year")  # publisher and estimate type of the one population denominator
INDICATOR, COUNT_SERIES, SHARE_SERIES, RATE_SERIES = "16.1.2", "VC_DTH_TOCVN", "VC_DTH_TOCVR", "VC_DTH_TOCV"
SPLIT = ("civilian_killed", "military_killed", "civilian_injured", "military_injured")
OUTCOMES = ("total", "injured", "killed")  # series order of the running count
PRECISION_RANK = {"day": 0, "month": 1, "year": 2}
ANNUAL_COLUMNS = ["year", "recorder", "value", "qualifier", "flagged", "quality_flag", "programme_scope"]

FOCUS_STARTS = Needs(
    "the figures for {{ country.name }} have no dated starting point to count from",
    lambda ctx: ctx.profile.focus.starts is not None,
)
RECORDERS = Needs("no casualty recorders are named for {{ country.name }}", lambda ctx: bool(ctx.profile.recorders))


def _headers(spec: str) -> dict[str, str]:
    """A table's columns from 'column=header | column | …' (a bare column is its own header)."""
    return {c.strip(): (h or c).strip() for c, _, h in (part.partition("=") for part in spec.split("|"))}


def _where(frame: pd.DataFrame, **conditions) -> pd.DataFrame:
    """Rows whose columns equal the values given (a list: any of its values)."""
    for column, value in conditions.items():
        frame = frame[frame[column].isin(value) if isinstance(value, list) else frame[column] == value]
    return frame


def _casualties(ctx: Context) -> pd.DataFrame:
    frame = with_tiers(ctx.table("casualties"), ctx.sources)
    return frame.assign(publisher=frame["source_id"].map(ctx.sources["publisher"]))


def _cas(ctx: Context, **conditions) -> pd.DataFrame:
    return _where(ctx.once(_casualties), **conditions)


def _kind(qualifiers: pd.Series) -> pd.Series:
    return qualifiers.map(lambda q: "stated" if q == "exact" else "rounded")


def _chart(rows: pd.DataFrame, x: str, series: str, kind: pd.Series, *extra: str) -> pd.DataFrame:
    frame = rows.assign(x=rows[x], y=rows["value"], series=rows[series], kind=kind)
    return chart_frame(frame[["x", "y", "series", "kind", "source_id", *extra]].reset_index(drop=True))


def _scope_short(ctx: Context, codes: pd.Series) -> pd.Series:
    return codes.map(lambda code: scope.short if (scope := ctx.profile.scope(code)) else code)


# -- bases several sections share (each computed once per render: ctx.once) -----------------------


def annual_by_recorder(ctx: Context) -> pd.DataFrame:
    """Annual totals (killed and injured, all people) of the profile's recorders in its order, flagged
    rows included; when the focus scope has a start, only the years before it, outside that scope."""
    profile = ctx.profile
    rows = _cas(ctx, iso3=ctx.country, unit="persons", period_type="annual", outcome="total", population_group="all")
    rows = rows[rows["recorder"].isin(profile.recorders)]
    rows = rows.assign(year=rows["period_end"].dt.year.astype(int), flagged=rows["quality_flag"].notna())
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
    frame["source_ids"] = [";".join(unique_ids([ids.at[y, a], ids.at[y, b]])) for y in shared.index]
    frame.attrs.update(higher=a, lower=b, n_higher=int((frame["difference"] > 0).sum()), n_shared=len(frame))
    return frame


def focus_cumulative(ctx: Context) -> pd.DataFrame:
    """Unflagged cumulative counts of all people (killed and injured, killed, injured) in the focus scope."""
    rows = _cas(ctx, iso3=ctx.country, unit="persons", programme_scope=ctx.profile.focus_scope)
    return usable(_where(rows, period_type="cumulative", population_group="all", outcome=list(OUTCOMES)))


def civil_military(ctx: Context) -> pd.DataFrame:
    """Civilian and military killed and injured per source and date in the focus scope (cumulative);
    killed, injured and the shares are derived only where the source gives all four numbers."""
    rows = _cas(ctx, iso3=ctx.country, unit="persons", programme_scope=ctx.profile.focus_scope)
    rows = usable(_where(rows, period_type="cumulative", outcome=["killed", "injured"]))
    rows = rows[rows["population_group"].isin(["civilian", "military"])]
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
    return _where(ctx.table("population"), iso3=ctx.country, publisher=DENOMINATOR[0], estimate_type=DENOMINATOR[1])


def annual_rates(ctx: Context) -> pd.DataFrame:
    """Casualties and deaths per 100,000 (derived) for every unflagged annual total of the country in a
    year with a World Bank mid-year population: one row per year, recorder and source."""
    annual = usable(_cas(ctx, iso3=ctx.country, unit="persons", period_type="annual", population_group="all"))
    annual = annual.assign(year=annual["period_end"].dt.year.astype(int))
    link = ["year", "source_id", "recorder"]
    deaths = annual.loc[annual["outcome"] == "killed", [*link, "value"]].drop_duplicates(link)
    pop = _denominators(ctx)
    pop = pd.DataFrame({"year": pop["year"].astype(int), "population": pop["value"], "pop_source": pop["source_id"]})
    frame = annual[annual["outcome"] == "total"].rename(columns={"value": "casualties"}).merge(pop, on="year")
    frame = frame.merge(deaths.rename(columns={"value": "deaths"}), on=link, how="left")
    frame = frame.assign(
        scope=_scope_short(ctx, frame["programme_scope"]),
        casualties_per_100k=rate_per_100k(frame["casualties"], frame["population"]),
        deaths_per_100k=rate_per_100k(frame["deaths"], frame["population"]),
        source_ids=frame["source_id"] + ";" + frame["pop_source"],
    )
    for column in ("casualties", "deaths"):  # three decimals for the table (the inputs keep full precision)
        frame[f"{column}_rate"] = frame[f"{column}_per_100k"].map(lambda v: None if pd.isna(v) else f"{v:.3f}")
    columns = ["year", "recorder", "scope", "casualties", "qualifier", "deaths", "population", "casualties_per_100k"]
    columns += ["deaths_per_100k", "casualties_rate", "deaths_rate", "evidence_tier", "obs_id", "period_end"]
    return frame[[*columns, "source_ids"]].sort_values(["year", "evidence_tier", "obs_id"]).reset_index(drop=True)


def global_totals(ctx: Context) -> pd.DataFrame:
    """Every global annual total (flagged ones included); ``in_series`` marks the one per year the series
    uses: unflagged, from the strongest source (then the latest period, the first id)."""
    rows = _cas(ctx, iso3=WORLD, unit="persons", period_type="annual", outcome="total", population_group="all")
    rows = rows.assign(year=rows["period_end"].dt.year.astype(int), flagged=rows["quality_flag"].notna())
    chosen, _ = pick_preferred(rows[~rows["flagged"]], ["year"])
    rows = rows.assign(in_series=rows["obs_id"].isin(chosen["obs_id"])).sort_values(["year", "obs_id"])
    return rows[[*ANNUAL_COLUMNS, "in_series", "value_as_reported", "notes", "publisher", "obs_id", "source_id"]]


def global_shares(ctx: Context) -> pd.DataFrame:
    """Civilian share of global casualties and child share of civilian casualties (percent); shares the
    sources state only in words are kept, without a number."""
    pct = usable(_cas(ctx, iso3=WORLD, unit="percent", period_type="annual", outcome="total"))
    child = (pct["population_group"] == "child") & pct["percent_base"].fillna("").str.startswith("civilian")
    pct = pct[(pct["population_group"] == "civilian") | child].assign(year=pct["period_end"].dt.year.astype(int))
    columns = ["year", "population_group", "value", "qualifier", "value_as_reported", "percent_base", "obs_id"]
    return pct.sort_values(["population_group", "year", "obs_id"])[[*columns, "source_id"]].reset_index(drop=True)


def sdg_1612(ctx: Context) -> pd.DataFrame:
    rows = _where(ctx.table("sdg_indicators"), indicator_code=INDICATOR).reset_index(drop=True)
    what = rows["indicator_text"].where(rows["series_code"].isna(), "series")
    return rows.assign(what=what, is_verified=rows["is_verified"].astype(bool))


# -- sections' frames ----------------------------------------------------------------------------


def recorders_chart(ctx: Context) -> pd.DataFrame:
    rows = in_years(ctx.once(annual_by_recorder), ctx.params.first_year, ctx.params.last_year, "year")
    if rows.empty:
        return rows
    frame = _chart(rows, "year", "recorder", _kind(rows["qualifier"]).where(~rows["flagged"], "flagged"), "obs_id")
    clean = rows[~rows["flagged"]]
    frame.attrs.update(
        ctx.once(recorder_pair).attrs,
        first=int(rows["year"].min()),
        last=int(rows["year"].max()),
        ranges=clean.groupby("recorder", sort=False)["value"].agg(["min", "max"]).reset_index().to_dict("records"),
        flagged=rows.loc[rows["flagged"], ["year", "value"]].to_dict("records"),
        latest=clean.sort_values(["year", "value"]).iloc[-1].to_dict(),
        peak=clean.sort_values(["value", "year"], ascending=[False, True]).iloc[0].to_dict(),
        scopes=list(dict.fromkeys(s.short for c in rows["programme_scope"] if (s := ctx.profile.scope(c)))),
    )
    return frame


def recorder_conflicts(ctx: Context) -> pd.DataFrame:
    """One recorder's total for one year, given differently by two publications."""
    rows = ctx.once(annual_by_recorder)
    return rows[rows.groupby(["year", "recorder"])["value"].transform("nunique") > 1].reset_index(drop=True)


def method_notes(ctx: Context) -> pd.DataFrame:
    """What a source says about why recorders differ, when every recorder it names is shown."""
    shown = set(ctx.once(annual_by_recorder)["recorder"])
    notes = _where(ctx.table("method_notes"), iso3=ctx.country, topic="casualty_recorders")
    return notes[notes["subjects"].map(lambda s: set(split_ids(s)) <= shown)].reset_index(drop=True)


def running_count(ctx: Context) -> pd.DataFrame:
    rows = in_years(ctx.once(focus_cumulative), ctx.params.first_year, ctx.params.last_year)
    totals = rows[rows["outcome"] == "total"]
    if totals.empty:
        return pd.DataFrame()
    rows = rows.assign(_order=rows["outcome"].map(OUTCOMES.index)).sort_values(["_order", "period_end", "obs_id"])
    frame = _chart(rows, "period_end", "outcome", _kind(rows["qualifier"]), "qualifier", "recorder", "obs_id")
    frame.attrs.update(
        first=totals.iloc[0].to_dict(),
        last=totals.iloc[-1].to_dict(),
        scopes=list(dict.fromkeys(totals["scope"].dropna())),
    )
    return frame


def recent_counts(ctx: Context) -> pd.DataFrame:
    """Annual and part-year counts (all people, any scope) from the focus scope's start year on: one row
    per source, period and scope, never added up."""
    if (starts := ctx.profile.focus.starts) is None:
        return pd.DataFrame()
    rows = usable(_cas(ctx, iso3=ctx.country, unit="persons", period_type=["annual", "partial_year"]))
    rows = rows[(rows["population_group"] == "all") & (rows["period_start"].dt.year >= starts.year)]
    keys = ["period_start", "period_end", "source_id", "period_type", "programme_scope"]
    out = []
    for values, group in rows.groupby(keys):
        by = group.drop_duplicates("outcome").set_index("outcome")
        out.append(
            dict(zip(keys, values))
            | {f"{o}_value": by["value"].get(o) for o in ("total", "killed", "injured")}
            | {"qualifier": by["qualifier"].get("total"), "recorder": group["recorder"].iloc[0]}
            | {"as_reported": "; ".join(dict.fromkeys(group["value_as_reported"]))}
        )
    if not out:
        return pd.DataFrame()
    frame = pd.DataFrame(out).sort_values(["period_end", "period_start", "source_id"]).reset_index(drop=True)
    return frame.assign(scope=_scope_short(ctx, frame["programme_scope"]))


def rates_table(ctx: Context) -> pd.DataFrame:
    frame = ctx.once(annual_rates)
    ids = unique_ids(_denominators(ctx)["source_id"])
    frame.attrs["denominator"] = "; ".join(ctx.sources.at[i, "title"] for i in ids if i in ctx.sources.index)
    return frame


def denominator_check(ctx: Context) -> pd.DataFrame:
    """The denominator beside another publisher's population for the same year, the pair closest in date."""
    pop = ctx.table("population")
    pairs = pop[(pop["iso3"] == ctx.country) & (pop["publisher"] != DENOMINATOR[0])]
    pairs = pairs.merge(_denominators(ctx), on="year", suffixes=("", "_used"))
    if pairs.empty:
        return pd.DataFrame()
    pairs = pairs.assign(gap=(pairs["reference_date"] - pairs["reference_date_used"]).abs())
    pair = pairs.sort_values(["gap", "year"], ascending=[True, False]).iloc[0]
    columns = ["publisher", "estimate_type", "reference_date", "value", "obs_id", "source_id"]
    frame = pd.DataFrame([[pair[f"{c}_used"] for c in columns], [pair[c] for c in columns]], columns=columns)
    frame = frame.assign(year=int(pair["year"]), used=[True, False])
    gap = pair["value"] - pair["value_used"]
    frame.attrs.update(other=pair["publisher"], difference=abs(gap), more=bool(gap > 0))
    frame.attrs.update(
        share=abs(gap) / pair["value_used"] * 100, rate_change=abs(pair["value_used"] / pair["value"] - 1) * 100
    )
    return frame


def proxy_basis(ctx: Context) -> pd.DataFrame:
    """The 16.1.2 definition and the cause category closest to mines and ERW, from the metadata."""
    rows = ctx.once(sdg_1612)
    definition = rows[rows["indicator_text"] == "definition"]
    groups = rows[rows["indicator_text"].fillna("").str.startswith("minimum disaggregation")]
    if definition.empty:
        return pd.DataFrame()
    cause = groups["series_description"].fillna("").str.extract(r"'([^']*unexploded ordnance[^']*)'")[0].dropna()
    first = definition.iloc[0]
    ids = ";".join(unique_ids([first["source_id"], *groups["source_id"]]))
    row = {"definition": first["excerpt"], "custodian": first["custodian"], "source_ids": ids}
    return pd.DataFrame([row | {"cause": cause.iloc[0] if len(cause) else None}])


def global_chart(ctx: Context) -> pd.DataFrame:
    rows = in_years(ctx.once(global_totals), ctx.params.first_year, ctx.params.last_year, "year")
    series = rows[rows["in_series"]].sort_values("year")
    if series.empty:
        return pd.DataFrame()
    kind = _kind(rows["qualifier"]).where(rows["in_series"], "flagged")
    frame = _chart(
        rows, "year", "programme_scope", kind, "recorder", "qualifier", "in_series", "quality_flag", "obs_id"
    )
    peak = series.sort_values(["value", "year"], ascending=[False, True]).iloc[0]
    first, last = series.iloc[0], series.iloc[-1]
    later = rows[rows["flagged"] & (rows["year"] > last["year"])].sort_values("year")
    frame.attrs.update(
        first=first.to_dict(), peak=peak.to_dict(), last=last.to_dict(), others=int((~rows["in_series"]).sum())
    )
    frame.attrs.update(change=(last["value"] - peak["value"]) / peak["value"] * 100)
    frame.attrs["later_flagged"] = later.iloc[-1].to_dict() if len(later) else None
    return frame


def shares_chart(ctx: Context) -> pd.DataFrame:
    rows = ctx.once(global_shares)
    rows = in_years(rows[rows["value"].notna()], ctx.params.first_year, ctx.params.last_year, "year")
    if rows.empty:
        return pd.DataFrame()
    frame = _chart(rows, "year", "population_group", _kind(rows["qualifier"]), "percent_base", "obs_id")
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
                text = re.sub(r"\s*\(S\d{3}\)", "", clause)
                out.append(
                    {"kind": "revision", "year": r.year, "clause": text, "publisher": r.publisher, "source_id": ids}
                )
    return pd.DataFrame(out)


def world_causes(ctx: Context) -> pd.DataFrame:
    """World civilian conflict deaths by cause (16.1.2) in the extract's latest year, each cause's share
    derived and the extract's own beside it; in attrs the world rate check and what the extract holds
    for the country."""
    values = ctx.table("sdg_values")
    numbers = _where(values, series_code=COUNT_SERIES, sex="bothsex", age="allage").dropna(subset=["cause"])
    numbers = numbers[numbers["year"] == numbers["year"].max()]
    total = numbers.loc[numbers["cause"] == "total", "value"]
    if total.empty:
        return pd.DataFrame()
    year, area = numbers["year"].iloc[0], numbers["iso3"].iloc[0]
    shares = _where(values, series_code=SHARE_SERIES, year=year).dropna(subset=["cause"]).set_index("cause")["value"]
    frame = numbers.assign(
        share_derived=(numbers["value"] / total.iloc[0] * 100).round(1), share_reported=numbers["cause"].map(shares)
    ).reset_index(drop=True)
    codes = {c.strip() for cell in ctx.once(sdg_1612)["series_code"].dropna() for c in cell.split("/")}
    mine = values[values["iso3"] == ctx.country]
    other = mine[~mine["series_code"].isin(codes)]
    frame.attrs.update(own=int(mine["series_code"].isin(codes).sum()), other_codes=sorted(set(other["series_code"])))
    frame.attrs.update(other_from=other["year"].min(), other_to=other["year"].max())
    rate = _where(values, series_code=RATE_SERIES, year=year, iso3=area)
    if len(rate):
        pop = _where(ctx.table("population"), iso3=area, year=year)
        frame.attrs.update(rate=rate.iloc[0].to_dict(), implied=total.iloc[0] / rate["value"].iloc[0] * 100_000)
        frame.attrs["population"] = pop.iloc[0].to_dict() if len(pop) else None
        frame.attrs["recomputed"] = rate_per_100k(total.head(1), pop["value"].head(1)).iloc[0] if len(pop) else None
    return frame


# -- key findings ----------------------------------------------------------------------------------


def _cumulative_finding(ctx: Context) -> dict | None:
    rows = ctx.once(focus_cumulative)
    totals = rows[rows["outcome"] == "total"].dropna(subset=["period_end"])
    if totals.empty:
        return None
    last = totals[totals["period_end"] == totals["period_end"].max()]
    same = last[last["value"] == last.sort_values("obs_id")["value"].iloc[0]]
    row = (
        same.assign(_p=same["date_precision"].map(PRECISION_RANK))
        .sort_values(["_p", "evidence_tier", "obs_id"])
        .iloc[0]
    )
    parts = _where(rows, source_id=row["source_id"], period_end=row["period_end"]).drop_duplicates("outcome")
    parts = parts.set_index("outcome")
    scope = row["scope"] if isinstance(row["scope"], str) else ctx.profile.focus.label
    found = row[["value", "qualifier", "period_end", "date_precision", "period_start"]].to_dict() | {"scope": scope}
    found |= {
        f"{o}{p}": parts[c].get(o) for o in ("killed", "injured") for p, c in (("", "value"), ("_q", "qualifier"))
    }
    return found | {"message": "cumulative", "source_ids": ";".join(unique_ids([row["source_id"], *same["source_id"]]))}


def _split_finding(ctx: Context) -> dict | None:
    split = ctx.once(civil_military)
    if split.empty or not split["complete"].any():
        return None
    row = split[split["complete"]].iloc[-1]
    contrast = row["military_more_injured"] and row["civilians_more_killed"]
    return row.to_dict() | {"message": "split_contrast" if contrast else "split"}


def _rate_finding(ctx: Context) -> dict | None:
    rates = ctx.once(annual_rates)
    if rates.empty:
        return None
    chosen, _ = pick_preferred(rates.assign(value=rates["casualties"]), ["year"])
    return chosen.sort_values("year").iloc[-1].to_dict() | {"message": "rate"}


def _global_finding(ctx: Context) -> dict | None:
    trend = ctx.once(global_chart).attrs
    if not trend:
        return None
    ids = [trend[k]["source_id"] for k in ("first", "peak", "last")] + [(trend["later_flagged"] or {}).get("source_id")]
    return trend | {"message": "global", "source_ids": ";".join(unique_ids(ids))}


def findings(ctx: Context) -> pd.DataFrame:
    rows = [f(ctx) for f in (_cumulative_finding, _split_finding, _rate_finding, _global_finding)]
    return pd.DataFrame([r for r in rows if r is not None])


# -- sections ------------------------------------------------------------------------------------

# Table columns: 'frame column=header | …' (a bare column is its own header).
HEADERS = {
    "recorders_table": "year | recorder | casualties | other_recorder=compared with"
    " | other_casualties=casualties (other recorder) | difference=difference (derived) | source_ids",
    "split_table": "date=as of | civilian_killed=civilians killed | military_killed=military killed"
    " | civilian_injured=civilians injured | military_injured=military injured | killed=killed (derived)"
    " | injured=injured (derived) | civilian_share_of_deaths=civilian share of deaths, % (derived)"
    " | military_share_of_injuries=military share of injuries, % (derived) | stated_by=stated by | source_id",
    "recent_table": "period_start=from | period_end=to | period_type=period | scope | total_value=killed or injured"
    " | qualifier | killed_value=killed | injured_value=injured | as_reported=as reported | recorder | source_id",
    "rates_table": "year | recorder | scope=scope of the count | casualties=casualties (killed and injured)"
    " | qualifier | deaths=of whom killed | population=population (World Bank, mid-year)"
    " | casualties_rate=casualties per 100,000 (derived) | deaths_rate=deaths per 100,000 (derived) | source_ids",
    "denominator_table": "publisher | estimate_type=estimate | reference_date=date | value=population"
    " | used=used as denominator | source_id",
    "sdg_metadata_table": "what | series_code=series code | series_description=description | custodian"
    " | release_or_version=release or version | is_verified=verified | source_id",
    "global_table": "year | value=casualties | qualifier | in_series=in the series | quality_flag=flag"
    " | value_as_reported=as reported | source_id",
    "shares_table": "year | population_group=share of | value=percent | value_as_reported=as reported"
    " | percent_base=of | source_id",
    "world_causes_table": "cause=cause of death | value=civilian conflict deaths | share_derived=share, % (derived)"
    " | share_reported=share, % (as in the extract) | source_id",
}


def _table(name: str, data, group: str, requires: tuple[Needs, ...] = (), **codes: str) -> Section:
    """A table section 'casualties.<name>': its columns from HEADERS; ``codes``: column=vocabulary column."""
    return Section(f"casualties.{name}", data, Table(_headers(HEADERS[name]), codes=codes), requires, group)


BY_RECORDER, SINCE_START = (RECORDERS,), (FOCUS_STARTS,)

FINDINGS = Section("casualties.findings", findings, Findings())

RECORDERS_CHART = Section(
    "casualties.recorders_chart",
    recorders_chart,
    TimeSeries("05_casualties_by_recorder", "casualties per year (killed and injured)", True, series_codes="recorder"),
    BY_RECORDER,
    "recorders",
)
RECORDERS_TABLE = _table(
    "recorders_table", recorder_pair, "recorders", BY_RECORDER, recorder="recorder", other_recorder="recorder"
)
RECORDER_CONFLICTS = Section(
    "casualties.recorder_conflicts", recorder_conflicts, Note("conflict"), BY_RECORDER, "recorders"
)
METHOD_NOTE = Section("casualties.method_note", method_notes, Note("caveat"), BY_RECORDER, "recorders")

RUNNING_COUNT = Section(
    "casualties.running_count",
    running_count,
    TimeSeries("05_casualties_running_count", "people (cumulative)", series_codes="outcome"),
    SINCE_START,
    "focus",
)
SPLIT_TABLE = _table("split_table", civil_military, "focus", SINCE_START)
RECENT_TABLE = _table(
    "recent_table",
    recent_counts,
    "focus",
    SINCE_START,
    period_type="period_type",
    qualifier="qualifier",
    recorder="recorder",
)

RATES_TABLE = _table("rates_table", rates_table, "rate", recorder="recorder", qualifier="qualifier")
DENOMINATOR_TABLE = _table("denominator_table", denominator_check, "rate", estimate_type="estimate_type")
PROXY_NOTE = Section("casualties.proxy_note", proxy_basis, Note("caveat"), group="rate")
SDG_METADATA_TABLE = _table("sdg_metadata_table", sdg_1612, "rate")

GLOBAL_CHART = Section(
    "casualties.global_chart",
    global_chart,
    TimeSeries("05_global_casualties", "casualties per year (world)", True, series_codes="programme_scope"),
    group="global",
)
GLOBAL_TABLE = _table("global_table", global_totals, "global", qualifier="qualifier", quality_flag="quality_flag")
REVISION_NOTE = Section("casualties.revision_note", revisions, Note("conflict"), group="global")
SHARES_CHART = Section(
    "casualties.shares_chart",
    shares_chart,
    TimeSeries("05_global_casualty_shares", "percent", True, series_codes="casualty_share"),
    group="global",
)
SHARES_TABLE = _table("shares_table", global_shares, "global", population_group="casualty_share")
WORLD_CAUSES_TABLE = _table("world_causes_table", world_causes, "sdg_database", cause="cause")
