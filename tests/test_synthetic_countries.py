"""Full renders of the three synthetic countries (tests/fixtures/synthetic/): every chapter copes with
rich data in two scopes (XAA), one national scope (XBB) and funding only (XCC), with no placeholder
text, no empty section, a contents list that matches the body, and an annex listing what is left out.

Slow: one full render per country (``-m render``)."""

from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest
from bs4 import BeautifulSoup, Tag

from conftest import run_cli
from demining_sdg import paths
from rendering import external_references, figure_captions

pytestmark = pytest.mark.render

COUNTRIES = ("XAA", "XBB", "XCC")
NAMES = {"XAA": "Synthetic Country A", "XBB": "Synthetic Country B", "XCC": "Synthetic Country C"}
PHRASES = ("not available for", "specific to", "{{")
WORDS = re.compile(r"\b(?:None|NaN|NaT)\b")
# What counts as content under a heading; a "no data" note (.note-missing) or a group intro alone does not.
CONTENT_TAGS = ("p", "figure", "table", "ul", "ol", "dl", "blockquote", "img", "svg", "aside")
NOT_CONTENT_CLASSES = {"note-missing", "section-intro"}


@dataclass
class Render:
    iso3: str
    done: subprocess.CompletedProcess
    out: Path

    @property
    def soup(self) -> BeautifulSoup:
        return BeautifulSoup(self.html, "html.parser")

    @property
    def html(self) -> str:
        return (self.out / "index.html").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def render_country(synthetic_data_dir: Path, tmp_path_factory):
    """``render_country('XAA')``: the CLI render of one synthetic country, done once per module."""
    done: dict[str, Render] = {}

    def render(iso3: str) -> Render:
        if iso3 not in done:
            base = tmp_path_factory.mktemp(f"render-{iso3.lower()}")
            data = base / "data"
            shutil.copytree(synthetic_data_dir, data)
            out = base / "out"
            result = run_cli(
                "render",
                "--data-dir",
                str(data),
                "--set",
                f"country={iso3}",
                "--out",
                str(out),
            )
            done[iso3] = Render(iso3, result, out)
        report = done[iso3]
        assert report.done.returncode == 0, f"render of {iso3} failed:\n{report.done.stdout}\n{report.done.stderr}"
        return report

    return render


def _chapters(soup: BeautifulSoup) -> list[Tag]:
    return [s for s in soup.select("section.chapter") if "about" not in (s.get("class") or [])]


def _reader_text(soup: BeautifulSoup) -> list[tuple[str, str]]:
    """(where, text) of everything a reader sees: chapters, contents, the annex of sections left out,
    and the alt, title and aria-label attributes within them."""
    parts = _chapters(soup) + soup.select("nav.toc") + soup.select("ul.left-out")
    found = []
    for part in parts:
        heading = part.find(["h2", "h3"])
        where = heading.get_text(" ", strip=True) if heading else part.name
        found.append((where, part.get_text(" ", strip=True)))
        for tag in part.find_all(True):
            for attribute in ("alt", "title", "aria-label"):
                if tag.get(attribute):
                    found.append((f"{where} [{tag.name} {attribute}]", str(tag[attribute])))
    return found


def _has_content(tag: Tag) -> bool:
    if tag.name not in CONTENT_TAGS or NOT_CONTENT_CLASSES & set(tag.get("class") or []):
        return False
    return tag.name in ("img", "svg") or bool(tag.get_text(strip=True))


@pytest.mark.parametrize("iso3", COUNTRIES)
def test_the_render_succeeds_and_names_the_country(render_country, iso3: str):
    report = render_country(iso3)
    soup = report.soup
    assert NAMES[iso3] in soup.title.get_text()
    # every chapter is shown, or (none of its sections supported) named as left out in the annex
    whole = [li for li in soup.select("ul.left-out li") if "the whole chapter" in li.get_text()]
    assert len(soup.select(".chapter-title")) + len(whole) == len(paths.chapter_notebooks()) and soup.find(id="about")
    assert iso3 in soup.find(id="about-provenance").parent.get_text(" ")
    assert external_references(report.html) == []


