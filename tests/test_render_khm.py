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


def test_cambodia_report_accounts_for_every_chapter_and_names_the_country(cambodia: Path):
    soup = BeautifulSoup((cambodia / "index.html").read_text(encoding="utf-8"), "html.parser")
    assert "Cambodia" in soup.title.get_text()
    # every chapter is shown, or (none of its sections supported) named as left out in the annex
    whole = [li for li in soup.select("ul.left-out li") if "the whole chapter" in li.get_text()]
    assert len(soup.select(".chapter-title")) + len(whole) == len(paths.chapter_notebooks()) and soup.find(id="about")
    about = soup.find(id="about-provenance").parent.get_text(" ")
    assert "KHM" in about and "2005" in about


def test_cambodia_report_leaves_out_what_its_data_do_not_support_and_says_why_in_the_annex(cambodia: Path):
    html = (cambodia / "index.html").read_text(encoding="utf-8")
    soup = BeautifulSoup(html, "html.parser")
    assert not soup.select(".note-missing"), "a section the data do not support is left out, not apologised for"
    left_out = soup.select("ul.left-out li")
    assert left_out, "the annex lists the sections left out for Cambodia"
    for item in left_out:
        assert "left out because" in item.get_text() and len(item.get_text(strip=True)) > 40
    assert figure_captions(html), "Cambodia has data for some figures"
    assert external_references(html) == []


def test_cambodia_figures_are_written_beside_its_report(cambodia: Path):
    assert (cambodia / "figures").is_dir()
    names = {p.name for p in (cambodia / "figures").iterdir()}
    assert names, "figures of the Cambodia render are kept beside it"
