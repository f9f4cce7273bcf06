"""Chapter 4: clearance and land release.

Four views, each country-generic:

(a) cumulative totals of the national programme before November 2020 (kept apart from every
    later total; national-scope statements are separate points, never added);
(b) cumulative items destroyed by type (AP mine, AT mine, UXO) in the focus geography, with the
    precise series as lines, rounded press figures as distinct points and flagged figures as
    hollow points listed in an "inconsistent points" table; per-period increments (derived);
(c) area cleared or released by year, in hectares, with partial-scope figures marked;
(d) cumulative area cleared against the official area target, where one exists.

The focus geography is the post-November-2020 regained territories where the country has such
rows (Azerbaijan), otherwise the whole country.
"""

from __future__ import annotations

from collections.abc import Iterable

import matplotlib.dates as mdates
import numpy as np
import pandas as pd
from IPython.display import HTML
from matplotlib.font_manager import FontProperties
from matplotlib.lines import Line2D
from matplotlib.textpath import TextToPath

from demining_sdg.analysis.common import (
    date_label,
    in_years,
    latest,
    month_label,
    plain,
    plain_words,
    qualified,
    source_line,
    specific_to,
    unique_ids,
    usable,
    with_tiers,
)
from demining_sdg.derive.rules import increments_from_cumulative, pick_preferred, to_hectares
from demining_sdg.present import figures, show
from demining_sdg.present.chapter import Chapter
from demining_sdg.present.show import Finding

PRE = "pre_2020_programme"
POST = "post_2020_regained_territories"
NATIONAL = "national"
SCOPE_LABELS = {
    PRE: "national programme before Nov 2020 (areas under government control)",
    POST: "regained territories since 10 Nov 2020",
    NATIONAL: "whole country",
}
SCOPE_SHORT = {PRE: "Pre-2020 programme", POST: "Regained territories", NATIONAL: "Whole country"}
ITEM_TYPES = ("AP_mine", "AT_mine", "UXO")
TYPE_LABELS = {"AP_mine": "AP mines", "AT_mine": "AT mines", "UXO": "UXO", "mine": "mines", "all": "mines and UXO"}
HAZARD_LABELS = {
    "AP_mine": "AP mined area",
    "AT_mine": "AT mined area",
    "UXO": "UXO land",
    "mine": "mined land",
    "all": "all hazards",
}
MEASURE_LABELS = {
    "items_destroyed": "items destroyed",
    "area_cleared": "cleared",
    "area_reduced": "reduced (technical survey)",
    "area_cancelled": "cancelled (non-technical survey)",
    "area_released": "released",
    "area_cleared_and_reduced": "cleared and reduced",
    "area_cancelled_or_reduced": "cancelled or reduced",
    "area_inspected": "inspected",
}
ANNUAL_AREA_MEASURES = ("area_cleared", "area_released")
RELEASE_METHOD_MEASURES = (
    "area_cleared",
    "area_reduced",
    "area_cancelled",
    "area_cancelled_or_reduced",
    "area_cleared_and_reduced",
    "area_released",
)
IMAS_TERMS = ("land release", "cancelled land", "reduced land", "cleared land")
AREA_UNITS = ("ha", "km2", "m2")

# How a point is drawn: the series (filled circle), a rounded figure (filled diamond), a point
# outside the series (hollow circle: quality flag, or one operator only).
KIND_PRECISE, KIND_ROUNDED, KIND_OFF = "precise", "rounded", "not in series"
KIND_LEGEND = {
    KIND_PRECISE: "precise figure (in series)",
    KIND_ROUNDED: "rounded figure ('about', 'over', 'nearly')",
    KIND_OFF: "flagged or one operator only (not in series)",
}


# ---------------------------------------------------------------------------------------------
# Data selection
# ---------------------------------------------------------------------------------------------


def clearance_rows(ch: Chapter) -> pd.DataFrame:
    """The country's clearance rows with hectares (areas only) and evidence tiers."""
    frame = ch.data.table("clearance")
    frame = frame[frame["iso3"] == ch.country].copy()
    frame["hectares"] = to_hectares(frame["value"], frame["unit"])
    return with_tiers(frame, ch.data.sources)


def focus_scope(rows: pd.DataFrame) -> str:
    """Regained territories where the country has such rows, otherwise the whole country."""
    return POST if (rows["programme_scope"] == POST).any() else NATIONAL


def all_operators(frame: pd.DataFrame) -> pd.Series:
    """True where the figure covers all operators or does not name one operator."""
    scope = frame["operator_scope"]
    return scope.isna() | scope.fillna("").str.startswith("all operators")


def point_kind(frame: pd.DataFrame) -> pd.Series:
    """precise / rounded / not in series (quality flag, or a single-operator figure where the
    same frame has all-operator figures)."""
    strict = frame["operator_scope"].fillna("").str.startswith("all operators").any()
    off = frame["quality_flag"].notna() | (~all_operators(frame) if strict else False)
    rounded = frame["qualifier"] != "exact"
    return pd.Series(np.where(off, KIND_OFF, np.where(rounded, KIND_ROUNDED, KIND_PRECISE)), index=frame.index)


def _joined_ids(values: Iterable[str]) -> str:
    """The ids in one 'S001;S002' cell (first-seen order, no repeats)."""
    return ";".join(unique_ids(values))


def _text(value: object) -> str | None:
    """A string cell, or None for empty/NaN."""
    return value if isinstance(value, str) and value else None


def _upper_first(text: str) -> str:
    return text[:1].upper() + text[1:]


TITLE_WIDTH_PT = 860  # the title line runs from 2% of a 12.8 in figure; keep a margin


def fit_title(*candidates: str) -> str:
    """The first candidate title that fits on one line of the house title, else the shortest."""
    font = FontProperties(family="DejaVu Sans", size=figures.TITLE_SIZE, weight="bold")
    measure = TextToPath()
    for text in candidates:
        width, _, _ = measure.get_text_width_height_descent(text, font, ismath=False)
        if width <= TITLE_WIDTH_PT:
            return text
    return min(candidates, key=len)


# ---------------------------------------------------------------------------------------------
# IMAS terms and land release by method
# ---------------------------------------------------------------------------------------------


def imas_terms(ch: Chapter) -> HTML:
    """Glossary rows for land release, cancelled, reduced and cleared land."""
    glossary = ch.data.table("glossary")
    rows = glossary[glossary["term"].isin(IMAS_TERMS)][["term", "definition", "source_note"]]
    if rows.empty:
        return show.missing("The glossary has no entries for the land release terms.")
    rows = rows.set_index("term").loc[[t for t in IMAS_TERMS if t in set(rows["term"])]].reset_index()
    return show.table(
        rows.rename(columns={"source_note": "basis"}),
        caption="Land release terms used in this chapter (IMAS)",
        source="Project glossary (glossary.csv), following IMAS 04.10 and Landmine Monitor usage",
    )


def release_by_method(ch: Chapter) -> pd.DataFrame:
    """Annual rows where one source gives at least two land release methods for one year."""
    rows = clearance_rows(ch)
    rows = rows[(rows["period_type"] == "annual") & rows["measure"].isin(RELEASE_METHOD_MEASURES)].copy()
    rows["year"] = rows["period_end"].dt.year
    counts = rows.groupby(["year", "source_id"])["measure"].transform("nunique")
    rows = rows[counts >= 2].sort_values(["year", "source_id", "measure", "item_category"])
    return pd.DataFrame(
        {
            "year": rows["year"].astype("Int64").astype(str),
            "method": rows["measure"].map(MEASURE_LABELS),
            "hazard": rows["item_category"].map(HAZARD_LABELS),
            "as reported": rows["value_as_reported"],
            "area (ha)": rows["hectares"],
            "quality flag": plain(rows["quality_flag"]),
            "source_id": rows["source_id"],
        }
    ).reset_index(drop=True)


