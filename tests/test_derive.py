"""Each derivation rule on small hand-made frames, against hand-computed expectations."""

import pandas as pd
import pytest

from demining_sdg.derive import rules as derive
from demining_sdg.derive.selections import longest_run, missing_years


def ts(text):
    return pd.Timestamp(text)


def test_increments_from_cumulative_subtracts_consecutive_points():
    points = pd.DataFrame(
        {"date": [ts("2023-11-28"), ts("2023-05-25"), ts("2024-02-14")], "value": [109552, 88260, 112193]}
    )
    result = derive.increments_from_cumulative(points)
    assert list(result["increment"]) == [21292, 2641]  # 109552-88260, 112193-109552
    assert list(result["period_start"]) == [ts("2023-05-25"), ts("2023-11-28")]
    assert list(result["days"]) == [187, 78]
    assert result["consistent"].all()


def test_increments_keep_and_mark_a_fall_in_a_cumulative_series():
    points = pd.DataFrame({"date": [ts("2023-05-25"), ts("2023-09-04")], "value": [44698, 40000]})
    result = derive.increments_from_cumulative(points)
    assert result["increment"].tolist() == [-4698]
    assert result["consistent"].tolist() == [False]


def test_increments_refuse_two_points_on_one_date():
    points = pd.DataFrame({"date": [ts("2023-05-25")] * 2, "value": [1, 2]})
    with pytest.raises(ValueError, match="share a date"):
        derive.increments_from_cumulative(points)


@pytest.mark.parametrize(
    ("source_type", "tier"),
    [
        ("monitoring_report", 1),
        ("official_statistics_via_mirror", 2),
        ("official_press_release", 2),
        ("press_report_of_official_statement", 3),
        ("official_statistics_press", 3),
        ("secondary_blog", 4),
        ("ngo_summary_of_monitoring_report", 4),
        (None, 4),
    ],
)
def test_evidence_tier_follows_the_stated_preference_order(source_type, tier):
    assert derive.evidence_tier(source_type) == tier


def test_pick_preferred_takes_the_monitoring_report_and_lists_the_other_as_a_conflict():
    observations = pd.DataFrame(
        {
            "obs_id": ["A", "B", "C"],
            "year": [2008, 2008, 2009],
            "value": [16.0, 23.0, 34.0],
            "evidence_tier": [3, 1, 1],
            "period_end": [ts("2008-12-31")] * 2 + [ts("2009-12-31")],
        }
    )
    chosen, others = derive.pick_preferred(observations, key=["year"])
    assert chosen.set_index("year")["value"].to_dict() == {2008: 23.0, 2009: 34.0}
    assert others["obs_id"].tolist() == ["A"]
    assert others["chosen_value"].tolist() == [23.0]
    assert others["differs"].tolist() == [True]


def test_pick_preferred_breaks_ties_by_latest_period_end():
    observations = pd.DataFrame(
        {
            "obs_id": ["old", "new"],
            "key": ["k", "k"],
            "value": [1.0, 2.0],
            "evidence_tier": [1, 1],
            "period_end": [ts("2020-01-01"), ts("2021-01-01")],
        }
    )
    chosen, _ = derive.pick_preferred(observations, key=["key"])
    assert chosen["obs_id"].tolist() == ["new"]


def test_to_hectares_converts_each_area_unit():
    values = pd.Series([1.0, 2.5, 20000.0, 7.0])
    units = pd.Series(["ha", "km2", "m2", "count"])
    result = derive.to_hectares(values, units)
    assert result.iloc[:3].tolist() == [1.0, 250.0, 2.0]
    assert pd.isna(result.iloc[3])


def test_with_hectares_adds_the_area_in_hectares():
    frame = derive.with_hectares(pd.DataFrame({"value": [3.0, 1.5], "unit": ["km2", "ha"]}))
    assert frame["hectares"].tolist() == [300.0, 1.5] and list(frame.columns) == ["value", "unit", "hectares"]


