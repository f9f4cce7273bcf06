"""Validation of the input tables against their contract, and the rules that span tables.

All problems are collected (pandera lazy validation plus cross-table rules) and returned at
once, so a user fixing a spreadsheet sees everything in one pass.
"""

from __future__ import annotations

import datetime as dt
import difflib
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np
import pandas as pd
import pandera.pandas as pa
import pycountry

from demining_sdg import paths
from demining_sdg.inputs.contract import (
    TYPE_WORDS,
    ContractError,
    DataContract,
    FieldSpec,
    TableContract,
    load_contract,
)
from demining_sdg.inputs.excerpts import excerpt_problems
from demining_sdg.inputs.problems import Problem
from demining_sdg.inputs.profiles import CountryProfile, validate_profiles
from demining_sdg.inputs.tableio import read_table_text

NUMBER_PATTERN = r"-?(\d+(\.\d+)?|\.\d+)([eE][-+]?\d+)?"
INTEGER_PATTERN = r"-?\d+"
STORABLE_INTEGER_PATTERN = r"-?0*\d{1,18}"  # always fits a 64-bit integer
DATE_PATTERN = r"\d{4}-\d{2}-\d{2}"
BOOLEAN_VALUES = ("true", "false")
NON_MONEY_UNITS = {"percent", "items"}
FIRST_ECB_YEAR = 1999
# Dates of observations cannot lie in the future; a reference_date may (targets, deadlines).
OBSERVATION_DATE_FIELDS = {"period_start", "period_end", "value_date", "date"}
# Any date must lie in this plausible range (the contract bounds its year columns alike).
FIRST_YEAR, LAST_YEAR = 1900, 2100


@dataclass
class ValidationResult:
    """Tables read as text (None where unreadable) and every problem found."""

    contract: DataContract | None
    tables: dict[str, pd.DataFrame | None]
    problems: list[Problem]
    profiles: dict[str, CountryProfile] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.problems


def _present(series: pd.Series) -> pd.Series:
    return series.astype(str).str.strip() != ""


def _type_check(spec: FieldSpec) -> pa.Check | None:
    patterns = {"number": NUMBER_PATTERN, "integer": INTEGER_PATTERN, "date": DATE_PATTERN}
    if spec.type in patterns:
        pattern = patterns[spec.type]
        if spec.type == "date":
            return pa.Check(lambda s: ~_present(s) | _valid_dates(s), error=_expected(spec))
        return pa.Check(lambda s: ~_present(s) | s.str.strip().str.fullmatch(pattern), error=_expected(spec))
    if spec.type == "boolean":
        return pa.Check(lambda s: ~_present(s) | s.str.strip().isin(BOOLEAN_VALUES), error=_expected(spec))
    return None


def _valid_dates(series: pd.Series) -> pd.Series:
    shaped = series.str.strip().str.fullmatch(DATE_PATTERN)
    parsed = pd.to_datetime(series.where(shaped, None), format="%Y-%m-%d", errors="coerce")
    return shaped & parsed.notna()


def _dates(series: pd.Series) -> pd.Series:
    return pd.to_datetime(series.where(_valid_dates(series), None), format="%Y-%m-%d", errors="coerce")


def _numeric(series: pd.Series) -> pd.Series:
    return pd.to_numeric(series.where(series.str.strip().str.fullmatch(NUMBER_PATTERN), None), errors="coerce")


def _expected(spec: FieldSpec) -> str:
    return TYPE_WORDS[spec.type]


