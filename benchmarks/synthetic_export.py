"""Write a SYNTHETIC operational export (IMSMA-like columns) of any size, seeded: made-up numbers,
made-up districts and operators, never real figures and never published.

    .venv/bin/python benchmarks/synthetic_export.py OUT.csv [--rows 1000000] [--seed 12] [--year 2025]

One row per task report: date, district, operator, method (cancelled / reduced / cleared), area in
m2 (two decimals) and counts of AP mines, AT mines, UXO and other items found. Every day of the
year occurs, so the export covers the whole calendar year.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
import pandas as pd

COLUMNS = ("task_id", "date", "district", "operator", "method", "area_m2", "ap_mines", "at_mines", "uxo", "other_items")


def synthetic_export(rows: int, seed: int = 12, year: int = 2025) -> pd.DataFrame:
    """The export as a frame (vectorised: a million rows in about a second)."""
    rng = np.random.default_rng(seed)
    first = np.datetime64(f"{year}-01-01")
    days = int((np.datetime64(f"{year + 1}-01-01") - first).astype(int))
    offsets = rng.integers(0, days, rows)
    offsets[:days] = np.arange(min(days, rows))  # every day occurs: the export covers the whole year
    districts = np.array([f"Synthetic district {i:02d}" for i in range(1, 13)])
    operators = np.array([f"Synthetic operator {c}" for c in "ABCDEFG"])
    methods = np.array(["cancelled", "reduced", "cleared"])
    method = rng.choice(3, rows, p=[0.2, 0.3, 0.5])
    area = rng.gamma(2.0, [900.0, 400.0, 150.0], size=(rows, 3))[np.arange(rows), method]
    return pd.DataFrame(
        {
            "task_id": np.char.add("SYN-", np.arange(1, rows + 1).astype(str)),
            "date": (first + offsets).astype(str),
            "district": districts[rng.integers(0, len(districts), rows)],
            "operator": operators[rng.integers(0, len(operators), rows)],
            "method": methods[method],
            "area_m2": np.round(area, 2),
            "ap_mines": rng.poisson(0.02, rows) * (method == 2),
            "at_mines": rng.poisson(0.005, rows) * (method == 2),
            "uxo": rng.poisson(0.08, rows) * (method >= 1),
            "other_items": rng.poisson(0.03, rows) * (method >= 1),
        },
        columns=list(COLUMNS),
    )


def write_synthetic_export(path: Path, rows: int = 1_000_000, seed: int = 12, year: int = 2025) -> Path:
    frame = synthetic_export(rows, seed, year)
    frame.to_csv(path, index=False, lineterminator="\n", float_format="%.2f")
    return Path(path)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=12)
    parser.add_argument("--year", type=int, default=2025)
    args = parser.parse_args()
    print(write_synthetic_export(args.out, args.rows, args.seed, args.year))


if __name__ == "__main__":
    main()
