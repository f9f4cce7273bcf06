"""A briefing deck that can be presented: cover, summary, key figures, verdicts, sources and method.

Slides, in order (8–12 in all):

1. the cover: report title, country, data cut-off, publication date;
2. the summary messages of the report (left out when there are none);
3. one slide per key figure: the first figure of each chapter and the charts the summary messages
   link to (never the sources-and-methods chapter), in report order. The slide title is the
   figure's message title; the chart is the report's PNG below it, sized to fit (cropped of its own
   title line when the sidecar says where it ends), with its subtitle and source line: the source
   is printed once, in the image, and not again as slide text. The speaker notes hold the talking
   points and the source line;
4. the verdicts on the country's conference claims, as a table (left out without a claim set);
5. sources and method: where the full report is, the cut-off, how figures are sourced.

Every slide has a real title placeholder (screen readers and accessibility checkers read it) and
every picture its alt text. With ``template`` the deck takes an organisation's slide master and
layouts ("Title Slide", "Title Only", "Title and Content" by name, else by their usual index).
Two builds of the same inputs are the same bytes: fixed document times and zip entry times.
"""

from __future__ import annotations

import datetime as dt
import importlib
import io
import json
import pkgutil
import re
import zipfile
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.enum.shapes import PP_PLACEHOLDER
from pptx.enum.text import MSO_ANCHOR, PP_ALIGN
from pptx.parts.image import Image
from pptx.util import Emu, Inches, Pt

from demining_sdg import paths

SLIDE_WIDTH = Inches(13.333)
SLIDE_HEIGHT = Inches(7.5)
FIXED_TIME = dt.datetime(2000, 1, 1)
ZIP_TIME = (1980, 1, 1, 0, 0, 0)

MAX_SLIDES = 12
MAX_FIGURE_SLIDES = 9
MAX_SUMMARY_MESSAGES = 6
MAX_CLAIM_ROWS = 14
METHODS_PREFIX = "09_"  # the sources-and-methods chapter: its figures stay in the report
# A sidecar may say which share of the PNG's height its title takes (``title_band``, from the top
# to the gap above the subtitle): the slide title states the finding, so the picture is then
# cropped of it. Without it the PNG is shown whole. Never more than a quarter is cropped.
TITLE_BAND_KEY = "title_band"
MAX_TITLE_BAND = 0.25

TITLE_LAYOUT = ("Title Slide", 0)
TITLE_ONLY_LAYOUT = ("Title Only", 5)
CONTENT_LAYOUT = ("Title and Content", 1)
TITLE_TYPES = (PP_PLACEHOLDER.TITLE, PP_PLACEHOLDER.CENTER_TITLE)
BODY_TYPES = (PP_PLACEHOLDER.BODY, PP_PLACEHOLDER.OBJECT, PP_PLACEHOLDER.SUBTITLE)
MARGIN = Inches(0.5)
GREY = RGBColor(0x59, 0x59, 0x59)

TEMPLATE_TYPE = b"application/vnd.openxmlformats-officedocument.presentationml.template.main+xml"
PRESENTATION_TYPE = b"application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml"


@dataclass(frozen=True)
class Claim:
    claim_id: str
    claim: str
    verdict: str  # the verdict's words, e.g. "not supported"


def build_deck(
    figures_dir: Path,
    figure_names: list[str],
    about: dict,
    out_file: Path,
    template: Path | None = None,
    datasets=None,
) -> Path:
    """Write the briefing deck (see the module docstring); returns ``out_file``.

    ``datasets``: the run's :class:`~demining_sdg.inputs.datasets.Datasets`, for the claims'
    verdicts; without it they are read from ``about["params"]["data_dir"]`` (a folder inside
    the project) when it exists.
    """
    deck, branded = _open(template)
    summary = [m for m in about.get("summary") or [] if str(m.get("text", "")).strip()][:MAX_SUMMARY_MESSAGES]
    claims = claim_verdicts(about, datasets)
    fixed_slides = 2 + bool(summary) + bool(claims)  # cover, closing, summary, verdicts
    budget = max(1, min(MAX_FIGURE_SLIDES, MAX_SLIDES - fixed_slides))
    chosen = key_figures(figure_names, summary, budget)

    _cover_slide(deck, about, branded)
    if summary:
        _summary_slide(deck, about, summary, branded)
    for name in chosen:
        meta = json.loads((figures_dir / f"{name}.json").read_text(encoding="utf-8"))
        _figure_slide(deck, figures_dir / f"{name}.png", meta, figure_names.index(name) + 1, branded)
    if claims:
        _verdicts_slide(deck, claims, branded)
    _closing_slide(deck, about, len(figure_names), branded)

    core = deck.core_properties
    core.title = about["title"]
    core.subject = f"Briefing deck: {about.get('country_name', '')}".strip()
    core.author = "demining_sdg"
    core.created = core.modified = core.last_printed = FIXED_TIME
    core.revision = 1
    out_file.parent.mkdir(parents=True, exist_ok=True)
    buffer = io.BytesIO()
    deck.save(buffer)
    out_file.write_bytes(_with_fixed_timestamps(buffer.getvalue()))
    return out_file


