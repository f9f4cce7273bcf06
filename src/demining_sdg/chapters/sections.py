"""What a section is: a data function, a view kind, texts in the catalogue, and a requirement (the runner:
``present/chapter.py``). Chart frames have :data:`CHART_COLUMNS`; findings and cards a ``message`` naming
their text; any frame may carry ``source_id`` (ids separated by ';'), from which the source line is built."""

from __future__ import annotations

import copy
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

import pandas as pd

from demining_sdg.derive.selections import in_years, where
from demining_sdg.inputs.datasets import Datasets
from demining_sdg.inputs.profiles import CountryProfile
from demining_sdg.params import ReportParams

# Columns of a chart frame. kind: stated (joined by the series line), rounded (on the line, drawn
# as a diamond), flagged (hollow point off the line), derived (dashed continuation, computed here),
# partial (bars: a part of the whole, hatched), reference (a horizontal line: target, ceiling, claim).
CHART_COLUMNS = ("x", "y", "series", "kind", "label", "source_id")
POINT_KINDS = ("stated", "rounded", "flagged", "derived", "partial", "reference")


@dataclass
class Context:
    """What a data function receives: typed tables, the country's profile, the run's parameters.
    :meth:`once` computes a basis several sections need once per context and hands out copies."""

    data: Datasets
    profile: CountryProfile
    params: ReportParams
    _memo: dict = field(default_factory=dict, repr=False)

    @property
    def country(self) -> str:
        return self.profile.iso3

    def table(self, name: str) -> pd.DataFrame:
        return self.data.table(name)

    def rows(self, name: str, **conditions) -> pd.DataFrame:
        """The country's rows of a table (by ``iso3`` or ``recipient_iso3``) that meet the conditions (``where``)."""
        table = self.table(name)
        return where(table, **{"recipient_iso3" if "recipient_iso3" in table else "iso3": self.country} | conditions)

    def shown(self, frame: pd.DataFrame, column: str = "period_end") -> pd.DataFrame:
        """The rows in the report's years."""
        return in_years(frame, self.params.first_year, self.params.last_year, column)

    @property
    def sources(self) -> pd.DataFrame:
        return self.data.sources

    def once(self, function: Callable[..., Any], *args: Any) -> Any:
        key = (function, args)
        if key not in self._memo:
            self._memo[key] = function(self, *args)
        return copy.deepcopy(self._memo[key])

    def for_country(self, iso3: str) -> Context | None:
        """The same data and parameters about another country (a comparator), if it has a profile."""
        profile = self.data.profile(iso3)
        if profile is None:
            return None
        return Context(self.data, profile, self.params.model_copy(update={"country": iso3}))


@dataclass(frozen=True)
class Needs:
    """A requirement on the profile or the data. ``reason`` is reader-facing text said in the annex
    when the requirement fails (a template: it may use ``country``)."""

    reason: str
    test: Callable[[Context], bool]


# -- view kinds ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Table:
    """A numbered table. ``columns`` maps frame columns to headers (None: every column, as named);
    ``codes`` maps frame columns to the vocabulary column whose words are shown for their codes."""

    columns: Mapping[str, str] | None = None
    codes: Mapping[str, str] = field(default_factory=dict)
    anchor: str | None = None  # a column whose ids make each row a link target (#source-<id>): the registry
    # columns shown to exactly so many decimals (the download holds their exact values)
    digits: Mapping[str, int] = field(default_factory=dict)


COLUMN_SPEC = re.compile(r"\s*([^=@]+?)\s*(?:=\s*([^@]+?))?\s*(?:@(\w+))?\s*")


def table(columns: str, **options: Any) -> Table:
    """A table from 'column=header@vocabulary | …': a bare column is its own header; '@' names the
    vocabulary column whose words are shown for the column's codes. ``options``: the other fields of Table."""
    parts = [COLUMN_SPEC.fullmatch(part).groups() for part in columns.split("|")]
    return Table({c: h or c for c, h, _ in parts}, {c: v for c, _, v in parts if v}, **options)


@dataclass(frozen=True)
class TimeSeries:
    """A line chart (x = date or year): a line per series, points by kind, reference lines; ``figure``: file name."""

    figure: str
    y_label: str
    x_is_year: bool = False
    x_until: int | None = None  # extend the x axis to the end of this year (a scenario's horizon)
    series_codes: str | None = None  # vocabulary column: the series hold codes shown as its short words


