"""`python -m demining_sdg import`: exit codes, what it prints, and where the rows go."""

from __future__ import annotations

import shutil

import pandas as pd

from conftest import run_cli
from imports_support import EXAMPLES, SOURCE_ID, data_with_source, write


def test_a_bad_file_exits_1_names_the_problem_and_writes_nothing(tmp_path):
    base = data_with_source(tmp_path)
    plain = write(tmp_path / "plain.csv", "Country,Measure,Value\nXIM,area_cleared,12\n")
    done = run_cli("import", "hxl", str(plain), "--out", str(tmp_path / "review"), "--data-dir", str(base),
                   "--source-id", SOURCE_ID, "--table", "clearance")  # fmt: skip
    assert done.returncode == 1, done.stderr
    assert "plain.csv" in done.stderr and "row of HXL hashtags" in done.stderr and "nothing was written" in done.stderr
    assert not (tmp_path / "review").exists()


def test_an_unknown_source_id_exits_2(tmp_path):
    base = data_with_source(tmp_path)
    done = run_cli("import", "funding", str(EXAMPLES / "synthetic_funding_transactions.csv"), "--out",
                   str(tmp_path / "review"), "--data-dir", str(base), "--source-id", "S949")  # fmt: skip
    assert done.returncode == 2 and "S949" in done.stderr


def test_out_names_a_data_folder_the_rows_are_appended_to(tmp_path):
    base = data_with_source(tmp_path)
    target = tmp_path / "mine"
    shutil.copytree(base, target)
    before = (target / "funding.csv").read_text(encoding="utf-8")
    done = run_cli("import", "funding", str(EXAMPLES / "synthetic_funding_transactions.csv"), "--country", "XIM",
                   "--out", str(target), "--source-id", SOURCE_ID, "--currency", "EUR")  # fmt: skip
    assert done.returncode == 0, done.stderr
    after = (target / "funding.csv").read_text(encoding="utf-8")
    assert after.startswith(before) and len(after) > len(before)  # appended; the rows there are unchanged
    new = pd.read_csv(target / "funding.csv", dtype=str).iloc[before.count("\n") - 1 :]
    assert set(new["measure"]) == {"commitment", "disbursement"}
    assert "derived: converted at ECB reference rates" in done.stderr
    assert not list(target.glob(".*importing"))
