"""Chapter 1 (key figures): the latest dated cumulative figure of each kind, scope by scope."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from conftest import frame_text, open_test_chapter, read_rows, write_rows
from demining_sdg.chapters import key_figures


def test_latest_figures_follow_the_data(tmp_path: Path, snapshot):
    """Snapshot of the real data's key figures (update after adding data: make snapshots)."""
    ch = open_test_chapter(tmp_path)
    assert frame_text(key_figures.latest_figures(ch.ctx)) == snapshot


def test_figures_come_in_the_profiles_scope_order(tmp_path: Path):
    ch = open_test_chapter(tmp_path)
    frame = key_figures.latest_figures(ch.ctx)
    labels = [s.label for s in ch.profile.scopes]
    order = [labels.index(s) for s in frame["scope"].dropna()]
    assert order == sorted(order)
    assert frame["source_id"].notna().all()


def test_a_later_cumulative_point_becomes_the_key_figure(data_copy: Path, tmp_path: Path):
    path = data_copy / "clearance.csv"
    header, rows = read_rows(path)
    focus = open_test_chapter(tmp_path).profile.focus_scope
    template = next(
        r
        for r in rows
        if r[header.index("programme_scope")] == focus
        and r[header.index("measure")] == "items_destroyed"
        and r[header.index("item_category")] == "all"
        and r[header.index("period_type")] == "cumulative"
    )
    added = list(template)
    added[header.index("obs_id")] = "CLR999"
    added[header.index("period_end")] = "2026-06-30"
    added[header.index("value")] = "123456"
    added[header.index("value_as_reported")] = "123,456"
    added[header.index("excerpt")] = "Synthetic test row: 123,456 items"
    added[header.index("quality_flag")] = ""
    write_rows(path, header, rows + [added])
    frame = key_figures.latest_figures(open_test_chapter(tmp_path, data_copy).ctx)
    items = frame[(frame["message"] == "items") & (frame["value"] == 123456)]
    assert len(items) == 1 and items.iloc[0]["date"] == pd.Timestamp("2026-06-30")


def test_findings_and_cards_render_as_sentences(tmp_path: Path):
    ch = open_test_chapter(tmp_path)
    findings = ch.show(key_figures.FINDINGS)
    cards = ch.show(key_figures.CARDS)
    assert findings.html and cards.html
    assert "Latest dated values" in cards.html  # the group heading comes with the first section present
    for html in (findings.html, cards.html):
        assert "{{" not in html and not re.search(r"\b(?:None|nan|NaN|NaT)\b", html)
