"""The render pipeline: validate, execute every chapter, assemble, then publish atomically.

Nothing in the output folder changes until every chapter has run and the report has been
assembled in a staging folder next to it; then the files are moved into place. A failed or
interrupted render leaves the last good report, figures and deck as they were.
"""

from __future__ import annotations

import contextlib
import difflib
import json
import os
import shutil
import threading
import time
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
from filelock import FileLock, Timeout
from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

from demining_sdg import paths
from demining_sdg.build import unchanged
from demining_sdg.build.assemble import assemble_report
from demining_sdg.build.cache import ChapterCache
from demining_sdg.build.deck import build_deck
from demining_sdg.build.errors import ChapterFailed, RenderBusy
from demining_sdg.build.kernels import ChapterKernel
from demining_sdg.build.publish import LOCK_FILE, STAGING_PREFIX, Move, publish, roll_back
from demining_sdg.inputs.datasets import Datasets, write_validated_stamp
from demining_sdg.inputs.profiles import CountryProfile
from demining_sdg.params import ParamsError, ReportParams
from demining_sdg.present import downloads, formats
from demining_sdg.present.chapter import download_records
from demining_sdg.provenance import record as provenance
from demining_sdg.provenance.record import code_fingerprint

FIGURE_SUFFIXES = {".png", ".svg", ".csv", ".json"}


@dataclass(frozen=True)
class RenderResult:
    report: Path
    deck: Path
    figures_dir: Path
    figure_names: list[str]
    seconds: float
    chapters_run: list[str] = field(default_factory=list)  # the others came unchanged from the cache


@contextlib.contextmanager
def _render_lock(out_dir: Path) -> Iterator[None]:
    """One render at a time per output folder (an OS lock: released even if the process dies)."""
    lock = FileLock(out_dir / LOCK_FILE, timeout=0)
    try:
        lock.acquire()
    except Timeout:
        raise RenderBusy(f"another render is writing to {out_dir.name}; wait for it to finish") from None
    try:
        yield
    finally:
        lock.release()


def _remove_stale_staging(out_dir: Path, console: Console) -> None:
    """With the lock held, any staging folder is the leftover of an interrupted render."""
    for stale in sorted(out_dir.glob(f"{STAGING_PREFIX}*")):
        if roll_back(stale):
            console.print(f"[yellow]An interrupted publish was rolled back: {stale.name}[/yellow]")
        console.print(f"[dim]Removing the leftovers of an interrupted render: {stale.name}[/dim]")
        shutil.rmtree(stale, ignore_errors=True)


def _execute_chapter(
    notebook: Path, executed: Path, parameters: dict, params: ReportParams, kernel: ChapterKernel
) -> None:
    """Run one chapter in a kept kernel (see ``build/kernels.py``); failures become ChapterFailed."""
    chapter = notebook.stem
    try:
        kernel.execute(notebook, executed, parameters)
    except CellExecutionError as exc:
        raise ChapterFailed(chapter, _cell_position(executed), f"{exc.ename}: {exc.evalue}", executed) from None
    except (CellTimeoutError, TimeoutError) as exc:
        raise ChapterFailed(
            chapter,
            "on time",
            f"a cell ran longer than chapter_timeout_s = {params.chapter_timeout_s} s ({exc})",
            executed if executed.exists() else None,
        ) from None
    except DeadKernelError as exc:
        raise ChapterFailed(
            chapter,
            "because its kernel died",
            f"the Python kernel stopped (often: out of memory) — {exc}",
            executed if executed.exists() else None,
        ) from None


def _cell_position(executed: Path) -> str:
    """'at cell 9 of 9 (execution count 7): `raise ...`', counted from 1 as in the source notebook."""
    notebook = nbformat.read(executed, as_version=4)
    added_tags = {"injected-parameters", "papermill-error-cell-tag"}
    source_cells = [c for c in notebook.cells if not added_tags & set(c.get("metadata", {}).get("tags", []))]
    for position, cell in enumerate(source_cells, start=1):
        if any(output.get("output_type") == "error" for output in cell.get("outputs", [])):
            first_line = next((line for line in cell.source.splitlines() if line.strip()), "")
            return (
                f"at cell {position} of {len(source_cells)} (execution count {cell.get('execution_count')}): "
                f"`{first_line[:80]}`"
            )
    return "at an unknown cell"


