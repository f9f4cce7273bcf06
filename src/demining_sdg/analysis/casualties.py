"""Chapter 5: mine/ERW casualties, and what they can (and cannot) say about SDG indicator 16.1.2.

Sections: (a) annual totals before 2020 from each recorder side by side; (b) the official
cumulative counts since 10 Nov 2020 with their civilian/military splits, and annual counts
since 2020; (c) a casualty rate per 100,000 population, a PROXY contribution to 16.1.2, never
the official indicator; (d) the global Landmine Monitor series; (e) what the UN SDG database
extract holds for 16.1.2. Every function takes the chapter and works for any country.
"""

from __future__ import annotations

import re

import matplotlib.dates as mdates
import numpy as np
import pandas as pd
from IPython.display import HTML

from demining_sdg.analysis.common import (
    SCOPE_WORDS,
    date_label,
    in_years,
    latest,
    pct_text,
    plain_words,
    qualified,
    source_line,
    specific_to,
    unique_ids,
    usable,
    with_tiers,
)
from demining_sdg.derive.rules import pick_preferred, rate_per_100k
from demining_sdg.present import figures, show
from demining_sdg.present.chapter import Chapter
from demining_sdg.present.show import Finding

POST_2020 = "post_2020_regained_territories"
RECENT_FROM_YEAR = 2020  # the year of the 2020 conflict: section (a) ends before it, section (b) starts in it
DENOMINATOR_PUBLISHER = "World Bank"
DENOMINATOR_TYPE = "mid_year"
# What the monitoring report says about why two national recorders differ (text, no numbers).
METHOD_NOTES = {
    frozenset({"ANAMA", "AzCBL"}): (
        (
            "Landmine Monitor says the variation between the recorders 'is due to differing collection "
            "methodologies': ANAMA records verified incidents in hazard areas, AzCBL draws on regional "
            "coordinators, hospitals and the media"
        ),
        ("S035", "S036"),
    ),
}
RATE_DIGITS = 3


# --------------------------------------------------------------------------------------------
# helpers


def _cas(ch: Chapter, iso3: str | None = None) -> pd.DataFrame:
    frame = with_tiers(ch.data.table("casualties"), ch.data.sources)
    return frame[frame["iso3"] == (iso3 or ch.country)]


def _persons(frame: pd.DataFrame, outcome: str = "total", group: str = "all") -> pd.DataFrame:
    return frame[(frame["unit"] == "persons") & (frame["outcome"] == outcome) & (frame["population_group"] == group)]


def _publisher(ch: Chapter, source_id: str) -> str:
    table = ch.data.sources
    return table.at[source_id, "publisher"] if source_id in table.index else "unknown source"


def rate_text(rate: float) -> str:
    """A derived rate per 100,000 with three decimals (the inputs keep their full precision)."""
    return f"{rate:.{RATE_DIGITS}f}"


# --------------------------------------------------------------------------------------------
# (a) annual totals before 2020, by recorder


def annual_by_recorder(ch: Chapter) -> pd.DataFrame:
    """Annual totals (killed + injured, all people) before 2020, one row per figure, flagged rows
    included (column ``flagged``) so conflicts can be shown."""
    cas = _persons(_cas(ch))
    rows = cas[
        (cas["period_type"] == "annual")
        & (cas["programme_scope"] != POST_2020)
        & (cas["period_end"].dt.year < RECENT_FROM_YEAR)
    ]
    out = pd.DataFrame(
        {
            "year": rows["period_end"].dt.year.astype(int),
            "recorder": rows["recorder"],
            "casualties_persons": rows["value"],
            "qualifier": rows["qualifier"],
            "value_as_reported": rows["value_as_reported"],
            "flagged": rows["quality_flag"].notna(),
            "quality_flag": rows["quality_flag"],
            "obs_id": rows["obs_id"],
            "source_id": rows["source_id"],
        }
    )
    return out.sort_values(["year", "recorder", "obs_id"]).reset_index(drop=True)


def _shared_years(frame: pd.DataFrame) -> pd.DataFrame:
    """Years where the two main recorders each give exactly one unflagged total: wide frame."""
    clean = frame[~frame["flagged"]]
    wide = clean.pivot_table(index="year", columns="recorder", values="casualties_persons", aggfunc="first")
    counts = clean.groupby("recorder")["year"].nunique().sort_values(ascending=False)
    recorders = list(counts.index[:2])
    if len(recorders) < 2:
        return pd.DataFrame()
    return wide[recorders].dropna()


def recorder_comparison(ch: Chapter) -> dict | None:
    """Which recorder counts more, in how many of the years both report (computed)."""
    shared = _shared_years(annual_by_recorder(ch))
    if shared.empty:
        return None
    first, second = shared.columns
    first_higher = int((shared[first] > shared[second]).sum())
    second_higher = int((shared[second] > shared[first]).sum())
    higher, lower, n_higher = (
        (first, second, first_higher) if first_higher >= second_higher else (second, first, second_higher)
    )
    return {
        "higher": higher,
        "lower": lower,
        "n_higher": n_higher,
        "n_shared": len(shared),
        "years": list(shared.index),
        "shared": shared,
    }


def recorders_table(ch: Chapter) -> HTML:
    frame = annual_by_recorder(ch)
    if frame.empty:
        return show.missing(
            f"Annual mine/ERW casualty totals before {RECENT_FROM_YEAR} are not available for {ch.country_name}."
        )
    frame = frame.assign(
        value=[
            qualified(v, q) if pd.notna(v) else r
            for v, q, r in zip(frame["casualties_persons"], frame["qualifier"], frame["value_as_reported"])
        ],
        recorder_name=frame["recorder"].map(plain_words),
    )
    recorders = list(frame.groupby("recorder")["year"].nunique().sort_values(ascending=False).index)
    rows = []
    for year, group in frame.groupby("year"):
        row: dict[str, object] = {"year": str(year)}
        for recorder in recorders:
            cells = group[group["recorder"] == recorder]
            texts = [
                f"{v} ({s})" + (" – flagged" if f else "")
                for v, s, f in zip(cells["value"], cells["source_id"], cells["flagged"])
            ]
            row[plain_words(recorder)] = " / ".join(texts) if texts else None
        clean = group[~group["flagged"]].drop_duplicates("recorder")
        if len(recorders) >= 2 and set(recorders[:2]) <= set(clean["recorder"]):
            values = clean.set_index("recorder")["casualties_persons"]
            row[f"{plain_words(recorders[0])} minus {plain_words(recorders[1])} (derived)"] = (
                values[recorders[0]] - values[recorders[1]]
            )
        else:
            row[
                f"{plain_words(recorders[0])} minus {plain_words(recorders[1])} (derived)"
                if len(recorders) >= 2
                else "difference"
            ] = None
        row["source_ids"] = ";".join(unique_ids(group["source_id"]))
        rows.append(row)
    table = pd.DataFrame(rows).dropna(axis=1, how="all")
    return show.table(
        table,
        caption=f"Annual mine/ERW casualties in {ch.country_name} by recorder, before {RECENT_FROM_YEAR}",
        source=source_line(ch.data.sources, frame["source_id"]),
        note_text="Each cell gives the total (killed and injured) with its source id; 'flagged' marks figures that conflict with another figure for the same year and recorder.",
    )