def release_by_method_table(ch: Chapter) -> HTML:
    table = release_by_method(ch)
    if table.empty:
        return show.missing(
            f"No source splits land release by method (cleared, reduced, cancelled) for {ch.country_name}."
        )
    sources = ch.data.sources
    return show.table(
        table,
        caption=f"Land release by method where one source gives several methods for a year, {ch.country_name}",
        source=source_line(sources, table["source_id"]),
        note_text="Areas converted to hectares (1 km² = 100 ha, 1 ha = 10,000 m²; derived). Cleared, reduced and "
        "cancelled land are different outcomes of land release and are not interchangeable.",
    )


# ---------------------------------------------------------------------------------------------
# (a) Before November 2020
# ---------------------------------------------------------------------------------------------


def pre_2020_cumulative(ch: Chapter) -> pd.DataFrame:
    """Cumulative items (all types) and areas of the pre-2020 programme and national-scope
    statements, every row (undated and flagged included). Empty if the country has no
    pre-2020 programme rows."""
    rows = clearance_rows(ch)
    rows = rows[(rows["period_type"] == "cumulative") & rows["programme_scope"].isin([PRE, NATIONAL])]
    if not (rows["programme_scope"] == PRE).any():
        return rows.iloc[0:0].assign(kind=pd.Series(dtype="object"))
    items = rows[(rows["measure"] == "items_destroyed") & (rows["item_category"] == "all")]
    areas = rows[rows["measure"].isin(["area_cleared", "area_released"])]
    both = pd.concat([items, areas])
    both = both.assign(kind=point_kind(both))
    return both.sort_values(["measure", "programme_scope", "period_end"], na_position="last")


def pre_2020_table(ch: Chapter) -> HTML | None:
    """The table behind the pre-2020 chart; nothing when there are no pre-2020 rows (the chart
    already says so)."""
    rows = pre_2020_cumulative(ch)
    if rows.empty:
        return None
    table = pd.DataFrame(
        {
            "geography": rows["programme_scope"].map(SCOPE_SHORT),
            "as of": [date_label(d, p) for d, p in zip(rows["period_end"], rows["date_precision"])],
            "measure": rows["measure"].map(MEASURE_LABELS),
            "as reported": rows["value_as_reported"],
            "items": rows["value"].where(rows["measure"] == "items_destroyed"),
            "area (ha)": rows["hectares"],
            "quality flag": plain(rows["quality_flag"]),
            "source_id": rows["source_id"],
        }
    )
    return show.table(
        table,
        caption=f"Cumulative totals before November 2020 and whole-country statements, {ch.country_name}",
        source=source_line(ch.data.sources, table["source_id"]),
        note_text="Whole-country statements (UNDP, later ANAMA) are a different scope from the pre-2020 programme "
        "series and from the regained territories; none of these totals are added together. Undated and flagged "
        "rows are listed but not charted as part of the series. Hectares derived from m² (1 ha = 10,000 m²).",
    )


def pre_2020_chart(ch: Chapter) -> HTML:
    rows = pre_2020_cumulative(ch)
    if rows.empty:
        everyone = ch.data.table("clearance")
        owners = everyone.loc[everyone["programme_scope"] == PRE, "iso3"]
        if len(owners) and ch.country not in set(owners):
            return show.missing(
                specific_to(
                    ch,
                    owners,
                    "the national programme before the November 2020 ceasefire, kept apart from the regained territories",
                )
            )
        return show.missing(f"No separate pre-November-2020 programme series exists for {ch.country_name} in the data.")
    rows = in_years(rows.dropna(subset=["period_end"]), ch.params.first_year, ch.params.last_year)
    items = rows[rows["measure"] == "items_destroyed"]
    areas = rows[rows["measure"] == "area_cleared"]
    series_items = usable(items[items["programme_scope"] == PRE])
    series_areas = usable(areas[areas["programme_scope"] == PRE])
    if len(series_items) < 2 and len(series_areas) < 2:
        return show.missing(
            f"No pre-November-2020 programme series with two or more dated points exists for {ch.country_name}."
        )
    sources = ch.data.sources
    plotted = pd.concat([items, areas])
    with figures.house_style():
        fig, (ax_items, ax_area) = figures.new_figure(1, 2)
        fig.subplots_adjust(left=0.1, wspace=0.28)
        for ax, frame, column, ylabel in (
            (ax_items, items, "value", "mines and UXO destroyed (count)"),
            (ax_area, areas, "hectares", "area cleared (ha)"),
        ):
            _scope_points(ax, frame, column)
            ax.set_ylabel(ylabel)
            figures.thousands(ax)
            ax.set_ylim(bottom=0)
            ax.xaxis.set_major_locator(mdates.YearLocator(2))
            ax.xaxis.set_major_formatter(mdates.DateFormatter("%Y"))
        handles = [
            Line2D([], [], color=figures.PALETTE["primary"], marker="o", label="pre-2020 programme (ANAMA series)"),
            Line2D(
                [],
                [],
                color=figures.PALETTE["secondary"],
                marker="s",
                linestyle="",
                label="whole-country statement (other scope)",
            ),
            Line2D([], [], color=figures.PALETTE["text"], marker="D", linestyle="", label="rounded figure"),
            Line2D(
                [],
                [],
                color=figures.PALETTE["text"],
                marker="o",
                markerfacecolor="white",
                linestyle="",
                label="flagged (not in series)",
            ),
        ]
        ax_items.legend(handles=handles, loc="lower right", fontsize=10)
    last_items, last_area = latest(series_items), latest(series_areas)
    parts = []
    if last_items is not None:
        parts.append(f"{qualified(last_items['value'], last_items['qualifier'])} items destroyed")
    if last_area is not None:
        parts.append(f"{qualified(last_area['hectares'], last_area['qualifier'], 'ha')} cleared")
    when = month_label(max(r["period_end"] for r in (last_items, last_area) if r is not None))
    title = fit_title(
        f"Pre-2020 programme: {' and '.join(parts)} by {when}",
        f"Pre-2020 programme: {', '.join(parts)} by {when}",
        f"Before Nov 2020: {', '.join(parts)} by {when}",
        f"Pre-2020: {', '.join(parts)} by {when}",
        f"Pre-2020 programme: {parts[0]} by {when}",
    )
    first = series_items.sort_values("period_end").iloc[0] if len(series_items) else None
    alt = "Two-panel chart of cumulative totals of the pre-November-2020 national programme: "
    if first is not None and last_items is not None:
        alt += (
            f"mines and UXO destroyed rise from {qualified(first['value'], first['qualifier'])} in "
            f"{month_label(first['period_end'])} to {qualified(last_items['value'], last_items['qualifier'])} in "
            f"{month_label(last_items['period_end'])}; "
        )
    if last_area is not None:
        alt += f"area cleared reaches {qualified(last_area['hectares'], last_area['qualifier'], 'ha')} by {month_label(last_area['period_end'])}. "
    alt += "Whole-country statements are separate points, not part of the series."
    data = pd.DataFrame(
        {
            "date": plotted["period_end"].dt.strftime("%Y-%m-%d"),
            "geography": plotted["programme_scope"],
            "measure": plotted["measure"],
            "items_count": plotted["value"].where(plotted["measure"] == "items_destroyed"),
            "area_ha": plotted["hectares"],
            "qualifier": plotted["qualifier"],
            "point": plotted["kind"],
            "quality_flag": plotted["quality_flag"],
            "source_id": plotted["source_id"],
        }
    )
    return ch.chart(
        fig,
        "04_pre_2020_cumulative",
        title=title,
        subtitle=f"Cumulative mines and UXO destroyed and area cleared, {ch.country_name}, areas under government control before Nov 2020",
        source=source_line(sources, plotted["source_id"]),
        alt=alt,
        data=data,
    )


