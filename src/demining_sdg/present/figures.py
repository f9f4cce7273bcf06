"""One house style for every figure, and one way to save it.

``save_chart`` writes the slide-ready files (PNG at 1920×1080, the size of a full-HD slide; SVG, the plotted data as CSV and a
JSON sidecar with title, subtitle, source and alt text) and returns a :class:`SavedChart`
that the report shows with a numbered caption.

Before saving, it frames the figure (title, subtitle and source line, wrapped to the width),
lays the axes out so that tick labels, direct labels and the legend fit inside the figure,
moves labels apart where they would collide (:func:`finish`) and checks the chart rules of
:mod:`demining_sdg.present.chart_checks`: a chart that breaks one is not saved.

Views mark what :func:`finish` may move: :func:`label_line_end` (line-end labels, spread
vertically), :func:`label_point` (labels of loose points, placed where they cover nothing),
:func:`label_reference` (labels of reference lines) and :func:`label_value` (bar values, kept
inside the axes). :func:`tooltip` gives a drawn point or bar a ``<title>`` in the SVG.
"""

from __future__ import annotations

import colorsys
import contextlib
import functools
import json
import textwrap
import warnings
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from io import BytesIO
from pathlib import Path
from xml.sax.saxutils import escape

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from matplotlib import text as mtext  # noqa: E402
from matplotlib.colors import to_hex, to_rgb  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.transforms import Bbox  # noqa: E402

from demining_sdg import paths  # noqa: E402
from demining_sdg.present import chart_checks  # noqa: E402

# Series colours: Okabe & Ito's colour-blind safe set, with the house navy for the first series and
# a darker sky blue (3:1 against white as a line). The four stay apart under protanopia, deuteranopia
# and tritanopia (chart_checks.check_palette); text in a series colour uses its darker ink (4.5:1).
PALETTE = {
    "primary": "#12436D",  # navy: the series the finding is about
    "secondary": "#009E73",  # bluish green
    "tertiary": "#CC79A7",  # reddish purple
    "quaternary": "#3A93C8",  # sky blue
    "accent": "#D55E00",  # vermillion: targets, thresholds, the claim being checked (reference lines)
    "context": "#767676",  # grey, 4.5:1 on white: context and comparison
    "text": "#3D3D3D",
    "muted": "#595959",  # the source line, 7:1 on white
    "grid": "#D9D9D9",
}
SERIES_COLOURS = [PALETTE["primary"], PALETTE["secondary"], PALETTE["tertiary"], PALETTE["quaternary"]]
SERIES_MARKERS = ["o", "s", "^", "D"]  # never colour alone: each series has its own marker shape ...
SERIES_HATCHES = ["", "..", "oo", "--"]  # ... and, as bars, its own pattern
MARKER_SIZES = {"o": 9.0, "s": 8.0, "^": 9.5, "D": 7.5}  # similar visual weight

TITLE_SIZE = 20
TITLE_MIN_SIZE = 16  # a long title shrinks to this, then wraps
SUBTITLE_SIZE = 15
SOURCE_SIZE = 13
LABEL_SIZE = 14  # direct labels at line ends (bold)
NOTE_SIZE = 13  # labels of points, bars and reference lines; ticks and legend (house.mplstyle)
SLIDE_DPI = 150  # 12.8 x 7.2 in at 150 dpi = 1920 x 1080 px: a full-HD slide, four times cheaper than 300 dpi
LAYOUT = {"left": 0.1, "right": 0.96, "top": 0.78, "bottom": 0.2}  # before save_chart lays the axes out
MARGIN = 0.02  # of the figure's width and height: nothing is drawn closer to the edge
MIN_TEXT_CONTRAST = chart_checks.MIN_CONTRAST


@dataclass(frozen=True)
class SavedChart:
    """A saved figure: what the report, the deck and the tests need to know about it."""

    name: str
    title: str
    subtitle: str
    source: str
    alt: str
    png: str
    svg: str
    csv: str
    sidecar: str

    def svg_bytes(self) -> bytes:
        return Path(self.svg).read_bytes()

    def data(self) -> pd.DataFrame:
        return pd.read_csv(self.csv)


@dataclass(frozen=True)
class SeriesStyle:
    """How the i-th series of a chart is drawn: colour, darker ink for its text, marker, hatch."""

    colour: str
    ink: str
    marker: str
    marker_size: float
    hatch: str


# -- colours ------------------------------------------------------------------------------------


@functools.cache
def ink(colour: str, min_ratio: float = MIN_TEXT_CONTRAST + 0.1) -> str:
    """``colour``, darkened (same hue) until text in it has ``min_ratio`` contrast against white."""
    h, lightness, s = colorsys.rgb_to_hls(*to_rgb(colour))
    while lightness > 0 and chart_checks.contrast_ratio(colorsys.hls_to_rgb(h, lightness, s)) < min_ratio:
        lightness = max(0.0, lightness - 0.005)
    return to_hex(colorsys.hls_to_rgb(h, lightness, s))


