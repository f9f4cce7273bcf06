"""Batch renders: one report per parameter set, side by side, and an index page linking them.

A batch file (``params/batch.yaml``) lists parameter sets; each starts from the base parameters
(``params/report.yaml``), takes the batch's ``defaults`` and then its own keys, and is validated
like any render's parameters. Layout of the output folder (``report/batch/`` by default)::

    index.html            every set, its status and a link to its report (no script, no network)
    batch.json            the same as data: name, parameters shown, status, message
    <name>/index.html     one set's report, with its own figures/, briefing_deck.pptx, executed/

Each set is an ordinary render into its own folder: its own lock, staging folder and executed
notebooks; only the chapter cache is shared (content-keyed, written atomically). Sets run on a
``concurrent.futures`` executor: local processes by default, or a Dask cluster's executor. A set
that fails does not stop the others; it is marked failed on the index page (its previous report,
if any, stays as it was) and the batch ends with exit code 5.
"""

from __future__ import annotations

import contextlib
import io
import json
import multiprocessing
import os
import re
import time
from collections.abc import Iterator
from concurrent import futures
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import jinja2
from filelock import FileLock, Timeout
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

from demining_sdg import paths
from demining_sdg.params import ParamsError, ReportParams, _merge, _resolve_paths, load_params, read_params_file

DEFAULT_BATCH_DIR = paths.REPORT_DIR / "batch"
INDEX_FILE = "index.html"
RECORD_FILE = "batch.json"
LOCK_FILE = ".batch.lock"
BATCH_KEYS = {"base", "out_dir", "defaults", "sets"}
NOT_PER_SET = {"out_dir", "figures_dir"}  # the batch decides where each set is written
NAME = re.compile(r"^[a-z0-9][a-z0-9._-]{0,63}$")
EXIT_SOME_FAILED = 5
CONNECT_TIMEOUT = "20s"  # how long to wait for a Dask scheduler to answer


class BatchBusy(Exception):
    """Another batch is writing to the same folder."""


@dataclass(frozen=True)
class BatchSet:
    name: str
    params: ReportParams


@dataclass(frozen=True)
class Batch:
    out_dir: Path
    sets: list[BatchSet]
    source: str


@dataclass(frozen=True)
class SetTask:
    """What a worker needs to render one set (plain, picklable values)."""

    name: str
    params: ReportParams
    notebooks: list[Path] | None = None
    use_cache: bool = True
    cache_dir: Path | None = None
    pptx_template: Path | None = None


@dataclass(frozen=True)
class SetOutcome:
    name: str
    published: bool
    exit_code: int  # as `render` would exit for this set alone: 0, 1 data, 2 parameters, 3 chapter, 4 busy
    message: str = ""
    details: list[str] = field(default_factory=list)
    seconds: float = 0.0
    chapters_run: list[str] = field(default_factory=list)
    figures: int = 0


@dataclass(frozen=True)
class BatchResult:
    index: Path
    outcomes: list[SetOutcome]
    seconds: float

    @property
    def failed(self) -> list[str]:
        return [outcome.name for outcome in self.outcomes if not outcome.published]

    @property
    def exit_code(self) -> int:
        return EXIT_SOME_FAILED if self.failed else 0


# -- reading the batch file ---------------------------------------------------------------------


def _slug(value: Any) -> str:
    return re.sub(r"[^a-z0-9]+", "-", str(value).lower()).strip("-")


def default_name(params: ReportParams, base: ReportParams) -> str:
    """'aze-1999-2025'; the currency is added when it is not the base's ('aze-1999-2025-usd')."""
    parts = [params.country, params.first_year, params.last_year]
    if params.currency != base.currency:
        parts.append(params.currency)
    return "-".join(_slug(part) for part in parts)


