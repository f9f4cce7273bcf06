"""Chapter 5 (casualties and SDG 16.1): values that follow the data are snapshots; the behaviour
tests change or add rows, break a requirement, and render the chapter for Cambodia."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from conftest import frame_text, open_test_chapter, read_rows, set_cell, write_rows
from demining_sdg.chapters import casualties
from demining_sdg.chapters.sections import Section
from demining_sdg.present.chapter import DEFAULT_MISSING, section_label

SECTIONS = [v for v in vars(casualties).values() if isinstance(v, Section)]
FRAMES = (
    casualties.findings,
    casualties.recorders_chart,
    casualties.recorder_pair,
    casualties.recorder_conflicts,
    casualties.running_count,
    casualties.civil_military,
    casualties.recent_counts,
    casualties.annual_rates,
    casualties.denominator_check,
    casualties.global_totals,
    casualties.global_shares,
    casualties.revisions,
    casualties.world_causes,
)


def row_index(path: Path, obs_id: str) -> int:
    header, rows = read_rows(path)
    return [r[header.index("obs_id")] for r in rows].index(obs_id)


def shown_text(shown) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", shown.html or ""))


@pytest.mark.parametrize("country", ["AZE", "KHM"])
@pytest.mark.parametrize("data", FRAMES, ids=lambda f: f.__name__)
def test_frames_follow_the_data(tmp_path: Path, snapshot, country: str, data):
    """Snapshots of the real data's frames (update after adding data: make snapshots)."""
    ch = open_test_chapter(tmp_path, country=country)
    frame = ch.ctx.once(data)
    assert frame_text(frame) == snapshot
    assert {k: v for k, v in frame.attrs.items() if not isinstance(v, dict | list)} == snapshot


@pytest.mark.parametrize("country", ["AZE", "KHM"])
def test_every_section_renders_or_is_left_out_with_its_reason(tmp_path: Path, snapshot, country: str):
    ch = open_test_chapter(tmp_path, country=country)
    outcome = {}
    for section in SECTIONS:
        shown = ch.show(section)
        outcome[section.name] = shown.omitted or "shown"
        text = shown_text(shown) + (shown.omitted or "")
        assert "{{" not in text and not re.search(r"\b(?:None|nan|NaN|NaT)\b", text), section.key
        assert "not available for" not in text and "specific to" not in text, section.key
        assert shown.omitted != DEFAULT_MISSING, section.key
    assert outcome == snapshot
    titles = {p.stem: json.loads(p.read_text())["title"] for p in sorted(tmp_path.glob("*.json"))}
    assert titles == snapshot
    assert all(len(t) <= 90 for t in titles.values()), titles


def test_every_section_has_static_words_for_the_annex():
    for section in SECTIONS:
        assert section_label(section) != section.name.replace("_", " "), section.key


def test_recorders_come_in_the_profiles_order_and_the_pair_is_oriented_by_the_data(tmp_path: Path):
    ch = open_test_chapter(tmp_path)
    frame = ch.ctx.once(casualties.recorders_chart)
    order = [ch.profile.recorders.index(s) for s in dict.fromkeys(frame["series"])]
    assert order == sorted(order) and len(order) >= 2
    pair = ch.ctx.once(casualties.recorder_pair)
    assert (pair["difference"] > 0).sum() >= (pair["difference"] < 0).sum()
    assert frame.attrs["higher"] == pair["recorder"].iloc[0]
    flagged = ch.ctx.once(casualties.annual_by_recorder)["flagged"]
    assert (frame["kind"] == "flagged").sum() == flagged.sum() > 0


def test_the_recorders_basis_is_computed_once_per_render(tmp_path: Path, monkeypatch):
    calls = []
    original = casualties.annual_by_recorder

    def counted(ctx):
        calls.append(1)
        return original(ctx)

    monkeypatch.setattr(casualties, "annual_by_recorder", counted)
    ch = open_test_chapter(tmp_path)
    for section in SECTIONS:
        ch.show(section)
    assert len(calls) == 1


def test_headlines_keep_the_scope_the_rows_state(tmp_path: Path):
    """A running count 'since <start> (mainly <focus area>)' is never headlined as being 'in' the area."""
    ch = open_test_chapter(tmp_path)
    rows = ch.ctx.once(casualties.focus_cumulative)
    stated = set(rows["scope"].dropna())
    finding = next(r for r in ch.ctx.once(casualties.findings).to_dict("records") if r["message"] == "cumulative")
    assert finding["scope"] in stated
    ch.show(casualties.RUNNING_COUNT)
    meta = json.loads((tmp_path / "05_casualties_running_count.json").read_text())
    assert ch.profile.focus.label not in meta["title"] + meta["subtitle"]
    assert all(scope in meta["subtitle"] for scope in stated)
    findings = shown_text(ch.show(casualties.FINDINGS))
    assert f"“{finding['scope']}”" in findings and ch.profile.focus.label not in findings


