"""Chapter 8: Cambodia for comparison — always Cambodia, whatever the report's focus country.

Cambodia's annual casualties against its national SDG ceiling (CSDG 18.2: fewer than 10 a year
by 2030), land released per year and cumulative clearance against the remaining contamination
and the Article 5 deadline, and a small side-by-side table of the focus country and Cambodia.
"""

from __future__ import annotations

import re

import matplotlib.dates as mdates
import matplotlib.ticker as mticker
import pandas as pd
import pycountry
from IPython.display import HTML

from demining_sdg.analysis import casualties
from demining_sdg.analysis.common import (
    SCOPE_WORDS,
    date_label,
    in_years,
    latest,
    plain_words,
    qualified,
    source_line,
    unique_ids,
    usable,
    with_tiers,
)
from demining_sdg.derive.rules import TIER_NAMES, pick_preferred, rate_per_100k, to_hectares
from demining_sdg.present import figures, show
from demining_sdg.present.chapter import Chapter
from demining_sdg.present.show import Finding

COMPARATOR = "KHM"
CEILING_INDICATOR = "csdg18_target_casualties_per_year"
REMAINING = "estimated_remaining_area"
REMAINING_PARTS = ("estimated_remaining_mine_area", "estimated_remaining_cm_erw_area")
DEADLINE = "art5_deadline"


def comparator_name() -> str:
    return pycountry.countries.get(alpha_3=COMPARATOR).name


def _country_name(iso3: str) -> str:
    return pycountry.countries.get(alpha_3=iso3).name


def _tiered(ch: Chapter, table: str, iso3: str = COMPARATOR) -> pd.DataFrame:
    frame = with_tiers(ch.data.table(table), ch.data.sources)
    return frame[frame["iso3"] == iso3]


# --------------------------------------------------------------------------------------------
# casualties by year against the CSDG 18.2 ceiling


def annual_casualties(ch: Chapter) -> pd.DataFrame:
    """Cambodia's annual casualty totals: stated totals (all people, or civilians only where that
    is all the source gives) and, for years with only killed and injured from one source, their
    sum (derived). One row per figure, with the source's evidence tier."""
    cas = usable(_tiered(ch, "casualties"))
    annual = cas[(cas["period_type"] == "annual") & (cas["unit"] == "persons")]
    rows = []
    stated = annual[(annual["outcome"] == "total") & annual["population_group"].isin(["all", "civilian"])]
    for _, r in stated.iterrows():
        rows.append({**r.to_dict(), "basis": "stated", "obs_ids": r["obs_id"]})
    parts = annual[(annual["population_group"] == "all") & annual["outcome"].isin(["killed", "injured"])]
    for (sid, end), group in parts.groupby(["source_id", "period_end"]):
        has_total = (
            (stated["source_id"] == sid) & (stated["period_end"] == end) & (stated["population_group"] == "all")
        ).any()
        if has_total or set(group["outcome"]) != {"killed", "injured"}:
            continue
        first = group.iloc[0].to_dict()
        rows.append(
            {
                **first,
                "outcome": "total",
                "value": group["value"].sum(),
                "qualifier": "exact" if (group["qualifier"] == "exact").all() else "approximate",
                "value_as_reported": "; ".join(group["value_as_reported"]),
                "basis": "derived: killed + injured",
                "obs_ids": ";".join(group["obs_id"]),
            }
        )
    if not rows:
        return pd.DataFrame()
    out = pd.DataFrame(rows)
    out["year"] = out["period_end"].dt.year.astype(int)
    out["tier_name"] = out["evidence_tier"].map(TIER_NAMES)
    columns = [
        "year",
        "value",
        "qualifier",
        "population_group",
        "basis",
        "value_as_reported",
        "recorder",
        "recorded_by",
        "source_id",
        "source_type",
        "evidence_tier",
        "tier_name",
        "obs_ids",
    ]
    return out[columns].sort_values(["year", "population_group", "evidence_tier"]).reset_index(drop=True)


def ceiling(ch: Chapter) -> pd.Series | None:
    targets = _tiered(ch, "contamination_targets")
    rows = usable(targets[targets["indicator"] == CEILING_INDICATOR])
    if rows.empty:
        return None
    return rows.sort_values(["reference_date", "obs_id"]).iloc[-1]


def latest_vs_ceiling(ch: Chapter) -> dict | None:
    """The latest annual total for all people against the ceiling: the ratio (derived)."""
    annual = annual_casualties(ch)
    target = ceiling(ch)
    if annual.empty or target is None:
        return None
    everyone = annual[annual["population_group"] == "all"].assign(
        period_end=lambda f: pd.to_datetime(f["year"].astype(str) + "-12-31"),
        obs_id=lambda f: f["obs_ids"],
    )
    chosen, _ = pick_preferred(everyone, ["year"])
    row = chosen.sort_values("year").iloc[-1]
    return {"row": row, "ceiling": target, "ratio": row["value"] / target["value"]}


