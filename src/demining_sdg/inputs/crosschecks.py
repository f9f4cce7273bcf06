"""The rules of the data that no schema library has: ids that must exist in another table (with a
suggestion for a near miss), period types against their dates, sums that must add up, currencies
with rates, and figures that cannot all be right. Each rule works on whole columns of the cells
read once (:mod:`.cells`); only the rows that break a rule are visited one by one, to word them."""

from __future__ import annotations

import difflib
from collections.abc import Iterable

import pandas as pd
import pycountry

from demining_sdg.inputs.cells import Cells, dates, numbers
from demining_sdg.inputs.contract import DataContract, TableContract
from demining_sdg.inputs.problems import Problem

Tables = dict[str, pd.DataFrame | None]
AllCells = dict[str, Cells | None]

NON_MONEY_UNITS = {"percent", "items"}
FIRST_ECB_YEAR = 1999
UNDATED_FLAGS = {"undated", "year_not_verified"}
WHAT_TO_DO = "correct the dates or choose the period type that fits them (data/README.md: which values do I choose)"
SERIES_KEYS = {
    "clearance": ["iso3", "programme_scope", "operator_scope", "measure", "item_category", "unit"],
    "casualties": ["iso3", "programme_scope", "outcome", "population_group", "recorder", "unit"],
}
PERIODIC = ("weekly", "monthly")
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


def suggestion(value: str, known: Iterable[str]) -> str:
    """'; did you mean S232?' for a value close to a known id (difflib), else ''."""
    close = difflib.get_close_matches(value, sorted(known), n=1, cutoff=0.6)
    return f"; did you mean {close[0]}?" if close else ""


def problems(contract: DataContract, tables: Tables, cells: AllCells) -> list[Problem]:
    """Every rule between rows and tables."""
    found: list[Problem] = []
    for table in contract.tables:
        found += _foreign_key_problems(table, cells)
    found += _source_list_problems(contract, cells)
    found += _empty_referenced_table_problems(contract, tables)
    found += _percent_problems(contract, tables, cells)
    found += _period_order_problems(contract, tables, cells)
    found += _casualty_sum_problems(cells)
    found += _currency_problems(tables, cells)
    found += _observation_list_problems(tables)
    found += _period_type_problems(contract, tables, cells)
    found += _plausibility_problems(contract, tables, cells)
    return found


def _number(cells: Cells, column: str) -> pd.Series:
    return cells.values[column] if column in cells.values.columns else numbers(cells.text[column])


def _date(cells: Cells, column: str) -> pd.Series:
    return cells.values[column] if column in cells.values.columns else dates(cells.text[column])


def _has(cells: Cells | None, columns: Iterable[str]) -> bool:
    return cells is not None and set(columns) <= set(cells.text.columns)


# Ids that must exist elsewhere ----------------------------------------------------------------


def _foreign_key_problems(table: TableContract, cells: AllCells) -> list[Problem]:
    own = cells.get(table.name)
    found = []
    for fk in table.foreign_keys:
        target = cells.get(fk.resource)
        if own is None or target is None:
            continue
        keys = own.text[list(fk.fields)]
        if len(fk.fields) == 1:
            listed = keys.iloc[:, 0].isin(set(target.text[fk.reference_fields[0]]))
        else:
            listed = pd.MultiIndex.from_frame(keys).isin(
                pd.MultiIndex.from_frame(target.text[list(fk.reference_fields)])
            )
        missing = (keys != "").all(axis=1) & ~listed
        first_known = sorted(set(target.text[fk.reference_fields[0]]))
        for row, key in zip(keys.index[missing], keys[missing].itertuples(index=False, name=None), strict=True):
            found.append(
                Problem(
                    table.path,
                    int(row),
                    ", ".join(fk.fields),
                    " | ".join(key),
                    f"an id listed in {fk.resource} ({', '.join(fk.reference_fields)})"
                    + (suggestion(key[0], first_known) if len(key) == 1 else ""),
                )
            )
    return found


def _source_list_problems(contract: DataContract, cells: AllCells) -> list[Problem]:
    """Columns holding several semicolon-separated source ids (e.g. evidence_source_ids)."""
    sources = cells.get("sources")
    if sources is None:
        return []
    known = set(sources.text["source_id"])
    found = []
    for table in contract.tables:
        own = cells.get(table.name)
        if own is None:
            continue
        for column in (c for c in own.text.columns if c.endswith("_source_ids")):
            ids = own.text[column].str.split(";").explode().str.strip()
            for row, source_id in ids[(ids != "") & ~ids.isin(known)].items():
                found.append(
                    Problem(
                        table.path,
                        int(row),
                        column,
                        source_id,
                        "an id listed in sources (source_id)" + suggestion(source_id, known),
                    )
                )
    return found


