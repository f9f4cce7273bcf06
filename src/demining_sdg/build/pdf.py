"""Print the assembled HTML report to an A4 PDF with Debian's headless Chromium (via playwright).

The PDF is the same page as ``index.html``, laid out by the print stylesheet
(``present/templates/print.css``): a cover, every chapter on a new page, figures and table
rows kept whole, the source registry set compactly. Chromium adds the running title and the
page numbers (``display_header_footer``). The browser gets no network: every request that is
not a ``file:`` or ``data:`` URL is aborted.

If the page does not carry the print stylesheet yet (it is recognised by its first line), it is
added before printing, so an HTML file rendered without it prints the same way.
"""

from __future__ import annotations

import html
import re
import shutil
import warnings
from pathlib import Path

from demining_sdg import paths

PDF_FILE_NAME = "report.pdf"
PRINT_CSS = paths.TEMPLATES_DIR / "print.css"
PRINT_CSS_MARKER = "demining_sdg print stylesheet"
CHROMIUM_CANDIDATES = ("/usr/bin/chromium", "/usr/bin/chromium-browser")
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
PAGE_FORMAT = "A4"
PAGE_WIDTH_MM = 210
# The page margins hold Chromium's header and footer; print.css sets the same in @page (the
# cover, @page :first, has none), and the tables are fitted to the width left between them.
MARGINS_MM = {"top": 15, "bottom": 14, "left": 13, "right": 13}
CONTENT_WIDTH_PX = (PAGE_WIDTH_MM - MARGINS_MM["left"] - MARGINS_MM["right"]) / 25.4 * 96
PRINT_TIMEOUT_MS = 180_000

_BAR = (
    "font-family: 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif; font-size: 7.5pt; color: #595959;"
    f" width: 100%; margin: 0 {MARGINS_MM['left']}mm 0 {MARGINS_MM['right']}mm;"
    " display: flex; justify-content: space-between;"
)
_INJECT = """css => {
  const style = document.createElement('style');
  style.setAttribute('media', 'print');
  style.textContent = css;
  document.head.appendChild(style);
}"""
# Fitting the tables to the page width (laid out at the width of the printed page). A table wider
# than the page would make Chromium shrink the whole document to fit it. Cells holding one short
# value or a date ("2022-04-01", "1 Apr 2022") are kept on one line (print-nowrap) where the table
# still fits; a table too wide even so is set tighter (print-tight, then print-tighter).
# Empty cells of the source registry ("–") are marked print-empty: its entries leave them out.
# Returns the captions of the tables that still do not fit.
_FIT_TABLES = r"""() => {
  const short = /^(\S{1,12}|\d{1,2} [A-Z][a-z]{2} \d{4}|[A-Z][a-z]{2} \d{4})$/;
  const wide = [];
  for (const cell of document.querySelectorAll('.sources-table td')) {
    if (/^[–-]?$/.test(cell.textContent.trim())) cell.classList.add('print-empty');
  }
  for (const table of document.querySelectorAll('main table')) {
    const room = table.parentElement.getBoundingClientRect().width;
    const tooWide = () => table.getBoundingClientRect().width > room + 0.5;
    if (!table.closest('.sources-table')) {
      const cells = [...table.querySelectorAll('td')].filter(c => short.test(c.textContent.trim()));
      cells.forEach(c => c.classList.add('print-nowrap'));
      if (tooWide()) cells.forEach(c => c.classList.remove('print-nowrap'));
    }
    for (const step of ['print-tight', 'print-tighter']) {
      if (tooWide()) table.classList.add(step);
    }
    if (tooWide()) {
      const caption = table.closest('figure')?.querySelector('figcaption');
      wide.push((caption ? caption.textContent : table.textContent).trim().slice(0, 80));
    }
  }
  return wide;
}"""
_HAS_PRINT_CSS = "marker => Array.from(document.querySelectorAll('style')).some(s => s.textContent.includes(marker))"


