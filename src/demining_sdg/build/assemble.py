"""Assemble executed chapter notebooks into one self-contained HTML file.

nbconvert turns each executed notebook into an HTML fragment (no code, no prompts, no
parameters cells, no stray outputs); the fragments are then numbered (chapters, figures,
tables), given unique anchors and a table of contents, and poured into one Jinja page with
inlined CSS and no script at all.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import jinja2
import nbformat
from bs4 import BeautifulSoup
from nbconvert import HTMLExporter
from nbconvert.preprocessors import Preprocessor

from demining_sdg import paths
from demining_sdg.present.chapter import omitted_sections

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
    number: int
    slug: str
    title: str
    anchor: str
    body: str
    sections: list[tuple[str, str]]
    omitted: list[dict]


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "section"


def chapter_html(executed: Path, number: int, figure_start: int, table_start: int) -> tuple[ChapterHTML, list[str], int]:
    """Convert one executed notebook; returns the chapter, its figure names, and its table count."""
    notebook = nbformat.read(executed, as_version=4)
    omitted = omitted_sections(notebook.cells)
    body, _ = _exporter().from_notebook_node(notebook)
    soup = BeautifulSoup(body, "html.parser")
    for tag in soup.find_all(["script", "style", "link", "iframe", "object", "embed"]):
        tag.decompose()
    stem = executed.stem
    slug = re.sub(r"^\d+_", "", stem)
    prefix = f"ch{number}"
    for tag in soup.find_all(id=True):
        if not tag["id"].startswith(("figure-", "source-")):
            tag["id"] = f"{prefix}-{tag['id']}"
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
    sections = []
    for h3 in soup.find_all("h3"):
        h3_id = f"{prefix}-{_slug(h3.get_text(' ', strip=True))}"
        h3["id"] = h3_id
        sections.append((h3.get_text(" ", strip=True), h3_id))
    figure_names = []
    for offset, figure in enumerate(soup.select("figure.report-figure")):
        figure.select_one(".figure-number").string = f"Figure {figure_start + offset}. "
        figure_names.append(figure["data-figure"])
    tables = soup.select("figure.report-table")
    for offset, table in enumerate(tables):
        table.select_one(".table-number").string = f"Table {table_start + offset}. "
    for div in soup.select("div.jp-RenderedHTMLCommon, div.output_html, div.text_cell_render"):
        div.attrs = {k: v for k, v in div.attrs.items() if k == "class"}
    return (
        ChapterHTML(number, slug, title, anchor, str(soup), sections, omitted),
        figure_names,
        len(tables),
    )


def assemble_report(executed_notebooks: list[Path], about: dict, out_file: Path) -> list[str]:
    """Write the single-file report; returns the figure names in reading order."""
    chapters: list[ChapterHTML] = []
    figure_names: list[str] = []
    table_count = 0
    for number, executed in enumerate(executed_notebooks, start=1):
        chapter, names, tables = chapter_html(executed, number, len(figure_names) + 1, table_count + 1)
        chapters.append(chapter)
        figure_names += names
        table_count += tables
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(paths.TEMPLATES_DIR), autoescape=True, undefined=jinja2.StrictUndefined
    )
    css = (paths.TEMPLATES_DIR / "report.css").read_text(encoding="utf-8")
    html = env.get_template("report.html.j2").render(
        chapters=chapters, about=about, css=css, figure_count=len(figure_names), table_count=table_count
    )
    out_file.write_text(html, encoding="utf-8")
    return figure_names
