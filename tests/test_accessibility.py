"""The published report on a laptop and a phone: WCAG 2.1 AA (axe-core) at 1280 and 390 px, one h1,
valid figure markup, focusable scroll regions, a page light enough to open offline."""

from __future__ import annotations

import re
from collections import Counter

import pytest
from bs4 import BeautifulSoup

from demining_sdg import paths

REPORT = paths.REPORT_DIR / paths.REPORT_FILE_NAME
MAX_PAGE_BYTES = 1_500_000


@pytest.fixture(scope="module")
def soup() -> BeautifulSoup:
    return BeautifulSoup(REPORT.read_text(encoding="utf-8"), "html.parser")


@pytest.mark.browser
@pytest.mark.parametrize("width", [1280, 390])
def test_no_wcag_21_aa_violation(width: int):
    from browser import axe_violations

    assert axe_violations(REPORT, width) == []


def test_one_h1_and_chapters_below_it(soup):
    assert len(soup.find_all("h1")) == 1
    assert soup.select("section.chapter h2.chapter-title")


def test_the_summary_comes_before_the_chapters(soup):
    main = soup.find("main")
    order = [tag.get("id") for tag in main.find_all(["h2"]) if tag.get("id")]
    assert order[0] == "summary"
    assert order.index("annex") > max(i for i, a in enumerate(order) if a.startswith("chapter-"))


def test_figure_markup_is_valid_and_ids_are_unique(soup):
    for figure in soup.find_all("figure"):
        captions = figure.find_all("figcaption", recursive=False)
        assert len(captions) <= 1
        children = [c for c in figure.children if getattr(c, "name", None)]
        if captions:
            assert children[0] is captions[0] or children[-1] is captions[0], "figcaption first or last"
        assert not figure.find("details"), "details belong outside a figure"
    ids = Counter(tag["id"] for tag in soup.find_all(id=True))
    assert [i for i, n in ids.items() if n > 1] == []


def test_scrollable_tables_are_focusable_regions(soup):
    regions = soup.select(".table-scroll")
    assert regions and all(
        r.get("tabindex") == "0" and r.get("role") == "region" and r.get("aria-label") for r in regions
    )


def test_the_page_is_light_enough():
    assert REPORT.stat().st_size <= MAX_PAGE_BYTES, f"{REPORT.stat().st_size:,} bytes"


# What only the technical annex and the downloads may show: record ids, file and parameter names,
# exception names, Python literals, template braces.
ANNEX_ONLY = re.compile(
    r"\b(?:CLR|CAS|FUN|CON|CLM|S)\d{3}\b|\b[\w-]+\.(?:csv|yaml|yml|json|py|ipynb)\b|\b[A-Z]\w*(?:Error|Exception)\b"
    r"|\b(?:None|NaN|NaT|nan|True|False)\b|\{\{|\}\}|\boutlook\.\w+|--set\b|\bparams/"
)
DATE = re.compile(r"\b(?:19|20)\d\d\b")


def test_the_main_report_has_no_ids_files_parameters_or_exceptions(soup):
    main = BeautifulSoup(str(soup.find("main")), "html.parser")
    for part in main.select("section.annex, section.about"):
        part.decompose()
    text = main.get_text(" ")
    assert len(text.split()) > 1000  # the chapters are there
    assert ANNEX_ONLY.findall(text) == []


def test_each_summary_message_has_a_number_a_date_a_source_and_a_link(soup):
    messages = soup.select("ul.summary-messages > li")
    assert 4 <= len(messages) <= 6
    targets = {tag["id"] for tag in soup.find_all(id=True)}
    for message in messages:
        text = message.get_text(" ")
        assert re.search(r"\d", DATE.sub("", text)), text  # a number besides the year
        assert DATE.search(text), text
        link = message.select_one("a.more")
        assert link and link["href"].lstrip("#") in targets, text
        assert all(a["href"].lstrip("#") in targets for a in message.select("a.source-ref")), text


def test_the_main_report_reads_in_about_twelve_thousand_words(soup):
    """The reading path (summary and chapters; the figures' data tables fold away) stays short."""
    main = BeautifulSoup(str(soup.find("main")), "html.parser")
    for part in main.select("section.annex, section.about, details"):
        part.decompose()
    assert 3000 < len(main.get_text(" ").split()) <= 12_500
