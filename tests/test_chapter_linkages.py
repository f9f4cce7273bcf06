"""Chapter 6 (mine action across the SDGs): golden values hand-checked against the source excerpts
(sdg_linkages.csv), a data edit that changes the findings, the chart files and
other focus countries."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from IPython.display import HTML

from conftest import read_rows, set_cell
from demining_sdg.analysis import linkages
from demining_sdg.params import load_params
from demining_sdg.present.chapter import Chapter


def chapter(tmp_path: Path, data_dir: Path | None = None, country: str = "AZE") -> Chapter:
    overrides = {"country": country}
    if data_dir is not None:
        overrides["data_dir"] = str(data_dir)
    return Chapter(load_params(None, overrides), figures_dir=tmp_path / "figures")


def row_index(path: Path, key_column: str, key: str) -> int:
    header, rows = read_rows(path)
    return next(i for i, row in enumerate(rows) if row[header.index(key_column)] == key)


def test_global_goal_counts_put_sdg16_first(tmp_path):
    counts = linkages.global_goal_counts(chapter(tmp_path)).set_index("sdg_goal")
    # L01 (16.1.2, S173), L02 (article, S001) and L03 (GICHD, S181) are the SDG 16 rows.
    assert counts.index[0] == 16
    assert counts.at[16, "linkages_count"] == 3
    assert counts.at[16, "linkage_ids"] == "L01;L02;L03"
    assert counts.at[16, "source_id"] == "S173;S001;S181"
    # the UNDP speaker's areas (S001): agriculture 2, education 4, women 5, infrastructure 9, disabilities 10; CISR 3.9 (S187)
    assert set(counts.index) == {2, 3, 4, 5, 9, 10, 16}
    assert counts["linkages_count"].sum() == 9
    assert counts.at[3, "source_id"] == "S187"
    assert counts.at[16, "goal_name"] == "Peace, justice and strong institutions"


def test_framework_counts_keep_national_goals_apart(tmp_path):
    counts = linkages.framework_counts(chapter(tmp_path)).set_index("framework")
    assert counts.index[0] == "global"
    assert counts.at["global", "linkages"] == 9
    assert counts.at["global", "indicators"] == 1  # 16.1.2 only
    # Cambodia CSDG 18 (S190): targets 18.1-18.3, indicators 18.1.1, 18.2.1, 18.2.2, 18.3.1-18.3.3 (SDM016-SDM021)
    assert counts.at["national_cambodia", "linkages"] == 6
    assert counts.at["national_cambodia", "targets"] == 3
    assert counts.at["national_cambodia", "indicators"] == 6
    assert counts.at["national_cambodia", "source_ids"] == "S190"
    # Azerbaijan's proposal (L18, S230) and Lao/BiH (S186) name only the goal
    assert counts.at["national_azerbaijan_proposed", "targets"] == 0
    assert counts.at["national_azerbaijan_proposed", "source_ids"] == "S230"
    assert counts.at["national_lao", "source_ids"] == "S186"
    assert set(counts["goals"]) == {7, 1}


def test_findings_state_counts_and_the_16_1_2_cause(tmp_path):
    found = linkages.findings(chapter(tmp_path))
    assert found[0].text.startswith(
        "The linkage table holds 18 sourced linkages: 9 to the UN global SDG framework, across 7 goals "
        "(SDGs 2, 3, 4, 5, 9, 10 and 16), and 9 to 4 national 'SDG 18' frameworks or proposals"
    )
    assert "SDG 16 has the most global linkages (3 of 9, derived)" in found[1].text
    assert "Planted explosives and unexploded ordnance (UXO)" in found[1].text
    assert "S173" in found[1].sources
    assert found[2].text.startswith("Azerbaijan's own initiative, a proposal to add mine action as an 18th SDG")
    assert "Cambodia's national CSDG 18 (adopted) has 3 targets and 6 indicators" in found[2].text
    assert found[2].sources == ("S230", "S190")


def test_moving_a_linkage_to_sdg16_changes_finding_and_title(data_copy, tmp_path):
    path = data_copy / "sdg_linkages.csv"
    set_cell(path, row_index(path, "linkage_id", "L05"), "sdg_goal", "16")  # infrastructure 9 -> 16
    ch = chapter(tmp_path, data_copy)
    assert "SDG 16 has the most global linkages (4 of 9, derived)" in linkages.findings(ch)[1].text
    assert "across 6 goals" in linkages.findings(ch)[0].text
    linkages.goal_chart(ch)
    meta = json.loads((tmp_path / "figures" / "06_linkages_per_goal.json").read_text(encoding="utf-8"))
    assert meta["title"] == "SDG 16 holds 4 of the 9 sourced links to the global goals"


def test_goal_chart_writes_files_with_title_alt_and_source(tmp_path):
    html = linkages.goal_chart(chapter(tmp_path))
    assert isinstance(html, HTML)
    folder = tmp_path / "figures"
    meta = json.loads((folder / "06_linkages_per_goal.json").read_text(encoding="utf-8"))
    assert meta["title"] == "SDG 16 holds 3 of the 9 sourced links to the global goals"
    assert len(meta["title"]) < 80
    assert "SDG 16 3" in meta["alt"] and "SDG 10 1" in meta["alt"]
    assert (
        meta["source"] == "Every Casualty (S173); Today.az (S001); GICHD (S181); James Madison University CISR (S187)"
    )
    assert "2016–2022" in meta["subtitle"]
    for suffix in (".png", ".svg", ".csv"):
        assert (folder / f"06_linkages_per_goal{suffix}").stat().st_size > 0
    data = (folder / "06_linkages_per_goal.csv").read_text(encoding="utf-8").splitlines()
    assert data[0] == "sdg_goal,goal_name,linkages_count,linkage_ids,source_id"
    assert data[1].startswith("16,")


def test_global_and_national_tables_do_not_mix(tmp_path):
    ch = chapter(tmp_path)
    global_html = linkages.global_table(ch).data
    national_html = linkages.national_linkages_table(ch).data
    assert ">L01<" in global_html and ">L10<" not in global_html and ">L18<" not in global_html
    assert ">L18<" in national_html and ">L01<" not in national_html
    assert "not part of the global SDGs" in national_html
    indicators_html = linkages.national_indicators_table(ch).data
    assert "SDM016" in indicators_html and "SDM001" not in indicators_html


def test_aggregate_studies_are_quoted_verbatim_with_missing_goal_lists(tmp_path):
    html = linkages.aggregate_studies_table(chapter(tmp_path)).data
    assert "12 SDGs directly and 4 other SDGs indirectly" in html  # S180
    assert "15 Sustainable Development Goals (SDGs) and to at least 60 of their targets" in html  # S185
    assert html.count("<td>not found in the archived material</td>") == 2
    assert 'href="#source-S180"' in html and 'href="#source-S185"' in html


def test_sdg16_table_marks_unverified_series_codes(tmp_path):
    html = linkages.sdg16_indicators_table(chapter(tmp_path)).data
    assert "VC_DTH_TOCVN" in html and "SDM007" in html
    assert html.count("<td>no</td>") == 1  # only SDM007 (S178) is unverified


def test_focus_note_for_azerbaijan_quotes_the_proposal(tmp_path):
    html = linkages.focus_note(chapter(tmp_path)).data
    assert "note-info" in html
    assert "put forward an initiative to add mine action to the UN agenda" in html


@pytest.mark.parametrize("country", ["KHM"])
def test_other_countries_get_displays(tmp_path, country):
    ch = chapter(tmp_path, country=country)
    displays = [
        linkages.goal_chart(ch),
        linkages.global_table(ch),
        linkages.sdg16_indicators_table(ch),
        linkages.aggregate_studies_table(ch),
        linkages.framework_table(ch),
        linkages.national_linkages_table(ch),
        linkages.national_indicators_table(ch),
        linkages.focus_note(ch),
    ]
    assert all(isinstance(d, HTML) for d in displays)
    focus = linkages.findings(ch)[2].text
    if country == "KHM":
        assert focus.startswith(
            "Cambodia's own framework, its national CSDG 18 (adopted), has 3 targets and 6 indicators"
        )
        assert "18.1, 18.2 and 18.3" in displays[-1].data
    else:
        assert focus.startswith("The data hold no national SDG 18 framework or proposal for France.")
        assert "note-missing" in displays[-1].data


def test_caveats_show_no_curation_notes(tmp_path):
    ch = chapter(tmp_path)
    national = linkages.national_linkages_table(ch).data
    glob = linkages.global_table(ch).data
    for html in (national, glob):
        for curation in (".csv", "research notes", "README", "sdg_target"):
            assert curation not in html, curation
    # the reader-relevant part stays: the CSDG 18.3 target text (S190), the truncated indicator text
    assert "18.3 Promote the rights" in national and "indicator text truncated" in national
    assert "the article names only the goal, so the target is left empty" in glob