def recorder_notes(ch: Chapter) -> list[HTML]:
    """Conflict notes: one recorder with several figures for one year, and the method caveat."""
    frame = annual_by_recorder(ch)
    notes = []
    for (year, recorder), group in frame.groupby(["year", "recorder"]):
        if group["casualties_persons"].nunique() > 1:
            parts = [
                f"{qualified(v, q)} as published by {_publisher(ch, s)} ({s})"
                for v, q, s in zip(group["casualties_persons"], group["qualifier"], group["source_id"])
            ]
            notes.append(
                show.note(
                    f"For {year}, {plain_words(recorder)}'s total is given as "
                    + " but ".join(parts)
                    + ". Both are shown and marked; neither is used in the line of the chart.",
                    kind="conflict",
                )
            )
    recorders = set(frame["recorder"])
    for pair, (text, ids) in METHOD_NOTES.items():
        if pair <= recorders:
            notes.append(show.note(f"{text} ({', '.join(ids)}).", kind="caveat"))
    return notes


def recorders_chart(ch: Chapter) -> HTML:
    frame = annual_by_recorder(ch)
    frame = in_years(frame, ch.params.first_year, ch.params.last_year, "year")
    comparison = recorder_comparison(ch)
    if frame.empty or comparison is None:
        return show.missing(
            f"Annual casualty totals from two different recorders for the same years are not available for {ch.country_name}."
        )
    recorders = [comparison["higher"], comparison["lower"]] + sorted(
        set(frame["recorder"]) - {comparison["higher"], comparison["lower"]}
    )
    recorders = recorders[: len(figures.SERIES_COLOURS)]
    frame = frame[frame["recorder"].isin(recorders)]
    fig, ax = figures.new_figure()
    for colour, recorder in zip(figures.SERIES_COLOURS, recorders):
        rows = frame[frame["recorder"] == recorder]
        clean = rows[~rows["flagged"]].drop_duplicates("year").set_index("year")["casualties_persons"]
        full = clean.reindex(range(int(rows["year"].min()), int(rows["year"].max()) + 1))
        ax.plot(full.index, full.values, color=colour, marker="o")
        if not clean.empty:
            figures.label_line_end(ax, clean.index[-1], clean.iloc[-1], plain_words(recorder), colour)
        flagged = rows[rows["flagged"]]
        ax.scatter(
            flagged["year"],
            flagged["casualties_persons"],
            s=70,
            facecolors="white",
            edgecolors=colour,
            linewidths=2,
            zorder=3,
        )
        for year, value, sid in zip(flagged["year"], flagged["casualties_persons"], flagged["source_id"]):
            ax.annotate(
                f"{show.format_value(value)} ({sid}, flagged)",
                xy=(year, value),
                xytext=(-9, 0),
                textcoords="offset points",
                va="center",
                ha="right",
                fontsize=10,
                color=colour,
            )
    ax.set_ylim(bottom=0)
    if frame["flagged"].any():
        ax.text(
            0.99,
            0.97,
            "Hollow markers: conflicting figures, left out of the line",
            transform=ax.transAxes,
            ha="right",
            va="top",
            fontsize=10,
            color=figures.PALETTE["text"],
        )
    ax.set_ylabel("casualties per year (killed and injured)")
    years = frame["year"]
    ax.set_xticks(range(int(years.min()), int(years.max()) + 1))
    ax.set_xlim(years.min() - 0.5, years.max() + 1.8)
    ax.tick_params(axis="x", labelrotation=0)
    higher, lower = plain_words(comparison["higher"]), plain_words(comparison["lower"])
    n, m = comparison["n_higher"], comparison["n_shared"]
    title = (
        f"{higher} counted more mine casualties than {lower} in all {m} years both report"
        if n == m
        else f"{higher} counted more mine casualties than {lower} in {n} of {m} years both report"
    )
    flagged = frame[frame["flagged"]]
    flagged_text = ""
    if not flagged.empty:
        flagged_text = (
            " Conflicting figures are drawn as hollow markers: "
            + "; ".join(
                f"{y}: {show.format_value(v)} ({s})"
                for y, v, s in zip(flagged["year"], flagged["casualties_persons"], flagged["source_id"])
            )
            + "."
        )
    ranges = "; ".join(
        f"{plain_words(r)} from {show.format_value(frame[(frame.recorder == r) & ~frame.flagged]['casualties_persons'].min())} to "
        f"{show.format_value(frame[(frame.recorder == r) & ~frame.flagged]['casualties_persons'].max())} a year"
        for r in recorders
    )
    alt = (
        f"Line chart of annual mine/ERW casualties in {ch.country_name} by recorder, {years.min()}–{years.max()}: {ranges}. "
        f"{higher} is higher in {n} of the {m} years both report.{flagged_text}"
    )
    data = frame[
        [
            "year",
            "recorder",
            "casualties_persons",
            "qualifier",
            "flagged",
            "quality_flag",
            "obs_id",
            "source_id",
        ]
    ].assign(year=lambda f: f["year"].astype(str))
    return ch.chart(
        fig,
        "05_casualties_by_recorder",
        title=title,
        subtitle=f"Mine/ERW casualties per year (killed and injured) by recorder, {ch.country_name}, {years.min()}–{years.max()}",
        source=source_line(ch.data.sources, data["source_id"]),
        alt=alt,
        data=data.reset_index(drop=True),
    )


# --------------------------------------------------------------------------------------------
# (b) cumulative counts since 10 Nov 2020; civilian / military; annual counts since 2020


def post2020_points(ch: Chapter) -> pd.DataFrame:
    """Cumulative counts since 10 Nov 2020: total, killed and injured (stated, or derived as
    civilian + military from the same source and date). Tidy, one row per point."""
    cas = _cas(ch)
    cum = usable(
        cas[(cas["programme_scope"] == POST_2020) & (cas["period_type"] == "cumulative") & (cas["unit"] == "persons")]
    )
    rows = []
    for outcome in ("total", "killed", "injured"):
        stated = cum[(cum["outcome"] == outcome) & (cum["population_group"] == "all")]
        for _, r in stated.iterrows():
            rows.append(
                {
                    "date": r["period_end"],
                    "measure": outcome,
                    "persons": r["value"],
                    "qualifier": r["qualifier"],
                    "basis": "stated",
                    "recorder": r["recorder"],
                    "obs_id": r["obs_id"],
                    "source_id": r["source_id"],
                }
            )
        if outcome == "total":
            continue
        split = cum[(cum["outcome"] == outcome) & cum["population_group"].isin(["civilian", "military"])]
        for (sid, date), group in split.groupby(["source_id", "period_end"]):
            if set(group["population_group"]) != {"civilian", "military"}:
                continue
            if ((stated["source_id"] == sid) & (stated["period_end"] == date)).any():
                continue
            rows.append(
                {
                    "date": date,
                    "measure": outcome,
                    "persons": group["value"].sum(),
                    "qualifier": "exact" if (group["qualifier"] == "exact").all() else "approximate",
                    "basis": "derived: civilian + military",
                    "recorder": group["recorder"].iloc[0],
                    "obs_id": ";".join(group["obs_id"]),
                    "source_id": sid,
                }
            )
    out = pd.DataFrame(
        rows,
        columns=[
            "date",
            "measure",
            "persons",
            "qualifier",
            "basis",
            "recorder",
            "obs_id",
            "source_id",
        ],
    )
    return out.sort_values(["measure", "date", "obs_id"]).reset_index(drop=True)


