"""Imports: files in the field's formats turned into rows of the project's own tables.

``python -m demining_sdg import FORMAT FILE`` runs one of them and appends the rows to a target data
folder (the review folder ``imports/review/`` unless ``--out`` names another; see
:mod:`~demining_sdg.inputs.imports.common`). One module per format:

* ``hxl``: an HXL-tagged CSV, columns mapped by tag (:mod:`.hxl`);
* ``funding``: funding records in IATI / OECD CRS style (:mod:`.funding_records`);
* ``operations``: an IMSMA-like operational export aggregated into clearance rows (:mod:`.operations`).

data/README.md ("Importing", written by ``make docs``) documents each mapping.
"""

from __future__ import annotations

FORMATS = ("hxl", "funding", "operations")


def run_import(
    fmt: str,
    file,
    *,
    out=None,
    data_dir=None,
    country: str | None = None,
    source_id: str | None = None,
    table: str | None = None,
    programme_scope: str = "national",
    periods: str = "annual,monthly,weekly",
    period_start: str | None = None,
    period_end: str | None = None,
    currency: str | None = None,
):
    """Import ``file`` in format ``fmt`` into the target folder; returns the ImportResult.

    Raises ``ImportRefused`` for options that cannot work and ``ImportProblems`` for bad input."""
    from pathlib import Path

    import pandas as pd

    from demining_sdg import paths
    from demining_sdg.inputs.imports.common import ImportRefused, resolve_target, write_rows

    base = Path(data_dir or paths.DATA_DIR).resolve()
    target, folder = resolve_target(Path(out) if out else None, base)
    if country is not None and not (len(country) == 3 and country.isalpha() and country.isupper()):
        raise ImportRefused([f"--country {country}: an ISO 3166-1 alpha-3 code (three capital letters)"])
    if fmt == "operations":
        from demining_sdg.inputs.imports.operations import PERIOD_TYPES, OperationsOptions, import_operations

        kinds = tuple(p.strip() for p in periods.split(",") if p.strip())
        wrong = [k for k in kinds if k not in PERIOD_TYPES]
        if wrong or not kinds:
            raise ImportRefused([f"--periods {periods}: a comma-separated list of {', '.join(PERIOD_TYPES)}"])
        if not country:
            raise ImportRefused(
                ["--country: the ISO3 code of the country the export is about (it has no country column)"]
            )
        days = {}
        for name, text in (("period-start", period_start), ("period-end", period_end)):
            try:
                days[name] = pd.Timestamp(text) if text else None
            except ValueError as exc:
                raise ImportRefused([f"--{name} {text}: a date written YYYY-MM-DD"]) from exc
        options = OperationsOptions(
            country, source_id, programme_scope, kinds, days["period-start"], days["period-end"]
        )
        result = import_operations(file, folder, options)
    elif fmt == "funding":
        from demining_sdg.inputs.imports.funding_records import FundingOptions, import_funding

        if currency is None:
            from demining_sdg.params import ParamsError, load_params

            try:
                currency = load_params(paths.DEFAULT_PARAMS_FILE).currency
            except ParamsError:
                currency = "USD"
        result = import_funding(file, folder, FundingOptions(source_id, country, currency))
    elif fmt == "hxl":
        from demining_sdg.inputs.imports.hxl import HxlOptions, import_hxl

        result = import_hxl(file, folder, HxlOptions(table, source_id, country))
    else:
        raise ImportRefused([f"FORMAT {fmt}: one of {', '.join(FORMATS)}"])
    write_rows(result, target, base)
    return result
