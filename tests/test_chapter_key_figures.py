"""Chapter 1 (key figures): the report at a glance (front matter) and the newest dated cumulative
figure of each kind, scope by scope; periodic bulletins never among them."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest

from conftest import frame_text, open_test_chapter, read_rows, write_rows
from demining_sdg.chapters import key_figures

UNCLEAN = re.compile(r"\{\{|\b(?:None|nan|NaN|NaT)\b|not available for|specific to")


def append_copy(path: Path, where: dict[str, str], **values: str) -> None:
    """Append a copy of the first row matching ``where`` with ``values`` changed (its excerpt states it)."""
    header, rows = read_rows(path)
    template = next(r for r in rows if all(r[header.index(c)] == v for c, v in where.items()))
    added = list(template)
    values = {"excerpt": f"Synthetic test row: {values.get('value_as_reported', '')}", "quality_flag": ""} | values
    for column, value in values.items():
        added[header.index(column)] = value
    write_rows(path, header, rows + [added])


@pytest.mark.parametrize("country", ["AZE", "KHM"])
@pytest.mark.parametrize("function", [key_figures.latest_figures, key_figures.at_a_glance], ids=lambda f: f.__name__)
def test_frames_follow_the_data(tmp_path: Path, snapshot, country: str, function):
    """Snapshots of the real data's frames (update after adding data: make snapshots)."""
    assert frame_text(function(open_test_chapter(tmp_path, country=country).ctx)) == snapshot


def test_figures_come_in_the_profiles_scope_order(tmp_path: Path):
    ch = open_test_chapter(tmp_path)
    frame = key_figures.latest_figures(ch.ctx)
    labels = [s.label for s in ch.profile.scopes]
    figures = frame[frame["message"].isin(["items", "area"])]
    order = [labels.index(s) for s in figures["scope"].dropna()]
    assert order == sorted(order)
    assert frame["source_id"].notna().all()


def test_a_casualty_figure_keeps_its_own_rows_scope_words(tmp_path: Path):
    ch = open_test_chapter(tmp_path)
    frame = key_figures.latest_figures(ch.ctx)
    rows = ch.ctx.table("casualties")
    for _, figure in frame[frame["message"] == "casualties"].iterrows():
        own = set(rows.loc[rows["source_id"] == figure["source_id"], "scope"])
        assert figure["scope"] in own, "scope words in a headline are the row's own, never stronger"


def test_a_later_cumulative_point_becomes_the_key_figure(data_copy: Path, tmp_path: Path):
    focus = open_test_chapter(tmp_path / "before").profile.focus_scope
    where = {"programme_scope": focus, "measure": "items_destroyed", "item_category": "all"}
    append_copy(
        data_copy / "clearance.csv",
        where | {"period_type": "cumulative"},
        obs_id="CLR999",
        period_end="2026-06-30",
        value="123456",
        value_as_reported="123,456",
    )
    frame = key_figures.latest_figures(open_test_chapter(tmp_path, data_copy).ctx)
    items = frame[(frame["message"] == "items") & (frame["value"] == 123456)]
    assert len(items) == 1 and items.iloc[0]["date"] == pd.Timestamp("2026-06-30")


def test_a_newer_killed_and_injured_pair_gives_a_derived_total(tmp_path: Path):
    """Cambodia's newest cumulative statement gives killed and injured only: their sum, said to be derived."""
    ch = open_test_chapter(tmp_path, country="KHM")
    row = key_figures.latest_figures(ch.ctx).set_index("message").loc["casualties"]
    assert row["derived"] and row["value"] == row["killed"] + row["injured"]
    assert "(the total is their sum, derived)" in ch.show(key_figures.FINDINGS).html


def test_bulletins_never_become_key_figures_or_glance_rows(data_copy: Path, tmp_path: Path):
    focus = open_test_chapter(tmp_path / "before").profile.focus_scope
    for obs_id, period_type, start, end in (
        ("CLR990", "monthly", "2026-10-01", "2026-10-31"),
        ("CLR991", "weekly", "2026-11-02", "2026-11-08"),
    ):
        append_copy(
            data_copy / "clearance.csv",
            {"programme_scope": focus, "measure": "area_cleared", "period_type": "monthly"},
            obs_id=obs_id,
            period_type=period_type,
            period_start=start,
            period_end=end,
            value="4321.5",
            value_as_reported="4,321.5 hectares",
        )
    ch = open_test_chapter(tmp_path, data_copy)
    for function in (key_figures.latest_figures, key_figures.at_a_glance):
        assert not re.search(r"4321|4,321", frame_text(function(ch.ctx)))


def test_an_appended_full_year_moves_the_glance_row(data_copy: Path, tmp_path: Path):
    focus = open_test_chapter(tmp_path / "before").profile.focus_scope
    where = {"programme_scope": focus, "measure": "area_cleared", "period_type": "annual", "item_category": "all"}
    append_copy(
        data_copy / "clearance.csv",
        where | {"operator_scope": "all operators", "quality_flag": ""},
        obs_id="CLR991",
        period_start="2025-01-01",
        period_end="2025-12-31",
        value="70001",
        value_as_reported="70,001 hectares",
        source_id="S061",
    )
    glance = key_figures.at_a_glance(open_test_chapter(tmp_path, data_copy).ctx).set_index("item")
    assert glance.loc["area_year", "value"] == 70001 and glance.loc["area_year", "year"] == 2025


def test_the_treaty_row_comes_from_the_profile_and_is_left_out_without_one(tmp_path: Path):
    aze, khm = (open_test_chapter(tmp_path / c, country=c) for c in ("AZE", "KHM"))
    assert aze.profile.treaty.mine_ban_treaty is None and "treaty" not in set(key_figures.at_a_glance(aze.ctx)["item"])
    treaty = key_figures.at_a_glance(khm.ctx).set_index("item").loc["treaty"]
    assert treaty["value"] == khm.profile.treaty.mine_ban_treaty
    assert treaty["source_id"] == ";".join(khm.profile.treaty.source_ids)


@pytest.mark.parametrize("country", ["AZE", "KHM"])
def test_every_section_renders_cleanly_and_the_glance_goes_to_the_front(tmp_path: Path, country: str):
    ch = open_test_chapter(tmp_path, country=country)
    glance = ch.show(key_figures.GLANCE)
    assert glance.html.startswith('<div class="placement-front"') and f"{ch.country_name} at a glance" in glance.html
    frame = glance.frame
    assert frame["source_id"].notna().all() and set(frame["item"]) >= {"remaining", "casualties_year", "cutoff"}
    cards = ch.show(key_figures.CARDS)
    assert "Latest dated values" in cards.html  # the group heading comes with the first section present
    for html in (glance.html, ch.show(key_figures.FINDINGS).html, cards.html):
        assert not UNCLEAN.search(html)


def test_sections_are_left_out_with_a_reason_for_a_country_without_figures(synthetic_data_dir: Path, tmp_path: Path):
    ch = open_test_chapter(tmp_path, synthetic_data_dir, country="XCC")  # funding rows only
    cards = ch.show(key_figures.CARDS)
    assert cards.html is None or "funding" in cards.frame["message"].tolist()
    for section in (key_figures.GLANCE, key_figures.FINDINGS, key_figures.CARDS):
        shown = ch.show(section)
        assert shown.html or shown.omitted
        assert not UNCLEAN.search(shown.html or shown.omitted)
