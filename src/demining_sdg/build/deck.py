"""A briefing deck: one slide per report figure, with its title, image, source line and alt text."""

from __future__ import annotations

import datetime as dt
import io
import json
import zipfile
from pathlib import Path

from pptx import Presentation
from pptx.util import Emu, Inches, Pt

SLIDE_WIDTH = Inches(13.333)
SLIDE_HEIGHT = Inches(7.5)
FIXED_TIME = dt.datetime(2000, 1, 1)
ZIP_TIME = (1980, 1, 1, 0, 0, 0)


def _set_alt_text(picture, text: str) -> None:
    picture._element.nvPicPr.cNvPr.set("descr", text)


def build_deck(figures_dir: Path, figure_names: list[str], about: dict, out_file: Path) -> Path:
    """Write a 16:9 deck: a title slide, then each figure in report order."""
    deck = Presentation()
    deck.slide_width, deck.slide_height = SLIDE_WIDTH, SLIDE_HEIGHT
    blank = deck.slide_layouts[6]
    title_layout = deck.slide_layouts[0]
    cover = deck.slides.add_slide(title_layout)
    for shape in cover.placeholders:  # the default layout is 4:3; stretch it to 16:9
        shape.left, shape.width = Inches(0.8), SLIDE_WIDTH - Inches(1.6)
    cover.shapes.title.text = about["title"]
    cover.placeholders[1].text = (
        f"{len(figure_names)} figures from the report · data and code as of {about['as_of']}\n"
        "Each slide: the figure as published, its source line and alt text"
    )
    for number, name in enumerate(figure_names, start=1):
        meta = json.loads((figures_dir / f"{name}.json").read_text(encoding="utf-8"))
        slide = deck.slides.add_slide(blank)
        image_height = SLIDE_HEIGHT - Inches(0.9)
        image_width = Emu(int(image_height * 16 / 9))
        left = Emu(int((SLIDE_WIDTH - image_width) / 2))
        picture = slide.shapes.add_picture(str(figures_dir / f"{name}.png"), left, Inches(0.2), image_width, image_height)
        _set_alt_text(picture, meta["alt"])
        picture.name = f"Figure {number}: {meta['title']}"
        box = slide.shapes.add_textbox(Inches(0.5), SLIDE_HEIGHT - Inches(0.65), SLIDE_WIDTH - Inches(1), Inches(0.5))
        box.text_frame.word_wrap = True
        paragraph = box.text_frame.paragraphs[0]
        paragraph.text = f"Figure {number} of the report · Source: {meta['source']}"
        paragraph.font.size = Pt(9)
        slide.notes_slide.notes_text_frame.text = f"{meta['title']}\n{meta['subtitle']}\n\nAlt text: {meta['alt']}"
    core = deck.core_properties
    core.title = about["title"]
    core.author = "demining_sdg"
    core.created = core.modified = core.last_printed = FIXED_TIME
    core.revision = 1
    out_file.parent.mkdir(parents=True, exist_ok=True)
    buffer = io.BytesIO()
    deck.save(buffer)
    out_file.write_bytes(_with_fixed_timestamps(buffer.getvalue()))
    return out_file


def _with_fixed_timestamps(pptx: bytes) -> bytes:
    """Rewrite the zip container with fixed entry times so equal decks are equal bytes."""
    source = zipfile.ZipFile(io.BytesIO(pptx))
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w", compression=zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=ZIP_TIME)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            target.writestr(fixed, source.read(info.filename))
    return output.getvalue()
