"""Chapter 4 (clearance and land release) on sections: what each section shows for Azerbaijan and
Cambodia follows the data (snapshots; update after adding data: make snapshots), and behaviour
that must hold whatever the data: scopes kept apart, partial and monthly figures never shown as
totals, sections left out with a reason."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import pandas as pd
import pytest

from conftest import frame_text, open_test_chapter, read_rows, set_cell, write_rows
from demining_sdg.chapters import clearance
from demining_sdg.chapters.sections import Bars, Summary, Table, TimeSeries

SHOWN = tuple(section for section in clearance.SECTIONS if not isinstance(section.view, Summary))
SECTIONS = {section.name: section for section in SHOWN}
BULLETIN_SECTIONS = ("bulletins", "bulletin_chart")
ENDED = ("ended_items", "ended_area", "ended_table")
BAD_TEXT = re.compile(r"\{\{|\{%|\bNone\b|\bnan\b|\bNaN\b|\bNaT\b|not available for|specific to")


def text_of(markup: str) -> str:
    """The reader's words of some HTML (images and their data left out)."""
    markup = re.sub(r"<img[^>]*>|<svg.*?</svg>", "", markup, flags=re.S)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", markup)).split())


def shown(ch, name: str) -> str:
    """What a section shows, as text: the reason it is left out; a table's columns; a chart's
    frame with its title, subtitle and alt text; the words of findings and notes."""
    section = SECTIONS[name]
    result = ch.show(section)
    if result.html is None:
        return f"left out: {result.omitted}\n"
    view = section.view
    if isinstance(view, Table):
        columns = [c for c in (*view.columns, "source_ids") if c in result.frame.columns]
        return frame_text(result.frame[list(dict.fromkeys(columns))])
    if isinstance(view, TimeSeries | Bars):
        meta = json.loads((ch.figures_dir / f"{view.figure}.json").read_text(encoding="utf-8"))
        return "\n".join(meta[k] for k in ("title", "subtitle", "alt")) + "\n" + frame_text(result.frame)
    return text_of(result.html) + "\n"


def summary_texts(ch) -> list[str]:
    """The executive-summary sentences the chapter gives (none when the data allow no judgement)."""
    return [message["text"] for message in ch.show(clearance.SUMMARY).messages]


def added_row(path: Path, template_obs: str, obs_id: str, reported: str, **values: str) -> None:
    """Append a copy of row ``template_obs`` as ``obs_id`` reporting ``reported`` (its excerpt states
    it), with ``values`` changed."""
    header, rows = read_rows(path)
    new = list(next(r for r in rows if r[header.index("obs_id")] == template_obs))
    values |= {"obs_id": obs_id, "value_as_reported": reported, "excerpt": f"Test row: {reported}", "quality_flag": ""}
    for column, value in values.items():
        new[header.index(column)] = value
    write_rows(path, header, rows + [new])


def row_index(path: Path, obs_id: str) -> int:
    header, rows = read_rows(path)
    return next(i for i, r in enumerate(rows) if r[header.index("obs_id")] == obs_id)


# -- what the chapter shows follows the data --------------------------------------------------


@pytest.mark.parametrize("name", SECTIONS)
def test_azerbaijan_sections_follow_the_data(aze, name, snapshot):
    assert shown(aze, name) == snapshot


@pytest.mark.parametrize("name", SECTIONS)
def test_cambodia_sections_follow_the_data(khm, name, snapshot):
    assert shown(khm, name) == snapshot


@pytest.mark.parametrize("country", ["aze", "khm"])
def test_rendered_text_is_clean(country, request):
    ch = request.getfixturevalue(country)
    for section in SHOWN:
        result = ch.show(section)
        words = text_of(result.html) if result.html else result.omitted
        assert not BAD_TEXT.search(words), (section.key, BAD_TEXT.search(words))
        assert "CLR" not in words, section.key  # observation ids never in the reader's text


def test_chart_files_have_titles_alt_texts_and_every_plotted_source(aze):
    for section in SHOWN:
        if isinstance(section.view, TimeSeries | Bars):
            frame = aze.frame_of(section)[0]
            meta = json.loads((aze.figures_dir / f"{section.view.figure}.json").read_text(encoding="utf-8"))
            assert meta["title"] and len(meta["title"]) <= 90 and len(meta["alt"]) > 40, section.key
            for source_id in frame["source_id"].dropna():  # named by its short citation ('Trend, 2023h')
                publisher, _, year = aze.citations[source_id].rpartition(", ")
                assert publisher in meta["source"] and year in meta["source"], (section.key, source_id)


