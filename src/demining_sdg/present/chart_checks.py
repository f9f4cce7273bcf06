"""Rules every published chart keeps, checked on the figure as it is about to be saved.

Each ``check_*`` function takes a matplotlib figure and returns a list of problems (plain sentences,
empty when the rule holds); :func:`check_figure` runs them all. ``figures.save_chart`` calls it and
refuses to write a chart that breaks a rule (:class:`ChartRuleError`), so a chapter producing a
bad chart fails loudly instead of publishing it.

The rules and their thresholds:

* **contrast**: every text at least 4.5:1 against what is behind it (WCAG 2 AA); 3:1 only for
  large bold text (14 pt bold and over).
* **size**: every text at least 12 pt on the 12.8 in figure, which is at least 25 px when the
  figure is shown 1920 px wide (a full-HD slide) and at least 12 px at 900 px, the width of the
  report's text column.
* **overlap**: no two texts' bounding boxes overlap (more than 1 px at 1920 px wide).
* **canvas**: every text lies inside the figure (no clipped labels).
* **series**: two series of one chart never differ by colour alone: each has its own marker,
  line style or hatch (see ``figures.register_series``).

Only texts that are actually drawn are checked: the figure is drawn once with a recorder on
:meth:`matplotlib.text.Text.draw`, so hidden tick labels and empty strings do not count.
"""

from __future__ import annotations

import contextlib
import itertools
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import numpy as np
from matplotlib import font_manager
from matplotlib import text as mtext
from matplotlib.backend_bases import RendererBase
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.colors import to_rgb, to_rgba
from matplotlib.figure import Figure
from matplotlib.transforms import Bbox

MIN_CONTRAST = 4.5
MIN_CONTRAST_LARGE_BOLD = 3.0
LARGE_BOLD_PT = 14.0
BOLD_WEIGHT = 700
MIN_PT = 12.0
MIN_PX = {1920: 25.0, 900: 12.0}  # the figure shown this many px wide: smallest text height (font size) in px
OVERLAP_TOLERANCE_PX = 1.0  # at 1920 px wide
CANVAS_TOLERANCE_PX = 0.5  # at 1920 px wide
REFERENCE_WIDTH_PX = 1920


class ChartRuleError(ValueError):
    """A chart breaks one of the rules above; the message names the figure and every problem."""

    def __init__(self, figure: str, problems: Sequence[str]):
        self.figure = figure
        self.problems = list(problems)
        listed = "\n".join(f"  - {p}" for p in self.problems)
        super().__init__(f"figure {figure!r} breaks {len(self.problems)} chart rule(s) and was not saved:\n{listed}")


@dataclass(frozen=True)
class DrawnText:
    """A text as drawn: its artist, box in display pixels (at the figure's dpi) and what it looks like."""

    artist: mtext.Text
    text: str
    bbox: Bbox
    size_pt: float
    weight: int
    colour: tuple[float, float, float]  # blended over its background
    background: tuple[float, float, float]

    @property
    def short(self) -> str:
        flat = " ".join(self.text.split())
        return flat if len(flat) <= 48 else flat[:45] + "..."


# -- colour -------------------------------------------------------------------------------------


def relative_luminance(colour) -> float:
    """WCAG 2 relative luminance of an sRGB colour."""
    rgb = np.asarray(to_rgb(colour), dtype=float)
    linear = np.where(rgb <= 0.04045, rgb / 12.92, ((rgb + 0.055) / 1.055) ** 2.4)
    return float(0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2])