def ceiling_finding(ch: Chapter) -> Finding | None:
    found = latest_vs_ceiling(ch)
    if found is None:
        return None
    row, target = found["row"], found["ceiling"]
    text = (
        f"{comparator_name()} recorded {qualified(row['value'], row['qualifier'])} mine/ERW casualties in {row['year']}, "
        f"{found['ratio']:.1f} times (derived) the CSDG 18.2 ceiling of '{target['value_as_reported']}'."
    )
    return Finding(text, unique_ids([row["source_id"], target["source_id"]]))


def trend_finding(ch: Chapter) -> Finding | None:
    annual = annual_casualties(ch)
    stated = (
        annual[(annual["population_group"] == "all") & (annual["basis"] == "stated")] if not annual.empty else annual
    )
    if len(stated) < 2:
        return None
    first = stated.sort_values(["year", "evidence_tier"]).iloc[0]
    last = stated.sort_values(["year", "evidence_tier"], ascending=[False, True]).iloc[0]
    change = (last["value"] - first["value"]) / first["value"] * 100
    text = (
        f"Annual casualties in {comparator_name()} went from {qualified(first['value'], first['qualifier'])} in {first['year']} "
        f"to {qualified(last['value'], last['qualifier'])} in {last['year']}, a {'fall' if change < 0 else 'rise'} of {abs(change):.1f}% (derived)."
    )
    return Finding(text, unique_ids([first["source_id"], last["source_id"]]))


def casualties_chart(ch: Chapter) -> HTML:
    annual = annual_casualties(ch)
    found = latest_vs_ceiling(ch)
    name = comparator_name()
    if annual.empty or found is None:
        return show.missing(f"Annual casualty totals or the CSDG 18.2 ceiling are not available for {name}.")
    shown = in_years(annual, ch.params.first_year, ch.params.last_year, "year")
    target = found["ceiling"]
    fig, ax = figures.new_figure()
    everyone = shown[shown["population_group"] == "all"].sort_values("year")
    stated = everyone[everyone["basis"] == "stated"]
    derived = everyone[everyone["basis"] != "stated"]
    civilians = shown[shown["population_group"] == "civilian"]
    primary, secondary = figures.PALETTE["primary"], figures.PALETTE["secondary"]
    for (x0, y0), (x1, y1) in zip(everyone[["year", "value"]].values[:-1], everyone[["year", "value"]].values[1:]):
        gap = x1 - x0 > 1
        ax.plot(
            [x0, x1],
            [y0, y1],
            color=primary,
            linewidth=1.0 if gap else 1.8,
            linestyle=":" if gap else "-",
            zorder=2,
        )
    ax.scatter(stated["year"], stated["value"], color=primary, s=44, zorder=3)
    ax.scatter(
        derived["year"],
        derived["value"],
        facecolors="white",
        edgecolors=primary,
        linewidths=2,
        s=52,
        zorder=3,
    )
    ax.scatter(civilians["year"], civilians["value"], marker="s", color=secondary, s=52, zorder=3)
    for _, r in shown.iterrows():
        label = show.format_value(r["value"])
        if r["population_group"] == "civilian":
            label += " (civilians)"
        if r["basis"] != "stated":
            label += " (derived)"
        below = r["population_group"] == "civilian"
        ax.annotate(
            label,
            xy=(r["year"], r["value"]),
            xytext=(0, -10 if below else 9),
            textcoords="offset points",
            ha="center",
            va="top" if below else "bottom",
            fontsize=9,
            color=figures.PALETTE["text"],
        )
        if r["evidence_tier"] >= 4:
            ax.annotate(
                f"tier {r['evidence_tier']}",
                xy=(r["year"], r["value"]),
                xytext=(0, -9),
                textcoords="offset points",
                ha="center",
                va="top",
                fontsize=9,
                fontstyle="italic",
                color="#595959",
            )
    ax.axhline(target["value"], color=figures.PALETTE["accent"], linestyle="--", linewidth=2)
    ax.annotate(
        f"CSDG 18.2 ceiling: {target['value_as_reported']}",
        xy=(shown["year"].min(), target["value"]),
        xytext=(0, -6),
        textcoords="offset points",
        va="top",
        fontsize=11,
        fontweight="bold",
        color=figures.PALETTE["accent"],
    )
    ax.set_yscale("log")
    ax.set_ylim(target["value"] * 0.5, shown["value"].max() * 4)
    figures.thousands(ax)
    ax.yaxis.set_minor_formatter(mticker.NullFormatter())
    ax.set_ylabel("casualties per year (log scale)")
    ax.set_xlim(shown["year"].min() - 1, shown["year"].max() + 1)
    ax.xaxis.set_major_locator(mticker.MaxNLocator(integer=True))
    ax.text(
        0.99,
        0.97,
        "Hollow: derived as killed + injured; square: civilians only; 'tier 4': secondary source\nDotted: years without data in between",
        transform=ax.transAxes,
        ha="right",
        va="top",
        fontsize=10,
        color=figures.PALETTE["text"],
    )
    row = found["row"]
    title = f"{name}'s {show.format_value(row['value'])} mine casualties in {row['year']} were {found['ratio']:.1f} times the CSDG ceiling"
    outside = annual[~annual.index.isin(shown.index)]
    outside_text = ""
    if not outside.empty:
        outside_text = (
            " Not drawn (outside the report's years): "
            + "; ".join(
                f"{y}: {show.format_value(v)} ({g})"
                for y, v, g in zip(outside["year"], outside["value"], outside["population_group"])
            )
            + "."
        )
    alt = (
        f"Line chart on a log scale of {name}'s annual mine/ERW casualties, {shown['year'].min()}–{shown['year'].max()}, "
        f"from {show.format_value(everyone['value'].iloc[0])} in {everyone['year'].iloc[0]} to {show.format_value(everyone['value'].iloc[-1])} in {everyone['year'].iloc[-1]}, "
        f"against a dashed line at the CSDG 18.2 ceiling of {show.format_value(target['value'])} a year; the latest year is {found['ratio']:.1f} times the ceiling.{outside_text}"
    )
    data = pd.concat(
        [
            shown.assign(series="casualties", unit="persons")[
                [
                    "year",
                    "series",
                    "value",
                    "unit",
                    "qualifier",
                    "population_group",
                    "basis",
                    "tier_name",
                    "obs_ids",
                    "source_id",
                ]
            ],
            pd.DataFrame(
                [
                    {
                        "year": int(target["reference_date"].year),
                        "series": "CSDG 18.2 ceiling",
                        "value": target["value"],
                        "unit": target["unit"],
                        "qualifier": target["qualifier"],
                        "population_group": "all",
                        "basis": "target",
                        "tier_name": TIER_NAMES.get(target["evidence_tier"]),
                        "obs_ids": target["obs_id"],
                        "source_id": target["source_id"],
                    }
                ]
            ),
        ]
    ).assign(year=lambda f: f["year"].astype(str))
    return ch.chart(
        fig,
        "08_cambodia_casualties_vs_ceiling",
        title=title,
        subtitle=f"Mine/ERW casualties per year (killed and injured), {name}, {shown['year'].min()}–{shown['year'].max()}, and the CSDG 18.2 ceiling for 2030",
        source=source_line(ch.data.sources, data["source_id"]),
        alt=alt,
        data=data.reset_index(drop=True),
    )