def _empty_referenced_table_problems(contract: DataContract, tables: Tables) -> list[Problem]:
    """A table other tables refer to (e.g. sources) must have rows once those tables have rows."""
    referrers: dict[str, set[str]] = {}
    for table in contract.tables:
        for fk in table.foreign_keys:
            referrers.setdefault(fk.resource, set()).add(table.name)
        if any(name.endswith("_source_ids") for name in table.column_names):
            referrers.setdefault("sources", set()).add(table.name)
    found = []
    for name, users in sorted(referrers.items()):
        frame = tables.get(name)
        using = sorted(u for u in users if u != name and tables.get(u) is not None and not tables[u].empty)
        if frame is not None and frame.empty and using:
            found.append(
                Problem(
                    contract.table(name).path,
                    None,
                    None,
                    None,
                    f"data rows: this file has only its header, but {', '.join(using)} refer to its ids",
                )
            )
    return found


def _observation_list_problems(tables: Tables) -> list[Problem]:
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
    found = []
    unstated = tables.get("unstated_figures")
    if unstated is not None and "obs_id" in unstated.columns:
        ids = known | {
            str(v).strip() for name, other in tables.items() if name == "conference_claims" for v in other.iloc[:, 0]
        }
        for row, obs_id in unstated["obs_id"].str.strip().items():
            if obs_id and obs_id not in ids:
                found.append(
                    Problem(
                        "unstated_figures.csv", int(row), "obs_id", obs_id, "an id that exists in one of the tables"
                    )
                )
    for row, cell in frame["obs_ids"].items():
        for obs_id in filter(None, (part.strip() for part in str(cell).split(";"))):
            if obs_id not in known:
                found.append(
                    Problem(
                        "disagreements.csv", int(row), "obs_ids", obs_id, "an obs_id that exists in one of the tables"
                    )
                )
    return found


# Values against each other ------------------------------------------------------------------


def _percent_problems(contract: DataContract, tables: Tables, cells: AllCells) -> list[Problem]:
    """Where unit is percent, the value is a share: 0-100 (as the contract describes it)."""
    found = []
    for table in contract.tables:
        own = cells.get(table.name)
        if not _has(own, ("value", "unit")):
            continue
        too_large = (own.text["unit"] == "percent") & (_number(own, "value") > 100)
        for row in own.text.index[too_large.fillna(False)]:
            value = str(tables[table.name].at[row, "value"])
            found.append(Problem(table.path, int(row), "value", value, "a percentage of at most 100 (unit is percent)"))
    return found


def _period_order_problems(contract: DataContract, tables: Tables, cells: AllCells) -> list[Problem]:
    found = []
    pairs = (("period_start", "period_end", _date), ("period_start_year", "period_end_year", _number))
    for table in contract.tables:
        own = cells.get(table.name)
        for start_col, end_col, read in pairs:
            if not _has(own, (start_col, end_col)):
                continue
            frame = tables[table.name]
            reversed_ = (read(own, end_col) < read(own, start_col)).fillna(False)
            for row in own.text.index[reversed_]:
                found.append(
                    Problem(
                        table.path,
                        int(row),
                        end_col,
                        str(frame.at[row, end_col]),
                        f"{end_col} on or after {start_col} ({frame.at[row, start_col]})",
                    )
                )
    return found


def _casualty_sum_problems(cells: AllCells) -> list[Problem]:
    """Where one source gives killed, injured and total for the same group, killed + injured = total."""
    own = cells.get("casualties")
    if not _has(own, set(CASUALTY_GROUP_KEYS) | {"outcome", "value", "unit", "quality_flag"}):
        return []
    text = own.text
    persons = text[(text["unit"] == "persons") & text["outcome"].isin(["killed", "injured", "total"])]
    persons = persons.assign(number=_number(own, "value"), row=persons.index)
    flagged = (
        (persons["quality_flag"] == "inconsistent_with_series").groupby([persons[k] for k in CASUALTY_GROUP_KEYS]).any()
    )
    once = persons[persons.groupby(CASUALTY_GROUP_KEYS + ["outcome"])["outcome"].transform("size") == 1]
    wide = once.set_index(CASUALTY_GROUP_KEYS + ["outcome"])[["number", "row"]].unstack("outcome")
    if not {"killed", "injured", "total"} <= set(wide.columns.get_level_values("outcome")):
        return []
    killed, injured, total = (wide["number"][o] for o in ("killed", "injured", "total"))
    wrong = (killed.notna() & injured.notna() & total.notna()) & (killed + injured != total)
    wrong &= ~flagged.reindex(wrong.index, fill_value=False)
    return [
        Problem(
            "casualties.csv",
            int(wide["row"]["total"][key]),
            "value",
            f"{total[key]:g}",
            f"killed + injured = total ({killed[key]:g} + {injured[key]:g} = {killed[key] + injured[key]:g}), "
            "or quality_flag 'inconsistent_with_series' if the source itself does not add up",
        )
        for key in wrong.index[wrong]
    ]