def tint(colour: str, strength: float) -> str:
    """``colour`` mixed with white: ``strength`` 1 is the colour, 0 is white."""
    rgb = np.asarray(to_rgb(colour))
    return to_hex(rgb * strength + (1 - strength))


def series_style(i: int) -> SeriesStyle:
    colour = SERIES_COLOURS[i % len(SERIES_COLOURS)]
    marker = SERIES_MARKERS[i % len(SERIES_MARKERS)]
    return SeriesStyle(colour, ink(colour), marker, MARKER_SIZES[marker], SERIES_HATCHES[i % len(SERIES_HATCHES)])


def register_series(ax, name: str, *, marker: str = "", linestyle: str = "", hatch: str = "") -> None:
    """Record what besides colour tells a series apart (checked by ``chart_checks.check_series_styles``)."""
    if not hasattr(ax, "_chart_series"):
        ax._chart_series = {}
    ax._chart_series[name] = (marker, linestyle, hatch)


# -- the figure ---------------------------------------------------------------------------------


@contextlib.contextmanager
def house_style() -> Iterator[None]:
    """Apply the house style for the duration of a ``with`` block."""
    with plt.style.context(str(paths.HOUSE_STYLE)):
        yield


def new_figure(nrows: int = 1, ncols: int = 1, **kwargs) -> tuple[Figure, object]:
    """A 16:9 figure in the house style, laid out to leave room for title, subtitle and source."""
    with house_style():
        fig, axes = plt.subplots(nrows, ncols, **kwargs)
    fig.subplots_adjust(**LAYOUT)
    return fig, axes


def _role(artist, role: str, **info) -> None:
    artist._chart_role = role
    for key, value in info.items():
        setattr(artist, f"_chart_{key}", value)


def _label_box() -> dict:
    return {"boxstyle": "square,pad=0.12", "facecolor": "white", "edgecolor": "none", "alpha": 0.85}


def label_line_end(ax, x, y, text: str, colour: str, *, marker=None):
    """Direct label at the end of a line instead of a legend (in the series' ink, bold); save_chart
    keeps it inside the figure, moves end labels apart vertically when they would overlap and off
    the data (``marker``: the point's own marker, which it may touch)."""
    label = ax.annotate(
        text,
        xy=(x, y),
        xytext=(7, 0),
        textcoords="offset points",
        va="center",
        ha="left",
        color=ink(colour),
        fontsize=LABEL_SIZE,
        fontweight="bold",
        linespacing=1.15,
        bbox=_label_box(),
        zorder=6,
        annotation_clip=False,
    )
    _role(label, "end", marker=marker)
    return label


def label_point(ax, x, y, text: str, colour: str, *, marker=None):
    """A label for one point off or on a line (flagged, rounded): placed by save_chart where it
    covers no other text, line or marker (``marker``: the point's own)."""
    label = ax.annotate(
        text,
        xy=(x, y),
        xytext=(9, 0),
        textcoords="offset points",
        va="center",
        ha="left",
        color=ink(colour),
        fontsize=NOTE_SIZE,
        bbox=_label_box(),
        zorder=6,
        annotation_clip=False,
        arrowprops={"arrowstyle": "-", "color": ink(colour), "linewidth": 1, "shrinkA": 0, "shrinkB": 5},
    )
    label.arrow_patch.set_visible(False)  # a leader line only when the label had to move away
    _role(label, "point", marker=marker)
    return label


def label_reference(ax, value: float, text: str, *, vertical: bool = False):
    """The label of a reference line at ``value`` (y, or x when ``vertical``): placed by save_chart
    along its line where it covers no other text or series."""
    xy, coords = ((value, 0.98), ("data", "axes fraction")) if vertical else ((0.01, value), ("axes fraction", "data"))
    label = ax.annotate(
        text,
        xy=xy,
        xycoords=coords,
        xytext=(5, 0) if vertical else (0, 5),
        textcoords="offset points",
        va="top" if vertical else "bottom",
        ha="left",
        color=ink(PALETTE["accent"]),
        fontsize=NOTE_SIZE,
        fontweight="bold",
        bbox=_label_box(),
        zorder=6,
        annotation_clip=False,
    )
    _role(label, "reference", vertical=vertical, value=value)
    return label


def label_value(ax, x, y, text: str, *, horizontal: bool = False):
    """A bar's value at its end; save_chart extends the value axis so it stays inside the axes."""
    label = ax.annotate(
        text,
        xy=(x, y),
        xytext=(6, 0) if horizontal else (0, 5),
        textcoords="offset points",
        va="center" if horizontal else "bottom",
        ha="left" if horizontal else "center",
        color=PALETTE["text"],
        fontsize=NOTE_SIZE,
        zorder=6,
        annotation_clip=False,
    )
    _role(label, "value", horizontal=horizontal)
    return label


