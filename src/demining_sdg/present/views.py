"""The view kinds: how a section's frame becomes a table, a chart, findings, cards or a note.

Two chart kinds serve every chart of the report: :func:`draw_time_series` and :func:`draw_bars`.
A new chart is a section spec with one of them, not new drawing code.
"""

from __future__ import annotations

import matplotlib.dates as mdates
import numpy as np
import pandas as pd
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.ticker import MaxNLocator

from demining_sdg.chapters.sections import Bars, TimeSeries
from demining_sdg.present import figures, formats

MARKERS = {"stated": "o", "rounded": "D", "derived": "o", "flagged": "o"}
KIND_LEGEND = {
    "stated": "figure as stated",
    "rounded": "rounded figure ('about', 'over', 'nearly')",
    "flagged": "flagged: not in the series",
    "derived": "derived here (dashed)",
    "partial": "partial scope (hatched)",
}


def _colours(series: list[str]) -> dict[str, str]:
    return {name: figures.SERIES_COLOURS[i % len(figures.SERIES_COLOURS)] for i, name in enumerate(series)}


def _series_order(frame: pd.DataFrame) -> list[str]:
    plotted = frame[frame["kind"] != "reference"]
    return list(dict.fromkeys(str(s) for s in plotted["series"].fillna("")))


def _x_values(frame: pd.DataFrame, spec: TimeSeries) -> pd.Series:
    if spec.x_is_year:
        return frame["x"].astype(float)
    return pd.to_datetime(frame["x"])


def _reference_lines(ax, refs: pd.DataFrame, x_left, horizontal: bool = False) -> None:
    for _, ref in refs.iterrows():
        colour = figures.PALETTE["accent"]
        if horizontal:
            ax.axvline(ref["y"], color=colour, linestyle="--", linewidth=2)
        else:
            ax.axhline(ref["y"], color=colour, linestyle="--", linewidth=2)
            text = ref["label"] if isinstance(ref["label"], str) and ref["label"] else str(ref["series"])
            ax.annotate(
                text,
                xy=(x_left, ref["y"]),
                xytext=(4, 5),
                textcoords="offset points",
                color=colour,
                fontsize=12,
                fontweight="bold",
                va="bottom",
            )


def draw_time_series(frame: pd.DataFrame, spec: TimeSeries):
    """Lines per series (stated and rounded points joined), derived points dashed from the last
    stated one, flagged points hollow and apart, reference lines, direct labels at line ends."""
    fig, ax = figures.new_figure()
    frame = frame.copy()
    frame["_x"] = _x_values(frame, spec)
    colours = _colours(_series_order(frame))
    kinds_seen: set[str] = set()
    x_min = frame["_x"].min()
    for name, colour in colours.items():
        rows = frame[(frame["series"].fillna("") == name) & (frame["kind"] != "reference")].sort_values("_x")
        line = rows[rows["kind"].isin(["stated", "rounded"])]
        if not line.empty:
            ax.plot(line["_x"], line["y"], color=colour, linewidth=3, zorder=2)
            for kind in ("stated", "rounded"):
                pts = line[line["kind"] == kind]
                if not pts.empty:
                    kinds_seen.add(kind)
                    ax.scatter(
                        pts["_x"],
                        pts["y"],
                        color=colour,
                        marker=MARKERS[kind],
                        s=70 if kind == "stated" else 90,
                        zorder=3,
                    )
        derived = rows[rows["kind"] == "derived"]
        if not derived.empty:
            kinds_seen.add("derived")
            joined = pd.concat([line.tail(1), derived]) if not line.empty else derived
            ax.plot(joined["_x"], joined["y"], color=colour, linewidth=3, linestyle="--", zorder=2)
        flagged = rows[rows["kind"] == "flagged"]
        if not flagged.empty:
            kinds_seen.add("flagged")
            ax.scatter(flagged["_x"], flagged["y"], facecolors="white", edgecolors=colour, linewidths=2, s=80, zorder=3)
        for _, point in rows.iterrows():
            if isinstance(point["label"], str) and point["label"] and point["kind"] in ("flagged", "rounded"):
                ax.annotate(
                    point["label"],
                    xy=(point["_x"], point["y"]),
                    xytext=(8, -4),
                    textcoords="offset points",
                    color=colour,
                    fontsize=12,
                    va="top",
                )
        last = (
            pd.concat([line, derived]).sort_values("_x").tail(1) if not (line.empty and derived.empty) else rows.tail(1)
        )
        if not last.empty and name:
            end = last.iloc[0]
            figures.label_line_end(ax, end["_x"], end["y"], f"{name} {formats.number(end['y'])}", colour)
    _reference_lines(ax, frame[frame["kind"] == "reference"], x_min)
    if spec.x_is_year:
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        if spec.x_until is not None:
            ax.set_xlim(right=spec.x_until + 0.5)
    else:
        locator = mdates.AutoDateLocator(minticks=4, maxticks=9)
        ax.xaxis.set_major_locator(locator)
        ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))
        if spec.x_until is not None:
            ax.set_xlim(right=pd.Timestamp(year=spec.x_until, month=12, day=31))
    ax.set_ylim(bottom=0, top=ax.get_ylim()[1] * 1.08)
    left, right = ax.get_xlim()
    ax.set_xlim(left, right + (right - left) * 0.16)  # room for the direct labels at the line ends
    figures.thousands(ax)
    ax.set_ylabel(spec.y_label)
    if len(kinds_seen) > 1 or kinds_seen - {"stated"}:
        handles = [
            Line2D(
                [],
                [],
                color=figures.PALETTE["text"],
                marker=MARKERS[k],
                linestyle="--" if k == "derived" else "-",
                markerfacecolor="white" if k == "flagged" else figures.PALETTE["text"],
                label=KIND_LEGEND[k],
            )
            for k in ("stated", "rounded", "derived", "flagged")
            if k in kinds_seen
        ]
        ax.legend(handles=handles, loc="best", frameon=False, fontsize=12)
    return fig


