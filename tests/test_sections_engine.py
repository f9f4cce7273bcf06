"""The sections engine on its own: small sections defined here, over the synthetic data (XAA).

The runner (``present/chapter.py``) leaves sections out with a reason, puts group headings before
the first section present, writes chart files titled from the catalogue and memoises data
functions; ``formats`` and ``Vocabulary`` give the house words. Texts of the test sections live in
:data:`TEXTS`, a catalogue chapter ``enginetest`` patched in for these tests only.
"""

from __future__ import annotations

import inspect
import json
import re
from collections import Counter
from pathlib import Path

import pandas as pd
import pytest

from conftest import open_test_chapter
from demining_sdg.chapters.sections import (
    POINT_KINDS,
    Bars,
    Context,
    Findings,
    Needs,
    Note,
    Section,
    Table,
    TimeSeries,
    chart_frame,
)
from demining_sdg.derive.rules import to_hectares
from demining_sdg.derive.selections import usable
from demining_sdg.present import catalogue, formats, views
from demining_sdg.present.catalogue import CatalogueError
from demining_sdg.present.chapter import DEFAULT_MISSING, OMITTED_MIME, omitted_sections
from demining_sdg.present.vocabulary import Vocabulary

FOCUS = "post_2020_regained_territories"
# The synthetic fixture's XAA annual area cleared in the focus scope, in ha (tests/fixtures/synthetic).
XAA_FOCUS_ANNUAL_HA = {2020: 1200.0, 2021: 2350.0, 2022: 3100.0, 2023: 4050.0, 2024: 4600.0}
XAA_FOCUS_ITEMS = {"AP_mine": 6120.0, "AT_mine": 2480.0, "UXO": 31650.0}

TEXTS = {
    "groups": {
        "clearance": {"heading": "Synthetic clearance heading", "intro": "Intro for {{ country.name }}."},
        "nothing": {"heading": "Heading of a group with no data"},
        "no_heading": {"intro": "A group whose heading is missing"},
    },
    "sections": {
        "needs_claims": {"label": "Claims checked", "missing": "never said: the requirement fails first"},
        "inspected": {"label": "Area inspected", "missing": "the data hold no inspected area for {{ country.name }}"},
        "no_missing_text": {"label": "A section without a missing text"},
        "area_note": {"text": "{{ n }} annual figures of area cleared in the {{ country.focus.label }}."},
        "area_note_again": {"text": "The same figures, {{ n }} of them, shown a second time."},
        "area_chart": {
            "title": "Area cleared each year in {{ country.name }} ({{ n }} years)",
            "subtitle": "Hectares, {{ country.focus.short }}",
            "alt": "A line rising from {{ first.y | num }} ha in {{ first.x }} to {{ last.y | num }} ha in {{ last.x }}.",
        },
        "items_bars": {
            "title": "Items destroyed by type in {{ country.name }}",
            "subtitle": "Cumulative to {{ facts.until | date }}",
            "alt": "Bars for {{ n }} types of item.",
        },
        "items_table": {"caption": "Items destroyed by type, {{ country.name }}"},
        "no_text": {"label": "A note whose text is missing"},
        "findings": {"label": "Test findings"},
    },
    "findings": {"largest": "The largest annual figure is {{ y | num }} ha ({{ x }})."},
}


@pytest.fixture
def texts(monkeypatch):
    """The catalogue with the chapter ``enginetest`` of :data:`TEXTS` (other chapters as they are)."""
    original = catalogue._chapter_texts
    original.cache_clear()

    def chapter_texts(chapter: str):
        return TEXTS if chapter == "enginetest" else original(chapter)

    monkeypatch.setattr(catalogue, "_chapter_texts", chapter_texts)
    yield TEXTS
    original.cache_clear()


@pytest.fixture
def ch(tmp_path: Path, synthetic_data_dir: Path, texts):
    return open_test_chapter(tmp_path, data_dir=synthetic_data_dir, country="XAA")


# -- data functions over the synthetic data -----------------------------------------------------