def _latest_cumulative(ch: Chapter) -> tuple[pd.DataFrame, str] | None:
    """The latest cumulative total (all rows sharing its date and value) and its scope words."""
    cas = _persons(_cas(ch))
    cum = usable(cas[cas["period_type"] == "cumulative"])
    post = cum[cum["programme_scope"] == POST_2020]
    pool = post if not post.empty else cum
    row = latest(pool)
    if row is None:
        return None
    same = pool[(pool["period_end"] == row["period_end"]) & (pool["value"] == row["value"])]
    scope = row["programme_scope"]
    if scope == POST_2020:
        words = SCOPE_WORDS[scope]
    else:
        start = row["period_start"]
        words = SCOPE_WORDS.get(scope, scope) + (f", since {start.year}" if pd.notna(start) else "")
    return same, words


PRECISION_RANK = {"day": 0, "month": 1, "year": 2}


def post2020_finding(ch: Chapter) -> Finding | None:
    found = _latest_cumulative(ch)
    if found is None:
        return None
    rows, words = found
    rows = rows.assign(_precision=rows["date_precision"].map(PRECISION_RANK))
    row = rows.sort_values(["_precision", "evidence_tier", "obs_id"]).iloc[0]
    when = date_label(row["period_end"], row["date_precision"])
    cas = _cas(ch)
    same = usable(
        cas[
            (cas["source_id"] == row["source_id"])
            & (cas["period_end"] == row["period_end"])
            & (cas["programme_scope"] == row["programme_scope"])
            & (cas["period_type"] == "cumulative")
            & (cas["population_group"] == "all")
            & (cas["unit"] == "persons")
        ]
    ).set_index("outcome")
    text = f"{qualified(row['value'], row['qualifier'])} people were killed or injured by mines and ERW ({words}) by {when}"
    if {"killed", "injured"} <= set(same.index):
        text += f": {qualified(same.at['killed', 'value'], same.at['killed', 'qualifier'])} killed and {qualified(same.at['injured', 'value'], same.at['injured', 'qualifier'])} injured"
    text += "."
    ids = [row["source_id"]] + [s for s in rows["source_id"] if s != row["source_id"]]
    split = latest_split(ch)
    if split is not None:
        when_split = date_label(split["date"])
        if (
            split["military_injured"] > split["civilian_injured"]
            and split["civilian_killed"] > split["military_killed"]
        ):
            text += (
                f" In the latest civilian/military split ({when_split}), more military personnel than civilians were injured "
                f"({show.format_value(split['military_injured'])} vs {show.format_value(split['civilian_injured'])}), while civilians were "
                f"{show.format_value(split['civilian_killed'])} of the {show.format_value(split['killed'])} killed ({pct_text(split['civilian_share_of_deaths_pct'])}, derived)."
            )
        else:
            text += (
                f" In the latest civilian/military split ({when_split}): civilians killed {show.format_value(split['civilian_killed'])}, "
                f"military killed {show.format_value(split['military_killed'])}, civilians injured {show.format_value(split['civilian_injured'])}, "
                f"military injured {show.format_value(split['military_injured'])}."
            )
        ids.append(split["source_id"])
    return Finding(text, unique_ids(ids))


def civil_military_split(ch: Chapter) -> pd.DataFrame:
    """Civilian and military killed/injured per source and date since 10 Nov 2020, with derived
    shares where all four numbers are given."""
    cas = _cas(ch)
    rows = usable(
        cas[
            (cas["programme_scope"] == POST_2020)
            & (cas["period_type"] == "cumulative")
            & (cas["unit"] == "persons")
            & cas["outcome"].isin(["killed", "injured"])
            & cas["population_group"].isin(["civilian", "military"])
        ]
    )
    if rows.empty:
        return pd.DataFrame()
    rows = rows.assign(key=rows["population_group"] + "_" + rows["outcome"])
    wide = rows.pivot_table(
        index=["period_end", "source_id"], columns="key", values="value", aggfunc="first"
    ).reset_index()
    for column in ("civilian_killed", "military_killed", "civilian_injured", "military_injured"):
        if column not in wide.columns:
            wide[column] = np.nan
    recorder = rows.groupby(["period_end", "source_id"])["recorded_by"].first()
    wide["recorded_by"] = [recorder.get((d, s)) for d, s in zip(wide["period_end"], wide["source_id"])]
    wide["killed"] = wide["civilian_killed"] + wide["military_killed"]
    wide["injured"] = wide["civilian_injured"] + wide["military_injured"]
    wide["civilian_share_of_deaths_pct"] = wide["civilian_killed"] / wide["killed"] * 100
    wide["military_share_of_injuries_pct"] = wide["military_injured"] / wide["injured"] * 100
    wide = wide.rename(columns={"period_end": "date"})
    return wide.sort_values(["date", "source_id"]).reset_index(drop=True)


def latest_split(ch: Chapter) -> pd.Series | None:
    split = civil_military_split(ch)
    if split.empty:
        return None
    complete = split.dropna(subset=["civilian_killed", "military_killed", "civilian_injured", "military_injured"])
    if complete.empty:
        return None
    return complete.sort_values(["date", "source_id"]).iloc[-1]


def _post2020_missing(ch: Chapter, default: str, what: str) -> HTML:
    """The missing-data sentence of a section about the counts since the November 2020 ceasefire:
    when other countries have such counts and this one has none, it says the section is about
    their material."""
    cas = ch.data.table("casualties")
    owners = cas.loc[cas["programme_scope"] == POST_2020, "iso3"]
    if len(owners) and ch.country not in set(owners):
        return show.missing(specific_to(ch, owners, what))
    return show.missing(default)


def split_table(ch: Chapter) -> HTML:
    split = civil_military_split(ch)
    if split.empty:
        return _post2020_missing(
            ch,
            f"No civilian/military split of casualties since 10 Nov 2020 is available for {ch.country_name}.",
            "civilian and military casualties in the territories regained since the 10 Nov 2020 ceasefire",
        )
    table = pd.DataFrame(
        {
            "as of": split["date"],
            "civilians killed": split["civilian_killed"],
            "military killed": split["military_killed"],
            "civilians injured": split["civilian_injured"],
            "military injured": split["military_injured"],
            "civilian share of deaths, % (derived)": split["civilian_share_of_deaths_pct"].round(1),
            "military share of injuries, % (derived)": split["military_share_of_injuries_pct"].round(1),
            "stated by": split["recorded_by"],
            "source_id": split["source_id"],
        }
    )
    return show.table(
        table,
        caption=f"Civilian and military mine/ERW casualties since 10 Nov 2020, {ch.country_name} (cumulative)",
        source=source_line(ch.data.sources, split["source_id"]),
        note_text="Shares are derived only where the source gives all four numbers; '–' = not given by the source.",
    )


