"""One house style for every figure, and one way to save it.

``save_chart`` writes the slide-ready files (PNG at 1920×1080, the size of a full-HD slide; SVG, the plotted data as CSV and a
JSON sidecar with title, subtitle, source and alt text) and returns a :class:`SavedChart`
that the report shows with a numbered caption.
"""

from __future__ import annotations

import contextlib
import json
import textwrap
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from io import BytesIO
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from demining_sdg import paths  # noqa: E402

PALETTE = {
    "primary": "#12436D",  # dark blue: the series the finding is about
    "secondary": "#28A197",  # turquoise
    "tertiary": "#801650",  # dark pink
    "accent": "#F46A25",  # orange: targets, thresholds, the claim being checked
    "context": "#A6A6A6",  # grey: context and comparison series
    "text": "#3D3D3D",
}
SERIES_COLOURS = [PALETTE["primary"], PALETTE["secondary"], PALETTE["tertiary"], PALETTE["accent"]]
TITLE_SIZE = 20
SUBTITLE_SIZE = 13
SOURCE_SIZE = 10
SOURCE_CHARS_PER_LINE = 150  # at SOURCE_SIZE on the 12.8 in wide figure
SLIDE_DPI = 150  # 12.8 x 7.2 in at 150 dpi = 1920 x 1080 px: a full-HD slide, four times cheaper than 300 dpi
LAYOUT = {"left": 0.1, "right": 0.96, "top": 0.80, "bottom": 0.15}


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


def label_line_end(ax, x, y, text: str, colour: str) -> None:
    """Direct label at the end of a line instead of a legend."""
    ax.annotate(
        text,
        xy=(x, y),
        xytext=(6, 0),
        textcoords="offset points",
        va="center",
        ha="left",
        color=colour,
        fontsize=11,
        fontweight="bold",
    )


def thousands(ax, axis: str = "y") -> None:
    """Axis tick labels with thousands separators."""
    formatter = matplotlib.ticker.FuncFormatter(lambda v, _: f"{v:,.0f}")
    (ax.yaxis if axis == "y" else ax.xaxis).set_major_formatter(formatter)


def _frame_text(fig: Figure, title: str, subtitle: str, source: str) -> None:
    title_size = TITLE_SIZE if len(title) <= 72 else max(14, int(TITLE_SIZE * 72 / len(title)))
    fig.text(0.02, 0.965, title, fontsize=title_size, fontweight="bold", color=PALETTE["text"], va="top", ha="left")
    fig.text(0.02, 0.895, subtitle, fontsize=SUBTITLE_SIZE, color=PALETTE["text"], va="top", ha="left")
    lines = textwrap.wrap(f"Source: {source}", width=SOURCE_CHARS_PER_LINE)
    size = SOURCE_SIZE if len(lines) <= 3 else SOURCE_SIZE - 2
    if len(lines) > 3:
        lines = textwrap.wrap(f"Source: {source}", width=int(SOURCE_CHARS_PER_LINE * SOURCE_SIZE / size))
    fig.text(0.02, 0.02, "\n".join(lines), fontsize=size, color="#595959", va="bottom", ha="left", linespacing=1.3)


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
) -> SavedChart:
    """Frame the figure (title, subtitle, source line), write PNG/SVG/CSV/JSON and close it."""
    if not name.replace("_", "").isalnum():
        raise ValueError(f"figure name {name!r}: use letters, digits and underscores only")
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    _frame_text(fig, title, subtitle, source)
    stem = out_dir / name
    png, svg, csv, sidecar = (stem.with_suffix(s) for s in (".png", ".svg", ".csv", ".json"))
    buffer = BytesIO()
    with house_style():  # svg.hashsalt is read at save time: fixed ids, identical bytes
        fig.savefig(png, dpi=SLIDE_DPI, metadata={"Software": None})
        fig.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None})
    svg.write_bytes(buffer.getvalue())
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
    sidecar.write_text(json.dumps(meta, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return chart
