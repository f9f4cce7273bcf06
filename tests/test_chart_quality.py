"""The chart rules (present/chart_checks.py) on small figures that break and keep each rule, and
the two chart kinds drawn and saved through ``save_chart`` on representative frames."""

from __future__ import annotations

import json
import re
from pathlib import Path

import matplotlib.dates as mdates
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest

from demining_sdg import paths
from demining_sdg.chapters.sections import Bars, TimeSeries, chart_frame
from demining_sdg.present import chart_checks, figures, views

# -- the checks, one rule at a time ---------------------------------------------------------------


@pytest.fixture
def fig():
    """An empty figure of the house size: only the texts a test puts on it."""
    with figures.house_style():
        figure = plt.figure(dpi=figures.SLIDE_DPI)
    yield figure
    plt.close(figure)


def test_contrast_ratio_follows_wcag():
    assert chart_checks.contrast_ratio("#000000", "#ffffff") == pytest.approx(21.0)
    assert chart_checks.contrast_ratio("#A6A6A6") == pytest.approx(2.4, abs=0.05)  # the old context grey
    assert chart_checks.contrast_ratio("#767676") >= 4.5


def test_grey_text_fails_the_contrast_rule_and_dark_text_passes(fig):
    fig.text(0.1, 0.5, "context series 1,200", color="#A6A6A6", fontsize=13)
    problems = chart_checks.check_contrast(fig)
    assert len(problems) == 1 and "context series 1,200" in problems[0] and "4.5:1" in problems[0]
    fig.texts[0].set_color(figures.PALETTE["text"])
    assert chart_checks.check_contrast(fig) == []


def test_large_bold_text_needs_only_3_to_1(fig):
    teal = "#28A197"  # about 3.2:1 on white
    fig.text(0.1, 0.5, "AzCBL 14", color=teal, fontsize=14, fontweight="bold")
    assert chart_checks.check_contrast(fig) == []
    fig.texts[0].set_fontsize(13)
    assert chart_checks.check_contrast(fig), "13 pt bold is not large text"
    fig.texts[0].set_fontsize(14)
    fig.texts[0].set_fontweight("normal")
    assert chart_checks.check_contrast(fig), "14 pt regular is not large bold text"


def test_transparent_text_is_judged_by_what_shows(fig):
    fig.text(0.1, 0.5, "faded", color=figures.PALETTE["text"], alpha=0.3, fontsize=13)
    assert chart_checks.check_contrast(fig)


def test_series_inks_reach_4_5_to_1_and_the_palette_survives_colour_blindness():
    for colour in [*figures.SERIES_COLOURS, figures.PALETTE["accent"]]:
        assert chart_checks.contrast_ratio(figures.ink(colour)) >= 4.5, colour
        assert chart_checks.contrast_ratio(colour) >= 3.0, f"{colour}: a line or bar needs 3:1"
    assert chart_checks.check_palette([*figures.SERIES_COLOURS, figures.PALETTE["accent"]]) == []
    old = ["#12436D", "#28A197", "#801650", "#F46A25"]  # navy and magenta merge under protanopia
    assert any("protanopia" in p for p in chart_checks.check_palette(old, min_distance=15))


def test_small_text_fails_the_size_rule_in_pt_and_px(fig):
    fig.text(0.1, 0.5, "source line", fontsize=10)
    (problem,) = chart_checks.check_font_sizes(fig)
    assert "10 pt, below 12 pt" in problem and "at 900 px wide" in problem and "at 1920 px wide" in problem
    fig.texts[0].set_fontsize(13)
    assert chart_checks.check_font_sizes(fig) == []


def test_font_px_at_slide_and_column_width(fig):
    assert chart_checks.font_px(fig, 12, 1920) == pytest.approx(25.0)
    assert chart_checks.font_px(fig, 13, 900) == pytest.approx(12.7, abs=0.05)
    # 12.2 pt passes the 12 pt floor but not 12 px at the report's column width
    fig.text(0.1, 0.5, "tick", fontsize=12.2)
    (problem,) = chart_checks.check_font_sizes(fig)
    assert "at 900 px wide, below 12 px" in problem and "below 12 pt" not in problem