def casualties_table(ch: Chapter) -> HTML:
    annual = annual_casualties(ch)
    if annual.empty:
        return show.missing(f"No annual casualty totals are available for {comparator_name()}.")
    table = pd.DataFrame(
        {
            "year": annual["year"].astype(str),
            "casualties": [qualified(v, q) for v, q in zip(annual["value"], annual["qualifier"])],
            "who": annual["population_group"].map({"all": "all people", "civilian": "civilians only"}),
            "basis": annual["basis"],
            "as reported": annual["value_as_reported"],
            "recorded by": annual["recorded_by"],
            "evidence tier": [f"{t} – {n}" for t, n in zip(annual["evidence_tier"], annual["tier_name"])],
            "source_id": annual["source_id"],
        }
    )
    return show.table(
        table,
        caption=f"Annual mine/ERW casualties, {comparator_name()}, with the evidence tier of each source",
        source=source_line(ch.data.sources, annual["source_id"]),
        note_text="Tier 1 = monitoring report, 2 = official statistics or document, 3 = press report of an official statement, 4 = secondary source.",
    )


def secondary_note(ch: Chapter) -> HTML | None:
    annual = annual_casualties(ch)
    weak = annual[annual["evidence_tier"] >= 4] if not annual.empty else annual
    if weak.empty:
        return None
    sources = ch.data.sources
    parts = [
        f"{y} ({show.format_value(v)}{', derived' if b != 'stated' else ''}): {sources.at[s, 'publisher']} ({s})"
        for y, v, b, s in zip(weak["year"], weak["value"], weak["basis"], weak["source_id"])
    ]
    return show.note(
        "These years rest on a secondary source (tier 4), not on CMAA's own publication, and should be read as indicative: "
        + "; ".join(parts)
        + ".",
        kind="caveat",
    )