def _scope_points(ax, frame: pd.DataFrame, column: str) -> None:
    pre = frame[frame["programme_scope"] == PRE].sort_values("period_end")
    series = pre[pre["kind"] != KIND_OFF]
    ax.plot(series["period_end"], series[column], color=figures.PALETTE["primary"], zorder=2)
    _markers(ax, pre, column, figures.PALETTE["primary"])
    national = frame[frame["programme_scope"] == NATIONAL]
    for _, row in national.iterrows():
        hollow = row["kind"] == KIND_OFF
        ax.plot(
            row["period_end"],
            row[column],
            marker="s",
            linestyle="",
            markersize=8,
            color=figures.PALETTE["secondary"],
            markerfacecolor="white" if hollow else figures.PALETTE["secondary"],
            zorder=3,
        )
        ax.annotate(
            qualified(row[column], row["qualifier"]),
            (row["period_end"], row[column]),
            xytext=(0, 8),
            textcoords="offset points",
            ha="center",
            fontsize=9,
            color=figures.PALETTE["secondary"],
        )
    if len(series):
        last = series.iloc[-1]
        ax.annotate(
            qualified(last[column], last["qualifier"]),
            (last["period_end"], last[column]),
            xytext=(0, -16),
            textcoords="offset points",
            ha="center",
            fontsize=10,
            fontweight="bold",
            color=figures.PALETTE["primary"],
        )


def _markers(ax, frame: pd.DataFrame, column: str, colour: str, size: float = 7) -> None:
    for kind, marker, face in ((KIND_PRECISE, "o", colour), (KIND_ROUNDED, "D", colour), (KIND_OFF, "o", "white")):
        part = frame[frame["kind"] == kind]
        if len(part):
            ax.plot(
                part["period_end"],
                part[column],
                linestyle="",
                marker=marker,
                markersize=size + (1 if kind == KIND_OFF else 0),
                color=colour,
                markerfacecolor=face,
                markeredgewidth=1.6,
                zorder=3,
            )


# ---------------------------------------------------------------------------------------------
# (b) Items destroyed by type
# ---------------------------------------------------------------------------------------------


def items_by_type(ch: Chapter) -> pd.DataFrame:
    """Cumulative items destroyed by type (AP/AT/UXO) in the focus geography, every row
    (undated and flagged included), with ``kind``."""
    rows = clearance_rows(ch)
    scope = focus_scope(rows)
    rows = rows[
        (rows["period_type"] == "cumulative")
        & (rows["programme_scope"] == scope)
        & (rows["measure"] == "items_destroyed")
        & rows["item_category"].isin(ITEM_TYPES)
    ]
    rows = rows.assign(kind=point_kind(rows))
    return rows.sort_values(["item_category", "period_end", "obs_id"], na_position="last")


def precise_series(items: pd.DataFrame) -> pd.DataFrame:
    """The precise points: exact, unflagged, all operators, dated."""
    return items[(items["kind"] == KIND_PRECISE) & items["period_end"].notna()]


def latest_by_type(items: pd.DataFrame) -> pd.DataFrame:
    """The precise points of the latest date on which at least two item types are given."""
    series = precise_series(items)
    counts = series.groupby("period_end")["item_category"].nunique()
    dates = counts[counts >= 2].index
    if len(dates) == 0:
        return series.iloc[0:0]
    return series[series["period_end"] == dates.max()].sort_values("item_category")


def items_chart(ch: Chapter) -> HTML:
    items = in_years(items_by_type(ch).dropna(subset=["period_end"]), ch.params.first_year, ch.params.last_year)
    series = precise_series(items)
    scope = focus_scope(clearance_rows(ch))
    if series.empty or series.groupby("item_category").size().max() < 2:
        return show.missing(
            f"No cumulative series of items destroyed by type (AP mine, AT mine, UXO) with two or more dated points exists for {ch.country_name}."
        )
    colours = dict(zip(ITEM_TYPES, figures.SERIES_COLOURS))
    with figures.house_style():
        fig, ax = figures.new_figure()
        fig.subplots_adjust(right=0.86)
        for category in ITEM_TYPES:
            points = items[items["item_category"] == category]
            line = series[series["item_category"] == category].sort_values("period_end")
            if points.empty:
                continue
            colour = colours[category]
            ax.plot(line["period_end"], line["value"], color=colour, zorder=2)
            _markers(ax, points, "value", colour)
            if len(line):
                last = line.iloc[-1]
                figures.label_line_end(
                    ax, last["period_end"], last["value"], f"{TYPE_LABELS[category]} {qualified(last['value'])}", colour
                )
        last_series_date = series["period_end"].max()
        for _, row in items[items["kind"] != KIND_PRECISE].iterrows():
            if row["kind"] == KIND_ROUNDED:
                offset, ha, va = (0, -13), "center", "top"
            elif row["period_end"] > last_series_date:
                offset, ha, va = (-9, 0), "right", "center"
            else:
                offset, ha, va = (9, 0), "left", "center"
            ax.annotate(
                _point_label(row),
                (row["period_end"], row["value"]),
                xytext=offset,
                textcoords="offset points",
                ha=ha,
                va=va,
                fontsize=9,
                color=colours[row["item_category"]],
            )
        ax.set_ylabel("items destroyed, cumulative (count)")
        ax.set_ylim(bottom=0)
        figures.thousands(ax)
        ax.xaxis.set_major_locator(mdates.MonthLocator(bymonth=(1, 7)))
        ax.xaxis.set_major_formatter(mdates.DateFormatter("%b %Y"))
        ax.legend(handles=_kind_handles(), loc="upper left", fontsize=10)
    last = latest_by_type(items)
    parts = [
        f"{qualified(r['value'])} {TYPE_LABELS[r['item_category']]}"
        for _, r in last.sort_values("value", ascending=False).iterrows()
    ]
    when = month_label(last["period_end"].max()) if len(last) else ""
    title = (
        fit_title(
            f"{SCOPE_SHORT[scope]}: {', '.join(parts)} destroyed by {when}",
            f"By {when}: {', '.join(parts)} destroyed",
            f"By {when}: {', '.join(parts)}",
        )
        if len(last)
        else f"{SCOPE_SHORT[scope]}: items destroyed by type"
    )
    alt_parts = []
    for category in ITEM_TYPES:
        line = series[series["item_category"] == category].sort_values("period_end")
        if len(line) >= 2:
            alt_parts.append(
                f"{TYPE_LABELS[category]} from {qualified(line.iloc[0]['value'])} ({month_label(line.iloc[0]['period_end'])}) "
                f"to {qualified(line.iloc[-1]['value'])} ({month_label(line.iloc[-1]['period_end'])})"
            )
    flagged = items[items["kind"] == KIND_OFF]
    alt = (
        f"Line chart of cumulative items destroyed by type, {SCOPE_LABELS[scope]}: " + "; ".join(alt_parts) + ". "
        f"{len(flagged)} flagged or single-operator figures are drawn as hollow points outside the series."
    )
    data = pd.DataFrame(
        {
            "date": items["period_end"].dt.strftime("%Y-%m-%d"),
            "item_type": items["item_category"],
            "items_count": items["value"],
            "value_as_reported": items["value_as_reported"],
            "point": items["kind"],
            "quality_flag": items["quality_flag"],
            "operator_scope": items["operator_scope"],
            "source_id": items["source_id"],
        }
    )
    start = items["period_start"].min()
    return ch.chart(
        fig,
        "04_cumulative_items_by_type",
        title=title,
        subtitle=f"Cumulative items destroyed by type, {ch.country_name}, {SCOPE_LABELS[scope]}"
        + (f", from {month_label(start)}" if pd.notna(start) and scope != POST else ""),
        source=source_line(ch.data.sources, items["source_id"]),
        alt=alt,
        data=data,
    )


