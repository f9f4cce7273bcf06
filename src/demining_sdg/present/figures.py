"""One house style for every figure, and one way to save it.

``save_chart`` writes the slide-ready files (PNG at 1920×1080, the size of a full-HD slide; SVG, the plotted data as CSV and a
JSON sidecar with title, subtitle, source, alt text and the height of the title band) and returns a :class:`SavedChart`
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
from demining_sdg.present.label_layout import MARGIN, _extent, _renderer, finish  # noqa: E402

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
PNG_LEVEL = 1  # zlib level of the PNG: 2.5x faster to write than the default 6, for files about 12% larger
LAYOUT = {"left": 0.1, "right": 0.96, "top": 0.78, "bottom": 0.2}  # before save_chart lays the axes out
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


def _frame_text(fig: Figure, title: str, subtitle: str, source: str) -> tuple[Bbox, float]:
    """Title, subtitle and source line, each fitted to the width; returns the box (display px)
    left between them for the axes, their tick labels and direct labels, and the title's band: the
    share of the height from the top to halfway down the gap under the title (a slide whose own
    title states the finding shows the picture cropped of it)."""
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
    band = round((height - below - gap / 2) / height, 4)
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
    return Bbox.from_extents(MARGIN * width, bottom + 2.2 * gap, (1 - MARGIN) * width, top - 2.2 * gap), band


# -- laying out and placing labels ----------------------------------------------------------------


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
        box, band = _frame_text(fig, title, subtitle, source)
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
        fig.savefig(png, dpi=SLIDE_DPI, metadata={"Software": None}, pil_kwargs={"compress_level": PNG_LEVEL})
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
    meta["title_band"] = band
    if problems:
        meta["chart_problems"] = problems
    sidecar.write_text(json.dumps(meta, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return chart