def contrast_ratio(foreground, background="white") -> float:
    """WCAG 2 contrast ratio (1 to 21) of two opaque colours."""
    lighter, darker = sorted((relative_luminance(foreground), relative_luminance(background)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def _blend(colour, background) -> tuple[float, float, float]:
    r, g, b, a = to_rgba(colour)
    back = np.asarray(to_rgb(background))
    return tuple(float(v) for v in np.asarray([r, g, b]) * a + back * (1 - a))


def _hex(rgb) -> str:
    return "#" + "".join(f"{round(v * 255):02x}" for v in rgb)


# Machado, Oliveira & Fernandes (2009) simulation matrices, severity 1.0, on linear RGB.
CVD_MATRICES = {
    "protanopia": np.array(
        [[0.152286, 1.052583, -0.204868], [0.114503, 0.786281, 0.099216], [-0.003882, -0.048116, 1.051998]]
    ),
    "deuteranopia": np.array(
        [[0.367322, 0.860646, -0.227968], [0.280085, 0.672501, 0.047413], [-0.011820, 0.042940, 0.968881]]
    ),
    "tritanopia": np.array(
        [[1.255528, -0.076749, -0.178779], [-0.078411, 0.930809, 0.147602], [0.004733, 0.691367, 0.303900]]
    ),
}
MIN_CVD_DISTANCE = 10.0  # CIE76 delta E between any two palette colours, under each simulated deficiency


def _linear(colour) -> np.ndarray:
    rgb = np.asarray(to_rgb(colour), dtype=float)
    return np.where(rgb <= 0.04045, rgb / 12.92, ((rgb + 0.055) / 1.055) ** 2.4)


def _lab(linear_rgb: np.ndarray) -> np.ndarray:
    xyz = np.array([[0.4124, 0.3576, 0.1805], [0.2126, 0.7152, 0.0722], [0.0193, 0.1192, 0.9505]]) @ linear_rgb
    xyz = xyz / np.array([0.95047, 1.0, 1.08883])
    f = np.where(xyz > 0.008856, np.cbrt(xyz), 7.787 * xyz + 16 / 116)
    return np.array([116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])])


def cvd_distances(colours: Sequence[str]) -> dict[str, tuple[float, str, str]]:
    """The closest pair of ``colours`` (CIE76 delta E) as seen with each colour-vision deficiency
    (and with normal vision): ``{"protanopia": (distance, colour, colour), ...}``."""
    found = {}
    for name, matrix in {"normal": np.eye(3), **CVD_MATRICES}.items():
        labs = [(c, _lab(np.clip(matrix @ _linear(c), 0, 1))) for c in colours]
        found[name] = min(
            ((float(np.linalg.norm(a - b)), ca, cb) for (ca, a), (cb, b) in itertools.combinations(labs, 2)),
            default=(float("inf"), "", ""),
        )
    return found


def check_palette(colours: Sequence[str], min_distance: float = MIN_CVD_DISTANCE) -> list[str]:
    """Problems with a categorical palette: two colours that merge for a colour-blind reader."""
    return [
        f"colours {a} and {b} are only {d:.1f} apart (delta E) under {vision}, below {min_distance:g}"
        for vision, (d, a, b) in cvd_distances(colours).items()
        if d < min_distance
    ]


# -- what is drawn ------------------------------------------------------------------------------


def _renderer(fig: Figure):
    canvas = fig.canvas if isinstance(fig.canvas, FigureCanvasAgg) else FigureCanvasAgg(fig)
    return canvas.get_renderer()


# Everything a renderer can put on the canvas except text: a measuring draw skips it (positions and
# sizes come from the layout, not from the pixels), which makes it several times cheaper than a real one.
_NOT_TEXT = [
    name
    for name in dir(RendererBase)
    if (name.startswith("draw_") and name != "draw_text") or name in ("open_group", "close_group")
]


