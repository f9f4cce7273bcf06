"""Funding records in IATI / OECD CRS style: a flat CSV of transactions, turned into funding rows.

The columns (header names in any case, spaces or hyphens for underscores; other columns ignored):

==================  ==========================================================  ==========================
column              holds                                                       becomes (funding.csv)
==================  ==========================================================  ==========================
sector_code         DAC CRS purpose code (IATI sector vocabulary 1)             only 15250 is kept
transaction_type    IATI TransactionType code (2, 3, ...; or the 1.x letters)   measure (see below)
value               the amount in its own currency, >= 0                        value (as written)
currency            ISO 4217 code                                               unit
value_date          the date that sets the exchange rate, YYYY-MM-DD            value_date
provider            the provider (funding) organisation                         donor
recipient_country   ISO 3166-1 alpha-2 (IATI) or alpha-3 code                   recipient_iso3
transaction_date    optional: the day of the transaction                        period years
==================  ==========================================================  ==========================

Transaction types: 2 (outgoing commitment) becomes ``commitment``, 3 (disbursement) ``disbursement``,
12 (outgoing pledge) ``pledge``; they stay apart (each row keeps its measure, totals are per measure).
The other codes of the IATI codelist (1, 4-11, 13: incoming funds, expenditure, loans, equity, ...)
are not funding flows the report shows and are left out and counted; any other code is an error.
Rows of another sector, or of another country than ``--country``, are left out and counted.

Each row is a record of the file, so its excerpt is the record's own line of the file, verbatim,
and its value is stated there. The amount converted to the reporting currency (ECB reference
rates of the value date, ``derive.rules.convert_amounts``) is a derived figure: it is shown in the
import's summary and returned, not written to the table, which keeps original amounts only.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pycountry

from demining_sdg.derive.rules import convert_amounts
from demining_sdg.inputs.imports.common import (
    ID_PREFIXES,
    ImportProblems,
    ImportRefused,
    ImportResult,
    ProblemCollector,
    check_not_imported,
    check_source_id,
    import_mark,
    next_ids,
    normal_name,
    read_text_table,
    record_lines,
    shift_hint,
)
from demining_sdg.inputs.problems import Problem
from demining_sdg.provenance.record import sha256_of

DEMINING_SECTOR = "15250"
COLUMNS = ("sector_code", "transaction_type", "value", "currency", "value_date", "provider", "recipient_country")
OPTIONAL = ("transaction_date",)
ALIASES = {
    "sector_code": ("sector_code", "sector", "purpose_code", "sector_vocabulary_1_code"),
    "transaction_type": ("transaction_type", "transaction_type_code", "transactiontype"),
    "value": ("value", "transaction_value", "amount"),
    "currency": ("currency", "value_currency", "currency_code"),
    "value_date": ("value_date", "value_value_date"),
    "provider": ("provider", "provider_org", "provider_org_name", "provider_organisation", "donor"),
    "recipient_country": ("recipient_country", "recipient_country_code", "recipient"),
    "transaction_date": ("transaction_date", "transaction_date_iso_date"),
}
MEASURES = {"2": "commitment", "3": "disbursement", "12": "pledge"}
NOT_SHOWN = {"1", "4", "5", "6", "7", "8", "9", "10", "11", "13"}
LETTER_CODES = {
    "IF": "1",
    "C": "2",
    "D": "3",
    "E": "4",
    "IR": "5",
    "LR": "6",
    "R": "7",
    "QP": "8",
    "QS": "9",
    "CG": "10",
}
TYPE_NAMES = {"2": "outgoing commitment", "3": "disbursement", "12": "outgoing pledge"}
USER_ASSIGNED = re.compile(r"^X[A-Z]{2}$")
ECB_CURRENCIES = ("EUR", "USD", "GBP")  # the currencies the project's ECB table converts


@dataclass(frozen=True)
class FundingOptions:
    source_id: str | None
    iso3: str | None = None
    reporting_currency: str = "USD"


def _columns(header: list[str], name: str) -> dict[str, str]:
    normal = {normal_name(h): h for h in header}
    found, missing = {}, []
    for column in (*COLUMNS, *OPTIONAL):
        match = next((normal[a] for a in ALIASES[column] if a in normal), None)
        if match is not None:
            found[column] = match
        elif column in COLUMNS:
            missing.append(column)
    if missing:
        raise ImportProblems(
            [
                Problem(
                    name,
                    1,
                    None,
                    ",".join(header)[:200],
                    f"a header row with the columns {', '.join(COLUMNS)}; missing: {', '.join(missing)}",
                )
            ],
            [],
        )
    return found


def _iso3(codes: pd.Series) -> pd.Series:
    """Alpha-2 or alpha-3 country codes as alpha-3 (looked up once per distinct code)."""
    lookup = {}
    for code in codes.dropna().unique():
        text = str(code).strip().upper()
        if USER_ASSIGNED.match(text):  # XAA-XZZ: codes ISO 3166 leaves to users (synthetic data)
            lookup[code] = text
            continue
        country = pycountry.countries.get(alpha_2=text) if len(text) == 2 else pycountry.countries.get(alpha_3=text)
        lookup[code] = country.alpha_3 if country else None
    return codes.map(lookup)


def import_funding(path: Path, folder: Path, options: FundingOptions) -> ImportResult:
    path = Path(path)
    name = path.name
    source_id = check_source_id(folder, options.source_id, f"the funding records in {name}")
    digest = sha256_of(path)
    check_not_imported(folder, ["funding"], import_mark(path, digest))
    records = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"), newline="")))
    if not records:
        raise ImportProblems([Problem(name, 1, None, None, "a header row: " + ", ".join(COLUMNS))], [])
    header, body = records[0], records[1:]
    width = len(header)
    cells = np.array([len(r) for r in body], dtype=np.int64)
    raw = pd.DataFrame([(r + [""] * width)[:width] for r in body], columns=header, dtype=str)
    columns = _columns(header, name)
    frame = pd.DataFrame({c: raw[h].str.strip() for c, h in columns.items()})
    found = ProblemCollector(name)
    text = pd.Series([",".join(r)[:120] for r in body], dtype=str)
    found.check(
        (cells != width) & (cells > 0),
        "",
        text,
        f"{width} cells as in the header; this row has another number: a value is missing or extra (or a "
        "text holds a comma without double quotes), so the cells after it are shifted by one column",
    )
    sector = frame["sector_code"].str.replace(r"\.0$", "", regex=True)
    blank = (frame == "").all(axis=1).to_numpy()
    kept = (sector == DEMINING_SECTOR).to_numpy()
    kind = frame["transaction_type"].str.upper().replace(LETTER_CODES)
    known = kind.isin([*MEASURES, *NOT_SHOWN]).to_numpy()
    found.check(
        kept & ~known,
        "transaction_type",
        frame["transaction_type"],
        "an IATI transaction type code: 2 (outgoing commitment), 3 (disbursement) or 12 (outgoing pledge) are "
        "imported, 1 and 4-11, 13 are left out; check the column is the transaction type",
    )
    value = pd.to_numeric(frame["value"], errors="coerce")
    found.check(
        kept & value.isna().to_numpy(),
        "value",
        frame["value"],
        "a plain number such as 250000.50 (no thousands separators, no currency sign)",
    )
    found.check(
        kept & (value < 0).to_numpy(),
        "value",
        frame["value"],
        "an amount of 0 or more (a negative IATI value is a reversal: net it with the transaction it reverses)",
    )
    currency = frame["currency"].str.upper()
    found.check(
        kept & ~currency.isin(ECB_CURRENCIES).to_numpy(),
        "currency",
        frame["currency"],
        f"an ISO 4217 code the ECB table converts: {', '.join(ECB_CURRENCIES)}",
    )
    value_date = pd.to_datetime(frame["value_date"], format="%Y-%m-%d", errors="coerce")
    found.check(kept & value_date.isna().to_numpy(), "value_date", frame["value_date"], "a date written YYYY-MM-DD")
    found.check(kept & (frame["provider"] == "").to_numpy(), "provider", frame["provider"], "the provider's name")
    iso3 = _iso3(frame["recipient_country"].where(frame["recipient_country"] != ""))
    found.check(
        kept & iso3.isna().to_numpy(),
        "recipient_country",
        frame["recipient_country"],
        "an ISO 3166-1 country code, alpha-2 (as IATI writes them) or alpha-3",
    )
    if "transaction_date" in frame:
        when = pd.to_datetime(frame["transaction_date"], format="%Y-%m-%d", errors="coerce")
        found.check(
            kept & (frame["transaction_date"] != "").to_numpy() & when.isna().to_numpy(),
            "transaction_date",
            frame["transaction_date"],
            "a date written YYYY-MM-DD, or empty",
        )
    else:
        when = pd.Series(pd.NaT, index=frame.index)
    hint = shift_hint(name, found.shifted_rows())
    found.raise_if_any([hint] if hint else [])

    other_country = kept & (iso3 != options.iso3).to_numpy() if options.iso3 else np.zeros(len(frame), dtype=bool)
    not_shown = kept & kind.isin(NOT_SHOWN).to_numpy()
    take = kept & ~other_country & ~not_shown
    rows = frame[take]
    if not len(rows):
        raise ImportRefused([f"{name}: no transaction of sector {DEMINING_SECTOR} to import (of {len(frame):,} rows)"])
    lines = record_lines(path)
    positions = np.flatnonzero(take)
    measure = kind[take].map(MEASURES)
    year = when[take].dt.year.fillna(value_date[take].dt.year).astype(int).astype(str)
    mark = import_mark(path, digest)
    existing = read_text_table(folder / "funding.csv")["obs_id"]
    funding = pd.DataFrame(
        {
            "obs_id": next_ids(existing, ID_PREFIXES["funding"], len(rows)),
            "recipient_iso3": iso3[take].to_numpy(),
            "recipient_scope": "",
            "donor": rows["provider"].to_numpy(),
            "channel": "",
            "purpose": f"DAC CRS purpose code {DEMINING_SECTOR} (removal of land mines and explosive remnants of war)",
            "funding_source": "international",
            "measure": measure.to_numpy(),
            "is_cumulative": "false",
            "value": rows["value"].to_numpy(),
            "unit": currency[take].to_numpy(),
            "value_as_reported": (rows["value"] + " " + currency[take]).to_numpy(),
            "qualifier": "exact",
            "period_start_year": year.to_numpy(),
            "period_end_year": year.to_numpy(),
            "period_as_reported": np.where(
                rows.get("transaction_date", pd.Series("", index=rows.index)) != "",
                "transaction date " + rows.get("transaction_date", pd.Series("", index=rows.index)),
                "value date " + rows["value_date"],
            ),
            "value_date": rows["value_date"].to_numpy(),
            "date_precision": "day",
            "source_id": source_id,
            "excerpt": [lines[p + 1] for p in positions],  # kept rows (few), not every row of the file
            "quality_flag": "",
            "notes": [
                f"IATI transaction type {k} ({TYPE_NAMES[k]}), row {p + 2} of the file; {mark}"
                for k, p in zip(kind[take], positions)
            ],
        }
    )
    rates = read_text_table(folder / "ecb_reference_rates.csv")
    rates = rates.assign(date=pd.to_datetime(rates["date"]), units_per_eur=pd.to_numeric(rates["units_per_eur"]))
    target = options.reporting_currency
    try:
        converted = convert_amounts(
            funding.assign(value=pd.to_numeric(funding["value"]), value_date=pd.to_datetime(funding["value_date"])),
            rates,
            target,
        )
    except LookupError as exc:
        raise ImportRefused([f"{name}: {exc}: extend ecb_reference_rates.csv or leave the row out"]) from exc
    derived = converted[["obs_id", "measure", "value", "unit", "value_date", f"amount_{target.lower()}", "rate_date"]]
    derived = derived.assign(label=f"derived: converted to {target} at the ECB reference rate of the value date")
    totals = derived.groupby("measure")[f"amount_{target.lower()}"].sum()
    summary = [
        f"{int((~blank).sum()):,} transactions read; {int(kept.sum()):,} of sector {DEMINING_SECTOR} "
        f"({int((~kept & ~blank).sum()):,} of other sectors left out)",
        f"{len(rows):,} funding rows: "
        + ", ".join(f"{int((measure == m).sum()):,} {m}" for m in dict.fromkeys(measure)),
    ]
    if not_shown.any():
        summary.append(
            f"{int(not_shown.sum()):,} transactions of other types (expenditure, incoming funds, ...) left out"
        )
    if other_country.any():
        summary.append(f"{int(other_country.sum()):,} transactions for other recipient countries left out")
    summary += [
        f"{m}: {total:,.2f} {target} (derived: converted at ECB reference rates of each value date; "
        "commitments, disbursements and pledges are never added together)"
        for m, total in totals.items()
    ]
    return ImportResult(
        path,
        "funding",
        rows={"funding": funding},
        summary=summary,
        derived=derived,
        file_rows={"funding": [int(p) + 2 for p in positions]},
        file_columns={
            "funding": {
                "donor": columns["provider"],
                "value": columns["value"],
                "unit": columns["currency"],
                "value_date": columns["value_date"],
                "recipient_iso3": columns["recipient_country"],
            }
        },
    )
