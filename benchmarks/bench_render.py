"""Speed of the render against its limits and the issue's targets (a benchmark, never a test).

    .venv/bin/python benchmarks/bench_render.py [--repeat N] [--batch-repeat N]

Every figure is a whole process (interpreter start and imports included), run from this folder,
the median of ``--repeat`` runs (default 3): wall time, and CPU time of the process and all its
children (kernels included) through ``resource.getrusage(RUSAGE_CHILDREN)`` where the platform has
it. Measured, in one run:

- plain: the nine notebooks' code cells executed in one Python process, no kernel (the cost of the
  analysis itself; the limit a render can approach);
- naive: papermill's command line per notebook, then ``jupyter nbconvert --to html --no-input``;
- cold render: ``python -m demining_sdg render --no-cache`` (jobs as in params/report.yaml);
- unchanged re-render: the same render again from the command line (nothing changed since the last);
- one table changed: the glossary edited, re-rendered with the cache (and which chapters ran,
  against the chapters whose cache entries say they read it);
- a 6-set batch (``render --batch``, 2 sets at a time) against the same 6 sets rendered one after
  another (cache off for both).

Then the ratios against the targets of issue 11, marked met or missed. Renders go to temporary
folders with their own cache folder; the published report and the project's cache are untouched.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

try:
    import resource
except ImportError:  # Windows: wall times only
    resource = None

ROOT = Path(__file__).resolve().parents[1]
PY = sys.executable
BATCH_SETS = [
    {"country": "AZE"},
    {"country": "KHM"},
    {"name": "aze-since-2020", "country": "AZE", "first_year": 2020},
    {"country": "KHM", "currency": "USD"},
    {"country": "AZE", "currency": "USD"},
    {"name": "khm-since-2010", "country": "KHM", "first_year": 2010},
]

PLAIN_RUN = r"""
import json, sys
from pathlib import Path
import nbformat
parameters = json.loads(sys.argv[1])
for path in sys.argv[2:]:
    namespace = {"__name__": "__main__"}
    for cell in nbformat.read(path, as_version=4).cells:
        if cell.cell_type == "code":
            exec(compile(cell.source, path, "exec"), namespace)
            if "parameters" in cell.get("metadata", {}).get("tags", []):
                namespace.update(parameters)