@contextlib.contextmanager
def _recording_texts(renderer) -> Iterator[list[mtext.Text]]:
    """Draw the figure without rendering anything and record each Text that would have put glyphs
    on ``renderer`` while the block draws (as ``Figure.draw_without_rendering`` does, but keeping
    the texts)."""
    drawn: list[mtext.Text] = []
    current: list[mtext.Text] = []
    original_draw = mtext.Text.draw

    def draw(self, renderer_):
        current.append(self)
        try:
            return original_draw(self, renderer_)
        finally:
            current.pop()

    def draw_text(*args, **kwargs):
        if current and not any(d is current[-1] for d in drawn):
            drawn.append(current[-1])

    def nothing(*args, **kwargs):
        return None

    own = vars(renderer)
    kept = {name: own[name] for name in ["draw_text", *_NOT_TEXT] if name in own}  # Agg binds some per instance
    mtext.Text.draw = draw
    renderer.draw_text = draw_text
    for name in _NOT_TEXT:
        setattr(renderer, name, nothing)
    try:
        yield drawn
    finally:
        mtext.Text.draw = original_draw
        for name in ["draw_text", *_NOT_TEXT]:
            own.pop(name, None)
        own.update(kept)


def _weight(artist: mtext.Text) -> int:
    weight = artist.get_fontweight()
    if isinstance(weight, str):
        return int(font_manager.weight_dict.get(weight, 400))
    return int(weight)


def _background(artist: mtext.Text, fig: Figure) -> tuple[float, float, float]:
    base = to_rgb(fig.get_facecolor())
    if artist.axes is not None and artist.axes.patch.get_visible():
        base = _blend(artist.axes.patch.get_facecolor(), base)
    patch = artist.get_bbox_patch()
    if patch is not None and patch.get_visible() and patch.get_fill():
        base = _blend(patch.get_facecolor(), base)
    return tuple(float(v) for v in base)


def drawn_texts(fig: Figure) -> list[DrawnText]:
    """Every text the figure draws, with its box in display pixels at the figure's dpi."""
    renderer = _renderer(fig)
    with _recording_texts(renderer) as drawn:
        fig.draw(renderer)
    found = []
    for artist in drawn:
        if not artist.get_text().strip():
            continue
        background = _background(artist, fig)
        rgba = to_rgba(artist.get_color(), artist.get_alpha())
        found.append(
            DrawnText(
                artist=artist,
                text=artist.get_text(),
                bbox=mtext.Text.get_window_extent(artist, renderer),
                size_pt=float(artist.get_fontsize()),
                weight=_weight(artist),
                colour=_blend(rgba, background),
                background=background,
            )
        )
    return found


def _scale(fig: Figure, width_px: float = REFERENCE_WIDTH_PX) -> float:
    """Display pixels (at the figure's dpi) to pixels when the figure is shown ``width_px`` wide."""
    return width_px / (fig.get_figwidth() * fig.dpi)


# -- the rules ----------------------------------------------------------------------------------


def check_contrast(fig: Figure, texts: Sequence[DrawnText] | None = None) -> list[str]:
    """Texts whose colour has less contrast against their background than the rule asks."""
    problems = []
    for t in drawn_texts(fig) if texts is None else texts:
        large_bold = t.size_pt >= LARGE_BOLD_PT and t.weight >= BOLD_WEIGHT
        needed = MIN_CONTRAST_LARGE_BOLD if large_bold else MIN_CONTRAST
        ratio = contrast_ratio(t.colour, t.background)
        if ratio < needed - 1e-9:
            problems.append(
                f"text {t.short!r}: contrast {ratio:.2f}:1 ({_hex(t.colour)} on {_hex(t.background)}, "
                f"{t.size_pt:g} pt{' bold' if t.weight >= BOLD_WEIGHT else ''}), below {needed:g}:1"
            )
    return problems


def font_px(fig: Figure, size_pt: float, width_px: float) -> float:
    """A font size in pixels when the figure is shown ``width_px`` wide."""
    return size_pt / 72 * width_px / fig.get_figwidth()


