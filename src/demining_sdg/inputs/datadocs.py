"""data/README.md, generated from data/datapackage.json so the two cannot drift apart."""

from __future__ import annotations

from pathlib import Path

from demining_sdg import paths
from demining_sdg.inputs.contract import DataContract, load_contract

HEADER = """# Input data

<!-- Generated from datapackage.json by `make docs` (python -m demining_sdg data-docs). Do not edit by hand. -->

Every table is UTF-8, comma-separated, with one header row. Files saved by Excel as
"CSV UTF-8" (with a byte-order mark, CRLF line ends) are read as well. Every observation row
carries a `source_id` that resolves to `sources.csv`, where each source has a verbatim excerpt;
most tables also keep the excerpt on the row. Values are never rounded or filled in:
`value_as_reported` keeps the source's wording, `qualifier` says whether the number is exact,
approximate, a lower or an upper bound, and `quality_flag` marks rows kept for transparency
but left out of series (inconsistent, implausible, garbled, year not verified, partial scope).

Check the folder with `python -m demining_sdg validate [--data-dir DIR]` (in a log or a pipe it
prints one line per problem, `file:row: column (id): value: expected …`; `--format csv` or
`--format json` writes the problem table for a spreadsheet or a script).

## Which values do I choose

Copy the excerpt that states the figure, word for word, into `excerpt`; write the figure as a
plain number in `value` (no thousands separators, `.` as the decimal mark) and as the source
words it in `value_as_reported`. Every number in `value_as_reported` must be stated by the row's
excerpt or its source's excerpt; where a source gives a number only in a headline or a table
that was not archived, add the row and the number to `unstated_figures.csv` with the reason
(the report then keeps it out of headlines). Dates are `YYYY-MM-DD`.

| the source says | period_type | period_start / period_end | date_precision |
|---|---|---|---|
| a weekly bulletin: "from 10 to 16 March 2025, 1,651 hectares were cleared" | `weekly` | 2025-03-10 / 2025-03-16 (at most 8 days) | `day` |
| a monthly bulletin: "in February 2025, 3,250 mines and UXO were neutralised" | `monthly` | 2025-02-01 / 2025-02-28 (27 to 35 days) | `month` (or `day` if the source gives the days) |
| an annual report: "in 2024, 62,023.9 ha were cleared" | `annual` | 2024-01-01 / 2024-12-31 (one calendar year) | `year` |
| "over the past year" in a statement dated 3 April 2018 | `twelve_months` | empty / 2018-04-03 | `day` |
| a running total: "since 1 March 2021, 168,000 ha have been cleared", said on 24 Oct 2024 | `cumulative` | 2021-03-01 / 2024-10-24 (the start only where the source states one) | `day` |
| "in the first half of 2024" | `partial_year` | 2024-01-01 / 2024-06-30 | `month` |

More choices for a clearance row:
- **measure**: `area_cleared` for "cleared of mines and UXO"; `area_released` for "released"
  (cleared, reduced and cancelled together); `area_reduced` (technical survey) and
  `area_cancelled` (non-technical survey) only when the source says so; `items_destroyed` for
  mines and UXO "found and neutralised", "destroyed" or "defused".
- **item_category**: for items, the type (`AP_mine`, `AT_mine`, `UXO`, `mine` when the type is not
  said, `all` for a total); for areas, the hazard the land held: "cleared of mines" is `mine`,
  "cleared of mines and UXO" or an unstated hazard is `all`, "anti-personnel mined area" is `AP_mine`.
- **programme_scope**: one of the scopes in the country's profile (`profiles/<ISO3>.yaml`), e.g. the
  national programme before a date, or the territories regained since it; `national` for the whole
  country.
- **operator_scope**: who the figure covers ("all operators", the national agency's name, "MoD engineer units only"),
  empty when the source does not say.
- **qualifier**: `exact`; `approximate` for "about", "some", "nearly"; `lower_bound` for "over",
  "more than", "at least"; `upper_bound` for "up to", "under".
- **sources.csv, source_type**: the kind of publication, e.g. `press_report_of_official_statement`
  (a news agency quoting an authority), `official_press_release`, `monitoring_report` (Landmine
  Monitor, Mine Action Review), `official_statistics`, `donor_official_statement`, `ngo_statement_press`.

## Country profiles

`profiles/<ISO3>.yaml` holds what the chapters need to know about one country: its scopes and
their dates (`scopes`, `focus_scope`), its casualty recorders, comparator countries, its own SDG
framework (`sdg_framework`, a code of `sdg_frameworks.csv`), the claim set the report checks
(`claim_set`, a code of `conference_claims.csv`), the date funding announcements are shown from,
its treaty status (sourced), its UN M49 code (`m49`: `code` and the `source_ids` whose excerpt states
it; the SDG Global Database's GeoAreaCode, used by the SDG-format download), its national targets
(indicators of `contamination_targets.csv`) and its terminology. Every code is checked against the
tables. A country needs a profile and at least
one sourced row of clearance, casualties or funding to get a report.
"""


def render_data_readme(contract: DataContract) -> str:
    lines = [HEADER, "## Tables", ""]
    lines += [f"- [`{t.path}`](#{t.name.replace('_', '-')}): {t.title}" for t in contract.tables]
    for table in contract.tables:
        lines += ["", f"## {table.name}", "", f"`{table.path}` — {table.title}", ""]
        if table.description:
            lines += [table.description, ""]
        if table.primary_key:
            lines += [f"Key: {', '.join(f'`{c}`' for c in table.primary_key)}", ""]
        lines += ["| column | type | required | allowed values | description |", "|---|---|---|---|---|"]
        for spec in table.fields:
            allowed = []
            if spec.enum:
                allowed.append(", ".join(f"`{v}`" for v in spec.enum))
            if spec.minimum is not None:
                allowed.append(f"≥ {spec.minimum:g}")
            if spec.maximum is not None:
                allowed.append(f"≤ {spec.maximum:g}")
            if spec.pattern:
                allowed.append(f"pattern `{spec.pattern}`")
            description = (spec.description or spec.title).replace("|", "\\|").replace("\n", " ")
            lines.append(
                f"| `{spec.name}` | {spec.type} | {'yes' if spec.required else ''} | {'; '.join(allowed)} | {description} |"
            )
    from demining_sdg.inputs.imports.docs import importing_section

    lines += ["", importing_section(contract)]
    return "\n".join(lines).rstrip("\n") + "\n"


def write_data_readme(data_dir: Path = paths.DATA_DIR) -> Path:
    target = Path(data_dir) / "README.md"
    target.write_text(render_data_readme(load_contract(data_dir)), encoding="utf-8")
    return target