def load_batch(path: Path, overrides: dict[str, Any] | None = None, out_dir: Path | None = None) -> Batch:
    """Read and validate a batch file; every problem of every set is reported at once.

    ``overrides`` (from ``--set``) apply to every set, after its own keys; ``out_dir`` (``--out``)
    replaces the batch's folder. Paths in the file are relative to the project root.
    """
    source = str(path)
    raw = read_params_file(path)
    problems = [
        f"unknown key '{key}'; allowed keys: {', '.join(sorted(BATCH_KEYS))}" for key in raw.keys() - BATCH_KEYS
    ]
    base_file = Path(raw["base"]) if raw.get("base") else paths.DEFAULT_PARAMS_FILE
    defaults = raw.get("defaults") or {}
    entries = raw.get("sets")
    if not isinstance(defaults, dict):
        problems.append("'defaults' must be a mapping of parameter: value")
        defaults = {}
    if not isinstance(entries, list) or not entries:
        problems.append("'sets' must be a list of parameter sets (each a mapping of parameter: value)")
        entries = []
    for key in sorted(NOT_PER_SET & defaults.keys()):
        problems.append(f"defaults: '{key}' is set by the batch (each set is written to <out_dir>/<name>/)")
    try:
        base = load_params(base_file)
    except ParamsError as exc:
        raise ParamsError(source, [f"base {exc.source}: {line}" for line in exc.problems]) from None
    folder = out_dir or Path(raw.get("out_dir") or DEFAULT_BATCH_DIR)
    folder = folder if folder.is_absolute() else paths.ROOT / folder
    sets: list[BatchSet] = []
    seen: dict[str, int] = {}
    for number, entry in enumerate(entries, start=1):
        where = f"set {number}"
        if not isinstance(entry, dict):
            problems.append(f"{where}: expected a mapping of parameter: value, got {entry!r}")
            continue
        entry = dict(entry)
        name = entry.pop("name", None)
        for key in sorted(NOT_PER_SET & entry.keys()):
            problems.append(f"{where}: '{key}' is set by the batch (each set is written to <out_dir>/<name>/)")
            entry.pop(key)
        values = _merge(_merge({"jobs": 1}, defaults), entry)  # one chapter at a time: the sets share the cores
        values = _merge(_resolve_paths(values, paths.ROOT), overrides or {})
        try:
            params = load_params(base_file, values)
        except ParamsError as exc:
            problems += [f"{where}{f' ({name})' if name else ''}: {line}" for line in exc.problems]
            continue
        name = str(name) if name is not None else default_name(params, base)
        if not NAME.match(name):
            problems.append(
                f"{where}: name {name!r} is not a folder name of lower-case letters, digits, '-', '_' or '.' "
                "(at most 64, starting with a letter or digit)"
            )
            continue
        if name in seen:
            problems.append(f"{where}: name '{name}' is already used by set {seen[name]}; give one of them a name")
            continue
        seen[name] = number
        folder_params = params.model_copy(update={"out_dir": folder / name, "figures_dir": None})
        sets.append(BatchSet(name, ReportParams.model_validate(folder_params.model_dump())))
    if problems:
        raise ParamsError(source, problems)
    return Batch(folder, sets, source)


# -- rendering one set (in a worker) ------------------------------------------------------------


def render_set(task: SetTask) -> SetOutcome:
    """Render one set; never raises for a failure of the set itself (it is the outcome)."""
    from demining_sdg.build.render import ChapterFailed, RenderBusy, render
    from demining_sdg.inputs.problems import DataProblems
    from demining_sdg.provenance.record import display_path

    started = time.monotonic()
    log = Console(file=io.StringIO(), width=120)

    def failed(code: int, message: str, details: list[str]) -> SetOutcome:
        return SetOutcome(task.name, False, code, message, details, time.monotonic() - started)

    try:
        result = render(
            task.params,
            log,
            notebooks=task.notebooks,
            use_cache=task.use_cache,
            cache_dir=task.cache_dir,
            pptx_template=task.pptx_template,
        )
    except DataProblems as exc:
        lines = [problem.as_compiler_line() for problem in exc.problems]
        return failed(1, f"The data is not valid ({len(lines)} problem(s)).", lines)
    except ParamsError as exc:
        return failed(2, "The parameters are not valid.", exc.problems)
    except ChapterFailed as exc:
        details = [f"{exc.position}: {exc.message}"]
        if exc.executed:
            details.append(f"full traceback in {display_path(exc.executed)}")
        return failed(3, f"Chapter {exc.chapter} failed.", details)
    except RenderBusy as exc:
        return failed(4, "Not started.", [str(exc)])
    except Exception as exc:  # noqa: BLE001 — one set's unexpected error must not stop the batch
        return failed(3, "The render stopped with an unexpected error.", [f"{type(exc).__name__}: {exc}"])
    return SetOutcome(
        task.name,
        True,
        0,
        "Published.",
        [],
        time.monotonic() - started,
        list(result.chapters_run),
        len(result.figure_names),
    )


