"""Chapter 7 (outlook scenarios): the arithmetic on hand-computed cases, the inputs taken from
the real data, and the effect of the outlook parameters."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pandas as pd
import pytest

from conftest import read_rows, set_cell
from demining_sdg.analysis import outlook
from demining_sdg.params import load_params
from demining_sdg.present.chapter import Chapter


def chapter(tmp_path: Path, **overrides) -> Chapter:
    return Chapter(load_params(None, overrides), figures_dir=tmp_path / "figures")


def row_index(path: Path, obs_id: str) -> int:
    header, rows = read_rows(path)
    return next(i for i, row in enumerate(rows) if row[header.index("obs_id")] == obs_id)


# --- arithmetic -------------------------------------------------------------------------------


def test_constant_rate_10000_ha_at_2000_a_year_takes_5_years():
    assert outlook.years_to_complete(10_000, 2_000, 0) == 5
    assert outlook.cleared_after(5, 2_000, 0) == 10_000
    assert outlook.required_rate(10_000, 5, 0) == 2_000


def test_growing_rate_matches_the_year_by_year_sum():
    # 10% growth: 2,000 + 2,200 + 2,420 + 2,662 = 9,282 after 4 years; + 2,928.2 = 12,210.2 after 5
    assert outlook.cleared_after(4, 2_000, 0.10) == pytest.approx(9_282)
    assert outlook.cleared_after(5, 2_000, 0.10) == pytest.approx(12_210.2)
    # 10,000 ha: 1.1^n = 1 + 10,000 * 0.1 / 2,000 = 1.5, n = ln 1.5 / ln 1.1 = 4.2541
    n = outlook.years_to_complete(10_000, 2_000, 0.10)
    assert n == pytest.approx(4.2541, abs=1e-4)
    assert 4 < n < 5
    assert outlook.cleared_after(n, 2_000, 0.10) == pytest.approx(10_000)
    # the first-year rate that clears 9,282 ha in 4 years at +10% a year is 2,000
    assert outlook.required_rate(9_282, 4, 0.10) == pytest.approx(2_000)


def test_shrinking_rate_may_never_finish():
    # at -25% a year, 2,000 ha/yr can clear at most 2,000 / 0.25 = 8,000 ha in total
    assert outlook.years_to_complete(10_000, 2_000, -0.25) == math.inf
    assert outlook.years_to_complete(6_000, 2_000, -0.25) == pytest.approx(math.log(0.25) / math.log(0.75))
    assert outlook.years_to_complete(0, 2_000, 0) == 0


# --- inputs from the data ---------------------------------------------------------------------


@pytest.fixture
def aze(tmp_path: Path) -> Chapter:
    return chapter(tmp_path)


def test_default_inputs_for_azerbaijan(aze):
    b = outlook.basis(aze)
    # rate: 62,023.9 ha cleared in 2024 (CLR050, S061)
    assert (b.rate_ha, b.rate_year, b.rate_sources) == (62023.9, 2024, ("S061",))
    # low: AzCBL "About 8,000 km²" (CON014, S073); high: ANAMA "about 9,000 km²" (CON013, S059)
    assert (b.low.hectares, b.low.source_id, b.low.stated) == (800_000, "S073", "about 8,000 km²")
    assert (b.high.hectares, b.high.source_id) == (900_000, "S059")
    # cleared: "approximately 168,000 hectares" by 24 Oct 2024 (CLR108, S062)
    assert b.cleared["hectares"] == 168_000 and b.cleared["source_id"] == "S062"
    considered = outlook.considered_estimates(aze).set_index("obs_id")["use"]
    assert considered["CON010"].startswith("not used: a share")  # President's 12%, no area given
    assert considered["CON005"].startswith("not used: more than")  # pre-2020 government-controlled area


def test_azerbaijan_scenarios_by_hand(aze):
    runs = {s.estimate.role: s for s in outlook.scenarios(outlook.basis(aze))}
    assert runs["low"].remaining_ha == 632_000 and runs["high"].remaining_ha == 732_000
    assert runs["low"].years == pytest.approx(632_000 / 62_023.9)  # 10.19 years
    assert runs["high"].years == pytest.approx(732_000 / 62_023.9)  # 11.80 years
    assert (runs["low"].finish_year, runs["high"].finish_year) == (2035, 2036)  # from 24 Oct 2024
    years_left = (pd.Timestamp("2030-12-31") - pd.Timestamp("2024-10-24")).days / 365.25
    assert runs["high"].rate_needed_ha == pytest.approx(732_000 / years_left)
    finding = outlook.findings(aze)[0]
    assert "632,000–732,000 ha" in finding.text and "2035–2036" in finding.text
    assert set(finding.sources) == {"S061", "S073", "S059", "S062"}


def test_scenario_table_separates_added_and_cumulative_area(aze, tmp_path):
    table = outlook.scenario_frame(aze)
    added, cumulative = "added Oct 2024 – end 2030 (ha, derived)", "cumulative cleared by end 2030 (ha, derived)"
    assert added in table.columns and cumulative in table.columns
    assert not any(c.startswith("cleared by end") for c in table.columns)
    years_left = (pd.Timestamp("2030-12-31") - pd.Timestamp("2024-10-24")).days / 365.25
    # 62,023.9 ha a year (S061) from 24 Oct 2024 = 383,606 ha added; plus 168,000 ha cleared (S062) = 551,606 ha
    assert set(table[added]) == {round(62_023.9 * years_left)} == {383_606}
    assert set(table[cumulative]) == {round(168_000 + 62_023.9 * years_left)} == {551_606}
    # the chart draws the cumulative value at the end of the target year
    outlook.fan_chart(aze)
    data = pd.read_csv(tmp_path / "figures" / "07_outlook_scenarios.csv")
    ends = data[data["series"].str.startswith("scenario") & (data["date"] == "2030-12-31")]["area_ha"]
    assert round(ends.iloc[0]) == 551_606
    html = outlook.scenario_table(aze).data
    assert "102,186" in html and ">102186<" not in html  # 'first-year' column formatted, not as a year


def test_scenarios_do_not_depend_on_the_day_of_the_render(aze):
    import inspect

    assert "today" not in inspect.getsource(outlook) and "now(" not in inspect.getsource(outlook)
    b = outlook.basis(aze)
    undated = outlook.replace(b.low, kind="remaining", date=None)
    start, _, _ = outlook.start_and_base(b, undated)
    assert start == b.cleared["period_end"]  # a date from the data (24 Oct 2024, S062)
    no_cleared = outlook.replace(b, cleared=None)
    assert outlook.start_and_base(no_cleared, undated)[0] == pd.Timestamp("2024-12-31")  # end of the rate's year


def test_gap_to_the_2026_target(aze):
    gap = outlook.target_gap(aze)
    years_left = (pd.Timestamp("2026-12-31") - pd.Timestamp("2024-10-24")).days / 365.25
    assert gap["gap_ha"] == 112_000  # 280,000 (S057) - 168,000 (S062)
    assert gap["rate_needed_ha"] == pytest.approx(112_000 / years_left)
    assert gap["projected_ha"][0.0] == pytest.approx(168_000 + 62_023.9 * years_left)
    assert "280,000 ha by end 2026" in outlook.findings(aze)[1].text


# --- parameters and data change the result ----------------------------------------------------


def test_outlook_parameters_change_the_scenarios(tmp_path):
    base = outlook.basis(chapter(tmp_path / "a"))
    faster = outlook.basis(chapter(tmp_path / "b", outlook={"annual_clearance_ha": 100_000}))
    low = outlook.scenario(faster, faster.low, 0)
    assert faster.rate_from_parameter and low.years == pytest.approx(6.32)
    assert low.years < outlook.scenario(base, base.low, 0).years
    growing = outlook.basis(chapter(tmp_path / "c", outlook={"clearance_growth_pct": 10}))
    assert len(outlook.scenarios(growing)) == 4  # low/high x growth 0 and 10%
    grown = outlook.scenario(growing, growing.low, 0.10)
    assert grown.years == pytest.approx(math.log(1 + 632_000 * 0.1 / 62_023.9) / math.log(1.1))
    bounded = outlook.basis(
        chapter(tmp_path / "d", outlook={"contaminated_area_high_ha": 1_000_000, "target_year": 2035})
    )
    assert bounded.high.source_id is None and bounded.high.hectares == 1_000_000
    text = outlook.findings(chapter(tmp_path / "e", outlook={"target_year": 2035}))[2].text
    assert "end of 2035" in text and text != outlook.findings(chapter(tmp_path / "f"))[2].text


def test_changing_an_estimate_in_the_data_changes_the_finding(data_copy, tmp_path):
    path = data_copy / "contamination_targets.csv"
    set_cell(path, row_index(path, "CON013"), "value", "10000")
    ch = Chapter(load_params(None, {"data_dir": str(data_copy)}), figures_dir=tmp_path)
    assert outlook.basis(ch).high.hectares == 1_000_000
    assert "632,000–832,000 ha" in outlook.findings(ch)[0].text


def test_charts_and_tables_write_sourced_files(aze, tmp_path):
    for display in (
        outlook.fan_chart(aze),
        outlook.needed_rates_chart(aze),
        outlook.scenario_table(aze),
        outlook.basis_table(aze),
        outlook.estimates_table(aze),
        outlook.target_note(aze),
    ):
        assert display.data
    sidecars = {p.stem: json.loads(p.read_text()) for p in (tmp_path / "figures").glob("*.json")}
    assert set(sidecars) == {"07_outlook_scenarios", "07_needed_rates"}
    for name, meta in sidecars.items():
        assert meta["title"] and len(meta["alt"]) > 40, name
        assert "not a forecast" in meta["alt"] or "scenarios" in meta["subtitle"], name
        data = pd.read_csv(tmp_path / "figures" / f"{name}.csv")
        for source_id in {s for v in data["source_id"].dropna() for s in str(v).split(";")}:
            assert source_id in meta["source"], (name, source_id)
    assert (
        sidecars["07_outlook_scenarios"]["title"] == "Scenario: at 62,023.9 ha a year, clearance would end in 2035–2036"
    )


def test_cambodia_remaining_area_and_deadline(tmp_path):
    khm = chapter(tmp_path, country="KHM")
    b = outlook.basis(khm)
    # 1,697 km² remaining as of Mar 2025 (CON042, S201) is both bounds; deadline 31 Dec 2030 (CON045, S200)
    assert (b.low.hectares, b.low.kind, b.low.source_id) == (169_700, "remaining", "S201")
    assert len(b.estimates()) == 1
    assert b.deadline["source_id"] == "S200" and int(b.deadline["value"]) == 2030
    # The latest full-year figure, 2016: 25.33 km² mined + 22.38 km² UXO land (S195) = 4,771 ha (a derived
    # sum), is 9 years older than the newest cumulative figure (8 Dec 2025, S200): not current (3-year rule).
    # The rate is the pace between the two latest cumulative figures instead (derived):
    # (3,300 km² on 8 Dec 2025, CLR137 S200 - 2,795 km² on 11 Dec 2023, CLR136 S212) / 1.99 years.
    assert b.stale_rate["area_ha"] == pytest.approx(4_771) and b.stale_rate["derived_sum"]
    assert b.rate_from_pace and not b.rate_from_parameter and b.rate_year is None
    pace = (330_000 - 279_500) / ((pd.Timestamp("2025-12-08") - pd.Timestamp("2023-12-11")).days / 365.25)
    assert b.rate_ha == pytest.approx(pace) and b.rate_sources == ("S212", "S200")
    run = outlook.scenarios(b)[0]
    assert run.remaining_ha == 169_700 and run.start == pd.Timestamp("2025-03-31")
    assert run.years == pytest.approx(169_700 / pace)
    first = outlook.findings(khm)[0].text
    assert "2060" not in first and "25,337 ha a year" in first and "for 2016, is more than 3 years older" in first
    note = outlook.pace_note(khm).data
    assert "note-caveat" in note and "4,771 ha in 2016" in note and "35.6 years" in note
    for display in (
        outlook.fan_chart(khm),
        outlook.needed_rates_chart(khm),
        outlook.scenario_table(khm),
        outlook.basis_table(khm),
        outlook.estimates_table(khm),
        outlook.target_note(khm),
    ):
        assert display.data
    assert "December 31, 2030" in outlook.findings(khm)[1].text