def _column_checks(spec: FieldSpec) -> list[pa.Check]:
    checks: list[pa.Check] = []
    if spec.required:
        checks.append(pa.Check(_present, error="a value (this column is required)"))
    type_check = _type_check(spec)
    if type_check is not None:
        checks.append(type_check)
    if spec.enum:
        allowed = set(spec.enum)
        checks.append(
            pa.Check(lambda s: ~_present(s) | s.str.strip().isin(allowed), error="one of: " + ", ".join(spec.enum))
        )
    if spec.pattern:
        pattern = spec.pattern.removeprefix("^").removesuffix("$")
        checks.append(
            pa.Check(
                lambda s: ~_present(s) | s.str.fullmatch(pattern), error=f"text matching the pattern {spec.pattern}"
            )
        )
    if spec.type == "number":
        checks.append(
            pa.Check(
                lambda s: ~_present(s) | ~s.str.strip().str.fullmatch(NUMBER_PATTERN) | np.isfinite(_numeric(s)),
                error="a number of a storable size (this one is out of range)",
            )
        )
    if spec.type == "integer":
        checks.append(
            pa.Check(
                lambda s: (
                    ~_present(s)
                    | ~s.str.strip().str.fullmatch(INTEGER_PATTERN)
                    | s.str.strip().str.fullmatch(STORABLE_INTEGER_PATTERN)
                ),
                error="a whole number of at most 18 digits",
            )
        )
    if spec.minimum is not None:
        minimum = spec.minimum
        checks.append(pa.Check(lambda s: ~(_numeric(s) < minimum), error=f"a value of at least {minimum:g}"))
    if spec.maximum is not None:
        maximum = spec.maximum
        checks.append(pa.Check(lambda s: ~(_numeric(s) > maximum), error=f"a value of at most {maximum:g}"))
    if spec.type == "date":
        checks.append(
            pa.Check(
                lambda s: ~((_dates(s).dt.year < FIRST_YEAR) | (_dates(s).dt.year > LAST_YEAR)),
                error=f"a date between {FIRST_YEAR}-01-01 and {LAST_YEAR}-12-31",
            )
        )
    if spec.type == "date" and spec.name in OBSERVATION_DATE_FIELDS:
        checks.append(
            pa.Check(
                lambda s: ~(_dates(s) > pd.Timestamp(dt.date.today())),
                error="a date that is not in the future",
            )
        )
    return checks


def table_schema(contract: TableContract) -> pa.DataFrameSchema:
    """The pandera schema enforcing one table's contract on its text cells."""
    columns = {
        spec.name: pa.Column(object, checks=_column_checks(spec), nullable=False, unique=spec.unique, required=True)
        for spec in contract.fields
    }
    return pa.DataFrameSchema(
        columns,
        unique=list(contract.primary_key) or None,
        report_duplicates="all",
        name=contract.name,
    )


def _problems_from_failures(
    file: str, frame: pd.DataFrame, failures: pd.DataFrame, contract: TableContract
) -> list[Problem]:
    problems = []
    primary_key = list(contract.primary_key)
    for failure in failures.itertuples(index=False):
        row = None if pd.isna(failure.index) else int(failure.index)
        column = None if pd.isna(failure.column) else str(failure.column)
        check = str(failure.check)
        value = None if pd.isna(failure.failure_case) else str(failure.failure_case)
        if check.startswith("field_uniqueness") or check in ("column_uniqueness", "multiple_fields_uniqueness"):
            # A primary key of several columns fails once per column and row: one problem per row.
            single = bool(column) and column in frame.columns and check != "multiple_fields_uniqueness"
            key_cols = [column] if single else primary_key
            column = ", ".join(key_cols)
            value = " | ".join(str(frame.at[row, c]) for c in key_cols) if row in frame.index else value
            check = "a unique key (" + ", ".join(key_cols) + "): this value appears more than once"
        problems.append(Problem(file, row, column, value, check))
    return problems


def validate_table(contract: TableContract, frame: pd.DataFrame) -> list[Problem]:
    try:
        table_schema(contract).validate(frame, lazy=True)
    except pa.errors.SchemaErrors as errors:
        return _problems_from_failures(contract.path, frame, errors.failure_cases, contract)
    return []


# Cross-table rules ---------------------------------------------------------------------------


