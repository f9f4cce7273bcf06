"""What a chapter notebook opens, and the one runner that shows its sections.

``ch = open_chapter(...)`` validates the notebook's parameters, loads the data and the country's
profile; ``ch.show(section)`` then does for every section what no section does for itself: check
its requirement, compute its frame (once per render), leave it out when the data do not support it
(recording why, for the annex), put the group heading before the first section present, build the
source line from the frame's source ids, and render the view with its texts from the catalogue.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from functools import cache
from pathlib import Path
from typing import Any

import pandas as pd
from markupsafe import escape
from matplotlib.figure import Figure

from demining_sdg import paths
from demining_sdg.chapters.sections import (
    Bars,
    Cards,
    Context,
    Download,
    Findings,
    Note,
    Section,
    Summary,
    Table,
    TimeSeries,
    chart_frame,
)
from demining_sdg.derive.citations import citation_labels
from demining_sdg.inputs.datasets import VALIDATED_STAMP, Datasets
from demining_sdg.params import OutlookParams, ReportParams
from demining_sdg.present import catalogue, downloads, sdg_long, show, views
from demining_sdg.present.figures import save_chart
from demining_sdg.present.vocabulary import Vocabulary

OMITTED_MIME = "application/vnd.demining-sdg.omitted+json"
SUMMARY_MIME = "application/vnd.demining-sdg.summary+json"
READS_MIME = "application/vnd.demining-sdg.reads+json"  # the tables read so far (the render's cache)
DEFAULT_MISSING = "the data hold no figures for it"
FINDINGS_LABEL = "Key findings"  # the title of the findings box (templates/components.html.j2)


@cache
def _datasets(data_dir: Path) -> Datasets:
    # A render runs each chapter in a staging folder holding the stamp of the inputs it has
    # just validated; run by hand (no stamp, or other bytes), the chapter validates again.
    return Datasets(data_dir, validated_stamp=Path.cwd() / VALIDATED_STAMP)


def source_line(labels: dict[str, str], ids: Iterable[str]) -> str:
    """'Trend, 2021b; Landmine and Cluster Munition Monitor, 2016a, 2023b': short citations (see
    :func:`citation_labels`), each publisher once; the source list in the annex resolves them."""
    parts: dict[str, list[str]] = {}
    for source_id in dict.fromkeys(i for i in ids if i):
        publisher, _, year = labels.get(source_id, "unknown source, n.d.").rpartition(", ")
        parts.setdefault(publisher, []).append(year)
    return "; ".join(f"{publisher}, {', '.join(years)}" for publisher, years in parts.items())


def frame_source_ids(frame: pd.DataFrame) -> list[str]:
    """Every source id of a frame's ``source_id`` / ``source_ids`` columns, in order, once each."""
    ids: list[str] = []
    for column in ("source_id", "source_ids"):
        if column in frame.columns:
            for cell in frame[column]:
                if isinstance(cell, str):
                    ids += [part.strip() for part in cell.split(";") if part.strip()]
    return list(dict.fromkeys(ids))


class Shown:
    """A section as the notebook displays it: HTML, the record of its omission, or summary messages.
    Every output also records the tables read so far (what the render's cache keys a chapter on)."""

    def __init__(
        self,
        section: Section,
        html: str | None,
        frame: pd.DataFrame | None,
        omitted: str | None = None,
        messages: list[dict] | None = None,
    ):
        self.section = section
        self.html = html
        self.frame = frame
        self.omitted = omitted
        self.messages = messages or []
        self.reads: list[str] = []
        self.downloads: list[downloads.Download] = []  # the data behind its table or figure

    def _repr_mimebundle_(self, include=None, exclude=None) -> dict[str, Any]:
        reads = {READS_MIME: {"tables": self.reads}}
        if self.downloads:
            reads[downloads.DOWNLOAD_MIME] = {"files": [d.record() for d in self.downloads]}
        if self.messages:
            return {SUMMARY_MIME: {"messages": self.messages}, "text/plain": "", **reads}
        if self.html is None:
            record = {"section": self.section.key, "title": self.title, "reason": self.omitted}
            return {OMITTED_MIME: record, "text/plain": "", **reads}
        return {"text/html": self.html, **reads}

    @property
    def title(self) -> str:
        return section_label(self.section)


def group_anchor(chapter: str, group: str) -> str:
    """The id of a group's heading (the assembler prefixes it with the chapter number)."""
    return f"{chapter}-{group}".replace("_", "-")


def section_label(section: Section) -> str:
    """Static words for a section (annex and tests): its ``label``, else its group's heading, else for
    findings the title of their box."""
    for key in (
        f"{section.chapter}.sections.{section.name}.label",
        f"{section.chapter}.groups.{section.group}.heading",
    ):
        if catalogue.has_text(key):
            return catalogue.raw_text(key).strip()
    return FINDINGS_LABEL if isinstance(section.view, Findings) else section.name.replace("_", " ")