def test_overlapping_texts_fail_and_apart_pass(fig):
    fig.text(0.5, 0.5, "scenario, no growth 900,000", fontsize=13)
    fig.text(0.52, 0.505, "high estimate", fontsize=13)
    (problem,) = chart_checks.check_overlaps(fig)
    assert "scenario, no growth 900,000" in problem and "high estimate" in problem
    fig.texts[1].set_position((0.52, 0.3))
    assert chart_checks.check_overlaps(fig) == []


def test_text_leaving_the_canvas_fails(fig):
    fig.text(0.9, 0.5, "scenario, no growth 900,000", fontsize=13)
    (problem,) = chart_checks.check_canvas(fig)
    assert "leaves the figure at the right" in problem
    fig.texts[0].set_position((0.5, 0.5))
    assert chart_checks.check_canvas(fig) == []


def test_hidden_and_empty_texts_are_not_checked(fig):
    fig.text(0.1, 0.5, "hidden", fontsize=6, color="#EEEEEE", visible=False)
    fig.text(0.1, 0.5, "   ", fontsize=6)
    assert chart_checks.check_figure(fig) == []


def test_series_told_apart_by_colour_alone_fail(fig):
    ax = fig.add_subplot()
    figures.register_series(ax, "AP mines", marker="o", linestyle="-")
    figures.register_series(ax, "AT mines", marker="o", linestyle="-")
    assert "differ by colour alone" in chart_checks.check_series_styles(fig)[0]
    figures.register_series(ax, "AT mines", marker="s", linestyle="-")
    assert chart_checks.check_series_styles(fig) == []


def test_save_chart_refuses_a_chart_that_breaks_a_rule_when_strict(tmp_path: Path):
    chart, ax = figures.new_figure()
    ax.plot([2020, 2021], [1, 2])
    ax.annotate("too small", xy=(2020.5, 1.5), fontsize=8)
    with pytest.raises(chart_checks.ChartRuleError) as raised:
        figures.save_chart(
            chart,
            "bad_chart",
            title="T",
            subtitle="S",
            source="X (S1)",
            alt="A",
            data=pd.DataFrame(),
            out_dir=tmp_path,
            strict=True,
        )
    assert "'bad_chart'" in str(raised.value) and "too small" in str(raised.value)
    assert not list(tmp_path.glob("bad_chart.*")), "nothing is written for a chart that breaks a rule"


def test_a_chart_that_breaks_a_rule_is_saved_with_its_problems_and_a_warning(tmp_path: Path):
    chart, ax = figures.new_figure()
    ax.plot([2020, 2021], [1, 2])
    ax.annotate("too small", xy=(2020.5, 1.5), fontsize=8)
    with pytest.warns(UserWarning, match="too small"):
        figures.save_chart(
            chart, "odd_chart", title="T", subtitle="S", source="X (S1)", alt="A", data=pd.DataFrame(), out_dir=tmp_path
        )
    meta = json.loads((tmp_path / "odd_chart.json").read_text(encoding="utf-8"))
    assert any("too small" in problem for problem in meta["chart_problems"])


@pytest.mark.parametrize("sidecar", sorted(paths.FIGURES_DIR.glob("*.json")), ids=lambda p: p.stem)
def test_every_published_chart_keeps_every_rule(sidecar: Path):
    assert json.loads(sidecar.read_text(encoding="utf-8")).get("chart_problems", []) == []


# -- the chart kinds, drawn and saved -------------------------------------------------------------

LONG_SOURCE = "; ".join(f"Publisher number {i} of the report (S{i:03d}, S{i + 100:03d})" for i in range(1, 9))


def _row(x, y, series: str, kind: str, label: str | None, source: str) -> dict:
    return {"x": x, "y": y, "series": series, "kind": kind, "label": label, "source_id": source}


def _series(name: str, start: float, step: float, source: str, years=range(2019, 2025)) -> list[dict]:
    return [
        {"x": f"{year}-06-30", "y": start + step * (year - 2019), "series": name, "kind": "stated", "source_id": source}
        for year in years
    ]