@pytest.mark.parametrize("iso3", COUNTRIES)
def test_no_placeholder_or_missing_value_reaches_the_reader(render_country, iso3: str):
    bad = []
    for where, text in _reader_text(render_country(iso3).soup):
        lowered = text.lower()
        for phrase in PHRASES:
            at = lowered.find(phrase)
            if at >= 0:
                bad.append(f"{where}: {phrase!r} in …{text[max(0, at - 60) : at + 60]}…")
        for match in WORDS.finditer(text):
            bad.append(f"{where}: {match.group()!r} in …{text[max(0, match.start() - 60) : match.end() + 60]}…")
    assert not bad, "\n".join(bad)


@pytest.mark.parametrize("iso3", COUNTRIES)
def test_every_heading_in_a_chapter_is_followed_by_content(render_country, iso3: str):
    empty = []
    for chapter in _chapters(render_country(iso3).soup):
        inside = set(map(id, chapter.find_all(True)))
        for h3 in chapter.find_all("h3"):
            has_content = False
            for tag in h3.find_all_next(True):
                if id(tag) not in inside or tag.name in ("h2", "h3"):
                    break
                if _has_content(tag):
                    has_content = True
                    break
            if not has_content:
                empty.append(h3.get_text(" ", strip=True))
    assert not empty, f"headings with nothing under them: {empty}"


@pytest.mark.parametrize("iso3", COUNTRIES)
def test_the_contents_list_only_headings_in_the_body(render_country, iso3: str):
    soup = render_country(iso3).soup
    main = soup.find("main")
    listed = []
    for link in soup.select("nav.toc a[href^='#']"):
        anchor = link["href"][1:]
        target = main.find(id=anchor)
        assert target is not None and target.name in ("h2", "h3"), f"contents entry {link.get_text()!r} -> #{anchor}"
        assert target.get_text(" ", strip=True).endswith(link.get_text(" ", strip=True)), anchor
        listed.append(anchor)
    for chapter in _chapters(soup):
        for heading in chapter.find_all(["h2", "h3"]):
            assert heading.get("id") in listed, f"heading {heading.get_text()!r} missing from the contents"


@pytest.mark.parametrize("iso3", ["XAA", "XBB"])
def test_countries_with_data_get_figures(render_country, iso3: str):
    report = render_country(iso3)
    captions = figure_captions(report.html)
    assert captions, f"{iso3} has clearance, casualty and funding series"
    for caption in captions:
        assert caption["title"] and caption["alt"] and caption["source"].startswith("Source:")
    names = {p.stem for p in (report.out / "figures").iterdir()}
    assert {c["name"] for c in captions} <= names


def test_the_annex_lists_the_sections_left_out_for_the_funding_only_country(render_country):
    soup = render_country("XCC").soup
    heading = soup.find(id="about-left-out")
    assert heading is not None and NAMES["XCC"] in heading.find_next("p").get_text()
    items = soup.select("ul.left-out li")
    assert items, "XCC has funding rows only: sections must be left out and listed"
    numbers, whole = set(), []
    for item in items:
        text = " ".join(item.get_text().split())
        assert item.strong and item.strong.get_text(strip=True), text
        if chapter := re.match(r"(.+), the whole chapter \((\d+) sections\), left out because (.+)\.$", text):
            assert int(chapter.group(2)) > 0 and len(chapter.group(3)) > 10, text
            whole.append(chapter.group(1).lower())
            continue
        match = re.match(r"(\d+)\. .+: (.+), left out because (.+)\.$", text)
        assert match, text
        assert len(match.group(3)) > 10, text
        numbers.add(int(match.group(1)))
    shown = [h.get_text() for h in soup.select(".chapter-title")]
    for topic in ("clearance", "casualties"):  # no data for XCC: sections or the whole chapter left out
        number = next((int(t.split(".")[0]) for t in shown if topic in t.lower()), None)
        assert number in numbers or any(topic in title for title in whole), f"{topic}: nothing left out for XCC"