def tooltip(fig: Figure, artist, text: str) -> None:
    """Give a drawn artist (a point, a bar, a reference line) a ``<title>`` tooltip in the SVG."""
    if not hasattr(fig, "_chart_tooltips"):
        fig._chart_tooltips = {}
    gid = f"datum-{len(fig._chart_tooltips) + 1}"
    artist.set_gid(gid)
    fig._chart_tooltips[gid] = text


def thousands(ax, axis: str = "y") -> None:
    """Axis tick labels with thousands separators."""
    formatter = matplotlib.ticker.FuncFormatter(lambda v, _: f"{v:,.0f}")
    (ax.yaxis if axis == "y" else ax.xaxis).set_major_formatter(formatter)


# -- framing: title, subtitle, source -----------------------------------------------------------


def _renderer(fig: Figure):
    return chart_checks._renderer(fig)


def _extent(artist, renderer) -> Bbox:
    """The box of a text alone (an annotation's without its arrow), where it is now."""
    if isinstance(artist, mtext.Annotation):
        artist.update_positions(renderer)
    return mtext.Text.get_window_extent(artist, renderer)


def _wrap_to(artist: mtext.Text, raw: str, width_px: float, renderer, min_chars: int = 12) -> None:
    """Wrap ``raw`` at word boundaries so that ``artist`` is at most ``width_px`` wide."""
    artist.set_text(raw)
    full = _extent(artist, renderer).width
    if full <= width_px:
        return
    chars = max(min_chars, int(len(raw) * width_px / full))
    while True:
        artist.set_text("\n".join(textwrap.wrap(raw, chars, break_long_words=False)))
        if _extent(artist, renderer).width <= width_px or chars <= min_chars:
            return
        chars -= 2


def _frame_text(fig: Figure, title: str, subtitle: str, source: str) -> Bbox:
    """Title, subtitle and source line, each fitted to the width; returns the box (display px)
    left between them for the axes, their tick labels and direct labels."""
    fig.set_dpi(SLIDE_DPI)
    renderer = _renderer(fig)
    width, height = fig.bbox.width, fig.bbox.height
    usable = width * (1 - 2 * MARGIN)
    gap = 0.012 * height
    common = {"color": PALETTE["text"], "ha": "left", "va": "top", "parse_math": False}
    heading = fig.text(MARGIN, 1 - 0.03, title, fontsize=TITLE_SIZE, fontweight="bold", **common)
    size = TITLE_SIZE
    while _extent(heading, renderer).width > usable and size > TITLE_MIN_SIZE:
        size -= 1
        heading.set_fontsize(size)
    _wrap_to(heading, title, usable, renderer)
    below = _extent(heading, renderer).y0 - gap
    top = below
    if subtitle:
        sub = fig.text(MARGIN, below / height, subtitle, fontsize=SUBTITLE_SIZE, linespacing=1.25, **common)
        _wrap_to(sub, subtitle, usable, renderer)
        top = _extent(sub, renderer).y0
    line = fig.text(
        MARGIN,
        MARGIN,
        f"Source: {source}",
        fontsize=SOURCE_SIZE,
        color=PALETTE["muted"],
        va="bottom",
        ha="left",
        linespacing=1.3,
        parse_math=False,
    )
    _wrap_to(line, f"Source: {source}", usable, renderer)
    bottom = _extent(line, renderer).y1
    return Bbox.from_extents(MARGIN * width, bottom + 2.2 * gap, (1 - MARGIN) * width, top - 2.2 * gap)


# -- laying out and placing labels ----------------------------------------------------------------


def _labels(ax, role: str) -> list[mtext.Annotation]:
    return [t for t in ax.texts if getattr(t, "_chart_role", None) == role and t.get_visible() and t.get_text()]


def _px_per_pt(fig: Figure) -> float:
    return fig.dpi / 72


