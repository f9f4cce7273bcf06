"""Chapter 7 (outlook scenarios): the arithmetic on hand-computed cases, the sections on the real
data (snapshots), the effect of the settings and of the data, and that no allowed setting crashes."""

from __future__ import annotations

import math
import re

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import examples, frame_text, open_test_chapter, read_rows, set_cell, write_rows
from demining_sdg.chapters import outlook
from demining_sdg.chapters.sections import Context
from demining_sdg.params import OutlookParams, ParamsError, load_params

SECTIONS = [
    outlook.SUMMARY,
    outlook.FINDINGS,
    outlook.INPUTS,
    outlook.STALE_RATE,
    outlook.ESTIMATES,
    outlook.SCENARIO_CHART,
    outlook.SCENARIO_TABLE,
    outlook.NEEDED_RATES,
    outlook.CAVEAT,
]
DATA_FUNCTIONS = [s.data for s in SECTIONS]
BAD_TEXT = re.compile(r"not available for|specific to|\{\{|\b(?:None|nan|NaN|NaT|inf)\b|outlook\.|_ha\b|_pct\b")


def render(ch) -> dict:
    return {s.name: ch.show(s) for s in SECTIONS}


def summary_text(ch) -> str:
    return " ".join(m["text"] for m in ch.show(outlook.SUMMARY).messages)


def derived_years(frame: pd.DataFrame) -> pd.Series:
    return pd.to_datetime(frame.loc[frame["kind"] == "derived", "x"]).dt.year


# --- arithmetic -------------------------------------------------------------------------------


def test_constant_rate_10000_ha_at_2000_a_year_takes_5_years():
    assert outlook.years_to_complete(10_000, 2_000, 0) == 5
    assert outlook.cleared_after(5, 2_000, 0) == 10_000
    assert outlook.required_rate(10_000, 5, 0) == 2_000


def test_growing_rate_matches_the_year_by_year_sum():
    # 10% growth: 2,000 + 2,200 + 2,420 + 2,662 = 9,282 after 4 years; + 2,928.2 = 12,210.2 after 5
    assert outlook.cleared_after(4, 2_000, 0.10) == pytest.approx(9_282)
    assert outlook.cleared_after(5, 2_000, 0.10) == pytest.approx(12_210.2)
    # 1.1^n = 1 + 10,000 * 0.1 / 2,000 = 1.5, so n = ln 1.5 / ln 1.1 = 4.2541
    assert outlook.years_to_complete(10_000, 2_000, 0.10) == pytest.approx(4.2541, abs=1e-4)
    assert outlook.required_rate(9_282, 4, 0.10) == pytest.approx(2_000)


def test_shrinking_rate_may_never_finish_and_huge_horizons_do_not_overflow():
    # at -25% a year, 2,000 ha a year can clear at most 2,000 / 0.25 = 8,000 ha in all
    assert outlook.years_to_complete(10_000, 2_000, -0.25) == math.inf
    assert outlook.years_to_complete(6_000, 2_000, -0.25) == pytest.approx(math.log(0.25) / math.log(0.75))
    assert outlook.years_to_complete(0, 2_000, 0) == 0
    assert outlook.cleared_after(5_000, 2_000, 1.0) == math.inf  # 2^5000 overflows a float: inf, no error
    assert outlook.required_rate(1_000, 0) == math.inf


# --- the real data ----------------------------------------------------------------------------


@pytest.mark.parametrize("country", ["aze", "khm"])
def test_sections_follow_the_data(country, request, snapshot):
    """Snapshots of every section's frame (update after adding data: make snapshots)."""
    ctx = request.getfixturevalue(country).ctx
    assert {s.data.__name__.replace("<lambda>", s.name): frame_text(s.data(ctx)) for s in SECTIONS} == snapshot


def test_azerbaijan_by_hand(aze):
    # 62,023.9 ha in 2024 (S061); about 8,000 km² (S073) and about 9,000 km² (S059), less about
    # 168,000 ha cleared by 24 Oct 2024 (S062): 632,000 and 732,000 ha, 10.19 and 11.80 years
    runs = outlook.scenarios(aze.ctx).set_index("role")
    assert list(runs["remaining_ha"]) == [632_000, 732_000]
    assert runs["years"].tolist() == pytest.approx([632_000 / 62_023.9, 732_000 / 62_023.9])
    assert runs["finish_year"].tolist() == [2035, 2036]
    years_left = (pd.Timestamp("2030-12-31") - pd.Timestamp("2024-10-24")).days / 365.25
    assert runs.loc["estimate_high", "needed_ha"] == pytest.approx(732_000 / years_left)
    gap = outlook.target_gap(aze.ctx)  # 280,000 ha by end 2026 (S057) less 168,000 ha
    assert gap["gap_ha"] == 112_000 and gap["source_id"] == "S062;S057"


