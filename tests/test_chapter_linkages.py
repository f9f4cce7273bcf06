"""Chapter 6 (mine action across the SDGs): the data-following frames as snapshots, data edits that
change them, sections left out when the data do not support them, and Cambodia's own chapter."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest

from conftest import frame_text, open_test_chapter, read_rows, write_rows
from demining_sdg.chapters import linkages
from demining_sdg.chapters.sections import Section

SECTIONS = [value for value in vars(linkages).values() if isinstance(value, Section)]
SNAPSHOT_FRAMES = {
    "findings": linkages.findings,
    "goal_chart": linkages.goal_chart,
    "framework_counts": linkages.framework_counts,
    "aggregate_studies": linkages.aggregate_studies,
}


def edit(path: Path, key: str, **cells: str) -> None:
    """Set cells of the row whose first column is ``key`` (a new row when no row has it)."""
    header, rows = read_rows(path)
    row = next((r for r in rows if r[0] == key), None)
    if row is None:
        row = [""] * len(header)
        row[0] = key
        rows.append(row)
    for column, value in cells.items():
        row[header.index(column)] = value
    write_rows(path, header, rows)


@pytest.mark.parametrize("name", SNAPSHOT_FRAMES)
@pytest.mark.parametrize("country", ["AZE", "KHM"])
def test_frames_follow_the_data(tmp_path: Path, snapshot, name: str, country: str):
    """Snapshots of the real data's frames (update after adding data: make snapshots)."""
    frame = SNAPSHOT_FRAMES[name](open_test_chapter(tmp_path, country=country).ctx)
    assert frame_text(frame) == snapshot
    assert frame.attrs == snapshot(name="attrs")


def test_the_entry_point_is_the_goal_linked_at_indicator_level(tmp_path: Path):
    ctx = open_test_chapter(tmp_path).ctx
    chart = linkages.goal_chart(ctx)
    entry = chart[chart["series"] == "entry_point"]
    glob = linkages.global_links(ctx)
    assert set(entry["sdg_goal"]) == set(glob.loc[glob["sdg_indicator"].notna(), "sdg_goal"])
    assert chart.index[chart["series"] == "entry_point"].min() == 0  # drawn first
    indicators = linkages.entry_indicators(ctx)
    assert set(indicators["target_code"]) == set(glob.loc[glob["sdg_indicator"].notna(), "sdg_target"])


def test_moving_a_linkage_changes_the_chart_and_its_title(data_copy: Path, tmp_path: Path):
    before = open_test_chapter(tmp_path / "before")
    glob = linkages.global_links(before.ctx)
    entry_goal = int(glob.loc[glob["sdg_indicator"].notna(), "sdg_goal"].iloc[0])
    moved = glob[glob["sdg_goal"] != entry_goal].iloc[0]
    edit(data_copy / "sdg_linkages.csv", moved["linkage_id"], sdg_goal=str(entry_goal))
    after = open_test_chapter(tmp_path / "after", data_copy)
    old, new = linkages.goal_chart(before.ctx), linkages.goal_chart(after.ctx)
    assert new.iloc[0]["y"] == old.iloc[0]["y"] + 1
    assert frame_text(new) != frame_text(old)
    shown = after.show(linkages.GOAL_CHART)
    assert f"SDG {entry_goal} holds {new.iloc[0]['y']} of the" in shown.html


def test_an_appended_indicator_level_link_makes_a_second_entry_point(data_copy: Path, tmp_path: Path):
    edit(
        data_copy / "sdg_linkages.csv",
        "L99",
        mine_action_output="synthetic test output",
        sdg_goal="3",
        sdg_target="3.9",
        sdg_indicator="3.9.1",
        framework="global",
        rationale="Synthetic test rationale.",
        source_id="S187",
        excerpt="Of particular relevance is target 3.9 of the SDGs",
    )
    ctx = open_test_chapter(tmp_path, data_copy).ctx
    chart = linkages.goal_chart(ctx)
    assert set(chart.loc[chart["series"] == "entry_point", "x"]) >= {"SDG 3"}
    entry = linkages.findings(ctx).set_index("message").loc["entry_point"]
    assert "3.9.1" in entry["indicators"]


