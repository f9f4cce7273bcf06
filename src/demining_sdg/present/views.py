"""The view kinds: how a section's frame becomes a table, a chart, findings, cards or a note.

Two chart kinds serve every chart of the report: :func:`draw_time_series` and :func:`draw_bars`.
A new chart is a section spec with one of them, not new drawing code.

Never colour alone: each series has its own colour *and* marker shape (lines) or pattern (bars);
a point's kind is its fill (stated: filled, rounded: half-filled, flagged: hollow and off the
line, derived: on a dashed continuation), in the series' own marker, so a loose point belongs to
its series by shape as well as colour. Every point and bar carries a tooltip in the SVG with its
series, date or category, value, kind and source.
"""

from __future__ import annotations

import textwrap

import matplotlib.dates as mdates
import numpy as np
import pandas as pd
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.ticker import MaxNLocator

from demining_sdg.chapters.sections import Bars, TimeSeries
from demining_sdg.present import figures, formats

MARKERS = {"stated": "o", "rounded": "o", "derived": "o", "flagged": "o"}  # the legend's neutral marker
FILLS = {"stated": "full", "rounded": "bottom", "derived": "full", "flagged": "none"}
KIND_LEGEND = {
    "stated": "figure as stated",
    "rounded": "rounded figure ('about', 'over', 'nearly')",
    "flagged": "flagged: not in the series",
    "derived": "derived here (dashed)",
    "partial": "partial scope (hatched)",
}
BAR_KIND_LEGEND = {**KIND_LEGEND, "derived": "derived here (dashed outline)"}
END_LABEL_CHARS = 24  # a longer end label wraps (at END_LABEL_WRAP), the value after the last words if they fit
END_LABEL_WRAP = 20
CATEGORY_CHARS = 30  # horizontal bars: longer category names wrap


def _styles(series: list[str]) -> dict[str, figures.SeriesStyle]:
    return {name: figures.series_style(i) for i, name in enumerate(series)}


def _colours(series: list[str]) -> dict[str, str]:
    return {name: style.colour for name, style in _styles(series).items()}


def _series_order(frame: pd.DataFrame) -> list[str]:
    plotted = frame[frame["kind"] != "reference"]
    return list(dict.fromkeys(str(s) for s in plotted["series"].fillna("")))


def _x_values(frame: pd.DataFrame, spec: TimeSeries) -> pd.Series:
    if spec.x_is_year:
        return pd.to_numeric(frame["x"], errors="coerce").astype(float)
    return pd.to_datetime(frame["x"])


def _text(value) -> str:
    return value if isinstance(value, str) and value else ""


def _when(x, spec: TimeSeries) -> str:
    if spec.x_is_year:
        return str(int(x)) if float(x).is_integer() else formats.number(x)
    return formats.date(x)


def _tip(*, series: str, where: str, value, kind: str, label: str, source) -> str:
    head = f"{series}, {where}" if series else where
    shown = formats.number(value)
    said = f" (stated as '{label}')" if label and label != shown else ""
    sources = _text(source) or "not given"
    return f"{head}: {shown}{said}; {KIND_LEGEND.get(kind, kind)}; source: {sources}"


def _end_text(name: str, value) -> str:
    """'UXO 62,228'; a long name on two lines or more, the value after its last words if it fits."""
    shown = formats.number(value)
    if len(name) + 1 + len(shown) <= END_LABEL_CHARS:
        return f"{name} {shown}"
    lines = textwrap.wrap(name, END_LABEL_WRAP)
    if len(lines[-1]) + 1 + len(shown) <= END_LABEL_CHARS:
        lines[-1] += f" {shown}"
    else:
        lines.append(shown)
    return "\n".join(lines)