def test_the_basis_is_computed_once_per_render(tmp_path, monkeypatch):
    calls = []
    real = outlook.basis
    monkeypatch.setattr(outlook, "basis", lambda ctx: calls.append(1) or real(ctx))
    ch = open_test_chapter(tmp_path)
    left_out = [s.name for s in SECTIONS if ch.frame_of(s)[1] is not None]  # frames only: views draw from them
    assert len(calls) == 1 and "scenario_chart" not in left_out


def test_the_chart_axis_reaches_the_finish_years_its_title_states(aze):
    shown = aze.show(outlook.SCENARIO_CHART)
    frame = shown.frame
    assert "clearance would end in 2035–2036" in shown.html
    assert derived_years(frame).max() == 2036 and frame.attrs["until"] == 2036
    references = set(frame.loc[frame["kind"] == "reference", "series"])
    assert references == {"estimate_low", "estimate_high", "area_target"}


def test_a_rate_of_1651_ha_renders_and_the_title_keeps_to_the_axis(tmp_path):
    ch = open_test_chapter(tmp_path, outlook={"annual_clearance_ha": 1651})
    shown = render(ch)
    assert all(s.html for name, s in shown.items() if name not in ("stale_rate", "summary"))
    assert "would be cleared in 2407–2468, after the end of 2026" in shown["summary"].messages[0]["text"]
    findings = shown["findings"].html
    assert "382.8–443.4 years, ending in 2407–2468" in findings  # 632,000 / 1,651 from 24 Oct 2024
    chart = shown["scenario_chart"]
    assert "would not be cleared by the end of 2030" in chart.html
    assert derived_years(chart.frame).max() <= 2030


def test_settings_change_the_scenarios_and_are_named_as_settings(tmp_path):
    ch = open_test_chapter(tmp_path, outlook={"clearance_growth_pct": 10, "contaminated_area_high_ha": 1_000_000})
    runs = outlook.scenarios(ch.ctx)
    assert len(runs) == 4  # low/high x growth 0 and 10%
    grown = runs[(runs["role"] == "estimate_low") & (runs["growth_pct"] == 10)].iloc[0]
    assert grown["years"] == pytest.approx(math.log(1 + 632_000 * 0.1 / 62_023.9) / math.log(1.1))
    high = outlook.inputs(ch.ctx).set_index("input").loc["estimate_high"]
    assert high["hectares"] == 1_000_000 and high["basis"] == "setting" and pd.isna(high["source_ids"])
    html = ch.show(outlook.ESTIMATES).html
    assert "the high bound is set in the report&#39;s scenario settings" in html
    assert "growing 10% a year" in ch.show(outlook.SCENARIO_CHART).html


def test_changing_an_estimate_in_the_data_changes_the_finding(data_copy, tmp_path):
    path = data_copy / "contamination_targets.csv"
    header, rows = read_rows(path)
    set_cell(path, next(i for i, r in enumerate(rows) if r[header.index("obs_id")] == "CON013"), "value", "10000")
    findings = outlook.findings(open_test_chapter(tmp_path, data_copy).ctx).set_index("message")
    assert findings.loc["remaining", "remaining_high"] == 832_000


def test_a_later_full_year_figure_becomes_the_rate(data_copy, tmp_path):
    path = data_copy / "clearance.csv"
    header, rows = read_rows(path)
    template = next(r for r in rows if r[header.index("obs_id")] == "CLR050")  # 2024, all operators
    added = list(template)
    for column, value in {"obs_id": "CLR999", "period_start": "2025-01-01", "period_end": "2025-12-31"}.items():
        added[header.index(column)] = value
    added[header.index("value")], added[header.index("value_as_reported")] = "80000", "80,000 hectares"
    added[header.index("excerpt")] = "Synthetic test row: 80,000 hectares cleared in 2025"
    write_rows(path, header, rows + [added])
    b = outlook.basis(open_test_chapter(tmp_path, data_copy).ctx)
    assert (b["rate"], b["rate_year"], b["rate_basis"]) == (80_000, 2025, "full_year")


def test_without_a_current_estimate_every_section_is_left_out_with_its_reason(data_copy, tmp_path):
    path = data_copy / "contamination_targets.csv"
    header, rows = read_rows(path)
    for row in rows:
        if row[header.index("iso3")] == "AZE" and row[header.index("indicator")] in outlook.KIND:
            row[header.index("quality_flag")] = "implausible"
    write_rows(path, header, rows)
    for name, shown in render(open_test_chapter(tmp_path, data_copy)).items():
        assert shown.html is None and "no usable" in shown.omitted and "Azerbaijan" in shown.omitted, name
        assert shown.messages == [], name