def _foreign_key_problems(contract: TableContract, tables: dict[str, pd.DataFrame | None]) -> list[Problem]:
    problems = []
    frame = tables.get(contract.name)
    if frame is None:
        return problems
    for fk in contract.foreign_keys:
        target = tables.get(fk.resource)
        if target is None:
            continue
        known = set(zip(*(target[c].str.strip() for c in fk.reference_fields)))
        values = list(zip(*(frame[c].str.strip() for c in fk.fields)))
        for row, key in zip(frame.index, values):
            if all(key) and key not in known:
                problems.append(
                    Problem(
                        contract.path,
                        int(row),
                        ", ".join(fk.fields),
                        " | ".join(key),
                        f"an id listed in {fk.resource} ({', '.join(fk.reference_fields)})"
                        + (suggestion(key[0], (k[0] for k in known)) if len(key) == 1 else ""),
                    )
                )
    return problems


def _source_list_problems(tables: dict[str, pd.DataFrame | None], contract: DataContract) -> list[Problem]:
    """Columns holding several semicolon-separated source ids (e.g. evidence_source_ids)."""
    sources = tables.get("sources")
    if sources is None:
        return []
    known = set(sources["source_id"].str.strip())
    problems = []
    for table in contract.tables:
        frame = tables.get(table.name)
        if frame is None:
            continue
        for column in (c for c in frame.columns if c.endswith("_source_ids")):
            for row, cell in frame[column].items():
                for source_id in filter(None, (part.strip() for part in str(cell).split(";"))):
                    if source_id not in known:
                        problems.append(
                            Problem(
                                table.path,
                                int(row),
                                column,
                                source_id,
                                "an id listed in sources (source_id)" + suggestion(source_id, known),
                            )
                        )
    return problems


def _empty_referenced_table_problems(tables: dict[str, pd.DataFrame | None], contract: DataContract) -> list[Problem]:
    """A table other tables refer to (e.g. sources) must have rows once those tables have rows."""
    referrers: dict[str, set[str]] = {}
    for table in contract.tables:
        for fk in table.foreign_keys:
            referrers.setdefault(fk.resource, set()).add(table.name)
        if any(name.endswith("_source_ids") for name in table.column_names):
            referrers.setdefault("sources", set()).add(table.name)
    problems = []
    for name, users in sorted(referrers.items()):
        frame = tables.get(name)
        using = sorted(u for u in users if u != name and tables.get(u) is not None and not tables[u].empty)
        if frame is not None and frame.empty and using:
            problems.append(
                Problem(
                    contract.table(name).path,
                    None,
                    None,
                    None,
                    f"data rows: this file has only its header, but {', '.join(using)} refer to its ids",
                )
            )
    return problems


def _percent_problems(tables: dict[str, pd.DataFrame | None], contract: DataContract) -> list[Problem]:
    """Where unit is percent, the value is a share: 0-100 (as the contract describes it)."""
    problems = []
    for table in contract.tables:
        frame = tables.get(table.name)
        if frame is None or not {"value", "unit"} <= set(frame.columns):
            continue
        too_large = (frame["unit"].str.strip() == "percent") & (_numeric(frame["value"]) > 100)
        for row in frame.index[too_large.fillna(False)]:
            value = str(frame.at[row, "value"])
            problems.append(
                Problem(table.path, int(row), "value", value, "a percentage of at most 100 (unit is percent)")
            )
    return problems