def split_note(ch: Chapter) -> HTML:
    split = civil_military_split(ch)
    complete = (
        split.dropna(subset=["civilian_killed", "military_killed", "civilian_injured", "military_injured"])
        if not split.empty
        else split
    )
    if complete.empty:
        return _post2020_missing(
            ch,
            f"No complete civilian/military split of casualties is available for {ch.country_name}.",
            "the official civilian/military splits of the casualties since the 10 Nov 2020 ceasefire",
        )
    mil_more_injured = int((complete["military_injured"] > complete["civilian_injured"]).sum())
    civ_more_killed = int((complete["civilian_killed"] > complete["military_killed"]).sum())
    n = len(complete)
    ids = ", ".join(unique_ids(complete["source_id"]))
    return show.note(
        f"In {mil_more_injured} of the {n} complete civilian/military splits ({ids}), more military personnel than civilians were injured; "
        f"in {civ_more_killed} of {n}, civilians were the majority of those killed (derived from the table above).",
        kind="info",
    )


def post2020_chart(ch: Chapter) -> HTML:
    points = post2020_points(ch)
    if points.empty:
        return _post2020_missing(
            ch,
            f"No cumulative casualty count since 10 Nov 2020 is available for {ch.country_name}.",
            "the official cumulative casualty counts since the 10 Nov 2020 ceasefire, in the regained territories",
        )
    points = in_years(points, ch.params.first_year, ch.params.last_year, "date")
    totals = points[points["measure"] == "total"]
    if totals.empty:
        return show.missing(f"No cumulative casualty count since 10 Nov 2020 is available for {ch.country_name}.")
    fig, ax = figures.new_figure()
    colours = {
        "total": figures.PALETTE["primary"],
        "injured": figures.PALETTE["secondary"],
        "killed": figures.PALETTE["tertiary"],
    }
    labels = {"total": "killed or injured", "injured": "injured", "killed": "killed"}
    for measure in ("total", "injured", "killed"):
        rows = points[points["measure"] == measure].sort_values("date")
        if rows.empty:
            continue
        colour = colours[measure]
        ax.plot(
            rows["date"],
            rows["persons"],
            color=colour,
            linewidth=2.4 if measure == "total" else 1.6,
        )
        solid = rows[(rows["qualifier"] == "exact") & (rows["basis"] == "stated")]
        hollow = rows.drop(solid.index)
        ax.scatter(solid["date"], solid["persons"], color=colour, s=36, zorder=3)
        ax.scatter(
            hollow["date"],
            hollow["persons"],
            facecolors="white",
            edgecolors=colour,
            linewidths=1.8,
            s=44,
            zorder=3,
        )
        end = rows.iloc[-1]
        figures.label_line_end(
            ax,
            end["date"],
            end["persons"],
            f"{labels[measure]}: {qualified(end['persons'], end['qualifier'])}",
            colour,
        )
    ax.set_ylim(bottom=0)
    ax.set_ylabel("people (cumulative since 10 Nov 2020)")
    figures.thousands(ax)
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%b %Y"))
    start, stop = points["date"].min(), points["date"].max()
    ax.set_xlim(start - pd.Timedelta(days=60), stop + pd.Timedelta(days=330))
    ax.text(
        0.01,
        0.97,
        "Hollow markers: 'over'/'about' figures, or killed/injured derived as civilian + military",
        transform=ax.transAxes,
        fontsize=10,
        va="top",
        color=figures.PALETTE["text"],
    )
    last = totals.sort_values(["date", "obs_id"]).iloc[-1]
    first = totals.sort_values(["date", "obs_id"]).iloc[0]
    when = date_label(last["date"])
    title = f"Mine/ERW casualties in the regained territories reached {qualified(last['persons'], last['qualifier'])} by {when}"
    alt = (
        f"Line chart of cumulative mine/ERW casualties in the regained territories of {ch.country_name} since 10 Nov 2020, "
        f"rising from {qualified(first['persons'], first['qualifier'])} on {date_label(first['date'])} to "
        f"{qualified(last['persons'], last['qualifier'])} on {when}, with killed and injured where stated or derived from civilian and military counts."
    )
    data = points.rename(columns={"persons": "persons_cumulative"})
    return ch.chart(
        fig,
        "05_casualties_since_nov_2020",
        title=title,
        subtitle=f"Cumulative mine/ERW casualties since 10 Nov 2020, regained territories, {ch.country_name}, {start.year}–{stop.year}",
        source=source_line(ch.data.sources, data["source_id"]),
        alt=alt,
        data=data,
    )


def recent_counts(ch: Chapter) -> pd.DataFrame:
    """Annual and part-year counts (all people) from 2020 on: one row per source and period."""
    cas = _cas(ch)
    rows = usable(
        cas[
            cas["period_type"].isin(["annual", "partial_year"])
            & (cas["unit"] == "persons")
            & (cas["population_group"] == "all")
            & (cas["period_start"].dt.year >= RECENT_FROM_YEAR)
        ]
    )
    if rows.empty:
        return pd.DataFrame()
    out = []
    for (start, end, sid, ptype), group in rows.groupby(["period_start", "period_end", "source_id", "period_type"]):
        values = group.set_index("outcome")
        precision = group["date_precision"].iloc[0]
        period = str(end.year) if ptype == "annual" else f"{date_label(start)} – {date_label(end, precision)}"
        out.append(
            {
                "period": period,
                "period type": plain_words(ptype),
                "killed or injured": qualified(values.at["total", "value"], values.at["total", "qualifier"])
                if "total" in values.index
                else None,
                "killed": values.at["killed", "value"] if "killed" in values.index else None,
                "injured": values.at["injured", "value"] if "injured" in values.index else None,
                "as reported": "; ".join(dict.fromkeys(group["value_as_reported"])),
                "recorder": plain_words(group["recorder"].iloc[0]),
                "source_id": sid,
                "_end": end,
            }
        )
    return pd.DataFrame(out).sort_values(["_end", "period"]).drop(columns="_end").reset_index(drop=True)


def recent_table(ch: Chapter) -> HTML:
    table = recent_counts(ch)
    if table.empty:
        return show.missing(
            f"No annual or part-year casualty counts since {RECENT_FROM_YEAR} are available for {ch.country_name}."
        )
    return show.table(
        table,
        caption=f"Annual and part-year mine/ERW casualty counts since {RECENT_FROM_YEAR}, {ch.country_name}",
        source=source_line(ch.data.sources, table["source_id"]),
        note_text="Part-year figures are not annual totals and are never added up; recorders differ from row to row.",
    )


# --------------------------------------------------------------------------------------------
# (c) casualty rate per 100,000: a proxy contribution to SDG 16.1.2


def denominators(ch: Chapter, iso3: str | None = None) -> pd.DataFrame:
    pop = ch.data.table("population")
    return pop[
        (pop["iso3"] == (iso3 or ch.country))
        & (pop["publisher"] == DENOMINATOR_PUBLISHER)
        & (pop["estimate_type"] == DENOMINATOR_TYPE)
    ]