def _fit_value_labels(ax, renderer) -> None:
    """Extend the value axis so that every bar's value label ends inside the axes."""
    fig = ax.get_figure()
    pad = 4 * _px_per_pt(fig)
    for horizontal in (False, True):
        labels = [t for t in _labels(ax, "value") if t._chart_horizontal == horizontal]
        if not labels:
            continue
        low, high = ax.get_xlim() if horizontal else ax.get_ylim()
        length = ax.bbox.width if horizontal else ax.bbox.height
        needed = high
        for t in labels:
            box = _extent(t, renderer)
            value = t.xy[0] if horizontal else t.xy[1]
            if value <= low:
                continue
            anchor = ax.transData.transform(t.xy)[0 if horizontal else 1]
            beyond = (box.x1 if horizontal else box.y1) - anchor  # label length past the bar's end
            room = length - pad - beyond
            if room > length * 0.2:
                needed = max(needed, low + (value - low) * length / room)
        if needed > high:
            (ax.set_xlim if horizontal else ax.set_ylim)(low, needed)
        for t in labels:  # across the bar: a label wider (taller) than its bar stays inside the axes
            box = _extent(t, renderer)
            start, end = (box.y0, box.y1) if horizontal else (box.x0, box.x1)
            first, last = (ax.bbox.y0, ax.bbox.y1) if horizontal else (ax.bbox.x0, ax.bbox.x1)
            shift = max(0.0, first + pad - start) - max(0.0, end - (last - pad))
            if shift:
                dx, dy = t.xyann
                t.xyann = (dx, dy + shift / _px_per_pt(fig)) if horizontal else (dx + shift / _px_per_pt(fig), dy)


def _stagger_value_labels(ax, renderer) -> None:
    """Value labels of neighbouring vertical bars that would overlap: raise the later one."""
    labels = sorted((t for t in _labels(ax, "value") if not t._chart_horizontal), key=lambda t: t.xy[0])
    placed: list[Bbox] = []
    for t in labels:
        for _ in range(4):
            box = _extent(t, renderer)
            hit = [b for b in placed if b.overlaps(box)]
            if not hit:
                break
            raise_by = (max(b.y1 for b in hit) - box.y0 + 2 * _px_per_pt(ax.get_figure())) / _px_per_pt(ax.get_figure())
            t.xyann = (t.xyann[0], t.xyann[1] + raise_by)
        placed.append(_extent(t, renderer))


def _attached(ax, renderer) -> list[Bbox]:
    """Boxes that move with the axes and must fit in the frame: axes, tick labels, axis labels,
    line-end labels, value labels and a legend placed outside the axes."""
    boxes = [ax.bbox, ax.xaxis.get_tightbbox(renderer), ax.yaxis.get_tightbbox(renderer)]
    boxes += [_extent(t, renderer) for t in _labels(ax, "end") + _labels(ax, "value")]
    legend = ax.get_legend()
    if legend is not None and getattr(legend, "_chart_outside", False):
        boxes.append(legend.get_window_extent(renderer))
    return [b for b in boxes if b is not None and b.width > 0]


def _lay_out(ax, box: Bbox, renderer) -> None:
    """Move the axes edges until everything attached to them fills ``box`` (display px)."""
    fig = ax.get_figure()
    for _ in range(12):
        _fit_value_labels(ax, renderer)
        _stagger_value_labels(ax, renderer)
        block = Bbox.union(_attached(ax, renderer))
        left, bottom = box.x0 - block.x0, box.y0 - block.y0
        right, top = block.x1 - box.x1, block.y1 - box.y1
        if max(abs(left), abs(bottom), abs(right), abs(top)) < 0.5:
            break
        now = ax.bbox
        x0, y0, x1, y1 = now.x0 + left, now.y0 + bottom, now.x1 - right, now.y1 - top
        if x1 - x0 < 0.25 * fig.bbox.width or y1 - y0 < 0.2 * fig.bbox.height:
            break  # what is attached is too big: leave it for the checks to report
        ax.set_position(Bbox.from_extents(x0, y0, x1, y1).transformed(fig.transFigure.inverted()))
    _fit_value_labels(ax, renderer)


def _spread_end_labels(ax, renderer) -> None:
    """Line-end labels that would overlap are pushed apart vertically, within the axes' height."""
    labels = _labels(ax, "end")
    if len(labels) < 2:
        return
    per_pt = _px_per_pt(ax.get_figure())
    gap = 3 * per_pt
    boxes = [_extent(t, renderer) for t in labels]
    centres = [(b.y0 + b.y1) / 2 for b in boxes]
    heights = [b.height for b in boxes]
    low, high = ax.bbox.y0, ax.bbox.y1 + 0.5 * max(heights)
    wanted = list(centres)
    for _ in range(300):
        moved = False
        order = sorted(range(len(labels)), key=lambda i: (wanted[i], i))
        for a_pos, i in enumerate(order):
            for j in order[a_pos + 1 :]:
                if boxes[i].x1 <= boxes[j].x0 or boxes[j].x1 <= boxes[i].x0:
                    continue
                need = (heights[i] + heights[j]) / 2 + gap
                apart = wanted[j] - wanted[i]
                if apart < need - 0.01:
                    push = (need - apart) / 2
                    wanted[i] -= push
                    wanted[j] += push
                    moved = True
        for i in range(len(labels)):
            wanted[i] = min(max(wanted[i], low + heights[i] / 2), high - heights[i] / 2)
        if not moved:
            break
    for t, now, new in zip(labels, centres, wanted):
        if abs(new - now) > 0.01:
            t.xyann = (t.xyann[0], t.xyann[1] + (new - now) / per_pt)