def _period_order_problems(tables: dict[str, pd.DataFrame | None], contract: DataContract) -> list[Problem]:
    problems = []
    pairs = (("period_start", "period_end", "date"), ("period_start_year", "period_end_year", "integer"))
    for table in contract.tables:
        frame = tables.get(table.name)
        if frame is None:
            continue
        for start_col, end_col, kind in pairs:
            if start_col not in frame.columns or end_col not in frame.columns:
                continue
            if kind == "date":
                start = pd.to_datetime(frame[start_col].where(_valid_dates(frame[start_col]), None), errors="coerce")
                end = pd.to_datetime(frame[end_col].where(_valid_dates(frame[end_col]), None), errors="coerce")
            else:
                start, end = _numeric(frame[start_col]), _numeric(frame[end_col])
            for row in frame.index[(end < start).fillna(False)]:
                problems.append(
                    Problem(
                        table.path,
                        int(row),
                        end_col,
                        str(frame.at[row, end_col]),
                        f"{end_col} on or after {start_col} ({frame.at[row, start_col]})",
                    )
                )
    return problems


UNDATED_FLAGS = {"undated", "year_not_verified"}
WHAT_TO_DO = "correct the dates or choose the period type that fits them (data/README.md: which values do I choose)"


def _period_type_rule(
    kind: str, start: pd.Timestamp, end: pd.Timestamp, flag: str, precision: str = "day"
) -> str | None:
    """What is wrong with one row's dates for its period type, or None."""
    has_start, has_end = pd.notna(start), pd.notna(end)
    days = (end - start).days + 1 if has_start and has_end else None
    if kind == "weekly":
        if days is None or not 1 <= days <= 8:
            return "weekly: period_start and period_end at most 8 days apart, both given"
    elif kind == "monthly":
        if days is None or not 27 <= days <= 35:
            return "monthly: period_start and period_end one month apart (27 to 35 days), both given"
    elif kind == "annual":
        if not (
            has_start
            and has_end
            and (start.month, start.day, end.month, end.day) == (1, 1, 12, 31)
            and start.year == end.year
        ):
            return (
                "annual: one calendar year, period_start 1 Jan and period_end 31 Dec of the same year "
                "(a bulletin for a week or a month is weekly or monthly)"
            )
    elif kind == "twelve_months":
        if not has_end or (days is not None and not 360 <= days <= 370):
            return "twelve_months: a period_end, and a period_start (if given) about a year before it"
    elif kind == "cumulative":
        if not has_end and flag not in UNDATED_FLAGS:
            return "cumulative: a period_end (the date of the running total), or quality_flag undated"
    elif kind == "partial_year":
        whole_year = days is not None and days >= 365 and precision == "day"
        if not (has_start and has_end and start.year == end.year and not whole_year):
            return "partial_year: period_start and period_end within one calendar year, less than the whole year"
    elif kind == "multi_year":
        if not (has_start and has_end and end.year > start.year):
            return "multi_year: period_start and period_end in different years"
    return None


def _period_type_problems(tables: dict[str, pd.DataFrame | None], contract: DataContract) -> list[Problem]:
    """Every period type checked against its dates, before any chapter runs."""
    problems = []
    for table in contract.tables:
        frame = tables.get(table.name)
        if frame is None or not {"period_type", "period_start", "period_end"} <= set(frame.columns):
            continue
        start = pd.to_datetime(frame["period_start"].where(_valid_dates(frame["period_start"]), None), errors="coerce")
        end = pd.to_datetime(frame["period_end"].where(_valid_dates(frame["period_end"]), None), errors="coerce")
        blank = pd.Series("", index=frame.index)
        flags = frame["quality_flag"].str.strip() if "quality_flag" in frame.columns else blank
        precision = frame["date_precision"].str.strip() if "date_precision" in frame.columns else blank
        unreadable = pd.Series(False, index=frame.index)
        for column in ("period_start", "period_end"):
            text = frame[column].str.strip()
            unreadable |= (text != "") & ~_valid_dates(frame[column])
        unreadable |= (end < start).fillna(False)  # reversed dates are reported already
        for row, kind in frame["period_type"].str.strip().items():
            if unreadable[row]:
                continue  # the date itself is reported already
            wrong = _period_type_rule(kind, start[row], end[row], flags[row], precision[row] or "day")
            if wrong:
                shown = f"{kind} from {frame.at[row, 'period_start'] or '(no start)'} to {frame.at[row, 'period_end'] or '(no end)'}"
                problems.append(Problem(table.path, int(row), "period_type", shown, f"{wrong}; {WHAT_TO_DO}"))
    return problems