"""

RENDER_ONCE = r"""
import json, sys
from pathlib import Path
from rich.console import Console
from demining_sdg.build.render import render
from demining_sdg.params import load_params
out, data, cache = sys.argv[1:4]
params = load_params(None, {"out_dir": out, "data_dir": data})
result = render(params, Console(file=open(__import__("os").devnull, "w")), cache_dir=Path(cache))
print(json.dumps(result.chapters_run))
"""


@dataclass(frozen=True)
class Sample:
    wall: float
    cpu: float | None
    stdout: str = ""


def children_cpu() -> float | None:
    if resource is None:
        return None
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run(commands: list[list[str]], cwd: Path = ROOT, env: dict | None = None) -> Sample:
    """Run commands one after another as whole processes; wall and CPU time of all of them."""
    environment = {**os.environ, "DEMINING_SDG_ROOT": str(ROOT), **(env or {})}
    cpu_before, started = children_cpu(), time.perf_counter()
    stdout = ""
    for command in commands:
        done = subprocess.run(command, cwd=cwd, env=environment, capture_output=True, text=True)
        if done.returncode != 0:
            sys.exit(f"benchmark step failed ({' '.join(command[:4])} …):\n{done.stdout[-2000:]}{done.stderr[-3000:]}")
        stdout = done.stdout
    wall = time.perf_counter() - started
    cpu_after = children_cpu()
    return Sample(wall, None if cpu_before is None else cpu_after - cpu_before, stdout)


def median(samples: list[Sample]) -> Sample:
    walls = [s.wall for s in samples]
    cpus = [s.cpu for s in samples if s.cpu is not None]
    return Sample(statistics.median(walls), statistics.median(cpus) if cpus else None, samples[-1].stdout)


def repeat(times: int, action) -> Sample:
    return median([action(i) for i in range(times)])


def notebook_parameters(work: Path) -> dict:
    sys.path.insert(0, str(ROOT / "src"))
    from demining_sdg.params import load_params

    figures = work / "figures"
    figures.mkdir(parents=True, exist_ok=True)
    return load_params(None).notebook_parameters(figures_dir=figures)


def plain(work: Path, notebooks: list[Path]) -> Sample:
    folder = Path(tempfile.mkdtemp(dir=work))
    parameters = notebook_parameters(folder)
    return run([[PY, "-c", PLAIN_RUN, json.dumps(parameters), *map(str, notebooks)]], cwd=folder)


def naive(work: Path, notebooks: list[Path]) -> Sample:
    folder = Path(tempfile.mkdtemp(dir=work))
    parameters = notebook_parameters(folder)
    (folder / "params.yaml").write_text(json.dumps(parameters), encoding="utf-8")  # JSON is YAML
    bin_dir = Path(PY).parent
    commands = []
    for notebook in notebooks:
        executed = folder / notebook.name
        commands.append([str(bin_dir / "papermill"), str(notebook), str(executed), "-f", "params.yaml", "--cwd", "."])
        commands.append([str(bin_dir / "jupyter"), "nbconvert", "--to", "html", "--no-input", str(executed)])
    return run(commands, cwd=folder)


def render_cli(out: Path, *extra: str) -> list[str]:
    return [PY, "-m", "demining_sdg", "render", "--out", str(out), *extra]


def render_once(out: Path, data: Path, cache: Path) -> Sample:
    return run([[PY, "-c", RENDER_ONCE, str(out), str(data), str(cache)]])


def cache_readers(cache: Path, table: str) -> set[str]:
    manifests = [json.loads(p.read_text(encoding="utf-8")) for p in cache.glob("*/manifest.json")]
    return {m["notebook"].removesuffix(".ipynb") for m in manifests if table in m["tables"]}


def batch_file(work: Path, out: Path) -> Path:
    lines = [f"out_dir: {out}", "sets:"]
    lines += ["  - " + json.dumps(entry) for entry in BATCH_SETS]
    path = work / "bench-batch.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def serial_commands(work: Path) -> list[list[str]]:
    commands = []
    for number, entry in enumerate(BATCH_SETS):
        sets = [f"--set={key}={value}" for key, value in entry.items() if key != "name"]
        commands.append(render_cli(work / f"serial-{number}", "--no-cache", *sets))
    return commands


def verdict(value: float | None, target: float) -> str:
    if value is None:
        return "not measured"
    return "met" if value <= target else "MISSED"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="runs per measurement (the median is shown)")
    parser.add_argument(
        "--batch-repeat", type=int, default=None, help="runs of the batch and serial (default: --repeat)"
    )
    parser.add_argument("--no-imports", action="store_true", help="leave out the 1M-row import and its renders")
    args = parser.parse_args()
    batch_repeat = args.batch_repeat or args.repeat
    notebooks = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
    no_cache = {"DEMINING_SDG_CACHE": "off"}
    load_before = os.getloadavg()[0] if hasattr(os, "getloadavg") else None  # the machine may be shared
    rows: list[tuple[str, Sample, str]] = []
    with tempfile.TemporaryDirectory(prefix="demining-bench-") as temporary:
        work = Path(temporary)
        say = lambda text: print(f"… {text}", file=sys.stderr, flush=True)  # noqa: E731
        say(f"plain run of {len(notebooks)} notebooks (x{args.repeat})")
        plain_s = repeat(args.repeat, lambda i: plain(work, notebooks))
        say("naive papermill + nbconvert pipeline")
        naive_s = repeat(args.repeat, lambda i: naive(work, notebooks))
        say("cold render")
        cold = repeat(args.repeat, lambda i: run([render_cli(work / f"cold-{i}", "--no-cache")], env=no_cache))
        data, cache, out = work / "data", work / "cache", work / "cached-out"
        shutil.copytree(ROOT / "data", data)
        say("unchanged re-render (cache)")
        render_once(out, data, cache)  # warm
        # as a user runs it: the command line, which stops before any heavy import when nothing changed
        again = render_cli(out, "--data-dir", str(data))
        unchanged = repeat(args.repeat, lambda i: run([again], env={"DEMINING_SDG_CACHE": str(cache)}))
        say("one table changed")
        glossary = data / "glossary.csv"
        original = glossary.read_text(encoding="utf-8")
        readers = cache_readers(cache, "glossary")

        def one_table(i: int) -> Sample:
            glossary.write_text(original.replace("all reasonable effort", f"all reasonable effort ({i})", 1), "utf-8")
            return render_once(out, data, cache)

        changed = repeat(args.repeat, one_table)
        ran = set(json.loads(changed.stdout or "[]"))
        say(f"6-set batch (x{batch_repeat})")
        batch = repeat(
            batch_repeat,
            lambda i: run(
                [
                    [
                        PY,
                        "-m",
                        "demining_sdg",
                        "render",
                        "--batch",
                        str(batch_file(work, work / f"batch-{i}")),
                        "--jobs",
                        "2",
                    ]
                ],
                env=no_cache,
            ),
        )
        say(f"the same 6 sets one after another (x{batch_repeat})")
        serial = repeat(batch_repeat, lambda i: run(serial_commands(work / f"serial-run-{i}"), env=no_cache))

    rows = [
        ("plain run, one process, no kernel", plain_s, "the limit"),
        ("naive papermill CLI + nbconvert", naive_s, ""),
        ("cold render (no cache)", cold, ""),
        ("unchanged re-render (cache)", unchanged, ""),
        ("one table changed (glossary)", changed, f"ran {len(ran)} of {len(notebooks)}: {', '.join(sorted(ran))}"),
        (f"batch of {len(BATCH_SETS)} sets, 2 at a time", batch, ""),
        (f"the {len(BATCH_SETS)} sets one after another", serial, ""),
    ]
    load = f"; load average {load_before:.1f} before, {os.getloadavg()[0]:.1f} after" if load_before is not None else ""
    print(f"\nWhole processes, medians of {args.repeat} runs (batch and serial: {batch_repeat}){load}\n")
    print(f"| {'measurement':44} | {'wall s':>7} | {'CPU s':>7} | note")
    print(f"|{'-' * 46}|{'-' * 9}|{'-' * 9}|------")
    for label, sample, note in rows:
        cpu = f"{sample.cpu:7.1f}" if sample.cpu is not None else "      -"
        print(f"| {label:44} | {sample.wall:7.1f} | {cpu} | {note}")
    cpu_ratio = cold.cpu / plain_s.cpu if cold.cpu and plain_s.cpu else None
    targets = [
        ("cold render wall / plain wall", cold.wall / plain_s.wall, 1.0, "x"),
        ("cold render CPU / plain CPU", cpu_ratio, 1.3, "x"),
        ("cold render wall / naive pipeline wall", cold.wall / naive_s.wall, 0.25, "x"),
        ("unchanged re-render wall", unchanged.wall, 0.3, "s"),
        ("6-set batch wall / serial wall", batch.wall / serial.wall, 0.6, "x"),
    ]
    print(f"\n| {'ratio':44} | {'value':>7} | {'target':>7} | verdict")
    print(f"|{'-' * 46}|{'-' * 9}|{'-' * 9}|--------")
    for label, value, target, unit in targets:
        shown = f"{value:6.2f}{unit}" if value is not None else "      -"
        print(f"| {label:44} | {shown:>7} | {f'<= {target}{unit}':>7} | {verdict(value, target)}")
    only_readers = "met" if ran == readers else f"MISSED (the cache says {', '.join(sorted(readers))} read it)"
    print(f"| {'one table changed: only its readers ran':44} | {len(ran):>6}  | {len(readers):>6}  | {only_readers}")
    print("\n(make test-fast, at most 60 s, is measured by running it; it is not part of this benchmark.)")

    # Validation of data/ in-process (issue 12: at most 0.5 s) and a generated 1,000,000-row
    # operational export imported and rendered (at most 2x the render of data/, under 1.5 GB).
    import bench_validation

    print("\nValidation of data/ (in-process, warm):")
    bench_validation.main(["--repeat", str(max(args.repeat, 3))])
    if not args.no_imports:
        import bench_imports

        print("\nA generated 1,000,000-row operational export (synthetic, never published):")
        bench_imports.main([])


if __name__ == "__main__":
    main()
