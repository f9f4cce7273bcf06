"""Speed of validating a data folder in-process, warm (imports done), by candidate (a benchmark, not a test).

    .venv/bin/python benchmarks/bench_validation.py [--repeat N] [--data-dir DIR]

Prints the median wall and CPU time of:
- the whole validation as ``validate``/``render`` run it (contract, reading, schema, rules, profiles),
  and again in the same process with the tables unchanged (each table is checked once per content);
- its parts: reading the CSV files, the schema part (pandera built from ``datapackage.json``), the
  rules between rows and tables, the excerpt rule;
- ``frictionless`` validating the same data package (``Package.validate``: types, constraints, keys),
  and pandera's ``from_frictionless_schema`` schemas, when the ``frictionless`` package is installed
  (it is not a dependency of the project: pip install frictionless==5.21.0 to compare).

``bench_render.py`` can print the same lines with ``bench_validation.main(["--repeat", "3"])``, or take
the numbers with ``measure(data_dir, repeat)``.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from demining_sdg import paths
from demining_sdg.inputs import crosschecks
from demining_sdg.inputs.cells import read_cells
from demining_sdg.inputs.contract import load_contract
from demining_sdg.inputs.excerpts import excerpt_problems
from demining_sdg.inputs.tableio import read_table_text
from demining_sdg.inputs.validation import forget_checked_tables, validate_data_dir, validate_table


def timed(action: Callable[[], object], repeat: int) -> tuple[float, float]:
    """Median wall and CPU seconds of ``repeat`` runs, after one warm-up run."""
    action()
    wall, cpu = [], []
    for _ in range(repeat):
        started, started_cpu = time.perf_counter(), time.process_time()
        action()
        wall.append(time.perf_counter() - started)
        cpu.append(time.process_time() - started_cpu)
    return statistics.median(wall), statistics.median(cpu)


def _frictionless_candidates(data_dir: Path) -> dict[str, Callable[[], object]]:
    try:
        import frictionless
        from pandera.io.pandas_io import from_frictionless_schema
    except ImportError:
        return {}
    import numpy as np
    import pandera.pandas as pa

    descriptor = data_dir / paths.CONTRACT_FILE_NAME
    contract = load_contract(data_dir)
    frames = {t.name: read_table_text(data_dir / t.path, t)[0] for t in contract.tables}
    resources = json.loads(descriptor.read_text(encoding="utf-8"))["resources"]
    schemas = {r["name"]: from_frictionless_schema(r["schema"]) for r in resources}

    def pandera_from_frictionless() -> None:
        for name, schema in schemas.items():
            try:
                schema.validate(frames[name].replace("", np.nan), lazy=True)
            except pa.errors.SchemaErrors:
                pass

    return {
        f"frictionless {frictionless.__version__} Package.validate (schema only)": lambda: frictionless.Package(
            str(descriptor)
        ).validate(),
        "pandera from_frictionless_schema (schema only, built once)": pandera_from_frictionless,
    }


def measure(data_dir: Path = paths.DATA_DIR, repeat: int = 5) -> dict[str, tuple[float, float]]:
    """Median (wall, CPU) seconds by candidate, on a copy of ``data_dir``."""
    with tempfile.TemporaryDirectory() as work:
        data = Path(work) / "data"
        shutil.copytree(data_dir, data)
        contract = load_contract(data)
        frames = {t.name: read_table_text(data / t.path, t)[0] for t in contract.tables}
        cells = {t.name: read_cells(frames[t.name], t) for t in contract.tables}
        candidates: dict[str, Callable[[], object]] = {
            "whole validation (validate_data_dir)": lambda: forget_checked_tables() or validate_data_dir(data),
            "  again, tables unchanged (checked once per content)": lambda: validate_data_dir(data),
            "  reading the CSV files": lambda: [read_table_text(data / t.path, t) for t in contract.tables],
            "  schema: cells read + pandera": lambda: [
                validate_table(t, frames[t.name], read_cells(frames[t.name], t)) for t in contract.tables
            ],
            "  rules between rows and tables": lambda: crosschecks.problems(contract, frames, cells),
            "  every number in its excerpt": lambda: excerpt_problems(frames),
        }
        candidates |= _frictionless_candidates(data)
        return {name: timed(action, repeat) for name, action in candidates.items()}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, help="runs per measurement (median is shown)")
    parser.add_argument("--data-dir", type=Path, default=paths.DATA_DIR, help="the data folder to validate")
    args = parser.parse_args(argv)
    rows = sum(len(f) for f in validate_data_dir(args.data_dir).tables.values() if f is not None)
    results = measure(args.data_dir, args.repeat)
    print(f"validation of {args.data_dir.name}/ ({rows:,} rows), median of {args.repeat}, warm:")
    for name, (wall, cpu) in results.items():
        print(f"{name:62s} {wall:6.3f} s wall  {cpu:6.3f} s CPU")
    if not any(name.startswith("frictionless") for name in results):
        print("frictionless: not installed (pip install frictionless==5.21.0 to compare)")


if __name__ == "__main__":
    main()