# -- scopes -----------------------------------------------------------------------------------


def test_the_ended_scope_comes_from_the_profile_and_is_never_added(aze):
    ended = clearance.ended_scope(aze.ctx)
    assert ended is not None and ended.ends is not None and ended.code != aze.profile.focus_scope
    frame = aze.frame_of(SECTIONS["ended_items"])[0]
    shorts = {s.code: s.short for s in aze.profile.scopes}
    assert shorts[ended.code] in set(frame["series"])
    assert set(frame["series"]) <= set(shorts.values())  # one line per scope, no sum of scopes
    finding = aze.frame_of(SECTIONS["findings"])[0].iloc[0]
    assert finding["message"] == "ended" and finding["scope"] == ended.label


def test_without_an_ended_scope_its_sections_are_left_out_with_the_reason(data_copy, tmp_path):
    path = data_copy / "profiles" / "AZE.yaml"
    path.write_text(re.sub(r"\n\s+ends: [0-9-]+", "", path.read_text(encoding="utf-8")), encoding="utf-8")
    ch = open_test_chapter(tmp_path, data_copy)
    for name in ENDED:
        result = ch.show(SECTIONS[name])
        assert result.html is None and "Azerbaijan" in result.omitted and "{{" not in result.omitted
    assert "ended" not in set(ch.frame_of(SECTIONS["findings"])[0]["message"])
    assert ch.show(SECTIONS["items"]).html is not None  # the focus scope's sections stay


def test_cambodia_has_one_scope_and_gets_its_own_sections(khm):
    for name in ENDED:
        result = khm.show(SECTIONS[name])
        assert result.html is None and "Cambodia" in result.omitted
    bars = khm.show(SECTIONS["area_by_year"])
    assert bars.html is not None and "Cambodia" in bars.html
    assert set(bars.frame["source_id"]) <= set(khm.ctx.once(clearance.clearance_rows)["source_id"])
    assert khm.frame_of(SECTIONS["cumulative_area"])[0]["kind"].ne("reference").all()  # no area target held


# -- what is never shown as a total ----------------------------------------------------------


def test_partial_figures_are_never_a_years_full_bar(aze, khm):
    for ch in (aze, khm):
        bars = ch.frame_of(SECTIONS["area_by_year"])[0]
        rows = ch.ctx.once(clearance.clearance_rows).query("period_type == 'annual'")
        drawn = bars.merge(rows, left_on=["x", "source_id", "y"], right_on=["year", "source_id", "hectares"])
        assert len(drawn) == len(bars)  # every bar is one annual row, never a sum
        operators = drawn["operator_scope"].fillna("all operators")
        partial = (
            drawn["quality_flag"].notna()
            | (drawn["item_category"] != "all")
            | ~operators.str.match("all operators(?! excl)")
        )
        assert partial.any() and (drawn.loc[partial, "kind"] == "partial").all()


def test_monthly_rows_are_never_annual_or_cumulative(data_copy, tmp_path):
    path = data_copy / "clearance.csv"
    added_row(path, "CLR072", "CLR990", "4,321.5 hectares", value="4321.5")  # focus scope, area, monthly
    added_row(path, "CLR071", "CLR991", "4,321 unexploded ordnance", value="4321")  # focus scope, UXO, monthly
    weekly = {
        "period_type": "weekly",
        "period_start": "2026-11-02",
        "period_end": "2026-11-08",
        "date_precision": "day",
    }
    added_row(path, "CLR072", "CLR994", "1,651 hectares", value="1651", **weekly)
    ch = open_test_chapter(tmp_path, data_copy)
    for section in SHOWN:
        result = ch.show(section)
        if result.frame is not None and section.name not in BULLETIN_SECTIONS:
            assert not re.search(r"4321|4,321|1651|1,651", frame_text(result.frame) + text_of(result.html)), section.key
    # the bulletins list them as reported, newest first, one point a bulletin, never a sum
    listed = ch.frame_of(SECTIONS["bulletins"])[0]
    assert listed["obs_id"].iloc[0] == "CLR994" and listed["period_end"].is_monotonic_decreasing
    assert len(listed) <= clearance.MAX_BULLETINS and {"CLR990", "CLR991"} <= set(listed["obs_id"])
    chart = ch.show(SECTIONS["bulletin_chart"])
    assert list(chart.frame["y"].tail(2)) == [4321.5, 1651.0] and chart.frame["kind"].ne("derived").all()
    assert "not annual totals" in text_of(chart.html) and "1,651 ha cleared in the latest bulletin" in text_of(
        chart.html
    )