SERIES_KEYS = {
    "clearance": ["iso3", "programme_scope", "operator_scope", "measure", "item_category", "unit"],
    "casualties": ["iso3", "programme_scope", "outcome", "population_group", "recorder", "unit"],
}
PERIODIC = ("weekly", "monthly")


def _plausibility_problems(tables: dict[str, pd.DataFrame | None], contract: DataContract) -> list[Problem]:
    """Figures that cannot all be right: a running total that falls, a cumulative total over a
    bulletin's few days, a weekly or monthly value beyond every full year of its series."""
    problems = []
    for name, keys in SERIES_KEYS.items():
        frame = tables.get(name)
        needed = set(keys) | {
            "value",
            "qualifier",
            "period_type",
            "period_start",
            "period_end",
            "quality_flag",
            "obs_id",
        }
        if frame is None or not needed <= set(frame.columns):
            continue
        path = contract.table(name).path
        rows = frame.copy()
        rows["_value"] = _numeric(rows["value"])
        rows["_start"] = pd.to_datetime(
            rows["period_start"].where(_valid_dates(rows["period_start"]), None), errors="coerce"
        )
        rows["_end"] = pd.to_datetime(rows["period_end"].where(_valid_dates(rows["period_end"]), None), errors="coerce")
        rows = rows[rows["_value"].notna() & (rows["quality_flag"].str.strip() == "")]
        cumulative = rows[(rows["period_type"] == "cumulative") & rows["_end"].notna()]
        short = cumulative[((cumulative["_end"] - cumulative["_start"]).dt.days < 35).fillna(False)]
        for row, item in short.iterrows():
            days = (item["_end"] - item["_start"]).days + 1
            problems.append(
                Problem(
                    path,
                    int(row),
                    "period_type",
                    f"cumulative over {days} days",
                    "a running total since a stated start, not a bulletin's figure for a few days: "
                    "if the source reports one week or one month, write weekly or monthly",
                )
            )
        for _, series in cumulative.groupby(keys, dropna=False):
            series = series.sort_values(["_end", "obs_id"])
            exact_before = series["_value"].where(series["qualifier"] == "exact").cummax().shift()
            falls = series[(series["qualifier"].isin(["exact", "approximate"])) & (series["_value"] < exact_before)]
            for row, item in falls.iterrows():
                earlier = series[
                    (series["_end"] <= item["_end"])
                    & (series["qualifier"] == "exact")
                    & (series["_value"] > item["_value"])
                ].iloc[0]
                problems.append(
                    Problem(
                        path,
                        int(row),
                        "value",
                        item["value"],
                        f"a running total at least as high as the earlier {earlier['obs_id']} "
                        f"({earlier['value']} on {earlier['period_end']}): if the sources disagree, keep both and "
                        "set quality_flag to inconsistent_with_series; otherwise correct the value or its period_type",
                    )
                )
        annual = rows[rows["period_type"] == "annual"].groupby(keys, dropna=False)["_value"].max()
        periodic = rows[rows["period_type"].isin(PERIODIC)]
        for row, item in periodic.iterrows():
            key = tuple(item[k] for k in keys)
            highest = annual.get(key if len(keys) > 1 else key[0])
            if highest is not None and not pd.isna(highest) and item["_value"] > highest:
                problems.append(
                    Problem(
                        path,
                        int(row),
                        "value",
                        item["value"],
                        f"a {item['period_type']} value no larger than a full year of the same series "
                        f"(the highest full year is {highest:g}): check the value, its unit and its period_type",
                    )
                )
    return problems


CASUALTY_GROUP_KEYS = [
    "recorder",
    "iso3",
    "programme_scope",
    "population_group",
    "period_start",
    "period_end",
    "period_type",
    "source_id",
]