def annual_rates(ch: Chapter, iso3: str | None = None) -> pd.DataFrame:
    """Casualties and deaths per 100,000 (derived) for every unflagged annual total that has a
    World Bank mid-year population for its year. One row per year, recorder and source."""
    iso3 = iso3 or ch.country
    cas = usable(_cas(ch, iso3))
    annual = cas[(cas["period_type"] == "annual") & (cas["unit"] == "persons") & (cas["population_group"] == "all")]
    totals = annual[annual["outcome"] == "total"]
    killed = annual[annual["outcome"] == "killed"].assign(year=lambda f: f["period_end"].dt.year)
    pop = denominators(ch, iso3)
    pop = pop.assign(year=pop["year"].astype(int)).set_index("year")
    rows = []
    for _, r in totals.iterrows():
        year = int(r["period_end"].year)
        if year not in pop.index:
            continue
        deaths = killed[
            (killed["year"] == year) & (killed["source_id"] == r["source_id"]) & (killed["recorder"] == r["recorder"])
        ]
        population = float(pop.at[year, "value"])
        death_value = float(deaths["value"].iloc[0]) if not deaths.empty else np.nan
        rows.append(
            {
                "year": year,
                "recorder": r["recorder"],
                "casualties": r["value"],
                "casualties_qualifier": r["qualifier"],
                "deaths": death_value,
                "population": population,
                "casualties_per_100k": float(rate_per_100k(pd.Series([r["value"]]), pd.Series([population])).iloc[0]),
                "deaths_per_100k": float(rate_per_100k(pd.Series([death_value]), pd.Series([population])).iloc[0]),
                "evidence_tier": r["evidence_tier"],
                "obs_id": r["obs_id"],
                "period_end": r["period_end"],
                "source_id": r["source_id"],
                "population_obs_id": pop.at[year, "obs_id"],
                "population_source_id": pop.at[year, "source_id"],
            }
        )
    columns = [
        "year",
        "recorder",
        "casualties",
        "casualties_qualifier",
        "deaths",
        "population",
        "casualties_per_100k",
        "deaths_per_100k",
        "evidence_tier",
        "obs_id",
        "period_end",
        "source_id",
        "population_obs_id",
        "population_source_id",
    ]
    return pd.DataFrame(rows, columns=columns).sort_values(["year", "evidence_tier", "obs_id"]).reset_index(drop=True)


def latest_rate(ch: Chapter, iso3: str | None = None) -> pd.Series | None:
    """The latest year's rate; several recorders in that year: the preferred source (tier)."""
    rates = annual_rates(ch, iso3)
    if rates.empty:
        return None
    chosen, _ = pick_preferred(rates.assign(value=rates["casualties"]), ["year"])
    return chosen.sort_values("year").iloc[-1]


def rates_table(ch: Chapter) -> HTML:
    rates = annual_rates(ch)
    if rates.empty:
        return show.missing(
            f"No annual casualty total for {ch.country_name} falls in a year with a {DENOMINATOR_PUBLISHER} mid-year population, so no rate can be derived."
        )
    table = pd.DataFrame(
        {
            "year": rates["year"].astype(str),
            "recorder": rates["recorder"].map(plain_words),
            "casualties (killed and injured)": [
                qualified(v, q) for v, q in zip(rates["casualties"], rates["casualties_qualifier"])
            ],
            "of whom killed": rates["deaths"],
            "population (World Bank, mid-year)": rates["population"],
            "casualties per 100,000 (derived)": rates["casualties_per_100k"].map(rate_text),
            "deaths per 100,000 (derived)": [rate_text(v) if pd.notna(v) else None for v in rates["deaths_per_100k"]],
            "source_ids": [f"{a};{b}" for a, b in zip(rates["source_id"], rates["population_source_id"])],
        }
    )
    return show.table(
        table,
        caption=f"Mine/ERW casualties per 100,000 population, {ch.country_name} — a proxy, not SDG indicator 16.1.2",
        source=source_line(ch.data.sources, list(rates["source_id"]) + list(rates["population_source_id"])),
        note_text=(
            "Rate = count / population × 100,000 (derived). Denominator: World Bank total population (mid-year estimate). "
            "'–' = the source gives no number of deaths for that year. Where two recorders give a year, both rates are shown."
        ),
    )


def denominator_note(ch: Chapter) -> HTML:
    """Name the denominator, and quantify the alternative publisher's difference for one year."""
    wb = denominators(ch)
    if wb.empty:
        return show.missing(f"No {DENOMINATOR_PUBLISHER} mid-year population is available for {ch.country_name}.")
    sources = ch.data.sources
    wb_ids = unique_ids(wb["source_id"])
    title = "; ".join(sources.at[s, "title"] for s in wb_ids if s in sources.index)
    text = f"Denominator: {DENOMINATOR_PUBLISHER} mid-year total population ({title}; {', '.join(wb_ids)})."
    pop = ch.data.table("population")
    others = pop[(pop["iso3"] == ch.country) & (pop["publisher"] != DENOMINATOR_PUBLISHER)]
    pairs = others.merge(
        wb[["year", "reference_date", "value", "obs_id", "source_id"]],
        on="year",
        suffixes=("", "_wb"),
    )
    if pairs.empty:
        return show.note(
            text + f" No other publisher's population figure for {ch.country_name} is in the data.",
            kind="info",
        )
    pairs = pairs.assign(gap=(pairs["reference_date"] - pairs["reference_date_wb"]).abs())
    pair = pairs.sort_values(["gap", "year"], ascending=[True, False]).iloc[0]
    diff = pair["value"] - pair["value_wb"]
    pct = diff / pair["value_wb"] * 100
    rate_change = (pair["value_wb"] / pair["value"] - 1) * 100
    text += (
        f" The {pair['publisher']} gives {show.format_value(pair['value'])} for {date_label(pair['reference_date'])} ({pair['source_id']}), "
        f"{show.format_value(abs(diff))} {'more' if diff > 0 else 'fewer'} than the World Bank's {show.format_value(pair['value_wb'])} "
        f"for mid-{pair['year']} ({pair['source_id_wb']}) ({pct_text(abs(pct))}, derived). A rate computed on that figure would be "
        f"{pct_text(abs(rate_change))} {'lower' if rate_change < 0 else 'higher'} (derived). The report uses one denominator throughout: the World Bank's."
    )
    return show.note(text, kind="caveat")


def sdg_1612_rows(ch: Chapter) -> pd.DataFrame:
    sdg = ch.data.table("sdg_indicators")
    return sdg[sdg["indicator_code"] == "16.1.2"]


def proxy_note(ch: Chapter) -> HTML:
    """Why the rate is a proxy: the 16.1.2 definition and cause category, from sdg_indicators."""
    rows = sdg_1612_rows(ch)
    if rows.empty:
        return show.missing("The SDG 16.1.2 metadata are not in the data.")
    definition = rows[rows["indicator_text"] == "definition"]
    disaggregation = rows[rows["indicator_text"].fillna("").str.startswith("minimum disaggregation")]
    parts = []
    ids: list[str] = []
    if not definition.empty:
        d = definition.iloc[0]
        parts.append(
            f"SDG indicator 16.1.2 is defined as '{d['excerpt']}' (custodian {d['custodian']}; {d['source_id']})."
        )
        ids.append(d["source_id"])
    if not disaggregation.empty:
        g = disaggregation.iloc[0]
        match = re.search(r"'([^']*unexploded ordnance[^']*)'", g["series_description"] or "")
        cause = match.group(1) if match else "planted explosives and unexploded ordnance"
        parts.append(f"Its agreed cause categories include '{cause}' ({g['source_id']}).")
        ids.append(g["source_id"])
    parts.append(
        "The rates above are a PROXY contribution to that cause category, not the official indicator: they count "
        "mine/ERW casualties recorded by national sources, they include injuries (the deaths-per-100,000 column is the closer "
        "analogue), and they do not separate conflict-related deaths as OHCHR's methodology does."
    )
    return show.note(" ".join(parts), kind="caveat")


