"""What a chapter shows: findings, notes, key-figure cards, tables and charts, as HTML outputs.

Every text that comes from data is escaped by the Jinja templates (autoescape on), so a donor
name or an excerpt is always shown as text, never interpreted as markup.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from numbers import Number

import jinja2
import pandas as pd
from IPython.display import HTML
from markupsafe import Markup, escape

from demining_sdg import paths
from demining_sdg.present import formats
from demining_sdg.present.figures import SavedChart

_ENV = jinja2.Environment(
    loader=jinja2.FileSystemLoader(paths.TEMPLATES_DIR),
    autoescape=True,
    undefined=jinja2.StrictUndefined,
    keep_trailing_newline=True,
)
_CITATIONS: dict[str, str] = {}  # source id -> short citation ("Trend, 2021b"), set per chapter
_ENV.globals["cite"] = lambda source_id: _CITATIONS.get(source_id, source_id)
_COMPONENTS = _ENV.get_template("components.html.j2").module


def use_citations(labels: dict[str, str]) -> None:
    """Name sources in the reading text by these short citations (links still go to the source list)."""
    _CITATIONS.clear()
    _CITATIONS.update(labels)


SOURCE_ID = re.compile(r"\bS\d{3}\b")  # a source id inside a curated text: '(… million', S003)'
RECORD_COLUMNS = ("obs_id", "obs_ids")  # record ids: in the downloads and the annex, not in the figures' data


def cited(text: str) -> str:
    """A text from the data with every source id in it replaced by the source's short citation."""
    return SOURCE_ID.sub(lambda m: _CITATIONS.get(m[0], m[0]), text) if _CITATIONS else text


@dataclass(frozen=True)
class Finding:
    """One key finding: a sentence computed from the data, with the sources behind it."""

    text: str
    sources: tuple[str, ...] = ()


@dataclass(frozen=True)
class Card:
    value: str
    label: str
    detail: str
    sources: tuple[str, ...] = ()


@dataclass(frozen=True)
class Cell:
    text: str
    numeric: bool = False
    sources: tuple[str, ...] = field(default_factory=tuple)


def findings(items: Iterable[Finding]) -> HTML:
    items = [Finding(cited(item.text), item.sources) for item in items]
    return HTML(str(_COMPONENTS.findings(items)))


def note(text: str, kind: str = "info", sources: Sequence[str] = ()) -> HTML:
    """A one-paragraph note; kind is info, caveat, conflict or missing; sources are linked after it."""
    return HTML(str(_COMPONENTS.note(kind, cited(text), list(sources))))


def missing(text: str) -> HTML:
    """Said instead of a chart or table when the data for it do not exist."""
    return HTML(str(_COMPONENTS.empty(text)))


def cards(items: Iterable[Card]) -> HTML:
    return HTML(str(_COMPONENTS.cards(list(items))))


# Reader words for the columns every table shares (a column name is not a heading).
HEADER_WORDS = {"source_id": "source", "source_ids": "sources", "obs_id": "row id"}

format_value = formats.number  # every table cell in the one number and date style


# A column whose head noun is "year" ('year', 'edition_year', 'finish year (derived)'), not a
# rate per year or a name that merely contains the word ('population (mid-year)').
YEAR_COLUMN = re.compile(r"(?!.*\b(?:per|a|each) year)(?:[\w()]+[_ ])*year(?: \([^)]*\))?", re.IGNORECASE)


def _is_year(column: str, value: object) -> bool:
    """A whole number from 1000 to 2999 in a year column: shown as 2024, not 2,024."""
    return (
        bool(YEAR_COLUMN.fullmatch(str(column).strip()))
        and _is_number(value)
        and float(value).is_integer()
        and 1000 <= float(value) <= 2999
    )


def _is_number(value: object) -> bool:
    return isinstance(value, Number) and not isinstance(value, bool) and not pd.isna(value)