def time_series_frame() -> pd.DataFrame:
    rows = [
        *_series("unexploded ordnance destroyed", 12_000, 10_000, "S051"),
        *_series("anti-personnel mines", 10_000, 4_200, "S052"),
        *_series("anti-tank mines", 4_500, 2_900, "S053"),
        *_series("a fourth series with a long name", 4_000, 3_000, "S054", years=range(2021, 2024)),
        _row("2023-09-04", 24_000, "anti-personnel mines", "rounded", "nearly 24,000", "S058"),
        _row("2022-05-01", 9_237, "unexploded ordnance destroyed", "flagged", "9,237 unexploded ordnances", "S060"),
        _row("2022-05-01", 6_092, "anti-personnel mines", "flagged", "6,092 anti-personnel", "S060"),
        _row("2022-05-01", 2_159, "anti-tank mines", "flagged", "2,159 anti-tank", "S060"),
        _row("2024-09-01", 25_000, "anti-personnel mines", "flagged", "Approximately 25,000", "S061"),
        _row("2026-12-31", 90_000, "unexploded ordnance destroyed", "derived", None, "S062"),
        _row(None, 62_000, "official target", "reference", "official target", "S057"),
        _row(None, 33_000, "claim", "reference", "the conference's claim", "S001"),
    ]
    return chart_frame(rows)


def vertical_bars_frame() -> pd.DataFrame:
    return chart_frame(
        [
            _row(2021, 13_000, "national", "partial", "more than 13,000 hectares", "S052"),
            _row(2021, 11_000, "international", "stated", "about 11,000 hectares", "S053"),
            _row(2022, 41_915, "national", "stated", None, "S055"),
            _row(2022, 21_500, "international", "derived", None, "S056"),
            _row(2023, 926.6, "national", "partial", None, "S068"),
            _row(2024, 62_023.9, "national", "stated", None, "S061"),
            _row(None, 50_000, "target", "reference", "annual target", "S057"),
        ]
    )


def horizontal_bars_frame() -> pd.DataFrame:
    goals = [16, 2, 3, 4, 5, 9, 10]
    return chart_frame(
        [
            {
                "x": f"SDG {goal}: a goal with a long name that needs two lines",
                "y": 3 if goal == 16 else 1 + goal % 2,
                "series": "entry point: linked at indicator level" if goal == 16 else "linked at goal or target level",
                "source_id": f"S1{goal:02d}",
            }
            for goal in goals
        ]
        + [_row(None, 1.5, "median", "reference", "median", "S100")]
    )


def _save(fig, name: str, out: Path, data: pd.DataFrame) -> figures.SavedChart:
    return figures.save_chart(
        fig,
        name,
        title="By Feb 2024: 62,228 UXO, 31,175 AP mines and 18,790 AT mines destroyed in the regained territories",
        subtitle="Cumulative items destroyed by type, Azerbaijan, territories regained since 10 Nov 2020; a subtitle long "
        "enough to need a second line on the slide",
        source=LONG_SOURCE,
        alt="A chart for the tests.",
        data=data,
        out_dir=out,
        strict=True,
    )


def _tooltips(saved: figures.SavedChart) -> list[str]:
    return chart_checks.svg_tooltips(saved.svg_bytes())