MARKER_WEIGHT = 12.0  # hiding a data point is far worse than covering a stretch of line


class _Obstacles:
    """What a label should not cover: points along the lines and around the markers (display px,
    each with the index of its line in ``ax.lines``) and the boxes of the bars."""

    def __init__(self, ax, renderer):
        fig = ax.get_figure()
        step = 2.5 * _px_per_pt(fig)
        points, owners, weights = [np.empty((0, 2))], [np.empty(0, dtype=int)], [np.empty(0)]
        for index, line in enumerate(ax.lines):
            if not line.get_visible():
                continue
            xy = np.asarray(line.get_xydata(), dtype=float)
            finite = np.isfinite(xy).all(axis=1)
            if not finite.any():
                continue
            px = np.full_like(xy, np.nan)
            px[finite] = line.get_transform().transform(xy[finite])
            found = []
            if line.get_linestyle() not in ("None", "none", "", " ") and len(px) > 1:
                for a, b in zip(px[:-1], px[1:]):
                    if not (np.isfinite(a).all() and np.isfinite(b).all()):
                        continue  # a gap in the line
                    n = max(2, int(np.hypot(*(b - a)) / step) + 1)
                    found.append((a + (b - a) * np.linspace(0, 1, n)[:, None], 1.0))
            px = px[finite]
            if line.get_marker() not in (None, "None", "none", "", " "):
                r = line.get_markersize() / 2 * _px_per_pt(fig) + 2
                ring = np.array([[0, 0], [r, 0], [-r, 0], [0, r], [0, -r], [r, r], [-r, -r], [r, -r], [-r, r]])
                found.append(((px[:, None, :] + ring[None, :, :]).reshape(-1, 2), MARKER_WEIGHT))
            for chunk, weight in found:
                points.append(chunk)
                owners.append(np.full(len(chunk), index))
                weights.append(np.full(len(chunk), weight))
        self.points = np.concatenate(points)
        self.owners = np.concatenate(owners)
        self.weights = np.concatenate(weights)
        self.bars = [p.get_window_extent(renderer) for p in ax.patches if p.get_visible()]
        self.lines = list(ax.lines)

    def _mask(self, skip_line=None, near=None, radius: float = 0.0) -> np.ndarray:
        keep = np.ones(len(self.points), dtype=bool)
        for line in skip_line if isinstance(skip_line, list | tuple) else [skip_line]:
            if line is not None and line in self.lines:
                keep &= self.owners != self.lines.index(line)
        if near is not None:
            keep &= np.hypot(*(self.points - near).T) > radius
        return keep

    def cost(self, box: Bbox, *, skip_line=None, near=None, radius: float = 0.0) -> float:
        keep = self._mask(skip_line, near, radius)
        pts, weights = self.points[keep], self.weights[keep]
        inside = (pts[:, 0] >= box.x0) & (pts[:, 0] <= box.x1) & (pts[:, 1] >= box.y0) & (pts[:, 1] <= box.y1)
        return float(weights[inside].sum()) + 50.0 * sum(1 for b in self.bars if b.overlaps(box))

    def along(self, samples: np.ndarray, *, within: float, skip_line=None) -> float:
        """How many obstacle points lie within ``within`` px of a path of ``samples``."""
        keep = self._mask(skip_line)
        pts, weights = self.points[keep], self.weights[keep]
        if not len(pts) or not len(samples):
            return 0.0
        distance = np.hypot(pts[:, None, 0] - samples[None, :, 0], pts[:, None, 1] - samples[None, :, 1])
        return float(weights[distance.min(axis=1) < within].sum())

    def copy(self) -> _Obstacles:
        other = object.__new__(_Obstacles)
        other.__dict__.update(self.__dict__)
        return other

    def add(self, samples: np.ndarray) -> None:
        self.points = np.concatenate([self.points, samples])
        self.owners = np.concatenate([self.owners, np.full(len(samples), -1)])
        self.weights = np.concatenate([self.weights, np.ones(len(samples))])


def _hits(box: Bbox, taken: list[Bbox]) -> bool:
    return any(box.overlaps(other) for other in taken)


def _inside(box: Bbox, area: Bbox, tolerance: float = 1.0) -> bool:
    return (
        box.x0 >= area.x0 - tolerance
        and box.x1 <= area.x1 + tolerance
        and box.y0 >= area.y0 - tolerance
        and box.y1 <= area.y1 + tolerance
    )