def test_cambodia_gets_its_own_sections(khm, aze):
    shown, on_aze = render(khm), render(aze)
    assert shown["stale_rate"].html and on_aze["stale_rate"].html is None
    messages = list(shown["findings"].frame["message"])
    assert messages == ["remaining", "deadline"]  # no area target; the deadline is the target year
    assert list(on_aze["findings"].frame["message"]) == ["remaining", "target", "finish_by", "pace"]
    text = " ".join(s.html or "" for s in shown.values())
    assert "Cambodia" in text and "December 31, 2030" in text and "Azerbaijan" not in text
    assert "clearance would end in 2031" in shown["scenario_chart"].html
    assert set(shown["scenario_chart"].frame["series"]) == {"scenario", "estimate_both"}


@pytest.mark.parametrize("country", ["aze", "khm"])
def test_rendered_text_is_clean(country, request):
    for name, shown in render(request.getfixturevalue(country)).items():
        text = re.sub(r"<svg.*?</svg>|<[^>]+>", " ", shown.html or "", flags=re.S) + " ".join(
            m["text"] for m in shown.messages
        )
        assert not BAD_TEXT.search(text), (name, BAD_TEXT.search(text).group(), text[:300])


def test_the_summary_judges_the_finish_against_the_deadline_or_the_target(aze, khm):
    [message] = aze.show(outlook.SUMMARY).messages
    target = outlook.basis(aze.ctx)["target"]
    assert message["text"].startswith("Scenario, not a forecast: at the 2024 clearance rate")
    assert f"would be cleared in 2035–2036, after the end of {target['reference_date'].year}" in message["text"]
    assert f"in the {aze.profile.focus.label} " in message["text"] and message["link"] == "outlook-projection"
    assert target["source_id"] in message["sources"]
    text = summary_text(khm)
    assert "at the recent pace of clearance" in text and "of Cambodia would be cleared in 2031" in text
    assert "after the end of 2030, the clearance deadline" in text


def test_a_faster_rate_turns_the_judgement(tmp_path):
    text = summary_text(open_test_chapter(tmp_path, outlook={"annual_clearance_ha": 400_000}))
    assert "at the clearance rate set for the scenarios" in text and "in 2026, by the end of 2026" in text


def test_without_a_deadline_or_target_the_summary_is_left_out(data_copy, tmp_path):
    path = data_copy / "contamination_targets.csv"
    header, rows = read_rows(path)
    for row in rows:
        if row[header.index("indicator")] == "target_area_to_demine":
            row[header.index("quality_flag")] = "implausible"
    write_rows(path, header, rows)
    ch = open_test_chapter(tmp_path, data_copy)
    shown = ch.show(outlook.SUMMARY)
    assert shown.messages == [] and "no clearance deadline or official target year" in shown.omitted
    assert ch.show(outlook.SCENARIO_CHART).html  # the scenarios themselves still stand


def test_the_scenario_details_are_in_the_annex():
    annex = {s.name for s in SECTIONS if s.placement == "annex"}
    assert annex == {"inputs", "stale_rate", "estimates", "scenario_table"}


# --- no allowed setting crashes ----------------------------------------------------------------

AREAS = st.one_of(st.none(), st.floats(min_value=0, exclude_min=True, allow_infinity=False, allow_nan=False))


@st.composite
def knobs(draw) -> OutlookParams:
    low, high = draw(AREAS), draw(AREAS)
    if low is not None and high is not None and low > high:
        low, high = high, low
    return OutlookParams(
        target_year=draw(st.integers(2000, 2100)),
        annual_clearance_ha=draw(AREAS),
        clearance_growth_pct=draw(st.floats(-50, 100, allow_nan=False)),
        contaminated_area_low_ha=low,
        contaminated_area_high_ha=high,
    )


def test_an_infinite_or_missing_number_setting_is_rejected_by_name():
    for key in ("annual_clearance_ha", "contaminated_area_low_ha", "clearance_growth_pct"):
        with pytest.raises(ParamsError) as error:
            load_params(None, {"outlook": {key: float("inf")}})
        assert key in " ".join(error.value.problems)


@pytest.mark.parametrize("country", ["aze", "khm"])
@settings(max_examples=examples(40), deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(params=knobs())
def test_every_setting_gives_frames(country, request, params):
    ch = request.getfixturevalue(country)
    ctx = Context(ch.ctx.data, ch.ctx.profile, ch.ctx.params.model_copy(update={"outlook": params}))
    knobs_ = (params.annual_clearance_ha, params.contaminated_area_low_ha, params.contaminated_area_high_ha)
    usable = [v for v in knobs_ if v is not None]
    if not outlook.HAS_BASIS.test(ctx):  # the sections are left out, only for unusable settings
        assert any(not v < outlook.LARGEST for v in usable)
        return
    for function in DATA_FUNCTIONS:
        assert isinstance(function(ctx), pd.DataFrame), function.__name__