FLAG_WORDS = {
    "inconsistent_with_series": "inconsistent",
    "partial_scope": "partial scope",
    "garbled_source": "garbled text",
    "year_not_verified": "year not verified",
    "implausible": "implausible",
}


def _point_label(row: pd.Series) -> str:
    """Short label for a rounded or off-series point: the figure and why it is marked."""
    value = qualified(row["value"], row["qualifier"])
    if row["kind"] == KIND_ROUNDED:
        return row["value_as_reported"] if len(row["value_as_reported"]) <= 16 else value
    flag = _text(row["quality_flag"])
    operators = _text(row["operator_scope"])
    if flag == "partial_scope" and operators and not operators.startswith("all operators"):
        return f"{value} ({operators})"
    if flag:
        return f"{value} ({FLAG_WORDS.get(flag, flag)})"
    return f"{value} ({operators or 'one operator'})"


def _kind_handles() -> list[Line2D]:
    grey = figures.PALETTE["text"]
    return [
        Line2D([], [], color=grey, marker="o", linestyle="-", label=KIND_LEGEND[KIND_PRECISE]),
        Line2D([], [], color=grey, marker="D", linestyle="", label=KIND_LEGEND[KIND_ROUNDED]),
        Line2D(
            [],
            [],
            color=grey,
            marker="o",
            markerfacecolor="white",
            markeredgewidth=1.6,
            linestyle="",
            label=KIND_LEGEND[KIND_OFF],
        ),
    ]


def inconsistent_points(ch: Chapter) -> pd.DataFrame:
    """Flagged item counts of the focus geography (cumulative and annual), each with the
    precise figure of the same type dated on or before it, for comparison."""
    rows = clearance_rows(ch)
    scope = focus_scope(rows)
    flagged = rows[
        (rows["programme_scope"] == scope) & (rows["measure"] == "items_destroyed") & rows["quality_flag"].notna()
    ].sort_values(["period_end", "item_category", "obs_id"], na_position="last")
    series = precise_series(items_by_type(ch))
    records = []
    for _, row in flagged.iterrows():
        earlier = series[(series["item_category"] == row["item_category"])]
        earlier = (
            earlier[earlier["period_end"] <= row["period_end"]] if pd.notna(row["period_end"]) else earlier.iloc[0:0]
        )
        if row["period_type"] != "cumulative":
            earlier = earlier.iloc[0:0]
        before = latest(earlier)
        records.append(
            {
                "as of": date_label(row["period_end"], row["date_precision"]),
                "period": plain_words(row["period_type"]),
                "item type": TYPE_LABELS.get(row["item_category"], row["item_category"]),
                "as reported": row["value_as_reported"],
                "operators": row["operator_scope"],
                "quality flag": plain_words(row["quality_flag"]),
                "source_id": row["source_id"],
                "earlier precise figure": before["value"] if before is not None else None,
                "earlier figure as of": date_label(before["period_end"], before["date_precision"])
                if before is not None
                else None,
                "earlier source": before["source_id"] if before is not None else None,
            }
        )
    return pd.DataFrame(records)


def inconsistent_table(ch: Chapter) -> HTML:
    table = inconsistent_points(ch)
    if table.empty:
        return show.missing(f"No flagged item counts for {ch.country_name}.")
    ids = list(table["source_id"]) + [s for s in table["earlier source"] if isinstance(s, str)]
    return show.table(
        table,
        caption=f"Inconsistent and partial item counts, kept and marked, {ch.country_name}",
        source=source_line(ch.data.sources, ids),
        note_text="These figures carry a quality flag: lower than an earlier figure of the same cumulative series, "
        "one operator only, garbled text or year not stated. They are shown as hollow points and left out of the "
        "series and of the increments; the earlier precise figure of the same type is given for comparison.",
        source_columns=("source_id", "earlier source"),
    )


def increments(ch: Chapter) -> pd.DataFrame:
    """Per-period increments of the precise cumulative series, by item type (derived)."""
    series = precise_series(items_by_type(ch))
    frames = []
    for category, points in series.groupby("item_category", sort=False):
        if len(points) < 2:
            continue
        points = points.sort_values("period_end")
        result = increments_from_cumulative(points, date_col="period_end", value_col="value")
        ids = points["source_id"].tolist()
        result["source_ids"] = [f"{a};{b}" for a, b in zip(ids[:-1], ids[1:])]
        result["item type"] = TYPE_LABELS[category]
        frames.append(result)
    if not frames:
        return pd.DataFrame()
    out = pd.concat(frames, ignore_index=True)
    return pd.DataFrame(
        {
            "item type": out["item type"],
            "from": out["period_start"],
            "to": out["period_end"],
            "days": out["days"],
            "items destroyed in period (derived)": out["increment"],
            "consistent": out["consistent"],
            "source_ids": out["source_ids"],
        }
    )


def increments_table(ch: Chapter) -> HTML:
    table = increments(ch)
    if table.empty:
        return show.missing(
            f"No precise cumulative series by item type with two or more points exists for {ch.country_name}, so no increments can be derived."
        )
    ids = [s for pair in table["source_ids"] for s in pair.split(";")]
    return show.table(
        table,
        caption=f"Items destroyed between consecutive precise cumulative figures, {ch.country_name} (derived)",
        source=source_line(ch.data.sources, ids),
        note_text="Derived: later cumulative figure minus the earlier one of the same type. Periods differ in length; "
        "a negative increment would mean the two figures are inconsistent and is kept, marked as not consistent.",
    )


def annual_items(ch: Chapter) -> pd.DataFrame:
    """Full-year items destroyed by type and area cleared, focus geography, usable rows."""
    rows = clearance_rows(ch)
    scope = focus_scope(rows)
    rows = usable(rows[(rows["programme_scope"] == scope) & (rows["period_type"] == "annual")])
    rows = rows[
        (rows["measure"] == "items_destroyed")
        | ((rows["measure"] == "area_cleared") & (rows["item_category"] == "all"))
    ]
    if rows.empty:
        return pd.DataFrame()
    rows = rows.assign(year=rows["period_end"].dt.year)
    records = []
    for year, group in rows.groupby("year"):
        record: dict[str, object] = {"year": str(int(year))}
        for category in (*ITEM_TYPES, "mine", "all"):
            hit = group[(group["measure"] == "items_destroyed") & (group["item_category"] == category)]
            record[TYPE_LABELS[category]] = (
                qualified(hit.iloc[0]["value"], hit.iloc[0]["qualifier"]) if len(hit) else None
            )
        area = group[group["measure"] == "area_cleared"]
        record["area cleared (ha)"] = (
            qualified(area.iloc[0]["hectares"], area.iloc[0]["qualifier"]) if len(area) else None
        )
        record["source_ids"] = _joined_ids(group["source_id"])
        records.append(record)
    table = pd.DataFrame(records)
    return table.dropna(axis=1, how="all")


