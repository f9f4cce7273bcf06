"""Chapter 1: the latest dated headline values, one card each, with date and source."""

from __future__ import annotations

import pandas as pd

from demining_sdg.analysis.common import date_label, latest, qualified, source_line, usable
from demining_sdg.derive.rules import to_hectares
from demining_sdg.present.chapter import Chapter
from demining_sdg.present.show import Card, Finding

SCOPE_ORDER = ["pre_2020_programme", "post_2020_regained_territories", "national", "global"]
SCOPE_WORDS = {
    "pre_2020_programme": "national programme, areas under government control before Nov 2020",
    "post_2020_regained_territories": "regained territories since 10 Nov 2020",
    "national": "whole country",
    "global": "world",
}


def _by_scope(frame: pd.DataFrame) -> list[tuple[str, pd.DataFrame]]:
    """Groups by programme scope in reading order: before Nov 2020, since, whole country, world."""
    groups = dict(tuple(frame.groupby("programme_scope")))
    return [(scope, groups[scope]) for scope in SCOPE_ORDER if scope in groups]


def _cumulative(frame: pd.DataFrame, country: str) -> pd.DataFrame:
    return usable(frame[(frame["iso3"] == country) & (frame["period_type"] == "cumulative")])


def clearance_cards(ch: Chapter) -> list[tuple[Card, Finding]]:
    clearance = _cumulative(ch.data.table("clearance"), ch.country)
    results = []
    items = clearance[(clearance["measure"] == "items_destroyed") & (clearance["item_category"] == "all")]
    for scope, rows in _by_scope(items):
        row = latest(rows)
        if row is None:
            continue
        value = qualified(row["value"], row["qualifier"])
        when = date_label(row["period_end"], row["date_precision"])
        card = Card(
            value, f"mines and UXO cleared — {SCOPE_WORDS[scope]}", f"cumulative to {when}", (row["source_id"],)
        )
        finding = Finding(
            f"{value} mines and items of unexploded ordnance had been cleared ({SCOPE_WORDS[scope]}) by {when}.",
            (row["source_id"],),
        )
        results.append((card, finding))
    areas = clearance[clearance["measure"].isin(["area_cleared", "area_released"])].copy()
    areas["hectares"] = to_hectares(areas["value"], areas["unit"])
    for scope, rows in _by_scope(areas):
        row = latest(rows)
        if row is None:
            continue
        value = qualified(row["hectares"], row["qualifier"], "ha")
        when = date_label(row["period_end"], row["date_precision"])
        verb = "released" if row["measure"] == "area_released" else "cleared"
        card = Card(value, f"land {verb} — {SCOPE_WORDS[scope]}", f"cumulative to {when}", (row["source_id"],))
        finding = Finding(f"{value} of land had been {verb} ({SCOPE_WORDS[scope]}) by {when}.", (row["source_id"],))
        results.append((card, finding))
    return results


def casualty_cards(ch: Chapter) -> list[tuple[Card, Finding]]:
    casualties = _cumulative(ch.data.table("casualties"), ch.country)
    casualties = casualties[(casualties["population_group"] == "all") & (casualties["unit"] == "persons")]
    totals = casualties[casualties["outcome"] == "total"]
    results = []
    for scope, rows in _by_scope(totals):
        row = latest(rows)
        if row is None:
            continue
        same = casualties[
            (casualties["source_id"] == row["source_id"])
            & (casualties["period_end"] == row["period_end"])
            & (casualties["programme_scope"] == scope)
        ].set_index("outcome")["value"]
        split = ""
        if {"killed", "injured"} <= set(same.index):
            split = f"{qualified(same['killed'])} killed, {qualified(same['injured'])} injured"
        when = date_label(row["period_end"], row["date_precision"])
        value = qualified(row["value"], row["qualifier"])
        detail = f"cumulative to {when}" + (f"; {split}" if split else "")
        card = Card(value, f"mine/ERW casualties — {SCOPE_WORDS[scope]}", detail, (row["source_id"],))
        finding = Finding(
            f"{value} people were killed or injured by mines and ERW ({SCOPE_WORDS[scope]}) by {when}"
            + (f": {split}." if split else "."),
            (row["source_id"],),
        )
        results.append((card, finding))
    return results


def funding_cards(ch: Chapter) -> list[tuple[Card, Finding]]:
    funding = usable(ch.data.table("funding"))
    announced = funding[
        (funding["recipient_iso3"] == ch.country)
        & (funding["funding_source"] == "international")
        & funding["is_cumulative"].fillna(False)
        & ~funding["unit"].isin(["percent", "items"])
    ]
    row = latest(announced, "value_date")
    if row is None:
        return []
    value = qualified(row["value"], row["qualifier"], row["unit"])
    when = date_label(row["value_date"], row["date_precision"])
    label = f"international funding stated by {row['donor']} ({row['measure']})"
    card = Card(value, label, f"as of {when}; an announcement, not audited disbursement", (row["source_id"],))
    finding = Finding(
        f"The latest cumulative international funding figure is {value} from {row['donor']}, stated on {when}.",
        (row["source_id"],),
    )
    return [(card, finding)]


def key_figures(ch: Chapter) -> tuple[list[Card], list[Finding]]:
    """The cards and, for each, the same fact as a sentence."""
    pairs = clearance_cards(ch) + casualty_cards(ch) + funding_cards(ch)
    return [c for c, _ in pairs], [Finding(f.text[:1].upper() + f.text[1:], f.sources) for _, f in pairs]


def sources_used(ch: Chapter, cards: list[Card]) -> str:
    return source_line(ch.data.table("sources"), [s for c in cards for s in c.sources])