# -- what goes in -------------------------------------------------------------------------------


def key_figures(figure_names: list[str], summary: list[dict], budget: int = MAX_FIGURE_SLIDES) -> list[str]:
    """The figures the deck shows, in report order: the first figure of each chapter (by the
    'NN_' prefix of its name), then the charts of the groups the summary messages link to, up to
    ``budget``; never a figure of the sources-and-methods chapter."""
    candidates = [name for name in figure_names if not name.startswith(METHODS_PREFIX)]
    firsts: dict[str, str] = {}
    for name in candidates:
        firsts.setdefault(name.split("_", 1)[0], name)
    wanted = list(firsts.values())
    charts = _group_charts()
    for message in summary:
        group = re.sub(r"^ch\d+-", "", str(message.get("link", "")))
        wanted += [name for name in charts.get(group, []) if name in candidates]
    chosen = list(dict.fromkeys(wanted))[:budget]
    return [name for name in candidates if name in chosen]


def _group_charts() -> dict[str, list[str]]:
    """The charts of each group of each chapter, by the group's anchor (what a summary links to)."""
    import demining_sdg.chapters as chapters
    from demining_sdg.chapters.sections import Section
    from demining_sdg.present.chapter import group_anchor

    charts: dict[str, list[str]] = {}
    for module_info in sorted(pkgutil.iter_modules(chapters.__path__), key=lambda m: m.name):
        module = importlib.import_module(f"{chapters.__name__}.{module_info.name}")
        for section in getattr(module, "SECTIONS", ()):
            figure = getattr(section.view, "figure", None)
            if isinstance(section, Section) and section.group and figure:
                charts.setdefault(group_anchor(section.chapter, section.group), []).append(figure)
    return charts


def claim_verdicts(about: dict, datasets=None) -> list[Claim]:
    """The country's conference claims with their verdicts in words (none without a claim set)."""
    from demining_sdg.inputs.datasets import Datasets
    from demining_sdg.present.vocabulary import Vocabulary

    params = about.get("params") or {}
    if datasets is None:
        data_dir = params.get("data_dir")
        if not data_dir or not (paths.ROOT / data_dir).is_dir():
            return []
        datasets = Datasets(paths.ROOT / data_dir)
    profile = datasets.profile(str(params.get("country", "")))
    if profile is None or not profile.claim_set or "conference_claims" not in datasets.contract.names:
        return []
    table = datasets.table("conference_claims")
    rows = table[table["claim_set"] == profile.claim_set].sort_values("claim_id")
    words = Vocabulary.of(datasets).words
    return [
        Claim(str(row.claim_id), str(row.claim), words("verdict", row.verdict) or "not stated")
        for row in rows.itertuples(index=False)
    ]


# -- the template -------------------------------------------------------------------------------


def _open(template: Path | None):
    """The presentation to fill, and whether it is an organisation's (branded) template."""
    if template is None:
        deck = Presentation()
        _widen(deck)
        return deck, False
    deck = Presentation(io.BytesIO(_as_presentation(Path(template).read_bytes())))
    _drop_slides(deck)
    return deck, True


def _widen(deck) -> None:
    """Make the default (4:3) master and layouts 16:9: every shape positioned by them is stretched
    across, with its four coordinates set (a half-set position is a zero-height box at the top)."""
    factor = SLIDE_WIDTH / deck.slide_width
    deck.slide_width, deck.slide_height = SLIDE_WIDTH, SLIDE_HEIGHT
    holders = [deck.slide_master.shapes, *(layout.shapes for layout in deck.slide_layouts)]
    for shapes in holders:
        for shape in shapes:
            if not shape._element.xpath("./p:spPr/a:xfrm"):
                continue  # inherits its position from the master, already stretched
            _place(shape, round(shape.left * factor), shape.top, round(shape.width * factor), shape.height)