class Chapter:
    """The run context one notebook receives from its parameters cell."""

    def __init__(self, params: ReportParams, figures_dir: Path):
        self.params = params
        self.figures_dir = Path(figures_dir)
        self.data = _datasets(params.data_dir.resolve()).for_chapter()
        profile = self.data.profile(params.country)
        if profile is None:
            raise LookupError(f"no country profile for {params.country} in {params.data_dir}/profiles")
        self.profile = profile
        self.ctx = Context(self.data, profile, params)
        self.vocabulary = Vocabulary.of(self.data)
        self.citations = citation_labels(self.data.sources)
        show.use_citations(self.citations)
        self._groups: dict[str, str] = {}  # the last group shown, per placement

    @property
    def country(self) -> str:
        return self.params.country

    @property
    def country_name(self) -> str:
        return self.profile.name

    # -- the runner ------------------------------------------------------------------------

    def show(self, section: Section) -> Shown:
        """Show one section, or leave it out with its reason (see the module docstring)."""
        self._downloads: list[downloads.Download] = []
        shown = self._show(section)
        shown.reads = sorted(self.data.tables_read)
        shown.downloads = self._downloads
        return shown

    def frame_of(self, section: Section) -> tuple[pd.DataFrame | None, str | None]:
        """The section's frame, or the reason it is left out (an unmet requirement, too few rows),
        without presenting it: what :meth:`show` draws and writes from."""
        reason = self._unmet(section)
        if reason is not None:
            return None, reason
        frame = self.ctx.once(section.data)
        if frame is not None and len(frame) >= section.min_rows:
            return frame, None
        key = f"{section.chapter}.sections.{section.name}.missing"
        if catalogue.has_text(key):
            return None, catalogue.text(key, country=self.profile, params=self.params)
        return None, DEFAULT_MISSING

    def _show(self, section: Section) -> Shown:
        frame, reason = self.frame_of(section)
        if reason is not None:
            return Shown(section, None, None, reason)
        if isinstance(section.view, Summary):
            return Shown(section, None, frame, messages=self._summary(section, frame))
        html = self._heading(section, frame) + self._view(section, frame)
        if section.placement != "main":
            html = f'<div class="placement-{section.placement}" data-section="{escape(section.key)}">\n{html}</div>\n'
        return Shown(section, html, frame)

    def _summary(self, section: Section, frame: pd.DataFrame) -> list[dict]:
        """One message a row: its sentence, sources and the group of the chapter it links to."""
        link, labels = group_anchor(section.chapter, section.view.link), self.citations
        return [
            {
                "text": self._message(section, "summary", row),
                "sources": (ids := frame_source_ids(pd.DataFrame([row]))),
                "citations": [labels.get(i, i) for i in ids],
                "link": link,
            }
            for row in frame.to_dict("records")
        ]

    def _unmet(self, section: Section) -> str | None:
        for needs in section.requires:
            if not needs.test(self.ctx):
                return catalogue.render_string(needs.reason, **self._base_vars())
        return None

    def _heading(self, section: Section, frame: pd.DataFrame) -> str:
        """The group's heading and intro, rendered with the first present section's frame (once per
        placement: a group split between the chapter and the annex has its heading in both)."""
        if section.group is None or self._groups.get(section.placement) == section.group:
            return ""
        self._groups[section.placement] = section.group
        base = f"{section.chapter}.groups.{section.group}"
        variables = self._vars(frame)
        anchor = group_anchor(section.chapter, section.group) + ("-annex" if section.placement == "annex" else "")
        html = f'<h2 id="{anchor}">{escape(catalogue.text(base + ".heading", **variables))}</h2>\n'
        if catalogue.has_text(base + ".intro"):
            html += f'<p class="section-intro">{escape(catalogue.text(base + ".intro", **variables))}</p>\n'
        return html

    def _base_vars(self) -> dict[str, Any]:
        return {
            "country": self.profile,
            "params": self.params,
            "words": self.vocabulary.words,
            "profile_of": self.data.profile,  # another country's profile by code (comparators)
        }

    def _vars(self, frame: pd.DataFrame) -> dict[str, Any]:
        rows = frame.to_dict("records")
        return {
            **self._base_vars(),
            "frame": frame,
            "rows": rows,
            "first": rows[0] if rows else {},
            "last": rows[-1] if rows else {},
            "n": len(rows),
            "facts": dict(frame.attrs),
        }

    def _text(self, section: Section, entry: str, frame: pd.DataFrame, *, optional: bool = False) -> str:
        key = f"{section.chapter}.sections.{section.name}.{entry}"
        if optional and not catalogue.has_text(key):
            return ""
        return catalogue.text(key, **self._vars(frame))

    def _source(self, frame: pd.DataFrame, section: Section | None = None) -> str:
        """The source line from the frame's source ids; a frame without ids needs a ``source`` text."""
        found = source_line(self.citations, frame_source_ids(frame))
        if found:
            return found
        if section is not None:
            written = self._text(section, "source", frame, optional=True)
            if written:
                return written
        return "Derived in this report from the sourced tables"

    def _view(self, section: Section, frame: pd.DataFrame) -> str:
        view = section.view
        if isinstance(view, Table):
            return self._table(section, view, frame)
        if isinstance(view, TimeSeries | Bars):
            return self._chart(section, view, frame)
        if isinstance(view, Findings):
            items = [
                show.Finding(self._message(section, "findings", row), tuple(frame_source_ids(pd.DataFrame([row]))))
                for row in frame.to_dict("records")
            ]
            return str(show.findings(items).data)
        if isinstance(view, Cards):
            cards = []
            for row in frame.to_dict("records"):
                texts = {
                    part: self._message(section, f"cards.{row['message']}", row, part)
                    for part in ("value", "label", "detail")
                }
                cards.append(
                    show.Card(
                        texts["value"], texts["label"], texts["detail"], tuple(frame_source_ids(pd.DataFrame([row])))
                    )
                )
            return str(show.cards(cards).data)
        if isinstance(view, Note):
            return str(
                show.note(self._text(section, "text", frame), kind=view.kind, sources=frame_source_ids(frame)).data
            )
        if isinstance(view, Download):
            area = {"area_code": self.profile.m49.code, "area_name": self.profile.name}
            written = sdg_long.long_rows(frame, **area, publishers=self.data.sources["publisher"])
            ids = frame_source_ids(written)  # the file keeps its format's columns; its sources go to the package
            title, headers = self._text(section, "title", frame), sdg_long.spec()["columns"]
            download = self._download(
                section, written.drop(columns="source_ids"), title=title, headers=headers, hxl_row=False, sources=ids
            )
            return str(show.download(self._text(section, "text", frame), download.href).data)
        raise TypeError(f"section {section.key}: unknown view {view!r}")

    def _message(self, section: Section, where: str, row: dict, part: str | None = None) -> str:
        key = f"{section.chapter}.{where}" + (f".{row['message']}" if part is None else f".{part}")
        variables = {**self._base_vars(), "row": row, **{k: v for k, v in row.items() if isinstance(k, str)}}
        return catalogue.text(key, **variables)

    def _table(self, section: Section, view: Table, frame: pd.DataFrame) -> str:
        shown = frame.copy()
        for column, vocabulary_column in view.codes.items():
            shown[column] = self.vocabulary.column(vocabulary_column, shown[column])
        source_columns = ["source_id", "source_ids"]
        if view.columns is not None:
            shown = shown[list(view.columns)].rename(columns=dict(view.columns))
            source_columns = [view.columns.get(c, c) for c in source_columns]
        texts = {
            "caption": self._text(section, "caption", frame),
            "source": self._source(frame, section),
            "note_text": self._text(section, "note", frame, optional=True),
        }
        shown_columns = list(view.columns) if view.columns is not None else list(frame.columns)
        shown_columns += [c for c in ("source_id", "source_ids") if c in frame.columns and c not in shown_columns]
        headers = dict(view.columns) if view.columns is not None else {}
        for column in view.digits:  # the download holds the exact value, not the rounded text
            headers[column] = f"{headers.get(column, column)}, full precision"
        texts["download"] = self._download(
            section, frame[shown_columns], title=texts["caption"], headers=headers, note=texts["note_text"]
        ).href
        if view.anchor is not None:
            anchor = view.columns.get(view.anchor, view.anchor) if view.columns is not None else view.anchor
            html = show.sources_table(shown, id_column=anchor, **texts)
        else:
            digits = {(view.columns or {}).get(c, c): places for c, places in view.digits.items()}
            html = show.table(shown, source_columns=source_columns, digits=digits, **texts)
        return str(html.data)

    def _chart(self, section: Section, view: TimeSeries | Bars, frame: pd.DataFrame) -> str:
        frame = chart_frame(frame)
        if view.series_codes:
            frame["series"] = self.vocabulary.column(view.series_codes, frame["series"], short=True)
        if isinstance(view, Bars) and view.x_codes:
            frame["x"] = self.vocabulary.column(view.x_codes, frame["x"], short=True)
        # Tooltips name sources as the text does ('Trend, 2024'); the figure's data file keeps the ids.
        drawn = frame.assign(
            source_id=frame["source_id"].map(lambda v: show.cited(v).replace(";", "; ") if isinstance(v, str) else v)
        )
        draw = views.draw_time_series if isinstance(view, TimeSeries) else views.draw_bars
        return str(self._save(draw(drawn, view), view.figure, section, frame).data)

    def _save(self, fig: Figure, name: str, section: Section, frame: pd.DataFrame):
        data = frame.copy()
        if "kind" in data.columns:
            data["kind"] = data["kind"].map(lambda k: views.KIND_LEGEND.get(k, k) if isinstance(k, str) else k)
        x_name = "category" if isinstance(section.view, Bars) else ("year" if section.view.x_is_year else "date")
        names = {"x": x_name, "y": "value", "kind": "point"}  # a name the frame already has: 'plotted_…'
        data = data.rename(columns={c: f"plotted_{n}" if n in data.columns else n for c, n in names.items()})
        saved = save_chart(
            fig,
            name,
            title=self._text(section, "title", frame),
            subtitle=self._text(section, "subtitle", frame),
            source=self._source(frame, section),
            alt=self._text(section, "alt", frame),
            data=data,
            out_dir=self.figures_dir,
        )
        headers = {x_name: f"{x_name} (the chart's horizontal axis)", "value": section.view.y_label}
        headers |= {"series": "series (line or group of bars)", "point": "kind of point", "label": "label on the chart"}
        download = self._download(section, data, title=saved.title, note=saved.subtitle, headers=headers)
        return show.chart(saved, download=download.href)

    def _download(
        self,
        section: Section,
        frame: pd.DataFrame,
        *,
        title: str,
        headers: dict[str, str] | None = None,
        note: str = "",
        hxl_row: bool = True,
        sources: list[str] | None = None,
    ) -> downloads.Download:
        """The frame as a file of the report's data folder (see ``present/downloads.py``)."""
        known = _field_descriptions(self.data.contract)
        made = downloads.build(
            section.key,
            frame,
            title=title,
            description=" ".join(part for part in (title, note) if part),
            headers=headers,
            known=known,
            sources=frame_source_ids(frame) if sources is None else sources,
            hxl_row=hxl_row,
        )
        self._downloads.append(made)
        return made


