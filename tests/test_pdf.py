"""The PDF of the report: the committed report/index.html printed by headless Chromium (build/pdf.py).

The page text and page sizes are read with pypdf when it is installed, else with pdftotext and
pdfinfo from Debian's poppler-utils (``apt-get install -y poppler-utils``).
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from demining_sdg import paths
from demining_sdg.build.pdf import write_pdf

pytestmark = pytest.mark.browser

REPORT = paths.REPORT_DIR / paths.REPORT_FILE_NAME
A4_POINTS = (595.28, 841.89)  # 210 mm x 297 mm
TOLERANCE_POINTS = 2.0  # Chromium writes A4 as 595.92 x 842.88


def _squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def _pdf_pages(pdf: Path) -> tuple[list[str], list[tuple[float, float]]]:
    """Each page's text, and each page's (width, height) in points."""
    try:
        import pypdf
    except ImportError:
        pypdf = None
    if pypdf is not None:
        reader = pypdf.PdfReader(pdf)
        texts = [page.extract_text() or "" for page in reader.pages]
        sizes = [(float(page.mediabox.width), float(page.mediabox.height)) for page in reader.pages]
        return texts, sizes
    if not (shutil.which("pdftotext") and shutil.which("pdfinfo")):
        pytest.fail("reading the PDF needs pypdf or Debian's poppler-utils: apt-get install -y poppler-utils")
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    texts = text.split("\f")
    info = subprocess.run(
        ["pdfinfo", "-f", "1", "-l", "100000", str(pdf)], capture_output=True, text=True, check=True
    ).stdout
    sizes = [(float(w), float(h)) for w, h in re.findall(r"^Page\s+\d+\s+size:\s+([\d.]+) x ([\d.]+) pts", info, re.M)]
    return texts[: len(sizes)], sizes


@pytest.fixture(scope="module")
def printed(tmp_path_factory) -> tuple[Path, int, BeautifulSoup]:
    assert REPORT.is_file(), f"no committed report at {REPORT}"
    soup = BeautifulSoup(REPORT.read_text(encoding="utf-8"), "html.parser")
    pdf = tmp_path_factory.mktemp("pdf") / "report.pdf"
    pages = write_pdf(REPORT, pdf, title=soup.title.get_text(strip=True))
    return pdf, pages, soup


def test_pdf_has_every_chapter_each_on_a_new_a4_page(printed):
    pdf, pages, soup = printed
    assert pdf.is_file() and pdf.stat().st_size > 100_000
    texts, sizes = _pdf_pages(pdf)
    print(f"\nreport.pdf: {pages} pages")
    assert len(sizes) == pages

    for number, (width, height) in enumerate(sizes, start=1):
        assert abs(width - A4_POINTS[0]) <= TOLERANCE_POINTS and abs(height - A4_POINTS[1]) <= TOLERANCE_POINTS, (
            f"page {number} is {width} x {height} pt, not A4"
        )

    running_title = _squash(soup.title.get_text())
    page_texts = [_squash(text) for text in texts]
    chapter_titles = [_squash(h2.get_text(" ")) for h2 in soup.select("h2.chapter-title")]
    assert chapter_titles
    cover = page_texts[0]
    assert _squash(soup.select_one("h1.report-title").get_text()) in cover
    assert "Data to" in cover
    for title in chapter_titles:
        found = [number for number, text in enumerate(page_texts) if title in text]
        assert found, f"chapter title {title!r} is not in the PDF text"
        # Each chapter starts a page: on its first page, only the running title comes before it.
        first = page_texts[found[0]]
        before = first[: first.index(title)].replace(running_title, "").strip()
        assert before == "", f"chapter {title!r} does not start page {found[0] + 1} (preceded by {before[:80]!r})"
    assert pages >= len(chapter_titles) + 1


def test_nothing_in_the_print_layout_is_wider_than_the_page():
    """Chromium shrinks every page to fit its widest element: one overflowing cell makes a PDF of
    half-size text. The print layout must fit the A4 content width."""
    from playwright.sync_api import sync_playwright

    from browser import LAUNCH_ARGS, chromium_path
    from demining_sdg.build.pdf import CONTENT_WIDTH_PX

    width = int(CONTENT_WIDTH_PX)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path(), headless=True, args=LAUNCH_ARGS)
        page = browser.new_page(viewport={"width": width, "height": 1000})
        page.emulate_media(media="print")
        page.goto(REPORT.resolve().as_uri())
        wider = page.evaluate(
            "w => [...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > w + 2)"
            ".slice(0, 5).map(e => e.tagName + ': ' + (e.textContent || '').trim().slice(0, 60))",
            width,
        )
        browser.close()
    assert wider == []