# -- the executor -------------------------------------------------------------------------------


@contextlib.contextmanager
def executor_for(jobs: int, scheduler: str | None = None) -> Iterator[futures.Executor]:
    """Local processes (``jobs`` at a time), or the executor of a Dask cluster at ``scheduler``."""
    if not scheduler:
        # spawn, not fork: the same on every platform, and no copy of this process's threads.
        pool = futures.ProcessPoolExecutor(max_workers=jobs, mp_context=multiprocessing.get_context("spawn"))
        try:
            yield pool
        except BaseException:
            pool.shutdown(wait=False, cancel_futures=True)
            raise
        pool.shutdown()
        return
    try:
        from distributed import Client
    except ImportError:
        raise ParamsError(
            "--scheduler", ["a Dask cluster needs the 'distributed' package: pip install 'demining_sdg[cluster]'"]
        ) from None
    try:
        client = Client(scheduler, timeout=CONNECT_TIMEOUT)
    except OSError as exc:
        raise ParamsError("--scheduler", [f"no Dask scheduler answers at {scheduler}: {exc}"]) from None
    try:
        yield client.get_executor(pure=False)
    finally:
        client.close()


# -- the batch ----------------------------------------------------------------------------------


def run_batch(
    batch: Batch,
    console: Console | None = None,
    *,
    jobs: int = 2,
    scheduler: str | None = None,
    executor: futures.Executor | None = None,
    notebooks: list[Path] | None = None,
    use_cache: bool = True,
    pptx_template: Path | None = None,
) -> BatchResult:
    """Render every set (``jobs`` at a time, or on the cluster at ``scheduler``), then write the index."""
    console = console or Console(stderr=True)
    started = time.monotonic()
    batch.out_dir.mkdir(parents=True, exist_ok=True)
    configured = os.environ.get("DEMINING_SDG_CACHE", "")
    cache_on = use_cache and configured != "off"
    cache_dir = Path(configured).resolve() if cache_on and configured else None
    if cache_on:
        from demining_sdg.build.cache import CACHE_DIR

        cache_dir = cache_dir or CACHE_DIR  # absolute, so that a worker elsewhere uses the same folder
    tasks = [SetTask(entry.name, entry.params, notebooks, cache_on, cache_dir, pptx_template) for entry in batch.sets]
    lock = FileLock(batch.out_dir / LOCK_FILE, timeout=0)
    try:
        lock.acquire()
    except Timeout:
        raise BatchBusy(f"another batch is writing to {batch.out_dir.name}; wait for it to finish") from None
    try:
        if executor is not None:
            outcomes = _run_tasks(executor, tasks, console)
        else:
            with executor_for(max(1, min(jobs, len(tasks))), scheduler) as pool:
                outcomes = _run_tasks(pool, tasks, console)
        index = write_index(batch, outcomes)
    finally:
        lock.release()
    return BatchResult(index, outcomes, time.monotonic() - started)