def _best(t: mtext.Annotation, candidates, apply, score, renderer, area: Bbox, taken, pad: float):
    """Try each candidate placement of ``t`` (``apply`` moves it there); keep the one inside
    ``area`` that overlaps no text of ``taken`` and has the lowest ``score(candidate, box)``
    (None: not allowed). Without any, the least bad one: the checks will then report it."""
    best, best_cost = None, None
    fallback = []
    for rank, candidate in enumerate(candidates):
        apply(t, candidate)
        box = _extent(t, renderer)
        clash = _hits(box.padded(pad), taken)
        outside = not _inside(box, area)
        cost = score(candidate, box)
        fallback.append((1000 * clash + 1000 * outside + (cost if cost is not None else 500), rank))
        if clash or outside or cost is None:
            continue
        cost += 0.01 * rank
        if best_cost is None or cost < best_cost:
            best, best_cost = candidate, cost
            if cost < 0.5:
                break
    if best is None:
        best_cost, rank = min(fallback)
        best = candidates[rank]
    apply(t, best)
    return best, _extent(t, renderer), best_cost


def _place_legend(ax, renderer, taken: list[Bbox], obstacles: _Obstacles, area: Bbox) -> bool:
    """Put the legend in a corner of the axes where it covers no text and no data; False if no
    such corner exists (the legend then goes above the axes, in a row)."""
    legend = ax.get_legend()
    if legend is None or getattr(legend, "_chart_outside", False):
        return True
    pad = 5 * _px_per_pt(ax.get_figure())
    for loc in (
        "upper left",
        "upper right",
        "lower right",
        "lower left",
        "center left",
        "center right",
        "upper center",
    ):
        legend.set_loc(loc)
        box = legend.get_window_extent(renderer)
        if _inside(box, ax.bbox) and not _hits(box.padded(pad), taken) and obstacles.cost(box.padded(pad)) == 0:
            return True
    for ncols in range(len(legend.legend_handles), 0, -1):
        legend.set_ncols(ncols)
        legend.set_loc("lower left")
        legend.set_bbox_to_anchor((0, 1.01), transform=ax.transAxes)
        if legend.get_window_extent(renderer).width <= area.width:
            break
    legend._chart_outside = True
    return False


def _offset(t, candidate) -> None:
    dx, dy, ha, va = candidate
    t.xyann = (dx, dy)
    t.set_ha(ha)
    t.set_va(va)
    if t.arrow_patch is not None:
        t.arrow_patch.set_visible(_far(candidate))


def _far(candidate) -> bool:
    return abs(candidate[0]) > 14 or abs(candidate[1]) > 14


def _anchor_px(t, renderer) -> np.ndarray:
    t.update_positions(renderer)
    return np.asarray(t._get_xy_display())


def _place_end_labels(ax, renderer, box: Bbox, taken: list[Bbox], obstacles: _Obstacles) -> list[Bbox]:
    """Each line-end label where it covers no data: to the right of the line's end (after the
    vertical spread), else a little higher or lower, above, below or to the left."""
    labels = _labels(ax, "end")
    per_pt = _px_per_pt(ax.get_figure())
    pad = 2 * per_pt
    placed = []
    for t in labels:
        others = [_extent(o, renderer) for o in labels if o is not t]
        height = _extent(t, renderer).height / per_pt
        dx, dy = t.xyann
        candidates = [(dx, dy, "left", "center")]
        candidates += [(dx, dy + k * height, "left", "center") for k in (0.6, -0.6, 1.1, -1.1, 1.7, -1.7, 2.4, -2.4)]
        candidates += [(0, 11, "center", "bottom"), (0, -11, "center", "top")]
        candidates += [(-dx, k * height, "right", "center") for k in (0, 0.6, -0.6, 1.2, -1.2)]
        own = getattr(t, "_chart_marker", None)

        def score(candidate, where, own=own, first=candidates[0]):
            shift = 0 if candidate == first else 2 + abs(candidate[1]) / 10
            return obstacles.cost(where.padded(pad), skip_line=own) + shift

        area = Bbox.from_extents(box.x0, ax.bbox.y0, box.x1, box.y1)
        _, where, _ = _best(t, candidates, _offset, score, renderer, area, taken + others, pad)
        placed.append(where)
    return placed


POINT_OFFSETS = [
    (dx * d, dy * d, ha, va)
    for d in (1, 2.4, 4)
    for dx, dy, ha, va in (
        (9, 0, "left", "center"),
        (9, -3, "left", "top"),
        (9, 3, "left", "bottom"),
        (8, -7, "left", "top"),
        (8, 7, "left", "bottom"),
        (-9, 0, "right", "center"),
        (-8, -7, "right", "top"),
        (-8, 7, "right", "bottom"),
        (0, 10, "center", "bottom"),
        (0, -10, "center", "top"),
    )
]
FAR_PENALTY = 25.0  # as bad as covering some 60 px of line: a label stays by its point when it can