def table(
    frame: pd.DataFrame,
    *,
    caption: str,
    source: str,
    note_text: str = "",
    source_columns: Sequence[str] = ("source_id", "source_ids"),
    download: str = "",
    digits: Mapping[str, int] | None = None,
) -> HTML:
    """A styled, numbered table. Columns named in ``source_columns`` become links to the sources; those
    in ``digits`` are shown to exactly so many decimals."""
    headers = [HEADER_WORDS.get(str(c), str(c)) for c in frame.columns]
    rows = []
    for record in frame.itertuples(index=False):
        row = []
        for column, value in zip(frame.columns, record):
            if column in source_columns and isinstance(value, str):
                row.append(Cell(text=value, sources=tuple(s.strip() for s in value.split(";") if s.strip())))
            else:
                if column in (digits or {}):
                    text = formats.fixed(value, digits[column])
                else:
                    text = str(int(value)) if _is_year(column, value) else cited(format_value(value))
                row.append(Cell(text=text, numeric=_is_number(value)))
        rows.append(row)
    return HTML(str(_COMPONENTS.table(caption, headers, rows, source, note_text, download)))


def download(text: str, href: str) -> HTML:
    """A sentence about a file to download, with the link to it (relative: it works offline)."""
    return HTML(str(_COMPONENTS.download_note(text, href)))


SVG_PROLOG = re.compile(r"\A.*?(?=<svg\b)", re.S)  # the XML declaration and DOCTYPE before the root
SVG_SIZE = re.compile(r'\s(?:width|height)="[^"]*"')


def inline_svg(svg: bytes, prefix: str, label: str) -> Markup:
    """The SVG as markup for the page, so its ``<title>`` tooltips show on hover (no script): ids
    prefixed with the figure's name (unique in the report), sized by the stylesheet, one image with
    the alt text as its accessible name."""
    text = SVG_PROLOG.sub("", svg.decode("utf-8"), count=1)
    text = re.sub(r'\bid="([^"]+)"', rf'id="{prefix}-\1"', text)
    text = re.sub(r"url\(#([^)]+)\)", rf"url(#{prefix}-\1)", text)
    text = re.sub(r'((?:xlink:)?href)="#([^"]+)"', rf'\1="#{prefix}-\2"', text)
    root_end = text.index(">")
    root = SVG_SIZE.sub("", text[:root_end]).replace(
        "<svg", f'<svg class="chart" role="img" aria-label="{escape(label)}"', 1
    )
    return Markup(root + text[root_end:])


def chart(saved: SavedChart, download: str = "") -> HTML:
    """The saved chart as inline SVG with caption, source line and its data."""
    svg = inline_svg(saved.svg_bytes(), f"figure-{saved.name}", saved.alt)
    data = saved.data().drop(columns=list(RECORD_COLUMNS), errors="ignore")
    bars_of_years = "category" in data.columns and data["category"].map(lambda v: _is_year("year", v)).all()
    years = {c for c in data.columns if _is_year(c, 2000)} | ({"category"} if bars_of_years else set())
    rows = [
        [
            str(int(value)) if column in years and _is_year("year", value) else cited(format_value(value))
            for column, value in zip(data.columns, record)
        ]
        for record in data.itertuples(index=False)
    ]
    return HTML(str(_COMPONENTS.chart(saved, svg, [str(c) for c in data.columns], rows, download)))


def sources_table(
    frame: pd.DataFrame,
    *,
    caption: str,
    source: str,
    note_text: str = "",
    id_column: str = "source_id",
    download: str = "",
) -> HTML:
    """A numbered table of sources whose rows are link targets: each row is
    ``<tr id="source-<id>">``, so ``href="#source-S025"`` from any chapter lands on it.
    The id column is shown as plain text (it is the anchor, not a link); every other cell is
    formatted as in :func:`table`."""
    if id_column not in frame.columns:
        raise KeyError(f"sources_table needs a {id_column!r} column")
    headers = [HEADER_WORDS.get(str(c), str(c)) for c in frame.columns]
    row_ids = [str(value) for value in frame[id_column]]
    rows = [
        [
            Cell(text=str(int(v)) if _is_year(c, v) else format_value(v), numeric=_is_number(v))
            for c, v in zip(frame.columns, record)
        ]
        for record in frame.itertuples(index=False)
    ]
    return HTML(str(_COMPONENTS.sources_table(caption, headers, rows, row_ids, source, note_text, download)))