def _as_presentation(data: bytes) -> bytes:
    """A .potx opens like a .pptx once its main part says it is a presentation."""
    source = zipfile.ZipFile(io.BytesIO(data))
    if TEMPLATE_TYPE not in source.read("[Content_Types].xml"):
        return data
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w", compression=zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == "[Content_Types].xml":
                content = content.replace(TEMPLATE_TYPE, PRESENTATION_TYPE)
            target.writestr(info.filename, content)
    return output.getvalue()


def _drop_slides(deck) -> None:
    """A template's own sample slides are not part of the briefing."""
    slide_ids = deck.slides._sldIdLst
    for slide_id in list(slide_ids):
        deck.part.drop_rel(slide_id.rId)
        slide_ids.remove(slide_id)


def _layout(deck, wanted: tuple[str, int]):
    """The layout of that name, else at that index, as long as it has a title placeholder."""
    name, index = wanted
    layouts = list(deck.slide_layouts)
    by_name = [layout for layout in layouts if layout.name.strip().lower() == name.lower()]
    by_index = [layouts[index]] if index < len(layouts) else []
    for layout in [*by_name, *by_index, *layouts]:
        if any(p.placeholder_format.type in TITLE_TYPES for p in layout.placeholders):
            return layout
    raise ValueError("the template has no layout with a title placeholder")


def _new_slide(deck, wanted: tuple[str, int], title: str, size: int, branded: bool, *, align_left: bool = True):
    slide = deck.slides.add_slide(_layout(deck, wanted))
    placeholder = _title_placeholder(slide)
    placeholder.text_frame.word_wrap = True
    placeholder.text = title
    for paragraph in placeholder.text_frame.paragraphs:
        _style(paragraph, size, bold=None if branded else True)
        if not branded and align_left:
            paragraph.alignment = PP_ALIGN.LEFT
    return slide, placeholder


def _style(paragraph, size: int, *, bold: bool | None = None, colour: RGBColor | None = None) -> None:
    """Size (and weight, colour) on every run: a paragraph's default run properties are not
    applied to its runs by every application."""
    for run in paragraph.runs:
        run.font.size = Pt(size)
        if bold is not None:
            run.font.bold = bold
        if colour is not None:
            run.font.color.rgb = colour


def _place(shape, left: int, top: int, width: int, height: int) -> None:
    """All four coordinates at once: a shape given only some is drawn at zero height or width."""
    shape.left, shape.top, shape.width, shape.height = (Emu(int(v)) for v in (left, top, width, height))


def _compact_title(title, branded: bool) -> None:
    """On the default layouts, a two-line title band at the top: the rest of the slide is the chart's."""
    if not branded:
        _place(title, title.left, Inches(0.2), title.width, Inches(1.05))


def _title_placeholder(slide):
    return next(p for p in slide.placeholders if p.placeholder_format.type in TITLE_TYPES)


def _body_placeholder(slide):
    return next((p for p in slide.placeholders if p.placeholder_format.type in BODY_TYPES), None)


def _clear_unused_placeholders(slide, keep) -> None:
    """Placeholders left empty would show 'Click to add text' in an editor."""
    for placeholder in list(slide.placeholders):
        if placeholder not in keep:
            placeholder._element.getparent().remove(placeholder._element)


def _bottom(shape) -> int:
    return shape.top + shape.height


# -- the slides -----------------------------------------------------------------------------------


def _cover_slide(deck, about: dict, branded: bool) -> None:
    slide, title = _new_slide(deck, TITLE_LAYOUT, about["title"], 40, branded, align_left=False)
    subtitle = _body_placeholder(slide)
    lines = [
        f"Country briefing: {about.get('country_name', '')}",
        f"Data to {about.get('data_cutoff', 'date not stated')} · published {about.get('published', '')}".rstrip(" ·"),
    ]
    if subtitle is None:
        subtitle = slide.shapes.add_textbox(title.left, _bottom(title) + Inches(0.2), title.width, Inches(1.5))
    frame = subtitle.text_frame
    frame.word_wrap = True
    frame.text = lines[0]
    _style(frame.paragraphs[0], 28)
    for line in lines[1:]:
        paragraph = frame.add_paragraph()
        paragraph.text = line
        _style(paragraph, 20)
    _clear_unused_placeholders(slide, [title, subtitle])
    slide.notes_slide.notes_text_frame.text = _notes(
        [
            f"This briefing presents the report '{about['title']}'.",
            f"Its figures refer to dates up to {about.get('data_cutoff', 'date not stated')}: "
            "nothing later is counted.",
        ]
    )