def _leader(anchor: np.ndarray, box: Bbox, skip: float, step: float) -> np.ndarray:
    """Points along a leader line from ``skip`` px off the anchor to the nearest point of ``box``."""
    target = np.array([min(max(anchor[0], box.x0), box.x1), min(max(anchor[1], box.y0), box.y1)])
    length = float(np.hypot(*(target - anchor)))
    if length <= skip:
        return np.empty((0, 2))
    n = max(2, int((length - skip) / step) + 1)
    direction = (target - anchor) / length
    return anchor + direction * np.linspace(skip, length, n)[:, None]


def _place_point_labels(ax, renderer, taken: list[Bbox], obstacles: _Obstacles) -> None:
    """Labels of loose points by their points, greedily, in the order (of a few tried: as given,
    reversed, top down, bottom up, left to right) that covers the least."""
    labels = _labels(ax, "point")
    if not labels:
        return
    per_pt = _px_per_pt(ax.get_figure())
    pad, skip = 2 * per_pt, 8 * per_pt
    anchors = {id(t): _anchor_px(t, renderer) for t in labels}
    orders = [labels, labels[::-1]]
    orders += [sorted(labels, key=lambda t: -anchors[id(t)][1]), sorted(labels, key=lambda t: anchors[id(t)][1])]
    orders += [sorted(labels, key=lambda t: anchors[id(t)][0])]
    best = None
    for order in orders[: 5 if len(labels) > 1 else 1]:
        result = _place_in_order(order, anchors, renderer, ax.bbox, list(taken), obstacles.copy(), pad, skip, per_pt)
        if best is None or result[0] < best[0]:
            best = result
    _, chosen, leaders, boxes = best
    for t, candidate in chosen:
        _offset(t, candidate)
    for line in leaders:
        obstacles.add(line)
    taken.extend(boxes)


def _place_in_order(order, anchors, renderer, area, taken, obstacles, pad, skip, per_pt):
    total, chosen, leaders, boxes = 0.0, [], [], []
    for t in order:
        anchor = anchors[id(t)]
        own = getattr(t, "_chart_marker", None)

        def score(candidate, where, anchor=anchor, own=own):
            cost = obstacles.cost(where.padded(pad), skip_line=own)
            if not _far(candidate):
                return cost
            line = _leader(anchor, where, skip, 2 * per_pt)
            if any(b.contains(*p) for b in taken for p in line):
                return None  # a leader line through a text
            return cost + FAR_PENALTY + obstacles.along(line, within=3 * per_pt, skip_line=own)

        candidate, where, cost = _best(t, POINT_OFFSETS, _offset, score, renderer, area, taken, pad)
        total += cost
        if _far(candidate):
            line = _leader(anchor, where, skip, 2 * per_pt)
            obstacles.add(line)
            leaders.append(line)
        taken.append(where)
        boxes.append(where)
        chosen.append((t, candidate))
    return total, chosen, leaders, boxes


def _reference_candidates(t) -> list:
    if t._chart_vertical:
        return [(fy, side) for fy in (0.98, 0.02, 0.5, 0.75, 0.25) for side in (1, -1)]
    return [(fx, side) for side in (1, -1) for fx in (0.01, 0.99, 0.5, 0.25, 0.75)]


def _apply_reference(t, candidate) -> None:
    where, side = candidate
    if t._chart_vertical:
        t.xy = (t._chart_value, where)
        t.xyann = (5 * side, 0)
        t.set_ha("left" if side > 0 else "right")
        t.set_va("top" if where > 0.9 else "bottom" if where < 0.1 else "center")
    else:
        t.xy = (where, t._chart_value)
        t.xyann = (0, 5 * side)
        t.set_ha("left" if where < 0.1 else "right" if where > 0.9 else "center")
        t.set_va("bottom" if side > 0 else "top")


def _place_reference_labels(ax, renderer, taken: list[Bbox], obstacles: _Obstacles) -> None:
    pad = 2 * _px_per_pt(ax.get_figure())
    for t in _labels(ax, "reference"):
        line = getattr(t, "_chart_line", None)

        def score(candidate, where, line=line):
            return obstacles.cost(where.padded(pad), skip_line=line)

        _, where, _ = _best(t, _reference_candidates(t), _apply_reference, score, renderer, ax.bbox, taken, pad)
        taken.append(where)


def _fixed_texts(fig: Figure, ax, renderer) -> list[Bbox]:
    """Boxes of the texts that stay where they are: all but the movable labels of ``ax``."""
    movable = set(_labels(ax, "reference") + _labels(ax, "point") + _labels(ax, "end"))
    legend = ax.get_legend()
    outside = legend is not None and getattr(legend, "_chart_outside", False)
    if legend is not None and not outside:
        movable |= set(legend.get_texts())
    return [d.bbox for d in chart_checks.drawn_texts(fig) if d.artist not in movable]


