"""The render's cache is correct (not only fast): every input a chapter's output depends on changes
the report, an unchanged input set starts no kernel, a corrupted entry is rebuilt, and a render
killed while storing leaves the cache usable."""

from __future__ import annotations

import json
import shutil

import pytest

from conftest import read_rows, set_cell
from demining_sdg import paths
from demining_sdg.build import cache as cache_module
from demining_sdg.build import render as render_module
from demining_sdg.params import load_params

pytestmark = pytest.mark.render


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> dict:
    """A data copy, an output folder and a cache folder, shared by the module's renders."""
    root = tmp_path_factory.mktemp("cached")
    data = root / "data"
    shutil.copytree(paths.DATA_DIR, data)
    return {"data": data, "out": root / "out", "cache": root / "cache"}


def run(project: dict, **overrides):
    params = load_params(None, {"data_dir": str(project["data"]), "out_dir": str(project["out"]), **overrides})
    return render_module.render(params, cache_dir=project["cache"])


def test_a_cold_render_runs_every_chapter_and_an_unchanged_one_none(project):
    first = run(project)
    assert len(first.chapters_run) == len(paths.chapter_notebooks())
    report = (project["out"] / "index.html").read_bytes()
    second = run(project)
    assert second.chapters_run == []  # no kernel started
    assert (project["out"] / "index.html").read_bytes() == report  # byte-identical from the cache


def test_a_changed_table_reruns_only_the_chapters_that_read_it(project):
    entries = [json.loads(p.read_text()) for p in project["cache"].glob("*/manifest.json")]
    readers = {e["notebook"][:-6] for e in entries if "glossary" in e["tables"]}
    assert readers and len(readers) < len(paths.chapter_notebooks())
    header, rows = read_rows(project["data"] / "glossary.csv")
    set_cell(project["data"] / "glossary.csv", 0, "definition", rows[0][header.index("definition")] + " (edited)")
    assert set(run(project).chapters_run) == readers
    assert "(edited)" in (project["out"] / "index.html").read_text(encoding="utf-8")


def test_a_changed_parameter_reruns_the_chapters(project):
    assert len(run(project, last_year=2024).chapters_run) == len(paths.chapter_notebooks())


def test_changed_code_or_package_versions_rerun_the_chapters(project, monkeypatch):
    monkeypatch.setattr(render_module, "code_fingerprint", lambda: "0" * 64)
    assert len(run(project).chapters_run) == len(paths.chapter_notebooks())
    versions = cache_module.provenance.package_versions()
    monkeypatch.setattr(cache_module.provenance, "package_versions", lambda: {**versions, "pandas": "0.0.1"})
    assert len(run(project).chapters_run) == len(paths.chapter_notebooks())


def test_a_changed_notebook_reruns_that_chapter(project, tmp_path):
    notebooks = tmp_path / "notebooks"
    shutil.copytree(paths.NOTEBOOKS_DIR, notebooks)
    run(project)  # warm the cache for the project's notebooks
    first = sorted(notebooks.glob("[0-9][0-9]_*.ipynb"))[0]
    book = json.loads(first.read_text(encoding="utf-8"))
    book["cells"].append({"cell_type": "markdown", "metadata": {}, "source": ["A new paragraph."], "id": "added"})
    first.write_text(json.dumps(book), encoding="utf-8")
    params = load_params(None, {"data_dir": str(project["data"]), "out_dir": str(project["out"])})
    result = render_module.render(
        params, notebooks=sorted(notebooks.glob("[0-9][0-9]_*.ipynb")), cache_dir=project["cache"]
    )
    assert result.chapters_run == [first.stem]
    assert "A new paragraph." in (project["out"] / "index.html").read_text(encoding="utf-8")


def test_a_corrupted_entry_is_rebuilt(project):
    run(project)
    params = load_params(None, {"data_dir": str(project["data"]), "out_dir": str(project["out"])})
    keys = cache_module.ChapterCache(
        render_module.Datasets(project["data"]), params, render_module.code_fingerprint(), folder=project["cache"]
    )
    entry = project["cache"] / keys.key(paths.chapter_notebooks()[0])
    assert (entry / "manifest.json").is_file()
    (entry / "executed.ipynb").write_text("not a notebook", encoding="utf-8")
    result = run(project)
    assert [name[:3] for name in result.chapters_run] == ["01_"]
    assert run(project).chapters_run == []


def test_a_render_killed_while_storing_leaves_the_cache_usable(project):
    run(project)
    leftover = project["cache"] / ".writing-killed"
    (leftover / "figures").mkdir(parents=True)
    (leftover / "executed.ipynb").write_text("{", encoding="utf-8")
    assert run(project).chapters_run == []
    assert not leftover.exists()


def test_no_cache_runs_every_chapter(project):
    params = load_params(None, {"data_dir": str(project["data"]), "out_dir": str(project["out"])})
    result = render_module.render(params, use_cache=False)
    assert len(result.chapters_run) == len(paths.chapter_notebooks())


def test_an_unchanged_report_is_recognised_and_any_change_is_not(project, monkeypatch):
    from demining_sdg.build import unchanged

    run(project)
    params = load_params(None, {"data_dir": str(project["data"]), "out_dir": str(project["out"])})
    assert unchanged.published_is_current(params)
    other = load_params(None, {"data_dir": str(project["data"]), "out_dir": str(project["out"]), "last_year": 2024})
    assert not unchanged.published_is_current(other)
    figure = sorted(params.resolved_figures_dir.glob("*.png"))[0]
    kept = figure.read_bytes()
    figure.write_bytes(kept[:-1])  # a published file edited or truncated
    assert not unchanged.published_is_current(params)
    figure.write_bytes(kept)
    header, rows = read_rows(project["data"] / "glossary.csv")
    table = (project["data"] / "glossary.csv").read_bytes()
    set_cell(project["data"] / "glossary.csv", 0, "term", rows[0][header.index("term")] + " ")
    assert not unchanged.published_is_current(params)
    (project["data"] / "glossary.csv").write_bytes(table)
    assert unchanged.published_is_current(params)
    versions = unchanged.provenance.package_versions()
    monkeypatch.setattr(unchanged.provenance, "package_versions", lambda: {**versions, "pandas": "0.0.1"})
    assert not unchanged.published_is_current(params)


def test_the_cli_stops_before_any_render_when_nothing_changed(project, monkeypatch):
    from typer.testing import CliRunner

    from demining_sdg.cli import app

    run(project)

    def rendering(*args, **kwargs):
        raise RuntimeError("rendered")

    monkeypatch.setattr(render_module, "render", rendering)
    args = ["render", "--data-dir", str(project["data"]), "--out", str(project["out"])]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0 and "Unchanged" in result.output, result.output
    forced = CliRunner().invoke(app, [*args, "--no-cache"])  # --no-cache always renders
    assert isinstance(forced.exception, RuntimeError)
