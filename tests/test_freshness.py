"""The published report in the repository is up to date with its data, notebooks and code."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import run_cli, set_cell
from demining_sdg import paths
from demining_sdg.build.render import code_fingerprint
from demining_sdg.inputs.contract import load_contract
from demining_sdg.params import load_params
from demining_sdg.provenance import record as provenance
from demining_sdg.provenance.freshness import stale_reasons


def test_the_committed_report_is_fresh():
    reasons = stale_reasons(paths.REPORT_DIR, paths.DATA_DIR, load_params(paths.DEFAULT_PARAMS_FILE))
    assert reasons == [], (
        "The committed report is stale; run `make report` and commit report/ and figures/: " + "; ".join(reasons)
    )


def test_the_committed_report_exists_with_its_figures():
    assert (paths.REPORT_DIR / "index.html").stat().st_size > 100_000
    assert (paths.REPORT_DIR / "briefing_deck.pptx").exists()
    assert list(paths.FIGURES_DIR.glob("*.png"))


def test_a_changed_input_makes_the_report_stale(data_copy: Path, tmp_path: Path):
    files = load_contract(data_copy).input_files(data_copy)
    record = {"inputs": provenance.input_hashes(files), "code_fingerprint": code_fingerprint()}
    (tmp_path / "render.json").write_text(json.dumps(record))
    assert stale_reasons(tmp_path, data_copy) == []
    set_cell(data_copy / "population.csv", 0, "notes", "edited")
    assert stale_reasons(tmp_path, data_copy) == ["input changed since the render: population.csv"]


def test_check_fresh_command_names_the_fix(tmp_path: Path):
    (tmp_path / "render.json").write_text(json.dumps({"inputs": {}, "code_fingerprint": "0" * 64}))
    done = run_cli("check-fresh", "--out", str(tmp_path))
    assert done.returncode == 1
    assert "make report" in done.stderr


def test_a_report_rendered_with_other_parameters_is_stale(tmp_path: Path):
    default = load_params(paths.DEFAULT_PARAMS_FILE)
    files = load_contract(paths.DATA_DIR).input_files(paths.DATA_DIR)
    record = {
        "inputs": provenance.input_hashes(files),
        "code_fingerprint": code_fingerprint(),
        "params": load_params(paths.DEFAULT_PARAMS_FILE, {"country": "KHM"}).public_dict(),
    }
    (tmp_path / "render.json").write_text(json.dumps(record))
    reasons = stale_reasons(tmp_path, paths.DATA_DIR, default)
    assert reasons == ["rendered with country = 'KHM', the parameters file says 'AZE'"]