def _focus_areas(ctx: Context, measure: str) -> pd.DataFrame:
    frame = usable(ctx.table("clearance"))
    return frame[
        (frame["iso3"] == ctx.country)
        & (frame["programme_scope"] == ctx.profile.focus_scope)
        & (frame["measure"] == measure)
        & (frame["period_type"] == "annual")
    ]


def annual_area(ctx: Context) -> pd.DataFrame:
    """Annual area cleared in the focus scope, as a chart frame (x = year, y = ha)."""
    rows = _focus_areas(ctx, "area_cleared").sort_values("period_end")
    return chart_frame(
        pd.DataFrame(
            {
                "x": rows["period_end"].dt.year.to_numpy(),
                "y": to_hectares(rows["value"], rows["unit"]).to_numpy(),
                "series": "area cleared",
                "kind": ["stated" if q == "exact" else "rounded" for q in rows["qualifier"]],
                "label": rows["value_as_reported"].to_numpy(),
                "source_id": rows["source_id"].to_numpy(),
            }
        )
    )


def inspected_area(ctx: Context) -> pd.DataFrame:
    return _focus_areas(ctx, "area_inspected")  # XAA has none


def items_by_type(ctx: Context) -> pd.DataFrame:
    """The latest cumulative items destroyed of each type but 'all', in the focus scope."""
    frame = usable(ctx.table("clearance"))
    rows = frame[
        (frame["iso3"] == ctx.country)
        & (frame["programme_scope"] == ctx.profile.focus_scope)
        & (frame["measure"] == "items_destroyed")
        & (frame["period_type"] == "cumulative")
        & (frame["item_category"] != "all")
    ]
    out = chart_frame(
        [
            {"x": r.item_category, "y": r.value, "series": "items", "kind": "stated", "source_id": r.source_id}
            for r in rows.itertuples()
        ]
    )
    out.attrs["until"] = rows["period_end"].max()
    return out


def no_frame(ctx: Context) -> pd.DataFrame | None:
    return None


def calls_counted(counter: Counter, function):
    """``function`` counting its calls in ``counter[function.__name__]``."""

    def counted(ctx: Context, *args):
        counter[function.__name__] += 1
        return function(ctx, *args)

    counted.__qualname__ = f"counted_{function.__qualname__}"
    return counted


NO_CLAIM_SET = Needs(
    "{{ country.name }} has no claim set in its profile", lambda ctx: ctx.profile.claim_set is not None
)
SEVERAL_SCOPES = Needs("the profile has one scope only", lambda ctx: ctx.profile.has_several_scopes)


# -- leaving sections out -----------------------------------------------------------------------


def test_a_failing_requirement_leaves_the_section_out_with_its_reason(ch):
    counter: Counter = Counter()
    section = Section(
        "enginetest.needs_claims", calls_counted(counter, annual_area), Note(), requires=(SEVERAL_SCOPES, NO_CLAIM_SET)
    )
    shown = ch.show(section)
    assert shown.html is None and shown.frame is None
    assert counter["annual_area"] == 0, "the data function of a section left out is not run"
    bundle = shown._repr_mimebundle_()
    assert "text/html" not in bundle
    record = bundle[OMITTED_MIME]
    assert record == {
        "section": "enginetest.needs_claims",
        "title": "Claims checked",
        "reason": "Synthetic Country A has no claim set in its profile",
    }
    # the annex reads the record back from the executed notebook's outputs
    cells = [{"cell_type": "code", "outputs": [{"output_type": "display_data", "data": bundle}]}]
    assert omitted_sections(cells) == [record]


def test_the_first_failing_requirement_gives_the_reason(ch):
    never = Needs("second reason", lambda ctx: False)
    shown = ch.show(Section("enginetest.needs_claims", annual_area, Note(), requires=(NO_CLAIM_SET, never)))
    assert shown.omitted == "Synthetic Country A has no claim set in its profile"


def test_a_met_requirement_shows_the_section(ch):
    shown = ch.show(Section("enginetest.area_note", annual_area, Note(), requires=(SEVERAL_SCOPES,)))
    assert shown.html is not None and OMITTED_MIME not in shown._repr_mimebundle_()
    assert "5 annual figures of area cleared in the synthetic focus area from 1 Apr 2019." in shown.html


