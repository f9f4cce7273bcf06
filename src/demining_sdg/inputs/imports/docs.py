"""The "Importing" section of data/README.md, written from the importers' own mappings."""

from __future__ import annotations

from demining_sdg.inputs.contract import DataContract
from demining_sdg.inputs.imports import funding_records, hxl, operations

INTRO = """## Importing

`python -m demining_sdg import FORMAT FILE` turns a file in one of the field's formats into rows of
these tables: `hxl` (an HXL-tagged CSV), `funding` (IATI / OECD CRS transactions) or `operations`
(an IMSMA-like operational export). The rows are validated like any other input, together with
the tables they join; a file with problems is not imported, and the problems are listed with the
file's row, column, value and what was expected (the first rows of each kind, then how many more).

**Where the rows go.** By default into the review folder `imports/review/`: the first import
copies `data/` there (or `--data-dir`), later imports append to it. Check it with
`validate --data-dir imports/review` and `render --data-dir imports/review --out /tmp/review`,
compare it with `data/`, and copy the rows over when they are right. `--out DIR` appends to
another data folder (or makes one in a new folder); `--out data/` appends to the project's data
itself, only when named. Rows already there are never changed, every new row gets the next free
id, and the same file cannot be imported twice into one folder (its SHA-256 is in the rows' notes).

**Sources.** Every imported row needs a source: add a row to `sources.csv` for the file first
(title, publisher, date, an excerpt) and give its id as `--source-id` (an HXL file may carry
`#meta+source` instead). Rows that are records of the file (HXL, funding) keep the record's own
line of the file, verbatim, as their excerpt, so each figure is stated there. Rows an import
*computes* (the operational sums) are derived and say so: `value_as_reported` reads
`… m2 (derived: the sum of N task reports)`, the excerpt `[derived by the rule …]` names the rule
and the rows summed, the notes start with `derived`, and each figure is listed in
`unstated_figures.csv` with the reason (no source excerpt states an aggregate), so the report keeps
them out of its key figures, findings and summary.

Example files, all **synthetic** (made-up figures for a made-up country, `XIM`; never read by the
report): `examples/synthetic_clearance_hxl.csv`, `examples/synthetic_funding_transactions.csv`,
`examples/synthetic_operations_export.csv`.

```bash
python -m demining_sdg import operations data/examples/synthetic_operations_export.csv --country XIM --source-id S950
python -m demining_sdg import funding data/examples/synthetic_funding_transactions.csv --country XIM --source-id S950
python -m demining_sdg import hxl data/examples/synthetic_clearance_hxl.csv --source-id S950
```

(`S950` stands for the id of the `sources.csv` row added for the file.)
"""


def _table(header: tuple[str, ...], rows: list[tuple[str, ...]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(cell.replace("|", "\\|") for cell in row) + " |" for row in rows]
    return lines


def importing_section(contract: DataContract) -> str:
    lines = [INTRO, "### operations: an operational export", ""]
    lines += [
        "One row per task report or item found; columns by header name (any case; other columns ignored). "
        "Every calendar year, month and Monday-to-Sunday week the export covers wholly becomes rows of "
        "`clearance.csv` (period types `annual`, `monthly`, `weekly`; a year covered in part is "
        "`partial_year`); `--periods` chooses which, `--period-start` / `--period-end` the days the export "
        "covers (default: its first and last date). Areas stay in m2 and are summed exactly; land "
        "released is the three methods together; a series the export never reports is left out. "
        f"Rule: {operations.RULE}.",
        "",
    ]
    measures = {
        "method": "cancelled → `area_cancelled`, reduced → `area_reduced`, cleared → `area_cleared`; all → `area_released`",
        "area_m2": "summed per period and method, unit `m2`, item_category `all`",
        "ap_mines": "`items_destroyed`, `AP_mine`",
        "at_mines": "`items_destroyed`, `AT_mine`",
        "uxo": "`items_destroyed`, `UXO`",
        "other_items": "only in the total: `items_destroyed`, `all` (all four counts)",
        "date": "the period the row counts in",
        "district": "counted in `geography`",
        "operator": "counted in `operator_scope`",
    }
    lines += _table(("column", "becomes"), [(f"`{c}`", measures[c]) for c in operations.COLUMNS]) + [""]
    lines += ["### funding: IATI / OECD CRS transactions", ""]
    lines += [
        f"A flat CSV of transactions. Only DAC CRS purpose code {funding_records.DEMINING_SECTOR} is kept (the "
        "summary says how many rows of other sectors were left out); transaction type 2 becomes "
        "`commitment`, 3 `disbursement`, 12 `pledge`, each row keeping its own measure (never added "
        "together); the codelist's other types are left out and counted, any other code is an error. "
        "Amounts keep their currency and value date; the summary converts them with the ECB table "
        "(derived, per measure), the table keeps the original amounts. `--country` keeps one recipient.",
        "",
    ]
    becomes = {
        "sector_code": "kept if 15250",
        "transaction_type": "`measure`",
        "value": "`value` (as written)",
        "currency": f"`unit` ({', '.join(funding_records.ECB_CURRENCIES)})",
        "value_date": "`value_date`",
        "provider": "`donor`",
        "recipient_country": "`recipient_iso3` (alpha-2 codes become alpha-3)",
        "transaction_date": "`period_start_year`, `period_end_year` (optional; else the value date's year)",
    }
    lines += _table(
        ("column", "also read as", "becomes"),
        [
            (f"`{c}`", ", ".join(f"`{a}`" for a in funding_records.ALIASES[c][1:]), becomes[c])
            for c in (*funding_records.COLUMNS, *funding_records.OPTIONAL)
        ],
    ) + [""]
    lines += ["### hxl: HXL-tagged CSV", ""]
    lines += [
        "Header rows of any words may stand above the tag row, the first of the first rows whose filled "
        "cells are mostly hashtags; a file without one is refused. Columns map by tag, never by header "
        "text: attributes in any order, extra attributes allowed, the most specific tag wins; tags of no "
        "column are ignored and listed. `--table` names the table (else the tags decide). `obs_id`, "
        "`excerpt` (the record's line), `source_id` (`--source-id`) and the country (`--country`) are "
        "filled when the file has no column for them. The tags of each table's columns:",
        "",
    ]
    for name in hxl.TABLES:
        tags = hxl.table_tags(name, contract.table(name).column_names)
        lines += [f"**{name}**: " + ", ".join(f"`{column}` `{tag}`" for column, tag in tags.items()), ""]
    return "\n".join(lines)