def partial_year_reports(ch: Chapter) -> pd.DataFrame:
    cas = usable(_tiered(ch, "casualties"))
    rows = cas[(cas["period_type"] == "partial_year") & (cas["unit"] == "persons") & (cas["population_group"] == "all")]
    if rows.empty:
        return pd.DataFrame()
    out = pd.DataFrame(
        {
            "period": [
                f"{date_label(s)} – {date_label(e, p)}"
                for s, e, p in zip(rows["period_start"], rows["period_end"], rows["date_precision"])
            ],
            "outcome": rows["outcome"],
            "as reported": rows["value_as_reported"],
            "recorded by": rows["recorded_by"],
            "evidence tier": rows["evidence_tier"],
            "other account": [_other_account(n) for n in rows["notes"]],
            "source_id": rows["source_id"],
            "_end": rows["period_end"],
        }
    )
    return out.sort_values(["_end", "period"]).drop(columns="_end").reset_index(drop=True)


def _other_account(notes: str | None) -> str | None:
    """The clause of a curator note that gives another source's version of the same figure."""
    for clause in (notes or "").split(";"):
        if re.search(r"version \(S\d{3}\) says", clause):
            return clause.strip()
    return None


def partial_year_table(ch: Chapter) -> HTML:
    table = partial_year_reports(ch)
    if table.empty:
        return show.missing(f"No part-year casualty reports are available for {comparator_name()}.")
    return show.table(
        table,
        caption=f"Part-year casualty reports, {comparator_name()} (not used in the annual series)",
        source=source_line(ch.data.sources, table["source_id"]),
        note_text="Half-year and year-to-date figures are shown as published; they are not annual totals.",
    )


def partial_year_conflicts(ch: Chapter) -> list[HTML]:
    table = partial_year_reports(ch)
    notes = []
    for _, r in table[table["other account"].notna()].iterrows() if not table.empty else []:
        notes.append(
            show.note(
                f"{r['period']}: {r['recorded by']} ({r['source_id']}) reports '{r['as reported']}'; the same release in another outlet differs — "
                f"{r['other account']}. Both accounts are shown; neither enters the annual series.",
                kind="conflict",
            )
        )
    return notes


# --------------------------------------------------------------------------------------------
# land release per year; cumulative clearance, remaining contamination and the deadline


def land_released(ch: Chapter) -> pd.DataFrame:
    clr = usable(_tiered(ch, "clearance"))
    rows = clr[(clr["measure"] == "area_released") & (clr["period_type"] == "annual")]
    if rows.empty:
        return pd.DataFrame()
    sources = ch.data.sources
    out = pd.DataFrame(
        {
            "year": rows["period_end"].dt.year.astype(int),
            "hectares": to_hectares(rows["value"], rows["unit"]),
            "value_as_reported": rows["value_as_reported"],
            "hazard": rows["item_category_as_reported"],
            "all_hazards": rows["item_category"] == "all",
            "publisher": rows["source_id"].map(sources["publisher"]),
            "obs_id": rows["obs_id"],
            "source_id": rows["source_id"],
        }
    )
    return out.sort_values(["year", "publisher"]).reset_index(drop=True)


def land_released_chart(ch: Chapter) -> HTML:
    released = land_released(ch)
    name = comparator_name()
    if released.empty:
        return show.missing(f"No annual land-release figures are available for {name}.")
    released = in_years(released, ch.params.first_year, ch.params.last_year, "year")
    publishers = list(dict.fromkeys(released.sort_values("year")["publisher"]))[: len(figures.SERIES_COLOURS)]
    width = 0.8 / len(publishers)
    fig, ax = figures.new_figure()
    for i, (publisher, colour) in enumerate(zip(publishers, figures.SERIES_COLOURS)):
        rows = released[released["publisher"] == publisher]
        x = rows["year"] + (i - (len(publishers) - 1) / 2) * width
        bars = ax.bar(x, rows["hectares"], width=width * 0.95, color=colour)
        for bar, full in zip(bars, rows["all_hazards"]):
            if not full:
                bar.set_hatch("///")
                bar.set_facecolor("white")
                bar.set_edgecolor(colour)
        for xi, value, full in zip(x, rows["hectares"], rows["all_hazards"]):
            ax.annotate(
                show.format_value(round(value)) + ("\nmine land only" if not full else ""),
                xy=(xi, value),
                xytext=(0, 3),
                textcoords="offset points",
                ha="center",
                fontsize=9,
                color=figures.PALETTE["text"],
            )
        ids = ", ".join(unique_ids(rows["source_id"]))
        ax.text(
            0.01,
            0.97 - i * 0.06,
            f"■ {publisher} ({ids})",
            transform=ax.transAxes,
            va="top",
            fontsize=11,
            color=colour,
            fontweight="bold",
        )
    figures.thousands(ax)
    ax.set_ylabel("hectares released in the year")
    ax.set_ylim(0, released["hectares"].max() * 1.25)
    years = range(int(released["year"].min()), int(released["year"].max()) + 1)
    ax.set_xticks(list(years))
    peak_year = int(released.loc[released["hectares"].idxmax(), "year"])
    peak = released[released["year"] == peak_year]["hectares"]
    peak_text = (
        f"{show.format_value(round(peak.min()))}–{show.format_value(round(peak.max()))} ha by source"
        if len(peak) > 1
        else f"{show.format_value(round(peak.iloc[0]))} ha"
    )
    title = f"{name}'s land release peaked in {peak_year}: {peak_text}"
    alt = (
        f"Bar chart of land released per year in {name}, {min(years)}–{max(years)}, in hectares, one bar per source: "
        + "; ".join(
            f"{y}: "
            + ", ".join(f"{show.format_value(round(h))} ha ({s})" for h, s in zip(g["hectares"], g["source_id"]))
            for y, g in released.groupby("year")
        )
        + ". Hatched bars cover mine land only."
    )
    data = released.rename(columns={"hectares": "area_released_ha"}).assign(year=lambda f: f["year"].astype(str))
    return ch.chart(
        fig,
        "08_cambodia_land_released",
        title=title,
        subtitle=f"Land released per year (cancelled, reduced or cleared), {name}, {min(years)}–{max(years)}, hectares (converted from km² and m²)",
        source=source_line(ch.data.sources, data["source_id"]),
        alt=alt,
        data=data.reset_index(drop=True),
    )