def test_an_empty_frame_leaves_the_section_out_with_the_catalogues_missing_text(ch):
    shown = ch.show(Section("enginetest.inspected", inspected_area, Note()))
    assert shown.html is None
    assert (
        shown._repr_mimebundle_()[OMITTED_MIME]["reason"] == "the data hold no inspected area for Synthetic Country A"
    )
    assert shown.title == "Area inspected"


def test_without_a_missing_text_the_default_reason_is_given(ch):
    for data in (inspected_area, no_frame):
        shown = ch.show(Section("enginetest.no_missing_text", data, Note()))
        assert shown.html is None and shown.omitted == DEFAULT_MISSING


def test_min_rows_leaves_out_a_frame_with_fewer_rows(ch):
    years = len(XAA_FOCUS_ANNUAL_HA)
    assert ch.show(Section("enginetest.inspected", annual_area, Note(), min_rows=years + 1)).html is None
    assert ch.show(Section("enginetest.area_note", annual_area, Note(), min_rows=years)).html is not None


def test_a_group_heading_comes_once_before_the_first_section_present(ch):
    sections = [
        Section("enginetest.needs_claims", annual_area, Note(), requires=(NO_CLAIM_SET,), group="clearance"),
        Section("enginetest.area_note", annual_area, Note(), group="clearance"),
        Section("enginetest.area_note_again", annual_area, Note(), group="clearance"),
        Section("enginetest.inspected", inspected_area, Note(), group="nothing"),
        Section("enginetest.needs_claims", annual_area, Note(), requires=(NO_CLAIM_SET,), group="nothing"),
        Section("enginetest.area_note_again", annual_area, Note()),
    ]
    shown = [ch.show(s) for s in sections]
    assert [s.html is not None for s in shown] == [False, True, True, False, False, True]
    everything = "".join(s.html or "" for s in shown)
    assert everything.count("Synthetic clearance heading") == 1
    first = shown[1].html
    assert first.startswith('<h2 id="enginetest-clearance">Synthetic clearance heading</h2>')
    assert first.index("Intro for Synthetic Country A.") < first.index("5 annual figures")
    assert "<h2>" not in shown[2].html and "<h2>" not in shown[5].html
    assert "Heading of a group with no data" not in everything


def test_a_group_without_a_heading_text_raises(ch):
    with pytest.raises(CatalogueError, match="no_heading"):
        ch.show(Section("enginetest.area_note", annual_area, Note(), group="no_heading"))


# -- charts -------------------------------------------------------------------------------------


