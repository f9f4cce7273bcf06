"""Chapter 8 (comparison with another programme): the first comparator of the focus country's profile."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from conftest import frame_text, open_test_chapter, read_rows, set_cell, write_rows
from demining_sdg.chapters import comparison
from demining_sdg.chapters.sections import Section

SECTIONS = [value for value in vars(comparison).values() if isinstance(value, Section)]
FRAMES = [
    comparison.annual_casualties,
    comparison.casualty_chart,
    comparison.part_year_reports,
    comparison.land_released,
    comparison.land_released_periods,
    comparison.cleared_and_remaining,
    comparison.deadlines,
    comparison.side_by_side,
    comparison.findings,
]


def row_index(path: Path, obs_id: str) -> int:
    header, rows = read_rows(path)
    return [r[header.index("obs_id")] for r in rows].index(obs_id)


def texts(ch) -> str:
    return " ".join(ch.show(section).html or "" for section in SECTIONS)


@pytest.mark.parametrize("data", FRAMES, ids=lambda f: f.__name__)
def test_frames_follow_the_data(tmp_path: Path, snapshot, data):
    """Snapshots of the real data's frames (update after adding data: make snapshots)."""
    assert frame_text(data(open_test_chapter(tmp_path).ctx)) == snapshot


@pytest.mark.parametrize("data", [comparison.side_by_side, comparison.findings], ids=lambda f: f.__name__)
def test_cambodia_frames_follow_the_data(tmp_path: Path, snapshot, data):
    assert frame_text(data(open_test_chapter(tmp_path, country="KHM").ctx)) == snapshot


def test_the_comparator_is_the_first_of_the_profile(tmp_path: Path):
    ch = open_test_chapter(tmp_path)
    other = comparison.comparator(ch.ctx)
    assert other.country == ch.profile.comparators[0] and other.profile.iso3 == other.country
    frame = comparison.annual_casualties(ch.ctx)
    assert frame.attrs["comparator"] == other.profile.name
    assert frame["source_id"].notna().all()


def test_a_changed_ceiling_changes_the_ratio(data_copy: Path, tmp_path: Path):
    before = comparison.casualty_chart(open_test_chapter(tmp_path).ctx).attrs["ratio"]
    path = data_copy / "contamination_targets.csv"
    set_cell(path, row_index(path, "CON046"), "value", str(20))
    ch = open_test_chapter(tmp_path, data_copy)
    assert comparison.casualty_chart(ch.ctx).attrs["ratio"] == pytest.approx(before / 2)
    assert f"{before / 2:.1f} times (derived)" in ch.show(comparison.FINDINGS).html


def test_an_appended_annual_total_becomes_the_latest_against_the_ceiling(data_copy: Path, tmp_path: Path):
    path = data_copy / "casualties.csv"
    header, rows = read_rows(path)
    other = comparison.comparator(open_test_chapter(tmp_path).ctx)
    col = header.index
    template = next(
        r
        for r in rows
        if r[col("iso3")] == other.country
        and r[col("period_type")] == "annual"
        and r[col("outcome")] == "total"
        and r[col("population_group")] == "all"
    )
    added = list(template)
    for column, value in {
        "obs_id": "CAS999",
        "period_start": "2025-01-01",
        "period_end": "2025-12-31",
        "value": "12",
        "value_as_reported": "12",
        "excerpt": "Synthetic test row: 12 casualties",
        "quality_flag": "",
    }.items():
        added[col(column)] = value
    write_rows(path, header, rows + [added])
    ch = open_test_chapter(tmp_path, data_copy)
    chart = comparison.casualty_chart(ch.ctx)
    assert chart.attrs["year"] == 2025 and chart.attrs["value"] == 12
    assert "2025" in set(chart["x"])
    assert "12 mine/ERW casualties in 2025" in ch.show(comparison.FINDINGS).html


def test_cambodia_gets_its_own_sections_about_its_comparator(tmp_path: Path):
    ch = open_test_chapter(tmp_path, country="KHM")
    other = comparison.comparator(ch.ctx).profile
    assert other.iso3 == ch.profile.comparators[0]
    chart = ch.show(comparison.CASUALTY_CHART)
    assert chart.html is None and "ceiling" in chart.omitted  # the comparator sets no ceiling
    cleared = ch.show(comparison.CLEARED_CHART)
    assert cleared.html and f">Clearance so far: {other.name}</h2>" in cleared.html
    assert other.focus.label in cleared.html  # the comparator's scope is said
    side = ch.show(comparison.SIDE_BY_SIDE)
    assert list(side.frame["country"].drop_duplicates()) == [ch.profile.name, other.name]
    assert side.frame.groupby("measure")["country"].nunique().eq(2).all()
    assert f"{other.name} had cleared" in ch.show(comparison.FINDINGS).html


def test_without_a_comparator_every_section_is_left_out(data_copy: Path, tmp_path: Path):
    path = data_copy / "profiles" / "AZE.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(re.sub(r"(?m)^comparators: .*$", "comparators: []", text), encoding="utf-8")
    ch = open_test_chapter(tmp_path, data_copy)
    for section in SECTIONS:
        shown = ch.show(section)
        assert shown.html is None and "no other programme" in shown.omitted, section.key


def test_findings_say_the_ceiling_the_trend_and_the_deadline(tmp_path: Path):
    ch = open_test_chapter(tmp_path)
    frame = comparison.findings(ch.ctx)
    assert list(frame["message"]) == ["ceiling", "trend", "cleared", "remaining", "deadline"]
    html = ch.show(comparison.FINDINGS).html
    ceiling = comparison.casualty_chart(ch.ctx).attrs
    assert f"{ceiling['ratio']:.1f} times (derived)" in html and ceiling["ceiling_as_reported"] in html
    assert f"is now the end of {comparison.deadlines(ch.ctx).iloc[-1]['deadline_year']}." in html
    assert "Cambodian Sustainable Development Goals (CSDG)" in html  # the abbreviation written out at first use


def test_row_by_row_tables_and_conflicts_are_in_the_annex():
    annex = {s.name for s in SECTIONS if s.placement == "annex"}
    assert annex == {"casualty_table", "part_year_table", "part_year_conflicts", "land_released_conflicts"} | {
        "cleared_table",
        "deadlines",
    }
    assert all(s.placement == "main" for s in SECTIONS if s.name.endswith("chart") or s.name == "side_by_side")


@pytest.mark.parametrize("country", ["AZE", "KHM"])
def test_rendered_text_is_clean_and_charts_are_complete(tmp_path: Path, country: str):
    ch = open_test_chapter(tmp_path, country=country)
    html = texts(ch)
    assert html
    for bad in ("{{", "not available for", "specific to"):
        assert bad not in html
    assert not re.search(r"\b(?:None|nan|NaN|NaT)\b", re.sub(r"<[^>]+>", " ", html))
    for meta in tmp_path.glob("08_comparison_*.json"):
        found = json.loads(meta.read_text())
        assert found["title"] and len(found["title"]) <= 80, found["title"]
        assert len(found["alt"]) > 40 and re.search(r"\w, (?:\d{4}[a-z]?|n\.d\.)\b", found["source"])  # cited
        assert not re.search(r"\b(?:None|nan|NaN)\b|\{\{", found["title"] + found["subtitle"] + found["alt"])