def annual_items_table(ch: Chapter) -> HTML:
    table = annual_items(ch)
    if table.empty:
        return show.missing(f"No full-year totals of items destroyed exist for {ch.country_name} in the data.")
    ids = [s for v in table["source_ids"] for s in v.split(";")]
    item_columns = [c for c in table.columns if c in TYPE_LABELS.values()]
    years = {int(y) for y in table.dropna(subset=item_columns, how="all")["year"]} or {int(y) for y in table["year"]}
    gaps = [y for y in range(min(years), max(years) + 1) if y not in years]
    gap_text = f" No full-year total was found for {', '.join(map(str, gaps))}." if gaps else ""
    return show.table(
        table,
        caption=f"Full-year totals of items destroyed, {ch.country_name}",
        source=source_line(ch.data.sources, ids),
        note_text="Values as the sources state them (qualifiers kept). 'mines and UXO' is the total the source gives, not a sum."
        + gap_text,
    )


# ---------------------------------------------------------------------------------------------
# (c) Area by year
# ---------------------------------------------------------------------------------------------


def annual_area_rows(ch: Chapter) -> pd.DataFrame:
    """Every annual area row (cleared or released) of the focus geography within the years shown."""
    rows = clearance_rows(ch)
    scope = focus_scope(rows)
    rows = rows[
        (rows["period_type"] == "annual")
        & (rows["programme_scope"] == scope)
        & rows["measure"].isin(ANNUAL_AREA_MEASURES)
    ]
    rows = in_years(rows, ch.params.first_year, ch.params.last_year)
    return rows.assign(year=rows["period_end"].dt.year).sort_values(["year", "measure", "obs_id"])


def annual_area(ch: Chapter) -> tuple[pd.DataFrame, pd.DataFrame]:
    """One bar per (year, measure) and the conflicting figures.

    Rule: among usable rows, a figure for all hazards wins (source preference among several);
    otherwise the figures per hazard type (one per type, by source preference) are added up
    (derived). Where a (year, measure) has only flagged rows, the preferred flagged row is kept
    as a partial bar. Conflicts are the non-chosen rows whose value differs.
    """
    rows = annual_area_rows(ch)
    bars, conflicts = [], []
    for (year, measure), group in rows.groupby(["year", "measure"], sort=True):
        good = usable(group)
        if len(good):
            whole = good[good["item_category"] == "all"]
            if len(whole):
                chosen, others = pick_preferred(whole, ["year", "measure"])
                conflicts.append(others[others["differs"]])
                row = chosen.iloc[0]
                bars.append(
                    _bar(
                        year,
                        measure,
                        row["hectares"],
                        row["qualifier"],
                        [row["source_id"]],
                        "all",
                        False,
                        False,
                        row["operator_scope"],
                    )
                )
            else:
                chosen, others = pick_preferred(good, ["year", "measure", "item_category"])
                conflicts.append(others[others["differs"]])
                qualifier = "exact" if (chosen["qualifier"] == "exact").all() else "approximate"
                derived = len(chosen) > 1
                categories = "+".join(chosen["item_category"])
                bars.append(
                    _bar(
                        year,
                        measure,
                        chosen["hectares"].sum(),
                        qualifier,
                        chosen["source_id"],
                        categories,
                        derived,
                        False,
                        chosen.iloc[0]["operator_scope"],
                    )
                )
        else:
            chosen, _ = pick_preferred(group, ["year", "measure"])
            row = chosen.iloc[0]
            bars.append(
                _bar(
                    year,
                    measure,
                    row["hectares"],
                    row["qualifier"],
                    [row["source_id"]],
                    row["item_category"],
                    False,
                    True,
                    row["operator_scope"],
                    row["quality_flag"],
                )
            )
    conflict_frame = pd.concat(conflicts, ignore_index=True) if conflicts else pd.DataFrame()
    return pd.DataFrame(bars), conflict_frame


def _bar(year, measure, hectares, qualifier, ids, categories, derived, partial, operators, flag=None) -> dict:
    return {
        "year": int(year),
        "measure": measure,
        "area_ha": float(hectares),
        "qualifier": qualifier,
        "hazard": categories,
        "derived_sum": derived,
        "partial": partial,
        "operator_scope": operators,
        "quality_flag": flag,
        "source_id": _joined_ids(ids),
    }


def _main_measure(bars: pd.DataFrame) -> str | None:
    """The measure with the most full-year figures (area cleared on a tie)."""
    if bars.empty:
        return None
    counts = bars[~bars["partial"]].groupby("measure").size()
    if counts.empty:
        return None
    return (
        max(ANNUAL_AREA_MEASURES, key=lambda m: (counts.get(m, 0), m == "area_cleared")) if counts.max() > 0 else None
    )


def missing_years(bars: pd.DataFrame, measure: str) -> list[int]:
    """Years between the first and last full figure of ``measure`` without a full figure."""
    full = bars[(bars["measure"] == measure) & ~bars["partial"]]
    if full.empty:
        return []
    years = set(full["year"])
    return [y for y in range(min(years), max(years) + 1) if y not in years]


