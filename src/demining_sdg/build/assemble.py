"""Assemble executed chapter notebooks into one self-contained HTML file.

nbconvert turns each executed notebook into an HTML fragment (no code, no prompts, no
parameters cells, no stray outputs); the fragments are then numbered (chapters, figures,
tables), given unique anchors and a table of contents, and poured into one Jinja page with
inlined CSS and no script at all.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import jinja2
import nbformat
from bs4 import BeautifulSoup
from nbconvert import HTMLExporter
from nbconvert.preprocessors import Preprocessor

from demining_sdg import paths
from demining_sdg.present.chapter import READS_MIME, SUMMARY_MIME, omitted_sections, summary_messages

HIDDEN_CELL_TAGS = {"parameters", "injected-parameters", "remove-cell"}
SHOWN_MIMETYPES = ("text/html", "text/markdown", "image/png", "image/svg+xml")


class ReportCellFilter(Preprocessor):
    """Drop parameters cells, code, streams, errors and plain-text reprs; keep rich outputs."""

    def preprocess(self, nb, resources):
        kept = []
        for cell in nb.cells:
            if HIDDEN_CELL_TAGS & set(cell.get("metadata", {}).get("tags", [])):
                continue
            if cell.cell_type == "code":
                outputs = []
                for output in cell.get("outputs", []):
                    if output.get("output_type") not in {"display_data", "execute_result"}:
                        continue
                    data = {k: v for k, v in output.get("data", {}).items() if k in SHOWN_MIMETYPES}
                    if data:
                        output["data"] = data
                        outputs.append(output)
                cell.outputs = outputs
                if not outputs:
                    continue
            if cell.cell_type == "raw":
                continue
            kept.append(cell)
        nb.cells = kept
        return nb, resources


def _exporter() -> HTMLExporter:
    exporter = HTMLExporter(
        template_name="basic",
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
        exclude_anchor_links=True,
    )
    exporter.register_preprocessor(ReportCellFilter(), enabled=True)
    return exporter


@dataclass
class ChapterHTML:
    """One chapter, split by placement: its body in the main report, blocks lifted to the front
    (at a glance), blocks moved to the technical annex, and its records."""

    number: int
    slug: str
    title: str
    anchor: str
    body: str
    sections: list[tuple[str, str]]
    omitted: list[dict]
    front: list[str] = field(default_factory=list)
    annex: list[str] = field(default_factory=list)
    summary: list[dict] = field(default_factory=list)
    in_annex_only: bool = False

    @property
    def annex_anchor(self) -> str:
        return f"annex-ch{self.number}"


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "section"


SECTION_CONTENT = "figure, .figure-block, .findings, .cards, .note, table, .placement-front, .placement-annex"


def chapter_html(executed: Path, number: int) -> ChapterHTML:
    """Convert one executed notebook into its parts (see :class:`ChapterHTML`)."""
    notebook = nbformat.read(executed, as_version=4)
    omitted = omitted_sections(notebook.cells)
    summary = summary_messages(notebook.cells)
    body, _ = _exporter().from_notebook_node(notebook)
    soup = BeautifulSoup(body, "html.parser")
    for tag in soup.find_all(["script", "style", "link", "iframe", "object", "embed"]):
        tag.decompose()
    slug = re.sub(r"^\d+_", "", executed.stem)
    prefix = f"ch{number}"
    for tag in soup.find_all(id=True):
        if not tag["id"].startswith(("figure-", "source-")):
            tag["id"] = f"{prefix}-{tag['id']}"
    for message in summary:
        message["link"] = f"{prefix}-{message['link']}"
    # One h1 for the report: a chapter's title becomes an h2, its section headings h3 (and so on).
    for level in (5, 4, 3, 2, 1):
        for tag in soup.find_all(f"h{level}"):
            tag.name = f"h{level + 1}"
    heading = soup.find("h2")
    title = heading.get_text(" ", strip=True) if heading else slug.replace("_", " ").capitalize()
    anchor = f"chapter-{number}-{_slug(slug)}"
    if heading:
        heading.string = f"{number}. {title}"
        heading["id"] = anchor
        heading["class"] = heading.get("class", []) + ["chapter-title"]
    for div in soup.select("div.jp-RenderedHTMLCommon, div.output_html, div.text_cell_render"):
        div.attrs = {k: v for k, v in div.attrs.items() if k == "class"}
    front = [_take(block) for block in soup.select("div.placement-front")]
    annex = []
    for block in soup.select("div.placement-annex"):
        for tag in block.find_all(["h3", "h4"]):  # one level down inside the annex part
            tag.name = "h4" if tag.name == "h3" else "h5"
        annex.append(_take(block))
    in_annex_only = bool(annex) and not soup.select(SECTION_CONTENT)
    if in_annex_only:  # the whole chapter is audit trail: it moves to the annex, one level down
        for level in (4, 3, 2):
            for tag in soup.find_all(f"h{level}"):
                tag.name = f"h{level + 1}"
        if heading:
            heading["id"] = f"annex-ch{number}"
        return ChapterHTML(
            number, slug, title, anchor, str(soup) + "".join(annex), [], omitted, front, [], summary, True
        )
    sections = []
    for h3 in soup.find_all("h3"):
        h3["id"] = h3.get("id") or f"{prefix}-{_slug(h3.get_text(' ', strip=True))}"
        sections.append((h3.get_text(" ", strip=True), h3["id"]))
    if annex and not in_annex_only:
        link = soup.new_tag("p", attrs={"class": "annex-link"})
        link.string = "How these figures were derived, with the rows and flags behind them: "
        target = soup.new_tag("a", href=f"#annex-ch{number}")
        target.string = f"technical annex, {number}. {title}"
        link.append(target)
        soup.append(link)
    return ChapterHTML(number, slug, title, anchor, str(soup), sections, omitted, front, annex, summary, in_annex_only)


def _take(block) -> str:
    """A placement block's inner HTML, taken out of the chapter."""
    html = "".join(str(child) for child in block.contents)
    block.decompose()
    return html