def test_the_summary_judges_the_target_and_the_pace(aze, data_copy, tmp_path):
    (text,) = summary_texts(aze)
    share = aze.ctx.once(clearance.summary).iloc[0]["share"]
    assert f"about {share:.0f}% of the official target" in text and "on track (derived)" in text
    assert aze.show(clearance.SUMMARY).messages[0]["link"] == "clearance-progress"
    path = data_copy / "clearance.csv"
    set_cell(path, row_index(path, "CLR050"), "value", "1000")  # the latest full year: a far slower pace
    (slower,) = summary_texts(open_test_chapter(tmp_path, data_copy))
    assert "would not be reached in time: off track (derived)" in slower and not BAD_TEXT.search(slower)


def test_cambodia_has_no_target_summary_and_no_bulletins(khm):
    assert not summary_texts(khm)
    for name in BULLETIN_SECTIONS:
        assert khm.show(SECTIONS[name]).html is None


def test_audit_tables_go_to_the_annex(aze):
    annexed = {s.name for s in SHOWN if s.placement == "annex"}
    assert annexed == {"by_method", "ended_table", "off_series", "increments", "area_table"}
    for name in annexed:
        assert aze.show(SECTIONS[name]).html.startswith('<div class="placement-annex"'), name


# -- changed and appended rows ----------------------------------------------------------------


def test_a_changed_cumulative_area_changes_the_share_of_the_target(data_copy, tmp_path):
    path = data_copy / "clearance.csv"
    set_cell(path, row_index(path, "CLR108"), "value", "140000")
    ch = open_test_chapter(tmp_path, data_copy)
    findings = ch.show(SECTIONS["findings"])
    progress = findings.frame.set_index("message").loc["progress"]
    assert progress["share"] == pytest.approx(140000 / progress["target"]["value"] * 100)
    assert "140,000 ha had been cleared" in findings.html and "(share derived)" in findings.html


def test_an_appended_precise_figure_extends_the_series_and_the_increments(aze, data_copy, tmp_path):
    path = data_copy / "clearance.csv"
    added_row(path, "CLR105", "CLR992", "31,500 anti-personnel mines", value="31500", period_end="2024-06-30")
    added_row(path, "CLR106", "CLR993", "19,000 anti-tank mines", value="19000", period_end="2024-06-30")
    ch = open_test_chapter(tmp_path, data_copy)
    latest = clearance.latest_by_type(ch.ctx)
    assert set(latest["value"]) == {31500, 19000} and set(latest["period_end"]) == {pd.Timestamp("2024-06-30")}
    increments = ch.frame_of(SECTIONS["increments"])[0]
    assert len(increments) == len(aze.frame_of(SECTIONS["increments"])[0]) + 2
    assert (increments["period_end"] == pd.Timestamp("2024-06-30")).sum() == 2
    assert "31,500 anti-personnel mines" in ch.show(SECTIONS["findings"]).html


def test_a_flagged_figure_leaves_the_series_and_is_listed(data_copy, tmp_path):
    path = data_copy / "clearance.csv"
    set_cell(path, row_index(path, "CLR101"), "quality_flag", "inconsistent_with_series")  # UXO, Nov 2023
    ch = open_test_chapter(tmp_path, data_copy)
    items = ch.frame_of(SECTIONS["items"])[0]
    point = items[(items["series"] == "UXO") & (items["x"] == pd.Timestamp("2023-11-28"))]
    assert list(point["kind"]) == ["flagged"]
    listed = ch.frame_of(SECTIONS["off_series"])[0]
    assert ((listed["item_category"] == "UXO") & (listed["as_of"] == "2023-11-28")).any()
    increments = ch.frame_of(SECTIONS["increments"])[0].query("code == 'UXO'")
    assert pd.Timestamp("2023-11-28") not in set(increments["period_end"]) | set(increments["period_start"])


# -- any country ------------------------------------------------------------------------------


@pytest.mark.parametrize("country", ["XAA", "XBB", "XCC"])
def test_synthetic_countries_get_sections_or_reasons(synthetic_data_dir, tmp_path, country):
    ch = open_test_chapter(tmp_path, synthetic_data_dir, country=country)
    results = [ch.show(section) for section in SHOWN]
    for result in results:
        words = text_of(result.html) if result.html else result.omitted
        assert words and not BAD_TEXT.search(words), (result.section.key, words)
    assert not any(BAD_TEXT.search(text) for text in summary_texts(ch))
    if country == "XCC":  # funding rows only
        assert all(r.html is None for r in results)
