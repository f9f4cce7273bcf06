"""Is the published report up to date with its inputs and code?"""

from __future__ import annotations

import json
from pathlib import Path

from demining_sdg import paths
from demining_sdg.inputs.contract import load_contract
from demining_sdg.params import ReportParams
from demining_sdg.provenance import record as provenance


def stale_reasons(
    report_dir: Path = paths.REPORT_DIR, data_dir: Path = paths.DATA_DIR, params: ReportParams | None = None
) -> list[str]:
    """Why the report in ``report_dir`` no longer matches its inputs, code and (if given) parameters."""
    record_file = report_dir / "render.json"
    if not record_file.exists():
        return [f"{record_file} is missing: the report has never been rendered here"]
    record = json.loads(record_file.read_text(encoding="utf-8"))
    reasons = []
    current_inputs = provenance.input_hashes(load_contract(data_dir).input_files(data_dir))
    current = {Path(name).name: digest for name, digest in current_inputs.items()}
    recorded = {Path(name).name: digest for name, digest in record["inputs"].items()}
    for name in sorted(set(current) | set(recorded)):
        if current.get(name) != recorded.get(name):
            reasons.append(f"input changed since the render: {name}")
    if provenance.code_fingerprint() != record["code_fingerprint"]:
        reasons.append("notebooks, parameters or package code changed since the render")
    if params is not None:
        expected, recorded_params = params.public_dict(), record.get("params", {})
        for key in sorted(set(expected) | set(recorded_params)):
            if expected.get(key) != recorded_params.get(key):
                reasons.append(
                    f"rendered with {key} = {recorded_params.get(key)!r}, the parameters file says {expected.get(key)!r}"
                )
    return reasons
