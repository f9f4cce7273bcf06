"""The data behind every table and figure, as files to download beside the report.

Each table and figure the report shows is also written, as the section produced it (exact values,
codes rather than their display words), to ``report/data/<chapter>_<section>.csv``: a header row of
the frame's column names, then an HXL hashtag row (HXL 1.1: the tag row directly under the header),
then the rows. The column -> tag mapping is data, in ``present/hxl.yaml``; a column it does not name
gets the deterministic extension tag ``#x_<column>`` (a test keeps every column of the declared
table views curated). Source ids are tagged ``#meta+source``.

The runner builds a :class:`Download` per table or figure and records it in the notebook's output
(:data:`DOWNLOAD_MIME`), so a cached chapter brings its downloads with it; the render collects the
records of every chapter and writes the files and a Frictionless ``datapackage.json`` describing
them (:func:`write_downloads`).
"""

from __future__ import annotations

import csv
import functools
import io
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field
from pathlib import Path

import pandas as pd
import yaml

from demining_sdg import paths

DOWNLOAD_MIME = "application/vnd.demining-sdg.download+json"
DATA_FOLDER = "data"  # beside index.html: links are relative, so they work offline from the folder
PACKAGE_FILE = "datapackage.json"
TAGS_FILE = paths.PACKAGE_DIR / "present" / "hxl.yaml"
HXL_TAG = re.compile(r"#[a-z][a-z0-9_]*(\+[a-z][a-z0-9_]*)*")
LICENCE = {"name": "MIT", "title": "MIT License", "path": "https://opensource.org/licenses/MIT"}
RIGHTS = (
    "The code that produces these files is released under the MIT licence. Quoted excerpts and the figures "
    "they state remain the work of their publishers, who are named in every row's sources."
)


# What the columns every table shares hold (the contract's descriptions of them vary by table).
SHARED_COLUMNS = {
    "source_id": "Source id of the row: the report's source registry (technical annex) quotes its excerpt",
    "source_ids": "Source ids of the row, separated by ';': the report's source registry quotes each one's excerpt",
    "obs_id": "Id of the input row the figure comes from",
}


@functools.cache
def tag_table() -> dict:
    """The curated tags: ``columns`` (column -> tag, every table) and ``tables`` (overrides by section key)."""
    raw = yaml.safe_load(TAGS_FILE.read_text(encoding="utf-8")) or {}
    return {"columns": dict(raw.get("columns") or {}), "tables": dict(raw.get("tables") or {})}


def fallback_tag(column: str) -> str:
    """The extension tag of a column without a curated one: ``#x_`` and the column in snake case."""
    snake = re.sub(r"[^a-z0-9]+", "_", str(column).lower()).strip("_") or "column"
    return f"#x_{snake}"


def curated_tag(key: str, column: str) -> str | None:
    tags = tag_table()
    return (tags["tables"].get(key) or {}).get(column) or tags["columns"].get(column)


def tag_for(key: str, column: str) -> str:
    return curated_tag(key, column) or fallback_tag(column)


def _field_type(values: pd.Series) -> str:
    kind = pd.api.types.infer_dtype(values, skipna=True)
    return {
        "string": "string",
        "integer": "integer",
        "floating": "number",
        "mixed-integer-float": "number",
        "decimal": "number",
        "boolean": "boolean",
        "date": "date",
        "datetime64": "datetime",
        "datetime": "datetime",
    }.get(kind, "string")


def _exact(frame: pd.DataFrame) -> tuple[pd.DataFrame, dict[str, str]]:
    """The frame's values as a CSV states them exactly: whole floats as integers, datetimes in ISO 8601
    (a date where every time is midnight); with the field types of the datetime columns."""
    out = frame.copy()
    out.attrs = {}
    types: dict[str, str] = {}
    for column in out.columns:
        values = out[column]
        if pd.api.types.is_float_dtype(values):
            present = values.dropna()
            if len(present) and (present == present.round()).all() and present.abs().max() < 2**53:
                out[column] = values.astype("Int64")
        elif pd.api.types.is_datetime64_any_dtype(values):
            present = values.dropna()
            midnight = bool(len(present)) and (present == present.dt.normalize()).all()
            text = values.dt.strftime("%Y-%m-%d" if midnight else "%Y-%m-%dT%H:%M:%S")
            out[column] = text.where(values.notna(), None).astype(object)
            types[str(column)] = "date" if midnight else "datetime"
        elif values.dtype == object:
            out[column] = pd.Series([_iso(v) for v in values], index=values.index, dtype=object)
    return out, types


def _iso(value):
    """A timestamp in a column of mixed cells, written as ISO 8601 (a date if at midnight)."""
    if isinstance(value, pd.Timestamp) and not pd.isna(value):
        return value.date().isoformat() if value == value.normalize() else value.isoformat()
    return value


