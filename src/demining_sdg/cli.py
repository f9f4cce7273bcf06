"""Command line: ``python -m demining_sdg validate | render | import | check-fresh``."""

from __future__ import annotations

import os
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from demining_sdg import paths
from demining_sdg.inputs.problems import DataProblems, diagnoses, print_problems, write_problems
from demining_sdg.params import ParamsError, load_params, parse_overrides

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    help="Mine action and the SDGs: validate the data, render the report.",
)
console = Console(stderr=True)

DataDirOption = Annotated[
    Path | None, typer.Option("--data-dir", help="Folder with the input tables (default: data/).")
]


def _fail(title: str, lines: list[str], code: int = 2) -> None:
    console.print(f"[bold red]{title}[/bold red]")
    for line in lines:
        console.print(f"  • {line}", highlight=False)
    raise typer.Exit(code)


class ProblemFormat(StrEnum):
    text = "text"
    csv = "csv"
    json = "json"


@app.command()
def validate(
    data_dir: DataDirOption = None,
    fmt: Annotated[
        ProblemFormat,
        typer.Option("--format", help="text (a table on a terminal, one line per problem in a log), csv or json."),
    ] = ProblemFormat.text,
) -> None:
    """Check every input table and the rules between tables; print all problems at once."""
    from demining_sdg.inputs.validation import validate_data_dir

    folder = (data_dir or paths.DATA_DIR).resolve()
    result = validate_data_dir(folder)
    if result.problems and fmt is not ProblemFormat.text:
        write_problems(result.problems, fmt.value, sys.stdout)
        raise typer.Exit(1)
    if result.problems:
        print_problems(result.problems, console)
        console.print(f"[bold red]The data in {folder} is not valid: {len(result.problems)} problem(s).[/bold red]")
        raise typer.Exit(1)
    rows = sum(len(frame) for frame in result.tables.values() if frame is not None)
    console.print(f"[green]Valid:[/green] {len(result.tables)} tables, {rows:,} rows in {folder}")


@app.command()
def render(
    params_file: Annotated[
        Path | None, typer.Option("--params", help="Parameters YAML (default: params/report.yaml).")
    ] = None,
    data_dir: DataDirOption = None,
    out: Annotated[Path | None, typer.Option("--out", help="Output folder (default: report/).")] = None,
    set_values: Annotated[
        list[str] | None, typer.Option("--set", help="Override a parameter: key=value (repeatable).")
    ] = None,
    notebooks_dir: Annotated[
        Path | None, typer.Option("--notebooks", help="Folder of chapter notebooks (default: notebooks/).")
    ] = None,
    pptx_template: Annotated[
        Path | None,
        typer.Option(
            "--pptx-template",
            exists=True,
            dir_okay=False,
            readable=True,
            help="A .pptx/.potx whose slide master and layouts the briefing deck uses (an organisation's branding).",
        ),
    ] = None,
    no_cache: Annotated[
        bool, typer.Option("--no-cache", help="Run every chapter, even those unchanged since the last render.")
    ] = False,
    batch_file: Annotated[
        Path | None,
        typer.Option(
            "--batch",
            exists=True,
            dir_okay=False,
            readable=True,
            help="Render every parameter set of a batch file (params/batch.yaml) into its own folder, with an index.",
        ),
    ] = None,
    jobs: Annotated[int, typer.Option("--jobs", min=1, max=64, help="With --batch: sets rendered at once.")] = 2,
    scheduler: Annotated[
        str | None,
        typer.Option("--scheduler", help="With --batch: run the sets on the Dask cluster at tcp://HOST:PORT."),
    ] = None,
) -> None:
    """Validate data and parameters, execute every chapter, publish report/index.html."""
    from demining_sdg.build.render import ChapterFailed, RenderBusy
    from demining_sdg.build.render import render as run_render

    if batch_file is None and scheduler is not None:
        _fail("--scheduler needs --batch.", ["a single render runs on this machine; give a batch file with --batch"])
    try:
        overrides = parse_overrides(set_values or [])
        if data_dir is not None:
            overrides["data_dir"] = str(data_dir.resolve())
        notebooks = paths.chapter_notebooks(notebooks_dir.resolve()) if notebooks_dir else None
        template = pptx_template.resolve() if pptx_template else None
        if batch_file is not None:
            if params_file is not None:
                _fail("--params does not apply to --batch.", ["a batch file names its base parameters (base:)"])
            _render_batch(batch_file, overrides, out, notebooks, not no_cache, template, jobs, scheduler)
            return
        if out is not None:
            overrides["out_dir"] = str(out.resolve())
        params = load_params(params_file or paths.DEFAULT_PARAMS_FILE, overrides)
        result = run_render(
            params,
            console,
            notebooks=notebooks,
            use_cache=not no_cache,
            pptx_template=template,
        )
    except ParamsError as exc:
        _fail(f"Invalid parameters ({exc.source}):", exc.problems)
    except DataProblems as exc:
        print_problems(exc.problems, console)
        _fail("The data is not valid; nothing was rendered and the published report is unchanged.", [], code=1)
    except ChapterFailed as exc:
        lines = [f"{exc.position}: {exc.message}"]
        if exc.executed:
            lines.append(f"full traceback in {exc.executed}")
        lines.append("The published report is unchanged.")
        _fail(f"Chapter {exc.chapter} failed.", lines, code=3)
    except RenderBusy as exc:
        _fail("Not started.", [str(exc)], code=4)
    except KeyboardInterrupt:
        console.print("[bold red]Interrupted.[/bold red] The published report, figures and deck are unchanged.")
        # Chapters still running in worker threads would otherwise hold the exit; their kernels
        # stop when this process ends, and the next render removes what they leave behind.
        sys.stderr.flush()
        os._exit(130)
    console.print(
        f"[green]Published[/green] {result.report} ({len(result.figure_names)} figures, "
        f"deck {result.deck.name}) in {result.seconds:.1f} s"
    )


