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
from demining_sdg.present.chapter import section_label

SECTIONS = [v for v in vars(casualties).values() if isinstance(v, Section)]
FRAMES = (
    casualties.summary,
    casualties.findings,
    casualties.recorders_chart,
    casualties.recorder_pair,
    casualties.recorder_conflicts,
    casualties.running_count,
    casualties.civil_military,
    casualties.recent_counts,
    casualties.bulletins,
    casualties.annual_rates,
    casualties.denominator_check,
    casualties.global_totals,
    casualties.global_shares,
    casualties.revisions,
    casualties.world_causes,
)
BAD = re.compile(r"\{\{|\b(?:None|nan|NaN|NaT)\b|not available for|specific to|CAS\d{3}")


def shown_text(shown) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", shown.html or ""))


def prose(shown) -> str:
    """The section's text outside its tables (ids belong in tables and source links only)."""
    html = re.sub(
        r"<table.*?</table>|<a [^>]*>S\d{3}</a>|data:image[^\"]+|<svg.*?</svg>", " ", shown.html or "", flags=re.S
    )
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def summary_text(ch) -> str:
    return " ".join(m["text"] for m in ch.show(casualties.SUMMARY).messages)


def append_row(path: Path, template: str, **cells: str) -> None:
    """A copy of the row ``template`` (an obs_id) with other cells, appended to the table."""
    header, rows = read_rows(path)
    added = list(next(r for r in rows if r[header.index("obs_id")] == template))
    for column, value in cells.items():
        added[header.index(column)] = value
    write_rows(path, header, rows + [added])


@pytest.mark.parametrize("country", ["AZE", "KHM"])
@pytest.mark.parametrize("data", FRAMES, ids=lambda f: f.__name__)
def test_frames_follow_the_data(request, snapshot, country: str, data):
    """Snapshots of the real data's frames (update after adding data: make snapshots)."""
    ch = request.getfixturevalue(country.lower())
    frame = ch.ctx.once(data)
    assert frame_text(frame) == snapshot
    assert {k: v for k, v in frame.attrs.items() if not isinstance(v, dict | list)} == snapshot


@pytest.mark.parametrize("country", ["AZE", "KHM"])
def test_every_section_renders_or_is_left_out_with_its_reason(request, snapshot, country: str):
    ch = request.getfixturevalue(country.lower())
    outcome = {}
    for section in SECTIONS:
        shown = ch.show(section)
        outcome[section.name] = shown.omitted or "shown"
        text = prose(shown) + (shown.omitted or "") + " ".join(m["text"] for m in shown.messages)
        assert not BAD.search(text), (section.key, BAD.search(text))
    assert outcome == snapshot
    titles = {p.stem: json.loads(p.read_text())["title"] for p in sorted(ch.figures_dir.glob("*.json"))}
    assert titles == snapshot
    assert all(len(t) <= 90 for t in titles.values()), titles


def test_every_section_has_static_words_for_the_annex():
    for section in SECTIONS:
        label = section_label(section)
        assert label != section.name.replace("_", " ") and "{{" not in label, section.key


def test_the_audit_trail_is_in_the_annex_and_the_findings_stay():
    annex = {s.name for s in SECTIONS if s.placement == "annex"}
    assert annex == {"recorder_conflicts", "denominator_table", "sdg_metadata_table", "revision_note", "shares_table"}
    assert {s.placement for s in SECTIONS if s.view.__class__.__name__ in ("TimeSeries", "Findings")} == {"main"}


