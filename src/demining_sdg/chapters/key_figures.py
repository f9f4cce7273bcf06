"""Chapter 1, key figures: the report at a glance (front matter), and the newest dated cumulative
figure of each kind, scope by scope. Periodic bulletins (weekly, monthly) are never used here."""

from __future__ import annotations

import pandas as pd

from demining_sdg.chapters.sections import Cards, Context, Findings, Section, table
from demining_sdg.derive.rules import combined_qualifier, to_hectares
from demining_sdg.derive.selections import all_operators, latest, stated, usable, where, with_tiers

AREA_MEASURES = ("area_cleared", "area_released")
ITEM_TOTALS = ("all", "mine")  # totals of items destroyed; counts by type are in the clearance chapter
# Estimates of the whole contaminated area (not of one hazard type, not of the original area).
REMAINING = ("estimated_remaining_area", "estimated_contaminated_area", "estimated_mined_area", "area_to_be_cleared")
DATED = {"clearance": "period_end", "casualties": "period_end", "funding": "value_date"}  # table: date column
GLANCE_VIEW = table(
    "item@glance_item | value | unit@unit_words | value_as_reported=as the source words it | year"
    " | covers=scope or donor | source_id"
)


def _mine(ctx: Context, table: str, period_type: str | None = None) -> pd.DataFrame:
    frame = stated(usable(ctx.rows(table)), ctx.table("unstated_figures"))
    return frame if period_type is None else frame[frame["period_type"] == period_type]


def _point(message: str, row: pd.Series, scope_label: str | None, **extra) -> dict:
    fields = {"value": row["value"], "qualifier": row["qualifier"], "date": row["period_end"], "scope": scope_label}
    return {"message": message, **fields, "precision": row["date_precision"], "source_id": row["source_id"], **extra}


def _casualties(people: pd.DataFrame, scope_label: str) -> dict | None:
    """The newest statement (date and source) giving a total, or killed and injured (added up, derived). Its
    scope words are those of the source's own rows (never stronger than the source's), else ``scope_label``."""
    ordered = people.dropna(subset=["period_end"]).sort_values(["period_end", "obs_id"], ascending=[False, True])
    for (_, source), same in ordered.groupby(["period_end", "source_id"], sort=False):
        own = people.loc[people["source_id"] == source, "scope"].dropna()
        label = own.iloc[0] if not own.empty else scope_label
        split = same.drop_duplicates("outcome").set_index("outcome")
        parts = {part: split["value"].get(part) for part in ("killed", "injured")}
        if "total" in split.index:
            return _point("casualties", split.loc["total"], label, derived=False, **parts)
        if {"killed", "injured"} <= set(split.index):
            total = split.loc["killed"].copy()
            total[["value", "qualifier"]] = sum(parts.values()), combined_qualifier(split.loc[[*parts], "qualifier"])
            return _point("casualties", total, label, derived=True, **parts)
    return None


def latest_figures(ctx: Context) -> pd.DataFrame:
    """One row per kind of figure and scope (in the profile's order): the newest cumulative value."""
    rows = []
    clearance, casualties = _mine(ctx, "clearance", "cumulative"), _mine(ctx, "casualties", "cumulative")
    casualties = casualties.query("population_group == 'all' and unit == 'persons'")
    for scope in ctx.profile.scopes:
        in_scope = clearance[clearance["programme_scope"] == scope.code]
        totals = in_scope[(in_scope["measure"] == "items_destroyed") & in_scope["item_category"].isin(ITEM_TOTALS)]
        if (items := latest(totals)) is not None:
            rows.append(_point("items", items, scope.label, items=items["item_category"]))
        areas = in_scope[in_scope["measure"].isin(AREA_MEASURES)]
        if (area := latest(areas.assign(value=to_hectares(areas["value"], areas["unit"])))) is not None:
            rows.append(_point("area", area, scope.label, verb=area["measure"].removeprefix("area_")))
        found = _casualties(casualties[casualties["programme_scope"] == scope.code], scope.label)
        rows += [found] if found else []
    funding = _mine(ctx, "funding").query("funding_source == 'international'")
    announced = funding[funding["is_cumulative"].fillna(False) & ~funding["unit"].isin(["percent", "items"])]
    if (stated := latest(announced, "value_date")) is not None:
        fields = stated[["value", "qualifier", "unit", "donor", "measure", "source_id"]].to_dict()
        when = {"date": stated["value_date"], "precision": stated["date_precision"]}
        rows.append({"message": "funding", **when, **fields})
    columns = ("killed", "injured", "derived", "unit", "verb", "donor", "measure", "scope", "items")
    frame = pd.DataFrame(rows)
    return frame.reindex(columns=[*frame.columns, *(c for c in columns if c not in frame.columns)])


