"""Rendering for another country gives a coherent report: Cambodia."""

from __future__ import annotations

from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from demining_sdg import paths
from demining_sdg.build.render import render
from demining_sdg.params import load_params
from rendering import external_references, figure_captions

pytestmark = pytest.mark.render


@pytest.fixture(scope="module")
def cambodia(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("khm")
    render(load_params(paths.DEFAULT_PARAMS_FILE, {"out_dir": str(out), "country": "KHM", "first_year": 2005}))
    return out


def test_cambodia_report_has_every_chapter_and_names_the_country(cambodia: Path):
    soup = BeautifulSoup((cambodia / "index.html").read_text(encoding="utf-8"), "html.parser")
    assert "Cambodia" in soup.title.get_text()
    assert len(soup.select("section.chapter h1")) == len(paths.chapter_notebooks()) + 1
    about = soup.find(id="about").parent.get_text(" ")
    assert "KHM" in about and "2005" in about


def test_cambodia_report_says_what_is_missing_instead_of_empty_charts(cambodia: Path):
    html = (cambodia / "index.html").read_text(encoding="utf-8")
    soup = BeautifulSoup(html, "html.parser")
    assert soup.select(".note-missing"), "chapters without Cambodia data must say so in a sentence"
    for note in soup.select(".note-missing"):
        assert len(note.get_text(strip=True)) > 20
    assert figure_captions(html), "Cambodia has data for some figures"
    assert external_references(html) == []


def test_cambodia_figures_are_written_beside_its_report(cambodia: Path):
    assert (cambodia / "figures").is_dir()
    names = {p.name for p in (cambodia / "figures").iterdir()}
    assert names, "figures of the Cambodia render are kept beside it"
