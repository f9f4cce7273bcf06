"""Batch renders: the batch file is validated set by set, every set gets its own folder, one failing
set does not stop the others, the index page links every set with its status, and the sets run on
local processes or a Dask cluster alike. The shared chapter cache is safe for concurrent renders."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import distributed
import pytest
from filelock import FileLock
from typer.testing import CliRunner

from demining_sdg import paths
from demining_sdg.build import batch as batch_module
from demining_sdg.build.batch import Batch, BatchSet, SetOutcome, load_batch, run_batch, write_index
from demining_sdg.build.cache import ChapterCache, Hit
from demining_sdg.cli import app
from demining_sdg.params import ParamsError, load_params
from demining_sdg.provenance.record import sha256_of


def write_batch(folder: Path, text: str) -> Path:
    path = folder / "batch.yaml"
    path.write_text(text, encoding="utf-8")
    return path


# -- the batch file -----------------------------------------------------------------------------


def test_the_example_batch_file_is_valid_and_every_set_has_its_own_folder():
    batch = load_batch(paths.PARAMS_DIR / "batch.yaml")
    names = [entry.name for entry in batch.sets]
    assert len(names) == len(set(names)) >= 3
    folders = {entry.params.out_dir for entry in batch.sets}
    figures = {entry.params.resolved_figures_dir for entry in batch.sets}
    assert len(folders) == len(figures) == len(names)
    assert all(entry.params.out_dir.parent == batch.out_dir for entry in batch.sets)
    assert all(entry.params.resolved_figures_dir.parent == entry.params.out_dir for entry in batch.sets)


def test_names_default_to_the_country_and_period_and_sets_run_one_chapter_at_a_time(tmp_path):
    base = load_params(None)
    other = "EUR" if base.currency == "USD" else "USD"
    path = write_batch(
        tmp_path,
        f"out_dir: {tmp_path / 'out'}\n"
        f"sets:\n  - country: khm\n  - {{country: KHM, first_year: 2010, currency: {other}}}\n"
        "  - {name: mine, country: KHM, jobs: 2}\n",
    )
    batch = load_batch(path)
    assert [entry.name for entry in batch.sets] == [
        f"khm-{base.first_year}-{base.last_year}",
        f"khm-2010-{base.last_year}-{other.lower()}",
        "mine",
    ]
    assert [entry.params.jobs for entry in batch.sets] == [1, 1, 2]
    assert batch.sets[2].params.out_dir == tmp_path / "out" / "mine"


def test_every_problem_of_every_set_is_reported_at_once(tmp_path):
    path = write_batch(
        tmp_path,
        "colour: red\n"
        "sets:\n"
        "  - country: KHM\n"
        "  - {country: KHM, first_year: 2030, last_year: 2020}\n"
        "  - {country: KHM, out_dir: elsewhere}\n"
        "  - {country: KHM, contry: KHM}\n"
        "  - {country: KHM}\n"
        "  - {name: 'Not a folder/', country: KHM}\n"
        "  - just a string\n",
    )
    with pytest.raises(ParamsError) as raised:
        load_batch(path)
    text = "\n".join(raised.value.problems)
    assert "unknown key 'colour'" in text
    assert "set 2" in text and "first_year (2030) is after last_year (2020)" in text
    assert "set 3: 'out_dir' is set by the batch" in text
    assert "set 4" in text and "unknown key 'contry'" in text
    assert "set 5: name 'khm-" in text and "already used by set 1" in text
    assert "set 6: name 'Not a folder/'" in text
    assert "set 7: expected a mapping" in text


def test_a_batch_without_sets_is_refused(tmp_path):
    with pytest.raises(ParamsError, match="'sets' must be a list"):
        load_batch(write_batch(tmp_path, "defaults: {currency: USD}\n"))


def test_command_line_values_apply_to_every_set(tmp_path):
    path = write_batch(tmp_path, "sets:\n  - {country: KHM, currency: EUR}\n  - {country: AZE, currency: EUR}\n")
    batch = load_batch(path, {"last_year": 2024}, out_dir=tmp_path / "elsewhere")
    assert {entry.params.last_year for entry in batch.sets} == {2024}
    assert batch.out_dir == tmp_path / "elsewhere"


def test_an_invalid_batch_file_exits_2_before_anything_runs(tmp_path):
    path = write_batch(tmp_path, f"out_dir: {tmp_path / 'out'}\nsets:\n  - {{country: KHM, jobs: 0}}\n")
    result = CliRunner().invoke(app, ["render", "--batch", str(path)])
    assert result.exit_code == 2
    assert "set 1" in result.output and "jobs" in result.output
    assert not (tmp_path / "out").exists()


# -- the index page -----------------------------------------------------------------------------


def fake_batch(tmp_path: Path) -> tuple[Batch, list[SetOutcome]]:
    base = load_params(None)
    entries = [
        BatchSet(name, base.model_copy(update={"country": country, "out_dir": tmp_path / name}))
        for name, country in (("first", "KHM"), ("second", "AZE"), ("third", "KHM"))
    ]
    for name in ("first", "third"):  # the third failed now, but has a report from an earlier run
        (tmp_path / name).mkdir()
        (tmp_path / name / "index.html").write_text("<html></html>", encoding="utf-8")
    outcomes = [
        SetOutcome("first", True, 0, "Published."),
        SetOutcome("second", False, 1, "The data is not valid.", ["funding.csv:3: <script>alert(1)</script>"]),
        SetOutcome("third", False, 3, "Chapter 4/9 '04_clearance' failed.", ["at cell 3 of 9: ValueError: x"]),
    ]
    return Batch(tmp_path, entries, "test"), outcomes


def test_the_index_links_every_set_with_its_status_and_no_script(tmp_path):
    batch, outcomes = fake_batch(tmp_path)
    index = write_index(batch, outcomes)
    html = index.read_text(encoding="utf-8")
    assert "<script" not in html and "http" not in html.replace("http-equiv", "")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html  # text from a failure is shown as text
    assert re.findall(r'href="([^"]+)"', html) == ["first/index.html", "third/index.html"]
    assert "1 of 3 reports published" in html
    assert html.count(">Failed<") == 2 and "Open the previous report" in html
    record = json.loads((tmp_path / "batch.json").read_text(encoding="utf-8"))
    assert [(s["name"], s["published"], s["exit_code"]) for s in record["sets"]] == [
        ("first", True, 0),
        ("second", False, 1),
        ("third", False, 3),
    ]
    assert write_index(batch, outcomes).read_bytes() == html.encode("utf-8")  # the same bytes again
    assert not list(tmp_path.glob(".*.writing"))


# -- the shared cache ---------------------------------------------------------------------------


def bare_cache(folder: Path) -> ChapterCache:
    cache = ChapterCache.__new__(ChapterCache)  # only the folder matters for these operations
    cache.folder = folder
    return cache


def test_the_clean_up_of_killed_writers_leaves_a_live_writer_alone(tmp_path):
    cache = bare_cache(tmp_path)
    live, dead, unlocked = tmp_path / ".writing-live", tmp_path / ".writing-dead", tmp_path / ".writing-old"
    for folder in (live, dead, unlocked):
        (folder / "figures").mkdir(parents=True)
    Path(f"{dead}.lock").touch()
    (tmp_path / ".stale-aside").mkdir()
    with FileLock(f"{live}.lock", timeout=0):
        cache.remove_leftovers()
        assert live.is_dir()
    assert not dead.exists() and not unlocked.exists() and not (tmp_path / ".stale-aside").exists()
    cache.remove_leftovers()  # the writer is gone now
    assert not live.exists()


def test_a_restore_from_an_entry_that_changed_meanwhile_is_refused(tmp_path):
    entry = tmp_path / "entry"
    (entry / "figures").mkdir(parents=True)
    (entry / "executed.ipynb").write_text("{}", encoding="utf-8")
    (entry / "figures" / "a.svg").write_text("<svg/>", encoding="utf-8")
    digests = {
        "executed.ipynb": sha256_of(entry / "executed.ipynb"),
        "figures/a.svg": sha256_of(entry / "figures" / "a.svg"),
    }
    out = tmp_path / "out"
    out.mkdir()
    cache = bare_cache(tmp_path)
    assert cache.restore(Hit(entry, ["a.svg"], digests), out / "executed.ipynb", out)
    (entry / "figures" / "a.svg").write_text("<svg>another render's</svg>", encoding="utf-8")
    assert not cache.restore(Hit(entry, ["a.svg"], digests), out / "executed.ipynb", out)
    shutil.rmtree(entry)  # set aside by another render
    assert not cache.restore(Hit(entry, ["a.svg"], digests), out / "executed.ipynb", out)


# -- whole batches ------------------------------------------------------------------------------

TWO_CHAPTERS = ("01_key_figures.ipynb", "09_sources_methods.ipynb")


@pytest.fixture(scope="module")
def two_chapters(tmp_path_factory) -> list[Path]:
    """Two of the chapters: enough to show where each set's files go, at a fraction of the time."""
    folder = tmp_path_factory.mktemp("notebooks")
    for name in TWO_CHAPTERS:
        shutil.copyfile(paths.NOTEBOOKS_DIR / name, folder / name)
    return sorted(folder.glob("*.ipynb"))