@cache
def _descriptions(contract) -> dict[str, str]:
    found: dict[str, set[str]] = {}
    for table in contract.tables:
        for spec in table.fields:
            if spec.description:
                found.setdefault(spec.name, set()).add(spec.description)
    return {name: next(iter(texts)) for name, texts in found.items() if len(texts) == 1}


def _field_descriptions(contract) -> dict[str, str]:
    """Descriptions of input columns that mean one thing in every table of the contract."""
    try:
        return _descriptions(contract)
    except TypeError:  # an unhashable contract: no memo
        return _descriptions.__wrapped__(contract)


def open_chapter(
    *,
    country: str,
    first_year: int,
    last_year: int,
    currency: str,
    data_dir: str = "",
    figures_dir: str = "",
    outlook: dict[str, Any] | None = None,
) -> Chapter:
    """Validate the notebook's parameters and load the data. Empty paths mean the project's folders."""
    params = ReportParams(
        country=country,
        first_year=first_year,
        last_year=last_year,
        currency=currency,
        data_dir=Path(data_dir) if data_dir else paths.DATA_DIR,
        outlook=OutlookParams(**(outlook or {})),
    )
    return Chapter(params, Path(figures_dir) if figures_dir else params.resolved_figures_dir)


def records(notebook_cells: list[dict], mime: str) -> list[dict]:
    """The records of one kind (omissions, summary messages) a chapter's executed cells hold, in order."""
    found = []
    for cell in notebook_cells:
        for output in cell.get("outputs", []):
            record = output.get("data", {}).get(mime)
            if record:
                found.append(json.loads(record) if isinstance(record, str) else dict(record))
    return found


def download_records(notebook_cells: list[dict]) -> list[dict]:
    """The files a chapter's tables and figures offer for download, in order."""
    return [file for record in records(notebook_cells, downloads.DOWNLOAD_MIME) for file in record["files"]]


def tables_read(notebook_cells: list[dict]) -> set[str]:
    """Every table an executed chapter read."""
    return {name for record in records(notebook_cells, READS_MIME) for name in record["tables"]}


def omitted_sections(notebook_cells: list[dict]) -> list[dict]:
    """The sections a chapter left out, with their reasons (for the annex)."""
    return records(notebook_cells, OMITTED_MIME)


def summary_messages(notebook_cells: list[dict]) -> list[dict]:
    """The executive-summary messages a chapter's cells hold, in order."""
    return [message for record in records(notebook_cells, SUMMARY_MIME) for message in record["messages"]]