def sdg_metadata_table(ch: Chapter) -> HTML:
    rows = sdg_1612_rows(ch)
    if rows.empty:
        return show.missing("The SDG 16.1.2 metadata are not in the data.")
    table = pd.DataFrame(
        {
            "what": rows["indicator_text"].where(rows["series_code"].isna(), "series"),
            "series code": rows["series_code"],
            "description": rows["series_description"],
            "custodian": rows["custodian"],
            "release or version": rows["release_or_version"],
            "verified": rows["is_verified"].astype(bool),
            "source_id": rows["source_id"],
        }
    )
    return show.table(
        table,
        caption="SDG indicator 16.1.2: definition, disaggregation and UN database series",
        source=source_line(ch.data.sources, rows["source_id"]),
        note_text="verified = no: the series codes were seen only in third-party code and must be checked against the live UN SDG API before use.",
    )


def unverified_note(ch: Chapter) -> HTML | None:
    rows = sdg_1612_rows(ch)
    bad = rows[~rows["is_verified"].astype(bool)]
    if bad.empty:
        return None
    codes = "; ".join(bad["series_code"].fillna(""))
    return show.note(
        f"Not verified (is_verified = false): the 16.1.2 series codes {codes} appear only in third-party code ({', '.join(unique_ids(bad['source_id']))}); "
        "they are listed for completeness and not used.",
        kind="caveat",
    )


def rate_finding(ch: Chapter) -> Finding | None:
    row = latest_rate(ch)
    if row is None:
        return None
    deaths = ""
    if pd.notna(row["deaths"]):
        deaths = (
            f" and {rate_text(row['deaths_per_100k'])} deaths per 100,000 ({show.format_value(row['deaths'])} killed)"
        )
    text = (
        f"In {row['year']}, {qualified(row['casualties'], row['casualties_qualifier'])} mine/ERW casualties in {ch.country_name} "
        f"against a World Bank mid-year population of {show.format_value(row['population'])} give "
        f"{rate_text(row['casualties_per_100k'])} casualties per 100,000{deaths} (derived) — a proxy contribution to SDG 16.1.2, not the official indicator."
    )
    return Finding(text, unique_ids([row["source_id"], row["population_source_id"]]))


# --------------------------------------------------------------------------------------------
# (d) the global Landmine Monitor series


def global_totals(ch: Chapter) -> pd.DataFrame:
    """All global annual totals (flagged included), with ``preferred`` marking the one value per
    year used in the series (unflagged; lowest evidence tier, then the latest edition)."""
    cas = _persons(_cas(ch, "WLD"))
    rows = cas[cas["period_type"] == "annual"].assign(year=lambda f: f["period_end"].dt.year.astype(int))
    rows = rows.assign(flagged=rows["quality_flag"].notna(), preferred=False)
    clean = rows[~rows["flagged"]]
    if not clean.empty:
        chosen, _ = pick_preferred(clean, ["year"])
        rows.loc[rows["obs_id"].isin(chosen["obs_id"]), "preferred"] = True
    return rows.sort_values(["year", "obs_id"]).reset_index(drop=True)


def global_shares(ch: Chapter) -> pd.DataFrame:
    """Civilian share of casualties and child share of civilian casualties (percent), with the
    verbal ones (no number) kept for the table."""
    cas = _cas(ch, "WLD")
    pct = cas[(cas["unit"] == "percent") & (cas["period_type"] == "annual") & (cas["outcome"] == "total")]
    civilian = pct[pct["population_group"] == "civilian"].assign(measure="civilian share of casualties")
    child = pct[
        (pct["population_group"] == "child") & pct["percent_base"].fillna("").str.startswith("civilian casualties")
    ].assign(measure="child share of civilian casualties")
    out = pd.concat([civilian, child])
    out = out.assign(year=out["period_end"].dt.year.astype(int))
    return usable(out).sort_values(["measure", "year", "obs_id"]).reset_index(drop=True)


def global_trend(ch: Chapter) -> dict | None:
    totals = global_totals(ch)
    series = totals[totals["preferred"]]
    if series.empty:
        return None
    peak = series.sort_values(["value", "year"], ascending=[False, True]).iloc[0]
    last = series.sort_values("year").iloc[-1]
    first = series.sort_values("year").iloc[0]
    later_flagged = totals[totals["flagged"] & (totals["year"] > last["year"])]
    return {"first": first, "peak": peak, "last": last, "later_flagged": later_flagged}


def global_finding(ch: Chapter) -> Finding | None:
    trend = global_trend(ch)
    if trend is None:
        return None
    first, peak, last = trend["first"], trend["peak"], trend["last"]
    change = (last["value"] - peak["value"]) / peak["value"] * 100
    text = (
        f"Landmine Monitor's global count of mine/ERW casualties went from {qualified(first['value'], first['qualifier'])} in {first['year']} "
        f"to a peak of {qualified(peak['value'], peak['qualifier'])} in {peak['year']} and {qualified(last['value'], last['qualifier'])} in {last['year']}, "
        f"{pct_text(abs(change))} {'below' if change < 0 else 'above'} the peak (derived)"
    )
    ids = [first["source_id"], peak["source_id"], last["source_id"]]
    flagged = trend["later_flagged"]
    if not flagged.empty:
        f = flagged.sort_values("year").iloc[-1]
        text += f"; the {f['year']} total of {qualified(f['value'], f['qualifier'])} is shown but flagged (killed + injured ≠ total) and left out of the series"
        ids.append(f["source_id"])
    return Finding(text + ".", unique_ids(ids))