def annual_area_chart(ch: Chapter) -> HTML:
    bars, _ = annual_area(ch)
    measure = _main_measure(bars)
    if measure is None:
        return show.missing(
            f"No full-year figures of area cleared or released exist for {ch.country_name} in the data."
        )
    scope = focus_scope(clearance_rows(ch))
    years = list(range(int(bars["year"].min()), int(bars["year"].max()) + 1))
    measures = [m for m in ANNUAL_AREA_MEASURES if (bars["measure"] == m).any()]
    width = 0.8 / len(measures)
    colours = {"area_cleared": figures.PALETTE["primary"], "area_released": figures.PALETTE["secondary"]}
    # A measure whose years cover different hazards: bars not for all hazards say what they cover.
    mixed = {
        m: bars[(bars["measure"] == m) & ~bars["partial"]]["hazard"].map(_coverage).nunique() > 1 for m in measures
    }
    with figures.house_style():
        fig, ax = figures.new_figure()
        top = bars["area_ha"].max()
        for i, m in enumerate(measures):
            offset = (i - (len(measures) - 1) / 2) * width
            for _, bar in bars[bars["measure"] == m].iterrows():
                x = bar["year"] + offset
                colour = colours[m]
                if bar["partial"]:
                    ax.bar(
                        x, bar["area_ha"], width * 0.92, facecolor="white", edgecolor=colour, hatch="//", linewidth=1.4
                    )
                    text = f"{qualified(bar['area_ha'], bar['qualifier'])}\npartial: {_partial_words(bar)}"
                else:
                    ax.bar(x, bar["area_ha"], width * 0.92, color=colour)
                    text = qualified(bar["area_ha"], bar["qualifier"]) + ("\n(sum)" if bar["derived_sum"] else "")
                    if mixed.get(m) and bar["hazard"] != "all":
                        text += "\n" + _hazard_words(bar["hazard"], " +\n")
                ax.annotate(
                    text,
                    (x, bar["area_ha"]),
                    xytext=(0, 4),
                    textcoords="offset points",
                    ha="center",
                    va="bottom",
                    fontsize=9 if len(years) > 6 else 10,
                    color=colour,
                )
        for y in missing_years(bars, measure):
            if not (bars["year"] == y).any():
                ax.annotate(
                    "no full-year\nfigure found",
                    (y, 0),
                    xytext=(0, 4),
                    textcoords="offset points",
                    ha="center",
                    va="bottom",
                    fontsize=9,
                    color=figures.PALETTE["context"],
                )
        ax.set_xticks(years)
        ax.set_xticklabels([str(y) for y in years])
        ax.set_xlim(years[0] - 0.7, years[-1] + 0.7)
        ax.set_ylim(0, top * 1.25)
        ax.set_ylabel("hectares")
        figures.thousands(ax)
        handles = [
            Line2D([], [], color=colours[m], marker="s", markersize=12, linestyle="", label=f"area {MEASURE_LABELS[m]}")
            for m in measures
        ]
        if bars["partial"].any():
            handles.append(
                Line2D(
                    [],
                    [],
                    color=figures.PALETTE["text"],
                    marker="s",
                    markersize=12,
                    markerfacecolor="white",
                    linestyle="",
                    label="partial scope (flagged, not a full total)",
                )
            )
        ax.legend(handles=handles, loc="upper left", fontsize=10)
    full = bars[(bars["measure"] == measure) & ~bars["partial"]].sort_values("year")
    verb = MEASURE_LABELS[measure]
    title = _area_title(full, verb)
    gaps = missing_years(bars, measure)
    partial = bars[bars["partial"]]
    alt = (
        f"Bar chart of area {verb} per year in hectares, {SCOPE_LABELS[scope]}, {years[0]}-{years[-1]}: "
        + "; ".join(
            f"{r['year']} {qualified(r['area_ha'], r['qualifier'], 'ha')}"
            + (f" ({_hazard_words(r['hazard'])})" if mixed.get(measure) else "")
            for _, r in full.iterrows()
        )
        + "."
        + (f" No full-year figure for {', '.join(map(str, gaps))}." if gaps else "")
        + (f" {len(partial)} partial-scope figures are drawn as hatched outline bars." if len(partial) else "")
    )
    data = bars.assign(measure=bars["measure"]).rename(columns={"hazard": "hazard_categories"})
    return ch.chart(
        fig,
        "04_area_by_year",
        title=title,
        subtitle=f"Area {' and '.join(MEASURE_LABELS[m] for m in measures)} per calendar year (ha), {ch.country_name}, {SCOPE_LABELS[scope]}",
        source=source_line(ch.data.sources, [s for v in bars["source_id"] for s in v.split(";")]),
        alt=alt,
        data=data,
    )


def _coverage(hazard: str) -> str:
    """The hazard categories of a bar in a fixed order ('UXO+mine' and 'mine+UXO' are the same)."""
    return "+".join(sorted(str(hazard).split("+")))


def comparable_pair(full: pd.DataFrame) -> tuple[pd.Series, pd.Series] | None:
    """The first and last full-year figures of one measure that cover the same hazards: the
    coverage of the latest figure if it has an earlier year, else the coverage with the most
    years. None when no two years cover the same hazards."""
    if full.empty:
        return None
    coverage = full["hazard"].map(_coverage)
    groups = {c: full[coverage == c].sort_values("year") for c in dict.fromkeys(coverage)}
    groups = {c: g for c, g in groups.items() if g["year"].nunique() >= 2}
    if not groups:
        return None
    latest_coverage = _coverage(full.sort_values("year").iloc[-1]["hazard"])
    chosen = groups.get(latest_coverage)
    if chosen is None:
        chosen = max(groups.values(), key=lambda g: (len(g), g["year"].max()))
    return chosen.iloc[0], chosen.iloc[-1]


def _hazard_words(hazard: str, sep: str = " + ") -> str:
    return sep.join(HAZARD_LABELS.get(h, h) for h in str(hazard).split("+"))


def _area_title(full: pd.DataFrame, verb: str) -> str:
    """Headline of the area-by-year chart: a trend only between figures of the same measure and
    the same hazard coverage (named when the years differ in coverage)."""
    last = full.iloc[-1]
    mixed = full["hazard"].map(_coverage).nunique() > 1
    pair = comparable_pair(full)
    if pair is None:
        latest_words = f"{_upper_first(qualified(last['area_ha'], last['qualifier'], 'ha'))} {verb} in {last['year']}"
        if not mixed:
            return latest_words
        return fit_title(
            f"{latest_words} ({_hazard_words(last['hazard'])}); no two years cover the same land",
            f"{latest_words}; no two years cover the same land",
        )
    first, last = pair
    trend = (
        "rose"
        if last["area_ha"] > first["area_ha"]
        else "fell"
        if last["area_ha"] < first["area_ha"]
        else "was unchanged"
    )
    what = f"Area {verb}" + (f" ({_hazard_words(last['hazard'])})" if mixed else "")
    return fit_title(
        f"{what} {trend} from {qualified(first['area_ha'], first['qualifier'], 'ha')} in {first['year']} "
        f"to {qualified(last['area_ha'], last['qualifier'], 'ha')} in {last['year']}",
        f"{what}: {qualified(first['area_ha'], first['qualifier'], 'ha')} in {first['year']}, "
        f"{qualified(last['area_ha'], last['qualifier'], 'ha')} in {last['year']}",
    )


def _partial_words(bar: pd.Series) -> str:
    if _text(bar["operator_scope"]) and not bar["operator_scope"].startswith("all operators"):
        return str(bar["operator_scope"])
    return HAZARD_LABELS.get(bar["hazard"], str(bar["hazard"]))


def annual_area_table(ch: Chapter) -> HTML:
    rows = annual_area_rows(ch)
    if rows.empty:
        return show.missing(f"No full-year area figures exist for {ch.country_name} in the data.")
    table = pd.DataFrame(
        {
            "year": rows["year"].astype("Int64").astype(str),
            "measure": rows["measure"].map(MEASURE_LABELS),
            "hazard": rows["item_category"].map(HAZARD_LABELS),
            "operators": rows["operator_scope"],
            "as reported": rows["value_as_reported"],
            "area (ha)": rows["hectares"],
            "quality flag": plain(rows["quality_flag"]),
            "source_id": rows["source_id"],
        }
    )
    return show.table(
        table,
        caption=f"Every full-year area figure, {ch.country_name}",
        source=source_line(ch.data.sources, table["source_id"]),
        note_text="Hectares derived from the reported unit (1 km² = 100 ha; 1 ha = 10,000 m²). Rows with a quality "
        "flag are kept here and shown as partial bars only where no full figure exists for the year.",
    )


def annual_area_notes(ch: Chapter) -> HTML | None:
    """Notes on years without a full figure, partial figures and figures of a different scope."""
    notes = _annual_area_notes(ch)
    return HTML("".join(n.data for n in notes)) if notes else None


