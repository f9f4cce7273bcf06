"""The downloads beside the report (report/data/): every table as the section produced it, as CSV with an
HXL tag row; the SDG 16.1.2 proxy in the SDG Global Database's long format; a Frictionless data package.

Round trips on the synthetic fixture (fast): export -> read back through libhxl -> the same table; the
long-format file has exactly the database's columns; the package validates with frictionless. One
render of a synthetic country (``-m render``) checks the links and the published folder."""

from __future__ import annotations

import importlib
import json
import math
import pkgutil
import shutil
from pathlib import Path

import frictionless
import hxl
import pandas as pd
import pytest
from bs4 import BeautifulSoup

import demining_sdg.chapters as chapters_package
from conftest import open_test_chapter, run_cli
from demining_sdg.chapters import casualties
from demining_sdg.chapters.sections import Bars, Download, Section, Table, TimeSeries
from demining_sdg.inputs.validation import validate_data_dir
from demining_sdg.present import downloads, formats, sdg_long

OFFICIAL_SERIES = {"VC_DTH_TOTN", "VC_DTH_TOTR", "VC_DTH_TOCVN", "VC_DTH_TONCVN", "VC_DTH_TOUNN", "VC_DTH_TOTPT"}


def all_sections() -> list[Section]:
    found = []
    for module in pkgutil.iter_modules(chapters_package.__path__):
        namespace = importlib.import_module(f"demining_sdg.chapters.{module.name}")
        found += [v for v in vars(namespace).values() if isinstance(v, Section)]
    return sorted({s.key: s for s in found}.values(), key=lambda s: s.key)


def exported_columns(section: Section) -> list[str]:
    view = section.view
    columns = list(view.columns)
    return columns + [c for c in ("source_id", "source_ids") if c not in columns]


# -- the tag table --------------------------------------------------------------------------------


def test_every_column_of_a_declared_table_view_has_a_curated_tag():
    """The fallback #x_<column> is for frames shown whole; a table that names its columns has them tagged
    in present/hxl.yaml. The failure lists the columns to add."""
    missing = {
        f"{section.key}.{column}"
        for section in all_sections()
        if isinstance(section.view, Table) and section.view.columns is not None
        for column in exported_columns(section)
        if downloads.curated_tag(section.key, column) is None
    }
    assert sorted(missing) == []


def test_every_curated_tag_is_an_hxl_hashtag_libhxl_reads(tmp_path: Path):
    tags = downloads.tag_table()
    every = list(tags["columns"].items()) + [(c, t) for table in tags["tables"].values() for c, t in table.items()]
    assert [tag for _, tag in every if not downloads.HXL_TAG.fullmatch(tag)] == []
    path = tmp_path / "tags.csv"
    path.write_text(
        ",".join(c for c, _ in every) + "\n" + ",".join(t for _, t in every) + "\n" + ",".join("1" for _ in every)
    )
    read = hxl.data(str(path), hxl.InputOptions(allow_local=True))
    assert [column.display_tag for column in read.columns] == [tag for _, tag in every]


def test_a_column_without_a_curated_tag_gets_a_deterministic_extension_tag():
    assert downloads.tag_for("any.section", "Finish year (derived)") == "#x_finish_year_derived"
    assert downloads.tag_for("any.section", "source_id") == downloads.tag_table()["columns"]["source_id"]
    assert downloads.tag_for("casualties.recorders_chart", "value") != downloads.tag_for("other.table", "value")


# -- round trips on the synthetic fixture --------------------------------------------------------


@pytest.fixture(scope="module")
def chapter(synthetic_data_dir: Path, tmp_path_factory):
    return open_test_chapter(tmp_path_factory.mktemp("figures"), synthetic_data_dir, country="XAA")


@pytest.fixture(scope="module")
def shown(chapter) -> dict[str, tuple[Section, list[downloads.Download]]]:
    """Every table and SDG-format section of every chapter, shown for XAA, with its downloads."""
    found = {}
    for section in all_sections():
        if isinstance(section.view, Table | Download):
            result = chapter.show(section)
            if result.html is not None:
                found[section.key] = (section, result.downloads)
    return found


def _typed(text: str, kind: str):
    if text == "":
        return None
    return {"integer": int, "number": float, "boolean": lambda t: t == "True"}.get(kind, str)(text)


def _same(value, expected) -> bool:
    if (
        expected is None
        or (isinstance(expected, str) and expected == "")
        or (not isinstance(expected, str | list | tuple) and pd.isna(expected))
    ):
        return value is None  # a CSV cell cannot tell an empty text from no value
    if value is None:
        return False
    if isinstance(expected, pd.Timestamp):
        return value == (expected.date().isoformat() if expected == expected.normalize() else expected.isoformat())
    if isinstance(value, float):
        return math.isclose(value, float(expected), rel_tol=0, abs_tol=0)
    if isinstance(expected, float) and isinstance(value, int):
        return value == expected
    return value == (expected if isinstance(value, str) and isinstance(expected, str) else type(value)(expected))