def global_chart(ch: Chapter) -> HTML:
    totals = global_totals(ch)
    totals = in_years(totals, ch.params.first_year, ch.params.last_year, "year")
    shares = global_shares(ch)
    shares = in_years(shares[shares["value"].notna()], ch.params.first_year, ch.params.last_year, "year")
    if totals.empty:
        return show.missing("The global Landmine Monitor casualty series is not in the data.")
    fig, (ax, ax2) = figures.new_figure(1, 2, gridspec_kw={"width_ratios": [1.35, 1], "wspace": 0.28})
    series = totals[totals["preferred"]]
    others = totals[~totals["preferred"]]
    only_flagged_years = sorted(set(others["year"]) - set(series["year"]))
    ax.bar(series["year"], series["value"], color=figures.PALETTE["primary"], width=0.7)
    for year, value, qualifier in zip(series["year"], series["value"], series["qualifier"]):
        ax.annotate(
            qualified(value, qualifier).replace("over ", "≥"),
            xy=(year, value),
            xytext=(0, 3),
            textcoords="offset points",
            ha="center",
            fontsize=9,
            color=figures.PALETTE["text"],
        )
    hatched = others[others["year"].isin(only_flagged_years)].drop_duplicates("year")
    ax.bar(
        hatched["year"],
        hatched["value"],
        facecolor="white",
        edgecolor=figures.PALETTE["context"],
        hatch="///",
        width=0.7,
    )
    for year, value in zip(hatched["year"], hatched["value"]):
        ax.annotate(
            f"{show.format_value(value)}\nflagged",
            xy=(year, value),
            xytext=(0, 3),
            textcoords="offset points",
            ha="center",
            fontsize=9,
            color="#595959",
        )
    superseded = others[~others["year"].isin(only_flagged_years)]
    ax.scatter(
        superseded["year"] + 0.45,
        superseded["value"],
        marker="D",
        facecolors="white",
        edgecolors=figures.PALETTE["accent"],
        linewidths=1.8,
        s=40,
        zorder=3,
    )
    for year, value, sid in zip(superseded["year"], superseded["value"], superseded["source_id"]):
        ax.annotate(
            f"other figure: {show.format_value(value)} ({sid})",
            xy=(year + 0.45, value),
            xytext=(7, 0),
            textcoords="offset points",
            va="center",
            fontsize=9,
            color=figures.PALETTE["accent"],
        )
    ax.set_ylim(0, totals["value"].max() * 1.15)
    figures.thousands(ax)
    ax.set_ylabel("casualties per year (world)")
    years = range(int(totals["year"].min()), int(totals["year"].max()) + 1)
    ax.set_xticks(list(years))
    ax.tick_params(axis="x", labelrotation=45)
    share_colours = {
        "civilian share of casualties": figures.PALETTE["secondary"],
        "child share of civilian casualties": figures.PALETTE["tertiary"],
    }
    short = {
        "civilian share of casualties": "civilians, % of casualties",
        "child share of civilian casualties": "children, % of civilian casualties",
    }
    for measure, colour in share_colours.items():
        rows = shares[shares["measure"] == measure].sort_values("year")
        if rows.empty:
            continue
        ax2.plot(rows["year"], rows["value"], color=colour, marker="o")
        above = measure.startswith("civilian")
        y = rows["value"].max() + 4 if above else rows["value"].min() - 4
        ax2.text(
            rows["year"].iloc[0],
            y,
            short[measure],
            fontsize=10,
            color=colour,
            fontweight="bold",
            va="bottom" if above else "top",
        )
    ax2.set_ylim(0, 100)
    ax2.set_ylabel("percent")
    ax2.set_xticks(list(years))
    ax2.set_xlim(min(years) - 0.5, max(years) + 0.5)
    ax2.tick_params(axis="x", labelrotation=45)
    trend = global_trend(ch)
    peak, last = trend["peak"], trend["last"]
    title = f"Global mine/ERW casualties peaked at {show.format_value(peak['value'])} in {peak['year']}; {qualified(last['value'], last['qualifier'])} in {last['year']}"
    share_text = "; ".join(
        f"{m} from {show.format_value(g.sort_values('year')['value'].iloc[0])}% ({g['year'].min()}) to {show.format_value(g.sort_values('year')['value'].iloc[-1])}% ({g['year'].max()})"
        for m, g in shares.groupby("measure")
    )
    alt = (
        f"Bar chart of Landmine Monitor's global annual mine/ERW casualties, {min(years)}–{max(years)}, peaking at {show.format_value(peak['value'])} in {peak['year']} "
        f"and at {qualified(last['value'], last['qualifier'])} in {last['year']}; hatched bars mark years whose only total is flagged "
        f"({', '.join(str(y) for y in only_flagged_years)}). A second panel shows {share_text}."
    )
    data = (
        pd.concat(
            [
                totals.assign(measure="casualties", unit="persons")[
                    [
                        "year",
                        "measure",
                        "value",
                        "unit",
                        "qualifier",
                        "preferred",
                        "flagged",
                        "obs_id",
                        "source_id",
                    ]
                ],
                shares.assign(preferred=True, flagged=False, unit="percent")[
                    [
                        "year",
                        "measure",
                        "value",
                        "unit",
                        "qualifier",
                        "preferred",
                        "flagged",
                        "obs_id",
                        "source_id",
                    ]
                ],
            ]
        )
        .rename(columns={"preferred": "in_series"})
        .assign(year=lambda f: f["year"].astype(str))
    )
    return ch.chart(
        fig,
        "05_global_casualties",
        title=title,
        subtitle=f"Mine/ERW casualties per year and civilian/child shares, world (Landmine Monitor), {min(years)}–{max(years)}",
        source=source_line(ch.data.sources, data["source_id"]),
        alt=alt,
        data=data.reset_index(drop=True),
    )


def global_table(ch: Chapter) -> HTML:
    totals = global_totals(ch)
    shares = _cas(ch, "WLD")
    shares = shares[(shares["unit"] == "percent") & (shares["period_type"] == "annual")]
    if totals.empty:
        return show.missing("The global Landmine Monitor casualty series is not in the data.")
    rows = []
    for year, group in totals.groupby("year"):
        chosen = group[group["preferred"]]
        other = group[~group["preferred"]]
        civ = shares[(shares["period_end"].dt.year == year) & (shares["population_group"] == "civilian")]
        child = shares[(shares["period_end"].dt.year == year) & (shares["population_group"] == "child")]

        def share_text(frame: pd.DataFrame) -> str | None:
            texts = [
                f"{show.format_value(v)}% of {b}" if pd.notna(v) else f"'{r}' (stated in words, no number)"
                for v, r, b in zip(frame["value"], frame["value_as_reported"], frame["percent_base"])
            ]
            return "; ".join(texts) or None

        rows.append(
            {
                "year": str(year),
                "casualties (in series)": qualified(chosen["value"].iloc[0], chosen["qualifier"].iloc[0])
                if not chosen.empty
                else None,
                "other figures for the year": "; ".join(
                    f"{qualified(v, q)} ({s}{', flagged' if f else ''})"
                    for v, q, s, f in zip(other["value"], other["qualifier"], other["source_id"], other["flagged"])
                )
                or None,
                "civilians": share_text(civ),
                "children": share_text(child),
                "source_ids": ";".join(
                    unique_ids(list(group["source_id"]) + list(civ["source_id"]) + list(child["source_id"]))
                ),
            }
        )
    table = pd.DataFrame(rows)
    ids = list(totals["source_id"]) + list(shares["source_id"])
    return show.table(
        table,
        caption="Global mine/ERW casualties and civilian and child shares by year (Landmine Monitor)",
        source=source_line(ch.data.sources, ids),
        note_text="One total per year enters the series: unflagged, from the strongest source, latest edition. Verbal shares are quoted, not turned into numbers.",
    )


def revision_note(ch: Chapter) -> HTML | None:
    totals = global_totals(ch)
    parts = []
    for year, group in totals.groupby("year"):
        if group["value"].nunique() > 1:
            ordered = group.sort_values("preferred")
            figures_text = " vs ".join(
                f"{qualified(v, q)} ({s})"
                for v, q, s in zip(ordered["value"], ordered["qualifier"], ordered["source_id"])
            )
            chosen = group[group["preferred"]]
            used = f"; the series uses {show.format_value(chosen['value'].iloc[0])}" if not chosen.empty else ""
            parts.append(f"{year}: {figures_text}{used}")
    for notes, sid, year in zip(totals["notes"].fillna(""), totals["source_id"], totals["year"]):
        for clause in notes.split(";"):
            if clause.strip().startswith("revised to"):
                parts.append(f"{year} ({sid}) {clause.strip()}")
    if not parts:
        return None
    return show.note(
        "Landmine Monitor revises earlier years in later editions, and summaries sometimes differ by one: "
        + "; ".join(parts)
        + ".",
        kind="conflict",
    )