def check_font_sizes(
    fig: Figure,
    texts: Sequence[DrawnText] | None = None,
    *,
    min_pt: float = MIN_PT,
    min_px: dict[int, float] | None = None,
) -> list[str]:
    """Texts smaller than ``min_pt`` or, shown at each width of ``min_px``, smaller than its px."""
    min_px = MIN_PX if min_px is None else min_px
    problems = []
    for t in drawn_texts(fig) if texts is None else texts:
        too_small = [f"{t.size_pt:g} pt, below {min_pt:g} pt"] if t.size_pt < min_pt - 1e-9 else []
        for width, least in sorted(min_px.items(), reverse=True):
            px = font_px(fig, t.size_pt, width)
            if px < least - 1e-9:
                too_small.append(f"{px:.1f} px at {width} px wide, below {least:g} px")
        if too_small:
            problems.append(f"text {t.short!r} is too small: {'; '.join(too_small)}")
    return problems


def check_overlaps(
    fig: Figure, texts: Sequence[DrawnText] | None = None, *, tolerance_px: float = OVERLAP_TOLERANCE_PX
) -> list[str]:
    """Pairs of texts whose boxes overlap by more than ``tolerance_px`` (at 1920 px wide)."""
    texts = drawn_texts(fig) if texts is None else texts
    scale = _scale(fig)
    shrink = tolerance_px / scale
    problems = []
    for a, b in itertools.combinations(texts, 2):
        box_a, box_b = a.bbox.padded(-shrink), b.bbox.padded(-shrink)
        if box_a.width <= 0 or box_b.width <= 0 or box_a.height <= 0 or box_b.height <= 0:
            continue
        if box_a.overlaps(box_b):
            width = (min(a.bbox.x1, b.bbox.x1) - max(a.bbox.x0, b.bbox.x0)) * scale
            height = (min(a.bbox.y1, b.bbox.y1) - max(a.bbox.y0, b.bbox.y0)) * scale
            if width > tolerance_px and height > tolerance_px:
                problems.append(
                    f"texts {a.short!r} and {b.short!r} overlap ({width:.0f} x {height:.0f} px at 1920 px wide)"
                )
    return problems


def check_canvas(
    fig: Figure, texts: Sequence[DrawnText] | None = None, *, tolerance_px: float = CANVAS_TOLERANCE_PX
) -> list[str]:
    """Texts that reach outside the figure (clipped in the PNG and SVG)."""
    texts = drawn_texts(fig) if texts is None else texts
    scale = _scale(fig)
    width, height = fig.get_figwidth() * fig.dpi, fig.get_figheight() * fig.dpi
    problems = []
    for t in texts:
        out = {
            "left": -t.bbox.x0,
            "right": t.bbox.x1 - width,
            "bottom": -t.bbox.y0,
            "top": t.bbox.y1 - height,
        }
        sides = [f"{side} by {by * scale:.0f} px" for side, by in out.items() if by * scale > tolerance_px]
        if sides:
            problems.append(f"text {t.short!r} leaves the figure at the {', '.join(sides)} (at 1920 px wide)")
    return problems


def check_series_styles(fig: Figure) -> list[str]:
    """Series of one chart that differ only by colour (from what ``figures.register_series`` recorded)."""
    problems = []
    for ax in fig.axes:
        seen: dict[tuple, str] = {}
        for name, style in getattr(ax, "_chart_series", {}).items():
            if style in seen:
                problems.append(
                    f"series {seen[style]!r} and {name!r} differ by colour alone (same marker, line and hatch)"
                )
            else:
                seen[style] = name
    return problems


def check_figure(fig: Figure) -> list[str]:
    """Every problem of the figure under all the rules (empty: the chart may be published)."""
    texts = drawn_texts(fig)
    return [
        *check_contrast(fig, texts),
        *check_font_sizes(fig, texts),
        *check_overlaps(fig, texts),
        *check_canvas(fig, texts),
        *check_series_styles(fig),
    ]


# -- the saved SVG ------------------------------------------------------------------------------

_TITLE = re.compile(rb"<title>(.*?)</title>", re.DOTALL)


def svg_tooltips(svg: bytes) -> list[str]:
    """The ``<title>`` tooltips of a saved SVG (unescaped), in document order."""
    from html import unescape

    return [unescape(m.group(1).decode("utf-8")) for m in _TITLE.finditer(svg)]
