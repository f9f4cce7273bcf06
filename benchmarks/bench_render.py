"""Speed of the pipeline's stages, printed as times and ratios (a benchmark, not a test).

    .venv/bin/python benchmarks/bench_render.py [--repeat N]

Measures: validation of data/ (per 1,000 rows), one kernel start (the floor of a chapter's
cost), the full render with chapters run one at a time and side by side (no cache), an unchanged
re-render and a re-render after one table changed (with the chapter cache), and prints the ratios
between them. Renders go to a temporary folder; the published report and the project's cache are
not touched.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import tempfile
import time
from pathlib import Path

from rich.console import Console

from demining_sdg import paths
from demining_sdg.build.render import render
from demining_sdg.inputs.validation import validate_data_dir
from demining_sdg.params import load_params


def timed(action, repeat: int) -> float:
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        action()
        samples.append(time.perf_counter() - started)
    return statistics.median(samples)


def kernel_start() -> None:
    from jupyter_client.manager import start_new_kernel

    manager, client = start_new_kernel(kernel_name="python3", extra_arguments=["--IPKernelApp.log_level=ERROR"])
    client.stop_channels()
    manager.shutdown_kernel()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="runs per measurement (median is shown)")
    args = parser.parse_args()
    quiet = Console(file=open("/dev/null", "w"))

    rows = sum(len(f) for f in validate_data_dir(paths.DATA_DIR).tables.values() if f is not None)
    validate = timed(lambda: validate_data_dir(paths.DATA_DIR), args.repeat)
    kernel = timed(kernel_start, args.repeat)
    chapters = len(paths.chapter_notebooks())
    results = {}
    for jobs in (1, 2):
        with tempfile.TemporaryDirectory() as out:
            params = load_params(paths.DEFAULT_PARAMS_FILE, {"out_dir": str(Path(out)), "jobs": jobs})
            results[jobs] = timed(lambda params=params: render(params, quiet, use_cache=False), max(1, args.repeat - 2))
    with tempfile.TemporaryDirectory() as work:
        data, cache = Path(work) / "data", Path(work) / "cache"
        shutil.copytree(paths.DATA_DIR, data)
        params = load_params(paths.DEFAULT_PARAMS_FILE, {"out_dir": str(Path(work) / "out"), "data_dir": str(data)})
        render(params, quiet, cache_dir=cache)  # warm
        unchanged = timed(lambda: render(params, quiet, cache_dir=cache), args.repeat)
        glossary = data / "glossary.csv"
        original = glossary.read_text(encoding="utf-8")
        glossary.write_text(
            original.replace("all reasonable effort", "all reasonable effort (bench)", 1), encoding="utf-8"
        )
        started = time.perf_counter()
        changed = render(params, quiet, cache_dir=cache)
        one_table = time.perf_counter() - started

    print(
        f"validate data/ ({rows:,} rows)        {validate:7.2f} s   ({validate / rows * 1000 * 1000:.2f} ms per 1,000 rows)"
    )
    print(f"kernel start + stop                   {kernel:7.2f} s")
    print(
        f"render, {chapters} chapters, jobs=1          {results[1]:7.2f} s   ({results[1] / chapters:.2f} s per chapter)"
    )
    print(f"render, {chapters} chapters, jobs=2          {results[2]:7.2f} s")
    print(f"ratio jobs=1 / jobs=2                 {results[1] / results[2]:7.2f} x")
    print(f"ratio per-chapter cost / kernel start {results[1] / chapters / kernel:7.2f} x")
    print(f"ratio render(jobs=2) / validation     {results[2] / validate:7.2f} x")
    print(
        f"unchanged re-render (cache)           {unchanged:7.2f} s   ({unchanged / results[2]:.2f} x the cold render)"
    )
    print(
        f"one table changed (glossary)          {one_table:7.2f} s   (ran {len(changed.chapters_run)} of {chapters}: "
        f"{', '.join(changed.chapters_run)})"
    )


if __name__ == "__main__":
    main()
