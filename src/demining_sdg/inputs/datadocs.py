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

Check the folder with `python -m demining_sdg validate [--data-dir DIR]`.
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
    return "\n".join(lines) + "\n"


def write_data_readme(data_dir: Path = paths.DATA_DIR) -> Path:
    target = Path(data_dir) / "README.md"
    target.write_text(render_data_readme(load_contract(data_dir)), encoding="utf-8")
    return target
