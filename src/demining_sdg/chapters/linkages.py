"""Chapter 6, SDG linkages: the goals mine action serves in the sources (the entry point: the goal linked at
indicator level), kept apart from national goals ('SDG 18's), which are not part of the global framework."""

from __future__ import annotations

import pandas as pd

from demining_sdg.chapters.sections import Bars, Context, Findings, chart_frame, maker, table
from demining_sdg.derive.selections import WORLD, joined_ids, reader_note, unique_ids

TARGET = r"^(\d{1,2}\.[0-9a-z]{1,2})\b"
INDICATOR = r"\d{1,2}\.[0-9a-z]{1,2}\.\d{1,2}"
GOAL_COUNT = r"\b\d+\s+(?:other\s+)?(?:SDGs|Sustainable Development Goals)\b"  # '12 SDGs directly'


def _with_frameworks(ctx: Context, frame: pd.DataFrame, on: str) -> pd.DataFrame:
    """Rows with their framework's country, label and status; the country's own framework first."""
    frameworks = ctx.table("sdg_frameworks").rename(columns={"label": "framework_label"})
    frameworks["is_global"] = frameworks["iso3"] == WORLD
    frameworks["is_own"] = frameworks["framework"] == ctx.profile.sdg_framework
    frame = frame.merge(frameworks, on=on, how="inner")
    return frame.sort_values(["is_global", "is_own"], ascending=False, kind="mergesort", ignore_index=True)


def links(ctx: Context) -> pd.DataFrame:
    frame = _with_frameworks(ctx, ctx.table("sdg_linkages"), "framework")
    return frame.assign(caveat=frame["notes"].map(reader_note), goal_name=frame["sdg_goal"])


def indicators(ctx: Context) -> pd.DataFrame:
    meta = ctx.table("sdg_indicators").rename(columns={"framework": "indicator_framework"})
    frame = _with_frameworks(ctx, meta, "indicator_framework")
    frame["target_code"] = frame["target"].fillna("").str.extract(TARGET)[0]
    frame["has_code"] = frame["indicator_code"].fillna("").str.fullmatch(INDICATOR)
    return frame.assign(is_verified=frame["is_verified"].astype(object))


def global_links(ctx: Context) -> pd.DataFrame:
    """Links to the global framework, the entry-point goal (linked at indicator level) first."""
    frame = links(ctx).query("is_global")
    frame = frame.assign(entry=frame["sdg_goal"].isin(frame.loc[frame["sdg_indicator"].notna(), "sdg_goal"]))
    return frame.sort_values(["entry", "sdg_goal", "linkage_id"], ascending=[False, True, True], ignore_index=True)


def goal_chart(ctx: Context) -> pd.DataFrame:
    """Links per goal of the global framework (derived counts), most first; the entry point apart."""
    glob, rows = global_links(ctx), []
    for goal, group in glob.groupby("sdg_goal", sort=False):
        row = {"x": f"SDG {goal}", "y": len(group), "series": "entry_point" if group["entry"].any() else "other"}
        rows.append(row | {"kind": "stated", "source_id": joined_ids(group["source_id"]), "sdg_goal": goal})
    frame = chart_frame(rows)
    if frame.empty:
        return frame
    frame = frame.sort_values(["y", "series", "sdg_goal"], ascending=[False, True, True], ignore_index=True)
    dates = ctx.sources.reindex(unique_ids(glob["source_id"]))["date_published"].fillna("undated")
    years = [int(y) for y in dates[~dates.str.startswith("undated")].str.extract(r"\b((?:19|20)\d{2})\b")[0].dropna()]
    top = int(frame["y"].max())
    frame.attrs = dict(total=len(glob), top_n=top, top_goals=_goals(frame[frame["y"] == top]))
    frame.attrs |= dict(first_year=min(years, default=None), last_year=max(years, default=None))
    frame.attrs["undated"] = len(years) < len(dates)
    return frame


def framework_counts(ctx: Context) -> pd.DataFrame:
    """Per framework: linkages, goals, and the targets and indicators named (derived counts); national
    targets and indicators are counted from the SDG metadata (codes such as 18.1 and 18.1.1)."""
    meta, rows = indicators(ctx), []
    for _, group in links(ctx).groupby("framework", sort=False):
        first = group.iloc[0]
        own = meta[(meta["framework"] == first["framework"]) & (meta["target_code"].notna() | meta["has_code"])]
        glob = first["is_global"]
        rows.append(
            first[["iso3", "framework", "framework_label", "status", "is_global", "is_own"]].to_dict()
            | {"linkages": len(group), "goals": group["sdg_goal"].nunique()}
            | {"targets": (group["sdg_target"] if glob else own["target_code"]).nunique()}
            | {"indicators": (group["sdg_indicator"] if glob else own.loc[own["has_code"], "indicator_code"]).nunique()}
            | {"source_ids": joined_ids(list(group["source_id"]) + ([] if glob else list(own["source_id"])))}
        )
    frame = pd.DataFrame(rows).sort_values(["is_global", "is_own", "linkages"], ascending=False, kind="mergesort")
    frame.attrs = {"global_goals": int((ctx.table("vocabulary")["column"] == "sdg_goal").sum())}
    return frame.reset_index(drop=True)


