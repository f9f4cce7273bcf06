"""Chapter 1, key figures: the latest dated cumulative figure of each kind, scope by scope."""

from __future__ import annotations

import pandas as pd

from demining_sdg.chapters.sections import Cards, Context, Findings, Section
from demining_sdg.derive.rules import to_hectares
from demining_sdg.derive.selections import latest, usable

AREA_MEASURES = ("area_cleared", "area_released")


def _cumulative(ctx: Context, table: str) -> pd.DataFrame:
    frame = ctx.table(table)
    return usable(frame[(frame["iso3"] == ctx.country) & (frame["period_type"] == "cumulative")])


def _point(message: str, row: pd.Series, scope_label: str, **extra) -> dict:
    return {
        "message": message,
        "value": row["value"],
        "qualifier": row["qualifier"],
        "date": row["period_end"],
        "precision": row["date_precision"],
        "scope": scope_label,
        "source_id": row["source_id"],
        **extra,
    }


def latest_figures(ctx: Context) -> pd.DataFrame:
    """One row per kind of figure and scope (in the profile's order): the latest cumulative value."""
    rows = []
    clearance = _cumulative(ctx, "clearance")
    casualties = _cumulative(ctx, "casualties")
    casualties = casualties[(casualties["population_group"] == "all") & (casualties["unit"] == "persons")]
    for scope in ctx.profile.scopes:
        in_scope = clearance[clearance["programme_scope"] == scope.code]
        items = latest(in_scope[(in_scope["measure"] == "items_destroyed") & (in_scope["item_category"] == "all")])
        if items is not None:
            rows.append(_point("items", items, scope.label))
        areas = in_scope[in_scope["measure"].isin(AREA_MEASURES)].copy()
        areas["value"] = to_hectares(areas["value"], areas["unit"])
        area = latest(areas)
        if area is not None:
            rows.append(
                _point("area", area, scope.label, verb="released" if area["measure"] == "area_released" else "cleared")
            )
        people = casualties[casualties["programme_scope"] == scope.code]
        total = latest(people[people["outcome"] == "total"])
        if total is not None:
            same = people[(people["source_id"] == total["source_id"]) & (people["period_end"] == total["period_end"])]
            split = same.set_index("outcome")["value"]
            rows.append(
                _point("casualties", total, scope.label, killed=split.get("killed"), injured=split.get("injured"))
            )
    funding = usable(ctx.table("funding"))
    announced = funding[
        (funding["recipient_iso3"] == ctx.country)
        & (funding["funding_source"] == "international")
        & funding["is_cumulative"].fillna(False)
        & ~funding["unit"].isin(["percent", "items"])
    ]
    stated = latest(announced, "value_date")
    if stated is not None:
        rows.append(
            {
                "message": "funding",
                "value": stated["value"],
                "qualifier": stated["qualifier"],
                "unit": stated["unit"],
                "date": stated["value_date"],
                "precision": stated["date_precision"],
                "donor": stated["donor"],
                "measure": stated["measure"],
                "source_id": stated["source_id"],
            }
        )
    frame = pd.DataFrame(rows)
    for column in ("killed", "injured", "unit", "verb", "donor", "measure", "scope"):
        if column not in frame.columns:
            frame[column] = None
    return frame


FINDINGS = Section("key_figures.findings", latest_figures, Findings())
CARDS = Section("key_figures.cards", latest_figures, Cards(), group="latest")