def _unique_columns(frame: pd.DataFrame) -> pd.DataFrame:
    """One column per name: a repeated column that holds the same values is dropped, another is numbered."""
    columns, keep, seen = [], [], {}
    for position, name in enumerate(frame.columns):
        name = str(name)
        if name in seen:
            if frame.iloc[:, position].equals(frame.iloc[:, seen[name]]):
                continue
            number = 2
            while f"{name}_{number}" in seen or f"{name}_{number}" in map(str, frame.columns):
                number += 1
            name = f"{name}_{number}"
        seen[name] = position
        columns.append(name)
        keep.append(position)
    out = frame.iloc[:, keep].copy()
    out.columns = columns
    return out


def csv_text(frame: pd.DataFrame, tags: Iterable[str] | None) -> str:
    """Header row, the HXL tag row (if any), the rows: UTF-8 text with '\\n' line ends."""
    body = frame.to_csv(index=False, lineterminator="\n")
    if tags is None:
        return body
    header, _, rows = body.partition("\n")
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerow(list(tags))
    return f"{header}\n{buffer.getvalue()}{rows}"


@dataclass(frozen=True)
class Download:
    """One file of ``report/data/``: its CSV text and what the data package says about it."""

    name: str  # the file's stem: <chapter>_<section>
    title: str
    description: str
    text: str
    fields: list[dict]
    sources: list[str] = field(default_factory=list)
    hxl_row: bool = True

    @property
    def file_name(self) -> str:
        return f"{self.name}.csv"

    @property
    def href(self) -> str:
        return f"{DATA_FOLDER}/{self.file_name}"

    def record(self) -> dict:
        return asdict(self)


def build(
    key: str,
    frame: pd.DataFrame,
    *,
    title: str,
    description: str,
    headers: Mapping[str, str] | None = None,
    known: Mapping[str, str] | None = None,
    sources: Iterable[str] = (),
    hxl_row: bool = True,
) -> Download:
    """A section's frame as a download. ``headers``: the words the report shows for a column (its
    description); ``known``: descriptions of input columns (the data contract)."""
    exact, types = _exact(_unique_columns(frame.reset_index(drop=True)))
    headers, known = dict(headers or {}), dict(known or {})
    fields = []
    for column in exact.columns:
        name = str(column)
        words = headers.get(name)
        fallback = SHARED_COLUMNS.get(name) or known.get(name) or name.replace("_", " ")
        fields.append(
            {
                "name": name,
                "type": types.get(name) or _field_type(exact[column]),
                "description": words if words and words != name and name not in SHARED_COLUMNS else fallback,
                "hxl": tag_for(key, name),
            }
        )
    text = csv_text(exact, [f["hxl"] for f in fields] if hxl_row else None)
    return Download(
        name=key.replace(".", "_"),
        title=title,
        description=description_text(description),
        text=text,
        fields=fields,
        sources=list(dict.fromkeys(sources)),
        hxl_row=hxl_row,
    )


def description_text(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def resource(download: Download, registry: pd.DataFrame) -> dict:
    """The data package resource of one download."""
    table = registry.set_index("source_id") if "source_id" in registry.columns else registry
    sources = []
    for source_id in download.sources:
        if source_id in table.index:
            entry = {"title": f"{source_id}: {table.at[source_id, 'title']} ({table.at[source_id, 'publisher']})"}
            url = table.at[source_id, "url"] if "url" in table.columns else None
            if isinstance(url, str) and url.strip():
                entry["path"] = url.strip()
            sources.append(entry)
        else:
            sources.append({"title": source_id})
    item = {
        "name": download.name.lower().replace("_", "-"),
        "path": download.file_name,
        "title": download.title,
        "description": download.description,
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8",
        "schema": {"fields": download.fields},
        "sources": sources,
        "hxl_row": download.hxl_row,
    }
    if download.hxl_row:  # the tag row is row 2: a comment to a Table Schema reader, the tags to an HXL reader
        item["dialect"] = {"headerRows": [1], "commentRows": [2]}
    return item


def package(downloads: list[Download], registry: pd.DataFrame, *, name: str, title: str, created: str) -> dict:
    return {
        "name": name,
        "title": title,
        "description": (
            "The data behind every table and figure of the report, as each section produced it (exact values, "
            "codes rather than display words). Each table file has an HXL hashtag row under its header "
            "(HXL 1.1; #x_ extension tags where HXL has none; source ids are #meta+source); each field's tag is "
            "also given here as 'hxl'. " + RIGHTS
        ),
        "created": created,
        "licenses": [LICENCE],
        "resources": [resource(d, registry) for d in downloads],
    }


def downloads_of(records: Iterable[dict]) -> list[Download]:
    """The downloads recorded by executed chapters, once each, in reading order."""
    found: dict[str, Download] = {}
    for record in records:
        found.setdefault(record["name"], Download(**record))
    return list(found.values())


def write_downloads(
    downloads: list[Download], folder: Path, registry: pd.DataFrame, *, name: str, title: str, created: str
) -> list[Path]:
    """Write every download and the data package into ``folder``; returns the files written."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for download in downloads:
        path = folder / download.file_name
        path.write_bytes(download.text.encode("utf-8"))
        written.append(path)
    described = package(downloads, registry, name=name, title=title, created=created)
    path = folder / PACKAGE_FILE
    path.write_bytes((json.dumps(described, indent=2, ensure_ascii=False) + "\n").encode("utf-8"))
    return [*written, path]