def test_combined_qualifier_is_exact_only_when_every_part_is():
    assert derive.combined_qualifier(["exact", "exact"]) == "exact"
    assert derive.combined_qualifier(["exact", "lower_bound"]) == "approximate"
    assert derive.combined_qualifier(pd.Series(["lower_bound"])) == "lower_bound"  # one figure keeps its own


RATES = pd.DataFrame(
    {
        "date": [ts("2022-03-31"), ts("2022-04-01"), ts("2022-04-01"), ts("2021-12-31")],
        "currency": ["USD", "USD", "GBP", "USD"],
        "units_per_eur": [1.1101, 1.1052, 0.8414, 1.1326],
    }
)


def test_rate_on_uses_the_latest_earlier_day_of_the_same_year():
    rate, day = derive.rate_on(RATES, "USD", ts("2022-04-03"))  # a Sunday
    assert (rate, day) == (1.1052, ts("2022-04-01"))


def test_rate_on_never_reaches_into_another_year_backwards():
    rate, day = derive.rate_on(RATES, "USD", ts("2022-01-02"))
    assert day == ts("2022-03-31")  # first rate of 2022, not 2021-12-31
    with pytest.raises(LookupError, match="2019"):
        derive.rate_on(RATES, "USD", ts("2019-06-01"))


def test_convert_amounts_keeps_originals_and_goes_through_eur():
    funding = pd.DataFrame(
        {
            "value": [2_500_000.0, 500_000.0, 1_105_200.0],
            "unit": ["EUR", "GBP", "USD"],
            "value_date": [ts("2022-04-01")] * 3,
        }
    )
    result = derive.convert_amounts(funding, RATES, "USD")
    assert result["value"].tolist() == [2_500_000.0, 500_000.0, 1_105_200.0]
    assert result["unit"].tolist() == ["EUR", "GBP", "USD"]
    assert result["amount_usd"].iloc[0] == pytest.approx(2_500_000 * 1.1052)
    assert result["amount_usd"].iloc[1] == pytest.approx(500_000 * 1.1052 / 0.8414)
    assert result["amount_usd"].iloc[2] == pytest.approx(1_105_200.0)
    to_eur = derive.convert_amounts(funding, RATES, "EUR")
    assert to_eur["amount_eur"].iloc[2] == pytest.approx(1_000_000.0)


def test_annual_average_rates_is_the_mean_of_the_days():
    result = derive.annual_average_rates(RATES[RATES["currency"] == "USD"])
    row = result[result["year"] == 2022].iloc[0]
    assert row["units_per_eur"] == pytest.approx((1.1101 + 1.1052) / 2)
    assert row["days"] == 2


def test_rate_per_100k():
    result = derive.rate_per_100k(pd.Series([41, 5]), pd.Series([10_202_830, 10_202_830]))
    assert result.round(4).tolist() == [0.4018, 0.049]


def test_durations_are_years_of_365_25_days_and_a_date_is_its_decimal_year():
    assert derive.years_between(ts("2020-01-01"), ts("2024-01-01")) == 1461 / 365.25 == 4.0
    assert derive.years_between(ts("2024-07-01"), ts("2024-01-01")) == -182 / 365.25  # end first: negative
    assert derive.year_end(2031.7) == ts("2031-12-31")
    assert derive.decimal_year(ts("2024-01-01")) == 2024.0
    assert derive.decimal_year(ts("2024-07-02")) == 2024 + 183 / 365.25


def test_missing_years_are_the_gaps_inside_the_span_and_the_longest_run_is_the_first_longest():
    assert missing_years(pd.Series([2019, 2016, None, 2021, 2016])) == [2017, 2018, 2020]
    assert missing_years(pd.Series([], dtype=float)) == []
    years = pd.DataFrame({"year": [2010, 2011, 2013, 2014, 2016, 2017, 2018, 2020, 2021, 2022]})
    assert longest_run(years)["year"].tolist() == [2016, 2017, 2018]  # two runs of three: the first
    assert longest_run(years.iloc[:2])["year"].tolist() == [2010, 2011]
    assert longest_run(years.iloc[0:0]).empty