def _currency_problems(tables: Tables, cells: AllCells) -> list[Problem]:
    """Money rows use ISO 4217 codes, and every currency has an ECB rate in the year used."""
    funding, rates = cells.get("funding"), cells.get("ecb_reference_rates")
    if not _has(funding, ("unit", "value_date", "value")):
        return []
    rate_years = pd.MultiIndex.from_arrays([[], []])
    if _has(rates, ("date", "currency")):
        years = _date(rates, "date").dt.year
        dated = years.notna()
        rate_years = pd.MultiIndex.from_arrays([rates.text["currency"][dated], years[dated].astype(int)])
    unit = funding.text["unit"]
    money = ~unit.isin(NON_MONEY_UNITS) & (funding.text["value"] != "")
    iso = unit.isin({code for code in set(unit[money]) if pycountry.currencies.get(alpha_3=code) is not None})
    found = [
        Problem(
            "funding.csv",
            int(row),
            "unit",
            code,
            "an ISO 4217 currency code (e.g. USD, EUR, GBP), 'percent' or 'items'",
        )
        for row, code in unit[money & ~iso].items()
    ]
    years = _date(funding, "value_date").dt.year
    dated = money & iso & years.notna()
    year = years.fillna(0).astype(int)
    for needed in (unit, pd.Series("USD", index=unit.index)):
        lacking = dated & (needed != "EUR") & ~pd.MultiIndex.from_arrays([needed, year]).isin(rate_years)
        for row in unit.index[lacking]:
            found.append(
                Problem(
                    "funding.csv",
                    int(row),
                    "value_date",
                    str(tables["funding"].at[row, "value_date"]),
                    f"a year with an ECB {needed[row]} rate in ecb_reference_rates.csv"
                    + (f" (ECB rates start in {FIRST_ECB_YEAR})" if year[row] < FIRST_ECB_YEAR else ""),
                )
            )
    return found


# Period types against their dates -----------------------------------------------------------


def _period_type_rules(own: Cells) -> dict[str, tuple[pd.Series, str]]:
    """For each period type: which rows break its rule, and the rule in words."""
    text = own.text
    start, end = _date(own, "period_start"), _date(own, "period_end")
    has_start, has_end = start.notna(), end.notna()
    days = (end - start).dt.days + 1
    blank = pd.Series("", index=text.index)
    flags = text["quality_flag"] if "quality_flag" in text.columns else blank
    precision = text["date_precision"] if "date_precision" in text.columns else blank
    same_year = has_start & has_end & (start.dt.year == end.dt.year)
    calendar_year = (start.dt.month == 1) & (start.dt.day == 1) & (end.dt.month == 12) & (end.dt.day == 31)
    whole_year = days.notna() & (days >= 365) & precision.isin(["day", ""])
    return {
        "weekly": (
            ~days.between(1, 8),
            "weekly: period_start and period_end at most 8 days apart, both given",
        ),
        "monthly": (
            ~days.between(27, 35),
            "monthly: period_start and period_end one month apart (27 to 35 days), both given",
        ),
        "annual": (
            ~(same_year & calendar_year),
            "annual: one calendar year, period_start 1 Jan and period_end 31 Dec of the same year "
            "(a bulletin for a week or a month is weekly or monthly)",
        ),
        "twelve_months": (
            ~has_end | (days.notna() & ~days.between(360, 370)),
            "twelve_months: a period_end, and a period_start (if given) about a year before it",
        ),
        "cumulative": (
            ~has_end & ~flags.isin(UNDATED_FLAGS),
            "cumulative: a period_end (the date of the running total), or quality_flag undated",
        ),
        "partial_year": (
            ~(same_year & ~whole_year),
            "partial_year: period_start and period_end within one calendar year, less than the whole year",
        ),
        "multi_year": (
            ~(has_start & has_end & (end.dt.year > start.dt.year)),
            "multi_year: period_start and period_end in different years",
        ),
    }