def _reference_lines(fig, ax, refs: pd.DataFrame, horizontal: bool = False) -> None:
    """Each reference row as a dashed line across the chart, labelled (and with a tooltip)."""
    colour = figures.PALETTE["accent"]
    for _, ref in refs.iterrows():
        if pd.isna(ref["y"]):
            continue
        text = _text(ref["label"]) or _text(ref["series"]) or "reference"
        draw = ax.axvline if horizontal else ax.axhline
        line = draw(ref["y"], color=colour, linestyle="--", linewidth=2, zorder=1.5)
        figures.tooltip(
            fig, line, f"{text}: {formats.number(ref['y'])}; source: {_text(ref['source_id']) or 'not given'}"
        )
        label = figures.label_reference(ax, float(ref["y"]), text, vertical=horizontal)
        label._chart_line = line


def _point(fig, ax, x, y, style: figures.SeriesStyle, kind: str, tip: str) -> None:
    size = style.marker_size * {"derived": 0.75, "rounded": 1.25}.get(kind, 1.0)
    (marker,) = ax.plot(
        [x],
        [y],
        linestyle="none",
        marker=style.marker,
        markersize=size,
        fillstyle=FILLS.get(kind, "full"),
        markerfacecolor=style.colour if kind != "flagged" else "white",
        markerfacecoloralt="white",
        markeredgecolor=style.colour,
        markeredgewidth={"flagged": 2, "rounded": 1.5}.get(kind, 1),
        zorder=4 if kind == "flagged" else 3,
    )
    figures.tooltip(fig, marker, tip)
    return marker


def _year_pad(span: float, x_is_year: bool):
    if x_is_year:
        return max(0.4, 0.03 * span)
    return max(pd.Timedelta(days=20), span * 0.03)


def draw_time_series(frame: pd.DataFrame, spec: TimeSeries):
    """Lines per series (stated and rounded points joined), derived points dashed from the last
    stated one, flagged points hollow and apart, reference lines, direct labels at line ends."""
    with figures.house_style():
        fig, ax = figures.new_figure()
        frame = frame.copy()
        frame["_x"] = _x_values(frame, spec)
        styles = _styles(_series_order(frame))
        kinds_seen: set[str] = set()
        for name, style in styles.items():
            figures.register_series(ax, name, marker=style.marker, linestyle="-")
            mine = frame[(frame["series"].fillna("") == name) & (frame["kind"] != "reference") & frame["_x"].notna()]
            mine = mine.sort_values("_x", kind="stable")
            rows = mine[mine["y"].notna()]
            # an empty y is a gap: the line breaks there instead of joining across it
            joined_up = mine[mine["kind"].isin(["stated", "rounded"]) | mine["y"].isna()]
            line = rows[rows["kind"].isin(["stated", "rounded"])]
            if len(line) > 1:
                ax.plot(joined_up["_x"], joined_up["y"], color=style.colour, linewidth=3, zorder=2)
            derived = rows[rows["kind"] == "derived"]
            if not derived.empty:
                joined = pd.concat([line.tail(1), derived]) if not line.empty else derived
                if len(joined) > 1:
                    ax.plot(joined["_x"], joined["y"], color=style.colour, linewidth=3, linestyle="--", zorder=2)
            last = pd.concat([line, derived]).sort_values("_x", kind="stable").tail(1)
            if last.empty:
                last = rows.tail(1)
            markers = {}
            for index, point in rows.iterrows():
                kind = str(point["kind"])
                kinds_seen.add(kind)
                label = _text(point["label"])
                tip = _tip(
                    series=name,
                    where=_when(point["_x"], spec),
                    value=point["y"],
                    kind=kind,
                    label=label,
                    source=point["source_id"],
                )
                markers[index] = _point(fig, ax, point["_x"], point["y"], style, kind, tip)
                if label and kind in ("flagged", "rounded"):
                    figures.label_point(ax, point["_x"], point["y"], label, style.colour, marker=markers[index])
            if not last.empty and name:
                end = last.iloc[0]
                text = _end_text(name, end["y"])
                figures.label_line_end(ax, end["_x"], end["y"], text, style.colour, marker=markers.get(last.index[0]))
        _reference_lines(fig, ax, frame[frame["kind"] == "reference"])
        _time_axis(ax, frame, spec)
        values = frame["y"].dropna()
        low = min(0.0, float(values.min())) if not values.empty else 0.0
        high = float(values.max()) if not values.empty else 1.0
        ax.set_ylim(low, high * 1.08 if high > 0 else 1.0)
        figures.thousands(ax)
        ax.set_ylabel(spec.y_label)
        if len(kinds_seen) > 1 or kinds_seen - {"stated"}:
            ax.legend(handles=_kind_handles(kinds_seen), frameon=False, fontsize=figures.NOTE_SIZE)
    return fig