def _publication_plan(
    staging: Path, out_dir: Path, figures_dir: Path, executed_paths: list[Path]
) -> tuple[list[Move], list[Path]]:
    """What publishing moves where, and which stale figure and download files it removes."""
    new_figures = sorted((staging / "figures").iterdir())
    moves = [Move(p, figures_dir / p.name) for p in new_figures]
    staged_data = staging / downloads.DATA_FOLDER
    new_data = sorted(staged_data.iterdir()) if staged_data.is_dir() else []
    moves += [Move(p, out_dir / downloads.DATA_FOLDER / p.name) for p in new_data]
    moves += [Move(p, out_dir / "executed" / p.name) for p in executed_paths]
    moves += [Move(staging / name, out_dir / name) for name in (paths.DECK_FILE_NAME, "render.json")]
    moves.append(Move(staging / paths.REPORT_FILE_NAME, out_dir / paths.REPORT_FILE_NAME))
    names = {p.name for p in new_figures}
    removals = []
    if figures_dir.is_dir():
        removals = [
            p
            for p in sorted(figures_dir.iterdir())
            if p.is_file() and p.suffix in FIGURE_SUFFIXES and p.name not in names
        ]
    published_data = out_dir / downloads.DATA_FOLDER
    if published_data.is_dir():
        kept = {p.name for p in new_data}
        removals += [
            p
            for p in sorted(published_data.iterdir())
            if p.is_file() and p.suffix in {".csv", ".json"} and p.name not in kept
        ]
    return moves, removals


def _execute_all(
    notebooks: list[Path],
    staging: Path,
    out_dir: Path,
    parameters: dict,
    params: ReportParams,
    console: Console,
    cache: ChapterCache | None = None,
    ran: list[str] | None = None,
) -> list[Path]:
    """Execute the chapters, ``params.jobs`` at a time, with a progress line per chapter.

    Chapters are independent (each writes its own figures), so they can run side by side: each of
    ``jobs`` workers takes the next chapter in reading order and runs it in its own kept kernel,
    started when its first chapter needs one (a render whose chapters all come from the cache
    starts none). If any fails, the others still finish, and the failure of the earliest chapter
    is raised.
    """
    total = len(notebooks)
    executed_paths = [staging / "executed" / nb.name for nb in notebooks]
    failures: dict[int, ChapterFailed] = {}
    with Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        TextColumn("{task.fields[status]}"),
        TimeElapsedColumn(),
        console=console,
    ) as progress:
        overall = progress.add_task(f"Rendering {total} chapters", total=total, status=f"0/{total} done")

        def run(index: int, kernel: ChapterKernel) -> None:
            notebook = notebooks[index]
            chapter = progress.add_task(f"  chapter {index + 1}/{total} {notebook.stem}", total=1, status="running")
            status = "done"
            try:
                hit = cache.lookup(notebook) if cache is not None else None
                if hit is not None and cache.restore(hit, executed_paths[index], staging / "figures"):
                    status = "unchanged (cached)"
                else:
                    _execute_chapter(notebook, executed_paths[index], parameters, params, kernel)
                    if ran is not None:
                        ran.append(notebook.stem)
                    if cache is not None:
                        cache.store(notebook, executed_paths[index], staging / "figures")
            except ChapterFailed as failure:
                failure.chapter = f"{index + 1}/{total} '{notebook.stem}'"
                failures[index] = failure
                status = "[red]failed[/red]"
            progress.update(chapter, advance=1, status=status)
            finished = sum(1 for task in progress.tasks if task.id != overall and task.finished)
            progress.update(overall, status=f"{finished}/{total} done")
            progress.advance(overall)

        upcoming = iter(range(total))
        taking = threading.Lock()

        def worker() -> None:
            kernel = ChapterKernel(staging, params.chapter_timeout_s)
            try:
                while True:
                    with taking:
                        index = next(upcoming, None)
                    if index is None:
                        return
                    run(index, kernel)
            finally:
                kernel.close()

        workers = max(1, min(params.jobs, total))
        pool = ThreadPoolExecutor(max_workers=workers)
        try:
            for future in [pool.submit(worker) for _ in range(workers)]:
                future.result()
        except BaseException:
            # Ctrl-C: do not wait for running chapters; their kernels stop with this process.
            pool.shutdown(wait=False, cancel_futures=True)
            raise
        pool.shutdown()
    if failures:
        failure = failures[min(failures)]
        if failure.executed is not None and failure.executed.exists():
            kept = out_dir / "failed" / failure.executed.name
            kept.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(failure.executed, kept)
            failure.executed = kept
        raise failure
    return executed_paths


def _cells(executed: Path) -> list:
    return nbformat.read(executed, as_version=4).cells


def check_minimum(datasets: Datasets, params: ReportParams) -> CountryProfile:
    """The documented minimum for a report: a country profile, and at least one sourced row of
    clearance, casualties or funding about the country. Below it, the render refuses (exit 2)."""
    profile = datasets.profile(params.country)
    if profile is None:
        known = sorted(datasets.profiles)
        close = difflib.get_close_matches(params.country, known, n=1)
        hint = f" Did you mean {close[0]}?" if close else ""
        raise ParamsError(
            "country",
            [
                f"no country profile for {params.country} in {provenance.display_path(params.data_dir)}/profiles "
                f"(profiles: {', '.join(known) or 'none'}).{hint} To add a country, see README: Adding a country."
            ],
        )
    counts = datasets.rows_about(profile.iso3)
    if not any(counts.values()):
        raise ParamsError(
            "country",
            [
                f"{profile.name} has a profile but no clearance, casualty or funding rows; a report needs at "
                "least one sourced row in one of these tables (README: Adding a country)."
            ],
        )
    return profile