def _casualty_sum_problems(tables: dict[str, pd.DataFrame | None]) -> list[Problem]:
    """Where one source gives killed, injured and total for the same group, killed + injured = total."""
    frame = tables.get("casualties")
    needed = set(CASUALTY_GROUP_KEYS) | {"outcome", "value", "unit", "quality_flag"}
    if frame is None or not needed <= set(frame.columns):
        return []
    persons = frame[(frame["unit"] == "persons") & frame["outcome"].isin(["killed", "injured", "total"])].copy()
    persons["number"] = _numeric(persons["value"])
    problems = []
    for _, group in persons.groupby(CASUALTY_GROUP_KEYS, dropna=False):
        by_outcome = group.drop_duplicates("outcome", keep=False).set_index("outcome")
        if not {"killed", "injured", "total"} <= set(by_outcome.index):
            continue
        killed, injured, total = (by_outcome.at[o, "number"] for o in ("killed", "injured", "total"))
        if pd.isna(killed) or pd.isna(injured) or pd.isna(total) or killed + injured == total:
            continue
        if "inconsistent_with_series" in set(group["quality_flag"]):
            continue
        problems.append(
            Problem(
                "casualties.csv",
                int(group.index[group["outcome"] == "total"][0]),
                "value",
                f"{total:g}",
                f"killed + injured = total ({killed:g} + {injured:g} = {killed + injured:g}), "
                "or quality_flag 'inconsistent_with_series' if the source itself does not add up",
            )
        )
    return problems


def _currency_problems(tables: dict[str, pd.DataFrame | None]) -> list[Problem]:
    """Money rows use ISO 4217 codes, and every currency has an ECB rate in the year used."""
    funding, rates = tables.get("funding"), tables.get("ecb_reference_rates")
    if funding is None or not {"unit", "value_date", "value"} <= set(funding.columns):
        return []
    rate_years: dict[str, set[int]] = {}
    if rates is not None and {"date", "currency"} <= set(rates.columns):
        years = pd.to_datetime(rates["date"].where(_valid_dates(rates["date"]), None), errors="coerce").dt.year
        for currency, year in zip(rates["currency"].str.strip(), years):
            if not pd.isna(year):
                rate_years.setdefault(currency, set()).add(int(year))
    problems = []
    value_years = pd.to_datetime(
        funding["value_date"].where(_valid_dates(funding["value_date"]), None), errors="coerce"
    ).dt.year
    for row, unit, year, value in zip(funding.index, funding["unit"].str.strip(), value_years, funding["value"]):
        if unit in NON_MONEY_UNITS or not str(value).strip():
            continue
        if pycountry.currencies.get(alpha_3=unit) is None:
            problems.append(
                Problem(
                    "funding.csv",
                    int(row),
                    "unit",
                    unit,
                    "an ISO 4217 currency code (e.g. USD, EUR, GBP), 'percent' or 'items'",
                )
            )
            continue
        if pd.isna(year):
            continue
        for needed in sorted({unit, "USD"} - {"EUR"}):
            if int(year) not in rate_years.get(needed, set()):
                problems.append(
                    Problem(
                        "funding.csv",
                        int(row),
                        "value_date",
                        str(funding.at[row, "value_date"]),
                        f"a year with an ECB {needed} rate in ecb_reference_rates.csv"
                        + (f" (ECB rates start in {FIRST_ECB_YEAR})" if year < FIRST_ECB_YEAR else ""),
                    )
                )
    return problems