def _render_batch(
    batch_file: Path,
    overrides: dict,
    out: Path | None,
    notebooks: list[Path] | None,
    use_cache: bool,
    template: Path | None,
    jobs: int,
    scheduler: str | None,
) -> None:
    """``render --batch``: exit 0 if every set was published, 5 if any failed (named), 2 if the batch
    file is invalid, 4 if another batch writes to the same folder."""
    from demining_sdg.build.batch import BatchBusy, load_batch, run_batch, summary_lines

    batch = load_batch(batch_file.resolve(), overrides, out.resolve() if out else None)
    try:
        result = run_batch(
            batch,
            console,
            jobs=jobs,
            scheduler=scheduler,
            notebooks=notebooks,
            use_cache=use_cache,
            pptx_template=template,
        )
    except BatchBusy as exc:
        _fail("Not started.", [str(exc)], code=4)
    if result.failed:
        _fail(
            f"{len(result.failed)} of {len(result.outcomes)} sets failed: {', '.join(result.failed)} "
            f"(index: {result.index}; their previous reports are unchanged).",
            summary_lines(result),
            code=result.exit_code,
        )
    console.print(
        f"[green]Published[/green] {len(result.outcomes)} reports, index {result.index}, in {result.seconds:.1f} s"
    )


@app.command()
def pdf(out: Annotated[Path | None, typer.Option("--out", help="Report folder (default: report/).")] = None) -> None:
    """Print the published report to report.pdf (A4, cover, page numbers) through headless Chromium."""
    import re

    from demining_sdg.build.pdf import PDF_FILE_NAME, ChromiumMissing, write_pdf

    folder = (out or paths.REPORT_DIR).resolve()
    html = folder / paths.REPORT_FILE_NAME
    if not html.is_file():
        _fail("No report to print.", [f"{html.name} is missing in {folder.name}/: run make report first"], code=2)
    found = re.search(r"<title>(.*?)</title>", html.read_text(encoding="utf-8"), re.S)
    staged = folder / f".{PDF_FILE_NAME}.writing"
    try:
        pages = write_pdf(html, staged, title=found.group(1).strip() if found else "Report")
    except ChromiumMissing as exc:
        staged.unlink(missing_ok=True)
        _fail("The PDF needs headless Chromium.", [str(exc)], code=2)
    staged.replace(folder / PDF_FILE_NAME)  # the previous PDF stays until the new one is whole
    console.print(f"[green]Printed[/green] {folder.name}/{PDF_FILE_NAME} ({pages} pages)")


class ImportFormat(StrEnum):
    hxl = "hxl"
    funding = "funding"
    operations = "operations"