def test_a_busy_time_series_keeps_every_rule_and_carries_tooltips(tmp_path: Path):
    frame = time_series_frame()
    spec = TimeSeries("test_items", "items destroyed, cumulative", x_until=2027)
    fig = views.draw_time_series(frame, spec)
    ax = fig.axes[0]
    assert ax.get_xlim()[1] >= mdates.date2num(pd.Timestamp("2027-12-31")), "the axis runs to the end of x_until"
    saved = _save(fig, "test_items", tmp_path, frame)  # raises ChartRuleError if any rule is broken
    tips = _tooltips(saved)
    plotted = frame[frame["kind"] != "reference"]
    assert len([t for t in tips if "source: S" in t]) >= len(plotted)
    assert "anti-personnel mines, 4 Sep 2023: 24,000 (stated as 'nearly 24,000'); rounded figure" in " ".join(tips)
    assert any(t.startswith("unexploded ordnance destroyed, 1 May 2022: 9,237") and "S060" in t for t in tips)
    assert any(t.startswith("official target: 62,000") and "S057" in t for t in tips)
    assert Path(saved.png).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_series_differ_by_marker_and_loose_points_keep_their_series_marker():
    frame = time_series_frame()
    fig = views.draw_time_series(frame, TimeSeries("unused", "items"))
    try:
        ax = fig.axes[0]
        markers = {name: style[0] for name, style in ax._chart_series.items()}
        assert len(set(markers.values())) == len(markers) == 4
        points = [line for line in ax.lines if line.get_linestyle() == "None"]
        hollow = [p for p in points if p.get_fillstyle() == "none"]
        assert len(hollow) == 4, "flagged points are hollow"
        uxo = figures.series_style(0).marker
        assert any(p.get_marker() == uxo for p in hollow), "a flagged point has its series' marker"
        assert any(p.get_fillstyle() == "bottom" for p in points), "rounded points are half filled"
    finally:
        plt.close(fig)


def test_a_gap_in_the_frame_breaks_the_line():
    frame = chart_frame(
        [
            {"x": year, "y": None if year in (2011, 2013) else 100.0 + year % 7, "series": "international"}
            for year in range(2008, 2016)
        ]
    )
    fig = views.draw_time_series(frame, TimeSeries("unused", "USD million", x_is_year=True))
    try:
        (line,) = [line for line in fig.axes[0].lines if line.get_linestyle() == "-"]
        assert np.isnan(np.asarray(line.get_ydata(), dtype=float)).sum() == 2
    finally:
        plt.close(fig)


def test_a_line_ending_on_a_reference_keeps_both_labels_apart(tmp_path: Path):
    frame = chart_frame(
        [
            *_series("scenario, no growth", 100_000, 160_000, "S062"),
            _row(None, 900_000, "high estimate", "reference", "high estimate", "S073"),
            _row(None, 880_000, "low estimate", "reference", "low estimate", "S073"),
        ]
    )
    _save(views.draw_time_series(frame, TimeSeries("test_ends", "ha")), "test_ends", tmp_path, frame)


def test_bars_vertical_and_horizontal_keep_every_rule_and_carry_tooltips(tmp_path: Path):
    vertical = vertical_bars_frame()
    saved = _save(views.draw_bars(vertical, Bars("test_bars", "hectares")), "test_bars", tmp_path, vertical)
    tips = _tooltips(saved)
    assert any(t.startswith("national, 2021: 13,000 (stated as 'more than 13,000 hectares'); partial") for t in tips)
    assert any(t.startswith("international, 2022: 21,500; derived") and "S056" in t for t in tips)
    horizontal = horizontal_bars_frame()
    saved = _save(
        views.draw_bars(horizontal, Bars("test_hbars", "sourced linkages", horizontal=True)),
        "test_hbars",
        tmp_path,
        horizontal,
    )
    tips = _tooltips(saved)
    assert any("SDG 16: a goal with a long name" in t and ": 3;" in t and "S116" in t for t in tips)


def test_bars_of_one_series_per_category_sit_on_their_category():
    fig = views.draw_bars(horizontal_bars_frame(), Bars("unused", "links", horizontal=True))
    try:
        ax = fig.axes[0]
        centres = sorted(round(p.get_y() + p.get_height() / 2, 6) for p in ax.patches)
        assert centres == list(range(len(centres))), "not shifted off their tick as if grouped"
    finally:
        plt.close(fig)


def test_the_svg_is_the_same_bytes_for_the_same_inputs(tmp_path: Path):
    frame = time_series_frame()
    first = _save(views.draw_time_series(frame, TimeSeries("same", "items")), "same", tmp_path / "a", frame)
    second = _save(views.draw_time_series(frame, TimeSeries("same", "items")), "same", tmp_path / "b", frame)
    assert first.svg_bytes() == second.svg_bytes()
    assert re.search(rb'<g id="same-datum-1">\s*<title>', first.svg_bytes()), "ids carry the figure's name"