def test_aggregate_studies_are_read_from_the_notes(data_copy: Path, tmp_path: Path):
    studies = linkages.aggregate_studies(open_test_chapter(tmp_path / "real").ctx)
    assert len(studies) >= 1 and studies["excerpt"].str.contains(linkages.GOAL_COUNT).all()
    path = data_copy / "sdg_linkages.csv"
    header, rows = read_rows(path)
    for row in rows:
        row[header.index("notes")] = re.sub(r"\bS\d{3}\b", "", row[header.index("notes")])
    write_rows(path, header, rows)
    ch = open_test_chapter(tmp_path / "edited", data_copy)
    shown = ch.show(linkages.AGGREGATE_STUDIES)
    assert (
        shown.html is None and shown.omitted == "the data hold no aggregate study findings on mine action and the SDGs"
    )


def test_without_global_links_the_global_sections_are_left_out(data_copy: Path, tmp_path: Path):
    path = data_copy / "sdg_linkages.csv"
    header, rows = read_rows(path)
    write_rows(path, header, [r for r in rows if r[header.index("framework")] != "global"])
    ch = open_test_chapter(tmp_path, data_copy)
    for section in (linkages.GOAL_CHART, linkages.GLOBAL_TABLE, linkages.ENTRY_INDICATORS):
        shown = ch.show(section)
        assert shown.html is None and shown.omitted.startswith("the data hold no")
    assert ch.show(linkages.NATIONAL_LINKS).html


def test_a_country_without_its_own_framework_gets_no_own_framework_finding(data_copy: Path, tmp_path: Path):
    profile = data_copy / "profiles" / "KHM.yaml"
    profile.write_text(re.sub(r"(?m)^sdg_framework: .*$", "sdg_framework: null", profile.read_text()))
    ch = open_test_chapter(tmp_path, data_copy, country="KHM")
    assert "own_framework" not in set(linkages.findings(ch.ctx)["message"])
    shown = ch.show(linkages.FRAMEWORKS).html + ch.show(linkages.NATIONAL_LINKS).html
    assert "own first" not in shown and "own comes first" not in shown


def test_cambodia_gets_its_own_framework_first(tmp_path: Path):
    ch = open_test_chapter(tmp_path, country="KHM")
    own = linkages.findings(ch.ctx).set_index("message").loc["own_framework"]
    assert own["own"]["iso3"] == "KHM" and own["other"] is None  # the framework with most indicators
    national = linkages.NATIONAL_LINKS.data(ch.ctx)
    assert national.iloc[0]["iso3"] == "KHM" and national["is_own"].iloc[0]
    findings = html.unescape(ch.show(linkages.FINDINGS).html)
    assert "Cambodia's own framework" in findings and "For comparison" not in findings


def test_azerbaijan_is_compared_with_the_framework_with_most_indicators(tmp_path: Path):
    ch = open_test_chapter(tmp_path)
    own = linkages.findings(ch.ctx).set_index("message").loc["own_framework"]
    counts = linkages.framework_counts(ch.ctx)
    richest = counts[~counts["is_global"]].sort_values("indicators", ascending=False).iloc[0]
    assert own["other"]["framework_label"] == richest["framework_label"]
    assert "For comparison" in ch.show(linkages.FINDINGS).html


@pytest.mark.parametrize("country", ["AZE", "KHM"])
def test_every_section_renders_clean_text(tmp_path: Path, country: str):
    ch = open_test_chapter(tmp_path, country=country)
    for section in SECTIONS:
        shown = ch.show(section)
        assert shown.html, f"{section.key} left out for {country}: {shown.omitted}"
        text = re.sub(r'data:image/svg\+xml;base64,[^"]+', "", shown.html)
        assert "{{" not in text and not re.search(r"\b(?:None|nan|NaN|NaT)\b", text), section.key
        assert "not available for" not in text and "specific to" not in text
        assert not re.search(r"\b(?:CLR|CAS|FUN|CON|POP)\d{3}\b", text)
    assert (tmp_path / "06_linkages_per_goal.png").stat().st_size > 0


def test_long_indicator_tables_are_in_the_annex_and_abbreviations_written_out(tmp_path: Path):
    sections = [v for v in vars(linkages).values() if isinstance(v, Section)]
    assert {s.name for s in sections if s.placement == "annex"} == {
        "entry_indicators",
        "national_links",
        "national_indicators",
    }
    html = open_test_chapter(tmp_path).show(linkages.FINDINGS).html
    assert "Cambodian Sustainable Development Goals (CSDG)" in html