def _annual_area_notes(ch: Chapter) -> list[HTML]:
    bars, conflicts = annual_area(ch)
    measure = _main_measure(bars)
    if measure is None:
        return []
    notes = []
    gaps = missing_years(bars, measure)
    if gaps:
        notes.append(
            show.note(
                f"No full-year total of area {MEASURE_LABELS[measure]} was found for {', '.join(map(str, gaps))}; "
                "the gap is left open, not filled in.",
                kind="missing",
            )
        )
    rows = annual_area_rows(ch)
    full = bars[(bars["measure"] == measure) & ~bars["partial"]].set_index("year")
    sources = ch.data.sources
    for _, row in rows[rows["quality_flag"].notna()].iterrows():
        publisher = sources.at[row["source_id"], "publisher"]
        what = (
            f"{publisher} gives {row['value_as_reported']} for {row['year']} ({row['source_id']}), covering "
            f"{_text(row['operator_scope']) or 'operators not stated'}, {HAZARD_LABELS[row['item_category']]}; flagged "
            f"{plain_words(row['quality_flag'])}"
        )
        if row["year"] in full.index and row["measure"] == measure:
            main = full.loc[row["year"]]
            main_pub = "; ".join(sources.at[s, "publisher"] for s in main["source_id"].split(";"))
            notes.append(
                show.note(
                    f"{what}. The full figure for the same year is {qualified(main['area_ha'], main['qualifier'], 'ha')} "
                    f"({main_pub}, {main['source_id']}, {_text(main['operator_scope']) or 'operators not stated'}, "
                    f"{HAZARD_LABELS.get(main['hazard'], main['hazard'])}). The two measure different land and are not comparable.",
                    kind="conflict",
                )
            )
        else:
            notes.append(show.note(f"{what}. It is shown as a partial bar, not as the year's total.", kind="caveat"))
    if len(conflicts):
        by_obs = rows.set_index("obs_id")
        for _, row in conflicts.iterrows():
            chosen = by_obs.loc[row["chosen_obs_id"]]
            notes.append(
                show.note(
                    f"For {row['year']}, area {MEASURE_LABELS[row['measure']]}: {sources.at[row['source_id'], 'publisher']} gives "
                    f"{row['value_as_reported']} ({qualified(row['hectares'], row['qualifier'], 'ha')}, {row['source_id']}); "
                    f"{sources.at[chosen['source_id'], 'publisher']} gives {chosen['value_as_reported']} "
                    f"({qualified(chosen['hectares'], chosen['qualifier'], 'ha')}, {chosen['source_id']}). The chart uses the latter "
                    "by the source preference rule (monitoring report, then official, then press).",
                    kind="conflict",
                )
            )
    return notes


# ---------------------------------------------------------------------------------------------
# (d) Cumulative area and the official target
# ---------------------------------------------------------------------------------------------


def cumulative_area(ch: Chapter) -> pd.DataFrame:
    """Cumulative area cleared in the focus geography, dated rows within the years shown."""
    rows = clearance_rows(ch)
    scope = focus_scope(rows)
    rows = rows[
        (rows["period_type"] == "cumulative") & (rows["programme_scope"] == scope) & (rows["measure"] == "area_cleared")
    ]
    rows = in_years(rows.dropna(subset=["period_end"]), ch.params.first_year, ch.params.last_year)
    return rows.assign(kind=point_kind(rows)).sort_values(["period_end", "obs_id"])


def area_series(ch: Chapter) -> pd.DataFrame:
    """The series points: usable, all operators (rounded figures included)."""
    rows = cumulative_area(ch)
    return rows[rows["kind"] != KIND_OFF]


def latest_cumulative_area(ch: Chapter) -> pd.Series | None:
    return latest(area_series(ch))


def area_targets(ch: Chapter) -> pd.DataFrame:
    """Official area targets of the country, in hectares."""
    targets = ch.data.table("contamination_targets")
    targets = targets[
        (targets["iso3"] == ch.country)
        & (targets["indicator"] == "target_area_to_demine")
        & targets["unit"].isin(AREA_UNITS)
    ]
    targets = usable(targets)
    return targets.assign(hectares=to_hectares(targets["value"], targets["unit"])).sort_values("reference_date")


def area_target(ch: Chapter) -> pd.Series | None:
    """The target with the latest target date."""
    return latest(area_targets(ch), "reference_date")


def progress(ch: Chapter) -> dict | None:
    """Latest cumulative area cleared as a share of the official target (derived)."""
    cleared, target = latest_cumulative_area(ch), area_target(ch)
    if cleared is None or target is None:
        return None
    return {
        "cleared": cleared,
        "target": target,
        "share_pct": cleared["hectares"] / target["hectares"] * 100,
        "remaining_ha": target["hectares"] - cleared["hectares"],
    }


def _pct(value: float, qualifier: str | None = "exact") -> str:
    """A derived share; 'about' when the figure it comes from is not exact."""
    text = f"{value:.0f}%" if abs(value - round(value)) < 0.05 else f"{value:.1f}%"
    return ("about " if qualifier not in (None, "exact") else "") + text


def cumulative_area_chart(ch: Chapter) -> HTML:
    rows = cumulative_area(ch)
    series = rows[rows["kind"] != KIND_OFF]
    if len(series) < 2:
        return show.missing(
            f"No cumulative series of area cleared with two or more dated points exists for {ch.country_name}."
        )
    scope = focus_scope(clearance_rows(ch))
    target = area_target(ch)
    result = progress(ch)
    colour = figures.PALETTE["primary"]
    with figures.house_style():
        fig, ax = figures.new_figure()
        fig.subplots_adjust(right=0.84)
        ax.plot(series["period_end"], series["hectares"], color=colour, zorder=2)
        _markers(ax, rows, "hectares", colour)
        last = series.iloc[-1]
        figures.label_line_end(
            ax, last["period_end"], last["hectares"], qualified(last["hectares"], last["qualifier"], "ha"), colour
        )
        top = rows["hectares"].max()
        if target is not None:
            accent = figures.PALETTE["accent"]
            start = rows["period_end"].min()
            ax.hlines(target["hectares"], start, target["reference_date"], colors=accent, linestyles="--", linewidth=2)
            ax.plot(target["reference_date"], target["hectares"], marker="o", color=accent, markersize=9)
            ax.annotate(
                f"target: {qualified(target['hectares'], target['qualifier'], 'ha')} by {date_label(target['reference_date'], target['date_precision'])}",
                (start, target["hectares"]),
                xytext=(0, 6),
                textcoords="offset points",
                ha="left",
                va="bottom",
                fontsize=11,
                fontweight="bold",
                color=accent,
            )
            if result is not None:
                ax.annotate(
                    f"{_pct(result['share_pct'], last['qualifier'])} of target (derived)",
                    (last["period_end"], last["hectares"]),
                    xytext=(6, -16),
                    textcoords="offset points",
                    fontsize=10,
                    color=colour,
                )
            top = max(top, target["hectares"])
            ax.set_xlim(right=target["reference_date"] + pd.Timedelta(days=90))
        ax.set_ylim(0, top * 1.15)
        ax.set_ylabel("area cleared, cumulative (ha)")
        figures.thousands(ax)
        ax.xaxis.set_major_formatter(mdates.DateFormatter("%Y"))
        ax.xaxis.set_major_locator(mdates.YearLocator())
        ax.legend(handles=_kind_handles(), loc="lower right", fontsize=10)
    latest_text = _upper_first(qualified(last["hectares"], last["qualifier"], "ha"))
    if result is not None:
        title = fit_title(
            f"{latest_text} cleared by {month_label(last['period_end'])}, "
            f"{_pct(result['share_pct'], last['qualifier'])} of the {qualified(target['hectares'], target['qualifier'], 'ha')} target "
            f"for {target['reference_date'].year}",
            f"{latest_text} cleared by {month_label(last['period_end'])}, {_pct(result['share_pct'], last['qualifier'])} of the "
            f"{target['reference_date'].year} target",
        )
    else:
        title = f"{latest_text} cleared by {month_label(last['period_end'])}"
    first = series.iloc[0]
    alt = (
        f"Line chart of cumulative area cleared, {SCOPE_LABELS[scope]}, rising from "
        f"{qualified(first['hectares'], first['qualifier'], 'ha')} in {month_label(first['period_end'])} to "
        f"{qualified(last['hectares'], last['qualifier'], 'ha')} in {month_label(last['period_end'])}"
    )
    alt += (
        f"; the official target of {qualified(target['hectares'], target['qualifier'], 'ha')} by "
        f"{date_label(target['reference_date'], target['date_precision'])} is a dashed horizontal line ({_pct(result['share_pct'], last['qualifier'])} reached, derived)."
        if result is not None
        else "."
    )
    ids = list(rows["source_id"]) + ([target["source_id"]] if target is not None else [])
    data = pd.DataFrame(
        {
            "date": rows["period_end"].dt.strftime("%Y-%m-%d"),
            "series": "area cleared, cumulative",
            "area_ha": rows["hectares"],
            "value_as_reported": rows["value_as_reported"],
            "point": rows["kind"],
            "operator_scope": rows["operator_scope"],
            "quality_flag": rows["quality_flag"],
            "source_id": rows["source_id"],
        }
    )
    if target is not None:
        data = pd.concat(
            [
                data,
                pd.DataFrame(
                    [
                        {
                            "date": target["reference_date"].strftime("%Y-%m-%d"),
                            "series": "official target",
                            "area_ha": target["hectares"],
                            "value_as_reported": target["value_as_reported"],
                            "point": "target",
                            "operator_scope": None,
                            "quality_flag": None,
                            "source_id": target["source_id"],
                        }
                    ]
                ),
            ],
            ignore_index=True,
        )
    start = series["period_start"].min()
    return ch.chart(
        fig,
        "04_cumulative_area_vs_target",
        title=title,
        subtitle=f"Cumulative area cleared (ha), {ch.country_name}, {SCOPE_LABELS[scope]}"
        + (f", since {month_label(start)}" if pd.notna(start) and scope != POST else "")
        + (
            f", and the official target of {qualified(target['hectares'], target['qualifier'], 'ha')} by "
            f"{date_label(target['reference_date'], target['date_precision'])}"
            if target is not None
            else ""
        ),
        source=source_line(ch.data.sources, ids),
        alt=alt,
        data=data,
    )