def _summary_slide(deck, about: dict, summary: list[dict], branded: bool) -> None:
    slide, title = _new_slide(deck, CONTENT_LAYOUT, f"Summary: {about.get('country_name', '')}".strip(), 32, branded)
    body = _body_placeholder(slide) or slide.shapes.add_textbox(
        MARGIN, _bottom(title) + Inches(0.1), deck.slide_width - 2 * MARGIN, Inches(4.5)
    )
    if not branded:
        top = _bottom(title) + Inches(0.05)
        _place(body, body.left, top, body.width, deck.slide_height - top - Inches(0.4))
    characters = sum(len(m["text"]) for m in summary)
    size = 22 if characters <= 600 else 20 if characters <= 900 else 18 if characters <= 1150 else 16
    frame = body.text_frame
    frame.word_wrap = True
    for number, message in enumerate(summary):
        paragraph = frame.paragraphs[0] if number == 0 else frame.add_paragraph()
        paragraph.text = message["text"].strip()
        _style(paragraph, size)
        paragraph.space_after = Pt(size // 2)
        if cited := _cited(message):
            refs = paragraph.add_run()
            refs.text = f" ({cited})"
            refs.font.size = Pt(size - 6)
            refs.font.color.rgb = GREY
    _clear_unused_placeholders(slide, [title, body])
    points = [f"{m['text'].strip()} Sources: {_cited(m) or 'see the report'}." for m in summary]
    points.append("Each message links to its chapter in the report, where the figures behind it are shown.")
    slide.notes_slide.notes_text_frame.text = _notes(points)


def _cited(message: dict) -> str:
    """A message's short citations ("Trend, 2021b; UNDP, 2024"), as the report prints them."""
    return "; ".join(message.get("citations") or message.get("sources") or [])


def _figure_slide(deck, png: Path, meta: dict, number: int, branded: bool) -> None:
    size = 28 if len(meta["title"]) <= 90 else 24
    slide, title = _new_slide(deck, TITLE_ONLY_LAYOUT, meta["title"], size, branded)
    _compact_title(title, branded)
    _clear_unused_placeholders(slide, [title])
    pixels_wide, pixels_high = Image.from_file(str(png)).size
    band = title_band(meta)
    aspect = pixels_wide / (pixels_high * (1 - band))
    top = _bottom(title) + Inches(0.1)
    room_high = deck.slide_height - top - Inches(0.2)
    room_wide = deck.slide_width - 2 * MARGIN
    height = min(room_high, int(room_wide / aspect))
    width = int(height * aspect)
    left = int((deck.slide_width - width) / 2)
    picture = slide.shapes.add_picture(str(png), Emu(left), Emu(top), Emu(width), Emu(height))
    if band:
        picture.crop_top = band
    picture.name = f"Figure {number}"
    _set_alt_text(picture, meta["alt"])
    slide.notes_slide.notes_text_frame.text = _notes(
        [
            f"The finding: {meta['title']}.",
            f"The chart shows: {meta['subtitle'].rstrip('.')}.",
            f"Caveat: {_caveat(meta)}",
            f"In the report: Figure {number}, with the data behind it and its alt text.",
        ],
        source=meta["source"],
    )


def _verdicts_slide(deck, claims: list[Claim], branded: bool) -> None:
    counts = Counter(claim.verdict for claim in claims)
    supported = counts.get("supported", 0)
    headline = f"Conference claims checked: {supported or 'none'} of {len(claims)} supported by the sources"
    slide, title = _new_slide(deck, TITLE_ONLY_LAYOUT, headline, 28, branded)
    _compact_title(title, branded)
    _clear_unused_placeholders(slide, [title])
    shown = claims if len(claims) <= MAX_CLAIM_ROWS else claims[: MAX_CLAIM_ROWS - 1]
    rest = len(claims) - len(shown)
    size = 14 if len(shown) + bool(rest) <= 12 else 12
    top = _bottom(title) + Inches(0.15)
    left = title.left if deck.slide_width - 2 * title.left >= deck.slide_width * 0.6 else MARGIN
    width = deck.slide_width - 2 * left
    row_height = min(Inches(0.42), int((deck.slide_height - top - Inches(0.3)) / (len(shown) + bool(rest) + 1)))
    rows = [("Claim", "Verdict"), *((c.claim, c.verdict) for c in shown)]
    if rest:
        rows.append((f"… and {rest} more claims: see the report", ""))
    frame = slide.shapes.add_table(len(rows), 2, left, top, width, Emu(row_height * len(rows)))
    frame.name = "Verdicts on the conference claims"
    table = frame.table
    table.columns[1].width = Inches(2.2)
    table.columns[0].width = width - Inches(2.2)
    for r, cells in enumerate(rows):
        table.rows[r].height = Emu(row_height)
        for c, text in enumerate(cells):
            cell = table.cell(r, c)
            cell.text = text
            cell.vertical_anchor = MSO_ANCHOR.MIDDLE
            cell.margin_top = cell.margin_bottom = Inches(0.03)
            for paragraph in cell.text_frame.paragraphs:
                _style(paragraph, size, bold=r == 0 or (c == 1 and text == "not supported"))
    tally = ", ".join(f"{n} {verdict}" for verdict, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))
    slide.notes_slide.notes_text_frame.text = _notes(
        [
            f"{len(claims)} claims made at the conference were checked against the sources: {tally}.",
            "The reasons and the evidence for each verdict are in the report's claims chapter.",
        ]
    )