def draw_bars(frame: pd.DataFrame, spec: Bars):
    """Bars per x category, grouped by series; partial bars hatched and lighter; reference lines."""
    fig, ax = figures.new_figure()
    bars = frame[frame["kind"] != "reference"].copy()
    categories = list(dict.fromkeys(bars["x"].tolist()))
    series = _series_order(bars)
    colours = _colours(series)
    width = 0.8 / max(1, len(series))
    positions = np.arange(len(categories))
    kinds_seen: set[str] = set()
    for i, name in enumerate(series):
        rows = bars[bars["series"].fillna("") == name]
        offset = (i - (len(series) - 1) / 2) * width
        for _, row in rows.iterrows():
            at = positions[categories.index(row["x"])] + offset
            partial = row["kind"] == "partial"
            kinds_seen.add("partial" if partial else "stated")
            style = dict(
                color=colours[name],
                alpha=0.45 if partial else 1.0,
                hatch="//" if partial else None,
                edgecolor=colours[name],
                linewidth=1,
            )
            if spec.horizontal:
                ax.barh(at, row["y"], height=width * 0.9, **style)
            else:
                ax.bar(at, row["y"], width=width * 0.9, **style)
            if spec.value_labels:
                text = row["label"] if isinstance(row["label"], str) and row["label"] else formats.number(row["y"])
                if spec.horizontal:
                    ax.annotate(
                        text,
                        xy=(row["y"], at),
                        xytext=(5, 0),
                        textcoords="offset points",
                        va="center",
                        fontsize=12,
                        color=figures.PALETTE["text"],
                    )
                else:
                    ax.annotate(
                        text,
                        xy=(at, row["y"]),
                        xytext=(0, 4),
                        textcoords="offset points",
                        ha="center",
                        fontsize=12,
                        color=figures.PALETTE["text"],
                    )
    labels = [
        str(int(c)) if isinstance(c, float | int | np.integer) and float(c).is_integer() else str(c) for c in categories
    ]
    whole = bars["y"].dropna().map(lambda v: float(v).is_integer()).all()
    value_axis = ax.xaxis if spec.horizontal else ax.yaxis
    if whole:
        value_axis.set_major_locator(MaxNLocator(integer=True))
    if spec.horizontal:
        ax.set_yticks(positions, labels)
        ax.invert_yaxis()
        ax.set_xlabel(spec.y_label)
        figures.thousands(ax, "x")
        longest = max((len(label) for label in labels), default=0)
        fig.subplots_adjust(left=min(0.45, max(0.1, 0.0075 * longest + 0.03)))  # room for the category names
    else:
        ax.set_xticks(positions, labels)
        ax.set_ylabel(spec.y_label)
        figures.thousands(ax)
        ax.set_ylim(0, ax.get_ylim()[1] * 1.22)  # headroom for value labels and the legend
    _reference_lines(ax, frame[frame["kind"] == "reference"], -0.5, horizontal=spec.horizontal)
    handles = [Patch(facecolor=colours[s], label=s) for s in series if s] if len(series) > 1 else []
    if "partial" in kinds_seen:
        handles.append(
            Patch(facecolor="white", edgecolor=figures.PALETTE["text"], hatch="//", label=KIND_LEGEND["partial"])
        )
    if handles:
        ax.legend(handles=handles, loc="best", frameon=False, fontsize=12)
    return fig