def batch_of(tmp_path: Path, sets: str) -> Path:
    return write_batch(tmp_path, f"out_dir: {tmp_path / 'out'}\nsets:\n{sets}")


def assert_published_in_its_own_folder(out: Path, name: str, country_name: str) -> None:
    folder = out / name
    report = (folder / "index.html").read_text(encoding="utf-8")
    assert country_name in report
    assert (folder / "briefing_deck.pptx").is_file()
    assert sorted(p.name for p in (folder / "executed").iterdir()) == list(TWO_CHAPTERS)
    assert any((folder / "figures").glob("*.svg"))
    assert not list(folder.glob(".staging-*"))


@pytest.mark.render
def test_a_batch_on_local_processes_publishes_every_set_and_a_failing_one_stops_no_other(tmp_path, two_chapters):
    path = batch_of(
        tmp_path, "  - {country: KHM}\n  - {country: ZZZ}\n  - {name: aze-recent, country: AZE, first_year: 2020}\n"
    )
    notebooks = tmp_path / "notebooks"
    notebooks.mkdir()
    for notebook in two_chapters:
        shutil.copyfile(notebook, notebooks / notebook.name)
    result = CliRunner().invoke(app, ["render", "--batch", str(path), "--jobs", "2", "--notebooks", str(notebooks)])
    assert result.exit_code == 5, result.output
    assert "zzz-" in result.output and "1 of 3 sets failed" in " ".join(result.output.split())
    out = tmp_path / "out"
    base = load_params(None)
    assert_published_in_its_own_folder(out, f"khm-{base.first_year}-{base.last_year}", "Cambodia")
    assert_published_in_its_own_folder(out, "aze-recent", "Azerbaijan")
    assert not (out / f"zzz-{base.first_year}-{base.last_year}").exists()
    html = (out / "index.html").read_text(encoding="utf-8")
    assert html.count('href="') == 2 and "no country profile for ZZZ" in html


@pytest.mark.render
def test_a_batch_runs_on_a_dask_cluster(tmp_path, two_chapters):
    path = batch_of(tmp_path, "  - {country: KHM}\n  - {country: AZE}\n")
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=False, dashboard_address=None
    ) as cluster:
        result = run_batch(load_batch(path), jobs=2, scheduler=cluster.scheduler_address, notebooks=two_chapters)
    assert result.failed == [] and result.exit_code == 0
    base = load_params(None)
    assert_published_in_its_own_folder(tmp_path / "out", f"khm-{base.first_year}-{base.last_year}", "Cambodia")
    assert_published_in_its_own_folder(tmp_path / "out", f"aze-{base.first_year}-{base.last_year}", "Azerbaijan")


def test_a_scheduler_that_does_not_answer_is_a_clear_error(tmp_path, monkeypatch):
    monkeypatch.setattr(batch_module, "CONNECT_TIMEOUT", "1s")
    path = batch_of(tmp_path, "  - {country: KHM}\n")
    result = CliRunner().invoke(app, ["render", "--batch", str(path), "--scheduler", "tcp://127.0.0.1:9"])
    assert result.exit_code == 2
    assert "no Dask scheduler answers at tcp://127.0.0.1:9" in " ".join(result.output.split())