# --------------------------------------------------------------------------------------------
# (e) what the UN SDG database extract holds for 16.1.2


def world_causes(ch: Chapter) -> pd.DataFrame:
    """World civilian conflict deaths by cause (16.1.2), with the share of each cause derived and
    the extract's own share (VC_DTH_TOCVR) beside it."""
    values = ch.data.table("sdg_values")
    numbers = values[
        (values["series_code"] == "VC_DTH_TOCVN")
        & (values["sex"] == "bothsex")
        & (values["age"] == "allage")
        & values["cause"].notna()
    ]
    if numbers.empty:
        return pd.DataFrame()
    year = int(numbers["year"].max())
    numbers = numbers[numbers["year"] == year]
    total = numbers[numbers["cause"] == "total"]
    if total.empty:
        return pd.DataFrame()
    total_value = float(total["value"].iloc[0])
    reported = values[
        (values["series_code"] == "VC_DTH_TOCVR") & (values["year"] == year) & values["cause"].notna()
    ].set_index("cause")
    out = numbers.assign(
        share_derived_pct=numbers["value"] / total_value * 100,
        share_reported_pct=numbers["cause"].map(reported["value"]) if not reported.empty else np.nan,
    )
    return out[
        [
            "year",
            "geo_area_name",
            "cause",
            "value",
            "share_derived_pct",
            "share_reported_pct",
            "obs_id",
            "source_id",
            "notes",
        ]
    ].reset_index(drop=True)


def world_causes_table(ch: Chapter) -> HTML:
    causes = world_causes(ch)
    if causes.empty:
        return show.missing("The UN SDG database extract holds no 16.1.2 values by cause.")
    table = pd.DataFrame(
        {
            "cause of death": causes["cause"].map(plain_words),
            "civilian conflict deaths": causes["value"],
            "share, % (derived)": causes["share_derived_pct"].round(1),
            "share, % (as in the extract)": causes["share_reported_pct"],
            "source_id": causes["source_id"],
        }
    )
    year, area = causes["year"].iloc[0], causes["geo_area_name"].iloc[0]
    return show.table(
        table,
        caption=f"SDG 16.1.2: civilian conflict-related deaths by cause, {area} {year} (UN SDG database extract)",
        source=source_line(ch.data.sources, causes["source_id"]),
        note_text="Derived share = deaths from the cause / all civilian conflict deaths × 100; the extract stores its own shares in series VC_DTH_TOCVR.",
    )


def sdg_values_note(ch: Chapter) -> HTML:
    causes = world_causes(ch)
    values = ch.data.table("sdg_values")
    series_1612 = set()
    for codes in sdg_1612_rows(ch)["series_code"].dropna():
        series_1612 |= {c.strip() for c in codes.split("/")}
    own = values[(values["iso3"] == ch.country) & values["series_code"].isin(series_1612)]
    other = values[(values["iso3"] == ch.country) & ~values["series_code"].isin(series_1612)]
    sid = ", ".join(unique_ids(values["source_id"]))
    parts = []
    if not causes.empty:
        total = causes[causes["cause"] == "total"].iloc[0]
        explosives = causes[causes["cause"] == "explosives"]
        if not explosives.empty:
            e = explosives.iloc[0]
            parts.append(
                f"For the {total['geo_area_name']} in {total['year']}, the extract counts {show.format_value(total['value'])} civilian conflict-related deaths, "
                f"of which {show.format_value(e['value'])} were caused by 'explosives' ({pct_text(e['share_derived_pct'])}, derived), "
                "the cause category of the series closest to mines and explosive remnants of war."
            )
    if own.empty:
        extra = ""
        if not other.empty:
            years = other["year"]
            extra = f" It holds only other SDG 16.1 series for {ch.country_name} ({', '.join(sorted(set(other['series_code'])))}, {years.min()}–{years.max()})."
        parts.append(f"The extract ({sid}) holds no 16.1.2 value for {ch.country_name}.{extra}")
    else:
        parts.append(f"The extract ({sid}) holds {len(own)} 16.1.2 values for {ch.country_name}.")
    sentence = world_rate_sentence(ch)
    if sentence:
        parts.append(sentence)
    return show.note(" ".join(parts), kind="info" if not own.empty else "missing")


WORLD_RATE_SERIES, WORLD_COUNT_SERIES = "VC_DTH_TOCV", "VC_DTH_TOCVN"


def world_rate_check(ch: Chapter) -> dict | None:
    """The extract's world rate per 100,000 against its own count: the denominator the two imply
    (derived) and, where the data hold a world population for that year, the rate it gives."""
    values = ch.data.table("sdg_values")
    world = values[(values["iso3"] == "WLD") & (values["cause"].fillna("total") == "total")]
    world = world[world["sex"].fillna("bothsex").eq("bothsex") & world["age"].fillna("allage").eq("allage")]
    rate = world[world["series_code"] == WORLD_RATE_SERIES]
    if rate.empty:
        return None
    rate = rate.iloc[0]
    count = world[(world["series_code"] == WORLD_COUNT_SERIES) & (world["year"] == rate["year"])]
    if count.empty:
        return None
    count = count.iloc[0]
    pop = ch.data.table("population")
    pop = pop[(pop["iso3"] == "WLD") & (pop["year"] == rate["year"])]
    population = pop.iloc[0] if not pop.empty else None
    return {
        "rate": rate,
        "count": count,
        "implied_population": count["value"] / rate["value"] * 100_000,
        "population": population,
        "recomputed": (
            float(rate_per_100k(pd.Series([count["value"]]), pd.Series([population["value"]])).iloc[0])
            if population is not None
            else None
        ),
    }


def world_rate_sentence(ch: Chapter) -> str | None:
    check = world_rate_check(ch)
    if check is None:
        return None
    rate, count = check["rate"], check["count"]
    text = (
        f"Its rate of {show.format_value(rate['value'])} civilian conflict-related deaths per 100,000 "
        f"({rate['geo_area_name']}, {rate['year']}; {rate['source_id']}) and its count of "
        f"{show.format_value(count['value'])} together imply a population of about "
        f"{show.format_value(round(check['implied_population'] / 1e6, 1))} million (derived: count / rate × 100,000)"
    )
    if check["recomputed"] is None:
        return (
            text + "; the extract does not name that denominator, the UN footnote that would explain it was not "
            "available, and the data hold no world population to check it against, so the rate is reported as "
            "published, not recomputed."
        )
    population = check["population"]
    same = round(check["recomputed"], 1) == round(rate["value"], 1)
    return (
        text + f"; the {population['publisher']} world population for {population['year']} "
        f"({show.format_value(population['value'])}, {population['source_id']}) gives "
        f"{rate_text(check['recomputed'])} (derived), which "
        + (
            "matches the published rate."
            if same
            else "does not reproduce the published rate; the UN footnote that would name its denominator was not available."
        )
    )


# --------------------------------------------------------------------------------------------


def findings(ch: Chapter) -> list[Finding]:
    return [f for f in (post2020_finding(ch), rate_finding(ch), global_finding(ch)) if f is not None]