@dataclass(frozen=True)
class Bars:
    """A bar chart (x = year or category): grouped by series, partial bars hatched; ``horizontal`` for long names."""

    figure: str
    y_label: str
    horizontal: bool = False
    value_labels: bool = True
    series_codes: str | None = None  # vocabulary column: the series hold codes shown as its short words
    x_codes: str | None = None  # vocabulary column: the categories hold codes shown as its short words


@dataclass(frozen=True)
class Findings:
    """A box of findings: each frame row's ``message`` names a sentence under ``findings``."""


@dataclass(frozen=True)
class Cards:
    """Key-figure cards: each frame row's ``message`` names a card (value, label, detail) under ``cards``."""


@dataclass(frozen=True)
class Note:
    """A paragraph: the section's ``text`` rendered with the frame's first row."""

    kind: Literal["info", "caveat", "conflict"] = "info"


@dataclass(frozen=True)
class Summary:
    """Messages for the executive summary: each row's ``message`` names a sentence under ``summary`` (one
    number, its date and scope, a judgement), gathered at the front and linked to the group ``link``."""

    link: str


@dataclass(frozen=True)
class Download:
    """A file to download in a field format, not a table: the frame is written in the UN SDG Global Database's
    long format (``present/sdg_long.py``, the one field format so far) to the report's data folder, without an
    HXL row (the data package still gives each column's tag, from ``present/hxl.yaml``); the chapter shows the
    section's ``text`` with a link to the file."""


View = Table | TimeSeries | Bars | Findings | Cards | Note | Summary | Download
Placement = Literal["main", "front", "annex"]


@dataclass(frozen=True)
class Section:
    """One unit of a chapter. ``key`` is '<chapter>.<name>' (texts under ``sections.<name>``); ``group`` names
    the heading (and intro) shown before the first section of the group that is present."""

    key: str
    data: Callable[[Context], pd.DataFrame]
    view: View
    requires: tuple[Needs, ...] = ()
    group: str | None = None
    min_rows: int = 1
    # main: in the chapter; front: lifted to the front of the report (at a glance); annex: moved to
    # the technical annex (flags, derivations, registries), with a link to it from the chapter
    placement: Placement = "main"

    @property
    def chapter(self) -> str:
        return self.key.split(".", 1)[0]

    @property
    def name(self) -> str:
        return self.key.split(".", 1)[1]


def maker(chapter: str, *needs: Needs, group: str | None = None, annex: bool = False) -> Callable[..., Section]:
    """The section maker of a chapter: key '<chapter>.<name>', the chapter's own requirements first."""

    def make(name, data, view, group=group, *more: Needs, min_rows: int = 1, annex: bool = annex) -> Section:
        return Section(f"{chapter}.{name}", data, view, (*needs, *more), group, min_rows, "annex" if annex else "main")

    return make


def point_kind(qualifiers: pd.Series) -> pd.Series:
    """A figure's point kind by its qualifier: stated (exact) or rounded ('about', 'over', …)."""
    return qualifiers.map(lambda q: "stated" if q == "exact" else "rounded")


def points(
    rows: pd.DataFrame, x: str, series: str, kind: pd.Series | str, *keep: str, y: object = "value"
) -> pd.DataFrame:
    """A chart frame of ``rows``: x, series and y from their columns (y may be values instead, e.g. a column
    scaled to millions), the points' kinds, the rows' ``source_id`` and the ``keep`` columns."""
    frame = rows.assign(x=rows[x], y=rows[y] if isinstance(y, str) else y, series=rows[series], kind=kind)
    return chart_frame(frame[["x", "y", "series", "kind", "source_id", *keep]].reset_index(drop=True))


def chart_frame(rows: list[dict] | pd.DataFrame) -> pd.DataFrame:
    """A frame with the chart columns (missing ones empty), in their order, then any others."""
    frame = pd.DataFrame(rows).copy()
    if isinstance(rows, pd.DataFrame):
        frame.attrs = copy.deepcopy(rows.attrs)
    for column in CHART_COLUMNS:
        if column not in frame.columns:
            frame[column] = None
    frame.loc[frame["kind"].isna() & frame["y"].notna(), "kind"] = "stated"  # an empty y is a gap, not a point
    bad = set(frame["kind"].dropna()) - set(POINT_KINDS)
    if bad:
        raise ValueError(f"unknown point kind(s) {sorted(bad)}; use {', '.join(POINT_KINDS)}")
    return frame[list(CHART_COLUMNS) + [c for c in frame.columns if c not in CHART_COLUMNS]]