def test_every_table_exports_once_with_its_source_ids(shown):
    tables = {key: files for key, (section, files) in shown.items() if isinstance(section.view, Table)}
    assert len(tables) >= 10
    assert {key: len(files) for key, files in tables.items() if len(files) != 1} == {}
    names = [files[0].name for files in tables.values()]
    assert len(set(names)) == len(names)
    for key, files in tables.items():
        fields = [f["name"] for f in files[0].fields]
        section = shown[key][0]
        if section.view.columns is not None:
            assert fields == exported_columns(section)[: len(fields)]


def test_export_read_back_through_libhxl_is_the_same_table(shown, chapter, tmp_path: Path):
    """Header, tags and every value of every table, read back by the HXL reader, equal the section's frame."""
    compared = 0
    for key, (section, files) in shown.items():
        if not isinstance(section.view, Table):
            continue
        download = files[0]
        path = tmp_path / download.file_name
        path.write_bytes(download.text.encode("utf-8"))
        read = hxl.data(str(path), hxl.InputOptions(allow_local=True))
        assert [c.header for c in read.columns] == [f["name"] for f in download.fields], key
        assert [c.display_tag for c in read.columns] == [f["hxl"] for f in download.fields], key
        frame = chapter.ctx.once(section.data).reset_index(drop=True)
        rows = [row.values for row in read]
        assert len(rows) == len(frame), key
        for field_index, spec in enumerate(download.fields):
            expected = frame[spec["name"]].tolist()
            got = [_typed(row[field_index], spec["type"]) for row in rows]
            bad = [(e, g) for e, g in zip(expected, got) if not _same(g, e)]
            assert bad == [], f"{key}.{spec['name']}: {bad[:3]}"
            compared += 1
    assert compared > 50


def test_a_column_shown_rounded_is_exported_at_full_precision(shown, chapter):
    section, files = shown["casualties.rates_table"]
    frame = chapter.ctx.once(section.data)
    assert section.view.digits["casualties_per_100k"] == 3
    assert any(len(repr(v).split(".")[-1]) > 3 for v in frame["casualties_per_100k"].dropna())  # more than shown
    field = next(f for f in files[0].fields if f["name"] == "casualties_per_100k")
    assert field["description"].endswith(", full precision")
    exported = pd.read_csv(pd.io.common.StringIO(files[0].text), skiprows=[1])
    assert exported["casualties_per_100k"].tolist() == frame["casualties_per_100k"].tolist()
    cells = BeautifulSoup(chapter.show(section).html, "html.parser").find_all("td")
    shown_rates = {formats.fixed(v, 3) for v in frame["casualties_per_100k"].dropna()}
    assert shown_rates <= {c.get_text(strip=True) for c in cells}


def test_the_sdg_proxy_is_in_the_sdg_global_database_long_format(shown, chapter):
    section, files = shown["casualties.sdg_proxy"]
    download = files[0]
    assert download.hxl_row is False
    table = pd.read_csv(pd.io.common.StringIO(download.text), dtype=str, keep_default_na=False)
    assert tuple(table.columns) == sdg_long.columns()
    assert (table[["Goal", "Target", "Indicator"]] == ["16", "16.1", "16.1.2"]).all().all()
    assert set(table["GeoAreaCode"]) == {str(chapter.profile.m49.code)}
    assert set(table["GeoAreaName"]) == {chapter.profile.name}
    # a national proxy, never passed off as the official series
    assert set(table["Nature"]) == {sdg_long.spec()["nature"]} == {"NP"}
    assert not set(table["SeriesCode"]) & OFFICIAL_SERIES and all(c.startswith("PROXY_") for c in table["SeriesCode"])
    assert all("proxy" in note and any(code in note for code in OFFICIAL_SERIES) for note in table["FootNote"])
    assert all(table["Source"].str.len() > 0) and download.sources
    # the values are those of the rates table, exact
    rates = chapter.ctx.once(casualties.annual_rates)
    counts = table[table["Units"] == "NUMBER"]
    per_100k = table[table["Units"] == "PER_100000_POP"]
    assert sorted(counts["Value"].astype(int)) == sorted(rates["deaths"].dropna().astype(int))
    assert sorted(per_100k["Value"].astype(float)) == sorted(rates["deaths_per_100k"].dropna())
    assert len(table) == len(counts) + len(per_100k) > 0


def test_the_sdg_proxy_needs_an_m49_code(synthetic_data_dir: Path, tmp_path: Path):
    other = open_test_chapter(tmp_path, synthetic_data_dir, country="XBB")
    assert other.profile.m49 is None
    result = other.show(casualties.SDG_PROXY)
    assert result.html is None and "M49" in result.omitted and result.downloads == []