def land_released_notes(ch: Chapter) -> list[HTML]:
    released = land_released(ch)
    notes = []
    if not released.empty:
        parts = []
        for year, group in released.groupby("year"):
            if group["source_id"].nunique() > 1:
                parts.append(
                    f"{year}: "
                    + " vs ".join(
                        f"{show.format_value(h)} ha ({s})" for h, s in zip(group["hectares"], group["source_id"])
                    )
                )
        if parts:
            notes.append(
                show.note(
                    "Sources differ for the same year: " + "; ".join(parts) + ". Both are shown.",
                    kind="conflict",
                )
            )
    clr = usable(_tiered(ch, "clearance"))
    multi = clr[(clr["measure"] == "area_released") & (clr["period_type"] == "multi_year")]
    for _, r in multi.iterrows():
        ha = to_hectares(pd.Series([r["value"]]), pd.Series([r["unit"]])).iloc[0]
        notes.append(
            show.note(
                f"For {r['period_start'].year}–{r['period_end'].year} as a whole, {r['reported_by']} gives {r['value_as_reported']} "
                f"({r['item_category_as_reported']}), i.e. {show.format_value(ha)} ha (derived) ({r['source_id']}). Annual figures after "
                f"{released['year'].max() if not released.empty else r['period_end'].year} are not in the data.",
                kind="info",
            )
        )
    return notes


def cleared_and_remaining(ch: Chapter) -> pd.DataFrame:
    """Cumulative area cleared and remaining contamination over time, in hectares (derived
    conversion); the remaining mine + other-hazard parts of one statement are summed (derived)."""
    clr = usable(_tiered(ch, "clearance"))
    cleared = clr[(clr["measure"] == "area_cleared") & (clr["period_type"] == "cumulative")]
    rows = [
        {
            "date": r["period_end"],
            "series": "cleared (cumulative)",
            "hectares": h,
            "qualifier": r["qualifier"],
            "basis": "stated",
            "since": r["period_start"].year if pd.notna(r["period_start"]) else None,
            "value_as_reported": r["value_as_reported"],
            "obs_id": r["obs_id"],
            "source_id": r["source_id"],
        }
        for (_, r), h in zip(cleared.iterrows(), to_hectares(cleared["value"], cleared["unit"]))
    ]
    targets = usable(_tiered(ch, "contamination_targets"))
    remaining = targets[targets["indicator"] == REMAINING]
    for (_, r), h in zip(remaining.iterrows(), to_hectares(remaining["value"], remaining["unit"])):
        rows.append(
            {
                "date": r["reference_date"],
                "series": "remaining contamination",
                "hectares": h,
                "qualifier": r["qualifier"],
                "basis": "stated",
                "since": None,
                "value_as_reported": r["value_as_reported"],
                "obs_id": r["obs_id"],
                "source_id": r["source_id"],
            }
        )
    parts = targets[targets["indicator"].isin(REMAINING_PARTS)]
    for (sid, date), group in parts.groupby(["source_id", "reference_date"]):
        if set(group["indicator"]) != set(REMAINING_PARTS):
            continue
        rows.append(
            {
                "date": date,
                "series": "remaining contamination",
                "hectares": to_hectares(group["value"], group["unit"]).sum(),
                "qualifier": "exact" if (group["qualifier"] == "exact").all() else "approximate",
                "basis": "derived: mines + cluster munitions/ERW",
                "since": None,
                "value_as_reported": " + ".join(group["value_as_reported"]),
                "obs_id": ";".join(group["obs_id"]),
                "source_id": sid,
            }
        )
    if not rows:
        return pd.DataFrame()
    return pd.DataFrame(rows).sort_values(["series", "date"]).reset_index(drop=True)


def deadlines(ch: Chapter) -> pd.DataFrame:
    targets = usable(_tiered(ch, "contamination_targets"))
    return targets[targets["indicator"] == DEADLINE].sort_values(["reference_date", "obs_id"]).reset_index(drop=True)