def _sidecar(folder: Path, name: str) -> dict:
    for suffix in (".png", ".svg", ".csv", ".json"):
        assert (folder / f"{name}{suffix}").is_file(), f"{name}{suffix} not written"
    assert (folder / f"{name}.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert b"<svg" in (folder / f"{name}.svg").read_bytes()[:500]
    return json.loads((folder / f"{name}.json").read_text(encoding="utf-8"))


def test_a_time_series_section_writes_its_figure_files_titled_from_the_catalogue(ch, tmp_path: Path):
    section = Section("enginetest.area_chart", annual_area, TimeSeries("enginetest_area", "hectares", x_is_year=True))
    shown = ch.show(section)
    meta = _sidecar(tmp_path, "enginetest_area")
    title = catalogue.text("enginetest.sections.area_chart.title", country=ch.profile, n=len(XAA_FOCUS_ANNUAL_HA))
    assert meta["title"] == title == "Area cleared each year in Synthetic Country A (5 years)"
    assert meta["subtitle"] == "Hectares, focus area"
    assert meta["alt"] == "A line rising from 1,200 ha in 2020 to 4,600 ha in 2024."
    assert meta["files"] == ["enginetest_area.png", "enginetest_area.svg", "enginetest_area.csv"]
    assert re.fullmatch(r"Synthetic test source, (\d{4}[a-z]?(, )?)+", meta["source"])  # short citations
    data = pd.read_csv(tmp_path / "enginetest_area.csv")
    assert dict(zip(data["year"], data["value"])) == XAA_FOCUS_ANNUAL_HA  # the data file names its columns
    # kinds are written in the legend's words; the approximate and lower-bound years are 'rounded'
    assert set(data["point"]) == {views.KIND_LEGEND["stated"], views.KIND_LEGEND["rounded"]}
    assert title in shown.html and '<svg class="chart" role="img"' in shown.html


def test_a_bars_section_writes_its_figure_files_with_words_for_codes(ch, tmp_path: Path):
    section = Section(
        "enginetest.items_bars", items_by_type, Bars("enginetest_items", "items", x_codes="item_category")
    )
    shown = ch.show(section)
    meta = _sidecar(tmp_path, "enginetest_items")
    assert meta["title"] == "Items destroyed by type in Synthetic Country A"
    assert meta["subtitle"] == "Cumulative to 31 Dec 2024"
    data = pd.read_csv(tmp_path / "enginetest_items.csv")
    words = Vocabulary.of(ch.data)
    expected = {words.words("item_category", code, short=True): value for code, value in XAA_FOCUS_ITEMS.items()}
    assert dict(zip(data["category"], data["value"])) == expected
    assert {"AP_mine", "AT_mine"}.isdisjoint(data["category"]), "codes are shown as their short words"
    assert meta["title"] in shown.html


def test_chart_frame_rejects_unknown_point_kinds():
    with pytest.raises(ValueError, match="estimate"):
        chart_frame([{"x": 2020, "y": 1, "kind": "stated"}, {"x": 2021, "y": 2, "kind": "estimate"}])
    frame = chart_frame([{"x": 2020, "y": 1, "kind": kind} for kind in POINT_KINDS])
    assert list(frame.columns[:6]) == ["x", "y", "series", "kind", "label", "source_id"]


def test_a_chart_section_with_an_unknown_point_kind_raises(ch):
    def raw_frame(ctx: Context) -> pd.DataFrame:
        return pd.DataFrame({"x": [2020, 2021], "y": [1.0, 2.0], "series": "s", "kind": "estimate", "label": None})

    section = Section("enginetest.area_chart", raw_frame, TimeSeries("enginetest_raw", "ha", x_is_year=True))
    try:
        ch.show(section)
    except ValueError:
        return
    raise AssertionError("a chart with only unknown point kinds was drawn (empty)")


def test_a_time_series_draws_points_without_a_kind_as_stated():
    frame = chart_frame([{"x": 2020, "y": 1.0, "series": "s"}, {"x": 2021, "y": 2.0, "series": "s"}])
    fig = views.draw_time_series(frame, TimeSeries("unused", "ha", x_is_year=True))
    try:
        assert fig.axes[0].lines, "no line drawn"
    finally:
        import matplotlib.pyplot as plt

        plt.close(fig)


# -- the catalogue ------------------------------------------------------------------------------


def test_a_missing_catalogue_text_raises(ch):
    with pytest.raises(CatalogueError, match="no_text"):
        ch.show(Section("enginetest.no_text", annual_area, Note()))
    with pytest.raises(CatalogueError, match="area_note_again.title"):
        ch.show(Section("enginetest.area_note_again", annual_area, TimeSeries("enginetest_x", "ha", x_is_year=True)))

    def unknown_message(ctx: Context) -> pd.DataFrame:
        return pd.DataFrame({"message": ["largest", "not_in_the_catalogue"], "x": [2024, 2023], "y": [4600.0, 1.0]})

    with pytest.raises(CatalogueError, match="not_in_the_catalogue"):
        ch.show(Section("enginetest.findings", unknown_message, Findings()))
    with pytest.raises(CatalogueError):
        catalogue.text("no_such_chapter.sections.x.title")
    with pytest.raises(CatalogueError, match="not a text"):
        catalogue.raw_text("enginetest.sections.area_chart")
    assert not catalogue.has_text("enginetest.sections.area_note.title")


def test_findings_rows_name_their_sentence(ch):
    def largest(ctx: Context) -> pd.DataFrame:
        frame = annual_area(ctx).sort_values("y").tail(1)
        frame["message"] = "largest"
        return frame

    shown = ch.show(Section("enginetest.findings", largest, Findings()))
    assert "The largest annual figure is 4,600 ha (2024)." in shown.html


def test_the_key_figures_catalogue_is_read_from_its_file(tmp_path: Path, synthetic_data_dir: Path):
    from demining_sdg.chapters import key_figures

    catalogue._chapter_texts.cache_clear()
    ch = open_test_chapter(tmp_path, data_dir=synthetic_data_dir, country="XAA")
    shown = ch.show(key_figures.CARDS)
    assert shown.html.startswith('<h2 id="key-figures-latest">Latest dated values</h2>')
    assert "40,250" in shown.html and "synthetic focus area from 1 Apr 2019" in shown.html
    assert "{{" not in shown.html and not re.search(r"\b(?:None|nan|NaN|NaT)\b", shown.html)


# -- memoising data functions ---------------------------------------------------------------------


def test_once_computes_once_and_hands_out_copies(ch):
    counter: Counter = Counter()
    counted = calls_counted(counter, annual_area)
    first = ch.ctx.once(counted)
    first["y"] = -1.0
    first["added"] = "changed"
    second = ch.ctx.once(counted)
    assert counter["annual_area"] == 1
    assert "added" not in second.columns
    assert list(second["y"]) == list(XAA_FOCUS_ANNUAL_HA.values())
    second["y"] = 0.0
    assert list(ch.ctx.once(counted)["y"]) == list(XAA_FOCUS_ANNUAL_HA.values())
    assert counter["annual_area"] == 1


def test_once_keeps_results_apart_by_argument(ch):
    counter: Counter = Counter()

    def areas(ctx: Context, measure: str) -> pd.DataFrame:
        return _focus_areas(ctx, measure)

    counted = calls_counted(counter, areas)
    assert len(ch.ctx.once(counted, "area_cleared")) == len(XAA_FOCUS_ANNUAL_HA)
    assert len(ch.ctx.once(counted, "area_inspected")) == 0
    ch.ctx.once(counted, "area_cleared")
    assert counter["areas"] == 2


def test_sections_sharing_a_data_function_compute_it_once(ch):
    counter: Counter = Counter()
    counted = calls_counted(counter, annual_area)
    ch.show(Section("enginetest.area_note", counted, Note()))
    ch.show(Section("enginetest.area_note_again", counted, Note()))
    assert counter["annual_area"] == 1


def test_once_keeps_functions_with_the_same_name_apart(ch):
    def frame_of(value: int):
        def data(ctx: Context) -> pd.DataFrame:
            return pd.DataFrame({"value": [value]})

        return data

    assert ch.ctx.once(frame_of(1))["value"].iloc[0] == 1
    assert ch.ctx.once(frame_of(2))["value"].iloc[0] == 2


# -- words and formats ----------------------------------------------------------------------------


def test_vocabulary_gives_words_short_words_and_a_fallback():
    words = Vocabulary(
        pd.DataFrame(
            {
                "column": ["item_category", "item_category", "sdg_goal"],
                "code": ["AP_mine", "UXO", "16"],
                "label": ["anti-personnel mines", "unexploded ordnance", "Peace"],
                "short_label": ["AP mines", None, ""],
            }
        )
    )
    assert words.words("item_category", "AP_mine") == "anti-personnel mines"
    assert words.words("item_category", "AP_mine", short=True) == "AP mines"
    assert words.words("item_category", "UXO", short=True) == "unexploded ordnance"  # no short words: the label
    assert words.words("sdg_goal", 16.0) == "Peace"  # a whole float code is the integer's code
    assert words.words("item_category", "cluster_munition_remnant") == "cluster munition remnant"
    assert words.words("measure", "AP_mine") == "AP mine"  # codes belong to their column
    assert words.words("item_category", None) is None and words.words("item_category", float("nan")) is None
    assert list(words.column("item_category", pd.Series(["UXO", "new_code"]))) == ["unexploded ordnance", "new code"]


def test_the_chapters_vocabulary_is_the_data_folders(ch, synthetic_data_dir: Path):
    frame = pd.read_csv(synthetic_data_dir / "vocabulary.csv", dtype=str, keep_default_na=False)
    assert len(frame) > 10
    for row in frame.itertuples():
        assert ch.vocabulary.words(row.column, row.code) == row.label
        assert ch.vocabulary.words(row.column, row.code, short=True) == (row.short_label or row.label)


def test_a_table_shows_words_for_codes(ch):
    section = Section(
        "enginetest.items_table",
        items_by_type,
        Table(columns={"x": "Item", "y": "Destroyed"}, codes={"x": "item_category"}),
    )
    html = ch.show(section).html
    assert "Items destroyed by type, Synthetic Country A" in html
    assert "anti-personnel mines" in html and "31,650" in html
    assert "AP_mine" not in html and ">series<" not in html


def test_dates_are_written_from_their_parts():
    stamp = pd.Timestamp("2021-03-18")
    assert formats.date(stamp) == "18 Mar 2021"
    assert formats.date(stamp, "day") == formats.date(stamp, None) == "18 Mar 2021"
    assert formats.date(stamp, "month") == "Mar 2021"
    assert formats.date(stamp, "year") == "2021"
    assert formats.date("2021-03-05") == "5 Mar 2021"  # no zero padding ('%d' would give 05)
    months = "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split()
    assert [formats.date(pd.Timestamp(2020, m, 1), "month") for m in range(1, 13)] == [f"{m} 2020" for m in months]
    for missing in (None, pd.NaT, float("nan")):
        assert formats.date(missing) == "date not stated"
    assert "strftime" not in inspect.getsource(formats.date), "platform-specific (%-d) or locale-specific output"


def test_rounded_keeps_three_significant_figures():
    assert formats.rounded(54_478.67) == "54,500"
    assert formats.rounded(1_651) == "1,650"
    assert formats.rounded(168_000) == "168,000"
    assert formats.rounded(1_651_000) == "1.65 million"
    assert formats.rounded(2_500_000) == "2.5 million"
    assert formats.rounded(12_345_678) == "12.3 million"
    assert formats.rounded(12.345) == "12.3"
    assert formats.rounded(0.012345) == "0.0123"
    assert formats.rounded(-54_478.67) == "-54,500"
    assert formats.rounded(54_478.67, significant=2) == "54,000"
    assert formats.rounded(0) == "0"
    assert formats.rounded(float("nan")) == "–"


def test_rounded_says_million_when_rounding_reaches_a_million():
    assert formats.rounded(999_999) == "1 million"


def test_fixed_keeps_every_decimal_place_of_a_column():
    assert formats.fixed(0.85, 3) == "0.850" and formats.fixed(1, 6) == "1.000000"
    assert formats.fixed(1234.5678, 2) == "1,234.57"
    assert formats.fixed(None, 3) == formats.fixed(float("nan"), 3) == "–"


def test_money_rounds_unless_exact():
    assert formats.money(2_500_000, "EUR") == "EUR 2.5 million"
    assert formats.money(480_000, "USD") == "USD 480,000"
    assert formats.money(1_234_567, "GBP") == "GBP 1.23 million"
    assert formats.money(2_500_000, "EUR", exact=True) == "EUR 2,500,000"
    assert formats.money(2_512_345.67, "EUR", exact=True) == "EUR 2,512,345.67"
    assert formats.money(float("nan"), "EUR") == "–"
    assert formats.qualified(2_500_000, "approximate", "EUR") == "about EUR 2.5 million"
    assert formats.qualified(1_040, "approximate", "ha") == "about 1,040 ha"


def test_reader_text_rounds_a_fraction_but_never_a_bound():
    assert formats.qualified(54_478.67, "exact", "ha") == "about 54,500 ha"
    assert formats.qualified(926.6, "exact", "ha") == "about 927 ha"
    assert formats.qualified(3.52, "exact", "km2") == "3.52 km²"  # small values keep their digits
    assert formats.qualified(1_651.5, "lower_bound", "ha") == "at least 1,651.5 ha"
    assert formats.qualified(807_819, "exact") == "807,819"  # whole counts stay exact