def test_an_appended_running_total_becomes_the_headline(data_copy: Path, tmp_path: Path):
    path = data_copy / "casualties.csv"
    header, rows = read_rows(path)
    focus = open_test_chapter(tmp_path).profile.focus_scope
    col = header.index
    template = next(
        r
        for r in rows
        if r[col("programme_scope")] == focus and r[col("period_type")] == "cumulative" and r[col("outcome")] == "total"
    )
    added = list(template)
    for column, value in {
        "obs_id": "CAS999",
        "period_end": "2025-06-30",
        "date_precision": "day",
        "value": "400",
        "value_as_reported": "400",
        "qualifier": "exact",
        "excerpt": "Synthetic test row: 400 people killed or injured",
        "quality_flag": "",
    }.items():
        added[col(column)] = value
    write_rows(path, header, rows + [added])
    ch = open_test_chapter(tmp_path, data_copy)
    frame = ch.ctx.once(casualties.running_count)
    assert frame.attrs["last"]["obs_id"] == "CAS999"
    assert "reached 400 by 30 Jun 2025" in shown_text(ch.show(casualties.RUNNING_COUNT))
    assert "By 30 Jun 2025, 400 people had been killed or injured" in shown_text(ch.show(casualties.FINDINGS))


def test_a_changed_split_changes_the_finding(data_copy: Path, tmp_path: Path):
    path = data_copy / "casualties.csv"
    split = open_test_chapter(tmp_path).ctx.once(casualties.civil_military)
    latest = split[split["complete"]].iloc[-1]
    header, rows = read_rows(path)
    col = header.index
    target = next(
        i
        for i, r in enumerate(rows)
        if r[col("source_id")] == latest["source_id"]
        and r[col("period_end")] == latest["date"].strftime("%Y-%m-%d")
        and r[col("population_group")] == "civilian"
        and r[col("outcome")] == "injured"
    )
    set_cell(path, target, "value", "999")
    set_cell(path, target, "value_as_reported", "999")
    set_cell(path, target, "excerpt", "Synthetic test row: 999 civilians injured")
    text = shown_text(open_test_chapter(tmp_path, data_copy).show(casualties.FINDINGS))
    assert "more military personnel than civilians were injured" not in text
    assert "999 civilians" in text


def test_a_changed_population_changes_the_rate(data_copy: Path, tmp_path: Path):
    ch = open_test_chapter(tmp_path)
    rates = ch.ctx.once(casualties.annual_rates)
    year = int(rates["year"].max())
    path = data_copy / "population.csv"
    header, rows = read_rows(path)
    col = header.index
    target = next(
        i
        for i, r in enumerate(rows)
        if r[col("iso3")] == ch.country and r[col("year")] == str(year) and r[col("publisher")] == "World Bank"
    )
    set_cell(path, target, "value", "10000000")
    set_cell(path, target, "value_as_reported", "10000000")
    set_cell(path, target, "excerpt", "Synthetic test row: 10000000")
    changed = open_test_chapter(tmp_path, data_copy)
    latest = changed.ctx.once(casualties.annual_rates).query("year == @year")
    assert (latest["population"] == 10_000_000).all()
    expected = f"{latest['casualties'].iloc[-1] / 10_000_000 * 100_000:.3f}"
    text = shown_text(changed.show(casualties.FINDINGS))
    assert "population of 10,000,000" in text and f"give {expected} casualties per 100,000" in text


def test_a_method_note_naming_a_recorder_not_shown_is_left_out(data_copy: Path, tmp_path: Path):
    assert open_test_chapter(tmp_path).show(casualties.METHOD_NOTE).html
    path = data_copy / "method_notes.csv"
    header, rows = read_rows(path)
    for i, row in enumerate(rows):
        set_cell(path, i, "subjects", row[header.index("subjects")] + ";a_recorder_not_shown")
    shown = open_test_chapter(tmp_path, data_copy).show(casualties.METHOD_NOTE)
    assert shown.html is None and "no note" in shown.omitted


def test_cambodia_gets_its_own_chapter(tmp_path: Path):
    ch = open_test_chapter(tmp_path, country="KHM")
    assert ch.profile.focus.starts is None
    for section in (casualties.RUNNING_COUNT, casualties.SPLIT_TABLE, casualties.RECENT_TABLE):
        shown = ch.show(section)
        assert shown.html is None and ch.profile.name in shown.omitted
    chart = ch.ctx.once(casualties.recorders_chart)
    assert set(chart["series"]) <= set(ch.profile.recorders) and chart.attrs["n_shared"] == 0
    assert "Latest annual count" in shown_text(ch.show(casualties.RECORDERS_CHART))
    findings = shown_text(ch.show(casualties.FINDINGS))
    assert "Cambodia" in findings and "Azerbaijan" not in findings
    rates = shown_text(ch.show(casualties.RATES_TABLE))
    assert "Cambodia" in rates and "Azerbaijan" not in rates