def _deadline_date(row: pd.Series) -> pd.Timestamp:
    """The deadline as a date: from the wording as printed, else the end of the stated year."""
    parsed = pd.to_datetime(row["value_as_reported"], errors="coerce")
    return parsed if pd.notna(parsed) else pd.Timestamp(year=int(row["value"]), month=12, day=31)


def cleared_chart(ch: Chapter) -> HTML:
    points = cleared_and_remaining(ch)
    name = comparator_name()
    if points.empty:
        return show.missing(f"No cumulative clearance or remaining-contamination figures are available for {name}.")
    points = in_years(points, ch.params.first_year, ch.params.last_year, "date")
    fig, ax = figures.new_figure()
    colours = {
        "cleared (cumulative)": figures.PALETTE["primary"],
        "remaining contamination": figures.PALETTE["secondary"],
    }
    for series, colour in colours.items():
        rows = points[points["series"] == series].sort_values("date")
        if rows.empty:
            continue
        ax.plot(rows["date"], rows["hectares"], color=colour)
        solid = rows[(rows["basis"] == "stated") & (rows["qualifier"] == "exact")]
        hollow = rows.drop(solid.index)
        ax.scatter(solid["date"], solid["hectares"], color=colour, s=44, zorder=3)
        ax.scatter(
            hollow["date"],
            hollow["hectares"],
            facecolors="white",
            edgecolors=colour,
            linewidths=2,
            s=52,
            zorder=3,
        )
        above = series.startswith("remaining")
        for d, h, q in zip(rows["date"].iloc[:-1], rows["hectares"].iloc[:-1], rows["qualifier"].iloc[:-1]):
            ax.annotate(
                qualified(h, q, "ha"),
                xy=(d, h),
                xytext=(0, 9) if above else (7, -7),
                textcoords="offset points",
                ha="center" if above else "left",
                va="bottom" if above else "top",
                fontsize=9,
                color=colour,
            )
        end = rows.iloc[-1]
        figures.label_line_end(
            ax,
            end["date"],
            end["hectares"],
            f"{series}: {qualified(end['hectares'], end['qualifier'], 'ha')}",
            colour,
        )
    dl = deadlines(ch)
    deadline_text = ""
    if not dl.empty:
        current = dl.iloc[-1]
        when = _deadline_date(current)
        ax.axvline(when, color=figures.PALETTE["accent"], linestyle="--", linewidth=2)
        ax.annotate(
            f"Article 5 deadline:\n{current['value_as_reported']}",
            xy=(when, 0.5),
            xycoords=("data", "axes fraction"),
            xytext=(-8, 0),
            textcoords="offset points",
            ha="right",
            fontsize=11,
            fontweight="bold",
            color=figures.PALETTE["accent"],
        )
        deadline_text = f" A dashed line marks the Article 5 deadline, {current['value_as_reported']}."
        right = max(when, points["date"].max()) + pd.Timedelta(days=200)
    else:
        right = points["date"].max() + pd.Timedelta(days=900)
    ax.set_xlim(points["date"].min() - pd.Timedelta(days=200), right)
    ax.set_ylim(0, points["hectares"].max() * 1.2)
    figures.thousands(ax)
    ax.set_ylabel("hectares")
    ax.xaxis.set_major_locator(mdates.YearLocator())
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%Y"))
    ax.text(
        0.01,
        0.97,
        "Hollow: 'about' figures, or mine + cluster munition/ERW parts summed (derived)",
        transform=ax.transAxes,
        va="top",
        fontsize=10,
        color=figures.PALETTE["text"],
    )
    cl = points[points["series"] == "cleared (cumulative)"].sort_values("date")
    rem = points[points["series"] == "remaining contamination"].sort_values("date")
    parts = []
    if not cl.empty:
        c = cl.iloc[-1]
        parts.append(f"{qualified(c['hectares'], c['qualifier'], 'ha')} cleared by {date_label(c['date'], 'month')}")
    if not rem.empty:
        r = rem.iloc[-1]
        parts.append(f"{qualified(r['hectares'], r['qualifier'], 'ha')} left in {date_label(r['date'], 'month')}")
    title = f"{name}: " + ", ".join(parts)
    alt = (
        f"Line chart of {name}'s cumulative area cleared and remaining contaminated area, in hectares, "
        + (
            f"cleared rising from {qualified(cl.iloc[0]['hectares'], cl.iloc[0]['qualifier'], 'ha')} ({date_label(cl.iloc[0]['date'])}) to {qualified(cl.iloc[-1]['hectares'], cl.iloc[-1]['qualifier'], 'ha')} ({date_label(cl.iloc[-1]['date'])})"
            if not cl.empty
            else ""
        )
        + (
            f"; remaining going from {qualified(rem.iloc[0]['hectares'], rem.iloc[0]['qualifier'], 'ha')} ({date_label(rem.iloc[0]['date'], 'month')}) to {qualified(rem.iloc[-1]['hectares'], rem.iloc[-1]['qualifier'], 'ha')} ({date_label(rem.iloc[-1]['date'], 'month')})"
            if not rem.empty
            else ""
        )
        + f".{deadline_text}"
    )
    data = points.rename(columns={"hectares": "area_ha", "since": "counted_since"}).assign(
        counted_since=lambda f: [f"since {int(v)}" if pd.notna(v) else None for v in f["counted_since"]]
    )
    ids = list(data["source_id"]) + (list(dl["source_id"].iloc[-1:]) if not dl.empty else [])
    return ch.chart(
        fig,
        "08_cambodia_cleared_and_remaining",
        title=title,
        subtitle=f"Cumulative area cleared and remaining contaminated area, {name}, hectares (converted from km²), with the Article 5 deadline",
        source=source_line(ch.data.sources, ids),
        alt=alt,
        data=data.reset_index(drop=True),
    )


