"""The full render: one self-contained HTML report, figures, deck; failures leave it untouched."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import nbformat
import pytest
from bs4 import BeautifulSoup
from pptx import Presentation

from conftest import run_cli
from demining_sdg import paths
from demining_sdg.build.render import ChapterFailed, render
from demining_sdg.params import load_params
from rendering import external_references, figure_captions, read

pytestmark = pytest.mark.render


@pytest.fixture(scope="module")
def rendered(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("report")
    params = load_params(paths.DEFAULT_PARAMS_FILE, {"out_dir": str(out)})
    render(params)
    return out


def test_one_html_file_with_every_chapter(rendered: Path):
    html = read(rendered / "index.html")
    soup = BeautifulSoup(html, "html.parser")
    chapters = soup.select(".chapter-title")  # in the main report, or (audit-trail chapters) the annex
    assert len(chapters) == len(paths.chapter_notebooks()) and soup.find(id="about")
    toc_targets = {a["href"].lstrip("#") for a in soup.select("nav.toc a")}
    assert toc_targets <= {tag["id"] for tag in soup.find_all(id=True)}


def test_no_external_requests_and_no_scripts(rendered: Path):
    html = read(rendered / "index.html")
    assert external_references(html) == []
    assert "<script" not in html.lower()
    assert "mathjax" not in html.lower() and "require.js" not in html.lower()


def test_no_code_parameters_or_tracebacks_in_the_report(rendered: Path):
    html = read(rendered / "index.html")
    for marker in (
        "open_chapter(",
        "import ",
        "Injected parameters",
        "injected-parameters",
        "Traceback",
        "In&nbsp;[",
        "figures_dir =",
    ):
        assert marker not in html, marker


def test_every_figure_is_numbered_captioned_sourced_and_described(rendered: Path):
    captions = figure_captions(read(rendered / "index.html"))
    assert captions, "the report must contain figures"
    assert [c["number"] for c in captions] == [f"Figure {i}." for i in range(1, len(captions) + 1)]
    for caption in captions:
        assert caption["title"], caption
        assert caption["source"].startswith("Source: ") and len(caption["source"]) > 10, caption
        assert len(caption["alt"]) > 20, caption
        assert len(caption["tooltips"]) > 1, caption["name"]  # inline SVG: its title and a tooltip per datum


def test_figure_files_for_slides(rendered: Path):
    figures = rendered / "figures"
    for caption in figure_captions(read(rendered / "index.html")):
        stem = figures / caption["name"]
        for suffix in (".png", ".svg", ".csv", ".json"):
            assert stem.with_suffix(suffix).stat().st_size > 0, stem.with_suffix(suffix)
        meta = json.loads(stem.with_suffix(".json").read_text())
        assert meta["title"] == caption["title"] and meta["alt"] == caption["alt"]
        assert stem.with_suffix(".png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_deck_has_titled_key_figure_slides_with_alt_text(rendered: Path):
    deck = Presentation(str(rendered / "briefing_deck.pptx"))
    captions = {c["title"]: c for c in figure_captions(read(rendered / "index.html"))}
    slides = list(deck.slides)
    assert 8 <= len(slides) <= 12 and all(s.shapes.title is not None and s.shapes.title.text.strip() for s in slides)
    figure_slides = [s for s in slides if any(shape.shape_type == 13 for shape in s.shapes)]
    assert 6 <= len(figure_slides) <= 9
    for slide in figure_slides:
        [picture] = [s for s in slide.shapes if s.shape_type == 13]
        assert picture._element.nvPicPr.cNvPr.get("descr") == captions[slide.shapes.title.text]["alt"]
        assert "Source:" in slide.notes_slide.notes_text_frame.text


def test_the_annex_records_parameters_inputs_versions_and_commit(rendered: Path):
    soup = BeautifulSoup(read(rendered / "index.html"), "html.parser")
    about = soup.find(id="about-provenance").parent.get_text(" ")
    assert "country" in about and "AZE" in about
    assert "data/sources.csv" in about and "data/datapackage.json" in about
    assert "pandas" in about and "papermill" in about and "git commit" in about
    record = json.loads((rendered / "render.json").read_text())
    assert len(record["inputs"]["data/sources.csv"]) == 64


def test_two_renders_of_the_same_inputs_are_byte_identical(rendered: Path):
    def snapshot() -> dict[str, bytes]:
        return {
            str(p.relative_to(rendered)): p.read_bytes()
            for p in sorted(rendered.rglob("*"))
            if p.is_file() and "executed" not in p.parts
        }

    first = snapshot()
    render(load_params(paths.DEFAULT_PARAMS_FILE, {"out_dir": str(rendered)}))
    second = snapshot()
    assert sorted(first) == sorted(second)
    assert [name for name in first if first[name] != second[name]] == []


FAILING_CELL = "raise RuntimeError('deliberate failure for the test')"


def test_a_failing_chapter_stops_the_render_and_keeps_the_previous_report(rendered: Path, tmp_path: Path):
    notebooks = tmp_path / "notebooks"
    notebooks.mkdir()
    first = paths.chapter_notebooks()[0]
    shutil.copy(first, notebooks / first.name)
    broken = nbformat.read(first, as_version=4)
    broken.cells.append(nbformat.v4.new_code_cell(FAILING_CELL))
    nbformat.write(broken, notebooks / "02_broken.ipynb")
    before = {p.name: p.read_bytes() for p in [rendered / "index.html", rendered / "briefing_deck.pptx"]}
    figures_before = {p.name: p.read_bytes() for p in (rendered / "figures").iterdir()}

    done = run_cli("render", "--out", str(rendered), "--notebooks", str(notebooks))

    assert done.returncode == 3
    output = done.stderr + done.stdout
    assert "2/2 '02_broken'" in output
    assert f"at cell {len(broken.cells)} of {len(broken.cells)}" in output
    assert FAILING_CELL in output
    assert "RuntimeError: deliberate failure for the test" in output
    assert "failed/02_broken.ipynb" in output
    assert output.count("File ") < 3  # no long traceback
    assert {p.name: p.read_bytes() for p in [rendered / "index.html", rendered / "briefing_deck.pptx"]} == before
    assert {p.name: p.read_bytes() for p in (rendered / "figures").iterdir()} == figures_before
    assert not list(rendered.glob(".staging-*"))


def test_chapter_failure_is_raised_with_its_position(tmp_path: Path):
    notebooks = tmp_path / "nb"
    notebooks.mkdir()
    broken = nbformat.read(paths.chapter_notebooks()[0], as_version=4)
    broken.cells.append(nbformat.v4.new_code_cell(FAILING_CELL))
    nbformat.write(broken, notebooks / "01_broken.ipynb")
    params = load_params(None, {"out_dir": str(tmp_path / "out")})
    with pytest.raises(ChapterFailed) as failure:
        render(params, notebooks=sorted(notebooks.glob("*.ipynb")))
    assert failure.value.message == "RuntimeError: deliberate failure for the test"
    assert not (tmp_path / "out" / "index.html").exists()


def test_invalid_parameters_stop_before_any_kernel(tmp_path: Path):
    done = run_cli("render", "--out", str(tmp_path), "--set", "currency=GBP", "--set", "colour=red")
    assert done.returncode == 2
    assert "currency" in done.stderr and "unknown key 'colour'" in done.stderr
    assert "Traceback" not in done.stderr
    assert not (tmp_path / "index.html").exists()


def test_country_without_a_profile_is_a_clear_error(tmp_path: Path):
    done = run_cli("render", "--out", str(tmp_path), "--set", "country=UKR")
    assert done.returncode == 2
    assert "no country profile for UKR" in done.stderr and "AZE" in done.stderr and "Adding a country" in done.stderr


@pytest.mark.browser
def test_report_in_headless_chromium_offline(rendered: Path, tmp_path: Path):
    from browser import visit

    result = visit(rendered / "index.html", screenshot=tmp_path / "report.png")
    assert result.outside_requests == []
    assert result.console_errors == []
    assert result.image_count == len(figure_captions(read(rendered / "index.html")))
    assert result.broken_images == []
    assert (tmp_path / "report.png").stat().st_size > 10_000