def finish(fig: Figure, box: Bbox | None = None) -> None:
    """Lay the axes out in ``box`` (display px) and place the labels the views marked: end labels
    spread and kept off the data, the legend in an empty corner (else above the axes), reference
    labels along their lines, point labels by their points (see the module docstring)."""
    renderer = _renderer(fig)
    if box is None:
        w, h = fig.bbox.width, fig.bbox.height
        box = Bbox.from_extents(MARGIN * w, MARGIN * h, (1 - MARGIN) * w, (1 - MARGIN) * h)
    axes = [ax for ax in fig.axes if ax.get_visible()]
    for ax in axes:
        for round_ in range(3):  # lay out, place; again with the labels where they went (and the legend)
            if len(axes) == 1:
                _lay_out(ax, box, renderer)
            if round_ == 0:
                _spread_end_labels(ax, renderer)
            fixed = _fixed_texts(fig, ax, renderer)
            obstacles = _Obstacles(ax, renderer)
            ends = _place_end_labels(ax, renderer, box, fixed, obstacles)
            settled = _place_legend(ax, renderer, fixed + ends, obstacles, box) or len(axes) > 1
            if round_ >= 1 and settled:
                break
        taken = fixed + ends
        legend = ax.get_legend()
        if legend is not None:
            taken.append(legend.get_window_extent(renderer))  # the whole box, handles too
        _place_reference_labels(ax, renderer, taken, obstacles)
        _place_point_labels(ax, renderer, taken, obstacles)


# -- saving -------------------------------------------------------------------------------------


def _with_tooltips(svg: bytes, tips: dict[str, str], title: str, alt: str, name: str) -> bytes:
    """Insert each ``<title>`` into the group matplotlib wrote for its artist (its id prefixed with
    the figure's name, unique on a page holding several charts), and the chart's own title and
    description after the opening ``<svg>`` tag (no script: plain SVG tooltips)."""
    for gid, text in tips.items():
        tag = f'<g id="{gid}">'.encode()
        named = f'<g id="{name}-{gid}">\n   <title>{escape(text)}</title>'.encode()
        svg = svg.replace(tag, named, 1)
    start = svg.find(b"<svg")
    end = svg.find(b">", start) + 1
    head = f"\n <title>{escape(title)}</title>\n <desc>{escape(alt)}</desc>".encode()
    return svg[:end] + head + svg[end:]


def save_chart(
    fig: Figure,
    name: str,
    *,
    title: str,
    subtitle: str,
    source: str,
    alt: str,
    data: pd.DataFrame,
    out_dir: Path,
    strict: bool = False,
) -> SavedChart:
    """Frame the figure (title, subtitle, source line), lay it out, check it against the chart
    rules, write PNG/SVG/CSV/JSON and close it. A chart that breaks a rule is saved with its
    problems listed in its JSON sidecar (``chart_problems``) and a warning, so unusual data (a very
    long name) never stops a report; the tests hold every published chart to zero problems.
    ``strict``: raise :class:`~demining_sdg.present.chart_checks.ChartRuleError` instead."""
    if not name.replace("_", "").isalnum():
        raise ValueError(f"figure name {name!r}: use letters, digits and underscores only")
    out_dir = Path(out_dir)
    with house_style():
        box = _frame_text(fig, title, subtitle, source)
        finish(fig, box)
        problems = chart_checks.check_figure(fig)
    if problems and strict:
        plt.close(fig)
        raise chart_checks.ChartRuleError(name, problems)
    if problems:
        warnings.warn(str(chart_checks.ChartRuleError(name, problems)), stacklevel=2)
    out_dir.mkdir(parents=True, exist_ok=True)
    stem = out_dir / name
    png, svg, csv, sidecar = (stem.with_suffix(s) for s in (".png", ".svg", ".csv", ".json"))
    buffer = BytesIO()
    with house_style():  # svg.hashsalt is read at save time: fixed ids, identical bytes
        fig.savefig(png, dpi=SLIDE_DPI, metadata={"Software": None})
        fig.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None})
    svg.write_bytes(_with_tooltips(buffer.getvalue(), getattr(fig, "_chart_tooltips", {}), title, alt, name))
    plt.close(fig)
    data.to_csv(csv, index=False, lineterminator="\n")
    chart = SavedChart(
        name=name,
        title=title,
        subtitle=subtitle,
        source=source,
        alt=alt,
        png=str(png),
        svg=str(svg),
        csv=str(csv),
        sidecar=str(sidecar),
    )
    meta = {k: v for k, v in asdict(chart).items() if k not in {"png", "svg", "csv", "sidecar"}}
    meta["files"] = [p.name for p in (png, svg, csv)]
    if problems:
        meta["chart_problems"] = problems
    sidecar.write_text(json.dumps(meta, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return chart