def cleared_table(ch: Chapter) -> HTML:
    points = cleared_and_remaining(ch)
    if points.empty:
        return show.missing(
            f"No cumulative clearance or remaining-contamination figures are available for {comparator_name()}."
        )
    table = pd.DataFrame(
        {
            "as of": points["date"],
            "measure": points["series"],
            "as reported": points["value_as_reported"],
            "hectares (derived)": [qualified(h, q, "ha") for h, q in zip(points["hectares"], points["qualifier"])],
            "counted since": [f"{int(s)}" if pd.notna(s) else None for s in points["since"]],
            "basis": points["basis"],
            "source_id": points["source_id"],
        }
    )
    return show.table(
        table,
        caption=f"Cumulative area cleared and remaining contamination, {comparator_name()}",
        source=source_line(ch.data.sources, points["source_id"]),
        note_text="1 km² = 100 ha. Cumulative totals count from different start years (or an unstated one) and are not differenced into annual figures.",
    )


def deadline_table(ch: Chapter) -> HTML:
    dl = deadlines(ch)
    if dl.empty:
        return show.missing(f"No Article 5 deadline is recorded for {comparator_name()}.")
    table = pd.DataFrame(
        {
            "deadline": dl["value_as_reported"],
            "set or extended": [date_label(d, p) for d, p in zip(dl["reference_date"], dl["date_precision"])],
            "stated by": dl["stated_by"],
            "source_id": dl["source_id"],
        }
    )
    return show.table(
        table,
        caption=f"Article 5 (Mine Ban Treaty) clearance deadlines, {comparator_name()}",
        source=source_line(ch.data.sources, dl["source_id"]),
        note_text="Each extension replaced the previous deadline; the last row is the one in force.",
    )


def clearance_finding(ch: Chapter) -> Finding | None:
    points = cleared_and_remaining(ch)
    if points.empty:
        return None
    ids = []
    parts = []
    cl = points[points["series"] == "cleared (cumulative)"].sort_values("date")
    rem = points[(points["series"] == "remaining contamination") & (points["basis"] == "stated")].sort_values("date")
    if not cl.empty:
        c = cl.iloc[-1]
        parts.append(
            f"{comparator_name()} had cleared {qualified(c['hectares'], c['qualifier'], 'ha')} ({c['value_as_reported']}) by {date_label(c['date'])}"
        )
        ids.append(c["source_id"])
    if not rem.empty:
        r = rem.iloc[-1]
        parts.append(
            f"{qualified(r['hectares'], r['qualifier'], 'ha')} ({r['value_as_reported']}) were still contaminated in {date_label(r['date'], 'month')}"
        )
        ids.append(r["source_id"])
    dl = deadlines(ch)
    text = "; ".join(parts)
    if not dl.empty:
        text += f"; its Article 5 deadline is now {dl.iloc[-1]['value_as_reported']}"
        ids.append(dl.iloc[-1]["source_id"])
    return Finding(text + " (hectares derived from km²).", unique_ids(ids))


# --------------------------------------------------------------------------------------------
# the focus country and Cambodia side by side


def latest_annual_total(ch: Chapter, iso3: str) -> pd.Series | None:
    cas = usable(with_tiers(ch.data.table("casualties"), ch.data.sources))
    rows = cas[
        (cas["iso3"] == iso3)
        & (cas["period_type"] == "annual")
        & (cas["unit"] == "persons")
        & (cas["outcome"] == "total")
        & (cas["population_group"] == "all")
    ]
    if rows.empty:
        return None
    rows = rows.assign(year=rows["period_end"].dt.year)
    chosen, _ = pick_preferred(rows, ["year"])
    return chosen.sort_values("year").iloc[-1]


