"""A cache of executed chapters keyed on everything a chapter's output depends on.

A chapter's key is the hash of its notebook, the parameters that change its output, the package's
code, the versions of the packages it runs on, and the content of the input files it read on its
last run (the contract and profiles always count). An unchanged chapter starts no kernel: its
executed notebook and figure files are copied from the cache. A changed table re-runs only the
chapters that read it.

Entries are written to a temporary folder and renamed into place, so a render killed mid-way never
leaves a half-written entry; each entry lists the sha256 of its files, and an entry whose files do
not match (a corrupted or edited cache) is deleted and rebuilt. The cache lives in ``.cache/``
(git-ignored) and is safe to delete.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import uuid
from dataclasses import dataclass
from pathlib import Path

import nbformat

from demining_sdg import paths
from demining_sdg.inputs.datasets import Datasets
from demining_sdg.params import ReportParams
from demining_sdg.present.chapter import tables_read
from demining_sdg.provenance import record as provenance

CACHE_DIR = paths.ROOT / ".cache" / "chapters"
FIGURE_SUFFIXES = (".png", ".svg", ".csv", ".json")
# Parameters that do not change a chapter's output (where it is written, how it is run).
NOT_IN_KEY = {"out_dir", "figures_dir", "data_dir", "jobs", "chapter_timeout_s"}
MANIFEST = "manifest.json"
EXECUTED = "executed.ipynb"


def _digest(*parts: str) -> str:
    digest = hashlib.sha256()
    for part in parts:
        digest.update(part.encode("utf-8"))
        digest.update(b"\0")
    return digest.hexdigest()


@dataclass(frozen=True)
class Hit:
    folder: Path
    figures: list[str]


class ChapterCache:
    def __init__(self, datasets: Datasets, params: ReportParams, code_fingerprint: str, folder: Path = CACHE_DIR):
        self.folder = Path(folder)
        self.datasets = datasets
        run_params = {k: v for k, v in params.public_dict().items() if k not in NOT_IN_KEY}
        self._run_key = _digest(
            json.dumps(run_params, sort_keys=True), code_fingerprint, json.dumps(provenance.package_versions())
        )
        self._input_hashes = {
            path.name if path.parent == datasets.data_dir else f"{path.parent.name}/{path.name}": provenance.sha256_of(
                path
            )
            for path in datasets.input_files()
        }
        self._table_files = {t.name: Path(t.path).name for t in datasets.contract.tables}

    def _always(self) -> dict[str, str]:
        """Inputs every chapter depends on: the contract and the country profiles."""
        return {name: digest for name, digest in self._input_hashes.items() if not name.endswith(".csv")}

    def key(self, notebook: Path) -> str:
        return _digest(self._run_key, provenance.sha256_of(notebook))

    def _inputs_of(self, tables: set[str]) -> dict[str, str]:
        files = {self._table_files[t] for t in tables if t in self._table_files}
        return {**self._always(), **{f: self._input_hashes[f] for f in sorted(files) if f in self._input_hashes}}

    def lookup(self, notebook: Path) -> Hit | None:
        """The cached run of this notebook, if its key and the inputs it read are unchanged."""
        entry = self.folder / self.key(notebook)
        manifest_file = entry / MANIFEST
        if not manifest_file.is_file():
            return None
        try:
            manifest = json.loads(manifest_file.read_text(encoding="utf-8"))
            intact = all(provenance.sha256_of(entry / name) == digest for name, digest in manifest["files"].items())
        except (OSError, ValueError, KeyError):
            intact = False
        if not intact:
            shutil.rmtree(entry, ignore_errors=True)  # corrupted: rebuilt by this run
            return None
        if self._inputs_of(set(manifest["tables"])) != manifest["inputs"]:
            return None
        return Hit(entry, manifest["figures"])

    def restore(self, hit: Hit, executed: Path, figures_dir: Path) -> None:
        shutil.copyfile(hit.folder / EXECUTED, executed)
        for name in hit.figures:
            shutil.copyfile(hit.folder / "figures" / name, figures_dir / name)

    def store(self, notebook: Path, executed: Path, figures_dir: Path) -> None:
        """Keep a successful run: written beside the cache, then renamed into place in one step."""
        cells = nbformat.read(executed, as_version=4).cells
        names = sorted(
            {
                name
                for cell in cells
                for output in cell.get("outputs", [])
                for name in _figure_names(output.get("data", {}).get("text/html", ""))
            }
        )
        files = [
            f"{name}{suffix}"
            for name in names
            for suffix in FIGURE_SUFFIXES
            if (figures_dir / f"{name}{suffix}").is_file()
        ]
        self.folder.mkdir(parents=True, exist_ok=True)
        temporary = self.folder / f".writing-{uuid.uuid4().hex[:12]}"
        (temporary / "figures").mkdir(parents=True)
        shutil.copyfile(executed, temporary / EXECUTED)
        for name in files:
            shutil.copyfile(figures_dir / name, temporary / "figures" / name)
        listed = [EXECUTED] + [f"figures/{name}" for name in files]
        manifest = {
            "notebook": notebook.name,
            "tables": sorted(tables_read(cells)),
            "inputs": self._inputs_of(tables_read(cells)),
            "figures": files,
            "files": {name: provenance.sha256_of(temporary / name) for name in listed},
        }
        (temporary / MANIFEST).write_text(json.dumps(manifest, indent=1), encoding="utf-8")
        entry = self.folder / self.key(notebook)
        shutil.rmtree(entry, ignore_errors=True)
        try:
            os.replace(temporary, entry)
        except OSError:  # another render stored the same entry first
            shutil.rmtree(temporary, ignore_errors=True)

    def remove_leftovers(self) -> None:
        """Temporary folders of renders that were killed while storing."""
        if self.folder.is_dir():
            for stale in self.folder.glob(".writing-*"):
                shutil.rmtree(stale, ignore_errors=True)


def _figure_names(html) -> list[str]:
    text = "".join(html) if isinstance(html, list) else str(html)
    found = []
    marker = 'data-figure="'
    start = text.find(marker)
    while start >= 0:
        end = text.find('"', start + len(marker))
        found.append(text[start + len(marker) : end])
        start = text.find(marker, end)
    return found