@app.command("import")
def import_file(
    fmt: Annotated[
        ImportFormat, typer.Argument(metavar="FORMAT", help="hxl, funding (IATI / OECD CRS) or operations.")
    ],
    file: Annotated[
        Path, typer.Argument(metavar="FILE", exists=True, dir_okay=False, readable=True, help="The file to import.")
    ],
    country: Annotated[
        str | None, typer.Option("--country", help="ISO3 code of the rows (operations: required; funding: a filter).")
    ] = None,
    out: Annotated[
        Path | None,
        typer.Option("--out", help="Target data folder (default: imports/review/, a copy of the data to review)."),
    ] = None,
    data_dir: DataDirOption = None,
    source_id: Annotated[
        str | None, typer.Option("--source-id", help="The sources.csv row that describes the file.")
    ] = None,
    table: Annotated[str | None, typer.Option("--table", help="hxl: clearance, casualties or funding.")] = None,
    programme_scope: Annotated[
        str, typer.Option("--programme-scope", help="operations: the rows' programme_scope.")
    ] = "national",
    periods: Annotated[
        str, typer.Option("--periods", help="operations: period types made, comma-separated.")
    ] = "annual,monthly,weekly",
    period_start: Annotated[
        str | None, typer.Option("--period-start", help="operations: first day the export covers (YYYY-MM-DD).")
    ] = None,
    period_end: Annotated[
        str | None, typer.Option("--period-end", help="operations: last day the export covers (YYYY-MM-DD).")
    ] = None,
    currency: Annotated[
        str | None, typer.Option("--currency", help="funding: the currency of the derived totals.")
    ] = None,
) -> None:
    """Turn a file in a field format into rows of the project's tables, validated, in a target data folder."""
    from demining_sdg.inputs.imports import run_import
    from demining_sdg.inputs.imports.common import ImportProblems, ImportRefused

    try:
        result = run_import(
            fmt.value,
            file.resolve(),
            out=out,
            data_dir=(data_dir or paths.DATA_DIR).resolve(),
            country=country,
            source_id=source_id,
            table=table,
            programme_scope=programme_scope,
            periods=periods,
            period_start=period_start,
            period_end=period_end,
            currency=currency,
        )
    except ImportRefused as exc:
        _fail("Not imported:", exc.lines, code=2)
    except ImportProblems as exc:
        print_problems(exc.problems, console)
        shown = " ".join(diagnoses(exc.problems))
        for hint in exc.hints:
            if not ("shifting" in hint and "shifting" in shown):  # the same diagnosis once
                console.print(f"Hint: {hint}", highlight=False, markup=False, soft_wrap=True)
        more = f" (the first {len(exc.problems)} are listed)" if exc.total > len(exc.problems) else ""
        _fail(f"{file.name} was not imported: {exc.total:,} problem(s){more}; nothing was written.", [], code=1)
    for line in result.summary:
        console.print(f"  • {line}", highlight=False, markup=False, soft_wrap=True)
    written = ", ".join(f"{len(f):,} rows to {name}.csv" for name, f in result.rows.items() if len(f))
    console.print(f"[green]Imported[/green] {file.name}: {written} in {result.target}", highlight=False, soft_wrap=True)


@app.command("data-docs")
def data_docs(data_dir: DataDirOption = None) -> None:
    """Regenerate data/README.md from data/datapackage.json."""
    from demining_sdg.inputs.datadocs import write_data_readme

    target = write_data_readme((data_dir or paths.DATA_DIR).resolve())
    console.print(f"Wrote {target}")


@app.command("check-fresh")
def check_fresh(out: Annotated[Path | None, typer.Option("--out", help="Report folder.")] = None) -> None:
    """Exit non-zero if data, notebooks, parameters or code changed since the report was rendered."""
    from demining_sdg.provenance.freshness import stale_reasons

    folder = (out or paths.REPORT_DIR).resolve()
    try:
        expected = load_params(paths.DEFAULT_PARAMS_FILE, {"out_dir": str(folder)})
    except ParamsError as exc:
        _fail(f"Invalid parameters ({exc.source}):", exc.problems)
    reasons = stale_reasons(folder, expected.data_dir, expected)
    if reasons:
        _fail("The published report is out of date; run `make report`.", reasons, code=1)
    console.print("[green]The published report matches its inputs and code.[/green]")


def main() -> None:
    app()