class ChromiumMissing(RuntimeError):
    """Headless Chromium (or playwright, which drives it) is not installed."""


def chromium_path() -> str:
    """Debian's Chromium; playwright must drive it, as no browser can be downloaded."""
    for candidate in CHROMIUM_CANDIDATES:
        if Path(candidate).is_file():
            return candidate
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found:
        return found
    raise ChromiumMissing(
        "The PDF is printed by headless Chromium, which was not found (looked for "
        f"{', '.join(CHROMIUM_CANDIDATES)} and `chromium` on PATH). "
        "Install it with: sudo apt-get install chromium"
    )


def header_template(title: str) -> str:
    """The running title, at the top of every page."""
    return f'<div style="{_BAR}"><span>{html.escape(title)}</span><span></span></div>'


def footer_template() -> str:
    """'Page n of N' at the foot of every page (Chromium fills in the classes pageNumber and totalPages)."""
    return (
        f'<div style="{_BAR}"><span></span>'
        '<span>Page <span class="pageNumber"></span> of <span class="totalPages"></span></span></div>'
    )


def page_count(pdf_file: Path) -> int:
    """Pages in a PDF written by Chromium (Skia writes one plain ``/Type /Page`` object per page)."""
    data = pdf_file.read_bytes()
    pages = len(re.findall(rb"/Type\s*/Page(?![A-Za-z])", data))
    if pages == 0:
        counts = [int(n) for n in re.findall(rb"/Type\s*/Pages\b[^>]*?/Count\s+(\d+)", data)]
        pages = max(counts, default=0)
    if pages == 0:
        raise RuntimeError(f"{pdf_file.name} does not look like a PDF with pages")
    return pages


def write_pdf(html_file: Path, pdf_file: Path, *, title: str) -> int:
    """Print ``html_file`` to ``pdf_file`` (A4, page numbers, running ``title``); returns the page count.

    Raises ChromiumMissing when Chromium or playwright is not installed, FileNotFoundError when
    ``html_file`` does not exist.
    """
    html_file = Path(html_file)
    if not html_file.is_file():
        raise FileNotFoundError(f"no HTML report to print at {html_file}")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        raise ChromiumMissing(
            "The PDF is printed by headless Chromium driven by playwright, which is not installed: "
            "pip install playwright, and sudo apt-get install chromium"
        ) from None
    executable = chromium_path()
    url = html_file.resolve().as_uri()
    pdf_file = Path(pdf_file)
    pdf_file.parent.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, headless=True, args=LAUNCH_ARGS)
        try:
            context = browser.new_context(offline=True)
            page = context.new_page()
            page.set_default_timeout(PRINT_TIMEOUT_MS)

            def route(route_request) -> None:
                if route_request.request.url.startswith(("file:", "data:")):
                    route_request.continue_()
                else:
                    route_request.abort()

            page.route("**/*", route)
            page.goto(url, wait_until="load")
            if not page.evaluate(_HAS_PRINT_CSS, PRINT_CSS_MARKER):
                page.evaluate(_INJECT, PRINT_CSS.read_text(encoding="utf-8"))
            page.emulate_media(media="print")
            page.set_viewport_size({"width": round(CONTENT_WIDTH_PX), "height": 1000})
            too_wide = page.evaluate(_FIT_TABLES)
            if too_wide:
                warnings.warn(
                    f"tables wider than the page, so Chromium shrinks the whole PDF: {'; '.join(too_wide)}",
                    stacklevel=2,
                )
            page.pdf(
                path=str(pdf_file),
                format=PAGE_FORMAT,
                print_background=True,
                display_header_footer=True,
                header_template=header_template(title),
                footer_template=footer_template(),
                margin={side: f"{mm}mm" for side, mm in MARGINS_MM.items()},
                outline=True,
                tagged=True,
            )
        finally:
            browser.close()
    return page_count(pdf_file)