def _period_type_problems(contract: DataContract, tables: Tables, cells: AllCells) -> list[Problem]:
    """Every period type checked against its dates, before any chapter runs."""
    found = []
    for table in contract.tables:
        own = cells.get(table.name)
        if not _has(own, ("period_type", "period_start", "period_end")):
            continue
        frame, text = tables[table.name], own.text
        unreadable = (_date(own, "period_end") < _date(own, "period_start")).fillna(False)  # reported already
        for column in ("period_start", "period_end"):
            unreadable |= own.present(column) & _date(own, column).isna()  # the date itself is reported already
        kind = text["period_type"]
        for name, (broken, rule) in _period_type_rules(own).items():
            for row in text.index[(kind == name) & broken.fillna(True) & ~unreadable]:
                shown = (
                    f"{name} from {frame.at[row, 'period_start'] or '(no start)'} "
                    f"to {frame.at[row, 'period_end'] or '(no end)'}"
                )
                found.append(Problem(table.path, int(row), "period_type", shown, f"{rule}; {WHAT_TO_DO}"))
    return found


# Figures that cannot all be right -----------------------------------------------------------


def _plausibility_problems(contract: DataContract, tables: Tables, cells: AllCells) -> list[Problem]:
    """A running total that falls, a cumulative total over a bulletin's few days, a weekly or
    monthly value beyond every full year of its series."""
    found = []
    for name, keys in SERIES_KEYS.items():
        own = cells.get(name)
        needed = {*keys, "value", "qualifier", "period_type", "period_start", "period_end", "quality_flag", "obs_id"}
        if not _has(own, needed):
            continue
        path, frame = contract.table(name).path, tables[name]
        rows = own.text.assign(
            _value=_number(own, "value"), _start=_date(own, "period_start"), _end=_date(own, "period_end")
        )
        rows = rows[rows["_value"].notna() & (rows["quality_flag"] == "")]
        cumulative = rows[(rows["period_type"] == "cumulative") & rows["_end"].notna()]
        short = cumulative[((cumulative["_end"] - cumulative["_start"]).dt.days < 35).fillna(False)]
        for row, item in short.iterrows():
            days = (item["_end"] - item["_start"]).days + 1
            found.append(
                Problem(
                    path,
                    int(row),
                    "period_type",
                    f"cumulative over {days} days",
                    "a running total since a stated start, not a bulletin's figure for a few days: "
                    "if the source reports one week or one month, write weekly or monthly",
                )
            )
        found += _falling_totals(path, frame, cumulative, keys)
        highest = rows[rows["period_type"] == "annual"].groupby(keys)["_value"].max().rename("_highest")
        periodic = rows[rows["period_type"].isin(PERIODIC)].join(highest, on=keys)
        for row, item in periodic[periodic["_value"] > periodic["_highest"]].iterrows():
            found.append(
                Problem(
                    path,
                    int(row),
                    "value",
                    str(frame.at[row, "value"]),
                    f"a {item['period_type']} value no larger than a full year of the same series "
                    f"(the highest full year is {item['_highest']:g}): check the value, its unit and its period_type",
                )
            )
    return found


def _falling_totals(path: str, frame: pd.DataFrame, cumulative: pd.DataFrame, keys: list[str]) -> list[Problem]:
    """A running total below an exact earlier total of the same series (in date order)."""
    series = cumulative.sort_values([*keys, "_end", "obs_id"])
    exact = series["qualifier"] == "exact"
    groups = [series[k] for k in keys]
    exact_before = series["_value"].where(exact).groupby(groups).cummax().groupby(groups).shift()
    falls = series[series["qualifier"].isin(["exact", "approximate"]) & (series["_value"] < exact_before)]
    found = []
    for row, item in falls.iterrows():
        same = (series[keys] == item[keys]).all(axis=1)
        earlier = series[same & (series["_end"] <= item["_end"]) & exact & (series["_value"] > item["_value"])].iloc[0]
        found.append(
            Problem(
                path,
                int(row),
                "value",
                str(frame.at[row, "value"]),
                f"a running total at least as high as the earlier {earlier['obs_id']} "
                f"({frame.at[earlier.name, 'value']} on {frame.at[earlier.name, 'period_end']}): if the sources "
                "disagree, keep both and set quality_flag to inconsistent_with_series; otherwise correct the value "
                "or its period_type",
            )
        )
    return found
