"""HXL-tagged CSV: the tag row is found and used to map columns onto one of the project's tables.

The file may have header rows of its own (any words, any language) above a row of HXL hashtags;
the tag row is the first of the file's first rows whose filled cells are mostly hashtags
(``#tag+attribute``). Columns are mapped by their tags, never by the header text: a column maps to
the table column whose tag it carries, attributes in any order and extra attributes allowed
(``#date+start+reported`` maps to ``period_start``), the most specific tag winning. Each table
column's tag is the core HXL tag where HXL has one (see :data:`CORE_TAGS`), else the extension tag
``#x_<column>`` (``#x_measure``, ``#x_period_type``). Columns with tags of no table column are
ignored and listed in the summary.

Missing table columns are filled where the import can say what they are: ``obs_id`` gets the next
free ids, ``source_id`` the ``--source-id`` given, ``iso3`` the ``--country`` given, and ``excerpt``
the record's own line of the file, verbatim (so the row's figures are stated by its excerpt).
Everything else a table requires must be in the file; the rows are then validated like any other
input, and problems are reported at the row and column of the HXL file.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from demining_sdg.inputs.contract import load_contract
from demining_sdg.inputs.imports.common import (
    ID_PREFIXES,
    ImportProblems,
    ImportRefused,
    ImportResult,
    check_not_imported,
    check_source_id,
    import_mark,
    next_ids,
    read_text_table,
    record_lines,
)
from demining_sdg.inputs.problems import Problem
from demining_sdg.provenance.record import sha256_of

TABLES = ("clearance", "casualties", "funding")
TAG = re.compile(r"^#[a-z][a-z0-9_]*(\s*\+\s*[a-z][a-z0-9_]*)*$", re.IGNORECASE)
SEARCHED_ROWS = 25
# Core HXL tags (HXL 1.1 dictionary, the project's conventions); other columns use #x_<column>.
CORE_TAGS = {
    "obs_id": "#meta+id",
    "source_id": "#meta+source",
    "excerpt": "#meta+excerpt",
    "notes": "#description+notes",
    "iso3": "#country+code+v_iso3",
    "recipient_iso3": "#country+code+v_iso3",
    "geography": "#loc+name",
    "operator_scope": "#org+impl+name",
    "reported_by": "#org+reporting+name",
    "recorded_by": "#org+reporting+name",
    "donor": "#org+funding+name",
    "channel": "#org+prog+name",
    "period_start": "#date+start",
    "period_end": "#date+end",
    "period_start_year": "#date+year+start",
    "period_end_year": "#date+year+end",
    "value_date": "#date+currency",
    "item_category": "#x_item+type",
    "item_category_as_reported": "#x_item+type+reported",
}
VALUE_TAGS = {"clearance": "#indicator+value+num", "casualties": "#affected+num", "funding": "#value"}
UNIT_TAGS = {"funding": "#currency+code"}


def parse_tag(text: str) -> tuple[str, frozenset[str]]:
    """'#Date +Start+reported' -> ('date', {'start', 'reported'})."""
    parts = [p.strip().lower() for p in text.strip().lstrip("#").split("+")]
    return parts[0], frozenset(p for p in parts[1:] if p)


def table_tags(table: str, columns: list[str]) -> dict[str, str]:
    """The HXL tag of every column of one table (the mapping data/README.md documents)."""
    tags = {}
    for column in columns:
        if column == "value":
            tags[column] = VALUE_TAGS[table]
        elif column == "unit" and table in UNIT_TAGS:
            tags[column] = UNIT_TAGS[table]
        else:
            tags[column] = CORE_TAGS.get(column, f"#x_{column}")
    return tags


def find_tag_row(records: list[list[str]]) -> int | None:
    """Index of the first row whose filled cells are mostly hashtags."""
    for index, record in enumerate(records[:SEARCHED_ROWS]):
        filled = [c.strip() for c in record if c.strip()]
        if filled and sum(bool(TAG.match(c)) for c in filled) > len(filled) / 2:
            return index
    return None


def map_columns(tags: list[str], wanted: dict[str, str]) -> tuple[dict[int, str], list[str]]:
    """{file column index: table column} and the file's tags that map to nothing. Each file column
    goes to the most specific table tag it carries; two file columns for one table column is an error."""
    specs = {column: parse_tag(tag) for column, tag in wanted.items()}
    mapping: dict[int, str] = {}
    ignored = []
    for index, text in enumerate(tags):
        if not text.strip() or not TAG.match(text.strip()):
            continue
        name, attributes = parse_tag(text)
        fits = [(len(a), column) for column, (n, a) in specs.items() if n == name and a <= attributes]
        if not fits:
            ignored.append(text.strip())
            continue
        mapping[index] = max(fits)[1]
    return mapping, ignored


@dataclass(frozen=True)
class HxlOptions:
    table: str | None
    source_id: str | None = None
    iso3: str | None = None


def _guess_table(tags: list[str], contract) -> str:
    scores = {}
    for table in TABLES:
        wanted = table_tags(table, contract.table(table).column_names)
        mapping, _ = map_columns(tags, wanted)
        scores[table] = len(set(mapping.values()))
    best = max(scores.values())
    tied = [t for t, s in scores.items() if s == best]
    if best == 0 or len(tied) > 1:
        raise ImportRefused([f"--table: which table the rows are for ({', '.join(TABLES)}); the tags do not say"])
    return tied[0]


def import_hxl(path: Path, folder: Path, options: HxlOptions) -> ImportResult:
    path = Path(path)
    name = path.name
    text = path.read_text(encoding="utf-8-sig")
    records = list(csv.reader(io.StringIO(text, newline="")))
    tag_index = find_tag_row(records)
    if tag_index is None:
        raise ImportProblems(
            [
                Problem(
                    name,
                    None,
                    None,
                    None,
                    f"a row of HXL hashtags (such as #country+code, #date+start, #x_measure) under the header "
                    f"row(s): none of the first {min(SEARCHED_ROWS, len(records))} rows is mostly hashtags. Add the "
                    "tag row (data/README.md, Importing, lists each column's tag)",
                )
            ],
            [],
        )
    contract = load_contract(folder)
    tags = records[tag_index]
    table = options.table or _guess_table(tags, contract)
    if table not in TABLES:
        raise ImportRefused([f"--table {table}: one of {', '.join(TABLES)}"])
    columns = contract.table(table).column_names
    wanted = table_tags(table, columns)
    mapping, ignored = map_columns(tags, wanted)
    seen: dict[str, int] = {}
    problems = []
    for index, column in mapping.items():
        if column in seen:
            problems.append(
                Problem(
                    name,
                    tag_index + 1,
                    tags[index],
                    tags[index],
                    f"one column per tag: columns {seen[column] + 1} and {index + 1} both map to {column} "
                    f"({wanted[column]})",
                )
            )
        seen[column] = index
    source_id = check_source_id(folder, options.source_id, f"the HXL file {name}") if "source_id" not in seen else None
    filled = {"obs_id", "excerpt"} | ({"source_id"} if source_id else set())
    if options.iso3:
        filled |= {"iso3", "recipient_iso3"} & set(columns)
    spec = {f.name: f for f in contract.table(table).fields}
    missing = [c for c in columns if spec[c].required and c not in seen and c not in filled]
    if missing:
        problems.append(
            Problem(
                name,
                tag_index + 1,
                None,
                None,
                f"a column for each required field of {table}.csv; no column has the tag of: "
                + ", ".join(f"{c} ({wanted[c]})" for c in missing),
            )
        )
    if problems:
        raise ImportProblems(problems, [])
    digest = sha256_of(path)
    check_not_imported(folder, [table], import_mark(path, digest))
    lines = record_lines(path)
    data = [(i, r) for i, r in enumerate(records[tag_index + 1 :], start=tag_index + 1) if any(c.strip() for c in r)]
    width = len(tags)
    short = [i + 1 for i, r in data if len(r) != width]
    if short:
        raise ImportProblems(
            [
                Problem(
                    name,
                    row,
                    None,
                    lines[row - 1][:120],
                    f"{width} cells as in the tag row; found {len(records[row - 1])}: a value is missing or extra "
                    "(or a text holds a comma without double quotes), so the cells after it are shifted",
                )
                for row in short[:20]
            ],
            [],
        )
    frame = pd.DataFrame({column: [r[i].strip() for _, r in data] for i, column in mapping.items()})
    file_rows = [i + 1 for i, _ in data]
    existing = read_text_table(folder / f"{table}.csv")["obs_id"]
    frame["obs_id"] = next_ids(existing, ID_PREFIXES[table], len(frame)) if "obs_id" not in seen else frame["obs_id"]
    if "excerpt" not in seen:
        frame["excerpt"] = [lines[i] for i, _ in data]
    if source_id:
        frame["source_id"] = source_id
    for column in ("iso3", "recipient_iso3"):
        if column in columns and column not in seen and options.iso3:
            frame[column] = options.iso3
    mark = import_mark(path, digest)
    notes = frame["notes"] if "notes" in frame else pd.Series("", index=frame.index)
    frame["notes"] = (notes + "; ").where(notes != "", "") + mark
    frame = frame.reindex(columns=columns, fill_value="")
    return ImportResult(
        path,
        "hxl",
        rows={table: frame},
        file_rows={table: file_rows},
        file_columns={table: {c: tags[i].strip() for i, c in mapping.items()}},
        summary=[
            f"tag row found on row {tag_index + 1}; {len(frame):,} rows for {table}.csv",
            "columns mapped by tag: " + ", ".join(f"{tags[i].strip()} -> {c}" for i, c in sorted(mapping.items())),
        ]
        + ([f"tags of no {table} column, ignored: {', '.join(ignored)}"] if ignored else []),
    )
