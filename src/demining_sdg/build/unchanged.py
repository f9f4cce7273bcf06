"""Is there anything to render? A render records the key of everything its output depends on
(parameters, notebooks, package code, dependency versions, input files) and the hashes of what it
published. When a new render has the same key and the published files are intact, it would write
the same bytes again: the CLI says so and stops before any heavy import, kernel or assembly.

This module imports only the standard library and the light parts of the package.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from demining_sdg import paths
from demining_sdg.build.publish import STAGING_PREFIX
from demining_sdg.inputs.contract import load_contract
from demining_sdg.params import ReportParams
from demining_sdg.provenance import record as provenance

RECORD_FILE = "render.json"
NOT_IN_KEY = {"out_dir", "jobs", "chapter_timeout_s"}  # where and how fast, not what is published
FIGURES = "figures/"  # output names: 'index.html', 'briefing_deck.pptx', 'figures/<file>'


def run_key(params: ReportParams) -> str:
    """One sha256 of everything the published files depend on."""
    run_params = {k: v for k, v in params.public_dict().items() if k not in NOT_IN_KEY}
    inputs = provenance.input_hashes(load_contract(params.data_dir).input_files(params.data_dir))
    parts = [run_params, provenance.code_fingerprint(), provenance.package_versions(), inputs]
    return hashlib.sha256(json.dumps(parts, sort_keys=True, default=str).encode()).hexdigest()


def output_hashes(staging: Path) -> dict[str, str]:
    """The hashes of the files a render publishes, by their name in the output."""
    files = {name: staging / name for name in (paths.REPORT_FILE_NAME, paths.DECK_FILE_NAME)}
    files |= {FIGURES + p.name: p for p in sorted((staging / "figures").iterdir()) if p.is_file()}
    return {name: provenance.sha256_of(path) for name, path in files.items()}


def _published(name: str, params: ReportParams) -> Path:
    if name.startswith(FIGURES):
        return params.resolved_figures_dir / name.removeprefix(FIGURES)
    return params.out_dir / name


def published_is_current(params: ReportParams) -> bool:
    """True when the last render in the output folder had this key and its files are as it wrote them."""
    record_file = params.out_dir / RECORD_FILE
    if any(params.out_dir.glob(f"{STAGING_PREFIX}*")):  # an interrupted render: a full one cleans up
        return False
    try:
        record = json.loads(record_file.read_text(encoding="utf-8"))
        outputs = record["outputs"]
        if record.get("run_key") != run_key(params) or not outputs:
            return False
        return all(provenance.sha256_of(_published(name, params)) == digest for name, digest in outputs.items())
    except (OSError, ValueError, KeyError, TypeError):
        return False