def targets_table(ch: Chapter) -> HTML:
    targets = area_targets(ch)
    if targets.empty:
        return show.missing(
            f"No official area clearance target for {ch.country_name} is in the data, so progress cannot be measured against one."
        )
    table = pd.DataFrame(
        {
            "as stated": targets["excerpt"],
            "target (ha)": targets["hectares"],
            "by": [date_label(d, p) for d, p in zip(targets["reference_date"], targets["date_precision"])],
            "scope": targets["scope"],
            "set by": targets["stated_by"],
            "source_id": targets["source_id"],
        }
    )
    return show.table(
        table,
        caption=f"Official area targets, {ch.country_name}",
        source=source_line(ch.data.sources, table["source_id"]),
        note_text="Progress is measured against the target with the latest date. The sources do not say whether the "
        "target counts land cleared since November 2020 or only since the programme began; the share shown assumes the former.",
    )


def released_note(ch: Chapter) -> HTML | None:
    """A cumulative land-release figure of the focus geography, which is a wider measure than clearance."""
    rows = clearance_rows(ch)
    scope = focus_scope(rows)
    released = usable(
        rows[
            (rows["period_type"] == "cumulative")
            & (rows["programme_scope"] == scope)
            & (rows["measure"] == "area_released")
        ]
    )
    row = latest(released)
    if row is None:
        return None
    series = area_series(ch)
    same = latest(series[series["period_end"] <= row["period_end"]])
    publisher = ch.data.sources.at[row["source_id"], "publisher"]
    text = (
        f"{publisher} reports {row['value_as_reported']} of land released by {date_label(row['period_end'], row['date_precision'])} "
        f"({qualified(row['hectares'], row['qualifier'], 'ha')}, {row['source_id']}). Land release includes land cancelled "
        "or reduced by survey, so it is a wider measure than the area cleared"
    )
    if same is not None:
        text += (
            f"; the latest cumulative area cleared up to that date is {qualified(same['hectares'], same['qualifier'], 'ha')} "
            f"({month_label(same['period_end'])}, {same['source_id']})"
        )
    return show.note(text + ".", kind="info")


# ---------------------------------------------------------------------------------------------
# Findings
# ---------------------------------------------------------------------------------------------


def findings(ch: Chapter) -> list[Finding]:
    out: list[Finding] = []
    pre = pre_2020_cumulative(ch)
    if len(pre):
        series = usable(pre[pre["programme_scope"] == PRE])
        items = latest(series[series["measure"] == "items_destroyed"])
        area = latest(series[series["measure"] == "area_cleared"])
        if items is not None:
            text = f"The national programme before November 2020 (areas under government control) had destroyed {qualified(items['value'], items['qualifier'])} mines and UXO by {date_label(items['period_end'], items['date_precision'])}"
            ids = [items["source_id"]]
            if area is not None:
                text += f" and cleared {qualified(area['hectares'], area['qualifier'], 'ha')} by {date_label(area['period_end'], area['date_precision'])}"
                ids.append(area["source_id"])
            out.append(
                Finding(
                    text + "; these totals are kept apart from the regained territories and never added to them.",
                    tuple(dict.fromkeys(ids)),
                )
            )
    items = items_by_type(ch)
    last = latest_by_type(items)
    scope = focus_scope(clearance_rows(ch))
    if len(last):
        parts = [f"{qualified(r['value'])} {TYPE_LABELS[r['item_category']]}" for _, r in last.iterrows()]
        listing = ", ".join(parts[:-1]) + f" and {parts[-1]}" if len(parts) > 1 else parts[0]
        out.append(
            Finding(
                f"In the {SCOPE_LABELS[scope]}, {listing} had been destroyed by {date_label(last['period_end'].max(), 'day')} "
                f"(latest precise cumulative figures by type, {_text(last.iloc[0]['operator_scope']) or 'operators not stated'}).",
                tuple(dict.fromkeys(last["source_id"])),
            )
        )
    result = progress(ch)
    if result is not None:
        cleared, target = result["cleared"], result["target"]
        out.append(
            Finding(
                f"{_upper_first(qualified(cleared['hectares'], cleared['qualifier'], 'ha'))} had been cleared by "
                f"{date_label(cleared['period_end'], cleared['date_precision'])}: {_pct(result['share_pct'], cleared['qualifier'])} of the official "
                f"target of {qualified(target['hectares'], target['qualifier'], 'ha')} by {date_label(target['reference_date'], target['date_precision'])} (share derived).",
                (cleared["source_id"], target["source_id"]),
            )
        )
    else:
        cleared = latest_cumulative_area(ch)
        if cleared is not None:
            out.append(
                Finding(
                    f"{_upper_first(qualified(cleared['hectares'], cleared['qualifier'], 'ha'))} ({cleared['value_as_reported']}) had been cleared "
                    f"({SCOPE_LABELS[scope]}) by {date_label(cleared['period_end'], cleared['date_precision'])}.",
                    (cleared["source_id"],),
                )
            )
    if len(out) < 3:
        bars, _ = annual_area(ch)
        measure = _main_measure(bars)
        if measure is not None:
            full = bars[(bars["measure"] == measure) & ~bars["partial"]].sort_values("year")
            last = full.iloc[-1]
            derived = " (sum of hazard types, derived)" if last["derived_sum"] else ""
            out.append(
                Finding(
                    f"The latest full-year figure of land {MEASURE_LABELS[measure]} is {qualified(last['area_ha'], last['qualifier'], 'ha')}"
                    f"{derived} in {last['year']} ({SCOPE_LABELS[scope]}).",
                    tuple(last["source_id"].split(";")),
                )
            )
    return out