def _time_axis(ax, frame: pd.DataFrame, spec: TimeSeries) -> None:
    """The x axis from the first to the last point, and on to the end of ``spec.x_until``."""
    xs = frame.loc[frame["kind"] != "reference", "_x"].dropna()
    if xs.empty:
        return
    first, last = xs.min(), xs.max()
    if spec.x_is_year:
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        if spec.x_until is not None:
            last = max(last, float(spec.x_until))
    else:
        locator = mdates.AutoDateLocator(minticks=4, maxticks=9)
        ax.xaxis.set_major_locator(locator)
        ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))
        if spec.x_until is not None:
            last = max(last, pd.Timestamp(year=spec.x_until, month=12, day=31))
    pad = _year_pad(last - first, spec.x_is_year)
    ax.set_xlim(first - pad, last + pad)


def _kind_handles(kinds_seen: set[str]) -> list[Line2D]:
    colour = figures.PALETTE["text"]
    handles = []
    for kind in ("stated", "rounded", "derived", "flagged"):
        if kind not in kinds_seen:
            continue
        handles.append(
            Line2D(
                [],
                [],
                color=colour,
                linewidth=2,
                linestyle={"derived": "--", "flagged": "none"}.get(kind, "-"),
                marker=MARKERS[kind],
                markersize=figures.MARKER_SIZES["o"] * {"derived": 0.75, "rounded": 1.25}.get(kind, 1.0),
                fillstyle=FILLS[kind],
                markerfacecolor="white" if kind == "flagged" else colour,
                markerfacecoloralt="white",
                markeredgecolor=colour,
                markeredgewidth={"flagged": 2, "rounded": 1.5}.get(kind, 1),
                label=KIND_LEGEND[kind],
            )
        )
    return handles


def _category_text(c) -> str:
    if isinstance(c, float | int | np.integer | np.floating) and float(c).is_integer():
        return str(int(c))
    return str(c)


def _bar_style(style: figures.SeriesStyle, kind: str) -> dict:
    """Stated: filled, with the series' pattern in white; partial: light and hatched; derived: light
    with a dashed outline."""
    if kind == "partial":
        return dict(
            facecolor=figures.tint(style.colour, 0.3),
            hatch="//" + style.hatch,
            hatchcolor=style.ink,
            edgecolor=style.colour,
            linewidth=1.5,
        )
    if kind == "derived":
        return dict(
            facecolor=figures.tint(style.colour, 0.35),
            hatch=style.hatch or None,
            hatchcolor=style.ink,
            edgecolor=style.ink,
            linestyle="--",
            linewidth=2,
        )
    return dict(
        facecolor=style.colour, hatch=style.hatch or None, hatchcolor="white", edgecolor=style.colour, linewidth=1
    )


def _wrap_categories(labels: list[str], horizontal: bool) -> list[str]:
    if horizontal:
        return ["\n".join(textwrap.wrap(label, CATEGORY_CHARS)) or label for label in labels]
    # vertical bars: a category's name fits in its slot (about 1,600 px / n at 16 px a character)
    chars = max(8, int(1600 / max(1, len(labels)) / 16 * 0.9))
    return ["\n".join(textwrap.wrap(label, chars)) or label for label in labels]