def _render_in_staging(
    params: ReportParams,
    datasets: Datasets,
    notebooks: list[Path],
    out_dir: Path,
    console: Console,
    profile: CountryProfile,
    cache: ChapterCache | None = None,
    ran: list[str] | None = None,
    pptx_template: Path | None = None,
) -> list[str]:
    staging = out_dir / f"{STAGING_PREFIX}{uuid.uuid4().hex[:12]}"
    (staging / "executed").mkdir(parents=True)
    (staging / "figures").mkdir()
    write_validated_stamp(datasets, staging)
    try:
        parameters = params.notebook_parameters(figures_dir=(staging / "figures").resolve())
        executed_paths = _execute_all(notebooks, staging, out_dir, parameters, params, console, cache, ran)
        about = {
            "title": f"Mine action and the SDGs: {profile.name}",
            "country_name": profile.name,
            "params": params.public_dict(),
            "inputs": provenance.input_hashes(datasets.input_files()),
            "versions": provenance.package_versions(),
            "commit": provenance.git_commit(),
            "code_fingerprint": code_fingerprint(),
            "as_of": provenance.render_time().strftime("%Y-%m-%d %H:%M UTC"),
            "data_cutoff": formats.date(datasets.latest_date(profile.iso3)),
            "published": formats.date(provenance.render_time()),
            "terminology": profile.terminology.note,
        }
        staged_report = staging / paths.REPORT_FILE_NAME
        assembled = assemble_report(executed_paths, about, staged_report)
        figure_names = assembled.figure_names
        about["summary"] = assembled.summary
        files = [record for executed in executed_paths for record in download_records(_cells(executed))]
        downloads.write_downloads(
            downloads.downloads_of(files),
            staging / downloads.DATA_FOLDER,
            datasets.sources,
            name=f"demining-sdg-report-{params.country.lower()}",
            title=f"{about['title']}: the data behind its tables and figures",
            created=provenance.render_time().strftime("%Y-%m-%dT%H:%M:%SZ"),
        )
        staged_deck = staging / paths.DECK_FILE_NAME
        build_deck(staging / "figures", figure_names, about, staged_deck, template=pptx_template, datasets=datasets)
        record = {key: about[key] for key in ("params", "inputs", "code_fingerprint")}
        if pptx_template is None:  # a render another with the same inputs would repeat (build/unchanged.py)
            record |= {"run_key": unchanged.run_key(params), "outputs": unchanged.output_hashes(staging)}
        (staging / "render.json").write_text(json.dumps(record, indent=2) + "\n")
        publish(staging, *_publication_plan(staging, out_dir, params.resolved_figures_dir, executed_paths))
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return figure_names


def render(
    params: ReportParams,
    console: Console | None = None,
    notebooks: list[Path] | None = None,
    *,
    use_cache: bool = True,
    cache_dir: Path | None = None,
    pptx_template: Path | None = None,
) -> RenderResult:
    """Run the whole pipeline; publishes only on success. With ``use_cache``, a chapter whose
    notebook, parameters, code, package versions and input files are unchanged is not run again
    (see ``build/cache.py``).

    Raises DataProblems, ParamsError, RenderBusy or ChapterFailed.
    """
    console = console or Console(stderr=True)
    started = time.monotonic()
    datasets = Datasets(params.data_dir)
    profile = check_minimum(datasets, params)
    notebooks = notebooks if notebooks is not None else paths.chapter_notebooks()
    if not notebooks:
        raise ParamsError("notebooks", [f"no chapter notebooks (NN_<topic>.ipynb) in {paths.NOTEBOOKS_DIR}"])
    out_dir = params.out_dir
    out_dir.mkdir(parents=True, exist_ok=True)
    cache = None
    configured = os.environ.get("DEMINING_SDG_CACHE", "")  # "off", or another folder for the cache
    if use_cache and (cache_dir is not None or configured != "off"):
        folder = cache_dir or (Path(configured) if configured else None)
        cache = ChapterCache(datasets, params, code_fingerprint(), **({"folder": folder} if folder else {}))
        cache.remove_leftovers()
    ran: list[str] = []
    with _render_lock(out_dir):
        _remove_stale_staging(out_dir, console)
        figure_names = _render_in_staging(
            params, datasets, notebooks, out_dir, console, profile, cache, ran, pptx_template
        )
    return RenderResult(
        report=out_dir / paths.REPORT_FILE_NAME,
        deck=out_dir / paths.DECK_FILE_NAME,
        figures_dir=params.resolved_figures_dir,
        figure_names=figure_names,
        seconds=time.monotonic() - started,
        chapters_run=ran,
    )
