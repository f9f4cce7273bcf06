"""Speed and memory of the operational import at a million rows, and of a render fed by it
(a benchmark, not a test; prints times and ratios).

    .venv/bin/python benchmarks/bench_imports.py [--rows 1000000] [--no-render]

From another script (benchmarks/bench_render.py): ``import bench_imports; bench_imports.main([])``.

1. A SYNTHETIC export of ``--rows`` rows (seeded, made-up districts and operators) is written to a
   temporary folder.
2. Read + check + aggregate run in a child process, whose peak resident memory (ru_maxrss) is
   reported; the whole import (with the validation of the result) is timed on its own.
3. The render of data/ is timed against the render of a temporary copy of data/ that holds the
   import's clearance rows, as the made-up country XIM (a profile is written in the copy), for the
   report's country and for XIM. Nothing is published: renders go to temporary folders, without
   the chapter cache. Targets of issue 12: import + render at most 2x the render of data/, peak
   memory under 1.5 GB.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from synthetic_export import write_synthetic_export  # noqa: E402

SOURCE_ID = "S950"
SOURCE_ROW = (
    f"{SOURCE_ID},[SYNTHETIC] operational export of a made-up authority (benchmark),Synthetic benchmark source,,"
    '2026,"SYNTHETIC: made-up records, not real data",ngo_data,written by benchmarks/bench_imports.py\n'
)
PROFILE = """# SYNTHETIC benchmark profile: a made-up country. Never published.
iso3: XIM
name: Synthetic Import Country
scopes:
  - code: national
    label: whole country
    short: whole country
focus_scope: national
"""


def child(export: str) -> None:
    """Read, check and aggregate in this process; print the times as JSON."""
    from demining_sdg.inputs.imports.operations import OperationsOptions, _span, aggregate, check_export, read_export

    started = time.perf_counter()
    frame, rows, problems = read_export(Path(export))
    read = time.perf_counter()
    typed, found = check_export(frame, rows, Path(export).name)
    checked = time.perf_counter()
    sums = aggregate(typed, _span(typed, OperationsOptions("XIM", None)))
    done = time.perf_counter()
    assert not problems and not found.problems
    cpu = time.process_time()  # all threads of this process (pyarrow reads with several)
    print(json.dumps({"rows": len(frame), "read": read - started, "check": checked - read, "aggregate": done - checked,
                      "clearance_rows": len(sums), "cpu": cpu}))  # fmt: skip


def measure_in_child(export: Path) -> tuple[dict, float | None]:
    """(times, peak memory in MB of the child) — ru_maxrss where the platform has it."""
    process = subprocess.run(
        [sys.executable, __file__, "--child", str(export)], capture_output=True, text=True, check=True
    )
    times = json.loads(process.stdout.strip().splitlines()[-1])
    try:
        import resource

        peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024  # KB on Linux
    except ImportError:  # Windows: no resource module
        peak = None
    return times, peak


def render_seconds(data_dir: Path, out: Path, **overrides) -> float:
    from rich.console import Console

    from demining_sdg import paths
    from demining_sdg.build.render import render
    from demining_sdg.params import load_params

    params = load_params(paths.DEFAULT_PARAMS_FILE, {"out_dir": str(out), "data_dir": str(data_dir), **overrides})
    started = time.perf_counter()
    with open(os.devnull, "w") as sink:
        render(params, Console(file=sink), use_cache=False)
    return time.perf_counter() - started


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--no-render", action="store_true", help="measure the import only")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        child(args.child)
        return
    os.environ.setdefault("DEMINING_SDG_CACHE", "off")
    from demining_sdg import paths
    from demining_sdg.inputs.imports import run_import

    with tempfile.TemporaryDirectory(prefix="bench-imports-") as work:
        work = Path(work)
        export = write_synthetic_export(work / "synthetic_export.csv", rows=args.rows, seed=12, year=2025)
        times, peak = measure_in_child(export)
        base = work / "data"
        shutil.copytree(paths.DATA_DIR, base, ignore=shutil.ignore_patterns("examples"))
        with open(base / "sources.csv", "a", encoding="utf-8") as handle:
            handle.write(SOURCE_ROW)
        (base / "profiles" / "XIM.yaml").write_text(PROFILE, encoding="utf-8")
        started = time.perf_counter()
        result = run_import(
            "operations", export, out=work / "imported", data_dir=base, country="XIM", source_id=SOURCE_ID
        )
        whole_import = time.perf_counter() - started
        inner = times["read"] + times["check"] + times["aggregate"]
        size = export.stat().st_size / 1024 / 1024
        print(f"operational export, synthetic     {times['rows']:>10,} rows ({size:.0f} MB)")
        print(f"  read (pyarrow, explicit types)    {times['read']:7.2f} s")
        print(f"  check (vectorised)                {times['check']:7.2f} s")
        print(f"  aggregate (bincount per period)   {times['aggregate']:7.2f} s   -> {times['clearance_rows']} rows")
        print(f"  read + check + aggregate          {inner:7.2f} s   ({inner / times['rows'] * 1e6:.2f} s per million)")
        print(
            f"  CPU time of the child             {times['cpu']:7.2f} s   (wall time above includes waiting for a core)"
        )
        if peak is not None:
            print(f"  peak memory (child, ru_maxrss)    {peak:7.0f} MB   (target < 1,536 MB)")
        print(f"  whole import (+ validation)       {whole_import:7.2f} s   ({len(result.rows['clearance'])} rows)")
        if args.no_render:
            return
        plain = render_seconds(paths.DATA_DIR, work / "out-plain")
        fed = render_seconds(result.target, work / "out-fed")
        synthetic = render_seconds(result.target, work / "out-xim", country="XIM")
        print(f"render of data/                     {plain:7.2f} s")
        print(f"render of data/ + imported rows     {fed:7.2f} s   ({fed / plain:.2f} x)")
        print(
            f"import + that render                {whole_import + fed:7.2f} s   "
            f"({(whole_import + fed) / plain:.2f} x the render of data/; target <= 2 x)"
        )
        print(f"render of the synthetic country    {synthetic:7.2f} s   ({synthetic / plain:.2f} x; its own report)")


if __name__ == "__main__":
    main()