def draw_bars(frame: pd.DataFrame, spec: Bars):
    """Bars per x category, grouped by series; partial bars hatched and lighter, derived bars with
    a dashed outline; reference lines."""
    with figures.house_style():
        fig, ax = figures.new_figure()
        bars = frame[(frame["kind"] != "reference") & frame["y"].notna()].copy()
        categories = list(dict.fromkeys(bars["x"].tolist()))
        series = _series_order(bars)
        styles = _styles(series)
        most = bars.groupby(bars["x"].astype(str))["series"].agg(lambda s: s.fillna("").nunique()).max()
        width = 0.8 / max(1, int(most) if pd.notna(most) else 1)  # grouped only where categories share
        kinds_seen: set[str] = set()
        labels = [_category_text(c) for c in categories]
        for position, category in enumerate(categories):
            here = bars[bars["x"] == category]
            present = [s for s in series if (here["series"].fillna("") == s).any()]
            for slot, name in enumerate(present):
                style = styles[name]
                offset = (slot - (len(present) - 1) / 2) * width
                for _, row in here[here["series"].fillna("") == name].iterrows():
                    at = position + offset
                    kind = str(row["kind"]) if row["kind"] in ("partial", "derived") else "stated"
                    kinds_seen.add(kind)
                    draw = ax.barh if spec.horizontal else ax.bar
                    size = {"height": width * 0.9} if spec.horizontal else {"width": width * 0.9}
                    (patch,) = draw(at, row["y"], zorder=2, **size, **_bar_style(style, kind))
                    tip = _tip(
                        series=name,
                        where=labels[position],
                        value=row["y"],
                        kind=str(row["kind"]),
                        label=_text(row["label"]),
                        source=row["source_id"],
                    )
                    figures.tooltip(fig, patch, tip)
                    if spec.value_labels:
                        text = _text(row["label"]) or formats.number(row["y"])
                        xy = (row["y"], at) if spec.horizontal else (at, row["y"])
                        figures.label_value(ax, *xy, text, horizontal=spec.horizontal)
        for name, style in styles.items():
            figures.register_series(ax, name, hatch=style.hatch)
        whole = bars["y"].dropna().map(lambda v: float(v).is_integer()).all()
        value_axis = ax.xaxis if spec.horizontal else ax.yaxis
        if whole:
            value_axis.set_major_locator(MaxNLocator(integer=True))
        positions = np.arange(len(categories))
        shown = _wrap_categories(labels, spec.horizontal)
        top = float(bars["y"].max()) if not bars.empty else 1.0
        refs = frame[(frame["kind"] == "reference") & frame["y"].notna()]
        if not refs.empty:
            top = max(top, float(refs["y"].max()))
        if spec.horizontal:
            ax.set_yticks(positions, shown)
            ax.set_ylim(len(categories) - 0.5, -0.5)  # first category on top
            ax.set_xlim(0, top * 1.05 if top > 0 else 1)
            ax.set_xlabel(spec.y_label)
            ax.grid(axis="x")
            ax.grid(axis="y", visible=False)
            figures.thousands(ax, "x")
        else:
            ax.set_xticks(positions, shown)
            ax.set_xlim(-0.5, len(categories) - 0.5)
            ax.set_ylim(0, top * 1.05 if top > 0 else 1)
            ax.set_ylabel(spec.y_label)
            figures.thousands(ax)
        _reference_lines(fig, ax, refs, horizontal=spec.horizontal)
        handles = (
            [
                Patch(facecolor=styles[s].colour, hatch=styles[s].hatch or None, hatchcolor="white", label=s)
                for s in series
                if s
            ]
            if len(series) > 1
            else []
        )
        neutral = figures.PALETTE["text"]
        if "partial" in kinds_seen:
            handles.append(
                Patch(
                    facecolor=figures.tint(neutral, 0.15),
                    edgecolor=neutral,
                    hatch="//",
                    hatchcolor=neutral,
                    label=BAR_KIND_LEGEND["partial"],
                )
            )
        if "derived" in kinds_seen:
            handles.append(
                Patch(
                    facecolor=figures.tint(neutral, 0.15),
                    edgecolor=neutral,
                    linestyle="--",
                    linewidth=2,
                    label=BAR_KIND_LEGEND["derived"],
                )
            )
        if handles:
            ax.legend(handles=handles, frameon=False, fontsize=figures.NOTE_SIZE)
    return fig