# -- at a glance ----------------------------------------------------------------------------------


def _line(ctx: Context, item: str, rows: pd.DataFrame, date: str, *ties: str) -> list[dict]:
    """The newest row (ties: ``ties``, then the first obs_id) as a line of the table, or none."""
    rows = rows.dropna(subset=[date, "value"]).sort_values([date, *ties, "obs_id"])
    if rows.empty:
        return []
    row = rows.loc[rows[date] == rows[date].max()].iloc[0]
    covers = ctx.profile.scope(row["programme_scope"]).short if "programme_scope" in row else row.get("donor")
    fields = {"value": row["value"], "unit": row["unit"], "value_as_reported": row["value_as_reported"]}
    return [{"item": item, **fields, "year": row[date].year, "covers": covers, "source_id": row["source_id"]}]


def at_a_glance(ctx: Context) -> pd.DataFrame:
    """Treaty status, the latest contamination estimate, full year of area cleared and of casualties,
    international and national funding, and the data cut-off: each as stated, none derived."""
    profile, treaty = ctx.profile, ctx.profile.treaty
    lines = [{"item": "treaty", "value": treaty.mine_ban_treaty, "source_id": ";".join(treaty.source_ids)}]
    lines = lines if treaty.mine_ban_treaty else []
    estimates = _mine(ctx, "contamination_targets")
    estimates = estimates[estimates["indicator"].isin(REMAINING) & estimates["unit"].isin(["ha", "km2", "m2"])]
    lines += _line(ctx, "remaining", estimates, "reference_date")
    annual = with_tiers(_mine(ctx, "clearance", "annual"), ctx.sources)
    full = annual[all_operators(annual) & (annual["item_category"] == "all") & (annual["measure"] == "area_cleared")]
    lines += _line(ctx, "area_year", where(full, programme_scope=profile.focus_scope), "period_end", "evidence_tier")
    people = with_tiers(_mine(ctx, "casualties", "annual"), ctx.sources)
    people = where(people, outcome="total", population_group="all", unit="persons", programme_scope=profile.scope_codes)
    people = people.assign(other_scope=people["programme_scope"] != profile.focus_scope)
    lines += _line(ctx, "casualties_year", people, "period_end", "other_scope", "evidence_tier")
    funding = _mine(ctx, "funding")
    money = funding[funding["unit"].str.fullmatch(r"[A-Z]{3}") & ~funding["measure"].isin(["share", "in_kind"])]
    for source in ("international", "national"):
        lines += _line(ctx, f"{source}_funding", where(money, funding_source=source), "value_date", "is_cumulative")
    dated = pd.concat(_mine(ctx, t)[[c, "source_id"]].set_axis(["date", "source_id"], axis=1) for t, c in DATED.items())
    if (cutoff := dated[dated["date"] == dated["date"].max()]).size:
        ids = ";".join(sorted(set(cutoff["source_id"])))
        lines.append({"item": "cutoff", "value": cutoff["date"].iloc[0], "source_id": ids})
    return pd.DataFrame(lines).reindex(columns=list(GLANCE_VIEW.columns))


GLANCE = Section("key_figures.glance", at_a_glance, GLANCE_VIEW, group="glance", placement="front")
FINDINGS = Section("key_figures.findings", latest_figures, Findings())
CARDS = Section("key_figures.cards", latest_figures, Cards(), group="latest")