def test_the_summary_compares_the_latest_year_with_the_year_before(aze):
    ch = aze
    [message] = ch.show(casualties.SUMMARY).messages
    annual = ch.ctx.once(casualties.annual_totals)
    latest = annual[annual["year"] == annual["year"].max()].iloc[0]
    running = ch.ctx.once(casualties.focus_cumulative)
    assert f"In {latest['year']}," in message["text"] and f"{int(latest['value'])} people" in message["text"]
    assert f"from {int(annual[annual['year'] == latest['year'] - 1]['value'].iloc[0])} in" in message["text"]
    assert "derived" in message["text"] and "different recorders" in message["text"]
    assert f"“{running['scope'].dropna().iloc[-1]}”" in message["text"]  # the rows' own scope words
    assert ch.profile.focus.label not in message["text"]  # never stronger than the rows
    assert message["link"] == "casualties-recent" and latest["source_id"] in message["sources"]


def test_an_appended_year_becomes_the_summary(data_copy: Path, tmp_path: Path):
    ch = open_test_chapter(tmp_path)
    annual = ch.ctx.once(casualties.annual_totals)
    latest = annual[annual["year"] == annual["year"].max()].iloc[0]
    year = int(latest["year"]) + 1
    append_row(
        data_copy / "casualties.csv",
        latest["obs_id"],
        obs_id="CAS998",
        period_start=f"{year}-01-01",
        period_end=f"{year}-12-31",
        value="30",
        value_as_reported="30",
        excerpt="Synthetic test row: 30 people",
    )
    text = summary_text(open_test_chapter(tmp_path, data_copy))
    assert f"In {year}, " in text and "30 people" in text and f"down from {int(latest['value'])} in {year - 1}" in text
    assert "different recorders" not in text  # the same recorder gives both years


def test_without_the_year_before_the_summary_is_left_out(data_copy: Path, tmp_path: Path):
    ch = open_test_chapter(tmp_path)
    annual = ch.ctx.once(casualties.annual_totals)
    before = annual[annual["year"] == annual["year"].max() - 1]
    path = data_copy / "casualties.csv"
    header, rows = read_rows(path)
    for i, row in enumerate(rows):
        if row[header.index("obs_id")] in set(before["obs_id"]):
            set_cell(path, i, "quality_flag", "implausible")
    shown = open_test_chapter(tmp_path, data_copy).show(casualties.SUMMARY)
    assert shown.messages == [] and "two consecutive years" in shown.omitted


def test_monthly_bulletins_appear_when_the_data_hold_them(data_copy: Path, tmp_path: Path):
    assert open_test_chapter(tmp_path).show(casualties.BULLETINS_TABLE).html is None
    append_row(
        data_copy / "casualties.csv",
        "CAS111",
        obs_id="CAS997",
        period_type="monthly",
        period_start="2025-03-01",
        period_end="2025-03-31",
        date_precision="month",
        value="3",
        value_as_reported="3",
        excerpt="Synthetic test row: 3 people in March",
    )
    html = open_test_chapter(tmp_path, data_copy).show(casualties.BULLETINS_TABLE).html
    assert html and "Synthetic test row" not in html and "Mar 2025" in html and ">3<" in html


def test_recorders_come_in_the_profiles_order_and_the_pair_is_oriented_by_the_data(aze):
    ch = aze
    frame = ch.ctx.once(casualties.recorders_chart)
    order = [ch.profile.recorders.index(s) for s in dict.fromkeys(frame["series"])]
    assert order == sorted(order) and len(order) >= 2
    pair = ch.ctx.once(casualties.recorder_pair)
    assert (pair["difference"] > 0).sum() >= (pair["difference"] < 0).sum()
    assert frame.attrs["higher"] == pair["recorder"].iloc[0]
    flagged = ch.ctx.once(casualties.annual_by_recorder)["flagged"]
    assert (frame["kind"] == "flagged").sum() == flagged.sum() > 0
    intro = shown_text(ch.show(casualties.RECORDERS_CHART))
    assert f"{ch.profile.authority.name} ({ch.profile.authority.short})" in intro  # written out at first use


