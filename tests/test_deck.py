"""The briefing deck can be presented: titled slides, sourced notes, alt text, fixed bytes."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pandas as pd
import pytest
from pptx import Presentation
from pptx.enum.shapes import MSO_SHAPE_TYPE, PP_PLACEHOLDER

from demining_sdg.build.deck import build_deck, key_figures
from demining_sdg.present.figures import house_style, new_figure, save_chart

# Two chapters with two figures each, one of the sources-and-methods chapter (never in the deck).
FIGURES = {
    "02_claim_check": "The conference's 806,000 was 1,819 below the agency's own count",
    "02_claim_shares": "Children were 38–54% of civilian casualties, not 80% of victims",
    "04_area_by_year": "Area cleared rose from about 41,915 ha in 2022 to 62,024 ha in 2024",
    "04_cumulative_area_vs_target": "About 168,000 ha cleared by Oct 2024, about 60% of the 280,000 ha target",
    "09_rows_by_evidence_tier": "Press reports supply 43.9% of the observation rows",
}
SUMMARY = [
    {
        "text": "About 168,000 ha were cleared by Oct 2024: about 60% of the official 280,000 ha target.",
        "sources": ["S065"],
        "link": "ch4-clearance-progress",  # the group of 04_cumulative_area_vs_target
    },
    {"text": "At the 2024 pace, clearance would end in 2035–2036.", "sources": ["S066"], "link": "ch7-outlook-pace"},
    {"text": "Casualties counted since Nov 2020 reached 382 by Dec 2024.", "sources": [], "link": "ch5-x"},
    {"text": "The country's own budget paid 79–86% of mine action each year.", "sources": ["S113"], "link": "ch3-y"},
]
TITLE_TYPES = (PP_PLACEHOLDER.TITLE, PP_PLACEHOLDER.CENTER_TITLE)


def source_of(name: str) -> str:
    return f"Test Monitor ({name[:2]}1, {name[:2]}2); Test Agency (S0{name[:2]})"


@pytest.fixture(scope="module")
def figures(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("figures")
    for number, (name, title) in enumerate(FIGURES.items()):
        with house_style():
            fig, ax = new_figure()
            ax.plot([2020, 2021, 2022], [10 * number, 10 * number + 10, 10 * number + 30], marker="o")
            ax.set_xticks([2020, 2021, 2022], ["2020", "2021", "2022"])
            ax.set_yticks([0, 20, 40, 60, 80], ["0", "20", "40", "60", "80"])
        save_chart(
            fig,
            name,
            title=title,
            subtitle=f"Subtitle of {name}: what is plotted, where and when",
            source=source_of(name),
            alt=f"Line chart for {name}, rising from {number} to {number + 3}.",
            data=pd.DataFrame({"x": [2020, 2021, 2022], "y": [number, number + 1, number + 3]}),
            out_dir=folder,
        )
    return folder


def about(summary: list[dict] | None = None) -> dict:
    return {
        "title": "Mine action and the SDGs: Testland",
        "country_name": "Testland",
        "data_cutoff": "31 Dec 2024",
        "published": "12 Jun 2025",
        "commit": "0123456789abcdef",
        "params": {"country": "TST", "data_dir": "no-such-folder"},  # no claim set: no verdicts slide
        "summary": SUMMARY if summary is None else summary,
    }


@pytest.fixture(scope="module")
def deck_file(figures: Path, tmp_path_factory) -> Path:
    return build_deck(figures, list(FIGURES), about(), tmp_path_factory.mktemp("deck") / "deck.pptx")


def title_of(slide) -> str:
    placeholders = [p for p in slide.placeholders if p.placeholder_format.type in TITLE_TYPES]
    assert len(placeholders) == 1
    return placeholders[0].text_frame.text


def pictures(slide) -> list:
    return [s for s in slide.shapes if s.shape_type == MSO_SHAPE_TYPE.PICTURE]


def test_the_key_figures_are_each_chapters_first_and_the_summarys_charts_never_methods():
    names = list(FIGURES)
    assert key_figures(names, []) == ["02_claim_check", "04_area_by_year"]
    assert key_figures(names, SUMMARY) == ["02_claim_check", "04_area_by_year", "04_cumulative_area_vs_target"]
    assert key_figures(names, SUMMARY, budget=2) == ["02_claim_check", "04_area_by_year"]


def test_slides_in_order_each_with_a_real_title(deck_file: Path):
    slides = list(Presentation(str(deck_file)).slides)
    # cover, summary, three key figures, sources and method (no claim set: no verdicts)
    assert len(slides) == 6
    titles = [title_of(slide) for slide in slides]
    assert all(title.strip() for title in titles)
    assert titles[0] == "Mine action and the SDGs: Testland"
    assert titles[1] == "Summary: Testland"
    assert titles[2:5] == [FIGURES[n] for n in ("02_claim_check", "04_area_by_year", "04_cumulative_area_vs_target")]
    assert titles[5] == "Sources and method"


def test_the_cover_states_country_cut_off_and_date_in_a_placeholder_of_real_height(deck_file: Path):
    cover = Presentation(str(deck_file)).slides[0]
    subtitle = next(p for p in cover.placeholders if p.placeholder_format.type == PP_PLACEHOLDER.SUBTITLE)
    assert "Testland" in subtitle.text_frame.text
    assert "Data to 31 Dec 2024" in subtitle.text_frame.text and "12 Jun 2025" in subtitle.text_frame.text
    title = cover.shapes.title
    for shape in (title, subtitle):
        assert shape.height > 0 and shape.width > 0
    assert title.top + title.height <= subtitle.top  # nothing overprinted


def test_the_summary_slide_holds_the_messages_as_bullets(deck_file: Path):
    slide = Presentation(str(deck_file)).slides[1]
    [body] = [p for p in slide.placeholders if p.placeholder_format.type not in TITLE_TYPES]
    paragraphs = [p.text for p in body.text_frame.paragraphs]
    assert len(paragraphs) == 4
    assert paragraphs[0].startswith(SUMMARY[0]["text"]) and "S065" in paragraphs[0]


def test_figure_slides_have_alt_text_notes_and_the_source_only_in_the_image(deck_file: Path):
    deck = Presentation(str(deck_file))
    slides = list(deck.slides)[2:5]
    for slide, name in zip(slides, ("02_claim_check", "04_area_by_year", "04_cumulative_area_vs_target")):
        [picture] = pictures(slide)
        assert picture._element.nvPicPr.cNvPr.get("descr", "").startswith(f"Line chart for {name}")
        title = slide.shapes.title
        assert picture.top >= title.top + title.height  # below the title, not over it
        assert picture.left >= 0 and picture.left + picture.width <= deck.slide_width
        shown = " ".join(s.text_frame.text for s in slide.shapes if s.has_text_frame)
        assert "Source" not in shown and source_of(name) not in shown
        notes = slide.notes_slide.notes_text_frame.text
        assert f"Source: {source_of(name)}" in notes
        points = [line for line in notes.splitlines() if line.startswith("• ")]
        assert len(points) >= 2
        assert FIGURES[name] in points[0] and any("Caveat" in point for point in points)


def test_the_png_is_shown_whole_unless_its_sidecar_says_where_its_title_ends(figures: Path, tmp_path: Path):
    whole = tmp_path / "whole"
    shutil.copytree(figures, whole)
    sidecar = whole / "02_claim_check.json"
    sidecar.write_text(json.dumps({k: v for k, v in json.loads(sidecar.read_text()).items() if k != "title_band"}))
    deck = Presentation(str(build_deck(whole, list(FIGURES), about(), tmp_path / "whole.pptx")))
    [picture] = pictures(deck.slides[2])
    assert picture.crop_top == 0
    assert abs(picture.width / picture.height - 1920 / 1080) < 0.01  # not stretched

    band = json.loads((figures / "02_claim_check.json").read_text())["title_band"]
    deck = Presentation(str(build_deck(figures, list(FIGURES), about(), tmp_path / "cropped.pptx")))
    [picture] = pictures(deck.slides[2])
    assert abs(picture.crop_top - band) < 1e-6
    assert abs(picture.width / picture.height - 1920 / (1080 * (1 - band))) < 0.01


def test_the_saved_title_band_ends_in_the_gap_under_the_title(figures: Path):
    """The crop takes the whole title and nothing of the subtitle: the PNG's rows at the band's
    edge are blank, and there is ink above them."""
    import numpy as np
    from PIL import Image

    band = json.loads((figures / "02_claim_check.json").read_text())["title_band"]
    pixels = np.asarray(Image.open(figures / "02_claim_check.png").convert("L"))
    edge = round(band * pixels.shape[0])
    assert 0 < band <= 0.25
    assert (pixels[edge - 2 : edge + 3] > 250).all()
    assert (pixels[:edge] < 128).any()


def test_no_summary_no_summary_slide(figures: Path, tmp_path: Path):
    deck = Presentation(str(build_deck(figures, list(FIGURES), about(summary=[]), tmp_path / "deck.pptx")))
    titles = [title_of(slide) for slide in deck.slides]
    assert not any(title.startswith("Summary") for title in titles)
    assert len(titles) == 4  # cover, the first figure of both chapters, sources and method


def test_the_verdicts_slide_shows_the_claims_in_words(figures: Path, tmp_path: Path):
    from demining_sdg import paths

    facts = {**about(), "params": {"country": "AZE", "data_dir": "data"}}
    deck = Presentation(str(build_deck(figures, list(FIGURES), facts, tmp_path / "deck.pptx")))
    slides = list(deck.slides)
    assert len(slides) == 7
    [table_shape] = [s for s in slides[-2].shapes if s.has_table]
    table = table_shape.table
    verdicts = [table.cell(r, 1).text for r in range(1, len(table.rows))]
    claims = pd.read_csv(paths.DATA_DIR / "conference_claims.csv")
    claims = claims[claims["claim_set"] == "baku_2022"]
    assert len(verdicts) == len(claims)
    assert "not supported" in verdicts and "not_supported" not in verdicts
    assert table.cell(1, 0).text == claims.sort_values("claim_id")["claim"].iloc[0]


def test_two_builds_are_byte_identical(figures: Path, tmp_path: Path):
    first = build_deck(figures, list(FIGURES), about(), tmp_path / "a.pptx").read_bytes()
    second = build_deck(figures, list(FIGURES), about(), tmp_path / "b.pptx").read_bytes()
    assert first == second


def test_a_template_is_used_when_given(figures: Path, tmp_path: Path):
    branded = Presentation()
    branded.slide_width, branded.slide_height = 12192000, 6858000  # 16:9
    branded.slide_master.shapes[0].name = "Brand Title"
    for layout in branded.slide_layouts:
        if layout.name == "Title Only":
            layout.name = "Brand title only"  # not found by name: found by index
    branded.slides.add_slide(branded.slide_layouts[6])  # a sample slide: not part of the briefing
    template = tmp_path / "brand.pptx"
    branded.save(str(template))

    deck = Presentation(str(build_deck(figures, list(FIGURES), about(), tmp_path / "deck.pptx", template=template)))
    assert (deck.slide_width, deck.slide_height) == (12192000, 6858000)
    assert deck.slide_master.shapes[0].name == "Brand Title"
    slides = list(deck.slides)
    assert len(slides) == 6
    assert all(title_of(slide).strip() for slide in slides)
    assert [slide.slide_layout.name for slide in slides] == [
        "Title Slide",
        "Title and Content",
        "Brand title only",
        "Brand title only",
        "Brand title only",
        "Title and Content",
    ]
    for slide in slides[2:5]:
        [picture] = pictures(slide)
        assert picture.left + picture.width <= deck.slide_width and picture.top + picture.height <= deck.slide_height