def latest_cumulative_area(ch: Chapter, iso3: str) -> pd.Series | None:
    clr = usable(ch.data.table("clearance"))
    rows = clr[(clr["iso3"] == iso3) & (clr["measure"] == "area_cleared") & (clr["period_type"] == "cumulative")]
    row = latest(rows)
    if row is None:
        return None
    row = row.copy()
    row["hectares"] = to_hectares(pd.Series([row["value"]]), pd.Series([row["unit"]])).iloc[0]
    return row


def comparison_rows(ch: Chapter, iso3: str) -> dict[str, tuple[str | None, str | None, str | None]]:
    """measure -> (value text, as-of text, source ids) for one country."""
    out: dict[str, tuple[str | None, str | None, str | None]] = {}
    total = latest_annual_total(ch, iso3)
    if total is not None:
        year = int(total["year"])
        out["Mine/ERW casualties, latest year with an annual total"] = (
            f"{qualified(total['value'], total['qualifier'])} ({plain_words(total['recorder'])})",
            str(year),
            total["source_id"],
        )
        pop = casualties.denominators(ch, iso3)
        pop = pop[pop["year"] == year]
        if not pop.empty:
            p = pop.iloc[0]
            rate = rate_per_100k(pd.Series([total["value"]]), pd.Series([p["value"]])).iloc[0]
            out["Casualties per 100,000 population (derived)"] = (
                f"{casualties.rate_text(rate)} (population {show.format_value(p['value'])}, World Bank mid-year)",
                str(year),
                f"{total['source_id']};{p['source_id']}",
            )
    area = latest_cumulative_area(ch, iso3)
    if area is not None:
        scope = SCOPE_WORDS.get(area["programme_scope"], area["programme_scope"])
        out["Area cleared, cumulative (latest figure)"] = (
            f"{qualified(area['hectares'], area['qualifier'], 'ha')} ({scope}; as reported: {area['value_as_reported']})",
            date_label(area["period_end"], area["date_precision"]),
            area["source_id"],
        )
    return out


def side_by_side(ch: Chapter) -> HTML:
    if ch.country == COMPARATOR:
        return show.missing(
            f"{comparator_name()} is the report's focus country in this run, so there is no other country to set beside it."
        )
    focus, other = ch.country_name, comparator_name()
    a, b = comparison_rows(ch, ch.country), comparison_rows(ch, COMPARATOR)
    measures = list(dict.fromkeys(list(a) + list(b)))
    if not measures:
        return show.missing(f"No comparable figures are available for {focus} and {other}.")
    empty = (None, None, None)
    table = pd.DataFrame(
        [
            {
                "measure": m,
                focus: a.get(m, empty)[0],
                f"{focus}: year/as of": a.get(m, empty)[1],
                f"{focus}: sources": a.get(m, empty)[2],
                other: b.get(m, empty)[0],
                f"{other}: year/as of": b.get(m, empty)[1],
                f"{other}: sources": b.get(m, empty)[2],
            }
            for m in measures
        ]
    )
    ids = [s for row in list(a.values()) + list(b.values()) for s in (row[2] or "").split(";")]
    return show.table(
        table,
        caption=f"{focus} and {other} side by side: latest comparable figures",
        source=source_line(ch.data.sources, ids),
        note_text="Rates per 100,000 are derived: count / World Bank mid-year population × 100,000. Areas converted to hectares (derived).",
        source_columns=(f"{focus}: sources", f"{other}: sources"),
    )


def side_by_side_caveat(ch: Chapter) -> HTML | None:
    if ch.country == COMPARATOR:
        return None
    parts = []
    for iso3 in (ch.country, COMPARATOR):
        total = latest_annual_total(ch, iso3)
        area = latest_cumulative_area(ch, iso3)
        bits = []
        if total is not None:
            recorded = total["recorded_by"] if isinstance(total["recorded_by"], str) else total["recorder"]
            scope = total["scope"] if isinstance(total["scope"], str) else total["programme_scope"]
            bits.append(f"the casualty count is stated by {recorded} (scope: {scope})")
        if area is not None:
            since = (
                f"counted from {area['period_start'].year}"
                if pd.notna(area["period_start"])
                else "start year not stated"
            )
            operators = area["operator_scope"] if isinstance(area["operator_scope"], str) else "operators not stated"
            bits.append(
                f"the cleared area refers to: {SCOPE_WORDS.get(area['programme_scope'], area['programme_scope'])} ({operators}; {since})"
            )
        if bits:
            parts.append(f"For {_country_name(iso3)}, " + " and ".join(bits) + ".")
    return show.note(
        "These figures are not like for like: geographies, recording systems and definitions differ. "
        + " ".join(parts)
        + " The table shows orders of magnitude, not relative performance.",
        kind="caveat",
    )


# --------------------------------------------------------------------------------------------


def findings(ch: Chapter) -> list[Finding]:
    return [f for f in (ceiling_finding(ch), trend_finding(ch), clearance_finding(ch)) if f is not None]