def _number_figures_and_tables(html: str) -> tuple[str, list[str], int]:
    """Number figures and tables in reading order (after blocks have moved to the front and annex)."""
    soup = BeautifulSoup(html, "html.parser")
    figure_names = []
    for number, figure in enumerate(soup.select("figure.report-figure"), start=1):
        figure.select_one(".figure-number").string = f"Figure {number}. "
        figure_names.append(figure["data-figure"])
    tables = soup.select("figure.report-table")
    for number, table in enumerate(tables, start=1):
        table.select_one(".table-number").string = f"Table {number}. "
    counts = soup.find(id="figure-table-counts")
    if counts is not None:
        counts.string = f"{len(figure_names)} figures, {len(tables)} tables"
    return str(soup), figure_names, len(tables)


@dataclass(frozen=True)
class Assembled:
    """What the deck needs from the assembled report."""

    figure_names: list[str]
    summary: list[dict]


def _body_sections(notebook) -> int:
    """How many sections a chapter shows in its own body or annex part (outputs of the section
    runner: HTML or summary messages; a block lifted to the front matter does not count)."""
    return sum(
        1
        for cell in notebook.cells
        for output in cell.get("outputs", [])
        if READS_MIME in output.get("data", {})
        and (SUMMARY_MIME in output["data"] or not str(output["data"].get("text/html", FRONT)).startswith(FRONT))
    )


def _left_out_chapter(notebook) -> dict:
    """A chapter none of whose sections the data support: its title and the reasons, for the annex."""
    heading = next((c.source for c in notebook.cells if c.cell_type == "markdown" and c.source.startswith("#")), "")
    return {
        "title": heading.splitlines()[0].lstrip("# ").strip() if heading else "",
        "omitted": omitted_sections(notebook.cells),
    }


def assemble_report(executed_notebooks: list[Path], about: dict, out_file: Path) -> Assembled:
    """Write the single-file report; returns the figure names in reading order and the summary. A
    chapter that shows no section is left out (chapters are numbered as shown) and the annex says why."""
    books = {executed: nbformat.read(executed, as_version=4) for executed in executed_notebooks}
    shown = [executed for executed, book in books.items() if _body_sections(book)]
    left_out = [_left_out_chapter(book) for executed, book in books.items() if executed not in shown]
    chapters = [chapter_html(executed, number) for number, executed in enumerate(shown, start=1)]
    # A left-out chapter's blocks for the front matter (at a glance) still lead the report.
    unnumbered = {e: chapter_html(e, LEFT_OUT_NUMBERS + i) for i, e in enumerate(books) if e not in shown}
    numbered = dict(zip(shown, chapters))
    front = [block for e in books for block in (numbered.get(e) or unnumbered[e]).front]
    summary = [message for chapter in chapters for message in chapter.summary][:MAX_SUMMARY_MESSAGES]
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(paths.TEMPLATES_DIR), autoescape=True, undefined=jinja2.StrictUndefined
    )
    css = (paths.TEMPLATES_DIR / "report.css").read_text(encoding="utf-8")
    print_css = (
        (paths.TEMPLATES_DIR / "print.css").read_text(encoding="utf-8")
        if (paths.TEMPLATES_DIR / "print.css").is_file()
        else ""
    )
    html = env.get_template("report.html.j2").render(
        chapters=chapters,
        about=about,
        css=css,
        print_css=print_css,
        summary=summary,
        left_out_chapters=left_out,
        front=front,
    )
    html, figure_names, _ = _number_figures_and_tables(html)
    out_file.write_text(html, encoding="utf-8")
    return Assembled(figure_names, summary)


MAX_SUMMARY_MESSAGES = 6
FRONT = '<div class="placement-front"'  # how the section runner wraps a block for the front matter
LEFT_OUT_NUMBERS = 100  # id prefixes (ch100-…) of the front blocks of chapters left out
