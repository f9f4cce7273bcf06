"""Chapter 1 (key figures): the latest dated values, in reading order, computed from the data."""

from __future__ import annotations

from pathlib import Path

from conftest import read_rows, set_cell
from demining_sdg.analysis import key_figures
from demining_sdg.params import load_params
from demining_sdg.present.chapter import Chapter


def chapter(data_dir: Path | None, tmp_path: Path, **overrides) -> Chapter:
    if data_dir is not None:
        overrides["data_dir"] = str(data_dir)
    return Chapter(load_params(None, overrides), figures_dir=tmp_path)


def test_cards_for_azerbaijan_in_reading_order(tmp_path: Path):
    cards, findings = key_figures.key_figures(chapter(None, tmp_path))
    values = [(c.value, c.sources) for c in cards]
    assert values[:2] == [("807,819", ("S025",)), ("112,193", ("S060",))]  # before Nov 2020, then since
    assert ("about 168,000 ha", ("S062",)) in values
    assert ("382", ("S091",)) in values or ("382", ("S086",)) in values
    assert any("70 killed, 312 injured" in c.detail for c in cards)
    assert any(c.value == "about 23,000,000 EUR" and c.sources == ("S114",) for c in cards)
    assert not any(f.text[0].islower() for f in findings)


def test_a_new_cumulative_point_changes_the_finding(data_copy: Path, tmp_path: Path):
    path = data_copy / "clearance.csv"
    header, rows = read_rows(path)
    index = next(i for i, r in enumerate(rows) if r[0] == "CLR033")  # 807,819 items (S025)
    set_cell(path, index, "value", "807900")
    _, findings = key_figures.key_figures(chapter(data_copy, tmp_path))
    assert findings[0].text.startswith("807,900 mines and items of unexploded ordnance")


def test_cambodia_gets_its_own_cards(tmp_path: Path):
    cards, findings = key_figures.key_figures(chapter(None, tmp_path, country="KHM"))
    assert cards and len(cards) == len(findings)
    assert all("regained territories" not in c.label for c in cards)
