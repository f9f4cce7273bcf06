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

Several renders may share the cache at once (a batch, or two terminals): a writer holds an OS lock
on its temporary folder, so the clean-up of killed writers never removes a live one; an entry is
replaced by renaming the old one aside first, never by deleting it in place; and a restored copy
is checked against the entry's sha256 list, so a reader that loses a race runs the chapter instead.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import uuid
from dataclasses import dataclass
from pathlib import Path

import nbformat
from filelock import FileLock, Timeout

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
WRITING, STALE = ".writing-", ".stale-"


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
    files: dict[str, str]  # name in the entry -> sha256


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
            self._set_aside(entry)  # corrupted: rebuilt by this run
            return None
        if self._inputs_of(set(manifest["tables"])) != manifest["inputs"]:
            return None
        return Hit(entry, manifest["figures"], manifest["files"])

    def restore(self, hit: Hit, executed: Path, figures_dir: Path) -> bool:
        """Copy the entry's files out and check the copies; False if the entry changed or went away
        meanwhile (another render replaced it): the chapter is then run instead."""
        copies = {EXECUTED: executed, **{f"figures/{name}": figures_dir / name for name in hit.figures}}
        try:
            for name, target in copies.items():
                shutil.copyfile(hit.folder / name, target)
            return all(provenance.sha256_of(target) == hit.files.get(name) for name, target in copies.items())
        except OSError:
            return False

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
        temporary = self.folder / f"{WRITING}{uuid.uuid4().hex[:12]}"
        lock = FileLock(f"{temporary}.lock", timeout=0)
        with lock:  # taken before the folder exists: remove_leftovers() leaves a live writer alone
            try:
                self._write_entry(notebook, temporary, executed, figures_dir, cells, files)
            finally:
                shutil.rmtree(temporary, ignore_errors=True)  # gone already if renamed into place
        Path(f"{temporary}.lock").unlink(missing_ok=True)

    def _write_entry(
        self, notebook: Path, temporary: Path, executed: Path, figures_dir: Path, cells: list, files: list[str]
    ) -> None:
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
        self._set_aside(entry)
        with contextlib.suppress(OSError):  # another render stored the same entry first: keep theirs
            os.replace(temporary, entry)

    def _set_aside(self, entry: Path) -> None:
        """Rename an entry out of the way in one step, then delete it (a reader copying from it
        meanwhile fails its check and runs the chapter)."""
        aside = self.folder / f"{STALE}{uuid.uuid4().hex[:12]}"
        try:
            os.replace(entry, aside)
        except OSError:  # not there (or already set aside by another render)
            return
        shutil.rmtree(aside, ignore_errors=True)

    def remove_leftovers(self) -> None:
        """Temporary folders of renders that were killed while storing (a live writer holds the
        lock of its folder and is left alone), and entries set aside but not yet deleted."""
        if not self.folder.is_dir():
            return
        for stale in self.folder.glob(f"{STALE}*"):
            shutil.rmtree(stale, ignore_errors=True)
        for leftover in self.folder.glob(f"{WRITING}*"):
            if leftover.suffix == ".lock":
                continue
            lock_file = Path(f"{leftover}.lock")
            if not lock_file.exists():
                shutil.rmtree(leftover, ignore_errors=True)
                continue
            try:
                with FileLock(lock_file, timeout=0):
                    shutil.rmtree(leftover, ignore_errors=True)
            except Timeout:
                continue  # a render is writing it now
            lock_file.unlink(missing_ok=True)
        for lock_file in self.folder.glob(f"{WRITING}*.lock"):
            if not Path(str(lock_file).removesuffix(".lock")).exists():
                with contextlib.suppress(Timeout), FileLock(lock_file, timeout=0):
                    lock_file.unlink(missing_ok=True)


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