def test_the_recorders_basis_is_computed_once_per_render(tmp_path: Path, monkeypatch):
    calls = []
    original = casualties.annual_by_recorder

    def counted(ctx):
        calls.append(1)
        return original(ctx)

    monkeypatch.setattr(casualties, "annual_by_recorder", counted)
    ch = open_test_chapter(tmp_path)
    shown = [s.name for s in SECTIONS if ch.frame_of(s)[1] is None]  # frames only: views draw from them
    assert len(calls) == 1 and "recorders_chart" in shown


def test_headlines_keep_the_scope_the_rows_state(aze):
    """A running count 'since <start> (mainly <focus area>)' is never headlined as being 'in' the area."""
    ch = aze
    rows = ch.ctx.once(casualties.focus_cumulative)
    stated = set(rows["scope"].dropna())
    finding = next(r for r in ch.ctx.once(casualties.findings).to_dict("records") if r["message"] == "cumulative")
    assert finding["scope"] in stated
    ch.show(casualties.RUNNING_COUNT)
    meta = json.loads((ch.figures_dir / "05_casualties_running_count.json").read_text())
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
    assert "stood at 400 by 30 Jun 2025" in summary_text(ch)


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
    expected = f"{latest['casualties'].iloc[-1] / 10_000_000 * 100_000:.2f}"
    text = shown_text(changed.show(casualties.FINDINGS))
    assert "population of about 10 million" in text and f"give {expected} casualties per 100,000" in text
    assert "10,000,000" in shown_text(changed.show(casualties.RATES_TABLE))  # the exact value stays in the table


def test_a_method_note_naming_a_recorder_not_shown_is_left_out(data_copy: Path, tmp_path: Path):
    assert open_test_chapter(tmp_path).show(casualties.METHOD_NOTE).html
    path = data_copy / "method_notes.csv"
    header, rows = read_rows(path)
    for i, row in enumerate(rows):
        set_cell(path, i, "subjects", row[header.index("subjects")] + ";a_recorder_not_shown")
    shown = open_test_chapter(tmp_path, data_copy).show(casualties.METHOD_NOTE)
    assert shown.html is None and "no note" in shown.omitted


def test_cambodia_gets_its_own_chapter(khm):
    ch = khm
    assert ch.profile.focus.starts is None
    for section in (casualties.RUNNING_COUNT, casualties.SPLIT_TABLE):
        shown = ch.show(section)
        assert shown.html is None and ch.profile.name in shown.omitted
    recent = ch.show(casualties.RECENT_TABLE)
    since = recent.frame.attrs["since"]
    assert (
        f"since {since}, Cambodia" in shown_text(recent)
        and since == ch.ctx.once(casualties.annual_totals)["year"].max() - 1
    )
    chart = ch.ctx.once(casualties.recorders_chart)
    assert set(chart["series"]) <= set(ch.profile.recorders) and chart.attrs["n_shared"] == 0
    assert "Latest annual count" in shown_text(ch.show(casualties.RECORDERS_CHART))
    findings = shown_text(ch.show(casualties.FINDINGS))
    assert "Cambodia" in findings and "Azerbaijan" not in findings
    rates = shown_text(ch.show(casualties.RATES_TABLE))
    assert "Cambodia" in rates and "Azerbaijan" not in rates
    text = summary_text(ch)
    assert text.startswith("In ") and "Cambodia (whole country)" in text and "count for" not in text


def test_without_rates_the_note_on_what_they_stand_for_is_left_out(synthetic_data_dir: Path, tmp_path: Path):
    """A country with no casualty counts (the funding-only fixture) gets no note about 'the rates above'."""
    ch = open_test_chapter(tmp_path, synthetic_data_dir, country="XCC")
    assert ch.show(casualties.RATES_TABLE).html is None
    assert ch.show(casualties.PROXY_NOTE).html is None
    with_rates = open_test_chapter(tmp_path / "xaa", synthetic_data_dir, country="XAA")
    assert with_rates.show(casualties.RATES_TABLE).html and with_rates.show(casualties.PROXY_NOTE).html