def _observation_list_problems(tables: dict[str, pd.DataFrame | None]) -> list[Problem]:
    """Every id in disagreements.obs_ids is an obs_id of some table."""
    frame = tables.get("disagreements")
    if frame is None or "obs_ids" not in frame.columns:
        return []
    if any(other is None for other in tables.values()):
        return []  # an unreadable table is reported already; its ids cannot be checked
    known: set[str] = set()
    for other in tables.values():
        if "obs_id" in other.columns:
            known |= set(other["obs_id"].astype(str).str.strip())
    problems = []
    unstated = tables.get("unstated_figures")
    if unstated is not None and "obs_id" in unstated.columns:
        ids = known | {
            str(v).strip() for name, other in tables.items() if name == "conference_claims" for v in other.iloc[:, 0]
        }
        for row, obs_id in unstated["obs_id"].str.strip().items():
            if obs_id and obs_id not in ids:
                problems.append(
                    Problem(
                        "unstated_figures.csv", int(row), "obs_id", obs_id, "an id that exists in one of the tables"
                    )
                )
    for row, cell in frame["obs_ids"].items():
        for obs_id in filter(None, (part.strip() for part in str(cell).split(";"))):
            if obs_id not in known:
                problems.append(
                    Problem(
                        "disagreements.csv", int(row), "obs_ids", obs_id, "an obs_id that exists in one of the tables"
                    )
                )
    return problems


def validate_data_dir(data_dir: Path = paths.DATA_DIR) -> ValidationResult:
    """Check every table and every cross-table rule; never raises for a data problem."""
    data_dir = Path(data_dir)
    try:
        contract = load_contract(data_dir)
    except ContractError as exc:
        return ValidationResult(
            None, {}, [Problem(paths.CONTRACT_FILE_NAME, None, None, None, f"a readable contract: {exc}")]
        )
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        return ValidationResult(
            None, {}, [Problem(paths.CONTRACT_FILE_NAME, None, None, None, f"a readable contract file ({reason})")]
        )
    tables: dict[str, pd.DataFrame | None] = {}
    problems: list[Problem] = []
    for table in contract.tables:
        frame, file_problems = read_table_text(data_dir / table.path, table)
        problems += file_problems
        if frame is not None:
            problems += validate_table(table, frame)
        tables[table.name] = frame
    for table in contract.tables:
        problems += _foreign_key_problems(table, tables)
    problems += _source_list_problems(tables, contract)
    problems += _empty_referenced_table_problems(tables, contract)
    problems += _percent_problems(tables, contract)
    problems += _period_order_problems(tables, contract)
    problems += _casualty_sum_problems(tables)
    problems += _currency_problems(tables)
    problems += _observation_list_problems(tables)
    problems += _period_type_problems(tables, contract)
    problems += _plausibility_problems(tables, contract)
    problems += excerpt_problems(tables)
    profiles, profile_problems = validate_profiles(data_dir, tables)
    problems += profile_problems
    problems = _with_records(problems, contract, tables)
    return ValidationResult(
        contract,
        tables,
        sorted(set(problems), key=lambda p: (p.file, p.row or 0, p.column or "", p.expected)),
        profiles,
    )


def _with_records(
    problems: list[Problem], contract: DataContract, tables: dict[str, pd.DataFrame | None]
) -> list[Problem]:
    """Each problem with the id of its row (the table's one-column primary key), so a person can find
    the row by id as well as by number."""
    ids: dict[str, pd.Series] = {}
    for table in contract.tables:
        frame = tables.get(table.name)
        if frame is not None and len(table.primary_key) == 1 and table.primary_key[0] in frame.columns:
            ids[table.path] = frame[table.primary_key[0]]
    found = []
    for problem in problems:
        column = ids.get(problem.file)
        if problem.record is None and problem.row is not None and column is not None and problem.row in column.index:
            record = str(column[problem.row]).strip()
            problem = replace(problem, record=record[:40] or None)
        found.append(problem)
    return found


def suggestion(value: str, known: Iterable[str]) -> str:
    """'; did you mean S232?' for a value close to a known id (difflib), else ''."""
    close = difflib.get_close_matches(value, sorted(known), n=1, cutoff=0.6)
    return f"; did you mean {close[0]}?" if close else ""
