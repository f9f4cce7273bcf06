"""Chapter 8 (Cambodia for comparison): golden values on the real data, hand-checked against
the source excerpts, a data change that must change a finding, chart files, and a KHM-focus run."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from IPython.display import HTML

from conftest import read_rows, set_cell
from demining_sdg.analysis import comparison
from demining_sdg.params import load_params
from demining_sdg.present.chapter import Chapter


def chapter(tmp_path: Path, **overrides) -> Chapter:
    return Chapter(load_params(None, overrides), figures_dir=tmp_path / "figures")


def row_index(path: Path, obs_id: str) -> int:
    header, rows = read_rows(path)
    return [r[header.index("obs_id")] for r in rows].index(obs_id)


@pytest.fixture
def ch(tmp_path: Path) -> Chapter:
    return chapter(tmp_path)


def test_annual_casualties_with_derived_2019_and_tiers(ch):
    annual = comparison.annual_casualties(ch).set_index(["year", "population_group"])
    assert annual.at[(1996, "civilian"), "value"] == 4320  # CAS115 (S192)
    assert annual.at[(2005, "all"), "value"] == 875  # CAS116 (S213)
    assert annual.at[(2012, "all"), "value"] == 185  # CAS124 (S211)
    # 2019: 12 killed (CAS128) + 65 injured (CAS129), total not stated: 77 derived, secondary source S205
    row_2019 = annual.loc[(2019, "all")]
    assert (
        row_2019["value"],
        row_2019["basis"],
        row_2019["source_id"],
        row_2019["evidence_tier"],
    ) == (77, "derived: killed + injured", "S205", 4)
    assert annual.at[(2020, "all"), "evidence_tier"] == 4  # 65 via a blog (S204)
    assert annual.at[(2023, "all"), "value"] == 32  # CAS139 (S202)


def test_latest_year_against_the_csdg_ceiling(ch):
    found = comparison.latest_vs_ceiling(ch)
    # 32 in 2023 (S202) / ceiling 10 (CON046, S190, 'less than 10 persons/year by 2030') = 3.2
    assert found["row"]["year"] == 2023 and found["ceiling"]["obs_id"] == "CON046"
    assert found["ratio"] == pytest.approx(3.2)
    finding = comparison.ceiling_finding(ch)
    assert "32 mine/ERW casualties in 2023, 3.2 times (derived)" in finding.text
    assert finding.sources == ("S202", "S190")


def test_trend_finding_from_earliest_to_latest_stated_total(ch):
    text = comparison.trend_finding(ch).text
    # 875 (2005, S213) -> 32 (2023, S202): (32 - 875) / 875 = -96.3%
    assert "from 875 in 2005 to 32 in 2023, a fall of 96.3% (derived)" in text


def test_h1_2020_xinhua_and_akp_accounts_are_both_shown(ch):
    notes = " ".join(n.data for n in comparison.partial_year_conflicts(ch))
    assert "36 (9 killed; 27 injured/amputated)" in notes and "(S207)" in notes  # CAS131, Xinhua
    assert "AKP version (S214) says 8 died, 28 injured" in notes  # curator note on CAS131


def test_land_released_both_sources_for_2014_and_2015(ch):
    released = comparison.land_released(ch)
    y2015 = released[released["year"] == 2015].set_index("source_id")["hectares"]
    # 147 km² (CLR119, S194) = 14,700 ha; 146,051,269 m² (CLR131, S198) = 14,605.1269 ha
    assert y2015["S194"] == pytest.approx(14_700)
    assert y2015["S198"] == pytest.approx(14_605.1269)
    mine_only = released[~released["all_hazards"]]
    assert list(mine_only["obs_id"]) == ["CLR122"]  # 2016: 68.7 km² of mine land only (S195)


def test_cleared_remaining_and_deadline(ch):
    points = comparison.cleared_and_remaining(ch)
    cleared = points[points["series"] == "cleared (cumulative)"].sort_values("date").iloc[-1]
    assert (cleared["hectares"], cleared["source_id"]) == (330_000, "S200")  # 3,300 km² (CLR137)
    remaining = points[points["series"] == "remaining contamination"].set_index("obs_id")
    assert remaining.at["CON042", "hectares"] == pytest.approx(169_700)  # 1,697 km² (S201)
    assert remaining.at["CON040;CON041", "hectares"] == pytest.approx(185_400)  # 533 + 1,321 km² (S202), derived
    deadlines = comparison.deadlines(ch)
    assert deadlines.iloc[-1]["value_as_reported"] == "December 31, 2030"  # CON045 (S200)
    assert "December 31, 2030" in comparison.clearance_finding(ch).text


def test_side_by_side_azerbaijan_and_cambodia(ch):
    html = comparison.side_by_side(ch).data
    # AZE 41 (2024, S086) / 10,202,830 = 0.402; KHM 32 (2023, S202) / 17,423,880 (POP029) = 0.184
    assert "0.402 (population 10,202,830" in html and "0.184 (population 17,423,880" in html
    assert "about 168,000 ha" in html and "330,000 ha" in html  # CLR108 (S062), CLR137 (S200)
    assert "not like for like" in comparison.side_by_side_caveat(ch).data


def test_changing_the_ceiling_changes_the_finding(data_copy, tmp_path):
    path = data_copy / "contamination_targets.csv"
    set_cell(path, row_index(path, "CON046"), "value", "20")
    finding = comparison.ceiling_finding(chapter(tmp_path, data_dir=str(data_copy)))
    assert "1.6 times (derived)" in finding.text


def test_charts_write_files_with_title_alt_and_source(ch):
    names = {
        comparison.casualties_chart: "08_cambodia_casualties_vs_ceiling",
        comparison.land_released_chart: "08_cambodia_land_released",
        comparison.cleared_chart: "08_cambodia_cleared_and_remaining",
    }
    for make, name in names.items():
        assert isinstance(make(ch), HTML)
        meta = json.loads((ch.figures_dir / f"{name}.json").read_text())
        assert meta["title"] and len(meta["title"]) <= 80, meta["title"]
        assert len(meta["alt"]) > 40 and "(S" in meta["source"]
        for suffix in (".png", ".svg", ".csv"):
            assert (ch.figures_dir / f"{name}{suffix}").stat().st_size > 0
    title = json.loads((ch.figures_dir / "08_cambodia_casualties_vs_ceiling.json").read_text())["title"]
    assert title == "Cambodia's 32 mine casualties in 2023 were 3.2 times the CSDG ceiling"
    assert "S190" in json.loads((ch.figures_dir / "08_cambodia_casualties_vs_ceiling.json").read_text())["source"]


def test_chapter_is_about_cambodia_whatever_the_focus_country(tmp_path):
    khm = chapter(tmp_path / "khm", country="KHM")
    aze = chapter(tmp_path / "aze")
    assert [f.text for f in comparison.findings(khm)] == [f.text for f in comparison.findings(aze)]
    displays = [
        comparison.casualties_chart,
        comparison.casualties_table,
        comparison.partial_year_table,
        comparison.land_released_chart,
        comparison.cleared_chart,
        comparison.cleared_table,
        comparison.deadline_table,
        comparison.side_by_side,
    ]
    for make in displays:
        assert isinstance(make(khm), HTML), make.__name__
    assert "focus country" in comparison.side_by_side(khm).data
    assert comparison.side_by_side_caveat(khm) is None