def _closing_slide(deck, about: dict, figure_count: int, branded: bool) -> None:
    slide, title = _new_slide(deck, CONTENT_LAYOUT, "Sources and method", 32, branded)
    body = _body_placeholder(slide) or slide.shapes.add_textbox(
        MARGIN, _bottom(title) + Inches(0.1), deck.slide_width - 2 * MARGIN, Inches(4.5)
    )
    if not branded:
        top = _bottom(title) + Inches(0.05)
        _place(body, body.left, top, body.width, deck.slide_height - top - Inches(0.4))
    cutoff = about.get("data_cutoff", "date not stated")
    points = [
        f"The full report: {paths.REPORT_FILE_NAME}, beside this deck — all {figure_count} figures, "
        "the tables, the source register and a technical annex",
        f"Data to {cutoff}: the latest date a figure refers to; published {about.get('published', '')}".rstrip("; "),
        "Every figure is sourced; derived figures are labelled",
        "Figures of different scopes are shown apart, never added",
    ]
    frame = body.text_frame
    frame.word_wrap = True
    for number, point in enumerate(points):
        paragraph = frame.paragraphs[0] if number == 0 else frame.add_paragraph()
        paragraph.text = point
        _style(paragraph, 22)
        paragraph.space_after = Pt(10)
    commit = str(about.get("commit") or "")
    if commit:
        paragraph = frame.add_paragraph()
        paragraph.text = f"Code version {commit[:12]}{' (with uncommitted changes)' if 'uncommitted' in commit else ''}"
        _style(paragraph, 14, colour=GREY)
    _clear_unused_placeholders(slide, [title, body])
    slide.notes_slide.notes_text_frame.text = _notes(
        [
            "Every number in this deck is in the report, with its source, its date and its scope.",
            "Questions on a figure: the report's technical annex lists the rows and flags behind it.",
        ]
    )


# -- text -----------------------------------------------------------------------------------------


def title_band(meta: dict) -> float:
    """The share of the PNG's height to crop from the top (0: none); see :data:`TITLE_BAND_KEY`."""
    try:
        band = float(meta.get(TITLE_BAND_KEY) or 0)
    except (TypeError, ValueError):
        return 0.0
    return band if 0 < band <= MAX_TITLE_BAND else 0.0


def _caveat(meta: dict) -> str:
    """One caveat a presenter should say about the chart, from what its texts say it holds."""
    text = " ".join(str(meta.get(key, "")) for key in ("title", "subtitle", "alt")).lower()
    if "derived" in text:
        return (
            "the dashed or 'derived' values are computed in the report from the sourced figures; no source states them."
        )
    if "partial" in text:
        return "hatched bars are partial figures, a part of the whole: not the period's total."
    if "scenario" in text:
        return "a scenario is arithmetic on a stated pace, not a forecast."
    if "scope" in text or "before nov" in text or "regained" in text or "programme" in text:
        return "figures of different scopes are shown apart and never added."
    if re.search(r"\b(about|over|nearly|at least|more than)\b", text):
        return "rounded figures ('about', 'over', 'at least') are shown as the sources round them."
    return "each value is as its source states it, on its own date; sources are named on the chart."


def _notes(points: list[str], source: str | None = None) -> str:
    lines = [f"• {point}" for point in points]
    if source:
        lines += ["", f"Source: {source}"]
    return "\n".join(lines)


def _set_alt_text(picture, text: str) -> None:
    picture._element.nvPicPr.cNvPr.set("descr", text)


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