def _goals(frame: pd.DataFrame) -> list[int]:
    return sorted(int(g) for g in frame["sdg_goal"].unique())


def findings(ctx: Context) -> pd.DataFrame:
    frame, glob = links(ctx), global_links(ctx)
    national = frame[~frame["is_global"]]
    row = dict(message="overview", links=len(frame), global_links=len(glob), goals=_goals(glob))
    row |= dict(national_links=len(national), frameworks=national["framework"].nunique())
    rows = [row | dict(national_goals=_goals(national), source_ids=joined_ids(frame["source_id"]))]
    if len(glob):
        per_goal, linked = glob.groupby("sdg_goal").size(), glob[glob["sdg_indicator"].notna()]
        tops = [int(g) for g in per_goal[per_goal == per_goal.max()].index]
        ids = joined_ids(list(glob.loc[glob["sdg_goal"].isin(tops), "source_id"]) + list(linked["source_id"]))
        row = dict(message="entry_point", top_goals=tops, top_n=int(per_goal.max()), global_links=len(glob))
        row |= dict(indicators=list(unique_ids(linked["sdg_indicator"])))
        rows.append(row | dict(rationale=next(iter(linked["rationale"]), None), source_ids=ids))
    records = framework_counts(ctx).to_dict("records")
    own = next((r for r in records if r["is_own"]), None)
    if own:  # compared with the national framework with most indicators, if that is another one
        other = max((r for r in records if not r["is_global"]), key=lambda r: (r["indicators"], r["targets"]))
        other = None if other["is_own"] else other
        ids = joined_ids([own["source_ids"], other["source_ids"] if other else ""])
        rows.append(dict(message="own_framework", own=own, other=other, source_ids=ids))
    return pd.DataFrame(rows, dtype=object)


def entry_indicators(ctx: Context) -> pd.DataFrame:
    """The global metadata rows of the targets that the indicator-level links belong to."""
    glob, meta = global_links(ctx), indicators(ctx)
    targets = sorted(unique_ids(glob.loc[glob["sdg_indicator"].notna(), "sdg_target"]))
    frame = meta[meta["is_global"] & meta["target_code"].isin(targets)].reset_index(drop=True)
    frame.attrs = {"targets": targets}
    return frame


def aggregate_studies(ctx: Context) -> pd.DataFrame:
    """Sources the linkage table cites only in its notes and whose excerpt counts goals."""
    table = ctx.table("sdg_linkages")
    cited = unique_ids(i for ids in table["notes"].dropna().str.findall(r"\bS\d{3}\b") for i in ids)
    sources = ctx.sources.reindex([i for i in cited if i not in set(table["source_id"])]).dropna(subset=["excerpt"])
    return sources[sources["excerpt"].str.contains(GOAL_COUNT)].reset_index(drop=True)


_s = maker("linkages")
LINK = " | mine_action_output=mine action output | sdg_target=target | sdg_indicator=indicator | rationale"
LINK += " | excerpt=verbatim excerpt | caveat | source_id"
ENTRY = "obs_id=id | target | indicator_code=indicator | indicator_text=indicator text | series_code=series code"
ENTRY += " | series_description=series description | custodian | is_verified=verified | source_id"
META = "obs_id=id | iso3=country@country | framework_label=national framework | target=goal or target"
META += " | indicator_code=indicator | indicator_text=indicator text | unit | release_or_version=version | source_id"
COUNTS = "iso3=country@country | framework_label=framework | status | linkages=linkages (derived count) | goals"
COUNTS += " | targets=targets named | indicators=indicators named | source_ids"
GOALS = Bars("06_linkages_per_goal", "Number of sourced linkages", horizontal=True, series_codes="sdg_link")


def national(frame: pd.DataFrame) -> pd.DataFrame:
    return frame[~frame["is_global"]].reset_index(drop=True)


FINDINGS = _s("findings", findings, Findings())
GOAL_CHART = _s("goal_chart", goal_chart, GOALS, "global")
GLOBAL = "linkage_id=id | sdg_goal=goal | goal_name=goal name@sdg_goal" + LINK
GLOBAL_TABLE = _s("global_table", global_links, table(GLOBAL), "global")
ENTRY_INDICATORS = _s("entry_indicators", entry_indicators, table(ENTRY), "global", annex=True)
STUDY = "publisher | title | date_published=date | excerpt=verbatim excerpt | source_id"
AGGREGATE_STUDIES = _s("aggregate_studies", aggregate_studies, table(STUDY), "global")
FRAMEWORKS = _s("frameworks", framework_counts, table(COUNTS), "national")
NATIONAL = "linkage_id=id | iso3=country@country | framework_label=national framework" + LINK
NATIONAL_LINKS = _s("national_links", lambda ctx: national(links(ctx)), table(NATIONAL), "national", annex=True)
NATIONAL_INDICATORS = _s(
    "national_indicators", lambda ctx: national(indicators(ctx)), table(META), "national", annex=True
)