def test_the_data_package_validates_with_frictionless(shown, chapter, tmp_path: Path):
    files = downloads.downloads_of(d.record() for _, listed in shown.values() for d in listed)
    written = downloads.write_downloads(
        files, tmp_path, chapter.data.sources, name="test-package", title="Test", created="2026-01-01T00:00:00Z"
    )
    assert sorted(p.name for p in written) == sorted([d.file_name for d in files] + [downloads.PACKAGE_FILE])
    report = frictionless.validate(str(tmp_path / downloads.PACKAGE_FILE))
    assert report.valid, report.flatten(["resourcePath", "rowNumber", "fieldName", "type", "note"])[:10]
    package = json.loads((tmp_path / downloads.PACKAGE_FILE).read_text(encoding="utf-8"))
    assert package["licenses"][0]["name"] == "MIT"
    for resource in package["resources"]:
        assert all(f["hxl"].startswith("#") and f["description"] and f["type"] for f in resource["schema"]["fields"])
        if {"source_id", "source_ids"} & {f["name"] for f in resource["schema"]["fields"]}:
            assert resource["sources"], resource["path"]


def test_frictionless_catches_a_broken_download(shown, chapter, tmp_path: Path):
    """The validation can fail: a text in a whole-number column of an exported table is an error."""
    section, files = shown["casualties.rates_table"]
    lines = files[0].text.splitlines()
    cells = lines[2].split(",")
    cells[0] = "twenty"
    broken = downloads.Download(**{**files[0].record(), "text": "\n".join([*lines[:2], ",".join(cells), *lines[3:]])})
    downloads.write_downloads(
        [broken], tmp_path, chapter.data.sources, name="t", title="t", created="2026-01-01T00:00:00Z"
    )
    assert not frictionless.validate(str(tmp_path / downloads.PACKAGE_FILE)).valid


def test_an_m49_code_not_stated_by_its_source_is_a_data_problem(data_copy: Path):
    profile = data_copy / "profiles" / "AZE.yaml"
    profile.write_text(profile.read_text(encoding="utf-8").replace("  code: 31\n", "  code: 32\n"), encoding="utf-8")
    result = validate_data_dir(data_copy)
    problems = [p for p in result.problems if p.column == "m49.code"]
    assert problems and problems[0].value == "32" and "AZE.yaml" in problems[0].file


# -- the published folder -------------------------------------------------------------------------


@pytest.mark.render
def test_a_render_publishes_every_linked_download(synthetic_data_dir: Path, tmp_path: Path):
    data = tmp_path / "data"
    shutil.copytree(synthetic_data_dir, data)
    out = tmp_path / "out"
    done = run_cli("render", "--data-dir", str(data), "--set", "country=XAA", "--out", str(out))
    assert done.returncode == 0, done.stdout + done.stderr
    soup = BeautifulSoup((out / "index.html").read_text(encoding="utf-8"), "html.parser")
    blocks = soup.select("figure.report-table") + soup.select("div.figure-block")
    links = [block.select_one("p.download-link a") for block in blocks]
    assert blocks and None not in links
    hrefs = [a["href"] for a in links] + [a["href"] for a in soup.select("p.download-note a")]
    assert all(h.startswith(f"{downloads.DATA_FOLDER}/") and h.endswith(".csv") for h in hrefs)
    assert all(a.get_text(strip=True) == "Download data (CSV)" for a in links)
    published = sorted(p.name for p in (out / downloads.DATA_FOLDER).iterdir())
    assert sorted({h.split("/", 1)[1] for h in hrefs} | {downloads.PACKAGE_FILE}) == published
    report = frictionless.validate(str(out / downloads.DATA_FOLDER / downloads.PACKAGE_FILE))
    assert report.valid, report.flatten(["resourcePath", "rowNumber", "fieldName", "type", "note"])[:10]
    charts = [s for s in all_sections() if isinstance(s.view, TimeSeries | Bars)]
    assert any(h.endswith(f"{s.key.replace('.', '_')}.csv") for s in charts for h in hrefs)


def test_a_repeated_column_is_written_once_or_numbered():
    same = pd.DataFrame([[2020, 2020, 5]], columns=["year", "year", "value"])
    other = pd.DataFrame([[2020, 2021, 5]], columns=["year", "year", "value"])
    assert [f["name"] for f in downloads.build("a.b", same, title="t", description="d").fields] == ["year", "value"]
    assert [f["name"] for f in downloads.build("a.b", other, title="t", description="d").fields] == [
        "year",
        "year_2",
        "value",
    ]


def test_publishing_moves_the_downloads_and_removes_stale_ones(tmp_path: Path):
    from demining_sdg.build.render import _publication_plan

    staging, out, figures = tmp_path / "staging", tmp_path / "out", tmp_path / "figures"
    (staging / "figures").mkdir(parents=True)
    (staging / downloads.DATA_FOLDER).mkdir()
    (staging / downloads.DATA_FOLDER / "kept.csv").write_text("a\n")
    (out / downloads.DATA_FOLDER).mkdir(parents=True)
    for name in ("kept.csv", "gone.csv", "notes.txt"):
        (out / downloads.DATA_FOLDER / name).write_text("old\n")
    moves, removals = _publication_plan(staging, out, figures, [])
    assert out / downloads.DATA_FOLDER / "kept.csv" in [m.target for m in moves]
    assert removals == [out / downloads.DATA_FOLDER / "gone.csv"]
