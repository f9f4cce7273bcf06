"""The operational path at a million rows: the sums equal a plain group-by, and no Python code runs
per row (counted with a profiler hook). Time is not asserted: benchmarks/bench_imports.py measures it."""

from __future__ import annotations

import sys

import numpy as np
import pandas as pd
import pytest

from demining_sdg import paths
from demining_sdg.inputs.imports.operations import OperationsOptions, _span, aggregate, check_export, read_export

sys.path.insert(0, str(paths.ROOT / "benchmarks"))
from synthetic_export import write_synthetic_export  # noqa: E402

ROWS = 1_000_000


@pytest.fixture(scope="module")
def export(tmp_path_factory):
    return write_synthetic_export(tmp_path_factory.mktemp("scale") / "synthetic_1m.csv", rows=ROWS, seed=5, year=2025)


def python_calls(action):
    """How many Python functions run while ``action`` runs (C functions are not counted)."""
    count = 0

    def hook(frame, event, arg):
        nonlocal count
        if event == "call":
            count += 1

    sys.setprofile(hook)
    try:
        result = action()
    finally:
        sys.setprofile(None)
    return result, count


@pytest.mark.slow
def test_a_million_rows_are_summed_like_a_plain_group_by_without_a_loop_over_rows(export):
    def run():
        frame, rows, problems = read_export(export)
        typed, found = check_export(frame, rows, export.name)
        assert problems == [] and found.problems == []
        return aggregate(typed, _span(typed, OperationsOptions("XIM", None)))

    sums, calls = python_calls(run)
    assert calls < ROWS / 20, f"{calls:,} Python calls for {ROWS:,} rows: something runs per row"

    plain = pd.read_csv(export, engine="c")
    plain["date"] = pd.to_datetime(plain["date"])
    rng = np.random.default_rng(1)
    months = rng.choice(np.arange(1, 13), 3, replace=False)
    for month in months:
        rows = plain[plain["date"].dt.month == month]
        start = f"2025-{month:02d}-01"
        got = sums[(sums["period_type"] == "monthly") & (sums["period_start"].astype(str) == start)]
        got = got.set_index("series")["value"]
        for method in ("cancelled", "reduced", "cleared"):
            expected = rows.loc[rows["method"] == method, "area_m2"].sum()
            assert float(got[f"area_{method}"]) == pytest.approx(expected, rel=1e-12)
        assert int(got["AP_mine"]) == rows["ap_mines"].sum()
        assert int(got["all"]) == rows[["ap_mines", "at_mines", "uxo", "other_items"]].to_numpy().sum()
    week = plain[(plain["date"] >= "2025-06-02") & (plain["date"] <= "2025-06-08")]
    got = sums[(sums["period_type"] == "weekly") & (sums["period_start"].astype(str) == "2025-06-02")]
    got = got.set_index("series")["value"]
    assert int(got["UXO"]) == week["uxo"].sum()
    assert float(got["area_released"]) == pytest.approx(week["area_m2"].sum(), rel=1e-12)
    annual = sums[sums["period_type"] == "annual"].set_index("series")["value"]
    assert int(annual["AT_mine"]) == plain["at_mines"].sum()
