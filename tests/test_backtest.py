"""Back test: headline series in data/ pinned against the published values, with their sources.

If one of these fails, either a source figure was mistyped or deliberately revised: check the
source excerpt before changing the expectation.
"""

from __future__ import annotations

import pandas as pd
import pytest

from demining_sdg.inputs.datasets import Datasets


@pytest.fixture(scope="module")
def data(project_datasets) -> Datasets:
    return project_datasets


ANAMA_CUMULATIVE_ITEMS = {  # period_end -> (items, source)
    "2013-03-31": (679435, "S020"),
    "2018-03-31": (794151, "S023"),
    "2018-06-30": (796923, "S024"),
    "2020-06-30": (807819, "S025"),
}


def test_anama_cumulative_items_by_date(data: Datasets):
    clearance = data.table("clearance")
    series = clearance[
        (clearance["iso3"] == "AZE")
        & (clearance["programme_scope"] == "pre_2020_programme")
        & (clearance["measure"] == "items_destroyed")
        & (clearance["period_type"] == "cumulative")
        & (clearance["qualifier"] == "exact")
        & clearance["period_end"].notna()
    ]
    got = {
        d.strftime("%Y-%m-%d"): (int(v), s)
        for d, v, s in zip(series["period_end"], series["value"], series["source_id"])
    }
    assert got == ANAMA_CUMULATIVE_ITEMS


@pytest.mark.parametrize(
    ("year", "expected", "source"),
    [
        (2022, {"AP_mine": 8780, "AT_mine": 4133, "UXO": 14950}, "S055"),
        (2024, {"AP_mine": 4286, "AT_mine": 2372, "UXO": 59163}, "S061"),
    ],
)
def test_post_2020_annual_item_totals(data: Datasets, year: int, expected: dict, source: str):
    clearance = data.table("clearance")
    rows = clearance[
        (clearance["iso3"] == "AZE")
        & (clearance["programme_scope"] == "post_2020_regained_territories")
        & (clearance["period_type"] == "annual")
        & (clearance["measure"] == "items_destroyed")
        & (clearance["period_end"].dt.year == year)
        & (clearance["source_id"] == source)
        & clearance["item_category"].isin(expected)
    ]
    assert {c: int(v) for c, v in zip(rows["item_category"], rows["value"])} == expected


def test_post_2020_area_cleared_2024(data: Datasets):
    clearance = data.table("clearance")
    row = clearance[
        (clearance["source_id"] == "S061")
        & (clearance["measure"] == "area_cleared")
        & (clearance["period_type"] == "annual")
    ]
    assert row["value"].tolist() == [62023.9] and row["unit"].tolist() == ["ha"]


LM_GLOBAL_CASUALTIES = {
    2013: 3457,
    2015: 6967,
    2017: 7239,
    2018: 6897,
    2019: 5554,
    2020: 7073,
    2021: 5544,
    2022: 4710,
    2023: 5757,
}


def test_landmine_monitor_global_casualties_2013_2023(data: Datasets):
    casualties = data.table("casualties")
    world = casualties[
        (casualties["iso3"] == "WLD")
        & (casualties["outcome"] == "total")
        & (casualties["population_group"] == "all")
        & (casualties["unit"] == "persons")
        & (casualties["period_type"] == "annual")
    ]
    by_year: dict[int, set[int]] = {}
    for end, value in zip(world["period_end"], world["value"]):
        by_year.setdefault(end.year, set()).add(int(value))
    for year, expected in LM_GLOBAL_CASUALTIES.items():
        assert expected in by_year.get(year, set()), (year, by_year.get(year))
    assert {8605, 9437} <= by_year[2016]  # first edition and revision, both kept


def test_post_2020_casualties_end_2024(data: Datasets):
    casualties = data.table("casualties")
    rows = casualties[
        (casualties["iso3"] == "AZE")
        & (casualties["programme_scope"] == "post_2020_regained_territories")
        & (casualties["period_type"] == "cumulative")
        & (casualties["population_group"] == "all")
        & (casualties["period_end"] == pd.Timestamp("2024-12-31"))
    ]
    values = {(o, int(v)) for o, v in zip(rows["outcome"], rows["value"])}
    assert {("total", 382), ("killed", 70), ("injured", 312)} <= values


def test_landmine_monitor_azerbaijan_funding_2008_2012(data: Datasets):
    funding = data.table("funding")
    lm = funding[
        (funding["source_id"] == "S040") & (funding["measure"] == "contribution") & (funding["recipient_iso3"] == "AZE")
    ]
    national = lm[(lm["funding_source"] == "national") & (lm["period_start_year"] == lm["period_end_year"])]
    assert dict(zip(national["period_end_year"].astype(int), national["value"].astype(int))) == {
        2008: 6312500,
        2009: 8086793,
        2010: 8997993,
        2011: 10203713,
        2012: 10421508,
    }


def test_conference_headline_claims(data: Datasets):
    claims = data.table("conference_claims").set_index("claim_id")
    values = dict(zip(claims["value"], claims["verdict"]))
    assert values[806000] == "outdated"
    assert values[2500000] == "supported"
    assert values[80] == "not_supported"