def _run_tasks(pool: futures.Executor, tasks: list[SetTask], console: Console) -> list[SetOutcome]:
    """Submit every set, show a progress line per set, and collect the outcomes in batch order."""
    submitted: dict[futures.Future, int] = {}
    outcomes: dict[int, SetOutcome] = {}
    with Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        TextColumn("{task.fields[status]}"),
        TimeElapsedColumn(),
        console=console,
    ) as progress:
        total = len(tasks)
        overall = progress.add_task(f"Rendering {total} parameter sets", total=total, status=f"0/{total} done")
        lines = [progress.add_task(f"  {task.name}", total=1, status="waiting") for task in tasks]
        for number, task in enumerate(tasks):
            submitted[pool.submit(render_set, task)] = number
        pending = set(submitted)
        while pending:
            done, pending = futures.wait(pending, timeout=0.5, return_when=futures.FIRST_COMPLETED)
            for future in pending:
                if future.running():
                    progress.update(lines[submitted[future]], status="running")
            for future in done:
                number = submitted[future]
                outcome = _outcome_of(future, tasks[number])
                outcomes[number] = outcome
                status = (
                    f"[green]published[/green] in {outcome.seconds:.0f} s"
                    if outcome.published
                    else f"[red]failed[/red]: {outcome.message}"
                )
                progress.update(lines[number], advance=1, status=status)
                progress.update(overall, advance=1, status=f"{len(outcomes)}/{total} done")
    return [outcomes[number] for number in range(len(tasks))]


def _outcome_of(future: futures.Future, task: SetTask) -> SetOutcome:
    try:
        return future.result()
    except Exception as exc:  # noqa: BLE001 — the worker itself died (killed, out of memory, lost)
        return SetOutcome(task.name, False, 3, "The worker running this set stopped.", [f"{type(exc).__name__}: {exc}"])


# -- the index page -----------------------------------------------------------------------------


def _period(params: ReportParams) -> str:
    return f"{params.first_year}\u2013{params.last_year}"


def _country_name(params: ReportParams) -> str:
    from demining_sdg.inputs.profiles import read_profile

    profile_file = params.data_dir / "profiles" / f"{params.country}.yaml"
    profile = read_profile(profile_file)[0] if profile_file.is_file() else None
    return profile.name if profile is not None else params.country


def write_index(batch: Batch, outcomes: list[SetOutcome]) -> Path:
    """The index page and its record, each written to a temporary file and renamed into place."""
    rows = []
    for entry, outcome in zip(batch.sets, outcomes, strict=True):
        report = entry.params.out_dir / paths.REPORT_FILE_NAME
        rows.append(
            {
                "name": entry.name,
                "country": _country_name(entry.params),
                "period": _period(entry.params),
                "currency": entry.params.currency,
                "outcome": outcome,
                "href": f"{entry.name}/{paths.REPORT_FILE_NAME}" if report.is_file() else None,
            }
        )
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(paths.TEMPLATES_DIR), autoescape=True, undefined=jinja2.StrictUndefined
    )
    html = env.get_template("batch_index.html.j2").render(
        rows=rows,
        published=sum(1 for o in outcomes if o.published),
        total=len(outcomes),
        css=(paths.TEMPLATES_DIR / "report.css").read_text(encoding="utf-8"),  # the report's house style
    )
    index = batch.out_dir / INDEX_FILE
    _replace(index, html)
    record = [
        {
            "name": row["name"],
            "params": entry.params.public_dict(),
            **{
                k: v for k, v in asdict(row["outcome"]).items() if k in {"published", "exit_code", "message", "details"}
            },
        }
        for row, entry in zip(rows, batch.sets, strict=True)
    ]
    _replace(batch.out_dir / RECORD_FILE, json.dumps({"sets": record}, indent=2, ensure_ascii=False) + "\n")
    return index


def _replace(path: Path, text: str) -> None:
    temporary = path.with_name(f".{path.name}.writing")
    temporary.write_text(text, encoding="utf-8")
    os.replace(temporary, path)


def summary_lines(result: BatchResult) -> list[str]:
    """One line per failed set, for the terminal."""
    return [f"{o.name}: {o.message} " + " ".join(o.details[:3]) for o in result.outcomes if not o.published]
